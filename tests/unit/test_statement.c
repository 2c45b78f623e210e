/*
 * test_statement.c - the score statements of gen/doc/statement.c on the sample
 * year (samples/, 2017Q1 and 2017Q2): for every unit the tables add up to
 * its results (the row of scores.csv): items' counted weights = effective,
 * credited points = quality, base + quality = total; a unit with
 * cross-quarter adoptions shows what was credited before; an item adopted
 * though not counted shows its reason and its points; a unit that sent
 * nothing gets 本季度未报送信息; a title with <script> stays text.  Also
 * the template's checks, and that the statements take the notice's date.
 *
 * Renders every statement of both quarters with render_pdf into
 * out/test-statements/YYYYQn/ID.pdf, and all of them with render_pdf_docs
 * into out/test-statements/YYYYQn-units.pdf, for tests/suite_statements.sh,
 * and prints how long building and rendering took.  Runs from the top of the
 * tree (samples/, templates/, fonts/ relative).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "docxml.h"
#include "followup.h"
#include "ledger.h"
#include "notice.h"
#include "render.h"
#include "statement.h"
#include "util.h"
#include "testutil.h"

#define TEMPLATES "templates"
#define SCHEMAS   "templates/schema"

/* ---- the samples, loaded once per quarter -------------------------------- */

typedef struct qdata {
	tb_quarter   q;
	registry_t   reg;
	rules_t      rules;
	ledger_t     led;
	results_t    res;
	followup_t   fu;
	statement_tpl_t *tpl;
	doc_t      **docs;
	size_t       ndocs;
} qdata_t;

static qdata_t quarters[2];

static int
load_quarter(qdata_t *d, const char *qs)
{
	diag_list_t dl = { 0 };
	ledger_opts_t lo = { .encoding = ENC_AUTO, .schema_dir = SCHEMAS };
	statement_in_t in;
	int rc = -1;

	if (!tb_quarter_parse(qs, &d->q))
		goto done;
	if (registry_load("samples/units.xml", SCHEMAS, &d->reg, &dl) != 0)
		goto done;
	if (rules_load("samples/rules.xml", SCHEMAS, &d->reg, &d->rules, &dl) != 0)
		goto done;
	if (ledger_load("samples", d->q, &d->reg, &d->rules, &lo, &d->led, &dl) != 0)
		goto done;
	score_quarter(&d->reg, &d->rules, &d->led, d->q, &d->res);
	followup_quarter(&d->reg, &d->rules, &d->led, d->q, &d->fu);
	d->tpl = statement_tpl_load(TEMPLATES, &dl);
	if (d->tpl == NULL)
		goto done;
	in = (statement_in_t){ .reg = &d->reg, .rules = &d->rules,
	    .led = &d->led, .res = &d->res, .fu = &d->fu };
	if (statement_all(d->tpl, &in, &d->docs, &d->ndocs, &dl) != 0)
		goto done;
	rc = 0;
done:
	if (dl.errors > 0)
		diag_print(&dl, stderr);
	diag_free(&dl);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	if (load_quarter(&quarters[0], "2017Q1") != 0 ||
	    load_quarter(&quarters[1], "2017Q2") != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	render_pdf_release();     /* the faces kept between documents */
	for (size_t k = 0; k < ARRAY_LEN(quarters); k++) {
		qdata_t *d = &quarters[k];

		statement_docs_free(d->docs, d->ndocs);
		statement_tpl_free(d->tpl);
		results_free(&d->res);
		followup_free(&d->fu);
		ledger_free(&d->led);
		rules_free(&d->rules);
		registry_free(&d->reg);
	}
	return 0;
}

/* ---- reading a statement back --------------------------------------------- */

static size_t
unit_index(const qdata_t *d, const char *id)
{
	for (size_t u = 0; u < d->reg.nunits; u++)
		if (strcmp(d->reg.units[u].id, id) == 0)
			return u;
	fail_msg("no unit %s", id);
	return 0;
}

/* The k-th table of the body (0-based), or NULL. */
static const doc_table_t *
table_at(const doc_t *doc, size_t k)
{
	for (size_t i = 0; i < doc->body.nblocks; i++)
		if (doc->body.blocks[i].type == BLK_TABLE && k-- == 0)
			return doc->body.blocks[i].table;
	return NULL;
}

/* The table whose first header cell is head0 and which has ncols columns. */
static const doc_table_t *
table_with(const doc_t *doc, size_t ncols, const char *head1)
{
	const doc_table_t *t;

	for (size_t k = 0; (t = table_at(doc, k)) != NULL; k++)
		if (t->ncols == ncols && strcmp(t->head[1], head1) == 0)
			return t;
	return NULL;
}

/* "12", "12.5" as tenths. */
static tenths
tenths_of(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	assert_true(end != s);
	return (tenths)(v * 10 + (v >= 0 ? 0.5 : -0.5));
}

/* Does any paragraph or list item of the body contain s? */
static bool
body_has(const doc_t *doc, const char *s)
{
	for (size_t i = 0; i < doc->body.nblocks; i++) {
		const doc_block_t *b = &doc->body.blocks[i];

		if (b->text && strstr(b->text, s))
			return true;
		for (size_t k = 0; k < b->nitems; k++)
			if (strstr(b->items[k], s))
				return true;
	}
	return false;
}

/* How many paragraphs and list items of the body contain s. */
static size_t
body_count(const doc_t *doc, const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < doc->body.nblocks; i++) {
		const doc_block_t *b = &doc->body.blocks[i];

		if (b->text && strstr(b->text, s))
			n++;
		for (size_t k = 0; k < b->nitems; k++)
			if (strstr(b->items[k], s))
				n++;
	}
	return n;
}

/* How many headings of the body are exactly s. */
static size_t
heading_count(const doc_t *doc, const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < doc->body.nblocks; i++)
		if (doc->body.blocks[i].type == BLK_HEADING &&
		    strcmp(doc->body.blocks[i].text, s) == 0)
			n++;
	return n;
}

/* The row of table t whose first cell is id, or NULL. */
static char **
row_of(const doc_table_t *t, const char *id)
{
	for (size_t i = 0; t != NULL && i < t->nrows; i++)
		if (strcmp(t->cells[i][0], id) == 0)
			return t->cells[i];
	return NULL;
}

/*
 * The sums of one statement against the results: the score row, the items
 * (rows, counted, weights), the credits (points).
 */
static void
check_sums(const qdata_t *d, size_t u)
{
	const doc_t *doc = d->docs[u];
	const unit_result_t *r = &d->res.units[u];
	const doc_table_t *score = table_at(doc, 0);
	const doc_table_t *items = table_with(doc, 6, "标题");
	const doc_table_t *adopt = table_with(doc, 7, "标题");
	tenths sum_q = 0;
	long sum_w = 0, counted = 0;

	assert_non_null(score);
	assert_int_equal(score->ncols, 8);
	assert_int_equal(score->nrows, 1);
	assert_int_equal(atoi(score->cells[0][0]),
	    d->reg.cats[d->reg.units[u].category].quota);
	assert_int_equal(atoi(score->cells[0][1]), r->submitted);
	assert_int_equal(atoi(score->cells[0][2]), r->counted);
	assert_int_equal(atoi(score->cells[0][3]), r->effective);
	assert_int_equal(tenths_of(score->cells[0][4]), r->base);
	assert_int_equal(tenths_of(score->cells[0][5]), r->quality);
	assert_int_equal(tenths_of(score->cells[0][6]), r->total);
	assert_int_equal(tenths_of(score->cells[0][4]) +
	    tenths_of(score->cells[0][5]), tenths_of(score->cells[0][6]));
	assert_int_equal(atoi(score->cells[0][7]), r->rank);

	if (r->submitted == 0) {
		assert_null(items);
		assert_true(body_has(doc, "本季度未报送信息"));
	} else {
		assert_non_null(items);
		assert_int_equal(items->nrows, (size_t)r->submitted + 1);
		for (size_t i = 0; i + 1 < items->nrows; i++) {
			sum_w += atoi(items->cells[i][4]);
			if (strcmp(items->cells[i][5], "计入") == 0)
				counted++;
			else
				assert_int_equal(atoi(items->cells[i][4]), 0);
		}
		assert_int_equal(sum_w, r->effective);
		assert_int_equal(counted, r->counted);
		assert_int_equal(atoi(items->cells[items->nrows - 1][4]),
		    r->effective);
	}
	if (adopt == NULL) {
		assert_int_equal(r->quality, 0);
		assert_true(body_has(doc, "未被采用或批示"));
	} else {
		for (size_t i = 0; i + 1 < adopt->nrows; i++) {
			tenths pts = tenths_of(adopt->cells[i][4]);
			tenths before = tenths_of(adopt->cells[i][5]);
			tenths cr = tenths_of(adopt->cells[i][6]);

			/* credited = how much the maximum rose */
			assert_int_equal(cr, pts > before ? pts - before : 0);
			sum_q += cr;
		}
		assert_int_equal(sum_q, r->quality);
		assert_int_equal(tenths_of(adopt->cells[adopt->nrows - 1][6]),
		    r->quality);
	}
}

static void
test_sums_every_unit(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(quarters); k++) {
		const qdata_t *d = &quarters[k];

		assert_int_equal(d->ndocs, d->reg.nunits);
		assert_int_equal(d->ndocs, 120);
		for (size_t u = 0; u < d->ndocs; u++)
			check_sums(d, u);
	}
}

/* SPEC 2.1's example: 2017Q1-0934 (宜昌), portal in Q1 (3), then 司法部
 * (15) and 工作简报 (5) in Q2: before 3, credited 12; before 15, credited 0. */
static void
test_cross_quarter(void **state)
{
	const qdata_t *d = &quarters[1];
	size_t u = unit_index(d, "yichang");
	const doc_t *doc = d->docs[u];
	const doc_table_t *adopt = table_with(doc, 7, "标题");
	int seen = 0;

	(void)state;
	assert_non_null(adopt);
	for (size_t i = 0; i < adopt->nrows; i++) {
		char **row = adopt->cells[i];

		if (strcmp(row[0], "2017Q1-0934") != 0)
			continue;
		if (strcmp(row[2], "司法部采用") == 0) {
			assert_string_equal(row[5], "3");
			assert_string_equal(row[6], "12");
			seen |= 1;
		} else if (strcmp(row[2], "省厅工作简报") == 0) {
			assert_string_equal(row[5], "15");
			assert_string_equal(row[6], "0");
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	assert_true(body_has(doc, "2017Q1-0934为2017年第一季度报送的信息"));
	assert_true(body_has(doc, "2017Q1-0934此前已被采用，已计3分"));
	assert_true(body_has(doc, "2017Q1-0934此前已被采用，已计15分"));
	/* the remark on the earlier quarter once, though adopted twice */
	assert_int_equal(body_count(doc, "2017Q1-0934为2017年第一季度"), 1);
	/* the 2017Q1 item is not among the Q2 items */
	assert_null(row_of(table_with(doc, 6, "标题"), "2017Q1-0934"));
}

/* 2017Q1-0055 (武汉, 日常) adopted by the portal: reason and points. */
static void
test_excluded_but_adopted(void **state)
{
	const qdata_t *d = &quarters[0];
	const doc_t *doc = d->docs[unit_index(d, "wuhan")];
	char **item = row_of(table_with(doc, 6, "标题"), "2017Q1-0055");
	char **adopt = row_of(table_with(doc, 7, "标题"), "2017Q1-0055");

	(void)state;
	assert_non_null(item);
	assert_string_equal(item[4], "0");
	assert_string_equal(item[5], exclusion_text(EXCL_ROUTINE));
	assert_non_null(adopt);
	assert_string_equal(adopt[2], "省厅门户网站");
	assert_string_equal(adopt[6], "3");
	assert_true(body_has(doc, "2017Q1-0055未计入报送定额，原因：日常信息不计入"));
}

static void
test_nothing_submitted(void **state)
{
	static const char *const ids[] = { "pa-42", "pp-20", "pl-19" };
	const qdata_t *d = &quarters[0];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		size_t u = unit_index(d, ids[i]);
		const doc_t *doc = d->docs[u];
		const doc_table_t *score = table_at(doc, 0);

		assert_true(body_has(doc, "本季度未报送信息。"));
		assert_null(table_with(doc, 6, "标题"));
		assert_string_equal(score->cells[0][1], "0");
		assert_string_equal(score->cells[0][6], "0");
		assert_non_null(strstr(doc->title, d->reg.units[u].name));
	}
}

/* Titles are kept as text: markup is not interpreted or dropped. */
static void
test_script_title(void **state)
{
	const qdata_t *d = &quarters[0];
	const doc_t *doc = d->docs[unit_index(d, "wuhan")];
	char **item = row_of(table_with(doc, 6, "标题"), "2017Q1-0693");
	diag_list_t dl = { 0 };
	buf_t xml;

	(void)state;
	assert_non_null(item);
	assert_non_null(strstr(item[1], "<script>alert(1)</script> & \"引号\""));
	/* and the machine-readable model escapes it */
	buf_init(&xml);
	assert_int_equal(docxml_write(doc, &xml, &dl), 0);
	buf_putc(&xml, '\0');
	assert_null(strstr(xml.data, "<script>"));
	assert_non_null(strstr(xml.data, "&lt;script&gt;"));
	buf_free(&xml);
	diag_free(&dl);
}

/* The front matter: title, 主送, no 版头, no 版记, signature and date. */
static void
test_front_matter(void **state)
{
	const qdata_t *d = &quarters[0];
	const doc_t *doc = d->docs[unit_index(d, "wuhan")];

	(void)state;
	assert_string_equal(doc->title,
	    "2017年第一季度政务信息考评结果明细（武汉市司法局）");
	assert_string_equal(doc->recipients, "武汉市司法局局长：");
	assert_null(doc->issuer);
	assert_null(doc->doc_number);
	assert_null(doc->doc_number_blank);
	assert_null(doc->cc);
	assert_null(doc->printer);
	assert_null(doc->print_date);
	assert_int_equal(doc->nattachments, 0);
	assert_string_equal(doc->signature, "湖北省司法厅办公室");
	assert_string_equal(doc->date_cn, "2017年4月5日");
	assert_true(body_has(doc, "在市州司法局13个单位中"));
	/* a unit without a head title in units.xml */
	doc = d->docs[unit_index(d, "pa-42")];
	assert_string_equal(doc->recipients, "神农架林区司法局红坪司法所主要负责人：");
}

/* Tied ranks say so: 湖北真武 and 湖北立丰 (法律服务直报点), 68 each. */
static void
test_tied_rank(void **state)
{
	const qdata_t *d = &quarters[0];
	size_t a = 0, b = 0;

	(void)state;
	for (size_t u = 0; u < d->reg.nunits; u++) {
		if (strcmp(d->reg.units[u].name, "湖北真武律师事务所") == 0)
			a = u;
		if (strcmp(d->reg.units[u].name, "湖北立丰律师事务所") == 0)
			b = u;
	}
	assert_int_equal(d->res.units[a].rank, d->res.units[b].rank);
	assert_true(body_has(d->docs[a], "并列第"));
	assert_true(body_has(d->docs[b], "并列第"));
	assert_false(body_has(d->docs[unit_index(d, "wuhan")], "并列第"));
}

/* statement_unit gives the same document as statement_all; with the
 * notice given, its date and signature. */
static void
test_unit_and_notice(void **state)
{
	const qdata_t *d = &quarters[1];
	statement_in_t in = { .reg = &d->reg, .rules = &d->rules,
		    .led = &d->led, .res = &d->res, .fu = &d->fu };
	diag_list_t dl = { 0 };
	buf_t a, b;
	doc_t *one, *notice;
	size_t u = unit_index(d, "yichang");

	(void)state;
	buf_init(&a);
	buf_init(&b);
	one = statement_unit(d->tpl, &in, u, &dl);
	assert_non_null(one);
	assert_int_equal(docxml_write(one, &a, &dl), 0);
	assert_int_equal(docxml_write(d->docs[u], &b, &dl), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	doc_free(one);
	assert_null(statement_unit(d->tpl, &in, d->reg.nunits, &dl));
	assert_int_equal(dl.errors, 1);
	diag_free(&dl);

	notice = notice_quarter(&d->reg, &d->rules, &d->led, &d->res,
	    NULL, &d->fu, TEMPLATES, "tests/fixtures/none/notice.xml", &dl);
	assert_non_null(notice);
	doc_set(&notice->date_cn, "2017年7月6日");
	doc_set(&notice->signature, "湖北省司法厅");
	notice->epoch = 1499270400;
	in.notice = notice;
	one = statement_unit(d->tpl, &in, u, &dl);
	assert_string_equal(one->date_cn, "2017年7月6日");
	assert_string_equal(one->signature, "湖北省司法厅");
	assert_int_equal(one->epoch, 1499270400);
	doc_free(one);
	doc_free(notice);
	buf_free(&a);
	buf_free(&b);
	diag_free(&dl);
}

/* Section 四: one row per listed obligation of the unit, status in words;
 * none without follow-ups. */
static void
test_followups(void **state)
{
	static const char *const status[] = { "按时", "迟报", "逾期未报",
	    "未到期" };
	size_t with_rows = 0, statuses[4] = { 0 };

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(quarters); k++) {
		const qdata_t *d = &quarters[k];

		for (size_t u = 0; u < d->ndocs; u++) {
			const doc_table_t *t = table_with(d->docs[u], 6, "事项");
			size_t want = 0, row = 0;

			for (size_t i = 0; i < d->fu.n; i++)
				if (d->fu.v[i].unit == u && d->fu.v[i].listed)
					want++;
			assert_int_equal(heading_count(d->docs[u],
			    "四、督办事项落实情况"), 1);
			if (want == 0) {
				assert_null(t);
				assert_true(body_has(d->docs[u], "无应报送的督办事项"));
				continue;
			}
			assert_non_null(t);
			assert_int_equal(t->nrows, want);
			with_rows++;
			for (size_t i = 0; i < d->fu.n; i++) {
				const fu_obligation_t *o = &d->fu.v[i];

				if (o->unit != u || !o->listed)
					continue;
				assert_string_equal(t->cells[row][0],
				    d->led.directives[o->directive].id);
				assert_string_equal(t->cells[row][5],
				    status[o->status]);
				if (o->item != FU_NO_ITEM)
					assert_non_null(strstr(t->cells[row][4],
					    d->led.items[o->item].id));
				else
					assert_string_equal(t->cells[row][4], "");
				statuses[o->status]++;
				row++;
			}
		}
	}
	/* the samples have units on time, late and silent */
	assert_true(with_rows > 0);
	assert_true(statuses[0] > 0 && statuses[1] > 0 && statuses[2] > 0);
	/* without follow-ups, no section */
	{
		const qdata_t *d = &quarters[0];
		statement_in_t in = { .reg = &d->reg, .rules = &d->rules,
		    .led = &d->led, .res = &d->res, .fu = NULL };
		diag_list_t dl = { 0 };
		doc_t *doc = statement_unit(d->tpl, &in, unit_index(d, "wuhan"),
		    &dl);

		assert_false(body_has(doc, "督办"));
		assert_int_equal(heading_count(doc, "四、督办事项落实情况"), 0);
		doc_free(doc);
		diag_free(&dl);
	}
}

/* ---- the template's checks -------------------------------------------------- */

/* A copy of templates/ with statement.xml edited: `from` replaced by `to`. */
static char *
edited_templates(const char *from, const char *to)
{
	char dir[] = "/tmp/tb-stmt-XXXXXX";
	char *text = NULL, *edited, *path, *cmd;
	size_t len;

	assert_non_null(mkdtemp(dir));
	cmd = xasprintf("cp -r templates/schema %s/", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(read_file("templates/statement.xml", &text, &len), 0);
	edited = test_replace(text, from, to);
	path = xasprintf("%s/statement.xml", dir);
	test_write(path, edited);
	free(path);
	free(edited);
	free(text);
	return xstrdup(dir);
}

static void
remove_dir(char *dir)
{
	test_rm_rf(dir);
	free(dir);
}

static bool
has_error(const diag_list_t *dl, const char *what)
{
	for (size_t i = 0; i < dl->n; i++)
		if (strstr(dl->v[i].msg, what) != NULL && dl->v[i].line > 0)
			return true;
	return false;
}

static void
test_template_checks(void **state)
{
	static const struct { const char *from, *to, *error; } cases[] = {
		{ "本季度总分{total}分", "本季度总分{totl}分",
		    "unknown placeholder {totl}" },
		{ "<text key=\"closing\">", "<text key=\"closing2\">",
		    "lacks <text key=\"closing\">" },
		{ "<item>名次</item>", "", "needs exactly 8 items, not 7" },
		{ "<text key=\"closing\">特此告知。</text>",
		    "<text key=\"closing\">特此告知。</text><text key=\"extra\">x</text>",
		    "unknown key \"extra\"" },
		{ "<text key=\"title\">{year}", "<text key=\"title\">{year",
		    "'{' without a placeholder" },
		{ "<defaults>", "<oops/><defaults>", "oops" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *dir = edited_templates(cases[i].from, cases[i].to);
		diag_list_t dl = { 0 };
		statement_tpl_t *t = statement_tpl_load(dir, &dl);

		assert_null(t);
		if (!has_error(&dl, cases[i].error)) {
			diag_print(&dl, stderr);
			fail_msg("case %zu: no error with \"%s\"", i, cases[i].error);
		}
		diag_free(&dl);
		remove_dir(dir);
	}
	/* an edited phrase changes the text */
	{
		char *dir = edited_templates("特此告知。", "此致。");
		diag_list_t dl = { 0 };
		statement_tpl_t *t = statement_tpl_load(dir, &dl);
		const qdata_t *d = &quarters[0];
		statement_in_t in = { .reg = &d->reg, .rules = &d->rules,
		    .led = &d->led, .res = &d->res, .fu = &d->fu };
		doc_t *doc;

		assert_non_null(t);
		doc = statement_unit(t, &in, 0, &dl);
		assert_true(body_has(doc, "此致。"));
		doc_free(doc);
		statement_tpl_free(t);
		diag_free(&dl);
		remove_dir(dir);
	}
}

/* ---- rendering ------------------------------------------------------------------ */

static const char *
fonts_dir(void)
{
	struct stat st;

	return stat("fonts/fonts.conf", &st) == 0 ? "fonts" : NULL;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of the process: the machine is shared, wall time varies. */
static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Builds (again, timed) and renders every statement of both quarters to
 * out/test-statements/YYYYQn/ID.pdf, and all in one to YYYYQn-units.pdf;
 * renders one twice for identical bytes.
 * Under AddressSanitizer (slow) only a few units are rendered.
 */
static void
test_render(void **state)
{
	(void)state;
	mkdir("out", 0777);
	mkdir("out/test-statements", 0777);
	for (size_t k = 0; k < ARRAY_LEN(quarters); k++) {
		const qdata_t *d = &quarters[k];
		statement_in_t in = { .reg = &d->reg, .rules = &d->rules,
		    .led = &d->led, .res = &d->res, .fu = &d->fu };
		diag_list_t dl = { 0 };
		doc_t **docs = NULL;
		size_t n = 0, bytes = 0;
		char qs[16], *dir;
		double t0 = now_ms(), c0 = cpu_ms(), t1, t2, c1, c2;

		tb_quarter_format(d->q, qs, sizeof qs);
		assert_int_equal(statement_all(d->tpl, &in, &docs, &n, &dl), 0);
		t1 = now_ms();
		c1 = cpu_ms();
		dir = xasprintf("out/test-statements/%s", qs);
		mkdir(dir, 0777);
		for (size_t u = 0; u < n; u++) {
			buf_t pdf;
			char *path;
			FILE *fp;

#if defined(__SANITIZE_ADDRESS__)
			if (u % 20 != 0 && strcmp(d->reg.units[u].id, "yichang") &&
			    strcmp(d->reg.units[u].id, "wuhan"))
				continue;
#endif
			buf_init(&pdf);
			assert_int_equal(render_pdf(docs[u], fonts_dir(), &pdf, &dl), 0);
			bytes += pdf.len;
			path = xasprintf("%s/%s.pdf", dir, d->reg.units[u].id);
			fp = fopen(path, "wb");
			assert_non_null(fp);
			assert_int_equal(fwrite(pdf.data, 1, pdf.len, fp), pdf.len);
			fclose(fp);
			free(path);
			if (u == 0) {
				buf_t again;

				buf_init(&again);
				assert_int_equal(render_pdf(docs[u], fonts_dir(),
				    &again, &dl), 0);
				assert_int_equal(again.len, pdf.len);
				assert_memory_equal(again.data, pdf.data, pdf.len);
				buf_free(&again);
			}
			buf_free(&pdf);
		}
		t2 = now_ms();
		c2 = cpu_ms();
		/* all in one, for printing */
		{
			buf_t all;
			char *path = xasprintf("out/test-statements/%s-units.pdf", qs);
			FILE *fp;
			double t3, c3;

			buf_init(&all);
			assert_int_equal(render_pdf_docs((const doc_t *const *)docs,
			    n, fonts_dir(), &all, &dl), 0);
			t3 = now_ms();
			c3 = cpu_ms();
			print_message("%s: all %zu statements in one PDF in %.0f ms "
			    "(CPU %.0f ms), %zu KB\n", qs, n, t3 - t2, c3 - c2,
			    all.len / 1024);
			fp = fopen(path, "wb");
			assert_non_null(fp);
			assert_int_equal(fwrite(all.data, 1, all.len, fp), all.len);
			fclose(fp);
			free(path);
			buf_free(&all);
		}
		print_message("%s: %zu statements built in %.1f ms (CPU %.1f ms), "
		    "rendered one PDF each in %.0f ms (CPU %.0f ms), %zu KB of "
		    "PDF\n", qs, n, t1 - t0, c1 - c0, t2 - t1, c2 - c1,
		    bytes / 1024);
		statement_docs_free(docs, n);
		free(dir);
		assert_int_equal(dl.errors, 0);
		diag_free(&dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_every_unit),
		cmocka_unit_test(test_cross_quarter),
		cmocka_unit_test(test_excluded_but_adopted),
		cmocka_unit_test(test_nothing_submitted),
		cmocka_unit_test(test_script_title),
		cmocka_unit_test(test_front_matter),
		cmocka_unit_test(test_tied_rank),
		cmocka_unit_test(test_unit_and_notice),
		cmocka_unit_test(test_followups),
		cmocka_unit_test(test_template_checks),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
