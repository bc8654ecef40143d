/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts over HTTP (docs/accounts.md):
 *
 *   POST   /api/v1/session                  log in: JSON or form {login, password}
 *                                           -> Set-Cookie vb_session, {user, csrf, expires_at}
 *   GET    /api/v1/session                  who am I: {user, roles, csrf, kind}
 *   DELETE /api/v1/session                  log out
 *   GET    /api/v1/users                    sysadmin: all; portal admin: users of own portals
 *   POST   /api/v1/users                    sysadmin: {login, display_name, password, sysadmin}
 *   GET    /api/v1/users/{id}               sysadmin, a portal admin, or the user
 *   POST   /api/v1/users/{id}/disable|enable sysadmin
 *   POST   /api/v1/users/{id}/roles         {portal, role}: portal admin of that portal or sysadmin
 *   DELETE /api/v1/users/{id}/roles/{portal}/{role}
 *   GET    /api/v1/tokens                   own tokens (sysadmin: ?all=true for everyone's)
 *   POST   /api/v1/tokens                   {name, scopes, portals?, expires_at?, user?} -> 201,
 *                                           the secret shown once
 *   POST   /api/v1/tokens/{id}/revoke       own token; sysadmin: any
 *   GET    /api/v1/audit?document=&user=&portal=&since=&until=&limit=&offset=&format=json|csv
 *
 * Login is rate-limited twice: per client address in memory (10 failures
 * in 10 minutes -> 429 with Retry-After) and per account in the database
 * (5 consecutive failures lock it for 15 minutes).  Unknown login, wrong
 * password and disabled account get the same answer.  A lockout is logged
 * as the event "account_locked" with the user id only.  Writes set the
 * audit context (vb_audit_begin) so the database's triggers record who.
 */
#include "daemon.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "log.h"

#define BODY_MAX (64 * 1024)
#define ACCOUNT_FAIL_MAX 5
#define ACCOUNT_LOCK_MINUTES 15

enum route {
	R_BAD, R_SESSION, R_USERS, R_USER, R_USER_OP, R_ROLES, R_ROLE, R_TOKENS, R_TOKEN_REVOKE,
	R_AUDIT
};

typedef struct users_rq {
	vb_request rq; /* first: http.c logs and frees the request through it */
	enum route route;
	int64_t id;
	char op[16];
	char portal[64];
	char role[16];
	size_t len;
	int too_big;
	char body[BODY_MAX + 1];
} users_rq;

/* ---- helpers ------------------------------------------------------------ */

static enum MHD_Result send_vb(vb_request *rq, int rc, const vb_error *err)
{
	if (rc == VB_EDB)
		vb_worker_store_failed();
	if (rc == VB_ENOTFOUND)
		return vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, err->msg);
	return vb_http_send_vb_error(rq, err);
}

static enum MHD_Result method_not_allowed(vb_request *rq, const char *allow)
{
	char m[64];

	snprintf(m, sizeof(m), "only %s is allowed here", allow);
	return vb_http_send_error_hdr(rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", m,
				      MHD_HTTP_HEADER_ALLOW, allow);
}

static enum MHD_Result bad(vb_request *rq, const char *parameter, const char *message)
{
	return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", parameter, message);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode application/x-www-form-urlencoded s (n bytes) into a JSON object
 * of strings (the last value of a repeated key wins).  NULL when malformed. */
static json_t *form_decode(const char *s, size_t n)
{
	json_t *o = json_object();
	char *buf = malloc(n + 1);
	size_t i = 0;

	if (!o || !buf)
		goto fail;
	while (i < n) {
		size_t k = 0, eq = (size_t)-1;

		while (i < n && s[i] != '&') {
			char c = s[i];

			if (c == '+') {
				c = ' ';
			} else if (c == '%') {
				int h1, h2;

				if (i + 2 >= n)
					goto fail;
				h1 = hexval((unsigned char)s[i + 1]);
				h2 = hexval((unsigned char)s[i + 2]);
				if (h1 < 0 || h2 < 0)
					goto fail;
				c = (char)(h1 << 4 | h2);
				i += 2;
			} else if (c == '=' && eq == (size_t)-1) {
				eq = k;
				buf[k++] = '\0';
				i++;
				continue;
			}
			if (!c)
				goto fail;
			buf[k++] = c;
			i++;
		}
		buf[k] = '\0';
		if (k && eq != (size_t)-1) {
			json_t *v = json_string(buf + eq + 1);

			if (!v)
				goto fail; /* not UTF-8 */
			json_object_set_new(o, buf, v);
		}
		i++; /* the '&' */
	}
	free(buf);
	return o;
fail:
	free(buf);
	json_decref(o);
	return NULL;
}

/* The request body as a JSON object (JSON, or a form for the login).
 * NULL with a response queued (*ret). */
static json_t *body_object(users_rq *u, int allow_form, enum MHD_Result *ret)
{
	const char *type = MHD_lookup_connection_value(u->rq.conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_TYPE);
	json_error_t jerr;
	json_t *o;

	if (u->too_big) {
		*ret = vb_http_send_error(&u->rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL,
					  "the body is larger than 64 KiB");
		return NULL;
	}
	if (allow_form && type && !strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
		if (!(o = form_decode(u->body, u->len)))
			*ret = bad(&u->rq, NULL, "the form body is malformed");
		return o;
	}
	if (!u->len) {
		*ret = bad(&u->rq, NULL, "a JSON object is required as the body");
		return NULL;
	}
	if (!(o = json_loadb(u->body, u->len, JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(o)) {
		char m[VB_ERROR_MSG_MAX];

		snprintf(m, sizeof(m), "the body is not a JSON object: %s",
			 o ? "another JSON value" : jerr.text);
		json_decref(o);
		*ret = bad(&u->rq, NULL, m);
		return NULL;
	}
	return o;
}

/* A string member of o: NULL when absent; *bad_type set when present but
 * not a string. */
static const char *str_member(json_t *o, const char *key, int *bad_type)
{
	json_t *v = json_object_get(o, key);

	if (v && !json_is_string(v) && !json_is_null(v))
		*bad_type = 1;
	return json_string_value(v);
}

/* The optional body {"reason": "..."} of disable, enable and revoke: 0 with
 * *reason (borrowed from *body, which the caller releases; NULL when no
 * body or no reason), or 1 with a response queued. */
static int optional_reason(users_rq *u, json_t **body, const char **reason, enum MHD_Result *ret)
{
	const char *k;
	json_t *v;
	int bad_type = 0;

	*body = NULL;
	*reason = NULL;
	if (!u->len && !u->too_big)
		return 0;
	if (!(*body = body_object(u, 0, ret)))
		return 1;
	json_object_foreach(*body, k, v)
		if (strcmp(k, "reason")) {
			*ret = bad(&u->rq, NULL, "unknown member in the body: only \"reason\" is allowed");
			return 1;
		}
	*reason = str_member(*body, "reason", &bad_type);
	if (bad_type || (*reason && strlen(*reason) > VB_AUDIT_REASON_MAX)) {
		*ret = bad(&u->rq, "reason", "reason must be a string of at most 2000 bytes");
		return 1;
	}
	return 0;
}

/* Refuse every query argument not in allowed (NULL-terminated). */
static enum MHD_Result check_args_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	const char **res = cls, *const *allowed = (const char *const *)res[1];

	(void)kind;
	(void)value;
	for (; *allowed; allowed++)
		if (key && !strcmp(key, *allowed))
			return MHD_YES;
	res[0] = key ? key : "";
	return MHD_NO;
}

static int refuse_unknown_args(vb_request *rq, const char *const *allowed, enum MHD_Result *ret)
{
	const char *res[2] = { NULL, (const char *)allowed };
	char shown[40];

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, check_args_cb, res);
	if (!res[0])
		return 0;
	vb_params_key_shown(shown, sizeof(shown), res[0]);
	*ret = vb_http_send_unknown_param(rq, shown);
	return 1;
}

static const char *arg(vb_request *rq, const char *key)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

static int store_for(vb_request *rq, vb_store **st, enum MHD_Result *ret)
{
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(rq->d, st, &err))) {
		*ret = send_vb(rq, rc, &err);
		return 1;
	}
	return 0;
}

static json_t *principal_json(const vb_principal *p)
{
	json_t *roles = json_array();

	for (size_t i = 0; roles && i < p->n_roles; i++)
		for (unsigned r = 1; r <= VB_ROLE_PORTAL_ADMIN; r <<= 1)
			if (p->roles[i].roles & r)
				json_array_append_new(roles, json_pack("{s:s, s:s}", "portal",
								       p->roles[i].portal, "role",
								       vb_role_name(r)));
	return json_pack("{s:s, s:I, s:I, s:s, s:b, s:o, s:o}", "kind",
			 vb_actor_kind_name(p->kind), "user_id", (json_int_t)p->user_id,
			 "token_id", (json_int_t)p->token_id, "label", p->label, "sysadmin", p->sysadmin,
			 "scopes", vb_scopes_json(p->scopes), "roles", roles ? roles : json_array());
}

/* ---- session ------------------------------------------------------------ */

static enum MHD_Result send_cookie(users_rq *u, json_t *body, const char *cookie)
{
	struct MHD_Response *resp;
	char *s = json_dumps(body, JSON_COMPACT);
	char hdr[200];

	json_decref(body);
	if (!s)
		return MHD_NO;
	if (!(resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE))) {
		free(s);
		return MHD_NO;
	}
	u->rq.bytes = (int64_t)strlen(s);
	if (cookie)
		snprintf(hdr, sizeof(hdr), "vb_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
			 cookie, u->rq.d->cfg.session_max_hours * 3600,
			 vb_auth_request_tls(&u->rq) ? "; Secure" : "");
	else
		snprintf(hdr, sizeof(hdr), "vb_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
			 vb_auth_request_tls(&u->rq) ? "; Secure" : "");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, hdr);
	return vb_http_send(&u->rq, MHD_HTTP_OK, resp);
}

static enum MHD_Result login_failed(users_rq *u, const char *ip)
{
	vb_auth_ip_failed(ip);
	return vb_http_send_error(&u->rq, MHD_HTTP_UNAUTHORIZED, "login_failed", NULL,
				  "wrong login or password");
}

static enum MHD_Result do_login(users_rq *u)
{
	enum MHD_Result ret;
	char ip[48], wait_s[16], cookie[VB_SECRET_LEN + 1], csrf[VB_SECRET_LEN + 1], hash[65];
	char expires[32];
	const char *login, *password;
	json_t *body, *user = NULL;
	vb_user_auth ua;
	vb_store *st;
	vb_error err;
	int bad_type = 0, wait, rc, locked = 0;

	vb_error_clear(&err);
	vb_auth_client_ip(&u->rq, ip, sizeof(ip));
	if ((wait = vb_auth_ip_blocked(ip))) {
		snprintf(wait_s, sizeof(wait_s), "%d", wait);
		return vb_http_send_error_hdr(&u->rq, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
					      "too many failed logins from this address: try again later",
					      MHD_HTTP_HEADER_RETRY_AFTER, wait_s);
	}
	if (!(body = body_object(u, 1, &ret)))
		return ret;
	login = str_member(body, "login", &bad_type);
	password = str_member(body, "password", &bad_type);
	if (bad_type || !login || !password) {
		json_decref(body);
		return bad(&u->rq, NULL, "login and password are required (strings)");
	}
	if (!vb_login_valid(login) || strlen(password) > VB_PASSWORD_MAX) {
		json_decref(body);
		return login_failed(u, ip);
	}
	if (store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	rc = vb_store_user_auth(st, login, &ua, &err);
	if (rc == VB_ENOTFOUND) {
		vb_auth_verify_dummy(password);
		json_decref(body);
		return login_failed(u, ip);
	}
	if (rc) {
		json_decref(body);
		return send_vb(&u->rq, rc, &err);
	}
	if (ua.locked_seconds > 0) {
		json_decref(body);
		snprintf(wait_s, sizeof(wait_s), "%d", ua.locked_seconds);
		return vb_http_send_error_hdr(&u->rq, MHD_HTTP_TOO_MANY_REQUESTS, "locked",
					      "too many failed logins for this account: try again later",
					      MHD_HTTP_HEADER_RETRY_AFTER, wait_s);
	}
	if (!vb_password_verify(ua.password_hash, password) || ua.disabled) {
		json_decref(body);
		if (!ua.disabled) {
			vb_principal who;

			vb_principal_init(&who);
			vb_auth_client_ip(&u->rq, who.ip, sizeof(who.ip));
			vb_audit_begin(st, &who, "user.login_failed", NULL, NULL);
			rc = vb_store_user_login_failed(st, ua.id, ACCOUNT_FAIL_MAX,
							ACCOUNT_LOCK_MINUTES, &locked, &err);
			vb_audit_end(st);
			if (rc)
				return send_vb(&u->rq, rc, &err);
			if (locked) {
				vb_log_field f[1] = { { "user_id", NULL, (double)ua.id } };

				vb_log_event(VB_LOG_WARN, "account_locked", f, 1);
			}
		}
		return login_failed(u, ip);
	}
	{
		/* a lock lifted or a failure count reset is the user's own doing */
		vb_principal who;

		vb_principal_init(&who);
		who.kind = VB_ACTOR_USER;
		who.user_id = ua.id;
		snprintf(who.label, sizeof(who.label), "%s", login);
		json_decref(body); /* login was borrowed from it */
		vb_auth_client_ip(&u->rq, who.ip, sizeof(who.ip));
		if (!(rc = vb_audit_begin(st, &who, "user.login", NULL, &err))) {
			rc = vb_store_user_login_ok(st, ua.id, &err);
			vb_audit_end(st);
		}
		if (rc)
			return send_vb(&u->rq, rc, &err);
	}
	if ((rc = vb_random_secret(cookie, &err)) || (rc = vb_random_secret(csrf, &err)))
		return send_vb(&u->rq, rc, &err);
	vb_secret_hash(cookie, hash);
	if ((rc = vb_store_session_create(st, ua.id, hash, csrf, u->rq.d->cfg.session_max_hours,
					  expires, &err)) ||
	    (rc = vb_store_user_get(st, ua.id, &user, &err)))
		return send_vb(&u->rq, rc, &err);
	return send_cookie(u, json_pack("{s:o, s:s, s:s}", "user", user, "csrf", csrf,
					"expires_at", expires), cookie);
}

static enum MHD_Result do_session(users_rq *u)
{
	const char *m = u->rq.method;
	enum MHD_Result ret;
	vb_principal p;
	vb_store *st;

	if (!strcmp(m, MHD_HTTP_METHOD_POST))
		return do_login(u);
	if (vb_auth_principal(&u->rq, &p, &ret))
		return ret;
	if (p.kind == VB_ACTOR_ANONYMOUS)
		return vb_http_send_error_hdr(&u->rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
					      "not logged in", MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					      "Bearer realm=\"vanban\"");
	if (!strcmp(m, MHD_HTTP_METHOD_DELETE)) {
		const char *cookie = MHD_lookup_connection_value(u->rq.conn, MHD_COOKIE_KIND,
								 "vb_session");
		char hash[65];

		if (cookie && *cookie) {
			if (store_for(&u->rq, &st, &ret))
				return ret;
			vb_secret_hash(cookie, hash);
			vb_store_session_delete(st, hash, NULL);
		}
		return send_cookie(u, json_pack("{s:b}", "logged_out", 1), NULL);
	}
	{
		json_t *o = principal_json(&p);

		if (o && p.kind == VB_ACTOR_USER)
			json_object_set_new(o, "csrf", json_string(p.csrf));
		return vb_http_send_json(&u->rq, MHD_HTTP_OK, o);
	}
}

/* ---- users and roles ---------------------------------------------------- */

/* Portals where p is portal admin (sysadmin: NULL with *all = 1). */
static size_t admin_portals(const vb_principal *p, const char **out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_roles && n < cap; i++)
		if (p->roles[i].roles & VB_ROLE_PORTAL_ADMIN)
			out[n++] = p->roles[i].portal;
	return n;
}

static enum MHD_Result do_users_list(users_rq *u)
{
	enum MHD_Result ret;
	const char *ports[VB_PRINCIPAL_MAX_ROLES];
	vb_principal p;
	json_t *list = NULL;
	vb_store *st;
	vb_error err;
	size_t n;
	int rc;

	vb_error_clear(&err);
	if (vb_http_refuse_args(&u->rq, &ret))
		return ret;
	if (vb_auth_require(&u->rq, &p, NULL, VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	n = admin_portals(&p, ports, VB_PRINCIPAL_MAX_ROLES);
	if (store_for(&u->rq, &st, &ret))
		return ret;
	if ((rc = vb_store_user_list(st, p.sysadmin ? NULL : ports, n, &list, &err)))
		return send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, json_pack("{s:o}", "users", list));
}

static enum MHD_Result do_users_create(users_rq *u)
{
	enum MHD_Result ret;
	vb_principal p;
	char hash[VB_PASSWORD_HASH_MAX];
	const char *login, *display, *password;
	json_t *body, *user = NULL, *sa;
	vb_store *st;
	vb_error err;
	int64_t id = 0;
	int bad_type = 0, rc;

	vb_error_clear(&err);
	if (vb_auth_require_sysadmin(&u->rq, &p, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	if (!(body = body_object(u, 0, &ret)))
		return ret;
	login = str_member(body, "login", &bad_type);
	display = str_member(body, "display_name", &bad_type);
	password = str_member(body, "password", &bad_type);
	sa = json_object_get(body, "sysadmin");
	if (bad_type || !login || (sa && !json_is_boolean(sa))) {
		json_decref(body);
		return bad(&u->rq, NULL, "login (string) is required; display_name and password are"
			   " strings, sysadmin a boolean");
	}
	if (password && (rc = vb_password_hash(password, hash, sizeof(hash), &err))) {
		json_decref(body);
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "password", err.msg);
	}
	if (store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, "user.create", NULL, &err))) {
		rc = vb_store_user_add(st, login, display, password ? hash : NULL, json_is_true(sa),
				       &id, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc || (rc = vb_store_user_get(st, id, &user, &err)))
		return send_vb(&u->rq, rc, &err);
	vb_info("user %lld created", (long long)id);
	return vb_http_send_json(&u->rq, MHD_HTTP_CREATED, user);
}

/* Whether p is portal admin in a portal where user (JSON) holds a role. */
static int admin_of_user(const vb_principal *p, json_t *user)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(user, "roles"), i, r) {
		const char *portal = json_string_value(json_object_get(r, "portal"));

		if (portal && (vb_principal_roles(p, portal) & VB_ROLE_PORTAL_ADMIN))
			return 1;
	}
	return 0;
}

static enum MHD_Result do_user_get(users_rq *u)
{
	enum MHD_Result ret;
	vb_principal p;
	json_t *user = NULL;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (vb_http_refuse_args(&u->rq, &ret) || vb_auth_principal(&u->rq, &p, &ret))
		return ret;
	if (p.kind == VB_ACTOR_ANONYMOUS)
		return vb_http_send_error_hdr(&u->rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
					      "this request needs a login or an API token",
					      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"vanban\"");
	if (store_for(&u->rq, &st, &ret))
		return ret;
	if ((rc = vb_store_user_get(st, u->id, &user, &err)))
		return send_vb(&u->rq, rc, &err);
	if (!(p.sysadmin && (p.scopes & VB_SCOPE_ADMIN)) && p.user_id != u->id &&
	    !((p.scopes & VB_SCOPE_ADMIN) && admin_of_user(&p, user))) {
		json_decref(user);
		return vb_auth_send_forbidden(&u->rq, NULL, 0);
	}
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, user);
}

static enum MHD_Result do_user_op(users_rq *u)
{
	enum MHD_Result ret;
	vb_principal p;
	json_t *user = NULL, *body = NULL;
	const char *reason;
	vb_store *st;
	vb_error err;
	int disable = !strcmp(u->op, "disable"), rc;

	vb_error_clear(&err);
	if (vb_auth_require_sysadmin(&u->rq, &p, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	if (optional_reason(u, &body, &reason, &ret) || store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, disable ? "user.disable" : "user.enable", reason, &err))) {
		rc = vb_store_user_set_disabled(st, u->id, disable, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc || (rc = vb_store_user_get(st, u->id, &user, &err)))
		return send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, user);
}

static enum MHD_Result do_role(users_rq *u, int grant)
{
	enum MHD_Result ret;
	vb_principal p;
	json_t *body = NULL, *user = NULL;
	const char *portal = u->portal, *role_s = u->role;
	unsigned role;
	vb_store *st;
	vb_error err;
	int bad_type = 0, rc;

	vb_error_clear(&err);
	/* who first (401, CSRF, scope), then the body, then the role in its portal */
	if (vb_auth_require(&u->rq, &p, NULL, 0, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	if (grant) {
		if (!(body = body_object(u, 0, &ret)))
			return ret;
		portal = str_member(body, "portal", &bad_type);
		role_s = str_member(body, "role", &bad_type);
		if (bad_type || !portal || !role_s) {
			json_decref(body);
			return bad(&u->rq, NULL, "portal and role are required (strings)");
		}
	}
	if (!(role = vb_role_parse(role_s))) {
		json_decref(body);
		return bad(&u->rq, "role", "role must be uploader, editor or portal_admin"
			   " (sysadmin is granted with `vanban user add --sysadmin`)");
	}
	/* a portal admin grants and revokes only in the portals they administer */
	if (!vb_principal_can(&p, portal, VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN)) {
		ret = vb_auth_send_forbidden(&u->rq, portal, VB_ROLE_PORTAL_ADMIN);
		json_decref(body);
		return ret;
	}
	if (store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, grant ? "user.grant" : "user.revoke", NULL, &err))) {
		rc = grant ? vb_store_role_grant(st, u->id, portal, role, &err)
			   : vb_store_role_revoke(st, u->id, portal, role, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc || (rc = vb_store_user_get(st, u->id, &user, &err)))
		return send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, user);
}

/* ---- tokens ------------------------------------------------------------- */

static enum MHD_Result do_tokens_list(users_rq *u)
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
	if (refuse_unknown_args(&u->rq, allowed, &ret) || vb_auth_principal(&u->rq, &p, &ret))
		return ret;
	if (p.kind == VB_ACTOR_ANONYMOUS)
		return vb_http_send_error_hdr(&u->rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
					      "this request needs a login or an API token",
					      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"vanban\"");
	all = arg(&u->rq, "all");
	if (all && strcmp(all, "true") && strcmp(all, "false"))
		return bad(&u->rq, "all", "all must be true or false");
	if (all && !strcmp(all, "true") && !(p.sysadmin && (p.scopes & VB_SCOPE_ADMIN)))
		return vb_auth_send_forbidden(&u->rq, NULL, 0);
	if (store_for(&u->rq, &st, &ret))
		return ret;
	/* the config token belongs to no user: it sees everyone's */
	if ((rc = vb_store_token_list(st, (all && !strcmp(all, "true")) || !p.user_id ? 0 : p.user_id,
				      &list, &err)))
		return send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, json_pack("{s:o}", "tokens", list));
}

static enum MHD_Result do_tokens_create(users_rq *u)
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
	if (vb_auth_require(&u->rq, &p, NULL, 0, VB_SCOPE_ADMIN, NULL, &ret))
		return ret;
	if (!(body = body_object(u, 0, &ret)))
		return ret;
	name = str_member(body, "name", &bad_type);
	expires = str_member(body, "expires_at", &bad_type);
	for_login = str_member(body, "user", &bad_type);
	scopes = json_object_get(body, "scopes");
	portals = json_object_get(body, "portals");
	if (json_is_null(portals))
		portals = NULL;
	if (bad_type || !name || !json_is_array(scopes) || !json_array_size(scopes) ||
	    (portals && !json_is_array(portals)) || json_array_size(portals) > VB_PRINCIPAL_MAX_ROLES) {
		json_decref(body);
		return bad(&u->rq, NULL, "name (string) and scopes (non-empty array) are required;"
			   " portals is an array of portal ids or null, expires_at an ISO timestamp");
	}
	json_array_foreach(scopes, i, v) {
		unsigned s = vb_scope_parse(json_string_value(v));

		if (!s) {
			json_decref(body);
			return bad(&u->rq, "scopes", "scopes are upload, publish, sync, report and admin");
		}
		sc |= s;
	}
	json_array_foreach(portals, i, v)
		if (!json_is_string(v)) {
			json_decref(body);
			return bad(&u->rq, "portals", "portals must be strings");
		}
	if (store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	owner = p.user_id;
	if (for_login) {
		if (!p.sysadmin) {
			json_decref(body);
			return vb_auth_send_forbidden(&u->rq, NULL, 0);
		}
		if ((rc = vb_store_user_id(st, for_login, &owner, &err))) {
			json_decref(body);
			return send_vb(&u->rq, rc, &err);
		}
	}
	if (!owner) {
		json_decref(body);
		return bad(&u->rq, "user", "this credential belongs to no user: name the owner (user)");
	}
	/* a token never holds more scopes than the credential creating it */
	if ((sc & p.scopes) != sc) {
		json_decref(body);
		return vb_http_send_error(&u->rq, MHD_HTTP_FORBIDDEN, "forbidden", "scopes",
					  "a token cannot have scopes the creating credential lacks");
	}
	if ((rc = vb_token_new(tok, &err))) {
		json_decref(body);
		return send_vb(&u->rq, rc, &err);
	}
	vb_secret_hash(tok, hash);
	if (!(rc = vb_audit_begin(st, &p, "token.create", NULL, &err))) {
		rc = vb_store_token_create(st, owner, name, hash, sc, portals, expires, &id, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc)
		return send_vb(&u->rq, rc, &err);
	out = json_pack("{s:I, s:s, s:I, s:o, s:s}", "id", (json_int_t)id, "token", tok, "user_id",
			(json_int_t)owner, "scopes", vb_scopes_json(sc), "note",
			"the token is shown once: store it now");
	memset(tok, 0, sizeof(tok));
	vb_info("api token %lld created", (long long)id);
	return vb_http_send_json(&u->rq, MHD_HTTP_CREATED, out);
}

static enum MHD_Result do_token_revoke(users_rq *u)
{
	enum MHD_Result ret;
	vb_principal p;
	json_t *body = NULL;
	const char *reason;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (vb_auth_require(&u->rq, &p, NULL, 0, 0, NULL, &ret))
		return ret;
	if (!p.sysadmin && !p.user_id)
		return vb_auth_send_forbidden(&u->rq, NULL, 0);
	if (optional_reason(u, &body, &reason, &ret) || store_for(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, "token.revoke", reason, &err))) {
		rc = vb_store_token_revoke(st, u->id, p.sysadmin && (p.scopes & VB_SCOPE_ADMIN)
					   ? 0 : p.user_id, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc)
		return send_vb(&u->rq, rc, &err);
	vb_info("api token %lld revoked", (long long)u->id);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK,
				 json_pack("{s:I, s:b}", "id", (json_int_t)u->id, "revoked", 1));
}

/* ---- audit -------------------------------------------------------------- */

static int object_type_ok(const char *s)
{
	static const char *const types[] = { "document", "upload", "user", "user_role",
					     "api_token", "portal", "sync_review",
					     "status_override" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(s, types[i]))
			return 1;
	return 0;
}

/* "YYYY-MM-DD" with a real day, optionally followed by a time
 * ("T08:00", "T08:00:00.5Z", "T08:00+07:00"); PostgreSQL parses it. */
static int iso_time_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, n = 0;
	size_t rest;

	if (strlen(s) > 40 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return 0;
	s += 10;
	if (!*s)
		return 1;
	if (*s != 'T' && *s != ' ')
		return 0;
	s++;
	rest = strspn(s, "0123456789:.+-Z");
	return rest >= 5 && !s[rest] && s[2] == ':';
}

static enum MHD_Result do_audit(users_rq *u)
{
	static const char *const allowed[] = { "document", "user", "portal", "since", "until",
					       "limit", "offset", "format", "object_type",
					       "object_id", NULL };
	enum MHD_Result ret;
	vb_principal p;
	vb_audit_filter f;
	const char *ports[VB_PRINCIPAL_MAX_ROLES];
	const char *v, *format;
	json_t *rows = NULL;
	vb_store *st;
	vb_error err;
	size_t n = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	vb_error_clear(&err);
	if (refuse_unknown_args(&u->rq, allowed, &ret))
		return ret;
	format = arg(&u->rq, "format");
	if (format && strcmp(format, "json") && strcmp(format, "csv"))
		return bad(&u->rq, "format", "format must be json or csv");
	if ((v = arg(&u->rq, "document")) && vb_parse_id(v, strlen(v), &f.document_id))
		return bad(&u->rq, "document", "document must be a document id");
	if ((v = arg(&u->rq, "limit")) && (vb_parse_id(v, strlen(v), &f.limit) || !f.limit ||
					   f.limit > VB_AUDIT_MAX_ROWS))
		return bad(&u->rq, "limit", "limit must be 1 to 10000");
	if ((v = arg(&u->rq, "offset")) && strcmp(v, "0") && vb_parse_id(v, strlen(v), &f.offset))
		return bad(&u->rq, "offset", "offset must be a number");
	f.portal = arg(&u->rq, "portal");
	f.object_type = arg(&u->rq, "object_type");
	f.object_id = arg(&u->rq, "object_id");
	f.since = arg(&u->rq, "since");
	f.until = arg(&u->rq, "until");
	if (f.portal && strlen(f.portal) > 64)
		return bad(&u->rq, "portal", "portal must be a portal id (at most 64 bytes)");
	if (f.object_type && !object_type_ok(f.object_type))
		return bad(&u->rq, "object_type", "object_type must be document, upload, user,"
			   " user_role, api_token, portal, sync_review or status_override");
	if (f.object_id && strlen(f.object_id) > 200)
		return bad(&u->rq, "object_id", "object_id is at most 200 bytes");
	if (f.since && !iso_time_ok(f.since))
		return bad(&u->rq, "since", "since must be an ISO date or timestamp (2026-01-31,"
			   " 2026-01-31T08:00:00Z)");
	if (f.until && !iso_time_ok(f.until))
		return bad(&u->rq, "until", "until must be an ISO date or timestamp (2026-01-31,"
			   " 2026-01-31T08:00:00Z)");
	/* editors and portal admins see the rows of their portals */
	if (vb_auth_require(&u->rq, &p, f.portal, 0, VB_SCOPE_REPORT, NULL, &ret))
		return ret;
	if (!p.sysadmin) {
		for (size_t i = 0; i < p.n_roles; i++)
			if (p.roles[i].roles & (VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN))
				ports[n++] = p.roles[i].portal;
		if (!n || (f.portal && !(vb_principal_roles(&p, f.portal) &
					 (VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN))))
			return vb_auth_send_forbidden(&u->rq, f.portal, VB_ROLE_EDITOR);
		f.restrict_portals = 1;
		f.portals = ports;
		f.n_portals = n;
	}
	if (store_for(&u->rq, &st, &ret))
		return ret;
	if ((v = arg(&u->rq, "user"))) {
		if (strlen(v) > VB_LOGIN_MAX)
			return bad(&u->rq, "user", "user must be a user id or login");
		if (vb_parse_id(v, strlen(v), &f.user_id) &&
		    (rc = vb_store_user_id(st, v, &f.user_id, &err)))
			return rc == VB_ENOTFOUND ? bad(&u->rq, "user", "no such user")
						  : send_vb(&u->rq, rc, &err);
	}
	if ((rc = vb_audit_query(st, &f, &rows, &err))) {
		if (rc == VB_EINVAL)
			return bad(&u->rq, NULL, err.msg);
		return send_vb(&u->rq, rc, &err);
	}
	if (format && !strcmp(format, "csv")) {
		char *csv = vb_audit_csv(rows);
		struct MHD_Response *resp;

		json_decref(rows);
		if (!csv)
			return MHD_NO;
		if (!(resp = MHD_create_response_from_buffer(strlen(csv), csv, MHD_RESPMEM_MUST_FREE))) {
			free(csv);
			return MHD_NO;
		}
		u->rq.bytes = (int64_t)strlen(csv);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
		MHD_add_response_header(resp, "Content-Disposition", "attachment; filename=\"audit.csv\"");
		return vb_http_send(&u->rq, MHD_HTTP_OK, resp);
	}
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, json_pack("{s:o}", "rows", rows));
}

/* ---- routing ------------------------------------------------------------ */

static int prefix(const char *url, const char *p)
{
	size_t n = strlen(p);

	return !strncmp(url, p, n) && (!url[n] || url[n] == '/');
}

int vb_users_route(const char *url)
{
	return url && (prefix(url, "/api/v1/session") || prefix(url, "/api/v1/users") ||
		       prefix(url, "/api/v1/tokens") || prefix(url, "/api/v1/audit"));
}

/* Copy the path segment at *s (up to '/') into out; 0 when empty or too long. */
static int segment(const char **s, char *out, size_t cap)
{
	size_t n = strcspn(*s, "/");

	if (!n || n >= cap)
		return 0;
	memcpy(out, *s, n);
	out[n] = '\0';
	*s += n;
	return 1;
}

static enum route parse_route(users_rq *u)
{
	const char *url = u->rq.url, *s;
	char id[24];

	if (!strcmp(url, "/api/v1/session"))
		return R_SESSION;
	if (!strcmp(url, "/api/v1/users"))
		return R_USERS;
	if (!strcmp(url, "/api/v1/tokens"))
		return R_TOKENS;
	if (!strcmp(url, "/api/v1/audit"))
		return R_AUDIT;
	if (!strncmp(url, "/api/v1/tokens/", 15)) {
		s = url + 15;
		if (!segment(&s, id, sizeof(id)) || vb_parse_id(id, strlen(id), &u->id) ||
		    strcmp(s, "/revoke"))
			return R_BAD;
		return R_TOKEN_REVOKE;
	}
	if (strncmp(url, "/api/v1/users/", 14))
		return R_BAD;
	s = url + 14;
	if (!segment(&s, id, sizeof(id)) || vb_parse_id(id, strlen(id), &u->id))
		return R_BAD;
	if (!*s)
		return R_USER;
	if (!strcmp(s, "/disable") || !strcmp(s, "/enable")) {
		snprintf(u->op, sizeof(u->op), "%s", s + 1);
		return R_USER_OP;
	}
	if (!strcmp(s, "/roles"))
		return R_ROLES;
	if (strncmp(s, "/roles/", 7))
		return R_BAD;
	s += 7;
	if (!segment(&s, u->portal, sizeof(u->portal)) || *s != '/')
		return R_BAD;
	s++;
	if (!segment(&s, u->role, sizeof(u->role)) || *s)
		return R_BAD;
	return R_ROLE;
}

/* First call: route, method and body limits, before any body is read. */
static enum MHD_Result start(users_rq *u)
{
	const char *m = u->rq.method, *len;
	int get = !strcmp(m, MHD_HTTP_METHOD_GET) || u->rq.head;
	int post = !strcmp(m, MHD_HTTP_METHOD_POST);
	int del = !strcmp(m, MHD_HTTP_METHOD_DELETE);
	int takes_body = 0;
	enum MHD_Result ret;

	u->route = parse_route(u);
	switch (u->route) {
	case R_BAD:
		return vb_http_send_error(&u->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	case R_SESSION:
		if (!get && !post && !del)
			return method_not_allowed(&u->rq, "GET, HEAD, POST, DELETE");
		takes_body = post;
		break;
	case R_USERS:
	case R_TOKENS:
		if (!get && !post)
			return method_not_allowed(&u->rq, "GET, HEAD, POST");
		takes_body = post;
		break;
	case R_USER:
	case R_AUDIT:
		if (!get)
			return method_not_allowed(&u->rq, "GET, HEAD");
		break;
	case R_USER_OP:
	case R_TOKEN_REVOKE:
		if (!post)
			return method_not_allowed(&u->rq, "POST");
		takes_body = 1; /* optional {"reason"} */
		break;
	case R_ROLES:
		if (!post)
			return method_not_allowed(&u->rq, "POST");
		takes_body = 1;
		break;
	case R_ROLE:
		if (!del)
			return method_not_allowed(&u->rq, "DELETE");
		break;
	}
	/* only the lists take query parameters (checked by their handlers) */
	if (u->route != R_AUDIT && !(u->route == R_TOKENS && get) && vb_http_refuse_args(&u->rq, &ret))
		return ret;
	len = MHD_lookup_connection_value(u->rq.conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (!takes_body && len && strcmp(len, "0")) {
		/* who asks comes first: an anonymous caller learns nothing more */
		vb_principal p;

		if (vb_auth_principal(&u->rq, &p, &ret))
			return ret;
		if (p.kind == VB_ACTOR_ANONYMOUS && u->route != R_SESSION)
			return vb_http_send_error_hdr(&u->rq, MHD_HTTP_UNAUTHORIZED, "unauthorized",
						      "this request needs a login or an API token",
						      MHD_HTTP_HEADER_WWW_AUTHENTICATE,
						      "Bearer realm=\"vanban\"");
		return bad(&u->rq, NULL, "this request takes no body");
	}
	if (len && strtoull(len, NULL, 10) > BODY_MAX)
		return vb_http_send_error(&u->rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL,
					  "the body is larger than 64 KiB");
	if (!get && u->rq.d->cfg.read_only)
		return vb_http_send_read_only(&u->rq);
	return MHD_YES;
}

static enum MHD_Result finish(users_rq *u)
{
	const char *m = u->rq.method;
	int post = !strcmp(m, MHD_HTTP_METHOD_POST);

	switch (u->route) {
	case R_SESSION:
		return do_session(u);
	case R_USERS:
		return post ? do_users_create(u) : do_users_list(u);
	case R_USER:
		return do_user_get(u);
	case R_USER_OP:
		return do_user_op(u);
	case R_ROLES:
		return do_role(u, 1);
	case R_ROLE:
		return do_role(u, 0);
	case R_TOKENS:
		return post ? do_tokens_create(u) : do_tokens_list(u);
	case R_TOKEN_REVOKE:
		return do_token_revoke(u);
	case R_AUDIT:
		return do_audit(u);
	default:
		return vb_http_send_error(&u->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	}
}

enum MHD_Result vb_api_users_access(const vb_daemon *d, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size,
				    void **con_cls)
{
	users_rq *u = *con_cls;

	if (!u) {
		if (!(u = calloc(1, sizeof(*u))))
			return MHD_NO;
		vb_http_request_init(&u->rq, d, conn, url, method);
		*con_cls = u;
		return start(u);
	}
	if (vb_http_body_read(&u->rq, u->body, BODY_MAX, &u->len, &u->too_big, upload_data,
			      upload_data_size))
		return MHD_YES;
	return finish(u);
}
