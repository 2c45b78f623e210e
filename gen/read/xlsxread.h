/*
 * xlsxread.h - an Excel workbook ledger (.xlsx, SPEC 3.5) as raw records
 * (records.h), for the frame (frame.h) to find its header and columns as
 * it does for CSV.  The first sheet is read: date cells become times in
 * the workbook's 1900 or 1904 system ("2017-01-05" or "2017-01-05 09:30"),
 * number cells numbers, shared, inline and rich-text strings text, a merged
 * cell its value in the first cell; field c is column c (A = 0) and a
 * record's line is its Excel row.
 *
 * The archive is read with libzip and each XML part streamed with
 * libxml2 (xmlReader, and its SAX2 parser for the shared strings and the
 * sheet), so a sheet of a million rows is never held whole; the shared
 * strings are kept, once each.  The sheet is parsed on a thread of its
 * own; the records are handed to the sink on the calling thread.  A part that would inflate past
 * a sane size or ratio (a zip bomb), an encrypted or damaged workbook, and
 * an old .xls are one error each, saying what to do.
 */
#ifndef TB_XLSXREAD_H
#define TB_XLSXREAD_H

#include "diag.h"
#include "records.h"

/* Hands the records of `file`'s first sheet to sink.  Returns 0, or -1
 * after adding at least one error to dl (then the records handed on, if
 * any, must be taken as not read). */
int xlsx_stream_records(const char *file, const rec_sink_t *sink,
    diag_list_t *dl);

#endif
