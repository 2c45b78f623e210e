/*
 * csvread_int.h - the CSV reader's own header: only csvread.c,
 * csvsource.c and csvscan.c include it; the rest of the program sees
 * csvread.h.  Where the bytes come from (source_t), the reader's state
 * (reader_t) and what the three files share:
 *   csvsource.c  the file or text in pieces that end at line ends
 *   csvscan.c    passes 1 and 2: the raw bytes and the encoding
 *   csvread.c    errors, line numbers, piece hashes, pass 3 (the records,
 *                libcsv and the fast path) and the entry points
 */
#ifndef TB_CSVREAD_INT_H
#define TB_CSVREAD_INT_H

#include "csvread.h"
#include "frame.h"
#include "text.h"
#include "util.h"

#include <csv.h>
#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* A cursor that turns byte offsets (visited in increasing order) into lines. */
typedef struct linepos {
	const char *base, *end;
	const char *ls;      /* start of line `line` */
	long        line;
} linepos_t;

/* csvsource.c: the pieces */
int cr_src_rewind(source_t *s);
bool cr_src_next(source_t *s, const char **p, size_t *n);

/* csvread.c: errors, lines, hashes, the last pass */
/* Adds an error (or, while quiet, only counts it). */
void cr_rerror(reader_t *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool cr_src_failed(reader_t *r);
const char *cr_line_end(const char *s, const char *end);
void cr_linepos_init(linepos_t *lp, const char *s, size_t n);
long cr_linepos_at(linepos_t *lp, size_t off);
void cr_bad_bytes(const char *p, const char *end, char *out, size_t n);
long cr_count_lines(const char *s, size_t n);
uint64_t cr_piece_hash(uint64_t seed, const char *p, size_t n);

/* csvscan.c: passes 1 and 2, the bytes and the encoding */
int cr_scan_raw(reader_t *r, enum csv_encoding enc, bool *nul, bool *utf8,
    size_t *len);
void cr_report_nul(reader_t *r);
long cr_gb_piece(reader_t *r, const char *s, size_t n, long line,
    const char *what);
int cr_gb_open(reader_t *r);
int cr_decide(reader_t *r, enum csv_encoding enc, bool utf8, bool *gb);

#endif
