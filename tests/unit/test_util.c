/*
 * test_util.c - the small containers of gen/base/util.c that everything else
 * leans on: the string map (copied and borrowed keys, many keys, keys
 * whose hashes collide in the table) and the arena (alignment, big and
 * small blocks, strings).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static void
test_strmap_copies(void **state)
{
	strmap_t m = {0};
	char key[32];
	size_t v = 0, old = 0;

	(void)state;
	assert_false(strmap_get(&m, "x", &v));
	assert_null(strmap_key(&m, "x"));
	for (size_t i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "2017Q1-%07zu", i);
		assert_true(strmap_put(&m, key, i, NULL));
	}
	key[0] = 'X';       /* the map kept its own copies */
	for (size_t i = 0; i < 100000; i += 7) {
		snprintf(key, sizeof key, "2017Q1-%07zu", i);
		assert_true(strmap_get(&m, key, &v));
		assert_int_equal(v, i);
		assert_string_equal(strmap_key(&m, key), key);
		assert_ptr_not_equal(strmap_key(&m, key), key);
	}
	assert_false(strmap_put(&m, "2017Q1-0000042", 7, &old));
	assert_int_equal(old, 42);
	assert_false(strmap_get(&m, "2017Q1-0100000", &v));
	assert_true(strmap_put(&m, "", 5, NULL));        /* the empty key */
	assert_true(strmap_get(&m, "", &v));
	assert_int_equal(v, 5);
	assert_int_equal(m.n, 100001);
	strmap_free(&m);
	assert_int_equal(m.cap, 0);
}

static void
test_strmap_borrowed(void **state)
{
	strmap_t m = { .borrow = true };
	static const char *const keys[] = { "甲", "乙", "丙", "a", "b" };
	size_t v;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		assert_true(strmap_put(&m, keys[i], i, NULL));
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		char copy[8];

		snprintf(copy, sizeof copy, "%s", keys[i]);
		assert_ptr_equal(strmap_key(&m, copy), keys[i]);
		assert_true(strmap_get(&m, copy, &v));
		assert_int_equal(v, i);
	}
	strmap_free(&m);            /* frees no key (ASan would tell) */
}

static void
test_arena(void **state)
{
	arena_t a = {0};
	char *s[3000];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(s); i++) {
		size_t n = (i * 7919) % 5000;
		void *p = arena_alloc(&a, n + 1);

		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xAB, n + 1);
		s[i] = arena_strndup(&a, "编号,标题", i % 14);
	}
	for (size_t i = 0; i < ARRAY_LEN(s); i++)
		assert_int_equal(strlen(s[i]), i % 14);
	assert_string_equal(arena_strdup(&a, "报送单位"), "报送单位");
	(void)arena_alloc(&a, (size_t)16 << 20);      /* a block of its own */
	assert_string_equal(arena_strdup(&a, "x"), "x");
	arena_free(&a);
	assert_null(a.head);
	arena_free(&a);             /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_copies),
		cmocka_unit_test(test_strmap_borrowed),
		cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
