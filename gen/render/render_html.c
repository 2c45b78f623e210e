/*
 * render_html.c - the portal page.  The document model is serialized as XML
 * (docxml.c) and turned into HTML by the XSLT stylesheet
 * templates_dir/html.xsl through libxslt; the stylesheet's CSS lives beside
 * it in templates_dir/style.css and is passed in as the string parameter
 * "css", so the page is one self-contained file and the webmaster can
 * restyle it without a rebuild.  The body-only fragment, for portals whose
 * CMS wraps content in its own template, is the page's <article> element
 * serialized on its own, behind a <link> to the same CSS published as
 * tongbao.css (a <style> may not stand in a page's body; a stylesheet link
 * may): one transformation, so page and fragment cannot differ (and the
 * notice is transformed once, not twice).
 *
 * What the page links to besides itself is what the caller publishes with
 * it (html_links_t): the files, with their sizes, are added to the XML
 * tree as <portal><file/>*</portal> for this transformation only (the
 * published notice.xml does not carry them), and the stylesheet links
 * only to those.
 *
 * No value is ever pasted into markup here: the XML tree carries text, the
 * stylesheet copies text, and libxml2's HTML serializer escapes it.  The
 * stylesheet is parsed without network access or entity expansion, and the
 * transformation may neither read nor write files or the network
 * (xsltSecurityPrefs), so a template cannot make the page depend on anything
 * outside itself.  XSLT is deterministic (the stylesheet does not use
 * generate-id()), so the same doc gives the same bytes.
 */
#include "render.h"
#include "docxml.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/HTMLtree.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>

#define HTML_XSL  "html.xsl"
#define HTML_CSS  "style.css"
#define PUB_CSS   "tongbao.css"     /* style.css as published for the fragment */
#define DOCTYPE   "<!DOCTYPE html>\n"

/*
 * Parses the stylesheet at path: no network, no DTD loading, no entity
 * substitution, CDATA merged into text.  Returns it (caller frees with
 * xsltFreeStylesheet, which also frees the XML document) or NULL after
 * adding an error to dl.
 */
static xsltStylesheetPtr
load_stylesheet(const char *path, diag_list_t *dl)
{
	xmlParserCtxtPtr pc = NULL;
	xmlDocPtr xd = NULL;
	xsltStylesheetPtr style = NULL;

	pc = xmlNewParserCtxt();
	if (pc == NULL) {
		diag_error(dl, path, 0, "cannot create an XML parser");
		goto cleanup;
	}
	xd = xmlCtxtReadFile(pc, path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (xd == NULL) {
		const xmlError *e = xmlCtxtGetLastError(pc);

		if (e != NULL && e->message != NULL)
			diag_error(dl, path, e->line, "%.*s",
			    (int)strcspn(e->message, "\n"), e->message);
		else
			diag_error(dl, path, 0, "cannot read the stylesheet");
		goto cleanup;
	}
	style = xsltParseStylesheetDoc(xd);
	if (style == NULL) {
		diag_error(dl, path, 0, "not a usable XSLT stylesheet");
		goto cleanup;
	}
	xd = NULL;                       /* owned by style now */
	if (style->errors > 0) {
		diag_error(dl, path, 0, "the stylesheet has %d error(s)",
		    style->errors);
		xsltFreeStylesheet(style);
		style = NULL;
	}
cleanup:
	xmlFreeDoc(xd);
	xmlFreeParserCtxt(pc);
	return style;
}

/*
 * Reads the CSS at path into *css (caller frees).  It must be UTF-8 and may
 * not hold "</" (which would end the <style> element early).  Returns 0, or
 * -1 after adding an error to dl.
 */
static int
load_css(const char *path, char **css, diag_list_t *dl)
{
	size_t len = 0;
	int err, rc = -1;

	*css = NULL;
	if ((err = read_file(path, css, &len)) != 0) {
		diag_error(dl, path, 0, "cannot read: %s", strerror(err));
		goto cleanup;
	}
	if (utf8_invalid_at(*css, len) != (size_t)-1 || strlen(*css) != len) {
		diag_error(dl, path, 0, "the style sheet is not valid UTF-8 text");
		goto cleanup;
	}
	if (strstr(*css, "</") != NULL) {
		diag_error(dl, path, 0, "the style sheet may not contain \"</\"");
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc != 0) {
		free(*css);
		*css = NULL;
	}
	return rc;
}

/* Collects libxslt's messages about one transformation (ctx is a buf_t). */
static void
collect_error(void *ctx, const char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	buf_vprintf(ctx, msg, ap);
	va_end(ap);
}

/*
 * Runs style over xd with the string parameter css under a security policy
 * forbidding all file and network access.  Returns the result document
 * (caller frees with xmlFreeDoc), or NULL after adding an error to dl with
 * libxslt's own messages.
 */
static xmlDocPtr
transform(xsltStylesheetPtr style, xmlDocPtr xd, const char *css,
    const char *path, diag_list_t *dl)
{
	xsltSecurityPrefsPtr sec = NULL;
	xsltTransformContextPtr ctxt = NULL;
	xmlDocPtr res = NULL;
	buf_t msgs;
	static const xsltSecurityOption forbidden[] = {
		XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE,
		XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
		XSLT_SECPREF_WRITE_NETWORK,
	};

	buf_init(&msgs);
	sec = xsltNewSecurityPrefs();
	ctxt = xsltNewTransformContext(style, xd);
	if (sec == NULL || ctxt == NULL) {
		diag_error(dl, path, 0, "cannot set up the XSLT transformation");
		goto cleanup;
	}
	xsltSetTransformErrorFunc(ctxt, &msgs, collect_error);
	for (size_t i = 0; i < ARRAY_LEN(forbidden); i++)
		xsltSetSecurityPrefs(sec, forbidden[i], xsltSecurityForbid);
	if (xsltSetCtxtSecurityPrefs(sec, ctxt) != 0 ||
	    xsltQuoteOneUserParam(ctxt, BAD_CAST "css", BAD_CAST css) != 0) {
		diag_error(dl, path, 0, "cannot set up the XSLT transformation");
		goto cleanup;
	}
	res = xsltApplyStylesheetUser(style, xd, NULL, NULL, NULL, ctxt);
	if (res == NULL || ctxt->state != XSLT_STATE_OK) {
		for (char *p = msgs.data; p != NULL && *p; p++)
			if (*p == '\n')
				*p = p[1] ? ';' : '\0';
		diag_error(dl, path, 0, "the stylesheet failed on the notice%s%s",
		    msgs.len ? ": " : "", msgs.len ? msgs.data : "");
		xmlFreeDoc(res);
		res = NULL;
	}
cleanup:
	xsltFreeTransformContext(ctxt);
	xsltFreeSecurityPrefs(sec);
	buf_free(&msgs);
	return res;
}

/* The first element named name in document order under n, or NULL. */
static xmlNodePtr
find_element(xmlNodePtr n, const char *name)
{
	xmlNodePtr found = NULL;

	for (; n != NULL && found == NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST name))
			found = n;
		else
			found = find_element(n->children, name);
	}
	return found;
}

/*
 * Adds to the notice's tree what the page links to: <portal base="..">
 * with a <file name=".." size=".." offer="yes"/> per published file.
 */
static void
add_portal(xmlDocPtr xd, const html_links_t *links)
{
	xmlNodePtr portal = xmlNewChild(xmlDocGetRootElement(xd), NULL,
	    BAD_CAST "portal", NULL);

	if (links == NULL)
		return;
	if (links->base_url != NULL)
		xmlNewProp(portal, BAD_CAST "base", BAD_CAST links->base_url);
	for (size_t i = 0; i < links->nfiles; i++) {
		xmlNodePtr f = xmlNewChild(portal, NULL, BAD_CAST "file", NULL);
		char num[32];

		snprintf(num, sizeof num, "%zu", links->files[i].size);
		xmlNewProp(f, BAD_CAST "name", BAD_CAST links->files[i].name);
		xmlNewProp(f, BAD_CAST "size", BAD_CAST num);
		if (links->files[i].offer)
			xmlNewProp(f, BAD_CAST "offer", BAD_CAST "yes");
	}
}

/*
 * Appends the serialized page (res as the stylesheet's xsl:output says) to
 * *page, and to *fragment a <link> to the stylesheet (at base_url when not
 * NULL) and the page's <article> element; either may be NULL.  Returns 0,
 * or -1 after adding an error to dl.
 */
static int
serialize(xsltStylesheetPtr style, xmlDocPtr res, const char *path,
    const char *base_url, buf_t *page, buf_t *fragment, diag_list_t *dl)
{
	xmlChar *txt = NULL;
	int len = 0, rc = -1;
	xmlOutputBufferPtr ob = NULL;
	xmlNodePtr art, link = NULL;
	char *href = NULL;

	if (page != NULL) {
		if (xsltSaveResultToString(&txt, &len, res, style) != 0 ||
		    txt == NULL || len <= 0) {
			diag_error(dl, path, 0, "cannot serialize the page");
			goto cleanup;
		}
		buf_puts(page, DOCTYPE);
		buf_add(page, txt, (size_t)len);
	}
	if (fragment != NULL) {
		if ((art = find_element(xmlDocGetRootElement(res), "article")) == NULL) {
			diag_error(dl, path, 0, "the page has no <article> element "
			    "to serve as the fragment");
			goto cleanup;
		}
		if ((ob = xmlAllocOutputBuffer(NULL)) == NULL) {
			diag_error(dl, path, 0, "cannot serialize the fragment");
			goto cleanup;
		}
		/* built as a node, so the serializer escapes the URL */
		href = xasprintf("%s%s", base_url ? base_url : "", PUB_CSS);
		link = xmlNewDocNode(res, NULL, BAD_CAST "link", NULL);
		xmlNewProp(link, BAD_CAST "rel", BAD_CAST "stylesheet");
		xmlNewProp(link, BAD_CAST "href", BAD_CAST href);
		htmlNodeDumpFormatOutput(ob, res, link, "UTF-8", 1);
		xmlOutputBufferWrite(ob, 1, "\n");
		htmlNodeDumpFormatOutput(ob, res, art, "UTF-8", 1);
		xmlOutputBufferFlush(ob);
		if (ob->error != 0) {
			diag_error(dl, path, 0, "cannot serialize the fragment");
			goto cleanup;
		}
		buf_add(fragment, xmlOutputBufferGetContent(ob),
		    xmlOutputBufferGetSize(ob));
		buf_putc(fragment, '\n');
	}
	rc = 0;
cleanup:
	if (ob != NULL)
		xmlOutputBufferClose(ob);
	xmlFreeNode(link);
	free(href);
	xmlFree(txt);
	return rc;
}

int
render_html_links(const doc_t *doc, const char *templates_dir,
    const html_links_t *links, buf_t *page, buf_t *fragment, buf_t *css_out,
    diag_list_t *dl)
{
	char *xsl_path = NULL, *css_path = NULL, *css = NULL;
	xsltStylesheetPtr style = NULL;
	xmlDocPtr xd = NULL, res = NULL;
	int rc = -1;

	xsl_path = xasprintf("%s/%s", templates_dir, HTML_XSL);
	css_path = xasprintf("%s/%s", templates_dir, HTML_CSS);
	if (load_css(css_path, &css, dl) != 0)
		goto cleanup;
	if ((style = load_stylesheet(xsl_path, dl)) == NULL)
		goto cleanup;
	if ((xd = docxml_tree(doc, dl)) == NULL)
		goto cleanup;
	add_portal(xd, links);
	if ((res = transform(style, xd, css, xsl_path, dl)) == NULL)
		goto cleanup;
	if (serialize(style, res, xsl_path, links ? links->base_url : NULL,
	    page, fragment, dl) != 0)
		goto cleanup;
	if (css_out != NULL)
		buf_puts(css_out, css);
	rc = 0;
cleanup:
	xmlFreeDoc(res);
	xmlFreeDoc(xd);
	xsltFreeStylesheet(style);
	free(css);
	free(css_path);
	free(xsl_path);
	return rc;
}

int
render_html(const doc_t *doc, const char *templates_dir, buf_t *page,
    buf_t *fragment, diag_list_t *dl)
{
	return render_html_links(doc, templates_dir, NULL, page, fragment, NULL,
	    dl);
}
