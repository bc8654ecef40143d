/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Detection of a legacy encoding (vb_legacy_detect in legacy.h) and the
 * word scoring the conversion and the repair also use (legacy_int.h).
 * Detection feeds each candidate decoding of a paragraph, code point by
 * code point, to a word scorer that checks every word holding a non-ASCII
 * character against the shape of a Vietnamese syllable (onset, vowel
 * nucleus, coda, at most one tone); ASCII-only words look the same in
 * every encoding and do not count.  Linear in the input: one pass per
 * candidate and paragraph.
 */
#include "legacy_int.h"

#include <string.h>

#define WORD_MAX 12 /* longest syllable is 7 letters ("nghiêng") */

/* Preference order on ties. */
const enum vb_legacy_enc legacy_cand_order[NCAND] = {
	VB_LEGACY_CP1252, VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_CP1258,
	VB_LEGACY_VISCII
};

/* ---- Vietnamese letters and syllables ---- */

/* Compact spelling of a base letter: ASCII stays, the modified vowels and
 * đ become digits (ă 1, â 2, ê 3, ô 4, ơ 5, ư 6, đ 0). */
static char base_code(uint32_t base)
{
	switch (base) {
	case 0x0103: return '1';
	case 0x00E2: return '2';
	case 0x00EA: return '3';
	case 0x00F4: return '4';
	case 0x01A1: return '5';
	case 0x01B0: return '6';
	case 0x0111: return '0';
	default: return base < 0x80 ? (char)base : '?';
	}
}

/* Strings with their length, so that the syllable checker (the hot loop of
 * detection) never calls strlen. */
struct str {
	const char *s;
	unsigned char n;
};
#define STR(x) { x, sizeof(x) - 1 }

static const struct str onsets[] = {
	STR("ngh"), STR("ng"), STR("nh"), STR("ch"), STR("gh"), STR("gi"),
	STR("kh"), STR("ph"), STR("qu"), STR("th"), STR("tr"), STR("b"),
	STR("c"), STR("d"), STR("0"), STR("g"), STR("h"), STR("k"), STR("l"),
	STR("m"), STR("n"), STR("p"), STR("r"), STR("s"), STR("t"), STR("v"),
	STR("x"), STR("")
};

enum { CODA_NONE, CODA_VELAR, CODA_PALATAL, CODA_OTHER };
static const struct coda {
	struct str s;
	unsigned char kind;
	unsigned char stop; /* takes only the sharp tones (sắc, nặng) */
} codas[] = {
	{ STR("ng"), CODA_VELAR, 0 }, { STR("nh"), CODA_PALATAL, 0 },
	{ STR("ch"), CODA_PALATAL, 1 }, { STR("c"), CODA_VELAR, 1 },
	{ STR("m"), CODA_OTHER, 0 }, { STR("n"), CODA_OTHER, 0 },
	{ STR("p"), CODA_OTHER, 1 }, { STR("t"), CODA_OTHER, 1 },
	{ STR(""), CODA_NONE, 0 }
};

/* Nuclei that may be followed by a coda, and those that end the syllable. */
static const struct str nuclei_closed[] = {
	STR("a"), STR("1"), STR("2"), STR("e"), STR("3"), STR("i"), STR("o"),
	STR("4"), STR("5"), STR("u"), STR("6"), STR("y"), STR("oa"), STR("o1"),
	STR("oe"), STR("oo"), STR("u2"), STR("u3"), STR("uy"), STR("i3"),
	STR("y3"), STR("u4"), STR("u5"), STR("65"), STR("uy3"), { NULL, 0 }
};
static const struct str nuclei_open[] = {
	STR("ai"), STR("ao"), STR("au"), STR("ay"), STR("2u"), STR("2y"),
	STR("eo"), STR("3u"), STR("ia"), STR("iu"), STR("oi"), STR("4i"),
	STR("5i"), STR("ui"), STR("6i"), STR("6u"), STR("ua"), STR("6a"),
	STR("i3u"), STR("y3u"), STR("u4i"), STR("65i"), STR("65u"), STR("oai"),
	STR("oay"), STR("oeo"), STR("uyu"), STR("u2y"), STR("uya"), STR("ya"),
	{ NULL, 0 }
};
/* Nuclei before the codas nh/ch ("anh", "ênh", "inh", "oanh", "uynh"), and
 * those never before ng/c ("*ơng", "*ing"). */
static const struct str nuclei_palatal[] = {
	STR("a"), STR("3"), STR("i"), STR("y"), STR("oa"), STR("u3"),
	STR("uy"), { NULL, 0 }
};
static const struct str nuclei_no_velar[] = {
	STR("3"), STR("i"), STR("y"), STR("5"), STR("uy"), STR("u3"),
	STR("oe"), STR("u5"), { NULL, 0 }
};

static int in_list(const struct str *list, const char *s, size_t n)
{
	for (; list->s; list++)
		if (list->n == n && list->s[0] == s[0] && !memcmp(list->s, s, n))
			return 1;
	return 0;
}

static int rime_ok(const char *s, size_t n, int tone)
{
	size_t k;

	for (k = 0; k < sizeof codas / sizeof codas[0]; k++) {
		const struct coda *c = &codas[k];
		size_t cl = c->s.n, nl = n - cl;

		if (cl >= n || memcmp(s + nl, c->s.s, cl))
			continue;
		if (c->kind == CODA_NONE) {
			if (in_list(nuclei_closed, s, n) || in_list(nuclei_open, s, n))
				return 1;
			continue;
		}
		if (!in_list(nuclei_closed, s, nl))
			continue;
		if (c->kind == CODA_PALATAL && !in_list(nuclei_palatal, s, nl))
			continue;
		if (c->kind == CODA_VELAR && in_list(nuclei_no_velar, s, nl))
			continue;
		if (c->stop && tone != 1 && tone != 5)
			continue;
		return 1;
	}
	return 0;
}

/* Whether the compact spelling s (n chars) with tone is onset + rime. */
static int syllable_ok(const char *s, size_t n, int tone)
{
	size_t k;

	for (k = 0; k < sizeof onsets / sizeof onsets[0]; k++) {
		const struct str *o = &onsets[k];

		if (o->n < n && (!o->n || o->s[0] == s[0]) &&
		    !memcmp(s, o->s, o->n) && rime_ok(s + o->n, n - o->n, tone))
			return 1;
	}
	return 0;
}

/* Whether spell + tone is one of the very common syllables. */
static int syllable_common(const char *s, size_t n, int tone)
{
	char key[WORD_MAX + 2];
	size_t lo = 0, hi = vb_legacy_ncommon;

	memcpy(key, s, n);
	key[n] = (char)('0' + tone);
	key[n + 1] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(vb_legacy_common[mid], key);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- word scoring ---- */

struct scorer {
	char spell[WORD_MAX];
	size_t n;          /* letters so far */
	int symbols;       /* non-letters (¾ § «) inside the word */
	int tones;
	int tone;          /* the (last) tone */
	int nonascii;      /* word holds a non-ASCII character */
	int bad;           /* foreign character, case or length trouble */
	int prev_lower_ascii;
	int score;
	int nbad;          /* implausible words */
};

static void score_end_word(struct scorer *sc)
{
	/* a lone symbol (© ½ £) or a lone letter is no evidence either way */
	if (sc->nonascii && (sc->n > 1 || (sc->n == 1 && sc->symbols))) {
		if (!sc->bad && sc->tones <= 1 &&
		    syllable_ok(sc->spell, sc->n, sc->tone))
			sc->score += 1 + syllable_common(sc->spell, sc->n, sc->tone);
		else {
			sc->score -= 2;
			sc->nbad++;
		}
	}
	sc->n = 0;
	sc->symbols = 0;
	sc->tones = sc->tone = 0;
	sc->nonascii = sc->bad = sc->prev_lower_ascii = 0;
}

/* Characters that end a word for scoring: ASCII non-letters, C1 controls
 * and NBSP, general punctuation (quotes, dashes of Windows-1252). */
static int score_sep(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	return cp <= 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xFFFD;
}

static void score_feed(struct scorer *sc, uint32_t cp)
{
	const struct vb_legacy_letter *l;
	int tone = 0, upper;
	uint32_t base;

	if (score_sep(cp)) {
		if (sc->n || sc->nonascii || sc->symbols)
			score_end_word(sc);
		return;
	}
	if (cp < 0x80) {
		upper = cp < 'a';
		base = cp | 0x20;
	} else if (cp >= 0x0300 && cp <= 0x0323) {
		/* combining tone (CP1258, decomposed input) */
		sc->nonascii = 1;
		switch (cp) {
		case 0x300: tone = 2; break;
		case 0x301: tone = 1; break;
		case 0x303: tone = 4; break;
		case 0x309: tone = 3; break;
		case 0x323: tone = 5; break;
		default: break;
		}
		if (!sc->n || !tone)
			sc->bad = 1;
		else {
			sc->tones++;
			sc->tone = tone;
		}
		return;
	} else if ((l = letter_find(cp))) {
		sc->nonascii = 1;
		upper = l->upper;
		base = l->base;
		tone = l->tone;
	} else {
		sc->nonascii = 1;
		sc->bad = 1;
		sc->symbols++;
		return;
	}
	if (upper && sc->prev_lower_ascii)
		sc->bad = 1;  /* "nhÊt": a capital inside a lower-case word */
	sc->prev_lower_ascii = !upper && cp < 0x80;
	if (tone) {
		sc->tones++;
		sc->tone = tone;
	}
	if (sc->n >= WORD_MAX) {
		sc->bad = 1;
		return;
	}
	sc->spell[sc->n++] = base_code(base);
}

int legacy_score_bytes(const uint8_t *b, size_t n, enum vb_legacy_enc enc)
{
	struct scorer sc;
	const uint16_t *map = enc_map(enc);
	size_t i = 0;

	memset(&sc, 0, sizeof sc);
	while (i < n)
		score_feed(&sc, dec_next(enc, map, b, n, &i));
	score_feed(&sc, ' ');
	return sc.score;
}

int legacy_score_cps(const uint32_t *cp, size_t n, int *nbad)
{
	struct scorer sc;
	size_t i;

	memset(&sc, 0, sizeof sc);
	for (i = 0; i < n; i++)
		score_feed(&sc, cp[i]);
	score_feed(&sc, ' ');
	*nbad = sc.nbad;
	return sc.score;
}

/* Score a paragraph in every candidate encoding (indexed like
 * legacy_cand_order).  Returns 0 (all scores 0) for ASCII, which reads the
 * same in all. */
static int score_all(const uint8_t *b, size_t n, int scores[NCAND])
{
	int k, ascii = para_ascii(b, n);

	for (k = 0; k < NCAND; k++)
		scores[k] = ascii ? 0 : legacy_score_bytes(b, n, legacy_cand_order[k]);
	return !ascii;
}

static int best_of(const int scores[NCAND], int prefer)
{
	int k, best = 0;

	for (k = 1; k < NCAND; k++)
		if (scores[k] > scores[best])
			best = k;
	if (prefer >= 0 && scores[prefer] == scores[best])
		best = prefer;
	return best;
}

/* Whether the letters cp[0..n) spell one Vietnamese syllable. */
int legacy_is_syllable(const uint32_t *cp, size_t n)
{
	struct scorer sc;
	size_t i;

	memset(&sc, 0, sizeof sc);
	for (i = 0; i < n; i++)
		score_feed(&sc, cp[i]);
	score_feed(&sc, ' ');
	return sc.score > 0;
}

/* Score every paragraph of b holding non-ASCII bytes.  *doc gets the
 * candidate (index in legacy_cand_order) that most paragraphs prefer (ties
 * within a paragraph go to the preference order; only positive scores vote), or,
 * when none votes, the best total score; *evidence gets the winning vote
 * count or total (<= 0: no evidence).  Returns 0 or VB_ETOOBIG / VB_ENOMEM
 * from ties.  When ties is not
 * NULL, one byte per scored paragraph is appended to it: the mask of the
 * candidates that tie for that paragraph's best score. */
int legacy_doc_pass(const uint8_t *b, size_t len, vb_buf *ties, int *doc,
		    long *evidence)
{
	int scores[NCAND];
	long total[NCAND] = { 0 }, wins[NCAND] = { 0 };
	size_t i, pl;
	int k, best, rc;

	for (i = 0; i <= len; i += pl + 1) {
		unsigned char mask = 0;

		pl = para_len(b, len, i);
		if (!score_all(b + i, pl, scores))
			continue;
		best = best_of(scores, -1);
		for (k = 0; k < NCAND; k++) {
			total[k] += scores[k];
			if (scores[k] == scores[best])
				mask |= (unsigned char)(1u << k);
		}
		if (scores[best] > 0)
			wins[best]++;
		if (ties && (rc = vb_buf_putc(ties, (char)mask)) < 0)
			return rc;
	}
	for (best = 0, k = 1; k < NCAND; k++)
		if (wins[k] > wins[best])
			best = k;
	if (wins[best]) {
		*doc = best;
		*evidence = wins[best];
		return 0;
	}
	for (best = 0, k = 1; k < NCAND; k++)
		if (total[k] > total[best])
			best = k;
	*doc = best;
	*evidence = total[best];
	return 0;
}

enum vb_legacy_enc vb_legacy_detect(const char *bytes, size_t len)
{
	int doc = 0;
	long evidence = 0;

	if (!bytes || !len || len > VB_LEGACY_MAX_BYTES)
		return VB_LEGACY_UNKNOWN;
	legacy_doc_pass((const uint8_t *)bytes, len, NULL, &doc, &evidence);
	return evidence > 0 ? legacy_cand_order[doc] : VB_LEGACY_UNKNOWN;
}
