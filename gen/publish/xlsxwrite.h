/*
 * xlsxwrite.h - the Excel workbooks tongbao writes (SPEC 3.5): scores.xlsx,
 * annual.xlsx and workers.xlsx from the CSV contract files, and the empty
 * ledgers of `tongbao template`.  Included by the stage that publishes the
 * outputs (main.c); nothing here reads the model.
 *
 * Both functions build the workbook with libxlsxwriter in a temporary file
 * under $TMPDIR (or /tmp), append its bytes to *out (an initialised buf_t)
 * and remove the file.  The same arguments give the same bytes: `created`
 * is the document's creation time (docProps/core.xml) and must not be 0,
 * which libxlsxwriter takes as "now".  On error they return -1 and set
 * *err to a newly allocated message (caller frees), leaving *out as it was;
 * on success they return 0.
 */
#ifndef TB_XLSXWRITE_H
#define TB_XLSXWRITE_H

#include <stddef.h>
#include <time.h>
#include "util.h"

/*
 * A CSV table (UTF-8, an optional BOM, LF or CRLF, RFC 4180 quoting,
 * header record first, every record as wide as the header; empty lines
 * are skipped) as a workbook: a sheet `all_sheet` of every row, then, when
 * group_col is not NULL (a header name), one sheet per distinct value of
 * that column in order of first appearance, each with the header row.  Sheet names are made
 * Excel-safe (at most 31 UTF-16 units, []:*?/\ replaced by _, no
 * apostrophe at either end, an empty value named "(空)") and unique
 * (ignoring ASCII case) by a suffix "(2)", "(3)", ...
 *
 * A field that is a plain decimal - -?(0|[1-9][0-9]*)(\.[0-9]+)? with at
 * most 15 significant digits and 15 decimals, not a negative zero - is a
 * number cell formatted with as many decimals as the field shows, so the
 * figure reads as in the CSV; any other field is a string cell ("2017Q1",
 * "0123" and "1e5" stay text).  Empty fields are empty cells.  The header
 * row is bold, frozen and has an autofilter; columns are as wide as their
 * widest cell (a CJK character counts 2, at most 60).
 */
int xlsx_from_csv(const buf_t *csv, const char *group_col,
    const char *all_sheet, time_t created, buf_t *out, char **err);

/* What a ledger column holds; sets the number format of the whole column
 * so that what a clerk types there is stored as that kind of cell. */
enum xlsx_kind {
	XLSX_TEXT   = 0,    /* "@": ids such as 0123 stay text */
	XLSX_NUMBER = 1,    /* "0" */
	XLSX_TIME   = 2     /* "yyyy-mm-dd hh:mm": typed dates are date cells */
};

/* A drop-down list for column `col` (0 = A) of the ledger: items[0..nitems)
 * in the order shown.  The strings are the caller's. */
typedef struct xlsx_list {
	size_t             col;
	const char *const *items;
	size_t             nitems;
} xlsx_list_t;

/*
 * An empty ledger workbook: a sheet "台账" with headers[0..ncols) in row 1
 * (bold, frozen, each column as wide as its header, widest list item or a
 * date needs), the format of kinds[c] (enum xlsx_kind; kinds NULL means
 * all text) on each whole column, and on rows 2 to 1048576 of each column
 * an input message titled with the header and saying notes[c] (notes or
 * notes[c] NULL or "" for none; cut to Excel's 255 characters).
 *
 * Each list in lists[0..nlists) becomes one column of a hidden sheet
 * "lists" (its header in row 1, the items below) and a list validation of
 * its ledger column referring to that range, so no list meets Excel's
 * 255-character limit on inline lists.  A value not in the list raises a
 * warning the clerk may accept: the registry also takes a unit's aliases.
 * An empty list gives no drop-down.  Two lists for one column, or a list
 * for a column past ncols, are errors.
 */
int xlsx_template(const char *const *headers, const char *const *notes,
    const int *kinds, size_t ncols, const xlsx_list_t *lists, size_t nlists,
    time_t created, buf_t *out, char **err);

#endif
