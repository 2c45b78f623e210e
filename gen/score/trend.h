/*
 * trend.h - a quarter against the year so far (SPEC 5): each unit's year to
 * date (累计得分), its change on the previous quarter of the year and its
 * change of rank, and the quarter's tallies by kind and by carrier beside
 * the previous quarter's.  Part of the scoring stage: every figure is a sum
 * or a difference of score_quarter() results, so the notice, the unit
 * statements and scores.csv print the same numbers.
 *
 * Each earlier quarter is given as it was scored on its own (its own
 * registry, rules and ledger, as its own run published it), and units are
 * matched across quarters by their registry id, as score_year() does.  A
 * figure the data cannot give is marked unknown, never 0: the change of a
 * unit that was not evaluated in the previous quarter, the change of rank
 * of a unit that changed group, anything about the previous quarter in Q1.
 */
#ifndef TB_TREND_H
#define TB_TREND_H

#include "model.h"
#include "score.h"

/* One quarter as its own run scored it. */
typedef struct scored_quarter {
	const registry_t *reg;
	const rules_t    *rules;
	const ledger_t   *led;
	const results_t  *res;
} scored_quarter_t;

typedef struct unit_trend {
	tenths ytd;            /* this year's quarters so far, this one included */
	bool   has_prev;       /* evaluated in the previous quarter of the year */
	tenths change;         /* total - the previous quarter's total */
	bool   has_rank_change;/* ... and in the same group there */
	int    rank_change;    /* previous rank - rank: > 0 climbed */
} unit_trend_t;

/* A quarter's items and adoptions of evaluated units, by the kinds and
 * carriers of the quarter being reported (a previous quarter's are matched
 * by name; one the current rules do not know is left out of the per-name
 * rows but kept in the totals). */
typedef struct tally {
	long    received, counted;
	long    adopted;
	long   *kind_received;     /* per rules.kinds */
	long   *kind_counted;
	long   *carrier_adopted;   /* per rules.carriers */
} tally_t;

typedef struct trend {
	unit_trend_t *units;   size_t nunits;   /* as results.units (registry order) */
	bool          has_prev;                 /* Q2..Q4: `before` holds the previous quarter */
	tally_t       now, before;
} trend_t;

/*
 * The trend of quarter `cur` given the year's earlier quarters, in order:
 * earlier[0] is Q1 ... earlier[n-1] the quarter just before `cur` (n is the
 * quarter's number - 1; 0 for Q1).  Fills *out (free with trend_free).
 */
void trend_quarter(const scored_quarter_t *cur,
    const scored_quarter_t *earlier, size_t n, trend_t *out);
void trend_free(trend_t *t);

/*
 * The adoptions of the quarter credited to evaluated units, in the order
 * the notice's 采用情况 and adoptions.csv list them: unit by unit in the
 * order of scores.csv, then the carrier's points (highest first), then the
 * adoption's date, then ledger order.  *order receives indexes into
 * res->credits (caller frees); returns their number.
 */
size_t trend_adoptions(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, size_t **order);

/* The annual rank change: rank_change[u] for each unit u of `ann` (year-end
 * registry reg) = its rank in `prev` (scored against prev_reg) - its rank
 * now, when it was ranked in the same group; known[u] says whether it was. */
void trend_year_ranks(const registry_t *reg, const annual_t *ann,
    const registry_t *prev_reg, const annual_t *prev, int *rank_change,
    bool *known);

#endif
