/*
 * test_csvread.c - the CSV ledger reader (gen/read/csvread.c) and the table it
 * fills (gen/read/table.c).  Most cases are a table of input bytes -> expected
 * table (dumped to one string: "LINE:field,field" per row, fields written
 * with csv_put_field) or expected errors ("LINE: message fragment").
 * Fixture files live in tests/fixtures/csv/ (tests run from the repo root).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <iconv.h>
#include <cmocka.h>

#include "csvread.h"
#include "csvwrite.h"
#include "frame.h"
#include "table.h"
#include "util.h"

#define FIX "tests/fixtures/csv/"

/* The table as "H<line>:cols\n" then "<line>:fields\n" per row. */
static char *
dump(const table_t *t)
{
	buf_t b;

	buf_init(&b);
	buf_printf(&b, "H%ld:", t->header_line);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(&b, ',');
		csv_put_field(&b, t->cols[c]);
	}
	buf_putc(&b, '\n');
	for (size_t r = 0; r < t->nrows; r++) {
		buf_printf(&b, "%ld:", t->rows[r].line);
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_putc(&b, ',');
			csv_put_field(&b, t->rows[r].f[c]);
		}
		buf_putc(&b, '\n');
	}
	return buf_steal(&b);
}

/* The diagnostics as "LINE: msg\n" each. */
static char *
dump_diags(const diag_list_t *dl)
{
	buf_t b;

	buf_init(&b);
	for (size_t i = 0; i < dl->n; i++)
		buf_printf(&b, "%ld: %s\n", dl->v[i].line, dl->v[i].msg);
	return buf_steal(&b);
}

/* Parses s[0..n) and returns the dump, or "ERR\n" + the diagnostics. */
static char *
parse(const char *s, size_t n, enum csv_encoding enc)
{
	table_t t;
	diag_list_t dl = {0};
	char *out, *d;
	int rc;

	rc = csv_parse_table("t.csv", s, n, enc, &t, &dl);
	if (rc == 0) {
		assert_int_equal(dl.n, 0);
		out = dump(&t);
	} else {
		assert_true(dl.errors > 0);
		assert_int_equal(t.nrows, 0);          /* left empty */
		assert_null(t.rows);
		d = dump_diags(&dl);
		out = xasprintf("ERR\n%s", d);
		free(d);
	}
	table_free(&t);
	diag_free(&dl);
	return out;
}

#define S(lit) lit, sizeof(lit) - 1

static void
test_good(void **state)
{
	static const struct {
		const char *name, *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "simple", S("a,b\n1,2\n3,4\n"), "H1:a,b\n2:1,2\n3:3,4\n" },
		{ "crlf", S("a,b\r\n1,2\r\n3,4\r\n"), "H1:a,b\n2:1,2\n3:3,4\n" },
		{ "lone cr", S("a,b\r1,2\r3,4\r"), "H1:a,b\n2:1,2\n3:3,4\n" },
		{ "no final newline", S("a,b\n1,2"), "H1:a,b\n2:1,2\n" },
		{ "quoted comma", S("a,b\n\"x,y\",2\n"), "H1:a,b\n2:\"x,y\",2\n" },
		{ "doubled quotes", S("a,b\n\"say \"\"hi\"\"\",2\n"),
		  "H1:a,b\n2:\"say \"\"hi\"\"\",2\n" },
		{ "only quotes", S("a,b\n\"\"\"\",2\n"), "H1:a,b\n2:\"\"\"\",2\n" },
		{ "multi-line first field",
		  S("a,b\n\"l1\nl2\nl3\",x\n3,4\n"),
		  "H1:a,b\n2:\"l1\nl2\nl3\",x\n5:3,4\n" },
		{ "multi-line later field, crlf",
		  S("a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n"),
		  "H1:a,b\n2:1,\"x\r\ny\"\n4:2,3\n" },
		{ "multi-line header",
		  S("\"a\nb\",c\n1,2\n"), "H1:\"a\nb\",c\n3:1,2\n" },
		{ "quoted blank line inside field",
		  S("a,b\n\"x\n\n\ny\",1\n2,3\n"),
		  "H1:a,b\n2:\"x\n\n\ny\",1\n6:2,3\n" },
		{ "bom", S("\xEF\xBB\xBF" "a,b\n1,2\n"), "H1:a,b\n2:1,2\n" },
		{ "blank lines skipped",
		  S("\n\na,b\n\n1,2\n \t \n\r\n3,4\n\n"),
		  "H3:a,b\n5:1,2\n8:3,4\n" },
		{ "commas-only lines skipped", S("a,b\n,\n1,2\n,,\n\"\",\"\"\n"),
		  "H1:a,b\n3:1,2\n" },
		{ "header trimmed",
		  S(" 编号 ,\xE3\x80\x80标题\xE3\x80\x80,\" c \"\n1,2,3\n"),
		  "H1:编号,标题,c\n2:1,2,3\n" },
		{ "unquoted spaces dropped, quoted kept",
		  S("a,b\n  x  ,\" y \"\n"), "H1:a,b\n2:x,\" y \"\n" },
		{ "tabs around unquoted", S("a,b\n\tx\t,y\n"), "H1:a,b\n2:x,y\n" },
		{ "spaces after closing quote", S("a,b\n\"x\"  ,2\n"),
		  "H1:a,b\n2:x,2\n" },
		{ "empty fields", S("a,b,c\n,x,\n"), "H1:a,b,c\n2:,x,\n" },
		{ "header only", S("a,b\n"), "H1:a,b\n" },
		{ "header only, no newline", S("a,b"), "H1:a,b\n" },
		{ "one column", S("a\n1\n\n2\n"), "H1:a\n2:1\n4:2\n" },
		{ "empty header names allowed twice", S("a,,\n1,2,3\n"),
		  "H1:a,,\n2:1,2,3\n" },
		{ "script text", S("a\n<script>alert(1)</script>\n"),
		  "H1:a\n2:<script>alert(1)</script>\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = parse(cases[i].in, cases[i].len, ENC_AUTO);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s:\n got: %s\nwant: %s", cases[i].name, got,
			    cases[i].want);
		free(got);
	}
}

static void
test_bad(void **state)
{
	static const struct {
		const char *name, *in;
		size_t len;
		enum csv_encoding enc;
		const char *want[3];        /* fragments, in order */
	} cases[] = {
		{ "empty", S(""), ENC_AUTO, { "0: empty file" } },
		{ "blank lines only", S("\n \r\n\n"), ENC_AUTO, { "0: empty file" } },
		{ "bom only", S("\xEF\xBB\xBF"), ENC_AUTO, { "0: empty file" } },
		{ "too many fields", S("a,b\n1,2\n1,2,3\n"), ENC_AUTO,
		  { "3: this record has 3 fields but the header (line 1) has 2" } },
		{ "too few fields", S("a,b,c\n1,2,3\n\n4\n"), ENC_AUTO,
		  { "4: this record has 1 field but the header (line 1) has 3" } },
		{ "count after multi-line", S("a,b\n\"x\ny\",1\n1\n"), ENC_AUTO,
		  { "4: this record has 1 field" } },
		{ "unterminated quote", S("a,b\n1,2\n3,\"abc\ndef\n"), ENC_AUTO,
		  { "3: a quoted field opened on this line is never closed" } },
		{ "unterminated quote, first field",
		  S("a,b\n\"x\ny\",1\n\n\"open\n"), ENC_AUTO,
		  { "5: a quoted field opened on this line is never closed" } },
		{ "stray quote", S("a,b\nx\"y,2\n"), ENC_AUTO,
		  { "2: a quote (\") inside an unquoted field" } },
		{ "junk after closing quote", S("a,b\n\"x\"y,2\n"), ENC_AUTO,
		  { "2: unexpected 'y' after the closing quote" } },
		{ "junk after closing quote, multi-byte",
		  S("a,b\n\"x\"中,2\n"), ENC_AUTO,
		  { "2: unexpected '中' after the closing quote" } },
		{ "missing quote found later",
		  S("a,b\n1,\"abc,2\n3,\"x\",4\n"), ENC_AUTO,
		  { "3: unexpected 'x' after the closing quote", "(the quoted "
		    "field began on line 2)" } },
		/* later parse errors are found; field counts are not checked
		 * after one (the records may be out of step: follow-on noise) */
		{ "errors after a parse error still found",
		  S("a,b\nx\"y,2\n1,2,3\n4,\"5\"x\n"), ENC_AUTO,
		  { "2: a quote", "4: unexpected 'x' after the closing quote" } },
		{ "nul byte", S("a,b\n1,2\n3,\0\n"), ENC_AUTO,
		  { "3: NUL byte" } },
		/* one error for the file, not a screenful */
		{ "nul bytes on two lines", S("a,b\n\0,\0\n3,4\n\0,1\n"), ENC_AUTO,
		  { "2: NUL bytes (0x00) on 2 lines of the file, the first here" } },
		{ "utf-16", S("\xFF\xFE" "a\0,\0b\0"), ENC_AUTO,
		  { "1: the file is UTF-16" } },
		{ "neither utf-8 nor gb18030",
		  S("a,b\n1,2\n\x80\x41,3\nok,4\n\xFF,5\n"), ENC_AUTO,
		  { "3: invalid byte sequence (0x80 0x41) in UTF-8 text (the "
		    "file is not GB18030 either)",
		    "5: invalid byte sequence (0xFF 0x2C)" } },
		/* mostly GB18030: its errors are the ones reported */
		{ "gb18030 with one bad line",
		  S("\xB1\xE0,\xBA\xC5\n\xB1\xE0,\x80\x41\n\xB1\xE0,1\n"), ENC_AUTO,
		  { "2: invalid byte sequence (0x80 0x41) in GB18030 text (the "
		    "file is not UTF-8 either)" } },
		{ "truncated gb18030 at the end", S("a,b\n1,\xB1"), ENC_AUTO,
		  { "2: invalid byte sequence (0xB1)" } },
		{ "forced utf-8", S("a,b\n1,2\n\xB1\xE0\xBA\xC5,3\n4,\xC5\n"),
		  ENC_UTF8,
		  { "3: invalid byte sequence (0xB1 0xE0) in UTF-8 text",
		    "4: invalid byte sequence (0xC5) in UTF-8 text" } },
		{ "bom means utf-8", S("\xEF\xBB\xBF" "a,b\n\xB1\xE0,1\n"),
		  ENC_AUTO, { "2: invalid byte sequence (0xB1 0xE0) in UTF-8 "
		    "text (the file starts with a UTF-8 BOM)" } },
		{ "forced gb18030", S("a,b\n1,\x80\n"), ENC_GB18030,
		  { "2: invalid byte sequence (0x80) in GB18030 text" } },
		{ "duplicate column", S("编号,标题,编号 \n1,2,3\n"), ENC_AUTO,
		  { "1: column \"编号\" appears twice in the header: \"编号\" "
		    "(column 1) and \"编号\" (column 3)" } },
		{ "duplicate column, full-width", S("ID,ｉｄ\n1,2\n"), ENC_AUTO,
		  { "1: column \"ID\" appears twice" } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = parse(cases[i].in, cases[i].len, cases[i].enc);
		const char *p = got;

		if (strncmp(got, "ERR\n", 4) != 0)
			fail_msg("%s: accepted:\n%s", cases[i].name, got);
		for (size_t k = 0; k < 3 && cases[i].want[k]; k++) {
			const char *q = strstr(p, cases[i].want[k]);
			if (q == NULL)
				fail_msg("%s: no \"%s\" in:\n%s", cases[i].name,
				    cases[i].want[k], got);
			p = q + strlen(cases[i].want[k]);
		}
		free(got);
	}
}

/* GBK bytes of "编号,标题\n1,测试\n" read as the UTF-8 text. */
static void
test_gbk(void **state)
{
	static const char gbk[] = "\xB1\xE0\xBA\xC5,\xB1\xEA\xCC\xE2\r\n"
	    "1,\xB2\xE2\xCA\xD4\r\n";
	static const char utf8[] = "编号,标题\n1,测试\n";
	char *a, *b, *c;

	(void)state;
	a = parse(gbk, sizeof gbk - 1, ENC_AUTO);
	b = parse(utf8, sizeof utf8 - 1, ENC_AUTO);
	c = parse(gbk, sizeof gbk - 1, ENC_GB18030);
	assert_string_equal(a, "H1:编号,标题\n2:1,测试\n");
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
	/* forced UTF-8 refuses it, naming the line */
	a = parse(gbk, sizeof gbk - 1, ENC_UTF8);
	assert_non_null(strstr(a, "1: invalid byte sequence (0xB1 0xE0) in "
	    "UTF-8 text"));
	free(a);
	/* a four-byte GB18030 sequence: 0x81 0x30 0x81 0x30 is U+0080 */
	a = parse(S("a\n\x81\x30\x81\x30\n"), ENC_AUTO);
	assert_string_equal(a, "H1:a\n2:\xC2\x80\n");
	free(a);
	/* GB18030's own BOM is dropped */
	a = parse(S("\x84\x31\x95\x33" "a\n1\n"), ENC_GB18030);
	assert_string_equal(a, "H1:a\n2:1\n");
	free(a);
}

static char *
read_fixture(const char *name, enum csv_encoding enc)
{
	table_t t;
	diag_list_t dl = {0};
	char *out, *d;

	if (csv_read_file(name, enc, &t, &dl) == 0) {
		assert_string_equal(t.file, name);
		out = dump(&t);
	} else {
		d = dump_diags(&dl);
		out = xasprintf("ERR\n%s", d);
		free(d);
	}
	table_free(&t);
	diag_free(&dl);
	return out;
}

static void
test_fixtures(void **state)
{
	static const char want[] =
	    "H1:编号,报送单位,标题,类别,字数,报送时间,事发时间,报送方式,"
	    "签发人,作者,督办编号\n"
	    "2:2017Q1-001,武汉市司法局,武汉市司法局召开全市司法行政工作会议,"
	    "动态,850,2017-01-05 09:30,,综合科,张三,李四、王五,\n"
	    "3:2017Q1-002,省监狱局,\"关于\"\"智慧监狱\"\"建设的调研报告,"
	    "兼谈困难\",调研-困难问题,3200,2017/1/9 14:05,,综合科;督办科,"
	    "赵六,钱七,\n"
	    "4:2017Q1-003,黄石市司法局,\"第一行\n第二行\",重要紧急,600,"
	    "2017-02-01 10:00,2017-02-01 09:00,维稳办,,孙八,\n"
	    "6:2017Q1-004,厅政治（警务）部干部处,<script>alert(1)</script>,"
	    "日常,120,2017-03-31 23:59,,电话,周九,吴十,D-01\n";
	static const char *const same[] = {
		FIX "submissions_utf8.csv",
		FIX "submissions_bom_crlf.csv",
		FIX "submissions_gb18030.csv",
	};
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		got = read_fixture(same[i], ENC_AUTO);
		if (strcmp(got, want) != 0)
			fail_msg("%s:\n%s", same[i], got);
		free(got);
	}
	got = read_fixture(FIX "submissions_gb18030.csv", ENC_GB18030);
	assert_string_equal(got, want);
	free(got);

	got = read_fixture(FIX "header_only.csv", ENC_AUTO);
	assert_string_equal(got, "H1:编号,标题\n");
	free(got);
	got = read_fixture(FIX "empty.csv", ENC_AUTO);
	assert_string_equal(got, "ERR\n0: empty file: no header row\n");
	free(got);
	got = read_fixture(FIX "bad_encoding.csv", ENC_AUTO);
	assert_string_equal(got, "ERR\n"
	    "3: invalid byte sequence (0x80 0x41) in GB18030 text (the file is "
	    "not UTF-8 either)\n"
	    "5: invalid byte sequence (0xFF) in GB18030 text (the file is not "
	    "UTF-8 either)\n");
	free(got);
	got = read_fixture(FIX "unterminated.csv", ENC_AUTO);
	assert_string_equal(got, "ERR\n3: a quoted field opened on this line "
	    "is never closed (a closing \" is missing)\n");
	free(got);
	got = read_fixture(FIX "no-such-file.csv", ENC_AUTO);
	assert_non_null(strstr(got, "0: cannot read the file: "));
	free(got);
}

/* Full diagnostics as printed, file name included. */
static void
test_message_format(void **state)
{
	table_t t;
	diag_list_t dl = {0};
	char *s;

	(void)state;
	assert_int_equal(csv_parse_table("DATA/2017Q1/submissions.csv",
	    S("a,b\n1\n"), ENC_AUTO, &t, &dl), -1);
	assert_int_equal(dl.n, 1);
	s = diag_format(&dl.v[0]);
	assert_string_equal(s, "DATA/2017Q1/submissions.csv:2: error: this "
	    "record has 1 field but the header (line 1) has 2");
	free(s);
	table_free(&t);
	diag_free(&dl);
}

/* A run of bad records: the first DIAG_MAX_PER_FILE errors, then (once
 * flushed) a count of the rest. */
static void
test_error_cap(void **state)
{
	buf_t b;
	table_t t;
	diag_list_t dl = {0};

	(void)state;
	buf_init(&b);
	buf_puts(&b, "a,b\n");
	for (int i = 0; i < DIAG_MAX_PER_FILE + 10; i++)
		buf_puts(&b, "1,2,3\n");
	assert_int_equal(csv_parse_table("t.csv", b.data, b.len, ENC_AUTO, &t,
	    &dl), -1);
	diag_flush(&dl);
	assert_int_equal(dl.n, DIAG_MAX_PER_FILE + 1);
	assert_int_equal(dl.errors, DIAG_MAX_PER_FILE + 10);
	assert_int_equal(dl.v[0].line, 2);
	assert_int_equal(dl.v[DIAG_MAX_PER_FILE - 1].line, DIAG_MAX_PER_FILE + 1);
	assert_string_equal(dl.v[DIAG_MAX_PER_FILE].msg, "10 further errors in "
	    "this file not shown");
	table_free(&t);
	diag_free(&dl);
	buf_free(&b);
}

/* A 10 MB quoted field with quotes and line breaks, then a normal row. */
static void
test_huge_field(void **state)
{
	const size_t reps = 1000000;
	buf_t b;
	table_t t;
	diag_list_t dl = {0};
	const char *f;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "a,b\r\n1,\"");
	for (size_t i = 0; i < reps; i++)
		buf_puts(&b, "x\"\"y,\r\n中");   /* 10 bytes, 1 line */
	buf_puts(&b, "\"\r\n2,3\r\n");
	assert_int_equal(csv_parse_table("t.csv", b.data, b.len, ENC_AUTO, &t,
	    &dl), 0);
	assert_int_equal(t.nrows, 2);
	f = t.rows[0].f[1];
	assert_int_equal(strlen(f), reps * 9);
	assert_memory_equal(f, "x\"y,\r\n中x\"y", 12);
	assert_int_equal(t.rows[0].line, 2);
	assert_int_equal(t.rows[1].line, 2 + (long)reps + 1);
	table_free(&t);
	diag_free(&dl);
	buf_free(&b);
}

/* Many rows: line numbers stay exact and fields stay distinct. */
static void
test_many_rows(void **state)
{
	const int n = 100000;
	buf_t b;
	table_t t;
	diag_list_t dl = {0};
	char want[32];

	(void)state;
	buf_init(&b);
	buf_puts(&b, "id,name,text\n");
	for (int i = 0; i < n; i++) {
		buf_printf(&b, "%d,单位%d,\"x", i, i);
		if (i % 1000 == 0)
			buf_puts(&b, "\ny");
		buf_puts(&b, "\"\n");
		if (i % 777 == 0)
			buf_puts(&b, "\n");
	}
	assert_int_equal(csv_parse_table("t.csv", b.data, b.len, ENC_AUTO, &t,
	    &dl), 0);
	assert_int_equal(t.nrows, (size_t)n);
	for (int i = 0, line = 2; i < n; i++) {
		snprintf(want, sizeof want, "%d", i);
		assert_string_equal(t.rows[i].f[0], want);
		snprintf(want, sizeof want, "单位%d", i);
		assert_string_equal(t.rows[i].f[1], want);
		assert_int_equal(t.rows[i].line, line);
		line += 1 + (i % 1000 == 0) + (i % 777 == 0);
	}
	table_free(&t);
	diag_free(&dl);
	buf_free(&b);
}

static void
test_put_field(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "中文", "中文" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "l1\nl2", "\"l1\nl2\"" },
		{ "cr\r\nlf", "\"cr\r\nlf\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "\ttab", "\"\ttab\"" },
		{ "in side", "in side" },
		{ "<script>", "<script>" },
	};
	buf_t b, doc;
	table_t t;
	diag_list_t dl = {0};
	size_t n = sizeof cases / sizeof cases[0];

	(void)state;
	buf_init(&doc);
	buf_puts(&doc, "k,v\r\n");
	for (size_t i = 0; i < n; i++) {
		buf_init(&b);
		csv_put_field(&b, cases[i].in);
		assert_string_equal(b.data ? b.data : "", cases[i].out);
		buf_free(&b);
		buf_printf(&doc, "k%zu,", i);
		csv_put_field(&doc, cases[i].in);
		buf_puts(&doc, "\r\n");
	}
	/* round trip through the reader */
	assert_int_equal(csv_parse_table("t.csv", doc.data, doc.len, ENC_AUTO,
	    &t, &dl), 0);
	assert_int_equal(t.nrows, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(t.rows[i].f[1], cases[i].in);
	table_free(&t);
	diag_free(&dl);
	buf_free(&doc);
}

/* A workbook's messages name the cell; other tables' name the line. */
static void
test_table_cell(void **state)
{
	table_t t = { .cells = true };
	char buf[24];

	(void)state;
	assert_string_equal(table_cell(&t, 0, 17, buf, sizeof buf), "A17: ");
	assert_string_equal(table_cell(&t, 6, 2, buf, sizeof buf), "G2: ");
	assert_string_equal(table_cell(&t, 25, 2, buf, sizeof buf), "Z2: ");
	assert_string_equal(table_cell(&t, 26, 2, buf, sizeof buf), "AA2: ");
	assert_string_equal(table_cell(&t, 701, 9, buf, sizeof buf), "ZZ9: ");
	assert_string_equal(table_cell(&t, 702, 9, buf, sizeof buf), "AAA9: ");
	assert_string_equal(table_cell(&t, 16383, 1048576, buf, sizeof buf),
	    "XFD1048576: ");                    /* Excel's last cell */
	assert_string_equal(table_cell(&t, -1, 9, buf, sizeof buf), "");
	t.cells = false;
	assert_string_equal(table_cell(&t, 0, 17, buf, sizeof buf), "");
	assert_string_equal(table_cell(NULL, 0, 17, buf, sizeof buf), "");
}

static void
test_table_col(void **state)
{
	static const char *const id[] = { "编号", "id" };
	static const char *const unit[] = { "报送单位", "unit" };
	static const char *const none[] = { "作者" };
	table_t t;
	diag_list_t dl = {0};

	(void)state;
	assert_int_equal(csv_parse_table("t.csv",
	    S("ＩＤ , 报送单位\xE3\x80\x80,标题\n1,2,3\n"), ENC_AUTO, &t, &dl), 0);
	assert_int_equal(table_col(&t, id, 2), 0);      /* full-width, case */
	assert_int_equal(table_col(&t, unit, 2), 1);    /* trimmed */
	assert_int_equal(table_col(&t, none, 1), -1);
	assert_int_equal(table_col(&t, id, 0), -1);
	table_free(&t);
	table_free(&t);                                /* zeroed: harmless */
	diag_free(&dl);
}

/* A table built without the arena owns each string (the XML reader's way). */
static void
test_table_free_malloced(void **state)
{
	table_t t;

	(void)state;
	memset(&t, 0, sizeof t);
	t.file = xstrdup("x.xml");
	t.ncols = 2;
	t.cols = xmalloc(2 * sizeof *t.cols);
	t.cols[0] = xstrdup("a");
	t.cols[1] = xstrdup("b");
	t.nrows = t.cap = 1;
	t.rows = xmalloc(sizeof *t.rows);
	t.rows[0].line = 3;
	t.rows[0].f = xmalloc(2 * sizeof *t.rows[0].f);
	t.rows[0].f[0] = xstrdup("1");
	t.rows[0].f[1] = xstrdup("2");
	table_free(&t);                /* valgrind/ASan check the rest */
	assert_null(t.rows);
	/* arena allocations of every size */
	for (size_t i = 0; i < 5000; i++) {
		char *p = table_strndup(&t, "abcdef", i % 7);
		assert_int_equal(strlen(p), i % 7);
		void **q = table_alloc(&t, (i * 37) % 3000 + 1);
		assert_int_equal((uintptr_t)q % sizeof(void *), 0);
		q[0] = p;
	}
	(void)table_alloc(&t, 10u << 20);
	table_free(&t);
}


/*
 * The fast path for lines without quotes (csvread.c, fast_line) must parse
 * exactly as libcsv does: random ledgers of such lines, mixed with quoted
 * and multi-line fields, blank lines, spaces, tabs, CR, CRLF, wrong field
 * counts and a missing final line break, parsed with and without it.
 */
static void
test_fast_path_same(void **state)
{
	static const char *const pieces[] = {
		"a", "编号", "  x ", "\t", " ", "", "1,2", "中,文", "\"q\"",
		"\"a,\nb\"", "\"\"\"\"", "x\"y", "\r", "\n", "\r\n", ",",
		",,", "  ,\t", "\"open", "<script>", "\xE3\x80\x80",
	};
	uint32_t seed = 12345;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		buf_t b;
		char *with, *without;
		int n;

		buf_init(&b);
		buf_puts(&b, round % 2 ? "a,b,c\n" : "a,b,c\r\n");
		seed = seed * 1103515245u + 12345u;
		n = (int)(seed >> 16) % 40;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly plain lines of three fields */
			if ((seed >> 16) % 3 != 0) {
				buf_printf(&b, " v%u ,\tw, %u%s", seed % 97, seed % 13,
				    (seed >> 8) % 5 == 0 ? "\r\n" : (seed >> 8) % 5 == 1 ?
				    "\r" : "\n");
				continue;
			}
			buf_puts(&b, pieces[(seed >> 16) % ARRAY_LEN(pieces)]);
		}
		if (round % 3 == 0)
			buf_puts(&b, "z,y,x");          /* no final line break */
		csv_set_fast_path(true);
		with = parse(b.data ? b.data : "", b.len, ENC_AUTO);
		csv_set_fast_path(false);
		without = parse(b.data ? b.data : "", b.len, ENC_AUTO);
		csv_set_fast_path(true);
		if (strcmp(with, without) != 0)
			fail_msg("round %d, input:\n%s\nfast:\n%s\nlibcsv:\n%s",
			    round, b.data, with, without);
		free(with);
		free(without);
		buf_free(&b);
	}
}

/* What a frame sink receives from a streamed file, as dump() writes a
 * table. */
struct sunk {
	buf_t b;
	int   skip;          /* header() returns this */
	int   headers;
};

static int
sunk_header(const table_t *t, const long *idx, void *arg)
{
	struct sunk *k = arg;

	assert_null(idx);               /* a plain frame maps nothing */
	k->headers++;
	buf_printf(&k->b, "H%ld:", t->header_line);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(&k->b, ',');
		csv_put_field(&k->b, t->cols[c]);
	}
	buf_putc(&k->b, '\n');
	assert_int_equal(t->nrows, 0);
	return k->skip;
}

static void
sunk_row(const table_t *t, const char *const *f, long line, void *arg)
{
	struct sunk *k = arg;

	buf_printf(&k->b, "%ld:", line);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(&k->b, ',');
		csv_put_field(&k->b, f[c]);
	}
	buf_putc(&k->b, '\n');
}

static char *
write_temp(const char *data, size_t len)
{
	char *path = xstrdup("/tmp/tb-csvXXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* csv_stream_records through a plain frame into sink (as ledger.c does
 * with a vocabulary); *hdr gets the header.  Returns 0 or -1. */
static int
stream_file(const char *path, enum csv_encoding enc, table_t *hdr,
    const frame_sink_t *sink, diag_list_t *dl)
{
	frame_opts_t fo = { .sink = sink };
	frame_t *fr = frame_new(path, &fo, hdr, dl);
	rec_sink_t rs = frame_records(fr);
	int rc = csv_stream_records(path, enc, &rs, dl);

	if (frame_finish(fr) != 0)
		rc = -1;
	frame_free(fr);
	return rc;
}

/* Streams `data` through a file; returns what the sink saw, or "ERR". */
static char *
stream(const char *data, size_t len, int skip, int *headers)
{
	char *path = write_temp(data, len), *out;
	struct sunk k = { .skip = skip };
	frame_sink_t sink = { .header = sunk_header, .row = sunk_row,
	    .arg = &k };
	table_t hdr;
	diag_list_t dl = {0};
	int rc;

	buf_init(&k.b);
	buf_puts(&k.b, "");
	rc = stream_file(path, ENC_AUTO, &hdr, &sink, &dl);
	out = rc == 0 ? buf_steal(&k.b) : xasprintf("ERR %s", k.b.data);
	assert_true(rc == 0 ? dl.errors == 0 : dl.errors > 0);
	if (headers)
		*headers = k.headers;
	buf_free(&k.b);
	table_free(&hdr);
	diag_free(&dl);
	unlink(path);
	free(path);
	return out;
}

/* A streamed file hands over exactly the rows csv_read_file keeps. */
static void
test_stream(void **state)
{
	static const char *const inputs[] = {
		"a,b\n1,2\n3,4\n",
		"\xEF\xBB\xBF" "a,b\r\n\"x\r\ny\",2\r\n\n3,4",
		"a,b\n",
		/* GB18030: 编号,标题 / 1,中 */
		"\xB1\xE0\xBA\xC5,\xB1\xEA\xCC\xE2\n1,\xD6\xD0\n",
	};
	int headers;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
		char *want = parse(inputs[i], strlen(inputs[i]), ENC_AUTO);
		char *got = stream(inputs[i], strlen(inputs[i]), 0, NULL);
		assert_string_equal(got, want);
		free(want);
		free(got);
	}
	/* header() refusing the rows: none arrive */
	{
		char *got = stream("a,b\n1,2\n", 8, 1, &headers);
		assert_string_equal(got, "H1:a,b\n");
		assert_int_equal(headers, 1);
		free(got);
	}
	/* rows stop at the first error; the file is an error */
	{
		static const char bad[] = "a,b\n1,2\n3\n4,5\n";
		char *got = stream(bad, sizeof bad - 1, 0, NULL);
		assert_string_equal(got, "ERR H1:a,b\n2:1,2\n");
		free(got);
	}
	/* a header with errors: header() is not called */
	{
		char *got = stream("a,a\n1,2\n", 8, 0, &headers);
		assert_int_equal(headers, 0);
		free(got);
	}
	/* an empty file and a missing one */
	{
		char *got = stream("", 0, 0, &headers);
		assert_string_equal(got, "ERR ");
		free(got);
	}
	{
		struct sunk k = {0};
		frame_sink_t sink = { .header = sunk_header, .row = sunk_row,
		    .arg = &k };
		table_t hdr;
		diag_list_t dl = {0};

		assert_int_equal(stream_file("/nonexistent/x.csv", ENC_AUTO,
		    &hdr, &sink, &dl), -1);
		assert_non_null(strstr(dl.v[0].msg, "cannot read"));
		diag_free(&dl);
		table_free(&hdr);
	}
}

/* A file of many pieces (csvsource.c cuts about a MiB at a time): every row
 * arrives once, in order, with its line, and an invalid byte near the end
 * is still found before any row is handed over. */
static void
test_stream_big(void **state)
{
	const long n = 250000;          /* about 24 MB */
	buf_t b;
	struct sunk k = {0};
	frame_sink_t sink = { .header = sunk_header, .row = sunk_row,
	    .arg = &k };
	table_t hdr;
	diag_list_t dl = {0};
	char *path;
	long line = 2, rows = 0;
	const char *p;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "id,title,note\n");
	for (long i = 0; i < n; i++)
		buf_printf(&b, "%ld,关于第%ld项工作的情况报告（一）,\"多行\n备注\"\n", i, i);
	path = write_temp(b.data, b.len);
	buf_init(&k.b);
	assert_int_equal(stream_file(path, ENC_UTF8, &hdr, &sink, &dl), 0);
	/* check the rows as they were dumped: "LINE:id,...\n备注\"\n"
	 * (memchr, not strstr: ASan's strstr measures the whole rest) */
	p = (const char *)memchr(k.b.data, '\n', k.b.len) + 1;
	for (const char *end = k.b.data + k.b.len; p < end; rows++) {
		char want[64];
		int m = snprintf(want, sizeof want, "%ld:%ld,", line, rows);
		if (strncmp(p, want, (size_t)m) != 0)
			fail_msg("row %ld: %.40s", rows, p);
		for (int nl = 0; nl < 2 && p < end; p++)
			nl += *p == '\n';
		line += 2;
	}
	assert_int_equal(rows, n);
	table_free(&hdr);
	unlink(path);
	free(path);

	/* the same ledger in GB18030 (checked, then converted and parsed
	 * piece by piece): the same rows */
	{
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		size_t inleft = b.len, outleft = b.len + 16;
		char *gb = xmalloc(outleft), *in = b.data, *op = gb;
		struct sunk k2 = {0};
		frame_sink_t sink2 = { .header = sunk_header, .row = sunk_row,
		    .arg = &k2 };

		assert_true(cd != (iconv_t)-1);
		assert_int_equal(iconv(cd, &in, &inleft, &op, &outleft), 0);
		iconv_close(cd);
		path = write_temp(gb, (size_t)(op - gb));
		buf_init(&k2.b);
		assert_int_equal(stream_file(path, ENC_AUTO, &hdr, &sink2,
		    &dl), 0);
		assert_int_equal(k2.b.len, k.b.len);
		assert_memory_equal(k2.b.data, k.b.data, k.b.len);
		buf_free(&k2.b);
		table_free(&hdr);
		unlink(path);
		free(path);
		free(gb);
	}
	buf_free(&k.b);

	/* one bad byte in the last line */
	b.data[b.len - 3] = (char)0xFF;
	path = write_temp(b.data, b.len);
	memset(&k, 0, sizeof k);
	buf_init(&k.b);
	assert_int_equal(stream_file(path, ENC_UTF8, &hdr, &sink, &dl), -1);
	assert_int_equal(dl.v[0].line, 1 + 2 * n);
	assert_null(k.b.data);          /* nothing handed over */
	buf_free(&k.b);
	table_free(&hdr);
	diag_free(&dl);
	unlink(path);
	free(path);
	buf_free(&b);
}

/*
 * The file is read in pieces of about a MiB that end at line ends
 * (csvread.c): what a file gives must be what the same bytes give in
 * memory, whatever falls on a piece's edge - a CRLF split by it, files
 * of lone CRs, lines longer than a piece - and a line over 64 MiB is one
 * error, not memory without end.
 */
static void
test_pieces(void **state)
{
	const size_t piece = 1024 * 1024;
	buf_t b;

	(void)state;
	for (int kind = 0; kind < 4; kind++) {
		char *path, *got, *want, *nl;

		buf_init(&b);
		buf_puts(&b, "id,title\r\n");
		switch (kind) {
		case 0:         /* a CRLF whose CR is the piece's last byte */
			buf_puts(&b, "1,");
			while (b.len < piece - 1)
				buf_putc(&b, 'x');
			buf_puts(&b, "\r\n2,y\r\n");
			break;
		case 1:         /* lone CRs only, over several pieces */
			for (long i = 0; b.len < 3 * piece; i++)
				buf_printf(&b, "%ld,第%ld行\r", i, i);
			break;
		case 2:         /* a line of three pieces, quoted, then more */
			buf_puts(&b, "1,\"");
			while (b.len < 3 * piece + 17)
				buf_puts(&b, "长");
			buf_puts(&b, "\"\n2,z\n");
			break;
		case 3:         /* a quoted field spanning a piece's edge */
			while (b.len < piece - 40)
				buf_printf(&b, "%zu,x\n", b.len);
			buf_puts(&b, "9,\"a\nb\r\nc\rd\n\"\n10,e");
			break;
		}
		path = write_temp(b.data, b.len);
		got = read_fixture(path, ENC_AUTO);
		want = parse(b.data, b.len, ENC_AUTO);
		nl = strchr(got, '\n');
		if (strcmp(got, want) != 0)
			fail_msg("kind %d: file and memory differ: %.60s", kind,
			    nl != NULL ? nl : got);
		assert_string_not_equal(got, "ERR\n");
		assert_null(strstr(got, "ERR"));
		unlink(path);
		free(path);
		free(got);
		free(want);
		buf_free(&b);
	}
	/* a line of 65 MiB: one error */
	{
		size_t n = (size_t)65 << 20;
		char *big = xmalloc(n + 16), *path, *got;

		memcpy(big, "id,title\n1,", 11);
		memset(big + 11, 'x', n - 12);
		big[n - 1] = '\n';
		path = write_temp(big, n);
		free(big);
		got = read_fixture(path, ENC_AUTO);
		assert_non_null(strstr(got, "a line longer than 64 MiB"));
		unlink(path);
		free(path);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_message_format),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_huge_field),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_put_field),
		cmocka_unit_test(test_table_col),
		cmocka_unit_test(test_table_cell),
		cmocka_unit_test(test_table_free_malloced),
		cmocka_unit_test(test_fast_path_same),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_big),
		cmocka_unit_test(test_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
