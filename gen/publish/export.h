/*
 * export.h - the machine-readable outputs of SPEC 4: scores.csv for a
 * quarter, annual.csv and workers.csv for a year.  UTF-8 without BOM, LF
 * line ends, RFC 4180 quoting where a field needs it.  Bytes only; publish.c
 * writes them.
 */
#ifndef TB_EXPORT_H
#define TB_EXPORT_H

#include "model.h"
#include "score.h"
#include "util.h"
#include "trend.h"

/* scores.csv: SPEC 4's columns, then ytd, change and rank_change (SPEC 5;
 * change and rank_change empty when there is nothing to compare with). */
void export_scores(const registry_t *reg, const results_t *res,
    const trend_t *tr, buf_t *out);
/* adoptions.csv beside the notice: every adoption of the quarter as the
 * notice's 采用情况 lists it (trend_adoptions): the carrier's points and
 * the points the adoption brought this quarter. */
void export_adoptions(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, buf_t *out);
/* items.csv beside the notice: every item of the quarter, in ledger order,
 * with its kind's weight, the weight counted toward the quota (0 when not
 * counted), why it was not counted, and how many minutes after the event
 * an urgent item was reported when that is late (Art 13; empty
 * otherwise).  The full list behind the notice's and the statements'
 * capped ones (README, "Giant quarters"). */
void export_items(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, buf_t *out);
void export_annual(const registry_t *reg, const annual_t *ann, buf_t *out);
void export_workers(const registry_t *reg, const annual_t *ann, buf_t *out);

#endif
