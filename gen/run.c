/*
 * run.c - what the commands share (see run.h): the run's messages and
 * progress line, the quarter to run and the files of the data folder, the
 * time the outputs are dated, one quarter loaded, validated and scored,
 * the workbooks made from the CSV files, and one folder rendered and
 * published all or nothing (the notice's XML, its PDF, its portal page
 * last, as it links to every published file with its size).
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "docxml.h"
#include "render.h"
#include "xlsxwrite.h"

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

void
run_log(const struct options *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	if (o->tty)
		fputs("\r\033[K", stderr);    /* over the progress line */
	fputs("tongbao: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A progress line, only on a terminal (never in cron's mail). */
void
run_progress(const struct options *o, const char *what, const char *sub)
{
	if (o->quiet || !o->tty)
		return;
	fprintf(stderr, "\r\033[Ktongbao: %s: %s...", sub, what);
	fflush(stderr);
}

double
run_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
run_is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int
run_is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The quarter asked for, or the one before today's.  Returns 0 or EX_USAGE_. */
int
run_target_quarter(const struct options *o, tb_quarter *q)
{
	tb_time today;

	if (o->period != NULL) {
		if (!tb_quarter_parse(o->period, q)) {
			fprintf(stderr, "tongbao: '%s' is not a quarter like 2017Q1\n", o->period);
			return EX_USAGE_;
		}
		return 0;
	}
	if (o->today != NULL) {
		if (!tb_time_parse(o->today, &today)) {
			fprintf(stderr, "tongbao: --today '%s' is not a date like 2017-04-05\n", o->today);
			return EX_USAGE_;
		}
	} else {
		/* the ledger's local time is UTC+8 */
		today = (tb_time)(time(NULL) / 60) + 8 * 60;
	}
	*q = tb_quarter_of(today) - 1;
	return 0;
}

/* DATA/YYYYQn/NAME when the quarter overrides it, else DATA/NAME. */
char *
run_config_path(const char *data, tb_quarter q, const char *name)
{
	char qs[16];
	char *p;

	tb_quarter_format(q, qs, sizeof qs);
	p = xasprintf("%s/%s/%s", data, qs, name);
	if (run_is_file(p))
		return p;
	free(p);
	return xasprintf("%s/%s", data, name);
}

/*
 * The time the outputs are dated (the PDF's CreationDate and ModDate,
 * README "Decisions"): SOURCE_DATE_EPOCH when it is set (the
 * reproducible-builds convention), else the newest modification time of
 * the data files the run reads: DATA/units.xml and rules.xml, the ledgers
 * and settings of quarters first..last of `year`, and DATA/YYYY/notice.xml
 * when `annual`.  The same files give the same time, so the same bytes.
 * Returns 0 with *t set (0 when no file was found), or -1 after an error
 * (a SOURCE_DATE_EPOCH that is not a number of seconds).
 */
int
run_input_time(const struct options *o, int year, int first, int last,
    bool annual, long long *t, diag_list_t *dl)
{
	static const char *const names[] = {
		"units.xml", "rules.xml", "notice.xml",
		"submissions.csv", "submissions.xml", "submissions.xlsx",
		"adoptions.csv", "adoptions.xml", "adoptions.xlsx",
		"directives.csv", "directives.xml", "directives.xlsx",
	};
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	*t = 0;
	if (sde != NULL && *sde != '\0') {
		char *end = NULL;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
			diag_error(dl, NULL, 0, "SOURCE_DATE_EPOCH '%s' is not a "
			    "number of seconds since 1970", sde);
			return -1;
		}
		*t = v;
		return 0;
	}
	/* DATA/ (registry, rules), the quarters' folders, the year's */
	for (int k = 0; k <= last - first + 2; k++) {
		char qs[16], *dir = NULL;

		if (k == 0)
			dir = xstrdup(o->data);
		else if (k <= last - first + 1) {
			tb_quarter_format(tb_quarter_make(year, first + k - 1), qs,
			    sizeof qs);
			dir = xasprintf("%s/%s", o->data, qs);
		} else if (annual)
			dir = xasprintf("%s/%d", o->data, year);
		else
			break;
		for (size_t i = 0; i < ARRAY_LEN(names); i++) {
			char *p = xasprintf("%s/%s", dir, names[i]);

			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    (long long)st.st_mtime > *t)
				*t = (long long)st.st_mtime;
			free(p);
		}
		free(dir);
	}
	return 0;
}

void
quarter_run_free(struct quarter_run *r)
{
	if (r->scored)
		results_free(&r->res);
	if (r->loaded) {
		ledger_free(&r->led);
		rules_free(&r->rules);
		registry_free(&r->reg);
	}
	memset(r, 0, sizeof *r);
}

/* Loads and validates one quarter; scores it when the data is clean.
 * Returns 0 or EX_DATAERR_ (diagnostics in dl). */
int
run_load_and_score(const struct options *o, tb_quarter q,
    struct quarter_run *r, diag_list_t *dl)
{
	char *units = run_config_path(o->data, q, "units.xml");
	char *rules = run_config_path(o->data, q, "rules.xml");
	ledger_opts_t lo = { o->encoding, o->schema_dir };
	int rc = EX_DATAERR_;
	char qs[16];
	double t0 = run_now_ms();

	memset(r, 0, sizeof *r);
	r->q = q;
	tb_quarter_format(q, qs, sizeof qs);
	run_progress(o, "reading the data", qs);
	if (registry_load(units, o->schema_dir, &r->reg, dl) != 0)
		goto cleanup;
	if (rules_load(rules, o->schema_dir, &r->reg, &r->rules, dl) != 0) {
		registry_free(&r->reg);
		goto cleanup;
	}
	r->loaded = 1;
	if (ledger_load(o->data, q, &r->reg, &r->rules, &lo, &r->led, dl) != 0)
		goto cleanup;
	run_log(o, "%s: read %zu units, %zu items and %zu adoptions up to this quarter (%.0f ms)",
	    qs, r->reg.nunits, r->led.nitems, r->led.nadoptions, run_now_ms() - t0);
	t0 = run_now_ms();
	score_quarter(&r->reg, &r->rules, &r->led, q, &r->res);
	r->scored = 1;
	run_log(o, "%s: scored %zu items of the quarter (%.0f ms)", qs,
	    r->res.nitems, run_now_ms() - t0);
	rc = 0;
cleanup:
	free(units);
	free(rules);
	return rc;
}

/* Takes the lock and publishes files into OUT/sub.  Returns an exit code. */
int
run_publish(const struct options *o, const char *sub, const out_file_t *files,
    size_t n, diag_list_t *dl)
{
	char *dir = xasprintf("%s/%s", o->out, sub);
	int fd = -1, rc = EX_CANTCREAT_;
	size_t written = 0;

	run_progress(o, "publishing", sub);
	switch (publish_lock(o->out, sub, o->wait, &fd, dl)) {
	case PUB_OK:
		break;
	case PUB_LOCKED:
		rc = EX_TEMPFAIL_;
		goto cleanup;
	default:
		goto cleanup;
	}
	if (publish_files(dir, files, n, &written, dl) != PUB_OK)
		goto cleanup;
	run_log(o, "published %s: %zu of %zu files changed", dir, written, n);
	rc = 0;
cleanup:
	publish_unlock(fd);
	free(dir);
	return rc;
}

/* Serializes doc (NULL: none) as notice.xml and notes whether the formats
 * ask for its PDF.  Returns 0, or -1 after adding errors to dl. */
int
run_notice_begin(const struct options *o, const doc_t *doc,
    struct notice_out *n, diag_list_t *dl)
{
	memset(n, 0, sizeof *n);
	buf_init(&n->xml);
	buf_init(&n->pdf);
	n->doc = doc;
	n->fonts = o->fonts;
	n->want_pdf = doc != NULL && (o->formats & FMT_PDF);
	if (doc == NULL)
		return 0;
	return docxml_write(doc, &n->xml, dl);
}

/* Renders the PDF into n->pdf; its messages go to dl, after the ones
 * before them.  Returns 0 or -1. */
static int
notice_pdf(struct notice_out *n, diag_list_t *dl)
{
	diag_list_t own = { 0 };
	int rc = render_pdf(n->doc, n->fonts, &n->pdf, &own);

	/* a backend that fails must say so, even when its library did not */
	if (rc != 0 && own.errors == 0)
		diag_error(&own, NULL, 0, "cannot render the notice as PDF: "
		    "the PDF backend failed without saying why (out of memory?)");
	diag_move(dl, &own);
	return rc;
}

void
run_notice_free(struct notice_out *n)
{
	buf_free(&n->xml);
	buf_free(&n->pdf);
}

/*
 * Renders the portal page of n->doc linking to files[0..nfiles) (offered
 * for download: the names in `offers`, in that order) and appends
 * index.html, index.fragment.html and tongbao.css to files.  Returns 0 or
 * -1.
 */
static int
render_portal(const struct options *o, const char *sub,
    const struct notice_out *n, out_file_t *files, size_t *nfiles,
    const char *const *offers, buf_t *html, buf_t *fragment, buf_t *css,
    diag_list_t *dl)
{
	html_file_t *hf = xcalloc(*nfiles + 1, sizeof *hf);
	bool *taken = xcalloc(*nfiles + 1, sizeof *taken);
	char *base = o->base_url == NULL ? NULL :
	    xasprintf("%s%s/", o->base_url, sub);
	html_links_t links = { hf, 0, base };
	size_t e0;
	int rc;

	for (const char *const *off = offers; *off != NULL; off++)
		for (size_t i = 0; i < *nfiles; i++)
			if (!taken[i] && strcmp(files[i].name, *off) == 0) {
				hf[links.nfiles++] = (html_file_t){ files[i].name,
				    files[i].data->len, true };
				taken[i] = true;
			}
	for (size_t i = 0; i < *nfiles; i++)
		if (!taken[i])
			hf[links.nfiles++] = (html_file_t){ files[i].name,
			    files[i].data->len, false };
	e0 = dl->errors;
	rc = render_html_links(n->doc, o->templates, &links, html, fragment,
	    css, dl);
	if (rc != 0 && dl->errors == e0)
		diag_error(dl, NULL, 0, "cannot render the notice as HTML: the "
		    "HTML backend failed without saying why (out of memory?)");
	if (rc == 0) {
		files[(*nfiles)++] = (out_file_t){ "index.html", html, false };
		files[(*nfiles)++] = (out_file_t){ "index.fragment.html",
		    fragment, false };
		files[(*nfiles)++] = (out_file_t){ "tongbao.css", css, false };
	}
	free(base);
	free(taken);
	free(hf);
	return rc;
}

/*
 * Publishes into OUT/sub, all or nothing: the CSV files (and workbooks),
 * the notice begun by notice_begin (n: notice.xml, its PDF made here,
 * then its portal page, which links to all of these with the `offers`
 * listed for download), and the `more` files (already rendered: the
 * statements).  Returns an exit code.
 */
int
run_render_and_publish(const struct options *o, const char *sub,
    struct notice_out *n, const out_file_t *csv, size_t ncsv,
    const out_file_t *more, size_t nmore, const char *const *offers,
    diag_list_t *dl)
{
	buf_t html, fragment, css;
	out_file_t *files = xcalloc(ncsv + nmore + 8, sizeof *files);
	size_t n_ = 0;
	int rc = EX_CANTCREAT_;
	double t0 = run_now_ms();

	buf_init(&html);
	buf_init(&fragment);
	buf_init(&css);
	for (size_t i = 0; (o->formats & FMT_CSV) && i < ncsv; i++)
		files[n_++] = csv[i];
	if (n->doc != NULL)
		files[n_++] = (out_file_t){ "notice.xml", &n->xml, false };
	if (n->want_pdf) {
		run_progress(o, "rendering the notice", sub);
		if (notice_pdf(n, dl) != 0)
			goto cleanup;
		/* the archive's copy: a replaced PDF is kept under superseded/ */
		files[n_++] = (out_file_t){ "tongbao.pdf", &n->pdf, true };
	}
	for (size_t i = 0; i < nmore; i++)
		files[n_++] = more[i];
	if (n->doc != NULL && (o->formats & FMT_HTML)) {
		run_progress(o, "rendering the portal page", sub);
		if (render_portal(o, sub, n, files, &n_, offers, &html,
		    &fragment, &css, dl) != 0)
			goto cleanup;
	}
	if (n->doc != NULL)
		run_log(o, "%s: rendered the notice: PDF %zu bytes, HTML %zu bytes (%.0f ms)",
		    sub, n->pdf.len, html.len, run_now_ms() - t0);
	rc = run_publish(o, sub, files, n_, dl);
cleanup:
	free(files);
	buf_free(&html);
	buf_free(&fragment);
	buf_free(&css);
	return rc;
}

/* A local (UTC+8) tb_time as a time_t: the fixed creation date of a
 * workbook, so that the same data gives the same bytes. */
time_t
run_local_time(tb_time t)
{
	return (time_t)(t - 8 * 60) * 60;
}

/* The workbook twin of a CSV output (SPEC 3.5): the same rows and
 * figures, made from the CSV bytes themselves so they cannot differ.
 * Returns 0 or EX_CANTCREAT_. */
int
run_workbook(const struct options *o, const char *sub, const char *name,
    const buf_t *csv, const char *group_col, const char *all, tb_time when,
    buf_t *out, diag_list_t *dl)
{
	char *err = NULL, *path;
	int e;

	errno = 0;
	if (xlsx_from_csv(csv, group_col, all, run_local_time(when), out,
	    &err) == 0)
		return 0;
	/* libxlsxwriter builds it in a temporary file: the system's reason
	 * (a full disk) is errno's */
	e = errno;
	path = xasprintf("%s/%s/%s", o->out, sub, name);
	diag_error(dl, path, 0, "cannot make %s: %s%s%s%s", name, err,
	    e ? " (" : "", e ? strerror(e) : "", e ? ")" : "");
	free(path);
	free(err);
	return EX_CANTCREAT_;
}

scored_quarter_t
run_scored(const struct quarter_run *r)
{
	return (scored_quarter_t){ &r->reg, &r->rules, &r->led, &r->res };
}

/*
 * A partial run (--formats csv) into a folder that holds the other formats
 * from an earlier run would publish a set whose parts disagree: a new
 * scores.csv beside an old tongbao.pdf and index.html.  So the formats
 * already published in OUT/sub are refreshed with the ones asked for, and
 * the set stays one (README, "Publication").  Returns the formats to make.
 */
unsigned
run_formats_to_make(const struct options *o, const char *sub, bool year)
{
	static const struct { const char *name; unsigned fmt; bool year; }
	marks[] = {
		{ "scores.csv", FMT_CSV, false }, { "scores.xlsx", FMT_CSV, false },
		{ "adoptions.csv", FMT_CSV, false },
		{ "followups.csv", FMT_CSV, false },
		{ "annual.csv", FMT_CSV, true }, { "annual.xlsx", FMT_CSV, true },
		{ "workers.csv", FMT_CSV, true }, { "workers.xlsx", FMT_CSV, true },
		{ "tongbao.pdf", FMT_PDF, false }, { "tongbao.pdf", FMT_PDF, true },
		{ "biaozhang.pdf", FMT_PDF, true },
		{ "index.html", FMT_HTML, false }, { "index.html", FMT_HTML, true },
		{ "index.fragment.html", FMT_HTML, false },
		{ "index.fragment.html", FMT_HTML, true },
		{ "biaozhang.html", FMT_HTML, true },
		{ "units.pdf", FMT_UNITS, false },
	};
	static const char *const names[] = { "csv", "pdf", "html", "units" };
	char *dir = xasprintf("%s/%s", o->out, sub);
	unsigned have = 0, more;

	for (size_t i = 0; i < ARRAY_LEN(marks); i++)
		if (marks[i].year == year && publish_has(dir, marks[i].name))
			have |= marks[i].fmt;
	more = have & ~o->formats;
	if (more != 0) {
		buf_t b;

		buf_init(&b);
		for (size_t k = 0; k < ARRAY_LEN(names); k++)
			if (more & (1u << k))
				buf_printf(&b, "%s%s", b.len ? ", " : "", names[k]);
		run_log(o, "%s: also refreshing %s: %s holds them from an earlier "
		    "run, and a published set is never half new", sub, b.data,
		    dir);
		buf_free(&b);
	}
	free(dir);
	return o->formats | have;
}
