/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/text.c: normalisation (NFC of the NFD found in
 * the corpus, Ð look-alike, exotic spaces, invisible characters, NEL,
 * invalid UTF-8), canonical exact terms (old/new tone placement meet, non
 * syllables untouched), folding, diacritic detection and tokenisation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	test_normalize();
	test_exact();
	test_fold();
	test_diacritics();
	test_tokenize();
	test_corpus();
	return tap_done();
}
