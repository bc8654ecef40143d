/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Former place names of the portal searched (query_int.h, search.h
 * vb_search_place, docs/portals.md): a query naming one also finds that
 * place's documents.
 */
#include "query_int.h"

#include "indexdoc.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define PLACE_MAX_WORDS 8

typedef struct word_spans {
	vb_token t[VB_QUERY_MAX_WORDS];
	size_t n;
} word_spans;

static int span_cb(const char *s, const vb_token *tok, void *ud)
{
	word_spans *w = ud;

	(void)s;
	if (w->n == VB_QUERY_MAX_WORDS)
		return 1;
	w->t[w->n++] = *tok;
	return 0;
}

/* Where the words of place (folded) appear in a row in text (folded):
 * 1 with [*start, *end) the bytes they cover, else 0. */
static int find_words(const char *text, const char *place, size_t *start, size_t *end)
{
	word_spans tw, pw;

	tw.n = pw.n = 0;
	vb_text_tokenize(text, strlen(text), span_cb, &tw);
	vb_text_tokenize(place, strlen(place), span_cb, &pw);
	if (!pw.n || pw.n > PLACE_MAX_WORDS)
		return 0;
	for (size_t i = 0; i + pw.n <= tw.n; i++) {
		size_t k;

		for (k = 0; k < pw.n; k++)
			if (tw.t[i + k].len != pw.t[k].len ||
			    memcmp(text + tw.t[i + k].start, place + pw.t[k].start, pw.t[k].len))
				break;
		if (k == pw.n) {
			*start = tw.t[i].start;
			*end = tw.t[i + k - 1].start + tw.t[i + k - 1].len;
			return 1;
		}
	}
	return 0;
}

/* A query naming a former place of the portal ("Hồng Hà" on the portal of
 * the ward it was merged into) also finds the documents of that place's
 * issuers that match the rest of the query: strict becomes
 * OR(strict, FILTER(rest of the query, the place's issuers)).  The rest is
 * searched folded (the accents only weigh, they do not select). */
int vb_query_expand_places(vb_query *q, const vb_search_req *req, const vb_synonyms *syn,
			   vb_error *err)
{
	char *text = NULL;
	int rc = 0;

	if (!req->n_places || !req->q || !*req->q)
		return 0;
	if (!(text = vb_text_fold(req->q, strlen(req->q))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (size_t i = 0; i < req->n_places && i < VB_SEARCH_MAX_PLACES && !rc; i++) {
		const vb_search_place *pl = &req->places[i];
		vb_search_req sub;
		vb_query sq;
		vb_xquery *t[VB_SEARCH_MAX_SCOPE], *iss = NULL, *alt = NULL, *pair[2], *ns;
		size_t start, end, nt = 0;
		char *pf, *rest;

		if (!pl->name || !pl->n_issuers)
			continue;
		if (!(pf = vb_text_fold(pl->name, strlen(pl->name)))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			break;
		}
		if (!find_words(text, pf, &start, &end)) {
			free(pf);
			continue;
		}
		free(pf);
		if (!(rest = malloc(strlen(text) + 2))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			break;
		}
		memcpy(rest, text, start);
		rest[start] = ' ';
		strcpy(rest + start + 1, text + end);
		vb_search_req_init(&sub);
		sub.q = rest;
		sub.no_synonyms = req->no_synonyms;
		sub.synonyms = req->synonyms;
		sub.no_suggest = 1;
		rc = vb_query_build(&sq, &sub, syn, err);
		free(rest);
		for (size_t k = 0; !rc && k < pl->n_issuers && nt < VB_SEARCH_MAX_SCOPE; k++) {
			char *term = vb_indexdoc_filter_term(VB_PREFIX_ISSUER, pl->issuers[k]);

			if (!term || !(t[nt] = vb_xquery_term(term, 1, err)))
				rc = term ? (err ? err->code : VB_ENOMEM) :
					    vb_error_set(err, VB_ENOMEM, "out of memory");
			else
				nt++;
			free(term);
		}
		if (!rc && !(iss = vb_xquery_combine(VB_XOP_OR, t, nt, 0, err)))
			rc = err ? err->code : VB_ENOMEM;
		query_free_all(t, nt);
		if (!rc) {
			pair[0] = sq.strict;
			pair[1] = iss;
			if (!(alt = vb_xquery_combine(VB_XOP_FILTER, pair, 2, 0, err)))
				rc = err ? err->code : VB_ENOMEM;
		}
		if (!rc) {
			pair[0] = q->strict;
			pair[1] = alt;
			if (!(ns = vb_xquery_combine(VB_XOP_OR, pair, 2, 0, err))) {
				rc = err ? err->code : VB_ENOMEM;
			} else {
				vb_xquery_free(q->strict);
				q->strict = ns;
			}
		}
		vb_xquery_free(alt);
		vb_xquery_free(iss);
		vb_query_dispose(&sq);
	}
	free(text);
	return rc;
}
