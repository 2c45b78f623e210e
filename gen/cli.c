/*
 * cli.c - the command line (SPEC 4) through getopt_long: the one table of
 * options (option_defs), from which --help's list is made too, the values
 * checked as they are read, and the folders of the program's own files.
 *
 * Where the program finds its own files: --templates/--fonts, else the
 * environment (TONGBAO_TEMPLATES, TONGBAO_FONTS), else the nearest
 * templates/ and fonts/ above the executable (a build tree: gen/tongbao,
 * out/build/san/tongbao), else the installed DATADIR.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "ledger.h"
#include "run.h"
#include "util.h"

#include <getopt.h>
#include <errno.h>
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
		if (run_is_file(p)) {
			free(p);
			return cand;
		}
		free(p);
		free(cand);
	}
	return NULL;
}

void
cli_resolve_dirs(struct options *o)
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
int
cli_parse(int argc, char **argv, struct options *o)
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
