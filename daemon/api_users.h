/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to the accounts routes: api_users.c (the access handler of
 * /api/v1/session, /users, /tokens and /audit, and the session, user and
 * role routes) hands the token routes to api_tokens.c and the audit log
 * to api_audit.c.
 */
#ifndef VB_DAEMON_API_USERS_H
#define VB_DAEMON_API_USERS_H

#include <stdint.h>

#include "api_body.h"

/* ---- api_users.c ---- */

/* 401 unauthorized with WWW-Authenticate: Bearer realm="vanban". */
enum MHD_Result vb_users_unauthorized(vb_request *rq, const char *message);
/* The optional body {"reason": "..."} of disable, enable and revoke: 0
 * with *reason (borrowed from *body, which the caller releases; both NULL
 * when there is no body or no reason), or 1 with the answer queued. */
int vb_users_reason(vb_request *rq, const vb_body *b, json_t **body, const char **reason,
		    enum MHD_Result *ret);

/* ---- api_tokens.c ---- */

/* GET /api/v1/tokens[?all=true] */
enum MHD_Result vb_api_tokens_list(vb_request *rq);
/* POST /api/v1/tokens with the body b */
enum MHD_Result vb_api_tokens_create(vb_request *rq, const vb_body *b);
/* POST /api/v1/tokens/{id}/revoke with the body b */
enum MHD_Result vb_api_token_revoke(vb_request *rq, const vb_body *b, int64_t id);

/* ---- api_audit.c ---- */

/* GET /api/v1/audit?... */
enum MHD_Result vb_api_audit(vb_request *rq);

#endif
