/*
 * util.c - allocation wrappers, byte buffers, string vectors, inputs and
 * whole-file reads.  See util.h for what a run out of memory does.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlmemory.h>

static void (*oom_hook)(void);

void
util_on_oom(void (*hook)(void))
{
	oom_hook = hook;
}

/* Appends the decimal digits of v to p (no allocation: the heap is gone). */
static char *
put_size(char *p, size_t v)
{
	char d[24];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0 && n < (int)sizeof d);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

_Noreturn void
tb_out_of_memory(size_t n)
{
	static atomic_flag once = ATOMIC_FLAG_INIT;
	static const char a[] = "tongbao: error: out of memory (", b[] =
	    " bytes more were needed); nothing was published\n";
	char msg[sizeof a + sizeof b + 24], *p = msg;

	/* one thread says it and cleans up; any other that runs out too
	 * waits for it to exit */
	if (atomic_flag_test_and_set(&once))
		for (;;)
			pause();
	memcpy(p, a, sizeof a - 1);
	p = put_size(p + sizeof a - 1, n);
	memcpy(p, b, sizeof b - 1);
	p += sizeof b - 1;
	if (oom_hook != NULL)
		oom_hook();
	(void)!write(STDERR_FILENO, msg, (size_t)(p - msg));
	_exit(TB_EXIT_OOM);
}

static void
oom(void)
{
	tb_out_of_memory(0);
}

/* libxml2's allocators (xmlMemSetup): as malloc, but never NULL. */
static void *
xml_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		tb_out_of_memory(n);
	return p;
}

static void *
xml_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		tb_out_of_memory(n);
	return q;
}

static char *
xml_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p == NULL)
		tb_out_of_memory(n);
	memcpy(p, s, n);
	return p;
}

void
util_init_alloc(void)
{
	xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		tb_out_of_memory(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		tb_out_of_memory(size != 0 && n > SIZE_MAX / size ? SIZE_MAX :
		    n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		tb_out_of_memory(n);
	return q;
}

void
xgrow(void *pp, size_t *cap, size_t need, size_t sz)
{
	void **p = pp;
	size_t c = *cap;

	if (need <= c)
		return;
	if (c == 0)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / sz)
			oom();
		c *= 2;
	}
	*p = xrealloc(*p, c * sz);
	*cap = c;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	buf_t b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

void
buf_init(buf_t *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_free(buf_t *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_add(buf_t *b, const void *p, size_t n)
{
	xgrow(&b->data, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(buf_t *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(buf_t *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	xgrow(&b->data, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_steal(buf_t *b)
{
	char *p = b->data;

	if (p == NULL)
		p = xstrdup("");
	buf_init(b);
	return p;
}

void
strvec_push_owned(strvec_t *sv, char *s)
{
	xgrow(&sv->v, &sv->cap, sv->n + 1, sizeof *sv->v);
	sv->v[sv->n++] = s;
}

void
strvec_push(strvec_t *sv, const char *s)
{
	strvec_push_owned(sv, xstrdup(s));
}

void
strvec_free(strvec_t *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* What a file that is not a regular file is, for a message. */
static const char *
file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO (named pipe)" : S_ISCHR(m) ?
	    "a character device" : S_ISBLK(m) ? "a block device" :
	    S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" :
	    "not a file";
}

/* "1 GiB", "256 MiB": a limit for a message. */
static void
say_bytes(off_t n, char *out, size_t len)
{
	if (n >= ((off_t)1 << 30) && n % ((off_t)1 << 30) == 0)
		snprintf(out, len, "%lld GiB", (long long)(n >> 30));
	else if (n >= ((off_t)1 << 20))
		snprintf(out, len, "%lld MiB", (long long)(n >> 20));
	else
		snprintf(out, len, "%lld bytes", (long long)n);
}

/* The kind check of a stat: 0, or -1 with in->why set. */
static int
regular_or_why(const struct stat *st, off_t max, input_t *in)
{
	char lim[32], has[32];

	if (S_ISDIR(st->st_mode)) {
		in->err = EISDIR;
		snprintf(in->why, sizeof in->why, "%s", strerror(EISDIR));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		in->err = EINVAL;
		snprintf(in->why, sizeof in->why, "not a regular file but %s",
		    file_kind(st->st_mode));
		return -1;
	}
	if (st->st_size > max) {
		in->err = EFBIG;
		say_bytes(max, lim, sizeof lim);
		say_bytes(st->st_size, has, sizeof has);
		snprintf(in->why, sizeof in->why, "%s, larger than the limit of "
		    "%s for an input file", has, lim);
		return -1;
	}
	return 0;
}

int
input_open(const char *path, off_t max, input_t *in)
{
	struct stat st;
	int fd = -1, fl;

	memset(in, 0, sizeof *in);
	in->fd = -1;
	/* a device is not even opened (opening a tape rewinds it), and a
	 * FIFO is opened without waiting for a writer */
	if (stat(path, &st) != 0) {
		in->err = errno;
		snprintf(in->why, sizeof in->why, "%s", strerror(errno));
		return -1;
	}
	if (regular_or_why(&st, max, in) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		in->err = errno;
		snprintf(in->why, sizeof in->why, "%s", strerror(errno));
		return -1;
	}
	/* what was opened, which may not be what was looked at */
	if (fstat(fd, &st) != 0 || regular_or_why(&st, max, in) != 0) {
		if (in->why[0] == '\0') {
			in->err = errno;
			snprintf(in->why, sizeof in->why, "%s", strerror(errno));
		}
		close(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	in->fd = fd;
	in->size = st.st_size;
	in->mtime = st.st_mtim;
	in->ctime = st.st_ctim;
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	return 0;
}

bool
input_changed(const input_t *in)
{
	struct stat st;

	if (in->fd < 0 || fstat(in->fd, &st) != 0)
		return true;
	return st.st_size != in->size ||
	    st.st_mtim.tv_sec != in->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != in->mtime.tv_nsec ||
	    st.st_ctim.tv_sec != in->ctime.tv_sec ||
	    st.st_ctim.tv_nsec != in->ctime.tv_nsec;
}

ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
read_file(const char *path, char **out, size_t *len)
{
	input_t in;
	buf_t b;
	char *chunk = NULL;
	ssize_t n;
	int rc = 0;

	buf_init(&b);
	*out = NULL;
	*len = 0;
	if (input_open(path, TB_INPUT_MAX, &in) != 0)
		return in.err ? in.err : EIO;
	chunk = xmalloc(65536);
	while ((n = read_full(in.fd, chunk, 65536)) > 0) {
		if (b.len + (size_t)n > (size_t)TB_INPUT_MAX) {
			rc = EFBIG;         /* grew while read */
			break;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	if (n < 0)
		rc = errno ? errno : EIO;
	close(in.fd);
	free(chunk);
	if (rc != 0) {
		buf_free(&b);
		return rc;
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	*len = b.len;
	*out = buf_steal(&b);
	return 0;
}

size_t
split_list(const char *s, strvec_t *out)
{
	static const char *const seps[] = { "\xe3\x80\x81" /* 、 */,
	    "\xef\xbc\x9b" /* ； */, "\xef\xbc\x8c" /* ， */, ";", "," };
	size_t added = 0;
	const char *p = s, *start = s;

	for (;;) {
		size_t seplen = 0;
		if (*p != '\0') {
			for (size_t i = 0; i < ARRAY_LEN(seps); i++) {
				size_t l = strlen(seps[i]);
				if (strncmp(p, seps[i], l) == 0) {
					seplen = l;
					break;
				}
			}
		}
		if (*p == '\0' || seplen > 0) {
			const char *a = start, *b = p;
			/* trim ASCII white space and U+3000 */
			for (;;) {
				if (a < b && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
					a++;
				else if (b - a >= 3 && memcmp(a, "\xe3\x80\x80", 3) == 0)
					a += 3;
				else
					break;
			}
			for (;;) {
				if (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r' || b[-1] == '\n'))
					b--;
				else if (b - a >= 3 && memcmp(b - 3, "\xe3\x80\x80", 3) == 0)
					b -= 3;
				else
					break;
			}
			if (b > a) {
				strvec_push_owned(out, xstrndup(a, (size_t)(b - a)));
				added++;
			}
			if (*p == '\0')
				break;
			p += seplen;
			start = p;
		} else {
			p++;
		}
	}
	return added;
}

uint32_t
str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* The slot of key (hash h): where it is, or the empty slot ending its run. */
static size_t
strmap_slot(const strmap_t *m, const char *key, uint32_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;

	while (m->keys[i] != NULL &&
	    (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & mask;
	return i;
}

bool
strmap_get(const strmap_t *m, const char *key, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return false;
	i = strmap_slot(m, key, str_hash(key));
	if (m->keys[i] == NULL)
		return false;
	if (val)
		*val = m->vals[i];
	return true;
}

const char *
strmap_key(const strmap_t *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	return m->keys[strmap_slot(m, key, str_hash(key))];
}

static void
strmap_rehash(strmap_t *m, size_t cap)
{
	strmap_t n = *m;

	n.keys = xcalloc(cap, sizeof *n.keys);
	n.vals = xmalloc(cap * sizeof *n.vals);
	n.hashes = xmalloc(cap * sizeof *n.hashes);
	n.cap = cap;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] != NULL) {
			size_t j = strmap_slot(&n, m->keys[i], m->hashes[i]);
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.hashes[j] = m->hashes[i];
		}
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	*m = n;
}

bool
strmap_put(strmap_t *m, const char *key, size_t val, size_t *old)
{
	uint32_t h = str_hash(key);
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		strmap_rehash(m, m->cap ? m->cap * 2 : 64);
	i = strmap_slot(m, key, h);
	if (m->keys[i] != NULL) {
		if (old)
			*old = m->vals[i];
		return false;
	}
	m->keys[i] = m->borrow ? (char *)key : xstrdup(key);
	m->vals[i] = val;
	m->hashes[i] = h;
	m->n++;
	return true;
}

void
strmap_free(strmap_t *m)
{
	if (!m->borrow)
		for (size_t i = 0; i < m->cap; i++)
			free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	memset(m, 0, sizeof *m);
}

/* ---- arena ---------------------------------------------------------- */

#define ARENA_MIN   ((size_t)64 * 1024)
#define ARENA_MAX   ((size_t)4 * 1024 * 1024)
#define ARENA_ALIGN _Alignof(max_align_t)

typedef struct arena_block {
	struct arena_block *next;   /* older blocks */
	size_t              used, cap;
	_Alignas(max_align_t) unsigned char data[];
} arena_block_t;

/*
 * Returns n bytes from a, aligned to `align` (a power of two, at most
 * ARENA_ALIGN).  A request that does not fit in the newest block gets a
 * new block; a big request gets a block of its own, chained behind the
 * newest so that block's free space is still used.
 */
static void *
arena_get(arena_t *a, size_t n, size_t align)
{
	arena_block_t *b = a->head, *nb;
	size_t off, size;

	if (b != NULL) {
		off = (b->used + align - 1) & ~(align - 1);
		if (off <= b->cap && n <= b->cap - off) {
			b->used = off + n;
			return b->data + off;
		}
	}
	size = b != NULL ? b->cap * 2 : ARENA_MIN;
	if (size > ARENA_MAX)
		size = ARENA_MAX;
	if (n > size / 4 && b != NULL) {
		/* dedicated block, behind the current one */
		nb = xmalloc(sizeof *nb + n);
		nb->used = nb->cap = n;
		nb->next = b->next;
		b->next = nb;
		return nb->data;
	}
	if (n > size)
		size = n;
	nb = xmalloc(sizeof *nb + size);
	nb->cap = size;
	nb->used = n;
	nb->next = b;
	a->head = nb;
	return nb->data;
}

void *
arena_alloc(arena_t *a, size_t n)
{
	return arena_get(a, n, ARENA_ALIGN);
}

char *
arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *p = arena_get(a, n + 1, 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void
arena_free(arena_t *a)
{
	arena_block_t *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
