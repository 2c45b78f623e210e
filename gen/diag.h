/*
 * diag.h - the error list.  Every stage below main() reports problems by
 * appending to a diag_list and returning a status; only main() decides the
 * exit code.  Messages are printed as "FILE:LINE: error: message" (or
 * "warning:"), in the order they were found.
 */
#ifndef TB_DIAG_H
#define TB_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_sev { DIAG_WARNING, DIAG_ERROR };

typedef struct diag {
	char          *file;    /* path as given on the command line; may be NULL */
	long           line;    /* 1-based; 0 when the problem is the whole file */
	enum diag_sev  sev;
	char          *msg;
} diag_t;

typedef struct diag_list {
	diag_t *v;
	size_t  n, cap;
	size_t  errors, warnings;
} diag_list_t;

void diag_add(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(dl, f, l, ...)   diag_add((dl), DIAG_ERROR, (f), (l), __VA_ARGS__)
#define diag_warning(dl, f, l, ...) diag_add((dl), DIAG_WARNING, (f), (l), __VA_ARGS__)
/* Formats one diagnostic as "FILE:LINE: error: msg" (no newline). Caller frees. */
char *diag_format(const diag_t *d);
void diag_print(const diag_list_t *dl, FILE *fp);
void diag_free(diag_list_t *dl);
/* Moves every entry of src to the end of dst, in order; src is left empty. */
void diag_move(diag_list_t *dst, diag_list_t *src);

#endif
