/*
 * frame.c - finds the table in a ledger file the way a clerk would (see
 * frame.h and SPEC 3.4).  Readers (csvread.c, xlsxread.c) hand every record
 * here; nothing in this file knows about bytes, encodings or zip archives.
 *
 * Header: each non-empty record before the header is matched against the
 * vocabulary (header_key() drops notes such as （审核）); the first that names
 * every required column is the header.  If none of the first HEADER_SCAN
 * non-empty records does, the one naming the most columns is taken as "the
 * header the file has" and each missing column is reported against it,
 * once, with the nearest header cell - or, when the header is one cell of
 * names between semicolons or tabs, one error says the file is not
 * comma-separated.  Either way no row is read: every row would repeat the
 * same error.
 *
 * Footer: after the header, a row whose first non-empty cell starts with
 * one of footer_words is held back; the next ordinary row releases the
 * held rows as data (a 合计 inside the data is data, and its errors are
 * reported), the end of the file drops them with one note.
 *
 * Matching a header cell costs one key and a look-up in a small vocabulary,
 * and duplicate columns are found through a hash map: a header of 100,000
 * columns is read in linear time.
 */
#include "frame.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* non-empty records looked at for the header before giving up */
#define HEADER_SCAN   30
/* header cells quoted in a message */
#define QUOTE_CELLS   20

static const char *const footer_words[] = { "合计", "总计", "小计", "填表人",
    "填报人", "制表人", "审核人", "负责人", "说明", "备注", "注" };

struct held {                   /* a footer-like row held back */
	long    line;
	char  **f;
	size_t  nf;
};

struct frame {
	const char   *file;
	frame_opts_t  o;
	table_t      *t;
	diag_list_t  *dl;
	char        **cnk, **enk;   /* header_key of each vocabulary name */
	long         *idx;
	size_t        nerr;         /* errors this frame reported */
	bool          have_header, rows_on, stopped;

	size_t        scanned;      /* non-empty records before the header */
	char        **best;         /* the record naming most columns so far */
	size_t        nbest, best_score;
	long          best_line;
	long          semi_line;    /* a header of names between ';' or tabs */
	char          semi_sep;
	long          skipped_line; /* first skipped record above the header */
	char         *skipped_cell;

	struct held  *held;
	size_t        nheld, capheld;
	const char  **fp;           /* the row handed on (padded) */
};

static void
ferror_(frame_t *fr, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ferror_(frame_t *fr, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(fr->dl, DIAG_ERROR, fr->file, line, fmt, ap);
	va_end(ap);
	fr->nerr++;
}

static char **
copy_fields(const char *const *f, size_t nf)
{
	char **v = xcalloc(nf ? nf : 1, sizeof *v);

	for (size_t i = 0; i < nf; i++)
		v[i] = xstrdup(f[i]);
	return v;
}

static void
free_fields(char **v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool
all_empty(const char *const *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (f[i][0] != '\0')
			return false;
	return true;
}

/* The vocabulary column named by header key `key`, or -1. */
static long
vocab_find(char *const *cnk, char *const *enk, size_t n, const char *key)
{
	if (key[0] == '\0')
		return -1;
	for (size_t k = 0; k < n; k++)
		if (strcmp(key, cnk[k]) == 0 || strcmp(key, enk[k]) == 0)
			return (long)k;
	return -1;
}

static void
vocab_keys(const frame_col_t *cols, size_t n, char ***cnk, char ***enk)
{
	*cnk = xcalloc(n + 1, sizeof **cnk);
	*enk = xcalloc(n + 1, sizeof **enk);
	for (size_t k = 0; k < n; k++) {
		(*cnk)[k] = header_key(cols[k].cn);
		(*enk)[k] = header_key(cols[k].en);
	}
}

char *
frame_vocab_names(const frame_col_t *cols, size_t ncols, bool required)
{
	buf_t b;
	size_t n = 0;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t k = 0; k < ncols; k++)
		if (!required || cols[k].required)
			buf_printf(&b, "%s%s/%s", n++ ? ", " : "", cols[k].cn,
			    cols[k].en);
	return buf_steal(&b);
}

/* "a, b, c, … (N in all)": the first QUOTE_CELLS non-empty cells. */
static char *
quote_cells(const char *const *cells, size_t n)
{
	buf_t b;
	size_t shown = 0, all = 0;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (cells[i][0] == '\0')
			continue;
		if (shown < QUOTE_CELLS)
			buf_printf(&b, "%s%s", shown++ ? ", " : "", cells[i]);
		all++;
	}
	if (all > shown)
		buf_printf(&b, ", … (%zu in all)", all);
	return buf_steal(&b);
}

/*
 * The header cell nearest to the missing column k: the unmatched cell
 * sharing the longest run of characters (at least two) with its Chinese
 * name, or within two edits of its English alias; ties to the fewer edits.
 * Returns the cell index or -1.
 */
static long
nearest_cell(const char *const *cells, char *const *keys, const long *matched,
    size_t n, const char *cnk, const char *enk)
{
	long best = -1;
	size_t best_run = 0, best_dist = (size_t)-1;

	for (size_t c = 0; c < n; c++) {
		size_t run, dist, den;

		if (matched[c] >= 0 || keys[c][0] == '\0')
			continue;
		run = utf8_common_run(keys[c], cnk);
		dist = utf8_edit_distance(keys[c], cnk);
		den = utf8_edit_distance(keys[c], enk);
		if (run < 2 && !(den <= 2 && strlen(enk) > 3))
			continue;
		if (den < dist)
			dist = den;
		if (run > best_run || (run == best_run && dist < best_dist)) {
			best = (long)c;
			best_run = run;
			best_dist = dist;
		}
	}
	(void)cells;
	return best;
}

int
frame_map(const char *file, long line, const char *const *cells, size_t n,
    const frame_col_t *cols, size_t ncols, long *idx, diag_list_t *dl)
{
	char **cnk = NULL, **enk = NULL, **keys = NULL;
	long *matched = NULL;
	buf_t unknown;
	size_t nunknown = 0, errors0 = dl->errors;

	buf_init(&unknown);
	vocab_keys(cols, ncols, &cnk, &enk);
	keys = xcalloc(n + 1, sizeof *keys);
	matched = xcalloc(n + 1, sizeof *matched);
	for (size_t k = 0; k < ncols; k++)
		idx[k] = -1;
	for (size_t c = 0; c < n; c++) {
		long k;

		keys[c] = header_key(cells[c]);
		k = vocab_find(cnk, enk, ncols, keys[c]);
		matched[c] = k;
		if (k < 0) {
			if (cells[c][0] != '\0' && nunknown++ < QUOTE_CELLS)
				buf_printf(&unknown, "%s%s", nunknown > 1 ?
				    ", " : "", cells[c]);
		} else if (idx[k] >= 0) {
			diag_error(dl, file, line, "column %s (%s) is named twice "
			    "in the header: \"%s\" (column %ld) and \"%s\" "
			    "(column %zu)", cols[k].cn, cols[k].en,
			    cells[idx[k]], idx[k] + 1, cells[c], c + 1);
		} else {
			idx[k] = (long)c;
		}
	}
	for (size_t k = 0; k < ncols; k++) {
		char *have;
		long near;

		if (!cols[k].required || idx[k] >= 0)
			continue;
		have = quote_cells(cells, n);
		near = nearest_cell(cells, keys, matched, n, cnk[k], enk[k]);
		if (near >= 0)
			diag_error(dl, file, line, "missing column %s (%s); the "
			    "header has: %s; nearest: \"%s\"", cols[k].cn,
			    cols[k].en, have, cells[near]);
		else
			diag_error(dl, file, line, "missing column %s (%s); the "
			    "header has: %s", cols[k].cn, cols[k].en, have);
		free(have);
	}
	/* after an error the unknown cells are in "the header has" already */
	if (nunknown > 0 && dl->errors == errors0)
		diag_warning(dl, file, line, "column%s not read (not a column of "
		    "this ledger): %s%s", nunknown == 1 ? "" : "s",
		    unknown.data, nunknown > QUOTE_CELLS ? ", …" : "");
	buf_free(&unknown);
	free_fields(keys, n);
	free(matched);
	free_fields(cnk, ncols);
	free_fields(enk, ncols);
	return dl->errors > errors0 ? -1 : 0;
}

/* ---- the header ------------------------------------------------------------ */

/* Plain CSV: a header cell named twice is an error (found by hashing). */
static void
check_twice(frame_t *fr)
{
	table_t *t = fr->t;
	strmap_t seen = { 0 };

	for (size_t i = 0; i < t->ncols; i++) {
		char *k;
		size_t first;

		if (t->cols[i][0] == '\0')
			continue;
		k = name_key(t->cols[i]);
		if (!strmap_put(&seen, k, i, &first))
			ferror_(fr, t->header_line, "column \"%s\" appears "
			    "twice in the header: \"%s\" (column %zu) and \"%s\" "
			    "(column %zu)", t->cols[first], t->cols[first],
			    first + 1, t->cols[i], i + 1);
		free(k);
	}
	strmap_free(&seen);
}

static void
take_header(frame_t *fr, const char *const *f, size_t nf, long line)
{
	table_t *t = fr->t;

	t->ncols = nf;
	t->cols = xcalloc(nf ? nf : 1, sizeof *t->cols);
	for (size_t i = 0; i < nf; i++)
		t->cols[i] = trim(xstrdup(f[i]));
	t->header_line = line;
	fr->have_header = true;
	fr->fp = xcalloc(nf ? nf : 1, sizeof *fr->fp);
	if (fr->skipped_cell != NULL)
		diag_note(fr->dl, fr->file, fr->skipped_line, "%zu row%s above "
		    "the header (line %ld) skipped: \"%s\"", fr->scanned - 1,
		    fr->scanned == 2 ? "" : "s", line, fr->skipped_cell);
	if (fr->o.cols == NULL) {
		check_twice(fr);
	} else {
		size_t e0 = fr->dl->errors;

		fr->idx = xcalloc(fr->o.ncols, sizeof *fr->idx);
		(void)frame_map(fr->file, line, (const char *const *)t->cols,
		    nf, fr->o.cols, fr->o.ncols, fr->idx, fr->dl);
		fr->nerr += fr->dl->errors - e0;
	}
	if (fr->nerr > 0) {
		fr->stopped = true;
		return;
	}
	fr->rows_on = fr->o.sink == NULL ||
	    fr->o.sink->header(t, fr->idx, fr->o.sink->arg) == 0;
}

/* How many vocabulary columns the record names; *all: every required one. */
static size_t
names_in(frame_t *fr, const char *const *f, size_t nf, bool *all)
{
	size_t n = 0, req = 0, nreq = 0;
	unsigned char *hit = xcalloc(fr->o.ncols + 1, 1);

	for (size_t k = 0; k < fr->o.ncols; k++)
		nreq += fr->o.cols[k].required;
	for (size_t c = 0; c < nf; c++) {
		char *key = header_key(f[c]);
		long k = vocab_find(fr->cnk, fr->enk, fr->o.ncols, key);

		free(key);
		if (k < 0 || hit[k])
			continue;
		hit[k] = 1;
		n++;
		req += fr->o.cols[k].required;
	}
	free(hit);
	*all = req == nreq;
	return n;
}

/* A header written as one cell "编号;报送单位;…" (a file saved with
 * semicolons or tabs): the separator, or 0. */
static char
one_cell_header(frame_t *fr, const char *const *f, size_t nf)
{
	static const char seps[] = { ';', '\t' };
	const char *cell = NULL;

	for (size_t c = 0; c < nf; c++) {
		if (f[c][0] == '\0')
			continue;
		if (cell != NULL)
			return 0;
		cell = f[c];
	}
	for (size_t i = 0; cell != NULL && i < sizeof seps; i++) {
		strvec_t parts = { 0 };
		size_t named;
		bool all;
		char *copy = xstrdup(cell), *p = copy, *q;

		while ((q = strchr(p, seps[i])) != NULL) {
			*q = '\0';
			strvec_push(&parts, p);
			p = q + 1;
		}
		strvec_push(&parts, p);
		named = parts.n > 1 ? names_in(fr, (const char *const *)parts.v,
		    parts.n, &all) : 0;
		strvec_free(&parts);
		free(copy);
		if (named >= 2)
			return seps[i];
	}
	return 0;
}

/* No record named the required columns: say why, once. */
static void
no_header(frame_t *fr)
{
	fr->stopped = true;
	if (fr->scanned == 0) {
		ferror_(fr, 0, "empty file: no header row");
	} else if (fr->semi_line > 0) {
		ferror_(fr, fr->semi_line, "the columns are separated by %s, not "
		    "by commas: save the sheet from Excel as \"CSV UTF-8 (comma "
		    "delimited)\" or as an .xlsx workbook",
		    fr->semi_sep == ';' ? "semicolons (;)" : "tabs");
	} else {
		long *idx = xcalloc(fr->o.ncols, sizeof *idx);
		size_t e0 = fr->dl->errors;

		(void)frame_map(fr->file, fr->best_line,
		    (const char *const *)fr->best, fr->nbest, fr->o.cols,
		    fr->o.ncols, idx, fr->dl);
		fr->nerr += fr->dl->errors - e0;
		free(idx);
		if (fr->nerr == 0)      /* cannot happen: a header was missed */
			ferror_(fr, fr->best_line, "no header row found");
	}
}

/* A non-empty record before the header.  Returns nonzero to stop. */
static int
before_header(frame_t *fr, const char *const *f, size_t nf, long line)
{
	size_t score;
	bool all;

	fr->scanned++;
	if (fr->o.cols == NULL) {
		take_header(fr, f, nf, line);
		return fr->stopped;
	}
	score = names_in(fr, f, nf, &all);
	if (all) {
		take_header(fr, f, nf, line);
		return fr->stopped;
	}
	if (fr->best == NULL || score > fr->best_score) {
		free_fields(fr->best, fr->nbest);
		fr->best = copy_fields(f, nf);
		fr->nbest = nf;
		fr->best_score = score;
		fr->best_line = line;
	}
	if (fr->semi_line == 0 && (fr->semi_sep = one_cell_header(fr, f, nf)))
		fr->semi_line = line;
	if (fr->skipped_cell == NULL) {
		for (size_t c = 0; c < nf && fr->skipped_cell == NULL; c++)
			if (f[c][0] != '\0')
				fr->skipped_cell = one_line(f[c]);
		fr->skipped_line = line;
	}
	if (fr->scanned >= HEADER_SCAN || fr->semi_line > 0) {
		no_header(fr);
		return 1;
	}
	return 0;
}

/* ---- rows -------------------------------------------------------------------- */

static bool
footer_like(const char *const *f, size_t nf)
{
	for (size_t c = 0; c < nf; c++) {
		const char *s = f[c];

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "\xe3\x80\x80", 3) == 0)     /* U+3000 */
			s += 3;
		if (*s == '\0')
			continue;
		if ((unsigned char)*s < 0xE0)   /* every footer word is CJK */
			return false;
		for (size_t i = 0; i < ARRAY_LEN(footer_words); i++)
			if (strncmp(s, footer_words[i], strlen(footer_words[i])) == 0)
				return true;
		return false;
	}
	return false;
}

/* Keeps a row in the table: one arena block for its pointers and bytes. */
static void
keep_row(table_t *t, const char *const *f, long line)
{
	table_row_t *row;
	size_t ptrs = t->ncols * sizeof *row->f, bytes = 0;
	char *mem, *p;

	for (size_t i = 0; i < t->ncols; i++)
		bytes += strlen(f[i]) + 1;
	xgrow(&t->rows, &t->cap, t->nrows + 1, sizeof *t->rows);
	row = &t->rows[t->nrows++];
	row->line = line;
	mem = table_alloc(t, ptrs + bytes);
	row->f = (char **)(void *)mem;
	p = mem + ptrs;
	for (size_t i = 0; i < t->ncols; i++) {
		size_t n = strlen(f[i]) + 1;

		memcpy(p, f[i], n);
		row->f[i] = p;
		p += n;
	}
}

static void
data_row(frame_t *fr, const char *const *f, size_t nf, long line)
{
	table_t *t = fr->t;
	size_t n = t->ncols;

	if (nf > n && !all_empty(f + n, nf - n)) {
		ferror_(fr, line, "this record has %zu field%s but the header "
		    "(line %ld) has %zu", nf, nf == 1 ? "" : "s",
		    t->header_line, n);
		return;
	}
	if (nf < n && !fr->o.cells) {
		ferror_(fr, line, "this record has %zu field%s but the header "
		    "(line %ld) has %zu", nf, nf == 1 ? "" : "s",
		    t->header_line, n);
		return;
	}
	if (fr->nerr > 0 || !fr->rows_on)   /* the table is thrown away */
		return;
	for (size_t i = 0; i < n; i++)
		fr->fp[i] = i < nf ? f[i] : "";
	if (fr->o.sink != NULL)
		fr->o.sink->row(t, fr->fp, line, fr->o.sink->arg);
	else
		keep_row(t, fr->fp, line);
}

/* Rows held as footers turn out to be data: hand them on. */
static void
release_held(frame_t *fr)
{
	for (size_t i = 0; i < fr->nheld; i++) {
		struct held *h = &fr->held[i];

		data_row(fr, (const char *const *)h->f, h->nf, h->line);
		free_fields(h->f, h->nf);
	}
	fr->nheld = 0;
}

static int
on_record(void *arg, const char *const *f, size_t nf, long line)
{
	frame_t *fr = arg;

	if (fr->stopped)
		return 1;
	if (all_empty(f, nf))
		return 0;
	if (!fr->have_header)
		return before_header(fr, f, nf, line);
	if (fr->o.cols != NULL && footer_like(f, nf)) {
		xgrow(&fr->held, &fr->capheld, fr->nheld + 1, sizeof *fr->held);
		fr->held[fr->nheld++] = (struct held){ line, copy_fields(f, nf),
		    nf };
		return 0;
	}
	release_held(fr);
	data_row(fr, f, nf, line);
	return 0;
}

/* ---- the frame ----------------------------------------------------------------- */

frame_t *
frame_new(const char *file, const frame_opts_t *o, table_t *t, diag_list_t *dl)
{
	frame_t *fr = xcalloc(1, sizeof *fr);

	fr->file = file;
	fr->o = *o;
	fr->t = t;
	fr->dl = dl;
	memset(t, 0, sizeof *t);
	t->file = xstrdup(file != NULL ? file : "");
	t->cells = o->cells;
	if (o->cols != NULL)
		vocab_keys(o->cols, o->ncols, &fr->cnk, &fr->enk);
	return fr;
}

rec_sink_t
frame_records(frame_t *fr)
{
	return (rec_sink_t){ .record = on_record, .arg = fr };
}

int
frame_finish(frame_t *fr)
{
	if (!fr->have_header && !fr->stopped)
		no_header(fr);
	if (fr->nheld > 0) {
		char *a = NULL, *b = NULL;

		/* the first non-empty cell of the first two rows */
		for (size_t i = 0; i < fr->nheld && i < 2; i++) {
			struct held *h = &fr->held[i];
			char **cell = i == 0 ? &a : &b;

			for (size_t c = 0; c < h->nf; c++)
				if (h->f[c][0] != '\0') {
					*cell = one_line(h->f[c]);
					break;
				}
		}
		diag_note(fr->dl, fr->file, fr->held[0].line, "%zu row%s after "
		    "the data left out as a footer: \"%s\"%s%s%s", fr->nheld,
		    fr->nheld == 1 ? "" : "s", a ? a : "", b ? ", \"" : "", b ? b : "",
		    b ? "\"" : "");
		free(a);
		free(b);
		for (size_t i = 0; i < fr->nheld; i++)
			free_fields(fr->held[i].f, fr->held[i].nf);
		fr->nheld = 0;
	}
	return fr->nerr > 0 ? -1 : 0;
}

const long *
frame_idx(const frame_t *fr)
{
	return fr->have_header ? fr->idx : NULL;
}

void
frame_free(frame_t *fr)
{
	if (fr == NULL)
		return;
	for (size_t i = 0; i < fr->nheld; i++)
		free_fields(fr->held[i].f, fr->held[i].nf);
	free(fr->held);
	free_fields(fr->best, fr->nbest);
	free(fr->skipped_cell);
	if (fr->cnk != NULL) {
		free_fields(fr->cnk, fr->o.ncols);
		free_fields(fr->enk, fr->o.ncols);
	}
	free(fr->idx);
	free(fr->fp);
	free(fr);
}
