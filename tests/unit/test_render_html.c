/*
 * test_render_html.c - the portal page (gen/render/render_html.c) and the notice's
 * XML record (gen/doc/docxml.c), on a document built here with the doc.h API:
 * a hostile title (<script>, &, quotes), a 120-row score table (a ranking
 * with a unit's id per row), a chart, attachments and the 版记.  Checks
 * escaping, byte-identical output, self-containedness, the metadata strip
 * and portal tags, table markup, the ids and links of the portal (contents,
 * downloads with sizes, statements, --base-url) and error paths, and
 * writes the page to out/test-html/ for tests/suite_html.sh (tidy and the
 * browser check).  Run from the top of the tree (templates/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <libxml/parser.h>

#include "doc.h"
#include "docxml.h"
#include "render.h"

#define TEMPLATES "templates"
#define OUTDIR    "out/test-html"
#define EVIL      "<script>alert(1)</script> & \"quotes\" 'apos'"
#define NROWS     120

static const char *const unit_base[] = {
	"武汉市司法局", "硚口区司法局", "荆州市松滋市洈水基层法律服务所",
	"厅政治(警务)部干部处", "省沙洋小江湖监狱", "北京盈科(武汉)律师事务所",
	"神农架林区司法局红坪司法所", "黄冈市黄梅县黄梅镇基层法律服务所",
};

/* A notice shaped like the real one, with hostile text in it. */
static doc_t *
make_doc(void)
{
	doc_t *d = doc_new();
	doc_section_t *att;
	doc_table_t *t;
	doc_chart_t *ch;
	static const char *const head[] = { "排名", "单位名称", "任务数", "报送数",
	    "计入数", "有效数", "基础分", "质量分", "总分" };
	static const enum doc_align align[] = { ALIGN_CENTER, ALIGN_LEFT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned weight[] = { 1, 5, 1, 1, 1, 1, 1, 1, 1 };
	static const char *const items[] = {
		"1.武汉市司法局《关于“<b>法律援助</b>”工作的报告》被司法部采用。",
		"2.省监狱局信息被省委办公厅《每日要情》采用 & 领导批示。",
	};
	static const char *const ahead[] = { "单位", "信息标题", "采用载体", "采用日期" };
	static const enum doc_align aalign[] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_CENTER };

	doc_set(&d->issuer, "湖北省司法厅办公室");
	doc_set(&d->doc_number_blank, "鄂司办通〔2017〕  号");
	doc_set(&d->title, "关于2017年第一季度" EVIL "全省司法行政系统政务信息工作情况的通报");
	doc_set(&d->recipients, "各市、州、直管市、林区司法局，厅机关各处室，厅直属各单位：");
	doc_add_para(&d->body, "2017年第一季度，全省司法行政系统共报送政务信息1,318条，"
	    "计入任务数1,204条。标题里的 <i>标记</i> 与 a < b && c > d 必须原样显示。");
	doc_add_heading(&d->body, 1, "一、基本情况");
	doc_add_para(&d->body, "本季度共有87个单位完成任务数，完成率72.5%。");
	doc_add_heading(&d->body, 2, "（一）信息采用情况");
	doc_add_list(&d->body, items, ARRAY_LEN(items));
	doc_add_heading(&d->body, 3, "1.各组平均得分");
	ch = doc_add_chart(&d->body, "各组平均得分",
	    "各组平均得分：市州司法局62.5分，厅机关处室48分，直属单位37.3分，直报点12分。", "分");
	doc_chart_add_bar(ch, "市州司法局", 62.5, "62.5");
	doc_chart_add_bar(ch, "厅机关处室", 48, "48");
	doc_chart_add_bar(ch, "直属单位", 37.25, "37.3");
	doc_chart_add_bar(ch, "直报点<&>", 12, "12");
	doc_add_heading(&d->body, 1, "二、下一步工作要求");
	doc_add_para(&d->body, "各单位要进一步提高认识，加强信息报送工作。");
	d->attach_note = xcalloc(3, sizeof *d->attach_note);
	d->attach_note[0] = xstrdup("1.2017年第一季度政务信息工作得分情况");
	d->attach_note[1] = xstrdup("2.2017年第一季度部级以上采用信息目录");
	d->attach_note[2] = xstrdup("3.未计入任务数的信息");
	d->nattach_note = 3;
	doc_set(&d->signature, "湖北省司法厅办公室");
	doc_set(&d->date_cn, "2017年4月5日");

	att = doc_add_attachment(d, "附件1", "2017年第一季度政务信息工作得分情况");
	t = doc_add_table(att, "市州司法局 & 直报点", ARRAY_LEN(head), head, align, weight);
	doc_table_set_id(t, "city");
	doc_table_set_role(t, 0, COL_RANK);
	doc_table_set_role(t, 1, COL_NAME);
	doc_table_set_role(t, 8, COL_KEY);
	for (int r = 0; r < NROWS; r++) {
		char c[9][64];
		const char *cells[9];

		snprintf(c[0], sizeof c[0], "%d", r + 1);
		snprintf(c[1], sizeof c[1], "%s%d", unit_base[r % ARRAY_LEN(unit_base)], r);
		snprintf(c[2], sizeof c[2], "%d", 24);
		snprintf(c[3], sizeof c[3], "%d", 40 - r % 17);
		snprintf(c[4], sizeof c[4], "%d", 38 - r % 17);
		snprintf(c[5], sizeof c[5], "%d.5", 30 - r % 13);
		snprintf(c[6], sizeof c[6], "%d", 20);
		snprintf(c[7], sizeof c[7], "%d.5", 100 - r % 50);
		snprintf(c[8], sizeof c[8], "%d.5", 120 - r % 50);
		for (int k = 0; k < 9; k++)
			cells[k] = c[k];
		doc_table_add_row(t, cells);
		snprintf(c[0], sizeof c[0], "u%d", r);
		doc_table_set_row_id(t, (size_t)r, c[0]);
	}
	att = doc_add_attachment(d, "附件2", "2017年第一季度部级以上采用信息目录");
	t = doc_add_table(att, NULL, 4, ahead, aalign, NULL);
	{
		const char *row1[] = { "武汉市司法局", EVIL, "司法部《司法行政信息》", "2017-02-14" };
		const char *row2[] = { "省监狱局", "关于推进“智慧监狱”建设的做法，一个很长很长很长很长很长很长很长很长的标题",
		    "省委《湖北信息》", "2017-03-01" };

		doc_table_add_row(t, row1);
		doc_table_add_row(t, row2);
	}
	doc_add_heading(att, 1, "说明");
	doc_add_para(att, "按采用日期排列。");

	doc_set(&d->cc, "各单位主要负责人。");
	doc_set(&d->printer, "湖北省司法厅办公室");
	doc_set(&d->print_date, "2017年4月5日印发");
	doc_set(&d->meta.index_no, "011043049/2017-01234");
	doc_set(&d->meta.category, "政务信息");
	doc_set(&d->meta.publisher, "湖北省司法厅");
	doc_set(&d->meta.date_iso, "2017-04-05");
	doc_set(&d->meta.validity, "");
	doc_set(&d->author, "湖北省司法厅办公室");
	doc_set(&d->meta.column, "通知<公告>");
	doc_set(&d->meta.keywords, "政务信息,考评");
	doc_set(&d->subject, "2017年第一季度政务信息工作情况通报");
	doc_set(&d->anchor, "2017q1");
	d->epoch = 1491321600;
	return d;
}

typedef struct fixture {
	doc_t *doc;
	buf_t  page, frag;
} fixture_t;

static int
setup(void **state)
{
	fixture_t *f = xcalloc(1, sizeof *f);
	diag_list_t dl = { 0 };

	f->doc = make_doc();
	buf_init(&f->page);
	buf_init(&f->frag);
	if (render_html(f->doc, TEMPLATES, &f->page, &f->frag, &dl) != 0) {
		diag_print(&dl, stderr);
		diag_free(&dl);
		return -1;
	}
	diag_free(&dl);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture_t *f = *state;

	buf_free(&f->page);
	buf_free(&f->frag);
	doc_free(f->doc);
	free(f);
	return 0;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The hostile title is text, in the page, its <title> and the fragment. */
static void
test_escaping(void **state)
{
	fixture_t *f = *state;
	const char *want = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" 'apos'";
	const char *bufs[] = { f->page.data, f->frag.data };

	for (size_t i = 0; i < ARRAY_LEN(bufs); i++) {
		assert_non_null(strstr(bufs[i], want));
		assert_null(strstr(bufs[i], "<script"));
		assert_null(strstr(bufs[i], "<b>"));
		assert_null(strstr(bufs[i], "<i>"));
		assert_non_null(strstr(bufs[i], "&lt;b&gt;法律援助&lt;/b&gt;"));
		assert_non_null(strstr(bufs[i], "a &lt; b &amp;&amp; c &gt; d"));
	}
	/* title element, h1, the table cell: three times in the page */
	assert_int_equal(count(f->page.data, want), 3);
	/* in an attribute (the chart's bar label is SVG text, the caption
	 * attribute became an element): & escaped */
	assert_non_null(strstr(f->page.data, "市州司法局 &amp; 直报点"));
}

/* Same doc, same bytes; and the page does not depend on the buffers. */
static void
test_deterministic(void **state)
{
	fixture_t *f = *state;
	buf_t page, frag;
	diag_list_t dl = { 0 };

	buf_init(&page);
	buf_init(&frag);
	assert_int_equal(render_html(f->doc, TEMPLATES, &page, &frag, &dl), 0);
	assert_int_equal(page.len, f->page.len);
	assert_memory_equal(page.data, f->page.data, page.len);
	assert_int_equal(frag.len, f->frag.len);
	assert_memory_equal(frag.data, f->frag.data, frag.len);
	buf_free(&page);
	buf_free(&frag);
	diag_free(&dl);
}

/*
 * Nothing outside the page: no sources, scripts, URLs, imports; links only
 * within the page (no file was published with it), and the fragment's one
 * stylesheet link, to tongbao.css.
 */
static void
test_self_contained(void **state)
{
	fixture_t *f = *state;
	static const char *const banned[] = { "http:", "https:", "src=",
	    "<script", "url(", "@import", "<img", "<iframe", "<object" };
	const char *bufs[] = { f->page.data, f->frag.data };

	for (size_t i = 0; i < ARRAY_LEN(bufs); i++) {
		for (size_t k = 0; k < ARRAY_LEN(banned); k++)
			if (strstr(bufs[i], banned[k]) != NULL)
				fail_msg("output %zu contains %s", i, banned[k]);
		assert_int_equal(count(bufs[i], "href="),
		    count(bufs[i], "href=\"#") + i);
	}
	assert_int_equal(count(f->page.data, "<link"), 0);
	assert_int_equal(count(f->frag.data, "<link"), 1);
	assert_true(starts(f->frag.data,
	    "<link rel=\"stylesheet\" href=\"tongbao.css\">\n"));
}

static void
test_page_structure(void **state)
{
	fixture_t *f = *state;
	const char *p = f->page.data;

	assert_int_equal(strncmp(p, "<!DOCTYPE html>\n", 16), 0);
	assert_int_equal(count(p, "<!DOCTYPE"), 1);
	assert_non_null(strstr(p, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(p, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">"));
	assert_non_null(strstr(p, "<style>"));
	assert_non_null(strstr(p, "overflow-x: auto"));
	assert_non_null(strstr(p, "@media print"));
	/* no script, no load from anywhere; the portal's metadata */
	assert_non_null(strstr(p, "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	    "base-uri 'none'; form-action 'none'\">"));
	static const char *const tags[] = {
	    "<meta name=\"ArticleTitle\" content=\"关于2017年第一季度&lt;script&gt;",
	    "<meta name=\"PubDate\" content=\"2017-04-05 00:00\">",
	    "<meta name=\"ContentSource\" content=\"湖北省司法厅办公室\">",
	    "<meta name=\"ColumnName\" content=\"通知&lt;公告&gt;\">",
	    "<meta name=\"Keywords\" content=\"政务信息,考评\">",
	    "<meta name=\"Description\" content=\"2017年第一季度政务信息工作情况通报\">" };
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		if (strstr(p, tags[i]) == NULL)
			fail_msg("page lacks %s", tags[i]);
	/* the metadata strip, with 无 for the empty validity and number */
	static const char *const keys[] = { "<dt>索引号</dt>", "<dt>分类</dt>",
	    "<dt>发布机构</dt>", "<dt>发文日期</dt>", "<dt>文号</dt>", "<dt>有效性</dt>",
	    "<dd>011043049/2017-01234</dd>", "<dd>2017-04-05</dd>" };
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strstr(p, keys[i]) == NULL)
			fail_msg("page lacks %s", keys[i]);
	assert_int_equal(count(p, "<dd>无</dd>"), 2);
	/* the blank document number shows its blank form in the 版头 */
	assert_non_null(strstr(p, "鄂司办通〔2017〕  号"));
	/* tables: caption, column and row headers, right-aligned numbers,
	 * a focusable scrolling region */
	/* every table has a caption (附件2's, of its own none: the
	 * attachment's title for screen readers), repeated in print */
	assert_int_equal(count(p, "<caption"), 2);
	assert_non_null(strstr(p, "<span class=\"tb-cap tb-vh\">2017年第一季度部级以上采用信息目录</span>"));
	assert_int_equal(count(p, "<tr class=\"tb-cap-row\">"), 2);
	assert_non_null(strstr(p, "<td colspan=\"9\">市州司法局 &amp; 直报点</td>"));
	assert_int_equal(count(p, "<th scope=\"col\""), 9 + 4);
	assert_int_equal(count(p, "<th scope=\"row\""), NROWS + 2);
	/* the ranking: each row the unit's anchor, rank, name and key marked,
	 * every other figure named for the phone's folded rows */
	assert_int_equal(count(p, "<tr id=\"tb-2017q1-u-u"), NROWS);
	assert_non_null(strstr(p, "<tr id=\"tb-2017q1-u-u119\">"));
	assert_int_equal(count(p, "<tr>"), 1 + 3);
	assert_int_equal(count(p, "class=\"tb-scroll\" role=\"region\" tabindex=\"0\""), 2);
	assert_non_null(strstr(p, "<div class=\"tb-scroll\" role=\"region\" tabindex=\"0\" "
	    "aria-labelledby=\"tb-2017q1-table-1\" id=\"tb-2017q1-g-city\""));
	assert_non_null(strstr(p, "<table class=\"tb-table tb-fold\">"));
	assert_int_equal(count(p, "<table class=\"tb-table\">"), 1);
	assert_non_null(strstr(p, "<td class=\"tb-right tb-key\" data-label=\"总分\">120.5</td>"));
	assert_non_null(strstr(p, "<td class=\"tb-center tb-rank\">120</td>"));
	assert_non_null(strstr(p, "<td class=\"tb-right\" data-label=\"质量分\">70.5</td>"));
	assert_non_null(strstr(p, "<th scope=\"row\" class=\"tb-left tb-rowhead\">黄冈市黄梅县黄梅镇基层法律服务所119</th>"));
	/* the contents: each heading of the body, each attachment, the group */
	static const char *const toc[] = {
	    "<nav class=\"tb-toc\" aria-labelledby=\"tb-2017q1-toc\">",
	    "<a href=\"#tb-2017q1-s1\">一、基本情况</a>",
	    "<a href=\"#tb-2017q1-s4\">二、下一步工作要求</a>",
	    "<a href=\"#tb-2017q1-g-city\">市州司法局 &amp; 直报点</a>",
	    "<h2 class=\"tb-h tb-h1\" id=\"tb-2017q1-s4\">二、下一步工作要求</h2>",
	    "<h2 class=\"tb-att-head\" id=\"tb-2017q1-att-2\">",
	    "<h3 class=\"tb-h tb-h1\" id=\"tb-2017q1-att-2-s1\">说明</h3>" };
	for (size_t i = 0; i < ARRAY_LEN(toc); i++)
		if (strstr(p, toc[i]) == NULL)
			fail_msg("page lacks %s", toc[i]);
	assert_non_null(strstr(p, "<a href=\"#tb-2017q1-att-1\">"));
	assert_non_null(strstr(p, "<a href=\"#tb-2017q1-att-2\">"));
	/* no file published with it: nothing to download, no statement */
	assert_null(strstr(p, "class=\"tb-files\""));
	assert_null(strstr(p, "units/"));
	/* the chart: inline SVG with a name and a description */
	assert_non_null(strstr(p, "<svg class=\"tb-chart-svg\" role=\"img\""));
	assert_non_null(strstr(p, "aria-label=\"各组平均得分\" aria-describedby=\"tb-2017q1-chart-1-desc\""));
	assert_non_null(strstr(p, "<desc id=\"tb-2017q1-chart-1-desc\">各组平均得分：市州司法局62.5分"));
	assert_non_null(strstr(p, "直报点&lt;&amp;&gt;"));
	/* the rest of the notice */
	static const char *const parts[] = { "湖北省司法厅办公室", "各市、州、直管市、林区司法局",
	    "一、基本情况", "（一）信息采用情况", "1.各组平均得分", "附件：",
	    "3.未计入任务数的信息", "2017年4月5日", "附件2", "抄送：", "各单位主要负责人。",
	    "2017年4月5日印发", "按采用日期排列。" };
	for (size_t i = 0; i < ARRAY_LEN(parts); i++)
		if (strstr(p, parts[i]) == NULL)
			fail_msg("page lacks %s", parts[i]);
}

/* The fragment: the article only, no document scaffolding, and the
 * scrolling boxes keep their overflow without the page's CSS. */
static void
test_fragment(void **state)
{
	fixture_t *f = *state;
	const char *p = f->frag.data;

	p = strchr(p, '\n') + 1;         /* after its stylesheet link */
	assert_true(starts(p, "<article class=\"tongbao\" id=\"tb-2017q1\" lang=\"zh-CN\">"));
	assert_null(strstr(p, "<!DOCTYPE"));
	assert_null(strstr(p, "<html"));
	assert_null(strstr(p, "<head>"));
	assert_null(strstr(p, "<style"));
	assert_null(strstr(p, "<meta"));
	assert_non_null(strstr(p, "style=\"overflow-x:auto;max-width:100%\""));
	assert_int_equal(count(p, "<tr>"), 1 + 3);
	assert_int_equal(count(p, "<tr id=\"tb-2017q1-u-"), NROWS);
}

/* Every id of the page and the fragment carries the notice's prefix, and
 * no two are the same: two notices on one portal page never collide. */
static void
test_ids(void **state)
{
	fixture_t *f = *state;
	const char *bufs[] = { f->page.data, f->frag.data };

	for (size_t i = 0; i < ARRAY_LEN(bufs); i++) {
		size_t n = 0;

		for (const char *p = bufs[i]; (p = strstr(p, " id=\"")) != NULL; p += 5) {
			const char *e = strchr(p + 5, '"');
			char id[128];

			assert_non_null(e);
			assert_true((size_t)(e - p - 5) < sizeof id);
			memcpy(id, p + 5, (size_t)(e - p - 5));
			id[e - p - 5] = '\0';
			if (strncmp(id, "tb-2017q1", 9) != 0 ||
			    (id[9] != '\0' && id[9] != '-'))
				fail_msg("id %s lacks the prefix tb-2017q1", id);
			{
				char *q = xasprintf(" id=\"%s\"", id);

				if (count(bufs[i], q) != 1)
					fail_msg("id %s appears %zu times", id,
					    count(bufs[i], q));
				free(q);
			}
			n++;
		}
		assert_true(n > NROWS);
	}
	/* without an anchor: the prefix tb */
	{
		doc_t *d = make_doc();
		buf_t page;
		diag_list_t dl = { 0 };

		buf_init(&page);
		doc_set(&d->anchor, NULL);
		assert_int_equal(render_html(d, TEMPLATES, &page, NULL, &dl), 0);
		assert_non_null(strstr(page.data, "<article class=\"tongbao\" id=\"tb\""));
		assert_non_null(strstr(page.data, "<tr id=\"tb-u-u7\">"));
		buf_free(&page);
		diag_free(&dl);
		doc_free(d);
	}
}

/*
 * The published files: offered ones listed with their format and size in
 * the order given, a unit's name linking to its statement when that is
 * published (only then), absolute links under a base URL (escaped), and
 * the stylesheet given back as published.
 */
static void
test_links(void **state)
{
	fixture_t *f = *state;
	static const html_file_t files[] = {
		{ .name = "tongbao.pdf", .size = 250880,
		    .offer = true },        /* 245 KB */
		{ .name = "scores.xlsx", .size = 28568,
		    .offer = true },         /* 28 KB */
		{ .name = "scores.csv", .size = 812,
		    .offer = true },            /* bytes */
		{ .name = "units/u3.pdf", .size = 5000, .offer = false },
		{ .name = "units/u5.pdf", .size = 5000, .offer = false },
		{ .name = "adoptions.csv", .size = 3 * 1048576 / 2,
		    .offer = false },
	};
	html_links_t links = { .files = files, .nfiles = ARRAY_LEN(files) };
	buf_t page, frag, css, want;
	diag_list_t dl = { 0 };
	const char *p;

	buf_init(&page);
	buf_init(&frag);
	buf_init(&css);
	buf_init(&want);
	assert_int_equal(render_html_links(f->doc, TEMPLATES, &links, &page,
	    &frag, &css, &dl), 0);
	p = page.data;
	assert_non_null(strstr(p, "<a href=\"tongbao.pdf\" type=\"application/pdf\">通报全文<span class=\"tb-file-info\">（PDF，245 KB）</span></a>"));
	assert_non_null(strstr(p, "<a href=\"scores.xlsx\" type=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\">考评得分表<span class=\"tb-file-info\">（Excel，28 KB）</span></a>"));
	assert_non_null(strstr(p, "<a href=\"scores.csv\" type=\"text/csv\">考评得分表<span class=\"tb-file-info\">（CSV，812 字节）</span></a>"));
	assert_true(strstr(p, "href=\"tongbao.pdf\"") < strstr(p, "href=\"scores.xlsx\"") &&
	    strstr(p, "href=\"scores.xlsx\"") < strstr(p, "href=\"scores.csv\""));
	assert_null(strstr(p, "href=\"adoptions.csv\""));    /* not offered */
	assert_int_equal(count(p, "href=\"units/"), 2);
	assert_non_null(strstr(p, "<th scope=\"row\" class=\"tb-left tb-rowhead\">"
	    "<a href=\"units/u3.pdf\" type=\"application/pdf\" "
	    "aria-label=\"厅政治(警务)部干部处3：考评结果明细（PDF）\">厅政治(警务)部干部处3</a></th>"));
	assert_non_null(strstr(p, "<p class=\"tb-note\">单位名称链接至该单位本期考评结果明细（PDF）。</p>"));
	/* the fragment: the same, behind its stylesheet */
	assert_non_null(strstr(frag.data, "<a href=\"units/u5.pdf\""));
	assert_non_null(strstr(frag.data, "（PDF，245 KB）"));
	assert_int_equal(read_file(TEMPLATES "/style.css", &want.data, &want.len), 0);
	assert_int_equal(css.len, want.len);
	assert_memory_equal(css.data, want.data, css.len);
	buf_free(&page);
	buf_free(&frag);

	/* absolute, under a base URL; the serializer escapes it */
	links.base_url = "https://sft.example.gov.cn/t&b/2017Q1/";
	buf_init(&page);
	buf_init(&frag);
	assert_int_equal(render_html_links(f->doc, TEMPLATES, &links, &page,
	    &frag, NULL, &dl), 0);
	assert_non_null(strstr(page.data, "<a href=\"https://sft.example.gov.cn/t&amp;b/2017Q1/tongbao.pdf\""));
	assert_non_null(strstr(page.data, "<a href=\"https://sft.example.gov.cn/t&amp;b/2017Q1/units/u3.pdf\""));
	assert_true(starts(frag.data, "<link rel=\"stylesheet\" "
	    "href=\"https://sft.example.gov.cn/t&amp;b/2017Q1/tongbao.css\">\n"));
	assert_int_equal(count(page.data, "href=\""), count(page.data, "href=\"#") +
	    count(page.data, "href=\"https://sft.example.gov.cn/t&amp;b/2017Q1/"));
	assert_int_equal(dl.errors, 0);
	buf_free(&page);
	buf_free(&frag);
	buf_free(&css);
	buf_free(&want);
	diag_free(&dl);
}

/* The XML record: well formed, escaped, complete, deterministic. */
static void
test_docxml(void **state)
{
	fixture_t *f = *state;
	buf_t a, b;
	diag_list_t dl = { 0 };
	xmlDocPtr x;

	buf_init(&a);
	buf_init(&b);
	assert_int_equal(docxml_write(f->doc, &a, &dl), 0);
	assert_int_equal(docxml_write(f->doc, &b, &dl), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_non_null(strstr(a.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(a.data, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\""));
	assert_non_null(strstr(a.data, "<doc-number blank=\"yes\">"));
	assert_non_null(strstr(a.data, "<bar label=\"直属单位\" value=\"37.25\" text=\"37.3\"/>"));
	assert_non_null(strstr(a.data, "max=\"62.5\""));
	/* the portal's anchors */
	assert_non_null(strstr(a.data, "<notice version=\"1\" epoch=\"1491321600\" anchor=\"2017q1\">"));
	assert_non_null(strstr(a.data, "<table n=\"1\" caption=\"市州司法局 &amp; 直报点\" id=\"city\">"));
	assert_non_null(strstr(a.data, "<col align=\"center\" weight=\"1\" role=\"rank\">排名</col>"));
	assert_non_null(strstr(a.data, "<col align=\"right\" weight=\"1\" role=\"key\">总分</col>"));
	assert_non_null(strstr(a.data, "<col align=\"right\" weight=\"1\">质量分</col>"));
	assert_non_null(strstr(a.data, "<row id=\"u42\">"));
	assert_int_equal(count(a.data, "<row id="), NROWS);
	assert_non_null(strstr(a.data, "<column>通知&lt;公告&gt;</column>"));
	assert_null(strstr(a.data, "<portal"));
	x = xmlReadMemory(a.data, (int)a.len, "notice.xml", NULL, XML_PARSE_NONET);
	assert_non_null(x);
	xmlFreeDoc(x);
	buf_free(&a);
	buf_free(&b);
	diag_free(&dl);
}

/* Control characters become spaces; invalid UTF-8 is an error. */
static void
test_bad_text(void **state)
{
	doc_t *d = make_doc();
	buf_t page, frag;
	diag_list_t dl = { 0 };

	(void)state;
	buf_init(&page);
	buf_init(&frag);
	doc_set(&d->title, "标题\x01\x1f结尾");
	assert_int_equal(render_html(d, TEMPLATES, &page, &frag, &dl), 0);
	assert_non_null(strstr(page.data, "<h1 class=\"tb-title\">标题  结尾</h1>"));
	buf_free(&page);
	buf_init(&page);
	doc_set(&d->title, "bad \xff\xfe bytes");
	assert_int_equal(render_html(d, TEMPLATES, &page, &frag, &dl), -1);
	assert_true(dl.errors > 0);
	buf_free(&page);
	buf_free(&frag);
	diag_free(&dl);
	doc_free(d);
}

/* A missing or broken template is an error with the file's name. */
static void
test_bad_templates(void **state)
{
	fixture_t *f = *state;
	buf_t page;
	diag_list_t dl = { 0 };
	char *msg;

	buf_init(&page);
	assert_int_equal(render_html(f->doc, "no/such/dir", &page, NULL, &dl), -1);
	assert_int_equal(dl.errors, 1);
	msg = diag_format(&dl.v[0]);
	assert_non_null(strstr(msg, "no/such/dir/style.css"));
	free(msg);
	buf_free(&page);
	diag_free(&dl);
}


static void
write_file(const char *path, const buf_t *b)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(b->data, 1, b->len, fp), b->len);
	assert_int_equal(fclose(fp), 0);
}

/*
 * A stylesheet may not read files (nor the network): document() on a local
 * file stops the transformation with an error instead of copying the file
 * into the page.
 */
static void
test_stylesheet_sandbox(void **state)
{
	fixture_t *f = *state;
	buf_t page, css, xsl;
	diag_list_t dl = { 0 };
	const char *dir = OUTDIR "/evil-templates";

	buf_init(&page);
	buf_init(&css);
	buf_init(&xsl);
	mkdir("out", 0777);
	mkdir(OUTDIR, 0777);
	mkdir(dir, 0777);
	buf_puts(&css, "p { color: black; }\n");
	buf_puts(&xsl, "<xsl:stylesheet version=\"1.0\" "
	    "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
	    "<xsl:output method=\"html\" encoding=\"UTF-8\"/>"
	    "<xsl:template match=\"/\"><html><body><article><p>"
	    "<xsl:value-of select=\"document('" TEMPLATES "/html.xsl')\"/>"
	    "</p></article></body></html></xsl:template></xsl:stylesheet>\n");
	write_file(OUTDIR "/evil-templates/style.css", &css);
	write_file(OUTDIR "/evil-templates/html.xsl", &xsl);
	assert_int_equal(render_html(f->doc, dir, &page, NULL, &dl), -1);
	assert_int_equal(dl.errors, 1);
	assert_non_null(strstr(dl.v[0].msg, "refused"));
	assert_int_equal(page.len, 0);
	buf_free(&page);
	buf_free(&css);
	buf_free(&xsl);
	diag_free(&dl);
}

/*
 * A notice with nothing in it (every field NULL or empty, empty blocks):
 * still a page, with a heading and no empty elements; left as
 * out/test-html/empty.html for tidy in tests/suite_html.sh.
 */
static void
test_empty_doc(void **state)
{
	doc_t *d = doc_new();
	buf_t page, frag;
	diag_list_t dl = { 0 };
	doc_section_t *att;
	static const char *const none[] = { "", " " };

	(void)state;
	buf_init(&page);
	buf_init(&frag);
	assert_int_equal(render_html(d, TEMPLATES, &page, &frag, &dl), 0);
	assert_non_null(strstr(page.data, "<h1 class=\"tb-title\">通报</h1>"));
	assert_int_equal(count(page.data, "<dd>无</dd>"), 6);
	buf_free(&page);
	buf_free(&frag);
	buf_init(&page);
	buf_init(&frag);
	doc_set(&d->title, "");
	doc_set(&d->recipients, "");
	doc_set(&d->doc_number_blank, "");
	doc_set(&d->cc, "");
	doc_set(&d->printer, "");
	doc_add_para(&d->body, "");
	doc_add_heading(&d->body, 1, " ");
	doc_add_list(&d->body, none, 2);
	doc_add_table(&d->body, "", 0, NULL, NULL, NULL);
	doc_add_chart(&d->body, "", "", NULL);
	att = doc_add_attachment(d, NULL, NULL);
	doc_add_chart(att, NULL, NULL, NULL);
	doc_chart_add_bar(att->blocks[0].chart, "零", 0, "0");
	assert_int_equal(render_html(d, TEMPLATES, &page, &frag, &dl), 0);
	assert_int_equal(dl.errors, 0);
	assert_null(strstr(page.data, "<p></p>"));
	assert_null(strstr(page.data, "<ul"));
	assert_null(strstr(page.data, "<table"));
	assert_non_null(strstr(page.data, "<span class=\"tb-att-label\">附件1</span>"));
	assert_non_null(strstr(page.data, "aria-label=\"图2\""));
	mkdir("out", 0777);
	mkdir(OUTDIR, 0777);
	write_file(OUTDIR "/empty.html", &page);
	buf_free(&page);
	buf_free(&frag);
	diag_free(&dl);
	doc_free(d);
}

/* Leaves the page for tests/suite_html.sh (tidy, the browser check). */
static void
test_write_pages(void **state)
{
	fixture_t *f = *state;
	buf_t xml;
	diag_list_t dl = { 0 };

	mkdir("out", 0777);
	mkdir(OUTDIR, 0777);
	write_file(OUTDIR "/index.html", &f->page);
	write_file(OUTDIR "/index.fragment.html", &f->frag);
	buf_init(&xml);
	assert_int_equal(docxml_write(f->doc, &xml, &dl), 0);
	write_file(OUTDIR "/notice.xml", &xml);
	buf_free(&xml);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_self_contained),
		cmocka_unit_test(test_page_structure),
		cmocka_unit_test(test_fragment),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_docxml),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_bad_templates),
		cmocka_unit_test(test_stylesheet_sandbox),
		cmocka_unit_test(test_empty_doc),
		cmocka_unit_test(test_write_pages),
	};

	return cmocka_run_group_tests_name("render_html", tests, setup, teardown);
}
