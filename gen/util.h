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
 * A string -> size_t hash map (open addressing).  Keys are copied.
 */
typedef struct strmap {
	char  **keys;
	size_t *vals;
	size_t  n, cap;      /* cap is a power of two or 0 */
} strmap_t;

/* Returns true and sets *val if key is present. */
bool strmap_get(const strmap_t *m, const char *key, size_t *val);
/* Inserts key -> val unless present; returns false (and sets *old when
 * non-NULL) if key was already there. */
bool strmap_put(strmap_t *m, const char *key, size_t val, size_t *old);
void strmap_free(strmap_t *m);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
