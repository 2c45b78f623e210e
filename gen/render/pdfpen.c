/*
 * pdfpen.c - the PDF backend's page content writer (see pdfpen.h).
 *
 * libharu writes every text run as a text object of its own with its font,
 * spacing and colour set again ("0 0 0 rg BT /F1 16 Tf -0.20698 Tc
 * 156.24992 585.19 Td <00010002> Tj ET"), numbers with five decimals of a
 * float, and CIDs in hex: about 390 KB of operators (60 KB compressed) for
 * the sample notice.  Here text objects stay open until a path is drawn,
 * the text and colour state is written only when it changes, positions
 * move relative to the previous line (Td), numbers are written from
 * integers (thousandths of a point: exact, locale-free, no float
 * artefacts) and strings as literal bytes.  Positions are kept within
 * 0.0005 pt of what is asked for and character spacing within 0.00005 pt,
 * so a line of 28 characters ends within 0.002 pt of where it would with
 * exact numbers.  (Hundredths would save another 0.5 KB, but glyphs then
 * often cross a pixel boundary of the renderer's: 0.005 pt is enough.)
 */
#include "pdfpen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Scales of the numbers kept: thousandths of a point for positions and
 * sizes, 1/10000 for character spacing, thousandths for colours and line
 * widths. */
#define POS_DEC  3
#define TC_DEC   4
#define COL_DEC  3

static long
scaled(double v, int dec)
{
	static const double pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

	return (long)llround(v * pow10[dec]);
}

void
pen_fixed(buf_t *b, long long v, int dec)
{
	char s[48], *e = s + sizeof s, *q = e;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v :
	    (unsigned long long)v;
	bool digits = false;

	/* fraction digits, from the last; trailing zeros are left out */
	for (int i = 0; i < dec; i++) {
		unsigned d = (unsigned)(u % 10);

		u /= 10;
		if (d || digits) {
			*--q = (char)('0' + d);
			digits = true;
		}
	}
	if (digits)
		*--q = '.';
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--q = '-';
	buf_add(b, q, (size_t)(e - q));
}

/* " " then the number. */
static void
num(buf_t *b, long long v, int dec, bool space)
{
	if (space)
		buf_add(b, " ", 1);
	pen_fixed(b, v, dec);
}

static void
op(buf_t *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
reset_state(pdfpen_t *p)
{
	p->text = false;
	p->path = false;
	p->font[0] = '\0';
	p->size = 0;
	p->tc = 0;                 /* the initial graphics state's */
	p->tr = 0;
	for (int i = 0; i < 3; i++)
		p->fill[i] = p->stroke[i] = -1;
	p->lw = -1;
	p->lx = p->ly = 0;
	p->mark = -1;
	p->saved.on = false;
}

void
pen_init(pdfpen_t *p)
{
	buf_init(&p->out);
	reset_state(p);
}

void
pen_free(pdfpen_t *p)
{
	buf_free(&p->out);
	reset_state(p);
}

static void
end_text(pdfpen_t *p)
{
	if (p->text) {
		op(&p->out, "ET\n");
		p->text = false;
	}
}

void
pen_end_page(pdfpen_t *p)
{
	pen_unmark(p);
	end_text(p);
	reset_state(p);
}

/* Sets colour c[3] (fill or stroke) with operator o when it changes. */
static void
set_rgb(pdfpen_t *p, long c[3], double r, double g, double b, const char *o)
{
	long v[3] = {scaled(r, COL_DEC), scaled(g, COL_DEC), scaled(b, COL_DEC)};

	if (memcmp(v, c, sizeof v) == 0)
		return;
	memcpy(c, v, sizeof v);
	for (int i = 0; i < 3; i++)
		num(&p->out, v[i], COL_DEC, i > 0);
	op(&p->out, o);
}

void
pen_fill_rgb(pdfpen_t *p, double r, double g, double b)
{
	set_rgb(p, p->fill, r, g, b, " rg\n");
}

void
pen_stroke_rgb(pdfpen_t *p, double r, double g, double b)
{
	set_rgb(p, p->stroke, r, g, b, " RG\n");
}

void
pen_line_width(pdfpen_t *p, double w)
{
	long v = scaled(w, COL_DEC);

	if (v == p->lw)
		return;
	p->lw = v;
	num(&p->out, v, COL_DEC, false);
	op(&p->out, " w\n");
}

/* A literal string of the two-byte codes: ( ) \ escaped, and CR and LF,
 * which a reader would normalise. */
static void
put_codes(buf_t *b, const uint16_t *code, size_t n)
{
	char tmp[256];
	size_t k = 0;

	tmp[k++] = '(';
	for (size_t i = 0; i < 2 * n; i++) {
		unsigned char c = (unsigned char)(i % 2 ? code[i / 2] & 0xFF :
		    code[i / 2] >> 8);

		if (k + 3 > sizeof tmp) {
			buf_add(b, tmp, k);
			k = 0;
		}
		if (c == '(' || c == ')' || c == '\\') {
			tmp[k++] = '\\';
			tmp[k++] = (char)c;
		} else if (c == '\r' || c == '\n') {
			tmp[k++] = '\\';
			tmp[k++] = c == '\r' ? 'r' : 'n';
		} else
			tmp[k++] = (char)c;
	}
	tmp[k++] = ')';
	buf_add(b, tmp, k);
}

void
pen_text(pdfpen_t *p, const char *font, double size, double tc, int tr,
    double x, double y, const uint16_t *code, size_t n)
{
	long sz = scaled(size, POS_DEC), c = scaled(tc, TC_DEC);
	long X = scaled(x, POS_DEC), Y = scaled(y, POS_DEC);

	if (!p->text) {
		op(&p->out, "BT\n");
		p->text = true;
		p->lx = p->ly = 0;       /* BT resets the line matrix */
	}
	if (strcmp(font, p->font) != 0 || sz != p->size) {
		snprintf(p->font, sizeof p->font, "%s", font);
		p->size = sz;
		buf_add(&p->out, "/", 1);
		op(&p->out, p->font);
		num(&p->out, sz, POS_DEC, true);
		op(&p->out, " Tf\n");
	}
	if (c != p->tc) {
		p->tc = c;
		num(&p->out, c, TC_DEC, false);
		op(&p->out, " Tc\n");
	}
	if (tr != p->tr) {
		p->tr = tr;
		num(&p->out, tr, 0, false);
		op(&p->out, " Tr\n");
	}
	num(&p->out, X - p->lx, POS_DEC, false);
	num(&p->out, Y - p->ly, POS_DEC, true);
	op(&p->out, " Td\n");
	p->lx = X;
	p->ly = Y;
	put_codes(&p->out, code, n);
	op(&p->out, "Tj\n");
}

void
pen_save(pdfpen_t *p)
{
	pen_unmark(p);
	end_text(p);
	op(&p->out, "q\n");
	p->saved.on = true;
	memcpy(p->saved.font, p->font, sizeof p->font);
	p->saved.size = p->size;
	p->saved.tc = p->tc;
	p->saved.tr = p->tr;
	memcpy(p->saved.fill, p->fill, sizeof p->fill);
	memcpy(p->saved.stroke, p->stroke, sizeof p->stroke);
	p->saved.lw = p->lw;
}

void
pen_restore(pdfpen_t *p)
{
	if (!p->saved.on)
		return;
	pen_unmark(p);
	end_text(p);
	op(&p->out, "Q\n");
	p->saved.on = false;
	memcpy(p->font, p->saved.font, sizeof p->font);
	p->size = p->saved.size;
	p->tc = p->saved.tc;
	p->tr = p->saved.tr;
	memcpy(p->fill, p->saved.fill, sizeof p->fill);
	memcpy(p->stroke, p->saved.stroke, sizeof p->stroke);
	p->lw = p->saved.lw;
}

void
pen_rotate(pdfpen_t *p, double e, double f)
{
	end_text(p);
	op(&p->out, "0 1 -1 0");
	num(&p->out, scaled(e, POS_DEC), POS_DEC, true);
	num(&p->out, scaled(f, POS_DEC), POS_DEC, true);
	op(&p->out, " cm\n");
}

void
pen_unmark(pdfpen_t *p)
{
	if (p->mark == -1)
		return;
	end_text(p);
	op(&p->out, "EMC\n");
	p->mark = -1;
}

void
pen_mark(pdfpen_t *p, long key, const char *tag, const char *props,
    const uint32_t *cp, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	pen_unmark(p);
	end_text(p);
	p->mark = key == -1 ? -2 : key;
	buf_add(&p->out, "/", 1);
	op(&p->out, tag);
	if ((!props || !*props) && n == 0) {
		op(&p->out, " BMC\n");
		return;
	}
	op(&p->out, "<<");
	if (props)
		op(&p->out, props);
	if (n > 0) {
		op(&p->out, "/ActualText<FEFF");
		for (size_t i = 0; i < n; i++) {
			uint32_t c = cp[i] > 0x10FFFF ? 0xFFFD : cp[i];
			uint32_t u[2];
			int k = 0;

			if (c >= 0x10000) {
				u[k++] = 0xD800 | ((c - 0x10000) >> 10);
				u[k++] = 0xDC00 | ((c - 0x10000) & 0x3FF);
			} else
				u[k++] = c;
			for (int j = 0; j < k; j++)
				for (int sh = 12; sh >= 0; sh -= 4)
					buf_add(&p->out, &hex[(u[j] >> sh) & 15], 1);
		}
		op(&p->out, ">");
	}
	op(&p->out, ">>BDC\n");
}

void
pen_fill_rect(pdfpen_t *p, double x, double y, double w, double h)
{
	long X = scaled(x, POS_DEC), Y = scaled(y, POS_DEC);

	/* the far edges rounded as the near ones: exact to 0.005 pt too */
	end_text(p);
	num(&p->out, X, POS_DEC, false);
	num(&p->out, Y, POS_DEC, true);
	num(&p->out, scaled(x + w, POS_DEC) - X, POS_DEC, true);
	num(&p->out, scaled(y + h, POS_DEC) - Y, POS_DEC, true);
	op(&p->out, " re f\n");
}

static void
point(pdfpen_t *p, double x, double y, const char *o)
{
	end_text(p);
	p->path = true;
	num(&p->out, scaled(x, POS_DEC), POS_DEC, false);
	num(&p->out, scaled(y, POS_DEC), POS_DEC, true);
	op(&p->out, o);
}

void
pen_move(pdfpen_t *p, double x, double y)
{
	point(p, x, y, " m\n");
}

void
pen_line(pdfpen_t *p, double x, double y)
{
	point(p, x, y, " l\n");
}

void
pen_stroke(pdfpen_t *p)
{
	if (p->path)
		op(&p->out, "S\n");
	p->path = false;
}
