/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From a search request (search.h) to Xapian queries (xap.h), mirroring the
 * indexing conventions of indexdoc.h, and running them.
 *
 * A query word without diacritics matches its folded term; a word with
 * diacritics matches OR(exact "XE" term weighted x2, folded term), so
 * documents spelled exactly like the query rank first while unaccented
 * text still matches.  Words are combined with AND, and documents where
 * they occur as a phrase are boosted (AND_MAYBE).  A query that looks like a
 * document number also matches its "XN" canonical-number term with a large
 * weight.  When nothing has all the words, the search falls back to OR
 * (result flagged "relaxed").  Filters: OR within a field, AND across
 * fields; the issue-date range is a value range on VB_SLOT_ISSUED.
 */
#ifndef VB_QUERY_H
#define VB_QUERY_H

#include <stddef.h>

#include "error.h"
#include "search.h"
#include "xap.h"

#define VB_QUERY_MAX_WORDS 32 /* further words of q are ignored */

typedef struct vb_query {
	vb_xquery *strict;   /* AND of the words (+ phrase boost, number) */
	vb_xquery *relaxed;  /* OR of the words, or NULL when it cannot help */
	vb_xquery *filter;   /* NULL when the request has no filter */
	int match_all;       /* q was empty */
	char **words;        /* folded query words, deduplicated, in order */
	size_t n_words;
} vb_query;

/* Build the queries for req into q (caller-owned, disposed with
 * vb_query_dispose even on error).  VB_ETOOBIG when q exceeds
 * VB_SEARCH_MAX_QUERY bytes, VB_EINVAL for a malformed date filter,
 * VB_ENOMEM, VB_EINDEX. */
int vb_query_build(vb_query *q, const vb_search_req *req, vb_error *err);
void vb_query_dispose(vb_query *q);

/* Run req against the index open in r and fill res (initialised by the
 * caller with vb_search_result_init; disposed by the caller also on
 * error).  Exact total; facets (form, issuer, year, status) with exact
 * counts over all matches, at most 50 values each, most frequent first.
 * Hits carry the document id, the relevance weight (0 when sorted by date)
 * and the JSON data stored at index time.  limit is capped at
 * VB_SEARCH_MAX_PER_PAGE, offset at VB_SEARCH_MAX_PAGE pages.
 * Errors as vb_query_build, plus VB_EINDEX / VB_EAGAIN from the index.
 * Uses only r: call from the thread that owns r. */
int vb_search_run(vb_xap_reader *r, const vb_search_req *req,
		  vb_search_result *res, vb_error *err);

#endif
