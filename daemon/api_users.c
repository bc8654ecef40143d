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
 *   GET    /api/v1/tokens, POST /api/v1/tokens, POST /api/v1/tokens/{id}/revoke
 *                                           (api_tokens.c)
 *   GET    /api/v1/audit?...                (api_audit.c)
 *
 * Login is rate-limited twice: per client address in memory (10 failures
 * in 10 minutes -> 429 with Retry-After) and per account in the database
 * (5 consecutive failures lock it for 15 minutes).  Unknown login, wrong
 * password and disabled account get the same answer.  A lockout is logged
 * as the event "account_locked" with the user id only.  Writes set the
 * audit context (vb_audit_begin) so the database's triggers record who.
 */
#include "api_users.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "log.h"

#define BODY_MAX (64 * 1024)
#define TOO_BIG "the body is larger than 64 KiB"
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
	vb_body body;
} users_rq;

/* ---- helpers ------------------------------------------------------------ */

enum MHD_Result vb_users_unauthorized(vb_request *rq, const char *message)
{
	return vb_http_send_error_hdr(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized", message,
				      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"vanban\"");
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

/* The login's body as a JSON object: JSON, or a form.  NULL with the
 * answer queued (*ret). */
static json_t *login_body(users_rq *u, enum MHD_Result *ret)
{
	const char *type = MHD_lookup_connection_value(u->rq.conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_TYPE);
	json_t *o;

	if (!u->body.too_big && type &&
	    !strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
		if (!(o = form_decode(u->body.data, u->body.len)))
			*ret = vb_api_bad(&u->rq, NULL, "the form body is malformed");
		return o;
	}
	return vb_body_object(&u->rq, &u->body, 0, &o, ret) ? NULL : o;
}

int vb_users_reason(vb_request *rq, const vb_body *b, json_t **body, const char **reason,
		    enum MHD_Result *ret)
{
	const char *k;
	json_t *v;
	int bad_type = 0;

	*reason = NULL;
	if (vb_body_object(rq, b, 1, body, ret))
		return 1;
	json_object_foreach(*body, k, v)
		if (strcmp(k, "reason")) {
			*ret = vb_api_bad(rq, NULL, "unknown member in the body: only \"reason\" is allowed");
			return 1;
		}
	*reason = vb_body_str(*body, "reason", &bad_type);
	if (bad_type || (*reason && strlen(*reason) > VB_AUDIT_REASON_MAX)) {
		*ret = vb_api_bad(rq, "reason", "reason must be a string of at most 2000 bytes");
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
	if (!(body = login_body(u, &ret)))
		return ret;
	login = vb_body_str(body, "login", &bad_type);
	password = vb_body_str(body, "password", &bad_type);
	if (bad_type || !login || !password) {
		json_decref(body);
		return vb_api_bad(&u->rq, NULL, "login and password are required (strings)");
	}
	if (!vb_login_valid(login) || strlen(password) > VB_PASSWORD_MAX) {
		json_decref(body);
		return login_failed(u, ip);
	}
	if (vb_api_store(&u->rq, &st, &ret)) {
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
		return vb_api_send_vb(&u->rq, rc, &err);
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
				return vb_api_send_vb(&u->rq, rc, &err);
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
			return vb_api_send_vb(&u->rq, rc, &err);
	}
	if ((rc = vb_random_secret(cookie, &err)) || (rc = vb_random_secret(csrf, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
	vb_secret_hash(cookie, hash);
	if ((rc = vb_store_session_create(st, ua.id, hash, csrf, u->rq.d->cfg.session_max_hours,
					  expires, &err)) ||
	    (rc = vb_store_user_get(st, ua.id, &user, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
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
		return vb_users_unauthorized(&u->rq, "not logged in");
	if (!strcmp(m, MHD_HTTP_METHOD_DELETE)) {
		const char *cookie = MHD_lookup_connection_value(u->rq.conn, MHD_COOKIE_KIND,
								 "vb_session");
		char hash[65];

		if (cookie && *cookie) {
			if (vb_api_store(&u->rq, &st, &ret))
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
	if (vb_api_store(&u->rq, &st, &ret))
		return ret;
	if ((rc = vb_store_user_list(st, p.sysadmin ? NULL : ports, n, &list, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
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
	if (vb_body_object(&u->rq, &u->body, 0, &body, &ret))
		return ret;
	login = vb_body_str(body, "login", &bad_type);
	display = vb_body_str(body, "display_name", &bad_type);
	password = vb_body_str(body, "password", &bad_type);
	sa = json_object_get(body, "sysadmin");
	if (bad_type || !login || (sa && !json_is_boolean(sa))) {
		json_decref(body);
		return vb_api_bad(&u->rq, NULL, "login (string) is required; display_name and password are"
				  " strings, sysadmin a boolean");
	}
	if (password && (rc = vb_password_hash(password, hash, sizeof(hash), &err))) {
		json_decref(body);
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "password", err.msg);
	}
	if (vb_api_store(&u->rq, &st, &ret)) {
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
		return vb_api_send_vb(&u->rq, rc, &err);
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
		return vb_users_unauthorized(&u->rq, "this request needs a login or an API token");
	if (vb_api_store(&u->rq, &st, &ret))
		return ret;
	if ((rc = vb_store_user_get(st, u->id, &user, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
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
	if (vb_users_reason(&u->rq, &u->body, &body, &reason, &ret) || vb_api_store(&u->rq, &st, &ret)) {
		json_decref(body);
		return ret;
	}
	if (!(rc = vb_audit_begin(st, &p, disable ? "user.disable" : "user.enable", reason, &err))) {
		rc = vb_store_user_set_disabled(st, u->id, disable, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc || (rc = vb_store_user_get(st, u->id, &user, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
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
		if (vb_body_object(&u->rq, &u->body, 0, &body, &ret))
			return ret;
		portal = vb_body_str(body, "portal", &bad_type);
		role_s = vb_body_str(body, "role", &bad_type);
		if (bad_type || !portal || !role_s) {
			json_decref(body);
			return vb_api_bad(&u->rq, NULL, "portal and role are required (strings)");
		}
	}
	if (!(role = vb_role_parse(role_s))) {
		json_decref(body);
		return vb_api_bad(&u->rq, "role", "role must be uploader, editor or portal_admin"
				  " (sysadmin is granted with `vanban user add --sysadmin`)");
	}
	/* a portal admin grants and revokes only in the portals they administer */
	if (!vb_principal_can(&p, portal, VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN)) {
		ret = vb_auth_send_forbidden(&u->rq, portal, VB_ROLE_PORTAL_ADMIN);
		json_decref(body);
		return ret;
	}
	if (vb_api_store(&u->rq, &st, &ret)) {
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
		return vb_api_send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, user);
}

/* ---- routing ------------------------------------------------------------ */

int vb_users_route(const char *url)
{
	return vb_api_route_prefix(url, "/api/v1/session") ||
	       vb_api_route_prefix(url, "/api/v1/users") ||
	       vb_api_route_prefix(url, "/api/v1/tokens") || vb_api_route_prefix(url, "/api/v1/audit");
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
static enum MHD_Result start(vb_request *rq)
{
	users_rq *u = (users_rq *)rq;
	const char *m = u->rq.method;
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
			return vb_api_method_not_allowed(&u->rq, "GET, HEAD, POST, DELETE");
		takes_body = post;
		break;
	case R_USERS:
	case R_TOKENS:
		if (!get && !post)
			return vb_api_method_not_allowed(&u->rq, "GET, HEAD, POST");
		takes_body = post;
		break;
	case R_USER:
	case R_AUDIT:
		if (!get)
			return vb_api_method_not_allowed(&u->rq, "GET, HEAD");
		break;
	case R_USER_OP:
	case R_TOKEN_REVOKE:
		if (!post)
			return vb_api_method_not_allowed(&u->rq, "POST");
		takes_body = 1; /* optional {"reason"} */
		break;
	case R_ROLES:
		if (!post)
			return vb_api_method_not_allowed(&u->rq, "POST");
		takes_body = 1;
		break;
	case R_ROLE:
		if (!del)
			return vb_api_method_not_allowed(&u->rq, "DELETE");
		break;
	}
	/* only the lists take query parameters (checked by their handlers) */
	if (u->route != R_AUDIT && !(u->route == R_TOKENS && get) && vb_http_refuse_args(&u->rq, &ret))
		return ret;
	if (!takes_body && vb_body_announced(&u->rq)) {
		/* who asks comes first: an anonymous caller learns nothing more */
		vb_principal p;

		if (vb_auth_principal(&u->rq, &p, &ret))
			return ret;
		if (p.kind == VB_ACTOR_ANONYMOUS && u->route != R_SESSION)
			return vb_users_unauthorized(&u->rq,
						     "this request needs a login or an API token");
		return vb_api_bad(&u->rq, NULL, "this request takes no body");
	}
	if (vb_body_limit(&u->rq, &u->body, 1, &ret))
		return ret;
	if (!get && u->rq.d->cfg.read_only)
		return vb_http_send_read_only(&u->rq);
	return MHD_YES;
}

/* The body is read: answer. */
static enum MHD_Result finish(vb_request *rq)
{
	users_rq *u = (users_rq *)rq;
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
		return post ? vb_api_tokens_create(&u->rq, &u->body) : vb_api_tokens_list(&u->rq);
	case R_TOKEN_REVOKE:
		return vb_api_token_revoke(&u->rq, &u->body, u->id);
	case R_AUDIT:
		return vb_api_audit(&u->rq);
	default:
		return vb_http_send_error(&u->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	}
}

static const vb_body_route users_route = {
	sizeof(users_rq), offsetof(users_rq, body), BODY_MAX, TOO_BIG, start, finish
};

enum MHD_Result vb_api_users_access(const vb_daemon *d, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size,
				    void **con_cls)
{
	return vb_body_access(&users_route, d, conn, url, method, upload_data, upload_data_size,
			      con_cls);
}
