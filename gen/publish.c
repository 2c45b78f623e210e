/*
 * publish.c - publication of a set of outputs as one folder (see
 * publish.h).  The portal and the archive pick files up at any moment and
 * cron may kill a run at any point, so the published folder OUT/YYYYQn is
 * never modified in place: the complete new folder is built beside it as
 * OUT/.YYYYQn.new-PID (same filesystem; mode 0700 until it is complete),
 * every file and folder in it is fsync'ed, and then
 * renameat2(RENAME_EXCHANGE) swaps the two in one step.  The old folder,
 * now under the temporary name, is removed; everything in it that was not
 * replaced had been hard-linked into the new one first, and a replaced
 * file marked keep_superseded was linked into superseded/, so removing it
 * deletes no published bytes.
 *
 * Where the kernel or filesystem cannot exchange, the old folder is renamed
 * aside to OUT/.YYYYQn.old-PID and the new one renamed into place: for a
 * moment the folder is missing, but it is never a mix.  The next run (which
 * holds the folder's lock, so no other run is working beside it) removes
 * leftover .new- folders, and renames an .old- folder back when the folder
 * itself is missing, before doing anything else.
 *
 * Every operation is relative to an open folder: OUT is opened once (the
 * operator's path, links in it followed), and below it each name is one
 * component opened with O_NOFOLLOW (O_EXCL when created) and checked with
 * fstat, so no symbolic link below OUT is ever followed for anything
 * written, and paths never grow past PATH_MAX.  Removal walks folders with
 * getdents64 on a buffer of the stack: it needs no memory, so the hook a
 * run out of memory calls (util.h) removes the staging folder too.
 */
#define _GNU_SOURCE     /* renameat2, RENAME_EXCHANGE, getdents64 */
#include "publish.h"

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

#define SUPERSEDED "superseded"
enum { CHUNK = 65536, DEPTH_MAX = 32 };

enum leftover { LEFT_NONE, LEFT_NEW, LEFT_OLD };

/* ---- faults (tests) and the few system calls that change the disk ------- */

static int (*fault)(const char *what);

void
publish_set_fault(int (*fn)(const char *what))
{
	fault = fn;
}

/* 0, or -1 with errno set when the test hook says this operation fails. */
static int
faulted(const char *what)
{
	int e;

	if (fault == NULL || (e = fault(what)) == 0)
		return 0;
	errno = e;
	return -1;
}

static int
x_mkdirat(int dfd, const char *name, mode_t mode)
{
	return faulted("mkdir") != 0 ? -1 : mkdirat(dfd, name, mode);
}

static int
x_fsync(int fd)
{
	return faulted("fsync") != 0 ? -1 : fsync(fd);
}

static int
x_fchmod(int fd, mode_t mode)
{
	return faulted("chmod") != 0 ? -1 : fchmod(fd, mode);
}

static int
x_linkat(int fd1, const char *n1, int fd2, const char *n2)
{
	return faulted("link") != 0 ? -1 : linkat(fd1, n1, fd2, n2, 0);
}

static int
x_renameat2(int fd1, const char *n1, int fd2, const char *n2, unsigned flags)
{
	return faulted("rename") != 0 ? -1 : renameat2(fd1, n1, fd2, n2, flags);
}

/* A new file dfd/name, never through a link, never an existing one. */
static int
x_create(int dfd, const char *name, mode_t mode)
{
	if (faulted("create") != 0)
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

		if (faulted("write") != 0)
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

/* ---- folders ------------------------------------------------------------ */

/* Opens the folder dfd/name, not through a link.  Returns the fd or -1. */
static int
open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* What dfd/name is, for a refusal: "a symbolic link", "a file" ... */
static const char *
kind_of(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISREG(m) ? "a file" :
	    S_ISDIR(m) ? "a folder" : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ?
	    "a socket" : "a device";
}

int
make_dirs(const char *path)
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
static int
rm_tree_at(int dfd, const char *name, int depth)
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
	if ((fd = open_dir_at(dfd, name)) < 0)
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
				rc = rm_tree_at(fd, e->d_name, depth + 1);
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

/* ---- the staging folder, for a run that runs out of memory -------------- */

static int  oom_dfd = -1;
static char oom_name[NAME_MAX + 1];

static void
oom_cleanup(void)
{
	if (oom_dfd >= 0 && oom_name[0] != '\0')
		(void)rm_tree_at(oom_dfd, oom_name, 0);
}

static void
oom_watch(int dfd, const char *name)
{
	oom_dfd = name != NULL ? dfd : -1;
	snprintf(oom_name, sizeof oom_name, "%s", name != NULL ? name : "");
	util_on_oom(name != NULL ? oom_cleanup : NULL);
}

/* ---- the lock ------------------------------------------------------------ */

enum publish_status
publish_lock(const char *out_root, const char *name, unsigned wait_seconds,
    int *fd, diag_list_t *dl)
{
	char *lname = xasprintf(".%s.lock", name);
	char *path = xasprintf("%s/%s", out_root, lname);
	struct timespec start, now, nap = { 0, 100 * 1000 * 1000 };
	struct flock fl;
	struct stat st;
	enum publish_status rc = PUB_FAIL;
	int pfd = -1, err;

	*fd = -1;
	if ((err = make_dirs(out_root)) != 0) {
		diag_error(dl, out_root, 0, "cannot create the output folder: %s",
		    strerror(err));
		goto cleanup;
	}
	if ((pfd = open(out_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(dl, out_root, 0, "cannot open the output folder: %s",
		    strerror(errno));
		goto cleanup;
	}
	/* a new lock file gets its mode; an existing one is opened as it is,
	 * never through a link, never waiting (a FIFO planted there) */
	*fd = openat(pfd, lname, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, PUBLISH_FILE_MODE);
	if (*fd >= 0)
		(void)fchmod(*fd, PUBLISH_FILE_MODE);
	else if (errno == EEXIST)
		*fd = openat(pfd, lname, O_RDWR | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ELOOP)
			diag_error(dl, path, 0, "the lock file is a symbolic link: "
			    "tongbao never writes through one; remove it");
		else
			diag_error(dl, path, 0, "cannot open the lock file: %s",
			    strerror(errno));
		goto cleanup;
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		diag_error(dl, path, 0, "not a lock file of tongbao (%s); remove it",
		    S_ISREG(st.st_mode) ? "a file with more than one name" :
		    kind_of(st.st_mode));
		goto cleanup;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (fcntl(*fd, F_SETLK, &fl) == 0) {
			rc = PUB_OK;
			break;
		}
		if (errno != EACCES && errno != EAGAIN) {
			diag_error(dl, path, 0, "cannot lock: %s", strerror(errno));
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec -
		    start.tv_nsec) / 1000000 >= (long)wait_seconds * 1000) {
			if (wait_seconds > 0)
				diag_error(dl, path, 0, "another tongbao run holds "
				    "the lock of %s/%s (waited %u s)", out_root,
				    name, wait_seconds);
			else
				diag_error(dl, path, 0, "another tongbao run holds "
				    "the lock of %s/%s", out_root, name);
			rc = PUB_LOCKED;
			break;
		}
		nanosleep(&nap, NULL);
	}
cleanup:
	if (rc != PUB_OK && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	if (pfd >= 0)
		close(pfd);
	free(path);
	free(lname);
	return rc;
}

void
publish_unlock(int fd)
{
	if (fd >= 0)
		close(fd);   /* releases the fcntl lock */
}

/* ---- names ------------------------------------------------------------------ */

/* True when s is one or more decimal digits and nothing else. */
static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* True for "PID" or "PID-N", the tails of staging and set-aside names. */
static bool
pid_tail(const char *s)
{
	const char *dash = strchr(s, '-');
	char head[24];

	if (dash == NULL)
		return all_digits(s);
	if ((size_t)(dash - s) >= sizeof head || dash == s)
		return false;
	memcpy(head, s, (size_t)(dash - s));
	head[dash - s] = '\0';
	return all_digits(head) && all_digits(dash + 1);
}

/* Whether name is a staging (.BASE.new-PID) or set-aside (.BASE.old-PID)
 * name of base. */
static enum leftover
leftover_kind(const char *name, const char *base)
{
	static const struct { const char *tag; enum leftover kind; } tags[] = {
		{ ".new-", LEFT_NEW },
		{ ".old-", LEFT_OLD },
	};
	size_t bl = strlen(base);

	if (name[0] != '.' || strncmp(name + 1, base, bl) != 0)
		return LEFT_NONE;
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		if (strncmp(name + 1 + bl, tags[i].tag, 5) == 0 &&
		    pid_tail(name + 1 + bl + 5))
			return tags[i].kind;
	return LEFT_NONE;
}

/*
 * Left out when the old folder is carried over: the files being published
 * (they are handled one by one) and the per-file temporaries
 * (.NAME.tmpPID) an earlier version of this program may have left.
 */
static bool
is_published_name(const char *prefix, const char *name,
    const out_file_t *files, size_t n)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; i < n; i++) {
		const char *f = files[i].name;
		size_t len;

		if (strncmp(f, prefix, pl) != 0)
			continue;
		f += pl;
		len = strlen(f);
		if (strcmp(name, f) == 0)
			return true;
		if (name[0] == '.' && strncmp(name + 1, f, len) == 0 &&
		    strncmp(name + 1 + len, ".tmp", 4) == 0 &&
		    all_digits(name + 1 + len + 4))
			return true;
	}
	return false;
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
static bool
good_name(const char *name)
{
	const char *slash = strchr(name, '/');

	if (slash == NULL)
		return good_component(name, strlen(name));
	return good_component(name, (size_t)(slash - name)) &&
	    good_component(slash + 1, strlen(slash + 1));
}

/* The sub-folder part of SUB/NAME (caller frees), or NULL for NAME. */
static char *
sub_of(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash != NULL ? xstrndup(name, (size_t)(slash - name)) : NULL;
}

/* The NAME part of NAME or SUB/NAME. */
static const char *
leaf_of(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash != NULL ? slash + 1 : name;
}

/* The folder holding name (NAME or SUB/NAME) inside dfd: dfd itself
 * duplicated, or SUB opened without following a link.  -1 on error. */
static int
dir_of(int dfd, const char *name)
{
	char *sub = sub_of(name);
	int fd = sub != NULL ? open_dir_at(dfd, sub) : fcntl(dfd,
	    F_DUPFD_CLOEXEC, 0);

	free(sub);
	return fd;
}

/*
 * Splits dir into its parent folder and last name (trailing slashes
 * dropped; "." when there is no parent).  Returns 0, or -1 when there is
 * no usable last name.  The caller frees both.
 */
static int
split_dir(const char *dir, char **parent, char **base)
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

/* ---- files ---------------------------------------------------------------- */

/*
 * True when dfd/name (NAME or SUB/NAME) is a regular file (not a link)
 * of mode PUBLISH_FILE_MODE holding exactly data[0..len); false when it
 * differs, is missing or cannot be read.
 */
static bool
file_equals_data(int dfd, const char *name, const char *data, size_t len)
{
	char *chunk = NULL;
	struct stat st;
	size_t off = 0;
	bool same = false;
	int fd = -1, sfd = dir_of(dfd, name);

	if (sfd < 0)
		goto cleanup;
	fd = openat(sfd, leaf_of(name), O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
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
static bool
files_equal(int d1, const char *n1, int d2, const char *n2)
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
	if (x_fchmod(out, st->st_mode & 07777) != 0 || futimens(out, ts) != 0 ||
	    x_fsync(out) != 0)
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
static int
link_or_copy(int fdir, const char *name, int tdir, const char *tname,
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
static int
write_new(int dfd, const char *name, const buf_t *b)
{
	int sfd = dir_of(dfd, name), fd = -1, rc = 0;

	if (sfd < 0)
		return errno;
	if ((fd = x_create(sfd, leaf_of(name), PUBLISH_FILE_MODE)) < 0) {
		rc = errno;
		goto cleanup;
	}
	if (x_fchmod(fd, PUBLISH_FILE_MODE) != 0)      /* whatever the umask */
		rc = errno;
	if (rc == 0)
		rc = write_all(fd, b->data ? b->data : "", b->len);
	if (rc == 0 && x_fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
cleanup:
	close(sfd);
	return rc;
}

/* ---- leftovers ------------------------------------------------------------ */

/*
 * Removes what an interrupted run left beside target in the folder pfd
 * (path `parent` in messages): .new- folders always; an .old- folder is
 * renamed back to base when base is missing (the run died between its two
 * renames), else removed.  Only real folders owned by this user are the
 * program's: a link, a file or another user's folder of such a name is
 * left alone with a warning.  Returns 0, or -1 after adding an error (a
 * folder that cannot be removed is only a warning).
 */
static int
clean_leftovers(int pfd, const char *parent, const char *base,
    diag_list_t *dl)
{
	strvec_t names = { 0 };
	DIR *d = NULL;
	struct dirent *e;
	int rc = -1, dfd = fcntl(pfd, F_DUPFD_CLOEXEC, 0);

	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		diag_error(dl, parent, 0, "cannot read the output folder: %s",
		    strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto cleanup;
	}
	while ((e = readdir(d)) != NULL)
		if (leftover_kind(e->d_name, base) != LEFT_NONE)
			strvec_push(&names, e->d_name);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", parent, names.v[i]);
		struct stat st, tst;
		int err;

		if (fstatat(pfd, names.v[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			free(path);
			continue;
		}
		if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
			if (S_ISDIR(st.st_mode))
				diag_notice(dl, path, 0, "left alone: named like "
				    "a folder an interrupted tongbao run leaves, but "
				    "owned by user %ld, not by this run's; remove it "
				    "by hand", (long)st.st_uid);
			else
				diag_notice(dl, path, 0, "left alone: named like "
				    "a folder an interrupted tongbao run leaves, but "
				    "%s; remove it by hand", kind_of(st.st_mode));
		} else if (leftover_kind(names.v[i], base) == LEFT_OLD &&
		    fstatat(pfd, base, &tst, AT_SYMLINK_NOFOLLOW) != 0 &&
		    errno == ENOENT) {
			if (x_renameat2(pfd, names.v[i], pfd, base,
			    RENAME_NOREPLACE) != 0 && (errno != EINVAL ||
			    renameat(pfd, names.v[i], pfd, base) != 0)) {
				diag_error(dl, path, 0, "cannot move the folder an "
				    "interrupted run set aside back to %s/%s: %s",
				    parent, base, strerror(errno));
				free(path);
				goto cleanup;
			}
		} else if ((err = rm_tree_at(pfd, names.v[i], 0)) != 0) {
			diag_warning(dl, path, 0, "cannot remove what an interrupted "
			    "run left: %s", strerror(err));
		}
		free(path);
	}
	rc = 0;
cleanup:
	if (d != NULL)
		closedir(d);
	strvec_free(&names);
	return rc;
}

/* ---- the new folder ------------------------------------------------------------ */

/*
 * Recreates the entries of the folder ffd inside the folder tfd: folders
 * with their modes and times (ours, units/ and superseded/, with
 * PUBLISH_DIR_MODE), regular files as hard links (copies where links are
 * refused), symbolic links as links (never followed).  The files being
 * published (files, n; prefix is the sub-folder ffd stands for, "" or
 * "units/") are left out; path names ffd in messages.  Syncs each folder
 * it makes.  Returns 0, or -1 after adding an error.
 */
static int
carry_tree(int ffd, int tfd, const char *path, const char *prefix,
    const out_file_t *files, size_t n, int depth, diag_list_t *dl)
{
	strvec_t names = { 0 };
	DIR *d = NULL;
	struct dirent *e;
	char *sub = NULL;
	int rc = -1, dfd, err;

	if (depth >= DEPTH_MAX) {
		diag_error(dl, path, 0, "cannot keep: folders nested more than "
		    "%d deep", DEPTH_MAX);
		return -1;
	}
	if ((dfd = fcntl(ffd, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    (d = fdopendir(dfd)) == NULL) {
		diag_error(dl, path, 0, "cannot read: %s", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto cleanup;
	}
	rewinddir(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (is_published_name(prefix, e->d_name, files, n))
			continue;
		strvec_push(&names, e->d_name);
	}
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		struct stat st;

		free(sub);
		sub = xasprintf("%s/%s", path, name);
		if (fstatat(ffd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			diag_error(dl, sub, 0, "cannot keep: %s", strerror(errno));
			goto cleanup;
		}
		if (S_ISDIR(st.st_mode)) {
			int cf = -1, ct = -1, sub_rc = -1;
			struct timespec ts[2] = { st.st_atim, st.st_mtim };
			/* published names go one level deep: SUB/NAME */
			char *subprefix = xasprintf("%s/", name);
			bool top = prefix[0] == '\0';
			bool ours = top && strcmp(name, SUPERSEDED) == 0;
			mode_t mode = st.st_mode & 07777;

			for (size_t k = 0; top && k < n; k++)
				if (strncmp(files[k].name, subprefix,
				    strlen(subprefix)) == 0)
					ours = true;
			if (ours)
				mode = PUBLISH_DIR_MODE;
			if (x_mkdirat(tfd, name, 0700) != 0 ||
			    (cf = open_dir_at(ffd, name)) < 0 ||
			    (ct = open_dir_at(tfd, name)) < 0)
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(errno));
			else if (carry_tree(cf, ct, sub, subprefix, top ? files : NULL,
			    top ? n : 0, depth + 1, dl) == 0) {
				if (x_fchmod(ct, mode) != 0 || futimens(ct, ts) != 0 ||
				    x_fsync(ct) != 0)
					diag_error(dl, sub, 0, "cannot keep: %s",
					    strerror(errno));
				else
					sub_rc = 0;
			}
			if (cf >= 0)
				close(cf);
			if (ct >= 0)
				close(ct);
			free(subprefix);
			if (sub_rc != 0)
				goto cleanup;
		} else if (S_ISREG(st.st_mode)) {
			if ((err = link_or_copy(ffd, name, tfd, name, &st)) != 0) {
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(err));
				goto cleanup;
			}
		} else if (S_ISLNK(st.st_mode)) {
			char to[PATH_MAX];
			ssize_t len = readlinkat(ffd, name, to, sizeof to - 1);

			if (len >= 0)
				to[len] = '\0';
			if (len < 0 || faulted("symlink") != 0 ||
			    symlinkat(to, tfd, name) != 0) {
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(errno));
				goto cleanup;
			}
		} else {
			diag_error(dl, sub, 0, "cannot keep this in the new folder: "
			    "not a file, folder or link; remove it or move it away");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	free(sub);
	if (d != NULL)
		closedir(d);
	strvec_free(&names);
	return rc;
}

/*
 * The sub-folder `name` of the new folder stage (units/, superseded/):
 * made when the old folder had none, PUBLISH_DIR_MODE, opened without
 * following a link.  Returns its fd, or -1 after adding an error about
 * target/name.
 */
static int
own_subdir(int stage, const char *name, const char *target, diag_list_t *dl)
{
	int fd;

	if (x_mkdirat(stage, name, 0700) != 0 && errno != EEXIST) {
		diag_error(dl, target, 0, "cannot create %s/: %s", name,
		    strerror(errno));
		return -1;
	}
	if ((fd = open_dir_at(stage, name)) < 0) {
		diag_error(dl, target, 0, "cannot open %s/: %s", name,
		    strerror(errno));
		return -1;
	}
	if (x_fchmod(fd, PUBLISH_DIR_MODE) != 0) {
		diag_error(dl, target, 0, "cannot set the mode of %s/: %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Keeps the file old/name (whose stat is st), about to be replaced, as
 * stage/superseded/STEM-YYYY-MM-DDTHHMMSS.EXT, the time being its
 * modification time in local time; -2, -3, ... are added before .EXT when
 * that name already holds other bytes (a name holding the same bytes is
 * reused).  Returns the kept name relative to the folder (caller frees), or
 * NULL after adding an error about target.
 */
static char *
keep_old(int old, int stage, const char *name, const struct stat *st,
    const char *target, const char *file, diag_list_t *dl)
{
	const char *dot = strrchr(name, '.');
	const char *ext = dot != NULL && dot != name ? dot : "";
	char *stem = xstrndup(name, strlen(name) - strlen(ext));
	char *cand = NULL, *kept = NULL;
	char stamp[64];
	struct tm tm;
	int sfd = -1, err;

	if (localtime_r(&st->st_mtime, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H%M%S", &tm) == 0)
		snprintf(stamp, sizeof stamp, "%lld", (long long)st->st_mtime);
	if ((sfd = own_subdir(stage, SUPERSEDED, target, dl)) < 0)
		goto cleanup;
	for (unsigned k = 1; ; k++) {
		struct stat cst;

		free(cand);
		cand = k == 1 ? xasprintf("%s-%s%s", stem, stamp, ext)
		    : xasprintf("%s-%s-%u%s", stem, stamp, k, ext);
		if (fstatat(sfd, cand, &cst, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISREG(cst.st_mode) && files_equal(old, name, sfd, cand))
				break;          /* already kept */
			continue;
		}
		if (errno != ENOENT)
			err = errno;
		else if ((err = link_or_copy(old, name, sfd, cand, st)) == 0 &&
		    x_fsync(sfd) != 0)
			err = errno;
		if (err != 0) {
			diag_error(dl, file, 0, "cannot keep the previous version "
			    "as %s/%s: %s", SUPERSEDED, cand, strerror(err));
			goto cleanup;
		}
		break;
	}
	kept = xasprintf("%s/%s", SUPERSEDED, cand);
cleanup:
	if (sfd >= 0)
		close(sfd);
	free(cand);
	free(stem);
	return kept;
}

/*
 * Puts the complete folder pfd/stage in the place of pfd/base (which
 * exists when have_old): one renameat2(RENAME_EXCHANGE), or where that is
 * not supported, base renamed aside to .base.old-PID and stage renamed
 * into place.  Returns 0 and sets *aside to the name the old folder now
 * has (NULL when there was none; the caller removes and frees it), or -1
 * after adding an error about target, with it as it was (should even the
 * move back fail, the next run moves it back).
 */
static int
swap_in(int pfd, const char *stage, const char *base, const char *target,
    bool have_old, char **aside, diag_list_t *dl)
{
	char *old = NULL;
	int rc = -1;

	*aside = NULL;
	if (!have_old) {
		if (x_renameat2(pfd, stage, pfd, base, RENAME_NOREPLACE) != 0 &&
		    (errno != EINVAL || renameat(pfd, stage, pfd, base) != 0)) {
			diag_error(dl, target, 0, "cannot rename into place: %s",
			    strerror(errno));
			goto cleanup;
		}
	} else if (x_renameat2(pfd, stage, pfd, base, RENAME_EXCHANGE) == 0) {
		*aside = xstrdup(stage);        /* now holds the old folder */
	} else if (errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
		struct stat st;

		for (unsigned k = 1; ; k++) {
			free(old);
			old = k == 1 ? xasprintf(".%s.old-%ld", base, (long)getpid()) :
			    xasprintf(".%s.old-%ld-%u", base, (long)getpid(), k);
			if (fstatat(pfd, old, &st, AT_SYMLINK_NOFOLLOW) != 0)
				break;
		}
		if (x_renameat2(pfd, base, pfd, old, RENAME_NOREPLACE) != 0 &&
		    (errno != EINVAL || renameat(pfd, base, pfd, old) != 0)) {
			diag_error(dl, target, 0, "cannot move aside: %s",
			    strerror(errno));
			goto cleanup;
		}
		if (renameat(pfd, stage, pfd, base) != 0) {
			diag_error(dl, target, 0, "cannot rename into place: %s",
			    strerror(errno));
			(void)renameat(pfd, old, pfd, base);
			goto cleanup;
		}
		*aside = old;
		old = NULL;
	} else {
		diag_error(dl, target, 0, "cannot swap in the new folder: %s",
		    strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(old);
	return rc;
}

/*
 * What stands in the old folder where the new one writes: a published
 * file must be a regular file, and its sub-folder (units/) and
 * superseded/ real folders, none of them a link.  Returns 0, or -1 after
 * adding an error naming the path.
 */
static int
check_old(int old_fd, const char *target, const out_file_t *files, size_t n,
    diag_list_t *dl)
{
	struct stat st;

	if (fstatat(old_fd, SUPERSEDED, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISDIR(st.st_mode)) {
		diag_error(dl, target, 0, "%s/ is %s, not a folder: tongbao never "
		    "writes through a link or over a file; replace it by a folder",
		    SUPERSEDED, kind_of(st.st_mode));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char *sub = sub_of(files[i].name);
		int sfd;

		if (sub != NULL && fstatat(old_fd, sub, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
			diag_error(dl, target, 0, "%s/ is %s, not a folder: tongbao "
			    "never writes through a link or over a file; replace it "
			    "by a folder", sub, kind_of(st.st_mode));
			free(sub);
			return -1;
		}
		free(sub);
		if ((sfd = dir_of(old_fd, files[i].name)) < 0)
			continue;       /* no sub-folder yet */
		if (fstatat(sfd, leaf_of(files[i].name), &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
			diag_error(dl, target, 0, "%s is there and is %s, not a "
			    "file; not replacing it", files[i].name,
			    kind_of(st.st_mode));
			close(sfd);
			return -1;
		}
		close(sfd);
	}
	return 0;
}

/* True when the old folder and its own sub-folders have the mode of a
 * publication (an earlier run under umask 077 may have left 0700). */
static bool
modes_right(int old_fd, const out_file_t *files, size_t n)
{
	struct stat st;

	if (fstat(old_fd, &st) != 0 || (st.st_mode & 07777) != PUBLISH_DIR_MODE)
		return false;
	for (size_t i = 0; i < n; i++) {
		char *sub = sub_of(files[i].name);
		bool ok = sub == NULL || (fstatat(old_fd, sub, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & 07777) ==
		    PUBLISH_DIR_MODE);

		free(sub);
		if (!ok)
			return false;
	}
	return true;
}

bool
publish_has(const char *dir, const char *name)
{
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int sfd = dfd >= 0 ? dir_of(dfd, name) : -1;
	bool has = sfd >= 0 && fstatat(sfd, leaf_of(name), &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);

	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return has;
}

/*
 * One publication, as publish_files() takes it through its steps: each
 * step returns 0, or -1 after adding an error; the folder is only ever
 * changed by the switch (pub_switch), and pub_end() removes whatever a
 * step that failed left beside it.
 */
struct pub {
	const out_file_t *files;
	size_t            n;
	diag_list_t      *dl;
	char             *parent, *base;   /* OUT, and the folder's name in it */
	char             *target;          /* OUT/base, as messages name it */
	char             *stage;           /* .base.new-PID, once made */
	char             *aside;           /* the old folder's name after the switch */
	strvec_t          kept_file, kept_as;    /* superseded: path, name */
	bool             *changed;         /* files[i] differs from the old one */
	size_t            nchanged;
	bool              have_old, staged;
	int               pfd, old_fd, stage_fd;
};

/* The names to publish are one or two plain components; one kept when
 * superseded is one. */
static int
pub_check_names(struct pub *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (!good_name(p->files[i].name) || (p->files[i].keep_superseded &&
		    strchr(p->files[i].name, '/') != NULL)) {
			diag_error(p->dl, p->target, 0, "'%s' is not a file name",
			    p->files[i].name);
			return -1;
		}
	}
	return 0;
}

/* OUT made and opened; what an interrupted run left there cleared. */
static int
pub_open_parent(struct pub *p)
{
	int err;

	if ((err = make_dirs(p->parent)) != 0) {
		diag_error(p->dl, p->parent, 0, "cannot create the output folder: %s",
		    strerror(err));
		return -1;
	}
	if ((p->pfd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(p->dl, p->parent, 0, "cannot open the output folder: %s",
		    strerror(errno));
		return -1;
	}
	return clean_leftovers(p->pfd, p->parent, p->base, p->dl);
}

/* The published folder, when there is one: a real folder, and nothing in
 * it where the new set writes that is a link or of the wrong kind. */
static int
pub_open_old(struct pub *p)
{
	struct stat st;

	if (fstatat(p->pfd, p->base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		diag_error(p->dl, p->target, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(p->dl, p->target, 0, "exists and is %s, not a folder: "
		    "tongbao never publishes through a link or over a file; "
		    "replace it by a folder", kind_of(st.st_mode));
		return -1;
	}
	if ((p->old_fd = open_dir_at(p->pfd, p->base)) < 0) {
		diag_error(p->dl, p->target, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	p->have_old = true;
	return check_old(p->old_fd, p->target, p->files, p->n, p->dl);
}

/* Which files change.  True when none does and the modes are right: a
 * set whose bytes are all the same is left alone. */
static bool
pub_unchanged(struct pub *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const buf_t *b = p->files[i].data;

		p->changed[i] = !p->have_old || !file_equals_data(p->old_fd,
		    p->files[i].name, b->data ? b->data : "", b->len);
		if (p->changed[i])
			p->nchanged++;
	}
	return p->have_old && p->nchanged == 0 &&
	    modes_right(p->old_fd, p->files, p->n);
}

/* The new folder beside the old one, readable by nobody else until it is
 * complete, under a name nothing else has taken. */
static int
pub_make_stage(struct pub *p)
{
	struct stat st;

	for (unsigned k = 1; ; k++) {
		free(p->stage);
		p->stage = k == 1 ? xasprintf(".%s.new-%ld", p->base,
		    (long)getpid()) : xasprintf(".%s.new-%ld-%u", p->base,
		    (long)getpid(), k);
		if (x_mkdirat(p->pfd, p->stage, 0700) == 0)
			break;
		if (errno != EEXIST || k >= 100) {
			diag_error(p->dl, p->target, 0, "cannot create the new folder "
			    "beside it (%s/%s): %s", p->parent, p->stage,
			    strerror(errno));
			return -1;
		}
		/* a name taken by something not ours: another one */
	}
	p->staged = true;
	oom_watch(p->pfd, p->stage);
	if ((p->stage_fd = open_dir_at(p->pfd, p->stage)) < 0 ||
	    fstat(p->stage_fd, &st) != 0 || st.st_uid != geteuid()) {
		diag_error(p->dl, p->target, 0, "cannot prepare the new folder "
		    "beside it (%s/%s): %s", p->parent, p->stage,
		    strerror(errno ? errno : EPERM));
		return -1;
	}
	return 0;
}

/* Into the new folder: what the old one holds besides the set (linked),
 * and the sub-folders of published names (units/) it had none of. */
static int
pub_carry(struct pub *p)
{
	if (p->have_old && carry_tree(p->old_fd, p->stage_fd, p->target, "",
	    p->files, p->n, 0, p->dl) != 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		char *sub = sub_of(p->files[i].name);
		int sfd;

		if (sub == NULL)
			continue;
		sfd = own_subdir(p->stage_fd, sub, p->target, p->dl);
		free(sub);
		if (sfd < 0)
			return -1;
		close(sfd);
	}
	return 0;
}

/* files[i] into the new folder: linked from the old one when unchanged,
 * else written, and a replaced one marked keep_superseded kept. */
static int
pub_put(struct pub *p, size_t i)
{
	const char *name = p->files[i].name;
	bool old_exists = false;
	struct stat ost;
	char *file = xasprintf("%s/%s", p->target, name);
	int err = 0, rc = -1;

	if (p->have_old) {
		int sfd = dir_of(p->old_fd, name);

		old_exists = sfd >= 0 && fstatat(sfd, leaf_of(name), &ost,
		    AT_SYMLINK_NOFOLLOW) == 0;
		if (old_exists && !p->changed[i]) {
			int tfd = dir_of(p->stage_fd, name);

			err = tfd < 0 ? errno : link_or_copy(sfd, leaf_of(name), tfd,
			    leaf_of(name), &ost);
			if (tfd >= 0)
				close(tfd);
		}
		if (sfd >= 0)
			close(sfd);
	}
	if (!old_exists || p->changed[i]) {
		err = write_new(p->stage_fd, name, p->files[i].data);
		if (err == 0 && old_exists && p->files[i].keep_superseded) {
			char *kept = keep_old(p->old_fd, p->stage_fd, name, &ost,
			    p->target, file, p->dl);

			if (kept == NULL)
				goto cleanup;
			strvec_push(&p->kept_file, file);
			strvec_push_owned(&p->kept_as, kept);
		}
	}
	if (err != 0) {
		diag_error(p->dl, file, 0, "cannot write: %s", strerror(err));
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(file);
	return rc;
}

/* Every sub-folder of the new folder synced, then the folder itself, made
 * readable. */
static int
pub_sync_stage(struct pub *p)
{
	for (size_t i = 0; i < p->n; i++) {
		char *sub = sub_of(p->files[i].name);
		int sfd, err;

		if (sub == NULL || (i > 0 && strchr(p->files[i - 1].name, '/') &&
		    strncmp(p->files[i - 1].name, p->files[i].name,
		    strlen(sub) + 1) == 0)) {
			free(sub);
			continue;   /* no sub-folder, or synced just before */
		}
		sfd = open_dir_at(p->stage_fd, sub);
		err = sfd < 0 || x_fsync(sfd) != 0 ? errno : 0;
		if (sfd >= 0)
			close(sfd);
		if (err != 0) {
			diag_error(p->dl, p->target, 0, "cannot sync %s/: %s", sub,
			    strerror(err));
			free(sub);
			return -1;
		}
		free(sub);
	}
	if (x_fchmod(p->stage_fd, PUBLISH_DIR_MODE) != 0 ||
	    x_fsync(p->stage_fd) != 0) {
		diag_error(p->dl, p->target, 0, "cannot sync the new folder: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The switch, then OUT synced, the old folder removed and the superseded
 * files reported.  Returns PUB_OK once the new set is in place - PUB_FAIL
 * all the same when OUT cannot be synced: the set may not survive a crash
 * (exit 73) - or PUB_FAIL with the old set in place.
 */
static enum publish_status
pub_switch(struct pub *p)
{
	enum publish_status st = PUB_OK;
	int err;

	if (swap_in(p->pfd, p->stage, p->base, p->target, p->have_old,
	    &p->aside, p->dl) != 0)
		return PUB_FAIL;
	p->staged = false;
	oom_watch(p->pfd, p->aside);
	if (x_fsync(p->pfd) != 0) {
		diag_error(p->dl, p->target, 0, "published, but the output folder "
		    "cannot be synced: %s; the new set may not survive a crash",
		    strerror(errno));
		st = PUB_FAIL;
	}
	if (p->aside != NULL && (err = rm_tree_at(p->pfd, p->aside, 0)) != 0)
		diag_warning(p->dl, p->parent, 0, "cannot remove the previous "
		    "folder %s: %s; the next run removes it", p->aside,
		    strerror(err));
	for (size_t i = 0; i < p->kept_file.n; i++)
		diag_notice(p->dl, p->kept_file.v[i], 0, "replaced; the previous "
		    "version is kept as %s/%s", p->target, p->kept_as.v[i]);
	return st;
}

/* Closes what p opened; a new folder not switched in is removed. */
static void
pub_end(struct pub *p)
{
	int err;

	oom_watch(-1, NULL);
	if (p->stage_fd >= 0)
		close(p->stage_fd);
	if (p->old_fd >= 0)
		close(p->old_fd);
	if (p->staged && p->stage != NULL &&
	    (err = rm_tree_at(p->pfd, p->stage, 0)) != 0)
		diag_warning(p->dl, p->parent, 0, "cannot remove %s: %s; the next "
		    "run removes it", p->stage, strerror(err));
	if (p->pfd >= 0)
		close(p->pfd);
	strvec_free(&p->kept_file);
	strvec_free(&p->kept_as);
	free(p->changed);
	free(p->aside);
	free(p->stage);
	free(p->target);
	free(p->base);
	free(p->parent);
}

enum publish_status
publish_files(const char *dir, const out_file_t *files, size_t n,
    size_t *written, diag_list_t *dl)
{
	struct pub p = { .files = files, .n = n, .dl = dl, .pfd = -1,
	    .old_fd = -1, .stage_fd = -1 };
	enum publish_status st = PUB_FAIL;

	p.changed = xcalloc(n ? n : 1, sizeof *p.changed);
	if (split_dir(dir, &p.parent, &p.base) != 0) {
		diag_error(dl, dir, 0, "not a folder name to publish into");
		goto cleanup;
	}
	p.target = xasprintf("%s%s%s", p.parent, strcmp(p.parent, "/") ? "/" :
	    "", p.base);
	if (pub_check_names(&p) != 0 || pub_open_parent(&p) != 0 ||
	    pub_open_old(&p) != 0)
		goto cleanup;
	if (pub_unchanged(&p)) {
		st = PUB_OK;
		goto cleanup;
	}
	if (pub_make_stage(&p) != 0 || pub_carry(&p) != 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++)
		if (pub_put(&p, i) != 0)
			goto cleanup;
	if (pub_sync_stage(&p) != 0)
		goto cleanup;
	st = pub_switch(&p);
cleanup:
	pub_end(&p);
	if (written)
		*written = st == PUB_OK ? p.nchanged : 0;
	return st;
}
