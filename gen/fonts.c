/*
 * fonts.c - font roles for the PDF backend (see fonts.h and fonts/README.md).
 *
 * Each role of GB/T 9704 (小标宋, 宋, 仿宋, 楷, 黑) is served by a list of
 * candidate faces read from fonts/fonts.conf:
 *
 *     # role      file or family                         [face] [only=RANGES]
 *     fangsong    family=仿宋_GB2312
 *     fangsong    ../out/build/fonts/tb-fang.ttf
 *     hei         /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc 2
 *     fallback    /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc 2
 *
 * For each character the first candidate of the role that really holds a
 * glyph for it (mapped, and with an outline unless it is a space) draws it,
 * then the "fallback" candidates; "only=" restricts a face to code-point
 * ranges.  A file path is relative to the configuration's directory and
 * skipped when missing; "family=" asks fontconfig for an installed face of
 * that family (a fontconfig pattern: "family=Noto Serif CJK SC:style=Bold"
 * in quotes), so the office's licensed faces, once installed, win without
 * a rebuild.  Characters no candidate holds are drawn as 〓.
 *
 * The faces are read and subset by HarfBuzz (hb-subset), TrueType and
 * CFF/OpenType alike, collections, composite glyphs; this file writes only
 * the PDF objects of each font (libharu's object functions, the objects
 * made through hpdfx.c): a Type0 font with Identity-H encoding, its
 * CIDFont (CIDFontType2 with FontFile2 for TrueType outlines, CIDFontType0
 * with the bare CFF as FontFile3 /CIDFontType0C for CFF ones: PDF/A-1 is
 * PDF 1.4, which has no OpenType font file), /W widths, the FontDescriptor
 * with the CIDSet PDF/A-1 asks of subset fonts, and a ToUnicode CMap.
 *
 * The two-byte code (CID) the page content shows for a character is known
 * when the character is first drawn, before the subset exists, so it must
 * not depend on the subset:
 *   - TrueType: the characters a font draws are numbered 1, 2, 3 ... in
 *     the order they are first drawn; the CIDToGIDMap gives each one's
 *     glyph in the subset (HarfBuzz's old-to-new glyph map);
 *   - CID-keyed CFF (Noto CJK, Fandol): the glyph's CID in the face's
 *     charset, which hb-subset keeps in the subset's charset;
 *   - name-keyed CFF: the glyph's index, the subset keeping the face's
 *     glyph indices (HB_SUBSET_FLAGS_RETAIN_GIDS: empty glyphs in between),
 *     since a CIDFontType0 selects the glyphs of such a font by CID = GID.
 * The charset is read here (the one part of a face HarfBuzz does not
 * expose), bounds-checked: a damaged face is an error naming it.
 *
 * The faces and the fontconfig answers are kept for the whole process,
 * shared by every document and thread (HarfBuzz objects are immutable and
 * thread-safe once made), under one mutex: opening a face and asking
 * fontconfig costs milliseconds (10 ms the first question), and the
 * program renders 120 statements.  What a document draws with a face is
 * its own (tb_fonts_t), cached per code point in flat BMP-sized tables.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts.h"
#include "hpdfx.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

/* ---- faces of the process ---------------------------------------------------- */

enum kind { K_TRUETYPE, K_CFF_CID, K_CFF_NAME };

#define WHY_LEN 96

/*
 * One face of one font file, opened once per process (src_get) and then
 * only read: HarfBuzz's face and font, and what the PDF objects need.
 */
typedef struct src {
	char       *path;
	int         index;
	int         state;         /* 1 usable, -1 not (why) */
	char        why[WHY_LEN];
	hb_blob_t  *blob;
	hb_face_t  *face;
	hb_font_t  *font;
	enum kind   kind;
	unsigned    upem, nglyphs;
	uint16_t   *cid;           /* K_CFF_CID: the CID of each glyph */
	char        registry[32], ordering[32];   /* and its ROS ("": none) */
	int         supplement;
	char        psname[64];    /* [A-Za-z0-9._-] */
	int         ascent, descent, capheight, bbox[4];   /* 1/1000 em */
	struct src *next;
} src_t;

/* A fontconfig question and its answer (path NULL: nothing installed). */
typedef struct fcq {
	char        *pattern, *path;
	int          index;
	struct fcq  *next;
} fcq_t;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static src_t   *srcs;
static fcq_t   *fcqs;
static FcConfig *fcconf;
static bool     fc_tried;

static unsigned
rd16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int
rds16(const uint8_t *p)
{
	return (int16_t)rd16(p);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* font units to 1/1000 em, rounded */
static int
per_mille(long v, unsigned upem)
{
	long m = v * 1000;

	return (int)(m >= 0 ? (m + upem / 2) / (long)upem :
	    -((-m + upem / 2) / (long)upem));
}

/*
 * A CFF INDEX at *p (before end): its count and the offsets' bytes.
 * Moves *p past the INDEX.  Returns false when it does not fit.
 */
typedef struct cff_index {
	unsigned       count, osz;
	const uint8_t *off, *data;    /* data: one before the first byte */
	size_t         datalen;
} cff_index_t;

static uint32_t
cff_off(const cff_index_t *x, unsigned i)
{
	uint32_t v = 0;

	for (unsigned k = 0; k < x->osz; k++)
		v = v << 8 | x->off[(size_t)i * x->osz + k];
	return v;
}

static bool
cff_read_index(const uint8_t **p, const uint8_t *end, cff_index_t *x)
{
	const uint8_t *q = *p;
	uint32_t last;

	memset(x, 0, sizeof *x);
	if (end - q < 2)
		return false;
	x->count = rd16(q);
	q += 2;
	if (x->count == 0) {
		*p = q;
		return true;
	}
	if (end - q < 1 || (x->osz = *q++) < 1 || x->osz > 4 ||
	    (size_t)(end - q) < (size_t)(x->count + 1) * x->osz)
		return false;
	x->off = q;
	q += (size_t)(x->count + 1) * x->osz;
	x->data = q - 1;
	last = cff_off(x, x->count);
	if (last < 1 || (size_t)(end - q) < last - 1)
		return false;
	x->datalen = last - 1;
	for (unsigned i = 0; i < x->count; i++)
		if (cff_off(x, i) < 1 || cff_off(x, i) > cff_off(x, i + 1))
			return false;
	*p = q + last - 1;
	return true;
}

/*
 * String sid of a CFF font (its String INDEX strings) into out (n bytes),
 * printable ASCII only; "" for a standard string or a bad one.
 */
static void
cff_string(const cff_index_t *strings, long sid, char *out, size_t n)
{
	size_t k = 0;

	out[0] = '\0';
	if (sid < 391 || (unsigned long)(sid - 391) >= strings->count)
		return;
	for (uint32_t i = cff_off(strings, (unsigned)(sid - 391));
	    i < cff_off(strings, (unsigned)(sid - 391) + 1) && k + 1 < n; i++)
		if (strings->data[i] > 0x20 && strings->data[i] < 0x7F &&
		    strings->data[i] != '(' && strings->data[i] != ')' &&
		    strings->data[i] != '\\')
			out[k++] = (char)strings->data[i];
	out[k] = '\0';
}

/*
 * Reads the charset of the CFF table (len bytes at cff) of a face of
 * nglyphs glyphs: s->cid receives, for a CID-keyed font (ROS in the Top
 * DICT), a new array of the CID of each glyph, and s->ros its character
 * collection; NULL for a name-keyed one.  Returns 0, or -1 when the table
 * is malformed.
 */
static int
cff_charset(const uint8_t *cff, size_t len, unsigned nglyphs, src_t *s)
{
	const uint8_t *p, *end = cff + len, *d, *de;
	cff_index_t names, top, strings, cs;
	long opnd[48], ros[3] = {0, 0, 0};
	size_t nop = 0;
	long charset = -1, charstrings = -1;
	bool is_cid = false;
	uint16_t *v = NULL;

	s->cid = NULL;
	if (len < 4 || cff[2] < 4 || cff[2] > len)
		return -1;
	p = cff + cff[2];
	if (!cff_read_index(&p, end, &names) || !cff_read_index(&p, end, &top) ||
	    top.count < 1 || !cff_read_index(&p, end, &strings))
		return -1;
	d = top.data + cff_off(&top, 0);
	de = top.data + cff_off(&top, 1);
	while (d < de) {
		unsigned b = *d++;

		if (b <= 21) {                       /* an operator */
			unsigned op = b;

			if (b == 12) {
				if (d >= de)
					return -1;
				op = 1200 + *d++;
			}
			if (op == 15 && nop >= 1)
				charset = opnd[nop - 1];
			else if (op == 17 && nop >= 1)
				charstrings = opnd[nop - 1];
			else if (op == 1230 && nop >= 3) {
				is_cid = true;
				memcpy(ros, opnd + nop - 3, sizeof ros);
			}
			nop = 0;
			continue;
		}
		if (nop == sizeof opnd / sizeof *opnd)
			return -1;
		if (b == 28) {
			if (de - d < 2)
				return -1;
			opnd[nop++] = rds16(d);
			d += 2;
		} else if (b == 29) {
			if (de - d < 4)
				return -1;
			opnd[nop++] = (int32_t)rd32(d);
			d += 4;
		} else if (b == 30) {                /* a real: skip its nibbles */
			while (d < de && (*d & 0x0F) != 0x0F && (*d & 0xF0) != 0xF0)
				d++;
			if (d++ >= de)
				return -1;
			opnd[nop++] = 0;
		} else if (b >= 32 && b <= 246) {
			opnd[nop++] = (long)b - 139;
		} else if (b >= 247 && b <= 254) {
			if (d >= de)
				return -1;
			opnd[nop++] = b <= 250 ? ((long)b - 247) * 256 + *d + 108 :
			    -((long)b - 251) * 256 - *d - 108;
			d++;
		} else
			return -1;
	}
	if (charstrings <= 0 || (size_t)charstrings >= len)
		return -1;
	p = cff + charstrings;
	if (!cff_read_index(&p, end, &cs) || cs.count != nglyphs)
		return -1;
	if (!is_cid)
		return 0;
	cff_string(&strings, ros[0], s->registry, sizeof s->registry);
	cff_string(&strings, ros[1], s->ordering, sizeof s->ordering);
	s->supplement = ros[2] >= 0 && ros[2] < 1000 ? (int)ros[2] : 0;
	if (charset <= 2 || (size_t)charset >= len || nglyphs == 0)
		return -1;                           /* a CID font has its own */
	v = xcalloc(nglyphs, sizeof *v);
	p = cff + charset;
	{
		unsigned fmt = *p++, g = 1;

		while (g < nglyphs) {
			unsigned first, left;

			if (fmt == 0) {
				if (end - p < 2)
					goto bad;
				v[g++] = (uint16_t)rd16(p);
				p += 2;
				continue;
			}
			if (fmt != 1 && fmt != 2)
				goto bad;
			if (end - p < (fmt == 1 ? 3 : 4))
				goto bad;
			first = rd16(p);
			left = fmt == 1 ? p[2] : rd16(p + 2);
			p += fmt == 1 ? 3 : 4;
			for (unsigned k = 0; k <= left && g < nglyphs; k++)
				v[g++] = (uint16_t)(first + k);
		}
	}
	s->cid = v;
	return 0;
bad:
	free(v);
	return -1;
}

/* The PostScript name of face, reduced to [A-Za-z0-9._-]. */
static void
read_psname(src_t *s)
{
	char name[128];
	unsigned size = sizeof name;
	size_t k = 0;

	if (hb_ot_name_get_utf8(s->face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
	    HB_LANGUAGE_INVALID, &size, name) == 0)
		name[0] = '\0';
	for (const char *p = name; *p && k + 1 < sizeof s->psname; p++)
		if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
		    *p == '.')
			s->psname[k++] = *p;
	s->psname[k] = '\0';
	if (k == 0)
		snprintf(s->psname, sizeof s->psname, "TBFont");
}

/*
 * The metrics the FontDescriptor gives, in 1/1000 em: ascent and descent
 * of the em box (OS/2's typographic values, which CJK faces set to the
 * ideographic em box: 880 and -120), cap height, the face's box.
 */
static void
read_metrics(src_t *s)
{
	hb_blob_t *head = hb_face_reference_table(s->face, HB_TAG('h', 'e', 'a', 'd'));
	hb_blob_t *os2 = hb_face_reference_table(s->face, HB_TAG('O', 'S', '/', '2'));
	hb_blob_t *hhea = hb_face_reference_table(s->face, HB_TAG('h', 'h', 'e', 'a'));
	unsigned n;
	const uint8_t *p;

	s->ascent = 880;
	s->descent = -120;
	p = (const uint8_t *)hb_blob_get_data(hhea, &n);
	if (n >= 8) {
		s->ascent = per_mille(rds16(p + 4), s->upem);
		s->descent = per_mille(rds16(p + 6), s->upem);
	}
	s->capheight = s->ascent;
	p = (const uint8_t *)hb_blob_get_data(os2, &n);
	if (n >= 72 && rds16(p + 68) > 0) {
		s->ascent = per_mille(rds16(p + 68), s->upem);
		s->descent = per_mille(rds16(p + 70), s->upem);
		s->capheight = s->ascent;
	}
	if (n >= 90 && rd16(p) >= 2 && rds16(p + 88) > 0)
		s->capheight = per_mille(rds16(p + 88), s->upem);
	p = (const uint8_t *)hb_blob_get_data(head, &n);
	if (n >= 44)
		for (int i = 0; i < 4; i++)
			s->bbox[i] = per_mille(rds16(p + 36 + 2 * i), s->upem);
	hb_blob_destroy(head);
	hb_blob_destroy(os2);
	hb_blob_destroy(hhea);
}

/*
 * Opens face index of the file at path into s.  Returns 0, or -1 with
 * s->why set when it is not a usable font.
 */
static int
src_open(src_t *s)
{
	hb_blob_t *cff = NULL;
	unsigned n;
	const uint8_t *p;
	int rc = -1;

	snprintf(s->why, sizeof s->why, "cannot read the file");
	if (!(s->blob = hb_blob_create_from_file_or_fail(s->path)))
		goto done;
	snprintf(s->why, sizeof s->why, "not a TrueType or OpenType font");
	if ((unsigned)s->index >= hb_face_count(s->blob)) {
		if (hb_face_count(s->blob) > 0)
			snprintf(s->why, sizeof s->why, "no face %d in the file",
			    s->index);
		goto done;
	}
	s->face = hb_face_create(s->blob, (unsigned)s->index);
	s->nglyphs = hb_face_get_glyph_count(s->face);
	s->upem = hb_face_get_upem(s->face);
	{
		hb_blob_t *t = hb_face_reference_table(s->face, HB_TAG('h', 'e', 'a', 'd'));
		bool ok = hb_blob_get_length(t) >= 54;

		hb_blob_destroy(t);
		if (!ok || s->nglyphs == 0 || s->nglyphs > 65535 ||
		    s->upem < 16 || s->upem > 16384)
			goto done;
	}
	cff = hb_face_reference_table(s->face, HB_TAG('C', 'F', 'F', ' '));
	p = (const uint8_t *)hb_blob_get_data(cff, &n);
	if (n > 0) {
		if (cff_charset(p, n, s->nglyphs, s) != 0) {
			snprintf(s->why, sizeof s->why, "a malformed CFF table");
			goto done;
		}
		s->kind = s->cid ? K_CFF_CID : K_CFF_NAME;
	} else {
		hb_blob_t *g = hb_face_reference_table(s->face, HB_TAG('g', 'l', 'y', 'f'));
		bool ok = hb_blob_get_length(g) > 0;

		hb_blob_destroy(g);
		if (!ok) {
			hb_blob_t *c2 = hb_face_reference_table(s->face,
			    HB_TAG('C', 'F', 'F', '2'));

			if (hb_blob_get_length(c2) > 0)
				snprintf(s->why, sizeof s->why, "a CFF2 (variable)"
				    " font, which PDF/A-1 cannot embed");
			hb_blob_destroy(c2);
			goto done;
		}
		s->kind = K_TRUETYPE;
	}
	s->font = hb_font_create(s->face);
	hb_font_make_immutable(s->font);
	read_psname(s);
	read_metrics(s);
	rc = 0;
done:
	hb_blob_destroy(cff);
	s->state = rc == 0 ? 1 : -1;
	return rc;
}

static void
src_close(src_t *s)
{
	hb_font_destroy(s->font);
	hb_face_destroy(s->face);
	hb_blob_destroy(s->blob);
	free(s->cid);
	free(s->path);
}

/*
 * The process's face index of path (opened on first use).  Never NULL;
 * look at its state.  Called with cache_lock held.
 */
static src_t *
src_get(const char *path, int index)
{
	src_t *s;

	for (s = srcs; s; s = s->next)
		if (s->index == index && strcmp(s->path, path) == 0)
			return s;
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->index = index;
	src_open(s);
	s->next = srcs;
	srcs = s;
	return s;
}

/*
 * fontconfig with a configuration of our own, not the system's: the
 * folders where Debian and an administrator install faces, and the
 * system's cache of them.  The system's conf.d files would change which
 * face is found with every package that ships one, and fontconfig 2.14
 * crashes (SIGSEGV in FcNameGetConstant) when memory runs out while it
 * parses them, where this small configuration leaves the program to report
 * too little memory itself (suite_faults.sh).  FONTCONFIG_FILE, when set,
 * names the configuration to use instead.  NULL when none can be had.
 */
static FcConfig *
fc_config(void)
{
	static const char conf[] =
	    "<?xml version=\"1.0\"?>\n<fontconfig>\n"
	    "<dir>/usr/share/fonts</dir>\n"
	    "<dir>/usr/local/share/fonts</dir>\n"
	    "<dir prefix=\"xdg\">fonts</dir>\n"
	    "<cachedir>/var/cache/fontconfig</cachedir>\n"
	    "<cachedir prefix=\"xdg\">fontconfig</cachedir>\n"
	    "</fontconfig>\n";
	FcConfig *c;

	/* an operator who names a configuration gets it */
	if (getenv("FONTCONFIG_FILE") != NULL)
		return FcInitLoadConfigAndFonts();
	if (!(c = FcConfigCreate()))
		return NULL;
	if (!FcConfigParseAndLoadFromMemory(c, (const FcChar8 *)conf, FcTrue) ||
	    !FcConfigBuildFonts(c)) {
		FcConfigDestroy(c);
		return NULL;
	}
	return c;
}

/*
 * Asks fontconfig for an installed face of pattern (fontconfig's syntax,
 * "仿宋_GB2312" or "Noto Serif CJK SC:style=Bold"): of the faces whose
 * family (in any language) matches, the upright one nearest the weight
 * asked (regular unless the pattern says), then by file name, so the
 * answer does not depend on fontconfig's order.  *path receives a new
 * string, or NULL when none is installed.  Called with cache_lock held.
 */
static void
fc_ask(const char *pattern, char **path, int *index)
{
	fcq_t *q;
	FcPattern *pat = NULL;
	FcObjectSet *os = NULL;
	FcFontSet *fs = NULL;
	int want = FC_WEIGHT_REGULAR, best = -1;
	long bestkey = 0;

	*path = NULL;
	*index = 0;
	for (q = fcqs; q; q = q->next)
		if (strcmp(q->pattern, pattern) == 0) {
			*path = q->path ? xstrdup(q->path) : NULL;
			*index = q->index;
			return;
		}
	q = xcalloc(1, sizeof *q);
	q->pattern = xstrdup(pattern);
	q->next = fcqs;
	fcqs = q;
	if (!fc_tried) {
		fc_tried = true;
		fcconf = fc_config();
	}
	if (!fcconf || !(pat = FcNameParse((const FcChar8 *)pattern)))
		goto done;
	FcPatternGetInteger(pat, FC_WEIGHT, 0, &want);
	os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_WEIGHT, FC_SLANT,
	    FC_OUTLINE, NULL);
	if (!os || !(fs = FcFontList(fcconf, pat, os)))
		goto done;
	for (int i = 0; i < fs->nfont; i++) {
		FcChar8 *file = NULL;
		int idx = 0, w = FC_WEIGHT_REGULAR, sl = FC_SLANT_ROMAN;
		FcBool outline = FcTrue;
		long key;

		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) !=
		    FcResultMatch)
			continue;
		FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &idx);
		FcPatternGetInteger(fs->fonts[i], FC_WEIGHT, 0, &w);
		FcPatternGetInteger(fs->fonts[i], FC_SLANT, 0, &sl);
		FcPatternGetBool(fs->fonts[i], FC_OUTLINE, 0, &outline);
		if (!outline)
			continue;
		key = (sl != FC_SLANT_ROMAN) * 1000L + labs((long)w - want);
		if (best < 0 || key < bestkey ||
		    (key == bestkey && (strcmp((const char *)file, q->path) < 0 ||
		    (strcmp((const char *)file, q->path) == 0 && idx < q->index)))) {
			free(q->path);
			q->path = xstrdup((const char *)file);
			q->index = idx;
			best = i;
			bestkey = key;
		}
	}
done:
	if (fs)
		FcFontSetDestroy(fs);
	if (os)
		FcObjectSetDestroy(os);
	if (pat)
		FcPatternDestroy(pat);
	*path = q->path ? xstrdup(q->path) : NULL;
	*index = q->index;
}

void
fonts_release(void)
{
	pthread_mutex_lock(&cache_lock);
	while (srcs) {
		src_t *s = srcs;

		srcs = s->next;
		src_close(s);
		free(s);
	}
	while (fcqs) {
		fcq_t *q = fcqs;

		fcqs = q->next;
		free(q->pattern);
		free(q->path);
		free(q);
	}
	if (fcconf) {
		FcConfigDestroy(fcconf);
		FcFini();
	}
	fcconf = NULL;
	fc_tried = false;
	pthread_mutex_unlock(&cache_lock);
}

/* ---- faces and roles of a document ------------------------------------------- */

#define NRANGES 8

typedef struct face {
	char      *path;         /* the file; NULL until a family is found */
	char      *family;       /* family=: the fontconfig pattern */
	int        index;        /* face in a collection (0: the first) */
	uint32_t   lo[NRANGES], hi[NRANGES];
	size_t     nranges;      /* 0: every code point */
	int        state;        /* 0 not tried, 1 loaded, -1 failed */
	size_t     owner;        /* the face whose file and PDF font this uses
	                            (itself, or an earlier entry for the same
	                            face with other ranges) */
	const src_t *src;
	/* on the owner: what the document draws with the face */
	int16_t   *adv;          /* 65536: 0 unknown, -1 no glyph, else width+1 */
	uint16_t  *code;         /* 65536: the code of each BMP character drawn */
	uint32_t  *cps;          /* the characters drawn, in order of first use */
	uint16_t  *codes;        /* and their codes */
	size_t     n, cap;
	unsigned   next;         /* TrueType: the next code to give */
	HPDF_Dict  font;         /* the Type0 font dictionary */
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
	[ROLE_HEI] = "hei", [ROLE_XIAOBIAOSONG] = "xiaobiaosong",
	[CHAIN_FALLBACK] = "fallback",
};

/* Used when fonts_dir/fonts.conf does not exist: Debian's own files. */
#define NOTO "/usr/share/fonts/opentype/noto/"
static const char default_conf[] =
	"xiaobiaosong " NOTO "NotoSerifCJK-Bold.ttc 2\n"
	"song         " NOTO "NotoSerifCJK-Regular.ttc 2\n"
	"fangsong     " NOTO "NotoSerifCJK-Regular.ttc 2\n"
	"kai          /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf\n"
	"hei          " NOTO "NotoSansCJK-Regular.ttc 2\n"
	"fallback     " NOTO "NotoSerifCJK-Regular.ttc 2\n"
	"fallback     /usr/share/fonts/truetype/arphic/uming.ttc 0\n";

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

/* The face for (path or family, index, ranges), added once; its index. */
static size_t
face_intern(tb_fonts_t *F, const face_t *want)
{
	face_t *f;

	for (size_t i = 0; i < F->nfaces; i++) {
		f = &F->faces[i];
		if (((f->path && want->path && strcmp(f->path, want->path) == 0) ||
		    (f->family && want->family &&
		    strcmp(f->family, want->family) == 0)) &&
		    f->index == want->index && f->nranges == want->nranges &&
		    memcmp(f->lo, want->lo, sizeof f->lo) == 0 &&
		    memcmp(f->hi, want->hi, sizeof f->hi) == 0)
			return i;
	}
	xgrow(&F->faces, &F->cap, F->nfaces + 1, sizeof *F->faces);
	f = &F->faces[F->nfaces];
	*f = *want;
	f->path = want->path ? xstrdup(want->path) : NULL;
	f->family = want->family ? xstrdup(want->family) : NULL;
	f->owner = F->nfaces;
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
 * Splits line into at most max words at blanks; a word may be quoted
 * ("Noto Serif CJK SC", family="...") to hold blanks.  Returns the count,
 * or -1 for an unclosed quote.
 */
static int
split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *o;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return n;
		w[n++] = o = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p == '"') {
				for (p++; *p && *p != '"'; )
					*o++ = *p++;
				if (*p != '"')
					return -1;
				p++;
			} else
				*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
}

/*
 * Reads the configuration text (lines "role file-or-family [face]
 * [only=RANGES]").  dir is prepended to relative paths (NULL: none).
 * Returns 0, or -1 after adding an error naming the line.
 */
static int
parse_conf(tb_fonts_t *F, const char *text, const char *dir)
{
	char *copy = xstrdup(text), *line = copy, *next;
	long lineno = 0;
	int rc = 0;

	for (; line; line = next) {
		char *w[4];
		int nw, role = -1;
		face_t want;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		nw = split_words(line, w, 4);
		if (nw == 0)
			continue;
		memset(&want, 0, sizeof want);
		for (int r = 0; nw > 0 && r <= ROLE_N; r++)
			if (strcmp(w[0], role_names[r]) == 0)
				role = r;
		for (int i = 2; i < nw && role >= 0; i++) {
			char *end = NULL;

			if (strncmp(w[i], "only=", 5) == 0) {
				if (parse_ranges(&want, w[i] + 5) != 0)
					role = -2;
			} else {
				long v = strtol(w[i], &end, 10);

				if (end == w[i] || *end || v < 0 || v > 255)
					role = -2;
				else
					want.index = (int)v;
			}
		}
		if (role < 0 || nw < 2 || (strncmp(w[1], "family=", 7) == 0 &&
		    w[1][7] == '\0')) {
			diag_error(F->dl, F->conf, lineno,
			    "bad font line: expected 'ROLE FILE [FACE] [only=RANGES]'"
			    " or 'ROLE family=NAME [only=RANGES]', with ROLE one of"
			    " xiaobiaosong, song, fangsong, kai, hei, fallback");
			rc = -1;
			continue;
		}
		if (strncmp(w[1], "family=", 7) == 0)
			want.family = w[1] + 7;
		else if (w[1][0] != '/' && dir)
			want.path = xasprintf("%s/%s", dir, w[1]);
		else
			want.path = xstrdup(w[1]);
		chain_add(F, role, face_intern(F, &want));
		if (!want.family)
			free(want.path);
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
		face_t *f = &F->faces[i];

		free(f->path);
		free(f->family);
		if (f->owner == i) {
			free(f->adv);
			free(f->code);
			free(f->cps);
			free(f->codes);
		}
	}
	free(F->faces);
	for (int r = 0; r <= ROLE_N; r++)
		free(F->chain[r]);
	free(F->conf);
	free(F);
}

/*
 * Opens face f (the first time only).  A file that does not exist, or a
 * family that is not installed, is skipped quietly (the faces made by the
 * build may not be there yet; the office's licensed faces may not be
 * installed); a file that cannot be used is reported as a warning and
 * skipped.  A face listed again with other ranges shares the first
 * entry's PDF font.  Returns 1 when usable.
 */
static int
face_load(tb_fonts_t *F, face_t *f)
{
	size_t me = (size_t)(f - F->faces);
	const src_t *s;
	char why[WHY_LEN];

	if (f->state != 0)
		return f->state > 0;
	f->state = -1;
	pthread_mutex_lock(&cache_lock);
	if (f->family && !f->path) {
		int idx = 0;

		fc_ask(f->family, &f->path, &idx);
		f->index = idx;
	}
	s = f->path && access(f->path, R_OK) == 0 ? src_get(f->path, f->index) :
	    NULL;
	if (s && s->state < 0)
		memcpy(why, s->why, sizeof why);
	pthread_mutex_unlock(&cache_lock);
	if (!s)
		return 0;
	f->src = s;
	if (s->state < 0) {
		/* once a document, however many lines name the file */
		bool told = false;

		for (size_t i = 0; i < F->nfaces; i++)
			told |= i != me && F->faces[i].src == s;
		if (!told)
			diag_warning(F->dl, f->path, 0, "font not usable (%s),"
			    " skipped", why);
		return 0;
	}
	for (size_t i = 0; i < me; i++) {
		face_t *o = &F->faces[i];

		if (o->state > 0 && o->owner == i && o->src == s) {
			f->owner = i;
			f->state = 1;
			return 1;
		}
	}
	f->adv = xcalloc(65536, sizeof *f->adv);
	f->code = xcalloc(65536, sizeof *f->code);
	f->next = 1;
	f->state = 1;
	return 1;
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
 * Whether src s draws cp with a real glyph (mapped; an outline unless cp
 * is a space): *gid and *width (1/1000 em) receive it.
 */
static bool
src_glyph(const src_t *s, uint32_t cp, hb_codepoint_t *gid, int *width)
{
	hb_glyph_extents_t e;

	if (!hb_font_get_nominal_glyph(s->font, cp, gid) || *gid == 0 ||
	    *gid >= s->nglyphs)
		return false;
	if (!is_blank_char(cp) &&
	    (!hb_font_get_glyph_extents(s->font, *gid, &e) ||
	    (e.width == 0 && e.height == 0)))
		return false;
	*width = per_mille(hb_font_get_glyph_h_advance(s->font, *gid), s->upem);
	return true;
}

/*
 * The advance of cp in f (1/1000 em), or -1 when f has no real glyph for it
 * (unmapped, or an empty outline for a character that is not a space).
 */
static int
face_advance(tb_fonts_t *F, face_t *f, uint32_t cp)
{
	bool in = f->nranges == 0;
	face_t *o;
	hb_codepoint_t g;
	int w = 0;

	for (size_t i = 0; i < f->nranges && !in; i++)
		in = cp >= f->lo[i] && cp <= f->hi[i];
	if (!in || cp > 0x10FFFF || !face_load(F, f))
		return -1;
	o = &F->faces[f->owner];
	if (cp > 0xFFFF)
		return src_glyph(o->src, cp, &g, &w) ? w : -1;
	if (o->adv[cp] == 0)
		o->adv[cp] = src_glyph(o->src, cp, &g, &w) ?
		    (int16_t)(w > 32766 ? 32767 : w + 1) : -1;
	return o->adv[cp] < 0 ? -1 : o->adv[cp] - 1;
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

/*
 * The Type0 font dictionary of face f (an owner), made when a character
 * first needs it; fonts_finish() fills it.  Returns 0, or -1 after adding
 * an error.
 */
static int
face_font(tb_fonts_t *F, face_t *f)
{
	if (f->font)
		return 0;
	if (!(f->font = hpdfx_dict(F->pdf)) ||
	    HPDF_Dict_AddName(f->font, "Type", "Font") != HPDF_OK ||
	    HPDF_Dict_AddName(f->font, "Subtype", "Type0") != HPDF_OK) {
		diag_error(F->dl, f->path, 0, "libharu cannot add the font"
		    " (error 0x%04X)", (unsigned)HPDF_GetError(F->pdf));
		HPDF_ResetError(F->pdf);
		f->font = NULL;
		return -1;
	}
	return 0;
}

/*
 * The code of cp (drawn with f, an owner), given on first use (see the top
 * of the file).  0 when the face has no more codes.
 */
static unsigned
face_code(face_t *f, uint32_t cp)
{
	hb_codepoint_t gid = 0;
	unsigned c = 0;

	if (cp <= 0xFFFF && f->code[cp])
		return f->code[cp];
	for (size_t i = 0; cp > 0xFFFF && i < f->n; i++)
		if (f->cps[i] == cp)
			return f->codes[i];
	if (!hb_font_get_nominal_glyph(f->src->font, cp, &gid) ||
	    gid >= f->src->nglyphs)
		gid = 0;
	switch (f->src->kind) {
	case K_TRUETYPE:
		if (f->next > 0xFFFF)
			return 0;
		c = f->next++;
		break;
	case K_CFF_CID:
		c = f->src->cid[gid];
		break;
	case K_CFF_NAME:
		c = gid;
		break;
	}
	if (c == 0)
		return 0;
	xgrow(&f->cps, &f->cap, f->n + 1, sizeof *f->cps);
	f->codes = xrealloc(f->codes, f->cap * sizeof *f->codes);
	f->cps[f->n] = cp;
	f->codes[f->n++] = (uint16_t)c;
	if (cp <= 0xFFFF)
		f->code[cp] = (uint16_t)c;
	return c;
}

HPDF_Font
fonts_pick(tb_fonts_t *F, enum font_role role, uint32_t *cp, int *width,
    unsigned *cid)
{
	face_t *f = NULL;
	uint32_t c = *cp;
	unsigned code;

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
			    "no usable font: install fonts-noto-cjk or fix"
			    " the font list");
		return NULL;
	}
	f = &F->faces[f->owner];
	if (face_font(F, f) != 0)
		return NULL;
	if ((code = face_code(f, c)) == 0)
		F->substituted++;     /* 65,535 characters drawn: .notdef */
	if (cid)
		*cid = code;
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

/* ---- the subset and its PDF objects ------------------------------------------- */

/* What one font of a document holds: its characters, by code. */
typedef struct drawn {
	uint16_t code;
	uint32_t cp;
	uint32_t gid;            /* in the face */
	size_t   order;          /* of first use */
} drawn_t;

/* by code, then in the order drawn */
static int
cmp_drawn(const void *a, const void *b)
{
	const drawn_t *x = a, *y = b;

	if (x->code != y->code)
		return (x->code > y->code) - (x->code < y->code);
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * The subset of s holding the n characters d[] (d[k].gid their glyphs in
 * the face), made by hb-subset: the font program in *prog (an sfnt; for a
 * CFF face the CFF table alone), and newgid[k] the glyph of d[k] in it.
 * The characters, not the glyphs, are what HarfBuzz is given: from glyphs
 * it would walk the whole character map back (3 ms for a Noto CJK face).
 * Returns 0, or -1 when HarfBuzz cannot subset the face.
 */
static int
src_subset(const src_t *s, const drawn_t *d, size_t n, uint16_t *newgid,
    buf_t *prog)
{
	static const hb_tag_t drop[] = {
		HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
		HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
		HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
		HB_TAG('V', 'O', 'R', 'G'), HB_TAG('v', 'h', 'e', 'a'),
		HB_TAG('v', 'm', 't', 'x'), HB_TAG('k', 'e', 'r', 'n'),
		HB_TAG('c', 'm', 'a', 'p'), HB_TAG('h', 'd', 'm', 'x'),
		HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'),
		HB_TAG('g', 'a', 's', 'p'), HB_TAG('D', 'S', 'I', 'G'),
		HB_TAG('m', 'o', 'r', 'x'), HB_TAG('S', 'T', 'A', 'T'),
	};
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	const hb_map_t *map;
	unsigned flags = HB_SUBSET_FLAGS_NO_HINTING, len;
	const char *data;
	int rc = -1;

	if (!in)
		return -1;
	for (size_t k = 0; k < n; k++)
		hb_set_add(hb_subset_input_unicode_set(in), d[k].cp);
	for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
		hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG),
		    drop[k]);
	/* CFF: flat charstrings (they compress better than the
	 * subroutines hb-subset would keep, and subset faster) */
	if (s->kind != K_TRUETYPE)
		flags |= HB_SUBSET_FLAGS_DESUBROUTINIZE;
	if (s->kind == K_CFF_NAME)
		flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
	hb_subset_input_set_flags(in, flags);
	if (!(plan = hb_subset_plan_create_or_fail(s->face, in)) ||
	    !(sub = hb_subset_plan_execute_or_fail(plan)))
		goto cleanup;
	map = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (size_t k = 0; k < n; k++) {
		hb_codepoint_t g = hb_map_get(map, d[k].gid);

		if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF)
			goto cleanup;
		newgid[k] = (uint16_t)g;
	}
	blob = s->kind == K_TRUETYPE ? hb_face_reference_blob(sub) :
	    hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
	data = hb_blob_get_data(blob, &len);
	if (len == 0)
		goto cleanup;
	buf_add(prog, data, len);
	rc = 0;
cleanup:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	return rc;
}

/*
 * The six-letter subset tag of a font (PDF 1.4 5.5.3): derived from the
 * face's name and the characters drawn, so different subsets get different
 * tags and the same document the same one.
 */
static void
subset_tag(const char *psname, const drawn_t *d, size_t n, char tag[7])
{
	uint32_t h = 2166136261u, h2 = 0x9E3779B9u;

	for (const char *p = psname; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (size_t k = 0; k < n; k++) {
		h = (h ^ d[k].cp) * 16777619u;
		h2 = (h2 ^ d[k].cp) * 2246822519u + 1;
	}
	for (int i = 0; i < 6; i++) {
		uint32_t *x = i < 3 ? &h : &h2;

		tag[i] = (char)('A' + *x % 26);
		*x /= 26;
	}
	tag[6] = '\0';
}

/* The UTF-16 of cp as hex, for a CMap. */
static void
put_utf16(buf_t *b, uint32_t cp)
{
	if (cp > 0xFFFF)
		buf_printf(b, "<%04X%04X>", 0xD800 + ((cp - 0x10000) >> 10),
		    0xDC00 + ((cp - 0x10000) & 0x3FF));
	else
		buf_printf(b, "<%04X>", (unsigned)cp);
}

/*
 * The ToUnicode CMap: code d[k].code stands for d[k].cp (d sorted by
 * code, codes distinct).  Runs of consecutive codes sharing their first
 * byte become one bfrange with the array of their characters (35 % less
 * than a bfchar line per code), single codes bfchar lines; at most 100 of
 * either in a block, as the CMap format asks.
 */
static void
tounicode(const drawn_t *d, size_t n, buf_t *b)
{
	size_t i = 0;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	    "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS)"
	    " /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	while (i < n) {
		/* a block: up to 100 runs of the same kind */
		size_t start = i, runs = 0;
		bool range = i + 1 < n && d[i + 1].code == d[i].code + 1 &&
		    (d[i].code >> 8) == (d[i + 1].code >> 8);
		size_t j = i;

		while (j < n && runs < 100) {
			size_t e = j;

			while (e + 1 < n && d[e + 1].code == d[e].code + 1 &&
			    (d[e + 1].code >> 8) == (d[j].code >> 8))
				e++;
			if ((e > j) != range)
				break;
			runs++;
			j = e + 1;
		}
		buf_printf(b, "%zu %s\n", runs, range ? "beginbfrange" : "beginbfchar");
		for (i = start; i < j;) {
			size_t e = i;

			while (e + 1 < j && d[e + 1].code == d[e].code + 1 &&
			    (d[e + 1].code >> 8) == (d[i].code >> 8))
				e++;
			if (range) {
				buf_printf(b, "<%04X> <%04X> [", d[i].code, d[e].code);
				for (size_t k = i; k <= e; k++)
					put_utf16(b, d[k].cp);
				buf_puts(b, "]\n");
			} else {
				buf_printf(b, "<%04X> ", d[i].code);
				put_utf16(b, d[i].cp);
				buf_puts(b, "\n");
			}
			i = e + 1;
		}
		buf_puts(b, range ? "endbfrange\n" : "endbfchar\n");
	}
	buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
}

/*
 * Writes the font of face f (an owner that drew something) into the PDF:
 * its subset and the dictionaries (see the top of the file).  Returns 0,
 * or -1 after adding an error.
 */
static int
face_finish(tb_fonts_t *F, face_t *f)
{
	const src_t *s = f->src;
	HPDF_Doc pdf = F->pdf;
	drawn_t *d = xcalloc(f->n + 1, sizeof *d);
	uint16_t *newgid = xcalloc(f->n + 1, sizeof *newgid);
	uint8_t *bits = NULL, *map = NULL;
	HPDF_Dict cid = NULL, desc = NULL, csi, prog_s, set, tu_s, map_s;
	HPDF_Array w, run = NULL, desc_arr;
	HPDF_STATUS st = HPDF_OK;
	buf_t prog, tu;
	char tag[7], *base = NULL, *type0 = NULL;
	unsigned maxcode = 0;
	size_t n = 0;            /* distinct codes */
	int rc = -1, prev = -2;
	bool tt = s->kind == K_TRUETYPE;

	buf_init(&prog);
	buf_init(&tu);
	for (size_t k = 0; k < f->n; k++) {
		hb_codepoint_t g = 0;

		d[k].code = f->codes[k];
		d[k].cp = f->cps[k];
		d[k].order = k;
		if (hb_font_get_nominal_glyph(s->font, f->cps[k], &g))
			d[k].gid = g;
		if (d[k].code > maxcode)
			maxcode = d[k].code;
	}
	/* a CFF code stands for a glyph: characters sharing a glyph share
	 * it, and the first one drawn names it in ToUnicode */
	qsort(d, f->n, sizeof *d, cmp_drawn);
	for (size_t k = 0; k < f->n; k++)
		if (n == 0 || d[k].code != d[n - 1].code)
			d[n++] = d[k];
	if (src_subset(s, d, n, newgid, &prog) != 0) {
		diag_error(F->dl, f->path, 0, "HarfBuzz cannot subset the font");
		goto cleanup;
	}
	subset_tag(s->psname, d, n, tag);
	base = xasprintf("%s+%s", tag, s->psname);
	type0 = tt ? xstrdup(base) : xasprintf("%s-Identity-H", base);

	/* the descendant CIDFont */
	cid = hpdfx_dict(pdf);
	desc = hpdfx_dict(pdf);
	csi = hpdfx_direct_dict(pdf);
	w = hpdfx_array(pdf);
	desc_arr = hpdfx_array(pdf);
	if (!cid || !desc || !csi || !w || !desc_arr)
		goto hpdf;
	st |= HPDF_Dict_AddName(cid, "Type", "Font");
	st |= HPDF_Dict_AddName(cid, "Subtype", tt ? "CIDFontType2" : "CIDFontType0");
	st |= HPDF_Dict_AddName(cid, "BaseFont", base);
	/* the character collection: a CID-keyed CFF's own (its ROS), else
	 * Adobe-Identity-0 (the CIDs are glyph indices or codes of ours) */
	{
		bool ros = s->kind == K_CFF_CID && s->registry[0] && s->ordering[0];

		st |= HPDF_Dict_Add(csi, "Registry", hpdfx_string(pdf,
		    ros ? s->registry : "Adobe"));
		st |= HPDF_Dict_Add(csi, "Ordering", hpdfx_string(pdf,
		    ros ? s->ordering : "Identity"));
		st |= HPDF_Dict_AddNumber(csi, "Supplement", ros ? s->supplement : 0);
	}
	st |= HPDF_Dict_Add(cid, "CIDSystemInfo", csi);
	st |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
	/* widths: runs of codes whose advance is not the default 1000 */
	for (size_t k = 0; k < n; k++) {
		int a = per_mille(hb_font_get_glyph_h_advance(s->font, d[k].gid),
		    s->upem);

		if (a == 1000)
			continue;
		if (!run || (int)d[k].code != prev + 1) {
			if (!(run = hpdfx_array(pdf)))
				goto hpdf;
			st |= HPDF_Array_AddNumber(w, d[k].code);
			st |= HPDF_Array_Add(w, run);
		}
		st |= HPDF_Array_AddNumber(run, a);
		prev = d[k].code;
	}
	st |= HPDF_Dict_AddNumber(cid, "DW", 1000);
	st |= HPDF_Dict_Add(cid, "W", w);
	if (tt) {
		/* the CIDToGIDMap: two bytes per code, its glyph in the subset */
		map = xcalloc(2 * ((size_t)maxcode + 1), 1);
		for (size_t k = 0; k < n; k++) {
			map[2 * d[k].code] = (uint8_t)(newgid[k] >> 8);
			map[2 * d[k].code + 1] = (uint8_t)newgid[k];
		}
		if (!(map_s = hpdfx_stream(pdf, map, 2 * ((size_t)maxcode + 1))))
			goto hpdf;
		st |= HPDF_Dict_Add(cid, "CIDToGIDMap", map_s);
	}

	/* the descriptor, in 1/1000 em; CIDSet: the codes drawn, and 0 */
	bits = xcalloc(maxcode / 8 + 1, 1);
	bits[0] = 0x80;
	for (size_t k = 0; k < n; k++)
		bits[d[k].code >> 3] |= (uint8_t)(0x80u >> (d[k].code & 7));
	if (!(set = hpdfx_stream(pdf, bits, maxcode / 8 + 1)) ||
	    !(prog_s = hpdfx_stream(pdf, prog.data, prog.len)))
		goto hpdf;
	if (tt)
		st |= HPDF_Dict_AddNumber(prog_s, "Length1", (HPDF_INT32)prog.len);
	else
		st |= HPDF_Dict_AddName(prog_s, "Subtype", "CIDFontType0C");
	st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	st |= HPDF_Dict_AddName(desc, "FontName", base);
	st |= HPDF_Dict_AddNumber(desc, "Flags", 4);     /* symbolic */
	st |= HPDF_Dict_Add(desc, "FontBBox", hpdfx_box(pdf, s->bbox[0],
	    s->bbox[1], s->bbox[2], s->bbox[3]));
	st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
	st |= HPDF_Dict_AddNumber(desc, "Ascent", s->ascent);
	st |= HPDF_Dict_AddNumber(desc, "Descent", s->descent);
	st |= HPDF_Dict_AddNumber(desc, "CapHeight", s->capheight);
	st |= HPDF_Dict_AddNumber(desc, "StemV", 80);
	st |= HPDF_Dict_Add(desc, "CIDSet", set);
	st |= HPDF_Dict_Add(desc, tt ? "FontFile2" : "FontFile3", prog_s);

	/* the Type0 font the pages name */
	tounicode(d, n, &tu);
	if (!(tu_s = hpdfx_stream(pdf, tu.data, tu.len)))
		goto hpdf;
	st |= HPDF_Dict_AddName(f->font, "BaseFont", type0);
	st |= HPDF_Dict_AddName(f->font, "Encoding", "Identity-H");
	st |= HPDF_Array_Add(desc_arr, cid);
	st |= HPDF_Dict_Add(f->font, "DescendantFonts", desc_arr);
	st |= HPDF_Dict_Add(f->font, "ToUnicode", tu_s);
	if (st != HPDF_OK)
		goto hpdf;
	rc = 0;
	goto cleanup;
hpdf:
	diag_error(F->dl, f->path, 0, "cannot write the font (libharu error"
	    " 0x%04X)", (unsigned)HPDF_GetError(pdf));
	HPDF_ResetError(pdf);
cleanup:
	buf_free(&prog);
	buf_free(&tu);
	free(base);
	free(type0);
	free(bits);
	free(map);
	free(newgid);
	free(d);
	return rc;
}

int
fonts_finish(tb_fonts_t *F)
{
	int rc = 0;

	for (size_t i = 0; i < F->nfaces; i++) {
		face_t *f = &F->faces[i];

		if (f->owner == i && f->font && face_finish(F, f) != 0)
			rc = -1;
	}
	return rc;
}

int
fonts_subset_file(const char *path, int index, const uint32_t *cp, size_t n,
    uint16_t *gid, buf_t *out)
{
	src_t s;
	drawn_t *d = xcalloc(n + 1, sizeof *d);
	uint16_t *newgid = xcalloc(n + 1, sizeof *newgid);
	size_t m = 0;
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.path = xstrdup(path);
	s.index = index;
	memset(gid, 0, (n + 1) * sizeof *gid);
	if (src_open(&s) == 0) {
		for (size_t k = 0; k < n; k++) {
			hb_codepoint_t g = 0;
			int w;

			if (src_glyph(&s, cp[k], &g, &w)) {
				d[m].cp = cp[k];
				d[m].gid = g;
				d[m++].order = k + 1;   /* gid[] index */
			}
		}
		rc = src_subset(&s, d, m, newgid, out);
		for (size_t j = 0; rc == 0 && j < m; j++)
			gid[d[j].order] = newgid[j];
	}
	src_close(&s);
	free(d);
	free(newgid);
	return rc;
}
