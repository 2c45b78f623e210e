/*
 * units.c - the unit heads' statements (Art 14) as files (see units.h).
 *
 * The 120 statements are independent documents, so they are rendered on
 * up to as many threads as there are cores (at most four): the PDF backend
 * keeps no global state, layout.c's one-time set-up is under pthread_once,
 * and a PDF's bytes do not depend on the thread that made it.  Each thread
 * collects its own diagnostics, merged afterwards in the units' order, so
 * the messages are the same on any machine.
 */
#define _POSIX_C_SOURCE 200809L
#include "units.h"
#include "render.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 4

/* A share of the statements to render on one thread: docs[from..to). */
struct render_job {
	const char   *fonts;
	doc_t *const *docs;
	buf_t        *pdf;
	char *const  *name;     /* units/ID.pdf of each */
	size_t        from, to;
	diag_list_t   dl;       /* the job's own: merged in job order after */
	int           rc;
};

/* A PDF that failed must say so, even when the backend did not (a font
 * library out of memory gives up without a word): every exit but 0 says
 * why. */
static void
failed_silently(diag_list_t *dl, size_t errors0, const char *name)
{
	if (dl->errors == errors0)
		diag_error(dl, NULL, 0, "%s: cannot render the PDF: the PDF backend "
		    "failed without saying why (out of memory?)", name);
}

static void *
render_range(void *arg)
{
	struct render_job *j = arg;

	for (size_t u = j->from; u < j->to && j->rc == 0; u++) {
		size_t e0 = j->dl.errors;

		if (render_pdf(j->docs[u], j->fonts, &j->pdf[u], &j->dl) != 0) {
			failed_silently(&j->dl, e0, j->name[u]);
			j->rc = -1;
		}
	}
	return NULL;
}

/* Renders docs[0..n) into pdf[0..n), one PDF each.  Returns 0 or -1. */
static int
render_each(const char *fonts, doc_t *const *docs, size_t n, buf_t *pdf,
    char *const *name, diag_list_t *dl)
{
	struct render_job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nj = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS :
	    (size_t)cores;
	int rc = 0;

	if (nj > n)
		nj = n ? n : 1;
	for (size_t k = 0; k < nj; k++) {
		jobs[k] = (struct render_job){ fonts, docs, pdf, name, n * k / nj,
		    n * (k + 1) / nj, { 0 }, 0 };
		/* the first share runs on this thread, and so does any share
		 * whose thread could not be started */
		started[k] = k > 0 &&
		    pthread_create(&tid[k], NULL, render_range, &jobs[k]) == 0;
	}
	for (size_t k = 0; k < nj; k++)
		if (!started[k])
			render_range(&jobs[k]);
	for (size_t k = 0; k < nj; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		if (jobs[k].rc != 0)
			rc = -1;
		diag_move(dl, &jobs[k].dl);
	}
	return rc;
}

enum units_status
unit_files_build(const char *templates, const char *fonts,
    const statement_in_t *in, unit_files_t *out, diag_list_t *dl)
{
	statement_tpl_t *tpl = NULL;
	doc_t **docs = NULL;
	size_t nd = 0;
	enum units_status rc = UNITS_BAD_TEMPLATE;

	memset(out, 0, sizeof *out);
	tpl = statement_tpl_load(templates, dl);
	if (tpl == NULL || statement_all(tpl, in, &docs, &nd, dl) != 0)
		goto cleanup;
	rc = UNITS_RENDER_FAILED;
	out->pdf = xcalloc(nd + 1, sizeof *out->pdf);
	out->name = xcalloc(nd + 1, sizeof *out->name);
	out->files = xcalloc(nd + 1, sizeof *out->files);
	for (size_t u = 0; u <= nd; u++) {
		buf_init(&out->pdf[u]);
		out->name[u] = u < nd ?
		    xasprintf("units/%s.pdf", in->reg->units[u].id) :
		    xstrdup("units.pdf");
		out->files[u] = (out_file_t){ out->name[u], &out->pdf[u], false };
		out->n++;
	}
	if (render_each(fonts, docs, nd, out->pdf, out->name, dl) != 0)
		goto cleanup;
	{
		size_t e0 = dl->errors;

		if (render_pdf_docs((const doc_t *const *)docs, nd, fonts,
		    &out->pdf[nd], dl) != 0) {
			failed_silently(dl, e0, out->name[nd]);
			goto cleanup;
		}
	}
	rc = UNITS_OK;
cleanup:
	statement_docs_free(docs, nd);
	statement_tpl_free(tpl);
	if (rc != UNITS_OK)
		unit_files_free(out);
	return rc;
}

void
unit_files_free(unit_files_t *u)
{
	for (size_t i = 0; i < u->n; i++) {
		buf_free(&u->pdf[i]);
		free(u->name[i]);
	}
	free(u->pdf);
	free(u->name);
	free(u->files);
	memset(u, 0, sizeof *u);
}
