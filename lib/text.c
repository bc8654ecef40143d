/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese text normalisation, folding, canonical exact terms and
 * tokenisation (contract in text.h), on top of utf8proc.  Everything works
 * code point by code point from a tolerant UTF-8 decoder (invalid bytes
 * become U+FFFD), applies the same look-alike / invisible-character map, and
 * lets utf8proc do the Unicode normalisation proper.  The canonical tone
 * placement in vb_text_exact_term parses one syllable (onset, nucleus, coda)
 * on the NFD form and moves the single tone mark onto the vowel chosen by
 * the "new style" rules; anything that is not a plausible Vietnamese
 * syllable is only lower-cased and composed, never rewritten.
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define REPLACEMENT 0xFFFD
#define DROP (-1)

/* Decode the code point at s[*i] (n bytes in total) and advance *i.  An
 * invalid or truncated sequence yields U+FFFD and consumes one byte. */
static int32_t cp_next(const unsigned char *s, size_t n, size_t *i)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t left = n - *i;

	if (s[*i] < 0x80) {
		return s[(*i)++];
	}
	k = utf8proc_iterate(s + *i, (utf8proc_ssize_t)(left > 4 ? 4 : left), &cp);
	if (k <= 0) {
		(*i)++;
		return REPLACEMENT;
	}
	*i += (size_t)k;
	return cp;
}

/* The character map shared by all functions: look-alikes of Đ/đ, exotic
 * spaces, invisible characters and NEL.  Returns DROP for removal. */
static int32_t cp_map(int32_t cp)
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

static size_t cp_put(unsigned char *dst, int32_t cp)
{
	return (size_t)utf8proc_encode_char(cp, dst);
}

/* Whether cp is a starter that never composes with its neighbours, in the
 * blocks Vietnamese text is made of (precomposed Latin, punctuation):
 * a string made only of these is already in NFC. */
static int nfc_inert(int32_t cp)
{
	return cp < 0x0300 || (cp >= 0x1E00 && cp <= 0x1EFF) ||
	       (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
	       cp == 0x20AB || cp == 0x20AC || cp == REPLACEMENT;
}

/* Map s into a fresh UTF-8 buffer (worst case 3 bytes per input byte),
 * optionally lower-casing.  *out_len receives the length, *inert whether
 * every character is nfc_inert (the result is then already NFC). */
static unsigned char *map_utf8(const char *s, size_t len, int lower, size_t *out_len,
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
static char *nfc(const unsigned char *s, size_t n)
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

char *vb_text_normalize(const char *s, size_t len)
{
	unsigned char *tmp;
	size_t n;
	char *out;
	int inert;

	if (len > VB_TEXT_MAX_BYTES || (!s && len))
		return NULL;
	if (!s)
		return strdup("");
	tmp = map_utf8(s, len, 0, &n, &inert);
	if (!tmp)
		return NULL;
	if (inert) { /* already NFC: skip utf8proc's two passes */
		out = realloc(tmp, n + 1);
		return out ? out : (char *)tmp;
	}
	out = nfc(tmp, n);
	free(tmp);
	return out;
}

/* ---- canonical tone placement ---------------------------------------- */

#define SYL_MAX 16 /* letters in one syllable; longer words are not syllables */

typedef struct syl_letter {
	int32_t base;    /* a-z or đ */
	int32_t quality; /* 0, U+0302, U+0306 or U+031B */
} syl_letter;

static int is_tone(int32_t cp)
{
	return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 ||
	       cp == 0x0323;
}

static int is_quality(int32_t cp)
{
	return cp == 0x0302 || cp == 0x0306 || cp == 0x031B;
}

static int is_vowel(int32_t c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int quality_fits(int32_t base, int32_t q)
{
	switch (q) {
	case 0x0302: return base == 'a' || base == 'e' || base == 'o';
	case 0x0306: return base == 'a';
	case 0x031B: return base == 'o' || base == 'u';
	default: return 0;
	}
}

/* Whether letters[from, to) spell one of the strings in the NULL-terminated
 * list (đ is spelled "D" in the list). */
static int spelled_as(const syl_letter *l, size_t from, size_t to,
                      const char *const *list)
{
	for (; *list; list++) {
		size_t k = 0, n = strlen(*list);

		if (n != to - from)
			continue;
		for (k = 0; k < n; k++) {
			int32_t want = (*list)[k] == 'D' ? 0x0111 : (*list)[k];

			if (l[from + k].base != want || l[from + k].quality)
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

static const char *const onsets[] = {
	"", "b", "c", "ch", "d", "D", "g", "gh", "gi", "h", "k", "kh", "l", "m",
	"n", "ng", "ngh", "nh", "p", "ph", "q", "qu", "r", "s", "t", "th", "tr",
	"v", "x", NULL
};
static const char *const codas[] = {
	"", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL
};

/* Re-place the tone of a lower-case NFD code point sequence.  Writes the
 * rebuilt sequence to out (capacity >= n) and returns its length, or 0 when
 * the input is not a Vietnamese syllable carrying exactly one tone. */
static size_t syllable_retone(const int32_t *cp, size_t n, int32_t *out)
{
	syl_letter l[SYL_MAX];
	size_t nl = 0, i, on, nuc_end, target, o = 0;
	int32_t tone = 0;
	size_t k;

	for (i = 0; i < n; i++) {
		if (is_tone(cp[i])) {
			if (tone || nl == 0)
				return 0;
			tone = cp[i];
		} else if (is_quality(cp[i])) {
			if (nl == 0 || l[nl - 1].quality ||
			    !quality_fits(l[nl - 1].base, cp[i]))
				return 0;
			l[nl - 1].quality = cp[i];
		} else if ((cp[i] >= 'a' && cp[i] <= 'z') || cp[i] == 0x0111) {
			if (nl == SYL_MAX)
				return 0;
			l[nl].base = cp[i];
			l[nl].quality = 0;
			nl++;
		} else {
			return 0;
		}
	}
	if (!tone)
		return 0;
	for (on = 0; on < nl && !is_vowel(l[on].base); on++)
		;
	if (on == nl)
		return 0;
	/* "qu" and "gi" before another vowel: the u / i belongs to the onset */
	if (on == 1 && on + 1 < nl && !l[on].quality && is_vowel(l[on + 1].base) &&
	    ((l[0].base == 'q' && l[on].base == 'u') ||
	     (l[0].base == 'g' && l[on].base == 'i')))
		on++;
	for (nuc_end = on; nuc_end < nl && is_vowel(l[nuc_end].base); nuc_end++)
		;
	if (nuc_end - on > 3 || !spelled_as(l, 0, on, onsets) ||
	    !spelled_as(l, nuc_end, nl, codas))
		return 0;

	target = SIZE_MAX;
	for (k = on; k < nuc_end; k++)
		if (l[k].quality)
			target = k; /* last one wins: ươ -> ơ */
	if (target == SIZE_MAX) {
		size_t nv = nuc_end - on;

		if (nv == 1)
			target = on;
		else if (nuc_end < nl)
			target = nuc_end - 1;      /* hoàn, toán */
		else if (nv == 2)
			target = on;               /* hòa, thủy, múa */
		else
			target = on + 1;           /* hoài, khuỷu */
	}
	for (k = 0; k < nl; k++) {
		out[o++] = l[k].base;
		if (l[k].quality)
			out[o++] = l[k].quality;
		if (k == target)
			out[o++] = tone;
	}
	return o;
}

char *vb_text_exact_term(const char *word, size_t len)
{
	unsigned char *low = NULL, *enc = NULL;
	int32_t *dec = NULL, *re = NULL;
	size_t n, i, o = 0;
	utf8proc_ssize_t nd;
	char *out = NULL;

	if (len > VB_TEXT_MAX_BYTES || (!word && len))
		return NULL;
	if (!word || len == 0)
		return strdup("");
	low = map_utf8(word, len, 1, &n, NULL);
	if (!low)
		goto out;
	if (n == 0) {
		out = strdup("");
		goto out;
	}
	nd = utf8proc_decompose(low, (utf8proc_ssize_t)n, NULL, 0, UTF8PROC_DECOMPOSE);
	if (nd < 0)
		goto out;
	if (nd == 0 || nd > 4 * SYL_MAX) {
		out = nfc(low, n); /* too long to be a syllable */
		goto out;
	}
	dec = malloc((size_t)nd * sizeof(*dec));
	re = malloc((size_t)nd * sizeof(*re));
	if (!dec || !re)
		goto out;
	if (utf8proc_decompose(low, (utf8proc_ssize_t)n, dec, nd, UTF8PROC_DECOMPOSE) != nd)
		goto out;
	o = syllable_retone(dec, (size_t)nd, re);
	if (o == 0) {
		out = nfc(low, n);
		goto out;
	}
	enc = malloc(o * 4 + 1);
	if (!enc)
		goto out;
	for (i = 0, n = 0; i < o; i++)
		n += cp_put(enc + n, re[i]);
	out = nfc(enc, n);
out:
	free(low);
	free(enc);
	free(dec);
	free(re);
	return out;
}

/* ---- folding ---------------------------------------------------------- */

static int is_mark(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       c == UTF8PROC_CATEGORY_ME;
}

/* Append the fold of one (already mapped) code point to dst (at least 4*8
 * bytes free), returning the number of bytes written. */
static size_t fold_cp(int32_t cp, unsigned char *dst)
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

	while (s && i < len) {
		int32_t cp = cp_map(cp_next(u, len, &i));
		size_t k;

		if (cp == DROP)
			continue;
		k = fold_cp(cp, tmp);
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
	 * decomposed character never grows beyond its own length */
	dst = malloc(len * 3 + 1);
	if (!dst)
		return NULL;
	while (i < len) {
		int32_t cp = cp_map(cp_next(u, len, &i));

		if (cp == DROP)
			continue;
		o += fold_cp(cp, dst + o);
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

/* ---- tokenisation ----------------------------------------------------- */

static int is_word_cp(int32_t cp)
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

long vb_text_tokenize(const char *s, size_t len, vb_token_cb cb, void *ud)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;
	int in_word = 0;
	long count = 0;

	if (!s)
		return 0;
	while (i < len) {
		size_t at = i;
		int32_t cp;
		int w;

		/* a U+FFFD from a bad byte is not a word character either */
		cp = cp_next(u, len, &i);
		w = is_word_cp(cp);
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
