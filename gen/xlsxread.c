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
 * Every part is streamed with xmlReader from libzip's inflater, never
 * loaded whole; only the shared strings are kept (in one arena).  XML is
 * parsed as xmlread.c parses it: no network, no entity substitution, no
 * DTD (an Excel part never has a DOCTYPE, so one is refused), libxml2's
 * size limits kept.
 *
 * Sizes are checked before a part is inflated and again while it is: a
 * part declared larger than PART_MAX, or inflating more than RATIO_MAX
 * times its compressed size once past RATIO_FROM, is a zip bomb.  A
 * 10^6-row sheet is about 400 MB of XML at a ratio near 10.
 */
#include "xlsxread.h"
#include "table.h"
#include "tbtime.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define PART_MAX   ((zip_uint64_t)4 << 30)      /* 4 GiB of XML */
#define RATIO_FROM ((zip_uint64_t)64 << 20)     /* parts above 64 MB ... */
#define RATIO_MAX  200                          /* ... inflate at most 200x */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

struct xl {
	const char   *file;
	diag_list_t  *dl;
	zip_t        *zip;
	bool          date1904;
	unsigned char *datexf;      /* per cellXfs index: a date format? */
	size_t        nxf;
	char        **sst;          /* the shared strings */
	size_t        nsst, capsst;
	arena_t       strings;
	int           failed;
};

/* One part being inflated: what xmlReader reads from. */
struct part {
	struct xl    *x;
	const char   *name;
	zip_file_t   *zf;
	zip_uint64_t  declared, got;
	bool          bomb, ioerr;
	char          why[160];     /* libxml2's first complaint, one line */
	long          why_line;
};

static void xerror(struct xl *x, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
xerror(struct xl *x, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(x->dl, DIAG_ERROR, x->file, line, fmt, ap);
	va_end(ap);
	x->failed = 1;
}

/* ---- the archive ------------------------------------------------------------- */

/* What a file that is no zip archive is: an old .xls and an encrypted
 * .xlsx are both OLE2 compound files; the encrypted one holds the stream
 * "EncryptionInfo" (UTF-16) near its start. */
static void
not_a_zip(struct xl *x)
{
	static const char ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o";
	unsigned char head[64 * 1024];
	size_t n = 0;
	input_t in;

	if (input_open(x->file, TB_INPUT_MAX, &in) == 0) {
		ssize_t r = read_full(in.fd, head, sizeof head);

		n = r > 0 ? (size_t)r : 0;
		close(in.fd);
	}
	if (n >= 8 && memcmp(head, ole2, 8) == 0) {
		bool encrypted = false;

		for (size_t i = 0; i + sizeof enc - 1 <= n && !encrypted; i++)
			encrypted = memcmp(head + i, enc, sizeof enc - 1) == 0;
		if (encrypted)
			xerror(x, 0, "the workbook is password-protected: remove "
			    "the password in Excel (File > Info > Protect "
			    "Workbook) and save it again");
		else
			xerror(x, 0, "this is an old Excel .xls file, not an "
			    ".xlsx workbook: open it in Excel and save it as "
			    "\"Excel Workbook (*.xlsx)\"");
		return;
	}
	xerror(x, 0, "not an .xlsx workbook (the file is not a zip archive, "
	    "or it is damaged): save the sheet from Excel as \"Excel Workbook "
	    "(*.xlsx)\"");
}

static int
open_zip(struct xl *x)
{
	int zerr = 0;
	input_t in;

	/* a regular file of at most TB_INPUT_MAX bytes, opened here (a FIFO
	 * would block libzip, a device feed it forever) */
	if (input_open(x->file, TB_INPUT_MAX, &in) != 0) {
		xerror(x, 0, "cannot read the workbook: %s", in.why);
		return -1;
	}
	x->zip = zip_fdopen(in.fd, ZIP_RDONLY, &zerr);
	if (x->zip != NULL)
		return 0;       /* the archive owns the descriptor */
	close(in.fd);
	if (zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS) {
		not_a_zip(x);
	} else if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ) {
		xerror(x, 0, "cannot read the workbook: %s", strerror(errno));
	} else {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerr);
		xerror(x, 0, "cannot open the workbook: %s (the file is damaged; "
		    "save it again from Excel)", zip_error_strerror(&ze));
		zip_error_fini(&ze);
	}
	return -1;
}

static int
part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	zip_int64_t n;

	if (p->bomb || p->ioerr)
		return -1;
	n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		p->ioerr = true;
		return -1;
	}
	p->got += (zip_uint64_t)n;
	if (p->got > p->declared || p->got > PART_MAX) {
		p->bomb = true;         /* it inflates past what it declared */
		return -1;
	}
	return (int)n;
}

static int
part_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2's messages go to the part (never to stderr): the first one says
 * why the XML is broken.  A structured handler, so that no global one
 * (xmlread.h, xml_route_errors) takes them instead. */
#if LIBXML_VERSION >= 21200
static void
part_error(void *arg, const xmlError *e)
#else
static void
part_error(void *arg, xmlErrorPtr e)
#endif
{
	struct part *p = arg;
	char *line;

	if (p->why[0] != '\0' || e == NULL || e->message == NULL)
		return;
	line = one_line(e->message);
	snprintf(p->why, sizeof p->why, "%s", trim(line));
	free(line);
	p->why_line = e->line;
}

/*
 * Opens part `name` for streaming into *p and a reader over it.  NULL when
 * the part is missing (reported when `required`) or refused (reported).
 */
static xmlTextReaderPtr
open_part(struct xl *x, const char *name, bool required, struct part *p)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(x->zip, name, 0);
	xmlTextReaderPtr r;

	memset(p, 0, sizeof *p);
	p->x = x;
	p->name = name;
	if (i < 0) {
		if (required)
			xerror(x, 0, "not an .xlsx workbook Excel wrote: it has no "
			    "%s (the file is damaged, or another kind of zip "
			    "archive)", name);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		xerror(x, 0, "the workbook is damaged: cannot read the size of "
		    "%s", name);
		return NULL;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		xerror(x, 0, "the workbook is password-protected: remove the "
		    "password in Excel and save it again");
		return NULL;
	}
	if (st.size > PART_MAX || (st.size > RATIO_FROM &&
	    st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX)) {
		xerror(x, 0, "refused: %s would inflate from %llu bytes to %llu "
		    "(a zip bomb, or no workbook Excel wrote)", name,
		    (unsigned long long)st.comp_size,
		    (unsigned long long)st.size);
		return NULL;
	}
	p->declared = st.size;
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (p->zf == NULL) {
		xerror(x, 0, "the workbook is damaged: cannot inflate %s (%s)",
		    name, zip_strerror(x->zip));
		return NULL;
	}
	r = xmlReaderForIO(part_read, part_close, p, name, NULL, XML_OPTIONS);
	if (r != NULL)
		xmlTextReaderSetStructuredErrorHandler(r, part_error, p);
	if (r == NULL) {
		zip_fclose(p->zf);
		p->zf = NULL;
		xerror(x, 0, "cannot read %s of the workbook", name);
	}
	return r;
}

/* Closes the reader and the part; reports how the part ended when rc (the
 * last xmlTextReaderRead()) says it ended badly. */
static void
close_part(struct xl *x, xmlTextReaderPtr r, struct part *p, int rc)
{
	if (rc < 0 && !x->failed) {
		if (p->bomb)
			xerror(x, 0, "refused: %s inflates past its declared "
			    "size (a zip bomb, or a damaged workbook)", p->name);
		else if (p->ioerr)
			xerror(x, 0, "the workbook is damaged: %s cannot be "
			    "inflated (%s)", p->name, zip_file_strerror(p->zf));
		else
			xerror(x, 0, "the workbook is damaged: %s is not "
			    "well-formed XML (line %ld: %s)", p->name, p->why_line,
			    p->why[0] ? p->why : "?");
	}
	if (r != NULL)
		xmlFreeTextReader(r);
	if (p->zf != NULL)
		zip_fclose(p->zf);
	p->zf = NULL;
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
		xerror(x, 0, "refused: %s has a DOCTYPE, which no workbook Excel "
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
	xmlTextReaderPtr r = open_part(x, "xl/_rels/workbook.xml.rels", true, &p);
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
	close_part(x, r, &p, rc);
	if (target == NULL && !x->failed)
		xerror(x, 0, "the workbook is damaged: its first sheet (%s) has "
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
	xmlTextReaderPtr r = open_part(x, "xl/workbook.xml", true, &p);
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
	close_part(x, r, &p, rc);
	if (x->failed)
		goto done;
	if (rid == NULL || rid[0] == '\0') {
		xerror(x, 0, "the workbook has no sheet");
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
	xmlTextReaderPtr r = open_part(x, "xl/styles.xml", false, &p);
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
	close_part(x, r, &p, rc);
	for (size_t i = 0; i < nfmts; i++)
		free(fmts[i].code);
	free(fmts);
}

static void item_text(xmlNodePtr n, buf_t *b);

static void
read_shared_strings(struct xl *x)
{
	struct part p;
	xmlTextReaderPtr r = open_part(x, "xl/sharedStrings.xml", false, &p);
	buf_t b;
	int rc = 1;

	buf_init(&b);
	rc = r != NULL ? step(x, r, &p) : 1;
	while (r != NULL && rc == 1) {
		xmlNodePtr si;

		if (!START(r, "si")) {
			rc = step(x, r, &p);
			continue;
		}
		/* each item expanded and walked, as the sheet's rows are */
		if ((si = xmlTextReaderExpand(r)) == NULL) {
			rc = -1;
			break;
		}
		b.len = 0;
		buf_puts(&b, "");
		item_text(si, &b);
		xgrow(&x->sst, &x->capsst, x->nsst + 1, sizeof *x->sst);
		x->sst[x->nsst++] = arena_strndup(&x->strings, b.data, b.len);
		rc = xmlTextReaderNext(r);
	}
	close_part(x, r, &p, rc);
	buf_free(&b);
}

/* ---- the sheet ------------------------------------------------------------------- */

/* A row being read: its cells' text in one buffer, by column. */
struct row {
	long    line;
	buf_t   text;
	size_t *off;            /* per column: offset + 1 in text, 0: empty */
	size_t  ncols, capcols;
	const char **fp;
	size_t  capfp;
};

/* Column and row of a reference "G17" (A = 0); false when it is none. */
static bool
cell_ref(const char *ref, long *col, long *row)
{
	long c = 0, n = 0;
	const char *s = ref;

	while (*s >= 'A' && *s <= 'Z') {
		c = c * 26 + (*s++ - 'A' + 1);
		if (c > 16384)
			return false;
	}
	if (s == ref || *s < '1' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (*s++ - '0');
		if (n > 1048576)
			return false;
	}
	if (*s != '\0')
		return false;
	*col = c - 1;
	*row = n;
	return true;
}

/* A number cell's value as a ledger reads it: a date-styled cell as its
 * time, another as the number's plain text. */
static void
number_text(struct xl *x, const char *v, bool date, const char *ref, buf_t *b)
{
	char *end = NULL, tmp[40];
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d)) {
		xerror(x, 0, "%s: the number cell holds \"%s\", which is no "
		    "number", ref, v);
		return;
	}
	if (date) {
		tb_time t;
		bool day;

		if (!tb_time_from_serial(d, x->date1904, &t, &day)) {
			xerror(x, 0, "%s: the date cell holds %s, which is no "
			    "date from 1900 to 9999", ref, v);
			return;
		}
		if (day)
			tb_day_format(tb_day(t), tmp, sizeof tmp);
		else
			tb_time_format(t, tmp, sizeof tmp);
		buf_puts(b, tmp);
		return;
	}
	/* Excel keeps 1200 as "1200"; a whole number in another form (1.2E3)
	 * is written plainly, anything else as stored */
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(tmp, sizeof tmp, "%.0f", d);
		buf_puts(b, tmp);
	} else {
		buf_puts(b, v);
	}
}

/*
 * The sheet is read a row at a time: the reader expands each <row> into
 * a small tree (xmlTextReaderExpand) that is walked directly and then
 * skipped (xmlTextReaderNext).  Stepping the reader node by node through
 * every cell costs several times as much: a million rows are about forty
 * million nodes.
 */

/* An attribute's value without a copy (no namespace), or NULL. */
static const char *
prop(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return a->children != NULL && a->children->content != NULL ?
			    (const char *)a->children->content : "";
	return NULL;
}

static bool
named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The text children of n, appended to b. */
static void
node_text(xmlNodePtr n, buf_t *b)
{
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
		    && c->content != NULL)
			buf_puts(b, (const char *)c->content);
}

/* A string item's text: its <t>, and those of its runs <r>; not the
 * phonetic guide <rPh>. */
static void
item_text(xmlNodePtr n, buf_t *b)
{
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (named(c, "t"))
			node_text(c, b);
		else if (named(c, "r"))
			item_text(c, b);
	}
}

/* One <c> of the row: its text goes into the row at its column. */
static void
read_cell(struct xl *x, xmlNodePtr c, struct row *row, long *next_col,
    buf_t *v)
{
	const char *ref = prop(c, "r"), *type = prop(c, "t"), *style = prop(c, "s");
	char refbuf[24];
	long col = *next_col, line = row->line;
	size_t start;
	bool date = false;

	v->len = 0;
	buf_puts(v, "");
	if (ref != NULL && (!cell_ref(ref, &col, &line) || line != row->line)) {
		xerror(x, row->line, "the workbook is damaged: cell reference "
		    "\"%s\" in row %ld", ref, row->line);
		return;
	}
	if (col >= 16384) {             /* past Excel's last column, XFD */
		xerror(x, row->line, "the workbook is damaged: row %ld has more "
		    "than 16384 cells", row->line);
		return;
	}
	for (xmlNodePtr k = c->children; k != NULL; k = k->next) {
		if (named(k, "v"))
			node_text(k, v);
		else if (named(k, "is"))
			item_text(k, v);
	}
	xgrow(&row->off, &row->capcols, (size_t)col + 1, sizeof *row->off);
	while (row->ncols <= (size_t)col)
		row->off[row->ncols++] = 0;
	if (row->off[col] != 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xerror(x, row->line, "the workbook is damaged: cell %s appears "
		    "twice", refbuf);
		return;
	}
	*next_col = col + 1;
	start = row->text.len;
	if (type == NULL || strcmp(type, "n") == 0) {
		if (style != NULL) {
			unsigned long s = strtoul(style, NULL, 10);
			date = s < x->nxf && x->datexf[s];
		}
		if (v->len > 0) {
			cell_name(col, row->line, refbuf, sizeof refbuf);
			number_text(x, v->data, date, refbuf, &row->text);
		}
	} else if (strcmp(type, "s") == 0) {
		char *end = NULL;
		unsigned long i = strtoul(v->data, &end, 10);

		if (v->len == 0 || *end != '\0' || i >= x->nsst) {
			cell_name(col, row->line, refbuf, sizeof refbuf);
			xerror(x, row->line, "%s: the workbook is damaged: shared "
			    "string %s does not exist", refbuf, v->data);
		} else {
			buf_puts(&row->text, x->sst[i]);
		}
	} else if (strcmp(type, "b") == 0) {
		buf_puts(&row->text, strcmp(v->data, "1") == 0 ? "TRUE" : "FALSE");
	} else if (strcmp(type, "e") == 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xerror(x, row->line, "%s: the cell holds the Excel error %s: "
		    "correct it in the workbook", refbuf, v->data);
	} else {                /* str (a formula's text), inlineStr, d */
		buf_puts(&row->text, v->data);
	}
	buf_putc(&row->text, '\0');
	row->off[col] = start + 1;
}

/* Hands a finished row to the sink: field c is column c, "" when empty. */
static int
emit_row(struct row *row, const rec_sink_t *sink)
{
	xgrow(&row->fp, &row->capfp, row->ncols + 1, sizeof *row->fp);
	for (size_t c = 0; c < row->ncols; c++)
		row->fp[c] = row->off[c] ? row->text.data + row->off[c] - 1 : "";
	return sink->record(sink->arg, row->fp, row->ncols, row->line);
}

/* One expanded <row>.  Returns false when the sheet cannot be read on. */
static bool
read_row(struct xl *x, xmlNodePtr rn, struct row *row, long *last, buf_t *v)
{
	const char *n = prop(rn, "r");
	char *end = NULL;
	long line = n != NULL ? strtol(n, &end, 10) : *last + 1, next_col = 0;

	if (n != NULL && (*end != '\0' || line <= *last || line > 1048576)) {
		xerror(x, *last + 1, "the workbook is damaged: row number \"%s\" "
		    "after row %ld", n, *last);
		return false;
	}
	row->line = *last = line;
	row->ncols = 0;
	row->text.len = 0;
	for (xmlNodePtr c = rn->children; c != NULL; c = c->next)
		if (named(c, "c"))
			read_cell(x, c, row, &next_col, v);
	return true;
}

static void
read_sheet(struct xl *x, const char *name, const rec_sink_t *sink)
{
	struct part p;
	xmlTextReaderPtr r = open_part(x, name, true, &p);
	struct row row;
	long last = 0;
	bool stopped = false;
	buf_t v;
	int rc = r != NULL ? step(x, r, &p) : 1;

	memset(&row, 0, sizeof row);
	buf_init(&row.text);
	buf_init(&v);
	while (r != NULL && rc == 1) {
		if (START(r, "row")) {
			xmlNodePtr rn = xmlTextReaderExpand(r);

			if (rn == NULL) {
				rc = -1;
				break;
			}
			if (!read_row(x, rn, &row, &last, &v))
				break;
			/* after an error the rows are no longer handed on: the
			 * ledger would report what follows from it */
			if (!stopped && !x->failed)
				stopped = emit_row(&row, sink) != 0;
			rc = xmlTextReaderNext(r);
			continue;
		}
		if (END(r, "sheetData"))
			break;          /* merged cells and the rest: not needed */
		rc = step(x, r, &p);
	}
	close_part(x, r, &p, rc);
	buf_free(&row.text);
	buf_free(&v);
	free(row.off);
	free(row.fp);
}

int
xlsx_stream_records(const char *file, const rec_sink_t *sink, diag_list_t *dl)
{
	struct xl x;
	char *sheet = NULL;

	memset(&x, 0, sizeof x);
	x.file = file;
	x.dl = dl;
	if (open_zip(&x) != 0)
		return -1;
	sheet = first_sheet(&x);
	if (!x.failed)
		read_styles(&x);
	if (!x.failed)
		read_shared_strings(&x);
	if (!x.failed)
		read_sheet(&x, sheet, sink);
	free(sheet);
	free(x.datexf);
	free(x.sst);
	arena_free(&x.strings);
	zip_discard(x.zip);
	return x.failed ? -1 : 0;
}
