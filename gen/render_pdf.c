/*
 * render_pdf.c - the 通报 as a PDF official document (GB/T 9704-2012 page,
 * PDF/A-1b) from the document model, through libharu; and several
 * documents in one file (the units' statements in units.pdf).
 *
 * libharu draws text at a position and nothing more, so the page is laid
 * out here (hand-written: no library knows GB/T 9704): an A4 page with a
 * 156 x 225 mm text block 37 mm from the top and 28 mm from the left; body
 * text 16 pt on a grid of 22 lines of 28 characters (characters tightened
 * by about 0.21 pt so that 28 of them fill the block); the 版头 (red issuer,
 * 发文字号, red rule; none for a document without an issuer), the title
 * (its lines broken where phrases end, layout_title), 主送, headings by
 * level, paragraphs with a two-character indent justified by character
 * spacing (line breaks from layout.c), 附件说明, signature and date (never
 * alone on a page: the document is set again with its last two text lines
 * moved over), attachments each from a new page, tables that repeat their
 * header row across pages, bar charts drawn as vector graphics, page
 * numbers "— N —" alternating right and left, and the 版记 at the foot of
 * the last even page (none without 抄送 and 印发).  Several documents in
 * one file each start on an odd page and number their pages from 1.
 *
 * Fonts come from fonts.c, character by character, so every glyph drawn
 * exists in the font drawing it; a zero-width space (a break mark in the
 * wording) takes no room and is not drawn.  libharu keeps the objects of
 * the file; the operators of each page are written by pdfpen.c (compact:
 * state set only when it changes, relative moves, exact short numbers),
 * a table's rules once per row boundary and column edge, and all pages
 * share their MediaBox and one resource dictionary (fonts/README.md has
 * the sizes).  The output is reproducible: no clock is read (the file is
 * dated doc->created, which main.c takes from the inputs), the XMP
 * DocumentID and the first /ID are a digest of what the document is, and
 * the InstanceID and second /ID an MD5 of the file's own bytes.  For
 * PDF/A-1b the XMP packet is written here
 * rather than by HPDF_PDFA_SetPDFAConformance (libharu 2.3.0 does not
 * escape it, writes /SubType, and fails on 'Z' dates), the output intent's
 * key that libharu misspells ("DestOutputProfile ") is corrected, and
 * fonts.c adds the CIDSet of each subset font.
 */
#define _GNU_SOURCE   /* memmem */
#include "render.h"
#include "fonts.h"
#include "layout.h"
#include "pdfpen.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

/* ---- the page (points) ------------------------------------------------ */

#define MM            (72.0 / 25.4)
#define PAGE_W        (210.0 * MM)
#define PAGE_H        (297.0 * MM)
#define BLOCK_L       (28.0 * MM)
#define BLOCK_W       (156.0 * MM)
#define BLOCK_H       (225.0 * MM)
#define BLOCK_TOP     (PAGE_H - 37.0 * MM)
#define BLOCK_BOT     (BLOCK_TOP - BLOCK_H)
#define GRID_LINES    22
#define GRID_CHARS    28
#define PITCH         (BLOCK_H / GRID_LINES)
#define BODY_PT       16.0
#define CELL          (BLOCK_W / GRID_CHARS)     /* one grid character */
#define TRACK         (CELL - BODY_PT)           /* about -0.21 pt */
#define TITLE_PT      22.0
#define PAGENO_PT     14.0
#define NOTE_PT       14.0                       /* 版记 4号 */
#define ZWSP          0x200Bu                    /* break mark, not drawn */
#define ICC_PATH      "/usr/share/color/icc/ghostscript/srgb.icc"

typedef struct rgb { double r, g, b; } rgb_t;
static const rgb_t RED = {0.9, 0, 0};

/* How a piece of text is set. */
typedef struct style {
	enum font_role role;
	double         size;
	double         track;     /* character spacing added to each advance */
	rgb_t          color;
	bool           bold;      /* fill then stroke: the 小标宋 substitute */
} style_t;

static const style_t ST_BODY  = {ROLE_FANGSONG, BODY_PT, TRACK, {0, 0, 0}, false};
static const style_t ST_HEI   = {ROLE_HEI, BODY_PT, TRACK, {0, 0, 0}, false};
static const style_t ST_KAI   = {ROLE_KAI, BODY_PT, TRACK, {0, 0, 0}, false};
static const style_t ST_TITLE = {ROLE_SONG, TITLE_PT, 0, {0, 0, 0}, true};
static const style_t ST_NOTE  = {ROLE_FANGSONG, NOTE_PT, 0, {0, 0, 0}, false};
static const style_t ST_PAGENO = {ROLE_SONG, PAGENO_PT, 0, {0, 0, 0}, false};

typedef struct rd {
	HPDF_Doc      pdf;
	tb_fonts_t   *fonts;
	diag_list_t  *dl;
	const doc_t  *doc;
	HPDF_Page     page;
	pdfpen_t      pen;        /* the page's content (pdfpen.c) */
	HPDF_Dict     res, resfonts;  /* the resources all pages share */
	int           npages;     /* pages of the file so far */
	int           first;      /* pages before the document's first one */
	HPDF_Page    *reuse;      /* pages to draw again (render_doc) */
	int           nreuse, ireuse;
	double        y;          /* top of the free space on the page */
	HPDF_STATUS   herr, hdetail;
	bool          failed;
	/* keeping the signature with text (GB/T 9704 7.3.5.4): grid lines
	 * set so far, a line to start a new page before (0: none), and where
	 * the last text line and the signature went */
	int           lineno, break_before;
	int           last_text_line, last_text_page, sig_page;
	HPDF_BYTE     identity[16];   /* doc_identity() */
} rd_t;

/* A shaped run of text: code points (after substitution) and advances. */
typedef struct shaped {
	uint32_t *cp;
	double   *adv;
	size_t    n;
} shaped_t;

static void
hpdf_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
	rd_t *r = user;

	r->herr = err;
	r->hdetail = detail;
}

/* True when libharu is in an error state; reports it once. */
static bool
hpdf_failed(rd_t *r, const char *what)
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
static void
hpdf_fail(rd_t *r, const char *what)
{
	if (!hpdf_failed(r, what)) {
		diag_error(r->dl, NULL, 0, "PDF: libharu failed while %s", what);
		r->failed = true;
	}
}

/* ---- text ------------------------------------------------------------- */

static void
shaped_free(shaped_t *s)
{
	free(s->cp);
	free(s->adv);
	memset(s, 0, sizeof *s);
}

/* Decodes and measures text in style st (substitutes applied). */
static void
shape(rd_t *r, const style_t *st, const char *text, shaped_t *s)
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

static double
shaped_width(const shaped_t *s, size_t a, size_t b)
{
	double w = 0;

	for (size_t i = a; i < b; i++)
		w += s->adv[i];
	return w;
}

/*
 * Draws characters [a, b) of s with baseline y from x, adding extra after
 * each character; consecutive characters of one font form one text run
 * (pdfpen.c keeps the text object open).  Returns the x after the last
 * character.
 */
static double
draw_shaped(rd_t *r, const style_t *st, const shaped_t *s, size_t a,
    size_t b, double x, double y, double extra)
{
	uint16_t *code = xmalloc((b - a + 1) * sizeof *code);
	pdfpen_t *p = &r->pen;

	pen_fill_rgb(p, st->color.r, st->color.g, st->color.b);
	if (st->bold) {
		pen_stroke_rgb(p, st->color.r, st->color.g, st->color.b);
		pen_line_width(p, st->size * 0.025);
	}
	for (size_t i = a; i < b;) {
		uint32_t c = s->cp[i];
		int w = 0;
		unsigned cid = 0;

		if (c == ZWSP) {
			i++;
			continue;
		}
		HPDF_Font f = fonts_pick(r->fonts, st->role, &c, &w, &cid), g;
		size_t j = i, len = 0;
		double x0 = x;
		bool blank = true;

		if (!f)
			break;
		while (j < b) {
			uint32_t d = s->cp[j];

			if (d == ZWSP) {
				j++;
				continue;
			}
			g = fonts_pick(r->fonts, st->role, &d, &w, &cid);
			if (g != f)
				break;
			/* the font's own code for the character (fonts.h) */
			if (cid > 0)
				code[len++] = (uint16_t)cid;
			blank = blank && d == ' ';
			x += s->adv[j] + extra;
			j++;
		}
		/* a run of spaces need not be drawn */
		if (!blank && len > 0) {
			const char *name = HPDF_Page_GetLocalFontName(r->page, f);

			if (!name) {
				hpdf_fail(r, "adding a font to a page");
				break;
			}
			pen_text(p, name, st->size, st->track + extra,
			    st->bold ? 2 : 0, x0, y, code, len);
		}
		i = j;
	}
	free(code);
	return x;
}

/* ---- pages ------------------------------------------------------------ */

static void
draw_page_number(rd_t *r)
{
	int n = r->npages - r->first;   /* numbered per document */
	char *t = xasprintf("\xE2\x80\x94 %d \xE2\x80\x94", n);
	shaped_t s = {0};
	double w, x, y;

	shape(r, &ST_PAGENO, t, &s);
	w = shaped_width(&s, 0, s.n);
	/* the top of the figures 7 mm below the block */
	y = BLOCK_BOT - 7.0 * MM - PAGENO_PT * 0.8;
	if (n % 2)
		x = BLOCK_L + BLOCK_W - PAGENO_PT - w;
	else
		x = BLOCK_L + PAGENO_PT;
	draw_shaped(r, &ST_PAGENO, &s, 0, s.n, x, y, 0);
	shaped_free(&s);
	free(t);
}

/*
 * Ends the current page's content: what the pen wrote goes into the
 * page's content stream.  Returns 0, or -1 on a libharu error.
 */
static int
page_flush(rd_t *r)
{
	HPDF_PageAttr pa;

	pen_end_page(&r->pen);
	if (!r->page || r->pen.out.len == 0)
		return 0;
	pa = (HPDF_PageAttr)r->page->attr;
	if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)r->pen.out.data,
	    (HPDF_UINT)r->pen.out.len) != HPDF_OK) {
		hpdf_fail(r, "writing a page");
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
	HPDF_PageAttr pa = (HPDF_PageAttr)r->page->attr;

	if (!r->res) {
		HPDF_Box box = {0, 0, (HPDF_REAL)PAGE_W, (HPDF_REAL)PAGE_H};
		HPDF_Array mb = HPDF_Box_Array_New(r->pdf->mmgr, box);

		if (!mb || HPDF_Dict_Add(r->pdf->root_pages, "MediaBox", mb) !=
		    HPDF_OK)
			return -1;
		r->res = HPDF_Dict_New(r->pdf->mmgr);
		if (!r->res || HPDF_Xref_Add(r->pdf->xref, r->res) != HPDF_OK)
			return -1;
		r->resfonts = HPDF_Dict_New(r->pdf->mmgr);
		if (!r->resfonts ||
		    HPDF_Dict_Add(r->res, "Font", r->resfonts) != HPDF_OK)
			return -1;
	}
	if (HPDF_Dict_GetItem(r->page, "MediaBox", HPDF_OCLASS_ARRAY))
		HPDF_Dict_RemoveElement(r->page, "MediaBox");
	if (HPDF_Dict_Add(r->page, "Resources", r->res) != HPDF_OK)
		return -1;
	pa->fonts = r->resfonts;     /* where libharu adds the page's fonts */
	return 0;
}

static int
new_page(rd_t *r, bool numbered)
{
	if (page_flush(r) != 0)
		return -1;
	if (r->ireuse < r->nreuse) {
		/* a page of a first attempt (render_doc): wiped, drawn again */
		HPDF_PageAttr pa;

		r->page = r->reuse[r->ireuse++];
		pa = (HPDF_PageAttr)r->page->attr;
		HPDF_MemStream_FreeData(pa->stream);
		pa->gmode = HPDF_GMODE_PAGE_DESCRIPTION;
	} else if ((r->page = HPDF_AddPage(r->pdf)) != NULL &&
	    page_shared(r) != 0) {
		hpdf_fail(r, "adding a page");
		return -1;
	}
	if (!r->page || hpdf_failed(r, "adding a page"))
		return -1;
	r->npages++;
	r->y = BLOCK_TOP;
	if (numbered)
		draw_page_number(r);
	return hpdf_failed(r, "starting a page") ? -1 : 0;
}

/* The grid line at or below r->y: its index, or -1 when the page is full. */
static int
grid_index(const rd_t *r)
{
	double k = ceil((BLOCK_TOP - r->y) / PITCH - 1e-6);

	if (k < 0)
		k = 0;
	return k >= GRID_LINES ? -1 : (int)k;
}

/*
 * Takes the next grid line (a new page when the page is full) and returns
 * the baseline for text of the given size centred in it.
 */
static int
next_line(rd_t *r, double size, double *baseline)
{
	int k = grid_index(r);
	double top;

	if (k > 0 && r->break_before > 0 && r->lineno + 1 == r->break_before)
		k = -1;
	if (k < 0) {
		if (new_page(r, true) != 0)
			return -1;
		k = 0;
	}
	r->lineno++;
	top = BLOCK_TOP - k * PITCH;
	*baseline = top - PITCH / 2 - size * 0.36;
	r->y = top - PITCH;
	return 0;
}

/* Lines left on the page from r->y. */
static int
lines_left(const rd_t *r)
{
	int k = grid_index(r);

	return k < 0 ? 0 : GRID_LINES - k;
}

static void
skip_lines(rd_t *r, int n)
{
	int k = grid_index(r);

	if (k < 0)
		return;
	r->y = BLOCK_TOP - (k + n) * PITCH;
	if (r->y < BLOCK_BOT)
		r->y = BLOCK_BOT - 1;
}

/* ---- paragraphs on the grid ------------------------------------------- */

typedef struct para_opts {
	double         first_indent, indent;   /* in points */
	double         right;                  /* right indent */
	enum doc_align align;
	bool           justify;
	bool           balance;                /* even line lengths (titles) */
} para_opts_t;

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

	shape(r, st, text, &s);
	lo.width = BLOCK_W - po->right;
	lo.first_indent = po->first_indent;
	lo.indent = po->indent;
	lo.justify = po->justify;
	if (po->balance)
		nl = layout_title(s.cp, s.adv, s.n, &lo, st->size, &lines);
	else
		nl = layout_break(s.cp, s.adv, s.n, &lo, &lines);
	for (size_t i = 0; i < nl; i++) {
		double y, x, avail = lo.width - lines[i].indent;

		if (next_line(r, st->size, &y) != 0) {
			rc = -1;
			break;
		}
		x = BLOCK_L + lines[i].indent;
		if (po->align == ALIGN_CENTER)
			x += (avail - lines[i].natural) / 2;
		else if (po->align == ALIGN_RIGHT)
			x += avail - lines[i].natural;
		draw_shaped(r, st, &s, lines[i].start, lines[i].end, x, y,
		    lines[i].extra);
	}
	free(lines);
	shaped_free(&s);
	return rc;
}

static int
body_para(rd_t *r, const style_t *st, const char *text)
{
	para_opts_t po = {2 * CELL, 0, 0, ALIGN_LEFT, true, false};

	return grid_para(r, st, text, &po);
}

/* ---- tables --------------------------------------------------------------- */

typedef struct tcell {
	shaped_t    s;
	lay_line_t *lines;
	size_t      nl;
} tcell_t;

typedef struct tlay {
	const doc_table_t *t;
	style_t  head, body;
	double  *colx, *colw;    /* column left edges and widths */
	double   lead, pad;
	/* the row boundaries of the table's part on the current page, from
	 * the top: its rules are drawn once the part is complete */
	double  *ys;
	size_t   nys, capys;
} tlay_t;

/* Wraps one cell's text to its column. */
static void
cell_layout(rd_t *r, const tlay_t *tl, const style_t *st, size_t col,
    const char *text, tcell_t *c)
{
	lay_opts_t lo = {tl->colw[col] - 2 * tl->pad, 0, 0, false};

	shape(r, st, text, &c->s);
	c->nl = layout_break(c->s.cp, c->s.adv, c->s.n, &lo, &c->lines);
}

static void
cells_free(tcell_t *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		shaped_free(&c[i].s);
		free(c[i].lines);
	}
}

static double
row_height(const tlay_t *tl, const tcell_t *c, size_t n)
{
	size_t maxl = 1;

	for (size_t i = 0; i < n; i++)
		if (c[i].nl > maxl)
			maxl = c[i].nl;
	return (double)maxl * tl->lead + 2 * tl->pad;
}

/* Draws one row whose top is r->y and advances r->y; its borders are
 * drawn by table_rules. */
static void
draw_row(rd_t *r, tlay_t *tl, const style_t *st, const tcell_t *c,
    bool header)
{
	const doc_table_t *t = tl->t;
	double h = row_height(tl, c, t->ncols), top = r->y;

	if (header) {
		pen_fill_rgb(&r->pen, 0.92, 0.92, 0.92);
		pen_fill_rect(&r->pen, BLOCK_L, top - h, BLOCK_W, h);
	}
	for (size_t j = 0; j < t->ncols; j++) {
		/* centre the block of lines vertically */
		double used = (double)c[j].nl * tl->lead;
		double y0 = top - (h - used) / 2;
		enum doc_align al = header ? ALIGN_CENTER :
		    (t->align ? t->align[j] : ALIGN_LEFT);

		for (size_t k = 0; k < c[j].nl; k++) {
			const lay_line_t *l = &c[j].lines[k];
			double avail = tl->colw[j] - 2 * tl->pad;
			double x = tl->colx[j] + tl->pad;
			double base = y0 - (double)k * tl->lead - tl->lead / 2 -
			    st->size * 0.36;

			if (al == ALIGN_CENTER)
				x += (avail - l->natural) / 2;
			else if (al == ALIGN_RIGHT)
				x += avail - l->natural;
			draw_shaped(r, st, &c[j].s, l->start, l->end, x, base, 0);
		}
	}
	xgrow(&tl->ys, &tl->capys, tl->nys + 2, sizeof *tl->ys);
	if (tl->nys == 0)
		tl->ys[tl->nys++] = top;
	tl->ys[tl->nys++] = top - h;
	r->y = top - h;
}

/*
 * The borders of the rows drawn on this page since the last call: one
 * rule per row boundary across the table and one per column edge from the
 * first row's top to the last row's bottom (rather than four per cell).
 */
static void
table_rules(rd_t *r, tlay_t *tl)
{
	const doc_table_t *t = tl->t;

	if (tl->nys >= 2) {
		double top = tl->ys[0], bot = tl->ys[tl->nys - 1];

		pen_stroke_rgb(&r->pen, 0, 0, 0);
		pen_line_width(&r->pen, 0.5);
		for (size_t i = 0; i < tl->nys; i++) {
			pen_move(&r->pen, BLOCK_L, tl->ys[i]);
			pen_line(&r->pen, BLOCK_L + BLOCK_W, tl->ys[i]);
		}
		for (size_t j = 0; j <= t->ncols; j++) {
			double x = j < t->ncols ? tl->colx[j] : BLOCK_L + BLOCK_W;

			pen_move(&r->pen, x, top);
			pen_line(&r->pen, x, bot);
		}
		pen_stroke(&r->pen);
	}
	tl->nys = 0;
}

/* The table goes on on a new page: this page's rules first. */
static int
table_page(rd_t *r, tlay_t *tl)
{
	table_rules(r, tl);
	return new_page(r, true);
}

/*
 * Column widths from the content, as a browser sets an automatic table:
 * when every column fits its longest cell, the room left is shared by the
 * weights; otherwise each column gets its widest unbreakable piece plus a
 * share of the rest in proportion to how much more it would like.  When
 * even the unbreakable pieces do not fit, the weights alone decide.
 */
static void
fit_columns(rd_t *r, tlay_t *tl)
{
	const doc_table_t *t = tl->t;
	double *mn = xcalloc(t->ncols, sizeof *mn), *mx = xcalloc(t->ncols,
	    sizeof *mx), smin = 0, smax = 0, sw = 0;

	for (size_t j = 0; j < t->ncols; j++)
		for (size_t i = 0; i <= t->nrows; i++) {
			const char *txt = i == 0 ? (t->head ? t->head[j] : "") :
			    t->cells[i - 1][j];
			shaped_t s = {0};
			double a, b;

			shape(r, i == 0 ? &tl->head : &tl->body, txt ? txt : "", &s);
			layout_widths(s.cp, s.adv, s.n, &a, &b);
			shaped_free(&s);
			if (a + 2 * tl->pad > mn[j])
				mn[j] = a + 2 * tl->pad;
			if (b + 2 * tl->pad > mx[j])
				mx[j] = b + 2 * tl->pad;
		}
	for (size_t j = 0; j < t->ncols; j++) {
		smin += mn[j];
		smax += mx[j];
		sw += tl->colw[j];
	}
	if (smax <= BLOCK_W) {
		for (size_t j = 0; j < t->ncols; j++)
			tl->colw[j] = mx[j] + (BLOCK_W - smax) * tl->colw[j] / sw;
	} else if (smin <= BLOCK_W) {
		/* narrow columns (dates, numbers, carriers) keep their whole
		 * content on one line when the wide ones can give way */
		double fair = BLOCK_W / (double)t->ncols, fixed = 0, omin = 0,
		    omax = 0;

		for (size_t j = 0; j < t->ncols; j++) {
			if (mx[j] <= fair)
				fixed += mx[j];
			else
				omin += mn[j], omax += mx[j];
		}
		if (fixed + omin > BLOCK_W || omax <= omin) {
			fixed = 0, fair = -1;
			omin = smin, omax = smax;
		}
		for (size_t j = 0; j < t->ncols; j++)
			tl->colw[j] = mx[j] <= fair ? mx[j] : mn[j] +
			    (mx[j] - mn[j]) * (BLOCK_W - fixed - omin) /
			    (omax - omin);
	}
	free(mn);
	free(mx);
}

/*
 * A table: its caption on the grid, then rows in the table's own size;
 * when a row does not fit, a new page starts with the header row again.
 */
static int
draw_table_rows(rd_t *r, const doc_table_t *t);

/* A table as print shows it: without the rows meant for the portal only
 * (doc.h, enum doc_media), drawn from a view that shares the cells. */
static int
draw_table(rd_t *r, const doc_table_t *t)
{
	doc_table_t view;
	size_t n = 0;
	int rc;

	if (t->media == NULL)
		return draw_table_rows(r, t);
	view = *t;
	view.cells = xcalloc(t->nrows + 1, sizeof *view.cells);
	view.media = NULL;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->media[i] != MEDIA_WEB)
			view.cells[n++] = t->cells[i];
	view.nrows = n;
	rc = draw_table_rows(r, &view);
	free(view.cells);
	return rc;
}

static int
draw_table_rows(rd_t *r, const doc_table_t *t)
{
	tlay_t tl;
	tcell_t *head = NULL, *row = NULL;
	double sum = 0, hh, first = 0;
	int rc = 0;

	if (t->ncols == 0)
		return 0;
	memset(&tl, 0, sizeof tl);
	tl.t = t;
	tl.body = ST_BODY;
	tl.body.size = t->ncols > 5 ? 10.5 : 12;
	tl.body.track = 0;
	tl.head = ST_HEI;
	tl.head.size = tl.body.size;
	tl.head.track = 0;
	tl.lead = tl.body.size * 1.5;
	tl.pad = 3;
	tl.colx = xcalloc(t->ncols, sizeof *tl.colx);
	tl.colw = xcalloc(t->ncols, sizeof *tl.colw);
	for (size_t j = 0; j < t->ncols; j++)
		sum += t->weight && t->weight[j] ? t->weight[j] : 1;
	for (size_t j = 0; j < t->ncols; j++) {
		double wt = t->weight && t->weight[j] ? t->weight[j] : 1;

		tl.colw[j] = BLOCK_W * wt / sum;
	}
	fit_columns(r, &tl);
	for (size_t j = 0; j < t->ncols; j++)
		tl.colx[j] = j ? tl.colx[j - 1] + tl.colw[j - 1] : BLOCK_L;
	head = xcalloc(t->ncols, sizeof *head);
	row = xcalloc(t->ncols, sizeof *row);
	for (size_t j = 0; j < t->ncols; j++)
		cell_layout(r, &tl, &tl.head, j, t->head ? t->head[j] : "",
		    &head[j]);
	hh = row_height(&tl, head, t->ncols);

	if (t->caption && *t->caption) {
		para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false};

		/* keep the caption with the header and a first row */
		if (lines_left(r) < 3 && new_page(r, true) != 0)
			goto fail;
		if (grid_para(r, &ST_HEI, t->caption, &po) != 0)
			goto fail;
	}
	/* the header row never ends a page: it goes with the first row */
	if (t->nrows > 0) {
		for (size_t j = 0; j < t->ncols; j++)
			cell_layout(r, &tl, &tl.body, j,
			    t->cells[0][j] ? t->cells[0][j] : "", &row[j]);
		first = row_height(&tl, row, t->ncols);
		cells_free(row, t->ncols);
		memset(row, 0, t->ncols * sizeof *row);
	}
	if (r->y - hh - first < BLOCK_BOT - 0.01 && table_page(r, &tl) != 0)
		goto fail;
	draw_row(r, &tl, &tl.head, head, true);
	for (size_t i = 0; i < t->nrows; i++) {
		double h;

		for (size_t j = 0; j < t->ncols; j++)
			cell_layout(r, &tl, &tl.body, j,
			    t->cells[i][j] ? t->cells[i][j] : "", &row[j]);
		h = row_height(&tl, row, t->ncols);
		/* the last row never goes over alone: when it would, the one
		 * before it goes with it */
		if (i > 0 && i + 2 == t->nrows && r->y - h >= BLOCK_BOT - 0.01) {
			tcell_t *last = xcalloc(t->ncols, sizeof *last);

			for (size_t j = 0; j < t->ncols; j++)
				cell_layout(r, &tl, &tl.body, j, t->cells[i + 1][j] ?
				    t->cells[i + 1][j] : "", &last[j]);
			if (r->y - h - row_height(&tl, last, t->ncols) <
			    BLOCK_BOT - 0.01)
				h = r->y - BLOCK_BOT + 1;
			cells_free(last, t->ncols);
			free(last);
		}
		if (r->y - h < BLOCK_BOT - 0.01) {
			if (table_page(r, &tl) != 0)
				goto fail;
			draw_row(r, &tl, &tl.head, head, true);
		}
		draw_row(r, &tl, &tl.body, row, false);
		cells_free(row, t->ncols);
		memset(row, 0, t->ncols * sizeof *row);
	}
	table_rules(r, &tl);
	goto done;
fail:
	rc = -1;
done:
	cells_free(row, t->ncols);
	cells_free(head, t->ncols);
	free(row);
	free(head);
	free(tl.colx);
	free(tl.colw);
	free(tl.ys);
	return rc;
}

/* ---- chart ------------------------------------------------------------- */

/*
 * A horizontal bar chart: the title on the grid, one bar per label scaled
 * to the largest value, the printed value after each bar.
 */
static int
draw_chart(rd_t *r, const doc_chart_t *c)
{
	style_t lab = ST_BODY;
	shaped_t s = {0};
	double labw = 0, maxv = 0, pitch = 22, barh = 13, x0, span, h;
	para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false};
	int rc = 0;

	lab.size = 12;
	lab.track = 0;
	for (size_t i = 0; i < c->nbars; i++) {
		shape(r, &lab, c->labels[i], &s);
		if (shaped_width(&s, 0, s.n) > labw)
			labw = shaped_width(&s, 0, s.n);
		shaped_free(&s);
		if (c->values[i] > maxv)
			maxv = c->values[i];
	}
	if (labw > BLOCK_W * 0.4)
		labw = BLOCK_W * 0.4;
	h = (double)c->nbars * pitch + pitch;
	/* title, then the bars on one page */
	if (r->y - PITCH - h < BLOCK_BOT && new_page(r, true) != 0)
		return -1;
	if (c->title && grid_para(r, &ST_HEI, c->title, &po) != 0)
		return -1;
	x0 = BLOCK_L + 2 * CELL + labw + 8;
	span = BLOCK_L + BLOCK_W - 2 * CELL - 60 - x0;
	for (size_t i = 0; i < c->nbars; i++) {
		double top = r->y - (double)i * pitch - (pitch - barh) / 2;
		double len = maxv > 0 ? c->values[i] / maxv * span : 0;
		double base = top - barh / 2 - lab.size * 0.36, w;

		shape(r, &lab, c->labels[i], &s);
		w = shaped_width(&s, 0, s.n);
		draw_shaped(r, &lab, &s, 0, s.n, x0 - 8 - w, base, 0);
		shaped_free(&s);
		pen_fill_rgb(&r->pen, 0.55, 0.1, 0.1);
		pen_fill_rect(&r->pen, x0, top - barh, len, barh);
		shape(r, &lab, c->value_text && c->value_text[i] ?
		    c->value_text[i] : "", &s);
		draw_shaped(r, &lab, &s, 0, s.n, x0 + len + 6, base, 0);
		shaped_free(&s);
	}
	/* the axis */
	pen_stroke_rgb(&r->pen, 0, 0, 0);
	pen_line_width(&r->pen, 0.6);
	pen_move(&r->pen, x0, r->y);
	pen_line(&r->pen, x0, r->y - (double)c->nbars * pitch);
	pen_stroke(&r->pen);
	r->y -= (double)c->nbars * pitch;
	if (c->value_label && *c->value_label) {
		po.align = ALIGN_RIGHT;
		lab.size = 12;
		shape(r, &lab, c->value_label, &s);
		draw_shaped(r, &lab, &s, 0, s.n,
		    BLOCK_L + BLOCK_W - 2 * CELL - shaped_width(&s, 0, s.n),
		    r->y - 14, 0);
		shaped_free(&s);
		r->y -= 18;
	}
	if (hpdf_failed(r, "drawing a chart"))
		rc = -1;
	return rc;
}

/* ---- blocks --------------------------------------------------------------- */

static int
draw_blocks(rd_t *r, const doc_section_t *sec)
{
	for (size_t i = 0; i < sec->nblocks; i++) {
		const doc_block_t *b = &sec->blocks[i];
		int rc = 0;

		switch (b->type) {
		case BLK_HEADING:
			/* a heading never ends a page */
			if (lines_left(r) < 2 && new_page(r, true) != 0)
				return -1;
			rc = body_para(r, b->level <= 1 ? &ST_HEI :
			    b->level == 2 ? &ST_KAI : &ST_BODY, b->text);
			break;
		case BLK_PARA:
			rc = body_para(r, &ST_BODY, b->text);
			break;
		case BLK_LIST:
			for (size_t k = 0; k < b->nitems && rc == 0; k++)
				rc = body_para(r, &ST_BODY, b->items[k]);
			break;
		case BLK_TABLE:
			rc = draw_table(r, b->table);
			break;
		case BLK_CHART:
			rc = draw_chart(r, b->chart);
			break;
		}
		if (rc != 0 || hpdf_failed(r, "setting the text"))
			return -1;
	}
	return 0;
}

/* ---- the parts of the document ------------------------------------------ */

/*
 * 版头: issuer in red, 发文字号, the red rule; then title and 主送.  A
 * document without an issuer (a unit's statement) has no 版头 at all: its
 * title starts on the second line of the block.
 */
static int
draw_head(rd_t *r)
{
	const doc_t *d = r->doc;
	style_t iss = ST_TITLE;
	shaped_t s = {0};
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false};
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, true, false};
	const char *num = d->doc_number ? d->doc_number : d->doc_number_blank;
	double top = BLOCK_TOP - 35.0 * MM, w, rule;
	size_t n;

	if (!d->issuer || !*d->issuer) {
		r->y = BLOCK_TOP - PITCH;
		goto title;
	}
	iss.color = RED;
	n = utf8_len(d->issuer);
	iss.size = n ? fmin(42.0, BLOCK_W * 0.92 / (double)n) : 42;
	iss.track = n > 1 ? fmin(iss.size * 0.15,
	    (BLOCK_W * 0.92 - iss.size * (double)n) / (double)(n - 1)) : 0;
	if (iss.track < 0)
		iss.track = 0;
	shape(r, &iss, d->issuer, &s);
	w = shaped_width(&s, 0, s.n) - iss.track;
	draw_shaped(r, &iss, &s, 0, s.n, BLOCK_L + (BLOCK_W - w) / 2,
	    top - iss.size * 0.88, 0);
	shaped_free(&s);
	r->y = top - iss.size;
	skip_lines(r, 2);
	if (num && *num) {
		if (grid_para(r, &ST_BODY, num, &centre) != 0)
			return -1;
	} else
		skip_lines(r, 1);
	/* the red rule 4 mm below the 字号 */
	rule = r->y + (PITCH - BODY_PT) / 2 - 4.0 * MM;
	pen_stroke_rgb(&r->pen, RED.r, RED.g, RED.b);
	pen_line_width(&r->pen, 1.5);
	pen_move(&r->pen, BLOCK_L, rule);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, rule);
	pen_stroke(&r->pen);
	r->y = rule;
	skip_lines(r, 2);
title:
	centre.balance = true;
	if (d->title && grid_para(r, &ST_TITLE, d->title, &centre) != 0)
		return -1;
	centre.balance = false;
	skip_lines(r, 1);
	if (d->recipients && grid_para(r, &ST_BODY, d->recipients, &left) != 0)
		return -1;
	return 0;
}

/* 附件说明, signature and date after the body. */
static int
draw_close(rd_t *r)
{
	const doc_t *d = r->doc;
	shaped_t sig = {0}, date = {0};
	double ws, wd, xs, xd, y;
	int rc = 0;

	if (d->nattach_note > 0) {
		skip_lines(r, 1);
		for (size_t i = 0; i < d->nattach_note; i++) {
			char *t = xasprintf("%s%s", i == 0 ?
			    "附件：" : "", d->attach_note[i]);
			/* "附件：" two characters in; the items and their
			 * wrapped lines aligned after it */
			para_opts_t po = {i == 0 ? 2 * CELL : 5 * CELL,
			    5 * CELL, 0, ALIGN_LEFT, true, false};

			rc = grid_para(r, &ST_BODY, t, &po);
			free(t);
			if (rc != 0)
				return -1;
		}
	}
	r->last_text_line = r->lineno;
	r->last_text_page = r->npages;
	if (!d->signature && !d->date_cn)
		return 0;
	skip_lines(r, 1);
	if (lines_left(r) < 2 && new_page(r, true) != 0)
		return -1;
	shape(r, &ST_BODY, d->signature, &sig);
	shape(r, &ST_BODY, d->date_cn, &date);
	ws = shaped_width(&sig, 0, sig.n);
	wd = shaped_width(&date, 0, date.n);
	/* 署名 right indented two characters, the date starting two
	 * characters to its right; a longer date pushes both left */
	xs = BLOCK_L + BLOCK_W - 2 * CELL - ws;
	xd = xs + 2 * CELL;
	if (xd + wd > BLOCK_L + BLOCK_W - 2 * CELL) {
		xd = BLOCK_L + BLOCK_W - 2 * CELL - wd;
		xs = xd - 2 * CELL;
	}
	if (sig.n) {
		if (next_line(r, BODY_PT, &y) != 0)
			goto fail;
		r->sig_page = r->npages;
		draw_shaped(r, &ST_BODY, &sig, 0, sig.n, xs, y, 0);
	}
	if (date.n) {
		if (next_line(r, BODY_PT, &y) != 0)
			goto fail;
		if (!sig.n)
			r->sig_page = r->npages;
		draw_shaped(r, &ST_BODY, &date, 0, date.n, xd, y, 0);
	}
	goto done;
fail:
	rc = -1;
done:
	shaped_free(&sig);
	shaped_free(&date);
	return rc;
}

static int
draw_attachment(rd_t *r, const doc_section_t *a)
{
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, false, false};
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false};

	if (new_page(r, true) != 0)
		return -1;
	if (a->label && grid_para(r, &ST_HEI, a->label, &left) != 0)
		return -1;
	r->y = BLOCK_TOP - 2 * PITCH;        /* the title on the third line */
	centre.balance = true;
	if (a->title && grid_para(r, &ST_TITLE, a->title, &centre) != 0)
		return -1;
	skip_lines(r, 1);
	return draw_blocks(r, a);
}

static void
rule_at(rd_t *r, double y, double width)
{
	pen_stroke_rgb(&r->pen, 0, 0, 0);
	pen_line_width(&r->pen, width);
	pen_move(&r->pen, BLOCK_L, y);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, y);
	pen_stroke(&r->pen);
}

/*
 * 版记 at the foot of an even page, its last rule on the block's bottom
 * edge: 抄送 (wrapped under its own text), a thin rule, 印发机关 left and
 * 印发日期 right, each one character in.
 */
static int
draw_record(rd_t *r)
{
	const doc_t *d = r->doc;
	shaped_t cc = {0}, pr = {0}, pd = {0};
	lay_line_t *lines = NULL;
	size_t nl = 0;
	double pitch = PITCH, h, y, lw;
	int rc = 0;
	char *cct = NULL;

	if (!d->cc && !d->printer && !d->print_date)
		return 0;
	if (d->cc) {
		lay_opts_t lo = {BLOCK_W - 2 * NOTE_PT, 0, 0, true};

		cct = xasprintf("抄送：%s", d->cc);
		shape(r, &ST_NOTE, cct, &cc);
		lo.indent = 3 * NOTE_PT;
		nl = layout_break(cc.cp, cc.adv, cc.n, &lo, &lines);
	}
	h = (double)(nl + 1) * pitch;
	if (!((r->npages - r->first) % 2 == 0 && r->y - BLOCK_BOT >= h + pitch)) {
		/* an odd page, or an even one too full: move on; when a
		 * blank page is needed before it, neither page is numbered */
		bool blank = (r->npages - r->first) % 2 == 0;

		if (blank && new_page(r, false) != 0)
			goto fail;
		if (new_page(r, !blank) != 0)
			goto fail;
	}
	y = BLOCK_BOT + h;
	rule_at(r, y, 0.35 * MM);
	for (size_t i = 0; i < nl; i++) {
		double base = y - pitch / 2 - NOTE_PT * 0.36;

		draw_shaped(r, &ST_NOTE, &cc, lines[i].start, lines[i].end,
		    BLOCK_L + NOTE_PT + lines[i].indent, base, lines[i].extra);
		y -= pitch;
	}
	if (nl)
		rule_at(r, y, 0.25 * MM);
	shape(r, &ST_NOTE, d->printer, &pr);
	shape(r, &ST_NOTE, d->print_date, &pd);
	lw = shaped_width(&pd, 0, pd.n);
	draw_shaped(r, &ST_NOTE, &pr, 0, pr.n, BLOCK_L + NOTE_PT,
	    y - pitch / 2 - NOTE_PT * 0.36, 0);
	draw_shaped(r, &ST_NOTE, &pd, 0, pd.n, BLOCK_L + BLOCK_W - NOTE_PT - lw,
	    y - pitch / 2 - NOTE_PT * 0.36, 0);
	rule_at(r, BLOCK_BOT, 0.35 * MM);
	goto done;
fail:
	rc = -1;
done:
	free(cct);
	free(lines);
	shaped_free(&cc);
	shaped_free(&pr);
	shaped_free(&pd);
	return rc;
}

/* ---- document information, PDF/A, output ---------------------------------- */

/* A PDF text string: UTF-16BE with a byte-order mark, as a binary object. */
static HPDF_Binary
pdf_text(HPDF_Doc pdf, const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s, &cp), k = 2;
	HPDF_BYTE *b = xmalloc(4 * n + 2);
	HPDF_Binary bin;

	b[0] = 0xFE;
	b[1] = 0xFF;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cp[i];

		if (c >= 0x10000) {
			uint32_t v = c - 0x10000, hi = 0xD800 | (v >> 10),
			    lo = 0xDC00 | (v & 0x3FF);

			b[k++] = (HPDF_BYTE)(hi >> 8);
			b[k++] = (HPDF_BYTE)hi;
			c = lo;
		}
		b[k++] = (HPDF_BYTE)(c >> 8);
		b[k++] = (HPDF_BYTE)c;
	}
	bin = HPDF_Binary_New(pdf->mmgr, b, (HPDF_UINT)k);
	free(b);
	free(cp);
	return bin;
}

/* XML-escapes s (UTF-8) for the XMP packet; control characters become
 * spaces (XML 1.0 cannot hold them). */
static void
xml_escaped(buf_t *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			buf_puts(b, "&lt;");
		else if (c == '>')
			buf_puts(b, "&gt;");
		else if (c == '&')
			buf_puts(b, "&amp;");
		else if (c == '"')
			buf_puts(b, "&quot;");
		else if (c < 0x20 && c != '\t' && c != '\n')
			buf_putc(b, ' ');
		else
			buf_putc(b, (char)c);
	}
}

/* The info and XMP value of s: valid UTF-8 (invalid bytes as U+FFFD). */
static char *
clean_utf8(const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp), k = 0;
	char *out = xmalloc(4 * n + 1);

	for (size_t i = 0; i < n; i++)
		k += utf8_put(out + k, cp[i]);
	out[k] = '\0';
	free(cp);
	return out;
}

/* RFC 4122 shape (version 3: name-based, MD5) of a 16-byte digest. */
static void
uuid_text(const HPDF_BYTE digest[16], char out[42])
{
	HPDF_BYTE u[16];
	int k = 0;

	memcpy(u, digest, 16);
	u[6] = (HPDF_BYTE)((u[6] & 0x0F) | 0x30);
	u[8] = (HPDF_BYTE)((u[8] & 0x3F) | 0x80);
	k += snprintf(out + k, 6, "uuid:");
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		k += snprintf(out + k, 3, "%02x", u[i]);
	}
}

/* The XMP InstanceID before save() knows the file's digest: 36 zeros
 * that stand where the UUID goes. */
#define INSTANCE_PLACEHOLDER "uuid:00000000-0000-0000-0000-000000000000"

/*
 * The document's identity, the same for every version of it (a re-run
 * with corrected data, the number filled in): the MD5 of its author, the
 * file's title and whether it is a collection.  The XMP DocumentID is its
 * UUID, and the first element of the trailer /ID (PDF 1.4 14.4: the
 * permanent identifier); the InstanceID and the second element are the
 * digest of the file's own bytes (save()).
 */
static void
doc_identity(const char *author, const char *title, size_t ndocs,
    HPDF_BYTE digest[16])
{
	HPDF_MD5_CTX md5;
	char kind[32];

	snprintf(kind, sizeof kind, "\n%zu", ndocs > 1 ? (size_t)2 : (size_t)1);
	HPDF_MD5Init(&md5);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)"tongbao\n", 8);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)author,
	    (HPDF_UINT32)strlen(author));
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)"\n", 1);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)title,
	    (HPDF_UINT32)strlen(title));
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)kind, (HPDF_UINT32)strlen(kind));
	HPDF_MD5Final(digest, &md5);
}

/*
 * The document information and XMP of the file: d's, with the given title
 * and subject, dated `created` (CreationDate and ModDate, UTC+8), and
 * identified by r->identity (DocumentID) and a placeholder InstanceID that
 * save() fills in.
 */
static int
set_metadata(rd_t *r, const doc_t *d, const char *title_in,
    const char *subject_in, long long created)
{
	HPDF_Doc pdf = r->pdf;
	time_t t = (time_t)(created + 8 * 3600);   /* UTC+8 */
	struct tm tm;
	HPDF_Date date;
	char xdate[96], docid[42];
	const char *producer;
	char *title = clean_utf8(title_in), *author = clean_utf8(d->author),
	    *subject = clean_utf8(subject_in);
	buf_t x;
	HPDF_Dict meta;
	int rc = 0;

	buf_init(&x);
	gmtime_r(&t, &tm);
	memset(&date, 0, sizeof date);
	date.year = tm.tm_year + 1900;
	date.month = tm.tm_mon + 1;
	date.day = tm.tm_mday;
	date.hour = tm.tm_hour;
	date.minutes = tm.tm_min;
	date.seconds = tm.tm_sec;
	date.ind = '+';
	date.off_hour = 8;
	date.off_minutes = 0;
	snprintf(xdate, sizeof xdate, "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
	    date.year, date.month, date.day, date.hour, date.minutes,
	    date.seconds);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "tongbao");
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
	if (!producer)
		producer = "";
	if (!pdf->info)
		goto fail;
	HPDF_Dict_Add(pdf->info, "Title", pdf_text(pdf, title));
	HPDF_Dict_Add(pdf->info, "Author", pdf_text(pdf, author));
	HPDF_Dict_Add(pdf->info, "Subject", pdf_text(pdf, subject));

	buf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<dc:format>application/pdf</dc:format>\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escaped(&x, title);
	buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n"
	    "<dc:creator><rdf:Seq><rdf:li>");
	xml_escaped(&x, author);
	buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n"
	    "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escaped(&x, subject);
	buf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	buf_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n"
	    "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
	    "<xmp:CreatorTool>tongbao</xmp:CreatorTool>\n</rdf:Description>\n",
	    xdate, xdate);
	uuid_text(r->identity, docid);
	buf_printf(&x, "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n"
	    "<xmpMM:DocumentID>%s</xmpMM:DocumentID>\n"
	    "<xmpMM:InstanceID>%s</xmpMM:InstanceID>\n</rdf:Description>\n",
	    docid, INSTANCE_PLACEHOLDER);
	buf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
	    "<pdf:Producer>");
	xml_escaped(&x, producer);
	buf_puts(&x, "</pdf:Producer>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>");
	meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!meta)
		goto fail;
	HPDF_Dict_AddName(meta, "Type", "Metadata");
	HPDF_Dict_AddName(meta, "Subtype", "XML");
	HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.data,
	    (HPDF_UINT)x.len);
	HPDF_Dict_Add(pdf->catalog, "Metadata", meta);
	pdf->pdf_version = HPDF_VER_14;
	if (!hpdf_failed(r, "writing the document information"))
		goto done;
fail:
	hpdf_failed(r, "writing the document information");
	rc = -1;
done:
	buf_free(&x);
	free(title);
	free(author);
	free(subject);
	return rc;
}

/*
 * The sRGB output intent of PDF/A.  Without the profile the PDF is still
 * written, with a warning that it is not PDF/A.
 */
static int
set_output_intent(rd_t *r)
{
	char *icc = NULL;
	size_t len = 0;
	HPDF_Dict prof, intent;
	HPDF_Array intents;

	if (read_file(ICC_PATH, &icc, &len) != 0) {
		diag_warning(r->dl, ICC_PATH, 0, "cannot read the sRGB profile"
		    " (Debian package libgs-common): the PDF is not PDF/A");
		return 0;
	}
	prof = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
	if (prof) {
		prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		HPDF_Dict_AddNumber(prof, "N", 3);
		HPDF_Stream_Write(prof->stream, (const HPDF_BYTE *)icc,
		    (HPDF_UINT)len);
		HPDF_PDFA_AppendOutputIntents(r->pdf, "sRGB IEC61966-2.1", prof);
		/* libharu 2.3.0 writes the key with a trailing space */
		intents = HPDF_Dict_GetItem(r->pdf->catalog, "OutputIntents",
		    HPDF_OCLASS_ARRAY);
		intent = intents ? HPDF_Array_GetItem(intents, 0,
		    HPDF_OCLASS_DICT) : NULL;
		if (intent && HPDF_Dict_GetItem(intent, "DestOutputProfile ",
		    HPDF_OCLASS_DICT)) {
			HPDF_Dict_RemoveElement(intent, "DestOutputProfile ");
			HPDF_Dict_Add(intent, "DestOutputProfile", prof);
		}
	}
	free(icc);
	return hpdf_failed(r, "adding the output intent") ? -1 : 0;
}

/*
 * Saves the document into out: the trailer /ID is [identity digest], the
 * second element and the XMP InstanceID the MD5 of the file itself as
 * written with their placeholders, so the same document gives the same
 * bytes and another version of it another InstanceID.  Returns 0 or -1.
 */
static int
save(rd_t *r, buf_t *out)
{
	static const HPDF_BYTE zero[16];
	static const char zhex[] = "<00000000000000000000000000000000>";
	HPDF_Array id = HPDF_Array_New(r->pdf->mmgr);
	HPDF_BYTE digest[16], chunk[65536];
	HPDF_MD5_CTX md5;
	size_t base = out->len, plen = strlen(INSTANCE_PLACEHOLDER);
	char *p, *inst, hex[33], uuid[42];
	int found = 0;

	if (!id)
		return hpdf_failed(r, "saving"), -1;
	HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, r->identity, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, (HPDF_BYTE *)zero, 16));
	HPDF_Dict_Add(r->pdf->trailer, "ID", id);
	if (HPDF_SaveToStream(r->pdf) != HPDF_OK || hpdf_failed(r, "saving"))
		return -1;
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(r->pdf, chunk, &n);

		buf_add(out, chunk, n);
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK) {
			hpdf_failed(r, "reading the PDF back");
			return -1;
		}
	}
	HPDF_ResetError(r->pdf);
	HPDF_MD5Init(&md5);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)out->data + base,
	    (HPDF_UINT32)(out->len - base));
	HPDF_MD5Final(digest, &md5);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02X", digest[i]);
	uuid_text(digest, uuid);
	/* the /ID placeholder is in the trailer, after the last "/ID" */
	for (p = out->data + out->len; p > out->data + base; p--)
		if (strncmp(p - 1, "/ID", 3) == 0)
			break;
	while (p && (p = strstr(p, zhex)) != NULL) {
		memcpy(p + 1, hex, 32);
		found++;
	}
	/* the XMP packet is written uncompressed (PDF/A-1 6.7.2), once */
	inst = memmem(out->data + base, out->len - base, INSTANCE_PLACEHOLDER,
	    plen);
	if (found != 1 || inst == NULL || memmem(inst + 1, (size_t)(out->data +
	    out->len - inst - 1), INSTANCE_PLACEHOLDER, plen) != NULL) {
		diag_error(r->dl, NULL, 0, "PDF: cannot set the file identifier");
		return -1;
	}
	memcpy(inst, uuid, plen);
	return 0;
}

/* ---- entry point ------------------------------------------------------------ */

/*
 * Lays out one document from a new odd page (a blank unnumbered page first
 * when the file so far ends on an odd page); pages are numbered from 1 per
 * document.  When the signature would stand alone on a page (GB/T 9704
 * 7.3.5.4), the document is set again from its first page with its last
 * two text lines moved over to keep the signature company: the pages
 * already added are wiped and reused (libharu cannot remove a page).
 */
static int
render_doc(rd_t *r, const doc_t *doc)
{
	int start, rc = -1;

	if (r->npages % 2 == 1 && new_page(r, false) != 0)
		return -1;
	start = r->npages;
	r->doc = doc;
	r->first = start;
	r->break_before = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		r->lineno = r->last_text_line = r->last_text_page = 0;
		r->sig_page = 0;
		if (new_page(r, true) != 0 || draw_head(r) != 0 ||
		    draw_blocks(r, &doc->body) != 0 || draw_close(r) != 0)
			goto cleanup;
		if (attempt > 0 || r->sig_page <= r->last_text_page ||
		    r->last_text_line < 3)
			break;
		r->break_before = r->last_text_line - 1;
		free(r->reuse);
		r->nreuse = r->npages - start;
		r->ireuse = 0;
		r->reuse = xcalloc((size_t)r->nreuse, sizeof *r->reuse);
		for (int i = 0; i < r->nreuse; i++)
			r->reuse[i] = HPDF_GetPageByIndex(r->pdf, (HPDF_UINT)(start + i));
		r->npages = start;
	}
	for (size_t i = 0; i < doc->nattachments; i++)
		if (draw_attachment(r, &doc->attachments[i]) != 0)
			goto cleanup;
	if (draw_record(r) != 0)
		goto cleanup;
	/* pages of the first attempt not needed again stay, blank */
	while (r->ireuse < r->nreuse)
		if (new_page(r, false) != 0)
			goto cleanup;
	rc = 0;
cleanup:
	free(r->reuse);
	r->reuse = NULL;
	r->nreuse = r->ireuse = 0;
	r->break_before = 0;
	return rc;
}

/*
 * The title of a file of several documents: the longest common beginning
 * of their titles ("2017年第一季度政务信息考评结果明细" of "…明细（武汉市
 * 司法局）", "…明细（黄石市司法局）" …) without trailing brackets,
 * punctuation or spaces, when it has at least four characters; else the
 * first document's title.  Newly allocated.
 */
static char *
common_title(const doc_t *const *docs, size_t n)
{
	const char *t0 = docs[0]->title ? docs[0]->title : "";
	size_t len = strlen(t0), k = 0;
	uint32_t *cp = NULL;
	char *out;

	for (size_t i = 1; i < n; i++) {
		const char *t = docs[i]->title ? docs[i]->title : "";
		size_t j = 0;

		while (j < len && t[j] == t0[j])
			j++;
		len = j;
	}
	while (len > 0 && ((unsigned char)t0[len] & 0xC0) == 0x80)
		len--;                         /* a whole character */
	out = xmalloc(len + 1);
	memcpy(out, t0, len);
	out[len] = '\0';
	n = layout_decode(out, &cp);
	while (n > 0 && (cp[n - 1] == ' ' || cp[n - 1] == 0x3000 ||
	    cp[n - 1] == 0xFF08 || cp[n - 1] == '(' || cp[n - 1] == 0x3010 ||
	    cp[n - 1] == 0x300A || cp[n - 1] == 0xFF1A || cp[n - 1] == ':' ||
	    cp[n - 1] == 0x2014 || cp[n - 1] == '-' || cp[n - 1] == 0x3001 ||
	    cp[n - 1] == 0xFF0C))
		n--;
	for (size_t i = 0; i < n; i++)
		k += utf8_put(out + k, cp[i]);
	out[k] = '\0';
	free(cp);
	if (n < 4) {
		free(out);
		out = xstrdup(t0);
	}
	return out;
}

/*
 * Bookmarks and page labels of a file of several documents: one bookmark
 * per document (its title) on its first page, and page labels restarting
 * at 1 with each document as its printed numbers do.
 */
static int
add_outline(rd_t *r, const doc_t *const *docs, size_t n, const int *firsts)
{
	HPDF_Page *pages = xcalloc((size_t)r->npages, sizeof *pages);
	int rc = 0;

	for (int i = 0; i < r->npages; i++)
		pages[i] = HPDF_GetPageByIndex(r->pdf, (HPDF_UINT)i);
	for (size_t i = 0; i < n && rc == 0; i++) {
		HPDF_Outline o = HPDF_CreateOutline(r->pdf, NULL, "-", NULL);
		/* the destination [page /Fit] a direct array in the item:
		 * libharu's HPDF_Page_CreateDestination makes it an indirect
		 * object, which PDFBox Preflight refuses (1.2.3 "can't convert
		 * to Destination") */
		HPDF_Array dst = o && pages[firsts[i]] ?
		    HPDF_Array_New(r->pdf->mmgr) : NULL;
		char *t = clean_utf8(docs[i]->title);

		if (!dst || HPDF_Array_Add(dst, pages[firsts[i]]) != HPDF_OK ||
		    HPDF_Array_AddName(dst, "Fit") != HPDF_OK ||
		    HPDF_Dict_Add(o, "Dest", dst) != HPDF_OK ||
		    HPDF_Dict_Add(o, "Title", pdf_text(r->pdf, t)) != HPDF_OK ||
		    HPDF_AddPageLabel(r->pdf, (HPDF_UINT)firsts[i],
		    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL) != HPDF_OK)
			rc = -1;
		/* an item has no /Type (libharu writes /Outlines, the type
		 * of the outline's root) */
		if (o && HPDF_Dict_GetItem(o, "Type", HPDF_OCLASS_NAME))
			HPDF_Dict_RemoveElement(o, "Type");
		free(t);
	}
	free(pages);
	return rc == 0 && !hpdf_failed(r, "adding bookmarks") ? 0 : -1;
}

int
render_pdf_docs(const doc_t *const *docs, size_t n, const char *fonts_dir,
    buf_t *out, diag_list_t *dl)
{
	rd_t r;
	int rc = -1, *firsts = NULL;
	size_t errors0 = dl->errors;
	char *title = NULL;
	long long epoch = 0, created = 0;

	memset(&r, 0, sizeof r);
	pen_init(&r.pen);
	r.dl = dl;
	if (n == 0) {
		diag_error(dl, NULL, 0, "PDF: no document to render");
		return -1;
	}
	firsts = xcalloc(n, sizeof *firsts);
	r.pdf = HPDF_New(hpdf_error, &r);
	if (!r.pdf) {
		diag_error(dl, NULL, 0, "PDF: cannot create a document");
		goto cleanup;
	}
	HPDF_UseUTFEncodings(r.pdf);
	HPDF_SetCompressionMode(r.pdf, HPDF_COMP_ALL);
	r.fonts = fonts_open(r.pdf, fonts_dir, dl);
	if (!r.fonts)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		firsts[i] = r.npages + (r.npages % 2);
		if (render_doc(&r, docs[i]) != 0)
			goto cleanup;
		if (docs[i]->epoch > epoch)
			epoch = docs[i]->epoch;
		if (docs[i]->created > created)
			created = docs[i]->created;
	}
	if (page_flush(&r) != 0)
		goto cleanup;
	if (dl->errors > errors0)
		goto cleanup;
	if (fonts_substituted(r.fonts) > 0)
		diag_warning(dl, NULL, 0, "PDF: characters that no font holds"
		    " (emoji, for instance) were drawn as \xE3\x80\x93");
	title = n == 1 ? xstrdup(docs[0]->title ? docs[0]->title : "") :
	    common_title(docs, n);
	doc_identity(docs[0]->author ? docs[0]->author : "", title, n,
	    r.identity);
	if (fonts_finish(r.fonts) != 0 ||
	    (n > 1 && add_outline(&r, docs, n, firsts) != 0) ||
	    set_metadata(&r, docs[0], title, n == 1 ? docs[0]->subject : title,
	    created > 0 ? created : epoch) != 0 || set_output_intent(&r) != 0 || save(&r, out) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(title);
	free(firsts);
	pen_free(&r.pen);
	fonts_free(r.fonts);
	if (r.pdf)
		HPDF_Free(r.pdf);
	return rc;
}

int
render_pdf(const doc_t *doc, const char *fonts_dir, buf_t *out,
    diag_list_t *dl)
{
	return render_pdf_docs(&doc, 1, fonts_dir, out, dl);
}
