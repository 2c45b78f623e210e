/*
 * test_layout.c - the Chinese line breaker (layout*.c) with made-up
 * advances (ideographs and full-width punctuation 1, ASCII 0.5): no line
 * starts with closing punctuation or ends with opening punctuation,
 * justified lines fill the width exactly, numbers with their unit stay
 * together, over-long words are cut, invalid UTF-8 is kept visible;
 * titles break where phrases end (after 系统, before （, at a zero-width
 * space), not inside a word such as 司法行政; 标点挤压 of mark pairs and
 * at line ends (挤进, else 推出), no spacing inside digits and Latin runs,
 * unit names kept whole or broken where their parts end, and the columns
 * of a table chosen from its cells (layout_columns).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "util.h"

/* UTF-8 of cp into u; returns the length */
static size_t
utf8_put_test(char *u, uint32_t c)
{
	if (c < 0x80) {
		u[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	u[0] = (char)(0xE0 | (c >> 12));
	u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	u[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

static const char closing[] = "，。、；：？！）」”』》〕】％…";
static const char opening[] = "（「“『《〔【";

typedef struct para {
	uint32_t   *cp;
	double     *adv;
	size_t      n;
	lay_line_t *lines;
	size_t      nl;
} para_t;

static void
lay(para_t *p, const char *text, double width, double first, bool justify)
{
	lay_opts_t o = { .width = width, .first_indent = first,
	    .justify = justify };

	p->n = layout_decode(text, &p->cp);
	p->adv = xmalloc((p->n + 1) * sizeof *p->adv);
	for (size_t i = 0; i < p->n; i++)
		p->adv[i] = p->cp[i] < 0x80 ? 0.5 : 1.0;
	p->nl = layout_break(p->cp, p->adv, p->n, &o, &p->lines);
}

static void
para_free(para_t *p)
{
	free(p->cp);
	free(p->adv);
	free(p->lines);
}

static bool
in_set(const char *set, uint32_t c)
{
	uint32_t *v = NULL;
	size_t n = layout_decode(set, &v);
	bool found = false;

	for (size_t i = 0; i < n; i++)
		found |= v[i] == c;
	free(v);
	return found;
}

static const char *const texts[] = {
	"2017年第一季度，全省司法行政系统共报送政务信息1316条，计入任务数1208条，其中动态信息964条、调研信息187条、重要紧急信息57条。省厅门户网站采用412条，省厅工作简报采用96条，司法部采用23条，省委、省政府采用11条，领导批示8次。",
	"硚口区司法局、荆州市松滋市洈水基层法律服务所等9个单位未完成季度报送任务（见附件1）。《关于加强“两个所”建设的调研》被司法部采用。“引号”（括号）「直角」【方头】；好！……结束。",
	"（一）（二）（三）（四）（五）（六）（七）（八）（九）（十）（十一）（十二）（十三）（十四）（十五）（十六）（十七）（十八）（十九）（二十）。……”），“（甲）”。",
};

static void
test_no_bad_line_edges(void **state)
{
	(void)state;
	for (size_t t = 0; t < ARRAY_LEN(texts); t++)
		for (double w = 8; w <= 30; w += 1) {
			para_t p;

			lay(&p, texts[t], w, 2, true);
			for (size_t i = 0; i < p.nl; i++) {
				lay_line_t *l = &p.lines[i];

				if (l->end == l->start)
					continue;
				if (i > 0)
					assert_false(in_set(closing, p.cp[l->start]));
				if (!l->last)
					assert_false(in_set(opening, p.cp[l->end - 1]));
			}
			/* lines cover the text in order */
			assert_int_equal(p.lines[0].start, 0);
			assert_int_equal(p.lines[p.nl - 1].end, p.n);
			for (size_t i = 1; i < p.nl; i++)
				assert_int_equal(p.lines[i].start, p.lines[i - 1].end);
			para_free(&p);
		}
}

static void
test_justified_width(void **state)
{
	para_t p;

	(void)state;
	lay(&p, texts[0], 28, 2, true);
	assert_true(p.nl > 2);
	for (size_t i = 0; i < p.nl; i++) {
		lay_line_t *l = &p.lines[i];
		double avail = 28 - l->indent;
		double w = l->natural + l->extra * (double)l->ngaps;

		assert_true(l->natural <= avail + 1e-9);
		if (!l->last)
			assert_true(fabs(w - avail) < 1e-9);
		else
			assert_true(l->extra == 0);
	}
	assert_true(p.lines[0].indent == 2);
	assert_true(p.lines[1].indent == 0);
	para_free(&p);
}

/* A line of 28 ideographs is exactly full: no extra spacing. */
static void
test_full_grid_line(void **state)
{
	para_t p;
	char text[28 * 3 * 2 + 1] = "";

	(void)state;
	for (int i = 0; i < 56; i++)
		strcat(text, "政");
	lay(&p, text, 28, 0, true);
	assert_int_equal(p.nl, 2);
	assert_int_equal(p.lines[0].end, 28);
	assert_true(p.lines[0].extra == 0);
	assert_true(p.lines[1].last);
	para_free(&p);
}

/* "2017年" and "1316条" are never split, wherever the line ends. */
static void
test_numbers_stay_together(void **state)
{
	const char *text = "全省共报送信息1316条，计入任务数1208条，截至2017年3月31日。";

	(void)state;
	for (double w = 3; w <= 20; w += 0.5) {
		para_t p;

		lay(&p, text, w, 0, true);
		for (size_t i = 0; i + 1 < p.nl; i++) {
			uint32_t a = p.cp[p.lines[i].end - 1], b = p.cp[p.lines[i].end];

			/* no break inside digits, nor between a digit and the
			 * ideograph after it (unless the line is too narrow) */
			if (w >= 4)
				assert_false(a >= '0' && a <= '9' &&
				    ((b >= '0' && b <= '9') || b >= 0x4E00));
		}
		para_free(&p);
	}
}

static void
test_long_word_cut(void **state)
{
	para_t p;

	(void)state;
	lay(&p, "http://www.example.com/a/very/long/path/that/cannot/fit", 10, 0, true);
	assert_true(p.nl >= 3);
	for (size_t i = 0; i < p.nl; i++)
		assert_true(p.lines[i].natural <= 10 + 1e-9);
	para_free(&p);
}

static void
test_decode_invalid(void **state)
{
	uint32_t *v = NULL;
	size_t n;

	(void)state;
	n = layout_decode("a\xFF" "b\xE4\xB8" "c\xF0\x9F\x98\x80\xED\xA0\x80", &v);
	assert_int_equal(n, 7);
	assert_int_equal(v[0], 'a');
	assert_int_equal(v[1], 0xFFFD);
	assert_int_equal(v[2], 'b');
	assert_int_equal(v[3], 0xFFFD);
	assert_int_equal(v[4], 'c');
	assert_int_equal(v[5], 0x1F600);
	assert_int_equal(v[6], 0xFFFD);
	free(v);
}

static void
test_empty_and_newline(void **state)
{
	para_t p;

	(void)state;
	lay(&p, "", 28, 2, true);
	assert_int_equal(p.nl, 1);
	assert_int_equal(p.lines[0].end, 0);
	para_free(&p);
	lay(&p, "第一行\n第二行", 28, 0, true);
	assert_int_equal(p.nl, 2);
	assert_true(p.lines[0].last);
	assert_true(p.lines[0].extra == 0);
	para_free(&p);
}


/* The lines of a title set by layout_title, joined by "|". */
static char *
title_lines(const char *text, double width)
{
	para_t p;
	lay_opts_t o = { .width = width };
	buf_t b;

	memset(&p, 0, sizeof p);
	p.n = layout_decode(text, &p.cp);
	p.adv = xmalloc((p.n + 1) * sizeof *p.adv);
	for (size_t i = 0; i < p.n; i++)
		p.adv[i] = p.cp[i] == 0x200B ? 0 : p.cp[i] < 0x80 ? 0.5 : 1.0;
	p.nl = layout_title(p.cp, p.adv, p.n, &o, 1.0, &p.lines);
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < p.nl; i++) {
		for (size_t k = p.lines[i].start; k < p.lines[i].end; k++) {
			char u[5];

			if (p.cp[k] != 0x200B)
				buf_add(&b, u, utf8_put_test(u, p.cp[k]));
		}
		assert_true(p.lines[i].natural <= width + 1e-9);
		if (i + 1 < p.nl)
			buf_putc(&b, '|');
	}
	para_free(&p);
	return buf_steal(&b);
}

static void
test_title_breaks(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		/* the notice: not 司法行|政 (the greedy fill), but after 系统 */
		{"关于2017年第一季度全省司法行政系统政务信息工作情况的通报",
		 "关于2017年第一季度全省司法行政系统|政务信息工作情况的通报"},
		{"关于2017年度全省司法行政系统政务信息工作情况的通报",
		 "关于2017年度全省司法行政系统|政务信息工作情况的通报"},
		/* a bracketed name stays whole, on its own line */
		{"2017年第一季度政务信息考评结果明细（宜昌市法律援助中心）",
		 "2017年第一季度政务信息考评结果明细|（宜昌市法律援助中心）"},
		/* the template's zero-width space wins */
		{"关于2017年第一季度全省司法行政\u200B系统政务信息工作情况的通报",
		 "关于2017年第一季度全省司法行政|系统政务信息工作情况的通报"},
		/* one line: untouched */
		{"2017年度政务信息考评得分表", "2017年度政务信息考评得分表"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *got = title_lines(cases[i].in, 20);

		if (strcmp(got, cases[i].out) != 0)
			fprintf(stderr, "title %zu: got %s\n", i, got);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* ---- 标点挤压, spacing, kept phrases, columns ------------------------------ */

/* Sets text at width (em 1: ideographs 1, ASCII 0.5) with squeezing;
 * the squeezes into *sq (caller frees). */
static void
lay_sq(para_t *p, const char *text, double width, bool justify, double **sq)
{
	lay_opts_t o = { .width = width, .justify = justify, .em = 1.0 };

	p->n = layout_decode(text, &p->cp);
	p->adv = xmalloc((p->n + 1) * sizeof *p->adv);
	*sq = xcalloc(p->n + 1, sizeof **sq);
	o.squeeze = *sq;
	for (size_t i = 0; i < p->n; i++)
		p->adv[i] = p->cp[i] < 0x80 ? 0.5 : 1.0;
	p->nl = layout_break(p->cp, p->adv, p->n, &o, &p->lines);
}

/* The glyph origins of line i (caller frees). */
static double *
placed(const para_t *p, const double *sq, size_t i)
{
	const lay_line_t *l = &p->lines[i];
	double *x = xmalloc((l->end - l->start + 1) * sizeof *x);

	layout_place(p->cp, p->adv, sq, l, x);
	return x;
}

/* "）、" "。”" "，“" "（“": 1.5 em for the pair, the opening mark's glyph
 * moved into its blank half; elsewhere nothing squeezed. */
static void
test_squeeze_pairs(void **state)
{
	para_t p;
	double *sq, *x;

	(void)state;
	lay_sq(&p, "甲（乙），丙。”丁，“戊”（“己", 40, false, &sq);
	assert_int_equal(p.nl, 1);
	x = placed(&p, sq, 0);
	/* 甲（乙）：each 1 em; ）gives up half before ， */
	assert_true(fabs(x[1] - 1) < 1e-9 && fabs(x[2] - 2) < 1e-9);
	assert_true(fabs(sq[3] - 0.5) < 1e-9);
	assert_true(fabs(x[4] - x[3] - 0.5) < 1e-9);      /* ）， */
	assert_true(fabs(x[7] - x[6] - 0.5) < 1e-9);      /* 。” */
	/* ，“ : the opening mark squeezed, its glyph half an em left */
	assert_true(fabs(sq[10] - 0.5) < 1e-9);
	assert_true(fabs(x[10] - x[9] - 0.5) < 1e-9);
	assert_true(fabs(x[11] - x[10] - 1) < 1e-9);      /* “ then 戊: its box */
	/* ”（“ : （ after ” and “ after （ both squeezed */
	assert_true(fabs(sq[13] - 0.5) < 1e-9 && fabs(sq[14] - 0.5) < 1e-9);
	for (size_t i = 0; i < p.n; i++)
		if (i != 3 && i != 6 && i != 10 && i != 13 && i != 14)
			assert_true(sq[i] == 0);
	/* the width: 16 characters, five halves given up */
	assert_true(fabs(p.lines[0].natural - (16 - 2.5)) < 1e-9);
	free(x);
	free(sq);
	para_free(&p);
}

/* An opening mark that starts a line keeps its box (its partner is on
 * the line before); a mark that may not start a line is squeezed onto
 * the line's end when the line's marks can give the room (挤进), and the
 * characters are pushed down when they cannot. */
static void
test_squeeze_line_ends(void **state)
{
	para_t p;
	double *sq;

	(void)state;
	lay_sq(&p, "一二三四五，“六七八”", 6, false, &sq);
	assert_true(p.nl == 2 && p.lines[1].start == 6);
	assert_true(sq[6] == 0);
	assert_true(p.lines[0].natural <= 6 + 1e-9);
	free(sq);
	para_free(&p);
	/* 10 a line; "、" inside gives the half the "。" needs */
	lay_sq(&p, "一二三、四五六七八九。甲乙", 10, true, &sq);
	assert_int_equal(p.lines[0].end, 11);             /* 11 characters */
	assert_true(fabs(p.lines[0].natural - 10) < 1e-9);
	assert_true(fabs(sq[10] - 0.5) < 1e-9 && fabs(sq[3] - 0.5) < 1e-9);
	free(sq);
	para_free(&p);
	/* no mark inside to give way: 九 goes down with 。, the line is
	 * justified */
	lay_sq(&p, "一二三四五六七八九十。甲乙", 10, true, &sq);
	assert_int_equal(p.lines[0].end, 9);
	assert_true(p.lines[0].extra > 0);
	for (size_t i = 0; i < p.n; i++)
		assert_true(sq[i] == 0);
	free(sq);
	para_free(&p);
}

/* Justification never goes inside a run of digits or Latin letters: the
 * gaps inside "2017", "DB-01" and "2.5" stay the advances. */
static void
test_no_spacing_in_numbers(void **state)
{
	para_t p;
	double *sq, *x;
	const lay_line_t *l;

	(void)state;
	/* 16 fit; 。 may not start a line, so 加 goes down with it */
	lay_sq(&p, "截至2017年共DB-01项2.5分数字相加。这是下一行", 16, true, &sq);
	l = &p.lines[0];
	assert_true(p.nl >= 2 && l->extra > 0);
	x = placed(&p, sq, 0);
	for (size_t k = l->start; k + 1 < l->end; k++) {
		double gap = x[k + 1 - l->start] - x[k - l->start] - p.adv[k];
		bool western = p.cp[k] < 0x80 && p.cp[k + 1] < 0x80;

		if (western)
			assert_true(fabs(gap) < 1e-9);
		else
			assert_true(fabs(gap - l->extra) < 1e-9);
	}
	/* the line fills its width: natural plus extra at each stretchable gap */
	assert_true(fabs(l->natural + l->extra * (double)l->ngaps - 16) < 1e-9);
	free(x);
	free(sq);
	para_free(&p);
}

/* A unit name is kept whole where the line can hold it, and gives way
 * first where one of its parts ends (荆门市|沙洋县|…) when it cannot. */
static void
test_keep_phrases(void **state)
{
	static const char *const name = "荆门市沙洋县高阳基层法律服务所";
	uint32_t *phr = NULL, *cp = NULL;
	size_t plen = layout_decode(name, &phr), n;
	unsigned char *keep;
	double *adv;
	lay_line_t *lines = NULL;
	lay_opts_t o = { .width = 0, .em = 1.0 };
	size_t nl;

	(void)state;
	n = layout_decode("报送单位荆门市沙洋县高阳基层法律服务所的信息", &cp);
	keep = xcalloc(n + 1, 1);
	adv = xmalloc((n + 1) * sizeof *adv);
	for (size_t i = 0; i < n; i++)
		adv[i] = 1;
	assert_int_equal(layout_keep_phrases(cp, n, (const uint32_t *const *)&phr,
	    &plen, 1, keep), 1);
	assert_int_equal(keep[3], LAY_BREAK);             /* before the name */
	assert_int_equal(keep[6], LAY_KEEP_SOFT);         /* after 市 */
	assert_int_equal(keep[4], LAY_KEEP);
	assert_int_equal(keep[18], LAY_BREAK);            /* its last character */
	o.keep = keep;
	/* 16 wide: the name goes whole to the second line */
	o.width = 16;
	nl = layout_break(cp, adv, n, &o, &lines);
	assert_true(nl == 3 && lines[0].end == 4 && lines[1].end == 20);
	assert_true(!lines[0].broke_keep && !lines[1].broke_keep);
	free(lines);
	/* 10 wide: it cannot be whole; it breaks after 县 */
	o.width = 10;
	nl = layout_break(cp, adv, n, &o, &lines);
	assert_true(nl >= 2);
	assert_true(lines[0].end == 4 && lines[1].end == 10 && lines[1].broke_keep);
	free(lines);
	free(keep);
	free(adv);
	free(cp);
	free(phr);
}

/* Columns from the content: the name column takes its longest name when
 * the table can afford it, the numbers stay on one line, the header wraps
 * before a name breaks; when the names cannot all be whole it says so. */
static void
test_columns(void **state)
{
	static const char *const head[4] = {"名次", "单位", "累计得分", "名次升降"};
	static const char *const names[3] = {"武汉市司法局", "荆门市沙洋县高阳基层法律服务所", "省监狱局"};
	uint32_t *phr[3], *cp[16];
	size_t plen[3], n[16];
	double *adv[16], colw[4];
	unsigned char *keep[16];
	lay_text_t *cells[16];
	lay_fit_t fit;

	(void)state;
	for (int k = 0; k < 3; k++)
		plen[k] = layout_decode(names[k], &phr[k]);
	for (int r = 0; r < 4; r++)
		for (int j = 0; j < 4; j++) {
			int x = r * 4 + j;
			const char *t = r == 0 ? head[j] : j == 1 ? names[r - 1] :
			    j == 0 ? "12" : j == 2 ? "104.5" : "持平";

			n[x] = layout_decode(t, &cp[x]);
			adv[x] = xmalloc((n[x] + 1) * sizeof *adv[x]);
			keep[x] = xcalloc(n[x] + 1, 1);
			for (size_t i = 0; i < n[x]; i++)
				adv[x][i] = cp[x][i] < 0x80 ? 6 : 12;
			layout_keep_phrases(cp[x], n[x], (const uint32_t *const *)phr,
			    plen, 3, keep[x]);
			cells[x] = layout_text_new(cp[x], adv[x], n[x], keep[x], 12);
		}
	/* room for everything on one line */
	layout_columns(cells, 4, 4, 442, 5.67, colw, &fit);
	assert_true(fabs(colw[0] + colw[1] + colw[2] + colw[3] - 442) < 1e-6);
	assert_true(colw[1] >= 15 * 12 + 2 * 5.67 - 1e-6);
	assert_true(fit.broken == 0 && fit.head_lines == 1 && fit.lines == 4);
	/* 300: the 15-character name whole (191 with padding), the header
	 * stacked */
	layout_columns(cells, 4, 4, 300, 5.67, colw, &fit);
	assert_true(colw[1] >= 15 * 12 + 2 * 5.67 - 1e-6);
	assert_true(fit.broken == 0 && fit.head_lines > 1);
	/* 200: not even that: the long name breaks, and only it */
	layout_columns(cells, 4, 4, 200, 5.67, colw, &fit);
	assert_int_equal(fit.broken, 1);
	/* 40: not even the unbreakable pieces ("104.5"): shared out */
	layout_columns(cells, 4, 4, 40, 5.67, colw, &fit);
	assert_true(fabs(colw[0] + colw[1] + colw[2] + colw[3] - 40) < 1e-6);
	for (int x = 0; x < 16; x++) {
		layout_text_free(cells[x]);
		free(cp[x]);
		free(adv[x]);
		free(keep[x]);
	}
	for (int k = 0; k < 3; k++)
		free(phr[k]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_bad_line_edges),
		cmocka_unit_test(test_justified_width),
		cmocka_unit_test(test_full_grid_line),
		cmocka_unit_test(test_numbers_stay_together),
		cmocka_unit_test(test_long_word_cut),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_empty_and_newline),
		cmocka_unit_test(test_title_breaks),
		cmocka_unit_test(test_squeeze_pairs),
		cmocka_unit_test(test_squeeze_line_ends),
		cmocka_unit_test(test_no_spacing_in_numbers),
		cmocka_unit_test(test_keep_phrases),
		cmocka_unit_test(test_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
