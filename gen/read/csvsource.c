/*
 * csvsource.c - where the CSV reader's bytes come from: a file read with
 * read() in pieces of about a MiB, or text in memory sliced the same way,
 * each piece ending just after a line end (LF, CRLF or a lone CR), so no
 * character of UTF-8 or GB18030 and no CRLF is ever split, and a line may
 * not be longer than LINE_MAX_.  A file that grows past TB_INPUT_MAX or
 * cannot be read says so in the source (err, too_big, too_long), and the
 * reader reports it.  Part of the CSV reader (csvread_int.h).
 */
#define _GNU_SOURCE                 /* memrchr */
#include "csvread_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Starts a pass from the first byte.  Returns 0 or -1 (err set). */
int
cr_src_rewind(source_t *s)
{
	s->off = s->have = s->cut = 0;
	s->eof = false;
	s->err = 0;
	s->too_long = s->too_big = false;
	if (s->mem == NULL && lseek(s->fd, 0, SEEK_SET) != 0) {
		s->err = errno;
		return -1;
	}
	return 0;
}

/* Where a piece of p[0..n) may end: just after its last line end, or 0.
 * A CR as the last byte may be half a CRLF: not there unless at_end. */
static size_t
last_line_end(const char *p, size_t n, bool at_end)
{
	const char *lf = memrchr(p, '\n', n), *cr;
	size_t from = lf != NULL ? (size_t)(lf + 1 - p) : 0;

	/* a lone CR after the last LF ends a line too */
	cr = memrchr(p + from, '\r', n - from);
	if (cr != NULL && (cr + 1 < p + n || at_end))
		return (size_t)(cr + 1 - p);
	return from;
}

/*
 * Where the piece starting at b ends, of the `have` bytes there (eof: they
 * are the rest of the text): after the last line end in its first PIECE
 * bytes, else after the first line end past them, else at the end of the
 * text.  The rule looks only at the bytes, never at how they were read, so
 * every pass over the same bytes cuts the same pieces.  Returns 0 when more
 * bytes are needed to say, or (size_t)-1 for a line longer than LINE_MAX_.
 */
static size_t
cut_at(const char *b, size_t have, bool eof)
{
	size_t lim = have < PIECE ? have : PIECE, end;
	const char *q, *stop = b + have;

	if (eof && have <= PIECE)
		return have;
	if (!eof && have < PIECE)
		return 0;
	if ((end = last_line_end(b, lim, eof && lim == have)) > 0)
		return end;
	/* a long line, which starts at b (a piece ends at a line end): the
	 * first line end past the first PIECE bytes (a CR at their end
	 * included), at most LINE_MAX_ bytes from b */
	for (q = b + lim - 1; q < stop && *q != '\n' && *q != '\r'; q++)
		;
	if (q < stop && *q == '\r' && q + 1 == stop && !eof)
		return 0;               /* a CRLF, or a lone CR? */
	if (q < stop)
		end = (size_t)(q + 1 - b) + (*q == '\r' && q + 1 < stop &&
		    q[1] == '\n');
	else if (eof)
		end = have;
	else
		return have > LINE_MAX_ ? (size_t)-1 : 0;
	return end > LINE_MAX_ + 2 ? (size_t)-1 : end;
}

/* Reads into s->buf until it holds at least `want` bytes or the file ends.
 * Returns 0 or -1 (s->err set). */
static int
src_fill(source_t *s, size_t want)
{
	if (want > s->cap) {
		s->cap = want;
		s->buf = xrealloc(s->buf, s->cap);
	}
	while (!s->eof && s->have < want) {
		ssize_t r = read(s->fd, s->buf + s->have, s->cap - s->have);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			s->err = errno;
			return -1;
		}
		if (r == 0)
			s->eof = true;
		s->have += (size_t)r;
	}
	return 0;
}

/*
 * The next piece of the pass: *p and *n.  Returns true, or false at the
 * end of the text or after an error (s->err, s->too_long, s->too_big).
 */
bool
cr_src_next(source_t *s, const char **p, size_t *n)
{
	size_t end;

	if (s->mem != NULL) {
		if (s->off == s->memlen)
			return false;
		end = cut_at(s->mem + s->off, s->memlen - s->off, true);
		if (end == (size_t)-1) {
			s->too_long = true;
			return false;
		}
		*p = s->mem + s->off;
		*n = end;
		s->off += end;
		return true;
	}
	/* the file: drop what was handed, read up to a piece, cut */
	memmove(s->buf, s->buf + s->cut, s->have - s->cut);
	s->have -= s->cut;
	s->cut = 0;
	if (src_fill(s, PIECE) != 0)
		return false;
	if (s->have == 0)
		return false;
	while ((end = cut_at(s->buf, s->have, s->eof)) == 0) {
		/* a long line: read on, twice as much each time */
		if (src_fill(s, s->have * 2 + 1) != 0)
			return false;
	}
	if (end == (size_t)-1) {
		s->too_long = true;
		return false;
	}
	if (s->off + end > (size_t)TB_INPUT_MAX) {
		s->too_big = true;
		return false;
	}
	s->cut = end;
	s->off += end;
	*p = s->buf;
	*n = end;
	return true;
}
