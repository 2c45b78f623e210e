/*
 * export.c - scores.csv, annual.csv and workers.csv (SPEC 4): the contract
 * with the systems downstream (Art 16's target-responsibility assessment
 * reads scores.csv).  Rows follow the results' output order; points are
 * printed by tenths_format so that every output shows the same figures.
 */
#include "export.h"
#include "csvwrite.h"
#include "trend.h"

#include <stdio.h>
#include <stdlib.h>

static void
put_points(buf_t *b, tenths t)
{
	char s[32];

	tenths_format(t, s, sizeof s);
	buf_puts(b, s);
}

void
export_scores(const registry_t *reg, const results_t *res, const trend_t *tr,
    buf_t *out)
{
	char q[16];

	tb_quarter_format(res->quarter, q, sizeof q);
	buf_puts(out, "quarter,unit_id,unit_name,group,category,quota,submitted,"
	    "counted,effective,met_quota,base,quality,total,rank,ytd,change,"
	    "rank_change\n");
	for (size_t i = 0; i < res->nunits; i++) {
		const unit_result_t *r = &res->units[res->order[i]];
		const unit_trend_t *t = &tr->units[res->order[i]];
		const unit_t *u = &reg->units[r->unit];
		const category_t *c = &reg->cats[u->category];

		buf_printf(out, "%s,", q);
		csv_put_text(out, u->id);
		buf_putc(out, ',');
		csv_put_text(out, u->name);
		buf_putc(out, ',');
		csv_put_text(out, reg->groups[u->group].name);
		buf_putc(out, ',');
		csv_put_text(out, c->id);
		buf_printf(out, ",%d,%d,%d,%d,%d,", c->quota, r->submitted,
		    r->counted, r->effective, r->met_quota ? 1 : 0);
		put_points(out, r->base);
		buf_putc(out, ',');
		put_points(out, r->quality);
		buf_putc(out, ',');
		put_points(out, r->total);
		buf_printf(out, ",%d,", r->rank);
		put_points(out, t->ytd);
		buf_putc(out, ',');
		/* empty: nothing to compare with (SPEC 5; README) */
		if (t->has_prev)
			put_points(out, t->change);
		buf_putc(out, ',');
		if (t->has_rank_change)
			buf_printf(out, "%d", t->rank_change);
		buf_putc(out, '\n');
	}
}

/* The columns adoptions.csv and items.csv open with:
 * quarter,unit_id,unit_name,item_id,title, (with the comma after). */
static void
put_item_head(buf_t *b, const char *q, const registry_t *reg,
    const item_t *it)
{
	buf_printf(b, "%s,", q);
	csv_put_text(b, reg->units[it->unit].id);
	buf_putc(b, ',');
	csv_put_text(b, reg->units[it->unit].name);
	buf_putc(b, ',');
	csv_put_text(b, it->id);
	buf_putc(b, ',');
	csv_put_text(b, it->title);
	buf_putc(b, ',');
}

void
export_adoptions(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, buf_t *out)
{
	size_t *order = NULL, n;
	char q[16];

	tb_quarter_format(res->quarter, q, sizeof q);
	n = trend_adoptions(reg, rules, led, res, &order);
	buf_puts(out, "quarter,unit_id,unit_name,item_id,title,carrier,date,"
	    "points,credited\n");
	for (size_t i = 0; i < n; i++) {
		const credit_t *c = &res->credits[order[i]];
		const adoption_t *a = &led->adoptions[c->adoption];
		const item_t *it = &led->items[a->item];
		const carrier_t *k = &rules->carriers[a->carrier];
		char date[16];

		tb_day_format(tb_day(a->date), date, sizeof date);
		put_item_head(out, q, reg, it);
		csv_put_text(out, k->name);
		buf_printf(out, ",%s,", date);
		if (k->points != NO_POINTS)
			put_points(out, k->points);
		buf_putc(out, ',');
		put_points(out, c->credited);
		buf_putc(out, '\n');
	}
	free(order);
}

void
export_items(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, buf_t *out)
{
	char q[16];

	tb_quarter_format(res->quarter, q, sizeof q);
	buf_puts(out, "quarter,unit_id,unit_name,item_id,title,kind,weight,"
	    "counted,reason,late_minutes\n");
	for (size_t i = 0; i < res->nitems; i++) {
		const item_result_t *ir = &res->items[i];
		const item_t *it;

		if (ir->item >= led->nitems)
			continue;
		it = &led->items[ir->item];
		if (it->unit >= reg->nunits || it->kind >= rules->nkinds)
			continue;
		put_item_head(out, q, reg, it);
		csv_put_text(out, rules->kinds[it->kind].name);
		buf_printf(out, ",%d,%d,", rules->kinds[it->kind].weight,
		    ir->weight);
		if (ir->why != EXCL_NONE)
			csv_put_text(out, exclusion_text(ir->why));
		buf_putc(out, ',');
		if (ir->late_minutes > 0)
			buf_printf(out, "%ld", ir->late_minutes);
		buf_putc(out, '\n');
	}
}

void
export_annual(const registry_t *reg, const annual_t *ann, buf_t *out)
{
	buf_puts(out, "year,unit_id,unit_name,group,q1,q2,q3,q4,total,rank,honour\n");
	for (size_t i = 0; i < ann->nunits; i++) {
		const annual_row_t *r = &ann->units[ann->order[i]];
		const unit_t *u = &reg->units[r->unit];

		buf_printf(out, "%d,", ann->year);
		csv_put_text(out, u->id);
		buf_putc(out, ',');
		csv_put_text(out, u->name);
		buf_putc(out, ',');
		csv_put_text(out, reg->groups[u->group].name);
		for (int k = 0; k < 4; k++) {
			buf_putc(out, ',');
			put_points(out, r->q[k]);
		}
		buf_putc(out, ',');
		put_points(out, r->total);
		buf_printf(out, ",%d,%d\n", r->rank, r->honour ? 1 : 0);
	}
}

void
export_workers(const registry_t *reg, const annual_t *ann, buf_t *out)
{
	buf_puts(out, "year,author,unit_id,items,quality,rank,honour\n");
	for (size_t i = 0; i < ann->nworkers; i++) {
		const worker_row_t *w = &ann->workers[i];

		buf_printf(out, "%d,", ann->year);
		csv_put_text(out, w->author);
		buf_putc(out, ',');
		csv_put_text(out, reg->units[w->unit].id);
		buf_printf(out, ",%d,", w->items);
		put_points(out, w->quality);
		buf_printf(out, ",%d,%d\n", w->rank, w->honour ? 1 : 0);
	}
}
