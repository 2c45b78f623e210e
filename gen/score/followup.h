/*
 * followup.h - the follow-up of directives (Art 4): for a quarter, every
 * directive issued up to its end, every responsible unit, and each report
 * the unit owes (the plan within plan_days, the progress report within
 * progress_days, and for long-running directives one report per period of
 * long_running_period_days after that), with the submission that fulfilled
 * it and its status as of the quarter's end.  Pure: no I/O.
 *
 * How reports are matched (compared by calendar day, local time; "within 7
 * days" of a directive issued on day T means on or before day T+7):
 *   - A unit's linked submissions are its items whose 督办编号 names the
 *     directive, submitted at or after the directive's issue time and
 *     before the quarter's end, in submission order.  An item submitted
 *     before the directive was issued does not count.  Any other linked
 *     submission counts, whatever its kind, channel or signature: the
 *     exclusions of Art 5, 8 and 11 concern the quota, not the follow-up.
 *   - The plan is the first linked submission; on time when its day is
 *     <= T + plan_days, late otherwise.
 *   - The progress report is the first linked submission after the plan;
 *     on time when its day is <= T + progress_days, late otherwise.
 *   - Long-running directives: period n (n = 1, 2, ...) covers the days
 *     P+(n-1)L+1 .. P+nL, where P = T + progress_days and L the period; it
 *     is met by the first linked submission in that window not already
 *     used as the plan or the progress report (on time; a period has no
 *     "late").  Periods that have begun by the quarter's last day exist.
 *   - Each submission fulfils at most one obligation.
 *   - Not reported: overdue when the deadline day is on or before the
 *     quarter's last day, pending when it is later.
 * Which obligations a quarter lists (FU_LISTED): those whose deadline falls
 * on or after the quarter's first day, those reported in the quarter, and
 * those still overdue.  An obligation settled in an earlier quarter is not
 * listed again.  A directive is listed when any of its obligations is.
 */
#ifndef TB_FOLLOWUP_H
#define TB_FOLLOWUP_H

#include "model.h"
#include "util.h"

enum fu_kind { FU_PLAN, FU_PROGRESS, FU_PERIODIC };
enum fu_status { FU_ON_TIME, FU_LATE, FU_OVERDUE, FU_PENDING };

#define FU_NO_ITEM ((size_t)-1)

typedef struct fu_obligation {
	size_t         directive;   /* index into ledger.directives */
	size_t         unit;        /* index into registry.units */
	enum fu_kind   kind;
	int            period;      /* FU_PERIODIC: 1, 2, ...; else 0 */
	int64_t        deadline;    /* day number (tb_days_from_civil), inclusive */
	size_t         item;        /* index into ledger.items, or FU_NO_ITEM */
	tb_time        reported;    /* the item's submission time, or TB_TIME_NONE */
	enum fu_status status;
	bool           listed;      /* belongs to this quarter's list (see above) */
} fu_obligation_t;

/*
 * The follow-ups of one quarter.  Obligations are ordered by directive
 * (ledger order), then by the directive's unit order, then plan, progress,
 * periods.  Counts are of listed obligations only.
 */
typedef struct followup {
	tb_quarter       quarter;
	fu_obligation_t *v; size_t n, cap;
	size_t           ndirectives;        /* directives with a listed obligation */
	size_t           count[4];           /* listed obligations by enum fu_status */
} followup_t;

/*
 * Computes the follow-ups of quarter q: every directive of led issued before
 * the quarter's end, with the rules' plan_days, progress_days and
 * long_running_period_days (no periods when the latter is <= 0).  Items of
 * units no longer in the registry (NO_UNIT) are ignored.  Returns 0; out is
 * freed with followup_free.
 */
/*
 * Was item `it` provably submitted before directive d was issued?  A
 * submission the ledger dates by day only may be any minute of that day
 * (SPEC 3.4): on the issue day it is not "before" - it counts.
 */
bool followup_before_issue(const item_t *it, const directive_t *d);

int  followup_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, tb_quarter q, followup_t *out);
void followup_free(followup_t *fu);

/* "plan", "progress", "periodic"; "on_time", "late", "overdue", "pending". */
const char *followup_kind_name(enum fu_kind k);
const char *followup_status_name(enum fu_status s);

/*
 * OUT/YYYYQn/followups.csv: the listed obligations, one per row, UTF-8
 * without BOM, LF, RFC 4180 quoting:
 *   quarter,directive,title,issued,long_running,unit_id,unit_name,
 *   obligation,period,deadline,item,reported,status
 * issued and deadline as YYYY-MM-DD, reported as YYYY-MM-DD HH:MM (empty
 * when not reported), item the submission's 编号 (empty when none).
 */
void followup_csv(const registry_t *reg, const ledger_t *led,
    const followup_t *fu, buf_t *out);

#endif
