/*
 * ledger_int.h - the ledger loader's own header: only ledger.c,
 * ledger_fields.c, ledger_sub.c and ledger_adopt.c include it; the rest
 * of the program sees ledger.h.  The columns of each ledger, the loader's
 * state (struct loader) and what the four files share:
 *   ledger.c        the lookups (items by id, units, kinds), reading one
 *                   file of any form, the folders and ledger_load()
 *   ledger_fields.c hidden characters and times, in any ledger's fields
 *   ledger_sub.c    the submissions ledger, streamed row by row
 *   ledger_adopt.c  the adoptions and directives ledgers, and the links
 *                   of submissions to directives
 */
#ifndef TB_LEDGER_INT_H
#define TB_LEDGER_INT_H

#include "ledger.h"
#include "cells.h"
#include "config.h"
#include "csvread.h"
#include "followup.h"
#include "frame.h"
#include "score.h"
#include "table.h"
#include "text.h"
#include "util.h"
#include "xlsxread.h"
#include "xmlread.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ledgers' columns (SPEC 3.4), in ledger.c: their Chinese names,
 * English aliases, whether required, the templates' notes. */
/* Required as SPEC 3.4 says; 事发时间 and 督办编号 are required in some
 * files only (sub_header, sub_end). */
enum { S_ID, S_UNIT, S_TITLE, S_TYPE, S_CHARS, S_SUBMITTED, S_EVENT,
       S_CHANNEL, S_APPROVER, S_AUTHORS, S_DIRECTIVE, S_NCOLS };
extern const frame_col_t lg_sub_cols[S_NCOLS];

enum { A_ITEM, A_CARRIER, A_DATE, A_NOTE, A_NCOLS };
extern const frame_col_t lg_adopt_cols[A_NCOLS];

enum { D_ID, D_TITLE, D_ISSUED, D_UNITS, D_LONG, D_NCOLS };
extern const frame_col_t lg_dir_cols[D_NCOLS];

/* The forms a ledger file comes in (SPEC 3.1, 3.5), by extension. */
enum form { FORM_CSV, FORM_XML, FORM_XLSX, FORM_N };

struct loader {
	const char         *data_dir;
	tb_quarter          upto;
	const registry_t   *reg;
	const rules_t      *rules;
	const ledger_opts_t *opts;
	ledger_t           *led;
	diag_list_t        *dl;
	strmap_t            units;    /* name_key of id, name, alias -> unit */
	strmap_t            seen;     /* field as written -> lookup result (cache) */
	uint64_t           *ids;      /* item id -> index: see item_slot() */
	size_t              nids, capids;
	strmap_t            dirs;     /* directive id -> index */
	strmap_t            pooled;   /* strings kept once in led->strings */
	strvec_t            chan_unknown; /* see read_channel() */
	char              **authors;      /* see read_authors(): pooled */
	size_t              nauthors, capauthors;
	bool                items_short;  /* a submissions file was refused */
	bool                dirs_short;   /* a directives file was refused */
};

/* A row's fields: f[c] for column c of the table. */
typedef const char *const *row_f;

/* "G17: " naming the cell of column k in a workbook, "" otherwise. */
struct cellname { char s[24]; };

/* ledger.c: the loader's lookups, one file, the folders */
bool lg_find_item(const struct loader *L, const char *id, size_t *item);
bool lg_add_item_id(struct loader *L, size_t i, size_t *prev);
char *lg_pooled(struct loader *L, const char *s);
const char *lg_field(row_f f, const long *idx, int k);
const char *lg_field_or_none(row_f f, const long *idx, int k);
struct cellname lg_cell_of(const table_t *t, const long *idx, int k,
    long line);
size_t lg_find_unit(struct loader *L, const char *name);
size_t lg_cached(struct loader *L, char what, const char *field);
char *lg_nearest_units(const registry_t *reg, const char *name);
char *lg_kind_names(const rules_t *r);
int lg_read_ledger(struct loader *L, const char *file, enum form form,
    const frame_col_t *cols, size_t ncols, const frame_sink_t *sink,
    table_t *t, long *idx);

/* ledger_fields.c: hidden characters, times */
bool lg_hidden_instead(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, int k, long line, const char *s);
bool lg_hidden_in_row(struct loader *L, const table_t *t, const long *idx,
    const frame_col_t *cols, size_t ncols, unsigned long mask, row_f f,
    long line);
char *lg_strip_hidden(struct loader *L, const table_t *t,
    const frame_col_t *cols, int k, long line, const char *s,
    const char *what);
int lg_parse_time(struct loader *L, const table_t *t, const long *idx,
    long line, const frame_col_t *cols, int k, const char *s, tb_time *out,
    bool *date_only);
int lg_check_in_quarter(struct loader *L, const table_t *t, const long *idx,
    long line, const frame_col_t *cols, int k, tb_time when, tb_quarter q);

/* ledger_sub.c: submissions */
void lg_load_submissions(struct loader *L, const char *file, enum form form,
    tb_quarter q, const char *dirs_here, const char *dirs_before);

/* ledger_adopt.c: adoptions and directives */
void lg_load_adoptions(struct loader *L, const table_t *t, const long *idx,
    tb_quarter q, const char *file);
void lg_load_directives(struct loader *L, const table_t *t, const long *idx,
    tb_quarter q, const char *file);
void lg_check_directive_links(struct loader *L);

#endif
