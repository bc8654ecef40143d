/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/search: parameters (params.c) -> vb_search_run on this
 * thread's Xapian reader -> the hits' texts from PostgreSQL in one query ->
 * snippets -> JSON.  A hit found by its number gets its snippet from the
 * head of its text kept in the index when that is enough (head_snippet).
 * The search part (vb_search_page_*) is shared with the HTML search page.
 * Without a database the search still answers, only without snippets;
 * without an index it answers 503.  Each search holds a reference to the
 * configured synonym table for its whole run, so a reload of the file by
 * another thread never pulls it away mid-search.
 * Besides the hits the answer carries what happened to the query text:
 * "relaxed", "query_warnings" (always an array) and "did_you_mean".
 */
#include "daemon.h"

#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "indexdoc.h"
#include "log.h"
#include "query.h"
#include "snippet.h"
#include "synonyms.h"

void vb_search_page_init(vb_search_page *sp)
{
	memset(sp, 0, sizeof(*sp));
	vb_params_init(&sp->params);
	vb_search_result_init(&sp->res);
}

void vb_search_page_dispose(vb_search_page *sp)
{
	size_t i;

	if (!sp)
		return;
	if (sp->snippets) {
		for (i = 0; i < sp->res.n_hits; i++)
			free(sp->snippets[i]);
		free(sp->snippets);
		sp->snippets = NULL;
	}
	if (sp->hit_data) {
		for (i = 0; i < sp->res.n_hits; i++)
			json_decref(sp->hit_data[i]);
		free(sp->hit_data);
		sp->hit_data = NULL;
	}
	vb_search_result_dispose(&sp->res);
	vb_portal_search_dispose(&sp->portal);
}

json_t *vb_search_page_hit(vb_search_page *sp, size_t i)
{
	if (i >= sp->res.n_hits || !sp->res.hits[i].data)
		return NULL;
	if (!sp->hit_data && !(sp->hit_data = calloc(sp->res.n_hits, sizeof(json_t *))))
		return NULL;
	if (!sp->hit_data[i])
		sp->hit_data[i] = json_loads(sp->res.hits[i].data, 0, NULL);
	return sp->hit_data[i];
}

struct parse_ctx {
	vb_params *p;
	vb_param_error *perr;
	size_t total;
	int rc;
};

static enum MHD_Result parse_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct parse_ctx *pc = cls;

	pc->total += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 2;
	if (pc->total > VB_HTTP_MAX_URL) {
		pc->rc = VB_ETOOBIG;
		return MHD_NO;
	}
	if ((pc->rc = vb_params_add(pc->p, key, value, pc->perr)))
		return MHD_NO;
	return MHD_YES;
}

int vb_search_page_parse(vb_request *rq, vb_search_page *sp, vb_param_error *perr)
{
	struct parse_ctx pc = { &sp->params, perr, 0, 0 };

	memset(perr, 0, sizeof(*perr));
	vb_params_init(&sp->params);
	sp->params.default_prefer_in_force = rq->d->cfg.prefer_in_force;
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, parse_cb, &pc);
	if (pc.rc)
		return pc.rc;
	if ((pc.rc = vb_params_finish(&sp->params, perr)))
		return pc.rc;
	/* portals: the scope of portal= or of the Host header's portal */
	if ((pc.rc = vb_portal_page_setup(rq, &sp->portal, sp->params.portal, perr)))
		return pc.rc;
	vb_portal_search_apply(&sp->portal, &sp->params.req);
	return 0;
}

enum MHD_Result vb_search_send_param_error(vb_request *rq, int rc, const vb_param_error *perr)
{
	if (rc == VB_ETOOBIG)
		return vb_http_send_error(rq, MHD_HTTP_URI_TOO_LONG, "too_big", NULL,
					  "the query string is too long");
	if (rc == VB_EAGAIN) /* the portal registry could not be read */
		return vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
					  perr->message);
	return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid",
				  perr->parameter[0] ? perr->parameter : NULL, perr->message);
}

/* A number look-up's hit has the number in its heading: its snippet is
 * made from the head of its text kept in the index (VB_SLOT_HEAD) when
 * that head decides it (vb_snippet_make_prefix), which spares reading the
 * whole text from the database.  NULL otherwise. */
static char *head_snippet(vb_xap_reader *r, const vb_search_page *sp, const vb_hit *h)
{
	const vb_search_result *res = &sp->res;
	char *head = NULL, *snip = NULL;
	size_t i, len;
	int undecided;

	for (i = 0; i < sp->n_number_match && sp->number_match[i] != h->id; i++)
		;
	if (i == sp->n_number_match ||
	    vb_xap_reader_value(r, h->docid, VB_SLOT_HEAD, &head, &len, NULL) || !len) {
		free(head);
		return NULL;
	}
	snip = vb_snippet_make_prefix(head, len, res->words, res->n_words, VB_SNIPPET_BYTES,
				      &undecided);
	free(head);
	return snip;
}

static void make_snippets(vb_request *rq, vb_xap_reader *r, vb_search_page *sp)
{
	vb_search_result *res = &sp->res;
	int64_t *ids = NULL;
	size_t *which = NULL;
	char **texts = NULL;
	vb_store *st;
	vb_error err;
	size_t i, n = 0;

	vb_error_clear(&err);
	if (!res->n_hits)
		return;
	sp->snippets = calloc(res->n_hits, sizeof(char *));
	ids = calloc(res->n_hits, sizeof(*ids));
	which = calloc(res->n_hits, sizeof(*which));
	texts = calloc(res->n_hits, sizeof(*texts));
	if (!sp->snippets || !ids || !which || !texts)
		goto out;
	for (i = 0; i < res->n_hits; i++) {
		if ((sp->snippets[i] = head_snippet(r, sp, &res->hits[i])))
			continue;
		which[n] = i;
		ids[n++] = res->hits[i].id;
	}
	vb_metrics_snippets(res->n_hits - n, 0);
	if (!n)
		goto out;
	if (vb_worker_store(rq->d, &st, &err) || vb_store_get_texts(st, ids, n, texts, &err)) {
		if (err.code == VB_EDB)
			vb_worker_store_failed();
		vb_warn("search without snippets: %s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (texts[i])
			sp->snippets[which[i]] = vb_snippet_make(texts[i], strlen(texts[i]),
								 res->words, res->n_words,
								 VB_SNIPPET_BYTES);
	vb_metrics_snippets(0, n);
out:
	if (texts)
		for (i = 0; i < n; i++)
			free(texts[i]);
	free(texts);
	free(which);
	free(ids);
}

/* Which hits carry the number typed as the whole query.  Only when q is a
 * number and nothing else: its key equals the hit's number key, or for a
 * form-first query ("QĐ 05/2023") the hit's key extends the prefix key. */
static void find_number_matches(vb_search_page *sp)
{
	const char *q = sp->params.req.q;
	vb_docnum_keys k;
	size_t i;

	sp->n_number_match = 0;
	if (!q || !*q || !vb_docnum_looks_like(q) || vb_docnum_split(&k, q))
		return;
	for (i = 0; i < sp->res.n_hits && sp->n_number_match < VB_SEARCH_MAX_PER_PAGE; i++) {
		json_t *data = vb_search_page_hit(sp, i);
		const char *number = json_string_value(json_object_get(data, "number"));
		char *key = number ? vb_docnum_canonical(number) : NULL;

		if (key && (k.partial ? vb_docnum_key_matches(key, k.key) : !strcmp(key, k.key)))
			sp->number_match[sp->n_number_match++] = sp->res.hits[i].id;
		free(key);
	}
}

int vb_search_page_run(vb_request *rq, vb_search_page *sp, vb_error *err)
{
	struct timespec t0, t1;
	vb_xap_reader *r;
	vb_synonyms *syn = NULL;
	vb_search_req req = sp->params.req; /* this run's copy: synonyms set */
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = vb_worker_reader(rq->d, &r, err)))
		goto out;
	if (!req.no_synonyms) {
		/* NULL when the file cannot be read (logged once by
		 * vb_synonyms_shared): search without expansion rather than
		 * let vb_search_run fall back to another path. */
		syn = vb_synonyms_shared(rq->d->cfg.synonyms);
		req.synonyms = syn;
		req.no_synonyms = syn == NULL;
	}
	if ((rc = vb_search_run(r, &req, &sp->res, err))) {
		vb_search_result_dispose(&sp->res);
		vb_search_result_init(&sp->res);
		goto out;
	}
	find_number_matches(sp);
	if (!sp->no_snippets) /* discovery: feeds, bundles */
		make_snippets(rq, r, sp);
	/* report: usage counters (no personal data): page 1 of a search typed
	 * by someone (the API and the HTML page; not feeds or bundles) */
	if (sp->params.page == 1 && !rq->head &&
	    (!strcmp(rq->url, "/api/v1/search") || !strcmp(rq->url, "/search") ||
	     !strcmp(rq->url, "/")))
		vb_activity_count_search(sp->portal.id, sp->params.lang, sp->params.req.q,
					 sp->res.total);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sp->took_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
out:
	vb_synonyms_free(syn);
	return rc;
}

/* "query_warnings": [{code, message}], always an array. */
static json_t *warnings_json(const vb_search_result *res)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < res->n_warnings && i < VB_SEARCH_MAX_WARNINGS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", res->warnings[i].code,
						   "message", res->warnings[i].msg));
	return a;
}

/* "did_you_mean": null or {query, kind, total}. */
static json_t *did_you_mean_json(const vb_search_result *res)
{
	if (!res->suggestion)
		return json_null();
	return json_pack("{s:s, s:s, s:I}", "query", res->suggestion,
			 "kind", res->suggestion_kind ? res->suggestion_kind : "spelling",
			 "total", (json_int_t)res->suggestion_total);
}

/* Key from the stored hit data (shared, not copied: the page keeps it
 * until the answer is sent), or null. */
static void copy_key(json_t *dst, json_t *src, const char *key)
{
	json_t *v = src ? json_object_get(src, key) : NULL;

	json_object_set_new(dst, key, v && !json_is_null(v) ? json_incref(v) : json_null());
}

static json_t *hit_json(const vb_hit *h, json_t *data, const char *snippet, const char *lang)
{
	static const char *const keys[] = { "number", "form", "issuer", "issue_date",
		"effective_date", "status", "abstract", "source", "source_id" };
	json_t *o = json_object();
	char uri[48];
	const char *status;
	size_t i;

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(h->id));
	snprintf(uri, sizeof(uri), "/documents/%lld", (long long)h->id);
	json_object_set_new(o, "uri", json_string(uri));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		copy_key(o, data, keys[i]);
	status = json_string_value(json_object_get(o, "status"));
	json_object_set_new(o, "status_label",
			    status ? json_string(vb_status_label(status, lang)) : json_null());
	json_object_set_new(o, "snippet", snippet ? json_string(snippet) : json_null());
	return o;
}

static json_t *facets_json(const vb_search_result *res, const char *lang)
{
	json_t *o = json_object();
	int f;
	size_t i;

	for (f = 0; f < VB_FACET_COUNT; f++) {
		json_t *a = json_array();

		for (i = 0; i < res->facets[f].n; i++) {
			const vb_facet_value *v = &res->facets[f].values[i];
			json_t *e = json_pack("{s:s, s:I}", "value", v->value ? v->value : "",
					      "count", (json_int_t)v->count);

			if (f == VB_FACET_STATUS && e)
				json_object_set_new(e, "label",
						    json_string(vb_status_label(v->value, lang)));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, vb_facet_name((enum vb_facet_field)f), a);
	}
	return o;
}

enum MHD_Result vb_api_search(vb_request *rq)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	json_t *o = NULL, *hits;
	enum MHD_Result ret;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_search_page_init(&sp);
	if ((rc = vb_search_page_parse(rq, &sp, &perr))) {
		ret = vb_search_send_param_error(rq, rc, &perr);
		goto out;
	}
	if ((rc = vb_search_page_run(rq, &sp, &err))) {
		if (rc == VB_EAGAIN)
			ret = vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
						 NULL, "the search index is not available yet");
		else
			ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	o = json_object();
	hits = json_array();
	if (!o || !hits) {
		json_decref(hits);
		ret = MHD_NO;
		goto out;
	}
	json_object_set_new(o, "total", json_integer((json_int_t)sp.res.total));
	json_object_set_new(o, "page", json_integer((json_int_t)sp.params.page));
	json_object_set_new(o, "per_page", json_integer((json_int_t)sp.params.per_page));
	for (i = 0; i < sp.res.n_hits; i++)
		json_array_append_new(hits, hit_json(&sp.res.hits[i], vb_search_page_hit(&sp, i),
						     sp.snippets ? sp.snippets[i] : NULL,
						     sp.params.lang));
	json_object_set_new(o, "hits", hits);
	json_object_set_new(o, "facets", facets_json(&sp.res, sp.params.lang));
	json_object_set_new(o, "took_ms", json_real(sp.took_ms));
	json_object_set_new(o, "relaxed", json_boolean(sp.res.relaxed));
	json_object_set_new(o, "query_warnings", warnings_json(&sp.res));
	json_object_set_new(o, "did_you_mean", did_you_mean_json(&sp.res));
	json_object_set_new(o, "portal", vb_portal_page_json(&sp.portal));
	{
		json_t *nm = json_array();

		for (i = 0; i < sp.n_number_match; i++)
			json_array_append_new(nm, json_integer(sp.number_match[i]));
		json_object_set_new(o, "number_match", nm);
	}
	ret = vb_cache_send_json(rq, o, VB_CACHE_SEARCH_AGE, 0); /* discovery: short max-age */
out:
	vb_search_page_dispose(&sp);
	return ret;
}
