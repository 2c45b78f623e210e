/*
 * run.h - what the commands share (run.c): messages, where the data and
 * the run's dates come from, a quarter loaded and scored, the notice's
 * outputs, rendering and publishing one folder.  Included by main.c and
 * the cmd_*.c files, which are the commands (main() calls them).
 */
#ifndef TB_RUN_H
#define TB_RUN_H

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "doc.h"
#include "ledger.h"
#include "publish.h"
#include "score.h"
#include "trend.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Everything one quarter needs, loaded and scored. */
struct quarter_run {
	tb_quarter  q;
	registry_t  reg;
	rules_t     rules;
	ledger_t    led;
	results_t   res;
	int         loaded, scored;
};

/*
 * The notice's outputs besides the portal page: notice.xml, made when the
 * notice is built, and its PDF, made when the files are gathered for
 * publication.  (The PDF used to be made on a thread of its own beside
 * the workbooks and the statements; measured, that gained nothing on the
 * sample quarter and year, README "Benchmark", and cost a second copy of
 * the rendering's memory, so it is made in turn.)
 */
struct notice_out {
	const doc_t *doc;          /* NULL: no notice */
	bool         want_pdf;
	buf_t        xml;          /* notice.xml */
	buf_t        pdf;
	const char  *fonts;
};

/* Messages: a line unless quiet; a progress line on a terminal. */
void run_log(const struct options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void run_progress(const struct options *o, const char *what, const char *sub);
double run_now_ms(void);
int run_is_dir(const char *p);
int run_is_file(const char *p);

/* The quarter asked for, or the one before today's.  Returns 0 or
 * EX_USAGE_. */
int run_target_quarter(const struct options *o, tb_quarter *q);
/* DATA/YYYYQn/NAME when the quarter overrides it, else DATA/NAME.
 * Caller frees. */
char *run_config_path(const char *data, tb_quarter q, const char *name);
/* The time the outputs are dated (run.c says which).  Returns 0 or -1. */
int run_input_time(const struct options *o, int year, int first, int last,
    bool annual, long long *t, diag_list_t *dl);

/* Loads and validates one quarter; scores it when the data is clean.
 * Returns 0 or EX_DATAERR_ (diagnostics in dl). */
int run_load_and_score(const struct options *o, tb_quarter q,
    struct quarter_run *r, diag_list_t *dl);
void quarter_run_free(struct quarter_run *r);
scored_quarter_t run_scored(const struct quarter_run *r);

/* The formats to make into OUT/sub: those asked for and those already
 * published there (run.c says why). */
unsigned run_formats_to_make(const struct options *o, const char *sub,
    bool year);
/* A local (UTC+8) tb_time as a time_t. */
time_t run_local_time(tb_time t);
/* The workbook twin of a CSV output.  Returns 0 or EX_CANTCREAT_. */
int run_workbook(const struct options *o, const char *sub, const char *name,
    const buf_t *csv, const char *group_col, const char *all, tb_time when,
    buf_t *out, diag_list_t *dl);

/* notice.xml of doc (NULL: none); its PDF comes in
 * run_render_and_publish().  Returns 0, or -1 after adding errors. */
int run_notice_begin(const struct options *o, const doc_t *doc,
    struct notice_out *n, diag_list_t *dl);
void run_notice_free(struct notice_out *n);
/* Takes the lock and publishes files into OUT/sub.  Returns an exit code. */
int run_publish(const struct options *o, const char *sub,
    const out_file_t *files, size_t n, diag_list_t *dl);
/* Publishes into OUT/sub, all or nothing: the CSV files, the notice (its
 * XML, PDF and portal page) and the `more` files.  Returns an exit code. */
int run_render_and_publish(const struct options *o, const char *sub,
    struct notice_out *n, const out_file_t *csv, size_t ncsv,
    const out_file_t *more, size_t nmore, const char *const *offers,
    diag_list_t *dl);

/* The commands besides `quarter` and `check` (main.c): exit codes. */
int cmd_year(const struct options *opt, diag_list_t *dl);
int cmd_template(const struct options *o, diag_list_t *dl);

#endif
