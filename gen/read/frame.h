/*
 * frame.h - from a reader's raw records (records.h) to a ledger table, as
 * SPEC 3.4 says offices write them: the header is the first row naming the
 * required columns (blank rows and a title row above it are skipped), a
 * header cell names a column after dropping spaces, width differences and
 * a bracketed note, unknown columns are named once in a warning, a missing
 * column is one error, footer rows (合计, 填表人：…) after the data end the
 * table with one note, and a file whose header is one cell of names between
 * semicolons or tabs is one error saying so.  CSV and workbooks share it.
 *
 * Without a vocabulary (frame_opts.cols == NULL) the frame is plain CSV:
 * the first non-empty record is the header and nothing is mapped.
 */
#ifndef TB_FRAME_H
#define TB_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "records.h"
#include "table.h"

/* A ledger column: its Chinese header and English alias (also the XML
 * element name); `required`: always required (SPEC 3.4); `note`: what the
 * template's input message says (may be NULL); `free_text`: a title or a
 * note, which may lose characters that hide or reorder text (text.h)
 * with a warning, where a name, id, number or time holding one is an
 * error. */
typedef struct frame_col {
	const char *cn;
	const char *en;
	bool        required;
	const char *note;       /* what goes there, for the clerk (templates) */
	bool        free_text;
} frame_col_t;

/* Where rows go when they are not kept in the table. */
typedef struct frame_sink {
	/* The header was found and mapped: idx[k] is the table column of
	 * vocabulary column k, or -1 (NULL without a vocabulary).  Returns 0 to
	 * get the rows. */
	int  (*header)(const table_t *t, const long *idx, void *arg);
	/* One data row, t->ncols fields, valid during the call only. */
	void (*row)(const table_t *t, const char *const *f, long line, void *arg);
	void  *arg;
} frame_sink_t;

typedef struct frame_opts {
	const frame_col_t  *cols;   /* the vocabulary, or NULL (plain CSV) */
	size_t              ncols;
	const frame_sink_t *sink;   /* NULL: rows are kept in the table */
	bool                cells;  /* a workbook: rows may be shorter than
	                               the header (missing cells are empty),
	                               and messages name cells */
} frame_opts_t;

typedef struct frame frame_t;

/* A frame filling *t (zeroed here; table_free() it) for `file`. */
frame_t   *frame_new(const char *file, const frame_opts_t *o, table_t *t,
    diag_list_t *dl);
/* The sink to hand the reader. */
rec_sink_t frame_records(frame_t *fr);
/*
 * Once the reader is done: reports a file without a header, drops the
 * footer rows with a note.  Returns 0, or -1 when the frame reported an
 * error (then the table holds no rows).
 */
int        frame_finish(frame_t *fr);
/* The mapping of the vocabulary (see frame_sink.header), or NULL before a
 * header was found or without a vocabulary. */
const long *frame_idx(const frame_t *fr);
void       frame_free(frame_t *fr);

/*
 * Maps the header cells[0..n) (at `line` of `file`) to the vocabulary:
 * idx[k] = the cell of column k, or -1.  Reports a column named twice and
 * a missing required column (errors), and the unknown columns (one
 * warning).  Returns 0 or -1.  The XML reader's tables use it directly.
 */
int frame_map(const char *file, long line, const char *const *cells,
    size_t n, const frame_col_t *cols, size_t ncols, long *idx,
    diag_list_t *dl);

/* "编号/id, 报送单位/unit, …": the vocabulary for messages; caller frees. */
char *frame_vocab_names(const frame_col_t *cols, size_t ncols, bool required);

#endif
