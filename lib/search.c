/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search requests and results (search.h) and their execution against a
 * Xapian reader (vb_search_run, declared in query.h): builds the queries,
 * runs the strict one and, when it finds nothing, the relaxed one, converts
 * the wrapper's hits and facet counts into a vb_search_result, and asks
 * suggest.c for "did you mean".
 */
#include "search.h"

#include "docnum.h"
#include "indexdoc.h"
#include "query.h"
#include "suggest.h"
#include "synonyms.h"
#include "text.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define FACET_MAX_VALUES 50
#define DEFAULT_PER_PAGE 20

void vb_search_req_init(vb_search_req *req)
{
	memset(req, 0, sizeof(*req));
	req->sort = VB_SORT_RELEVANCE;
	req->limit = DEFAULT_PER_PAGE;
}

void vb_search_result_init(vb_search_result *res)
{
	memset(res, 0, sizeof(*res));
}

void vb_search_result_dispose(vb_search_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_hits; i++)
		free(res->hits[i].data);
	free(res->hits);
	for (int f = 0; f < VB_FACET_COUNT; f++) {
		for (size_t i = 0; i < res->facets[f].n; i++)
			free(res->facets[f].values[i].value);
		free(res->facets[f].values);
	}
	for (size_t i = 0; i < res->n_words; i++)
		free(res->words[i]);
	free(res->words);
	free(res->suggestion);
	vb_search_result_init(res);
}

const char *vb_facet_name(enum vb_facet_field f)
{
	switch (f) {
	case VB_FACET_FORM: return "form";
	case VB_FACET_ISSUER: return "issuer";
	case VB_FACET_YEAR: return "year";
	case VB_FACET_STATUS: return "status";
	default: return "unknown";
	}
}

static const unsigned facet_slot[VB_FACET_COUNT] = {
	[VB_FACET_FORM] = VB_SLOT_FORM,
	[VB_FACET_ISSUER] = VB_SLOT_ISSUER,
	[VB_FACET_YEAR] = VB_SLOT_YEAR,
	[VB_FACET_STATUS] = VB_SLOT_STATUS,
};

/* The "id" member of a hit's JSON data, or 0. */
static int64_t data_id(const char *data, size_t len)
{
	json_t *o = json_loadb(data, len, 0, NULL);
	int64_t id = 0;

	if (o && json_is_integer(json_object_get(o, "id")))
		id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return id;
}

/* Move the wrapper's result into res. */
static int convert(vb_xap_result *xr, int sorted_by_date, vb_search_result *res,
		   vb_error *err)
{
	res->total = xr->total;
	if (xr->n_hits) {
		res->hits = calloc(xr->n_hits, sizeof(vb_hit));
		if (!res->hits)
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		for (size_t i = 0; i < xr->n_hits; i++) {
			vb_hit *h = &res->hits[i];

			h->id = data_id(xr->hits[i].data, xr->hits[i].data_len);
			h->score = sorted_by_date ? 0.0 : xr->hits[i].weight;
			h->docid = xr->hits[i].docid;
			h->data = xr->hits[i].data; /* stolen */
			xr->hits[i].data = NULL;
			res->n_hits++;
		}
	}
	for (int f = 0; f < VB_FACET_COUNT; f++) {
		size_t n = xr->n_facet_values[f];

		if (!n)
			continue;
		res->facets[f].values = calloc(n, sizeof(vb_facet_value));
		if (!res->facets[f].values)
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++) {
			res->facets[f].values[i].value = xr->facets[f][i].value; /* stolen */
			res->facets[f].values[i].count = xr->facets[f][i].count;
			xr->facets[f][i].value = NULL;
			res->facets[f].n++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* "QĐ 05/2023": a kind and a number without the issuer part */

#define ABBR_NUMBER_MAX_TERMS 16
#define NUMBER_BOOST 50.0

typedef struct xn_ctx {
	size_t plen;
	char terms[ABBR_NUMBER_MAX_TERMS][VB_XAP_TERM_MAX + 1];
	size_t n;
} xn_ctx;

/* Keep "XN<prefix>" itself and "XN<prefix>-...". */
static int xn_cb(const char *term, size_t len, size_t freq, void *ud)
{
	xn_ctx *x = ud;

	(void)freq;
	if (len > VB_XAP_TERM_MAX || x->n >= ABBR_NUMBER_MAX_TERMS)
		return x->n >= ABBR_NUMBER_MAX_TERMS;
	if (len == x->plen || term[x->plen] == '-') {
		memcpy(x->terms[x->n], term, len);
		x->terms[x->n][len] = '\0';
		x->n++;
	}
	return 0;
}

/* Whether s is "digits[letters]/YYYY" (a number without its kind). */
static int number_year(const char *s, size_t n)
{
	size_t i = 0, d = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	if (!d || i + 5 != n || s[i] != '/')
		return 0;
	for (i++; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Add to x the number terms for abbreviation abbr + number num. */
static void abbr_number_terms(vb_xap_reader *r, const char *abbr, const char *num, xn_ctx *x)
{
	char joined[256], prefix[VB_XAP_TERM_MAX + 1];
	char *canon;

	snprintf(joined, sizeof(joined), "%s/%s", num, abbr);
	if (!(canon = vb_docnum_canonical(joined)))
		return;
	if (strlen(canon) + 3 <= VB_XAP_TERM_MAX) {
		snprintf(prefix, sizeof(prefix), "%s%s", VB_PREFIX_NUMBER, canon);
		x->plen = strlen(prefix);
		vb_xap_reader_terms(r, prefix, 2000, xn_cb, x, NULL);
	}
	free(canon);
}

/* For a query with "<kind> <n>/<year>" (QĐ 05/2023, Thông tư 3/2021): the
 * OR of the "XN" terms of the documents whose number starts that way,
 * heavily weighted, or NULL. */
static vb_xquery *abbr_number_query(vb_xap_reader *r, const vb_query *q,
				    const vb_synonyms *syn, vb_error *err)
{
	const vb_qparse *p = &q->parse;
	xn_ctx x;
	vb_xquery *t[ABBR_NUMBER_MAX_TERMS] = { 0 }, *any = NULL, *res = NULL;

	memset(&x, 0, sizeof(x));
	for (size_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].type == VB_QN_NOT || p->nodes[i].type == VB_QN_FIELD)
			return NULL;
	for (const char *s = p->text; *s;) {
		const char *e;
		char num[64];

		while (*s == ' ')
			s++;
		for (e = s; *e && *e != ' '; e++)
			;
		if (e > s && number_year(s, (size_t)(e - s)) && (size_t)(e - s) < sizeof(num)) {
			char *folded[VB_SYN_MAX_WORDS];
			size_t nb = 0;

			memcpy(num, s, (size_t)(e - s));
			num[e - s] = '\0';
			/* the words just before the number */
			for (size_t k = 0; k < p->n_words; k++)
				if (p->words[k].start + p->words[k].len <= (size_t)(s - p->text))
					nb = k + 1;
			if (nb) {
				const vb_qspan *w = &p->words[nb - 1];
				char abbr[64];

				if (w->len < sizeof(abbr)) {
					memcpy(abbr, p->text + w->start, w->len);
					abbr[w->len] = '\0';
					abbr_number_terms(r, abbr, num, &x);
				}
			}
			for (size_t k = 1; syn && k <= 4 && k <= nb; k++) {
				size_t g, a, nf = 0;
				int ok = 1;

				for (size_t j = nb - k; j < nb; j++) {
					folded[nf] = vb_text_fold(p->text + p->words[j].start,
								  p->words[j].len);
					ok &= folded[nf++] != NULL;
				}
				if (ok && vb_synonyms_match(syn, folded, nf, &g, &a) == nf) {
					const vb_syn_group *gr = vb_synonyms_group(syn, g);

					for (size_t m = 0; m < gr->n; m++)
						if (gr->alts[m].n == 1 && m != a)
							abbr_number_terms(r, gr->alts[m].text, num, &x);
				}
				for (size_t j = 0; j < nf; j++)
					free(folded[j]);
			}
		}
		s = e;
	}
	if (!x.n)
		return NULL;
	for (size_t i = 0; i < x.n; i++)
		if (!(t[i] = vb_xquery_term(x.terms[i], 1, err)))
			goto out;
	if ((any = vb_xquery_combine(VB_XOP_OR, t, x.n, 0, err)))
		res = vb_xquery_scale(any, NUMBER_BOOST, err);
out:
	for (size_t i = 0; i < x.n; i++)
		vb_xquery_free(t[i]);
	vb_xquery_free(any);
	return res;
}

/* q := OR(q, extra); on failure q is kept. */
static void or_into(vb_xquery **q, const vb_xquery *extra)
{
	vb_xquery *pair[2] = { *q, (vb_xquery *)extra }, *r;

	if (!*q || !extra)
		return;
	if ((r = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, NULL))) {
		vb_xquery_free(*q);
		*q = r;
	}
}

/* ------------------------------------------------------------------ */

int vb_search_run(vb_xap_reader *r, const vb_search_req *req,
		  vb_search_result *res, vb_error *err)
{
	vb_query q;
	vb_xap_search s;
	vb_xap_result xr;
	vb_synonyms *shared = NULL;
	const vb_synonyms *syn = NULL;
	size_t max_offset = (size_t)VB_SEARCH_MAX_PAGE * VB_SEARCH_MAX_PER_PAGE;
	int rc, sorted_by_date;

	vb_xap_result_init(&xr);
	if (!req->no_synonyms) {
		syn = req->synonyms;
		if (!syn)
			syn = shared = vb_synonyms_shared(NULL);
	}
	if ((rc = vb_query_build(&q, req, syn, err)))
		goto out;
	if (!q.match_all) {
		vb_xquery *xn = abbr_number_query(r, &q, syn, NULL);

		or_into(&q.strict, xn);
		or_into(&q.relaxed, xn);
		vb_xquery_free(xn);
	}

	memset(&s, 0, sizeof(s));
	s.query = q.strict;
	s.filter = q.filter;
	s.sort_slot = req->no_status_rank ? VB_SLOT_ISSUED : VB_SLOT_RANK;
	switch (req->sort) {
	case VB_SORT_ISSUED_ASC:
		s.sort = VB_XSORT_VALUE_ASC;
		s.sort_slot = VB_SLOT_ISSUED;
		break;
	case VB_SORT_ISSUED_DESC:
		s.sort = VB_XSORT_VALUE_DESC;
		s.sort_slot = VB_SLOT_ISSUED;
		break;
	default:
		s.sort = VB_XSORT_RELEVANCE;
		if (q.match_all) {
			s.sort = VB_XSORT_VALUE_DESC;
			s.sort_slot = VB_SLOT_ISSUED;
		}
		break;
	}
	sorted_by_date = s.sort != VB_XSORT_RELEVANCE;
	s.offset = req->offset > max_offset ? max_offset : req->offset;
	s.limit = req->limit > VB_SEARCH_MAX_PER_PAGE ? VB_SEARCH_MAX_PER_PAGE : req->limit;
	for (int f = 0; f < VB_FACET_COUNT; f++)
		s.facet_slots[f] = facet_slot[f];
	s.n_facets = VB_FACET_COUNT;
	s.facet_max = FACET_MAX_VALUES;

	if ((rc = vb_xap_reader_search(r, &s, &xr, err)))
		goto out;
	if (xr.total == 0 && q.relaxed) {
		vb_xap_result_dispose(&xr);
		s.query = q.relaxed;
		if ((rc = vb_xap_reader_search(r, &s, &xr, err)))
			goto out;
		res->relaxed = 1;
	}
	if ((rc = convert(&xr, sorted_by_date, res, err)))
		goto out;
	for (size_t i = 0; i < q.parse.n_warnings && i < VB_SEARCH_MAX_WARNINGS; i++) {
		snprintf(res->warnings[i].code, sizeof(res->warnings[i].code), "%s",
			 q.parse.warnings[i].code);
		snprintf(res->warnings[i].msg, sizeof(res->warnings[i].msg), "%s",
			 q.parse.warnings[i].msg);
		res->n_warnings++;
	}
	/* a document number that was found needs no other spelling */
	if (!req->no_suggest && !(q.number_only && res->total > 0))
		vb_suggest(r, req, &q, res);
	res->words = q.words; /* stolen */
	res->n_words = q.n_words;
	q.words = NULL;
	q.n_words = 0;
out:
	vb_xap_result_dispose(&xr);
	vb_query_dispose(&q);
	vb_synonyms_free(shared);
	return rc;
}
