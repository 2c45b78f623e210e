/*
 * csvread.c - CSV ledger files into a table_t (see csvread.h).
 *
 * The office keeps its ledgers in Excel, so the files come as Excel writes
 * them: RFC 4180 quoting, CRLF, and on Chinese Windows GB18030/GBK rather
 * than UTF-8.  The file is read with read() in pieces of about a MiB that
 * each end at a line end (PIECE; a line may not be longer than LINE_MAX_
 * bytes), so only a piece and the record being parsed are ever in memory,
 * and a file that changes or shrinks while it is read cannot hurt the
 * process (a mapping would die of SIGBUS): it is an error.  The passes:
 *
 *  1. the raw bytes: a binary file by its signature (an .xlsx, a PDF, an
 *     image renamed .csv), UTF-16 (Excel's "Unicode text"), NUL bytes,
 *     the UTF-8 BOM, and whether the text is valid UTF-8;
 *  2. the encoding: the text is used as it is when it is valid UTF-8 (or
 *     forced to be), else converted from GB18030 with iconv (GBK is a
 *     subset of GB18030, so this covers both), checked in a pass of its
 *     own first.  Every invalid byte sequence is reported with its line,
 *     one error per line (a pass that counts lines, only then);
 *  3. the quoting: libcsv in strict mode, fed one physical line at a time
 *     so the reader always knows on which line a record starts.  libcsv
 *     says nothing about positions, but between two records it is in a
 *     known state, and a record starts on the first non-blank line fed
 *     after the previous one ended.  A line that is a whole record without
 *     any quote (most lines of a ledger) is split at its commas here
 *     instead (fast_line): same result, several times faster.  This pass
 *     reads the file again; each piece must hash as it did in pass 1
 *     (piece_hash, keyed for the run) before it is parsed, and the file's
 *     size and times must be the same at the end: a file saved between
 *     the passes is refused, never read half old, half new, and no byte
 *     that pass 1 did not check reaches the parser.
 *
 * csv_stream_records() hands each record to a sink as it is parsed
 * instead of keeping it (the frame, frame.c, finds the header; the ledger
 * keeps only what it needs of a million rows); csv_read_file() keeps the
 * rows in a table_t, through a plain frame.  csv_parse_records() reads
 * text already in memory through the same pieces.
 *
 * Lines end with LF, CRLF or a lone CR (libcsv ends records at each of
 * them, so the line count must too); line breaks inside quoted fields count
 * as lines.  Values: libcsv drops spaces and tabs around unquoted fields and
 * keeps quoted fields exactly as written (so a value can keep its spaces
 * by being quoted, which csv_put_field() in csvwrite.c does); header names
 * are further trimmed with trim().  Records whose fields are all empty (blank lines,
 * lines of commas) are skipped.
 *
 * Errors go to the list as they are found; diag.c shows the first
 * DIAG_MAX_PER_FILE of a file and counts the rest (a broken quote can make
 * every later record wrong, and fifty messages say enough).
 *
 * The pieces are cut in csvsource.c, passes 1 and 2 are csvscan.c's; this
 * file holds pass 3, the errors and line numbers all three use, and the
 * entry points (csvread_int.h between them).
 */
#define _GNU_SOURCE                 /* memrchr */
#include "csvread_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
cr_rerror(reader_t *r, long line, const char *fmt, ...)
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

/* After a pass stopped early: says why (a read error, a line too long).
 * Returns true when it did. */
bool
cr_src_failed(reader_t *r)
{
	if (r->src->err != 0) {
		cr_rerror(r, 0, "cannot read the file: %s", strerror(r->src->err));
		return true;
	}
	if (r->src->too_long) {
		cr_rerror(r, 0, "a line longer than %zu MiB after byte %zu: not a "
		    "ledger", LINE_MAX_ >> 20, r->src->off);
		return true;
	}
	if (r->src->too_big) {
		cr_rerror(r, 0, "the file grew past the limit of %lld MiB for an "
		    "input file while it was read", (long long)(TB_INPUT_MAX >> 20));
		return true;
	}
	return false;
}

/*
 * Returns the end of the line starting at s (just past its LF, CRLF or
 * lone CR), or end for a last line without a line break.
 */
const char *
cr_line_end(const char *s, const char *end)
{
	const char *lf = memchr(s, '\n', (size_t)(end - s));
	const char *stop = lf != NULL ? lf : end;
	const char *cr = memchr(s, '\r', (size_t)(stop - s));

	if (cr != NULL)
		return cr + 1 < end && cr[1] == '\n' ? cr + 2 : cr + 1;
	return lf != NULL ? lf + 1 : end;
}

void
cr_linepos_init(linepos_t *lp, const char *s, size_t n)
{
	lp->base = lp->ls = s;
	lp->end = s + n;
	lp->line = 1;
}

/* Line of byte off (not before the previous call's); leaves lp at it. */
long
cr_linepos_at(linepos_t *lp, size_t off)
{
	const char *p = lp->base + off, *le;

	for (;;) {
		le = cr_line_end(lp->ls, lp->end);
		if (p < le || le >= lp->end)
			break;
		lp->ls = le;
		lp->line++;
	}
	return lp->line;
}

/* Formats up to two bytes at p (not past the line's end) as "0xB1 0xE0". */
void
cr_bad_bytes(const char *p, const char *end, char *out, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t k = end - p >= 2 && p[1] != '\n' && p[1] != '\r' ? 2 : 1;

	if (k == 2)
		snprintf(out, n, "0x%02X 0x%02X", u[0], u[1]);
	else
		snprintf(out, n, "0x%02X", u[0]);
}

/* The number of line ends in s[0..n). */
long
cr_count_lines(const char *s, size_t n)
{
	const char *end = s + n;
	long k = 0;

	while (s < end) {
		const char *le = cr_line_end(s, end);

		if (le[-1] != '\n' && le[-1] != '\r')
			break;
		k++;
		s = le;
	}
	return k;
}

/*
 * A hash of p[0..n), to see that a later pass reads the bytes pass 1 read
 * and checked (a clerk may save the file meanwhile).  Keyed by a seed of
 * the run, so that bytes made to collide cannot be prepared; eight bytes a
 * step, several times faster than checking UTF-8 again.
 */
uint64_t
cr_piece_hash(uint64_t seed, const char *p, size_t n)
{
	uint64_t h[4] = { seed, seed ^ 0x9E3779B97F4A7C15ull,
	    seed ^ 0xC2B2AE3D27D4EB4Full, seed ^ 0x165667B19E3779F9ull }, w;
	size_t i = 0;

	/* four lanes, so the multiplications overlap */
	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, p + i + 8 * k, 8);
			h[k] = (h[k] ^ w) * 0xFF51AFD7ED558CCDull;
			h[k] ^= h[k] >> 32;
		}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h[0] = (h[0] ^ w) * 0xFF51AFD7ED558CCDull;
		h[0] ^= h[0] >> 32;
	}
	w = 0;
	memcpy(&w, p + i, n - i);
	h[0] = (h[0] ^ w ^ (n * 0x9E3779B97F4A7C15ull)) * 0xC4CEB9FE1A85EC53ull;
	for (int k = 1; k < 4; k++)
		h[0] = (h[0] ^ h[k]) * 0xC4CEB9FE1A85EC53ull;
	return h[0] ^ (h[0] >> 29);
}

/* A seed nobody outside the process knows in advance. */
static uint64_t
run_seed(void)
{
	static uint64_t seed;
	struct timespec ts;

	if (seed == 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		seed = ((uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^
		    (uint64_t)getpid() << 16 ^ (uint64_t)(uintptr_t)&ts) |
		    1;
	}
	return seed;
}

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
		cr_rerror(r, r->line, "a quote (\") inside an unquoted field; a "
		    "field containing quotes must be quoted and its quotes "
		    "doubled (\"\")");
		return;
	}
	if (*at == '"') {
		cr_rerror(r, r->line, "a quote (\") after spaces following a "
		    "closing quote%s", where);
		return;
	}
	utf8_next(&q);
	if (q > end)
		q = end;
	cr_rerror(r, r->line, "unexpected '%.*s' after the closing quote of a "
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
 * Feeds text[0..n) (whole lines, but for the file's last) to libcsv line
 * by line.  After a parse error the rest of that line is dropped and
 * parsing starts afresh on the next one, so later independent errors are
 * found too.
 */
static void
parse_text(reader_t *r, const char *s, size_t n)
{
	struct csv_parser *p = &r->parser;
	const char *ls = s, *le, *end = s + n;
	size_t len, got;

	while (ls < end) {
		le = cr_line_end(ls, end);
		len = (size_t)(le - ls);
		r->line++;
		if (!blank_line(ls, le) && fast_line(r, ls, le)) {
			ls = le;
			continue;
		}
		if (r->at_boundary && !blank_line(ls, le)) {
			r->at_boundary = false;
			r->rec_line = r->field_line = r->line;
		}
		got = csv_parse(p, ls, len, on_field, on_record, r);
		if (got < len) {
			if (csv_error(p) == CSV_EPARSE)
				report_parse_error(r, p, ls + got, le);
			else
				cr_rerror(r, r->line, "%s", csv_strerror(csv_error(p)));
			csv_free(p);
			parser_init(p);
			reset_record(r);
		}
		ls = le;
	}
}

/* The file changed between two passes, or during the last. */
static void
changed(reader_t *r)
{
	cr_rerror(r, 0, "the file changed while it was being read (saved during "
	    "the run?); nothing of it is used: run again once it is saved");
}

/*
 * Pass 3: the records, from the text as UTF-8 (checked again, piece by
 * piece) or converted from GB18030 (gb).  len: what pass 1 read; a pass
 * that reads other bytes is an error.
 */
static void
parse_pass(reader_t *r, bool gb, size_t len)
{
	const char *p;
	size_t n, k = 0;
	bool first = true;

	if ((gb && cr_gb_open(r) != 0) || cr_src_rewind(r->src) != 0) {
		cr_src_failed(r);
		return;
	}
	parser_init(&r->parser);
	r->line = 0;
	r->at_boundary = true;
	r->all_empty = true;
	while (cr_src_next(r->src, &p, &n)) {
		/* the bytes pass 1 checked, or none at all */
		if (k >= r->nhash || cr_piece_hash(r->seed, first && r->bom ?
		    p + 3 : p, first && r->bom ? n - 3 : n) != r->hash[k]) {
			changed(r);
			break;
		}
		k++;
		if (gb) {
			if (cr_gb_piece(r, p, n, r->line + 1, "GB18030 text") != 0) {
				changed(r);
				break;
			}
			p = r->conv.data;
			n = r->conv.len;
			/* GB18030's own BOM (0x84 0x31 0x95 0x33) becomes U+FEFF */
			if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
				p += 3;
				n -= 3;
			}
		} else {
			if (first && r->bom) {
				p += 3;
				n -= 3;
			}
		}
		first = false;
		parse_text(r, p, n);
	}
	if (!cr_src_failed(r) && rerrors(r) == 0 && (r->src->off != len ||
	    k != r->nhash))
		changed(r);
	if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
		cr_rerror(r, r->field_line, "a quoted field opened on this line "
		    "is never closed (a closing \" is missing)");
		reset_record(r);
	}
	csv_free(&r->parser);
}

/*
 * The three passes over the source (see the top of the file), records
 * handed to sink.  in: the file's, to see whether it changed (NULL for
 * text in memory).
 */
static int
read_csv(const char *file, source_t *src, const input_t *in,
    enum csv_encoding enc, const rec_sink_t *sink, diag_list_t *dl)
{
	reader_t r;
	bool nul, utf8, gb;
	size_t len = 0;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.dl = dl;
	r.sink = sink;
	r.src = src;
	r.cd = (iconv_t)-1;
	r.seed = run_seed();
	buf_init(&r.conv);
	if (cr_scan_raw(&r, enc, &nul, &utf8, &len) != 0)
		goto cleanup;
	if (nul) {
		cr_report_nul(&r);
		goto cleanup;
	}
	if (cr_decide(&r, enc, utf8, &gb) != 0)
		goto cleanup;
	parse_pass(&r, gb, len);
	if (rerrors(&r) == 0 && in != NULL && input_changed(in))
		changed(&r);
	if (rerrors(&r) == 0)
		rc = 0;
cleanup:
	/* a pass that found a fault pass 1 found, or no fault where pass 1
	 * found one: the file is not what it was */
	if (rc != 0 && rerrors(&r) == 0)
		changed(&r);
	if (r.cd != (iconv_t)-1)
		iconv_close(r.cd);
	buf_free(&r.conv);
	free(r.hash);
	buf_free(&r.rec);
	free(r.off);
	free(r.fp);
	return rc;
}

int
csv_parse_records(const char *file, const char *data, size_t len,
    enum csv_encoding enc, const rec_sink_t *sink, diag_list_t *dl)
{
	source_t src = { .mem = data != NULL ? data : "", .memlen = len,
	    .fd = -1 };

	return read_csv(file, &src, NULL, enc, sink, dl);
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

int
csv_stream_records(const char *file, enum csv_encoding enc,
    const rec_sink_t *sink, diag_list_t *dl)
{
	source_t src = { .fd = -1 };
	input_t in;
	int rc = -1;

	if (input_open(file, TB_INPUT_MAX, &in) != 0) {
		diag_error(dl, file, 0, "cannot read the file: %s", in.why);
		return -1;
	}
	src.fd = in.fd;
	src.cap = PIECE + PIECE / 4;
	src.buf = xmalloc(src.cap);
	rc = read_csv(file, &src, &in, enc, sink, dl);
	free(src.buf);
	close(in.fd);
	return rc;
}

int
csv_read_file(const char *file, enum csv_encoding enc, table_t *out,
    diag_list_t *dl)
{
	return into_table(file, NULL, 0, true, enc, out, dl);
}
