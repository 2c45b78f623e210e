/*
 * test_xmlread.c - the safe XML reader (gen/read/xmlread.c): schema violations
 * reported with their line, DOCTYPEs with entities or external DTDs refused
 * without reading anything, XML ledgers turned into table_t with lines.
 * Fixtures live in tests/fixtures/xml/; run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xmlread.h"
#include "table.h"
#include "diag.h"

#define FIX "tests/fixtures/xml/"
#define LEDGER_XSD "templates/schema/ledger.xsd"

/* True when some diagnostic is an error at (file, line) containing needle
 * (line 0 = any line). */
static int
has_error(const diag_list_t *dl, const char *file, long line,
    const char *needle)
{
	size_t i;

	for (i = 0; i < dl->n; i++) {
		const diag_t *d = &dl->v[i];
		if (d->sev != DIAG_ERROR)
			continue;
		if (file != NULL && (d->file == NULL || strcmp(d->file, file) != 0))
			continue;
		if (line != 0 && d->line != line)
			continue;
		if (needle != NULL && strstr(d->msg, needle) == NULL)
			continue;
		return 1;
	}
	return 0;
}

/* No message may echo /etc/passwd content. */
static void
assert_no_passwd(const diag_list_t *dl)
{
	size_t i;

	for (i = 0; i < dl->n; i++)
		assert_null(strstr(dl->v[i].msg, "root:"));
}

static void
test_ledger_submissions(void **state)
{
	diag_list_t dl;
	table_t t;

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_int_equal(xml_read_ledger(FIX "submissions.xml", LEDGER_XSD, &t,
	    &dl), 0);
	assert_int_equal(dl.errors, 0);
	assert_string_equal(t.file, FIX "submissions.xml");
	assert_int_equal(t.ncols, 11);
	assert_string_equal(t.cols[0], "id");
	assert_string_equal(t.cols[7], "channel");
	assert_string_equal(t.cols[10], "directive");
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.rows[0].line, 3);
	assert_string_equal(t.rows[0].f[0], "T-001");
	assert_string_equal(t.rows[0].f[2],
	    "标题 <script>alert(1)</script> & more");
	assert_string_equal(t.rows[0].f[9], "李四、王五");
	assert_string_equal(t.rows[0].f[6], "");        /* event absent */
	assert_string_equal(t.rows[0].f[10], "");       /* directive absent */
	assert_int_equal(t.rows[1].line, 14);
	assert_string_equal(t.rows[1].f[0], "T-002");   /* any order */
	assert_string_equal(t.rows[1].f[1], "黄石市司法局"); /* trimmed */
	assert_string_equal(t.rows[1].f[2], "CDATA <b>title</b>");
	assert_string_equal(t.rows[1].f[6], "2017-01-06 07:00");
	assert_string_equal(t.rows[1].f[7], "sifatingbwk@163.com");
	assert_string_equal(t.rows[1].f[8], "");        /* empty approver */
	assert_int_equal(table_col(&t, (const char *const[]){ "channel" }, 1), 7);
	table_free(&t);
	diag_free(&dl);
}

static void
test_ledger_adoptions_directives(void **state)
{
	diag_list_t dl;
	table_t t;

	(void)state;
	memset(&dl, 0, sizeof dl);
	/* even a bare DOCTYPE is refused (any DTD is: see test_xxe) */
	assert_int_equal(xml_read_ledger(FIX "plain_doctype.xml", LEDGER_XSD,
	    &t, &dl), -1);
	assert_true(has_error(&dl, FIX "plain_doctype.xml", 2, "DTD"));
	table_free(&t);
	diag_free(&dl);
	memset(&dl, 0, sizeof dl);

	assert_int_equal(xml_read_ledger(FIX "directives.xml", LEDGER_XSD,
	    &t, &dl), 0);
	assert_int_equal(t.ncols, 5);
	assert_string_equal(t.cols[4], "long_running");
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.rows[0].line, 3);
	assert_string_equal(t.rows[0].f[3], "武汉市司法局、黄石市司法局");
	assert_string_equal(t.rows[0].f[4], "是");
	table_free(&t);
	assert_int_equal(dl.errors, 0);
	diag_free(&dl);
}

static void
test_schema_violation(void **state)
{
	diag_list_t dl;
	table_t t;

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_int_equal(xml_read_ledger(FIX "schema_violation.xml", LEDGER_XSD,
	    &t, &dl), -1);
	assert_true(dl.errors >= 1);
	/* the unexpected <colour> is on line 19 */
	assert_true(has_error(&dl, FIX "schema_violation.xml", 19, "colour"));
	assert_int_equal(t.nrows, 0);
	table_free(&t);
	{
		char *s = diag_format(&dl.v[0]);
		assert_non_null(strstr(s, FIX "schema_violation.xml:"));
		assert_non_null(strstr(s, ": error: "));
		assert_null(strchr(s, '\n'));
		free(s);
	}
	diag_free(&dl);
}

static void
test_malformed(void **state)
{
	diag_list_t dl;
	xmlDocPtr doc;

	(void)state;
	memset(&dl, 0, sizeof dl);
	doc = xml_load_validated(FIX "malformed.xml", LEDGER_XSD, &dl);
	assert_null(doc);
	assert_true(dl.errors >= 1);
	assert_true(has_error(&dl, FIX "malformed.xml", 0, NULL));
	assert_true(dl.v[0].line >= 6);
	diag_free(&dl);

	memset(&dl, 0, sizeof dl);
	doc = xml_load_validated(FIX "no-such-file.xml", LEDGER_XSD, &dl);
	assert_null(doc);
	assert_true(has_error(&dl, FIX "no-such-file.xml", 0, NULL));
	diag_free(&dl);
}

static void
test_bad_utf8(void **state)
{
	diag_list_t dl;
	table_t t;

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_int_equal(xml_read_ledger(FIX "bad_utf8.xml", LEDGER_XSD, &t,
	    &dl), -1);
	assert_true(has_error(&dl, FIX "bad_utf8.xml", 4, "UTF-8"));
	assert_null(strchr(dl.v[0].msg, '\n'));
	table_free(&t);
	diag_free(&dl);
}

static void
test_billion_laughs(void **state)
{
	diag_list_t dl;
	table_t t;

	(void)state;
	memset(&dl, 0, sizeof dl);
	assert_int_equal(xml_read_ledger(FIX "laughs.xml", LEDGER_XSD, &t, &dl),
	    -1);
	assert_int_equal(dl.errors, 1);
	assert_true(has_error(&dl, FIX "laughs.xml", 3, "entity"));
	table_free(&t);
	diag_free(&dl);
}

static void
test_xxe(void **state)
{
	static const struct { const char *file; long line; const char *what; }
	cases[] = {
		{ FIX "xxe.xml", 3, "entity" },
		{ FIX "external_dtd.xml", 2, "external DTD" },
		{ FIX "param_entity.xml", 3, "entity" },
		/* an ATTLIST default would be an attribute the schema never
		 * saw; an ELEMENT declaration is a DTD too */
		{ FIX "attlist.xml", 3, "declares attribute \"weight of <adoption>\"" },
		{ FIX "element_decl.xml", 3, "declares element" },
		{ FIX "plain_doctype.xml", 2, "declares a DTD for \"adoptions\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		diag_list_t dl;
		xmlDocPtr doc;

		memset(&dl, 0, sizeof dl);
		doc = xml_load_validated(cases[i].file, LEDGER_XSD, &dl);
		assert_null(doc);
		assert_int_equal(dl.errors, 1);
		assert_true(has_error(&dl, cases[i].file, cases[i].line,
		    cases[i].what));
		assert_no_passwd(&dl);
		diag_free(&dl);
	}
}

static void
test_bad_schema_path(void **state)
{
	diag_list_t dl;
	xmlDocPtr doc;

	(void)state;
	memset(&dl, 0, sizeof dl);
	doc = xml_load_validated(FIX "submissions.xml",
	    "templates/schema/no-such.xsd", &dl);
	assert_null(doc);
	assert_true(dl.errors >= 1);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_submissions),
		cmocka_unit_test(test_ledger_adoptions_directives),
		cmocka_unit_test(test_schema_violation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_xxe),
		cmocka_unit_test(test_bad_schema_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
