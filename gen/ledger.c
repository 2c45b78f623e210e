/*
 * ledger.c - from a data folder's quarter ledgers to the model (ledger_t),
 * with every field checked (SPEC 3.3).  The readers (csvread.c, xmlread.c)
 * give each file's header and rows; this stage maps its columns by Chinese
 * name or English alias (one table per ledger, below), resolves units,
 * kinds and carriers by name, parses times, and reports every problem with
 * its FILE:LINE - all of them in one run.
 *
 * Memory: a CSV submissions ledger is streamed (each row becomes an item
 * as it is parsed and is then dropped), and the ledger keeps only the
 * strings it needs in one arena, repeated values (channels, approvers,
 * authors) once each; items are found by id through a one-word-per-slot
 * index.  A million items take about 250 MB in all (README, Benchmark).
 *
 * Decisions where SPEC is silent:
 *   - The registry and rules in force for the quarter being scored apply to
 *     the earlier quarters read for their adoptions.  An earlier item whose
 *     unit is not in that registry (a 直报点 since removed from the annex) is
 *     kept so that its adoptions are not "unknown item" errors, but credits
 *     nobody (unit = NO_UNIT).
 *   - An adoption may not be dated before its item's submission; the two are
 *     compared by calendar day, since adoptions are usually recorded by date.
 *   - An adoption sits in the folder of the quarter of its date, as a
 *     submission does (SPEC 2.1).
 *   - A quarter folder needs a submissions ledger; adoptions and directives
 *     are optional.  Unknown columns are warnings (a misspelt header would
 *     otherwise drop data silently).
 *   - Directives (Art 4): a directive sits in the folder of the quarter of
 *     its 下达时间; every quarter's directives up to the one scored are
 *     known, and links are checked once everything is read: a submission's
 *     督办编号 must name one of them, and its unit must be among the
 *     directive's 责任单位.  长期 is 是 (or yes/true/1) or empty (or 否).
 */
#define _POSIX_C_SOURCE 200809L
#include "ledger.h"
#include "config.h"
#include "csvread.h"
#include "table.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- column vocabularies ------------------------------------------------ */

struct column {
	const char *cn;      /* Chinese header */
	const char *en;      /* English alias (also the XML element name) */
	int         required;
};

enum { S_ID, S_UNIT, S_TITLE, S_TYPE, S_CHARS, S_SUBMITTED, S_EVENT,
       S_CHANNEL, S_APPROVER, S_AUTHORS, S_DIRECTIVE, S_NCOLS };
static const struct column sub_cols[S_NCOLS] = {
	[S_ID]        = { "编号", "id", 1 },
	[S_UNIT]      = { "报送单位", "unit", 1 },
	[S_TITLE]     = { "标题", "title", 1 },
	[S_TYPE]      = { "类别", "type", 1 },
	[S_CHARS]     = { "字数", "chars", 1 },
	[S_SUBMITTED] = { "报送时间", "submitted", 1 },
	[S_EVENT]     = { "事发时间", "event", 0 },
	[S_CHANNEL]   = { "报送方式", "channel", 1 },
	[S_APPROVER]  = { "签发人", "approver", 0 },
	[S_AUTHORS]   = { "作者", "authors", 0 },
	[S_DIRECTIVE] = { "督办编号", "directive", 0 },
};

enum { A_ITEM, A_CARRIER, A_DATE, A_NOTE, A_NCOLS };
static const struct column adopt_cols[A_NCOLS] = {
	[A_ITEM]    = { "编号", "item", 1 },
	[A_CARRIER] = { "采用载体", "carrier", 1 },
	[A_DATE]    = { "采用时间", "date", 1 },
	[A_NOTE]    = { "备注", "note", 0 },
};

enum { D_ID, D_TITLE, D_ISSUED, D_UNITS, D_LONG, D_NCOLS };
static const struct column dir_cols[D_NCOLS] = {
	[D_ID]     = { "督办编号", "id", 1 },
	[D_TITLE]  = { "事项", "title", 1 },
	[D_ISSUED] = { "下达时间", "issued", 1 },
	[D_UNITS]  = { "责任单位", "units", 1 },
	[D_LONG]   = { "长期", "long_running", 0 },
};

/* ---- the loader's state --------------------------------------------------- */

struct loader {
	const char         *data_dir;
	tb_quarter          upto;
	const registry_t   *reg;
	const rules_t      *rules;
	const ledger_opts_t *opts;
	ledger_t           *led;
	diag_list_t        *dl;
	strmap_t            units;    /* name_key of id, name, alias -> unit */
	strmap_t            seen;     /* field as written -> lookup result (cache) */
	uint64_t           *ids;      /* item id -> index: see item_slot() */
	size_t              nids, capids;
	strmap_t            dirs;     /* directive id -> index */
	strmap_t            pooled;   /* strings kept once in led->strings */
};

/*
 * The index of items by id.  A million ids make this the loader's largest
 * lookup, so each slot is one word: the id's hash in the high half and the
 * item's index + 1 in the low half (0: empty); the id itself is read from
 * the item.  Open addressing, at most half full.  Returns the slot holding
 * id, or the empty slot where it would go.
 */
static size_t
item_slot(const struct loader *L, const char *id, uint32_t h)
{
	size_t mask = L->capids - 1, i = h & mask;

	for (; L->ids[i] != 0; i = (i + 1) & mask)
		if ((uint32_t)(L->ids[i] >> 32) == h &&
		    strcmp(L->led->items[(L->ids[i] & 0xFFFFFFFFu) - 1].id, id) == 0)
			break;
	return i;
}

/* Sets *item to the index of the item with this id; false if none. */
static bool
find_item(const struct loader *L, const char *id, size_t *item)
{
	uint64_t v;

	if (L->capids == 0)
		return false;
	v = L->ids[item_slot(L, id, str_hash(id))];
	if (v == 0)
		return false;
	*item = (size_t)(v & 0xFFFFFFFFu) - 1;
	return true;
}

/*
 * Files item i (already in led->items) under its id, unless the id is
 * taken: then returns false and sets *prev to the item holding it.
 */
static bool
add_item_id(struct loader *L, size_t i, size_t *prev)
{
	const char *id = L->led->items[i].id;
	uint32_t h = str_hash(id);
	size_t k;

	if (i >= 0xFFFFFFFFu) {
		fprintf(stderr, "tongbao: more than 4 billion items\n");
		abort();
	}
	if ((L->nids + 1) * 2 > L->capids) {
		uint64_t *old = L->ids;
		size_t oldcap = L->capids;

		L->capids = oldcap ? oldcap * 2 : 1024;
		L->ids = xcalloc(L->capids, sizeof *L->ids);
		for (size_t j = 0; j < oldcap; j++) {
			if (old[j] == 0)
				continue;
			k = (old[j] >> 32) & (L->capids - 1);
			while (L->ids[k] != 0)
				k = (k + 1) & (L->capids - 1);
			L->ids[k] = old[j];
		}
		free(old);
	}
	k = item_slot(L, id, h);
	if (L->ids[k] != 0) {
		*prev = (size_t)(L->ids[k] & 0xFFFFFFFFu) - 1;
		return false;
	}
	L->ids[k] = (uint64_t)h << 32 | (uint64_t)(i + 1);
	L->nids++;
	return true;
}

/*
 * The copy of s in the ledger's arena that every item repeating s shares.
 * Channels, approvers and authors repeat a few hundred values a million
 * times; kept once each, they cost nothing.
 */
static char *
pooled(struct loader *L, const char *s)
{
	const char *p;

	if (s[0] == '\0')
		return (char *)"";
	p = strmap_key(&L->pooled, s);
	if (p == NULL) {
		p = arena_strdup(&L->led->strings, s);
		strmap_put(&L->pooled, p, 0, NULL);
	}
	return (char *)p;
}

/* Maps the table's columns to the vocabulary: idx[k] = column or -1.
 * Reports missing required columns, duplicates and unknown columns. */
static int
map_columns(struct loader *L, const table_t *t, const struct column *cols,
    size_t ncols, long *idx)
{
	int rc = 0;

	for (size_t k = 0; k < ncols; k++)
		idx[k] = -1;
	for (size_t c = 0; c < t->ncols; c++) {
		char *key = name_key(t->cols[c]);
		size_t k;

		for (k = 0; k < ncols; k++) {
			char *cn = name_key(cols[k].cn), *en = name_key(cols[k].en);
			int hit = strcmp(key, cn) == 0 || strcmp(key, en) == 0;
			free(cn);
			free(en);
			if (hit)
				break;
		}
		if (k == ncols) {
			diag_warning(L->dl, t->file, t->header_line,
			    "unknown column '%s' ignored", t->cols[c]);
		} else if (idx[k] >= 0) {
			diag_error(L->dl, t->file, t->header_line,
			    "column %s (%s) appears twice", cols[k].cn, cols[k].en);
			rc = -1;
		} else {
			idx[k] = (long)c;
		}
		free(key);
	}
	for (size_t k = 0; k < ncols; k++) {
		if (cols[k].required && idx[k] < 0) {
			diag_error(L->dl, t->file, t->header_line,
			    "missing column %s (%s)", cols[k].cn, cols[k].en);
			rc = -1;
		}
	}
	return rc;
}

/* A row's fields: f[c] for column c of the table. */
typedef const char *const *row_f;

static const char *
field(row_f f, const long *idx, int k)
{
	return idx[k] >= 0 ? f[idx[k]] : "";
}

static void
build_unit_map(struct loader *L)
{
	const registry_t *reg = L->reg;

	for (size_t u = 0; u < reg->nunits; u++) {
		const unit_t *un = &reg->units[u];
		char *k;

		k = name_key(un->id);
		strmap_put(&L->units, k, u, NULL);
		free(k);
		k = name_key(un->name);
		strmap_put(&L->units, k, u, NULL);
		free(k);
		for (size_t a = 0; a < un->naliases; a++) {
			k = name_key(un->aliases[a]);
			strmap_put(&L->units, k, u, NULL);
			free(k);
		}
	}
}

static size_t
find_unit(struct loader *L, const char *name)
{
	char *k = name_key(name);
	size_t u = NO_UNIT;

	if (!strmap_get(&L->units, k, &u))
		u = NO_UNIT;
	free(k);
	return u;
}

/*
 * The ledgers repeat a few dozen unit, kind and carrier names a million
 * times: remember each lookup by the field as written ('u', 'k' or 'c'
 * prefix), so name_key runs once per distinct spelling.  Returns the unit,
 * kind or carrier index, or -1 / NO_UNIT as the lookup does.
 */
static size_t
cached(struct loader *L, char what, const char *field)
{
	char small[256], *key = small;
	size_t n = strlen(field), v;

	if (n + 2 > sizeof small)
		key = xmalloc(n + 2);
	key[0] = what;
	memcpy(key + 1, field, n + 1);
	if (!strmap_get(&L->seen, key, &v)) {
		if (what == 'u')
			v = find_unit(L, field);
		else if (what == 'k')
			v = (size_t)rules_find_kind(L->rules, field);
		else
			v = (size_t)rules_find_carrier(L->rules, field);
		strmap_put(&L->seen, key, v, NULL);
	}
	if (key != small)
		free(key);
	return v;
}

/* "A, B, C": the three registry names nearest to name. */
static char *
nearest_units(const registry_t *reg, const char *name)
{
	size_t best[3] = { NO_UNIT, NO_UNIT, NO_UNIT };
	size_t dist[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
	buf_t b;

	for (size_t u = 0; u < reg->nunits; u++) {
		size_t d = utf8_edit_distance(name, reg->units[u].name);
		for (size_t i = 0; i < 3; i++) {
			if (d < dist[i]) {
				for (size_t j = 2; j > i; j--) {
					dist[j] = dist[j - 1];
					best[j] = best[j - 1];
				}
				dist[i] = d;
				best[i] = u;
				break;
			}
		}
	}
	buf_init(&b);
	for (size_t i = 0; i < 3 && best[i] != NO_UNIT; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", reg->units[best[i]].name);
	return buf_steal(&b);
}

static char *
kind_names(const rules_t *r)
{
	buf_t b;

	buf_init(&b);
	for (size_t k = 0; k < r->nkinds; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", r->kinds[k].name);
	return buf_steal(&b);
}

/* Parses a time field; reports a bad one.  Returns 0 or -1. */
static int
parse_time(struct loader *L, const table_t *t, long line,
    const struct column *col, const char *s, tb_time *out)
{
	if (tb_time_parse(s, out))
		return 0;
	diag_error(L->dl, t->file, line, "invalid time '%s' in %s (%s)",
	    s, col->cn, col->en);
	return -1;
}

static int
check_in_quarter(struct loader *L, const table_t *t, long line,
    const struct column *col, tb_time when, tb_quarter q)
{
	char qs[16], ts[32];

	if (tb_quarter_of(when) == q)
		return 0;
	tb_quarter_format(q, qs, sizeof qs);
	tb_time_format(when, ts, sizeof ts);
	diag_error(L->dl, t->file, line,
	    "%s %s is outside %s, the quarter of this folder", col->cn, ts, qs);
	return -1;
}

/* ---- submissions ------------------------------------------------------------- */

static void
warn_item(struct loader *L, const table_t *t, const item_t *it)
{
	const kind_t *k = &L->rules->kinds[it->kind];

	if (k->max_chars > 0 && it->chars > k->max_chars)
		diag_warning(L->dl, t->file, it->line,
		    "%s item of %d 字 exceeds the %d 字 limit (Art 3)",
		    k->name, it->chars, k->max_chars);
	if (k->min_chars > 0 && it->chars < k->min_chars)
		diag_warning(L->dl, t->file, it->line,
		    "%s item of %d 字 is below the %d 字 minimum (Art 3)",
		    k->name, it->chars, k->min_chars);
	if (k->urgent && it->event != TB_TIME_NONE &&
	    it->submitted - it->event > L->rules->urgent_limit_minutes) {
		long m = (long)(it->submitted - it->event);
		diag_warning(L->dl, t->file, it->line,
		    "%s item reported %ld h %02ld min after the event, later than "
		    "the %d min limit (Art 13)", k->name, m / 60, m % 60,
		    L->rules->urgent_limit_minutes);
	}
}

/* One submissions ledger being read: the state sub_row() needs. */
struct subfile {
	struct loader *L;
	tb_quarter     q;
	const char    *file;
	long           idx[S_NCOLS];
};

/* The sink's header(): maps the columns (nonzero: rows are skipped). */
static int
sub_header(const table_t *t, void *arg)
{
	struct subfile *sf = arg;

	return map_columns(sf->L, t, sub_cols, S_NCOLS, sf->idx);
}

/*
 * One row of a submissions ledger: an item, checked.  Its strings are
 * copied into the ledger (the row's own go away with it: the CSV reader
 * streams rows); the unique ones (id, title) each once, the repeated ones
 * pooled.
 */
static void
sub_row(const table_t *t, row_f f, long line, void *arg)
{
	struct subfile *sf = arg;
	struct loader *L = sf->L;
	const long *idx = sf->idx;
	tb_quarter q = sf->q;
	item_t it;
	int bad = 0;
	long kind, chars;
	char *end = NULL;
	const char *s;
	size_t prev;

	memset(&it, 0, sizeof it);
	it.file = sf->file;
	it.line = line;
	it.quarter = q;
	it.id = arena_strdup(&L->led->strings, f[idx[S_ID]]);
	it.title = arena_strdup(&L->led->strings, f[idx[S_TITLE]]);
	it.channel = pooled(L, f[idx[S_CHANNEL]]);
	it.approver = pooled(L, field(f, idx, S_APPROVER));
	it.authors = pooled(L, field(f, idx, S_AUTHORS));
	it.directive = pooled(L, field(f, idx, S_DIRECTIVE));
	it.event = TB_TIME_NONE;

	/* the item goes in now (even a bad one, so that later rows see its
	 * id); it is filled in below */
	xgrow(&L->led->items, &L->led->capitems, L->led->nitems + 1,
	    sizeof *L->led->items);
	L->led->items[L->led->nitems] = it;
	if (it.id[0] == '\0') {
		diag_error(L->dl, t->file, line, "empty 编号 (id)");
		bad = 1;
	} else if (!add_item_id(L, L->led->nitems, &prev)) {
		const item_t *p = &L->led->items[prev];
		diag_error(L->dl, t->file, line,
		    "duplicate id '%s' (first at %s:%ld)", it.id, p->file, p->line);
		bad = 1;
	}

	s = f[idx[S_UNIT]];
	it.unit = cached(L, 'u', s);
	if (it.unit == NO_UNIT && q == L->upto) {
		char *near = nearest_units(L->reg, s);
		diag_error(L->dl, t->file, line,
		    "unknown unit '%s' (nearest: %s)", s, near);
		free(near);
		bad = 1;
	}

	if (it.title[0] == '\0') {
		diag_error(L->dl, t->file, line, "empty 标题 (title)");
		bad = 1;
	}

	s = f[idx[S_TYPE]];
	kind = (long)cached(L, 'k', s);
	if (kind < 0) {
		char *names = kind_names(L->rules);
		diag_error(L->dl, t->file, line,
		    "unknown kind '%s' in 类别 (expected one of %s)", s, names);
		free(names);
		bad = 1;
	} else {
		it.kind = (size_t)kind;
	}

	s = f[idx[S_CHARS]];
	errno = 0;
	chars = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0') {
		diag_error(L->dl, t->file, line,
		    "字数 (chars) '%s' is not a whole number", s);
		bad = 1;
	} else if (errno != 0 || chars > INT_MAX) {
		diag_error(L->dl, t->file, line,
		    "字数 (chars) '%s' is too large", s);
		bad = 1;
	} else {
		it.chars = (int)chars;
	}

	if (parse_time(L, t, line, &sub_cols[S_SUBMITTED],
	    f[idx[S_SUBMITTED]], &it.submitted) != 0 ||
	    check_in_quarter(L, t, line, &sub_cols[S_SUBMITTED],
	    it.submitted, q) != 0)
		bad = 1;

	s = field(f, idx, S_EVENT);
	if (s[0] != '\0') {
		if (parse_time(L, t, line, &sub_cols[S_EVENT], s, &it.event) != 0) {
			bad = 1;
		} else if (!bad && it.event > it.submitted) {
			diag_error(L->dl, t->file, line,
			    "事发时间 (event) '%s' is after 报送时间 (submitted)", s);
			bad = 1;
		}
	}

	if (!bad && q == L->upto)
		warn_item(L, t, &it);
	L->led->items[L->led->nitems++] = it;
}

/* Reads a ledger file kept whole: CSV, or XML checked against ledger.xsd.
 * Returns 0 or -1 after reporting. */
static int
read_table(struct loader *L, const char *file, bool csv, table_t *t)
{
	char *xsd = NULL;
	int rc;

	if (csv)
		return csv_read_file(file, L->opts->encoding, t, L->dl);
	xsd = xasprintf("%s/ledger.xsd", L->opts->schema_dir);
	rc = xml_read_ledger(file, xsd, t, L->dl);
	free(xsd);
	return rc;
}

/*
 * Reads the submissions ledger of quarter folder q, `file` (CSV or XML; the
 * ledger's own copy of the name, which its items point to).
 * A CSV file is streamed: its rows become items as they are parsed and are
 * not kept (a million-item ledger is mostly titles it would hold twice).
 */
static void
load_submissions(struct loader *L, const char *file, bool csv, tb_quarter q)
{
	struct subfile sf = { .L = L, .q = q, .file = file };
	csv_sink_t sink = { sub_header, sub_row, &sf };
	table_t t;

	memset(&t, 0, sizeof t);
	if (csv) {
		(void)csv_stream_file(file, L->opts->encoding, &t, &sink, L->dl);
	} else if (read_table(L, file, false, &t) == 0 &&
	    sub_header(&t, &sf) == 0) {
		for (size_t i = 0; i < t.nrows; i++)
			sub_row(&t, (row_f)t.rows[i].f, t.rows[i].line, &sf);
	}
	table_free(&t);
}

/* ---- adoptions ----------------------------------------------------------------- */

static void
load_adoptions(struct loader *L, table_t *t, tb_quarter q, const char *file)
{
	long idx[A_NCOLS];

	if (map_columns(L, t, adopt_cols, A_NCOLS, idx) != 0)
		return;
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
		a.note = pooled(L, field((row_f)r->f, idx, A_NOTE));

		s = r->f[idx[A_ITEM]];
		if (!find_item(L, s, &item)) {
			diag_error(L->dl, t->file, r->line,
			    "unknown item '%s' (no submission with this 编号)", s);
			bad = 1;
		}
		a.item = item;

		s = r->f[idx[A_CARRIER]];
		c = (long)cached(L, 'c', s);
		if (c < 0) {
			diag_error(L->dl, t->file, r->line,
			    "unknown carrier '%s' in 采用载体", s);
			bad = 1;
		} else if (L->rules->carriers[c].points == NO_POINTS) {
			diag_error(L->dl, t->file, r->line,
			    "carrier '%s' has no points in the rules (Art 9); set its "
			    "points in rules.xml before using it",
			    L->rules->carriers[c].name);
			bad = 1;
		} else {
			a.carrier = (size_t)c;
		}

		if (parse_time(L, t, r->line, &adopt_cols[A_DATE], r->f[idx[A_DATE]],
		    &a.date) != 0 ||
		    check_in_quarter(L, t, r->line, &adopt_cols[A_DATE], a.date, q) != 0) {
			bad = 1;
		} else if (!bad) {
			const item_t *it = &L->led->items[item];
			if (tb_day(a.date) < tb_day(it->submitted)) {
				char ts[32];
				tb_time_format(it->submitted, ts, sizeof ts);
				diag_error(L->dl, t->file, r->line,
				    "item '%s' adopted on %s, before it was submitted (%s)",
				    it->id, r->f[idx[A_DATE]], ts);
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
static void
load_directives(struct loader *L, table_t *t, tb_quarter q, const char *file)
{
	long idx[D_NCOLS];
	strvec_t names = { 0 };

	if (map_columns(L, t, dir_cols, D_NCOLS, idx) != 0)
		return;
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
		d.title = arena_strdup(&L->led->strings, r->f[idx[D_TITLE]]);
		if (d.id[0] == '\0') {
			diag_error(L->dl, t->file, r->line, "empty 督办编号 (id)");
			bad = 1;
		} else if (strmap_get(&L->dirs, d.id, &prev)) {
			if (prev != SIZE_MAX)
				diag_error(L->dl, t->file, r->line,
				    "duplicate directive '%s' (first at %s:%ld)", d.id,
				    L->led->directives[prev].file,
				    L->led->directives[prev].line);
			else
				diag_error(L->dl, t->file, r->line,
				    "duplicate directive '%s'", d.id);
			bad = dup = 1;
		}
		if (d.title[0] == '\0') {
			diag_error(L->dl, t->file, r->line, "empty 事项 (title)");
			bad = 1;
		}
		if (parse_time(L, t, r->line, &dir_cols[D_ISSUED], r->f[idx[D_ISSUED]],
		    &d.issued) != 0 ||
		    check_in_quarter(L, t, r->line, &dir_cols[D_ISSUED], d.issued, q) != 0)
			bad = 1;
		split_list(r->f[idx[D_UNITS]], &names);
		if (names.n == 0) {
			diag_error(L->dl, t->file, r->line, "empty 责任单位 (units)");
			bad = 1;
		}
		d.units = xcalloc(names.n + 1, sizeof *d.units);
		for (size_t k = 0; k < names.n; k++) {
			size_t u = find_unit(L, names.v[k]);
			int twice = 0;

			if (u == NO_UNIT) {
				if (q == L->upto) {
					char *near = nearest_units(L->reg, names.v[k]);
					diag_error(L->dl, t->file, r->line,
					    "unknown unit '%s' in 责任单位 (nearest: %s)",
					    names.v[k], near);
					free(near);
					bad = 1;
				}
				continue;
			}
			for (size_t j = 0; j < d.nunits; j++)
				twice |= d.units[j] == u;
			if (twice) {
				diag_error(L->dl, t->file, r->line,
				    "责任单位 names %s twice", L->reg->units[u].name);
				bad = 1;
				continue;
			}
			d.units[d.nunits++] = u;
		}
		strvec_free(&names);
		s = field((row_f)r->f, idx, D_LONG);
		d.long_running = in_list(s, long_yes, ARRAY_LEN(long_yes));
		if (!d.long_running && !in_list(s, long_no, ARRAY_LEN(long_no))) {
			diag_error(L->dl, t->file, r->line,
			    "长期 (long_running) '%s' is neither 是 nor empty", s);
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
static void
check_directive_links(struct loader *L)
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

			tb_quarter_format(L->upto, qs, sizeof qs);
			diag_error(L->dl, it->file, it->line,
			    "unknown directive '%s' in 督办编号 (no directive with "
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
			    "%s is not a responsible unit of directive '%s' "
			    "(责任单位: %s)", L->reg->units[it->unit].name,
			    it->directive, names);
			free(names);
		} else if (it->quarter == L->upto && it->submitted < d->issued) {
			char ts[32];

			tb_time_format(d->issued, ts, sizeof ts);
			diag_warning(L->dl, it->file, it->line,
			    "submitted before directive '%s' was issued (%s); it "
			    "does not count as a follow-up (Art 4)", it->directive, ts);
		}
	}
}

/* ---- files and folders ------------------------------------------------------ */

/* Is there anything at path?  lstat, so that a dangling or looping symbolic
 * link counts as present and its reader says why it cannot be read, rather
 * than the ledger being reported missing. */
static int
is_file(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * Reads DATA/Q/NAME.csv or NAME.xml.  Submissions become items at once
 * (load_submissions); adoptions and directives wait until every quarter's
 * submissions are in, so their file is read into *out (caller frees).
 * Returns 0 when *out holds a table; -1 when the file is missing (*missing
 * set), was read already (submissions) or could not be read (errors
 * reported).  *file: the file's name as the ledger keeps it (for
 * messages), or NULL.
 */
static int
read_ledger_file(struct loader *L, const char *qdir, const char *name,
    tb_quarter q, table_t *out, const char **file, int *missing)
{
	char *csv = xasprintf("%s/%s.csv", qdir, name);
	char *xml = xasprintf("%s/%s.xml", qdir, name);
	int has_csv = is_file(csv), has_xml = is_file(xml);
	int rc = -1;

	*missing = 0;
	*file = NULL;
	memset(out, 0, sizeof *out);
	if (has_csv && has_xml) {
		diag_error(L->dl, xml, 0, "both %s.csv and %s.xml are present; keep one",
		    name, name);
		goto cleanup;
	}
	if (!has_csv && !has_xml) {
		*missing = 1;
		goto cleanup;
	}
	L->led->files = xrealloc(L->led->files,
	    (L->led->nfiles + 1) * sizeof *L->led->files);
	L->led->files[L->led->nfiles++] = xstrdup(has_csv ? csv : xml);
	*file = L->led->files[L->led->nfiles - 1];
	if (strcmp(name, "submissions") == 0) {
		load_submissions(L, *file, has_csv, q);
		goto cleanup;
	}
	rc = read_table(L, *file, has_csv, out);
cleanup:
	free(csv);
	free(xml);
	return rc;
}

int
ledger_quarters(const char *data_dir, tb_quarter **out, size_t *n)
{
	DIR *d = opendir(data_dir);
	struct dirent *e;
	tb_quarter *v = NULL;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		tb_quarter q;
		char canon[16];
		if (!tb_quarter_parse(e->d_name, &q))
			continue;
		tb_quarter_format(q, canon, sizeof canon);
		if (strcmp(canon, e->d_name) != 0)
			continue;
		xgrow(&v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = q;
	}
	closedir(d);
	/* insertion sort: a few dozen quarters at most */
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			tb_quarter x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	*out = v;
	return 0;
}

static const char *const ledger_names[] = { "submissions", "adoptions", "directives" };

int
ledger_load(const char *data_dir, tb_quarter upto, const registry_t *reg,
    const rules_t *rules, const ledger_opts_t *opts, ledger_t *out,
    diag_list_t *dl)
{
	struct loader L;
	tb_quarter *qs = NULL;
	size_t nq = 0, errors0 = dl->errors;
	struct pending { table_t t; const char *file; tb_quarter q; size_t k; } *pend = NULL;
	size_t npend = 0;
	char qname[16];
	int found = 0;

	memset(out, 0, sizeof *out);
	memset(&L, 0, sizeof L);
	L.data_dir = data_dir;
	L.upto = upto;
	L.reg = reg;
	L.rules = rules;
	L.opts = opts;
	L.led = out;
	L.dl = dl;
	build_unit_map(&L);

	tb_quarter_format(upto, qname, sizeof qname);
	if (ledger_quarters(data_dir, &qs, &nq) != 0) {
		diag_error(dl, data_dir, 0, "cannot read the data folder: %s",
		    strerror(errno));
		goto cleanup;
	}
	pend = xcalloc(nq * ARRAY_LEN(ledger_names) + 1, sizeof *pend);
	L.pooled.borrow = true;         /* keys: the pooled strings */
	/* every quarter's submissions first (they become items as they are
	 * read): adoptions may name items of any earlier file */
	for (size_t i = 0; i < nq && qs[i] <= upto; i++) {
		char qs_name[16];
		char *qdir;

		tb_quarter_format(qs[i], qs_name, sizeof qs_name);
		qdir = xasprintf("%s/%s", data_dir, qs_name);
		if (qs[i] == upto)
			found = 1;
		for (size_t k = 0; k < ARRAY_LEN(ledger_names); k++) {
			int missing;
			const char *file;
			table_t t;
			int rc = read_ledger_file(&L, qdir, ledger_names[k],
			    qs[i], &t, &file, &missing);
			if (missing && k == 0)
				diag_error(dl, qdir, 0, "no submissions ledger "
				    "(submissions.csv or submissions.xml)");
			if (rc == 0)
				pend[npend++] = (struct pending){ t, file, qs[i], k };
		}
		free(qdir);
	}
	if (!found) {
		char *qdir = xasprintf("%s/%s", data_dir, qname);
		diag_error(dl, qdir, 0, "no such quarter folder");
		free(qdir);
	}
	/* then adoptions of all quarters, then directives */
	for (size_t k = 1; k < ARRAY_LEN(ledger_names); k++) {
		for (size_t i = 0; i < npend; i++) {
			table_t *t = &pend[i].t;

			if (pend[i].k != k)
				continue;
			if (k == 1)
				load_adoptions(&L, t, pend[i].q, pend[i].file);
			else
				load_directives(&L, t, pend[i].q, pend[i].file);
			table_free(t);      /* the ledger has copied what it keeps */
		}
	}
	/* exactly the room used: a million items leave no slack */
	if (out->nitems > 0 && out->capitems > out->nitems) {
		out->items = xrealloc(out->items, out->nitems * sizeof *out->items);
		out->capitems = out->nitems;
	}
	check_directive_links(&L);
cleanup:
	for (size_t i = 0; i < npend; i++)
		table_free(&pend[i].t);
	free(pend);
	free(qs);
	strmap_free(&L.units);
	strmap_free(&L.seen);
	free(L.ids);
	strmap_free(&L.dirs);
	strmap_free(&L.pooled);
	return dl->errors > errors0 ? -1 : 0;
}

void
ledger_free(ledger_t *l)
{
	for (size_t i = 0; i < l->ndirectives; i++)
		free(l->directives[i].units);
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->items);
	free(l->adoptions);
	free(l->directives);
	free(l->files);
	arena_free(&l->strings);
	memset(l, 0, sizeof *l);
}
