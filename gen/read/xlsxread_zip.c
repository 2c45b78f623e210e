/*
 * xlsxread_zip.c - the workbook's archive, for the .xlsx reader
 * (xlsxread_int.h): opened with libzip, refused with one clear error when
 * it is no workbook (damaged, encrypted, an old .xls) or a part is a zip
 * bomb; each part inflated as the XML parser reads it, and the inflater
 * of the large parts on a thread of its own (the pump).
 *
 * Sizes are checked before a part is inflated and again while it is: a
 * part declared larger than PART_MAX, or inflating more than RATIO_MAX
 * times its compressed size once past RATIO_FROM, is a zip bomb.  A
 * 10^6-row sheet is about 400 MB of XML at a ratio near 10.
 */
#include "xlsxread_int.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define PART_MAX   ((zip_uint64_t)4 << 30)      /* 4 GiB of XML */
#define RATIO_FROM ((zip_uint64_t)64 << 20)     /* parts above 64 MB ... */
#define RATIO_MAX  200                          /* ... inflate at most 200x */

/* What a file that is no zip archive is: an old .xls and an encrypted
 * .xlsx are both OLE2 compound files; the encrypted one holds the stream
 * "EncryptionInfo" (UTF-16) near its start. */
static void
not_a_zip(struct xl *x)
{
	static const char ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o";
	unsigned char head[64 * 1024];
	size_t n = 0;
	input_t in;

	if (input_open(x->file, TB_INPUT_MAX, &in) == 0) {
		ssize_t r = read_full(in.fd, head, sizeof head);

		n = r > 0 ? (size_t)r : 0;
		close(in.fd);
	}
	if (n >= 8 && memcmp(head, ole2, 8) == 0) {
		bool encrypted = false;

		for (size_t i = 0; i + sizeof enc - 1 <= n && !encrypted; i++)
			encrypted = memcmp(head + i, enc, sizeof enc - 1) == 0;
		if (encrypted)
			xr_error(x, 0, "the workbook is password-protected: remove "
			    "the password in Excel (File > Info > Protect "
			    "Workbook) and save it again");
		else
			xr_error(x, 0, "this is an old Excel .xls file, not an "
			    ".xlsx workbook: open it in Excel and save it as "
			    "\"Excel Workbook (*.xlsx)\"");
		return;
	}
	xr_error(x, 0, "not an .xlsx workbook (the file is not a zip archive, "
	    "or it is damaged): save the sheet from Excel as \"Excel Workbook "
	    "(*.xlsx)\"");
}

int
xr_open_zip(struct xl *x)
{
	int zerr = 0;
	input_t in;

	/* a regular file of at most TB_INPUT_MAX bytes, opened here (a FIFO
	 * would block libzip, a device feed it forever) */
	if (input_open(x->file, TB_INPUT_MAX, &in) != 0) {
		xr_error(x, 0, "cannot read the workbook: %s", in.why);
		return -1;
	}
	x->zip = zip_fdopen(in.fd, ZIP_RDONLY, &zerr);
	if (x->zip != NULL)
		return 0;       /* the archive owns the descriptor */
	close(in.fd);
	if (zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS) {
		not_a_zip(x);
	} else if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ) {
		xr_error(x, 0, "cannot read the workbook: %s", strerror(errno));
	} else {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerr);
		xr_error(x, 0, "cannot open the workbook: %s (the file is damaged; "
		    "save it again from Excel)", zip_error_strerror(&ze));
		zip_error_fini(&ze);
	}
	return -1;
}

static int
part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	zip_int64_t n;

	if (p->bomb || p->ioerr)
		return -1;
	n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		p->ioerr = true;
		return -1;
	}
	p->got += (zip_uint64_t)n;
	if (p->got > p->declared || p->got > PART_MAX) {
		p->bomb = true;         /* it inflates past what it declared */
		return -1;
	}
	return (int)n;
}

static int
part_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2's messages go to the part (never to stderr): the first one says
 * why the XML is broken.  A structured handler, so that no global one
 * (xmlread.h, xml_route_errors) takes them instead. */
#if LIBXML_VERSION >= 21200
void
xr_part_error(void *arg, const xmlError *e)
#else
void
xr_part_error(void *arg, xmlErrorPtr e)
#endif
{
	struct part *p = arg;
	char *line;

	if (p->why[0] != '\0' || e == NULL || e->message == NULL)
		return;
	line = one_line(e->message);
	snprintf(p->why, sizeof p->why, "%s", trim(line));
	free(line);
	p->why_line = e->line;
}

/*
 * Opens part `name` for inflating into *p.  False when the part is missing
 * (reported when `required`) or refused (reported).
 */
bool
xr_open_stream(struct xl *x, const char *name, bool required, struct part *p)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(x->zip, name, 0);

	memset(p, 0, sizeof *p);
	p->x = x;
	p->name = name;
	if (i < 0) {
		if (required)
			xr_error(x, 0, "not an .xlsx workbook Excel wrote: it has no "
			    "%s (the file is damaged, or another kind of zip "
			    "archive)", name);
		return false;
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		xr_error(x, 0, "the workbook is damaged: cannot read the size of "
		    "%s", name);
		return false;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		xr_error(x, 0, "the workbook is password-protected: remove the "
		    "password in Excel and save it again");
		return false;
	}
	if (st.size > PART_MAX || (st.size > RATIO_FROM &&
	    st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX)) {
		xr_error(x, 0, "refused: %s would inflate from %llu bytes to %llu "
		    "(a zip bomb, or no workbook Excel wrote)", name,
		    (unsigned long long)st.comp_size,
		    (unsigned long long)st.size);
		return false;
	}
	p->declared = st.size;
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (p->zf == NULL) {
		xr_error(x, 0, "the workbook is damaged: cannot inflate %s (%s)",
		    name, zip_strerror(x->zip));
		return false;
	}
	return true;
}

/*
 * Opens part `name` for streaming into *p and a reader over it.  NULL when
 * the part is missing (reported when `required`) or refused (reported).
 */
xmlTextReaderPtr
xr_open_part(struct xl *x, const char *name, bool required, struct part *p)
{
	xmlTextReaderPtr r;

	if (!xr_open_stream(x, name, required, p))
		return NULL;
	r = xmlReaderForIO(part_read, part_close, p, name, NULL, XML_OPTIONS);
	if (r != NULL)
		xmlTextReaderSetStructuredErrorHandler(r, xr_part_error, p);
	if (r == NULL) {
		zip_fclose(p->zf);
		p->zf = NULL;
		xr_error(x, 0, "cannot read %s of the workbook", name);
	}
	return r;
}

/* Closes the reader and the part; reports how the part ended when rc (the
 * last xmlTextReaderRead()) says it ended badly. */
void
xr_close_part(struct xl *x, xmlTextReaderPtr r, struct part *p, int rc)
{
	if (rc < 0 && !x->failed) {
		if (p->bomb)
			xr_error(x, 0, "refused: %s inflates past its declared "
			    "size (a zip bomb, or a damaged workbook)", p->name);
		else if (p->ioerr)
			xr_error(x, 0, "the workbook is damaged: %s cannot be "
			    "inflated (%s)", p->name, zip_file_strerror(p->zf));
		else
			xr_error(x, 0, "the workbook is damaged: %s is not "
			    "well-formed XML (line %ld: %s)", p->name, p->why_line,
			    p->why[0] ? p->why : "?");
	}
	if (r != NULL)
		xmlFreeTextReader(r);
	if (p->zf != NULL)
		zip_fclose(p->zf);
	p->zf = NULL;
}

/* ---- the inflater on a thread (struct pump, xlsxread_int.h) --------------- */

static void *
pump_run(void *arg)
{
	struct pump *m = arg;
	int want = 4, n;

	do {
		unsigned i;

		pthread_mutex_lock(&m->mu);
		/* a full ring is refilled once half of it is free, so that
		 * the inflater is woken once for NBLK / 2 pieces, not for
		 * each */
		if (!m->quit && m->head - m->tail == NBLK)
			while (!m->quit && m->head - m->tail > NBLK / 2)
				pthread_cond_wait(&m->cv, &m->mu);
		if (m->quit) {
			pthread_mutex_unlock(&m->mu);
			break;
		}
		i = m->head % NBLK;
		pthread_mutex_unlock(&m->mu);
		n = part_read(m->p, m->blk[i], want);
		want = CHUNK;
		pthread_mutex_lock(&m->mu);
		m->len[i] = n;
		m->head++;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
	} while (n > 0);
	return NULL;
}

void
xr_pump_start(struct pump *m, struct part *p)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->want = 4;
	for (int i = 0; i < NBLK; i++)
		m->blk[i] = xmalloc(CHUNK);
	if (pthread_mutex_init(&m->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&m->cv, NULL) != 0) {
		pthread_mutex_destroy(&m->mu);
		return;
	}
	m->threaded = pthread_create(&m->tid, NULL, pump_run, m) == 0;
	if (!m->threaded) {
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
	}
}

/* The next piece of the part in *data; returns its length, 0 at its end,
 * -1 when it cannot be read (as part_read). */
int
xr_pump_next(struct pump *m, const char **data)
{
	int n;

	if (!m->threaded) {
		n = part_read(m->p, m->blk[0], m->want);
		m->want = CHUNK;
		*data = m->blk[0];
		return n;
	}
	pthread_mutex_lock(&m->mu);
	if (m->holding) {
		m->tail++;
		m->holding = false;
		if (m->head - m->tail <= NBLK / 2)
			pthread_cond_broadcast(&m->cv);
	}
	while (m->head == m->tail)
		pthread_cond_wait(&m->cv, &m->mu);
	*data = m->blk[m->tail % NBLK];
	n = m->len[m->tail % NBLK];
	m->holding = true;
	pthread_mutex_unlock(&m->mu);
	return n;
}

/* Ends the inflater (it stops at its next piece) and frees the pieces. */
void
xr_pump_stop(struct pump *m)
{
	if (m->threaded) {
		pthread_mutex_lock(&m->mu);
		m->quit = true;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->tid, NULL);
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
	}
	for (int i = 0; i < NBLK; i++)
		free(m->blk[i]);
}
