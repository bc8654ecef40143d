/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban extract-score [--failures FIELD] [CORPUS_DIR]`: run the metadata
 * extractor (lib/meta.h) over the real documents of the corpus and compare
 * each field with the metadata that came with them, printing per source
 * and per field the exact-match rate.  Comparison rules (also in
 * docs/extraction.md):
 *  - number: vb_docnum_canonical() of both sides equal (case, diacritics,
 *    white space, leading zeros and dash look-alikes do not count);
 *  - dates: both parsed to ISO and equal;
 *  - form, issuer, signer, abstract: "exact key" equal: the words (letters
 *    and digits) of both sides, each as vb_text_exact_term (lower case, NFC,
 *    canonical tone placement), joined by one space.  Diacritics count.
 *  - issuer vs TVPL noi_ban_hanh: TVPL names a province or city for its
 *    UBND, HĐND and their chairs ("Tỉnh Bắc Ninh"), so "UBND tỉnh Bắc Ninh"
 *    / "HĐND tỉnh Bắc Ninh" are mapped to "tỉnh Bắc Ninh" before the exact
 *    key comparison; nothing else is loosened;
 *  - abstract vs TVPL: the reference is the title of shape "<Loại> <số
 *    hiệu> [năm YYYY] <trích yếu> [do <cơ quan> ban hành | điện]" minus
 *    the form and number, the "năm YYYY", the final "do ... ban hành" /
 *    "do ... điện" (a Công điện) and a final "của <cơ quan>" naming the
 *    noi_ban_hanh organ unless the document's text has it; a leading "về
 *    việc" / "về" / "V/v" is dropped on both sides.  When that reference
 *    does not occur in the document's own text (TVPL paraphrased it), the
 *    document cannot be scored exactly: it is excluded and counted as
 *    "reference not in text", never as a match;
 *  - expected values that are masked or missing ("Đã biết", "Đang cập
 *    nhật", empty, null, a Công báo slug instead of a number) are excluded,
 *    and counted as excluded, not as failures.
 */
#include "commands.h"
#include "date.h"
#include "docnum.h"
#include "error.h"
#include "meta.h"
#include "text.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

enum { F_NUMBER, F_FORM, F_ISSUER, F_ISSUE, F_EFFECTIVE, F_ABSTRACT, F_ABSTRACT_SIM,
       F_SIGNER, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"number", "form", "issuer", "issue_date", "effective_date", "abstract",
	"abstract~0.8", "signer",
};

/* Why an abstract was not matched (printed with the figures). */
enum { C_NOTEXT, C_NOTEXT_CV, C_NONE, C_LATE, C_EARLY, C_REWRITE, C_CV, C_OTHER, C_COUNT };
static const char *const cat_names[C_COUNT] = {
	"reference not in text (TVPL paraphrase), excluded",
	"  of which công văn / công điện (TVPL describes the content)",
	"miss: no abstract extracted (no header block / empty page)",
	"miss: cut too late (extracted value contains the reference)",
	"miss: cut too early (reference contains the extracted value)",
	"miss: extracted value not in the text (extractor rewrote words)",
	"miss: công văn, other line than the reference",
	"miss: other part of the text",
};

typedef struct tally {
	long ok[F_COUNT], scored[F_COUNT], excluded[F_COUNT];
	long docs;
	long cat[C_COUNT];
	char cat_ex[C_COUNT][2][32]; /* first two document ids per category */
} tally;

typedef struct opts {
	const char *failures; /* field name whose failures are printed */
} opts;

struct key_ud {
	char *out;
	size_t len, cap;
};

static int key_cb(const char *s, const vb_token *tok, void *ud)
{
	struct key_ud *k = ud;
	char *w = vb_text_exact_term(s + tok->start, tok->len);
	size_t wl;

	if (!w)
		return 0;
	wl = strlen(w);
	if (k->len + wl + 2 < k->cap) {
		if (k->len)
			k->out[k->len++] = ' ';
		memcpy(k->out + k->len, w, wl);
		k->len += wl;
		k->out[k->len] = '\0';
	}
	free(w);
	return 0;
}

/* Exact key: words as canonical exact terms joined by one space. */
static char *exact_key(const char *s)
{
	struct key_ud k;
	char *norm;

	if (!s)
		return NULL;
	norm = vb_text_normalize(s, strlen(s));
	if (!norm)
		return NULL;
	k.cap = strlen(norm) * 2 + 16;
	k.out = malloc(k.cap);
	k.len = 0;
	if (k.out) {
		k.out[0] = '\0';
		vb_text_tokenize(norm, strlen(norm), key_cb, &k);
	}
	free(norm);
	return k.out;
}

static char *drop_ve_viec(char *key)
{
	static const char *const pre[] = { "về việc ", "v v ", "về " };
	size_t i;

	if (!key)
		return NULL;
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(key, pre[i], strlen(pre[i]))) {
			memmove(key, key + strlen(pre[i]), strlen(key + strlen(pre[i])) + 1);
			break;
		}
	return key;
}

static int masked(const char *v)
{
	char *f;
	int r;

	if (!v || !*v)
		return 1;
	f = vb_text_fold(v, strlen(v));
	r = !f || !strcmp(f, "da biet") || !strncmp(f, "dang cap nhat", 13) ||
	    !strcmp(f, "khong xac dinh");
	free(f);
	return r;
}

static void record(tally *t, int field, int ok, const opts *o, const char *id,
		   const char *want, const char *got)
{
	t->scored[field]++;
	if (ok)
		t->ok[field]++;
	else if (o->failures && !strcmp(o->failures, field_names[field]))
		printf("FAIL %s %s\n  want: %s\n  got:  %s\n", field_names[field], id,
		       want ? want : "(null)", got ? got : "(null)");
}

static void cmp_number(tally *t, const opts *o, const char *id, const char *want, const char *got)
{
	char *a, *b;

	if (!want || !strchr(want, '/')) {
		t->excluded[F_NUMBER]++;
		return;
	}
	a = vb_docnum_canonical(want);
	b = got ? vb_docnum_canonical(got) : NULL;
	record(t, F_NUMBER, a && b && !strcmp(a, b), o, id, want, got);
	free(a);
	free(b);
}

static void cmp_date(tally *t, int field, const opts *o, const char *id, const char *want,
		     const char *got)
{
	char iso[11];

	if (masked(want) || vb_date_parse(want, iso, NULL)) {
		t->excluded[field]++;
		return;
	}
	record(t, field, got && !strcmp(iso, got), o, id, iso, got);
}

/* Word-level similarity of two exact keys: longest common subsequence of
 * words over the longer word count (0..1). */
static double key_similarity(const char *a, const char *b)
{
	const char *wa[512], *wb[512];
	size_t la[512], lb[512], na = 0, nb = 0, i, j;
	unsigned short *dp;
	double r;

	for (const char *p = a; *p && na < 512;) {
		wa[na] = p;
		while (*p && *p != ' ')
			p++;
		la[na] = (size_t)(p - wa[na]);
		na++;
		while (*p == ' ')
			p++;
	}
	for (const char *p = b; *p && nb < 512;) {
		wb[nb] = p;
		while (*p && *p != ' ')
			p++;
		lb[nb] = (size_t)(p - wb[nb]);
		nb++;
		while (*p == ' ')
			p++;
	}
	if (!na || !nb)
		return 0;
	dp = calloc((na + 1) * (nb + 1), sizeof(*dp));
	if (!dp)
		return 0;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			unsigned short *cell = &dp[i * (nb + 1) + j];

			if (la[i - 1] == lb[j - 1] && !memcmp(wa[i - 1], wb[j - 1], la[i - 1]))
				*cell = dp[(i - 1) * (nb + 1) + j - 1] + 1;
			else
				*cell = dp[(i - 1) * (nb + 1) + j] > dp[i * (nb + 1) + j - 1]
						? dp[(i - 1) * (nb + 1) + j]
						: dp[i * (nb + 1) + j - 1];
		}
	r = (double)dp[na * (nb + 1) + nb] / (double)(na > nb ? na : nb);
	free(dp);
	return r;
}

static void cmp_key(tally *t, int field, const opts *o, const char *id, const char *want,
		    const char *got)
{
	char *a, *b;

	if (masked(want)) {
		t->excluded[field]++;
		return;
	}
	a = exact_key(want);
	b = got ? exact_key(got) : NULL;
	record(t, field, a && b && !strcmp(a, b), o, id, want, got);
	free(a);
	free(b);
}

/* TVPL names every provincial organ by its province or city ("Tỉnh Bắc
 * Ninh" for the UBND, the HĐND, a Sở or the provincial tax office):
 * "UBND tỉnh Bắc Ninh" -> "tỉnh Bắc Ninh", "Thuế tỉnh Tây Ninh" -> "tỉnh
 * Tây Ninh", "Sở Giáo dục và Đào tạo" under "UBND thành phố Hà Nội" ->
 * "thành phố Hà Nội".  Other organs are compared as they are.  Returns a
 * pointer into issuer or parent. */
static const char *tvpl_issuer(const char *issuer, const char *parent)
{
	static const char *const pre[] = { "UBND ", "HĐND ", "Thường trực HĐND " };
	static const char *const lv[] = { "tỉnh ", "thành phố " };
	const char *p;
	size_t i;

	if (!issuer)
		return NULL;
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(issuer, pre[i], strlen(pre[i])))
			return issuer + strlen(pre[i]);
	for (i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		if ((p = strstr(issuer, lv[i])) && p > issuer && p[-1] == ' ')
			return p;
	if (parent)
		for (i = 0; i < 2; i++)
			if (!strncmp(parent, pre[i], strlen(pre[i])))
				return parent + strlen(pre[i]);
	return issuer;
}

/* Word-bounded occurrence of the exact key needle in the exact key hay. */
static const char *key_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	if (!n)
		return NULL;
	for (p = hay; (p = strstr(p, needle)); p++)
		if ((p == hay || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return p;
	return NULL;
}

/* Exact key of a TVPL page's text without the site's additions: cut at
 * "Văn bản này chưa cập nhật nội dung Tiếng Anh" (the trailer) and every
 * copy of the page title blanked (the trailer and TVPL's news summaries
 * repeat it), so that the title is never found as "the document's text".
 * New string or NULL. */
static char *tvpl_body_key(const char *text, const char *title)
{
	char *body = exact_key(text ? text : ""), *tk = exact_key(title ? title : "");
	char *p;

	if (body && (p = (char *)key_find(body, "văn bản này chưa cập nhật nội dung tiếng anh")))
		*p = '\0';
	if (body && tk && *tk)
		while ((p = (char *)key_find(body, tk)))
			memset(p, '#', strlen(tk));
	free(tk);
	return body;
}

/* Cut s at its last " do " when what follows ends with " ban hành" or, in
 * a Công điện, " điện".  1 when cut. */
static int cut_do(char *s)
{
	static const char *const end[] = { " ban hành", " điện" };
	char *d = NULL, *p;
	size_t i, n = strlen(s);

	for (p = s; (p = strstr(p, " do ")); p++)
		d = p;
	if (!d)
		return 0;
	for (i = 0; i < sizeof(end) / sizeof(end[0]); i++)
		if (n >= strlen(end[i]) && !strcmp(s + n - strlen(end[i]), end[i])) {
			*d = '\0';
			return 1;
		}
	return 0;
}

/* Abstract from a TVPL title "<Loại> <số> [năm YYYY] <trích yếu> [do <cơ
 * quan> ban hành | do <cơ quan> điện]": the form and number, "năm YYYY",
 * the final "do ..." and a final "của <issuer>" when issuer (noi_ban_hanh)
 * is the organ named and the document's text (body, an exact key) does not
 * have the abstract with it.  New string or NULL. */
static char *tvpl_abstract(const char *title, const char *so_hieu, const char *form,
			   const char *issuer, const char *body)
{
	const char *p, *extra = NULL;
	char *r, *c, *ik = NULL;
	size_t n, fl = form ? strlen(form) : 0, xl = 0;

	if (!title || !so_hieu || !(p = strstr(title, so_hieu)))
		return NULL;
	/* Words TVPL puts between the form and the number ("Thông báo kết
	 * luận 432-TB/VPTW ...") describe the content: they stay. */
	if (fl && !strncmp(title, form, fl) && title[fl] == ' ' && title + fl + 1 < p) {
		extra = title + fl + 1;
		xl = (size_t)(p - extra);
		while (xl && extra[xl - 1] == ' ')
			xl--;
	}
	p += strlen(so_hieu);
	while (*p == ' ')
		p++;
	if (!strncmp(p, "năm ", strlen("năm ")) && strlen(p) > 9 &&
	    p[strlen("năm ") + 4] == ' ')
		p += strlen("năm ") + 5;
	n = strlen(p);
	r = malloc(xl + 1 + n + 1);
	if (!r)
		return NULL;
	if (xl)
		snprintf(r, xl + 1 + n + 1, "%.*s %s", (int)xl, extra, p);
	else
		memcpy(r, p, n + 1);
	n = strlen(r);
	while (n && r[n - 1] == ' ')
		r[--n] = '\0';
	if (!cut_do(r) && issuer && *issuer) {
		/* "... do Bộ trưởng Bộ Công thương" (no "ban hành"): the last
		 * "do" names the issuer; "... Cục Hải quan ban hành" (no "do") */
		char *last = NULL, *ik2 = exact_key(issuer), *tk = NULL;
		size_t il = strlen(issuer), bl = strlen(" ban hành");

		for (c = strstr(r, " do "); c; c = strstr(c + 1, " do "))
			last = c;
		if (last)
			tk = exact_key(last + strlen(" do "));
		if (ik2 && tk && strlen(tk) >= strlen(ik2) &&
		    !strcmp(tk + strlen(tk) - strlen(ik2), ik2) &&
		    (strlen(tk) == strlen(ik2) || tk[strlen(tk) - strlen(ik2) - 1] == ' '))
			*last = '\0';
		else if (n > il + bl + 1 && !strcmp(r + n - bl, " ban hành") &&
			 !strncmp(r + n - bl - il, issuer, il) && r[n - bl - il - 1] == ' ')
			r[n - bl - il - 1] = '\0';
		free(ik2);
		free(tk);
	}
	if (issuer && *issuer && (c = strstr(r, " của ")) && body) {
		char *last = NULL, *ck, *rk;

		for (; c; c = strstr(c + 1, " của "))
			last = c;
		ik = exact_key(issuer);
		ck = exact_key(last + strlen(" của "));
		rk = exact_key(r);
		if (ik && ck && rk && !strcmp(ik, ck) && !key_find(body, drop_ve_viec(rk)))
			*last = '\0';
		free(ck);
		free(rk);
	}
	free(ik);
	return r;
}

/* 1 when the words between a copy of the number and an occurrence are
 * only "năm YYYY" / "ngày D M YYYY" (TVPL's own title lines: "Thông tư
 * 109/2025/TT-BTC ngày 18/11/2025 quy định ..."). */
static int only_date_words(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != ' ')
			break;
	if (i == n)
		return 1;
	if (n - i >= strlen("năm") && !strncmp(s + i, "năm", strlen("năm")))
		return only_date_words(s + i + strlen("năm"), n - i - strlen("năm"));
	if (n - i >= strlen("ngày") && !strncmp(s + i, "ngày", strlen("ngày")))
		return only_date_words(s + i + strlen("ngày"), n - i - strlen("ngày"));
	return 0;
}

/* Does the exact key ref occur in the document's own text (body, an exact
 * key), not counting copies right after the document's number (numkey)? */
static int in_text(const char *body, const char *ref, const char *numkey)
{
	const char *p = body, *q;
	size_t nl = numkey ? strlen(numkey) : 0;

	while ((p = key_find(p, ref))) {
		int tvpl = 0;

		for (q = p - 1; nl && q >= body && p - q < (ptrdiff_t)nl + 32; q--)
			if ((q == body || q[-1] == ' ') && !strncmp(q, numkey, nl) &&
			    only_date_words(q + nl, (size_t)(p - q) - nl)) {
				tvpl = 1;
				break;
			}
		if (!tvpl)
			return 1;
		p++;
	}
	return 0;
}

/* The reference as written, in the document's text: a leading "về" that
 * TVPL writes for a "V/v" line or "về việc" may stand for them. */
static int ref_in_text(const char *body, const char *want, const char *numkey)
{
	char *k = exact_key(want), *alt;
	int r = 0;

	if (!k || !*k)
		goto out;
	r = in_text(body, k, numkey);
	if (!r && !strncmp(k, "về ", strlen("về ")) && strncmp(k, "về việc ", strlen("về việc "))) {
		static const char *const pre[] = { "v v ", "về việc " };
		size_t i;

		for (i = 0; !r && i < 2; i++) {
			alt = malloc(strlen(k) + 16);
			if (!alt)
				break;
			snprintf(alt, strlen(k) + 16, "%s%s", pre[i], k + strlen("về "));
			r = in_text(body, alt, numkey);
			free(alt);
		}
	}
out:
	free(k);
	return r;
}

static void cat_add(tally *t, int c, const char *id)
{
	if (t->cat[c] < 2)
		snprintf(t->cat_ex[c][t->cat[c]], sizeof(t->cat_ex[c][0]), "%s", id ? id : "?");
	t->cat[c]++;
}

/* Abstract vs the TVPL reference: excluded when the reference is not in
 * the document's own text; otherwise exact keys equal, and a miss is put
 * in a category. */
static void cmp_abstract(tally *t, const opts *o, const char *id, const char *want,
			 const char *got, const char *body, const char *numkey, int cv)
{
	char *a = exact_key(want), *b = got ? exact_key(got) : NULL;

	drop_ve_viec(a);
	drop_ve_viec(b);
	/* TVPL writes "về X" for a trích yếu "Ban hành X": none of the 212
	 * titles has "ban hành" after the number, many documents do. */
	if (a && b && strncmp(a, "ban hành ", strlen("ban hành ")) &&
	    !strncmp(b, "ban hành ", strlen("ban hành ")))
		memmove(b, b + strlen("ban hành "), strlen(b + strlen("ban hành ")) + 1);
	if (!a || !*a || !body || !ref_in_text(body, want, numkey)) {
		t->excluded[F_ABSTRACT]++;
		t->excluded[F_ABSTRACT_SIM]++;
		cat_add(t, C_NOTEXT, id);
		if (cv)
			cat_add(t, C_NOTEXT_CV, id);
		if (o->failures && !strcmp(o->failures, "abstract"))
			printf("NOTEXT abstract %s\n  want: %s\n  got:  %s\n", id, want,
			       got ? got : "(null)");
		goto out;
	}
	record(t, F_ABSTRACT, b && !strcmp(a, b), o, id, want, got);
	record(t, F_ABSTRACT_SIM, b && key_similarity(a, b) >= 0.8, o, id, want, got);
	if (b && !strcmp(a, b))
		goto out;
	{
		int c;

		if (!b || !*b)
			c = C_NONE;
		else if (key_find(b, a))
			c = C_LATE;
		else if (key_find(a, b))
			c = C_EARLY;
		else if (!key_find(body, b))
			c = C_REWRITE;
		else if (cv)
			c = C_CV;
		else
			c = C_OTHER;
		cat_add(t, c, id);
		if (o->failures && !strcmp(o->failures, "abstract"))
			printf("  category: %s\n", cat_names[c]);
	}
out:
	free(a);
	free(b);
}

static int extract(const char *text, vb_meta *m)
{
	vb_error err;

	if (vb_meta_extract(text ? text : "", text ? strlen(text) : 0, m, &err)) {
		fprintf(stderr, "vanban extract-score: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void score_tvpl(json_t *d, tally *t, const opts *o)
{
	vb_meta m;
	const char *id = jstr(d, "id"), *form = jstr(d, "loai_van_ban");
	char *abs, *body;

	if (extract(jstr(d, "text_markdown"), &m))
		return;
	t->docs++;
	cmp_number(t, o, id, jstr(d, "so_hieu"), m.number.value);
	cmp_key(t, F_FORM, o, id, jstr(d, "loai_van_ban"), m.form.value);
	cmp_key(t, F_ISSUER, o, id, jstr(d, "noi_ban_hanh"), tvpl_issuer(m.issuer.value, m.issuer_parent.value));
	cmp_date(t, F_ISSUE, o, id, jstr(d, "ngay_ban_hanh"), m.issue_date.value);
	cmp_date(t, F_EFFECTIVE, o, id, jstr(d, "ngay_hieu_luc"), m.effective_date.value);
	body = tvpl_body_key(jstr(d, "text_markdown"), jstr(d, "title"));
	abs = tvpl_abstract(jstr(d, "title"), jstr(d, "so_hieu"), jstr(d, "loai_van_ban"),
				    jstr(d, "noi_ban_hanh"), body);
	if (abs && !masked(abs))
	{
		char *nk = exact_key(jstr(d, "so_hieu"));

		cmp_abstract(t, o, id, abs, m.abstract.value, body, nk,
			     form && (!strcmp(form, "Công văn") || !strcmp(form, "Công điện")));
		free(nk);
	} else
		t->excluded[F_ABSTRACT]++, t->excluded[F_ABSTRACT_SIM]++;
	free(abs);
	free(body);
	cmp_key(t, F_SIGNER, o, id, jstr(d, "nguoi_ky"), m.signer.value);
	vb_meta_dispose(&m);
}

static const char *congbao_form(const char *loai)
{
	static const struct {
		const char *loai, *form;
	} map[] = {
		{ "Thông tư", "Thông tư" }, { "VB HN", "Văn bản hợp nhất" },
		{ "Văn bản hợp nhất", "Văn bản hợp nhất" }, { "NQ", "Nghị quyết" },
		{ "Nghị quyết", "Nghị quyết" }, { "QĐ", "Quyết định" },
		{ "Quyết định", "Quyết định" }, { "Luật", "Luật" }, { "Bộ luật", "Bộ luật" },
		{ "Nghị định", "Nghị định" },
	};
	size_t i;

	for (i = 0; loai && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(loai, map[i].loai))
			return map[i].form;
	return NULL;
}

static void score_congbao(json_t *d, tally *t, const opts *o)
{
	vb_meta m;
	const char *id = jstr(d, "id"), *want = jstr(d, "so_hieu_from_text");

	if (extract(jstr(d, "text"), &m))
		return;
	t->docs++;
	if (!want)
		want = jstr(d, "so_hieu_raw");
	cmp_number(t, o, id, want, m.number.value);
	{
		const char *f = congbao_form(jstr(d, "loai"));

		if (f)
			cmp_key(t, F_FORM, o, id, f, m.form.value);
		else
			t->excluded[F_FORM]++;
	}
	t->excluded[F_ISSUER]++;
	t->excluded[F_ISSUE]++;
	t->excluded[F_EFFECTIVE]++;
	t->excluded[F_ABSTRACT]++;
	t->excluded[F_ABSTRACT_SIM]++;
	t->excluded[F_SIGNER]++;
	vb_meta_dispose(&m);
}

static int score_jsonl(const char *path, int congbao, tally *t, const opts *o)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long bad = 0;

	if (!fp) {
		fprintf(stderr, "vanban extract-score: could not open \"%s\"\n", path);
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		json_error_t je;
		json_t *d = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &je);

		if (!d) {
			bad++;
			continue;
		}
		if (congbao)
			score_congbao(d, t, o);
		else
			score_tvpl(d, t, o);
		json_decref(d);
	}
	free(line);
	fclose(fp);
	if (bad)
		fprintf(stderr, "vanban extract-score: %ld unreadable lines in \"%s\"\n", bad, path);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && n < 64L * 1024 * 1024 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

static int check(const char *what, const char *want, const char *got)
{
	int ok = got && !strcmp(want, got);

	printf("  %-15s %-4s want %s, got %s\n", what, ok ? "ok" : "FAIL", want,
	       got ? got : "(none)");
	return ok;
}

/* The Quảng Ninh regulation: its metadata is in the corpus README. */
static int score_quangninh(const char *dir)
{
	char path[4096];
	char *text;
	vb_meta m;
	int ok = 1;
	char *canon;

	snprintf(path, sizeof(path), "%s/quangninh/05-2023-QD-UBND.txt", dir);
	text = slurp(path);
	if (!text) {
		fprintf(stderr, "vanban extract-score: could not read \"%s\"\n", path);
		return -1;
	}
	if (extract(text, &m)) {
		free(text);
		return -1;
	}
	printf("\nquangninh/05-2023-QD-UBND.txt (metadata from the corpus README, section 8):\n");
	canon = m.number.value ? vb_docnum_canonical(m.number.value) : NULL;
	ok &= check("number", "5/2023/QD-UBND", canon);
	free(canon);
	ok &= check("form", "Quyết định", m.form.value);
	ok &= check("issuer", "UBND tỉnh Quảng Ninh", m.issuer.value);
	ok &= check("issue_date", "2023-02-16", m.issue_date.value);
	ok &= check("effective_date", "2023-03-01", m.effective_date.value);
	ok &= check("signer", "Cao Tường Huy", m.signer.value);
	ok &= check("signer_title", "Q. Chủ tịch", m.signer_title.value);
	ok &= check("replaces", "31A/2020/QĐ-UBND",
		    m.replaces.n ? m.replaces.items[0].number : NULL);
	ok &= check("replaces.date", "2020-09-04", m.replaces.n ? m.replaces.items[0].date : NULL);
	printf("  => %s\n", ok ? "every field right" : "SOME FIELDS WRONG");
	vb_meta_dispose(&m);
	free(text);
	return ok ? 0 : 1;
}

static void print_tally(const char *name, const tally *t)
{
	int f;

	printf("\n%s (%ld documents):\n", name, t->docs);
	printf("  %-15s %8s %8s %8s\n", "field", "exact", "scored", "excluded");
	for (f = 0; f < F_COUNT; f++) {
		if (t->scored[f])
			printf("  %-15s %7.1f%% %8ld %8ld\n", field_names[f],
			       100.0 * (double)t->ok[f] / (double)t->scored[f], t->scored[f],
			       t->excluded[f]);
		else
			printf("  %-15s %8s %8ld %8ld\n", field_names[f], "-", t->scored[f],
			       t->excluded[f]);
	}
	if (!t->scored[F_ABSTRACT])
		return;
	printf("  abstract: %ld of %ld scorable exact; the others:\n", t->ok[F_ABSTRACT],
	       t->scored[F_ABSTRACT]);
	for (f = 0; f < C_COUNT; f++) {
		printf("    %-66s %4ld", cat_names[f], t->cat[f]);
		if (t->cat[f])
			printf("  (%s%s%s)", t->cat_ex[f][0], t->cat[f] > 1 ? ", " : "",
			       t->cat[f] > 1 ? t->cat_ex[f][1] : "");
		printf("\n");
	}
}

int vb_cmd_extract_score(vb_config *cfg, int argc, char **argv)
{
	const char *dir = NULL;
	char path[4096];
	tally tv, cb;
	opts o = { NULL };
	int i, rc = 0;

	(void)cfg;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: vanban extract-score [--failures FIELD] [CORPUS_DIR]\n"
			       "Score metadata extraction against the corpus metadata.\n");
			return 0;
		} else if (!strcmp(argv[i], "--failures") && i + 1 < argc) {
			o.failures = argv[++i];
		} else if (!dir && argv[i][0] != '-') {
			dir = argv[i];
		} else {
			fprintf(stderr, "vanban extract-score: unexpected argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if (!dir)
		dir = getenv("VB_CORPUS");
	if (!dir)
		dir = "../shared/corpus";
	memset(&tv, 0, sizeof(tv));
	memset(&cb, 0, sizeof(cb));
	snprintf(path, sizeof(path), "%s/tvpl_2025/documents.jsonl", dir);
	if (score_jsonl(path, 0, &tv, &o))
		rc = 2;
	snprintf(path, sizeof(path), "%s/congbao_chinhphu/documents.jsonl", dir);
	if (score_jsonl(path, 1, &cb, &o))
		rc = 2;
	print_tally("tvpl_2025 (text_markdown vs so_hieu, loai_van_ban, noi_ban_hanh, "
		    "ngay_ban_hanh, ngay_hieu_luc, title, nguoi_ky)", &tv);
	print_tally("congbao_chinhphu (text vs so_hieu_from_text | so_hieu_raw, loai)", &cb);
	i = score_quangninh(dir);
	if (i < 0)
		rc = 2;
	else if (i > 0 && !rc)
		rc = 1;
	return rc;
}
