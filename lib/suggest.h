/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Did you mean" for a search (internal to lib/search.c; docs/search.md).
 */
#ifndef VB_SUGGEST_H
#define VB_SUGGEST_H

#include "query.h"
#include "search.h"
#include "xap.h"

/* Fill res->suggestion, suggestion_kind and suggestion_total for the
 * parsed query q of req, whose search gave res: spelling corrections when
 * it found little (offered only when the corrected query finds more: a
 * second vb_search_run with no_suggest), then accents for an unaccented
 * query.  Leaves res untouched when there is nothing to suggest or on any
 * error (a suggestion is never worth failing a search for). */
void vb_suggest(vb_xap_reader *r, const vb_search_req *req, const vb_query *q,
		vb_search_result *res);

#endif
