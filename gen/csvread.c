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
 */
#define _GNU_SOURCE                 /* memrchr */
#include "csvread.h"
#include "frame.h"
#include "text.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CSV_OPTIONS  (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
#define CSV_BLK_SIZE ((size_t)64 * 1024)
/* what one read() asks for, and about what a piece holds */
#define PIECE        ((size_t)1024 * 1024)
/* the longest physical line read (a quoted field may span many) */
#define LINE_MAX_    ((size_t)64 * 1024 * 1024)

/*
 * Where the bytes come from: a file (read in pieces) or text in memory
 * (sliced the same way).  Each piece ends just after a line end (LF, CRLF
 * or a lone CR), except the file's last, so no character of UTF-8 or
 * GB18030 (whose bytes are never 0x0A or 0x0D) and no CRLF is ever split.
 */
typedef struct source {
	const char *mem;             /* text in memory, or NULL */
	size_t      memlen;
	int         fd;              /* or a file */
	char       *buf;
	size_t      cap, have, cut;  /* buf[0..have) read; [0..cut) handed */
	bool        eof;
	size_t      off;             /* bytes handed out in this pass */
	int         err;             /* read()'s errno */
	bool        too_long;        /* a line longer than LINE_MAX_ */
	bool        too_big;         /* grew past TB_INPUT_MAX while read */
} source_t;

/* Starts a pass from the first byte.  Returns 0 or -1 (err set). */
static int
src_rewind(source_t *s)
{
	s->off = s->have = s->cut = 0;
	s->eof = false;
	s->err = 0;
	s->too_long = s->too_big = false;
	if (s->mem == NULL && lseek(s->fd, 0, SEEK_SET) != 0) {
		s->err = errno;
		return -1;
	}
	return 0;
}

/* Where a piece of p[0..n) may end: just after its last line end, or 0.
 * A CR as the last byte may be half a CRLF: not there unless at_end. */
static size_t
last_line_end(const char *p, size_t n, bool at_end)
{
	const char *lf = memrchr(p, '\n', n), *cr;
	size_t from = lf != NULL ? (size_t)(lf + 1 - p) : 0;

	/* a lone CR after the last LF ends a line too */
	cr = memrchr(p + from, '\r', n - from);
	if (cr != NULL && (cr + 1 < p + n || at_end))
		return (size_t)(cr + 1 - p);
	return from;
}

/*
 * Where the piece starting at b ends, of the `have` bytes there (eof: they
 * are the rest of the text): after the last line end in its first PIECE
 * bytes, else after the first line end past them, else at the end of the
 * text.  The rule looks only at the bytes, never at how they were read, so
 * every pass over the same bytes cuts the same pieces.  Returns 0 when more
 * bytes are needed to say, or (size_t)-1 for a line longer than LINE_MAX_.
 */
static size_t
cut_at(const char *b, size_t have, bool eof)
{
	size_t lim = have < PIECE ? have : PIECE, end;
	const char *q, *stop = b + have;

	if (eof && have <= PIECE)
		return have;
	if (!eof && have < PIECE)
		return 0;
	if ((end = last_line_end(b, lim, eof && lim == have)) > 0)
		return end;
	/* a long line, which starts at b (a piece ends at a line end): the
	 * first line end past the first PIECE bytes (a CR at their end
	 * included), at most LINE_MAX_ bytes from b */
	for (q = b + lim - 1; q < stop && *q != '\n' && *q != '\r'; q++)
		;
	if (q < stop && *q == '\r' && q + 1 == stop && !eof)
		return 0;               /* a CRLF, or a lone CR? */
	if (q < stop)
		end = (size_t)(q + 1 - b) + (*q == '\r' && q + 1 < stop &&
		    q[1] == '\n');
	else if (eof)
		end = have;
	else
		return have > LINE_MAX_ ? (size_t)-1 : 0;
	return end > LINE_MAX_ + 2 ? (size_t)-1 : end;
}

/* Reads into s->buf until it holds at least `want` bytes or the file ends.
 * Returns 0 or -1 (s->err set). */
static int
src_fill(source_t *s, size_t want)
{
	if (want > s->cap) {
		s->cap = want;
		s->buf = xrealloc(s->buf, s->cap);
	}
	while (!s->eof && s->have < want) {
		ssize_t r = read(s->fd, s->buf + s->have, s->cap - s->have);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			s->err = errno;
			return -1;
		}
		if (r == 0)
			s->eof = true;
		s->have += (size_t)r;
	}
	return 0;
}

/*
 * The next piece of the pass: *p and *n.  Returns true, or false at the
 * end of the text or after an error (s->err, s->too_long, s->too_big).
 */
static bool
src_next(source_t *s, const char **p, size_t *n)
{
	size_t end;

	if (s->mem != NULL) {
		if (s->off == s->memlen)
			return false;
		end = cut_at(s->mem + s->off, s->memlen - s->off, true);
		if (end == (size_t)-1) {
			s->too_long = true;
			return false;
		}
		*p = s->mem + s->off;
		*n = end;
		s->off += end;
		return true;
	}
	/* the file: drop what was handed, read up to a piece, cut */
	memmove(s->buf, s->buf + s->cut, s->have - s->cut);
	s->have -= s->cut;
	s->cut = 0;
	if (src_fill(s, PIECE) != 0)
		return false;
	if (s->have == 0)
		return false;
	while ((end = cut_at(s->buf, s->have, s->eof)) == 0) {
		/* a long line: read on, twice as much each time */
		if (src_fill(s, s->have * 2 + 1) != 0)
			return false;
	}
	if (end == (size_t)-1) {
		s->too_long = true;
		return false;
	}
	if (s->off + end > (size_t)TB_INPUT_MAX) {
		s->too_big = true;
		return false;
	}
	s->cut = end;
	s->off += end;
	*p = s->buf;
	*n = end;
	return true;
}

typedef struct reader {
	const char   *file;
	diag_list_t  *dl;
	size_t        nerr;          /* errors found in this file */
	source_t     *src;

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

	struct csv_parser parser;
	bool          bom;           /* the text starts with a UTF-8 BOM */
	uint64_t      seed;          /* of piece_hash, this run's */
	uint64_t     *hash;          /* each piece's hash, as pass 1 read it */
	size_t        nhash, caphash;
	iconv_t       cd;            /* GB18030 -> UTF-8, or (iconv_t)-1 */
	buf_t         conv;          /* a piece converted from GB18030 */
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

/* After a pass stopped early: says why (a read error, a line too long).
 * Returns true when it did. */
static bool
src_failed(reader_t *r)
{
	if (r->src->err != 0) {
		rerror(r, 0, "cannot read the file: %s", strerror(r->src->err));
		return true;
	}
	if (r->src->too_long) {
		rerror(r, 0, "a line longer than %zu MiB after byte %zu: not a "
		    "ledger", LINE_MAX_ >> 20, r->src->off);
		return true;
	}
	if (r->src->too_big) {
		rerror(r, 0, "the file grew past the limit of %lld MiB for an "
		    "input file while it was read", (long long)(TB_INPUT_MAX >> 20));
		return true;
	}
	return false;
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


/* The number of line ends in s[0..n). */
static long
count_lines(const char *s, size_t n)
{
	const char *end = s + n;
	long k = 0;

	while (s < end) {
		const char *le = line_end(s, end);

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
static uint64_t
piece_hash(uint64_t seed, const char *p, size_t n)
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

/* ---- pass 1: the raw bytes --------------------------------------------- */

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
 * Pass 1 over the whole file: refuses known binary formats and UTF-16,
 * notes a UTF-8 BOM (r->bom), sets *nul when the file holds a NUL byte
 * (which no text ledger contains and which would cut C strings short) and
 * *utf8 to whether the text after the BOM is valid UTF-8 (checked unless
 * the encoding is forced to GB18030).  *len: the bytes read.  Returns 0 or
 * -1 after reporting.
 */
static int
scan_raw(reader_t *r, enum csv_encoding enc, bool *nul, bool *utf8,
    size_t *len)
{
	const char *p;
	size_t n;
	bool first = true;

	*nul = false;
	*utf8 = enc != ENC_GB18030;
	if (src_rewind(r->src) != 0) {
		src_failed(r);
		return -1;
	}
	while (src_next(r->src, &p, &n)) {
		const unsigned char *u = (const unsigned char *)p;

		if (first) {
			first = false;
			for (size_t i = 0; i < ARRAY_LEN(magics); i++)
				if (n >= magics[i].len &&
				    memcmp(p, magics[i].bytes, magics[i].len) == 0) {
					rerror(r, 1, "not a CSV file: this is %s",
					    magics[i].what);
					return -1;
				}
			if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			    (u[0] == 0xFE && u[1] == 0xFF))) {
				rerror(r, 1, "the file is UTF-16 text; save it from "
				    "Excel as \"CSV UTF-8\" or \"CSV\"");
				return -1;
			}
			if (enc != ENC_GB18030 && n >= 3 &&
			    memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
				r->bom = true;
				p += 3;
				n -= 3;
			}
		}
		xgrow(&r->hash, &r->caphash, r->nhash + 1, sizeof *r->hash);
		r->hash[r->nhash++] = piece_hash(r->seed, p, n);
		if (!*nul && memchr(p, '\0', n) != NULL)
			*nul = true;
		if (*utf8 && utf8_invalid_at(p, n) != (size_t)-1)
			*utf8 = false;
	}
	if (src_failed(r))
		return -1;
	*len = r->src->off;
	return 0;
}

/*
 * The NUL bytes, as one error: a file with NUL bytes is no text, line by
 * line or not.  A pass of its own, counting lines.
 */
static void
report_nul(reader_t *r)
{
	const char *p;
	size_t n;
	long line = 1, first = 0, last = 0, lines = 0;

	if (src_rewind(r->src) != 0) {
		src_failed(r);
		return;
	}
	while (src_next(r->src, &p, &n)) {
		const char *q = p, *nul;
		linepos_t lp;

		linepos_init(&lp, p, n);
		lp.line = line;
		while ((nul = memchr(q, '\0', n - (size_t)(q - p))) != NULL) {
			long at = linepos_at(&lp, (size_t)(nul - p));

			if (first == 0)
				first = at;
			lines += at != last;
			last = at;
			q = nul + 1;
		}
		line += count_lines(p, n);
	}
	if (src_failed(r) || lines == 0)
		return;         /* no NUL now: read_csv says the file changed */
	if (lines == 1)
		rerror(r, first, "NUL byte (0x00) in the file: not a text file");
	else
		rerror(r, first, "NUL bytes (0x00) on %ld lines of the file, the "
		    "first here: not a text file", lines);
}

/* ---- pass 2: the encoding --------------------------------------------- */

/*
 * Reports every line holding invalid UTF-8, one error per line (a UTF-8
 * BOM skipped).  `what` ends the message.  Returns the number of bad lines.
 */
static size_t
report_utf8(reader_t *r, const char *what)
{
	const char *p;
	size_t n, nbad = 0;
	long line = 1;
	bool first = true;
	char bytes[16];

	if (src_rewind(r->src) != 0) {
		src_failed(r);
		return 1;
	}
	while (src_next(r->src, &p, &n)) {
		size_t off = 0, bad;
		linepos_t lp;

		if (first && r->bom) {
			p += 3;
			n -= 3;
		}
		first = false;
		linepos_init(&lp, p, n);
		lp.line = line;
		while (off < n) {
			bad = utf8_invalid_at(p + off, n - off);
			if (bad == (size_t)-1)
				break;
			bad += off;
			bad_bytes(p + bad, line_end(p + bad, p + n), bytes,
			    sizeof bytes);
			rerror(r, linepos_at(&lp, bad), "invalid byte sequence (%s) "
			    "in %s", bytes, what);
			nbad++;
			off = (size_t)(line_end(p + bad, p + n) - p);
		}
		line += count_lines(p, n);
	}
	if (src_failed(r))
		nbad++;
	return nbad;
}

/*
 * Converts s[0..n) (one piece) from GB18030 into r->conv, reporting each
 * line with an invalid sequence (its first line is `line`; `what` ends the
 * messages).  Returns the number of bad lines, or -1 when iconv fails
 * otherwise (reported).
 */
static long
gb_piece(reader_t *r, const char *s, size_t n, long line, const char *what)
{
	char *in = (char *)s, *op;
	size_t inleft = n, outleft, rc;
	const char *end = s + n, *le;
	linepos_t lp;
	long nbad = 0;
	char bytes[16];

	linepos_init(&lp, s, n);
	lp.line = line;
	r->conv.len = 0;
	xgrow(&r->conv.data, &r->conv.cap, n + n / 2 + 16, 1);
	op = r->conv.data;
	outleft = r->conv.cap - 1;
	while (inleft > 0) {
		rc = iconv(r->cd, &in, &inleft, &op, &outleft);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - r->conv.data);

			xgrow(&r->conv.data, &r->conv.cap, r->conv.cap * 2, 1);
			op = r->conv.data + used;
			outleft = r->conv.cap - used - 1;
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
			return -1;
		}
	}
	*op = '\0';
	r->conv.len = (size_t)(op - r->conv.data);
	return nbad;
}

/* Opens the GB18030 converter once.  Returns 0 or -1 (reported). */
static int
gb_open(reader_t *r)
{
	if (r->cd != (iconv_t)-1)
		return 0;
	r->cd = iconv_open("UTF-8", "GB18030");
	if (r->cd == (iconv_t)-1) {
		rerror(r, 0, "cannot convert from GB18030: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A pass converting the whole file from GB18030, reporting (or, while
 * quiet, counting) every line with an invalid sequence.  Returns the
 * number of bad lines (reading errors count as one).
 */
static size_t
check_gb18030(reader_t *r, const char *what)
{
	const char *p;
	size_t n, nbad = 0;
	long line = 1, k;

	if (gb_open(r) != 0 || src_rewind(r->src) != 0) {
		src_failed(r);
		return 1;
	}
	while (src_next(r->src, &p, &n)) {
		if ((k = gb_piece(r, p, n, line, what)) < 0)
			return nbad + 1;
		nbad += (size_t)k;
		line += count_lines(p, n);
	}
	if (src_failed(r))
		nbad++;
	return nbad;
}

/*
 * Decides the encoding: true in *gb when the text is to be converted from
 * GB18030.  Reports why neither fits.  Returns 0 or -1.
 */
static int
decide(reader_t *r, enum csv_encoding enc, bool utf8, bool *gb)
{
	size_t bad_utf8, bad_gb;

	*gb = false;
	if (enc == ENC_GB18030) {
		*gb = true;
		return check_gb18030(r, "GB18030 text") == 0 ? 0 : -1;
	}
	if (utf8)
		return 0;
	if (enc == ENC_UTF8 || r->bom) {
		report_utf8(r, r->bom ? "UTF-8 text (the file starts with a "
		    "UTF-8 BOM)" : "UTF-8 text");
		return -1;
	}
	/*
	 * Not UTF-8: GB18030 if it reads as that.  Neither: report the errors
	 * of the encoding with fewer bad lines, so that a UTF-8 file with one
	 * stray byte names that one line, not every Chinese line.
	 */
	r->quiet = true;
	r->nquiet = 0;
	bad_gb = check_gb18030(r, "");
	r->quiet = false;
	if (bad_gb == 0) {
		*gb = true;
		return 0;
	}
	r->quiet = true;
	bad_utf8 = report_utf8(r, "");
	r->quiet = false;
	if (bad_utf8 <= bad_gb)
		report_utf8(r, "UTF-8 text (the file is not GB18030 either)");
	else
		check_gb18030(r, "GB18030 text (the file is not UTF-8 either)");
	return -1;
}

/* ---- pass 3: records -------------------------------------------------- */

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
		le = line_end(ls, end);
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
				rerror(r, r->line, "%s", csv_strerror(csv_error(p)));
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
	rerror(r, 0, "the file changed while it was being read (saved during "
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

	if ((gb && gb_open(r) != 0) || src_rewind(r->src) != 0) {
		src_failed(r);
		return;
	}
	parser_init(&r->parser);
	r->line = 0;
	r->at_boundary = true;
	r->all_empty = true;
	while (src_next(r->src, &p, &n)) {
		/* the bytes pass 1 checked, or none at all */
		if (k >= r->nhash || piece_hash(r->seed, first && r->bom ?
		    p + 3 : p, first && r->bom ? n - 3 : n) != r->hash[k]) {
			changed(r);
			break;
		}
		k++;
		if (gb) {
			if (gb_piece(r, p, n, r->line + 1, "GB18030 text") != 0) {
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
	if (!src_failed(r) && rerrors(r) == 0 && (r->src->off != len ||
	    k != r->nhash))
		changed(r);
	if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
		rerror(r, r->field_line, "a quoted field opened on this line "
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
	if (scan_raw(&r, enc, &nul, &utf8, &len) != 0)
		goto cleanup;
	if (nul) {
		report_nul(&r);
		goto cleanup;
	}
	if (decide(&r, enc, utf8, &gb) != 0)
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
