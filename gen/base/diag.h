/*
 * diag.h - the error list.  Every stage below main() reports problems by
 * appending to a diag_list and returning a status; only main() decides the
 * exit code.  Messages are printed as "FILE:LINE: error: message" (or
 * "warning:", or "note:" for what the program did that the office may want
 * to know, such as footer rows it left out), in the order they were found.
 * Under -q only errors and notices are printed: a notice is a warning the
 * operator must hear all the same (a published file replaced, something
 * planted beside the output folder), printed and counted as a warning.
 *
 * Two rules keep a bad ledger's report readable (SPEC 3.4):
 *   - after DIAG_MAX_PER_FILE errors in one file the rest are counted, and
 *     diag_flush() adds one line saying how many were not shown;
 *   - a warning that would repeat on many rows of a file is *tallied*
 *     (diag_tally): diag_flush() prints it once, at its first line, with
 *     the number of rows and the first few line numbers.
 */
#ifndef TB_DIAG_H
#define TB_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "util.h"

/* In rising order of what must be heard: -q drops notes and warnings. */
enum diag_sev { DIAG_NOTE, DIAG_WARNING, DIAG_NOTICE, DIAG_ERROR };

#define DIAG_MAX_PER_FILE 50

typedef struct diag {
	char          *file;    /* path as given on the command line; may be NULL */
	long           line;    /* 1-based; 0 when the problem is the whole file */
	enum diag_sev  sev;
	char          *msg;
} diag_t;

struct diag_tally;
struct diag_file;

typedef struct diag_list {
	diag_t *v;
	size_t  n, cap;
	size_t  errors, warnings;          /* errors counts the unshown ones too */
	struct diag_file  *files;  size_t nfiles, capfiles;     /* error counts */
	struct diag_tally *tallies; size_t ntallies, captallies;
	strmap_t           tallymap;   /* "file\x1fmessage" -> tally */
} diag_list_t;

void diag_add(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* diag_add with a va_list. */
void diag_vadd(diag_list_t *dl, enum diag_sev sev, const char *file, long line,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
#define diag_error(dl, f, l, ...)   diag_add((dl), DIAG_ERROR, (f), (l), __VA_ARGS__)
#define diag_warning(dl, f, l, ...) diag_add((dl), DIAG_WARNING, (f), (l), __VA_ARGS__)
#define diag_note(dl, f, l, ...)    diag_add((dl), DIAG_NOTE, (f), (l), __VA_ARGS__)
#define diag_notice(dl, f, l, ...)  diag_add((dl), DIAG_NOTICE, (f), (l), __VA_ARGS__)
/*
 * A warning about one row that other rows of the file may share: rows of
 * `file` with the same message are printed as one warning by diag_flush(),
 * "N rows: MESSAGE (lines a, b, c, ...)".  `what` names the rows in that
 * line ("items", "adoptions").
 */
void diag_tally(diag_list_t *dl, const char *file, long line, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Turns the tallies into warnings and adds the "further errors" lines;
 * call once a stage has read its files.  Idempotent. */
void diag_flush(diag_list_t *dl);
/* Formats one diagnostic as "FILE:LINE: error: msg" (no newline). Caller frees. */
char *diag_format(const diag_t *d);
void diag_print(const diag_list_t *dl, FILE *fp);
void diag_free(diag_list_t *dl);
/* Moves every entry of src to the end of dst, in order; src is left empty
 * (src is flushed first). */
void diag_move(diag_list_t *dst, diag_list_t *src);

#endif
