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
 * time).  Nothing published is ever deleted.  A lock in the output root
 * keeps two runs from interleaving.
 */
#ifndef TB_PUBLISH_H
#define TB_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "util.h"

/* How the warning about a replaced, kept file begins: the caller prints it
 * even when told to be quiet, since the archive must hear of it. */
#define PUBLISH_REPLACED "replaced;"

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
 * Takes the run lock OUT/.tongbao.lock (creating OUT when needed).  A lock
 * held by a process that died is released by the kernel, so a stale lock
 * file never blocks.  Returns PUB_OK and *fd, PUB_LOCKED when another run
 * holds it, PUB_FAIL after adding an error to dl.
 */
enum publish_status publish_lock(const char *out_root, int *fd, diag_list_t *dl);
void publish_unlock(int fd);

/*
 * Publishes files[0..n) as the folder dir (its parents are created), all
 * at once; call it holding the lock of dir's parent.  First removes what
 * an interrupted run left beside dir (.NAME.new-PID, .NAME.old-PID; an
 * .old- folder is renamed back when dir itself is missing).  When every
 * file already holds exactly these bytes nothing is touched.  Otherwise
 * the new folder replaces dir in one step; for each file marked
 * keep_superseded whose old bytes differ, a warning in dl names the kept
 * copy.  On any failure dir is left exactly as it was and the staging
 * folder is removed.  *written (may be NULL) receives how many files are
 * new or changed.  Returns PUB_OK or PUB_FAIL (after adding an error).
 */
enum publish_status publish_files(const char *dir, const out_file_t *files,
    size_t n, size_t *written, diag_list_t *dl);

/* mkdir -p; returns 0 or an errno value. */
int make_dirs(const char *path);

#endif
