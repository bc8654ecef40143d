/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Canonical exact terms: vb_text_exact_term (contract in text.h; shared
 * helpers in text_int.h).  The canonical tone placement parses one
 * syllable (onset, nucleus, coda) on the NFD form and moves the single
 * tone mark onto the vowel chosen by the "new style" rules; anything that
 * is not a plausible Vietnamese syllable is only lower-cased and composed,
 * never rewritten.
 */
#include "text_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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
	low = text_map_utf8(word, len, 1, &n, NULL);
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
		out = text_nfc(low, n); /* too long to be a syllable */
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
		out = text_nfc(low, n);
		goto out;
	}
	enc = malloc(o * 4 + 1);
	if (!enc)
		goto out;
	for (i = 0, n = 0; i < o; i++)
		n += cp_put(enc + n, re[i]);
	out = text_nfc(enc, n);
out:
	free(low);
	free(enc);
	free(dec);
	free(re);
	return out;
}
