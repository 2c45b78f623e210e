/*
 * config_units.c - the registry (units.xml): the groups, their categories
 * with their quotas, and the units with their ids, names and aliases, each
 * folded name checked against every other unit's (SPEC 2.3) with FILE:LINE.
 * Part of the configuration loader (config_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "config_int.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

void
registry_free(registry_t *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ngroups; i++) {
		free(r->groups[i].id);
		free(r->groups[i].name);
	}
	for (i = 0; i < r->ncats; i++) {
		free(r->cats[i].id);
		free(r->cats[i].name);
	}
	for (i = 0; i < r->nunits; i++) {
		free(r->units[i].id);
		free(r->units[i].name);
		free(r->units[i].head);
		cf_free_strs(r->units[i].aliases, r->units[i].naliases);
	}
	free(r->groups);
	free(r->cats);
	free(r->units);
	memset(r, 0, sizeof *r);
}

/* State while building a registry: capacities (the model keeps only
 * counts) and the names seen so far, for the collision checks. */
struct reg_build {
	size_t capg, capc, capu;
	struct seen ids;        /* unit ids */
	struct seen gids, cids; /* group ids, category ids */
	struct seen names;      /* unit names and aliases */
};

/* Registers the id, name and aliases of the unit just added (element un),
 * reporting each one another unit already uses. */
static void
check_unit_names(const char *file, registry_t *r, struct reg_build *b,
    xmlNodePtr un, diag_list_t *dl)
{
	size_t ui = r->nunits - 1, hit, k;
	unit_t *u = &r->units[ui];
	long line = xmlGetLineNo(un);
	xmlNodePtr c;

	hit = cf_seen_add(&b->ids, u->id, ui, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate unit id \"%s\" (first at "
		    "line %ld)", u->id, b->ids.line[hit]);
	hit = cf_seen_add(&b->names, u->name, ui, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "unit name \"%s\" is already used "
		    "by unit \"%s\" (line %ld)", u->name,
		    r->units[b->names.owner[hit]].name, b->names.line[hit]);
	k = 0;
	for (c = un->children; c != NULL; c = c->next) {
		if (!cf_is_elem(c, "alias"))
			continue;
		if (k < u->naliases) {
			long al = xmlGetLineNo(c);
			hit = cf_seen_add(&b->names, u->aliases[k], ui, al);
			if (hit != (size_t)-1)
				diag_error(dl, file, al, "alias \"%s\" of unit "
				    "\"%s\" is already used by unit \"%s\" "
				    "(line %ld)", u->aliases[k], u->name,
				    r->units[b->names.owner[hit]].name,
				    b->names.line[hit]);
			if (*u->aliases[k] == '\0')
				diag_error(dl, file, al, "empty alias of unit "
				    "\"%s\"", u->name);
		}
		k++;
	}
}

/* Adds the units of one <category> element. */
static void
read_units(const char *file, registry_t *r, struct reg_build *b,
    xmlNodePtr cn, diag_list_t *dl)
{
	xmlNodePtr un;
	unit_t *u;

	for (un = cn->children; un != NULL; un = un->next) {
		if (!cf_is_elem(un, "unit"))
			continue;
		xgrow(&r->units, &b->capu, r->nunits + 1, sizeof *r->units);
		u = &r->units[r->nunits++];
		memset(u, 0, sizeof *u);
		u->id = cf_attr_str(un, "id");
		u->name = cf_attr_str(un, "name");
		u->head = cf_attr(un, "head");
		u->naliases = cf_read_aliases(un, &u->aliases);
		u->category = r->ncats - 1;
		u->group = r->cats[r->ncats - 1].group;
		if (*u->name == '\0')
			diag_error(dl, file, xmlGetLineNo(un), "unit without a name");
		check_unit_names(file, r, b, un, dl);
	}
}

/* Adds one <group> element with its categories and units. */
static void
read_group(const char *file, registry_t *r, struct reg_build *b,
    xmlNodePtr gn, diag_list_t *dl)
{
	xmlNodePtr cn;
	size_t gi, hit;
	category_t *cat;
	long line = xmlGetLineNo(gn);

	xgrow(&r->groups, &b->capg, r->ngroups + 1, sizeof *r->groups);
	gi = r->ngroups++;
	r->groups[gi].id = cf_attr_str(gn, "id");
	r->groups[gi].name = cf_attr_str(gn, "name");
	hit = cf_seen_add(&b->gids, r->groups[gi].id, gi, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate group id \"%s\" (first at "
		    "line %ld)", r->groups[gi].id, b->gids.line[hit]);
	for (cn = gn->children; cn != NULL; cn = cn->next) {
		long cl;
		if (!cf_is_elem(cn, "category"))
			continue;
		cl = xmlGetLineNo(cn);
		xgrow(&r->cats, &b->capc, r->ncats + 1, sizeof *r->cats);
		cat = &r->cats[r->ncats++];
		cat->id = cf_attr_str(cn, "id");
		cat->name = cf_attr_str(cn, "name");
		cat->group = gi;
		cat->quota = (int)cf_attr_long(cn, "quota", 0);
		if (cat->quota <= 0)
			diag_error(dl, file, cl, "category \"%s\": quota must be "
			    "a whole number above 0", cat->name);
		hit = cf_seen_add(&b->cids, cat->id, r->ncats - 1, cl);
		if (hit != (size_t)-1)
			diag_error(dl, file, cl, "duplicate category id \"%s\" "
			    "(first at line %ld)", cat->id, b->cids.line[hit]);
		read_units(file, r, b, cn, dl);
	}
}

int
registry_load(const char *file, const char *schema_dir, registry_t *out,
    diag_list_t *dl)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, gn;
	struct reg_build b;
	size_t before = dl->errors, i, hit;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	doc = cf_doc_load(file, schema_dir, "units.xsd", dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	for (gn = root->children; gn != NULL; gn = gn->next)
		if (cf_is_elem(gn, "group"))
			read_group(file, out, &b, gn, dl);
	/* a unit id must not read as another unit's name or alias (each
	 * folded name is in the table once: one look-up a unit) */
	for (i = 0; i < out->nunits; i++) {
		char *k = name_key(out->units[i].id);
		size_t j = cf_seen_find(&b.names, k);

		if (j != (size_t)-1 && b.names.owner[j] != i) {
			hit = b.names.owner[j];
			diag_error(dl, file, b.names.line[j], "\"%s\", a "
			    "name or alias of unit \"%s\", is also the id "
			    "of unit \"%s\"",
			    out->units[i].id, out->units[hit].name,
			    out->units[i].name);
		}
		free(k);
	}
	if (out->nunits == 0)
		diag_error(dl, file, 0, "the registry holds no unit");
	if (dl->errors == before)
		rc = 0;

cleanup:
	if (rc != 0)
		registry_free(out);
	cf_seen_free(&b.ids);
	cf_seen_free(&b.gids);
	cf_seen_free(&b.cids);
	cf_seen_free(&b.names);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}
