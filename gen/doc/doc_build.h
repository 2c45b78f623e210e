/*
 * doc_build.h - the notice builder's own header: only notice.c and the
 * doc_*.c files include it; the rest of the program sees notice.h.  The
 * builder's state (nb_t: the model, the phrasebook, the settings, the doc
 * being built), the kinds of document, and the functions the files share:
 *   notice.c        phrases, front and back matter, group tallies, nb_build()
 *   doc_settings.c  the template and a document's settings
 *   doc_quarter.c   the quarterly notice, notice_quarter()
 *   doc_tables.c    its attachments (scores, high-value, not counted, adoptions)
 *   doc_followup.c  its follow-up of directives (Art 4)
 *   doc_annual.c    the annual notice and the 表彰决定, notice_year(), notice_honours()
 */
#ifndef TB_DOC_BUILD_H
#define TB_DOC_BUILD_H

#include "notice.h"
#include "followup.h"
#include "phrases.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* How many they are: the name, value pairs of nb_t.cv. */
enum { NCOMMON = 6 };

/* The placeholders of the paragraphs of 三、存在问题 and 四、下一步工作要求,
 * in the template or in a quarter's notice.xml. */
#define PROBLEM_VARS \
    "unsigned channel late missed missed_units zero_submit zero_adopt"

enum setting {
	S_ISSUER, S_DOC_NUMBER_PATTERN, S_DOC_NUMBER_BLANK, S_RECIPIENTS,
	S_SIGNATURE, S_PRINTER, S_CATEGORY, S_PUBLISHER, S_VALIDITY, S_INDEX_NO,
	S_COLUMN, S_BEST_RANK, S_DOC_NUMBER, S_NUMBER, S_ISSUE_DATE, S_PRINT_DATE,
	S_COUNT
};

typedef struct settings {
	char       *v[S_COUNT];       /* NULL: not given */
	const char *file[S_COUNT];    /* where each value came from */
	long        line[S_COUNT];
	strvec_t    cc;
	bool        cc_given;
	strvec_t    extra;
	long       *extra_line;
	/* a quarter's own 存在问题 and 下一步工作要求 (given: replace the
	 * template's), with the line of each paragraph */
	bool        problems_given, requirements_given;
	strvec_t    problems, requirements;
	long       *problems_line, *requirements_line;
} settings_t;

/* A civil date. */
typedef struct ymd {
	int y, m, d;
} ymd_t;

typedef struct nb {
	const registry_t *reg;
	const rules_t    *rules;
	const ledger_t   *led;
	const results_t  *res;
	const annual_t   *ann;
	const trend_t    *tr;         /* the quarter against the year so far */
	const int        *year_rank_change;  /* the year's, on the previous */
	const bool       *year_rank_known;   /* year's rank, or NULL */
	const followup_t *fu;         /* the quarter's follow-ups (Art 4) */
	char             *tfile;      /* templates/notice.xml */
	char             *sfile;      /* settings file actually read, or NULL */
	phrasebook_t     *pb;         /* <common>, then <quarter> or <year> */
	settings_t        set;
	diag_list_t      *dl;
	size_t            errors0;
	/* common placeholders */
	char              year[16], next_year[16], quarter[16], issue_year[16];
	char              date_cn[40];
	const char       *quarter_cn;
	const char       *cv[2 * NCOMMON];    /* their names and values */
	ymd_t             issue, print;
	doc_t            *doc;
} nb_t;

/* Per group: units evaluated, units that met the quota, sum of totals. */
typedef struct qgroup {
	size_t units, met;
	tenths sum;
} qgroup_t;

/* What one kind of document is built from: the template section, the
 * year and quarter (0: the year) of its dates, the issue date when the
 * settings give none, the prefix of its portal ids, its body. */
typedef struct doc_kind {
	const char          *which;
	const phrase_spec_t *spec;
	size_t               nspec;
	int                  year, quarter;
	ymd_t                dflt;
	const char          *anchor_fmt;   /* "%d" of the year, "%dq%d" */
	void               (*body)(nb_t *);
} doc_kind_t;

/* notice.c: the builder (what each does: its comment there) */
char *nb_join(const strvec_t *sv, const char *sep);
char *nb_say(const nb_t *b, const char *key, ...);
void nb_add_heading(nb_t *b, doc_section_t *s, int level, const char *key);
void nb_add_heading_owned(doc_section_t *s, char *text);
void nb_add_para_owned(doc_section_t *s, char *text);
void nb_add_list(doc_section_t *s, const strvec_t *sv);
char *nb_say_duration(const nb_t *b, long minutes);
char *nb_say_change(const nb_t *b, bool known, tenths delta, const char *up,
    const char *down, const char *same);
void nb_add_paragraphs(nb_t *b, doc_section_t *s, const char *key, bool given,
    const strvec_t *own, const char *const *kv, size_t nkv);
const char *nb_setting(const nb_t *b, enum setting k, const char *dflt);
doc_section_t *nb_attachment(nb_t *b, const char *key);
void nb_extra_paragraphs(nb_t *b);
tenths nb_average(tenths sum, size_t n);
void nb_group_chart(nb_t *b, doc_section_t *s, const tenths *sums,
    const size_t *counts);
doc_table_t *nb_table_from(nb_t *b, doc_section_t *s, const char *caption,
    const char *cols, const enum doc_align *align, const unsigned *weight);
void nb_ranking(doc_table_t *t, const char *id, size_t rank, size_t name,
    size_t key);
void nb_empty_note(nb_t *b, doc_section_t *s);
void nb_named_groups(nb_t *b, strvec_t *names, const char *intro,
    const char *none);
size_t nb_list_cap(nb_t *b, const char *key);
char *nb_more_line(const nb_t *b, const char *key, size_t more);
void nb_more_row(const nb_t *b, doc_table_t *t, const char *key, size_t more);
void nb_contact_line(nb_t *b);
doc_t *nb_build(nb_t *b, const doc_kind_t *k, const char *templates_dir,
    const char *settings_file);

/* doc_settings.c: the template and the settings */
void nb_settings_free(settings_t *s);
int nb_load_template(nb_t *b, const char *templates_dir, const char *which,
    const phrase_spec_t *spec, size_t nspec);
bool nb_parse_ymd(const char *s, ymd_t *out);
int nb_load_settings(nb_t *b, const char *templates_dir,
    const char *settings_file);
int nb_check_settings(nb_t *b);

/* doc_tables.c: the quarter's attachments */
void nb_quarter_scores(nb_t *b, const qgroup_t *gs);
void nb_quarter_high_table(nb_t *b);
void nb_quarter_excluded(nb_t *b);
void nb_quarter_adoptions(nb_t *b);

/* doc_followup.c: Art 4 */
void nb_quarter_followup(nb_t *b);
void nb_quarter_followup_table(nb_t *b);

#endif
