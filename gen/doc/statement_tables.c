/*
 * statement_tables.c - the four sections of a unit's statement (Art 14),
 * each a sentence and a table whose figures are the scoring module's: the
 * unit's row of scores.csv; its items with their weights, summed to
 * `effective`; the adoptions credited this quarter with the remarks a
 * reader needs, summed to `quality`; the follow-up obligations of the
 * quarter.  A table longer than the template's cap ends in one row saying
 * how many more there are.  Part of the statement builder
 * (statement_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "statement_int.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One of the phrases `key`_up, _down, _same (with {n}: |delta|, in tenths)
 * or _none.  Newly allocated. */
static char *
say_change(const sb_t *b, const char *key, bool known, tenths delta)
{
	char k[24], n[32];

	tenths_format(delta > 0 ? delta : -delta, n, sizeof n);
	snprintf(k, sizeof k, "%s_%s", key, !known ? "none" : delta > 0 ?
	    "up" : delta < 0 ? "down" : "same");
	return st_say(b, k, "n", n, (const char *)NULL);
}

/* 一、考评得分: the sentence and the unit's row of scores.csv. */
void
st_section_result(sb_t *b, size_t nadoptions)
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
	state = st_say(b, r->met_quota ? "quota_met" : "quota_missed",
	    (const char *)NULL);
	rank_text = st_say(b, tied ? "rank_tied" : "rank", "rank", rank,
	    (const char *)NULL);

	st_add_heading(b, "h_result");
	st_add_para_owned(b, st_say(b, "result", "category", cat->name, "quota",
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
		st_add_para_owned(b, st_say(b, "ytd", "ytd", ytd, "change", change,
		    "rank_change", rc, (const char *)NULL));
		free(change);
		free(rc);
	}
	tb = st_table_from(b, "cols_score", al, NULL);
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
	char *s = st_say(b, key, (const char *)NULL), *end;
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
	line = st_say(b, key, "n", n, (const char *)NULL);
	for (size_t c = 0; c < tb->ncols; c++)
		row[c] = "";
	row[0] = "\xE2\x80\xA6\xE2\x80\xA6";      /* …… */
	row[1] = line;
	doc_table_add_row(tb, row);
	free(line);
	free(row);
}

/* 二、报送信息明细: items[0..n) index res->items (the unit's, ledger order). */
void
st_section_items(sb_t *b, const size_t *items, size_t n)
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

	st_add_heading(b, "h_items");
	if (n == 0) {
		st_add_para_owned(b, st_say(b, "items_none", (const char *)NULL));
		return;
	}
	snprintf(sub, sizeof sub, "%d", r->submitted);
	snprintf(cnt, sizeof cnt, "%d", r->counted);
	snprintf(exc, sizeof exc, "%d", r->submitted - r->counted);
	snprintf(eff, sizeof eff, "%d", r->effective);
	st_add_para_owned(b, st_say(b, "items_intro", "submitted", sub, "counted", cnt,
	    "excluded", exc, (const char *)NULL));
	counted_text = st_say(b, "item_counted", (const char *)NULL);
	tb = st_table_from(b, "cols_items", al, wt);
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
	sum = st_say(b, "sum_row", (const char *)NULL);
	sum_counted = st_say(b, "sum_counted", "counted", cnt, (const char *)NULL);
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
	strvec_push_owned(notes, st_say(b, "note", "n", n, "text", text,
	    (const char *)NULL));
	free(text);
}

/* 三、信息采用情况: credits[0..n) index res->credits (the unit's). */
void
st_section_adoptions(sb_t *b, const size_t *credits, size_t n)
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

	st_add_heading(b, "h_adopt");
	if (n == 0) {
		st_add_para_owned(b, st_say(b, "adopt_none", (const char *)NULL));
		return;
	}
	snprintf(nadopt, sizeof nadopt, "%zu", n);
	tenths_format(res->units[b->unit].quality, qual, sizeof qual);
	st_add_para_owned(b, st_say(b, "adopt_intro", "adoptions", nadopt, "quality",
	    qual, (const char *)NULL));

	k = xcalloc(n, sizeof *k);
	noted = xcalloc(n, sizeof *noted);
	for (size_t i = 0; i < n; i++) {
		size_t a = res->credits[credits[i]].adoption;

		k[i] = (struct credit_key){ led->adoptions[a].date, a, credits[i] };
	}
	qsort(k, n, sizeof *k, cmp_credit_key);

	tb = st_table_from(b, "cols_adopt", al, wt);
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
			note(b, &notes, st_say(b, "note_earlier", "id", it->id,
			    "item_year", iy, "item_quarter_cn",
			    st_quarter_name(b->t, tb_quarter_num(it->quarter)),
			    (const char *)NULL));
		}
		if (c->before > 0)
			note(b, &notes, st_say(b, c->credited > 0 ? "note_before" :
			    "note_no_gain", "id", it->id, "points", p, "before",
			    before, "credited", credited, (const char *)NULL));
		if (first && ir != NULL && ir->why != EXCL_NONE)
			note(b, &notes, st_say(b, "note_excluded", "id", it->id,
			    "reason", exclusion_text(ir->why), (const char *)NULL));
	}
	if (cap > 0 && n > cap)
		more_row(b, tb, "adopt_more", n - cap);
	sum = st_say(b, "sum_row", (const char *)NULL);
	{
		const char *row[NCOLS_ADOPT] = { sum, "", "", "", "", "", qual };

		doc_table_add_row(tb, row);
	}
	free(sum);
	if (notes.n > 0) {
		st_add_para_owned(b, st_say(b, "notes_head", (const char *)NULL));
		doc_add_list(&b->doc->body, (const char *const *)notes.v, notes.n);
	}
	strvec_free(&notes);
	free(noted);
	free(k);
}

/*
 * 四、督办事项落实情况 (Art 4): the unit's obligations listed for the
 * quarter (followup.h decides which), one row each: directive, what is
 * owed, deadline, the report that fulfilled it, status.  Nothing without
 * follow-ups (in->fu NULL).
 */
void
st_section_followups(sb_t *b)
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
	st_add_heading(b, "h_follow");
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
		st_add_para_owned(b, st_say(b, "follow_none", "plan_days", pd,
		    "progress_days", gd, (const char *)NULL));
		return;
	}
	snprintf(c, sizeof c, "%zu", count);
	snprintf(o, sizeof o, "%zu", overdue);
	st_add_para_owned(b, st_say(b, "follow_intro", "plan_days", pd,
	    "progress_days", gd, "count", c, "overdue", o, (const char *)NULL));
	tb = st_table_from(b, "cols_follow", al, wt);
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
		what = st_say(b, kind_key[ob->kind], "period", period,
		    (const char *)NULL);
		status = st_say(b, status_key[ob->status], (const char *)NULL);
		if (ob->item != FU_NO_ITEM && ob->item < led->nitems) {
			tb_day_format(tb_day(ob->reported), when, sizeof when);
			reported = st_say(b, "fu_reported", "date", when, "id",
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

