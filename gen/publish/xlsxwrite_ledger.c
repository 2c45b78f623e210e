/*
 * xlsxwrite_ledger.c - the empty ledgers of `tongbao template`
 * (xlsx_template, xlsxwrite.h): the header row, each column's format and
 * width, an input message on each column, and the drop-down lists, kept
 * on a hidden sheet; the workbook itself from xlsxwrite.c
 * (xlsxwrite_int.h).
 */
#include "xlsxwrite.h"
#include "xlsxwrite_int.h"
#include "text.h"
#include "util.h"

#include <xlsxwriter.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX     32    /* Excel's limits on a validation's texts */
#define MESSAGE_MAX   255
#define LISTS_SHEET   "lists"

/*
 * A copy of s cut to at most max code points, the last then being an
 * ellipsis (Excel refuses longer validation texts).  Newly allocated.
 */
static char *
clip(const char *s, size_t max)
{
	const char *p = s;
	size_t n = 0;

	if (utf8_len(s) <= max)
		return xstrdup(s);
	while (n + 1 < max) {
		(void)utf8_next(&p);
		n++;
	}
	return xasprintf("%.*s…", (int)(p - s), s);
}

struct ledger {
	const char *const  *headers, *const *notes;
	const int          *kinds;
	size_t              ncols;
	const xlsx_list_t  *lists;
	size_t              nlists;
	size_t             *list_of;    /* column -> index in lists, or SIZE_MAX */
	lxw_workbook       *wb;
	lxw_worksheet      *ws, *ls;
};

static bool
is_utf8(const char *s)
{
	return s == NULL || utf8_invalid_at(s, strlen(s)) == (size_t)-1;
}

/* What is wrong with column c's arguments (newly allocated), or NULL. */
static char *
column_problem(const struct ledger *lg, size_t c)
{
	if (lg->headers[c] == NULL || !is_utf8(lg->headers[c]) ||
	    (lg->notes != NULL && !is_utf8(lg->notes[c])))
		return xasprintf("column %zu: no valid header or note", c + 1);
	if (lg->kinds != NULL && (lg->kinds[c] < XLSX_TEXT ||
	    lg->kinds[c] > XLSX_TIME))
		return xasprintf("column %zu: unknown kind %d", c + 1,
		    lg->kinds[c]);
	return NULL;
}

/* What is wrong with list i (newly allocated), or NULL; lg->list_of
 * holds the lists before it. */
static char *
list_problem(const struct ledger *lg, size_t i)
{
	const xlsx_list_t *l = &lg->lists[i];

	if (l->col >= lg->ncols || lg->list_of[l->col] != SIZE_MAX ||
	    l->nitems >= LXW_ROW_MAX)
		return xasprintf("list %zu: column %zu has no room for it",
		    i + 1, l->col + 1);
	for (size_t k = 0; k < l->nitems; k++)
		if (l->items[k] == NULL || !is_utf8(l->items[k]))
			return xasprintf("list %zu: item %zu is not text",
			    i + 1, k + 1);
	return NULL;
}

/* Checks the arguments and fills lg->list_of.  Returns 0, or -1 with *err. */
static int
ledger_check(struct ledger *lg, char **err)
{
	if (lg->ncols == 0 || lg->ncols > LXW_COL_MAX ||
	    lg->nlists > LXW_COL_MAX) {
		*err = xasprintf("a ledger of %zu columns and %zu lists",
		    lg->ncols, lg->nlists);
		return -1;
	}
	lg->list_of = xmalloc(lg->ncols * sizeof *lg->list_of);
	for (size_t c = 0; c < lg->ncols; c++)
		lg->list_of[c] = SIZE_MAX;
	for (size_t c = 0; c < lg->ncols && *err == NULL; c++)
		*err = column_problem(lg, c);
	for (size_t i = 0; i < lg->nlists && *err == NULL; i++)
		if ((*err = list_problem(lg, i)) == NULL)
			lg->list_of[lg->lists[i].col] = i;
	return *err == NULL ? 0 : -1;
}

/* Writes list i as column i of the hidden sheet: its column's header,
 * then the items. */
static int
put_list(struct ledger *lg, size_t i, lxw_format *bold, char **err)
{
	const xlsx_list_t *l = &lg->lists[i];
	lxw_col_t col = (lxw_col_t)i;
	double w = xw_text_width(lg->headers[l->col]);
	lxw_error e;

	e = worksheet_write_string(lg->ls, 0, col, lg->headers[l->col], bold);
	for (size_t k = 0; e == LXW_NO_ERROR && k < l->nitems; k++) {
		e = worksheet_write_string(lg->ls, (lxw_row_t)(k + 1), col,
		    l->items[k], NULL);
		if (w < xw_text_width(l->items[k]))
			w = xw_text_width(l->items[k]);
	}
	if (e == LXW_NO_ERROR)
		e = worksheet_set_column(lg->ls, col, col, xw_column_width(w), NULL);
	if (e != LXW_NO_ERROR) {
		*err = xasprintf("%s sheet, list %zu: %s", LISTS_SHEET, i + 1,
		    lxw_strerror(e));
		return -1;
	}
	return 0;
}

/* The width column c needs: its header, a whole date, the longest item. */
static double
ledger_width(const struct ledger *lg, size_t c)
{
	static const char date[] = "yyyy-mm-dd hh:mm";
	double w = xw_text_width(lg->headers[c]);
	size_t i = lg->list_of[c];

	if (lg->kinds != NULL && lg->kinds[c] == XLSX_TIME &&
	    w < (double)(sizeof date - 1))
		w = (double)(sizeof date - 1);
	for (size_t k = 0; i != SIZE_MAX && k < lg->lists[i].nitems; k++)
		if (w < xw_text_width(lg->lists[i].items[k]))
			w = xw_text_width(lg->lists[i].items[k]);
	return xw_column_width(w);
}

/* The header row, and each column's width and number format. */
static int
ledger_columns(struct ledger *lg, lxw_format *bold, char **err)
{
	static const char *const codes[] = {
		[XLSX_TEXT] = "@", [XLSX_NUMBER] = "0",
		[XLSX_TIME] = "yyyy-mm-dd hh:mm",
	};
	lxw_format *fmt[ARRAY_LEN(codes)];
	lxw_error e;

	for (size_t k = 0; k < ARRAY_LEN(codes); k++) {
		fmt[k] = workbook_add_format(lg->wb);
		format_set_num_format(fmt[k], codes[k]);
	}
	for (size_t c = 0; c < lg->ncols; c++) {
		lxw_col_t col = (lxw_col_t)c;
		int kind = lg->kinds != NULL ? lg->kinds[c] : XLSX_TEXT;

		e = worksheet_write_string(lg->ws, 0, col, lg->headers[c], bold);
		if (e == LXW_NO_ERROR)
			e = worksheet_set_column(lg->ws, col, col,
			    ledger_width(lg, c), fmt[kind]);
		if (e != LXW_NO_ERROR)
			return xw_cell_error(0, col, e, err);
	}
	worksheet_freeze_panes(lg->ws, 1, 0);
	return 0;
}

/*
 * Adds a list validation whose dv->value_formula names its range.
 * libxlsxwriter before 1.1.6 copies a LIST_FORMULA validation's formula
 * twice and loses one copy (upstream 5c5b3046, "Fix memory leak in list
 * formula data validation"), which the leak checks of make check catch.
 * A CUSTOM_FORMULA validation is copied once and written the same way but
 * for its type, so those versions get one and have its type set to list
 * afterwards: the only place we touch libxlsxwriter's own records.
 */
static lxw_error
add_list_validation(lxw_worksheet *ws, lxw_row_t first, lxw_row_t last,
    lxw_col_t col, lxw_data_validation *dv)
{
#if LXW_VERSION_ID < 116
	lxw_data_val_obj *v, *added = NULL;
	lxw_error e;

	dv->validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
	e = worksheet_data_validation_range(ws, first, col, last, col, dv);
	if (e == LXW_NO_ERROR) {
		STAILQ_FOREACH(v, ws->data_validations, list_pointers)
			added = v;
		added->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	}
	return e;
#else
	dv->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	return worksheet_data_validation_range(ws, first, col, last, col, dv);
#endif
}

/*
 * The validation of column c: its note as an input message and, when it
 * has a non-empty list, a drop-down of that list's range on the hidden
 * sheet.  It covers rows 2 to Excel's last: the file holds one range
 * either way, and a ledger longer than any fixed limit keeps both.
 */
static int
ledger_validation(struct ledger *lg, size_t c, char **err)
{
	/* A warning, not a stop: the registry accepts a unit's aliases
	 * (简称, former names), which the list does not show, so the clerk
	 * may keep a value that is not in it. */
	char alert_title[] = "不在下拉列表中";
	char alert_text[] = "所填内容不在下拉列表中。单位的简称或别名"
	    "也可登记：确认无误请选“是”保留。";
	const char *note = lg->notes != NULL ? lg->notes[c] : NULL;
	size_t i = lg->list_of[c];
	lxw_data_validation dv;
	char formula[64], colname[LXW_MAX_COL_NAME_LENGTH];
	lxw_error e;

	memset(&dv, 0, sizeof dv);
	dv.validate = LXW_VALIDATION_TYPE_ANY;
	if (i != SIZE_MAX && lg->lists[i].nitems > 0) {
		lxw_col_to_name(colname, (lxw_col_t)i, 1);
		snprintf(formula, sizeof formula, "='%s'!%s$2:%s$%zu",
		    LISTS_SHEET, colname, colname, lg->lists[i].nitems + 1);
		dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		dv.value_formula = formula;
		dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
		dv.error_title = alert_title;
		dv.error_message = alert_text;
	}
	if (note != NULL && *note != '\0') {
		dv.input_title = clip(lg->headers[c], TITLE_MAX);
		dv.input_message = clip(note, MESSAGE_MAX);
	}
	e = LXW_NO_ERROR;
	if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA)
		e = add_list_validation(lg->ws, 1, LXW_ROW_MAX - 1, (lxw_col_t)c,
		    &dv);
	else if (dv.input_message != NULL)
		e = worksheet_data_validation_range(lg->ws, 1, (lxw_col_t)c,
		    LXW_ROW_MAX - 1, (lxw_col_t)c, &dv);
	free(dv.input_title);
	free(dv.input_message);
	if (e != LXW_NO_ERROR)
		return xw_cell_error(1, (lxw_col_t)c, e, err);
	return 0;
}

static int
ledger_build(struct ledger *lg, char **err)
{
	lxw_format *bold = xw_bold_format(lg->wb);

	lg->ws = workbook_add_worksheet(lg->wb, "台账");
	if (lg->nlists > 0)
		lg->ls = workbook_add_worksheet(lg->wb, LISTS_SHEET);
	if (lg->ws == NULL || (lg->nlists > 0 && lg->ls == NULL)) {
		*err = xasprintf("cannot add the ledger's sheets");
		return -1;
	}
	if (ledger_columns(lg, bold, err) == -1)
		return -1;
	for (size_t i = 0; i < lg->nlists; i++)
		if (put_list(lg, i, bold, err) == -1)
			return -1;
	if (lg->ls != NULL)
		worksheet_hide(lg->ls);
	for (size_t c = 0; c < lg->ncols; c++)
		if (ledger_validation(lg, c, err) == -1)
			return -1;
	return 0;
}

int
xlsx_template(const char *const *headers, const char *const *notes,
    const int *kinds, size_t ncols, const xlsx_list_t *lists, size_t nlists,
    time_t created, buf_t *out, char **err)
{
	struct ledger lg;
	struct book bk;
	int rc = -1;

	memset(&lg, 0, sizeof lg);
	lg.headers = headers;
	lg.notes = notes;
	lg.kinds = kinds;
	lg.ncols = ncols;
	lg.lists = lists;
	lg.nlists = nlists;
	*err = NULL;
	if (xw_check_created(created, err) == -1 || ledger_check(&lg, err) == -1)
		goto cleanup;
	if (xw_book_open(&bk, created, err) == 0) {
		lg.wb = bk.wb;
		if (ledger_build(&lg, err) == 0) {
			rc = xw_book_close(&bk, out, err);
			goto cleanup;
		}
	}
	(void)xw_book_close(&bk, NULL, NULL);
cleanup:
	free(lg.list_of);
	return rc;
}
