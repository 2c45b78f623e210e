/*
 * util.h - allocation that cannot fail silently, growable byte buffers and
 * string vectors.  Every stage may include it.
 *
 * Allocation failure is the one error that is not a value: a process that
 * cannot get memory for a ledger of a few MB cannot do anything useful, so
 * xmalloc() and friends print a message and abort().
 */
#ifndef TB_UTIL_H
#define TB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (holding *cap elements of size sz) so it holds at least need. */
void  xgrow(void *pp, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated when data != NULL. */
typedef struct buf {
	char   *data;
	size_t  len;
	size_t  cap;
} buf_t;

void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_add(buf_t *b, const void *p, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Hands the data to the caller (who frees it) and resets b. */
char *buf_steal(buf_t *b);

/* A growable vector of owned strings. */
typedef struct strvec {
	char  **v;
	size_t  n;
	size_t  cap;
} strvec_t;

void strvec_push(strvec_t *sv, const char *s);      /* copies s */
void strvec_push_owned(strvec_t *sv, char *s);      /* takes s */
void strvec_free(strvec_t *sv);

/* Reads a whole file into *out (NUL-terminated, *len without the NUL).
 * Returns 0, or an errno value; on error *out is NULL. */
int read_file(const char *path, char **out, size_t *len);

/*
 * Splits a list field ("张三、李四;王五") on 、 ; ； , ， into trimmed,
 * non-empty names appended to out (copies).  Returns how many were added.
 */
size_t split_list(const char *s, strvec_t *out);

/*
 * A string -> size_t hash map (open addressing, linear probing).  Keys are
 * copied, unless `borrow` is set before the first put: then the map keeps
 * the caller's pointers, which must outlive it (a million item ids need
 * not be copied a second time).  Each slot keeps the key's hash, so a
 * probe compares strings only when the hashes agree.
 */
typedef struct strmap {
	char    **keys;
	size_t   *vals;
	uint32_t *hashes;
	size_t    n, cap;    /* cap is a power of two or 0 */
	bool      borrow;
} strmap_t;

/* FNV-1a folded to 32 bits: simple, good enough for ids and names; the
 * hash strmap uses (and the ledger's index of item ids). */
uint32_t str_hash(const char *s);

/* Returns true and sets *val if key is present. */
bool strmap_get(const strmap_t *m, const char *key, size_t *val);
/* Inserts key -> val unless present; returns false (and sets *old when
 * non-NULL) if key was already there. */
bool strmap_put(strmap_t *m, const char *key, size_t val, size_t *old);
/* The map's own pointer to key (its copy, or the borrowed pointer), or NULL
 * when key is not in m. */
const char *strmap_key(const strmap_t *m, const char *key);
void strmap_free(strmap_t *m);

/*
 * An arena: strings and records allocated from a chain of large blocks and
 * freed together.  A million rows of ten fields each would otherwise cost
 * ten million malloc() calls.  Zero-initialise (arena_t a = {0}).
 */
typedef struct arena {
	struct arena_block *head;
} arena_t;

/* n bytes aligned for any pointer or integer, valid until arena_free(). */
void *arena_alloc(arena_t *a, size_t n);
/* A NUL-terminated copy of s[0..n) (s may hold no NUL in that range). */
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
void  arena_free(arena_t *a);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
