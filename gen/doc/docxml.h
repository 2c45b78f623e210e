/*
 * docxml.h - the document model (doc.h) as an XML document: the
 * machine-readable record of a notice, and the input of the portal page's
 * XSLT stylesheet (render_html.c).  The tree is built with libxml2's tree
 * API, so every value is escaped by the serializer, never by string pasting.
 *
 * The vocabulary (no namespace; version attribute "1"):
 *
 *   <notice version="1" epoch=".." anchor="2017q3">
 *     <meta><index-no/><category/><publisher/><date/><validity/>
 *           <column/><keywords/></meta>
 *     <issuer/> <doc-number blank="yes|no"/> <title/> <recipients/>
 *     <body> BLOCK* </body>
 *     <attach-note><line/>*</attach-note>
 *     <signature/> <date/>
 *     <attachment n="1" label=".." title=".."> BLOCK* </attachment>*
 *     <colophon><cc/>? <printer/> <print-date/></colophon>
 *     <author/> <subject/>
 *   </notice>
 *
 *   BLOCK: <heading level="1">text</heading> | <para>text</para>
 *        | <list><item/>*</list>
 *        | <table n=".." caption=".." id=".."><col align="left|center|right"
 *            weight=".." role="rank|name|key">head</col>*
 *            <row media="print|web" id=".."><cell/>*</row>*</table>
 *        | <chart n=".." title=".." alt=".." value-label=".." max="..">
 *            <bar label=".." value=".." text=".."/>*</chart>
 *
 * n numbers tables (and charts) through the whole document from 1, so a
 * stylesheet can make stable ids without generate-id().  The portal's
 * anchors (doc.h): the notice's anchor (its ids' prefix), a table's id (a
 * group), a row's id (a unit) and a column's role (the three a phone keeps
 * in view); each is left out when the model has none.  An element whose
 * model field is NULL is left out (doc-number: the blank form is used and
 * blank="yes").  C0 control characters other than tab and newline, which
 * XML 1.0 cannot carry, become spaces.
 */
#ifndef TB_DOCXML_H
#define TB_DOCXML_H

#include <libxml/tree.h>

#include "doc.h"
#include "diag.h"
#include "util.h"

/*
 * Builds the XML tree of doc.  Returns a new document (the caller frees it
 * with xmlFreeDoc), or NULL after adding an error to dl (a string that is
 * not valid UTF-8).
 */
xmlDocPtr docxml_tree(const doc_t *doc, diag_list_t *dl);

/*
 * Appends the XML of doc (UTF-8, with declaration, indented) to *out.
 * Same doc, same bytes.  Returns 0, or -1 after adding an error to dl.
 */
int docxml_write(const doc_t *doc, buf_t *out, diag_list_t *dl);

#endif
