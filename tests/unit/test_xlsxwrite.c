/*
 * test_xlsxwrite.c - the workbooks of gen/publish/xlsxwrite.c, read back with
 * libzip and searched as text: sheet names and order, number cells
 * against string cells, the frozen header and filter, column widths, the
 * ledger template's formats, input messages, drop-down lists on the hidden
 * sheet; byte-identical output and fixed zip dates; errors as values.
 */
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, setenv */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <zip.h>

#include "util.h"
#include "xlsxwrite.h"
#include "testutil.h"

#define CREATED ((time_t)1491004800)    /* 2017-04-01T00:00:00Z */

static const char scores_csv[] =
    "quarter,unit_id,unit_name,group,category,quota,submitted,counted,"
    "effective,met_quota,base,quality,total,rank\n"
    "2017Q1,0123,武汉市司法局,市直单位,A,3,5,4,4,1,12.5,3,15.5,1\n"
    "2017Q1,S02,汉阳区司法局,区县司法局,B,2,0,0,0,0,0,0,0,1\n"
    "2017Q1,S03,硚口区司法局,市直单位,A,3,2,2,2,0,6,0,6,2\n";

/* ---- reading the workbook back -------------------------------------------- */

static zip_t *
open_zip(const buf_t *x)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;

	zip_error_init(&ze);
	src = zip_source_buffer_create(x->data, x->len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (za == NULL)
		zip_source_free(src);
	assert_non_null(za);
	zip_error_fini(&ze);
	return za;
}

/* The part `name` of workbook x, NUL-terminated, or NULL if it has none;
 * caller frees. */
static char *
part(const buf_t *x, const char *name)
{
	zip_t *za = open_zip(x);
	zip_stat_t st;
	zip_file_t *zf;
	char *s = NULL;

	if (zip_stat(za, name, 0, &st) == 0) {
		s = xmalloc(st.size + 1);
		zf = zip_fopen(za, name, 0);
		assert_non_null(zf);
		assert_int_equal(zip_fread(zf, s, st.size), (zip_int64_t)st.size);
		s[st.size] = '\0';
		zip_fclose(zf);
	}
	zip_discard(za);
	return s;
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The element <c r="ref" .../> or <c r="ref" ...>...</c> of a sheet, or
 * NULL; caller frees. */
static char *
cell(const char *sheet, const char *ref)
{
	char *key = xasprintf("<c r=\"%s\"", ref);
	const char *p = strstr(sheet, key), *end;

	free(key);
	if (p == NULL)
		return NULL;
	end = strchr(p, '>');
	if (end[-1] != '/')
		end = strstr(p, "</c>") + 3;
	return xstrndup(p, (size_t)(end - p + 1));
}

/* The text of the first element <tag> or <tag attr...> of s, or NULL;
 * caller frees. */
static char *
inner(const char *s, const char *tag)
{
	char *open = xasprintf("<%s", tag), *close = xasprintf("</%s>", tag);
	const char *p = s, *q;
	char *r = NULL;

	while ((p = strstr(p, open)) != NULL) {
		p += strlen(open);
		if (*p == '>' || *p == ' ')
			break;
	}
	if (p != NULL && (p = strchr(p, '>')) != NULL &&
	    (q = strstr(p, close)) != NULL)
		r = xstrndup(p + 1, (size_t)(q - p - 1));
	free(open);
	free(close);
	return r;
}

/* The shared string of a t="s" cell; caller frees. */
static char *
shared(const buf_t *x, const char *c)
{
	char *sst = part(x, "xl/sharedStrings.xml"), *v = inner(c, "v"), *r;
	const char *p = sst;
	long k;

	assert_non_null(sst);
	assert_non_null(v);
	for (k = strtol(v, NULL, 10); k >= 0; k--) {
		p = strstr(p, "<si>");
		assert_non_null(p);
		p += 4;
	}
	r = inner(p - 4, "t");
	free(v);
	free(sst);
	return r;
}

/* Asserts that cell ref of sheet part `name` is a number cell of the
 * value of v.  (libxlsxwriter prints %.16G, so -98765.4321 is written
 * -98765.43210000001: the same double, not the same text.) */
static void
assert_number(const buf_t *x, const char *name, const char *ref,
    const char *v)
{
	char *sheet = part(x, name), *c = cell(sheet, ref), *got;

	assert_non_null(c);
	assert_null(strstr(c, " t=\""));
	got = inner(c, "v");
	assert_non_null(got);
	if (strtod(got, NULL) != strtod(v, NULL))
		fail_msg("%s: %s, not %s", ref, got, v);
	free(got);
	free(c);
	free(sheet);
}

/* Asserts that cell ref is a shared-string cell holding text. */
static void
assert_text(const buf_t *x, const char *name, const char *ref,
    const char *text)
{
	char *sheet = part(x, name), *c = cell(sheet, ref), *got;

	assert_non_null(c);
	assert_non_null(strstr(c, " t=\"s\""));
	got = shared(x, c);
	assert_string_equal(got, text);
	free(got);
	free(c);
	free(sheet);
}

/* The number format code of style index s (the xf's numFmtId resolved
 * through numFmts; built-in ids as "#id"); caller frees. */
static char *
style_format(const buf_t *x, long s)
{
	char *styles = part(x, "xl/styles.xml"), *r, *key;
	const char *p = strstr(styles, "<cellXfs");
	long id;

	assert_non_null(p);
	for (; s >= 0; s--) {
		p = strstr(p + 1, "<xf ");
		assert_non_null(p);
	}
	p = strstr(p, "numFmtId=\"");
	id = strtol(p + 10, NULL, 10);
	key = xasprintf("<numFmt numFmtId=\"%ld\" formatCode=\"", id);
	if ((p = strstr(styles, key)) != NULL) {
		p += strlen(key);
		r = xstrndup(p, strcspn(p, "\""));
	} else
		r = xasprintf("#%ld", id);
	free(key);
	free(styles);
	return r;
}

/* The format code of column col (1 = A) of sheet1 (its <col style>). */
static char *
column_format(const buf_t *x, int col)
{
	char *sheet = part(x, "xl/worksheets/sheet1.xml");
	char *key = xasprintf("<col min=\"%d\" max=\"%d\"", col, col), *r;
	const char *p = strstr(sheet, key), *st;

	assert_non_null(p);
	st = strstr(p, "style=\"");
	assert_true(st != NULL && st < strchr(p, '>'));
	r = style_format(x, strtol(st + 7, NULL, 10));
	free(key);
	free(sheet);
	return r;
}

/* The width attribute of column col of a sheet, as a whole number. */
static long
column_width(const char *sheet, int col)
{
	char *key = xasprintf("<col min=\"%d\" max=\"%d\" width=\"", col, col);
	const char *p = strstr(sheet, key);
	long w;

	assert_non_null(p);
	w = strtol(p + strlen(key), NULL, 10);
	free(key);
	return w;
}

static void
from_csv(const char *csv, const char *group, buf_t *out)
{
	buf_t in;
	char *err = NULL;

	buf_init(&in);
	buf_puts(&in, csv);
	buf_init(out);
	if (xlsx_from_csv(&in, group, "全部单位", CREATED, out, &err) != 0)
		fail_msg("xlsx_from_csv: %s", err);
	assert_null(err);
	buf_free(&in);
}

/* ---- xlsx_from_csv ---------------------------------------------------------- */

static void
csv_sheets_and_cells(void **state)
{
	static const char frozen[] = "<pane ySplit=\"1\" topLeftCell=\"A2\" "
	    "activePane=\"bottomLeft\" state=\"frozen\"/>";
	buf_t x;
	char *wb, *s1, *s2, *s3, *c;

	(void)state;
	from_csv(scores_csv, "group", &x);
	wb = part(&x, "xl/workbook.xml");
	assert_non_null(wb);
	assert_int_equal(count(wb, "<sheet "), 3);
	assert_non_null(strstr(wb, "<sheet name=\"全部单位\" sheetId=\"1\""));
	assert_non_null(strstr(wb, "<sheet name=\"市直单位\" sheetId=\"2\""));
	assert_non_null(strstr(wb, "<sheet name=\"区县司法局\" sheetId=\"3\""));

	s1 = part(&x, "xl/worksheets/sheet1.xml");
	s2 = part(&x, "xl/worksheets/sheet2.xml");
	s3 = part(&x, "xl/worksheets/sheet3.xml");
	assert_non_null(s3);
	assert_null(part(&x, "xl/worksheets/sheet4.xml"));
	for (int k = 0; k < 3; k++) {
		char *name = xasprintf("xl/worksheets/sheet%d.xml", k + 1);

		assert_non_null(strstr((char *[]){ s1, s2, s3 }[k], frozen));
		assert_text(&x, name, "A1", "quarter");
		assert_text(&x, name, "N1", "rank");
		free(name);
	}
	assert_non_null(strstr(s1, "<dimension ref=\"A1:N4\"/>"));
	assert_non_null(strstr(s1, "<autoFilter ref=\"A1:N4\"/>"));
	assert_non_null(strstr(s2, "<autoFilter ref=\"A1:N3\"/>"));
	assert_non_null(strstr(s3, "<autoFilter ref=\"A1:N2\"/>"));

	/* the header is bold: its style has a font of its own */
	c = cell(s1, "A1");
	assert_non_null(strstr(c, " s=\""));
	free(c);
	assert_text(&x, "xl/worksheets/sheet1.xml", "A2", "2017Q1");
	assert_text(&x, "xl/worksheets/sheet1.xml", "B2", "0123");
	assert_text(&x, "xl/worksheets/sheet1.xml", "C2", "武汉市司法局");
	assert_number(&x, "xl/worksheets/sheet1.xml", "F2", "3");
	assert_number(&x, "xl/worksheets/sheet1.xml", "K2", "12.5");
	assert_number(&x, "xl/worksheets/sheet1.xml", "M4", "6");
	/* the groups' sheets: each its own rows in order */
	assert_text(&x, "xl/worksheets/sheet2.xml", "C3", "硚口区司法局");
	assert_text(&x, "xl/worksheets/sheet3.xml", "C2", "汉阳区司法局");
	assert_text(&x, "xl/worksheets/sheet3.xml", "A1", "quarter");

	/* widths: 6 CJK characters are 12 units, plus the margin */
	assert_int_equal(column_width(s1, 3), 14);
	/* a header wider than its cells keeps room for the filter button */
	assert_int_equal(column_width(s1, 14), 8);    /* "rank" 4 + 2 + 2 */

	free(wb);
	free(s1);
	free(s2);
	free(s3);
	buf_free(&x);
}

static void
csv_quoting_and_cjk(void **state)
{
	buf_t x;
	char *s1, *c;

	(void)state;
	/* a BOM, CRLF records, and a quoted field with a comma, quotes and a
	 * line break */
	from_csv("\xEF\xBB\xBFid,标题,备注\r\n"
	    "1,\"关于\"\"枫桥经验\"\"，a,b\n第二行\",\"\"\r\n"
	    "2,普通标题,x\r\n", NULL, &x);
	s1 = part(&x, "xl/worksheets/sheet1.xml");
	assert_text(&x, "xl/worksheets/sheet1.xml", "A1", "id");
	assert_text(&x, "xl/worksheets/sheet1.xml", "B2",
	    "关于\"枫桥经验\"，a,b\n第二行");
	assert_number(&x, "xl/worksheets/sheet1.xml", "A3", "2");
	assert_text(&x, "xl/worksheets/sheet1.xml", "B3", "普通标题");
	/* an empty field is no cell at all */
	assert_null(cell(s1, "C2"));
	/* the cell with a line break wraps */
	c = cell(s1, "B2");
	assert_non_null(strstr(c, " s=\""));
	free(c);
	/* the widest line counts: 关于"枫桥经验"，a,b is 7 wide + 5 */
	assert_int_equal(column_width(s1, 2), 19 + 2);
	assert_null(part(&x, "xl/worksheets/sheet2.xml"));
	free(s1);
	buf_free(&x);
}

static void
csv_numbers(void **state)
{
	static const struct { const char *field, *num; } cases[] = {
		{ "0", "0" },
		{ "0.5", "0.5" },
		{ "-3", "-3" },
		{ "12.50", "12.5" },
		{ "0.0012", "0.0012" },
		{ "123456789012345", "123456789012345" },
		{ "-98765.4321", "-98765.4321" },
		{ "1234567890123456", NULL },        /* 16 significant digits */
		{ "0.1234567890123456", NULL },
		{ "007", NULL },
		{ "00", NULL },
		{ "1e5", NULL },
		{ "1.", NULL },
		{ ".5", NULL },
		{ "-", NULL },
		{ "-0", NULL },                      /* Excel would show 0 */
		{ "-0.0", NULL },
		{ "+1", NULL },
		{ " 1", NULL },
		{ "2017Q1", NULL },
		{ "１２", NULL },                    /* full-width digits */
	};
	buf_t csv, x;
	const char *name = "xl/worksheets/sheet1.xml";
	char ref[16];

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "k,v\n");
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		buf_printf(&csv, "k%zu,%s\n", i, cases[i].field);
	from_csv(csv.data, NULL, &x);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		snprintf(ref, sizeof ref, "B%zu", i + 2);
		if (cases[i].num != NULL)
			assert_number(&x, name, ref, cases[i].num);
		else
			assert_text(&x, name, ref, cases[i].field);
	}
	/* 12.50 keeps its two decimals on show */
	{
		char *sheet = part(&x, name), *c = cell(sheet, "B5"), *f;

		f = style_format(&x, strtol(strstr(c, " s=\"") + 4, NULL, 10));
		assert_string_equal(f, "0.00");
		free(f);
		free(c);
		free(sheet);
	}
	buf_free(&csv);
	buf_free(&x);
}

static void
csv_sheet_names(void **state)
{
	static const struct { const char *value, *sheet; } cases[] = {
		{ "a/b:c*d?e[f]g\\h", "a_b_c_d_e_f_g_h" },
		{ "abcdefghijklmnopqrstuvwxyz0123456789",
		  "abcdefghijklmnopqrstuvwxyz01234" },
		{ "abcdefghijklmnopqrstuvwxyz01234XYZ",
		  "abcdefghijklmnopqrstuvwxyz01(2)" },
		{ "ABC", "ABC" },
		{ "abc", "abc(2)" },
		{ "", "(空)" },
		{ "'quoted'", "_quoted_" },
		{ "全部单位", "全部单位(2)" },
		{ "history", "history(2)" },
		{ "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一" },
		/* outside the BMP: two UTF-16 units each, so 15 fit */
		{ "𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀",
		  "𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀" },
	};
	buf_t csv, x;
	char *wb;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "id,group\n");
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		buf_printf(&csv, "u%zu,\"%s\"\n", i, cases[i].value);
	}
	buf_puts(&csv, "again,ABC\n");
	from_csv(csv.data, "group", &x);
	wb = part(&x, "xl/workbook.xml");
	assert_int_equal(count(wb, "<sheet "), 1 + ARRAY_LEN(cases));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *want = xasprintf("<sheet name=\"%s\" sheetId=\"%zu\"",
		    cases[i].sheet, i + 2);

		if (strstr(wb, want) == NULL)
			fail_msg("no %s in %s", want, wb);
		free(want);
	}
	/* the second ABC row went to the first ABC sheet */
	assert_text(&x, "xl/worksheets/sheet5.xml", "A3", "again");
	free(wb);
	buf_free(&csv);
	buf_free(&x);
}

static void
csv_errors(void **state)
{
	static const struct { const char *csv, *group, *want; } cases[] = {
		{ "a,b\n1,2\n3\n", NULL, "line 3: 1 fields, the header has 2" },
		{ "a\n\"open\nstill open\n", NULL, "line 2: a quoted field never ends" },
		{ "a,b\n\"x\"y,2\n", NULL, "line 2: text after a closing quote" },
		{ "a\nok\n\xff\n", NULL, "line 3: not UTF-8" },
		{ "a\nx\0y\n", NULL, "line 2: not UTF-8" },
		{ "", NULL, "no header" },
		{ "\n\r\n", NULL, "no header" },
		{ "a,b\n1,2\n", "group", "no column group" },
	};
	static const size_t lens[] = { 0, 0, 0, 0, 6, 0, 0, 0 };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		buf_t in, out;
		char *err = NULL;

		buf_init(&in);
		buf_add(&in, cases[i].csv, lens[i] ? lens[i] : strlen(cases[i].csv));
		buf_init(&out);
		assert_int_equal(xlsx_from_csv(&in, cases[i].group, "all",
		    CREATED, &out, &err), -1);
		assert_non_null(err);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: \"%s\" has no \"%s\"", i, err,
			    cases[i].want);
		assert_int_equal(out.len, 0);
		free(err);
		buf_free(&in);
		buf_free(&out);
	}
	{
		buf_t in, out;
		char *err = NULL;

		buf_init(&in);
		buf_puts(&in, "a\n1\n");
		buf_init(&out);
		assert_int_equal(xlsx_from_csv(&in, NULL, "all", 0, &out, &err), -1);
		assert_non_null(strstr(err, "creation time"));
		free(err);
		buf_free(&in);
		buf_free(&out);
	}
}

/* ---- xlsx_template ------------------------------------------------------------ */

struct ledger {
	const char *headers[5], *notes[5];
	int         kinds[5];
	const char *units[120];
	char       *unit_names[120];
	xlsx_list_t lists[2];
};

static const char *const kinds_list[] = { "信息", "简报", "专报" };

static void
ledger_init(struct ledger *lg)
{
	static const char *const h[] = { "报送单位", "类别", "报送时间", "字数", "标题" };
	static const char *const n[] = {
		"填写登记表中的单位全称或简称", "信息、简报或专报",
		"如 2017-01-05 09:30", NULL, "",
	};
	static const int k[] = { XLSX_TEXT, XLSX_TEXT, XLSX_TIME, XLSX_NUMBER,
	    XLSX_TEXT };

	memset(lg, 0, sizeof *lg);
	memcpy(lg->headers, h, sizeof h);
	memcpy(lg->notes, n, sizeof n);
	memcpy(lg->kinds, k, sizeof k);
	/* 120 unit names: joined, far past Excel's 255-character inline list */
	for (size_t i = 0; i < ARRAY_LEN(lg->units); i++)
		lg->units[i] = lg->unit_names[i] = xasprintf("第%zu司法所", i + 1);
	lg->lists[0] = (xlsx_list_t){ 0, lg->units, ARRAY_LEN(lg->units) };
	lg->lists[1] = (xlsx_list_t){ 1, kinds_list, ARRAY_LEN(kinds_list) };
}

static void
ledger_free(struct ledger *lg)
{
	for (size_t i = 0; i < ARRAY_LEN(lg->unit_names); i++)
		free(lg->unit_names[i]);
}

static void
make_template(const struct ledger *lg, size_t nlists, buf_t *out)
{
	char *err = NULL;

	buf_init(out);
	if (xlsx_template(lg->headers, lg->notes, lg->kinds, 5, lg->lists,
	    nlists, CREATED, out, &err) != 0)
		fail_msg("xlsx_template: %s", err);
}

static void
template_parts(void **state)
{
	struct ledger lg;
	buf_t x;
	char *wb, *s1, *f;

	(void)state;
	ledger_init(&lg);
	make_template(&lg, 2, &x);
	wb = part(&x, "xl/workbook.xml");
	assert_int_equal(count(wb, "<sheet "), 2);
	assert_non_null(strstr(wb, "<sheet name=\"台账\" sheetId=\"1\" r:id"));
	assert_non_null(strstr(wb,
	    "<sheet name=\"lists\" sheetId=\"2\" state=\"hidden\""));

	s1 = part(&x, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(s1, "<pane ySplit=\"1\" topLeftCell=\"A2\" "
	    "activePane=\"bottomLeft\" state=\"frozen\"/>"));
	assert_text(&x, "xl/worksheets/sheet1.xml", "C1", "报送时间");
	assert_null(cell(s1, "A2"));
	/* the drop-downs refer to the hidden sheet, and only warn */
	assert_int_equal(count(s1, "<dataValidation "), 3);
	assert_int_equal(count(s1, "type=\"list\" errorStyle=\"warning\""), 2);
	assert_non_null(strstr(s1,
	    "<formula1>'lists'!$A$2:$A$121</formula1>"));
	assert_non_null(strstr(s1, "<formula1>'lists'!$B$2:$B$4</formula1>"));
	assert_non_null(strstr(s1, "promptTitle=\"报送单位\" "
	    "prompt=\"填写登记表中的单位全称或简称\" sqref=\"A2:A1048576\""));
	assert_non_null(strstr(s1, "promptTitle=\"报送时间\" "
	    "prompt=\"如 2017-01-05 09:30\" sqref=\"C2:C1048576\""));
	/* no note, no list: nothing on 字数 and 标题 */
	assert_null(strstr(s1, "sqref=\"D2"));
	assert_null(strstr(s1, "sqref=\"E2"));
	/* formats on the whole columns, by kind */
	f = column_format(&x, 1);
	assert_string_equal(f, "@");
	free(f);
	f = column_format(&x, 3);
	assert_string_equal(f, "yyyy-mm-dd hh:mm");
	free(f);
	f = column_format(&x, 4);
	assert_string_equal(f, "0");
	free(f);
	/* widths: the longest unit, a whole date, the header */
	assert_int_equal(column_width(s1, 1), 11 + 2);      /* 第120司法所 */
	assert_int_equal(column_width(s1, 3), 16 + 2);
	assert_int_equal(column_width(s1, 5), 4 + 2);
	/* the lists sheet: a header, then the items */
	assert_text(&x, "xl/worksheets/sheet2.xml", "A1", "报送单位");
	assert_text(&x, "xl/worksheets/sheet2.xml", "A2", "第1司法所");
	assert_text(&x, "xl/worksheets/sheet2.xml", "A121", "第120司法所");
	assert_text(&x, "xl/worksheets/sheet2.xml", "B4", "专报");

	free(wb);
	free(s1);
	buf_free(&x);
	ledger_free(&lg);
}

static void
template_without_lists(void **state)
{
	struct ledger lg;
	buf_t x;
	char *wb, *s1;

	(void)state;
	ledger_init(&lg);
	make_template(&lg, 0, &x);
	wb = part(&x, "xl/workbook.xml");
	assert_int_equal(count(wb, "<sheet "), 1);
	assert_null(part(&x, "xl/worksheets/sheet2.xml"));
	s1 = part(&x, "xl/worksheets/sheet1.xml");
	assert_null(strstr(s1, "type=\"list\""));
	assert_int_equal(count(s1, "<dataValidation "), 3);
	free(wb);
	free(s1);
	buf_free(&x);
	ledger_free(&lg);
}

static void
template_long_note(void **state)
{
	struct ledger lg;
	buf_t note, x;
	char *s1, *want;

	(void)state;
	ledger_init(&lg);
	buf_init(&note);
	for (int i = 0; i < 300; i++)
		buf_puts(&note, "说");
	lg.notes[3] = note.data;
	make_template(&lg, 2, &x);
	s1 = part(&x, "xl/worksheets/sheet1.xml");
	/* Excel's limit is 255 characters: 254 and an ellipsis */
	note.data[254 * 3] = '\0';
	want = xasprintf("prompt=\"%s…\" sqref=\"D2:D1048576\"", note.data);
	assert_non_null(strstr(s1, want));
	free(want);
	free(s1);
	buf_free(&x);
	buf_free(&note);
	ledger_free(&lg);
}

static void
template_errors(void **state)
{
	struct ledger lg;
	buf_t out;
	char *err = NULL;

	(void)state;
	ledger_init(&lg);
	buf_init(&out);
	lg.lists[1].col = 5;
	assert_int_equal(xlsx_template(lg.headers, lg.notes, lg.kinds, 5,
	    lg.lists, 2, CREATED, &out, &err), -1);
	assert_non_null(strstr(err, "list 2"));
	free(err);
	lg.lists[1].col = 0;
	assert_int_equal(xlsx_template(lg.headers, lg.notes, lg.kinds, 5,
	    lg.lists, 2, CREATED, &out, &err), -1);
	assert_non_null(strstr(err, "list 2"));
	free(err);
	lg.lists[1].col = 1;
	lg.kinds[2] = 7;
	assert_int_equal(xlsx_template(lg.headers, lg.notes, lg.kinds, 5,
	    lg.lists, 2, CREATED, &out, &err), -1);
	assert_non_null(strstr(err, "column 3"));
	free(err);
	lg.kinds[2] = XLSX_TIME;
	assert_int_equal(xlsx_template(lg.headers, lg.notes, lg.kinds, 5,
	    lg.lists, 2, 0, &out, &err), -1);
	free(err);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	ledger_free(&lg);
}

/* ---- the same bytes every time ------------------------------------------------ */

/* Asserts that every entry of x is dated as libxlsxwriter dates them all,
 * 1980-01-01 00:00 (DOS time, which libzip reads as local time). */
static void
assert_fixed_dates(const buf_t *x)
{
	struct tm tm = { .tm_year = 80, .tm_mon = 0, .tm_mday = 1,
	    .tm_isdst = -1 };
	time_t want = mktime(&tm);
	zip_t *za = open_zip(x);
	zip_int64_t n = zip_get_num_entries(za, 0);

	assert_true(n > 5);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;

		assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
		assert_true(st.valid & ZIP_STAT_MTIME);
		assert_int_equal(st.mtime, want);
	}
	zip_discard(za);
}

/* No file is left in dir. */
static void
assert_empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
			fail_msg("left behind: %s/%s", dir, e->d_name);
	closedir(d);
}

static void
same_bytes(void **state)
{
	char *tmp = test_tmpdir("xlsxwrite"), *old = getenv("TMPDIR"), *core;
	struct ledger lg;
	buf_t a, b;

	(void)state;
	old = old != NULL ? xstrdup(old) : NULL;
	assert_int_equal(setenv("TMPDIR", tmp, 1), 0);
	from_csv(scores_csv, "group", &a);
	from_csv(scores_csv, "group", &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_fixed_dates(&a);
	core = part(&a, "docProps/core.xml");
	assert_non_null(strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
	    "2017-04-01T00:00:00Z</dcterms:created>"));
	assert_non_null(strstr(core, "2017-04-01T00:00:00Z</dcterms:modified>"));
	free(core);
	buf_free(&a);
	buf_free(&b);

	ledger_init(&lg);
	make_template(&lg, 2, &a);
	make_template(&lg, 2, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_fixed_dates(&a);
	buf_free(&a);
	buf_free(&b);
	ledger_free(&lg);

	/* the temporary workbooks (and libxlsxwriter's own) are gone */
	assert_empty_dir(tmp);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	test_rm_rf(tmp);
	free(old);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_sheets_and_cells),
		cmocka_unit_test(csv_quoting_and_cjk),
		cmocka_unit_test(csv_numbers),
		cmocka_unit_test(csv_sheet_names),
		cmocka_unit_test(csv_errors),
		cmocka_unit_test(template_parts),
		cmocka_unit_test(template_without_lists),
		cmocka_unit_test(template_long_note),
		cmocka_unit_test(template_errors),
		cmocka_unit_test(same_bytes),
	};

	return cmocka_run_group_tests_name("xlsxwrite", tests, NULL, NULL);
}
