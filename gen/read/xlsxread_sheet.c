/*
 * xlsxread_sheet.c - the first sheet as records, for the .xlsx reader
 * (xlsxread_int.h): the parser's handlers gather each <row>, the rows go
 * over in batches from the parser's thread to the calling one, which
 * reads their cells (numbers, dates, shared strings, references) into
 * fields and hands each row to the sink.
 */
#include "xlsxread_int.h"
#include "table.h"
#include "tbtime.h"
#include "xmlread.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

/* A row being read, by column: a cell's text is a string it points to (a
 * shared string, the sheet's own text, TRUE) or, for numbers, made in
 * one buffer. */
struct row {
	long    line;
	buf_t   text;
	struct fld {
		size_t      off;    /* offset + 1 in text; 0: empty; SIZE_MAX: at */
		const char *at;
	}      *off;
	size_t  ncols, capcols;
	const char **fp;
	size_t  capfp;
};

/* Column and row of a reference "G17" (A = 0); false when it is none. */
static bool
cell_ref(const char *ref, long *col, long *row)
{
	long c = 0, n = 0;
	const char *s = ref;

	while (*s >= 'A' && *s <= 'Z') {
		c = c * 26 + (*s++ - 'A' + 1);
		if (c > 16384)
			return false;
	}
	if (s == ref || *s < '1' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (*s++ - '0');
		if (n > 1048576)
			return false;
	}
	if (*s != '\0')
		return false;
	*col = c - 1;
	*row = n;
	return true;
}

/* A number cell's value as a ledger reads it: a date-styled cell as its
 * time, another as the number's plain text. */
static void
number_text(struct xl *x, const char *v, bool date, long col, long line,
    buf_t *b)
{
	char *end = NULL, tmp[40], ref[24];
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !isfinite(d)) {
		cell_name(col, line, ref, sizeof ref);
		xr_error(x, 0, "%s: the number cell holds \"%s\", which is no "
		    "number", ref, v);
		return;
	}
	if (date) {
		tb_time t;
		bool day;

		if (!tb_time_from_serial(d, x->date1904, &t, &day)) {
			cell_name(col, line, ref, sizeof ref);
			xr_error(x, 0, "%s: the date cell holds %s, which is no "
			    "date from 1900 to 9999", ref, v);
			return;
		}
		if (day)
			tb_day_format(tb_day(t), tmp, sizeof tmp);
		else
			tb_time_format(t, tmp, sizeof tmp);
		buf_puts(b, tmp);
		return;
	}
	/* Excel keeps 1200 as "1200"; a whole number in another form (1.2E3)
	 * is written plainly, anything else as stored */
	if (d == floor(d) && fabs(d) < 1e15) {
		/* what "%.0f" writes, without printf (-0 stays "-0") */
		long long n = (long long)d;
		unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n :
		    (unsigned long long)n;
		char *e = tmp + sizeof tmp, *c = e;

		do
			*--c = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (n < 0 || signbit(d))
			*--c = '-';
		xr_put(b, c, (size_t)(e - c));
	} else {
		buf_puts(b, v);
	}
}

/* One <c> of a row as the sheet has it: offsets in the row's raw buffer
 * of its attributes r, t and s (SIZE_MAX: none) and of its text. */
struct raw_cell {
	size_t ref, type, style, v;
};

/* A gathered row: offsets in its batch of its attribute r (SIZE_MAX:
 * none) and its cells. */
struct raw_row {
	size_t r, cell0, ncells;
};

/* Rows gathered by the parser, handed on together.  Each in cache lines
 * of its own: the parser writes the one it fills at every element. */
struct batch {
	_Alignas(64) buf_t raw;     /* the rows' attributes and cell texts */
	struct raw_cell *cells;
	size_t           ncells, capcells;
	struct raw_row  *rows;
	size_t           nrows, caprows;
};

enum { NBATCH = 3, BATCH_BYTES = 256 * 1024, BATCH_ROWS = 2048 };

/*
 * The sheet being read: each <row> is gathered (its r and its cells'
 * attributes and texts), then read once it has ended, so that a row cut
 * short by broken XML is never read, as the reader's never was.  The
 * parser (with its inflater) runs on a thread of its own and hands the
 * rows on in batches, which this thread reads in order as they come and
 * gives back; when a row stops the reading (quit), the parser is told at
 * its next batch and what it read past that row is dropped.  Without a
 * thread each row is read as it ends, as before.  The reader's side, the
 * parser's and the hand-over are in cache lines of their own: each side
 * writes its fields for every row or element, and sharing a line with
 * the other thread's made both wait for it.
 */
struct sheet_state {
	const rec_sink_t *sink;
	struct xl        *x;
	struct row        row;
	long              last;
	bool              stopped;      /* the sink wants no more records */
	/* the parser's side */
	_Alignas(64) int  depth;        /* 0: outside a row, 1: in <row>, … */
	bool              in_cell;      /* a <c> of the row is open */
	bool              empty_data;   /* the last <sheetData> was <sheetData/> */
	struct item       it;
	struct raw_row    cur;          /* the row being gathered */
	struct batch     *b;            /* the batch being filled */
	/* the hand-over */
	_Alignas(64) bool threaded;
	pthread_mutex_t   mu;
	pthread_cond_t    cv;
	pthread_t         tid;
	struct batch      batches[NBATCH];
	struct batch     *full[NBATCH]; /* filled, in order: ftail .. fhead - 1 */
	unsigned          fhead, ftail;
	struct batch     *empty[NBATCH];
	unsigned          nempty;
	bool              finished;     /* the parser has ended */
};

/* strtoul(v, end, 10), without its locale and sign handling for what a
 * style or string index is: 1 to 9 digits (anything else goes to it). */
static unsigned long
index_of(const char *v, char **end)
{
	const char *s = v;
	unsigned long n = 0;

	while (*s >= '0' && *s <= '9' && s - v < 9)
		n = n * 10 + (unsigned long)(*s++ - '0');
	if (s == v || (*s >= '0' && *s <= '9'))
		return strtoul(v, end, 10);
	if (end != NULL)
		*end = (char *)(uintptr_t)s;
	return n;
}

/* Is v a whole number as "%.0f" writes it (0, or 1 to 15 digits without a
 * leading zero, so exact in a double)?  Then it is its own text. */
static bool
plain_whole(const char *v)
{
	size_t n = 0;

	if (v[0] == '0')
		return v[1] == '\0';
	while (v[n] >= '0' && v[n] <= '9')
		n++;
	return n > 0 && n <= 15 && v[n] == '\0';
}

/* One cell of the row: its text goes into the row at its column. */
static void
read_cell(struct xl *x, const char *raw, const struct raw_cell *rc,
    struct row *row, long *next_col)
{
	const char *ref = rc->ref != SIZE_MAX ? raw + rc->ref : NULL;
	const char *type = rc->type != SIZE_MAX ? raw + rc->type : NULL;
	const char *style = rc->style != SIZE_MAX ? raw + rc->style : NULL;
	const char *v = raw + rc->v;
	char refbuf[24];
	const char *at = NULL;
	long col = *next_col, line = row->line;
	size_t start;
	bool date = false;

	if (ref != NULL && (!cell_ref(ref, &col, &line) || line != row->line)) {
		xr_error(x, row->line, "the workbook is damaged: cell reference "
		    "\"%s\" in row %ld", ref, row->line);
		return;
	}
	if (col >= 16384) {             /* past Excel's last column, XFD */
		xr_error(x, row->line, "the workbook is damaged: row %ld has more "
		    "than 16384 cells", row->line);
		return;
	}
	if ((size_t)col >= row->capcols)
		xgrow(&row->off, &row->capcols, (size_t)col + 1,
		    sizeof *row->off);
	while (row->ncols <= (size_t)col)
		row->off[row->ncols++].off = 0;
	if (row->off[col].off != 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xr_error(x, row->line, "the workbook is damaged: cell %s appears "
		    "twice", refbuf);
		return;
	}
	*next_col = col + 1;
	start = row->text.len;
	if (type == NULL || strcmp(type, "n") == 0) {
		if (style != NULL) {
			unsigned long s = index_of(style, NULL);
			date = s < x->nxf && x->datexf[s];
		}
		if (v[0] != '\0' && !date && plain_whole(v))
			at = v;         /* what number_text would write */
		else if (v[0] != '\0')
			number_text(x, v, date, col, row->line, &row->text);
	} else if (strcmp(type, "s") == 0) {
		char *end = NULL;
		unsigned long i = index_of(v, &end);

		if (v[0] == '\0' || *end != '\0' || i >= x->nsst) {
			cell_name(col, row->line, refbuf, sizeof refbuf);
			xr_error(x, row->line, "%s: the workbook is damaged: shared "
			    "string %s does not exist", refbuf, v);
		} else {
			at = x->sst[i].s;
		}
	} else if (strcmp(type, "b") == 0) {
		at = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
	} else if (strcmp(type, "e") == 0) {
		cell_name(col, row->line, refbuf, sizeof refbuf);
		xr_error(x, row->line, "%s: the cell holds the Excel error %s: "
		    "correct it in the workbook", refbuf, v);
	} else {                /* str (a formula's text), inlineStr, d */
		at = v;         /* the row's raw text, kept until it is read */
	}
	if (at != NULL) {
		row->off[col].off = SIZE_MAX;
		row->off[col].at = at;
		return;
	}
	buf_putc(&row->text, '\0');
	row->off[col].off = start + 1;
}

/* Hands a finished row to the sink: field c is column c, "" when empty. */
static int
emit_row(struct row *row, const rec_sink_t *sink)
{
	if (row->ncols >= row->capfp)
		xgrow(&row->fp, &row->capfp, row->ncols + 1, sizeof *row->fp);
	for (size_t c = 0; c < row->ncols; c++) {
		size_t o = row->off[c].off;

		row->fp[c] = o == SIZE_MAX ? row->off[c].at :
		    o != 0 ? row->text.data + o - 1 : "";
	}
	return sink->record(sink->arg, row->fp, row->ncols, row->line);
}

/* A gathered row, read and handed on.  Returns false when the sheet
 * cannot be read on. */
static bool
read_row(struct xl *x, struct sheet_state *st, const struct batch *b,
    const struct raw_row *rr)
{
	const char *raw = b->raw.data;
	const char *n = rr->r != SIZE_MAX ? raw + rr->r : NULL;
	char *end = NULL;
	long line = n != NULL ? strtol(n, &end, 10) : st->last + 1, next_col = 0;
	struct row *row = &st->row;

	if (n != NULL && (*end != '\0' || line <= st->last || line > 1048576)) {
		xr_error(x, st->last + 1, "the workbook is damaged: row number "
		    "\"%s\" after row %ld", n, st->last);
		return false;
	}
	row->line = st->last = line;
	row->ncols = 0;
	row->text.len = 0;
	for (size_t i = 0; i < rr->ncells; i++)
		read_cell(x, raw, &b->cells[rr->cell0 + i], row, &next_col);
	/* after an error the rows are no longer handed on: the ledger would
	 * report what follows from it */
	if (!st->stopped && !x->failed)
		st->stopped = emit_row(row, st->sink) != 0;
	return true;
}

/* The rows of a batch, read in order; false when one stops the reading. */
static bool
read_batch(struct sheet_state *st, struct batch *b)
{
	bool go = true;

	for (size_t i = 0; go && i < b->nrows; i++)
		go = read_row(st->x, st, b, &b->rows[i]);
	b->raw.len = 0;
	b->ncells = b->nrows = 0;
	return go;
}

/* The parser's side: the batch being filled goes to the reader (or is read
 * here, without a thread), and an empty one takes its place.  Stops the
 * parser when the reader has stopped. */
static void
hand_over(struct sax *s, struct sheet_state *st)
{
	if (!st->threaded) {
		if (!read_batch(st, st->b))
			s->quit = s->stop = true;
		return;
	}
	pthread_mutex_lock(&st->mu);
	if (!s->quit) {
		st->full[st->fhead++ % NBATCH] = st->b;
		pthread_cond_broadcast(&st->cv);
		while (st->nempty == 0 && !s->quit)
			pthread_cond_wait(&st->cv, &st->mu);
	}
	if (s->quit) {
		s->stop = true;
		st->b->raw.len = 0;
		st->b->ncells = st->b->nrows = 0;
	} else {
		st->b = st->empty[--st->nempty];
	}
	pthread_mutex_unlock(&st->mu);
}

/* The parser has ended: its last rows go to the reader. */
static void
sheet_ended(struct sax *s)
{
	struct sheet_state *st = s->arg;

	if (!st->threaded) {
		if (st->b->nrows > 0 && !s->quit && !read_batch(st, st->b))
			s->quit = true;
		return;
	}
	pthread_mutex_lock(&st->mu);
	if (!s->quit && st->b->nrows > 0) {
		st->full[st->fhead++ % NBATCH] = st->b;
		st->b = NULL;
	}
	st->finished = true;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void *
parser_thread(void *arg)
{
	/* libxml2's handlers are the thread's: those of the program */
	xml_route_errors();
	xr_sax_loop(arg);
	return NULL;
}

/* The reader's side, on the calling thread: starts the parser on its own
 * and reads the batches it hands over until it has ended.  False when no
 * thread could be started (then the parser runs here). */
static bool
sheet_consume(struct sax *s)
{
	struct sheet_state *st = s->arg;
	bool go = true;

	if (pthread_mutex_init(&st->mu, NULL) != 0)
		return false;
	if (pthread_cond_init(&st->cv, NULL) != 0) {
		pthread_mutex_destroy(&st->mu);
		return false;
	}
	st->threaded = true;
	for (int i = 1; i < NBATCH; i++)
		st->empty[st->nempty++] = &st->batches[i];
	if (pthread_create(&st->tid, NULL, parser_thread, s) != 0) {
		st->threaded = false;
		st->nempty = 0;
		pthread_cond_destroy(&st->cv);
		pthread_mutex_destroy(&st->mu);
		return false;
	}
	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&st->mu);
		while (st->ftail == st->fhead && !st->finished)
			pthread_cond_wait(&st->cv, &st->mu);
		if (st->ftail == st->fhead) {
			pthread_mutex_unlock(&st->mu);
			break;
		}
		b = st->full[st->ftail++ % NBATCH];
		pthread_mutex_unlock(&st->mu);
		go = read_batch(st, b);
		pthread_mutex_lock(&st->mu);
		st->empty[st->nempty++] = b;
		if (!go)
			s->quit = true;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		if (!go)
			break;
	}
	pthread_join(st->tid, NULL);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	return true;
}

/* An attribute's value as the tree held it, appended to b with its NUL
 * (the parser leaves an & of the value as the reference "&#38;" for the
 * tree builder to replace); returns its offset in b. */
static size_t
attr_copy(const xmlChar *const *a, buf_t *b)
{
	const char *v = (const char *)a[3], *e = (const char *)a[4];
	size_t at = b->len;

	while (v < e) {
		const char *amp = memchr(v, '&', (size_t)(e - v));

		if (amp == NULL) {
			xr_put(b, v, (size_t)(e - v));
			break;
		}
		xr_put(b, v, (size_t)(amp - v));
		xr_put(b, "&", 1);
		v = (size_t)(e - amp) >= 5 && memcmp(amp, "&#38;", 5) == 0 ?
		    amp + 5 : amp + 1;
	}
	xr_put(b, "", 1);
	return at;
}

/* The offset in b of the value of attribute `name` (one letter, no
 * prefix) of a start tag, copied there; SIZE_MAX when there is none. */
static size_t
attr1(const xmlChar **a, int n, char name, buf_t *b)
{
	for (int i = 0; i < n; i++, a += 5)
		if (a[1] == NULL && a[0][0] == name && a[0][1] == '\0')
			return attr_copy(a, b);
	return SIZE_MAX;
}

static void
sheet_start(struct sax *s, const char *name, const xmlChar **attrs,
    int nattrs, bool empty)
{
	struct sheet_state *st = s->arg;
	struct batch *b = st->b;

	if (st->depth == 0) {
		if (xr_eq(name, "row")) {
			st->depth = 1;
			st->cur.r = attr1(attrs, nattrs, 'r', &b->raw);
			st->cur.cell0 = b->ncells;
		} else if (xr_eq(name, "sheetData")) {
			st->empty_data = empty;
		}
		return;
	}
	st->depth++;
	if (st->in_cell) {
		xr_item_start(&st->it, name, true);
	} else if (st->depth == 2 && xr_eq(name, "c")) {
		struct raw_cell *c;

		if (b->ncells >= b->capcells)
			xgrow(&b->cells, &b->capcells, b->ncells + 1,
			    sizeof *b->cells);
		c = &b->cells[b->ncells++];
		c->ref = c->type = c->style = SIZE_MAX;
		/* r, t and s in one pass (an attribute twice is no XML) */
		for (int i = 0; i < nattrs; i++) {
			const xmlChar **a = attrs + 5 * i;
			size_t *to = NULL;

			if (a[1] != NULL || a[0][0] == '\0' || a[0][1] != '\0')
				continue;
			switch (a[0][0]) {
			case 'r': to = &c->ref; break;
			case 't': to = &c->type; break;
			case 's': to = &c->style; break;
			}
			if (to != NULL && *to == SIZE_MAX)
				*to = attr_copy(a, &b->raw);
		}
		c->v = b->raw.len;
		memset(&st->it, 0, sizeof st->it);
		st->in_cell = true;
	}
	s->text = st->in_cell && st->it.text && st->it.other == 0 ?
	    &b->raw : NULL;
}

static void
sheet_end(struct sax *s, const char *name)
{
	struct sheet_state *st = s->arg;
	struct batch *b = st->b;

	if (st->depth == 0) {
		/* merged cells and the rest: not needed (an empty
		 * <sheetData/> ended nothing for the reader) */
		if (xr_eq(name, "sheetData") && !st->empty_data)
			s->stop = true;
		st->empty_data = false;
	} else {
		st->depth--;
		if (st->in_cell && !xr_item_end(&st->it)) {
			xr_put(&b->raw, "", 1);    /* the cell's text ends */
			st->in_cell = false;
		}
		if (st->depth == 0) {
			st->cur.ncells = b->ncells - st->cur.cell0;
			if (b->nrows >= b->caprows)
				xgrow(&b->rows, &b->caprows, b->nrows + 1,
				    sizeof *b->rows);
			b->rows[b->nrows++] = st->cur;
			if (!st->threaded || b->raw.len >= BATCH_BYTES ||
			    b->nrows >= BATCH_ROWS)
				hand_over(s, st);
		}
	}
	if (s->stop)
		xmlStopParser(s->ctxt);
	s->text = st->in_cell && st->it.text && st->it.other == 0 ?
	    &st->b->raw : NULL;
}

void
xr_read_sheet(struct xl *x, const char *name, const rec_sink_t *sink)
{
	struct sheet_state st;
	struct sax s;

	memset(&st, 0, sizeof st);
	memset(&s, 0, sizeof s);
	st.sink = sink;
	st.x = x;
	buf_init(&st.row.text);
	for (int i = 0; i < NBATCH; i++)
		buf_init(&st.batches[i].raw);
	st.b = &st.batches[0];
	s.start = sheet_start;
	s.end = sheet_end;
	s.consume = sheet_consume;
	s.ended = sheet_ended;
	s.arg = &st;
	xr_sax_parse(x, name, true, &s);
	buf_free(&st.row.text);
	free(st.row.off);
	free(st.row.fp);
	for (int i = 0; i < NBATCH; i++) {
		buf_free(&st.batches[i].raw);
		free(st.batches[i].cells);
		free(st.batches[i].rows);
	}
}

