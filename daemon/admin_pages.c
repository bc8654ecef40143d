/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin UI's page frame and its workflow pages (docs/admin.md): the
 * review queue (drafts and submitted uploads of the portals the user holds
 * a role in, counts per status), an upload (the extracted metadata with
 * confidences, warnings and duplicates beside the original file in a
 * sandboxed frame; the edit / submit / publish / return / reject forms the
 * user may use) and a document (state, withdraw and correction forms, its
 * audit history).  The forms only show what the user may do; the writes
 * go through lib/workflow.h, which checks the role again.  Everything from
 * data is escaped with vb_buf_put_html.
 */
#include "admin.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "document.h"
#include "filestore.h"
#include "log.h"
#include "store_admin.h"
#include "upload.h"
#include "workflow.h"

#define QUEUE_SHOWN 100

const char *admin_t(vb_lang lang, vb_msg m)
{
	return vb_i18n(lang, m);
}

void admin_html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

/* ---- frame ------------------------------------------------------------ */

static const struct {
	const char *path, *section;
	vb_msg label;
} nav[] = {
	{ "/admin", "queue", VB_MSG_ADMIN_QUEUE },
	{ "/admin/audit", "audit", VB_MSG_ADMIN_AUDIT },
	{ "/admin/users", "users", VB_MSG_ADMIN_USERS },
	{ "/admin/tokens", "tokens", VB_MSG_ADMIN_TOKENS },
	{ "/admin/report", "report", VB_MSG_ADMIN_REPORT },
};

/* The request path for an href: bytes other than unreserved ones and "/"
 * percent-encoded, so a path of invalid UTF-8 or markup (a 404 page for
 * "/admin/%FF") stays a well-formed link. */
static void admin_path_put(vb_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			vb_buf_printf(b, "%c", *p);
		else
			vb_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

void admin_page_begin(admin_rq *a, vb_buf *b, const char *title, const char *section)
{
	vb_lang l = a->lang;
	char who[160];
	size_t i;
	int k;

	vb_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<meta name=\"robots\" content=\"noindex\">\n<title>", vb_lang_code(l));
	admin_html(b, title);
	vb_buf_puts(b, " – ");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_TITLE));
	vb_buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n"
		    "<body class=\"admin\">\n<a class=\"skip\" href=\"#main\">");
	admin_html(b, admin_t(l, VB_MSG_SKIP));
	vb_buf_puts(b, "</a>\n<header class=\"site\">\n<p class=\"brand\"><a href=\"/admin\">");
	admin_html(b, admin_t(l, VB_MSG_ADMIN_TITLE));
	vb_buf_puts(b, "</a></p>\n");
	if (a->who.kind == VB_ACTOR_USER) {
		vb_buf_puts(b, "<nav aria-label=\"");
		admin_html(b, admin_t(l, VB_MSG_ADMIN_NAV));
		vb_buf_puts(b, "\"><ul>");
		const char *adm[1];
		int may_admin = a->who.sysadmin || admin_portals(a, VB_ROLE_PORTAL_ADMIN, adm, 1);

		for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			if (!strcmp(nav[i].section, "users") && !may_admin)
				continue; /* only portal and system administrators manage users */
			vb_buf_printf(b, "<li><a href=\"%s\"%s>", nav[i].path,
				      section && !strcmp(section, nav[i].section) ?
				      " aria-current=\"page\"" : "");
			admin_html(b, admin_t(l, nav[i].label));
			vb_buf_puts(b, "</a></li>");
		}
		vb_buf_puts(b, "<li><a href=\"/\">");
		admin_html(b, admin_t(l, VB_MSG_NAV_SEARCH));
		vb_buf_puts(b, "</a></li></ul></nav>\n<form method=\"post\" action=\"/admin/logout\" "
			    "class=\"logout\"><p>");
		vb_i18n_format(l, VB_MSG_ADMIN_SIGNED_IN_AS, who, sizeof(who), a->who.label, NULL);
		admin_html(b, who);
		vb_buf_puts(b, " ");
		admin_csrf_field(a, b);
		vb_buf_puts(b, "<button type=\"submit\">");
		admin_html(b, admin_t(l, VB_MSG_ADMIN_LOGOUT));
		vb_buf_puts(b, "</button></p></form>\n");
	}
	vb_buf_puts(b, "<nav class=\"langs\" aria-label=\"");
	admin_html(b, admin_t(l, VB_MSG_LANG_SWITCH));
	vb_buf_puts(b, "\"><ul>");
	for (k = 0; k < VB_LANG_COUNT; k++) {
		const char *code = vb_lang_code((vb_lang)k);

		vb_buf_puts(b, "<li><a href=\"");
		admin_path_put(b, a->rq.url);
		vb_buf_printf(b, "?lang=%s\" lang=\"%s\" hreflang=\"%s\"%s>", code, code, code,
			      k == (int)l ? " aria-current=\"true\"" : "");
		admin_html(b, vb_lang_name((vb_lang)k));
		vb_buf_puts(b, "</a></li>");
	}
	vb_buf_puts(b, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void admin_page_end(admin_rq *a, vb_buf *b)
{
	(void)a;
	vb_buf_puts(b, "</main>\n</body>\n</html>\n");
}

void admin_csrf_field(admin_rq *a, vb_buf *b)
{
	vb_buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	admin_html(b, a->who.csrf);
	vb_buf_puts(b, "\">");
}

void admin_error_summary(admin_rq *a, vb_buf *b, const char *const *msgs,
			 const char *const *field_ids, size_t n)
{
	size_t i;

	vb_buf_puts(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
		    "aria-labelledby=\"error-summary-h\">\n<h2 id=\"error-summary-h\">");
	admin_html(b, admin_t(a->lang, VB_MSG_ADMIN_ERRORS));
	vb_buf_puts(b, "</h2>\n<ul>\n");
	for (i = 0; i < n; i++) {
		vb_buf_puts(b, "<li>");
		if (field_ids && field_ids[i] && field_ids[i][0]) {
			vb_buf_puts(b, "<a href=\"#");
			admin_html(b, field_ids[i]);
			vb_buf_puts(b, "\">");
			admin_html(b, msgs[i]);
			vb_buf_puts(b, "</a>");
		} else {
			admin_html(b, msgs[i]);
		}
		vb_buf_puts(b, "</li>\n");
	}
	vb_buf_puts(b, "</ul>\n</div>\n");
}

void admin_text_input(admin_rq *a, vb_buf *b, const char *id, const char *name, vb_msg label,
		       const char *type, const char *extra)
{
	vb_buf_printf(b, "<p><label for=\"%s\">", id);
	admin_html(b, admin_t(a->lang, label));
	vb_buf_printf(b, "</label>\n<input id=\"%s\" name=\"%s\" type=\"%s\"%s value=\"", id, name,
		      type, extra ? extra : "");
	if (strcmp(type, "password"))
		admin_html(b, admin_field_get(a, name));
	vb_buf_puts(b, "\"></p>\n");
}

const char *admin_status_label(vb_lang lang, const char *status)
{
	static const struct {
		const char *code;
		vb_msg m;
	} s[] = {
		{ "draft", VB_MSG_ADMIN_DRAFT },         { "submitted", VB_MSG_ADMIN_SUBMITTED },
		{ "published", VB_MSG_ADMIN_PUBLISHED }, { "rejected", VB_MSG_ADMIN_REJECTED },
		{ "withdrawn", VB_MSG_ADMIN_WITHDRAWN },
	};
	size_t i;

	for (i = 0; status && i < sizeof(s) / sizeof(s[0]); i++)
		if (!strcmp(status, s[i].code))
			return vb_i18n(lang, s[i].m);
	return status ? status : "";
}

size_t admin_portals(const admin_rq *a, unsigned role_mask, const char **out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < a->who.n_roles && n < cap; i++)
		if (!role_mask || (a->who.roles[i].roles & role_mask))
			out[n++] = a->who.roles[i].portal;
	return n;
}

void admin_notice(admin_rq *a, vb_buf *b, const char *done)
{
	/* only the actions of the forms, in the page's language (done= comes
	 * from the URL: anything else is not shown) */
	static const struct {
		const char *action;
		vb_msg label;
	} done_labels[] = {
		{ "submit", VB_MSG_ADMIN_SUBMIT },     { "publish", VB_MSG_ADMIN_PUBLISH },
		{ "return", VB_MSG_ADMIN_RETURN },     { "reject", VB_MSG_ADMIN_REJECT },
		{ "withdraw", VB_MSG_ADMIN_WITHDRAW }, { "correct", VB_MSG_ADMIN_CORRECT },
		{ "grant", VB_MSG_ADMIN_GRANT },       { "revoke", VB_MSG_ADMIN_REVOKE },
		{ "create", VB_MSG_ADMIN_CREATE_USER },
	};
	char msg[256];
	size_t i;

	for (i = 0; done && i < sizeof(done_labels) / sizeof(done_labels[0]); i++) {
		if (strcmp(done, done_labels[i].action))
			continue;
		vb_i18n_format(a->lang, VB_MSG_ADMIN_DONE, msg, sizeof(msg),
			       admin_t(a->lang, done_labels[i].label), NULL);
		vb_buf_printf(b, "<p class=\"notice\" role=\"status\" data-done=\"%s\">",
			      done_labels[i].action);
		admin_html(b, msg);
		vb_buf_puts(b, "</p>\n");
		return;
	}
}

void admin_portal_cell(admin_rq *a, vb_buf *b, const char *portal)
{
	if (portal && *portal)
		admin_html(b, portal);
	else
		admin_html(b, admin_t(a->lang, VB_MSG_ADMIN_NO_PORTAL));
}

/* ---- queue ------------------------------------------------------------ */

enum MHD_Result admin_page_queue(admin_rq *a)
{
	static const char *const statuses[] = { "submitted", "draft", "published", "rejected" };
	const char *portals[VB_PRINCIPAL_MAX_ROLES];
	size_t np = admin_portals(a, 0, portals, VB_PRINCIPAL_MAX_ROLES), i;
	json_t *q = NULL, *ups, *u;
	vb_store *st;
	vb_error err;
	vb_buf b;
	char num[32];
	enum MHD_Result ret;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_admin_queue(st, portals, np, a->who.sysadmin, QUEUE_SHOWN, &q, &err)))
		return admin_error_vb(a, rc, &err);
	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, admin_t(a->lang, VB_MSG_ADMIN_QUEUE), "queue");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_QUEUE));
	vb_buf_puts(&b, "</h1>\n<section aria-labelledby=\"counts-h\">\n<h2 id=\"counts-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_COUNTS));
	vb_buf_puts(&b, "</h2>\n<dl class=\"counts\">\n");
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		json_int_t c = json_integer_value(json_object_get(json_object_get(q, "counts"),
								  statuses[i]));

		vb_buf_printf(&b, "<div><dt>");
		admin_html(&b, admin_status_label(a->lang, statuses[i]));
		vb_buf_printf(&b, "</dt><dd id=\"count-%s\">%s</dd></div>\n", statuses[i],
			      vb_i18n_number(a->lang, (long long)c, num, sizeof(num)));
	}
	vb_buf_puts(&b, "</dl>\n</section>\n");
	ups = json_object_get(q, "uploads");
	if (!json_array_size(ups)) {
		vb_buf_puts(&b, "<p>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_QUEUE_EMPTY));
		vb_buf_puts(&b, "</p>\n");
	} else {
		vb_buf_puts(&b, "<table class=\"admin-table\">\n<caption>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_QUEUE));
		vb_buf_puts(&b, "</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_STATE));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_NUMBER));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ABSTRACT));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PORTAL));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATED));
		vb_buf_puts(&b, "</th><th scope=\"col\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_WARNINGS));
		vb_buf_puts(&b, "</th></tr></thead>\n<tbody>\n");
		json_array_foreach(ups, i, u) {
			long long id = (long long)json_integer_value(json_object_get(u, "id"));

			vb_buf_printf(&b, "<tr><td><a href=\"/admin/uploads/%lld\">%lld</a></td><td>",
				      id, id);
			admin_html(&b, admin_status_label(a->lang,
							  json_string_value(json_object_get(u, "status"))));
			vb_buf_puts(&b, "</td><td lang=\"vi\">");
			admin_html(&b, json_string_value(json_object_get(u, "number")));
			vb_buf_printf(&b, "</td><td lang=\"vi\"><a href=\"/admin/uploads/%lld\">", id);
			admin_html(&b, json_string_value(json_object_get(u, "abstract")) ?
				   json_string_value(json_object_get(u, "abstract")) :
				   admin_t(a->lang, VB_MSG_ADMIN_NONE));
			vb_buf_puts(&b, "</a></td><td>");
			admin_portal_cell(a, &b, json_string_value(json_object_get(u, "portal_id")));
			vb_buf_puts(&b, "</td><td>");
			admin_html(&b, json_string_value(json_object_get(u, "created_at")));
			vb_buf_printf(&b, "</td><td>%lld</td></tr>\n",
				      (long long)(json_integer_value(json_object_get(u, "warnings")) +
						  json_integer_value(json_object_get(u, "duplicates"))));
		}
		vb_buf_puts(&b, "</tbody>\n</table>\n");
	}
	admin_page_end(a, &b);
	ret = admin_send_html(a, MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	json_decref(q);
	return ret;
}

/* Whether the user may see an upload or document of portal ("" = none:
 * system administrators only). */
int admin_may_see(const admin_rq *a, const char *portal)
{
	if (a->who.sysadmin)
		return 1;
	return portal && *portal && vb_principal_roles(&a->who, portal) != 0;
}

void admin_reason_form(admin_rq *a, vb_buf *b, const char *action, const char *base,
			vb_msg button, int required)
{
	vb_buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"admin-form\">\n", base);
	admin_csrf_field(a, b);
	vb_buf_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%s\">\n"
		      "<p><label for=\"reason-%s\">", action, action);
	admin_html(b, admin_t(a->lang, VB_MSG_ADMIN_REASON));
	vb_buf_printf(b, "</label>\n<textarea id=\"reason-%s\" name=\"reason\" rows=\"2\" "
		      "maxlength=\"%d\"%s></textarea></p>\n<p><button type=\"submit\" name=\"go\" "
		      "value=\"%s\">", action, VB_WORKFLOW_REASON_MAX, required ? " required" : "",
		      action);
	admin_html(b, admin_t(a->lang, button));
	vb_buf_puts(b, "</button></p>\n</form>\n");
}

/* ---- document ------------------------------------------------------------ */

static void fact(vb_buf *b, admin_rq *a, vb_msg label, const char *value, int data)
{
	vb_buf_puts(b, "<div><dt>");
	admin_html(b, admin_t(a->lang, label));
	vb_buf_printf(b, "</dt><dd%s>", data ? " lang=\"vi\"" : "");
	admin_html(b, value && *value ? value : "—");
	vb_buf_puts(b, "</dd></div>");
}

/* The correctable fields of a document and their current values. */
static const char *doc_value(const vb_document *d, const char *key)
{
	if (!strcmp(key, "number"))
		return d->number;
	if (!strcmp(key, "form"))
		return d->form;
	if (!strcmp(key, "issuer"))
		return d->issuer;
	if (!strcmp(key, "issue_date"))
		return d->issue_date;
	if (!strcmp(key, "effective_date"))
		return d->effective_date;
	if (!strcmp(key, "expiry_date"))
		return d->expiry_date;
	if (!strcmp(key, "abstract"))
		return d->abstract;
	return NULL;
}

static const struct {
	const char *key;
	vb_msg label;
} doc_fields[] = {
	{ "number", VB_MSG_NUMBER },         { "form", VB_MSG_FORM },
	{ "issuer", VB_MSG_ISSUER },         { "issue_date", VB_MSG_ISSUE_DATE },
	{ "effective_date", VB_MSG_EFFECTIVE_DATE }, { "expiry_date", VB_MSG_EXPIRY_DATE },
	{ "abstract", VB_MSG_ABSTRACT },
};

enum MHD_Result admin_page_document(admin_rq *a, int64_t id, const char *done,
				    const vb_error *error)
{
	vb_admin_doc_state ds;
	vb_audit_filter f;
	vb_document doc;
	json_t *rows = NULL;
	vb_store *st;
	vb_error err;
	vb_buf b;
	char title[96], idtxt[24], base[64], version[16];
	size_t i;
	int rc, may_edit;
	enum MHD_Result ret;

	vb_error_clear(&err);
	memset(&ds, 0, sizeof(ds));
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_admin_document_state(st, id, &ds, &err)))
		return admin_error_vb(a, rc, &err);
	if (!admin_may_see(a, ds.portal)) {
		vb_admin_doc_state_dispose(&ds);
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
	}
	if ((rc = vb_store_get_document(st, id, 0, &doc, &err))) {
		vb_admin_doc_state_dispose(&ds);
		return admin_error_vb(a, rc, &err);
	}
	memset(&f, 0, sizeof(f));
	f.document_id = id;
	f.limit = 200;
	if ((rc = vb_audit_query(st, &f, &rows, &err))) {
		vb_document_dispose(&doc);
		vb_admin_doc_state_dispose(&ds);
		return admin_error_vb(a, rc, &err);
	}
	may_edit = vb_principal_can(&a->who, ds.portal[0] ? ds.portal : NULL, VB_ROLE_EDITOR,
				    VB_SCOPE_PUBLISH) && (ds.portal[0] || a->who.sysadmin);
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	snprintf(base, sizeof(base), "/admin/documents/%lld", (long long)id);
	snprintf(version, sizeof(version), "%d", doc.version);
	vb_i18n_format(a->lang, VB_MSG_ADMIN_DOCUMENT, title, sizeof(title), idtxt, NULL);

	vb_buf_init(&b, ADMIN_PAGE_MAX);
	admin_page_begin(a, &b, title, "queue");
	vb_buf_puts(&b, "<h1>");
	admin_html(&b, title);
	vb_buf_puts(&b, "</h1>\n");
	if (error) {
		const char *msg = error->msg, *ids[1] = { "" };

		admin_error_summary(a, &b, &msg, ids, 1);
	}
	admin_notice(a, &b, done);
	if (!strcmp(ds.state, "withdrawn")) {
		char msg[VB_WORKFLOW_REASON_MAX + 128];

		vb_i18n_format(a->lang, VB_MSG_ADMIN_WITHDRAWN_NOTICE, msg, sizeof(msg),
			       ds.withdrawn_reason ? ds.withdrawn_reason : "", NULL);
		vb_buf_puts(&b, "<p class=\"withdrawn\">");
		admin_html(&b, msg);
		vb_buf_puts(&b, "</p>\n");
	}
	vb_buf_puts(&b, "<dl class=\"admin-facts\">");
	vb_buf_puts(&b, "<div><dt>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_STATE));
	vb_buf_printf(&b, "</dt><dd id=\"document-state\" data-state=\"");
	admin_html(&b, ds.state);
	vb_buf_puts(&b, "\">");
	admin_html(&b, admin_status_label(a->lang, ds.state));
	vb_buf_puts(&b, "</dd></div>");
	fact(&b, a, VB_MSG_ADMIN_PORTAL, ds.portal[0] ? ds.portal :
	     admin_t(a->lang, VB_MSG_ADMIN_NO_PORTAL), 0);
	fact(&b, a, VB_MSG_ADMIN_VERSION, version, 0);
	for (i = 0; i < sizeof(doc_fields) / sizeof(doc_fields[0]); i++)
		fact(&b, a, doc_fields[i].label, doc_value(&doc, doc_fields[i].key), 1);
	vb_buf_printf(&b, "</dl>\n<p><a href=\"/documents/%lld\">", (long long)id);
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PUBLIC_PAGE));
	vb_buf_puts(&b, "</a></p>\n");
	if (may_edit && !strcmp(ds.state, "published")) {
		vb_buf_puts(&b, "<section aria-labelledby=\"withdraw-h\">\n<h2 id=\"withdraw-h\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_WITHDRAW));
		vb_buf_puts(&b, "</h2>\n");
		admin_reason_form(a, &b, "withdraw", base, VB_MSG_ADMIN_WITHDRAW, 1);
		vb_buf_puts(&b, "</section>\n<section aria-labelledby=\"correct-h\">\n"
			    "<h2 id=\"correct-h\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CORRECT));
		vb_buf_printf(&b, "</h2>\n<form method=\"post\" action=\"%s\" class=\"admin-form\">\n",
			      base);
		admin_csrf_field(a, &b);
		vb_buf_puts(&b, "<input type=\"hidden\" name=\"action\" value=\"correct\">\n");
		for (i = 0; i < sizeof(doc_fields) / sizeof(doc_fields[0]); i++) {
			const char *k = doc_fields[i].key;

			vb_buf_printf(&b, "<p><label for=\"c-%s\">", k);
			admin_html(&b, admin_t(a->lang, doc_fields[i].label));
			if (!strcmp(k, "abstract"))
				vb_buf_printf(&b, "</label>\n<textarea id=\"c-%s\" name=\"%s\" rows=\"3\" "
					      "lang=\"vi\">", k, k);
			else
				vb_buf_printf(&b, "</label>\n<input id=\"c-%s\" name=\"%s\" lang=\"vi\" "
					      "value=\"", k, k);
			admin_html(&b, doc_value(&doc, k));
			vb_buf_puts(&b, strcmp(k, "abstract") ? "\"></p>\n" : "</textarea></p>\n");
		}
		vb_buf_puts(&b, "<p><label for=\"reason-correct\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_REASON));
		vb_buf_printf(&b, "</label>\n<textarea id=\"reason-correct\" name=\"reason\" rows=\"2\" "
			      "maxlength=\"%d\"></textarea></p>\n<p><button type=\"submit\">",
			      VB_WORKFLOW_REASON_MAX);
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CORRECT));
		vb_buf_puts(&b, "</button></p>\n</form>\n</section>\n");
	}
	vb_buf_puts(&b, "<section aria-labelledby=\"history-h\">\n<h2 id=\"history-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_HISTORY));
	vb_buf_printf(&b, "</h2>\n<p><a href=\"/admin/audit?document=%lld&amp;format=csv\">",
		      (long long)id);
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_EXPORT_CSV));
	vb_buf_puts(&b, "</a></p>\n");
	admin_audit_table(a, &b, rows);
	vb_buf_puts(&b, "</section>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, error ? (unsigned)vb_code_http_status(error->code) : MHD_HTTP_OK, &b);
	vb_buf_dispose(&b);
	json_decref(rows);
	vb_document_dispose(&doc);
	vb_admin_doc_state_dispose(&ds);
	return ret;
}

enum MHD_Result admin_post_document(admin_rq *a, int64_t id, const char *action)
{
	const char *reason = admin_field_get(a, "reason");
	json_t *out = NULL, *fields = NULL;
	vb_document doc;
	vb_store *st;
	vb_error err;
	char loc[96];
	size_t i;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)))
		return admin_error_vb(a, rc, &err);
	if (!strcmp(action, "withdraw")) {
		rc = vb_workflow_withdraw(st, &a->who, id, reason, &out, &err);
	} else if (!strcmp(action, "correct")) {
		if ((rc = vb_store_get_document(st, id, 0, &doc, &err)))
			return admin_error_vb(a, rc, &err);
		if (!(fields = json_object())) {
			vb_document_dispose(&doc);
			return MHD_NO;
		}
		for (i = 0; i < sizeof(doc_fields) / sizeof(doc_fields[0]); i++) {
			const char *k = doc_fields[i].key, *old = doc_value(&doc, k);
			const char *nv = admin_field_get(a, k);

			if (!admin_field_has(a, k) || !strcmp(old ? old : "", nv))
				continue;
			json_object_set_new(fields, k, *nv ? json_string(nv) : json_null());
		}
		vb_document_dispose(&doc);
		rc = vb_workflow_correct(st, &a->who, id, fields, *reason ? reason : NULL, &out, &err);
		json_decref(fields);
	} else {
		return admin_error(a, MHD_HTTP_BAD_REQUEST, "unknown action");
	}
	json_decref(out);
	if (rc == VB_EDB || rc == VB_ENOMEM || rc == VB_EAGAIN || rc == VB_ENOTFOUND ||
	    rc == VB_EPERM)
		return admin_error_vb(a, rc, &err);
	if (rc)
		return admin_page_document(a, id, NULL, &err);
	snprintf(loc, sizeof(loc), "/admin/documents/%lld?done=%s", (long long)id, action);
	return admin_redirect(a, loc);
}
