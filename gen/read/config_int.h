/*
 * config_int.h - the configuration loader's own header: only config.c,
 * config_units.c and config_rules.c include it; the rest of the program
 * sees config.h.  What the two loaders share, in config.c:
 *   config.c        the XML helpers, the name table of the collision
 *                   checks, a file loaded, validated and searched for
 *                   hidden characters
 *   config_units.c  the registry (units.xml)
 *   config_rules.c  the rules (rules.xml) and their lookups
 */
#ifndef TB_CONFIG_INT_H
#define TB_CONFIG_INT_H

#include "config.h"
#include "diag.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* The attribute's value trimmed, newly allocated; NULL when absent. */
char *cf_attr(xmlNodePtr n, const char *name);
/* The same, but "" (newly allocated) when absent. */
char *cf_attr_str(xmlNodePtr n, const char *name);
/* True when n is an element called name. */
bool cf_is_elem(xmlNodePtr n, const char *name);
/* The text of an element, trimmed; newly allocated. */
char *cf_text_of(xmlNodePtr n);
/* Integer attribute (the schema has checked its form); def when absent. */
long cf_attr_long(xmlNodePtr n, const char *name, long def);
/* xs:boolean attribute: true for "true" or "1"; false when absent. */
bool cf_attr_bool(xmlNodePtr n, const char *name);
/* Collects the <alias> children of n into a new array; returns the count. */
size_t cf_read_aliases(xmlNodePtr n, char ***out);
/* Frees the n strings of v and v. */
void cf_free_strs(char **v, size_t n);

/*
 * The file loaded and validated against SCHEMA_DIR/xsd_name (xmlread.c),
 * then searched for characters that hide or reorder text (errors at their
 * lines); the document, for the caller to free with xmlFreeDoc(), or NULL
 * when anything failed (the errors are in dl).
 */
xmlDocPtr cf_doc_load(const char *file, const char *schema_dir,
    const char *xsd_name, diag_list_t *dl);

/*
 * Every folded name seen so far, who owns it and where it was written:
 * found by hashing (util.h strmap), so a registry of a hundred thousand
 * names and aliases is checked in linear time, not in n^2 comparisons.
 * All zero is an empty table.
 */
struct seen {
	strmap_t map;           /* folded name -> entry */
	size_t  *owner;
	long    *line;
	size_t   n, capo, capl;
};

void cf_seen_free(struct seen *s);
/* The entry of the folded key k, or (size_t)-1. */
size_t cf_seen_find(const struct seen *s, const char *k);
/*
 * Adds name for owner; when the folded name is already taken by another
 * owner, returns the index of that entry, else (size_t)-1.  Repeats for the
 * same owner are ignored.
 */
size_t cf_seen_add(struct seen *s, const char *name, size_t owner, long line);

#endif
