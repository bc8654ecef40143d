/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search requests and results (search.h) and their execution against a
 * Xapian reader (vb_search_run, declared in query.h): builds the queries,
 * runs the strict one and, when it finds nothing, the relaxed one, and
 * converts the wrapper's hits and facet counts into a vb_search_result.
 */
#include "search.h"

#include "indexdoc.h"
#include "query.h"
#include "xap.h"

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

int vb_search_run(vb_xap_reader *r, const vb_search_req *req,
		  vb_search_result *res, vb_error *err)
{
	vb_query q;
	vb_xap_search s;
	vb_xap_result xr;
	size_t max_offset = (size_t)VB_SEARCH_MAX_PAGE * VB_SEARCH_MAX_PER_PAGE;
	int rc, sorted_by_date;

	vb_xap_result_init(&xr);
	if ((rc = vb_query_build(&q, req, err)))
		goto out;

	memset(&s, 0, sizeof(s));
	s.query = q.strict;
	s.filter = q.filter;
	s.sort_slot = VB_SLOT_ISSUED;
	switch (req->sort) {
	case VB_SORT_ISSUED_ASC:
		s.sort = VB_XSORT_VALUE_ASC;
		break;
	case VB_SORT_ISSUED_DESC:
		s.sort = VB_XSORT_VALUE_DESC;
		break;
	default:
		s.sort = q.match_all ? VB_XSORT_VALUE_DESC : VB_XSORT_RELEVANCE;
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
	res->words = q.words; /* stolen */
	res->n_words = q.n_words;
	q.words = NULL;
	q.n_words = 0;
out:
	vb_xap_result_dispose(&xr);
	vb_query_dispose(&q);
	return rc;
}
