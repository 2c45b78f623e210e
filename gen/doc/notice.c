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
 * This file is the builder's common part: the phrases, the front and back
 * matter (GB/T 9704's 发文字号, 主送, 版记), the tallies by group and the
 * tables' frame, and nb_build(), which every document goes through.  The
 * documents are built in doc_quarter.c (with doc_tables.c and
 * doc_followup.c) and doc_annual.c, the wording and settings read in
 * doc_settings.c; doc_build.h is what they share.
 *
 * Titles from the ledger may hold anything; they are kept as written
 * (backends escape), except that CR/LF become spaces wherever a title is
 * quoted (table cells, the list of late reports).
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The strings of sv joined by sep.  Newly allocated ("" when empty). */
char *
nb_join(const strvec_t *sv, const char *sep)
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

/*
 * The phrase `key` with its placeholders filled: the variable arguments are
 * name, value pairs ended by NULL.  Newly allocated ("" for a missing key,
 * which the checks at load time rule out).
 */
char *
nb_say(const nb_t *b, const char *key, ...)
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
void
nb_add_heading(nb_t *b, doc_section_t *s, int level, const char *key)
{
	char *t = nb_say(b, key, (const char *)NULL);

	doc_add_heading(s, level, t);
	free(t);
}

void
nb_add_heading_owned(doc_section_t *s, char *text)
{
	doc_add_heading(s, 1, text);
	free(text);
}

void
nb_add_para_owned(doc_section_t *s, char *text)
{
	doc_add_para(s, text);
	free(text);
}

void
nb_add_list(doc_section_t *s, const strvec_t *sv)
{
	if (sv->n > 0)
		doc_add_list(s, (const char *const *)sv->v, sv->n);
}

/* A duration in minutes as words ("1小时35分钟").  Newly allocated. */
char *
nb_say_duration(const nb_t *b, long minutes)
{
	char h[24], m[24];

	snprintf(h, sizeof h, "%ld", minutes / 60);
	snprintf(m, sizeof m, "%ld", minutes % 60);
	if (minutes >= 60 && minutes % 60 != 0)
		return nb_say(b, "duration_hm", "hours", h, "minutes", m,
		    (const char *)NULL);
	if (minutes >= 60)
		return nb_say(b, "duration_h", "hours", h, (const char *)NULL);
	return nb_say(b, "duration_m", "minutes", m, (const char *)NULL);
}

/*
 * A change as a table cell: the `up` / `down` phrase with its size, or
 * the `same` phrase; change_none when there is nothing to compare with.
 * delta in tenths of a point (points) or whole units (items, places:
 * pass them times 10).  Newly allocated.
 */
char *
nb_say_change(const nb_t *b, bool known, tenths delta, const char *up,
    const char *down, const char *same)
{
	char n[32];

	if (!known)
		return nb_say(b, "change_none", (const char *)NULL);
	if (delta == 0)
		return nb_say(b, same, (const char *)NULL);
	tenths_format(delta > 0 ? delta : -delta, n, sizeof n);
	return nb_say(b, delta > 0 ? up : down, "n", n, (const char *)NULL);
}

/*
 * The paragraphs of list `key`, or the quarter's own (given) in their
 * place, with placeholders filled from kv (nkv name, value pairs), added
 * to s.
 */
void
nb_add_paragraphs(nb_t *b, doc_section_t *s, const char *key, bool given,
    const strvec_t *own, const char *const *kv, size_t nkv)
{
	const strvec_t *items = given ? own : phrasebook_list(b->pb, key);

	for (size_t i = 0; items != NULL && i < items->n; i++)
		nb_add_para_owned(s, phrase_expand(items->v[i], kv, nkv, b->cv,
		    NCOMMON));
}

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
		nb_parse_ymd(b->set.v[S_ISSUE_DATE], &b->issue);
	b->print = b->issue;
	if (b->set.v[S_PRINT_DATE] != NULL)
		nb_parse_ymd(b->set.v[S_PRINT_DATE], &b->print);
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
const char *
nb_setting(const nb_t *b, enum setting k, const char *dflt)
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

	/* a unit's name is never broken in a table cell (render_pdf_table.c) */
	for (size_t u = 0; u < b->reg->nunits; u++) {
		doc_add_keep(d, b->reg->units[u].name);
		for (size_t k = 0; k < b->reg->units[u].naliases; k++)
			doc_add_keep(d, b->reg->units[u].aliases[k]);
	}

	doc_set(&d->issuer, nb_setting(b, S_ISSUER, ""));
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
	d->title = nb_say(b, "title", (const char *)NULL);
	rec = nb_setting(b, S_RECIPIENTS, "");
	if (*rec != '\0' && !ends_with(rec, "：") && !ends_with(rec, ":"))
		d->recipients = xasprintf("%s：", rec);
	else
		d->recipients = xstrdup(rec);
	doc_set(&d->signature, nb_setting(b, S_SIGNATURE, d->issuer));
	doc_set(&d->date_cn, b->date_cn);
	if (b->set.cc.n > 0) {
		char *sep = nb_say(b, "cc_sep", (const char *)NULL);
		char *names = nb_join(&b->set.cc, sep);

		d->cc = nb_say(b, "cc", "names", names, (const char *)NULL);
		free(names);
		free(sep);
	}
	doc_set(&d->printer, nb_setting(b, S_PRINTER, d->issuer));
	ymd_cn(b->print, pdate, sizeof pdate);
	d->print_date = nb_say(b, "print_date", "date_cn", pdate,
	    (const char *)NULL);
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", b->issue.y, b->issue.m,
	    b->issue.d);
	doc_set(&d->meta.index_no, b->set.v[S_INDEX_NO]);
	doc_set(&d->meta.category, nb_setting(b, S_CATEGORY, NULL));
	doc_set(&d->meta.publisher, nb_setting(b, S_PUBLISHER, NULL));
	doc_set(&d->meta.date_iso, iso);
	doc_set(&d->meta.validity, nb_setting(b, S_VALIDITY, NULL));
	doc_set(&d->meta.column, nb_setting(b, S_COLUMN, NULL));
	d->meta.keywords = nb_say(b, "keywords", (const char *)NULL);
	doc_set(&d->author, d->issuer);
	d->subject = nb_say(b, "subject", (const char *)NULL);
	/* the issue date at 00:00 in UTC+8 */
	d->epoch = (long long)tb_days_from_civil(b->issue.y, b->issue.m,
	    b->issue.d) * 86400 - 8 * 3600;
}

/* Starts attachment n with the title phrase `key`; records its 附件说明 line. */
doc_section_t *
nb_attachment(nb_t *b, const char *key)
{
	doc_t *d = b->doc;
	char n[24];
	char *title = nb_say(b, key, (const char *)NULL), *label, *note;
	doc_section_t *s;

	snprintf(n, sizeof n, "%zu", d->nattachments + 1);
	label = nb_say(b, "attach_label", "n", n, (const char *)NULL);
	note = nb_say(b, "attach_note", "n", n, "title", title, (const char *)NULL);
	s = doc_add_attachment(d, label, title);
	d->attach_note = xrealloc(d->attach_note,
	    (d->nattach_note + 1) * sizeof *d->attach_note);
	d->attach_note[d->nattach_note++] = note;
	free(label);
	free(title);
	return s;
}

/* The settings' extra paragraphs, literal, at the end of the body. */
void
nb_extra_paragraphs(nb_t *b)
{
	for (size_t i = 0; i < b->set.extra.n; i++)
		doc_add_para(&b->doc->body, b->set.extra.v[i]);
}

/* Average of sum over n in tenths, rounded half away from zero. */
tenths
nb_average(tenths sum, size_t n)
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
void
nb_group_chart(nb_t *b, doc_section_t *s, const tenths *sums,
    const size_t *counts)
{
	char *title = nb_say(b, "chart_title", (const char *)NULL);
	char *unit = nb_say(b, "chart_unit", (const char *)NULL);
	char *sep = nb_say(b, "list_sep", (const char *)NULL);
	char *values, *alt;
	strvec_t parts = { 0 };
	doc_chart_t *c;
	char v[32];

	c = doc_add_chart(s, title, NULL, unit);
	for (size_t g = 0; g < b->reg->ngroups; g++) {
		tenths avg;

		if (counts[g] == 0)
			continue;
		avg = nb_average(sums[g], counts[g]);
		tenths_format(avg, v, sizeof v);
		doc_chart_add_bar(c, b->reg->groups[g].name, (double)avg / 10.0, v);
		strvec_push_owned(&parts, nb_say(b, "chart_value", "label",
		    b->reg->groups[g].name, "value", v, (const char *)NULL));
	}
	values = nb_join(&parts, sep);
	alt = nb_say(b, "chart_alt", "values", values, (const char *)NULL);
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
	char *sep = nb_say(b, "list_sep", (const char *)NULL);
	size_t added = 0;

	for (size_t g = 0; g < b->reg->ngroups; g++) {
		char *units;

		if (names[g].n == 0)
			continue;
		units = nb_join(&names[g], sep);
		strvec_push_owned(sv, nb_say(b, "group_units", "group",
		    b->reg->groups[g].name, "units", units, (const char *)NULL));
		free(units);
		added++;
	}
	free(sep);
	return added;
}

/* A table from list key `cols`, with alignments and weights. */
doc_table_t *
nb_table_from(nb_t *b, doc_section_t *s, const char *caption, const char *cols,
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
void
nb_ranking(doc_table_t *t, const char *id, size_t rank, size_t name,
    size_t key)
{
	doc_table_set_id(t, id);
	doc_table_set_role(t, rank, COL_RANK);
	doc_table_set_role(t, name, COL_NAME);
	doc_table_set_role(t, key, COL_KEY);
}

void
nb_empty_note(nb_t *b, doc_section_t *s)
{
	nb_add_para_owned(s, nb_say(b, "empty_table", (const char *)NULL));
}

/* A list of names per group under an intro phrase, or the `none` phrase. */
void
nb_named_groups(nb_t *b, strvec_t *names, const char *intro, const char *none)
{
	doc_section_t *body = &b->doc->body;
	strvec_t lines = { 0 };

	if (group_lines(b, names, &lines) == 0) {
		nb_add_para_owned(body, nb_say(b, none, (const char *)NULL));
	} else {
		nb_add_para_owned(body, nb_say(b, intro, (const char *)NULL));
		nb_add_list(body, &lines);
	}
	strvec_free(&lines);
}

/*
 * A long list stays readable (README, "Giant quarters"): the notice shows
 * at most the number its template's phrase `key` gives (late_max,
 * excluded_max, ...: 1 to 100000) and then one line saying how many more
 * there are and in which published file they all are.  Returns the cap,
 * or 0 after an error at the template (nothing is left out then).
 */
size_t
nb_list_cap(nb_t *b, const char *key)
{
	char *s = nb_say(b, key, (const char *)NULL), *end;
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
char *
nb_more_line(const nb_t *b, const char *key, size_t more)
{
	char n[24];

	snprintf(n, sizeof n, "%zu", more);
	return nb_say(b, key, "n", n, (const char *)NULL);
}

/* A table's last row for the rows it leaves out: the line in cell 1
 * (cell 0 empty), shown in both forms. */
void
nb_more_row(const nb_t *b, doc_table_t *t, const char *key, size_t more)
{
	const char **cells = xcalloc(t->ncols, sizeof *cells);
	char *line = nb_more_line(b, key, more);

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

/* The contact line of rules.xml, closing the body; none when it is not set. */
void
nb_contact_line(nb_t *b)
{
	const rules_t *r = b->rules;

	if (r->contact_name == NULL)
		return;
	nb_add_para_owned(&b->doc->body, nb_say(b, "contact", "name", r->contact_name,
	    "phone", r->contact_phone, "email", r->contact_email,
	    (const char *)NULL));
}

static void
nb_free(nb_t *b)
{
	phrasebook_free(b->pb);
	nb_settings_free(&b->set);
	free(b->tfile);
	free(b->sfile);
}

/* Loads the template and settings; 0 or -1. */
static int
nb_load(nb_t *b, const char *templates_dir, const char *which,
    const phrase_spec_t *spec, size_t nspec, const char *settings_file)
{
	if (nb_load_template(b, templates_dir, which, spec, nspec) != 0)
		return -1;
	if (nb_load_settings(b, templates_dir, settings_file) != 0)
		return -1;
	return nb_check_settings(b);
}

/*
 * The document of kind k from the builder's inputs (b already holds the
 * model): wording and settings loaded and checked, dates set, front and
 * back matter, then the body.  Frees b.  Returns the doc, or NULL when an
 * error was added to b->dl.
 */
doc_t *
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
