/*
 * testutil.h - file helpers the cmocka suites share: a scratch folder, a
 * file written whole, a string with one part replaced, a folder removed.
 * Include after <cmocka.h> and util.h.  Marked unused: a suite that uses
 * only some of them gets no warning.
 */
#ifndef TB_TESTUTIL_H
#define TB_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new scratch folder /tmp/PREFIX-XXXXXX; caller frees the name. */
static __attribute__((unused)) char *
test_tmpdir(const char *prefix)
{
	char *d = xasprintf("/tmp/%s-XXXXXX", prefix);

	assert_non_null(mkdtemp(d));
	return d;
}

/* Writes text as the whole of path. */
static __attribute__((unused)) void
test_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

/* A copy of s with its first `from` replaced by `to` (which must occur);
 * caller frees. */
static __attribute__((unused)) char *
test_replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);

	assert_non_null(p);
	return xasprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

/* rm -rf dir. */
static __attribute__((unused)) void
test_rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

#endif
