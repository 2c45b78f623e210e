/*
 * config.c - loads the registry (units.xml) and the rules (rules.xml) into
 * the model, and answers the lookups the ledger stage needs.
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
#include "config.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* ---- small XML helpers ------------------------------------------------ */

/* The attribute's value trimmed, newly allocated; NULL when absent. */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = NULL;

	if (v != NULL) {
		s = trim(xstrdup((const char *)v));
		xmlFree(v);
	}
	return s;
}

/* True when n is an element called name. */
static bool
is_elem(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The text of an element, trimmed; newly allocated. */
static char *
text_of(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s = trim(xstrdup(c != NULL ? (const char *)c : ""));

	xmlFree(c);
	return s;
}

/* Integer attribute (the schema has checked its form); def when absent. */
static long
attr_long(xmlNodePtr n, const char *name, long def)
{
	char *s = attr(n, name);
	long v = def;

	if (s != NULL && *s != '\0')
		v = strtol(s, NULL, 10);
	free(s);
	return v;
}

/* xs:boolean attribute: true for "true" or "1"; false when absent. */
static bool
attr_bool(xmlNodePtr n, const char *name)
{
	char *s = attr(n, name);
	bool v = s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);

	free(s);
	return v;
}

/*
 * Parses points written as "15" or "2.5" into tenths; returns NO_POINTS for
 * NULL and -2 for a malformed value.
 */
static tenths
parse_points(const char *s)
{
	tenths t = 0;
	const char *p = s;

	if (s == NULL)
		return NO_POINTS;
	if (*p < '0' || *p > '9')
		return -2;
	for (; *p >= '0' && *p <= '9'; p++) {
		t = t * 10 + (*p - '0');
		if (t > 100000000)
			return -2;
	}
	t *= 10;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -2;
		t += *p - '0';
		p++;
	}
	return *p == '\0' ? t : -2;
}

/* Collects the <alias> children of n into a new array; returns the count. */
static size_t
read_aliases(xmlNodePtr n, char ***out)
{
	strvec_t sv = { NULL, 0, 0 };
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next)
		if (is_elem(c, "alias"))
			strvec_push_owned(&sv, text_of(c));
	*out = sv.v;
	return sv.n;
}

static void
free_strs(char **v, size_t n)
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

/* ---- a name table for collision checks -------------------------------- */

/*
 * Every folded name seen so far, who owns it and where it was written:
 * found by hashing (util.h strmap), so a registry of a hundred thousand
 * names and aliases is checked in linear time, not in n^2 comparisons.
 */
struct seen {
	strmap_t map;           /* folded name -> entry */
	size_t  *owner;
	long    *line;
	size_t   n, capo, capl;
};

static void
seen_free(struct seen *s)
{
	strmap_free(&s->map);
	free(s->owner);
	free(s->line);
	memset(s, 0, sizeof *s);
}

/* The entry of the folded key k, or (size_t)-1. */
static size_t
seen_find(const struct seen *s, const char *k)
{
	size_t i;

	return strmap_get(&s->map, k, &i) ? i : (size_t)-1;
}

/*
 * Adds name for owner; when the folded name is already taken by another
 * owner, returns the index of that entry, else (size_t)-1.  Repeats for the
 * same owner are ignored.
 */
static size_t
seen_add(struct seen *s, const char *name, size_t owner, long line)
{
	char *k = name_key(name);
	size_t i = seen_find(s, k);

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

/* ---- registry ----------------------------------------------------------- */

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
		free_strs(r->units[i].aliases, r->units[i].naliases);
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

	hit = seen_add(&b->ids, u->id, ui, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate unit id \"%s\" (first at "
		    "line %ld)", u->id, b->ids.line[hit]);
	hit = seen_add(&b->names, u->name, ui, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "unit name \"%s\" is already used "
		    "by unit \"%s\" (line %ld)", u->name,
		    r->units[b->names.owner[hit]].name, b->names.line[hit]);
	k = 0;
	for (c = un->children; c != NULL; c = c->next) {
		if (!is_elem(c, "alias"))
			continue;
		if (k < u->naliases) {
			long al = xmlGetLineNo(c);
			hit = seen_add(&b->names, u->aliases[k], ui, al);
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
		if (!is_elem(un, "unit"))
			continue;
		xgrow(&r->units, &b->capu, r->nunits + 1, sizeof *r->units);
		u = &r->units[r->nunits++];
		memset(u, 0, sizeof *u);
		u->id = attr(un, "id");
		u->name = attr(un, "name");
		u->head = attr(un, "head");
		if (u->id == NULL)
			u->id = xstrdup("");
		if (u->name == NULL)
			u->name = xstrdup("");
		u->naliases = read_aliases(un, &u->aliases);
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
	r->groups[gi].id = attr(gn, "id");
	r->groups[gi].name = attr(gn, "name");
	if (r->groups[gi].id == NULL)
		r->groups[gi].id = xstrdup("");
	if (r->groups[gi].name == NULL)
		r->groups[gi].name = xstrdup("");
	hit = seen_add(&b->gids, r->groups[gi].id, gi, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate group id \"%s\" (first at "
		    "line %ld)", r->groups[gi].id, b->gids.line[hit]);
	for (cn = gn->children; cn != NULL; cn = cn->next) {
		long cl;
		if (!is_elem(cn, "category"))
			continue;
		cl = xmlGetLineNo(cn);
		xgrow(&r->cats, &b->capc, r->ncats + 1, sizeof *r->cats);
		cat = &r->cats[r->ncats++];
		cat->id = attr(cn, "id");
		cat->name = attr(cn, "name");
		if (cat->id == NULL)
			cat->id = xstrdup("");
		if (cat->name == NULL)
			cat->name = xstrdup("");
		cat->group = gi;
		cat->quota = (int)attr_long(cn, "quota", 0);
		if (cat->quota <= 0)
			diag_error(dl, file, cl, "category \"%s\": quota must be "
			    "a whole number above 0", cat->name);
		hit = seen_add(&b->cids, cat->id, r->ncats - 1, cl);
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
	char *xsd = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, gn;
	struct reg_build b;
	size_t before = dl->errors, i, hit;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	xsd = join_path(schema_dir, "units.xsd");
	doc = xml_load_validated(file, xsd, dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (hidden_in_doc(file, root, dl) > 0)
		goto cleanup;
	for (gn = root->children; gn != NULL; gn = gn->next)
		if (is_elem(gn, "group"))
			read_group(file, out, &b, gn, dl);
	/* a unit id must not read as another unit's name or alias (each
	 * folded name is in the table once: one look-up a unit) */
	for (i = 0; i < out->nunits; i++) {
		char *k = name_key(out->units[i].id);
		size_t j = seen_find(&b.names, k);

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
	seen_free(&b.ids);
	seen_free(&b.gids);
	seen_free(&b.cids);
	seen_free(&b.names);
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(xsd);
	return rc;
}

/* ---- rules -------------------------------------------------------------- */

void
rules_free(rules_t *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nkinds; i++) {
		free(r->kinds[i].name);
		free_strs(r->kinds[i].aliases, r->kinds[i].naliases);
	}
	for (i = 0; i < r->ncarriers; i++) {
		free(r->carriers[i].name);
		free_strs(r->carriers[i].aliases, r->carriers[i].naliases);
	}
	free(r->kinds);
	free(r->carriers);
	free_strs(r->mailboxes, r->nmailboxes);
	free_strs(r->others, r->nothers);
	free(r->honours);
	free(r->contact_name);
	free(r->contact_phone);
	free(r->contact_email);
	memset(r, 0, sizeof *r);
}

/*
 * Registers the name and the aliases of element n (entry idx of a kind or
 * carrier list) in *names, reporting a collision with another entry as
 * "duplicate WHAT"; owner_names[i] is entry i's name, for the message.
 */
static void
check_names(const char *file, const char *what, xmlNodePtr n, size_t idx,
    const char *name, char **aliases, size_t naliases, struct seen *names,
    char *const *owner_names, diag_list_t *dl)
{
	size_t hit, k = 0;
	long line = xmlGetLineNo(n);
	xmlNodePtr c;

	hit = seen_add(names, name, idx, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate %s \"%s\" (also \"%s\" at "
		    "line %ld)", what, name, owner_names[names->owner[hit]],
		    names->line[hit]);
	for (c = n->children; c != NULL && k < naliases; c = c->next) {
		long al;
		if (!is_elem(c, "alias"))
			continue;
		al = xmlGetLineNo(c);
		hit = seen_add(names, aliases[k], idx, al);
		if (hit != (size_t)-1)
			diag_error(dl, file, al, "alias \"%s\" of %s \"%s\" is "
			    "already used by \"%s\" (line %ld)", aliases[k],
			    what, name, owner_names[names->owner[hit]],
			    names->line[hit]);
		k++;
	}
}

static void
read_kinds(const char *file, rules_t *r, xmlNodePtr kn, diag_list_t *dl)
{
	xmlNodePtr n;
	size_t cap = 0, i;
	struct seen names;
	char **labels = NULL;

	memset(&names, 0, sizeof names);
	for (n = kn->children; n != NULL; n = n->next) {
		kind_t *k;
		if (!is_elem(n, "kind"))
			continue;
		xgrow(&r->kinds, &cap, r->nkinds + 1, sizeof *r->kinds);
		k = &r->kinds[r->nkinds++];
		memset(k, 0, sizeof *k);
		k->name = attr(n, "name");
		if (k->name == NULL)
			k->name = xstrdup("");
		k->naliases = read_aliases(n, &k->aliases);
		k->weight = (int)attr_long(n, "weight", 0);
		k->min_chars = (int)attr_long(n, "min-chars", 0);
		k->max_chars = (int)attr_long(n, "max-chars", 0);
		k->urgent = attr_bool(n, "urgent");
		if (k->max_chars > 0 && k->min_chars > k->max_chars)
			diag_error(dl, file, xmlGetLineNo(n), "kind \"%s\": "
			    "min-chars %d is above max-chars %d", k->name,
			    k->min_chars, k->max_chars);
	}
	labels = xcalloc(r->nkinds + 1, sizeof *labels);
	for (i = 0; i < r->nkinds; i++)
		labels[i] = r->kinds[i].name;
	for (i = 0, n = kn->children; n != NULL; n = n->next) {
		if (!is_elem(n, "kind"))
			continue;
		check_names(file, "kind", n, i, r->kinds[i].name,
		    r->kinds[i].aliases, r->kinds[i].naliases, &names, labels, dl);
		i++;
	}
	free(labels);
	seen_free(&names);
}

static void
read_carriers(const char *file, rules_t *r, xmlNodePtr cn, diag_list_t *dl)
{
	xmlNodePtr n;
	size_t cap = 0, i;
	struct seen names;
	char **labels = NULL;

	memset(&names, 0, sizeof names);
	for (n = cn->children; n != NULL; n = n->next) {
		carrier_t *c;
		char *pts;
		if (!is_elem(n, "carrier"))
			continue;
		xgrow(&r->carriers, &cap, r->ncarriers + 1, sizeof *r->carriers);
		c = &r->carriers[r->ncarriers++];
		memset(c, 0, sizeof *c);
		c->name = attr(n, "name");
		if (c->name == NULL)
			c->name = xstrdup("");
		c->naliases = read_aliases(n, &c->aliases);
		pts = attr(n, "points");
		c->points = parse_points(pts);
		if (c->points == -2) {
			diag_error(dl, file, xmlGetLineNo(n), "carrier \"%s\": "
			    "points \"%s\" is not a number with at most one "
			    "decimal", c->name, pts);
			c->points = NO_POINTS;
		}
		free(pts);
		c->high_level = attr_bool(n, "high-level");
	}
	labels = xcalloc(r->ncarriers + 1, sizeof *labels);
	for (i = 0; i < r->ncarriers; i++)
		labels[i] = r->carriers[i].name;
	for (i = 0, n = cn->children; n != NULL; n = n->next) {
		if (!is_elem(n, "carrier"))
			continue;
		check_names(file, "carrier", n, i, r->carriers[i].name,
		    r->carriers[i].aliases, r->carriers[i].naliases, &names,
		    labels, dl);
		i++;
	}
	free(labels);
	seen_free(&names);
}

/* Mailboxes are flattened: each name and each alias is one accepted
 * channel. */
static void
read_mailboxes(const char *file, rules_t *r, xmlNodePtr mn, diag_list_t *dl)
{
	strvec_t sv = { NULL, 0, 0 };
	struct seen names;
	xmlNodePtr n, c;
	size_t hit;

	memset(&names, 0, sizeof names);
	for (n = mn->children; n != NULL; n = n->next) {
		if (!is_elem(n, "mailbox"))
			continue;
		strvec_push_owned(&sv, attr(n, "name"));
		hit = seen_add(&names, sv.v[sv.n - 1], sv.n, xmlGetLineNo(n));
		if (hit != (size_t)-1)
			diag_error(dl, file, xmlGetLineNo(n), "duplicate mailbox "
			    "\"%s\" (line %ld)", sv.v[sv.n - 1], names.line[hit]);
		for (c = n->children; c != NULL; c = c->next) {
			if (!is_elem(c, "alias"))
				continue;
			strvec_push_owned(&sv, text_of(c));
			hit = seen_add(&names, sv.v[sv.n - 1], sv.n,
			    xmlGetLineNo(c));
			if (hit != (size_t)-1)
				diag_error(dl, file, xmlGetLineNo(c), "duplicate "
				    "mailbox \"%s\" (line %ld)", sv.v[sv.n - 1],
				    names.line[hit]);
		}
	}
	r->mailboxes = sv.v;
	r->nmailboxes = sv.n;
	seen_free(&names);
}

/* The ways of sending that are no mailbox (SPEC 3.4). */
static void
read_others(rules_t *r, xmlNodePtr on)
{
	strvec_t sv = { NULL, 0, 0 };

	for (xmlNodePtr n = on->children; n != NULL; n = n->next)
		if (is_elem(n, "channel"))
			strvec_push_owned(&sv, text_of(n));
	r->others = sv.v;
	r->nothers = sv.n;
}

static void
read_honours(const char *file, rules_t *r, const registry_t *reg,
    xmlNodePtr hn, diag_list_t *dl)
{
	xmlNodePtr n;
	size_t cap = 0, g, i;
	strmap_t gids = { 0 };
	bool *given = xcalloc(reg->ngroups + 1, sizeof *given);
	buf_t ids;

	buf_init(&ids);
	/* the registry's groups by id, and which were given: linear */
	for (g = 0; g < reg->ngroups; g++)
		strmap_put(&gids, reg->groups[g].id, g, NULL);
	r->honour_workers = (int)attr_long(hn, "workers", 0);
	for (n = hn->children; n != NULL; n = n->next) {
		char *ref;
		long line;
		if (!is_elem(n, "group"))
			continue;
		line = xmlGetLineNo(n);
		ref = attr(n, "ref");
		if (ref == NULL || !strmap_get(&gids, ref, &g))
			g = reg->ngroups;
		if (g == reg->ngroups) {
			if (ids.data == NULL) {     /* once, however many */
				buf_puts(&ids, "");
				for (i = 0; i < reg->ngroups; i++)
					buf_printf(&ids, "%s%s", i ? ", " : "",
					    reg->groups[i].id);
			}
			diag_error(dl, file, line, "honours: unknown group \"%s\" "
			    "(the registry's groups are: %s)",
			    ref != NULL ? ref : "",
			    ids.len > 0 ? ids.data : "none");
		} else {
			if (given[g])
				diag_error(dl, file, line, "honours: group "
				    "\"%s\" given twice", ref);
			given[g] = true;
			xgrow(&r->honours, &cap, r->nhonours + 1,
			    sizeof *r->honours);
			r->honours[r->nhonours].group = g;
			r->honours[r->nhonours].units =
			    (int)attr_long(n, "units", 0);
			r->nhonours++;
		}
		free(ref);
	}
	strmap_free(&gids);
	free(given);
	buf_free(&ids);
}

int
rules_load(const char *file, const char *schema_dir, const registry_t *reg,
    rules_t *out, diag_list_t *dl)
{
	char *xsd = NULL, *s = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	size_t before = dl->errors;
	int rc = -1;

	memset(out, 0, sizeof *out);
	xsd = join_path(schema_dir, "rules.xsd");
	doc = xml_load_validated(file, xsd, dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (hidden_in_doc(file, root, dl) > 0)
		goto cleanup;
	for (n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, "kinds")) {
			read_kinds(file, out, n, dl);
		} else if (is_elem(n, "carriers")) {
			read_carriers(file, out, n, dl);
		} else if (is_elem(n, "mailboxes")) {
			read_mailboxes(file, out, n, dl);
		} else if (is_elem(n, "other-channels")) {
			read_others(out, n);
		} else if (is_elem(n, "urgent-limit")) {
			out->urgent_limit_minutes = (int)attr_long(n, "minutes", 0);
		} else if (is_elem(n, "base")) {
			s = attr(n, "points");
			out->base_points = parse_points(s);
			if (out->base_points < 0) {
				diag_error(dl, file, xmlGetLineNo(n), "base: points "
				    "\"%s\" is not a number", s != NULL ? s : "");
				out->base_points = 0;
			}
			free(s);
			s = attr(n, "policy");
			out->base_policy = s != NULL &&
			    strcmp(s, "proportional") == 0 ?
			    BASE_PROPORTIONAL : BASE_ALL_OR_NOTHING;
			free(s);
			s = NULL;
		} else if (is_elem(n, "honours")) {
			read_honours(file, out, reg, n, dl);
		} else if (is_elem(n, "followup")) {
			out->plan_days = (int)attr_long(n, "plan-days", 0);
			out->progress_days = (int)attr_long(n, "progress-days", 0);
			out->long_running_period_days =
			    (int)attr_long(n, "period-days", 0);
		} else if (is_elem(n, "contact")) {
			/* the schema requires all three */
			out->contact_name = attr(n, "name");
			out->contact_phone = attr(n, "phone");
			out->contact_email = attr(n, "email");
		}
	}
	if (dl->errors == before)
		rc = 0;

cleanup:
	if (rc != 0)
		rules_free(out);
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(xsd);
	return rc;
}

/* ---- lookups -------------------------------------------------------------- */

/* Does name, or one of its aliases, fold (name_key) to key? */
static bool
named_matches(const char *key, const char *name, char *const *aliases,
    size_t naliases)
{
	char *k = name_key(name);
	bool hit = strcmp(k, key) == 0;
	size_t i;

	free(k);
	for (i = 0; !hit && i < naliases; i++) {
		k = name_key(aliases[i]);
		hit = strcmp(k, key) == 0;
		free(k);
	}
	return hit;
}

long
rules_find_kind(const rules_t *r, const char *name)
{
	char *key = name_key(name);
	long found = -1;
	size_t i;

	for (i = 0; i < r->nkinds && found < 0; i++)
		if (named_matches(key, r->kinds[i].name, r->kinds[i].aliases,
		    r->kinds[i].naliases))
			found = (long)i;
	free(key);
	return found;
}

long
rules_find_carrier(const rules_t *r, const char *name)
{
	char *key = name_key(name);
	long found = -1;
	size_t i;

	for (i = 0; i < r->ncarriers && found < 0; i++)
		if (named_matches(key, r->carriers[i].name,
		    r->carriers[i].aliases, r->carriers[i].naliases))
			found = (long)i;
	free(key);
	return found;
}

/* Where a channel field splits into words (SPEC 3.4). */
static const char *const channel_seps[] = { " ", "\t", "\xe3\x80\x80" /* U+3000 */,
    "\xe3\x80\x81" /* 、 */, ";", "\xef\xbc\x9b" /* ； */, ",",
    "\xef\xbc\x8c" /* ， */, "/", "\xef\xbc\x8f" /* ／ */, ":",
    "\xef\xbc\x9a" /* ： */, "\r", "\n" };
/* What may follow a mailbox's name: 综合科邮箱. */
static const char *const mail_suffixes[] = { "邮箱", "信箱", "邮件" };
/* Words that say "by e-mail" and name no mailbox. */
static const char *const mail_filler[] = { "邮箱", "邮件", "电子邮件",
    "电子邮箱", "信箱", "email", "e-mail", "mail", "mailto" };

/* Length of the separator at p, or 0. */
static size_t
sep_at(const char *p)
{
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(channel_seps); i++) {
		n = strlen(channel_seps[i]);
		if (strncmp(p, channel_seps[i], n) == 0)
			return n;
	}
	return 0;
}

/* Is key (a name_key) the mailbox m, alone or with a suffix? */
static bool
names_mailbox(const char *key, const char *m)
{
	char *mk = name_key(m);
	size_t n = strlen(mk);
	bool hit = n > 0 && strncmp(key, mk, n) == 0;

	if (hit && key[n] != '\0') {
		hit = false;
		for (size_t i = 0; i < ARRAY_LEN(mail_suffixes) && !hit; i++)
			hit = strcmp(key + n, mail_suffixes[i]) == 0;
	}
	free(mk);
	return hit;
}

static bool
in_keys(const char *key, const char *const *v, size_t n)
{
	bool hit = false;

	for (size_t i = 0; i < n && !hit; i++) {
		char *k = name_key(v[i]);
		hit = strcmp(k, key) == 0;
		free(k);
	}
	return hit;
}

bool
rules_channel_read(const rules_t *r, const char *channel, strvec_t *unknown)
{
	const char *p, *start;
	bool ok = false;
	size_t n;

	if (channel == NULL)
		return false;
	for (start = p = channel; ; ) {
		n = *p != '\0' ? sep_at(p) : 0;
		if (*p != '\0' && n == 0) {
			p++;
			continue;
		}
		if (p > start) {
			char *piece = xstrndup(start, (size_t)(p - start));
			char *key = name_key(piece);
			bool mine = false;

			for (size_t i = 0; i < r->nmailboxes && !mine; i++)
				mine = names_mailbox(key, r->mailboxes[i]);
			ok |= mine;
			if (!mine && key[0] != '\0' && unknown != NULL &&
			    !in_keys(key, mail_filler, ARRAY_LEN(mail_filler)) &&
			    !in_keys(key, (const char *const *)r->others,
			    r->nothers))
				strvec_push(unknown, piece);
			free(key);
			free(piece);
		}
		if (*p == '\0')
			break;
		p += n;
		start = p;
	}
	return ok;
}

bool
rules_channel_accepted(const rules_t *r, const char *channel)
{
	return rules_channel_read(r, channel, NULL);
}
