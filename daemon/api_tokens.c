/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * API tokens over HTTP (docs/accounts.md), routed by api_users.c:
 *
 *   GET  /api/v1/tokens               own tokens (sysadmin: ?all=true for everyone's)
 *   POST /api/v1/tokens               {name, scopes, portals?, expires_at?, user?} -> 201,
 *                                     the secret shown once
 *   POST /api/v1/tokens/{id}/revoke   own token; sysadmin: any ({"reason"} optional)
 *
 * A token never holds more scopes than the credential creating it; only
 * a system administrator names another owner (user).  Only token ids go
 * to the log.
 */
#include "api_users.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "log.h"

enum MHD_Result vb_api_tokens_list(vb_request *rq)
{
	static const char *const allowed[] = { "all", NULL };
	enum MHD_Result ret;
	vb_principal p;
	json_t *list = NULL;
	const char *all;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (vb_api_refuse_unknown_args(rq, allowed, &ret) || vb_auth_principal(rq, &p, &ret))
		return ret;
	if (p.kind == VB_ACTOR_ANONYMOUS)
		return vb_users_unauthorized(rq, "this request needs a login or an API token");
	all = vb_api_arg(rq, "all");
	if (all && strcmp(all, "true") && strcmp(all, "false"))
		return vb_api_bad(rq, "all", "all must be true or false");
	if (all && !strcmp(all, "true") && !(p.sysadmin && (p.scopes & VB_SCOPE_ADMIN)))
		return vb_auth_send_forbidden(rq, NULL, 0);
	if (vb_api_store(rq, &st, &ret))
		return ret;
	/* the config token belongs to no user: it sees everyone's */
	if ((rc = vb_store_token_list(st, (all && !strcmp(all, "true")) || !p.user_id ? 0 : p.user_id,
				      &list, &err)))
		return vb_api_send_vb(rq, rc, &err);
	return vb_http_send_json(rq, MHD_HTTP_OK, json_pack("{s:o}", "tokens", list));
}

enum MHD_Result vb_api_tokens_create(vb_request *rq, const vb_body *b)
{
	enum MHD_Result ret;
	vb_principal p;
	char tok[VB_TOKEN_LEN + 1], hash[65];
	const char *name, *expires, *for_login;
	json_t *body, *scopes, *portals, *v, *out;
	unsigned sc = 0;
	int64_t owner, id = 0;
	vb_store *st;
	vb_error err;
	size_t i;
	int bad_type = 0, rc;

	vb_error_clear(&err);
	/* a session (with CSRF) or a token with the admin scope */
	if (vb_auth_require(rq, &p, NULL, 0, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	if (vb_body_object(rq, b, 0, &body, &ret))
		return ret;
	name = vb_body_str(body, "name", &bad_type);
	expires = vb_body_str(body, "expires_at", &bad_type);
	for_login = vb_body_str(body, "user", &bad_type);
	scopes = json_object_get(body, "scopes");
	portals = json_object_get(body, "portals");
	if (json_is_null(portals))
		portals = NULL;
	if (bad_type || !name || !json_is_array(scopes) || !json_array_size(scopes) ||
	    (portals && !json_is_array(portals)) || json_array_size(portals) > VB_PRINCIPAL_MAX_ROLES) {
		json_decref(body);
		return vb_api_bad(rq, NULL, "name (string) and scopes (non-empty array) are required;"
				  " portals is an array of portal ids or null, expires_at an ISO timestamp");
	}
	json_array_foreach(scopes, i, v) {
		unsigned s = vb_scope_parse(json_string_value(v));

		if (!s) {
			json_decref(body);
			return vb_api_bad(rq, "scopes", "scopes are upload, publish, sync, report and admin");
		}
		sc |= s;
	}
	json_array_foreach(portals, i, v)
		if (!json_is_string(v)) {
			json_decref(body);
			return vb_api_bad(rq, "portals", "portals must be strings");
		}
	if (vb_api_store(rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	owner = p.user_id;
	if (for_login) {
		if (!p.sysadmin) {
			json_decref(body);
			return vb_auth_send_forbidden(rq, NULL, 0);
		}
		if ((rc = vb_store_user_id(st, for_login, &owner, &err))) {
			json_decref(body);
			return vb_api_send_vb(rq, rc, &err);
		}
	}
	if (!owner) {
		json_decref(body);
		return vb_api_bad(rq, "user", "this credential belongs to no user: name the owner (user)");
	}
	/* a token never holds more scopes than the credential creating it */
	if ((sc & p.scopes) != sc) {
		json_decref(body);
		return vb_http_send_error(rq, MHD_HTTP_FORBIDDEN, "forbidden", "scopes",
					  "a token cannot have scopes the creating credential lacks");
	}
	if ((rc = vb_token_new(tok, &err))) {
		json_decref(body);
		return vb_api_send_vb(rq, rc, &err);
	}
	vb_secret_hash(tok, hash);
	if (!(rc = vb_audit_begin(st, &p, "token.create", NULL, &err))) {
		rc = vb_store_token_create(st, owner, name, hash, sc, portals, expires, &id, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc)
		return vb_api_send_vb(rq, rc, &err);
	out = json_pack("{s:I, s:s, s:I, s:o, s:s}", "id", (json_int_t)id, "token", tok, "user_id",
			(json_int_t)owner, "scopes", vb_scopes_json(sc), "note",
			"the token is shown once: store it now");
	memset(tok, 0, sizeof(tok));
	vb_info("api token %lld created", (long long)id);
	return vb_http_send_json(rq, MHD_HTTP_CREATED, out);
}

enum MHD_Result vb_api_token_revoke(vb_request *rq, const vb_body *b, int64_t id)
{
	enum MHD_Result ret;
	vb_principal p;
	json_t *body = NULL;
	const char *reason;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (vb_auth_require(rq, &p, NULL, 0, 0, NULL, &ret))
		return ret;
	if (!p.sysadmin && !p.user_id)
		return vb_auth_send_forbidden(rq, NULL, 0);
	if (vb_users_reason(rq, b, &body, &reason, &ret) || vb_api_store(rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, "token.revoke", reason, &err))) {
		rc = vb_store_token_revoke(st, id, p.sysadmin && (p.scopes & VB_SCOPE_ADMIN)
					   ? 0 : p.user_id, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc)
		return vb_api_send_vb(rq, rc, &err);
	vb_info("api token %lld revoked", (long long)id);
	return vb_http_send_json(rq, MHD_HTTP_OK,
				 json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}
