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
 *
 * This file holds the loader's common part (the column tables, the
 * lookups, reading one file of any form) and ledger_load() with the
 * folders it reads; hidden characters and times are checked in
 * ledger_fields.c, the submissions read in ledger_sub.c, the adoptions
 * and directives in ledger_adopt.c (ledger_int.h between them).
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

/* The extensions of the forms (enum form, ledger_int.h). */
static const char *const form_ext[FORM_N] = { "csv", "xml", "xlsx" };

const frame_col_t lg_sub_cols[S_NCOLS] = {
	[S_ID]        = { "编号", "id", true,
	    "本条信息的编号，在整个数据文件夹中唯一，如 2017Q1-0001" },
	[S_UNIT]      = { "报送单位", "unit", true,
	    "报送单位：名册中的单位名称、简称或代码，可从下拉列表选择" },
	[S_TITLE]     = { "标题", "title", true,
	    "信息标题", true },
	[S_TYPE]      = { "类别", "type", true,
	    "信息类别，从下拉列表选择" },
	[S_CHARS]     = { "字数", "chars", false,
	    "正文字数（整数）；不填表示未统计，不判断字数" },
	[S_SUBMITTED] = { "报送时间", "submitted", true,
	    "报送的日期和时间，如 2017-01-05 09:30" },
	[S_EVENT]     = { "事发时间", "event", false,
	    "重要紧急信息的事发日期和时间；只填日期的，按当日任一时刻计，不认定无法证明的迟报" },
	[S_CHANNEL]   = { "报送方式", "channel", true,
	    "报送到的邮箱（综合科、督办科、维稳办）或其他方式，多个用、分隔" },
	[S_APPROVER]  = { "签发人", "approver", true,
	    "签发的负责人姓名；未经签发的留空或填“无”（不计入报送数量）" },
	[S_AUTHORS]   = { "作者", "authors", true,
	    "作者姓名，多人用、分隔" },
	[S_DIRECTIVE] = { "督办编号", "directive", false,
	    "本条信息落实的督办事项编号；不是落实督办事项的留空" },
};

const frame_col_t lg_adopt_cols[A_NCOLS] = {
	[A_ITEM]    = { "编号", "item", true,
	    "被采用信息的编号（报送台账中的编号）" },
	[A_CARRIER] = { "采用载体", "carrier", true,
	    "采用或批示的载体，从下拉列表选择" },
	[A_DATE]    = { "采用时间", "date", true,
	    "采用或批示的日期" },
	[A_NOTE]    = { "备注", "note", true,
	    "期数、批示领导等；可留空", true },
};

const frame_col_t lg_dir_cols[D_NCOLS] = {
	[D_ID]     = { "督办编号", "id", true,
	    "督办事项编号，如 DB-2017-01" },
	[D_TITLE]  = { "事项", "title", true,
	    "督办事项名称", true },
	[D_ISSUED] = { "下达时间", "issued", true,
	    "下达的日期和时间" },
	[D_UNITS]  = { "责任单位", "units", true,
	    "责任单位名称，多个用、分隔" },
	[D_LONG]   = { "长期", "long_running", false,
	    "需长期持续推进、定期报送阶段性进展的填“是”，否则留空" },
};

/* ---- the loader's state --------------------------------------------------- */

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
bool
lg_find_item(const struct loader *L, const char *id, size_t *item)
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
bool
lg_add_item_id(struct loader *L, size_t i, size_t *prev)
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
char *
lg_pooled(struct loader *L, const char *s)
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

/* Field k of the vocabulary, "" when its column is absent. */
const char *
lg_field(row_f f, const long *idx, int k)
{
	return idx[k] >= 0 ? f[idx[k]] : "";
}

/* The same with a placeholder (无, /, —) read as empty: for the optional
 * cells, where "none" and empty mean the same. */
const char *
lg_field_or_none(row_f f, const long *idx, int k)
{
	const char *s = lg_field(f, idx, k);

	return cell_is_placeholder(s) ? "" : s;
}

struct cellname
lg_cell_of(const table_t *t, const long *idx, int k, long line)
{
	struct cellname c;

	table_cell(t, idx[k], line, c.s, sizeof c.s);
	return c;
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

size_t
lg_find_unit(struct loader *L, const char *name)
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
size_t
lg_cached(struct loader *L, char what, const char *field)
{
	char small[256], *key = small;
	size_t n = strlen(field), v;

	if (n + 2 > sizeof small)
		key = xmalloc(n + 2);
	key[0] = what;
	memcpy(key + 1, field, n + 1);
	if (!strmap_get(&L->seen, key, &v)) {
		if (what == 'u')
			v = lg_find_unit(L, field);
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

/*
 * "A, B, C": the three registry units nearest to name (SPEC 3.4): most
 * characters in one run shared with the unit's name or an alias first (武汉
 * 市江汉区司法局 is 江汉区司法局 before 武汉市司法局), then fewest edits, then
 * registry order.  Each unit is shown once, by its canonical name.
 */
char *
lg_nearest_units(const registry_t *reg, const char *name)
{
	enum { N = 3 };
	size_t best[N], run[N], dist[N], nb = 0;
	buf_t b;

	for (size_t u = 0; u < reg->nunits; u++) {
		const unit_t *un = &reg->units[u];
		size_t r = 0, d = SIZE_MAX, i;

		for (size_t a = 0; a <= un->naliases; a++) {
			const char *n = a == 0 ? un->name : un->aliases[a - 1];
			size_t rr = utf8_common_run(name, n);
			size_t dd = utf8_edit_distance(name, n);

			if (rr > r || (rr == r && dd < d)) {
				r = rr;
				d = dd;
			}
		}
		for (i = nb; i > 0; i--)        /* insertion: stable, so ties
		                                   keep registry order */
			if (run[i - 1] > r || (run[i - 1] == r && dist[i - 1] <= d))
				break;
		if (i >= N)
			continue;
		for (size_t j = (nb < N ? nb : N - 1); j > i; j--) {
			best[j] = best[j - 1];
			run[j] = run[j - 1];
			dist[j] = dist[j - 1];
		}
		best[i] = u;
		run[i] = r;
		dist[i] = d;
		if (nb < N)
			nb++;
	}
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < nb; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", reg->units[best[i]].name);
	return buf_steal(&b);
}

char *
lg_kind_names(const rules_t *r)
{
	buf_t b;

	buf_init(&b);
	for (size_t k = 0; k < r->nkinds; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", r->kinds[k].name);
	return buf_steal(&b);
}

/*
 * Reads a ledger file, CSV or XML (checked against ledger.xsd), through
 * the frame with vocabulary cols: with a sink the rows go there as they
 * are read; without one they are kept in *t and idx[] gets the mapping.
 * Returns 0, or -1 after reporting (then no row was, or all rows should
 * be taken as, read: the file is refused).
 */
int
lg_read_ledger(struct loader *L, const char *file, enum form form,
    const frame_col_t *cols, size_t ncols, const frame_sink_t *sink,
    table_t *t, long *idx)
{
	int rc;

	memset(t, 0, sizeof *t);
	if (form != FORM_XML) {
		frame_opts_t fo = { .cols = cols, .ncols = ncols, .sink = sink,
		    .cells = form == FORM_XLSX };
		frame_t *fr = frame_new(file, &fo, t, L->dl);
		rec_sink_t rs = frame_records(fr);

		rc = form == FORM_CSV ?
		    csv_stream_records(file, L->opts->encoding, &rs, L->dl) :
		    xlsx_stream_records(file, &rs, L->dl);
		if (rc == 0)            /* else the reader said what is wrong */
			rc = frame_finish(fr);
		if (rc == 0 && idx != NULL)
			memcpy(idx, frame_idx(fr), ncols * sizeof *idx);
		frame_free(fr);
	} else {
		char *xsd = xasprintf("%s/ledger.xsd", L->opts->schema_dir);

		rc = xml_read_ledger(file, xsd, t, L->dl);
		free(xsd);
		if (rc == 0) {
			long *map = idx != NULL ? idx : xcalloc(ncols, sizeof *map);

			rc = frame_map(file, t->header_line,
			    (const char *const *)t->cols, t->ncols, cols, ncols,
			    map, L->dl);
			if (rc == 0 && sink != NULL &&
			    sink->header(t, map, sink->arg) == 0)
				for (size_t i = 0; i < t->nrows; i++)
					sink->row(t, (row_f)t->rows[i].f,
					    t->rows[i].line, sink->arg);
			if (map != idx)
				free(map);
		}
	}
	return rc;
}

/* Is there anything at path?  lstat, so that a dangling or looping symbolic
 * link counts as present and its reader says why it cannot be read, rather
 * than the ledger being reported missing. */
static int
is_file(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static const char *const ledger_names[LG_N] = { "submissions", "adoptions",
    "directives" };
static const frame_col_t *const ledger_cols[LG_N] = { lg_sub_cols, lg_adopt_cols,
    lg_dir_cols };
static const size_t ledger_ncols[LG_N] = { S_NCOLS, A_NCOLS, D_NCOLS };

/* An adoptions or directives ledger read whole, waiting until every
 * quarter's submissions are in. */
struct pending {
	table_t     t;
	long        idx[S_NCOLS];       /* the widest vocabulary */
	const char *file;
	tb_quarter  q;
	int         k;                  /* LG_ADOPT or LG_DIR */
};

/*
 * The ledger file DATA/Q/NAME.csv, .xml or .xlsx (*form: which one; caller
 * frees), or NULL when there is none (*present false) or more than one
 * (reported).
 */
static char *
find_ledger_file(struct loader *L, const char *qdir, int k, enum form *form,
    bool *present)
{
	char *path[FORM_N], *found = NULL;
	size_t n = 0;

	for (int f = 0; f < FORM_N; f++) {
		path[f] = xasprintf("%s/%s.%s", qdir, ledger_names[k], form_ext[f]);
		if (is_file(path[f])) {
			n++;
			*form = (enum form)f;
		}
	}
	*present = n > 0;
	if (n > 1) {
		buf_t b;
		size_t i = 0;
		const char *last = NULL;

		buf_init(&b);
		for (int f = 0; f < FORM_N; f++) {
			if (!is_file(path[f]))
				continue;
			buf_printf(&b, "%s%s.%s", i == 0 ? "" : i + 1 < n ?
			    ", " : " and ", ledger_names[k], form_ext[f]);
			last = path[f];
			i++;
		}
		diag_error(L->dl, last, 0, "%s%s %s present; keep one", n == 2 ?
		    "both " : "", b.data, n == 2 ? "are" : "are all");
		buf_free(&b);
	}
	for (int f = 0; f < FORM_N; f++) {
		if (n == 1 && f == (int)*form)
			found = path[f];
		else
			free(path[f]);
	}
	return found;
}

/* Keeps a ledger file's name for the life of the ledger. */
static const char *
keep_name(struct loader *L, char *file)
{
	L->led->files = xrealloc(L->led->files,
	    (L->led->nfiles + 1) * sizeof *L->led->files);
	L->led->files[L->led->nfiles++] = file;
	return file;
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

int
ledger_load(const char *data_dir, tb_quarter upto, const registry_t *reg,
    const rules_t *rules, const ledger_opts_t *opts, ledger_t *out,
    diag_list_t *dl)
{
	struct loader L;
	tb_quarter *qs = NULL;
	size_t nq = 0, errors0 = dl->errors;
	struct pending *pend = NULL;
	size_t npend = 0;
	char qname[16];
	const char *dirs_before = NULL;
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
	pend = xcalloc(nq * LG_N + 1, sizeof *pend);
	L.pooled.borrow = true;         /* keys: the pooled strings */
	/* every quarter's submissions first (they become items as they are
	 * read): adoptions may name items of any earlier file */
	for (size_t i = 0; i < nq && qs[i] <= upto; i++) {
		char qs_name[16];
		char *qdir, *file[LG_N];
		enum form form[LG_N];
		bool present[LG_N];

		tb_quarter_format(qs[i], qs_name, sizeof qs_name);
		qdir = xasprintf("%s/%s", data_dir, qs_name);
		if (qs[i] == upto)
			found = 1;
		for (int k = 0; k < LG_N; k++)
			file[k] = find_ledger_file(&L, qdir, k, &form[k],
			    &present[k]);
		if (file[LG_SUB] == NULL)
			L.items_short |= present[LG_SUB];
		if (file[LG_DIR] == NULL)
			L.dirs_short |= present[LG_DIR];
		if (file[LG_SUB] != NULL)
			lg_load_submissions(&L, keep_name(&L, file[LG_SUB]),
			    form[LG_SUB], qs[i], file[LG_DIR], dirs_before);
		else if (!present[LG_SUB])
			diag_error(dl, qdir, 0, "no submissions ledger "
			    "(submissions.csv or submissions.xml)");
		for (int k = LG_ADOPT; k < LG_N; k++) {
			struct pending *p = &pend[npend];

			if (file[k] == NULL)
				continue;
			p->file = keep_name(&L, file[k]);
			p->q = qs[i];
			p->k = k;
			if (lg_read_ledger(&L, p->file, form[k], ledger_cols[k],
			    ledger_ncols[k], NULL, &p->t, p->idx) == 0) {
				npend++;
			} else {
				table_free(&p->t);
				L.dirs_short |= k == LG_DIR;
			}
			if (k == LG_DIR)
				dirs_before = p->file;
		}
		free(qdir);
	}
	if (!found) {
		char *qdir = xasprintf("%s/%s", data_dir, qname);
		diag_error(dl, qdir, 0, "no such quarter folder");
		free(qdir);
	}
	/* then adoptions of all quarters, then directives */
	for (int k = LG_ADOPT; k < LG_N; k++) {
		for (size_t i = 0; i < npend; i++) {
			struct pending *p = &pend[i];

			if (p->k != k)
				continue;
			if (k == LG_ADOPT)
				lg_load_adoptions(&L, &p->t, p->idx, p->q, p->file);
			else
				lg_load_directives(&L, &p->t, p->idx, p->q, p->file);
			table_free(&p->t);  /* the ledger has copied what it keeps */
		}
	}
	/* exactly the room used: a million items leave no slack */
	if (out->nitems > 0 && out->capitems > out->nitems) {
		out->items = xrealloc(out->items, out->nitems * sizeof *out->items);
		out->capitems = out->nitems;
	}
	lg_check_directive_links(&L);
cleanup:
	for (size_t i = 0; i < npend; i++)
		table_free(&pend[i].t);
	free(pend);
	free(qs);
	strmap_free(&L.units);
	strmap_free(&L.seen);
	strvec_free(&L.chan_unknown);
	free(L.authors);                /* the strings are the ledger's */
	free(L.ids);
	strmap_free(&L.dirs);
	strmap_free(&L.pooled);
	diag_flush(dl);                 /* the tallies, at the ledgers' end */
	return dl->errors > errors0 ? -1 : 0;
}

const char *
ledger_name(enum ledger_kind k)
{
	return ledger_names[k];
}

const frame_col_t *
ledger_columns(enum ledger_kind k, size_t *n)
{
	*n = ledger_ncols[k];
	return ledger_cols[k];
}

bool
ledger_column_is_time(enum ledger_kind k, size_t c)
{
	return (k == LG_SUB && (c == S_SUBMITTED || c == S_EVENT)) ||
	    (k == LG_ADOPT && c == A_DATE) || (k == LG_DIR && c == D_ISSUED);
}

/* When a column that is not always required is. */
static const char *
when_required(int k, int c)
{
	if (k == LG_SUB && c == S_EVENT)
		return "required when the file has an urgent (重要紧急) item";
	if (k == LG_SUB && c == S_DIRECTIVE)
		return "required when the quarter has a directives ledger";
	return NULL;
}

char *
ledger_help(void)
{
	buf_t b;

	buf_init(&b);
	buf_puts(&b, "Ledgers: DATA/YYYYQn/NAME.csv, NAME.xlsx (its first sheet) or "
	    "NAME.xml, one of them;\nthe header is the first row naming the "
	    "required columns (*), by Chinese name\nor English alias, in any "
	    "order; a bracketed note in a header cell is ignored\n"
	    "(签发人（审核）):\n");
	for (int k = 0; k < LG_N; k++) {
		buf_printf(&b, "  %s%s\n", ledger_names[k],
		    k == LG_SUB ? "" : " (optional)");
		for (size_t c = 0; c < ledger_ncols[k]; c++) {
			const frame_col_t *col = &ledger_cols[k][c];
			const char *when = when_required(k, (int)c);

			buf_printf(&b, "    %s%s / %s%s%s%s\n", col->cn,
			    col->required ? "*" : "", col->en,
			    when ? " (" : "", when ? when : "", when ? ")" : "");
		}
	}
	buf_printf(&b, "Times: %s.\n  A 事发时间 with a day only means some "
	    "time that day: an item is late only\n  when the ledger proves "
	    "it.\n", tb_time_forms);
	buf_printf(&b, "None: %s in 签发人 (not signed),\n  事发时间, 字数, "
	    "督办编号, 备注 and 长期.\n", cell_placeholders);
	buf_puts(&b, "字数: 1200, 1,200, 1200字, 约1200; empty: not stated.  "
	    "作者: names separated by\n  、，,;；/ or spaces.  报送方式: "
	    "mailboxes and channels of rules.xml, in words\n  (综合科邮箱, "
	    "邮箱：sifatingzhk@163.com).\n");
	return buf_steal(&b);
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
