/*
 * fuzz_csv.c - libFuzzer target for the CSV ledger reader (gen/read/csvread.c)
 * and the ledger stage behind it (gen/read/ledger.c, then gen/score/score.c).
 *
 * Each input is:
 *  1. parsed in memory with csv_parse_table() under the three encodings
 *     (auto, UTF-8 forced, GB18030 forced).  On success every row has the
 *     header's number of fields, every field and header name is valid
 *     UTF-8, lines never go backwards; on failure at least one error was
 *     reported.  A parsed table is written back with csv_put_field() and
 *     parsed again: the same header, rows and fields must come back (this
 *     checks the writer's quoting, which scores.csv relies on); and it is
 *     parsed once more by libcsv alone (no fast path for plain lines): the
 *     same result, table and messages;
 *  2. written as DATA/2017Q1/submissions.csv of a scratch data folder (the
 *     part after a form feed, if any, as adoptions.csv) and
 *     loaded with ledger_load() against the samples' registry and rules
 *     (loaded once), then scored when it validates - the path the program
 *     takes.  Return codes must agree with the error count.
 * A broken invariant aborts.  TB_TOP (the repository, set by the build)
 * locates samples/ and templates/schema/.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "ledger.h"
#include "score.h"
#include "table.h"
#include "text.h"
#include "util.h"

#ifndef TB_TOP
#define TB_TOP "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz_csv: %s:%d: check failed: %s\n", \
	    __FILE__, __LINE__, #c); abort(); } } while (0)

static registry_t reg;
static rules_t rules;
static char datadir[] = "/tmp/tb-fuzz-csv-XXXXXX";
static char *subfile, *adofile;

static void
cleanup_dir(void)
{
	unlink(subfile);
	unlink(adofile);
	free(subfile);
	free(adofile);
	subfile = adofile = NULL;
	{
		char *q = xasprintf("%s/2017Q1", datadir);
		rmdir(q);
		free(q);
	}
	rmdir(datadir);
	registry_free(&reg);
	rules_free(&rules);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	diag_list_t dl;
	char *q = NULL;

	(void)argc; (void)argv;
	memset(&dl, 0, sizeof dl);
	if (registry_load(TB_TOP "/samples/units.xml", TB_TOP "/templates/schema",
	    &reg, &dl) != 0 || rules_load(TB_TOP "/samples/rules.xml",
	    TB_TOP "/templates/schema", &reg, &rules, &dl) != 0) {
		diag_print(&dl, stderr);
		abort();
	}
	diag_free(&dl);
	if (mkdtemp(datadir) == NULL)
		abort();
	q = xasprintf("%s/2017Q1", datadir);
	if (mkdir(q, 0700) != 0)
		abort();
	subfile = xasprintf("%s/submissions.csv", q);
	adofile = xasprintf("%s/adoptions.csv", q);
	free(q);
	atexit(cleanup_dir);
	return 0;
}

/* Each diagnostic is one line without control characters (messages quote
 * fields, which may hold line breaks). */
static void
check_diags(const diag_list_t *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		CHECK(dl->v[i].msg != NULL);
		for (const char *p = dl->v[i].msg; *p != '\0'; p++)
			CHECK((unsigned char)*p >= 0x20 && *p != 0x7F);
	}
}

static void
check_valid(const char *s)
{
	CHECK(s != NULL);
	CHECK(utf8_invalid_at(s, strlen(s)) == (size_t)-1);
}

/* Writes t back as CSV (UTF-8 with a BOM, CRLF) and parses it again: the
 * same header names, rows and fields must come back. */
static void
round_trip(const table_t *t)
{
	buf_t b;
	table_t t2;
	diag_list_t dl;
	size_t i, j;

	/* header names are trimmed: a header of blank names ("\f") would be
	 * written back as a blank line, which is no header at all */
	for (j = 0; j < t->ncols && t->cols[j][0] == '\0'; j++)
		;
	if (j == t->ncols)
		return;
	buf_init(&b);
	memset(&dl, 0, sizeof dl);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (j = 0; j < t->ncols; j++) {
		if (j > 0)
			buf_putc(&b, ',');
		csv_put_field(&b, t->cols[j]);
	}
	buf_puts(&b, "\r\n");
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				buf_putc(&b, ',');
			csv_put_field(&b, t->rows[i].f[j]);
		}
		buf_puts(&b, "\r\n");
	}
	CHECK(csv_parse_table("rt.csv", b.data, b.len, ENC_UTF8, &t2, &dl) == 0);
	CHECK(t2.ncols == t->ncols);
	CHECK(t2.nrows == t->nrows);
	for (j = 0; j < t->ncols; j++)
		CHECK(strcmp(t2.cols[j], t->cols[j]) == 0);
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++)
			CHECK(strcmp(t2.rows[i].f[j], t->rows[i].f[j]) == 0);
	table_free(&t2);
	diag_free(&dl);
	buf_free(&b);
}

/* libcsv alone (csv_set_fast_path(false)) must give what the reader gave
 * with its fast path for plain lines: the same result, table and messages. */
static void
same_without_fast_path(const uint8_t *data, size_t size, enum csv_encoding enc,
    int rc, const table_t *t, const diag_list_t *dl)
{
	table_t t2;
	diag_list_t dl2;
	int rc2;

	memset(&dl2, 0, sizeof dl2);
	csv_set_fast_path(false);
	rc2 = csv_parse_table("fuzz.csv", (const char *)data, size, enc, &t2, &dl2);
	csv_set_fast_path(true);
	CHECK(rc2 == rc);
	CHECK(dl2.n == dl->n);
	for (size_t i = 0; i < dl->n; i++) {
		CHECK(dl2.v[i].line == dl->v[i].line);
		CHECK(strcmp(dl2.v[i].msg, dl->v[i].msg) == 0);
	}
	CHECK(t2.nrows == t->nrows && t2.ncols == t->ncols);
	CHECK(t2.header_line == t->header_line);
	for (size_t j = 0; j < t->ncols; j++)
		CHECK(strcmp(t2.cols[j], t->cols[j]) == 0);
	for (size_t i = 0; i < t->nrows; i++) {
		CHECK(t2.rows[i].line == t->rows[i].line);
		for (size_t j = 0; j < t->ncols; j++)
			CHECK(strcmp(t2.rows[i].f[j], t->rows[i].f[j]) == 0);
	}
	table_free(&t2);
	diag_free(&dl2);
}

static void
parse_in_memory(const uint8_t *data, size_t size, enum csv_encoding enc)
{
	table_t t;
	diag_list_t dl;
	size_t i, j;
	long last;
	int rc;

	memset(&dl, 0, sizeof dl);
	rc = csv_parse_table("fuzz.csv", (const char *)data, size, enc, &t, &dl);
	if (rc == 0) {
		CHECK(dl.errors == 0);
		CHECK(t.ncols > 0);
		for (j = 0; j < t.ncols; j++)
			check_valid(t.cols[j]);
		last = t.header_line;
		CHECK(last >= 1);
		for (i = 0; i < t.nrows; i++) {
			CHECK(t.rows[i].line > last);
			last = t.rows[i].line;
			for (j = 0; j < t.ncols; j++)
				check_valid(t.rows[i].f[j]);
		}
		round_trip(&t);
	} else {
		CHECK(rc == -1);
		CHECK(dl.errors > 0);
		CHECK(t.nrows == 0 && t.rows == NULL);
	}
	check_diags(&dl);
	same_without_fast_path(data, size, enc, rc, &t, &dl);
	table_free(&t);
	diag_free(&dl);
}

static void
put_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	CHECK(fp != NULL);
	CHECK(size == 0 || fwrite(data, 1, size, fp) == size);
	CHECK(fclose(fp) == 0);
}

/* The part before the first form feed is the submissions ledger, the part
 * after it (if any) the adoptions ledger. */
static void
load_ledger(const uint8_t *data, size_t size)
{
	const uint8_t *ff = size > 0 ? memchr(data, '\f', size) : NULL;
	ledger_opts_t lo = { ENC_AUTO, TB_TOP "/templates/schema" };
	ledger_t led;
	results_t res;
	diag_list_t dl;
	int rc;

	if (ff != NULL) {
		put_file(subfile, data, (size_t)(ff - data));
		put_file(adofile, ff + 1, size - (size_t)(ff - data) - 1);
	} else {
		put_file(subfile, data, size);
		unlink(adofile);
	}
	memset(&dl, 0, sizeof dl);
	memset(&led, 0, sizeof led);
	rc = ledger_load(datadir, tb_quarter_make(2017, 1), &reg, &rules, &lo,
	    &led, &dl);
	if (rc == 0) {
		CHECK(dl.errors == 0);
		memset(&res, 0, sizeof res);
		score_quarter(&reg, &rules, &led, tb_quarter_make(2017, 1), &res);
		results_free(&res);
	} else {
		CHECK(dl.errors > 0);
	}
	check_diags(&dl);
	ledger_free(&led);
	diag_free(&dl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	parse_in_memory(data, size, ENC_AUTO);
	parse_in_memory(data, size, ENC_UTF8);
	parse_in_memory(data, size, ENC_GB18030);
	load_ledger(data, size);
	return 0;
}
