/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the search-query parser (lib/qparse.h) and the Xapian query
 * building on top of it (lib/query.c, vb_query_build), with the shipped
 * synonym table data/synonyms.tsv.  The input is the q parameter as the
 * daemon receives it (URL-decoded). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "qparse.h"
#include "query.h"
#include "search.h"
#include "synonyms.h"

static vb_synonyms *syn;

VB_FUZZ_INIT(qparse)
{
	vb_error err;

	vb_error_clear(&err);
	/* Without the table the target still runs (no synonym expansion). */
	if (vb_synonyms_load(&syn, VB_FUZZ_SRCDIR "/data/synonyms.tsv", &err))
		syn = NULL;
	return 0;
}

VB_FUZZ_TARGET(qparse)
{
	vb_qparse p;
	vb_query q;
	vb_search_req req;
	vb_error err;
	char desc[2048];
	size_t len;
	char *s = vb_fuzz_cstr(data, size, &len);

	if (!s)
		return 0;
	vb_error_clear(&err);
	memset(&p, 0, sizeof(p));
	if (!vb_qparse_run(&p, s, len, &err))
		vb_qparse_describe(&p, desc, sizeof(desc));
	vb_qparse_dispose(&p);

	vb_search_req_init(&req);
	req.q = s;
	req.synonyms = syn;
	req.no_synonyms = !syn;
	(void)vb_query_build(&q, &req, syn, &err);
	vb_query_dispose(&q);
	free(s);
	return 0;
}
