/*
 * model.h - the in-memory model every stage after the readers works on:
 * the registry of evaluated units, the scoring rules, and the ledger records.
 * Plain data, owned by its container; freed by the *_free functions of the
 * stage that builds it (config.c, ledger.c).
 *
 * Points are kept as whole tenths of a point (int64) so that sums are exact
 * and output is deterministic; the only fractional points come from the
 * optional proportional base policy, which is rounded half up to a tenth.
 */
#ifndef TB_MODEL_H
#define TB_MODEL_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "tbtime.h"
#include "util.h"

#define NO_UNIT ((size_t)-1)
typedef int64_t tenths;               /* points x 10 */
#define NO_POINTS ((tenths)-1)

/* ---- registry (units.xml) ---------------------------------------------- */

typedef struct group {
	char *id;          /* e.g. "city" */
	char *name;        /* as registry.tsv writes it, e.g. "市州司法局" */
} group_t;

typedef struct category {
	char  *id;         /* e.g. "city-bureau" */
	char  *name;       /* e.g. "市州司法局" (Art 7 wording) */
	size_t group;      /* index into registry.groups */
	int    quota;      /* items per quarter (Art 7) */
} category_t;

typedef struct unit {
	char   *id;        /* stable id, e.g. "wuhan" */
	char   *name;      /* canonical name */
	char  **aliases;
	size_t  naliases;
	size_t  category;  /* index into registry.cats */
	size_t  group;     /* = cats[category].group, copied for convenience */
	char   *head;      /* title of the unit's head for 抄送 (may be NULL) */
} unit_t;

typedef struct registry {
	group_t    *groups;  size_t ngroups;
	category_t *cats;    size_t ncats;
	unit_t     *units;   size_t nunits;   /* registry order */
} registry_t;

/* ---- rules (rules.xml) ----------------------------------------------- */

typedef struct kind {
	char  *name;        /* 动态, 调研-典型经验, 调研-困难问题, 重要紧急, 日常 */
	char **aliases; size_t naliases;
	int    weight;      /* toward the quota (Art 10): 0, 1 or 2 */
	int    min_chars;   /* 0 = no lower bound (Art 3) */
	int    max_chars;   /* 0 = no upper bound */
	bool   urgent;      /* timeliness judged (Art 13) */
} kind_t;

typedef struct carrier {
	char  *name;
	char **aliases; size_t naliases;
	tenths points;      /* NO_POINTS when the rules set none (Art 9/12) */
	bool   high_level;  /* named in the notice as adopted at 司法部/省委/省政府 level or above */
} carrier_t;

enum base_policy { BASE_ALL_OR_NOTHING, BASE_PROPORTIONAL };

typedef struct honours {
	size_t group;       /* index into registry.groups */
	int    units;       /* how many 先进单位 to propose in the group */
} honours_t;

typedef struct rules {
	kind_t    *kinds;    size_t nkinds;
	carrier_t *carriers; size_t ncarriers;
	char     **mailboxes; size_t nmailboxes;   /* accepted channels (Art 8, 13); each may be a name or an address */
	char     **others;   size_t nothers;       /* known ways that are no mailbox: 电话, 短信 ... (SPEC 3.4) */
	int        urgent_limit_minutes;           /* Art 13: 120 */
	tenths     base_points;                    /* Art 8: 600 */
	enum base_policy base_policy;
	honours_t *honours;  size_t nhonours;      /* Art 15, per group */
	int        honour_workers;                 /* Art 15: how many 先进工作者 */
	int        plan_days;                      /* Art 4: 7 */
	int        progress_days;                  /* Art 4: 60 */
	int        long_running_period_days;       /* Art 4: periodic reports */
	char      *contact_name;                   /* the notice's contact line */
	char      *contact_phone;                  /* (SPEC 5); all NULL when */
	char      *contact_email;                  /* rules.xml has no <contact> */
} rules_t;

/* ---- ledger records (ledger.c) ----------------------------------------- */

typedef struct item {
	char    *id;
	size_t   unit;          /* index into registry.units; NO_UNIT: not evaluated now */
	char    *title;
	size_t   kind;          /* index into rules.kinds */
	tb_time  submitted;
	tb_time  event;         /* TB_TIME_NONE when empty */
	char    *channel;
	char    *approver;      /* "" when empty */
	char    *authors;       /* as written: names separated by 、 ; (split_list) */
	char    *directive;     /* "" when none */
	int      chars;         /* 字数, -1 when not stated; next to quarter:
	                           a million items */
	bool     submitted_day; /* the ledger gave a day, no clock time: */
	bool     event_day;     /* the minute stored is that day's 00:00 */
	tb_quarter quarter;     /* quarter folder it was read from */
	const char *file;       /* for messages; owned by the ledger */
	long     line;
} item_t;

typedef struct adoption {
	size_t   item;          /* index into ledger.items */
	size_t   carrier;       /* index into rules.carriers */
	tb_time  date;
	char    *note;
	tb_quarter quarter;
	const char *file;
	long     line;
} adoption_t;

typedef struct directive {
	char    *id;
	char    *title;
	tb_time  issued;
	size_t  *units; size_t nunits;
	bool     long_running;
	const char *file;
	long     line;
} directive_t;

/*
 * Everything read from the data folder for the quarters up to the one asked.
 * Every string lives in the ledger's arena (each distinct channel,
 * approver, author list and note once), as long as the ledger.
 */
typedef struct ledger {
	item_t      *items;      size_t nitems, capitems;
	adoption_t  *adoptions;  size_t nadoptions, capadoptions;
	directive_t *directives; size_t ndirectives, capdirectives;
	char       **files;      size_t nfiles;   /* owned copies of file names */
	arena_t      strings;    /* all strings of the above */
} ledger_t;

#endif
