/*
 * xmlread.c - every XML file the program reads (units.xml, rules.xml, the
 * XML ledgers) comes through here: parsed with libxml2 safely, validated
 * against the project's XML Schema, with each libxml2 complaint turned into
 * a "FILE:LINE: error: message" diagnostic.
 *
 * Safety: the data folder is edited by hand and may come from elsewhere, so
 * the parser never touches the network (XML_PARSE_NONET), never substitutes
 * entities (no XML_PARSE_NOENT), never loads a DTD (no XML_PARSE_DTDLOAD),
 * and keeps libxml2's size limits (no XML_PARSE_HUGE).  On top of that any
 * DOCTYPE is refused: one naming an external DTD, declaring an entity or
 * an attribute list the moment the parser sees that (SAX hooks stop the
 * parser), so neither "billion laughs" nor SYSTEM "file:///etc/passwd"
 * gets further than the declaration, and any other at its end.  Even a
 * harmless-looking DTD is not: an ATTLIST default is an attribute the
 * schema never sees but the tree answers with (a weight of 2000000000000
 * truncated to an int, a name past its 200 characters).  The file is read
 * through input_open() (util.h): a regular file of at most TB_XML_MAX
 * bytes, read by the program, never opened by libxml2 itself.
 *
 * Errors are routed through structured error handlers (per parser context
 * and per schema context; nothing global is changed), so nothing is printed
 * here and every message carries its line.
 */
#define _POSIX_C_SOURCE 200809L
#include "xmlread.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

#if LIBXML_VERSION >= 21200
typedef const xmlError *tb_xml_error;
#else
typedef xmlErrorPtr tb_xml_error;
#endif

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | \
    XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES)

/* What the error handlers need; lives on the stack of xml_load_validated. */
struct xml_state {
	const char  *file;      /* the document, as given by the caller */
	const char  *xsd;       /* the schema file */
	bool         in_schema; /* parsing the schema (messages name its file) */
	bool         refused;   /* a DOCTYPE was refused: ignore later noise */
	diag_list_t *dl;
	internalSubsetSAXFunc orig_subset;
	entityDeclSAXFunc     orig_entity;
	int          fd;        /* the document being read */
	off_t        nread;     /* bytes of it read so far */
	const char  *root_name; /* of a DOCTYPE seen, for its refusal */
};

/*
 * Appends one libxml2 error to the list: the message without its trailing
 * newline (inner newlines become spaces), the line libxml2 found, the document's file name (or, while the
 * schema itself is parsed, the file libxml2 names).
 */
static void
report(struct xml_state *st, tb_xml_error e)
{
	char *msg = NULL, *p;
	const char *file = st->file;
	size_t n;

	if (e == NULL || st->refused)
		return;
	if (st->in_schema)
		file = e->file != NULL ? e->file : st->xsd;
	msg = xstrdup(e->message != NULL ? e->message : "XML error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' ||
	    msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (p = msg; *p != '\0'; p++)          /* one line per diagnostic */
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (e->level == XML_ERR_WARNING)
		diag_warning(st->dl, file, e->line, "%s", msg);
	else
		diag_error(st->dl, file, e->line, "%s", msg);
	free(msg);
}

/* Structured handler of the document's parser context: ctx is the parser
 * context, whose _private points at our state. */
static void
parser_error(void *ctx, tb_xml_error e)
{
	xmlParserCtxtPtr ctxt = ctx;

	if (ctxt != NULL && ctxt->_private != NULL)
		report(ctxt->_private, e);
}

/* Structured handler of the schema contexts: ctx is our state. */
static void
schema_error(void *ctx, tb_xml_error e)
{
	report(ctx, e);
}

/* Records a refused DOCTYPE and stops the parser at once. */
static void
refuse(xmlParserCtxtPtr ctxt, const char *what, const char *name)
{
	struct xml_state *st = ctxt->_private;

	if (!st->refused)
		diag_error(st->dl, st->file, (long)xmlSAX2GetLineNumber(ctxt),
		    "DOCTYPE %s \"%s\": DTDs are not allowed in this file "
		    "(remove the DOCTYPE)", what, name != NULL ? name : "");
	st->refused = true;
	xmlStopParser(ctxt);
}

/* SAX hook: <!DOCTYPE name PUBLIC/SYSTEM ...> names an external DTD. */
static void
hook_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext_id,
    const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_state *st = ctxt->_private;

	if (ext_id != NULL || sys_id != NULL) {
		refuse(ctxt, "refers to an external DTD",
		    (const char *)(sys_id != NULL ? sys_id : ext_id));
		return;
	}
	/* declarations may follow, each refused as it comes; whatever is
	 * left is refused at the end of the DOCTYPE (hook_end_subset) */
	st->root_name = "";
	if (st->orig_subset != NULL)
		st->orig_subset(ctx, name, ext_id, sys_id);
}

/* SAX hook: <!ATTLIST ...>, whose defaults the schema would never see. */
static void
hook_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *fullname,
    int type, int def, const xmlChar *default_value, xmlEnumerationPtr tree)
{
	char *what = xasprintf("%s of <%s>", (const char *)fullname,
	    (const char *)elem);

	(void)type; (void)def; (void)default_value;
	xmlFreeEnumeration(tree);       /* the handler owns it */
	refuse(ctx, "declares attribute", what);
	free(what);
}

/* SAX hook: <!ELEMENT ...>. */
static void
hook_element_decl(void *ctx, const xmlChar *name, int type,
    xmlElementContentPtr content)
{
	(void)type; (void)content;
	refuse(ctx, "declares element", (const char *)name);
}

/* SAX hook called at the end of a DOCTYPE (libxml2 names it for the
 * external subset, which it never loads here): any DTD is refused. */
static void
hook_end_subset(void *ctx, const xmlChar *name, const xmlChar *ext_id,
    const xmlChar *sys_id)
{
	(void)ext_id; (void)sys_id;
	refuse(ctx, "declares a DTD for", (const char *)name);
}

/* SAX hook: any <!ENTITY ...> declaration, general or parameter. */
static void
hook_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	(void)type; (void)public_id; (void)system_id; (void)content;
	refuse(ctx, "declares entity", (const char *)name);
}

/* libxml2's input: reads the file we opened, at most TB_XML_MAX bytes
 * (it may grow after it was checked). */
static int
io_read(void *ctx, char *buf, int len)
{
	struct xml_state *st = ctx;
	ssize_t n;

	if (len <= 0)
		return 0;
	n = read_full(st->fd, buf, (size_t)len);
	if (n < 0)
		return -1;
	st->nread += n;
	if (st->nread > TB_XML_MAX)
		return -1;
	return (int)n;
}

static int
io_close(void *ctx)
{
	(void)ctx;
	return 0;       /* the caller closes the file */
}

/*
 * Parses `file` safely (see the top of the file).  Returns the document or
 * NULL after adding errors to st->dl.
 */
static xmlDocPtr
parse_doc(struct xml_state *st)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	size_t before = st->dl->errors;
	input_t in;

	if (input_open(st->file, TB_XML_MAX, &in) != 0) {
		diag_error(st->dl, st->file, 0, "cannot open: %s", in.why);
		return NULL;
	}
	st->fd = in.fd;
	st->nread = 0;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		diag_error(st->dl, st->file, 0, "cannot create an XML parser");
		goto cleanup;
	}
	ctxt->_private = st;
	st->orig_subset = ctxt->sax->internalSubset;
	st->orig_entity = ctxt->sax->entityDecl;
	ctxt->sax->internalSubset = hook_internal_subset;
	ctxt->sax->entityDecl = hook_entity_decl;
	ctxt->sax->attributeDecl = hook_attribute_decl;
	ctxt->sax->elementDecl = hook_element_decl;
	ctxt->sax->externalSubset = hook_end_subset;
	ctxt->sax->serror = parser_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	doc = xmlCtxtReadIO(ctxt, io_read, io_close, st, st->file, NULL,
	    PARSE_OPTIONS);
	if (st->nread > TB_XML_MAX) {
		xmlFreeDoc(doc);
		doc = NULL;
		if (!st->refused)
			diag_error(st->dl, st->file, 0, "cannot open: it grew past the "
			    "limit of %lld MiB for an XML file while it was read",
			    (long long)(TB_XML_MAX >> 20));
		st->refused = true;
	} else if (st->refused) {
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc == NULL) {
		if (st->dl->errors == before)
			diag_error(st->dl, st->file, 0,
			    "cannot read or parse XML file");
	} else if (st->dl->errors > before) {
		/* libxml2 returns a document after errors it can recover
		 * from (a namespace error such as "<?:x?>"): still an error */
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (xmlDocGetRootElement(doc) == NULL) {
		diag_error(st->dl, st->file, 0, "XML file has no root element");
		xmlFreeDoc(doc);
		doc = NULL;
	}

cleanup:
	if (ctxt != NULL)
		xmlFreeParserCtxt(ctxt);
	close(in.fd);
	st->fd = -1;
	return doc;
}

/* Validates doc against st->xsd; returns 0 when valid, -1 otherwise. */
static int
validate_doc(struct xml_state *st, xmlDocPtr doc)
{
	xmlSchemaParserCtxtPtr pctxt = NULL;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctxt = NULL;
	size_t before = st->dl->errors;
	int rc = -1, v;
	input_t in;

	/* the program's own file, but a clear message if it is missing */
	if (input_open(st->xsd, TB_XML_MAX, &in) != 0) {
		diag_error(st->dl, st->xsd, 0, "cannot open: %s", in.why);
		goto cleanup;
	}
	close(in.fd);
	st->in_schema = true;
	pctxt = xmlSchemaNewParserCtxt(st->xsd);
	if (pctxt == NULL) {
		diag_error(st->dl, st->xsd, 0, "cannot open XML Schema");
		goto cleanup;
	}
	xmlSchemaSetParserStructuredErrors(pctxt, schema_error, st);
	schema = xmlSchemaParse(pctxt);
	if (schema == NULL) {
		if (st->dl->errors == before)
			diag_error(st->dl, st->xsd, 0, "cannot load XML Schema");
		goto cleanup;
	}
	st->in_schema = false;
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL) {
		diag_error(st->dl, st->file, 0, "cannot create a schema validator");
		goto cleanup;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, schema_error, st);
	v = xmlSchemaValidateDoc(vctxt, doc);
	if (v != 0) {
		if (st->dl->errors == before)
			diag_error(st->dl, st->file, 0,
			    "does not follow the XML Schema %s", st->xsd);
		goto cleanup;
	}
	rc = 0;

cleanup:
	st->in_schema = false;
	if (vctxt != NULL)
		xmlSchemaFreeValidCtxt(vctxt);
	if (schema != NULL)
		xmlSchemaFree(schema);
	if (pctxt != NULL)
		xmlSchemaFreeParserCtxt(pctxt);
	return rc;
}

xmlDocPtr
xml_load_validated(const char *file, const char *xsd_path, diag_list_t *dl)
{
	struct xml_state st;
	xmlDocPtr doc = NULL;

	memset(&st, 0, sizeof st);
	st.file = file;
	st.xsd = xsd_path;
	st.dl = dl;
	doc = parse_doc(&st);
	if (doc == NULL)
		goto cleanup;
	if (validate_doc(&st, doc) != 0) {
		xmlFreeDoc(doc);
		doc = NULL;
	}

cleanup:
	return doc;
}

/* ---- messages of no parser of ours ------------------------------------ */

/* One line on stderr: control characters, which a document may carry
 * into a message, are made spaces (as diag.c does). */
static void
print_line(const char *file, long line, const char *sev, const char *msg)
{
	char *m = xstrdup(msg != NULL ? msg : "XML error"), *p;
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	for (p = m; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	if (file != NULL && line > 0)
		fprintf(stderr, "%s:%ld: %s: %s\n", file, line, sev, m);
	else if (file != NULL)
		fprintf(stderr, "%s: %s: %s\n", file, sev, m);
	else
		fprintf(stderr, "tongbao: %s: libxml2: %s\n", sev, m);
	free(m);
}

static void
global_structured(void *ctx, tb_xml_error e)
{
	(void)ctx;
	if (e != NULL)
		print_line(e->file, e->line, e->level == XML_ERR_WARNING ?
		    "warning" : "error", e->message);
}

/* libxml2's generic messages come in pieces; a line is printed whole. */
static void
global_generic(void *ctx, const char *fmt, ...)
{
	static _Thread_local buf_t pending;
	va_list ap;
	char *nl;

	(void)ctx;
	va_start(ap, fmt);
	buf_vprintf(&pending, fmt, ap);
	va_end(ap);
	while (pending.data != NULL &&
	    (nl = memchr(pending.data, '\n', pending.len)) != NULL) {
		*nl = '\0';
		print_line(NULL, 0, "error", pending.data);
		pending.len -= (size_t)(nl + 1 - pending.data);
		memmove(pending.data, nl + 1, pending.len + 1);
	}
}

void
xml_route_errors(void)
{
	xmlSetStructuredErrorFunc(NULL, global_structured);
	xmlSetGenericErrorFunc(NULL, global_generic);
}

/* ---- ledgers ---------------------------------------------------------- */

/* The three ledger forms: root element, record element, fields in SPEC
 * 3.1 order (the English aliases, which are also the element names). */
static const char *const submission_fields[] = { "id", "unit", "title",
    "type", "chars", "submitted", "event", "channel", "approver", "authors",
    "directive" };
static const char *const adoption_fields[] = { "item", "carrier", "date",
    "note" };
static const char *const directive_fields[] = { "id", "title", "issued",
    "units", "long_running" };

static const struct ledger_form {
	const char *root, *record;
	const char *const *fields;
	size_t nfields;
} ledger_forms[] = {
	{ "submissions", "submission", submission_fields,
	    ARRAY_LEN(submission_fields) },
	{ "adoptions", "adoption", adoption_fields, ARRAY_LEN(adoption_fields) },
	{ "directives", "directive", directive_fields,
	    ARRAY_LEN(directive_fields) },
};

/* The text of an element, trimmed, copied into t's arena; never NULL. */
static char *
element_text(table_t *t, xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s;

	if (c == NULL)
		return table_strndup(t, "", 0);
	trim((char *)c);
	s = table_strndup(t, (const char *)c, strlen((const char *)c));
	xmlFree(c);
	return s;
}

/* Fills one row from a record element; the field array and the strings
 * live in t's arena (freed by table_free). */
static void
read_record(table_t *t, const struct ledger_form *form, xmlNodePtr rec,
    table_row_t *row)
{
	xmlNodePtr c;
	size_t i;

	row->line = xmlGetLineNo(rec);
	row->f = table_alloc(t, form->nfields * sizeof *row->f);
	for (i = 0; i < form->nfields; i++)
		row->f[i] = NULL;
	for (c = rec->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < form->nfields; i++) {
			if (strcmp((const char *)c->name, form->fields[i]) == 0)
				break;
		}
		if (i < form->nfields && row->f[i] == NULL)
			row->f[i] = element_text(t, c);
	}
	for (i = 0; i < form->nfields; i++)
		if (row->f[i] == NULL)
			row->f[i] = table_strndup(t, "", 0);
}

int
xml_read_ledger(const char *file, const char *xsd_path, table_t *out,
    diag_list_t *dl)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, rec;
	const struct ledger_form *form = NULL;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof *out);
	doc = xml_load_validated(file, xsd_path, dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	for (i = 0; i < ARRAY_LEN(ledger_forms); i++)
		if (strcmp((const char *)root->name, ledger_forms[i].root) == 0)
			form = &ledger_forms[i];
	if (form == NULL) {
		diag_error(dl, file, xmlGetLineNo(root),
		    "root element <%s> is not a ledger (submissions, adoptions "
		    "or directives)", (const char *)root->name);
		goto cleanup;
	}
	out->file = xstrdup(file);
	out->header_line = xmlGetLineNo(root);
	out->ncols = form->nfields;
	out->cols = xcalloc(form->nfields, sizeof *out->cols);
	for (i = 0; i < form->nfields; i++)
		out->cols[i] = xstrdup(form->fields[i]);
	for (rec = root->children; rec != NULL; rec = rec->next) {
		if (rec->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)rec->name, form->record) != 0)
			continue;
		xgrow(&out->rows, &out->cap, out->nrows + 1, sizeof *out->rows);
		read_record(out, form, rec, &out->rows[out->nrows]);
		out->nrows++;
	}
	rc = 0;

cleanup:
	if (rc != 0 && out->cols != NULL) {
		table_free(out);
		memset(out, 0, sizeof *out);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}
