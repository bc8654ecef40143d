/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP layer of vanband: starts libmicrohttpd (its threads read and
 * write; the GET and HEAD routes run on the workers of dispatch.c),
 * routes requests to the modules, adds the security headers to every
 * response (HSTS too behind TLS), enforces the request limits (methods,
 * URL length, Host on HTTP/1.1, no encoded NUL, idle timeout, connections
 * per address; docs/security.md) and writes
 * one access-log line per request (event "request": method, route
 * pattern, status, bytes, duration_ms, request_id; see access_log).
 * Paths, query strings and client addresses are never logged, as they may
 * carry what a citizen searched for or who they are.  On a read-only
 * replica (cfg.read_only) every method but GET, HEAD and OPTIONS is
 * answered 503 read_only before its body is read.
 *
 * Every route here answers GET and HEAD only and takes no request body (a
 * GET with one gets 405).  The exception is the staff upload routes under
 * /api/v1/uploads, which take bodies (multipart files, JSON for confirm
 * and reject) behind the bearer token: on_request hands those URLs whole
 * to api_upload.c (vb_api_upload_access), which enforces their methods,
 * authentication and body limits itself.
 */
#include "daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api_body.h"
#include "log.h"

static const char *const security_headers[][2] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "Content-Security-Policy",
	  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
	  "base-uri 'none'; form-action 'self'" },
	{ "Referrer-Policy", "same-origin" },
	{ "X-Frame-Options", "DENY" },
	/* hardening: no powerful browser feature is used by any page */
	{ "Permissions-Policy",
	  "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
	  "microphone=(), payment=(), usb=()" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

/* Request ids: a random 32-bit prefix chosen at start-up and a counter,
 * as 16 hex digits; unique per process run, and across the replicas of a
 * load balancer with high probability. */
static _Atomic uint64_t request_seq;
static uint64_t request_base;

void vb_http_request_id(vb_request *rq)
{
	if (!rq->id)
		rq->id = request_base | ((atomic_fetch_add(&request_seq, 1) + 1) & 0xffffffffu);
}

enum MHD_Result vb_http_send(vb_request *rq, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result ret;
	char idbuf[24];
	size_t i;

	if (!resp)
		return MHD_NO;
	/* A route may set its own value (report: a page-specific CSP). */
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		if (!MHD_get_response_header(resp, security_headers[i][0]))
			MHD_add_response_header(resp, security_headers[i][0],
						security_headers[i][1]);
	/* hardening: HSTS only when clients come over HTTPS (cfg.behind_tls);
	 * over plain HTTP a browser ignores it anyway. */
	if (rq->d && rq->d->cfg.behind_tls &&
	    !MHD_get_response_header(resp, "Strict-Transport-Security"))
		MHD_add_response_header(resp, "Strict-Transport-Security", VB_HTTP_HSTS);
	vb_cors_add_headers(rq, resp); /* discovery: cache.c */
	vb_http_request_id(rq);
	snprintf(idbuf, sizeof(idbuf), "%016llx", (unsigned long long)rq->id);
	MHD_add_response_header(resp, "X-Request-Id", idbuf);
	if (rq->deferred) {
		/* On a worker (dispatch.c): MHD's thread queues it on resume.
		 * A second response is refused, as MHD_queue_response does. */
		if (rq->dresp) {
			MHD_destroy_response(resp);
			return MHD_NO;
		}
		rq->dresp = resp;
		rq->dstatus = status;
		rq->responded = 1;
		return MHD_YES;
	}
	ret = MHD_queue_response(rq->conn, status, resp);
	MHD_destroy_response(resp);
	rq->responded = 1;
	return ret;
}

enum MHD_Result vb_http_send_bytes(vb_request *rq, unsigned status, const char *type,
				   const char *data, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	rq->bytes = (int64_t)len;
	if (type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return vb_http_send(rq, status, resp);
}

enum MHD_Result vb_http_send_json(vb_request *rq, unsigned status, json_t *body)
{
	struct MHD_Response *resp;
	char *s;
	size_t len;

	if (!body)
		return MHD_NO;
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!s)
		return MHD_NO;
	len = strlen(s);
	/* MHD frees s with free() once sent. */
	resp = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	rq->bytes = (int64_t)len;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	return vb_http_send(rq, status, resp);
}

enum MHD_Result vb_http_send_error(vb_request *rq, unsigned status, const char *code,
				   const char *parameter, const char *message)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);

	if (!e)
		return MHD_NO;
	if (parameter)
		json_object_set_new(e, "parameter", json_string(parameter));
	return vb_http_send_json(rq, status, json_pack("{s:o}", "error", e));
}

enum MHD_Result vb_http_send_vb_error(vb_request *rq, const vb_error *err)
{
	int code = err->code ? err->code : VB_EIO;
	unsigned status = (unsigned)vb_code_http_status(code);
	const char *msg = err->msg;

	/* Internal detail (SQL, paths) stays in the log, not in the answer. */
	if (status >= 500) {
		vb_warn("%s %s: %s", rq->method, rq->log_path, err->msg);
		msg = status == 503 ? "service temporarily unavailable" : "internal error";
	}
	return vb_http_send_error(rq, status, vb_code_name(code), NULL, msg);
}

enum MHD_Result vb_http_send_json_hdr(vb_request *rq, unsigned status, json_t *o,
				      const char *hname, const char *hval)
{
	struct MHD_Response *resp;
	char *s;

	if (!o)
		return MHD_NO;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return MHD_NO;
	rq->bytes = (int64_t)strlen(s);
	if (!(resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE))) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (hname)
		MHD_add_response_header(resp, hname, hval);
	return vb_http_send(rq, status, resp);
}

enum MHD_Result vb_http_send_error_hdr(vb_request *rq, unsigned status, const char *code,
				       const char *message, const char *hname, const char *hval)
{
	return vb_http_send_json_hdr(rq, status,
				     json_pack("{s:{s:s, s:s}}", "error", "code", code,
					       "message", message),
				     hname, hval);
}

enum MHD_Result vb_http_send_read_only(vb_request *rq)
{
	return vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "read_only", NULL,
				  "this server is a read-only replica: send writes to the primary");
}

int vb_http_refuse_args(vb_request *rq, enum MHD_Result *ret)
{
	static const char *const none[] = { NULL };

	return vb_api_refuse_unknown_args(rq, none, ret);
}

enum MHD_Result vb_http_send_unknown_param(vb_request *rq, const char *name)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "unknown parameter \"%s\"", name);
	return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", name, msg);
}

/* ---- routing ---- */

struct url_len {
	size_t n;
};

static enum MHD_Result url_len_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct url_len *ul = cls;

	ul->n += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 2;
	return MHD_YES;
}

static int is_api(const char *url)
{
	return !strncmp(url, "/api/", 5) || !strcmp(url, "/healthz");
}

static enum MHD_Result not_found(vb_request *rq)
{
	if (is_api(rq->url))
		return vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	return vb_page_error(rq, MHD_HTTP_NOT_FOUND, "Không tìm thấy trang bạn yêu cầu.");
}

/* Split "/api/v1/documents/ID[/files/N]": returns 1 and fills id / rest. */
static int match_id(const char *url, const char *prefix, int64_t *id, const char **rest)
{
	size_t n = strlen(prefix);
	const char *p, *end;

	if (strncmp(url, prefix, n))
		return 0;
	p = url + n;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	if (vb_parse_id(p, (size_t)(end - p), id))
		return 0;
	*rest = end;
	return 1;
}

/* Route modules added by the feature areas: each looks at rq->url and
 * rq->method and, when the request is one of its own, answers it (method
 * and parameter checks included), sets *ret and returns 1; else returns 0
 * without touching the request.  Tried in order, after the core routes
 * below found no match.  A new area adds one line here and declares its
 * router in daemon.h. */
static vb_router *const routers[] = {
	vb_route_discovery,
	vb_route_widget,
	vb_route_report,
	vb_route_sync,
	vb_route_eli,
	NULL
};

static int route_modules(vb_request *rq, enum MHD_Result *ret)
{
	size_t i;

	for (i = 0; routers[i]; i++)
		if (routers[i](rq, ret))
			return 1;
	return 0;
}

static enum MHD_Result route(vb_request *rq)
{
	const char *url = rq->url, *rest;
	int64_t id;
	enum MHD_Result ret;
	enum { R_NONE, R_PAGE_SEARCH, R_PAGE_DOC, R_CSS, R_API_SEARCH, R_API_DOC,
	       R_API_FILE, R_OPENAPI, R_HEALTH, R_API_RESOLVE, R_API_SUGGEST,
	       R_METRICS, R_READY } r = R_NONE;

	/* CORS preflight of the public reads (discovery: cache.c). */
	if (vb_cors_preflight(rq, &ret))
		return ret;
	if (!strcmp(url, "/") || !strcmp(url, "/search"))
		r = R_PAGE_SEARCH;
	else if (match_id(url, "/documents/", &id, &rest) && !*rest)
		r = R_PAGE_DOC;
	else if (!strcmp(url, "/static/style.css"))
		r = R_CSS;
	else if (!strcmp(url, "/api/v1/search"))
		r = R_API_SEARCH;
	else if (!strcmp(url, "/api/v1/openapi.json"))
		r = R_OPENAPI;
	else if (!strcmp(url, "/api/v1/resolve"))
		r = R_API_RESOLVE;
	else if (!strcmp(url, "/api/v1/suggest"))
		r = R_API_SUGGEST;
	else if (!strcmp(url, "/healthz"))
		r = R_HEALTH;
	else if (!strcmp(url, "/readyz")) /* metrics: health.c */
		r = R_READY;
	else if (!strcmp(url, "/metrics")) /* metrics: metrics.c */
		r = R_METRICS;
	else if (match_id(url, "/api/v1/documents/", &id, &rest)) {
		if (!*rest)
			r = R_API_DOC;
		else if (!strncmp(rest, "/files/", 7) && rest[7] && !strchr(rest + 7, '/'))
			r = R_API_FILE;
	}
	if (r == R_NONE)
		return route_modules(rq, &ret) ? ret : not_found(rq);
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *resp;
		static const char body[] =
			"{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"only GET and HEAD are allowed\"}}";

		resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
						       MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return MHD_NO;
		rq->bytes = (int64_t)(sizeof(body) - 1);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/json; charset=utf-8");
		return vb_http_send(rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
	}
	/* Only the search routes take parameters; the others refuse any, so
	 * that nothing undocumented is silently accepted. */
	if (r != R_PAGE_SEARCH && r != R_API_SEARCH && r != R_API_RESOLVE &&
	    r != R_API_SUGGEST && r != R_PAGE_DOC /* lang=, page_document.c */ &&
	    vb_http_refuse_args(rq, &ret))
		return ret;
	switch (r) {
	case R_PAGE_SEARCH:
		return vb_page_search(rq);
	case R_PAGE_DOC:
		return vb_page_document(rq, id);
	case R_CSS:
		return vb_web_send(rq, &rq->d->css, "text/css; charset=utf-8", 3600);
	case R_API_SEARCH:
		return vb_api_search(rq);
	case R_API_DOC:
		return vb_api_document(rq, id);
	case R_API_FILE:
		return vb_api_file(rq, id, rest + 7);
	case R_OPENAPI:
		return vb_web_send(rq, &rq->d->openapi, "application/json; charset=utf-8", 300);
	case R_HEALTH:
		return vb_api_health(rq);
	case R_API_RESOLVE:
		return vb_api_resolve(rq);
	case R_API_SUGGEST:
		return vb_api_suggest(rq);
	case R_READY:
		return vb_api_ready(rq);
	case R_METRICS:
		return vb_api_metrics(rq);
	default:
		return not_found(rq);
	}
}

static void sanitise_path(char *out, size_t outsz, const char *url)
{
	size_t i;

	snprintf(out, outsz, "%s", url ? url : "");
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] <= 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
}

void vb_http_request_init(vb_request *rq, const vb_daemon *d, struct MHD_Connection *conn,
			  const char *url, const char *method)
{
	rq->conn = conn;
	rq->d = d;
	rq->method = method;
	rq->url = url;
	rq->head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
	clock_gettime(CLOCK_MONOTONIC, &rq->start);
	sanitise_path(rq->log_path, sizeof(rq->log_path), url);
}

int vb_http_body_read(vb_request *rq, char *body, size_t max, size_t *len, int *too_big,
		      const char *data, size_t *size)
{
	size_t n = *size;

	if (rq->responded) {
		*size = 0; /* the rest of a refused body */
		return 1;
	}
	if (!n)
		return 0;
	*size = 0;
	if (*len + n > max)
		*too_big = 1;
	else {
		memcpy(body + *len, data, n);
		*len += n;
	}
	return 1;
}

/* The access handler on a read-only replica for a method that could
 * write: 503 read_only at once, the body (if any) discarded.  The context
 * is a plain vb_request whose url is "" so that no route module's
 * completion hook takes it for one of its own (log_path keeps the path for
 * the access log and the metrics). */
static enum MHD_Result refuse_write(const vb_daemon *d, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    size_t *upload_data_size, void **con_cls)
{
	vb_request *rq = *con_cls;

	if (rq) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	rq = calloc(1, sizeof(*rq));
	if (!rq)
		return MHD_NO;
	vb_http_request_init(rq, d, conn, url, method);
	rq->url = "";
	*con_cls = rq;
	return vb_http_send_read_only(rq);
}

/* hardening: an HTTP/1.1 request without Host is malformed (RFC 9112
 * 3.2); MHD lets it through, so it is answered 400 here, before any route
 * module sees it, like refuse_write (the same answer on every call). */
static enum MHD_Result refuse_no_host(const vb_daemon *d, struct MHD_Connection *conn,
				      const char *url, const char *method,
				      size_t *upload_data_size, void **con_cls)
{
	vb_request *rq = *con_cls;

	if (rq) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	rq = calloc(1, sizeof(*rq));
	if (!rq)
		return MHD_NO;
	vb_http_request_init(rq, d, conn, url, method);
	rq->url = "";
	*con_cls = rq;
	return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
				  "an HTTP/1.1 request needs a Host header");
}

typedef enum MHD_Result (*access_fn)(const vb_daemon *d, struct MHD_Connection *conn,
				     const char *url, const char *method,
				     const char *upload_data, size_t *upload_data_size,
				     void **con_cls);

/* dispatch.c: the last call of a route with its own access handler, run on
 * a worker. */
static enum MHD_Result finish_on_worker(vb_request *rq)
{
	size_t none = 0;
	void *cls = rq;

	return rq->daccess(rq->d, rq->conn, rq->url, rq->method, "", &none, &cls);
}

/* A route with its own access handler (its context starts with its
 * vb_request).  MHD's thread reads the body into it; the last call, once
 * the body is in, does the work (an upload's text extraction or OCR, a
 * database write) and goes to a worker like a GET, so that no connection
 * of MHD's thread waits behind it.  A request already answered (refused
 * at its start) stays where it is. */
static enum MHD_Result own_access(const vb_daemon *d, access_fn fn, struct MHD_Connection *conn,
				  const char *url, const char *method, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	vb_request *rq = *con_cls;

	if (rq && !*upload_data_size && !rq->responded) {
		rq->daccess = fn;
		if (vb_dispatch_submit(rq, finish_on_worker))
			return MHD_YES;
	}
	return fn(d, conn, url, method, upload_data, upload_data_size, con_cls);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	const vb_daemon *d = cls;
	vb_request *rq = *con_cls;
	struct url_len ul = { 0 };

	/* dispatch.c: back from a worker with the response it made (every
	 * context, a route module's too, starts with its vb_request) */
	if (rq && rq->deferred)
		return vb_dispatch_resumed(rq);
	/* A read-only replica refuses every method that could write, on every
	 * URL, before any route module or body reader sees the request. */
	if (d->cfg.read_only && strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) && strcmp(method, MHD_HTTP_METHOD_OPTIONS))
		return refuse_write(d, conn, url, method, upload_data_size, con_cls);
	if (!strcmp(version, MHD_HTTP_VERSION_1_1) &&
	    !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))
		return refuse_no_host(d, conn, url, method, upload_data_size, con_cls);
	/* Uploads take request bodies: api_upload.c handles them whole. */
	if (vb_upload_route(url))
		return own_access(d, vb_api_upload_access, conn, url, method, upload_data,
				  upload_data_size, con_cls);
	if (vb_portals_route(url)) /* portals: the registry, writes take JSON bodies */
		return own_access(d, vb_api_portals_access, conn, url, method, upload_data,
				  upload_data_size, con_cls);
	if (vb_admin_route(url)) /* admin: the staff UI, HTML forms (admin.c) */
		return own_access(d, vb_admin_access, conn, url, method, upload_data,
				  upload_data_size, con_cls);
	if (vb_sync_reviews_route(url)) /* sync: the review list, staff only, JSON bodies */
		return own_access(d, vb_api_sync_reviews_access, conn, url, method, upload_data,
				  upload_data_size, con_cls);
	if (vb_users_route(url)) /* accounts: session, users, tokens, audit (api_users.c) */
		return own_access(d, vb_api_users_access, conn, url, method, upload_data,
				  upload_data_size, con_cls);
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		vb_http_request_init(rq, d, conn, url, method);
		*con_cls = rq;
		/* A request with a body is refused right away (MHD can only
		 * queue a response before the body or after all of it); a
		 * plain GET or HEAD is answered on the next call, once MHD has
		 * the whole request, which keeps the connection alive. */
		if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_CONTENT_LENGTH) ||
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
			if (!rq->head && !strcmp(method, MHD_HTTP_METHOD_GET))
				return vb_http_send_error(rq, MHD_HTTP_METHOD_NOT_ALLOWED,
							  "method_not_allowed", NULL,
							  "request bodies are not accepted");
		} else if (rq->head || !strcmp(method, MHD_HTTP_METHOD_GET)) {
			return MHD_YES;
		}
	} else if (rq->responded || *upload_data_size) {
		/* The rest of a refused body: discard it. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	ul.n = strlen(url);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, url_len_cb, &ul);
	if (ul.n > VB_HTTP_MAX_URL)
		return vb_http_send_error(rq, MHD_HTTP_URI_TOO_LONG, "too_big", NULL,
					  "the URL is too long");
	if (vb_dispatch_submit(rq, route))
		return MHD_YES;
	return route(rq);
}

/* The access log: one structured line per request with the route pattern
 * (never the raw path or the query string, which may carry what a citizen
 * typed), status, body bytes, duration and request id; no client address,
 * no header values. */
static void access_log(vb_request *rq, unsigned status, double ms, int completed)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE",
					       "PATCH", "OPTIONS" };
	const char *method = "other";
	char id[24];
	size_t i;
	vb_log_field f[8];
	size_t n = 0;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(rq->method, methods[i]))
			method = methods[i];
	vb_http_request_id(rq);
	snprintf(id, sizeof(id), "%016llx", (unsigned long long)rq->id);
	f[n++] = (vb_log_field){ "method", method, 0 };
	f[n++] = (vb_log_field){ "route", vb_metrics_route(rq->log_path), 0 };
	f[n++] = (vb_log_field){ "status", NULL, status };
	f[n++] = (vb_log_field){ "bytes", NULL, (double)(rq->bytes > 0 ? rq->bytes : 0) };
	f[n++] = (vb_log_field){ "duration_ms", NULL, (double)(long long)(ms * 1000) / 1000 };
	f[n++] = (vb_log_field){ "request_id", id, 0 };
	if (!completed)
		f[n++] = (vb_log_field){ "aborted", "true", 0 };
	vb_log_event(VB_LOG_INFO, "request", f, n);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	vb_request *rq = *con_cls;
	const union MHD_ConnectionInfo *ci;
	struct timespec now;
	double ms;
	unsigned status = 0;

	if (!rq)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - rq->start.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - rq->start.tv_nsec) / 1e6;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
	if (ci)
		status = ci->http_status;
	access_log(rq, status, ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	vb_metrics_record(rq->method, rq->log_path, status, ms / 1e3);
	vb_api_upload_completed(rq);
	vb_admin_completed(rq);
	/* dispatch.c: a response made by a worker for a connection that MHD
	 * closed before queueing it (a stop, a client gone) */
	if (rq->dresp)
		MHD_destroy_response(rq->dresp);
	free(rq);
	*con_cls = NULL;
}

/* hardening: percent-decoding of the path and the query arguments as MHD
 * does it, except that an encoded NUL ("%00") becomes DEL (0x7f) instead
 * of ending the C string early: "q=a%00b" would otherwise silently be
 * "q=a" and "/documents/1%00.x" the document 1.  DEL is refused as text
 * by the parameter checks (vb_params_text_ok) and matches no route. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	size_t n = MHD_http_unescape(s), i;

	for (i = 0; i < n; i++)
		if (!s[i])
			s[i] = 0x7f;
	return n;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	vb_warn("http: %s", line);
}

/* Parse "A.B.C.D:PORT", "[v6]:PORT" or "*:PORT". */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen,
			int *v6, vb_error *err)
{
	char host[256];
	const char *colon, *port_s;
	char *end;
	long port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		hl = (size_t)(close - s - 1);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		port_s = close + 2;
		*v6 = 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			goto bad;
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s, hl);
		host[hl] = '\0';
		port_s = colon + 1;
		*v6 = 0;
	}
	errno = 0;
	port = strtol(port_s, &end, 10);
	if (errno || end == port_s || *end || port < 1 || port > 65535)
		goto bad;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		*sslen = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (!strcmp(host, "*") || !host[0])
			a->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		*sslen = sizeof(*a);
	}
	return 0;
bad:
	return vb_error_set(err, VB_EINVAL,
			    "invalid listen address \"%s\" (expected ADDR:PORT or [ADDR6]:PORT)", s);
}

int vb_http_start(vb_daemon *d, vb_error *err)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	int v6 = 0, rc;
	struct timespec ts;

	/* Not a secret, only distinct between runs and replicas. */
	clock_gettime(CLOCK_REALTIME, &ts);
	request_base = ((uint64_t)(((uint32_t)ts.tv_nsec * 2654435761u) ^
				   ((uint32_t)ts.tv_sec << 7) ^ ((uint32_t)getpid() * 40503u)))
		       << 32;

	if ((rc = parse_listen(d->cfg.listen, &ss, &sslen, &v6, err)))
		return rc;
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL;
	else
		flags |= MHD_USE_POLL;
	if (v6)
		flags |= MHD_USE_IPv6;
	d->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, d,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)d,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_THREAD_POOL_SIZE, (unsigned)VB_HTTP_IO_THREADS,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)VB_HTTP_CONNECTION_LIMIT,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)d->cfg.http_timeout,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)VB_HTTP_MEMORY_LIMIT,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)VB_HTTP_PER_IP_LIMIT,
				  MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)d,
				  MHD_OPTION_UNESCAPE_CALLBACK, unescape, (void *)d,
				  MHD_OPTION_END);
	if (!d->mhd)
		return vb_error_set(err, VB_EIO, "could not listen on %s", d->cfg.listen);
	(void)sslen;
	if ((rc = vb_dispatch_start(d, (unsigned)d->cfg.threads, err))) {
		MHD_stop_daemon(d->mhd);
		d->mhd = NULL;
		return rc;
	}
	return 0;
}

void vb_http_stop(vb_daemon *d)
{
	if (d && d->mhd) {
		/* No connection may stay parked when MHD stops. */
		vb_dispatch_stop();
		MHD_stop_daemon(d->mhd);
		d->mhd = NULL;
	}
}
