/*
 * driver.c - runs a libFuzzer target without libFuzzer, for make check
 * (tests/suite_fuzzregress.sh): every file named on the command line, or
 * every file in a directory named there, is read and passed once to
 * LLVMFuzzerTestOneInput().  Built with gcc and the project's objects, with
 * or without ASan/UBSan.  Prints "ok FILE" after each input to stdout and
 * "run FILE" before it to stderr, so that a crash names its input; exits
 * 0 when every input ran, 2 on an unreadable input (a crash exits however
 * the sanitizer or abort() makes it).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Runs one file; returns 0, or 2 when it cannot be read. */
static int
run_file(const char *path)
{
	FILE *fp = NULL;
	uint8_t *data = NULL;
	long len;
	int rc = 2;

	fp = fopen(path, "rb");
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		goto cleanup;
	data = malloc((size_t)len + 1);   /* +1: never malloc(0) */
	if (data == NULL || fread(data, 1, (size_t)len, fp) != (size_t)len)
		goto cleanup;
	fprintf(stderr, "run %s\n", path);
	LLVMFuzzerTestOneInput(data, (size_t)len);
	printf("ok %s\n", path);
	fflush(stdout);
	rc = 0;
cleanup:
	if (rc != 0)
		fprintf(stderr, "driver: cannot read %s\n", path);
	if (fp != NULL)
		fclose(fp);
	free(data);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir, in name order. */
static int
run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "driver: cannot open %s\n", dir);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (p == NULL)
			abort();
		sprintf(p, "%s/%s", dir, e->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof *names);
			if (names == NULL)
				abort();
		}
		names[n++] = p;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		if (run_file(names[i]) != 0)
			rc = 2;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;
	struct stat st;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		int r;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			r = run_dir(argv[i]);
		else
			r = run_file(argv[i]);
		if (r != 0)
			rc = r;
	}
	return rc;
}
