/*
 * xlsxwrite_csv.c - scores.xlsx, annual.xlsx and workers.xlsx: a CSV
 * contract file as a workbook (xlsx_from_csv, xlsxwrite.h), a sheet of
 * every row and one per group, numbers as number cells, sheet names made
 * Excel-safe; the workbook itself from xlsxwrite.c (xlsxwrite_int.h).
 *
 * The CSV reader is a small RFC 4180 one rather than csvread.c: its input
 * is our own export (export.c), UTF-8 already, and the ledger reader's
 * header trimming, encoding guesses and diagnostics list would only be in
 * the way here.
 */
#include "xlsxwrite.h"
#include "xlsxwrite_int.h"
#include "text.h"
#include "util.h"

#include <xlsxwriter.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH_FILTER  2.0   /* the autofilter button in a header cell */
#define NUM_SIG_MAX   15    /* what a double holds exactly */
#define NUM_DEC_MAX   15
#define EMPTY_NAME    "(空)"

/* ---- plain decimals ------------------------------------------------------- */

/* Adds digit d to the mantissa; false when it would pass NUM_SIG_MAX
 * significant digits (leading zeros are not significant). */
static bool
add_digit(uint64_t *m, int *sig, int d)
{
	if (*m == 0 && d == 0)
		return true;
	if (++*sig > NUM_SIG_MAX)
		return false;
	*m = *m * 10 + (uint64_t)d;
	return true;
}

/*
 * Whether s is a plain decimal, -?(0|[1-9][0-9]*)(\.[0-9]+)?, of at most
 * 15 significant digits and 15 decimals, and not a negative zero (which
 * Excel would show as 0, another figure).  Sets *v and *dec (the number of
 * decimals).  The value is the mantissa, exact in a double, divided by an
 * exact power of ten: one correctly rounded operation, as strtod() would
 * give, and no locale's decimal point in the way.
 */
static bool
plain_number(const char *s, double *v, int *dec)
{
	static const double pow10[NUM_DEC_MAX + 1] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15,
	};
	bool neg = (*s == '-');
	uint64_t m = 0;
	int sig = 0, d = 0;

	s += neg;
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		if (!add_digit(&m, &sig, *s - '0'))
			return false;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return false;
		for (; *s >= '0' && *s <= '9'; s++)
			if (++d > NUM_DEC_MAX || !add_digit(&m, &sig, *s - '0'))
				return false;
	}
	if (*s != '\0' || (neg && m == 0))
		return false;
	*v = (double)m / pow10[d];
	if (neg)
		*v = -*v;
	*dec = d;
	return true;
}

/* ---- the CSV table -------------------------------------------------------- */

struct table {
	arena_t  arena;
	char   **cell;          /* row-major, row 0 the header */
	size_t   ncols, nrows;
	size_t   ncells, cap;
};

enum { FIELD_MORE, FIELD_LAST, FIELD_BAD };

/* Reads the quoted field whose opening quote is at s[*i] into f, leaving
 * *i past the closing quote.  Returns 0, or -1 with *err set. */
static int
quoted_field(const char *s, size_t n, size_t *i, size_t *line, buf_t *f,
    char **err)
{
	size_t start = *line, j = *i + 1;

	for (;;) {
		const char *q = memchr(s + j, '"', n - j);
		size_t run = (q == NULL ? n : (size_t)(q - s)) - j;

		for (size_t k = j; k < j + run; k++)
			*line += (s[k] == '\n');
		buf_add(f, s + j, run);
		j += run;
		if (q == NULL) {
			*err = xasprintf("line %zu: a quoted field never ends",
			    start);
			return -1;
		}
		if (j + 1 < n && s[j + 1] == '"') {     /* "" is one quote */
			buf_putc(f, '"');
			j += 2;
			continue;
		}
		*i = j + 1;
		return 0;
	}
}

/*
 * Reads the field at s[*i..n) into f (emptied first) and its separator.
 * Returns FIELD_MORE when a comma follows, FIELD_LAST at the end of the
 * record or the data (*i then past the LF), FIELD_BAD with *err set.  A
 * quote inside an unquoted field is taken as text.
 */
static int
next_field(const char *s, size_t n, size_t *i, size_t *line, buf_t *f,
    char **err)
{
	size_t j = *i;

	f->len = 0;
	if (j < n && s[j] == '"') {
		if (quoted_field(s, n, &j, line, f, err) == -1)
			return FIELD_BAD;
	} else {
		size_t k = j;

		while (k < n && s[k] != ',' && s[k] != '\n' &&
		    !(s[k] == '\r' && k + 1 < n && s[k + 1] == '\n'))
			k++;
		buf_add(f, s + j, k - j);
		j = k;
	}
	if (j < n && s[j] == ',') {
		*i = j + 1;
		return FIELD_MORE;
	}
	if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n')
		j++;
	if (j < n && s[j] != '\n') {
		*err = xasprintf("line %zu: text after a closing quote", *line);
		return FIELD_BAD;
	}
	if (j < n)
		(*line)++;
	*i = j < n ? j + 1 : n;
	return FIELD_LAST;
}

static void
table_push(struct table *t, const buf_t *f)
{
	xgrow(&t->cell, &t->cap, t->ncells + 1, sizeof *t->cell);
	t->cell[t->ncells++] = arena_strndup(&t->arena,
	    f->data != NULL ? f->data : "", f->len);
}

/* Length of the empty line at s[i..n) (LF or CRLF), or 0 if none. */
static size_t
blank_line(const char *s, size_t n, size_t i)
{
	if (s[i] == '\n')
		return 1;
	if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
		return 2;
	return 0;
}

/* Checks that s[0..n) is text: valid UTF-8 and no NUL.  Returns 0, or -1
 * with *err naming the line. */
static int
check_text(const char *s, size_t n, char **err)
{
	size_t bad = utf8_invalid_at(s, n), line = 1;
	const char *nul = memchr(s, '\0', n);

	if (nul != NULL && (bad == (size_t)-1 || (size_t)(nul - s) < bad))
		bad = (size_t)(nul - s);
	if (bad == (size_t)-1)
		return 0;
	for (size_t k = 0; k < bad; k++)
		line += (s[k] == '\n');
	*err = xasprintf("line %zu: not UTF-8 text", line);
	return -1;
}

/*
 * Reads the CSV of csv into t (zeroed by the caller; table_free() it in
 * any case).  Empty lines are skipped.  Returns 0, or -1 with *err set.
 */
static int
table_read(const buf_t *csv, struct table *t, char **err)
{
	const char *s = csv->data != NULL ? csv->data : "";
	size_t n = csv->len, i = 0, line = 1, skip;
	buf_t f;
	int rc = -1, r;

	buf_init(&f);
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (check_text(s, n, err) == -1)
		goto cleanup;
	while (i < n) {
		size_t start = line, nf = 0;

		if ((skip = blank_line(s, n, i)) > 0) {
			i += skip;
			line++;
			continue;
		}
		do {
			if ((r = next_field(s, n, &i, &line, &f, err)) == FIELD_BAD)
				goto cleanup;
			table_push(t, &f);
			nf++;
		} while (r == FIELD_MORE);
		if (t->nrows == 0)
			t->ncols = nf;
		else if (nf != t->ncols) {
			*err = xasprintf("line %zu: %zu fields, the header has %zu",
			    start, nf, t->ncols);
			goto cleanup;
		}
		t->nrows++;
	}
	if (t->nrows == 0)
		*err = xasprintf("no header line");
	else if (t->nrows > LXW_ROW_MAX || t->ncols > LXW_COL_MAX)
		*err = xasprintf("%zu rows of %zu fields: more than a sheet holds",
		    t->nrows, t->ncols);
	else
		rc = 0;
cleanup:
	buf_free(&f);
	return rc;
}

static void
table_free(struct table *t)
{
	arena_free(&t->arena);
	free(t->cell);
	memset(t, 0, sizeof *t);
}

/* ---- sheet names ----------------------------------------------------------- */

/*
 * s as a legal sheet name of at most room UTF-16 units (the unit Excel
 * counts in): []:*?/\ and control characters become _, as does an
 * apostrophe at either end; an empty s is EMPTY_NAME.  Newly allocated.
 */
static char *
sheet_legal(const char *s, size_t room)
{
	size_t units = 0;
	buf_t b;

	buf_init(&b);
	if (*s == '\0')
		s = EMPTY_NAME;
	while (*s != '\0') {
		const char *from = s;
		uint32_t cp = utf8_next(&s);
		size_t u = cp > 0xFFFF ? 2 : 1;

		if (units + u > room)
			break;
		units += u;
		if (cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\", (int)cp)))
			buf_putc(&b, '_');
		else
			buf_add(&b, from, (size_t)(s - from));
	}
	if (b.data[0] == '\'')
		b.data[0] = '_';
	if (b.data[b.len - 1] == '\'')
		b.data[b.len - 1] = '_';
	return buf_steal(&b);
}

/* s with ASCII letters lower-cased: Excel's sheet names ignore case. */
static char *
fold(const char *s)
{
	char *k = xstrdup(s);

	for (char *p = k; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

/* Takes name if no sheet in used has it; true when taken. */
static bool
name_take(strmap_t *used, const char *name)
{
	char *k = fold(name);
	bool fresh = strmap_put(used, k, 0, NULL);

	free(k);
	return fresh;
}

/* A legal sheet name for want not yet in used (then taken): want itself
 * or want with "(2)", "(3)", ...  Newly allocated. */
static char *
sheet_name(strmap_t *used, const char *want)
{
	char *name = sheet_legal(want, LXW_SHEETNAME_MAX);

	for (unsigned k = 2; !name_take(used, name); k++) {
		char suffix[16], *base;

		snprintf(suffix, sizeof suffix, "(%u)", k);
		base = sheet_legal(want, LXW_SHEETNAME_MAX - strlen(suffix));
		free(name);
		name = xasprintf("%s%s", base, suffix);
		free(base);
	}
	return name;
}

/* ---- scores.xlsx and kin ----------------------------------------------------- */

struct sheet {
	lxw_worksheet *ws;
	lxw_row_t      next;    /* the next row to write */
	double        *width;   /* widest text of each column */
};

struct csvbook {
	struct book         bk;
	const struct table *t;
	lxw_format         *bold, *wrap, *num[NUM_DEC_MAX + 1];
	struct sheet       *sh;
	size_t              nsh, cap;
	strmap_t            names;      /* folded sheet names in use */
	strmap_t            groups;     /* group value -> index in sh */
};

/* The format of a number shown with dec decimals, made once per dec. */
static lxw_format *
num_format(struct csvbook *cb, int dec)
{
	char code[NUM_DEC_MAX + 3] = "0.";

	if (cb->num[dec] != NULL)
		return cb->num[dec];
	cb->num[dec] = workbook_add_format(cb->bk.wb);
	memset(code + 2, '0', (size_t)dec);
	code[dec == 0 ? 1 : 2 + dec] = '\0';
	format_set_num_format(cb->num[dec], code);
	return cb->num[dec];
}

/* Writes field s at (row, col) of sh: a number cell if it is a plain
 * decimal, else a string (wrapped when it holds a line break). */
static int
put_field(struct csvbook *cb, struct sheet *sh, lxw_row_t row, lxw_col_t col,
    const char *s, char **err)
{
	lxw_error e;
	double v, w;
	int dec;

	if (plain_number(s, &v, &dec))
		e = worksheet_write_number(sh->ws, row, col, v,
		    num_format(cb, dec));
	else
		e = worksheet_write_string(sh->ws, row, col, s,
		    strchr(s, '\n') != NULL ? cb->wrap : NULL);
	if (e != LXW_NO_ERROR)
		return xw_cell_error(row, col, e, err);
	w = xw_text_width(s);
	if (sh->width[col] < w)
		sh->width[col] = w;
	return 0;
}

/* Appends row r of the table to sh. */
static int
put_row(struct csvbook *cb, struct sheet *sh, size_t r, char **err)
{
	const struct table *t = cb->t;
	lxw_row_t row = sh->next++;

	for (size_t c = 0; c < t->ncols; c++)
		if (put_field(cb, sh, row, (lxw_col_t)c, t->cell[r * t->ncols + c],
		    err) == -1)
			return -1;
	return 0;
}

/* Adds a sheet named after want holding the header row; sets *idx. */
static int
add_sheet(struct csvbook *cb, const char *want, size_t *idx, char **err)
{
	const struct table *t = cb->t;
	struct sheet *sh;
	char *name = sheet_name(&cb->names, want);
	lxw_error e;
	int rc = -1;

	xgrow(&cb->sh, &cb->cap, cb->nsh + 1, sizeof *cb->sh);
	sh = &cb->sh[cb->nsh];
	memset(sh, 0, sizeof *sh);
	if ((sh->ws = workbook_add_worksheet(cb->bk.wb, name)) == NULL) {
		*err = xasprintf("cannot add a sheet named %s", name);
		goto cleanup;
	}
	sh->width = xcalloc(t->ncols, sizeof *sh->width);
	*idx = cb->nsh++;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = t->cell[c];

		e = worksheet_write_string(sh->ws, 0, (lxw_col_t)c, h, cb->bold);
		if (e != LXW_NO_ERROR) {
			(void)xw_cell_error(0, (lxw_col_t)c, e, err);
			goto cleanup;
		}
		sh->width[c] = xw_text_width(h) + WIDTH_FILTER;
	}
	sh->next = 1;
	rc = 0;
cleanup:
	free(name);
	return rc;
}

/* Sizes sh's columns, freezes its header and puts a filter on it. */
static int
finish_sheet(const struct csvbook *cb, const struct sheet *sh, char **err)
{
	lxw_col_t last = (lxw_col_t)(cb->t->ncols - 1);
	lxw_error e;

	for (size_t c = 0; c < cb->t->ncols; c++)
		if ((e = worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c,
		    xw_column_width(sh->width[c]), NULL)) != LXW_NO_ERROR)
			return xw_cell_error(0, (lxw_col_t)c, e, err);
	worksheet_freeze_panes(sh->ws, 1, 0);
	if ((e = worksheet_autofilter(sh->ws, 0, 0, sh->next - 1, last)) !=
	    LXW_NO_ERROR) {
		*err = xasprintf("autofilter: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}

/* The sheet of rows whose group value is g, added on g's first row. */
static int
group_sheet(struct csvbook *cb, const char *g, size_t *idx, char **err)
{
	if (strmap_get(&cb->groups, g, idx))
		return 0;
	if (add_sheet(cb, g, idx, err) == -1)
		return -1;
	(void)strmap_put(&cb->groups, g, *idx, NULL);
	return 0;
}

/* Every sheet of the workbook: all rows, then one per group (gcol, or
 * SIZE_MAX for none). */
static int
csv_sheets(struct csvbook *cb, const char *all_sheet, size_t gcol, char **err)
{
	const struct table *t = cb->t;
	size_t all, g;

	cb->bold = xw_bold_format(cb->bk.wb);
	cb->wrap = workbook_add_format(cb->bk.wb);
	format_set_text_wrap(cb->wrap);
	/* Excel reserves this name for its change history. */
	(void)name_take(&cb->names, "History");
	if (add_sheet(cb, all_sheet, &all, err) == -1)
		return -1;
	for (size_t r = 1; r < t->nrows; r++) {
		if (put_row(cb, &cb->sh[all], r, err) == -1)
			return -1;
		if (gcol == SIZE_MAX)
			continue;
		if (group_sheet(cb, t->cell[r * t->ncols + gcol], &g, err) == -1 ||
		    put_row(cb, &cb->sh[g], r, err) == -1)
			return -1;
	}
	for (size_t k = 0; k < cb->nsh; k++)
		if (finish_sheet(cb, &cb->sh[k], err) == -1)
			return -1;
	return 0;
}

/* The index of header name in t, or SIZE_MAX. */
static size_t
column_of(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->cell[c], name) == 0)
			return c;
	return SIZE_MAX;
}

int
xlsx_from_csv(const buf_t *csv, const char *group_col, const char *all_sheet,
    time_t created, buf_t *out, char **err)
{
	struct table t;
	struct csvbook cb;
	size_t gcol = SIZE_MAX;
	int rc = -1;

	memset(&t, 0, sizeof t);
	memset(&cb, 0, sizeof cb);
	*err = NULL;
	if (xw_check_created(created, err) == -1 || table_read(csv, &t, err) == -1)
		goto cleanup;
	if (all_sheet == NULL || utf8_invalid_at(all_sheet, strlen(all_sheet)) !=
	    (size_t)-1) {
		*err = xasprintf("no valid name for the sheet of all rows");
		goto cleanup;
	}
	if (group_col != NULL && (gcol = column_of(&t, group_col)) == SIZE_MAX) {
		*err = xasprintf("no column %s to group by", group_col);
		goto cleanup;
	}
	cb.t = &t;
	if (xw_book_open(&cb.bk, created, err) == 0 &&
	    csv_sheets(&cb, all_sheet, gcol, err) == 0)
		rc = xw_book_close(&cb.bk, out, err);
	else
		(void)xw_book_close(&cb.bk, NULL, NULL);
cleanup:
	for (size_t k = 0; k < cb.nsh; k++)
		free(cb.sh[k].width);
	free(cb.sh);
	strmap_free(&cb.names);
	strmap_free(&cb.groups);
	table_free(&t);
	return rc;
}
