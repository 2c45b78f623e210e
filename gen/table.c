/*
 * table.c - the table_t both ledger readers produce (see table.h): freeing
 * it, finding a column by name, and the arena its fields live in.
 *
 * A ledger of a million rows has ten million fields; allocating each with
 * malloc() costs more than parsing the CSV.  So a reader may take its rows'
 * field arrays and strings from an arena: a chain of large blocks owned by
 * the table and freed together by table_free().  A table built without the
 * arena (arena == NULL) owns each string and array separately instead.
 */
#include "table.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_MIN   ((size_t)64 * 1024)
#define ARENA_MAX   ((size_t)4 * 1024 * 1024)
#define ARENA_ALIGN sizeof(void *)

typedef struct arena_block {
	struct arena_block *next;   /* older blocks */
	size_t              used, cap;
	void               *pad;    /* keeps data pointer-aligned on any ABI */
	unsigned char       data[];
} arena_block_t;

/*
 * Returns n bytes from t's arena, aligned to `align` (a power of two, at
 * most ARENA_ALIGN).  A request that does not fit in the newest block gets
 * a new block; a big request gets a block of its own, chained behind the
 * newest so that block's free space is still used.
 */
static void *
arena_get(table_t *t, size_t n, size_t align)
{
	arena_block_t *a = t->arena, *nb;
	size_t off, size;

	if (a != NULL) {
		off = (a->used + align - 1) & ~(align - 1);
		if (off <= a->cap && n <= a->cap - off) {
			a->used = off + n;
			return a->data + off;
		}
	}
	size = a != NULL ? a->cap * 2 : ARENA_MIN;
	if (size > ARENA_MAX)
		size = ARENA_MAX;
	if (n > size / 4 && a != NULL) {
		/* dedicated block, behind the current one */
		nb = xmalloc(sizeof *nb + n);
		nb->used = nb->cap = n;
		nb->next = a->next;
		a->next = nb;
		return nb->data;
	}
	if (n > size)
		size = n;
	nb = xmalloc(sizeof *nb + size);
	nb->cap = size;
	nb->used = n;
	nb->next = a;
	t->arena = nb;
	return nb->data;
}

void *
table_alloc(table_t *t, size_t n)
{
	return arena_get(t, n, ARENA_ALIGN);
}

char *
table_strndup(table_t *t, const char *s, size_t n)
{
	char *p = arena_get(t, n + 1, 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
table_free(table_t *t)
{
	arena_block_t *a, *next;

	if (t == NULL)
		return;
	if (t->arena != NULL) {
		for (a = t->arena; a != NULL; a = next) {
			next = a->next;
			free(a);
		}
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
