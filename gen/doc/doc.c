/*
 * doc.c - building and freeing the document model (doc.h).  Every setter
 * copies its strings, so the builder (notice.c) may pass temporaries.
 */
#include "doc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
doc_set(char **field, const char *value)
{
	free(*field);
	*field = dup_or_null(value);
}

doc_t *
doc_new(void)
{
	return xcalloc(1, sizeof(doc_t));
}

static doc_block_t *
add_block(doc_section_t *s, enum block_type type)
{
	doc_block_t *b;

	xgrow(&s->blocks, &s->cap, s->nblocks + 1, sizeof *s->blocks);
	b = &s->blocks[s->nblocks++];
	memset(b, 0, sizeof *b);
	b->type = type;
	return b;
}

doc_block_t *
doc_add_heading(doc_section_t *s, int level, const char *text)
{
	doc_block_t *b = add_block(s, BLK_HEADING);

	b->level = level;
	b->text = xstrdup(text);
	return b;
}

doc_block_t *
doc_add_para(doc_section_t *s, const char *text)
{
	doc_block_t *b = add_block(s, BLK_PARA);

	b->text = xstrdup(text);
	return b;
}

doc_block_t *
doc_add_list(doc_section_t *s, const char *const *items, size_t n)
{
	doc_block_t *b = add_block(s, BLK_LIST);

	b->items = xcalloc(n, sizeof *b->items);
	for (size_t i = 0; i < n; i++)
		b->items[i] = xstrdup(items[i]);
	b->nitems = n;
	return b;
}

doc_table_t *
doc_add_table(doc_section_t *s, const char *caption, size_t ncols,
    const char *const *head, const enum doc_align *align, const unsigned *weight)
{
	doc_block_t *b = add_block(s, BLK_TABLE);
	doc_table_t *t = xcalloc(1, sizeof *t);

	t->caption = dup_or_null(caption);
	t->ncols = ncols;
	t->head = xcalloc(ncols, sizeof *t->head);
	t->align = xcalloc(ncols, sizeof *t->align);
	t->weight = xcalloc(ncols, sizeof *t->weight);
	t->role = xcalloc(ncols + 1, 1);
	for (size_t i = 0; i < ncols; i++) {
		t->head[i] = xstrdup(head[i]);
		t->align[i] = align ? align[i] : ALIGN_LEFT;
		t->weight[i] = weight ? weight[i] : 1;
	}
	b->table = t;
	return t;
}

void
doc_table_add_row_for(doc_table_t *t, const char *const *cells,
    enum doc_media media)
{
	char **row = xcalloc(t->ncols, sizeof *row);

	for (size_t i = 0; i < t->ncols; i++)
		row[i] = xstrdup(cells[i] ? cells[i] : "");
	t->cells = xrealloc(t->cells, (t->nrows + 1) * sizeof *t->cells);
	t->media = xrealloc(t->media, t->nrows + 1);
	t->media[t->nrows] = (unsigned char)media;
	if (t->row_id != NULL) {
		t->row_id = xrealloc(t->row_id, (t->nrows + 1) * sizeof *t->row_id);
		t->row_id[t->nrows] = NULL;
	}
	t->cells[t->nrows++] = row;
}

void
doc_table_set_id(doc_table_t *t, const char *id)
{
	doc_set(&t->id, id);
}

void
doc_table_set_row_id(doc_table_t *t, size_t r, const char *id)
{
	if (r >= t->nrows)
		return;
	if (t->row_id == NULL)
		t->row_id = xcalloc(t->nrows, sizeof *t->row_id);
	doc_set(&t->row_id[r], id);
}

void
doc_table_set_role(doc_table_t *t, size_t col, enum doc_col_role role)
{
	if (col < t->ncols)
		t->role[col] = (unsigned char)role;
}

void
doc_table_add_row(doc_table_t *t, const char *const *cells)
{
	doc_table_add_row_for(t, cells, MEDIA_ALL);
}

doc_chart_t *
doc_add_chart(doc_section_t *s, const char *title, const char *alt,
    const char *value_label)
{
	doc_block_t *b = add_block(s, BLK_CHART);
	doc_chart_t *c = xcalloc(1, sizeof *c);

	c->title = dup_or_null(title);
	c->alt = dup_or_null(alt);
	c->value_label = dup_or_null(value_label);
	b->chart = c;
	return c;
}

void
doc_chart_add_bar(doc_chart_t *c, const char *label, double value,
    const char *value_text)
{
	size_t n = c->nbars + 1;

	c->labels = xrealloc(c->labels, n * sizeof *c->labels);
	c->values = xrealloc(c->values, n * sizeof *c->values);
	c->value_text = xrealloc(c->value_text, n * sizeof *c->value_text);
	c->labels[c->nbars] = xstrdup(label);
	c->values[c->nbars] = value < 0 ? 0 : value;
	c->value_text[c->nbars] = xstrdup(value_text);
	c->nbars = n;
}

doc_section_t *
doc_add_attachment(doc_t *d, const char *label, const char *title)
{
	doc_section_t *s;

	d->attachments = xrealloc(d->attachments,
	    (d->nattachments + 1) * sizeof *d->attachments);
	s = &d->attachments[d->nattachments++];
	memset(s, 0, sizeof *s);
	s->label = dup_or_null(label);
	s->title = dup_or_null(title);
	return s;
}

static void
free_table(doc_table_t *t)
{
	if (t == NULL)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->cells[r][c]);
		free(t->cells[r]);
		if (t->row_id != NULL)
			free(t->row_id[r]);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->head[c]);
	free(t->media);
	free(t->row_id);
	free(t->role);
	free(t->id);
	free(t->cells);
	free(t->head);
	free(t->align);
	free(t->weight);
	free(t->caption);
	free(t);
}

static void
free_chart(doc_chart_t *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nbars; i++) {
		free(c->labels[i]);
		free(c->value_text[i]);
	}
	free(c->labels);
	free(c->values);
	free(c->value_text);
	free(c->title);
	free(c->alt);
	free(c->value_label);
	free(c);
}

static void
free_section(doc_section_t *s)
{
	for (size_t i = 0; i < s->nblocks; i++) {
		doc_block_t *b = &s->blocks[i];
		free(b->text);
		for (size_t k = 0; k < b->nitems; k++)
			free(b->items[k]);
		free(b->items);
		free_table(b->table);
		free_chart(b->chart);
	}
	free(s->blocks);
	free(s->label);
	free(s->title);
}

void
doc_add_keep(doc_t *d, const char *phrase)
{
	if (phrase == NULL || *phrase == '\0')
		return;
	for (size_t i = 0; i < d->nkeep; i++)
		if (strcmp(d->keep[i], phrase) == 0)
			return;
	d->keep = xrealloc(d->keep, (d->nkeep + 1) * sizeof *d->keep);
	d->keep[d->nkeep++] = xstrdup(phrase);
}

void
doc_free(doc_t *d)
{
	if (d == NULL)
		return;
	free_section(&d->body);
	for (size_t i = 0; i < d->nattachments; i++)
		free_section(&d->attachments[i]);
	free(d->attachments);
	for (size_t i = 0; i < d->nattach_note; i++)
		free(d->attach_note[i]);
	free(d->attach_note);
	for (size_t i = 0; i < d->nkeep; i++)
		free(d->keep[i]);
	free(d->keep);
	char **fields[] = { &d->issuer, &d->doc_number, &d->doc_number_blank,
	    &d->title, &d->recipients, &d->signature, &d->date_cn, &d->cc,
	    &d->printer, &d->print_date, &d->meta.index_no, &d->meta.category,
	    &d->meta.publisher, &d->meta.date_iso, &d->meta.validity,
	    &d->meta.column, &d->meta.keywords, &d->author, &d->subject,
	    &d->anchor };
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		free(*fields[i]);
	free(d);
}
