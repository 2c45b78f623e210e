/*
 * doc_followup.c - the follow-up of directives (Art 4) in the quarterly
 * notice: section 二 (五), with the directives still overdue by unit, and
 * its attachment, a table a directive.  Both are present only when the
 * quarter lists a directive; the obligations come computed (followup.c,
 * once a run: the caller passes them to notice_quarter).  Part of the
 * notice builder (doc_build.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	return nb_say(b, obligation_keys[o->kind], "n", n, (const char *)NULL);
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
void
nb_quarter_followup(nb_t *b)
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
	sep = nb_say(b, "list_sep", (const char *)NULL);
	for (size_t s = 0; s < 4; s++)
		total += fu->count[s];
	snprintf(n[0], sizeof n[0], "%zu", fu->ndirectives);
	snprintf(n[1], sizeof n[1], "%zu", total);
	for (size_t s = 0; s < 4; s++)
		snprintf(n[2 + s], sizeof n[2 + s], "%zu", fu->count[s]);
	nb_add_heading(b, body, 2, "h_followup");
	nb_add_para_owned(body, nb_say(b, "followup", "directives", n[0],
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
			char *j = nb_join(&obs, sep);

			strvec_push_owned(&units, nb_say(b, "followup_overdue_unit",
			    "unit", b->reg->units[o->unit].name, "obligations", j,
			    (const char *)NULL));
			free(j);
			strvec_free(&obs);
		}
		if (dir_ends && units.n > 0) {
			const directive_t *d = &led->directives[o->directive];
			char *j = nb_join(&units, sep), *title = one_line(d->title);

			strvec_push_owned(&lines, nb_say(b, "followup_overdue_item",
			    "directive", d->id, "title", title, "units", j,
			    (const char *)NULL));
			free(title);
			free(j);
			strvec_free(&units);
		}
	}
	if (lines.n == 0) {
		nb_add_para_owned(body, nb_say(b, "followup_overdue_none",
		    (const char *)NULL));
	} else {
		nb_add_para_owned(body, nb_say(b, "followup_overdue", (const char *)NULL));
		nb_add_list(body, &lines);
	}
	strvec_free(&lines);
	free(sep);
}

/*
 * Attachment 4: a table per listed directive (caption: id, title, issue
 * date, the period of a long-running one): unit, report, deadline, date
 * reported, status.
 */
void
nb_quarter_followup_table(nb_t *b)
{
	static const enum doc_align align[5] = { ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT };
	static const unsigned weight[5] = { 8, 9, 7, 7, 7 };
	const followup_t *fu = b->fu;
	doc_section_t *s;
	doc_table_t *t = NULL;
	size_t dir = SIZE_MAX, cap = nb_list_cap(b, "followups_max"), shown = 0;
	size_t more = 0;

	if (fu->ndirectives == 0)
		return;
	s = nb_attachment(b, "attach_followup");
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
			caption = nb_say(b, d->long_running &&
			    b->rules->long_running_period_days > 0 ?
			    "followup_caption_long" : "followup_caption",
			    "directive", d->id, "title", title, "issued", issued,
			    "period", period, (const char *)NULL);
			t = nb_table_from(b, s, caption, "cols_followup", align,
			    weight);
			free(caption);
			free(title);
			dir = o->directive;
		}
		day_cn(o->deadline, deadline, sizeof deadline);
		if (o->reported != TB_TIME_NONE)
			tb_date_cn(o->reported, reported, sizeof reported);
		else
			none = nb_say(b, "not_reported", (const char *)NULL);
		ob = say_obligation(b, o);
		st = nb_say(b, status_keys[o->status], (const char *)NULL);
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
		nb_more_row(b, t, "followups_more", more);
}
