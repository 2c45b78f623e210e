/*
 * tbtime.h - the ledger's local times (UTC+8, no zones) as minutes since
 * 1970-01-01 00:00 local time, and quarters.  Pure functions, no I/O.
 */
#ifndef TB_TBTIME_H
#define TB_TBTIME_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef int64_t tb_time;          /* minutes since 1970-01-01 00:00 local */
#define TB_TIME_NONE INT64_MIN

/*
 * Parses a ledger time in any accepted form (below).  Sets *out (minutes,
 * as tb_time) and *date_only (true when the text gave a day but no clock
 * time: the time is then that day's 00:00).  Returns false for anything
 * else, including impossible dates and trailing junk.
 *
 * Forms (SPEC 3.1, 3.4), with optional surrounding blanks (space, tab,
 * U+3000); full-width digits and ：／－． read as their ASCII forms:
 *   dates   YYYY-M-D, YYYY/M/D, YYYY.M.D (the same separator twice; month
 *           and day of 1 or 2 digits), YYYY年M月D日, YYYYMMDD (8 digits);
 *   then optionally a clock time after one or more blanks (also after 'T'
 *   in the '-' form, or right after 日): H:MM, H:MM:SS, H时, H时M分,
 *   H时M分S秒, H点, H点M分 (seconds checked and dropped);
 *   or an Excel serial date (1900 system): up to 5 integer digits and an
 *   optional fraction, 42740 or 42740.3958 (see tb_time_from_serial); the
 *   time is date-only when the fraction is absent or all zeros.
 * Years 1900..9999, hours 0..23, minutes and seconds 0..59.  *out and
 * *date_only are untouched on failure; date_only may be NULL.
 */
bool tb_time_parse_ex(const char *s, tb_time *out, bool *date_only);
/* tb_time_parse_ex without date_only. */
bool tb_time_parse(const char *s, tb_time *out);
/* The accepted forms, for messages and --help, e.g.
 * "2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, 2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, an Excel serial date (42740 or 42740.3958)" */
extern const char tb_time_forms[];
/*
 * An Excel serial day number (days + fraction) in the 1900 system (or the
 * 1904 system when date1904) to a tb_time, rounding to the minute; false
 * when out of range (before 1900-03-01 in the 1900 system, year > 9999).
 * *date_only as for tb_time_parse_ex (true when serial has no fraction).
 *
 * 1900 system: serial 61 is 1900-03-01 and later serials count days from
 * 1899-12-30; serials <= 60 are refused (60 is Excel's phantom 1900-02-29).
 * 1904 system: serial 0 is 1904-01-01.  A fraction that rounds to 1440
 * minutes is the next day's 00:00.  *out and *date_only are untouched on
 * failure; date_only may be NULL.
 */
bool tb_time_from_serial(double serial, bool date1904, tb_time *out,
    bool *date_only);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t tb_days_from_civil(int y, int m, int d);
void tb_civil_from_days(int64_t days, int *y, int *m, int *d);
tb_time tb_time_make(int y, int mo, int d, int h, int mi);
void tb_time_split(tb_time t, int *y, int *mo, int *d, int *h, int *mi);
/* The day of t: days since 1970-01-01 (floor, so right before 1970 too). */
int64_t tb_day(tb_time t);
/* "2017-01-05" of a day number (tb_day) into buf (at least 11 bytes). */
void tb_day_format(int64_t day, char *buf, size_t n);
/* "2017-01-05 09:30" into buf (at least 17 bytes). */
void tb_time_format(tb_time t, char *buf, size_t n);
/* "2017年4月5日" (no zero padding) into buf. */
void tb_date_cn(tb_time t, char *buf, size_t n);

/* A quarter: year*4 + (q-1), so quarters compare and step by integers. */
typedef int tb_quarter;
static inline int tb_quarter_year(tb_quarter q) { return q / 4; }
static inline int tb_quarter_num(tb_quarter q)  { return q % 4 + 1; }
static inline tb_quarter tb_quarter_make(int year, int q) { return year * 4 + q - 1; }
tb_quarter tb_quarter_of(tb_time t);
/* Parses "2017Q1" (also lower-case q).  Returns true on success. */
bool tb_quarter_parse(const char *s, tb_quarter *out);
/* "2017Q1" into buf (at least 8 bytes). */
void tb_quarter_format(tb_quarter q, char *buf, size_t n);
tb_time tb_quarter_start(tb_quarter q);  /* first minute */
tb_time tb_quarter_end(tb_quarter q);    /* first minute of the next quarter */

#endif
