/*
 * test_diag.c - the error list (gen/base/diag.c): one line per message whatever
 * it quotes, notes, notices (warnings -q keeps), the per-file cap with its
 * count line, and tallied warnings printed once per file and message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"

static char *
fmt(const diag_list_t *dl, size_t i)
{
	return diag_format(&dl->v[i]);
}

static void
expect(const diag_list_t *dl, size_t i, const char *want)
{
	char *s;

	assert_true(i < dl->n);
	s = fmt(dl, i);
	if (strcmp(s, want) != 0)
		fail_msg("message %zu: %s\nwant: %s", i, s, want);
	free(s);
}

static void
test_lines_and_notes(void **state)
{
	diag_list_t dl = { 0 };

	(void)state;
	diag_error(&dl, "a.csv", 3, "unknown unit \"%s\"", "x\ny\033[2J");
	diag_note(&dl, "a.csv", 1, "1 row above the header skipped");
	diag_warning(&dl, NULL, 0, "w");
	expect(&dl, 0, "a.csv:3: error: unknown unit \"x y [2J\"");
	expect(&dl, 1, "a.csv:1: note: 1 row above the header skipped");
	expect(&dl, 2, "tongbao: warning: w");
	assert_int_equal(dl.errors, 1);
	assert_int_equal(dl.warnings, 1);       /* a note is neither */
	diag_free(&dl);
}

/* A notice reads and counts as a warning; only its level (which -q does
 * not silence) tells it apart. */
static void
test_notice(void **state)
{
	diag_list_t dl = { 0 };

	(void)state;
	diag_notice(&dl, "out/2017Q1/tongbao.pdf", 0, "replaced; kept as %s",
	    "superseded/x.pdf");
	assert_int_equal(dl.warnings, 1);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.v[0].sev, DIAG_NOTICE);
	assert_true(DIAG_NOTICE > DIAG_WARNING && DIAG_NOTICE < DIAG_ERROR);
	expect(&dl, 0, "out/2017Q1/tongbao.pdf: warning: replaced; kept as "
	    "superseded/x.pdf");
	diag_free(&dl);
}

static void
test_cap(void **state)
{
	diag_list_t dl = { 0 };

	(void)state;
	for (int i = 0; i < DIAG_MAX_PER_FILE + 7; i++)
		diag_error(&dl, "a.csv", i + 2, "e%d", i);
	diag_error(&dl, "b.csv", 2, "other file");
	for (int i = 0; i < DIAG_MAX_PER_FILE + 5; i++)
		diag_error(&dl, NULL, 0, "no file: never capped");
	assert_int_equal(dl.errors, 2 * DIAG_MAX_PER_FILE + 13);
	diag_flush(&dl);
	diag_flush(&dl);                        /* idempotent */
	assert_int_equal(dl.n, 2 * DIAG_MAX_PER_FILE + 7);
	expect(&dl, DIAG_MAX_PER_FILE - 1, "a.csv:51: error: e49");
	expect(&dl, DIAG_MAX_PER_FILE, "b.csv:2: error: other file");
	expect(&dl, dl.n - 1, "a.csv: error: 7 further errors in this file not shown");
	assert_int_equal(dl.errors, 2 * DIAG_MAX_PER_FILE + 13);
	diag_free(&dl);
}

static void
test_tally(void **state)
{
	diag_list_t dl = { 0 };

	(void)state;
	diag_warning(&dl, "a.csv", 1, "first");
	for (int i = 0; i < 12; i++)
		diag_tally(&dl, "a.csv", 10 + i, "items", "签发人 \"%s\" read as "
		    "not signed", "无");
	diag_tally(&dl, "a.csv", 5, "items", "签发人 \"/\" read as not signed");
	diag_tally(&dl, "b.csv", 7, "items", "签发人 \"%s\" read as not signed",
	    "无");
	diag_tally(&dl, "a.csv", 30, "items", "a\nb");
	assert_int_equal(dl.n, 1);              /* nothing until flushed */
	diag_flush(&dl);
	assert_int_equal(dl.n, 5);
	assert_int_equal(dl.warnings, 5);
	expect(&dl, 1, "a.csv:10: warning: 12 items: 签发人 \"无\" read as not "
	    "signed (lines 10, 11, 12, 13, 14, …)");
	expect(&dl, 2, "a.csv:5: warning: 签发人 \"/\" read as not signed");
	expect(&dl, 3, "b.csv:7: warning: 签发人 \"无\" read as not signed");
	expect(&dl, 4, "a.csv:30: warning: a b");
	diag_free(&dl);
}

/* diag_move flushes what it moves. */
static void
test_move(void **state)
{
	diag_list_t a = { 0 }, b = { 0 };

	(void)state;
	diag_error(&a, "a.csv", 1, "x");
	diag_tally(&b, "b.csv", 2, "rows", "t");
	diag_tally(&b, "b.csv", 3, "rows", "t");
	diag_move(&a, &b);
	assert_int_equal(a.n, 2);
	expect(&a, 1, "b.csv:2: warning: 2 rows: t (lines 2, 3)");
	assert_int_equal(a.warnings, 1);
	assert_int_equal(b.n, 0);
	diag_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_notes),
		cmocka_unit_test(test_notice),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_move),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
