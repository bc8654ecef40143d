/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin UI's page of the user's own API tokens (docs/admin.md): the
 * list (name, scopes, created, revoked; never a secret or its hash), a
 * form creating one (the secret is in that answer only: never stored,
 * never redirected to), revoke; and the form leading to the yearly report
 * of the user's portals.  Writes set the audit context first.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"

/* ---- API tokens ------------------------------------------------------- */

static const unsigned scope_bits[] = { VB_SCOPE_UPLOAD, VB_SCOPE_PUBLISH, VB_SCOPE_SYNC,
				       VB_SCOPE_REPORT, VB_SCOPE_ADMIN };

enum MHD_Result admin_page_tokens(admin_rq *a, const char *secret, const char *error)
{
	json_t *tokens = NULL, *t;
	vb_store *st;
	vb_error err;
	vb_buf b;
	size_t i, k;
	enum MHD_Result ret;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_token_list(st, a->who.user_id, &tokens, &err)))
		return admin_error_vb(a, rc, &err);
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_TOKENS), "tokens");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_TOKENS));
	vb_buf_puts(&b, "</h1>\n");
	if (error) {
		const char *ids[1] = { "t-name" };

		admin_error_summary(a, &b, &error, ids, 1);
	}
	if (secret) {
		vb_buf_puts(&b, "<div class=\"notice\" role=\"status\"><p><label for=\"new-token\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_TOKEN_SECRET));
		vb_buf_puts(&b, "</label></p><p><input id=\"new-token\" readonly size=\"50\" value=\"");
		admin_html(&b, secret);
		vb_buf_puts(&b, "\"></p></div>\n");
	}
	if (!json_array_size(tokens)) {
		vb_buf_puts(&b, "<p>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_NO_ROWS));
		vb_buf_puts(&b, "</p>\n");
	} else {
		vb_buf_puts(&b, "<table class=\"admin-table\">\n<caption>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_TOKENS));
		vb_buf_puts(&b, "</caption>\n<thead><tr><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_TOKEN_NAME));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SCOPES));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATED));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_STATE));
		vb_buf_puts(&b, "</th></tr></thead>\n<tbody>\n");
		json_array_foreach(tokens, i, t) {
			json_int_t id = json_integer_value(json_object_get(t, "id"));
			json_t *sc = json_object_get(t, "scopes"), *s;

			vb_buf_puts(&b, "<tr><td>");
			admin_html(&b, json_string_value(json_object_get(t, "name")));
			vb_buf_puts(&b, "</td><td>");
			json_array_foreach(sc, k, s) {
				if (k)
					vb_buf_puts(&b, ", ");
				admin_html(&b, json_string_value(s));
			}
			vb_buf_puts(&b, "</td><td>");
			admin_html(&b, json_string_value(json_object_get(t, "created_at")));
			vb_buf_puts(&b, "</td><td>");
			if (json_is_string(json_object_get(t, "revoked_at"))) {
				admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REVOKED));
			} else {
				vb_buf_puts(&b, "<form method=\"post\" action=\"/admin/tokens\">");
				admin_csrf_field(a, &b);
				vb_buf_printf(&b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
					      "<button type=\"submit\" name=\"action\" value=\"revoke\" "
					      "aria-label=\"", (long long)id);
				admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REVOKE));
				vb_buf_puts(&b, " ");
				admin_html(&b, json_string_value(json_object_get(t, "name")));
				vb_buf_puts(&b, "\">");
				admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REVOKE));
				vb_buf_puts(&b, "</button></form>");
			}
			vb_buf_puts(&b, "</td></tr>\n");
		}
		vb_buf_puts(&b, "</tbody>\n</table>\n");
	}
	vb_buf_puts(&b, "<section aria-labelledby=\"token-h\">\n<h2 id=\"token-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATE_TOKEN));
	vb_buf_puts(&b, "</h2>\n<form method=\"post\" action=\"/admin/tokens\" class=\"admin-form\">\n");
	admin_csrf_field(a, &b);
	vb_buf_puts(&b, "<input type=\"hidden\" name=\"action\" value=\"create\">\n");
	admin_text_input(a, &b, "t-name", "name", VB_MSG_ADMIN_TOKEN_NAME, "text",
		   " required maxlength=\"100\"");
	vb_buf_puts(&b, "<fieldset><legend>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SCOPES));
	vb_buf_puts(&b, "</legend>\n");
	for (k = 0; k < sizeof(scope_bits) / sizeof(scope_bits[0]); k++) {
		const char *n = vb_scope_name(scope_bits[k]);

		vb_buf_printf(&b, "<p><input type=\"checkbox\" id=\"s-%s\" name=\"scope\" "
			      "value=\"%s\"%s> <label for=\"s-%s\">%s</label></p>\n", n, n,
			      k == 0 ? " checked" : "", n, n);
	}
	vb_buf_puts(&b, "</fieldset>\n<p><button type=\"submit\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATE_TOKEN));
	vb_buf_puts(&b, "</button></p>\n</form>\n</section>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, error ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	json_decref(tokens);
	return ret;
}

enum MHD_Result admin_post_tokens(admin_rq *a, int64_t id, const char *action)
{
	char token[VB_TOKEN_LEN + 1], hash[65], list[256];
	const char *name = admin_field_get(a, "name");
	unsigned scopes = 0, bit;
	vb_store *st;
	vb_error err;
	char *p, *save = NULL;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)))
		return admin_error_vb(a, rc, &err);
	if (!strcmp(action, "revoke")) {
		const char *s = admin_field_get(a, "id");

		if (vb_parse_id(s, strlen(s), &id))
			return admin_page_tokens(a, NULL, "no such token");
		if ((rc = vb_audit_begin(st, &a->who, "token.revoke", NULL, &err)))
			return admin_error_vb(a, rc, &err);
		rc = vb_store_token_revoke(st, id, a->who.user_id, &err);
		vb_audit_end(st);
		if (rc == VB_ENOTFOUND || rc == VB_ECONFLICT)
			return admin_page_tokens(a, NULL, err.msg);
		if (rc)
			return admin_error_vb(a, rc, &err);
		return admin_redirect(a, "/admin/tokens");
	}
	if (strcmp(action, "create"))
		return admin_error(a, MHD_HTTP_BAD_REQUEST, "unknown action");
	if (!*name || strlen(name) > VB_TOKEN_NAME_MAX) {
		char msg[128];

		vb_i18n_format(a->lang, VB_MSG_ADMIN_REQUIRED, msg, sizeof(msg),
			       admin_t(a->lang, VB_MSG_ADMIN_TOKEN_NAME), NULL);
		return admin_page_tokens(a, NULL, msg);
	}
	snprintf(list, sizeof(list), "%s", admin_field_get(a, "scope"));
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (!(bit = vb_scope_parse(p)))
			return admin_page_tokens(a, NULL, "unknown scope");
		scopes |= bit;
	}
	if (!scopes) {
		char msg[128];

		vb_i18n_format(a->lang, VB_MSG_ADMIN_REQUIRED, msg, sizeof(msg),
			       admin_t(a->lang, VB_MSG_ADMIN_SCOPES), NULL);
		return admin_page_tokens(a, NULL, msg);
	}
	if ((rc = vb_token_new(token, &err)))
		return admin_error_vb(a, rc, &err);
	vb_secret_hash(token, hash);
	if ((rc = vb_audit_begin(st, &a->who, "token.create", NULL, &err)))
		return admin_error_vb(a, rc, &err);
	rc = vb_store_token_create(st, a->who.user_id, name, hash, scopes, NULL, NULL, &id, &err);
	vb_audit_end(st);
	if (rc == VB_EINVAL)
		return admin_page_tokens(a, NULL, err.msg);
	if (rc)
		return admin_error_vb(a, rc, &err);
	/* the secret is shown in this answer only (never redirected, never stored) */
	return admin_page_tokens(a, token, NULL);
}

/* ---- report ----------------------------------------------------------- */

enum MHD_Result admin_page_report(admin_rq *a)
{
	const char *portals[VB_PRINCIPAL_MAX_ROLES];
	size_t n = admin_portals(a, 0, portals, VB_PRINCIPAL_MAX_ROLES), i;
	time_t now = time(NULL);
	struct tm tm;
	vb_buf b;
	enum MHD_Result ret;

	gmtime_r(&now, &tm);
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_REPORT), "report");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REPORT));
	vb_buf_puts(&b, "</h1>\n<form method=\"get\" action=\"/api/v1/report\" class=\"admin-form\">\n"
		    "<input type=\"hidden\" name=\"format\" value=\"html\">\n<p><label for=\"r-year\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_YEAR));
	vb_buf_printf(&b, "</label>\n<input id=\"r-year\" name=\"year\" type=\"number\" min=\"1945\" "
		      "max=\"9999\" value=\"%d\" required></p>\n<p><label for=\"r-portal\">",
		      tm.tm_year + 1900);
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PORTAL));
	vb_buf_puts(&b, "</label>\n<select id=\"r-portal\" name=\"portal\">");
	if (a->who.sysadmin) {
		vb_buf_puts(&b, "<option value=\"\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_ALL_PORTALS));
		vb_buf_puts(&b, "</option>");
	}
	for (i = 0; i < n; i++) {
		vb_buf_puts(&b, "<option>");
		admin_html(&b, portals[i]);
		vb_buf_puts(&b, "</option>");
	}
	vb_buf_puts(&b, "</select></p>\n<p><button type=\"submit\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SHOW_REPORT));
	vb_buf_puts(&b, "</button></p>\n</form>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	return ret;
}
