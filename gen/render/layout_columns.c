/*
 * layout_columns.c - the columns of a table (layout.h layout_columns),
 * chosen from the cells' own text (README "Column widths"): every column
 * first as wide as the widest kept phrase in it when all of them fit
 * (else as its widest unbreakable piece), then the room left goes step by
 * step where it saves most for its width (a kept phrase no longer broken,
 * a line of the header row, of another row, of a cell: the costs below);
 * what no step needs is shared in proportion.  Each cell's lines as a
 * function of the width are found once (steps_build), from its own
 * setting (layout_set_text in layout.c).  Hand-written: no library
 * chooses columns for a caller-measured grid.
 */
#include "layout_int.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the columns of a table ------------------------------------------------- */

/* What a table's setting costs (layout_columns): a kept phrase broken,
 * a line of the header row's height (repeated on every page, and a label
 * read at a glance), of another row's, a line of a cell. */
#define COST_BROKE 1000.0
#define COST_HEAD  8.0
#define COST_ROW   4.0
#define COST_LINE  1.0
/* body rows, the tallest first, whose height layout_columns tries to
 * lower as a whole each step (besides the header row) */
#define ROW_MOVES  8

size_t
layout_text_lines(lay_text_t *t, double w, bool *broke)
{
	lay_opts_t o;

	memset(&o, 0, sizeof o);
	o.width = w;
	o.em = t->em;
	return layout_set_text(t, &o, NULL, broke, NULL);
}

/*
 * t's lines as a function of the width, from its widest unbreakable piece
 * up to one line: the widths where the setting changes are found from the
 * setting itself (a line takes the next piece when it widens by that
 * piece), so a cell of n characters is set about n times, once.  A cell
 * of more than LONG_CELL characters (a pathological title) is set only at
 * its narrowest; wider, its lines are reckoned from its length (its
 * natural width over the width, in steps of a quarter), as a paragraph's.
 */
#define LONG_CELL 4096

static void
steps_build(lay_text_t *t)
{
	lay_opts_t o;
	size_t cap = 0;
	double w = t->minw;

	memset(&o, 0, sizeof o);
	o.em = t->em;
	for (int guard = 0; guard < 400; guard++) {
		bool broke = false;
		size_t nl;
		double next = INFINITY;

		o.width = w;
		nl = layout_set_text(t, &o, NULL, &broke, &next);
		if (t->nsteps == 0 || t->ls[t->nsteps - 1] != nl ||
		    t->bs[t->nsteps - 1] != broke) {
			xgrow(&t->ws, &cap, t->nsteps + 2, sizeof *t->ws);
			t->ls = xrealloc(t->ls, cap * sizeof *t->ls);
			t->bs = xrealloc(t->bs, cap * sizeof *t->bs);
			t->ws[t->nsteps] = w;
			t->ls[t->nsteps] = nl;
			t->bs[t->nsteps] = broke;
			t->nsteps++;
		}
		if (broke && t->keepw > w && t->keepw < next)
			next = t->keepw;
		if ((nl <= 1 && !broke) || !isfinite(next))
			break;
		if (t->n > LONG_CELL) {
			for (double x = w * 1.25; t->ls[t->nsteps - 1] > 1; x *= 1.25) {
				double l = ceil(t->maxw / x);

				if (l >= (double)t->ls[t->nsteps - 1])
					continue;
				xgrow(&t->ws, &cap, t->nsteps + 1, sizeof *t->ws);
				t->ls = xrealloc(t->ls, cap * sizeof *t->ls);
				t->bs = xrealloc(t->bs, cap * sizeof *t->bs);
				t->ws[t->nsteps] = x;
				t->ls[t->nsteps] = l > 1 ? (size_t)l : 1;
				t->bs[t->nsteps] = false;
				t->nsteps++;
			}
			break;
		}
		w = next > w + 1e-3 ? next : w + 1e-3;
	}
}

/* The step of t in force at width w. */
static size_t
step_at(const lay_text_t *t, double w)
{
	size_t lo = 0, hi = t->nsteps;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (t->ws[mid] <= w + 1e-9)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The narrowest width at which t sets in at most k lines without breaking
 * a kept phrase, or INFINITY. */
static double
width_for(const lay_text_t *t, size_t k)
{
	for (size_t i = 0; i < t->nsteps; i++)
		if (t->ls[i] <= k && !t->bs[i])
			return t->ws[i];
	return INFINITY;
}

/* A table being fitted. */
typedef struct fit {
	lay_text_t *const *cells;
	size_t      nrows, ncols;
	double     *c;          /* the columns' inner widths */
	size_t     *L;          /* lines of each cell at c */
	bool       *B;          /* a kept phrase broken */
	size_t     *H;          /* each row's height in lines */
	double     *mw;         /* a move: each column's new width (or < 0) */
} fit_t;

/* What the move f->mw saves (the costs above); *cost its width. */
static double
move_gain(fit_t *f, double *cost)
{
	size_t nr = f->nrows, nc = f->ncols;
	double gain = 0;

	*cost = 0;
	for (size_t j = 0; j < nc; j++)
		if (f->mw[j] >= 0)
			*cost += f->mw[j] - f->c[j];
	for (size_t r = 0; r < nr; r++) {
		size_t h = 1;

		for (size_t j = 0; j < nc; j++) {
			lay_text_t *t = f->cells[r * nc + j];
			size_t x = r * nc + j, l = f->L[x];

			if (t && f->mw[j] >= 0) {
				size_t k = step_at(t, f->mw[j]);

				l = t->ls[k];
				gain += COST_LINE * ((double)f->L[x] - (double)l) +
				    COST_BROKE * ((f->B[x] ? 1 : 0) - (t->bs[k] ? 1 : 0));
			}
			if (l > h)
				h = l;
		}
		gain += (r == 0 ? COST_HEAD : COST_ROW) *
		    ((double)f->H[r] - (double)h);
	}
	return gain;
}

static void
fit_apply(fit_t *f)
{
	size_t nr = f->nrows, nc = f->ncols;

	for (size_t j = 0; j < nc; j++)
		if (f->mw[j] >= 0)
			f->c[j] = f->mw[j];
	for (size_t r = 0; r < nr; r++) {
		f->H[r] = 1;
		for (size_t j = 0; j < nc; j++) {
			lay_text_t *t = f->cells[r * nc + j];
			size_t x = r * nc + j;

			if (t) {
				size_t k = step_at(t, f->c[j]);

				f->L[x] = t->ls[k];
				f->B[x] = t->bs[k];
			}
			if (f->L[x] > f->H[r])
				f->H[r] = f->L[x];
		}
	}
}

void
layout_columns(lay_text_t *const *cells, size_t nrows, size_t ncols,
    double width, double pad, double *colw, lay_fit_t *fit)
{
	size_t nx = nrows * ncols;
	double sum = 0, *bestmw = NULL;
	const double eps = 1e-6;
	fit_t f;

	if (fit)
		memset(fit, 0, sizeof *fit);
	if (ncols == 0)
		return;
	memset(&f, 0, sizeof f);
	f.cells = cells;
	f.nrows = nrows;
	f.ncols = ncols;
	f.c = xcalloc(ncols, sizeof *f.c);
	f.mw = xcalloc(ncols, sizeof *f.mw);
	bestmw = xcalloc(ncols, sizeof *bestmw);
	f.L = xcalloc(nx + 1, sizeof *f.L);
	f.B = xcalloc(nx + 1, sizeof *f.B);
	f.H = xcalloc(nrows + 1, sizeof *f.H);
	for (size_t x = 0; x < nx; x++) {
		f.L[x] = 1;
		if (cells[x] && cells[x]->minw > f.c[x % ncols])
			f.c[x % ncols] = cells[x]->minw;
	}
	for (size_t j = 0; j < ncols; j++)
		sum += f.c[j] + 2 * pad;
	if (sum > width + eps) {
		/* not even the unbreakable pieces fit: words are cut */
		for (size_t j = 0; j < ncols; j++)
			colw[j] = width * (f.c[j] + 2 * pad) / sum;
		if (fit)
			fit->broken = fit->head_lines = fit->lines = nx + 1;
		goto done;
	}
	/* the kept phrases first: every column as wide as its widest one,
	 * when they all fit (else they compete with the lines below) */
	{
		double ksum = 0, *kc = xcalloc(ncols, sizeof *kc);

		for (size_t x = 0; x < nx; x++) {
			size_t j = x % ncols;
			double k = cells[x] ? cells[x]->keepw : 0;

			kc[j] = fmax(kc[j], fmax(k, f.c[j]));
		}
		for (size_t j = 0; j < ncols; j++)
			ksum += kc[j] + 2 * pad;
		if (ksum <= width + eps) {
			memcpy(f.c, kc, ncols * sizeof *f.c);
			sum = ksum;
		}
		free(kc);
	}
	for (size_t x = 0; x < nx; x++)
		if (cells[x] && cells[x]->nsteps == 0)
			steps_build(cells[x]);
	for (size_t j = 0; j < ncols; j++)
		f.mw[j] = -1;
	fit_apply(&f);
	for (;;) {
		double left = width - sum, best = 0, bcost = 0;
		size_t rows[ROW_MOVES + 1], nmoves = 0;

		/* one column to the next width at which a cell sets better */
		for (size_t j = 0; j < ncols; j++) {
			double w = INFINITY, gain, cost;

			for (size_t r = 0; r < nrows; r++) {
				lay_text_t *t = cells[r * ncols + j];
				size_t k;

				if (!t)
					continue;
				k = step_at(t, f.c[j]);
				if (k + 1 < t->nsteps && t->ws[k + 1] < w)
					w = t->ws[k + 1];
			}
			if (!isfinite(w) || w - f.c[j] > left + eps)
				continue;
			f.mw[j] = w;
			gain = move_gain(&f, &cost);
			if (gain > eps && cost > 0 && gain / cost > best) {
				best = gain / cost;
				bcost = cost;
				memcpy(bestmw, f.mw, ncols * sizeof *bestmw);
			}
			f.mw[j] = -1;
		}
		/* a row one line lower: every column it needs at once (the
		 * header row, then the tallest rows) */
		if (nrows > 0 && f.H[0] > 1)
			rows[nmoves++] = 0;
		for (size_t r = 1; r < nrows; r++) {
			size_t at = nmoves;

			if (f.H[r] <= 1)
				continue;
			while (at > (f.H[0] > 1 ? 1u : 0u) && f.H[rows[at - 1]] < f.H[r])
				at--;
			if (at >= ROW_MOVES + 1)
				continue;
			if (nmoves < ROW_MOVES + 1)
				nmoves++;
			memmove(rows + at + 1, rows + at,
			    (nmoves - 1 - at) * sizeof *rows);
			rows[at] = r;
		}
		for (size_t m = 0; m < nmoves; m++) {
			size_t r = rows[m], target = f.H[r] - 1;
			bool ok = true;
			double gain, cost;

			for (size_t j = 0; j < ncols && ok; j++) {
				lay_text_t *t = cells[r * ncols + j];

				f.mw[j] = -1;
				if (t && f.L[r * ncols + j] > target) {
					double w = width_for(t, target);

					ok = isfinite(w) && w > f.c[j];
					f.mw[j] = w;
				}
			}
			if (ok) {
				gain = move_gain(&f, &cost);
				if (cost <= left + eps && gain > eps && cost > 0 &&
				    gain / cost > best) {
					best = gain / cost;
					bcost = cost;
					memcpy(bestmw, f.mw, ncols * sizeof *bestmw);
				}
			}
			for (size_t j = 0; j < ncols; j++)
				f.mw[j] = -1;
		}
		if (best <= 0)
			break;
		memcpy(f.mw, bestmw, ncols * sizeof *f.mw);
		sum += bcost;
		fit_apply(&f);
		for (size_t j = 0; j < ncols; j++)
			f.mw[j] = -1;
	}
	/* what no step needed, in proportion to the widths */
	for (size_t j = 0; j < ncols; j++)
		colw[j] = (f.c[j] + 2 * pad) * width / sum;
	if (fit) {
		for (size_t x = 0; x < nx; x++)
			fit->broken += f.B[x];
		for (size_t r = 0; r < nrows; r++)
			fit->lines += f.H[r];
		fit->head_lines = nrows ? f.H[0] : 0;
	}
done:
	free(f.c);
	free(f.mw);
	free(bestmw);
	free(f.L);
	free(f.B);
	free(f.H);
}

