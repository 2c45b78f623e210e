/*
 * fonts_pdf.c - the PDF fonts written (fonts_int.h): each face a document
 * drew with subset by HarfBuzz (hb-subset), and its PDF objects
 * (libharu's object functions, the objects made through hpdfx.c): a Type0
 * font with Identity-H encoding, its CIDFont (CIDFontType2 with FontFile2
 * for TrueType outlines, CIDFontType0 with the bare CFF as FontFile3
 * /CIDFontType0C for CFF ones: PDF/A-1 is PDF 1.4, which has no OpenType
 * font file), /W widths, the FontDescriptor with the CIDSet PDF/A-1 asks
 * of subset fonts, and a ToUnicode CMap.  The codes the pages show are
 * fonts.c's (its top comment says how they stay valid in the subset).
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts_int.h"
#include "hpdfx.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

#include <hb.h>
#include <hb-subset.h>

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
		int a = fonts_per_mille(hb_font_get_glyph_h_advance(s->font,
		    d[k].gid), s->upem);

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
	if (fonts_src_open(&s) == 0) {
		for (size_t k = 0; k < n; k++) {
			hb_codepoint_t g = 0;
			int w;

			if (fonts_src_glyph(&s, cp[k], &g, &w)) {
				d[m].cp = cp[k];
				d[m].gid = g;
				d[m++].order = k + 1;   /* gid[] index */
			}
		}
		rc = src_subset(&s, d, m, newgid, out);
		for (size_t j = 0; rc == 0 && j < m; j++)
			gid[d[j].order] = newgid[j];
	}
	fonts_src_close(&s);
	free(d);
	free(newgid);
	return rc;
}
