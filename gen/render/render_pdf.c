/*
 * render_pdf.c - the 通报 as a PDF official document (GB/T 9704-2012 page,
 * PDF/A-1b) from the document model, through libharu; and several
 * documents in one file (the units' statements in units.pdf); tagged.
 *
 * libharu draws text at a position and nothing more, so the page is laid
 * out here (hand-written: no library knows GB/T 9704): an A4 page with a
 * 156 x 225 mm text block 37 mm from the top and 28 mm from the left; body
 * text 16 pt on a grid of 22 lines of 28 characters (characters tightened
 * by about 0.21 pt so that 28 of them fill the block); the 版头 (red issuer,
 * 发文字号, red rule; none for a document without an issuer), the title
 * (its lines broken where phrases end, layout_title), 主送, headings by
 * level, paragraphs with a two-character indent justified by character
 * spacing, 附件说明 (its names' second lines hanging under their first
 * characters), signature and date (never alone on a page: the document is
 * set again with its last two text lines moved over), attachments each
 * from a new page, tables that repeat their header row across pages (one
 * size, 小四, 2 mm padding, columns chosen from the cells), bar charts
 * drawn as vector graphics, page numbers "— N —" alternating right and
 * left, and the 版记 at the foot of the last even page (none without 抄送
 * and 印发).  An attachment whose tables need the width is set on
 * landscape pages (GB/T 9704 §8: the block turned a quarter, its head
 * towards the page's left edge, page numbers unmoved).  Several documents
 * in one file each start on an odd page and number their pages from 1.
 *
 * This file holds the document's parts in the order they are set and the
 * entry points; render_pdf_int.h names the backend's other files (the
 * painter of text and pages, tables, the chart, the file's metadata).
 * The PDF is tagged (issue 15; README "Tagged PDF"): as each part of the
 * model is drawn it opens its element of the structure tree (pdftag.c),
 * and what it draws is marked content of that element, or an artifact
 * (page numbers, rules, repeated header rows).  The output is
 * reproducible: no clock is read (the file is dated doc->created, which
 * main.c takes from the inputs; render_pdf_meta.c).
 */
#include "render_pdf_int.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

static const rgb_t RED = {0.9, 0, 0};

/* ---- blocks --------------------------------------------------------------- */

/* The blocks of a section; plans (NULL for the body, whose tables are
 * portrait) holds the attachment's tables, planned for its frame. */
static int
draw_blocks(rd_t *r, const doc_section_t *sec, tlay_t *plans)
{
	for (size_t i = 0; i < sec->nblocks; i++) {
		const doc_block_t *b = &sec->blocks[i];
		int rc = 0;

		switch (b->type) {
		case BLK_HEADING:
			/* a heading never ends a page */
			if (rp_lines_left(r) < 2 && rp_new_page(r, true) != 0)
				return -1;
			rc = rp_body_para(r, b->level <= 1 ? "H2" :
			    b->level == 2 ? "H3" : "H4", b->level <= 1 ?
			    &ST_HEI : b->level == 2 ? &ST_KAI : &ST_BODY, b->text);
			break;
		case BLK_PARA:
			rc = rp_body_para(r, "P", &ST_BODY, b->text);
			break;
		case BLK_LIST: {
			int list = rp_tag_open(r, "L");

			for (size_t k = 0; k < b->nitems && rc == 0; k++) {
				int li = rp_tag_open(r, "LI");

				rc = rp_body_para(r, "LBody", &ST_BODY,
				    b->items[k]);
				rp_tag_close(r, li);
			}
			rp_tag_close(r, list);
			break;
		}
		case BLK_TABLE:
			rc = plans ? rp_draw_plan(r, &plans[i]) :
			    rp_draw_table(r, b->table);
			break;
		case BLK_CHART:
			rc = rp_draw_chart(r, b->chart);
			break;
		}
		if (rc != 0 || rp_hpdf_failed(r, "setting the text"))
			return -1;
	}
	return 0;
}

/* ---- the parts of the document ------------------------------------------ */

/*
 * 版头: issuer in red, 发文字号, the red rule; then title and 主送.  A
 * document without an issuer (a unit's statement) has no 版头 at all: its
 * title starts on the second line of the block.
 */
static int
draw_head(rd_t *r)
{
	const doc_t *d = r->doc;
	style_t iss = ST_TITLE;
	shaped_t s = {0};
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, true, false, 0};
	const char *num = d->doc_number ? d->doc_number : d->doc_number_blank;
	double top = BLOCK_TOP - 35.0 * MM, w, rule;
	size_t n;
	int head, prev;
	long art;

	if (!d->issuer || !*d->issuer) {
		r->y = BLOCK_TOP - PITCH;
		goto title;
	}
	head = rp_tag_open(r, "Masthead");
	prev = rp_tag_open(r, "Issuer");
	iss.color = RED;
	n = utf8_len(d->issuer);
	iss.size = n ? fmin(42.0, BLOCK_W * 0.92 / (double)n) : 42;
	iss.track = n > 1 ? fmin(iss.size * 0.15,
	    (BLOCK_W * 0.92 - iss.size * (double)n) / (double)(n - 1)) : 0;
	if (iss.track < 0)
		iss.track = 0;
	rp_shape(r, &iss, d->issuer, &s);
	w = rp_shaped_width(&s, 0, s.n) - iss.track;
	rp_draw_shaped(r, &iss, &s, 0, s.n, BLOCK_L + (BLOCK_W - w) / 2,
	    top - iss.size * 0.88, NULL);
	rp_shaped_free(&s);
	rp_tag_close(r, prev);
	r->y = top - iss.size;
	rp_skip_lines(r, 2);
	if (num && *num) {
		if (rp_tagged_para(r, "DocNumber", &ST_BODY, num,
		    &centre) != 0) {
			rp_tag_close(r, head);
			return -1;
		}
	} else
		rp_skip_lines(r, 1);
	/* the red rule 4 mm below the 字号 */
	rule = r->y + (PITCH - BODY_PT) / 2 - 4.0 * MM;
	art = rp_art_begin(r, ART_LAYOUT);
	rp_mark(r);
	pen_stroke_rgb(&r->pen, RED.r, RED.g, RED.b);
	pen_line_width(&r->pen, 1.5);
	pen_move(&r->pen, BLOCK_L, rule);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, rule);
	pen_stroke(&r->pen);
	rp_art_end(r, art);
	rp_tag_close(r, head);
	r->y = rule;
	rp_skip_lines(r, 2);
title:
	centre.balance = true;
	if (d->title && rp_tagged_para(r, "Title", &ST_TITLE, d->title,
	    &centre) != 0)
		return -1;
	centre.balance = false;
	rp_skip_lines(r, 1);
	if (d->recipients && rp_tagged_para(r, "Recipients", &ST_BODY,
	    d->recipients, &left) != 0)
		return -1;
	return 0;
}

/* The characters of an item's number ("1." "12．" "3、") at the start of
 * s, or 0 when it has none. */
static size_t
number_prefix(const char *s)
{
	uint32_t *cp = NULL;
	size_t n = layout_decode(s ? s : "", &cp), k = 0, rc = 0;

	while (k < n && ((cp[k] >= '0' && cp[k] <= '9') ||
	    (cp[k] >= 0xFF10 && cp[k] <= 0xFF19)))
		k++;
	if (k > 0 && k < n && (cp[k] == '.' || cp[k] == 0xFF0E ||
	    cp[k] == 0x3001))
		rc = k + 1;
	free(cp);
	return rc;
}

/* 附件说明, signature and date after the body. */
static int
draw_close(rd_t *r)
{
	const doc_t *d = r->doc;
	shaped_t sig = {0}, date = {0};
	double ws, wd, xs, xd, y;
	int rc = 0, prev;

	if (d->nattach_note > 0) {
		int list = rp_tag_open(r, "L");

		rp_skip_lines(r, 1);
		for (size_t i = 0; i < d->nattach_note; i++) {
			char *t = xasprintf("%s%s", i == 0 ?
			    "附件：" : "", d->attach_note[i]);
			/* GB/T 9704 7.3.4: "附件：" two characters in, the
			 * numbers of the items under each other, and a name
			 * that goes on to another line goes on under its own
			 * first character.  Not justified: every one of these
			 * edges stays where it is measured. */
			para_opts_t po = {i == 0 ? 2 * CELL : 5 * CELL,
			    5 * CELL, 0, ALIGN_LEFT, false, false,
			    (i == 0 ? 3 : 0) + number_prefix(d->attach_note[i])};
			int li = rp_tag_open(r, "LI");

			rc = rp_tagged_para(r, "LBody", &ST_BODY, t, &po);
			rp_tag_close(r, li);
			free(t);
			if (rc != 0) {
				rp_tag_close(r, list);
				return -1;
			}
		}
		rp_tag_close(r, list);
	}
	r->last_text_line = r->lineno;
	r->last_text_page = r->npages;
	if (!d->signature && !d->date_cn)
		return 0;
	rp_skip_lines(r, 1);
	if (rp_lines_left(r) < 2 && rp_new_page(r, true) != 0)
		return -1;
	rp_shape(r, &ST_BODY, d->signature, &sig);
	rp_shape(r, &ST_BODY, d->date_cn, &date);
	ws = rp_shaped_width(&sig, 0, sig.n);
	wd = rp_shaped_width(&date, 0, date.n);
	/* 署名 right indented two characters, the date starting two
	 * characters to its right; a longer date pushes both left */
	xs = BLOCK_L + BLOCK_W - 2 * CELL - ws;
	xd = xs + 2 * CELL;
	if (xd + wd > BLOCK_L + BLOCK_W - 2 * CELL) {
		xd = BLOCK_L + BLOCK_W - 2 * CELL - wd;
		xs = xd - 2 * CELL;
	}
	if (sig.n) {
		if (rp_next_line(r, BODY_PT, &y) != 0)
			goto fail;
		r->sig_page = r->npages;
		prev = rp_tag_open(r, "Signature");
		rp_draw_shaped(r, &ST_BODY, &sig, 0, sig.n, xs, y, NULL);
		rp_tag_close(r, prev);
	}
	if (date.n) {
		if (rp_next_line(r, BODY_PT, &y) != 0)
			goto fail;
		if (!sig.n)
			r->sig_page = r->npages;
		prev = rp_tag_open(r, "Date");
		rp_draw_shaped(r, &ST_BODY, &date, 0, date.n, xd, y, NULL);
		rp_tag_close(r, prev);
	}
	goto done;
fail:
	rc = -1;
done:
	rp_shaped_free(&sig);
	rp_shaped_free(&date);
	return rc;
}

/*
 * An attachment from a new page: 附件N on the first line, its title on the
 * third, then its blocks.  When one of its tables is better set across
 * the page (rp_plan_table), the whole attachment is set on landscape pages.
 */
static int
draw_attachment(rd_t *r, const doc_section_t *a)
{
	para_opts_t left = {0, 0, 0, ALIGN_LEFT, false, false, 0};
	para_opts_t centre = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	tlay_t *plans = xcalloc(a->nblocks + 1, sizeof *plans);
	bool land = false;
	int rc = -1, sect = rp_tag_open(r, "Sect");

	for (size_t i = 0; i < a->nblocks; i++)
		if (a->blocks[i].type == BLK_TABLE) {
			rp_plan_table(r, a->blocks[i].table, true, &plans[i]);
			land = land || plans[i].land;
		}
	for (size_t i = 0; land && i < a->nblocks; i++)
		if (a->blocks[i].type == BLK_TABLE)
			rp_plan_land(&plans[i]);
	r->want_land = land;
	if (rp_new_page(r, true) != 0)
		goto cleanup;
	if (a->label && rp_tagged_para(r, "P", &ST_HEI, a->label, &left) != 0)
		goto cleanup;
	r->y = FTOP(r) - 2 * PITCH;          /* the title on the third line */
	centre.balance = true;
	if (a->title && rp_tagged_para(r, "Title", &ST_TITLE, a->title,
	    &centre) != 0)
		goto cleanup;
	rp_skip_lines(r, 1);
	rc = draw_blocks(r, a, plans);
cleanup:
	rp_tag_close(r, sect);
	r->want_land = false;
	for (size_t i = 0; i < a->nblocks; i++)
		rp_plan_free(&plans[i]);
	free(plans);
	return rc;
}

/* A rule of the 版记 across the block: an artifact. */
static void
rule_at(rd_t *r, double y, double width)
{
	long art = rp_art_begin(r, ART_LAYOUT);

	rp_mark(r);
	pen_stroke_rgb(&r->pen, 0, 0, 0);
	pen_line_width(&r->pen, width);
	pen_move(&r->pen, BLOCK_L, y);
	pen_line(&r->pen, BLOCK_L + BLOCK_W, y);
	pen_stroke(&r->pen);
	rp_art_end(r, art);
}

/*
 * 版记 at the foot of an even page, its last rule on the block's bottom
 * edge: 抄送 (wrapped under its own text), a thin rule, 印发机关 left and
 * 印发日期 right, each one character in.
 */
static int
draw_record(rd_t *r)
{
	const doc_t *d = r->doc;
	shaped_t cc = {0}, pr = {0}, pd = {0};
	lay_line_t *lines = NULL;
	size_t nl = 0;
	double pitch = PITCH, h, y, lw;
	int rc = 0, rec, prev;
	char *cct = NULL;
	double *sq = NULL;

	if (!d->cc && !d->printer && !d->print_date)
		return 0;
	rec = rp_tag_open(r, "Record");
	if (d->cc) {
		lay_opts_t lo;

		cct = xasprintf("抄送：%s", d->cc);
		rp_shape(r, &ST_NOTE, cct, &cc);
		sq = xcalloc(cc.n + 1, sizeof *sq);
		memset(&lo, 0, sizeof lo);
		lo.width = BLOCK_W - 2 * NOTE_PT;
		lo.justify = true;
		lo.indent = 3 * NOTE_PT;
		lo.em = NOTE_PT;
		lo.squeeze = sq;
		nl = layout_break(cc.cp, cc.adv, cc.n, &lo, &lines);
	}
	h = (double)(nl + 1) * pitch;
	if (r->land || !((r->npages - r->first) % 2 == 0 &&
	    r->y - BLOCK_BOT >= h + pitch)) {
		/* an odd page, or an even one too full: move on; when a
		 * blank page is needed before it, neither page is numbered */
		bool blank = (r->npages - r->first) % 2 == 0;

		if (blank && rp_new_page(r, false) != 0)
			goto fail;
		if (rp_new_page(r, !blank) != 0)
			goto fail;
	}
	y = BLOCK_BOT + h;
	rule_at(r, y, 0.35 * MM);
	prev = rp_tag_open(r, "P");
	for (size_t i = 0; i < nl; i++) {
		double base = y - pitch / 2 - NOTE_PT * 0.36;

		rp_draw_line(r, &ST_NOTE, &cc, sq, &lines[i],
		    BLOCK_L + NOTE_PT + lines[i].indent, base);
		y -= pitch;
	}
	rp_tag_close(r, prev);
	if (nl)
		rule_at(r, y, 0.25 * MM);
	rp_shape(r, &ST_NOTE, d->printer, &pr);
	rp_shape(r, &ST_NOTE, d->print_date, &pd);
	lw = rp_shaped_width(&pd, 0, pd.n);
	prev = rp_tag_open(r, "P");
	rp_draw_shaped(r, &ST_NOTE, &pr, 0, pr.n, BLOCK_L + NOTE_PT,
	    y - pitch / 2 - NOTE_PT * 0.36, NULL);
	rp_tag_close(r, prev);
	prev = rp_tag_open(r, "P");
	rp_draw_shaped(r, &ST_NOTE, &pd, 0, pd.n,
	    BLOCK_L + BLOCK_W - NOTE_PT - lw,
	    y - pitch / 2 - NOTE_PT * 0.36, NULL);
	rp_tag_close(r, prev);
	rule_at(r, BLOCK_BOT, 0.35 * MM);
	goto done;
fail:
	rc = -1;
done:
	rp_tag_close(r, rec);
	free(cct);
	free(sq);
	free(lines);
	rp_shaped_free(&cc);
	rp_shaped_free(&pr);
	rp_shaped_free(&pd);
	return rc;
}

/* ---- entry point ------------------------------------------------------------ */

/* The document's kept phrases as code points (r->phr), or none. */
static void
phrases_free(rd_t *r)
{
	for (size_t i = 0; i < r->nphr; i++)
		free(r->phr[i]);
	free(r->phr);
	free(r->plen);
	r->phr = NULL;
	r->plen = NULL;
	r->nphr = 0;
}

static void
phrases_set(rd_t *r, const doc_t *doc)
{
	phrases_free(r);
	r->phr = xcalloc(doc->nkeep + 1, sizeof *r->phr);
	r->plen = xcalloc(doc->nkeep + 1, sizeof *r->plen);
	for (size_t i = 0; i < doc->nkeep; i++)
		r->plen[i] = layout_decode(doc->keep[i], &r->phr[i]);
	r->nphr = doc->nkeep;
}

/*
 * Lays out one document from a new odd page (a blank unnumbered page first
 * when the file so far ends on an odd page); pages are numbered from 1 per
 * document.  When the signature would stand alone on a page (GB/T 9704
 * 7.3.5.4), the document is set again from its first page with its last
 * two text lines moved over to keep the signature company: the pages
 * already added are wiped and reused (libharu cannot remove a page).
 */
static int
render_doc(rd_t *r, const doc_t *doc)
{
	int start, rc = -1;
	tag_state_t ts;

	if (r->npages % 2 == 1 && rp_new_page(r, false) != 0)
		return -1;
	start = r->npages;
	r->doc = doc;
	phrases_set(r, doc);
	r->first = start;
	r->break_before = 0;
	ts = tag_save(&r->tags);
	for (int attempt = 0; attempt < 2; attempt++) {
		r->lineno = r->last_text_line = r->last_text_page = 0;
		r->sig_page = 0;
		if (rp_new_page(r, true) != 0 || draw_head(r) != 0 ||
		    draw_blocks(r, &doc->body, NULL) != 0 || draw_close(r) != 0)
			goto cleanup;
		if (attempt > 0 || r->sig_page <= r->last_text_page ||
		    r->last_text_line < 3)
			break;
		r->break_before = r->last_text_line - 1;
		/* the elements and MCIDs of the first attempt go with it */
		tag_rewind(&r->tags, &ts, start);
		free(r->reuse);
		r->nreuse = r->npages - start;
		r->ireuse = 0;
		r->reuse = xcalloc((size_t)r->nreuse, sizeof *r->reuse);
		for (int i = 0; i < r->nreuse; i++)
			r->reuse[i] = HPDF_GetPageByIndex(r->pdf, (HPDF_UINT)(start + i));
		r->npages = start;
	}
	for (size_t i = 0; i < doc->nattachments; i++)
		if (draw_attachment(r, &doc->attachments[i]) != 0)
			goto cleanup;
	if (draw_record(r) != 0)
		goto cleanup;
	/* pages of the first attempt not needed again stay, blank */
	while (r->ireuse < r->nreuse)
		if (rp_new_page(r, false) != 0)
			goto cleanup;
	rc = 0;
cleanup:
	tag_state_free(&ts);
	free(r->reuse);
	r->reuse = NULL;
	r->nreuse = r->ireuse = 0;
	r->break_before = 0;
	return rc;
}

int
render_pdf_docs(const doc_t *const *docs, size_t n, const char *fonts_dir,
    buf_t *out, diag_list_t *dl)
{
	rd_t r;
	int rc = -1, *firsts = NULL;
	size_t errors0 = dl->errors;
	char *title = NULL;
	long long epoch = 0, created = 0;

	memset(&r, 0, sizeof r);
	pen_init(&r.pen);
	tag_init(&r.tags);
	r.dl = dl;
	if (n == 0) {
		diag_error(dl, NULL, 0, "PDF: no document to render");
		return -1;
	}
	firsts = xcalloc(n, sizeof *firsts);
	r.pdf = HPDF_New(rp_hpdf_error, &r);
	if (!r.pdf) {
		diag_error(dl, NULL, 0, "PDF: cannot create a document");
		goto cleanup;
	}
	HPDF_UseUTFEncodings(r.pdf);
	HPDF_SetCompressionMode(r.pdf, HPDF_COMP_ALL);
	r.fonts = fonts_open(r.pdf, fonts_dir, dl);
	if (!r.fonts)
		goto cleanup;
	/* the tree: a Document, each of several documents an Art of it */
	r.tcur = tag_add(&r.tags, -1, "Document");
	for (size_t i = 0; i < n; i++) {
		int doc = n > 1 ? rp_tag_open(&r, "Art") : r.tcur, done;

		firsts[i] = r.npages + (r.npages % 2);
		done = render_doc(&r, docs[i]);
		rp_tag_close(&r, doc);
		if (done != 0)
			goto cleanup;
		if (docs[i]->epoch > epoch)
			epoch = docs[i]->epoch;
		if (docs[i]->created > created)
			created = docs[i]->created;
	}
	if (rp_page_flush(&r) != 0)
		goto cleanup;
	if (dl->errors > errors0)
		goto cleanup;
	if (fonts_substituted(r.fonts) > 0)
		diag_warning(dl, NULL, 0, "PDF: characters that no font holds"
		    " (emoji, for instance) were drawn as \xE3\x80\x93");
	title = n == 1 ? xstrdup(docs[0]->title ? docs[0]->title : "") :
	    rp_common_title(docs, n);
	rp_doc_identity(docs[0]->author ? docs[0]->author : "", title, n,
	    r.identity);
	if (fonts_finish(r.fonts) != 0 ||
	    (n > 1 && rp_add_outline(&r, docs, n, firsts) != 0) ||
	    rp_set_structure(&r) != 0 ||
	    rp_set_metadata(&r, docs[0], title, n == 1 ? docs[0]->subject :
	    title, created > 0 ? created : epoch) != 0 ||
	    rp_set_output_intent(&r) != 0 || rp_save(&r, out) != 0)
		goto cleanup;
	rc = 0;
cleanup:
	phrases_free(&r);
	tag_free(&r.tags);
	free(title);
	free(firsts);
	pen_free(&r.pen);
	fonts_free(r.fonts);
	if (r.pdf)
		HPDF_Free(r.pdf);
	return rc;
}

void
render_pdf_release(void)
{
	fonts_release();
}

int
render_pdf(const doc_t *doc, const char *fonts_dir, buf_t *out,
    diag_list_t *dl)
{
	return render_pdf_docs(&doc, 1, fonts_dir, out, dl);
}
