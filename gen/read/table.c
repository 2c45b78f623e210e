/*
 * table.c - the table_t both ledger readers produce (see table.h): freeing
 * it, finding a column by name, and the arena its fields live in.
 *
 * A ledger of a million rows has ten million fields; allocating each with
 * malloc() costs more than parsing the CSV.  So a reader may take its rows'
 * field arrays and strings from an arena (util.h) owned by the table and
 * freed together by table_free().  A table built without the
 * arena (arena == NULL) owns each string and array separately instead.
 */
#include "table.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *
table_alloc(table_t *t, size_t n)
{
	return arena_alloc(&t->arena, n);
}

char *
table_strndup(table_t *t, const char *s, size_t n)
{
	return arena_strndup(&t->arena, s, n);
}

void
table_free(table_t *t)
{
	if (t == NULL)
		return;
	if (t->arena.head != NULL) {
		arena_free(&t->arena);
	} else {
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->rows[r].f == NULL)
				continue;
			for (size_t c = 0; c < t->ncols; c++)
				free(t->rows[r].f[c]);
			free(t->rows[r].f);
		}
	}
	free(t->rows);
	if (t->cols != NULL)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->cols[c]);
	free(t->cols);
	free(t->file);
	memset(t, 0, sizeof *t);
}

void
cell_name(long col, long row, char *buf, size_t n)
{
	char letters[8];
	size_t k = sizeof letters - 1;

	letters[k] = '\0';
	for (long c = col + 1; c > 0 && k > 0; c = (c - 1) / 26)
		letters[--k] = (char)('A' + (c - 1) % 26);
	snprintf(buf, n, "%s%ld", letters + k, row);
}

const char *
table_cell(const table_t *t, long col, long line, char *buf, size_t n)
{
	size_t len;

	buf[0] = '\0';
	if (t == NULL || !t->cells || col < 0 || line <= 0)
		return buf;
	cell_name(col, line, buf, n);
	len = strlen(buf);
	snprintf(buf + len, n - len, ": ");
	return buf;
}

long
table_col(const table_t *t, const char *const *names, size_t nnames)
{
	char **keys = NULL;
	char *k = NULL;
	long found = -1;

	if (t == NULL || nnames == 0)
		goto cleanup;
	keys = xcalloc(nnames, sizeof *keys);
	for (size_t i = 0; i < nnames; i++)
		keys[i] = name_key(names[i]);
	for (size_t c = 0; c < t->ncols && found < 0; c++) {
		k = name_key(t->cols[c]);
		for (size_t i = 0; i < nnames; i++)
			if (strcmp(k, keys[i]) == 0) {
				found = (long)c;
				break;
			}
		free(k);
		k = NULL;
	}
cleanup:
	if (keys != NULL)
		for (size_t i = 0; i < nnames; i++)
			free(keys[i]);
	free(keys);
	return found;
}
