/*
 * publish.c - publication of a set of outputs as one folder (see
 * publish.h).  The portal and the archive pick files up at any moment and
 * cron may kill a run at any point, so the published folder OUT/YYYYQn is
 * never modified in place: the complete new folder is built beside it as
 * OUT/.YYYYQn.new-PID (same filesystem), every file and folder in it is
 * fsync'ed, and then renameat2(RENAME_EXCHANGE) swaps the two in one step.
 * The old folder, now under the temporary name, is removed; everything in
 * it that was not replaced had been hard-linked into the new one first, and
 * a replaced file marked keep_superseded was linked into superseded/, so
 * removing it deletes no published bytes.
 *
 * Where the kernel or filesystem cannot exchange, the old folder is renamed
 * aside to OUT/.YYYYQn.old-PID and the new one renamed into place: for a
 * moment the folder is missing, but it is never a mix.  The next run (which
 * holds the lock, so no other run is working beside it) removes leftover
 * .new- folders, and renames an .old- folder back when the folder itself is
 * missing, before doing anything else.
 */
#define _GNU_SOURCE     /* renameat2, RENAME_EXCHANGE, nftw */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SUPERSEDED "superseded"
enum { CHUNK = 65536 };

enum leftover { LEFT_NONE, LEFT_NEW, LEFT_OLD };

int
make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
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

enum publish_status
publish_lock(const char *out_root, int *fd, diag_list_t *dl)
{
	char *path = xasprintf("%s/.tongbao.lock", out_root);
	struct flock fl;
	enum publish_status st = PUB_FAIL;
	int rc;

	*fd = -1;
	if ((rc = make_dirs(out_root)) != 0) {
		diag_error(dl, out_root, 0, "cannot create the output folder: %s",
		    strerror(rc));
		goto cleanup;
	}
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		diag_error(dl, path, 0, "cannot open the lock file: %s", strerror(errno));
		goto cleanup;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(*fd, F_SETLK, &fl) != 0) {
		if (errno == EACCES || errno == EAGAIN) {
			diag_error(dl, path, 0, "another tongbao run holds the lock");
			st = PUB_LOCKED;
		} else {
			diag_error(dl, path, 0, "cannot lock: %s", strerror(errno));
		}
		close(*fd);
		*fd = -1;
		goto cleanup;
	}
	st = PUB_OK;
cleanup:
	free(path);
	return st;
}

void
publish_unlock(int fd)
{
	if (fd >= 0)
		close(fd);   /* releases the fcntl lock */
}

/* Writes p[0..n) to fd.  Returns 0 or an errno value. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
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

/*
 * True when dfd/name is a regular file (not a link) holding exactly
 * data[0..len); false when it differs, is missing or cannot be read.
 */
static bool
file_equals_data(int dfd, const char *name, const char *data, size_t len)
{
	char *chunk = NULL;
	struct stat st;
	size_t off = 0;
	bool same = false;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
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
	return same;
}

/* True when the regular files d1/n1 and d2/n2 hold the same bytes. */
static bool
files_equal(int d1, const char *n1, int d2, const char *n2)
{
	buf_t b;
	char *chunk = xmalloc(CHUNK);
	bool same = false;
	int fd = openat(d1, n1, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	buf_init(&b);
	if (fd < 0)
		goto cleanup;
	for (;;) {
		ssize_t r = read_full(fd, chunk, CHUNK);
		if (r < 0)
			goto cleanup;
		if (r == 0)
			break;
		buf_add(&b, chunk, (size_t)r);
	}
	same = file_equals_data(d2, n2, b.data ? b.data : "", b.len);
cleanup:
	if (fd >= 0)
		close(fd);
	free(chunk);
	buf_free(&b);
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

	if ((in = openat(fdir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		rc = errno;
		goto cleanup;
	}
	out = openat(tdir, tname, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    st->st_mode & 07777);
	if (out < 0) {
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
	if (fchmod(out, st->st_mode & 07777) != 0 || futimens(out, ts) != 0 ||
	    fsync(out) != 0)
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
 * inode, bytes and times), or a copy where the filesystem refuses links.
 * Returns 0 or an errno value.
 */
static int
link_or_copy(int fdir, const char *name, int tdir, const char *tname,
    const struct stat *st)
{
	if (linkat(fdir, name, tdir, tname, 0) == 0)
		return 0;
	if (errno == EPERM || errno == EMLINK || errno == EXDEV ||
	    errno == EOPNOTSUPP)
		return copy_file(fdir, name, tdir, tname, st);
	return errno;
}

/* Writes a new file dfd/name holding b, synced.  Returns 0 or an errno value. */
static int
write_new(int dfd, const char *name, const buf_t *b)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return errno;
	rc = write_all(fd, b->data ? b->data : "", b->len);
	if (rc == 0 && fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc;
}

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path) == 0 ? 0 : errno;
}

/* rm -rf path (links are removed, not followed).  Returns 0 or an errno value. */
static int
rm_tree(const char *path)
{
	int rc = nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);

	if (rc == -1)
		rc = errno == ENOENT ? 0 : errno;
	return rc;
}

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

/* Whether name is a staging (.BASE.new-PID) or set-aside (.BASE.old-PID) folder of base. */
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
		    all_digits(name + 1 + bl + 5))
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

/*
 * Removes what an interrupted run left beside target in parent: .new-
 * folders always; an .old- folder is renamed back to target when target is
 * missing (the run died between its two renames), else removed.  Returns
 * 0, or -1 after adding an error (a folder that cannot be removed is only
 * a warning).
 */
static int
clean_leftovers(const char *parent, const char *base, const char *target,
    diag_list_t *dl)
{
	strvec_t names = { 0 };
	DIR *d = opendir(parent);
	struct dirent *e;
	int rc = -1;

	if (d == NULL) {
		diag_error(dl, parent, 0, "cannot read the output folder: %s",
		    strerror(errno));
		goto cleanup;
	}
	while ((e = readdir(d)) != NULL)
		if (leftover_kind(e->d_name, base) != LEFT_NONE)
			strvec_push(&names, e->d_name);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", parent, names.v[i]);
		struct stat st;
		int err;

		if (leftover_kind(names.v[i], base) == LEFT_OLD &&
		    lstat(target, &st) != 0 && errno == ENOENT) {
			if (rename(path, target) != 0) {
				diag_error(dl, path, 0, "cannot move the folder an "
				    "interrupted run set aside back to %s: %s", target,
				    strerror(errno));
				free(path);
				goto cleanup;
			}
		} else if ((err = rm_tree(path)) != 0) {
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

/* Opens the folder dfd/name (not through a link).  Returns the fd or -1. */
static int
open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * Recreates the entries of the folder ffd inside the folder tfd: folders
 * with their modes and times, regular files as hard links (copies where
 * links are refused), symbolic links as links.  The files being published
 * (files, n; prefix is the sub-folder ffd stands for, "" or "units/") are
 * left out; path names ffd in messages.  Syncs each folder it makes.
 * Returns 0, or -1 after adding an error.
 */
static int
carry_tree(int ffd, int tfd, const char *path, const char *prefix,
    const out_file_t *files, size_t n, diag_list_t *dl)
{
	strvec_t names = { 0 };
	DIR *d = NULL;
	struct dirent *e;
	char *sub = NULL;
	int rc = -1, dfd, err;

	if ((dfd = dup(ffd)) < 0 || (d = fdopendir(dfd)) == NULL) {
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

			if (mkdirat(tfd, name, 0700) != 0 ||
			    fchmodat(tfd, name, st.st_mode & 07777, 0) != 0 ||
			    (cf = open_dir_at(ffd, name)) < 0 ||
			    (ct = open_dir_at(tfd, name)) < 0)
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(errno));
			else if (carry_tree(cf, ct, sub, subprefix, top ? files : NULL,
			    top ? n : 0, dl) == 0) {
				if (futimens(ct, ts) != 0 || fsync(ct) != 0)
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
			char to[4096];
			ssize_t len = readlinkat(ffd, name, to, sizeof to - 1);
			if (len >= 0)
				to[len] = '\0';
			if (len < 0 || symlinkat(to, tfd, name) != 0) {
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
 * Keeps the file old/name (whose stat is st), about to be replaced, as
 * stage/superseded/STEM-YYYY-MM-DDTHHMMSS.EXT, the time being its
 * modification time in local time; -2, -3, ... are added before .EXT when
 * that name already holds other bytes (a name holding the same bytes is
 * reused).  Returns the kept name relative to the folder (caller frees), or
 * NULL after adding an error about target.
 */
static char *
keep_old(int old, int stage, const char *name, const struct stat *st,
    const char *target, diag_list_t *dl)
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
	if ((mkdirat(stage, SUPERSEDED, 0755) != 0 && errno != EEXIST) ||
	    (sfd = open_dir_at(stage, SUPERSEDED)) < 0) {
		diag_error(dl, target, 0, "cannot keep the previous version in %s/: %s",
		    SUPERSEDED, strerror(errno));
		goto cleanup;
	}
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
		    fsync(sfd) != 0)
			err = errno;
		if (err != 0) {
			diag_error(dl, target, 0, "cannot keep the previous version "
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
	return **base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0 || strcmp(*base, "/") == 0 ? -1 : 0;
}

/* True when s[0..n) can be one component of a path. */
static bool
good_component(const char *s, size_t n)
{
	return n > 0 && memchr(s, '/', n) == NULL && !(n == 1 && s[0] == '.') &&
	    !(n == 2 && s[0] == '.' && s[1] == '.');
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

/* Syncs the folder path (its entries).  Returns 0 or an errno value. */
static int
sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno;
	if (fsync(fd) != 0)
		rc = errno;
	close(fd);
	return rc;
}

/*
 * Puts the complete folder stage in the place of target (which exists when
 * have_old): one renameat2(RENAME_EXCHANGE), or where that is not
 * supported, target renamed aside to parent/.base.old-PID and stage renamed
 * into place.  Returns 0 and sets *aside to where the old folder now is
 * (NULL when there was none; the caller removes and frees it), or -1 after
 * adding an error, with target as it was (should even the move back fail,
 * the next run moves it back).
 */
static int
swap_in(const char *stage, const char *target, const char *parent,
    const char *base, bool have_old, char **aside, diag_list_t *dl)
{
	char *old = NULL;
	int rc = -1;

	*aside = NULL;
	if (!have_old) {
		if (rename(stage, target) != 0) {
			diag_error(dl, target, 0, "cannot rename into place: %s",
			    strerror(errno));
			goto cleanup;
		}
	} else if (renameat2(AT_FDCWD, stage, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
		*aside = xstrdup(stage);        /* now holds the old folder */
	} else if (errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
		old = xasprintf("%s/.%s.old-%ld", parent, base, (long)getpid());
		if (rename(target, old) != 0) {
			diag_error(dl, target, 0, "cannot move aside: %s", strerror(errno));
			goto cleanup;
		}
		if (rename(stage, target) != 0) {
			diag_error(dl, target, 0, "cannot rename into place: %s",
			    strerror(errno));
			rename(old, target);
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

enum publish_status
publish_files(const char *dir, const out_file_t *files, size_t n,
    size_t *written, diag_list_t *dl)
{
	char *parent = NULL, *base = NULL, *target = NULL, *stage = NULL;
	char *aside = NULL;
	strvec_t kept_file = { 0 }, kept_as = { 0 };
	bool *changed = xcalloc(n ? n : 1, sizeof *changed);
	enum publish_status st = PUB_FAIL;
	struct stat tst;
	bool have_old = false, staged = false;
	size_t nw = 0;
	int old_fd = -1, stage_fd = -1, err;

	if (split_dir(dir, &parent, &base) != 0) {
		diag_error(dl, dir, 0, "not a folder name to publish into");
		goto cleanup;
	}
	target = xasprintf("%s%s%s", parent, strcmp(parent, "/") ? "/" : "", base);
	for (size_t i = 0; i < n; i++) {
		if (!good_name(files[i].name) || (files[i].keep_superseded &&
		    strchr(files[i].name, '/') != NULL)) {
			diag_error(dl, target, 0, "'%s' is not a file name", files[i].name);
			goto cleanup;
		}
	}
	if ((err = make_dirs(parent)) != 0) {
		diag_error(dl, parent, 0, "cannot create the output folder: %s",
		    strerror(err));
		goto cleanup;
	}
	if (clean_leftovers(parent, base, target, dl) != 0)
		goto cleanup;
	if (lstat(target, &tst) == 0) {
		if (!S_ISDIR(tst.st_mode)) {
			diag_error(dl, target, 0, "exists and is not a folder");
			goto cleanup;
		}
		if ((old_fd = open_dir_at(AT_FDCWD, target)) < 0) {
			diag_error(dl, target, 0, "cannot read: %s", strerror(errno));
			goto cleanup;
		}
		have_old = true;
	} else if (errno != ENOENT) {
		diag_error(dl, target, 0, "cannot read: %s", strerror(errno));
		goto cleanup;
	}

	/* What changes; a set whose bytes are all the same is left alone. */
	for (size_t i = 0; i < n; i++) {
		const buf_t *b = files[i].data;
		struct stat ost;

		if (have_old && fstatat(old_fd, files[i].name, &ost,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(ost.st_mode)) {
			diag_error(dl, target, 0, "%s is there and is not a regular "
			    "file; not replacing it", files[i].name);
			goto cleanup;
		}
		changed[i] = !have_old || !file_equals_data(old_fd, files[i].name,
		    b->data ? b->data : "", b->len);
		if (changed[i])
			nw++;
	}
	if (have_old && nw == 0) {
		st = PUB_OK;
		goto cleanup;
	}

	/* The complete new folder, beside the old one. */
	stage = xasprintf("%s/.%s.new-%ld", parent, base, (long)getpid());
	if (mkdir(stage, 0755) != 0) {
		diag_error(dl, stage, 0, "cannot create: %s", strerror(errno));
		goto cleanup;
	}
	staged = true;
	if ((have_old && chmod(stage, tst.st_mode & 07777) != 0) ||
	    (stage_fd = open_dir_at(AT_FDCWD, stage)) < 0) {
		diag_error(dl, stage, 0, "cannot prepare: %s", strerror(errno));
		goto cleanup;
	}
	if (have_old && carry_tree(old_fd, stage_fd, target, "", files, n, dl) != 0)
		goto cleanup;
	/* sub-folders of published names (units/), when the old folder had none */
	for (size_t i = 0; i < n; i++) {
		const char *slash = strchr(files[i].name, '/');
		char *sub;

		if (slash == NULL)
			continue;
		sub = xstrndup(files[i].name, (size_t)(slash - files[i].name));
		if (mkdirat(stage_fd, sub, 0755) != 0 && errno != EEXIST) {
			diag_error(dl, stage, 0, "cannot create %s: %s", sub,
			    strerror(errno));
			free(sub);
			goto cleanup;
		}
		free(sub);
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = files[i].name;
		const buf_t *b = files[i].data;
		bool old_exists = false;
		struct stat ost;
		char *kept;

		if (have_old && fstatat(old_fd, name, &ost, AT_SYMLINK_NOFOLLOW) == 0)
			old_exists = true;
		if (old_exists && !changed[i]) {
			err = link_or_copy(old_fd, name, stage_fd, name, &ost);
		} else {
			err = write_new(stage_fd, name, b);
			if (err == 0 && old_exists && files[i].keep_superseded) {
				char *file = xasprintf("%s/%s", target, name);
				kept = keep_old(old_fd, stage_fd, name, &ost, file, dl);
				if (kept == NULL) {
					free(file);
					goto cleanup;
				}
				strvec_push_owned(&kept_file, file);
				strvec_push_owned(&kept_as, kept);
			}
		}
		if (err != 0) {
			diag_error(dl, target, 0, "cannot write %s: %s", name,
			    strerror(err));
			goto cleanup;
		}
	}
	if (fsync(stage_fd) != 0) {
		diag_error(dl, stage, 0, "cannot sync: %s", strerror(errno));
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		const char *slash = strchr(files[i].name, '/');
		char *sub;
		int sfd;

		if (slash == NULL || (i > 0 && strchr(files[i - 1].name, '/') &&
		    strncmp(files[i - 1].name, files[i].name,
		    (size_t)(slash - files[i].name) + 1) == 0))
			continue;   /* no sub-folder, or synced just before */
		sub = xstrndup(files[i].name, (size_t)(slash - files[i].name));
		sfd = open_dir_at(stage_fd, sub);
		err = sfd < 0 || fsync(sfd) != 0 ? errno : 0;
		if (sfd >= 0)
			close(sfd);
		free(sub);
		if (err != 0) {
			diag_error(dl, stage, 0, "cannot sync: %s", strerror(err));
			goto cleanup;
		}
	}

	/* The switch. */
	if (swap_in(stage, target, parent, base, have_old, &aside, dl) != 0)
		goto cleanup;
	staged = false;
	if ((err = sync_dir(parent)) != 0)
		diag_warning(dl, parent, 0, "cannot sync: %s", strerror(err));
	if (aside != NULL && (err = rm_tree(aside)) != 0)
		diag_warning(dl, aside, 0, "cannot remove the previous folder: %s; "
		    "the next run removes it", strerror(err));
	for (size_t i = 0; i < kept_file.n; i++)
		diag_warning(dl, kept_file.v[i], 0, PUBLISH_REPLACED " the previous version "
		    "is kept as %s/%s", target, kept_as.v[i]);
	st = PUB_OK;
cleanup:
	if (stage_fd >= 0)
		close(stage_fd);
	if (old_fd >= 0)
		close(old_fd);
	if (staged && stage != NULL && (err = rm_tree(stage)) != 0)
		diag_warning(dl, stage, 0, "cannot remove: %s; the next run removes it",
		    strerror(err));
	strvec_free(&kept_file);
	strvec_free(&kept_as);
	free(changed);
	free(aside);
	free(stage);
	free(target);
	free(base);
	free(parent);
	if (written)
		*written = st == PUB_OK ? nw : 0;
	return st;
}
