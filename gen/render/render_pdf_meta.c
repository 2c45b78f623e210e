/*
 * render_pdf_meta.c - what the PDF backend writes of the file as a whole
 * (render_pdf_int.h): the document information and the XMP packet, the
 * PDF/A output intent, the document's identity and the file saved with
 * its /ID and InstanceID, the bookmarks and page labels of a file of
 * several documents, and the structure tree's objects (pdftag.c) with
 * /Lang, MarkInfo and DisplayDocTitle.
 *
 * The output is reproducible: no clock is read (the file is dated
 * doc->created, which main.c takes from the inputs), the XMP DocumentID
 * and the first /ID are a digest of what the document is, and the
 * InstanceID and second /ID an MD5 of the file's own bytes.  For PDF/A-1b
 * the XMP packet is written here rather than by
 * HPDF_PDFA_SetPDFAConformance (libharu 2.3.0 does not escape it, writes
 * /SubType, and fails on 'Z' dates), the output intent's key that libharu
 * misspells ("DestOutputProfile ") is corrected, and fonts.c writes the
 * fonts (HarfBuzz subsets, with the CIDSet PDF/A-1 asks of them).
 */
#define _GNU_SOURCE   /* memmem */
#include "render_pdf_int.h"
#include "hpdfx.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>   /* HPDF_MD5*: exported, declared here only */

#define ICC_PATH      "/usr/share/color/icc/ghostscript/srgb.icc"
/* The project's own structure types and the standard ones they stand for
 * (the StructTreeRoot's RoleMap): the parts of an official document that
 * PDF has no name for.  The title is the document's one H1, so headings
 * of level 1 to 3 are H2 to H4. */
static const char *const ROLEMAP[] = {
	"Masthead", "Sect",      /* 版头 */
	"Issuer", "P",           /* 发文机关标志 */
	"DocNumber", "P",        /* 发文字号 */
	"Title", "H1",           /* 标题 */
	"Recipients", "P",       /* 主送机关 */
	"Signature", "P",        /* 发文机关署名 */
	"Date", "P",             /* 成文日期 */
	"Record", "Sect",        /* 版记 */
	NULL,
};

/* ---- document information, PDF/A, output ---------------------------------- */

/* A PDF text string of UTF-8 s (hpdfx_text). */
static HPDF_Binary
pdf_text(HPDF_Doc pdf, const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp);
	HPDF_Binary bin = hpdfx_text(pdf, cp, n);

	free(cp);
	return bin;
}

/* XML-escapes s (UTF-8) for the XMP packet; control characters become
 * spaces (XML 1.0 cannot hold them). */
static void
xml_escaped(buf_t *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			buf_puts(b, "&lt;");
		else if (c == '>')
			buf_puts(b, "&gt;");
		else if (c == '&')
			buf_puts(b, "&amp;");
		else if (c == '"')
			buf_puts(b, "&quot;");
		else if (c < 0x20 && c != '\t' && c != '\n')
			buf_putc(b, ' ');
		else
			buf_putc(b, (char)c);
	}
}

/* The info and XMP value of s: valid UTF-8 (invalid bytes as U+FFFD). */
static char *
clean_utf8(const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp), k = 0;
	char *out = xmalloc(4 * n + 1);

	for (size_t i = 0; i < n; i++)
		k += utf8_put(out + k, cp[i]);
	out[k] = '\0';
	free(cp);
	return out;
}

/* RFC 4122 shape (version 3: name-based, MD5) of a 16-byte digest. */
static void
uuid_text(const HPDF_BYTE digest[16], char out[42])
{
	HPDF_BYTE u[16];
	int k = 0;

	memcpy(u, digest, 16);
	u[6] = (HPDF_BYTE)((u[6] & 0x0F) | 0x30);
	u[8] = (HPDF_BYTE)((u[8] & 0x3F) | 0x80);
	k += snprintf(out + k, 6, "uuid:");
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		k += snprintf(out + k, 3, "%02x", u[i]);
	}
}

/* The XMP InstanceID before rp_save() knows the file's digest: 36 zeros
 * that stand where the UUID goes. */
#define INSTANCE_PLACEHOLDER "uuid:00000000-0000-0000-0000-000000000000"

/*
 * The document's identity, the same for every version of it (a re-run
 * with corrected data, the number filled in): the MD5 of its author, the
 * file's title and whether it is a collection.  The XMP DocumentID is its
 * UUID, and the first element of the trailer /ID (PDF 1.4 14.4: the
 * permanent identifier); the InstanceID and the second element are the
 * digest of the file's own bytes (rp_save()).
 */
void
rp_doc_identity(const char *author, const char *title, size_t ndocs,
    HPDF_BYTE digest[16])
{
	HPDF_MD5_CTX md5;
	char kind[32];

	snprintf(kind, sizeof kind, "\n%zu", ndocs > 1 ? (size_t)2 : (size_t)1);
	HPDF_MD5Init(&md5);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)"tongbao\n", 8);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)author,
	    (HPDF_UINT32)strlen(author));
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)"\n", 1);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)title,
	    (HPDF_UINT32)strlen(title));
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)kind, (HPDF_UINT32)strlen(kind));
	HPDF_MD5Final(digest, &md5);
}

/*
 * The document information and XMP of the file: d's, with the given title
 * and subject, dated `created` (CreationDate and ModDate, UTC+8), and
 * identified by r->identity (DocumentID) and a placeholder InstanceID that
 * rp_save() fills in.
 */
int
rp_set_metadata(rd_t *r, const doc_t *d, const char *title_in,
    const char *subject_in, long long created)
{
	HPDF_Doc pdf = r->pdf;
	time_t t = (time_t)(created + 8 * 3600);   /* UTC+8 */
	struct tm tm;
	HPDF_Date date;
	char xdate[96], docid[42];
	const char *producer;
	char *title = clean_utf8(title_in), *author = clean_utf8(d->author),
	    *subject = clean_utf8(subject_in);
	buf_t x;
	HPDF_Dict meta, info;
	int rc = 0;

	buf_init(&x);
	gmtime_r(&t, &tm);
	memset(&date, 0, sizeof date);
	date.year = tm.tm_year + 1900;
	date.month = tm.tm_mon + 1;
	date.day = tm.tm_mday;
	date.hour = tm.tm_hour;
	date.minutes = tm.tm_min;
	date.seconds = tm.tm_sec;
	date.ind = '+';
	date.off_hour = 8;
	date.off_minutes = 0;
	snprintf(xdate, sizeof xdate, "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
	    date.year, date.month, date.day, date.hour, date.minutes,
	    date.seconds);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "tongbao");
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);
	if (!producer)
		producer = "";
	if (!(info = hpdfx_info(pdf)))
		goto fail;
	HPDF_Dict_Add(info, "Title", pdf_text(pdf, title));
	HPDF_Dict_Add(info, "Author", pdf_text(pdf, author));
	HPDF_Dict_Add(info, "Subject", pdf_text(pdf, subject));

	buf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<dc:format>application/pdf</dc:format>\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escaped(&x, title);
	buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n"
	    "<dc:creator><rdf:Seq><rdf:li>");
	xml_escaped(&x, author);
	buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n"
	    "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_escaped(&x, subject);
	buf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	buf_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n"
	    "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
	    "<xmp:CreatorTool>tongbao</xmp:CreatorTool>\n</rdf:Description>\n",
	    xdate, xdate);
	uuid_text(r->identity, docid);
	buf_printf(&x, "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n"
	    "<xmpMM:DocumentID>%s</xmpMM:DocumentID>\n"
	    "<xmpMM:InstanceID>%s</xmpMM:InstanceID>\n</rdf:Description>\n",
	    docid, INSTANCE_PLACEHOLDER);
	buf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
	    "<pdf:Producer>");
	xml_escaped(&x, producer);
	buf_puts(&x, "</pdf:Producer>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>");
	meta = hpdfx_stream_plain(pdf, x.data, x.len);
	if (!meta)
		goto fail;
	HPDF_Dict_AddName(meta, "Type", "Metadata");
	HPDF_Dict_AddName(meta, "Subtype", "XML");
	HPDF_Dict_Add(hpdfx_catalog(pdf), "Metadata", meta);
	hpdfx_pdf14(pdf);
	if (!rp_hpdf_failed(r, "writing the document information"))
		goto done;
fail:
	rp_hpdf_failed(r, "writing the document information");
	rc = -1;
done:
	buf_free(&x);
	free(title);
	free(author);
	free(subject);
	return rc;
}

/*
 * The sRGB output intent of PDF/A.  Without the profile the PDF is still
 * written, with a warning that it is not PDF/A.
 */
int
rp_set_output_intent(rd_t *r)
{
	char *icc = NULL;
	size_t len = 0;
	HPDF_Dict prof, intent;
	HPDF_Array intents;

	if (read_file(ICC_PATH, &icc, &len) != 0) {
		diag_warning(r->dl, ICC_PATH, 0, "cannot read the sRGB profile"
		    " (Debian package libgs-common): the PDF is not PDF/A");
		return 0;
	}
	prof = hpdfx_stream(r->pdf, icc, len);
	if (prof) {
		HPDF_Dict_AddNumber(prof, "N", 3);
		HPDF_PDFA_AppendOutputIntents(r->pdf, "sRGB IEC61966-2.1", prof);
		/* libharu 2.3.0 writes the key with a trailing space */
		intents = HPDF_Dict_GetItem(hpdfx_catalog(r->pdf), "OutputIntents",
		    HPDF_OCLASS_ARRAY);
		intent = intents ? HPDF_Array_GetItem(intents, 0,
		    HPDF_OCLASS_DICT) : NULL;
		if (intent && HPDF_Dict_GetItem(intent, "DestOutputProfile ",
		    HPDF_OCLASS_DICT)) {
			HPDF_Dict_RemoveElement(intent, "DestOutputProfile ");
			HPDF_Dict_Add(intent, "DestOutputProfile", prof);
		}
	}
	free(icc);
	return rp_hpdf_failed(r, "adding the output intent") ? -1 : 0;
}

/*
 * Saves the document into out: the trailer /ID is [identity digest], the
 * second element and the XMP InstanceID the MD5 of the file itself as
 * written with their placeholders, so the same document gives the same
 * bytes and another version of it another InstanceID.  Returns 0 or -1.
 */
int
rp_save(rd_t *r, buf_t *out)
{
	static const HPDF_BYTE zero[16];
	static const char zhex[] = "<00000000000000000000000000000000>";
	HPDF_Array id = hpdfx_array(r->pdf);
	HPDF_BYTE digest[16], chunk[65536];
	HPDF_MD5_CTX md5;
	size_t base = out->len, plen = strlen(INSTANCE_PLACEHOLDER);
	char *p, *inst, hex[33], uuid[42];
	int found = 0;

	if (!id)
		return rp_hpdf_failed(r, "saving"), -1;
	HPDF_Array_Add(id, hpdfx_binary(r->pdf, r->identity, 16));
	HPDF_Array_Add(id, hpdfx_binary(r->pdf, zero, 16));
	HPDF_Dict_Add(hpdfx_trailer(r->pdf), "ID", id);
	if (HPDF_SaveToStream(r->pdf) != HPDF_OK || rp_hpdf_failed(r, "saving"))
		return -1;
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(r->pdf, chunk, &n);

		buf_add(out, chunk, n);
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK) {
			rp_hpdf_failed(r, "reading the PDF back");
			return -1;
		}
	}
	HPDF_ResetError(r->pdf);
	HPDF_MD5Init(&md5);
	HPDF_MD5Update(&md5, (const HPDF_BYTE *)out->data + base,
	    (HPDF_UINT32)(out->len - base));
	HPDF_MD5Final(digest, &md5);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02X", digest[i]);
	uuid_text(digest, uuid);
	/* the /ID placeholder is in the trailer, after the last "/ID" */
	for (p = out->data + out->len; p > out->data + base; p--)
		if (strncmp(p - 1, "/ID", 3) == 0)
			break;
	while (p && (p = strstr(p, zhex)) != NULL) {
		memcpy(p + 1, hex, 32);
		found++;
	}
	/* the XMP packet is written uncompressed (PDF/A-1 6.7.2), once */
	inst = memmem(out->data + base, out->len - base, INSTANCE_PLACEHOLDER,
	    plen);
	if (found != 1 || inst == NULL || memmem(inst + 1, (size_t)(out->data +
	    out->len - inst - 1), INSTANCE_PLACEHOLDER, plen) != NULL) {
		diag_error(r->dl, NULL, 0, "PDF: cannot set the file identifier");
		return -1;
	}
	memcpy(inst, uuid, plen);
	return 0;
}

/*
 * The title of a file of several documents: the longest common beginning
 * of their titles ("2017年第一季度政务信息考评结果明细" of "…明细（武汉市
 * 司法局）", "…明细（黄石市司法局）" …) without trailing brackets,
 * punctuation or spaces, when it has at least four characters; else the
 * first document's title.  Newly allocated.
 */
char *
rp_common_title(const doc_t *const *docs, size_t n)
{
	const char *t0 = docs[0]->title ? docs[0]->title : "";
	size_t len = strlen(t0), k = 0;
	uint32_t *cp = NULL;
	char *out;

	for (size_t i = 1; i < n; i++) {
		const char *t = docs[i]->title ? docs[i]->title : "";
		size_t j = 0;

		while (j < len && t[j] == t0[j])
			j++;
		len = j;
	}
	while (len > 0 && ((unsigned char)t0[len] & 0xC0) == 0x80)
		len--;                         /* a whole character */
	out = xmalloc(len + 1);
	memcpy(out, t0, len);
	out[len] = '\0';
	n = layout_decode(out, &cp);
	while (n > 0 && (cp[n - 1] == ' ' || cp[n - 1] == 0x3000 ||
	    cp[n - 1] == 0xFF08 || cp[n - 1] == '(' || cp[n - 1] == 0x3010 ||
	    cp[n - 1] == 0x300A || cp[n - 1] == 0xFF1A || cp[n - 1] == ':' ||
	    cp[n - 1] == 0x2014 || cp[n - 1] == '-' || cp[n - 1] == 0x3001 ||
	    cp[n - 1] == 0xFF0C))
		n--;
	for (size_t i = 0; i < n; i++)
		k += utf8_put(out + k, cp[i]);
	out[k] = '\0';
	free(cp);
	if (n < 4) {
		free(out);
		out = xstrdup(t0);
	}
	return out;
}

/* The pages of the file, in order (the caller frees the array). */
static HPDF_Page *
page_list(rd_t *r)
{
	HPDF_Page *pages = xcalloc((size_t)r->npages + 1, sizeof *pages);

	for (int i = 0; i < r->npages; i++)
		pages[i] = HPDF_GetPageByIndex(r->pdf, (HPDF_UINT)i);
	return pages;
}

/*
 * Bookmarks and page labels of a file of several documents: one bookmark
 * per document (its title) on its first page, and page labels restarting
 * at 1 with each document as its printed numbers do.
 */
int
rp_add_outline(rd_t *r, const doc_t *const *docs, size_t n, const int *firsts)
{
	HPDF_Page *pages = page_list(r);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		HPDF_Outline o = HPDF_CreateOutline(r->pdf, NULL, "-", NULL);
		/* the destination [page /Fit] a direct array in the item:
		 * libharu's HPDF_Page_CreateDestination makes it an indirect
		 * object, which PDFBox Preflight refuses (1.2.3 "can't convert
		 * to Destination") */
		HPDF_Array dst = o && pages[firsts[i]] ?
		    hpdfx_array(r->pdf) : NULL;
		char *t = clean_utf8(docs[i]->title);

		if (!dst || HPDF_Array_Add(dst, pages[firsts[i]]) != HPDF_OK ||
		    HPDF_Array_AddName(dst, "Fit") != HPDF_OK ||
		    HPDF_Dict_Add(o, "Dest", dst) != HPDF_OK ||
		    HPDF_Dict_Add(o, "Title", pdf_text(r->pdf, t)) != HPDF_OK ||
		    HPDF_AddPageLabel(r->pdf, (HPDF_UINT)firsts[i],
		    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL) != HPDF_OK)
			rc = -1;
		/* an item has no /Type (libharu writes /Outlines, the type
		 * of the outline's root) */
		if (o && HPDF_Dict_GetItem(o, "Type", HPDF_OCLASS_NAME))
			HPDF_Dict_RemoveElement(o, "Type");
		free(t);
	}
	free(pages);
	return rc == 0 && !rp_hpdf_failed(r, "adding bookmarks") ? 0 : -1;
}

/*
 * The structure tree (pdftag.c) with /Lang zh-CN and MarkInfo, and the
 * viewer's window titled with the document's title rather than the file
 * name (DisplayDocTitle, as accessibility checkers ask of a tagged file).
 */
int
rp_set_structure(rd_t *r)
{
	HPDF_Page *pages = page_list(r);
	HPDF_Dict vp = hpdfx_direct_dict(r->pdf);
	int rc = tag_write(&r->tags, r->pdf, pages, r->npages, "zh-CN", ROLEMAP);

	if (rc == 0 && (!vp || HPDF_Dict_Add(vp, "DisplayDocTitle",
	    hpdfx_bool(r->pdf, 1)) != HPDF_OK ||
	    HPDF_Dict_Add(hpdfx_catalog(r->pdf), "ViewerPreferences", vp) !=
	    HPDF_OK))
		rc = -1;
	free(pages);
	if (rc != 0)
		rp_hpdf_fail(r, "writing the structure tree");
	return rc;
}
