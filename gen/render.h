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

/*
 * The PDF official document (GB/T 9704-2012 page, PDF/A-1b).  fonts_dir
 * holds fonts/fonts.conf-like settings of the PDF backend (see fonts/README)
 * and templates_dir anything else it needs.  Appends the PDF bytes to *out.
 * Returns 0, or -1 after adding an error to dl.  Same doc, same bytes.
 */
int render_pdf(const doc_t *doc, const char *fonts_dir, buf_t *out,
    diag_list_t *dl);

/*
 * The portal page: a self-contained HTML5 document (*page) and the body-only
 * fragment (*fragment) from templates in templates_dir.  Every value is
 * escaped.  Returns 0, or -1 after adding an error to dl.
 */
int render_html(const doc_t *doc, const char *templates_dir, buf_t *page,
    buf_t *fragment, diag_list_t *dl);

#endif
