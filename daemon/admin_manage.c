/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin UI's management pages (docs/admin.md): the audit log (filter
 * by document and user, paging, CSV export; a system administrator sees
 * every row, anyone else the rows of the portals they hold a role in),
 * and users and roles (a portal administrator grants and revokes roles in
 * their portals; a system administrator also creates users).  Writes set
 * the audit context first (vb_audit_begin) so that the log says who did
 * them.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "log.h"

#define AUDIT_PAGE 50
#define AUDIT_PAGES_MAX 1000

/* ---- audit ------------------------------------------------------------ */

static void json_cell(vb_buf *b, json_t *v)
{
	char *s;

	if (!v || json_is_null(v))
		return;
	if (json_is_string(v)) {
		admin_html(b, json_string_value(v));
		return;
	}
	if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))) {
		admin_html(b, s);
		free(s);
	}
}

void admin_audit_table(admin_rq *a, vb_buf *b, json_t *rows)
{
	vb_lang l = a->lang;
	json_t *r;
	size_t i;

	if (!json_array_size(rows)) {
		vb_buf_puts(b, "<p>");
		admin_html(b, admin_t(l, VB_MSG_ADMIN_NO_ROWS));
		vb_buf_puts(b, "</p>\n");
		return;
	}
	vb_buf_puts(b, "<table class=\"admin-table audit\">\n<caption>");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_AUDIT));
	vb_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_WHEN));
	vb_buf_puts(b, "</th><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_WHO));
	vb_buf_puts(b, "</th><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_ACTION));
	vb_buf_puts(b, "</th><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_OBJECT));
	vb_buf_puts(b, "</th><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_CHANGES));
	vb_buf_puts(b, "</th><th scope=\"col\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_REASON));
	vb_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	json_array_foreach(rows, i, r) {
		json_int_t doc = json_integer_value(json_object_get(r, "document_id"));

		vb_buf_puts(b, "<tr><td>");
		json_cell(b, json_object_get(r, "at"));
		vb_buf_puts(b, "</td><td>");
		json_cell(b, json_object_get(r, "actor_label"));
		vb_buf_puts(b, " <small>(");
		json_cell(b, json_object_get(r, "actor_kind"));
		vb_buf_puts(b, ")</small>");
		if (a->who.sysadmin && json_is_string(json_object_get(r, "ip"))) {
			vb_buf_puts(b, "<br><small>");
			json_cell(b, json_object_get(r, "ip"));
			vb_buf_puts(b, "</small>");
		}
		vb_buf_puts(b, "</td><td><code>");
		json_cell(b, json_object_get(r, "action"));
		vb_buf_puts(b, "</code></td><td>");
		json_cell(b, json_object_get(r, "object_type"));
		vb_buf_puts(b, " ");
		json_cell(b, json_object_get(r, "object_id"));
		if (doc > 0)
			vb_buf_printf(b, " <a href=\"/admin/documents/%lld\">→ %lld</a>",
				      (long long)doc, (long long)doc);
		vb_buf_puts(b, "</td><td class=\"changes\">");
		if (json_object_size(json_object_get(r, "before"))) {
			vb_buf_puts(b, "<del>");
			json_cell(b, json_object_get(r, "before"));
			vb_buf_puts(b, "</del> ");
		}
		if (json_object_size(json_object_get(r, "after"))) {
			vb_buf_puts(b, "<ins>");
			json_cell(b, json_object_get(r, "after"));
			vb_buf_puts(b, "</ins>");
		}
		vb_buf_puts(b, "</td><td>");
		json_cell(b, json_object_get(r, "reason"));
		vb_buf_puts(b, "</td></tr>\n");
	}
	vb_buf_puts(b, "</tbody>\n</table>\n");
}

/* A positive decimal query argument: 0 when absent or empty, -1 when
 * malformed. */
static int64_t arg_id(admin_rq *a, const char *name)
{
	const char *s = admin_arg(a, name);
	int64_t v;

	if (!s || !*s)
		return 0;
	return vb_parse_id(s, strlen(s), &v) ? -1 : v;
}

static enum MHD_Result send_csv(admin_rq *a, char *csv)
{
	struct MHD_Response *resp;
	size_t len = strlen(csv);

	resp = MHD_create_response_from_buffer(a->rq.head ? 0 : len, csv, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(csv);
		return MHD_NO;
	}
	a->rq.bytes = a->rq.head ? 0 : (int64_t)len;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
				"attachment; filename=\"audit.csv\"");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; frame-ancestors 'none'");
	return vb_http_send(&a->rq, MHD_HTTP_OK, resp);
}

enum MHD_Result admin_page_audit(admin_rq *a)
{
	const char *portals[VB_PRINCIPAL_MAX_ROLES], *format = admin_arg(a, "format");
	int64_t doc = arg_id(a, "document"), user = arg_id(a, "user"), page = arg_id(a, "page");
	int csv = format && !strcmp(format, "csv");
	vb_audit_filter f;
	json_t *rows = NULL;
	vb_store *st;
	vb_error err;
	vb_buf b;
	char num[24];
	enum MHD_Result ret;
	int rc;

	vb_error_clear(&err);
	if (doc < 0 || user < 0 || page < 0 || page > AUDIT_PAGES_MAX ||
	    (format && *format && !csv && strcmp(format, "html"))) {
		char msg[256];

		vb_i18n_format(a->lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg),
			       doc < 0 ? "document" : user < 0 ? "user" :
			       page < 0 || page > AUDIT_PAGES_MAX ? "page" : "format",
			       "expected a positive number, or format=csv");
		return admin_error(a, MHD_HTTP_BAD_REQUEST, msg);
	}
	if (page == 0)
		page = 1;
	memset(&f, 0, sizeof(f));
	f.document_id = doc;
	f.user_id = user;
	if (!a->who.sysadmin) {
		f.restrict_portals = 1;
		f.portals = portals;
		f.n_portals = admin_portals(a, 0, portals, VB_PRINCIPAL_MAX_ROLES);
	}
	f.limit = csv ? VB_AUDIT_MAX_ROWS : AUDIT_PAGE + 1;
	f.offset = csv ? 0 : (page - 1) * AUDIT_PAGE;
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_audit_query(st, &f, &rows, &err)))
		return admin_error_vb(a, rc, &err);
	if (csv) {
		char *s = vb_audit_csv(rows);

		json_decref(rows);
		return s ? send_csv(a, s) : MHD_NO;
	}
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_AUDIT), "audit");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_AUDIT));
	vb_buf_puts(&b, "</h1>\n<form method=\"get\" action=\"/admin/audit\" class=\"admin-form inline\">\n"
		    "<p><label for=\"a-document\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DOCUMENT_ID));
	vb_buf_puts(&b, "</label> <input id=\"a-document\" name=\"document\" inputmode=\"numeric\" "
		    "pattern=\"[0-9]*\" size=\"8\" value=\"");
	if (doc > 0)
		vb_buf_printf(&b, "%lld", (long long)doc);
	vb_buf_puts(&b, "\"> <label for=\"a-user\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_USER_ID));
	vb_buf_puts(&b, "</label> <input id=\"a-user\" name=\"user\" inputmode=\"numeric\" "
		    "pattern=\"[0-9]*\" size=\"8\" value=\"");
	if (user > 0)
		vb_buf_printf(&b, "%lld", (long long)user);
	vb_buf_puts(&b, "\"> <button type=\"submit\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_FILTER));
	vb_buf_puts(&b, "</button></p>\n</form>\n<p><a href=\"/admin/audit?format=csv");
	if (doc > 0)
		vb_buf_printf(&b, "&amp;document=%lld", (long long)doc);
	if (user > 0)
		vb_buf_printf(&b, "&amp;user=%lld", (long long)user);
	vb_buf_puts(&b, "\" download>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_EXPORT_CSV));
	vb_buf_puts(&b, "</a></p>\n");
	{
		int more = json_array_size(rows) > AUDIT_PAGE;

		if (more)
			json_array_remove(rows, AUDIT_PAGE);
		admin_audit_table(a, &b, rows);
		if (page > 1 || more) {
			vb_buf_puts(&b, "<nav aria-label=\"");
			admin_html(&b, admin_t(a->lang, VB_MSG_PAGING));
			vb_buf_puts(&b, "\"><ul class=\"paging\">");
			for (int k = 0; k < 2; k++) {
				int64_t to = k ? page + 1 : page - 1;

				if ((k == 0 && page <= 1) || (k == 1 && !more))
					continue;
				vb_buf_printf(&b, "<li><a href=\"/admin/audit?page=%lld", (long long)to);
				if (doc > 0)
					vb_buf_printf(&b, "&amp;document=%lld", (long long)doc);
				if (user > 0)
					vb_buf_printf(&b, "&amp;user=%lld", (long long)user);
				vb_buf_printf(&b, "&amp;lang=%s\" rel=\"%s\">", vb_lang_code(a->lang),
					      k ? "next" : "prev");
				admin_html(&b, admin_t(a->lang, k ? VB_MSG_NEXT : VB_MSG_PREV));
				vb_buf_puts(&b, "</a></li>");
			}
			vb_buf_puts(&b, "</ul></nav>\n");
		}
	}
	(void)num;
	admin_page_end(a, &b);
	ret = admin_send_html(a, MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	json_decref(rows);
	return ret;
}

/* ---- users and roles -------------------------------------------------- */

static const unsigned roles[] = { VB_ROLE_UPLOADER, VB_ROLE_EDITOR, VB_ROLE_PORTAL_ADMIN };
static const vb_msg role_labels[] = { VB_MSG_ADMIN_ROLE_UPLOADER, VB_MSG_ADMIN_ROLE_EDITOR,
				      VB_MSG_ADMIN_ROLE_PORTAL_ADMIN };

static const char *role_label(vb_lang l, const char *name)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (name && !strcmp(name, vb_role_name(roles[i])))
			return vb_i18n(l, role_labels[i]);
	return name ? name : "";
}


static void portal_select(admin_rq *a, vb_buf *b, const char *id)
{
	const char *portals[VB_PRINCIPAL_MAX_ROLES];
	size_t n = admin_portals(a, VB_ROLE_PORTAL_ADMIN, portals, VB_PRINCIPAL_MAX_ROLES), i;

	vb_buf_printf(b, "<p><label for=\"%s\">", id);
	admin_html(b, admin_t(a->lang, VB_MSG_ADMIN_PORTAL));
	if (a->who.sysadmin) {
		vb_buf_printf(b, "</label>\n<input id=\"%s\" name=\"portal\" required maxlength=\"63\" "
			      "value=\"", id);
		admin_html(b, admin_field_get(a, "portal"));
		vb_buf_puts(b, "\"></p>\n");
		return;
	}
	vb_buf_printf(b, "</label>\n<select id=\"%s\" name=\"portal\">", id);
	for (i = 0; i < n; i++) {
		vb_buf_puts(b, "<option>");
		admin_html(b, portals[i]);
		vb_buf_puts(b, "</option>");
	}
	vb_buf_puts(b, "</select></p>\n");
}

enum MHD_Result admin_page_users(admin_rq *a, const char *done, const char *error)
{
	const char *portals[VB_PRINCIPAL_MAX_ROLES];
	size_t np = admin_portals(a, VB_ROLE_PORTAL_ADMIN, portals, VB_PRINCIPAL_MAX_ROLES), i, k;
	json_t *users = NULL, *u, *r;
	vb_store *st;
	vb_error err;
	vb_buf b;
	size_t j;
	enum MHD_Result ret;
	int rc;

	vb_error_clear(&err);
	if (!a->who.sysadmin && !np)
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_user_list(st, a->who.sysadmin ? NULL : portals,
				     a->who.sysadmin ? 0 : np, &users, &err)))
		return admin_error_vb(a, rc, &err);
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_USERS), "users");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_USERS));
	vb_buf_puts(&b, "</h1>\n");
	if (error) {
		const char *ids[1] = { "g-login" };

		admin_error_summary(a, &b, &error, ids, 1);
	} else {
		admin_notice(a, &b, done);
	}
	vb_buf_puts(&b, "<table class=\"admin-table\">\n<caption>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_USERS));
	vb_buf_puts(&b, "</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_LOGIN_NAME));
	vb_buf_puts(&b, "</th><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DISPLAY_NAME));
	vb_buf_puts(&b, "</th><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_ROLE));
	vb_buf_puts(&b, "</th></tr></thead>\n<tbody>\n");
	json_array_foreach(users, i, u) {
		vb_buf_printf(&b, "<tr><td><a href=\"/admin/audit?user=%lld\">%lld</a></td><td>",
			      (long long)json_integer_value(json_object_get(u, "id")),
			      (long long)json_integer_value(json_object_get(u, "id")));
		admin_html(&b, json_string_value(json_object_get(u, "login")));
		vb_buf_puts(&b, "</td><td>");
		admin_html(&b, json_string_value(json_object_get(u, "display_name")));
		vb_buf_puts(&b, "</td><td><ul class=\"roles\">");
		if (json_is_true(json_object_get(u, "sysadmin"))) {
			vb_buf_puts(&b, "<li>");
			admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SYSADMIN));
			vb_buf_puts(&b, "</li>");
		}
		json_array_foreach(json_object_get(u, "roles"), j, r) {
			vb_buf_puts(&b, "<li>");
			admin_html(&b, json_string_value(json_object_get(r, "portal")));
			vb_buf_puts(&b, ": ");
			admin_html(&b, role_label(a->lang, json_string_value(json_object_get(r, "role"))));
			vb_buf_puts(&b, "</li>");
		}
		vb_buf_puts(&b, "</ul></td></tr>\n");
	}
	vb_buf_puts(&b, "</tbody>\n</table>\n");

	/* grant / revoke */
	vb_buf_puts(&b, "<section aria-labelledby=\"grant-h\">\n<h2 id=\"grant-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_ROLE));
	vb_buf_puts(&b, "</h2>\n<form method=\"post\" action=\"/admin/users\" class=\"admin-form\">\n");
	admin_csrf_field(a, &b);
	admin_text_input(a, &b, "g-login", "login", VB_MSG_ADMIN_LOGIN_NAME, "text",
		   " required maxlength=\"64\"");
	portal_select(a, &b, "g-portal");
	vb_buf_puts(&b, "<p><label for=\"g-role\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_ROLE));
	vb_buf_puts(&b, "</label>\n<select id=\"g-role\" name=\"role\">");
	for (k = 0; k < 3; k++) {
		vb_buf_printf(&b, "<option value=\"%s\">", vb_role_name(roles[k]));
		admin_html(&b, admin_t(a->lang, role_labels[k]));
		vb_buf_puts(&b, "</option>");
	}
	vb_buf_puts(&b, "</select></p>\n<p class=\"buttons\"><button type=\"submit\" name=\"action\" "
		    "value=\"grant\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_GRANT));
	vb_buf_puts(&b, "</button> <button type=\"submit\" name=\"action\" value=\"revoke\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REVOKE));
	vb_buf_puts(&b, "</button></p>\n</form>\n</section>\n");

	if (a->who.sysadmin) {
		vb_buf_puts(&b, "<section aria-labelledby=\"create-h\">\n<h2 id=\"create-h\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATE_USER));
		vb_buf_puts(&b, "</h2>\n<form method=\"post\" action=\"/admin/users\" "
			    "class=\"admin-form\">\n");
		admin_csrf_field(a, &b);
		vb_buf_puts(&b, "<input type=\"hidden\" name=\"action\" value=\"create\">\n");
		admin_text_input(a, &b, "c-login", "new_login", VB_MSG_ADMIN_LOGIN_NAME, "text",
			   " required maxlength=\"64\" pattern=\"[a-z0-9._\\-]{2,64}\"");
		admin_text_input(a, &b, "c-name", "display_name", VB_MSG_ADMIN_DISPLAY_NAME, "text",
			   " maxlength=\"200\"");
		admin_text_input(a, &b, "c-password", "password", VB_MSG_ADMIN_PASSWORD, "password",
			   " minlength=\"12\" maxlength=\"1024\" autocomplete=\"new-password\"");
		vb_buf_puts(&b, "<p><input type=\"checkbox\" id=\"c-sysadmin\" name=\"sysadmin\" "
			    "value=\"1\"> <label for=\"c-sysadmin\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SYSADMIN));
		vb_buf_puts(&b, "</label></p>\n<p><button type=\"submit\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATE_USER));
		vb_buf_puts(&b, "</button></p>\n</form>\n</section>\n");
	}
	admin_page_end(a, &b);
	ret = admin_send_html(a, error ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	json_decref(users);
	return ret;
}

enum MHD_Result admin_post_users(admin_rq *a, const char *action)
{
	const char *portal = admin_field_get(a, "portal");
	char hash[VB_PASSWORD_HASH_MAX], loc[64];
	unsigned role;
	int64_t uid = 0;
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)))
		return admin_error_vb(a, rc, &err);
	if (!strcmp(action, "create")) {
		const char *pw = admin_field_get(a, "password");

		if (!a->who.sysadmin)
			return admin_error(a, MHD_HTTP_FORBIDDEN,
					   admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
		if (*pw && (rc = vb_password_hash(pw, hash, sizeof(hash), &err)))
			return rc == VB_EINVAL ? admin_page_users(a, NULL, err.msg) :
			       admin_error_vb(a, rc, &err);
		if ((rc = vb_audit_begin(st, &a->who, "user.create", NULL, &err)))
			return admin_error_vb(a, rc, &err);
		rc = vb_store_user_add(st, admin_field_get(a, "new_login"),
				       admin_field_get(a, "display_name"), *pw ? hash : NULL,
				       !strcmp(admin_field_get(a, "sysadmin"), "1"), &uid, &err);
		vb_audit_end(st);
	} else if (!strcmp(action, "grant") || !strcmp(action, "revoke")) {
		role = vb_role_parse(admin_field_get(a, "role"));
		if (!role || !*portal)
			return admin_page_users(a, NULL, "role and portal are required");
		if (!vb_principal_can(&a->who, portal, VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN))
			return admin_error(a, MHD_HTTP_FORBIDDEN,
					   admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
		rc = vb_store_user_id(st, admin_field_get(a, "login"), &uid, &err);
		if (rc == VB_ENOTFOUND)
			return admin_page_users(a, NULL, err.msg);
		if (!rc && !(rc = vb_audit_begin(st, &a->who, !strcmp(action, "grant") ?
						 "role.grant" : "role.revoke", NULL, &err))) {
			rc = !strcmp(action, "grant") ?
			     vb_store_role_grant(st, uid, portal, role, &err) :
			     vb_store_role_revoke(st, uid, portal, role, &err);
			vb_audit_end(st);
		}
	} else {
		return admin_error(a, MHD_HTTP_BAD_REQUEST, "unknown action");
	}
	if (rc == VB_EINVAL || rc == VB_ENOTFOUND || rc == VB_ECONFLICT)
		return admin_page_users(a, NULL, err.msg);
	if (rc)
		return admin_error_vb(a, rc, &err);
	snprintf(loc, sizeof(loc), "/admin/users?done=%s", action);
	return admin_redirect(a, loc);
}
