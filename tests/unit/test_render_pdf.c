/*
 * test_render_pdf.c - the PDF backend on a realistic notice built with the
 * doc.h API (every unit of the registry in 7 score tables, all heading
 * levels, a list, a chart, 3 attachments, 抄送/印发, hostile titles): the
 * render succeeds, is byte-for-byte reproducible, is A4 PDF/A-1b shaped,
 * and is written to out/test-pdf/notice.pdf for tests/suite_pdf.sh and
 * suite_typeset.sh (an attachment name long enough to wrap, the unit
 * names kept whole in its tables).
 * Also: several documents in one file (odd-page starts, numbering per
 * document), documents without 版头 or 版记, and the coverage of the
 * fonts: every character of the registry, the sample ledgers (UTF-8 or
 * GB18030) and the wording has a real glyph in every role (issue 3).
 */
#define _GNU_SOURCE   /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc.h"
#include "fonts.h"
#include "render.h"
#include "text.h"
#include "diag.h"
#include "util.h"

static const struct { const char *group; int quota; const char *name; } units[] = {
	{"市州司法局", 24, "武汉市司法局"},
	{"市州司法局", 24, "黄石市司法局"},
	{"市州司法局", 24, "十堰市司法局"},
	{"市州司法局", 24, "宜昌市司法局"},
	{"市州司法局", 24, "襄阳市司法局"},
	{"市州司法局", 24, "鄂州市司法局"},
	{"市州司法局", 24, "荆门市司法局"},
	{"市州司法局", 24, "孝感市司法局"},
	{"市州司法局", 24, "荆州市司法局"},
	{"市州司法局", 24, "黄冈市司法局"},
	{"市州司法局", 24, "咸宁市司法局"},
	{"市州司法局", 24, "随州市司法局"},
	{"市州司法局", 24, "恩施州司法局"},
	{"直管市及神农架林区司法局", 18, "仙桃市司法局"},
	{"直管市及神农架林区司法局", 18, "潜江市司法局"},
	{"直管市及神农架林区司法局", 18, "天门市司法局"},
	{"直管市及神农架林区司法局", 18, "神农架林区司法局"},
	{"监狱戒毒管理局", 24, "省监狱局"},
	{"监狱戒毒管理局", 20, "省戒毒局"},
	{"厅机关处室及直属单位", 12, "省社矫局"},
	{"厅机关处室及直属单位", 12, "厅法制宣传处"},
	{"厅机关处室及直属单位", 12, "厅律师公证工作管理处"},
	{"厅机关处室及直属单位", 12, "厅法律援助工作处"},
	{"厅机关处室及直属单位", 12, "厅基层工作处"},
	{"厅机关处室及直属单位", 12, "厅司法鉴定管理处"},
	{"厅机关处室及直属单位", 12, "厅法制处"},
	{"厅机关处室及直属单位", 12, "厅政治(警务)部组织宣传处"},
	{"厅机关处室及直属单位", 12, "厅机关党委"},
	{"厅机关处室及直属单位", 12, "武汉警官职业学院"},
	{"厅机关处室及直属单位", 12, "省律师协会"},
	{"厅机关处室及直属单位", 6, "厅国家司法考试处"},
	{"厅机关处室及直属单位", 6, "厅计划财务装备处"},
	{"厅机关处室及直属单位", 6, "厅政治(警务)部干部处"},
	{"厅机关处室及直属单位", 6, "厅政治(警务)部警务处"},
	{"厅机关处室及直属单位", 6, "厅工会工作委员会"},
	{"厅机关处室及直属单位", 6, "厅离退休干部处"},
	{"厅机关处室及直属单位", 6, "省法律援助中心"},
	{"厅机关处室及直属单位", 6, "厅机关服务中心"},
	{"厅机关处室及直属单位", 6, "省楚信公证处"},
	{"司法行政机关直报点", 12, "江汉区司法局"},
	{"司法行政机关直报点", 12, "硚口区司法局"},
	{"司法行政机关直报点", 12, "武昌区司法局"},
	{"司法行政机关直报点", 12, "青山区司法局"},
	{"司法行政机关直报点", 12, "黄陂区司法局"},
	{"司法行政机关直报点", 12, "大冶市司法局"},
	{"司法行政机关直报点", 12, "黄石港区司法局"},
	{"司法行政机关直报点", 12, "西塞山区司法局"},
	{"司法行政机关直报点", 12, "襄州区司法局"},
	{"司法行政机关直报点", 12, "枣阳市司法局"},
	{"司法行政机关直报点", 12, "松滋市司法局"},
	{"司法行政机关直报点", 12, "公安县司法局"},
	{"司法行政机关直报点", 12, "洪湖市司法局"},
	{"司法行政机关直报点", 12, "枝江市司法局"},
	{"司法行政机关直报点", 12, "夷陵区司法局"},
	{"司法行政机关直报点", 12, "丹江口市司法局"},
	{"司法行政机关直报点", 12, "张湾区司法局"},
	{"司法行政机关直报点", 12, "孝南区司法局"},
	{"司法行政机关直报点", 12, "汉川市司法局"},
	{"司法行政机关直报点", 12, "安陆市司法局"},
	{"司法行政机关直报点", 12, "京山县司法局"},
	{"司法行政机关直报点", 12, "钟祥市司法局"},
	{"司法行政机关直报点", 12, "东宝区司法局"},
	{"司法行政机关直报点", 12, "鄂城区司法局"},
	{"司法行政机关直报点", 12, "华容区司法局"},
	{"司法行政机关直报点", 12, "红安县司法局"},
	{"司法行政机关直报点", 12, "浠水县司法局"},
	{"司法行政机关直报点", 12, "黄梅县司法局"},
	{"司法行政机关直报点", 12, "赤壁市司法局"},
	{"司法行政机关直报点", 12, "崇阳县司法局"},
	{"司法行政机关直报点", 12, "广水市司法局"},
	{"司法行政机关直报点", 12, "随县司法局"},
	{"司法行政机关直报点", 12, "恩施市司法局"},
	{"司法行政机关直报点", 12, "利川市司法局"},
	{"司法行政机关直报点", 12, "咸丰县司法局"},
	{"司法行政机关直报点", 12, "仙桃市法律援助中心"},
	{"司法行政机关直报点", 12, "天门市司法局竟陵司法所"},
	{"司法行政机关直报点", 12, "天门市司法局高新园司法分局"},
	{"司法行政机关直报点", 12, "潜江市调解中心"},
	{"司法行政机关直报点", 12, "潜江市司法局园林司法所"},
	{"司法行政机关直报点", 12, "神农架林区司法局松柏司法所"},
	{"司法行政机关直报点", 12, "神农架林区司法局红坪司法所"},
	{"监狱戒毒系统直报点", 12, "省沙洋监狱局"},
	{"监狱戒毒系统直报点", 12, "省沙洋广华监狱"},
	{"监狱戒毒系统直报点", 12, "省沙洋小江湖监狱"},
	{"监狱戒毒系统直报点", 12, "省沙洋范家台监狱"},
	{"监狱戒毒系统直报点", 12, "省沙洋陈家山监狱"},
	{"监狱戒毒系统直报点", 12, "省江北监狱"},
	{"监狱戒毒系统直报点", 12, "省襄北监狱"},
	{"监狱戒毒系统直报点", 12, "省襄南监狱"},
	{"监狱戒毒系统直报点", 12, "省恩施监狱"},
	{"监狱戒毒系统直报点", 12, "省武昌监狱"},
	{"监狱戒毒系统直报点", 12, "省武汉女子监狱"},
	{"监狱戒毒系统直报点", 12, "省洪山监狱"},
	{"监狱戒毒系统直报点", 12, "省汉阳监狱"},
	{"监狱戒毒系统直报点", 12, "省咸宁监狱"},
	{"监狱戒毒系统直报点", 12, "省黄石监狱"},
	{"监狱戒毒系统直报点", 12, "省沙洋强戒所"},
	{"监狱戒毒系统直报点", 12, "省狮子山强戒所"},
	{"监狱戒毒系统直报点", 12, "省女子强戒所"},
	{"监狱戒毒系统直报点", 12, "武汉市女子强戒所"},
	{"监狱戒毒系统直报点", 12, "黄石市强戒所"},
	{"法律服务直报点", 12, "北京盈科(武汉)律师事务所"},
	{"法律服务直报点", 12, "湖北思普润律师事务所"},
	{"法律服务直报点", 12, "湖北真武律师事务所"},
	{"法律服务直报点", 12, "湖北立丰律师事务所"},
	{"法律服务直报点", 12, "湖北民基律师事务所"},
	{"法律服务直报点", 12, "武汉市中星公证处"},
	{"法律服务直报点", 12, "襄阳市公证协会"},
	{"法律服务直报点", 12, "公安县公证处"},
	{"法律服务直报点", 12, "武汉市法律援助中心"},
	{"法律服务直报点", 12, "宜昌市法律援助中心"},
	{"法律服务直报点", 12, "黄石市法律援助中心"},
	{"法律服务直报点", 12, "荆州市松滋市洈水基层法律服务所"},
	{"法律服务直报点", 12, "宜昌市利民基层法律服务所"},
	{"法律服务直报点", 12, "荆门市沙洋县高阳基层法律服务所"},
	{"法律服务直报点", 12, "黄冈市黄梅县黄梅镇基层法律服务所"},
	{"法律服务直报点", 12, "武汉大学中南医院法医司法鉴定所"},
	{"法律服务直报点", 12, "湖北崇新司法鉴定中心"},
	{"法律服务直报点", 12, "湖北军安司法鉴定中心"},
	{"法律服务直报点", 12, "宜都明信法医司法鉴定所"},
};

static const char *const groups[] = {
	"市州司法局", "直管市及神农架林区司法局", "监狱戒毒管理局",
	"厅机关处室及直属单位", "司法行政机关直报点", "监狱戒毒系统直报点",
	"法律服务直报点",
};

/* Builds the test notice; the caller frees it with doc_free(). */
static doc_t *
build_doc(int with_number)
{
	doc_t *d = doc_new();
	doc_section_t *a;
	doc_chart_t *c;
	static const char *const head[9] = {"排名", "单位", "任务数", "报送",
	    "计数", "折算", "基础分", "质量分", "总分"};
	static const enum doc_align al[9] = {ALIGN_CENTER, ALIGN_LEFT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT};
	static const unsigned wt[9] = {5, 22, 6, 6, 6, 6, 6, 6, 6};
	const char *items[3] = {
		"1.各单位要高度重视政务信息工作，明确分管领导和专门人员，确保按时、保质、保量完成报送任务。",
		"2.要围绕中心工作，及时报送重要紧急信息，事发后2小时内报告，不得迟报、漏报、瞒报。",
		"3.要提高信息质量，多报送反映新情况、新问题、新经验的调研信息（字数1000至3500字）。",
	};

	doc_set(&d->issuer, "湖北省司法厅办公室");
	if (with_number)
		doc_set(&d->doc_number, "鄂司办通〔2017〕12号");
	doc_set(&d->doc_number_blank, "鄂司办通〔2017〕　　号");
	doc_set(&d->title, "关于2017年第一季度全省司法行政系统政务信息工作情况的通报");
	doc_set(&d->recipients, "各市、州、直管市、神农架林区司法局，省监狱局、省戒毒局，厅机关各处室、直属各单位，各直报点：");
	doc_add_heading(&d->body, 1, "一、总体情况");
	doc_add_para(&d->body, "2017年第一季度，全省司法行政系统共报送政务信息1316条，计入任务数1208条，其中动态信息964条、调研信息187条、重要紧急信息57条。省厅门户网站采用412条，省厅工作简报采用96条，司法部采用23条，省委、省政府采用11条，领导批示8次。");
	doc_add_heading(&d->body, 2, "（一）各组完成任务情况");
	doc_add_para(&d->body, "市州司法局13个单位中有11个完成季度任务；直管市及神农架林区司法局4个单位全部完成；厅机关处室及直属单位20个单位中有15个完成。武汉市司法局、宜昌市司法局、襄阳市司法局得分位居前列。");
	doc_add_para(&d->body, "从报送情况看，各地各单位普遍重视政务信息工作，报送数量稳步增长，信息质量明显提高，一批反映司法行政工作新举措、新成效的信息被上级机关采用。特别是在公共法律服务体系建设、人民调解、社区矫正、法治宣传教育等方面，报送了一批有分量、有深度的调研信息，为领导决策提供了有力参考。同时也要看到，部分单位对政务信息工作重视不够，信息报送数量少、质量不高，有的单位全季度未报送信息，有的单位报送的信息内容空泛、缺乏特色，有的重要紧急信息报送不及时。");
	doc_add_para(&d->body, "各地各单位要认真对照本通报，查找差距，总结经验，进一步健全政务信息工作机制，加强信息员队伍建设，落实信息报送责任，切实提高政务信息工作水平，为全省司法行政工作提供有力的信息支撑和服务保障。");
	doc_add_heading(&d->body, 3, "1.未完成任务的单位");
	doc_add_para(&d->body, "硚口区司法局、荆州市松滋市洈水基层法律服务所等9个单位未完成季度报送任务（见附件1）。《关于加强“两个所”建设的调研》被司法部采用。");
	doc_add_para(&d->body, "以上单位要认真分析原因，采取有效措施，确保下一季度完成任务。");
	doc_add_heading(&d->body, 4, "（1）未报送信息的单位");
	doc_add_para(&d->body, "标题含有<script>alert(1)</script>与表情😀的信息、以及“引号”（括号）等标点，均应原样显示。English words like information and URL http://www.hbsf.gov.cn/ stay whole.");
	doc_add_heading(&d->body, 1, "二、下一步工作要求");
	doc_add_list(&d->body, items, 3);
	c = doc_add_chart(&d->body, "各组平均得分", "各组平均得分柱状图：市州司法局最高。", "分");
	for (size_t g = 0; g < 7; g++) {
		char v[16];
		snprintf(v, sizeof v, "%.1f", 80.0 - (double)g * 7.5);
		doc_chart_add_bar(c, groups[g], 80.0 - (double)g * 7.5, v);
	}
	doc_set(&d->signature, "湖北省司法厅办公室");
	doc_set(&d->date_cn, "2017年4月5日");
	{
		static const char *const notes[3] = {
			"1.2017年第一季度政务信息工作得分表",
			"2.2017年第一季度省级以上采用信息目录（司法部、省委、省政府采用和领导批示的信息，按载体分值排列）",
			"3.2017年第一季度未计入任务数的信息",
		};
		d->attach_note = xcalloc(3, sizeof *d->attach_note);
		for (int i = 0; i < 3; i++)
			d->attach_note[i] = xstrdup(notes[i]);
		d->nattach_note = 3;
	}
	a = doc_add_attachment(d, "附件1", "2017年第一季度政务信息工作得分表");
	for (size_t g = 0; g < 7; g++) {
		doc_table_t *t = doc_add_table(a, groups[g], 9, head, al, wt);
		int rank = 0;

		for (size_t u = 0; u < ARRAY_LEN(units); u++) {
			char cells[9][64];
			const char *row[9];
			double q;

			if (strcmp(units[u].group, groups[g]) != 0)
				continue;
			rank++;
			q = (double)((u * 37) % 50) / 2;
			snprintf(cells[0], 64, "%d", rank);
			snprintf(cells[1], 64, "%s", units[u].name);
			snprintf(cells[2], 64, "%d", units[u].quota);
			snprintf(cells[3], 64, "%d", units[u].quota + (int)(u % 7) - 2);
			snprintf(cells[4], 64, "%d", units[u].quota + (int)(u % 5) - 3);
			snprintf(cells[5], 64, "%.1f", units[u].quota + (double)(u % 4) / 2);
			snprintf(cells[6], 64, "%d", u % 6 ? 60 : 0);
			snprintf(cells[7], 64, "%g", q);
			snprintf(cells[8], 64, "%g", (u % 6 ? 60 : 0) + q);
			for (int k = 0; k < 9; k++)
				row[k] = cells[k];
			doc_table_add_row(t, row);
		}
	}
	a = doc_add_attachment(d, "附件2", "2017年第一季度省级以上采用信息目录");
	{
		static const char *const h2[4] = {"单位", "标题", "载体", "日期"};
		static const enum doc_align a2[4] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT, ALIGN_CENTER};
		static const unsigned w2[4] = {8, 16, 6, 5};
		doc_table_t *t = doc_add_table(a, NULL, 4, h2, a2, w2);
		for (int i = 0; i < 23; i++) {
			const char *row[4] = {units[i * 5 % 120].name,
			    i % 3 ? "我省创新“互联网+公共法律服务”模式，打通服务群众最后一公里的做法与经验" :
			    "<b>关于🀄社区矫正</b>工作的调研报告",
			    i % 2 ? "司法部采用" : "省委领导批示", "2017-03-15"};
			doc_table_add_row(t, row);
		}
	}
	a = doc_add_attachment(d, "附件3", "2017年第一季度未计入任务数的信息");
	doc_add_para(a, "下列信息因未通过指定邮箱报送、未经单位负责人签发或属日常会议活动类信息，不计入任务数。");
	{
		static const char *const h3[3] = {"单位", "标题", "原因"};
		static const enum doc_align a3[3] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT};
		static const unsigned w3[3] = {8, 18, 7};
		doc_table_t *t = doc_add_table(a, NULL, 3, h3, a3, w3);
		for (int i = 0; i < 30; i++) {
			const char *row[3] = {units[(i * 11) % 120].name,
			    "局领导出席全市司法行政工作会议并讲话",
			    i % 2 ? "未经签发" : "非指定邮箱报送"};
			doc_table_add_row(t, row);
		}
	}
	/* the registry's names: a cell never breaks one (render_pdf_table.c) */
	for (size_t u = 0; u < ARRAY_LEN(units); u++)
		doc_add_keep(d, units[u].name);
	doc_set(&d->cc, "各市、州、直管市、神农架林区司法局局长，省监狱局、省戒毒局局长，厅领导。");
	doc_set(&d->printer, "湖北省司法厅办公室");
	doc_set(&d->print_date, "2017年4月5日印发");
	doc_set(&d->author, "湖北省司法厅办公室");
	doc_set(&d->subject, "2017年第一季度政务信息工作通报 <&>");
	d->epoch = 1491321600;   /* 2017-04-05 00:00 +08:00 */
	return d;
}

/*
 * Writes out/test-pdf/notice.expect for tests/suite_pdf.sh: "T<TAB>title",
 * then per row of the score tables "R<TAB>unit<TAB>numbers separated by
 * spaces" (the cells after the unit name).
 */
static void
write_expect(const doc_t *d)
{
	FILE *fp = fopen("out/test-pdf/notice.expect", "w");

	assert_non_null(fp);
	fprintf(fp, "T\t%s\n", d->title);
	for (size_t b = 0; b < d->attachments[0].nblocks; b++) {
		const doc_table_t *t = d->attachments[0].blocks[b].table;

		if (!t)
			continue;
		for (size_t i = 0; i < t->nrows; i++) {
			fprintf(fp, "R\t%s\t", t->cells[i][1]);
			for (size_t j = 2; j < t->ncols; j++)
				fprintf(fp, "%s%s", j > 2 ? " " : "", t->cells[i][j]);
			fputc('\n', fp);
		}
	}
	fclose(fp);
}

static const char *
fonts_dir(void)
{
	struct stat st;

	return stat("fonts/fonts.conf", &st) == 0 ? "fonts" : NULL;
}

static void
test_render_deterministic(void **state)
{
	doc_t *d = build_doc(1);
	buf_t a, b;
	diag_list_t dl;
	FILE *fp;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	buf_init(&b);
	assert_int_equal(render_pdf(d, fonts_dir(), &a, &dl), 0);
	diag_print(&dl, stderr);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(render_pdf(d, fonts_dir(), &b, &dl), 0);
	assert_true(a.len > 1000);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_memory_equal(a.data, "%PDF-1.4", 8);
	assert_non_null(strstr(a.data + a.len - 400, "/ID"));
	mkdir("out", 0777);
	mkdir("out/test-pdf", 0777);
	fp = fopen("out/test-pdf/notice.pdf", "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(a.data, 1, a.len, fp), a.len);
	fclose(fp);
	write_expect(d);
	buf_free(&a);
	buf_free(&b);
	diag_free(&dl);
	doc_free(d);
}

/* Without a document number the blank form is printed; the bytes differ. */
static void
test_render_blank_number(void **state)
{
	doc_t *d = build_doc(0);
	buf_t a;
	diag_list_t dl;
	FILE *fp;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	assert_int_equal(render_pdf(d, fonts_dir(), &a, &dl), 0);
	assert_int_equal(dl.errors, 0);
	fp = fopen("out/test-pdf/notice-nonumber.pdf", "wb");
	if (fp) {
		fwrite(a.data, 1, a.len, fp);
		fclose(fp);
	}
	buf_free(&a);
	diag_free(&dl);
	doc_free(d);
}

/* A minimal document: no attachments, no 版记, invalid UTF-8 in the title. */
static void
test_render_minimal(void **state)
{
	doc_t *d = doc_new();
	buf_t a;
	diag_list_t dl;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	doc_set(&d->title, "bad \xFF\xFE bytes \xF0\x9F\x98 end");
	doc_add_para(&d->body, "");
	doc_add_para(&d->body, "只有一段。");
	assert_int_equal(render_pdf(d, NULL, &a, &dl), 0);
	assert_int_equal(dl.errors, 0);
	buf_free(&a);
	diag_free(&dl);
	doc_free(d);
}

/* A font list naming a missing file only: an error, not a crash. */
static void
test_render_bad_fonts(void **state)
{
	doc_t *d = build_doc(1);
	buf_t a;
	diag_list_t dl;
	FILE *fp;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	mkdir("out", 0777);
	mkdir("out/test-pdf", 0777);
	mkdir("out/test-pdf/badfonts", 0777);
	fp = fopen("out/test-pdf/badfonts/fonts.conf", "w");
	assert_non_null(fp);
	fputs("song /nonexistent/font.ttf\nnonsense line\n", fp);
	fclose(fp);
	assert_int_equal(render_pdf(d, "out/test-pdf/badfonts", &a, &dl), -1);
	assert_true(dl.errors > 0);
	buf_free(&a);
	diag_free(&dl);
	doc_free(d);
}

/* Every character of every unit name exists in a font: no 〓 warning. */
static void
test_registry_glyphs(void **state)
{
	doc_t *d = doc_new();
	buf_t a, text;
	diag_list_t dl;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	buf_init(&text);
	for (size_t u = 0; u < ARRAY_LEN(units); u++)
		buf_printf(&text, "%s、", units[u].name);
	doc_set(&d->title, "单位名称");
	doc_add_heading(&d->body, 1, text.data);
	doc_add_heading(&d->body, 2, text.data);
	doc_add_para(&d->body, text.data);
	assert_int_equal(render_pdf(d, fonts_dir(), &a, &dl), 0);
	for (size_t i = 0; i < dl.n; i++)
		assert_null(strstr(dl.v[i].msg, "no font holds"));
	buf_free(&a);
	buf_free(&text);
	diag_free(&dl);
	doc_free(d);
}


/* ---- several documents in one file ------------------------------------------ */

/* A statement-like document: no 版头, no 版记, n paragraphs. */
static doc_t *
small_doc(const char *unit, int n)
{
	doc_t *d = doc_new();
	char *t = xasprintf("2017年第一季度政务信息考评结果明细（%s）", unit);
	static const char *const head[] = {"序号", "标题", "计入"};
	static const enum doc_align al[] = {ALIGN_RIGHT, ALIGN_LEFT, ALIGN_LEFT};
	doc_table_t *tb;

	doc_set(&d->title, t);
	free(t);
	doc_set(&d->recipients, "局长：");
	doc_set(&d->subject, unit);
	doc_set(&d->author, "湖北省司法厅办公室");
	doc_add_heading(&d->body, 1, "一、报送情况");
	tb = doc_add_table(&d->body, NULL, 3, head, al, NULL);
	for (int i = 0; i < n; i++) {
		char num[16];
		const char *row[3] = {num, "关于开展法治宣传进社区活动的情况报告", "是"};

		snprintf(num, sizeof num, "%d", i + 1);
		doc_table_add_row(tb, row);
		doc_add_para(&d->body, "本季度报送信息情况如上表，被采用信息按《考评办法》计分。");
	}
	doc_set(&d->signature, "湖北省司法厅办公室");
	doc_set(&d->date_cn, "2017年4月5日");
	d->epoch = 1491321600;
	return d;
}

/* Runs a command, returns its output (caller frees) or NULL. */
static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	buf_t b;
	char chunk[4096];
	size_t n;

	if (!p)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	pclose(p);
	return buf_steal(&b);
}

/*
 * Three documents of 1, 2 and 3 pages in one file: each starts on an odd
 * page (blank pages between), numbers its pages from 1, no 版头 (no red),
 * one bookmark each; the title is the titles' common beginning.
 */
static void
test_render_docs(void **state)
{
	doc_t *d[3] = {small_doc("武汉市司法局", 1), small_doc("黄石市司法局", 9),
	    small_doc("硚口区司法局", 20)};
	buf_t a, b;
	diag_list_t dl;
	FILE *fp;
	char *info, *text;
	int starts = 0, pages = 0;

	(void)state;
	memset(&dl, 0, sizeof dl);
	buf_init(&a);
	buf_init(&b);
	assert_int_equal(render_pdf_docs((const doc_t *const *)d, 3, fonts_dir(),
	    &a, &dl), 0);
	diag_print(&dl, stderr);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(render_pdf_docs((const doc_t *const *)d, 3, fonts_dir(),
	    &b, &dl), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* no 版头: nothing red is drawn (the issuer's colour is 0.9 0 0) */
	assert_null(memmem(a.data, a.len, "0.9 0 0", 7));
	mkdir("out", 0777);
	mkdir("out/test-pdf", 0777);
	fp = fopen("out/test-pdf/docs.pdf", "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(a.data, 1, a.len, fp), a.len);
	fclose(fp);
	info = run("pdfinfo out/test-pdf/docs.pdf 2>/dev/null");
	text = run("pdftotext -layout out/test-pdf/docs.pdf - 2>/dev/null");
	if (info && strstr(info, "Pages:")) {
		const char *p = text;
		int page = 1;

		assert_non_null(strstr(info, "Title:           2017年第一季度政务信息考评结果明细\n"));
		sscanf(strstr(info, "Pages:") + 6, "%d", &pages);
		/* every "— 1 —" is on an odd page */
		for (; p && *p; p++) {
			if (*p == '\f')
				page++;
			else if (strncmp(p, "— 1 —", strlen("— 1 —")) == 0) {
				assert_true(page % 2 == 1);
				starts++;
			}
		}
		assert_int_equal(starts, 3);
		assert_true(pages >= 6);
		assert_non_null(strstr(text, "硚口区司法局"));
	}
	free(info);
	free(text);
	buf_free(&a);
	buf_free(&b);
	diag_free(&dl);
	for (int i = 0; i < 3; i++)
		doc_free(d[i]);
}

/* ---- coverage of the fonts (issue 3) ----------------------------------------- */

/* The text of a file as UTF-8: as is when valid, else from GB18030. */
static char *
file_text(const char *path)
{
	char *data = NULL, *out = NULL;
	size_t len = 0;

	if (read_file(path, &data, &len) != 0)
		return NULL;
	if (utf8_invalid_at(data, len) == (size_t)-1)
		return data;
	{
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		size_t cap = len * 4 + 1, inleft = len, outleft = cap - 1;
		char *in = data, *o;

		assert_true(cd != (iconv_t)-1);
		out = o = xmalloc(cap);
		assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
		*o = '\0';
		iconv_close(cd);
	}
	free(data);
	return out;
}

/*
 * Adds every code point of path to seen (a 0x110000-byte map); prints and
 * counts the ones no font of some role draws with a real glyph.
 */
static int
check_file(tb_fonts_t *F, const char *path, uint8_t *seen)
{
	static const enum font_role roles[] = {ROLE_SONG, ROLE_FANGSONG,
	    ROLE_KAI, ROLE_HEI, ROLE_XIAOBIAOSONG};
	static const char *const names[] = {"song", "fangsong", "kai", "hei",
	    "xiaobiaosong"};
	char *text = file_text(path);
	const char *p = text;
	int bad = 0;

	assert_non_null(text);
	while (*p) {
		uint32_t c = utf8_next(&p);

		if (c < 0x20 || c == 0xFEFF || seen[c])   /* BOM: never drawn */
			continue;
		seen[c] = 1;
		for (size_t r = 0; r < ARRAY_LEN(roles); r++)
			if (fonts_which(F, roles[r], c) == NULL) {
				fprintf(stderr, "%s: U+%04X (%s) has no glyph for"
				    " the %s role\n", path, (unsigned)c,
				    c < 0x10000 ? "BMP" : "above U+FFFF", names[r]);
				bad++;
			}
	}
	free(text);
	return bad;
}

/*
 * Every character of the registry, of the sample ledgers and settings
 * (CSV in UTF-8 or GB18030, XML) and of the wording is drawn by a font
 * that really holds it, in every role: none would become 〓.  And the
 * check itself works: an emoji, a private-use character and U+FFFF fail.
 */
static void
test_font_coverage(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	diag_list_t dl;
	tb_fonts_t *F;
	uint8_t *seen = xcalloc(0x110000, 1);
	glob_t g;
	int bad = 0, nfiles = 0;
	static const char *const fixed[] = {"samples/units.xml",
	    "templates/notice.xml", "templates/statement.xml"};
	static const char *const pats[] = {"samples/*/*.csv", "samples/*/*.xml"};

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_non_null(pdf);
	F = fonts_open(pdf, fonts_dir(), &dl);
	assert_non_null(F);
	assert_null(fonts_which(F, ROLE_FANGSONG, 0x1F600));
	assert_null(fonts_which(F, ROLE_FANGSONG, 0xE000));
	assert_null(fonts_which(F, ROLE_HEI, 0xFFFF));
	assert_non_null(fonts_which(F, ROLE_FANGSONG, FONT_MISSING_CP));
	assert_non_null(fonts_which(F, ROLE_FANGSONG, 0x785A));   /* 硚 */
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++) {
		struct stat st;

		if (stat(fixed[i], &st) != 0)
			continue;
		bad += check_file(F, fixed[i], seen);
		nfiles++;
	}
	for (size_t i = 0; i < ARRAY_LEN(pats); i++) {
		memset(&g, 0, sizeof g);
		if (glob(pats[i], 0, NULL, &g) == 0)
			for (size_t k = 0; k < g.gl_pathc; k++) {
				bad += check_file(F, g.gl_pathv[k], seen);
				nfiles++;
			}
		globfree(&g);
	}
	assert_true(nfiles >= 10);
	assert_int_equal(bad, 0);
	fonts_free(F);
	HPDF_Free(pdf);
	free(seen);
	diag_free(&dl);
}

/* the faces and fontconfig kept between documents (fonts_face.c) */
static int
teardown(void **state)
{
	(void)state;
	render_pdf_release();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_deterministic),
		cmocka_unit_test(test_render_blank_number),
		cmocka_unit_test(test_render_minimal),
		cmocka_unit_test(test_render_bad_fonts),
		cmocka_unit_test(test_registry_glyphs),
		cmocka_unit_test(test_render_docs),
		cmocka_unit_test(test_font_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
