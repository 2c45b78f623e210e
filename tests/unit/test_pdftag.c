/*
 * test_pdftag.c - the structure tree of the tagged PDF (pdftag.c): MCIDs
 * handed out per page, children kept in reading order, a document set
 * again (tag_save / tag_rewind) leaving no trace of the first attempt,
 * and the objects written: StructTreeRoot, elements with /S /P /Pg /K,
 * marked-content references for content on another page, the ParentTree
 * per page, /StructParents, RoleMap, /Alt, TH's /Scope, MarkInfo, /Lang.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "pdftag.h"
#include "util.h"

static void
test_mcids_per_page(void **state)
{
	tagtree_t t;
	int doc, p, q;

	(void)state;
	tag_init(&t);
	doc = tag_add(&t, -1, "Document");
	p = tag_add(&t, doc, "P");
	assert_int_equal(tag_mcid(&t, p, 0), 0);
	assert_int_equal(tag_mcid(&t, p, 0), 1);
	assert_int_equal(tag_mcid(&t, p, 2), 0);    /* a page of its own */
	q = tag_add(&t, doc, "P");
	assert_int_equal(tag_mcid(&t, q, 0), 2);
	assert_int_equal(t.e[doc].nkids, 2);
	assert_int_equal(t.e[doc].kids[0].elem, p);
	assert_int_equal(t.e[doc].kids[1].elem, q);
	assert_int_equal(t.e[p].nkids, 3);
	assert_int_equal(t.e[p].kids[2].page, 2);
	assert_int_equal(t.e[p].kids[2].elem, -1);
	tag_free(&t);
}

/* The second attempt at a document starts where the first did. */
static void
test_rewind(void **state)
{
	tagtree_t t;
	tag_state_t s;
	int doc, p, art;

	(void)state;
	tag_init(&t);
	doc = tag_add(&t, -1, "Document");
	p = tag_add(&t, doc, "P");
	tag_mcid(&t, p, 0);
	s = tag_save(&t);
	art = tag_add(&t, doc, "Art");
	tag_set_alt(&t, art, "gone");
	tag_mcid(&t, tag_add(&t, art, "P"), 1);
	tag_mcid(&t, p, 0);
	tag_rewind(&t, &s, 1);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[doc].nkids, 1);
	assert_int_equal(t.e[p].nkids, 1);
	assert_null(s.nkids);
	/* page 0 was not set again: its MCIDs go on; page 1 starts at 0 */
	assert_int_equal(tag_mcid(&t, tag_add(&t, doc, "P"), 1), 0);
	assert_int_equal(tag_mcid(&t, p, 0), 2);
	tag_free(&t);
}

/* The saved file's bytes (uncompressed) as a string. */
static char *
saved(HPDF_Doc pdf)
{
	buf_t b;
	HPDF_BYTE chunk[4096];

	buf_init(&b);
	assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(pdf, chunk, &n);

		buf_add(&b, chunk, n);
		if (st != HPDF_OK)
			break;
	}
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

static void
test_write(void **state)
{
	static const char *const roles[] = {"Title", "H1", "Record", "Sect",
	    NULL};
	tagtree_t t;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page pages[2];
	int doc, title, p, th;
	char *s;

	(void)state;
	assert_non_null(pdf);
	pages[0] = HPDF_AddPage(pdf);
	pages[1] = HPDF_AddPage(pdf);
	tag_init(&t);
	doc = tag_add(&t, -1, "Document");
	title = tag_add(&t, doc, "Title");
	tag_mcid(&t, title, 0);
	p = tag_add(&t, doc, "P");
	tag_mcid(&t, p, 0);
	tag_mcid(&t, p, 1);          /* goes on on the next page */
	th = tag_add(&t, tag_add(&t, tag_add(&t, doc, "Table"), "TR"), "TH");
	tag_set_scope(&t, th, "Column");
	tag_mcid(&t, th, 1);
	tag_set_alt(&t, tag_add(&t, doc, "Figure"), "A");
	assert_int_equal(tag_write(&t, pdf, pages, 2, "zh-CN", roles), 0);
	s = saved(pdf);
	assert_non_null(strstr(s, "/Type /StructTreeRoot"));
	assert_non_null(strstr(s, "/ParentTreeNextKey 2"));
	assert_non_null(strstr(s, "/MarkInfo <<\012/Marked true\012>>"));
	assert_non_null(strstr(s, "/Lang (zh-CN)"));
	assert_non_null(strstr(s, "/Title /H1"));
	assert_non_null(strstr(s, "/Record /Sect"));
	assert_non_null(strstr(s, "/StructParents 0"));
	assert_non_null(strstr(s, "/StructParents 1"));
	assert_non_null(strstr(s, "/S /Title"));
	/* the paragraph's content on page 1 is a marked-content reference */
	assert_non_null(strstr(s, "/Type /MCR"));
	assert_non_null(strstr(s, "/MCID 0"));
	assert_non_null(strstr(s, "/Scope /Column"));
	assert_non_null(strstr(s, "/O /Table"));
	/* Alt "A" in UTF-16BE with its byte-order mark */
	assert_non_null(strstr(s, "/Alt <FEFF0041>"));
	/* one Nums entry per page: 0 [title p] 1 [p th] */
	assert_non_null(strstr(s, "/Nums [ 0 [ "));
	assert_non_null(strstr(s, " ] 1 [ "));
	free(s);
	tag_free(&t);
	HPDF_Free(pdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mcids_per_page),
		cmocka_unit_test(test_rewind),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
