/*
 * test_cells.c - one ledger cell read as SPEC 3.4 says (gen/read/cells.c):
 * placeholders, 字数 forms, author lists.  Tables of cell -> reading; each
 * refused form is one a clerk might type and the program must ask about.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cells.h"

static void
test_placeholder(void **state)
{
	static const struct { const char *in; bool want; } cases[] = {
		{ "无", true }, { "没有", true }, { "空", true }, { "暂无", true },
		{ "未签发", true }, { "未签", true }, { "否", true },
		{ "/", true }, { "／", true }, { "\\", true }, { "-", true },
		{ "－", true }, { "—", true }, { "——", true }, { "×", true },
		{ "x", true }, { "X", true }, { "N/A", true }, { "n/a", true },
		{ "NULL", true }, { "null", true }, { " 无 ", true },
		{ "\xe3\x80\x80无", true },
		{ "ＮＵＬＬ", true }, { "Ｎ／Ａ", true }, { "ｘ", true },
		{ "\xe3\x80\x80／\xe3\x80\x80", true },
		{ "                    无                    ", true },
		{ "\t无\r\n", true },
		/* a name or a value is none of them */
		{ "", false }, { "无锡", false }, { "张无忌", false }, { "xx", false },
		{ "--x", false }, { "0", false }, { "张局长", false },
		{ "无无无无无", false }, { "Nobody", false }, { "/a", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (cell_is_placeholder(cases[i].in) != cases[i].want)
			fail_msg("\"%s\": %d", cases[i].in, !cases[i].want);
	/* the text --help prints names them */
	assert_non_null(strstr(cell_placeholders, "未签发"));
	assert_non_null(strstr(cell_placeholders, "N/A"));
}

static void
test_chars(void **state)
{
	static const struct {
		const char *in;
		enum cell_read rc;
		int want;
	} cases[] = {
		{ "1200", CELL_OK, 1200 },
		{ "1,200", CELL_OK, 1200 },
		{ "1，200", CELL_OK, 1200 },
		{ "1 200", CELL_OK, 1200 },
		{ "1200字", CELL_OK, 1200 },
		{ "约1200", CELL_OK, 1200 },
		{ "约1,200字", CELL_OK, 1200 },
		{ "１２００", CELL_OK, 1200 },
		{ " 800 ", CELL_OK, 800 },
		{ "1,234,567", CELL_OK, 1234567 },
		{ "0", CELL_OK, 0 },
		{ "2147483647", CELL_OK, 2147483647 },
		/* not stated */
		{ "", CELL_EMPTY, 0 },
		{ "  ", CELL_EMPTY, 0 },
		{ "无", CELL_EMPTY, 0 },
		{ "/", CELL_EMPTY, 0 },
		/* what must be asked about */
		{ "12,00", CELL_BAD, 0 },
		{ "1,2000", CELL_BAD, 0 },
		{ "1200,", CELL_BAD, 0 },
		{ ",200", CELL_BAD, 0 },
		{ "6 50", CELL_BAD, 0 },
		{ "1.2k", CELL_BAD, 0 },
		{ "1200.5", CELL_BAD, 0 },
		{ "-5", CELL_BAD, 0 },
		{ "+5", CELL_BAD, 0 },
		{ "六百", CELL_BAD, 0 },
		{ "约", CELL_BAD, 0 },
		{ "字", CELL_BAD, 0 },
		{ "1200字左右", CELL_BAD, 0 },
		{ "1200-1500", CELL_BAD, 0 },
		{ "2147483648", CELL_TOO_LARGE, 0 },
		{ "99999999999999999999", CELL_TOO_LARGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int v = -7;
		enum cell_read rc = cell_chars(cases[i].in, &v);

		if (rc != cases[i].rc)
			fail_msg("\"%s\": read %d want %d", cases[i].in, rc,
			    cases[i].rc);
		if (rc == CELL_OK && v != cases[i].want)
			fail_msg("\"%s\": %d want %d", cases[i].in, v,
			    cases[i].want);
		if (rc != CELL_OK && v != -7)
			fail_msg("\"%s\": output touched", cases[i].in);
	}
}

static void
test_authors(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "王伟", "王伟" },
		{ "王伟、李明", "王伟、李明" },
		{ "王伟;李明", "王伟、李明" },
		{ "王伟；李明", "王伟、李明" },
		{ "王伟，李明", "王伟、李明" },
		{ "王伟,李明", "王伟、李明" },
		{ "王伟/李明", "王伟、李明" },
		{ "王伟／李明", "王伟、李明" },
		{ "王伟 李明", "王伟、李明" },
		{ "王伟　李明", "王伟、李明" },
		{ "  王伟 、 李明  ", "王伟、李明" },
		/* a two-character name padded to three is one name */
		{ "王　伟", "王伟" },
		{ "王 伟", "王伟" },
		{ "王　伟、李　明", "王伟、李明" },
		{ "王　伟，张小明", "王伟、张小明" },
		/* each once, in order */
		{ "王伟、王　伟", "王伟" },
		{ "李明、王伟、李明", "李明、王伟" },
		{ "欧阳小明", "欧阳小明" },
		{ "", "" },
		{ "无", "" },
		{ "、", "" },
		/* where the names end is unclear: refused */
		{ "王 伟 李 明", NULL },
		{ "王伟 李", NULL },
		{ "王 伟 李明", NULL },
		{ "王　伟　明", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = (char *)"unset";
		enum cell_read rc = cell_authors(cases[i].in, &got);

		if (cases[i].want == NULL) {
			if (rc != CELL_BAD || got != NULL)
				fail_msg("\"%s\": read as \"%s\"", cases[i].in,
				    got ? got : "(null)");
			continue;
		}
		if (rc != CELL_OK)
			fail_msg("\"%s\": refused", cases[i].in);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("\"%s\": \"%s\" want \"%s\"", cases[i].in, got,
			    cases[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_authors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
