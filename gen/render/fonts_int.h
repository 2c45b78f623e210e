/*
 * fonts_int.h - the PDF fonts' own header: only fonts.c, fonts_face.c and
 * fonts_pdf.c include it; the rest of the program sees fonts.h.  A face of
 * the process (src_t), a face as a document's font list names it
 * (face_t), a document's fonts (struct tb_fonts), and what the files
 * share:
 *   fonts.c       the roles of a document: fonts.conf read, the face of
 *                 each character chosen, the code it is shown with
 *   fonts_face.c  the faces of the process: font files opened by
 *                 HarfBuzz, the CFF charset read, fontconfig asked, all
 *                 kept until fonts_release() under fonts_cache_lock
 *   fonts_pdf.c   the subsets (hb-subset) and the PDF objects of each
 *                 font: CIDFont, widths, descriptor, CIDSet, ToUnicode
 */
#ifndef TB_FONTS_INT_H
#define TB_FONTS_INT_H

#include "fonts.h"
#include "util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hb.h>
#include <hpdf.h>

enum kind { K_TRUETYPE, K_CFF_CID, K_CFF_NAME };

#define WHY_LEN 96

/*
 * One face of one font file, opened once per process (fonts_src_get) and then
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

/* fonts_face.c: the faces of the process and fontconfig's answers are
 * kept under this lock (HarfBuzz's objects are immutable once made) */
extern pthread_mutex_t fonts_cache_lock;

/* font units to 1/1000 em, rounded */
int     fonts_per_mille(long v, unsigned upem);

/* A face opened into s (s->path and s->index set): 0, or -1 with s->why
 * set; fonts_src_close() frees what it holds, not s. */
int     fonts_src_open(src_t *s);
void    fonts_src_close(src_t *s);

/* The process's face (opened on first use, never NULL: look at its
 * state), and fontconfig's file of a family pattern (*path new or NULL);
 * both with fonts_cache_lock held. */
src_t  *fonts_src_get(const char *path, int index);
void    fonts_fc_ask(const char *pattern, char **path, int *index);

/* Whether s draws cp with a real glyph: *gid and *width (1/1000 em). */
bool    fonts_src_glyph(const src_t *s, uint32_t cp, hb_codepoint_t *gid,
    int *width);

#endif
