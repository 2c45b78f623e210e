/*
 * csvscan.c - the CSV reader's first two passes (csvread.c says why
 * three): the raw bytes (a binary file by its signature, UTF-16, NUL
 * bytes, the BOM, whether the text is valid UTF-8, each piece's hash) and
 * the encoding (UTF-8 as it is, else GB18030 through iconv, checked in a
 * pass of its own), every invalid sequence reported with its line.  Part
 * of the CSV reader (csvread_int.h).
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
int
cr_scan_raw(reader_t *r, enum csv_encoding enc, bool *nul, bool *utf8,
    size_t *len)
{
	const char *p;
	size_t n;
	bool first = true;

	*nul = false;
	*utf8 = enc != ENC_GB18030;
	if (cr_src_rewind(r->src) != 0) {
		cr_src_failed(r);
		return -1;
	}
	while (cr_src_next(r->src, &p, &n)) {
		const unsigned char *u = (const unsigned char *)p;

		if (first) {
			first = false;
			for (size_t i = 0; i < ARRAY_LEN(magics); i++)
				if (n >= magics[i].len &&
				    memcmp(p, magics[i].bytes, magics[i].len) == 0) {
					cr_rerror(r, 1, "not a CSV file: this is %s",
					    magics[i].what);
					return -1;
				}
			if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			    (u[0] == 0xFE && u[1] == 0xFF))) {
				cr_rerror(r, 1, "the file is UTF-16 text; save it from "
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
		r->hash[r->nhash++] = cr_piece_hash(r->seed, p, n);
		if (!*nul && memchr(p, '\0', n) != NULL)
			*nul = true;
		if (*utf8 && utf8_invalid_at(p, n) != (size_t)-1)
			*utf8 = false;
	}
	if (cr_src_failed(r))
		return -1;
	*len = r->src->off;
	return 0;
}

/*
 * The NUL bytes, as one error: a file with NUL bytes is no text, line by
 * line or not.  A pass of its own, counting lines.
 */
void
cr_report_nul(reader_t *r)
{
	const char *p;
	size_t n;
	long line = 1, first = 0, last = 0, lines = 0;

	if (cr_src_rewind(r->src) != 0) {
		cr_src_failed(r);
		return;
	}
	while (cr_src_next(r->src, &p, &n)) {
		const char *q = p, *nul;
		linepos_t lp;

		cr_linepos_init(&lp, p, n);
		lp.line = line;
		while ((nul = memchr(q, '\0', n - (size_t)(q - p))) != NULL) {
			long at = cr_linepos_at(&lp, (size_t)(nul - p));

			if (first == 0)
				first = at;
			lines += at != last;
			last = at;
			q = nul + 1;
		}
		line += cr_count_lines(p, n);
	}
	if (cr_src_failed(r) || lines == 0)
		return;         /* no NUL now: read_csv says the file changed */
	if (lines == 1)
		cr_rerror(r, first, "NUL byte (0x00) in the file: not a text file");
	else
		cr_rerror(r, first, "NUL bytes (0x00) on %ld lines of the file, the "
		    "first here: not a text file", lines);
}

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

	if (cr_src_rewind(r->src) != 0) {
		cr_src_failed(r);
		return 1;
	}
	while (cr_src_next(r->src, &p, &n)) {
		size_t off = 0, bad;
		linepos_t lp;

		if (first && r->bom) {
			p += 3;
			n -= 3;
		}
		first = false;
		cr_linepos_init(&lp, p, n);
		lp.line = line;
		while (off < n) {
			bad = utf8_invalid_at(p + off, n - off);
			if (bad == (size_t)-1)
				break;
			bad += off;
			cr_bad_bytes(p + bad, cr_line_end(p + bad, p + n), bytes,
			    sizeof bytes);
			cr_rerror(r, cr_linepos_at(&lp, bad), "invalid byte sequence (%s) "
			    "in %s", bytes, what);
			nbad++;
			off = (size_t)(cr_line_end(p + bad, p + n) - p);
		}
		line += cr_count_lines(p, n);
	}
	if (cr_src_failed(r))
		nbad++;
	return nbad;
}

/*
 * Converts s[0..n) (one piece) from GB18030 into r->conv, reporting each
 * line with an invalid sequence (its first line is `line`; `what` ends the
 * messages).  Returns the number of bad lines, or -1 when iconv fails
 * otherwise (reported).
 */
long
cr_gb_piece(reader_t *r, const char *s, size_t n, long line, const char *what)
{
	char *in = (char *)s, *op;
	size_t inleft = n, outleft, rc;
	const char *end = s + n, *le;
	linepos_t lp;
	long nbad = 0;
	char bytes[16];

	cr_linepos_init(&lp, s, n);
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
			le = cr_line_end(in, end);
			cr_bad_bytes(in, le, bytes, sizeof bytes);
			cr_rerror(r, cr_linepos_at(&lp, (size_t)(in - s)),
			    "invalid byte sequence (%s) in %s", bytes, what);
			nbad++;
			inleft -= (size_t)(le - in);
			in = (char *)le;
		} else {
			cr_rerror(r, 0, "cannot convert from GB18030: %s",
			    strerror(errno));
			return -1;
		}
	}
	*op = '\0';
	r->conv.len = (size_t)(op - r->conv.data);
	return nbad;
}

/* Opens the GB18030 converter once.  Returns 0 or -1 (reported). */
int
cr_gb_open(reader_t *r)
{
	if (r->cd != (iconv_t)-1)
		return 0;
	r->cd = iconv_open("UTF-8", "GB18030");
	if (r->cd == (iconv_t)-1) {
		cr_rerror(r, 0, "cannot convert from GB18030: %s", strerror(errno));
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

	if (cr_gb_open(r) != 0 || cr_src_rewind(r->src) != 0) {
		cr_src_failed(r);
		return 1;
	}
	while (cr_src_next(r->src, &p, &n)) {
		if ((k = cr_gb_piece(r, p, n, line, what)) < 0)
			return nbad + 1;
		nbad += (size_t)k;
		line += cr_count_lines(p, n);
	}
	if (cr_src_failed(r))
		nbad++;
	return nbad;
}

/*
 * Decides the encoding: true in *gb when the text is to be converted from
 * GB18030.  Reports why neither fits.  Returns 0 or -1.
 */
int
cr_decide(reader_t *r, enum csv_encoding enc, bool utf8, bool *gb)
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
