/*
 * layout.h - Chinese text set as type for the PDF backend: where the lines
 * of a paragraph end, how its punctuation is squeezed (标点挤压), where each
 * character goes on its line, and how wide the columns of a table are.
 * Knows nothing of fonts or PDF: the caller gives each character's advance.
 * Included by the render_pdf*.c files and the tests.
 */
#ifndef TB_LAYOUT_H
#define TB_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lay_line {
	size_t start, end;   /* characters [start, end) of the paragraph */
	double natural;      /* the width of their boxes (advances less the
	                        squeezes), trailing spaces excluded */
	double extra;        /* space added at each of the ngaps gaps to
	                        justify the line (0 when not justified) */
	size_t ngaps;        /* gaps that take justification: every gap but
	                        those inside a run of digits or Latin letters */
	double indent;       /* where the line starts, from the block's left */
	bool   last;         /* the paragraph's last line */
	bool   broke_keep;   /* it ends inside a kept phrase (lay_opts.keep) */
} lay_line_t;

/* lay_opts.keep[i]: may the line break after character i? */
enum { LAY_BREAK = 0,      /* as UAX #14 says */
       LAY_KEEP_SOFT = 1,  /* inside a kept phrase, at the end of one of
                              its parts: where it gives way first */
       LAY_KEEP = 2 };     /* inside a kept phrase */

typedef struct lay_opts {
	double width;        /* line width */
	double first_indent; /* indent of the first line */
	double indent;       /* indent of the other lines */
	bool   justify;      /* justify every line but the last */
	double em;           /* the font size: full-width punctuation is
	                        squeezed by half of it (0: never squeezed) */
	const unsigned char *keep;  /* NULL, or one LAY_* per character: a
	                        kept phrase breaks only where a line cannot
	                        hold it (then first at LAY_KEEP_SOFT) */
	double *squeeze;     /* NULL, or filled with what each character gives
	                        up of its advance (layout_place needs it) */
} lay_opts_t;

/*
 * Decodes UTF-8 into a newly allocated array of code points (caller frees);
 * invalid bytes become U+FFFD, so nothing is ever silently dropped.
 * Returns the count.  It is text.h's utf8_decode(), the program's one
 * decoder, under the name the PDF backend knows.
 */
size_t layout_decode(const char *s, uint32_t **out);

/*
 * Breaks the n characters cp[] with advances adv[] into lines following
 * UAX #14 (libunibreak): no line starts with closing punctuation or ends
 * with opening punctuation, digits and Latin words stay whole, and a digit
 * stays with the ideograph after it ("2017年").  A word wider than the line
 * is cut where it must.
 *
 * 标点挤压 (with o->em > 0; clreq, GB/T 15834): a full-width closing mark
 * (，。、；：）”》 …) before another closing or an opening mark gives up the
 * blank half of its box, and so does an opening mark (（“《 …) after a
 * closing or opening one: "）、", "。”", "，“" are 1.5 em, not 2.  When a
 * mark that may not start a line does not fit at a line's end, the line's
 * marks give up to half an em each (that one first) to keep it on the
 * line (挤进) before a character is pushed down; an opening mark that
 * starts a line keeps its full box.
 *
 * Returns the number of lines in *lines (newly allocated, caller frees; at
 * least one line, possibly empty); fills o->squeeze when given.
 */
size_t layout_break(const uint32_t *cp, const double *adv, size_t n,
    const lay_opts_t *o, lay_line_t **lines);

/*
 * Whether any of the n characters can be squeezed at em (a full-width
 * mark): without one, lay_opts.squeeze may stay NULL.
 */
bool   layout_has_marks(const uint32_t *cp, const double *adv, size_t n,
    double em);

/*
 * Where the characters of line l go: x[k] receives the glyph origin of
 * character l->start + k from the line's start (its indent excluded), for
 * every k < l->end - l->start; x[l->end - l->start] the end of the line.
 * The boxes are the advances less the squeezes (squeeze may be NULL: none;
 * an opening mark's glyph moves left by its squeeze, as its blank half is
 * the left one), plus l->extra at each gap that takes justification: never
 * between two characters of a run of digits or Latin letters ("1208",
 * "2.5", "DB-2017-01" keep their own spacing).
 */
void   layout_place(const uint32_t *cp, const double *adv,
    const double *squeeze, const lay_line_t *l, double *x);

/*
 * A title (GB/T 9704 7.3.3: 回行时词意完整，排列对称): set in as few lines
 * as layout_break needs, but at the breaks that keep phrases whole and
 * the lines even.  Break positions are ranked: after a zero-width space
 * U+200B (the template's own mark, drawn as nothing) first, then phrase
 * boundaries (before an opening bracket, after ，、：； or 的), then the
 * boundaries of common title words (after 关于 年度 季度 系统 全省 工作 …,
 * before 通报 通知 情况 结果 政务 …), then any other; each rank costs more,
 * and so does every em by which a line differs from the average.  em is
 * the font size (also o->em's squeezing).  Lines are not justified.
 * Returns the number of lines in *lines (caller frees), as layout_break.
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

/*
 * Marks in keep[] (n entries, LAY_BREAK or more already) the inside of
 * every occurrence in cp of the nphr phrases phr[k] (code points, plen[k]
 * of them): LAY_KEEP, or LAY_KEEP_SOFT after the last character of one
 * of a unit name's parts (省 市 州 县 区 镇 乡 局 院 and a closing
 * bracket: 荆门市|沙洋县|高阳基层法律服务所).  Returns how many it found.
 */
size_t layout_keep_phrases(const uint32_t *cp, size_t n,
    const uint32_t *const *phr, const size_t *plen, size_t nphr,
    unsigned char *keep);

/* ---- tables ------------------------------------------------------------------ */

/*
 * A cell's text prepared once (break opportunities, keeps, squeezes) and
 * set at many widths while the columns are chosen.  It points into cp,
 * adv and keep (which must outlive it).
 */
typedef struct lay_text lay_text_t;

lay_text_t *layout_text_new(const uint32_t *cp, const double *adv, size_t n,
    const unsigned char *keep, double em);
void        layout_text_free(lay_text_t *t);

/* How many lines t needs at width w; *broke (may be NULL) whether one of
 * them breaks a kept phrase. */
size_t      layout_text_lines(lay_text_t *t, double w, bool *broke);

/*
 * The widths of a table's ncols columns (colw[], their sum is width) for
 * nrows rows of cells (cells[r * ncols + c]; row 0 the header; a NULL cell
 * is empty), each padded by pad on either side.  Chosen from the content
 * alone: first every column as narrow as its widest kept phrase (a unit
 * name) when all of those fit, else as its widest unbreakable piece; then
 * the room left goes, step by step, where it saves most for its width: a
 * kept phrase no longer broken counts far more than a line, a line of the
 * header's height more than one of another row's, and that more than a
 * line of a cell.  What no step
 * needs is shared by the columns in proportion to their widths.  When even
 * the unbreakable pieces do not fit, the columns share the width in
 * proportion to them (words are then cut).  *fit (may be NULL) receives
 * how good the setting is.
 */
typedef struct lay_fit {
	size_t broken;       /* cells that break a kept phrase */
	size_t head_lines;   /* the height of row 0, in lines */
	size_t lines;        /* the heights of all rows, in lines */
} lay_fit_t;

void        layout_columns(lay_text_t *const *cells, size_t nrows,
    size_t ncols, double width, double pad, double *colw, lay_fit_t *fit);

#endif
