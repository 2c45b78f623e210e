/*
 * test_trend.c - the year so far (trend.c): year to date, change and change
 * of rank across quarters whose registries differ (a unit added mid-year,
 * one that moved group, one renamed but keeping its id), the tallies by
 * kind and carrier matched by name, the order of the 采用情况 and the
 * annual rank change.  Built from hand-made results, so each expected
 * figure is written beside its case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "trend.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Two groups; the quarters' registries list these units by id. */
static group_t groups[2] = {
	{ .id = "city", .name = "市州" },
	{ .id = "office", .name = "厅机关" },
};

struct q {
	registry_t   reg;
	rules_t      rules;
	ledger_t     led;
	results_t    res;
	unit_t       units[4];
	unit_result_t ur[4];
	size_t       order[4];
};

/* One quarter: ids[i] in group gr[i] with total tot[i] (tenths) and rank rk[i]. */
static void
quarter(struct q *q, size_t n, const char *const *ids, const size_t *gr,
    const tenths *tot, const int *rk)
{
	memset(q, 0, sizeof *q);
	for (size_t i = 0; i < n; i++) {
		q->units[i].id = (char *)ids[i];
		q->units[i].name = (char *)ids[i];
		q->units[i].group = gr[i];
		q->ur[i].unit = i;
		q->ur[i].total = tot[i];
		q->ur[i].rank = rk[i];
		q->order[i] = i;
	}
	q->reg.groups = groups;
	q->reg.ngroups = 2;
	q->reg.units = q->units;
	q->reg.nunits = n;
	q->res.units = q->ur;
	q->res.nunits = n;
	q->res.order = q->order;
}

static scored_quarter_t
sq(struct q *q)
{
	return (scored_quarter_t){ &q->reg, &q->rules, &q->led, &q->res };
}

static void
test_year_to_date(void **state)
{
	static const char *const ids1[] = { "a", "b", "c" };
	static const char *const ids2[] = { "a", "b", "c" };
	static const char *const ids3[] = { "a", "b", "c", "d" };
	static const size_t g1[] = { 0, 0, 1 }, g2[] = { 0, 0, 1 },
	    g3[] = { 0, 0, 0, 1 };
	static const tenths t1[] = { 100, 50, 30 }, t2[] = { 80, 80, 0 },
	    t3[] = { 80, 125, 20, 40 };
	static const int r1[] = { 1, 2, 1 }, r2[] = { 1, 1, 1 },
	    r3[] = { 3, 1, 2, 1 };
	/* a: 10 + 8 + 8 = 26, change 0, rank 1 -> 3: -2
	 * b: 5 + 8 + 12.5 = 25.5, change +4.5, rank 1 -> 1: 0
	 * c: moved from office to city in Q3: ytd 3 + 0 + 2 = 5, change +2,
	 *    no change of rank (another group's ranking)
	 * d: new in Q3: ytd 4, nothing to compare with */
	static const struct {
		tenths ytd;
		bool   prev;
		tenths change;
		bool   rank;
		int    rank_change;
	} want[] = {
		{ .ytd = 260, .prev = true, .change = 0, .rank = true,
		  .rank_change = -2 },
		{ .ytd = 255, .prev = true, .change = 45, .rank = true,
		  .rank_change = 0 },
		{ .ytd = 50, .prev = true, .change = 20, .rank = false },
		{ .ytd = 40, .prev = false, .rank = false },
	};
	struct q q1, q2, q3;
	scored_quarter_t earlier[2], cur;
	trend_t tr;

	(void)state;
	quarter(&q1, 3, ids1, g1, t1, r1);
	quarter(&q2, 3, ids2, g2, t2, r2);
	quarter(&q3, 4, ids3, g3, t3, r3);
	earlier[0] = sq(&q1);
	earlier[1] = sq(&q2);
	cur = sq(&q3);
	trend_quarter(&cur, earlier, 2, &tr);
	assert_int_equal(tr.nunits, 4);
	assert_true(tr.has_prev);
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(tr.units[i].ytd, want[i].ytd);
		assert_int_equal(tr.units[i].has_prev, want[i].prev);
		if (want[i].prev)
			assert_int_equal(tr.units[i].change, want[i].change);
		assert_int_equal(tr.units[i].has_rank_change, want[i].rank);
		if (want[i].rank)
			assert_int_equal(tr.units[i].rank_change,
			    want[i].rank_change);
	}
	trend_free(&tr);

	/* Q1: the quarter alone */
	cur = sq(&q1);
	trend_quarter(&cur, NULL, 0, &tr);
	assert_false(tr.has_prev);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(tr.units[i].ytd, t1[i]);
		assert_false(tr.units[i].has_prev);
		assert_false(tr.units[i].has_rank_change);
	}
	trend_free(&tr);
}

/* Tallies: items by kind and adoptions by carrier, the previous quarter's
 * matched by name onto the current rules (a kind renamed counts in the
 * total only); items of a unit no longer evaluated are left out. */
static void
test_tallies(void **state)
{
	static const char *const ids[] = { "a", "b" };
	static const size_t g[] = { 0, 0 };
	static const tenths t[] = { 0, 0 };
	static const int r[] = { 1, 1 };
	kind_t k_now[2] = { { .name = "动态" }, { .name = "日常" } };
	kind_t k_then[2] = { { .name = "日常" }, { .name = "旧类" } };
	carrier_t c_now[2] = { { .name = "门户", .points = 30 },
	    { .name = "司法部", .points = 150 } };
	carrier_t c_then[1] = { { .name = "司法部", .points = 150 } };
	item_t it_now[3] = { { .unit = 0, .kind = 0 }, { .unit = 1, .kind = 1 },
	    { .unit = NO_UNIT, .kind = 0 } };
	item_t it_then[2] = { { .unit = 0, .kind = 0 }, { .unit = 0, .kind = 1 } };
	item_result_t ir_now[3] = { { .item = 0 }, { .item = 1,
	    .why = EXCL_ROUTINE }, { .item = 2 } };
	item_result_t ir_then[2] = { { .item = 0, .why = EXCL_ROUTINE },
	    { .item = 1 } };
	adoption_t ad_now[3] = { { .item = 0, .carrier = 1, .date = 30 },
	    { .item = 0, .carrier = 0, .date = 10 }, { .item = 1, .carrier = 0,
	    .date = 20 } };
	adoption_t ad_then[1] = { { .item = 1, .carrier = 0 } };
	credit_t cr_now[3] = { { .adoption = 0 }, { .adoption = 1 },
	    { .adoption = 2 } };
	credit_t cr_then[1] = { { .adoption = 0 } };
	struct q now, then;
	scored_quarter_t cur, prev;
	trend_t tr;
	size_t *order = NULL, n;

	(void)state;
	quarter(&now, 2, ids, g, t, r);
	quarter(&then, 2, ids, g, t, r);
	now.rules.kinds = k_now;         now.rules.nkinds = 2;
	now.rules.carriers = c_now;      now.rules.ncarriers = 2;
	then.rules.kinds = k_then;       then.rules.nkinds = 2;
	then.rules.carriers = c_then;    then.rules.ncarriers = 1;
	now.led.items = it_now;          now.led.nitems = 3;
	now.led.adoptions = ad_now;      now.led.nadoptions = 3;
	then.led.items = it_then;        then.led.nitems = 2;
	then.led.adoptions = ad_then;    then.led.nadoptions = 1;
	now.res.items = ir_now;          now.res.nitems = 3;
	now.res.credits = cr_now;        now.res.ncredits = 3;
	then.res.items = ir_then;        then.res.nitems = 2;
	then.res.credits = cr_then;      then.res.ncredits = 1;
	cur = sq(&now);
	prev = sq(&then);
	trend_quarter(&cur, &prev, 1, &tr);
	/* now: 动态 1 counted, 日常 1 not; the unevaluated item is left out */
	assert_int_equal(tr.now.received, 2);
	assert_int_equal(tr.now.counted, 1);
	assert_int_equal(tr.now.kind_received[0], 1);
	assert_int_equal(tr.now.kind_counted[0], 1);
	assert_int_equal(tr.now.kind_received[1], 1);
	assert_int_equal(tr.now.kind_counted[1], 0);
	assert_int_equal(tr.now.adopted, 3);
	assert_int_equal(tr.now.carrier_adopted[0], 2);
	assert_int_equal(tr.now.carrier_adopted[1], 1);
	/* then: its 日常 is the current 日常 (index 1); 旧类 only in the total */
	assert_int_equal(tr.before.received, 2);
	assert_int_equal(tr.before.counted, 1);
	assert_int_equal(tr.before.kind_received[0], 0);
	assert_int_equal(tr.before.kind_received[1], 1);
	assert_int_equal(tr.before.adopted, 1);
	assert_int_equal(tr.before.carrier_adopted[0], 0);
	assert_int_equal(tr.before.carrier_adopted[1], 1);
	trend_free(&tr);

	/* 采用情况: unit a first (output order), its 司法部 (15) before its
	 * 门户 (3) though later; then unit b */
	n = trend_adoptions(&now.reg, &now.rules, &now.led, &now.res, &order);
	assert_int_equal(n, 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	free(order);
	/* b ranked before a: b's adoption comes first */
	now.order[0] = 1;
	now.order[1] = 0;
	n = trend_adoptions(&now.reg, &now.rules, &now.led, &now.res, &order);
	assert_int_equal(n, 3);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 0);
	free(order);
}

static void
test_year_ranks(void **state)
{
	unit_t now_u[3] = { { .id = "a", .group = 0 }, { .id = "b", .group = 0 },
	    { .id = "c", .group = 1 } };
	unit_t then_u[3] = { { .id = "b", .group = 0 }, { .id = "a", .group = 0 },
	    { .id = "c", .group = 0 } };
	registry_t now = { .groups = groups, .ngroups = 2, .units = now_u,
	    .nunits = 3 };
	registry_t then = { .groups = groups, .ngroups = 2, .units = then_u,
	    .nunits = 2 + 1 };
	annual_row_t rn[3] = { { .unit = 0, .rank = 1 }, { .unit = 1, .rank = 2 },
	    { .unit = 2, .rank = 1 } };
	annual_row_t rt[3] = { { .unit = 0, .rank = 1 }, { .unit = 1, .rank = 2 },
	    { .unit = 2, .rank = 3 } };
	annual_t an = { .units = rn, .nunits = 3 }, at = { .units = rt,
	    .nunits = 3 };
	int rc[3];
	bool known[3];

	(void)state;
	trend_year_ranks(&now, &an, &then, &at, rc, known);
	/* a: 2nd then, 1st now: +1; b: 1st then, 2nd now: -1; c changed group */
	assert_true(known[0]);
	assert_int_equal(rc[0], 1);
	assert_true(known[1]);
	assert_int_equal(rc[1], -1);
	assert_false(known[2]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_to_date),
		cmocka_unit_test(test_tallies),
		cmocka_unit_test(test_year_ranks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
