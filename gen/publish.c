/*
 * publish.c - atomic publication of a set of outputs (see publish.h).  The
 * portal and the archive pick files up at any moment, so a target is only
 * ever replaced by rename(2) of a complete, fsync'ed temporary in the same
 * folder; nothing is renamed until every temporary of the set exists.
 */
#define _POSIX_C_SOURCE 200809L
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* True when path holds exactly data. */
static int
same_content(const char *path, const buf_t *data)
{
	char *old = NULL;
	size_t len = 0;
	int same;

	if (read_file(path, &old, &len) != 0)
		return 0;
	same = len == data->len && (len == 0 || memcmp(old, data->data, len) == 0);
	free(old);
	return same;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum publish_status
publish_files(const char *dir, const out_file_t *files, size_t n,
    size_t *written, diag_list_t *dl)
{
	char **tmp = xcalloc(n, sizeof *tmp);
	char **dst = xcalloc(n, sizeof *dst);
	enum publish_status st = PUB_FAIL;
	size_t nw = 0;
	int rc, dfd;

	if ((rc = make_dirs(dir)) != 0) {
		diag_error(dl, dir, 0, "cannot create the output folder: %s",
		    strerror(rc));
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		int fd;

		dst[i] = xasprintf("%s/%s", dir, files[i].name);
		if (same_content(dst[i], files[i].data))
			continue;
		tmp[i] = xasprintf("%s/.%s.tmp%ld", dir, files[i].name, (long)getpid());
		fd = open(tmp[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write_all(fd, files[i].data->data ? files[i].data->data : "",
		    files[i].data->len) != 0 || fsync(fd) != 0) {
			diag_error(dl, dst[i], 0, "cannot write: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			goto cleanup;
		}
		if (close(fd) != 0) {
			diag_error(dl, dst[i], 0, "cannot write: %s", strerror(errno));
			goto cleanup;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (tmp[i] == NULL)
			continue;
		if (rename(tmp[i], dst[i]) != 0) {
			diag_error(dl, dst[i], 0, "cannot rename into place: %s",
			    strerror(errno));
			goto cleanup;
		}
		free(tmp[i]);
		tmp[i] = NULL;
		nw++;
	}
	/* make the renames durable */
	dfd = open(dir, O_RDONLY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	st = PUB_OK;
cleanup:
	for (size_t i = 0; i < n; i++) {
		if (tmp[i] != NULL) {
			unlink(tmp[i]);
			free(tmp[i]);
		}
		free(dst[i]);
	}
	free(tmp);
	free(dst);
	if (written)
		*written = nw;
	return st;
}
