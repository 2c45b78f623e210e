/*
 * test_publish.c - publication of a folder as one set and the run lock:
 * all files appear together; a set whose bytes do not change is not touched
 * (same inodes and times); a changed set swaps the folder, keeping the
 * operator's files and the unchanged outputs as they were; a replaced file
 * marked keep_superseded is kept under superseded/ with its date; what an
 * interrupted run left beside the folder is cleaned up (or moved back); a
 * failure in the middle leaves the folder exactly as it was; a lock held by
 * another process is reported, and one left by a dead process does not
 * block.  The tests run as root, so failures are made with a file size
 * limit (RLIMIT_FSIZE, as a full disk would) and with folders where files
 * should be, not with permissions.
 */
#define _GNU_SOURCE     /* renameat2, to stand in for it below */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/syscall.h>

#include "publish.h"
#include "testutil.h"

/*
 * Stands in for glibc's renameat2() (the executable's definition wins), so
 * that a test can see how publish_files() does without RENAME_EXCHANGE.
 */
static bool no_exchange;

int
renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
    unsigned int flags)
{
	if (no_exchange && (flags & RENAME_EXCHANGE)) {
		errno = EINVAL;
		return -1;
	}
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
	    flags);
}

static char *
slurp(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *data = NULL;
	size_t len;

	if (read_file(p, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(p);
}

static void
set_mtime(const char *dir, const char *name, time_t t)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };

	assert_int_equal(utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW), 0);
	free(p);
}

static ino_t
inode_of(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	free(p);
	return st.st_ino;
}

static bool
exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/*
 * Everything about a tree that a reader could notice: each entry's type,
 * inode, mode, modification time and size, and each file's checksum.
 * Caller frees.
 */
static char *
snapshot(const char *dir)
{
	char *cmd = xasprintf("cd '%s' && { find . -printf '%%p %%y %%i %%m %%T@ %%s %%l\\n' "
	    "| sort; find . -type f -exec md5sum {} + | sort; }", dir);
	FILE *fp = popen(cmd, "r");
	buf_t b;
	char chunk[4096];
	size_t r;

	assert_non_null(fp);
	buf_init(&b);
	while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, r);
	assert_int_equal(pclose(fp), 0);
	free(cmd);
	return buf_steal(&b);
}

/*
 * Each test's scratch folder (ROOT, and ROOT/2017Q1 where it publishes),
 * made by the setup and removed by the teardown, also when the test
 * fails; the teardown also puts back what a test may have changed for the
 * process (the fault hook, the stand-in renameat2's mode).
 */
struct scratch {
	char *root, *dir;
};

static int
scratch_up(void **state)
{
	struct scratch *sc = xcalloc(1, sizeof *sc);

	sc->root = test_tmpdir("tb-publish");
	sc->dir = xasprintf("%s/2017Q1", sc->root);
	*state = sc;
	return 0;
}

static int
scratch_down(void **state)
{
	struct scratch *sc = *state;

	publish_set_fault(NULL);
	no_exchange = false;
	test_rm_rf(sc->root);
	free(sc->dir);
	free(sc->root);
	free(sc);
	return 0;
}

static void
writes_all_and_skips_identical(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *before, *after;
	buf_t a, b;
	diag_list_t dl = { 0 };
	size_t written = 99;

	buf_init(&a);
	buf_init(&b);
	buf_puts(&a, "alpha\n");
	buf_puts(&b, "beta\n");
	out_file_t files[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "b.html", .data = &b },
	};

	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 2);
	char *s = slurp(dir, "a.csv");
	assert_string_equal(s, "alpha\n");
	free(s);
	assert_int_equal(count_entries(dir), 2);      /* no temporaries inside */
	assert_int_equal(count_entries(root), 1);     /* nor beside */

	/* identical content: nothing touched, not even the folder */
	set_mtime(root, "2017Q1/a.csv", 1000000000);
	set_mtime(root, "2017Q1", 1000000000);
	before = snapshot(root);
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 0);
	after = snapshot(root);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* one changed: the other keeps its inode and time */
	ino_t ia = inode_of(dir, "a.csv"), id = inode_of(root, "2017Q1");
	buf_puts(&b, "more\n");
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.warnings, 0);
	assert_true(inode_of(dir, "a.csv") == ia);
	assert_true(inode_of(root, "2017Q1") != id);  /* a new folder */
	s = slurp(dir, "b.html");
	assert_string_equal(s, "beta\nmore\n");
	free(s);
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(count_entries(root), 1);     /* the old folder is gone */

	buf_free(&a);
	buf_free(&b);
}

/* What is in the old folder and not being written moves over unchanged. */
static void
keeps_what_it_does_not_write(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *sub = xasprintf("%s/2017Q1/sub", root);
	char *link = xasprintf("%s/2017Q1/latest", root);
	buf_t a;
	diag_list_t dl = { 0 };
	size_t written = 0;

	buf_init(&a);
	buf_puts(&a, "v1\n");
	out_file_t files[] = { { .name = "a.csv", .data = &a } };
	assert_int_equal(publish_files(dir, files, 1, NULL, &dl), PUB_OK);
	put(dir, "notes.txt", "operator's\n");
	put(dir, ".hidden", "also kept\n");
	assert_int_equal(mkdir(sub, 0700), 0);
	put(sub, "deep.txt", "deep\n");
	set_mtime(sub, "deep.txt", 1000000000);
	assert_int_equal(symlink("notes.txt", link), 0);
	ino_t in = inode_of(dir, "notes.txt"), ideep = inode_of(sub, "deep.txt");

	buf_puts(&a, "v2\n");
	assert_int_equal(publish_files(dir, files, 1, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);
	assert_int_equal(dl.errors, 0);
	assert_true(inode_of(dir, "notes.txt") == in);
	assert_true(inode_of(sub, "deep.txt") == ideep);
	char *s = slurp(dir, "latest");
	assert_string_equal(s, "operator's\n");
	free(s);
	s = slurp(dir, ".hidden");
	assert_string_equal(s, "also kept\n");
	free(s);
	s = slurp(dir, "a.csv");
	assert_string_equal(s, "v1\nv2\n");
	free(s);
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	char target[64];
	ssize_t len = readlink(link, target, sizeof target - 1);
	assert_true(len > 0);
	target[len] = '\0';
	assert_string_equal(target, "notes.txt");
	assert_int_equal(count_entries(dir), 5);
	assert_int_equal(count_entries(root), 1);

	buf_free(&a);
	free(link);
	free(sub);
}

static void
superseded_kept_with_date(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *sup = xasprintf("%s/2017Q1/superseded", root);
	char *oldtz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	buf_t pdf, csv;
	diag_list_t dl = { 0 };
	size_t written = 0;

	setenv("TZ", "UTC", 1);
	tzset();
	buf_init(&pdf);
	buf_init(&csv);
	buf_puts(&pdf, "%PDF one\n");
	buf_puts(&csv, "one\n");
	out_file_t files[] = {
		{ .name = "scores.csv", .data = &csv },
		{ .name = "tongbao.pdf", .data = &pdf,
		    .keep_superseded = true },
	};
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	assert_int_equal(dl.warnings, 0);
	assert_false(exists(dir, "superseded"));

	/* 2017-04-05 08:13:20 UTC */
	set_mtime(dir, "tongbao.pdf", 1491380000);
	ino_t ipdf = inode_of(dir, "tongbao.pdf");
	buf_puts(&pdf, "two\n");
	buf_puts(&csv, "two\n");
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 2);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.warnings, 1);
	char *want = xasprintf("replaced; the previous version is kept as "
	    "%s/superseded/tongbao-2017-04-05T081320.pdf", dir);
	char *wfile = xasprintf("%s/tongbao.pdf", dir);
	assert_string_equal(dl.v[0].msg, want);
	assert_string_equal(dl.v[0].file, wfile);
	free(want);
	free(wfile);
	char *s = slurp(sup, "tongbao-2017-04-05T081320.pdf");
	assert_string_equal(s, "%PDF one\n");
	free(s);
	assert_true(inode_of(sup, "tongbao-2017-04-05T081320.pdf") == ipdf);
	assert_int_equal(count_entries(sup), 1);      /* the CSV is not kept */

	/* same date, other bytes: a second name; the first stays */
	set_mtime(dir, "tongbao.pdf", 1491380000);
	buf_puts(&pdf, "three\n");
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);
	s = slurp(sup, "tongbao-2017-04-05T081320-2.pdf");
	assert_string_equal(s, "%PDF one\ntwo\n");
	free(s);
	s = slurp(sup, "tongbao-2017-04-05T081320.pdf");
	assert_string_equal(s, "%PDF one\n");
	free(s);
	assert_int_equal(count_entries(sup), 2);

	/* identical again: nothing new */
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 0);
	assert_int_equal(count_entries(sup), 2);
	assert_int_equal(dl.warnings, 2);

	if (oldtz != NULL)
		setenv("TZ", oldtz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(oldtz);
	diag_free(&dl);
	buf_free(&pdf);
	buf_free(&csv);
	free(sup);
}

static void
leftovers_cleaned(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *l1 = xasprintf("%s/.2017Q1.new-123", root);
	char *l1sub = xasprintf("%s/.2017Q1.new-123/superseded", root);
	char *l2 = xasprintf("%s/.2017Q1.old-9", root);
	buf_t a;
	diag_list_t dl = { 0 };
	size_t written = 9;
	static const char *const others[] = {
		".2017Q1.new-", ".2017Q1.new-12x", ".2017Q2.new-1", ".2017Q1.newer",
		"2017Q1.new-1", ".2017.new-1",
	};

	buf_init(&a);
	buf_puts(&a, "a\n");
	out_file_t files[] = { { .name = "a.csv", .data = &a } };
	assert_int_equal(publish_files(dir, files, 1, NULL, &dl), PUB_OK);

	assert_int_equal(mkdir(l1, 0755), 0);
	put(l1, "a.csv", "half");
	assert_int_equal(mkdir(l1sub, 0755), 0);
	put(l1sub, "x.pdf", "x");
	assert_int_equal(mkdir(l2, 0755), 0);
	put(l2, "a.csv", "old");
	for (size_t i = 0; i < ARRAY_LEN(others); i++)
		put(root, others[i], "not ours");

	/* even a run that writes nothing cleans up */
	assert_int_equal(publish_files(dir, files, 1, &written, &dl), PUB_OK);
	assert_int_equal(written, 0);
	assert_int_equal(dl.errors, 0);
	assert_false(exists(root, ".2017Q1.new-123"));
	assert_false(exists(root, ".2017Q1.old-9"));
	for (size_t i = 0; i < ARRAY_LEN(others); i++)
		assert_true(exists(root, others[i]));
	assert_int_equal(count_entries(root), 1 + ARRAY_LEN(others));
	char *s = slurp(dir, "a.csv");
	assert_string_equal(s, "a\n");
	free(s);

	buf_free(&a);
	free(l2);
	free(l1sub);
	free(l1);
}

/* A run killed between its two renames (no RENAME_EXCHANGE) left the
 * folder aside and none in place: the next run moves it back first. */
static void
set_aside_folder_restored(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *aside = xasprintf("%s/.2017Q1.old-77", root);
	buf_t b;
	diag_list_t dl = { 0 };

	assert_int_equal(mkdir(aside, 0755), 0);
	put(aside, "a.csv", "published\n");
	put(aside, "keep.txt", "operator\n");
	buf_init(&b);
	buf_puts(&b, "b\n");
	out_file_t files[] = { { .name = "b.csv", .data = &b } };
	assert_int_equal(publish_files(dir, files, 1, NULL, &dl), PUB_OK);
	assert_int_equal(dl.errors, 0);
	char *s = slurp(dir, "a.csv");
	assert_string_equal(s, "published\n");
	free(s);
	s = slurp(dir, "keep.txt");
	assert_string_equal(s, "operator\n");
	free(s);
	s = slurp(dir, "b.csv");
	assert_string_equal(s, "b\n");
	free(s);
	assert_int_equal(count_entries(root), 1);

	buf_free(&b);
	free(aside);
}

/* Where the filesystem cannot exchange: moved aside, then into place. */
static void
without_exchange(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	buf_t a, p;
	diag_list_t dl = { 0 };
	size_t written = 0;

	buf_init(&a);
	buf_init(&p);
	buf_puts(&a, "one\n");
	buf_puts(&p, "%PDF one\n");
	out_file_t files[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "t.pdf", .data = &p, .keep_superseded = true },
	};
	no_exchange = true;
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	put(dir, "notes.txt", "operator\n");
	ino_t id = inode_of(root, "2017Q1"), ia = inode_of(dir, "a.csv");
	buf_puts(&p, "two\n");
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	no_exchange = false;
	assert_int_equal(written, 1);
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.warnings, 1);
	assert_true(inode_of(root, "2017Q1") != id);
	assert_true(inode_of(dir, "a.csv") == ia);
	char *s = slurp(dir, "t.pdf");
	assert_string_equal(s, "%PDF one\ntwo\n");
	free(s);
	s = slurp(dir, "notes.txt");
	assert_string_equal(s, "operator\n");
	free(s);
	assert_int_equal(count_entries(dir), 4);      /* a.csv t.pdf notes.txt superseded */
	assert_int_equal(count_entries(root), 1);

	diag_free(&dl);
	buf_free(&a);
	buf_free(&p);
}

/*
 * Publishes files[0..n) into dir while files may not grow beyond limit
 * bytes (as on a full disk: write() fails with EFBIG).  Nothing else
 * writes meanwhile; the limit is lifted before returning.  Returns the
 * status and adds to dl.
 */
static enum publish_status
publish_limited(const char *dir, const out_file_t *files, size_t n,
    rlim_t limit, diag_list_t *dl)
{
	struct rlimit rl, saved;
	void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
	enum publish_status st;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	rl = saved;
	rl.rlim_cur = limit;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	st = publish_files(dir, files, n, NULL, dl);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, old);
	return st;
}

static void
failure_touches_nothing(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *blocker = xasprintf("%s/2017Q1/b.html", root);
	char *before, *after;
	buf_t a, b, big;
	diag_list_t dl = { 0 };

	buf_init(&a);
	buf_init(&b);
	buf_init(&big);
	buf_puts(&a, "old\n");
	buf_puts(&b, "x\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&big, "0123456789");
	out_file_t one[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "t.pdf", .data = &b, .keep_superseded = true },
	};
	assert_int_equal(publish_files(dir, one, 2, NULL, &dl), PUB_OK);
	put(dir, "notes.txt", "operator\n");
	before = snapshot(dir);

	/* the disk fills up in the middle of the second file */
	buf_free(&a);
	buf_puts(&a, "new\n");
	out_file_t full[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "t.pdf", .data = &big, .keep_superseded = true },
	};
	assert_int_equal(publish_limited(dir, full, 2, 5000, &dl), PUB_FAIL);
	assert_true(dl.errors > 0);
	{
		/* the message names the published file and the reason */
		char *m = diag_format(&dl.v[dl.n - 1]);
		assert_non_null(strstr(m, "/2017Q1/t.pdf: error: cannot write: "));
		assert_non_null(strstr(m, strerror(EFBIG)));
		free(m);
	}
	diag_free(&dl);
	after = snapshot(dir);
	assert_string_equal(before, after);
	assert_int_equal(count_entries(root), 1);     /* no staging folder left */
	free(after);

	/* a folder where a published file should be: refused, nothing moves */
	assert_int_equal(mkdir(blocker, 0755), 0);
	free(before);
	before = snapshot(dir);
	out_file_t two[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "b.html", .data = &b },
	};
	assert_int_equal(publish_files(dir, two, 2, NULL, &dl), PUB_FAIL);
	assert_true(dl.errors > 0);
	after = snapshot(dir);
	assert_string_equal(before, after);
	free(after);
	diag_free(&dl);

	/* the same name twice: the second write fails after the first */
	out_file_t dup[] = {
		{ .name = "a.csv", .data = &a },
		{ .name = "a.csv", .data = &b },
	};
	assert_int_equal(publish_files(dir, dup, 2, NULL, &dl), PUB_FAIL);
	assert_true(dl.errors > 0);
	after = snapshot(dir);
	assert_string_equal(before, after);
	free(after);
	diag_free(&dl);

	/* names that are not plain file names */
	out_file_t bad[] = { { .name = "../a.csv", .data = &a } };
	assert_int_equal(publish_files(dir, bad, 1, NULL, &dl), PUB_FAIL);
	after = snapshot(dir);
	assert_string_equal(before, after);
	free(after);
	diag_free(&dl);

	/* the folder is a file */
	char *fdir = xasprintf("%s/2017Q2", root);
	put(root, "2017Q2", "a file");
	assert_int_equal(publish_files(fdir, one, 1, NULL, &dl), PUB_FAIL);
	assert_true(dl.errors > 0);
	free(fdir);

	diag_free(&dl);
	free(before);
	buf_free(&a);
	buf_free(&b);
	buf_free(&big);
	free(blocker);
}

static void
lock_held_elsewhere(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	diag_list_t dl = { 0 };
	int fd, pipefd[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		diag_list_t cdl = { 0 };
		int cfd;
		if (publish_lock(root, "2017Q1", 0, &cfd, &cdl) != PUB_OK)
			_exit(1);
		(void)write(pipefd[1], "x", 1);
		pause();                /* hold it until killed */
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(publish_lock(root, "2017Q1", 0, &fd, &dl), PUB_LOCKED);
	assert_int_equal(fd, -1);
	/* another folder's lock is another lock */
	assert_int_equal(publish_lock(root, "2017Q2", 0, &fd, &dl), PUB_OK);
	publish_unlock(fd);

	/* the holder dies without cleaning up: the lock file stays, but frees */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(exists(root, ".2017Q1.lock"));
	assert_int_equal(publish_lock(root, "2017Q1", 0, &fd, &dl), PUB_OK);
	publish_unlock(fd);

	close(pipefd[0]);
	close(pipefd[1]);
	diag_free(&dl);
}

/* One level of sub-folder (units/ID.pdf): unchanged files keep their
 * inodes, an operator's file in the sub-folder is kept, deeper or escaping
 * names and a superseded copy of a nested name are refused. */
static void
sub_folder_names(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *units = xasprintf("%s/2017Q1/units", root);
	buf_t a, x, y;
	diag_list_t dl = { 0 };
	size_t written = 0;

	buf_init(&a);
	buf_init(&x);
	buf_init(&y);
	buf_puts(&a, "all\n");
	buf_puts(&x, "x1\n");
	buf_puts(&y, "y1\n");
	out_file_t files[] = {
		{ .name = "units.pdf", .data = &a, .keep_superseded = true },
		{ .name = "units/x.pdf", .data = &x },
		{ .name = "units/y.pdf", .data = &y },
	};
	assert_int_equal(publish_files(dir, files, 3, &written, &dl), PUB_OK);
	assert_int_equal(written, 3);
	char *s = slurp(units, "x.pdf");
	assert_string_equal(s, "x1\n");
	free(s);
	put(units, "note.txt", "operator's\n");
	ino_t iy = inode_of(units, "y.pdf"), inote = inode_of(units, "note.txt");

	buf_puts(&x, "x2\n");
	assert_int_equal(publish_files(dir, files, 3, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);
	s = slurp(units, "x.pdf");
	assert_string_equal(s, "x1\nx2\n");
	free(s);
	assert_true(inode_of(units, "y.pdf") == iy);
	assert_true(inode_of(units, "note.txt") == inote);
	assert_int_equal(count_entries(units), 3);
	assert_int_equal(dl.errors, 0);

	static const char *const bad[] = { "units/../x.pdf", "a/b/c.pdf",
	    "/x.pdf", "units/", "../x.pdf" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		out_file_t one[] = { { .name = bad[i], .data = &a } };
		assert_int_equal(publish_files(dir, one, 1, NULL, &dl), PUB_FAIL);
	}
	out_file_t kept[] = {
		{ .name = "units/x.pdf", .data = &a, .keep_superseded = true },
	};
	assert_int_equal(publish_files(dir, kept, 1, NULL, &dl), PUB_FAIL);

	diag_free(&dl);
	buf_free(&a);
	buf_free(&x);
	buf_free(&y);
	free(units);
}

/* ---- hostile filesystems (issue 16) ------------------------------------------- */

/* The mode bits of dir/name (lstat). */
static mode_t
mode_of(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	free(p);
	return st.st_mode & 07777;
}

/* A message of dl (formatted) holding `part`. */
static bool
said(const diag_list_t *dl, const char *part)
{
	for (size_t i = 0; i < dl->n; i++) {
		char *m = diag_format(&dl->v[i]);
		bool hit = strstr(m, part) != NULL;

		free(m);
		if (hit)
			return true;
	}
	return false;
}

/*
 * A symbolic link where the publication writes is refused, never followed:
 * as the folder itself, as its units/ or superseded/, as a published file,
 * as the lock file.  Nothing appears where the link points.
 */
static void
symlinks_refused(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *elsewhere = test_tmpdir("tb-elsewhere");
	char *dir = sc->dir;
	char *p;
	buf_t a, u;
	diag_list_t dl = { 0 };
	int fd;

	buf_init(&a);
	buf_init(&u);
	buf_puts(&a, "a\n");
	buf_puts(&u, "%PDF unit\n");
	out_file_t files[] = {
		{ .name = "t.pdf", .data = &a, .keep_superseded = true },
		{ .name = "units/x.pdf", .data = &u },
	};

	/* the folder itself */
	assert_int_equal(symlink(elsewhere, dir), 0);
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_FAIL);
	assert_true(said(&dl, "2017Q1: error: exists and is a symbolic link"));
	assert_int_equal(count_entries(elsewhere), 0);
	assert_int_equal(unlink(dir), 0);
	diag_free(&dl);

	/* units/ and superseded/ */
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	p = xasprintf("%s/units", dir);
	test_rm_rf(p);
	assert_int_equal(symlink(elsewhere, p), 0);
	buf_puts(&u, "v2\n");
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_FAIL);
	assert_true(said(&dl, "2017Q1: error: units/ is a symbolic link, not a folder"));
	assert_int_equal(count_entries(elsewhere), 0);
	assert_int_equal(unlink(p), 0);
	free(p);
	diag_free(&dl);
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	p = xasprintf("%s/superseded", dir);
	assert_int_equal(symlink(elsewhere, p), 0);
	buf_puts(&a, "v2\n");
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_FAIL);
	assert_true(said(&dl, "superseded/ is a symbolic link"));
	assert_int_equal(count_entries(elsewhere), 0);
	assert_int_equal(unlink(p), 0);
	free(p);
	diag_free(&dl);

	/* a published file */
	p = xasprintf("%s/t.pdf", dir);
	assert_int_equal(unlink(p), 0);
	put(elsewhere, "victim", "precious\n");
	char *victim = xasprintf("%s/victim", elsewhere);
	assert_int_equal(symlink(victim, p), 0);
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_FAIL);
	assert_true(said(&dl, "t.pdf is there and is a symbolic link"));
	char *v = slurp(elsewhere, "victim");
	assert_string_equal(v, "precious\n");
	free(v);
	assert_int_equal(unlink(p), 0);
	free(p);
	diag_free(&dl);

	/* the lock file: refused, its target neither created nor touched */
	p = xasprintf("%s/.2017Q1.lock", root);
	char *ghost = xasprintf("%s/ghost", elsewhere);
	assert_int_equal(symlink(ghost, p), 0);
	assert_int_equal(publish_lock(root, "2017Q1", 0, &fd, &dl), PUB_FAIL);
	assert_int_equal(fd, -1);
	assert_true(said(&dl, ".2017Q1.lock: error: the lock file is a symbolic link"));
	assert_false(exists(elsewhere, "ghost"));
	assert_int_equal(unlink(p), 0);
	diag_free(&dl);
	/* a FIFO as the lock: refused at once, not waited on */
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(publish_lock(root, "2017Q1", 0, &fd, &dl), PUB_FAIL);
	assert_true(said(&dl, "not a lock file of tongbao (a FIFO)"));
	assert_int_equal(unlink(p), 0);
	free(p);
	free(ghost);
	diag_free(&dl);

	free(victim);
	buf_free(&a);
	buf_free(&u);
	test_rm_rf(elsewhere);
	free(elsewhere);
}

/*
 * Only this program's leftovers are removed: real folders of its names
 * owned by this user.  A link planted as .NAME.new-PID or .NAME.old-PID
 * is left alone (and what it points to untouched) with a warning; one
 * that takes the name of this run's staging folder does not block it.
 */
static void
foreign_leftovers(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *elsewhere = test_tmpdir("tb-elsewhere");
	char *dir = sc->dir;
	char *mine = xasprintf("%s/.2017Q1.new-%ld", root, (long)getpid());
	char *old = xasprintf("%s/.2017Q1.old-12", root);
	char *theirs = xasprintf("%s/.2017Q1.new-13", root);
	buf_t a;
	diag_list_t dl = { 0 };

	buf_init(&a);
	buf_puts(&a, "a\n");
	out_file_t files[] = { { .name = "a.csv", .data = &a } };
	put(elsewhere, "keep.txt", "not yours\n");
	/* this run's own staging name, taken by a file; an .old- link where
	 * the folder is missing (it would become the folder); a .new- link to
	 * a folder whose files a removal would follow */
	put(root, strrchr(mine, '/') + 1, "planted\n");
	assert_int_equal(symlink(elsewhere, old), 0);
	assert_int_equal(symlink(elsewhere, theirs), 0);
	assert_int_equal(publish_files(dir, files, 1, NULL, &dl), PUB_OK);
	assert_int_equal(dl.errors, 0);
	assert_true(said(&dl, ".2017Q1.old-12: warning: left alone: named like a "
	    "folder an interrupted tongbao run leaves, but a symbolic link"));
	assert_true(said(&dl, ".2017Q1.new-13: warning: left alone"));
	assert_true(said(&dl, "but a file"));
	/* the folder is real, the planted entries are as they were */
	struct stat st;
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(lstat(old, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	char *s = slurp(elsewhere, "keep.txt");
	assert_string_equal(s, "not yours\n");
	free(s);
	s = slurp(root, strrchr(mine, '/') + 1);
	assert_string_equal(s, "planted\n");
	free(s);
	assert_int_equal(count_entries(elsewhere), 1);
	/* a second run: the same, no staging folder left */
	buf_puts(&a, "b\n");
	assert_int_equal(publish_files(dir, files, 1, NULL, &dl), PUB_OK);
	assert_int_equal(count_entries(root), 4);
	s = slurp(dir, "a.csv");
	assert_string_equal(s, "a\nb\n");
	free(s);

	diag_free(&dl);
	buf_free(&a);
	test_rm_rf(elsewhere);
	free(theirs);
	free(old);
	free(mine);
	free(elsewhere);
}

/* Modes do not come from the umask: 0644 files, 0755 folders, and a set
 * an earlier run left 0700/0600 is made readable again, even when its
 * bytes have not changed. */
static void
modes_whatever_the_umask(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	char *units = xasprintf("%s/2017Q1/units", root);
	char *sup = xasprintf("%s/2017Q1/superseded", root);
	buf_t a, u;
	diag_list_t dl = { 0 };
	size_t written = 0;
	mode_t old = umask(077);

	buf_init(&a);
	buf_init(&u);
	buf_puts(&a, "%PDF a\n");
	buf_puts(&u, "%PDF u\n");
	out_file_t files[] = {
		{ .name = "t.pdf", .data = &a, .keep_superseded = true },
		{ .name = "units/x.pdf", .data = &u },
	};
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	buf_puts(&a, "v2\n");
	assert_int_equal(publish_files(dir, files, 2, NULL, &dl), PUB_OK);
	assert_int_equal(mode_of(root, "2017Q1"), 0755);
	assert_int_equal(mode_of(dir, "t.pdf"), 0644);
	assert_int_equal(mode_of(dir, "units"), 0755);
	assert_int_equal(mode_of(units, "x.pdf"), 0644);
	assert_int_equal(mode_of(dir, "superseded"), 0755);
	assert_int_equal(count_entries(sup), 1);
	/* the lock file too, and OUT when the lock makes it */
	char *out2 = xasprintf("%s/new-out", root);
	int fd;
	assert_int_equal(publish_lock(out2, "2017Q1", 0, &fd, &dl), PUB_OK);
	publish_unlock(fd);
	assert_int_equal(mode_of(root, "new-out"), 0755);
	assert_int_equal(mode_of(out2, ".2017Q1.lock"), 0644);
	free(out2);

	/* what an earlier version left under umask 077: repaired */
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(chmod(units, 0700), 0);
	char *x = xasprintf("%s/x.pdf", units);
	assert_int_equal(chmod(x, 0600), 0);
	free(x);
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);               /* x.pdf, for its mode */
	assert_int_equal(mode_of(root, "2017Q1"), 0755);
	assert_int_equal(mode_of(dir, "units"), 0755);
	assert_int_equal(mode_of(units, "x.pdf"), 0644);
	assert_int_equal(dl.errors, 0);
	/* then identical: nothing */
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 0);

	umask(old);
	diag_free(&dl);
	buf_free(&a);
	buf_free(&u);
	free(sup);
	free(units);
}

/* The lock waits when asked to: released after a second, it is taken;
 * held longer than the wait, the caller is told after the wait. */
static void
lock_waits(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	diag_list_t dl = { 0 };
	struct timespec t0, t1;
	int fd, pipefd[2];
	pid_t pid;
	char c;

	for (int round = 0; round < 2; round++) {
		assert_int_equal(pipe(pipefd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			diag_list_t cdl = { 0 };
			int cfd;
			if (publish_lock(root, "2017Q1", 0, &cfd, &cdl) != PUB_OK)
				_exit(1);
			(void)!write(pipefd[1], "x", 1);
			sleep(round == 0 ? 1 : 30);
			_exit(0);
		}
		assert_int_equal(read(pipefd[0], &c, 1), 1);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (round == 0) {
			assert_int_equal(publish_lock(root, "2017Q1", 10, &fd, &dl),
			    PUB_OK);
			publish_unlock(fd);
		} else {
			assert_int_equal(publish_lock(root, "2017Q1", 1, &fd, &dl),
			    PUB_LOCKED);
			assert_true(said(&dl, "(waited 1 s)"));
			kill(pid, SIGKILL);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(t1.tv_sec - t0.tv_sec <= 5);
		assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 500);
		waitpid(pid, NULL, 0);
		close(pipefd[0]);
		close(pipefd[1]);
	}
	diag_free(&dl);
}

/* ---- faults at every operation ------------------------------------------------- */

static int fault_at, fault_count, fault_errno;

static int
count_or_fail(const char *what)
{
	(void)what;
	return ++fault_count == fault_at ? fault_errno : 0;
}

/*
 * A full disk (ENOSPC) and a failing one (EIO) at each operation of a
 * publication in turn (every write, fsync, link, mkdir, chmod, rename):
 * each run either fails, leaving the folder exactly as it was and no
 * staging folder, with a message naming the path and the reason, or - the
 * fault came after the switch - publishes the whole new set.
 */
static void
faults_everywhere(void **state)
{
	static const int errs[] = { ENOSPC, EIO };
	struct scratch *sc = *state;
	char *root = sc->root;
	char *dir = sc->dir;
	buf_t a, p, u;
	diag_list_t dl = { 0 };
	int total, failed = 0, passed = 0;

	buf_init(&a);
	buf_init(&p);
	buf_init(&u);
	buf_puts(&a, "a1\n");
	buf_puts(&p, "%PDF 1\n");
	buf_puts(&u, "u1\n");
	out_file_t files[] = { { .name = "a.csv", .data = &a },
	    { .name = "t.pdf", .data = &p, .keep_superseded = true },
	    { .name = "units/x.pdf", .data = &u } };
	assert_int_equal(publish_files(dir, files, 3, NULL, &dl), PUB_OK);
	put(dir, "notes.txt", "operator\n");
	buf_puts(&a, "a2\n");
	buf_puts(&p, "%PDF 2\n");

	/* how many operations the changed publication makes */
	char *pristine = xasprintf("%s.pristine", root);
	char *cmd = xasprintf("cp -a '%s' '%s'", root, pristine);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	fault_at = 0;
	fault_count = 0;
	publish_set_fault(count_or_fail);
	assert_int_equal(publish_files(dir, files, 3, NULL, &dl), PUB_OK);
	total = fault_count;
	assert_true(total > 10);
	diag_free(&dl);
	char *before = NULL;
	for (size_t e = 0; e < ARRAY_LEN(errs); e++) {
		for (int k = 1; k <= total; k++) {
			enum publish_status st;

			test_rm_rf(root);
			cmd = xasprintf("cp -a '%s' '%s'", pristine, root);
			assert_int_equal(system(cmd), 0);
			free(cmd);
			free(before);
			before = snapshot(dir);
			fault_at = k;
			fault_count = 0;
			fault_errno = errs[e];
			st = publish_files(dir, files, 3, NULL, &dl);
			if (said(&dl, "published, but the output folder cannot be "
			    "synced")) {
				/* after the switch: the new set, an error all the
				 * same */
				assert_int_equal(st, PUB_FAIL);
				char *s = slurp(dir, "a.csv");
				assert_string_equal(s, "a1\na2\n");
				free(s);
				passed++;
			} else if (st == PUB_FAIL) {
				char *after = snapshot(dir);

				if (strcmp(before, after) != 0)
					fail_msg("fault %s at operation %d: the folder "
					    "changed", strerror(errs[e]), k);
				free(after);
				if (!said(&dl, strerror(errs[e])) ||
				    !said(&dl, "/2017Q1")) {
					char *m = dl.n > 0 ? diag_format(&dl.v[0]) :
					    xstrdup("(none)");
					fail_msg("fault %s at operation %d: message %s",
					    strerror(errs[e]), k, m);
				}
				failed++;
			} else {
				char *s = slurp(dir, "a.csv");
				assert_string_equal(s, "a1\na2\n");
				free(s);
				s = slurp(dir, "notes.txt");
				assert_string_equal(s, "operator\n");
				free(s);
				passed++;
			}
			if (count_entries(root) != 1)
				fail_msg("fault %s at operation %d: %zu entries "
				    "beside the folder", strerror(errs[e]), k,
				    count_entries(root));
			diag_free(&dl);
		}
	}
	publish_set_fault(NULL);
	assert_true(failed > 2 * 10);
	free(before);
	test_rm_rf(pristine);
	free(pristine);
	buf_free(&a);
	buf_free(&p);
	buf_free(&u);
}

/* ---- an output folder near PATH_MAX -------------------------------------- */

/*
 * OUT is a path of about 4000 bytes, so OUT/2017Q1/units/x.pdf is longer
 * than PATH_MAX: every operation is relative to a folder, so publishing,
 * re-publishing and cleaning up work as anywhere, and no old copy is left.
 */
static void
long_paths(void **state)
{
	struct scratch *sc = *state;
	char *root = sc->root;
	buf_t path, a, u;
	diag_list_t dl = { 0 };
	int dfd;
	char seg[201];

	memset(seg, 'd', 200);
	seg[200] = '\0';
	buf_init(&path);
	buf_puts(&path, root);
	while (path.len + 202 < 4040) {
		buf_printf(&path, "/%s", seg);
		assert_int_equal(mkdir(path.data, 0755), 0);
	}
	seg[4040 - path.len - 1] = '\0';
	buf_printf(&path, "/%s", seg);
	assert_int_equal(mkdir(path.data, 0755), 0);
	buf_puts(&path, "/2017Q1");
	assert_true(path.len > 3900 && path.len < PATH_MAX - 40);
	buf_init(&a);
	buf_init(&u);
	buf_puts(&a, "%PDF 1\n");
	buf_puts(&u, "u1\n");
	out_file_t files[] = { { .name = "tongbao.pdf", .data = &a,
	    .keep_superseded = true },
	    { .name = "units/a-unit-with-a-long-name-to-pass-path-max.pdf",
	        .data = &u } };
	for (int run = 0; run < 3; run++) {
		buf_printf(&a, "run %d\n", run);
		buf_printf(&u, "run %d\n", run);
		assert_int_equal(publish_files(path.data, files, 2, NULL, &dl),
		    PUB_OK);
		assert_int_equal(dl.errors, 0);
	}
	/* the folder beside which nothing is left */
	path.len -= strlen("/2017Q1");
	path.data[path.len] = '\0';
	dfd = open(path.data, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	{
		DIR *d = fdopendir(dfd);
		struct dirent *e;
		int n = 0;

		assert_non_null(d);
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") &&
			    strcmp(e->d_name, "..")))
				n++;
		closedir(d);
		assert_int_equal(n, 1);
	}
	diag_free(&dl);
	buf_free(&a);
	buf_free(&u);
	buf_free(&path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_all_and_skips_identical, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(keeps_what_it_does_not_write, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(superseded_kept_with_date, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(leftovers_cleaned, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(set_aside_folder_restored, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(without_exchange, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(failure_touches_nothing, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(lock_held_elsewhere, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(sub_folder_names, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(symlinks_refused, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(foreign_leftovers, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(modes_whatever_the_umask, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(lock_waits, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(faults_everywhere, scratch_up,
		    scratch_down),
		cmocka_unit_test_setup_teardown(long_paths, scratch_up,
		    scratch_down),
	};

	return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
