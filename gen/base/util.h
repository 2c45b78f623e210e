/*
 * util.h - allocation that cannot fail silently, growable byte buffers and
 * string vectors.  Every stage may include it.
 *
 * Allocation failure is the one error that is not a value: a process that
 * cannot get memory for a ledger of a few MB cannot do anything useful, so
 * xmalloc() and friends end the run: one line on stderr ("tongbao: out of
 * memory ...") and exit status 70 (EX_SOFTWARE), never abort() and its
 * core dump.  Nothing has been published then: a publication in progress
 * is only a hidden folder beside its target (publish.h), which the hook
 * set with util_on_oom() removes, or else the next run.
 */
#ifndef TB_UTIL_H
#define TB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

/* Exit status of a run that ran out of memory (sysexits.h EX_SOFTWARE). */
#define TB_EXIT_OOM 70

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (holding *cap elements of size sz) so it holds at least need. */
void  xgrow(void *pp, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the run for want of n bytes (see the top of the file). */
_Noreturn void tb_out_of_memory(size_t n);
/* A function run (once, on any thread) before a run that is out of memory
 * exits: it may not allocate.  NULL: none. */
void util_on_oom(void (*hook)(void));
/* The libraries that allocate through hooks (libxml2, libxslt) are given
 * allocators that end the run as xmalloc() does, rather than returning
 * NULL to code that may not check.  Call once, before any other libxml2
 * call. */
void util_init_alloc(void);

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

/*
 * Inputs.  Every file the program reads from a data folder is opened by
 * input_open(): only a regular file (a symbolic link to one is followed;
 * a FIFO, a device such as /dev/zero, a socket or a folder is refused
 * without being read, and a FIFO without a writer never blocks the run),
 * and no larger than a limit.  The limits (README, "Inputs"):
 */
#define TB_INPUT_MAX ((off_t)1 << 30)    /* a CSV or .xlsx ledger, 1 GiB */
#define TB_XML_MAX   ((off_t)256 << 20)  /* an XML document, 256 MiB */

typedef struct input {
	int         fd;         /* open for reading, -1 after an error */
	off_t       size;       /* at the time it was opened */
	struct timespec mtime, ctime;
	dev_t       dev;
	ino_t       ino;
	int         err;        /* after an error: an errno value (EINVAL: not
	                           a regular file, EFBIG: too large) */
	char        why[128];   /* and why, as strerror() would say it */
} input_t;

/* Opens path as an input of at most max bytes.  Returns 0 (in->fd is
 * open; close it), or -1 with in->why saying why ("Is a directory", "not a
 * regular file but a FIFO", "larger than the limit of 1 GiB for ...").
 * Never blocks on a FIFO, never opens a device. */
int input_open(const char *path, off_t max, input_t *in);
/* True when the file behind in->fd has changed since input_open(): its
 * size, modification or change time (a clerk saving it during the run). */
bool input_changed(const input_t *in);
/* Reads up to n bytes at the current offset, retrying on EINTR; fewer
 * only at the end of the file.  Returns the count, or -1 (errno set). */
ssize_t read_full(int fd, void *p, size_t n);

/* Reads a whole file (an input, at most TB_INPUT_MAX bytes) into *out
 * (NUL-terminated, *len without the NUL).  Returns 0, or an errno value
 * (EINVAL: not a regular file; EFBIG: too large); on error *out is NULL. */
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
