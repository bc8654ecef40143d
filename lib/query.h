/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From a search request (search.h) to Xapian queries (xap.h), mirroring the
 * indexing conventions of indexdoc.h, and running them.
 *
 * The query text is parsed by qparse.h (phrases, AND / OR / NOT, -word,
 * field prefixes, date ranges; a malformed query degrades to plain words
 * with a warning).  Then, for each run of plain words:
 *  - a word without diacritics matches its folded term; a word with
 *    diacritics matches OR(exact "XE" term x2, folded term), so documents
 *    spelled exactly like the query rank first and unaccented text still
 *    matches;
 *  - words that spell an alternative of a synonym group (synonyms.h) match
 *    OR(what was typed, every other alternative x0.7), multi-word
 *    alternatives as phrases (folded, and exact when accented);
 *  - the words are combined with AND, boosted (AND_MAYBE) by the folded
 *    bigram terms "XB" of adjacent words (two syllables written as one
 *    Vietnamese word) and by the whole run as a phrase (folded and exact).
 * Quoted phrases match as phrases (folded, exact x2 when accented).  Field
 * prefixes become weightless filters.  A query that looks like a document
 * number also matches its "XN" canonical-number term with a large weight.
 * When nothing has all the words, the search falls back to OR of the words
 * (result flagged "relaxed"); field restrictions and exclusions stay.
 * Request filters: OR within a field, AND across fields; the issue-date
 * range is a value range on VB_SLOT_ISSUED; a portal scope (has_scope,
 * scope_issuers) is one more AND-ed OR of issuer terms.  A former place
 * name of the portal (req->places) found as whole words in the query also
 * matches the documents of that place's issuers that match the rest of the
 * query (docs/portals.md).
 */
#ifndef VB_QUERY_H
#define VB_QUERY_H

#include <stddef.h>

#include "error.h"
#include "qparse.h"
#include "search.h"
#include "synonyms.h"
#include "xap.h"

#define VB_QUERY_MAX_WORDS VB_QPARSE_MAX_WORDS /* further words are ignored */
#define VB_QUERY_MAX_SNIPPET_WORDS 64

typedef struct vb_query {
	vb_xquery *strict;   /* AND of the words (+ boosts, number) */
	vb_xquery *relaxed;  /* OR of the words, or NULL when it cannot help */
	vb_xquery *filter;   /* NULL when the request has no filter */
	int match_all;       /* nothing to search: every document */
	int number_only;     /* the query is one document number and nothing
			      * else ("12/2023/QĐ-UBND"): its number term, or
			      * its words as that sequence */
	int has_fields;      /* the query used field prefixes */
	char **words;        /* folded words to mark in snippets (the query's
				and their synonyms'), deduplicated, in order */
	size_t n_words;
	vb_qparse parse;     /* the parsed query (words, warnings) */
} vb_query;

/* Build the queries for req into q (caller-owned, disposed with
 * vb_query_dispose even on error), expanding synonyms from syn (may be
 * NULL: no expansion).  VB_ETOOBIG when q exceeds VB_SEARCH_MAX_QUERY
 * bytes, VB_EINVAL for a malformed date filter of the request (never for
 * the query text), VB_ENOMEM, VB_EINDEX. */
int vb_query_build(vb_query *q, const vb_search_req *req, const vb_synonyms *syn,
		   vb_error *err);
void vb_query_dispose(vb_query *q);

/* Run req against the index open in r and fill res (initialised by the
 * caller with vb_search_result_init; disposed by the caller also on
 * error).  Exact total; facets (form, issuer, year, status) with exact
 * counts over all matches, at most 50 values each, most frequent first.
 * Hits carry the document id, the relevance weight (0 when sorted by date)
 * and the JSON data stored at index time.  Relevance ties are broken by
 * validity (in force first) then issue date, unless req->no_status_rank.
 * Also fills res->warnings (query syntax problems), res->suggestion ("did
 * you mean": accents restored from the index vocabulary for an unaccented
 * query, typo corrections when the query finds little).  Synonyms:
 * req->synonyms, or when NULL (and not req->no_synonyms) the shared table
 * of vb_synonyms_shared(NULL).  limit is capped at VB_SEARCH_MAX_PER_PAGE,
 * offset at VB_SEARCH_MAX_PAGE pages.  Errors as vb_query_build, plus
 * VB_EINDEX / VB_EAGAIN from the index.  Uses only r: call from the thread
 * that owns r. */
int vb_search_run(vb_xap_reader *r, const vb_search_req *req,
		  vb_search_result *res, vb_error *err);

#endif
