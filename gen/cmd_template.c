/*
 * cmd_template.c - tongbao template YYYYQn (SPEC 3.5): the quarter's empty
 * ledgers as Excel workbooks, with drop-down lists of the registry and
 * rules in force for it, published as every output is.
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "frame.h"
#include "xlsxwrite.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- tongbao template (SPEC 3.5) ---------------------------------------- */

/* The drop-down of ledger k's column `en`, if it has one: the names a
 * clerk picks from.  Fills *items (the model's strings; caller frees the
 * array) and returns their number. */
static size_t
template_list(const registry_t *reg, const rules_t *rules, enum ledger_kind k,
    const char *en, const char ***items)
{
	size_t n = 0;

	*items = NULL;
	if (strcmp(en, "unit") == 0 || (k == LG_DIR && strcmp(en, "units") == 0)) {
		*items = xcalloc(reg->nunits + 1, sizeof **items);
		for (size_t u = 0; u < reg->nunits; u++)
			(*items)[n++] = reg->units[u].name;
	} else if (k == LG_SUB && strcmp(en, "type") == 0) {
		*items = xcalloc(rules->nkinds + 1, sizeof **items);
		for (size_t i = 0; i < rules->nkinds; i++)
			(*items)[n++] = rules->kinds[i].name;
	} else if (k == LG_ADOPT && strcmp(en, "carrier") == 0) {
		/* a carrier without points is an error to use (Art 9) */
		*items = xcalloc(rules->ncarriers + 1, sizeof **items);
		for (size_t i = 0; i < rules->ncarriers; i++)
			if (rules->carriers[i].points != NO_POINTS)
				(*items)[n++] = rules->carriers[i].name;
	} else if (k == LG_SUB && strcmp(en, "channel") == 0) {
		*items = xcalloc(rules->nmailboxes + rules->nothers + 1,
		    sizeof **items);
		for (size_t i = 0; i < rules->nmailboxes; i++)
			(*items)[n++] = rules->mailboxes[i];
		for (size_t i = 0; i < rules->nothers; i++)
			(*items)[n++] = rules->others[i];
	}
	return n;
}

/* One ledger's empty workbook.  Returns 0 or EX_CANTCREAT_. */
static int
template_book(const registry_t *reg, const rules_t *rules, enum ledger_kind k,
    time_t created, buf_t *out, diag_list_t *dl)
{
	size_t ncols, nlists = 0;
	const frame_col_t *cols = ledger_columns(k, &ncols);
	const char **headers = xcalloc(ncols, sizeof *headers);
	const char **notes = xcalloc(ncols, sizeof *notes);
	int *kinds = xcalloc(ncols, sizeof *kinds);
	xlsx_list_t *lists = xcalloc(ncols, sizeof *lists);
	char *err = NULL;
	int rc = 0;

	for (size_t c = 0; c < ncols; c++) {
		const char **items;
		size_t n = template_list(reg, rules, k, cols[c].en, &items);

		headers[c] = cols[c].cn;
		notes[c] = cols[c].note;
		kinds[c] = ledger_column_is_time(k, c) ? XLSX_TIME :
		    strcmp(cols[c].en, "chars") == 0 ? XLSX_NUMBER : XLSX_TEXT;
		if (n > 0)
			lists[nlists++] = (xlsx_list_t){ c, items, n };
		else
			free(items);
	}
	if (xlsx_template(headers, notes, kinds, ncols, lists, nlists, created,
	    out, &err) != 0) {
		diag_error(dl, NULL, 0, "cannot make the %s template: %s",
		    ledger_name(k), err);
		rc = EX_CANTCREAT_;
	}
	for (size_t i = 0; i < nlists; i++)
		free((void *)lists[i].items);
	free(err);
	free(lists);
	free(kinds);
	free(notes);
	free(headers);
	return rc;
}

/*
 * tongbao template YYYYQn --data DIR --out DIR: the quarter's empty
 * ledgers as workbooks, with the registry and rules in force for it.  An
 * existing ledger of any form in OUT/YYYYQn is never overwritten, nor
 * joined by a second form of itself (SPEC 3.5: exit 73 naming it).
 */
int
cmd_template(const struct options *o, diag_list_t *dl)
{
	registry_t reg;
	rules_t rules;
	tb_quarter q;
	buf_t books[LG_N];
	out_file_t files[LG_N];
	char qs[16], *names[LG_N] = { NULL };
	char *units = NULL, *rulesf = NULL;
	int rc, loaded = 0;

	if (o->period == NULL) {
		fputs("tongbao: template needs the quarter, e.g. tongbao template "
		    "2017Q1\n", stderr);
		return EX_USAGE_;
	}
	if ((rc = run_target_quarter(o, &q)) != 0)
		return rc;
	tb_quarter_format(q, qs, sizeof qs);
	for (int k = 0; k < LG_N; k++)
		buf_init(&books[k]);
	rc = EX_CANTCREAT_;
	for (int k = 0; k < LG_N; k++) {
		static const char *const ext[] = { "xlsx", "csv", "xml" };

		for (size_t e = 0; e < ARRAY_LEN(ext); e++) {
			char *p = xasprintf("%s/%s/%s.%s", o->out, qs,
			    ledger_name((enum ledger_kind)k), ext[e]);

			if (run_is_file(p))
				diag_error(dl, p, 0, "exists: tongbao template never "
				    "overwrites a ledger; move it away first");
			free(p);
		}
	}
	if (dl->errors > 0)
		goto cleanup;
	units = run_config_path(o->data, q, "units.xml");
	rulesf = run_config_path(o->data, q, "rules.xml");
	rc = EX_DATAERR_;
	if (registry_load(units, o->schema_dir, &reg, dl) != 0)
		goto cleanup;
	if (rules_load(rulesf, o->schema_dir, &reg, &rules, dl) != 0) {
		registry_free(&reg);
		goto cleanup;
	}
	loaded = 1;
	for (int k = 0; k < LG_N; k++) {
		names[k] = xasprintf("%s.xlsx", ledger_name((enum ledger_kind)k));
		if ((rc = template_book(&reg, &rules, (enum ledger_kind)k,
		    run_local_time(tb_quarter_start(q)), &books[k], dl)) != 0)
			goto cleanup;
		files[k] = (out_file_t){ names[k], &books[k], false };
	}
	rc = run_publish(o, qs, files, LG_N, dl);
cleanup:
	if (loaded) {
		rules_free(&rules);
		registry_free(&reg);
	}
	for (int k = 0; k < LG_N; k++) {
		buf_free(&books[k]);
		free(names[k]);
	}
	free(units);
	free(rulesf);
	return rc;
}
