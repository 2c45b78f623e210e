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
#include "cells.h"
#include "config.h"
#include "csvread.h"
#include "followup.h"
#include "frame.h"
#include "score.h"
#include "table.h"
#include "text.h"
#include "util.h"
#include "xlsxread.h"
#include "xmlread.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- column vocabularies ------------------------------------------------ */

/* Required as SPEC 3.4 says; 事发时间 and 督办编号 are required in some
 * files only (sub_header, sub_end). */
enum { S_ID, S_UNIT, S_TITLE, S_TYPE, S_CHARS, S_SUBMITTED, S_EVENT,
       S_CHANNEL, S_APPROVER, S_AUTHORS, S_DIRECTIVE, S_NCOLS };
static const frame_col_t sub_cols[S_NCOLS] = {
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

enum { A_ITEM, A_CARRIER, A_DATE, A_NOTE, A_NCOLS };
static const frame_col_t adopt_cols[A_NCOLS] = {
	[A_ITEM]    = { "编号", "item", true,
	    "被采用信息的编号（报送台账中的编号）" },
	[A_CARRIER] = { "采用载体", "carrier", true,
	    "采用或批示的载体，从下拉列表选择" },
	[A_DATE]    = { "采用时间", "date", true,
	    "采用或批示的日期" },
	[A_NOTE]    = { "备注", "note", true,
	    "期数、批示领导等；可留空", true },
};

enum { D_ID, D_TITLE, D_ISSUED, D_UNITS, D_LONG, D_NCOLS };
static const frame_col_t dir_cols[D_NCOLS] = {
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

/* The forms a ledger file comes in (SPEC 3.1, 3.5), by extension. */
enum form { FORM_CSV, FORM_XML, FORM_XLSX, FORM_N };
static const char *const form_ext[FORM_N] = { "csv", "xml", "xlsx" };

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
	strvec_t            chan_unknown; /* see read_channel() */
	char              **authors;      /* see read_authors(): pooled */
	size_t              nauthors, capauthors;
	bool                items_short;  /* a submissions file was refused */
	bool                dirs_short;   /* a directives file was refused */
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

/* A row's fields: f[c] for column c of the table. */
typedef const char *const *row_f;

/* Field k of the vocabulary, "" when its column is absent. */
static const char *
field(row_f f, const long *idx, int k)
{
	return idx[k] >= 0 ? f[idx[k]] : "";
}

/* The same with a placeholder (无, /, —) read as empty: for the optional
 * cells, where "none" and empty mean the same. */
static const char *
field_or_none(row_f f, const long *idx, int k)
{
	const char *s = field(f, idx, k);

	return cell_is_placeholder(s) ? "" : s;
}

/* "G17: " naming the cell of column k in a workbook, "" otherwise. */
struct cellname { char s[24]; };

static struct cellname
cell_of(const table_t *t, const long *idx, int k, long line)
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

/*
 * "A, B, C": the three registry units nearest to name (SPEC 3.4): most
 * characters in one run shared with the unit's name or an alias first (武汉
 * 市江汉区司法局 is 江汉区司法局 before 武汉市司法局), then fewest edits, then
 * registry order.  Each unit is shown once, by its canonical name.
 */
static char *
nearest_units(const registry_t *reg, const char *name)
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

static char *
kind_names(const rules_t *r)
{
	buf_t b;

	buf_init(&b);
	for (size_t k = 0; k < r->nkinds; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", r->kinds[k].name);
	return buf_steal(&b);
}

/*
 * Characters that can hide or reorder text (text.h: bidi overrides,
 * zero-width, control characters).  In a name, an id, a number or a time
 * (a unit shown reversed, two ids that look alike, 1\u200B200 read as
 * anything at all) each is an error, and the row is not read further.  In
 * free text (a title, a note) they are removed from the copy the ledger
 * keeps (strip_hidden) with one tallied warning per file and column: the
 * notice never carries them.
 */

/* The error for field k holding one (s; cp the first). */
static void
hidden_error(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, int k, long line, const char *s, uint32_t cp)
{
	diag_error(L->dl, t->file, line, "%s%s (%s) \"%s\" holds U+%04X, %s, "
	    "which hides or reorders text: remove it", cell_of(t, idx, k,
	    line).s, cols[k].cn, cols[k].en, s, (unsigned)cp,
	    text_hidden_name(cp));
}

/*
 * Where a name, number or time could not be read (an unknown unit, a time
 * of no known form): true, after the error, when that is because it holds
 * such a character - the message the clerk can act on.  A field that is
 * read never holds one (the lookups and parsers take none), so the rows
 * that read cost nothing more.
 */
static bool
hidden_instead(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, int k, long line, const char *s)
{
	uint32_t cp;

	if (text_hidden_at(s, &cp) == (size_t)-1)
		return false;
	hidden_error(L, t, idx, cols, k, line, s, cp);
	return true;
}

/*
 * Checks the fields of row f that are kept as they are written (ids,
 * names no list checks: `mask` has a bit for each column to check; the
 * others are read by a lookup or a parser, which refuses them, see
 * hidden_instead).  Free-text columns are not checked here
 * (strip_hidden).  Returns true after an error.
 */
static bool
hidden_in_row(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, size_t ncols, unsigned long mask, row_f f,
    long line)
{
	bool bad = false;

	for (size_t k = 0; k < ncols; k++) {
		uint32_t cp;

		if (!(mask & (1ul << k)) || cols[k].free_text || idx[k] < 0 ||
		    text_hidden_at(f[idx[k]], &cp) == (size_t)-1)
			continue;
		hidden_error(L, t, idx, cols, (int)k, line, f[idx[k]], cp);
		bad = true;
	}
	return bad;
}

/* A copy of free-text field k (s) in the ledger's arena, without such
 * characters; one warning, tallied, when it had any. */
static char *
strip_hidden(struct loader *L, const table_t *t, const frame_col_t *cols,
    int k, long line, const char *s, const char *what)
{
	char *c = arena_strdup(&L->led->strings, s);

	if (text_strip_hidden(c, NULL) > 0)
		diag_tally(L->dl, t->file, line, what, "%s (%s) held characters "
		    "that hide or reorder text (direction controls, zero-width or "
		    "control characters): removed", cols[k].cn, cols[k].en);
	return c;
}

/*
 * Parses time field k of a row; reports a bad one with the forms that are
 * accepted.  *date_only (may be NULL): the cell gave a day, no clock time.
 * Returns 0 or -1.
 */
static int
parse_time(struct loader *L, const table_t *t, const long *idx, long line,
    const frame_col_t *cols, int k, const char *s, tb_time *out,
    bool *date_only)
{
	bool day;

	if (tb_time_parse_ex(s, out, &day)) {
		if (date_only != NULL)
			*date_only = day;
		return 0;
	}
	if (hidden_instead(L, t, idx, cols, k, line, s))
		return -1;
	diag_error(L->dl, t->file, line, "%sinvalid time \"%s\" in %s (%s); "
	    "accepted forms: %s", cell_of(t, idx, k, line).s, s, cols[k].cn,
	    cols[k].en, tb_time_forms);
	return -1;
}

static int
check_in_quarter(struct loader *L, const table_t *t, const long *idx,
    long line, const frame_col_t *cols, int k, tb_time when, tb_quarter q)
{
	char qs[16], ts[32];

	if (tb_quarter_of(when) == q)
		return 0;
	tb_quarter_format(q, qs, sizeof qs);
	tb_time_format(when, ts, sizeof ts);
	diag_error(L->dl, t->file, line,
	    "%s%s %s is outside %s, the quarter of this folder",
	    cell_of(t, idx, k, line).s, cols[k].cn, ts, qs);
	return -1;
}

/* ---- submissions ------------------------------------------------------------- */

/*
 * Warnings on an item of the quarter scored that the office should look
 * at, tallied (one line for all the items sharing one): Art 3 lengths, and
 * urgent items the notice will list as late (score.c decides; a lateness
 * the ledger cannot prove is none).
 */
static void
warn_item(struct loader *L, const table_t *t, const item_t *it)
{
	const kind_t *k = &L->rules->kinds[it->kind];
	bool day;
	long late;

	if (it->chars >= 0 && k->max_chars > 0 && it->chars > k->max_chars)
		diag_tally(L->dl, t->file, it->line, "items", "%s longer than "
		    "the %d 字 limit (Art 3)", k->name, k->max_chars);
	if (it->chars >= 0 && k->min_chars > 0 && it->chars < k->min_chars)
		diag_tally(L->dl, t->file, it->line, "items", "%s shorter than "
		    "the %d 字 minimum (Art 3)", k->name, k->min_chars);
	late = score_late_minutes(L->rules, it, &day);
	if (late > 0)
		diag_tally(L->dl, t->file, it->line, "items", "%s reported "
		    "later than %d min after the event (Art 13)%s", k->name,
		    L->rules->urgent_limit_minutes, day ? "; counted from the "
		    "end of a day given without a clock time" : "");
}

/*
 * A 报送方式 as written, read once per spelling (rules_channel_read): bit 0
 * of the cached value says whether a word is an accepted mailbox, the rest
 * is 1 + the index in L->chan_unknown of the words it does not know (0:
 * none).  *unknown: those words joined by "、", or NULL.
 */
static bool
read_channel(struct loader *L, const char *s, const char **unknown)
{
	char small[256], *key = small;
	size_t n = strlen(s), v;

	if (n + 2 > sizeof small)
		key = xmalloc(n + 2);
	key[0] = 'h';
	memcpy(key + 1, s, n + 1);
	if (!strmap_get(&L->seen, key, &v)) {
		strvec_t words = { 0 };
		bool ok = rules_channel_read(L->rules, s, &words);

		v = ok;
		if (words.n > 0) {
			buf_t b;

			buf_init(&b);
			for (size_t i = 0; i < words.n; i++)
				buf_printf(&b, "%s\"%s\"", i ? "、" : "", words.v[i]);
			strvec_push_owned(&L->chan_unknown, buf_steal(&b));
			v |= L->chan_unknown.n << 1;
		}
		strvec_free(&words);
		strmap_put(&L->seen, key, v, NULL);
	}
	if (key != small)
		free(key);
	*unknown = v >> 1 ? L->chan_unknown.v[(v >> 1) - 1] : NULL;
	return v & 1;
}

/*
 * An author list as written, read once per spelling (cell_authors): the
 * pooled names joined by 、, or NULL when it cannot be read.  The cached
 * value is 1 + the index in L->authors, or 0 for unreadable.
 */
static char *
read_authors(struct loader *L, const char *s)
{
	char small[256], *key = small;
	size_t n = strlen(s), v;

	if (n + 2 > sizeof small)
		key = xmalloc(n + 2);
	key[0] = 'a';
	memcpy(key + 1, s, n + 1);
	if (!strmap_get(&L->seen, key, &v)) {
		char *names = NULL;

		v = 0;
		/* a name with a character that hides text is no name */
		if (text_hidden_at(s, NULL) == (size_t)-1 &&
		    cell_authors(s, &names) == CELL_OK) {
			xgrow(&L->authors, &L->capauthors, L->nauthors + 1,
			    sizeof *L->authors);
			L->authors[L->nauthors++] = pooled(L, names);
			v = L->nauthors;
		}
		free(names);
		strmap_put(&L->seen, key, v, NULL);
	}
	if (key != small)
		free(key);
	return v == 0 ? NULL : L->authors[v - 1];
}

/* One submissions ledger being read: the state sub_row() needs. */
struct subfile {
	struct loader *L;
	tb_quarter     q;
	const char    *file;
	long           idx[S_NCOLS];
	long           header_line;
	const char    *dirs_here;   /* this quarter's directives ledger, or NULL */
	const char    *dirs_before; /* an earlier quarter's, or NULL */
	size_t         urgent;      /* urgent items, when there is no 事发时间 */
	long           urgent_line;
	bool           refused;     /* header errors: no row was read */
};

/*
 * The frame's header(): the columns are mapped; the ones required by what
 * the data folder holds are checked (SPEC 3.4).  Without 督办编号 no item
 * could follow up a directive: an error when this quarter has directives
 * (every follow-up would be overdue), a warning when only earlier quarters
 * do (their long-running work may expect reports now).
 */
static int
sub_header(const table_t *t, const long *idx, void *arg)
{
	struct subfile *sf = arg;
	struct loader *L = sf->L;

	memcpy(sf->idx, idx, sizeof sf->idx);
	sf->header_line = t->header_line;
	if (idx[S_DIRECTIVE] >= 0)
		return 0;
	if (sf->dirs_here != NULL) {
		diag_error(L->dl, t->file, t->header_line, "missing column "
		    "督办编号 (directive), needed because this quarter has a "
		    "directives ledger (%s): without it no item would count as "
		    "a follow-up (Art 4)", sf->dirs_here);
		sf->refused = true;
		return -1;
	}
	if (sf->q == L->upto && sf->dirs_before != NULL)
		diag_warning(L->dl, t->file, t->header_line, "no 督办编号 "
		    "(directive) column: no item of this file counts as a "
		    "follow-up of the directives of earlier quarters (%s)",
		    sf->dirs_before);
	return 0;
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
	bool now = q == L->upto, ok = false;
	item_t it;
	int bad = 0;
	long kind;
	const char *s, *unknown;
	size_t prev;

	memset(&it, 0, sizeof it);
	it.file = sf->file;
	it.line = line;
	it.quarter = q;
	it.id = arena_strdup(&L->led->strings, f[idx[S_ID]]);
	it.title = strip_hidden(L, t, sub_cols, S_TITLE, line, f[idx[S_TITLE]],
	    "items");
	it.channel = pooled(L, f[idx[S_CHANNEL]]);
	it.directive = pooled(L, field_or_none(f, idx, S_DIRECTIVE));
	it.event = TB_TIME_NONE;
	it.chars = -1;
	if (hidden_in_row(L, t, idx, sub_cols, S_NCOLS, 1ul << S_ID |
	    1ul << S_APPROVER, f, line)) {
		/* kept so that later rows see its id; nothing else is read */
		it.unit = NO_UNIT;
		it.directive = (char *)"";
		it.approver = it.authors = (char *)"";
		xgrow(&L->led->items, &L->led->capitems, L->led->nitems + 1,
		    sizeof *L->led->items);
		L->led->items[L->led->nitems] = it;
		if (it.id[0] != '\0')
			(void)add_item_id(L, L->led->nitems, &prev);
		L->led->nitems++;
		return;
	}

	/* the item goes in now (even a bad one, so that later rows see its
	 * id); it is filled in below */
	xgrow(&L->led->items, &L->led->capitems, L->led->nitems + 1,
	    sizeof *L->led->items);
	L->led->items[L->led->nitems] = it;
	if (it.id[0] == '\0') {
		diag_error(L->dl, t->file, line, "%sempty 编号 (id)",
		    cell_of(t, idx, S_ID, line).s);
		bad = 1;
	} else if (!add_item_id(L, L->led->nitems, &prev)) {
		const item_t *p = &L->led->items[prev];
		diag_error(L->dl, t->file, line, "%sduplicate id \"%s\" (first "
		    "at %s:%ld)", cell_of(t, idx, S_ID, line).s, it.id, p->file,
		    p->line);
		bad = 1;
	}

	s = f[idx[S_UNIT]];
	it.unit = cached(L, 'u', s);
	if (it.unit == NO_UNIT && now &&
	    hidden_instead(L, t, idx, sub_cols, S_UNIT, line, s)) {
		bad = 1;
	} else if (it.unit == NO_UNIT && now) {
		char *near = nearest_units(L->reg, s);
		diag_error(L->dl, t->file, line, "%sunknown unit \"%s\"; "
		    "nearest: %s", cell_of(t, idx, S_UNIT, line).s, s, near);
		free(near);
		bad = 1;
	}

	if (it.title[0] == '\0') {
		diag_error(L->dl, t->file, line, "%sempty 标题 (title)",
		    cell_of(t, idx, S_TITLE, line).s);
		bad = 1;
	}

	s = f[idx[S_TYPE]];
	kind = (long)cached(L, 'k', s);
	if (kind < 0 && hidden_instead(L, t, idx, sub_cols, S_TYPE, line, s)) {
		bad = 1;
	} else if (kind < 0) {
		char *names = kind_names(L->rules);
		diag_error(L->dl, t->file, line, "%sunknown kind \"%s\" in 类别 "
		    "(expected one of %s)", cell_of(t, idx, S_TYPE, line).s, s,
		    names);
		free(names);
		bad = 1;
	} else {
		it.kind = (size_t)kind;
	}

	s = field(f, idx, S_CHARS);
	switch (cell_chars(s, &it.chars)) {
	case CELL_OK:
		break;
	case CELL_EMPTY:                /* not stated: length not judged */
		it.chars = -1;
		break;
	case CELL_TOO_LARGE:
		diag_error(L->dl, t->file, line, "%s字数 (chars) \"%s\" is too "
		    "large", cell_of(t, idx, S_CHARS, line).s, s);
		bad = 1;
		break;
	case CELL_BAD:
		if (!hidden_instead(L, t, idx, sub_cols, S_CHARS, line, s))
			diag_error(L->dl, t->file, line, "%s字数 (chars) \"%s\" is "
			    "not a number of characters (write 1200, 1,200 or "
			    "1200字)", cell_of(t, idx, S_CHARS, line).s, s);
		bad = 1;
		break;
	}

	if (parse_time(L, t, idx, line, sub_cols, S_SUBMITTED,
	    f[idx[S_SUBMITTED]], &it.submitted, &ok) != 0 ||
	    check_in_quarter(L, t, idx, line, sub_cols, S_SUBMITTED,
	    it.submitted, q) != 0) {
		bad = 1;
		it.directive = (char *)"";      /* no link checks on a time
		                                   the row does not have */
	} else {
		it.submitted_day = ok;
	}

	s = field_or_none(f, idx, S_EVENT);
	if (s[0] != '\0') {
		if (parse_time(L, t, idx, line, sub_cols, S_EVENT, s, &it.event,
		    &ok) != 0) {
			bad = 1;
		} else {
			/* after the submission only when it must be: a day
			 * without a clock time may be any minute of it */
			it.event_day = ok;
			if (!bad && it.event > it.submitted +
			    (it.submitted_day ? 24 * 60 - 1 : 0)) {
				diag_error(L->dl, t->file, line, "%s事发时间 "
				    "(event) \"%s\" is after 报送时间 (submitted)",
				    cell_of(t, idx, S_EVENT, line).s, s);
				bad = 1;
			}
		}
	}
	if (kind >= 0 && L->rules->kinds[kind].urgent && idx[S_EVENT] < 0 &&
	    sf->urgent++ == 0)
		sf->urgent_line = line;

	/* 签发人: a placeholder is no signature (SPEC 3.4) */
	s = f[idx[S_APPROVER]];
	if (cell_is_placeholder(s)) {
		if (now)
			diag_tally(L->dl, t->file, line, "items", "签发人 \"%s\" "
			    "read as not signed: not counted (Art 11)", s);
		s = "";
	}
	it.approver = pooled(L, s);

	/* 报送方式: the words the rules do not know are named */
	s = f[idx[S_CHANNEL]];
	ok = read_channel(L, s, &unknown);
	if (unknown != NULL && hidden_instead(L, t, idx, sub_cols, S_CHANNEL,
	    line, s))
		bad = 1;
	else if (now && unknown != NULL)
		diag_tally(L->dl, t->file, line, "items", "报送方式 \"%s\": "
		    "rules.xml names no mailbox or channel %s%s", s, unknown,
		    ok ? "" : "; not counted (Art 8)");
	else if (now && s[0] == '\0')
		diag_tally(L->dl, t->file, line, "items", "empty 报送方式 "
		    "(channel): not counted (Art 8)");

	/* 作者: padded names are one name; an unclear list is refused */
	s = f[idx[S_AUTHORS]];
	it.authors = read_authors(L, s);
	if (it.authors == NULL) {
		if (!hidden_instead(L, t, idx, sub_cols, S_AUTHORS, line, s))
			diag_error(L->dl, t->file, line, "%s作者 (authors) \"%s\": "
			    "cannot tell where one name ends and the next begins; "
			    "separate the names with 、", cell_of(t, idx, S_AUTHORS,
			    line).s, s);
		bad = 1;
		it.authors = (char *)"";
	}

	if (!bad && now)
		warn_item(L, t, &it);
	L->led->items[L->led->nitems++] = it;
}

/* Once the file is read: an urgent item needs a 事发时间 column. */
static void
sub_end(struct subfile *sf)
{
	struct loader *L = sf->L;

	if (sf->urgent == 0)
		return;
	diag_error(L->dl, sf->file, sf->header_line, "missing column 事发时间 "
	    "(event), needed because the file has %zu urgent item%s (first at "
	    "line %ld): without it their timeliness (Art 13) cannot be judged",
	    sf->urgent, sf->urgent == 1 ? "" : "s", sf->urgent_line);
}

/*
 * Reads a ledger file, CSV or XML (checked against ledger.xsd), through
 * the frame with vocabulary cols: with a sink the rows go there as they
 * are read; without one they are kept in *t and idx[] gets the mapping.
 * Returns 0, or -1 after reporting (then no row was, or all rows should
 * be taken as, read: the file is refused).
 */
static int
read_ledger(struct loader *L, const char *file, enum form form,
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

/*
 * Reads the submissions ledger of quarter folder q, `file` (CSV or XML; the
 * ledger's own copy of the name, which its items point to).  A CSV file is
 * streamed: its rows become items as they are parsed and are not kept (a
 * million-item ledger is mostly titles it would hold twice).  A file
 * refused whole leaves L->items_short set: its items are missing, so an
 * adoption naming one is no error of its own.
 */
static void
load_submissions(struct loader *L, const char *file, enum form form,
    tb_quarter q, const char *dirs_here, const char *dirs_before)
{
	struct subfile sf = { .L = L, .q = q, .file = file,
	    .dirs_here = dirs_here, .dirs_before = dirs_before };
	frame_sink_t sink = { sub_header, sub_row, &sf };
	table_t t;

	if (read_ledger(L, file, form, sub_cols, S_NCOLS, &sink, &t, NULL) != 0 ||
	    sf.refused)
		L->items_short = true;
	else
		sub_end(&sf);
	table_free(&t);
}

/* ---- adoptions ----------------------------------------------------------------- */

/*
 * The adoptions of quarter folder q, read whole into t (idx: the columns).
 * An adoption naming no known item is an error unless a submissions file
 * was refused (the item may be in it: the error would follow from that
 * one).  备注 may be a placeholder: no note.
 */
static void
load_adoptions(struct loader *L, const table_t *t, const long *idx,
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
		if (hidden_in_row(L, t, idx, adopt_cols, A_NCOLS, ~0ul,
		    (row_f)r->f, r->line))
			continue;
		s = field_or_none((row_f)r->f, idx, A_NOTE);
		if (text_hidden_at(s, NULL) != (size_t)-1) {
			a.note = pooled(L, strip_hidden(L, t, adopt_cols, A_NOTE,
			    r->line, s, "adoptions"));
		} else {
			a.note = pooled(L, s);
		}

		s = r->f[idx[A_ITEM]];
		if (!find_item(L, s, &item)) {
			if (!L->items_short)
				diag_error(L->dl, t->file, r->line, "%sunknown item "
				    "\"%s\" (no submission with this 编号)",
				    cell_of(t, idx, A_ITEM, r->line).s, s);
			bad = 1;
		}
		a.item = item;

		s = r->f[idx[A_CARRIER]];
		c = (long)cached(L, 'c', s);
		if (c < 0) {
			diag_error(L->dl, t->file, r->line,
			    "%sunknown carrier \"%s\" in 采用载体",
			    cell_of(t, idx, A_CARRIER, r->line).s, s);
			bad = 1;
		} else if (L->rules->carriers[c].points == NO_POINTS) {
			diag_error(L->dl, t->file, r->line,
			    "%scarrier \"%s\" has no points in the rules (Art 9); "
			    "set its points in rules.xml before using it",
			    cell_of(t, idx, A_CARRIER, r->line).s,
			    L->rules->carriers[c].name);
			bad = 1;
		} else {
			a.carrier = (size_t)c;
		}

		if (parse_time(L, t, idx, r->line, adopt_cols, A_DATE,
		    r->f[idx[A_DATE]], &a.date, NULL) != 0 ||
		    check_in_quarter(L, t, idx, r->line, adopt_cols, A_DATE,
		    a.date, q) != 0) {
			bad = 1;
		} else if (!bad) {
			const item_t *it = &L->led->items[item];
			if (tb_day(a.date) < tb_day(it->submitted)) {
				char ts[32];
				tb_time_format(it->submitted, ts, sizeof ts);
				diag_error(L->dl, t->file, r->line, "%sitem \"%s\" "
				    "adopted on %s, before it was submitted (%s)",
				    cell_of(t, idx, A_DATE, r->line).s, it->id,
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
static void
load_directives(struct loader *L, const table_t *t, const long *idx,
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
		d.title = strip_hidden(L, t, dir_cols, D_TITLE, r->line,
		    r->f[idx[D_TITLE]], "directives");
		if (hidden_in_row(L, t, idx, dir_cols, D_NCOLS, ~0ul, (row_f)r->f,
		    r->line)) {
			/* its id is known, so that the items naming it are not
			 * reported a second time */
			if (d.id[0] != '\0' && !strmap_get(&L->dirs, d.id, &prev))
				strmap_put(&L->dirs, d.id, SIZE_MAX, NULL);
			continue;
		}
		if (d.id[0] == '\0') {
			diag_error(L->dl, t->file, r->line, "%sempty 督办编号 (id)",
			    cell_of(t, idx, D_ID, r->line).s);
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
			    cell_of(t, idx, D_TITLE, r->line).s);
			bad = 1;
		}
		if (parse_time(L, t, idx, r->line, dir_cols, D_ISSUED,
		    r->f[idx[D_ISSUED]], &d.issued, NULL) != 0 ||
		    check_in_quarter(L, t, idx, r->line, dir_cols, D_ISSUED,
		    d.issued, q) != 0)
			bad = 1;
		split_list(r->f[idx[D_UNITS]], &names);
		if (names.n == 0) {
			diag_error(L->dl, t->file, r->line, "%sempty 责任单位 (units)",
			    cell_of(t, idx, D_UNITS, r->line).s);
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
					    "%sunknown unit \"%s\" in 责任单位; "
					    "nearest: %s", cell_of(t, idx, D_UNITS,
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
				    "%s责任单位 names %s twice", cell_of(t, idx,
				    D_UNITS, r->line).s, L->reg->units[u].name);
				bad = 1;
				continue;
			}
			d.units[d.nunits++] = u;
		}
		for (size_t j = 0; j < d.nunits; j++)
			named[d.units[j]] = 0;
		strvec_free(&names);
		s = field_or_none((row_f)r->f, idx, D_LONG);
		d.long_running = in_list(s, long_yes, ARRAY_LEN(long_yes));
		if (!d.long_running && !in_list(s, long_no, ARRAY_LEN(long_no))) {
			diag_error(L->dl, t->file, r->line,
			    "%s长期 (long_running) \"%s\" is neither 是 nor empty",
			    cell_of(t, idx, D_LONG, r->line).s, s);
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

static const char *const ledger_names[LG_N] = { "submissions", "adoptions",
    "directives" };
static const frame_col_t *const ledger_cols[LG_N] = { sub_cols, adopt_cols,
    dir_cols };
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
			load_submissions(&L, keep_name(&L, file[LG_SUB]),
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
			if (read_ledger(&L, p->file, form[k], ledger_cols[k],
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
				load_adoptions(&L, &p->t, p->idx, p->q, p->file);
			else
				load_directives(&L, &p->t, p->idx, p->q, p->file);
			table_free(&p->t);  /* the ledger has copied what it keeps */
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
