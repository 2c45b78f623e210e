/*
 * config.c - loads the registry (units.xml, config_units.c) and the rules
 * (rules.xml, config_rules.c) into the model, and answers the lookups the
 * ledger stage needs; this file is what the two loaders share
 * (config_int.h): the XML helpers, a file loaded, validated and searched
 * for hidden characters, and the name table of the collision checks.
 *
 * Both files are first validated against templates/schema/{units,rules}.xsd
 * (xmlread.c), so the walk below can trust the structure; what a schema
 * cannot say is checked here with FILE:LINE errors: names and aliases that
 * collide between units once folded by name_key() (SPEC 2.3), duplicate
 * carriers, kinds or mailboxes, honours naming an unknown group.  Every
 * number the regulation sets comes from these files; none lives in C code.
 *
 * Lookups are linear over a few dozen entries and fold on the fly; callers
 * matching many rows (ledger.c) build their own maps.
 */
#define _POSIX_C_SOURCE 200809L
#include "config_int.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* ---- small XML helpers ------------------------------------------------ */

/* The attribute's value trimmed, newly allocated; NULL when absent. */
char *
cf_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = NULL;

	if (v != NULL) {
		s = trim(xstrdup((const char *)v));
		xmlFree(v);
	}
	return s;
}

/* The attribute's value trimmed, newly allocated; "" when absent. */
char *
cf_attr_str(xmlNodePtr n, const char *name)
{
	char *s = cf_attr(n, name);

	return s != NULL ? s : xstrdup("");
}

/* True when n is an element called name. */
bool
cf_is_elem(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The text of an element, trimmed; newly allocated. */
char *
cf_text_of(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s = trim(xstrdup(c != NULL ? (const char *)c : ""));

	xmlFree(c);
	return s;
}

/* Integer attribute (the schema has checked its form); def when absent. */
long
cf_attr_long(xmlNodePtr n, const char *name, long def)
{
	char *s = cf_attr(n, name);
	long v = def;

	if (s != NULL && *s != '\0')
		v = strtol(s, NULL, 10);
	free(s);
	return v;
}

/* xs:boolean attribute: true for "true" or "1"; false when absent. */
bool
cf_attr_bool(xmlNodePtr n, const char *name)
{
	char *s = cf_attr(n, name);
	bool v = s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);

	free(s);
	return v;
}

/* Collects the <alias> children of n into a new array; returns the count. */
size_t
cf_read_aliases(xmlNodePtr n, char ***out)
{
	strvec_t sv = { NULL, 0, 0 };
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next)
		if (cf_is_elem(c, "alias"))
			strvec_push_owned(&sv, cf_text_of(c));
	*out = sv.v;
	return sv.n;
}

void
cf_free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *
join_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir != NULL && *dir ? dir : ".", name);
}

/*
 * Every value of the document (attributes and text) is a name, an id, an
 * alias or a number: one holding a character that hides or reorders text
 * (text.h: a unit's name shown reversed, two names that look the same) is
 * an error at its line.  Returns the number of errors.
 */
static size_t
hidden_in_doc(const char *file, xmlNodePtr n, diag_list_t *dl)
{
	size_t errors = 0;

	for (; n != NULL; n = n->next) {
		uint32_t cp;

		if (n->type == XML_TEXT_NODE && n->content != NULL &&
		    text_hidden_at((const char *)n->content, &cp) != (size_t)-1) {
			diag_error(dl, file, xmlGetLineNo(n), "the text of <%s> "
			    "\"%s\" holds U+%04X, %s, which hides or reorders "
			    "text: remove it", n->parent != NULL ?
			    (const char *)n->parent->name : "", (const char *)
			    n->content, (unsigned)cp, text_hidden_name(cp));
			errors++;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
			xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);

			if (v != NULL && text_hidden_at((const char *)v, &cp) !=
			    (size_t)-1) {
				diag_error(dl, file, xmlGetLineNo(n), "<%s %s=\"%s\"> "
				    "holds U+%04X, %s, which hides or reorders text: "
				    "remove it", (const char *)n->name,
				    (const char *)a->name, (const char *)v,
				    (unsigned)cp, text_hidden_name(cp));
				errors++;
			}
			xmlFree(v);
		}
		errors += hidden_in_doc(file, n->children, dl);
	}
	return errors;
}

xmlDocPtr
cf_doc_load(const char *file, const char *schema_dir, const char *xsd_name,
    diag_list_t *dl)
{
	char *xsd = join_path(schema_dir, xsd_name);
	xmlDocPtr doc = xml_load_validated(file, xsd, dl);

	if (doc != NULL && hidden_in_doc(file, xmlDocGetRootElement(doc),
	    dl) > 0) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	free(xsd);
	return doc;
}

/* ---- a name table for collision checks -------------------------------- */

void
cf_seen_free(struct seen *s)
{
	strmap_free(&s->map);
	free(s->owner);
	free(s->line);
	memset(s, 0, sizeof *s);
}

size_t
cf_seen_find(const struct seen *s, const char *k)
{
	size_t i;

	return strmap_get(&s->map, k, &i) ? i : (size_t)-1;
}

size_t
cf_seen_add(struct seen *s, const char *name, size_t owner, long line)
{
	char *k = name_key(name);
	size_t i = cf_seen_find(s, k);

	if (i != (size_t)-1) {
		free(k);
		return s->owner[i] == owner ? (size_t)-1 : i;
	}
	xgrow(&s->owner, &s->capo, s->n + 1, sizeof *s->owner);
	xgrow(&s->line, &s->capl, s->n + 1, sizeof *s->line);
	strmap_put(&s->map, k, s->n, NULL);
	free(k);
	s->owner[s->n] = owner;
	s->line[s->n] = line;
	s->n++;
	return (size_t)-1;
}
