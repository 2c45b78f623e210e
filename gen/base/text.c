/*
 * text.c - UTF-8 helpers: validity checking (every reader rejects invalid
 * input with a line number rather than passing mojibake on to the PDF),
 * decoding and encoding of code points, the name key that makes
 * "省司法厅（办公室）" and "省司法厅(办公室)" the same unit (SPEC 2.3),
 * trimming, and the edit distance used for "did you mean" hints.
 *
 * Everything here is pure and allocation is limited to the returned
 * strings, so the functions are safe to call from any stage.
 */
#include "text.h"
#include "util.h"

#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>

/*
 * Returns the length of the valid UTF-8 sequence starting at s[0] (with n
 * bytes available), or 0 when it is invalid: a stray continuation byte, a
 * truncated sequence, an overlong form, a surrogate or a code point above
 * U+10FFFF.
 */
static size_t
seq_len(const unsigned char *s, size_t n)
{
	size_t len = 0, i;
	uint32_t cp = 0, min = 0;
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; cp = c & 0x1Fu; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; cp = c & 0x0Fu; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; cp = c & 0x07u; min = 0x10000;
	} else {
		return 0;               /* continuation, C0/C1 overlong, F5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

size_t
utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		/* fast paths: eight ASCII bytes at a time; a three-byte
		 * sequence led by E1..EC or EE..EF (all of CJK), which is
		 * valid whenever two continuation bytes follow */
		if (n - i >= 8) {
			uint64_t w;

			memcpy(&w, u + i, 8);
			if ((w & 0x8080808080808080ull) == 0) {
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (n - i >= 3 && u[i] >= 0xE1 && u[i] <= 0xEF && u[i] != 0xED &&
		    (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		l = seq_len(u + i, n - i);
		if (l == 0)
			return i;
		i += l;
	}
	return (size_t)-1;
}

/*
 * The program's one UTF-8 decoder (the PDF layout decodes through it too,
 * utf8_decode).  Valid input gives its code points; what seq_len() would
 * refuse gives U+FFFD: a byte that leads no sequence (a stray
 * continuation, C0, C1, F5..FF) is one U+FFFD, a sequence cut short by a
 * byte that does not continue it is one U+FFFD for the bytes before that
 * byte, and a complete overlong form, surrogate or code point above
 * U+10FFFF is one U+FFFD for its bytes.  Never reads past a NUL.
 */
uint32_t
utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		cp = s[0] & 0x1Fu; len = 2; min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		cp = s[0] & 0x0Fu; len = 3; min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		cp = s[0] & 0x07u; len = 4; min = 0x10000;
	} else {
		*p += 1;
		return 0xFFFD;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p += i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	*p += len;
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	return cp;
}

size_t
utf8_decode(const char *s, uint32_t **out)
{
	size_t k = 0;
	uint32_t *v = xmalloc((strlen(s) + 1) * sizeof *v);

	while (*s != '\0')
		v[k++] = utf8_next(&s);
	*out = v;
	return k;
}

size_t
utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* True for the white space trim() and name_key() strip: ASCII space, tab,
 * CR, LF (and VT, FF) and the ideographic space U+3000. */
static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
	    cp == '\v' || cp == '\f' || cp == 0x3000;
}

/*
 * Finds the trimmed span of s: *start is the offset of the first non-space
 * code point, the return value the offset just past the last one.
 */
static size_t
trimmed_span(const char *s, size_t *start)
{
	const char *p = s, *q;
	size_t end = 0;
	bool seen = false;

	*start = 0;
	while (*p) {
		q = p;
		uint32_t cp = utf8_next(&p);
		if (!is_space_cp(cp)) {
			if (!seen) {
				*start = (size_t)(q - s);
				seen = true;
			}
			end = (size_t)(p - s);
		}
	}
	if (!seen)
		*start = 0;
	return end;
}

char *
trim(char *s)
{
	size_t start, end;

	if (s == NULL)
		return s;
	end = trimmed_span(s, &start);
	if (end <= start) {
		s[0] = '\0';
		return s;
	}
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

char *
name_key(const char *s)
{
	buf_t b;
	size_t start, end;
	const char *p, *stop;
	char enc[4];

	buf_init(&b);
	buf_add(&b, "", 0);
	if (s == NULL)
		return buf_steal(&b);
	end = trimmed_span(s, &start);
	p = s + start;
	stop = s + (end > start ? end : start);
	while (p < stop) {
		uint32_t cp = utf8_next(&p);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp = cp - 0xFF01 + 0x21;
		else if (cp == 0x3000)
			cp = ' ';
		if (cp >= 'A' && cp <= 'Z')
			cp = cp - 'A' + 'a';
		buf_add(&b, enc, utf8_put(enc, cp));
	}
	return buf_steal(&b);
}

size_t
utf8_edit_distance(const char *a, const char *b)
{
	uint32_t *ca = NULL, *cb = NULL;
	size_t *row = NULL;
	size_t na, nb, i, j, result;
	const char *p;

	na = utf8_len(a);
	nb = utf8_len(b);
	ca = xmalloc((na + 1) * sizeof *ca);
	cb = xmalloc((nb + 1) * sizeof *cb);
	row = xmalloc((nb + 1) * sizeof *row);
	for (p = a, i = 0; i < na; i++)
		ca[i] = utf8_next(&p);
	for (p = b, j = 0; j < nb; j++)
		cb[j] = utf8_next(&p);
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] == cb[j - 1] ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	result = row[nb];
	free(ca);
	free(cb);
	free(row);
	return result;
}

size_t
utf8_common_run(const char *a, const char *b)
{
	uint32_t *ca = NULL, *cb = NULL;
	size_t *row = NULL, na, nb, best = 0;
	const char *p;

	na = utf8_len(a);
	nb = utf8_len(b);
	ca = xmalloc((na + 1) * sizeof *ca);
	cb = xmalloc((nb + 1) * sizeof *cb);
	row = xcalloc(nb + 1, sizeof *row);
	for (p = a, na = 0; *p != '\0'; )
		ca[na++] = utf8_next(&p);
	for (p = b, nb = 0; *p != '\0'; )
		cb[nb++] = utf8_next(&p);
	/* row[j]: the run ending at a[i-1], b[j-1]; right to left so that
	 * row[j-1] still holds the previous row's value */
	for (size_t i = 1; i <= na; i++)
		for (size_t j = nb; j >= 1; j--) {
			row[j] = ca[i - 1] == cb[j - 1] ? row[j - 1] + 1 : 0;
			if (row[j] > best)
				best = row[j];
		}
	free(ca);
	free(cb);
	free(row);
	return best;
}

char *
header_key(const char *s)
{
	static const char *const open[] = { "(", "\xe3\x80\x90" /* 【 */, "[" };
	static const char *const close[] = { ")", "\xe3\x80\x91" /* 】 */, "]" };
	char *k = name_key(s), *o = k;
	const char *p = k;

	/* name_key folded （） to (); drop each bracketed note and spaces */
	while (*p != '\0') {
		size_t i, n = 0;
		const char *c;

		for (i = 0; i < ARRAY_LEN(open); i++)
			if (strncmp(p, open[i], n = strlen(open[i])) == 0)
				break;
		if (i < ARRAY_LEN(open) &&
		    (c = strstr(p + n, close[i])) != NULL) {
			p = c + strlen(close[i]);
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return k;
}

char *
one_line(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		*o++ = (*s == '\r' || *s == '\n') ? ' ' : *s;
	}
	*o = '\0';
	return out;
}

/* ---- characters that hide or reorder text -------------------------------- */

/* True for the code points of text.h's list. */
static bool
is_hidden(uint32_t cp)
{
	if (cp < 0x80)
		return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0x7F;
	if (cp < 0x800)
		return cp <= 0x9F || cp == 0xAD || cp == 0x34F || cp == 0x61C;
	if (cp < 0x10000)
		return cp == 0x115F || cp == 0x1160 || cp == 0x17B4 ||
		    cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) ||
		    (cp >= 0x200B && cp <= 0x200F) ||
		    (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 ||
		    cp == 0xFEFF || cp == 0xFFA0 ||
		    (cp >= 0xFFF9 && cp <= 0xFFFB) || cp >= 0xFFFE;
	return (cp >= 0x1D173 && cp <= 0x1D17A) ||
	    (cp >= 0xE0000 && cp <= 0xE007F);
}

/* The byte length of the character at s (1 for a byte that leads no
 * complete sequence: never past the terminating NUL). */
static size_t
seq_step(const unsigned char *s)
{
	size_t k = s[0] < 0xC0 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;

	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return k;
}

/*
 * The length of the character at s when it is one that can hide or
 * reorder what a reader sees, else 0; *cp receives it.
 */
static size_t
hidden_len(const unsigned char *s, uint32_t *cp)
{
	size_t k = seq_step(s);
	uint32_t c;

	if (k == 1) {
		c = s[0];
		if (c >= 0x80)
			return 0;       /* a stray byte: not ours to judge */
	} else {
		c = s[0] & (0x7F >> k);
		for (size_t i = 1; i < k; i++)
			c = (c << 6) | (s[i] & 0x3Fu);
	}
	if (!is_hidden(c))
		return 0;
	*cp = c;
	return k;
}

/*
 * The bytes where text_hidden_at() must look closer: the NUL that ends the
 * string, the controls but tab, LF and CR, DELETE, and the lead bytes of
 * every character of the list (C2 CD D8 E1 E2 E3 EF F0 F3).  Every other
 * byte - printable ASCII, continuation bytes, the leads of CJK ideographs
 * - is passed over with one look-up.
 */
static const unsigned char closer[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

#ifdef __SSE2__
/*
 * Sixteen bytes of s at once: nonzero when one of them is none of printable
 * ASCII (20..7E), a continuation byte (80..BF) or a CJK lead (E4..E9) -
 * when the table would stop at one.  Unsigned ranges as signed compares
 * of the bytes with their top bit flipped.
 */
static int
block_needs_look(const unsigned char *p)
{
	const __m128i flip = _mm_set1_epi8((char)0x80);
	__m128i v = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
	    flip);
	/* x in [lo, hi]  <=>  x > lo - 1 && x < hi + 1, all flipped */
#define IN(lo, hi) _mm_and_si128( \
	    _mm_cmpgt_epi8(v, _mm_set1_epi8((char)(((lo) - 1) ^ 0x80))), \
	    _mm_cmplt_epi8(v, _mm_set1_epi8((char)(((hi) + 1) ^ 0x80))))
	__m128i ok = _mm_or_si128(_mm_or_si128(IN(0x20, 0x7E), IN(0x80, 0xBF)),
	    IN(0xE4, 0xE9));
#undef IN
	return _mm_movemask_epi8(ok) != 0xFFFF;
}
#endif

size_t
text_hidden_at(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t c = 0;
#ifdef __SSE2__
	size_t n = strlen(s);
#endif

	/* a million rows of ten fields pass through here: sixteen bytes at a
	 * time where SSE2 is (x86-64 always), else one table look-up a byte,
	 * four at a time; a closer look only where the table says (CJK
	 * punctuation among them: most of it is not on the list) */
	for (;;) {
#ifdef __SSE2__
		while (i + 16 <= n && !block_needs_look(u + i))
			i += 16;
#endif
		while (!closer[u[i]] && !closer[u[i + 1]] && !closer[u[i + 2]] &&
		    !closer[u[i + 3]])
			i += 4;
		while (!closer[u[i]])
			i++;
		if (u[i] == '\0')
			return (size_t)-1;
		if (hidden_len(u + i, &c) > 0) {
			if (cp != NULL)
				*cp = c;
			return i;
		}
		i += seq_step(u + i);
	}
}

size_t
text_strip_hidden(char *s, uint32_t *first)
{
	size_t off = text_hidden_at(s, first), n = 0;
	unsigned char *r, *w;
	uint32_t c;

	if (off == (size_t)-1)
		return 0;
	r = w = (unsigned char *)s + off;
	while (*r != '\0') {
		size_t k = hidden_len(r, &c);

		if (k > 0) {
			r += k;
			n++;
			continue;
		}
		k = seq_step(r);
		while (k-- > 0)
			*w++ = *r++;
	}
	*w = '\0';
	return n;
}

const char *
text_hidden_name(uint32_t cp)
{
	static const struct { uint32_t lo, hi; const char *name; } names[] = {
		{ 0x00, 0x1F, "a control character" },
		{ 0x7F, 0x7F, "DELETE" },
		{ 0x80, 0x9F, "a C1 control character" },
		{ 0xAD, 0xAD, "SOFT HYPHEN" },
		{ 0x34F, 0x34F, "COMBINING GRAPHEME JOINER" },
		{ 0x61C, 0x61C, "ARABIC LETTER MARK" },
		{ 0x115F, 0x1160, "a HANGUL FILLER" },
		{ 0x17B4, 0x17B5, "an invisible KHMER VOWEL" },
		{ 0x180B, 0x180F, "a MONGOLIAN selector or separator" },
		{ 0x200B, 0x200B, "ZERO WIDTH SPACE" },
		{ 0x200C, 0x200C, "ZERO WIDTH NON-JOINER" },
		{ 0x200D, 0x200D, "ZERO WIDTH JOINER" },
		{ 0x200E, 0x200E, "LEFT-TO-RIGHT MARK" },
		{ 0x200F, 0x200F, "RIGHT-TO-LEFT MARK" },
		{ 0x2028, 0x2028, "LINE SEPARATOR" },
		{ 0x2029, 0x2029, "PARAGRAPH SEPARATOR" },
		{ 0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING" },
		{ 0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING" },
		{ 0x202C, 0x202C, "POP DIRECTIONAL FORMATTING" },
		{ 0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE" },
		{ 0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE" },
		{ 0x2060, 0x2060, "WORD JOINER" },
		{ 0x2061, 0x2064, "an invisible operator" },
		{ 0x2066, 0x2066, "LEFT-TO-RIGHT ISOLATE" },
		{ 0x2067, 0x2067, "RIGHT-TO-LEFT ISOLATE" },
		{ 0x2068, 0x2068, "FIRST STRONG ISOLATE" },
		{ 0x2069, 0x2069, "POP DIRECTIONAL ISOLATE" },
		{ 0x2065, 0x206F, "a deprecated format character" },
		{ 0x3164, 0x3164, "HANGUL FILLER" },
		{ 0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE (a BOM)" },
		{ 0xFFA0, 0xFFA0, "HALFWIDTH HANGUL FILLER" },
		{ 0xFFF9, 0xFFFB, "an INTERLINEAR ANNOTATION character" },
		{ 0xFFFE, 0xFFFF, "a noncharacter" },
		{ 0x1D173, 0x1D17A, "a MUSICAL SYMBOL format character" },
		{ 0xE0000, 0xE007F, "a TAG character" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (cp >= names[i].lo && cp <= names[i].hi)
			return names[i].name;
	return "an invisible character";
}
