/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/text.c: normalisation (NFC of the NFD found in
 * the corpus, Ð look-alike, exotic spaces, invisible characters, NEL,
 * invalid UTF-8), canonical exact terms (old/new tone placement meet, non
 * syllables untouched), folding, diacritic detection and tokenisation.
 * The fast paths (tables, in-place copy of normalised text, segment-wise
 * NFC, fused tokenise-and-fold) are checked against a plain utf8proc
 * reference written here: the fold on every BMP code point, normalisation
 * on every sample text and on random strings of awkward characters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "tap.h"
#include "text.h"

struct pair {
	const char *in;
	const char *want;
};

static void test_normalize(void)
{
	static const struct pair t[] = {
		{ "quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh", "quyết định" },   /* NFD */
		{ "ky\xcc\x89 ho\xcc\xa3p", "kỷ họp" },
		{ "2403/Q\xc3\x90-UBND", "2403/QĐ-UBND" },              /* U+00D0 */
		{ "\xc3\xb0i\xe1\xbb\x81u", "điều" },                   /* U+00F0 */
		{ "kho\xe1\xba\xa3n\xc2\xa0" "1", "khoản 1" },          /* NBSP */
		{ "a\xe2\x80\x83" "b\xe2\x80\xaf" "c\xe3\x80\x80" "d\xe2\x81\x9f" "e", "a b c d e" },
		{ "\xef\xbb\xbfLu\xe1\xba\xadt", "Luật" },              /* BOM */
		{ "Lu\xe2\x80\x8b\xe1\xba\xadt", "Luật" },              /* ZWSP */
		{ "a\xe2\x80\x8c" "b\xe2\x80\x8d" "c\xe2\x81\xa0" "d", "abcd" },
		{ "ph\xc3\xa1p\xc2\xadlu\xe1\xba\xadt", "phápluật" },   /* soft hyphen */
		{ "line1\xc2\x85line2\nline3", "line1\nline2\nline3" },  /* NEL */
		{ "CỘNG HOÀ Xã", "CỘNG HOÀ Xã" },                        /* case kept */
		{ "ab\xff" "cd", "ab\xef\xbf\xbd" "cd" },                /* invalid byte */
		{ "\xc3", "\xef\xbf\xbd" },                              /* truncated */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },              /* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = vb_text_normalize(t[i].in, strlen(t[i].in));

		tap_is_str(got, t[i].want, "normalize #%zu", i);
		free(got);
	}
	{
		char *got = vb_text_normalize("a\0b", 3);

		tap_is_str(got, "ab", "normalize drops NUL");
		free(got);
	}
	tap_ok(vb_text_normalize(NULL, 5) == NULL, "normalize NULL with length");
}

static void test_exact(void)
{
	/* each pair must give the same term, equal to want */
	static const struct { const char *a, *b, *want; } eq[] = {
		{ "hoà", "hòa", "hòa" },
		{ "hoá", "hóa", "hóa" },
		{ "khoá", "khóa", "khóa" },
		{ "thoả", "thỏa", "thỏa" },
		{ "uỷ", "ủy", "ủy" },
		{ "Uỷ", "Ủy", "ủy" },
		{ "UỶ", "ủy", "ủy" },
		{ "thuỷ", "thủy", "thủy" },
		{ "toà", "tòa", "tòa" },
		{ "tuỳ", "tùy", "tùy" },
		{ "hoè", "hòe", "hòe" },
		{ "HOÀ", "hòa", "hòa" },
		{ "qúy", "quý", "quý" },
		{ "qúa", "quá", "quá" },
		{ "ho\xcc\x80" "a", "hòa", "hòa" },                    /* NFD old style */
		{ "quye\xcc\x82\xcc\x81t", "quyết", "quyết" },
	};
	/* already canonical (or not a syllable): must come out as want */
	static const struct pair same[] = {
		{ "hoàn", "hoàn" }, { "toán", "toán" }, { "hoài", "hoài" },
		{ "khuỷu", "khuỷu" }, { "quý", "quý" }, { "già", "già" },
		{ "giữ", "giữ" }, { "người", "người" }, { "được", "được" },
		{ "rượu", "rượu" }, { "mái", "mái" }, { "múa", "múa" },
		{ "xoáy", "xoáy" }, { "gì", "gì" }, { "Quyết", "quyết" },
		{ "ĐỊNH", "định" }, { "Q\xc3\x90", "qđ" }, { "2023", "2023" },
		{ "UBND", "ubnd" }, { "café", "café" }, { "Résumé", "résumé" },
		{ "05/2023/QĐ-UBND", "05/2023/qđ-ubnd" }, { "x\xff", "x\xef\xbf\xbd" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(eq) / sizeof(eq[0]); i++) {
		char *a = vb_text_exact_term(eq[i].a, strlen(eq[i].a));
		char *b = vb_text_exact_term(eq[i].b, strlen(eq[i].b));

		tap_is_str(a, eq[i].want, "exact_term(%s)", eq[i].a);
		tap_ok(a && b && !strcmp(a, b), "exact_term(%s) == exact_term(%s)",
		       eq[i].a, eq[i].b);
		free(a);
		free(b);
	}
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = vb_text_exact_term(same[i].in, strlen(same[i].in));

		tap_is_str(a, same[i].want, "exact_term #%zu", i);
		free(a);
	}
}

static void test_fold(void)
{
	static const struct pair t[] = {
		{ "QUYẾT ĐỊNH", "quyet dinh" },
		{ "Quyết định số 05/2023/QĐ-UBND", "quyet dinh so 05/2023/qd-ubnd" },
		{ "quye\xcc\x82\xcc\x81t", "quyet" },
		{ "Q\xc3\x90", "qd" },
		{ "Cổng thông tin điện tử", "cong thong tin dien tu" },
		{ "người được ưu tiên", "nguoi duoc uu tien" },
		{ "Ăn ở", "an o" },
		{ "café ÅB", "cafe ab" },
		{ "Σίσυφος", "σισυφος" },
		{ "", "" },
	};
	size_t i;
	char small[6];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = vb_text_fold(t[i].in, strlen(t[i].in));
		char buf[128];
		size_t n = vb_text_fold_buf(t[i].in, strlen(t[i].in), buf, sizeof(buf));

		tap_is_str(got, t[i].want, "fold(%s)", t[i].in);
		tap_ok(n == strlen(t[i].want) && !strcmp(buf, t[i].want),
		       "fold_buf(%s)", t[i].in);
		free(got);
	}
	tap_is_int(vb_text_fold_buf("ĐIỀU KHOẢN", strlen("ĐIỀU KHOẢN"), small,
	                            sizeof(small)), 10, "fold_buf reports full length");
	tap_is_str(small, "dieu ", "fold_buf truncates");
	tap_is_int(vb_text_fold_buf("Ω", 2, NULL, 0), 2, "fold_buf counts without buffer");
}

static void test_diacritics(void)
{
	static const struct { const char *w; int want; } t[] = {
		{ "quyet", 0 }, { "quyết", 1 }, { "Đ", 1 }, { "đ", 1 }, { "\xc3\x90", 1 },
		{ "quye\xcc\x82t", 1 }, { "2023", 0 }, { "", 0 }, { "UBND", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tap_is_int(vb_text_has_diacritics(t[i].w, strlen(t[i].w)), t[i].want,
		           "has_diacritics(%s)", t[i].w);
}

#define MAXTOK 16
struct toks {
	size_t n;
	char s[MAXTOK][64];
	size_t start[MAXTOK];
	int stop_after;
};

static int tok_cb(const char *s, const vb_token *t, void *ud)
{
	struct toks *tk = ud;

	if (tk->n < MAXTOK && t->len < 64) {
		memcpy(tk->s[tk->n], s + t->start, t->len);
		tk->s[tk->n][t->len] = '\0';
		tk->start[tk->n] = t->start;
	}
	tk->n++;
	return tk->stop_after && (int)tk->n >= tk->stop_after;
}

static void test_tokenize(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *tok[6];
		size_t start[6];
	} t[] = {
		{ "05/2023/QĐ-UBND", 4, { "05", "2023", "QĐ", "UBND" }, { 0, 3, 8, 12 } },
		{ "Quyết định số 05", 4, { "Quyết", "định", "số", "05" }, { 0, 8, 16, 21 } },
		{ "quye\xcc\x82\xcc\x81t, (a)", 2, { "quye\xcc\x82\xcc\x81t", "a" }, { 0, 12 } },
		{ "Điều 1.", 2, { "Điều", "1" }, { 0, 8 } },
		{ "ab\xff" "cd", 2, { "ab", "cd" }, { 0, 3 } },
		{ "  ...  ", 0, { NULL }, { 0 } },
		{ "", 0, { NULL }, { 0 } },
		{ "x²", 1, { "x²" }, { 0 } },
	};
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct toks tk = { 0 };
		long n = vb_text_tokenize(t[i].in, strlen(t[i].in), tok_cb, &tk);
		int ok = n == (long)t[i].n && tk.n == t[i].n;

		for (k = 0; ok && k < t[i].n; k++)
			ok = !strcmp(tk.s[k], t[i].tok[k]) && tk.start[k] == t[i].start[k];
		tap_ok(ok, "tokenize #%zu (%ld tokens)", i, n);
	}
	{
		struct toks tk = { 0 };

		tk.stop_after = 2;
		tap_is_int(vb_text_tokenize("a b c d", 7, tok_cb, &tk), -1,
		           "tokenize stops when the callback asks");
		tap_is_int(tk.n, 2, "callback called twice");
	}
}

/* Real data: files of the corpus that mix NFC/NFD, U+00D0 and NBSP. */
struct corpus_check {
	size_t tokens, bad_exact;
};

static int corpus_cb(const char *s, const vb_token *t, void *ud)
{
	struct corpus_check *c = ud;
	char *a = vb_text_exact_term(s + t->start, t->len);
	char *b = a ? vb_text_exact_term(a, strlen(a)) : NULL;

	c->tokens++;
	if (!a || !b || strcmp(a, b))
		c->bad_exact++;
	free(a);
	free(b);
	return 0;
}

static void test_corpus(void)
{
	static const char *const files[] = {
		"binhduong_vbcddh/records.csv",
		"vbpl_html_fixtures/toanvan_96172_BLTTHS_101-2015-QH13.html",
	};
	const char *dir = getenv("VB_CORPUS");
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		FILE *f;
		char *raw = NULL, *norm = NULL, *nfc = NULL, *f1 = NULL, *f2 = NULL;
		long size;
		struct corpus_check c = { 0 };

		snprintf(path, sizeof(path), "%s/%s", dir ? dir : "", files[i]);
		if (!dir || !(f = fopen(path, "rb"))) {
			tap_ok(1, "# SKIP corpus file %s not found", files[i]);
			continue;
		}
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		rewind(f);
		raw = malloc((size_t)size + 1);
		if (raw && fread(raw, 1, (size_t)size, f) == (size_t)size) {
			raw[size] = '\0';
			norm = vb_text_normalize(raw, (size_t)size);
		}
		fclose(f);
		if (norm)
			nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)norm);
		tap_ok(norm && nfc && !strcmp(norm, nfc), "%s: normalised text is NFC",
		       files[i]);
		tap_ok(norm && !strstr(norm, "\xc3\x90") && !strstr(norm, "\xc2\xa0"),
		       "%s: no U+00D0, no NBSP left", files[i]);
		f1 = raw ? vb_text_fold(raw, (size_t)size) : NULL;
		f2 = norm ? vb_text_fold(norm, strlen(norm)) : NULL;
		tap_ok(f1 && f2 && !strcmp(f1, f2), "%s: fold(raw) == fold(normalised)",
		       files[i]);
		if (norm)
			vb_text_tokenize(norm, strlen(norm), corpus_cb, &c);
		tap_ok(c.tokens > 1000 && c.bad_exact == 0,
		       "%s: exact_term idempotent on %zu tokens (%zu bad)", files[i],
		       c.tokens, c.bad_exact);
		free(raw);
		free(norm);
		free(nfc);
		free(f1);
		free(f2);
	}
}


/* ---- reference implementation: the contract of text.h, done the slow way */

#define REF_DROP (-1)

static int32_t ref_map(int32_t cp)
{
	if (cp == 0 || cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
	    cp == 0x2060 || cp == 0xFEFF)
		return REF_DROP;
	if (cp == 0xD0)
		return 0x110;
	if (cp == 0xF0)
		return 0x111;
	if (cp == 0x85)
		return '\n';
	if (cp == 0xA0 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
	    (cp >= 0x2000 && cp <= 0x200A))
		return ' ';
	return cp;
}

/* Decode s into code points (invalid byte: U+FFFD, one byte), mapped. */
static size_t ref_decode(const char *s, size_t len, int32_t *out)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0, n = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		size_t left = len - i;
		utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(left > 4 ? 4 : left), &cp);

		if (k <= 0) {
			cp = 0xFFFD;
			k = 1;
		}
		i += (size_t)k;
		cp = ref_map(cp);
		if (cp != REF_DROP)
			out[n++] = cp;
	}
	return n;
}

static char *ref_normalize(const char *s, size_t len)
{
	int32_t *cps = malloc((len + 1) * sizeof(*cps));
	unsigned char *enc = malloc(len * 4 + 1);
	utf8proc_uint8_t *out = NULL;
	size_t n, i, o = 0;

	if (!cps || !enc)
		goto out;
	n = ref_decode(s, len, cps);
	for (i = 0; i < n; i++)
		o += (size_t)utf8proc_encode_char(cps[i], enc + o);
	enc[o] = '\0';
	if (o == 0)
		out = (utf8proc_uint8_t *)strdup("");
	else if (utf8proc_map(enc, (utf8proc_ssize_t)o, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0) {
		free(out);
		out = NULL;
	}
out:
	free(cps);
	free(enc);
	return (char *)out;
}

static int ref_is_mark(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       c == UTF8PROC_CATEGORY_ME;
}

/* Fold of one mapped code point: lower case, canonical decomposition
 * without marks, đ -> d, Hangul syllables kept whole. */
static size_t ref_fold_cp(int32_t cp, unsigned char *dst)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t nd, k;
	int last = 0;
	size_t o = 0;

	cp = utf8proc_tolower(cp);
	if (cp == 0x111 || cp == 0xF0)
		cp = 'd';
	if (cp < 0x80 || (cp >= 0xAC00 && cp <= 0xD7A3))
		return (size_t)utf8proc_encode_char(cp, dst);
	nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
	if (nd < 0 || nd > 8)
		return (size_t)utf8proc_encode_char(ref_is_mark(cp) ? 0xFFFD : cp, dst);
	for (k = 0; k < nd; k++) {
		int32_t c = d[k];

		if (ref_is_mark(c))
			continue;
		c = utf8proc_tolower(c);
		if (c == 0x111)
			c = 'd';
		o += (size_t)utf8proc_encode_char(c, dst + o);
	}
	return o;
}

static char *ref_fold(const char *s, size_t len)
{
	int32_t *cps = malloc((len + 1) * sizeof(*cps));
	char *out = malloc(len * 3 + 40);
	size_t n, i, o = 0;

	if (!cps || !out) {
		free(cps);
		free(out);
		return NULL;
	}
	n = ref_decode(s, len, cps);
	for (i = 0; i < n; i++)
		o += ref_fold_cp(cps[i], (unsigned char *)out + o);
	out[o] = '\0';
	free(cps);
	return out;
}

/* Every BMP code point folds as the reference does, alone and in a word,
 * through vb_text_fold, vb_text_fold_buf and vb_text_tokenize_folded. */
static int fold_tok_cb(const char *s, const vb_token *t, const char *f, size_t fl, void *ud)
{
	char *want = ref_fold(s + t->start, t->len);
	int *bad = ud;

	if (!want || !f || strlen(want) != fl || strcmp(want, f))
		(*bad)++;
	free(want);
	return 0;
}

static void test_fold_exhaustive(void)
{
	int32_t cp;
	size_t bad = 0, bad_buf = 0, bad_in_word = 0;
	int bad_tok = 0;
	int32_t first_bad = -1;

	for (cp = 0; cp < 0x10000; cp++) {
		unsigned char s[16];
		char buf[64], *got, *want;
		size_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = (size_t)utf8proc_encode_char(cp, s);
		got = vb_text_fold((char *)s, n);
		want = ref_fold((char *)s, n);
		if (!got || !want || strcmp(got, want)) {
			bad++;
			if (first_bad < 0)
				first_bad = cp;
		}
		if (!want || vb_text_fold_buf((char *)s, n, buf, sizeof(buf)) != strlen(want) ||
		    strcmp(buf, want))
			bad_buf++;
		free(got);
		free(want);
		/* inside a word, and as a token of its own */
		memmove(s + 1, s, n);
		s[0] = 'Q';
		s[n + 1] = 'x';
		got = vb_text_fold((char *)s, n + 2);
		want = ref_fold((char *)s, n + 2);
		if (!got || !want || strcmp(got, want))
			bad_in_word++;
		free(got);
		free(want);
		vb_text_tokenize_folded((char *)s, n + 2, VB_FOLD_TOKEN_MAX, 0, fold_tok_cb, &bad_tok);
	}
	tap_ok(bad == 0, "fold of every BMP code point agrees with utf8proc (%zu bad, first U+%04X)",
	       bad, (unsigned)(first_bad < 0 ? 0 : first_bad));
	tap_ok(bad_buf == 0, "fold_buf of every BMP code point agrees (%zu bad)", bad_buf);
	tap_ok(bad_in_word == 0, "fold of every BMP code point inside a word (%zu bad)",
	       bad_in_word);
	tap_ok(bad_tok == 0, "tokenize_folded folds every BMP code point (%d bad)", bad_tok);
}

/* Byte sequences around the decoder's fast cases: valid, overlong,
 * surrogate, truncated, stray continuation, beyond U+10FFFF. */
static void test_decoder(void)
{
	static const unsigned char b[] = {
		0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
		0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
	};
	size_t nb = sizeof(b), i, j, k, l, bad = 0, tried = 0;

	for (i = 0; i < nb; i++)
		for (j = 0; j < nb; j++)
			for (k = 0; k < nb; k++)
				for (l = 0; l < nb; l += 3) {
					char s[5] = { (char)b[i], (char)b[j], (char)b[k], (char)b[l], 0 };
					char *f = vb_text_fold(s, 4), *rf = ref_fold(s, 4);
					char *nm = vb_text_normalize(s, 4), *rn = ref_normalize(s, 4);

					if (!f || !rf || strcmp(f, rf) || !nm || !rn || strcmp(nm, rn))
						bad++;
					tried++;
					free(f);
					free(rf);
					free(nm);
					free(rn);
				}
	tap_ok(bad == 0, "decoder agrees with utf8proc_iterate on %zu byte sequences (%zu bad)",
	       tried, bad);
}

/* Random strings over characters that interact under NFC. */
static void test_normalize_random(void)
{
	static const char *const alpha[] = {
		"a", "e", "o", "u", "A", "Q", " ", ".", "-", "\n", "\t", "1",
		"\xcc\x80", "\xcc\x81", "\xcc\x82", "\xcc\x83", "\xcc\x89", "\xcc\xa3",
		"\xcc\x86", "\xcc\x9b", "\xcc\xb8", "\xcd\x85", "\xcc\x85",
		"ê", "ơ", "ư", "Ă", "ệ", "Ộ", "đ", "Đ", "Ð", "ð", "ẛ",
		"\xc2\xa0", "\xe2\x80\x8b", "\xe2\x80\x8d", "\xc2\xad", "\xef\xbb\xbf",
		"\xc2\x85", "=", "<", "≠", "≥", "→", "℃", "Ω", "Å", "K", "□",
		"\xe1\x84\x80", "\xe1\x85\xa1", "\xe1\x86\xa8", "가", "\xe0\xa4\x95",
		"\xe0\xa4\xbc", "\xe0\xa5\x98", "\xe0\xae\xbe", "\xe0\xaf\x86",
		"\xf0\x9d\x91\x9b", "\xff", "\xc3", "\xe1\xbb", "\x00", "\xef\xbf\xbd",
		"\xef\x81\xb1", "µ", "μ", "ﬁ", "Ǆ", "ǅ",
	};
	size_t na = sizeof(alpha) / sizeof(alpha[0]), t, bad = 0, bad_check = 0;
	uint32_t seed = 12345;

	for (t = 0; t < 20000; t++) {
		char s[256];
		size_t n = 0, k, len = 1 + t % 24;
		char *got, *want;

		for (k = 0; k < len; k++) {
			const char *a;
			size_t al;

			seed = seed * 1103515245u + 12345u;
			a = alpha[(seed >> 16) % na];
			al = a[0] ? strlen(a) : 1; /* "\x00" is one NUL byte */
			memcpy(s + n, a, al);
			n += al;
		}
		got = vb_text_normalize(s, n);
		want = ref_normalize(s, n);
		if (!got || !want || strcmp(got, want)) {
			if (bad++ == 0)
				tap_ok(0, "random #%zu: %s / %s", t, got ? got : "(null)",
				       want ? want : "(null)");
		}
		if (vb_text_is_normalized(s, n) && (n != strlen(want ? want : "") ||
		                                    memcmp(s, want ? want : "", n)))
			bad_check++;
		free(got);
		free(want);
	}
	tap_ok(bad == 0, "normalize agrees with utf8proc on 20000 random strings (%zu bad)", bad);
	tap_ok(bad_check == 0, "is_normalized only says yes for normalised text (%zu bad)",
	       bad_check);
}

/* Every BMP code point after a letter and before a combining mark. */
static void test_normalize_bmp(void)
{
	int32_t cp;
	size_t bad = 0, bad_check = 0, inert = 0;

	for (cp = 0; cp < 0x1D800; cp++) {
		unsigned char s[16];
		size_t n = 1;
		char *got, *want;

		if (cp == 0x10000)
			cp = 0x1D000; /* beyond the BMP: the mathematical letters */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		s[0] = 'e';
		n += (size_t)utf8proc_encode_char(cp, s + 1);
		memcpy(s + n, "\xcc\x82", 2); /* U+0302 */
		n += 2;
		got = vb_text_normalize((char *)s, n);
		want = ref_normalize((char *)s, n);
		if (!got || !want || strcmp(got, want))
			bad++;
		free(got);
		free(want);
		/* alone: the fast check must only accept what is its own NFC */
		n = (size_t)utf8proc_encode_char(cp, s);
		if (vb_text_is_normalized((char *)s, n)) {
			want = ref_normalize((char *)s, n);
			inert++;
			if (!want || strlen(want) != n || memcmp(want, s, n))
				bad_check++;
			free(want);
		}
	}
	tap_ok(bad == 0, "normalize of e + every BMP (and U+1Dxxx) code point + U+0302 (%zu bad)",
	       bad);
	tap_ok(bad_check == 0 && inert > 1000,
	       "is_normalized accepts %zu code points, each its own normalisation (%zu bad)",
	       inert, bad_check);
}

/* The folds of tokenize_folded are those of fold_buf (NULL past 8 bytes). */
static int sample_fold_cb(const char *s, const vb_token *t, const char *f, size_t fl, void *ud)
{
	size_t *bad = ud;
	char buf[VB_FOLD_TOKEN_MAX + 1];
	size_t n = vb_text_fold_buf(s + t->start, t->len, buf, sizeof(buf));

	if (n > 8 ? f != NULL : (!f || n != fl || strcmp(f, buf)))
		(*bad)++;
	return 0;
}

/* The bundled sample's texts: the fast paths must give exactly what the
 * reference gives. */
static void test_sample(void)
{
	const char *src = getenv("VB_SRCDIR");
	char path[1024];
	FILE *f;
	char *line = NULL;
	size_t cap = 0, docs = 0, bad_norm = 0, bad_again = 0, bad_fold = 0, bad_tok = 0;
	size_t in_place = 0;
	ssize_t r;

	snprintf(path, sizeof(path), "%s/data/sample/documents.jsonl", src ? src : ".");
	if (!(f = fopen(path, "r"))) {
		tap_ok(1, "# SKIP sample %s not found", path);
		return;
	}
	while ((r = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *o = json_loadb(line, (size_t)r, 0, &je);
		json_t *t = o ? json_object_get(o, "text") : NULL;
		const char *s = json_string_value(t);
		size_t n = json_string_length(t);
		char *got, *want, *again, *fo, *rfo;
		long a, b;

		if (!s || n == 0) {
			json_decref(o);
			continue;
		}
		docs++;
		got = vb_text_normalize(s, n);
		want = ref_normalize(s, n);
		if (!got || !want || strcmp(got, want))
			bad_norm++;
		again = got ? vb_text_normalize(got, strlen(got)) : NULL;
		if (!again || strcmp(again, got))
			bad_again++;
		if (got && vb_text_is_normalized(got, strlen(got)))
			in_place++;
		fo = vb_text_fold(s, n);
		rfo = ref_fold(s, n);
		if (!fo || !rfo || strcmp(fo, rfo))
			bad_fold++;
		if (got) {
			size_t nb = 0;

			a = vb_text_tokenize(got, strlen(got), NULL, NULL);
			b = vb_text_tokenize_folded(got, strlen(got), 8, 0, sample_fold_cb, &nb);
			if (a != b || nb)
				bad_tok++;
		}
		free(got);
		free(want);
		free(again);
		free(fo);
		free(rfo);
		json_decref(o);
	}
	free(line);
	fclose(f);
	tap_ok(docs > 100 && bad_norm == 0, "sample: normalize == reference on %zu texts (%zu bad)",
	       docs, bad_norm);
	tap_ok(bad_again == 0, "sample: normalize is idempotent (%zu bad)", bad_again);
	tap_ok(in_place * 10 >= docs * 9, "sample: %zu of %zu normalised texts pass the fast check",
	       in_place, docs);
	tap_ok(bad_fold == 0, "sample: fold == reference (%zu bad)", bad_fold);
	tap_ok(bad_tok == 0, "sample: tokenize_folded == tokenize + fold_buf (%zu bad)", bad_tok);
}

static int count_cb(const char *s, const vb_token *t, const char *f, size_t fl, void *ud)
{
	(void)s;
	(void)t;
	(void)f;
	(void)fl;
	(*(int *)ud)++;
	return 0;
}

static void test_tokenize_folded_check(void)
{
	int n = 0;

	tap_is_int(vb_text_tokenize_folded("Quyết định số 05", strlen("Quyết định số 05"), 16,
	                                   VB_TOKENIZE_NORMALIZED, count_cb, &n), 4,
	           "tokenize_folded: normalised text passes the check");
	n = 0;
	tap_is_int(vb_text_tokenize_folded("Quyết quye\xcc\x82\xcc\x81t x", 16, 16,
	                                   VB_TOKENIZE_NORMALIZED, count_cb, &n),
	           VB_TOKENIZE_NOT_NORMALIZED, "tokenize_folded: NFD is reported");
	tap_is_int(n, 1, "tokenize_folded: no callback for the token holding it");
	n = 0;
	tap_is_int(vb_text_tokenize_folded("ab\xc2\xa0" "cd", 6, 16, VB_TOKENIZE_NORMALIZED,
	                                   count_cb, &n),
	           VB_TOKENIZE_NOT_NORMALIZED, "tokenize_folded: NBSP is reported");
	tap_is_int(n, 0, "tokenize_folded: not even for the token it ends");
	tap_is_int(vb_text_tokenize_folded("ab\xff" "cd", 5, 16, 0, count_cb, &n), 2,
	           "tokenize_folded: invalid byte splits tokens without the check");
	tap_ok(vb_text_is_normalized("", 0) && vb_text_is_normalized(NULL, 0) &&
	       !vb_text_is_normalized("a\0b", 3) && !vb_text_is_normalized("Q\xc3\x90", 3),
	       "is_normalized: empty yes, NUL and U+00D0 no");
}

/* vb_utf8_encode: every length, its boundaries, and the code points with no
 * UTF-8 form; checked against utf8proc's decoder for the whole range. */
static void test_utf8_encode(void)
{
	static const struct {
		uint32_t cp;
		const char *utf8;
	} cases[] = {
		{ 0x41, "A" }, { 0x7F, "\x7f" }, { 0x80, "\xc2\x80" },
		{ 0x111, "\xc4\x91" }, { 0x7FF, "\xdf\xbf" }, { 0x800, "\xe0\xa0\x80" },
		{ 0x1EBF, "\xe1\xba\xbf" }, { 0xD7FF, "\xed\x9f\xbf" },
		{ 0xD800, "\xef\xbf\xbd" }, { 0xDFFF, "\xef\xbf\xbd" },
		{ 0xE000, "\xee\x80\x80" }, { 0xFFFF, "\xef\xbf\xbf" },
		{ 0x10000, "\xf0\x90\x80\x80" }, { 0x10FFFF, "\xf4\x8f\xbf\xbf" },
		{ 0x110000, "\xef\xbf\xbd" }, { 0xFFFFFFFF, "\xef\xbf\xbd" },
	};
	size_t i, bad = 0;
	uint32_t cp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[5] = { 0 };
		size_t n = vb_utf8_encode(cases[i].cp, out);

		tap_ok(n == strlen(cases[i].utf8) && !memcmp(out, cases[i].utf8, n),
		       "utf8_encode U+%04X", (unsigned)cases[i].cp);
	}
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		char out[4];
		size_t n = vb_utf8_encode(cp, out);
		utf8proc_int32_t back = -1;

		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		if (utf8proc_iterate((const utf8proc_uint8_t *)out, (utf8proc_ssize_t)n, &back) !=
			    (utf8proc_ssize_t)n || back != (utf8proc_int32_t)cp)
			bad++;
	}
	tap_is_int((long)bad, 0, "utf8_encode round-trips every scalar value through utf8proc");
}

int main(void)
{
	test_normalize();
	test_exact();
	test_fold();
	test_diacritics();
	test_tokenize();
	test_corpus();
	test_fold_exhaustive();
	test_decoder();
	test_normalize_bmp();
	test_normalize_random();
	test_tokenize_folded_check();
	test_sample();
	test_utf8_encode();
	return tap_done();
}
