/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search request and result shared by the daemon (which fills the
 * request from HTTP parameters and renders the result) and the index side
 * (which executes it against Xapian; see xap.h).
 */
#ifndef VB_SEARCH_H
#define VB_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "document.h"

#define VB_SEARCH_MAX_QUERY 1024     /* bytes of q */
#define VB_SEARCH_MAX_FILTER_VALUES 32 /* values per filter field */
#define VB_SEARCH_MAX_PER_PAGE 100
#define VB_SEARCH_MAX_PAGE 1000
#define VB_SEARCH_MAX_WARNINGS 4
#define VB_SEARCH_MAX_SCOPE 1024     /* issuers of a portal scope (portal.h) */
#define VB_SEARCH_MAX_PLACES 64      /* former place names of a portal */

struct vb_synonyms;

/* A former place name of the portal searched (portal.h): a query that
 * contains name as whole words also matches the documents of these
 * issuers that match the rest of the query.  Borrowed strings. */
typedef struct vb_search_place {
	const char *name;
	const char *const *issuers;
	size_t n_issuers;
} vb_search_place;

enum vb_sort { VB_SORT_RELEVANCE = 0, VB_SORT_ISSUED_ASC, VB_SORT_ISSUED_DESC };

/* Facet fields, in the order they appear in results. */
enum vb_facet_field { VB_FACET_FORM = 0, VB_FACET_ISSUER, VB_FACET_YEAR,
		      VB_FACET_STATUS, VB_FACET_COUNT };

typedef struct vb_search_req {
	const char *q;                     /* may be NULL or "": match all */
	/* Filters: OR within a field, AND across fields.  Borrowed strings. */
	const char *forms[VB_SEARCH_MAX_FILTER_VALUES];
	size_t n_forms;
	const char *issuers[VB_SEARCH_MAX_FILTER_VALUES];
	size_t n_issuers;
	int years[VB_SEARCH_MAX_FILTER_VALUES];
	size_t n_years;
	const char *statuses[VB_SEARCH_MAX_FILTER_VALUES]; /* status codes */
	size_t n_statuses;
	char issued_from[VB_DATE_LEN];     /* "" = open */
	char issued_to[VB_DATE_LEN];
	char in_force_on[VB_DATE_LEN];     /* "" = any; else documents in force
					      that day (lib/indexdoc.h slots 7, 8) */
	enum vb_sort sort;
	size_t offset;                     /* (page - 1) * per_page */
	size_t limit;                      /* per_page */
	/* Ranking switches (API: prefer_in_force=0, synonyms=0). */
	int no_status_rank;                /* 1: ties by date only, not by
					      validity (in force first) */
	int no_synonyms;                   /* 1: no synonym expansion */
	/* Synonym table (borrowed; see synonyms.h), NULL = the shared table
	 * of vb_synonyms_shared(NULL). */
	const struct vb_synonyms *synonyms;
	int no_suggest;                    /* 1: skip "did you mean" */
	/* Portal scope (portal.h): when has_scope, only documents of these
	 * issuers (none: nothing), on top of the filters; the list may be
	 * longer than a filter (at most VB_SEARCH_MAX_SCOPE).  Borrowed. */
	int has_scope;
	const char *const *scope_issuers;
	size_t n_scope_issuers;
	const vb_search_place *places;     /* at most VB_SEARCH_MAX_PLACES */
	size_t n_places;
} vb_search_req;

typedef struct vb_facet_value {
	char *value;                       /* form, issuer, year or status code */
	size_t count;                      /* exact count over all matches */
} vb_facet_value;

typedef struct vb_facet {
	vb_facet_value *values;            /* most frequent first */
	size_t n;
} vb_facet;

typedef struct vb_hit {
	int64_t id;
	double score;                      /* relevance weight (0 when sorted) */
	char *data;                        /* JSON object stored at index time */
	unsigned docid;                    /* in the reader that found it */
} vb_hit;

typedef struct vb_search_result {
	size_t total;                      /* exact number of matches */
	vb_hit *hits;
	size_t n_hits;
	vb_facet facets[VB_FACET_COUNT];
	/* The query words as searched, folded (no diacritics), for snippets. */
	char **words;
	size_t n_words;
	int relaxed;                       /* 1: no doc had all words, OR used */
	/* Problems with the query text (it was then searched as plain words
	 * or cut); code is stable ("syntax", "truncated"), msg is English. */
	struct {
		char code[24];
		char msg[160];
	} warnings[VB_SEARCH_MAX_WARNINGS];
	size_t n_warnings;
	/* "Did you mean": the whole query rewritten (NFC), or NULL.  kind is
	 * "accents" (an unaccented query with its most likely diacritics from
	 * the index vocabulary) or "spelling" (typos corrected because the
	 * query found little). */
	char *suggestion;
	const char *suggestion_kind;       /* static string, NULL with no
					      suggestion */
	size_t suggestion_total;           /* matches of the suggestion, when
					      known (0 otherwise) */
} vb_search_result;

void vb_search_req_init(vb_search_req *req);
void vb_search_result_init(vb_search_result *res);
void vb_search_result_dispose(vb_search_result *res);

/* Name of a facet field as used in the API ("form", "issuer", ...). */
const char *vb_facet_name(enum vb_facet_field f);

#endif
