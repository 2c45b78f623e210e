/*
 * test_fonts.c - the fonts of the PDF backend (fonts*.c), read back: the
 * font programs hb-subset makes (fonts_subset_file) for a TrueType face
 * (the FandolFang the build makes: outlines on its grid, no hinting, the
 * advances exact, 、。 in the lower-left quarter), a CID-keyed CFF face
 * (Noto Serif CJK SC Bold: the bare CFF, flat charstrings, the face's
 * CIDs kept) and a name-keyed one (made here with fontTools: glyph
 * indices kept), composite glyphs with their parts; damaged and foreign
 * files refused without a crash; the faces per role and the office's
 * faces found by family through fontconfig (fonts.conf); the codes the
 * page content uses and the PDF objects, read back by poppler.  Needs
 * Debian's fonts-noto-cjk and fonts-arphic-uming, and `make fonts`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>
#include <hpdf.h>

#include "fonts.h"
#include "hpdfx.h"
#include "text.h"
#include "util.h"

#define NOTO_BOLD "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
#define NOTO_REG  "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define NOTO_SANS "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define UMING     "/usr/share/fonts/truetype/arphic/uming.ttc"
/* made by `make fonts`; tests run in the tree */
#define FANG      "out/build/fonts/tb-fang.ttf"
#define KAI       "out/build/fonts/tb-kai.ttf"
#define SONG      "out/build/fonts/FandolSong-Regular.otf"
#define TMP       "out/test-fonts"

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

static bool
have(const char *path)
{
	return access(path, R_OK) == 0;
}

/* ---- sfnt --------------------------------------------------------------------- */

/* An sfnt in memory (face `face` of a collection when it is one). */
typedef struct sfnt {
	const uint8_t *base;
	size_t         len;
	uint32_t       dir;      /* offset of the table directory */
	char          *owned;
} sfnt_t;

static sfnt_t
sfnt_mem(const char *data, size_t len, int face)
{
	sfnt_t f = {(const uint8_t *)data, len, 0, NULL};

	if (len >= 16 && memcmp(data, "ttcf", 4) == 0)
		f.dir = u32(f.base + 12 + 4 * face);
	return f;
}

static sfnt_t
sfnt_file(const char *path, int face)
{
	char *data = NULL;
	size_t len = 0;
	sfnt_t f;

	assert_int_equal(read_file(path, &data, &len), 0);
	f = sfnt_mem(data, len, face);
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

static unsigned
advance(const sfnt_t *f, unsigned g)
{
	unsigned nhm = u16(table(f, "hhea", NULL) + 34);

	return u16(table(f, "hmtx", NULL) + 4 * (g < nhm ? g : nhm - 1));
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

/* Decodes simple glyph g: its points' box, whether every coordinate is a
 * multiple of grid. */
static void
outline(const sfnt_t *f, unsigned g, int box[4], int grid, bool *on_grid)
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
	free(fl);
}

/* ---- CFF ------------------------------------------------------------------------ */

typedef struct cff {
	unsigned  nglyphs;
	bool      ros;            /* CID-keyed */
	unsigned  gsubrs;         /* Global Subr INDEX count */
	uint16_t *sid;            /* the charset: CID (or SID) of each glyph */
} cff_t;

/* Skips an INDEX at *p: its count, *data and *off of entry i by entry(). */
static unsigned
index_at(const uint8_t **p, const uint8_t **off, unsigned *osz,
    const uint8_t **data)
{
	unsigned n = u16(*p), last = 0;

	*p += 2;
	if (n == 0)
		return 0;
	*osz = **p;
	*off = *p + 1;
	for (unsigned k = 0; k < *osz; k++)
		last = last << 8 | (*off)[(size_t)n * *osz + k];
	*data = *off + (size_t)(n + 1) * *osz - 1;
	*p = *data + last;
	return n;
}

static unsigned
entry(const uint8_t *off, unsigned osz, unsigned i)
{
	unsigned v = 0;

	for (unsigned k = 0; k < osz; k++)
		v = v << 8 | off[(size_t)i * osz + k];
	return v;
}

/* Reads the parts of a CFF table these tests look at. */
static cff_t
cff_read(const uint8_t *c, size_t len)
{
	cff_t r = { 0 };
	const uint8_t *p = c + c[2], *off, *data, *d, *de;
	unsigned osz, n;
	long op[48], charset = 0, cs = 0;
	size_t nop = 0;

	assert_int_equal(c[0], 1);                 /* CFF, not CFF2 */
	index_at(&p, &off, &osz, &data);           /* names */
	n = index_at(&p, &off, &osz, &data);       /* top DICTs */
	assert_true(n >= 1);
	d = data + entry(off, osz, 0);
	de = data + entry(off, osz, 1);
	index_at(&p, &off, &osz, &data);           /* strings */
	r.gsubrs = index_at(&p, &off, &osz, &data);
	while (d < de) {
		unsigned b = *d++;

		if (b <= 21) {
			unsigned o = b == 12 ? 1200u + *d++ : b;

			if (o == 15)
				charset = op[nop - 1];
			else if (o == 17)
				cs = op[nop - 1];
			else if (o == 1230)
				r.ros = true;
			nop = 0;
		} else if (b == 28) {
			op[nop++] = (int16_t)u16(d);
			d += 2;
		} else if (b == 29) {
			op[nop++] = (int32_t)u32(d);
			d += 4;
		} else if (b == 30) {
			while ((*d & 0x0F) != 0x0F && (*d & 0xF0) != 0xF0)
				d++;
			d++;
			op[nop++] = 0;
		} else if (b <= 246)
			op[nop++] = (long)b - 139;
		else if (b <= 250)
			op[nop++] = ((long)b - 247) * 256 + *d++ + 108;
		else
			op[nop++] = -((long)b - 251) * 256 - *d++ - 108;
	}
	assert_true(cs > 0 && (size_t)cs < len);
	p = c + cs;
	r.nglyphs = index_at(&p, &off, &osz, &data);
	r.sid = calloc(r.nglyphs, sizeof *r.sid);
	if (charset > 2) {
		unsigned fmt = c[charset], g = 1;

		p = c + charset + 1;
		while (g < r.nglyphs) {
			if (fmt == 0) {
				r.sid[g++] = (uint16_t)u16(p);
				p += 2;
				continue;
			}
			unsigned first = u16(p), left = fmt == 1 ? p[2] : u16(p + 2);

			p += fmt == 1 ? 3 : 4;
			for (unsigned k = 0; k <= left && g < r.nglyphs; k++)
				r.sid[g++] = (uint16_t)(first + k);
		}
	}
	return r;
}

/* Subsets cp[0..n) of face `face` of path into *out; gid: each one's glyph. */
static void
subset(const char *path, int face, const uint32_t *cp, size_t n,
    uint16_t *gid, buf_t *out)
{
	buf_init(out);
	assert_int_equal(fonts_subset_file(path, face, cp, n, gid, out), 0);
	assert_true(out->len > 0);
}

/* The glyph of cp in face `face` of path (HarfBuzz). */
static unsigned
face_glyph(const char *path, int face, uint32_t cp)
{
	hb_blob_t *b = hb_blob_create_from_file(path);
	hb_face_t *f = hb_face_create(b, (unsigned)face);
	hb_font_t *ft = hb_font_create(f);
	hb_codepoint_t g = 0;

	hb_font_get_nominal_glyph(ft, cp, &g);
	hb_font_destroy(ft);
	hb_face_destroy(f);
	hb_blob_destroy(b);
	return g;
}

/* ---- the font programs ------------------------------------------------------------ */

/*
 * FandolFang as the build makes it (fonts/mkfaces.py) subset by hb-subset:
 * TrueType, the glyphs drawn and .notdef, no hinting, no character map
 * (the PDF selects glyphs by CID), the face's advances, outlines on the
 * grid of 8 units, 、 and 。 in the lower-left quarter of the em box
 * (x 0..500, y -120..380: mainland style).
 */
static void
test_fang_subset(void **state)
{
	static const uint32_t cp[] = {0x6E56, 0x5317, 0x3001, 0x3002, '1', 0x7701};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	buf_t out;
	sfnt_t sub;

	(void)state;
	if (!have(FANG))
		skip();
	subset(FANG, 0, cp, n, gid, &out);
	sub = sfnt_mem(out.data, out.len, 0);
	assert_int_equal(u32(sub.base), 0x00010000u);
	assert_int_equal(u16(table(&sub, "head", NULL) + 18), 1000);
	assert_int_equal(u16(table(&sub, "maxp", NULL) + 4), n + 1);
	assert_non_null(table(&sub, "glyf", NULL));
	assert_null(table(&sub, "cmap", NULL));
	assert_null(table(&sub, "fpgm", NULL));
	assert_null(table(&sub, "prep", NULL));
	assert_null(table(&sub, "cvt ", NULL));
	assert_null(table(&sub, "GSUB", NULL));
	assert_int_equal(gid[0], 0);
	for (size_t k = 1; k <= n; k++) {
		int b[4];
		bool grid;

		assert_true(gid[k] > 0 && gid[k] <= n);
		for (size_t j = 1; j < k; j++)
			assert_int_not_equal(gid[j], gid[k]);
		assert_int_equal(advance(&sub, gid[k]), cp[k - 1] == '1' ? 500 : 1000);
		outline(&sub, gid[k], b, 8, &grid);
		assert_true(grid);
		if (cp[k - 1] == 0x3001 || cp[k - 1] == 0x3002)
			assert_true(b[0] >= 0 && b[2] <= 500 && b[1] >= -120 &&
			    b[3] <= 380);
	}
	buf_free(&out);
}

/*
 * Noto Serif CJK SC Bold (face 2 of the collection; CID-keyed CFF): the
 * bare CFF table (FontFile3 /CIDFontType0C), CID-keyed, its charstrings
 * flat (no subroutines), the glyphs drawn and .notdef, and each glyph's
 * CID the face's own: the code fonts.c gives the page content.
 */
static void
test_noto_cff_subset(void **state)
{
	static const uint32_t cp[] = {0x6E56, 0x5317, 0x3001, 'A'};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	buf_t out;
	sfnt_t src;
	uint32_t len = 0;
	const uint8_t *c;
	cff_t face, sub;

	(void)state;
	if (!have(NOTO_BOLD))
		skip();
	subset(NOTO_BOLD, 2, cp, n, gid, &out);
	sub = cff_read((const uint8_t *)out.data, out.len);
	assert_true(sub.ros);
	assert_int_equal(sub.gsubrs, 0);
	/* and the odd glyph a variation sequence names (、 with U+FE00) */
	assert_true(sub.nglyphs >= n + 1 && sub.nglyphs <= n + 3);
	src = sfnt_file(NOTO_BOLD, 2);
	c = table(&src, "CFF ", &len);
	assert_non_null(c);
	face = cff_read(c, len);
	for (size_t k = 1; k <= n; k++) {
		unsigned g = face_glyph(NOTO_BOLD, 2, cp[k - 1]);

		assert_true(g > 0 && gid[k] > 0 && gid[k] < sub.nglyphs);
		assert_int_equal(sub.sid[gid[k]], face.sid[g]);
	}
	free(face.sid);
	free(sub.sid);
	free(src.owned);
	buf_free(&out);
}

/*
 * A name-keyed CFF face (made here by tests/unit/mkcff.py with fontTools
 * from glyphs of FandolFang): a CIDFontType0 selects its glyphs by CID =
 * glyph index, so the subset keeps the face's glyph indices.
 */
#define NAMEKEYED TMP "/namekeyed.otf"
#define CIDKEYED  TMP "/cidkeyed.otf"
static bool
make_namekeyed(void)
{
	mkdir("out", 0777);
	mkdir(TMP, 0777);
	return have(FANG) && have(SONG) && ((have(NAMEKEYED) && have(CIDKEYED)) ||
	    system("/usr/bin/python3 tests/unit/mkcff.py " FANG " " NAMEKEYED
	    " " SONG " " CIDKEYED " >/dev/null 2>&1") == 0);
}

static void
test_namekeyed_cff_subset(void **state)
{
	static const uint32_t cp[] = {0x5317, 0x6E56};
	uint16_t gid[3];
	buf_t out;
	cff_t sub;

	(void)state;
	if (!make_namekeyed())
		skip();
	subset(NAMEKEYED, 0, cp, 2, gid, &out);
	sub = cff_read((const uint8_t *)out.data, out.len);
	assert_false(sub.ros);
	for (int k = 1; k <= 2; k++)
		assert_int_equal(gid[k], face_glyph(NAMEKEYED, 0, cp[k - 1]));
	assert_int_equal(sub.nglyphs, (gid[1] > gid[2] ? gid[1] : gid[2]) + 1u);
	free(sub.sid);
	buf_free(&out);
}

/* Composite glyphs (UMing's i, À): their components come along, and each
 * reference names a glyph of the subset. */
static void
test_composites(void **state)
{
	static const uint32_t cp[] = {'i', 0xC0};
	const size_t n = sizeof cp / sizeof *cp;
	uint16_t gid[sizeof cp / sizeof *cp + 1];
	buf_t out;
	sfnt_t sub;
	unsigned ng;

	(void)state;
	if (!have(UMING))
		skip();
	subset(UMING, 0, cp, n, gid, &out);
	sub = sfnt_mem(out.data, out.len, 0);
	ng = u16(table(&sub, "maxp", NULL) + 4);
	assert_true(ng > n + 1);
	for (size_t k = 1; k <= n; k++) {
		uint32_t lb, bt = 10;
		const uint8_t *b = glyph(&sub, gid[k], &lb);
		unsigned fb;

		assert_true((int16_t)u16(b) < 0);
		do {
			fb = u16(b + bt);
			assert_true(u16(b + bt + 2) < ng);
			assert_int_equal(fb & 0x100, 0);   /* no instructions */
			bt += 4 + ((fb & 1) ? 4 : 2) + ((fb & 8) ? 2 : (fb & 0x40) ? 4 : (fb & 0x80) ? 8 : 0);
		} while (fb & 0x20);
	}
	buf_free(&out);
}

/* Writes the first len bytes of src (all when len is 0) to dst, with
 * count bytes at `at` set to byte. */
static void
damaged_copy(const char *src, const char *dst, size_t len, size_t at,
    size_t count, int byte)
{
	char *data = NULL;
	size_t n = 0;
	FILE *fp;

	assert_int_equal(read_file(src, &data, &n), 0);
	if (len && len < n)
		n = len;
	if (at < n)
		memset(data + at, byte, count < n - at ? count : n - at);
	fp = fopen(dst, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
	free(data);
}

/* The offset of table tag in the font file at path (face 0). */
static size_t
table_offset(const char *path, const char *tag)
{
	sfnt_t f = sfnt_file(path, 0);
	const uint8_t *t = table(&f, tag, NULL);
	size_t at = t ? (size_t)(t - f.base) : 0;

	free(f.owned);
	return at;
}

/*
 * What is not a font, or is a damaged one, is refused (an error naming
 * it in a document) and never crashes: a missing file, a text file, a
 * face past the end of a collection, a truncated face, a CFF table
 * overwritten, a glyf table overwritten (HarfBuzz may then subset it: it
 * must not crash).
 */
static void
test_not_a_font(void **state)
{
	static const uint32_t cp[] = {'A', 0x6E56};
	uint16_t gid[3];
	buf_t out;
	size_t at;

	(void)state;
	mkdir("out", 0777);
	mkdir(TMP, 0777);
	buf_init(&out);
	assert_int_equal(fonts_subset_file("/nonexistent.ttf", 0, cp, 2, gid,
	    &out), -1);
	assert_int_equal(fonts_subset_file("/etc/passwd", 0, cp, 2, gid, &out),
	    -1);
	if (have(NOTO_BOLD))
		assert_int_equal(fonts_subset_file(NOTO_BOLD, 9, cp, 2, gid,
		    &out), -1);
	if (have(SONG)) {
		damaged_copy(SONG, TMP "/truncated.otf", 4096, 0, 0, 0);
		assert_int_equal(fonts_subset_file(TMP "/truncated.otf", 0, cp,
		    2, gid, &out), -1);
		at = table_offset(SONG, "CFF ");
		assert_true(at > 0);
		damaged_copy(SONG, TMP "/badcff.otf", 0, at + 4, 64, 0xFF);
		assert_int_equal(fonts_subset_file(TMP "/badcff.otf", 0, cp, 2,
		    gid, &out), -1);
	}
	if (have(FANG)) {
		at = table_offset(FANG, "glyf");
		damaged_copy(FANG, TMP "/badglyf.ttf", 0, at, 200000, 0xA5);
		buf_free(&out);
		buf_init(&out);
		(void)fonts_subset_file(TMP "/badglyf.ttf", 0, cp, 2, gid, &out);
	}
	buf_free(&out);
}

/*
 * Never trust a font file: small faces of each kind (a TrueType subset, a
 * name-keyed and a CID-keyed CFF face) with random bytes overwritten, 300
 * times each, go through fonts_subset_file (HarfBuzz's reading and
 * subsetting, fonts_face.c's CFF charset): an answer, 0 or -1, never a crash
 * (the sanitizer build runs this too).
 */
static void
test_mutations(void **state)
{
	static const uint32_t cp[] = {0x6E56, 0x5317, 0x3001, '1'};
	const char *faces[3] = {TMP "/small.ttf", NAMEKEYED, CIDKEYED};
	uint16_t gid[5];
	buf_t out;
	uint32_t seed = 14;

	(void)state;
	if (!make_namekeyed())
		skip();
	subset(FANG, 0, cp, 4, gid, &out);
	{
		FILE *fp = fopen(faces[0], "wb");

		assert_non_null(fp);
		assert_int_equal(fwrite(out.data, 1, out.len, fp), out.len);
		fclose(fp);
	}
	buf_free(&out);
	for (int f = 0; f < 3; f++) {
		char *data = NULL;
		size_t len = 0;

		assert_int_equal(read_file(faces[f], &data, &len), 0);
		for (int round = 0; round < 300; round++) {
			char *copy = xmalloc(len);
			FILE *fp;
			int rc;

			memcpy(copy, data, len);
			for (int k = 1 + round % 8; k > 0; k--) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % len] = (char)(seed >> 24);
			}
			fp = fopen(TMP "/mutant", "wb");
			assert_non_null(fp);
			assert_int_equal(fwrite(copy, 1, len, fp), len);
			fclose(fp);
			buf_init(&out);
			rc = fonts_subset_file(TMP "/mutant", 0, cp, 4, gid, &out);
			assert_true(rc == 0 || rc == -1);
			buf_free(&out);
			free(copy);
		}
		free(data);
	}
}

/* ---- roles, families, documents ------------------------------------------------------ */

static const char *
ends_with(const char *s, const char *tail)
{
	size_t a = s ? strlen(s) : 0, b = strlen(tail);

	return a >= b && strcmp(s + a - b, tail) == 0 ? s : NULL;
}

/* fonts/fonts.conf: the face of each role (no licensed face installed on
 * a test machine), and the fallback for 硚, which FandolFang lacks. */
static void
test_roles(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	diag_list_t dl;
	tb_fonts_t *F;

	(void)state;
	if (!have(FANG) || !have(NOTO_BOLD))
		skip();
	memset(&dl, 0, sizeof dl);
	F = fonts_open(pdf, "fonts", &dl);
	assert_non_null(F);
	assert_non_null(ends_with(fonts_which(F, ROLE_FANGSONG, 0x6E56), "/tb-fang.ttf"));
	assert_non_null(ends_with(fonts_which(F, ROLE_KAI, 0x6E56), "/tb-kai.ttf"));
	assert_non_null(ends_with(fonts_which(F, ROLE_HEI, 0x6E56), "/NotoSansCJK-Regular.ttc"));
	assert_non_null(ends_with(fonts_which(F, ROLE_XIAOBIAOSONG, 0x6E56), "/NotoSerifCJK-Bold.ttc"));
	assert_non_null(ends_with(fonts_which(F, ROLE_SONG, '1'), "/FandolSong-Regular.otf"));
	assert_non_null(ends_with(fonts_which(F, ROLE_FANGSONG, 0x785A), "/NotoSerifCJK-Regular.ttc"));
	assert_non_null(ends_with(fonts_which(F, ROLE_FANGSONG, 0x3001), "/tb-fang.ttf"));
	assert_null(fonts_which(F, ROLE_FANGSONG, 0x1F600));
	assert_int_equal(dl.errors + dl.warnings, 0);
	fonts_free(F);
	HPDF_Free(pdf);
	diag_free(&dl);
}

/* Writes text (one line) into dir/fonts.conf. */
static void
write_conf(const char *dir, const char *text)
{
	char *path = xasprintf("%s/fonts.conf", dir);
	FILE *fp;

	mkdir("out", 0777);
	mkdir(TMP, 0777);
	mkdir(dir, 0777);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

/*
 * family=: an installed face found through fontconfig by any of its family
 * names, a style in the pattern; a family that is not installed skipped
 * quietly (the office's faces on a machine without them); a damaged file
 * a warning naming it, and the next candidate.
 */
static void
test_families(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	diag_list_t dl;
	tb_fonts_t *F;

	(void)state;
	if (!have(NOTO_BOLD) || !have(SONG))
		skip();
	damaged_copy(SONG, TMP "/badcff.otf", 0, table_offset(SONG, "CFF ") + 4,
	    64, 0xFF);
	write_conf(TMP "/fam",
	    "fangsong family=No-Such-Family-Anywhere\n"
	    "fangsong \"family=Noto Serif CJK SC:style=Bold\"\n"
	    "hei      ../badcff.otf\n"
	    "hei      family=\"Noto Sans CJK SC\"\n"
	    "kai      ../badcff.otf  only=4E00-9FFF\n");
	memset(&dl, 0, sizeof dl);
	F = fonts_open(pdf, TMP "/fam", &dl);
	assert_non_null(F);
	assert_string_equal(fonts_which(F, ROLE_FANGSONG, 0x6E56), NOTO_BOLD);
	assert_string_equal(fonts_which(F, ROLE_HEI, 0x6E56), NOTO_SANS);
	assert_null(fonts_which(F, ROLE_KAI, 0x6E56));
	assert_int_equal(dl.errors, 0);
	assert_int_equal(dl.warnings, 1);
	assert_non_null(strstr(dl.v[0].file, "badcff.otf"));
	fonts_free(F);
	HPDF_Free(pdf);
	diag_free(&dl);
}

/* A bad line is an error naming the line. */
static void
test_bad_conf(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	diag_list_t dl;

	(void)state;
	write_conf(TMP "/bad", "fangsong /x.ttf\nserif /y.ttf\nhei family=\n"
	    "kai \"unclosed\n");
	memset(&dl, 0, sizeof dl);
	assert_null(fonts_open(pdf, TMP "/bad", &dl));
	assert_int_equal(dl.errors, 3);
	assert_int_equal(dl.v[0].line, 2);
	HPDF_Free(pdf);
	diag_free(&dl);
}

static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	buf_t b;
	char chunk[4096];
	size_t n;

	if (!p)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	pclose(p);
	return buf_steal(&b);
}

/* Draws text (UTF-8) in role at y on page: each character in the font and
 * with the code fonts_pick gives (one Tj a character). */
static void
draw(HPDF_Page page, tb_fonts_t *F, enum font_role role, const char *text,
    double y, unsigned *codes)
{
	buf_t b;

	buf_init(&b);
	buf_printf(&b, "BT 72 %.0f Td\n", y);
	for (const char *p = text; *p;) {
		uint32_t cp = utf8_next(&p);
		int w;
		unsigned code = 0;
		HPDF_Font f = fonts_pick(F, role, &cp, &w, &code);

		assert_non_null(f);
		if (codes)
			*codes++ = code;
		buf_printf(&b, "/%s 16 Tf <%04X> Tj\n",
		    HPDF_Page_GetLocalFontName(page, f), code);
	}
	buf_puts(&b, "ET\n");
	assert_int_equal(hpdfx_page_write(page, b.data, b.len), 0);
	buf_free(&b);
}

/*
 * A document drawing in each kind of face: the codes (TrueType: 1, 2 ...
 * in the order drawn; CID-keyed CFF: the face's CID, Noto's equal to its
 * glyph; name-keyed CFF: the glyph), then the PDF read back by poppler:
 * every font embedded with its type, the text back through ToUnicode.
 * The same document twice is the same bytes.
 */
static void
render(buf_t *out, bool namekeyed, unsigned *codes)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page page;
	diag_list_t dl;
	tb_fonts_t *F;
	HPDF_UINT32 n;

	memset(&dl, 0, sizeof dl);
	if (namekeyed)
		write_conf(TMP "/nk", "hei ../namekeyed.otf\n"
		    "fallback /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc 2\n");
	F = fonts_open(pdf, "fonts", &dl);
	assert_non_null(F);
	page = HPDF_AddPage(pdf);
	draw(page, F, ROLE_FANGSONG, "湖北省湖", 700, codes);
	draw(page, F, ROLE_XIAOBIAOSONG, "湖北", 660, codes + 4);
	draw(page, F, ROLE_FANGSONG, "硚口", 620, NULL);
	if (namekeyed) {
		tb_fonts_t *G = fonts_open(pdf, TMP "/nk", &dl);

		assert_non_null(G);
		draw(page, G, ROLE_HEI, "北湖", 580, codes + 6);
		assert_int_equal(fonts_finish(G), 0);
		fonts_free(G);
	}
	assert_int_equal(fonts_finish(F), 0);
	assert_int_equal(dl.errors, 0);
	fonts_free(F);
	assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
	n = HPDF_GetStreamSize(pdf);
	buf_init(out);
	xgrow(&out->data, &out->cap, n + 1, 1);
	{
		HPDF_STATUS st = HPDF_ReadFromStream(pdf, (HPDF_BYTE *)out->data, &n);

		assert_true(st == HPDF_OK || st == HPDF_STREAM_EOF);
	}
	out->len = n;
	HPDF_Free(pdf);
	diag_free(&dl);
}

static void
test_document(void **state)
{
	buf_t a, b;
	unsigned codes[8] = {0}, again[8];
	FILE *fp;
	char *fonts, *text;
	bool nk;

	(void)state;
	if (!have(FANG) || !have(NOTO_BOLD))
		skip();
	nk = make_namekeyed();
	render(&a, nk, codes);
	render(&b, nk, again);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* TrueType: in the order drawn; the same character the same code */
	assert_int_equal(codes[0], 1);
	assert_int_equal(codes[1], 2);
	assert_int_equal(codes[2], 3);
	assert_int_equal(codes[3], 1);
	/* CID-keyed CFF: Noto's CIDs are its glyph indices */
	assert_int_equal(codes[4], face_glyph(NOTO_BOLD, 2, 0x6E56));
	assert_int_equal(codes[5], face_glyph(NOTO_BOLD, 2, 0x5317));
	if (nk)
		assert_int_equal(codes[6], face_glyph(NAMEKEYED, 0, 0x5317));
	fp = fopen(TMP "/doc.pdf", "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(a.data, 1, a.len, fp), a.len);
	fclose(fp);
	fonts = run("pdffonts " TMP "/doc.pdf 2>/dev/null");
	text = run("pdftotext " TMP "/doc.pdf - 2>/dev/null");
	if (fonts && strstr(fonts, "name")) {
		assert_non_null(strstr(fonts, "+FandolFang-Regular "));
		assert_non_null(strstr(fonts, "+NotoSerifCJKsc-Bold-Identity-H CID Type 0C"));
		assert_null(strstr(fonts, " no "));
		assert_non_null(strstr(text, "湖北省湖"));
		assert_non_null(strstr(text, "硚口"));
		if (nk)
			assert_non_null(strstr(text, "北湖"));
	}
	free(fonts);
	free(text);
	buf_free(&a);
	buf_free(&b);
}

static int
teardown(void **state)
{
	(void)state;
	fonts_release();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fang_subset),
		cmocka_unit_test(test_noto_cff_subset),
		cmocka_unit_test(test_namekeyed_cff_subset),
		cmocka_unit_test(test_composites),
		cmocka_unit_test(test_not_a_font),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_bad_conf),
		cmocka_unit_test(test_document),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
