/*
 * diag.c - the error list (see diag.h).  Messages keep the order in which
 * the stages found them, so a file's problems read top to bottom.
 *
 * A message often quotes the input (a unit name, a DOCTYPE's system id, a
 * CSV field with line breaks in it), so diag_add() turns every control
 * character of the message into a space: one diagnostic is always one
 * line, and a hostile ledger can neither forge further "FILE:LINE: error:"
 * lines nor send terminal escapes to the operator's screen or to cron mail.
 */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

void
diag_add(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, ...)
{
	diag_t *d;
	buf_t b;
	va_list ap;
	char *p;

	xgrow(&dl->v, &dl->cap, dl->n + 1, sizeof *dl->v);
	d = &dl->v[dl->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->sev = sev;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->msg = buf_steal(&b);
	for (p = d->msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	if (sev == DIAG_ERROR)
		dl->errors++;
	else
		dl->warnings++;
}

char *
diag_format(const diag_t *d)
{
	const char *sev = d->sev == DIAG_ERROR ? "error" : "warning";

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
	free(dl->v);
	dl->v = NULL;
	dl->n = dl->cap = dl->errors = dl->warnings = 0;
}

void
diag_move(diag_list_t *dst, diag_list_t *src)
{
	xgrow(&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v);
	for (size_t i = 0; i < src->n; i++)
		dst->v[dst->n++] = src->v[i];
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->v);
	src->v = NULL;
	src->n = src->cap = src->errors = src->warnings = 0;
}
