/*
 * test_notice.c - the 通报 document model (gen/doc/notice.c): a small registry,
 * rules, ledger and results built by hand (three groups, seven units), then
 * the quarterly and annual notices checked for their title, their numbers
 * (each unit's total in the score table equals the results), exclusions with
 * their reasons, late and high-level reports, the document number with and
 * without settings, and that editing a copy of templates/notice.xml changes
 * the text.  Runs from the top of the tree (templates/ relative).
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
#include <unistd.h>
#include <cmocka.h>

#include "notice.h"
#include "util.h"
#include "testutil.h"

#define TEMPLATES "templates"

/* ---- the fixture ---------------------------------------------------------- */

static group_t groups[] = {
	{ .id = "city", .name = "市州司法局" },
	{ .id = "prison", .name = "监狱戒毒管理局" },
	{ .id = "point", .name = "司法行政机关直报点" },
};
static category_t cats[] = {
	{ .id = "city-bureau", .name = "各市、州司法局", .group = 0, .quota = 24 },
	{ .id = "prison", .name = "省监狱局", .group = 1, .quota = 24 },
	{ .id = "drug", .name = "省戒毒局", .group = 1, .quota = 20 },
	{ .id = "point", .name = "直报点", .group = 2, .quota = 12 },
};
static unit_t units[] = {
	{ .id = "wuhan", .name = "武汉市司法局", .category = 0, .group = 0 },
	{ .id = "huangshi", .name = "黄石市司法局", .category = 0, .group = 0 },
	{ .id = "yichang", .name = "宜昌市司法局", .category = 0, .group = 0 },
	{ .id = "prison", .name = "省监狱局", .category = 1, .group = 1 },
	{ .id = "drug", .name = "省戒毒局", .category = 2, .group = 1 },
	{ .id = "jianghan", .name = "江汉区司法局", .category = 3, .group = 2 },
	{ .id = "qiaokou", .name = "硚口区司法局", .category = 3, .group = 2 },
};
static registry_t reg = { .groups = groups, .ngroups = 3, .cats = cats,
    .ncats = 4, .units = units, .nunits = 7 };

static kind_t kinds[] = {
	{ .name = "动态", .weight = 1, .max_chars = 1000 },
	{ .name = "日常", .weight = 0 },
	{ .name = "重要紧急", .weight = 2, .urgent = true },
};
static carrier_t carriers[] = {
	{ .name = "省厅门户网站", .points = 30 },
	{ .name = "省厅领导批示", .points = 100 },
	{ .name = "司法部采用", .points = 150, .high_level = true },
};
static rules_t rules;

/* Items: 0 wuhan (adopted by the portal and by 司法部), 1 wuhan routine
 * (excluded), 2 huangshi late urgent, 3 prison unsigned with markup and a
 * line break in its title, 4 jianghan wrong channel. */
static item_t items[] = {
	{ .id = "Q1-001", .unit = 0, .title = "武汉市推进公共法律服务", .kind = 0,
	    .chars = 800, .event = TB_TIME_NONE, .channel = "综合科",
	    .approver = "张局长", .authors = "张三", .directive = "", .line = 2 },
	{ .id = "Q1-002", .unit = 0, .title = "局领导出席会议", .kind = 1,
	    .chars = 300, .event = TB_TIME_NONE, .channel = "综合科",
	    .approver = "张局长", .authors = "张三", .directive = "", .line = 3 },
	{ .id = "Q1-003", .unit = 1, .title = "黄石港区突发山体滑坡", .kind = 2,
	    .chars = 500, .event = 0, .channel = "维稳办",
	    .approver = "李局长", .authors = "李四", .directive = "", .line = 4 },
	{ .id = "Q1-004", .unit = 3,
	    .title = "<script>alert(1)</script>\r\n第二行 & \"引号\"", .kind = 0,
	    .chars = 900, .event = TB_TIME_NONE, .channel = "督办科",
	    .approver = "", .authors = "王五", .directive = "", .line = 5 },
	{ .id = "Q1-005", .unit = 5, .title = "江汉区人民调解", .kind = 0,
	    .chars = 700, .event = TB_TIME_NONE, .channel = "传真",
	    .approver = "王局长", .authors = "赵六", .directive = "", .line = 6 },
};
static adoption_t adoptions[] = {
	{ .item = 0, .carrier = 0, .date = 0, .note = "", .quarter = 0,
	    .line = 2 },
	{ .item = 0, .carrier = 2, .date = 0, .note = "司法部简报第3期", .quarter = 0,
	    .line = 3 },
	{ .item = 3, .carrier = 1, .date = 0, .note = "", .quarter = 0,
	    .line = 4 },
};
static ledger_t led;

/* unit results in registry order; output order below */
static unit_result_t uresults[] = {
	/* unit sub cnt eff met  base  qual total rank */
	{ .unit = 0, .submitted = 26, .counted = 25, .effective = 25,
	    .met_quota = true, .base = 600, .quality = 150, .total = 750,
	    .rank = 1 },
	{ .unit = 1, .submitted = 24, .counted = 24, .effective = 26,
	    .met_quota = true, .base = 600, .total = 600, .rank = 2 },
	{ .unit = 2, .rank = 3 },
	{ .unit = 3, .submitted = 10, .counted = 9, .effective = 9,
	    .quality = 100, .total = 100, .rank = 2 },
	{ .unit = 4, .submitted = 20, .counted = 20, .effective = 20,
	    .met_quota = true, .base = 600, .total = 600, .rank = 1 },
	{ .unit = 5, .submitted = 12, .counted = 11, .effective = 11,
	    .rank = 1 },
	{ .unit = 6, .rank = 1 },
};
static size_t order[] = { 0, 1, 2, 4, 3, 5, 6 };
static item_result_t iresults[] = {
	{ .item = 0, .why = EXCL_NONE, .weight = 1, .quality = 150 },
	{ .item = 1, .why = EXCL_ROUTINE },
	{ .item = 2, .why = EXCL_NONE, .weight = 2,
	    .late_minutes = 215 },    /* submitted - event */
	{ .item = 3, .why = EXCL_UNSIGNED, .quality = 100 },
	{ .item = 4, .why = EXCL_CHANNEL },
};
static credit_t credits[] = {
	{ .adoption = 0, .credited = 30 },
	{ .adoption = 1, .before = 30, .credited = 120 },
	{ .adoption = 2, .credited = 100 },
};
static results_t res;

static annual_row_t arows[] = {
	{ .unit = 0, .q = { 750, 600, 300, 455 }, .total = 2105, .rank = 2 },
	{ .unit = 1, .q = { 600, 600, 600, 600 }, .total = 2400, .rank = 1,
	    .honour = true },
	{ .unit = 2, .q = { 0, 0, 0, 0 }, .rank = 3 },
	{ .unit = 3, .q = { 100, 0, 0, 0 }, .total = 100, .rank = 2 },
	{ .unit = 4, .q = { 600, 600, 600, 600 }, .total = 2400, .rank = 1,
	    .honour = true },
	{ .unit = 5, .q = { 0, 0, 0, 0 }, .rank = 1 },
	{ .unit = 6, .q = { 0, 0, 0, 0 }, .rank = 1 },
};
static size_t aorder[] = { 1, 0, 2, 4, 3, 5, 6 };
static worker_row_t workers[] = {
	{ .author = "张三", .unit = 0, .items = 3, .quality = 250, .rank = 1,
	    .honour = true },
	{ .author = "李四", .unit = 4, .items = 1, .quality = 30, .rank = 2 },
};
static annual_t ann;

/* The group's setup: the times and links of the model above, once. */
static int
fixture(void **state)
{
	static const struct { int i; int y, mo, d, h, mi; } sub[] = {
		{ 0, 2017, 1, 5, 9, 30 }, { 1, 2017, 1, 6, 10, 0 },
		{ 2, 2017, 2, 1, 14, 0 }, { 3, 2017, 3, 1, 8, 0 },
		{ 4, 2017, 3, 2, 8, 0 },
	};

	(void)state;

	memset(&rules, 0, sizeof rules);
	rules.kinds = kinds;
	rules.nkinds = 3;
	rules.carriers = carriers;
	rules.ncarriers = 3;
	rules.urgent_limit_minutes = 120;
	rules.base_points = 600;
	for (size_t i = 0; i < ARRAY_LEN(sub); i++) {
		items[sub[i].i].submitted = tb_time_make(sub[i].y, sub[i].mo,
		    sub[i].d, sub[i].h, sub[i].mi);
		items[sub[i].i].quarter = tb_quarter_make(2017, 1);
	}
	items[2].event = items[2].submitted - 215;    /* 95 minutes too late */
	adoptions[0].date = tb_time_make(2017, 1, 9, 0, 0);
	adoptions[1].date = tb_time_make(2017, 2, 3, 0, 0);
	adoptions[2].date = tb_time_make(2017, 3, 10, 0, 0);
	memset(&led, 0, sizeof led);
	led.items = items;
	led.nitems = ARRAY_LEN(items);
	led.adoptions = adoptions;
	led.nadoptions = ARRAY_LEN(adoptions);
	memset(&res, 0, sizeof res);
	res.quarter = tb_quarter_make(2017, 1);
	res.units = uresults;
	res.nunits = ARRAY_LEN(uresults);
	res.order = order;
	res.items = iresults;
	res.nitems = ARRAY_LEN(iresults);
	res.credits = credits;
	res.ncredits = ARRAY_LEN(credits);
	memset(&ann, 0, sizeof ann);
	ann.year = 2017;
	ann.units = arows;
	ann.nunits = ARRAY_LEN(arows);
	ann.order = aorder;
	ann.workers = workers;
	ann.nworkers = ARRAY_LEN(workers);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

/* All the text of a section (headings, paragraphs, list items, table cells),
 * one block per line.  Caller frees. */
static char *
section_text(const doc_section_t *s)
{
	buf_t b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < s->nblocks; i++) {
		const doc_block_t *bl = &s->blocks[i];

		if (bl->text != NULL)
			buf_printf(&b, "%s\n", bl->text);
		for (size_t k = 0; k < bl->nitems; k++)
			buf_printf(&b, "%s\n", bl->items[k]);
		if (bl->table != NULL)
			for (size_t r = 0; r < bl->table->nrows; r++)
				for (size_t c = 0; c < bl->table->ncols; c++)
					buf_printf(&b, "%s\t",
					    bl->table->cells[r][c]);
	}
	return buf_steal(&b);
}

/* The row of the table holding `name` in column `col`, in any table of s. */
static char **
find_row(const doc_section_t *s, size_t col, const char *name,
    const doc_table_t **tp)
{
	for (size_t i = 0; i < s->nblocks; i++) {
		const doc_table_t *t = s->blocks[i].table;

		for (size_t r = 0; t != NULL && r < t->nrows; r++)
			if (col < t->ncols && strcmp(t->cells[r][col], name) == 0) {
				if (tp != NULL)
					*tp = t;
				return t->cells[r];
			}
	}
	return NULL;
}

/* A temporary templates folder holding `tmpl` and the real schema. */
static char *
temp_templates(const char *tmpl)
{
	char *dir = xstrdup("/tmp/test_notice.XXXXXX"), *p, *xsd = NULL;
	size_t len;

	assert_non_null(mkdtemp(dir));
	p = xasprintf("%s/schema", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	assert_int_equal(read_file(TEMPLATES "/schema/notice.xsd", &xsd, &len), 0);
	p = xasprintf("%s/schema/notice.xsd", dir);
	test_write(p, xsd);
	free(p);
	free(xsd);
	p = xasprintf("%s/notice.xml", dir);
	test_write(p, tmpl);
	free(p);
	return dir;
}

static void
remove_templates(char *dir)
{
	char *p = xasprintf("%s/schema/notice.xsd", dir);

	unlink(p);
	free(p);
	p = xasprintf("%s/schema", dir);
	rmdir(p);
	free(p);
	p = xasprintf("%s/notice.xml", dir);
	unlink(p);
	free(p);
	p = xasprintf("%s/settings.xml", dir);
	unlink(p);
	free(p);
	rmdir(dir);
	free(dir);
}

static char *
real_template(void)
{
	char *t = NULL;
	size_t len;

	assert_int_equal(read_file(TEMPLATES "/notice.xml", &t, &len), 0);
	return t;
}

/*
 * The fixture of the tests that edit the wording or the settings: a
 * templates folder with the real schema and template (tmpl, its text),
 * made by the setup and removed by the teardown, also when a test fails.
 */
struct tfix {
	char *dir, *tmpl;
};

static int
templates_up(void **state)
{
	struct tfix *f = xcalloc(1, sizeof *f);

	f->tmpl = real_template();
	f->dir = temp_templates(f->tmpl);
	*state = f;
	return 0;
}

static int
templates_down(void **state)
{
	struct tfix *f = *state;

	remove_templates(f->dir);
	free(f->tmpl);
	free(f);
	return 0;
}

/* The fixture's template made `tmpl`. */
static void
set_template(const struct tfix *f, const char *tmpl)
{
	char *p = xasprintf("%s/notice.xml", f->dir);

	test_write(p, tmpl);
	free(p);
}

static doc_t *
quarter_with(const char *templates, const char *settings, diag_list_t *dl)
{
	followup_t fu;
	doc_t *d;

	assert_int_equal(followup_quarter(&reg, &rules, &led, res.quarter, &fu), 0);
	d = notice_quarter(&reg, &rules, &led, &res, NULL, &fu, templates,
	    settings, dl);
	followup_free(&fu);
	return d;
}

/* ---- tests -------------------------------------------------------------------- */

static void
test_quarter_front(void **state)
{
	diag_list_t dl = { 0 };
	doc_t *d;

	(void)state;
	d = quarter_with(TEMPLATES, NULL, &dl);
	diag_print(&dl, stderr);
	assert_non_null(d);
	assert_int_equal(dl.errors, 0);
	assert_string_equal(d->title,
	    "关于2017年第一季度全省司法行政系统政务信息工作情况的通报");
	assert_string_equal(d->issuer, "湖北省司法厅办公室");
	assert_string_equal(d->signature, "湖北省司法厅办公室");
	assert_string_equal(d->printer, "湖北省司法厅办公室");
	assert_null(d->doc_number);
	assert_string_equal(d->doc_number_blank, "鄂司办通〔2017〕　　号");
	assert_non_null(strstr(d->recipients, "各市、州、直管市、神农架林区司法局"));
	assert_non_null(strstr(d->recipients, "省厅信息调研直报点："));
	/* default issue date: the 5th of the month after the quarter */
	assert_string_equal(d->date_cn, "2017年4月5日");
	assert_string_equal(d->print_date, "2017年4月5日印发");
	assert_string_equal(d->meta.date_iso, "2017-04-05");
	assert_string_equal(d->meta.category, "司法");
	assert_string_equal(d->meta.publisher, "湖北省司法厅");
	assert_string_equal(d->meta.validity, "有效");
	assert_null(d->meta.index_no);
	assert_string_equal(d->cc, "各单位（部门）主要负责人。");
	assert_string_equal(d->author, "湖北省司法厅办公室");
	assert_non_null(strstr(d->subject, "2017年第一季度"));
	assert_int_equal(d->epoch, 1491321600LL);     /* 2017-04-05 00:00 +08 */
	/* scores, high-level adoptions, not counted, 采用情况 */
	assert_int_equal(d->nattachments, 4);
	assert_int_equal(d->nattach_note, 4);
	assert_string_equal(d->attach_note[0],
	    "1.2017年第一季度政务信息考评得分表");
	assert_string_equal(d->attachments[0].label, "附件1");
	assert_string_equal(d->attachments[2].label, "附件3");
	doc_free(d);
	diag_free(&dl);
}

static void
test_quarter_scores(void **state)
{
	diag_list_t dl = { 0 };
	doc_t *d;
	const doc_section_t *a1;
	size_t tables = 0, charts = 0;

	(void)state;
	d = quarter_with(TEMPLATES, NULL, &dl);
	assert_non_null(d);
	a1 = &d->attachments[0];
	for (size_t i = 0; i < a1->nblocks; i++) {
		const doc_table_t *t = a1->blocks[i].table;

		if (a1->blocks[i].chart != NULL) {
			const doc_chart_t *c = a1->blocks[i].chart;

			charts++;
			assert_int_equal(c->nbars, 3);
			assert_string_equal(c->labels[0], "市州司法局");
			/* (75 + 60 + 0) / 3 = 45; (10 + 60) / 2 = 35; 0 */
			assert_string_equal(c->value_text[0], "45");
			assert_string_equal(c->value_text[1], "35");
			assert_string_equal(c->value_text[2], "0");
			assert_true(c->values[0] > 44.9 && c->values[0] < 45.1);
			assert_non_null(strstr(c->alt, "市州司法局45分"));
		}
		if (t == NULL)
			continue;
		assert_string_equal(t->caption, groups[tables].name);
		assert_int_equal(t->ncols, 12);
		assert_string_equal(t->head[0], "名次");
		assert_string_equal(t->head[8], "总分");
		assert_string_equal(t->head[9], "累计得分");
		assert_int_equal(t->align[1], ALIGN_LEFT);
		assert_int_equal(t->align[8], ALIGN_RIGHT);
		tables++;
	}
	assert_int_equal(tables, 3);
	assert_int_equal(charts, 1);
	/* rows in results order: the prison group lists 省戒毒局 first */
	assert_string_equal(a1->blocks[2].table->cells[0][1], "省戒毒局");
	for (size_t u = 0; u < ARRAY_LEN(units); u++) {
		char **row = find_row(a1, 1, units[u].name, NULL);
		char want[32];

		assert_non_null(row);
		tenths_format(uresults[u].total, want, sizeof want);
		assert_string_equal(row[8], want);
		tenths_format(uresults[u].quality, want, sizeof want);
		assert_string_equal(row[7], want);
		snprintf(want, sizeof want, "%d", uresults[u].rank);
		assert_string_equal(row[0], want);
		snprintf(want, sizeof want, "%d", cats[units[u].category].quota);
		assert_string_equal(row[2], want);
		snprintf(want, sizeof want, "%d", uresults[u].effective);
		assert_string_equal(row[5], want);
		/* without the year's earlier quarters: the year to date is the
		 * quarter, and there is nothing to compare with */
		tenths_format(uresults[u].total, want, sizeof want);
		assert_string_equal(row[9], want);
		assert_string_equal(row[10], "—");
		assert_string_equal(row[11], "—");
	}
	doc_free(d);
	diag_free(&dl);
}

static void
test_quarter_body(void **state)
{
	diag_list_t dl = { 0 };
	doc_t *d;
	char *body;

	(void)state;
	d = quarter_with(TEMPLATES, NULL, &dl);
	assert_non_null(d);
	body = section_text(&d->body);
	/* totals: 92 received, 89 counted, 91 effective, 3 excluded */
	assert_non_null(strstr(body, "政务信息92条，其中计入报送定额的89条"));
	assert_non_null(strstr(body, "折算后共91条"));
	assert_non_null(strstr(body, "未计入报送定额的3条"));
	assert_non_null(strstr(body, "共被采用（批示）3条次，其中省厅门户网站1条次、"
	    "省厅领导批示1条次、司法部采用1条次，各单位共获得质量分25分"));
	assert_non_null(strstr(body, "市州司法局3个单位中有2个完成季度报送定额；"
	    "监狱戒毒管理局2个单位中有1个"));
	/* best: rank 1..3 in the better half, with points */
	assert_non_null(strstr(body, "市州司法局：武汉市司法局、黄石市司法局。"));
	assert_non_null(strstr(body, "监狱戒毒管理局：省戒毒局。"));
	{
		/* (一) names neither of the direct-report units */
		const char *from = strstr(body, "以下单位在本组名列前茅");
		const char *to = strstr(body, "（二）");
		char *best;

		assert_non_null(from);
		assert_non_null(to);
		best = xstrndup(from, (size_t)(to - from));
		assert_null(strstr(best, "江汉区司法局"));
		free(best);
	}
	/* missed the quota, and sent nothing */
	assert_non_null(strstr(body, "监狱戒毒管理局：省监狱局。"));
	assert_non_null(strstr(body, "司法行政机关直报点：江汉区司法局。"));
	assert_non_null(strstr(body, "市州司法局：宜昌市司法局。"));
	assert_non_null(strstr(body, "司法行政机关直报点：硚口区司法局。"));
	/* high level */
	assert_non_null(strstr(body, "采用或批示1条次，涉及武汉市司法局1条次"));
	/* late urgent report: 95 minutes over 2 hours */
	assert_non_null(strstr(body, "事发后2小时以内报告"));
	assert_non_null(strstr(body, "黄石市司法局《黄石港区突发山体滑坡》，"
	    "事发后3小时35分钟报送，超过规定时限1小时35分钟。"));
	/* (三) 零报送 and 零采用: nobody of the direct-report group had an
	 * adoption credited */
	assert_non_null(strstr(body, "（三）零报送、零采用的单位"));
	assert_non_null(strstr(strstr(body, "（零采用）："),
	    "司法行政机关直报点：江汉区司法局、硚口区司法局。"));
	/* 三、存在问题: the figures of the quarter, then the paragraphs */
	assert_non_null(strstr(body, "三、存在问题\n从本季度考评情况看，"
	    "1条信息未经本单位负责人审核签发；1条信息未报送至规定的电子邮箱；"
	    "1条重要紧急信息超过规定时限报送；4个单位未完成季度报送定额。"));
	assert_non_null(strstr(body, "四、下一季度工作要求"));
	free(body);
	doc_free(d);
	diag_free(&dl);
}

static void
test_quarter_exclusions(void **state)
{
	diag_list_t dl = { 0 };
	doc_t *d;
	const doc_section_t *a2, *a3;
	char **row;
	const doc_table_t *t = NULL;

	(void)state;
	d = quarter_with(TEMPLATES, NULL, &dl);
	assert_non_null(d);
	a3 = &d->attachments[2];
	row = find_row(a3, 1, "Q1-002", &t);
	assert_non_null(row);
	assert_int_equal(t->nrows, 3);
	assert_string_equal(row[0], "武汉市司法局");
	assert_string_equal(row[3], exclusion_text(EXCL_ROUTINE));
	row = find_row(a3, 1, "Q1-004", NULL);
	assert_non_null(row);
	assert_string_equal(row[3], exclusion_text(EXCL_UNSIGNED));
	/* markup kept, line break flattened */
	assert_string_equal(row[2],
	    "<script>alert(1)</script> 第二行 & \"引号\"");
	row = find_row(a3, 1, "Q1-005", NULL);
	assert_non_null(row);
	assert_string_equal(row[3], exclusion_text(EXCL_CHANNEL));
	/* ordered by unit in output order: wuhan, prison, jianghan */
	assert_string_equal(t->cells[0][1], "Q1-002");
	assert_string_equal(t->cells[1][1], "Q1-004");
	assert_string_equal(t->cells[2][1], "Q1-005");
	/* attachment 2: the one high-level adoption */
	a2 = &d->attachments[1];
	row = find_row(a2, 0, "武汉市司法局", &t);
	assert_non_null(row);
	assert_int_equal(t->nrows, 1);
	assert_string_equal(row[1], "武汉市推进公共法律服务");
	assert_string_equal(row[2], "司法部采用");
	assert_string_equal(row[3], "2017年2月3日");
	doc_free(d);
	diag_free(&dl);
}

static void
test_settings(void **state)
{
	static const struct {
		const char *xml, *number, *date_cn, *print, *cc;
	} cases[] = {
		{ "<notice-settings><doc-number>鄂司办通〔2017〕12号</doc-number>"
		    "<issue-date>2017-04-07</issue-date></notice-settings>",
		    "鄂司办通〔2017〕12号", "2017年4月7日", "2017年4月7日印发",
		    "各单位（部门）主要负责人。" },
		{ "<notice-settings><number>7</number><issue-date>2018-01-03"
		    "</issue-date><print-date>2018-01-04</print-date><cc><to>厅领导"
		    "</to><to>各单位主要负责人</to></cc></notice-settings>",
		    "鄂司办通〔2018〕7号", "2018年1月3日", "2018年1月4日印发",
		    "厅领导，各单位主要负责人。" },
		{ "<notice-settings><cc/></notice-settings>", NULL,
		    "2017年4月5日", "2017年4月5日印发", NULL },
	};
	struct tfix *f = *state;
	const char *dir = f->dir;
	char *path = xasprintf("%s/settings.xml", dir);

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		diag_list_t dl = { 0 };
		doc_t *d;

		test_write(path, cases[i].xml);
		d = quarter_with(dir, path, &dl);
		diag_print(&dl, stderr);
		assert_non_null(d);
		if (cases[i].number != NULL)
			assert_string_equal(d->doc_number, cases[i].number);
		else
			assert_null(d->doc_number);
		assert_string_equal(d->date_cn, cases[i].date_cn);
		assert_string_equal(d->print_date, cases[i].print);
		if (cases[i].cc != NULL)
			assert_string_equal(d->cc, cases[i].cc);
		else
			assert_null(d->cc);
		doc_free(d);
		diag_free(&dl);
	}
	/* the sample settings of Q3 give no number: a visible blank */
	{
		diag_list_t dl = { 0 };
		doc_t *d = quarter_with(TEMPLATES, "samples/2017Q3/notice.xml",
		    &dl);

		diag_print(&dl, stderr);
		assert_non_null(d);
		assert_null(d->doc_number);
		assert_string_equal(d->doc_number_blank, "鄂司办通〔2017〕　　号");
		assert_string_equal(d->date_cn, "2017年10月10日");
		assert_non_null(d->meta.index_no);
		doc_free(d);
		diag_free(&dl);
	}
	/* extra paragraph, index number, recipients with the colon added */
	{
		diag_list_t dl = { 0 };
		doc_t *d;
		char *body;

		test_write(path, "<notice-settings><index-no>011043217/2017-1"
		    "</index-no><recipients>各有关单位</recipients><extra><p>另"
		    "行通知。</p></extra></notice-settings>");
		d = quarter_with(dir, path, &dl);
		assert_non_null(d);
		assert_string_equal(d->meta.index_no, "011043217/2017-1");
		assert_string_equal(d->recipients, "各有关单位：");
		body = section_text(&d->body);
		assert_non_null(strstr(body, "另行通知。\n"));
		free(body);
		doc_free(d);
		diag_free(&dl);
	}
	free(path);
}

static void
test_bad_settings(void **state)
{
	static const struct { const char *xml, *msg; } cases[] = {
		{ "<notice-settings><doc-number>x</doc-number><number>3</number>"
		    "</notice-settings>", "not both" },
		{ "<notice-settings><issue-date>2017-02-30</issue-date>"
		    "</notice-settings>", "2017-02-30" },
		{ "<notice-settings><bogus/></notice-settings>", "bogus" },
		{ "<notice-template/>", "notice-template" },
	};
	struct tfix *f = *state;
	const char *dir = f->dir;
	char *path = xasprintf("%s/settings.xml", dir);

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		diag_list_t dl = { 0 };
		doc_t *d;
		bool found = false;

		test_write(path, cases[i].xml);
		d = quarter_with(dir, path, &dl);
		assert_null(d);
		assert_true(dl.errors > 0);
		for (size_t k = 0; k < dl.n; k++)
			if (strstr(dl.v[k].msg, cases[i].msg) != NULL &&
			    dl.v[k].file != NULL &&
			    strcmp(dl.v[k].file, path) == 0)
				found = true;
		if (!found)
			diag_print(&dl, stderr);
		assert_true(found);
		diag_free(&dl);
	}
	free(path);
}

static void
test_template_wording(void **state)
{
	struct tfix *f = *state;
	const char *tmpl = f->tmpl;
	char *t1 = test_replace(tmpl, "全省司法行政系统政务信息工作情况的通报",
	    "全省政务信息考评情况的通报");
	char *t2 = test_replace(t1, "<text key=\"h_basic\">一、基本情况</text>",
	    "<text key=\"h_basic\">一、总体\n      情况</text>");
	char *t3 = test_replace(t2, "<item>名次</item>", "<item>排名</item>");
	diag_list_t dl = { 0 };
	doc_t *d;
	char *body;

	set_template(f, t3);
	d = quarter_with(f->dir, NULL, &dl);
	diag_print(&dl, stderr);
	assert_non_null(d);
	assert_string_equal(d->title,
	    "关于2017年第一季度全省政务信息考评情况的通报");
	body = section_text(&d->body);
	assert_non_null(strstr(body, "一、总体情况\n"));  /* wrapped line joined */
	free(body);
	assert_string_equal(d->attachments[0].blocks[1].table->head[0], "排名");
	doc_free(d);
	diag_free(&dl);
	free(t3);
	free(t2);
	free(t1);
}

static void
test_bad_template(void **state)
{
	static const struct { const char *from, *to, *msg; } cases[] = {
		{ "{quarter_cn}全省司法行政系统政务信息工作情况的通报",
		    "{quater_cn}全省司法行政系统政务信息工作情况的通报",
		    "unknown placeholder {quater_cn}" },
		{ "<text key=\"late_none\">", "<text key=\"late_nil\">",
		    "lacks <text key=\"late_none\">" },
		{ "<item>总分</item>", "", "exactly 12 items" },
		{ "{hours}小时{minutes}分钟", "{hours小时", "without a placeholder" },
		{ "鄂司办通〔{year}〕{n}号", "鄂司办通〔{year}〕{m}号", "{m}" },
		{ "<defaults>\n    <issuer>",
		    "<defaults><issue-date>2017-01-01</issue-date><issuer>",
		    "issue-date" },
	};
	struct tfix *f = *state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *t = test_replace(f->tmpl, cases[i].from, cases[i].to);
		diag_list_t dl = { 0 };
		doc_t *d;
		bool found = false;

		set_template(f, t);
		d = quarter_with(f->dir, NULL, &dl);

		if (d != NULL)
			fprintf(stderr, "case %zu: no error\n", i);
		assert_null(d);
		for (size_t k = 0; k < dl.n; k++)
			if (strstr(dl.v[k].msg, cases[i].msg) != NULL &&
			    dl.v[k].file != NULL &&
			    strstr(dl.v[k].file, "notice.xml") != NULL &&
			    dl.v[k].line > 0)
				found = true;
		if (!found)
			diag_print(&dl, stderr);
		assert_true(found);
		diag_free(&dl);
		free(t);
	}
}

static void
test_year(void **state)
{
	diag_list_t dl = { 0 };
	doc_t *d;
	char *body;
	const doc_section_t *a1;

	(void)state;
	d = notice_year(&reg, &rules, &ann, NULL, NULL, TEMPLATES,
	    "samples/2017/notice.xml", &dl);
	diag_print(&dl, stderr);
	assert_non_null(d);
	assert_string_equal(d->title,
	    "关于2017年度全省司法行政系统政务信息工作情况的通报");
	assert_string_equal(d->doc_number, "鄂司办通〔2018〕9号");
	assert_string_equal(d->date_cn, "2018年1月19日");
	body = section_text(&d->body);
	assert_non_null(strstr(body, "共有7个单位（部门）参加考评"));
	/* (210.5 + 240 + 0) / 3 = 150.2 (150.166 rounded) */
	assert_non_null(strstr(body, "市州司法局3个单位全年平均得分150.2分"));
	assert_non_null(strstr(body, "市州司法局：黄石市司法局。"));
	assert_non_null(strstr(body, "监狱戒毒管理局：省戒毒局。"));
	assert_non_null(strstr(body, "荣誉称号：张三（武汉市司法局）（详见附件2）"));
	assert_null(strstr(body, "李四"));
	assert_non_null(strstr(body, "三、2018年工作要求"));
	free(body);
	assert_int_equal(d->nattachments, 2);
	a1 = &d->attachments[0];
	for (size_t u = 0; u < ARRAY_LEN(units); u++) {
		char **row = find_row(a1, 0, units[u].name, NULL);
		char want[32];

		assert_non_null(row);
		for (size_t q = 0; q < 4; q++) {
			tenths_format(arows[u].q[q], want, sizeof want);
			assert_string_equal(row[1 + q], want);
		}
		tenths_format(arows[u].total, want, sizeof want);
		assert_string_equal(row[5], want);
		snprintf(want, sizeof want, "%d", arows[u].rank);
		assert_string_equal(row[6], want);
	}
	/* year output order: 黄石 (rank 1) before 武汉 */
	assert_string_equal(a1->blocks[1].table->cells[0][0], "黄石市司法局");
	assert_non_null(find_row(&d->attachments[1], 1, "张三", NULL));
	assert_null(find_row(&d->attachments[1], 1, "李四", NULL));
	doc_free(d);
	diag_free(&dl);
}

static void
test_samples_settings(void **state)
{
	static const struct { const char *file, *number, *date; } cases[] = {
		{ "samples/2017Q1/notice.xml", "鄂司办通〔2017〕12号", "2017年4月5日" },
		{ "samples/2017Q2/notice.xml", "鄂司办通〔2017〕25号", "2017年7月6日" },
		{ "samples/2017Q4/notice.xml", "鄂司办通〔2018〕3号", "2018年1月5日" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		diag_list_t dl = { 0 };
		doc_t *d = quarter_with(TEMPLATES, cases[i].file, &dl);

		diag_print(&dl, stderr);
		assert_non_null(d);
		assert_string_equal(d->doc_number, cases[i].number);
		assert_string_equal(d->date_cn, cases[i].date);
		doc_free(d);
		diag_free(&dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarter_front),
		cmocka_unit_test(test_quarter_scores),
		cmocka_unit_test(test_quarter_body),
		cmocka_unit_test(test_quarter_exclusions),
		cmocka_unit_test_setup_teardown(test_settings, templates_up,
		    templates_down),
		cmocka_unit_test_setup_teardown(test_bad_settings, templates_up,
		    templates_down),
		cmocka_unit_test_setup_teardown(test_template_wording, templates_up,
		    templates_down),
		cmocka_unit_test_setup_teardown(test_bad_template, templates_up,
		    templates_down),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_samples_settings),
	};

	return cmocka_run_group_tests(tests, fixture, NULL);
}
