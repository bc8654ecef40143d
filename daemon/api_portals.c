/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal registry over HTTP (lib/portal.h, docs/portals.md):
 *
 *   GET  /api/v1/portals                  every portal (public)
 *   GET  /api/v1/portals/{id}             one portal with what it resolves
 *                                         to, its scope, former place
 *                                         names and history (public)
 *   POST /api/v1/portals                  create (JSON record) -> 201
 *   POST /api/v1/portals/{id}/rename      {names, place}
 *   POST /api/v1/portals/{id}/scope       {add, remove, inherit}
 *   POST /api/v1/portals/{id}/domains     {add, remove}
 *   POST /api/v1/portals/{id}/merge       {into, with}
 *   POST /api/v1/portals/{id}/split       {into: [...]}
 *   POST /api/v1/portals/{id}/retire      {successor}
 *
 * The POSTs need a login or an API token with the admin scope
 * (daemon/auth.c): the portal administrator of {id} for scope and
 * domains, a system administrator for the rest (401 without credentials,
 * 403 without the role, 503 on a read-only replica).  http.c hands every URL under
 * /api/v1/portals to vb_api_portals_access; the JSON body (at most 64 KiB)
 * is read into the request context, one allocation that the completion
 * handler frees (api_body.c).  Also here: choosing the portal of a search
 * (vb_portal_page_setup), used by vb_search_page_parse, from the registry
 * as read at most REGISTRY_TTL_MS ago (a write through this daemon drops
 * it at once; one made elsewhere, by the CLI or another daemon, is seen
 * within that time).
 */
#include "api_body.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "log.h"
#include "portal.h"

#define ROUTE_PREFIX "/api/v1/portals"
#define BODY_MAX (64 * 1024)
#define TOO_BIG "the JSON body is larger than 64 KiB"
#define REGISTRY_TTL_MS 2000

enum route { R_BAD, R_LIST, R_CREATE, R_GET, R_OP };

typedef struct portals_rq {
	vb_request rq; /* first: http.c logs and frees the request through it */
	enum route route;
	char id[VB_PORTAL_ID_MAX + 1];
	const char *op;
	vb_principal who; /* accounts: the caller, for the audit log */
	vb_body body;
} portals_rq;

/* Path suffix after an id -> operation of vb_portal_op. */
static const char *const ops[][2] = {
	{ "/rename", "rename" }, { "/scope", "scope" }, { "/domains", "domain" },
	{ "/merge", "merge" }, { "/split", "split" }, { "/retire", "retire" },
};

int vb_portals_route(const char *url)
{
	return vb_api_route_prefix(url, ROUTE_PREFIX);
}

static enum route parse_route(portals_rq *p)
{
	const char *s = p->rq.url + strlen(ROUTE_PREFIX), *end;
	size_t n, i;

	if (!*s)
		return R_LIST;
	s++;
	end = strchr(s, '/');
	n = end ? (size_t)(end - s) : strlen(s);
	if (!n || n > VB_PORTAL_ID_MAX)
		return R_BAD;
	memcpy(p->id, s, n);
	p->id[n] = '\0';
	if (!vb_portal_id_valid(p->id))
		return R_BAD;
	if (!end)
		return R_GET;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(end, ops[i][0])) {
			p->op = ops[i][1];
			return R_OP;
		}
	return R_BAD;
}

/* accounts: 0 when authorised, else a response was queued (*ret).  The
 * portal administrator of a portal edits its scope and domains; creating,
 * renaming, merging, splitting and retiring portals is for a system
 * administrator.  Scope admin. */
static int check_auth(portals_rq *p, enum MHD_Result *ret)
{
	if (p->route == R_OP && (!strcmp(p->op, "scope") || !strcmp(p->op, "domain")))
		return vb_auth_require(&p->rq, &p->who, p->id, VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN,
				       NULL, ret);
	return vb_auth_require_sysadmin(&p->rq, &p->who, VB_SCOPE_ADMIN, NULL, ret);
}

/* ---- handlers --------------------------------------------------------- */

static enum MHD_Result do_list(portals_rq *p)
{
	json_t *reg = NULL, *list, *rec;
	const char *id;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(p->rq.d, &st, &err)) || (rc = vb_store_portal_load(st, &reg, &err)))
		return vb_api_send_vb(&p->rq, rc, &err);
	if (!(list = json_array())) {
		json_decref(reg);
		return MHD_NO;
	}
	json_object_foreach(reg, id, rec) {
		json_t *o = json_deep_copy(rec);
		const char *cur = vb_portal_resolve(reg, id, NULL);

		if (!o)
			continue;
		json_object_set_new(o, "current", cur ? json_string(cur) : json_null());
		json_array_append_new(list, o);
	}
	json_decref(reg);
	return vb_http_send_json(&p->rq, MHD_HTTP_OK, json_pack("{s:o}", "portals", list));
}

static enum MHD_Result do_get(portals_rq *p)
{
	json_t *reg = NULL, *o, *hist = NULL;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(p->rq.d, &st, &err)) || (rc = vb_store_portal_load(st, &reg, &err)))
		return vb_api_send_vb(&p->rq, rc, &err);
	o = vb_portal_describe(reg, p->id, &err);
	json_decref(reg);
	if (!o)
		return vb_api_send_vb(&p->rq, err.code, &err);
	if ((rc = vb_store_portal_history(st, p->id, &hist, &err))) {
		json_decref(o);
		return vb_api_send_vb(&p->rq, rc, &err);
	}
	json_object_set_new(o, "history", hist);
	return vb_http_send_json(&p->rq, MHD_HTTP_OK, o);
}

static enum MHD_Result do_write(portals_rq *p)
{
	json_t *body, *out = NULL;
	enum MHD_Result ret;
	vb_store *st;
	vb_error err;
	char loc[sizeof(ROUTE_PREFIX) + VB_PORTAL_ID_MAX + 2];
	int rc;

	vb_error_clear(&err);
	if (vb_body_object(&p->rq, &p->body, 0, &body, &ret))
		return ret;
	if (!(rc = vb_worker_store(p->rq.d, &st, &err))) {
		char action[32];

		snprintf(action, sizeof(action), "portal.%s", p->route == R_CREATE ? "create" : p->op);
		if (!(rc = vb_audit_begin(st, &p->who, action, NULL, &err))) {
			rc = vb_portal_apply(st, p->route == R_CREATE ? "create" : p->op,
					     p->route == R_CREATE ? NULL : p->id, body, &out, &err);
			vb_audit_end(st);
			if (!rc)
				vb_portal_registry_forget();
		}
	}
	if (rc) {
		json_decref(body);
		if (rc == VB_ETOOBIG)
			return vb_api_bad(&p->rq, NULL, err.msg);
		return vb_api_send_vb(&p->rq, rc, &err);
	}
	json_decref(body);
	if (!out)
		return MHD_NO;
	/* ids only: names of places and people stay out of the log */
	vb_info("portal %s: %s", json_string_value(json_object_get(out, "id")),
		p->route == R_CREATE ? "create" : p->op);
	if (p->route != R_CREATE)
		return vb_http_send_json(&p->rq, MHD_HTTP_OK, out);
	snprintf(loc, sizeof(loc), ROUTE_PREFIX "/%s", json_string_value(json_object_get(out, "id")));
	return vb_http_send_json_hdr(&p->rq, MHD_HTTP_CREATED, out, MHD_HTTP_HEADER_LOCATION, loc);
}

/* ---- the access handler ----------------------------------------------- */

/* First call: route, method, auth and limits, before any body is read. */
static enum MHD_Result start(vb_request *rq)
{
	portals_rq *p = (portals_rq *)rq;
	const char *method = p->rq.method;
	int is_get = !strcmp(method, MHD_HTTP_METHOD_GET) || p->rq.head;
	int is_post = !strcmp(method, MHD_HTTP_METHOD_POST);
	enum MHD_Result ret;

	p->route = parse_route(p);
	if (p->route == R_BAD)
		return vb_http_send_error(&p->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	if (p->route == R_LIST && is_post)
		p->route = R_CREATE;
	if (p->route == R_LIST && !is_get)
		return vb_api_method_not_allowed(&p->rq, "GET, HEAD, POST");
	if (p->route == R_GET && !is_get)
		return vb_api_method_not_allowed(&p->rq, "GET, HEAD");
	if (p->route == R_OP && !is_post)
		return vb_api_method_not_allowed(&p->rq, "POST");
	if (vb_http_refuse_args(&p->rq, &ret))
		return ret;
	if (is_get)
		return vb_body_limit(&p->rq, &p->body, 0, &ret) ? ret : MHD_YES;
	if (p->rq.d->cfg.read_only) /* a replica: writes go to the primary */
		return vb_http_send_read_only(&p->rq);
	if (check_auth(p, &ret) || vb_body_limit(&p->rq, &p->body, 1, &ret))
		return ret;
	return MHD_YES;
}

/* The body is read: answer. */
static enum MHD_Result finish(vb_request *rq)
{
	portals_rq *p = (portals_rq *)rq;

	switch (p->route) {
	case R_LIST:
		return do_list(p);
	case R_GET:
		return do_get(p);
	case R_CREATE:
	case R_OP:
		return do_write(p);
	default:
		return vb_http_send_error(&p->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	}
}

static const vb_body_route portals_route = {
	sizeof(portals_rq), offsetof(portals_rq, body), BODY_MAX, TOO_BIG, start, finish
};

enum MHD_Result vb_api_portals_access(const vb_daemon *d, struct MHD_Connection *conn,
				      const char *url, const char *method,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	return vb_body_access(&portals_route, d, conn, url, method, upload_data, upload_data_size,
			      con_cls);
}

/* ---- the portal of a search ------------------------------------------- */

/* The registry searches read: one parsed copy shared by the worker
 * threads (jansson's reference counts are atomic, and nobody changes the
 * copy: a write drops it).  gen counts the drops, so that a load which
 * started before a write does not keep what it read. */
static struct {
	pthread_mutex_t lock;
	json_t *reg;
	struct timespec at;
	unsigned long gen;
} registry = { PTHREAD_MUTEX_INITIALIZER, NULL, { 0, 0 }, 0 };

static long ms_since(const struct timespec *t, const struct timespec *now)
{
	return (long)(now->tv_sec - t->tv_sec) * 1000 + (now->tv_nsec - t->tv_nsec) / 1000000;
}

void vb_portal_registry_forget(void)
{
	json_t *old;

	pthread_mutex_lock(&registry.lock);
	old = registry.reg;
	registry.reg = NULL;
	registry.gen++;
	pthread_mutex_unlock(&registry.lock);
	json_decref(old);
}

/* The registry (a reference for the caller), read again when the copy
 * is older than REGISTRY_TTL_MS. */
static int registry_get(vb_request *rq, json_t **out, vb_error *err)
{
	struct timespec now;
	json_t *reg, *old = NULL;
	unsigned long gen;
	vb_store *st;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&registry.lock);
	if (registry.reg && ms_since(&registry.at, &now) < REGISTRY_TTL_MS) {
		*out = json_incref(registry.reg);
		pthread_mutex_unlock(&registry.lock);
		return 0;
	}
	gen = registry.gen;
	pthread_mutex_unlock(&registry.lock);
	if ((rc = vb_worker_store(rq->d, &st, err)) || (rc = vb_store_portal_load(st, &reg, err)))
		return rc;
	pthread_mutex_lock(&registry.lock);
	if (registry.gen == gen) {
		old = registry.reg;
		registry.reg = json_incref(reg);
		registry.at = now;
	}
	pthread_mutex_unlock(&registry.lock);
	json_decref(old);
	*out = reg;
	return 0;
}

int vb_portal_page_setup(vb_request *rq, vb_portal_search *ps, const char *id,
			 vb_param_error *perr)
{
	const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);
	json_t *reg = NULL;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	vb_portal_search_dispose(ps);
	if ((rc = registry_get(rq, &reg, &err))) {
		/* a lost connection is noticed (and dropped) by the snippets'
		 * query of the same search */
		if (!id) {
			/* without the registry a search by Host is not scoped */
			vb_warn("search without portal scope: %s", err.msg);
			return 0;
		}
		snprintf(perr->parameter, sizeof(perr->parameter), "portal");
		snprintf(perr->message, sizeof(perr->message),
			 "the portal registry is not available");
		return VB_EAGAIN;
	}
	rc = vb_portal_search_setup(ps, reg, id, host, &err);
	json_decref(reg);
	if (rc) {
		vb_portal_search_dispose(ps);
		snprintf(perr->parameter, sizeof(perr->parameter), "portal");
		snprintf(perr->message, sizeof(perr->message), "%.190s", err.msg);
		return VB_EINVAL;
	}
	return 0;
}

json_t *vb_portal_page_json(const vb_portal_search *ps)
{
	if (!ps->id[0])
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:b}", "id", ps->id, "requested", ps->requested,
			 "name", ps->name, "by_host", ps->by_host);
}
