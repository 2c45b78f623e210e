/*
 * cli.h - the command line (SPEC 4): the commands, the options as main()
 * and the commands read them, the exit codes, and cli_parse().  Included
 * by main.c, run.c and the cmd_*.c files.
 */
#ifndef TB_CLI_H
#define TB_CLI_H

#include "csvread.h"

/* Exit codes (sysexits.h); only main() and the commands choose them. */
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

/*
 * Reads the command line into *o (which the caller zeroes and gives its
 * defaults: formats FMT_ALL, tty).  Returns 0, -1 when the command was
 * --help or --version (printed: done, exit 0), or EX_USAGE_ after
 * printing why.
 */
int cli_parse(int argc, char **argv, struct options *o);
/* Finds the templates and fonts folders (see the top of cli.c); the
 * caller frees o->templates_buf, fonts_buf, schema_dir and base_url_buf. */
void cli_resolve_dirs(struct options *o);

#endif
