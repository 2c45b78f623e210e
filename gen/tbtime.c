/*
 * tbtime.c - the ledger's times and quarters (see tbtime.h).
 *
 * Every time in the ledger is local time in Hubei (UTC+8, no daylight
 * saving), so a time is just a count of minutes since 1970-01-01 00:00 on
 * that wall clock.  Converting with mktime()/localtime() would drag in the
 * machine's time zone and make the output depend on where cron runs; the
 * civil-date arithmetic here is pure integer code (Howard Hinnant's
 * days_from_civil / civil_from_days) and gives the same answer everywhere.
 *
 * The parser is hand-written because strptime() accepts too much (it skips
 * junk, allows "2017-02-30") and the formats are few: an ISO date with '-'
 * or an Excel-style date with '/', optionally followed by H:MM or H:MM:SS.
 */
#include "tbtime.h"

#include <stdio.h>

#define YEAR_MIN 1900
#define YEAR_MAX 9999

int64_t
tb_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;                          /* [0, 399] */
	int64_t mp = (m + 9) % 12;                             /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;              /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;   /* [0, 146096] */

	return era * 146097 + doe - 719468;
}

void
tb_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

tb_time
tb_time_make(int y, int mo, int d, int h, int mi)
{
	return tb_days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
}

/* Floor division, so times before 1970 split into the right day. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void
tb_time_split(tb_time t, int *y, int *mo, int *d, int *h, int *mi)
{
	int64_t days = floor_div(t, 1440);
	int64_t rem = t - days * 1440;

	tb_civil_from_days(days, y, mo, d);
	*h = (int)(rem / 60);
	*mi = (int)(rem % 60);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/*
 * Reads between min and max decimal digits at *p into *v and advances *p.
 * Returns false when fewer than min digits are there or more than max.
 */
static bool
digits(const char **p, int min, int max, int *v)
{
	const char *s = *p;
	int n = 0, val = 0;

	while (*s >= '0' && *s <= '9') {
		if (++n > max)
			return false;
		val = val * 10 + (*s - '0');
		s++;
	}
	if (n < min)
		return false;
	*v = val;
	*p = s;
	return true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool
tb_time_parse(const char *s, tb_time *out)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
	char sep;

	if (s == NULL)
		return false;
	while (is_blank(*s))
		s++;
	/* date: YYYY-M-D or YYYY/M/D, month and day of one or two digits */
	if (!digits(&s, 4, 4, &y))
		return false;
	sep = *s;
	if (sep != '-' && sep != '/')
		return false;
	s++;
	if (!digits(&s, 1, 2, &mo) || *s != sep)
		return false;
	s++;
	if (!digits(&s, 1, 2, &d))
		return false;
	/* optional time: one or more blanks, then H:MM or H:MM:SS */
	if (is_blank(*s)) {
		while (is_blank(*s))
			s++;
		if (*s != '\0') {
			if (!digits(&s, 1, 2, &h) || *s != ':')
				return false;
			s++;
			if (!digits(&s, 2, 2, &mi))
				return false;
			if (*s == ':') {
				s++;
				if (!digits(&s, 2, 2, &sec))
					return false;
			}
			while (is_blank(*s))
				s++;
		}
	}
	if (*s != '\0')
		return false;
	if (y < YEAR_MIN || y > YEAR_MAX || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return false;
	*out = tb_time_make(y, mo, d, h, mi);
	return true;
}

int64_t
tb_day(tb_time t)
{
	return floor_div(t, 1440);
}

void
tb_day_format(int64_t day, char *buf, size_t n)
{
	int y, m, d;

	tb_civil_from_days(day, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

void
tb_time_format(tb_time t, char *buf, size_t n)
{
	int y, mo, d, h, mi;

	if (n == 0)
		return;
	if (t == TB_TIME_NONE) {
		buf[0] = '\0';
		return;
	}
	tb_time_split(t, &y, &mo, &d, &h, &mi);
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
}

void
tb_date_cn(tb_time t, char *buf, size_t n)
{
	int y, mo, d, h, mi;

	if (n == 0)
		return;
	if (t == TB_TIME_NONE) {
		buf[0] = '\0';
		return;
	}
	tb_time_split(t, &y, &mo, &d, &h, &mi);
	snprintf(buf, n, "%d年%d月%d日", y, mo, d);
}

tb_quarter
tb_quarter_of(tb_time t)
{
	int y, mo, d, h, mi;

	tb_time_split(t, &y, &mo, &d, &h, &mi);
	return tb_quarter_make(y, (mo - 1) / 3 + 1);
}

bool
tb_quarter_parse(const char *s, tb_quarter *out)
{
	int y = 0;

	if (s == NULL || !digits(&s, 4, 4, &y) || y < YEAR_MIN)
		return false;
	if ((s[0] != 'Q' && s[0] != 'q') || s[1] < '1' || s[1] > '4' ||
	    s[2] != '\0')
		return false;
	*out = tb_quarter_make(y, s[1] - '0');
	return true;
}

void
tb_quarter_format(tb_quarter q, char *buf, size_t n)
{
	if (n == 0)
		return;
	snprintf(buf, n, "%dQ%d", tb_quarter_year(q), tb_quarter_num(q));
}

tb_time
tb_quarter_start(tb_quarter q)
{
	return tb_time_make(tb_quarter_year(q), (tb_quarter_num(q) - 1) * 3 + 1,
	    1, 0, 0);
}

tb_time
tb_quarter_end(tb_quarter q)
{
	return tb_quarter_start(q + 1);
}
