/*
 * cells.c - reading single ledger cells (see cells.h).  Hand-written: the
 * forms are few and come from SPEC 3.4, and a library that "parses
 * numbers" would accept what the office must be asked about (1.2k, 12,00).
 */
#include "cells.h"
#include "text.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char cell_placeholders[] = "无, 没有, 空, 暂无, 未签发, 未签, 否, /, \\, "
    "-, —, ——, ×, x, N/A, NULL (in any width and letter case)";

static bool
starts(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

/* name_key() forms (full-width folded, lower case) */
static const char *const placeholders[] = { "无", "没有", "空", "暂无",
    "未签发", "未签", "否", "/", "\\", "-", "--", "\xe2\x80\x94" /* — */,
    "\xe2\x80\x94\xe2\x80\x94", "\xe2\x80\x93" /* – */, "\xc3\x97" /* × */,
    "x", "n/a", "null", "none" };

/* Could s (blanks trimmed: ASCII and U+3000) be a placeholder?  A cheap
 * test before name_key(): most cells are names or numbers, and a million
 * rows ask five times each.  False only when no placeholder can match:
 * longer than the longest in full width (ＮＵＬＬ, 12 bytes), or starting
 * with a character no placeholder starts with. */
static bool
may_be_placeholder(const char *s)
{
	static const char *const first[] = { "无", "没", "空", "暂", "未", "否",
	    "\xe2\x80\x94", "\xe2\x80\x93", "\xc3\x97", "\xef\xbc\x8f" /* ／ */,
	    "\xef\xbc\xbc" /* ＼ */, "\xef\xbc\x8d" /* － */,
	    "\xef\xbd\x98" /* ｘ */, "\xef\xbc\xb8" /* Ｘ */,
	    "\xef\xbd\x8e" /* ｎ */, "\xef\xbc\xae" /* Ｎ */ };
	const unsigned char *u;
	size_t n;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (starts(s, "\xe3\x80\x80"))
			s += 3;
		else
			break;
	}
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	while (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
		n -= 3;
	if (n == 0 || n > 12)
		return false;
	u = (const unsigned char *)s;
	if (u[0] < 0x80)
		return strchr("/\\-xXnN", u[0]) != NULL;
	for (size_t i = 0; i < ARRAY_LEN(first); i++)
		if (u[0] == (unsigned char)first[i][0] &&
		    strncmp(s, first[i], strlen(first[i])) == 0)
			return true;
	return false;
}

bool
cell_is_placeholder(const char *s)
{
	char *k;
	bool hit = false;

	if (!may_be_placeholder(s))
		return false;
	k = name_key(s);

	for (size_t i = 0; i < ARRAY_LEN(placeholders) && !hit; i++)
		hit = strcmp(k, placeholders[i]) == 0;
	free(k);
	return hit;
}

enum cell_read
cell_chars(const char *s, int *out)
{
	char *k, *p, *end;
	enum cell_read rc = CELL_BAD;
	int64_t v = 0;
	size_t group = 0, groups = 0;
	bool sep_seen = false;

	/* the common case, plain digits, without a copy */
	for (p = (char *)s; *p >= '0' && *p <= '9' && p - s < 9; p++)
		v = v * 10 + (*p - '0');
	if (p > s && *p == '\0') {
		*out = (int)v;
		return CELL_OK;
	}
	v = 0;
	k = name_key(s);
	if (k[0] == '\0' || cell_is_placeholder(s)) {
		rc = CELL_EMPTY;
		goto cleanup;
	}
	p = k;
	if (starts(p, "约"))
		p += strlen("约");
	end = p + strlen(p);
	if ((size_t)(end - p) >= strlen("字") &&
	    strcmp(end - strlen("字"), "字") == 0)
		end -= strlen("字");
	/* trailing and leading blanks left by 约 / 字 */
	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end)
		goto cleanup;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v > INT_MAX) {
				rc = CELL_TOO_LARGE;
				goto cleanup;
			}
			v = v * 10 + (*p - '0');
			group++;
		} else if (*p == ',' || *p == ' ') {
			/* a separator: the group before it is 1-3 digits (the
			 * first) or exactly 3 */
			if (group == 0 || (groups == 0 ? group > 3 : group != 3))
				goto cleanup;
			groups++;
			group = 0;
			sep_seen = true;
		} else {
			goto cleanup;
		}
	}
	if (group == 0 || (sep_seen && group != 3))
		goto cleanup;
	if (v > INT_MAX) {
		rc = CELL_TOO_LARGE;
		goto cleanup;
	}
	*out = (int)v;
	rc = CELL_OK;
cleanup:
	free(k);
	return rc;
}

/* Separators between names other than white space. */
static const char *const name_seps[] = { "\xe3\x80\x81" /* 、 */,
    "\xef\xbc\x8c" /* ， */, ",", ";", "\xef\xbc\x9b" /* ； */, "/",
    "\xef\xbc\x8f" /* ／ */ };

static size_t
sep_len(const char *p, const char *const *seps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (starts(p, seps[i]))
			return strlen(seps[i]);
	return 0;
}

/* White space inside a piece: ASCII blanks and U+3000. */
static size_t
space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	return starts(p, "\xe3\x80\x80") ? 3 : 0;
}

static void
add_name(strvec_t *names, const char *s, size_t n)
{
	char *name = xstrndup(s, n);

	for (size_t i = 0; i < names->n; i++)
		if (strcmp(names->v[i], name) == 0) {
			free(name);
			return;
		}
	strvec_push_owned(names, name);
}

/* One piece between separators: its space-separated tokens.  Returns
 * false when they cannot be told apart. */
static bool
piece_names(const char *s, size_t n, strvec_t *names)
{
	const char *tok[64];
	size_t len[64], ntok = 0, singles = 0;
	const char *p = s, *end = s + n;

	while (p < end) {
		size_t sp = space_len(p), k;

		if (sp > 0) {
			p += sp;
			continue;
		}
		if (ntok == ARRAY_LEN(tok))
			return false;
		tok[ntok] = p;
		while (p < end && space_len(p) == 0)
			p++;
		len[ntok] = (size_t)(p - tok[ntok]);
		{
			char *t = xstrndup(tok[ntok], len[ntok]);
			k = utf8_len(t);
			free(t);
		}
		if (k == 1)
			singles++;
		ntok++;
	}
	if (ntok == 2 && singles == 2 && (unsigned char)tok[0][0] >= 0xE2 &&
	    (unsigned char)tok[1][0] >= 0xE2) {
		/* 王　伟: a two-character name padded to three */
		char *joined = xasprintf("%.*s%.*s", (int)len[0], tok[0],
		    (int)len[1], tok[1]);
		add_name(names, joined, strlen(joined));
		free(joined);
		return true;
	}
	if (ntok > 1 && singles > 0)
		return false;
	for (size_t i = 0; i < ntok; i++)
		add_name(names, tok[i], len[i]);
	return true;
}

enum cell_read
cell_authors(const char *s, char **out)
{
	strvec_t names = { 0 };
	const char *p = s, *start = s;
	enum cell_read rc = CELL_OK;
	buf_t b;

	*out = NULL;
	if (cell_is_placeholder(s)) {
		*out = xstrdup("");
		return CELL_OK;
	}
	for (;;) {
		size_t n = *p != '\0' ? sep_len(p, name_seps,
		    ARRAY_LEN(name_seps)) : 0;

		if (*p != '\0' && n == 0) {
			p++;
			continue;
		}
		if (!piece_names(start, (size_t)(p - start), &names)) {
			rc = CELL_BAD;
			goto cleanup;
		}
		if (*p == '\0')
			break;
		p += n;
		start = p;
	}
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < names.n; i++)
		buf_printf(&b, "%s%s", i ? "、" : "", names.v[i]);
	*out = buf_steal(&b);
cleanup:
	strvec_free(&names);
	return rc;
}
