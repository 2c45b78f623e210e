/*
 * render_pdf_page.c - the PDF backend's painter (render_pdf_int.h): the
 * marks of the tagged PDF, text drawn as type, pages and their grid, and
 * paragraphs set on the grid.
 *
 * Text is set as type, then painted (DESIGN.md): layout.c says where each
 * character goes (line breaks, 标点挤压, justification outside runs of
 * digits and Latin letters, table columns); rp_draw_shaped only draws
 * glyphs there, in runs of equal spacing, a squeezed pair as a Span that
 * carries its text (/ActualText) for text extraction.  What is drawn is
 * marked content of the element being drawn (rp_tag_open), or an
 * artifact (rp_art_begin: page numbers, rules, repeated header rows).
 *
 * Fonts come from fonts.c, character by character, so every glyph drawn
 * exists in the font drawing it; a zero-width space (a break mark in the
 * wording) takes no room and is not drawn.  libharu keeps the objects of
 * the file; the operators of each page are written by pdfpen.c (compact:
 * state set only when it changes, relative moves, exact short numbers),
 * a table's rules once per row boundary and column edge, and all pages
 * share their MediaBox and one resource dictionary (fonts/README.md has
 * the sizes).
 */
#include "render_pdf_int.h"
#include "hpdfx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE_         ((size_t)-1)

/* ---- tagging ------------------------------------------------------------ */

/* Opens a new element of the given type, the last child of the current
 * one, and makes it current; returns the one to go back to (rp_tag_close). */
int
rp_tag_open(rd_t *r, const char *type)
{
	int prev = r->tcur;

	r->tcur = tag_add(&r->tags, prev, type);
	return prev;
}

void
rp_tag_close(rd_t *r, int prev)
{
	r->tcur = prev;
}

/* What is drawn until rp_art_end() is an artifact of the given kind. */
long
rp_art_begin(rd_t *r, long kind)
{
	long prev = r->art;

	r->art = kind;
	return prev;
}

void
rp_art_end(rd_t *r, long prev)
{
	r->art = prev;
}

/*
 * Makes sure that what is drawn next is inside the right marked-content
 * sequence: an artifact's, or one of the current element's on this page
 * (a new MCID when another sequence, or none, is open).
 */
void
rp_mark(rd_t *r)
{
	long want = r->art ? r->art : r->tcur;
	char props[32];

	if (r->pen.mark == want)
		return;
	if (r->art)
		pen_mark(&r->pen, want, "Artifact", r->art == ART_PAGE ?
		    "/Type/Pagination" : "/Type/Layout", NULL, 0);
	else {
		snprintf(props, sizeof props, "/MCID %d", tag_mcid(&r->tags,
		    r->tcur, r->npages - 1));
		pen_mark(&r->pen, want, r->tags.e[r->tcur].type, props, NULL, 0);
	}
}

/* A squeezed run of n characters cp (rp_draw_shaped) as a Span of the current
 * element whose marked content carries their text: poppler reads the
 * /ActualText of a marked-content sequence, not of an element. */
static void
mark_span(rd_t *r, const uint32_t *cp, size_t n)
{
	int e = tag_add(&r->tags, r->tcur, "Span");
	char props[32];

	snprintf(props, sizeof props, "/MCID %d", tag_mcid(&r->tags, e,
	    r->npages - 1));
	pen_mark(&r->pen, KEY_SPAN, "Span", props, cp, n);
}

void
rp_hpdf_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
	rd_t *r = user;

	r->herr = err;
	r->hdetail = detail;
}

/* True when libharu is in an error state; reports it once. */
bool
rp_hpdf_failed(rd_t *r, const char *what)
{
	if (HPDF_GetError(r->pdf) == HPDF_OK && !r->failed)
		return false;
	if (!r->failed)
		diag_error(r->dl, NULL, 0, "PDF: libharu error 0x%04X (detail %u)"
		    " while %s", (unsigned)r->herr, (unsigned)r->hdetail, what);
	r->failed = true;
	return true;
}

/* Records a failure of libharu's while what, even one libharu did not
 * flag itself (a NULL it returned): the document then fails. */
void
rp_hpdf_fail(rd_t *r, const char *what)
{
	if (!rp_hpdf_failed(r, what)) {
		diag_error(r->dl, NULL, 0, "PDF: libharu failed while %s", what);
		r->failed = true;
	}
}

/* ---- text ------------------------------------------------------------- */

void
rp_shaped_free(shaped_t *s)
{
	free(s->cp);
	free(s->adv);
	memset(s, 0, sizeof *s);
}

/* Decodes and measures text in style st (substitutes applied): each
 * advance is the glyph's plus the style's tracking, the same for every
 * character (a run of digits stays evenly spaced, and in one text run). */
void
rp_shape(rd_t *r, const style_t *st, const char *text, shaped_t *s)
{
	s->n = layout_decode(text ? text : "", &s->cp);
	s->adv = xmalloc((s->n + 1) * sizeof *s->adv);
	for (size_t i = 0; i < s->n; i++) {
		int w = 0;

		if (s->cp[i] == ZWSP) {
			/* a break mark of the wording: takes no room */
			s->adv[i] = 0;
			continue;
		}
		fonts_pick(r->fonts, st->role, &s->cp[i], &w, NULL);
		s->adv[i] = w * st->size / 1000.0 + st->track;
	}
}

double
rp_shaped_width(const shaped_t *s, size_t a, size_t b)
{
	double w = 0;

	for (size_t i = a; i < b; i++)
		w += s->adv[i];
	return w;
}

/*
 * Paints characters [a, b) of s with baseline y, character a + k at
 * x + xs[k] (positions from layout_place), or, with xs NULL, one after the
 * other by their advances.  Consecutive characters of one font that are
 * each followed by the same space (beyond the glyph's own advance) form
 * one text run: that space is its character spacing Tc, so every glyph's
 * displacement in the file is the distance to the next one, as a reader
 * of the text measures it; one show operator (pdfpen.c keeps the text
 * object open).  Characters set closer than their glyphs' advances
 * (squeezed punctuation, 标点挤压) go in a Span carrying their text
 * (mark_span), so that a reader of the text takes them for what they
 * are; an artifact's are drawn as they are.  Returns the x after the
 * last character.
 */
double
rp_draw_shaped(rd_t *r, const style_t *st, const shaped_t *s, size_t a,
    size_t b, double x, double y, const double *xs)
{
	size_t n = b - a, nd = 0;
	double *pos = xmalloc((n + 1) * sizeof *pos), end;
	/* the characters drawn (not a zero-width space), their fonts,
	 * codes, glyph advances and the space after each */
	size_t *d = xmalloc((n + 1) * sizeof *d);
	HPDF_Font *font = xcalloc(n + 1, sizeof *font);
	uint16_t *code = xcalloc(n + 1, sizeof *code), *run;
	double *gw = xcalloc(n + 1, sizeof *gw), *after = xcalloc(n + 1,
	    sizeof *after);
	/* span[k]: 1 where a span starts at drawn character k, 2 where one
	 * ends with it */
	unsigned char *span = xcalloc(n + 1, 1);
	bool *blank = xcalloc(n + 1, sizeof *blank);
	pdfpen_t *p = &r->pen;
	size_t open_at = NONE_;
	bool in_span = false;

	run = xmalloc((n + 1) * sizeof *run);
	pos[0] = x;
	for (size_t i = a; i < b; i++)
		pos[i - a + 1] = pos[i - a] + s->adv[i];
	if (xs)
		for (size_t i = a; i <= b; i++)
			pos[i - a] = x + xs[i - a];
	end = pos[n];
	for (size_t i = a; i < b; i++) {
		uint32_t c = s->cp[i];
		int w = 0;
		unsigned cid = 0;

		if (c == ZWSP)
			continue;
		font[nd] = fonts_pick(r->fonts, st->role, &c, &w, &cid);
		if (!font[nd])
			goto done;
		if (cid == 0)
			continue;     /* nothing to draw it with (fonts.h) */
		d[nd] = i - a;
		code[nd] = (uint16_t)cid;
		gw[nd] = w * st->size / 1000.0;
		blank[nd] = c == ' ';
		nd++;
	}
	for (size_t k = 0; k < nd; k++)
		after[k] = (k + 1 < nd ? pos[d[k + 1]] : end) - pos[d[k]] - gw[k];
	/* the glyphs that overlap the next by more than a tenth of an em,
	 * in chains */
	for (size_t k = 0; k + 1 < nd; k++)
		if (after[k] < -0.1 * st->size) {
			if (open_at == NONE_)
				open_at = k;
		} else if (open_at != NONE_) {
			span[open_at] |= 1;
			span[k] |= 2;
			open_at = NONE_;
		}
	if (open_at != NONE_) {
		span[open_at] |= 1;
		span[nd - 1] |= 2;
	}
	pen_fill_rgb(p, st->color.r, st->color.g, st->color.b);
	for (size_t k = 0; k < nd;) {
		size_t j = k + 1, len = 0;
		bool empty = blank[k];

		if ((span[k] & 1) && !r->art) {
			size_t e = k;

			while (e + 1 < nd && !(span[e] & 2))
				e++;
			mark_span(r, s->cp + a + d[k], d[e] - d[k] + 1);
			in_span = true;
		}
		/* a run never crosses a span's edge */
		while (j < nd && font[j] == font[k] &&
		    fabs(after[j] - after[k]) <= 5e-5 && !(span[j] & 1) &&
		    !(span[j - 1] & 2)) {
			empty = empty && blank[j];
			j++;
		}
		for (size_t i = k; i < j; i++)
			run[len++] = code[i];
		/* a run of spaces need not be drawn */
		if (!empty) {
			const char *name = HPDF_Page_GetLocalFontName(r->page,
			    font[k]);

			if (!name) {
				rp_hpdf_fail(r, "adding a font to a page");
				goto done;
			}
			if (!in_span)
				rp_mark(r);
			pen_text(p, name, st->size, after[k], 0,
			    pos[d[k]], y, run, len);
		}
		if ((span[j - 1] & 2) && in_span) {
			pen_unmark(p);
			in_span = false;
		}
		k = j;
	}
done:
	free(pos);
	free(d);
	free(font);
	free(code);
	free(run);
	free(gw);
	free(after);
	free(span);
	free(blank);
	return end;
}

/*
 * Paints line l of s (set by layout_break or layout_title with the
 * squeezes sq) from x, baseline y: each character where layout_place
 * puts it.
 */
void
rp_draw_line(rd_t *r, const style_t *st, const shaped_t *s, const double *sq,
    const lay_line_t *l, double x, double y)
{
	double *xs = xmalloc((l->end - l->start + 1) * sizeof *xs);

	layout_place(s->cp, s->adv, sq, l, xs);
	rp_draw_shaped(r, st, s, l->start, l->end, x, y, xs);
	free(xs);
}

/* ---- pages ------------------------------------------------------------ */

/*
 * "— N —": the figures between two 一字线, half an em from each (the
 * half-width space of a 宋体; set as a gap rather than as a space, whose
 * width is the face's own: a third of an em in FandolSong).
 */
static void
draw_page_number(rd_t *r)
{
	int n = r->npages - r->first;   /* numbered per document */
	char *t = xasprintf("%d", n);
	shaped_t s = {0}, dash = {0};
	double w, wd, gap = PAGENO_PT / 2, x, y;
	long art = rp_art_begin(r, ART_PAGE);

	rp_shape(r, &ST_PAGENO, t, &s);
	rp_shape(r, &ST_PAGENO, "\xE2\x80\x94", &dash);
	wd = rp_shaped_width(&dash, 0, dash.n);
	w = rp_shaped_width(&s, 0, s.n) + 2 * (wd + gap);
	/* the top of the figures 7 mm below the block */
	y = BLOCK_BOT - 7.0 * MM - PAGENO_PT * 0.8;
	if (n % 2)
		x = BLOCK_L + BLOCK_W - PAGENO_PT - w;
	else
		x = BLOCK_L + PAGENO_PT;
	x = rp_draw_shaped(r, &ST_PAGENO, &dash, 0, dash.n, x, y, NULL) + gap;
	x = rp_draw_shaped(r, &ST_PAGENO, &s, 0, s.n, x, y, NULL) + gap;
	rp_draw_shaped(r, &ST_PAGENO, &dash, 0, dash.n, x, y, NULL);
	rp_art_end(r, art);
	rp_shaped_free(&s);
	rp_shaped_free(&dash);
	free(t);
}

/*
 * Ends the current page's content: what the pen wrote goes into the
 * page's content stream.  Returns 0, or -1 on a libharu error.
 */
int
rp_page_flush(rd_t *r)
{
	if (r->land)
		pen_restore(&r->pen);
	r->land = false;
	pen_end_page(&r->pen);
	if (!r->page || r->pen.out.len == 0)
		return 0;
	if (hpdfx_page_write(r->page, r->pen.out.data, r->pen.out.len) != 0) {
		rp_hpdf_fail(r, "writing a page");
		return -1;
	}
	r->pen.out.len = 0;
	return 0;
}

/*
 * What every page of the file shares, set on a new page: the A4 MediaBox,
 * inherited from the root of the page tree, and one resource dictionary,
 * with the fonts under the same names on every page (libharu writes both
 * on every page, and libharu's obsolete ProcSet: 150 bytes a page).
 * Returns 0, or -1 on a libharu error.
 */
static int
page_shared(rd_t *r)
{
	return hpdfx_page_share(r->pdf, r->page, &r->res, &r->resfonts,
	    PAGE_W, PAGE_H);
}

int
rp_new_page(rd_t *r, bool numbered)
{
	if (rp_page_flush(r) != 0)
		return -1;
	if (r->ireuse < r->nreuse) {
		/* a page of a first attempt (render_doc): wiped, drawn again */
		r->page = r->reuse[r->ireuse++];
		hpdfx_page_wipe(r->page);
	} else if ((r->page = HPDF_AddPage(r->pdf)) != NULL &&
	    page_shared(r) != 0) {
		rp_hpdf_fail(r, "adding a page");
		return -1;
	}
	if (!r->page || rp_hpdf_failed(r, "adding a page"))
		return -1;
	r->npages++;
	if (numbered)
		draw_page_number(r);
	if (r->want_land) {
		/* the landscape frame: (u, v) drawn at (BLOCK_L + BLOCK_W -
		 * v, BLOCK_BOT + u) */
		pen_save(&r->pen);
		pen_rotate(&r->pen, BLOCK_L + BLOCK_W, BLOCK_BOT);
		r->land = true;
	}
	r->y = FTOP(r);
	return rp_hpdf_failed(r, "starting a page") ? -1 : 0;
}

/* The grid line at or below r->y: its index, or -1 when the page is full. */
static int
grid_index(const rd_t *r)
{
	double k = ceil((FTOP(r) - r->y) / PITCH - 1e-6);

	if (k < 0)
		k = 0;
	return k >= FLINES(r) ? -1 : (int)k;
}

/*
 * Takes the next grid line (a new page when the page is full) and returns
 * the baseline for text of the given size centred in it.
 */
int
rp_next_line(rd_t *r, double size, double *baseline)
{
	int k = grid_index(r);
	double top;

	if (k > 0 && r->break_before > 0 && r->lineno + 1 == r->break_before)
		k = -1;
	if (k < 0) {
		if (rp_new_page(r, true) != 0)
			return -1;
		k = 0;
	}
	r->lineno++;
	top = FTOP(r) - k * PITCH;
	*baseline = top - PITCH / 2 - size * 0.36;
	r->y = top - PITCH;
	return 0;
}

/* Lines left on the page from r->y. */
int
rp_lines_left(const rd_t *r)
{
	int k = grid_index(r);

	return k < 0 ? 0 : FLINES(r) - k;
}

void
rp_skip_lines(rd_t *r, int n)
{
	int k = grid_index(r);

	if (k < 0)
		return;
	r->y = FTOP(r) - (k + n) * PITCH;
	if (r->y < FBOT(r))
		r->y = FBOT(r) - 1;
}

/* ---- paragraphs on the grid ------------------------------------------- */

/*
 * Sets text as grid lines in style st.  Returns 0, or -1 on a libharu
 * error.
 */
static int
grid_para(rd_t *r, const style_t *st, const char *text, const para_opts_t *po)
{
	shaped_t s = {0};
	lay_line_t *lines = NULL;
	lay_opts_t lo;
	size_t nl;
	int rc = 0;

	rp_shape(r, st, text, &s);
	memset(&lo, 0, sizeof lo);
	lo.width = FW(r) - po->right;
	lo.first_indent = po->first_indent;
	lo.indent = po->indent;
	lo.justify = po->justify;
	lo.em = st->size;
	lo.squeeze = xcalloc(s.n + 1, sizeof *lo.squeeze);
	if (po->balance)
		nl = layout_title(s.cp, s.adv, s.n, &lo, st->size, &lines);
	else
		nl = layout_break(s.cp, s.adv, s.n, &lo, &lines);
	if (po->hang_at > 0 && nl > 1) {
		/* GB/T 9704 7.3.4: the lines after the first start under the
		 * character hang_at of the first line, as it is set there */
		double *xs = xmalloc((lines[0].end - lines[0].start + 1) *
		    sizeof *xs);

		layout_place(s.cp, s.adv, lo.squeeze, &lines[0], xs);
		if (po->hang_at < lines[0].end)
			lo.indent = lines[0].indent + xs[po->hang_at -
			    lines[0].start];
		free(xs);
		free(lines);
		nl = layout_break(s.cp, s.adv, s.n, &lo, &lines);
	}
	for (size_t i = 0; i < nl; i++) {
		double y, x, avail = lo.width - lines[i].indent;

		if (rp_next_line(r, st->size, &y) != 0) {
			rc = -1;
			break;
		}
		x = FL(r) + lines[i].indent;
		if (po->align == ALIGN_CENTER)
			x += (avail - lines[i].natural) / 2;
		else if (po->align == ALIGN_RIGHT)
			x += avail - lines[i].natural;
		rp_draw_line(r, st, &s, lo.squeeze, &lines[i], x, y);
	}
	free(lines);
	free(lo.squeeze);
	rp_shaped_free(&s);
	return rc;
}

/* grid_para as an element of the given type. */
int
rp_tagged_para(rd_t *r, const char *type, const style_t *st, const char *text,
    const para_opts_t *po)
{
	int prev = rp_tag_open(r, type), rc = grid_para(r, st, text, po);

	rp_tag_close(r, prev);
	return rc;
}

int
rp_body_para(rd_t *r, const char *type, const style_t *st, const char *text)
{
	para_opts_t po = {2 * CELL, 0, 0, ALIGN_LEFT, true, false, 0};

	return rp_tagged_para(r, type, st, text, &po);
}
