/*
 * docxml.c - serializes the document model (doc.h) as XML (vocabulary in
 * docxml.h).  Why XML: the portal page is made from it by one XSLT
 * stylesheet in templates/ (render_html.c), so the webmaster can restyle the
 * page without a rebuild, and the same bytes are a machine-readable record
 * of what the notice said.
 *
 * Every string goes into the tree through xmlNewDocText/xmlNewProp, which
 * take text literally: escaping is the serializer's job, so a title holding
 * "<script>" or "&" can only ever come out as text.  Numbers are written in
 * XPath 1.0 syntax (no exponent), so a stylesheet can compute with them.
 */
#include "docxml.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlsave.h>

typedef struct builder {
	xmlDocPtr    doc;
	diag_list_t *dl;
	int          bad;        /* an invalid string was met */
	unsigned     ntables;    /* running numbers for ids */
	unsigned     ncharts;
} builder_t;

/*
 * Returns a copy of s fit for an XML text node: NULL when s is not valid
 * UTF-8 (an error is added, once), else a new string with C0 controls other
 * than tab and newline replaced by spaces.  Caller frees.
 */
static char *
clean_text(builder_t *b, const char *s)
{
	size_t n = strlen(s);
	char *c = NULL;

	if (utf8_invalid_at(s, n) != (size_t)-1) {
		if (!b->bad)
			diag_error(b->dl, NULL, 0,
			    "document text is not valid UTF-8: \"%.40s\"", s);
		b->bad = 1;
		goto cleanup;
	}
	c = xstrdup(s);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
			*p = ' ';
cleanup:
	return c;
}

/* Adds <name>text</name> under parent when text is not NULL; returns the
 * element or NULL. */
static xmlNodePtr
add_text(builder_t *b, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr el = NULL;
	char *c = NULL;

	if (text == NULL || (c = clean_text(b, text)) == NULL)
		goto cleanup;
	el = xmlNewDocNode(b->doc, NULL, BAD_CAST name, NULL);
	xmlAddChild(el, xmlNewDocText(b->doc, BAD_CAST c));
	xmlAddChild(parent, el);
cleanup:
	free(c);
	return el;
}

/* Sets attribute name="value" on el when value is not NULL. */
static void
add_attr(builder_t *b, xmlNodePtr el, const char *name, const char *value)
{
	char *c = NULL;

	if (value == NULL || (c = clean_text(b, value)) == NULL)
		return;
	xmlNewProp(el, BAD_CAST name, BAD_CAST c);
	free(c);
}

static void
add_uattr(xmlNodePtr el, const char *name, unsigned long long v)
{
	char num[32];

	snprintf(num, sizeof num, "%llu", v);
	xmlNewProp(el, BAD_CAST name, BAD_CAST num);
}

/* A number in XPath 1.0 syntax: fixed point, at most 4 decimals, trailing
 * zeros dropped; NaN and negative values as 0. */
static void
add_dattr(xmlNodePtr el, const char *name, double v)
{
	char num[64];
	char *e;

	if (!(v > 0))
		v = 0;
	if (v > 1e12)
		v = 1e12;
	snprintf(num, sizeof num, "%.4f", v);
	e = num + strlen(num);
	while (e[-1] == '0')
		*--e = '\0';
	if (e[-1] == '.')
		e[-1] = '\0';
	xmlNewProp(el, BAD_CAST name, BAD_CAST num);
}

static const char *const align_names[] = {
	[ALIGN_LEFT] = "left", [ALIGN_CENTER] = "center", [ALIGN_RIGHT] = "right",
};

static const char *const role_names[] = {
	[COL_PLAIN] = NULL, [COL_RANK] = "rank", [COL_NAME] = "name",
	[COL_KEY] = "key",
};

static void
add_table(builder_t *b, xmlNodePtr parent, const doc_table_t *t)
{
	xmlNodePtr el = xmlNewChild(parent, NULL, BAD_CAST "table", NULL);

	add_uattr(el, "n", ++b->ntables);
	add_attr(b, el, "caption", t->caption);
	add_attr(b, el, "id", t->id);
	for (size_t c = 0; c < t->ncols; c++) {
		xmlNodePtr col = add_text(b, el, "col", t->head[c] ? t->head[c] : "");
		unsigned a = t->align ? (unsigned)t->align[c] : ALIGN_LEFT;
		unsigned r = t->role ? t->role[c] : COL_PLAIN;

		if (col == NULL)
			continue;
		xmlNewProp(col, BAD_CAST "align", BAD_CAST
		    (a < ARRAY_LEN(align_names) ? align_names[a] : "left"));
		add_uattr(col, "weight", t->weight ? t->weight[c] : 1);
		if (r < ARRAY_LEN(role_names) && role_names[r] != NULL)
			xmlNewProp(col, BAD_CAST "role", BAD_CAST role_names[r]);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		xmlNodePtr row = xmlNewChild(el, NULL, BAD_CAST "row", NULL);

		/* the document keeps every row; each backend shows its own */
		if (t->media != NULL && t->media[r] == MEDIA_PRINT)
			xmlNewProp(row, BAD_CAST "media", BAD_CAST "print");
		else if (t->media != NULL && t->media[r] == MEDIA_WEB)
			xmlNewProp(row, BAD_CAST "media", BAD_CAST "web");
		if (t->row_id != NULL)
			add_attr(b, row, "id", t->row_id[r]);

		for (size_t c = 0; c < t->ncols; c++)
			add_text(b, row, "cell",
			    t->cells[r][c] ? t->cells[r][c] : "");
	}
}

static void
add_chart(builder_t *b, xmlNodePtr parent, const doc_chart_t *ch)
{
	xmlNodePtr el = xmlNewChild(parent, NULL, BAD_CAST "chart", NULL);
	double max = 0;

	for (size_t i = 0; i < ch->nbars; i++)
		if (ch->values[i] > max)
			max = ch->values[i];
	add_uattr(el, "n", ++b->ncharts);
	add_attr(b, el, "title", ch->title);
	add_attr(b, el, "alt", ch->alt);
	add_attr(b, el, "value-label", ch->value_label);
	add_dattr(el, "max", max);
	for (size_t i = 0; i < ch->nbars; i++) {
		xmlNodePtr bar = xmlNewChild(el, NULL, BAD_CAST "bar", NULL);

		add_attr(b, bar, "label", ch->labels[i] ? ch->labels[i] : "");
		add_dattr(bar, "value", ch->values[i]);
		add_attr(b, bar, "text",
		    ch->value_text && ch->value_text[i] ? ch->value_text[i] : "");
	}
}

static void
add_blocks(builder_t *b, xmlNodePtr parent, const doc_section_t *s)
{
	for (size_t i = 0; i < s->nblocks; i++) {
		const doc_block_t *bl = &s->blocks[i];
		xmlNodePtr el = NULL;

		switch (bl->type) {
		case BLK_HEADING:
			el = add_text(b, parent, "heading", bl->text ? bl->text : "");
			if (el != NULL)
				add_uattr(el, "level", bl->level < 1 ? 1 :
				    bl->level > 3 ? 3 : (unsigned)bl->level);
			break;
		case BLK_PARA:
			add_text(b, parent, "para", bl->text ? bl->text : "");
			break;
		case BLK_LIST:
			el = xmlNewChild(parent, NULL, BAD_CAST "list", NULL);
			for (size_t k = 0; k < bl->nitems; k++)
				add_text(b, el, "item", bl->items[k]);
			break;
		case BLK_TABLE:
			if (bl->table != NULL)
				add_table(b, parent, bl->table);
			break;
		case BLK_CHART:
			if (bl->chart != NULL)
				add_chart(b, parent, bl->chart);
			break;
		}
	}
}

xmlDocPtr
docxml_tree(const doc_t *d, diag_list_t *dl)
{
	builder_t b = { .doc = NULL, .dl = dl };
	xmlNodePtr root, meta, el;
	xmlDocPtr out = NULL;

	b.doc = xmlNewDoc(BAD_CAST "1.0");
	root = xmlNewDocNode(b.doc, NULL, BAD_CAST "notice", NULL);
	xmlDocSetRootElement(b.doc, root);
	xmlNewProp(root, BAD_CAST "version", BAD_CAST "1");
	{
		char num[32];

		snprintf(num, sizeof num, "%lld", d->epoch);
		xmlNewProp(root, BAD_CAST "epoch", BAD_CAST num);
	}
	add_attr(&b, root, "anchor", d->anchor);

	meta = xmlNewChild(root, NULL, BAD_CAST "meta", NULL);
	add_text(&b, meta, "index-no", d->meta.index_no);
	add_text(&b, meta, "category", d->meta.category);
	add_text(&b, meta, "publisher", d->meta.publisher);
	add_text(&b, meta, "date", d->meta.date_iso);
	add_text(&b, meta, "validity", d->meta.validity);
	add_text(&b, meta, "column", d->meta.column);
	add_text(&b, meta, "keywords", d->meta.keywords);

	add_text(&b, root, "issuer", d->issuer);
	if (d->doc_number != NULL) {
		el = add_text(&b, root, "doc-number", d->doc_number);
		if (el != NULL)
			xmlNewProp(el, BAD_CAST "blank", BAD_CAST "no");
	} else {
		el = add_text(&b, root, "doc-number",
		    d->doc_number_blank ? d->doc_number_blank : "");
		if (el != NULL)
			xmlNewProp(el, BAD_CAST "blank", BAD_CAST "yes");
	}
	add_text(&b, root, "title", d->title);
	add_text(&b, root, "recipients", d->recipients);

	el = xmlNewChild(root, NULL, BAD_CAST "body", NULL);
	add_blocks(&b, el, &d->body);

	if (d->nattach_note > 0) {
		el = xmlNewChild(root, NULL, BAD_CAST "attach-note", NULL);
		for (size_t i = 0; i < d->nattach_note; i++)
			add_text(&b, el, "line", d->attach_note[i]);
	}
	add_text(&b, root, "signature", d->signature);
	add_text(&b, root, "date", d->date_cn);

	for (size_t i = 0; i < d->nattachments; i++) {
		const doc_section_t *s = &d->attachments[i];

		el = xmlNewChild(root, NULL, BAD_CAST "attachment", NULL);
		add_uattr(el, "n", i + 1);
		add_attr(&b, el, "label", s->label);
		add_attr(&b, el, "title", s->title);
		add_blocks(&b, el, s);
	}

	if (d->cc != NULL || d->printer != NULL || d->print_date != NULL) {
		el = xmlNewChild(root, NULL, BAD_CAST "colophon", NULL);
		add_text(&b, el, "cc", d->cc);
		add_text(&b, el, "printer", d->printer);
		add_text(&b, el, "print-date", d->print_date);
	}
	add_text(&b, root, "author", d->author);
	add_text(&b, root, "subject", d->subject);

	if (!b.bad) {
		out = b.doc;
		b.doc = NULL;
	}
	xmlFreeDoc(b.doc);
	return out;
}

int
docxml_write(const doc_t *d, buf_t *out, diag_list_t *dl)
{
	xmlDocPtr x = NULL;
	xmlBufferPtr xb = NULL;
	xmlSaveCtxtPtr sc = NULL;
	int rc = -1;

	if ((x = docxml_tree(d, dl)) == NULL)
		goto cleanup;
	xb = xmlBufferCreate();
	sc = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_FORMAT);
	if (sc != NULL) {
		long w = xmlSaveDoc(sc, x);

		if (xmlSaveClose(sc) < 0)
			w = -1;
		sc = NULL;
		if (w >= 0)
			rc = 0;
	}
	if (rc != 0) {
		diag_error(dl, NULL, 0, "cannot serialize the notice as XML");
		goto cleanup;
	}
	buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
cleanup:
	xmlBufferFree(xb);
	xmlFreeDoc(x);
	return rc;
}
