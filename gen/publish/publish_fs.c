/*
 * publish_fs.c - the publication's dealings with the disk: the few system
 * calls that change it, each behind the fault hook the tests use
 * (publish_set_fault); folders created, opened and removed relative to an
 * open folder with O_NOFOLLOW, never through a link, removal needing no
 * memory (getdents64 on a stack buffer) so that the out-of-memory hook
 * can remove the staging folder; the names a publication may use; files
 * compared, linked or copied, and written whole and synced.  Part of the
 * publication (publish_int.h).
 */
#define _GNU_SOURCE     /* renameat2, RENAME_EXCHANGE, getdents64 */
#include "publish_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int (*fault)(const char *what);

void
publish_set_fault(int (*fn)(const char *what))
{
	fault = fn;
}

/* 0, or -1 with errno set when the test hook says this operation fails. */
int
pf_faulted(const char *what)
{
	int e;

	if (fault == NULL || (e = fault(what)) == 0)
		return 0;
	errno = e;
	return -1;
}

int
pf_mkdirat(int dfd, const char *name, mode_t mode)
{
	return pf_faulted("mkdir") != 0 ? -1 : mkdirat(dfd, name, mode);
}

int
pf_fsync(int fd)
{
	return pf_faulted("fsync") != 0 ? -1 : fsync(fd);
}

int
pf_fchmod(int fd, mode_t mode)
{
	return pf_faulted("chmod") != 0 ? -1 : fchmod(fd, mode);
}

static int
x_linkat(int fd1, const char *n1, int fd2, const char *n2)
{
	return pf_faulted("link") != 0 ? -1 : linkat(fd1, n1, fd2, n2, 0);
}

int
pf_renameat2(int fd1, const char *n1, int fd2, const char *n2, unsigned flags)
{
	return pf_faulted("rename") != 0 ? -1 : renameat2(fd1, n1, fd2, n2, flags);
}

/* A new file dfd/name, never through a link, never an existing one. */
static int
x_create(int dfd, const char *name, mode_t mode)
{
	if (pf_faulted("create") != 0)
		return -1;
	return openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode);
}

/* Writes p[0..n) to fd.  Returns 0 or an errno value. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w;

		if (pf_faulted("write") != 0)
			return errno;
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Opens the folder dfd/name, not through a link.  Returns the fd or -1. */
int
pf_open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* What dfd/name is, for a refusal: "a symbolic link", "a file" ... */
const char *
pf_kind_of(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISREG(m) ? "a file" :
	    S_ISDIR(m) ? "a folder" : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ?
	    "a socket" : "a device";
}

int
pf_make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, PUBLISH_DIR_MODE) == 0) {
				/* the umask may have taken bits: give them back */
				int fd = open(p, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);

				if (fd >= 0) {
					(void)fchmod(fd, PUBLISH_DIR_MODE);
					close(fd);
				}
			} else if (errno != EEXIST) {
				rc = errno;
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (rc == 0) {
		struct stat st;

		if (stat(path, &st) != 0)
			rc = errno;
		else if (!S_ISDIR(st.st_mode))
			rc = ENOTDIR;
	}
	free(p);
	return rc;
}

/*
 * rm -rf dfd/name without following links and without allocating: a link
 * or a file is unlinked, a folder emptied (getdents64 into a buffer on the
 * stack, depth at most DEPTH_MAX) and removed.  Returns 0 or an errno
 * value.
 */
int
pf_rm_tree_at(int dfd, const char *name, int depth)
{
	char buf[2048];
	struct stat st;
	int fd, rc = 0;
	bool again = true;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : errno;
	if (depth >= DEPTH_MAX)
		return ELOOP;
	if ((fd = pf_open_dir_at(dfd, name)) < 0)
		return errno;
	/* entries removed while the folder is read may hide others: read it
	 * again until a pass removes nothing */
	while (again && rc == 0) {
		ssize_t n;

		again = false;
		if (lseek(fd, 0, SEEK_SET) != 0) {
			rc = errno;
			break;
		}
		while (rc == 0 && (n = getdents64(fd, buf, sizeof buf)) > 0) {
			for (ssize_t off = 0; off < n && rc == 0; ) {
				struct dirent64 *e = (struct dirent64 *)(void *)
				    (buf + off);

				off += e->d_reclen;
				if (strcmp(e->d_name, ".") == 0 ||
				    strcmp(e->d_name, "..") == 0)
					continue;
				rc = pf_rm_tree_at(fd, e->d_name, depth + 1);
				again = true;
			}
		}
		if (n < 0 && rc == 0)
			rc = errno;
	}
	close(fd);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		rc = errno;
	return rc;
}

static int  oom_dfd = -1;
static char oom_name[NAME_MAX + 1];

static void
oom_cleanup(void)
{
	if (oom_dfd >= 0 && oom_name[0] != '\0')
		(void)pf_rm_tree_at(oom_dfd, oom_name, 0);
}

void
pf_oom_watch(int dfd, const char *name)
{
	oom_dfd = name != NULL ? dfd : -1;
	snprintf(oom_name, sizeof oom_name, "%s", name != NULL ? name : "");
	util_on_oom(name != NULL ? oom_cleanup : NULL);
}

/* True when s[0..n) can be one component of a path. */
static bool
good_component(const char *s, size_t n)
{
	return n > 0 && n <= NAME_MAX && memchr(s, '/', n) == NULL &&
	    !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

/* True when name can be a file inside the folder: "NAME" or "SUB/NAME"
 * (one level of sub-folder, e.g. units/wuhan.pdf). */
bool
pf_good_name(const char *name)
{
	const char *slash = strchr(name, '/');

	if (slash == NULL)
		return good_component(name, strlen(name));
	return good_component(name, (size_t)(slash - name)) &&
	    good_component(slash + 1, strlen(slash + 1));
}

/* The sub-folder part of SUB/NAME (caller frees), or NULL for NAME. */
char *
pf_sub_of(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash != NULL ? xstrndup(name, (size_t)(slash - name)) : NULL;
}

/* The NAME part of NAME or SUB/NAME. */
const char *
pf_leaf_of(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash != NULL ? slash + 1 : name;
}

/* The folder holding name (NAME or SUB/NAME) inside dfd: dfd itself
 * duplicated, or SUB opened without following a link.  -1 on error. */
int
pf_dir_of(int dfd, const char *name)
{
	char *sub = pf_sub_of(name);
	int fd = sub != NULL ? pf_open_dir_at(dfd, sub) : fcntl(dfd,
	    F_DUPFD_CLOEXEC, 0);

	free(sub);
	return fd;
}

/*
 * Splits dir into its parent folder and last name (trailing slashes
 * dropped; "." when there is no parent).  Returns 0, or -1 when there is
 * no usable last name.  The caller frees both.
 */
int
pf_split_dir(const char *dir, char **parent, char **base)
{
	size_t len = strlen(dir), pl;
	const char *s;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (s = dir + len; s > dir && s[-1] != '/'; s--)
		;
	*base = xstrndup(s, (size_t)(dir + len - s));
	pl = (size_t)(s - dir);
	while (pl > 1 && dir[pl - 1] == '/')
		pl--;
	*parent = pl == 0 ? xstrdup(".") : xstrndup(dir, pl);
	return !good_component(*base, strlen(*base)) ? -1 : 0;
}

/*
 * True when dfd/name (NAME or SUB/NAME) is a regular file (not a link)
 * of mode PUBLISH_FILE_MODE holding exactly data[0..len); false when it
 * differs, is missing or cannot be read.
 */
bool
pf_file_equals_data(int dfd, const char *name, const char *data, size_t len)
{
	char *chunk = NULL;
	struct stat st;
	size_t off = 0;
	bool same = false;
	int fd = -1, sfd = pf_dir_of(dfd, name);

	if (sfd < 0)
		goto cleanup;
	fd = openat(sfd, pf_leaf_of(name), O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len ||
	    (st.st_mode & 07777) != PUBLISH_FILE_MODE)
		goto cleanup;
	chunk = xmalloc(CHUNK);
	for (;;) {
		ssize_t r = read_full(fd, chunk, CHUNK);
		if (r < 0 || off + (size_t)r > len ||
		    (r > 0 && memcmp(chunk, data + off, (size_t)r) != 0))
			goto cleanup;
		if (r == 0)
			break;
		off += (size_t)r;
	}
	same = off == len;
cleanup:
	free(chunk);
	if (fd >= 0)
		close(fd);
	if (sfd >= 0)
		close(sfd);
	return same;
}

/* True when the regular files d1/n1 and d2/n2 hold the same bytes. */
bool
pf_files_equal(int d1, const char *n1, int d2, const char *n2)
{
	char *a = xmalloc(CHUNK), *b = xmalloc(CHUNK);
	struct stat s1, s2;
	bool same = false;
	int f1 = openat(d1, n1, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	int f2 = openat(d2, n2, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (f1 < 0 || f2 < 0 || fstat(f1, &s1) != 0 || fstat(f2, &s2) != 0 ||
	    !S_ISREG(s1.st_mode) || !S_ISREG(s2.st_mode) ||
	    s1.st_size != s2.st_size)
		goto cleanup;
	for (;;) {
		ssize_t r1 = read_full(f1, a, CHUNK), r2 = read_full(f2, b, CHUNK);

		if (r1 < 0 || r1 != r2 || memcmp(a, b, (size_t)r1) != 0)
			goto cleanup;
		if (r1 == 0)
			break;
	}
	same = true;
cleanup:
	if (f1 >= 0)
		close(f1);
	if (f2 >= 0)
		close(f2);
	free(a);
	free(b);
	return same;
}

/*
 * Copies the regular file fdir/name (whose stat is st) to tdir/tname with
 * its mode and times, synced.  Used where a hard link is refused.
 * Returns 0 or an errno value; on error tdir/tname does not exist.
 */
static int
copy_file(int fdir, const char *name, int tdir, const char *tname,
    const struct stat *st)
{
	char *chunk = NULL;
	int in = -1, out = -1, rc = 0;
	struct timespec ts[2];

	if ((in = openat(fdir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) < 0) {
		rc = errno;
		goto cleanup;
	}
	if ((out = x_create(tdir, tname, 0600)) < 0) {
		rc = errno;
		goto cleanup;
	}
	chunk = xmalloc(CHUNK);
	for (;;) {
		ssize_t r = read_full(in, chunk, CHUNK);
		if (r < 0) {
			rc = errno;
			goto cleanup;
		}
		if (r == 0)
			break;
		if ((rc = write_all(out, chunk, (size_t)r)) != 0)
			goto cleanup;
	}
	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
	if (pf_fchmod(out, st->st_mode & 07777) != 0 || futimens(out, ts) != 0 ||
	    pf_fsync(out) != 0)
		rc = errno;
cleanup:
	free(chunk);
	if (in >= 0)
		close(in);
	if (out >= 0) {
		if (close(out) != 0 && rc == 0)
			rc = errno;
		if (rc != 0)
			unlinkat(tdir, tname, 0);
	}
	return rc;
}

/*
 * Gives the file fdir/name a second name tdir/tname: a hard link (same
 * inode, bytes and times; the link itself, never what a link points to),
 * or a copy where the filesystem refuses links.  Returns 0 or an errno
 * value.
 */
int
pf_link_or_copy(int fdir, const char *name, int tdir, const char *tname,
    const struct stat *st)
{
	if (x_linkat(fdir, name, tdir, tname) == 0)
		return 0;
	if (errno == EPERM || errno == EMLINK || errno == EXDEV ||
	    errno == EOPNOTSUPP)
		return copy_file(fdir, name, tdir, tname, st);
	return errno;
}

/* Writes a new file dfd/name (NAME or SUB/NAME) holding b, of mode
 * PUBLISH_FILE_MODE, synced.  Returns 0 or an errno value. */
int
pf_write_new(int dfd, const char *name, const buf_t *b)
{
	int sfd = pf_dir_of(dfd, name), fd = -1, rc = 0;

	if (sfd < 0)
		return errno;
	if ((fd = x_create(sfd, pf_leaf_of(name), PUBLISH_FILE_MODE)) < 0) {
		rc = errno;
		goto cleanup;
	}
	if (pf_fchmod(fd, PUBLISH_FILE_MODE) != 0)      /* whatever the umask */
		rc = errno;
	if (rc == 0)
		rc = write_all(fd, b->data ? b->data : "", b->len);
	if (rc == 0 && pf_fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
cleanup:
	close(sfd);
	return rc;
}
