/*
 * test_phrases.c - gen/doc/phrases.c on small templates written here (with a
 * schema of their own, so the tests do not depend on the wording of
 * templates/): reading sections, the line-break folding of Chinese text,
 * lookups (the last section wins), expansion with {{ }} escapes and
 * unfilled placeholders, the <defaults> callback, and every check with the
 * FILE:LINE it reports - with and without the "<section>: " qualifier.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "phrases.h"
#include "util.h"
#include "testutil.h"

static const char xsd_text[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
"  <xs:complexType name=\"phrases\">\n"
"    <xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
"      <xs:element name=\"text\">\n"
"        <xs:complexType><xs:simpleContent><xs:extension base=\"xs:string\">\n"
"          <xs:attribute name=\"key\" type=\"xs:string\" use=\"required\"/>\n"
"        </xs:extension></xs:simpleContent></xs:complexType>\n"
"      </xs:element>\n"
"      <xs:element name=\"list\">\n"
"        <xs:complexType><xs:sequence>\n"
"          <xs:element name=\"item\" type=\"xs:string\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\n"
"        </xs:sequence>\n"
"        <xs:attribute name=\"key\" type=\"xs:string\" use=\"required\"/>\n"
"        </xs:complexType>\n"
"      </xs:element>\n"
"    </xs:choice>\n"
"  </xs:complexType>\n"
"  <xs:complexType name=\"book\">\n"
"    <xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
"      <xs:element name=\"defaults\" type=\"xs:string\"/>\n"
"      <xs:element name=\"one\" type=\"phrases\"/>\n"
"      <xs:element name=\"two\" type=\"phrases\"/>\n"
"    </xs:choice>\n"
"  </xs:complexType>\n"
"  <xs:element name=\"book\" type=\"book\"/>\n"
"  <xs:element name=\"other\" type=\"book\"/>\n"
"</xs:schema>\n";

static const phrase_spec_t one_keys[] = {
	{ "names", true, 2, "" },
	{ "greet", false, 0, "who nobody" },
	{ "shared", false, 0, "" },
};

static const phrase_spec_t two_keys[] = {
	{ "shared", false, 0, "" },
	{ "cols", true, 0, "" },
	{ "wrapped", false, 0, "" },
};

static const phrase_section_t sections[] = {
	{ .name = "one", .spec = one_keys, .nspec = ARRAY_LEN(one_keys) },
	{ .name = "two", .spec = two_keys, .nspec = ARRAY_LEN(two_keys) },
};

/* A good template: line numbers matter to the checks below. */
static const char good[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                  /* 1 */
"<book>\n"                                                       /* 2 */
"  <defaults>湖北省司法厅</defaults>\n"                         /* 3 */
"  <one>\n"                                                      /* 4 */
"    <list key=\"names\"><item>第一</item><item>{year}年</item></list>\n"
"    <text key=\"greet\">  {who}，{year}年{{好}} {nobody}  </text>\n"
"    <text key=\"shared\">from one</text>\n"                     /* 7 */
"  </one>\n"
"  <two>\n"                                                      /* 9 */
"    <text key=\"shared\">from two</text>\n"
"    <list key=\"cols\"><item>a{year}</item></list>\n"
"    <text key=\"wrapped\">中文\n      接着 ab\n   cd</text>\n"
"  </two>\n"
"</book>\n";

typedef struct fixture {
	char *dir, *xsd, *xml;
} fixture_t;

static void
fixture_init(fixture_t *f, const char *xml)
{
	char tmpl[] = "/tmp/test_phrases.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->xsd = xasprintf("%s/book.xsd", f->dir);
	f->xml = xasprintf("%s/book.xml", f->dir);
	test_write(f->xsd, xsd_text);
	test_write(f->xml, xml);
}

static void
fixture_free(fixture_t *f)
{
	unlink(f->xml);
	unlink(f->xsd);
	rmdir(f->dir);
	free(f->xml);
	free(f->xsd);
	free(f->dir);
}

/* Calls phrasebook_vsay with the variable arguments. */
static char *
say(const phrasebook_t *pb, const char *const *common, size_t ncommon,
    const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(pb, key, common, ncommon, ap);
	va_end(ap);
	return s;
}

static const char *const common[] = { "year", "2017", "who", "common" };

/* Asserts that phrase `key`, without pairs of its own, reads `want`. */
static void
assert_says(const phrasebook_t *pb, const char *key, const char *want)
{
	char *s = say(pb, common, 2, key, (const char *)NULL);

	assert_string_equal(s, want);
	free(s);
}

static void
other_cb(xmlNodePtr n, void *arg)
{
	char **seen = arg;

	if (phrase_is_element(n, "defaults")) {
		free(*seen);
		*seen = phrase_node_text(n);
	}
}

static void
test_load_and_say(void **state)
{
	const phrasebook_def_t def = { .root = "book", .common_vars = "year",
	    .sections = sections, .nsections = ARRAY_LEN(sections),
	    .qualify = true };
	fixture_t f;
	diag_list_t dl = { 0 };
	char *seen = NULL, *s;
	const strvec_t *names;
	strvec_t cols = { 0 };
	phrasebook_t *pb;

	(void)state;
	fixture_init(&f, good);
	pb = phrasebook_load(f.xml, f.xsd, &def, other_cb, &seen, &dl);
	if (pb == NULL)
		diag_print(&dl, stderr);
	assert_non_null(pb);
	assert_int_equal(dl.n, 0);
	assert_string_equal(seen, "湖北省司法厅");

	names = phrasebook_list(pb, "names");
	assert_non_null(names);
	assert_int_equal(names->n, 2);
	assert_string_equal(names->v[1], "{year}年");      /* not expanded */
	assert_null(phrasebook_list(pb, "greet"));         /* a text */
	assert_null(phrasebook_list(pb, "nope"));

	/* own pairs first, then common; {{ }} literal; unfilled kept; trimmed */
	s = say(pb, common, 2, "greet", "who", "张三", (const char *)NULL);
	assert_string_equal(s, "张三，2017年{好} {nobody}");
	free(s);
	assert_says(pb, "greet", "common，2017年{好} {nobody}");
	assert_says(pb, "shared", "from two");          /* the last section wins */
	/* a line break vanishes between Chinese characters, else one space */
	assert_says(pb, "wrapped", "中文接着 ab cd");
	assert_says(pb, "nope", "");                    /* a missing key */
	assert_says(pb, "names", "");                   /* a list */

	phrasebook_say_list(pb, "names", common, 2, &cols);
	phrasebook_say_list(pb, "cols", common, 2, &cols);
	phrasebook_say_list(pb, "greet", common, 2, &cols);  /* a text: none */
	assert_int_equal(cols.n, 3);
	assert_string_equal(cols.v[0], "第一");
	assert_string_equal(cols.v[1], "2017年");
	assert_string_equal(cols.v[2], "a2017");
	strvec_free(&cols);

	/* a phrase from elsewhere: checked with pb's common placeholders */
	phrasebook_check_text(pb, "settings.xml", 7, "pattern", "{year}{n}",
	    "n", &dl);
	assert_int_equal(dl.errors, 0);
	phrasebook_check_text(pb, "settings.xml", 7, "pattern", "{m}", "n",
	    &dl);
	assert_int_equal(dl.errors, 1);
	assert_string_equal(dl.v[0].file, "settings.xml");
	assert_int_equal(dl.v[0].line, 7);
	assert_string_equal(dl.v[0].msg, "phrase \"pattern\": unknown "
	    "placeholder {m}; it may use: n year");

	phrasebook_free(pb);
	free(seen);
	diag_free(&dl);
	fixture_free(&f);
}

static void
test_expand(void **state)
{
	static const char *const kv[] = { "a", "1", "ab", "2" };
	static const char *const cv[] = { "a", "common", "c", "3" };
	char *s;

	(void)state;
	s = phrase_expand("{a}{ab}{c}{d}{{a}}}}{{x {A} {", kv, 2, cv, 2);
	assert_string_equal(s, "123{d}{a}}{x {A} {");
	free(s);
	s = phrase_expand("", NULL, 0, NULL, 0);
	assert_string_equal(s, "");
	free(s);
	s = phrase_expand("{a}", NULL, 0, cv, 2);
	assert_string_equal(s, "common");
	free(s);
}

/* Is there an error at `line` whose message is exactly `msg`? */
static bool
has(const diag_list_t *dl, long line, const char *msg)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].line == line && strcmp(dl->v[i].msg, msg) == 0)
			return true;
	return false;
}

static const char bad[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                  /* 1 */
"<book>\n"                                                       /* 2 */
"  <one>\n"                                                      /* 3 */
"    <list key=\"names\"><item>一</item></list>\n"              /* 4 */
"    <list key=\"greet\"><item>x</item></list>\n"               /* 5 */
"    <text key=\"shared\">{who} {{ } {x</text>\n"                /* 6 */
"    <text key=\"shared\">again</text>\n"                        /* 7 */
"    <text key=\"stray\">s</text>\n"                             /* 8 */
"  </one>\n"                                                     /* 9 */
"</book>\n";

static void
test_checks(void **state)
{
	phrasebook_def_t def = { .root = "book", .common_vars = "year",
	    .sections = sections, .nsections = ARRAY_LEN(sections),
	    .qualify = true };
	fixture_t f;
	diag_list_t dl = { 0 };
	phrasebook_t *pb;

	(void)state;
	fixture_init(&f, bad);
	pb = phrasebook_load(f.xml, f.xsd, &def, NULL, NULL, &dl);
	assert_null(pb);
	assert_true(has(&dl, 7, "<one>: key \"shared\" given twice"));
	assert_true(has(&dl, 4, "list \"names\" needs exactly 2 items, not 1"));
	assert_true(has(&dl, 5, "key \"greet\" must be a <text>"));
	assert_true(has(&dl, 6, "phrase \"shared\": unknown placeholder {who}; "
	    "it may use: year"));
	assert_true(has(&dl, 6, "phrase \"shared\": '}' without '{' (write }} "
	    "for a literal brace)"));
	assert_true(has(&dl, 6, "phrase \"shared\": '{' without a placeholder "
	    "name and '}' (write {{ for a literal brace)"));
	assert_true(has(&dl, 8, "<one>: unknown key \"stray\""));
	/* section <two> is absent: its keys are missing at line 0 */
	assert_true(has(&dl, 0, "<two> lacks <text key=\"shared\">"));
	assert_true(has(&dl, 0, "<two> lacks <list key=\"cols\">"));
	assert_int_equal(dl.errors, 10);
	assert_string_equal(dl.v[0].file, f.xml);
	diag_free(&dl);

	/* unqualified: the same errors without "<one>: " */
	def.qualify = false;
	pb = phrasebook_load(f.xml, f.xsd, &def, NULL, NULL, &dl);
	assert_null(pb);
	assert_true(has(&dl, 7, "key \"shared\" given twice"));
	assert_true(has(&dl, 8, "unknown key \"stray\""));
	assert_int_equal(dl.errors, 10);
	diag_free(&dl);

	/* the wrong root element (the schema allows it) */
	def.root = "other";
	pb = phrasebook_load(f.xml, f.xsd, &def, NULL, NULL, &dl);
	assert_null(pb);
	assert_int_equal(dl.errors, 1);
	assert_true(has(&dl, 2, "the root element must be <other>, not <book>"));
	diag_free(&dl);
	fixture_free(&f);

	/* a file that does not exist */
	def.root = "book";
	pb = phrasebook_load("/nonexistent/book.xml", "/nonexistent/book.xsd",
	    &def, NULL, NULL, &dl);
	assert_null(pb);
	assert_true(dl.errors > 0);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_say),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
