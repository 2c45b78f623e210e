/*
 * publish_int.h - the publication's own header: only publish.c,
 * publish_fs.c and publish_lock.c include it; the rest of the program
 * sees publish.h.  What the three share:
 *   publish_fs.c    the system calls that change the disk (each behind the
 *                   tests' fault hook), folders opened and removed without
 *                   following links, names, files compared, copied, written
 *   publish_lock.c  the lock of a folder, and the leftovers of interrupted
 *                   runs cleared under it
 *   publish.c       the new folder built beside the old one and swapped in
 *                   (publish_files and its steps)
 */
#ifndef TB_PUBLISH_INT_H
#define TB_PUBLISH_INT_H

#include "publish.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define SUPERSEDED "superseded"
enum { CHUNK = 65536, DEPTH_MAX = 32 };

/* publish_fs.c: the disk, names, files */
int pf_faulted(const char *what);
int pf_mkdirat(int dfd, const char *name, mode_t mode);
int pf_fsync(int fd);
int pf_fchmod(int fd, mode_t mode);
int pf_renameat2(int fd1, const char *n1, int fd2, const char *n2,
    unsigned flags);
int pf_open_dir_at(int dfd, const char *name);
const char *pf_kind_of(mode_t m);
int pf_make_dirs(const char *path);
int pf_rm_tree_at(int dfd, const char *name, int depth);
void pf_oom_watch(int dfd, const char *name);
bool pf_good_name(const char *name);
char *pf_sub_of(const char *name);
const char *pf_leaf_of(const char *name);
int pf_dir_of(int dfd, const char *name);
int pf_split_dir(const char *dir, char **parent, char **base);
bool pf_file_equals_data(int dfd, const char *name, const char *data,
    size_t len);
bool pf_files_equal(int d1, const char *n1, int d2, const char *n2);
int pf_link_or_copy(int fdir, const char *name, int tdir, const char *tname,
    const struct stat *st);
int pf_write_new(int dfd, const char *name, const buf_t *b);

/* publish_lock.c: the lock, leftovers */
bool pf_all_digits(const char *s);
int pf_clean_leftovers(int pfd, const char *parent, const char *base,
    diag_list_t *dl);

#endif
