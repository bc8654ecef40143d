/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese text normalisation, folding, canonical exact terms and
 * tokenisation (contract in text.h), on top of utf8proc: this file holds
 * the character tables they share and the UTF-8 encoder; the rest lives in
 * text_normalize.c, text_tone.c, text_fold.c and text_token.c (internals in
 * text_int.h).  Everything works code point by code point from a tolerant
 * UTF-8 decoder (invalid bytes become U+FFFD) and applies the same
 * look-alike / invisible-character map.
 *
 * Speed: stored texts are already normalised, and snippets, folding and
 * tokenising run over whole documents per search, so the hot paths avoid
 * utf8proc.  A decoder inlines the valid 1-3 byte sequences; a table built
 * once (pthread_once) gives for every BMP code point whether it is a word
 * character and whether it is an "inert" NFC starter that the character map
 * leaves alone; a second table holds the fold of the Latin, combining-mark
 * and Vietnamese blocks.  Everything outside the tables falls back to the
 * utf8proc code, which stays the reference (the tests compare both on every
 * BMP code point).
 */
#include "text_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

unsigned char text_cp_flags[0x10000];
fold_entry text_fold_tab[(0x250 - 0x80) + (0x370 - 0x300) + (0x1F00 - 0x1E00)];

/* ---- tables ----------------------------------------------------------- */

/* Blocks whose characters may be F_INERT: Latin, Vietnamese, punctuation,
 * the symbols of legal texts and the private use area of symbol fonts.
 * tables_build still checks each code point against utf8proc. */
static int inert_candidate(int32_t cp)
{
	return nfc_inert(cp) || (cp >= 0x0370 && cp <= 0x04FF) || (cp >= 0x2100 && cp <= 0x27BF) ||
	       (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
	       (cp >= 0x20A0 && cp <= 0x20BF);
}

/* Whether cp alone is its own NFC (no singleton, no excluded composite). */
static int nfc_alone(int32_t cp)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t nd;
	unsigned char enc[4];
	utf8proc_uint8_t *out = NULL;
	size_t n;
	int same, last = 0;

	nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
	if (nd == 1 && d[0] == cp)
		return 1;
	n = cp_put(enc, cp);
	if (utf8proc_map(enc, (utf8proc_ssize_t)n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0) {
		free(out);
		return 0;
	}
	same = strlen((char *)out) == n && !memcmp(out, enc, n);
	free(out);
	return same;
}

static void tables_build(void)
{
	int32_t cp;
	size_t k;

	for (cp = 0; cp < 0x10000; cp++) {
		const utf8proc_property_t *pr;
		unsigned char f = 0;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (is_word_cp(cp))
			f |= F_WORD;
		pr = utf8proc_get_property(cp);
		/* a starter (ccc 0) that is no mark cannot be the second half of
		 * a canonical composition in these blocks */
		if (inert_candidate(cp) && cp_map(cp) == cp && pr->combining_class == 0 &&
		    !is_mark(cp) && nfc_alone(cp))
			f |= F_INERT;
		text_cp_flags[cp] = f;
	}
	for (k = 0; k < sizeof(text_fold_tab) / sizeof(text_fold_tab[0]); k++) {
		int32_t c = k < 0x250 - 0x80 ? (int32_t)(k + 0x80) :
		            k < (0x250 - 0x80) + (0x370 - 0x300) ?
		            (int32_t)(k - (0x250 - 0x80) + 0x300) :
		            (int32_t)(k - (0x250 - 0x80) - (0x370 - 0x300) + 0x1E00);
		unsigned char tmp[64];
		int32_t m = cp_map(c);
		size_t n = m == DROP ? 0 : text_fold_cp(m, tmp);

		if (n > sizeof(text_fold_tab[k].b)) {
			text_fold_tab[k].len = FOLD_SLOW;
		} else {
			memcpy(text_fold_tab[k].b, tmp, n);
			text_fold_tab[k].len = (unsigned char)n;
		}
	}
}

void text_tables_ready(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, tables_build);
}

size_t vb_utf8_encode(uint32_t cp, char out[4])
{
	if ((cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
