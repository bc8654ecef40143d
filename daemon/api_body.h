/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plumbing shared by the API routes with their own MHD access handler
 * and a small JSON body (api_portals.c, api_users.c with api_tokens.c and
 * api_audit.c, api_sync.c's review list; api_upload.c for its answers):
 * the request context and its body buffer (vb_body_access), the limit on
 * the body, the body as a JSON object with the errors every such route
 * gives, and the common answers (405, pipeline errors, 400).  Each route
 * keeps its own wording of the 413 (vb_body_route.too_big_msg).
 */
#ifndef VB_DAEMON_API_BODY_H
#define VB_DAEMON_API_BODY_H

#include <stddef.h>

#include "daemon.h"

/* A request body read into memory: at most max bytes, kept in the same
 * allocation as the request context (right after it), so that http.c's
 * completion handler frees both with the vb_request. */
typedef struct vb_body {
	char *data;              /* max + 1 bytes */
	size_t max;
	size_t len;              /* bytes read */
	int too_big;             /* more than max bytes came (the rest dropped) */
	const char *too_big_msg; /* the 413's message ("the JSON body is larger than 64 KiB") */
} vb_body;

/* A route module's request context and callbacks for vb_body_access. */
typedef struct vb_body_route {
	size_t size;             /* of the context, whose first member is the vb_request */
	size_t body;             /* offsetof the context's vb_body */
	size_t max;              /* the largest body, bytes */
	const char *too_big_msg;
	/* The first call, before any body: route, method, auth and limits
	 * (vb_body_limit).  MHD_YES to read the body, or a queued answer. */
	enum MHD_Result (*start)(vb_request *rq);
	/* The body is complete (none was refused): answer. */
	enum MHD_Result (*finish)(vb_request *rq);
} vb_body_route;

/* The whole MHD access handler of such a route: the first call allocates
 * the context (zeroed, vb_http_request_init, the vb_body set up) and calls
 * r->start; the calls carrying the body fill it (the excess of a too large
 * body, and any body after an answer, dropped); the last calls
 * r->finish. */
enum MHD_Result vb_body_access(const vb_body_route *r, const vb_daemon *d,
			       struct MHD_Connection *conn, const char *url, const char *method,
			       const char *upload_data, size_t *upload_data_size, void **con_cls);

/* Whether the request announces a body (a Content-Length other than 0). */
int vb_body_announced(vb_request *rq);
/* The checks of start before a body is read: a route that takes none
 * refuses an announced one (400 "this request takes no body"); one that
 * does refuses a Content-Length above b->max (413 too_big with
 * b->too_big_msg).  1 with the answer queued (*ret), else 0. */
int vb_body_limit(vb_request *rq, const vb_body *b, int takes_body, enum MHD_Result *ret);

/* The body as a JSON object (duplicate keys refused): 0 with *out a new
 * reference, or 1 with the answer queued (*ret): 413 too_big
 * (b->too_big_msg), 400 invalid "a JSON object is required as the body"
 * (empty), 400 invalid "the body is not a JSON object: <why>".  optional:
 * an empty body is no error, 0 with *out NULL. */
int vb_body_object(vb_request *rq, const vb_body *b, int optional, json_t **out,
		   enum MHD_Result *ret);
/* A string member of o (borrowed): NULL when absent or null; *bad_type set
 * when present but of another type. */
const char *vb_body_str(json_t *o, const char *key, int *bad_type);

/* Answer a pipeline error: VB_EDB drops this thread's connection,
 * VB_ENOTFOUND is 404 not_found with err's message, the rest as
 * vb_http_send_vb_error. */
enum MHD_Result vb_api_send_vb(vb_request *rq, int rc, const vb_error *err);
/* 405 method_not_allowed "only <allow> is allowed here" with Allow. */
enum MHD_Result vb_api_method_not_allowed(vb_request *rq, const char *allow);
/* 400 invalid naming parameter (may be NULL). */
enum MHD_Result vb_api_bad(vb_request *rq, const char *parameter, const char *message);
/* This thread's store: 0, or 1 with the error answered (*ret). */
int vb_api_store(vb_request *rq, vb_store **st, enum MHD_Result *ret);

/* Whether url is prefix itself or below it ("prefix/..."). */
int vb_api_route_prefix(const char *url, const char *prefix);
/* Refuse the first query argument not in allowed (NULL-terminated): 1
 * with a 400 naming it queued (*ret), else 0. */
int vb_api_refuse_unknown_args(vb_request *rq, const char *const *allowed,
			       enum MHD_Result *ret);
/* A query argument; NULL when absent or empty. */
const char *vb_api_arg(vb_request *rq, const char *key);

#endif
