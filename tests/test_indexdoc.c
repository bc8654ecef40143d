/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vb_indexdoc_build_cached (a word cache shared across documents, and the
 * position-less terms summed per document) must index exactly what
 * vb_indexdoc_build does.  The same documents (Vietnamese text with
 * repeated words, old and new tone placement, numbers, an issuer) go into
 * two indexes, one built document by document, the other through one
 * cache (a document built twice, so entries are reused across documents
 * and after a replace).  Compared: every term with its document frequency,
 * the ranked hits (docid and weight, so wdf and document length) of a query
 * on every term, and phrase queries on every adjacent pair of folded and
 * exact words (positions).  A third index is built through the cache by
 * a writer that commits after every document (vb_xap_writer_set_flush):
 * the same again.  And vb_xdoc_add_term_positions (a term's wdf and all
 * its positions in one call) must give what one vb_xdoc_add_posting per
 * occurrence gives.  The text's head (VB_SLOT_HEAD) is cut at a character
 * boundary.
 */
#include "indexdoc.h"
#include "tap.h"
#include "testutil.h"
#include "text.h"
#include "xap.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *number, *form, *issuer, *abstract, *text;
} docs[] = {
	{ "05/2023/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Quảng Ninh",
	  "Ban hành Quy chế quản lý Cổng thông tin điện tử",
	  "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Luật Giao dịch điện tử. "
	  "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý Cổng thông tin "
	  "điện tử tỉnh. Điều 2. Uỷ ban nhân dân, Ủy ban nhân dân, hoà giải, hòa giải, "
	  "khoá học 2023, 007 thông tin tin tín tin." },
	{ "12/CT-UBND", "Chỉ thị", "UBND huyện Vân Đồn",
	  "Tăng cường quản lý thông tin",
	  "Thông tin điện tử phải được cập nhật. Cổng thông tin, cong thong tin, "
	  "CỔNG THÔNG TIN ĐIỆN TỬ; thuỷ lợi, thủy lợi; Quảng Ninh quảng ninh." },
	{ "3/KH", "Kế hoạch", "Sở Thông tin và Truyền thông",
	  "Kế hoạch chuyển đổi số", "Chuyển đổi số năm 2024: số hoá, số hóa, dữ liệu "
	  "mở, dữ liệu số, 01 02 2024 ngày 19/6/2015 αβγ Δ ｆｕｌｌ." },
};
#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static void fill(vb_document *d, size_t i)
{
	vb_document_init(d);
	d->id = (int64_t)i + 1;
	d->version = 1;
	vb_strset(&d->source, "test");
	vb_strset(&d->source_id, docs[i].number);
	vb_strset(&d->number, docs[i].number);
	vb_strset(&d->form, docs[i].form);
	vb_strset(&d->issuer, docs[i].issuer);
	snprintf(d->issue_date, sizeof(d->issue_date), "2023-0%zu-15", i + 1);
	vb_strset(&d->status, "in_force");
	vb_strset(&d->abstract, docs[i].abstract);
	vb_strset(&d->text, docs[i].text);
}

/* Build the index at path: cached or one document at a time (cached 2:
 * cached, committing after every document); in all, the first document is
 * built and replaced a second time at the end. */
static int build(const char *path, int cached)
{
	vb_indexdoc_cache *cache = cached ? vb_indexdoc_cache_new() : NULL;
	vb_xap_writer *w = NULL;
	vb_error err;
	int rc;

	if (cached && !cache)
		return VB_ENOMEM;
	if ((rc = vb_xap_writer_open(&w, path, VB_XAP_CREATE_OR_OPEN, &err)) ||
	    (cached == 2 && (rc = vb_xap_writer_set_flush(w, 1, 1, 1, &err)))) {
		vb_xap_writer_free(w);
		vb_indexdoc_cache_free(cache);
		return rc;
	}
	for (size_t k = 0; k <= N_DOCS && !rc; k++) {
		size_t i = k % N_DOCS;
		vb_document d;
		vb_xdoc *x = NULL;
		char idterm[32];

		fill(&d, i);
		rc = cached ? vb_indexdoc_build_cached(&d, cache, &x, &err)
			    : vb_indexdoc_build(&d, &x, &err);
		if (!rc) {
			vb_indexdoc_id_term(d.id, idterm, sizeof(idterm));
			rc = vb_xap_writer_replace(w, idterm, x, &err);
		}
		if (rc)
			printf("# doc %zu: %s\n", i + 1, err.msg);
		vb_xdoc_free(x);
		vb_document_dispose(&d);
	}
	vb_indexdoc_cache_free(cache);
	if (!rc)
		return vb_xap_writer_close(w, &err);
	vb_xap_writer_free(w);
	return rc;
}

/* Terms with their frequencies, as one string "term\tfreq\n...". */
typedef struct term_list {
	char *s;
	size_t len, cap, n;
} term_list;

static int collect(const char *term, size_t len, size_t freq, void *ud)
{
	term_list *l = ud;
	char line[VB_XAP_TERM_MAX + 32];
	int n = snprintf(line, sizeof(line), "%.*s\t%zu\n", (int)len, term, freq);

	if (n < 0 || (size_t)n >= sizeof(line))
		return 1;
	if (l->len + (size_t)n + 1 > l->cap) {
		size_t cap = (l->cap ? l->cap * 2 : 4096) + (size_t)n;
		char *p = realloc(l->s, cap);

		if (!p)
			return 1;
		l->s = p;
		l->cap = cap;
	}
	memcpy(l->s + l->len, line, (size_t)n + 1);
	l->len += (size_t)n;
	l->n++;
	return 0;
}

/* The ranked hits of q in r as a string "docid:weight ...". */
static int hits(vb_xap_reader *r, const vb_xquery *q, char *out, size_t cap, size_t *total)
{
	vb_xap_search s;
	vb_xap_result res;
	vb_error err;
	size_t o = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	s.query = q;
	s.limit = 10;
	vb_xap_result_init(&res);
	if ((rc = vb_xap_reader_search(r, &s, &res, &err))) {
		printf("# search: %s\n", err.msg);
		return rc;
	}
	*total = res.total;
	out[0] = '\0';
	for (size_t i = 0; i < res.n_hits && o + 40 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%u:%.9g ", res.hits[i].docid,
				      res.hits[i].weight);
	vb_xap_result_dispose(&res);
	return 0;
}

/* Compare the answers of q (owned) in a and b; counts mismatches. */
static void compare(vb_xap_reader *a, vb_xap_reader *b, vb_xquery *q, const char *what,
		    size_t *bad, size_t *checked, size_t *matched)
{
	char ha[512], hb[512];
	size_t ta = 0, tb = 0;

	if (!q) {
		(*bad)++;
		return;
	}
	if (hits(a, q, ha, sizeof(ha), &ta) || hits(b, q, hb, sizeof(hb), &tb) || ta != tb ||
	    strcmp(ha, hb)) {
		if (*bad < 5)
			printf("# differs for %s: %zu [%s] vs %zu [%s]\n", what, ta, ha, tb, hb);
		(*bad)++;
	}
	(*checked)++;
	*matched += ta > 0;
	vb_xquery_free(q);
}

typedef struct pair_ctx {
	vb_xap_reader *a, *b;
	char prev[2][VB_XAP_TERM_MAX + 3]; /* folded, exact term of the previous word */
	size_t bad, checked, matched;
} pair_ctx;

static int pair_word(const char *s, const vb_token *tok, void *ud)
{
	pair_ctx *c = ud;
	char cur[2][VB_XAP_TERM_MAX + 3];
	char *f = vb_text_fold(s + tok->start, tok->len);
	char *e = vb_text_exact_term(s + tok->start, tok->len);

	if (!f || !e || strlen(f) > VB_XAP_TERM_MAX - 2 || strlen(e) > VB_XAP_TERM_MAX - 2) {
		free(f);
		free(e);
		return 0;
	}
	vb_indexdoc_fold_digits(f);
	snprintf(cur[0], sizeof(cur[0]), "%s", f);
	if (vb_text_has_diacritics(s + tok->start, tok->len))
		snprintf(cur[1], sizeof(cur[1]), "XE%s", e);
	else
		snprintf(cur[1], sizeof(cur[1]), "%s", f);
	free(f);
	free(e);
	for (int k = 0; k < 2; k++) {
		if (c->prev[k][0]) {
			vb_xquery *t[2] = { vb_xquery_term(c->prev[k], 1, NULL),
					    vb_xquery_term(cur[k], 1, NULL) };
			vb_xquery *q = t[0] && t[1] ? vb_xquery_combine(VB_XOP_PHRASE, t, 2, 2, NULL)
						    : NULL;
			char what[2 * VB_XAP_TERM_MAX + 16];

			snprintf(what, sizeof(what), "phrase \"%s %s\"", c->prev[k], cur[k]);
			compare(c->a, c->b, q, what, &c->bad, &c->checked, &c->matched);
			vb_xquery_free(t[0]);
			vb_xquery_free(t[1]);
		}
		memcpy(c->prev[k], cur[k], sizeof(cur[k]));
	}
	return 0;
}

/* vb_xdoc_add_term_positions against one vb_xdoc_add_posting per
 * occurrence: two documents with the same words, one made each way, must
 * weigh the same for a word and both match a phrase. */
static void test_term_positions(const char *dir)
{
	static const unsigned pa[] = { 1, 5, 9 }, pb[] = { 2, 6 };
	char path[300], h[512];
	vb_xap_writer *w = NULL;
	vb_xap_reader *r = NULL;
	vb_xdoc *x1 = vb_xdoc_new(NULL), *x2 = vb_xdoc_new(NULL);
	vb_error err;
	size_t total = 0;
	double w1 = 0, w2 = -1;
	int ok;

	snprintf(path, sizeof(path), "%s/positions", dir);
	ok = x1 && x2;
	for (size_t i = 0; ok && i < 3; i++)
		ok = !vb_xdoc_add_posting(x1, "alpha", pa[i], i ? 1 : 6, &err);
	for (size_t i = 0; ok && i < 2; i++)
		ok = !vb_xdoc_add_posting(x1, "beta", pb[i], i ? 1 : 6, &err);
	ok = ok && !vb_xdoc_add_term_positions(x2, "alphabet", 5, 8, pa, 3, &err) &&
	     !vb_xdoc_add_term_positions(x2, "beta", 4, 7, pb, 2, &err) &&
	     !vb_xdoc_add_term_positions(x2, "XVbeta", 6, 2, NULL, 0, &err) &&
	     !vb_xdoc_add_term(x1, "XVbeta", 2, &err) &&
	     !vb_xap_writer_open(&w, path, VB_XAP_CREATE_OR_OPEN, &err) &&
	     !vb_xap_writer_replace(w, "Q1", x1, &err) && !vb_xap_writer_replace(w, "Q2", x2, &err);
	ok = ok && !vb_xap_writer_close(w, &err);
	w = NULL;
	tap_ok(ok, "two documents, made each way");
	ok = ok && !vb_xap_reader_open(&r, path, &err);
	if (ok) {
		vb_xquery *q = vb_xquery_term("alpha", 1, NULL);

		if (q && !hits(r, q, h, sizeof(h), &total))
			sscanf(h, "%*u:%lf %*u:%lf", &w1, &w2);
		tap_ok(total == 2 && w1 == w2, "same weight for a word (%zu hits: %s)", total, h);
		vb_xquery_free(q);
		q = vb_xquery_term("XVbeta", 1, NULL);
		total = 0;
		w1 = 0;
		w2 = -1;
		if (q && !hits(r, q, h, sizeof(h), &total))
			sscanf(h, "%*u:%lf %*u:%lf", &w1, &w2);
		tap_ok(total == 2 && w1 == w2, "same weight for a term without positions (%s)", h);
		vb_xquery_free(q);
		{
			vb_xquery *t[2] = { vb_xquery_term("alpha", 1, NULL),
					    vb_xquery_term("beta", 1, NULL) };

			q = t[0] && t[1] ? vb_xquery_combine(VB_XOP_PHRASE, t, 2, 2, NULL) : NULL;
			vb_xquery_free(t[0]);
			vb_xquery_free(t[1]);
		}
		total = 0;
		if (q)
			hits(r, q, h, sizeof(h), &total);
		tap_ok(total == 2, "both match the phrase (%zu)", total);
		vb_xquery_free(q);
	} else {
		tap_ok(0, "same weight for a word");
		tap_ok(0, "same weight for a term without positions");
		tap_ok(0, "both match the phrase");
	}
	vb_xap_reader_free(r);
	vb_xap_writer_free(w);
	vb_xdoc_free(x1);
	vb_xdoc_free(x2);
}

/* The head of the text kept in VB_SLOT_HEAD: the first
 * VB_INDEXDOC_HEAD_BYTES bytes, cut before a character that would cross
 * the limit; a short text whole; nothing without a text. */
static void test_head(const char *dir)
{
	char path[300], text[2048], *v = NULL;
	vb_xap_writer *w = NULL;
	vb_document d;
	vb_xdoc *x = NULL;
	vb_error err;
	size_t o = 0;
	int ok;

	snprintf(path, sizeof(path), "%s/head", dir);
	/* "ệ" (3 bytes) at 638..640: it does not fit, the head stops at 638 */
	memset(text, 'a', 638);
	o = 638;
	memcpy(text + o, "\xe1\xbb\x87", 3);
	o += 3;
	memset(text + o, 'b', 100);
	o += 100;
	text[o] = '\0';
	ok = !vb_xap_writer_open(&w, path, VB_XAP_CREATE_OR_OPEN, &err);
	for (size_t i = 0; ok && i < 3; i++) {
		fill(&d, 0);
		d.id = (int64_t)i + 1;
		vb_strset(&d.text, i == 0 ? text : i == 1 ? "Số: 05/2023/QĐ-UBND" : NULL);
		ok = !vb_indexdoc_build(&d, &x, &err) &&
		     !vb_xap_writer_replace(w, i == 0 ? "Q1" : i == 1 ? "Q2" : "Q3", x, &err);
		vb_xdoc_free(x);
		x = NULL;
		vb_document_dispose(&d);
	}
	tap_ok(ok, "three documents with a long, a short and no text");
	ok = ok && !vb_xap_writer_get_value(w, "Q1", VB_SLOT_HEAD, &v, &err);
	tap_ok(ok && v && strlen(v) == 638 && !strncmp(v, text, 638),
	       "a long text's head stops before the character crossing %u bytes (%zu)",
	       VB_INDEXDOC_HEAD_BYTES, v ? strlen(v) : 0);
	free(v);
	v = NULL;
	ok = ok && !vb_xap_writer_get_value(w, "Q2", VB_SLOT_HEAD, &v, &err);
	tap_is_str(v, "Số: 05/2023/QĐ-UBND", "a short text is its own head");
	free(v);
	v = NULL;
	ok = ok && !vb_xap_writer_get_value(w, "Q3", VB_SLOT_HEAD, &v, &err);
	tap_is_str(v, "", "no text, no head");
	free(v);
	vb_xap_writer_close(w, NULL);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	char dir[256], pa[300], pb[300], pf[300];
	vb_xap_reader *ra = NULL, *rb = NULL, *rf = NULL;
	term_list la = { 0 }, lb = { 0 }, lf = { 0 };
	vb_error err;
	size_t bad = 0, checked = 0, matched = 0, badf = 0, checkedf = 0, matchedf = 0;
	pair_ctx pc;

	if (tu_mkdtemp(dir, sizeof(dir), "/tmp/vb-test-indexdoc")) {
		printf("Bail out! cannot create a temporary directory\n");
		return 1;
	}
	snprintf(pa, sizeof(pa), "%s/plain", dir);
	snprintf(pb, sizeof(pb), "%s/cached", dir);
	tap_ok(build(pa, 0) == 0, "index built document by document");
	tap_ok(build(pb, 1) == 0, "index built through one cache");
	snprintf(pf, sizeof(pf), "%s/flushed", dir);
	tap_ok(build(pf, 2) == 0, "index built through one cache, a commit per document");
	if (vb_xap_reader_open(&ra, pa, &err) || vb_xap_reader_open(&rb, pb, &err) ||
	    vb_xap_reader_open(&rf, pf, &err)) {
		printf("Bail out! cannot open the indexes: %s\n", err.msg);
		return 1;
	}
	vb_xap_reader_terms(ra, "", 100000, collect, &la, NULL);
	vb_xap_reader_terms(rb, "", 100000, collect, &lb, NULL);
	tap_ok(la.n > 200 && la.n == lb.n, "same number of terms (%zu, %zu)", la.n, lb.n);
	tap_ok(la.s && lb.s && !strcmp(la.s, lb.s), "same terms with the same frequencies");
	vb_xap_reader_terms(rf, "", 100000, collect, &lf, NULL);
	tap_ok(la.s && lf.s && !strcmp(la.s, lf.s),
	       "committing after every document: same terms and frequencies");

	/* every term: ranked hits with weights (wdf, document lengths) */
	for (char *p = la.s, *nl; p && (nl = strchr(p, '\n')); p = nl + 1) {
		char term[VB_XAP_TERM_MAX + 1];
		char *tab = memchr(p, '\t', (size_t)(nl - p));

		if (!tab || (size_t)(tab - p) > VB_XAP_TERM_MAX)
			continue;
		memcpy(term, p, (size_t)(tab - p));
		term[tab - p] = '\0';
		compare(ra, rb, vb_xquery_term(term, 1, NULL), term, &bad, &checked, &matched);
		compare(ra, rf, vb_xquery_term(term, 1, NULL), term, &badf, &checkedf, &matchedf);
	}
	tap_ok(bad == 0 && checked == la.n && matched == checked,
	   "every term: same hits and weights (%zu checked, %zu differ)", checked, bad);
	tap_ok(badf == 0 && checkedf == la.n && matchedf == checkedf,
	       "committing after every document: same hits and weights (%zu differ)", badf);

	/* positions: phrases of adjacent words, folded and exact */
	memset(&pc, 0, sizeof(pc));
	pc.a = ra;
	pc.b = rb;
	for (size_t i = 0; i < N_DOCS; i++) {
		pc.prev[0][0] = pc.prev[1][0] = '\0';
		vb_text_tokenize(docs[i].text, strlen(docs[i].text), pair_word, &pc);
	}
	tap_ok(pc.checked > 100, "%zu phrase queries", pc.checked);
	tap_ok(pc.matched == pc.checked, "every phrase of the texts is found (%zu of %zu)", pc.matched,
	   pc.checked);
	tap_ok(pc.bad == 0, "phrases: same hits and weights (%zu differ)", pc.bad);

	test_term_positions(dir);
	test_head(dir);

	vb_xap_reader_free(ra);
	vb_xap_reader_free(rb);
	vb_xap_reader_free(rf);
	free(la.s);
	free(lb.s);
	free(lf.s);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
