/*
 * test_tbtime.c - time parsing and formatting, civil-date arithmetic and
 * quarters (gen/tbtime.c).  Tables of input -> expected value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tbtime.h"

static void
test_parse_accepts(void **state)
{
	static const struct {
		const char *in;
		int y, mo, d, h, mi;
	} cases[] = {
		{ "2017-01-05",             2017, 1, 5, 0, 0 },
		{ "2017-01-05 09:30",       2017, 1, 5, 9, 30 },
		{ "2017-01-05 09:30:00",    2017, 1, 5, 9, 30 },
		{ "2017-01-05 09:30:59",    2017, 1, 5, 9, 30 },   /* seconds dropped */
		{ "2017/1/5 9:30",          2017, 1, 5, 9, 30 },
		{ "2017/1/5",               2017, 1, 5, 0, 0 },
		{ "2017/1/5 9:30:05",       2017, 1, 5, 9, 30 },
		{ "2017/12/31 23:59",       2017, 12, 31, 23, 59 },
		{ "2017-1-5",               2017, 1, 5, 0, 0 },
		{ "2017/01/05 09:30",       2017, 1, 5, 9, 30 },
		{ "  2017-01-05 09:30  ",   2017, 1, 5, 9, 30 },   /* surrounding spaces */
		{ "\t2017-01-05\t",         2017, 1, 5, 0, 0 },
		{ "2017-01-05   9:30",      2017, 1, 5, 9, 30 },
		{ "2017-01-05 00:00",       2017, 1, 5, 0, 0 },
		{ "2016-02-29",             2016, 2, 29, 0, 0 },   /* leap year */
		{ "2000-02-29",             2000, 2, 29, 0, 0 },   /* 400-year leap */
		{ "1900-01-01",             1900, 1, 1, 0, 0 },
		{ "9999-12-31 23:59",       9999, 12, 31, 23, 59 },
		{ "1970-01-01 00:00",       1970, 1, 1, 0, 0 },
		{ "2017-04-30",             2017, 4, 30, 0, 0 },
	};
	tb_time t, want;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 0;
		if (!tb_time_parse(cases[i].in, &t))
			fail_msg("rejected \"%s\"", cases[i].in);
		want = tb_time_make(cases[i].y, cases[i].mo, cases[i].d,
		    cases[i].h, cases[i].mi);
		if (t != want)
			fail_msg("\"%s\": got %lld want %lld", cases[i].in,
			    (long long)t, (long long)want);
	}
}

static void
test_parse_rejects(void **state)
{
	static const char *const cases[] = {
		"",
		"   ",
		"2017-02-30",           /* no such day */
		"2017-02-29",           /* not a leap year */
		"1900-02-29",           /* century, not leap */
		"2017-04-31",
		"2017-13-01",           /* month 13 */
		"2017-00-10",
		"2017-01-00",
		"2017-01-32",
		"2017-01-05 24:00",     /* hour > 23 */
		"2017-01-05 23:60",     /* minute > 59 */
		"2017-01-05 23:59:60",  /* second > 59 */
		"2017-01-05 09:30x",    /* trailing junk */
		"2017-01-05x",
		"2017-01-05 09:30:00 +0800",
		"2017-01-05 09",
		"2017-01-05 09:",
		"2017-01-05 9:5",       /* minutes need two digits */
		"2017-01-05 09:30:0",
		"2017-01-05T09:30",     /* 'T' not accepted */
		"2017-01/05",           /* mixed separators */
		"2017.01.05",
		"17-01-05",
		"20170105",
		"1899-12-31",           /* years 1900..9999 */
		"10000-01-01",
		"2017-001-05",
		"2017-01-005",
		"2017-01-05 009:30",
		"-2017-01-05",
		"2017年1月5日",
		"abc",
	};
	tb_time t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (tb_time_parse(cases[i], &t))
			fail_msg("accepted \"%s\"", cases[i]);
	assert_int_equal(t, 42);                /* untouched on failure */
	assert_false(tb_time_parse(NULL, &t));
}

static void
test_civil_days(void **state)
{
	static const struct { int y, m, d; int64_t days; } cases[] = {
		{ 1970, 1, 1, 0 },
		{ 1970, 1, 2, 1 },
		{ 1969, 12, 31, -1 },
		{ 2000, 3, 1, 11017 },
		{ 2017, 1, 1, 17167 },
		{ 1900, 1, 1, -25567 },
		{ 2016, 2, 29, 16860 },
	};
	int y, m, d;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(tb_days_from_civil(cases[i].y, cases[i].m,
		    cases[i].d), cases[i].days);
		tb_civil_from_days(cases[i].days, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
	}
	/* every day from 1900 to 2100 round-trips and is consecutive */
	for (int64_t days = tb_days_from_civil(1900, 1, 1);
	    days < tb_days_from_civil(2100, 1, 1); days++) {
		tb_civil_from_days(days, &y, &m, &d);
		assert_int_equal(tb_days_from_civil(y, m, d), days);
	}
}

static void
test_format(void **state)
{
	static const struct { const char *in, *iso, *cn; } cases[] = {
		{ "2017/4/5 9:03",    "2017-04-05 09:03", "2017年4月5日" },
		{ "2017-12-31 23:59", "2017-12-31 23:59", "2017年12月31日" },
		{ "1969-12-31 23:59", "1969-12-31 23:59", "1969年12月31日" },
		{ "1900-01-01",       "1900-01-01 00:00", "1900年1月1日" },
		{ "2017-10-01",       "2017-10-01 00:00", "2017年10月1日" },
	};
	char buf[64];
	tb_time t;
	int y, mo, d, h, mi;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(tb_time_parse(cases[i].in, &t));
		tb_time_format(t, buf, 17);            /* documented minimum */
		assert_string_equal(buf, cases[i].iso);
		tb_date_cn(t, buf, sizeof buf);
		assert_string_equal(buf, cases[i].cn);
	}
	tb_time_split(tb_time_make(1969, 12, 31, 23, 59), &y, &mo, &d, &h, &mi);
	assert_int_equal(y, 1969);
	assert_int_equal(mo, 12);
	assert_int_equal(d, 31);
	assert_int_equal(h, 23);
	assert_int_equal(mi, 59);
	tb_time_format(TB_TIME_NONE, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void
test_quarter_parse(void **state)
{
	static const struct { const char *in; int ok, y, q; } cases[] = {
		{ "2017Q1", 1, 2017, 1 },
		{ "2017q1", 1, 2017, 1 },
		{ "2017Q4", 1, 2017, 4 },
		{ "1999Q2", 1, 1999, 2 },
		{ "2017Q0", 0, 0, 0 },
		{ "2017Q5", 0, 0, 0 },
		{ "2017Q",  0, 0, 0 },
		{ "2017Q12", 0, 0, 0 },
		{ "2017Q1 ", 0, 0, 0 },
		{ " 2017Q1", 0, 0, 0 },
		{ "2017-Q1", 0, 0, 0 },
		{ "17Q1",   0, 0, 0 },
		{ "2017",   0, 0, 0 },
		{ "",       0, 0, 0 },
		{ "Q1",     0, 0, 0 },
	};
	tb_quarter q;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		q = -1;
		if (tb_quarter_parse(cases[i].in, &q) != (bool)cases[i].ok)
			fail_msg("\"%s\": wrong verdict", cases[i].in);
		if (!cases[i].ok)
			continue;
		assert_int_equal(tb_quarter_year(q), cases[i].y);
		assert_int_equal(tb_quarter_num(q), cases[i].q);
		tb_quarter_format(q, buf, 8);
		assert_int_equal(strlen(buf), 6);
		assert_int_equal(buf[4], 'Q');
		assert_int_equal(buf[5], '0' + cases[i].q);
	}
	assert_false(tb_quarter_parse(NULL, &q));
	assert_true(tb_quarter_parse("2017Q4", &q));
	assert_int_equal(q + 1, tb_quarter_make(2018, 1));      /* steps by 1 */
	tb_quarter_format(q + 1, buf, sizeof buf);
	assert_string_equal(buf, "2018Q1");
}

static void
test_quarter_bounds(void **state)
{
	static const struct { const char *t, *q; } of[] = {
		{ "2017-01-01 00:00", "2017Q1" },
		{ "2017-03-31 23:59", "2017Q1" },
		{ "2017-04-01 00:00", "2017Q2" },
		{ "2017-06-30 23:59", "2017Q2" },
		{ "2017-07-01 00:00", "2017Q3" },
		{ "2017-09-30 23:59", "2017Q3" },
		{ "2017-10-01 00:00", "2017Q4" },
		{ "2017-12-31 23:59", "2017Q4" },
		{ "2018-01-01 00:00", "2018Q1" },
		{ "1969-12-31 23:59", "1969Q4" },
	};
	tb_time t;
	tb_quarter q, want;
	char s[20], e[20];

	(void)state;
	for (size_t i = 0; i < sizeof of / sizeof of[0]; i++) {
		assert_true(tb_time_parse(of[i].t, &t));
		assert_true(tb_quarter_parse(of[i].q, &want));
		q = tb_quarter_of(t);
		if (q != want)
			fail_msg("%s: quarter %d want %d", of[i].t, q, want);
		/* the quarter's span holds the time */
		assert_true(tb_quarter_start(q) <= t);
		assert_true(t < tb_quarter_end(q));
	}
	assert_true(tb_quarter_parse("2017Q1", &q));
	tb_time_format(tb_quarter_start(q), s, sizeof s);
	tb_time_format(tb_quarter_end(q), e, sizeof e);
	assert_string_equal(s, "2017-01-01 00:00");
	assert_string_equal(e, "2017-04-01 00:00");
	assert_true(tb_quarter_parse("2017Q4", &q));
	tb_time_format(tb_quarter_start(q), s, sizeof s);
	tb_time_format(tb_quarter_end(q), e, sizeof e);
	assert_string_equal(s, "2017-10-01 00:00");
	assert_string_equal(e, "2018-01-01 00:00");
	assert_int_equal(tb_quarter_end(q) - tb_quarter_start(q), 92 * 1440);
}

/* The day of a time is a floor: the last minute before 1970 is day -1,
 * so "adopted before it was submitted" compares right on either side. */
static void
test_day(void **state)
{
	static const struct { int y, mo, d, h, mi; int64_t day; const char *s; } cases[] = {
		{ 1970, 1, 1, 0, 0, 0, "1970-01-01" },
		{ 1969, 12, 31, 23, 59, -1, "1969-12-31" },
		{ 1969, 12, 31, 0, 0, -1, "1969-12-31" },
		{ 1900, 1, 1, 12, 0, -25567, "1900-01-01" },
		{ 2017, 1, 5, 9, 30, 17171, "2017-01-05" },
		{ 2017, 1, 5, 0, 0, 17171, "2017-01-05" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tb_time t = tb_time_make(cases[i].y, cases[i].mo, cases[i].d,
		    cases[i].h, cases[i].mi);
		assert_int_equal(tb_day(t), cases[i].day);
		tb_day_format(tb_day(t), buf, sizeof buf);
		assert_string_equal(buf, cases[i].s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_quarter_parse),
		cmocka_unit_test(test_quarter_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
