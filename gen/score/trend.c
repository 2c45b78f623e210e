/*
 * trend.c - a quarter against the year so far (trend.h, SPEC 5).
 *
 * Sums and differences of score_quarter() results only.  Units are matched
 * across quarters by registry id (a unit renamed keeps its id; one added
 * mid-year has nothing before it), kinds and carriers by name or alias as
 * the ledgers are (rules_find_kind, rules_find_carrier; -1, unknown, is
 * left out of the rows by name).
 */
#include "trend.h"
#include "config.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Index of the unit with id `id` in results `sq`, by a map of its
 * registry's ids built once per quarter. */
static void
index_units(const scored_quarter_t *sq, strmap_t *m)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < sq->res->nunits; i++)
		strmap_put(m, sq->reg->units[sq->res->units[i].unit].id, i, NULL);
}

/*
 * The tally of quarter `sq` by the kinds and carriers of `rules` (the
 * reported quarter's).  Items of units not evaluated in sq are not
 * counted, as the notice's own figures (results.units) leave them out.
 */
static void
tally_of(const scored_quarter_t *sq, const rules_t *rules, tally_t *t)
{
	const results_t *res = sq->res;
	const ledger_t *led = sq->led;
	bool same = sq->rules == rules;

	t->kind_received = xcalloc(rules->nkinds + 1, sizeof *t->kind_received);
	t->kind_counted = xcalloc(rules->nkinds + 1, sizeof *t->kind_counted);
	t->carrier_adopted = xcalloc(rules->ncarriers + 1,
	    sizeof *t->carrier_adopted);
	for (size_t i = 0; i < res->nitems; i++) {
		const item_result_t *ir = &res->items[i];
		const item_t *it = &led->items[ir->item];
		size_t k = it->kind;

		if (it->unit >= sq->reg->nunits)
			continue;
		if (!same && k < sq->rules->nkinds)
			k = (size_t)rules_find_kind(rules, sq->rules->kinds[k].name);
		t->received++;
		if (ir->why == EXCL_NONE)
			t->counted++;
		if (k < rules->nkinds) {
			t->kind_received[k]++;
			if (ir->why == EXCL_NONE)
				t->kind_counted[k]++;
		}
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		const adoption_t *a = &led->adoptions[res->credits[i].adoption];
		size_t c = a->carrier;

		if (led->items[a->item].unit >= sq->reg->nunits ||
		    c >= sq->rules->ncarriers)
			continue;
		if (!same)
			c = (size_t)rules_find_carrier(rules,
			    sq->rules->carriers[c].name);
		t->adopted++;
		if (c < rules->ncarriers)
			t->carrier_adopted[c]++;
	}
}

static void
tally_free(tally_t *t)
{
	free(t->kind_received);
	free(t->kind_counted);
	free(t->carrier_adopted);
	memset(t, 0, sizeof *t);
}

void
trend_quarter(const scored_quarter_t *cur, const scored_quarter_t *earlier,
    size_t n, trend_t *out)
{
	const results_t *res = cur->res;

	memset(out, 0, sizeof *out);
	out->nunits = res->nunits;
	out->units = xcalloc(res->nunits + 1, sizeof *out->units);
	for (size_t i = 0; i < res->nunits; i++)
		out->units[i].ytd = res->units[i].total;
	for (size_t k = 0; k < n; k++) {
		const scored_quarter_t *e = &earlier[k];
		bool prev = k + 1 == n;
		strmap_t ids;

		index_units(e, &ids);
		for (size_t i = 0; i < res->nunits; i++) {
			const unit_result_t *ur = &res->units[i];
			const unit_t *u = &cur->reg->units[ur->unit];
			const unit_result_t *er;
			size_t j;

			if (!strmap_get(&ids, u->id, &j))
				continue;
			er = &e->res->units[j];
			out->units[i].ytd += er->total;
			if (!prev)
				continue;
			out->units[i].has_prev = true;
			out->units[i].change = ur->total - er->total;
			if (strcmp(e->reg->groups[e->reg->units[er->unit].group].id,
			    cur->reg->groups[u->group].id) == 0) {
				out->units[i].has_rank_change = true;
				out->units[i].rank_change = er->rank - ur->rank;
			}
		}
		strmap_free(&ids);
	}
	tally_of(cur, cur->rules, &out->now);
	if (n > 0) {
		out->has_prev = true;
		tally_of(&earlier[n - 1], cur->rules, &out->before);
	}
}

void
trend_free(trend_t *t)
{
	free(t->units);
	tally_free(&t->now);
	tally_free(&t->before);
	memset(t, 0, sizeof *t);
}

struct adopt_key {
	size_t pos;        /* the unit's place in the output order */
	tenths points;     /* the carrier's; NO_POINTS sorts last */
	tb_time date;
	size_t credit;
};

static int
cmp_adopt(const void *pa, const void *pb)
{
	const struct adopt_key *a = pa, *b = pb;

	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	if (a->points != b->points)
		return a->points > b->points ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->credit < b->credit ? -1 : a->credit > b->credit;
}

size_t
trend_adoptions(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, size_t **order)
{
	size_t *pos = xcalloc(reg->nunits + 1, sizeof *pos);
	struct adopt_key *keys = xcalloc(res->ncredits + 1, sizeof *keys);
	size_t n = 0;

	for (size_t k = 0; k < res->nunits; k++)
		pos[res->units[res->order[k]].unit] = k;
	for (size_t i = 0; i < res->ncredits; i++) {
		const adoption_t *a = &led->adoptions[res->credits[i].adoption];
		size_t u = led->items[a->item].unit;

		if (u >= reg->nunits || a->carrier >= rules->ncarriers)
			continue;
		keys[n].pos = pos[u];
		keys[n].points = rules->carriers[a->carrier].points;
		keys[n].date = a->date;
		keys[n].credit = i;
		n++;
	}
	qsort(keys, n, sizeof *keys, cmp_adopt);
	*order = xcalloc(n + 1, sizeof **order);
	for (size_t i = 0; i < n; i++)
		(*order)[i] = keys[i].credit;
	free(keys);
	free(pos);
	return n;
}

void
trend_year_ranks(const registry_t *reg, const annual_t *ann,
    const registry_t *prev_reg, const annual_t *prev, int *rank_change,
    bool *known)
{
	strmap_t ids;

	memset(&ids, 0, sizeof ids);
	for (size_t i = 0; i < prev->nunits; i++)
		strmap_put(&ids, prev_reg->units[prev->units[i].unit].id, i, NULL);
	for (size_t i = 0; i < ann->nunits; i++) {
		const unit_t *u = &reg->units[ann->units[i].unit];
		size_t j;

		known[i] = false;
		rank_change[i] = 0;
		if (!strmap_get(&ids, u->id, &j))
			continue;
		if (strcmp(prev_reg->groups[prev_reg->units[
		    prev->units[j].unit].group].id, reg->groups[u->group].id) != 0)
			continue;
		known[i] = true;
		rank_change[i] = prev->units[j].rank - ann->units[i].rank;
	}
	strmap_free(&ids);
}
