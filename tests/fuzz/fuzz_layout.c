/*
 * fuzz_layout.c - libFuzzer target for the line breaker (gen/render/layout.c, on
 * libunibreak) and the UTF-8 helpers under it (gen/base/text.c).
 *
 * Input: byte 0 sets the line width (1..64 units), byte 1 the indents,
 * justification and 标点挤压 (bit 6: an em of 2 units); the rest is the
 * paragraph's text (UTF-8 or not: the decoder must turn any bytes into
 * code points).  Each character is one unit wide (Latin, digits, spaces)
 * or two (everything else), as on the PDF's grid; its first four
 * characters, when there are that many, are a phrase kept whole.  Checks:
 * the lines tile the text in order, every line but an empty paragraph's
 * makes progress, justification never shrinks, squeezes are at most half
 * an em and only where squeezing is on, the characters placed on a line
 * advance and end at its width, the widths agree (narrowest <= widest),
 * the columns of a table made of the lines share the width; for valid
 * UTF-8 the decoder agrees with utf8_len(), and name_key()/trim()/
 * utf8_edit_distance() keep their contracts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz_layout: %s:%d: check failed: %s\n", \
	    __FILE__, __LINE__, #c); abort(); } } while (0)

static void
check_text(const char *s)
{
	size_t n = strlen(s), d;
	char *key, *t;
	uint32_t *cp = NULL;

	if (utf8_invalid_at(s, n) != (size_t)-1)
		return;
	CHECK(layout_decode(s, &cp) == utf8_len(s));
	free(cp);
	key = name_key(s);
	CHECK(key != NULL);
	CHECK(utf8_invalid_at(key, strlen(key)) == (size_t)-1);
	t = malloc(n + 1);
	CHECK(t != NULL);
	memcpy(t, s, n + 1);
	CHECK(trim(t) == t);
	CHECK(strlen(t) <= n);
	CHECK(utf8_invalid_at(t, strlen(t)) == (size_t)-1);
	if (n < 256) {               /* quadratic: keep it quick */
		d = utf8_edit_distance(s, key);
		CHECK(d <= utf8_len(s) + utf8_len(key));
		CHECK(utf8_edit_distance(s, s) == 0);
	}
	free(t);
	free(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = NULL;
	uint32_t *cp = NULL;
	double *adv = NULL, minw, maxw;
	lay_line_t *lines = NULL;
	lay_opts_t o;
	size_t n, nl, i;
	unsigned char *keep = NULL;
	double *sq = NULL, *x = NULL;

	if (size < 2 || size > 65536)
		return 0;
	memset(&o, 0, sizeof o);
	o.width = 1 + data[0] % 64;
	o.first_indent = data[1] & 3;
	o.indent = (data[1] >> 2) & 1;
	o.justify = (data[1] & 0x80) != 0;
	s = malloc(size - 1);
	CHECK(s != NULL);
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';

	n = layout_decode(s, &cp);
	CHECK(cp != NULL);
	CHECK(n <= strlen(s));
	adv = malloc((n + 1) * sizeof *adv);
	CHECK(adv != NULL);
	for (i = 0; i < n; i++) {
		CHECK(cp[i] <= 0x10FFFF && !(cp[i] >= 0xD800 && cp[i] <= 0xDFFF));
		adv[i] = cp[i] < 0x80 ? 1.0 : 2.0;
	}
	o.em = (data[1] & 0x40) ? 2.0 : 0;
	keep = calloc(n + 1, 1);
	sq = calloc(n + 1, sizeof *sq);
	x = calloc(n + 1, sizeof *x);
	CHECK(keep != NULL && sq != NULL && x != NULL);
	if (n >= 4) {
		size_t plen = 4;
		const uint32_t *phr = cp;

		CHECK(layout_keep_phrases(cp, n, &phr, &plen, 1, keep) >= 1);
	}
	o.keep = keep;
	o.squeeze = sq;
	nl = layout_break(cp, adv, n, &o, &lines);
	CHECK(nl >= 1 && lines != NULL);
	CHECK(nl <= n + 1);
	CHECK(lines[0].start == 0);
	CHECK(lines[nl - 1].end == n);
	CHECK(lines[nl - 1].last);
	for (i = 0; i < nl; i++) {
		CHECK(lines[i].start <= lines[i].end && lines[i].end <= n);
		CHECK(n == 0 || lines[i].start < lines[i].end);
		CHECK(i + 1 == nl || lines[i].end == lines[i + 1].start);
		CHECK(lines[i].extra >= 0);
		CHECK(lines[i].natural >= 0);
		CHECK(lines[i].indent == (i == 0 ? o.first_indent : o.indent));
		layout_place(cp, adv, sq, &lines[i], x);
		for (size_t k = lines[i].start; k < lines[i].end; k++) {
			CHECK(sq[k] >= 0 && sq[k] <= o.em / 2 + 1e-9);
			CHECK(x[k + 1 - lines[i].start] >= x[k - lines[i].start] - 1e-9 ||
			    sq[k + 1] > 0);
		}
		CHECK(x[lines[i].end - lines[i].start] >= lines[i].natural - 1e-6);
	}
	{
		/* a table of two columns: the lines, and their lengths */
		lay_text_t *cells[8] = {0};
		double colw[2];
		size_t rows = nl < 4 ? nl : 4;
		lay_fit_t fit;

		for (i = 0; i < rows; i++)
			cells[2 * i] = layout_text_new(cp + lines[i].start,
			    adv + lines[i].start, lines[i].end - lines[i].start,
			    keep + lines[i].start, o.em);
		layout_columns(cells, rows, 2, o.width + 4, 1, colw, &fit);
		CHECK(rows == 0 || (colw[0] > 0 && colw[1] > 0 &&
		    colw[0] + colw[1] < o.width + 4 + 1e-6 &&
		    colw[0] + colw[1] > o.width + 4 - 1e-6));
		for (i = 0; i < rows; i++)
			layout_text_free(cells[2 * i]);
	}
	layout_widths(cp, adv, n, &minw, &maxw);
	CHECK(minw >= 0 && minw <= maxw + 1e-9);
	check_text(s);

	free(lines);
	free(keep);
	free(sq);
	free(x);
	free(adv);
	free(cp);
	free(s);
	return 0;
}
