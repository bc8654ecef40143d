/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The staff admin UI (docs/admin.md): server-rendered pages under /admin
 * that work without JavaScript, in Vietnamese, English and Chinese.  This
 * file is its whole MHD access handler (http.c hands every URL under
 * /admin here and calls vb_admin_completed when the request ends): it
 * allocates the request context (an admin_rq, vb_request first), reads
 * posted forms (url-encoded or multipart, at most ADMIN_BODY_MAX bytes,
 * ADMIN_FIELDS_MAX fields) with MHD's post processor, resolves the
 * session cookie into a principal, checks the CSRF token of every POST
 * and routes (the pages are rendered by admin_login.c, admin_pages.c,
 * admin_upload.c and admin_manage.c):
 *
 *   GET  /admin/login[?next=]        login form (pre-session CSRF cookie)
 *   POST /admin/login                -> session cookie, 303 to next
 *   POST /admin/logout               -> 303 /admin/login
 *   GET  /admin                      review queue
 *   GET  /admin/uploads/{id}         metadata beside the original file
 *   POST /admin/uploads/{id}         action=submit|publish|return|reject
 *   GET  /admin/uploads/{id}/files/{n}  the file, inline, staff of its portal
 *   GET  /admin/documents/{id}       state, withdraw / correct, history
 *   POST /admin/documents/{id}       action=withdraw|correct
 *   GET  /admin/audit[?document=&user=&page=&format=csv]
 *   GET  /admin/users, POST /admin/users (action=create|grant|revoke)
 *   GET  /admin/tokens, POST /admin/tokens (action=create|revoke)
 *   GET  /admin/report
 *
 * Every response: Cache-Control: no-store and the admin CSP (no script at
 * all, frame-ancestors 'none'); anonymous GETs are sent to the login form
 * with next= (local paths only), anonymous POSTs refused (403).
 * Passwords, cookies and tokens are never logged.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define ADMIN_PREFIX "/admin"
#define ADMIN_CSP "default-src 'self'; img-src 'self' data:; frame-src 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
#define ADMIN_PP_BUFFER 4096

int vb_admin_route(const char *url)
{
	size_t n = strlen(ADMIN_PREFIX);

	return url && !strncmp(url, ADMIN_PREFIX, n) && (!url[n] || url[n] == '/');
}

/* ---- request context, form fields ------------------------------------- */

static void cleanup(admin_rq *a)
{
	size_t i;

	if (a->cleaned)
		return;
	a->cleaned = 1;
	if (a->pp)
		MHD_destroy_post_processor(a->pp);
	a->pp = NULL;
	for (i = 0; i < ADMIN_FIELDS_MAX; i++)
		vb_buf_dispose(&a->fields[i].value);
}

void vb_admin_completed(vb_request *rq)
{
	if (rq && vb_admin_route(rq->url))
		cleanup((admin_rq *)rq);
}

static admin_field *field_find(const admin_rq *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n_fields; i++)
		if (!strcmp(a->fields[i].name, name))
			return (admin_field *)&a->fields[i];
	return NULL;
}

const char *admin_field_get(const admin_rq *a, const char *name)
{
	admin_field *f = field_find(a, name);

	return f ? vb_buf_str(&f->value) : "";
}

int admin_field_has(const admin_rq *a, const char *name)
{
	return field_find(a, name) != NULL;
}

const char *admin_arg(const admin_rq *a, const char *name)
{
	return MHD_lookup_connection_value(a->rq.conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *filename, const char *content_type,
				const char *transfer_encoding, const char *data, uint64_t off,
				size_t size)
{
	admin_rq *a = cls;
	admin_field *f;

	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	if (a->body_fail || !key)
		return MHD_NO;
	if (strlen(key) >= sizeof(a->fields[0].name)) {
		a->body_fail = MHD_HTTP_BAD_REQUEST;
		return MHD_NO;
	}
	f = field_find(a, key);
	if (off == 0 && f) {
		/* a field given twice (checkboxes) keeps the values, comma-joined */
		if (vb_buf_putc(&f->value, ',')) {
			a->body_fail = MHD_HTTP_CONTENT_TOO_LARGE;
			return MHD_NO;
		}
	}
	if (!f) {
		if (a->n_fields == ADMIN_FIELDS_MAX) {
			a->body_fail = MHD_HTTP_CONTENT_TOO_LARGE;
			return MHD_NO;
		}
		f = &a->fields[a->n_fields++];
		snprintf(f->name, sizeof(f->name), "%s", key);
	}
	if (size && vb_buf_append(&f->value, data, size)) {
		a->body_fail = MHD_HTTP_CONTENT_TOO_LARGE;
		return MHD_NO;
	}
	return MHD_YES;
}

/* ---- responses -------------------------------------------------------- */

static void add_admin_headers(admin_rq *a, struct MHD_Response *resp)
{
	size_t i;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy", ADMIN_CSP);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Language, Cookie");
	for (i = 0; i < 2; i++)
		if (a->set_cookie[i][0])
			MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, a->set_cookie[i]);
	if (a->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, a->retry_after);
}

enum MHD_Result admin_send_html(admin_rq *a, unsigned status, vb_buf *b)
{
	struct MHD_Response *resp;
	size_t len = b->len;
	char *s = vb_buf_steal(b);

	if (!s)
		return MHD_NO;
	if (a->rq.head) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		free(s);
	} else {
		resp = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(s);
	}
	if (!resp)
		return MHD_NO;
	a->rq.bytes = a->rq.head ? 0 : (int64_t)len;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	add_admin_headers(a, resp);
	return vb_http_send(&a->rq, status, resp);
}

enum MHD_Result admin_redirect(admin_rq *a, const char *location)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
	add_admin_headers(a, resp);
	return vb_http_send(&a->rq, MHD_HTTP_SEE_OTHER, resp);
}

enum MHD_Result admin_error(admin_rq *a, unsigned status, const char *message)
{
	vb_buf b;
	char title[64], code[16];
	enum MHD_Result ret;

	vb_buf_init(&b, ADMIN_PAGE_MAX);
	snprintf(code, sizeof(code), "%u", status);
	vb_i18n_format(a->lang, VB_MSG_ERROR, title, sizeof(title), code, NULL);
	admin_page_begin(a, &b, title, NULL);
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, title);
	vb_buf_puts(&b, "</h1>\n<p role=\"alert\">");
	admin_html(&b, message);
	vb_buf_puts(&b, "</p>\n<p><a href=\"/admin\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, status, &b);
	vb_buf_dispose(&b);
	return ret;
}

enum MHD_Result admin_error_vb(admin_rq *a, int rc, const vb_error *err)
{
	unsigned status = (unsigned)vb_code_http_status(rc);

	if (rc == VB_EDB)
		vb_worker_store_failed();
	if (status >= 500) {
		vb_warn("admin %s %s: %s", a->rq.method, a->rq.log_path, err ? err->msg : "");
		return admin_error(a, status, admin_t(a->lang, VB_MSG_DOC_UNAVAILABLE));
	}
	if (rc == VB_EPERM)
		return admin_error(a, MHD_HTTP_FORBIDDEN, err && err->msg[0] ? err->msg :
				   admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
	return admin_error(a, status, err ? err->msg : "");
}

/* ---- the principal ---------------------------------------------------- */

/* The session cookie -> a->who (anonymous when there is none or it is
 * unknown or expired).  0, or a store error code. */
static int resolve_session(admin_rq *a, vb_error *err)
{
	const char *cookie = MHD_lookup_connection_value(a->rq.conn, MHD_COOKIE_KIND,
							 ADMIN_SESSION_COOKIE);
	const vb_config *cfg = &a->rq.d->cfg;
	char hash[65], csrf[48];
	int64_t uid = 0;
	vb_store *st;
	int rc;

	vb_principal_init(&a->who);
	vb_auth_client_ip(&a->rq, a->who.ip, sizeof(a->who.ip));
	vb_http_request_id(&a->rq);
	snprintf(a->who.request_id, sizeof(a->who.request_id), "%016llx",
		 (unsigned long long)a->rq.id);
	if (!cookie || !*cookie || strlen(cookie) > 128)
		return 0;
	if ((rc = vb_worker_store(a->rq.d, &st, err)))
		return rc;
	vb_secret_hash(cookie, hash);
	rc = vb_store_session_lookup(st, hash, cfg->session_idle_minutes > 0 ?
				     cfg->session_idle_minutes : 30, &uid, csrf, err);
	if (rc == VB_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if ((rc = vb_store_principal_load(st, uid, &a->who, err)))
		return rc == VB_ENOTFOUND ? 0 : rc;
	a->who.kind = VB_ACTOR_USER;
	a->who.scopes = VB_SCOPE_ALL;
	snprintf(a->who.csrf, sizeof(a->who.csrf), "%s", csrf);
	return 0;
}

static int csrf_ok(const admin_rq *a)
{
	const char *v = admin_field_get(a, "csrf");

	return a->who.csrf[0] && *v && vb_secret_equal(v, a->who.csrf);
}

/* next= of the login form: a local path ("/admin..."), else "/admin". */
const char *admin_safe_next(const char *next)
{
	if (!next || strncmp(next, "/admin", 6) || (next[6] && next[6] != '/' && next[6] != '?') ||
	    strstr(next, "//") || strchr(next, '\\') || strlen(next) > 512)
		return "/admin";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return "/admin";
	return next;
}

struct next_url {
	vb_buf b;
	int fail;
};

static enum MHD_Result next_arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct next_url *n = cls;

	(void)kind;
	if (vb_buf_putc(&n->b, strchr(vb_buf_str(&n->b), '?') ? '&' : '?') ||
	    vb_url_put_pct(&n->b, key ? key : "") ||
	    (value && (vb_buf_putc(&n->b, '=') || vb_url_put_pct(&n->b, value)))) {
		n->fail = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* 303 to the login form with next= this page (its path and query string,
 * when they fit in 512 bytes). */
static enum MHD_Result to_login(admin_rq *a)
{
	struct next_url next = { .fail = 0 };
	const char *n;
	vb_buf u;
	enum MHD_Result ret;

	vb_buf_init(&u, 4096);
	vb_buf_init(&next.b, 512);
	if (vb_buf_puts(&next.b, a->rq.url))
		next.fail = 1;
	else
		MHD_get_connection_values(a->rq.conn, MHD_GET_ARGUMENT_KIND, next_arg_cb, &next);
	n = vb_buf_str(&next.b);
	vb_buf_puts(&u, "/admin/login?next=");
	vb_url_put_pct(&u, next.fail || admin_safe_next(n) != n ? "/admin" : n);
	ret = admin_redirect(a, vb_buf_str(&u));
	vb_buf_dispose(&next.b);
	vb_buf_dispose(&u);
	return ret;
}

/* ---- routing ---------------------------------------------------------- */

enum route {
	R_NONE, R_LOGIN, R_LOGOUT, R_QUEUE, R_UPLOAD, R_UPLOAD_FILE, R_DOCUMENT, R_AUDIT,
	R_USERS, R_TOKENS, R_REPORT
};

/* "/ID[rest]" after prefix: 1 with *id and *rest. */
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

static enum route parse_route(const char *url, int64_t *id, int *pos)
{
	const char *rest;
	char *end;
	long n;

	if (!strcmp(url, "/admin") || !strcmp(url, "/admin/"))
		return R_QUEUE;
	if (!strcmp(url, "/admin/login"))
		return R_LOGIN;
	if (!strcmp(url, "/admin/logout"))
		return R_LOGOUT;
	if (!strcmp(url, "/admin/audit"))
		return R_AUDIT;
	if (!strcmp(url, "/admin/users"))
		return R_USERS;
	if (!strcmp(url, "/admin/tokens"))
		return R_TOKENS;
	if (!strcmp(url, "/admin/report"))
		return R_REPORT;
	if (match_id(url, "/admin/uploads/", id, &rest)) {
		if (!*rest)
			return R_UPLOAD;
		if (!strncmp(rest, "/files/", 7) && rest[7] >= '1' && rest[7] <= '9') {
			n = strtol(rest + 7, &end, 10);
			if (!*end && n >= 1 && n <= 100) {
				*pos = (int)n;
				return R_UPLOAD_FILE;
			}
		}
		return R_NONE;
	}
	if (match_id(url, "/admin/documents/", id, &rest) && !*rest)
		return R_DOCUMENT;
	return R_NONE;
}

/* The query-string arguments a route takes: any other is refused. */
static const char *const *route_args(enum route r)
{
	static const char *const lang_only[] = { "lang", NULL };
	static const char *const login[] = { "lang", "next", "out", NULL };
	static const char *const withdone[] = { "lang", "done", NULL };
	static const char *const audit[] = { "lang", "document", "user", "page", "format", NULL };

	switch (r) {
	case R_LOGIN:
		return login;
	case R_UPLOAD:
	case R_DOCUMENT:
	case R_USERS:
		return withdone;
	case R_AUDIT:
		return audit;
	default:
		return lang_only;
	}
}

struct arg_check {
	const char *const *allowed;
	const char *bad;
};

static enum MHD_Result arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			      const char *value)
{
	struct arg_check *ac = cls;
	size_t i;

	(void)kind;
	(void)value;
	for (i = 0; ac->allowed[i]; i++)
		if (key && !strcmp(key, ac->allowed[i]))
			return MHD_YES;
	ac->bad = key ? key : "";
	return MHD_NO;
}

static enum MHD_Result dispatch(admin_rq *a, enum route r, int64_t id, int pos)
{
	struct arg_check ac = { route_args(r), NULL };
	vb_error err;
	int rc, is_get = !a->is_post;

	vb_error_clear(&err);
	if (r == R_NONE)
		return admin_error(a, MHD_HTTP_NOT_FOUND, admin_t(a->lang, VB_MSG_NOT_FOUND_PAGE));
	MHD_get_connection_values(a->rq.conn, MHD_GET_ARGUMENT_KIND, arg_cb, &ac);
	if (ac.bad) {
		char msg[256], name[40];

		vb_params_key_shown(name, sizeof(name), ac.bad);
		vb_i18n_format(a->lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg), name,
			       "unknown parameter");
		return admin_error(a, MHD_HTTP_BAD_REQUEST, msg);
	}
	if (a->body_fail)
		return admin_error(a, a->body_fail, a->body_fail == MHD_HTTP_BAD_REQUEST ?
				   "the form is malformed" : "the form is too large");
	if ((rc = resolve_session(a, &err)))
		return admin_error_vb(a, rc, &err);
	if (r == R_LOGIN) {
		if (a->is_post)
			return admin_login_post(a);
		if (a->who.kind == VB_ACTOR_USER)
			return admin_redirect(a, admin_safe_next(admin_arg(a, "next")));
		return admin_login_page(a, MHD_HTTP_OK, NULL, NULL);
	}
	if (a->who.kind != VB_ACTOR_USER) {
		if (is_get)
			return to_login(a);
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_LOGIN_REQUIRED));
	}
	if (a->is_post && !csrf_ok(a))
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_CSRF));
	switch (r) {
	case R_LOGOUT:
		return admin_logout_post(a);
	case R_QUEUE:
		return admin_page_queue(a);
	case R_UPLOAD:
		if (a->is_post)
			return admin_post_upload(a, id, admin_field_get(a, "action"));
		return admin_page_upload(a, id, admin_arg(a, "done"), NULL);
	case R_UPLOAD_FILE:
		return admin_upload_file(a, id, pos);
	case R_DOCUMENT:
		if (a->is_post)
			return admin_post_document(a, id, admin_field_get(a, "action"));
		return admin_page_document(a, id, admin_arg(a, "done"), NULL);
	case R_AUDIT:
		return admin_page_audit(a);
	case R_USERS:
		if (a->is_post)
			return admin_post_users(a, admin_field_get(a, "action"));
		return admin_page_users(a, admin_arg(a, "done"), NULL);
	case R_TOKENS:
		if (a->is_post)
			return admin_post_tokens(a, 0, admin_field_get(a, "action"));
		return admin_page_tokens(a, NULL, NULL);
	case R_REPORT:
		return admin_page_report(a);
	default:
		return admin_error(a, MHD_HTTP_NOT_FOUND, admin_t(a->lang, VB_MSG_NOT_FOUND_PAGE));
	}
}

/* Methods per route: GET/HEAD everywhere but logout, POST on the forms. */
static int post_allowed(enum route r)
{
	return r == R_LOGIN || r == R_LOGOUT || r == R_UPLOAD || r == R_DOCUMENT ||
	       r == R_USERS || r == R_TOKENS;
}

static enum MHD_Result method_not_allowed(admin_rq *a, const char *allow)
{
	struct MHD_Response *resp;
	static const char body[] = "<!DOCTYPE html><title>405</title><p>Method not allowed</p>";

	resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	a->rq.bytes = (int64_t)(sizeof(body) - 1);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	add_admin_headers(a, resp);
	return vb_http_send(&a->rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
}


static vb_lang choose_lang(admin_rq *a)
{
	const char *al = MHD_lookup_connection_value(a->rq.conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_LANGUAGE);

	return vb_lang_choose(admin_arg(a, "lang"), al, VB_LANG_VI);
}

/* First call: method, limits; for a POST the body parser. */
static enum MHD_Result start(admin_rq *a, enum route r)
{
	const char *method = a->rq.method, *len;

	a->lang = choose_lang(a);
	a->is_post = !strcmp(method, MHD_HTTP_METHOD_POST);
	if (r == R_LOGOUT && !a->is_post)
		return method_not_allowed(a, "POST");
	if (a->is_post && r != R_NONE && !post_allowed(r))
		return method_not_allowed(a, "GET, HEAD");
	if (!a->is_post && strcmp(method, MHD_HTTP_METHOD_GET) && !a->rq.head)
		return method_not_allowed(a, post_allowed(r) ? "GET, HEAD, POST" : "GET, HEAD");
	len = MHD_lookup_connection_value(a->rq.conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (!a->is_post) {
		if ((len && strcmp(len, "0")) ||
		    MHD_lookup_connection_value(a->rq.conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_TRANSFER_ENCODING))
			return method_not_allowed(a, post_allowed(r) ? "GET, HEAD, POST" :
						  "GET, HEAD");
		return MHD_YES;
	}
	if (a->rq.d->cfg.read_only)
		return vb_http_send_read_only(&a->rq);
	if (len && strtoull(len, NULL, 10) > ADMIN_BODY_MAX)
		return admin_error(a, MHD_HTTP_CONTENT_TOO_LARGE, "the form is too large");
	a->pp = MHD_create_post_processor(a->rq.conn, ADMIN_PP_BUFFER, on_field, a);
	/* no parser: an empty or unknown body, answered as a form without fields */
	return MHD_YES;
}

enum MHD_Result vb_admin_access(const vb_daemon *d, struct MHD_Connection *conn,
				const char *url, const char *method,
				const char *upload_data, size_t *upload_data_size,
				void **con_cls)
{
	admin_rq *a = *con_cls;
	enum route r;
	int64_t id = 0;
	int pos = 0;
	size_t i, n;

	if (!a) {
		if (!(a = calloc(1, sizeof(*a))))
			return MHD_NO;
		vb_http_request_init(&a->rq, d, conn, url, method);
		for (i = 0; i < ADMIN_FIELDS_MAX; i++)
			vb_buf_init(&a->fields[i].value, ADMIN_FIELD_MAX);
		*con_cls = a;
		r = parse_route(url, &id, &pos);
		return start(a, r);
	}
	if (a->rq.responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if ((n = *upload_data_size)) {
		*upload_data_size = 0;
		a->received += n;
		if (a->received > ADMIN_BODY_MAX)
			a->body_fail = MHD_HTTP_CONTENT_TOO_LARGE;
		else if (!a->body_fail && a->pp && MHD_post_process(a->pp, upload_data, n) == MHD_NO &&
			 !a->body_fail)
			a->body_fail = MHD_HTTP_BAD_REQUEST;
		return MHD_YES;
	}
	r = parse_route(url, &id, &pos);
	{
		enum MHD_Result ret = dispatch(a, r, id, pos);

		cleanup(a);
		return ret;
	}
}
