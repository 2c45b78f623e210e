/*
 * publish.h - writing outputs so that readers never see half a file: each
 * file goes to a temporary name beside its target and is renamed into place
 * only when every file of the set was written and synced.  A lock in the
 * output root keeps two runs from interleaving.
 */
#ifndef TB_PUBLISH_H
#define TB_PUBLISH_H

#include <stddef.h>
#include "diag.h"
#include "util.h"

typedef struct out_file {
	const char  *name;    /* file name inside the folder */
	const buf_t *data;
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
 * Writes files[0..n) into dir (created with its parents).  A file whose
 * current content is byte-identical is not rewritten.  On any failure no
 * target is touched and the temporaries are removed.  *written (may be NULL)
 * receives how many files were replaced.  Returns PUB_OK or PUB_FAIL.
 */
enum publish_status publish_files(const char *dir, const out_file_t *files,
    size_t n, size_t *written, diag_list_t *dl);

/* mkdir -p; returns 0 or an errno value. */
int make_dirs(const char *path);

#endif
