/*
 * cmd_year.c - tongbao year YYYY (Art 15): the four quarters summed
 * (score_year), the change of rank on the previous year when the data
 * folder holds it (SPEC 5), annual.csv and workers.csv with their
 * workbooks, the annual notice and the draft 表彰决定, published as
 * OUT/YYYY/ all at once.
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "export.h"
#include "notice.h"
#include "render.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * Loads and scores the four quarters of `year` into r[0..3] and sums them
 * (score_year) into *ann: the year-end registry and rules decide the
 * table and the honours.  Returns 0, or -1 after errors (every quarter is
 * read, so that all their problems are reported at once).
 */
static int
load_year(const struct options *o, int year, struct quarter_run *r,
    annual_t *ann, diag_list_t *dl)
{
	const results_t *res[4];
	const ledger_t *leds[4];
	const registry_t *regs[4];
	int rc = 0;

	for (int k = 0; k < 4; k++) {
		if (run_load_and_score(o, tb_quarter_make(year, k + 1), &r[k], dl) != 0)
			rc = -1;
		res[k] = r[k].scored ? &r[k].res : NULL;
		leds[k] = &r[k].led;
		regs[k] = &r[k].reg;
	}
	if (rc == 0)
		score_year(&r[3].reg, &r[3].rules, year, res, leds, regs, ann);
	return rc;
}

/*
 * The year before `year` summed as its own annual run would (load_year),
 * when the data folder holds all four of its quarters: for the change of
 * rank on the previous year (SPEC 5).  Returns 1 with *prev and its
 * year-end run filled, 0 when that year is not there (a warning names the
 * missing quarter when only part of it is), or -1 after errors.
 */
static int
load_previous_year(const struct options *o, long year, struct quarter_run *r,
    annual_t *prev, diag_list_t *dl)
{
	int present = 0;
	char missing[16] = "";

	for (int k = 0; k < 4; k++) {
		char qs[16], *p;

		tb_quarter_format(tb_quarter_make((int)year - 1, k + 1), qs,
		    sizeof qs);
		p = xasprintf("%s/%s", o->data, qs);
		if (run_is_dir(p))
			present++;
		else if (missing[0] == '\0')
			snprintf(missing, sizeof missing, "%s", qs);
		free(p);
	}
	if (present < 4) {
		if (present > 0)
			diag_warning(dl, o->data, 0, "%s is missing: the annual "
			    "notice shows no change of rank on %ld", missing,
			    year - 1);
		return 0;
	}
	return load_year(o, (int)year - 1, r, prev, dl) != 0 ? -1 : 1;
}

/* Renders the 表彰决定 as OUT/YYYY/biaozhang.pdf and .html. */
static int
render_honours(const struct options *o, const doc_t *doc, buf_t *pdf,
    buf_t *html, diag_list_t *dl)
{
	buf_t fragment;
	int rc = 0;

	buf_init(&fragment);
	if ((o->formats & FMT_PDF) && render_pdf(doc, o->fonts, pdf, dl) != 0)
		rc = EX_CANTCREAT_;
	if (rc == 0 && (o->formats & FMT_HTML) &&
	    render_html(doc, o->templates, html, &fragment, dl) != 0)
		rc = EX_CANTCREAT_;
	buf_free(&fragment);
	return rc;
}

int
cmd_year(const struct options *opt, diag_list_t *dl)
{
	struct options eff = *opt;
	const struct options *o = &eff;
	struct quarter_run r[4], pr[4];
	annual_t ann, prev;
	buf_t annual, workers, annual_x, workers_x, bz_pdf, bz_html;
	doc_t *doc = NULL, *honours = NULL;
	struct notice_out nout;
	char *end = NULL, *settings = NULL;
	long year = strtol(o->period, &end, 10);
	int rc = 0, have_ann = 0, have_prev = 0, *rank_change = NULL;
	bool *rank_known = NULL;
	static const char *const offers[] = { "tongbao.pdf", "annual.xlsx",
	    "annual.csv", "workers.xlsx", "workers.csv", NULL };

	memset(&nout, 0, sizeof nout);
	memset(r, 0, sizeof r);
	memset(pr, 0, sizeof pr);
	buf_init(&bz_pdf);
	buf_init(&bz_html);
	buf_init(&annual);
	buf_init(&workers);
	buf_init(&annual_x);
	buf_init(&workers_x);
	if (*end != '\0' || year < 1900 || year > 9999) {
		fprintf(stderr, "tongbao: '%s' is not a year like 2017\n", o->period);
		return EX_USAGE_;
	}
	eff.formats = run_formats_to_make(o, o->period, true);
	if (load_year(o, (int)year, r, &ann, dl) != 0) {
		rc = EX_DATAERR_;
		goto cleanup;
	}
	have_ann = 1;
	if ((have_prev = load_previous_year(o, year, pr, &prev, dl)) < 0) {
		have_prev = 0;
		rc = EX_DATAERR_;
		goto cleanup;
	}
	if (have_prev) {
		rank_change = xcalloc(ann.nunits + 1, sizeof *rank_change);
		rank_known = xcalloc(ann.nunits + 1, sizeof *rank_known);
		trend_year_ranks(&r[3].reg, &ann, &pr[3].reg, &prev, rank_change,
		    rank_known);
	}
	if (o->formats & (FMT_PDF | FMT_HTML)) {
		settings = xasprintf("%s/%ld/notice.xml", o->data, year);
		doc = notice_year(&r[3].reg, &r[3].rules, &ann, rank_change,
		    rank_known, o->templates, settings, dl);
		honours = doc == NULL ? NULL : notice_honours(&r[3].reg,
		    &r[3].rules, &ann, o->templates, settings, dl);
		if (doc == NULL || honours == NULL) {
			rc = EX_DATAERR_;
			goto cleanup;
		}
		/* the year's data, and the year before's when it was read */
		if (run_input_time(o, (int)year, 1, 4, true, &doc->created, dl) != 0 ||
		    (have_prev && run_input_time(o, (int)year - 1, 1, 4, false,
		    &honours->created, dl) != 0)) {
			rc = EX_USAGE_;
			goto cleanup;
		}
		if (honours->created < doc->created)
			honours->created = doc->created;
		doc->created = honours->created;
		/* notice.xml (its PDF when the files are gathered) */
		if (run_notice_begin(o, doc, &nout, dl) != 0) {
			rc = EX_CANTCREAT_;
			goto cleanup;
		}
		run_progress(o, "rendering the 表彰决定", o->period);
		if ((rc = render_honours(o, honours, &bz_pdf, &bz_html, dl)) != 0)
			goto cleanup;
	}
	export_annual(&r[3].reg, &ann, &annual);
	export_workers(&r[3].reg, &ann, &workers);
	if ((o->formats & FMT_CSV) &&
	    ((rc = run_workbook(o, o->period, "annual.xlsx", &annual, "group",
	    "全部单位", tb_quarter_end(r[3].q) - 1, &annual_x, dl)) != 0 ||
	    (rc = run_workbook(o, o->period, "workers.xlsx", &workers, NULL,
	    "先进工作者", tb_quarter_end(r[3].q) - 1, &workers_x, dl)) != 0))
		goto cleanup;
	{
		char ys[16];
		const out_file_t csv[] = {
			{ "annual.csv", &annual, false },
			{ "annual.xlsx", &annual_x, false },
			{ "workers.csv", &workers, false },
			{ "workers.xlsx", &workers_x, false },
		};
		out_file_t more[2];
		size_t nmore = 0;

		if (o->formats & FMT_PDF)
			more[nmore++] = (out_file_t){ "biaozhang.pdf", &bz_pdf,
			    true };
		if (o->formats & FMT_HTML)
			more[nmore++] = (out_file_t){ "biaozhang.html", &bz_html,
			    false };
		snprintf(ys, sizeof ys, "%ld", year);
		rc = run_render_and_publish(o, ys, &nout, csv, ARRAY_LEN(csv), more,
		    nmore, offers, dl);
	}
cleanup:
	run_notice_free(&nout);
	if (have_ann)
		annual_free(&ann);
	if (have_prev)
		annual_free(&prev);
	free(rank_change);
	free(rank_known);
	doc_free(honours);
	buf_free(&bz_pdf);
	buf_free(&bz_html);
	doc_free(doc);
	free(settings);
	buf_free(&annual);
	buf_free(&workers);
	buf_free(&annual_x);
	buf_free(&workers_x);
	for (int k = 0; k < 4; k++) {
		quarter_run_free(&r[k]);
		quarter_run_free(&pr[k]);
	}
	return rc;
}
