/*
 * pdftag.c - the structure tree of a tagged PDF (see pdftag.h).
 *
 * The objects are made through the libharu adapter (hpdfx.h) and filled
 * with libharu's public HPDF_Dict_* and HPDF_Array_* functions.  Every
 * element is an indirect object (the ParentTree must point at the owners
 * of marked content, and an element's parent at it); an element's /K is a
 * single MCID or child where it has one, else an array in reading order,
 * an MCID on another page than the element's /Pg (the page of its first
 * content) as a marked-content reference.  Elements have no /Type (it is
 * optional, and 14 bytes each of the several thousand a quarter's tables
 * make).
 */
#include "pdftag.h"
#include "hpdfx.h"
#include "layout.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
tag_init(tagtree_t *t)
{
	memset(t, 0, sizeof *t);
}

void
tag_free(tagtree_t *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].kids);
		free(t->e[i].alt);
	}
	free(t->e);
	free(t->next_mcid);
	memset(t, 0, sizeof *t);
}

static void
add_kid(tag_elem_t *e, tag_kid_t k)
{
	xgrow(&e->kids, &e->cap, e->nkids + 1, sizeof *e->kids);
	e->kids[e->nkids++] = k;
}

int
tag_add(tagtree_t *t, int parent, const char *type)
{
	int id = (int)t->n;

	xgrow(&t->e, &t->cap, t->n + 1, sizeof *t->e);
	memset(&t->e[t->n], 0, sizeof t->e[t->n]);
	t->e[t->n].type = type;
	t->e[t->n].parent = parent;
	t->n++;
	if (parent >= 0)
		add_kid(&t->e[parent], (tag_kid_t){.elem = id, .page = -1,
		    .mcid = -1});
	return id;
}

int
tag_mcid(tagtree_t *t, int e, int page)
{
	int mcid;

	if ((size_t)page >= t->npages) {
		size_t n = (size_t)page + 1;

		t->next_mcid = xrealloc(t->next_mcid, n * sizeof *t->next_mcid);
		memset(t->next_mcid + t->npages, 0, (n - t->npages) *
		    sizeof *t->next_mcid);
		t->npages = n;
	}
	mcid = t->next_mcid[page]++;
	add_kid(&t->e[e], (tag_kid_t){.elem = -1, .page = page, .mcid = mcid});
	return mcid;
}

void
tag_set_alt(tagtree_t *t, int e, const char *alt)
{
	free(t->e[e].alt);
	t->e[e].alt = alt ? xstrdup(alt) : NULL;
}

void
tag_set_scope(tagtree_t *t, int e, const char *scope)
{
	t->e[e].scope = scope;
}

tag_state_t
tag_save(const tagtree_t *t)
{
	tag_state_t s = {.n = t->n, .nkids = xcalloc(t->n + 1,
	    sizeof *s.nkids)};

	for (size_t i = 0; i < t->n; i++)
		s.nkids[i] = t->e[i].nkids;
	return s;
}

void
tag_rewind(tagtree_t *t, tag_state_t *s, int first_page)
{
	for (size_t i = s->n; i < t->n; i++) {
		free(t->e[i].kids);
		free(t->e[i].alt);
	}
	t->n = s->n;
	for (size_t i = 0; i < t->n; i++)
		t->e[i].nkids = s->nkids[i];
	for (size_t p = first_page < 0 ? 0 : (size_t)first_page;
	    p < t->npages; p++)
		t->next_mcid[p] = 0;
	tag_state_free(s);
}

void
tag_state_free(tag_state_t *s)
{
	free(s->nkids);
	s->nkids = NULL;
	s->n = 0;
}

/* ---- writing ------------------------------------------------------------ */

/* The page of an element: that of its first marked content, or -1. */
static int
elem_page(const tag_elem_t *e)
{
	for (size_t i = 0; i < e->nkids; i++)
		if (e->kids[i].elem < 0)
			return e->kids[i].page;
	return -1;
}

/* Element i's dictionary: /S, /P, /Pg, /K, /Alt, /A. */
static int
write_elem(const tagtree_t *t, HPDF_Doc pdf, const HPDF_Page *pages,
    int npages, HPDF_Dict *obj, HPDF_Dict root, size_t i)
{
	const tag_elem_t *e = &t->e[i];
	HPDF_Dict d = obj[i];
	int pg = elem_page(e);
	HPDF_STATUS st = HPDF_OK;

	st |= HPDF_Dict_AddName(d, "S", e->type);
	st |= HPDF_Dict_Add(d, "P", e->parent >= 0 ? obj[e->parent] : root);
	if (pg >= 0 && pg < npages)
		st |= HPDF_Dict_Add(d, "Pg", pages[pg]);
	if (e->nkids == 1 && (e->kids[0].elem >= 0 || e->kids[0].page == pg))
		st |= e->kids[0].elem >= 0 ?
		    HPDF_Dict_Add(d, "K", obj[e->kids[0].elem]) :
		    HPDF_Dict_AddNumber(d, "K", e->kids[0].mcid);
	else if (e->nkids > 0) {
		HPDF_Array k = hpdfx_array(pdf);

		if (!k || HPDF_Dict_Add(d, "K", k) != HPDF_OK)
			return -1;
		for (size_t j = 0; j < e->nkids; j++) {
			const tag_kid_t *c = &e->kids[j];
			HPDF_Dict mcr;

			if (c->elem >= 0)
				st |= HPDF_Array_Add(k, obj[c->elem]);
			else if (c->page == pg)
				st |= HPDF_Array_AddNumber(k, c->mcid);
			else if (c->page < npages &&
			    (mcr = hpdfx_direct_dict(pdf)) != NULL) {
				st |= HPDF_Array_Add(k, mcr);
				st |= HPDF_Dict_AddName(mcr, "Type", "MCR");
				st |= HPDF_Dict_Add(mcr, "Pg", pages[c->page]);
				st |= HPDF_Dict_AddNumber(mcr, "MCID", c->mcid);
			} else
				return -1;
		}
	}
	if (e->alt) {
		uint32_t *cp = NULL;
		size_t n = layout_decode(e->alt, &cp);

		st |= HPDF_Dict_Add(d, "Alt", hpdfx_text(pdf, cp, n));
		free(cp);
	}
	if (e->scope) {
		HPDF_Dict a = hpdfx_direct_dict(pdf);

		if (!a || HPDF_Dict_Add(d, "A", a) != HPDF_OK)
			return -1;
		st |= HPDF_Dict_AddName(a, "O", "Table");
		st |= HPDF_Dict_AddName(a, "Scope", e->scope);
	}
	return st == HPDF_OK ? 0 : -1;
}

/* The ParentTree: for each page, the owner of each of its MCIDs. */
static int
write_parents(const tagtree_t *t, HPDF_Doc pdf, const HPDF_Page *pages,
    int npages, HPDF_Dict *obj, HPDF_Dict root)
{
	HPDF_Dict tree = hpdfx_direct_dict(pdf);
	HPDF_Array nums = hpdfx_array(pdf);
	int **owner = xcalloc((size_t)npages + 1, sizeof *owner);
	int rc = 0;

	if (!tree || !nums || HPDF_Dict_Add(root, "ParentTree", tree) !=
	    HPDF_OK || HPDF_Dict_Add(tree, "Nums", nums) != HPDF_OK)
		rc = -1;
	for (int p = 0; p < npages; p++) {
		size_t n = (size_t)p < t->npages ? (size_t)t->next_mcid[p] : 0;

		owner[p] = xmalloc((n + 1) * sizeof **owner);
		for (size_t k = 0; k < n; k++)
			owner[p][k] = -1;
	}
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; j < t->e[i].nkids; j++) {
			const tag_kid_t *c = &t->e[i].kids[j];

			if (c->elem < 0 && c->page < npages &&
			    (size_t)c->page < t->npages &&
			    c->mcid < t->next_mcid[c->page])
				owner[c->page][c->mcid] = (int)i;
		}
	for (int p = 0; p < npages && rc == 0; p++) {
		size_t n = (size_t)p < t->npages ? (size_t)t->next_mcid[p] : 0;
		HPDF_Array a = hpdfx_array(pdf);

		if (!a || HPDF_Array_AddNumber(nums, p) != HPDF_OK ||
		    HPDF_Array_Add(nums, a) != HPDF_OK ||
		    HPDF_Dict_AddNumber(pages[p], "StructParents", p) != HPDF_OK) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < n && rc == 0; k++)
			/* every MCID handed out belongs to an element */
			if (owner[p][k] < 0 ||
			    HPDF_Array_Add(a, obj[owner[p][k]]) != HPDF_OK)
				rc = -1;
	}
	for (int p = 0; p < npages; p++)
		free(owner[p]);
	free(owner);
	if (rc == 0 && HPDF_Dict_AddNumber(root, "ParentTreeNextKey", npages) !=
	    HPDF_OK)
		rc = -1;
	return rc;
}

int
tag_write(const tagtree_t *t, HPDF_Doc pdf, const HPDF_Page *pages,
    int npages, const char *lang, const char *const *rolemap)
{
	HPDF_Dict *obj = xcalloc(t->n + 1, sizeof *obj);
	HPDF_Dict root = hpdfx_dict(pdf), cat = hpdfx_catalog(pdf), mark, roles;
	int rc = -1;

	if (!root || !cat || t->n == 0)
		goto done;
	for (size_t i = 0; i < t->n; i++)
		if (!(obj[i] = hpdfx_dict(pdf)))
			goto done;
	if (HPDF_Dict_AddName(root, "Type", "StructTreeRoot") != HPDF_OK ||
	    HPDF_Dict_Add(root, "K", obj[0]) != HPDF_OK)
		goto done;
	for (size_t i = 0; i < t->n; i++)
		if (write_elem(t, pdf, pages, npages, obj, root, i) != 0)
			goto done;
	if (write_parents(t, pdf, pages, npages, obj, root) != 0)
		goto done;
	if (rolemap && rolemap[0]) {
		if (!(roles = hpdfx_direct_dict(pdf)) ||
		    HPDF_Dict_Add(root, "RoleMap", roles) != HPDF_OK)
			goto done;
		for (size_t i = 0; rolemap[i] && rolemap[i + 1]; i += 2)
			if (HPDF_Dict_AddName(roles, rolemap[i], rolemap[i + 1]) !=
			    HPDF_OK)
				goto done;
	}
	if (!(mark = hpdfx_direct_dict(pdf)) ||
	    HPDF_Dict_Add(cat, "MarkInfo", mark) != HPDF_OK ||
	    HPDF_Dict_Add(mark, "Marked", hpdfx_bool(pdf, 1)) != HPDF_OK ||
	    HPDF_Dict_Add(cat, "StructTreeRoot", root) != HPDF_OK ||
	    (lang && HPDF_Dict_Add(cat, "Lang", hpdfx_string(pdf, lang)) !=
	    HPDF_OK))
		goto done;
	rc = 0;
done:
	free(obj);
	return rc;
}
