/*
 * records.h - what a ledger reader (csvread.c, xlsxread.c) hands on: raw
 * records, one per row of the file, before anything knows which row is the
 * header.  The frame (frame.c) then finds the header, maps the columns and
 * drops title and footer rows (SPEC 3.4), the same way for every format.
 *
 * A record's fields are valid UTF-8 and never NULL; field c is column c of
 * the sheet (for a workbook, column A is field 0, and cells missing from
 * the sheet are ""), so that a column number names a cell.  `line` is the
 * line the record starts on (CSV) or its Excel row number (.xlsx).  The
 * fields stay valid only during the call.
 */
#ifndef TB_RECORDS_H
#define TB_RECORDS_H

#include <stddef.h>

typedef struct rec_sink {
	/* Returns 0 to go on, nonzero to get no further records (the reader
	 * then only looks for further errors in the file). */
	int  (*record)(void *arg, const char *const *f, size_t nf, long line);
	void  *arg;
} rec_sink_t;

#endif
