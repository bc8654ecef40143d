/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /eli/vn/{place}/{issuer}/{form}/{year}/{number}: the stable
 * identifier of a document (lib/eli.h), resolved against every ELI a
 * document has had (renames and mergers keep old URIs working):
 *   one document     303 to /documents/{id} (with "Accept:
 *                    application/json": to /api/v1/documents/{id}, and a
 *                    JSON body naming it);
 *   several          300 Multiple Choices with the list of candidates
 *                    (HTML, or JSON {"candidates": [...]}): never a guess;
 *   a shorter path   (/eli/vn/quang-ninh/ubnd/qd/2023) 300 with the
 *                    documents below it, when there are any;
 *   none             404;
 *   one withdrawn    410 with the reason (docs/workflow.md); withdrawn
 *                    documents are left out of the shorter-path lists.
 * No query parameters.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eli.h"

#define ELI_CANDIDATES_MAX 50

static int wants_json(vb_request *rq)
{
	const char *a = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_ACCEPT);

	return a && strstr(a, "application/json") && !strstr(a, "text/html");
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *brief_json(const vb_doc_brief *b)
{
	char uri[48];

	snprintf(uri, sizeof(uri), "/documents/%lld", (long long)b->id);
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)b->id,
			 "uri", uri, "number", str_or_null(b->number), "form", str_or_null(b->form),
			 "issuer", str_or_null(b->issuer), "issue_date", str_or_null(b->issue_date),
			 "status", str_or_null(b->status), "abstract", str_or_null(b->abstract));
}

static enum MHD_Result send_body(vb_request *rq, unsigned status, const char *type,
				 vb_buf *body, const char *location)
{
	struct MHD_Response *resp;
	size_t len = body->len;
	char *s = vb_buf_steal(body);

	if (!s)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	rq->bytes = (int64_t)len;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept");
	if (location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
	return vb_http_send(rq, status, resp);
}

static enum MHD_Result send_json(vb_request *rq, unsigned status, json_t *o, const char *location)
{
	vb_buf b;
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	enum MHD_Result ret;

	json_decref(o);
	if (!s)
		return MHD_NO;
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_buf_puts(&b, s);
	free(s);
	ret = send_body(rq, status, "application/json", &b, location);
	vb_buf_dispose(&b);
	return ret;
}

static void html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

static enum MHD_Result answer(vb_request *rq, const char *eli, const vb_doc_brief *v, size_t n,
			      int below)
{
	char loc[64];
	vb_buf b;
	enum MHD_Result ret;
	size_t i;

	if (n == 1 && !below) {
		int json = wants_json(rq);
		json_t *gone = NULL;

		if (vb_withdrawn_check(rq, v[0].id, &gone)) /* workflow: 410 with the reason */
			return json ? vb_withdrawn_send_json(rq, gone) : vb_page_withdrawn(rq, gone);

		snprintf(loc, sizeof(loc), json ? "/api/v1/documents/%lld" : "/documents/%lld",
			 (long long)v[0].id);
		if (json)
			return send_json(rq, MHD_HTTP_SEE_OTHER,
					 json_pack("{s:s, s:o}", "eli", eli, "document", brief_json(&v[0])),
					 loc);
		vb_buf_init(&b, VB_HTTP_MAX_BODY);
		vb_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"vi\"><title>303</title><p><a href=\"%s\">%s</a></p></html>\n",
			      loc, loc);
		ret = send_body(rq, MHD_HTTP_SEE_OTHER, "text/html; charset=utf-8", &b, loc);
		vb_buf_dispose(&b);
		return ret;
	}
	if (wants_json(rq)) {
		json_t *o = json_pack("{s:s, s:{s:s, s:s}, s:[]}", "eli", eli, "error", "code", "ambiguous",
				      "message", "several documents have this identifier", "candidates");
		json_t *c = json_object_get(o, "candidates");

		for (i = 0; i < n; i++)
			json_array_append_new(c, brief_json(&v[i]));
		return send_json(rq, MHD_HTTP_MULTIPLE_CHOICES, o, NULL);
	}
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
		    "<title>Nhiều văn bản</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n"
		    "<body><main><h1>Nhiều văn bản có cùng định danh</h1>\n<p><code>");
	html(&b, eli);
	vb_buf_puts(&b, "</code></p>\n<ul>\n");
	for (i = 0; i < n; i++) {
		vb_buf_printf(&b, "<li><a href=\"/documents/%lld\">", (long long)v[i].id);
		html(&b, v[i].number ? v[i].number : "(không số)");
		vb_buf_puts(&b, "</a> ");
		html(&b, v[i].issuer);
		if (v[i].issue_date[0]) {
			vb_buf_puts(&b, " ");
			html(&b, v[i].issue_date);
		}
		if (v[i].abstract) {
			vb_buf_puts(&b, " — ");
			html(&b, v[i].abstract);
		}
		vb_buf_puts(&b, "</li>\n");
	}
	vb_buf_puts(&b, "</ul></main></body></html>\n");
	ret = send_body(rq, MHD_HTTP_MULTIPLE_CHOICES, "text/html; charset=utf-8", &b, NULL);
	vb_buf_dispose(&b);
	return ret;
}

int vb_route_eli(vb_request *rq, enum MHD_Result *ret)
{
	char norm[VB_ELI_MAX];
	vb_doc_brief *v = NULL;
	size_t n = 0;
	vb_store *st;
	vb_error err;
	struct MHD_Response *resp;
	int rc, below = 0;

	if (strncmp(rq->url, "/eli/", 5) && strcmp(rq->url, "/eli"))
		return 0;
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		*ret = vb_http_send(rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
		return 1;
	}
	if (vb_http_refuse_args(rq, ret))
		return 1;
	if (vb_eli_normalize(rq->url, norm, sizeof(norm))) {
		*ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "not an identifier of the form /eli/vn/{place}/{issuer}/{form}/{year}/{number}");
		return 1;
	}
	vb_error_clear(&err);
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_eli_find(st, norm, 0, ELI_CANDIDATES_MAX, &v, &n, &err)) ||
	    (!n && (below = 1) &&
	     (rc = vb_store_eli_find(st, norm, 1, ELI_CANDIDATES_MAX, &v, &n, &err)))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		*ret = vb_http_send_vb_error(rq, &err);
		return 1;
	}
	if (!n)
		*ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no document has this identifier");
	else
		*ret = answer(rq, norm, v, n, below);
	vb_doc_briefs_free(v, n);
	return 1;
}
