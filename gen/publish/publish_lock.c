/*
 * publish_lock.c - the lock that keeps two runs from publishing the same
 * folder at once (a file beside it, never followed through a link, held
 * with fcntl; --wait), and the leftovers of an interrupted run, cleared
 * under it: .new- folders removed, an .old- folder renamed back when the
 * folder itself is missing, and anything else of such a name, or another
 * user's, left alone with a notice.  Part of the publication
 * (publish_int.h).
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

enum leftover { LEFT_NONE, LEFT_NEW, LEFT_OLD };

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
	if ((err = pf_make_dirs(out_root)) != 0) {
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
		    pf_kind_of(st.st_mode));
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

/* True when s is one or more decimal digits and nothing else. */
bool
pf_all_digits(const char *s)
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
		return pf_all_digits(s);
	if ((size_t)(dash - s) >= sizeof head || dash == s)
		return false;
	memcpy(head, s, (size_t)(dash - s));
	head[dash - s] = '\0';
	return pf_all_digits(head) && pf_all_digits(dash + 1);
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
 * Removes what an interrupted run left beside target in the folder pfd
 * (path `parent` in messages): .new- folders always; an .old- folder is
 * renamed back to base when base is missing (the run died between its two
 * renames), else removed.  Only real folders owned by this user are the
 * program's: a link, a file or another user's folder of such a name is
 * left alone with a warning.  Returns 0, or -1 after adding an error (a
 * folder that cannot be removed is only a warning).
 */
int
pf_clean_leftovers(int pfd, const char *parent, const char *base,
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
				    "%s; remove it by hand", pf_kind_of(st.st_mode));
		} else if (leftover_kind(names.v[i], base) == LEFT_OLD &&
		    fstatat(pfd, base, &tst, AT_SYMLINK_NOFOLLOW) != 0 &&
		    errno == ENOENT) {
			if (pf_renameat2(pfd, names.v[i], pfd, base,
			    RENAME_NOREPLACE) != 0 && (errno != EINVAL ||
			    renameat(pfd, names.v[i], pfd, base) != 0)) {
				diag_error(dl, path, 0, "cannot move the folder an "
				    "interrupted run set aside back to %s/%s: %s",
				    parent, base, strerror(errno));
				free(path);
				goto cleanup;
			}
		} else if ((err = pf_rm_tree_at(pfd, names.v[i], 0)) != 0) {
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
