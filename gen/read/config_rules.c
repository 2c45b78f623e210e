/*
 * config_rules.c - the rules (rules.xml): kinds, carriers and their points,
 * mailboxes and the other ways of sending, the urgent limit, the base
 * points, honours, the follow-up's days and the contact, checked with
 * FILE:LINE; and the lookups the ledger stage asks of them (kinds and
 * carriers by folded name, the channel field read into mailboxes).  Part
 * of the configuration loader (config_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "config_int.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

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

void
rules_free(rules_t *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nkinds; i++) {
		free(r->kinds[i].name);
		cf_free_strs(r->kinds[i].aliases, r->kinds[i].naliases);
	}
	for (i = 0; i < r->ncarriers; i++) {
		free(r->carriers[i].name);
		cf_free_strs(r->carriers[i].aliases, r->carriers[i].naliases);
	}
	free(r->kinds);
	free(r->carriers);
	cf_free_strs(r->mailboxes, r->nmailboxes);
	cf_free_strs(r->others, r->nothers);
	free(r->honours);
	free(r->contact_name);
	free(r->contact_phone);
	free(r->contact_email);
	memset(r, 0, sizeof *r);
}

/* The name and the aliases of one entry of a kind or carrier list. */
struct named {
	const char *name;
	char *const *aliases;
	size_t naliases;
};

/*
 * Registers the name and the aliases of element n (entry idx of the list
 * v) in *names, reporting a collision with another entry as "duplicate
 * WHAT"; v[i].name is entry i's name, for the message.
 */
static void
check_names(const char *file, const char *what, xmlNodePtr n, size_t idx,
    const struct named *v, struct seen *names, diag_list_t *dl)
{
	size_t hit, k = 0;
	long line = xmlGetLineNo(n);
	const char *name = v[idx].name;
	xmlNodePtr c;

	hit = cf_seen_add(names, name, idx, line);
	if (hit != (size_t)-1)
		diag_error(dl, file, line, "duplicate %s \"%s\" (also \"%s\" at "
		    "line %ld)", what, name, v[names->owner[hit]].name,
		    names->line[hit]);
	for (c = n->children; c != NULL && k < v[idx].naliases; c = c->next) {
		long al;
		if (!cf_is_elem(c, "alias"))
			continue;
		al = xmlGetLineNo(c);
		hit = cf_seen_add(names, v[idx].aliases[k], idx, al);
		if (hit != (size_t)-1)
			diag_error(dl, file, al, "alias \"%s\" of %s \"%s\" is "
			    "already used by \"%s\" (line %ld)",
			    v[idx].aliases[k], what, name,
			    v[names->owner[hit]].name, names->line[hit]);
		k++;
	}
}

/*
 * Checks the names of the n entries of v, the elements called what under
 * parent in their order, against each other (check_names()); frees v.
 */
static void
check_list(const char *file, const char *what, xmlNodePtr parent,
    struct named *v, size_t n, diag_list_t *dl)
{
	struct seen names;
	xmlNodePtr c;
	size_t i = 0;

	memset(&names, 0, sizeof names);
	for (c = parent->children; c != NULL && i < n; c = c->next) {
		if (!cf_is_elem(c, what))
			continue;
		check_names(file, what, c, i, v, &names, dl);
		i++;
	}
	free(v);
	cf_seen_free(&names);
}

static void
read_kinds(const char *file, rules_t *r, xmlNodePtr kn, diag_list_t *dl)
{
	xmlNodePtr n;
	size_t cap = 0, i;
	struct named *v = NULL;

	for (n = kn->children; n != NULL; n = n->next) {
		kind_t *k;
		if (!cf_is_elem(n, "kind"))
			continue;
		xgrow(&r->kinds, &cap, r->nkinds + 1, sizeof *r->kinds);
		k = &r->kinds[r->nkinds++];
		memset(k, 0, sizeof *k);
		k->name = cf_attr_str(n, "name");
		k->naliases = cf_read_aliases(n, &k->aliases);
		k->weight = (int)cf_attr_long(n, "weight", 0);
		k->min_chars = (int)cf_attr_long(n, "min-chars", 0);
		k->max_chars = (int)cf_attr_long(n, "max-chars", 0);
		k->urgent = cf_attr_bool(n, "urgent");
		if (k->max_chars > 0 && k->min_chars > k->max_chars)
			diag_error(dl, file, xmlGetLineNo(n), "kind \"%s\": "
			    "min-chars %d is above max-chars %d", k->name,
			    k->min_chars, k->max_chars);
	}
	v = xcalloc(r->nkinds + 1, sizeof *v);
	for (i = 0; i < r->nkinds; i++)
		v[i] = (struct named){ r->kinds[i].name, r->kinds[i].aliases,
		    r->kinds[i].naliases };
	check_list(file, "kind", kn, v, r->nkinds, dl);
}

static void
read_carriers(const char *file, rules_t *r, xmlNodePtr cn, diag_list_t *dl)
{
	xmlNodePtr n;
	size_t cap = 0, i;
	struct named *v = NULL;

	for (n = cn->children; n != NULL; n = n->next) {
		carrier_t *c;
		char *pts;
		if (!cf_is_elem(n, "carrier"))
			continue;
		xgrow(&r->carriers, &cap, r->ncarriers + 1, sizeof *r->carriers);
		c = &r->carriers[r->ncarriers++];
		memset(c, 0, sizeof *c);
		c->name = cf_attr_str(n, "name");
		c->naliases = cf_read_aliases(n, &c->aliases);
		pts = cf_attr(n, "points");
		c->points = parse_points(pts);
		if (c->points == -2) {
			diag_error(dl, file, xmlGetLineNo(n), "carrier \"%s\": "
			    "points \"%s\" is not a number with at most one "
			    "decimal", c->name, pts);
			c->points = NO_POINTS;
		}
		free(pts);
		c->high_level = cf_attr_bool(n, "high-level");
	}
	v = xcalloc(r->ncarriers + 1, sizeof *v);
	for (i = 0; i < r->ncarriers; i++)
		v[i] = (struct named){ r->carriers[i].name,
		    r->carriers[i].aliases, r->carriers[i].naliases };
	check_list(file, "carrier", cn, v, r->ncarriers, dl);
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
		if (!cf_is_elem(n, "mailbox"))
			continue;
		strvec_push_owned(&sv, cf_attr(n, "name"));
		hit = cf_seen_add(&names, sv.v[sv.n - 1], sv.n, xmlGetLineNo(n));
		if (hit != (size_t)-1)
			diag_error(dl, file, xmlGetLineNo(n), "duplicate mailbox "
			    "\"%s\" (line %ld)", sv.v[sv.n - 1], names.line[hit]);
		for (c = n->children; c != NULL; c = c->next) {
			if (!cf_is_elem(c, "alias"))
				continue;
			strvec_push_owned(&sv, cf_text_of(c));
			hit = cf_seen_add(&names, sv.v[sv.n - 1], sv.n,
			    xmlGetLineNo(c));
			if (hit != (size_t)-1)
				diag_error(dl, file, xmlGetLineNo(c), "duplicate "
				    "mailbox \"%s\" (line %ld)", sv.v[sv.n - 1],
				    names.line[hit]);
		}
	}
	r->mailboxes = sv.v;
	r->nmailboxes = sv.n;
	cf_seen_free(&names);
}

/* The ways of sending that are no mailbox (SPEC 3.4). */
static void
read_others(rules_t *r, xmlNodePtr on)
{
	strvec_t sv = { NULL, 0, 0 };

	for (xmlNodePtr n = on->children; n != NULL; n = n->next)
		if (cf_is_elem(n, "channel"))
			strvec_push_owned(&sv, cf_text_of(n));
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
	r->honour_workers = (int)cf_attr_long(hn, "workers", 0);
	for (n = hn->children; n != NULL; n = n->next) {
		char *ref;
		long line;
		if (!cf_is_elem(n, "group"))
			continue;
		line = xmlGetLineNo(n);
		ref = cf_attr(n, "ref");
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
			    (int)cf_attr_long(n, "units", 0);
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
	char *s = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	size_t before = dl->errors;
	int rc = -1;

	memset(out, 0, sizeof *out);
	doc = cf_doc_load(file, schema_dir, "rules.xsd", dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	for (n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (cf_is_elem(n, "kinds")) {
			read_kinds(file, out, n, dl);
		} else if (cf_is_elem(n, "carriers")) {
			read_carriers(file, out, n, dl);
		} else if (cf_is_elem(n, "mailboxes")) {
			read_mailboxes(file, out, n, dl);
		} else if (cf_is_elem(n, "other-channels")) {
			read_others(out, n);
		} else if (cf_is_elem(n, "urgent-limit")) {
			out->urgent_limit_minutes = (int)cf_attr_long(n, "minutes", 0);
		} else if (cf_is_elem(n, "base")) {
			s = cf_attr(n, "points");
			out->base_points = parse_points(s);
			if (out->base_points < 0) {
				diag_error(dl, file, xmlGetLineNo(n), "base: points "
				    "\"%s\" is not a number", s != NULL ? s : "");
				out->base_points = 0;
			}
			free(s);
			s = cf_attr(n, "policy");
			out->base_policy = s != NULL &&
			    strcmp(s, "proportional") == 0 ?
			    BASE_PROPORTIONAL : BASE_ALL_OR_NOTHING;
			free(s);
			s = NULL;
		} else if (cf_is_elem(n, "honours")) {
			read_honours(file, out, reg, n, dl);
		} else if (cf_is_elem(n, "followup")) {
			out->plan_days = (int)cf_attr_long(n, "plan-days", 0);
			out->progress_days = (int)cf_attr_long(n, "progress-days", 0);
			out->long_running_period_days =
			    (int)cf_attr_long(n, "period-days", 0);
		} else if (cf_is_elem(n, "contact")) {
			/* the schema requires all three */
			out->contact_name = cf_attr(n, "name");
			out->contact_phone = cf_attr(n, "phone");
			out->contact_email = cf_attr(n, "email");
		}
	}
	if (dl->errors == before)
		rc = 0;

cleanup:
	if (rc != 0)
		rules_free(out);
	if (doc != NULL)
		xmlFreeDoc(doc);
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
