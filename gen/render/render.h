/*
 * render.h - the backends: one document model (doc.h) in, the bytes of one
 * file out.  Backends never write files (publish.c does, atomically) and
 * never compute a number (score.c does); they only lay out the model.
 */
#ifndef TB_RENDER_H
#define TB_RENDER_H

#include "doc.h"
#include "diag.h"
#include "util.h"

#include <stdbool.h>

/*
 * The PDF official document (GB/T 9704-2012 page, PDF/A-1b).  fonts_dir
 * holds fonts/fonts.conf-like settings of the PDF backend (see fonts/README)
 * and templates_dir anything else it needs.  Appends the PDF bytes to *out.
 * Returns 0, or -1 after adding an error to dl.  Same doc, same bytes.
 */
int render_pdf(const doc_t *doc, const char *fonts_dir, buf_t *out,
    diag_list_t *dl);

/*
 * Several documents in one PDF, for printing (the units' statements in
 * units.pdf): each starts on an odd page (a blank unnumbered page is put
 * before it when needed) and numbers its pages from 1, as each is handed
 * out on its own; each gets a bookmark and page labels that restart with
 * it.  Fonts are loaded once for the file.  Document information: the
 * first document's author; the latest date; as title (and subject) the
 * common beginning of the titles (…考评结果明细 of "…考评结果明细（武汉市
 * 司法局）" …) or, when they have none, the first title.  With n == 1 this
 * is render_pdf().  Returns 0, or -1 after adding an error to dl.
 */
int render_pdf_docs(const doc_t *const *docs, size_t n, const char *fonts_dir,
    buf_t *out, diag_list_t *dl);

/*
 * Closes the font files the PDF backend keeps open between documents (any
 * thread may render meanwhile; none may when this is called).  At exit.
 */
void render_pdf_release(void);

/*
 * The portal page: a self-contained HTML5 document (*page), the body-only
 * fragment (*fragment, for a CMS template: a <link> to the stylesheet
 * tongbao.css, then the notice's <article>) and that stylesheet (*css, to
 * be published as tongbao.css beside the fragment), from templates in
 * templates_dir.  Any of the three may be NULL.  Every value is escaped.
 * Returns 0, or -1 after adding an error to dl.
 */
typedef struct html_file {
	const char *name;     /* as published beside the page: tongbao.pdf,
	                       * units/wuhan.pdf */
	size_t      size;     /* its bytes */
	bool        offer;    /* listed among the page's downloads */
} html_file_t;

typedef struct html_links {
	/* the files published with the page: the page links only to these
	 * (and within itself); a unit's row links units/ID.pdf when it is
	 * one of them */
	const html_file_t *files;
	size_t             nfiles;
	/* NULL: links relative to the page's folder; else that folder's
	 * absolute URL, ending in '/' (render_html does not check it) */
	const char        *base_url;
} html_links_t;

int render_html_links(const doc_t *doc, const char *templates_dir,
    const html_links_t *links, buf_t *page, buf_t *fragment, buf_t *css,
    diag_list_t *dl);

/* The same without published files to link to, nor the stylesheet. */
int render_html(const doc_t *doc, const char *templates_dir, buf_t *page,
    buf_t *fragment, diag_list_t *dl);

#endif
