/*
 * test_fonts.c - the font programs the PDF backend embeds (fonts.c,
 * fonts_subset_file), read back table by table: the outlines on a grid of
 * 256 units per em with every advance exact (what /W and the layout use),
 * a face whose advances a coarser unit cannot hold (Zen Hei's digits)
 * keeping its units with its outlines on the coarser grid, a face with
 * hinting data embedded as it is, composite glyphs with their parts, the glyphs in
 * code-point order with the CID-to-glyph map, the name table without the
 * full licence text but with the copyright, names and URLs, no character
 * map, and boxes and left side bearings that agree with the outlines
 * (issue 3: the notice under 200 KB).  Needs Debian's font packages.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fonts.h"
#include "util.h"

#define UMING   "/usr/share/fonts/truetype/arphic/uming.ttc"
#define ZENHEI  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
/* made by `make fonts` (fonts/mksubset.py); tests run in the tree */
#define HEI_SUBSET "out/build/fonts/tb-hei.ttf"

static unsigned
u16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An sfnt in memory (a face of a collection when it is one). */
typedef struct sfnt {
	const uint8_t *base;     /* the file */
	size_t         len;
	uint32_t       dir;      /* offset of the table directory */
	char          *owned;
} sfnt_t;

static sfnt_t
sfnt_mem(const char *data, size_t len)
{
	sfnt_t f = {(const uint8_t *)data, len, 0, NULL};

	if (len >= 16 && memcmp(data, "ttcf", 4) == 0)
		f.dir = u32(f.base + 12);          /* face 0 */
	return f;
}

static sfnt_t
sfnt_file(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	sfnt_t f;

	assert_int_equal(read_file(path, &data, &len), 0);
	f = sfnt_mem(data, len);
	f.owned = data;
	return f;
}

/* Table tag's bytes, or NULL (*len its length). */
static const uint8_t *
table(const sfnt_t *f, const char *tag, uint32_t *len)
{
	unsigned n = u16(f->base + f->dir + 4);

	for (unsigned i = 0; i < n; i++) {
		const uint8_t *d = f->base + f->dir + 12 + 16 * i;

		if (memcmp(d, tag, 4) == 0) {
			assert_true(u32(d + 8) + (size_t)u32(d + 12) <= f->len);
			if (len)
				*len = u32(d + 12);
			return f->base + u32(d + 8);
		}
	}
	return NULL;
}

/* The glyph of code point cp in the face's (3,1) format 4 cmap. */
static unsigned
glyph_of(const sfnt_t *f, uint32_t cp)
{
	const uint8_t *c = table(f, "cmap", NULL), *s = NULL;

	for (unsigned i = 0; i < u16(c + 2); i++)
		if (u16(c + 4 + 8 * i) == 3 && u16(c + 6 + 8 * i) == 1)
			s = c + u32(c + 8 + 8 * i);
	assert_non_null(s);
	for (unsigned seg = u16(s + 6) / 2, i = 0; i < seg; i++) {
		const uint8_t *end = s + 14, *start = end + 2 * seg + 2,
		    *delta = start + 2 * seg, *ro = delta + 2 * seg;

		if (cp < u16(start + 2 * i) || cp > u16(end + 2 * i))
			continue;
		if (u16(ro + 2 * i) == 0)
			return (cp + u16(delta + 2 * i)) & 0xFFFF;
		return (u16(ro + 2 * i + u16(ro + 2 * i) + 2 * (cp - u16(start + 2 * i))) +
		    u16(delta + 2 * i)) & 0xFFFF;
	}
	return 0;
}

static unsigned
advance(const sfnt_t *f, unsigned g)
{
	unsigned nhm = u16(table(f, "hhea", NULL) + 34);

	return u16(table(f, "hmtx", NULL) + 4 * (g < nhm ? g : nhm - 1));
}

static int
lsb(const sfnt_t *f, unsigned g)
{
	unsigned nhm = u16(table(f, "hhea", NULL) + 34);
	const uint8_t *h = table(f, "hmtx", NULL);

	return (int16_t)(g < nhm ? u16(h + 4 * g + 2) : u16(h + 4 * nhm + 2 * (g - nhm)));
}

/* Glyph g's bytes (*len 0: empty). */
static const uint8_t *
glyph(const sfnt_t *f, unsigned g, uint32_t *len)
{
	const uint8_t *loca = table(f, "loca", NULL);
	bool lng = u16(table(f, "head", NULL) + 50) != 0;
	uint32_t a = lng ? u32(loca + 4 * g) : 2u * u16(loca + 2 * g),
	    b = lng ? u32(loca + 4 * g + 4) : 2u * u16(loca + 2 * g + 2);

	*len = b - a;
	return table(f, "glyf", NULL) + a;
}

/* Decodes simple glyph g: its points' box (the real one), their count,
 * whether every coordinate is a multiple of grid. */
static void
outline(const sfnt_t *f, unsigned g, int box[4], unsigned *npts, int grid,
    bool *on_grid)
{
	uint32_t len;
	const uint8_t *p = glyph(f, g, &len), *q;
	unsigned nc = u16(p), n;
	uint8_t *fl;

	assert_true(len >= 10 && (int16_t)nc > 0);
	n = u16(p + 10 + 2 * (nc - 1)) + 1;
	q = p + 12 + 2 * nc + u16(p + 10 + 2 * nc);
	fl = malloc(n);
	for (unsigned i = 0; i < n;) {
		uint8_t c = *q++;
		unsigned r = (c & 8) ? *q++ : 0;

		for (unsigned k = 0; k <= r && i < n; k++)
			fl[i++] = c;
	}
	*on_grid = true;
	for (int axis = 0; axis < 2; axis++) {
		int v = 0;
		uint8_t sh = axis ? 4 : 2, same = axis ? 0x20 : 0x10;

		for (unsigned i = 0; i < n; i++) {
			if (fl[i] & sh)
				v += (fl[i] & same) ? *q++ : -*q++;
			else if (!(fl[i] & same)) {
				v += (int16_t)u16(q);
				q += 2;
			}
			if (i == 0 || v < box[axis])
				box[axis] = v;
			if (i == 0 || v > box[axis + 2])
				box[axis + 2] = v;
			if (v % grid)
				*on_grid = false;
		}
	}
	*npts = n;
	free(fl);
}

/* The name records' IDs and the longest record. */
static void
names(const sfnt_t *f, bool ids[32], unsigned *longest)
{
	const uint8_t *n = table(f, "name", NULL);

	memset(ids, 0, 32 * sizeof *ids);
	*longest = 0;
	for (unsigned i = 0; i < u16(n + 2); i++) {
		const uint8_t *r = n + 6 + 12 * i;

		if (u16(r + 6) < 32)
			ids[u16(r + 6)] = true;
		if (u16(r + 8) > *longest)
			*longest = u16(r + 8);
	}
}

static bool
have(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Subsets cp[0..n) of face `face` of path into *out (gid: each one's new
 * glyph); *src and *sub read the face and the subset (free src->owned). */
static void
subset(const char *path, int face, const uint32_t *cp, size_t n,
    uint16_t *gid, buf_t *out, sfnt_t *src, sfnt_t *sub)
{
	buf_init(out);
	assert_int_equal(fonts_subset_file(path, face, cp, n, gid, out), 0);
	*src = sfnt_file(path);
	*sub = sfnt_mem(out->data, out->len);
}

static void
test_uming_subset(void **state)
{
	/* in order of first use, as a notice draws them */
	static const uint32_t cp[] = {0x6E56, 0x5317, '1', 'A', 0x3001, 0x6E56 + 1};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	sfnt_t src, sub;
	buf_t out;
	uint32_t len = 0;
	bool ids[32];
	unsigned longest, so = 0;

	(void)state;
	if (!have(UMING))
		skip();
	subset(UMING, 0, cp, n, gid, &out, &src, &sub);
	assert_int_equal(u16(table(&src, "head", NULL) + 18), 1024);
	assert_int_equal(u16(table(&sub, "head", NULL) + 18), 256);
	assert_int_equal(u16(table(&sub, "maxp", NULL) + 4), n + 1);
	/* glyphs in code-point order: '1' 'A' 、 北 湖 湖+1 */
	assert_int_equal(gid[0], 0);
	assert_int_equal(gid[3], 1);
	assert_int_equal(gid[4], 2);
	assert_int_equal(gid[5], 3);
	assert_int_equal(gid[2], 4);
	assert_int_equal(gid[1], 5);
	assert_int_equal(gid[6], 6);
	for (size_t k = 1; k <= n; k++) {
		unsigned g = glyph_of(&src, cp[k - 1]), h = gid[k], npts;
		int a[4], b[4];
		bool grid, grid2;

		assert_true(g > 0);
		/* the advance exact in the new unit (256 = 1024 / 4) */
		assert_int_equal(advance(&sub, h) * 4, advance(&src, g));
		outline(&src, g, a, &so, 1, &grid);
		outline(&sub, h, b, &npts, 1, &grid2);
		/* on the grid: every point within half a unit and a
		 * dropped point's half unit; the box and lsb agree */
		for (int i = 0; i < 4; i++)
			assert_true(abs(b[i] * 4 - a[i]) <= 4);
		assert_true(npts <= so);
		assert_int_equal(lsb(&sub, h), b[0]);
		{
			const uint8_t *gh = glyph(&sub, h, &len);

			for (int i = 0; i < 4; i++)
				assert_int_equal((int16_t)u16(gh + 2 + 2 * i), b[i]);
			assert_int_equal(u16(gh + 10 + 2 * u16(gh)), 0);   /* no instructions */
		}
	}
	/* no character map to speak of, the licence text left out */
	assert_non_null(table(&sub, "cmap", &len));
	assert_true(len < 64);
	assert_null(table(&sub, "fpgm", NULL));
	names(&src, ids, &longest);
	assert_true(ids[13] && longest > 10000);
	names(&sub, ids, &longest);
	assert_true(ids[0] && ids[1] && ids[2] && ids[3] && ids[4] && ids[5] &&
	    ids[6]);
	assert_false(ids[13]);
	assert_true(longest < 2048);
	free(src.owned);
	buf_free(&out);
}

/*
 * Subsets cp[] of the build-time Zen Hei subset (out/build/fonts/tb-hei.ttf,
 * no hinting) and checks its unit (upem) and that the outlines sit on the
 * grid of 4 of the face's own units whatever the unit.
 */
static void
check_hei(const uint32_t *cp, size_t n, unsigned upem)
{
	uint16_t *gid = calloc(n + 1, sizeof *gid);
	sfnt_t src, sub;
	buf_t out;
	bool ids[32];
	unsigned longest, per = 1024 / upem;

	subset(HEI_SUBSET, -1, cp, n, gid, &out, &src, &sub);
	assert_int_equal(u16(table(&src, "head", NULL) + 18), 1024);
	assert_int_equal(u16(table(&sub, "head", NULL) + 18), upem);
	for (size_t k = 1; k <= n; k++) {
		int b[4];
		unsigned npts;
		bool grid;

		assert_int_equal(advance(&sub, gid[k]) * per,
		    advance(&src, glyph_of(&src, cp[k - 1])));
		outline(&sub, gid[k], b, &npts, (int)(4 / per), &grid);
		assert_true(grid);
		assert_int_equal(lsb(&sub, gid[k]), b[0]);
	}
	/* Zen Hei's short licence note and licence URL are kept */
	names(&sub, ids, &longest);
	assert_true(ids[0] && ids[6] && ids[13] && ids[14]);
	free(src.owned);
	free(gid);
	buf_free(&out);
}

/*
 * Zen Hei's digits are 614 units wide: 307 in a unit of 2, none in a unit
 * of 4, and '.' is 307: a subset with a digit gets 512 units per em, one
 * with '.' keeps 1024, its outlines on the grid of 4 all the same.
 */
static void
test_zenhei_keeps_units(void **state)
{
	static const uint32_t digit[] = {0x4E00, '1', 0x9ED1};
	static const uint32_t dot[] = {0x4E00, '1', '.'};
	static const uint32_t cjk[] = {0x4E00, 0x9ED1};

	(void)state;
	if (!have(HEI_SUBSET))
		skip();
	check_hei(digit, 3, 512);
	check_hei(dot, 3, 1024);
	check_hei(cjk, 2, 256);
}

/* A face with hinting data (Debian's Zen Hei has a cvt table) is embedded
 * with its outlines and instructions as they are. */
static void
test_hinted_face_as_is(void **state)
{
	static const uint32_t cp[] = {0x4E00, '1'};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	sfnt_t src, sub;
	buf_t out;

	(void)state;
	if (!have(ZENHEI))
		skip();
	subset(ZENHEI, 0, cp, n, gid, &out, &src, &sub);
	assert_non_null(table(&src, "cvt ", NULL));
	assert_non_null(table(&sub, "cvt ", NULL));
	assert_int_equal(u16(table(&sub, "head", NULL) + 18), 1024);
	for (size_t k = 1; k <= n; k++) {
		uint32_t la, lb;
		const uint8_t *a = glyph(&src, glyph_of(&src, cp[k - 1]), &la),
		    *b = glyph(&sub, gid[k], &lb);

		assert_true(lb >= la && la > 0);   /* padded to 4 bytes */
		assert_memory_equal(a, b, la);
	}
	free(src.owned);
	buf_free(&out);
}

/*
 * Composite glyphs (UMing's i, À ...): their components come along,
 * renumbered, the offsets and box on the new grid, no instructions.
 */
static void
test_composites(void **state)
{
	static const uint32_t cp[] = {'i', 0xC0};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	sfnt_t src, sub;
	buf_t out;

	(void)state;
	if (!have(UMING))
		skip();
	subset(UMING, 0, cp, n, gid, &out, &src, &sub);
	assert_true(u16(table(&sub, "maxp", NULL) + 4) > n + 1);
	for (size_t k = 1; k <= n; k++) {
		uint32_t la, lb, at = 10, bt = 10;
		const uint8_t *a = glyph(&src, glyph_of(&src, cp[k - 1]), &la),
		    *b = glyph(&sub, gid[k], &lb);
		unsigned fa, fb;

		assert_true((int16_t)u16(a) < 0 && (int16_t)u16(b) < 0);
		for (int i = 0; i < 4; i++)
			assert_true(abs((int16_t)u16(b + 2 + 2 * i) * 4 -
			    (int16_t)u16(a + 2 + 2 * i)) <= 2);
		do {
			fa = u16(a + at);
			fb = u16(b + bt);
			assert_int_equal(fb & 0x100, 0);
			assert_int_equal(fa & ~0x100u, fb);
			assert_true(u16(b + bt + 2) < u16(table(&sub, "maxp", NULL) + 4));
			if ((fa & 3) == 3) {            /* word x, y offsets */
				for (int i = 0; i < 2; i++)
					assert_true(abs((int16_t)u16(b + bt + 4 + 2 * i) * 4 -
					    (int16_t)u16(a + at + 4 + 2 * i)) <= 2);
			} else if (fa & 2) {            /* byte offsets */
				for (int i = 0; i < 2; i++)
					assert_true(abs((int8_t)b[bt + 4 + i] * 4 -
					    (int8_t)a[at + 4 + i]) <= 2);
			}
			at += 4 + ((fa & 1) ? 4 : 2) + ((fa & 8) ? 2 : (fa & 0x40) ? 4 : (fa & 0x80) ? 8 : 0);
			bt += 4 + ((fb & 1) ? 4 : 2) + ((fb & 8) ? 2 : (fb & 0x40) ? 4 : (fb & 0x80) ? 8 : 0);
		} while (fa & 0x20);
		assert_true(bt <= lb && lb - bt < 4);   /* no instructions after */
	}
	free(src.owned);
	buf_free(&out);
}

static void
test_not_a_font(void **state)
{
	static const uint32_t cp[] = {'A'};
	uint16_t gid[2];
	buf_t out;

	(void)state;
	buf_init(&out);
	assert_int_equal(fonts_subset_file("/nonexistent.ttf", 0, cp, 1, gid,
	    &out), -1);
	assert_int_equal(fonts_subset_file("/etc/passwd", 0, cp, 1, gid, &out),
	    -1);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uming_subset),
		cmocka_unit_test(test_zenhei_keeps_units),
		cmocka_unit_test(test_hinted_face_as_is),
		cmocka_unit_test(test_composites),
		cmocka_unit_test(test_not_a_font),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
