/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Query building (contract in query.h): tokenises the query string with the
 * same normalisation as the indexer (text.h), builds the strict (AND +
 * phrase boost + number look-up) and relaxed (OR) Xapian queries and the
 * filter query from the request's facet filters and date range.
 */
#include "query.h"

#include "docnum.h"
#include "indexdoc.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_BOOST 2.0   /* exact-diacritic match over folded match */
#define NUMBER_BOOST 50.0 /* "XN" number term: the document comes first */

/* One query word: its folded and (when accented) exact terms. */
typedef struct qword {
	char *folded;
	char *exact;   /* "XE..." or NULL */
} qword;

typedef struct words_ctx {
	qword w[VB_QUERY_MAX_WORDS];
	size_t n;
	int rc;
} words_ctx;

static int collect_word(const char *s, const vb_token *tok, void *ud)
{
	words_ctx *c = ud;
	const char *w = s + tok->start;
	size_t n = tok->len;
	char *folded, *exact;

	if (c->n >= VB_QUERY_MAX_WORDS)
		return 1;
	if (n > VB_WORD_MAX_BYTES) {
		n = VB_WORD_MAX_BYTES;
		while (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80)
			n--;
	}
	if (!n)
		return 0;
	folded = vb_text_fold(w, n);
	if (!folded) {
		c->rc = VB_ENOMEM;
		return 1;
	}
	if (!*folded) {
		free(folded);
		return 0;
	}
	vb_indexdoc_fold_digits(folded);
	c->w[c->n].folded = folded;
	if (vb_text_has_diacritics(w, n)) {
		exact = vb_text_exact_term(w, n);
		if (!exact) {
			c->n++;
			c->rc = VB_ENOMEM;
			return 1;
		}
		c->w[c->n].exact = malloc(strlen(exact) + 3);
		if (c->w[c->n].exact)
			sprintf(c->w[c->n].exact, "%s%s", VB_PREFIX_EXACT, exact);
		free(exact);
		if (!c->w[c->n].exact) {
			c->n++;
			c->rc = VB_ENOMEM;
			return 1;
		}
	}
	c->n++;
	return 0;
}

static void words_dispose(words_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->w[i].folded);
		free(c->w[i].exact);
	}
	c->n = 0;
}

/* Free an array of query handles. */
static void free_all(vb_xquery **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vb_xquery_free(v[i]);
}

/* The query of one word: folded, or OR(exact x2, folded). */
static vb_xquery *word_query(const qword *w, vb_error *err)
{
	vb_xquery *f = NULL, *e = NULL, *es = NULL, *r = NULL;

	if (!(f = vb_xquery_term(w->folded, 1, err)))
		goto out;
	if (!w->exact) {
		r = f;
		f = NULL;
		goto out;
	}
	if (!(e = vb_xquery_term(w->exact, 1, err)) ||
	    !(es = vb_xquery_scale(e, EXACT_BOOST, err)))
		goto out;
	{
		vb_xquery *pair[2] = { es, f };

		r = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, err);
	}
out:
	vb_xquery_free(f);
	vb_xquery_free(e);
	vb_xquery_free(es);
	return r;
}

/* PHRASE of the words' folded terms (exact = 0) or of their exact terms
 * where accented (exact = 1). */
static vb_xquery *phrase_query(const words_ctx *c, int exact, vb_error *err)
{
	vb_xquery *t[VB_QUERY_MAX_WORDS] = { 0 };
	vb_xquery *r = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const char *term = exact && c->w[i].exact ? c->w[i].exact : c->w[i].folded;

		if (!(t[i] = vb_xquery_term(term, 1, err)))
			goto out;
	}
	r = vb_xquery_combine(VB_XOP_PHRASE, t, c->n, (unsigned)c->n, err);
out:
	free_all(t, c->n);
	return r;
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
		char term[VB_XAP_TERM_MAX + 1];
		int dup = 0;

		if (!cands[i])
			continue;
		for (size_t k = 0; k < i; k++)
			dup |= cands[k] && !strcmp(cands[k], cands[i]);
		if (dup || strlen(cands[i]) + 2 > VB_XAP_TERM_MAX)
			continue;
		snprintf(term, sizeof(term), "%s%s", VB_PREFIX_NUMBER, cands[i]);
		if (!(t[n] = vb_xquery_term(term, 1, err))) {
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
	free_all(t, n);
	vb_xquery_free(any);
	return r;
}

/* combine op over words: each word query, then AND_MAYBE the phrase
 * boosts, then OR in the number query. */
static vb_xquery *words_query(const words_ctx *c, enum vb_xop op,
			      const vb_xquery *number, vb_error *err)
{
	vb_xquery *wq[VB_QUERY_MAX_WORDS] = { 0 };
	vb_xquery *base = NULL, *ph = NULL, *phx = NULL, *boosted = NULL, *r = NULL;
	int accented = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!(wq[i] = word_query(&c->w[i], err)))
			goto out;
		accented |= c->w[i].exact != NULL;
	}
	if (c->n) {
		if (!(base = vb_xquery_combine(op, wq, c->n, 0, err)))
			goto out;
		if (c->n > 1) {
			vb_xquery *parts[3];

			if (!(ph = phrase_query(c, 0, err)))
				goto out;
			if (accented && !(phx = phrase_query(c, 1, err)))
				goto out;
			parts[0] = base;
			parts[1] = ph;
			parts[2] = phx;
			if (!(boosted = vb_xquery_combine(VB_XOP_AND_MAYBE, parts,
							  phx ? 3 : 2, 0, err)))
				goto out;
		}
	}
	{
		vb_xquery *top = boosted ? boosted : base;

		if (number) {
			vb_xquery *pair[2] = { top, (vb_xquery *)number };

			r = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, err);
		} else if (top) {
			r = vb_xquery_combine(VB_XOP_OR, &top, 1, 0, err);
		} else {
			r = vb_xquery_match_nothing(err);
		}
	}
out:
	free_all(wq, c->n);
	vb_xquery_free(base);
	vb_xquery_free(ph);
	vb_xquery_free(phx);
	vb_xquery_free(boosted);
	return r;
}

/* OR of boolean filter terms for one field; *out stays NULL when the field
 * has no values. */
static int field_filter(const char *prefix, const char *const *values, size_t n,
			vb_xquery **out, vb_error *err)
{
	vb_xquery *t[VB_SEARCH_MAX_FILTER_VALUES] = { 0 };
	size_t k = 0;
	int rc = 0;

	*out = NULL;
	if (n > VB_SEARCH_MAX_FILTER_VALUES)
		return vb_error_set(err, VB_ETOOBIG, "too many filter values (at most %d)",
				    VB_SEARCH_MAX_FILTER_VALUES);
	for (size_t i = 0; i < n; i++) {
		char *term;

		if (!values[i] || !*values[i])
			continue;
		if (!(term = vb_indexdoc_filter_term(prefix, values[i]))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		t[k] = vb_xquery_term(term, 1, err);
		free(term);
		if (!t[k]) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
		k++;
	}
	if (k && !(*out = vb_xquery_combine(VB_XOP_OR, t, k, 0, err)))
		rc = err ? err->code : VB_ENOMEM;
out:
	free_all(t, k);
	return rc;
}

/* "YYYY-MM-DD" -> "YYYYMMDD"; VB_EINVAL when malformed. */
static int date_key(const char *iso, char out[9], const char *what, vb_error *err)
{
	static const int digit_at[] = { 0, 1, 2, 3, 5, 6, 8, 9 };

	if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		goto bad;
	for (int i = 0; i < 8; i++) {
		char ch = iso[digit_at[i]];

		if (ch < '0' || ch > '9')
			goto bad;
		out[i] = ch;
	}
	out[8] = '\0';
	return 0;
bad:
	return vb_error_set(err, VB_EINVAL, "invalid %s date \"%s\": expected YYYY-MM-DD",
			    what, iso);
}

static int build_filter(vb_query *q, const vb_search_req *req, vb_error *err)
{
	vb_xquery *parts[5] = { 0 };
	const char *years[VB_SEARCH_MAX_FILTER_VALUES];
	char ybuf[VB_SEARCH_MAX_FILTER_VALUES][16];
	size_t np = 0, ny = req->n_years;
	int rc;

	if (ny > VB_SEARCH_MAX_FILTER_VALUES)
		return vb_error_set(err, VB_ETOOBIG, "too many filter values (at most %d)",
				    VB_SEARCH_MAX_FILTER_VALUES);
	for (size_t i = 0; i < ny; i++) {
		snprintf(ybuf[i], sizeof(ybuf[i]), "%04d", req->years[i]);
		years[i] = ybuf[i];
	}
	if ((rc = field_filter(VB_PREFIX_FORM, req->forms, req->n_forms, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_ISSUER, req->issuers, req->n_issuers, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_YEAR, years, ny, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_STATUS, req->statuses, req->n_statuses,
			       &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if (req->issued_from[0] || req->issued_to[0]) {
		char lo[9], hi[9];

		if (req->issued_from[0] &&
		    (rc = date_key(req->issued_from, lo, "issued_from", err)))
			goto out;
		if (req->issued_to[0] && (rc = date_key(req->issued_to, hi, "issued_to", err)))
			goto out;
		if (!(parts[np] = vb_xquery_value_range(VB_SLOT_ISSUED,
							req->issued_from[0] ? lo : NULL,
							req->issued_to[0] ? hi : NULL, err))) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
		np++;
	}
	if (np && !(q->filter = vb_xquery_combine(VB_XOP_AND, parts, np, 0, err)))
		rc = err ? err->code : VB_ENOMEM;
out:
	free_all(parts, np);
	return rc;
}

/* Fill q->words with the distinct folded words. */
static int copy_words(vb_query *q, const words_ctx *c, vb_error *err)
{
	if (!c->n)
		return 0;
	q->words = calloc(c->n, sizeof(char *));
	if (!q->words)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		int dup = 0;

		for (size_t k = 0; k < q->n_words; k++)
			dup |= !strcmp(q->words[k], c->w[i].folded);
		if (dup)
			continue;
		if (!(q->words[q->n_words] = strdup(c->w[i].folded)))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		q->n_words++;
	}
	return 0;
}

int vb_query_build(vb_query *q, const vb_search_req *req, vb_error *err)
{
	words_ctx c;
	vb_xquery *number = NULL;
	char *norm = NULL;
	const char *s = req->q ? req->q : "";
	size_t len = strlen(s);
	int rc = 0;

	memset(q, 0, sizeof(*q));
	memset(&c, 0, sizeof(c));
	if (len > VB_SEARCH_MAX_QUERY)
		return vb_error_set(err, VB_ETOOBIG, "query is too long (%zu bytes, at most %d)",
				    len, VB_SEARCH_MAX_QUERY);
	if ((rc = build_filter(q, req, err)))
		goto out;
	if (!(norm = vb_text_normalize(s, len))) {
		rc = vb_error_set(err, VB_ENOMEM, "could not normalise query");
		goto out;
	}
	vb_text_tokenize(norm, strlen(norm), collect_word, &c);
	if (c.rc) {
		rc = vb_error_set(err, c.rc, "could not analyse query");
		goto out;
	}
	if ((rc = copy_words(q, &c, err)))
		goto out;
	number = number_query(norm, &rc, err);
	if (rc)
		goto out;
	if (!c.n && !number) {
		q->match_all = 1;
		if (!(q->strict = vb_xquery_match_all(err)))
			rc = err ? err->code : VB_ENOMEM;
		goto out;
	}
	if (!(q->strict = words_query(&c, VB_XOP_AND, number, err))) {
		rc = err ? err->code : VB_ENOMEM;
		goto out;
	}
	if (c.n > 1 && !(q->relaxed = words_query(&c, VB_XOP_OR, number, err)))
		rc = err ? err->code : VB_ENOMEM;
out:
	words_dispose(&c);
	vb_xquery_free(number);
	free(norm);
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
	memset(q, 0, sizeof(*q));
}
