/*
 * phrases.c - the phrases of an XML template (phrases.h): reading the
 * <text>/<list> elements of its sections, checking them against the
 * program's key tables, looking them up and filling their placeholders.
 *
 * The notice (notice.c: a <common> section shared by both notices, then
 * <quarter> or <year>) and the unit statements (statement.c: one
 * <phrases> section) read their wording through this one module, so both
 * templates obey the same rules and report mistakes the same way.  Each
 * section keeps its own phrases: a key is "given twice" only within one
 * section, and a key of one section is "unknown" in another whose table
 * lacks it.  Lookups search the sections from the last to the first.
 *
 * Everything is checked at load time; looking up a key the tables declare
 * cannot fail afterwards, so the lookups return "" (or nothing) rather than
 * an error for a key that is missing - a bug in the caller, not the file.
 */
#define _POSIX_C_SOURCE 200809L
#include "phrases.h"
#include "text.h"
#include "xmlread.h"

#include <stdlib.h>
#include <string.h>

typedef struct phrase {
	char     *key;
	bool      is_list;
	char     *text;       /* <text> */
	strvec_t  items;      /* <list> */
	long      line;
} phrase_t;

/* The phrases read from one section. */
typedef struct pb_section {
	const phrase_section_t *def;
	long                    line;   /* of the section element; 0: absent */
	phrase_t               *v;
	size_t                  n, cap;
} pb_section_t;

struct phrasebook {
	char         *file;
	const char   *common_vars;
	bool          qualify;
	pb_section_t *s;
	size_t        ns;
};

/* ---- text -------------------------------------------------------------- */

static bool
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

char *
phrase_node_text(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s = c != NULL ? (const char *)c : "";
	buf_t b;
	size_t i = 0, len = strlen(s);

	buf_init(&b);
	buf_puts(&b, "");
	while (i < len) {
		size_t j = i;
		bool nl = false;

		if (!is_ascii_space((unsigned char)s[i])) {
			buf_putc(&b, s[i++]);
			continue;
		}
		while (j < len && is_ascii_space((unsigned char)s[j])) {
			if (s[j] == '\n' || s[j] == '\r')
				nl = true;
			j++;
		}
		if (!nl)
			buf_add(&b, s + i, j - i);
		else if (!(i > 0 && (unsigned char)s[i - 1] >= 0x80 &&
		    j < len && (unsigned char)s[j] >= 0x80))
			buf_putc(&b, ' ');
		i = j;
	}
	xmlFree(c);
	trim(b.data);
	return buf_steal(&b);
}

bool
phrase_is_element(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* ---- placeholders ------------------------------------------------------ */

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Is `name` (n bytes) one of the space-separated words of `list`? */
static bool
word_in(const char *name, size_t n, const char *list)
{
	const char *p = list;

	while (*p != '\0') {
		size_t k;

		while (*p == ' ')
			p++;
		k = strcspn(p, " ");
		if (k == n && k > 0 && strncmp(p, name, n) == 0)
			return true;
		p += k;
	}
	return false;
}

/* The value of placeholder `name` (n bytes) among np pairs, or NULL. */
static const char *
value_of(const char *name, size_t n, const char *const *pairs, size_t np)
{
	for (size_t i = 0; i < np * 2; i += 2)
		if (strlen(pairs[i]) == n && strncmp(pairs[i], name, n) == 0)
			return pairs[i + 1];
	return NULL;
}

/*
 * Each {name} of text must be one of common_vars or `vars`; braces must
 * pair ({{ and }} are literal).  Errors go to dl at file:line.
 */
static void
check_placeholders(const char *file, long line, const char *key,
    const char *text, const char *vars, const char *common_vars,
    diag_list_t *dl)
{
	const char *p = text;

	while (*p != '\0') {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p += 2;
		} else if (*p == '{') {
			size_t n = 0;

			while (is_name_char(p[1 + n]))
				n++;
			if (p[1 + n] != '}') {
				diag_error(dl, file, line, "phrase \"%s\": '{' "
				    "without a placeholder name and '}' (write {{ "
				    "for a literal brace)", key);
				p++;
				continue;
			}
			if (!word_in(p + 1, n, common_vars) && !word_in(p + 1, n, vars))
				diag_error(dl, file, line, "phrase \"%s\": unknown "
				    "placeholder {%.*s}; it may use: %s%s%s", key,
				    (int)n, p + 1, vars, *vars ? " " : "",
				    common_vars);
			p += n + 2;
		} else if (*p == '}') {
			diag_error(dl, file, line, "phrase \"%s\": '}' without "
			    "'{' (write }} for a literal brace)", key);
			p++;
		} else {
			p++;
		}
	}
}

char *
phrase_expand(const char *text, const char *const *kv, size_t nkv,
    const char *const *common, size_t ncommon)
{
	const char *p = text;
	buf_t out;

	buf_init(&out);
	buf_puts(&out, "");
	while (*p != '\0') {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			buf_putc(&out, p[0]);
			p += 2;
			continue;
		}
		if (*p == '{') {
			size_t n = 0;
			const char *val = NULL;

			while (is_name_char(p[1 + n]))
				n++;
			if (p[1 + n] == '}') {
				val = value_of(p + 1, n, kv, nkv);
				if (val == NULL)
					val = value_of(p + 1, n, common, ncommon);
			}
			if (val != NULL) {
				buf_puts(&out, val);
				p += n + 2;
				continue;
			}
		}
		buf_putc(&out, *p++);
	}
	return buf_steal(&out);
}

void
phrasebook_check_text(const phrasebook_t *pb, const char *file, long line,
    const char *key, const char *text, const char *vars, diag_list_t *dl)
{
	check_placeholders(file, line, key, text, vars, pb->common_vars, dl);
}

/* ---- reading and checking ---------------------------------------------- */

static const phrase_t *
section_find(const pb_section_t *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].key, key) == 0)
			return &s->v[i];
	return NULL;
}

/* The phrase `key` of the last section that has it, or NULL. */
static const phrase_t *
find(const phrasebook_t *pb, const char *key)
{
	const phrase_t *p = NULL;

	for (size_t i = pb->ns; i > 0 && p == NULL; i--)
		p = section_find(&pb->s[i - 1], key);
	return p;
}

/* The "<section>: " that starts some errors, or "" (see phrasebook_def_t). */
static const char *
qualifier(const phrasebook_t *pb, const pb_section_t *s, char *buf, size_t n)
{
	if (!pb->qualify)
		return "";
	snprintf(buf, n, "<%s>: ", s->def->name);
	return buf;
}

/* Reads the <text>/<list> children of the section element `sect` into s. */
static void
read_section(const phrasebook_t *pb, pb_section_t *s, xmlNodePtr sect,
    diag_list_t *dl)
{
	char q[80];

	s->line = xmlGetLineNo(sect);
	for (xmlNodePtr n = sect->children; n != NULL; n = n->next) {
		xmlChar *key = NULL;
		phrase_t *p;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		key = xmlGetProp(n, (const xmlChar *)"key");
		if (key == NULL)
			continue;       /* the schema requires it */
		if (section_find(s, (const char *)key) != NULL) {
			diag_error(dl, pb->file, xmlGetLineNo(n), "%skey \"%s\" "
			    "given twice", qualifier(pb, s, q, sizeof q),
			    (const char *)key);
			xmlFree(key);
			continue;
		}
		xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
		p = &s->v[s->n++];
		memset(p, 0, sizeof *p);
		p->key = xstrdup((const char *)key);
		p->line = xmlGetLineNo(n);
		p->is_list = phrase_is_element(n, "list");
		if (p->is_list) {
			for (xmlNodePtr it = n->children; it != NULL; it = it->next)
				if (phrase_is_element(it, "item"))
					strvec_push_owned(&p->items,
					    phrase_node_text(it));
		} else {
			p->text = phrase_node_text(n);
		}
		xmlFree(key);
	}
}

/*
 * Checks a section against its key table: every key present with the right
 * form and length, no unknown key, placeholders allowed.
 */
static void
check_section(const phrasebook_t *pb, const pb_section_t *s,
    diag_list_t *dl)
{
	const phrase_spec_t *spec = s->def->spec;
	size_t nspec = s->def->nspec;
	char q[80];

	for (size_t i = 0; i < nspec; i++) {
		const phrase_t *p = section_find(s, spec[i].key);

		if (p == NULL) {
			diag_error(dl, pb->file, s->line, "<%s> lacks <%s "
			    "key=\"%s\">", s->def->name,
			    spec[i].list ? "list" : "text", spec[i].key);
			continue;
		}
		if (p->is_list != spec[i].list) {
			diag_error(dl, pb->file, p->line, "key \"%s\" must be "
			    "a <%s>", spec[i].key, spec[i].list ? "list" : "text");
			continue;
		}
		if (p->is_list && spec[i].count != 0 &&
		    p->items.n != spec[i].count)
			diag_error(dl, pb->file, p->line, "list \"%s\" needs "
			    "exactly %zu items, not %zu", spec[i].key,
			    spec[i].count, p->items.n);
		if (p->is_list) {
			for (size_t k = 0; k < p->items.n; k++)
				check_placeholders(pb->file, p->line, p->key,
				    p->items.v[k], spec[i].vars, pb->common_vars,
				    dl);
		} else {
			check_placeholders(pb->file, p->line, p->key, p->text,
			    spec[i].vars, pb->common_vars, dl);
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		bool known = false;

		for (size_t k = 0; k < nspec && !known; k++)
			known = strcmp(s->v[i].key, spec[k].key) == 0;
		if (!known)
			diag_error(dl, pb->file, s->v[i].line, "%sunknown key "
			    "\"%s\"", qualifier(pb, s, q, sizeof q), s->v[i].key);
	}
}

void
phrasebook_free(phrasebook_t *pb)
{
	if (pb == NULL)
		return;
	for (size_t k = 0; k < pb->ns; k++) {
		pb_section_t *s = &pb->s[k];

		for (size_t i = 0; i < s->n; i++) {
			free(s->v[i].key);
			free(s->v[i].text);
			strvec_free(&s->v[i].items);
		}
		free(s->v);
	}
	free(pb->s);
	free(pb->file);
	free(pb);
}

phrasebook_t *
phrasebook_load(const char *file, const char *xsd,
    const phrasebook_def_t *def, phrase_other_fn *other, void *arg,
    diag_list_t *dl)
{
	phrasebook_t *pb = xcalloc(1, sizeof *pb);
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	size_t errors0 = dl->errors;

	pb->file = xstrdup(file);
	pb->common_vars = def->common_vars;
	pb->qualify = def->qualify;
	pb->ns = def->nsections;
	pb->s = xcalloc(pb->ns, sizeof *pb->s);
	for (size_t k = 0; k < pb->ns; k++)
		pb->s[k].def = &def->sections[k];
	doc = xml_load_validated(file, xsd, dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (!phrase_is_element(root, def->root)) {
		diag_error(dl, file, root != NULL ? xmlGetLineNo(root) : 0,
		    "the root element must be <%s>, not <%s>", def->root,
		    root != NULL ? (const char *)root->name : "");
		goto cleanup;
	}
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		size_t k = 0;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		while (k < pb->ns && !phrase_is_element(n, pb->s[k].def->name))
			k++;
		if (k < pb->ns)
			read_section(pb, &pb->s[k], n, dl);
		else if (other != NULL)
			other(n, arg);
	}
	for (size_t k = 0; k < pb->ns; k++)
		check_section(pb, &pb->s[k], dl);

cleanup:
	xmlFreeDoc(doc);
	if (dl->errors > errors0) {
		phrasebook_free(pb);
		pb = NULL;
	}
	return pb;
}

/* ---- lookups ------------------------------------------------------------- */

const strvec_t *
phrasebook_list(const phrasebook_t *pb, const char *key)
{
	const phrase_t *p = find(pb, key);

	return p != NULL && p->is_list ? &p->items : NULL;
}

char *
phrasebook_vsay(const phrasebook_t *pb, const char *key,
    const char *const *common, size_t ncommon, va_list ap)
{
	const char *kv[64];
	size_t n = 0;
	const phrase_t *p = find(pb, key);
	const char *s;

	while (n + 2 <= ARRAY_LEN(kv) && (s = va_arg(ap, const char *)) != NULL) {
		kv[n++] = s;
		kv[n++] = va_arg(ap, const char *);
	}
	if (p == NULL || p->is_list)
		return xstrdup("");
	return phrase_expand(p->text, kv, n / 2, common, ncommon);
}

void
phrasebook_say_list(const phrasebook_t *pb, const char *key,
    const char *const *common, size_t ncommon, strvec_t *sv)
{
	const phrase_t *p = find(pb, key);

	if (p == NULL || !p->is_list)
		return;
	for (size_t i = 0; i < p->items.n; i++)
		strvec_push_owned(sv, phrase_expand(p->items.v[i], NULL, 0,
		    common, ncommon));
}
