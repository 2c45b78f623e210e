/*
 * xlsxread.c - the first sheet of an .xlsx workbook as raw records (see
 * xlsxread.h).  An .xlsx is a zip archive of XML parts (ECMA-376):
 *
 *   xl/workbook.xml             the sheets in order; workbookPr date1904
 *   xl/_rels/workbook.xml.rels  where each sheet's part is
 *   xl/styles.xml               cellXfs: the number format of each style,
 *                               which says whether a number cell is a date
 *   xl/sharedStrings.xml        the strings cells refer to by index
 *   xl/worksheets/sheetN.xml    <row r="17"><c r="G17" s="3" t="s"><v>…
 *
 * Every part is streamed from libzip's inflater (xlsxread_zip.c), never
 * loaded whole: the small ones with xmlReader (here), the shared strings
 * and the sheet with the SAX2 push parser under it (xlsxread_sax.c: no
 * node built per element; the inflater on a thread, the sheet's rows read
 * on the caller's beside the parser, xlsxread_sheet.c); only the shared
 * strings are kept (in one arena).  XML is parsed as xmlread.c parses it:
 * no network, no entity substitution, no DTD (an Excel part never has a
 * DOCTYPE, so one is refused), libxml2's size limits kept.
 *
 * This file: the entry point, and the small parts read before the sheet
 * (the workbook, its relations, the styles).  xlsxread_int.h is the
 * reader's own header.
 */
#include "xlsxread.h"
#include "xlsxread_int.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

void
xr_error(struct xl *x, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(x->dl, DIAG_ERROR, x->file, line, fmt, ap);
	va_end(ap);
	x->failed = 1;
}

/* ---- reading parts ------------------------------------------------------------ */

static bool
is(xmlTextReaderPtr r, int type, const char *local)
{
	return xmlTextReaderNodeType(r) == type &&
	    strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

#define START(r, n) is((r), XML_READER_TYPE_ELEMENT, (n))
#define END(r, n)   is((r), XML_READER_TYPE_END_ELEMENT, (n))

/* Attribute `name` (no namespace) as a new string, or NULL. */
static char *
attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s = v != NULL ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

/* Steps the reader; a DOCTYPE (which no Excel part has) is refused. */
static int
step(struct xl *x, xmlTextReaderPtr r, const struct part *p)
{
	int rc = xmlTextReaderRead(r);

	if (rc == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
		xr_error(x, 0, "refused: %s has a DOCTYPE, which no workbook Excel "
		    "writes has", p->name);
		return -2;
	}
	return rc;
}

/* "worksheets/sheet1.xml" of r:id `rid`, from the workbook's relations;
 * caller frees.  NULL after reporting. */
static char *
sheet_target(struct xl *x, const char *rid)
{
	struct part p;
	xmlTextReaderPtr r = xr_open_part(x, "xl/_rels/workbook.xml.rels", true, &p);
	char *target = NULL;
	int rc = 1;

	while (r != NULL && target == NULL && (rc = step(x, r, &p)) == 1) {
		char *id;

		if (!START(r, "Relationship"))
			continue;
		id = attr(r, "Id");
		if (id != NULL && strcmp(id, rid) == 0)
			target = attr(r, "Target");
		free(id);
	}
	xr_close_part(x, r, &p, rc);
	if (target == NULL && !x->failed)
		xr_error(x, 0, "the workbook is damaged: its first sheet (%s) has "
		    "no part", rid);
	if (target != NULL) {
		/* relative to xl/, or absolute from the archive's root */
		char *path = target[0] == '/' ? xstrdup(target + 1) :
		    xasprintf("xl/%s", target);

		free(target);
		target = path;
	}
	return target;
}

/* The first sheet's part name and the date system, from xl/workbook.xml. */
static char *
first_sheet(struct xl *x)
{
	struct part p;
	xmlTextReaderPtr r = xr_open_part(x, "xl/workbook.xml", true, &p);
	char *rid = NULL, *sheet = NULL;
	int rc = 1;

	while (r != NULL && rid == NULL && (rc = step(x, r, &p)) == 1) {
		if (START(r, "workbookPr")) {
			char *d = attr(r, "date1904");

			x->date1904 = d != NULL && (strcmp(d, "1") == 0 ||
			    strcmp(d, "true") == 0);
			free(d);
		} else if (START(r, "sheet")) {
			xmlChar *v = xmlTextReaderGetAttributeNs(r,
			    (const xmlChar *)"id", (const xmlChar *)NS_REL);

			rid = xstrdup(v != NULL ? (const char *)v : "");
			xmlFree(v);
		}
	}
	xr_close_part(x, r, &p, rc);
	if (x->failed)
		goto done;
	if (rid == NULL || rid[0] == '\0') {
		xr_error(x, 0, "the workbook has no sheet");
		goto done;
	}
	sheet = sheet_target(x, rid);
done:
	free(rid);
	return sheet;
}

/* Does an Excel number format show a date or time?  Built-in ids 14-22
 * and 45-47, and the East Asian ones 27-36 and 50-58 (年月日 forms of a
 * Chinese Excel); a custom code when, outside quoted text, escapes and
 * [colour] sections, it has a y, m, d, h or s. */
static bool
date_format(long id, const char *code)
{
	bool quoted = false;

	if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) ||
	    (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
		return true;
	if (code == NULL)
		return false;
	for (const char *s = code; *s != '\0'; s++) {
		if (*s == '"') {
			quoted = !quoted;
		} else if (quoted) {
			continue;
		} else if (*s == '\\' && s[1] != '\0') {
			s++;
		} else if (*s == '[') {
			const char *e = strchr(s, ']');
			if (e == NULL)
				break;
			s = e;
		} else if (strchr("ymdhsYMDHS", *s) != NULL) {
			return true;
		}
	}
	return false;
}

/* Which cell styles (cellXfs) are dates, from xl/styles.xml (optional:
 * without it no cell is a date). */
static void
read_styles(struct xl *x)
{
	struct part p;
	xmlTextReaderPtr r = xr_open_part(x, "xl/styles.xml", false, &p);
	struct fmt { long id; char *code; } *fmts = NULL;
	size_t nfmts = 0, capfmts = 0, capxf = 0;
	bool in_xfs = false;
	int rc = 1;

	while (r != NULL && (rc = step(x, r, &p)) == 1) {
		if (START(r, "numFmt")) {
			char *id = attr(r, "numFmtId");

			xgrow(&fmts, &capfmts, nfmts + 1, sizeof *fmts);
			fmts[nfmts].id = id != NULL ? strtol(id, NULL, 10) : -1;
			fmts[nfmts++].code = attr(r, "formatCode");
			free(id);
		} else if (START(r, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(r);
		} else if (END(r, "cellXfs")) {
			in_xfs = false;
		} else if (in_xfs && START(r, "xf")) {
			char *id = attr(r, "numFmtId");
			long n = id != NULL ? strtol(id, NULL, 10) : 0;
			const char *code = NULL;

			for (size_t i = 0; i < nfmts; i++)
				if (fmts[i].id == n)
					code = fmts[i].code;
			xgrow(&x->datexf, &capxf, x->nxf + 1, 1);
			x->datexf[x->nxf++] = date_format(n, code);
			free(id);
		}
	}
	xr_close_part(x, r, &p, rc);
	for (size_t i = 0; i < nfmts; i++)
		free(fmts[i].code);
	free(fmts);
}

int
xlsx_stream_records(const char *file, const rec_sink_t *sink, diag_list_t *dl)
{
	struct xl x;
	char *sheet = NULL;

	memset(&x, 0, sizeof x);
	x.file = file;
	x.dl = dl;
	if (xr_open_zip(&x) != 0)
		return -1;
	sheet = first_sheet(&x);
	if (!x.failed)
		read_styles(&x);
	if (!x.failed)
		xr_read_shared_strings(&x);
	if (!x.failed)
		xr_read_sheet(&x, sheet, sink);
	free(sheet);
	free(x.datexf);
	free(x.sst);
	arena_free(&x.strings);
	zip_discard(x.zip);
	return x.failed ? -1 : 0;
}
