/*
 * publish.h - publishing a set of outputs so that readers never see a mix
 * of old and new files, nor half a file.  The whole folder OUT/YYYYQn is
 * built complete beside its target (OUT/.YYYYQn.new-PID), synced, and then
 * swapped with the published folder in one rename (Linux RENAME_EXCHANGE).
 * Files of the old folder that are not being written (the superseded/
 * archive, anything an operator put there) are carried over by hard links;
 * a file whose bytes do not change keeps its inode and modification time,
 * and a set whose bytes do not change at all is not touched.  A file marked
 * keep_superseded that would be replaced by different bytes is kept as
 * superseded/STEM-YYYY-MM-DDTHHMMSS.EXT (its old modification time, local
 * time).  Nothing published is ever deleted.  A lock per folder keeps two
 * runs for one folder from interleaving; runs for different folders do not
 * wait for each other.
 *
 * Hostile filesystems (cron runs this as root; others may write in OUT):
 * nothing below OUT is ever reached through a symbolic link - every file
 * and folder is opened relative to its folder with O_NOFOLLOW, created with
 * O_EXCL, and checked with fstat - so a link planted as OUT/YYYYQn, as its
 * units/ or superseded/, as a .new-/.old- leftover or as the lock file is
 * refused (an error naming it: exit 73), never followed.  Only folders of
 * this program (named .YYYYQn.new-PID / .old-PID, real folders owned by
 * the user running it) are removed as leftovers; anything else of such a
 * name is left alone with a warning.  Files get mode 0644 and folders 0755
 * whatever the umask (PUBLISH_FILE_MODE, PUBLISH_DIR_MODE); an output of
 * the program with another mode is rewritten.  All names are relative to
 * an open folder, so an OUT near PATH_MAX works as any other.
 */
#ifndef TB_PUBLISH_H
#define TB_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "util.h"

/* The modes of what is published (the web server reads them). */
#define PUBLISH_FILE_MODE 0644
#define PUBLISH_DIR_MODE  0755

typedef struct out_file {
	const char  *name;    /* NAME or SUB/NAME (one level: units/wuhan.pdf) */
	const buf_t *data;
	/* keep the replaced version under superseded/ (top-level names only;
	 * the last member: with -Wextra every initialiser names it,
	 * { "a.csv", &buf, false }) */
	bool         keep_superseded;
} out_file_t;

enum publish_status { PUB_OK = 0, PUB_LOCKED = 1, PUB_FAIL = -1 };

/*
 * Takes the lock of folder `name` of out_root: an fcntl lock on
 * OUT/.NAME.lock (OUT is created when needed), waiting up to wait_seconds
 * for another run to release it (0: not at all).  A lock held by a process
 * that died is released by the kernel, so a stale lock file never blocks.
 * A lock file that is a symbolic link, or no regular file of one link, is
 * refused.  Returns PUB_OK and *fd, PUB_LOCKED (after adding an error)
 * when another run holds it, PUB_FAIL after adding an error to dl.
 */
enum publish_status publish_lock(const char *out_root, const char *name,
    unsigned wait_seconds, int *fd, diag_list_t *dl);
void publish_unlock(int fd);

/*
 * Publishes files[0..n) as the folder dir (its parents are created), all
 * at once; call it holding the lock of dir.  First removes what an
 * interrupted run left beside dir (.NAME.new-PID, .NAME.old-PID; an .old-
 * folder is renamed back when dir itself is missing).  When every file
 * already holds exactly these bytes (and the folders and files have the
 * modes above) nothing is touched.  Otherwise the new folder replaces dir
 * in one step; for each file marked keep_superseded whose old bytes
 * differ, a warning in dl names the kept copy.  On any failure (a full
 * disk, an I/O error, a symbolic link where it would write) dir is left
 * exactly as it was, the staging folder is removed and the error names the
 * path - but for a failure to sync OUT after the switch: the new set is
 * in place, and that is an error all the same.  *written (may be NULL) receives how many files are new or
 * changed.  Returns PUB_OK or PUB_FAIL (after adding an error).
 */
enum publish_status publish_files(const char *dir, const out_file_t *files,
    size_t n, size_t *written, diag_list_t *dl);

/* True when dir holds a regular file `name` (NAME or SUB/NAME), not
 * through a symbolic link. */
bool publish_has(const char *dir, const char *name);

/* mkdir -p, each folder it makes PUBLISH_DIR_MODE; returns 0 or an errno
 * value. */
int make_dirs(const char *path);

/*
 * For tests: fn is called before each operation of publish_files() that
 * changes the disk (what: "write", "fsync", "mkdir", "link", "rename",
 * "chmod", "unlink", ...); a nonzero return is the errno that operation
 * fails with, as a full disk or a failing one would.  NULL: none.
 */
void publish_set_fault(int (*fn)(const char *what));

#endif
