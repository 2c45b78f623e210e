/*
 * render_pdf.c - the 通报 as a PDF official document (GB/T 9704-2012 page,
 * PDF/A-1b) from the document model, through libharu; and several
 * documents in one file (the units' statements in units.pdf); tagged.
 *
 * libharu draws text at a position and nothing more, so the page is laid
 * out here (hand-written: no library knows GB/T 9704): an A4 page with a
 * 156 x 225 mm text block 37 mm from the top and 28 mm from the left; body
 * text 16 pt on a grid of 22 lines of 28 characters (characters tightened
 * by about 0.21 pt so that 28 of them fill the block); the 版头 (red issuer,
 * 发文字号, red rule; none for a document without an issuer), the title
 * (its lines broken where phrases end, layout_title), 主送, headings by
 * level, paragraphs with a two-character indent justified by character
 * spacing, 附件说明 (its names' second lines hanging under their first
 * characters), signature and date (never alone on a page: the document is
 * set again with its last two text lines moved over), attachments each
 * from a new page, tables that repeat their header row across pages (one
 * size, 小四, 2 mm padding, columns chosen from the cells), bar charts
 * drawn as vector graphics, page numbers "— N —" alternating right and
 * left, and the 版记 at the foot of the last even page (none without 抄送
 * and 印发).  An attachment whose tables need the width is set on
 * landscape pages (GB/T 9704 §8: the block turned a quarter, its head
 * towards the page's left edge, page numbers unmoved).  Several documents
 * in one file each start on an odd page and number their pages from 1.
 *
 * Text is set as type, then painted (DESIGN.md): layout.c says where each
 * character goes (line breaks, 标点挤压, justification outside runs of
 * digits and Latin letters, table columns); draw_shaped only draws glyphs
 * there, in runs of equal spacing, a squeezed pair as a Span that carries
 * its text (/ActualText) for text extraction.
 *
 * The PDF is tagged (issue 15; README "Tagged PDF"): as each part of the
 * model is drawn it opens its element of the structure tree (pdftag.c),
 * and what it draws is marked content of that element, or an artifact
 * (page numbers, rules, repeated header rows).
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
 * fonts.c writes the fonts (HarfBuzz subsets, with the CIDSet PDF/A-1 asks
 * of them).
 */
#define _GNU_SOURCE   /* memmem */
#include "render.h"
#include "fonts.h"
#include "hpdfx.h"
#include "layout.h"
#include "pdfpen.h"
#include "pdftag.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>   /* HPDF_MD5*: exported, declared here only */

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
#define NONE_         ((size_t)-1)
#define ICC_PATH      "/usr/share/color/icc/ghostscript/srgb.icc"

/*
 * The text block in the frame of the current page: the portrait block, or
 * on a landscape page (GB/T 9704 §8: a table set across the page) the
 * block turned a quarter counter-clockwise, 225 mm wide and 156 mm high,
 * its top towards the page's left edge (the binding of an odd page, the
 * outer edge of an even one: "单页码表头在订口一边，双页码表头在切口一边").
 * Page numbers stay where they are on every page.
 */
#define FL(r)         ((r)->land ? 0.0 : BLOCK_L)
#define FW(r)         ((r)->land ? BLOCK_H : BLOCK_W)
#define FTOP(r)       ((r)->land ? BLOCK_W : BLOCK_TOP)
#define FBOT(r)       ((r)->land ? 0.0 : BLOCK_BOT)
#define FLINES(r)     ((r)->land ? (int)(BLOCK_W / PITCH) : GRID_LINES)

typedef struct rgb { double r, g, b; } rgb_t;
static const rgb_t RED = {0.9, 0, 0};

/* How a piece of text is set. */
typedef struct style {
	enum font_role role;
	double         size;
	double         track;     /* character spacing added to each advance */
	rgb_t          color;
} style_t;

/* the faces of GB/T 9704 (fonts.h): 小标宋 a real heavy face, no faux bold */
static const style_t ST_BODY  = {ROLE_FANGSONG, BODY_PT, TRACK, {0, 0, 0}};
static const style_t ST_HEI   = {ROLE_HEI, BODY_PT, TRACK, {0, 0, 0}};
static const style_t ST_KAI   = {ROLE_KAI, BODY_PT, TRACK, {0, 0, 0}};
static const style_t ST_TITLE = {ROLE_XIAOBIAOSONG, TITLE_PT, 0, {0, 0, 0}};
static const style_t ST_NOTE  = {ROLE_FANGSONG, NOTE_PT, 0, {0, 0, 0}};
static const style_t ST_PAGENO = {ROLE_SONG, PAGENO_PT, 0, {0, 0, 0}};

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
	/* landscape pages (GB/T 9704 §8, 横排表格): whether this page is one,
	 * and whether new pages are to be */
	bool          land, want_land;
	/* the document's kept phrases (doc->keep) as code points */
	uint32_t    **phr;
	size_t       *plen, nphr;
	/* the structure tree (pdftag.h), the element whose content is being
	 * drawn, and whether what is drawn now is an artifact instead (0, or
	 * ART_LAYOUT or ART_PAGE) */
	tagtree_t     tags;
	int           tcur;
	long          art;
} rd_t;

/*
 * Tagging (PDF 1.4 10.6, issue 15).  Every piece of content is marked:
 * text and graphics of the document as marked content of the element
 * being drawn (tag_open: an MCID of the page, pen_mark), the rest as
 * artifacts: page numbers and a table's header row repeated on a new page
 * as pagination, rules, a header row's shading and the table grid as
 * layout.  The elements are opened in the order of the document model, so
 * the tree reads as the document does whatever the order of painting.
 * The keys of pdfpen's sequences: an element's index, or these.
 */
#define ART_LAYOUT    (-2L)
#define ART_PAGE      (-3L)
#define KEY_SPAN      (-4L)

/* The project's own structure types and the standard ones they stand for
 * (the StructTreeRoot's RoleMap): the parts of an official document that
 * PDF has no name for.  The title is the document's one H1, so headings
 * of level 1 to 3 are H2 to H4. */
static const char *const ROLEMAP[] = {
	"Masthead", "Sect",      /* 版头 */
	"Issuer", "P",           /* 发文机关标志 */
	"DocNumber", "P",        /* 发文字号 */
	"Title", "H1",           /* 标题 */
	"Recipients", "P",       /* 主送机关 */
	"Signature", "P",        /* 发文机关署名 */
	"Date", "P",             /* 成文日期 */
	"Record", "Sect",        /* 版记 */
	NULL,
};

/* Opens a new element of the given type, the last child of the current
 * one, and makes it current; returns the one to go back to (tag_close). */
static int
tag_open(rd_t *r, const char *type)
{
	int prev = r->tcur;

	r->tcur = tag_add(&r->tags, prev, type);
	return prev;
}

static void
tag_close(rd_t *r, int prev)
{
	r->tcur = prev;
}

/* What is drawn until art_end() is an artifact of the given kind. */
static long
art_begin(rd_t *r, long kind)
{
	long prev = r->art;

	r->art = kind;
	return prev;
}

static void
art_end(rd_t *r, long prev)
{
	r->art = prev;
}

/*
 * Makes sure that what is drawn next is inside the right marked-content
 * sequence: an artifact's, or one of the current element's on this page
 * (a new MCID when another sequence, or none, is open).
 */
static void
mark(rd_t *r)
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

/* A squeezed run of n characters cp (draw_shaped) as a Span of the current
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

/* Decodes and measures text in style st (substitutes applied): each
 * advance is the glyph's plus the style's tracking, the same for every
 * character (a run of digits stays evenly spaced, and in one text run). */
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
static double
draw_shaped(rd_t *r, const style_t *st, const shaped_t *s, size_t a,
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
				hpdf_fail(r, "adding a font to a page");
				goto done;
			}
			if (!in_span)
				mark(r);
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
static void
draw_line(rd_t *r, const style_t *st, const shaped_t *s, const double *sq,
    const lay_line_t *l, double x, double y)
{
	double *xs = xmalloc((l->end - l->start + 1) * sizeof *xs);

	layout_place(s->cp, s->adv, sq, l, xs);
	draw_shaped(r, st, s, l->start, l->end, x, y, xs);
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
	long art = art_begin(r, ART_PAGE);

	shape(r, &ST_PAGENO, t, &s);
	shape(r, &ST_PAGENO, "\xE2\x80\x94", &dash);
	wd = shaped_width(&dash, 0, dash.n);
	w = shaped_width(&s, 0, s.n) + 2 * (wd + gap);
	/* the top of the figures 7 mm below the block */
	y = BLOCK_BOT - 7.0 * MM - PAGENO_PT * 0.8;
	if (n % 2)
		x = BLOCK_L + BLOCK_W - PAGENO_PT - w;
	else
		x = BLOCK_L + PAGENO_PT;
	x = draw_shaped(r, &ST_PAGENO, &dash, 0, dash.n, x, y, NULL) + gap;
	x = draw_shaped(r, &ST_PAGENO, &s, 0, s.n, x, y, NULL) + gap;
	draw_shaped(r, &ST_PAGENO, &dash, 0, dash.n, x, y, NULL);
	art_end(r, art);
	shaped_free(&s);
	shaped_free(&dash);
	free(t);
}

/*
 * Ends the current page's content: what the pen wrote goes into the
 * page's content stream.  Returns 0, or -1 on a libharu error.
 */
static int
page_flush(rd_t *r)
{
	if (r->land)
		pen_restore(&r->pen);
	r->land = false;
	pen_end_page(&r->pen);
	if (!r->page || r->pen.out.len == 0)
		return 0;
	if (hpdfx_page_write(r->page, r->pen.out.data, r->pen.out.len) != 0) {
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
	return hpdfx_page_share(r->pdf, r->page, &r->res, &r->resfonts,
	    PAGE_W, PAGE_H);
}

static int
new_page(rd_t *r, bool numbered)
{
	if (page_flush(r) != 0)
		return -1;
	if (r->ireuse < r->nreuse) {
		/* a page of a first attempt (render_doc): wiped, drawn again */
		r->page = r->reuse[r->ireuse++];
		hpdfx_page_wipe(r->page);
	} else if ((r->page = HPDF_AddPage(r->pdf)) != NULL &&
	    page_shared(r) != 0) {
		hpdf_fail(r, "adding a page");
		return -1;
	}
	if (!r->page || hpdf_failed(r, "adding a page"))
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
	return hpdf_failed(r, "starting a page") ? -1 : 0;
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
	top = FTOP(r) - k * PITCH;
	*baseline = top - PITCH / 2 - size * 0.36;
	r->y = top - PITCH;
	return 0;
}

/* Lines left on the page from r->y. */
static int
lines_left(const rd_t *r)
{
	int k = grid_index(r);

	return k < 0 ? 0 : FLINES(r) - k;
}

static void
skip_lines(rd_t *r, int n)
{
	int k = grid_index(r);

	if (k < 0)
		return;
	r->y = FTOP(r) - (k + n) * PITCH;
	if (r->y < FBOT(r))
		r->y = FBOT(r) - 1;
}

/* ---- paragraphs on the grid ------------------------------------------- */

typedef struct para_opts {
	double         first_indent, indent;   /* in points */
	double         right;                  /* right indent */
	enum doc_align align;
	bool           justify;
	bool           balance;                /* even line lengths (titles) */
	size_t         hang_at;                /* > 0: the lines after the
	                                          first hang under this
	                                          character of the first */
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

		if (next_line(r, st->size, &y) != 0) {
			rc = -1;
			break;
		}
		x = FL(r) + lines[i].indent;
		if (po->align == ALIGN_CENTER)
			x += (avail - lines[i].natural) / 2;
		else if (po->align == ALIGN_RIGHT)
			x += avail - lines[i].natural;
		draw_line(r, st, &s, lo.squeeze, &lines[i], x, y);
	}
	free(lines);
	free(lo.squeeze);
	shaped_free(&s);
	return rc;
}

/* grid_para as an element of the given type. */
static int
tagged_para(rd_t *r, const char *type, const style_t *st, const char *text,
    const para_opts_t *po)
{
	int prev = tag_open(r, type), rc = grid_para(r, st, text, po);

	tag_close(r, prev);
	return rc;
}

static int
body_para(rd_t *r, const char *type, const style_t *st, const char *text)
{
	para_opts_t po = {2 * CELL, 0, 0, ALIGN_LEFT, true, false, 0};

	return tagged_para(r, type, st, text, &po);
}

/* ---- tables --------------------------------------------------------------- */

/*
 * Every table of every document in one size, 小四 (12 pt; README
 * "Decisions": the 12 columns of the score table and a unit name of 16
 * characters do not fit the block at 4号), 黑体 for the header row and
 * 仿宋 for the cells, with 2 mm of padding on every side.
 */
#define TABLE_PT      12.0
#define TABLE_LEAD    (TABLE_PT * 1.4)
#define CELL_PAD      (2.0 * MM)

typedef struct tcell {
	shaped_t       s;
	unsigned char *keep;     /* the unit names in it (layout.h LAY_*) */
	double        *sq;       /* its squeezes, or NULL (none) */
	lay_line_t    *lines;
	size_t         nl;
} tcell_t;

/*
 * A table set for print (a plan): the rows print shows (without those
 * meant for the portal only, doc.h enum doc_media, in a view that shares
 * the cells), every cell shaped and prepared, the columns chosen for the
 * portrait or the landscape frame, each cell set in its column.
 */
typedef struct tlay {
	const doc_table_t *orig;  /* the table as the document holds it */
	doc_table_t  view;        /* the rows that print */
	const doc_table_t *t;     /* &view */
	style_t      head, body;
	double      *colx, *colw; /* column left edges and widths */
	double       lead, pad;
	tcell_t     *cells;       /* (nrows + 1) x ncols, the header first */
	lay_text_t **tx;          /* the same, for layout_columns */
	bool         land;        /* set across a landscape page */
	/* the row boundaries of the table's part on the current page, from
	 * the top: its rules are drawn once the part is complete */
	double      *ys;
	size_t       nys, capys;
} tlay_t;

/* Shapes one cell's text and marks the unit names in it. */
static void
cell_prepare(rd_t *r, const style_t *st, const char *text, tcell_t *c)
{
	shape(r, st, text ? text : "", &c->s);
	c->keep = xcalloc(c->s.n + 1, 1);
	/* the squeezes only where a mark may give way (NULL: none) */
	c->sq = layout_has_marks(c->s.cp, c->s.adv, c->s.n, TABLE_PT) ?
	    xcalloc(c->s.n + 1, sizeof *c->sq) : NULL;
	layout_keep_phrases(c->s.cp, c->s.n, (const uint32_t *const *)r->phr,
	    r->plen, r->nphr, c->keep);
}

/* Wraps one cell's text to its column. */
static void
cell_layout(const tlay_t *tl, size_t col, tcell_t *c)
{
	lay_opts_t lo;

	free(c->lines);
	memset(&lo, 0, sizeof lo);
	lo.width = tl->colw[col] - 2 * tl->pad;
	lo.em = TABLE_PT;
	lo.keep = c->keep;
	lo.squeeze = c->sq;
	c->nl = layout_break(c->s.cp, c->s.adv, c->s.n, &lo, &c->lines);
}

static void
cells_free(tcell_t *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		shaped_free(&c[i].s);
		free(c[i].keep);
		free(c[i].sq);
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
 * drawn by table_rules.  The row is a TR of TH (the header, /Scope
 * Column) or TD; a header row repeated on a new page is an artifact. */
static void
draw_row(rd_t *r, tlay_t *tl, const style_t *st, const tcell_t *c,
    bool header, bool repeated)
{
	const doc_table_t *t = tl->t;
	double h = row_height(tl, c, t->ncols), top = r->y;
	long art = art_begin(r, repeated ? ART_PAGE : r->art);
	int row = r->art ? r->tcur : tag_open(r, "TR");

	if (header) {
		long a = art_begin(r, r->art ? r->art : ART_LAYOUT);

		mark(r);
		pen_fill_rgb(&r->pen, 0.92, 0.92, 0.92);
		pen_fill_rect(&r->pen, FL(r), top - h, FW(r), h);
		art_end(r, a);
	}
	for (size_t j = 0; j < t->ncols; j++) {
		int cell = r->art ? r->tcur : tag_open(r, header ? "TH" : "TD");
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
			draw_line(r, st, &c[j].s, c[j].sq, l, x, base);
		}
		if (!r->art) {
			if (header)
				tag_set_scope(&r->tags, r->tcur, "Column");
			tag_close(r, cell);
		}
	}
	if (!r->art)
		tag_close(r, row);
	art_end(r, art);
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
		long art = art_begin(r, ART_LAYOUT);

		mark(r);
		pen_stroke_rgb(&r->pen, 0, 0, 0);
		pen_line_width(&r->pen, 0.5);
		for (size_t i = 0; i < tl->nys; i++) {
			pen_move(&r->pen, FL(r), tl->ys[i]);
			pen_line(&r->pen, FL(r) + FW(r), tl->ys[i]);
		}
		for (size_t j = 0; j <= t->ncols; j++) {
			double x = j < t->ncols ? tl->colx[j] : FL(r) + FW(r);

			pen_move(&r->pen, x, top);
			pen_line(&r->pen, x, bot);
		}
		pen_stroke(&r->pen);
		art_end(r, art);
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

/* Chooses the columns for a frame of the given width and sets every cell
 * in its column.  Returns how good that is. */
static lay_fit_t
plan_fit(tlay_t *tl, double width)
{
	const doc_table_t *t = tl->t;
	size_t nc = (t->nrows + 1) * t->ncols;
	lay_fit_t q;

	layout_columns(tl->tx, t->nrows + 1, t->ncols, width, tl->pad,
	    tl->colw, &q);
	for (size_t k = 0; k < nc; k++)
		cell_layout(tl, k % t->ncols, &tl->cells[k]);
	return q;
}

/*
 * Plans table t (caller frees with plan_free): shapes every cell and
 * chooses the columns (layout_columns: unit names whole where any widths
 * allow it, then as few lines as the width gives).  Where may_land, a
 * table that in the portrait block would break a unit name or stack its
 * header in more than two lines, and would not, or less, across a
 * landscape page, is set landscape (GB/T 9704 §8).
 */
static void
plan_table(rd_t *r, const doc_table_t *t, bool may_land, tlay_t *tl)
{
	size_t n = 0, nc;
	lay_fit_t port;

	memset(tl, 0, sizeof *tl);
	tl->orig = t;
	tl->view = *t;
	tl->view.cells = xcalloc(t->nrows + 1, sizeof *tl->view.cells);
	tl->view.media = NULL;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->media == NULL || t->media[i] != MEDIA_WEB)
			tl->view.cells[n++] = t->cells[i];
	tl->view.nrows = n;
	tl->t = &tl->view;
	t = tl->t;
	tl->body = ST_BODY;
	tl->body.size = TABLE_PT;
	tl->body.track = 0;
	tl->head = ST_HEI;
	tl->head.size = TABLE_PT;
	tl->head.track = 0;
	tl->lead = TABLE_LEAD;
	tl->pad = CELL_PAD;
	tl->colx = xcalloc(t->ncols + 1, sizeof *tl->colx);
	tl->colw = xcalloc(t->ncols + 1, sizeof *tl->colw);
	nc = (t->nrows + 1) * t->ncols;
	tl->cells = xcalloc(nc + 1, sizeof *tl->cells);
	tl->tx = xcalloc(nc + 1, sizeof *tl->tx);
	for (size_t i = 0; i <= t->nrows; i++)
		for (size_t j = 0; j < t->ncols; j++) {
			tcell_t *c = &tl->cells[i * t->ncols + j];

			cell_prepare(r, i == 0 ? &tl->head : &tl->body, i == 0 ?
			    (t->head ? t->head[j] : "") : t->cells[i - 1][j], c);
			tl->tx[i * t->ncols + j] = layout_text_new(c->s.cp,
			    c->s.adv, c->s.n, c->keep, TABLE_PT);
		}
	port = plan_fit(tl, BLOCK_W);
	if (may_land && (port.broken > 0 || port.head_lines > 2)) {
		lay_fit_t land = plan_fit(tl, BLOCK_H);

		if (land.broken < port.broken || (land.broken == port.broken &&
		    land.head_lines < port.head_lines))
			tl->land = true;
		else
			plan_fit(tl, BLOCK_W);
	}
}

/* Sets tl for the landscape frame (whatever it chose itself). */
static void
plan_land(tlay_t *tl)
{
	if (!tl->land) {
		plan_fit(tl, BLOCK_H);
		tl->land = true;
	}
}

static void
plan_free(tlay_t *tl)
{
	size_t nc = (tl->view.nrows + 1) * tl->view.ncols;

	cells_free(tl->cells, nc);
	for (size_t k = 0; tl->tx && k < nc; k++)
		layout_text_free(tl->tx[k]);
	free(tl->tx);
	free(tl->cells);
	free(tl->view.cells);
	free(tl->colx);
	free(tl->colw);
	free(tl->ys);
	memset(tl, 0, sizeof *tl);
}

/*
 * Draws a planned table in the current frame (which must be the plan's
 * orientation): its caption on the grid, then its rows; when a row does
 * not fit, a new page starts with the header row again.
 */
static int
draw_plan(rd_t *r, tlay_t *tl)
{
	const doc_table_t *t = tl->t;
	const tcell_t *head = tl->cells;
	size_t nc = t->ncols;
	double hh, first = 0;
	int prev, rc = -1;

	if (nc == 0)
		return 0;
	prev = tag_open(r, "Table");
	for (size_t j = 0; j < nc; j++)
		tl->colx[j] = j ? tl->colx[j - 1] + tl->colw[j - 1] : FL(r);
	hh = row_height(tl, head, nc);
	if (t->nrows > 0)
		first = row_height(tl, &tl->cells[nc], nc);
	if (t->caption && *t->caption) {
		para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false, 0};

		/* keep the caption with the header and a first row */
		if ((lines_left(r) < 1 ||
		    FTOP(r) - (FLINES(r) - lines_left(r) + 1) * PITCH - hh -
		    first < FBOT(r) - 0.01) && new_page(r, true) != 0)
			goto done;
		if (tagged_para(r, "Caption", &ST_HEI, t->caption, &po) != 0)
			goto done;
	}
	/* the header row never ends a page: it goes with the first row */
	if (r->y - hh - first < FBOT(r) - 0.01 && table_page(r, tl) != 0)
		goto done;
	draw_row(r, tl, &tl->head, head, true, false);
	for (size_t i = 0; i < t->nrows; i++) {
		const tcell_t *row = &tl->cells[(i + 1) * nc];
		double h = row_height(tl, row, nc);

		/* the last row never goes over alone: when it would, the one
		 * before it goes with it */
		if (i > 0 && i + 2 == t->nrows && r->y - h >= FBOT(r) - 0.01 &&
		    r->y - h - row_height(tl, row + nc, nc) < FBOT(r) - 0.01)
			h = r->y - FBOT(r) + 1;
		if (r->y - h < FBOT(r) - 0.01) {
			if (table_page(r, tl) != 0)
				goto done;
			draw_row(r, tl, &tl->head, head, true, true);
		}
		draw_row(r, tl, &tl->body, row, false, false);
	}
	table_rules(r, tl);
	rc = 0;
done:
	tag_close(r, prev);
	return rc;
}

/* A table of the body, always portrait. */
static int
draw_table(rd_t *r, const doc_table_t *t)
{
	tlay_t tl;
	int rc;

	plan_table(r, t, false, &tl);
	rc = draw_plan(r, &tl);
	plan_free(&tl);
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
	para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	int rc = 0, prev;

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
	if (labw > FW(r) * 0.4)
		labw = FW(r) * 0.4;
	h = (double)c->nbars * pitch + pitch;
	/* title, then the bars on one page */
	if (r->y - PITCH - h < FBOT(r) && new_page(r, true) != 0)
		return -1;
	/* a Figure whose /Alt states its data; its title is its Caption,
	 * its labels, bars and values its content */
	prev = tag_open(r, "Figure");
	tag_set_alt(&r->tags, r->tcur, c->alt ? c->alt : c->title);
	if (c->title && tagged_para(r, "Caption", &ST_HEI, c->title, &po) != 0) {
		tag_close(r, prev);
		return -1;
	}
	x0 = FL(r) + 2 * CELL + labw + 8;
	span = FL(r) + FW(r) - 2 * CELL - 60 - x0;
	for (size_t i = 0; i < c->nbars; i++) {
		double top = r->y - (double)i * pitch - (pitch - barh) / 2;
		double len = maxv > 0 ? c->values[i] / maxv * span : 0;
		double base = top - barh / 2 - lab.size * 0.36, w;

		shape(r, &lab, c->labels[i], &s);
		w = shaped_width(&s, 0, s.n);
		draw_shaped(r, &lab, &s, 0, s.n, x0 - 8 - w, base, NULL);
		shaped_free(&s);
		mark(r);
		pen_fill_rgb(&r->pen, 0.55, 0.1, 0.1);
		pen_fill_rect(&r->pen, x0, top - barh, len, barh);
		shape(r, &lab, c->value_text && c->value_text[i] ?
		    c->value_text[i] : "", &s);
		draw_shaped(r, &lab, &s, 0, s.n, x0 + len + 6, base, NULL);
		shaped_free(&s);
	}
	/* the axis */
	mark(r);
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
		    FL(r) + FW(r) - 2 * CELL - shaped_width(&s, 0, s.n),
		    r->y - 14, NULL);
		shaped_free(&s);
		r->y -= 18;
	}
	tag_close(r, prev);
	if (hpdf_failed(r, "drawing a chart"))
		rc = -1;
	return rc;
}

/* ---- blocks --------------------------------------------------------------- */

/* The blocks of a section; plans (NULL for the body, whose tables are
 * portrait) holds the attachment's tables, planned for its frame. */
static int
draw_blocks(rd_t *r, const doc_section_t *sec, tlay_t *plans)
{
	for (size_t i = 0; i < sec->nblocks; i++) {
		const doc_block_t *b = &sec->blocks[i];
		int rc = 0;

		switch (b->type) {
		case BLK_HEADING:
			/* a heading never ends a page */
			if (lines_left(r) < 2 && new_page(r, true) != 0)
				return -1;
			rc = body_para(r, b->level <= 1 ? "H2" : b->level == 2 ?
			    "H3" : "H4", b->level <= 1 ? &ST_HEI :
			    b->level == 2 ? &ST_KAI : &ST_BODY, b->text);
			break;
		case BLK_PARA:
			rc = body_para(r, "P", &ST_BODY, b->text);
			break;
		case BLK_LIST: {
			int list = tag_open(r, "L");

			for (size_t k = 0; k < b->nitems && rc == 0; k++) {
				int li = tag_open(r, "LI");

				rc = body_para(r, "LBody", &ST_BODY, b->items[k]);
				tag_close(r, li);
			}
			tag_close(r, list);
			break;
		}
		case BLK_TABLE:
			rc = plans ? draw_plan(r, &plans[i]) :
			    draw_table(r, b->table);
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
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, true, false, 0};
	const char *num = d->doc_number ? d->doc_number : d->doc_number_blank;
	double top = BLOCK_TOP - 35.0 * MM, w, rule;
	size_t n;
	int head, prev;
	long art;

	if (!d->issuer || !*d->issuer) {
		r->y = BLOCK_TOP - PITCH;
		goto title;
	}
	head = tag_open(r, "Masthead");
	prev = tag_open(r, "Issuer");
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
	    top - iss.size * 0.88, NULL);
	shaped_free(&s);
	tag_close(r, prev);
	r->y = top - iss.size;
	skip_lines(r, 2);
	if (num && *num) {
		if (tagged_para(r, "DocNumber", &ST_BODY, num, &centre) != 0) {
			tag_close(r, head);
			return -1;
		}
	} else
		skip_lines(r, 1);
	/* the red rule 4 mm below the 字号 */
	rule = r->y + (PITCH - BODY_PT) / 2 - 4.0 * MM;
	art = art_begin(r, ART_LAYOUT);
	mark(r);
	pen_stroke_rgb(&r->pen, RED.r, RED.g, RED.b);
	pen_line_width(&r->pen, 1.5);
	pen_move(&r->pen, BLOCK_L, rule);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, rule);
	pen_stroke(&r->pen);
	art_end(r, art);
	tag_close(r, head);
	r->y = rule;
	skip_lines(r, 2);
title:
	centre.balance = true;
	if (d->title && tagged_para(r, "Title", &ST_TITLE, d->title, &centre) != 0)
		return -1;
	centre.balance = false;
	skip_lines(r, 1);
	if (d->recipients && tagged_para(r, "Recipients", &ST_BODY,
	    d->recipients, &left) != 0)
		return -1;
	return 0;
}

/* The characters of an item's number ("1." "12．" "3、") at the start of
 * s, or 0 when it has none. */
static size_t
number_prefix(const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp), k = 0, rc = 0;

	while (k < n && ((cp[k] >= '0' && cp[k] <= '9') ||
	    (cp[k] >= 0xFF10 && cp[k] <= 0xFF19)))
		k++;
	if (k > 0 && k < n && (cp[k] == '.' || cp[k] == 0xFF0E ||
	    cp[k] == 0x3001))
		rc = k + 1;
	free(cp);
	return rc;
}

/* 附件说明, signature and date after the body. */
static int
draw_close(rd_t *r)
{
	const doc_t *d = r->doc;
	shaped_t sig = {0}, date = {0};
	double ws, wd, xs, xd, y;
	int rc = 0, prev;

	if (d->nattach_note > 0) {
		int list = tag_open(r, "L");

		skip_lines(r, 1);
		for (size_t i = 0; i < d->nattach_note; i++) {
			char *t = xasprintf("%s%s", i == 0 ?
			    "附件：" : "", d->attach_note[i]);
			/* GB/T 9704 7.3.4: "附件：" two characters in, the
			 * numbers of the items under each other, and a name
			 * that goes on to another line goes on under its own
			 * first character.  Not justified: every one of these
			 * edges stays where it is measured. */
			para_opts_t po = {i == 0 ? 2 * CELL : 5 * CELL,
			    5 * CELL, 0, ALIGN_LEFT, false, false,
			    (i == 0 ? 3 : 0) + number_prefix(d->attach_note[i])};
			int li = tag_open(r, "LI");

			rc = tagged_para(r, "LBody", &ST_BODY, t, &po);
			tag_close(r, li);
			free(t);
			if (rc != 0) {
				tag_close(r, list);
				return -1;
			}
		}
		tag_close(r, list);
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
		prev = tag_open(r, "Signature");
		draw_shaped(r, &ST_BODY, &sig, 0, sig.n, xs, y, NULL);
		tag_close(r, prev);
	}
	if (date.n) {
		if (next_line(r, BODY_PT, &y) != 0)
			goto fail;
		if (!sig.n)
			r->sig_page = r->npages;
		prev = tag_open(r, "Date");
		draw_shaped(r, &ST_BODY, &date, 0, date.n, xd, y, NULL);
		tag_close(r, prev);
	}
	goto done;
fail:
	rc = -1;
done:
	shaped_free(&sig);
	shaped_free(&date);
	return rc;
}

/*
 * An attachment from a new page: 附件N on the first line, its title on the
 * third, then its blocks.  When one of its tables is better set across
 * the page (plan_table), the whole attachment is set on landscape pages.
 */
static int
draw_attachment(rd_t *r, const doc_section_t *a)
{
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, false, false, 0};
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	tlay_t *plans = xcalloc(a->nblocks + 1, sizeof *plans);
	bool land = false;
	int rc = -1, sect = tag_open(r, "Sect");

	for (size_t i = 0; i < a->nblocks; i++)
		if (a->blocks[i].type == BLK_TABLE) {
			plan_table(r, a->blocks[i].table, true, &plans[i]);
			land = land || plans[i].land;
		}
	for (size_t i = 0; land && i < a->nblocks; i++)
		if (a->blocks[i].type == BLK_TABLE)
			plan_land(&plans[i]);
	r->want_land = land;
	if (new_page(r, true) != 0)
		goto cleanup;
	if (a->label && tagged_para(r, "P", &ST_HEI, a->label, &left) != 0)
		goto cleanup;
	r->y = FTOP(r) - 2 * PITCH;          /* the title on the third line */
	centre.balance = true;
	if (a->title && tagged_para(r, "Title", &ST_TITLE, a->title, &centre) !=
	    0)
		goto cleanup;
	skip_lines(r, 1);
	rc = draw_blocks(r, a, plans);
cleanup:
	tag_close(r, sect);
	r->want_land = false;
	for (size_t i = 0; i < a->nblocks; i++)
		plan_free(&plans[i]);
	free(plans);
	return rc;
}

/* A rule of the 版记 across the block: an artifact. */
static void
rule_at(rd_t *r, double y, double width)
{
	long art = art_begin(r, ART_LAYOUT);

	mark(r);
	pen_stroke_rgb(&r->pen, 0, 0, 0);
	pen_line_width(&r->pen, width);
	pen_move(&r->pen, BLOCK_L, y);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, y);
	pen_stroke(&r->pen);
	art_end(r, art);
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
	int rc = 0, rec, prev;
	char *cct = NULL;
	double *sq = NULL;

	if (!d->cc && !d->printer && !d->print_date)
		return 0;
	rec = tag_open(r, "Record");
	if (d->cc) {
		lay_opts_t lo;

		cct = xasprintf("抄送：%s", d->cc);
		shape(r, &ST_NOTE, cct, &cc);
		sq = xcalloc(cc.n + 1, sizeof *sq);
		memset(&lo, 0, sizeof lo);
		lo.width = BLOCK_W - 2 * NOTE_PT;
		lo.justify = true;
		lo.indent = 3 * NOTE_PT;
		lo.em = NOTE_PT;
		lo.squeeze = sq;
		nl = layout_break(cc.cp, cc.adv, cc.n, &lo, &lines);
	}
	h = (double)(nl + 1) * pitch;
	if (r->land || !((r->npages - r->first) % 2 == 0 &&
	    r->y - BLOCK_BOT >= h + pitch)) {
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
	prev = tag_open(r, "P");
	for (size_t i = 0; i < nl; i++) {
		double base = y - pitch / 2 - NOTE_PT * 0.36;

		draw_line(r, &ST_NOTE, &cc, sq, &lines[i],
		    BLOCK_L + NOTE_PT + lines[i].indent, base);
		y -= pitch;
	}
	tag_close(r, prev);
	if (nl)
		rule_at(r, y, 0.25 * MM);
	shape(r, &ST_NOTE, d->printer, &pr);
	shape(r, &ST_NOTE, d->print_date, &pd);
	lw = shaped_width(&pd, 0, pd.n);
	prev = tag_open(r, "P");
	draw_shaped(r, &ST_NOTE, &pr, 0, pr.n, BLOCK_L + NOTE_PT,
	    y - pitch / 2 - NOTE_PT * 0.36, NULL);
	tag_close(r, prev);
	prev = tag_open(r, "P");
	draw_shaped(r, &ST_NOTE, &pd, 0, pd.n, BLOCK_L + BLOCK_W - NOTE_PT - lw,
	    y - pitch / 2 - NOTE_PT * 0.36, NULL);
	tag_close(r, prev);
	rule_at(r, BLOCK_BOT, 0.35 * MM);
	goto done;
fail:
	rc = -1;
done:
	tag_close(r, rec);
	free(cct);
	free(sq);
	free(lines);
	shaped_free(&cc);
	shaped_free(&pr);
	shaped_free(&pd);
	return rc;
}

/* ---- document information, PDF/A, output ---------------------------------- */

/* A PDF text string of UTF-8 s (hpdfx_text). */
static HPDF_Binary
pdf_text(HPDF_Doc pdf, const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp);
	HPDF_Binary bin = hpdfx_text(pdf, cp, n);

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
	HPDF_Dict meta, info;
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
	if (!(info = hpdfx_info(pdf)))
		goto fail;
	HPDF_Dict_Add(info, "Title", pdf_text(pdf, title));
	HPDF_Dict_Add(info, "Author", pdf_text(pdf, author));
	HPDF_Dict_Add(info, "Subject", pdf_text(pdf, subject));

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
	meta = hpdfx_stream_plain(pdf, x.data, x.len);
	if (!meta)
		goto fail;
	HPDF_Dict_AddName(meta, "Type", "Metadata");
	HPDF_Dict_AddName(meta, "Subtype", "XML");
	HPDF_Dict_Add(hpdfx_catalog(pdf), "Metadata", meta);
	hpdfx_pdf14(pdf);
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
	prof = hpdfx_stream(r->pdf, icc, len);
	if (prof) {
		HPDF_Dict_AddNumber(prof, "N", 3);
		HPDF_PDFA_AppendOutputIntents(r->pdf, "sRGB IEC61966-2.1", prof);
		/* libharu 2.3.0 writes the key with a trailing space */
		intents = HPDF_Dict_GetItem(hpdfx_catalog(r->pdf), "OutputIntents",
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
	HPDF_Array id = hpdfx_array(r->pdf);
	HPDF_BYTE digest[16], chunk[65536];
	HPDF_MD5_CTX md5;
	size_t base = out->len, plen = strlen(INSTANCE_PLACEHOLDER);
	char *p, *inst, hex[33], uuid[42];
	int found = 0;

	if (!id)
		return hpdf_failed(r, "saving"), -1;
	HPDF_Array_Add(id, hpdfx_binary(r->pdf, r->identity, 16));
	HPDF_Array_Add(id, hpdfx_binary(r->pdf, zero, 16));
	HPDF_Dict_Add(hpdfx_trailer(r->pdf), "ID", id);
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
/* The document's kept phrases as code points (r->phr), or none. */
static void
phrases_free(rd_t *r)
{
	for (size_t i = 0; i < r->nphr; i++)
		free(r->phr[i]);
	free(r->phr);
	free(r->plen);
	r->phr = NULL;
	r->plen = NULL;
	r->nphr = 0;
}

static void
phrases_set(rd_t *r, const doc_t *doc)
{
	phrases_free(r);
	r->phr = xcalloc(doc->nkeep + 1, sizeof *r->phr);
	r->plen = xcalloc(doc->nkeep + 1, sizeof *r->plen);
	for (size_t i = 0; i < doc->nkeep; i++)
		r->plen[i] = layout_decode(doc->keep[i], &r->phr[i]);
	r->nphr = doc->nkeep;
}

static int
render_doc(rd_t *r, const doc_t *doc)
{
	int start, rc = -1;
	tag_state_t ts;

	if (r->npages % 2 == 1 && new_page(r, false) != 0)
		return -1;
	start = r->npages;
	r->doc = doc;
	phrases_set(r, doc);
	r->first = start;
	r->break_before = 0;
	ts = tag_save(&r->tags);
	for (int attempt = 0; attempt < 2; attempt++) {
		r->lineno = r->last_text_line = r->last_text_page = 0;
		r->sig_page = 0;
		if (new_page(r, true) != 0 || draw_head(r) != 0 ||
		    draw_blocks(r, &doc->body, NULL) != 0 || draw_close(r) != 0)
			goto cleanup;
		if (attempt > 0 || r->sig_page <= r->last_text_page ||
		    r->last_text_line < 3)
			break;
		r->break_before = r->last_text_line - 1;
		/* the elements and MCIDs of the first attempt go with it */
		tag_rewind(&r->tags, &ts, start);
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
	tag_state_free(&ts);
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

/* The pages of the file, in order (the caller frees the array). */
static HPDF_Page *
page_list(rd_t *r)
{
	HPDF_Page *pages = xcalloc((size_t)r->npages + 1, sizeof *pages);

	for (int i = 0; i < r->npages; i++)
		pages[i] = HPDF_GetPageByIndex(r->pdf, (HPDF_UINT)i);
	return pages;
}

/*
 * Bookmarks and page labels of a file of several documents: one bookmark
 * per document (its title) on its first page, and page labels restarting
 * at 1 with each document as its printed numbers do.
 */
static int
add_outline(rd_t *r, const doc_t *const *docs, size_t n, const int *firsts)
{
	HPDF_Page *pages = page_list(r);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		HPDF_Outline o = HPDF_CreateOutline(r->pdf, NULL, "-", NULL);
		/* the destination [page /Fit] a direct array in the item:
		 * libharu's HPDF_Page_CreateDestination makes it an indirect
		 * object, which PDFBox Preflight refuses (1.2.3 "can't convert
		 * to Destination") */
		HPDF_Array dst = o && pages[firsts[i]] ?
		    hpdfx_array(r->pdf) : NULL;
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

/*
 * The structure tree (pdftag.c) with /Lang zh-CN and MarkInfo, and the
 * viewer's window titled with the document's title rather than the file
 * name (DisplayDocTitle, as accessibility checkers ask of a tagged file).
 */
static int
set_structure(rd_t *r)
{
	HPDF_Page *pages = page_list(r);
	HPDF_Dict vp = hpdfx_direct_dict(r->pdf);
	int rc = tag_write(&r->tags, r->pdf, pages, r->npages, "zh-CN", ROLEMAP);

	if (rc == 0 && (!vp || HPDF_Dict_Add(vp, "DisplayDocTitle",
	    hpdfx_bool(r->pdf, 1)) != HPDF_OK ||
	    HPDF_Dict_Add(hpdfx_catalog(r->pdf), "ViewerPreferences", vp) !=
	    HPDF_OK))
		rc = -1;
	free(pages);
	if (rc != 0)
		hpdf_fail(r, "writing the structure tree");
	return rc;
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
	tag_init(&r.tags);
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
	/* the tree: a Document, each of several documents an Art of it */
	r.tcur = tag_add(&r.tags, -1, "Document");
	for (size_t i = 0; i < n; i++) {
		int doc = n > 1 ? tag_open(&r, "Art") : r.tcur, done;

		firsts[i] = r.npages + (r.npages % 2);
		done = render_doc(&r, docs[i]);
		tag_close(&r, doc);
		if (done != 0)
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
	    set_structure(&r) != 0 || set_metadata(&r, docs[0], title, n == 1 ? docs[0]->subject : title,
	    created > 0 ? created : epoch) != 0 || set_output_intent(&r) != 0 || save(&r, out) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	phrases_free(&r);
	tag_free(&r.tags);
	free(title);
	free(firsts);
	pen_free(&r.pen);
	fonts_free(r.fonts);
	if (r.pdf)
		HPDF_Free(r.pdf);
	return rc;
}

void
render_pdf_release(void)
{
	fonts_release();
}

int
render_pdf(const doc_t *doc, const char *fonts_dir, buf_t *out,
    diag_list_t *dl)
{
	return render_pdf_docs(&doc, 1, fonts_dir, out, dl);
}
