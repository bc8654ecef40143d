/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filter query of a search request (query_int.h): its facet filters
 * (form, issuer, year, status), the issue date range, the portal's scope
 * and in_force_on, ANDed; none of them weighs.
 */
#include "query_int.h"

#include "indexdoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* *out = OR of the boolean filter terms prefix + values[i], built in t
 * (room for n); empty values are skipped when skip_empty, and *out stays
 * NULL when no value is left. */
static int terms_or(const char *prefix, const char *const *values, size_t n, int skip_empty,
		    vb_xquery **t, vb_xquery **out, vb_error *err)
{
	size_t k = 0;
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		char *term;

		if (skip_empty && (!values[i] || !*values[i]))
			continue;
		if (!(term = vb_indexdoc_filter_term(prefix, values[i]))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		t[k] = vb_xquery_term(term, 1, err);
		free(term);
		if (!t[k]) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
		k++;
	}
	if (k && !(*out = vb_xquery_combine(VB_XOP_OR, t, k, 0, err)))
		rc = err ? err->code : VB_ENOMEM;
out:
	query_free_all(t, k);
	return rc;
}

/* OR of boolean filter terms for one field; *out stays NULL when the field
 * has no values. */
static int field_filter(const char *prefix, const char *const *values, size_t n,
			vb_xquery **out, vb_error *err)
{
	vb_xquery *t[VB_SEARCH_MAX_FILTER_VALUES];

	*out = NULL;
	if (n > VB_SEARCH_MAX_FILTER_VALUES)
		return vb_error_set(err, VB_ETOOBIG, "too many filter values (at most %d)",
				    VB_SEARCH_MAX_FILTER_VALUES);
	return terms_or(prefix, values, n, 1, t, out, err);
}

static int date_key(const char *iso, char out[9], const char *what, vb_error *err)
{
	static const int digit_at[] = { 0, 1, 2, 3, 5, 6, 8, 9 };

	if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		goto bad;
	for (int i = 0; i < 8; i++) {
		char ch = iso[digit_at[i]];

		if (ch < '0' || ch > '9')
			goto bad;
		out[i] = ch;
	}
	out[8] = '\0';
	return 0;
bad:
	return vb_error_set(err, VB_EINVAL, "invalid %s date \"%s\": expected YYYY-MM-DD",
			    what, iso);
}

/* The portal scope: OR of the issuer terms of req->scope_issuers (a list
 * that may be longer than a filter's); nothing when the scope is empty. */
static int scope_filter(const vb_search_req *req, vb_xquery **out, vb_error *err)
{
	vb_xquery **t;
	size_t n = req->n_scope_issuers;
	int rc;

	*out = NULL;
	if (!req->has_scope)
		return 0;
	if (n > VB_SEARCH_MAX_SCOPE)
		return vb_error_set(err, VB_ETOOBIG, "too many issuers in the portal scope (at most %d)",
				    VB_SEARCH_MAX_SCOPE);
	if (!n) {
		*out = vb_xquery_match_nothing(err);
		return *out ? 0 : (err ? err->code : VB_ENOMEM);
	}
	if (!(t = calloc(n, sizeof(*t))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = terms_or(VB_PREFIX_ISSUER, req->scope_issuers, n, 0, t, out, err);
	free(t);
	return rc;
}

/* Documents in force on day iso: in force from (slot 7) <= day and
 * first day no longer in force (slot 8) > day, i.e. >= the next key (keys
 * are 8 digits, so "the next key" is the number plus one, not a date). */
static int in_force_filter(const char *iso, vb_xquery **out, vb_error *err)
{
	vb_xquery *r[2] = { 0 };
	char day[9], next[9];
	int rc, i;

	*out = NULL;
	if ((rc = date_key(iso, day, "in_force_on", err)))
		return rc;
	memcpy(next, day, sizeof(next));
	for (i = 7; i >= 0; i--) {
		if (next[i] < '9') {
			next[i]++;
			break;
		}
		next[i] = '0';
	}
	if (!(r[0] = vb_xquery_value_range(VB_SLOT_IN_FORCE_FROM, NULL, day, err)) ||
	    !(r[1] = vb_xquery_value_range(VB_SLOT_IN_FORCE_UNTIL, next, NULL, err)) ||
	    !(*out = vb_xquery_combine(VB_XOP_AND, r, 2, 0, err)))
		rc = err ? err->code : VB_ENOMEM;
	query_free_all(r, 2);
	return rc;
}

int vb_query_filter_build(const vb_search_req *req, vb_xquery **out, vb_error *err)
{
	vb_xquery *parts[7] = { 0 };
	const char *years[VB_SEARCH_MAX_FILTER_VALUES];
	char ybuf[VB_SEARCH_MAX_FILTER_VALUES][16];
	size_t np = 0, ny = req->n_years;
	int rc;

	if (ny > VB_SEARCH_MAX_FILTER_VALUES)
		return vb_error_set(err, VB_ETOOBIG, "too many filter values (at most %d)",
				    VB_SEARCH_MAX_FILTER_VALUES);
	for (size_t i = 0; i < ny; i++) {
		snprintf(ybuf[i], sizeof(ybuf[i]), "%04d", req->years[i]);
		years[i] = ybuf[i];
	}
	if ((rc = field_filter(VB_PREFIX_FORM, req->forms, req->n_forms, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_ISSUER, req->issuers, req->n_issuers, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_YEAR, years, ny, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if ((rc = field_filter(VB_PREFIX_STATUS, req->statuses, req->n_statuses,
			       &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if (req->issued_from[0] || req->issued_to[0]) {
		char lo[9], hi[9];

		if (req->issued_from[0] &&
		    (rc = date_key(req->issued_from, lo, "issued_from", err)))
			goto out;
		if (req->issued_to[0] && (rc = date_key(req->issued_to, hi, "issued_to", err)))
			goto out;
		if (!(parts[np] = vb_xquery_value_range(VB_SLOT_ISSUED,
							req->issued_from[0] ? lo : NULL,
							req->issued_to[0] ? hi : NULL, err))) {
			rc = err ? err->code : VB_ENOMEM;
			goto out;
		}
		np++;
	}
	if ((rc = scope_filter(req, &parts[np], err)))
		goto out;
	np += parts[np] != NULL;
	if (req->in_force_on[0]) {
		if ((rc = in_force_filter(req->in_force_on, &parts[np], err)))
			goto out;
		np++;
	}
	if (np && !(*out = vb_xquery_combine(VB_XOP_AND, parts, np, 0, err)))
		rc = err ? err->code : VB_ENOMEM;
out:
	query_free_all(parts, np);
	return rc;
}
