/*
 * xmlread.h - XML input with libxml2, safely: no network, no entity
 * substitution, no DTD loading, size limits kept; every document is
 * validated against the project's XML Schema before use.
 */
#ifndef TB_XMLREAD_H
#define TB_XMLREAD_H

#include <libxml/tree.h>
#include "table.h"
#include "diag.h"

/*
 * Parses `file` with network access and entity expansion off and validates
 * it against the schema at `xsd_path`.  A document with a DOCTYPE that
 * declares entities is refused.  Errors go to dl as FILE:LINE.  Returns the
 * document (caller frees with xmlFreeDoc) or NULL.
 */
xmlDocPtr xml_load_validated(const char *file, const char *xsd_path,
    diag_list_t *dl);

/*
 * A ledger in XML (submissions, adoptions, directives): the root holds one
 * element per record, whose child elements carry the fields named by their
 * English aliases (see templates/schema/ledger.xsd).  Produces the same
 * table_t as the CSV reader: columns are the union of the field names in
 * schema order, rows carry the line of their record element.
 */
int xml_read_ledger(const char *file, const char *xsd_path, table_t *out,
    diag_list_t *dl);

/*
 * Messages libxml2 gives outside our parsers (which route theirs into the
 * error list) are printed on stderr as "FILE:LINE: error: message" when
 * they name a file, else "tongbao: error: libxml2: message", never in
 * libxml2's own format.  For the calling thread; main() calls it.
 */
void xml_route_errors(void);

#endif
