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
 *
 * This file builds the new folder and swaps it in (publish_files, step by
 * step); the system calls, names and files are publish_fs.c's, the lock
 * and the leftovers publish_lock.c's (publish_int.h between them).
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
		    pf_all_digits(name + 1 + len + 4))
			return true;
	}
	return false;
}

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
			if (pf_mkdirat(tfd, name, 0700) != 0 ||
			    (cf = pf_open_dir_at(ffd, name)) < 0 ||
			    (ct = pf_open_dir_at(tfd, name)) < 0)
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(errno));
			else if (carry_tree(cf, ct, sub, subprefix, top ? files : NULL,
			    top ? n : 0, depth + 1, dl) == 0) {
				if (pf_fchmod(ct, mode) != 0 || futimens(ct, ts) != 0 ||
				    pf_fsync(ct) != 0)
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
			if ((err = pf_link_or_copy(ffd, name, tfd, name, &st)) != 0) {
				diag_error(dl, sub, 0, "cannot keep: %s", strerror(err));
				goto cleanup;
			}
		} else if (S_ISLNK(st.st_mode)) {
			char to[PATH_MAX];
			ssize_t len = readlinkat(ffd, name, to, sizeof to - 1);

			if (len >= 0)
				to[len] = '\0';
			if (len < 0 || pf_faulted("symlink") != 0 ||
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

	if (pf_mkdirat(stage, name, 0700) != 0 && errno != EEXIST) {
		diag_error(dl, target, 0, "cannot create %s/: %s", name,
		    strerror(errno));
		return -1;
	}
	if ((fd = pf_open_dir_at(stage, name)) < 0) {
		diag_error(dl, target, 0, "cannot open %s/: %s", name,
		    strerror(errno));
		return -1;
	}
	if (pf_fchmod(fd, PUBLISH_DIR_MODE) != 0) {
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
			if (S_ISREG(cst.st_mode) && pf_files_equal(old, name, sfd, cand))
				break;          /* already kept */
			continue;
		}
		if (errno != ENOENT)
			err = errno;
		else if ((err = pf_link_or_copy(old, name, sfd, cand, st)) == 0 &&
		    pf_fsync(sfd) != 0)
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
		if (pf_renameat2(pfd, stage, pfd, base, RENAME_NOREPLACE) != 0 &&
		    (errno != EINVAL || renameat(pfd, stage, pfd, base) != 0)) {
			diag_error(dl, target, 0, "cannot rename into place: %s",
			    strerror(errno));
			goto cleanup;
		}
	} else if (pf_renameat2(pfd, stage, pfd, base, RENAME_EXCHANGE) == 0) {
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
		if (pf_renameat2(pfd, base, pfd, old, RENAME_NOREPLACE) != 0 &&
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
		    SUPERSEDED, pf_kind_of(st.st_mode));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char *sub = pf_sub_of(files[i].name);
		int sfd;

		if (sub != NULL && fstatat(old_fd, sub, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
			diag_error(dl, target, 0, "%s/ is %s, not a folder: tongbao "
			    "never writes through a link or over a file; replace it "
			    "by a folder", sub, pf_kind_of(st.st_mode));
			free(sub);
			return -1;
		}
		free(sub);
		if ((sfd = pf_dir_of(old_fd, files[i].name)) < 0)
			continue;       /* no sub-folder yet */
		if (fstatat(sfd, pf_leaf_of(files[i].name), &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
			diag_error(dl, target, 0, "%s is there and is %s, not a "
			    "file; not replacing it", files[i].name,
			    pf_kind_of(st.st_mode));
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
		char *sub = pf_sub_of(files[i].name);
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
	int sfd = dfd >= 0 ? pf_dir_of(dfd, name) : -1;
	bool has = sfd >= 0 && fstatat(sfd, pf_leaf_of(name), &st,
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
		if (!pf_good_name(p->files[i].name) || (p->files[i].keep_superseded &&
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

	if ((err = pf_make_dirs(p->parent)) != 0) {
		diag_error(p->dl, p->parent, 0, "cannot create the output folder: %s",
		    strerror(err));
		return -1;
	}
	if ((p->pfd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(p->dl, p->parent, 0, "cannot open the output folder: %s",
		    strerror(errno));
		return -1;
	}
	return pf_clean_leftovers(p->pfd, p->parent, p->base, p->dl);
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
		    "replace it by a folder", pf_kind_of(st.st_mode));
		return -1;
	}
	if ((p->old_fd = pf_open_dir_at(p->pfd, p->base)) < 0) {
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

		p->changed[i] = !p->have_old || !pf_file_equals_data(p->old_fd,
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
		if (pf_mkdirat(p->pfd, p->stage, 0700) == 0)
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
	pf_oom_watch(p->pfd, p->stage);
	if ((p->stage_fd = pf_open_dir_at(p->pfd, p->stage)) < 0 ||
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
		char *sub = pf_sub_of(p->files[i].name);
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
		int sfd = pf_dir_of(p->old_fd, name);

		old_exists = sfd >= 0 && fstatat(sfd, pf_leaf_of(name), &ost,
		    AT_SYMLINK_NOFOLLOW) == 0;
		if (old_exists && !p->changed[i]) {
			int tfd = pf_dir_of(p->stage_fd, name);

			err = tfd < 0 ? errno : pf_link_or_copy(sfd, pf_leaf_of(name), tfd,
			    pf_leaf_of(name), &ost);
			if (tfd >= 0)
				close(tfd);
		}
		if (sfd >= 0)
			close(sfd);
	}
	if (!old_exists || p->changed[i]) {
		err = pf_write_new(p->stage_fd, name, p->files[i].data);
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
		char *sub = pf_sub_of(p->files[i].name);
		int sfd, err;

		if (sub == NULL || (i > 0 && strchr(p->files[i - 1].name, '/') &&
		    strncmp(p->files[i - 1].name, p->files[i].name,
		    strlen(sub) + 1) == 0)) {
			free(sub);
			continue;   /* no sub-folder, or synced just before */
		}
		sfd = pf_open_dir_at(p->stage_fd, sub);
		err = sfd < 0 || pf_fsync(sfd) != 0 ? errno : 0;
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
	if (pf_fchmod(p->stage_fd, PUBLISH_DIR_MODE) != 0 ||
	    pf_fsync(p->stage_fd) != 0) {
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
	pf_oom_watch(p->pfd, p->aside);
	if (pf_fsync(p->pfd) != 0) {
		diag_error(p->dl, p->target, 0, "published, but the output folder "
		    "cannot be synced: %s; the new set may not survive a crash",
		    strerror(errno));
		st = PUB_FAIL;
	}
	if (p->aside != NULL && (err = pf_rm_tree_at(p->pfd, p->aside, 0)) != 0)
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

	pf_oom_watch(-1, NULL);
	if (p->stage_fd >= 0)
		close(p->stage_fd);
	if (p->old_fd >= 0)
		close(p->old_fd);
	if (p->staged && p->stage != NULL &&
	    (err = pf_rm_tree_at(p->pfd, p->stage, 0)) != 0)
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
	if (pf_split_dir(dir, &p.parent, &p.base) != 0) {
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
