/*
 * layout.h - Chinese line breaking for the PDF backend: where the lines of
 * a paragraph end and how much character spacing justifies each one.  Knows
 * nothing of fonts or PDF: the caller gives each character's advance.
 * Included by render_pdf.c and the tests.
 */
#ifndef TB_LAYOUT_H
#define TB_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lay_line {
	size_t start, end;   /* characters [start, end) of the paragraph */
	double natural;      /* sum of their advances, trailing spaces excluded */
	double extra;        /* space added after each character but the last
	                        to justify the line (0 when not justified) */
	double indent;       /* where the line starts, from the block's left */
	bool   last;         /* the paragraph's last line */
} lay_line_t;

typedef struct lay_opts {
	double width;        /* line width */
	double first_indent; /* indent of the first line */
	double indent;       /* indent of the other lines */
	bool   justify;      /* justify every line but the last */
} lay_opts_t;

/*
 * Decodes UTF-8 into a newly allocated array of code points (caller frees);
 * invalid bytes become U+FFFD, so nothing is ever silently dropped.
 * Returns the count.
 */
size_t layout_decode(const char *s, uint32_t **out);

/*
 * Breaks the n characters cp[] with advances adv[] into lines following
 * UAX #14 (libunibreak): no line starts with closing punctuation or ends
 * with opening punctuation, digits and Latin words stay whole, and a digit
 * stays with the ideograph after it ("2017年").  A word wider than the line
 * is cut where it must.  Returns the number of lines in *lines (newly
 * allocated, caller frees; at least one line, possibly empty).
 */
size_t layout_break(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, lay_line_t **lines);

/*
 * A title (GB/T 9704 7.3.3: 回行时词意完整，排列对称): set in as few lines
 * as layout_break needs, but at the breaks that keep phrases whole and
 * the lines even.  Break positions are ranked: after a zero-width space
 * U+200B (the template's own mark, drawn as nothing) first, then phrase
 * boundaries (before an opening bracket, after ，、：； or 的), then the
 * boundaries of common title words (after 关于 年度 季度 系统 全省 工作 …,
 * before 通报 通知 情况 结果 政务 …), then any other; each rank costs more,
 * and so does every em by which a line differs from the average.  em is
 * the font size.  Lines are not justified.  Returns the number of lines in
 * *lines (caller frees), as layout_break.
 */
size_t layout_title(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, double em, lay_line_t **lines);

/*
 * The widest unbreakable piece of the text (*minw: the narrowest a column
 * can be without cutting a word) and the width of its longest line set
 * without breaks (*maxw).
 */
void   layout_widths(const uint32_t *cp, const double *adv, size_t n,
    double *minw, double *maxw);

#endif
