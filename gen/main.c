/*
 * main.c - the pipeline of DESIGN.md, in order, for `quarter` and `check`:
 * load (registry, rules, ledgers) -> validate -> score (and the follow-ups
 * of directives) -> notice and unit statements -> render (PDF, HTML, CSV)
 * -> publish; and main(), which reads the command line (cli.c), runs the
 * command (here, cmd_year.c, cmd_template.c; what they share is run.c)
 * and reports.  Only main() and the commands choose exit codes
 * (sysexits.h): 0 done, 64 bad usage, 65 bad input data, 73 cannot write
 * the output, 75 another run holds the lock.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "diag.h"
#include "export.h"
#include "followup.h"
#include "notice.h"
#include "render.h"
#include "run.h"
#include "statement.h"
#include "units.h"
#include "util.h"
#include "xmlread.h"

#include <signal.h>
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

/* The unit heads' statements (Art 14).  Returns an exit code. */
static int
render_statements(const struct options *o, const struct quarter_run *r,
    const trend_t *tr, const doc_t *notice, const followup_t *fu,
    unit_files_t *out, diag_list_t *dl)
{
	statement_in_t in = { &r->reg, &r->rules, &r->led, &r->res, tr, notice,
	    fu };
	double t0 = run_now_ms();
	char qs[16];

	tb_quarter_format(r->q, qs, sizeof qs);
	run_progress(o, "rendering the statements", qs);
	switch (unit_files_build(o->templates, o->fonts, &in, out, dl)) {
	case UNITS_OK:
		break;
	case UNITS_BAD_TEMPLATE:
		return EX_DATAERR_;
	case UNITS_RENDER_FAILED:
	default:
		return EX_CANTCREAT_;
	}
	run_log(o, "%s: rendered %zu statements and units.pdf (%.0f ms)", qs,
	    out->n - 1, run_now_ms() - t0);
	return 0;
}

/*
 * Loads and scores the quarters of q's year before q, each as its own run
 * does (its registry, rules and ledger): the year to date and the changes
 * of the notice (SPEC 5) are sums and differences of what those runs
 * published.  Returns 0 or EX_DATAERR_: an earlier quarter that cannot be
 * read cannot give a year to date, and the notice never prints a guess.
 */
static int
load_earlier(const struct options *o, tb_quarter q, struct quarter_run *prev,
    size_t *n, diag_list_t *dl)
{
	int num = tb_quarter_num(q), rc = 0;

	*n = 0;
	for (int k = 1; k < num; k++) {
		diag_list_t own = { 0 };
		tb_quarter e = tb_quarter_make(tb_quarter_year(q), k);
		char es[16];

		/* that quarter's warnings are its own run's to give; its
		 * errors stop this one, with everything said about them */
		if (run_load_and_score(o, e, &prev[k - 1], &own) != 0)
			rc = EX_DATAERR_;
		diag_flush(&own);
		tb_quarter_format(e, es, sizeof es);
		if (own.errors > 0)
			diag_move(dl, &own);
		else if (own.warnings > 0)
			run_log(o, "%s: %zu warnings of that quarter not repeated",
			    es, own.warnings);
		diag_free(&own);
		*n = (size_t)k;
	}
	return rc;
}

static int
cmd_quarter(const struct options *opt, diag_list_t *dl)
{
	struct options eff = *opt;
	const struct options *o = &eff;
	struct quarter_run r, prev[3];
	scored_quarter_t earlier[3], cur;
	size_t nprev = 0;
	unit_files_t st;
	buf_t scores, scores_x, followups, adoptions, items;
	followup_t fu;
	trend_t tr;
	doc_t *doc = NULL;
	struct notice_out nout;
	char qs[16], *settings = NULL;
	tb_quarter q;
	int rc;
	static const char *const offers[] = { "tongbao.pdf", "scores.xlsx",
	    "scores.csv", NULL };

	memset(&nout, 0, sizeof nout);
	memset(&r, 0, sizeof r);
	memset(prev, 0, sizeof prev);
	memset(&st, 0, sizeof st);
	memset(&fu, 0, sizeof fu);
	memset(&tr, 0, sizeof tr);
	buf_init(&scores);
	buf_init(&scores_x);
	buf_init(&followups);
	buf_init(&adoptions);
	buf_init(&items);
	if ((rc = run_target_quarter(o, &q)) != 0)
		return rc;
	tb_quarter_format(q, qs, sizeof qs);
	if (o->cmd == CMD_QUARTER)
		eff.formats = run_formats_to_make(o, qs, false);
	if ((rc = run_load_and_score(o, q, &r, dl)) != 0)
		goto cleanup;
	if ((rc = load_earlier(o, q, prev, &nprev, dl)) != 0) {
		diag_error(dl, o->data, 0, "%s: the year to date needs every "
		    "earlier quarter of %d to be readable; mend the errors above",
		    qs, tb_quarter_year(q));
		goto cleanup;
	}
	for (size_t k = 0; k < nprev; k++)
		earlier[k] = run_scored(&prev[k]);
	cur = run_scored(&r);
	trend_quarter(&cur, earlier, nprev, &tr);
	if (o->cmd == CMD_CHECK) {
		run_log(o, "%s: the data is valid (%zu warnings)", qs, dl->warnings);
		goto cleanup;
	}
	/* Art 4, once: followups.csv, the notice and the statements */
	followup_quarter(&r.reg, &r.rules, &r.led, q, &fu);
	if (o->formats & (FMT_PDF | FMT_HTML | FMT_UNITS)) {
		settings = xasprintf("%s/%s/notice.xml", o->data, qs);
		doc = notice_quarter(&r.reg, &r.rules, &r.led, &r.res, &tr,
		    &fu, o->templates, settings, dl);
		if (doc == NULL) {
			rc = EX_DATAERR_;
			goto cleanup;
		}
		if (run_input_time(o, tb_quarter_year(q), 1, tb_quarter_num(q),
		    false, &doc->created, dl) != 0) {
			rc = EX_USAGE_;
			goto cleanup;
		}
	}
	/* notice.xml (its PDF when the files are gathered) */
	if (run_notice_begin(o, doc, &nout, dl) != 0) {
		rc = EX_CANTCREAT_;
		goto cleanup;
	}
	export_scores(&r.reg, &r.res, &tr, &scores);
	export_adoptions(&r.reg, &r.rules, &r.led, &r.res, &adoptions);
	/* the full list behind the notice's capped ones goes with the notice */
	if (doc != NULL)
		export_items(&r.reg, &r.rules, &r.led, &r.res, &items);
	if ((o->formats & FMT_CSV) && (rc = run_workbook(o, qs, "scores.xlsx",
	    &scores, "group", "全部单位", tb_quarter_end(q) - 1, &scores_x,
	    dl)) != 0)
		goto cleanup;
	followup_csv(&r.reg, &r.led, &fu, &followups);
	if ((o->formats & FMT_UNITS) &&
	    (rc = render_statements(o, &r, &tr, doc, &fu, &st, dl)) != 0)
		goto cleanup;
	{
		const out_file_t csv[] = {
			{ "scores.csv", &scores, false },
			{ "scores.xlsx", &scores_x, false },
			{ "followups.csv", &followups, false },
			{ "adoptions.csv", &adoptions, false },
		};
		out_file_t *more = xcalloc(st.n + 2, sizeof *more);
		size_t nmore = 0;

		for (size_t i = 0; i < st.n; i++)
			more[nmore++] = st.files[i];
		if (doc != NULL)
			more[nmore++] = (out_file_t){ "items.csv", &items, false };
		rc = run_render_and_publish(o, qs, &nout, csv, ARRAY_LEN(csv),
		    more, nmore, offers, dl);
		free(more);
	}
cleanup:
	run_notice_free(&nout);
	unit_files_free(&st);
	followup_free(&fu);
	trend_free(&tr);
	doc_free(doc);
	free(settings);
	buf_free(&scores);
	buf_free(&scores_x);
	buf_free(&followups);
	buf_free(&adoptions);
	buf_free(&items);
	for (size_t k = 0; k < 3; k++)
		quarter_run_free(&prev[k]);
	quarter_run_free(&r);
	return rc;
}

/* Prints the diagnostics: errors and notices always (a published PDF
 * replaced, something planted beside a folder left alone: diag.h),
 * warnings and notes unless quiet.  The tallied warnings are flushed
 * first (diag.h). */
static void
report(const struct options *o, diag_list_t *dl)
{
	diag_flush(dl);
	for (size_t i = 0; i < dl->n; i++) {
		char *s;
		if (dl->v[i].sev < DIAG_NOTICE && o->quiet)
			continue;
		s = diag_format(&dl->v[i]);
		fprintf(stderr, "%s\n", s);
		free(s);
	}
	if (dl->errors > 0 && !o->quiet)
		fprintf(stderr, "tongbao: %zu error%s, %zu warning%s; nothing written\n",
		    dl->errors, dl->errors == 1 ? "" : "s",
		    dl->warnings, dl->warnings == 1 ? "" : "s");
}

int
main(int argc, char **argv)
{
	struct options o;
	diag_list_t dl;
	int rc;

	memset(&o, 0, sizeof o);
	memset(&dl, 0, sizeof dl);
	/* libxml2 and libxslt allocate through hooks that end the run on
	 * failure (util.h), set before their first use */
	util_init_alloc();
	xml_route_errors();
	/* a file over RLIMIT_FSIZE is a write error with its path (exit 73),
	 * not a death by SIGXFSZ */
	signal(SIGXFSZ, SIG_IGN);
	o.formats = FMT_ALL;
	o.tty = isatty(STDERR_FILENO);
	if ((rc = cli_parse(argc, argv, &o)) != 0)
		return rc < 0 ? 0 : rc;
	cli_resolve_dirs(&o);
	if (!run_is_dir(o.data)) {
		fprintf(stderr, "tongbao: %s: no such data folder\n", o.data);
		rc = EX_USAGE_;
	} else if (o.cmd == CMD_YEAR) {
		rc = cmd_year(&o, &dl);
	} else if (o.cmd == CMD_TEMPLATE) {
		rc = cmd_template(&o, &dl);
	} else {
		rc = cmd_quarter(&o, &dl);
	}
	if (o.tty && !o.quiet)
		fputs("\r\033[K", stderr);
	/* every exit but 0 says why: a stage that failed without a message
	 * is one more error (and a fault to mend) */
	if (rc != 0 && rc != EX_USAGE_ && dl.errors == 0)
		diag_error(&dl, NULL, 0, "the run failed (exit %d) without saying "
		    "why; nothing was published", rc);
	report(&o, &dl);
	if (rc == 0 && dl.errors > 0)
		rc = EX_DATAERR_;
	diag_free(&dl);
	render_pdf_release();
	free(o.templates_buf);
	free(o.base_url_buf);
	free(o.fonts_buf);
	free(o.schema_dir);
	return rc;
}
