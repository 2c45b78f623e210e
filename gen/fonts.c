/*
 * fonts.c - font roles for the PDF backend (see fonts.h and fonts/README.md).
 *
 * Debian has no simplified-Chinese 仿宋 or 小标宋, and libharu 2.3.0 loads
 * only TrueType outlines, so each role of GB/T 9704 (宋, 仿宋, 楷, 黑) is
 * served by a list of candidate files read from fonts/fonts.conf:
 *
 *     # role      file                                   [face] [only=RANGES]
 *     fangsong    ../out/build/fonts/tb-song.ttf
 *     fangsong    /usr/share/fonts/truetype/arphic/uming.ttc  0
 *     hei         /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc 0 only=20-7E,4E00-9FFF
 *     fallback    /usr/share/fonts/truetype/arphic/uming.ttc  0
 *
 * For each character the first candidate of the role that really holds a
 * glyph for it (mapped, and with an outline unless it is a space) draws it,
 * then the "fallback" candidates; "only=" restricts a face to code-point
 * ranges.  Relative paths are relative to the configuration's directory;
 * missing files are skipped.  Characters no candidate holds, and everything
 * above U+FFFF (libharu's UTF-8 encoder turns those into spaces), are drawn
 * as 〓.
 *
 * The font files are read here, not by libharu.  libharu 2.3.0 parses a
 * TrueType file for every PDF, then for every font it creates walks all
 * 65,536 code points through its linear cmap search (about 8 ms a face),
 * and embeds the face's full loca, hmtx, cmap and name tables (about 8 ms
 * and 40 KB more a face); it also drops composite-glyph components above
 * glyph 32767.  So each face is memory-mapped and its cmap, hmtx, loca and
 * glyf read here (cheap: only the pages touched are read), libharu gets a
 * one-glyph stand-in face of the same metrics and name (it only writes the
 * font dictionaries; render_pdf.c writes the page content itself, with the
 * CIDs given here), and fonts_finish() writes, per face, a TrueType subset
 * holding just the glyphs drawn (in code-point order, composites followed),
 * its FontDescriptor with the CIDSet that PDF/A-1 asks of subset CID
 * fonts, the /W widths, the CIDToGIDMap and the ToUnicode CMap.  A file is
 * mapped the first time a character needs it, so an unused candidate costs
 * nothing.
 *
 * The subsets are made small (fonts/README.md has the figures): outlines
 * on a grid of 1/256 em where every advance stays exact, points the grid
 * made redundant dropped, no character map (the PDF selects glyphs by
 * CID), no full licence text in the name table.  The widths of /W and of
 * the layout are always the face's own, so no text moves.
 *
 * Results per face and code point (has a glyph, advance) are cached in flat
 * BMP-sized tables.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

/* ---- TrueType files ------------------------------------------------------ */

enum ttab { T_OS2, T_CMAP, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX,
	T_LOCA, T_MAXP, T_NAME, T_POST, T_PREP, T_N };
/* in the order of an sfnt table directory (sorted by tag) */
static const char ttab_tag[T_N][5] = { "OS/2", "cmap", "cvt ", "fpgm", "glyf",
	"head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep" };

typedef struct ttf {
	uint8_t  *map;            /* the whole file, memory-mapped */
	size_t    len;
	uint32_t  off[T_N], tlen[T_N];   /* tlen 0: table absent */
	unsigned  upem, nglyphs, nhm;
	bool      loca_long;
	uint16_t *gid;            /* 65536 glyph ids by code point (0: none) */
	char      psname[48];
} ttf_t;

static unsigned
rd16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
wr16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put16(buf_t *b, unsigned v)
{
	uint8_t x[2];

	wr16(x, v);
	buf_add(b, x, 2);
}

static void
put32(buf_t *b, uint32_t v)
{
	uint8_t x[4];

	wr32(x, v);
	buf_add(b, x, 4);
}

static const uint8_t *
tab(const ttf_t *t, enum ttab k)
{
	return t->map + t->off[k];
}

static void
ttf_close(ttf_t *t)
{
	if (t->map)
		munmap(t->map, t->len);
	free(t->gid);
	memset(t, 0, sizeof *t);
}

/* Glyph g's bytes in glyf: *len 0 for an empty glyph.  false if bad. */
static bool
glyph_at(const ttf_t *t, unsigned g, uint32_t *off, uint32_t *len)
{
	const uint8_t *loca = tab(t, T_LOCA);
	uint32_t a, b;

	if (g >= t->nglyphs)
		return false;
	if (t->loca_long) {
		a = rd32(loca + 4 * g);
		b = rd32(loca + 4 * g + 4);
	} else {
		a = 2u * rd16(loca + 2 * g);
		b = 2u * rd16(loca + 2 * g + 2);
	}
	if (b < a || b > t->tlen[T_GLYF])
		return false;
	*off = a;
	*len = b - a;
	return true;
}

static unsigned
advance_of(const ttf_t *t, unsigned g)
{
	const uint8_t *h = tab(t, T_HMTX);

	return rd16(h + 4 * (g < t->nhm ? g : t->nhm - 1));
}

static unsigned
lsb_of(const ttf_t *t, unsigned g)
{
	const uint8_t *h = tab(t, T_HMTX);

	return g < t->nhm ? rd16(h + 4 * g + 2) : rd16(h + 4 * t->nhm + 2 * (g - t->nhm));
}

/*
 * Fills t->gid from a format 4 or format 12 cmap subtable at p (n bytes).
 * Returns 0, or -1 when the subtable is malformed.
 */
static int
cmap_fill(ttf_t *t, const uint8_t *p, size_t n)
{
	unsigned fmt = n >= 2 ? rd16(p) : 0;

	if (fmt == 4 && n >= 14) {
		unsigned seg = rd16(p + 6) / 2;
		const uint8_t *end = p + 14, *start = end + 2 * seg + 2,
		    *delta = start + 2 * seg, *ro = delta + 2 * seg;

		if ((size_t)(ro + 2 * seg - p) > n)
			return -1;
		for (unsigned i = 0; i < seg; i++) {
			unsigned s = rd16(start + 2 * i), e = rd16(end + 2 * i),
			    d = rd16(delta + 2 * i), r = rd16(ro + 2 * i);

			for (unsigned c = s; c <= e && c < 0xFFFF; c++) {
				unsigned g;

				if (r == 0)
					g = (c + d) & 0xFFFF;
				else {
					size_t at = (size_t)(ro + 2 * i - p) + r + 2 * (c - s);

					if (at + 2 > n)
						return -1;
					g = rd16(p + at);
					if (g)
						g = (g + d) & 0xFFFF;
				}
				t->gid[c] = (uint16_t)(g < t->nglyphs ? g : 0);
			}
		}
		return 0;
	}
	if (fmt == 12 && n >= 16) {
		uint32_t ng = rd32(p + 12);

		if (ng > (n - 16) / 12)
			return -1;
		for (uint32_t i = 0; i < ng; i++) {
			const uint8_t *gr = p + 16 + 12 * i;
			uint32_t s = rd32(gr), e = rd32(gr + 4), g = rd32(gr + 8);

			for (uint32_t c = s; c <= e && c < 0xFFFF; c++, g++)
				t->gid[c] = (uint16_t)(g < t->nglyphs ? g : 0);
		}
		return 0;
	}
	return -1;
}

/* The PostScript name (name ID 6), reduced to [A-Za-z0-9-]. */
static void
read_psname(ttf_t *t)
{
	const uint8_t *n = tab(t, T_NAME);
	size_t len = t->tlen[T_NAME], k = 0;

	snprintf(t->psname, sizeof t->psname, "TBFont");
	if (len < 6)
		return;
	for (unsigned i = 0, cnt = rd16(n + 2); i < cnt && 6 + 12 * (i + 1) <= len; i++) {
		const uint8_t *r = n + 6 + 12 * i;
		unsigned pl = rd16(r), id = rd16(r + 6), l = rd16(r + 8);
		size_t at = (size_t)rd16(n + 4) + rd16(r + 10), step = pl == 1 ? 1 : 2;

		if (id != 6 || (pl != 1 && pl != 3 && pl != 0) || at + l > len)
			continue;
		for (size_t j = step - 1; j < l && k + 1 < sizeof t->psname; j += step) {
			char c = (char)n[at + j];

			if (isalnum((unsigned char)c) || c == '-')
				t->psname[k++] = c;
		}
		if (k > 0)
			break;
	}
	if (k > 0)
		t->psname[k] = '\0';
}

/*
 * Maps and reads face index of the TrueType file or collection at path.
 * Returns 0, or -1 with *why set (a static string) on a file that is not a
 * usable TrueType font.
 */
static int
ttf_open(ttf_t *t, const char *path, int index, const char **why)
{
	struct stat st;
	int fd = -1, rc = -1;
	uint32_t fo = 0;
	const uint8_t *p;
	unsigned ntab;

	memset(t, 0, sizeof *t);
	*why = "cannot read the file";
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0 ||
	    st.st_size < 12)
		goto cleanup;
	t->len = (size_t)st.st_size;
	t->map = mmap(NULL, t->len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (t->map == MAP_FAILED) {
		t->map = NULL;
		goto cleanup;
	}
	*why = "not a TrueType font";
	p = t->map;
	if (memcmp(p, "ttcf", 4) == 0) {
		uint32_t nf = rd32(p + 8);
		unsigned i = index < 0 ? 0 : (unsigned)index;

		if (i >= nf || 16 + 4 * (size_t)i > t->len)
			goto cleanup;
		fo = rd32(p + 12 + 4 * i);
	}
	if ((size_t)fo + 12 > t->len)
		goto cleanup;
	if (rd32(p + fo) != 0x00010000u && memcmp(p + fo, "true", 4) != 0) {
		*why = "not a TrueType-outline font (CFF fonts do not work)";
		goto cleanup;
	}
	ntab = rd16(p + fo + 4);
	if ((size_t)fo + 12 + 16 * (size_t)ntab > t->len)
		goto cleanup;
	for (unsigned i = 0; i < ntab; i++) {
		const uint8_t *d = p + fo + 12 + 16 * i;
		uint32_t off = rd32(d + 8), len = rd32(d + 12);

		for (int k = 0; k < T_N; k++)
			if (memcmp(d, ttab_tag[k], 4) == 0 && len > 0 &&
			    off <= t->len && len <= t->len - off) {
				t->off[k] = off;
				t->tlen[k] = len;
			}
	}
	if (t->tlen[T_HEAD] < 54 || t->tlen[T_HHEA] < 36 || t->tlen[T_MAXP] < 6 ||
	    !t->tlen[T_HMTX] || !t->tlen[T_LOCA] || !t->tlen[T_GLYF] ||
	    !t->tlen[T_CMAP])
		goto cleanup;
	t->upem = rd16(tab(t, T_HEAD) + 18);
	t->loca_long = rd16(tab(t, T_HEAD) + 50) != 0;
	t->nhm = rd16(tab(t, T_HHEA) + 34);
	t->nglyphs = rd16(tab(t, T_MAXP) + 4);
	if (t->upem == 0 || t->nglyphs == 0 || t->nhm == 0 || t->nhm > t->nglyphs ||
	    t->tlen[T_HMTX] < 4 * (size_t)t->nhm + 2 * (size_t)(t->nglyphs - t->nhm) ||
	    t->tlen[T_LOCA] < (t->loca_long ? 4u : 2u) * (t->nglyphs + 1))
		goto cleanup;
	/* the Unicode cmap: (3,1) or (0,x) format 4, else (3,10) format 12 */
	{
		const uint8_t *c = tab(t, T_CMAP);
		size_t clen = t->tlen[T_CMAP], best = 0;
		int bestq = 0;

		for (unsigned i = 0, n = clen >= 4 ? rd16(c + 2) : 0;
		    i < n && 4 + 8 * (size_t)(i + 1) <= clen; i++) {
			const uint8_t *e = c + 4 + 8 * i;
			unsigned pl = rd16(e), en = rd16(e + 2);
			uint32_t o = rd32(e + 4);
			unsigned f = o + 2 <= clen ? rd16(c + o) : 0;
			int q = 0;

			if (f == 4 && (pl == 3 && en == 1))
				q = 4;
			else if (f == 4 && pl == 0)
				q = 3;
			else if (f == 12 && (pl == 3 || pl == 0))
				q = 2;
			if (q > bestq) {
				bestq = q;
				best = o;
			}
		}
		if (bestq == 0) {
			*why = "no Unicode cmap";
			goto cleanup;
		}
		t->gid = xcalloc(65536, sizeof *t->gid);
		if (cmap_fill(t, c + best, clen - best) != 0) {
			*why = "a malformed cmap";
			goto cleanup;
		}
	}
	read_psname(t);
	rc = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		ttf_close(t);
	return rc;
}

/*
 * The bytes of a composite glyph's component after its flags and glyph
 * index: the two offsets (words or bytes) and the transform, if any.
 */
static uint32_t
component_args(unsigned flags)
{
	uint32_t n = (flags & 1) ? 4 : 2;         /* ARG_1_AND_2_ARE_WORDS */

	if (flags & 8)                             /* WE_HAVE_A_SCALE */
		n += 2;
	else if (flags & 0x40)                     /* ... AN_X_AND_Y_SCALE */
		n += 4;
	else if (flags & 0x80)                     /* ... A_TWO_BY_TWO */
		n += 8;
	return n;
}

/*
 * Calls fn for each component glyph id of glyph g when it is a composite;
 * at receives the component's glyph-id offset within the glyph's bytes.
 * Returns false on malformed data.
 */
static bool
components(const ttf_t *t, unsigned g, void (*fn)(void *, unsigned, uint32_t),
    void *arg)
{
	uint32_t off, len, at = 10;
	const uint8_t *p;
	unsigned flags;

	if (!glyph_at(t, g, &off, &len))
		return false;
	if (len < 10)
		return true;
	p = tab(t, T_GLYF) + off;
	if ((int16_t)rd16(p) >= 0)
		return true;
	do {
		if (at + 4 > len)
			return false;
		flags = rd16(p + at);
		fn(arg, rd16(p + at + 2), at + 2);
		at += 4 + component_args(flags);
	} while (flags & 0x20);
	return true;
}

/* One table of an sfnt being written. */
typedef struct otab {
	enum ttab k;
	buf_t     b;
} otab_t;

static uint32_t
checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		s += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
		    (uint32_t)p[i + 2] << 8 | p[i + 3];
	for (int k = 0; i < n; i++, k++)
		s += (uint32_t)p[i] << (24 - 8 * k);
	return s;
}

/*
 * Writes an sfnt of the tables in v (sorted by tag, as enum ttab is) into
 * out, with table checksums and the head checksum adjustment.
 */
static void
sfnt_write(otab_t *v, size_t n, buf_t *out)
{
	size_t base = out->len, pos = 12 + 16 * n, head_at = 0;
	unsigned sr = 1, es = 0;
	uint8_t zero[4] = {0, 0, 0, 0};
	uint32_t sum = 0;           /* of the whole file: of the directory
	                               and of each (padded) table */

	while (sr * 2 <= n) {
		sr *= 2;
		es++;
	}
	put32(out, 0x00010000u);
	put16(out, (unsigned)n);
	put16(out, sr * 16);
	put16(out, es);
	put16(out, (unsigned)n * 16 - sr * 16);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = checksum((const uint8_t *)v[i].b.data, v[i].b.len);

		sum += c;
		buf_add(out, ttab_tag[v[i].k], 4);
		put32(out, c);
		put32(out, (uint32_t)pos);
		put32(out, (uint32_t)v[i].b.len);
		pos += (v[i].b.len + 3) & ~(size_t)3;
	}
	sum += checksum((const uint8_t *)out->data + base, out->len - base);
	for (size_t i = 0; i < n; i++) {
		if (v[i].k == T_HEAD)
			head_at = out->len - base;
		buf_add(out, v[i].b.data, v[i].b.len);
		buf_add(out, zero, (4 - v[i].b.len % 4) % 4);
	}
	if (head_at)
		wr32((uint8_t *)out->data + base + head_at + 8, 0xB1B0AFBAu - sum);
}

static otab_t *
otab_add(otab_t *v, size_t *n, enum ttab k)
{
	otab_t *o = &v[(*n)++];

	o->k = k;
	buf_init(&o->b);
	return o;
}

/* Sorts by tag (enum order) and writes; frees the tables. */
static void
sfnt_finish(otab_t *v, size_t n, buf_t *out)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j].k < v[j - 1].k; j--) {
			otab_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	sfnt_write(v, n, out);
	for (size_t i = 0; i < n; i++)
		buf_free(&v[i].b);
}

/* head with a long loca and a zero checksum adjustment. */
static void
put_head(otab_t *o, const ttf_t *t)
{
	buf_add(&o->b, tab(t, T_HEAD), 54);
	wr32((uint8_t *)o->b.data + 8, 0);
	wr16((uint8_t *)o->b.data + 50, 1);
}

static void
put_copy(otab_t *v, size_t *n, const ttf_t *t, enum ttab k)
{
	if (t->tlen[k])
		buf_add(&otab_add(v, n, k)->b, tab(t, k), t->tlen[k]);
}

/* post format 3 (no glyph names): 32 bytes. */
static void
put_post(otab_t *o, const ttf_t *t)
{
	uint8_t p[32];

	memset(p, 0, sizeof p);
	if (t->tlen[T_POST] >= 32)
		memcpy(p, tab(t, T_POST), 32);
	wr32(p, 0x00030000u);
	memset(p + 16, 0, 16);      /* memory hints */
	buf_add(&o->b, p, sizeof p);
}

/*
 * A cmap that maps nothing: one (3,1) format 4 subtable with only the
 * closing segment.  Neither the stand-in face nor an embedded subset needs
 * more (the PDF selects glyphs by CID), but readers expect the table.
 */
static void
put_empty_cmap(otab_t *o)
{
	static const uint8_t cmap[36] = {
		0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12,      /* one subtable */
		0, 4, 0, 24, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, /* format 4, 1 segment */
		0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 1, 0, 0, /* end, pad, start, delta, offset */
	};

	buf_add(&o->b, cmap, sizeof cmap);
}

/*
 * The stand-in face given to libharu: the metrics of t, one empty glyph, a
 * cmap mapping nothing, and the PostScript name `name` (subfamily Regular,
 * so that libharu adds no ",Style" to it).
 */
static void
stub_font(const ttf_t *t, const char *name, buf_t *out)
{
	otab_t v[T_N];
	size_t n = 0, nl = strlen(name);
	otab_t *o;
	static const char reg[] = "Regular";

	o = otab_add(v, &n, T_OS2);
	if (t->tlen[T_OS2] >= 78)
		buf_add(&o->b, tab(t, T_OS2), t->tlen[T_OS2]);
	else {
		static const uint8_t z[78];

		buf_add(&o->b, z, sizeof z);
	}
	put_empty_cmap(otab_add(v, &n, T_CMAP));
	otab_add(v, &n, T_GLYF);
	put_head(otab_add(v, &n, T_HEAD), t);
	o = otab_add(v, &n, T_HHEA);
	buf_add(&o->b, tab(t, T_HHEA), 36);
	wr16((uint8_t *)o->b.data + 34, 1);
	o = otab_add(v, &n, T_HMTX);
	put16(&o->b, advance_of(t, 0));
	put16(&o->b, lsb_of(t, 0));
	o = otab_add(v, &n, T_LOCA);
	put32(&o->b, 0);
	put32(&o->b, 0);
	o = otab_add(v, &n, T_MAXP);
	buf_add(&o->b, tab(t, T_MAXP), t->tlen[T_MAXP] >= 32 ? 32 : 6);
	wr16((uint8_t *)o->b.data + 4, 1);
	o = otab_add(v, &n, T_NAME);      /* Macintosh Roman names 2 and 6 */
	put16(&o->b, 0);
	put16(&o->b, 2);
	put16(&o->b, 6 + 24);
	put16(&o->b, 1); put16(&o->b, 0); put16(&o->b, 0); put16(&o->b, 2);
	put16(&o->b, sizeof reg - 1); put16(&o->b, 0);
	put16(&o->b, 1); put16(&o->b, 0); put16(&o->b, 0); put16(&o->b, 6);
	put16(&o->b, (unsigned)nl); put16(&o->b, sizeof reg - 1);
	buf_add(&o->b, reg, sizeof reg - 1);
	buf_add(&o->b, name, nl);
	put_post(otab_add(v, &n, T_POST), t);
	sfnt_finish(v, n, out);
}

/* ---- subsets --------------------------------------------------------------- */

/*
 * What a subset embedded in a PDF keeps and drops, for size (fonts/README.md
 * has the figures).  The name table keeps the copyright notice, the names
 * (family, style, unique, full, PostScript), trademark, the vendor and
 * licence URLs, and a licence description when it is short (Zen Hei's "GPL2
 * with font embedding exception"); the full licence text (13,776 bytes of
 * the Arphic Public License in UMing and UKai) stays in the font files.
 */
static const bool name_kept[15] = {
	[0] = true, [1] = true, [2] = true, [3] = true, [4] = true, [5] = true,
	[6] = true, [7] = true, [11] = true, [13] = true, [14] = true,
};
#define NAME_LICENCE_MAX 512     /* longest licence description kept */

/*
 * Outlines are written on a grid of 1/SUBSET_UPEM em: a face of 1024 (or
 * 2048 ...) units per em gets units 4 (8 ...) times larger, as far as every
 * advance of the subset stays exact (else its own units, the points still
 * on the grid), and the points the grid makes redundant are dropped: a
 * quarter of UMing's outline data.  At 16 pt a grid step is 0.06 pt (0.02
 * mm); a point moves by half of that at most, a curve whose point was
 * dropped by as much again.  The PDF's /W and the layout keep the face's
 * own advances, so no text moves.  Faces with hinting programs (fpgm,
 * prep, cvt) are embedded as they are.
 */
#define SUBSET_UPEM 256u

/* v / 2^sh rounded to the nearest (halves up); v > -2^20. */
static inline int
div_round(int v, int sh)
{
	return (int)((unsigned)(v + (1 << 20) + ((1 << sh) >> 1)) >> sh) -
	    ((1 << 20) >> sh);
}

/* Scales the signed 16-bit value at p by 1/2^k in place. */
static void
scale16(uint8_t *p, int k)
{
	wr16(p, (unsigned)(uint16_t)div_round((int16_t)rd16(p), k));
}

/* Scales the unsigned 16-bit value at p by 1/2^k in place. */
static void
scaleu16(uint8_t *p, int k)
{
	wr16(p, (unsigned)div_round((int)rd16(p), k));
}

/*
 * A name table of the records of t's that name_kept keeps (format 0).
 * A table of another format is copied whole.
 */
static void
put_name(otab_t *o, const ttf_t *t)
{
	const uint8_t *n = tab(t, T_NAME);
	size_t len = t->tlen[T_NAME], cnt, sto, kept = 0;
	buf_t strings;

	if (len < 6 || rd16(n) != 0) {
		buf_add(&o->b, n, len);
		return;
	}
	cnt = rd16(n + 2);
	sto = rd16(n + 4);
	if (6 + 12 * cnt > len) {
		buf_add(&o->b, n, len);
		return;
	}
	buf_init(&strings);
	put16(&o->b, 0);
	put16(&o->b, 0);                 /* count, set below */
	put16(&o->b, 0);                 /* string offset, set below */
	for (size_t i = 0; i < cnt; i++) {
		const uint8_t *r = n + 6 + 12 * i;
		unsigned id = rd16(r + 6), l = rd16(r + 8);
		size_t at = sto + rd16(r + 10);

		if (id >= sizeof name_kept / sizeof *name_kept || !name_kept[id] ||
		    (id == 13 && l > NAME_LICENCE_MAX) || at + l > len)
			continue;
		buf_add(&o->b, r, 8);
		put16(&o->b, l);
		put16(&o->b, (unsigned)strings.len);
		buf_add(&strings, n + at, l);
		kept++;
	}
	wr16((uint8_t *)o->b.data + 2, (unsigned)kept);
	wr16((uint8_t *)o->b.data + 4, (unsigned)(6 + 12 * kept));
	buf_add(&o->b, strings.data, strings.len);
	buf_free(&strings);
}

/*
 * Whether point i of a contour of n points (x, y, on: the contour's own
 * arrays) can go once the outline is on the coarser grid, the shape moving
 * by half a unit at most: an on-curve point on another on-curve point; an
 * on-curve point within half a unit of the midpoint of the off-curve
 * points around it (TrueType implies an on-curve point there); an on-curve
 * point within half a unit of the straight line between the on-curve
 * points around it, and between them.
 */
static bool
point_redundant(const int *x, const int *y, const uint8_t *on, unsigned n,
    unsigned i)
{
	unsigned a = i ? i - 1 : n - 1, b = i + 1 < n ? i + 1 : 0;
	long long dx, dy, cross, dot, l2;

	if (!on[i])
		return false;
	if (on[a] && x[a] == x[i] && y[a] == y[i])
		return true;
	if (!on[a] && !on[b])
		return llabs((long long)x[a] + x[b] - 2LL * x[i]) <= 1 &&
		    llabs((long long)y[a] + y[b] - 2LL * y[i]) <= 1;
	if (!on[a] || !on[b])
		return false;
	dx = x[b] - x[a];
	dy = y[b] - y[a];
	l2 = dx * dx + dy * dy;
	cross = dx * (y[i] - y[a]) - dy * (x[i] - x[a]);
	dot = (x[i] - x[a]) * dx + (y[i] - y[a]) * dy;
	return l2 > 0 && 4 * cross * cross <= l2 && dot >= 0 && dot <= l2;
}

/*
 * Drops the redundant points (point_redundant) of the contour of n points
 * at x, y, on, keeping three at least.  Returns the new count.
 */
static unsigned
contour_thin(int *x, int *y, uint8_t *on, unsigned n)
{
	for (unsigned i = 0; i < n && n > 3;) {
		if (!point_redundant(x, y, on, n, i)) {
			i++;
			continue;
		}
		memmove(x + i, x + i + 1, (n - i - 1) * sizeof *x);
		memmove(y + i, y + i + 1, (n - i - 1) * sizeof *y);
		memmove(on + i, on + i + 1, n - i - 1);
		n--;
		if (i > 0)
			i--;            /* its neighbour may go now */
	}
	return n;
}

/*
 * Appends simple glyph p (len bytes, at least 10) to out with its points
 * on a grid of 2^k units (rounded), the points that became redundant
 * dropped (contour_thin), in units of 2^sc (sc <= k), and no instructions;
 * *xmin receives its new left edge.  Returns false on malformed data.
 */
static bool
simple_scaled(const uint8_t *p, uint32_t len, int k, int sc, buf_t *out,
    int *xmin)
{
	unsigned nc = rd16(p), npts, ilen, m = 0;
	const uint8_t *q, *end = p + len;
	uint8_t *fl = NULL, *enc = NULL;
	int *x = NULL, *y = NULL, bb[4] = {0, 0, 0, 0};
	unsigned *ends = NULL;
	size_t ne = 0;
	bool ok = false;

	if (10 + 2 * (size_t)nc + 2 > len)
		return false;
	npts = nc ? rd16(p + 10 + 2 * (nc - 1)) + 1 : 0;
	ilen = rd16(p + 10 + 2 * nc);
	q = p + 12 + 2 * nc + ilen;
	if (q > end)
		return false;
	fl = xmalloc(npts + 1);
	x = xmalloc((npts + 1) * sizeof *x);
	y = xmalloc((npts + 1) * sizeof *y);
	ends = xmalloc((nc + 1) * sizeof *ends);
	enc = xmalloc(5 * (size_t)npts + 1);
	for (unsigned i = 0; i < npts;) {
		uint8_t f;
		unsigned rep = 0;

		if (q >= end)
			goto cleanup;
		f = *q++;
		if (f & 8) {
			if (q >= end)
				goto cleanup;
			rep = *q++;
		}
		for (unsigned r = 0; r <= rep && i < npts; r++)
			fl[i++] = f;
	}
	/* x then y: 0x02/0x04 one byte (0x10/0x20 its sign), else two bytes
	 * unless 0x10/0x20 says "same as before" */
	for (int axis = 0; axis < 2; axis++) {
		uint8_t sh = axis ? 4 : 2, same = axis ? 0x20 : 0x10;
		int v = 0, *c = axis ? y : x;

		for (unsigned i = 0; i < npts; i++) {
			if (fl[i] & sh) {
				if (q >= end)
					goto cleanup;
				v += (fl[i] & same) ? *q : -*q;
				q++;
			} else if (!(fl[i] & same)) {
				if (q + 2 > end)
					goto cleanup;
				v += (int16_t)rd16(q);
				q += 2;
			}
			c[i] = v;
		}
	}
	/* scale, then thin each contour, compacting the arrays */
	for (unsigned c = 0, s0 = 0; c < nc; c++) {
		unsigned e = rd16(p + 10 + 2 * c), n;

		if (e < s0 || e >= npts)
			goto cleanup;
		for (unsigned i = s0; i <= e; i++) {
			x[m + i - s0] = div_round(x[i], k);
			y[m + i - s0] = div_round(y[i], k);
			fl[m + i - s0] = fl[i] & 1;
		}
		n = contour_thin(x + m, y + m, fl + m, e - s0 + 1);
		m += n;
		ends[c] = m - 1;
		s0 = e + 1;
	}
	for (unsigned i = 0; i < m; i++) {
		x[i] *= 1 << (k - sc);
		y[i] *= 1 << (k - sc);
		if (i == 0 || x[i] < bb[0]) bb[0] = x[i];
		if (i == 0 || y[i] < bb[1]) bb[1] = y[i];
		if (i == 0 || x[i] > bb[2]) bb[2] = x[i];
		if (i == 0 || y[i] > bb[3]) bb[3] = y[i];
	}
	/* the flags: on-curve bit, the rest from the new deltas; runs of
	 * equal flags repeated */
	for (unsigned i = 0; i < m; i++) {
		int dx = x[i] - (i ? x[i - 1] : 0), dy = y[i] - (i ? y[i - 1] : 0);
		uint8_t f = fl[i];

		if (dx == 0)
			f |= 0x10;
		else if (dx >= -255 && dx <= 255)
			f |= (uint8_t)(0x02 | (dx > 0 ? 0x10 : 0));
		if (dy == 0)
			f |= 0x20;
		else if (dy >= -255 && dy <= 255)
			f |= (uint8_t)(0x04 | (dy > 0 ? 0x20 : 0));
		fl[i] = f;
	}
	put16(out, nc);
	for (int i = 0; i < 4; i++)
		put16(out, (unsigned)(uint16_t)bb[i]);
	for (unsigned c = 0; c < nc; c++)
		put16(out, ends[c]);
	put16(out, 0);                   /* no instructions */
	for (unsigned i = 0; i < m;) {
		unsigned r = 0;

		while (i + r + 1 < m && fl[i + r + 1] == fl[i] && r < 255)
			r++;
		if (r > 0) {
			enc[ne++] = fl[i] | 8;
			enc[ne++] = (uint8_t)r;
		} else
			enc[ne++] = fl[i];
		i += r + 1;
	}
	for (int axis = 0; axis < 2; axis++) {
		const int *c = axis ? y : x;
		uint8_t sh = axis ? 4 : 2, same = axis ? 0x20 : 0x10;

		for (unsigned i = 0; i < m; i++) {
			int d = c[i] - (i ? c[i - 1] : 0);

			if (fl[i] & sh)
				enc[ne++] = (uint8_t)(d < 0 ? -d : d);
			else if (!(fl[i] & same)) {
				enc[ne++] = (uint8_t)((unsigned)(uint16_t)d >> 8);
				enc[ne++] = (uint8_t)d;
			}
		}
	}
	buf_add(out, enc, ne);
	*xmin = bb[0];
	ok = true;
cleanup:
	free(fl);
	free(x);
	free(y);
	free(ends);
	free(enc);
	return ok;
}

/*
 * Scales composite glyph g (len bytes, already copied to the end of out)
 * in place: its box and its components' offsets by 1/2^k; instructions
 * after the last component are dropped.  *xmin receives its new left
 * edge.  Returns false on malformed data.
 */
static bool
composite_scaled(buf_t *out, uint32_t len, int k, int *xmin)
{
	uint8_t *p = (uint8_t *)out->data + out->len - len;
	uint32_t at = 10;
	unsigned flags;

	for (int i = 2; i < 10; i += 2)
		scale16(p + i, k);
	do {
		if (at + 4 > len)
			return false;
		flags = rd16(p + at);
		if (flags & 0x100) {
			flags &= ~0x100u;        /* WE_HAVE_INSTRUCTIONS */
			wr16(p + at, flags);
		}
		at += 4;
		if ((flags & 1) && at + 4 > len)
			return false;
		if (flags & 2) {                 /* ARGS_ARE_XY_VALUES */
			if (flags & 1) {
				scale16(p + at, k);
				scale16(p + at + 2, k);
			} else {
				p[at] = (uint8_t)div_round((int8_t)p[at], k);
				p[at + 1] = (uint8_t)div_round((int8_t)p[at + 1], k);
			}
		}
		at += component_args(flags);
	} while (flags & 0x20);
	if (at > len)
		return false;
	out->len -= len - at;            /* the instructions */
	*xmin = (int16_t)rd16(p + 2);
	return true;
}

/*
 * The metrics tables of a subset scaled by 1/2^k: head (units per em, box),
 * hhea, OS/2 and post values in font units.
 */
static void
scale_metrics(otab_t *v, size_t n, int k)
{
	static const uint8_t head_f[] = {36, 38, 40, 42};
	static const uint8_t hhea_f[] = {4, 6, 8, 12, 14, 16, 22};
	static const uint8_t os2_f[] = {2, 10, 12, 14, 16, 18, 20, 22, 24, 26,
	    28, 68, 70, 72, 86, 88};

	for (size_t i = 0; i < n; i++) {
		uint8_t *d = (uint8_t *)v[i].b.data;
		size_t len = v[i].b.len;

		switch (v[i].k) {
		case T_HEAD:
			scaleu16(d + 18, k);
			for (size_t j = 0; j < sizeof head_f; j++)
				scale16(d + head_f[j], k);
			break;
		case T_HHEA:
			scaleu16(d + 10, k);
			for (size_t j = 0; j < sizeof hhea_f; j++)
				scale16(d + hhea_f[j], k);
			break;
		case T_OS2:
			for (size_t j = 0; j < sizeof os2_f; j++)
				if (os2_f[j] + 2u <= len)
					scale16(d + os2_f[j], k);
			if (len >= 78) {
				scaleu16(d + 74, k);     /* usWinAscent */
				scaleu16(d + 76, k);     /* usWinDescent */
			}
			break;
		case T_POST:
			scale16(d + 8, k);
			scale16(d + 10, k);
			break;
		default:
			break;
		}
	}
}

typedef struct subset {
	const ttf_t *t;
	int32_t     *nid;        /* old glyph id -> new, -1 when not kept */
	uint16_t    *old;        /* new glyph id -> old */
	size_t       n;
	bool         bad;
} subset_t;

static void
keep_glyph(void *arg, unsigned g, uint32_t at)
{
	subset_t *s = arg;

	(void)at;
	if (g >= s->t->nglyphs) {
		s->bad = true;
		return;
	}
	if (s->nid[g] < 0) {
		s->nid[g] = (int32_t)s->n;
		s->old[s->n++] = (uint16_t)g;
	}
}

typedef struct patch {
	const subset_t *s;
	uint8_t        *glyph;
} patch_t;

static void
patch_glyph(void *arg, unsigned g, uint32_t at)
{
	patch_t *p = arg;

	wr16(p->glyph + at, g < p->s->t->nglyphs && p->s->nid[g] >= 0 ?
	    (unsigned)p->s->nid[g] : 0);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The subset of t holding the glyphs of code points cps[k] (CID k of the
 * PDF font, 1 <= k < ncid), then the components of composite glyphs, with
 * the face's metrics and names, cut down and scaled as said above
 * (SUBSET_UPEM, name_kept).  The glyphs go in code-point order (CJK
 * characters sharing a radical sit together, which compresses better than
 * the order of first use: 4 KB less for the sample notice) and gid[k]
 * receives the glyph of CID k (the CIDToGIDMap); code points sharing an
 * outline share the glyph.  Returns 0, or -1 on malformed glyph data.
 */
static int
ttf_subset(const ttf_t *t, const uint16_t *cps, size_t ncid, uint16_t *gid,
    buf_t *out)
{
	uint32_t *order = xmalloc((ncid + 1) * sizeof *order);
	subset_t s;
	otab_t v[T_N];
	size_t n = 0;
	otab_t *glyf, *loca, *hmtx, *o;
	int rc = -1, sc = 0;      /* units: 2^sc of the face's */
	int gr;                   /* outlines on a grid of 2^gr units */
	uint32_t *goff = NULL;    /* glyph offsets */
	uint16_t *adv = NULL, *lsb = NULL;
	size_t nhm;
	bool short_loca;

	s.t = t;
	s.nid = xmalloc(t->nglyphs * sizeof *s.nid);
	s.old = xmalloc((t->nglyphs + ncid + 1) * sizeof *s.old);
	s.n = 0;
	s.bad = false;
	for (unsigned g = 0; g < t->nglyphs; g++)
		s.nid[g] = -1;
	keep_glyph(&s, 0, 0);
	gid[0] = 0;
	for (size_t k = 1; k < ncid; k++)
		order[k - 1] = (uint32_t)cps[k] << 16 | (uint32_t)k;
	if (ncid > 1)
		qsort(order, ncid - 1, sizeof *order, cmp_u32);
	for (size_t i = 0; i + 1 < ncid; i++) {
		size_t k = order[i] & 0xFFFF;

		keep_glyph(&s, t->gid[cps[k]], 0);
		gid[k] = (uint16_t)s.nid[t->gid[cps[k]]];
	}
	for (size_t i = 0; i < s.n && !s.bad; i++)
		if (!components(t, s.old[i], keep_glyph, &s))
			s.bad = true;
	if (s.bad || s.n > 65535)
		goto cleanup;
	nhm = s.n;

	if (!t->tlen[T_FPGM] && !t->tlen[T_PREP] && !t->tlen[T_CVT])
		while ((SUBSET_UPEM << (sc + 1)) <= t->upem &&
		    t->upem % (SUBSET_UPEM << (sc + 1)) == 0)
			sc++;
	/* the units only as far as every advance stays exact: PDF/A wants
	 * the font program's widths to agree with /W (Zen Hei's digits are
	 * 614 units wide: such a face keeps its units, its outlines the
	 * coarser grid; .notdef, never drawn, is rounded) */
	gr = sc;
	for (size_t i = 1; i < s.n && sc > 0; i++)
		while (sc > 0 && (advance_of(t, s.old[i]) & ((1u << sc) - 1)))
			sc--;
	glyf = otab_add(v, &n, T_GLYF);
	loca = otab_add(v, &n, T_LOCA);
	hmtx = otab_add(v, &n, T_HMTX);
	goff = xmalloc((s.n + 1) * sizeof *goff);
	adv = xmalloc((s.n + 1) * sizeof *adv);
	lsb = xmalloc((s.n + 1) * sizeof *lsb);
	for (size_t i = 0; i < s.n; i++) {
		uint32_t off = 0, len = 0;
		const uint8_t *src;
		int xmin = div_round((int16_t)lsb_of(t, s.old[i]), sc);
		patch_t p;
		static const uint8_t zero[4];

		goff[i] = (uint32_t)glyf->b.len;
		if (!glyph_at(t, s.old[i], &off, &len))
			goto cleanup;
		src = tab(t, T_GLYF) + off;
		if (gr > 0 && len >= 10 && (int16_t)rd16(src) >= 0) {
			if (!simple_scaled(src, len, gr, sc, &glyf->b, &xmin))
				goto cleanup;
		} else {
			buf_add(&glyf->b, src, len);
			p.s = &s;
			p.glyph = (uint8_t *)glyf->b.data + glyf->b.len - len;
			components(t, s.old[i], patch_glyph, &p);
			if (sc > 0 && len >= 10 &&
			    !composite_scaled(&glyf->b, len, sc, &xmin))
				goto cleanup;
		}
		adv[i] = (uint16_t)div_round((int)advance_of(t, s.old[i]), sc);
		lsb[i] = (uint16_t)xmin;
		buf_add(&glyf->b, zero, (4 - glyf->b.len % 4) % 4);
	}
	goff[s.n] = (uint32_t)glyf->b.len;
	/* short offsets when they reach (glyphs are 4-byte aligned); the
	 * advance of the glyphs after the last change of advance (the
	 * ideographs, last in code-point order) given once */
	short_loca = goff[s.n] <= 0x1FFFEu;
	for (size_t i = 0; i <= s.n; i++) {
		if (short_loca)
			put16(&loca->b, goff[i] / 2);
		else
			put32(&loca->b, goff[i]);
	}
	while (nhm > 1 && adv[nhm - 2] == adv[nhm - 1])
		nhm--;
	for (size_t i = 0; i < s.n; i++) {
		if (i < nhm)
			put16(&hmtx->b, adv[i]);
		put16(&hmtx->b, lsb[i]);
	}
	o = otab_add(v, &n, T_HEAD);
	put_head(o, t);
	if (short_loca)
		wr16((uint8_t *)o->b.data + 50, 0);
	o = otab_add(v, &n, T_HHEA);
	buf_add(&o->b, tab(t, T_HHEA), 36);
	wr16((uint8_t *)o->b.data + 34, (unsigned)nhm);
	o = otab_add(v, &n, T_MAXP);
	buf_add(&o->b, tab(t, T_MAXP), t->tlen[T_MAXP] >= 32 ? 32 : 6);
	wr16((uint8_t *)o->b.data + 4, (unsigned)s.n);
	/* no character map: the PDF selects glyphs by CID (CIDToGIDMap)
	 * and maps them to text by ToUnicode (PDF 1.4 5.8) */
	put_empty_cmap(otab_add(v, &n, T_CMAP));
	put_post(otab_add(v, &n, T_POST), t);
	put_copy(v, &n, t, T_OS2);
	if (t->tlen[T_NAME])
		put_name(otab_add(v, &n, T_NAME), t);
	put_copy(v, &n, t, T_CVT);
	put_copy(v, &n, t, T_FPGM);
	put_copy(v, &n, t, T_PREP);
	if (sc > 0)
		scale_metrics(v, n, sc);
	sfnt_finish(v, n, out);
	n = 0;
	rc = 0;
cleanup:
	for (size_t i = 0; i < n; i++)
		buf_free(&v[i].b);
	free(s.nid);
	free(s.old);
	free(order);
	free(goff);
	free(adv);
	free(lsb);
	return rc;
}

/* ---- faces and roles ------------------------------------------------------- */

#define NRANGES 8

typedef struct face {
	char      *path;
	int        index;        /* face in a .ttc; -1 for a .ttf */
	uint32_t   lo[NRANGES], hi[NRANGES];
	size_t     nranges;      /* 0: every code point */
	int        state;        /* 0 not tried, 1 loaded, -1 failed */
	size_t     owner;        /* the face whose file and PDF font this uses
	                            (itself, or an earlier entry for the same
	                            file and face with other ranges) */
	ttf_t      ttf;
	HPDF_Font  font;
	HPDF_FontDef def;
	int16_t   *adv;          /* 65536: 0 unknown, -1 no glyph, else width+1 */
	uint8_t   *used;         /* 8192-byte bitmap of code points drawn */
	uint16_t  *cid;          /* 65536: the CID of each code point drawn */
	uint16_t  *cps;          /* the code point of CID k (k >= 1) */
	size_t     ncid, cpscap; /* CIDs given so far, plus one */
} face_t;



struct tb_fonts {
	HPDF_Doc       pdf;
	diag_list_t   *dl;
	char          *conf;     /* the configuration file, for messages */
	face_t        *faces;
	size_t         nfaces, cap;
	/* candidate face indices per role, then the fallback list */
	size_t        *chain[ROLE_N + 1];
	size_t         nchain[ROLE_N + 1];
	unsigned       substituted;
};

enum { CHAIN_FALLBACK = ROLE_N };

static const char *const role_names[ROLE_N + 1] = {
	[ROLE_SONG] = "song", [ROLE_FANGSONG] = "fangsong", [ROLE_KAI] = "kai",
	[ROLE_HEI] = "hei", [CHAIN_FALLBACK] = "fallback",
};

/* Used when fonts_dir/fonts.conf does not exist: Debian's own files. */
static const char default_conf[] =
	"song     /usr/share/fonts/truetype/arphic/uming.ttc 0\n"
	"fangsong /usr/share/fonts/truetype/arphic/uming.ttc 0\n"
	"kai      /usr/share/fonts/truetype/arphic/ukai.ttc 0\n"
	"hei      /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc 0 only=20-7E,4E00-9FFF\n"
	"fallback /usr/share/fonts/truetype/arphic/uming.ttc 0\n"
	"fallback /usr/share/fonts/truetype/arphic/ukai.ttc 0\n"
	"fallback /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc 0 only=4E00-9FFF\n";

/* Parses "20-7E,4E00-9FFF" into f's ranges.  Returns 0 or -1. */
static int
parse_ranges(face_t *f, const char *s)
{
	char *end = NULL;

	f->nranges = 0;
	while (*s) {
		unsigned long lo, hi;

		if (f->nranges == NRANGES)
			return -1;
		lo = strtoul(s, &end, 16);
		if (end == s)
			return -1;
		hi = lo;
		s = end;
		if (*s == '-') {
			s++;
			hi = strtoul(s, &end, 16);
			if (end == s)
				return -1;
			s = end;
		}
		f->lo[f->nranges] = (uint32_t)lo;
		f->hi[f->nranges] = (uint32_t)hi;
		f->nranges++;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

/* The face for (path, index, ranges), added once; returns its index. */
static size_t
face_intern(tb_fonts_t *F, const char *path, int index, const face_t *rng)
{
	face_t *f;

	for (size_t i = 0; i < F->nfaces; i++) {
		f = &F->faces[i];
		if (strcmp(f->path, path) == 0 && f->index == index &&
		    f->nranges == rng->nranges &&
		    memcmp(f->lo, rng->lo, sizeof f->lo) == 0 &&
		    memcmp(f->hi, rng->hi, sizeof f->hi) == 0)
			return i;
	}
	xgrow(&F->faces, &F->cap, F->nfaces + 1, sizeof *F->faces);
	f = &F->faces[F->nfaces];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->index = index;
	f->owner = F->nfaces;
	f->nranges = rng->nranges;
	memcpy(f->lo, rng->lo, sizeof f->lo);
	memcpy(f->hi, rng->hi, sizeof f->hi);
	return F->nfaces++;
}

static void
chain_add(tb_fonts_t *F, int role, size_t face)
{
	F->chain[role] = xrealloc(F->chain[role],
	    (F->nchain[role] + 1) * sizeof *F->chain[role]);
	F->chain[role][F->nchain[role]++] = face;
}

/*
 * Reads the configuration text (lines "role file [face] [only=RANGES]").
 * dir is prepended to relative paths (NULL: none).  Returns 0, or -1 after
 * adding an error naming the line.
 */
static int
parse_conf(tb_fonts_t *F, const char *text, const char *dir)
{
	char *copy = xstrdup(text), *save = NULL, *line;
	long lineno = 0;
	int rc = 0;

	for (line = strtok_r(copy, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *tok[4] = {NULL, NULL, NULL, NULL}, *s2 = NULL, *t;
		size_t nt = 0;
		int role = -1, index = -1;
		face_t rng;
		char *path = NULL;

		lineno++;
		if ((t = strchr(line, '#')) != NULL)
			*t = '\0';
		for (t = strtok_r(line, " \t\r", &s2); t && nt < 4;
		    t = strtok_r(NULL, " \t\r", &s2))
			tok[nt++] = t;
		if (nt == 0)
			continue;
		memset(&rng, 0, sizeof rng);
		for (int r = 0; r <= ROLE_N; r++)
			if (strcmp(tok[0], role_names[r]) == 0)
				role = r;
		for (size_t i = 2; i < nt; i++) {
			if (strncmp(tok[i], "only=", 5) == 0) {
				if (parse_ranges(&rng, tok[i] + 5) != 0)
					role = -2;
			} else if (isdigit((unsigned char)tok[i][0]))
				index = atoi(tok[i]);
			else
				role = -2;
		}
		if (role < 0 || nt < 2) {
			diag_error(F->dl, F->conf, lineno,
			    "bad font line: expected 'ROLE FILE [FACE] [only=RANGES]'"
			    " with ROLE one of song, fangsong, kai, hei, fallback");
			rc = -1;
			continue;
		}
		if (tok[1][0] != '/' && dir)
			path = xasprintf("%s/%s", dir, tok[1]);
		else
			path = xstrdup(tok[1]);
		chain_add(F, role, face_intern(F, path, index, &rng));
		free(path);
	}
	free(copy);
	return rc;
}

tb_fonts_t *
fonts_open(HPDF_Doc pdf, const char *fonts_dir, diag_list_t *dl)
{
	tb_fonts_t *F = xcalloc(1, sizeof *F);
	char *text = NULL;
	size_t len = 0;
	int err = 0;

	F->pdf = pdf;
	F->dl = dl;
	F->conf = fonts_dir ? xasprintf("%s/fonts.conf", fonts_dir) : NULL;
	if (F->conf && (err = read_file(F->conf, &text, &len)) == 0) {
		if (parse_conf(F, text, fonts_dir) != 0)
			goto fail;
	} else if (F->conf && err != ENOENT) {
		diag_error(dl, F->conf, 0, "cannot read: %s", strerror(err));
		goto fail;
	} else {
		free(F->conf);
		F->conf = xstrdup("(built-in font list)");
		if (parse_conf(F, default_conf, NULL) != 0)
			goto fail;
	}
	free(text);
	return F;
fail:
	free(text);
	fonts_free(F);
	return NULL;
}

void
fonts_free(tb_fonts_t *F)
{
	if (!F)
		return;
	for (size_t i = 0; i < F->nfaces; i++) {
		free(F->faces[i].path);
		if (F->faces[i].owner == i) {
			ttf_close(&F->faces[i].ttf);
			free(F->faces[i].adv);
			free(F->faces[i].used);
			free(F->faces[i].cid);
			free(F->faces[i].cps);
		}
	}
	free(F->faces);
	for (int r = 0; r <= ROLE_N; r++)
		free(F->chain[r]);
	free(F->conf);
	free(F);
}


/*
 * Maps face f's file (the first time only).  A file that does not exist is
 * skipped quietly (a build-time subset may not have been made); one that
 * cannot be used is reported as a warning and skipped.  A face listed again
 * with other ranges shares the first entry's file and PDF font.  Returns 1
 * when usable.
 */
static int
face_load(tb_fonts_t *F, face_t *f)
{
	const char *why = NULL;
	size_t me = (size_t)(f - F->faces);

	if (f->state != 0)
		return f->state > 0;
	f->state = -1;
	if (access(f->path, R_OK) != 0)
		return 0;
	for (size_t i = 0; i < me; i++) {
		face_t *o = &F->faces[i];

		if (o->state > 0 && o->owner == i && strcmp(o->path, f->path) == 0 &&
		    (o->index < 0 ? 0 : o->index) == (f->index < 0 ? 0 : f->index)) {
			f->owner = i;
			f->adv = o->adv;
			f->used = o->used;
			f->state = 1;
			return 1;
		}
	}
	if (ttf_open(&f->ttf, f->path, f->index, &why) != 0) {
		diag_warning(F->dl, f->path, 0, "font not usable (%s), skipped", why);
		return 0;
	}
	f->adv = xcalloc(65536, sizeof *f->adv);
	f->used = xcalloc(8192, 1);
	f->cid = xcalloc(65536, sizeof *f->cid);
	f->ncid = 1;
	f->state = 1;
	return 1;
}

/*
 * Creates the PDF font of face f (an owner) when a character first needs
 * it: libharu gets the stand-in face (see the top of the file).  Returns 0,
 * or -1 after adding an error.
 */
static int
face_font(tb_fonts_t *F, face_t *f)
{
	HPDF_Stream stream = NULL;
	HPDF_FontDef def = NULL;
	buf_t stub;
	char name[64];

	if (f->font)
		return 0;
	/* libharu keys fonts by name: make the stand-in's unique */
	snprintf(name, sizeof name, "%s", f->ttf.psname);
	for (int k = 2; HPDF_Doc_FindFontDef(F->pdf, name) != NULL; k++)
		snprintf(name, sizeof name, "%.40s-%d", f->ttf.psname, k);
	buf_init(&stub);
	stub_font(&f->ttf, name, &stub);
	stream = HPDF_MemStream_New(F->pdf->mmgr, (HPDF_UINT)stub.len);
	if (stream && HPDF_Stream_Write(stream, (const HPDF_BYTE *)stub.data,
	    (HPDF_UINT)stub.len) == HPDF_OK)
		def = HPDF_TTFontDef_Load(F->pdf->mmgr, stream, HPDF_FALSE);
	else if (stream)
		HPDF_Stream_Free(stream);
	buf_free(&stub);
	if (def && HPDF_List_Add(F->pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		def = NULL;
	}
	if (def)
		f->font = HPDF_GetFont(F->pdf, def->base_font, "UTF-8");
	if (!def || !f->font) {
		diag_error(F->dl, f->path, 0, "libharu cannot use the font"
		    " (error 0x%04X)", (unsigned)HPDF_GetError(F->pdf));
		HPDF_ResetError(F->pdf);
		f->font = NULL;
		return -1;
	}
	f->def = def;
	return 0;
}

/* Characters drawn as blank space: a glyph without an outline is right. */
static bool
is_blank_char(uint32_t cp)
{
	return cp == ' ' || cp == 0xA0 || cp == 0x3000 ||
	    (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
	    cp == 0xFEFF;
}

/*
 * The advance of cp in f (1/1000 em), or -1 when f has no real glyph for it
 * (unmapped, or an empty outline for a character that is not a space).
 */
static int
face_advance(tb_fonts_t *F, face_t *f, uint32_t cp)
{
	bool in = f->nranges == 0;
	const ttf_t *t;

	for (size_t i = 0; i < f->nranges && !in; i++)
		in = cp >= f->lo[i] && cp <= f->hi[i];
	if (!in || cp > 0xFFFF || !face_load(F, f))
		return -1;
	if (f->adv[cp] == 0) {
		unsigned g;
		uint32_t off = 0, len = 0;

		t = &F->faces[f->owner].ttf;
		g = t->gid[cp];
		if (g == 0 || !glyph_at(t, g, &off, &len) ||
		    (len == 0 && !is_blank_char(cp)))
			f->adv[cp] = -1;
		else
			f->adv[cp] = (int16_t)(advance_of(t, g) * 1000 / t->upem + 1);
	}
	return f->adv[cp] < 0 ? -1 : f->adv[cp] - 1;
}

/* Looks cp up along the role's chain then the fallback chain. */
static face_t *
chain_find(tb_fonts_t *F, enum font_role role, uint32_t cp, int *width)
{
	const int lists[2] = {(int)role, CHAIN_FALLBACK};

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < F->nchain[lists[l]]; i++) {
			face_t *f = &F->faces[F->chain[lists[l]][i]];
			int w = face_advance(F, f, cp);

			if (w >= 0) {
				*width = w;
				return f;
			}
		}
	return NULL;
}

HPDF_Font
fonts_pick(tb_fonts_t *F, enum font_role role, uint32_t *cp, int *width,
    unsigned *cid)
{
	face_t *f = NULL;
	uint32_t c = *cp;

	/* Spaces and controls: a plain space keeps the text extractable. */
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
		c = ' ';
	if (c != ' ' || !(f = chain_find(F, role, c, width))) {
		if (c == ' ' || !(f = chain_find(F, role, c, width))) {
			if (c != ' ')
				F->substituted++;
			c = c == ' ' ? ' ' : FONT_MISSING_CP;
			if (!(f = chain_find(F, role, c, width))) {
				c = '?';
				f = chain_find(F, role, c, width);
			}
		}
	}
	*cp = c;
	if (!f) {
		*width = 500;
		if (F->dl->errors == 0)
			diag_error(F->dl, F->conf, 0,
			    "no usable font: install fonts-arphic-uming or fix"
			    " the font list");
		return NULL;
	}
	f = &F->faces[f->owner];
	if (face_font(F, f) != 0)
		return NULL;
	f->used[c >> 3] |= (uint8_t)(1u << (c & 7));
	if (f->cid[c] == 0 && f->ncid >= 0xD800) {
		/* CIDs stay below the surrogates, as when libharu's UTF-8
		 * encoder carried them (a face with 55,000 characters
		 * drawn); CID 0 draws the font's missing glyph */
		F->substituted++;
	} else if (f->cid[c] == 0) {
		xgrow(&f->cps, &f->cpscap, f->ncid + 1, sizeof *f->cps);
		f->cps[f->ncid] = (uint16_t)c;
		f->cid[c] = (uint16_t)f->ncid++;
	}
	if (cid)
		*cid = f->cid[c];
	return f->font;
}

const char *
fonts_which(tb_fonts_t *F, enum font_role role, uint32_t cp)
{
	int w = 0;
	face_t *f = NULL;

	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		cp = ' ';
	f = chain_find(F, role, cp, &w);
	return f ? f->path : NULL;
}

unsigned
fonts_substituted(const tb_fonts_t *F)
{
	return F->substituted;
}

/*
 * Rewrites the font's ToUnicode CMap: CID k stands for code point cps[k].
 * (libharu 2.3.0 writes one with "begincidrange", which a ToUnicode CMap
 * may not use.)  The array form of bfrange takes 35 % less room than a
 * bfchar line per CID.
 */
static HPDF_STATUS
write_tounicode(face_t *f)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(f->font, "ToUnicode", HPDF_OCLASS_DICT);
	buf_t b;
	size_t total = f->ncid - 1;
	HPDF_STATUS st;

	if (!tu || !tu->stream)
		return HPDF_OK;
	/* a ToUnicode stream is not an encoding CMap: drop what libharu
	 * copied from its UTF-8 encoder (/CMapName /UTF-8 ...) */
	HPDF_Dict_RemoveElement(tu, "Type");
	HPDF_Dict_RemoveElement(tu, "CMapName");
	HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(tu, "WMode");
	HPDF_Error_Reset(tu->error);
	buf_init(&b);
	buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	    "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS)"
	    " /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	/* ranges of consecutive CIDs, each with the array of its characters
	 * (the CIDs go in order of first use, so the characters rarely run
	 * on; a range's codes differ in their last byte only) */
	for (size_t lo = 1; lo <= total;) {
		size_t hi = lo | 0xFF;

		if (hi > total)
			hi = total;
		buf_printf(&b, "1 beginbfrange\n<%04X> <%04X> [", (unsigned)lo,
		    (unsigned)hi);
		for (size_t k = lo; k <= hi; k++)
			buf_printf(&b, "<%04X>", (unsigned)f->cps[k]);
		buf_puts(&b, "]\nendbfrange\n");
		lo = hi + 1;
	}
	buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	HPDF_MemStream_FreeData(tu->stream);
	st = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data,
	    (HPDF_UINT)b.len);
	buf_free(&b);
	return st;
}

/* A new stream object of the PDF holding data, Flate-compressed. */
static HPDF_Dict
data_stream(tb_fonts_t *F, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(F->pdf->mmgr, F->pdf->xref);

	if (!s)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	return s;
}

/*
 * The six-letter subset tag of a font (PDF 1.4 5.5.3): derived from the
 * face's name and the characters drawn, so different subsets get different
 * tags and the same document the same one.
 */
static void
subset_tag(const face_t *f, char tag[7])
{
	uint32_t h = 2166136261u, h2 = 0x9E3779B9u;

	for (const char *p = f->ttf.psname; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (size_t k = 1; k < f->ncid; k++) {
		h = (h ^ f->cps[k]) * 16777619u;
		h2 = (h2 ^ f->cps[k]) * 2246822519u + 1;
	}
	for (int i = 0; i < 6; i++) {
		uint32_t *x = i < 3 ? &h : &h2;

		tag[i] = (char)('A' + *x % 26);
		*x /= 26;
	}
	tag[6] = '\0';
}

/*
 * Writes one font into the PDF: the subset font program and its
 * FontDescriptor with the CIDSet, the /W widths, the CIDToGIDMap and the
 * ToUnicode CMap.  Returns 0, or -1 (after adding an
 * error for malformed font data).
 */
static int
face_finish(tb_fonts_t *F, face_t *f)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)f->font->attr;
	HPDF_TTFontDefAttr dattr = (HPDF_TTFontDefAttr)f->def->attr;
	HPDF_Dict cid = attr->descendant_font, desc = NULL, ff, set, map;
	HPDF_Array w = NULL, run = NULL, box;
	const ttf_t *t = &f->ttf;
	uint8_t *bits = NULL, *mapb = NULL;
	uint16_t *gid = NULL;
	size_t prev = 0;
	HPDF_STATUS st = HPDF_OK;
	buf_t prog;
	char tag[7];
	const uint8_t *head = tab(t, T_HEAD), *hhea = tab(t, T_HHEA);
	int capheight, upem = (int)t->upem, rc = -1;
	HPDF_Box bb;

	buf_init(&prog);
	if (!cid)
		return 0;
	gid = xcalloc(f->ncid, sizeof *gid);
	if (ttf_subset(t, f->cps, f->ncid, gid, &prog) != 0) {
		diag_error(F->dl, f->path, 0, "malformed glyph data in the font");
		goto cleanup;
	}
	subset_tag(f, tag);
	HPDF_TTFontDef_SetTagName(f->def, tag);

	/* widths: runs of CIDs whose advance is not the default 1000 */
	w = HPDF_Array_New(F->pdf->mmgr);
	if (!w)
		goto cleanup;
	for (size_t k = 1; k < f->ncid; k++) {
		int a = (int)advance_of(t, t->gid[f->cps[k]]) * 1000 / upem;

		if (a == 1000)
			continue;
		if (!run || k != prev + 1) {
			run = HPDF_Array_New(F->pdf->mmgr);
			st |= HPDF_Array_AddNumber(w, (HPDF_INT32)k);
			st |= HPDF_Array_Add(w, run);
		}
		st |= HPDF_Array_AddNumber(run, a);
		prev = k;
	}
	st |= HPDF_Dict_AddNumber(cid, "DW", 1000);
	st |= HPDF_Dict_Add(cid, "W", w);
	/* the CIDToGIDMap: two bytes per CID, the glyph in the subset */
	mapb = xmalloc(2 * f->ncid);
	for (size_t k = 0; k < f->ncid; k++)
		wr16(mapb + 2 * k, gid[k]);
	map = data_stream(F, mapb, 2 * f->ncid);
	if (!map)
		goto cleanup;
	st |= HPDF_Dict_Add(cid, "CIDToGIDMap", map);
	/* the CIDs are the font's own (Identity-H): Adobe-Identity-0, not
	 * libharu's "Identity-H" ordering */
	{
		HPDF_Dict csi = HPDF_Dict_GetItem(cid, "CIDSystemInfo",
		    HPDF_OCLASS_DICT);

		if (csi)
			st |= HPDF_Dict_Add(csi, "Ordering",
			    HPDF_String_New(F->pdf->mmgr, "Identity", NULL));
	}

	/* CIDSet: CIDs 0 .. ncid-1 are all in the font program */
	bits = xcalloc(f->ncid / 8 + 1, 1);
	for (size_t k = 0; k < f->ncid; k++)
		bits[k >> 3] |= (uint8_t)(0x80u >> (k & 7));
	set = data_stream(F, bits, (f->ncid + 7) / 8);
	ff = data_stream(F, prog.data, prog.len);
	desc = HPDF_Dict_New(F->pdf->mmgr);
	if (!set || !ff || !desc || HPDF_Xref_Add(F->pdf->xref, desc) != HPDF_OK)
		goto cleanup;
	st |= HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)prog.len);

	/* the descriptor, in 1/1000 em */
	bb.left = (HPDF_REAL)((int16_t)rd16(head + 36) * 1000 / upem);
	bb.bottom = (HPDF_REAL)((int16_t)rd16(head + 38) * 1000 / upem);
	bb.right = (HPDF_REAL)((int16_t)rd16(head + 40) * 1000 / upem);
	bb.top = (HPDF_REAL)((int16_t)rd16(head + 42) * 1000 / upem);
	box = HPDF_Box_Array_New(F->pdf->mmgr, bb);
	capheight = (int16_t)rd16(hhea + 4) * 1000 / upem;
	if (t->tlen[T_OS2] >= 90 && rd16(tab(t, T_OS2)) >= 2)
		capheight = (int16_t)rd16(tab(t, T_OS2) + 88) * 1000 / upem;
	st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	st |= HPDF_Dict_AddName(desc, "FontName", dattr->base_font);
	st |= HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)f->def->flags);
	st |= HPDF_Dict_Add(desc, "FontBBox", box);
	st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
	st |= HPDF_Dict_AddNumber(desc, "Ascent", (int16_t)rd16(hhea + 4) * 1000 / upem);
	st |= HPDF_Dict_AddNumber(desc, "Descent", (int16_t)rd16(hhea + 6) * 1000 / upem);
	st |= HPDF_Dict_AddNumber(desc, "CapHeight", capheight);
	st |= HPDF_Dict_AddNumber(desc, "StemV", 80);
	st |= HPDF_Dict_Add(desc, "CIDSet", set);
	st |= HPDF_Dict_Add(desc, "FontFile2", ff);
	/* libharu writes this descriptor instead of embedding its own */
	f->def->descriptor = desc;
	st |= write_tounicode(f);
	rc = st == HPDF_OK ? 0 : -1;
cleanup:
	buf_free(&prog);
	free(bits);
	free(mapb);
	free(gid);
	return rc;
}

int
fonts_subset_file(const char *path, int index, const uint32_t *cp, size_t n,
    uint16_t *gid, buf_t *out)
{
	ttf_t t;
	const char *why = NULL;
	uint16_t *cps = xcalloc(n + 1, sizeof *cps);
	int rc = -1;

	for (size_t k = 0; k < n; k++)
		cps[k + 1] = (uint16_t)(cp[k] <= 0xFFFF ? cp[k] : 0);
	if (ttf_open(&t, path, index, &why) == 0) {
		rc = ttf_subset(&t, cps, n + 1, gid, out);
		ttf_close(&t);
	}
	free(cps);
	return rc;
}

int
fonts_finish(tb_fonts_t *F)
{
	int rc = 0;

	for (size_t i = 0; i < F->nfaces; i++)
		if (F->faces[i].font && face_finish(F, &F->faces[i]) != 0) {
			if (F->dl->errors == 0)
				diag_error(F->dl, F->faces[i].path, 0,
				    "cannot write the font (libharu error"
				    " 0x%04X)", (unsigned)HPDF_GetError(F->pdf));
			HPDF_ResetError(F->pdf);
			rc = -1;
		}
	return rc;
}
