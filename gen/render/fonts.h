/*
 * fonts.h - the PDF backend's fonts: which face serves which role of GB/T
 * 9704 (小标宋, 宋, 仿宋, 楷, 黑), read from fonts/fonts.conf (a file, or a
 * family found through fontconfig: the office's licensed faces), added to
 * a libharu document only when a character first needs them, the choice,
 * per character, of a face that really holds its glyph, and at the end
 * each face's subset (HarfBuzz) with its PDF font dictionaries.  Only
 * the render_pdf*.c files, fonts_int.h and the tests include this header.
 */
#ifndef TB_FONTS_H
#define TB_FONTS_H

#include <stdint.h>
#include <hpdf.h>

#include "diag.h"
#include "util.h"

/* 宋 (page numbers), 仿宋 (body), 楷 and 黑 (headings), 小标宋 (issuer, title) */
enum font_role { ROLE_SONG, ROLE_FANGSONG, ROLE_KAI, ROLE_HEI,
	ROLE_XIAOBIAOSONG, ROLE_N };

/* What is drawn for a character no font holds (U+3013 GETA MARK 〓, the
 * typesetter's sign for a missing character). */
#define FONT_MISSING_CP 0x3013u

typedef struct tb_fonts tb_fonts_t;

/*
 * Reads fonts_dir/fonts.conf (or the built-in Debian defaults when it does
 * not exist; fonts_dir may be NULL) and prepares the roles for pdf.  No font
 * is loaded yet.  Returns NULL after adding an error to dl.  Free with
 * fonts_free() before HPDF_Free(pdf).  The font files opened and the
 * families looked up are kept for the next document of the process (any
 * thread) until fonts_release().
 */
tb_fonts_t *fonts_open(HPDF_Doc pdf, const char *fonts_dir, diag_list_t *dl);
void        fonts_free(tb_fonts_t *f);

/*
 * The font that draws *cp in role, loading it on first use.  When no font
 * holds *cp, *cp is replaced by FONT_MISSING_CP (or '?').  *width receives
 * the advance in 1/1000 em; *cid (when cid is not NULL) the character's
 * code in that font, the two-byte code (the CID) the page content shows
 * to draw it (see fonts.c for how each kind of face numbers them).
 * Returns NULL only when no font at all could be loaded (the error is then
 * in the diag list given to fonts_open).
 */
HPDF_Font   fonts_pick(tb_fonts_t *f, enum font_role role, uint32_t *cp,
    int *width, unsigned *cid);

/*
 * The font file that would draw cp in role (the first candidate of the
 * role, then of the fallback list, holding a real glyph for it: mapped, and
 * with an outline unless cp is a space), or NULL when cp would be drawn as
 * FONT_MISSING_CP.  Loads nothing into the PDF.  For tests of coverage.
 */
const char *fonts_which(tb_fonts_t *f, enum font_role role, uint32_t cp);

/* How many characters were substituted so far (for a warning). */
unsigned    fonts_substituted(const tb_fonts_t *f);

/*
 * Writes each font used into the PDF, limited to the characters really
 * drawn: the subset of their glyphs (a TrueType font program, or for a
 * CFF face the bare CFF, CIDFontType0C), its FontDescriptor and CIDSet
 * (PDF/A-1), the /W widths, for TrueType the CIDToGIDMap, and the
 * ToUnicode CMap.  Call once, after the last page and before saving.
 * Returns 0, or -1 after adding an error.
 */
int         fonts_finish(tb_fonts_t *f);

/*
 * The font program fonts_finish() would embed for the n characters cp[]
 * drawn, in this order, from face index (0 for a single font) of the
 * TrueType or OpenType file at path, appended to out (an sfnt, or the
 * bare CFF table of a CFF face); gid[k] (n + 1 entries, gid[0] = 0)
 * receives the glyph of cp[k-1] in it (0 when the face lacks it).  For
 * tests.  Returns 0, or -1 when the file is not a usable font.
 */
int         fonts_subset_file(const char *path, int index, const uint32_t *cp,
    size_t n, uint16_t *gid, buf_t *out);

/*
 * Closes the font files and fontconfig state kept between documents
 * (fonts_open).  Call once no document is being rendered, e.g. at exit.
 */
void        fonts_release(void);

#endif
