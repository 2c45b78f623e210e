/*
 * fuzz_xml.c - libFuzzer target for the XML readers: the safe loader
 * (gen/read/xmlread.c: no network, no entities, no DTD, schema validation), the
 * XML ledgers, and the registry and rules loaders (gen/read/config.c).
 *
 * The readers take a path, so each input is written to a scratch file and
 * handed, by its root element, to the reader a real file with that root
 * would meet: <registry> to registry_load(), <rules> to rules_load()
 * (against the samples' registry), <notice-settings> and <notice> to
 * xml_load_validated() with notice.xsd, anything else to
 * xml_read_ledger().  Checks: return codes agree with the error count,
 * every message is one line, no message carries a line of /etc/passwd
 * (an entity that was resolved), a table has its fields.  TB_TOP (the
 * repository, set by the build) locates samples/ and templates/.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "config.h"
#include "diag.h"
#include "table.h"
#include "text.h"
#include "util.h"
#include "xmlread.h"

#ifndef TB_TOP
#define TB_TOP "."
#endif
#define SCHEMA TB_TOP "/templates/schema"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz_xml: %s:%d: check failed: %s\n", \
	    __FILE__, __LINE__, #c); abort(); } } while (0)

static registry_t reg;
static char path[] = "/tmp/tb-fuzz-xml-XXXXXX";

static void
cleanup_file(void)
{
	unlink(path);
	registry_free(&reg);
	xmlCleanupParser();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	diag_list_t dl;
	int fd;

	(void)argc; (void)argv;
	memset(&dl, 0, sizeof dl);
	if (registry_load(TB_TOP "/samples/units.xml", SCHEMA, &reg, &dl) != 0) {
		diag_print(&dl, stderr);
		abort();
	}
	diag_free(&dl);
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(cleanup_file);
	return 0;
}

/* Does the input have an element named root (a crude look, enough to
 * steer the input to a reader)? */
static int
has_root(const uint8_t *data, size_t size, const char *root)
{
	size_t n = strlen(root);

	for (size_t i = 0; i + n + 1 < size; i++)
		if (data[i] == '<' && memcmp(data + i + 1, root, n) == 0 &&
		    (data[i + n + 1] == '>' || data[i + n + 1] == ' ' ||
		    data[i + n + 1] == '\n' || data[i + n + 1] == '/'))
			return 1;
	return 0;
}

/* Does data[0..size) contain the string s? */
static int
contains(const uint8_t *data, size_t size, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= size; i++)
		if (memcmp(data + i, s, n) == 0)
			return 1;
	return 0;
}

/* Messages are one line each and never quote /etc/passwd (unless the
 * input itself carries the text, as a fuzzer's input may). */
static void
check_diags(const diag_list_t *dl, const uint8_t *data, size_t size)
{
	int quoted = contains(data, size, "root:") ||
	    contains(data, size, "nologin");

	for (size_t i = 0; i < dl->n; i++) {
		const char *m = dl->v[i].msg;
		CHECK(m != NULL);
		for (const char *p = m; *p != '\0'; p++)
			CHECK((unsigned char)*p >= 0x20 && *p != 0x7F);
		if (!quoted) {
			CHECK(strstr(m, "root:x:0:0") == NULL);
			CHECK(strstr(m, "/usr/sbin/nologin") == NULL);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_list_t dl;
	FILE *fp;
	int rc;

	if (size > 1 << 20)
		return 0;
	fp = fopen(path, "wb");
	CHECK(fp != NULL);
	CHECK(size == 0 || fwrite(data, 1, size, fp) == size);
	CHECK(fclose(fp) == 0);
	memset(&dl, 0, sizeof dl);

	if (has_root(data, size, "registry")) {
		registry_t r;
		rc = registry_load(path, SCHEMA, &r, &dl);
		CHECK(rc == 0 ? dl.errors == 0 : dl.errors > 0);
		if (rc == 0)
			for (size_t i = 0; i < r.nunits; i++) {
				CHECK(r.units[i].name != NULL);
				CHECK(r.units[i].category < r.ncats);
				CHECK(r.units[i].group < r.ngroups);
			}
		registry_free(&r);
	} else if (has_root(data, size, "rules")) {
		rules_t ru;
		rc = rules_load(path, SCHEMA, &reg, &ru, &dl);
		CHECK(rc == 0 ? dl.errors == 0 : dl.errors > 0);
		rules_free(&ru);
	} else if (has_root(data, size, "notice-settings") ||
	    has_root(data, size, "notice")) {
		xmlDocPtr doc = xml_load_validated(path, SCHEMA "/notice.xsd", &dl);
		CHECK(doc != NULL ? dl.errors == 0 : dl.errors > 0);
		xmlFreeDoc(doc);
	} else {
		table_t t;
		rc = xml_read_ledger(path, SCHEMA "/ledger.xsd", &t, &dl);
		if (rc == 0) {
			CHECK(dl.errors == 0);
			for (size_t i = 0; i < t.nrows; i++)
				for (size_t j = 0; j < t.ncols; j++) {
					const char *f = t.rows[i].f[j];
					CHECK(f != NULL);
					CHECK(utf8_invalid_at(f, strlen(f)) ==
					    (size_t)-1);
				}
		} else {
			CHECK(dl.errors > 0);
		}
		table_free(&t);
	}
	if (getenv("FUZZ_VERBOSE") != NULL)
		diag_print(&dl, stderr);
	check_diags(&dl, data, size);
	diag_free(&dl);
	return 0;
}
