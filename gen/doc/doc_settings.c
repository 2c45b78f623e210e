/*
 * doc_settings.c - what a notice is worded and set with: the template
 * (templates/notice.xml: <common> and the document's section, checked
 * against the key tables of the builders, phrases.h) and the document's
 * settings (the template's <defaults>, then DATA/YYYYQn/notice.xml or
 * DATA/YYYY/notice.xml), validated against templates/schema/notice.xsd,
 * every value checked with its file and line.  Part of the notice builder
 * (doc_build.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Placeholders every phrase may use. */
static const char common_vars[] =
    "year next_year quarter quarter_cn issue_year date_cn";

/*
 * What each section of the template must hold (phrases.h): each key,
 * whether it is a <list> (and how many items it needs; 0 = any), and the
 * placeholders its phrases may use besides the common ones.
 */
static const phrase_spec_t common_keys[] = {
	{ "quarter_names", true, 4, "" },
	{ "list_sep", false, 0, "" },
	{ "clause_sep", false, 0, "" },
	{ "cc_sep", false, 0, "" },
	{ "cc", false, 0, "names" },
	{ "print_date", false, 0, "" },
	{ "attach_label", false, 0, "n" },
	{ "attach_note", false, 0, "n title" },
	{ "group_units", false, 0, "group units" },
	{ "duration_hm", false, 0, "hours minutes" },
	{ "duration_h", false, 0, "hours" },
	{ "duration_m", false, 0, "minutes" },
	{ "empty_table", false, 0, "" },
	{ "chart_unit", false, 0, "" },
	{ "chart_value", false, 0, "label value" },
	{ "worker", false, 0, "name unit" },
	{ "change_up", false, 0, "n" },
	{ "change_down", false, 0, "n" },
	{ "change_same", false, 0, "" },
	{ "change_none", false, 0, "" },
	{ "rank_up", false, 0, "n" },
	{ "rank_down", false, 0, "n" },
	{ "rank_same", false, 0, "" },
	{ "contact", false, 0, "name phone email" },
};

/* Element names, indexed by enum setting. */
static const char *const setting_names[S_COUNT] = {
	[S_ISSUER] = "issuer",
	[S_DOC_NUMBER_PATTERN] = "doc-number-pattern",
	[S_DOC_NUMBER_BLANK] = "doc-number-blank",
	[S_RECIPIENTS] = "recipients",
	[S_SIGNATURE] = "signature",
	[S_PRINTER] = "printer",
	[S_CATEGORY] = "category",
	[S_PUBLISHER] = "publisher",
	[S_VALIDITY] = "validity",
	[S_INDEX_NO] = "index-no",
	[S_COLUMN] = "column",
	[S_BEST_RANK] = "best-rank",
	[S_DOC_NUMBER] = "doc-number",
	[S_NUMBER] = "number",
	[S_ISSUE_DATE] = "issue-date",
	[S_PRINT_DATE] = "print-date",
};

/* The <p> children of n, and the line of each. */
static void
read_paragraphs(xmlNodePtr n, strvec_t *sv, long **lines)
{
	strvec_free(sv);
	free(*lines);
	*lines = NULL;
	for (xmlNodePtr t = n->children; t != NULL; t = t->next) {
		if (!phrase_is_element(t, "p"))
			continue;
		*lines = xrealloc(*lines, (sv->n + 1) * sizeof **lines);
		(*lines)[sv->n] = xmlGetLineNo(t);
		strvec_push_owned(sv, phrase_node_text(t));
	}
}

/*
 * Reads the children of <defaults> or <notice-settings> into b->set; a
 * later file overrides an earlier one field by field.
 */
static void
read_settings(nb_t *b, xmlNodePtr parent, const char *file)
{
	settings_t *s = &b->set;

	for (xmlNodePtr n = parent->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (phrase_is_element(n, "cc")) {
			strvec_free(&s->cc);
			s->cc_given = true;
			for (xmlNodePtr t = n->children; t != NULL; t = t->next)
				if (phrase_is_element(t, "to"))
					strvec_push_owned(&s->cc,
					    phrase_node_text(t));
			continue;
		}
		if (phrase_is_element(n, "problems")) {
			read_paragraphs(n, &s->problems, &s->problems_line);
			s->problems_given = true;
			continue;
		}
		if (phrase_is_element(n, "requirements")) {
			read_paragraphs(n, &s->requirements,
			    &s->requirements_line);
			s->requirements_given = true;
			continue;
		}
		if (phrase_is_element(n, "extra")) {
			read_paragraphs(n, &s->extra, &s->extra_line);
			continue;
		}
		for (size_t k = 0; k < S_COUNT; k++) {
			if (strcmp((const char *)n->name, setting_names[k]) != 0)
				continue;
			free(s->v[k]);
			s->v[k] = phrase_node_text(n);
			s->file[k] = file;
			s->line[k] = xmlGetLineNo(n);
		}
	}
}

void
nb_settings_free(settings_t *s)
{
	for (size_t k = 0; k < S_COUNT; k++)
		free(s->v[k]);
	strvec_free(&s->cc);
	strvec_free(&s->extra);
	strvec_free(&s->problems);
	strvec_free(&s->requirements);
	free(s->problems_line);
	free(s->requirements_line);
	free(s->extra_line);
	memset(s, 0, sizeof *s);
}

/* The template's <defaults>: the settings every document starts from. */
static void
template_other(xmlNodePtr n, void *arg)
{
	nb_t *b = arg;

	if (phrase_is_element(n, "defaults"))
		read_settings(b, n, b->tfile);
}

/*
 * Loads templates_dir/notice.xml (schema templates_dir/schema/notice.xsd):
 * the defaults, <common> and the section `which` ("quarter" or "year").
 * Returns 0, or -1 after adding errors.
 */
int
nb_load_template(nb_t *b, const char *templates_dir, const char *which,
    const phrase_spec_t *spec, size_t nspec)
{
	char *xsd = xasprintf("%s/schema/notice.xsd", templates_dir);
	const phrase_section_t sections[] = {
		{ "common", common_keys, ARRAY_LEN(common_keys) },
		{ which, spec, nspec },
	};
	const phrasebook_def_t def = {
		"notice-template", common_vars, sections, ARRAY_LEN(sections),
		true,
	};

	b->tfile = xasprintf("%s/notice.xml", templates_dir);
	b->pb = phrasebook_load(b->tfile, xsd, &def, template_other, b, b->dl);
	free(xsd);
	return b->pb != NULL ? 0 : -1;
}

/* Parses "2017-04-05" (already checked by the schema) into *out. */
bool
nb_parse_ymd(const char *s, ymd_t *out)
{
	tb_time t;
	int h, mi;

	if (s == NULL || !tb_time_parse(s, &t))
		return false;
	tb_time_split(t, &out->y, &out->m, &out->d, &h, &mi);
	return true;
}

/*
 * Loads the settings file when it exists (schema: the template's); checks
 * what the schema cannot.  Returns 0, or -1 after adding errors.
 */
int
nb_load_settings(nb_t *b, const char *templates_dir, const char *settings_file)
{
	char *xsd = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	struct stat st;
	int rc = -1;

	if (settings_file == NULL ||
	    (stat(settings_file, &st) != 0 && errno == ENOENT)) {
		rc = 0;
		goto cleanup;
	}
	b->sfile = xstrdup(settings_file);
	xsd = xasprintf("%s/schema/notice.xsd", templates_dir);
	doc = xml_load_validated(b->sfile, xsd, b->dl);
	if (doc == NULL)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (!phrase_is_element(root, "notice-settings")) {
		diag_error(b->dl, b->sfile, xmlGetLineNo(root), "the root "
		    "element must be <notice-settings>, not <%s>",
		    (const char *)root->name);
		goto cleanup;
	}
	read_settings(b, root, b->sfile);
	if (b->set.v[S_DOC_NUMBER] != NULL && b->set.v[S_NUMBER] != NULL) {
		diag_error(b->dl, b->sfile, b->set.line[S_NUMBER], "give either "
		    "<doc-number> or <number>, not both");
		goto cleanup;
	}
	rc = 0;

cleanup:
	xmlFreeDoc(doc);
	free(xsd);
	return rc;
}

/*
 * Characters that hide or reorder text (text.h) in the merged settings: in
 * the office's paragraphs (extra, problems, requirements) they are removed
 * with a warning; in a name, a number or a date (the 发文字号, 抄送, the
 * issuer) they are an error: never a number changed without a word.
 */
static void
hidden_in_settings(nb_t *b)
{
	settings_t *s = &b->set;
	struct { strvec_t *sv; const long *lines; const char *what; } paras[] = {
		{ &s->extra, s->extra_line, "extra" },
		{ &s->problems, s->problems_line, "problems" },
		{ &s->requirements, s->requirements_line, "requirements" },
	};
	uint32_t cp;

	for (size_t k = 0; k < S_COUNT; k++)
		if (s->v[k] != NULL && text_hidden_at(s->v[k], &cp) != (size_t)-1)
			diag_error(b->dl, s->file[k], s->line[k], "<%s> \"%s\" holds "
			    "U+%04X, %s, which hides or reorders text: remove it",
			    setting_names[k], s->v[k], (unsigned)cp,
			    text_hidden_name(cp));
	for (size_t i = 0; i < s->cc.n; i++)
		if (text_hidden_at(s->cc.v[i], &cp) != (size_t)-1)
			diag_error(b->dl, b->sfile != NULL ? b->sfile : b->tfile, 0,
			    "<cc><to> \"%s\" holds U+%04X, %s, which hides or "
			    "reorders text: remove it", s->cc.v[i], (unsigned)cp,
			    text_hidden_name(cp));
	for (size_t p = 0; p < ARRAY_LEN(paras); p++)
		for (size_t i = 0; i < paras[p].sv->n; i++)
			if (text_strip_hidden(paras[p].sv->v[i], &cp) > 0)
				diag_warning(b->dl, b->sfile != NULL ? b->sfile :
				    b->tfile, paras[p].lines != NULL ?
				    paras[p].lines[i] : 0, "<%s>: characters that "
				    "hide or reorder text (U+%04X, %s, ...) removed "
				    "from a paragraph", paras[p].what, (unsigned)cp,
				    text_hidden_name(cp));
}

/* Checks the dates and the doc-number patterns of the merged settings. */
int
nb_check_settings(nb_t *b)
{
	static const enum setting dates[] = { S_ISSUE_DATE, S_PRINT_DATE };
	static const enum setting patterns[] = { S_DOC_NUMBER_PATTERN,
	    S_DOC_NUMBER_BLANK };
	ymd_t tmp;

	hidden_in_settings(b);
	for (size_t i = 0; i < ARRAY_LEN(dates); i++) {
		enum setting k = dates[i];

		if (b->set.v[k] != NULL && !nb_parse_ymd(b->set.v[k], &tmp))
			diag_error(b->dl, b->set.file[k], b->set.line[k],
			    "<%s>: \"%s\" is not a date (YYYY-MM-DD)",
			    setting_names[k], b->set.v[k]);
	}
	for (size_t i = 0; i < ARRAY_LEN(patterns); i++) {
		enum setting k = patterns[i];

		if (b->set.v[k] == NULL) {
			diag_error(b->dl, b->tfile, 0, "<defaults> lacks <%s>",
			    setting_names[k]);
			continue;
		}
		phrasebook_check_text(b->pb, b->set.file[k], b->set.line[k],
		    setting_names[k], b->set.v[k], "n", b->dl);
	}
	if (b->set.problems_given && b->tr == NULL)
		diag_error(b->dl, b->sfile, b->set.problems_line[0], "<problems> "
		    "belongs in a quarter's notice.xml; the annual notice has "
		    "no section on problems");
	for (size_t i = 0; i < b->set.problems.n; i++)
		phrasebook_check_text(b->pb, b->sfile, b->set.problems_line[i],
		    "problems", b->set.problems.v[i], PROBLEM_VARS, b->dl);
	for (size_t i = 0; i < b->set.requirements.n; i++)
		phrasebook_check_text(b->pb, b->sfile,
		    b->set.requirements_line[i], "requirements",
		    b->set.requirements.v[i], b->tr != NULL ? PROBLEM_VARS : "",
		    b->dl);
	return b->dl->errors > b->errors0 ? -1 : 0;
}
