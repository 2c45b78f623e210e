/*
 * ledger_fields.c - what every ledger's fields go through besides their
 * own checks: the characters that hide or reorder text (refused in ids
 * and names, removed with a warning from titles and notes: README,
 * "Hostile inputs"), and the times (every form SPEC 3.4 allows, within
 * the quarter of the folder).  Part of the ledger loader (ledger_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "ledger_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Characters that can hide or reorder text (text.h: bidi overrides,
 * zero-width, control characters).  In a name, an id, a number or a time
 * (a unit shown reversed, two ids that look alike, 1\u200B200 read as
 * anything at all) each is an error, and the row is not read further.  In
 * free text (a title, a note) they are removed from the copy the ledger
 * keeps (strip_hidden) with one tallied warning per file and column: the
 * notice never carries them.
 */

/* The error for field k holding one (s; cp the first). */
static void
hidden_error(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, int k, long line, const char *s, uint32_t cp)
{
	diag_error(L->dl, t->file, line, "%s%s (%s) \"%s\" holds U+%04X, %s, "
	    "which hides or reorders text: remove it", lg_cell_of(t, idx, k,
	    line).s, cols[k].cn, cols[k].en, s, (unsigned)cp,
	    text_hidden_name(cp));
}

/*
 * Where a name, number or time could not be read (an unknown unit, a time
 * of no known form): true, after the error, when that is because it holds
 * such a character - the message the clerk can act on.  A field that is
 * read never holds one (the lookups and parsers take none), so the rows
 * that read cost nothing more.
 */
bool
lg_hidden_instead(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, int k, long line, const char *s)
{
	uint32_t cp;

	if (text_hidden_at(s, &cp) == (size_t)-1)
		return false;
	hidden_error(L, t, idx, cols, k, line, s, cp);
	return true;
}

/*
 * Checks the fields of row f that are kept as they are written (ids,
 * names no list checks: `mask` has a bit for each column to check; the
 * others are read by a lookup or a parser, which refuses them, see
 * hidden_instead).  Free-text columns are not checked here
 * (strip_hidden).  Returns true after an error.
 */
bool
lg_hidden_in_row(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, size_t ncols, unsigned long mask, row_f f,
    long line)
{
	bool bad = false;

	for (size_t k = 0; k < ncols; k++) {
		uint32_t cp;

		if (!(mask & (1ul << k)) || cols[k].free_text || idx[k] < 0 ||
		    text_hidden_at(f[idx[k]], &cp) == (size_t)-1)
			continue;
		hidden_error(L, t, idx, cols, (int)k, line, f[idx[k]], cp);
		bad = true;
	}
	return bad;
}

/* A copy of free-text field k (s) in the ledger's arena, without such
 * characters; one warning, tallied, when it had any. */
char *
lg_strip_hidden(struct loader *L, const table_t *t, const frame_col_t *cols,
    int k, long line, const char *s, const char *what)
{
	char *c = arena_strdup(&L->led->strings, s);

	if (text_strip_hidden(c, NULL) > 0)
		diag_tally(L->dl, t->file, line, what, "%s (%s) held characters "
		    "that hide or reorder text (direction controls, zero-width or "
		    "control characters): removed", cols[k].cn, cols[k].en);
	return c;
}

/*
 * Parses time field k of a row; reports a bad one with the forms that are
 * accepted.  *date_only (may be NULL): the cell gave a day, no clock time.
 * Returns 0 or -1.
 */
int
lg_parse_time(struct loader *L, const table_t *t, const long *idx, long line,
    const frame_col_t *cols, int k, const char *s, tb_time *out,
    bool *date_only)
{
	bool day;

	if (tb_time_parse_ex(s, out, &day)) {
		if (date_only != NULL)
			*date_only = day;
		return 0;
	}
	if (lg_hidden_instead(L, t, idx, cols, k, line, s))
		return -1;
	diag_error(L->dl, t->file, line, "%sinvalid time \"%s\" in %s (%s); "
	    "accepted forms: %s", lg_cell_of(t, idx, k, line).s, s, cols[k].cn,
	    cols[k].en, tb_time_forms);
	return -1;
}

int
lg_check_in_quarter(struct loader *L, const table_t *t, const long *idx,
    long line, const frame_col_t *cols, int k, tb_time when, tb_quarter q)
{
	char qs[16], ts[32];

	if (tb_quarter_of(when) == q)
		return 0;
	tb_quarter_format(q, qs, sizeof qs);
	tb_time_format(when, ts, sizeof ts);
	diag_error(L->dl, t->file, line,
	    "%s%s %s is outside %s, the quarter of this folder",
	    lg_cell_of(t, idx, k, line).s, cols[k].cn, ts, qs);
	return -1;
}
