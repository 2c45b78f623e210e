/*
 * doc_annual.c - the year's documents (Art 15) as document models: the
 * annual notice (year totals, ranking with the change on the previous
 * year, proposed honours) and the draft 表彰决定 of the year's honours,
 * with their wording keys and entry points, notice_year() and
 * notice_honours().  Part of the notice builder (doc_build.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	char *sep = nb_say(b, "list_sep", (const char *)NULL);
	char *csep = nb_say(b, "clause_sep", (const char *)NULL);
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

	nb_add_para_owned(body, nb_say(b, "opening", (const char *)NULL));
	nb_add_heading(b, body, 1, "h_basic");
	for (size_t g = 0; g < reg->ngroups; g++) {
		char u[24], a[32];

		if (counts[g] == 0)
			continue;
		snprintf(u, sizeof u, "%zu", counts[g]);
		tenths_format(nb_average(sums[g], counts[g]), a, sizeof a);
		strvec_push_owned(&parts, nb_say(b, "summary_group", "group",
		    reg->groups[g].name, "units", u, "average", a,
		    (const char *)NULL));
	}
	joined = nb_join(&parts, csep);
	snprintf(n, sizeof n, "%zu", ann->nunits);
	nb_add_para_owned(body, nb_say(b, "summary", "units", n, "groups", joined,
	    (const char *)NULL));
	free(joined);
	strvec_free(&parts);

	nb_add_heading(b, body, 1, "h_honours");
	nb_named_groups(b, honoured, "honour_units", "honour_units_none");
	for (size_t i = 0; i < ann->nworkers; i++) {
		const worker_row_t *w = &ann->workers[i];

		if (!w->honour)
			continue;
		strvec_push_owned(&parts, nb_say(b, "worker", "name", w->author,
		    "unit", reg->units[w->unit].name, (const char *)NULL));
		nworkers++;
	}
	if (nworkers == 0) {
		nb_add_para_owned(body, nb_say(b, "honour_workers_none",
		    (const char *)NULL));
	} else {
		joined = nb_join(&parts, sep);
		nb_add_para_owned(body, nb_say(b, "honour_workers", "workers", joined,
		    (const char *)NULL));
		free(joined);
	}
	strvec_free(&parts);
	nb_add_heading(b, body, 1, "h_next");
	nb_add_paragraphs(b, body, "requirements", b->set.requirements_given,
	    &b->set.requirements, NULL, 0);
	nb_extra_paragraphs(b);
	nb_contact_line(b);

	/* attachment 1: chart, then a table per group */
	s = nb_attachment(b, "attach_scores");
	nb_group_chart(b, s, sums, counts);
	for (size_t g = 0; g < reg->ngroups; g++) {
		doc_table_t *t;

		if (counts[g] == 0)
			continue;
		t = nb_table_from(b, s, reg->groups[g].name, "cols_scores", salign,
		    sweight);
		nb_ranking(t, reg->groups[g].id, 6, 0, 5);
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
			rc = nb_say_change(b, b->year_rank_known != NULL &&
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
	s = nb_attachment(b, "attach_workers");
	if (nworkers == 0) {
		nb_empty_note(b, s);
	} else {
		doc_table_t *t = nb_table_from(b, s, NULL, "cols_workers", walign,
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

/* The annual documents' default issue date: the 5th of January after. */
static ymd_t
after_year(int year)
{
	return (ymd_t){ year + 1, 1, 5 };
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
	d->doc_number_blank = nb_say(b, "doc_number_blank", (const char *)NULL);
	free(d->issuer);
	d->issuer = nb_say(b, "issuer", (const char *)NULL);
	free(d->signature);
	d->signature = nb_say(b, "signature", (const char *)NULL);
	free(d->recipients);
	d->recipients = nb_say(b, "recipients", (const char *)NULL);
	doc_set(&d->author, d->issuer);
	for (size_t k = 0; k < ann->nunits; k++) {
		const annual_row_t *r = &ann->units[ann->order[k]];
		char total[32], rank[24];

		if (!r->honour)
			continue;
		tenths_format(r->total, total, sizeof total);
		snprintf(rank, sizeof rank, "%d", r->rank);
		strvec_push_owned(&units, nb_say(b, "unit_line", "unit",
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
		strvec_push_owned(&workers, nb_say(b, "worker_line", "name",
		    w->author, "unit", reg->units[w->unit].name, "items", items,
		    "quality", q, (const char *)NULL));
	}
	nb_add_para_owned(body, nb_say(b, "opening", (const char *)NULL));
	snprintf(n, sizeof n, "%zu", units.n);
	nb_add_heading_owned(body, nb_say(b, "h_units", "n", n, (const char *)NULL));
	if (units.n == 0)
		nb_add_para_owned(body, nb_say(b, "units_none", (const char *)NULL));
	else
		nb_add_list(body, &units);
	snprintf(n, sizeof n, "%zu", workers.n);
	nb_add_heading_owned(body, nb_say(b, "h_workers", "n", n, (const char *)NULL));
	if (workers.n == 0)
		nb_add_para_owned(body, nb_say(b, "workers_none", (const char *)NULL));
	else
		nb_add_list(body, &workers);
	nb_add_para_owned(body, nb_say(b, "closing", (const char *)NULL));
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
