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
 * Parses "2017-01-05", "2017-01-05 09:30", "2017-01-05 09:30:00",
 * "2017/1/5 9:30" (also "2017/1/5", "2017/1/5 9:30:05"); surrounding
 * spaces are ignored; seconds are checked and dropped.  Rejects impossible
 * dates (2017-02-30), hours > 23, minutes/seconds > 59, trailing junk.
 * Returns true and sets *out on success.
 */
bool tb_time_parse(const char *s, tb_time *out);
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
