/*
 * test_pdfpen.c - the page content writer of the PDF backend (pdfpen.c):
 * numbers written exactly from integers (no float artefacts, no
 * exponent, no trailing zeros), the text and colour state written only when
 * it changes, text objects kept open until a path, relative moves that add
 * up to the positions asked for without drift, literal strings escaped, and
 * the state forgotten at a new page (issue 3: the notice under 200 KB);
 * marked content (MCIDs, artifacts, ActualText; never nested, never
 * across a text object or q/Q), and q/Q around a landscape page's turn.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfpen.h"
#include "util.h"

/* The number pen_fixed writes, as a new string. */
static char *
fixed(long long v, int dec)
{
	buf_t b;

	buf_init(&b);
	pen_fixed(&b, v, dec);
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

static void
check_fixed(long long v, int dec, const char *want)
{
	char *s = fixed(v, dec);

	assert_string_equal(s, want);
	free(s);
}

static void
test_fixed(void **state)
{
	(void)state;
	check_fixed(0, 2, "0");
	check_fixed(1600, 2, "16");
	check_fixed(1050, 2, "10.5");
	check_fixed(-2070, 4, "-0.207");
	check_fixed(5, 3, "0.005");
	check_fixed(-5, 3, "-0.005");
	check_fixed(-100, 2, "-1");
	check_fixed(123456789, 2, "1234567.89");
	check_fixed(7, 0, "7");
	check_fixed(-999999, 6, "-0.999999");
}

/* How often needle occurs in the pen's output. */
static int
count(const pdfpen_t *p, const char *needle)
{
	int n = 0;
	const char *s = p->out.data;
	size_t len = strlen(needle);

	for (size_t i = 0; s && i + len <= p->out.len; i++)
		if (memcmp(s + i, needle, len) == 0)
			n++;
	return n;
}

static bool
has(const pdfpen_t *p, const char *needle)
{
	return count(p, needle) > 0;
}

static void
test_state_cached(void **state)
{
	pdfpen_t p;
	const uint16_t a[2] = {0x0001, 0x0002};
	static const char fresh[] = "0 0 0 rg\nBT\n/F2 16 Tf\n-0.207 Tc\n"
	    "100 100 Td\n(\x00\x01)Tj\n";

	(void)state;
	pen_init(&p);
	pen_fill_rgb(&p, 0, 0, 0);
	pen_fill_rgb(&p, 0, 0, 0);
	pen_text(&p, "F1", 16, -0.20697, 0, 79.37008, 716.7525, a, 2);
	pen_text(&p, "F1", 16, -0.20697, 0, 79.37008, 687.76184, a, 2);
	pen_fill_rgb(&p, 0, 0, 0);
	pen_text(&p, "F2", 16, -0.20697, 0, 110.95613, 687.76184, a, 1);
	buf_putc(&p.out, '\0');
	p.out.len--;
	/* one text object, one colour, a font per change, one spacing */
	assert_int_equal(count(&p, "BT\n"), 1);
	assert_int_equal(count(&p, " rg\n"), 1);
	assert_int_equal(count(&p, "/F1 16 Tf\n"), 1);
	assert_int_equal(count(&p, "/F2 16 Tf\n"), 1);
	assert_int_equal(count(&p, "-0.207 Tc\n"), 1);
	/* moves relative to the previous line */
	assert_true(has(&p, "79.37 716.753 Td\n"));
	assert_true(has(&p, "0 -28.991 Td\n"));
	assert_true(has(&p, "31.586 0 Td\n"));
	/* a path closes the text object; the state survives it */
	pen_stroke_rgb(&p, 0, 0, 0);
	pen_line_width(&p, 0.5);
	pen_move(&p, 10, 20);
	pen_line(&p, 30, 20);
	pen_stroke(&p);
	pen_text(&p, "F2", 16, -0.20697, 0, 100, 100, a, 1);
	buf_putc(&p.out, '\0');
	p.out.len--;
	assert_int_equal(count(&p, "ET\n"), 1);
	assert_int_equal(count(&p, "BT\n"), 2);
	assert_int_equal(count(&p, " Tf\n"), 2);
	/* (colour and width may be set inside a text object) */
	assert_true(has(&p, "0 0 0 RG\n0.5 w\nET\n10 20 m\n30 20 l\nS\nBT\n"));
	/* BT starts the line matrix afresh: an absolute move */
	assert_true(has(&p, "BT\n100 100 Td\n"));
	/* a new page forgets everything */
	pen_end_page(&p);
	p.out.len = 0;
	pen_fill_rgb(&p, 0, 0, 0);
	pen_text(&p, "F2", 16, -0.20697, 0, 100, 100, a, 1);
	assert_int_equal(p.out.len, sizeof fresh - 1);
	assert_memory_equal(p.out.data, fresh, sizeof fresh - 1);
	pen_free(&p);
}

/* The relative moves add up exactly to each position, rounded. */
static void
test_no_drift(void **state)
{
	pdfpen_t p;
	const uint16_t a[1] = {0x0101};
	long sx = 0, sy = 0;
	char *s, *e;

	(void)state;
	pen_init(&p);
	for (int i = 0; i < 500; i++) {
		double x = 79.37008 + 15.79302 * (i % 28);
		double y = 716.7525 - 28.97727 * (i / 28);

		pen_text(&p, "F1", 16, 0, 0, x, y, a, 1);
	}
	buf_putc(&p.out, '\0');
	for (s = p.out.data; (e = strstr(s, " Td\n")) != NULL; s = e + 4) {
		char *line = e;
		double dx, dy;

		while (line > p.out.data && line[-1] != '\n')
			line--;
		assert_int_equal(sscanf(line, "%lf %lf", &dx, &dy), 2);
		sx += lround(dx * 1000);
		sy += lround(dy * 1000);
	}
	assert_int_equal(sx, lround((79.37008 + 15.79302 * (499 % 28)) * 1000));
	assert_int_equal(sy, lround((716.7525 - 28.97727 * (499 / 28)) * 1000));
	pen_free(&p);
}

static void
test_literal_escapes(void **state)
{
	pdfpen_t p;
	/* ( ) \ CR LF as either byte of a code */
	const uint16_t a[4] = {0x0028, 0x5C29, 0x0D0A, 0x4E00};
	static const char want[] = "(\x00\\(\\\\\\)\\r\\nN\x00)Tj\n";

	(void)state;
	pen_init(&p);
	pen_text(&p, "F1", 12, 0, 0, 0, 0, a, 4);
	assert_true(p.out.len > sizeof want - 1);
	assert_memory_equal(p.out.data + p.out.len - (sizeof want - 1), want,
	    sizeof want - 1);
	pen_free(&p);
}

static void
test_rect_edges(void **state)
{
	pdfpen_t p;

	(void)state;
	pen_init(&p);
	/* the far edge is rounded as itself, not as x plus a rounded width */
	pen_fill_rect(&p, 79.37008, 715.25787, 442.20471, 21.75);
	buf_putc(&p.out, '\0');
	assert_string_equal(p.out.data, "79.37 715.258 442.205 21.75 re f\n");
	pen_free(&p);
}

/* Marked content: a sequence's properties and ActualText (UTF-16BE,
 * surrogates included); a new one ends the open one; text objects close
 * before BDC and EMC; q and the page's end close an open sequence.  Save
 * and restore bring back the state the pen knew. */
static void
test_marks_and_frames(void **state)
{
	pdfpen_t p;
	const uint16_t a[1] = {0x0001};
	const uint32_t text[3] = {0xFF09, 0xFF0C, 0x1F600};

	(void)state;
	pen_init(&p);
	assert_int_equal(p.mark, -1);
	pen_unmark(&p);                       /* none open: nothing */
	assert_int_equal(p.out.len, 0);
	pen_mark(&p, 7, "P", "/MCID 0", NULL, 0);
	assert_int_equal(p.mark, 7);
	pen_text(&p, "F1", 12, 0, 0, 10, 10, a, 1);
	pen_mark(&p, 8, "Span", "/MCID 1", text, 3);
	pen_text(&p, "F1", 12, 0, 0, 20, 10, a, 1);
	pen_mark(&p, -4, "Artifact", "/Type/Pagination", NULL, 0);
	pen_text(&p, "F1", 12, 0, 0, 30, 10, a, 1);
	pen_mark(&p, -2, "Artifact", NULL, NULL, 0);
	pen_fill_rect(&p, 0, 0, 1, 1);
	pen_unmark(&p);
	assert_int_equal(p.mark, -1);
	buf_putc(&p.out, '\0');
	p.out.len--;
	assert_true(has(&p, "/P<</MCID 0>>BDC\nBT\n"));
	assert_true(has(&p, "Tj\nET\nEMC\n/Span<</MCID 1/ActualText<FEFFFF09FF0CD83DDE00>>>BDC\nBT\n"));
	assert_true(has(&p, "ET\nEMC\n/Artifact<</Type/Pagination>>BDC\nBT\n"));
	assert_true(has(&p, "ET\nEMC\n/Artifact BMC\n0 0 1 1 re f\nEMC\n"));
	assert_int_equal(count(&p, "BDC\n") + count(&p, "BMC\n"), count(&p, "EMC\n"));
	p.out.len = 0;
	pen_mark(&p, 1, "P", "/MCID 2", NULL, 0);
	pen_save(&p);
	assert_int_equal(p.mark, -1);
	pen_restore(&p);
	pen_mark(&p, 1, "P", "/MCID 3", NULL, 0);
	pen_text(&p, "F1", 12, 0, 0, 10, 10, a, 1);
	pen_end_page(&p);
	assert_int_equal(p.mark, -1);
	buf_putc(&p.out, '\0');
	p.out.len--;
	assert_true(has(&p, "/P<</MCID 2>>BDC\nEMC\nq\nQ\n/P<</MCID 3>>BDC\nBT\n"));
	assert_true(has(&p, "Tj\nET\nEMC\n"));
	pen_end_page(&p);
	p.out.len = 0;
	pen_fill_rgb(&p, 1, 0, 0);
	pen_save(&p);
	pen_rotate(&p, 521.575, 99.213);
	pen_fill_rgb(&p, 0, 0, 0);
	pen_text(&p, "F1", 12, 0, 0, 10, 10, a, 1);
	pen_restore(&p);
	/* after Q the fill is red again, as the pen knows: black is set anew */
	pen_fill_rgb(&p, 1, 0, 0);
	pen_fill_rgb(&p, 0, 0, 0);
	buf_putc(&p.out, '\0');
	p.out.len--;
	assert_true(has(&p, "q\n0 1 -1 0 521.575 99.213 cm\n"));
	assert_true(has(&p, "ET\nQ\n0 0 0 rg\n"));
	assert_int_equal(count(&p, "1 0 0 rg\n"), 1);
	pen_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_state_cached),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_literal_escapes),
		cmocka_unit_test(test_rect_edges),
		cmocka_unit_test(test_marks_and_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
