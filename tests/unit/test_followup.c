/*
 * test_followup.c - the follow-up of directives (Art 4, gen/score/followup.c) as
 * table-driven cases: a case is a few directives, a few linked submissions
 * and the quarter asked; the expectation is every obligation, one line each,
 * "UNIT KIND[-N] DEADLINE ITEM STATUS [listed]" (ITEM "-" when none), in
 * the order followup_quarter gives them.  The rules are the shipped ones:
 * plan within 7 days, progress within 60, long-running periods of 90.
 * Also followup_csv's exact bytes, and the notice's section 二 (五) and
 * attachment 4 built from them (wording from templates/notice.xml; runs
 * from the top of the tree).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "followup.h"
#include "notice.h"
#include "util.h"

/* ---- fixture ---------------------------------------------------------------- */

static group_t groups[] = { { .id = "city", .name = "市州司法局" } };
static category_t cats[] = {
	{ .id = "city-bureau", .name = "市州", .group = 0, .quota = 24 },
};
static unit_t units[] = {
	{ .id = "wuhan", .name = "武汉市司法局", .category = 0, .group = 0 },
	{ .id = "huangshi", .name = "黄石市司法局", .category = 0, .group = 0 },
	{ .id = "shiyan", .name = "十堰市司法局", .category = 0, .group = 0 },
};
static registry_t reg = { .groups = groups, .ngroups = 1, .cats = cats,
    .ncats = 1, .units = units, .nunits = 3 };
static rules_t rules = {
	.urgent_limit_minutes = 120, .base_points = 600,
	.base_policy = BASE_ALL_OR_NOTHING, .honour_workers = 3,
	.plan_days = 7, .progress_days = 60, .long_running_period_days = 90,
};

#define Q(y, n) ((y) * 4 + (n) - 1)
#define MAXU 3
#define MAXD 3
#define MAXI 8
#define MAXE 16

struct tdir {
	const char *id;
	const char *issued;       /* tb_time_parse form */
	bool        long_running;
	int         units[MAXU];  /* unit indexes, ended by -1 */
};

struct titem {
	const char *id;
	int         unit;
	const char *submitted;
	const char *directive;
};

struct tcase {
	const char   *name;
	tb_quarter    q;
	struct tdir   dirs[MAXD];    /* ended by id NULL */
	struct titem  items[MAXI];   /* ended by id NULL */
	const char   *expect[MAXE];  /* ended by NULL */
};

static const struct tcase cases[] = {
	{ "on the day: plan on day T+7, progress on day T+60", Q(2017, 1),
	  { { "D1", "2017-01-10", false, { 0, -1 } } },
	  { { "A", 0, "2017-01-17 23:59", "D1" }, { "B", 0, "2017-03-11 18:00", "D1" } },
	  { "wuhan plan 2017-01-17 A on_time listed",
	    "wuhan progress 2017-03-11 B on_time listed" } },
	{ "a day late: plan on T+8, progress on T+61", Q(2017, 2),
	  { { "D1", "2017-01-10 15:00", false, { 0, -1 } } },
	  { { "A", 0, "2017-01-18 00:00", "D1" }, { "B", 0, "2017-03-12 08:00", "D1" } },
	  /* both settled in Q1: not listed in Q2 */
	  { "wuhan plan 2017-01-17 A late",
	    "wuhan progress 2017-03-11 B late" } },
	{ "never: overdue when the deadline passed, pending when not", Q(2017, 1),
	  { { "D1", "2017-01-10", false, { 0, 1, -1 } },
	    { "D2", "2017-03-20", false, { 2, -1 } } },
	  { { NULL, 0, NULL, NULL } },
	  { "wuhan plan 2017-01-17 - overdue listed",
	    "wuhan progress 2017-03-11 - overdue listed",
	    "huangshi plan 2017-01-17 - overdue listed",
	    "huangshi progress 2017-03-11 - overdue listed",
	    "shiyan plan 2017-03-27 - overdue listed",
	    "shiyan progress 2017-05-19 - pending listed" } },
	{ "a deadline on the quarter's last day has passed at its end", Q(2017, 4),
	  { { "D1", "2017-11-01", false, { 1, -1 } } },
	  { { "A", 1, "2017-11-06", "D1" } },
	  { "huangshi plan 2017-11-08 A on_time listed",
	    "huangshi progress 2017-12-31 - overdue listed" } },
	{ "reported late in a later quarter: overdue, then late", Q(2017, 2),
	  { { "D1", "2017-03-20", false, { 0, -1 } } },
	  { { "A", 0, "2017-04-05", "D1" }, { "B", 0, "2017-05-19", "D1" } },
	  { "wuhan plan 2017-03-27 A late listed",
	    "wuhan progress 2017-05-19 B on_time listed" } },
	{ "the same directive as of Q1: the April report is not known yet", Q(2017, 1),
	  { { "D1", "2017-03-20", false, { 0, -1 } } },
	  { { "A", 0, "2017-04-05", "D1" }, { "B", 0, "2017-05-19", "D1" } },
	  { "wuhan plan 2017-03-27 - overdue listed",
	    "wuhan progress 2017-05-19 - pending listed" } },
	{ "an item before the directive was issued does not count", Q(2017, 1),
	  { { "D1", "2017-02-10 10:00", false, { 0, -1 } } },
	  { { "A", 0, "2017-02-10 09:59", "D1" }, { "B", 0, "2017-02-10 10:00", "D1" } },
	  { "wuhan plan 2017-02-17 B on_time listed",
	    "wuhan progress 2017-04-11 - pending listed" } },
	{ "one early report does not serve as both plan and progress", Q(2017, 2),
	  { { "D1", "2017-01-10", false, { 0, -1 } } },
	  { { "A", 0, "2017-01-12", "D1" } },
	  { "wuhan plan 2017-01-17 A on_time",
	    "wuhan progress 2017-03-11 - overdue listed" } },
	{ "a unit responsible for two directives", Q(2017, 1),
	  { { "D1", "2017-01-10", false, { 0, 1, -1 } },
	    { "D2", "2017-02-06", false, { 0, -1 } } },
	  { { "A", 0, "2017-01-11", "D1" }, { "B", 0, "2017-02-08", "D2" },
	    { "C", 0, "2017-02-20", "D1" }, { "E", 1, "2017-01-20", "D1" },
	    { "F", 0, "2017-03-01", "D2" } },
	  { "wuhan plan 2017-01-17 A on_time listed",
	    "wuhan progress 2017-03-11 C on_time listed",
	    "huangshi plan 2017-01-17 E late listed",
	    "huangshi progress 2017-03-11 - overdue listed",
	    "wuhan plan 2017-02-13 B on_time listed",
	    "wuhan progress 2017-04-07 F on_time listed" } },
	{ "long-running: periods of 90 days after the progress deadline", Q(2017, 4),
	  { { "D1", "2017-01-10", true, { 0, -1 } } },
	  { { "A", 0, "2017-01-12", "D1" }, { "B", 0, "2017-02-20", "D1" },
	    { "C", 0, "2017-03-10", "D1" },      /* before period 1: ignored */
	    { "E", 0, "2017-05-01", "D1" }, { "F", 0, "2017-09-08", "D1" },
	    { "G", 0, "2017-12-07", "D1" } },
	  { "wuhan plan 2017-01-17 A on_time",
	    "wuhan progress 2017-03-11 B on_time",
	    "wuhan periodic-1 2017-06-09 E on_time",
	    "wuhan periodic-2 2017-09-07 - overdue listed",
	    "wuhan periodic-3 2017-12-06 F on_time listed",
	    "wuhan periodic-4 2018-03-06 G on_time listed" } },
	{ "long-running as of Q2: the second period has begun", Q(2017, 2),
	  { { "D1", "2017-01-10", true, { 0, -1 } } },
	  { { "A", 0, "2017-01-12", "D1" }, { "B", 0, "2017-02-20", "D1" },
	    { "E", 0, "2017-06-09 23:00", "D1" }, { "F", 0, "2017-06-10", "D1" } },
	  { "wuhan plan 2017-01-17 A on_time",
	    "wuhan progress 2017-03-11 B on_time",
	    "wuhan periodic-1 2017-06-09 E on_time listed",
	    "wuhan periodic-2 2017-09-07 F on_time listed" } },
	{ "long-running, a late progress report leaves period 1 open", Q(2017, 2),
	  { { "D1", "2017-01-10", true, { 0, -1 } } },
	  { { "A", 0, "2017-01-12", "D1" }, { "B", 0, "2017-04-20", "D1" } },
	  { "wuhan plan 2017-01-17 A on_time",
	    "wuhan progress 2017-03-11 B late listed",
	    "wuhan periodic-1 2017-06-09 - overdue listed",
	    "wuhan periodic-2 2017-09-07 - pending listed" } },
	{ "a directive issued after the quarter is not there yet", Q(2017, 1),
	  { { "D1", "2017-04-01", false, { 0, -1 } } },
	  { { NULL, 0, NULL, NULL } },
	  { NULL } },
	{ "a report dated by day only, on the issue day, may be after it: counts",
	  Q(2017, 1),
	  { { "D1", "2017-02-10 10:00", false, { 0, 1, -1 } } },
	  { { "A", 0, "2017-02-10", "D1" }, { "B", 1, "2017-02-09", "D1" } },
	  { "wuhan plan 2017-02-17 A on_time listed",
	    "wuhan progress 2017-04-11 - pending listed",
	    "huangshi plan 2017-02-17 - overdue listed",
	    "huangshi progress 2017-04-11 - pending listed" } },
};

/* ---- building a ledger from a case -------------------------------------------- */

struct built {
	ledger_t    led;
	directive_t dirs[MAXD];
	size_t      units[MAXD][MAXU];
	item_t      items[MAXI];
};

static tb_time
when(const char *s)
{
	tb_time t = 0;

	assert_true(tb_time_parse(s, &t));
	return t;
}

static void
build(const struct tcase *c, struct built *b)
{
	memset(b, 0, sizeof *b);
	for (size_t d = 0; d < MAXD && c->dirs[d].id != NULL; d++) {
		directive_t *dir = &b->dirs[d];

		dir->id = (char *)c->dirs[d].id;
		dir->title = (char *)"事项";
		dir->issued = when(c->dirs[d].issued);
		dir->long_running = c->dirs[d].long_running;
		dir->units = b->units[d];
		for (size_t k = 0; k < MAXU && c->dirs[d].units[k] >= 0; k++)
			b->units[d][dir->nunits++] = (size_t)c->dirs[d].units[k];
		b->led.ndirectives++;
	}
	for (size_t i = 0; i < MAXI && c->items[i].id != NULL; i++) {
		item_t *it = &b->items[i];

		it->id = (char *)c->items[i].id;
		it->unit = (size_t)c->items[i].unit;
		assert_true(tb_time_parse_ex(c->items[i].submitted,
		    &it->submitted, &it->submitted_day));
		it->event = TB_TIME_NONE;
		it->directive = (char *)c->items[i].directive;
		it->quarter = tb_quarter_of(it->submitted);
		b->led.nitems++;
	}
	b->led.directives = b->dirs;
	b->led.items = b->items;
}

static char *
describe(const ledger_t *led, const fu_obligation_t *o)
{
	char kind[32], day[16];
	int y, m, d;

	if (o->kind == FU_PERIODIC)
		snprintf(kind, sizeof kind, "periodic-%d", o->period);
	else
		snprintf(kind, sizeof kind, "%s", followup_kind_name(o->kind));
	tb_civil_from_days(o->deadline, &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	return xasprintf("%s %s %s %s %s%s", units[o->unit].id, kind, day,
	    o->item == FU_NO_ITEM ? "-" : led->items[o->item].id,
	    followup_status_name(o->status), o->listed ? " listed" : "");
}

static void
test_cases(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
		const struct tcase *tc = &cases[c];
		struct built b;
		followup_t fu;
		size_t n = 0, listed = 0, counted = 0;

		build(tc, &b);
		assert_int_equal(followup_quarter(&reg, &rules, &b.led, tc->q, &fu), 0);
		while (n < MAXE && tc->expect[n] != NULL)
			n++;
		for (size_t i = 0; i < fu.n || i < n; i++) {
			char *got = i < fu.n ? describe(&b.led, &fu.v[i]) : xstrdup("(none)");
			const char *want = i < n ? tc->expect[i] : "(none)";

			if (strcmp(got, want) != 0) {
				print_error("case \"%s\", obligation %zu:\n  want %s\n  got  %s\n",
				    tc->name, i, want, got);
				failed = 1;
			}
			free(got);
		}
		for (size_t i = 0; i < fu.n; i++)
			listed += fu.v[i].listed;
		for (size_t s = 0; s < 4; s++)
			counted += fu.count[s];
		if (listed != counted) {
			print_error("case \"%s\": %zu listed, counts add to %zu\n",
			    tc->name, listed, counted);
			failed = 1;
		}
		assert_int_equal(fu.quarter, tc->q);
		followup_free(&fu);
	}
	assert_int_equal(failed, 0);
}

/* The counts and the number of directives listed. */
static void
test_counts(void **state)
{
	const struct tcase *tc = &cases[8];     /* two directives */
	struct built b;
	followup_t fu;

	(void)state;
	build(tc, &b);
	followup_quarter(&reg, &rules, &b.led, tc->q, &fu);
	assert_int_equal(fu.ndirectives, 2);
	assert_int_equal(fu.count[FU_ON_TIME], 4);
	assert_int_equal(fu.count[FU_LATE], 1);
	assert_int_equal(fu.count[FU_OVERDUE], 1);
	assert_int_equal(fu.count[FU_PENDING], 0);
	followup_free(&fu);

	/* the long-running case as of Q4: plan and progress settled in Q1 */
	build(&cases[9], &b);
	followup_quarter(&reg, &rules, &b.led, cases[9].q, &fu);
	assert_int_equal(fu.ndirectives, 1);
	assert_int_equal(fu.count[FU_ON_TIME], 2);
	assert_int_equal(fu.count[FU_OVERDUE], 1);
	followup_free(&fu);

	/* nothing issued yet: nothing listed */
	build(&cases[12], &b);
	followup_quarter(&reg, &rules, &b.led, cases[12].q, &fu);
	assert_int_equal(fu.n, 0);
	assert_int_equal(fu.ndirectives, 0);
	followup_free(&fu);
}

/* No periods when the rules set none. */
static void
test_no_period(void **state)
{
	rules_t r = rules;
	struct built b;
	followup_t fu;

	(void)state;
	r.long_running_period_days = 0;
	build(&cases[9], &b);
	followup_quarter(&reg, &r, &b.led, cases[9].q, &fu);
	assert_int_equal(fu.n, 2);
	followup_free(&fu);
}

static void
test_csv(void **state)
{
	static const char want[] =
	    "quarter,directive,title,issued,long_running,unit_id,unit_name,"
	    "obligation,period,deadline,item,reported,status\n"
	    "2017Q2,D1,\"学习, 贯彻\",2017-01-10,1,wuhan,武汉市司法局,progress,,"
	    "2017-03-11,B,2017-04-20 09:30,late\n"
	    "2017Q2,D1,\"学习, 贯彻\",2017-01-10,1,wuhan,武汉市司法局,periodic,1,"
	    "2017-06-09,,,overdue\n"
	    "2017Q2,D1,\"学习, 贯彻\",2017-01-10,1,wuhan,武汉市司法局,periodic,2,"
	    "2017-09-07,,,pending\n";
	struct built b;
	followup_t fu;
	buf_t out;

	(void)state;
	build(&cases[11], &b);
	b.dirs[0].title = (char *)"学习, 贯彻";
	b.items[1].submitted = when("2017-04-20 09:30");
	followup_quarter(&reg, &rules, &b.led, cases[11].q, &fu);
	buf_init(&out);
	buf_puts(&out, "");
	followup_csv(&reg, &b.led, &fu, &out);
	assert_string_equal(out.data, want);
	buf_free(&out);
	followup_free(&fu);
}

/* ---- the notice ---------------------------------------------------------------- */

/* The quarterly notice of a case with empty results (no items scored). */
static doc_t *
notice_of(const struct tcase *tc, struct built *b, diag_list_t *dl)
{
	static unit_result_t ur[3] = { { .unit = 0, .rank = 1 },
	    { .unit = 1, .rank = 1 }, { .unit = 2, .rank = 1 } };
	static size_t order[3] = { 0, 1, 2 };
	results_t res;
	followup_t fu;
	doc_t *d;

	memset(&res, 0, sizeof res);
	res.quarter = tc->q;
	res.units = ur;
	res.nunits = 3;
	res.order = order;
	build(tc, b);
	assert_int_equal(followup_quarter(&reg, &rules, &b->led, tc->q, &fu), 0);
	d = notice_quarter(&reg, &rules, &b->led, &res, NULL, &fu, "templates",
	    NULL, dl);
	followup_free(&fu);         /* the notice keeps no pointer into it */
	return d;
}

static char *
body_text(const doc_section_t *s)
{
	buf_t b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < s->nblocks; i++) {
		if (s->blocks[i].text != NULL)
			buf_printf(&b, "%s\n", s->blocks[i].text);
		for (size_t k = 0; k < s->blocks[i].nitems; k++)
			buf_printf(&b, "%s\n", s->blocks[i].items[k]);
	}
	return buf_steal(&b);
}

static void
test_notice_section(void **state)
{
	struct built b;
	diag_list_t dl = { 0 };
	doc_t *d;
	char *body;
	const doc_section_t *a4;
	const doc_table_t *t[2] = { NULL, NULL };
	size_t nt = 0;

	(void)state;
	d = notice_of(&cases[8], &b, &dl);      /* two directives, Q1 */
	diag_print(&dl, stderr);
	assert_non_null(d);
	body = body_text(&d->body);
	assert_non_null(strstr(body, "（六）督办事项落实情况\n"));
	assert_non_null(strstr(body, "截至第一季度末，厅办公室跟踪督办事项2项，"
	    "各责任单位应报送落实情况6次，其中按时报送4次，逾期报送1次，"
	    "逾期未报送1次，未到报送时限0次（详见附件5）。"));
	assert_non_null(strstr(body, "以下单位逾期未报送督办事项落实情况，请抓紧报送：\n"
	    "事项（D1）：黄石市司法局（贯彻落实情况）。\n"));
	/* the section closes 二 and comes before 三 */
	assert_true(strstr(body, "督办事项落实情况\n") < strstr(body, "三、"));
	free(body);

	assert_int_equal(d->nattachments, 5);
	assert_string_equal(d->attach_note[4], "5.2017年第一季度督办事项落实情况");
	a4 = &d->attachments[4];
	for (size_t i = 0; i < a4->nblocks; i++)
		if (a4->blocks[i].table != NULL && nt < 2)
			t[nt++] = a4->blocks[i].table;
	assert_int_equal(nt, 2);
	assert_string_equal(t[0]->caption, "D1　事项（2017年1月10日下达）");
	assert_int_equal(t[0]->ncols, 5);
	assert_string_equal(t[0]->head[4], "落实情况");
	assert_int_equal(t[0]->nrows, 4);
	assert_int_equal(t[1]->nrows, 2);
	/* huangshi: plan late, progress not reported */
	assert_string_equal(t[0]->cells[2][0], "黄石市司法局");
	assert_string_equal(t[0]->cells[2][1], "学习传达情况及贯彻落实计划");
	assert_string_equal(t[0]->cells[2][2], "2017年1月17日");
	assert_string_equal(t[0]->cells[2][3], "2017年1月20日");
	assert_string_equal(t[0]->cells[2][4], "逾期报送");
	assert_string_equal(t[0]->cells[3][1], "贯彻落实情况");
	assert_string_equal(t[0]->cells[3][3], "—");
	assert_string_equal(t[0]->cells[3][4], "逾期未报送");
	doc_free(d);
	diag_free(&dl);

	/* long-running, nothing overdue as of Q2: periods named, no names */
	d = notice_of(&cases[10], &b, &dl);
	assert_non_null(d);
	body = body_text(&d->body);
	assert_non_null(strstr(body, "截至第二季度末，各责任单位均无逾期未报送的"
	    "督办事项落实情况。"));
	free(body);
	a4 = &d->attachments[4];
	for (size_t i = 0; i < a4->nblocks; i++) {
		const doc_table_t *tt = a4->blocks[i].table;

		if (tt == NULL)
			continue;
		assert_non_null(strstr(tt->caption, "长期推进事项，每90天报送一次阶段性进展"));
		assert_int_equal(tt->nrows, 2);
		assert_string_equal(tt->cells[1][1], "第2期阶段性进展");
	}
	doc_free(d);
	diag_free(&dl);

	/* nothing to follow up this quarter: no section, no attachment 5 */
	d = notice_of(&cases[12], &b, &dl);
	assert_non_null(d);
	body = body_text(&d->body);
	assert_null(strstr(body, "督办"));
	free(body);
	assert_int_equal(d->nattachments, 4);
	doc_free(d);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_no_period),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_notice_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
