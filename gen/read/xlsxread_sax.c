/*
 * xlsxread_sax.c - a workbook part streamed through libxml2's SAX2 push
 * parser, for the .xlsx reader (xlsxread_int.h): the shared strings here,
 * the sheet in xlsxread_sheet.c, each with its own start and end handlers;
 * and the text of a string item, which both take.
 *
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
#include "xlsxread_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

#define SAX(ctx) ((struct sax *)((xmlParserCtxtPtr)(ctx))->_private)

/* An element's name as the reader's tree had it: its local name (the
 * namespace is not looked at), or NULL when its prefix is not declared
 * (then the tree named it "p:row", which is no name looked for). */
static const char *
sax_name(const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	return prefix != NULL && uri == NULL ? NULL : (const char *)localname;
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
		xr_put(s->text, ch, (size_t)len);
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
	xr_part_error(SAX(ctx)->p, e);
}

/* The parser's loop: the part's pieces into xmlParseChunk until it ends,
 * breaks or is stopped; the result in s->rc; then s->ended. */
void
xr_sax_loop(struct sax *s)
{
	const char *data;
	int n, ret;

	while (s->rc == 1) {
		n = xr_pump_next(s->pump, &data);
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
 * (for xr_close_part to say how), -2 after refusing a DOCTYPE; 1 also when
 * the part is missing or refused (then reported when it had to be).
 */
int
xr_sax_parse(struct xl *x, const char *name, bool required, struct sax *s)
{
	struct part p;
	struct pump m;
	xmlSAXHandler h;
	const char *data;
	int n, rc;

	if (!xr_open_stream(x, name, required, &p))
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
	xr_pump_start(&m, &p);
	n = xr_pump_next(&m, &data);
	/* no user data: the handlers of libxml2 get the context they expect */
	s->ctxt = xmlCreatePushParserCtxt(&h, NULL, data, n > 0 ? n : 0, name);
	if (s->ctxt == NULL) {
		xr_pump_stop(&m);
		xr_close_part(x, NULL, &p, 1);
		xr_error(x, 0, "cannot read %s of the workbook", name);
		return 1;
	}
	s->ctxt->_private = s;
	xmlCtxtUseOptions(s->ctxt, XML_OPTIONS);
	s->pump = &m;
	s->rc = n < 0 ? -1 : 1;
	if (s->consume == NULL || !s->consume(s))
		xr_sax_loop(s);            /* on this thread */
	xr_pump_stop(&m);
	rc = s->rc;
	if (s->quit) {
		rc = 1;         /* stopped at a row: nothing after it was read */
	} else if (s->doctype) {
		xr_error(x, 0, "refused: %s has a DOCTYPE, which no workbook Excel "
		    "writes has", name);
		rc = -2;
	} else if (s->halted) {
		rc = -1;
	}
	if (s->ctxt->myDoc != NULL)
		xmlFreeDoc(s->ctxt->myDoc);
	xmlFreeParserCtxt(s->ctxt);
	s->ctxt = NULL;
	xr_close_part(x, NULL, &p, rc);
	return rc;
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
		xr_item_start(&st->it, name, false);
	} else if (xr_eq(name, "si")) {
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
	if (st->in && !xr_item_end(&st->it)) {
		if (x->nsst >= x->capsst)
			xgrow(&x->sst, &x->capsst, x->nsst + 1,
			    sizeof *x->sst);
		x->sst[x->nsst].s = arena_strndup(&x->strings,
		    st->b.len ? st->b.data : "", st->b.len);
		x->sst[x->nsst++].n = st->b.len;
		st->in = false;
	}
	s->text = st->in && st->it.text && st->it.other == 0 ? &st->b : NULL;
}

void
xr_read_shared_strings(struct xl *x)
{
	struct sst_state st;
	struct sax s;

	memset(&st, 0, sizeof st);
	memset(&s, 0, sizeof s);
	buf_init(&st.b);
	s.start = sst_start;
	s.end = sst_end;
	s.arg = &st;
	xr_sax_parse(x, "xl/sharedStrings.xml", false, &s);
	buf_free(&st.b);
}
