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
 * glyph for it draws it, then the "fallback" candidates; "only=" restricts a
 * face to code-point ranges (WenQuanYi Zen Hei draws wrong glyphs outside
 * the main CJK block under libharu 2.3.0).  A file is loaded into the PDF
 * the first time a character needs it, so an unused candidate costs
 * nothing: build-time subsets listed first keep the PDF small and fast, the
 * full Debian files behind them catch whatever the subset lacks.  Relative
 * paths are relative to the configuration's directory; missing files are
 * skipped.  Characters no candidate holds, and everything above U+FFFF
 * (libharu's UTF-8 encoder turns those into spaces), are drawn as 〓.
 *
 * Results per face and code point (has a glyph, advance) are cached in
 * flat BMP-sized tables: libharu's own cmap lookup is a linear search.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdbool.h>
#include <unistd.h>

#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#define NRANGES 8

typedef struct face {
	char      *path;
	int        index;        /* face in a .ttc; -1 for a .ttf */
	uint32_t   lo[NRANGES], hi[NRANGES];
	size_t     nranges;      /* 0: every code point */
	int        state;        /* 0 not tried, 1 loaded, -1 failed */
	HPDF_Font  font;
	HPDF_FontDef def;
	int16_t   *adv;          /* 65536: 0 unknown, -1 no glyph, else width+1 */
	uint8_t   *used;         /* 8192-byte bitmap of code points drawn */
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
		free(F->faces[i].adv);
		free(F->faces[i].used);
	}
	free(F->faces);
	for (int r = 0; r <= ROLE_N; r++)
		free(F->chain[r]);
	free(F->conf);
	free(F);
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

/*
 * Loads face f into the PDF.  A file that does not exist is skipped
 * quietly (a build-time subset may not have been made); one that libharu
 * refuses is reported as a warning and skipped.  Returns 1 when loaded.
 */
static int
face_load(tb_fonts_t *F, face_t *f)
{
	const char *name = NULL;

	if (f->state != 0)
		return f->state > 0;
	f->state = -1;
	if (access(f->path, R_OK) != 0)
		return 0;
	if (has_suffix(f->path, ".ttc"))
		name = HPDF_LoadTTFontFromFile2(F->pdf, f->path,
		    (HPDF_UINT)(f->index < 0 ? 0 : f->index), HPDF_TRUE);
	else
		name = HPDF_LoadTTFontFromFile(F->pdf, f->path, HPDF_TRUE);
	if (name) {
		/* libharu keys fonts by their PostScript name: a second file
		 * with the name of one already loaded would silently be the
		 * first one again. */
		for (size_t i = 0; i < F->nfaces; i++)
			if (F->faces[i].state > 0 && F->faces[i].def &&
			    strcmp(F->faces[i].def->base_font, name) == 0)
				name = NULL;
		if (name)
			f->font = HPDF_GetFont(F->pdf, name, "UTF-8");
	}
	if (!name || !f->font) {
		diag_warning(F->dl, f->path, 0,
		    "font not usable by libharu (error 0x%04X), skipped",
		    (unsigned)HPDF_GetError(F->pdf));
		HPDF_ResetError(F->pdf);
		f->font = NULL;
		return 0;
	}
	f->def = ((HPDF_FontAttr)f->font->attr)->fontdef;
	f->adv = xcalloc(65536, sizeof *f->adv);
	f->used = xcalloc(8192, 1);
	f->state = 1;
	return 1;
}

/* The advance of cp in f (1/1000 em), or -1 when f has no glyph for it. */
static int
face_advance(tb_fonts_t *F, face_t *f, uint32_t cp)
{
	bool in = f->nranges == 0;

	for (size_t i = 0; i < f->nranges && !in; i++)
		in = cp >= f->lo[i] && cp <= f->hi[i];
	if (!in || cp > 0xFFFF || !face_load(F, f))
		return -1;
	if (f->adv[cp] == 0) {
		if (HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp) == 0)
			f->adv[cp] = -1;
		else
			f->adv[cp] = (int16_t)(HPDF_TTFontDef_GetCharWidth(f->def,
			    (HPDF_UINT16)cp) + 1);
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
fonts_pick(tb_fonts_t *F, enum font_role role, uint32_t *cp, int *width)
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
	f->used[c >> 3] |= (uint8_t)(1u << (c & 7));
	return f->font;
}

unsigned
fonts_substituted(const tb_fonts_t *F)
{
	return F->substituted;
}

/*
 * Rewrites the font's ToUnicode CMap for the characters drawn (codes are
 * Unicode code points under libharu's UTF-8 encoder).  libharu 2.3.0 writes
 * it with "begincidrange", which a ToUnicode CMap may not use.
 */
static HPDF_STATUS
write_tounicode(face_t *f)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(f->font, "ToUnicode", HPDF_OCLASS_DICT);
	buf_t b;
	size_t n = 0, total = 0;
	HPDF_STATUS st;

	if (!tu || !tu->stream)
		return HPDF_OK;
	buf_init(&b);
	buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	    "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS)"
	    " /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	for (uint32_t c = 0; c < 65536; c++)
		if (f->used[c >> 3] & (1u << (c & 7)))
			total++;
	for (uint32_t c = 0; c < 65536; c++) {
		if (!(f->used[c >> 3] & (1u << (c & 7))))
			continue;
		if (n % 100 == 0)
			buf_printf(&b, "%zu beginbfchar\n",
			    total - n < 100 ? total - n : (size_t)100);
		buf_printf(&b, "<%04X> <%04X>\n", (unsigned)c, (unsigned)c);
		n++;
		if (n % 100 == 0 || n == total)
			buf_puts(&b, "endbfchar\n");
	}
	buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	HPDF_MemStream_FreeData(tu->stream);
	st = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data,
	    (HPDF_UINT)b.len);
	buf_free(&b);
	return st;
}

/* Replaces the /W array and the CIDToGIDMap of one loaded face. */
static int
face_finish(tb_fonts_t *F, face_t *f)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)f->font->attr;
	HPDF_Dict cid = attr->descendant_font;
	HPDF_Array w = NULL, run = NULL;
	uint8_t *map = NULL;
	uint32_t max = 0, prev = 0;
	HPDF_STATUS st = HPDF_OK;

	if (!cid)
		return 0;
	for (uint32_t c = 0; c < 65536; c++)
		if (f->used[c >> 3] & (1u << (c & 7)))
			max = c;
	w = HPDF_Array_New(F->pdf->mmgr);
	if (!w)
		return -1;
	for (uint32_t c = 0; c <= max; c++) {
		int a;

		if (!(f->used[c >> 3] & (1u << (c & 7))))
			continue;
		a = f->adv[c] > 0 ? f->adv[c] - 1 : 0;
		if (a == 1000)
			continue;
		if (!run || c != prev + 1) {
			run = HPDF_Array_New(F->pdf->mmgr);
			st |= HPDF_Array_AddNumber(w, (HPDF_INT32)c);
			st |= HPDF_Array_Add(w, run);
		}
		st |= HPDF_Array_AddNumber(run, a);
		prev = c;
	}
	st |= HPDF_Dict_AddNumber(cid, "DW", 1000);
	st |= HPDF_Dict_Add(cid, "W", w);
	if (attr->map_stream) {
		size_t n = ((size_t)max + 1) * 2;

		map = xcalloc(n, 1);
		for (uint32_t c = 0; c <= max; c++)
			if (f->used[c >> 3] & (1u << (c & 7))) {
				HPDF_UINT16 g = HPDF_TTFontDef_GetGlyphid(f->def,
				    (HPDF_UINT16)c);
				map[2 * c] = (uint8_t)(g >> 8);
				map[2 * c + 1] = (uint8_t)g;
			}
		HPDF_MemStream_FreeData(attr->map_stream->stream);
		st |= HPDF_Stream_Write(attr->map_stream->stream, map,
		    (HPDF_UINT)n);
	}
	free(map);
	st |= write_tounicode(f);
	return st == HPDF_OK ? 0 : -1;
}

int
fonts_finish(tb_fonts_t *F)
{
	int rc = 0;

	for (size_t i = 0; i < F->nfaces; i++)
		if (F->faces[i].state > 0 && face_finish(F, &F->faces[i]) != 0) {
			diag_error(F->dl, F->faces[i].path, 0,
			    "cannot write the font's width table (libharu error"
			    " 0x%04X)", (unsigned)HPDF_GetError(F->pdf));
			HPDF_ResetError(F->pdf);
			rc = -1;
		}
	return rc;
}
