/*
 * cells.h - one ledger cell read as a careful clerk would (SPEC 3.4): a
 * placeholder for "none" (无, /, —), a 字数 written 1,200 or 约1200字, an
 * author list with names padded to three characters (王　伟).  Pure
 * functions on strings; the ledger stage (ledger.c) says what follows from
 * each reading and reports the cell.  Times are tbtime.c's.
 */
#ifndef TB_CELLS_H
#define TB_CELLS_H

#include <stdbool.h>

/* The placeholders for "none", as SPEC 3.4 lists them (for --help). */
extern const char cell_placeholders[];

/* Is s a placeholder for "none" (无, 没有, 空, 暂无, 未签发, 未签, 否, /, \,
 * -, —, ——, ×, x, N/A, NULL), in any width and letter case? */
bool cell_is_placeholder(const char *s);

enum cell_read { CELL_OK, CELL_EMPTY, CELL_BAD, CELL_TOO_LARGE };

/*
 * A 字数: 1200, 1,200, 1，200, 1 200, 1200字, 约1200, full-width digits.
 * Thousands separators must group by three.  Empty or a placeholder is
 * CELL_EMPTY (not stated); *out is set for CELL_OK only.
 */
enum cell_read cell_chars(const char *s, int *out);

/*
 * An author list: names separated by 、，,;；/ or spaces, where a space
 * inside a two-character name padded to three (王　伟) is padding.  Sets
 * *out to the names joined by 、 (each once, in order; "" for none;
 * caller frees) and returns CELL_OK, or CELL_BAD when spaces leave it
 * unclear where names end (王 伟 李 明); *out is then NULL.
 */
enum cell_read cell_authors(const char *s, char **out);

#endif
