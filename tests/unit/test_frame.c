/*
 * test_frame.c - the frame (gen/read/frame.c) on records as a reader hands
 * them: the header found below title rows, cells named with notes, footer
 * rows held and dropped or released, short rows of a workbook, the header
 * of a file separated by semicolons or tabs, and the messages each gives.
 * Records are written "a|b|c" one per line; an empty line is a record of
 * one empty field (a blank row).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frame.h"
#include "util.h"

static const frame_col_t cols[] = {
	{ "编号", "id", true, NULL, false },
	{ "签发人", "approver", true, NULL, false },
	{ "督办编号", "directive", false, NULL, false },
};

/* Feeds the records of spec to a frame; returns the table's rows as
 * "LINE:f0,f1,...;" and the messages as "LINE sev: msg\n" in *msgs. */
static char *
run(const char *spec, bool cells, char **msgs, long *idx)
{
	frame_opts_t o = { .cols = cols, .ncols = ARRAY_LEN(cols), .cells = cells };
	diag_list_t dl = { 0 };
	table_t t;
	frame_t *fr = frame_new("t.csv", &o, &t, &dl);
	rec_sink_t rs = frame_records(fr);
	char *copy = xstrdup(spec), *line, *save = NULL;
	long n = 0;
	buf_t out, m;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *f[16];
		size_t nf = 0;
		char *p = line;

		n++;
		if (strcmp(line, ".") == 0)     /* a blank row */
			*line = '\0';
		for (;;) {
			char *bar = strchr(p, '|');

			f[nf++] = p;
			if (bar == NULL)
				break;
			*bar = '\0';
			p = bar + 1;
		}
		if (rs.record(rs.arg, f, nf, n) != 0)
			break;
	}
	(void)frame_finish(fr);
	if (idx != NULL && frame_idx(fr) != NULL)
		memcpy(idx, frame_idx(fr), sizeof(long) * ARRAY_LEN(cols));
	frame_free(fr);
	buf_init(&out);
	buf_puts(&out, "");
	for (size_t r = 0; r < t.nrows; r++) {
		buf_printf(&out, "%ld:", t.rows[r].line);
		for (size_t c = 0; c < t.ncols; c++)
			buf_printf(&out, "%s%s", c ? "," : "", t.rows[r].f[c]);
		buf_puts(&out, ";");
	}
	buf_init(&m);
	buf_puts(&m, "");
	diag_flush(&dl);
	for (size_t i = 0; i < dl.n; i++)
		buf_printf(&m, "%ld %s: %s\n", dl.v[i].line,
		    dl.v[i].sev == DIAG_ERROR ? "error" :
		    dl.v[i].sev == DIAG_WARNING ? "warning" : "note", dl.v[i].msg);
	*msgs = buf_steal(&m);
	diag_free(&dl);
	table_free(&t);
	free(copy);
	return buf_steal(&out);
}

static void
check(const char *spec, bool cells, const char *rows, const char *msgs)
{
	char *m, *r = run(spec, cells, &m, NULL);

	if (strcmp(r, rows) != 0 || strcmp(m, msgs) != 0)
		fail_msg("%s\nrows: %s\nwant: %s\nmessages:\n%swant:\n%s", spec,
		    r, rows, m, msgs);
	free(r);
	free(m);
}

static void
test_header(void **state)
{
	long idx[ARRAY_LEN(cols)];
	char *m, *r;

	(void)state;
	/* plain */
	check("编号|签发人\n1|张三\n", false, "2:1,张三;", "");
	/* a title row and a blank row above; notes and spaces in the cells */
	check("2017年第一季度登记表||\n.\n序号|编 号（必填）|签发人(审核)\n1|A|张三\n",
	    false, "4:1,A,张三;",
	    "1 note: 1 row above the header (line 3) skipped: \"2017年第一季度登记表\"\n"
	    "3 warning: column not read (not a column of this ledger): 序号\n");
	/* the mapping: by alias, any order, the optional column absent */
	r = run("APPROVER|ID\n张三|1\n", false, &m, idx);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], -1);
	assert_string_equal(m, "");
	free(r);
	free(m);
}

static void
test_header_errors(void **state)
{
	(void)state;
	/* a missing column: one error, the header the file has, the nearest */
	check("编号|签发领导|标题\n1|张三|x\n2|李四|y\n", false, "",
	    "1 error: missing column 签发人 (approver); the header has: 编号, "
	    "签发领导, 标题; nearest: \"签发领导\"\n");
	/* named twice */
	check("编号|签发人|签发人（审核）\n1|a|b\n", false, "",
	    "1 error: column 签发人 (approver) is named twice in the header: "
	    "\"签发人\" (column 2) and \"签发人（审核）\" (column 3)\n");
	/* one cell of names between semicolons, or tabs */
	check("编号;签发人;督办编号\n1;张三;\n", false, "",
	    "1 error: the columns are separated by semicolons (;), not by "
	    "commas: save the sheet from Excel as \"CSV UTF-8 (comma "
	    "delimited)\" or as an .xlsx workbook\n");
	check("编号\t签发人\n1\t张三\n", false, "",
	    "1 error: the columns are separated by tabs, not by commas: save "
	    "the sheet from Excel as \"CSV UTF-8 (comma delimited)\" or as an "
	    ".xlsx workbook\n");
	/* nothing at all */
	check("", false, "", "0 error: empty file: no header row\n");
}

static void
test_footer(void **state)
{
	(void)state;
	/* footer rows after the data are dropped with one note */
	check("编号|签发人\n1|张三\n.\n合计：1条|\n填表人：王五|审核人：赵六\n",
	    false, "2:1,张三;",
	    "4 note: 2 rows after the data left out as a footer: \"合计：1条\", "
	    "\"填表人：王五\"\n");
	/* a row starting 合计 followed by data is data */
	check("编号|签发人\n1|张三\n合计|x\n2|李四\n", false,
	    "2:1,张三;3:合计,x;4:2,李四;", "");
	/* the first non-empty cell decides, after blanks */
	check("编号|签发人\n1|张三\n|　注：本表每季度报送\n", false, "2:1,张三;",
	    "3 note: 1 row after the data left out as a footer: \"　注：本表每季度报送\"\n");
	/* 注 starts a word, any word: 注意 too (SPEC: starts with) */
	check("编号|签发人\n注意事项|x\n", false, "",
	    "2 note: 1 row after the data left out as a footer: \"注意事项\"\n");
}

static void
test_field_counts(void **state)
{
	(void)state;
	/* extra empty fields are fine; extra data is an error */
	check("编号|签发人\n1|张三||\n", false, "2:1,张三;", "");
	check("编号|签发人\n1|张三|x\n", false, "",
	    "2 error: this record has 3 fields but the header (line 1) has 2\n");
	/* a CSV row may not be short; a workbook's may (missing cells) */
	check("编号|签发人\n1\n", false, "",
	    "2 error: this record has 1 field but the header (line 1) has 2\n");
	check("编号|签发人\n1\n", true, "2:1,;", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_footer),
		cmocka_unit_test(test_field_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
