/*
 * statement_int.h - the statement builder's own header: only statement.c
 * and statement_tables.c include it; the rest of the program sees
 * statement.h.  The template, one statement being built (sb_t), the
 * phrases said for it and its four sections:
 *   statement.c         the wording (templates/statement.xml, its keys), the
 *                       phrases said, front and back matter, the entry points
 *   statement_tables.c  the sections: the score, the items, the adoptions
 *                       with their remarks, the follow-ups
 */
#ifndef TB_STATEMENT_INT_H
#define TB_STATEMENT_INT_H

#include "statement.h"
#include "phrases.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>

struct statement_tpl {
	phrasebook_t *pb;
	char         *signature;
	char         *author;
};

/* How many placeholders every phrase may use: the name, value pairs of
 * sb_t.cv. */
enum { NCOMMON = 6 };

/* The columns of the four tables (the lengths of the cols_* lists). */
enum { NCOLS_SCORE = 8, NCOLS_ITEMS = 6, NCOLS_ADOPT = 7, NCOLS_FOLLOW = 6 };

/* One statement being built. */
typedef struct sb {
	const statement_tpl_t *t;
	const statement_in_t  *in;
	size_t                 unit;
	char                   year[16], quarter[16];
	const char            *quarter_cn, *unit_name, *group_name;
	char                  *date_cn;
	const char            *cv[2 * NCOMMON];  /* the common placeholders */
	doc_t                 *doc;
} sb_t;

/*
 * The phrase `key` with its placeholders filled: the variable arguments are
 * name, value pairs ended by NULL.  Newly allocated ("" for a missing key,
 * which the checks at load time rule out).
 */
char *st_say(const sb_t *b, const char *key, ...);
/* Phrase `key` as a heading of the body. */
void st_add_heading(sb_t *b, const char *key);
/* text (owned, freed here) as a paragraph of the body. */
void st_add_para_owned(sb_t *b, char *text);
/* A table with the column heads of list `cols`, added to the body. */
doc_table_t *st_table_from(sb_t *b, const char *cols,
    const enum doc_align *align, const unsigned *weight);
/* The name of quarter q (1..4) from quarter_names, "" when out of range. */
const char *st_quarter_name(const statement_tpl_t *t, int q);

/* The sections, in statement_tables.c.  一、考评得分: the sentence and the
 * unit's row of scores.csv. */
void st_section_result(sb_t *b, size_t nadoptions);
/* 二、报送信息明细: items[0..n) index res->items (the unit's, ledger order). */
void st_section_items(sb_t *b, const size_t *items, size_t n);
/* 三、信息采用情况: credits[0..n) index res->credits (the unit's). */
void st_section_adoptions(sb_t *b, const size_t *credits, size_t n);
/* 四、督办事项落实情况 (Art 4); nothing without follow-ups (in->fu NULL). */
void st_section_followups(sb_t *b);

#endif
