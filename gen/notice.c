/*
 * notice.c - the 通报 as a document model (doc.h): the quarterly notice of
 * Art 14 and the annual notice of Art 15.
 *
 * Three inputs meet here.  Every number comes from the scoring module
 * (results_t, annual_t, formatted with tenths_format); this file only counts
 * and sums those (units meeting the quota per group, items received,
 * adoptions per carrier, group averages for the chart).  Every word comes
 * from templates/notice.xml, so the office edits the wording without a
 * rebuild.  The settings of one document (number, dates, recipients, copy-to
 * list, an extra paragraph) come from the optional DATA/YYYYQn/notice.xml
 * (DATA/YYYY/notice.xml for the year), falling back to the template's
 * <defaults>.  Both files are validated against templates/schema/notice.xsd
 * (one schema, two root elements); on top of the schema phrases.c checks
 * the template against this file's key tables - every phrase the program
 * uses exists, no unknown phrase does, each phrase uses only the
 * {placeholders} it may - so a typo in the template is reported with its
 * line on every run, not only in the quarter whose data happens to need
 * that phrase.
 *
 * The follow-up of directives (Art 4) comes computed (followup.c), as the
 * caller computes it once for followups.csv and the statements too: a
 * section 二 (五) and an attachment, both present only when the quarter
 * lists a directive.
 *
 * Titles from the ledger may hold anything; they are kept as written
 * (backends escape), except that CR/LF become spaces wherever a title is
 * quoted (table cells, the list of late reports).
 */
#define _POSIX_C_SOURCE 200809L
#include "notice.h"
#include "followup.h"
#include "phrases.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

/* ---- the wording: templates/notice.xml -------------------------------- */

/* Placeholders every phrase may use. */
static const char common_vars[] =
    "year next_year quarter quarter_cn issue_year date_cn";

/* How many they are: the name, value pairs of nb_t.cv. */
enum { NCOMMON = 6 };

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

/* The placeholders of the paragraphs of 三、存在问题 and 四、下一步工作要求,
 * in the template or in a quarter's notice.xml. */
static const char problem_vars[] =
    "unsigned channel late missed missed_units zero_submit zero_adopt";

static const phrase_spec_t quarter_keys[] = {
	{ "title", false, 0, "" },
	{ "subject", false, 0, "" },
	{ "keywords", false, 0, "" },
	{ "opening", false, 0, "" },
	{ "h_basic", false, 0, "" },
	{ "received", false, 0, "received counted effective excluded" },
	{ "adopted", false, 0, "adoptions carriers quality" },
	{ "adopted_none", false, 0, "" },
	{ "carrier_count", false, 0, "carrier count" },
	{ "kinds_caption", false, 0, "" },
	{ "cols_kinds", true, 5, "" },
	{ "carriers_caption", false, 0, "" },
	{ "cols_carriers", true, 3, "" },
	{ "total_row", false, 0, "" },
	{ "quota", false, 0, "groups" },
	{ "quota_group", false, 0, "group units met" },
	{ "h_results", false, 0, "" },
	{ "h_best", false, 0, "" },
	{ "best", false, 0, "" },
	{ "best_none", false, 0, "" },
	{ "h_missed", false, 0, "" },
	{ "missed", false, 0, "" },
	{ "missed_none", false, 0, "" },
	{ "h_zero", false, 0, "" },
	{ "zero_submit", false, 0, "" },
	{ "zero_submit_none", false, 0, "" },
	{ "zero_adopt", false, 0, "" },
	{ "zero_adopt_none", false, 0, "" },
	{ "h_high", false, 0, "" },
	{ "high", false, 0, "count units" },
	{ "high_none", false, 0, "" },
	{ "high_unit", false, 0, "unit count" },
	{ "h_late", false, 0, "" },
	{ "late", false, 0, "limit" },
	{ "late_item", false, 0, "unit title elapsed late" },
	{ "late_item_day", false, 0, "unit title day elapsed late" },
	{ "late_note", false, 0, "" },
	{ "late_none", false, 0, "" },
	{ "h_followup", false, 0, "" },
	{ "followup", false, 0,
	    "directives obligations on_time late overdue pending" },
	{ "followup_overdue", false, 0, "" },
	{ "followup_overdue_item", false, 0, "directive title units" },
	{ "followup_overdue_unit", false, 0, "unit obligations" },
	{ "followup_overdue_none", false, 0, "" },
	{ "ob_plan", false, 0, "" },
	{ "ob_progress", false, 0, "" },
	{ "ob_periodic", false, 0, "n" },
	{ "st_on_time", false, 0, "" },
	{ "st_late", false, 0, "" },
	{ "st_overdue", false, 0, "" },
	{ "st_pending", false, 0, "" },
	{ "followup_caption", false, 0, "directive title issued" },
	{ "followup_caption_long", false, 0, "directive title issued period" },
	{ "not_reported", false, 0, "" },
	{ "h_problems", false, 0, "" },
	{ "problems_found", false, 0, "issues" },
	{ "problems_none", false, 0, "" },
	{ "problem_unsigned", false, 0, "n" },
	{ "problem_channel", false, 0, "n" },
	{ "problem_late", false, 0, "n" },
	{ "problem_missed", false, 0, "n units" },
	{ "problems", true, 0, problem_vars },
	{ "h_next", false, 0, "" },
	{ "requirements", true, 0, problem_vars },
	{ "attach_scores", false, 0, "" },
	{ "attach_high", false, 0, "" },
	{ "attach_excluded", false, 0, "" },
	{ "attach_adoptions", false, 0, "" },
	{ "attach_followup", false, 0, "" },
	{ "adoptions_max", false, 0, "" },
	{ "adoptions_more", false, 0, "unit n" },
	{ "adoptions_web_max", false, 0, "" },
	{ "adoptions_web_more", false, 0, "unit n" },
	{ "late_max", false, 0, "" },
	{ "late_more", false, 0, "n" },
	{ "high_max", false, 0, "" },
	{ "high_more", false, 0, "n" },
	{ "excluded_max", false, 0, "" },
	{ "excluded_more", false, 0, "n" },
	{ "followups_max", false, 0, "" },
	{ "followups_more", false, 0, "n" },
	{ "cols_scores", true, 12, "" },
	{ "cols_high", true, 4, "" },
	{ "cols_excluded", true, 4, "" },
	{ "cols_adoptions", true, 5, "" },
	{ "cols_followup", true, 5, "" },
	{ "chart_title", false, 0, "" },
	{ "chart_alt", false, 0, "values" },
};

static const phrase_spec_t year_keys[] = {
	{ "title", false, 0, "" },
	{ "subject", false, 0, "" },
	{ "keywords", false, 0, "" },
	{ "opening", false, 0, "" },
	{ "h_basic", false, 0, "" },
	{ "summary", false, 0, "units groups" },
	{ "summary_group", false, 0, "group units average" },
	{ "h_honours", false, 0, "" },
	{ "honour_units", false, 0, "" },
	{ "honour_units_none", false, 0, "" },
	{ "honour_workers", false, 0, "workers" },
	{ "honour_workers_none", false, 0, "" },
	{ "h_next", false, 0, "" },
	{ "requirements", true, 0, "" },
	{ "attach_scores", false, 0, "" },
	{ "attach_workers", false, 0, "" },
	{ "cols_scores", true, 8, "" },
	{ "cols_workers", true, 5, "" },
	{ "chart_title", false, 0, "" },
	{ "chart_alt", false, 0, "values" },
};

static const phrase_spec_t honours_keys[] = {
	{ "issuer", false, 0, "" },
	{ "doc_number_blank", false, 0, "" },
	{ "recipients", false, 0, "" },
	{ "signature", false, 0, "" },
	{ "title", false, 0, "" },
	{ "subject", false, 0, "" },
	{ "keywords", false, 0, "" },
	{ "opening", false, 0, "" },
	{ "h_units", false, 0, "n" },
	{ "unit_line", false, 0, "unit group total rank" },
	{ "units_none", false, 0, "" },
	{ "h_workers", false, 0, "n" },
	{ "worker_line", false, 0, "name unit items quality" },
	{ "workers_none", false, 0, "" },
	{ "closing", false, 0, "" },
};

/* ---- the settings: <defaults>, then DATA/.../notice.xml ----------------- */

enum setting {
	S_ISSUER, S_DOC_NUMBER_PATTERN, S_DOC_NUMBER_BLANK, S_RECIPIENTS,
	S_SIGNATURE, S_PRINTER, S_CATEGORY, S_PUBLISHER, S_VALIDITY, S_INDEX_NO,
	S_COLUMN, S_BEST_RANK, S_DOC_NUMBER, S_NUMBER, S_ISSUE_DATE, S_PRINT_DATE,
	S_COUNT
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

typedef struct settings {
	char       *v[S_COUNT];       /* NULL: not given */
	const char *file[S_COUNT];    /* where each value came from */
	long        line[S_COUNT];
	strvec_t    cc;
	bool        cc_given;
	strvec_t    extra;
	long       *extra_line;
	/* a quarter's own 存在问题 and 下一步工作要求 (given: replace the
	 * template's), with the line of each paragraph */
	bool        problems_given, requirements_given;
	strvec_t    problems, requirements;
	long       *problems_line, *requirements_line;
} settings_t;

/* A civil date. */
typedef struct ymd {
	int y, m, d;
} ymd_t;

/* ---- the builder's state ------------------------------------------------ */

typedef struct nb {
	const registry_t *reg;
	const rules_t    *rules;
	const ledger_t   *led;
	const results_t  *res;
	const annual_t   *ann;
	const trend_t    *tr;         /* the quarter against the year so far */
	const int        *year_rank_change;  /* the year's, on the previous */
	const bool       *year_rank_known;   /* year's rank, or NULL */
	const followup_t *fu;         /* the quarter's follow-ups (Art 4) */
	char             *tfile;      /* templates/notice.xml */
	char             *sfile;      /* settings file actually read, or NULL */
	phrasebook_t     *pb;         /* <common>, then <quarter> or <year> */
	settings_t        set;
	diag_list_t      *dl;
	size_t            errors0;
	/* common placeholders */
	char              year[16], next_year[16], quarter[16], issue_year[16];
	char              date_cn[40];
	const char       *quarter_cn;
	const char       *cv[2 * NCOMMON];    /* their names and values */
	ymd_t             issue, print;
	doc_t            *doc;
} nb_t;

/* ---- small string helpers ----------------------------------------------- */

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The strings of sv joined by sep.  Newly allocated ("" when empty). */
static char *
join(const strvec_t *sv, const char *sep)
{
	buf_t b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < sv->n; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, sv->v[i]);
	}
	return buf_steal(&b);
}

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

static void
settings_free(settings_t *s)
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
static int
load_template(nb_t *b, const char *templates_dir, const char *which,
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
static bool
parse_ymd(const char *s, ymd_t *out)
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
static int
load_settings(nb_t *b, const char *templates_dir, const char *settings_file)
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
static int
check_settings(nb_t *b)
{
	static const enum setting dates[] = { S_ISSUE_DATE, S_PRINT_DATE };
	static const enum setting patterns[] = { S_DOC_NUMBER_PATTERN,
	    S_DOC_NUMBER_BLANK };
	ymd_t tmp;

	hidden_in_settings(b);
	for (size_t i = 0; i < ARRAY_LEN(dates); i++) {
		enum setting k = dates[i];

		if (b->set.v[k] != NULL && !parse_ymd(b->set.v[k], &tmp))
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
		    "problems", b->set.problems.v[i], problem_vars, b->dl);
	for (size_t i = 0; i < b->set.requirements.n; i++)
		phrasebook_check_text(b->pb, b->sfile,
		    b->set.requirements_line[i], "requirements",
		    b->set.requirements.v[i], b->tr != NULL ? problem_vars : "",
		    b->dl);
	return b->dl->errors > b->errors0 ? -1 : 0;
}

/* ---- phrases ----------------------------------------------------------------- */

/*
 * The phrase `key` with its placeholders filled: the variable arguments are
 * name, value pairs ended by NULL.  Newly allocated ("" for a missing key,
 * which the checks at load time rule out).
 */
static char *
say(const nb_t *b, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(b->pb, key, b->cv, NCOMMON, ap);
	va_end(ap);
	return s;
}

/* The items of list `key`, each expanded (common placeholders only) into sv. */
static void
say_list(const nb_t *b, const char *key, strvec_t *sv)
{
	phrasebook_say_list(b->pb, key, b->cv, NCOMMON, sv);
}

/* Adds the phrase `key` (no own placeholders) as a heading / paragraph. */
static void
add_heading(nb_t *b, doc_section_t *s, int level, const char *key)
{
	char *t = say(b, key, (const char *)NULL);

	doc_add_heading(s, level, t);
	free(t);
}

static void
add_heading_owned(doc_section_t *s, char *text)
{
	doc_add_heading(s, 1, text);
	free(text);
}

static void
add_para_owned(doc_section_t *s, char *text)
{
	doc_add_para(s, text);
	free(text);
}

static void
add_list(doc_section_t *s, const strvec_t *sv)
{
	if (sv->n > 0)
		doc_add_list(s, (const char *const *)sv->v, sv->n);
}

/* A duration in minutes as words ("1小时35分钟").  Newly allocated. */
static char *
say_duration(const nb_t *b, long minutes)
{
	char h[24], m[24];

	snprintf(h, sizeof h, "%ld", minutes / 60);
	snprintf(m, sizeof m, "%ld", minutes % 60);
	if (minutes >= 60 && minutes % 60 != 0)
		return say(b, "duration_hm", "hours", h, "minutes", m,
		    (const char *)NULL);
	if (minutes >= 60)
		return say(b, "duration_h", "hours", h, (const char *)NULL);
	return say(b, "duration_m", "minutes", m, (const char *)NULL);
}

/*
 * A change as a table cell: the `up` / `down` phrase with its size, or
 * the `same` phrase; change_none when there is nothing to compare with.
 * delta in tenths of a point (points) or whole units (items, places:
 * pass them times 10).  Newly allocated.
 */
static char *
say_change(const nb_t *b, bool known, tenths delta, const char *up,
    const char *down, const char *same)
{
	char n[32];

	if (!known)
		return say(b, "change_none", (const char *)NULL);
	if (delta == 0)
		return say(b, same, (const char *)NULL);
	tenths_format(delta > 0 ? delta : -delta, n, sizeof n);
	return say(b, delta > 0 ? up : down, "n", n, (const char *)NULL);
}

/*
 * The paragraphs of list `key`, or the quarter's own (given) in their
 * place, with placeholders filled from kv (nkv name, value pairs), added
 * to s.
 */
static void
add_paragraphs(nb_t *b, doc_section_t *s, const char *key, bool given,
    const strvec_t *own, const char *const *kv, size_t nkv)
{
	const strvec_t *items = given ? own : phrasebook_list(b->pb, key);

	for (size_t i = 0; items != NULL && i < items->n; i++)
		add_para_owned(s, phrase_expand(items->v[i], kv, nkv, b->cv,
		    NCOMMON));
}

/* ---- front matter and back matter ---------------------------------------- */

static void
ymd_cn(ymd_t d, char *buf, size_t n)
{
	tb_date_cn(tb_time_make(d.y, d.m, d.d, 0, 0), buf, n);
}

/*
 * Sets the common placeholders and the dates: `year` evaluated, the issue
 * date from the settings or `dflt`, the print date from the settings or the
 * issue date.
 */
static void
set_dates(nb_t *b, int year, int quarter, ymd_t dflt)
{
	static const char *const no_quarter = "";

	snprintf(b->year, sizeof b->year, "%d", year);
	snprintf(b->next_year, sizeof b->next_year, "%d", year + 1);
	if (quarter > 0)
		snprintf(b->quarter, sizeof b->quarter, "%d", quarter);
	b->quarter_cn = no_quarter;
	if (quarter > 0) {
		const strvec_t *names = phrasebook_list(b->pb, "quarter_names");

		if (names != NULL && (size_t)quarter <= names->n)
			b->quarter_cn = names->v[quarter - 1];
	}
	b->issue = dflt;
	if (b->set.v[S_ISSUE_DATE] != NULL)
		parse_ymd(b->set.v[S_ISSUE_DATE], &b->issue);
	b->print = b->issue;
	if (b->set.v[S_PRINT_DATE] != NULL)
		parse_ymd(b->set.v[S_PRINT_DATE], &b->print);
	snprintf(b->issue_year, sizeof b->issue_year, "%d", b->issue.y);
	ymd_cn(b->issue, b->date_cn, sizeof b->date_cn);
	b->cv[0] = "year";       b->cv[1] = b->year;
	b->cv[2] = "next_year";  b->cv[3] = b->next_year;
	b->cv[4] = "quarter";    b->cv[5] = b->quarter;
	b->cv[6] = "quarter_cn"; b->cv[7] = b->quarter_cn;
	b->cv[8] = "issue_year"; b->cv[9] = b->issue_year;
	b->cv[10] = "date_cn";   b->cv[11] = b->date_cn;
}

/* The setting k, or dflt when neither file gives it. */
static const char *
setting(const nb_t *b, enum setting k, const char *dflt)
{
	return b->set.v[k] != NULL ? b->set.v[k] : dflt;
}

/*
 * Everything of the document outside its body and attachments: 版头,
 * title, 主送, signature and date, 版记, portal metadata, PDF information.
 */
static void
front_and_back(nb_t *b)
{
	doc_t *d = b->doc;
	const char *kv[4];
	char iso[48], pdate[40];
	const char *rec;

	/* a unit's name is never broken in a table cell (render_pdf.c) */
	for (size_t u = 0; u < b->reg->nunits; u++) {
		doc_add_keep(d, b->reg->units[u].name);
		for (size_t k = 0; k < b->reg->units[u].naliases; k++)
			doc_add_keep(d, b->reg->units[u].aliases[k]);
	}

	doc_set(&d->issuer, setting(b, S_ISSUER, ""));
	kv[0] = "year"; kv[1] = b->issue_year;
	if (b->set.v[S_DOC_NUMBER] != NULL) {
		doc_set(&d->doc_number, b->set.v[S_DOC_NUMBER]);
	} else if (b->set.v[S_NUMBER] != NULL) {
		kv[2] = "n"; kv[3] = b->set.v[S_NUMBER];
		d->doc_number = phrase_expand(b->set.v[S_DOC_NUMBER_PATTERN],
		    kv, 2, b->cv, NCOMMON);
	}
	kv[2] = "n"; kv[3] = "";
	d->doc_number_blank = phrase_expand(b->set.v[S_DOC_NUMBER_BLANK], kv, 2,
	    b->cv, NCOMMON);
	d->title = say(b, "title", (const char *)NULL);
	rec = setting(b, S_RECIPIENTS, "");
	if (*rec != '\0' && !ends_with(rec, "：") && !ends_with(rec, ":"))
		d->recipients = xasprintf("%s：", rec);
	else
		d->recipients = xstrdup(rec);
	doc_set(&d->signature, setting(b, S_SIGNATURE, d->issuer));
	doc_set(&d->date_cn, b->date_cn);
	if (b->set.cc.n > 0) {
		char *sep = say(b, "cc_sep", (const char *)NULL);
		char *names = join(&b->set.cc, sep);

		d->cc = say(b, "cc", "names", names, (const char *)NULL);
		free(names);
		free(sep);
	}
	doc_set(&d->printer, setting(b, S_PRINTER, d->issuer));
	ymd_cn(b->print, pdate, sizeof pdate);
	d->print_date = say(b, "print_date", "date_cn", pdate,
	    (const char *)NULL);
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", b->issue.y, b->issue.m,
	    b->issue.d);
	doc_set(&d->meta.index_no, b->set.v[S_INDEX_NO]);
	doc_set(&d->meta.category, setting(b, S_CATEGORY, NULL));
	doc_set(&d->meta.publisher, setting(b, S_PUBLISHER, NULL));
	doc_set(&d->meta.date_iso, iso);
	doc_set(&d->meta.validity, setting(b, S_VALIDITY, NULL));
	doc_set(&d->meta.column, setting(b, S_COLUMN, NULL));
	d->meta.keywords = say(b, "keywords", (const char *)NULL);
	doc_set(&d->author, d->issuer);
	d->subject = say(b, "subject", (const char *)NULL);
	/* the issue date at 00:00 in UTC+8 */
	d->epoch = (long long)tb_days_from_civil(b->issue.y, b->issue.m,
	    b->issue.d) * 86400 - 8 * 3600;
}

/* Starts attachment n with the title phrase `key`; records its 附件说明 line. */
static doc_section_t *
attachment(nb_t *b, const char *key)
{
	doc_t *d = b->doc;
	char n[24];
	char *title = say(b, key, (const char *)NULL), *label, *note;
	doc_section_t *s;

	snprintf(n, sizeof n, "%zu", d->nattachments + 1);
	label = say(b, "attach_label", "n", n, (const char *)NULL);
	note = say(b, "attach_note", "n", n, "title", title, (const char *)NULL);
	s = doc_add_attachment(d, label, title);
	d->attach_note = xrealloc(d->attach_note,
	    (d->nattach_note + 1) * sizeof *d->attach_note);
	d->attach_note[d->nattach_note++] = note;
	free(label);
	free(title);
	return s;
}

/* The settings' extra paragraphs, literal, at the end of the body. */
static void
extra_paragraphs(nb_t *b)
{
	for (size_t i = 0; i < b->set.extra.n; i++)
		doc_add_para(&b->doc->body, b->set.extra.v[i]);
}

/* ---- per-group tallies ---------------------------------------------------- */

/* Average of sum over n in tenths, rounded half away from zero. */
static tenths
average(tenths sum, size_t n)
{
	tenths nn = (tenths)n;

	if (n == 0)
		return 0;
	return sum >= 0 ? (2 * sum + nn) / (2 * nn) : -((-2 * sum + nn) / (2 * nn));
}

/*
 * Adds the chart of the average total per group (groups with units only):
 * sums[g] and counts[g] per registry group.
 */
static void
group_chart(nb_t *b, doc_section_t *s, const tenths *sums, const size_t *counts)
{
	char *title = say(b, "chart_title", (const char *)NULL);
	char *unit = say(b, "chart_unit", (const char *)NULL);
	char *sep = say(b, "list_sep", (const char *)NULL);
	char *values, *alt;
	strvec_t parts = { 0 };
	doc_chart_t *c;
	char v[32];

	c = doc_add_chart(s, title, NULL, unit);
	for (size_t g = 0; g < b->reg->ngroups; g++) {
		tenths avg;

		if (counts[g] == 0)
			continue;
		avg = average(sums[g], counts[g]);
		tenths_format(avg, v, sizeof v);
		doc_chart_add_bar(c, b->reg->groups[g].name, (double)avg / 10.0, v);
		strvec_push_owned(&parts, say(b, "chart_value", "label",
		    b->reg->groups[g].name, "value", v, (const char *)NULL));
	}
	values = join(&parts, sep);
	alt = say(b, "chart_alt", "values", values, (const char *)NULL);
	doc_set(&c->alt, alt);
	free(alt);
	free(values);
	strvec_free(&parts);
	free(sep);
	free(unit);
	free(title);
}

/*
 * One list line per group that has names: "group：a、b、c。".  names[g]
 * holds the names of group g.  Returns how many lines were added to sv.
 */
static size_t
group_lines(const nb_t *b, strvec_t *names, strvec_t *sv)
{
	char *sep = say(b, "list_sep", (const char *)NULL);
	size_t added = 0;

	for (size_t g = 0; g < b->reg->ngroups; g++) {
		char *units;

		if (names[g].n == 0)
			continue;
		units = join(&names[g], sep);
		strvec_push_owned(sv, say(b, "group_units", "group",
		    b->reg->groups[g].name, "units", units, (const char *)NULL));
		free(units);
		added++;
	}
	free(sep);
	return added;
}

/* A table from list key `cols`, with alignments and weights. */
static doc_table_t *
table_from(nb_t *b, doc_section_t *s, const char *caption, const char *cols,
    const enum doc_align *align, const unsigned *weight)
{
	strvec_t head = { 0 };
	doc_table_t *t;

	say_list(b, cols, &head);
	t = doc_add_table(s, caption, head.n, (const char *const *)head.v,
	    align, weight);
	strvec_free(&head);
	return t;
}

/*
 * Marks t as a ranking for the portal: its anchor (the group's id) and the
 * columns of the rank, the name and the figure it is sorted by.
 */
static void
ranking(doc_table_t *t, const char *id, size_t rank, size_t name, size_t key)
{
	doc_table_set_id(t, id);
	doc_table_set_role(t, rank, COL_RANK);
	doc_table_set_role(t, name, COL_NAME);
	doc_table_set_role(t, key, COL_KEY);
}

static void
empty_note(nb_t *b, doc_section_t *s)
{
	add_para_owned(s, say(b, "empty_table", (const char *)NULL));
}

/* ---- the quarterly notice --------------------------------------------------- */

/* Per group: units evaluated, units that met the quota, sum of totals. */
typedef struct qgroup {
	size_t units, met;
	tenths sum;
} qgroup_t;

/* A count and its change on the previous quarter's, as two cells. */
static void
count_cells(const nb_t *b, long now, long before, char *count, size_t n,
    char **change)
{
	snprintf(count, n, "%ld", now);
	*change = say_change(b, b->tr->has_prev, (tenths)(now - before) * 10,
	    "change_up", "change_down", "change_same");
}

/*
 * The overview of 一 (SPEC 5): items received and counted by kind, and
 * adoptions by carrier, each beside the previous quarter of the year.
 * Kinds and carriers with nothing in either quarter are left out; the
 * total row counts everything.
 */
static void
overview_tables(nb_t *b)
{
	static const enum doc_align kal[5] = { ALIGN_LEFT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned kw[5] = { 6, 3, 3, 3, 3 };
	static const enum doc_align cal[3] = { ALIGN_LEFT, ALIGN_RIGHT,
	    ALIGN_RIGHT };
	static const unsigned cw[3] = { 8, 3, 3 };
	const tally_t *now = &b->tr->now, *bef = &b->tr->before;
	doc_section_t *body = &b->doc->body;
	char *cap = say(b, "kinds_caption", (const char *)NULL);
	char *total = say(b, "total_row", (const char *)NULL);
	char r[24], c[24], *dr, *dc;
	doc_table_t *t = table_from(b, body, cap, "cols_kinds", kal, kw);

	for (size_t k = 0; k <= b->rules->nkinds; k++) {
		bool sum = k == b->rules->nkinds;
		long nr = sum ? now->received : now->kind_received[k];
		long nc = sum ? now->counted : now->kind_counted[k];
		long br = sum ? bef->received : b->tr->has_prev ?
		    bef->kind_received[k] : 0;
		long bc = sum ? bef->counted : b->tr->has_prev ?
		    bef->kind_counted[k] : 0;
		const char *cells[5];

		if (!sum && nr == 0 && br == 0)
			continue;
		count_cells(b, nr, br, r, sizeof r, &dr);
		count_cells(b, nc, bc, c, sizeof c, &dc);
		cells[0] = sum ? total : b->rules->kinds[k].name;
		cells[1] = r;
		cells[2] = dr;
		cells[3] = c;
		cells[4] = dc;
		doc_table_add_row(t, cells);
		free(dr);
		free(dc);
	}
	free(cap);
	cap = say(b, "carriers_caption", (const char *)NULL);
	t = table_from(b, body, cap, "cols_carriers", cal, cw);
	for (size_t k = 0; k <= b->rules->ncarriers; k++) {
		bool sum = k == b->rules->ncarriers;
		long na = sum ? now->adopted : now->carrier_adopted[k];
		long ba = sum ? bef->adopted : b->tr->has_prev ?
		    bef->carrier_adopted[k] : 0;
		const char *cells[3];

		if (!sum && na == 0 && ba == 0)
			continue;
		count_cells(b, na, ba, r, sizeof r, &dr);
		cells[0] = sum ? total : b->rules->carriers[k].name;
		cells[1] = r;
		cells[2] = dr;
		doc_table_add_row(t, cells);
		free(dr);
	}
	free(cap);
	free(total);
}

/* 一、基本情况: received/counted, adoptions per carrier, quota per group. */
static void
quarter_basic(nb_t *b, const qgroup_t *gs)
{
	const results_t *res = b->res;
	doc_section_t *body = &b->doc->body;
	long received = 0, counted = 0, effective = 0, excluded = 0;
	size_t adoptions = 0;
	tenths quality = 0;
	size_t *per_carrier = xcalloc(b->rules->ncarriers + 1, sizeof *per_carrier);
	char r[24], c[24], e[24], x[24], q[32], n[24];
	char *sep = say(b, "list_sep", (const char *)NULL);
	char *csep = say(b, "clause_sep", (const char *)NULL);
	strvec_t parts = { 0 };
	char *joined;

	add_heading(b, body, 1, "h_basic");
	for (size_t i = 0; i < res->nunits; i++) {
		received += res->units[i].submitted;
		counted += res->units[i].counted;
		effective += res->units[i].effective;
		quality += res->units[i].quality;
	}
	for (size_t i = 0; i < res->nitems; i++)
		if (res->items[i].why != EXCL_NONE)
			excluded++;
	snprintf(r, sizeof r, "%ld", received);
	snprintf(c, sizeof c, "%ld", counted);
	snprintf(e, sizeof e, "%ld", effective);
	snprintf(x, sizeof x, "%ld", excluded);
	add_para_owned(body, say(b, "received", "received", r, "counted", c,
	    "effective", e, "excluded", x, (const char *)NULL));

	for (size_t i = 0; i < res->ncredits; i++) {
		const adoption_t *a = &b->led->adoptions[res->credits[i].adoption];

		/* an item of a unit no longer evaluated credits nobody */
		if (a->carrier < b->rules->ncarriers &&
		    b->led->items[a->item].unit < b->reg->nunits) {
			per_carrier[a->carrier]++;
			adoptions++;
		}
	}
	for (size_t k = 0; k < b->rules->ncarriers; k++) {
		if (per_carrier[k] == 0)
			continue;
		snprintf(n, sizeof n, "%zu", per_carrier[k]);
		strvec_push_owned(&parts, say(b, "carrier_count", "carrier",
		    b->rules->carriers[k].name, "count", n, (const char *)NULL));
	}
	if (adoptions == 0) {
		add_para_owned(body, say(b, "adopted_none", (const char *)NULL));
	} else {
		joined = join(&parts, sep);
		snprintf(n, sizeof n, "%zu", adoptions);
		tenths_format(quality, q, sizeof q);
		add_para_owned(body, say(b, "adopted", "adoptions", n,
		    "carriers", joined, "quality", q, (const char *)NULL));
		free(joined);
	}
	strvec_free(&parts);
	overview_tables(b);

	for (size_t g = 0; g < b->reg->ngroups; g++) {
		char u[24], m[24];

		if (gs[g].units == 0)
			continue;
		snprintf(u, sizeof u, "%zu", gs[g].units);
		snprintf(m, sizeof m, "%zu", gs[g].met);
		strvec_push_owned(&parts, say(b, "quota_group", "group",
		    b->reg->groups[g].name, "units", u, "met", m,
		    (const char *)NULL));
	}
	joined = join(&parts, csep);
	add_para_owned(body, say(b, "quota", "groups", joined,
	    (const char *)NULL));
	free(joined);
	strvec_free(&parts);
	free(csep);
	free(sep);
	free(per_carrier);
}

/* A list of names per group under an intro phrase, or the `none` phrase. */
static void
named_groups(nb_t *b, strvec_t *names, const char *intro, const char *none)
{
	doc_section_t *body = &b->doc->body;
	strvec_t lines = { 0 };

	if (group_lines(b, names, &lines) == 0) {
		add_para_owned(body, say(b, none, (const char *)NULL));
	} else {
		add_para_owned(body, say(b, intro, (const char *)NULL));
		add_list(body, &lines);
	}
	strvec_free(&lines);
}

/* （三）高层次采用: adoptions at a high-level carrier this quarter. */
static void
quarter_high(nb_t *b)
{
	const results_t *res = b->res;
	doc_section_t *body = &b->doc->body;
	size_t *per_unit = xcalloc(b->reg->nunits + 1, sizeof *per_unit);
	size_t total = 0;
	strvec_t parts = { 0 };
	char n[24];

	add_heading(b, body, 2, "h_high");
	for (size_t i = 0; i < res->ncredits; i++) {
		const adoption_t *a = &b->led->adoptions[res->credits[i].adoption];
		size_t u = b->led->items[a->item].unit;

		if (a->carrier < b->rules->ncarriers &&
		    b->rules->carriers[a->carrier].high_level &&
		    u < b->reg->nunits) {
			per_unit[u]++;
			total++;
		}
	}
	if (total == 0) {
		add_para_owned(body, say(b, "high_none", (const char *)NULL));
	} else {
		char *sep = say(b, "list_sep", (const char *)NULL), *units;

		for (size_t k = 0; k < res->nunits; k++) {
			size_t u = res->units[res->order[k]].unit;

			if (u >= b->reg->nunits || per_unit[u] == 0)
				continue;
			snprintf(n, sizeof n, "%zu", per_unit[u]);
			strvec_push_owned(&parts, say(b, "high_unit", "unit",
			    b->reg->units[u].name, "count", n, (const char *)NULL));
		}
		units = join(&parts, sep);
		snprintf(n, sizeof n, "%zu", total);
		add_para_owned(body, say(b, "high", "count", n, "units", units,
		    (const char *)NULL));
		free(units);
		free(sep);
	}
	strvec_free(&parts);
	free(per_unit);
}

/*
 * A long list stays readable (README, "Giant quarters"): the notice shows
 * at most the number its template's phrase `key` gives (late_max,
 * excluded_max, ...: 1 to 100000) and then one line saying how many more
 * there are and in which published file they all are.  Returns the cap,
 * or 0 after an error at the template (nothing is left out then).
 */
static size_t
list_cap(nb_t *b, const char *key)
{
	char *s = say(b, key, (const char *)NULL), *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 100000) {
		diag_error(b->dl, b->tfile, 0, "<quarter>: %s \"%s\" is not a "
		    "number of rows (1 to 100000)", key, s);
		v = 0;
	}
	free(s);
	return (size_t)v;
}

/* The line for the rows a list leaves out: phrase `key` with {n}. */
static char *
more_line(const nb_t *b, const char *key, size_t more)
{
	char n[24];

	snprintf(n, sizeof n, "%zu", more);
	return say(b, key, "n", n, (const char *)NULL);
}

/* A table's last row for the rows it leaves out: the line in cell 1
 * (cell 0 empty), shown in both forms. */
static void
more_row(const nb_t *b, doc_table_t *t, const char *key, size_t more)
{
	const char **cells = xcalloc(t->ncols, sizeof *cells);
	char *line = more_line(b, key, more);

	/* the first cell heads the row (the page reads it to a screen
	 * reader): an ellipsis, the line beside it */
	for (size_t c = 0; c < t->ncols; c++)
		cells[c] = "";
	cells[0] = "\xE2\x80\xA6\xE2\x80\xA6";
	cells[t->ncols > 1 ? 1 : 0] = line;
	doc_table_add_row(t, cells);
	free(line);
	free(cells);
}

/* （四）时效: urgent items reported after the limit (Art 13, 17); at most
 * late_max of them, the rest in items.csv. */
static void
quarter_late(nb_t *b)
{
	const results_t *res = b->res;
	doc_section_t *body = &b->doc->body;
	strvec_t lines = { 0 };
	size_t cap = list_cap(b, "late_max"), more = 0;

	add_heading(b, body, 2, "h_late");
	for (size_t i = 0; i < res->nitems; i++) {
		const item_result_t *ir = &res->items[i];
		const item_t *it;
		char *title, *late, *elapsed;

		if (ir->late_minutes <= 0 || ir->item >= b->led->nitems ||
		    b->led->items[ir->item].unit >= b->reg->nunits)
			continue;
		if (cap > 0 && lines.n >= cap) {
			more++;
			continue;
		}
		it = &b->led->items[ir->item];
		title = one_line(it->title);
		/* score.c sets late_minutes to submitted - event (the whole
		 * delay, or the least one the ledger proves when a time was a
		 * day only); the excess is what goes beyond the limit */
		elapsed = say_duration(b, ir->late_minutes);
		late = say_duration(b, ir->late_minutes >
		    b->rules->urgent_limit_minutes ? ir->late_minutes -
		    b->rules->urgent_limit_minutes : 0);
		if (ir->late_day) {
			char day[64];

			tb_date_cn(it->event, day, sizeof day);
			strvec_push_owned(&lines, say(b, "late_item_day", "unit",
			    b->reg->units[it->unit].name, "title", title,
			    "day", day, "elapsed", elapsed, "late", late,
			    (const char *)NULL));
		} else {
			strvec_push_owned(&lines, say(b, "late_item", "unit",
			    b->reg->units[it->unit].name, "title", title,
			    "elapsed", elapsed, "late", late, (const char *)NULL));
		}
		free(elapsed);
		free(late);
		free(title);
	}
	if (lines.n == 0) {
		add_para_owned(body, say(b, "late_none", (const char *)NULL));
	} else {
		char *limit = say_duration(b, b->rules->urgent_limit_minutes);

		add_para_owned(body, say(b, "late", "limit", limit,
		    (const char *)NULL));
		if (more > 0)
			strvec_push_owned(&lines, more_line(b, "late_more", more));
		add_list(body, &lines);
		add_para_owned(body, say(b, "late_note", (const char *)NULL));
		free(limit);
	}
	strvec_free(&lines);
}

/* Attachment 1: the chart and one score table per group. */
static void
quarter_scores(nb_t *b, const qgroup_t *gs)
{
	enum { NC = 12 };
	static const enum doc_align align[NC] = { ALIGN_RIGHT, ALIGN_LEFT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned weight[NC] = { 2, 9, 2, 2, 2, 2, 3, 3, 3, 3, 3,
	    3 };
	const results_t *res = b->res;
	doc_section_t *s = attachment(b, "attach_scores");
	tenths *sums = xcalloc(b->reg->ngroups + 1, sizeof *sums);
	size_t *counts = xcalloc(b->reg->ngroups + 1, sizeof *counts);

	for (size_t g = 0; g < b->reg->ngroups; g++) {
		sums[g] = gs[g].sum;
		counts[g] = gs[g].units;
	}
	group_chart(b, s, sums, counts);
	for (size_t g = 0; g < b->reg->ngroups; g++) {
		doc_table_t *t;

		if (gs[g].units == 0)
			continue;
		t = table_from(b, s, b->reg->groups[g].name, "cols_scores",
		    align, weight);
		ranking(t, b->reg->groups[g].id, 0, 1, 8);
		for (size_t k = 0; k < res->nunits; k++) {
			const unit_result_t *ur = &res->units[res->order[k]];
			const unit_trend_t *tr = &b->tr->units[res->order[k]];
			const unit_t *u = &b->reg->units[ur->unit];
			char c[NC][32], *change, *rank;
			const char *cells[NC];

			if (u->group != g)
				continue;
			snprintf(c[0], sizeof c[0], "%d", ur->rank);
			snprintf(c[2], sizeof c[2], "%d",
			    b->reg->cats[u->category].quota);
			snprintf(c[3], sizeof c[3], "%d", ur->submitted);
			snprintf(c[4], sizeof c[4], "%d", ur->counted);
			snprintf(c[5], sizeof c[5], "%d", ur->effective);
			tenths_format(ur->base, c[6], sizeof c[6]);
			tenths_format(ur->quality, c[7], sizeof c[7]);
			tenths_format(ur->total, c[8], sizeof c[8]);
			tenths_format(tr->ytd, c[9], sizeof c[9]);
			change = say_change(b, tr->has_prev, tr->change,
			    "change_up", "change_down", "change_same");
			rank = say_change(b, tr->has_rank_change,
			    (tenths)tr->rank_change * 10, "rank_up", "rank_down",
			    "rank_same");
			for (size_t i = 0; i < NC; i++)
				cells[i] = c[i];
			cells[1] = u->name;
			cells[10] = change;
			cells[11] = rank;
			doc_table_add_row(t, cells);
			doc_table_set_row_id(t, t->nrows - 1, u->id);
			free(change);
			free(rank);
		}
	}
	free(counts);
	free(sums);
}

/* Attachment 2: the high-level adoptions of the quarter, in date order. */
static void
quarter_high_table(nb_t *b)
{
	static const enum doc_align align[4] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[4] = { 5, 10, 4, 4 };
	const results_t *res = b->res;
	doc_section_t *s = attachment(b, "attach_high");
	doc_table_t *t = NULL;
	size_t cap = list_cap(b, "high_max"), shown = 0, more = 0;

	for (size_t i = 0; i < res->ncredits; i++) {
		const adoption_t *a = &b->led->adoptions[res->credits[i].adoption];
		const item_t *it = &b->led->items[a->item];
		char date[40], *title;
		const char *cells[4];

		if (a->carrier >= b->rules->ncarriers ||
		    !b->rules->carriers[a->carrier].high_level ||
		    it->unit >= b->reg->nunits)
			continue;
		if (cap > 0 && shown >= cap) {
			more++;
			continue;
		}
		shown++;
		if (t == NULL)
			t = table_from(b, s, NULL, "cols_high", align, weight);
		tb_date_cn(a->date, date, sizeof date);
		title = one_line(it->title);
		cells[0] = b->reg->units[it->unit].name;
		cells[1] = title;
		cells[2] = b->rules->carriers[a->carrier].name;
		cells[3] = date;
		doc_table_add_row(t, cells);
		free(title);
	}
	if (more > 0)
		more_row(b, t, "high_more", more);
	if (t == NULL)
		empty_note(b, s);
}

/* qsort context: position of each unit in the output order. */
struct excl_key {
	size_t pos, index;
};

static int
cmp_excl(const void *pa, const void *pb)
{
	const struct excl_key *a = pa, *c = pb;

	if (a->pos != c->pos)
		return a->pos < c->pos ? -1 : 1;
	return a->index < c->index ? -1 : a->index > c->index;
}

/* Attachment 3: items not counted toward the quota, by unit in output order. */
static void
quarter_excluded(nb_t *b)
{
	static const enum doc_align align[4] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[4] = { 5, 3, 10, 5 };
	const results_t *res = b->res;
	doc_section_t *s = attachment(b, "attach_excluded");
	size_t *pos = xcalloc(b->reg->nunits + 1, sizeof *pos);
	struct excl_key *keys = xcalloc(res->nitems + 1, sizeof *keys);
	size_t nkeys = 0;
	doc_table_t *t;

	for (size_t u = 0; u < b->reg->nunits; u++)
		pos[u] = SIZE_MAX;
	for (size_t k = 0; k < res->nunits; k++)
		if (res->units[res->order[k]].unit < b->reg->nunits)
			pos[res->units[res->order[k]].unit] = k;
	for (size_t i = 0; i < res->nitems; i++) {
		const item_result_t *ir = &res->items[i];

		if (ir->why == EXCL_NONE || ir->item >= b->led->nitems ||
		    b->led->items[ir->item].unit >= b->reg->nunits)
			continue;
		keys[nkeys].pos = pos[b->led->items[ir->item].unit];
		keys[nkeys].index = i;
		nkeys++;
	}
	qsort(keys, nkeys, sizeof *keys, cmp_excl);
	if (nkeys == 0) {
		empty_note(b, s);
	} else {
		size_t cap = list_cap(b, "excluded_max");

		t = table_from(b, s, NULL, "cols_excluded", align, weight);
		for (size_t k = 0; k < nkeys && (cap == 0 || k < cap); k++) {
			const item_result_t *ir = &res->items[keys[k].index];
			const item_t *it = &b->led->items[ir->item];
			char *title = one_line(it->title);
			const char *cells[4];

			cells[0] = b->reg->units[it->unit].name;
			cells[1] = it->id;
			cells[2] = title;
			cells[3] = exclusion_text(ir->why);
			doc_table_add_row(t, cells);
			free(title);
		}
		if (cap > 0 && nkeys > cap)
			more_row(b, t, "excluded_more", nkeys - cap);
	}
	free(keys);
	free(pos);
}

/* ---- follow-up of directives (Art 4) -------------------------------------- */

/* Phrase keys by enum fu_kind and enum fu_status. */
static const char *const obligation_keys[] = {
	[FU_PLAN] = "ob_plan", [FU_PROGRESS] = "ob_progress",
	[FU_PERIODIC] = "ob_periodic",
};
static const char *const status_keys[] = {
	[FU_ON_TIME] = "st_on_time", [FU_LATE] = "st_late",
	[FU_OVERDUE] = "st_overdue", [FU_PENDING] = "st_pending",
};

/* What an obligation asks for ("贯彻落实情况", "第2期进展情况").  Newly allocated. */
static char *
say_obligation(const nb_t *b, const fu_obligation_t *o)
{
	char n[24];

	snprintf(n, sizeof n, "%d", o->period);
	return say(b, obligation_keys[o->kind], "n", n, (const char *)NULL);
}

static void
day_cn(int64_t day, char *buf, size_t n)
{
	int y, m, d;

	tb_civil_from_days(day, &y, &m, &d);
	tb_date_cn(tb_time_make(y, m, d, 0, 0), buf, n);
}

/*
 * Section 二 (五) of the body: the quarter's follow-up in numbers, then,
 * per directive, the units with overdue reports and which reports.  Only
 * when the quarter lists a directive (an office that keeps no directives
 * ledger gets no section and no attachment).
 */
static void
quarter_followup(nb_t *b)
{
	const followup_t *fu = b->fu;
	const ledger_t *led = b->led;
	doc_section_t *body = &b->doc->body;
	char *sep = NULL;
	char n[6][24];
	strvec_t lines = { 0 }, units = { 0 }, obs = { 0 };
	size_t total = 0;

	if (fu->ndirectives == 0)
		return;
	sep = say(b, "list_sep", (const char *)NULL);
	for (size_t s = 0; s < 4; s++)
		total += fu->count[s];
	snprintf(n[0], sizeof n[0], "%zu", fu->ndirectives);
	snprintf(n[1], sizeof n[1], "%zu", total);
	for (size_t s = 0; s < 4; s++)
		snprintf(n[2 + s], sizeof n[2 + s], "%zu", fu->count[s]);
	add_heading(b, body, 2, "h_followup");
	add_para_owned(body, say(b, "followup", "directives", n[0],
	    "obligations", n[1], "on_time", n[2 + FU_ON_TIME],
	    "late", n[2 + FU_LATE], "overdue", n[2 + FU_OVERDUE],
	    "pending", n[2 + FU_PENDING], (const char *)NULL));

	/* obligations come grouped by directive, then unit */
	for (size_t i = 0; i < fu->n; i++) {
		const fu_obligation_t *o = &fu->v[i];
		bool unit_ends = i + 1 == fu->n ||
		    fu->v[i + 1].directive != o->directive ||
		    fu->v[i + 1].unit != o->unit;
		bool dir_ends = i + 1 == fu->n ||
		    fu->v[i + 1].directive != o->directive;

		if (o->listed && o->status == FU_OVERDUE)
			strvec_push_owned(&obs, say_obligation(b, o));
		if (unit_ends && obs.n > 0) {
			char *j = join(&obs, sep);

			strvec_push_owned(&units, say(b, "followup_overdue_unit",
			    "unit", b->reg->units[o->unit].name, "obligations", j,
			    (const char *)NULL));
			free(j);
			strvec_free(&obs);
		}
		if (dir_ends && units.n > 0) {
			const directive_t *d = &led->directives[o->directive];
			char *j = join(&units, sep), *title = one_line(d->title);

			strvec_push_owned(&lines, say(b, "followup_overdue_item",
			    "directive", d->id, "title", title, "units", j,
			    (const char *)NULL));
			free(title);
			free(j);
			strvec_free(&units);
		}
	}
	if (lines.n == 0) {
		add_para_owned(body, say(b, "followup_overdue_none",
		    (const char *)NULL));
	} else {
		add_para_owned(body, say(b, "followup_overdue", (const char *)NULL));
		add_list(body, &lines);
	}
	strvec_free(&lines);
	free(sep);
}

/*
 * Attachment 4: a table per listed directive (caption: id, title, issue
 * date, the period of a long-running one): unit, report, deadline, date
 * reported, status.
 */
static void
quarter_followup_table(nb_t *b)
{
	static const enum doc_align align[5] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[5] = { 8, 9, 7, 7, 7 };
	const followup_t *fu = b->fu;
	doc_section_t *s;
	doc_table_t *t = NULL;
	size_t dir = SIZE_MAX, cap = list_cap(b, "followups_max"), shown = 0;
	size_t more = 0;

	if (fu->ndirectives == 0)
		return;
	s = attachment(b, "attach_followup");
	for (size_t i = 0; i < fu->n; i++) {
		const fu_obligation_t *o = &fu->v[i];
		char deadline[40], reported[40];
		char *ob, *st, *none = NULL;
		const char *cells[5];

		if (!o->listed)
			continue;
		if (cap > 0 && shown >= cap) {
			more++;
			continue;
		}
		shown++;
		if (o->directive != dir) {
			const directive_t *d = &b->led->directives[o->directive];
			char issued[40], period[24];
			char *title = one_line(d->title), *caption;

			tb_date_cn(d->issued, issued, sizeof issued);
			snprintf(period, sizeof period, "%d",
			    b->rules->long_running_period_days);
			caption = say(b, d->long_running &&
			    b->rules->long_running_period_days > 0 ?
			    "followup_caption_long" : "followup_caption",
			    "directive", d->id, "title", title, "issued", issued,
			    "period", period, (const char *)NULL);
			t = table_from(b, s, caption, "cols_followup", align,
			    weight);
			free(caption);
			free(title);
			dir = o->directive;
		}
		day_cn(o->deadline, deadline, sizeof deadline);
		if (o->reported != TB_TIME_NONE)
			tb_date_cn(o->reported, reported, sizeof reported);
		else
			none = say(b, "not_reported", (const char *)NULL);
		ob = say_obligation(b, o);
		st = say(b, status_keys[o->status], (const char *)NULL);
		cells[0] = b->reg->units[o->unit].name;
		cells[1] = ob;
		cells[2] = deadline;
		cells[3] = none != NULL ? none : reported;
		cells[4] = st;
		doc_table_add_row(t, cells);
		free(st);
		free(ob);
		free(none);
	}
	if (more > 0 && t != NULL)
		more_row(b, t, "followups_more", more);
}

/*
 * 三、存在问题 and 四、下一步工作要求: the sentence of the quarter's
 * figures, then the template's paragraphs (or the quarter's own), both
 * with the figures filled in.  missed: the names of the units that missed
 * the quota (those with no item too), in notice order.
 */
static void
quarter_problems(nb_t *b, const strvec_t *missed, size_t nsilent,
    size_t nunadopted)
{
	const results_t *res = b->res;
	doc_section_t *body = &b->doc->body;
	long unsigned_ = 0, channel = 0, late = 0;
	char nu[24], nc[24], nl[24], nm[24], nz[24], na[24];
	char *sep = say(b, "list_sep", (const char *)NULL);
	char *csep = say(b, "clause_sep", (const char *)NULL);
	char *units = join(missed, sep);
	strvec_t issues = { 0 };

	for (size_t i = 0; i < res->nitems; i++) {
		const item_result_t *ir = &res->items[i];

		if (b->led->items[ir->item].unit >= b->reg->nunits)
			continue;
		unsigned_ += ir->why == EXCL_UNSIGNED;
		channel += ir->why == EXCL_CHANNEL;
		late += ir->late_minutes > 0;
	}
	snprintf(nu, sizeof nu, "%ld", unsigned_);
	snprintf(nc, sizeof nc, "%ld", channel);
	snprintf(nl, sizeof nl, "%ld", late);
	snprintf(nm, sizeof nm, "%zu", missed->n);
	snprintf(nz, sizeof nz, "%zu", nsilent);
	snprintf(na, sizeof na, "%zu", nunadopted);
	if (unsigned_ > 0)
		strvec_push_owned(&issues, say(b, "problem_unsigned", "n", nu,
		    (const char *)NULL));
	if (channel > 0)
		strvec_push_owned(&issues, say(b, "problem_channel", "n", nc,
		    (const char *)NULL));
	if (late > 0)
		strvec_push_owned(&issues, say(b, "problem_late", "n", nl,
		    (const char *)NULL));
	if (missed->n > 0)
		strvec_push_owned(&issues, say(b, "problem_missed", "n", nm,
		    "units", units, (const char *)NULL));

	add_heading(b, body, 1, "h_problems");
	if (issues.n == 0) {
		add_para_owned(body, say(b, "problems_none", (const char *)NULL));
	} else {
		char *joined = join(&issues, csep);

		add_para_owned(body, say(b, "problems_found", "issues", joined,
		    (const char *)NULL));
		free(joined);
	}
	{
		const char *kv[] = { "unsigned", nu, "channel", nc, "late", nl,
		    "missed", nm, "missed_units", units, "zero_submit", nz,
		    "zero_adopt", na };

		add_paragraphs(b, body, "problems", b->set.problems_given,
		    &b->set.problems, kv, ARRAY_LEN(kv) / 2);
		add_heading(b, body, 1, "h_next");
		add_paragraphs(b, body, "requirements",
		    b->set.requirements_given, &b->set.requirements, kv,
		    ARRAY_LEN(kv) / 2);
	}
	strvec_free(&issues);
	free(units);
	free(csep);
	free(sep);
}

/* The contact line of rules.xml, closing the body; none when it is not set. */
static void
contact_line(nb_t *b)
{
	const rules_t *r = b->rules;

	if (r->contact_name == NULL)
		return;
	add_para_owned(&b->doc->body, say(b, "contact", "name", r->contact_name,
	    "phone", r->contact_phone, "email", r->contact_email,
	    (const char *)NULL));
}

/*
 * Attachment 4, 采用情况: every adoption of the quarter, unit by unit in
 * the order of the score tables, the highest carriers first
 * (trend_adoptions).  The PDF shows at most adoptions_max rows of a unit
 * and a line for the rest; the portal page shows them all (doc_media).
 */
static void
quarter_adoptions(nb_t *b)
{
	static const enum doc_align align[5] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT };
	static const unsigned weight[5] = { 5, 10, 4, 4, 2 };
	const results_t *res = b->res;
	doc_section_t *s = attachment(b, "attach_adoptions");
	size_t max = list_cap(b, "adoptions_max");
	size_t web_max = list_cap(b, "adoptions_web_max");
	size_t *order = NULL, n;
	doc_table_t *t;

	if (max == 0 || web_max == 0)
		return;
	if (web_max < max)
		web_max = max;
	n = trend_adoptions(b->reg, b->rules, b->led, res, &order);
	if (n == 0) {
		empty_note(b, s);
		free(order);
		return;
	}
	t = table_from(b, s, NULL, "cols_adoptions", align, weight);
	for (size_t i = 0; i < n; ) {
		size_t unit = b->led->items[b->led->adoptions[
		    res->credits[order[i]].adoption].item].unit, shown = 0;

		for (; i < n; i++, shown++) {
			const credit_t *c = &res->credits[order[i]];
			const adoption_t *a = &b->led->adoptions[c->adoption];
			const item_t *it = &b->led->items[a->item];
			char date[40], pts[32], *title;
			const char *cells[5];

			if (it->unit != unit)
				break;
			if (shown >= web_max)
				continue;       /* in adoptions.csv only */
			tb_date_cn(a->date, date, sizeof date);
			tenths_format(c->credited, pts, sizeof pts);
			title = one_line(it->title);
			cells[0] = b->reg->units[unit].name;
			cells[1] = title;
			cells[2] = b->rules->carriers[a->carrier].name;
			cells[3] = date;
			cells[4] = pts;
			doc_table_add_row_for(t, cells, shown < max ?
			    MEDIA_ALL : MEDIA_WEB);
			free(title);
		}
		/* the PDF's line for what it leaves out; the page's for what
		 * only adoptions.csv holds */
		for (int web = 0; web < 2; web++) {
			size_t cut = web ? web_max : max;
			char more[24], *line;
			const char *cells[5] = { b->reg->units[unit].name, NULL,
			    "", "", "" };

			if (shown <= cut)
				continue;
			snprintf(more, sizeof more, "%zu", shown - cut);
			line = say(b, web ? "adoptions_web_more" : "adoptions_more",
			    "unit", b->reg->units[unit].name, "n", more,
			    (const char *)NULL);
			cells[1] = line;
			doc_table_add_row_for(t, cells, web ? MEDIA_WEB :
			    MEDIA_PRINT);
			free(line);
		}
	}
	free(order);
}

/* The number of units ranked in the better half of a group of n (ceil). */
static size_t
better_half(size_t n)
{
	return (n + 1) / 2;
}

static void
quarter_doc(nb_t *b)
{
	const results_t *res = b->res;
	const registry_t *reg = b->reg;
	doc_section_t *body = &b->doc->body;
	qgroup_t *gs = xcalloc(reg->ngroups + 1, sizeof *gs);
	strvec_t *best = xcalloc(reg->ngroups + 1, sizeof *best);
	strvec_t *missed = xcalloc(reg->ngroups + 1, sizeof *missed);
	strvec_t *silent = xcalloc(reg->ngroups + 1, sizeof *silent);
	strvec_t *unadopted = xcalloc(reg->ngroups + 1, sizeof *unadopted);
	size_t *credits = xcalloc(reg->nunits + 1, sizeof *credits);
	strvec_t all_missed = { 0 };
	size_t nsilent = 0, nunadopted = 0;
	long best_rank = atol(setting(b, S_BEST_RANK, "3"));

	for (size_t i = 0; i < res->nunits; i++) {
		size_t g = reg->units[res->units[i].unit].group;

		gs[g].units++;
		gs[g].sum += res->units[i].total;
		if (res->units[i].met_quota)
			gs[g].met++;
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		size_t u = b->led->items[b->led->adoptions[
		    res->credits[i].adoption].item].unit;

		if (u < reg->nunits)
			credits[u]++;
	}
	for (size_t k = 0; k < res->nunits; k++) {
		const unit_result_t *ur = &res->units[res->order[k]];
		const unit_t *u = &reg->units[ur->unit];

		if (ur->total > 0 && ur->rank <= best_rank &&
		    (size_t)ur->rank <= better_half(gs[u->group].units))
			strvec_push(&best[u->group], u->name);
		if (ur->submitted == 0) {
			strvec_push(&silent[u->group], u->name);
			nsilent++;
		} else if (!ur->met_quota) {
			strvec_push(&missed[u->group], u->name);
		}
		if (!ur->met_quota)
			strvec_push(&all_missed, u->name);
		if (credits[ur->unit] == 0) {
			strvec_push(&unadopted[u->group], u->name);
			nunadopted++;
		}
	}

	add_para_owned(body, say(b, "opening", (const char *)NULL));
	quarter_basic(b, gs);
	add_heading(b, body, 1, "h_results");
	add_heading(b, body, 2, "h_best");
	named_groups(b, best, "best", "best_none");
	add_heading(b, body, 2, "h_missed");
	named_groups(b, missed, "missed", "missed_none");
	add_heading(b, body, 2, "h_zero");
	named_groups(b, silent, "zero_submit", "zero_submit_none");
	named_groups(b, unadopted, "zero_adopt", "zero_adopt_none");
	quarter_high(b);
	quarter_late(b);
	quarter_followup(b);
	quarter_problems(b, &all_missed, nsilent, nunadopted);
	extra_paragraphs(b);
	contact_line(b);

	quarter_scores(b, gs);
	quarter_high_table(b);
	quarter_excluded(b);
	quarter_adoptions(b);
	quarter_followup_table(b);

	for (size_t g = 0; g < reg->ngroups; g++) {
		strvec_free(&best[g]);
		strvec_free(&missed[g]);
		strvec_free(&silent[g]);
		strvec_free(&unadopted[g]);
	}
	strvec_free(&all_missed);
	free(credits);
	free(unadopted);
	free(silent);
	free(missed);
	free(best);
	free(gs);
}

/* ---- the annual notice ------------------------------------------------------ */

static void
year_doc(nb_t *b)
{
	enum { NC = 8 };
	static const enum doc_align salign[NC] = { ALIGN_LEFT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT };
	static const unsigned sweight[NC] = { 9, 3, 3, 3, 3, 3, 2, 3 };
	static const enum doc_align walign[5] = { ALIGN_RIGHT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned wweight[5] = { 2, 4, 9, 3, 3 };
	const annual_t *ann = b->ann;
	const registry_t *reg = b->reg;
	doc_section_t *body = &b->doc->body, *s;
	size_t *counts = xcalloc(reg->ngroups + 1, sizeof *counts);
	tenths *sums = xcalloc(reg->ngroups + 1, sizeof *sums);
	strvec_t *honoured = xcalloc(reg->ngroups + 1, sizeof *honoured);
	strvec_t parts = { 0 };
	char *sep = say(b, "list_sep", (const char *)NULL);
	char *csep = say(b, "clause_sep", (const char *)NULL);
	char *joined, n[24];
	size_t nworkers = 0;

	for (size_t i = 0; i < ann->nunits; i++) {
		size_t g = reg->units[ann->units[i].unit].group;

		counts[g]++;
		sums[g] += ann->units[i].total;
	}
	for (size_t k = 0; k < ann->nunits; k++) {
		const annual_row_t *r = &ann->units[ann->order[k]];

		if (r->honour)
			strvec_push(&honoured[reg->units[r->unit].group],
			    reg->units[r->unit].name);
	}

	add_para_owned(body, say(b, "opening", (const char *)NULL));
	add_heading(b, body, 1, "h_basic");
	for (size_t g = 0; g < reg->ngroups; g++) {
		char u[24], a[32];

		if (counts[g] == 0)
			continue;
		snprintf(u, sizeof u, "%zu", counts[g]);
		tenths_format(average(sums[g], counts[g]), a, sizeof a);
		strvec_push_owned(&parts, say(b, "summary_group", "group",
		    reg->groups[g].name, "units", u, "average", a,
		    (const char *)NULL));
	}
	joined = join(&parts, csep);
	snprintf(n, sizeof n, "%zu", ann->nunits);
	add_para_owned(body, say(b, "summary", "units", n, "groups", joined,
	    (const char *)NULL));
	free(joined);
	strvec_free(&parts);

	add_heading(b, body, 1, "h_honours");
	named_groups(b, honoured, "honour_units", "honour_units_none");
	for (size_t i = 0; i < ann->nworkers; i++) {
		const worker_row_t *w = &ann->workers[i];

		if (!w->honour)
			continue;
		strvec_push_owned(&parts, say(b, "worker", "name", w->author,
		    "unit", reg->units[w->unit].name, (const char *)NULL));
		nworkers++;
	}
	if (nworkers == 0) {
		add_para_owned(body, say(b, "honour_workers_none",
		    (const char *)NULL));
	} else {
		joined = join(&parts, sep);
		add_para_owned(body, say(b, "honour_workers", "workers", joined,
		    (const char *)NULL));
		free(joined);
	}
	strvec_free(&parts);
	add_heading(b, body, 1, "h_next");
	add_paragraphs(b, body, "requirements", b->set.requirements_given,
	    &b->set.requirements, NULL, 0);
	extra_paragraphs(b);
	contact_line(b);

	/* attachment 1: chart, then a table per group */
	s = attachment(b, "attach_scores");
	group_chart(b, s, sums, counts);
	for (size_t g = 0; g < reg->ngroups; g++) {
		doc_table_t *t;

		if (counts[g] == 0)
			continue;
		t = table_from(b, s, reg->groups[g].name, "cols_scores", salign,
		    sweight);
		ranking(t, reg->groups[g].id, 6, 0, 5);
		for (size_t k = 0; k < ann->nunits; k++) {
			const annual_row_t *r = &ann->units[ann->order[k]];
			const unit_t *u = &reg->units[r->unit];
			char c[NC][32], *rc;
			const char *cells[NC];

			if (u->group != g)
				continue;
			for (size_t q = 0; q < 4; q++)
				tenths_format(r->q[q], c[1 + q], sizeof c[1 + q]);
			tenths_format(r->total, c[5], sizeof c[5]);
			snprintf(c[6], sizeof c[6], "%d", r->rank);
			rc = say_change(b, b->year_rank_known != NULL &&
			    b->year_rank_known[ann->order[k]],
			    b->year_rank_known != NULL ?
			    (tenths)b->year_rank_change[ann->order[k]] * 10 : 0,
			    "rank_up", "rank_down", "rank_same");
			for (size_t i = 0; i < NC; i++)
				cells[i] = c[i];
			cells[0] = u->name;
			cells[7] = rc;
			doc_table_add_row(t, cells);
			doc_table_set_row_id(t, t->nrows - 1, u->id);
			free(rc);
		}
	}

	/* attachment 2: the proposed 先进工作者 */
	s = attachment(b, "attach_workers");
	if (nworkers == 0) {
		empty_note(b, s);
	} else {
		doc_table_t *t = table_from(b, s, NULL, "cols_workers", walign,
		    wweight);

		for (size_t i = 0; i < ann->nworkers; i++) {
			const worker_row_t *w = &ann->workers[i];
			char c[5][32];
			const char *cells[5];

			if (!w->honour)
				continue;
			snprintf(c[0], sizeof c[0], "%d", w->rank);
			snprintf(c[3], sizeof c[3], "%d", w->items);
			tenths_format(w->quality, c[4], sizeof c[4]);
			cells[0] = c[0];
			cells[1] = w->author;
			cells[2] = reg->units[w->unit].name;
			cells[3] = c[3];
			cells[4] = c[4];
			doc_table_add_row(t, cells);
		}
	}

	for (size_t g = 0; g < reg->ngroups; g++)
		strvec_free(&honoured[g]);
	free(honoured);
	free(csep);
	free(sep);
	free(sums);
	free(counts);
}

/* ---- entry points ------------------------------------------------------------ */

static void
nb_free(nb_t *b)
{
	phrasebook_free(b->pb);
	settings_free(&b->set);
	free(b->tfile);
	free(b->sfile);
}

/* Loads the template and settings; 0 or -1. */
static int
nb_load(nb_t *b, const char *templates_dir, const char *which,
    const phrase_spec_t *spec, size_t nspec, const char *settings_file)
{
	if (load_template(b, templates_dir, which, spec, nspec) != 0)
		return -1;
	if (load_settings(b, templates_dir, settings_file) != 0)
		return -1;
	return check_settings(b);
}

/* What one kind of document is built from: the template section, the
 * year and quarter (0: the year) of its dates, the issue date when the
 * settings give none, the prefix of its portal ids, its body. */
typedef struct doc_kind {
	const char          *which;
	const phrase_spec_t *spec;
	size_t               nspec;
	int                  year, quarter;
	ymd_t                dflt;
	const char          *anchor_fmt;   /* "%d" of the year, "%dq%d" */
	void               (*body)(nb_t *);
} doc_kind_t;

/*
 * The document of kind k from the builder's inputs (b already holds the
 * model): wording and settings loaded and checked, dates set, front and
 * back matter, then the body.  Frees b.  Returns the doc, or NULL when an
 * error was added to b->dl.
 */
static doc_t *
nb_build(nb_t *b, const doc_kind_t *k, const char *templates_dir,
    const char *settings_file)
{
	doc_t *out = NULL;

	b->errors0 = b->dl->errors;
	if (nb_load(b, templates_dir, k->which, k->spec, k->nspec,
	    settings_file) != 0)
		goto cleanup;
	set_dates(b, k->year, k->quarter, k->dflt);
	b->doc = doc_new();
	b->doc->anchor = k->quarter > 0 ?
	    xasprintf(k->anchor_fmt, k->year, k->quarter) :
	    xasprintf(k->anchor_fmt, k->year);
	front_and_back(b);
	k->body(b);
	if (b->dl->errors == b->errors0) {
		out = b->doc;
		b->doc = NULL;
	}

cleanup:
	doc_free(b->doc);
	nb_free(b);
	return out;
}

/* The annual documents' default issue date: the 5th of January after. */
static ymd_t
after_year(int year)
{
	return (ymd_t){ year + 1, 1, 5 };
}

doc_t *
notice_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, const trend_t *tr,
    const followup_t *fu, const char *templates_dir,
    const char *settings_file, diag_list_t *dl)
{
	int y = tb_quarter_year(res->quarter), q = tb_quarter_num(res->quarter);
	/* default issue date: the 5th of the month after the quarter (Art 14) */
	doc_kind_t k = { "quarter", quarter_keys, ARRAY_LEN(quarter_keys), y, q,
	    { q == 4 ? y + 1 : y, q == 4 ? 1 : q * 3 + 1, 5 }, "%dq%d",
	    quarter_doc };
	nb_t b;
	doc_t *out;
	trend_t own;
	bool own_trend = tr == NULL;

	/* without the year's earlier quarters: the quarter on its own */
	if (own_trend) {
		scored_quarter_t cur = { reg, rules, led, res };

		trend_quarter(&cur, NULL, 0, &own);
		tr = &own;
	}
	memset(&b, 0, sizeof b);
	b.reg = reg;
	b.rules = rules;
	b.led = led;
	b.res = res;
	b.tr = tr;
	b.dl = dl;
	b.fu = fu;
	out = nb_build(&b, &k, templates_dir, settings_file);
	if (own_trend)
		trend_free(&own);
	return out;
}

doc_t *
notice_year(const registry_t *reg, const rules_t *rules,
    const annual_t *ann, const int *rank_change, const bool *rank_known,
    const char *templates_dir, const char *settings_file, diag_list_t *dl)
{
	doc_kind_t k = { "year", year_keys, ARRAY_LEN(year_keys), ann->year, 0,
	    after_year(ann->year), "%d", year_doc };
	nb_t b;

	memset(&b, 0, sizeof b);
	b.reg = reg;
	b.rules = rules;
	b.ann = ann;
	b.year_rank_change = rank_change;
	b.year_rank_known = rank_known;
	b.dl = dl;
	return nb_build(&b, &k, templates_dir, settings_file);
}

/* ---- the 表彰决定 (Art 15) ----------------------------------------------------- */

/*
 * The draft decision on the year's honours: the 先进单位 of annual.csv
 * (honour 1) in the order of the score tables, the 先进工作者 of
 * workers.csv (honour 1) in their ranking, each with the figures behind
 * the choice.  No document number (a visible blank the office fills in),
 * no 附件; its date and 版记 are the annual notice's (the same settings).
 */
static void
honours_doc(nb_t *b)
{
	const annual_t *ann = b->ann;
	const registry_t *reg = b->reg;
	doc_t *d = b->doc;
	doc_section_t *body = &d->body;
	strvec_t units = { 0 }, workers = { 0 };
	char n[24];

	free(d->doc_number);
	d->doc_number = NULL;
	free(d->doc_number_blank);
	d->doc_number_blank = say(b, "doc_number_blank", (const char *)NULL);
	free(d->issuer);
	d->issuer = say(b, "issuer", (const char *)NULL);
	free(d->signature);
	d->signature = say(b, "signature", (const char *)NULL);
	free(d->recipients);
	d->recipients = say(b, "recipients", (const char *)NULL);
	doc_set(&d->author, d->issuer);
	for (size_t k = 0; k < ann->nunits; k++) {
		const annual_row_t *r = &ann->units[ann->order[k]];
		char total[32], rank[24];

		if (!r->honour)
			continue;
		tenths_format(r->total, total, sizeof total);
		snprintf(rank, sizeof rank, "%d", r->rank);
		strvec_push_owned(&units, say(b, "unit_line", "unit",
		    reg->units[r->unit].name, "group",
		    reg->groups[reg->units[r->unit].group].name, "total", total,
		    "rank", rank, (const char *)NULL));
	}
	for (size_t i = 0; i < ann->nworkers; i++) {
		const worker_row_t *w = &ann->workers[i];
		char items[24], q[32];

		if (!w->honour)
			continue;
		snprintf(items, sizeof items, "%d", w->items);
		tenths_format(w->quality, q, sizeof q);
		strvec_push_owned(&workers, say(b, "worker_line", "name",
		    w->author, "unit", reg->units[w->unit].name, "items", items,
		    "quality", q, (const char *)NULL));
	}
	add_para_owned(body, say(b, "opening", (const char *)NULL));
	snprintf(n, sizeof n, "%zu", units.n);
	add_heading_owned(body, say(b, "h_units", "n", n, (const char *)NULL));
	if (units.n == 0)
		add_para_owned(body, say(b, "units_none", (const char *)NULL));
	else
		add_list(body, &units);
	snprintf(n, sizeof n, "%zu", workers.n);
	add_heading_owned(body, say(b, "h_workers", "n", n, (const char *)NULL));
	if (workers.n == 0)
		add_para_owned(body, say(b, "workers_none", (const char *)NULL));
	else
		add_list(body, &workers);
	add_para_owned(body, say(b, "closing", (const char *)NULL));
	strvec_free(&units);
	strvec_free(&workers);
}

doc_t *
notice_honours(const registry_t *reg, const rules_t *rules,
    const annual_t *ann, const char *templates_dir, const char *settings_file,
    diag_list_t *dl)
{
	doc_kind_t k = { "honours", honours_keys, ARRAY_LEN(honours_keys),
	    ann->year, 0, after_year(ann->year), "%d-bz", honours_doc };
	nb_t b;

	memset(&b, 0, sizeof b);
	b.reg = reg;
	b.rules = rules;
	b.ann = ann;
	b.dl = dl;
	return nb_build(&b, &k, templates_dir, settings_file);
}
