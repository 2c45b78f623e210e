/*
 * ledger_adopt.c - the ledgers that refer to items: adoptions (each to a
 * known item, not dated before it, with a carrier that has points) and
 * directives (Art 4), and, once everything is read, the links of
 * submissions to directives (the directive exists, the unit is among its
 * 责任单位).  Part of the ledger loader (ledger_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "ledger_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The adoptions of quarter folder q, read whole into t (idx: the columns).
 * An adoption naming no known item is an error unless a submissions file
 * was refused (the item may be in it: the error would follow from that
 * one).  备注 may be a placeholder: no note.
 */
void
lg_load_adoptions(struct loader *L, const table_t *t, const long *idx,
    tb_quarter q, const char *file)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const table_row_t *r = &t->rows[i];
		adoption_t a;
		const char *s;
		size_t item = 0;
		long c;
		int bad = 0;

		memset(&a, 0, sizeof a);
		a.file = file;
		a.line = r->line;
		a.quarter = q;
		if (lg_hidden_in_row(L, t, idx, lg_adopt_cols, A_NCOLS, ~0ul,
		    (row_f)r->f, r->line))
			continue;
		s = lg_field_or_none((row_f)r->f, idx, A_NOTE);
		if (text_hidden_at(s, NULL) != (size_t)-1) {
			a.note = lg_pooled(L, lg_strip_hidden(L, t, lg_adopt_cols, A_NOTE,
			    r->line, s, "adoptions"));
		} else {
			a.note = lg_pooled(L, s);
		}

		s = r->f[idx[A_ITEM]];
		if (!lg_find_item(L, s, &item)) {
			if (!L->items_short)
				diag_error(L->dl, t->file, r->line, "%sunknown item "
				    "\"%s\" (no submission with this 编号)",
				    lg_cell_of(t, idx, A_ITEM, r->line).s, s);
			bad = 1;
		}
		a.item = item;

		s = r->f[idx[A_CARRIER]];
		c = (long)lg_cached(L, 'c', s);
		if (c < 0) {
			diag_error(L->dl, t->file, r->line,
			    "%sunknown carrier \"%s\" in 采用载体",
			    lg_cell_of(t, idx, A_CARRIER, r->line).s, s);
			bad = 1;
		} else if (L->rules->carriers[c].points == NO_POINTS) {
			diag_error(L->dl, t->file, r->line,
			    "%scarrier \"%s\" has no points in the rules (Art 9); "
			    "set its points in rules.xml before using it",
			    lg_cell_of(t, idx, A_CARRIER, r->line).s,
			    L->rules->carriers[c].name);
			bad = 1;
		} else {
			a.carrier = (size_t)c;
		}

		if (lg_parse_time(L, t, idx, r->line, lg_adopt_cols, A_DATE,
		    r->f[idx[A_DATE]], &a.date, NULL) != 0 ||
		    lg_check_in_quarter(L, t, idx, r->line, lg_adopt_cols, A_DATE,
		    a.date, q) != 0) {
			bad = 1;
		} else if (!bad) {
			const item_t *it = &L->led->items[item];
			if (tb_day(a.date) < tb_day(it->submitted)) {
				char ts[32];
				tb_time_format(it->submitted, ts, sizeof ts);
				diag_error(L->dl, t->file, r->line, "%sitem \"%s\" "
				    "adopted on %s, before it was submitted (%s)",
				    lg_cell_of(t, idx, A_DATE, r->line).s, it->id,
				    r->f[idx[A_DATE]], ts);
				bad = 1;
			}
		}
		if (bad)
			continue;
		xgrow(&L->led->adoptions, &L->led->capadoptions,
		    L->led->nadoptions + 1, sizeof *L->led->adoptions);
		L->led->adoptions[L->led->nadoptions++] = a;
	}
}

/* ---- directives (Art 4) ---------------------------------------------------- */

/* Values of 长期 (long_running): yes, no; anything else is an error. */
static const char *const long_yes[] = { "是", "yes", "true", "1", "Y", "y" };
static const char *const long_no[] = { "", "否", "no", "false", "0", "N", "n" };

static bool
in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return true;
	return false;
}

/*
 * Reads a directives ledger of quarter folder q.  The directive's issue
 * time must lie in q (as submissions and adoptions do).  An unknown unit in
 * 责任单位 is an error in the quarter scored; in an earlier quarter it is a
 * unit since removed from the registry and is left out.  L->dirs maps every
 * id seen to its index, or SIZE_MAX for a row with errors (so that the
 * submissions naming it are not reported a second time).
 */
void
lg_load_directives(struct loader *L, const table_t *t, const long *idx,
    tb_quarter q, const char *file)
{
	strvec_t names = { 0 };
	/* the units a row names so far, marked: a cell of many names is
	 * checked for repeats in linear time */
	unsigned char *named = xcalloc(L->reg->nunits + 1, 1);

	for (size_t i = 0; i < t->nrows; i++) {
		const table_row_t *r = &t->rows[i];
		directive_t d;
		const char *s;
		size_t prev;
		int bad = 0, dup = 0;

		memset(&d, 0, sizeof d);
		d.file = file;
		d.line = r->line;
		d.id = arena_strdup(&L->led->strings, r->f[idx[D_ID]]);
		d.title = lg_strip_hidden(L, t, lg_dir_cols, D_TITLE, r->line,
		    r->f[idx[D_TITLE]], "directives");
		if (lg_hidden_in_row(L, t, idx, lg_dir_cols, D_NCOLS, ~0ul, (row_f)r->f,
		    r->line)) {
			/* its id is known, so that the items naming it are not
			 * reported a second time */
			if (d.id[0] != '\0' && !strmap_get(&L->dirs, d.id, &prev))
				strmap_put(&L->dirs, d.id, SIZE_MAX, NULL);
			continue;
		}
		if (d.id[0] == '\0') {
			diag_error(L->dl, t->file, r->line, "%sempty 督办编号 (id)",
			    lg_cell_of(t, idx, D_ID, r->line).s);
			bad = 1;
		} else if (strmap_get(&L->dirs, d.id, &prev)) {
			if (prev != SIZE_MAX)
				diag_error(L->dl, t->file, r->line,
				    "duplicate directive \"%s\" (first at %s:%ld)", d.id,
				    L->led->directives[prev].file,
				    L->led->directives[prev].line);
			else
				diag_error(L->dl, t->file, r->line,
				    "duplicate directive \"%s\"", d.id);
			bad = dup = 1;
		}
		if (d.title[0] == '\0') {
			diag_error(L->dl, t->file, r->line, "%sempty 事项 (title)",
			    lg_cell_of(t, idx, D_TITLE, r->line).s);
			bad = 1;
		}
		if (lg_parse_time(L, t, idx, r->line, lg_dir_cols, D_ISSUED,
		    r->f[idx[D_ISSUED]], &d.issued, NULL) != 0 ||
		    lg_check_in_quarter(L, t, idx, r->line, lg_dir_cols, D_ISSUED,
		    d.issued, q) != 0)
			bad = 1;
		split_list(r->f[idx[D_UNITS]], &names);
		if (names.n == 0) {
			diag_error(L->dl, t->file, r->line, "%sempty 责任单位 (units)",
			    lg_cell_of(t, idx, D_UNITS, r->line).s);
			bad = 1;
		}
		d.units = xcalloc(names.n + 1, sizeof *d.units);
		for (size_t k = 0; k < names.n; k++) {
			size_t u = lg_find_unit(L, names.v[k]);
			int twice = 0;

			if (u == NO_UNIT) {
				if (q == L->upto) {
					char *near = lg_nearest_units(L->reg, names.v[k]);
					diag_error(L->dl, t->file, r->line,
					    "%sunknown unit \"%s\" in 责任单位; "
					    "nearest: %s", lg_cell_of(t, idx, D_UNITS,
					    r->line).s, names.v[k], near);
					free(near);
					bad = 1;
				}
				continue;
			}
			twice = named[u];
			named[u] = 1;
			if (twice) {
				diag_error(L->dl, t->file, r->line,
				    "%s责任单位 names %s twice", lg_cell_of(t, idx,
				    D_UNITS, r->line).s, L->reg->units[u].name);
				bad = 1;
				continue;
			}
			d.units[d.nunits++] = u;
		}
		for (size_t j = 0; j < d.nunits; j++)
			named[d.units[j]] = 0;
		strvec_free(&names);
		s = lg_field_or_none((row_f)r->f, idx, D_LONG);
		d.long_running = in_list(s, long_yes, ARRAY_LEN(long_yes));
		if (!d.long_running && !in_list(s, long_no, ARRAY_LEN(long_no))) {
			diag_error(L->dl, t->file, r->line,
			    "%s长期 (long_running) \"%s\" is neither 是 nor empty",
			    lg_cell_of(t, idx, D_LONG, r->line).s, s);
			bad = 1;
		}
		if (!dup && d.id[0] != '\0')
			strmap_put(&L->dirs, d.id, bad ? SIZE_MAX :
			    L->led->ndirectives, NULL);
		if (bad) {
			free(d.units);
			continue;
		}
		xgrow(&L->led->directives, &L->led->capdirectives,
		    L->led->ndirectives + 1, sizeof *L->led->directives);
		L->led->directives[L->led->ndirectives++] = d;
	}
	free(named);
}

/* "A、B、C": the names of a directive's responsible units.  Caller frees. */
static char *
unit_names(const registry_t *reg, const directive_t *d)
{
	buf_t b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t k = 0; k < d->nunits; k++)
		buf_printf(&b, "%s%s", k ? "、" : "", reg->units[d->units[k]].name);
	return buf_steal(&b);
}

/*
 * Checks every submission's 督办编号 once all ledgers are read: the
 * directive must exist in the data folder (any quarter up to the one
 * scored) and the submission's unit must be one of its 责任单位.  A
 * submission of the quarter scored made before the directive was issued is
 * a warning: it does not count as a follow-up (followup.h).
 */
void
lg_check_directive_links(struct loader *L)
{
	const ledger_t *led = L->led;

	for (size_t i = 0; i < led->nitems; i++) {
		const item_t *it = &led->items[i];
		const directive_t *d;
		size_t di;
		bool mine = false;

		if (it->directive == NULL || it->directive[0] == '\0')
			continue;
		if (!strmap_get(&L->dirs, it->directive, &di)) {
			char qs[16];

			if (L->dirs_short)      /* it may be in the refused file */
				continue;
			tb_quarter_format(L->upto, qs, sizeof qs);
			diag_error(L->dl, it->file, it->line,
			    "unknown directive \"%s\" in 督办编号 (no directive with "
			    "this id in the directives ledgers up to %s)",
			    it->directive, qs);
			continue;
		}
		if (di == SIZE_MAX || it->unit == NO_UNIT)
			continue;       /* reported already / not evaluated now */
		d = &led->directives[di];
		for (size_t k = 0; k < d->nunits; k++)
			mine |= d->units[k] == it->unit;
		if (!mine) {
			char *names = unit_names(L->reg, d);

			diag_error(L->dl, it->file, it->line,
			    "%s is not a responsible unit of directive \"%s\" "
			    "(责任单位: %s)", L->reg->units[it->unit].name,
			    it->directive, names);
			free(names);
		} else if (it->quarter == L->upto && followup_before_issue(it, d)) {
			char ts[32];

			tb_time_format(d->issued, ts, sizeof ts);
			diag_tally(L->dl, it->file, it->line, "items",
			    "submitted before directive \"%s\" was issued (%s); "
			    "not counted as a follow-up (Art 4)", it->directive, ts);
		}
	}
}
