/*
 * csvwrite.h - writing CSV fields, for every CSV output (export.c,
 * followup.c): RFC 4180 quoting exactly as csvread.c reads it back, and
 * texts defused against CSV injection.  Any stage that writes CSV may
 * include it; it needs only buf_t (util.h).
 */
#ifndef TB_CSVWRITE_H
#define TB_CSVWRITE_H

/* Appends one field quoted as RFC 4180 requires (only when needed): what
 * the reader gives back exactly. */
struct buf;
void csv_put_field(struct buf *b, const char *s);
/* The same for a text of an output that spreadsheets open (names, ids,
 * titles, authors): one starting with = + - @, a tab or a CR, which a
 * spreadsheet would run as a formula, is written '=... and quoted, as
 * OWASP recommends against CSV injection. */
void csv_put_text(struct buf *b, const char *s);

#endif
