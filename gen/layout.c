/*
 * layout.c - Chinese line breaking (see layout.h).
 *
 * The break opportunities come from libunibreak (UAX #14), which already
 * forbids a break before closing punctuation (，。、；：？！）」” …) and after
 * opening punctuation (（「“ …) and keeps numbers and words whole.  On top
 * of it one local rule: a digit or Latin letter keeps the ideograph after
 * it ("2017年", "12号").  The lines are then filled greedily, which is what
 * a Chinese typesetter does on a fixed character grid: when the next
 * character does not fit, the line ends at the last opportunity and the
 * characters pushed down are made up for by wider character spacing
 * (justification), so the right edge stays straight.  Hand-written because
 * no library does this part for a caller-measured grid.
 */
#include "layout.h"
#include "util.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

size_t
layout_decode(const char *s, uint32_t **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k = 0;
	uint32_t *v = xmalloc((n + 1) * sizeof *v);

	while (*p) {
		uint32_t c = *p, min = 0;
		int more = 0;

		if (c < 0x80)
			more = 0;
		else if (c >= 0xC2 && c < 0xE0)
			more = 1, c &= 0x1F, min = 0x80;
		else if (c >= 0xE0 && c < 0xF0)
			more = 2, c &= 0x0F, min = 0x800;
		else if (c >= 0xF0 && c < 0xF5)
			more = 3, c &= 0x07, min = 0x10000;
		else
			more = -1;
		p++;
		for (int i = 0; i < more; i++) {
			if ((*p & 0xC0) != 0x80) {
				more = -1;
				break;
			}
			c = (c << 6) | (*p++ & 0x3F);
		}
		if (more < 0 || c < min || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			c = 0xFFFD;
		v[k++] = c;
	}
	*out = v;
	return k;
}

static bool
is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static bool
is_ideograph(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x20000 && c <= 0x3FFFF);
}

/* Belt and braces over libunibreak's classes (its older data lets a line
 * start with an ellipsis after "！"): never start a line with these ... */
static const uint32_t no_start[] = {
	0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300D,
	0x201D, 0x2019, 0x300F, 0x300B, 0x3009, 0x3015, 0x3011, 0x3017, 0xFF05,
	0x2026, 0x2025, 0xFF3D, 0xFF5D, 0x30FB, 0x00B7,
	',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
};
/* ... nor end one with these. */
static const uint32_t no_end[] = {
	0xFF08, 0x300C, 0x201C, 0x2018, 0x300E, 0x300A, 0x3008, 0x3014, 0x3010,
	0x3016, 0xFF3B, 0xFF5B, '(', '[', '{',
};

static bool
in_list(const uint32_t *v, size_t n, uint32_t c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

static bool
is_space(uint32_t c)
{
	return c == ' ' || c == '\t';
}

/*
 * The break opportunities after each character (LINEBREAK_*); caller frees.
 * libunibreak 1.1 (Debian 12) takes U+FFFF for its end-of-text mark (EOS)
 * and fails an assertion (abort) when the text holds one, so it is given
 * a copy with U+FFFF as U+FFFD when needed (a noncharacter has no glyph
 * either way).
 */
static char *
breaks(const uint32_t *cp, size_t n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	char *brk = xmalloc(n);
	uint32_t *safe = NULL;

	for (size_t i = 0; i < n; i++)
		if (cp[i] == 0xFFFF) {
			if (safe == NULL) {
				safe = xmalloc(n * sizeof *safe);
				memcpy(safe, cp, n * sizeof *safe);
			}
			safe[i] = 0xFFFD;
		}
	/* libunibreak's tables: set up once per process (not free per call;
	 * pthread_once keeps rendering on several threads safe) */
	pthread_once(&once, init_linebreak);
	set_linebreaks_utf32((const utf32_t *)(safe != NULL ? safe : cp), n,
	    "zh", brk);
	free(safe);
	for (size_t i = 0; i + 1 < n; i++)
		if (brk[i] == LINEBREAK_ALLOWBREAK && is_alnum(cp[i]) &&
		    is_ideograph(cp[i + 1]))
			brk[i] = LINEBREAK_NOBREAK;
	for (size_t i = 0; i + 1 < n; i++)
		if (brk[i] == LINEBREAK_ALLOWBREAK &&
		    (in_list(no_start, ARRAY_LEN(no_start), cp[i + 1]) ||
		    in_list(no_end, ARRAY_LEN(no_end), cp[i])))
			brk[i] = LINEBREAK_NOBREAK;
	return brk;
}

void
layout_widths(const uint32_t *cp, const double *adv, size_t n, double *minw,
    double *maxw)
{
	char *brk = n ? breaks(cp, n) : NULL;
	double seg = 0, line = 0;

	*minw = *maxw = 0;
	for (size_t i = 0; i < n; i++) {
		seg += adv[i];
		line += adv[i];
		if (brk[i] != LINEBREAK_NOBREAK) {
			if (seg > *minw)
				*minw = seg;
			seg = 0;
		}
		if (brk[i] == LINEBREAK_MUSTBREAK) {
			if (line > *maxw)
				*maxw = line;
			line = 0;
		}
	}
	free(brk);
}

/* Finishes the line [start, end): natural width, justification. */
static void
finish_line(lay_line_t *l, const uint32_t *cp, const double *adv,
    size_t start, size_t end, double avail, const lay_opts_t *o, bool last)
{
	size_t vis = end;

	while (vis > start && (is_space(cp[vis - 1]) || cp[vis - 1] == '\n'))
		vis--;
	l->start = start;
	l->end = end;
	l->natural = 0;
	for (size_t i = start; i < vis; i++)
		l->natural += adv[i];
	l->last = last;
	l->extra = 0;
	if (o->justify && !last && vis - start > 1 && avail > l->natural)
		l->extra = (avail - l->natural) / (double)(vis - start - 1);
}

size_t
layout_break(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, lay_line_t **lines)
{
	char *brk = NULL;
	lay_line_t *v = NULL;
	size_t nv = 0, cap = 0, start = 0;
	const double eps = 1e-6;

	if (n > 0)
		brk = breaks(cp, n);
	while (start < n || nv == 0) {
		double ind = nv == 0 ? o->first_indent : o->indent;
		double avail = o->width - ind, w = 0;
		size_t i = start, last_ok = (size_t)-1, end;
		bool forced = false;

		for (; i < n; i++) {
			/* trailing spaces may hang past the edge */
			if (w + adv[i] > avail + eps && !is_space(cp[i]))
				break;
			w += adv[i];
			if (brk[i] == LINEBREAK_MUSTBREAK && i + 1 < n) {
				forced = true;
				i++;
				break;
			}
			if (brk[i] == LINEBREAK_ALLOWBREAK)
				last_ok = i;
		}
		if (i >= n || forced)
			end = i;
		else if (last_ok != (size_t)-1)
			end = last_ok + 1;
		else {
			/* cut a too-long word, if possible where the next line
			 * does not start with closing punctuation */
			end = i > start ? i : start + 1;
			for (size_t k = end; k > start + 1; k--)
				if (!in_list(no_start, ARRAY_LEN(no_start), cp[k]) &&
				    !in_list(no_end, ARRAY_LEN(no_end), cp[k - 1])) {
					end = k;
					break;
				}
		}
		xgrow(&v, &cap, nv + 1, sizeof *v);
		finish_line(&v[nv], cp, adv, start, end, avail, o,
		    end >= n || forced);
		v[nv].indent = ind;
		nv++;
		start = end;
		if (n == 0)
			break;
	}
	free(brk);
	*lines = v;
	return nv;
}

/* ---- titles -------------------------------------------------------------- */

/* Words a title line may end with / a line may start with (GB/T 9704
 * 7.3.3: 回行时词意完整): the common phrases of notice titles. */
static const char *const end_words[] = {
	"关于", "年度", "季度", "系统", "全省", "全市", "全区", "工作", "机关",
	"单位", "部门", "和", "与", "及", "等", "年", "月",
};
static const char *const start_words[] = {
	"通报", "通知", "意见", "决定", "报告", "情况", "结果", "关于", "工作",
	"政务", "有关",
};

/* True when the n code points before (dir < 0) or from (dir > 0) position
 * at of cp match word w (UTF-8). */
static bool
word_at(const uint32_t *cp, size_t n, size_t at, const char *w, int dir)
{
	uint32_t *wc = NULL;
	size_t wn = layout_decode(w, &wc);
	bool ok = dir < 0 ? at >= wn : at + wn <= n;

	for (size_t i = 0; ok && i < wn; i++)
		ok = cp[dir < 0 ? at - wn + i : at + i] == wc[i];
	free(wc);
	return ok;
}

/*
 * How good a break between cp[i-1] and cp[i] is: 0 after a zero-width
 * space (the template's mark), 1 at a phrase boundary (before an opening
 * bracket, after ，、：； or 的), 2 at a common word boundary, 3 elsewhere.
 */
static int
break_level(const uint32_t *cp, size_t n, size_t i)
{
	static const uint32_t open[] = {0xFF08, 0x300A, 0x300C, 0x201C, 0x3010, '('};
	static const uint32_t after[] = {0xFF0C, 0x3001, 0xFF1A, 0xFF1B, 0x7684};

	if (cp[i - 1] == 0x200B)
		return 0;
	if (in_list(open, ARRAY_LEN(open), cp[i]) ||
	    in_list(after, ARRAY_LEN(after), cp[i - 1]))
		return 1;
	for (size_t k = 0; k < ARRAY_LEN(end_words); k++)
		if (word_at(cp, n, i, end_words[k], -1))
			return 2;
	for (size_t k = 0; k < ARRAY_LEN(start_words); k++)
		if (word_at(cp, n, i, start_words[k], 1))
			return 2;
	return 3;
}

size_t
layout_title(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, double em, lay_line_t **lines)
{
	static const double penalty[] = {0, 0, 6, 30};
	lay_line_t *greedy = NULL, *v;
	size_t k = layout_break(cp, adv, n, o, &greedy);
	char *brk = NULL;
	double *pre = NULL, *cost = NULL, avg;
	size_t *from = NULL, *cut = NULL;
	int *lev = NULL;

	bool forced = false;

	/* one line, or a forced line break inside: nothing to choose */
	for (size_t i = 0; i + 1 < k; i++)
		if (greedy[i].end > 0 && cp[greedy[i].end - 1] == '\n')
			forced = true;
	if (k <= 1 || k > 6 || n > 400 || em <= 0 || forced) {
		*lines = greedy;
		return k;
	}
	brk = breaks(cp, n);
	pre = xmalloc((n + 1) * sizeof *pre);
	lev = xmalloc((n + 1) * sizeof *lev);
	pre[0] = 0;
	for (size_t i = 0; i < n; i++)
		pre[i + 1] = pre[i] + adv[i];
	for (size_t i = 1; i < n; i++)
		lev[i] = brk[i - 1] == LINEBREAK_ALLOWBREAK ?
		    break_level(cp, n, i) : -1;
	avg = pre[n] / (double)k;
	/* cost[j * (n + 1) + i]: the best way to set cp[0..i) as j lines */
	cost = xmalloc((k + 1) * (n + 1) * sizeof *cost);
	from = xcalloc((k + 1) * (n + 1), sizeof *from);
	for (size_t x = 0; x < (k + 1) * (n + 1); x++)
		cost[x] = -1;
	cost[0] = 0;
	for (size_t j = 1; j <= k; j++)
		for (size_t i = 1; i <= n; i++) {
			if (i < n && lev[i] < 0)
				continue;
			for (size_t a = 0; a < i; a++) {
				double w, c, ind = j == 1 ? o->first_indent : o->indent;
				size_t vis = i;

				if (cost[(j - 1) * (n + 1) + a] < 0 ||
				    (a > 0 && lev[a] < 0))
					continue;
				while (vis > a && is_space(cp[vis - 1]))
					vis--;
				w = pre[vis] - pre[a];
				if (w > o->width - ind + 1e-6)
					continue;
				c = cost[(j - 1) * (n + 1) + a] +
				    (i < n ? penalty[lev[i]] : 0) +
				    0.5 * (w > avg ? w - avg : avg - w) / em;
				/* on a tie the later break: the longer first line */
				if (cost[j * (n + 1) + i] < 0 ||
				    c <= cost[j * (n + 1) + i] + 1e-9) {
					cost[j * (n + 1) + i] = c;
					from[j * (n + 1) + i] = a;
				}
			}
		}
	if (cost[k * (n + 1) + n] < 0) {
		*lines = greedy;        /* a word had to be cut: keep that */
		greedy = NULL;
		goto cleanup;
	}
	cut = xmalloc((k + 1) * sizeof *cut);
	cut[k] = n;
	for (size_t j = k; j > 0; j--)
		cut[j - 1] = from[j * (n + 1) + cut[j]];
	v = xcalloc(k, sizeof *v);
	for (size_t j = 0; j < k; j++) {
		lay_opts_t plain = *o;

		plain.justify = false;
		finish_line(&v[j], cp, adv, cut[j], cut[j + 1],
		    o->width - (j ? o->indent : o->first_indent), &plain,
		    j + 1 == k);
		v[j].indent = j ? o->indent : o->first_indent;
	}
	*lines = v;
cleanup:
	free(greedy);
	free(brk);
	free(pre);
	free(lev);
	free(cost);
	free(from);
	free(cut);
	return k;
}
