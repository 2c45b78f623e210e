/*
 * xlsxwrite.c - the workbooks tongbao writes (SPEC 3.5): scores.xlsx and
 * its yearly kin from the CSV contract files, and the empty ledgers of
 * `tongbao template`, with libxlsxwriter.
 *
 * libxlsxwriter 1.1.4 writes only to a named file, so each workbook is
 * built in a mkstemp() file under $TMPDIR (libxlsxwriter's own scratch
 * files go there too), read back into the caller's buffer and unlinked.
 * The bytes depend only on the arguments: the caller gives the document's
 * created time (libxlsxwriter writes it as both created and modified in
 * docProps/core.xml), and libxlsxwriter dates every zip entry 1980-01-01,
 * as Excel does, whatever the clock says (test_xlsxwrite checks both).
 *
 * This file: the temporary workbook, read back and checked, and what both
 * kinds share (a refused cell's message, the bold header, text widths);
 * the workbooks from CSV are in xlsxwrite_csv.c, the ledger templates in
 * xlsxwrite_ledger.c, and xlsxwrite_int.h is their own header.
 */
#define _POSIX_C_SOURCE 200809L
#include "xlsxwrite.h"
#include "xlsxwrite_int.h"
#include "text.h"
#include "util.h"

#include <xlsxwriter.h>
#include <zip.h>
#include <libxml/parser.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WIDTH_PAD     2.0   /* cell margins, so the widest text is not clipped */
#define WIDTH_MAX     60.0

/* ---- the temporary workbook ------------------------------------------- */

/* Returns 0, or -1 with *err set: created 0 would mean "now" to
 * libxlsxwriter, and two runs would differ. */
int
xw_check_created(time_t created, char **err)
{
	if (created != 0)
		return 0;
	*err = xasprintf("workbook: no creation time given");
	return -1;
}

/*
 * Starts an empty workbook in a new temporary file.  Returns 0, or -1 with
 * *err set; either way xw_book_close() must follow, which frees what was made.
 */
int
xw_book_open(struct book *bk, time_t created, char **err)
{
	lxw_workbook_options opt;
	lxw_doc_properties props;
	const char *dir = getenv("TMPDIR");
	lxw_error e;
	int fd;

	memset(bk, 0, sizeof *bk);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	bk->dir = xstrdup(dir);
	bk->path = xasprintf("%s/tongbao-xlsx-XXXXXX", dir);
	if ((fd = mkstemp(bk->path)) == -1) {
		*err = xasprintf("cannot create a temporary file in %s: %s",
		    dir, strerror(errno));
		free(bk->path);
		bk->path = NULL;
		return -1;
	}
	close(fd);
	memset(&opt, 0, sizeof opt);
	opt.tmpdir = bk->dir;
	if ((bk->wb = workbook_new_opt(bk->path, &opt)) == NULL) {
		*err = xasprintf("cannot start a workbook in %s", bk->path);
		return -1;
	}
	memset(&props, 0, sizeof props);
	props.created = created;
	if ((e = workbook_set_properties(bk->wb, &props)) != LXW_NO_ERROR) {
		*err = xasprintf("workbook properties: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}

/*
 * libxlsxwriter writes each sheet to a temporary file of its own and does
 * not check those writes: on a full disk or an I/O error it packs a sheet
 * cut short and says nothing.  So the finished workbook is read back whole
 * before it is published: every member must inflate to its CRC (libzip
 * checks it at the end of each) and every XML member must be well-formed.
 * Returns 0, or -1 with *err set.
 */
#if LIBXML_VERSION >= 21200
static void
silent(void *ctx, const xmlError *e)
#else
static void
silent(void *ctx, xmlErrorPtr e)
#endif
{
	(void)ctx;
	(void)e;
}

static int
check_book(const char *data, size_t len, char **err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z = NULL;
	char *buf = NULL;
	int rc = -1;
	zip_int64_t n;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL ||
	    (z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) ==
	    NULL) {
		if (src != NULL)
			zip_source_free(src);
		*err = xasprintf("the workbook came out damaged: %s",
		    zip_error_strerror(&ze));
		goto cleanup;
	}
	n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_file_t *f;
		zip_int64_t got = 0, r;
		const char *name;
		size_t nl;

		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 ||
		    (f = zip_fopen_index(z, (zip_uint64_t)i, 0)) == NULL) {
			*err = xasprintf("the workbook came out damaged: %s",
			    zip_strerror(z));
			goto cleanup;
		}
		buf = xrealloc(buf, (size_t)st.size + 1);
		while ((r = zip_fread(f, buf + got, st.size - (zip_uint64_t)got)) > 0)
			got += r;
		if (r < 0 || (zip_uint64_t)got != st.size) {
			*err = xasprintf("the workbook came out damaged (%s: %s)",
			    st.name, zip_file_strerror(f));
			zip_fclose(f);
			goto cleanup;
		}
		zip_fclose(f);
		name = st.name;
		nl = strlen(name);
		if ((nl > 4 && strcmp(name + nl - 4, ".xml") == 0) ||
		    (nl > 5 && strcmp(name + nl - 5, ".rels") == 0)) {
			xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
			xmlDocPtr doc = NULL;

			if (ctxt != NULL) {
				/* the damage is one message, ours: libxml2's own
				 * complaints are not printed */
				ctxt->sax->serror = silent;
				doc = xmlCtxtReadMemory(ctxt, buf, (int)got, name,
				    NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
				if (ctxt->wellFormed == 0) {
					xmlFreeDoc(doc);
					doc = NULL;
				}
				xmlFreeParserCtxt(ctxt);
			}
			if (doc == NULL) {
				*err = xasprintf("the workbook came out damaged: %s "
				    "is cut short (a write to a temporary file "
				    "failed: the disk is full or failing)", name);
				goto cleanup;
			}
			xmlFreeDoc(doc);
		}
	}
	rc = 0;
cleanup:
	free(buf);
	if (z != NULL)
		zip_discard(z);
	zip_error_fini(&ze);
	return rc;
}

/*
 * Closes the workbook (which writes the file) and, unless out is NULL (the
 * build failed; only clean up), appends the file's bytes to out, checked
 * (check_book).  Removes
 * the file and frees bk's parts.  Returns 0, or -1 with *err set.
 */
int
xw_book_close(struct book *bk, buf_t *out, char **err)
{
	lxw_error e = LXW_NO_ERROR;
	char *data = NULL;
	size_t len = 0;
	int rc = 0, en;

	if (bk->wb != NULL)
		e = workbook_close(bk->wb);
	if (out != NULL) {
		if (e != LXW_NO_ERROR) {
			*err = xasprintf("cannot write the workbook: %s",
			    lxw_strerror(e));
			rc = -1;
		} else if ((en = read_file(bk->path, &data, &len)) != 0) {
			*err = xasprintf("cannot read back %s: %s", bk->path,
			    strerror(en));
			rc = -1;
		} else if (check_book(data, len, err) != 0) {
			rc = -1;
		} else
			buf_add(out, data, len);
	}
	if (bk->path != NULL)
		(void)unlink(bk->path);
	free(data);
	free(bk->path);
	free(bk->dir);
	memset(bk, 0, sizeof *bk);
	return rc;
}

/* A message naming the cell that libxlsxwriter refused. */
int
xw_cell_error(lxw_row_t row, lxw_col_t col, lxw_error e, char **err)
{
	char cell[LXW_MAX_CELL_NAME_LENGTH];

	lxw_rowcol_to_cell(cell, row, col);
	*err = xasprintf("cell %s: %s", cell, lxw_strerror(e));
	return -1;
}

lxw_format *
xw_bold_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bold(f);
	return f;
}

/* ---- text measures ------------------------------------------------------ */

/* Whether cp takes two columns (East Asian Wide and Fullwidth, UAX #11,
 * in the blocks a Chinese table meets). */
static bool
is_wide(uint32_t cp)
{
	static const struct { uint32_t lo, hi; } wide[] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x20000, 0x3FFFD },
	};

	for (size_t i = 0; i < ARRAY_LEN(wide); i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return true;
	return false;
}

/* The width of s's widest line in Excel's character units, a CJK
 * character counting 2 (s is valid UTF-8). */
double
xw_text_width(const char *s)
{
	size_t w = 0, best = 0;

	while (*s != '\0') {
		uint32_t cp = utf8_next(&s);

		if (cp == '\n')
			w = 0;
		else
			w += is_wide(cp) ? 2 : 1;
		if (w > best)
			best = w;
	}
	return (double)best;
}

double
xw_column_width(double text)
{
	double w = text + WIDTH_PAD;

	return w < WIDTH_MAX ? w : WIDTH_MAX;
}
