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
 *
 * Speed: stored texts are already normalised, and snippets, folding and
 * tokenising run over whole documents per search, so the hot paths avoid
 * utf8proc.  A decoder inlines the valid 1-3 byte sequences; a table built
 * once (pthread_once) gives for every BMP code point whether it is a word
 * character and whether it is an "inert" NFC starter that the character map
 * leaves alone; a second table holds the fold of the Latin, combining-mark
 * and Vietnamese blocks.  vb_text_normalize copies runs of inert characters
 * as they are and hands only the short segments around anything else
 * (combining marks, look-alikes, invalid bytes) to utf8proc: an inert
 * character never combines with what precedes it, so NFC of the whole is
 * the concatenation of the NFC of the segments.  Everything outside the
 * tables falls back to the utf8proc code, which stays the reference (the
 * tests compare both on every BMP code point).
 */
#include "text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

/* Per-code-point flags of the BMP, filled once by tables_ready(). */
#define F_WORD 1  /* letter, mark or digit: part of a token */
#define F_INERT 2 /* NFC starter that never combines with a neighbour and
                   * that the character map keeps: copied as it is */
static unsigned char cp_flags[0x10000];
static void tables_ready(void);

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

/* Mathematical alphanumeric symbols (U+1D400-U+1D7FF): letters and digits
 * with only compatibility decompositions, never combining. */
static int math_alnum(int32_t cp)
{
	return cp >= 0x1D400 && cp <= 0x1D7FF;
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
			if (!(cp_flags[cp] & F_INERT))
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
			    !(cp_flags[cp] & F_INERT))
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

	tmp = map_utf8((const char *)u, n, 0, &m, &inert);
	if (!tmp)
		return -1;
	if (inert) {
		rc = out_put(o, tmp, m);
		free(tmp);
		return rc;
	}
	c = nfc(tmp, m);
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
	tables_ready();
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
	tables_ready();
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

			if (at > p && cp >= 0 && cp <= 0xFFFF && (cp_flags[cp] & F_INERT)) {
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

/* Precomputed folds (of cp_map then fold_cp) of the blocks Vietnamese and
 * other Latin text is made of: Latin-1, Latin Extended-A/B, combining
 * diacritics and Latin Extended Additional. */
#define FOLD_SLOW 0xFF /* entry too long: use fold_cp */

typedef struct fold_entry {
	unsigned char len;
	unsigned char b[7];
} fold_entry;

static fold_entry fold_tab[(0x250 - 0x80) + (0x370 - 0x300) + (0x1F00 - 0x1E00)];

static const fold_entry *fold_lookup(int32_t cp)
{
	if (cp >= 0x80 && cp < 0x250)
		return &fold_tab[cp - 0x80];
	if (cp >= 0x300 && cp < 0x370)
		return &fold_tab[(0x250 - 0x80) + (cp - 0x300)];
	if (cp >= 0x1E00 && cp < 0x1F00)
		return &fold_tab[(0x250 - 0x80) + (0x370 - 0x300) + (cp - 0x1E00)];
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
	return cp == DROP ? 0 : fold_cp(cp, dst);
}

size_t vb_text_fold_buf(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char tmp[64];
	size_t i = 0, o = 0, written = 0;
	int full = !out || cap == 0;

	tables_ready();
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
	tables_ready();
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

static inline int word_cp(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x10000)
		return cp_flags[cp] & F_WORD;
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
	tables_ready();
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
		return cp_flags[cp];
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
	tables_ready();
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
		cp_flags[cp] = f;
	}
	for (k = 0; k < sizeof(fold_tab) / sizeof(fold_tab[0]); k++) {
		int32_t c = k < 0x250 - 0x80 ? (int32_t)(k + 0x80) :
		            k < (0x250 - 0x80) + (0x370 - 0x300) ?
		            (int32_t)(k - (0x250 - 0x80) + 0x300) :
		            (int32_t)(k - (0x250 - 0x80) - (0x370 - 0x300) + 0x1E00);
		unsigned char tmp[64];
		int32_t m = cp_map(c);
		size_t n = m == DROP ? 0 : fold_cp(m, tmp);

		if (n > sizeof(fold_tab[k].b)) {
			fold_tab[k].len = FOLD_SLOW;
		} else {
			memcpy(fold_tab[k].b, tmp, n);
			fold_tab[k].len = (unsigned char)n;
		}
	}
}

static void tables_ready(void)
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
