/*
 * score.c - the scoring rules of SPEC 2, hand-written because they are the
 * regulation itself: pure functions from the model (registry, rules, ledger)
 * to results.  No I/O, no globals; every number of every output comes from
 * here, so the rule tests (tests/unit/test_score.c) exercise this file most.
 *
 * The rules as implemented:
 *   - quota count (Art 7, 8, 10, 5, 11): an item of the quarter counts with
 *     its kind's weight unless its kind weighs 0 (日常), no channel names an
 *     accepted mailbox, or it has no 签发人 - the first reason that applies
 *     is the one reported;
 *   - base (Art 8): base points when effective >= quota; below it 0, or with
 *     the proportional policy base x effective / quota rounded half up to a
 *     tenth;
 *   - quality (Art 9, SPEC 2.1): per item, the running maximum of its
 *     adoptions' points in date order; a quarter is credited with how much
 *     the maximum rose in that quarter, to the unit that submitted the item,
 *     whatever the item's channel or signature;
 *   - ranking (SPEC 2.2): within the group by total, ties share a rank.
 */
#include "score.h"
#include "config.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
exclusion_text(enum exclusion e)
{
	static const char *const text[] = {
		[EXCL_NONE] = "",
		[EXCL_ROUTINE] = "日常信息不计入（第五条）",
		[EXCL_CHANNEL] = "未报送至规定邮箱（第八条）",
		[EXCL_UNSIGNED] = "无负责人签发（第十一条）",
	};

	return (size_t)e < ARRAY_LEN(text) ? text[e] : "";
}

void
tenths_format(tenths t, char *buf, size_t n)
{
	const char *sign = t < 0 ? "-" : "";
	long long a = t < 0 ? -(long long)t : (long long)t;

	if (a % 10 == 0)
		snprintf(buf, n, "%s%lld", sign, a / 10);
	else
		snprintf(buf, n, "%s%lld.%lld", sign, a / 10, a % 10);
}

/* ---- ranking ------------------------------------------------------------ */

struct rank_key {
	size_t group;
	tenths value;
	size_t index;
};

static int
cmp_rank_key(const void *pa, const void *pb)
{
	const struct rank_key *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Sorts (group, value desc, index) and assigns competition ranks (1, 2, 2,
 * 4) within each group.  When order is non-NULL it receives the indices in
 * that sorted order.
 */
static void
rank_sorted(const size_t *group, const tenths *value, size_t n, int *rank,
    size_t *order)
{
	struct rank_key *k = xcalloc(n, sizeof *k);

	for (size_t i = 0; i < n; i++)
		k[i] = (struct rank_key){ group[i], value[i], i };
	qsort(k, n, sizeof *k, cmp_rank_key);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (i > 0 && k[i].group != k[i - 1].group)
			first = i;
		if (i > first && k[i].value == k[i - 1].value)
			rank[k[i].index] = rank[k[i - 1].index];
		else
			rank[k[i].index] = (int)(i - first + 1);
		if (order)
			order[i] = k[i].index;
	}
	free(k);
}

void
rank_within_groups(const size_t *group, const tenths *value, size_t n,
    int *rank)
{
	rank_sorted(group, value, n, rank, NULL);
}

/* ---- the quarter ---------------------------------------------------------- */

long
score_late_minutes(const rules_t *rules, const item_t *it, bool *day)
{
	tb_time latest_event;
	long delay;

	if (day != NULL)
		*day = false;
	if (!rules->kinds[it->kind].urgent || it->event == TB_TIME_NONE)
		return 0;
	/* the submission's earliest minute is the one stored (00:00 for a
	 * day); the event's latest is the end of its day (24:00) */
	latest_event = it->event + (it->event_day ? 24 * 60 : 0);
	delay = (long)(it->submitted - latest_event);
	if (delay <= rules->urgent_limit_minutes)
		return 0;
	if (day != NULL)
		*day = it->event_day || it->submitted_day;
	return delay;
}

/* channels repeat: `seen` remembers each one's verdict (value 0 or 1) */
static enum exclusion
item_exclusion(const rules_t *rules, const item_t *it, strmap_t *seen)
{
	size_t ok;

	if (rules->kinds[it->kind].weight == 0)
		return EXCL_ROUTINE;
	if (!strmap_get(seen, it->channel, &ok)) {
		ok = rules_channel_accepted(rules, it->channel);
		strmap_put(seen, it->channel, ok, NULL);
	}
	if (!ok)
		return EXCL_CHANNEL;
	if (it->approver == NULL || it->approver[0] == '\0')
		return EXCL_UNSIGNED;
	return EXCL_NONE;
}

static tenths
base_points(const rules_t *rules, int effective, int quota)
{
	tenths b = rules->base_points;

	if (effective >= quota)
		return b;
	if (rules->base_policy != BASE_PROPORTIONAL || quota <= 0 || effective <= 0)
		return 0;
	/* b * effective / quota, rounded half up to a tenth */
	return (tenths)((2 * b * effective + quota) / (2 * (tenths)quota));
}

struct adopt_key {
	size_t  item;
	tb_time date;
	size_t  index;
};

static int
cmp_adopt_key(const void *pa, const void *pb)
{
	const struct adopt_key *a = pa, *b = pb;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int
cmp_credit(const void *pa, const void *pb)
{
	const credit_t *a = pa, *b = pb;

	return a->adoption < b->adoption ? -1 : a->adoption > b->adoption;
}

/*
 * Walks every adoption up to the end of quarter q, per item in date order,
 * keeping the item's running maximum; adoptions dated in q become credits.
 * Fills out->credits (sorted by adoption index, i.e. ledger order) and adds
 * the credited points to the units and to the quarter's item results.
 */
static void
credit_adoptions(const rules_t *rules, const ledger_t *led, tb_quarter q,
    results_t *out, const size_t *item_result_of)
{
	struct adopt_key *k = xcalloc(led->nadoptions, sizeof *k);
	size_t nk = 0;
	tb_time end = tb_quarter_end(q);

	for (size_t i = 0; i < led->nadoptions; i++)
		if (led->adoptions[i].date < end)
			k[nk++] = (struct adopt_key){ led->adoptions[i].item,
			    led->adoptions[i].date, i };
	qsort(k, nk, sizeof *k, cmp_adopt_key);

	out->credits = xcalloc(nk, sizeof *out->credits);
	tenths running = 0;
	for (size_t i = 0; i < nk; i++) {
		const adoption_t *a = &led->adoptions[k[i].index];
		tenths pts = rules->carriers[a->carrier].points;

		if (i == 0 || k[i].item != k[i - 1].item)
			running = 0;
		if (pts == NO_POINTS)
			pts = 0;   /* refused by the ledger stage; never silently here */
		if (tb_quarter_of(a->date) == q) {
			credit_t *c = &out->credits[out->ncredits++];
			size_t unit = led->items[a->item].unit;

			c->adoption = k[i].index;
			c->before = running;
			c->credited = pts > running ? pts - running : 0;
			if (unit != NO_UNIT)
				out->units[unit].quality += c->credited;
			if (item_result_of[a->item] != NO_UNIT)
				out->items[item_result_of[a->item]].quality += c->credited;
		}
		if (pts > running)
			running = pts;
	}
	qsort(out->credits, out->ncredits, sizeof *out->credits, cmp_credit);
	free(k);
}

int
score_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, tb_quarter q, results_t *out)
{
	size_t *item_result_of = NULL;
	strmap_t channels = { 0 };
	size_t *group = NULL;
	tenths *total = NULL;
	int *rank = NULL;

	memset(out, 0, sizeof *out);
	out->quarter = q;
	out->nunits = reg->nunits;
	out->units = xcalloc(reg->nunits, sizeof *out->units);
	for (size_t u = 0; u < reg->nunits; u++)
		out->units[u].unit = u;

	/* the quarter's items: quota count */
	item_result_of = xmalloc((led->nitems ? led->nitems : 1) * sizeof *item_result_of);
	out->items = xcalloc(led->nitems, sizeof *out->items);
	for (size_t i = 0; i < led->nitems; i++) {
		const item_t *it = &led->items[i];
		item_result_t *ir;
		unit_result_t *ur;

		item_result_of[i] = NO_UNIT;
		if (it->quarter != q || it->unit == NO_UNIT)
			continue;
		item_result_of[i] = out->nitems;
		ir = &out->items[out->nitems++];
		ur = &out->units[it->unit];
		ir->item = i;
		ir->why = item_exclusion(rules, it, &channels);
		ir->weight = ir->why == EXCL_NONE ? rules->kinds[it->kind].weight : 0;
		ir->late_minutes = score_late_minutes(rules, it, &ir->late_day);
		ur->submitted++;
		if (ir->why == EXCL_NONE) {
			ur->counted++;
			ur->effective += ir->weight;
		}
	}

	credit_adoptions(rules, led, q, out, item_result_of);

	/* base, total, rank */
	group = xcalloc(reg->nunits, sizeof *group);
	total = xcalloc(reg->nunits, sizeof *total);
	rank = xcalloc(reg->nunits, sizeof *rank);
	for (size_t u = 0; u < reg->nunits; u++) {
		unit_result_t *ur = &out->units[u];
		int quota = reg->cats[reg->units[u].category].quota;

		ur->met_quota = ur->effective >= quota;
		ur->base = base_points(rules, ur->effective, quota);
		ur->total = ur->base + ur->quality;
		group[u] = reg->units[u].group;
		total[u] = ur->total;
	}
	out->order = xcalloc(reg->nunits, sizeof *out->order);
	rank_sorted(group, total, reg->nunits, rank, out->order);
	for (size_t u = 0; u < reg->nunits; u++)
		out->units[u].rank = rank[u];

	strmap_free(&channels);
	free(item_result_of);
	free(group);
	free(total);
	free(rank);
	return 0;
}

void
results_free(results_t *r)
{
	free(r->units);
	free(r->order);
	free(r->items);
	free(r->credits);
	memset(r, 0, sizeof *r);
}

/* ---- the year (Art 15) --------------------------------------------------- */

static size_t
unit_by_id(const registry_t *reg, const char *id)
{
	for (size_t u = 0; u < reg->nunits; u++)
		if (strcmp(reg->units[u].id, id) == 0)
			return u;
	return NO_UNIT;
}

static int
honour_count(const rules_t *rules, size_t group)
{
	for (size_t i = 0; i < rules->nhonours; i++)
		if (rules->honours[i].group == group)
			return rules->honours[i].units;
	return 0;
}

struct worker_acc {
	strmap_t      index;     /* "unit\x1f author" -> row */
	worker_row_t *rows;
	size_t        n, cap;
};

static worker_row_t *
worker_get(struct worker_acc *w, const char *author, size_t unit)
{
	char *key = xasprintf("%zu\x1f%s", unit, author);
	size_t at;

	if (!strmap_get(&w->index, key, &at)) {
		at = w->n;
		xgrow(&w->rows, &w->cap, w->n + 1, sizeof *w->rows);
		memset(&w->rows[w->n], 0, sizeof w->rows[0]);
		w->rows[w->n].author = xstrdup(author);
		w->rows[w->n].unit = unit;
		w->n++;
		strmap_put(&w->index, key, at, NULL);
	}
	free(key);
	return &w->rows[at];
}

static int
cmp_worker(const void *pa, const void *pb)
{
	const worker_row_t *a = pa, *b = pb;

	if (a->quality != b->quality)
		return a->quality > b->quality ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return strcmp(a->author, b->author);
}

/* Adds one quarter's items and credits to the workers (authors). */
static void
workers_add_quarter(struct worker_acc *w, const registry_t *reg,
    const results_t *res, const ledger_t *led, const registry_t *qreg)
{
	strvec_t names = { 0 };

	for (size_t i = 0; i < res->nitems; i++) {
		const item_t *it = &led->items[res->items[i].item];
		size_t unit = unit_by_id(reg, qreg->units[it->unit].id);

		if (unit == NO_UNIT)
			continue;
		split_list(it->authors, &names);
		for (size_t a = 0; a < names.n; a++)
			worker_get(w, names.v[a], unit)->items++;
		strvec_free(&names);
	}
	for (size_t c = 0; c < res->ncredits; c++) {
		const credit_t *cr = &res->credits[c];
		const item_t *it = &led->items[led->adoptions[cr->adoption].item];
		size_t unit;

		if (cr->credited == 0 || it->unit == NO_UNIT)
			continue;
		unit = unit_by_id(reg, qreg->units[it->unit].id);
		if (unit == NO_UNIT)
			continue;
		split_list(it->authors, &names);
		/* an item's quality points go in full to each of its authors */
		for (size_t a = 0; a < names.n; a++)
			worker_get(w, names.v[a], unit)->quality += cr->credited;
		strvec_free(&names);
	}
}

int
score_year(const registry_t *reg, const rules_t *rules, int year,
    const results_t *const res[4], const ledger_t *const leds[4],
    const registry_t *const regs[4], annual_t *out)
{
	struct worker_acc w = { 0 };
	size_t *group = NULL;
	tenths *total = NULL;
	int *rank = NULL;

	memset(out, 0, sizeof *out);
	out->year = year;
	out->nunits = reg->nunits;
	out->units = xcalloc(reg->nunits, sizeof *out->units);
	for (size_t u = 0; u < reg->nunits; u++)
		out->units[u].unit = u;

	for (int k = 0; k < 4; k++) {
		if (res[k] == NULL)
			continue;
		for (size_t i = 0; i < res[k]->nunits; i++) {
			const unit_result_t *ur = &res[k]->units[i];
			size_t u = unit_by_id(reg, regs[k]->units[ur->unit].id);
			if (u == NO_UNIT)
				continue;
			out->units[u].q[k] = ur->total;
			out->units[u].total += ur->total;
		}
		workers_add_quarter(&w, reg, res[k], leds[k], regs[k]);
	}

	group = xcalloc(reg->nunits, sizeof *group);
	total = xcalloc(reg->nunits, sizeof *total);
	rank = xcalloc(reg->nunits, sizeof *rank);
	for (size_t u = 0; u < reg->nunits; u++) {
		group[u] = reg->units[u].group;
		total[u] = out->units[u].total;
	}
	out->order = xcalloc(reg->nunits, sizeof *out->order);
	rank_sorted(group, total, reg->nunits, rank, out->order);
	for (size_t u = 0; u < reg->nunits; u++) {
		annual_row_t *r = &out->units[u];
		r->rank = rank[u];
		r->honour = r->total > 0 && r->rank <= honour_count(rules, group[u]);
	}

	/* workers: one ranking over all, ties share a rank */
	qsort(w.rows, w.n, sizeof *w.rows, cmp_worker);
	for (size_t i = 0; i < w.n; i++) {
		worker_row_t *r = &w.rows[i];
		r->rank = (i > 0 && r->quality == w.rows[i - 1].quality) ?
		    w.rows[i - 1].rank : (int)i + 1;
		r->honour = r->quality > 0 && r->rank <= rules->honour_workers;
	}
	out->workers = w.rows;
	out->nworkers = w.n;
	strmap_free(&w.index);
	free(group);
	free(total);
	free(rank);
	return 0;
}

void
annual_free(annual_t *a)
{
	for (size_t i = 0; i < a->nworkers; i++)
		free(a->workers[i].author);
	free(a->workers);
	free(a->units);
	free(a->order);
	memset(a, 0, sizeof *a);
}
