/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging in and out of the staff admin UI (docs/admin.md): the login form
 * with its pre-session CSRF token (a cookie and the same value in a hidden
 * field, compared in constant time), the password check (argon2id; an
 * unknown login costs a dummy verification and gets the same message as a
 * wrong password), the limits (10 failures per client address in 10
 * minutes, kept in memory under a hash of the address; 5 consecutive
 * failures lock an account for 15 minutes in the database, logged with the
 * user id only), the session (a random cookie whose SHA-256 the database
 * keeps, with its own CSRF token) and logout.  Passwords and cookies are
 * never logged.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sha256.h"

#define LOGIN_ACCOUNT_FAILURES 5
#define LOGIN_ACCOUNT_LOCK_MINUTES 15

/* The per-address login limit is the daemon's one (daemon/auth.c), shared
 * with POST /api/v1/session: an attacker gets one budget for both doors. */

/* ---- login and logout ------------------------------------------------- */

static void cookie_attrs(admin_rq *a, char *out, size_t cap, const char *name,
			 const char *value, const char *path, int max_age)
{
	int n = snprintf(out, cap, "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s", name, value,
			 path, vb_auth_request_tls(&a->rq) ? "; Secure" : "");

	if (max_age >= 0 && n > 0 && (size_t)n < cap)
		snprintf(out + n, cap - (size_t)n, "; Max-Age=%d", max_age);
}

enum MHD_Result admin_login_page(admin_rq *a, unsigned status, const char *error,
				  const char *login)
{
	const char *next = admin_safe_next(admin_arg(a, "next"));
	char token[VB_SECRET_LEN + 1];
	vb_error err;
	vb_buf b;
	enum MHD_Result ret;

	if (a->is_post)
		next = admin_safe_next(admin_field_get(a, "next"));
	/* the pre-session CSRF token: a cookie and the same value in the form */
	if (vb_random_secret(token, &err))
		return admin_error_vb(a, VB_EIO, &err);
	cookie_attrs(a, a->set_cookie[1], sizeof(a->set_cookie[1]), ADMIN_LOGIN_COOKIE, token,
		     "/admin/login", 1800);
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_LOGIN), NULL);
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_LOGIN));
	vb_buf_puts(&b, "</h1>\n");
	if (error) {
		const char *ids[1] = { "login" };

		admin_error_summary(a, &b, &error, ids, 1);
	} else if (admin_arg(a, "out")) {
		vb_buf_puts(&b, "<p class=\"notice\" role=\"status\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_LOGGED_OUT));
		vb_buf_puts(&b, "</p>\n");
	}
	vb_buf_printf(&b, "<form method=\"post\" action=\"/admin/login?lang=%s\" class=\"admin-form\">\n"
		      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		      "<input type=\"hidden\" name=\"next\" value=\"", vb_lang_code(a->lang), token);
	admin_html(&b, next);
	vb_buf_puts(&b, "\">\n<p><label for=\"login\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_LOGIN_NAME));
	vb_buf_puts(&b, "</label>\n<input id=\"login\" name=\"login\" autocomplete=\"username\" "
		    "required maxlength=\"64\" value=\"");
	admin_html(&b, login ? login : "");
	vb_buf_printf(&b, "\"%s></p>\n<p><label for=\"password\">", error ? " aria-invalid=\"true\"" : "");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PASSWORD));
	vb_buf_puts(&b, "</label>\n<input id=\"password\" name=\"password\" type=\"password\" "
		    "autocomplete=\"current-password\" required maxlength=\"1024\"></p>\n"
		    "<p><button type=\"submit\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_LOGIN));
	vb_buf_puts(&b, "</button></p>\n</form>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, status, &b);
	vb_buf_dispose(&b);
	return ret;
}

static enum MHD_Result login_limited(admin_rq *a, int seconds)
{
	char msg[256], num[16];
	enum MHD_Result ret;

	snprintf(num, sizeof(num), "%d", seconds > 0 ? seconds : 60);
	vb_i18n_format(a->lang, VB_MSG_ADMIN_LOGIN_LIMITED, msg, sizeof(msg), num, NULL);
	snprintf(a->retry_after, sizeof(a->retry_after), "%s", num);
	ret = admin_login_page(a, MHD_HTTP_TOO_MANY_REQUESTS, msg, admin_field_get(a, "login"));
	return ret;
}

enum MHD_Result admin_login_post(admin_rq *a)
{
	const vb_config *cfg = &a->rq.d->cfg;
	const char *cookie = MHD_lookup_connection_value(a->rq.conn, MHD_COOKIE_KIND,
							 ADMIN_LOGIN_COOKIE);
	const char *login = admin_field_get(a, "login"), *pw = admin_field_get(a, "password");
	const char *failed = admin_t(a->lang, VB_MSG_ADMIN_LOGIN_FAILED);
	char secret[VB_SECRET_LEN + 1], csrf[VB_SECRET_LEN + 1], hash[65], expires[40];
	vb_user_auth ua;
	vb_store *st;
	vb_error err;
	int rc, wait, locked = 0;

	vb_error_clear(&err);
	if (!cookie || !*admin_field_get(a, "csrf") ||
	    !vb_secret_equal(cookie, admin_field_get(a, "csrf")))
		return admin_login_page(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_CSRF), login);
	if ((wait = vb_auth_ip_blocked(a->who.ip)) > 0)
		return login_limited(a, wait);
	if (!*login || !*pw || strlen(login) > VB_LOGIN_MAX || strlen(pw) > VB_PASSWORD_MAX) {
		vb_auth_ip_failed(a->who.ip);
		return admin_login_page(a, MHD_HTTP_UNAUTHORIZED, failed, login);
	}
	if ((rc = vb_worker_store(a->rq.d, &st, &err)))
		return admin_error_vb(a, rc, &err);
	rc = vb_login_valid(login) ? vb_store_user_auth(st, login, &ua, &err) : VB_ENOTFOUND;
	if (rc == VB_ENOTFOUND || (!rc && (ua.disabled || !ua.password_hash[0]))) {
		vb_auth_verify_dummy(pw);
		vb_auth_ip_failed(a->who.ip);
		return admin_login_page(a, MHD_HTTP_UNAUTHORIZED, failed, login);
	}
	if (rc)
		return admin_error_vb(a, rc, &err);
	if (ua.locked_seconds > 0)
		return login_limited(a, ua.locked_seconds);
	if (!vb_password_verify(ua.password_hash, pw)) {
		vb_auth_ip_failed(a->who.ip);
		if ((rc = vb_store_user_login_failed(st, ua.id, LOGIN_ACCOUNT_FAILURES,
						     LOGIN_ACCOUNT_LOCK_MINUTES, &locked, &err)))
			return admin_error_vb(a, rc, &err);
		if (locked) {
			vb_warn("admin: account %lld locked after %d failed logins", (long long)ua.id,
				LOGIN_ACCOUNT_FAILURES);
			return login_limited(a, LOGIN_ACCOUNT_LOCK_MINUTES * 60);
		}
		return admin_login_page(a, MHD_HTTP_UNAUTHORIZED, failed, login);
	}
	if ((rc = vb_store_user_login_ok(st, ua.id, &err)) ||
	    (rc = vb_random_secret(secret, &err)) || (rc = vb_random_secret(csrf, &err)))
		return admin_error_vb(a, rc, &err);
	vb_secret_hash(secret, hash);
	if ((rc = vb_store_session_create(st, ua.id, hash, csrf,
					  cfg->session_max_hours > 0 ? cfg->session_max_hours : 12,
					  expires, &err)))
		return admin_error_vb(a, rc, &err);
	vb_info("admin: user %lld logged in", (long long)ua.id);
	cookie_attrs(a, a->set_cookie[0], sizeof(a->set_cookie[0]), ADMIN_SESSION_COOKIE, secret,
		     "/", -1);
	cookie_attrs(a, a->set_cookie[1], sizeof(a->set_cookie[1]), ADMIN_LOGIN_COOKIE, "",
		     "/admin/login", 0);
	return admin_redirect(a, admin_safe_next(admin_field_get(a, "next")));
}

enum MHD_Result admin_logout_post(admin_rq *a)
{
	const char *cookie = MHD_lookup_connection_value(a->rq.conn, MHD_COOKIE_KIND,
							 ADMIN_SESSION_COOKIE);
	char hash[65];
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (cookie && *cookie) {
		vb_secret_hash(cookie, hash);
		if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
		    (rc = vb_store_session_delete(st, hash, &err)))
			return admin_error_vb(a, rc, &err);
	}
	cookie_attrs(a, a->set_cookie[0], sizeof(a->set_cookie[0]), ADMIN_SESSION_COOKIE, "",
		     "/", 0);
	return admin_redirect(a, "/admin/login?out=1");
}
