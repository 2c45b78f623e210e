/*
 * test_score.c - every rule of SPEC 2 as table-driven cases: a case is a
 * list of items and adoptions of one unit (or several), and the expected
 * counts and points (score_cases: submitted, counted, base, quality,
 * total; count_cases and base_cases for the quota and the base alone).  The registry and rules are built here by hand with
 * the shipped numbers, so the cases read like the regulation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "score.h"
#include "util.h"

/* ---- fixture: 2 groups, 5 units, the shipped kinds/carriers/mailboxes ---- */

static group_t groups[] = {
	{ .id = "g1", .name = "市州司法局" },
	{ .id = "g2", .name = "法律服务直报点" },
};
static category_t cats[] = {
	{ .id = "c24", .name = "市州", .group = 0, .quota = 24 },
	{ .id = "c2", .name = "直报点", .group = 1, .quota = 2 },
};
static unit_t units[] = {
	{ .id = "a", .name = "甲市司法局", .category = 0, .group = 0 },
	{ .id = "b", .name = "乙市司法局", .category = 0, .group = 0 },
	{ .id = "c", .name = "丙所", .category = 1, .group = 1 },
	{ .id = "d", .name = "丁所", .category = 1, .group = 1 },
	{ .id = "e", .name = "戊所", .category = 1, .group = 1 },
};
static registry_t reg = { .groups = groups, .ngroups = 2, .cats = cats,
    .ncats = 2, .units = units, .nunits = 5 };

enum { K_DYN, K_EXP, K_PROB, K_URG, K_ROUT };
static kind_t kinds[] = {
	[K_DYN]  = { .name = "动态", .weight = 1, .max_chars = 1000 },
	[K_EXP]  = { .name = "调研-典型经验", .weight = 1, .min_chars = 1000,
	    .max_chars = 3500 },
	[K_PROB] = { .name = "调研-困难问题", .weight = 2, .min_chars = 1000,
	    .max_chars = 3500 },
	[K_URG]  = { .name = "重要紧急", .weight = 2, .urgent = true },
	[K_ROUT] = { .name = "日常", .weight = 0 },
};
enum { C_WEB, C_BRIEF, C_TING, C_MOJ, C_CENTRAL_LEADER };
static carrier_t carriers[] = {
	[C_WEB]   = { .name = "省厅门户网站", .points = 30 },
	[C_BRIEF] = { .name = "省厅工作简报", .points = 50 },
	[C_TING]  = { .name = "省厅领导批示", .points = 100 },
	[C_MOJ]   = { .name = "司法部采用", .points = 150, .high_level = true },
	[C_CENTRAL_LEADER] = { .name = "中央领导批示", .points = 300,
	    .high_level = true },
};
static char *mailboxes[] = { "综合科", "督办科", "维稳办", "sifatingzhk@163.com" };
static rules_t rules = {
	.kinds = kinds, .nkinds = 5, .carriers = carriers, .ncarriers = 5,
	.mailboxes = mailboxes, .nmailboxes = 4,
	.urgent_limit_minutes = 120, .base_points = 600,
	.base_policy = BASE_ALL_OR_NOTHING, .honour_workers = 3,
	.plan_days = 7, .progress_days = 60, .long_running_period_days = 90,
};

#define Q1 (2017 * 4 + 0)
#define Q2 (2017 * 4 + 1)

struct it { size_t unit; int kind; const char *channel, *approver; tb_time sub, ev; tb_quarter q; const char *authors; };
struct ad { size_t item; int carrier; tb_time date; };

/* Builds a ledger from literal items and adoptions (strings are borrowed). */
static void
make_ledger(ledger_t *l, const struct it *its, size_t ni, const struct ad *ads, size_t na)
{
	memset(l, 0, sizeof *l);
	l->items = xcalloc(ni, sizeof *l->items);
	l->adoptions = xcalloc(na, sizeof *l->adoptions);
	for (size_t i = 0; i < ni; i++) {
		item_t *x = &l->items[i];
		x->id = "id";
		x->title = "t";
		x->unit = its[i].unit;
		x->kind = (size_t)its[i].kind;
		x->channel = (char *)its[i].channel;
		x->approver = (char *)its[i].approver;
		x->authors = (char *)(its[i].authors ? its[i].authors : "");
		x->directive = "";
		x->submitted = its[i].sub;
		x->event = its[i].ev ? its[i].ev : TB_TIME_NONE;
		x->quarter = its[i].q;
	}
	for (size_t i = 0; i < na; i++) {
		l->adoptions[i].item = ads[i].item;
		l->adoptions[i].carrier = (size_t)ads[i].carrier;
		l->adoptions[i].date = ads[i].date;
		l->adoptions[i].quarter = tb_quarter_of(ads[i].date);
	}
	l->nitems = ni;
	l->nadoptions = na;
}

static void
free_ledger(ledger_t *l)
{
	free(l->items);
	free(l->adoptions);
}

#define D(m, d) tb_time_make(2017, (m), (d), 9, 0)
#define OK "综合科", "张三"

/* ---- SPEC 2.1 worked example ---------------------------------------------- */

static void
worked_example(void **state)
{
	(void)state;
	struct it its[] = { { 0, K_DYN, OK, D(1, 5), 0, Q1, NULL } };
	struct ad ads[] = {
		{ 0, C_WEB, D(2, 1) },       /* Q1: 3 */
		{ 0, C_MOJ, D(4, 10) },      /* Q2: 15 */
		{ 0, C_BRIEF, D(5, 1) },     /* Q2: 5, below the maximum */
	};
	ledger_t l;
	results_t r1, r2;

	make_ledger(&l, its, 1, ads, 3);
	score_quarter(&reg, &rules, &l, Q1, &r1);
	score_quarter(&reg, &rules, &l, Q2, &r2);
	assert_int_equal(r1.units[0].quality, 30);     /* Q1 +3 */
	assert_int_equal(r2.units[0].quality, 120);    /* Q2 +12 */
	assert_int_equal(r1.units[0].quality + r2.units[0].quality, 150);  /* year 15 */
	assert_int_equal(r2.ncredits, 2);
	assert_int_equal(r2.credits[0].before, 30);
	assert_int_equal(r2.credits[0].credited, 120);
	assert_int_equal(r2.credits[1].credited, 0);
	/* the Q1 item is not one of Q2's items */
	assert_int_equal(r2.units[0].submitted, 0);
	results_free(&r1);
	results_free(&r2);
	free_ledger(&l);
}

/* ---- scores: a table of cases and the scores they give ------------------- */

/*
 * One unit's quarter (Q1) from a few items and adoptions: what it
 * submitted, what counts toward the quota (Art 5, 8, 10, 11), the base
 * (Art 8) and quality points (Art 9, 12) and the total.  items end at the
 * first without a channel, ads at the first without a date.
 */
struct score_case {
	const char      *name;
	struct it        items[8];
	struct ad        ads[4];
	enum base_policy policy;
	size_t           unit;
	int              submitted, counted, effective;
	tenths           base, quality, total;
};

#define EV tb_time_make(2017, 2, 1, 8, 0)


/* (a table inside the function: tb_time_make() is no constant) */
static void
score_table(void **state)
{
	const struct score_case score_cases[] = {
		{ .name = "SPEC 2.1: the portal's 3 in Q1, later adoptions not yet",
		  .items = { { 0, K_DYN, OK, D(1, 5), 0, Q1, NULL } },
		  .ads = { { 0, C_WEB, D(2, 1) }, { 0, C_MOJ, D(4, 10) } },
		  .unit = 0, .submitted = 1, .counted = 1, .effective = 1,
		  .base = 0, .quality = 30, .total = 30 },
		{ .name = "adoptions out of date order: the best, not the sum",
		  .items = { { 0, K_DYN, OK, D(1, 5), 0, Q1, NULL } },
		  .ads = { { 0, C_BRIEF, D(3, 1) }, { 0, C_WEB, D(2, 1) } },
		  .unit = 0, .submitted = 1, .counted = 1, .effective = 1,
		  .base = 0, .quality = 50, .total = 50 },
		{ .name = "excluded items still earn their quality points",
		  .items = { { 2, K_DYN, "电话", "张三", D(1, 5), 0, Q1, NULL },
		             { 2, K_DYN, "综合科", "", D(1, 6), 0, Q1, NULL },
		             { 2, K_ROUT, OK, D(1, 7), 0, Q1, NULL } },
		  .ads = { { 0, C_WEB, D(2, 1) }, { 1, C_BRIEF, D(2, 1) },
		           { 2, C_TING, D(2, 1) } },
		  .unit = 2, .submitted = 3, .counted = 0, .effective = 0,
		  .base = 0, .quality = 30 + 50 + 100, .total = 180 },
		{ .name = "quota of 2 met: the whole base",
		  .items = { { 2, K_DYN, OK, D(1, 5), 0, Q1, NULL },
		             { 2, K_EXP, OK, D(1, 6), 0, Q1, NULL } },
		  .ads = { { 1, C_WEB, D(1, 20) } },
		  .unit = 2, .submitted = 2, .counted = 2, .effective = 2,
		  .base = 600, .quality = 30, .total = 630 },
		{ .name = "one 困难问题 weighs 2: quota met (Art 10)",
		  .items = { { 2, K_PROB, OK, D(1, 5), 0, Q1, NULL } },
		  .unit = 2, .submitted = 1, .counted = 1, .effective = 2,
		  .base = 600, .quality = 0, .total = 600 },
		{ .name = "one short of the quota: no base at all",
		  .items = { { 2, K_DYN, OK, D(1, 5), 0, Q1, NULL },
		             { 2, K_DYN, "电话", "张三", D(1, 6), 0, Q1, NULL } },
		  .unit = 2, .submitted = 2, .counted = 1, .effective = 1,
		  .base = 0, .quality = 0, .total = 0 },
		{ .name = "proportional: 60 x 7 / 24 = 17.5",
		  .items = { { 0, K_DYN, OK, D(1, 5), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 6), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 7), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 8), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 9), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 10), 0, Q1, NULL },
		             { 0, K_DYN, OK, D(1, 11), 0, Q1, NULL } },
		  .policy = BASE_PROPORTIONAL,
		  .unit = 0, .submitted = 7, .counted = 7, .effective = 7,
		  .base = 175, .quality = 0, .total = 175 },
		{ .name = "late urgent items still count (Art 13)",
		  .items = { { 0, K_URG, "维稳办", "张三", EV + 120, EV, Q1, NULL },
		             { 0, K_URG, "维稳办", "张三", EV + 121, EV, Q1, NULL },
		             { 0, K_URG, "维稳办", "张三", EV + 600, 0, Q1, NULL },
		             { 0, K_DYN, "综合科", "张三", EV + 600, EV, Q1, NULL } },
		  .unit = 0, .submitted = 4, .counted = 4, .effective = 3 * 2 + 1,
		  .base = 0, .quality = 0, .total = 0 },
		{ .name = "司法部 adoption: 15 points (Art 12)",
		  .items = { { 1, K_DYN, OK, D(1, 5), 0, Q1, NULL } },
		  .ads = { { 0, C_MOJ, D(3, 1) } },
		  .unit = 1, .submitted = 1, .counted = 1, .effective = 1,
		  .base = 0, .quality = 150, .total = 150 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(score_cases); i++) {
		const struct score_case *c = &score_cases[i];
		size_t ni = 0, na = 0;
		rules_t ru = rules;
		ledger_t l;
		results_t r;
		const unit_result_t *u;

		while (ni < ARRAY_LEN(c->items) && c->items[ni].channel != NULL)
			ni++;
		while (na < ARRAY_LEN(c->ads) && c->ads[na].date != 0)
			na++;
		ru.base_policy = c->policy;
		make_ledger(&l, c->items, ni, c->ads, na);
		score_quarter(&reg, &ru, &l, Q1, &r);
		print_message("case: %s\n", c->name);
		u = &r.units[c->unit];
		assert_int_equal(u->submitted, c->submitted);
		assert_int_equal(u->counted, c->counted);
		assert_int_equal(u->effective, c->effective);
		assert_int_equal(u->base, c->base);
		assert_int_equal(u->quality, c->quality);
		assert_int_equal(u->total, c->total);
		results_free(&r);
		free_ledger(&l);
	}
}

/* ---- quota counting: table of single-item cases ------------------------------ */

struct count_case {
	const char *name;
	struct it item;
	enum exclusion why;
	int counted, effective;
};


static void
count_rules(void **state)
{
	const struct count_case count_cases[] = {
		{ "动态 counts 1", { 2, K_DYN, OK, D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 1 },
		{ "典型经验 counts 1", { 2, K_EXP, OK, D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 1 },
		{ "困难问题 counts 2 (Art 10)", { 2, K_PROB, OK, D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 2 },
		{ "重要紧急 counts 2 (Art 10)", { 2, K_URG, OK, D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 2 },
		{ "日常 never counts (Art 5)", { 2, K_ROUT, OK, D(1, 5), 0, Q1, NULL }, EXCL_ROUTINE, 0, 0 },
		{ "phone does not count (Art 8)", { 2, K_DYN, "电话", "张三", D(1, 5), 0, Q1, NULL }, EXCL_CHANNEL, 0, 0 },
		{ "empty channel does not count", { 2, K_DYN, "", "张三", D(1, 5), 0, Q1, NULL }, EXCL_CHANNEL, 0, 0 },
		{ "one accepted mailbox among several", { 2, K_DYN, "电话;督办科", "张三", D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 1 },
		{ "mailbox address, any case", { 2, K_DYN, "SiFaTingZHK@163.com", "张三", D(1, 5), 0, Q1, NULL }, EXCL_NONE, 1, 1 },
		{ "unsigned does not count (Art 11)", { 2, K_DYN, "综合科", "", D(1, 5), 0, Q1, NULL }, EXCL_UNSIGNED, 0, 0 },
		{ "日常 reported first", { 2, K_ROUT, "电话", "", D(1, 5), 0, Q1, NULL }, EXCL_ROUTINE, 0, 0 },
		{ "channel reported before signature", { 2, K_PROB, "传真", "", D(1, 5), 0, Q1, NULL }, EXCL_CHANNEL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(count_cases); i++) {
		const struct count_case *c = &count_cases[i];
		ledger_t l;
		results_t r;

		make_ledger(&l, &c->item, 1, NULL, 0);
		score_quarter(&reg, &rules, &l, Q1, &r);
		print_message("case: %s\n", c->name);
		assert_int_equal(r.nitems, 1);
		assert_int_equal(r.items[0].why, c->why);
		assert_int_equal(r.units[2].submitted, 1);
		assert_int_equal(r.units[2].counted, c->counted);
		assert_int_equal(r.units[2].effective, c->effective);
		results_free(&r);
		free_ledger(&l);
	}
}

/* ---- base points (Art 8) --------------------------------------------------- */

struct base_case {
	const char *name;
	enum base_policy policy;
	int nitems, kind;
	tenths base;
};

/* quota of unit c is 2 */
static const struct base_case base_cases[] = {
	{ "at quota", BASE_ALL_OR_NOTHING, 2, K_DYN, 600 },
	{ "above quota", BASE_ALL_OR_NOTHING, 3, K_DYN, 600 },
	{ "one below quota", BASE_ALL_OR_NOTHING, 1, K_DYN, 0 },
	{ "nothing", BASE_ALL_OR_NOTHING, 0, K_DYN, 0 },
	{ "quota through double weight", BASE_ALL_OR_NOTHING, 1, K_PROB, 600 },
	{ "proportional half", BASE_PROPORTIONAL, 1, K_DYN, 300 },
	{ "proportional at quota", BASE_PROPORTIONAL, 2, K_DYN, 600 },
	{ "proportional capped", BASE_PROPORTIONAL, 5, K_DYN, 600 },
	{ "proportional nothing", BASE_PROPORTIONAL, 0, K_DYN, 0 },
};

static void
base_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(base_cases); i++) {
		const struct base_case *c = &base_cases[i];
		struct it its[8];
		rules_t ru = rules;
		ledger_t l;
		results_t r;

		for (int k = 0; k < c->nitems; k++)
			its[k] = (struct it){ 2, c->kind, OK, D(1, 5 + k), 0, Q1, NULL };
		ru.base_policy = c->policy;
		make_ledger(&l, its, (size_t)c->nitems, NULL, 0);
		score_quarter(&reg, &ru, &l, Q1, &r);
		print_message("case: %s\n", c->name);
		assert_int_equal(r.units[2].base, c->base);
		assert_int_equal(r.units[2].met_quota, c->base == 600 && c->nitems * rules.kinds[c->kind].weight >= 2);
		results_free(&r);
		free_ledger(&l);
	}
}

/* ---- late urgent items (Art 13) ---------------------------------------------- */

static void
late_urgent(void **state)
{
	(void)state;
	tb_time ev = tb_time_make(2017, 2, 1, 8, 0);
	struct it its[] = {
		{ 0, K_URG, "维稳办", "张三", ev + 120, ev, Q1, NULL },   /* exactly 2 h: on time */
		{ 0, K_URG, "维稳办", "张三", ev + 121, ev, Q1, NULL },   /* late */
		{ 0, K_URG, "维稳办", "张三", ev + 600, 0, Q1, NULL },    /* no event time: not judged */
		{ 0, K_DYN, "综合科", "张三", ev + 600, ev, Q1, NULL },   /* not urgent */
	};
	ledger_t l;
	results_t r;

	make_ledger(&l, its, 4, NULL, 0);
	score_quarter(&reg, &rules, &l, Q1, &r);
	assert_int_equal(r.items[0].late_minutes, 0);
	assert_int_equal(r.items[1].late_minutes, 121);
	assert_int_equal(r.items[2].late_minutes, 0);
	assert_int_equal(r.items[3].late_minutes, 0);
	assert_int_equal(r.units[0].effective, 3 * 2 + 1);   /* late items still count */
	results_free(&r);
	free_ledger(&l);
}

/* ---- ranking (SPEC 2.2) ----------------------------------------------------- */

static void
rank_ties(void **state)
{
	(void)state;
	size_t g[] = { 0, 0, 0, 0, 1, 1, 1 };
	tenths v[] = { 50, 80, 50, 10, 0, 0, 5 };
	int rank[7];

	rank_within_groups(g, v, 7, rank);
	assert_int_equal(rank[1], 1);
	assert_int_equal(rank[0], 2);
	assert_int_equal(rank[2], 2);
	assert_int_equal(rank[3], 4);
	assert_int_equal(rank[6], 1);
	assert_int_equal(rank[4], 2);
	assert_int_equal(rank[5], 2);
}

/* Output order: group, rank, then registry order for ties. */
static void
output_order(void **state)
{
	(void)state;
	/* c and e tie with one item adopted by the portal each; d has nothing */
	struct it its[] = {
		{ 4, K_DYN, OK, D(1, 5), 0, Q1, NULL },
		{ 2, K_DYN, OK, D(1, 5), 0, Q1, NULL },
		{ 1, K_DYN, OK, D(1, 5), 0, Q1, NULL },
	};
	struct ad ads[] = { { 0, C_WEB, D(1, 9) }, { 1, C_WEB, D(1, 9) }, { 2, C_WEB, D(1, 9) } };
	ledger_t l;
	results_t r;

	make_ledger(&l, its, 3, ads, 3);
	score_quarter(&reg, &rules, &l, Q1, &r);
	/* group 1: b (3) first, then a (0); group 2: c, e tie at 3, then d */
	size_t want[] = { 1, 0, 2, 4, 3 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(r.order[i], want[i]);
	assert_int_equal(r.units[2].rank, 1);
	assert_int_equal(r.units[4].rank, 1);
	assert_int_equal(r.units[3].rank, 3);
	results_free(&r);
	free_ledger(&l);
}

/* ---- the year (Art 15) ----------------------------------------------------- */

static void
year_totals_and_workers(void **state)
{
	(void)state;
	struct it its[] = {
		{ 0, K_DYN, OK, D(1, 5), 0, Q1, "王五、赵六" },
		{ 1, K_DYN, OK, D(4, 5), 0, Q2, "钱七" },
	};
	struct ad ads[] = {
		{ 0, C_WEB, D(2, 1) },      /* Q1 +3 */
		{ 0, C_MOJ, D(4, 10) },     /* Q2 +12 */
		{ 1, C_TING, D(4, 20) },    /* Q2 +10 */
	};
	ledger_t l;
	results_t r[4];
	const results_t *rp[4];
	const ledger_t *lp[4];
	const registry_t *gp[4];
	annual_t a;
	honours_t hon[] = {
		{ .group = 0, .units = 1 },
		{ .group = 1, .units = 1 },
	};
	rules_t ru = rules;

	ru.honours = hon;
	ru.nhonours = 2;
	ru.honour_workers = 2;
	make_ledger(&l, its, 2, ads, 3);
	for (int k = 0; k < 4; k++) {
		score_quarter(&reg, &ru, &l, tb_quarter_make(2017, k + 1), &r[k]);
		rp[k] = &r[k];
		lp[k] = &l;
		gp[k] = &reg;
	}
	score_year(&reg, &ru, 2017, rp, lp, gp, &a);
	assert_int_equal(a.units[0].q[0], 30);
	assert_int_equal(a.units[0].q[1], 120);
	assert_int_equal(a.units[0].total, 150);
	assert_int_equal(a.units[1].total, 100);
	assert_int_equal(a.units[0].rank, 1);
	assert_true(a.units[0].honour);
	assert_false(a.units[1].honour);
	assert_false(a.units[2].honour);            /* nothing scored: no honour */
	/* workers: 王五 and 赵六 15 each (in full to each author), 钱七 10 */
	assert_int_equal(a.nworkers, 3);
	assert_string_equal(a.workers[0].author, "王五");
	assert_int_equal(a.workers[0].quality, 150);
	assert_int_equal(a.workers[0].items, 1);
	assert_int_equal(a.workers[1].quality, 150);
	assert_int_equal(a.workers[1].rank, 1);
	assert_string_equal(a.workers[2].author, "钱七");
	assert_int_equal(a.workers[2].rank, 3);
	assert_true(a.workers[0].honour);
	assert_true(a.workers[1].honour);
	assert_false(a.workers[2].honour);
	annual_free(&a);
	for (int k = 0; k < 4; k++)
		results_free(&r[k]);
	free_ledger(&l);
}

static void
format_tenths(void **state)
{
	(void)state;
	static const struct { tenths t; const char *s; } cases[] = {
		{ 0, "0" }, { 600, "60" }, { 175, "17.5" }, { 5, "0.5" }, { -30, "-3" },
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		tenths_format(cases[i].t, buf, sizeof buf);
		assert_string_equal(buf, cases[i].s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example),
		cmocka_unit_test(score_table),
		cmocka_unit_test(count_rules),
		cmocka_unit_test(base_rules),
		cmocka_unit_test(late_urgent),
		cmocka_unit_test(rank_ties),
		cmocka_unit_test(output_order),
		cmocka_unit_test(year_totals_and_workers),
		cmocka_unit_test(format_tenths),
	};

	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
