/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Folding: vb_text_fold, vb_text_fold_buf and vb_text_has_diacritics
 * (contract in text.h).  The fold of one code point is fold_fast in
 * text_int.h, which reads the table text.c builds and falls back to
 * text_fold_cp below (utf8proc's decomposition) outside it.
 */
#include "text_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- folding ---------------------------------------------------------- */

/* Append the fold of one (already mapped) code point to dst (at least 4*8
 * bytes free), returning the number of bytes written. */
size_t text_fold_cp(int32_t cp, unsigned char *dst)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t nd;
	int last = 0;
	size_t o = 0;
	utf8proc_ssize_t k;

	if (cp < 0x80) {
		dst[0] = (unsigned char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	cp = utf8proc_tolower(cp);
	if (cp == 0x0111 || cp == 0x00F0)
		cp = 'd';
	if (cp < 0x80 || (cp >= 0xAC00 && cp <= 0xD7A3)) /* keep Hangul whole */
		return cp_put(dst, cp);
	nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
	if (nd < 0 || nd > 8)
		return cp_put(dst, is_mark(cp) ? REPLACEMENT : cp);
	for (k = 0; k < nd; k++) {
		int32_t c = d[k];

		if (is_mark(c))
			continue;
		c = utf8proc_tolower(c);
		if (c == 0x0111)
			c = 'd';
		o += cp_put(dst + o, c);
	}
	return o;
}

size_t vb_text_fold_buf(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char tmp[64];
	size_t i = 0, o = 0, written = 0;
	int full = !out || cap == 0;

	text_tables_ready();
	while (s && i < len) {
		size_t k = fold_fast(cp_next(u, len, &i), tmp);

		if (!full && written + k < cap) {
			memcpy(out + written, tmp, k);
			written += k;
		} else {
			full = 1; /* never write part of a character */
		}
		o += k;
	}
	if (out && cap)
		out[written] = '\0';
	return o;
}

char *vb_text_fold(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *dst;
	size_t i = 0, o = 0;

	if (len > VB_TEXT_MAX_BYTES || (!s && len))
		return NULL;
	/* one input byte folds to at most 3 output bytes (U+FFFD) and a
	 * decomposed character never grows beyond its own length; fold_fast
	 * needs 32 bytes of room */
	dst = malloc(len * 3 + 33);
	if (!dst)
		return NULL;
	text_tables_ready();
	while (i < len) {
		if (u[i] < 0x80 && u[i] != 0) {
			dst[o++] = (unsigned char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
			i++;
			continue;
		}
		o += fold_fast(cp_next(u, len, &i), dst + o);
	}
	dst[o] = '\0';
	return (char *)dst;
}

int vb_text_has_diacritics(const char *word, size_t len)
{
	const unsigned char *u = (const unsigned char *)word;
	size_t i = 0;

	if (!word)
		return 0;
	while (i < len) {
		int32_t cp = cp_next(u, len, &i);
		utf8proc_int32_t d[8];
		utf8proc_ssize_t nd, k;
		int last = 0;

		if (cp < 0x80)
			continue;
		if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0)
			return 1;
		if (cp >= 0xAC00 && cp <= 0xD7A3)
			continue;
		nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
		for (k = 0; k < nd && k < 8; k++)
			if (is_mark(d[k]))
				return 1;
	}
	return 0;
}
