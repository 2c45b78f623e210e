/*
 * csvread.h - CSV ledger files (RFC 4180, as Excel on Chinese Windows saves
 * them) into a table_t.  Uses libcsv for the quoting rules; handles the BOM,
 * CRLF/LF, and the encoding: UTF-8 first, then GB18030 through iconv (GBK is
 * a subset of GB18030), unless forced.
 */
#ifndef TB_CSVREAD_H
#define TB_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include "table.h"
#include "diag.h"
#include "records.h"

enum csv_encoding { ENC_AUTO, ENC_UTF8, ENC_GB18030 };

/*
 * Parses data[0..len) read from `file`.  The first non-empty record is the
 * header.  Every row gets the line number of its first byte.  Records with
 * a different number of fields than the header are errors.  Invalid bytes
 * (for the encoding in use) are reported with their line.  Rows that are
 * entirely empty are skipped.  Returns 0 and fills *out, or -1 after adding
 * at least one error to dl (then *out is left empty and freed).
 * (Not named csv_parse: libcsv owns that name.)
 */
int csv_parse_table(const char *file, const char *data, size_t len,
    enum csv_encoding enc, table_t *out, diag_list_t *dl);
/* Reads the file as csv_stream_records() does into a table; an unreadable
 * file is an error. */
int csv_read_file(const char *file, enum csv_encoding enc, table_t *out,
    diag_list_t *dl);

/*
 * Reads `file` as csv_read_file() does, with the same checks and messages,
 * but hands each record (records.h) to sink instead of keeping a table,
 * and keeps only a small window of the file in memory: a ledger of a
 * million items is read a piece of about a MiB at a time (a regular file
 * of at most TB_INPUT_MAX bytes; one that changes while it is read is an
 * error).  No header is taken: the frame (frame.h) finds it.  Records stop
 * at the first error in the file (the reader then only looks for further
 * errors) or when the sink says so.  Returns 0, or -1 after adding at
 * least one error to dl.
 */
int csv_stream_records(const char *file, enum csv_encoding enc,
    const rec_sink_t *sink, diag_list_t *dl);
/* The same for data[0..len) read from `file`. */
int csv_parse_records(const char *file, const char *data, size_t len,
    enum csv_encoding enc, const rec_sink_t *sink, diag_list_t *dl);

/* For tests: false makes libcsv parse every line (no fast path for lines
 * without quotes); the results must not differ. */
void csv_set_fast_path(bool on);

#endif
