/*
 * statement.c - the score statement each unit's head receives every quarter
 * (Art 14), as a document model (doc.h) rendered by the same PDF backend as
 * the notice.
 *
 * A statement must let a unit check its score by hand, so every figure in
 * it is one of the scoring module's (results_t) and the tables add up to
 * the unit's row of scores.csv: the row itself first (quota, submitted,
 * counted, effective, base, quality, total, rank); then each item of the
 * quarter with its kind's weight, the weight counted toward the quota (0 if
 * excluded) and why it was not counted, summed to `effective`; then each
 * adoption credited this quarter - of this quarter's items or earlier ones -
 * with its carrier's points, the item's running maximum before it
 * (credit_t.before) and the points credited now, summed to `quality`.
 * Remarks under the adoption table explain the cases a reader trips over:
 * an item of an earlier quarter, an item already adopted before, an item
 * that did not count toward the quota but still earns its points.
 *
 * The wording comes from templates/statement.xml, checked once (keys,
 * list lengths, placeholders per key, by phrases.c as for the notice) and
 * reused for all units.  The statement has no 版头 and no 版记: the doc's
 * issuer, doc_number, cc, printer and print_date stay NULL.
 *
 * Follow-up obligations (Art 4) come from followup.h when the caller
 * passes them: the unit's obligations listed for the quarter, each with its
 * deadline, the report that met it and its status.
 *
 * This file holds the wording, the phrases said for one statement, its
 * front and back matter and the entry points; the four sections and their
 * tables are in statement_tables.c (statement_int.h between the two).
 */
#define _POSIX_C_SOURCE 200809L
#include "statement_int.h"
#include "phrases.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* ---- the wording ----------------------------------------------------------- */

/* Placeholders every phrase may use. */
static const char common_vars[] = "year quarter quarter_cn date_cn unit group";

/* Each key the program uses (phrases.h): <list> or <text>, the item count a
 * list needs (0 = any), and the placeholders it may use besides the common
 * ones. */
static const phrase_spec_t keys[] = {
	{ "quarter_names", true, 4, "" },
	{ "title", false, 0, "" },
	{ "subject", false, 0, "" },
	{ "recipients", false, 0, "head" },
	{ "head_default", false, 0, "" },
	{ "opening", false, 0, "" },
	{ "h_result", false, 0, "" },
	{ "result", false, 0, "category quota submitted counted effective "
	    "quota_state base adoptions quality total units rank_text" },
	{ "ytd", false, 0, "ytd change rank_change" },
	{ "change_up", false, 0, "n" },
	{ "change_down", false, 0, "n" },
	{ "change_same", false, 0, "" },
	{ "change_none", false, 0, "" },
	{ "rank_up", false, 0, "n" },
	{ "rank_down", false, 0, "n" },
	{ "rank_same", false, 0, "" },
	{ "rank_none", false, 0, "" },
	{ "quota_met", false, 0, "" },
	{ "quota_missed", false, 0, "" },
	{ "rank", false, 0, "rank" },
	{ "rank_tied", false, 0, "rank" },
	{ "cols_score", true, NCOLS_SCORE, "" },
	{ "h_items", false, 0, "" },
	{ "items_intro", false, 0, "submitted counted excluded" },
	{ "items_none", false, 0, "" },
	{ "cols_items", true, NCOLS_ITEMS, "" },
	{ "item_counted", false, 0, "" },
	{ "items_max", false, 0, "" },
	{ "items_more", false, 0, "n" },
	{ "adopt_max", false, 0, "" },
	{ "adopt_more", false, 0, "n" },
	{ "follow_max", false, 0, "" },
	{ "follow_more", false, 0, "n" },
	{ "sum_row", false, 0, "" },
	{ "sum_counted", false, 0, "counted" },
	{ "h_adopt", false, 0, "" },
	{ "adopt_intro", false, 0, "adoptions quality" },
	{ "adopt_none", false, 0, "" },
	{ "cols_adopt", true, NCOLS_ADOPT, "" },
	{ "notes_head", false, 0, "" },
	{ "note", false, 0, "n text" },
	{ "note_earlier", false, 0, "id item_year item_quarter_cn" },
	{ "note_before", false, 0, "id points before credited" },
	{ "note_no_gain", false, 0, "id points before" },
	{ "note_excluded", false, 0, "id reason" },
	{ "h_follow", false, 0, "" },
	{ "follow_intro", false, 0, "plan_days progress_days count overdue" },
	{ "follow_none", false, 0, "plan_days progress_days" },
	{ "cols_follow", true, NCOLS_FOLLOW, "" },
	{ "fu_plan", false, 0, "period" },
	{ "fu_progress", false, 0, "period" },
	{ "fu_periodic", false, 0, "period" },
	{ "fu_reported", false, 0, "date id" },
	{ "fu_on_time", false, 0, "" },
	{ "fu_late", false, 0, "" },
	{ "fu_overdue", false, 0, "" },
	{ "fu_pending", false, 0, "" },
	{ "closing", false, 0, "" },
};

void
statement_tpl_free(statement_tpl_t *t)
{
	if (t == NULL)
		return;
	phrasebook_free(t->pb);
	free(t->signature);
	free(t->author);
	free(t);
}

/* The template's <defaults>: the signature and author of every statement. */
static void
template_other(xmlNodePtr n, void *arg)
{
	statement_tpl_t *t = arg;

	if (!phrase_is_element(n, "defaults"))
		return;
	for (xmlNodePtr d = n->children; d != NULL; d = d->next) {
		if (phrase_is_element(d, "signature")) {
			free(t->signature);
			t->signature = phrase_node_text(d);
		} else if (phrase_is_element(d, "author")) {
			free(t->author);
			t->author = phrase_node_text(d);
		}
	}
}

/* The text of phrase key, without placeholders to fill (a cap). */
static char *
cap_text(const phrasebook_t *pb, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(pb, key, NULL, 0, ap);
	va_end(ap);
	return s;
}

statement_tpl_t *
statement_tpl_load(const char *templates_dir, diag_list_t *dl)
{
	static const phrase_section_t sections[] = {
		{ "phrases", keys, ARRAY_LEN(keys) },
	};
	static const phrasebook_def_t def = {
		"statement-template", common_vars, sections, ARRAY_LEN(sections),
		false,
	};
	statement_tpl_t *t = xcalloc(1, sizeof *t);
	char *file = xasprintf("%s/statement.xml", templates_dir);
	char *xsd = xasprintf("%s/schema/statement.xsd", templates_dir);

	t->pb = phrasebook_load(file, xsd, &def, template_other, t, dl);
	/* the caps of the tables are numbers of rows */
	for (size_t i = 0; t->pb != NULL && i < 3; i++) {
		static const char *const caps[] = { "items_max", "adopt_max",
		    "follow_max" };
		char *v = cap_text(t->pb, caps[i], (const char *)NULL), *end;
		long n = strtol(v, &end, 10);

		if (*v == '\0' || *end != '\0' || n < 1 || n > 100000) {
			diag_error(dl, file, 0, "%s \"%s\" is not a number of rows "
			    "(1 to 100000)", caps[i], v);
			phrasebook_free(t->pb);
			t->pb = NULL;
		}
		free(v);
	}
	if (t->pb == NULL) {
		statement_tpl_free(t);
		t = NULL;
	}
	free(xsd);
	free(file);
	return t;
}

/* ---- building one statement ------------------------------------------------- */

/*
 * The phrase `key` with its placeholders filled: the variable arguments are
 * name, value pairs ended by NULL.  Newly allocated ("" for a missing key,
 * which the checks at load time rule out).
 */
char *
st_say(const sb_t *b, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = phrasebook_vsay(b->t->pb, key, b->cv, NCOMMON, ap);
	va_end(ap);
	return s;
}

/* The items of list `key`, expanded, into sv. */
static void
say_list(const sb_t *b, const char *key, strvec_t *sv)
{
	phrasebook_say_list(b->t->pb, key, b->cv, NCOMMON, sv);
}

void
st_add_heading(sb_t *b, const char *key)
{
	char *s = st_say(b, key, (const char *)NULL);

	doc_add_heading(&b->doc->body, 1, s);
	free(s);
}

void
st_add_para_owned(sb_t *b, char *text)
{
	doc_add_para(&b->doc->body, text);
	free(text);
}

/* A table with the column heads of list `cols`. */
doc_table_t *
st_table_from(sb_t *b, const char *cols, const enum doc_align *align,
    const unsigned *weight)
{
	strvec_t head = { 0 };
	doc_table_t *tb;

	say_list(b, cols, &head);
	tb = doc_add_table(&b->doc->body, NULL, head.n,
	    (const char *const *)head.v, align, weight);
	strvec_free(&head);
	return tb;
}

/* The name of quarter q (1..4) from quarter_names, "" when out of range. */
const char *
st_quarter_name(const statement_tpl_t *t, int q)
{
	const strvec_t *names = phrasebook_list(t->pb, "quarter_names");

	if (names != NULL && q >= 1 && (size_t)q <= names->n)
		return names->v[q - 1];
	return "";
}

/* Title, 主送, signature, date, PDF information. */
static void
front_and_back(sb_t *b, int y, int q)
{
	doc_t *d = b->doc;
	const doc_t *notice = b->in->notice;
	const unit_t *u = &b->in->reg->units[b->unit];
	char *head = NULL;

	/* a unit's name is never broken in a table cell (render_pdf_table.c) */
	for (size_t k = 0; k < b->in->reg->nunits; k++) {
		const unit_t *v = &b->in->reg->units[k];

		doc_add_keep(d, v->name);
		for (size_t a = 0; a < v->naliases; a++)
			doc_add_keep(d, v->aliases[a]);
	}
	d->title = st_say(b, "title", (const char *)NULL);
	if (u->head != NULL && *u->head != '\0')
		head = xstrdup(u->head);
	else
		head = st_say(b, "head_default", (const char *)NULL);
	d->recipients = st_say(b, "recipients", "head", head, (const char *)NULL);
	free(head);
	doc_set(&d->date_cn, b->date_cn);
	if (notice != NULL && notice->signature != NULL)
		doc_set(&d->signature, notice->signature);
	else
		doc_set(&d->signature, b->t->signature);
	d->subject = st_say(b, "subject", (const char *)NULL);
	doc_set(&d->author, b->t->author != NULL ? b->t->author : d->signature);
	doc_set(&d->meta.publisher, d->author);
	if (notice != NULL) {
		d->epoch = notice->epoch;
		d->created = notice->created;
		doc_set(&d->meta.date_iso, notice->meta.date_iso);
	} else {
		/* the 5th of the month after the quarter (Art 14), 00:00 UTC+8 */
		int iy = q == 4 ? y + 1 : y, im = q == 4 ? 1 : q * 3 + 1;
		char iso[24];

		snprintf(iso, sizeof iso, "%04d-%02d-05", iy, im);
		doc_set(&d->meta.date_iso, iso);
		d->epoch = (long long)tb_days_from_civil(iy, im, 5) * 86400 -
		    8 * 3600;
	}
}

/*
 * Builds the statement of b->unit from the unit's items (indices into
 * res->items) and credits (indices into res->credits).
 */
static doc_t *
build(const statement_tpl_t *t, const statement_in_t *in, size_t unit,
    const size_t *items, size_t nitems, const size_t *credits,
    size_t ncredits)
{
	sb_t b;
	int y = tb_quarter_year(in->res->quarter), q = tb_quarter_num(in->res->quarter);
	doc_t *d;

	memset(&b, 0, sizeof b);
	b.t = t;
	b.in = in;
	b.unit = unit;
	snprintf(b.year, sizeof b.year, "%d", y);
	snprintf(b.quarter, sizeof b.quarter, "%d", q);
	b.quarter_cn = st_quarter_name(t, q);
	b.unit_name = in->reg->units[unit].name;
	b.group_name = in->reg->groups[in->reg->units[unit].group].name;
	if (in->notice != NULL && in->notice->date_cn != NULL) {
		b.date_cn = xstrdup(in->notice->date_cn);
	} else {
		char cn[40];

		tb_date_cn(tb_time_make(q == 4 ? y + 1 : y, q == 4 ? 1 : q * 3 + 1,
		    5, 0, 0), cn, sizeof cn);
		b.date_cn = xstrdup(cn);
	}
	b.cv[0] = "year";       b.cv[1] = b.year;
	b.cv[2] = "quarter";    b.cv[3] = b.quarter;
	b.cv[4] = "quarter_cn"; b.cv[5] = b.quarter_cn;
	b.cv[6] = "date_cn";    b.cv[7] = b.date_cn;
	b.cv[8] = "unit";       b.cv[9] = b.unit_name;
	b.cv[10] = "group";     b.cv[11] = b.group_name;
	b.doc = doc_new();
	front_and_back(&b, y, q);
	st_add_para_owned(&b, st_say(&b, "opening", (const char *)NULL));
	st_section_result(&b, ncredits);
	st_section_items(&b, items, nitems);
	st_section_adoptions(&b, credits, ncredits);
	st_section_followups(&b);
	st_add_para_owned(&b, st_say(&b, "closing", (const char *)NULL));
	d = b.doc;
	free(b.date_cn);
	return d;
}

/* The unit an adoption credits (the unit of its item), or NO_UNIT. */
static size_t
credit_unit(const statement_in_t *in, const credit_t *c)
{
	return in->led->items[in->led->adoptions[c->adoption].item].unit;
}

doc_t *
statement_unit(const statement_tpl_t *t, const statement_in_t *in,
    size_t unit, diag_list_t *dl)
{
	const results_t *res = in->res;
	size_t *items = NULL, *credits = NULL, ni = 0, nc = 0;
	doc_t *d = NULL;

	if (unit >= in->reg->nunits || unit >= res->nunits) {
		diag_error(dl, NULL, 0, "statement: no unit %zu (the registry has "
		    "%zu)", unit, in->reg->nunits);
		goto cleanup;
	}
	items = xcalloc(res->nitems + 1, sizeof *items);
	credits = xcalloc(res->ncredits + 1, sizeof *credits);
	for (size_t i = 0; i < res->nitems; i++)
		if (in->led->items[res->items[i].item].unit == unit)
			items[ni++] = i;
	for (size_t i = 0; i < res->ncredits; i++)
		if (credit_unit(in, &res->credits[i]) == unit)
			credits[nc++] = i;
	d = build(t, in, unit, items, ni, credits, nc);
cleanup:
	free(items);
	free(credits);
	return d;
}

int
statement_all(const statement_tpl_t *t, const statement_in_t *in,
    doc_t ***docs, size_t *n, diag_list_t *dl)
{
	const results_t *res = in->res;
	size_t nu = in->reg->nunits;
	/* counting sort of items and credits by unit: start[u]..start[u+1] */
	size_t *istart = xcalloc(nu + 2, sizeof *istart);
	size_t *cstart = xcalloc(nu + 2, sizeof *cstart);
	size_t *iv = xcalloc(res->nitems + 1, sizeof *iv);
	size_t *cv = xcalloc(res->ncredits + 1, sizeof *cv);
	doc_t **out = NULL;
	int rc = -1;

	*docs = NULL;
	*n = 0;
	if (res->nunits != nu) {
		diag_error(dl, NULL, 0, "statement: the results hold %zu units, "
		    "the registry %zu", res->nunits, nu);
		goto cleanup;
	}
	for (size_t i = 0; i < res->nitems; i++) {
		size_t u = in->led->items[res->items[i].item].unit;

		if (u < nu)
			istart[u + 2]++;
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		size_t u = credit_unit(in, &res->credits[i]);

		if (u < nu)
			cstart[u + 2]++;
	}
	for (size_t u = 2; u < nu + 2; u++) {
		istart[u] += istart[u - 1];
		cstart[u] += cstart[u - 1];
	}
	/* stable placement: each unit's entries keep their order */
	for (size_t i = 0; i < res->nitems; i++) {
		size_t u = in->led->items[res->items[i].item].unit;

		if (u < nu)
			iv[istart[u + 1]++] = i;
	}
	for (size_t i = 0; i < res->ncredits; i++) {
		size_t u = credit_unit(in, &res->credits[i]);

		if (u < nu)
			cv[cstart[u + 1]++] = i;
	}
	out = xcalloc(nu ? nu : 1, sizeof *out);
	for (size_t u = 0; u < nu; u++)
		out[u] = build(t, in, u, iv + istart[u], istart[u + 1] - istart[u],
		    cv + cstart[u], cstart[u + 1] - cstart[u]);
	*docs = out;
	*n = nu;
	rc = 0;

cleanup:
	free(istart);
	free(cstart);
	free(iv);
	free(cv);
	return rc;
}

void
statement_docs_free(doc_t **docs, size_t n)
{
	if (docs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		doc_free(docs[i]);
	free(docs);
}

