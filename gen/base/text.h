/*
 * text.h - UTF-8 helpers shared by the readers and the renderers: validity,
 * decoding, the name key used to match units (SPEC 2.3), trimming.
 */
#ifndef TB_TEXT_H
#define TB_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Returns the byte offset of the first invalid UTF-8 sequence, or
 * (size_t)-1 when s[0..n) is valid UTF-8 (overlongs and surrogates are
 * invalid). */
size_t utf8_invalid_at(const char *s, size_t n);
/* Decodes one code point at *p and advances *p past it; an invalid
 * sequence gives U+FFFD (text.c says for how many bytes). */
uint32_t utf8_next(const char **p);
/* The code points of s, as utf8_next() decodes them, into *out (newly
 * allocated, room for one more; caller frees).  Returns their number. */
size_t utf8_decode(const char *s, uint32_t **out);
/* Appends the encoding of cp to out (at least 4 bytes); returns bytes written. */
size_t utf8_put(char *out, uint32_t cp);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);

/*
 * The matching key of a name: surrounding white space (ASCII and U+3000)
 * removed, full-width forms U+FF01..U+FF5E folded to ASCII, U+3000 to a
 * space, ASCII letters lower-cased.  Newly allocated; caller frees.
 */
char *name_key(const char *s);
/* Trims ASCII white space and U+3000 from both ends, in place; returns s. */
char *trim(char *s);
/* A copy of s with each CR, LF or CRLF made one space (a title in a table
 * cell or a sentence).  Newly allocated; caller frees. */
char *one_line(const char *s);
/* Levenshtein distance in code points (for "did you mean"). */
size_t utf8_edit_distance(const char *a, const char *b);
/* The length in code points of the longest run of characters a and b
 * share (longest common substring): 江汉区司法局 is nearer to
 * 武汉市江汉区司法局 (6) than 武汉市司法局 is (3). */
size_t utf8_common_run(const char *a, const char *b);

/*
 * The matching key of a header cell (SPEC 3.4): name_key() with every
 * bracketed note dropped - （…）, (…), 【…】, [...] - and any white space
 * inside, so 签发人（审核）, 签发人(必填) and " 签发人 " all give 签发人.
 * Newly allocated; caller frees.
 */
char *header_key(const char *s);

/*
 * Characters that can hide or reorder what a reader sees (a unit's name
 * shown reversed, two names that look the same): control characters but
 * tab, LF and CR; DELETE and the C1 controls; the bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E/F, U+202A..E,
 * U+2066..9); zero-width and other invisible characters (U+200B..D,
 * U+2060..4, U+FEFF, soft hyphen, fillers, tags U+E0000..7F, ...).
 * Names and ids holding one are refused; free text (titles, notes) loses
 * them with a warning (README, "Hostile text").
 */
/* The byte offset of the first such character of s, *cp (may be NULL)
 * set to it; (size_t)-1 when there is none. */
size_t text_hidden_at(const char *s, uint32_t *cp);
/* Removes each such character from s, in place; returns how many there
 * were, the first in *first (may be NULL). */
size_t text_strip_hidden(char *s, uint32_t *first);
/* What cp is, for a message: "RIGHT-TO-LEFT OVERRIDE". */
const char *text_hidden_name(uint32_t cp);

#endif
