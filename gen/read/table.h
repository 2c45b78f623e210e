/*
 * table.h - a ledger file as read: named columns and rows of strings with
 * their line numbers.  The CSV reader and the XML reader both produce it, so
 * the ledger stage (ledger.c) maps and validates fields one way for both
 * formats.  Readers know files, encodings and lines; nothing after them does.
 */
#ifndef TB_TABLE_H
#define TB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "util.h"

typedef struct table_row {
	long    line;      /* line of the row's first byte in the file */
	char  **f;         /* ncols fields, each valid UTF-8, never NULL ("" if absent) */
} table_row_t;

typedef struct table {
	char        *file;   /* path for messages */
	long         header_line;
	bool         cells;  /* a workbook: messages name the cell (G17) */
	size_t       ncols;
	char       **cols;   /* header names as written (trimmed, valid UTF-8) */
	table_row_t *rows;
	size_t       nrows, cap;
	arena_t      arena;  /* when used (arena.head != NULL), rows' f arrays and
	                        fields live in blocks from table_alloc() and
	                        table_free() frees the blocks; else each f[i] and
	                        f is malloc'ed */
} table_t;

/* Frees everything t owns (file, cols, rows and fields) and zeroes *t.
 * file, cols and each cols[i] are always malloc'ed. */
void table_free(table_t *t);
/* n bytes (pointer-aligned) from t's arena, freed by table_free(). */
void *table_alloc(table_t *t, size_t n);
/* A NUL-terminated copy of s[0..n) in t's arena, freed by table_free(). */
char *table_strndup(table_t *t, const char *s, size_t n);
/* Index of the column whose name (compared with name_key) is one of names[],
 * or -1. */
long table_col(const table_t *t, const char *const *names, size_t nnames);

/* "G17": the Excel name of column col (0-based) on row `row`, into buf
 * (at least 16 bytes). */
void cell_name(long col, long row, char *buf, size_t n);

/*
 * The prefix naming the cell of column col (0-based) on `line` in a
 * message: "G17: " for a workbook, "" for other tables (their messages
 * name the line only).  Into buf (at least 16 bytes); returns buf.
 */
const char *table_cell(const table_t *t, long col, long line, char *buf,
    size_t n);

#endif
