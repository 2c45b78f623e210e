/*
 * score.h - the scoring rules of SPEC 2, as pure functions from the model
 * to results.  No I/O, no globals.  Every number in every output comes from
 * here.
 */
#ifndef TB_SCORE_H
#define TB_SCORE_H

#include "model.h"

/* Why an item does not count toward the quota (first reason that applies). */
enum exclusion {
	EXCL_NONE = 0,
	EXCL_ROUTINE,      /* kind with weight 0 (日常, Art 5) */
	EXCL_CHANNEL,      /* not sent to an accepted mailbox (Art 8) */
	EXCL_UNSIGNED,     /* no 签发人 (Art 11) */
};
const char *exclusion_text(enum exclusion e);   /* Chinese reason */

/*
 * How late an urgent item was reported (Art 13), in minutes from the event
 * to the submission, when that is more than the limit; else 0 (and for an
 * item that is not urgent or has no 事发时间).  A time the ledger gives as
 * a day only may be any minute of that day (SPEC 3.4), so the delay is
 * the least one possible: from the end of the event's day, to the start of
 * the submission's; *day (may be NULL) says so.  Never a lateness the
 * ledger cannot prove.
 */
long score_late_minutes(const rules_t *rules, const item_t *it, bool *day);

typedef struct item_result {
	size_t         item;        /* index into ledger.items */
	enum exclusion why;
	int            weight;      /* toward the quota: 0 when excluded */
	long           late_minutes;/* > 0: urgent item reported late (Art 13):
					 * the whole delay, submitted - event, in minutes
					 * (see score_late_minutes) */
	tenths         quality;     /* points credited this quarter (all adoptions) */
	bool           late_day;    /* a time was a day only: late_minutes is
					 * the least delay the ledger proves */
} item_result_t;

typedef struct credit {
	size_t adoption;            /* index into ledger.adoptions (this quarter) */
	tenths before;              /* the item's running maximum before it */
	tenths credited;            /* how much it raised the maximum (>= 0) */
} credit_t;

typedef struct unit_result {
	size_t unit;                /* index into registry.units */
	int    submitted, counted, effective;
	bool   met_quota;
	tenths base, quality, total;
	int    rank;                /* within the group, 1-based, ties shared */
} unit_result_t;

typedef struct results {
	tb_quarter     quarter;
	unit_result_t *units;   size_t nunits;    /* registry order */
	size_t        *order;                     /* output order: group, rank, registry */
	item_result_t *items;   size_t nitems;    /* the quarter's items, ledger order */
	credit_t      *credits; size_t ncredits;  /* the quarter's adoptions, date order */
} results_t;

int  score_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, tb_quarter q, results_t *out);
void results_free(results_t *r);

/* Ranks values within groups: equal values share a rank (1, 2, 2, 4).
 * group[i] and value[i] for n entries in registry order; fills rank[i]. */
void rank_within_groups(const size_t *group, const tenths *value, size_t n,
    int *rank);

/* ---- the year (Art 15) ------------------------------------------------- */

typedef struct annual_row {
	size_t unit;               /* index into the year-end registry */
	tenths q[4], total;
	int    rank;
	bool   honour;
} annual_row_t;

typedef struct worker_row {
	char  *author;
	size_t unit;
	int    items;
	tenths quality;
	int    rank;
	bool   honour;
} worker_row_t;

typedef struct annual {
	int           year;
	annual_row_t *units;   size_t nunits;   /* registry order */
	size_t       *order;                    /* group, rank, registry */
	worker_row_t *workers; size_t nworkers; /* output order */
} annual_t;

/* Sums four quarter results scored against `reg` (the year-end registry):
 * results[k] may be NULL for a quarter with no data.  `leds[k]` is the ledger
 * used for quarter k (for authors). */
int  score_year(const registry_t *reg, const rules_t *rules, int year,
    const results_t *const res[4], const ledger_t *const leds[4],
    const registry_t *const regs[4], annual_t *out);
void annual_free(annual_t *a);

/* "12", "12.5", "-3" : a whole number without decimals, otherwise one. */
void tenths_format(tenths t, char *buf, size_t n);

#endif
