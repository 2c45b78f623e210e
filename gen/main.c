/*
 * main.c - the command line (SPEC 4) and the pipeline of DESIGN.md, in
 * order: load (registry, rules, ledgers) -> validate -> score (and the
 * follow-ups of directives) -> notice and unit statements -> render (PDF,
 * HTML, CSV) -> publish.  Only this file chooses exit codes
 * (sysexits.h): 0 done, 64 bad usage, 65 bad input data, 73 cannot write
 * the output, 75 another run holds the lock.
 *
 * Where the program finds its own files: --templates/--fonts, else the
 * environment (TONGBAO_TEMPLATES, TONGBAO_FONTS), else the nearest
 * templates/ and fonts/ above the executable (a build tree: gen/tongbao,
 * out/build/san/tongbao), else the installed DATADIR.
 */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include "diag.h"
#include "docxml.h"
#include "export.h"
#include "followup.h"
#include "ledger.h"
#include "notice.h"
#include "publish.h"
#include "render.h"
#include "score.h"
#include "statement.h"
#include "units.h"
#include "util.h"
#include "xlsxwrite.h"
#include "xmlread.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef TB_DATADIR
#define TB_DATADIR "/usr/local/share/tongbao"
#endif
#define TB_VERSION "0.1.0"

enum {
	EX_OK_ = 0, EX_USAGE_ = 64, EX_DATAERR_ = 65, EX_CANTCREAT_ = 73,
	EX_TEMPFAIL_ = 75,
};

enum command { CMD_NONE, CMD_QUARTER, CMD_YEAR, CMD_CHECK, CMD_TEMPLATE };
enum { FMT_CSV = 1, FMT_PDF = 2, FMT_HTML = 4, FMT_UNITS = 8, FMT_ALL = 15 };

struct options {
	enum command  cmd;
	const char   *period;      /* "2017Q1" or "2017", NULL for the default */
	const char   *data, *out, *today;
	const char   *templates, *fonts;
	const char   *base_url;    /* --base-url, ending in '/' (base_url_buf) */
	enum csv_encoding encoding;
	unsigned      formats;     /* FMT_* bits to publish */
	int           quiet;
	unsigned      wait;        /* --wait: seconds to wait for the lock */
	int           tty;         /* stderr is a terminal: show progress */
	char         *templates_buf, *fonts_buf, *schema_dir, *base_url_buf;
};

static const char usage_head[] =
"usage: tongbao quarter [YYYYQn] --data DIR --out DIR [options]\n"
"       tongbao year YYYY --data DIR --out DIR [options]\n"
"       tongbao check [YYYYQn] --data DIR [options]\n"
"       tongbao template YYYYQn --data DIR --out DIR\n"
"\n"
"Commands:\n"
"  quarter   score a quarter and publish OUT/YYYYQn/: tongbao.pdf (the 通报),\n"
"            index.html and index.fragment.html (portal), scores.csv and\n"
"            scores.xlsx (with the year to date and the changes),\n"
"            adoptions.csv, followups.csv (Art 4), notice.xml, and each\n"
"            unit head's statement (Art 14): units/ID.pdf, all of them in\n"
"            units.pdf (default quarter: the one before today's); reads\n"
"            the year's earlier quarters for the year to date\n"
"  year      sum the four quarters of YYYY and publish OUT/YYYY/: annual.csv,\n"
"            workers.csv (and .xlsx), the annual notice (tongbao.pdf,\n"
"            index.html), the draft 表彰决定 (biaozhang.pdf, .html)\n"
"  check     validate the quarter's data and write nothing\n"
"  template  write empty ledgers for the quarter as Excel workbooks:\n"
"            OUT/YYYYQn/submissions.xlsx, adoptions.xlsx, directives.xlsx,\n"
"            with drop-down lists from the data folder's units.xml and\n"
"            rules.xml; never overwrites a file (exit 73)\n"
"\n"
"Options:\n";

static const char usage_tail[] =
"\n"
"Exit status: 0 done, 64 bad usage, 65 bad input data (nothing written),\n"
"70 out of memory, 73 cannot write the output, 75 another run holds the\n"
"lock of the folder.\n";

/* getopt_long's codes of the options without a letter */
enum {
	OPT_DATA = 256, OPT_OUT, OPT_TODAY, OPT_FORMATS, OPT_ENCODING,
	OPT_WAIT, OPT_TEMPLATES, OPT_BASE_URL, OPT_FONTS, OPT_VERSION,
};

/*
 * The options, in the order --help lists them: getopt_long's table and
 * the "Options:" part of the usage are both made from this one table.
 * `help` is the text beside the option, its lines separated by '\n'.
 */
static const struct option_def {
	const char *name;      /* --name */
	int         code;      /* the letter (-q), or an OPT_ code */
	const char *arg;       /* what the value is, "DIR"; NULL: a flag */
	const char *help;
} option_defs[] = {
	{ "data", OPT_DATA, "DIR",
	    "the data folder (units.xml, rules.xml, YYYYQn/)" },
	{ "out", OPT_OUT, "DIR", "the output folder" },
	{ "today", OPT_TODAY, "YYYY-MM-DD",
	    "take this as today (default quarter; re-runs, tests)" },
	{ "formats", OPT_FORMATS, "LIST",
	    "what to publish, of csv (with the .xlsx workbooks),\n"
	    "pdf,html,units (the unit\n"
	    "heads' statements; default: all)" },
	{ "encoding", OPT_ENCODING, "ENC",
	    "CSV encoding: auto (default: UTF-8, else GB18030),\n"
	    "utf-8, gb18030 or gbk, in any letter case" },
	{ "wait", OPT_WAIT, "SECONDS",
	    "wait so long for another run publishing the same\n"
	    "folder (default 0: exit 75 at once)" },
	{ "templates", OPT_TEMPLATES, "DIR",
	    "wording, page templates and schemas (default: installed)" },
	{ "base-url", OPT_BASE_URL, "URL",
	    "the http(s) URL at which OUT is served: the portal\n"
	    "page's links become absolute (default: relative)" },
	{ "fonts", OPT_FONTS, "DIR",
	    "font configuration of the PDF (default: installed)" },
	{ "quiet", 'q', NULL, "print nothing but errors" },
	{ "help", 'h', NULL, "this text" },
	{ "version", OPT_VERSION, NULL, "the version" },
};

#define HELP_COLUMN 20          /* where the text beside an option begins */

/* The usage: commands, the options of option_defs, exit status. */
static void
usage(FILE *fp)
{
	fputs(usage_head, fp);
	for (size_t i = 0; i < ARRAY_LEN(option_defs); i++) {
		const struct option_def *d = &option_defs[i];
		char label[64], letter[8] = "";
		const char *h = d->help, *nl;

		if (d->code < OPT_DATA)
			snprintf(letter, sizeof letter, "-%c, ", d->code);
		snprintf(label, sizeof label, "%s--%s%s%s", letter, d->name,
		    d->arg != NULL ? " " : "", d->arg != NULL ? d->arg : "");
		fprintf(fp, "  %-*s", HELP_COLUMN, label);
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(fp, "%.*s\n  %-*s", (int)(nl - h), h, HELP_COLUMN,
			    "");
			h = nl + 1;
		}
		fprintf(fp, "%s\n", h);
	}
	fputs(usage_tail, fp);
}

static void
logf_(const struct options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_(const struct options *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	if (o->tty)
		fputs("\r\033[K", stderr);    /* over the progress line */
	fputs("tongbao: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A progress line, only on a terminal (never in cron's mail). */
static void
progress(const struct options *o, const char *what, const char *sub)
{
	if (o->quiet || !o->tty)
		return;
	fprintf(stderr, "\r\033[Ktongbao: %s: %s...", sub, what);
	fflush(stderr);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The nearest DIR/name above the executable holding `probe`, or NULL. */
static char *
find_near_exe(const char *name, const char *probe)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 5; up++) {
		char *slash = strrchr(exe, '/');
		char *cand, *p;
		if (slash == NULL || slash == exe)
			break;
		*slash = '\0';
		cand = xasprintf("%s/%s", exe, name);
		p = xasprintf("%s/%s", cand, probe);
		if (is_file(p)) {
			free(p);
			return cand;
		}
		free(p);
		free(cand);
	}
	return NULL;
}

static void
resolve_dirs(struct options *o)
{
	if (o->templates == NULL)
		o->templates = getenv("TONGBAO_TEMPLATES");
	if (o->templates == NULL)
		o->templates = o->templates_buf = find_near_exe("templates", "schema/units.xsd");
	if (o->templates == NULL)
		o->templates = o->templates_buf = xstrdup(TB_DATADIR "/templates");
	if (o->fonts == NULL)
		o->fonts = getenv("TONGBAO_FONTS");
	if (o->fonts == NULL)
		o->fonts = o->fonts_buf = find_near_exe("fonts", "fonts.conf");
	if (o->fonts == NULL)
		o->fonts = o->fonts_buf = xstrdup(TB_DATADIR "/fonts");
	o->schema_dir = xasprintf("%s/schema", o->templates);
}

/* Equal but for the case of ASCII letters (an option's value). */
static bool
ascii_caseeq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

/*
 * --base-url: an http or https URL without spaces, quotes, angle brackets,
 * backslashes, a query or a fragment, which the links of the page are
 * appended to (a '/' is added when it lacks one).  Returns 0, or -1 after
 * printing why.
 */
static int
check_base_url(struct options *o)
{
	const char *u = o->base_url;
	size_t n = strlen(u);
	const char *rest = strncmp(u, "https://", 8) == 0 ? u + 8 :
	    strncmp(u, "http://", 7) == 0 ? u + 7 : NULL;

	if (rest == NULL || *rest == '\0' || *rest == '/' ||
	    strpbrk(u, " \"'<>\\`?#{}|^") != NULL) {
		fprintf(stderr, "tongbao: --base-url '%s' is not an http(s) URL "
		    "like https://www.example.gov.cn/tongbao/\n", u);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f) {
			fprintf(stderr, "tongbao: --base-url may hold only "
			    "printable ASCII (percent-encode the rest)\n");
			return -1;
		}
	o->base_url = o->base_url_buf = u[n - 1] == '/' ? xstrdup(u) :
	    xasprintf("%s/", u);
	return 0;
}

/* --formats LIST.  Returns 0 or EX_USAGE_ after printing why. */
static int
set_formats(struct options *o, const char *v)
{
	static const struct { const char *name; unsigned bit; } fmts[] = {
		{ "csv", FMT_CSV }, { "pdf", FMT_PDF }, { "html", FMT_HTML },
		{ "units", FMT_UNITS },
	};
	strvec_t names = { 0 };
	int rc = 0;

	split_list(v, &names);
	o->formats = 0;
	for (size_t n = 0; n < names.n && rc == 0; n++) {
		size_t k;

		for (k = 0; k < ARRAY_LEN(fmts); k++)
			if (strcmp(names.v[n], fmts[k].name) == 0)
				break;
		if (k == ARRAY_LEN(fmts)) {
			fprintf(stderr, "tongbao: unknown format '%s' (csv, pdf, html, units)\n", names.v[n]);
			rc = EX_USAGE_;
		} else {
			o->formats |= fmts[k].bit;
		}
	}
	strvec_free(&names);
	if (rc == 0 && o->formats == 0) {
		fputs("tongbao: --formats needs some of csv, pdf, html, units\n", stderr);
		rc = EX_USAGE_;
	}
	return rc;
}

/* --wait SECONDS.  Returns 0 or EX_USAGE_ after printing why. */
static int
set_wait(struct options *o, const char *w)
{
	char *end;
	unsigned long v = strtoul(w, &end, 10);

	if (*w < '0' || *w > '9' || *end != '\0' || v > 86400) {
		fprintf(stderr, "tongbao: --wait '%s' is not a number "
		    "of seconds (0 to 86400)\n", w);
		return EX_USAGE_;
	}
	o->wait = (unsigned)v;
	return 0;
}

/* --encoding ENC.  Returns 0 or EX_USAGE_ after printing why. */
static int
set_encoding(struct options *o, const char *e)
{
	static const struct { const char *name; enum csv_encoding enc; } encs[] = {
		{ "auto", ENC_AUTO }, { "utf-8", ENC_UTF8 }, { "utf8", ENC_UTF8 },
		{ "gb18030", ENC_GB18030 }, { "gbk", ENC_GB18030 },
	};

	for (size_t k = 0; k < ARRAY_LEN(encs); k++)
		if (ascii_caseeq(e, encs[k].name)) {
			o->encoding = encs[k].enc;
			return 0;
		}
	fprintf(stderr, "tongbao: unknown encoding '%s' (auto, utf-8, gb18030, gbk)\n", e);
	return EX_USAGE_;
}

/* The command or the period: the words that are not options, in order.
 * Returns 0 or EX_USAGE_ after printing why. */
static int
set_word(struct options *o, const char *a)
{
	static const struct { const char *name; enum command cmd; } cmds[] = {
		{ "quarter", CMD_QUARTER }, { "year", CMD_YEAR }, { "check", CMD_CHECK },
		{ "template", CMD_TEMPLATE },
	};

	if (a[0] == '-') {                      /* "-" alone, or after "--" */
		fprintf(stderr, "tongbao: unknown option '%s'\n", a);
	} else if (o->cmd == CMD_NONE) {
		for (size_t k = 0; k < ARRAY_LEN(cmds); k++)
			if (strcmp(a, cmds[k].name) == 0)
				o->cmd = cmds[k].cmd;
		if (o->cmd != CMD_NONE)
			return 0;
		fprintf(stderr, "tongbao: unknown command '%s'\n", a);
	} else if (o->period == NULL) {
		o->period = a;
		return 0;
	} else {
		fprintf(stderr, "tongbao: unexpected argument '%s'\n", a);
	}
	usage(stderr);
	return EX_USAGE_;
}

static const struct option_def *
option_def_of(int code)
{
	for (size_t i = 0; i < ARRAY_LEN(option_defs); i++)
		if (option_defs[i].code == code)
			return &option_defs[i];
	return NULL;
}

/* Is `text` (an argument as written) option d spelt out in full, "--name"
 * or "--name=VALUE"?  getopt_long takes any unique prefix too, which a
 * later option could make ambiguous in someone's crontab: refused. */
static bool
spelt_out(const char *text, const struct option_def *d)
{
	size_t n = strlen(d->name);

	if (strncmp(text, "--", 2) != 0)
		return true;                    /* the letter: -q, -h */
	return strncmp(text + 2, d->name, n) == 0 &&
	    (text[2 + n] == '\0' || text[2 + n] == '=');
}

/*
 * The command line through getopt_long, with option_defs as its table.
 * Options and words are taken in the order written ("-" in the option
 * string), so the first mistake is the one reported, and --help or
 * --version ends the parsing where it stands.  A value is the next
 * argument, whatever it looks like, or follows '=' (--data=DIR).
 * Returns 0, -1 when the command was --help or --version (done), or
 * EX_USAGE_ after printing why.
 */
static int
parse_args(int argc, char **argv, struct options *o)
{
	struct option longopts[ARRAY_LEN(option_defs) + 1];
	int c, rc = 0;

	memset(longopts, 0, sizeof longopts);
	for (size_t i = 0; i < ARRAY_LEN(option_defs); i++)
		longopts[i] = (struct option){ option_defs[i].name,
		    option_defs[i].arg != NULL ? required_argument : no_argument,
		    NULL, option_defs[i].code };
	opterr = 0;                             /* our messages, not getopt's */
	while (rc == 0 && (c = getopt_long(argc, argv, "-:hq", longopts,
	    NULL)) != -1) {
		const char *text = argv[optind - 1], *val = optarg;
		const struct option_def *d;

		if (c == 1) {
			rc = set_word(o, val);
			continue;
		}
		if (c == '?') {
			/* an unknown option, or --quiet=x */
			if (optopt != 0 && option_def_of(optopt) == NULL)
				fprintf(stderr, "tongbao: unknown option '-%c'\n",
				    optopt);
			else
				fprintf(stderr, "tongbao: unknown option '%s'\n",
				    text);
			usage(stderr);
			rc = EX_USAGE_;
			continue;
		}
		if (c == ':') {
			/* no value: the lists and numbers read it as "", as
			 * they always did, and say why that will not do */
			c = optopt;
			val = "";
		} else if (val != NULL && val == argv[optind - 1] && optind >= 2) {
			text = argv[optind - 2];        /* --data DIR */
		}
		d = option_def_of(c);
		if (d == NULL || !spelt_out(text, d)) {
			fprintf(stderr, "tongbao: unknown option '%s'\n", text);
			usage(stderr);
			rc = EX_USAGE_;
			continue;
		}
		if (optarg == NULL && d->arg != NULL && c != OPT_FORMATS &&
		    c != OPT_WAIT && c != OPT_ENCODING) {
			fprintf(stderr, "tongbao: option %s needs a value\n", text);
			rc = EX_USAGE_;
			continue;
		}
		switch (c) {
		case 'h': {
			char *ledgers = ledger_help();

			usage(stdout);
			printf("\n%s", ledgers);
			free(ledgers);
			return -1;
		}
		case OPT_VERSION:
			printf("tongbao %s\n", TB_VERSION);
			return -1;
		case 'q':         o->quiet = 1; break;
		case OPT_DATA:      o->data = val; break;
		case OPT_OUT:       o->out = val; break;
		case OPT_TODAY:     o->today = val; break;
		case OPT_TEMPLATES: o->templates = val; break;
		case OPT_FONTS:     o->fonts = val; break;
		case OPT_BASE_URL:  o->base_url = val; break;
		case OPT_FORMATS:   rc = set_formats(o, val); break;
		case OPT_WAIT:      rc = set_wait(o, val); break;
		case OPT_ENCODING:  rc = set_encoding(o, val); break;
		default:            break;
		}
	}
	if (rc != 0)
		return rc;
	/* the words after "--" */
	for (; optind < argc; optind++)
		if ((rc = set_word(o, argv[optind])) != 0)
			return rc;
	if (o->cmd == CMD_NONE) {
		usage(stderr);
		return EX_USAGE_;
	}
	if (o->data == NULL || (o->cmd != CMD_CHECK && o->out == NULL)) {
		fprintf(stderr, "tongbao: %s needs --data DIR%s\n",
		    o->cmd == CMD_CHECK ? "check" : o->cmd == CMD_YEAR ? "year" :
		    o->cmd == CMD_TEMPLATE ? "template" : "quarter",
		    o->cmd == CMD_CHECK ? "" : " and --out DIR");
		return EX_USAGE_;
	}
	if (o->cmd == CMD_YEAR && o->period == NULL) {
		fputs("tongbao: year needs the year, e.g. tongbao year 2017\n", stderr);
		return EX_USAGE_;
	}
	if (o->base_url != NULL && check_base_url(o) != 0)
		return EX_USAGE_;
	return 0;
}

/* The quarter asked for, or the one before today's.  Returns 0 or EX_USAGE_. */
static int
target_quarter(const struct options *o, tb_quarter *q)
{
	tb_time today;

	if (o->period != NULL) {
		if (!tb_quarter_parse(o->period, q)) {
			fprintf(stderr, "tongbao: '%s' is not a quarter like 2017Q1\n", o->period);
			return EX_USAGE_;
		}
		return 0;
	}
	if (o->today != NULL) {
		if (!tb_time_parse(o->today, &today)) {
			fprintf(stderr, "tongbao: --today '%s' is not a date like 2017-04-05\n", o->today);
			return EX_USAGE_;
		}
	} else {
		/* the ledger's local time is UTC+8 */
		today = (tb_time)(time(NULL) / 60) + 8 * 60;
	}
	*q = tb_quarter_of(today) - 1;
	return 0;
}

/* DATA/YYYYQn/NAME when the quarter overrides it, else DATA/NAME. */
static char *
config_path(const char *data, tb_quarter q, const char *name)
{
	char qs[16];
	char *p;

	tb_quarter_format(q, qs, sizeof qs);
	p = xasprintf("%s/%s/%s", data, qs, name);
	if (is_file(p))
		return p;
	free(p);
	return xasprintf("%s/%s", data, name);
}

/*
 * The time the outputs are dated (the PDF's CreationDate and ModDate,
 * README "Decisions"): SOURCE_DATE_EPOCH when it is set (the
 * reproducible-builds convention), else the newest modification time of
 * the data files the run reads: DATA/units.xml and rules.xml, the ledgers
 * and settings of quarters first..last of `year`, and DATA/YYYY/notice.xml
 * when `annual`.  The same files give the same time, so the same bytes.
 * Returns 0 with *t set (0 when no file was found), or -1 after an error
 * (a SOURCE_DATE_EPOCH that is not a number of seconds).
 */
static int
input_time(const struct options *o, int year, int first, int last,
    bool annual, long long *t, diag_list_t *dl)
{
	static const char *const names[] = {
		"units.xml", "rules.xml", "notice.xml",
		"submissions.csv", "submissions.xml", "submissions.xlsx",
		"adoptions.csv", "adoptions.xml", "adoptions.xlsx",
		"directives.csv", "directives.xml", "directives.xlsx",
	};
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	*t = 0;
	if (sde != NULL && *sde != '\0') {
		char *end = NULL;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
			diag_error(dl, NULL, 0, "SOURCE_DATE_EPOCH '%s' is not a "
			    "number of seconds since 1970", sde);
			return -1;
		}
		*t = v;
		return 0;
	}
	/* DATA/ (registry, rules), the quarters' folders, the year's */
	for (int k = 0; k <= last - first + 2; k++) {
		char qs[16], *dir = NULL;

		if (k == 0)
			dir = xstrdup(o->data);
		else if (k <= last - first + 1) {
			tb_quarter_format(tb_quarter_make(year, first + k - 1), qs,
			    sizeof qs);
			dir = xasprintf("%s/%s", o->data, qs);
		} else if (annual)
			dir = xasprintf("%s/%d", o->data, year);
		else
			break;
		for (size_t i = 0; i < ARRAY_LEN(names); i++) {
			char *p = xasprintf("%s/%s", dir, names[i]);

			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    (long long)st.st_mtime > *t)
				*t = (long long)st.st_mtime;
			free(p);
		}
		free(dir);
	}
	return 0;
}

/* Everything one quarter needs, loaded and scored. */
struct quarter_run {
	tb_quarter  q;
	registry_t  reg;
	rules_t     rules;
	ledger_t    led;
	results_t   res;
	int         loaded, scored;
};

static void
quarter_run_free(struct quarter_run *r)
{
	if (r->scored)
		results_free(&r->res);
	if (r->loaded) {
		ledger_free(&r->led);
		rules_free(&r->rules);
		registry_free(&r->reg);
	}
	memset(r, 0, sizeof *r);
}

/* Loads and validates one quarter; scores it when the data is clean.
 * Returns 0 or EX_DATAERR_ (diagnostics in dl). */
static int
load_and_score(const struct options *o, tb_quarter q, struct quarter_run *r,
    diag_list_t *dl)
{
	char *units = config_path(o->data, q, "units.xml");
	char *rules = config_path(o->data, q, "rules.xml");
	ledger_opts_t lo = { o->encoding, o->schema_dir };
	int rc = EX_DATAERR_;
	char qs[16];
	double t0 = now_ms();

	memset(r, 0, sizeof *r);
	r->q = q;
	tb_quarter_format(q, qs, sizeof qs);
	progress(o, "reading the data", qs);
	if (registry_load(units, o->schema_dir, &r->reg, dl) != 0)
		goto cleanup;
	if (rules_load(rules, o->schema_dir, &r->reg, &r->rules, dl) != 0) {
		registry_free(&r->reg);
		goto cleanup;
	}
	r->loaded = 1;
	if (ledger_load(o->data, q, &r->reg, &r->rules, &lo, &r->led, dl) != 0)
		goto cleanup;
	logf_(o, "%s: read %zu units, %zu items and %zu adoptions up to this quarter (%.0f ms)",
	    qs, r->reg.nunits, r->led.nitems, r->led.nadoptions, now_ms() - t0);
	t0 = now_ms();
	score_quarter(&r->reg, &r->rules, &r->led, q, &r->res);
	r->scored = 1;
	logf_(o, "%s: scored %zu items of the quarter (%.0f ms)", qs,
	    r->res.nitems, now_ms() - t0);
	rc = 0;
cleanup:
	free(units);
	free(rules);
	return rc;
}

/* Takes the lock and publishes files into OUT/sub.  Returns an exit code. */
static int
publish(const struct options *o, const char *sub, const out_file_t *files,
    size_t n, diag_list_t *dl)
{
	char *dir = xasprintf("%s/%s", o->out, sub);
	int fd = -1, rc = EX_CANTCREAT_;
	size_t written = 0;

	progress(o, "publishing", sub);
	switch (publish_lock(o->out, sub, o->wait, &fd, dl)) {
	case PUB_OK:
		break;
	case PUB_LOCKED:
		rc = EX_TEMPFAIL_;
		goto cleanup;
	default:
		goto cleanup;
	}
	if (publish_files(dir, files, n, &written, dl) != PUB_OK)
		goto cleanup;
	logf_(o, "published %s: %zu of %zu files changed", dir, written, n);
	rc = 0;
cleanup:
	publish_unlock(fd);
	free(dir);
	return rc;
}

/*
 * The notice's outputs besides the portal page: notice.xml, made when the
 * notice is built, and its PDF, made when the files are gathered for
 * publication.  (The PDF used to be made on a thread of its own beside
 * the workbooks and the statements; measured, that gained nothing on the
 * sample quarter and year, README "Benchmark", and cost a second copy of
 * the rendering's memory, so it is made in turn.)
 */
struct notice_out {
	const doc_t *doc;          /* NULL: no notice */
	bool         want_pdf;
	buf_t        xml;          /* notice.xml */
	buf_t        pdf;
	const char  *fonts;
};

/* Serializes doc (NULL: none) as notice.xml and notes whether the formats
 * ask for its PDF.  Returns 0, or -1 after adding errors to dl. */
static int
notice_begin(const struct options *o, const doc_t *doc, struct notice_out *n,
    diag_list_t *dl)
{
	memset(n, 0, sizeof *n);
	buf_init(&n->xml);
	buf_init(&n->pdf);
	n->doc = doc;
	n->fonts = o->fonts;
	n->want_pdf = doc != NULL && (o->formats & FMT_PDF);
	if (doc == NULL)
		return 0;
	return docxml_write(doc, &n->xml, dl);
}

/* Renders the PDF into n->pdf; its messages go to dl, after the ones
 * before them.  Returns 0 or -1. */
static int
notice_pdf(struct notice_out *n, diag_list_t *dl)
{
	diag_list_t own = { 0 };
	int rc = render_pdf(n->doc, n->fonts, &n->pdf, &own);

	/* a backend that fails must say so, even when its library did not */
	if (rc != 0 && own.errors == 0)
		diag_error(&own, NULL, 0, "cannot render the notice as PDF: "
		    "the PDF backend failed without saying why (out of memory?)");
	diag_move(dl, &own);
	return rc;
}

static void
notice_out_free(struct notice_out *n)
{
	buf_free(&n->xml);
	buf_free(&n->pdf);
}

/*
 * Renders the portal page of n->doc linking to files[0..nfiles) (offered
 * for download: the names in `offers`, in that order) and appends
 * index.html, index.fragment.html and tongbao.css to files.  Returns 0 or
 * -1.
 */
static int
render_portal(const struct options *o, const char *sub,
    const struct notice_out *n, out_file_t *files, size_t *nfiles,
    const char *const *offers, buf_t *html, buf_t *fragment, buf_t *css,
    diag_list_t *dl)
{
	html_file_t *hf = xcalloc(*nfiles + 1, sizeof *hf);
	bool *taken = xcalloc(*nfiles + 1, sizeof *taken);
	char *base = o->base_url == NULL ? NULL :
	    xasprintf("%s%s/", o->base_url, sub);
	html_links_t links = { hf, 0, base };
	size_t e0;
	int rc;

	for (const char *const *off = offers; *off != NULL; off++)
		for (size_t i = 0; i < *nfiles; i++)
			if (!taken[i] && strcmp(files[i].name, *off) == 0) {
				hf[links.nfiles++] = (html_file_t){ files[i].name,
				    files[i].data->len, true };
				taken[i] = true;
			}
	for (size_t i = 0; i < *nfiles; i++)
		if (!taken[i])
			hf[links.nfiles++] = (html_file_t){ files[i].name,
			    files[i].data->len, false };
	e0 = dl->errors;
	rc = render_html_links(n->doc, o->templates, &links, html, fragment,
	    css, dl);
	if (rc != 0 && dl->errors == e0)
		diag_error(dl, NULL, 0, "cannot render the notice as HTML: the "
		    "HTML backend failed without saying why (out of memory?)");
	if (rc == 0) {
		files[(*nfiles)++] = (out_file_t){ "index.html", html, false };
		files[(*nfiles)++] = (out_file_t){ "index.fragment.html",
		    fragment, false };
		files[(*nfiles)++] = (out_file_t){ "tongbao.css", css, false };
	}
	free(base);
	free(taken);
	free(hf);
	return rc;
}

/*
 * Publishes into OUT/sub, all or nothing: the CSV files (and workbooks),
 * the notice begun by notice_begin (n: notice.xml, its PDF made here,
 * then its portal page, which links to all of these with the `offers`
 * listed for download), and the `more` files (already rendered: the
 * statements).  Returns an exit code.
 */
static int
render_and_publish(const struct options *o, const char *sub,
    struct notice_out *n, const out_file_t *csv, size_t ncsv,
    const out_file_t *more, size_t nmore, const char *const *offers,
    diag_list_t *dl)
{
	buf_t html, fragment, css;
	out_file_t *files = xcalloc(ncsv + nmore + 8, sizeof *files);
	size_t n_ = 0;
	int rc = EX_CANTCREAT_;
	double t0 = now_ms();

	buf_init(&html);
	buf_init(&fragment);
	buf_init(&css);
	for (size_t i = 0; (o->formats & FMT_CSV) && i < ncsv; i++)
		files[n_++] = csv[i];
	if (n->doc != NULL)
		files[n_++] = (out_file_t){ "notice.xml", &n->xml, false };
	if (n->want_pdf) {
		progress(o, "rendering the notice", sub);
		if (notice_pdf(n, dl) != 0)
			goto cleanup;
		/* the archive's copy: a replaced PDF is kept under superseded/ */
		files[n_++] = (out_file_t){ "tongbao.pdf", &n->pdf, true };
	}
	for (size_t i = 0; i < nmore; i++)
		files[n_++] = more[i];
	if (n->doc != NULL && (o->formats & FMT_HTML)) {
		progress(o, "rendering the portal page", sub);
		if (render_portal(o, sub, n, files, &n_, offers, &html,
		    &fragment, &css, dl) != 0)
			goto cleanup;
	}
	if (n->doc != NULL)
		logf_(o, "%s: rendered the notice: PDF %zu bytes, HTML %zu bytes (%.0f ms)",
		    sub, n->pdf.len, html.len, now_ms() - t0);
	rc = publish(o, sub, files, n_, dl);
cleanup:
	free(files);
	buf_free(&html);
	buf_free(&fragment);
	buf_free(&css);
	return rc;
}

/* The unit heads' statements (Art 14).  Returns an exit code. */
static int
render_statements(const struct options *o, const struct quarter_run *r,
    const trend_t *tr, const doc_t *notice, const followup_t *fu,
    unit_files_t *out, diag_list_t *dl)
{
	statement_in_t in = { &r->reg, &r->rules, &r->led, &r->res, tr, notice,
	    fu };
	double t0 = now_ms();
	char qs[16];

	tb_quarter_format(r->q, qs, sizeof qs);
	progress(o, "rendering the statements", qs);
	switch (unit_files_build(o->templates, o->fonts, &in, out, dl)) {
	case UNITS_OK:
		break;
	case UNITS_BAD_TEMPLATE:
		return EX_DATAERR_;
	case UNITS_RENDER_FAILED:
	default:
		return EX_CANTCREAT_;
	}
	logf_(o, "%s: rendered %zu statements and units.pdf (%.0f ms)", qs,
	    out->n - 1, now_ms() - t0);
	return 0;
}

/* A local (UTC+8) tb_time as a time_t: the fixed creation date of a
 * workbook, so that the same data gives the same bytes. */
static time_t
local_time_t(tb_time t)
{
	return (time_t)(t - 8 * 60) * 60;
}

/* The workbook twin of a CSV output (SPEC 3.5): the same rows and
 * figures, made from the CSV bytes themselves so they cannot differ.
 * Returns 0 or EX_CANTCREAT_. */
static int
workbook_of(const struct options *o, const char *sub, const char *name,
    const buf_t *csv, const char *group_col, const char *all, tb_time when,
    buf_t *out, diag_list_t *dl)
{
	char *err = NULL, *path;
	int e;

	errno = 0;
	if (xlsx_from_csv(csv, group_col, all, local_time_t(when), out,
	    &err) == 0)
		return 0;
	/* libxlsxwriter builds it in a temporary file: the system's reason
	 * (a full disk) is errno's */
	e = errno;
	path = xasprintf("%s/%s/%s", o->out, sub, name);
	diag_error(dl, path, 0, "cannot make %s: %s%s%s%s", name, err,
	    e ? " (" : "", e ? strerror(e) : "", e ? ")" : "");
	free(path);
	free(err);
	return EX_CANTCREAT_;
}

static scored_quarter_t
scored_of(const struct quarter_run *r)
{
	return (scored_quarter_t){ &r->reg, &r->rules, &r->led, &r->res };
}

/*
 * Loads and scores the quarters of q's year before q, each as its own run
 * does (its registry, rules and ledger): the year to date and the changes
 * of the notice (SPEC 5) are sums and differences of what those runs
 * published.  Returns 0 or EX_DATAERR_: an earlier quarter that cannot be
 * read cannot give a year to date, and the notice never prints a guess.
 */
static int
load_earlier(const struct options *o, tb_quarter q, struct quarter_run *prev,
    size_t *n, diag_list_t *dl)
{
	int num = tb_quarter_num(q), rc = 0;

	*n = 0;
	for (int k = 1; k < num; k++) {
		diag_list_t own = { 0 };
		tb_quarter e = tb_quarter_make(tb_quarter_year(q), k);
		char es[16];

		/* that quarter's warnings are its own run's to give; its
		 * errors stop this one, with everything said about them */
		if (load_and_score(o, e, &prev[k - 1], &own) != 0)
			rc = EX_DATAERR_;
		diag_flush(&own);
		tb_quarter_format(e, es, sizeof es);
		if (own.errors > 0)
			diag_move(dl, &own);
		else if (own.warnings > 0)
			logf_(o, "%s: %zu warnings of that quarter not repeated",
			    es, own.warnings);
		diag_free(&own);
		*n = (size_t)k;
	}
	return rc;
}

/*
 * A partial run (--formats csv) into a folder that holds the other formats
 * from an earlier run would publish a set whose parts disagree: a new
 * scores.csv beside an old tongbao.pdf and index.html.  So the formats
 * already published in OUT/sub are refreshed with the ones asked for, and
 * the set stays one (README, "Publication").  Returns the formats to make.
 */
static unsigned
formats_to_make(const struct options *o, const char *sub, bool year)
{
	static const struct { const char *name; unsigned fmt; bool year; }
	marks[] = {
		{ "scores.csv", FMT_CSV, false }, { "scores.xlsx", FMT_CSV, false },
		{ "adoptions.csv", FMT_CSV, false },
		{ "followups.csv", FMT_CSV, false },
		{ "annual.csv", FMT_CSV, true }, { "annual.xlsx", FMT_CSV, true },
		{ "workers.csv", FMT_CSV, true }, { "workers.xlsx", FMT_CSV, true },
		{ "tongbao.pdf", FMT_PDF, false }, { "tongbao.pdf", FMT_PDF, true },
		{ "biaozhang.pdf", FMT_PDF, true },
		{ "index.html", FMT_HTML, false }, { "index.html", FMT_HTML, true },
		{ "index.fragment.html", FMT_HTML, false },
		{ "index.fragment.html", FMT_HTML, true },
		{ "biaozhang.html", FMT_HTML, true },
		{ "units.pdf", FMT_UNITS, false },
	};
	static const char *const names[] = { "csv", "pdf", "html", "units" };
	char *dir = xasprintf("%s/%s", o->out, sub);
	unsigned have = 0, more;

	for (size_t i = 0; i < ARRAY_LEN(marks); i++)
		if (marks[i].year == year && publish_has(dir, marks[i].name))
			have |= marks[i].fmt;
	more = have & ~o->formats;
	if (more != 0) {
		buf_t b;

		buf_init(&b);
		for (size_t k = 0; k < ARRAY_LEN(names); k++)
			if (more & (1u << k))
				buf_printf(&b, "%s%s", b.len ? ", " : "", names[k]);
		logf_(o, "%s: also refreshing %s: %s holds them from an earlier "
		    "run, and a published set is never half new", sub, b.data,
		    dir);
		buf_free(&b);
	}
	free(dir);
	return o->formats | have;
}

static int
cmd_quarter(const struct options *opt, diag_list_t *dl)
{
	struct options eff = *opt;
	const struct options *o = &eff;
	struct quarter_run r, prev[3];
	scored_quarter_t earlier[3], cur;
	size_t nprev = 0;
	unit_files_t st;
	buf_t scores, scores_x, followups, adoptions, items;
	followup_t fu;
	trend_t tr;
	doc_t *doc = NULL;
	struct notice_out nout;
	char qs[16], *settings = NULL;
	tb_quarter q;
	int rc;
	static const char *const offers[] = { "tongbao.pdf", "scores.xlsx",
	    "scores.csv", NULL };

	memset(&nout, 0, sizeof nout);
	memset(&r, 0, sizeof r);
	memset(prev, 0, sizeof prev);
	memset(&st, 0, sizeof st);
	memset(&fu, 0, sizeof fu);
	memset(&tr, 0, sizeof tr);
	buf_init(&scores);
	buf_init(&scores_x);
	buf_init(&followups);
	buf_init(&adoptions);
	buf_init(&items);
	if ((rc = target_quarter(o, &q)) != 0)
		return rc;
	tb_quarter_format(q, qs, sizeof qs);
	if (o->cmd == CMD_QUARTER)
		eff.formats = formats_to_make(o, qs, false);
	if ((rc = load_and_score(o, q, &r, dl)) != 0)
		goto cleanup;
	if ((rc = load_earlier(o, q, prev, &nprev, dl)) != 0) {
		diag_error(dl, o->data, 0, "%s: the year to date needs every "
		    "earlier quarter of %d to be readable; mend the errors above",
		    qs, tb_quarter_year(q));
		goto cleanup;
	}
	for (size_t k = 0; k < nprev; k++)
		earlier[k] = scored_of(&prev[k]);
	cur = scored_of(&r);
	trend_quarter(&cur, earlier, nprev, &tr);
	if (o->cmd == CMD_CHECK) {
		logf_(o, "%s: the data is valid (%zu warnings)", qs, dl->warnings);
		goto cleanup;
	}
	/* Art 4, once: followups.csv, the notice and the statements */
	followup_quarter(&r.reg, &r.rules, &r.led, q, &fu);
	if (o->formats & (FMT_PDF | FMT_HTML | FMT_UNITS)) {
		settings = xasprintf("%s/%s/notice.xml", o->data, qs);
		doc = notice_quarter(&r.reg, &r.rules, &r.led, &r.res, &tr,
		    &fu, o->templates, settings, dl);
		if (doc == NULL) {
			rc = EX_DATAERR_;
			goto cleanup;
		}
		if (input_time(o, tb_quarter_year(q), 1, tb_quarter_num(q),
		    false, &doc->created, dl) != 0) {
			rc = EX_USAGE_;
			goto cleanup;
		}
	}
	/* notice.xml (its PDF when the files are gathered) */
	if (notice_begin(o, doc, &nout, dl) != 0) {
		rc = EX_CANTCREAT_;
		goto cleanup;
	}
	export_scores(&r.reg, &r.res, &tr, &scores);
	export_adoptions(&r.reg, &r.rules, &r.led, &r.res, &adoptions);
	/* the full list behind the notice's capped ones goes with the notice */
	if (doc != NULL)
		export_items(&r.reg, &r.rules, &r.led, &r.res, &items);
	if ((o->formats & FMT_CSV) && (rc = workbook_of(o, qs, "scores.xlsx",
	    &scores, "group", "全部单位", tb_quarter_end(q) - 1, &scores_x,
	    dl)) != 0)
		goto cleanup;
	followup_csv(&r.reg, &r.led, &fu, &followups);
	if ((o->formats & FMT_UNITS) &&
	    (rc = render_statements(o, &r, &tr, doc, &fu, &st, dl)) != 0)
		goto cleanup;
	{
		const out_file_t csv[] = {
			{ "scores.csv", &scores, false },
			{ "scores.xlsx", &scores_x, false },
			{ "followups.csv", &followups, false },
			{ "adoptions.csv", &adoptions, false },
		};
		out_file_t *more = xcalloc(st.n + 2, sizeof *more);
		size_t nmore = 0;

		for (size_t i = 0; i < st.n; i++)
			more[nmore++] = st.files[i];
		if (doc != NULL)
			more[nmore++] = (out_file_t){ "items.csv", &items, false };
		rc = render_and_publish(o, qs, &nout, csv, ARRAY_LEN(csv),
		    more, nmore, offers, dl);
		free(more);
	}
cleanup:
	notice_out_free(&nout);
	unit_files_free(&st);
	followup_free(&fu);
	trend_free(&tr);
	doc_free(doc);
	free(settings);
	buf_free(&scores);
	buf_free(&scores_x);
	buf_free(&followups);
	buf_free(&adoptions);
	buf_free(&items);
	for (size_t k = 0; k < 3; k++)
		quarter_run_free(&prev[k]);
	quarter_run_free(&r);
	return rc;
}

/*
 * Loads and scores the four quarters of `year` into r[0..3] and sums them
 * (score_year) into *ann: the year-end registry and rules decide the
 * table and the honours.  Returns 0, or -1 after errors (every quarter is
 * read, so that all their problems are reported at once).
 */
static int
load_year(const struct options *o, int year, struct quarter_run *r,
    annual_t *ann, diag_list_t *dl)
{
	const results_t *res[4];
	const ledger_t *leds[4];
	const registry_t *regs[4];
	int rc = 0;

	for (int k = 0; k < 4; k++) {
		if (load_and_score(o, tb_quarter_make(year, k + 1), &r[k], dl) != 0)
			rc = -1;
		res[k] = r[k].scored ? &r[k].res : NULL;
		leds[k] = &r[k].led;
		regs[k] = &r[k].reg;
	}
	if (rc == 0)
		score_year(&r[3].reg, &r[3].rules, year, res, leds, regs, ann);
	return rc;
}

/*
 * The year before `year` summed as its own annual run would (load_year),
 * when the data folder holds all four of its quarters: for the change of
 * rank on the previous year (SPEC 5).  Returns 1 with *prev and its
 * year-end run filled, 0 when that year is not there (a warning names the
 * missing quarter when only part of it is), or -1 after errors.
 */
static int
load_previous_year(const struct options *o, long year, struct quarter_run *r,
    annual_t *prev, diag_list_t *dl)
{
	int present = 0;
	char missing[16] = "";

	for (int k = 0; k < 4; k++) {
		char qs[16], *p;

		tb_quarter_format(tb_quarter_make((int)year - 1, k + 1), qs,
		    sizeof qs);
		p = xasprintf("%s/%s", o->data, qs);
		if (is_dir(p))
			present++;
		else if (missing[0] == '\0')
			snprintf(missing, sizeof missing, "%s", qs);
		free(p);
	}
	if (present < 4) {
		if (present > 0)
			diag_warning(dl, o->data, 0, "%s is missing: the annual "
			    "notice shows no change of rank on %ld", missing,
			    year - 1);
		return 0;
	}
	return load_year(o, (int)year - 1, r, prev, dl) != 0 ? -1 : 1;
}

/* Renders the 表彰决定 as OUT/YYYY/biaozhang.pdf and .html. */
static int
render_honours(const struct options *o, const doc_t *doc, buf_t *pdf,
    buf_t *html, diag_list_t *dl)
{
	buf_t fragment;
	int rc = 0;

	buf_init(&fragment);
	if ((o->formats & FMT_PDF) && render_pdf(doc, o->fonts, pdf, dl) != 0)
		rc = EX_CANTCREAT_;
	if (rc == 0 && (o->formats & FMT_HTML) &&
	    render_html(doc, o->templates, html, &fragment, dl) != 0)
		rc = EX_CANTCREAT_;
	buf_free(&fragment);
	return rc;
}

static int
cmd_year(const struct options *opt, diag_list_t *dl)
{
	struct options eff = *opt;
	const struct options *o = &eff;
	struct quarter_run r[4], pr[4];
	annual_t ann, prev;
	buf_t annual, workers, annual_x, workers_x, bz_pdf, bz_html;
	doc_t *doc = NULL, *honours = NULL;
	struct notice_out nout;
	char *end = NULL, *settings = NULL;
	long year = strtol(o->period, &end, 10);
	int rc = 0, have_ann = 0, have_prev = 0, *rank_change = NULL;
	bool *rank_known = NULL;
	static const char *const offers[] = { "tongbao.pdf", "annual.xlsx",
	    "annual.csv", "workers.xlsx", "workers.csv", NULL };

	memset(&nout, 0, sizeof nout);
	memset(r, 0, sizeof r);
	memset(pr, 0, sizeof pr);
	buf_init(&bz_pdf);
	buf_init(&bz_html);
	buf_init(&annual);
	buf_init(&workers);
	buf_init(&annual_x);
	buf_init(&workers_x);
	if (*end != '\0' || year < 1900 || year > 9999) {
		fprintf(stderr, "tongbao: '%s' is not a year like 2017\n", o->period);
		return EX_USAGE_;
	}
	eff.formats = formats_to_make(o, o->period, true);
	if (load_year(o, (int)year, r, &ann, dl) != 0) {
		rc = EX_DATAERR_;
		goto cleanup;
	}
	have_ann = 1;
	if ((have_prev = load_previous_year(o, year, pr, &prev, dl)) < 0) {
		have_prev = 0;
		rc = EX_DATAERR_;
		goto cleanup;
	}
	if (have_prev) {
		rank_change = xcalloc(ann.nunits + 1, sizeof *rank_change);
		rank_known = xcalloc(ann.nunits + 1, sizeof *rank_known);
		trend_year_ranks(&r[3].reg, &ann, &pr[3].reg, &prev, rank_change,
		    rank_known);
	}
	if (o->formats & (FMT_PDF | FMT_HTML)) {
		settings = xasprintf("%s/%ld/notice.xml", o->data, year);
		doc = notice_year(&r[3].reg, &r[3].rules, &ann, rank_change,
		    rank_known, o->templates, settings, dl);
		honours = doc == NULL ? NULL : notice_honours(&r[3].reg,
		    &r[3].rules, &ann, o->templates, settings, dl);
		if (doc == NULL || honours == NULL) {
			rc = EX_DATAERR_;
			goto cleanup;
		}
		/* the year's data, and the year before's when it was read */
		if (input_time(o, (int)year, 1, 4, true, &doc->created, dl) != 0 ||
		    (have_prev && input_time(o, (int)year - 1, 1, 4, false,
		    &honours->created, dl) != 0)) {
			rc = EX_USAGE_;
			goto cleanup;
		}
		if (honours->created < doc->created)
			honours->created = doc->created;
		doc->created = honours->created;
		/* notice.xml (its PDF when the files are gathered) */
		if (notice_begin(o, doc, &nout, dl) != 0) {
			rc = EX_CANTCREAT_;
			goto cleanup;
		}
		progress(o, "rendering the 表彰决定", o->period);
		if ((rc = render_honours(o, honours, &bz_pdf, &bz_html, dl)) != 0)
			goto cleanup;
	}
	export_annual(&r[3].reg, &ann, &annual);
	export_workers(&r[3].reg, &ann, &workers);
	if ((o->formats & FMT_CSV) &&
	    ((rc = workbook_of(o, o->period, "annual.xlsx", &annual, "group",
	    "全部单位", tb_quarter_end(r[3].q) - 1, &annual_x, dl)) != 0 ||
	    (rc = workbook_of(o, o->period, "workers.xlsx", &workers, NULL,
	    "先进工作者", tb_quarter_end(r[3].q) - 1, &workers_x, dl)) != 0))
		goto cleanup;
	{
		char ys[16];
		const out_file_t csv[] = {
			{ "annual.csv", &annual, false },
			{ "annual.xlsx", &annual_x, false },
			{ "workers.csv", &workers, false },
			{ "workers.xlsx", &workers_x, false },
		};
		out_file_t more[2];
		size_t nmore = 0;

		if (o->formats & FMT_PDF)
			more[nmore++] = (out_file_t){ "biaozhang.pdf", &bz_pdf,
			    true };
		if (o->formats & FMT_HTML)
			more[nmore++] = (out_file_t){ "biaozhang.html", &bz_html,
			    false };
		snprintf(ys, sizeof ys, "%ld", year);
		rc = render_and_publish(o, ys, &nout, csv, ARRAY_LEN(csv), more,
		    nmore, offers, dl);
	}
cleanup:
	notice_out_free(&nout);
	if (have_ann)
		annual_free(&ann);
	if (have_prev)
		annual_free(&prev);
	free(rank_change);
	free(rank_known);
	doc_free(honours);
	buf_free(&bz_pdf);
	buf_free(&bz_html);
	doc_free(doc);
	free(settings);
	buf_free(&annual);
	buf_free(&workers);
	buf_free(&annual_x);
	buf_free(&workers_x);
	for (int k = 0; k < 4; k++) {
		quarter_run_free(&r[k]);
		quarter_run_free(&pr[k]);
	}
	return rc;
}

/* ---- tongbao template (SPEC 3.5) ---------------------------------------- */

/* The drop-down of ledger k's column `en`, if it has one: the names a
 * clerk picks from.  Fills *items (the model's strings; caller frees the
 * array) and returns their number. */
static size_t
template_list(const registry_t *reg, const rules_t *rules, enum ledger_kind k,
    const char *en, const char ***items)
{
	size_t n = 0;

	*items = NULL;
	if (strcmp(en, "unit") == 0 || (k == LG_DIR && strcmp(en, "units") == 0)) {
		*items = xcalloc(reg->nunits + 1, sizeof **items);
		for (size_t u = 0; u < reg->nunits; u++)
			(*items)[n++] = reg->units[u].name;
	} else if (k == LG_SUB && strcmp(en, "type") == 0) {
		*items = xcalloc(rules->nkinds + 1, sizeof **items);
		for (size_t i = 0; i < rules->nkinds; i++)
			(*items)[n++] = rules->kinds[i].name;
	} else if (k == LG_ADOPT && strcmp(en, "carrier") == 0) {
		/* a carrier without points is an error to use (Art 9) */
		*items = xcalloc(rules->ncarriers + 1, sizeof **items);
		for (size_t i = 0; i < rules->ncarriers; i++)
			if (rules->carriers[i].points != NO_POINTS)
				(*items)[n++] = rules->carriers[i].name;
	} else if (k == LG_SUB && strcmp(en, "channel") == 0) {
		*items = xcalloc(rules->nmailboxes + rules->nothers + 1,
		    sizeof **items);
		for (size_t i = 0; i < rules->nmailboxes; i++)
			(*items)[n++] = rules->mailboxes[i];
		for (size_t i = 0; i < rules->nothers; i++)
			(*items)[n++] = rules->others[i];
	}
	return n;
}

/* One ledger's empty workbook.  Returns 0 or EX_CANTCREAT_. */
static int
template_book(const registry_t *reg, const rules_t *rules, enum ledger_kind k,
    time_t created, buf_t *out, diag_list_t *dl)
{
	size_t ncols, nlists = 0;
	const frame_col_t *cols = ledger_columns(k, &ncols);
	const char **headers = xcalloc(ncols, sizeof *headers);
	const char **notes = xcalloc(ncols, sizeof *notes);
	int *kinds = xcalloc(ncols, sizeof *kinds);
	xlsx_list_t *lists = xcalloc(ncols, sizeof *lists);
	char *err = NULL;
	int rc = 0;

	for (size_t c = 0; c < ncols; c++) {
		const char **items;
		size_t n = template_list(reg, rules, k, cols[c].en, &items);

		headers[c] = cols[c].cn;
		notes[c] = cols[c].note;
		kinds[c] = ledger_column_is_time(k, c) ? XLSX_TIME :
		    strcmp(cols[c].en, "chars") == 0 ? XLSX_NUMBER : XLSX_TEXT;
		if (n > 0)
			lists[nlists++] = (xlsx_list_t){ c, items, n };
		else
			free(items);
	}
	if (xlsx_template(headers, notes, kinds, ncols, lists, nlists, created,
	    out, &err) != 0) {
		diag_error(dl, NULL, 0, "cannot make the %s template: %s",
		    ledger_name(k), err);
		rc = EX_CANTCREAT_;
	}
	for (size_t i = 0; i < nlists; i++)
		free((void *)lists[i].items);
	free(err);
	free(lists);
	free(kinds);
	free(notes);
	free(headers);
	return rc;
}

/*
 * tongbao template YYYYQn --data DIR --out DIR: the quarter's empty
 * ledgers as workbooks, with the registry and rules in force for it.  An
 * existing ledger of any form in OUT/YYYYQn is never overwritten, nor
 * joined by a second form of itself (SPEC 3.5: exit 73 naming it).
 */
static int
cmd_template(const struct options *o, diag_list_t *dl)
{
	registry_t reg;
	rules_t rules;
	tb_quarter q;
	buf_t books[LG_N];
	out_file_t files[LG_N];
	char qs[16], *names[LG_N] = { NULL };
	char *units = NULL, *rulesf = NULL;
	int rc, loaded = 0;

	if (o->period == NULL) {
		fputs("tongbao: template needs the quarter, e.g. tongbao template "
		    "2017Q1\n", stderr);
		return EX_USAGE_;
	}
	if ((rc = target_quarter(o, &q)) != 0)
		return rc;
	tb_quarter_format(q, qs, sizeof qs);
	for (int k = 0; k < LG_N; k++)
		buf_init(&books[k]);
	rc = EX_CANTCREAT_;
	for (int k = 0; k < LG_N; k++) {
		static const char *const ext[] = { "xlsx", "csv", "xml" };

		for (size_t e = 0; e < ARRAY_LEN(ext); e++) {
			char *p = xasprintf("%s/%s/%s.%s", o->out, qs,
			    ledger_name((enum ledger_kind)k), ext[e]);

			if (is_file(p))
				diag_error(dl, p, 0, "exists: tongbao template never "
				    "overwrites a ledger; move it away first");
			free(p);
		}
	}
	if (dl->errors > 0)
		goto cleanup;
	units = config_path(o->data, q, "units.xml");
	rulesf = config_path(o->data, q, "rules.xml");
	rc = EX_DATAERR_;
	if (registry_load(units, o->schema_dir, &reg, dl) != 0)
		goto cleanup;
	if (rules_load(rulesf, o->schema_dir, &reg, &rules, dl) != 0) {
		registry_free(&reg);
		goto cleanup;
	}
	loaded = 1;
	for (int k = 0; k < LG_N; k++) {
		names[k] = xasprintf("%s.xlsx", ledger_name((enum ledger_kind)k));
		if ((rc = template_book(&reg, &rules, (enum ledger_kind)k,
		    local_time_t(tb_quarter_start(q)), &books[k], dl)) != 0)
			goto cleanup;
		files[k] = (out_file_t){ names[k], &books[k], false };
	}
	rc = publish(o, qs, files, LG_N, dl);
cleanup:
	if (loaded) {
		rules_free(&rules);
		registry_free(&reg);
	}
	for (int k = 0; k < LG_N; k++) {
		buf_free(&books[k]);
		free(names[k]);
	}
	free(units);
	free(rulesf);
	return rc;
}

/* Prints the diagnostics: errors and notices always (a published PDF
 * replaced, something planted beside a folder left alone: diag.h),
 * warnings and notes unless quiet.  The tallied warnings are flushed
 * first (diag.h). */
static void
report(const struct options *o, diag_list_t *dl)
{
	diag_flush(dl);
	for (size_t i = 0; i < dl->n; i++) {
		char *s;
		if (dl->v[i].sev < DIAG_NOTICE && o->quiet)
			continue;
		s = diag_format(&dl->v[i]);
		fprintf(stderr, "%s\n", s);
		free(s);
	}
	if (dl->errors > 0 && !o->quiet)
		fprintf(stderr, "tongbao: %zu error%s, %zu warning%s; nothing written\n",
		    dl->errors, dl->errors == 1 ? "" : "s",
		    dl->warnings, dl->warnings == 1 ? "" : "s");
}

int
main(int argc, char **argv)
{
	struct options o;
	diag_list_t dl;
	int rc;

	memset(&o, 0, sizeof o);
	memset(&dl, 0, sizeof dl);
	/* libxml2 and libxslt allocate through hooks that end the run on
	 * failure (util.h), set before their first use */
	util_init_alloc();
	xml_route_errors();
	/* a file over RLIMIT_FSIZE is a write error with its path (exit 73),
	 * not a death by SIGXFSZ */
	signal(SIGXFSZ, SIG_IGN);
	o.formats = FMT_ALL;
	o.tty = isatty(STDERR_FILENO);
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return rc < 0 ? 0 : rc;
	resolve_dirs(&o);
	if (!is_dir(o.data)) {
		fprintf(stderr, "tongbao: %s: no such data folder\n", o.data);
		rc = EX_USAGE_;
	} else if (o.cmd == CMD_YEAR) {
		rc = cmd_year(&o, &dl);
	} else if (o.cmd == CMD_TEMPLATE) {
		rc = cmd_template(&o, &dl);
	} else {
		rc = cmd_quarter(&o, &dl);
	}
	if (o.tty && !o.quiet)
		fputs("\r\033[K", stderr);
	/* every exit but 0 says why: a stage that failed without a message
	 * is one more error (and a fault to mend) */
	if (rc != 0 && rc != EX_USAGE_ && dl.errors == 0)
		diag_error(&dl, NULL, 0, "the run failed (exit %d) without saying "
		    "why; nothing was published", rc);
	report(&o, &dl);
	if (rc == 0 && dl.errors > 0)
		rc = EX_DATAERR_;
	diag_free(&dl);
	render_pdf_release();
	free(o.templates_buf);
	free(o.base_url_buf);
	free(o.fonts_buf);
	free(o.schema_dir);
	return rc;
}
