/*
 * fonts_face.c - the faces of the process for the PDF fonts (fonts_int.h):
 * a font file's face opened by HarfBuzz (TrueType and CFF/OpenType alike,
 * collections), what the PDF objects need of it (its kind, PostScript
 * name, metrics, and for a CID-keyed CFF the charset: the one part of a
 * face HarfBuzz does not expose, read here bounds-checked, so a damaged
 * face is an error naming it), and the installed face of a family asked
 * of fontconfig with a configuration of our own.
 *
 * The faces and the fontconfig answers are kept for the whole process,
 * shared by every document and thread (HarfBuzz objects are immutable and
 * thread-safe once made), under one mutex: opening a face and asking
 * fontconfig costs milliseconds (10 ms the first question), and the
 * program renders 120 statements.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts_int.h"
#include "util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>

/* ---- faces of the process ---------------------------------------------------- */

/* A fontconfig question and its answer (path NULL: nothing installed). */
typedef struct fcq {
	char        *pattern, *path;
	int          index;
	struct fcq  *next;
} fcq_t;

pthread_mutex_t fonts_cache_lock = PTHREAD_MUTEX_INITIALIZER;
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
int
fonts_per_mille(long v, unsigned upem)
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
		s->ascent = fonts_per_mille(rds16(p + 4), s->upem);
		s->descent = fonts_per_mille(rds16(p + 6), s->upem);
	}
	s->capheight = s->ascent;
	p = (const uint8_t *)hb_blob_get_data(os2, &n);
	if (n >= 72 && rds16(p + 68) > 0) {
		s->ascent = fonts_per_mille(rds16(p + 68), s->upem);
		s->descent = fonts_per_mille(rds16(p + 70), s->upem);
		s->capheight = s->ascent;
	}
	if (n >= 90 && rd16(p) >= 2 && rds16(p + 88) > 0)
		s->capheight = fonts_per_mille(rds16(p + 88), s->upem);
	p = (const uint8_t *)hb_blob_get_data(head, &n);
	if (n >= 44)
		for (int i = 0; i < 4; i++)
			s->bbox[i] = fonts_per_mille(rds16(p + 36 + 2 * i),
			    s->upem);
	hb_blob_destroy(head);
	hb_blob_destroy(os2);
	hb_blob_destroy(hhea);
}

/*
 * Opens face index of the file at path into s.  Returns 0, or -1 with
 * s->why set when it is not a usable font.
 */
int
fonts_src_open(src_t *s)
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

void
fonts_src_close(src_t *s)
{
	hb_font_destroy(s->font);
	hb_face_destroy(s->face);
	hb_blob_destroy(s->blob);
	free(s->cid);
	free(s->path);
}

/*
 * The process's face index of path (opened on first use).  Never NULL;
 * look at its state.  Called with fonts_cache_lock held.
 */
src_t *
fonts_src_get(const char *path, int index)
{
	src_t *s;

	for (s = srcs; s; s = s->next)
		if (s->index == index && strcmp(s->path, path) == 0)
			return s;
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->index = index;
	fonts_src_open(s);
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
 * string, or NULL when none is installed.  Called with fonts_cache_lock held.
 */
void
fonts_fc_ask(const char *pattern, char **path, int *index)
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
	pthread_mutex_lock(&fonts_cache_lock);
	while (srcs) {
		src_t *s = srcs;

		srcs = s->next;
		fonts_src_close(s);
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
	pthread_mutex_unlock(&fonts_cache_lock);
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
bool
fonts_src_glyph(const src_t *s, uint32_t cp, hb_codepoint_t *gid,
    int *width)
{
	hb_glyph_extents_t e;

	if (!hb_font_get_nominal_glyph(s->font, cp, gid) || *gid == 0 ||
	    *gid >= s->nglyphs)
		return false;
	if (!is_blank_char(cp) &&
	    (!hb_font_get_glyph_extents(s->font, *gid, &e) ||
	    (e.width == 0 && e.height == 0)))
		return false;
	*width = fonts_per_mille(hb_font_get_glyph_h_advance(s->font, *gid),
	    s->upem);
	return true;
}
