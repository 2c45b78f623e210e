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
 * The faces themselves are opened and kept by fonts_face.c, and written
 * into the PDF as subsets by fonts_pdf.c (fonts_int.h).  What a document
 * draws with a face is its own (tb_fonts_t), cached per code point in
 * flat BMP-sized tables.
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
 * The charset is read by fonts_face.c (the one part of a face HarfBuzz
 * does not expose).
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts_int.h"
#include "hpdfx.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>

#include <hb.h>

/* ---- faces and roles of a document ------------------------------------------- */

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
	pthread_mutex_lock(&fonts_cache_lock);
	if (f->family && !f->path) {
		int idx = 0;

		fonts_fc_ask(f->family, &f->path, &idx);
		f->index = idx;
	}
	s = f->path && access(f->path, R_OK) == 0 ?
	    fonts_src_get(f->path, f->index) : NULL;
	if (s && s->state < 0)
		memcpy(why, s->why, sizeof why);
	pthread_mutex_unlock(&fonts_cache_lock);
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
		return fonts_src_glyph(o->src, cp, &g, &w) ? w : -1;
	if (o->adv[cp] == 0)
		o->adv[cp] = fonts_src_glyph(o->src, cp, &g, &w) ?
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
