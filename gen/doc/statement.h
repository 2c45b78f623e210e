/*
 * statement.h - the score statement of one unit for one quarter (Art 14:
 * 考评结果同时抄送各单位(部门)主要负责人), as a document model (doc.h) that
 * the PDF backend renders like the notice: OUT/YYYYQn/units/ID.pdf, and all
 * of them in OUT/YYYYQn/units.pdf.
 *
 * Every figure comes from the results (score.c): the unit's row of
 * scores.csv, each item of the quarter with its weight and exclusion, each
 * credit of the quarter with the item's maximum before it.  The tables add
 * up to the row: counted weights = effective, credited points = quality,
 * base + quality = total.  Every word comes from templates/statement.xml.
 */
#ifndef TB_STATEMENT_H
#define TB_STATEMENT_H

#include "model.h"
#include "score.h"
#include "doc.h"
#include "diag.h"
#include "followup.h"
#include "trend.h"

/* The wording, loaded and checked once, reused for every unit. */
typedef struct statement_tpl statement_tpl_t;

/*
 * Loads templates_dir/statement.xml (schema templates_dir/schema/
 * statement.xsd) and checks its keys and placeholders.  Returns the
 * template (free with statement_tpl_free) or NULL after adding errors to dl.
 */
statement_tpl_t *statement_tpl_load(const char *templates_dir,
    diag_list_t *dl);
void statement_tpl_free(statement_tpl_t *t);

/* What a statement is made from.  `notice` may be NULL; when given (the
 * quarter's notice, notice_quarter()), its date and signature are used so
 * that statements and notice agree.  `fu` may be NULL (no section on
 * directives); when given (followup_quarter() of the same quarter), the
 * statement lists the unit's follow-up obligations of the quarter. */
typedef struct statement_in {
	const registry_t *reg;
	const rules_t    *rules;
	const ledger_t   *led;
	const results_t  *res;     /* score_quarter() of reg, rules, led */
	const trend_t    *tr;      /* the year so far (trend_quarter), or NULL */
	const doc_t      *notice;
	const followup_t *fu;
} statement_in_t;

/*
 * The statement of unit `unit` (index into reg->units).  The document has
 * no 版头 (issuer, doc_number, doc_number_blank NULL) and no 版记 (cc,
 * printer, print_date NULL): a title, 主送 the unit's head, the body,
 * signature and date.  Returns the doc (caller frees with doc_free); NULL
 * only for a unit index out of range (after adding an error to dl).
 */
doc_t *statement_unit(const statement_tpl_t *t, const statement_in_t *in,
    size_t unit, diag_list_t *dl);

/*
 * The statements of every unit, in registry order: *docs receives an array
 * of reg->nunits documents (free with statement_docs_free).  Scans the
 * ledger once, so 120 statements cost about one.  Returns 0, or -1 after
 * adding an error to dl.
 */
int  statement_all(const statement_tpl_t *t, const statement_in_t *in,
    doc_t ***docs, size_t *n, diag_list_t *dl);
void statement_docs_free(doc_t **docs, size_t n);

#endif
