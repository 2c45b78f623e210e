/*
 * export.c - scores.csv, annual.csv and workers.csv (SPEC 4): the contract
 * with the systems downstream (Art 16's target-responsibility assessment
 * reads scores.csv).  Rows follow the results' output order; points are
 * printed by tenths_format so that every output shows the same figures.
 */
#include "export.h"
#include "csvread.h"

#include <stdio.h>

static void
put_points(buf_t *b, tenths t)
{
	char s[32];

	tenths_format(t, s, sizeof s);
	buf_puts(b, s);
}

void
export_scores(const registry_t *reg, const results_t *res, buf_t *out)
{
	char q[16];

	tb_quarter_format(res->quarter, q, sizeof q);
	buf_puts(out, "quarter,unit_id,unit_name,group,category,quota,submitted,"
	    "counted,effective,met_quota,base,quality,total,rank\n");
	for (size_t i = 0; i < res->nunits; i++) {
		const unit_result_t *r = &res->units[res->order[i]];
		const unit_t *u = &reg->units[r->unit];
		const category_t *c = &reg->cats[u->category];

		buf_printf(out, "%s,", q);
		csv_put_field(out, u->id);
		buf_putc(out, ',');
		csv_put_field(out, u->name);
		buf_putc(out, ',');
		csv_put_field(out, reg->groups[u->group].name);
		buf_putc(out, ',');
		csv_put_field(out, c->id);
		buf_printf(out, ",%d,%d,%d,%d,%d,", c->quota, r->submitted,
		    r->counted, r->effective, r->met_quota ? 1 : 0);
		put_points(out, r->base);
		buf_putc(out, ',');
		put_points(out, r->quality);
		buf_putc(out, ',');
		put_points(out, r->total);
		buf_printf(out, ",%d\n", r->rank);
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
		csv_put_field(out, u->id);
		buf_putc(out, ',');
		csv_put_field(out, u->name);
		buf_putc(out, ',');
		csv_put_field(out, reg->groups[u->group].name);
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
		csv_put_field(out, w->author);
		buf_putc(out, ',');
		csv_put_field(out, reg->units[w->unit].id);
		buf_printf(out, ",%d,", w->items);
		put_points(out, w->quality);
		buf_printf(out, ",%d,%d\n", w->rank, w->honour ? 1 : 0);
	}
}
