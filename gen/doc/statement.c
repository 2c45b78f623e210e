/*
 * statement.c - the score statement each unit's head receives every quarter
 * (Art 14), as a document model (doc.h) rendered by the same PDF backend as
 * the notice.
 *
 * A statement must let a unit check its score by hand, so every figure in
 * it is one of the scoring module's (results_t) and the tables add up to
 * the unit's row of scores.csv: the row itself first (quota, submitted,
 * counted, effective, base, quality, total, rank); then each item of the
 * quarter with its kind's weight, the weight counted toward the quota (0 if
 * excluded) and why it was not counted, summed to `effective`; then each
 * adoption credited this quarter - of this quarter's items or earlier ones -
 * with its carrier's points, the item's running maximum before it
 * (credit_t.before) and the points credited now, summed to `quality`.
 * Remarks under the adoption table explain the cases a reader trips over:
 * an item of an earlier quarter, an item already adopted before, an item
 * that did not count toward the quota but still earns its points.
 *
 * The wording comes from templates/statement.xml, checked once (keys,
 * list lengths, placeholders per key, by phrases.c as for the notice) and
 * reused for all units.  The statement has no 版头 and no 版记: the doc's
 * issuer, doc_number, cc, printer and print_date stay NULL.
 *
 * Follow-up obligations (Art 4) come from followup.h when the caller
 * passes them: the unit's obligations listed for the quarter, each with its
 * deadline, the report that met it and its status.
 */
#define _POSIX_C_SOURCE 200809L
#include "statement.h"
#include "phrases.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* ---- the wording ----------------------------------------------------------- */

struct statement_tpl {
	phrasebook_t *pb;
	char         *signature;
	char         *author;
};

/* Placeholders every phrase may use. */
static const char common_vars[] = "year quarter quarter_cn date_cn unit group";

/* How many they are: the name, value pairs of sb_t.cv. */
enum { NCOMMON = 6 };

enum { NCOLS_SCORE = 8, NCOLS_ITEMS = 6, NCOLS_ADOPT = 7, NCOLS_FOLLOW = 6 };

/* Each key the program uses (phrases.h): <list> or <text>, the item count a
 * list needs (0 = any), and the placeholders it may use besides the common
 * ones. */
static const phrase_spec_t keys[] = {
	{ "quarter_names", true, 4, "" },
	{ "title", false, 0, "" },
	{ "subject", false, 0, "" },
	{ "recipients", false, 0, "head" },
	{ "head_default", false, 0, "" },
	{ "opening", false, 0, "" },
	{ "h_result", false, 0, "" },
	{ "result", false, 0, "category quota submitted counted effective "
	    "quota_state base adoptions quality total units rank_text" },
	{ "ytd", false, 0, "ytd change rank_change" },
	{ "change_up", false, 0, "n" },
	{ "change_down", false, 0, "n" },
	{ "change_same", false, 0, "" },
	{ "change_none", false, 0, "" },
	{ "rank_up", false, 0, "n" },
	{ "rank_down", false, 0, "n" },
	{ "rank_same", false, 0, "" },
	{ "rank_none", false, 0, "" },
	{ "quota_met", false, 0, "" },
	{ "quota_missed", false, 0, "" },
	{ "rank", false, 0, "rank" },
	{ "rank_tied", false, 0, "rank" },
	{ "cols_score", true, NCOLS_SCORE, "" },
	{ "h_items", false, 0, "" },
	{ "items_intro", false, 0, "submitted counted excluded" },
	{ "items_none", false, 0, "" },
	{ "cols_items", true, NCOLS_ITEMS, "" },
	{ "item_counted", false, 0, "" },
	{ "items_max", false, 0, "" },
	{ "items_more", false, 0, "n" },
	{ "adopt_max", false, 0, "" },
	{ "adopt_more", false, 0, "n" },
	{ "follow_max", false, 0, "" },
	{ "follow_more", false, 0, "n" },
	{ "sum_row", false, 0, "" },
	{ "sum_counted", false, 0, "counted" },
	{ "h_adopt", false, 0, "" },
	{ "adopt_intro", false, 0, "adoptions quality" },
	{ "adopt_none", false, 0, "" },
	{ "cols_adopt", true, NCOLS_ADOPT, "" },
	{ "notes_head", false, 0, "" },
	{ "note", false, 0, "n text" },
	{ "note_earlier", false, 0, "id item_year item_quarter_cn" },
	{ "note_before", false, 0, "id points before credited" },
	{ "note_no_gain", false, 0, "id points before" },
	{ "note_excluded", false, 0, "id reason" },
	{ "h_follow", false, 0, "" },
	{ "follow_intro", false, 0, "plan_days progress_days count overdue" },
	{ "follow_none", false, 0, "plan_days progress_days" },
	{ "cols_follow", true, NCOLS_FOLLOW, "" },
	{ "fu_plan", false, 0, "period" },
	{ "fu_progress", false, 0, "period" },
	{ "fu_periodic", false, 0, "period" },
	{ "fu_reported", false, 0, "date id" },
	{ "fu_on_time", false, 0, "" },
	{ "fu_late", false, 0, "" },
	{ "fu_overdue", false, 0, "" },
	{ "fu_pending", false, 0, "" },
	{ "closing", false, 0, "" },
};

void
statement_tpl_free(statement_tpl_t *t)
{
	if (t == NULL)
		return;
	phrasebook_free(t->pb);
	free(t->signature);
	free(t->author);
	free(t);
}

/* The template's <defaults>: the signature and author of every statement. */
static void
template_other(xmlNodePtr n, void *arg)
{
	statement_tpl_t *t = arg;

	if (!phrase_is_element(n, "defaults"))
		return;
	for (xmlNodePtr d = n->children; d != NULL; d = d->next) {
		if (phrase_is_element(d, "signature")) {
			free(t->signature);
			t->signature = phrase_node_text(d);
		} else if (phrase_is_element(d, "author")) {
			free(t->author);
			t->author = phrase_node_text(d);
		}
	}
}

/* The text of phrase key, without placeholders to fill (a cap). */
static char *
cap_text(const phrasebook_t *pb, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(pb, key, NULL, 0, ap);
	va_end(ap);
	return s;
}

statement_tpl_t *
statement_tpl_load(const char *templates_dir, diag_list_t *dl)
{
	static const phrase_section_t sections[] = {
		{ "phrases", keys, ARRAY_LEN(keys) },
	};
	static const phrasebook_def_t def = {
		"statement-template", common_vars, sections, ARRAY_LEN(sections),
		false,
	};
	statement_tpl_t *t = xcalloc(1, sizeof *t);
	char *file = xasprintf("%s/statement.xml", templates_dir);
	char *xsd = xasprintf("%s/schema/statement.xsd", templates_dir);

	t->pb = phrasebook_load(file, xsd, &def, template_other, t, dl);
	/* the caps of the tables are numbers of rows */
	for (size_t i = 0; t->pb != NULL && i < 3; i++) {
		static const char *const caps[] = { "items_max", "adopt_max",
		    "follow_max" };
		char *v = cap_text(t->pb, caps[i], (const char *)NULL), *end;
		long n = strtol(v, &end, 10);

		if (*v == '\0' || *end != '\0' || n < 1 || n > 100000) {
			diag_error(dl, file, 0, "%s \"%s\" is not a number of rows "
			    "(1 to 100000)", caps[i], v);
			phrasebook_free(t->pb);
			t->pb = NULL;
		}
		free(v);
	}
	if (t->pb == NULL) {
		statement_tpl_free(t);
		t = NULL;
	}
	free(xsd);
	free(file);
	return t;
}

/* ---- building one statement ------------------------------------------------- */

typedef struct sb {
	const statement_tpl_t *t;
	const statement_in_t  *in;
	size_t                 unit;
	char                   year[16], quarter[16];
	const char            *quarter_cn, *unit_name, *group_name;
	char                  *date_cn;
	const char            *cv[2 * NCOMMON];  /* the common placeholders */
	doc_t                 *doc;
} sb_t;

/*
 * The phrase `key` with its placeholders filled: the variable arguments are
 * name, value pairs ended by NULL.  Newly allocated ("" for a missing key,
 * which the checks at load time rule out).
 */
static char *
say(const sb_t *b, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(b->t->pb, key, b->cv, NCOMMON, ap);
	va_end(ap);
	return s;
}

/* The items of list `key`, expanded, into sv. */
static void
say_list(const sb_t *b, const char *key, strvec_t *sv)
{
	phrasebook_say_list(b->t->pb, key, b->cv, NCOMMON, sv);
}

static void
add_heading(sb_t *b, const char *key)
{
	char *s = say(b, key, (const char *)NULL);

	doc_add_heading(&b->doc->body, 1, s);
	free(s);
}

static void
add_para_owned(sb_t *b, char *text)
{
	doc_add_para(&b->doc->body, text);
	free(text);
}

/* A table with the column heads of list `cols`. */
static doc_table_t *
table_from(sb_t *b, const char *cols, const enum doc_align *align,
    const unsigned *weight)
{
	strvec_t head = { 0 };
	doc_table_t *tb;

	say_list(b, cols, &head);
	tb = doc_add_table(&b->doc->body, NULL, head.n,
	    (const char *const *)head.v, align, weight);
	strvec_free(&head);
	return tb;
}

/* The name of quarter q (1..4) from quarter_names, "" when out of range. */
static const char *
quarter_name(const statement_tpl_t *t, int q)
{
	const strvec_t *names = phrasebook_list(t->pb, "quarter_names");

	if (names != NULL && q >= 1 && (size_t)q <= names->n)
		return names->v[q - 1];
	return "";
}

/* One of the phrases `key`_up, _down, _same (with {n}: |delta|, in tenths)
 * or _none.  Newly allocated. */
static char *
say_change(const sb_t *b, const char *key, bool known, tenths delta)
{
	char k[24], n[32];

	tenths_format(delta > 0 ? delta : -delta, n, sizeof n);
	snprintf(k, sizeof k, "%s_%s", key, !known ? "none" : delta > 0 ?
	    "up" : delta < 0 ? "down" : "same");
	return say(b, k, "n", n, (const char *)NULL);
}

/* 一、考评得分: the sentence and the unit's row of scores.csv. */
static void
section_result(sb_t *b, size_t nadoptions)
{
	const registry_t *reg = b->in->reg;
	const unit_t *u = &reg->units[b->unit];
	const category_t *cat = &reg->cats[u->category];
	const unit_result_t *r = &b->in->res->units[b->unit];
	static const enum doc_align al[NCOLS_SCORE] = { ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT };
	char quota[16], sub[16], cnt[16], eff[16], base[32], qual[32],
	    tot[32], rank[16], nadopt[24], nunits[24];
	char *state, *rank_text;
	size_t in_group = 0;
	bool tied = false;
	const unit_trend_t *tr = b->in->tr != NULL ?
	    &b->in->tr->units[b->unit] : NULL;
	doc_table_t *tb;

	for (size_t i = 0; i < reg->nunits; i++) {
		if (reg->units[i].group != u->group)
			continue;
		in_group++;
		if (i != b->unit && b->in->res->units[i].rank == r->rank)
			tied = true;
	}
	snprintf(quota, sizeof quota, "%d", cat->quota);
	snprintf(sub, sizeof sub, "%d", r->submitted);
	snprintf(cnt, sizeof cnt, "%d", r->counted);
	snprintf(eff, sizeof eff, "%d", r->effective);
	tenths_format(r->base, base, sizeof base);
	tenths_format(r->quality, qual, sizeof qual);
	tenths_format(r->total, tot, sizeof tot);
	snprintf(rank, sizeof rank, "%d", r->rank);
	snprintf(nadopt, sizeof nadopt, "%zu", nadoptions);
	snprintf(nunits, sizeof nunits, "%zu", in_group);
	state = say(b, r->met_quota ? "quota_met" : "quota_missed",
	    (const char *)NULL);
	rank_text = say(b, tied ? "rank_tied" : "rank", "rank", rank,
	    (const char *)NULL);

	add_heading(b, "h_result");
	add_para_owned(b, say(b, "result", "category", cat->name, "quota",
	    quota, "submitted", sub, "counted", cnt, "effective", eff,
	    "quota_state", state, "base", base, "adoptions", nadopt,
	    "quality", qual, "total", tot, "units", nunits, "rank_text",
	    rank_text, (const char *)NULL));
	if (tr != NULL) {
		char ytd[32];
		char *change = say_change(b, "change", tr->has_prev, tr->change);
		char *rc = say_change(b, "rank", tr->has_rank_change,
		    (tenths)tr->rank_change * 10);

		tenths_format(tr->ytd, ytd, sizeof ytd);
		add_para_owned(b, say(b, "ytd", "ytd", ytd, "change", change,
		    "rank_change", rc, (const char *)NULL));
		free(change);
		free(rc);
	}
	tb = table_from(b, "cols_score", al, NULL);
	{
		const char *row[NCOLS_SCORE] = { quota, sub, cnt, eff, base,
		    qual, tot, rank };

		doc_table_add_row(tb, row);
	}
	free(state);
	free(rank_text);
}

/*
 * A statement stays readable however many items a unit sent (README,
 * "Giant quarters"): a table shows at most the number the template's
 * phrase `key` gives (items_max, adopt_max, follow_max: 1 to 100000),
 * then one row saying how many more there are and in which published file
 * (the sums stay those of every row).  Returns the cap (0: the template's
 * value is no number; the load checks it).
 */
static size_t
rows_cap(const sb_t *b, const char *key)
{
	char *s = say(b, key, (const char *)NULL), *end;
	long v = strtol(s, &end, 10);
	bool ok = *s != '\0' && *end == '\0' && v >= 1 && v <= 100000;

	free(s);
	return ok ? (size_t)v : 0;
}

/* The row for what a table leaves out: phrase `key` with {n} in cell 1. */
static void
more_row(const sb_t *b, doc_table_t *tb, const char *key, size_t more)
{
	const char **row = xcalloc(tb->ncols, sizeof *row);
	char n[24], *line;

	snprintf(n, sizeof n, "%zu", more);
	line = say(b, key, "n", n, (const char *)NULL);
	for (size_t c = 0; c < tb->ncols; c++)
		row[c] = "";
	row[0] = "\xE2\x80\xA6\xE2\x80\xA6";      /* …… */
	row[1] = line;
	doc_table_add_row(tb, row);
	free(line);
	free(row);
}

/* 二、报送信息明细: items[0..n) index res->items (the unit's, ledger order). */
static void
section_items(sb_t *b, const size_t *items, size_t n)
{
	const ledger_t *led = b->in->led;
	const rules_t *rules = b->in->rules;
	const unit_result_t *r = &b->in->res->units[b->unit];
	static const enum doc_align al[NCOLS_ITEMS] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_CENTER, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_LEFT };
	static const unsigned wt[NCOLS_ITEMS] = { 3, 9, 3, 2, 2, 4 };
	char sub[16], cnt[16], exc[16], eff[16];
	char *counted_text, *sum, *sum_counted;
	doc_table_t *tb;
	size_t cap;

	add_heading(b, "h_items");
	if (n == 0) {
		add_para_owned(b, say(b, "items_none", (const char *)NULL));
		return;
	}
	snprintf(sub, sizeof sub, "%d", r->submitted);
	snprintf(cnt, sizeof cnt, "%d", r->counted);
	snprintf(exc, sizeof exc, "%d", r->submitted - r->counted);
	snprintf(eff, sizeof eff, "%d", r->effective);
	add_para_owned(b, say(b, "items_intro", "submitted", sub, "counted", cnt,
	    "excluded", exc, (const char *)NULL));
	counted_text = say(b, "item_counted", (const char *)NULL);
	tb = table_from(b, "cols_items", al, wt);
	cap = rows_cap(b, "items_max");
	for (size_t i = 0; i < n && (cap == 0 || i < cap); i++) {
		const item_result_t *ir = &b->in->res->items[items[i]];
		const item_t *it = &led->items[ir->item];
		const kind_t *k = &rules->kinds[it->kind];
		char kw[16], w[16];
		char *title = one_line(it->title);
		const char *row[NCOLS_ITEMS];

		snprintf(kw, sizeof kw, "%d", k->weight);
		snprintf(w, sizeof w, "%d", ir->weight);
		row[0] = it->id;
		row[1] = title;
		row[2] = k->name;
		row[3] = kw;
		row[4] = w;
		row[5] = ir->why == EXCL_NONE ? counted_text :
		    exclusion_text(ir->why);
		doc_table_add_row(tb, row);
		free(title);
	}
	if (cap > 0 && n > cap)
		more_row(b, tb, "items_more", n - cap);
	sum = say(b, "sum_row", (const char *)NULL);
	sum_counted = say(b, "sum_counted", "counted", cnt, (const char *)NULL);
	{
		const char *row[NCOLS_ITEMS] = { sum, "", "", "", eff,
		    sum_counted };

		doc_table_add_row(tb, row);
	}
	free(sum);
	free(sum_counted);
	free(counted_text);
}

/* The quarter's item result of ledger item i, or NULL (an earlier item). */
static const item_result_t *
item_result_of(const results_t *res, size_t item)
{
	size_t lo = 0, hi = res->nitems;

	/* res->items is in ledger order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (res->items[mid].item < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < res->nitems && res->items[lo].item == item ?
	    &res->items[lo] : NULL;
}

/* For sorting the unit's credits: by date, then ledger order. */
struct credit_key {
	tb_time date;
	size_t  adoption;
	size_t  credit;
};

static int
cmp_credit_key(const void *pa, const void *pb)
{
	const struct credit_key *a = pa, *c = pb;

	if (a->date != c->date)
		return a->date < c->date ? -1 : 1;
	return a->adoption < c->adoption ? -1 : a->adoption > c->adoption;
}

/* Adds remark `text` (owned) as the next numbered note. */
static void
note(sb_t *b, strvec_t *notes, char *text)
{
	char n[24];

	snprintf(n, sizeof n, "%zu", notes->n + 1);
	strvec_push_owned(notes, say(b, "note", "n", n, "text", text,
	    (const char *)NULL));
	free(text);
}

/* 三、信息采用情况: credits[0..n) index res->credits (the unit's). */
static void
section_adoptions(sb_t *b, const size_t *credits, size_t n)
{
	const ledger_t *led = b->in->led;
	const rules_t *rules = b->in->rules;
	const results_t *res = b->in->res;
	static const enum doc_align al[NCOLS_ADOPT] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned wt[NCOLS_ADOPT] = { 3, 8, 4, 3, 2, 2, 3 };
	struct credit_key *k = NULL;
	size_t *noted = NULL, nnoted = 0;   /* items remarked on */
	size_t cap;
	bool first;
	strvec_t notes = { 0 };
	char nadopt[24], qual[32];
	char *sum;
	doc_table_t *tb;

	add_heading(b, "h_adopt");
	if (n == 0) {
		add_para_owned(b, say(b, "adopt_none", (const char *)NULL));
		return;
	}
	snprintf(nadopt, sizeof nadopt, "%zu", n);
	tenths_format(res->units[b->unit].quality, qual, sizeof qual);
	add_para_owned(b, say(b, "adopt_intro", "adoptions", nadopt, "quality",
	    qual, (const char *)NULL));

	k = xcalloc(n, sizeof *k);
	noted = xcalloc(n, sizeof *noted);
	for (size_t i = 0; i < n; i++) {
		size_t a = res->credits[credits[i]].adoption;

		k[i] = (struct credit_key){ led->adoptions[a].date, a, credits[i] };
	}
	qsort(k, n, sizeof *k, cmp_credit_key);

	tb = table_from(b, "cols_adopt", al, wt);
	cap = rows_cap(b, "adopt_max");
	for (size_t i = 0; i < n && (cap == 0 || i < cap); i++) {
		const credit_t *c = &res->credits[k[i].credit];
		const adoption_t *a = &led->adoptions[c->adoption];
		const item_t *it = &led->items[a->item];
		const carrier_t *car = &rules->carriers[a->carrier];
		const item_result_t *ir = item_result_of(res, a->item);
		tenths pts = car->points == NO_POINTS ? 0 : car->points;
		char date[24], p[32], before[32], credited[32];
		char *title = one_line(it->title);
		const char *row[NCOLS_ADOPT];

		tb_day_format(tb_day(a->date), date, sizeof date);
		tenths_format(pts, p, sizeof p);
		tenths_format(c->before, before, sizeof before);
		tenths_format(c->credited, credited, sizeof credited);
		row[0] = it->id;
		row[1] = title;
		row[2] = car->name;
		row[3] = date;
		row[4] = p;
		row[5] = before;
		row[6] = credited;
		doc_table_add_row(tb, row);
		free(title);

		/* remarks, in the order a reader asks; those about the item
		 * itself once per item */
		first = true;
		for (size_t j = 0; j < nnoted && first; j++)
			first = noted[j] != a->item;
		if (first)
			noted[nnoted++] = a->item;
		if (first && it->quarter != res->quarter) {
			char iy[16];

			snprintf(iy, sizeof iy, "%d", tb_quarter_year(it->quarter));
			note(b, &notes, say(b, "note_earlier", "id", it->id,
			    "item_year", iy, "item_quarter_cn",
			    quarter_name(b->t, tb_quarter_num(it->quarter)),
			    (const char *)NULL));
		}
		if (c->before > 0)
			note(b, &notes, say(b, c->credited > 0 ? "note_before" :
			    "note_no_gain", "id", it->id, "points", p, "before",
			    before, "credited", credited, (const char *)NULL));
		if (first && ir != NULL && ir->why != EXCL_NONE)
			note(b, &notes, say(b, "note_excluded", "id", it->id,
			    "reason", exclusion_text(ir->why), (const char *)NULL));
	}
	if (cap > 0 && n > cap)
		more_row(b, tb, "adopt_more", n - cap);
	sum = say(b, "sum_row", (const char *)NULL);
	{
		const char *row[NCOLS_ADOPT] = { sum, "", "", "", "", "", qual };

		doc_table_add_row(tb, row);
	}
	free(sum);
	if (notes.n > 0) {
		add_para_owned(b, say(b, "notes_head", (const char *)NULL));
		doc_add_list(&b->doc->body, (const char *const *)notes.v, notes.n);
	}
	strvec_free(&notes);
	free(noted);
	free(k);
}

/* "2017-01-17" of a day number. */
/*
 * 四、督办事项落实情况 (Art 4): the unit's obligations listed for the
 * quarter (followup.h decides which), one row each: directive, what is
 * owed, deadline, the report that fulfilled it, status.  Nothing without
 * follow-ups (in->fu NULL).
 */
static void
section_followups(sb_t *b)
{
	static const char *const kind_key[] = {
		[FU_PLAN] = "fu_plan", [FU_PROGRESS] = "fu_progress",
		[FU_PERIODIC] = "fu_periodic",
	};
	static const char *const status_key[] = {
		[FU_ON_TIME] = "fu_on_time", [FU_LATE] = "fu_late",
		[FU_OVERDUE] = "fu_overdue", [FU_PENDING] = "fu_pending",
	};
	static const enum doc_align al[NCOLS_FOLLOW] = { ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT, ALIGN_CENTER, ALIGN_LEFT, ALIGN_CENTER };
	static const unsigned wt[NCOLS_FOLLOW] = { 3, 7, 3, 3, 4, 2 };
	const followup_t *fu = b->in->fu;
	const ledger_t *led = b->in->led;
	const rules_t *rules = b->in->rules;
	size_t count = 0, overdue = 0, cap, shown = 0, more = 0;
	char pd[16], gd[16], c[24], o[24];
	doc_table_t *tb = NULL;

	if (fu == NULL)
		return;
	add_heading(b, "h_follow");
	for (size_t i = 0; i < fu->n; i++) {
		if (fu->v[i].unit != b->unit || !fu->v[i].listed)
			continue;
		count++;
		if (fu->v[i].status == FU_OVERDUE)
			overdue++;
	}
	snprintf(pd, sizeof pd, "%d", rules->plan_days);
	snprintf(gd, sizeof gd, "%d", rules->progress_days);
	if (count == 0) {
		add_para_owned(b, say(b, "follow_none", "plan_days", pd,
		    "progress_days", gd, (const char *)NULL));
		return;
	}
	snprintf(c, sizeof c, "%zu", count);
	snprintf(o, sizeof o, "%zu", overdue);
	add_para_owned(b, say(b, "follow_intro", "plan_days", pd,
	    "progress_days", gd, "count", c, "overdue", o, (const char *)NULL));
	tb = table_from(b, "cols_follow", al, wt);
	cap = rows_cap(b, "follow_max");
	for (size_t i = 0; i < fu->n; i++) {
		const fu_obligation_t *ob = &fu->v[i];
		const directive_t *dir;
		char period[16], deadline[16], when[24];
		char *what, *status, *reported = NULL, *title;
		const char *row[NCOLS_FOLLOW];

		if (ob->unit != b->unit || !ob->listed ||
		    ob->directive >= led->ndirectives)
			continue;
		if (cap > 0 && shown >= cap) {
			more++;
			continue;
		}
		shown++;
		dir = &led->directives[ob->directive];
		snprintf(period, sizeof period, "%d", ob->period);
		tb_day_format(ob->deadline, deadline, sizeof deadline);
		what = say(b, kind_key[ob->kind], "period", period,
		    (const char *)NULL);
		status = say(b, status_key[ob->status], (const char *)NULL);
		if (ob->item != FU_NO_ITEM && ob->item < led->nitems) {
			tb_day_format(tb_day(ob->reported), when, sizeof when);
			reported = say(b, "fu_reported", "date", when, "id",
			    led->items[ob->item].id, (const char *)NULL);
		}
		title = one_line(dir->title);
		row[0] = dir->id;
		row[1] = title;
		row[2] = what;
		row[3] = deadline;
		row[4] = reported != NULL ? reported : "";
		row[5] = status;
		doc_table_add_row(tb, row);
		free(title);
		free(what);
		free(status);
		free(reported);
	}
	if (more > 0)
		more_row(b, tb, "follow_more", more);
}

/* Title, 主送, signature, date, PDF information. */
static void
front_and_back(sb_t *b, int y, int q)
{
	doc_t *d = b->doc;
	const doc_t *notice = b->in->notice;
	const unit_t *u = &b->in->reg->units[b->unit];
	char *head = NULL;

	/* a unit's name is never broken in a table cell (render_pdf_table.c) */
	for (size_t k = 0; k < b->in->reg->nunits; k++) {
		const unit_t *v = &b->in->reg->units[k];

		doc_add_keep(d, v->name);
		for (size_t a = 0; a < v->naliases; a++)
			doc_add_keep(d, v->aliases[a]);
	}
	d->title = say(b, "title", (const char *)NULL);
	if (u->head != NULL && *u->head != '\0')
		head = xstrdup(u->head);
	else
		head = say(b, "head_default", (const char *)NULL);
	d->recipients = say(b, "recipients", "head", head, (const char *)NULL);
	free(head);
	doc_set(&d->date_cn, b->date_cn);
	if (notice != NULL && notice->signature != NULL)
		doc_set(&d->signature, notice->signature);
	else
		doc_set(&d->signature, b->t->signature);
	d->subject = say(b, "subject", (const char *)NULL);
	doc_set(&d->author, b->t->author != NULL ? b->t->author : d->signature);
	doc_set(&d->meta.publisher, d->author);
	if (notice != NULL) {
		d->epoch = notice->epoch;
		d->created = notice->created;
		doc_set(&d->meta.date_iso, notice->meta.date_iso);
	} else {
		/* the 5th of the month after the quarter (Art 14), 00:00 UTC+8 */
		int iy = q == 4 ? y + 1 : y, im = q == 4 ? 1 : q * 3 + 1;
		char iso[24];

		snprintf(iso, sizeof iso, "%04d-%02d-05", iy, im);
		doc_set(&d->meta.date_iso, iso);
		d->epoch = (long long)tb_days_from_civil(iy, im, 5) * 86400 -
		    8 * 3600;
	}
}

/*
 * Builds the statement of b->unit from the unit's items (indices into
 * res->items) and credits (indices into res->credits).
 */
static doc_t *
build(const statement_tpl_t *t, const statement_in_t *in, size_t unit,
    const size_t *items, size_t nitems, const size_t *credits,
    size_t ncredits)
{
	sb_t b;
	int y = tb_quarter_year(in->res->quarter), q = tb_quarter_num(in->res->quarter);
	doc_t *d;

	memset(&b, 0, sizeof b);
	b.t = t;
	b.in = in;
	b.unit = unit;
	snprintf(b.year, sizeof b.year, "%d", y);
	snprintf(b.quarter, sizeof b.quarter, "%d", q);
	b.quarter_cn = quarter_name(t, q);
	b.unit_name = in->reg->units[unit].name;
	b.group_name = in->reg->groups[in->reg->units[unit].group].name;
	if (in->notice != NULL && in->notice->date_cn != NULL) {
		b.date_cn = xstrdup(in->notice->date_cn);
	} else {
		char cn[40];

		tb_date_cn(tb_time_make(q == 4 ? y + 1 : y, q == 4 ? 1 : q * 3 + 1,
		    5, 0, 0), cn, sizeof cn);
		b.date_cn = xstrdup(cn);
	}
	b.cv[0] = "year";       b.cv[1] = b.year;
	b.cv[2] = "quarter";    b.cv[3] = b.quarter;
	b.cv[4] = "quarter_cn"; b.cv[5] = b.quarter_cn;
	b.cv[6] = "date_cn";    b.cv[7] = b.date_cn;
	b.cv[8] = "unit";       b.cv[9] = b.unit_name;
	b.cv[10] = "group";     b.cv[11] = b.group_name;
	b.doc = doc_new();
	front_and_back(&b, y, q);
	add_para_owned(&b, say(&b, "opening", (const char *)NULL));
	section_result(&b, ncredits);
	section_items(&b, items, nitems);
	section_adoptions(&b, credits, ncredits);
	section_followups(&b);
	add_para_owned(&b, say(&b, "closing", (const char *)NULL));
	d = b.doc;
	free(b.date_cn);
	return d;
}

/* The unit an adoption credits (the unit of its item), or NO_UNIT. */
static size_t
credit_unit(const statement_in_t *in, const credit_t *c)
{
	return in->led->items[in->led->adoptions[c->adoption].item].unit;
}

doc_t *
statement_unit(const statement_tpl_t *t, const statement_in_t *in,
    size_t unit, diag_list_t *dl)
{
	const results_t *res = in->res;
	size_t *items = NULL, *credits = NULL, ni = 0, nc = 0;
	doc_t *d = NULL;

	if (unit >= in->reg->nunits || unit >= res->nunits) {
		diag_error(dl, NULL, 0, "statement: no unit %zu (the registry has "
		    "%zu)", unit, in->reg->nunits);
		goto cleanup;
	}
	items = xcalloc(res->nitems + 1, sizeof *items);
	credits = xcalloc(res->ncredits + 1, sizeof *credits);
	for (size_t i = 0; i < res->nitems; i++)
		if (in->led->items[res->items[i].item].unit == unit)
			items[ni++] = i;
	for (size_t i = 0; i < res->ncredits; i++)
		if (credit_unit(in, &res->credits[i]) == unit)
			credits[nc++] = i;
	d = build(t, in, unit, items, ni, credits, nc);
cleanup:
	free(items);
	free(credits);
	return d;
}

int
statement_all(const statement_tpl_t *t, const statement_in_t *in,
    doc_t ***docs, size_t *n, diag_list_t *dl)
{
	const results_t *res = in->res;
	size_t nu = in->reg->nunits;
	/* counting sort of items and credits by unit: start[u]..start[u+1] */
	size_t *istart = xcalloc(nu + 2, sizeof *istart);
	size_t *cstart = xcalloc(nu + 2, sizeof *cstart);
	size_t *iv = xcalloc(res->nitems + 1, sizeof *iv);
	size_t *cv = xcalloc(res->ncredits + 1, sizeof *cv);
	doc_t **out = NULL;
	int rc = -1;

	*docs = NULL;
	*n = 0;
	if (res->nunits != nu) {
		diag_error(dl, NULL, 0, "statement: the results hold %zu units, "
		    "the registry %zu", res->nunits, nu);
		goto cleanup;
	}
	for (size_t i = 0; i < res->nitems; i++) {
		size_t u = in->led->items[res->items[i].item].unit;

		if (u < nu)
			istart[u + 2]++;
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		size_t u = credit_unit(in, &res->credits[i]);

		if (u < nu)
			cstart[u + 2]++;
	}
	for (size_t u = 2; u < nu + 2; u++) {
		istart[u] += istart[u - 1];
		cstart[u] += cstart[u - 1];
	}
	/* stable placement: each unit's entries keep their order */
	for (size_t i = 0; i < res->nitems; i++) {
		size_t u = in->led->items[res->items[i].item].unit;

		if (u < nu)
			iv[istart[u + 1]++] = i;
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		size_t u = credit_unit(in, &res->credits[i]);

		if (u < nu)
			cv[cstart[u + 1]++] = i;
	}
	out = xcalloc(nu ? nu : 1, sizeof *out);
	for (size_t u = 0; u < nu; u++)
		out[u] = build(t, in, u, iv + istart[u], istart[u + 1] - istart[u],
		    cv + cstart[u], cstart[u + 1] - cstart[u]);
	*docs = out;
	*n = nu;
	rc = 0;

cleanup:
	free(istart);
	free(cstart);
	free(iv);
	free(cv);
	return rc;
}

void
statement_docs_free(doc_t **docs, size_t n)
{
	if (docs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		doc_free(docs[i]);
	free(docs);
}
