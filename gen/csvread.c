/*
 * csvread.c - CSV ledger files into a table_t (see csvread.h).
 *
 * The office keeps its ledgers in Excel, so the files come as Excel writes
 * them: RFC 4180 quoting, CRLF, and on Chinese Windows GB18030/GBK rather
 * than UTF-8.  The work is done in three passes over the bytes:
 *
 *  1. checks that need the raw bytes: a binary file by its signature (an
 *     .xlsx, a PDF, an image renamed .csv), UTF-16 (Excel's "Unicode
 *     text"), NUL bytes, the UTF-8 BOM;
 *  2. the encoding: the text is used as it is when it is valid UTF-8 (or
 *     forced to be), else converted from GB18030 with iconv (GBK is a subset
 *     of GB18030, so this covers both).  Every invalid byte sequence is
 *     reported with its line, one error per line;
 *  3. the quoting: libcsv in strict mode, fed one physical line at a time so
 *     the reader always knows on which line a record starts.  libcsv says
 *     nothing about positions, but between two records it is in a known
 *     state, and a record starts on the first non-blank line fed after the
 *     previous one ended.  A line that is a whole record without any quote
 *     (most lines of a ledger) is split at its commas here instead
 *     (fast_line): same result, several times faster.
 *
 * A file is memory-mapped rather than read, and each pass gives the pages
 * it has finished with back to the system (drop_behind), so a 190 MB
 * ledger never occupies 190 MB.  A GB18030 file is converted step by step
 * into one buffer, whose pages are given back behind the parser in turn.
 * csv_stream_records() hands each record to a sink as it is parsed
 * instead of keeping it (the frame, frame.c, finds the header; the ledger
 * keeps only what it needs of a million rows); csv_read_file() keeps the
 * rows in a table_t, through a plain frame.
 *
 * Lines end with LF, CRLF or a lone CR (libcsv ends records at each of
 * them, so the line count must too); line breaks inside quoted fields count
 * as lines.  Values: libcsv drops spaces and tabs around unquoted fields and
 * keeps quoted fields exactly as written (so a value can keep its spaces
 * by being quoted, which csv_put_field() does); header names are further
 * trimmed with trim().  Records whose fields are all empty (blank lines,
 * lines of commas) are skipped.  Rows' fields live in the table's arena
 * (table_alloc), so a million rows cost a few large allocations.
 *
 * Errors go to the list as they are found; diag.c shows the first
 * DIAG_MAX_PER_FILE of a file and counts the rest (a broken quote can make
 * every later record wrong, and fifty messages say enough).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE             /* madvise(MADV_DONTNEED) */
#include "csvread.h"
#include "frame.h"
#include "text.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_OPTIONS  (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
#define CSV_BLK_SIZE ((size_t)64 * 1024)
/* passes over a mapped file work in steps of this size and give the pages
 * of each step back to the system once done with them */
#define SCAN_STEP    ((size_t)8 * 1024 * 1024)

typedef struct reader {
	const char   *file;
	diag_list_t  *dl;
	size_t        nerr;          /* errors found in this file */

	long          line;          /* line being fed to libcsv */
	bool          at_boundary;   /* libcsv is between two records */
	long          rec_line;      /* line where the current record starts */
	long          field_line;    /* line where the current field starts */

	buf_t         rec;           /* the current record's fields, each
	                                followed by its NUL */
	size_t       *off;           /* where each field starts in rec */
	size_t        nf, capoff;
	bool          all_empty;
	bool          quiet;         /* count errors without reporting them */
	size_t        nquiet;

	const rec_sink_t *sink;      /* where the records go */
	bool          stopped;       /* the sink wants no more records */
	const char  **fp;            /* the record handed to it */
	size_t        capfp;

	/* the file's mapping (map == NULL: not mapped), whose pages before
	 * `dropped` have been given back (drop_behind) */
	const char   *map;
	size_t        maplen, dropped;
} reader_t;

/* Adds an error (or, while quiet, only counts it). */
static void rerror(reader_t *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rerror(reader_t *r, long line, const char *fmt, ...)
{
	va_list ap;

	if (r->quiet) {
		r->nquiet++;
		return;
	}
	r->nerr++;
	va_start(ap, fmt);
	diag_vadd(r->dl, DIAG_ERROR, r->file, line, fmt, ap);
	va_end(ap);
}

/* Total errors found (reported or not). */
static size_t
rerrors(const reader_t *r)
{
	return r->nerr;
}

/*
 * Gives back the pages of r->map (the file's mapping, or the text converted
 * from GB18030) before p once a SCAN_STEP of them has been passed (a no-op
 * for text elsewhere): text read once from start to end then never needs
 * more than a few steps of memory.  Only whole pages inside the buffer are
 * given back.  Dropped pages of a read-only private file mapping are read
 * again from the page cache if touched again; those of the converted text
 * (private memory) would read as zeros, so they are dropped only behind the
 * parser, which never looks back.
 */
static void
drop_behind(reader_t *r, const char *p)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo, hi;

	if (r->map == NULL || p < r->map || p > r->map + r->maplen)
		return;
	lo = ((uintptr_t)(r->map + r->dropped) + page - 1) & ~(page - 1);
	hi = (uintptr_t)p & ~(page - 1);
	if (hi < lo + SCAN_STEP)
		return;
	(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
	r->dropped = (size_t)(hi - (uintptr_t)r->map);
}

/*
 * The length of the step of s[0..n) starting at off: SCAN_STEP bytes
 * extended to the end of a line (so no character is split), or the rest.
 */
static size_t
scan_step(const char *s, size_t n, size_t off)
{
	const char *nl;

	if (n - off <= SCAN_STEP)
		return n - off;
	nl = memchr(s + off + SCAN_STEP, '\n', n - off - SCAN_STEP);
	return nl != NULL ? (size_t)(nl + 1 - (s + off)) : n - off;
}

/* True when s[0..n) is valid UTF-8; checked step by step (drop_behind). */
static bool
utf8_valid_scan(reader_t *r, const char *s, size_t n)
{
	r->dropped = 0;                 /* a new pass over the mapping */
	for (size_t off = 0, len; off < n; off += len) {
		len = scan_step(s, n, off);
		if (utf8_invalid_at(s + off, len) != (size_t)-1)
			return false;
		drop_behind(r, s + off + len);
	}
	return true;
}

/* The first NUL byte of s[0..n), or NULL; step by step (drop_behind). */
static const char *
find_nul(reader_t *r, const char *s, size_t n)
{
	r->dropped = 0;                 /* a new pass over the mapping */
	for (size_t off = 0, len; off < n; off += len) {
		const char *nul;

		len = scan_step(s, n, off);
		nul = memchr(s + off, '\0', len);
		if (nul != NULL)
			return nul;
		drop_behind(r, s + off + len);
	}
	return NULL;
}

/*
 * Returns the end of the line starting at s (just past its LF, CRLF or
 * lone CR), or end for a last line without a line break.
 */
static const char *
line_end(const char *s, const char *end)
{
	const char *lf = memchr(s, '\n', (size_t)(end - s));
	const char *stop = lf != NULL ? lf : end;
	const char *cr = memchr(s, '\r', (size_t)(stop - s));

	if (cr != NULL)
		return cr + 1 < end && cr[1] == '\n' ? cr + 2 : cr + 1;
	return lf != NULL ? lf + 1 : end;
}

/* A cursor that turns byte offsets (visited in increasing order) into lines. */
typedef struct linepos {
	const char *base, *end;
	const char *ls;      /* start of line `line` */
	long        line;
} linepos_t;

static void
linepos_init(linepos_t *lp, const char *s, size_t n)
{
	lp->base = lp->ls = s;
	lp->end = s + n;
	lp->line = 1;
}

/* Line of byte off (not before the previous call's); leaves lp at it. */
static long
linepos_at(linepos_t *lp, size_t off)
{
	const char *p = lp->base + off, *le;

	for (;;) {
		le = line_end(lp->ls, lp->end);
		if (p < le || le >= lp->end)
			break;
		lp->ls = le;
		lp->line++;
	}
	return lp->line;
}

/* Formats up to two bytes at p (not past the line's end) as "0xB1 0xE0". */
static void
bad_bytes(const char *p, const char *end, char *out, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t k = end - p >= 2 && p[1] != '\n' && p[1] != '\r' ? 2 : 1;

	if (k == 2)
		snprintf(out, n, "0x%02X 0x%02X", u[0], u[1]);
	else
		snprintf(out, n, "0x%02X", u[0]);
}

/* ---- pass 1: the raw bytes -------------------------------------------- */

/* Files that end up named .csv by mistake, known by their first bytes: one
 * clear error instead of a screenful of NUL bytes and invalid UTF-8. */
static const struct magic {
	const char *bytes;
	size_t      len;
	const char *what;
} magics[] = {
	{ "PK\3\4", 4, "an Excel workbook (.xlsx) or another ZIP file; save "
	    "it from Excel as \"CSV UTF-8\" or \"CSV\"" },
	{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an Excel 97-2003 workbook "
	    "(.xls); save it from Excel as \"CSV UTF-8\" or \"CSV\"" },
	{ "%PDF-", 5, "a PDF document" },
	{ "\x89PNG\r\n\x1A\n", 8, "a PNG image" },
	{ "\xFF\xD8\xFF", 3, "a JPEG image" },
	{ "GIF8", 4, "a GIF image" },
	{ "\x1F\x8B", 2, "a gzip archive" },
	{ "\x7F" "ELF", 4, "a program (ELF)" },
};

/*
 * Refuses known binary formats, UTF-16 and NUL bytes (which no text ledger
 * contains and which would cut C strings short).  Returns 0 or -1 after
 * reporting.
 */
static int
check_raw(reader_t *r, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *p = s, *nul;
	linepos_t lp;
	long line, last = 0, first = 0, lines = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(magics); i++)
		if (n >= magics[i].len &&
		    memcmp(s, magics[i].bytes, magics[i].len) == 0) {
			rerror(r, 1, "not a CSV file: this is %s",
			    magics[i].what);
			goto cleanup;
		}
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	    (u[0] == 0xFE && u[1] == 0xFF))) {
		rerror(r, 1, "the file is UTF-16 text; save it from Excel as "
		    "\"CSV UTF-8\" or \"CSV\"");
		goto cleanup;
	}
	if (find_nul(r, s, n) == NULL)
		goto cleanup;
	/* one error: a file with NUL bytes is no text, line by line or not */
	linepos_init(&lp, s, n);
	while ((nul = memchr(p, '\0', n - (size_t)(p - s))) != NULL) {
		line = linepos_at(&lp, (size_t)(nul - s));
		if (first == 0)
			first = line;
		lines += line != last;
		last = line;
		p = nul + 1;
	}
	if (lines == 1)
		rerror(r, first, "NUL byte (0x00) in the file: not a text file");
	else
		rerror(r, first, "NUL bytes (0x00) on %ld lines of the file, the "
		    "first here: not a text file", lines);
cleanup:
	return rerrors(r) ? -1 : 0;
}

/* ---- pass 2: the encoding ------------------------------------------- */

/*
 * Reports every line of s[0..n) holding invalid UTF-8, one error per line.
 * `what` ends the message.  Returns the number of bad lines.
 */
static size_t
report_utf8(reader_t *r, const char *s, size_t n, const char *what)
{
	linepos_t lp;
	size_t off = 0, bad, nbad = 0;
	long line;
	char bytes[16];

	linepos_init(&lp, s, n);
	while (off < n) {
		bad = utf8_invalid_at(s + off, n - off);
		if (bad == (size_t)-1)
			break;
		bad += off;
		line = linepos_at(&lp, bad);
		bad_bytes(s + bad, line_end(s + bad, s + n), bytes, sizeof bytes);
		rerror(r, line, "invalid byte sequence (%s) in %s", bytes, what);
		nbad++;
		off = (size_t)(line_end(s + bad, s + n) - s);
	}
	return nbad;
}

/*
 * Converts s[0..n) from GB18030 to UTF-8.  Returns the newly allocated text
 * (caller frees) and its length in *outlen, or NULL after reporting every
 * line with an invalid sequence (`what` ends those messages).
 */
static char *
from_gb18030(reader_t *r, const char *s, size_t n, size_t *outlen,
    const char *what)
{
	iconv_t cd = (iconv_t)-1;
	char *out = NULL, *result = NULL, *in = (char *)s, *op;
	size_t cap, inleft, outleft, rc, nbad = 0, used;
	const char *end = s + n, *le;

	linepos_t lp;
	char bytes[16];

	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		rerror(r, 0, "cannot convert from GB18030: %s", strerror(errno));
		goto fail;
	}
	linepos_init(&lp, s, n);
	cap = n + n / 2 + 16;
	out = xmalloc(cap);
	op = out;
	outleft = cap - 1;
	r->dropped = 0;                 /* a new pass over the mapping */
	/* step by step (each ends a line: no sequence is split), giving the
	 * file's pages back behind */
	for (size_t off = 0, len; off < n; off += len) {
		len = scan_step(s, n, off);
		in = (char *)s + off;
		inleft = len;
		end = s + off + len;
		while (inleft > 0) {
			rc = iconv(cd, &in, &inleft, &op, &outleft);
			if (rc != (size_t)-1)
				break;
			if (errno == E2BIG) {
				used = (size_t)(op - out);
				cap *= 2;
				out = xrealloc(out, cap);
				op = out + used;
				outleft = cap - used - 1;
			} else if (errno == EILSEQ || errno == EINVAL) {
				le = line_end(in, end);
				bad_bytes(in, le, bytes, sizeof bytes);
				rerror(r, linepos_at(&lp, (size_t)(in - s)),
				    "invalid byte sequence (%s) in %s", bytes, what);
				nbad++;
				inleft -= (size_t)(le - in);
				in = (char *)le;
			} else {
				rerror(r, 0, "cannot convert from GB18030: %s",
				    strerror(errno));
				goto fail;
			}
		}
		drop_behind(r, end);
	}
	if (nbad > 0)
		goto fail;
	*op = '\0';
	*outlen = (size_t)(op - out);
	result = out;
	out = NULL;
fail:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(out);
	return result;
}

/*
 * Decides the encoding and yields the UTF-8 text in *text and *tlen: either a
 * pointer into data (nothing to free) or a converted copy put in *owned
 * (caller frees).  Returns 0 or -1 after reporting.
 */
static int
decode(reader_t *r, const char *data, size_t len, enum csv_encoding enc,
    const char **text, size_t *tlen, char **owned)
{
	const char *s = data;
	size_t n = len;
	bool bom = false;
	char *conv = NULL;
	int rc = -1;

	*owned = NULL;
	if (enc != ENC_GB18030 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
		bom = true;
	}
	if (enc == ENC_GB18030) {
		conv = from_gb18030(r, s, n, &n, "GB18030 text");
		if (conv == NULL)
			goto cleanup;
	} else if (!utf8_valid_scan(r, s, n)) {
		if (enc == ENC_UTF8 || bom) {
			report_utf8(r, s, n, bom ? "UTF-8 text (the file starts "
			    "with a UTF-8 BOM)" : "UTF-8 text");
			goto cleanup;
		}
		/*
		 * Neither UTF-8 nor (maybe) GB18030: report the errors of the
		 * encoding with fewer bad lines, so that a UTF-8 file with one
		 * stray byte names that one line, not every Chinese line.
		 */
		size_t bad_utf8, bad_gb, conv_len = n;
		r->quiet = true;
		r->nquiet = 0;
		conv = from_gb18030(r, s, n, &conv_len, "");
		bad_gb = r->nquiet;
		r->nquiet = 0;
		if (conv == NULL)
			report_utf8(r, s, n, "");
		bad_utf8 = r->nquiet;
		r->quiet = false;
		if (conv == NULL) {
			if (bad_utf8 <= bad_gb)
				report_utf8(r, s, n,
				    "UTF-8 text (the file is not GB18030 either)");
			else
				free(from_gb18030(r, s, n, &conv_len,
				    "GB18030 text (the file is not UTF-8 either)"));
			goto cleanup;
		}
		n = conv_len;
	}
	if (conv != NULL) {
		s = conv;
		/* GB18030's own BOM (0x84 0x31 0x95 0x33) becomes U+FEFF */
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
	}
	*owned = conv;
	*text = s;
	*tlen = n;
	rc = 0;
cleanup:
	return rc;
}

/* ---- pass 3: records ------------------------------------------------ */

static void
reset_record(reader_t *r)
{
	r->rec.len = 0;
	r->nf = 0;
	r->all_empty = true;
	r->at_boundary = true;
}

/* Appends field data[0..len) to the record being built. */
static void
add_field(reader_t *r, const char *data, size_t len)
{
	if (len > 0)
		r->all_empty = false;
	xgrow(&r->off, &r->capoff, r->nf + 1, sizeof *r->off);
	r->off[r->nf] = r->rec.len;
	buf_add(&r->rec, data != NULL ? data : "", len);
	buf_putc(&r->rec, '\0');
	r->nf++;
	/* the next field starts after the comma, on this line */
	r->field_line = r->line;
}

/* libcsv's field callback. */
static void
on_field(void *data, size_t len, void *arg)
{
	add_field(arg, data, len);
}

/* libcsv's record callback: hands the record to the sink (records with
 * every field empty, blank lines and lines of commas, are no records). */
static void
on_record(int c, void *arg)
{
	reader_t *r = arg;

	(void)c;
	if (r->all_empty || r->stopped || rerrors(r) != 0)
		goto done;
	xgrow(&r->fp, &r->capfp, r->nf + 1, sizeof *r->fp);
	for (size_t i = 0; i < r->nf; i++)
		r->fp[i] = r->rec.data + r->off[i];
	if (r->sink->record(r->sink->arg, r->fp, r->nf, r->rec_line) != 0)
		r->stopped = true;
done:
	reset_record(r);
}

/* Off only in tests, to check that the fast path parses as libcsv does. */
static bool fast_lines = true;

void
csv_set_fast_path(bool on)
{
	fast_lines = on;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The fast path for the commonest line of a ledger: one whole record, no
 * quote anywhere, ended by a line break.  RFC 4180 then reduces to
 * splitting at commas, and libcsv's rules (spaces and tabs around an
 * unquoted field dropped) are applied here directly, which is several
 * times faster than libcsv's byte-by-byte state machine; every other line
 * (quotes, a record continuing from an earlier line, the last line without
 * a line break) goes to libcsv.  Returns false when the line is not such
 * a line.  tests/unit/test_csvread.c checks both paths give the same.
 */
static bool
fast_line(reader_t *r, const char *ls, const char *le)
{
	const char *end = le, *p = ls, *q, *a, *b;

	if (!fast_lines || !r->at_boundary || ls == le ||
	    (le[-1] != '\n' && le[-1] != '\r') ||
	    memchr(ls, '"', (size_t)(le - ls)) != NULL)
		return false;
	if (end > ls && end[-1] == '\n')
		end--;
	if (end > ls && end[-1] == '\r')
		end--;
	r->at_boundary = false;
	r->rec_line = r->field_line = r->line;
	for (;;) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		for (a = p; a < q && is_blank(*a); a++)
			;
		for (b = q; b > a && is_blank(b[-1]); b--)
			;
		add_field(r, a, (size_t)(b - a));
		if (q == end)
			break;
		p = q + 1;
	}
	on_record(0, r);
	return true;
}

static bool
blank_line(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* Reports libcsv's strict-mode complaint about the byte at `at`, on the
 * current line (`end` is the end of that line). */
static void
report_parse_error(reader_t *r, const struct csv_parser *p, const char *at,
    const char *end)
{
	const char *q = at;
	char where[64] = "";

	if (r->field_line < r->line)
		snprintf(where, sizeof where, " (the quoted field began on "
		    "line %ld)", r->field_line);
	if (!p->quoted) {
		rerror(r, r->line, "a quote (\") inside an unquoted field; a "
		    "field containing quotes must be quoted and its quotes "
		    "doubled (\"\")");
		return;
	}
	if (*at == '"') {
		rerror(r, r->line, "a quote (\") after spaces following a "
		    "closing quote%s", where);
		return;
	}
	utf8_next(&q);
	if (q > end)
		q = end;
	rerror(r, r->line, "unexpected '%.*s' after the closing quote of a "
	    "quoted field; quotes inside a quoted field must be doubled "
	    "(\"\")%s", (int)(q - at), at, where);
}

static void
parser_init(struct csv_parser *p)
{
	csv_init(p, CSV_OPTIONS);
	csv_set_realloc_func(p, xrealloc);
	csv_set_blk_size(p, CSV_BLK_SIZE);
}

/*
 * Feeds text[0..n) to libcsv line by line.  After a parse error the rest of
 * that line is dropped and parsing starts afresh on the next one, so later
 * independent errors are found too.
 */
static void
parse_records(reader_t *r, const char *s, size_t n)
{
	struct csv_parser p;
	const char *ls = s, *le, *end = s + n;
	size_t len, got;

	parser_init(&p);
	r->dropped = 0;                 /* a new pass over the mapping */
	r->line = 0;
	r->at_boundary = true;
	r->all_empty = true;
	while (ls < end) {
		le = line_end(ls, end);
		len = (size_t)(le - ls);
		r->line++;
		if (!blank_line(ls, le) && fast_line(r, ls, le)) {
			ls = le;
			drop_behind(r, ls);
			continue;
		}
		if (r->at_boundary && !blank_line(ls, le)) {
			r->at_boundary = false;
			r->rec_line = r->field_line = r->line;
		}
		got = csv_parse(&p, ls, len, on_field, on_record, r);
		if (got < len) {
			if (csv_error(&p) == CSV_EPARSE)
				report_parse_error(r, &p, ls + got, le);
			else
				rerror(r, r->line, "%s",
				    csv_strerror(csv_error(&p)));
			csv_free(&p);
			parser_init(&p);
			reset_record(r);
		}
		ls = le;
		drop_behind(r, ls);
	}
	if (csv_fini(&p, on_field, on_record, r) != 0) {
		rerror(r, r->field_line, "a quoted field opened on this line "
		    "is never closed (a closing \" is missing)");
		reset_record(r);
	}
	csv_free(&p);
}

/*
 * The three passes over data[0..len) (see the top of the file), records
 * handed to sink.  map/maplen: the mapping data lies in, if any.
 */
static int
read_csv(const char *file, const char *data, size_t len, const char *map,
    size_t maplen, enum csv_encoding enc, const rec_sink_t *sink,
    diag_list_t *dl)
{
	reader_t r;
	const char *text = NULL;
	char *owned = NULL;
	size_t tlen = 0;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.dl = dl;
	r.sink = sink;
	r.map = map;
	r.maplen = maplen;
	if (check_raw(&r, data, len) != 0)
		goto cleanup;
	if (decode(&r, data, len, enc, &text, &tlen, &owned) != 0)
		goto cleanup;
	if (owned != NULL) {
		/* the text converted from GB18030 is parsed once, front to
		 * back: its pages too are given back behind the parser */
		r.map = owned;
		r.maplen = (size_t)(text - owned) + tlen;
	}
	parse_records(&r, text, tlen);
	if (rerrors(&r) == 0)
		rc = 0;
cleanup:
	buf_free(&r.rec);
	free(r.off);
	free(r.fp);
	free(owned);
	return rc;
}

int
csv_parse_records(const char *file, const char *data, size_t len,
    enum csv_encoding enc, const rec_sink_t *sink, diag_list_t *dl)
{
	return read_csv(file, data, len, NULL, 0, enc, sink, dl);
}

/* Plain CSV into a table: a frame without a vocabulary. */
static int
into_table(const char *file, const char *data, size_t len, bool from_file,
    enum csv_encoding enc, table_t *out, diag_list_t *dl)
{
	frame_opts_t fo = { 0 };
	frame_t *fr = frame_new(file, &fo, out, dl);
	rec_sink_t rs = frame_records(fr);
	int rc;

	rc = from_file ? csv_stream_records(file, enc, &rs, dl) :
	    csv_parse_records(file, data, len, enc, &rs, dl);
	if (rc == 0)
		rc = frame_finish(fr);
	frame_free(fr);
	if (rc != 0)
		table_free(out);
	return rc;
}

int
csv_parse_table(const char *file, const char *data, size_t len,
    enum csv_encoding enc, table_t *out, diag_list_t *dl)
{
	return into_table(file, data, len, false, enc, out, dl);
}

/*
 * Maps `file` read-only into *map (*len bytes), or, for what cannot be
 * mapped (an empty file, a pipe), reads it into *copy instead (*map then
 * points to it).  Returns 0 or an errno value.
 */
static int
open_csv(const char *file, const char **map, size_t *len, char **copy,
    bool *mapped)
{
	struct stat st;
	void *m;
	int fd, err = 0;

	*map = NULL;
	*copy = NULL;
	*len = 0;
	*mapped = false;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			(void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
			*map = m;
			*len = (size_t)st.st_size;
			*mapped = true;
		}
	}
	close(fd);
	if (!*mapped) {
		err = read_file(file, copy, len);
		*map = *copy;
	}
	return err;
}

int
csv_stream_records(const char *file, enum csv_encoding enc,
    const rec_sink_t *sink, diag_list_t *dl)
{
	const char *data = NULL;
	char *copy = NULL;
	size_t len = 0;
	bool mapped = false;
	int err, rc = -1;

	err = open_csv(file, &data, &len, &copy, &mapped);
	if (err != 0) {
		diag_error(dl, file, 0, "cannot read the file: %s",
		    strerror(err));
		goto cleanup;
	}
	rc = read_csv(file, data, len, mapped ? data : NULL, mapped ? len : 0,
	    enc, sink, dl);
cleanup:
	if (mapped)
		munmap((void *)(uintptr_t)data, len);
	free(copy);
	return rc;
}

int
csv_read_file(const char *file, enum csv_encoding enc, table_t *out,
    diag_list_t *dl)
{
	return into_table(file, NULL, 0, true, enc, out, dl);
}

/* True when s must be quoted to survive a round trip through libcsv. */
static bool
needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void
csv_put_field(struct buf *b, const char *s)
{
	const char *q;

	if (s == NULL)
		s = "";
	if (!needs_quotes(s)) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	while ((q = strchr(s, '"')) != NULL) {
		buf_add(b, s, (size_t)(q - s + 1));
		buf_putc(b, '"');
		s = q + 1;
	}
	buf_puts(b, s);
	buf_putc(b, '"');
}
