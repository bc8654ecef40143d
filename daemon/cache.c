/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HTTP caching and CORS for vanband (owned by discovery).
 *
 * Caching: a generated body gets a strong ETag (the first 128 bits of its
 * SHA-256, so equal bytes give equal tags on every worker and across
 * restarts) and "Cache-Control: public, max-age=N"; a request whose
 * If-None-Match names that tag (or "*") gets 304 with the same headers and
 * no body.  Routes whose body can be named before it is built (a file by
 * its SHA-256) use vb_cache_if_none_match / vb_cache_send_not_modified
 * directly; the others build the body and call vb_cache_send.
 *
 * CORS: the public reads (GET and HEAD of /api/v1/... except the staff
 * upload routes, of the feeds, the OpenSearch description and the sitemap)
 * carry "Access-Control-Allow-Origin: *", without credentials, so portals
 * on other domains can call them from the browser.  A request that carries
 * an Authorization header is never a public read and gets no CORS header;
 * write routes (POST, token-protected) get none either, and their
 * preflight is not answered here, so a browser on another origin cannot
 * call them.  Preflight requests (OPTIONS) of the public reads are
 * answered with 204 by vb_cors_preflight.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

void vb_cache_etag_of(char etag[VB_CACHE_ETAG_LEN], const void *data, size_t len)
{
	char hex[65];

	vb_sha256_hex_of(data, len, hex);
	snprintf(etag, VB_CACHE_ETAG_LEN, "\"%.32s\"", hex);
}

int vb_cache_if_none_match(vb_request *rq, const char *etag)
{
	const char *p = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_IF_NONE_MATCH);
	size_t n = strlen(etag);

	if (!p)
		return 0;
	/* A list of entity tags (weak comparison, RFC 9110 13.1.2) or "*". */
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
					     p[n] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

void vb_cache_add_headers(struct MHD_Response *resp, const char *etag, int max_age)
{
	char cc[64];

	if (max_age < 0)
		snprintf(cc, sizeof(cc), "no-cache");
	else
		snprintf(cc, sizeof(cc), "public, max-age=%d", max_age);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	if (etag && *etag)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
}

static enum MHD_Result not_modified(vb_request *rq, const char *etag, int max_age,
				    const char *vary)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	vb_cache_add_headers(resp, etag, max_age);
	if (vary)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, vary);
	return vb_http_send(rq, MHD_HTTP_NOT_MODIFIED, resp);
}

enum MHD_Result vb_cache_send_not_modified(vb_request *rq, const char *etag, int max_age)
{
	return not_modified(rq, etag, max_age, NULL);
}

enum MHD_Result vb_cache_send(vb_request *rq, const char *type, const char *body, size_t len,
			      int max_age)
{
	return vb_cache_send_vary(rq, type, body, len, max_age, NULL);
}

enum MHD_Result vb_cache_send_vary(vb_request *rq, const char *type, const char *body,
				   size_t len, int max_age, const char *vary)
{
	struct MHD_Response *resp;
	char etag[VB_CACHE_ETAG_LEN];

	vb_cache_etag_of(etag, body, len);
	if (vb_cache_if_none_match(rq, etag))
		return not_modified(rq, etag, max_age, vary);
	resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (vary)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, vary);
	vb_cache_add_headers(resp, etag, max_age);
	rq->bytes = (int64_t)len; /* access log */
	return vb_http_send(rq, MHD_HTTP_OK, resp);
}

enum MHD_Result vb_cache_send_json(vb_request *rq, json_t *body, int max_age, int with_etag)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *s;

	if (!body)
		return MHD_NO;
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!s)
		return MHD_NO;
	if (with_etag) {
		ret = vb_cache_send(rq, "application/json; charset=utf-8", s, strlen(s), max_age);
		free(s);
		return ret;
	}
	/* MHD frees s with free() once sent. */
	resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	vb_cache_add_headers(resp, NULL, max_age);
	rq->bytes = (int64_t)strlen(s); /* access log */
	return vb_http_send(rq, MHD_HTTP_OK, resp);
}

/* ---- CORS ---- */

/* Whether url is a public read path (for GET / HEAD / OPTIONS). */
static int cors_path(const char *url)
{
	if (!strncmp(url, "/api/v1/", 8))
		return !vb_upload_route(url);
	return !strncmp(url, "/feeds/", 7) || !strcmp(url, "/opensearch.xml") ||
	       !strcmp(url, "/sitemap.xml") || !strncmp(url, "/sitemaps/", 10);
}

void vb_cors_add_headers(const vb_request *rq, struct MHD_Response *resp)
{
	if (!rq->url || !rq->method || !cors_path(rq->url))
		return;
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD))
		return;
	if (MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
		return;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
	MHD_add_response_header(resp, "Access-Control-Expose-Headers",
				"ETag, Content-Disposition, Content-Range, Content-Length");
}

int vb_cors_preflight(vb_request *rq, enum MHD_Result *ret)
{
	struct MHD_Response *resp;

	if (strcmp(rq->method, MHD_HTTP_METHOD_OPTIONS) || !cors_path(rq->url))
		return 0;
	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		*ret = MHD_NO;
		return 1;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
	MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
	MHD_add_response_header(resp, "Access-Control-Allow-Headers",
				"Accept, Accept-Language, Content-Language, If-None-Match, Range");
	MHD_add_response_header(resp, "Access-Control-Max-Age", "86400");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
	*ret = vb_http_send(rq, MHD_HTTP_NO_CONTENT, resp);
	return 1;
}
