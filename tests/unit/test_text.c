/*
 * test_text.c - UTF-8 validity, name_key folding, trim and edit distance
 * (gen/base/text.c).  Tables of case -> expected value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"
#include "util.h"

static void
test_name_key(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "武汉市司法局", "武汉市司法局" },
		{ "  武汉市司法局\t\r\n", "武汉市司法局" },
		{ "\xe3\x80\x80武汉市司法局\xe3\x80\x80", "武汉市司法局" },       /* U+3000 */
		{ "厅政治（警务）部干部处", "厅政治(警务)部干部处" },
		{ "北京盈科（武汉）律师事务所", "北京盈科(武汉)律师事务所" },
		{ "ＡＢ１", "ab1" },
		{ "ａｂｃ", "abc" },
		{ "SifaTingZHK@163.com", "sifatingzhk@163.com" },
		{ "a\xe3\x80\x80" "b", "a b" },                          /* inner U+3000 -> space */
		{ "！～", "!~" },
		{ "", "" },
		{ "   ", "" },
		{ "\xe3\x80\x80", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *k = name_key(cases[i].in);
		assert_string_equal(k, cases[i].want);
		free(k);
	}
}

static void
test_trim(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "  x  ", "x" },
		{ "\xe3\x80\x80中\xe3\x80\x80文\xe3\x80\x80", "中\xe3\x80\x80文" },
		{ "\t\r\n", "" },
		{ "abc", "abc" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		strcpy(buf, cases[i].in);
		assert_string_equal(trim(buf), cases[i].want);
	}
}

static void
test_utf8_invalid(void **state)
{
	static const struct { const char *s; size_t want; } cases[] = {
		{ "plain ascii", (size_t)-1 },
		{ "中文（全角）", (size_t)-1 },
		{ "\xf0\x9f\x98\x80", (size_t)-1 },        /* U+1F600 */
		{ "\xf4\x8f\xbf\xbf", (size_t)-1 },        /* U+10FFFF */
		{ "ab\xc0\xaf", 2 },                       /* overlong '/' */
		{ "\xe0\x80\xaf", 0 },                     /* overlong 3-byte */
		{ "\xf0\x80\x80\xaf", 0 },                 /* overlong 4-byte */
		{ "x\xed\xa0\x80", 1 },                    /* surrogate U+D800 */
		{ "\xed\xbf\xbf", 0 },                     /* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", 0 },                 /* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 },
		{ "abc\xe4\xb8", 3 },                      /* truncated */
		{ "\x80", 0 },                             /* stray continuation */
		{ "中\xff", 3 },
		{ "\xe4\x41\x41", 0 },                     /* bad continuation */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(utf8_invalid_at(cases[i].s, strlen(cases[i].s)),
		    cases[i].want);
	/* an embedded NUL is valid UTF-8; n bounds the scan */
	assert_int_equal(utf8_invalid_at("a\0b", 3), (size_t)-1);
	assert_int_equal(utf8_invalid_at("\xe4\xb8\xad", 2), 0);
}

static void
test_decode_encode(void **state)
{
	static const uint32_t cps[] = { 0x41, 0x7FF, 0x800, 0x4E2D, 0xFFFD,
	    0x10000, 0x10FFFF };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[8];
		const char *p = buf;
		size_t n = utf8_put(buf, cps[i]);
		buf[n] = '\0';
		assert_int_equal(utf8_invalid_at(buf, n), (size_t)-1);
		assert_int_equal(utf8_next(&p), cps[i]);
		assert_ptr_equal(p, buf + n);
	}
	assert_int_equal(utf8_len("中文ab"), 4);
	assert_int_equal(utf8_len(""), 0);
}

/* The one decoder on what the validator refuses: each bad sequence one
 * U+FFFD, for the bytes it says, and every valid character after it. */
static void
test_decode_invalid(void **state)
{
	static const struct { const char *in; size_t bytes; uint32_t cp; } cases[] = {
		{ "\xFF", 1, 0xFFFD },             /* no lead byte */
		{ "\x80", 1, 0xFFFD },             /* a stray continuation */
		{ "\xC0\xAF", 1, 0xFFFD },         /* C0: overlong lead */
		{ "\xF5\x80\x80\x80", 1, 0xFFFD }, /* above U+10FFFF by its lead */
		{ "\xE4\xB8" "c", 2, 0xFFFD },     /* cut short */
		{ "\xE4", 1, 0xFFFD },             /* cut short by the NUL */
		{ "\xE0\x80\xAF", 3, 0xFFFD },     /* overlong */
		{ "\xED\xA0\x80", 3, 0xFFFD },     /* a surrogate */
		{ "\xF4\x90\x80\x80", 4, 0xFFFD }, /* above U+10FFFF */
		{ "\xF0\x9F\x98\x80", 4, 0x1F600 },
	};
	uint32_t *v = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *p = cases[i].in;

		assert_int_equal(utf8_next(&p), cases[i].cp);
		assert_int_equal((size_t)(p - cases[i].in), cases[i].bytes);
	}
	assert_int_equal(utf8_decode("a\xFF" "b\xE4\xB8" "c", &v), 5);
	assert_int_equal(v[3], 0xFFFD);
	assert_int_equal(v[4], 'c');
	free(v);
}

static void
test_edit_distance(void **state)
{
	static const struct { const char *a, *b; size_t want; } cases[] = {
		{ "", "", 0 },
		{ "abc", "", 3 },
		{ "", "中文", 2 },
		{ "kitten", "sitting", 3 },
		{ "武汉市司法局", "武汉市司法局", 0 },
		{ "武汉司法局", "武汉市司法局", 1 },
		{ "省监狱局", "省沙洋监狱局", 2 },
		{ "黄石市司法局", "黄冈市司法局", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(utf8_edit_distance(cases[i].a, cases[i].b),
		    cases[i].want);
		assert_int_equal(utf8_edit_distance(cases[i].b, cases[i].a),
		    cases[i].want);
	}
}

static void
test_one_line(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "", "" },
		{ "无换行", "无换行" },
		{ "第一行\n第二行", "第一行 第二行" },
		{ "a\r\nb\rc\n", "a b c " },
		{ "<script>\r\n</script>", "<script> </script>" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = one_line(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/* The longest run of shared characters (nearest unit names, SPEC 3.4). */
static void
test_common_run(void **state)
{
	static const struct { const char *a, *b; size_t want; } cases[] = {
		{ "武汉市江汉区司法局", "江汉区司法局", 6 },
		{ "武汉市江汉区司法局", "武汉市司法局", 3 },
		{ "签发人（审核）", "签发人", 3 },
		{ "abc", "xbcx", 2 },
		{ "abc", "def", 0 },
		{ "", "abc", 0 },
		{ "", "", 0 },
		{ "司法局", "司法局", 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(utf8_common_run(cases[i].a, cases[i].b),
		    cases[i].want);
		assert_int_equal(utf8_common_run(cases[i].b, cases[i].a),
		    cases[i].want);
	}
}

/* A header cell's key: notes in brackets and spaces dropped (SPEC 3.4). */
static void
test_header_key(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "签发人", "签发人" },
		{ "签发人（审核）", "签发人" },
		{ "签发人(必填)", "签发人" },
		{ "报送时间（年月日）", "报送时间" },
		{ "作者【必填】", "作者" },
		{ "字数[约]", "字数" },
		{ " 编 号 ", "编号" },
		{ "编\xe3\x80\x80号", "编号" },
		{ "ＩＤ", "id" },
		{ "Submitted (time)", "submitted" },
		{ "（审核）", "" },
		{ "签发（人", "签发(人" },      /* unclosed: kept */
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *k = header_key(cases[i].in);
		if (strcmp(k, cases[i].want) != 0)
			fail_msg("\"%s\": \"%s\" want \"%s\"", cases[i].in, k,
			    cases[i].want);
		free(k);
	}
}

/* Characters that hide or reorder text: each class found at its offset,
 * plain text (CJK, punctuation, tab, LF, CR) never; stripping removes
 * them all and nothing else. */
static void
test_hidden(void **state)
{
	static const struct { const char *s; size_t off; uint32_t cp; } cases[] = {
		{ "武汉\xE2\x80\xAE" "局法司", 6, 0x202E },     /* RLO */
		{ "H-\xE2\x80\x8B" "3", 2, 0x200B },            /* ZWSP */
		{ "a\xE2\x80\x8D", 1, 0x200D },                 /* ZWJ */
		{ "\xE2\x80\x8F", 0, 0x200F },                  /* RLM */
		{ "x\xE2\x81\xA6y", 1, 0x2066 },                /* LRI */
		{ "x\xE2\x81\xA9", 1, 0x2069 },                 /* PDI */
		{ "\xD8\x9C", 0, 0x61C },                       /* ALM */
		{ "李\xEF\xBB\xBF四", 3, 0xFEFF },              /* BOM */
		{ "张\xC2\x85三", 3, 0x85 },                    /* C1 NEL */
		{ "x\xC2\xAD", 1, 0xAD },                       /* soft hyphen */
		{ "\x1B[2J", 0, 0x1B },                         /* ESC */
		{ "a\x7F", 1, 0x7F },                           /* DEL */
		{ "\xE2\x80\xA8", 0, 0x2028 },                  /* LSEP */
		{ "\xE3\x85\xA4", 0, 0x3164 },                  /* filler */
		{ "t\xF3\xA0\x81\x81", 1, 0xE0041 },            /* tag A */
		{ "\xF0\x9D\x85\xB3", 0, 0x1D173 },
	};
	static const char *const plain[] = { "", "武汉市司法局", "关于“公共法律"
	    "服务”的报告（一）、二；", "tab\there", "line\nbreak\r\n",
	    "１２３ＡＢＣ　全角", "é ñ ü", "\xE2\x80\x94\xE2\x80\x94",
	    "\xEF\xBC\x8C", "😀", "\xE2\x82\xAC" };
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		cp = 0;
		assert_int_equal(text_hidden_at(cases[i].s, &cp), cases[i].off);
		assert_int_equal(cp, cases[i].cp);
		assert_non_null(text_hidden_name(cp));
	}
	for (size_t i = 0; i < ARRAY_LEN(plain); i++)
		assert_int_equal(text_hidden_at(plain[i], &cp), (size_t)-1);
	{
		char s[] = "关于\xE2\x80\xAE公共\xE2\x80\x8B法律\xE2\x81\xA6服务"
		    "\xF3\xA0\x81\x81的报告\x1B";
		assert_int_equal(text_strip_hidden(s, &cp), 5);
		assert_int_equal(cp, 0x202E);
		assert_string_equal(s, "关于公共法律服务的报告");
	}
	{
		char s[] = "nothing to strip: 武汉";
		assert_int_equal(text_strip_hidden(s, NULL), 0);
		assert_string_equal(s, "nothing to strip: 武汉");
	}
	/* a stray byte is not ours to judge, and never read past the end */
	assert_int_equal(text_hidden_at("\xC2", &cp), (size_t)-1);
	assert_int_equal(text_hidden_at("\xE2\x80", &cp), (size_t)-1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_decode_encode),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_common_run),
		cmocka_unit_test(test_header_key),
		cmocka_unit_test(test_hidden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
