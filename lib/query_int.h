/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts of query building (query.h) kept in their own files.
 */
#ifndef VB_QUERY_INT_H
#define VB_QUERY_INT_H

#include "query.h"
#include "search.h"
#include "synonyms.h"
#include "xap.h"

static inline void query_free_all(vb_xquery **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vb_xquery_free(v[i]);
}

/* *out = the AND of the request's filters (facet values, issue date
 * range, portal scope, in_force_on), or NULL when it has none.  0, or
 * VB_EINVAL naming the bad value (date), VB_ETOOBIG, VB_ENOMEM. */
int vb_query_filter_build(const vb_search_req *req, vb_xquery **out, vb_error *err);

/* For each former place of req's portal named in req->q, q->strict
 * becomes OR(strict, FILTER(the rest of the query, the place's issuers)). */
int vb_query_expand_places(vb_query *q, const vb_search_req *req, const vb_synonyms *syn,
			   vb_error *err);

#endif
