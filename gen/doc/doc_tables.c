/*
 * doc_tables.c - the quarterly notice's attachments as tables: the scores
 * of every unit by group, the high-value items, the items not counted and
 * why, and the adoptions (at most a capped number a unit, the count of the
 * rest; the full lists are in the CSV files).  Part of the notice builder
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

/* Attachment 1: the chart and one score table per group. */
void
nb_quarter_scores(nb_t *b, const qgroup_t *gs)
{
	enum { NC = 12 };
	static const enum doc_align align[NC] = { ALIGN_RIGHT, ALIGN_LEFT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT,
	    ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT, ALIGN_RIGHT };
	static const unsigned weight[NC] = { 2, 9, 2, 2, 2, 2, 3, 3, 3, 3, 3,
	    3 };
	const results_t *res = b->res;
	doc_section_t *s = nb_attachment(b, "attach_scores");
	tenths *sums = xcalloc(b->reg->ngroups + 1, sizeof *sums);
	size_t *counts = xcalloc(b->reg->ngroups + 1, sizeof *counts);

	for (size_t g = 0; g < b->reg->ngroups; g++) {
		sums[g] = gs[g].sum;
		counts[g] = gs[g].units;
	}
	nb_group_chart(b, s, sums, counts);
	for (size_t g = 0; g < b->reg->ngroups; g++) {
		doc_table_t *t;

		if (gs[g].units == 0)
			continue;
		t = nb_table_from(b, s, b->reg->groups[g].name, "cols_scores",
		    align, weight);
		nb_ranking(t, b->reg->groups[g].id, 0, 1, 8);
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
			change = nb_say_change(b, tr->has_prev, tr->change,
			    "change_up", "change_down", "change_same");
			rank = nb_say_change(b, tr->has_rank_change,
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
void
nb_quarter_high_table(nb_t *b)
{
	static const enum doc_align align[4] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[4] = { 5, 10, 4, 4 };
	const results_t *res = b->res;
	doc_section_t *s = nb_attachment(b, "attach_high");
	doc_table_t *t = NULL;
	size_t cap = nb_list_cap(b, "high_max"), shown = 0, more = 0;

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
			t = nb_table_from(b, s, NULL, "cols_high", align, weight);
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
		nb_more_row(b, t, "high_more", more);
	if (t == NULL)
		nb_empty_note(b, s);
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
void
nb_quarter_excluded(nb_t *b)
{
	static const enum doc_align align[4] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[4] = { 5, 3, 10, 5 };
	const results_t *res = b->res;
	doc_section_t *s = nb_attachment(b, "attach_excluded");
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
		nb_empty_note(b, s);
	} else {
		size_t cap = nb_list_cap(b, "excluded_max");

		t = nb_table_from(b, s, NULL, "cols_excluded", align, weight);
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
			nb_more_row(b, t, "excluded_more", nkeys - cap);
	}
	free(keys);
	free(pos);
}

/*
 * Attachment 4, 采用情况: every adoption of the quarter, unit by unit in
 * the order of the score tables, the highest carriers first
 * (trend_adoptions).  The PDF shows at most adoptions_max rows of a unit
 * and a line for the rest; the portal page shows them all (doc_media).
 */
void
nb_quarter_adoptions(nb_t *b)
{
	static const enum doc_align align[5] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT };
	static const unsigned weight[5] = { 5, 10, 4, 4, 2 };
	const results_t *res = b->res;
	doc_section_t *s = nb_attachment(b, "attach_adoptions");
	size_t max = nb_list_cap(b, "adoptions_max");
	size_t web_max = nb_list_cap(b, "adoptions_web_max");
	size_t *order = NULL, n;
	doc_table_t *t;

	if (max == 0 || web_max == 0)
		return;
	if (web_max < max)
		web_max = max;
	n = trend_adoptions(b->reg, b->rules, b->led, res, &order);
	if (n == 0) {
		nb_empty_note(b, s);
		free(order);
		return;
	}
	t = nb_table_from(b, s, NULL, "cols_adoptions", align, weight);
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
			line = nb_say(b, web ? "adoptions_web_more" : "adoptions_more",
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
