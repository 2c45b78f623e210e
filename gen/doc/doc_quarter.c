/*
 * doc_quarter.c - the quarterly 通报 (Art 14) as a document model: its
 * wording keys, its body (一、基本情况 with the overview, 二、考评结果:
 * best, missed and silent units, high-value items, late reports, the
 * follow-up of directives (doc_followup.c), 三、存在问题 and 四、下一步工作
 * 要求) and its attachments (doc_tables.c), and notice_quarter().  Every
 * number is the scoring module's, counted or summed here; every word is
 * the template's.  Part of the notice builder (doc_build.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	{ "problems", true, 0, PROBLEM_VARS },
	{ "h_next", false, 0, "" },
	{ "requirements", true, 0, PROBLEM_VARS },
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

/* A count and its change on the previous quarter's, as two cells. */
static void
count_cells(const nb_t *b, long now, long before, char *count, size_t n,
    char **change)
{
	snprintf(count, n, "%ld", now);
	*change = nb_say_change(b, b->tr->has_prev, (tenths)(now - before) * 10,
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
	char *cap = nb_say(b, "kinds_caption", (const char *)NULL);
	char *total = nb_say(b, "total_row", (const char *)NULL);
	char r[24], c[24], *dr, *dc;
	doc_table_t *t = nb_table_from(b, body, cap, "cols_kinds", kal, kw);

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
	cap = nb_say(b, "carriers_caption", (const char *)NULL);
	t = nb_table_from(b, body, cap, "cols_carriers", cal, cw);
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
	char *sep = nb_say(b, "list_sep", (const char *)NULL);
	char *csep = nb_say(b, "clause_sep", (const char *)NULL);
	strvec_t parts = { 0 };
	char *joined;

	nb_add_heading(b, body, 1, "h_basic");
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
	nb_add_para_owned(body, nb_say(b, "received", "received", r, "counted", c,
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
		strvec_push_owned(&parts, nb_say(b, "carrier_count", "carrier",
		    b->rules->carriers[k].name, "count", n, (const char *)NULL));
	}
	if (adoptions == 0) {
		nb_add_para_owned(body, nb_say(b, "adopted_none", (const char *)NULL));
	} else {
		joined = nb_join(&parts, sep);
		snprintf(n, sizeof n, "%zu", adoptions);
		tenths_format(quality, q, sizeof q);
		nb_add_para_owned(body, nb_say(b, "adopted", "adoptions", n,
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
		strvec_push_owned(&parts, nb_say(b, "quota_group", "group",
		    b->reg->groups[g].name, "units", u, "met", m,
		    (const char *)NULL));
	}
	joined = nb_join(&parts, csep);
	nb_add_para_owned(body, nb_say(b, "quota", "groups", joined,
	    (const char *)NULL));
	free(joined);
	strvec_free(&parts);
	free(csep);
	free(sep);
	free(per_carrier);
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

	nb_add_heading(b, body, 2, "h_high");
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
		nb_add_para_owned(body, nb_say(b, "high_none", (const char *)NULL));
	} else {
		char *sep = nb_say(b, "list_sep", (const char *)NULL), *units;

		for (size_t k = 0; k < res->nunits; k++) {
			size_t u = res->units[res->order[k]].unit;

			if (u >= b->reg->nunits || per_unit[u] == 0)
				continue;
			snprintf(n, sizeof n, "%zu", per_unit[u]);
			strvec_push_owned(&parts, nb_say(b, "high_unit", "unit",
			    b->reg->units[u].name, "count", n, (const char *)NULL));
		}
		units = nb_join(&parts, sep);
		snprintf(n, sizeof n, "%zu", total);
		nb_add_para_owned(body, nb_say(b, "high", "count", n, "units", units,
		    (const char *)NULL));
		free(units);
		free(sep);
	}
	strvec_free(&parts);
	free(per_unit);
}

/* （四）时效: urgent items reported after the limit (Art 13, 17); at most
 * late_max of them, the rest in items.csv. */
static void
quarter_late(nb_t *b)
{
	const results_t *res = b->res;
	doc_section_t *body = &b->doc->body;
	strvec_t lines = { 0 };
	size_t cap = nb_list_cap(b, "late_max"), more = 0;

	nb_add_heading(b, body, 2, "h_late");
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
		elapsed = nb_say_duration(b, ir->late_minutes);
		late = nb_say_duration(b, ir->late_minutes >
		    b->rules->urgent_limit_minutes ? ir->late_minutes -
		    b->rules->urgent_limit_minutes : 0);
		if (ir->late_day) {
			char day[64];

			tb_date_cn(it->event, day, sizeof day);
			strvec_push_owned(&lines, nb_say(b, "late_item_day", "unit",
			    b->reg->units[it->unit].name, "title", title,
			    "day", day, "elapsed", elapsed, "late", late,
			    (const char *)NULL));
		} else {
			strvec_push_owned(&lines, nb_say(b, "late_item", "unit",
			    b->reg->units[it->unit].name, "title", title,
			    "elapsed", elapsed, "late", late, (const char *)NULL));
		}
		free(elapsed);
		free(late);
		free(title);
	}
	if (lines.n == 0) {
		nb_add_para_owned(body, nb_say(b, "late_none", (const char *)NULL));
	} else {
		char *limit = nb_say_duration(b, b->rules->urgent_limit_minutes);

		nb_add_para_owned(body, nb_say(b, "late", "limit", limit,
		    (const char *)NULL));
		if (more > 0)
			strvec_push_owned(&lines, nb_more_line(b, "late_more", more));
		nb_add_list(body, &lines);
		nb_add_para_owned(body, nb_say(b, "late_note", (const char *)NULL));
		free(limit);
	}
	strvec_free(&lines);
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
	char *sep = nb_say(b, "list_sep", (const char *)NULL);
	char *csep = nb_say(b, "clause_sep", (const char *)NULL);
	char *units = nb_join(missed, sep);
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
		strvec_push_owned(&issues, nb_say(b, "problem_unsigned", "n", nu,
		    (const char *)NULL));
	if (channel > 0)
		strvec_push_owned(&issues, nb_say(b, "problem_channel", "n", nc,
		    (const char *)NULL));
	if (late > 0)
		strvec_push_owned(&issues, nb_say(b, "problem_late", "n", nl,
		    (const char *)NULL));
	if (missed->n > 0)
		strvec_push_owned(&issues, nb_say(b, "problem_missed", "n", nm,
		    "units", units, (const char *)NULL));

	nb_add_heading(b, body, 1, "h_problems");
	if (issues.n == 0) {
		nb_add_para_owned(body, nb_say(b, "problems_none", (const char *)NULL));
	} else {
		char *joined = nb_join(&issues, csep);

		nb_add_para_owned(body, nb_say(b, "problems_found", "issues", joined,
		    (const char *)NULL));
		free(joined);
	}
	{
		const char *kv[] = { "unsigned", nu, "channel", nc, "late", nl,
		    "missed", nm, "missed_units", units, "zero_submit", nz,
		    "zero_adopt", na };

		nb_add_paragraphs(b, body, "problems", b->set.problems_given,
		    &b->set.problems, kv, ARRAY_LEN(kv) / 2);
		nb_add_heading(b, body, 1, "h_next");
		nb_add_paragraphs(b, body, "requirements",
		    b->set.requirements_given, &b->set.requirements, kv,
		    ARRAY_LEN(kv) / 2);
	}
	strvec_free(&issues);
	free(units);
	free(csep);
	free(sep);
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
	long best_rank = atol(nb_setting(b, S_BEST_RANK, "3"));

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

	nb_add_para_owned(body, nb_say(b, "opening", (const char *)NULL));
	quarter_basic(b, gs);
	nb_add_heading(b, body, 1, "h_results");
	nb_add_heading(b, body, 2, "h_best");
	nb_named_groups(b, best, "best", "best_none");
	nb_add_heading(b, body, 2, "h_missed");
	nb_named_groups(b, missed, "missed", "missed_none");
	nb_add_heading(b, body, 2, "h_zero");
	nb_named_groups(b, silent, "zero_submit", "zero_submit_none");
	nb_named_groups(b, unadopted, "zero_adopt", "zero_adopt_none");
	quarter_high(b);
	quarter_late(b);
	nb_quarter_followup(b);
	quarter_problems(b, &all_missed, nsilent, nunadopted);
	nb_extra_paragraphs(b);
	nb_contact_line(b);

	nb_quarter_scores(b, gs);
	nb_quarter_high_table(b);
	nb_quarter_excluded(b);
	nb_quarter_adoptions(b);
	nb_quarter_followup_table(b);

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
