/*
 * hpdfx.h - the few things the PDF backend asks of libharu that its public
 * API does not offer: new objects of a document (dictionaries, arrays,
 * streams) and a page's content and resources.  hpdfx.c is the one file
 * that reaches into libharu's private structures (the document's memory
 * manager and cross-reference table, a page's content stream, a stream's
 * filter); it is written against libharu 2.3.0 and refuses to compile
 * against another version (HPDF_VERSION_ID), so that an upgrade breaks in
 * one place and says so.  Included by the fonts*.c and render_pdf*.c
 * files and their tests; the objects are filled with libharu's
 * HPDF_Dict_* and HPDF_Array_* functions.
 */
#ifndef TB_HPDFX_H
#define TB_HPDFX_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>
#include <hpdf_objects.h>

/* A new, empty dictionary of pdf, written as an indirect object (its own
 * "N 0 obj").  NULL on a libharu error. */
HPDF_Dict  hpdfx_dict(HPDF_Doc pdf);

/* A new, empty direct dictionary or array (written where it is added). */
HPDF_Dict  hpdfx_direct_dict(HPDF_Doc pdf);
HPDF_Array hpdfx_array(HPDF_Doc pdf);

/* A direct array [l b r t]. */
HPDF_Array hpdfx_box(HPDF_Doc pdf, double l, double b, double r, double t);

/* A direct PDF string holding the bytes of s (no text encoding). */
HPDF_String hpdfx_string(HPDF_Doc pdf, const char *s);

/* A direct PDF string of len bytes (binary: written in hex). */
HPDF_Binary hpdfx_binary(HPDF_Doc pdf, const void *data, size_t len);

/* A PDF text string (UTF-16BE with a byte-order mark, as a binary
 * string) of the n code points cp; one past U+10FFFF is written as
 * U+FFFD. */
HPDF_Binary hpdfx_text(HPDF_Doc pdf, const uint32_t *cp, size_t n);

/* A direct boolean. */
HPDF_Boolean hpdfx_bool(HPDF_Doc pdf, int value);

/* A new stream of pdf (an indirect object) holding len bytes of data,
 * Flate-compressed when the document is saved (hpdfx_stream) or written
 * as it is (hpdfx_stream_plain: the XMP packet, which PDF/A-1 wants
 * readable without a filter).  NULL on error. */
HPDF_Dict  hpdfx_stream(HPDF_Doc pdf, const void *data, size_t len);
HPDF_Dict  hpdfx_stream_plain(HPDF_Doc pdf, const void *data, size_t len);

/* The document's catalog, information dictionary (made when there is
 * none) and trailer; NULL on error. */
HPDF_Dict  hpdfx_catalog(HPDF_Doc pdf);
HPDF_Dict  hpdfx_info(HPDF_Doc pdf);
HPDF_Dict  hpdfx_trailer(HPDF_Doc pdf);

/* Writes the file as PDF 1.4 (PDF/A-1's base; libharu says 1.3). */
void       hpdfx_pdf14(HPDF_Doc pdf);

/*
 * The pages: appends len bytes to page's content stream; empties it (a
 * page drawn again); and makes page use the resource dictionary *res (made
 * on the first call, an indirect object with an empty /Font dictionary
 * *fonts, where libharu then adds the fonts a page uses) and inherit the
 * MediaBox w x h from the root of the page tree, in place of the
 * resources and MediaBox libharu gives every page.  0, or -1 on error.
 */
int  hpdfx_page_write(HPDF_Page page, const void *data, size_t len);
void hpdfx_page_wipe(HPDF_Page page);
int  hpdfx_page_share(HPDF_Doc pdf, HPDF_Page page, HPDF_Dict *res,
    HPDF_Dict *fonts, double w, double h);

#endif
