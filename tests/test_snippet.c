/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of lib/snippet.c: marks keep the text's diacritics, HTML escaping,
 * window choice and ellipses in a long text, multibyte safety at cuts, no
 * match, empty input, and a 1 MB text (correctness only: timing claims
 * belong in a benchmark).  The fast paths (text used in place, the scan
 * stopping once a window holds every word) must give what the snippet of
 * the normalised text gives: checked with NFD, NBSP and U+00D0 placed
 * before and after the stopping point, and on every sample text.  A
 * snippet from the head of a text (vb_snippet_make_prefix) must be the
 * whole text's whenever the head decides it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "snippet.h"
#include "tap.h"
#include "text.h"

static int valid_utf8(const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0;

	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(u + i, n - i, &cp);

		if (k <= 0)
			return 0;
		i += k;
	}
	return 1;
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static const struct {
	const char *text;
	const char *words[4];
	size_t max;
	const char *want;
} cases[] = {
	{ "Cổng thông tin điện tử", { "cong", "thong", "tin" }, 0,
	  "<mark>Cổng</mark> <mark>thông</mark> <mark>tin</mark> điện tử" },
	{ "Cổng   thông\n\ttin", { "thong" }, 0, "Cổng <mark>thông</mark> tin" },
	{ "<script>alert('x')</script> quyết định & \"số\"", { "quyet" }, 0,
	  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>quyết</mark> định &amp; &quot;số&quot;" },
	{ "Q\xc3\x90 s\xe1\xbb\x91 05", { "qd" }, 0, "<mark>QĐ</mark> số 05" },
	{ "quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh", { "quyet", "dinh" }, 0,
	  "<mark>quyết</mark> <mark>định</mark>" },                /* NFD input */
	{ "QUYẾT ĐỊNH", { "QUYẾT" }, 0, "<mark>QUYẾT</mark> ĐỊNH" }, /* unfolded word */
	{ "no match here", { "zzz" }, 0, "no match here" },
	{ "", { "a" }, 0, "" },
	{ " ... ", { "a" }, 0, "..." },
	{ "alpha beta gamma delta", { NULL }, 11, "alpha beta …" },
	/* numbers: the index keeps "05" as "5", so do the marks */
	{ "Quyết định số 05/2023/QĐ-UBND", { "5", "2023" }, 0,
	  "Quyết định số <mark>05</mark>/<mark>2023</mark>/QĐ-UBND" },
	{ "Quyết định số 05/2023/QĐ-UBND", { "05" }, 0,
	  "Quyết định số <mark>05</mark>/2023/QĐ-UBND" },
	{ "số 5 và số 005 và số 50", { "05" }, 0,
	  "số <mark>5</mark> và số <mark>005</mark> và số 50" },
	{ "số 0 và số 00 và 0a", { "0" }, 0, "số <mark>0</mark> và số <mark>00</mark> và 0a" },
	{ "mã 0x05 và 050", { "5" }, 0, "mã 0x05 và 050" },
	{ "số 000000005 và 0000000005", { "5" }, 0,
	  "số <mark>000000005</mark> và 0000000005" }, /* 8 zeros at most */
};

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = 0;
		char *got;

		while (n < 4 && cases[i].words[n])
			n++;
		got = vb_snippet_make(cases[i].text, strlen(cases[i].text),
		                      (char *const *)cases[i].words, n, cases[i].max);
		tap_is_str(got, cases[i].want, "snippet #%zu", i);
		free(got);
	}
}

/* A long text with the interesting part in the middle. */
static void test_long(void)
{
	static const char filler[] = "Nội dung khác không liên quan đến việc tìm kiếm. ";
	static const char middle[] = "Quy chế tổ chức Cổng thông tin điện tử tỉnh Quảng Ninh. ";
	char *text, *got;
	size_t flen = strlen(filler), mlen = strlen(middle), i, o = 0;
	char *words[] = { "cong", "thong", "tin", "quang", "ninh" };
	char *one[] = { "cong" };

	text = malloc(flen * 200 + mlen + 16);
	if (!text)
		return;
	for (i = 0; i < 100; i++, o += flen) {
		/* a lone early match: the window with more distinct words
		 * must still win over it */
		if (i == 5) {
			memcpy(text + o, "Cổng ", strlen("Cổng "));
			o += strlen("Cổng ");
		}
		memcpy(text + o, filler, flen);
	}
	memcpy(text + o, middle, mlen);
	o += mlen;
	for (i = 0; i < 100; i++, o += flen)
		memcpy(text + o, filler, flen);
	text[o] = '\0';

	got = vb_snippet_make(text, o, words, 5, 120);
	tap_ok(got && !strncmp(got, "\u2026 ", strlen("\u2026 ")), "long: leading ellipsis");
	tap_ok(got && strlen(got) > 4 &&
	       !strcmp(got + strlen(got) - strlen(" \u2026"), " \u2026"),
	       "long: trailing ellipsis");
	tap_ok(got && strstr(got, "<mark>Cổng</mark> <mark>thông</mark> <mark>tin</mark> điện tử tỉnh <mark>Quảng</mark> <mark>Ninh</mark>"),
	       "long: best window in the middle: %s", got ? got : "(null)");
	tap_ok(got && valid_utf8(got), "long: valid UTF-8");
	free(got);

	/* ties: the earliest window wins */
	got = vb_snippet_make(text, o, one, 1, 60);
	tap_ok(got && count_str(got, "<mark>Cổng</mark>") == 1 &&
	       strstr(got, "<mark>Cổng</mark> Nội dung") && !strstr(got, "Quy chế"),
	       "long: earliest of equal windows: %s", got ? got : "(null)");
	free(got);

	/* every cut length keeps UTF-8 valid and stays near the budget */
	for (i = 1; i <= 200; i += 7) {
		size_t plain;

		got = vb_snippet_make(text, o, words, 5, i);
		if (!got || !valid_utf8(got)) {
			tap_ok(0, "cut at %zu bytes: valid UTF-8", i);
			free(got);
			break;
		}
		plain = strlen(got) - 13 * count_str(got, "<mark>");
		if (plain > i + 2 * strlen("\u2026 ") + 3) {
			tap_ok(0, "cut at %zu bytes: %zu bytes of text", i, plain);
			free(got);
			break;
		}
		free(got);
	}
	tap_ok(i > 200, "cuts at 1..200 bytes are valid UTF-8 within budget");
	free(text);
}

static void test_multibyte(void)
{
	/* one long run of 3-byte letters: must be cut between characters */
	char text[3 * 100 + 1];
	char *words[] = { "x" };
	char *got;
	size_t i;

	for (i = 0; i < 100; i++)
		memcpy(text + 3 * i, "\xe1\xbb\x87", 3); /* ệ */
	text[300] = '\0';
	got = vb_snippet_make(text, 300, words, 1, 20);
	tap_ok(got && valid_utf8(got), "huge token cut on a character boundary");
	tap_ok(got && strstr(got, "\u2026"), "huge token cut has an ellipsis");
	free(got);

	got = vb_snippet_make("Vi\xe1\xbb\x87t\xff Nam", 11, words, 1, 0);
	tap_is_str(got, "Việt\xef\xbf\xbd Nam", "invalid input bytes become U+FFFD");
	free(got);
}

static void test_big(void)
{
	size_t size = 1024 * 1024, o = 0, i;
	static const char chunk[] = "Điều 14. Công khai thông tin về văn bản quy phạm pháp luật; ";
	char *text = malloc(size + 64);
	char *words[] = { "quang", "ninh" };
	char *got;

	if (!text)
		return;
	while (o + strlen(chunk) < size) {
		memcpy(text + o, chunk, strlen(chunk));
		o += strlen(chunk);
	}
	i = o;
	memcpy(text + o, " Quảng Ninh", strlen(" Quảng Ninh"));
	o += strlen(" Quảng Ninh");
	text[o] = '\0';
	got = vb_snippet_make(text, o, words, 2, 0);
	tap_ok(got && strstr(got, "<mark>Quảng</mark> <mark>Ninh</mark>") &&
	       !strncmp(got, "\u2026 ", strlen("\u2026 ")) && strlen(got) < 400,
	       "1 MB text: match at the very end found (%zu bytes in)", i);
	free(got);
	free(text);
}

/* Early stop: all words found at the start, later matches beyond the
 * window, things to normalise before or after the stopping point. */
static void test_early_stop(void)
{
	static const char head[] = "Quyết định về chuyển đổi số tỉnh Quảng Ninh. ";
	static const char fill[] = "Nội dung chuyển đổi số khác. ";
	static const char *const tails[] = {
		"", "quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh", "Q\xc3\x90 s\xe1\xbb\x91",
		"kho\xe1\xba\xa3n\xc2\xa0" "1", "ab\xff" "cd", "a\0b",
	};
	char *words[] = { "chuyen", "doi", "so" };
	size_t t, p, bad = 0, n_cases = 0;

	for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		for (p = 0; p < 3; p++) {
			/* the odd part first, after the head, or far away */
			char text[8192];
			size_t o = 0, k, tl = t == 5 ? 3 : strlen(tails[t]);
			char *norm, *a, *b;

			if (p == 0) {
				memcpy(text + o, tails[t], tl);
				o += tl;
			}
			memcpy(text + o, head, strlen(head));
			o += strlen(head);
			if (p == 1) {
				memcpy(text + o, tails[t], tl);
				o += tl;
			}
			for (k = 0; k < 100; k++) {
				memcpy(text + o, fill, strlen(fill));
				o += strlen(fill);
			}
			if (p == 2) {
				memcpy(text + o, tails[t], tl);
				o += tl;
			}
			norm = vb_text_normalize(text, o);
			for (k = 1; k < 300; k += 37) {
				a = vb_snippet_make(text, o, words, 3, k);
				b = norm ? vb_snippet_make(norm, strlen(norm), words, 3, k) : NULL;
				if (!a || !b || strcmp(a, b) || !valid_utf8(a)) {
					if (bad++ == 0)
						tap_ok(0, "early stop: tail %zu at %zu, %zu bytes: %s / %s",
						       t, p, k, a ? a : "(null)", b ? b : "(null)");
				}
				n_cases++;
				free(a);
				free(b);
			}
			free(norm);
		}
	}
	tap_ok(bad == 0, "early stop: snippet of the text == snippet of its normalisation (%zu cases)",
	       n_cases);
	{
		char *got = vb_snippet_make("Cổng thông tin. Cổng thông tin. Cổng",
		                            strlen("Cổng thông tin. Cổng thông tin. Cổng"),
		                            words, 1, 20);

		tap_is_str(got, "Cổng thông tin. …", "no match: beginning of the text");
		free(got);
	}
}

/* Every sample text, raw and normalised, with a few query sets. */
static void test_sample(void)
{
	static const char *const sets[][4] = {
		{ "chuyen", "doi", "so", NULL }, { "quyet", "dinh", NULL },
		{ "quang", "ninh", NULL }, { "xyzzy", NULL }, { "uy", "ban", "nhan", "dan" },
	};
	const char *src = getenv("VB_SRCDIR");
	char path[1024];
	FILE *f;
	char *line = NULL;
	size_t cap = 0, docs = 0, bad = 0, bad_utf8 = 0, marked = 0;
	ssize_t r;

	snprintf(path, sizeof(path), "%s/data/sample/documents.jsonl", src ? src : ".");
	if (!(f = fopen(path, "r"))) {
		tap_ok(1, "# SKIP sample %s not found", path);
		return;
	}
	while ((r = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *o = json_loadb(line, (size_t)r, 0, &je);
		const char *s = json_string_value(o ? json_object_get(o, "text") : NULL);
		size_t n = s ? strlen(s) : 0, k;
		char *norm;

		if (!s || n == 0) {
			json_decref(o);
			continue;
		}
		docs++;
		norm = vb_text_normalize(s, n);
		for (k = 0; norm && k < sizeof(sets) / sizeof(sets[0]); k++) {
			size_t nw = 0;
			char *a, *b;

			while (nw < 4 && sets[k][nw])
				nw++;
			a = vb_snippet_make(s, n, (char *const *)sets[k], nw, 0);
			b = vb_snippet_make(norm, strlen(norm), (char *const *)sets[k], nw, 0);
			if (!a || !b || strcmp(a, b))
				bad++;
			if (a && !valid_utf8(a))
				bad_utf8++;
			if (a && strstr(a, "<mark>"))
				marked++;
			free(a);
			free(b);
		}
		free(norm);
		json_decref(o);
	}
	free(line);
	fclose(f);
	tap_ok(docs > 100 && bad == 0 && marked > docs,
	       "sample: %zu texts, snippet(raw) == snippet(normalised) (%zu bad, %zu with marks)",
	       docs, bad, marked);
	tap_ok(bad_utf8 == 0, "sample: snippets are valid UTF-8 (%zu bad)", bad_utf8);
}

/* One prefix check: when the head decides, its snippet is the whole
 * text's; *decided counts the heads that did. */
static int prefix_agrees(const char *s, size_t n, size_t cut, char *const *words, size_t nw,
			 size_t max, size_t *decided)
{
	int undecided = 0, ok;
	char *a, *b;

	while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	if (cut > n)
		cut = n;
	a = vb_snippet_make_prefix(s, cut, words, nw, max, &undecided);
	if (!a)
		return undecided;
	(*decided)++;
	b = vb_snippet_make(s, n, words, nw, max);
	ok = b && !strcmp(a, b);
	if (!ok)
		printf("# prefix %zu of %zu: %s / %s\n", cut, n, a, b ? b : "(null)");
	free(a);
	free(b);
	return ok;
}

/* vb_snippet_make_prefix: decides only when the whole text could not
 * change the snippet.  Every sample text with its own number's parts (a
 * number look-up) and with word sets, cut at several lengths. */
static void test_prefix(void)
{
	static const char *const sets[][4] = {
		{ "quyet", "dinh", NULL }, { "uy", "ban", "nhan", "dan" }, { "chuyen", "doi", "so", NULL },
	};
	static const size_t cuts[] = { 100, 300, 640, 1000, 4000 };
	const char *src = getenv("VB_SRCDIR");
	char path[1024], *line = NULL;
	size_t cap = 0, docs = 0, bad = 0, decided = 0, num_decided = 0, num_tried = 0;
	ssize_t r;
	FILE *f;
	int undecided = -1;
	char *got;
	char *w2[] = { "quang", "ninh" }, *w1[] = { "hà" };

	/* a word only past the head: undecided, whatever else matched */
	got = vb_snippet_make_prefix("Quảng Ninh, ngày 5 tháng 3", strlen("Quảng Ninh, ngày 5 tháng 3"),
				     w1, 1, 40, &undecided);
	tap_ok(!got && undecided == 1, "prefix: the word is not in the head: undecided");
	free(got);
	/* every word, but the head ends within what the snippet reads */
	got = vb_snippet_make_prefix("UBND tỉnh Quảng Ninh quyết định", strlen("UBND tỉnh Quảng Ninh quyết định"),
				     w2, 2, 200, &undecided);
	tap_ok(!got && undecided == 1, "prefix: head shorter than the snippet's reach: undecided");
	free(got);
	got = vb_snippet_make_prefix("Quảng Ninh", 10, NULL, 0, 40, &undecided);
	tap_ok(!got && undecided == 1, "prefix: no query words: undecided");
	free(got);
	{
		static const char t[] = "UBND tỉnh Quảng Ninh. Số 12. Nội dung khác của văn bản "
					"này rất dài, rất dài, rất dài, còn nữa và còn nữa.";

		char *whole = vb_snippet_make(t, strlen(t), w2, 2, 20);

		/* the head ends well past the window: decided */
		got = vb_snippet_make_prefix(t, 60, w2, 2, 20, &undecided);
		tap_ok(got && !undecided && whole && !strcmp(got, whole) &&
		       strstr(got, "<mark>Quảng</mark> <mark>Ninh</mark>"),
		       "prefix: decided, as the whole text: %s", got ? got : "(null)");
		free(got);
		free(whole);
	}

	snprintf(path, sizeof(path), "%s/data/sample/documents.jsonl", src ? src : ".");
	if (!(f = fopen(path, "r"))) {
		tap_ok(0, "sample %s not found", path);
		return;
	}
	while ((r = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)r, 0, NULL);
		const char *s = json_string_value(o ? json_object_get(o, "text") : NULL);
		const char *num = json_string_value(o ? json_object_get(o, "number") : NULL);
		size_t n = s ? strlen(s) : 0, k, c;

		if (!s || n == 0) {
			json_decref(o);
			continue;
		}
		docs++;
		if (num && strlen(num) < 64) {
			/* "05/2023/QĐ-UBND" -> 05 2023 QĐ UBND */
			char buf[64], *parts[8], *save = NULL, *p;
			size_t np = 0;

			snprintf(buf, sizeof(buf), "%s", num);
			for (p = strtok_r(buf, "/- ", &save); p && np < 8; p = strtok_r(NULL, "/- ", &save))
				parts[np++] = p;
			for (c = 0; np && c < sizeof(cuts) / sizeof(cuts[0]); c++) {
				size_t before = decided;

				bad += !prefix_agrees(s, n, cuts[c], parts, np, 320, &decided);
				if (cuts[c] == 640) {
					num_tried++;
					num_decided += decided > before;
				}
			}
		}
		for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
			size_t nw = 0;

			while (nw < 4 && sets[k][nw])
				nw++;
			for (c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++)
				bad += !prefix_agrees(s, n, cuts[c], (char *const *)sets[k], nw, 0,
						      &decided);
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	tap_ok(docs > 100 && bad == 0 && decided > docs,
	       "prefix: %zu texts, every decided head gives the whole text's snippet "
	       "(%zu decided, %zu bad)", docs, decided, bad);
	/* a number look-up's head of 640 bytes (VB_INDEXDOC_HEAD_BYTES) */
	tap_ok(num_decided * 2 > num_tried,
	       "prefix: the document's own number decides from 640 bytes in %zu of %zu texts",
	       num_decided, num_tried);
}

int main(void)
{
	test_table();
	test_long();
	test_multibyte();
	test_big();
	test_early_stop();
	test_sample();
	test_prefix();
	return tap_done();
}
