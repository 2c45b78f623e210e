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

/* The break opportunities after each character (LINEBREAK_*); caller frees. */
static char *
breaks(const uint32_t *cp, size_t n)
{
	char *brk = xmalloc(n);

	init_linebreak();
	set_linebreaks_utf32((const utf32_t *)cp, n, "zh", brk);
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
