/*
 * diag.c - the error list (see diag.h).  Messages keep the order in which
 * the stages found them, so a file's problems read top to bottom.
 *
 * A message often quotes the input (a unit name, a DOCTYPE's system id, a
 * CSV field with line breaks in it), so diag_add() turns every control
 * character of the message into a space: one diagnostic is always one
 * line, and a hostile ledger can neither forge further "FILE:LINE: error:"
 * lines nor send terminal escapes to the operator's screen or to cron mail.
 * The characters that hide or reorder text (text.h: bidi overrides,
 * zero-width, C1 controls) are shown as <U+202E>: a message quoting a
 * unit name with an override reads as what the file holds, not reversed.
 *
 * Errors are counted per file (a handful of files per run: a list is
 * enough); tallies are found by file and message through a string map, so
 * a million rows with the same warning cost one entry.
 */
#include "diag.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TALLY_LINES 5           /* line numbers quoted in a tally */

struct diag_file {
	char   *file;
	size_t  errors;             /* all errors of the file */
	size_t  hidden;             /* those beyond DIAG_MAX_PER_FILE */
};

struct diag_tally {
	char   *file;
	char   *what;               /* "items", "rows" ... */
	char   *msg;
	size_t  count;
	long    lines[TALLY_LINES];
};

/* The message, control characters made spaces.  Caller frees. */
static char *
format_msg(const char *fmt, va_list ap)
{
	buf_t b;
	char *p, *msg;

	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	msg = buf_steal(&b);
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	if (text_hidden_at(msg, NULL) != (size_t)-1) {
		const char *q = msg;
		size_t off;
		uint32_t cp;

		buf_init(&b);
		while ((off = text_hidden_at(q, &cp)) != (size_t)-1) {
			const char *next = q + off;

			buf_add(&b, q, off);
			buf_printf(&b, "<U+%04X>", (unsigned)cp);
			utf8_next(&next);
			q = next;
		}
		buf_puts(&b, q);
		free(msg);
		msg = buf_steal(&b);
	}
	return msg;
}

/* The error counter of file (NULL: errors of no file are never capped). */
static struct diag_file *
file_of(diag_list_t *dl, const char *file)
{
	if (file == NULL)
		return NULL;
	for (size_t i = 0; i < dl->nfiles; i++)
		if (strcmp(dl->files[i].file, file) == 0)
			return &dl->files[i];
	xgrow(&dl->files, &dl->capfiles, dl->nfiles + 1, sizeof *dl->files);
	dl->files[dl->nfiles] = (struct diag_file){ .file = xstrdup(file) };
	return &dl->files[dl->nfiles++];
}

static void
push(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    char *msg)
{
	diag_t *d;

	xgrow(&dl->v, &dl->cap, dl->n + 1, sizeof *dl->v);
	d = &dl->v[dl->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->sev = sev;
	d->msg = msg;
}

void
diag_vadd(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, va_list ap)
{
	struct diag_file *f;

	if (sev == DIAG_ERROR) {
		dl->errors++;
		f = file_of(dl, file);
		if (f != NULL && ++f->errors > DIAG_MAX_PER_FILE) {
			f->hidden++;
			return;
		}
	} else if (sev == DIAG_WARNING || sev == DIAG_NOTICE) {
		dl->warnings++;
	}
	push(dl, sev, file, line, format_msg(fmt, ap));
}

void
diag_add(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, sev, file, line, fmt, ap);
	va_end(ap);
}

void
diag_tally(diag_list_t *dl, const char *file, long line, const char *what,
    const char *fmt, ...)
{
	va_list ap;
	char *msg, *key;
	size_t k;
	struct diag_tally *t;

	va_start(ap, fmt);
	msg = format_msg(fmt, ap);
	va_end(ap);
	key = xasprintf("%s\x1f%s", file ? file : "", msg);
	if (strmap_get(&dl->tallymap, key, &k)) {
		free(msg);
	} else {
		k = dl->ntallies;
		xgrow(&dl->tallies, &dl->captallies, k + 1, sizeof *dl->tallies);
		dl->tallies[k] = (struct diag_tally){ .file = file ? xstrdup(file) :
		    NULL, .what = xstrdup(what), .msg = msg };
		dl->ntallies++;
		strmap_put(&dl->tallymap, key, k, NULL);
	}
	free(key);
	t = &dl->tallies[k];
	if (t->count < TALLY_LINES)
		t->lines[t->count] = line;
	t->count++;
}

void
diag_flush(diag_list_t *dl)
{
	for (size_t i = 0; i < dl->ntallies; i++) {
		struct diag_tally *t = &dl->tallies[i];
		buf_t b;

		buf_init(&b);
		if (t->count == 1) {
			buf_puts(&b, t->msg);
		} else {
			buf_printf(&b, "%zu %s: %s (lines ", t->count, t->what,
			    t->msg);
			for (size_t k = 0; k < t->count && k < TALLY_LINES; k++)
				buf_printf(&b, "%s%ld", k ? ", " : "", t->lines[k]);
			buf_puts(&b, t->count > TALLY_LINES ? ", …)" : ")");
		}
		dl->warnings++;
		push(dl, DIAG_WARNING, t->file, t->lines[0], buf_steal(&b));
		free(t->file);
		free(t->what);
		free(t->msg);
	}
	free(dl->tallies);
	dl->tallies = NULL;
	dl->ntallies = dl->captallies = 0;
	strmap_free(&dl->tallymap);
	for (size_t i = 0; i < dl->nfiles; i++) {
		struct diag_file *f = &dl->files[i];

		if (f->hidden == 0)
			continue;
		push(dl, DIAG_ERROR, f->file, 0, xasprintf("%zu further error%s "
		    "in this file not shown", f->hidden, f->hidden == 1 ? "" :
		    "s"));
		f->errors -= f->hidden;   /* shown from now on: the count */
		f->hidden = 0;
	}
}

char *
diag_format(const diag_t *d)
{
	/* a notice is a warning that -q does not silence */
	const char *sev = d->sev == DIAG_ERROR ? "error" :
	    d->sev == DIAG_WARNING || d->sev == DIAG_NOTICE ? "warning" :
	    "note";

	if (d->file && d->line > 0)
		return xasprintf("%s:%ld: %s: %s", d->file, d->line, sev, d->msg);
	if (d->file)
		return xasprintf("%s: %s: %s", d->file, sev, d->msg);
	return xasprintf("tongbao: %s: %s", sev, d->msg);
}

void
diag_print(const diag_list_t *dl, FILE *fp)
{
	for (size_t i = 0; i < dl->n; i++) {
		char *s = diag_format(&dl->v[i]);
		fprintf(fp, "%s\n", s);
		free(s);
	}
}

void
diag_free(diag_list_t *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].msg);
	}
	for (size_t i = 0; i < dl->nfiles; i++)
		free(dl->files[i].file);
	for (size_t i = 0; i < dl->ntallies; i++) {
		free(dl->tallies[i].file);
		free(dl->tallies[i].what);
		free(dl->tallies[i].msg);
	}
	free(dl->v);
	free(dl->files);
	free(dl->tallies);
	strmap_free(&dl->tallymap);
	memset(dl, 0, sizeof *dl);
}

void
diag_move(diag_list_t *dst, diag_list_t *src)
{
	diag_flush(src);
	xgrow(&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v);
	for (size_t i = 0; i < src->n; i++)
		dst->v[dst->n++] = src->v[i];
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	src->n = 0;
	diag_free(src);
}
