/*
 * render_pdf_table.c - the tables of the PDF backend (render_pdf_int.h):
 * a table planned (every cell shaped, the columns chosen from the cells by
 * layout_columns, portrait or across a landscape page, GB/T 9704 §8) and
 * drawn: its caption kept with its header and first row, rows that never
 * leave the last one alone on a page, the header row repeated on each new
 * page (an artifact), the rules drawn once per row boundary and column
 * edge.  Tagged as Table, TR, TH (/Scope Column) and TD.
 */
#include "render_pdf_int.h"

#include <stdlib.h>
#include <string.h>

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

struct tcell {
	shaped_t       s;
	unsigned char *keep;     /* the unit names in it (layout.h LAY_*) */
	double        *sq;       /* its squeezes, or NULL (none) */
	lay_line_t    *lines;
	size_t         nl;
};

/* Shapes one cell's text and marks the unit names in it. */
static void
cell_prepare(rd_t *r, const style_t *st, const char *text, tcell_t *c)
{
	rp_shape(r, st, text ? text : "", &c->s);
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
		rp_shaped_free(&c[i].s);
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
	long art = rp_art_begin(r, repeated ? ART_PAGE : r->art);
	int row = r->art ? r->tcur : rp_tag_open(r, "TR");

	if (header) {
		long a = rp_art_begin(r, r->art ? r->art : ART_LAYOUT);

		rp_mark(r);
		pen_fill_rgb(&r->pen, 0.92, 0.92, 0.92);
		pen_fill_rect(&r->pen, FL(r), top - h, FW(r), h);
		rp_art_end(r, a);
	}
	for (size_t j = 0; j < t->ncols; j++) {
		int cell = r->art ? r->tcur :
		    rp_tag_open(r, header ? "TH" : "TD");
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
			rp_draw_line(r, st, &c[j].s, c[j].sq, l, x, base);
		}
		if (!r->art) {
			if (header)
				tag_set_scope(&r->tags, r->tcur, "Column");
			rp_tag_close(r, cell);
		}
	}
	if (!r->art)
		rp_tag_close(r, row);
	rp_art_end(r, art);
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
		long art = rp_art_begin(r, ART_LAYOUT);

		rp_mark(r);
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
		rp_art_end(r, art);
	}
	tl->nys = 0;
}

/* The table goes on on a new page: this page's rules first. */
static int
table_page(rd_t *r, tlay_t *tl)
{
	table_rules(r, tl);
	return rp_new_page(r, true);
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
 * Plans table t (caller frees with rp_plan_free): shapes every cell and
 * chooses the columns (layout_columns: unit names whole where any widths
 * allow it, then as few lines as the width gives).  Where may_land, a
 * table that in the portrait block would break a unit name or stack its
 * header in more than two lines, and would not, or less, across a
 * landscape page, is set landscape (GB/T 9704 §8).
 */
void
rp_plan_table(rd_t *r, const doc_table_t *t, bool may_land, tlay_t *tl)
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
void
rp_plan_land(tlay_t *tl)
{
	if (!tl->land) {
		plan_fit(tl, BLOCK_H);
		tl->land = true;
	}
}

void
rp_plan_free(tlay_t *tl)
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
int
rp_draw_plan(rd_t *r, tlay_t *tl)
{
	const doc_table_t *t = tl->t;
	const tcell_t *head = tl->cells;
	size_t nc = t->ncols;
	double hh, first = 0;
	int prev, rc = -1;

	if (nc == 0)
		return 0;
	prev = rp_tag_open(r, "Table");
	for (size_t j = 0; j < nc; j++)
		tl->colx[j] = j ? tl->colx[j - 1] + tl->colw[j - 1] : FL(r);
	hh = row_height(tl, head, nc);
	if (t->nrows > 0)
		first = row_height(tl, &tl->cells[nc], nc);
	if (t->caption && *t->caption) {
		para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false, 0};

		/* keep the caption with the header and a first row */
		if ((rp_lines_left(r) < 1 ||
		    FTOP(r) - (FLINES(r) - rp_lines_left(r) + 1) * PITCH - hh -
		    first < FBOT(r) - 0.01) && rp_new_page(r, true) != 0)
			goto done;
		if (rp_tagged_para(r, "Caption", &ST_HEI, t->caption, &po) != 0)
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
	rp_tag_close(r, prev);
	return rc;
}

/* A table of the body, always portrait. */
int
rp_draw_table(rd_t *r, const doc_table_t *t)
{
	tlay_t tl;
	int rc;

	rp_plan_table(r, t, false, &tl);
	rc = rp_draw_plan(r, &tl);
	rp_plan_free(&tl);
	return rc;
}
