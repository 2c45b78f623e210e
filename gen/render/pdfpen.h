/*
 * pdfpen.h - a small writer of PDF page content (the operators of one
 * page's content stream) for the PDF backend.  It knows nothing of
 * libharu: the painter (render_pdf_page.c) hands it font resource names
 * and copies its bytes into the page.  Included by the render_pdf*.c
 * files and the tests.
 */
#ifndef TB_PDFPEN_H
#define TB_PDFPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * The content of one page being written, and the graphics state it has
 * set so far: an operator is written only when it changes that state.
 * Coordinates are kept in thousandths of a point, so relative moves add
 * up to exactly the positions asked for (no drift).
 */
typedef struct pdfpen {
	buf_t  out;              /* the content so far */
	bool   text;             /* inside BT ... ET */
	bool   path;             /* a path is being built (m, l, re) */
	char   font[16];         /* Tf resource name ("" none) */
	long   size;             /* Tf size, thousandths */
	long   tc;               /* Tc, 1/10000 */
	int    tr;               /* Tr */
	long   fill[3], stroke[3];   /* rg / RG, thousandths; -1 unset */
	long   lw;               /* w, thousandths; -1 unset */
	long   lx, ly;           /* the text line's origin, thousandths */
	long   mark;             /* the open marked-content sequence's key
	                            (pen_mark), -1 none */
	/* the state as it was at pen_save(), which pen_restore() gets back */
	struct pen_saved {
		bool   on;
		char   font[16];
		long   size, tc, fill[3], stroke[3], lw;
		int    tr;
	} saved;
} pdfpen_t;

void pen_init(pdfpen_t *p);
void pen_free(pdfpen_t *p);

/*
 * Closes what is open (a text object; a path is left as it is: paths are
 * always painted by their writer) and forgets the state, as for a new
 * page.  The content written so far stays in p->out (the caller takes it
 * and empties p->out).
 */
void pen_end_page(pdfpen_t *p);

/*
 * Writes v / 10^dec as a PDF number in the shortest exact form: no
 * exponent, no trailing zeros or point ("-0.207", "16", "0").  dec <= 6.
 */
void pen_fixed(buf_t *b, long long v, int dec);

/* Colours (components 0..1, kept to 1/1000) and line width. */
void pen_fill_rgb(pdfpen_t *p, double r, double g, double b);
void pen_stroke_rgb(pdfpen_t *p, double r, double g, double b);
void pen_line_width(pdfpen_t *p, double w);

/*
 * Shows n two-byte codes (CIDs) in font resource `font` at size, with
 * character spacing tc and rendering mode tr (0 fill, 2 fill then
 * stroke), starting at (x, y).  Text objects stay open across calls; the
 * text state is set only where it changes.
 */
void pen_text(pdfpen_t *p, const char *font, double size, double tc, int tr,
    double x, double y, const uint16_t *code, size_t n);

/*
 * Marked content (PDF 1.4, 10.5; what a tagged PDF's structure points
 * at).  pen_mark() begins a sequence tagged `tag` ("P", "Artifact") with
 * the property list props ("/MCID 3", "/Type/Pagination"; NULL or "":
 * none) and, with n > 0, an /ActualText of the n code points cp: the text
 * a reader takes for the glyphs inside (squeezed punctuation, which a
 * text extractor would otherwise take for a new word).  With neither it
 * is "/tag BMC".  key is the caller's name for the sequence (p->mark;
 * not -1, which means none), so that it can tell whether the one it
 * wants is open.
 * pen_unmark() ends the open sequence (none: nothing).  Sequences never
 * nest (pen_mark ends the open one first) and stay outside text objects
 * and q ... Q: pen_save(), pen_restore() and pen_end_page() end the open
 * sequence, and p->mark is then -1.
 */
void pen_mark(pdfpen_t *p, long key, const char *tag, const char *props,
    const uint32_t *cp, size_t n);
void pen_unmark(pdfpen_t *p);

/*
 * q and Q: pen_save() keeps the graphics state, pen_restore() gets it back
 * (and the pen's record of it).  One level only.  pen_rotate() turns the
 * coordinates a quarter turn counter-clockwise about the origin and then
 * moves them by (e, f): a point (u, v) is drawn at (e - v, f + u).
 */
void pen_save(pdfpen_t *p);
void pen_restore(pdfpen_t *p);
void pen_rotate(pdfpen_t *p, double e, double f);

/* Paths: a filled rectangle; lines (move, line, ..., stroke). */
void pen_fill_rect(pdfpen_t *p, double x, double y, double w, double h);
void pen_move(pdfpen_t *p, double x, double y);
void pen_line(pdfpen_t *p, double x, double y);
void pen_stroke(pdfpen_t *p);

#endif
