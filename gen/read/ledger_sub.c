/*
 * ledger_sub.c - the submissions ledger (SPEC 3.3, 3.4): its header
 * checked, each row made an item as it is parsed (channels, authors, the
 * 字数, times, the directive it answers) and then dropped, so a million
 * rows never sit in memory; warnings that repeat on many rows are
 * tallied.  Part of the ledger loader (ledger_int.h).
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
			L->authors[L->nauthors++] = lg_pooled(L, names);
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
	it.title = lg_strip_hidden(L, t, lg_sub_cols, S_TITLE, line, f[idx[S_TITLE]],
	    "items");
	it.channel = lg_pooled(L, f[idx[S_CHANNEL]]);
	it.directive = lg_pooled(L, lg_field_or_none(f, idx, S_DIRECTIVE));
	it.event = TB_TIME_NONE;
	it.chars = -1;
	if (lg_hidden_in_row(L, t, idx, lg_sub_cols, S_NCOLS, 1ul << S_ID |
	    1ul << S_APPROVER, f, line)) {
		/* kept so that later rows see its id; nothing else is read */
		it.unit = NO_UNIT;
		it.directive = (char *)"";
		it.approver = it.authors = (char *)"";
		xgrow(&L->led->items, &L->led->capitems, L->led->nitems + 1,
		    sizeof *L->led->items);
		L->led->items[L->led->nitems] = it;
		if (it.id[0] != '\0')
			(void)lg_add_item_id(L, L->led->nitems, &prev);
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
		    lg_cell_of(t, idx, S_ID, line).s);
		bad = 1;
	} else if (!lg_add_item_id(L, L->led->nitems, &prev)) {
		const item_t *p = &L->led->items[prev];
		diag_error(L->dl, t->file, line, "%sduplicate id \"%s\" (first "
		    "at %s:%ld)", lg_cell_of(t, idx, S_ID, line).s, it.id, p->file,
		    p->line);
		bad = 1;
	}

	s = f[idx[S_UNIT]];
	it.unit = lg_cached(L, 'u', s);
	if (it.unit == NO_UNIT && now &&
	    lg_hidden_instead(L, t, idx, lg_sub_cols, S_UNIT, line, s)) {
		bad = 1;
	} else if (it.unit == NO_UNIT && now) {
		char *near = lg_nearest_units(L->reg, s);
		diag_error(L->dl, t->file, line, "%sunknown unit \"%s\"; "
		    "nearest: %s", lg_cell_of(t, idx, S_UNIT, line).s, s, near);
		free(near);
		bad = 1;
	}

	if (it.title[0] == '\0') {
		diag_error(L->dl, t->file, line, "%sempty 标题 (title)",
		    lg_cell_of(t, idx, S_TITLE, line).s);
		bad = 1;
	}

	s = f[idx[S_TYPE]];
	kind = (long)lg_cached(L, 'k', s);
	if (kind < 0 && lg_hidden_instead(L, t, idx, lg_sub_cols, S_TYPE, line, s)) {
		bad = 1;
	} else if (kind < 0) {
		char *names = lg_kind_names(L->rules);
		diag_error(L->dl, t->file, line, "%sunknown kind \"%s\" in 类别 "
		    "(expected one of %s)", lg_cell_of(t, idx, S_TYPE, line).s, s,
		    names);
		free(names);
		bad = 1;
	} else {
		it.kind = (size_t)kind;
	}

	s = lg_field(f, idx, S_CHARS);
	switch (cell_chars(s, &it.chars)) {
	case CELL_OK:
		break;
	case CELL_EMPTY:                /* not stated: length not judged */
		it.chars = -1;
		break;
	case CELL_TOO_LARGE:
		diag_error(L->dl, t->file, line, "%s字数 (chars) \"%s\" is too "
		    "large", lg_cell_of(t, idx, S_CHARS, line).s, s);
		bad = 1;
		break;
	case CELL_BAD:
		if (!lg_hidden_instead(L, t, idx, lg_sub_cols, S_CHARS, line, s))
			diag_error(L->dl, t->file, line, "%s字数 (chars) \"%s\" is "
			    "not a number of characters (write 1200, 1,200 or "
			    "1200字)", lg_cell_of(t, idx, S_CHARS, line).s, s);
		bad = 1;
		break;
	}

	if (lg_parse_time(L, t, idx, line, lg_sub_cols, S_SUBMITTED,
	    f[idx[S_SUBMITTED]], &it.submitted, &ok) != 0 ||
	    lg_check_in_quarter(L, t, idx, line, lg_sub_cols, S_SUBMITTED,
	    it.submitted, q) != 0) {
		bad = 1;
		it.directive = (char *)"";      /* no link checks on a time
		                                   the row does not have */
	} else {
		it.submitted_day = ok;
	}

	s = lg_field_or_none(f, idx, S_EVENT);
	if (s[0] != '\0') {
		if (lg_parse_time(L, t, idx, line, lg_sub_cols, S_EVENT, s, &it.event,
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
				    lg_cell_of(t, idx, S_EVENT, line).s, s);
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
	it.approver = lg_pooled(L, s);

	/* 报送方式: the words the rules do not know are named */
	s = f[idx[S_CHANNEL]];
	ok = read_channel(L, s, &unknown);
	if (unknown != NULL && lg_hidden_instead(L, t, idx, lg_sub_cols, S_CHANNEL,
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
		if (!lg_hidden_instead(L, t, idx, lg_sub_cols, S_AUTHORS, line, s))
			diag_error(L->dl, t->file, line, "%s作者 (authors) \"%s\": "
			    "cannot tell where one name ends and the next begins; "
			    "separate the names with 、", lg_cell_of(t, idx, S_AUTHORS,
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
 * Reads the submissions ledger of quarter folder q, `file` (CSV or XML; the
 * ledger's own copy of the name, which its items point to).  A CSV file is
 * streamed: its rows become items as they are parsed and are not kept (a
 * million-item ledger is mostly titles it would hold twice).  A file
 * refused whole leaves L->items_short set: its items are missing, so an
 * adoption naming one is no error of its own.
 */
void
lg_load_submissions(struct loader *L, const char *file, enum form form,
    tb_quarter q, const char *dirs_here, const char *dirs_before)
{
	struct subfile sf = { .L = L, .q = q, .file = file,
	    .dirs_here = dirs_here, .dirs_before = dirs_before };
	frame_sink_t sink = { sub_header, sub_row, &sf };
	table_t t;

	if (lg_read_ledger(L, file, form, lg_sub_cols, S_NCOLS, &sink, &t, NULL) != 0 ||
	    sf.refused)
		L->items_short = true;
	else
		sub_end(&sf);
	table_free(&t);
}
