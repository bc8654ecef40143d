/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese legacy encodings -> NFC UTF-8 (contract in legacy.h).
 *
 * Decoding is table driven (lib/legacy_tables.c, generated from the corpus
 * charset table by data/tools/gen-legacy-tables.py): one byte -> one code
 * point, except VNI where a vowel byte followed by a mark byte forms one
 * letter, and CP1258 whose combining tone bytes are composed by the final
 * NFC pass.  Detection feeds each candidate decoding of a paragraph, code
 * point by code point, to a word scorer that checks every word holding a
 * non-ASCII character against the shape of a Vietnamese syllable (onset,
 * vowel nucleus, coda, at most one tone); ASCII-only words look the same in
 * every encoding and do not count.  The capitals repair classifies the words
 * of a paragraph by case and upper-cases the lower-case Vietnamese letters
 * a capitals-only font left behind.  Everything is linear in the input: a
 * constant number of passes per paragraph.
 */
#include "legacy.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define NCAND 5 /* candidate encodings for raw bytes */
#define WORD_MAX 12 /* longest syllable is 7 letters ("nghiêng") */

/* Preference order on ties. */
static const enum vb_legacy_enc cand_order[NCAND] = {
	VB_LEGACY_CP1252, VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_CP1258,
	VB_LEGACY_VISCII
};

const char *vb_legacy_enc_name(enum vb_legacy_enc enc)
{
	switch (enc) {
	case VB_LEGACY_TCVN3: return "tcvn3";
	case VB_LEGACY_VNI: return "vni";
	case VB_LEGACY_VISCII: return "viscii";
	case VB_LEGACY_CP1258: return "cp1258";
	case VB_LEGACY_CP1252: return "cp1252";
	default: return "unknown";
	}
}

/* ---- decoding ---- */

static const uint16_t *enc_map(enum vb_legacy_enc enc)
{
	switch (enc) {
	case VB_LEGACY_TCVN3: return vb_legacy_map_tcvn3;
	case VB_LEGACY_VNI: return vb_legacy_map_vni;
	case VB_LEGACY_VISCII: return vb_legacy_map_viscii;
	case VB_LEGACY_CP1258: return vb_legacy_map_cp1258;
	case VB_LEGACY_CP1252: return vb_legacy_map_cp1252;
	default: return NULL;
	}
}

static int vni_pair(uint8_t base, uint8_t mark)
{
	size_t lo = 0, hi = vb_legacy_vni_npairs;
	unsigned key = (unsigned)base << 8 | mark;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vb_legacy_pair *p = &vb_legacy_vni_pairs[mid];
		unsigned k = (unsigned)p->base << 8 | p->mark;

		if (k == key)
			return p->cp;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Decode the character at b[*i] (n bytes) in enc and advance *i. */
static uint32_t dec_next(enum vb_legacy_enc enc, const uint16_t *map,
			 const uint8_t *b, size_t n, size_t *i)
{
	uint8_t c = b[(*i)++];

	/* every VNI mark byte is >= 0xC0 */
	if (enc == VB_LEGACY_VNI && *i < n && b[*i] >= 0xC0) {
		int cp = vni_pair(c, b[*i]);

		if (cp >= 0) {
			(*i)++;
			return (uint32_t)cp;
		}
	}
	return map[c];
}

static int put_cp(vb_buf *out, uint32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);

	return vb_buf_append(out, tmp, (size_t)k);
}

static int decode_into(vb_buf *out, const uint8_t *b, size_t n,
		       enum vb_legacy_enc enc)
{
	const uint16_t *map = enc_map(enc);
	size_t i = 0;
	int rc;

	while (i < n) {
		uint32_t cp = dec_next(enc, map, b, n, &i);

		if (cp == 0)
			continue;
		if ((rc = put_cp(out, cp)) < 0)
			return rc;
	}
	return 0;
}

/* ---- Vietnamese letters and syllables ---- */

static const struct vb_legacy_letter *letter_find(uint32_t cp)
{
	size_t lo = 0, hi = vb_legacy_nletters;

	/* non-ASCII Vietnamese letters live in U+00C0..U+01B0, U+1EA0..U+1EF9 */
	if ((cp >= 0x80 && cp < 0xC0) || (cp > 0x1B0 && cp < 0x1EA0) ||
	    cp > 0x1EF9)
		return NULL;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vb_legacy_letters[mid].cp == cp)
			return &vb_legacy_letters[mid];
		if (vb_legacy_letters[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

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

static int score_bytes(const uint8_t *b, size_t n, enum vb_legacy_enc enc)
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

static int score_cps(const uint32_t *cp, size_t n, int *nbad)
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

static int para_ascii(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] >= 0x80)
			return 0;
	return 1;
}

/* Score a paragraph in every candidate encoding (indexed like cand_order).
 * Returns 0 (all scores 0) for ASCII, which reads the same in all. */
static int score_all(const uint8_t *b, size_t n, int scores[NCAND])
{
	int k, ascii = para_ascii(b, n);

	for (k = 0; k < NCAND; k++)
		scores[k] = ascii ? 0 : score_bytes(b, n, cand_order[k]);
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

/* ---- capitals repair ---- */

static int is_para_sep(uint32_t c)
{
	return c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether cp is a lower-case Vietnamese letter a capitals font leaves
 * lower case after conversion: the non-ASCII ones (toned vowels and
 * ă â ê ô ơ ư đ). */
static int lower_viet(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	return cp >= 0x80 && (l = letter_find(cp)) && !l->upper;
}

/* Letters and combining marks (a word for the capitals repair). */
static int is_letter(uint32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	c = utf8proc_category((utf8proc_int32_t)cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

static int is_upper(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	if ((l = letter_find(cp)))
		return l->upper;
	return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

static int is_lower(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	if ((l = letter_find(cp)))
		return !l->upper;
	return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

/* Upper case of a Vietnamese or ASCII letter; anything else unchanged (so
 * the byte length never changes). */
static uint32_t viet_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
	if (lower_viet(cp))
		return (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp);
	return cp;
}

/* Whether the letters cp[0..n) spell one Vietnamese syllable. */
static int is_syllable(const uint32_t *cp, size_t n)
{
	struct scorer sc;
	size_t i;

	memset(&sc, 0, sizeof sc);
	for (i = 0; i < n; i++)
		score_feed(&sc, cp[i]);
	score_feed(&sc, ' ');
	return sc.score > 0;
}

enum word_class { W_NONE, W_UPPER, W_BUG, W_AMBIG, W_LOWER };

/* Classify the word cp[0..n): all capitals (W_UPPER); capitals with
 * lower-case Vietnamese letters a capitals font left (W_BUG, "SắC");
 * one capital and such letters only (W_AMBIG, "Số", "Hà": fine in
 * ordinary text); anything with a plain lower-case letter (W_LOWER). */
static enum word_class word_class(const uint32_t *cp, size_t n)
{
	size_t i, up = 0, lv = 0, lp = 0;

	for (i = 0; i < n; i++) {
		if (is_upper(cp[i]))
			up++;
		else if (lower_viet(cp[i]))
			lv++;
		else if (is_lower(cp[i]))
			lp++;
	}
	if (lp)
		return W_LOWER;
	if (!up)
		return lv ? W_LOWER : W_NONE;
	if (!lv)
		return W_UPPER;
	if (up < 2)
		return W_AMBIG;
	/* "KTTHTú" (initials + a name) is no syllable, "CHủ" is */
	return is_syllable(cp, n) ? W_BUG : W_LOWER;
}

/* Repair capitals in one paragraph of code points, in place. */
static void caps_fix(uint32_t *cp, size_t n)
{
	size_t i, s;
	int cnt[5] = { 0 };
	int heading;

	for (i = 0; i < n;) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		for (s = i; i < n && is_letter(cp[i]); i++)
			;
		cnt[word_class(cp + s, i - s)]++;
	}
	if (!cnt[W_BUG])
		return;
	heading = cnt[W_UPPER] + cnt[W_BUG] > 2 * cnt[W_LOWER];
	for (i = 0; i < n;) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		for (s = i; i < n && is_letter(cp[i]); i++)
			;
		if (heading || word_class(cp + s, i - s) == W_BUG) {
			size_t j;

			for (j = s; j < i; j++)
				cp[j] = heading ? viet_upper(cp[j]) :
				    (is_lower(cp[j]) ? viet_upper(cp[j]) : cp[j]);
		}
	}
}

/* ---- paragraph output ---- */

struct cpvec {
	uint32_t *v;
	size_t n, cap;
};

static int cpvec_push(struct cpvec *c, uint32_t cp)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		uint32_t *p = realloc(c->v, cap * sizeof *p);

		if (!p)
			return VB_ENOMEM;
		c->v = p;
		c->cap = cap;
	}
	c->v[c->n++] = cp;
	return 0;
}

/* Repair capitals in the code points of one paragraph and append them. */
static int emit_para(vb_buf *out, struct cpvec *c)
{
	size_t i;
	int rc;

	caps_fix(c->v, c->n);
	for (i = 0; i < c->n; i++)
		if ((rc = put_cp(out, c->v[i])) < 0)
			return rc;
	c->n = 0;
	return 0;
}

static int emit_decoded(vb_buf *out, struct cpvec *c, const uint8_t *b,
			size_t n, enum vb_legacy_enc enc)
{
	const uint16_t *map = enc_map(enc);
	size_t i = 0;
	int rc;

	while (i < n) {
		uint32_t cp = dec_next(enc, map, b, n, &i);

		if (cp && (rc = cpvec_push(c, cp)) < 0)
			return rc;
	}
	return emit_para(out, c);
}

/* Compose the content of out (NFC) into a new string. */
static int finish_nfc(vb_buf *out, char **res, vb_error *err)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t k;

	k = utf8proc_map((const utf8proc_uint8_t *)vb_buf_str(out),
			 (utf8proc_ssize_t)out->len, &dst,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (k < 0) {
		free(dst);
		return vb_error_set(err, k == UTF8PROC_ERROR_NOMEM ? VB_ENOMEM :
				    VB_EINVAL, "could not normalise text: %s",
				    utf8proc_errmsg(k));
	}
	*res = (char *)dst;
	return 0;
}

static int check_args(const void *p, size_t len, char **out, vb_error *err)
{
	if (!out)
		return vb_error_set(err, VB_EINVAL, "no output pointer");
	*out = NULL;
	if (!p && len)
		return vb_error_set(err, VB_EINVAL, "no input");
	if (len > VB_LEGACY_MAX_BYTES)
		return vb_error_set(err, VB_ETOOBIG,
				    "text of %zu bytes exceeds the limit of %u",
				    len, VB_LEGACY_MAX_BYTES);
	return 0;
}

static int buf_error(int rc, vb_error *err)
{
	return vb_error_set(err, rc, rc == VB_ENOMEM ? "out of memory" :
			    "converted text exceeds the size limit");
}

/* ---- exported ---- */

int vb_legacy_decode(const char *bytes, size_t len, enum vb_legacy_enc enc,
		     char **utf8_out, vb_error *err)
{
	vb_buf out;
	int rc;

	vb_buf_init(&out, 3 * (size_t)len + 16);
	if ((rc = check_args(bytes, len, utf8_out, err)) < 0)
		goto out;
	if (!enc_map(enc)) {
		rc = vb_error_set(err, VB_EINVAL, "unknown legacy encoding %d",
				  (int)enc);
		goto out;
	}
	if ((rc = decode_into(&out, (const uint8_t *)bytes, len, enc)) < 0 ||
	    (rc = vb_buf_puts(&out, "")) < 0) {
		rc = buf_error(rc, err);
		goto out;
	}
	rc = finish_nfc(&out, utf8_out, err);
out:
	vb_buf_dispose(&out);
	return rc;
}

/* Length of the paragraph starting at b[i] (up to a separator or the end). */
static size_t para_len(const uint8_t *b, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && !is_para_sep(b[j]))
		j++;
	return j - i;
}

/* Score every paragraph of b holding non-ASCII bytes.  *doc gets the
 * candidate (index in cand_order) that most paragraphs prefer (ties within
 * a paragraph go to the preference order; only positive scores vote), or,
 * when none votes, the best total score; *evidence gets the winning vote
 * count or total (<= 0: no evidence).  Returns 0 or VB_ETOOBIG / VB_ENOMEM
 * from ties.  When ties is not
 * NULL, one byte per scored paragraph is appended to it: the mask of the
 * candidates that tie for that paragraph's best score. */
static int doc_pass(const uint8_t *b, size_t len, vb_buf *ties, int *doc,
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
	doc_pass((const uint8_t *)bytes, len, NULL, &doc, &evidence);
	return evidence > 0 ? cand_order[doc] : VB_LEGACY_UNKNOWN;
}

/* Map one code point back to its Windows-1252 byte, or -1. */
static int cp1252_byte(uint32_t cp)
{
	int b;

	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (int)cp;
	for (b = 0x80; b < 0xA0; b++)
		if (vb_legacy_map_cp1252[b] == cp)
			return b;
	return -1;
}

int vb_legacy_fix_text(const char *utf8, size_t len, char **out,
		       int *changed, vb_error *err)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)utf8;
	struct cpvec para = { NULL, 0, 0 };
	uint8_t *bytes = NULL;
	vb_buf res;
	size_t i, nb = 0;
	int rc, nchanged = 0, mappable = 1, high = 0;

	vb_buf_init(&res, 3 * (size_t)len + 16);
	if (changed)
		*changed = 0;
	if ((rc = check_args(utf8, len, out, err)) < 0)
		goto out;
	if (len && !(bytes = malloc(len))) {
		rc = buf_error(VB_ENOMEM, err);
		goto out;
	}
	for (i = 0; i <= len;) {
		utf8proc_int32_t cp = '\n';
		int at_end = i == len;

		if (!at_end) {
			utf8proc_ssize_t k = utf8proc_iterate(s + i,
				(utf8proc_ssize_t)(len - i > 4 ? 4 : len - i), &cp);

			if (k <= 0) {
				rc = vb_error_set(err, VB_EINVAL,
						  "invalid UTF-8 at byte %zu", i);
				goto out;
			}
			i += (size_t)k;
		}
		if (at_end || is_para_sep((uint32_t)cp)) {
			int b = -1;

			if (mappable && high) {
				int bad_words;
				int as_is = score_cps(para.v, para.n, &bad_words);
				int t = score_bytes(bytes, nb, VB_LEGACY_TCVN3);
				int v = score_bytes(bytes, nb, VB_LEGACY_VNI);

				/* text with no implausible word stays as it is */
				if (!bad_words)
					;
				else if (t > as_is && t > 0 && t >= v)
					b = VB_LEGACY_TCVN3;
				else if (v > as_is && v > 0)
					b = VB_LEGACY_VNI;
			}
			if (b >= 0) {
				para.n = 0;
				nchanged++;
				rc = emit_decoded(&res, &para, bytes, nb,
						  (enum vb_legacy_enc)b);
			} else {
				rc = emit_para(&res, &para);
			}
			if (rc < 0 || (!at_end && (rc = put_cp(&res, (uint32_t)cp)) < 0)) {
				rc = buf_error(rc, err);
				goto out;
			}
			nb = 0;
			mappable = 1;
			high = 0;
			if (at_end)
				break;
			continue;
		}
		if (!cp)
			continue;
		if ((rc = cpvec_push(&para, (uint32_t)cp)) < 0) {
			rc = buf_error(rc, err);
			goto out;
		}
		if (mappable) {
			int b = cp1252_byte((uint32_t)cp);

			if (b < 0)
				mappable = 0;
			else {
				bytes[nb++] = (uint8_t)b;
				high |= b >= 0x80;
			}
		}
	}
	if ((rc = vb_buf_puts(&res, "")) < 0) {
		rc = buf_error(rc, err);
		goto out;
	}
	if ((rc = finish_nfc(&res, out, err)) < 0)
		goto out;
	if (changed)
		*changed = nchanged;
out:
	free(bytes);
	free(para.v);
	vb_buf_dispose(&res);
	return rc;
}

/* Valid UTF-8 throughout (NUL allowed)? */
static int utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(len - i > 4 ? 4 : len - i),
				     &cp);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int vb_legacy_to_utf8(const char *bytes, size_t len, char **out,
		      vb_error *err)
{
	const uint8_t *b = (const uint8_t *)bytes;
	struct cpvec para = { NULL, 0, 0 };
	vb_buf res, ties;
	size_t i, pl, np = 0;
	int rc, k, doc = 0;
	long evidence = 0;

	vb_buf_init(&res, 3 * (size_t)len + 16);
	vb_buf_init(&ties, (size_t)len + 1);
	if ((rc = check_args(bytes, len, out, err)) < 0)
		goto out;
	if (utf8_valid(bytes, len)) {
		rc = vb_legacy_fix_text(bytes, len, out, NULL, err);
		goto out;
	}
	/* pass 1: score the paragraphs that hold non-ASCII bytes (ASCII reads
	 * the same in every candidate), remember which candidates tie for
	 * best, and find the encoding most paragraphs prefer */
	if ((rc = doc_pass(b, len, &ties, &doc, &evidence)) < 0) {
		rc = buf_error(rc, err);
		goto out;
	}
	/* pass 2: decode each paragraph with its own best encoding */
	for (i = 0; i <= len; i += pl + 1) {
		unsigned char mask;

		pl = para_len(b, len, i);
		k = 0; /* ASCII: any candidate */
		if (np < ties.len && !para_ascii(b + i, pl)) {
			mask = (unsigned char)ties.data[np++];
			if (mask & (1u << doc))
				k = doc;
			else
				while (k < NCAND - 1 && !(mask & (1u << k)))
					k++;
		}
		if ((rc = emit_decoded(&res, &para, b + i, pl, cand_order[k])) < 0 ||
		    (i + pl < len && (rc = vb_buf_putc(&res, (char)b[i + pl])) < 0)) {
			rc = buf_error(rc, err);
			goto out;
		}
	}
	if ((rc = vb_buf_puts(&res, "")) < 0) {
		rc = buf_error(rc, err);
		goto out;
	}
	rc = finish_nfc(&res, out, err);
out:
	free(para.v);
	vb_buf_dispose(&ties);
	vb_buf_dispose(&res);
	return rc;
}
