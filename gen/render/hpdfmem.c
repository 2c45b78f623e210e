/*
 * hpdfmem.c - libharu's memory, as the rest of the program's: an
 * allocation that fails ends the run with a message and exit 70
 * (util.h), where libharu would go on after its own failed malloc and
 * crash freeing what it half made (HPDF_Obj_ForceFree, seen under
 * RLIMIT_AS: exit 139 with no word).
 *
 * HPDF_New() is defined here on purpose: the linker prefers a definition
 * in the executable to libhpdf's, so every document the PDF backend
 * creates (render_pdf.c calls HPDF_New) gets HPDF_NewEx() with these
 * allocators, without the backend knowing.  Nothing else of libharu is
 * touched.
 */
#include "util.h"

#include <hpdf.h>
#include <stdlib.h>


static void * HPDF_STDCALL
hpdf_alloc(HPDF_UINT size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		tb_out_of_memory(size);
	return p;
}

static void HPDF_STDCALL
hpdf_free(void *p)
{
	free(p);
}

HPDF_Doc
HPDF_New(HPDF_Error_Handler user_error_fn, void *user_data)
{
	return HPDF_NewEx(user_error_fn, hpdf_alloc, hpdf_free, 0, user_data);
}
