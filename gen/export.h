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

void export_scores(const registry_t *reg, const results_t *res, buf_t *out);
void export_annual(const registry_t *reg, const annual_t *ann, buf_t *out);
void export_workers(const registry_t *reg, const annual_t *ann, buf_t *out);

#endif
