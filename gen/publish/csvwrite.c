/*
 * csvwrite.c - the fields of every CSV file the program writes (see
 * csvwrite.h): scores.csv, adoptions.csv, items.csv, followups.csv,
 * annual.csv, workers.csv.  Quoting is what RFC 4180 and libcsv's reader
 * (csvread.c) agree on, so that what is written reads back exactly;
 * texts that a spreadsheet would run as formulas are defused.  A dozen
 * lines that no library offers on their own (libcsv's csv_write() quotes
 * every field, which would change every published byte).
 */
#include "csvwrite.h"
#include "util.h"

#include <stdbool.h>
#include <string.h>

/* True when s must be quoted to survive a round trip through libcsv. */
static bool
needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/*
 * CSV injection (OWASP): a spreadsheet opening the file would take a cell
 * starting with = + - @, a tab or a CR as a formula (=HYPERLINK(...),
 * =cmd|...).  Such a text is written with a ' before it, and quoted: the
 * consumer reads '=HYPERLINK(...) (README, "Outputs").
 */
static bool
formula_like(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r';
}

/* s quoted (RFC 4180: inner quotes doubled), after `lead` inside the quotes. */
static void
put_quoted(struct buf *b, const char *lead, const char *s)
{
	const char *q;

	buf_putc(b, '"');
	buf_puts(b, lead);
	while ((q = strchr(s, '"')) != NULL) {
		buf_add(b, s, (size_t)(q - s + 1));
		buf_putc(b, '"');
		s = q + 1;
	}
	buf_puts(b, s);
	buf_putc(b, '"');
}

void
csv_put_text(struct buf *b, const char *s)
{
	if (s == NULL || !formula_like(s))
		csv_put_field(b, s);
	else
		put_quoted(b, "'", s);
}

void
csv_put_field(struct buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	if (needs_quotes(s))
		put_quoted(b, "", s);
	else
		buf_puts(b, s);
}
