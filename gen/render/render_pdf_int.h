/*
 * render_pdf_int.h - the PDF backend's own header: only the render_pdf*.c
 * files include it; the rest of the program sees render.h.  The page of
 * GB/T 9704 in points, the renderer's state (rd_t), how text is set
 * (style_t) and measured (shaped_t), a table's plan (tlay_t), and what the
 * files share:
 *   render_pdf.c        the document's parts (版头, blocks, 附件说明 and
 *                       signature, attachments, 版记) and the entry points
 *   render_pdf_page.c   tagging, text drawn as type, pages and the grid,
 *                       paragraphs on the grid
 *   render_pdf_table.c  tables: planned (columns, portrait or landscape)
 *                       and drawn across pages
 *   render_pdf_chart.c  the bar chart
 *   render_pdf_meta.c   the document information and XMP, the output
 *                       intent, identity and saving, bookmarks, the
 *                       structure tree's objects
 * Functions return 0 or -1 (a libharu error, reported once through rd_t's
 * diagnostics) unless they say otherwise.
 */
#ifndef TB_RENDER_PDF_INT_H
#define TB_RENDER_PDF_INT_H

#include "render.h"
#include "fonts.h"
#include "layout.h"
#include "pdfpen.h"
#include "pdftag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

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
	HPDF_BYTE     identity[16];   /* rp_doc_identity() */
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
 * being drawn (rp_tag_open: an MCID of the page, pen_mark), the rest as
 * artifacts: page numbers and a table's header row repeated on a new page
 * as pagination, rules, a header row's shading and the table grid as
 * layout.  The elements are opened in the order of the document model, so
 * the tree reads as the document does whatever the order of painting.
 * The keys of pdfpen's sequences: an element's index, or these.
 */
#define ART_LAYOUT    (-2L)
#define ART_PAGE      (-3L)
#define KEY_SPAN      (-4L)

/* A shaped run of text: code points (after substitution) and advances. */
typedef struct shaped {
	uint32_t *cp;
	double   *adv;
	size_t    n;
} shaped_t;

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

typedef struct tcell tcell_t;   /* a cell of a table (render_pdf_table.c) */

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

/* render_pdf_page.c: tagging (the comment above ART_LAYOUT) */
int    rp_tag_open(rd_t *r, const char *type);
void   rp_tag_close(rd_t *r, int prev);
long   rp_art_begin(rd_t *r, long kind);
void   rp_art_end(rd_t *r, long prev);
void   rp_mark(rd_t *r);

/* libharu's errors: the handler given to HPDF_New, and the checks */
void   rp_hpdf_error(HPDF_STATUS err, HPDF_STATUS detail, void *user);
bool   rp_hpdf_failed(rd_t *r, const char *what);
void   rp_hpdf_fail(rd_t *r, const char *what);

/* text: shaped (measured), then drawn */
void   rp_shape(rd_t *r, const style_t *st, const char *text, shaped_t *s);
void   rp_shaped_free(shaped_t *s);
double rp_shaped_width(const shaped_t *s, size_t a, size_t b);
double rp_draw_shaped(rd_t *r, const style_t *st, const shaped_t *s,
    size_t a, size_t b, double x, double y, const double *xs);
void   rp_draw_line(rd_t *r, const style_t *st, const shaped_t *s,
    const double *sq, const lay_line_t *l, double x, double y);

/* pages and the grid */
int    rp_page_flush(rd_t *r);
int    rp_new_page(rd_t *r, bool numbered);
int    rp_next_line(rd_t *r, double size, double *baseline);
int    rp_lines_left(const rd_t *r);
void   rp_skip_lines(rd_t *r, int n);

/* paragraphs on the grid, each an element of the given type */
int    rp_tagged_para(rd_t *r, const char *type, const style_t *st,
    const char *text, const para_opts_t *po);
int    rp_body_para(rd_t *r, const char *type, const style_t *st,
    const char *text);

/* render_pdf_table.c */
void   rp_plan_table(rd_t *r, const doc_table_t *t, bool may_land,
    tlay_t *tl);
void   rp_plan_land(tlay_t *tl);
void   rp_plan_free(tlay_t *tl);
int    rp_draw_plan(rd_t *r, tlay_t *tl);
int    rp_draw_table(rd_t *r, const doc_table_t *t);

/* render_pdf_chart.c */
int    rp_draw_chart(rd_t *r, const doc_chart_t *c);

/* render_pdf_meta.c */
void   rp_doc_identity(const char *author, const char *title, size_t ndocs,
    HPDF_BYTE digest[16]);
int    rp_set_metadata(rd_t *r, const doc_t *d, const char *title_in,
    const char *subject_in, long long created);
int    rp_set_output_intent(rd_t *r);
int    rp_save(rd_t *r, buf_t *out);
char  *rp_common_title(const doc_t *const *docs, size_t n);
int    rp_add_outline(rd_t *r, const doc_t *const *docs, size_t n,
    const int *firsts);
int    rp_set_structure(rd_t *r);

#endif
