/*
 * notice.h - the 通报 as a document model: numbers from the results (score.c),
 * wording from templates/notice.xml (so the office edits text without a
 * rebuild), per-quarter settings (document number, issue date, recipients,
 * copy-to list, an extra paragraph) from the optional DATA/YYYYQn/notice.xml.
 */
#ifndef TB_NOTICE_H
#define TB_NOTICE_H

#include "model.h"
#include "score.h"
#include "doc.h"
#include "diag.h"
#include "followup.h"
#include "trend.h"

/*
 * Builds the quarterly notice.  fu holds the quarter's follow-ups
 * (followup_quarter: computed once by the caller, who writes
 * followups.csv and the statements from the same), tr the trend (NULL:
 * the quarter on its own).  settings_file may be NULL or name a file
 * that does not exist (then defaults apply: no document number, issue date
 * = the 5th of the month after the quarter).  Returns the doc (caller frees
 * with doc_free; it keeps no pointer into fu) or NULL after adding errors
 * to dl.
 */
doc_t *notice_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, const trend_t *tr,
    const followup_t *fu, const char *templates_dir,
    const char *settings_file, diag_list_t *dl);

/* The annual notice (Art 15): year totals, ranking, proposed honours.
 * rank_change and rank_known (per ann->units; both NULL when the previous
 * year has no data) give the change of rank on the previous year
 * (trend_year_ranks). */
doc_t *notice_year(const registry_t *reg, const rules_t *rules,
    const annual_t *ann, const int *rank_change, const bool *rank_known,
    const char *templates_dir, const char *settings_file, diag_list_t *dl);

/* The draft 表彰决定 of the year's honours (Art 15; SPEC 5): the units and
 * authors that annual.csv and workers.csv mark honour 1, with their
 * figures; GB/T 9704 form with a blank for the document number.  Wording
 * from the <honours> section of templates/notice.xml; dates and 版记 from
 * the year's settings, as the annual notice. */
doc_t *notice_honours(const registry_t *reg, const rules_t *rules,
    const annual_t *ann, const char *templates_dir, const char *settings_file,
    diag_list_t *dl);

#endif
