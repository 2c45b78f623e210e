/*
 * pdftag.h - the structure tree of a tagged PDF (PDF 1.4, 10.6): the
 * logical structure of the document (Document, H1, P, Table, TR, TD ...)
 * as the PDF backend builds it while it paints, and its objects written
 * into the file at the end (StructTreeRoot, one dictionary per element,
 * the ParentTree, /StructParents on each page, MarkInfo and /Lang in the
 * catalog).  The painter marks each piece of content with an MCID
 * (pdfpen.h pen_mark) that tag_mcid() hands out; this module knows
 * nothing of content streams.  Included by the render_pdf*.c files and
 * their tests.
 */
#ifndef TB_PDFTAG_H
#define TB_PDFTAG_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

/* A child of an element: another element, or a marked-content sequence
 * (an MCID on a page of the file). */
typedef struct tag_kid {
	int elem;            /* >= 0: the child element; -1: an MCID */
	int page, mcid;
} tag_kid_t;

typedef struct tag_elem {
	const char *type;    /* the structure type ("P"): a string that lives
	                        as long as the tree (a literal) */
	int         parent;  /* -1 for the root */
	char       *alt;     /* /Alt (UTF-8), or NULL */
	const char *scope;   /* TH's /Scope ("Column"), or NULL */
	tag_kid_t  *kids;    /* in reading order */
	size_t      nkids, cap;
} tag_elem_t;

typedef struct tagtree {
	tag_elem_t *e;
	size_t      n, cap;
	int        *next_mcid;   /* per page: the next MCID to hand out */
	size_t      npages;
} tagtree_t;

/* What tag_save() keeps: the tree as it was, to go back to. */
typedef struct tag_state {
	size_t  n;
	size_t *nkids;
} tag_state_t;

void tag_init(tagtree_t *t);
void tag_free(tagtree_t *t);

/* A new element of the given type, the last child of parent (-1: the
 * root, which must come first and only once).  Returns its index. */
int  tag_add(tagtree_t *t, int parent, const char *type);

/* A new marked-content sequence of element e on page (0-based index of
 * the page in the file): its MCID, the next one of that page, appended to
 * e's children. */
int  tag_mcid(tagtree_t *t, int e, int page);

void tag_set_alt(tagtree_t *t, int e, const char *alt);
void tag_set_scope(tagtree_t *t, int e, const char *scope);

/*
 * tag_save() keeps the tree as it is now; tag_rewind() goes back to it
 * (the elements added since dropped, every element's children as they
 * were) and starts the MCIDs of pages >= first_page from 0 again: the
 * painter sets a document again on the same pages (render_pdf.c
 * render_doc).  tag_rewind() frees *s; tag_state_free() frees one not
 * used.
 */
tag_state_t tag_save(const tagtree_t *t);
void tag_rewind(tagtree_t *t, tag_state_t *s, int first_page);
void tag_state_free(tag_state_t *s);

/*
 * Writes the tree into pdf, whose pages are pages[0..npages): the
 * elements, the StructTreeRoot with its ParentTree (one array of parents
 * per page, keyed by the page's /StructParents, its index) and RoleMap
 * (rolemap: pairs of names, the project's own type and the standard type
 * it stands for, ending with NULL), and in the catalog /MarkInfo
 * <</Marked true>> and /Lang lang.  Returns 0, or -1 on a libharu error.
 */
int  tag_write(const tagtree_t *t, HPDF_Doc pdf, const HPDF_Page *pages,
    int npages, const char *lang, const char *const *rolemap);

#endif
