/*
 * xlsxwrite_int.h - the workbook writer's own header (xlsxwrite.h is the
 * program's), included by its files only:
 *
 *   xlsxwrite.c         the temporary workbook, read back and checked; what
 *                       both kinds of workbook share
 *   xlsxwrite_csv.c     scores.xlsx and its kin, from the CSV files
 *   xlsxwrite_ledger.c  the ledger templates, with their drop-down lists
 *
 * Its names that are not static start with xw_.
 */
#ifndef TB_XLSXWRITE_INT_H
#define TB_XLSXWRITE_INT_H

#include "util.h"

#include <time.h>
#include <xlsxwriter.h>

struct book {
	lxw_workbook *wb;
	char         *path;     /* the mkstemp() file, NULL when none */
	char         *dir;
};

/* Returns 0, or -1 with *err set: created 0 would mean "now" to
 * libxlsxwriter, and two runs would differ. */
int xw_check_created(time_t created, char **err);

/*
 * Starts an empty workbook in a new temporary file.  Returns 0, or -1 with
 * *err set; either way xw_book_close() must follow, which frees what was
 * made.
 */
int xw_book_open(struct book *bk, time_t created, char **err);

/*
 * Closes the workbook (which writes the file) and, unless out is NULL (the
 * build failed; only clean up), appends the file's bytes to out, checked.
 * Removes the file and frees bk's parts.  Returns 0, or -1 with *err set.
 */
int xw_book_close(struct book *bk, buf_t *out, char **err);

/* A message naming the cell that libxlsxwriter refused; returns -1. */
int xw_cell_error(lxw_row_t row, lxw_col_t col, lxw_error e, char **err);

/* A new bold format of wb (the header rows). */
lxw_format *xw_bold_format(lxw_workbook *wb);

/* The width of s's widest line in Excel's character units, a CJK
 * character counting 2 (s is valid UTF-8). */
double xw_text_width(const char *s);

/* A column's width for text of that width: its margins added, at most
 * WIDTH_MAX (60). */
double xw_column_width(double text);

#endif
