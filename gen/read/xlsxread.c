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
 * Every part is streamed from libzip's inflater, never loaded whole: the
 * small ones with xmlReader, the shared strings and the sheet with the
 * SAX2 push parser under it (no node built per element; the inflater on
 * a thread, the sheet's rows read on the caller's beside the parser); only
 * the shared strings are kept (in one arena).  XML is parsed as xmlread.c
 * parses it: no network, no entity substitution, no DTD (an Excel part
 * never has a DOCTYPE, so one is refused), libxml2's size limits kept.
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
#include "xmlread.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define PART_MAX   ((zip_uint64_t)4 << 30)      /* 4 GiB of XML */
#define RATIO_FROM ((zip_uint64_t)64 << 20)     /* parts above 64 MB ... */
#define RATIO_MAX  200                          /* ... inflate at most 200x */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* A shared string: its text (in the arena) and length. */
struct sstr {
	const char *s;
	size_t      n;
};

struct xl {
	const char   *file;
	diag_list_t  *dl;
	zip_t        *zip;
	bool          date1904;
	unsigned char *datexf;      /* per cellXfs index: a date format? */
	size_t        nxf;
	struct sstr  *sst;          /* the shared strings */
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
	bool          bomb, ioerr, huge;
	char          why[160];     /* libxml2's first complaint, one line */
	long          why_line;
};

static void xerror(struct xl *x, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* buf_add, inline while the buffer has room (once a text, a million
 * times a sheet) */
static inline void
put(buf_t *b, const void *p, size_t n)
{
	if (b->data != NULL && b->len + n < b->cap) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		buf_add(b, p, n);
	}
}

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
 * Opens part `name` for inflating into *p.  False when the part is missing
 * (reported when `required`) or refused (reported).
 */
static bool
open_stream(struct xl *x, const char *name, bool required, struct part *p)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(x->zip, name, 0);

	memset(p, 0, sizeof *p);
	p->x = x;
	p->name = name;
	if (i < 0) {
		if (required)
			xerror(x, 0, "not an .xlsx workbook Excel wrote: it has no "
			    "%s (the file is damaged, or another kind of zip "
			    "archive)", name);
		return false;
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		xerror(x, 0, "the workbook is damaged: cannot read the size of "
		    "%s", name);
		return false;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		xerror(x, 0, "the workbook is password-protected: remove the "
		    "password in Excel and save it again");
		return false;
	}
	if (st.size > PART_MAX || (st.size > RATIO_FROM &&
	    st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX)) {
		xerror(x, 0, "refused: %s would inflate from %llu bytes to %llu "
		    "(a zip bomb, or no workbook Excel wrote)", name,
		    (unsigned long long)st.comp_size,
		    (unsigned long long)st.size);
		return false;
	}
	p->declared = st.size;
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (p->zf == NULL) {
		xerror(x, 0, "the workbook is damaged: cannot inflate %s (%s)",
		    name, zip_strerror(x->zip));
		return false;
	}
	return true;
}

/*
 * Opens part `name` for streaming into *p and a reader over it.  NULL when
 * the part is missing (reported when `required`) or refused (reported).
 */
static xmlTextReaderPtr
open_part(struct xl *x, const char *name, bool required, struct part *p)
{
	xmlTextReaderPtr r;

	if (!open_stream(x, name, required, p))
		return NULL;
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

/* ---- streaming a part through SAX ------------------------------------------------ */

/*
 * The shared strings and the sheet, the parts that grow with the ledger,
 * are parsed with libxml2's SAX2 push parser, which builds no nodes: an
 * xmlReader built (and freed) one for each of the sheet's elements,
 * attributes and texts, some forty million for a million rows, and that
 * was most of the time a workbook took.  It is the parser xmlReader
 * drives, with the same options and handlers (libxml2's SAX2 ones for the
 * prolog, so that a DOCTYPE is parsed as it was, then refused when the
 * first element starts, as the reader refused its DTD node), fed the same
 * way (4 bytes first, for the encoding).  What the reader's tree builder
 * checked on top of the parser is checked here, with its messages: no
 * text of more than XML_MAX_TEXT_LENGTH between two tags, no element
 * deeper than xmlParserMaxDepth.
 */

struct sax;
typedef void (*sax_start_fn)(struct sax *s, const char *name,
    const xmlChar **attrs, int nattrs, bool empty);
typedef void (*sax_end_fn)(struct sax *s, const char *name);

struct sax {
	struct xl       *x;
	struct part     *p;
	xmlParserCtxtPtr ctxt;      /* its _private is this */
	sax_start_fn     start;
	sax_end_fn       end;
	buf_t           *text;      /* where characters go now, or NULL */
	size_t           run;       /* bytes of the text since the last tag */
	unsigned         open;      /* elements open */
	bool             rooted;    /* the first element has started */
	bool             doctype;   /* refused */
	bool             halted;    /* a limit of the tree builder: broken */
	bool             stop;      /* stopped on purpose: nothing more read */
	void            *arg;       /* the part's own state */
	/* The sheet's rows are read beside the parser (sheet_state): then
	 * consume runs on the calling thread while the parser runs on its
	 * own, and ended on the parser's when it is done.  quit: the rows'
	 * reader stopped at one of them, so what the parser found after it
	 * (even broken XML) counts for nothing, as it was never read. */
	bool           (*consume)(struct sax *s);
	void           (*ended)(struct sax *s);
	bool             quit;
	int              rc;        /* the parser's result (sax_loop) */
	struct pump     *pump;
};

#define SAX(ctx) ((struct sax *)((xmlParserCtxtPtr)(ctx))->_private)

/* An element's name as the reader's tree had it: its local name (the
 * namespace is not looked at), or NULL when its prefix is not declared
 * (then the tree named it "p:row", which is no name looked for). */
static const char *
sax_name(const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	return prefix != NULL && uri == NULL ? NULL : (const char *)localname;
}

static bool
eq(const char *name, const char *want)
{
	return name != NULL && name[0] == want[0] && strcmp(name, want) == 0;
}

/* Stops the parser as libxml2's tree builder did at one of its limits,
 * with its message (the part's first complaint, if it is the first). */
static void
sax_halt(struct sax *s, const char *why)
{
	struct part *p = s->p;

	if (p->why[0] == '\0') {
		snprintf(p->why, sizeof p->why, "%s", why);
		p->why_line = xmlSAX2GetLineNumber(s->ctxt);
	}
	s->halted = true;
	xmlStopParser(s->ctxt);
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	struct sax *s = SAX(ctx);
	xmlParserInputPtr in = s->ctxt->input;
	/* the parser stands at the tag's end: "/>" for an empty element */
	bool empty = in != NULL && in->cur != NULL && in->cur[0] == '/';

	(void)nns;
	(void)ns;
	(void)ndefaulted;
	s->run = 0;
	if (s->stop || s->halted)
		return;
	if (!s->rooted) {
		s->rooted = true;
		if (s->ctxt->myDoc != NULL && s->ctxt->myDoc->intSubset != NULL) {
			s->doctype = true;
			xmlStopParser(s->ctxt);
			return;
		}
	}
	if (s->open > xmlParserMaxDepth) {
		char why[80];

		snprintf(why, sizeof why, "Excessive depth in document: %u use "
		    "XML_PARSE_HUGE option", xmlParserMaxDepth);
		sax_halt(s, why);
		return;
	}
	s->open++;
	s->start(s, sax_name(localname, prefix, uri), attrs, nattrs, empty);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct sax *s = SAX(ctx);

	s->run = 0;
	if (s->stop || s->halted)
		return;
	s->open--;
	s->end(s, sax_name(localname, prefix, uri));
}

static void
sax_chars(void *ctx, const xmlChar *ch, int len)
{
	struct sax *s = SAX(ctx);

	if (s->stop || s->halted)
		return;
	if (s->run + (size_t)len > XML_MAX_TEXT_LENGTH) {
		sax_halt(s, "xmlSAX2Characters: huge text node");
		return;
	}
	s->run += (size_t)len;
	if (s->text != NULL)
		put(s->text, ch, (size_t)len);
}

/* A comment or a processing instruction ends a text, as its node did. */
static void
sax_comment(void *ctx, const xmlChar *value)
{
	(void)value;
	SAX(ctx)->run = 0;
}

static void
sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	SAX(ctx)->run = 0;
}

#if LIBXML_VERSION >= 21200
static void
sax_error(void *ctx, const xmlError *e)
#else
static void
sax_error(void *ctx, xmlErrorPtr e)
#endif
{
	part_error(SAX(ctx)->p, e);
}

/*
 * The inflater of a part read through SAX, on a thread of its own: a
 * third of the reading was zlib's, and the machine has a second core.  It
 * reads the part as part_read always has (4 bytes, then CHUNK at a time,
 * the same sizes, so a zip bomb is caught at the same byte) into a ring
 * of NBLK pieces that the parser takes in order; the parser gives a piece
 * back once xmlParseChunk has copied it.  Nothing else touches the part
 * until the thread is joined.  Without a thread the pieces are read in
 * place, as they come.
 */
enum { CHUNK = 64 * 1024, NBLK = 4 };

struct pump {
	struct part    *p;
	pthread_mutex_t mu;
	pthread_cond_t  cv;
	pthread_t       tid;
	bool            threaded;
	bool            quit;       /* the parser wants no more */
	bool            holding;    /* the parser has piece tail */
	unsigned        head, tail; /* pieces read: tail .. head - 1 */
	int             want;       /* the next read's size (unthreaded) */
	int             len[NBLK];  /* part_read's results */
	char           *blk[NBLK];
};

static void *
pump_run(void *arg)
{
	struct pump *m = arg;
	int want = 4, n;

	do {
		unsigned i;

		pthread_mutex_lock(&m->mu);
		while (!m->quit && m->head - m->tail == NBLK)
			pthread_cond_wait(&m->cv, &m->mu);
		if (m->quit) {
			pthread_mutex_unlock(&m->mu);
			break;
		}
		i = m->head % NBLK;
		pthread_mutex_unlock(&m->mu);
		n = part_read(m->p, m->blk[i], want);
		want = CHUNK;
		pthread_mutex_lock(&m->mu);
		m->len[i] = n;
		m->head++;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
	} while (n > 0);
	return NULL;
}

static void
pump_start(struct pump *m, struct part *p)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->want = 4;
	for (int i = 0; i < NBLK; i++)
		m->blk[i] = xmalloc(CHUNK);
	if (pthread_mutex_init(&m->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&m->cv, NULL) != 0) {
		pthread_mutex_destroy(&m->mu);
		return;
	}
	m->threaded = pthread_create(&m->tid, NULL, pump_run, m) == 0;
	if (!m->threaded) {
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
	}
}

/* The next piece of the part in *data; returns its length, 0 at its end,
 * -1 when it cannot be read (as part_read). */
static int
pump_next(struct pump *m, const char **data)
{
	int n;

	if (!m->threaded) {
		n = part_read(m->p, m->blk[0], m->want);
		m->want = CHUNK;
		*data = m->blk[0];
		return n;
	}
	pthread_mutex_lock(&m->mu);
	if (m->holding) {
		m->tail++;
		m->holding = false;
		pthread_cond_broadcast(&m->cv);
	}
	while (m->head == m->tail)
		pthread_cond_wait(&m->cv, &m->mu);
	*data = m->blk[m->tail % NBLK];
	n = m->len[m->tail % NBLK];
	m->holding = true;
	pthread_mutex_unlock(&m->mu);
	return n;
}

/* Ends the inflater (it stops at its next piece) and frees the pieces. */
static void
pump_stop(struct pump *m)
{
	if (m->threaded) {
		pthread_mutex_lock(&m->mu);
		m->quit = true;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->tid, NULL);
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
	}
	for (int i = 0; i < NBLK; i++)
		free(m->blk[i]);
}

/* The parser's loop: the part's pieces into xmlParseChunk until it ends,
 * breaks or is stopped; the result in s->rc; then s->ended. */
static void
sax_loop(struct sax *s)
{
	const char *data;
	int n, ret;

	while (s->rc == 1) {
		n = pump_next(s->pump, &data);
		if (n < 0) {
			s->rc = -1;
			break;
		}
		ret = xmlParseChunk(s->ctxt, data, n, n == 0);
		if (s->stop || s->doctype || s->halted)
			break;
		if (ret != 0 || s->ctxt->wellFormed == 0)
			s->rc = -1;
		else if (n == 0)
			break;
	}
	if (s->ended != NULL)
		s->ended(s);
}

/*
 * Parses part `name` through s->start and s->end.  Returns what the last
 * xmlTextReaderRead() of a reader would have: 1 (or 0) when the part was
 * read or reading was stopped on purpose (s->stop), -1 when it is broken
 * (for close_part to say how), -2 after refusing a DOCTYPE; 1 also when
 * the part is missing or refused (then reported when it had to be).
 */
static int
sax_parse(struct xl *x, const char *name, bool required, struct sax *s)
{
	struct part p;
	struct pump m;
	xmlSAXHandler h;
	const char *data;
	int n, rc;

	if (!open_stream(x, name, required, &p))
		return 1;
	s->x = x;
	s->p = &p;
	/* the reader's handlers (xmlSAX2*: the prolog, a DTD, entities),
	 * the content taken here */
	xmlSAXVersion(&h, 2);
	h.startElementNs = sax_start;
	h.endElementNs = sax_end;
	h.startElement = NULL;
	h.endElement = NULL;
	h.characters = sax_chars;
	/* the same function, so that no blank text is taken as ignorable */
	h.ignorableWhitespace = sax_chars;
	h.cdataBlock = sax_chars;
	h.comment = sax_comment;
	h.processingInstruction = sax_pi;
	h.reference = NULL;
	h.warning = NULL;
	h.error = NULL;
	h.fatalError = NULL;
	h.serror = sax_error;
	pump_start(&m, &p);
	n = pump_next(&m, &data);
	/* no user data: the handlers of libxml2 get the context they expect */
	s->ctxt = xmlCreatePushParserCtxt(&h, NULL, data, n > 0 ? n : 0, name);
	if (s->ctxt == NULL) {
		pump_stop(&m);
		close_part(x, NULL, &p, 1);
		xerror(x, 0, "cannot read %s of the workbook", name);
		return 1;
	}
	s->ctxt->_private = s;
	xmlCtxtUseOptions(s->ctxt, XML_OPTIONS);
	s->pump = &m;
	s->rc = n < 0 ? -1 : 1;
	if (s->consume == NULL || !s->consume(s))
		sax_loop(s);            /* on this thread */
	pump_stop(&m);
	rc = s->rc;
	if (s->quit) {
		rc = 1;         /* stopped at a row: nothing after it was read */
	} else if (s->doctype) {
		xerror(x, 0, "refused: %s has a DOCTYPE, which no workbook Excel "
		    "writes has", name);
		rc = -2;
	} else if (s->halted) {
		rc = -1;
	}
	if (s->ctxt->myDoc != NULL)
		xmlFreeDoc(s->ctxt->myDoc);
	xmlFreeParserCtxt(s->ctxt);
	s->ctxt = NULL;
	close_part(x, NULL, &p, rc);
	return rc;
}

/*
 * The text of a string item (<si> of the shared strings, <is> of a cell)
 * as the reader's tree gave it: the texts directly in its <t>, and in the
 * <t> of its runs <r> (runs in runs alike), never the phonetic guide
 * <rPh> or anything else; a <c>'s own text is the text directly in its
 * <v>, or that of its <is>.  The elements below a cell or an item are
 * followed with three counts, not a stack.
 */
struct item {
	int  runs;          /* <is>/<r> open below the container */
	int  other;         /* elements open whose text is not taken */
	bool text;          /* a <t> (<v>) is open: its text is taken */
};

/* An element opens below the container (<si> or <c>). */
static void
item_start(struct item *it, const char *name, bool cell)
{
	if (it->other > 0 || it->text)
		it->other++;
	else if (cell && it->runs == 0)
		eq(name, "v") ? (void)(it->text = true) :
		    eq(name, "is") ? (void)(it->runs = 1) : (void)it->other++;
	else if (eq(name, "t"))
		it->text = true;
	else if (eq(name, "r"))
		it->runs++;
	else
		it->other++;
}

/* An element closes; false when it is the container itself. */
static bool
item_end(struct item *it)
{
	if (it->other > 0)
		it->other--;
	else if (it->text)
		it->text = false;
	else if (it->runs > 0)
		it->runs--;
	else
		return false;
	return true;
}

/* ---- the shared strings --------------------------------------------------------- */

struct sst_state {
	bool        in;         /* in an <si> */
	struct item it;
	buf_t       b;
};

static void
sst_start(struct sax *s, const char *name, const xmlChar **attrs,
    int nattrs, bool empty)
{
	struct sst_state *st = s->arg;

	(void)attrs;
	(void)nattrs;
	(void)empty;
	if (st->in) {
		item_start(&st->it, name, false);
	} else if (eq(name, "si")) {
		/* an <si> in an <si> is skipped with it, as by the reader */
		memset(&st->it, 0, sizeof st->it);
		st->in = true;
		st->b.len = 0;
	}
	s->text = st->in && st->it.text && st->it.other == 0 ? &st->b : NULL;
}

static void
sst_end(struct sax *s, const char *name)
{
	struct sst_state *st = s->arg;
	struct xl *x = s->x;

	(void)name;
	if (st->in && !item_end(&st->it)) {
		xgrow(&x->sst, &x->capsst, x->nsst + 1, sizeof *x->sst);
		x->sst[x->nsst].s = arena_strndup(&x->strings,
		    st->b.len ? st->b.data : "", st->b.len);
		x->sst[x->nsst++].n = st->b.len;
		st->in = false;
	}
	s->text = st->in && st->it.text && st->it.other == 0 ? &st->b : NULL;
}

static void
read_shared_strings(struct xl *x)
{
	struct sst_state st;
	struct sax s;

	memset(&st, 0, sizeof st);
	memset(&s, 0, sizeof s);
	buf_init(&st.b);
	s.start = sst_start;
	s.end = sst_end;
	s.arg = &st;
	sax_parse(x, "xl/sharedStrings.xml", false, &s);
	buf_free(&st.b);
}

/* ---- the sheet ------------------------------------------------------------------- */

/* A row being read, by column: a cell's text is a string it points to (a
 * shared string, the sheet's own text, TRUE) or, for numbers, made in
 * one buffer. */
struct row {
	long    line;
	buf_t   text;
	struct fld {
		size_t      off;    /* offset + 1 in text; 0: empty; SIZE_MAX: at */
		const char *at;
	}      *off;
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
number_text(struct xl *x, const char *v, bool date, long col, long line,
    buf_t *b)
{
	char *end = NULL, tmp[40], ref[24];
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d)) {
		cell_name(col, line, ref, sizeof ref);
		xerror(x, 0, "%s: the number cell holds \"%s\", which is no "
		    "number", ref, v);
		return;
	}
	if (date) {
		tb_time t;
		bool day;

		if (!tb_time_from_serial(d, x->date1904, &t, &day)) {
			cell_name(col, line, ref, sizeof ref);
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
		/* what "%.0f" writes, without printf (-0 stays "-0") */
		long long n = (long long)d;
		unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n :
		    (unsigned long long)n;
		char *e = tmp + sizeof tmp, *c = e;

		do
			*--c = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (n < 0 || signbit(d))
			*--c = '-';
		put(b, c, (size_t)(e - c));
	} else {
		buf_puts(b, v);
	}
}

/* One <c> of a row as the sheet has it: offsets in the row's raw buffer
 * of its attributes r, t and s (SIZE_MAX: none) and of its text. */
struct raw_cell {
	size_t ref, type, style, v;
};

/* A gathered row: offsets in its batch of its attribute r (SIZE_MAX:
 * none) and its cells. */
struct raw_row {
	size_t r, cell0, ncells;
};

/* Rows gathered by the parser, handed on together. */
struct batch {
	buf_t            raw;       /* the rows' attributes and cell texts */
	struct raw_cell *cells;
	size_t           ncells, capcells;
	struct raw_row  *rows;
	size_t           nrows, caprows;
};

enum { NBATCH = 3, BATCH_BYTES = 256 * 1024, BATCH_ROWS = 2048 };

/*
 * The sheet being read: each <row> is gathered (its r and its cells'
 * attributes and texts), then read once it has ended, so that a row cut
 * short by broken XML is never read, as the reader's never was.  The
 * parser (with its inflater) runs on a thread of its own and hands the
 * rows on in batches, which this thread reads in order as they come and
 * gives back; when a row stops the reading (quit), the parser is told at
 * its next batch and what it read past that row is dropped.  Without a
 * thread each row is read as it ends, as before.
 */
struct sheet_state {
	const rec_sink_t *sink;
	struct xl        *x;
	struct row        row;
	long              last;
	bool              stopped;      /* the sink wants no more records */
	/* the parser's side */
	int               depth;        /* 0: outside a row, 1: in <row>, … */
	bool              in_cell;      /* a <c> of the row is open */
	bool              empty_data;   /* the last <sheetData> was <sheetData/> */
	struct item       it;
	struct raw_row    cur;          /* the row being gathered */
	struct batch     *b;            /* the batch being filled */
	/* the hand-over */
	bool              threaded;
	pthread_mutex_t   mu;
	pthread_cond_t    cv;
	pthread_t         tid;
	struct batch      batches[NBATCH];
	struct batch     *full[NBATCH]; /* filled, in order: ftail .. fhead - 1 */
	unsigned          fhead, ftail;
	struct batch     *empty[NBATCH];
	unsigned          nempty;
	bool              finished;     /* the parser has ended */
};

/* strtoul(v, end, 10), without its locale and sign handling for what a
 * style or string index is: 1 to 9 digits (anything else goes to it). */
static unsigned long
index_of(const char *v, char **end)
{
	const char *s = v;
	unsigned long n = 0;

	while (*s >= '0' && *s <= '9' && s - v < 9)
		n = n * 10 + (unsigned long)(*s++ - '0');
	if (s == v || (*s >= '0' && *s <= '9'))
		return strtoul(v, end, 10);
	if (end != NULL)
		*end = (char *)(uintptr_t)s;
	return n;
}

/* Is v a whole number as "%.0f" writes it (0, or 1 to 15 digits without a
 * leading zero, so exact in a double)?  Then it is its own text. */
static bool
plain_whole(const char *v)
{
	size_t n = 0;

	if (v[0] == '0')
		return v[1] == '\0';
	while (v[n] >= '0' && v[n] <= '9')
		n++;
	return n > 0 && n <= 15 && v[n] == '\0';
}

/* One cell of the row: its text goes into the row at its column. */
static void
read_cell(struct xl *x, const char *raw, const struct raw_cell *rc,
    struct row *row, long *next_col)
{
	const char *ref = rc->ref != SIZE_MAX ? raw + rc->ref : NULL;
	const char *type = rc->type != SIZE_MAX ? raw + rc->type : NULL;
	const char *style = rc->style != SIZE_MAX ? raw + rc->style : NULL;
	const char *v = raw + rc->v;
	char refbuf[24];
	const char *at = NULL;
	long col = *next_col, line = row->line;
	size_t start;
	bool date = false;

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
	xgrow(&row->off, &row->capcols, (size_t)col + 1, sizeof *row->off);
	while (row->ncols <= (size_t)col)
		row->off[row->ncols++].off = 0;
	if (row->off[col].off != 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xerror(x, row->line, "the workbook is damaged: cell %s appears "
		    "twice", refbuf);
		return;
	}
	*next_col = col + 1;
	start = row->text.len;
	if (type == NULL || strcmp(type, "n") == 0) {
		if (style != NULL) {
			unsigned long s = index_of(style, NULL);
			date = s < x->nxf && x->datexf[s];
		}
		if (v[0] != '\0' && !date && plain_whole(v))
			at = v;         /* what number_text would write */
		else if (v[0] != '\0')
			number_text(x, v, date, col, row->line, &row->text);
	} else if (strcmp(type, "s") == 0) {
		char *end = NULL;
		unsigned long i = index_of(v, &end);

		if (v[0] == '\0' || *end != '\0' || i >= x->nsst) {
			cell_name(col, row->line, refbuf, sizeof refbuf);
			xerror(x, row->line, "%s: the workbook is damaged: shared "
			    "string %s does not exist", refbuf, v);
		} else {
			at = x->sst[i].s;
		}
	} else if (strcmp(type, "b") == 0) {
		at = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
	} else if (strcmp(type, "e") == 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xerror(x, row->line, "%s: the cell holds the Excel error %s: "
		    "correct it in the workbook", refbuf, v);
	} else {                /* str (a formula's text), inlineStr, d */
		at = v;         /* the row's raw text, kept until it is read */
	}
	if (at != NULL) {
		row->off[col].off = SIZE_MAX;
		row->off[col].at = at;
		return;
	}
	buf_putc(&row->text, '\0');
	row->off[col].off = start + 1;
}

/* Hands a finished row to the sink: field c is column c, "" when empty. */
static int
emit_row(struct row *row, const rec_sink_t *sink)
{
	xgrow(&row->fp, &row->capfp, row->ncols + 1, sizeof *row->fp);
	for (size_t c = 0; c < row->ncols; c++) {
		size_t o = row->off[c].off;

		row->fp[c] = o == SIZE_MAX ? row->off[c].at :
		    o != 0 ? row->text.data + o - 1 : "";
	}
	return sink->record(sink->arg, row->fp, row->ncols, row->line);
}

/* A gathered row, read and handed on.  Returns false when the sheet
 * cannot be read on. */
static bool
read_row(struct xl *x, struct sheet_state *st, const struct batch *b,
    const struct raw_row *rr)
{
	const char *raw = b->raw.data;
	const char *n = rr->r != SIZE_MAX ? raw + rr->r : NULL;
	char *end = NULL;
	long line = n != NULL ? strtol(n, &end, 10) : st->last + 1, next_col = 0;
	struct row *row = &st->row;

	if (n != NULL && (*end != '\0' || line <= st->last || line > 1048576)) {
		xerror(x, st->last + 1, "the workbook is damaged: row number "
		    "\"%s\" after row %ld", n, st->last);
		return false;
	}
	row->line = st->last = line;
	row->ncols = 0;
	row->text.len = 0;
	for (size_t i = 0; i < rr->ncells; i++)
		read_cell(x, raw, &b->cells[rr->cell0 + i], row, &next_col);
	/* after an error the rows are no longer handed on: the ledger would
	 * report what follows from it */
	if (!st->stopped && !x->failed)
		st->stopped = emit_row(row, st->sink) != 0;
	return true;
}

/* The rows of a batch, read in order; false when one stops the reading. */
static bool
read_batch(struct sheet_state *st, struct batch *b)
{
	bool go = true;

	for (size_t i = 0; go && i < b->nrows; i++)
		go = read_row(st->x, st, b, &b->rows[i]);
	b->raw.len = 0;
	b->ncells = b->nrows = 0;
	return go;
}

/* The parser's side: the batch being filled goes to the reader (or is read
 * here, without a thread), and an empty one takes its place.  Stops the
 * parser when the reader has stopped. */
static void
hand_over(struct sax *s, struct sheet_state *st)
{
	if (!st->threaded) {
		if (!read_batch(st, st->b))
			s->quit = s->stop = true;
		return;
	}
	pthread_mutex_lock(&st->mu);
	if (!s->quit) {
		st->full[st->fhead++ % NBATCH] = st->b;
		pthread_cond_broadcast(&st->cv);
		while (st->nempty == 0 && !s->quit)
			pthread_cond_wait(&st->cv, &st->mu);
	}
	if (s->quit) {
		s->stop = true;
		st->b->raw.len = 0;
		st->b->ncells = st->b->nrows = 0;
	} else {
		st->b = st->empty[--st->nempty];
	}
	pthread_mutex_unlock(&st->mu);
}

/* The parser has ended: its last rows go to the reader. */
static void
sheet_ended(struct sax *s)
{
	struct sheet_state *st = s->arg;

	if (!st->threaded) {
		if (st->b->nrows > 0 && !s->quit && !read_batch(st, st->b))
			s->quit = true;
		return;
	}
	pthread_mutex_lock(&st->mu);
	if (!s->quit && st->b->nrows > 0) {
		st->full[st->fhead++ % NBATCH] = st->b;
		st->b = NULL;
	}
	st->finished = true;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void *
parser_thread(void *arg)
{
	/* libxml2's handlers are the thread's: those of the program */
	xml_route_errors();
	sax_loop(arg);
	return NULL;
}

/* The reader's side, on the calling thread: starts the parser on its own
 * and reads the batches it hands over until it has ended.  False when no
 * thread could be started (then the parser runs here). */
static bool
sheet_consume(struct sax *s)
{
	struct sheet_state *st = s->arg;
	bool go = true;

	if (pthread_mutex_init(&st->mu, NULL) != 0)
		return false;
	if (pthread_cond_init(&st->cv, NULL) != 0) {
		pthread_mutex_destroy(&st->mu);
		return false;
	}
	st->threaded = true;
	for (int i = 1; i < NBATCH; i++)
		st->empty[st->nempty++] = &st->batches[i];
	if (pthread_create(&st->tid, NULL, parser_thread, s) != 0) {
		st->threaded = false;
		st->nempty = 0;
		pthread_cond_destroy(&st->cv);
		pthread_mutex_destroy(&st->mu);
		return false;
	}
	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&st->mu);
		while (st->ftail == st->fhead && !st->finished)
			pthread_cond_wait(&st->cv, &st->mu);
		if (st->ftail == st->fhead) {
			pthread_mutex_unlock(&st->mu);
			break;
		}
		b = st->full[st->ftail++ % NBATCH];
		pthread_mutex_unlock(&st->mu);
		go = read_batch(st, b);
		pthread_mutex_lock(&st->mu);
		st->empty[st->nempty++] = b;
		if (!go)
			s->quit = true;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		if (!go)
			break;
	}
	pthread_join(st->tid, NULL);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	return true;
}

/* An attribute's value as the tree held it, appended to b with its NUL
 * (the parser leaves an & of the value as the reference "&#38;" for the
 * tree builder to replace); returns its offset in b. */
static size_t
attr_copy(const xmlChar *const *a, buf_t *b)
{
	const char *v = (const char *)a[3], *e = (const char *)a[4];
	size_t at = b->len;

	while (v < e) {
		const char *amp = memchr(v, '&', (size_t)(e - v));

		if (amp == NULL) {
			put(b, v, (size_t)(e - v));
			break;
		}
		put(b, v, (size_t)(amp - v));
		put(b, "&", 1);
		v = (size_t)(e - amp) >= 5 && memcmp(amp, "&#38;", 5) == 0 ?
		    amp + 5 : amp + 1;
	}
	put(b, "", 1);
	return at;
}

/* The offset in b of the value of attribute `name` (one letter, no
 * prefix) of a start tag, copied there; SIZE_MAX when there is none. */
static size_t
attr1(const xmlChar **a, int n, char name, buf_t *b)
{
	for (int i = 0; i < n; i++, a += 5)
		if (a[1] == NULL && a[0][0] == name && a[0][1] == '\0')
			return attr_copy(a, b);
	return SIZE_MAX;
}

static void
sheet_start(struct sax *s, const char *name, const xmlChar **attrs,
    int nattrs, bool empty)
{
	struct sheet_state *st = s->arg;
	struct batch *b = st->b;

	if (st->depth == 0) {
		if (eq(name, "row")) {
			st->depth = 1;
			st->cur.r = attr1(attrs, nattrs, 'r', &b->raw);
			st->cur.cell0 = b->ncells;
		} else if (eq(name, "sheetData")) {
			st->empty_data = empty;
		}
		return;
	}
	st->depth++;
	if (st->in_cell) {
		item_start(&st->it, name, true);
	} else if (st->depth == 2 && eq(name, "c")) {
		struct raw_cell *c;

		xgrow(&b->cells, &b->capcells, b->ncells + 1, sizeof *b->cells);
		c = &b->cells[b->ncells++];
		c->ref = c->type = c->style = SIZE_MAX;
		/* r, t and s in one pass (an attribute twice is no XML) */
		for (int i = 0; i < nattrs; i++) {
			const xmlChar **a = attrs + 5 * i;
			size_t *to = NULL;

			if (a[1] != NULL || a[0][0] == '\0' || a[0][1] != '\0')
				continue;
			switch (a[0][0]) {
			case 'r': to = &c->ref; break;
			case 't': to = &c->type; break;
			case 's': to = &c->style; break;
			}
			if (to != NULL && *to == SIZE_MAX)
				*to = attr_copy(a, &b->raw);
		}
		c->v = b->raw.len;
		memset(&st->it, 0, sizeof st->it);
		st->in_cell = true;
	}
	s->text = st->in_cell && st->it.text && st->it.other == 0 ?
	    &b->raw : NULL;
}

static void
sheet_end(struct sax *s, const char *name)
{
	struct sheet_state *st = s->arg;
	struct batch *b = st->b;

	if (st->depth == 0) {
		/* merged cells and the rest: not needed (an empty
		 * <sheetData/> ended nothing for the reader) */
		if (eq(name, "sheetData") && !st->empty_data)
			s->stop = true;
		st->empty_data = false;
	} else {
		st->depth--;
		if (st->in_cell && !item_end(&st->it)) {
			put(&b->raw, "", 1);    /* the cell's text ends */
			st->in_cell = false;
		}
		if (st->depth == 0) {
			st->cur.ncells = b->ncells - st->cur.cell0;
			xgrow(&b->rows, &b->caprows, b->nrows + 1, sizeof *b->rows);
			b->rows[b->nrows++] = st->cur;
			if (!st->threaded || b->raw.len >= BATCH_BYTES ||
			    b->nrows >= BATCH_ROWS)
				hand_over(s, st);
		}
	}
	if (s->stop)
		xmlStopParser(s->ctxt);
	s->text = st->in_cell && st->it.text && st->it.other == 0 ?
	    &st->b->raw : NULL;
}

static void
read_sheet(struct xl *x, const char *name, const rec_sink_t *sink)
{
	struct sheet_state st;
	struct sax s;

	memset(&st, 0, sizeof st);
	memset(&s, 0, sizeof s);
	st.sink = sink;
	st.x = x;
	buf_init(&st.row.text);
	for (int i = 0; i < NBATCH; i++)
		buf_init(&st.batches[i].raw);
	st.b = &st.batches[0];
	s.start = sheet_start;
	s.end = sheet_end;
	s.consume = sheet_consume;
	s.ended = sheet_ended;
	s.arg = &st;
	sax_parse(x, name, true, &s);
	buf_free(&st.row.text);
	free(st.row.off);
	free(st.row.fp);
	for (int i = 0; i < NBATCH; i++) {
		buf_free(&st.batches[i].raw);
		free(st.batches[i].cells);
		free(st.batches[i].rows);
	}
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
