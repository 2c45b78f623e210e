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

/*
 * Builds the quarterly notice.  settings_file may be NULL or name a file
 * that does not exist (then defaults apply: no document number, issue date
 * = the 5th of the month after the quarter).  Returns the doc (caller frees
 * with doc_free) or NULL after adding errors to dl.
 */
doc_t *notice_quarter(const registry_t *reg, const rules_t *rules,
    const ledger_t *led, const results_t *res, const char *templates_dir,
    const char *settings_file, diag_list_t *dl);

/* The annual notice (Art 15): year totals, ranking, proposed honours. */
doc_t *notice_year(const registry_t *reg, const rules_t *rules,
    const annual_t *ann, const char *templates_dir, const char *settings_file,
    diag_list_t *dl);

#endif
