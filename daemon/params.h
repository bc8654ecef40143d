/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search parameters: turning the (already URL-decoded) query-string pairs
 * of /api/v1/search and /search into a validated vb_search_req.  Pure and
 * thread-safe: no I/O, no allocation; the request borrows the value
 * strings, which must outlive it (MHD keeps them for the whole request).
 *
 * Parameters: q (the query language of qparse.h: phrases, AND / OR / NOT,
 * -word, field prefixes; never refused for its syntax, only for its size
 * or encoding), form, issuer, year, status (the four filters may repeat:
 * OR within a field, AND across fields), issued_from, issued_to,
 * in_force_on (YYYY-MM-DD: documents in force that day), sort,
 * page, per_page, and the ranking switches prefer_in_force=0|1 (relevance
 * ties: documents in force first; absent = the configured default) and
 * synonyms=0|1 (0: no abbreviation / synonym expansion), lang=vi|en|zh (the
 * language of labels and of the HTML page), portal=ID (a portal slug,
 * resolved by the caller: docs/portals.md).  Anything else is
 * an error naming the parameter.  Empty values count as absent, as HTML
 * forms send every field.
 */
#ifndef VB_DAEMON_PARAMS_H
#define VB_DAEMON_PARAMS_H

#include <stddef.h>

#include "search.h"

#define VB_PARAMS_DEFAULT_PER_PAGE 20
/* page * per_page may not exceed this: deep paging is refused. */
#define VB_PARAMS_MAX_WINDOW 10000
/* Longest value of a form or issuer filter, in bytes. */
#define VB_PARAMS_MAX_VALUE 256

typedef struct vb_params {
	vb_search_req req;
	size_t page;      /* 1-based */
	size_t per_page;
	int prefer_in_force;         /* -1 absent, else 0 or 1 as given */
	int synonyms;                /* 1 (default) or 0: synonyms=0 */
	/* Used by vb_params_finish when prefer_in_force is absent: the
	 * configured default (vb_config.prefer_in_force); 1 after init. */
	int default_prefer_in_force;
	/* lang=vi|en|zh (widget): the language of labels and pages; "" when
	 * absent (then Accept-Language or the default decides). */
	char lang[4];
	/* portal=ID (portals, portal.h): the portal whose scope to search;
	 * NULL when absent (then the Host header decides).  Checked as a
	 * slug here, resolved against the registry by the caller. */
	const char *portal;
	/* Internal: which single-valued parameters were seen. */
	unsigned seen;
} vb_params;

typedef struct vb_param_error {
	char parameter[32];   /* the offending parameter's name ("" if none) */
	char message[200];    /* English, lower case start, no final period */
} vb_param_error;

/* Start with defaults: match all, relevance, page 1, 20 per page,
 * synonyms on, prefer_in_force absent (default 1). */
void vb_params_init(vb_params *p);

/* Add one key/value pair (value may be NULL for "?key" without '=').
 * 0, or VB_EINVAL with perr naming the parameter: unknown parameter,
 * repeated single-valued parameter, too many filter values, bad value. */
int vb_params_add(vb_params *p, const char *key, const char *value,
		  vb_param_error *perr);

/* Check the combination (issued_from <= issued_to, page window) and fill
 * req.offset / req.limit, req.no_synonyms (!synonyms) and
 * req.no_status_rank (!prefer_in_force, or !default_prefer_in_force when
 * the parameter was absent).  0 or VB_EINVAL with perr. */
int vb_params_finish(vb_params *p, vb_param_error *perr);

/* Whether s (n bytes) is well-formed UTF-8 without control characters
 * other than tab, CR and LF. */
int vb_params_text_ok(const char *s, size_t n);

/* Copy key into out (cap bytes, cut to fit) with every control or
 * non-ASCII byte shown as '?', so that the name of an unknown parameter
 * can be echoed in an answer. */
void vb_params_key_shown(char *out, size_t cap, const char *key);

#endif
