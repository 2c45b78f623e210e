/*
 * followup.c - the follow-up of directives (Art 4; see followup.h for the
 * exact reading): which reports each responsible unit owes for each
 * directive, which submission fulfilled each, and what is on time, late,
 * overdue or still pending as of a quarter's end.  Also the machine-readable
 * list, OUT/YYYYQn/followups.csv.  Pure: the ledger is already validated
 * (ledger.c checks that a submission names a known directive for which its
 * unit is responsible), nothing is read or written here.
 *
 * Days: a tb_time is minutes since 1970-01-01 00:00 local, so its calendar
 * day is tb_day(t) (the floor of t / 1440); deadlines are day numbers, inclusive.
 */
#include "followup.h"
#include "csvwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A linked submission: directive, submission time, index into ledger.items. */
struct linked {
	size_t  dir;
	tb_time when;
	size_t  item;
};

/* qsort: by directive, then submission time, then ledger order. */
static int
cmp_linked(const void *pa, const void *pb)
{
	const struct linked *a = pa, *b = pb;

	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	return a->item < b->item ? -1 : a->item > b->item;
}

static void
push(followup_t *fu, const fu_obligation_t *o)
{
	xgrow(&fu->v, &fu->cap, fu->n + 1, sizeof *fu->v);
	fu->v[fu->n++] = *o;
}

/*
 * Settles one obligation: `it` is the fulfilling entry of the linked list or
 * NULL; on_time_by is the last on-time day.  Sets item, reported, status.
 */
static void
settle(fu_obligation_t *o, const struct linked *it, int64_t on_time_by,
    int64_t last_day)
{
	if (it != NULL) {
		o->item = it->item;
		o->reported = it->when;
		o->status = tb_day(it->when) <= on_time_by ? FU_ON_TIME : FU_LATE;
	} else {
		o->item = FU_NO_ITEM;
		o->reported = TB_TIME_NONE;
		o->status = o->deadline <= last_day ? FU_OVERDUE : FU_PENDING;
	}
}

/*
 * The obligations of unit u for directive d, given the directive's linked
 * items (all units, sorted) in lk[0..nlk).  `used` is scratch of nlk flags.
 */
static void
unit_obligations(const rules_t *rules, const ledger_t *led, size_t d,
    size_t u, const struct linked *lk, size_t nlk, bool *used,
    int64_t last_day, followup_t *fu)
{
	const directive_t *dir = &led->directives[d];
	int64_t t = tb_day(dir->issued);
	int64_t p = t + rules->progress_days;
	size_t plan = SIZE_MAX, prog = SIZE_MAX;
	fu_obligation_t o;

	memset(used, 0, nlk * sizeof *used);
	for (size_t i = 0; i < nlk; i++) {
		if (led->items[lk[i].item].unit != u)
			continue;
		if (plan == SIZE_MAX)
			plan = i;
		else if (prog == SIZE_MAX)
			prog = i;
	}
	memset(&o, 0, sizeof o);
	o.directive = d;
	o.unit = u;

	o.kind = FU_PLAN;
	o.deadline = t + rules->plan_days;
	settle(&o, plan != SIZE_MAX ? &lk[plan] : NULL, o.deadline, last_day);
	push(fu, &o);
	if (plan != SIZE_MAX)
		used[plan] = true;

	o.kind = FU_PROGRESS;
	o.deadline = p;
	settle(&o, prog != SIZE_MAX ? &lk[prog] : NULL, o.deadline, last_day);
	push(fu, &o);
	if (prog != SIZE_MAX)
		used[prog] = true;

	if (!dir->long_running || rules->long_running_period_days <= 0)
		return;
	o.kind = FU_PERIODIC;
	for (int n = 1;; n++) {
		int64_t lo = p + (int64_t)(n - 1) * rules->long_running_period_days + 1;
		const struct linked *hit = NULL;

		if (lo > last_day)
			break;
		o.period = n;
		o.deadline = p + (int64_t)n * rules->long_running_period_days;
		for (size_t i = 0; i < nlk && hit == NULL; i++) {
			int64_t day = tb_day(lk[i].when);

			if (!used[i] && led->items[lk[i].item].unit == u &&
			    day >= lo && day <= o.deadline) {
				hit = &lk[i];
				used[i] = true;
			}
		}
		settle(&o, hit, o.deadline, last_day);
		push(fu, &o);
	}
}

bool
followup_before_issue(const item_t *it, const directive_t *d)
{
	return it->submitted + (it->submitted_day ? 24 * 60 - 1 : 0) < d->issued;
}

int
followup_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, tb_quarter q, followup_t *out)
{
	tb_time qstart = tb_quarter_start(q), qend = tb_quarter_end(q);
	int64_t first_day = tb_day(qstart), last_day = tb_day(qend) - 1;
	strmap_t ids = { 0 };
	struct linked *lk = NULL;
	bool *used = NULL;
	size_t nlk = 0, cap = 0, b = 0;

	memset(out, 0, sizeof *out);
	out->quarter = q;
	for (size_t d = 0; d < led->ndirectives; d++)
		strmap_put(&ids, led->directives[d].id, d, NULL);
	/* the linked submissions that count, grouped by directive */
	for (size_t i = 0; i < led->nitems; i++) {
		const item_t *it = &led->items[i];
		size_t d;

		if (it->directive == NULL || it->directive[0] == '\0' ||
		    it->unit >= reg->nunits || it->submitted >= qend ||
		    !strmap_get(&ids, it->directive, &d) ||
		    followup_before_issue(it, &led->directives[d]))
			continue;
		xgrow(&lk, &cap, nlk + 1, sizeof *lk);
		lk[nlk].dir = d;
		lk[nlk].when = it->submitted;
		lk[nlk].item = i;
		nlk++;
	}
	if (nlk > 0)
		qsort(lk, nlk, sizeof *lk, cmp_linked);
	used = xcalloc(nlk + 1, sizeof *used);

	for (size_t d = 0; d < led->ndirectives; d++) {
		const directive_t *dir = &led->directives[d];
		size_t e, first = out->n;
		bool listed = false;

		while (b < nlk && lk[b].dir < d)
			b++;
		for (e = b; e < nlk && lk[e].dir == d; e++)
			;
		if (dir->issued >= qend)
			continue;
		for (size_t k = 0; k < dir->nunits; k++)
			unit_obligations(rules, led, d, dir->units[k], lk + b, e - b,
			    used + b, last_day, out);
		for (size_t i = first; i < out->n; i++) {
			fu_obligation_t *o = &out->v[i];

			o->listed = o->deadline >= first_day ||
			    o->status == FU_OVERDUE ||
			    (o->reported != TB_TIME_NONE && o->reported >= qstart);
			if (o->listed) {
				out->count[o->status]++;
				listed = true;
			}
		}
		if (listed)
			out->ndirectives++;
	}
	free(used);
	free(lk);
	strmap_free(&ids);
	return 0;
}

void
followup_free(followup_t *fu)
{
	free(fu->v);
	memset(fu, 0, sizeof *fu);
}

const char *
followup_kind_name(enum fu_kind k)
{
	static const char *const names[] = {
		[FU_PLAN] = "plan", [FU_PROGRESS] = "progress",
		[FU_PERIODIC] = "periodic",
	};

	return (size_t)k < ARRAY_LEN(names) ? names[k] : "?";
}

const char *
followup_status_name(enum fu_status s)
{
	static const char *const names[] = {
		[FU_ON_TIME] = "on_time", [FU_LATE] = "late",
		[FU_OVERDUE] = "overdue", [FU_PENDING] = "pending",
	};

	return (size_t)s < ARRAY_LEN(names) ? names[s] : "?";
}

static void
put_day(buf_t *out, int64_t day)
{
	char s[16];

	tb_day_format(day, s, sizeof s);
	buf_puts(out, s);
}

void
followup_csv(const registry_t *reg, const ledger_t *led, const followup_t *fu,
    buf_t *out)
{
	char q[16];

	tb_quarter_format(fu->quarter, q, sizeof q);
	buf_puts(out, "quarter,directive,title,issued,long_running,unit_id,"
	    "unit_name,obligation,period,deadline,item,reported,status\n");
	for (size_t i = 0; i < fu->n; i++) {
		const fu_obligation_t *o = &fu->v[i];
		const directive_t *d = &led->directives[o->directive];
		const unit_t *u = &reg->units[o->unit];

		if (!o->listed)
			continue;
		buf_printf(out, "%s,", q);
		csv_put_text(out, d->id);
		buf_putc(out, ',');
		csv_put_text(out, d->title);
		buf_putc(out, ',');
		put_day(out, tb_day(d->issued));
		buf_printf(out, ",%d,", d->long_running ? 1 : 0);
		csv_put_text(out, u->id);
		buf_putc(out, ',');
		csv_put_text(out, u->name);
		buf_printf(out, ",%s,", followup_kind_name(o->kind));
		if (o->kind == FU_PERIODIC)
			buf_printf(out, "%d", o->period);
		buf_putc(out, ',');
		put_day(out, o->deadline);
		buf_putc(out, ',');
		if (o->item != FU_NO_ITEM)
			csv_put_text(out, led->items[o->item].id);
		buf_putc(out, ',');
		if (o->reported != TB_TIME_NONE) {
			char ts[32];

			tb_time_format(o->reported, ts, sizeof ts);
			buf_puts(out, ts);
		}
		buf_printf(out, ",%s\n", followup_status_name(o->status));
	}
}
