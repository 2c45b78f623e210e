/*
 * test_config.c - the registry and the rules (gen/read/config.c): the shipped
 * samples/units.xml holds exactly the units of registry.tsv (a copy lives in
 * tests/fixtures/xml/registry.tsv) with their groups, quotas and aliases;
 * samples/rules.xml holds the SPEC 3.2 carriers and points; semantic errors
 * come with their lines; lookups fold names as SPEC 2.3 says.
 * Run from the repository root.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "text.h"
#include "util.h"

#define SCHEMA "templates/schema"
#define CFG "tests/fixtures/xml/config/"

struct fixture {
	registry_t reg;
	rules_t    rules;
	diag_list_t dl;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	if (registry_load("samples/units.xml", SCHEMA, &f->reg, &f->dl) != 0 ||
	    rules_load("samples/rules.xml", SCHEMA, &f->reg, &f->rules,
	    &f->dl) != 0) {
		diag_print(&f->dl, stderr);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	registry_free(&f->reg);
	rules_free(&f->rules);
	diag_free(&f->dl);
	free(f);
	return 0;
}

static int
has_error(const diag_list_t *dl, long line, const char *needle)
{
	size_t i;

	for (i = 0; i < dl->n; i++)
		if (dl->v[i].sev == DIAG_ERROR && dl->v[i].line == line &&
		    strstr(dl->v[i].msg, needle) != NULL)
			return 1;
	return 0;
}

/* Every line of registry.tsv matches the registry, in order. */
static void
test_registry_matches_tsv(void **state)
{
	struct fixture *f = *state;
	const registry_t *r = &f->reg;
	FILE *fp = fopen("tests/fixtures/xml/registry.tsv", "r");
	char *line = NULL;
	size_t cap = 0, u = 0, g = 0;

	assert_non_null(fp);
	while (getline(&line, &cap, fp) > 0) {
		char *fields[4] = { NULL, NULL, NULL, NULL };
		char *p = line, *tab;
		size_t k, nf = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		while (nf < 4) {
			fields[nf++] = p;
			tab = strchr(p, '\t');
			if (tab == NULL)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		assert_true(u < r->nunits);
		const unit_t *un = &r->units[u];
		assert_string_equal(un->name, fields[2]);
		assert_string_equal(r->groups[un->group].name, fields[0]);
		assert_int_equal(r->cats[un->category].quota, atoi(fields[1]));
		assert_int_equal(r->cats[un->category].group, un->group);
		if (u == 0 || r->units[u - 1].group != un->group) {
			assert_int_equal(un->group, g);   /* groups in tsv order */
			g++;
		}
		/* every alias of the tsv is there */
		if (nf >= 4 && fields[3][0] != '\0') {
			char *save = NULL, *a;
			for (a = strtok_r(fields[3], "|", &save); a != NULL;
			    a = strtok_r(NULL, "|", &save)) {
				for (k = 0; k < un->naliases; k++)
					if (strcmp(un->aliases[k], a) == 0)
						break;
				assert_true(k < un->naliases);
			}
		}
		u++;
	}
	free(line);
	fclose(fp);
	assert_int_equal(u, r->nunits);
	assert_int_equal(r->nunits, 120);
	assert_int_equal(r->ngroups, 7);
	assert_int_equal(g, 7);
}

/* SPEC 2 Art 7 table: quota and number of units per category. */
static void
test_registry_quotas(void **state)
{
	static const struct { const char *unit; int quota; } cases[] = {
		{ "武汉市司法局", 24 }, { "恩施州司法局", 24 },
		{ "仙桃市司法局", 18 }, { "神农架林区司法局", 18 },
		{ "省监狱局", 24 }, { "省戒毒局", 20 },
		{ "省社矫局", 12 }, { "省律师协会", 12 },
		{ "厅政治(警务)部组织宣传处", 12 },
		{ "厅国家司法考试处", 6 }, { "省楚信公证处", 6 },
		{ "省法律援助中心", 6 },
		{ "江汉区司法局", 12 }, { "省沙洋监狱局", 12 },
		{ "宜都明信法医司法鉴定所", 12 },
	};
	struct fixture *f = *state;
	size_t i, j, n24 = 0, n18 = 0, n12 = 0, n6 = 0, n20 = 0;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		for (j = 0; j < f->reg.nunits; j++)
			if (strcmp(f->reg.units[j].name, cases[i].unit) == 0)
				break;
		assert_true(j < f->reg.nunits);
		assert_int_equal(f->reg.cats[f->reg.units[j].category].quota,
		    cases[i].quota);
	}
	for (j = 0; j < f->reg.nunits; j++) {
		switch (f->reg.cats[f->reg.units[j].category].quota) {
		case 24: n24++; break;
		case 20: n20++; break;
		case 18: n18++; break;
		case 12: n12++; break;
		case 6:  n6++;  break;
		default: fail();
		}
	}
	assert_int_equal(n24, 14);           /* 13 cities + 省监狱局 */
	assert_int_equal(n20, 1);
	assert_int_equal(n18, 4);
	assert_int_equal(n12, 11 + 42 + 20 + 19);
	assert_int_equal(n6, 9);
	assert_string_equal(f->reg.units[0].id, "wuhan");
	assert_string_equal(f->reg.units[0].head, "局长");
}

/* No two units share a folded name, alias or id. */
static void
test_registry_unique(void **state)
{
	struct fixture *f = *state;
	strvec_t keys = { 0 };
	size_t i, j, k;

	for (i = 0; i < f->reg.nunits; i++) {
		const unit_t *u = &f->reg.units[i];
		strvec_push_owned(&keys, name_key(u->name));
		strvec_push_owned(&keys, name_key(u->id));
		for (k = 0; k < u->naliases; k++)
			strvec_push_owned(&keys, name_key(u->aliases[k]));
	}
	for (i = 0; i < keys.n; i++)
		for (j = i + 1; j < keys.n; j++)
			if (strcmp(keys.v[i], keys.v[j]) == 0)
				fail_msg("duplicate key %s", keys.v[i]);
	strvec_free(&keys);
}

/* SPEC 3.2: the seventeen carriers with their points. */
static void
test_rules_carriers(void **state)
{
	static const struct { const char *name; tenths points; bool high; }
	cases[] = {
		{ "省厅门户网站", 30, false }, { "省厅工作简报", 50, false },
		{ "每日安全维稳信访情况", 50, false },
		{ "省厅领导批示", 100, false }, { "鄂司通报", 100, false },
		{ "司法部采用", 150, true }, { "省委采用", 150, true },
		{ "省政府采用", 150, true }, { "省委领导批示", 200, true },
		{ "司法部领导批示", 200, true }, { "省人大领导批示", 200, true },
		{ "省政府领导批示", 200, true }, { "省政协领导批示", 200, true },
		{ "中央采用", 250, true }, { "国务院采用", 250, true },
		{ "中央领导批示", 300, true },
		{ "领导参阅件", NO_POINTS, false },
	};
	struct fixture *f = *state;
	const rules_t *r = &f->rules;
	size_t i;
	long c;

	assert_int_equal(r->ncarriers, 17);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		c = rules_find_carrier(r, cases[i].name);
		assert_true(c >= 0);
		assert_string_equal(r->carriers[c].name, cases[i].name);
		assert_int_equal(r->carriers[c].points, cases[i].points);
		assert_int_equal(r->carriers[c].high_level, cases[i].high);
	}
	assert_int_equal(rules_find_carrier(r, " 门户网站 "), 0);
	assert_int_equal(rules_find_carrier(r, "司法部"), 5);
	assert_int_equal(rules_find_carrier(r, "省厅"), -1);
	assert_int_equal(rules_find_carrier(r, ""), -1);
}

static void
test_rules_kinds_and_numbers(void **state)
{
	static const struct { const char *name; int weight, min, max; bool urgent; }
	cases[] = {
		{ "动态", 1, 0, 1000, false },
		{ "调研-典型经验", 1, 1000, 3500, false },
		{ "调研-困难问题", 2, 1000, 3500, false },
		{ "重要紧急", 2, 0, 0, true },
		{ "日常", 0, 0, 0, false },
	};
	struct fixture *f = *state;
	const rules_t *r = &f->rules;
	size_t i;
	long k;

	assert_int_equal(r->nkinds, 5);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		k = rules_find_kind(r, cases[i].name);
		assert_int_equal(k, (long)i);
		assert_int_equal(r->kinds[k].weight, cases[i].weight);
		assert_int_equal(r->kinds[k].min_chars, cases[i].min);
		assert_int_equal(r->kinds[k].max_chars, cases[i].max);
		assert_int_equal(r->kinds[k].urgent, cases[i].urgent);
	}
	assert_int_equal(rules_find_kind(r, "Dynamic"), 0);
	assert_int_equal(rules_find_kind(r, "调研－困难问题"), 2);
	assert_int_equal(rules_find_kind(r, "调研"), -1);
	assert_int_equal(r->urgent_limit_minutes, 120);
	assert_int_equal(r->base_points, 600);
	assert_int_equal(r->base_policy, BASE_ALL_OR_NOTHING);
	assert_int_equal(r->plan_days, 7);
	assert_int_equal(r->progress_days, 60);
	assert_int_equal(r->long_running_period_days, 90);
	assert_int_equal(r->honour_workers, 10);
	assert_int_equal(r->nhonours, 7);
	for (i = 0; i < r->nhonours; i++) {
		assert_int_equal(r->honours[i].group, i);
		assert_true(r->honours[i].units > 0);
	}
}

static void
test_channel(void **state)
{
	static const struct { const char *channel; bool ok; } cases[] = {
		{ "综合科", true },
		{ "督办科", true },
		{ "维稳办", true },
		{ "sifatingzhk@163.com", true },
		{ "SifaTingZHK@163.COM", true },
		{ "ｓｉｆａｔｉｎｇｂｗｋ＠１６３．ｃｏｍ", true },
		{ "hbssftdbk@163.com", true },
		{ "电话;综合科", true },
		{ "电话 ； 督办科", true },
		{ "短信、 维稳办 ", true },
		{ "传真,sifatingbwk@163.com", true },
		{ "传真，综合科", true },
		{ "电话", false },
		{ "电话、短信、传真", false },
		{ "综合", false },
		{ "综合科室", false },
		{ "sifatingzhk@163.co", false },
		{ "", false },
		{ ";;", false },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++)
		if (rules_channel_accepted(&f->rules, cases[i].channel) !=
		    cases[i].ok)
			fail_msg("channel \"%s\"", cases[i].channel);
	assert_false(rules_channel_accepted(&f->rules, NULL));
}

/* SPEC 3.4: the words of a 报送方式 - mailboxes by name, alias or address,
 * alone or with 邮箱/信箱/邮件; filler; known other channels; and the words
 * the rules do not know, which the ledger stage names in a warning. */
static void
test_channel_words(void **state)
{
	static const struct {
		const char *channel;
		bool        ok;
		const char *unknown;    /* the unknown words, joined by | */
	} cases[] = {
		{ "综合科 督办科", true, "" },
		{ "综合科邮箱", true, "" },
		{ "督办科信箱", true, "" },
		{ "维稳办邮件", true, "" },
		{ "邮箱：sifatingzhk@163.com", true, "" },
		{ "电子邮件:厅办公室综合科", true, "" },
		{ "Email 综合科", true, "" },
		{ "电话 短信 传真 微信 QQ 纸质 当面", false, "" },
		{ "qq", false, "" },
		{ "邮箱", false, "" },
		{ "综合科 邮政", true, "邮政" },
		{ "领导信箱", false, "领导信箱" },
		{ "综合科室/督办", false, "综合科室|督办" },
		{ "", false, "" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		strvec_t words = { 0 };
		bool ok = rules_channel_read(&f->rules, cases[i].channel, &words);
		buf_t b;

		buf_init(&b);
		buf_puts(&b, "");
		for (size_t k = 0; k < words.n; k++)
			buf_printf(&b, "%s%s", k ? "|" : "", words.v[k]);
		if (ok != cases[i].ok || strcmp(b.data, cases[i].unknown) != 0)
			fail_msg("\"%s\": %d \"%s\"", cases[i].channel, ok,
			    b.data);
		buf_free(&b);
		strvec_free(&words);
	}
}

static void
test_registry_errors(void **state)
{
	diag_list_t dl;
	registry_t r;

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_int_equal(registry_load(CFG "units_bad.xml", SCHEMA, &r, &dl), -1);
	assert_int_equal(r.nunits, 0);
	assert_true(has_error(&dl, 7, "武汉市司法局"));    /* alias = other's name */
	assert_true(has_error(&dl, 10, "厅政治(警务)部干部处")); /* folded equal */
	assert_true(has_error(&dl, 14, "AB"));             /* Ａｂ folds to ab */
	assert_int_equal(dl.errors, 3);
	diag_free(&dl);

	memset(&dl, 0, sizeof dl);
	assert_int_equal(registry_load(CFG "units_dup_id.xml", SCHEMA, &r, &dl),
	    -1);
	/* the schema catches the quota and the duplicate id with lines */
	assert_true(dl.errors >= 2);
	assert_true(has_error(&dl, 4, "quota"));
	assert_true(has_error(&dl, 6, "wuhan"));
	diag_free(&dl);

	memset(&dl, 0, sizeof dl);
	assert_int_equal(registry_load(CFG "no-such.xml", SCHEMA, &r, &dl), -1);
	assert_int_equal(dl.errors, 1);
	diag_free(&dl);
}

static void
test_rules_errors(void **state)
{
	struct fixture *f = *state;
	diag_list_t dl;
	rules_t r;
	registry_t small;

	memset(&dl, 0, sizeof dl);
	assert_int_equal(rules_load(CFG "rules_bad.xml", SCHEMA, &f->reg, &r,
	    &dl), -1);
	assert_true(has_error(&dl, 60, "省厅工作简报"));
	assert_true(has_error(&dl, 81, "国务院"));
	assert_true(has_error(&dl, 115, "nowhere"));
	assert_int_equal(dl.errors, 3);
	assert_int_equal(r.ncarriers, 0);
	diag_free(&dl);

	/* honours naming groups the (smaller) registry does not have */
	memset(&dl, 0, sizeof dl);
	assert_int_equal(registry_load(CFG "units_small.xml", SCHEMA, &small,
	    &dl), 0);
	assert_int_equal(rules_load("samples/rules.xml", SCHEMA, &small, &r,
	    &dl), -1);
	assert_int_equal(dl.errors, 6);
	registry_free(&small);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_matches_tsv),
		cmocka_unit_test(test_registry_quotas),
		cmocka_unit_test(test_registry_unique),
		cmocka_unit_test(test_rules_carriers),
		cmocka_unit_test(test_rules_kinds_and_numbers),
		cmocka_unit_test(test_channel),
		cmocka_unit_test(test_channel_words),
		cmocka_unit_test(test_registry_errors),
		cmocka_unit_test(test_rules_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
