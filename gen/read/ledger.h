/*
 * ledger.h - a data folder's quarter ledgers into the model: finds each
 * quarter's submissions/adoptions/directives file (.csv or .xml, never
 * both), reads it into a table_t, maps the columns by Chinese name or
 * English alias, and validates every field (SPEC 3.3), collecting every
 * error and warning with its FILE:LINE.
 */
#ifndef TB_LEDGER_H
#define TB_LEDGER_H

#include "model.h"
#include "diag.h"
#include "csvread.h"
#include "frame.h"

typedef struct ledger_opts {
	enum csv_encoding encoding;   /* ENC_AUTO unless forced by --encoding */
	const char *schema_dir;       /* for ledger.xsd */
} ledger_opts_t;

/*
 * Loads every quarter folder DATA/YYYYQn with n <= upto, oldest first (the
 * adoptions of earlier quarters decide what an adoption is still worth,
 * SPEC 2.1), validating each with the registry and rules in force for
 * `upto`.  Warnings (Art 3 lengths, Art 13 late urgent items) are reported
 * for the quarter `upto` only.  Returns 0, or -1 when dl holds errors.
 */
int  ledger_load(const char *data_dir, tb_quarter upto, const registry_t *reg,
    const rules_t *rules, const ledger_opts_t *opts, ledger_t *out,
    diag_list_t *dl);
void ledger_free(ledger_t *l);

/* The ledgers of a quarter folder, in the order they are read. */
enum ledger_kind { LG_SUB, LG_ADOPT, LG_DIR, LG_N };
/* Ledger k's file stem ("submissions") and columns (*n of them). */
const char        *ledger_name(enum ledger_kind k);
const frame_col_t *ledger_columns(enum ledger_kind k, size_t *n);
/* Is column c of ledger k a time (报送时间, 事发时间, 采用时间, 下达时间)? */
bool               ledger_column_is_time(enum ledger_kind k, size_t c);

/* What --help says about the ledgers: every column with its alias, what
 * is required, the time forms, the placeholders (from the same tables
 * the reader uses).  Caller frees. */
char *ledger_help(void);

/* Lists the quarters that have a folder in data_dir, ascending; caller frees. */
int  ledger_quarters(const char *data_dir, tb_quarter **out, size_t *n);

#endif
