/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of the text module (lib/text.h), shared by text.c (the
 * character tables and UTF-8 encoding), text_normalize.c (normalisation),
 * text_tone.c (canonical tone placement, exact terms), text_fold.c
 * (folding) and text_token.c (tokenisation).  Nothing else includes it.
 * The helpers of the hot loops (the UTF-8 decoder, the character map and
 * classes, the fold of one code point through the table) are static inline
 * here, so that each file compiles them into its loops exactly as the
 * single text.c did; only the table builder, the slow fold of a code point
 * outside the table and the allocating helpers are ordinary functions.
 */
#ifndef VB_TEXT_INT_H
#define VB_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

#define REPLACEMENT 0xFFFD
#define DROP (-1)

/* Decode the code point at s[*i] (n bytes in total, *i < n) and advance
 * *i.  An invalid or truncated sequence yields -1 and consumes one byte.
 * The common valid 2- and 3-byte forms are decoded inline; everything else
 * goes through utf8proc_iterate, so the result is exactly utf8proc's. */
static inline int32_t cp_decode(const unsigned char *s, size_t n, size_t *i)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t at = *i, left = n - at;
	unsigned char c = s[at];

	if (c < 0x80) {
		*i = at + 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF && left >= 2 && (s[at + 1] & 0xC0) == 0x80) {
		*i = at + 2;
		return ((int32_t)(c & 0x1F) << 6) | (s[at + 1] & 0x3F);
	}
	if (c >= 0xE1 && c <= 0xEF && c != 0xED && left >= 3 &&
	    (s[at + 1] & 0xC0) == 0x80 && (s[at + 2] & 0xC0) == 0x80) {
		*i = at + 3;
		return ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[at + 1] & 0x3F) << 6) |
		       (s[at + 2] & 0x3F);
	}
	k = utf8proc_iterate(s + at, (utf8proc_ssize_t)(left > 4 ? 4 : left), &cp);
	if (k <= 0) {
		*i = at + 1;
		return -1;
	}
	*i = at + (size_t)k;
	return cp;
}

/* cp_decode with invalid input as U+FFFD. */
static inline int32_t cp_next(const unsigned char *s, size_t n, size_t *i)
{
	int32_t cp = cp_decode(s, n, i);

	return cp < 0 ? REPLACEMENT : cp;
}

/* Per-code-point flags of the BMP, filled once by text_tables_ready()
 * (text.c), which every entry point that reads them calls first. */
#define F_WORD 1  /* letter, mark or digit: part of a token */
#define F_INERT 2 /* NFC starter that never combines with a neighbour and
                   * that the character map keeps: copied as it is */
extern unsigned char text_cp_flags[0x10000];
void text_tables_ready(void);

/* The character map shared by all functions: look-alikes of Đ/đ, exotic
 * spaces, invisible characters and NEL.  Returns DROP for removal. */
static inline int32_t cp_map(int32_t cp)
{
	switch (cp) {
	case 0x00: /* PostgreSQL text cannot hold NUL */
	case 0x00AD: /* soft hyphen */
	case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
		return DROP;
	case 0x00D0: return 0x0110;
	case 0x00F0: return 0x0111;
	case 0x0085: return '\n';
	case 0x00A0: case 0x202F: case 0x205F: case 0x3000:
		return ' ';
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return ' ';
	return cp;
}

static inline size_t cp_put(unsigned char *dst, int32_t cp)
{
	return (size_t)utf8proc_encode_char(cp, dst);
}

/* Whether cp is a starter that never composes with its neighbours, in the
 * blocks Vietnamese text is made of (precomposed Latin, punctuation):
 * a string made only of these is already in NFC. */
static inline int nfc_inert(int32_t cp)
{
	return cp < 0x0300 || (cp >= 0x1E00 && cp <= 0x1EFF) ||
	       (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
	       cp == 0x20AB || cp == 0x20AC || cp == REPLACEMENT;
}

/* Mathematical alphanumeric symbols (U+1D400-U+1D7FF): letters and digits
 * with only compatibility decompositions, never combining. */
static inline int math_alnum(int32_t cp)
{
	return cp >= 0x1D400 && cp <= 0x1D7FF;
}

static inline int is_mark(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       c == UTF8PROC_CATEGORY_ME;
}

static inline int is_word_cp(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (cp == REPLACEMENT)
		return 0;
	c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

/* Normalisation helpers (text_normalize.c), also used by text_tone.c:
 * text_map_utf8 maps s into a new UTF-8 buffer, optionally lower-casing
 * (*inert may be NULL); text_nfc gives the NFC of valid UTF-8 as a new
 * string.  Both return NULL when out of memory. */
unsigned char *text_map_utf8(const char *s, size_t len, int lower, size_t *out_len,
                             int *inert);
char *text_nfc(const unsigned char *s, size_t n);

/* Append the fold of one (already mapped) code point to dst (at least 4*8
 * bytes free), returning the number of bytes written
 * (text_fold.c). */
size_t text_fold_cp(int32_t cp, unsigned char *dst);

/* Precomputed folds (of cp_map then text_fold_cp) of the blocks Vietnamese
 * and other Latin text is made of: Latin-1, Latin Extended-A/B, combining
 * diacritics and Latin Extended Additional (built by text.c). */
#define FOLD_SLOW 0xFF /* entry too long: use text_fold_cp */

typedef struct fold_entry {
	unsigned char len;
	unsigned char b[7];
} fold_entry;

extern fold_entry text_fold_tab[(0x250 - 0x80) + (0x370 - 0x300) + (0x1F00 - 0x1E00)];

static inline const fold_entry *fold_lookup(int32_t cp)
{
	if (cp >= 0x80 && cp < 0x250)
		return &text_fold_tab[cp - 0x80];
	if (cp >= 0x300 && cp < 0x370)
		return &text_fold_tab[(0x250 - 0x80) + (cp - 0x300)];
	if (cp >= 0x1E00 && cp < 0x1F00)
		return &text_fold_tab[(0x250 - 0x80) + (0x370 - 0x300) + (cp - 0x1E00)];
	return NULL;
}

/* The fold of one decoded code point (cp_map applied here) into dst, which
 * has room for at least 32 bytes (more may be overwritten than the length
 * returned, which is the number of bytes of the fold). */
static inline size_t fold_fast(int32_t cp, unsigned char *dst)
{
	const fold_entry *e;

	if (cp < 0x80) {
		if (cp == 0)
			return 0;
		dst[0] = (unsigned char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	e = fold_lookup(cp);
	if (e && e->len != FOLD_SLOW) {
		memcpy(dst, e->b, sizeof(e->b)); /* fixed size: no call */
		return e->len;
	}
	cp = cp_map(cp);
	return cp == DROP ? 0 : text_fold_cp(cp, dst);
}

#endif
