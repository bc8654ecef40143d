/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's queries for discovery (owned by discovery): the documents
 * changed most recently, optionally narrowed by the filters of a search
 * (form, issuer, year, status, issue dates) and a portal's scope (its
 * issuers), for the Atom feed of new and changed documents; and the pages
 * of the sitemap (every document id with the time it last changed, in id
 * order).  Both return only id, version and updated time; the caller
 * loads the documents it shows with vb_store_get_document.
 *
 * The feed query orders by documents.updated_at, which has no index: with
 * a filter PostgreSQL scans the documents anyway; without one, an index on
 * (updated_at DESC) would make it a short index scan (a migration number
 * is needed for it).
 *
 * Filter values are compared the way the index compares them: forms and
 * issuers folded (vb_fold_words, lib/store_lookup.c), status codes exactly.
 * They travel as one JSON parameter, so any value is safe.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define FEED_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

void vb_feed_filter_init(vb_feed_filter *f)
{
	memset(f, 0, sizeof(*f));
}

/* A JSON array of the folded values, or NULL (no filter) when n is 0. */
static int folded_array(json_t *o, const char *key, const char *const *v, size_t n)
{
	json_t *a;
	char buf[1024];
	size_t i, len;

	if (!n)
		return 0;
	if (!(a = json_array()) || json_object_set_new(o, key, a))
		return VB_ENOMEM;
	for (i = 0; i < n; i++) {
		len = vb_store_fold_words(v[i] ? v[i] : "", buf, sizeof(buf));
		if (len == (size_t)-1)
			return VB_ENOMEM;
		if (json_array_append_new(a, json_string(buf)))
			return VB_ENOMEM;
	}
	return 0;
}

/* The filter as one JSON object: {"forms": [...], "issuers": [...],
 * "statuses": [...], "years": [...], "from": "...", "to": "...",
 * "scope": [...]}, keys absent when not filtered ("scope": [] when a
 * portal's scope is empty: nothing passes). */
static char *filter_json(const vb_feed_filter *f)
{
	json_t *o = json_object(), *a;
	char *s = NULL;
	size_t i;

	if (!o)
		return NULL;
	if (f) {
		if (folded_array(o, "forms", f->forms, f->n_forms) ||
		    folded_array(o, "issuers", f->issuers, f->n_issuers))
			goto out;
		if (f->has_scope) {
			if (!(a = json_array()) || json_object_set_new(o, "scope", a))
				goto out;
			if (folded_array(o, "scope", f->scope, f->n_scope))
				goto out;
		}
		if (f->n_statuses) {
			if (!(a = json_array()) || json_object_set_new(o, "statuses", a))
				goto out;
			for (i = 0; i < f->n_statuses; i++)
				json_array_append_new(a, json_string(f->statuses[i] ?
								     f->statuses[i] : ""));
		}
		if (f->n_years) {
			if (!(a = json_array()) || json_object_set_new(o, "years", a))
				goto out;
			for (i = 0; i < f->n_years; i++)
				json_array_append_new(a, json_integer(f->years[i]));
		}
		if (f->issued_from && *f->issued_from)
			json_object_set_new(o, "from", json_string(f->issued_from));
		if (f->issued_to && *f->issued_to)
			json_object_set_new(o, "to", json_string(f->issued_to));
	}
	s = json_dumps(o, JSON_COMPACT);
out:
	json_decref(o);
	return s;
}

static int items_from(vb_store *st, PGresult *res, const char *what, vb_feed_item **out,
		      size_t *n, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];
	vb_feed_item *v;
	int r, rows;

	if (!store_res_ok(res))
		return vb_error_set(err, VB_EDB, "could not read %s: %s", what,
				    store_pg_message(st->conn, res, m, sizeof(m)));
	rows = PQntuples(res);
	if (!rows)
		return 0;
	if (!(v = calloc((size_t)rows, sizeof(*v))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (r = 0; r < rows; r++) {
		v[r].id = store_get_i64(res, r, 0);
		v[r].version = (int)store_get_i64(res, r, 1);
		store_copy_fixed(v[r].updated_at, sizeof(v[r].updated_at), res, r, 2);
	}
	*out = v;
	*n = (size_t)rows;
	return 0;
}

int vb_store_feed_recent(vb_store *st, const vb_feed_filter *f, size_t max,
			 vb_feed_item **out, size_t *n, vb_error *err)
{
	PGresult *res = NULL;
	char limit[24], *filter = NULL;
	const char *p[2];
	int rc;

	*out = NULL;
	*n = 0;
	if (!max || max > VB_FEED_MAX)
		return vb_error_set(err, VB_EINVAL, "a feed has 1 to %d entries", VB_FEED_MAX);
	if (!(filter = filter_json(f)))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	snprintf(limit, sizeof(limit), "%zu", max);
	p[0] = filter;
	p[1] = limit;
	res = store_q(st,
		      "WITH f AS (SELECT $1::jsonb AS j)"
		      " SELECT d.id, d.version, " FEED_TS("d.updated_at")
		      " FROM documents d, f"
		      " WHERE d.state = 'published'" /* workflow: withdrawn ones leave the feeds */
		      "   AND (NOT f.j ? 'forms' OR vb_fold_words(coalesce(d.form, ''))"
		      "        IN (SELECT jsonb_array_elements_text(f.j->'forms')))"
		      "   AND (NOT f.j ? 'issuers' OR vb_fold_words(coalesce(d.issuer, ''))"
		      "        IN (SELECT jsonb_array_elements_text(f.j->'issuers')))"
		      "   AND (NOT f.j ? 'scope' OR vb_fold_words(coalesce(d.issuer, ''))"
		      "        IN (SELECT jsonb_array_elements_text(f.j->'scope')))"
		      "   AND (NOT f.j ? 'statuses' OR d.status"
		      "        IN (SELECT jsonb_array_elements_text(f.j->'statuses')))"
		      "   AND (NOT f.j ? 'years' OR extract(year FROM d.issue_date)::int"
		      "        IN (SELECT e::int FROM jsonb_array_elements_text(f.j->'years') e))"
		      "   AND (NOT f.j ? 'from' OR d.issue_date >= (f.j->>'from')::date)"
		      "   AND (NOT f.j ? 'to' OR d.issue_date <= (f.j->>'to')::date)"
		      " ORDER BY d.updated_at DESC, d.id DESC LIMIT $2::int",
		      2, p);
	rc = items_from(st, res, "recent documents", out, n, err);
	PQclear(res);
	free(filter);
	return rc;
}

int vb_store_sitemap_page(vb_store *st, int64_t offset, size_t max, vb_feed_item **out,
			  size_t *n, vb_error *err)
{
	PGresult *res;
	char off[24], lim[24];
	const char *p[2];
	int rc;

	*out = NULL;
	*n = 0;
	if (offset < 0 || !max || max > VB_SITEMAP_MAX)
		return vb_error_set(err, VB_EINVAL, "a sitemap page has 1 to %d entries",
				    VB_SITEMAP_MAX);
	snprintf(off, sizeof(off), "%lld", (long long)offset);
	snprintf(lim, sizeof(lim), "%zu", max);
	p[0] = off;
	p[1] = lim;
	res = store_q(st, "SELECT id, version, " FEED_TS("updated_at")
		      " FROM documents WHERE state = 'published'" /* workflow */
		      " ORDER BY id OFFSET $1::bigint LIMIT $2::int", 2, p);
	rc = items_from(st, res, "the sitemap", out, n, err);
	PQclear(res);
	return rc;
}
