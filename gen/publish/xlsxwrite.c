/*
 * xlsxwrite.c - the workbooks tongbao writes (SPEC 3.5): scores.xlsx and
 * its yearly kin from the CSV contract files, and the empty ledgers of
 * `tongbao template`, with libxlsxwriter.
 *
 * libxlsxwriter 1.1.4 writes only to a named file, so each workbook is
 * built in a mkstemp() file under $TMPDIR (libxlsxwriter's own scratch
 * files go there too), read back into the caller's buffer and unlinked.
 * The bytes depend only on the arguments: the caller gives the document's
 * created time (libxlsxwriter writes it as both created and modified in
 * docProps/core.xml), and libxlsxwriter dates every zip entry 1980-01-01,
 * as Excel does, whatever the clock says (test_xlsxwrite checks both).
 *
 * The CSV reader is a small RFC 4180 one rather than csvread.c: its input
 * is our own export (export.c), UTF-8 already, and the ledger reader's
 * header trimming, encoding guesses and diagnostics list would only be in
 * the way here.
 */
#define _POSIX_C_SOURCE 200809L
#include "xlsxwrite.h"
#include "text.h"
#include "util.h"

#include <xlsxwriter.h>
#include <zip.h>
#include <libxml/parser.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WIDTH_PAD     2.0   /* cell margins, so the widest text is not clipped */
#define WIDTH_FILTER  2.0   /* the autofilter button in a header cell */
#define WIDTH_MAX     60.0
#define NUM_SIG_MAX   15    /* what a double holds exactly */
#define NUM_DEC_MAX   15
#define TITLE_MAX     32    /* Excel's limits on a validation's texts */
#define MESSAGE_MAX   255
#define LISTS_SHEET   "lists"
#define EMPTY_NAME    "(空)"

/* ---- the temporary workbook ------------------------------------------- */

struct book {
	lxw_workbook *wb;
	char         *path;     /* the mkstemp() file, NULL when none */
	char         *dir;
};

/* Returns 0, or -1 with *err set: created 0 would mean "now" to
 * libxlsxwriter, and two runs would differ. */
static int
check_created(time_t created, char **err)
{
	if (created != 0)
		return 0;
	*err = xasprintf("workbook: no creation time given");
	return -1;
}

/*
 * Starts an empty workbook in a new temporary file.  Returns 0, or -1 with
 * *err set; either way book_close() must follow, which frees what was made.
 */
static int
book_open(struct book *bk, time_t created, char **err)
{
	lxw_workbook_options opt;
	lxw_doc_properties props;
	const char *dir = getenv("TMPDIR");
	lxw_error e;
	int fd;

	memset(bk, 0, sizeof *bk);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	bk->dir = xstrdup(dir);
	bk->path = xasprintf("%s/tongbao-xlsx-XXXXXX", dir);
	if ((fd = mkstemp(bk->path)) == -1) {
		*err = xasprintf("cannot create a temporary file in %s: %s",
		    dir, strerror(errno));
		free(bk->path);
		bk->path = NULL;
		return -1;
	}
	close(fd);
	memset(&opt, 0, sizeof opt);
	opt.tmpdir = bk->dir;
	if ((bk->wb = workbook_new_opt(bk->path, &opt)) == NULL) {
		*err = xasprintf("cannot start a workbook in %s", bk->path);
		return -1;
	}
	memset(&props, 0, sizeof props);
	props.created = created;
	if ((e = workbook_set_properties(bk->wb, &props)) != LXW_NO_ERROR) {
		*err = xasprintf("workbook properties: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}

/*
 * libxlsxwriter writes each sheet to a temporary file of its own and does
 * not check those writes: on a full disk or an I/O error it packs a sheet
 * cut short and says nothing.  So the finished workbook is read back whole
 * before it is published: every member must inflate to its CRC (libzip
 * checks it at the end of each) and every XML member must be well-formed.
 * Returns 0, or -1 with *err set.
 */
#if LIBXML_VERSION >= 21200
static void
silent(void *ctx, const xmlError *e)
#else
static void
silent(void *ctx, xmlErrorPtr e)
#endif
{
	(void)ctx;
	(void)e;
}

static int
check_book(const char *data, size_t len, char **err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z = NULL;
	char *buf = NULL;
	int rc = -1;
	zip_int64_t n;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL ||
	    (z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) ==
	    NULL) {
		if (src != NULL)
			zip_source_free(src);
		*err = xasprintf("the workbook came out damaged: %s",
		    zip_error_strerror(&ze));
		goto cleanup;
	}
	n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_file_t *f;
		zip_int64_t got = 0, r;
		const char *name;
		size_t nl;

		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 ||
		    (f = zip_fopen_index(z, (zip_uint64_t)i, 0)) == NULL) {
			*err = xasprintf("the workbook came out damaged: %s",
			    zip_strerror(z));
			goto cleanup;
		}
		buf = xrealloc(buf, (size_t)st.size + 1);
		while ((r = zip_fread(f, buf + got, st.size - (zip_uint64_t)got)) > 0)
			got += r;
		if (r < 0 || (zip_uint64_t)got != st.size) {
			*err = xasprintf("the workbook came out damaged (%s: %s)",
			    st.name, zip_file_strerror(f));
			zip_fclose(f);
			goto cleanup;
		}
		zip_fclose(f);
		name = st.name;
		nl = strlen(name);
		if ((nl > 4 && strcmp(name + nl - 4, ".xml") == 0) ||
		    (nl > 5 && strcmp(name + nl - 5, ".rels") == 0)) {
			xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
			xmlDocPtr doc = NULL;

			if (ctxt != NULL) {
				/* the damage is one message, ours: libxml2's own
				 * complaints are not printed */
				ctxt->sax->serror = silent;
				doc = xmlCtxtReadMemory(ctxt, buf, (int)got, name,
				    NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
				if (ctxt->wellFormed == 0) {
					xmlFreeDoc(doc);
					doc = NULL;
				}
				xmlFreeParserCtxt(ctxt);
			}
			if (doc == NULL) {
				*err = xasprintf("the workbook came out damaged: %s "
				    "is cut short (a write to a temporary file "
				    "failed: the disk is full or failing)", name);
				goto cleanup;
			}
			xmlFreeDoc(doc);
		}
	}
	rc = 0;
cleanup:
	free(buf);
	if (z != NULL)
		zip_discard(z);
	zip_error_fini(&ze);
	return rc;
}

/*
 * Closes the workbook (which writes the file) and, unless out is NULL (the
 * build failed; only clean up), appends the file's bytes to out, checked
 * (check_book).  Removes
 * the file and frees bk's parts.  Returns 0, or -1 with *err set.
 */
static int
book_close(struct book *bk, buf_t *out, char **err)
{
	lxw_error e = LXW_NO_ERROR;
	char *data = NULL;
	size_t len = 0;
	int rc = 0, en;

	if (bk->wb != NULL)
		e = workbook_close(bk->wb);
	if (out != NULL) {
		if (e != LXW_NO_ERROR) {
			*err = xasprintf("cannot write the workbook: %s",
			    lxw_strerror(e));
			rc = -1;
		} else if ((en = read_file(bk->path, &data, &len)) != 0) {
			*err = xasprintf("cannot read back %s: %s", bk->path,
			    strerror(en));
			rc = -1;
		} else if (check_book(data, len, err) != 0) {
			rc = -1;
		} else
			buf_add(out, data, len);
	}
	if (bk->path != NULL)
		(void)unlink(bk->path);
	free(data);
	free(bk->path);
	free(bk->dir);
	memset(bk, 0, sizeof *bk);
	return rc;
}

/* A message naming the cell that libxlsxwriter refused. */
static int
cell_error(lxw_row_t row, lxw_col_t col, lxw_error e, char **err)
{
	char cell[LXW_MAX_CELL_NAME_LENGTH];

	lxw_rowcol_to_cell(cell, row, col);
	*err = xasprintf("cell %s: %s", cell, lxw_strerror(e));
	return -1;
}

static lxw_format *
bold_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bold(f);
	return f;
}

/* ---- text measures ------------------------------------------------------ */

/* Whether cp takes two columns (East Asian Wide and Fullwidth, UAX #11,
 * in the blocks a Chinese table meets). */
static bool
is_wide(uint32_t cp)
{
	static const struct { uint32_t lo, hi; } wide[] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x20000, 0x3FFFD },
	};

	for (size_t i = 0; i < ARRAY_LEN(wide); i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return true;
	return false;
}

/* The width of s's widest line in Excel's character units, a CJK
 * character counting 2 (s is valid UTF-8). */
static double
text_width(const char *s)
{
	size_t w = 0, best = 0;

	while (*s != '\0') {
		uint32_t cp = utf8_next(&s);

		if (cp == '\n')
			w = 0;
		else
			w += is_wide(cp) ? 2 : 1;
		if (w > best)
			best = w;
	}
	return (double)best;
}

static double
column_width(double text)
{
	double w = text + WIDTH_PAD;

	return w < WIDTH_MAX ? w : WIDTH_MAX;
}

/*
 * A copy of s cut to at most max code points, the last then being an
 * ellipsis (Excel refuses longer validation texts).  Newly allocated.
 */
static char *
clip(const char *s, size_t max)
{
	const char *p = s;
	size_t n = 0;

	if (utf8_len(s) <= max)
		return xstrdup(s);
	while (n + 1 < max) {
		(void)utf8_next(&p);
		n++;
	}
	return xasprintf("%.*s…", (int)(p - s), s);
}

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
		return cell_error(row, col, e, err);
	w = text_width(s);
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
			(void)cell_error(0, (lxw_col_t)c, e, err);
			goto cleanup;
		}
		sh->width[c] = text_width(h) + WIDTH_FILTER;
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
		    column_width(sh->width[c]), NULL)) != LXW_NO_ERROR)
			return cell_error(0, (lxw_col_t)c, e, err);
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

	cb->bold = bold_format(cb->bk.wb);
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
	if (check_created(created, err) == -1 || table_read(csv, &t, err) == -1)
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
	if (book_open(&cb.bk, created, err) == 0 &&
	    csv_sheets(&cb, all_sheet, gcol, err) == 0)
		rc = book_close(&cb.bk, out, err);
	else
		(void)book_close(&cb.bk, NULL, NULL);
cleanup:
	for (size_t k = 0; k < cb.nsh; k++)
		free(cb.sh[k].width);
	free(cb.sh);
	strmap_free(&cb.names);
	strmap_free(&cb.groups);
	table_free(&t);
	return rc;
}

/* ---- the ledger template --------------------------------------------------- */

struct ledger {
	const char *const  *headers, *const *notes;
	const int          *kinds;
	size_t              ncols;
	const xlsx_list_t  *lists;
	size_t              nlists;
	size_t             *list_of;    /* column -> index in lists, or SIZE_MAX */
	lxw_workbook       *wb;
	lxw_worksheet      *ws, *ls;
};

static bool
is_utf8(const char *s)
{
	return s == NULL || utf8_invalid_at(s, strlen(s)) == (size_t)-1;
}

/* What is wrong with column c's arguments (newly allocated), or NULL. */
static char *
column_problem(const struct ledger *lg, size_t c)
{
	if (lg->headers[c] == NULL || !is_utf8(lg->headers[c]) ||
	    (lg->notes != NULL && !is_utf8(lg->notes[c])))
		return xasprintf("column %zu: no valid header or note", c + 1);
	if (lg->kinds != NULL && (lg->kinds[c] < XLSX_TEXT ||
	    lg->kinds[c] > XLSX_TIME))
		return xasprintf("column %zu: unknown kind %d", c + 1,
		    lg->kinds[c]);
	return NULL;
}

/* What is wrong with list i (newly allocated), or NULL; lg->list_of
 * holds the lists before it. */
static char *
list_problem(const struct ledger *lg, size_t i)
{
	const xlsx_list_t *l = &lg->lists[i];

	if (l->col >= lg->ncols || lg->list_of[l->col] != SIZE_MAX ||
	    l->nitems >= LXW_ROW_MAX)
		return xasprintf("list %zu: column %zu has no room for it",
		    i + 1, l->col + 1);
	for (size_t k = 0; k < l->nitems; k++)
		if (l->items[k] == NULL || !is_utf8(l->items[k]))
			return xasprintf("list %zu: item %zu is not text",
			    i + 1, k + 1);
	return NULL;
}

/* Checks the arguments and fills lg->list_of.  Returns 0, or -1 with *err. */
static int
ledger_check(struct ledger *lg, char **err)
{
	if (lg->ncols == 0 || lg->ncols > LXW_COL_MAX ||
	    lg->nlists > LXW_COL_MAX) {
		*err = xasprintf("a ledger of %zu columns and %zu lists",
		    lg->ncols, lg->nlists);
		return -1;
	}
	lg->list_of = xmalloc(lg->ncols * sizeof *lg->list_of);
	for (size_t c = 0; c < lg->ncols; c++)
		lg->list_of[c] = SIZE_MAX;
	for (size_t c = 0; c < lg->ncols && *err == NULL; c++)
		*err = column_problem(lg, c);
	for (size_t i = 0; i < lg->nlists && *err == NULL; i++)
		if ((*err = list_problem(lg, i)) == NULL)
			lg->list_of[lg->lists[i].col] = i;
	return *err == NULL ? 0 : -1;
}

/* Writes list i as column i of the hidden sheet: its column's header,
 * then the items. */
static int
put_list(struct ledger *lg, size_t i, lxw_format *bold, char **err)
{
	const xlsx_list_t *l = &lg->lists[i];
	lxw_col_t col = (lxw_col_t)i;
	double w = text_width(lg->headers[l->col]);
	lxw_error e;

	e = worksheet_write_string(lg->ls, 0, col, lg->headers[l->col], bold);
	for (size_t k = 0; e == LXW_NO_ERROR && k < l->nitems; k++) {
		e = worksheet_write_string(lg->ls, (lxw_row_t)(k + 1), col,
		    l->items[k], NULL);
		if (w < text_width(l->items[k]))
			w = text_width(l->items[k]);
	}
	if (e == LXW_NO_ERROR)
		e = worksheet_set_column(lg->ls, col, col, column_width(w), NULL);
	if (e != LXW_NO_ERROR) {
		*err = xasprintf("%s sheet, list %zu: %s", LISTS_SHEET, i + 1,
		    lxw_strerror(e));
		return -1;
	}
	return 0;
}

/* The width column c needs: its header, a whole date, the longest item. */
static double
ledger_width(const struct ledger *lg, size_t c)
{
	static const char date[] = "yyyy-mm-dd hh:mm";
	double w = text_width(lg->headers[c]);
	size_t i = lg->list_of[c];

	if (lg->kinds != NULL && lg->kinds[c] == XLSX_TIME &&
	    w < (double)(sizeof date - 1))
		w = (double)(sizeof date - 1);
	for (size_t k = 0; i != SIZE_MAX && k < lg->lists[i].nitems; k++)
		if (w < text_width(lg->lists[i].items[k]))
			w = text_width(lg->lists[i].items[k]);
	return column_width(w);
}

/* The header row, and each column's width and number format. */
static int
ledger_columns(struct ledger *lg, lxw_format *bold, char **err)
{
	static const char *const codes[] = {
		[XLSX_TEXT] = "@", [XLSX_NUMBER] = "0",
		[XLSX_TIME] = "yyyy-mm-dd hh:mm",
	};
	lxw_format *fmt[ARRAY_LEN(codes)];
	lxw_error e;

	for (size_t k = 0; k < ARRAY_LEN(codes); k++) {
		fmt[k] = workbook_add_format(lg->wb);
		format_set_num_format(fmt[k], codes[k]);
	}
	for (size_t c = 0; c < lg->ncols; c++) {
		lxw_col_t col = (lxw_col_t)c;
		int kind = lg->kinds != NULL ? lg->kinds[c] : XLSX_TEXT;

		e = worksheet_write_string(lg->ws, 0, col, lg->headers[c], bold);
		if (e == LXW_NO_ERROR)
			e = worksheet_set_column(lg->ws, col, col,
			    ledger_width(lg, c), fmt[kind]);
		if (e != LXW_NO_ERROR)
			return cell_error(0, col, e, err);
	}
	worksheet_freeze_panes(lg->ws, 1, 0);
	return 0;
}

/*
 * Adds a list validation whose dv->value_formula names its range.
 * libxlsxwriter before 1.1.6 copies a LIST_FORMULA validation's formula
 * twice and loses one copy (upstream 5c5b3046, "Fix memory leak in list
 * formula data validation"), which the leak checks of make check catch.
 * A CUSTOM_FORMULA validation is copied once and written the same way but
 * for its type, so those versions get one and have its type set to list
 * afterwards: the only place we touch libxlsxwriter's own records.
 */
static lxw_error
add_list_validation(lxw_worksheet *ws, lxw_row_t first, lxw_row_t last,
    lxw_col_t col, lxw_data_validation *dv)
{
#if LXW_VERSION_ID < 116
	lxw_data_val_obj *v, *added = NULL;
	lxw_error e;

	dv->validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
	e = worksheet_data_validation_range(ws, first, col, last, col, dv);
	if (e == LXW_NO_ERROR) {
		STAILQ_FOREACH(v, ws->data_validations, list_pointers)
			added = v;
		added->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	}
	return e;
#else
	dv->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	return worksheet_data_validation_range(ws, first, col, last, col, dv);
#endif
}

/*
 * The validation of column c: its note as an input message and, when it
 * has a non-empty list, a drop-down of that list's range on the hidden
 * sheet.  It covers rows 2 to Excel's last: the file holds one range
 * either way, and a ledger longer than any fixed limit keeps both.
 */
static int
ledger_validation(struct ledger *lg, size_t c, char **err)
{
	/* A warning, not a stop: the registry accepts a unit's aliases
	 * (简称, former names), which the list does not show, so the clerk
	 * may keep a value that is not in it. */
	char alert_title[] = "不在下拉列表中";
	char alert_text[] = "所填内容不在下拉列表中。单位的简称或别名"
	    "也可登记：确认无误请选“是”保留。";
	const char *note = lg->notes != NULL ? lg->notes[c] : NULL;
	size_t i = lg->list_of[c];
	lxw_data_validation dv;
	char formula[64], colname[LXW_MAX_COL_NAME_LENGTH];
	lxw_error e;

	memset(&dv, 0, sizeof dv);
	dv.validate = LXW_VALIDATION_TYPE_ANY;
	if (i != SIZE_MAX && lg->lists[i].nitems > 0) {
		lxw_col_to_name(colname, (lxw_col_t)i, 1);
		snprintf(formula, sizeof formula, "='%s'!%s$2:%s$%zu",
		    LISTS_SHEET, colname, colname, lg->lists[i].nitems + 1);
		dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		dv.value_formula = formula;
		dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
		dv.error_title = alert_title;
		dv.error_message = alert_text;
	}
	if (note != NULL && *note != '\0') {
		dv.input_title = clip(lg->headers[c], TITLE_MAX);
		dv.input_message = clip(note, MESSAGE_MAX);
	}
	e = LXW_NO_ERROR;
	if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA)
		e = add_list_validation(lg->ws, 1, LXW_ROW_MAX - 1, (lxw_col_t)c,
		    &dv);
	else if (dv.input_message != NULL)
		e = worksheet_data_validation_range(lg->ws, 1, (lxw_col_t)c,
		    LXW_ROW_MAX - 1, (lxw_col_t)c, &dv);
	free(dv.input_title);
	free(dv.input_message);
	if (e != LXW_NO_ERROR)
		return cell_error(1, (lxw_col_t)c, e, err);
	return 0;
}

static int
ledger_build(struct ledger *lg, char **err)
{
	lxw_format *bold = bold_format(lg->wb);

	lg->ws = workbook_add_worksheet(lg->wb, "台账");
	if (lg->nlists > 0)
		lg->ls = workbook_add_worksheet(lg->wb, LISTS_SHEET);
	if (lg->ws == NULL || (lg->nlists > 0 && lg->ls == NULL)) {
		*err = xasprintf("cannot add the ledger's sheets");
		return -1;
	}
	if (ledger_columns(lg, bold, err) == -1)
		return -1;
	for (size_t i = 0; i < lg->nlists; i++)
		if (put_list(lg, i, bold, err) == -1)
			return -1;
	if (lg->ls != NULL)
		worksheet_hide(lg->ls);
	for (size_t c = 0; c < lg->ncols; c++)
		if (ledger_validation(lg, c, err) == -1)
			return -1;
	return 0;
}

int
xlsx_template(const char *const *headers, const char *const *notes,
    const int *kinds, size_t ncols, const xlsx_list_t *lists, size_t nlists,
    time_t created, buf_t *out, char **err)
{
	struct ledger lg;
	struct book bk;
	int rc = -1;

	memset(&lg, 0, sizeof lg);
	lg.headers = headers;
	lg.notes = notes;
	lg.kinds = kinds;
	lg.ncols = ncols;
	lg.lists = lists;
	lg.nlists = nlists;
	*err = NULL;
	if (check_created(created, err) == -1 || ledger_check(&lg, err) == -1)
		goto cleanup;
	if (book_open(&bk, created, err) == 0) {
		lg.wb = bk.wb;
		if (ledger_build(&lg, err) == 0) {
			rc = book_close(&bk, out, err);
			goto cleanup;
		}
	}
	(void)book_close(&bk, NULL, NULL);
cleanup:
	free(lg.list_of);
	return rc;
}
