/*
 * test_publish.c - atomic publication and the run lock: all files appear
 * together, identical content is not rewritten, a failure leaves the folder
 * as it was, a lock held by another process is reported, and a lock left by
 * a dead process does not block.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include "publish.h"

static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/tb-publish-XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void
rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
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

static void
writes_all_and_skips_identical(void **state)
{
	(void)state;
	char *root = tmpdir();
	char *dir = xasprintf("%s/2017Q1", root);
	buf_t a, b;
	diag_list_t dl = { 0 };
	size_t written = 99;

	buf_init(&a);
	buf_init(&b);
	buf_puts(&a, "alpha\n");
	buf_puts(&b, "beta\n");
	out_file_t files[] = { { "a.csv", &a }, { "b.html", &b } };

	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 2);
	char *s = slurp(dir, "a.csv");
	assert_string_equal(s, "alpha\n");
	free(s);
	assert_int_equal(count_entries(dir), 2);      /* no temporaries left */

	/* identical content: nothing rewritten */
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 0);

	buf_puts(&b, "more\n");
	assert_int_equal(publish_files(dir, files, 2, &written, &dl), PUB_OK);
	assert_int_equal(written, 1);
	assert_int_equal(dl.errors, 0);

	buf_free(&a);
	buf_free(&b);
	rm_rf(root);
	free(dir);
	free(root);
}

static void
failure_touches_nothing(void **state)
{
	(void)state;
	char *root = tmpdir();
	char *dir = xasprintf("%s/2017Q1", root);
	char *blocker = xasprintf("%s/2017Q1/b.html", root);
	buf_t a, b;
	diag_list_t dl = { 0 };

	buf_init(&a);
	buf_init(&b);
	buf_puts(&a, "old\n");
	buf_puts(&b, "x\n");
	out_file_t one[] = { { "a.csv", &a } };
	assert_int_equal(publish_files(dir, one, 1, NULL, &dl), PUB_OK);

	/* b.html is a directory: its rename must fail, a.csv must stay old */
	assert_int_equal(mkdir(blocker, 0755), 0);
	buf_free(&a);
	buf_puts(&a, "new\n");
	out_file_t two[] = { { "b.html", &b }, { "a.csv", &a } };
	assert_int_equal(publish_files(dir, two, 2, NULL, &dl), PUB_FAIL);
	assert_true(dl.errors > 0);
	char *s = slurp(dir, "a.csv");
	assert_string_equal(s, "old\n");
	free(s);
	assert_int_equal(count_entries(dir), 2);      /* a.csv and the blocker only */

	diag_free(&dl);
	buf_free(&a);
	buf_free(&b);
	rm_rf(root);
	free(blocker);
	free(dir);
	free(root);
}

static void
lock_held_elsewhere(void **state)
{
	(void)state;
	char *root = tmpdir();
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
		if (publish_lock(root, &cfd, &cdl) != PUB_OK)
			_exit(1);
		(void)write(pipefd[1], "x", 1);
		pause();                /* hold it until killed */
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(publish_lock(root, &fd, &dl), PUB_LOCKED);
	assert_int_equal(fd, -1);

	/* the holder dies without cleaning up: the lock file stays, but frees */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(publish_lock(root, &fd, &dl), PUB_OK);
	publish_unlock(fd);

	close(pipefd[0]);
	close(pipefd[1]);
	diag_free(&dl);
	rm_rf(root);
	free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_all_and_skips_identical),
		cmocka_unit_test(failure_touches_nothing),
		cmocka_unit_test(lock_held_elsewhere),
	};

	return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
