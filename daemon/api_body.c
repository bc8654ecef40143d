/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plumbing of the API routes with their own access handler and a small
 * JSON body (see api_body.h): one allocation per request holding the
 * route's context and, right after it, the body buffer; the body's limit;
 * the body as a JSON object; the answers these routes share.
 */
#include "api_body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result vb_body_access(const vb_body_route *r, const vb_daemon *d,
			       struct MHD_Connection *conn, const char *url, const char *method,
			       const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	vb_request *rq = *con_cls;
	vb_body *b;

	if (!rq) {
		char *ctx = calloc(1, r->size + r->max + 1);

		if (!ctx)
			return MHD_NO;
		rq = (vb_request *)ctx; /* first member */
		b = (vb_body *)(ctx + r->body);
		b->data = ctx + r->size;
		b->max = r->max;
		b->too_big_msg = r->too_big_msg;
		vb_http_request_init(rq, d, conn, url, method);
		*con_cls = rq;
		return r->start(rq);
	}
	b = (vb_body *)((char *)rq + r->body);
	if (vb_http_body_read(rq, b->data, b->max, &b->len, &b->too_big, upload_data,
			      upload_data_size))
		return MHD_YES;
	return r->finish(rq);
}

int vb_body_announced(vb_request *rq)
{
	const char *len = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_LENGTH);

	return len && strcmp(len, "0");
}

int vb_body_limit(vb_request *rq, const vb_body *b, int takes_body, enum MHD_Result *ret)
{
	const char *len;

	if (!takes_body) {
		if (!vb_body_announced(rq))
			return 0;
		*ret = vb_api_bad(rq, NULL, "this request takes no body");
		return 1;
	}
	len = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (!len || strtoull(len, NULL, 10) <= b->max)
		return 0;
	*ret = vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL, b->too_big_msg);
	return 1;
}

int vb_body_object(vb_request *rq, const vb_body *b, int optional, json_t **out,
		   enum MHD_Result *ret)
{
	json_error_t jerr;
	json_t *o;

	*out = NULL;
	if (b->too_big) {
		*ret = vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL,
					  b->too_big_msg);
		return 1;
	}
	if (!b->len) {
		if (optional)
			return 0;
		*ret = vb_api_bad(rq, NULL, "a JSON object is required as the body");
		return 1;
	}
	if (!(o = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(o)) {
		char m[VB_ERROR_MSG_MAX];

		snprintf(m, sizeof(m), "the body is not a JSON object: %s",
			 o ? "another JSON value" : jerr.text);
		json_decref(o);
		*ret = vb_api_bad(rq, NULL, m);
		return 1;
	}
	*out = o;
	return 0;
}

const char *vb_body_str(json_t *o, const char *key, int *bad_type)
{
	json_t *v = json_object_get(o, key);

	if (v && !json_is_string(v) && !json_is_null(v))
		*bad_type = 1;
	return json_string_value(v);
}

/* ---- answers ------------------------------------------------------------ */

enum MHD_Result vb_api_send_vb(vb_request *rq, int rc, const vb_error *err)
{
	if (rc == VB_EDB)
		vb_worker_store_failed();
	if (rc == VB_ENOTFOUND)
		return vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, err->msg);
	return vb_http_send_vb_error(rq, err);
}

enum MHD_Result vb_api_method_not_allowed(vb_request *rq, const char *allow)
{
	char m[64];

	snprintf(m, sizeof(m), "only %s is allowed here", allow);
	return vb_http_send_error_hdr(rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", m,
				      MHD_HTTP_HEADER_ALLOW, allow);
}

enum MHD_Result vb_api_bad(vb_request *rq, const char *parameter, const char *message)
{
	return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", parameter, message);
}

int vb_api_store(vb_request *rq, vb_store **st, enum MHD_Result *ret)
{
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(rq->d, st, &err))) {
		*ret = vb_api_send_vb(rq, rc, &err);
		return 1;
	}
	return 0;
}

/* ---- routes and query arguments ---------------------------------------- */

int vb_api_route_prefix(const char *url, const char *prefix)
{
	size_t n = strlen(prefix);

	return url && !strncmp(url, prefix, n) && (!url[n] || url[n] == '/');
}

struct unknown_arg {
	const char *const *allowed;
	const char *key; /* the first one not allowed */
};

static enum MHD_Result unknown_arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct unknown_arg *a = cls;
	const char *const *k;

	(void)kind;
	(void)value;
	for (k = a->allowed; *k; k++)
		if (key && !strcmp(key, *k))
			return MHD_YES;
	a->key = key ? key : "";
	return MHD_NO;
}

int vb_api_refuse_unknown_args(vb_request *rq, const char *const *allowed,
			       enum MHD_Result *ret)
{
	struct unknown_arg a = { allowed, NULL };
	char shown[40];

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, unknown_arg_cb, &a);
	if (!a.key)
		return 0;
	vb_params_key_shown(shown, sizeof(shown), a.key);
	*ret = vb_http_send_unknown_param(rq, shown);
	return 1;
}

const char *vb_api_arg(vb_request *rq, const char *key)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}
