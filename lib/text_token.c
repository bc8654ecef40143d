/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokenisation: vb_text_tokenize and vb_text_tokenize_folded (contract in
 * text.h), the hot loops of indexing and snippets.  Word characters come
 * from the table text.c builds (utf8proc beyond the BMP), the fold of each
 * token from fold_fast (text_int.h), all inlined here.
 */
#include "text_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- tokenisation ----------------------------------------------------- */

static inline int word_cp(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x10000)
		return text_cp_flags[cp] & F_WORD;
	return is_word_cp(cp);
}

long vb_text_tokenize(const char *s, size_t len, vb_token_cb cb, void *ud)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;
	int in_word = 0;
	long count = 0;

	if (!s)
		return 0;
	text_tables_ready();
	while (i < len) {
		size_t at = i;
		/* a bad byte (U+FFFD) is not a word character either */
		int w = word_cp(cp_decode(u, len, &i));

		if (w && !in_word) {
			start = at;
			in_word = 1;
		} else if (!w && in_word) {
			vb_token t = { start, at - start };

			in_word = 0;
			count++;
			if (cb && cb(s, &t, ud))
				return -1;
		}
	}
	if (in_word) {
		vb_token t = { start, len - start };

		count++;
		if (cb && cb(s, &t, ud))
			return -1;
	}
	return count;
}

/* Flags of a decoded code point (-1: invalid byte). */
static inline unsigned cp_class(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x10000)
		return text_cp_flags[cp];
	return (is_word_cp(cp) ? F_WORD : 0) | (math_alnum(cp) ? F_INERT : 0);
}

long vb_text_tokenize_folded(const char *s, size_t len, size_t fold_max, unsigned flags,
                             vb_fold_token_cb cb, void *ud)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char f[VB_FOLD_TOKEN_MAX + 64];
	size_t i = 0, start = 0, fl = 0;
	unsigned need = (flags & VB_TOKENIZE_NORMALIZED) ? F_INERT : 0;
	int in_word = 0;
	long count = 0;

	if (!s)
		return 0;
	if (fold_max > VB_FOLD_TOKEN_MAX)
		fold_max = VB_FOLD_TOKEN_MAX;
	text_tables_ready();
	while (i < len) {
		size_t at = i;
		int32_t cp = cp_decode(u, len, &i);
		unsigned c = cp_class(cp);

		if ((c & need) != need)
			return VB_TOKENIZE_NOT_NORMALIZED;
		if (c & F_WORD) {
			if (!in_word) {
				start = at;
				in_word = 1;
				fl = 0;
			}
			/* fl > fold_max: too long already, stop folding */
			if (fl <= fold_max)
				fl += fold_fast(cp, f + fl);
		} else if (in_word) {
			vb_token t = { start, at - start };
			int over = fl > fold_max;

			in_word = 0;
			count++;
			f[over ? 0 : fl] = '\0';
			if (cb && cb(s, &t, over ? NULL : (const char *)f, over ? 0 : fl, ud))
				return -1;
		}
	}
	if (in_word) {
		vb_token t = { start, len - start };
		int over = fl > fold_max;

		count++;
		f[over ? 0 : fl] = '\0';
		if (cb && cb(s, &t, over ? NULL : (const char *)f, over ? 0 : fl, ud))
			return -1;
	}
	return count;
}
