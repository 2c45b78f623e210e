/*
 * layout.c - Chinese text set as type (see layout.h): line breaks, 标点挤压,
 * where each character goes, the columns of a table.
 *
 * The break opportunities come from libunibreak (UAX #14), which already
 * forbids a break before closing punctuation (，。、；：？！）」” …) and after
 * opening punctuation (（「“ …) and keeps numbers and words whole.  On top
 * of it one local rule: a digit or Latin letter keeps the ideograph after
 * it ("2017年", "12号"), and the caller's kept phrases (unit names in a
 * table cell).  The lines are then filled greedily, which is what a
 * Chinese typesetter does on a fixed character grid: when the next
 * character does not fit, the line ends at the last opportunity; a mark
 * that may not start a line is first squeezed in (挤进: the line's marks
 * give up part of their blank halves), else characters are pushed down
 * and made up for by wider spacing between characters (justification),
 * never inside a run of digits or Latin letters, so the right edge stays
 * straight and "1208" never reads "1 2 0 8".  Adjacent full-width marks
 * share their blank halves (标点挤压: "）、" is 1.5 em).  The squeezes
 * assume mainland (GB) faces, whose 。，、 sit in the left half of the em
 * box and （“ in the right half.  A table's column widths are chosen from
 * the cells' own text by layout_columns.c.  Hand-written because no
 * library does this for a caller-measured grid.
 */
#include "layout_int.h"
#include "text.h"
#include "util.h"

#include <linebreak.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
#define ZWSP 0x200Bu

/* The decoder is text.c's, the program's one (layout.h). */
size_t
layout_decode(const char *s, uint32_t **out)
{
	return utf8_decode(s, out);
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

/* ---- classes of characters ------------------------------------------------ */

/* Digits, Latin letters and the ASCII signs inside numbers and words: a
 * run of them keeps its own spacing ("2.5", "DB-2017-01", "12%"). */
static bool
is_western(uint32_t c)
{
	return (c > 0x20 && c < 0x7F) ||
	    (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* Full-width closing marks whose glyph sits in the left half of the em
 * box (GB faces): their right half may be squeezed out.  ？！ are left
 * out: faces differ in where they put them. */
static const uint32_t sq_closing[] = {
	0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF09, 0x300D, 0x300F,
	0x201D, 0x2019, 0x300B, 0x3009, 0x3011, 0x3015, 0x3017,
};
/* Full-width opening marks: glyph in the right half, the left one blank. */
static const uint32_t sq_opening[] = {
	0xFF08, 0x300C, 0x300E, 0x201C, 0x2018, 0x300A, 0x3008, 0x3010,
	0x3014, 0x3016,
};

static bool
is_closing(uint32_t c)
{
	return in_list(sq_closing, ARRAY_LEN(sq_closing), c);
}

static bool
is_opening(uint32_t c)
{
	return in_list(sq_opening, ARRAY_LEN(sq_opening), c);
}

/* Does the gap after character k (before k + 1) take justification? */
static bool
stretches(const uint32_t *cp, size_t k)
{
	return !(is_western(cp[k]) && is_western(cp[k + 1])) &&
	    cp[k + 1] != ZWSP;
}

/* ---- a paragraph prepared once (struct lay_text: layout_int.h) ------------- */

/* A character's squeeze (0 where the text has no mark to squeeze). */
#define SQ0(t, i)     ((t)->sq0 ? (t)->sq0[i] : 0.0)
#define SQ(t, i)      ((t)->sq ? (t)->sq[i] : 0.0)

/* Can character k give up half its box (a full-width mark)? */
static bool
squeezable(const lay_text_t *t, size_t k)
{
	return t->em > 0 && t->adv[k] >= 0.9 * t->em &&
	    (is_closing(t->cp[k]) || is_opening(t->cp[k]));
}

bool
layout_has_marks(const uint32_t *cp, const double *adv, size_t n, double em)
{
	for (size_t i = 0; em > 0 && i < n; i++)
		if (adv[i] >= 0.9 * em && (is_closing(cp[i]) || is_opening(cp[i])))
			return true;
	return false;
}

lay_text_t *
layout_text_new(const uint32_t *cp, const double *adv, size_t n,
    const unsigned char *keep, double em)
{
	lay_text_t *t = xcalloc(1, sizeof *t);
	double seg = 0, kseg = 0, line = 0, half = em / 2;

	t->cp = cp;
	t->adv = adv;
	t->n = n;
	t->keep = keep;
	t->em = em > 0 ? em : 0;
	t->brk = n ? breaks(cp, n) : NULL;
	/* the squeezes only where a mark may give way (a long title of
	 * ideographs needs none: 16 bytes a character saved) */
	for (size_t i = 0; t->em > 0 && i < n && !t->sq0; i++)
		if (squeezable(t, i)) {
			t->sq0 = xcalloc(n + 1, sizeof *t->sq0);
			t->sq = xcalloc(n + 1, sizeof *t->sq);
		}
	for (size_t i = 0; t->sq0 && i + 1 < n; i++) {
		if (!squeezable(t, i) || !squeezable(t, i + 1))
			continue;
		if (is_closing(cp[i]) && is_closing(cp[i + 1]))
			t->sq0[i] = half;          /* "）、" "。”" */
		else if (is_opening(cp[i + 1]))
			t->sq0[i + 1] = half;      /* "，“" "（“" */
	}
	for (size_t i = 0; i < n; i++) {
		double b = adv[i] - SQ0(t, i);

		seg += b;
		kseg += b;
		line += b;
		if (t->brk[i] != LINEBREAK_NOBREAK) {
			if (seg > t->minw)
				t->minw = seg;
			seg = 0;
			if (!keep || keep[i] == LAY_BREAK ||
			    t->brk[i] == LINEBREAK_MUSTBREAK) {
				if (kseg > t->keepw)
					t->keepw = kseg;
				kseg = 0;
			}
		}
		if (t->brk[i] == LINEBREAK_MUSTBREAK) {
			if (line > t->maxw)
				t->maxw = line;
			line = 0;
		}
	}
	if (seg > t->minw)
		t->minw = seg;
	if (kseg > t->keepw)
		t->keepw = kseg;
	if (line > t->maxw)
		t->maxw = line;
	if (t->keepw < t->minw)
		t->keepw = t->minw;
	return t;
}

void
layout_text_free(lay_text_t *t)
{
	if (!t)
		return;
	free(t->brk);
	free(t->sq0);
	free(t->sq);
	free(t->ws);
	free(t->ls);
	free(t->bs);
	free(t);
}

/*
 * 挤进: character i (a closing mark that may not start a line) does not
 * fit on the line [start, i) of width w.  When the line's marks can give
 * up enough of their blank halves, i and what must go with it stay on the
 * line: the squeezes are set in t->sq (i's own first, then the others
 * evenly) and *end is where the line ends.  Returns whether it did.
 */
static bool
squeeze_in(lay_text_t *t, size_t start, size_t i, double w, double avail,
    size_t *end)
{
	const double eps = 1e-6, half = t->em / 2;
	size_t j = i, nin = 0;
	double over = w - avail, room = 0, rest;

	if (t->em <= 0 || i == start || t->brk[i - 1] == LINEBREAK_ALLOWBREAK ||
	    !squeezable(t, i) || !is_closing(t->cp[i]))
		return false;
	/* the characters that must go with it ("。”") */
	while (j + 1 < t->n && t->brk[j] == LINEBREAK_NOBREAK && j - i < 3)
		j++;
	if (j + 1 < t->n && (t->brk[j] == LINEBREAK_NOBREAK ||
	    (t->keep && t->keep[j] != LAY_BREAK)))
		return false;
	for (size_t k = i; k <= j; k++)
		over += t->adv[k] - t->sq[k];
	for (size_t k = start; k <= j; k++)
		if (squeezable(t, k) && !(k == start && is_opening(t->cp[k])))
			room += half - t->sq[k];
	if (over > room + eps)
		return false;
	/* the marks that do not fit first, from the line's end */
	for (size_t k = j + 1; k-- > i && over > eps;)
		if (squeezable(t, k)) {
			double d = fmin(half - t->sq[k], over);

			t->sq[k] += d;
			over -= d;
		}
	/* then the others, evenly (none more than its half) */
	for (size_t k = start; k < i; k++)
		if (squeezable(t, k) && !(k == start && is_opening(t->cp[k])) &&
		    t->sq[k] < half - eps)
			nin++;
	while (over > eps && nin > 0) {
		size_t full = 0;

		rest = over / (double)nin;
		for (size_t k = start; k < i; k++) {
			double d;

			if (!squeezable(t, k) || (k == start && is_opening(t->cp[k])) ||
			    t->sq[k] >= half - eps)
				continue;
			d = fmin(half - t->sq[k], rest);
			t->sq[k] += d;
			over -= d;
			if (t->sq[k] >= half - eps)
				full++;
		}
		nin -= full;
		if (full == 0)
			break;
	}
	*end = j + 1;
	return true;
}

/* Finishes the line [start, end): its width, justification. */
static void
finish_line(lay_line_t *l, const lay_text_t *t, size_t start, size_t end,
    double avail, const lay_opts_t *o, bool last)
{
	const uint32_t *cp = t->cp;
	size_t vis = end;

	while (vis > start && (is_space(cp[vis - 1]) || cp[vis - 1] == '\n'))
		vis--;
	l->start = start;
	l->end = end;
	l->natural = 0;
	l->ngaps = 0;
	for (size_t i = start; i < vis; i++) {
		l->natural += t->adv[i] - SQ(t, i);
		if (i + 1 < vis && stretches(cp, i))
			l->ngaps++;
	}
	l->last = last;
	l->extra = 0;
	if (o->justify && !last && l->ngaps > 0 && avail > l->natural)
		l->extra = (avail - l->natural) / (double)l->ngaps;
}

/*
 * Sets t at o's widths: the lines into *out (NULL: only counted), the
 * squeezes into t->sq, whether a kept phrase broke into *broke, and into
 * *next (when not NULL) the narrowest wider width at which a line would
 * take the next piece (steps_build).  Returns the number of lines.
 */
size_t
layout_set_text(lay_text_t *t, const lay_opts_t *o, lay_line_t **out, bool *broke,
    double *next)
{
	const uint32_t *cp = t->cp;
	const double *adv = t->adv;
	size_t n = t->n, nv = 0, cap = 0, start = 0;
	lay_line_t *v = NULL, one;
	const double eps = 1e-6;

	if (broke)
		*broke = false;
	if (next)
		*next = INFINITY;
	if (t->sq)
		memcpy(t->sq, t->sq0, n * sizeof *t->sq);
	while (start < n || nv == 0) {
		double ind = nv == 0 ? o->first_indent : o->indent;
		double avail = o->width - ind, w = 0;
		size_t i = start, ok = NONE, soft = NONE, hard = NONE, end;
		bool forced = false, kbroke = false;
		lay_line_t *l;

		/* an opening mark starting a line keeps its full box (the
		 * mark it shared its blank with is on the line before) */
		if (t->sq && start > 0 && start < n && is_opening(cp[start]))
			t->sq[start] = 0;
		for (; i < n; i++) {
			double b = adv[i] - SQ(t, i);

			/* trailing spaces may hang past the edge */
			if (w + b > avail + eps && !is_space(cp[i]))
				break;
			w += b;
			if (t->brk[i] == LINEBREAK_MUSTBREAK && i + 1 < n) {
				forced = true;
				i++;
				break;
			}
			if (t->brk[i] == LINEBREAK_ALLOWBREAK) {
				unsigned k = t->keep ? t->keep[i] : LAY_BREAK;

				if (k == LAY_BREAK)
					ok = i;
				else if (k == LAY_KEEP_SOFT)
					soft = i;
				else
					hard = i;
			}
		}
		if (i >= n || forced)
			end = i;
		else if (squeeze_in(t, start, i, w, avail, &end))
			;
		else if (ok != NONE)
			end = ok + 1;
		else if (soft != NONE) {
			end = soft + 1;
			kbroke = true;
		} else if (hard != NONE) {
			end = hard + 1;
			kbroke = true;
		} else {
			/* cut a too-long word, if possible where the next line
			 * does not start with closing punctuation */
			end = i > start ? i : start + 1;
			for (size_t k = end; k > start + 1; k--)
				if (!in_list(no_start, ARRAY_LEN(no_start), cp[k]) &&
				    !in_list(no_end, ARRAY_LEN(no_end), cp[k - 1])) {
					end = k;
					break;
				}
			kbroke = t->keep && end < n && t->keep[end - 1] != LAY_BREAK;
		}
		if (out) {
			xgrow(&v, &cap, nv + 1, sizeof *v);
			l = &v[nv];
		} else
			l = &one;
		finish_line(l, t, start, end, avail, o, end >= n || forced);
		l->indent = ind;
		l->broke_keep = kbroke;
		if (next && !l->last) {
			/* the width at which this line takes the next piece (a
			 * line the keeps or a mark ended early is no guide: it
			 * already had the room) */
			double piece = l->natural;

			for (size_t k = end; k < n; k++) {
				piece += adv[k] - SQ0(t, k);
				if (t->brk[k] != LINEBREAK_NOBREAK)
					break;
			}
			if (piece > o->width + 1e-3 && piece < *next)
				*next = piece;
		}
		if (kbroke && broke)
			*broke = true;
		nv++;
		start = end;
		if (n == 0)
			break;
	}
	if (out)
		*out = v;
	return nv;
}

size_t
layout_break(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, lay_line_t **lines)
{
	lay_text_t *t = layout_text_new(cp, adv, n, o->keep, o->em);
	size_t nl = layout_set_text(t, o, lines, NULL, NULL);

	if (o->squeeze && n > 0) {
		if (t->sq)
			memcpy(o->squeeze, t->sq, n * sizeof *o->squeeze);
		else
			memset(o->squeeze, 0, n * sizeof *o->squeeze);
	}
	layout_text_free(t);
	return nl;
}

void
layout_place(const uint32_t *cp, const double *adv, const double *squeeze,
    const lay_line_t *l, double *x)
{
	double pos = 0;

	for (size_t k = l->start; k < l->end; k++) {
		double s = squeeze ? squeeze[k] : 0;

		x[k - l->start] = pos - (is_opening(cp[k]) ? s : 0);
		pos += adv[k] - s;
		if (k + 1 < l->end && stretches(cp, k))
			pos += l->extra;
	}
	x[l->end - l->start] = pos;
}

size_t
layout_keep_phrases(const uint32_t *cp, size_t n,
    const uint32_t *const *phr, const size_t *plen, size_t nphr,
    unsigned char *keep)
{
	static const uint32_t parts[] = {
		0x7701, 0x5E02, 0x5DDE, 0x53BF, 0x533A, 0x9547, 0x4E61, 0x5C40,
		0x9662, ')', 0xFF09,
	};   /* 省 市 州 县 区 镇 乡 局 院 ) ） */
	/* the phrases by their first character, in 256 chains */
	size_t head[256], *link = xmalloc((nphr + 1) * sizeof *link), found = 0;

	for (size_t b = 0; b < 256; b++)
		head[b] = NONE;
	for (size_t k = nphr; k-- > 0;)
		if (plen[k] >= 2) {
			link[k] = head[phr[k][0] & 255];
			head[phr[k][0] & 255] = k;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t k = head[cp[i] & 255]; k != NONE; k = link[k]) {
			size_t m = plen[k];

			if (i + m > n || cp[i] != phr[k][0] ||
			    memcmp(cp + i, phr[k], m * sizeof *cp) != 0)
				continue;
			for (size_t j = i; j + 1 < i + m; j++) {
				unsigned char v = in_list(parts, ARRAY_LEN(parts),
				    cp[j]) ? LAY_KEEP_SOFT : LAY_KEEP;

				if (v > keep[j])
					keep[j] = v;
			}
			found++;
		}
	free(link);
	return found;
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
	lay_text_t *t = layout_text_new(cp, adv, n, o->keep, o->em);
	lay_line_t *greedy = NULL, *v;
	size_t k = layout_set_text(t, o, &greedy, NULL, NULL);
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
		greedy = NULL;
		goto cleanup;
	}
	pre = xmalloc((n + 1) * sizeof *pre);
	lev = xmalloc((n + 1) * sizeof *lev);
	pre[0] = 0;
	for (size_t i = 0; i < n; i++)
		pre[i + 1] = pre[i] + adv[i] - SQ0(t, i);
	for (size_t i = 1; i < n; i++)
		lev[i] = t->brk[i - 1] == LINEBREAK_ALLOWBREAK ?
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
				/* an opening mark starting a line is not squeezed */
				w = pre[vis] - pre[a] + (a > 0 && is_opening(cp[a]) ?
				    SQ0(t, a) : 0);
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
	if (t->sq)
		memcpy(t->sq, t->sq0, n * sizeof *t->sq);
	for (size_t j = 0; j < k; j++) {
		lay_opts_t plain = *o;

		plain.justify = false;
		if (t->sq && j > 0 && is_opening(cp[cut[j]]))
			t->sq[cut[j]] = 0;
		finish_line(&v[j], t, cut[j], cut[j + 1],
		    o->width - (j ? o->indent : o->first_indent), &plain,
		    j + 1 == k);
		v[j].indent = j ? o->indent : o->first_indent;
	}
	*lines = v;
cleanup:
	if (o->squeeze && n > 0) {
		if (t->sq)
			memcpy(o->squeeze, t->sq, n * sizeof *o->squeeze);
		else
			memset(o->squeeze, 0, n * sizeof *o->squeeze);
	}
	layout_text_free(t);
	free(greedy);
	free(pre);
	free(lev);
	free(cost);
	free(from);
	free(cut);
	return k;
}

