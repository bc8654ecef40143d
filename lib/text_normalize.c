/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Normalisation of stored text: vb_text_normalize and
 * vb_text_is_normalized (contract in text.h; shared helpers in text_int.h).
 * The character map and the tables come from text.c, and utf8proc does the
 * Unicode normalisation proper.  vb_text_normalize copies runs of inert
 * characters as they are and hands only the short segments around anything
 * else (combining marks, look-alikes, invalid bytes) to utf8proc: an inert
 * character never combines with what precedes it, so NFC of the whole is
 * the concatenation of the NFC of the segments.
 */
#include "text_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Map s into a fresh UTF-8 buffer (worst case 3 bytes per input byte),
 * optionally lower-casing.  *out_len receives the length, *inert whether
 * every character is nfc_inert (the result is then already NFC). */
unsigned char *text_map_utf8(const char *s, size_t len, int lower, size_t *out_len,
                             int *inert)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *dst;
	size_t i = 0, o = 0;
	int all_inert = 1;

	dst = malloc(len * 3 + 1);
	if (!dst)
		return NULL;
	while (i < len) {
		int32_t cp;

		if (u[i] >= 0x20 && u[i] < 0x80 && !lower) { /* fast path */
			dst[o++] = u[i++];
			continue;
		}
		cp = cp_map(cp_next(u, len, &i));
		if (cp == DROP)
			continue;
		if (lower)
			cp = cp_map(utf8proc_tolower(cp));
		if (all_inert && !nfc_inert(cp))
			all_inert = 0;
		o += cp_put(dst + o, cp);
	}
	dst[o] = '\0';
	*out_len = o;
	if (inert)
		*inert = all_inert;
	return dst;
}

/* NFC of valid UTF-8 (n bytes) as a new string. */
char *text_nfc(const unsigned char *s, size_t n)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t r;

	if (n == 0)
		return strdup("");
	r = utf8proc_map(s, (utf8proc_ssize_t)n, &out,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0) {
		free(out);
		return NULL;
	}
	return (char *)out;
}

/* Offset of the first character at or after i (a character boundary) that
 * is not F_INERT or not valid UTF-8; len when there is none. */
static size_t inert_span(const unsigned char *u, size_t len, size_t i)
{
	while (i < len) {
		unsigned c = u[i];
		int32_t cp;

		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
		} else if (c >= 0xC2 && c < 0xE0) {
			if (i + 1 >= len || (u[i + 1] & 0xC0) != 0x80)
				return i;
			cp = ((int32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F);
			if (!(text_cp_flags[cp] & F_INERT))
				return i;
			i += 2;
		} else if (c >= 0xE0 && c < 0xF0) {
			if (i + 2 >= len || (u[i + 1] & 0xC0) != 0x80 ||
			    (u[i + 2] & 0xC0) != 0x80)
				return i;
			cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(u[i + 1] & 0x3F) << 6) |
			     (u[i + 2] & 0x3F);
			/* overlong forms and surrogates are invalid */
			if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ||
			    !(text_cp_flags[cp] & F_INERT))
				return i;
			i += 3;
		} else {
			size_t at = i;

			/* beyond the BMP only the mathematical letters of
			 * formulas are inert (compatibility forms, starters) */
			cp = cp_decode(u, len, &i);
			if (!math_alnum(cp))
				return at;
		}
	}
	return len;
}

/* A growing output string for the segment-wise normalisation. */
typedef struct outbuf {
	char *p;
	size_t n, cap;
} outbuf;

static int out_put(outbuf *o, const void *p, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t nc = o->cap * 2 > o->n + n + 1 ? o->cap * 2 : o->n + n + 1;
		char *np = realloc(o->p, nc);

		if (!np)
			return -1;
		o->p = np;
		o->cap = nc;
	}
	memcpy(o->p + o->n, p, n);
	o->n += n;
	o->p[o->n] = '\0';
	return 0;
}

/* Map and compose one segment (see the file comment) onto o. */
static int normalize_segment(outbuf *o, const unsigned char *u, size_t n)
{
	unsigned char *tmp;
	char *c;
	size_t m;
	int inert, rc;

	tmp = text_map_utf8((const char *)u, n, 0, &m, &inert);
	if (!tmp)
		return -1;
	if (inert) {
		rc = out_put(o, tmp, m);
		free(tmp);
		return rc;
	}
	c = text_nfc(tmp, m);
	free(tmp);
	if (!c)
		return -1;
	rc = out_put(o, c, strlen(c));
	free(c);
	return rc;
}

int vb_text_is_normalized(const char *s, size_t len)
{
	if (!s)
		return len == 0;
	text_tables_ready();
	return inert_span((const unsigned char *)s, len, 0) == len;
}

char *vb_text_normalize(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	outbuf o = { 0 };
	size_t pos = 0, p;

	if (len > VB_TEXT_MAX_BYTES || (!s && len))
		return NULL;
	if (!s)
		return strdup("");
	text_tables_ready();
	p = inert_span(u, len, 0);
	if (p == len) { /* the common case: stored texts are normalised */
		char *out = malloc(len + 1);

		if (out) {
			memcpy(out, s, len);
			out[len] = '\0';
		}
		return out;
	}
	o.cap = len + len / 8 + 64;
	if (!(o.p = malloc(o.cap)))
		return NULL;
	o.p[0] = '\0';
	for (;;) {
		size_t seg = p, end = p;

		/* the inert character before the run may compose with it */
		if (seg > pos) {
			seg--;
			while (seg > pos && (u[seg] & 0xC0) == 0x80)
				seg--;
		}
		if (out_put(&o, u + pos, seg - pos))
			goto fail;
		while (end < len) {
			size_t at = end;
			int32_t cp = cp_decode(u, len, &end);

			if (at > p && cp >= 0 && cp <= 0xFFFF && (text_cp_flags[cp] & F_INERT)) {
				end = at;
				break;
			}
		}
		if (normalize_segment(&o, u + seg, end - seg))
			goto fail;
		pos = end;
		if (pos == len)
			break;
		p = inert_span(u, len, pos);
		if (p == len) {
			if (out_put(&o, u + pos, len - pos))
				goto fail;
			break;
		}
	}
	return o.p;
fail:
	free(o.p);
	return NULL;
}
