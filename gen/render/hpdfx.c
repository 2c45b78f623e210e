/*
 * hpdfx.c - the adapter to libharu's private structures (see hpdfx.h).
 *
 * libharu stays the document writer (objects, cross-reference table,
 * compression, encryption-free saving), but its public API has no way to
 * add an object of one's own, and the PDF backend writes its own fonts
 * (fonts.c) and page content (pdfpen.c).  Everything here depends on the
 * layout of libharu 2.3.0's structures (struct _HPDF_Doc_Rec's mmgr, xref,
 * root_pages, catalog, info, trailer and pdf_version; a dictionary's stream and filter; a page's attr with its
 * content stream and font resources), which a new version may change
 * without notice: so this file compiles against 2.3.0 only.
 */
#include "hpdfx.h"

#include <stdlib.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#if !defined(HPDF_VERSION_ID) || HPDF_VERSION_ID != 20300
#error "gen/render/hpdfx.c uses libharu 2.3.0's private structures: check each use against this libharu's headers, then the version test here"
#endif

HPDF_Dict
hpdfx_dict(HPDF_Doc pdf)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);

	if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL;     /* HPDF_Xref_Add frees d */
	return d;
}

HPDF_Dict
hpdfx_direct_dict(HPDF_Doc pdf)
{
	return HPDF_Dict_New(pdf->mmgr);
}

HPDF_Array
hpdfx_array(HPDF_Doc pdf)
{
	return HPDF_Array_New(pdf->mmgr);
}

HPDF_Array
hpdfx_box(HPDF_Doc pdf, double l, double b, double r, double t)
{
	HPDF_Box box = {(HPDF_REAL)l, (HPDF_REAL)b, (HPDF_REAL)r, (HPDF_REAL)t};

	return HPDF_Box_Array_New(pdf->mmgr, box);
}

HPDF_String
hpdfx_string(HPDF_Doc pdf, const char *s)
{
	return HPDF_String_New(pdf->mmgr, s, NULL);
}

HPDF_Binary
hpdfx_binary(HPDF_Doc pdf, const void *data, size_t len)
{
	return HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)data, (HPDF_UINT)len);
}

HPDF_Binary
hpdfx_text(HPDF_Doc pdf, const uint32_t *cp, size_t n)
{
	HPDF_BYTE *b = malloc(4 * n + 2);
	HPDF_Binary bin;
	size_t k = 2;

	if (!b)
		return NULL;
	b[0] = 0xFE;
	b[1] = 0xFF;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cp[i] > 0x10FFFF ? 0xFFFD : cp[i];

		if (c >= 0x10000) {
			uint32_t v = c - 0x10000, hi = 0xD800 | (v >> 10);

			b[k++] = (HPDF_BYTE)(hi >> 8);
			b[k++] = (HPDF_BYTE)hi;
			c = 0xDC00 | (v & 0x3FF);
		}
		b[k++] = (HPDF_BYTE)(c >> 8);
		b[k++] = (HPDF_BYTE)c;
	}
	bin = HPDF_Binary_New(pdf->mmgr, b, (HPDF_UINT)k);
	free(b);
	return bin;
}

HPDF_Boolean
hpdfx_bool(HPDF_Doc pdf, int value)
{
	return HPDF_Boolean_New(pdf->mmgr, value ? HPDF_TRUE : HPDF_FALSE);
}

static HPDF_Dict
new_stream(HPDF_Doc pdf, const void *data, size_t len, HPDF_UINT filter)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);

	if (!s)
		return NULL;
	s->filter = filter;
	if (len > 0 && HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) !=
	    HPDF_OK)
		return NULL;     /* s belongs to the xref: freed with pdf */
	return s;
}

HPDF_Dict
hpdfx_stream(HPDF_Doc pdf, const void *data, size_t len)
{
	return new_stream(pdf, data, len, HPDF_STREAM_FILTER_FLATE_DECODE);
}

HPDF_Dict
hpdfx_stream_plain(HPDF_Doc pdf, const void *data, size_t len)
{
	return new_stream(pdf, data, len, HPDF_STREAM_FILTER_NONE);
}

HPDF_Dict
hpdfx_catalog(HPDF_Doc pdf)
{
	return pdf->catalog;
}

HPDF_Dict
hpdfx_info(HPDF_Doc pdf)
{
	if (!pdf->info)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "tongbao");
	return pdf->info;
}

HPDF_Dict
hpdfx_trailer(HPDF_Doc pdf)
{
	return pdf->trailer;
}

void
hpdfx_pdf14(HPDF_Doc pdf)
{
	pdf->pdf_version = HPDF_VER_14;
}

int
hpdfx_page_write(HPDF_Page page, const void *data, size_t len)
{
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;

	return HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)data,
	    (HPDF_UINT)len) == HPDF_OK ? 0 : -1;
}

void
hpdfx_page_wipe(HPDF_Page page)
{
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;

	HPDF_MemStream_FreeData(pa->stream);
	pa->gmode = HPDF_GMODE_PAGE_DESCRIPTION;
}

int
hpdfx_page_share(HPDF_Doc pdf, HPDF_Page page, HPDF_Dict *res,
    HPDF_Dict *fonts, double w, double h)
{
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;

	if (!*res) {
		HPDF_Array mb = hpdfx_box(pdf, 0, 0, w, h);

		if (!mb || HPDF_Dict_Add(pdf->root_pages, "MediaBox", mb) !=
		    HPDF_OK)
			return -1;
		if (!(*res = hpdfx_dict(pdf)))
			return -1;
		*fonts = HPDF_Dict_New(pdf->mmgr);
		if (!*fonts || HPDF_Dict_Add(*res, "Font", *fonts) != HPDF_OK)
			return -1;
	}
	if (HPDF_Dict_GetItem(page, "MediaBox", HPDF_OCLASS_ARRAY))
		HPDF_Dict_RemoveElement(page, "MediaBox");
	if (HPDF_Dict_Add(page, "Resources", *res) != HPDF_OK)
		return -1;
	pa->fonts = *fonts;      /* where libharu adds the page's fonts */
	return 0;
}
