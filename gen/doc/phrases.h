/*
 * phrases.h - the wording of a generated document, read from an XML
 * template (templates/notice.xml, templates/statement.xml) so the office
 * edits text without a rebuild.
 *
 * A template holds one or more sections of phrases: <text key="k">one
 * phrase</text> and <list key="k"><item>..</item>..</list>.  A phrase may
 * use {placeholders}, filled when the document is built; {{ and }} are
 * literal braces.  A line break inside a phrase vanishes between two
 * non-ASCII characters (a wrapped Chinese line) and is one space elsewhere.
 *
 * The program declares, per section, every key it uses (text or list, the
 * item count of a list, the placeholders each phrase may use besides the
 * common ones); loading checks the template against that table - every key
 * present in its form, no unknown key, no key twice, only allowed
 * placeholders, braces paired - and reports each mistake as FILE:LINE, so a
 * typo is caught on every run, not only when the data needs that phrase.
 */
#ifndef TB_PHRASES_H
#define TB_PHRASES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "diag.h"
#include "util.h"

/* One key the program uses. */
typedef struct phrase_spec {
	const char *key;
	bool        list;     /* <list>, else <text> */
	size_t      count;    /* the items a list needs; 0 = any */
	const char *vars;     /* its own placeholders, space separated */
} phrase_spec_t;

/* One section of a template: the element (a child of the root) and its keys. */
typedef struct phrase_section {
	const char          *name;
	const phrase_spec_t *spec;
	size_t               nspec;
} phrase_section_t;

/* What a template file holds. */
typedef struct phrasebook_def {
	const char             *root;         /* the root element's name */
	const char             *common_vars;  /* placeholders any phrase may use */
	const phrase_section_t *sections;     /* checked in this order */
	size_t                  nsections;
	bool                    qualify;      /* "given twice" and "unknown key"
	                                         errors start "<section>: " */
} phrasebook_def_t;

/* The phrases of a loaded template. */
typedef struct phrasebook phrasebook_t;

/*
 * Called for each child element of the root that is not a section (e.g.
 * <defaults>), in document order, with the caller's `arg`.
 */
typedef void phrase_other_fn(xmlNodePtr n, void *arg);

/*
 * Loads `file`, validated against the schema `xsd`, reads the sections of
 * def (other elements go to `other` when not NULL) and checks them.
 * Returns the phrasebook (free with phrasebook_free) or NULL after adding
 * errors to dl; errors found by the checks are all reported.
 */
phrasebook_t *phrasebook_load(const char *file, const char *xsd,
    const phrasebook_def_t *def, phrase_other_fn *other, void *arg,
    diag_list_t *dl);
void phrasebook_free(phrasebook_t *pb);

/*
 * The items of list `key` (the last section holding it wins), or NULL when
 * no section has a <list> of that key.  Owned by pb.
 */
const strvec_t *phrasebook_list(const phrasebook_t *pb, const char *key);

/*
 * The phrase `key` with its placeholders filled: `ap` holds name, value
 * pairs (const char *) ended by NULL, looked up first, then the ncommon
 * name, value pairs of `common`.  A placeholder nobody fills is left as
 * written.  Newly allocated ("" for a missing key or a list, which the
 * checks at load time rule out).
 */
char *phrasebook_vsay(const phrasebook_t *pb, const char *key,
    const char *const *common, size_t ncommon, va_list ap);

/* The items of list `key`, each expanded with `common` only, appended to sv. */
void phrasebook_say_list(const phrasebook_t *pb, const char *key,
    const char *const *common, size_t ncommon, strvec_t *sv);

/*
 * Checks a phrase from elsewhere (e.g. a setting that is a pattern) as the
 * template's phrases are: each {name} one of pb's common placeholders or
 * of `vars`, braces paired.  Errors go to dl at file:line, naming `key`.
 */
void phrasebook_check_text(const phrasebook_t *pb, const char *file,
    long line, const char *key, const char *text, const char *vars,
    diag_list_t *dl);

/*
 * Expands the placeholders of text: kv holds nkv name, value pairs, looked
 * up first, then the ncommon pairs of common.  {{ and }} become single
 * braces; a placeholder nobody fills is left as written.  Newly allocated.
 */
char *phrase_expand(const char *text, const char *const *kv, size_t nkv,
    const char *const *common, size_t ncommon);

/*
 * The text of a template element, tidied: trimmed (ASCII white space and
 * U+3000), and each inner run of white space that holds a line break
 * removed between two non-ASCII characters, otherwise made one space.
 * Newly allocated.
 */
char *phrase_node_text(xmlNodePtr n);

/* Is n an element named `name`?  (false for NULL) */
bool phrase_is_element(xmlNodePtr n, const char *name);

#endif
