/*
 * units.h - the unit heads' statements (Art 14) as files to publish: one
 * PDF per unit (units/ID.pdf) and all of them in one (units.pdf), built
 * from templates/statement.xml and rendered on several cores.
 */
#ifndef TB_UNITS_H
#define TB_UNITS_H

#include <stddef.h>
#include "diag.h"
#include "publish.h"
#include "statement.h"
#include "util.h"

typedef struct unit_files {
	out_file_t *files;     /* units/ID.pdf in registry order, then units.pdf */
	size_t      n;
	buf_t      *pdf;       /* what files[i] points to */
	char      **name;
} unit_files_t;

enum units_status { UNITS_OK = 0, UNITS_BAD_TEMPLATE = -1, UNITS_RENDER_FAILED = -2 };

/*
 * Builds every unit's statement from the template folder `templates` and
 * renders it with the fonts of `fonts` into *out.  Returns UNITS_OK, or,
 * after adding errors to dl, UNITS_BAD_TEMPLATE (the wording could not be
 * read or filled) or UNITS_RENDER_FAILED (a PDF could not be made); *out is
 * then empty.
 */
enum units_status unit_files_build(const char *templates, const char *fonts,
    const statement_in_t *in, unit_files_t *out, diag_list_t *dl);
void unit_files_free(unit_files_t *u);

#endif
