/*
 * render_pdf_chart.c - the bar chart of the PDF backend (render_pdf_int.h),
 * drawn as vector graphics: a Figure whose /Alt states its data.
 */
#include "render_pdf_int.h"

/*
 * A horizontal bar chart: the title on the grid, one bar per label scaled
 * to the largest value, the printed value after each bar.
 */
int
rp_draw_chart(rd_t *r, const doc_chart_t *c)
{
	style_t lab = ST_BODY;
	shaped_t s = {0};
	double labw = 0, maxv = 0, pitch = 22, barh = 13, x0, span, h;
	para_opts_t po = {0, 0, 0, ALIGN_CENTER, false, false, 0};
	int rc = 0, prev;

	lab.size = 12;
	lab.track = 0;
	for (size_t i = 0; i < c->nbars; i++) {
		rp_shape(r, &lab, c->labels[i], &s);
		if (rp_shaped_width(&s, 0, s.n) > labw)
			labw = rp_shaped_width(&s, 0, s.n);
		rp_shaped_free(&s);
		if (c->values[i] > maxv)
			maxv = c->values[i];
	}
	if (labw > FW(r) * 0.4)
		labw = FW(r) * 0.4;
	h = (double)c->nbars * pitch + pitch;
	/* title, then the bars on one page */
	if (r->y - PITCH - h < FBOT(r) && rp_new_page(r, true) != 0)
		return -1;
	/* a Figure whose /Alt states its data; its title is its Caption,
	 * its labels, bars and values its content */
	prev = rp_tag_open(r, "Figure");
	tag_set_alt(&r->tags, r->tcur, c->alt ? c->alt : c->title);
	if (c->title && rp_tagged_para(r, "Caption", &ST_HEI, c->title,
	    &po) != 0) {
		rp_tag_close(r, prev);
		return -1;
	}
	x0 = FL(r) + 2 * CELL + labw + 8;
	span = FL(r) + FW(r) - 2 * CELL - 60 - x0;
	for (size_t i = 0; i < c->nbars; i++) {
		double top = r->y - (double)i * pitch - (pitch - barh) / 2;
		double len = maxv > 0 ? c->values[i] / maxv * span : 0;
		double base = top - barh / 2 - lab.size * 0.36, w;

		rp_shape(r, &lab, c->labels[i], &s);
		w = rp_shaped_width(&s, 0, s.n);
		rp_draw_shaped(r, &lab, &s, 0, s.n, x0 - 8 - w, base, NULL);
		rp_shaped_free(&s);
		rp_mark(r);
		pen_fill_rgb(&r->pen, 0.55, 0.1, 0.1);
		pen_fill_rect(&r->pen, x0, top - barh, len, barh);
		rp_shape(r, &lab, c->value_text && c->value_text[i] ?
		    c->value_text[i] : "", &s);
		rp_draw_shaped(r, &lab, &s, 0, s.n, x0 + len + 6, base, NULL);
		rp_shaped_free(&s);
	}
	/* the axis */
	rp_mark(r);
	pen_stroke_rgb(&r->pen, 0, 0, 0);
	pen_line_width(&r->pen, 0.6);
	pen_move(&r->pen, x0, r->y);
	pen_line(&r->pen, x0, r->y - (double)c->nbars * pitch);
	pen_stroke(&r->pen);
	r->y -= (double)c->nbars * pitch;
	if (c->value_label && *c->value_label) {
		po.align = ALIGN_RIGHT;
		lab.size = 12;
		rp_shape(r, &lab, c->value_label, &s);
		rp_draw_shaped(r, &lab, &s, 0, s.n,
		    FL(r) + FW(r) - 2 * CELL - rp_shaped_width(&s, 0, s.n),
		    r->y - 14, NULL);
		rp_shaped_free(&s);
		r->y -= 18;
	}
	rp_tag_close(r, prev);
	if (rp_hpdf_failed(r, "drawing a chart"))
		rc = -1;
	return rc;
}
