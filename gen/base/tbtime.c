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
 * junk, allows "2017-02-30"), cannot read the Chinese and full-width forms
 * the clerks type, and knows nothing of Excel's serial dates; a regex
 * library would still leave the range checks to do by hand.  The forms are
 * few and each is read exactly, so a value is either one definite minute or
 * refused (SPEC 3.4: never a number the ledger cannot defend).  Accepted,
 * with surrounding blanks (space, tab, U+3000) and with full-width digits
 * and ：／－． read as ASCII:
 *
 *   2017-01-05  2017/1/5  2017.1.5   one separator used twice, M and D of
 *                                    1 or 2 digits
 *   2017年1月5日                     the same, in characters
 *   20170105                         exactly 8 digits, always a date
 *   ... 9:30  ... 9:30:00            after one or more blanks (or 'T' after
 *   ... 9时  9时30分  9时30分05秒     the '-' form, or nothing after 日);
 *   ... 9点  9点30分                 seconds are checked and dropped
 *   42740  42740.3958                Excel serial date, 1900 system, up to
 *                                    5 integer digits (tb_time_from_serial);
 *                                    more digits are a typo (2017015), not
 *                                    a serial: the years after 2173 are not
 *                                    ledger dates
 *
 * tb_time_parse_ex also says whether the text had a clock time: SPEC 3.4
 * reads a date-only 事发时间 as "some time that day", not as 00:00.
 */
#include "tbtime.h"

#include <math.h>
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

const char tb_time_forms[] =
    "2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, "
    "2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, "
    "an Excel serial date (42740 or 42740.3958)";

/* The characters of the Chinese forms, as code points. */
enum {
	CP_NIAN = 0x5E74,       /* 年 */
	CP_YUE = 0x6708,        /* 月 */
	CP_RI = 0x65E5,         /* 日 */
	CP_SHI = 0x65F6,        /* 时 */
	CP_DIAN = 0x70B9,       /* 点 */
	CP_FEN = 0x5206,        /* 分 */
	CP_MIAO = 0x79D2,       /* 秒 */
	CP_BAD = -1             /* a byte that is not part of a known form */
};

/*
 * The character at s, folded: tab and U+3000 are ' ', full-width digits and
 * ：／－． their ASCII forms; 0 at the end of the string.  Only ASCII and
 * three-byte UTF-8 sequences can belong to a form, so anything else (and any
 * malformed sequence) is CP_BAD, one byte long.  Sets *len to the bytes.
 */
static int
fold(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	int c;

	if (u[0] < 0x80) {
		*len = u[0] != '\0';
		return u[0] == '\t' ? ' ' : u[0];
	}
	*len = 1;
	if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 ||
	    (u[2] & 0xC0) != 0x80)
		return CP_BAD;
	c = (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	if (c < 0x800)
		return CP_BAD;                  /* overlong */
	*len = 3;
	if (c >= 0xFF10 && c <= 0xFF19)
		return '0' + (c - 0xFF10);
	switch (c) {
	case 0x3000: return ' ';
	case 0xFF1A: return ':';
	case 0xFF0F: return '/';
	case 0xFF0D: return '-';
	case 0xFF0E: return '.';
	default:     return c;
	}
}

/* A reader over folded characters. */
struct rd {
	const char *p;          /* the current character */
	int         c;          /* it, folded (fold()) */
	size_t      len;        /* its bytes */
};

static void
rd_at(struct rd *r, const char *p)
{
	r->p = p;
	r->c = fold(p, &r->len);
}

static int
rd_peek(const struct rd *r)
{
	return r->c;
}

static void
rd_next(struct rd *r)
{
	rd_at(r, r->p + r->len);
}

static bool
rd_eat(struct rd *r, int c)
{
	if (rd_peek(r) != c)
		return false;
	rd_next(r);
	return true;
}

static bool
rd_is_digit(const struct rd *r)
{
	int c = rd_peek(r);

	return c >= '0' && c <= '9';
}

/* Skips blanks; returns how many. */
static int
rd_blanks(struct rd *r)
{
	int n = 0;

	while (rd_eat(r, ' '))
		n++;
	return n;
}

/* Reads a run of digits; returns its length, its value (capped) in *v. */
static int
rd_digits(struct rd *r, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (rd_is_digit(r)) {
		if (*v < INT64_C(100000000000))
			*v = *v * 10 + (rd_peek(r) - '0');
		rd_next(r);
		n++;
	}
	return n;
}

/* Reads min..max digits (the whole run) into *v. */
static bool
rd_num(struct rd *r, int min, int max, int *v)
{
	int64_t x;
	int n = rd_digits(r, &x);

	if (n < min || n > max)
		return false;
	*v = (int)x;
	return true;
}

/*
 * A clock time: H:MM or H:MM:SS, or (unless colon_only) H时, H点, H时M分,
 * H点M分, H时M分S秒 (M and S of 1 or 2 digits).  Checks the ranges.
 */
static bool
parse_clock(struct rd *r, bool colon_only, int *h, int *mi)
{
	int sec = 0;

	*mi = 0;
	if (!rd_num(r, 1, 2, h))
		return false;
	if (rd_eat(r, ':')) {
		if (!rd_num(r, 2, 2, mi))
			return false;
		if (rd_eat(r, ':') && !rd_num(r, 2, 2, &sec))
			return false;
	} else if (!colon_only && (rd_eat(r, CP_SHI) || rd_eat(r, CP_DIAN))) {
		if (rd_is_digit(r)) {
			if (!rd_num(r, 1, 2, mi) || !rd_eat(r, CP_FEN))
				return false;
			if (rd_is_digit(r) &&
			    (!rd_num(r, 1, 2, &sec) || !rd_eat(r, CP_MIAO)))
				return false;
		}
	} else {
		return false;
	}
	return *h <= 23 && *mi <= 59 && sec <= 59;
}

/* A date and an optional clock time, then the end (after blanks). */
static bool
parse_date_time(struct rd *r, tb_time *out, bool *date_only)
{
	int y, mo = 0, d = 0, h = 0, mi = 0, sep;
	int64_t v;
	bool iso = false, cn = false, clock = false;

	switch (rd_digits(r, &v)) {
	case 8:                                 /* YYYYMMDD */
		y = (int)(v / 10000);
		mo = (int)(v / 100 % 100);
		d = (int)(v % 100);
		break;
	case 4:
		y = (int)v;
		sep = rd_peek(r);
		if (sep == '-' || sep == '/' || sep == '.') {
			rd_next(r);
			if (!rd_num(r, 1, 2, &mo) || !rd_eat(r, sep) ||
			    !rd_num(r, 1, 2, &d))
				return false;
			iso = sep == '-';
		} else if (sep == CP_NIAN) {
			rd_next(r);
			if (!rd_num(r, 1, 2, &mo) || !rd_eat(r, CP_YUE) ||
			    !rd_num(r, 1, 2, &d) || !rd_eat(r, CP_RI))
				return false;
			cn = true;
		} else {
			return false;
		}
		break;
	default:
		return false;
	}
	if (iso && rd_eat(r, 'T')) {
		if (!parse_clock(r, true, &h, &mi))
			return false;
		clock = true;
	} else if ((rd_blanks(r) > 0 || cn) && rd_is_digit(r)) {
		if (!parse_clock(r, false, &h, &mi))
			return false;
		clock = true;
	}
	rd_blanks(r);
	if (rd_peek(r) != '\0')
		return false;
	if (y < YEAR_MIN || y > YEAR_MAX || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return false;
	*out = tb_time_make(y, mo, d, h, mi);
	*date_only = !clock;
	return true;
}

/* An Excel serial date in the text: up to 5 digits, optionally .digits. */
static bool
parse_serial(struct rd *r, tb_time *out, bool *date_only)
{
	int64_t ip;
	uint64_t fnum = 0;
	double fden = 1.0, serial;
	int n = rd_digits(r, &ip), nfrac = 0;
	bool nonzero = false, dummy;

	if (n < 1 || n > 5)
		return false;
	if (rd_eat(r, '.')) {
		while (rd_is_digit(r)) {
			int dg = rd_peek(r) - '0';

			if (nfrac < 18) {       /* beyond: < 1e-18 of a day */
				fnum = fnum * 10 + (uint64_t)dg;
				fden *= 10.0;
			}
			nonzero |= dg != 0;
			nfrac++;
			rd_next(r);
		}
		if (nfrac == 0)
			return false;           /* "42740." */
	}
	rd_blanks(r);
	if (rd_peek(r) != '\0')
		return false;
	serial = (double)ip + (double)fnum / fden;
	if (!tb_time_from_serial(serial, false, out, &dummy))
		return false;
	/* by the text, not the double: 42740.9999999999999999999 has a time */
	*date_only = !nonzero;
	return true;
}

bool
tb_time_from_serial(double serial, bool date1904, tb_time *out,
    bool *date_only)
{
	double days, frac;
	int64_t base, mins, t;

	/* also refuses NaN; the upper bound only keeps the casts defined */
	if (!(serial >= 0.0 && serial < 4000000.0))
		return false;
	if (!date1904 && serial < 61.0)
		return false;
	days = floor(serial);
	frac = serial - days;                   /* [0, 1) */
	mins = (int64_t)floor(frac * 1440.0 + 0.5);     /* [0, 1440] */
	base = date1904 ? tb_days_from_civil(1904, 1, 1) :
	    tb_days_from_civil(1899, 12, 30);
	t = (base + (int64_t)days) * 1440 + mins;
	if (t > tb_time_make(YEAR_MAX, 12, 31, 23, 59))
		return false;
	*out = t;
	if (date_only != NULL)
		*date_only = frac == 0.0;
	return true;
}

bool
tb_time_parse_ex(const char *s, tb_time *out, bool *date_only)
{
	struct rd r;
	const char *start;
	tb_time t;
	bool donly = false;

	if (s == NULL)
		return false;
	rd_at(&r, s);
	rd_blanks(&r);
	start = r.p;
	if (!parse_date_time(&r, &t, &donly)) {
		rd_at(&r, start);
		if (!parse_serial(&r, &t, &donly))
			return false;
	}
	*out = t;
	if (date_only != NULL)
		*date_only = donly;
	return true;
}

bool
tb_time_parse(const char *s, tb_time *out)
{
	return tb_time_parse_ex(s, out, NULL);
}

int64_t
tb_day(tb_time t)
{
	return floor_div(t, 1440);
}

/* v (0 <= v < 10^w, months, days, hours, minutes below 100) as w digits
 * with leading zeros, as %0wd writes it; returns the end. */
static char *
put_digits(char *s, int v, int w)
{
	for (int i = w - 1; i >= 0; i--) {
		s[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return s + w;
}

/* "YYYY-MM-DD" (0 <= y <= 9999) at s; returns the end. */
static char *
put_date(char *s, int y, int m, int d)
{
	s = put_digits(s, y, 4);
	*s++ = '-';
	s = put_digits(s, m, 2);
	*s++ = '-';
	return put_digits(s, d, 2);
}

void
tb_day_format(int64_t day, char *buf, size_t n)
{
	int y, m, d;

	tb_civil_from_days(day, &y, &m, &d);
	if (n > 10 && y >= 0 && y <= 9999) {
		/* what the snprintf below writes, a million times cheaper */
		*put_date(buf, y, m, d) = '\0';
		return;
	}
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
	if (n > 16 && y >= 0 && y <= 9999 && h >= 0 && mi >= 0) {
		char *s = put_date(buf, y, mo, d);

		*s++ = ' ';
		s = put_digits(s, h, 2);
		*s++ = ':';
		s = put_digits(s, mi, 2);
		*s = '\0';
		return;
	}
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
