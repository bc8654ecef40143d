/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Query building (contract in query.h): walks the tree from qparse.h and
 * builds the strict (AND + bigram and phrase boosts + synonyms + number
 * look-up) and relaxed (OR) Xapian queries; the filter query comes from
 * query_filter.c, the former place names of a portal from query_place.c.
 */
#include "query.h"
#include "query_int.h"

#include "docnum.h"
#include "indexdoc.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_BOOST 2.0   /* exact-diacritic match over folded match */
#define NUMBER_BOOST 50.0 /* "XN" number term: the document comes first */
#define SYNONYM_WEIGHT 0.7 /* an alternative the user did not type */
#define BIGRAM_BOOST 1.0  /* adjacent syllables as one word */
#define PHRASE_BOOST 1.0  /* the whole run of words: all its bigrams */
#define MAX_RUN VB_QPARSE_MAX_WORDS
#define MAX_EXPANDED 64

/* One word of the parsed query: its folded and (when accented) exact
 * terms. */
typedef struct qword {
	char *folded;
	char *exact;   /* "XE..." or NULL */
} qword;

typedef struct build_ctx {
	vb_query *q;
	const vb_synonyms *syn;
	const vb_qparse *p;  /* the parse whose words w[] are */
	qword w[VB_QPARSE_MAX_WORDS];
	size_t n;
	vb_error *err;
	int rc;
} build_ctx;

static int set_rc(build_ctx *c)
{
	if (!c->rc)
		c->rc = c->err && c->err->code ? c->err->code : VB_ENOMEM;
	return c->rc;
}

/* The snippet words: add folded w unless present. */
static void add_snippet_word(build_ctx *c, const char *w)
{
	vb_query *q = c->q;

	if (c->rc || q->n_words >= VB_QUERY_MAX_SNIPPET_WORDS)
		return;
	for (size_t k = 0; k < q->n_words; k++)
		if (!strcmp(q->words[k], w))
			return;
	if (!(q->words[q->n_words] = strdup(w))) {
		c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
		return;
	}
	q->n_words++;
}

/* Terms of the words of p. */
static int analyse_words(build_ctx *c, const vb_qparse *p)
{
	for (size_t i = 0; i < p->n_words; i++) {
		const char *s = p->text + p->words[i].start;
		size_t n = p->words[i].len;
		char *ex;

		if (n > VB_WORD_MAX_BYTES) {
			n = VB_WORD_MAX_BYTES;
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
		if (!(c->w[i].folded = vb_text_fold(s, n)))
			return vb_error_set(c->err, VB_ENOMEM, "out of memory");
		c->n = i + 1;
		vb_indexdoc_fold_digits(c->w[i].folded);
		if (strlen(c->w[i].folded) > VB_XAP_TERM_MAX)
			c->w[i].folded[VB_XAP_TERM_MAX] = '\0';
		if (!vb_text_has_diacritics(s, n))
			continue;
		if (!(ex = vb_text_exact_term(s, n)))
			return vb_error_set(c->err, VB_ENOMEM, "out of memory");
		c->w[i].exact = malloc(strlen(ex) + 3);
		if (c->w[i].exact)
			snprintf(c->w[i].exact, strlen(ex) + 3, "%s%s", VB_PREFIX_EXACT, ex);
		free(ex);
		if (!c->w[i].exact)
			return vb_error_set(c->err, VB_ENOMEM, "out of memory");
		if (strlen(c->w[i].exact) > VB_XAP_TERM_MAX)
			c->w[i].exact[VB_XAP_TERM_MAX] = '\0';
	}
	return 0;
}

static void words_dispose(build_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->w[i].folded);
		free(c->w[i].exact);
	}
	c->n = 0;
}

/* term with prefix (NULL-safe concatenation into a query). */
static vb_xquery *prefixed_term(const char *prefix, const char *t, vb_error *err)
{
	char buf[VB_XAP_TERM_MAX + 1];

	snprintf(buf, sizeof(buf), "%s%s", prefix, t);
	return vb_xquery_term(buf, 1, err);
}

static vb_xquery *scaled(vb_xquery *q, double f, vb_error *err)
{
	vb_xquery *r;

	if (!q)
		return NULL;
	r = vb_xquery_scale(q, f, err);
	vb_xquery_free(q);
	return r;
}

static vb_xquery *combine2(enum vb_xop op, vb_xquery *a, vb_xquery *b, vb_error *err)
{
	vb_xquery *v[2] = { a, b }, *r;

	r = vb_xquery_combine(op, v, 2, 0, err);
	vb_xquery_free(a);
	vb_xquery_free(b);
	return r;
}

/* One word: folded, or OR(exact x2, folded).  With a field prefix (issuer
 * words), only the prefixed folded term. */
static vb_xquery *word_query(const qword *w, const char *prefix, vb_error *err)
{
	vb_xquery *f, *e;

	if (prefix)
		return prefixed_term(prefix, w->folded, err);
	if (!(f = vb_xquery_term(w->folded, 1, err)))
		return NULL;
	if (!w->exact)
		return f;
	if (!(e = scaled(vb_xquery_term(w->exact, 1, err), EXACT_BOOST, err))) {
		vb_xquery_free(f);
		return NULL;
	}
	return combine2(VB_XOP_OR, e, f, err);
}

/* PHRASE of folded terms (or prefixed ones), boosted x2 where the
 * accented words occur as typed.  n == 1: the word query. */
static vb_xquery *phrase_of(const qword *w, size_t n, const char *prefix, vb_error *err)
{
	vb_xquery *t[MAX_RUN] = { 0 }, *f = NULL, *e = NULL;
	int accented = 0;
	size_t i;

	if (n == 1)
		return word_query(&w[0], prefix, err);
	if (n > MAX_RUN)
		n = MAX_RUN;
	for (i = 0; i < n; i++) {
		t[i] = prefix ? prefixed_term(prefix, w[i].folded, err)
			      : vb_xquery_term(w[i].folded, 1, err);
		if (!t[i])
			goto fail;
		accented |= w[i].exact != NULL;
	}
	f = vb_xquery_combine(VB_XOP_PHRASE, t, n, (unsigned)n, err);
	query_free_all(t, n);
	memset(t, 0, sizeof(t));
	/* Only documents holding every adjacent pair as a folded bigram "XB"
	 * can hold the phrase (indexdoc.c adds one for each pair of
	 * neighbouring tokens): filtering on them first, Xapian reads
	 * position lists in fewer documents.  No weight comes from them. */
	if (f && !prefix) {
		size_t k = 0;
		char bt[VB_XAP_TERM_MAX + 1];

		for (i = 0; i + 1 < n; i++) {
			if (vb_indexdoc_bigram_term(bt, w[i].folded, w[i + 1].folded))
				continue;
			if (!(t[k++] = vb_xquery_term(bt, 1, err)))
				goto fail;
		}
		if (k) {
			e = vb_xquery_combine(VB_XOP_AND, t, k, 0, err);
			query_free_all(t, k);
			memset(t, 0, sizeof(t));
			if (!e)
				goto fail;
			f = combine2(VB_XOP_FILTER, f, e, err);
			e = NULL;
		}
	}
	if (!f || prefix || !accented)
		return f;
	/* the diacritics as typed: a boost by the exact words, anywhere in
	 * the document (an exact phrase would read every candidate's
	 * position lists a second time) */
	{
		size_t k = 0;

		for (i = 0; i < n; i++)
			if (w[i].exact && !(t[k++] = vb_xquery_term(w[i].exact, 1, err)))
				goto fail;
		e = scaled(vb_xquery_combine(VB_XOP_AND, t, k, 0, err), EXACT_BOOST, err);
		query_free_all(t, k);
		memset(t, 0, sizeof(t));
	}
	if (!e) {
		vb_xquery_free(f);
		return NULL;
	}
	return combine2(VB_XOP_AND_MAYBE, f, e, err);
fail:
	query_free_all(t, n);
	vb_xquery_free(f);
	return NULL;
}

/* The query of one synonym alternative (words as written in the file). */
static vb_xquery *alt_query(build_ctx *c, const vb_syn_alt *a, const char *prefix)
{
	qword w[VB_SYN_MAX_WORDS];
	vb_xquery *r = NULL;
	size_t n = 0;

	memset(w, 0, sizeof(w));
	for (n = 0; n < a->n; n++) {
		const char *word = a->words[n];
		size_t len = strlen(word);
		char *ex;

		if (!(w[n].folded = strdup(a->folded[n])))
			goto out;
		vb_indexdoc_fold_digits(w[n].folded);
		add_snippet_word(c, w[n].folded);
		if (!vb_text_has_diacritics(word, len))
			continue;
		if (!(ex = vb_text_exact_term(word, len)))
			goto out;
		w[n].exact = malloc(strlen(ex) + 3);
		if (w[n].exact)
			snprintf(w[n].exact, strlen(ex) + 3, "%s%s", VB_PREFIX_EXACT, ex);
		free(ex);
		if (!w[n].exact) {
			n++;
			goto out;
		}
	}
	r = phrase_of(w, n, prefix, c->err);
out:
	for (size_t i = 0; i < n && i < VB_SYN_MAX_WORDS; i++) {
		free(w[i].folded);
		free(w[i].exact);
	}
	if (!r)
		set_rc(c);
	return r;
}

/* One unit of a run: words idx[0..m) matched synonym group g, alternative
 * a as typed: OR(typed, other alternatives x SYNONYM_WEIGHT).  The typed
 * words are combined with the run's op: AND in the strict query, OR in the
 * relaxed one, so the expansion only ever adds to what the words alone
 * find (a relaxed "KT-XH" finds "xh" like it does without synonyms). */
static vb_xquery *synonym_unit(build_ctx *c, const size_t *idx, size_t m, size_t g,
			       size_t a, const char *prefix, enum vb_xop op)
{
	const vb_syn_group *gr = vb_synonyms_group(c->syn, g);
	vb_xquery *parts[VB_SYN_MAX_ALTS + 1] = { 0 }, *r = NULL;
	vb_xquery *typed[MAX_RUN];
	size_t np = 0;

	/* what was typed keeps its words (the phrase is a boost of the run),
	 * the other alternatives are phrases */
	for (size_t k = 0; k < m; k++)
		if (!(typed[k] = word_query(&c->w[idx[k]], prefix, c->err))) {
			query_free_all(typed, k);
			goto out;
		}
	parts[np] = vb_xquery_combine(op, typed, m, 0, c->err);
	query_free_all(typed, m);
	if (!parts[np++])
		goto out;
	for (size_t k = 0; k < gr->n; k++) {
		if (k == a)
			continue;
		if (!(parts[np] = scaled(alt_query(c, &gr->alts[k], prefix), SYNONYM_WEIGHT,
					 c->err)))
			goto out;
		np++;
	}
	r = vb_xquery_combine(VB_XOP_OR, parts, np, 0, c->err);
out:
	query_free_all(parts, np);
	if (!r)
		set_rc(c);
	return r;
}

/* Whether words idx[0..m) (consecutive in the query) are whole tokens: a
 * synonym may match "KT-XH" or "kinh tế - xã hội", not the CT of CT-XH or
 * of 01/2024/CT-UBND (a number or another abbreviation, not "Chỉ thị"). */
static int token_boundaries(const build_ctx *c, const size_t *idx, size_t m)
{
	const vb_qparse *p = c->p;
	size_t first = idx[0], last = idx[m - 1];

	for (size_t k = 1; k < m; k++)
		if (idx[k] != idx[k - 1] + 1)
			return 0;
	if (first > 0 && p->joined[first - 1])
		return 0;
	return last + 1 >= p->n_words || !p->joined[last];
}

/* A run of plain words (indices idx[0..n) into c->w), combined with op,
 * synonyms expanded; boosted by bigrams and the phrase unless prefix is
 * set. */
static vb_xquery *run_query(build_ctx *c, const size_t *idx, size_t n, enum vb_xop op,
			    const char *prefix)
{
	vb_xquery *units[MAX_RUN] = { 0 }, *bi[MAX_RUN + MAX_EXPANDED] = { 0 };
	vb_xquery *exact[MAX_RUN] = { 0 };
	vb_xquery *base = NULL, *r = NULL;
	char *folded[MAX_RUN];
	qword ex[MAX_EXPANDED]; /* the run with abbreviations expanded */
	size_t nu = 0, nb = 0, nb0 = 0, i = 0, nex = 0, ne = 0;
	int expanded = 0, split = !prefix && n > 1;

	memset(ex, 0, sizeof(ex));
	for (size_t k = 0; k < n; k++) {
		folded[k] = c->w[idx[k]].folded;
		add_snippet_word(c, folded[k]);
	}
	while (i < n) {
		size_t g = 0, a = 0, m = 0;

		if (c->syn)
			m = vb_synonyms_match(c->syn, folded + i, n - i, &g, &a);
		if (m && !token_boundaries(c, idx + i, m))
			m = 0;
		if (m) {
			/* the expanded run uses the longest alternative */
			const vb_syn_group *gr = vb_synonyms_group(c->syn, g);
			const vb_syn_alt *longest = &gr->alts[a];

			for (size_t k = 0; k < gr->n; k++)
				if (gr->alts[k].n > longest->n)
					longest = &gr->alts[k];
			if (longest != &gr->alts[a])
				expanded = 1;
			for (size_t k = 0; k < longest->n && nex < MAX_EXPANDED; k++)
				ex[nex++].folded = longest->folded[k];
			units[nu] = synonym_unit(c, idx + i, m, g, a, prefix, op);
		} else {
			const qword *w = &c->w[idx[i]];

			m = 1;
			if (nex < MAX_EXPANDED)
				ex[nex++].folded = folded[i];
			if (split && w->exact) {
				/* folded here, the exact word as a boost below:
				 * the same weights as OR(exact x2, folded), the
				 * exact posting list read only where the folded
				 * words all match */
				units[nu] = vb_xquery_term(w->folded, 1, c->err);
				if (units[nu] &&
				    !(exact[ne++] = vb_xquery_term(w->exact, 1, c->err)))
					goto fail;
			} else
				units[nu] = word_query(w, prefix, c->err);
		}
		if (!units[nu++])
			goto fail;
		i += m;
	}
	if (!(base = vb_xquery_combine(op, units, nu, 0, c->err)))
		goto fail;
	if (prefix || (n < 2 && nex < 2)) {
		r = base;
		base = NULL;
		goto done;
	}
	/* boosts: adjacent pairs as bigram terms (bi[0..nb0) as typed,
	 * bi[nb0..nb) with abbreviations expanded), and the whole run: every
	 * pair of it present (a phrase would read the position lists of
	 * every matching document) */
	for (int pass = 0; pass < 2; pass++) {
		size_t len = pass ? nex : n;

		if (pass)
			nb0 = nb;
		if (pass && !expanded)
			break;
		for (i = 0; i + 1 < len && nb < MAX_RUN + MAX_EXPANDED; i++) {
			const char *x = pass ? ex[i].folded : folded[i];
			const char *y = pass ? ex[i + 1].folded : folded[i + 1];
			char t[VB_XAP_TERM_MAX + 1];

			if (vb_indexdoc_bigram_term(t, x, y))
				continue;
			if (!(bi[nb++] = vb_xquery_term(t, 1, c->err)))
				goto fail;
		}
	}
	{
		vb_xquery *boost[5] = { base, NULL, NULL, NULL, NULL };
		size_t nboost = 3;

		boost[1] = scaled(vb_xquery_combine(VB_XOP_OR, bi, nb, 0, c->err), BIGRAM_BOOST,
				  c->err);
		if (!expanded)
			nb0 = nb;
		boost[2] = nb0 ? scaled(vb_xquery_combine(VB_XOP_AND, bi, nb0, 0, c->err),
					    PHRASE_BOOST, c->err)
				   : vb_xquery_match_nothing(c->err);
		if (expanded && nb > nb0) {
			boost[3] = scaled(vb_xquery_combine(VB_XOP_AND, bi + nb0, nb - nb0, 0,
							    c->err),
					  PHRASE_BOOST, c->err);
			nboost = 4;
		}
		if (ne) {
			if (nboost == 3)
				boost[nboost++] = vb_xquery_match_nothing(c->err);
			boost[nboost++] = scaled(vb_xquery_combine(VB_XOP_OR, exact, ne, 0, c->err),
						 EXACT_BOOST, c->err);
		}
		if (boost[1] && boost[2] && (nboost == 3 || boost[3]) && (nboost < 5 || boost[4]))
			r = vb_xquery_combine(VB_XOP_AND_MAYBE, boost, nboost, 0, c->err);
		vb_xquery_free(boost[1]);
		vb_xquery_free(boost[2]);
		vb_xquery_free(boost[3]);
		vb_xquery_free(boost[4]);
		if (!r)
			goto fail;
	}
done:
	vb_xquery_free(base);
	query_free_all(units, nu);
	query_free_all(bi, nb);
	query_free_all(exact, ne);
	return r;
fail:
	set_rc(c);
	vb_xquery_free(base);
	query_free_all(units, nu);
	query_free_all(bi, nb);
	query_free_all(exact, ne);
	return NULL;
}

/* Number look-up: "XN" terms for the whole query and for each
 * space-separated chunk that contains a '/' (a number inside a longer
 * query), OR-ed and heavily weighted.  NULL with *rc = 0 when there is no
 * usable number. */
static vb_xquery *number_query(const char *q, int *rc, vb_error *err)
{
	vb_xquery *t[VB_QUERY_MAX_WORDS] = { 0 }, *any = NULL, *r = NULL;
	size_t n = 0;
	char *copy = NULL, *save = NULL, *chunk;
	char *cands[VB_QUERY_MAX_WORDS + 1];
	size_t nc = 0;

	*rc = 0;
	if (!vb_docnum_looks_like(q))
		return NULL;
	if (!(copy = strdup(q))) {
		*rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	cands[nc++] = vb_docnum_canonical(q);
	for (chunk = strtok_r(copy, " \t\r\n", &save); chunk && nc <= VB_QUERY_MAX_WORDS;
	     chunk = strtok_r(NULL, " \t\r\n", &save))
		if (strchr(chunk, '/') && vb_docnum_looks_like(chunk))
			cands[nc++] = vb_docnum_canonical(chunk);
	for (size_t i = 0; i < nc && n < VB_QUERY_MAX_WORDS; i++) {
		int dup = 0;

		if (!cands[i])
			continue;
		for (size_t k = 0; k < i; k++)
			dup |= cands[k] && !strcmp(cands[k], cands[i]);
		if (dup || strlen(cands[i]) + 2 > VB_XAP_TERM_MAX)
			continue;
		if (!(t[n] = prefixed_term(VB_PREFIX_NUMBER, cands[i], err))) {
			*rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
		n++;
	}
	if (!n)
		goto out;
	if (!(any = vb_xquery_combine(VB_XOP_OR, t, n, 0, err)) ||
	    !(r = vb_xquery_scale(any, NUMBER_BOOST, err)))
		*rc = err ? err->code : VB_ENOMEM;
out:
	for (size_t i = 0; i < nc; i++)
		free(cands[i]);
	free(copy);
	query_free_all(t, n);
	vb_xquery_free(any);
	return r;
}

/* ------------------------------------------------------------------ */
/* Field restrictions */

/* OR of filter terms prefix+value and prefix+each synonym of value. */
static vb_xquery *filter_with_synonyms(build_ctx *c, const char *prefix, const char *value)
{
	vb_xquery *t[VB_SYN_MAX_ALTS + 1] = { 0 }, *r = NULL;
	size_t n = 0;
	char *term = vb_indexdoc_filter_term(prefix, value);

	if (!term || !(t[n++] = vb_xquery_term(term, 1, c->err)))
		goto out;
	if (c->syn) {
		char *folded = vb_text_fold(value, strlen(value));
		char *words[VB_SYN_MAX_WORDS];
		size_t nw = 0, g, a;
		char *save = NULL, *tok;

		if (!folded)
			goto out;
		for (tok = strtok_r(folded, " \t-", &save); tok && nw < VB_SYN_MAX_WORDS;
		     tok = strtok_r(NULL, " \t-", &save))
			words[nw++] = tok;
		if (nw && vb_synonyms_match(c->syn, words, nw, &g, &a) == nw) {
			const vb_syn_group *gr = vb_synonyms_group(c->syn, g);

			for (size_t k = 0; k < gr->n && n <= VB_SYN_MAX_ALTS; k++) {
				char *tt;

				if (k == a)
					continue;
				if (!(tt = vb_indexdoc_filter_term(prefix, gr->alts[k].text)))
					break;
				t[n] = vb_xquery_term(tt, 1, c->err);
				free(tt);
				if (!t[n])
					break;
				n++;
			}
		}
		free(folded);
	}
	r = vb_xquery_combine(VB_XOP_OR, t, n, 0, c->err);
out:
	free(term);
	query_free_all(t, n);
	if (!r)
		set_rc(c);
	return r;
}

/* The (weightless) query of a field node. */
static vb_xquery *field_query(build_ctx *c, const vb_qnode *nd)
{
	const vb_qparse *p = &c->q->parse;
	vb_xquery *r = NULL;
	char *value = strndup(p->text + nd->value.start, nd->value.len);

	if (!value) {
		c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	c->q->has_fields = 1;
	switch (nd->field) {
	case VB_QF_NUMBER: {
		char *canon = vb_docnum_canonical(value);

		if (canon && strlen(canon) + 2 <= VB_XAP_TERM_MAX)
			r = prefixed_term(VB_PREFIX_NUMBER, canon, c->err);
		else
			r = vb_xquery_match_nothing(c->err);
		free(canon);
		break;
	}
	case VB_QF_ISSUER: {
		/* the words of the value, among the issuer's words */
		vb_qparse sub;
		build_ctx sc;
		size_t idx[MAX_RUN];

		memset(&sc, 0, sizeof(sc));
		if (vb_qparse_run(&sub, value, strlen(value), c->err)) {
			vb_qparse_dispose(&sub);
			set_rc(c);
			break;
		}
		sc.q = c->q;
		sc.p = &sub;
		sc.syn = c->syn;
		sc.err = c->err;
		if (!analyse_words(&sc, &sub)) {
			for (size_t k = 0; k < sc.n; k++)
				idx[k] = k;
			r = sc.n ? run_query(&sc, idx, sc.n, VB_XOP_AND, VB_PREFIX_ISSUER_WORD)
				 : vb_xquery_match_nothing(c->err);
		}
		if (sc.rc)
			c->rc = sc.rc;
		words_dispose(&sc);
		vb_qparse_dispose(&sub);
		break;
	}
	case VB_QF_FORM:
		r = filter_with_synonyms(c, VB_PREFIX_FORM, value);
		break;
	case VB_QF_YEAR:
		r = vb_xquery_value_range(VB_SLOT_YEAR, nd->lo[0] ? nd->lo : NULL,
					  nd->hi[0] ? nd->hi : NULL, c->err);
		break;
	case VB_QF_DATE:
		r = vb_xquery_value_range(VB_SLOT_ISSUED, nd->lo[0] ? nd->lo : NULL,
					  nd->hi[0] ? nd->hi : NULL, c->err);
		break;
	case VB_QF_STATUS: {
		char *t = vb_indexdoc_filter_term(VB_PREFIX_STATUS, nd->status);

		r = t ? vb_xquery_term(t, 1, c->err) : NULL;
		free(t);
		break;
	}
	}
	free(value);
	r = scaled(r, 0.0, c->err);
	if (!r)
		set_rc(c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Tree walk */

static vb_xquery *node_query(build_ctx *c, int i, enum vb_xop op);

static int is_plain_term(const vb_qparse *p, int i)
{
	return p->nodes[i].type == VB_QN_TERM;
}

/* AND node (or a single term at the root): text parts combined with op,
 * field parts required, NOT parts excluded. */
static vb_xquery *and_query(build_ctx *c, const int *kids, size_t nk, enum vb_xop op)
{
	const vb_qparse *p = &c->q->parse;
	vb_xquery *text[VB_QPARSE_MAX_NODES] = { 0 }, *fields[VB_QPARSE_MAX_NODES] = { 0 };
	vb_xquery *nots[VB_QPARSE_MAX_NODES] = { 0 };
	vb_xquery *r = NULL, *t = NULL, *f = NULL, *x = NULL;
	size_t nt = 0, nf = 0, nn = 0, k = 0;

	while (k < nk && !c->rc) {
		const vb_qnode *nd = &p->nodes[kids[k]];

		if (is_plain_term(p, kids[k])) {
			size_t idx[MAX_RUN], m = 0;

			while (k < nk && is_plain_term(p, kids[k]) && m < MAX_RUN)
				idx[m++] = p->nodes[kids[k++]].word;
			if (!(text[nt++] = run_query(c, idx, m, op, NULL)))
				goto out;
			continue;
		}
		k++;
		if (nd->type == VB_QN_FIELD) {
			if (!(fields[nf++] = field_query(c, nd)))
				goto out;
		} else if (nd->type == VB_QN_NOT) {
			if (!(nots[nn++] = node_query(c, nd->child, VB_XOP_AND)))
				goto out;
		} else if (!(text[nt++] = node_query(c, kids[k - 1], op))) {
			goto out;
		}
	}
	if (c->rc)
		goto out;
	if (nt && !(t = vb_xquery_combine(op, text, nt, 0, c->err)))
		goto out;
	if (nf && !(f = vb_xquery_combine(VB_XOP_AND, fields, nf, 0, c->err)))
		goto out;
	if (t && f)
		x = combine2(VB_XOP_AND, t, f, c->err);
	else if (t || f)
		x = t ? t : f;
	else
		x = vb_xquery_match_all(c->err);
	t = f = NULL;
	if (!x)
		goto out;
	if (nn) {
		vb_xquery *any = vb_xquery_combine(VB_XOP_OR, nots, nn, 0, c->err);

		r = any ? combine2(VB_XOP_AND_NOT, x, any, c->err) : NULL;
		if (!any)
			vb_xquery_free(x);
	} else {
		r = x;
	}
out:
	query_free_all(text, nt);
	query_free_all(fields, nf);
	query_free_all(nots, nn);
	vb_xquery_free(t);
	vb_xquery_free(f);
	if (!r)
		set_rc(c);
	return r;
}

static vb_xquery *node_query(build_ctx *c, int i, enum vb_xop op)
{
	const vb_qparse *p = &c->q->parse;
	const vb_qnode *nd = vb_qparse_node(p, i);
	int kids[VB_QPARSE_MAX_NODES];
	size_t nk = 0;

	if (!nd) {
		c->rc = vb_error_set(c->err, VB_EINVAL, "bad query tree");
		return NULL;
	}
	switch (nd->type) {
	case VB_QN_TERM:
	case VB_QN_FIELD:
	case VB_QN_NOT:
		kids[0] = i;
		return and_query(c, kids, 1, op);
	case VB_QN_PHRASE: {
		vb_xquery *r = phrase_of(&c->w[nd->word], nd->n_words, NULL, c->err);

		for (size_t k = 0; k < nd->n_words; k++)
			add_snippet_word(c, c->w[nd->word + k].folded);
		if (!r)
			set_rc(c);
		return r;
	}
	case VB_QN_AND:
		for (int k = nd->child; k >= 0; k = p->nodes[k].next)
			kids[nk++] = k;
		return and_query(c, kids, nk, op);
	case VB_QN_OR: {
		vb_xquery *parts[VB_QPARSE_MAX_NODES] = { 0 }, *r = NULL;

		for (int k = nd->child; k >= 0; k = p->nodes[k].next) {
			/* an alternative keeps its own AND (relaxing it is for the
			 * top level) */
			if (!(parts[nk++] = node_query(c, k, VB_XOP_AND))) {
				query_free_all(parts, nk);
				return NULL;
			}
		}
		r = vb_xquery_combine(VB_XOP_OR, parts, nk, 0, c->err);
		query_free_all(parts, nk);
		if (!r)
			set_rc(c);
		return r;
	}
	}
	return NULL;
}

/* Whether the query is one number and nothing else: a number term was
 * made of it, and its words (at least two) are written as one token
 * ("12/2023/QĐ-UBND").  Its words then match as that sequence (a phrase),
 * as where a text cites the number, not anywhere in the text. */
static int number_only(const vb_qparse *p, const vb_xquery *number)
{
	if (!number || p->root < 0 || p->n_words < 2)
		return 0;
	for (size_t k = 0; k + 1 < p->n_words; k++)
		if (!p->joined[k])
			return 0;
	return 1;
}

/* Whether the tree has NOT or field nodes (then a bare number look-up
 * must not bypass them). */
static int has_restrictions(const vb_qparse *p)
{
	for (size_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].type == VB_QN_NOT || p->nodes[i].type == VB_QN_FIELD)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */

int vb_query_build(vb_query *q, const vb_search_req *req, const vb_synonyms *syn,
		   vb_error *err)
{
	build_ctx c;
	vb_xquery *number = NULL, *top = NULL;
	const char *s = req->q ? req->q : "";
	size_t len = strlen(s);
	int rc = 0;

	memset(q, 0, sizeof(*q));
	q->parse.root = -1;
	memset(&c, 0, sizeof(c));
	c.q = q;
	c.p = &q->parse;
	c.syn = syn;
	c.err = err;
	if (len > VB_SEARCH_MAX_QUERY)
		return vb_error_set(err, VB_ETOOBIG, "query is too long (%zu bytes, at most %d)",
				    len, VB_SEARCH_MAX_QUERY);
	if ((rc = vb_query_filter_build(req, &q->filter, err)))
		goto out;
	if ((rc = vb_qparse_run(&q->parse, s, len, err)))
		goto out;
	if (!(q->words = calloc(VB_QUERY_MAX_SNIPPET_WORDS, sizeof(char *)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = analyse_words(&c, &q->parse)))
		goto out;
	if (!has_restrictions(&q->parse)) {
		number = number_query(q->parse.text, &rc, err);
		if (rc)
			goto out;
	}
	if (q->parse.root < 0 && !number) {
		q->match_all = 1;
		if (!(q->strict = vb_xquery_match_all(err)))
			rc = err ? err->code : VB_ENOMEM;
		goto out;
	}
	if ((q->number_only = number_only(&q->parse, number))) {
		for (size_t k = 0; k < q->parse.n_words; k++)
			add_snippet_word(&c, c.w[k].folded);
		if (!(top = phrase_of(c.w, q->parse.n_words, NULL, err))) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
	} else if (q->parse.root >= 0 && !(top = node_query(&c, q->parse.root, VB_XOP_AND))) {
		rc = set_rc(&c);
		goto out;
	}
	{
		vb_xquery *pair[2] = { top, number };

		if (!(q->strict = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, err))) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
	}
	/* relaxed: any of the words; for a number typed alone, all of its
	 * words anywhere ("978", "qđ", "ubnd" in any order), not any of them:
	 * a number nobody issued then finds nothing, not every "ubnd" */
	if (q->parse.root >= 0 && q->parse.n_words > 1) {
		vb_xquery *rel = node_query(&c, q->parse.root,
					    q->number_only ? VB_XOP_AND : VB_XOP_OR);
		vb_xquery *pair[2] = { rel, number };

		if (!rel) {
			rc = set_rc(&c);
			goto out;
		}
		q->relaxed = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, err);
		vb_xquery_free(rel);
		if (!q->relaxed)
			rc = err ? err->code : VB_ENOMEM;
	}
	if (!rc)
		rc = c.rc;
	if (!rc)
		rc = vb_query_expand_places(q, req, syn, err);
out:
	words_dispose(&c);
	vb_xquery_free(number);
	vb_xquery_free(top);
	return rc;
}

void vb_query_dispose(vb_query *q)
{
	if (!q)
		return;
	vb_xquery_free(q->strict);
	vb_xquery_free(q->relaxed);
	vb_xquery_free(q->filter);
	for (size_t i = 0; i < q->n_words; i++)
		free(q->words[i]);
	free(q->words);
	vb_qparse_dispose(&q->parse);
	memset(q, 0, sizeof(*q));
}
