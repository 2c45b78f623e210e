/*
 * test_tbtime.c - time parsing and formatting, civil-date arithmetic and
 * quarters (gen/base/tbtime.c).  Tables of input -> expected value.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
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
		"2017-01/05",           /* mixed separators */
		"17-01-05",
		"1899-12-31",           /* years 1900..9999 */
		"10000-01-01",
		"2017-001-05",
		"2017-01-005",
		"2017-01-05 009:30",
		"-2017-01-05",
		"abc",
		/* 2017-01-05T09:30, 2017.01.05, 20170105 and 2017年1月5日 were
		 * refused here before SPEC 3.4: see test_parse_ex */
	};
	tb_time t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (tb_time_parse(cases[i], &t))
			fail_msg("accepted \"%s\"", cases[i]);
	assert_int_equal(t, 42);                /* untouched on failure */
	assert_false(tb_time_parse(NULL, &t));
}

/*
 * Every form of SPEC 3.1 and 3.4 through tb_time_parse_ex: input ->
 * (y, mo, d, h, mi, date_only), or refused (ok 0).  "\u3000" is the
 * ideographic space; "２０１７" etc. are full-width digits.
 */
#define IDSP "\xe3\x80\x80"            /* U+3000 */
static const struct parse_case {
	const char *in;
	int ok, y, mo, d, h, mi, date_only;
} parse_cases[] = {
	/* ISO with '-', optional clock time after blanks or 'T' */
	{ "2017-01-05",                 1, 2017, 1, 5, 0, 0, 1 },
	{ "2017-1-5",                   1, 2017, 1, 5, 0, 0, 1 },
	{ "2017-01-05 09:30",           1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-01-05 09:30:00",        1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-01-05 09:30:59",        1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-01-05 00:00",           1, 2017, 1, 5, 0, 0, 0 },   /* a clock time */
	{ "2017-01-05T09:30",           1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-01-05T09:30:15",        1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-01-05 9时30分",          1, 2017, 1, 5, 9, 30, 0 },
	{ "2017-12-31 23:59:59",        1, 2017, 12, 31, 23, 59, 0 },
	/* '/' and '.' */
	{ "2017/1/5 9:30",              1, 2017, 1, 5, 9, 30, 0 },
	{ "2017/1/5",                   1, 2017, 1, 5, 0, 0, 1 },
	{ "2017/01/05 09:30:05",        1, 2017, 1, 5, 9, 30, 0 },
	{ "2017.1.5",                   1, 2017, 1, 5, 0, 0, 1 },
	{ "2017.01.05",                 1, 2017, 1, 5, 0, 0, 1 },
	{ "2017.01.05 9:30",            1, 2017, 1, 5, 9, 30, 0 },
	/* 年月日, clock time after blanks or right after 日 */
	{ "2017年1月5日",                1, 2017, 1, 5, 0, 0, 1 },
	{ "2017年01月05日",              1, 2017, 1, 5, 0, 0, 1 },
	{ "2017年1月5日 9:30",           1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日9:30",            1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日 09:30:00",       1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日9时30分",         1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日 9时5分",         1, 2017, 1, 5, 9, 5, 0 },
	{ "2017年1月5日9时05分",         1, 2017, 1, 5, 9, 5, 0 },
	{ "2017年1月5日9时05分30秒",     1, 2017, 1, 5, 9, 5, 0 },
	{ "2017年1月5日9时",             1, 2017, 1, 5, 9, 0, 0 },
	{ "2017年1月5日 0时",            1, 2017, 1, 5, 0, 0, 0 },
	{ "2017年1月5日9点",             1, 2017, 1, 5, 9, 0, 0 },
	{ "2017年1月5日9点30分",         1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日 23点59分",       1, 2017, 1, 5, 23, 59, 0 },
	/* YYYYMMDD */
	{ "20170105",                   1, 2017, 1, 5, 0, 0, 1 },
	{ "20170105 09:30",             1, 2017, 1, 5, 9, 30, 0 },
	{ "20161231",                   1, 2016, 12, 31, 0, 0, 1 },
	/* full-width digits and punctuation, U+3000 and tab padding */
	{ "２０１７－０１－０５　０９：３０", 1, 2017, 1, 5, 9, 30, 0 },
	{ "２０１７／１／５",             1, 2017, 1, 5, 0, 0, 1 },
	{ "２０１７．１．５",             1, 2017, 1, 5, 0, 0, 1 },
	{ "２０１７年１月５日９时３０分", 1, 2017, 1, 5, 9, 30, 0 },
	{ "２０１７０１０５",             1, 2017, 1, 5, 0, 0, 1 },
	{ "2017－1-5",                  1, 2017, 1, 5, 0, 0, 1 },   /* － reads as - */
	{ IDSP "2017年1月5日" IDSP,     1, 2017, 1, 5, 0, 0, 1 },
	{ IDSP IDSP " 2017-01-05" IDSP "9:30 " IDSP, 1, 2017, 1, 5, 9, 30, 0 },
	{ "\t2017/1/5\t9:30\t",         1, 2017, 1, 5, 9, 30, 0 },
	{ "2017年1月5日" IDSP "9时30分", 1, 2017, 1, 5, 9, 30, 0 },
	/* Excel serial dates, 1900 system */
	{ "42740",                      1, 2017, 1, 5, 0, 0, 1 },
	{ "42740.3958",                 1, 2017, 1, 5, 9, 30, 0 },
	{ "42740.5",                    1, 2017, 1, 5, 12, 0, 0 },
	{ "42740.0",                    1, 2017, 1, 5, 0, 0, 1 },   /* zeros: no time */
	{ "42740.000",                  1, 2017, 1, 5, 0, 0, 1 },
	{ "42740.0000001",              1, 2017, 1, 5, 0, 0, 0 },   /* a time, 00:00 */
	{ "42740.999999",               1, 2017, 1, 6, 0, 0, 0 },   /* rounds to next day */
	{ "42740.99999999999999999999", 1, 2017, 1, 6, 0, 0, 0 },
	{ "４２７４０．３９５８",         1, 2017, 1, 5, 9, 30, 0 },
	{ IDSP " 42740 " IDSP,          1, 2017, 1, 5, 0, 0, 1 },
	{ "61",                         1, 1900, 3, 1, 0, 0, 1 },
	{ "62",                         1, 1900, 3, 2, 0, 0, 1 },
	{ "99999",                      1, 2173, 10, 13, 0, 0, 1 },   /* the last text serial */
	{ "99999.999",                  1, 2173, 10, 13, 23, 59, 0 },
	{ "100000",                     0, 0, 0, 0, 0, 0, 0 },   /* 6 digits: no serial */
	/* the year range */
	{ "1900-01-01",                 1, 1900, 1, 1, 0, 0, 1 },
	{ "9999-12-31 23:59",           1, 9999, 12, 31, 23, 59, 0 },
	{ "2016年2月29日",               1, 2016, 2, 29, 0, 0, 1 },

	/* refused: empty, blanks only */
	{ "",                           0, 0, 0, 0, 0, 0, 0 },
	{ "   ",                        0, 0, 0, 0, 0, 0, 0 },
	{ IDSP,                         0, 0, 0, 0, 0, 0, 0 },
	/* two different separators */
	{ "2017-1/5",                   0, 0, 0, 0, 0, 0, 0 },
	{ "2017.1/5",                   0, 0, 0, 0, 0, 0, 0 },
	{ "2017/1.5",                   0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1-5",                   0, 0, 0, 0, 0, 0, 0 },
	/* impossible dates */
	{ "2017-02-30",                 0, 0, 0, 0, 0, 0, 0 },
	{ "2017年13月1日",               0, 0, 0, 0, 0, 0, 0 },
	{ "2017年2月29日",               0, 0, 0, 0, 0, 0, 0 },
	{ "2017年0月1日",                0, 0, 0, 0, 0, 0, 0 },
	{ "2017.4.31",                  0, 0, 0, 0, 0, 0, 0 },
	{ "20170230",                   0, 0, 0, 0, 0, 0, 0 },
	{ "20171305",                   0, 0, 0, 0, 0, 0, 0 },
	{ "12345678",                   0, 0, 0, 0, 0, 0, 0 },   /* 8 digits: never a serial */
	{ "18991231",                   0, 0, 0, 0, 0, 0, 0 },
	{ "1899年12月31日",              0, 0, 0, 0, 0, 0, 0 },
	/* more than 2 digits of month/day, missing parts */
	{ "2017-001-05",                0, 0, 0, 0, 0, 0, 0 },
	{ "2017.1.005",                 0, 0, 0, 0, 0, 0, 0 },
	{ "2017年001月5日",              0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月005日",              0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5",                  0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月",                   0, 0, 0, 0, 0, 0, 0 },
	{ "2017 年1月5日",               0, 0, 0, 0, 0, 0, 0 },
	{ "201701051",                  0, 0, 0, 0, 0, 0, 0 },   /* 9 digits */
	{ "2017015",                    0, 0, 0, 0, 0, 0, 0 },   /* a digit lost, no serial */
	/* bad clock times */
	{ "2017-01-05 24:00",           0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05 9:5",             0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05 09",              0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05T",                0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05 T09:30",          0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05T9时30分",          0, 0, 0, 0, 0, 0, 0 },   /* 'T' takes H:MM only */
	{ "2017/1/5T9:30",              0, 0, 0, 0, 0, 0, 0 },   /* 'T' for the ISO form */
	{ "20170105T0930",              0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-059:30",             0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日 24时",           0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9时60分",         0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9时30",           0, 0, 0, 0, 0, 0, 0 },   /* 分 missing */
	{ "2017年1月5日9时30分60秒",     0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9时30分5",        0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9时300分",        0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日 9",              0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9分",             0, 0, 0, 0, 0, 0, 0 },
	/* trailing junk */
	{ "2017-01-05x",                0, 0, 0, 0, 0, 0, 0 },
	{ "2017.1.5.",                  0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日x",               0, 0, 0, 0, 0, 0, 0 },
	{ "2017年1月5日9时30分x",        0, 0, 0, 0, 0, 0, 0 },
	{ "２０１７－０１－０５ｘ",       0, 0, 0, 0, 0, 0, 0 },
	{ "42740x",                     0, 0, 0, 0, 0, 0, 0 },
	{ "42740 9:30",                 0, 0, 0, 0, 0, 0, 0 },
	{ "42740.5.5",                  0, 0, 0, 0, 0, 0, 0 },
	{ "42 740",                     0, 0, 0, 0, 0, 0, 0 },
	{ "2017-01-05\xff",             0, 0, 0, 0, 0, 0, 0 },   /* not UTF-8 */
	{ "2017-01-05\xe3\x80",         0, 0, 0, 0, 0, 0, 0 },   /* cut U+3000 */
	{ "\xc2\xa0" "2017-01-05",      0, 0, 0, 0, 0, 0, 0 },   /* NBSP is not a blank */
	/* serials: the dot alone, signs, before 1900-03-01, after 9999 */
	{ "42740.",                     0, 0, 0, 0, 0, 0, 0 },
	{ ".5",                         0, 0, 0, 0, 0, 0, 0 },
	{ "-42740",                     0, 0, 0, 0, 0, 0, 0 },
	{ "+42740",                     0, 0, 0, 0, 0, 0, 0 },
	{ "-1",                         0, 0, 0, 0, 0, 0, 0 },
	{ "60",                         0, 0, 0, 0, 0, 0, 0 },   /* phantom 1900-02-29 */
	{ "60.5",                       0, 0, 0, 0, 0, 0, 0 },
	{ "59",                         0, 0, 0, 0, 0, 0, 0 },
	{ "1",                          0, 0, 0, 0, 0, 0, 0 },
	{ "0",                          0, 0, 0, 0, 0, 0, 0 },
	{ "2958466",                    0, 0, 0, 0, 0, 0, 0 },   /* 10000-01-01 */
	{ "2958465.9999999",            0, 0, 0, 0, 0, 0, 0 },   /* rounds into 10000 */
	{ "9999999",                    0, 0, 0, 0, 0, 0, 0 },
	{ "4.2740e4",                   0, 0, 0, 0, 0, 0, 0 },
	{ "42,740",                     0, 0, 0, 0, 0, 0, 0 },
	{ "abc",                        0, 0, 0, 0, 0, 0, 0 },
};

static void
test_parse_ex(void **state)
{
	tb_time t, want;
	bool date_only;

	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		bool ok;

		t = 42;
		date_only = true;
		ok = tb_time_parse_ex(c->in, &t, &date_only);
		if (ok != (bool)c->ok)
			fail_msg("\"%s\": %s", c->in, ok ? "accepted" : "refused");
		/* the wrapper agrees */
		if (tb_time_parse(c->in, &want) != ok)
			fail_msg("\"%s\": tb_time_parse disagrees", c->in);
		if (!ok) {
			if (t != 42 || !date_only)
				fail_msg("\"%s\": outputs touched on failure", c->in);
			continue;
		}
		want = tb_time_make(c->y, c->mo, c->d, c->h, c->mi);
		if (t != want) {
			char got[32], exp[32];

			tb_time_format(t, got, sizeof got);
			tb_time_format(want, exp, sizeof exp);
			fail_msg("\"%s\": got %s want %s", c->in, got, exp);
		}
		if (date_only != (bool)c->date_only)
			fail_msg("\"%s\": date_only %d want %d", c->in,
			    date_only, c->date_only);
	}
	assert_false(tb_time_parse_ex(NULL, &t, &date_only));
	assert_true(tb_time_parse_ex("2017年1月5日", &t, NULL));  /* may be NULL */
	assert_int_equal(t, tb_time_make(2017, 1, 5, 0, 0));
}

/* tb_time_from_serial: serial, 1904 system -> time and date_only, or refused. */
static void
test_from_serial(void **state)
{
	static const struct {
		double serial;
		int date1904, ok, y, mo, d, h, mi, date_only;
	} cases[] = {
		{ 42740.0,          0, 1, 2017, 1, 5, 0, 0, 1 },
		{ 42740.3958,       0, 1, 2017, 1, 5, 9, 30, 0 },
		{ 42740.75,         0, 1, 2017, 1, 5, 18, 0, 0 },
		{ 42740.999999,     0, 1, 2017, 1, 6, 0, 0, 0 },    /* next day's 00:00 */
		{ 42740.0003,       0, 1, 2017, 1, 5, 0, 0, 0 },    /* 26 s: 00:00, a time */
		{ 42740.0004,       0, 1, 2017, 1, 5, 0, 1, 0 },    /* 35 s: 00:01 */
		{ 61.0,             0, 1, 1900, 3, 1, 0, 0, 1 },
		{ 61.5,             0, 1, 1900, 3, 1, 12, 0, 0 },
		{ 2958465.0,        0, 1, 9999, 12, 31, 0, 0, 1 },
		{ 60.0,             0, 0, 0, 0, 0, 0, 0, 0 },       /* phantom 1900-02-29 */
		{ 60.99,            0, 0, 0, 0, 0, 0, 0, 0 },
		{ 59.0,             0, 0, 0, 0, 0, 0, 0, 0 },
		{ 1.0,              0, 0, 0, 0, 0, 0, 0, 0 },
		{ 0.0,              0, 0, 0, 0, 0, 0, 0, 0 },
		{ -1.0,             0, 0, 0, 0, 0, 0, 0, 0 },
		{ 2958466.0,        0, 0, 0, 0, 0, 0, 0, 0 },
		{ 2958465.9999999,  0, 0, 0, 0, 0, 0, 0, 0 },       /* rounds into 10000 */
		{ 1e300,            0, 0, 0, 0, 0, 0, 0, 0 },
		{ 0.0,              1, 1, 1904, 1, 1, 0, 0, 1 },
		{ 1.0,              1, 1, 1904, 1, 2, 0, 0, 1 },
		{ 0.5,              1, 1, 1904, 1, 1, 12, 0, 0 },
		{ 59.0,             1, 1, 1904, 2, 29, 0, 0, 1 },   /* 1904 is leap */
		{ 41278.0,          1, 1, 2017, 1, 5, 0, 0, 1 },    /* 42740 - 1462 */
		{ 41278.3958,       1, 1, 2017, 1, 5, 9, 30, 0 },
		{ 2957003.0,        1, 1, 9999, 12, 31, 0, 0, 1 },
		{ 2957004.0,        1, 0, 0, 0, 0, 0, 0, 0 },
		{ -1.0,             1, 0, 0, 0, 0, 0, 0, 0 },
		{ -0.25,            1, 0, 0, 0, 0, 0, 0, 0 },
	};
	tb_time t, want;
	bool date_only, ok;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 42;
		date_only = true;
		ok = tb_time_from_serial(cases[i].serial, cases[i].date1904,
		    &t, &date_only);
		if (ok != (bool)cases[i].ok)
			fail_msg("serial %.10g (%s): %s", cases[i].serial,
			    cases[i].date1904 ? "1904" : "1900",
			    ok ? "accepted" : "refused");
		if (!ok) {
			assert_int_equal(t, 42);
			assert_true(date_only);
			continue;
		}
		want = tb_time_make(cases[i].y, cases[i].mo, cases[i].d,
		    cases[i].h, cases[i].mi);
		if (t != want || date_only != (bool)cases[i].date_only) {
			char got[32], exp[32];

			tb_time_format(t, got, sizeof got);
			tb_time_format(want, exp, sizeof exp);
			fail_msg("serial %.10g (%s): got %s%s want %s%s",
			    cases[i].serial, cases[i].date1904 ? "1904" : "1900",
			    got, date_only ? " (date)" : "", exp,
			    cases[i].date_only ? " (date)" : "");
		}
	}
	assert_false(tb_time_from_serial(NAN, false, &t, &date_only));
	assert_false(tb_time_from_serial(INFINITY, true, &t, &date_only));
	assert_true(tb_time_from_serial(42740.0, false, &t, NULL));
	/* consecutive serials are consecutive days, both systems */
	for (int s = 61; s < 80000; s++) {
		tb_time a, b;

		assert_true(tb_time_from_serial(s, false, &a, NULL));
		assert_true(tb_time_from_serial(s + 1, false, &b, NULL));
		assert_int_equal(b - a, 1440);
		assert_true(tb_time_from_serial(s - 61, true, &a, NULL));
		assert_true(tb_time_from_serial(s - 60, true, &b, NULL));
		assert_int_equal(b - a, 1440);
	}
	/* every minute of a day survives the trip through a day fraction */
	for (int m = 0; m < 1440; m++) {
		assert_true(tb_time_from_serial(42740.0 + m / 1440.0, false, &t,
		    &date_only));
		assert_int_equal(t, tb_time_make(2017, 1, 5, 0, 0) + m);
		assert_int_equal(date_only, m == 0);
	}
}

/* The forms string names every form, for messages and --help. */
static void
test_forms(void **state)
{
	static const char *const names[] = {
		"2017-01-05", "2017-01-05 09:30[:00]", "2017/1/5 9:30",
		"2017.1.5", "2017年1月5日", "2017年1月5日 9:30",
		"2017年1月5日9时30分", "20170105", "42740", "42740.3958",
	};
	char buf[64];
	const char *p;

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strstr(tb_time_forms, names[i]) == NULL)
			fail_msg("tb_time_forms lacks %s", names[i]);
	/* and each example in it parses */
	for (p = tb_time_forms; *p != '\0'; ) {
		size_t n = strcspn(p, ",(");
		const char *e = p + n;
		tb_time t;

		while (p < e && *p == ' ')
			p++;
		if (strstr(p, "an Excel") == p)
			break;          /* the serials: in parse_cases */
		if (n < sizeof buf) {
			snprintf(buf, sizeof buf, "%.*s", (int)(e - p), p);
			if (strstr(buf, "[:00]") != NULL)
				*strstr(buf, "[:00]") = '\0';
			if (!tb_time_parse(buf, &t))
				fail_msg("tb_time_forms example \"%s\" refused", buf);
		}
		p = *e != '\0' ? e + 1 : e;
	}
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
		cmocka_unit_test(test_parse_ex),
		cmocka_unit_test(test_from_serial),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_quarter_parse),
		cmocka_unit_test(test_quarter_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
