/*
 * fuzz_time.c - libFuzzer target for the time and quarter parsers
 * (gen/base/tbtime.c).  The input, as a string, goes to tb_time_parse() and
 * tb_quarter_parse(); whatever is accepted must survive a round trip
 * through the formatters: format then parse gives the same minute, split
 * then make gives the same time, and the quarter of a time contains it.
 * A broken invariant aborts, which libFuzzer (or tests/fuzz/driver.c)
 * reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tbtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz_time: %s:%d: check failed: %s\n", \
	    __FILE__, __LINE__, #c); abort(); } } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = NULL, buf[64], cn[64];
	tb_time t = 0, t2 = 0;
	tb_quarter q = 0, q2 = 0;
	int y, mo, d, h, mi;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (tb_time_parse(s, &t)) {
		CHECK(t != TB_TIME_NONE);
		tb_time_format(t, buf, sizeof buf);
		CHECK(tb_time_parse(buf, &t2));
		CHECK(t2 == t);
		tb_time_split(t, &y, &mo, &d, &h, &mi);
		CHECK(y >= 1900 && y <= 9999 && mo >= 1 && mo <= 12);
		CHECK(d >= 1 && d <= 31 && h >= 0 && h <= 23);
		CHECK(mi >= 0 && mi <= 59);
		CHECK(tb_time_make(y, mo, d, h, mi) == t);
		CHECK(tb_days_from_civil(y, mo, d) * 1440 + h * 60 + mi == t);
		q = tb_quarter_of(t);
		CHECK(tb_quarter_start(q) <= t && t < tb_quarter_end(q));
		tb_date_cn(t, cn, sizeof cn);
		CHECK(cn[0] != '\0');
		tb_time_format(t, buf, 5);      /* truncation is safe */
		CHECK(strlen(buf) == 4);
	}
	if (tb_quarter_parse(s, &q)) {
		tb_quarter_format(q, buf, sizeof buf);
		CHECK(tb_quarter_parse(buf, &q2));
		CHECK(q2 == q);
		CHECK(tb_quarter_num(q) >= 1 && tb_quarter_num(q) <= 4);
		CHECK(tb_quarter_of(tb_quarter_start(q)) == q);
		CHECK(tb_quarter_of(tb_quarter_end(q) - 1) == q);
	}
	free(s);
	return 0;
}
