/*
 * xlsxread_int.h - the .xlsx reader's own header (xlsxread.h is the
 * program's), included by its files only:
 *
 *   xlsxread.c        the entry point; xl/workbook.xml, its relations and
 *                     xl/styles.xml (the small parts, with xmlReader)
 *   xlsxread_zip.c    the archive: libzip, the refusals (damaged,
 *                     encrypted, .xls, zip bombs), the inflating thread
 *   xlsxread_sax.c    a part through libxml2's SAX2 push parser, with the
 *                     checks of the reader's tree builder; string items;
 *                     the shared strings
 *   xlsxread_sheet.c  the sheet: its rows gathered, handed over in batches
 *                     and read into records (cells, numbers, dates)
 *
 * Its names that are not static start with xr_.
 */
#ifndef TB_XLSXREAD_INT_H
#define TB_XLSXREAD_INT_H

#include "diag.h"
#include "records.h"
#include "util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

/* every part is parsed with these (as xmlread.c parses XML) */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)


/* A shared string: its text (in the arena) and length. */
struct sstr {
	const char *s;
	size_t      n;
};

struct xl {
	const char   *file;
	diag_list_t  *dl;
	zip_t        *zip;
	bool          date1904;
	unsigned char *datexf;      /* per cellXfs index: a date format? */
	size_t        nxf;
	struct sstr  *sst;          /* the shared strings */
	size_t        nsst, capsst;
	arena_t       strings;
	int           failed;
};

/* One part being inflated: what xmlReader reads from. */
struct part {
	struct xl    *x;
	const char   *name;
	zip_file_t   *zf;
	zip_uint64_t  declared, got;
	bool          bomb, ioerr, huge;
	char          why[160];     /* libxml2's first complaint, one line */
	long          why_line;
};


/* Adds an error at line (0: none) of the workbook to the list and marks
 * the reading failed (xlsxread.c). */
void xr_error(struct xl *x, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* buf_add, inline while the buffer has room (once a text, a million
 * times a sheet) */
static inline void
xr_put(buf_t *b, const void *p, size_t n)
{
	if (b->data != NULL && b->len + n < b->cap) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		buf_add(b, p, n);
	}
}

/* Is an element's name (NULL: none looked for) want? */
static inline bool
xr_eq(const char *name, const char *want)
{
	return name != NULL && name[0] == want[0] && strcmp(name, want) == 0;
}

/* ---- xlsxread_zip.c: the archive ----------------------------------------- */

/* Opens the workbook's archive into x->zip; 0, or -1 after reporting. */
int xr_open_zip(struct xl *x);
bool xr_open_stream(struct xl *x, const char *name, bool required,
    struct part *p);
xmlTextReaderPtr xr_open_part(struct xl *x, const char *name, bool required,
    struct part *p);
void xr_close_part(struct xl *x, xmlTextReaderPtr r, struct part *p, int rc);
#if LIBXML_VERSION >= 21200
void xr_part_error(void *arg, const xmlError *e);
#else
void xr_part_error(void *arg, xmlErrorPtr e);
#endif

/*
 * The inflater of a part read through SAX, on a thread of its own: a
 * third of the reading was zlib's, and the machine has a second core.  It
 * reads the part as part_read always has (4 bytes, then CHUNK at a time,
 * the same sizes, so a zip bomb is caught at the same byte) into a ring
 * of NBLK pieces that the parser takes in order; the parser gives a piece
 * back once xmlParseChunk has copied it, and wakes the inflater once half
 * the ring is free (not for every piece: fewer switches between threads).  Nothing else touches the part
 * until the thread is joined.  Without a thread the pieces are read in
 * place, as they come.
 */
enum { CHUNK = 64 * 1024, NBLK = 16 };

struct pump {
	struct part    *p;
	pthread_mutex_t mu;
	pthread_cond_t  cv;
	pthread_t       tid;
	bool            threaded;
	bool            quit;       /* the parser wants no more */
	bool            holding;    /* the parser has piece tail */
	unsigned        head, tail; /* pieces read: tail .. head - 1 */
	int             want;       /* the next read's size (unthreaded) */
	int             len[NBLK];  /* part_read's results */
	char           *blk[NBLK];
};


void xr_pump_start(struct pump *m, struct part *p);
int xr_pump_next(struct pump *m, const char **data);
void xr_pump_stop(struct pump *m);

struct sax;
typedef void (*sax_start_fn)(struct sax *s, const char *name,
    const xmlChar **attrs, int nattrs, bool empty);
typedef void (*sax_end_fn)(struct sax *s, const char *name);

struct sax {
	struct xl       *x;
	struct part     *p;
	xmlParserCtxtPtr ctxt;      /* its _private is this */
	sax_start_fn     start;
	sax_end_fn       end;
	buf_t           *text;      /* where characters go now, or NULL */
	size_t           run;       /* bytes of the text since the last tag */
	unsigned         open;      /* elements open */
	bool             rooted;    /* the first element has started */
	bool             doctype;   /* refused */
	bool             halted;    /* a limit of the tree builder: broken */
	bool             stop;      /* stopped on purpose: nothing more read */
	void            *arg;       /* the part's own state */
	/* The sheet's rows are read beside the parser (sheet_state): then
	 * consume runs on the calling thread while the parser runs on its
	 * own, and ended on the parser's when it is done.  quit: the rows'
	 * reader stopped at one of them, so what the parser found after it
	 * (even broken XML) counts for nothing, as it was never read. */
	bool           (*consume)(struct sax *s);
	void           (*ended)(struct sax *s);
	bool             quit;
	int              rc;        /* the parser's result (xr_sax_loop) */
	struct pump     *pump;
};


/*
 * The text of a string item (<si> of the shared strings, <is> of a cell)
 * as the reader's tree gave it: the texts directly in its <t>, and in the
 * <t> of its runs <r> (runs in runs alike), never the phonetic guide
 * <rPh> or anything else; a <c>'s own text is the text directly in its
 * <v>, or that of its <is>.  The elements below a cell or an item are
 * followed with three counts, not a stack.
 */
struct item {
	int  runs;          /* <is>/<r> open below the container */
	int  other;         /* elements open whose text is not taken */
	bool text;          /* a <t> (<v>) is open: its text is taken */
};

/* ---- xlsxread_sax.c: a part through SAX2 --------------------------------- */

/* An element opens below the container (<si> or <c>); inline, as it
 * runs for each element of a cell (millions a sheet). */
static inline void
xr_item_start(struct item *it, const char *name, bool cell)
{
	if (it->other > 0 || it->text)
		it->other++;
	else if (cell && it->runs == 0)
		xr_eq(name, "v") ? (void)(it->text = true) :
		    xr_eq(name, "is") ? (void)(it->runs = 1) : (void)it->other++;
	else if (xr_eq(name, "t"))
		it->text = true;
	else if (xr_eq(name, "r"))
		it->runs++;
	else
		it->other++;
}

/* An element closes; false when it is the container itself. */
static inline bool
xr_item_end(struct item *it)
{
	if (it->other > 0)
		it->other--;
	else if (it->text)
		it->text = false;
	else if (it->runs > 0)
		it->runs--;
	else
		return false;
	return true;
}


void xr_sax_loop(struct sax *s);
int xr_sax_parse(struct xl *x, const char *name, bool required,
    struct sax *s);
/* The shared strings into x->sst (xl/sharedStrings.xml, optional). */
void xr_read_shared_strings(struct xl *x);

/* ---- xlsxread_sheet.c: the sheet ----------------------------------------- */

/* The records of sheet part `name`, handed to sink. */
void xr_read_sheet(struct xl *x, const char *name, const rec_sink_t *sink);

#endif
