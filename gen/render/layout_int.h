/*
 * layout_int.h - the layout's own header: only layout.c and
 * layout_columns.c include it; the rest of the program sees layout.h.  A
 * paragraph prepared once (struct lay_text: its break opportunities,
 * squeezes, widths, and the steps of its lines as the width grows) and
 * the one function both files set it with.
 *   layout.c          line breaks, 标点挤压, where each character goes,
 *                     kept phrases, titles
 *   layout_columns.c  the columns of a table, chosen from its cells
 */
#ifndef TB_LAYOUT_INT_H
#define TB_LAYOUT_INT_H

#include "layout.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lay_text {
	const uint32_t      *cp;
	const double        *adv;
	size_t               n;
	char                *brk;     /* breaks(), layout.c */
	const unsigned char *keep;    /* or NULL */
	double              *sq0;     /* the pair squeezes (标点挤压), or NULL
	                                 when no character can be squeezed */
	double              *sq;      /* the squeezes of the setting being made */
	double               em;
	/* the widest unbreakable piece ignoring / respecting the keeps, and
	 * the longest line without breaks */
	double               minw, keepw, maxw;
	/* its lines as the width grows (steps_build, layout_columns.c): from
	 * width ws[k] on it sets in ls[k] lines, breaking a kept phrase when
	 * bs[k] */
	double              *ws;
	size_t              *ls, nsteps;
	bool                *bs;
};

/*
 * Sets t at o's widths (layout.c): the lines into *out (NULL: only
 * counted), the squeezes into t->sq, whether a kept phrase broke into
 * *broke, and into *next (when not NULL) the narrowest wider width at
 * which a line would take the next piece.  Returns the number of lines.
 */
size_t layout_set_text(lay_text_t *t, const lay_opts_t *o, lay_line_t **out,
    bool *broke, double *next);

#endif
