/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin UI's upload page (docs/admin.md): the metadata extracted from
 * an upload, with its confidences, warnings and duplicates, beside the
 * original file (served here, inline, in a sandboxed frame, only to staff
 * of the upload's portal), and the forms the user may use on it: edit and
 * submit (uploader), publish, return or reject with a reason (editor).
 * The writes go through lib/workflow.h, which checks the role again; a
 * refused or conflicting change shows the page again with the reason.
 */
#include "admin.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filestore.h"
#include "log.h"
#include "store_admin.h"
#include "upload.h"
#include "workflow.h"

/* ---- upload ----------------------------------------------------------- */


static const vb_msg field_labels[] = {
	VB_MSG_NUMBER, VB_MSG_FORM, VB_MSG_ISSUER, VB_MSG_ISSUE_DATE, VB_MSG_EFFECTIVE_DATE,
	VB_MSG_ABSTRACT, VB_MSG_SIGNER, VB_MSG_SIGNER, VB_MSG_STATUS, VB_MSG_FACET_FORM,
};

/* The label of field i of vb_upload_fields (signer_title and category
 * get their key appended, as the catalogue has no words of their own). */
static void field_label(admin_rq *a, vb_buf *b, size_t i)
{
	admin_html(b, admin_t(a->lang, i < sizeof(field_labels) / sizeof(field_labels[0]) ?
				       field_labels[i] : VB_MSG_ADMIN_FIELD));
	if (!strcmp(vb_upload_fields[i], "signer_title") || !strcmp(vb_upload_fields[i], "category")) {
		vb_buf_puts(b, " (");
		admin_html(b, vb_upload_fields[i]);
		vb_buf_puts(b, ")");
	}
}

/* The proposed value of key as text (new string; "" when none). */
static char *proposal_text(json_t *proposal, const char *key)
{
	json_t *v = json_object_get(json_object_get(proposal, key), "value");

	if (!v || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}


enum MHD_Result admin_page_upload(admin_rq *a, int64_t id, const char *done,
				  const vb_error *error)
{
	char portal[128], status[32], title[96], idtxt[24], base[64];
	json_t *rec = NULL, *proposal, *files, *warnings, *dups, *v;
	vb_store *st;
	vb_error err;
	vb_buf b;
	size_t i;
	int rc, may_edit, may_publish, editable;
	unsigned status_code = error ? (unsigned)vb_code_http_status(error->code) : MHD_HTTP_OK;
	enum MHD_Result ret;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_admin_upload_portal(st, id, portal, sizeof(portal), status,
					       sizeof(status), &err)))
		return admin_error_vb(a, rc, &err);
	if (!admin_may_see(a, portal))
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
	if ((rc = vb_store_upload_get(st, id, &rec, NULL, &err)))
		return admin_error_vb(a, rc, &err);
	proposal = json_object_get(rec, "proposal");
	files = json_object_get(rec, "files");
	warnings = json_object_get(rec, "warnings");
	dups = json_object_get(rec, "duplicates");
	editable = !strcmp(status, "draft") || !strcmp(status, "submitted");
	may_edit = !strcmp(status, "draft") &&
		   vb_principal_can(&a->who, portal[0] ? portal : NULL, VB_ROLE_UPLOADER,
				    VB_SCOPE_UPLOAD) && (portal[0] || a->who.sysadmin);
	may_publish = editable &&
		      vb_principal_can(&a->who, portal[0] ? portal : NULL, VB_ROLE_EDITOR,
				       VB_SCOPE_PUBLISH) && (portal[0] || a->who.sysadmin);
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	snprintf(base, sizeof(base), "/admin/uploads/%lld", (long long)id);
	vb_i18n_format(a->lang, VB_MSG_ADMIN_UPLOAD, title, sizeof(title), idtxt, NULL);

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
	vb_buf_puts(&b, "<dl class=\"admin-facts\"><div><dt>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_STATE));
	vb_buf_printf(&b, "</dt><dd id=\"upload-status\" data-status=\"%s\">", status);
	admin_html(&b, admin_status_label(a->lang, status));
	vb_buf_puts(&b, "</dd></div><div><dt>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PORTAL));
	vb_buf_puts(&b, "</dt><dd>");
	admin_portal_cell(a, &b, portal);
	vb_buf_puts(&b, "</dd></div><div><dt>");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CREATED));
	vb_buf_puts(&b, "</dt><dd>");
	admin_html(&b, json_string_value(json_object_get(rec, "created_at")));
	vb_buf_puts(&b, "</dd></div>");
	if (json_integer_value(json_object_get(rec, "document_id")) > 0) {
		long long did = (long long)json_integer_value(json_object_get(rec, "document_id"));

		vb_buf_puts(&b, "<div><dt>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DOCUMENT_ID));
		vb_buf_printf(&b, "</dt><dd><a href=\"/admin/documents/%lld\">%lld</a></dd></div>",
			      did, did);
	}
	vb_buf_puts(&b, "</dl>\n<div class=\"review\">\n");

	/* left: the metadata, with the edit form when the user may change it */
	vb_buf_puts(&b, "<section class=\"review-meta\" aria-labelledby=\"meta-h\">\n<h2 id=\"meta-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_METADATA));
	vb_buf_puts(&b, "</h2>\n");
	if (may_edit || may_publish) {
		vb_buf_printf(&b, "<form method=\"post\" action=\"%s\" class=\"admin-form\">\n", base);
		admin_csrf_field(a, &b);
	}
	vb_buf_puts(&b, "<table class=\"admin-table meta\">\n<thead><tr><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_FIELD));
	vb_buf_puts(&b, "</th><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_VALUE));
	vb_buf_puts(&b, "</th><th scope=\"col\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_CONFIDENCE));
	vb_buf_puts(&b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; vb_upload_fields[i]; i++) {
		const char *key = vb_upload_fields[i];
		json_t *f = json_object_get(proposal, key);
		char *val = proposal_text(proposal, key);

		vb_buf_printf(&b, "<tr><th scope=\"row\"><label for=\"f-%s\">", key);
		field_label(a, &b, i);
		vb_buf_puts(&b, "</label></th><td lang=\"vi\">");
		if (may_edit || may_publish) {
			if (!strcmp(key, "abstract"))
				vb_buf_printf(&b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"4\">", key,
					      key);
			else
				vb_buf_printf(&b, "<input id=\"f-%s\" name=\"%s\" value=\"", key, key);
			admin_html(&b, val ? val : "");
			vb_buf_puts(&b, strcmp(key, "abstract") ? "\">" : "</textarea>");
		} else {
			vb_buf_printf(&b, "<span id=\"f-%s\">", key);
			admin_html(&b, val ? val : "");
			vb_buf_puts(&b, "</span>");
		}
		vb_buf_puts(&b, "</td><td>");
		if (json_is_number(json_object_get(f, "confidence")))
			vb_buf_printf(&b, "%.0f%%",
				      json_number_value(json_object_get(f, "confidence")) * 100);
		else
			vb_buf_puts(&b, "—");
		vb_buf_puts(&b, "</td></tr>\n");
		free(val);
	}
	vb_buf_puts(&b, "</tbody>\n</table>\n");
	if (may_publish && json_array_size(dups)) {
		vb_buf_puts(&b, "<fieldset><legend>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DUPLICATES));
		vb_buf_puts(&b, "</legend>\n<p><input type=\"radio\" id=\"dup-new\" name=\"duplicate\" "
			    "value=\"new\" checked> <label for=\"dup-new\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DUP_NEW));
		vb_buf_puts(&b, "</label></p>\n<p><input type=\"radio\" id=\"dup-link\" "
			    "name=\"duplicate\" value=\"link\"> <label for=\"dup-link\">");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DUP_LINK));
		vb_buf_puts(&b, "</label></p>\n</fieldset>\n");
	}
	if (may_edit || may_publish) {
		vb_buf_puts(&b, "<p class=\"buttons\">");
		if (may_edit) {
			vb_buf_puts(&b, "<button type=\"submit\" name=\"action\" value=\"submit\">");
			admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_SUBMIT));
			vb_buf_puts(&b, "</button> ");
		}
		if (may_publish) {
			vb_buf_puts(&b, "<button type=\"submit\" name=\"action\" value=\"publish\">");
			admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_PUBLISH));
			vb_buf_puts(&b, "</button>");
		}
		vb_buf_puts(&b, "</p>\n</form>\n");
	}
	if (may_publish) {
		if (!strcmp(status, "submitted"))
			admin_reason_form(a, &b, "return", base, VB_MSG_ADMIN_RETURN, 1);
		admin_reason_form(a, &b, "reject", base, VB_MSG_ADMIN_REJECT, 1);
	}
	/* warnings and duplicates */
	if (json_array_size(warnings)) {
		vb_buf_puts(&b, "<h3>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_WARNINGS));
		vb_buf_puts(&b, "</h3>\n<ul class=\"warnings\">\n");
		json_array_foreach(warnings, i, v) {
			json_t *m = json_object_get(v, "message");

			vb_buf_puts(&b, "<li><code>");
			admin_html(&b, json_string_value(json_object_get(v, "code")));
			vb_buf_puts(&b, "</code> ");
			if (json_object_get(v, "file")) {
				admin_html(&b, json_string_value(json_object_get(v, "file")));
				vb_buf_puts(&b, ": ");
			}
			if (json_is_string(m)) {
				admin_html(&b, json_string_value(m));
			} else if (m) {
				char *s = json_dumps(m, JSON_COMPACT | JSON_ENCODE_ANY);

				admin_html(&b, s);
				free(s);
			}
			vb_buf_puts(&b, "</li>\n");
		}
		vb_buf_puts(&b, "</ul>\n");
	}
	if (json_array_size(dups)) {
		vb_buf_puts(&b, "<h3>");
		admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_DUPLICATES));
		vb_buf_puts(&b, "</h3>\n<ul class=\"duplicates\">\n");
		json_array_foreach(dups, i, v) {
			json_int_t did = json_integer_value(json_object_get(v, "document_id"));
			json_int_t uid = json_integer_value(json_object_get(v, "upload_id"));

			vb_buf_puts(&b, "<li>");
			admin_html(&b, json_string_value(json_object_get(v, "kind")));
			if (did)
				vb_buf_printf(&b, ": <a href=\"/admin/documents/%lld\">%lld</a>",
					      (long long)did, (long long)did);
			else if (uid)
				vb_buf_printf(&b, ": <a href=\"/admin/uploads/%lld\">%lld</a>",
					      (long long)uid, (long long)uid);
			vb_buf_puts(&b, "</li>\n");
		}
		vb_buf_puts(&b, "</ul>\n");
	}
	vb_buf_puts(&b, "</section>\n");

	/* right: the original files */
	vb_buf_puts(&b, "<section class=\"review-file\" aria-labelledby=\"file-h\">\n<h2 id=\"file-h\">");
	admin_html(&b, admin_t(a->lang, VB_MSG_ADMIN_ORIGINAL));
	vb_buf_puts(&b, "</h2>\n");
	json_array_foreach(files, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		char open[512];

		vb_i18n_format(a->lang, VB_MSG_ADMIN_OPEN_FILE, open, sizeof(open), name, NULL);
		vb_buf_printf(&b, "<p><a href=\"%s/files/%zu\" target=\"_blank\" rel=\"noopener\">",
			      base, i + 1);
		admin_html(&b, open);
		vb_buf_puts(&b, "</a></p>\n");
		if (i == 0 && json_is_string(json_object_get(v, "sha256"))) {
			vb_buf_printf(&b, "<iframe class=\"original\" src=\"%s/files/1\" title=\"", base);
			admin_html(&b, name);
			vb_buf_puts(&b, "\" sandbox></iframe>\n");
		}
	}
	vb_buf_puts(&b, "</section>\n</div>\n");
	admin_page_end(a, &b);
	ret = admin_send_html(a, status_code, &b);
	vb_buf_dispose(&b);
	json_decref(rec);
	return ret;
}

enum MHD_Result admin_upload_file(admin_rq *a, int64_t id, int pos)
{
	char portal[128], status[32], name[VB_UPLOAD_NAME_MAX + 1], sha[65], type[128];
	char path[4096], cd[VB_UPLOAD_NAME_MAX * 3 + 64];
	struct MHD_Response *resp;
	struct stat sb;
	vb_store *st;
	vb_error err;
	size_t i, k = 0;
	int rc, fd;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)) ||
	    (rc = vb_store_admin_upload_portal(st, id, portal, sizeof(portal), status,
					       sizeof(status), &err)))
		return admin_error_vb(a, rc, &err);
	if (!admin_may_see(a, portal))
		return admin_error(a, MHD_HTTP_FORBIDDEN, admin_t(a->lang, VB_MSG_ADMIN_FORBIDDEN));
	if ((rc = vb_store_admin_upload_file(st, id, pos, name, sizeof(name), sha, type,
					     sizeof(type), &err)))
		return admin_error_vb(a, rc, &err);
	if (!sha[0] || vb_filestore_path(a->rq.d->files_path, sha, path, sizeof(path)) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return admin_error(a, MHD_HTTP_NOT_FOUND, admin_t(a->lang, VB_MSG_NOT_FOUND_PAGE));
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return admin_error(a, MHD_HTTP_NOT_FOUND, admin_t(a->lang, VB_MSG_NOT_FOUND_PAGE));
	}
	if (a->rq.head) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		if (!resp)
			close(fd);
	}
	if (!resp)
		return MHD_NO;
	a->rq.bytes = a->rq.head ? 0 : (int64_t)sb.st_size;
	/* inline, with an ASCII name (anything else becomes '_') */
	k = (size_t)snprintf(cd, sizeof(cd), "inline; filename=\"");
	for (i = 0; name[i] && k < sizeof(cd) - 3; i++) {
		unsigned char c = (unsigned char)name[i];

		cd[k++] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char)c : '_';
	}
	cd[k++] = '"';
	cd[k] = '\0';
	/* a text file without a charset is shown as UTF-8 (what vanban stores
	 * text as; a legacy encoding was flagged by the upload's warnings) */
	if (!strncmp(type, "text/", 5) && !strstr(type, "charset") &&
	    strlen(type) + 16 < sizeof(type))
		strcat(type, "; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				type[0] ? type : "application/octet-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* shown in the frame of the upload page only, with no script of its own */
	MHD_add_response_header(resp, "Content-Security-Policy",
				"sandbox; default-src 'none'; img-src 'self' data:; "
				"style-src 'unsafe-inline'; frame-ancestors 'self'");
	MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
	return vb_http_send(&a->rq, MHD_HTTP_OK, resp);
}

/* The edited fields that differ from the proposal, as an object of
 * strings (null for a cleared value).  A new reference or NULL. */
static json_t *corrections(admin_rq *a, json_t *proposal)
{
	json_t *c = json_object();
	size_t i;

	if (!c)
		return NULL;
	for (i = 0; vb_upload_fields[i]; i++) {
		const char *key = vb_upload_fields[i];
		char *old;

		if (!admin_field_has(a, key))
			continue;
		old = proposal_text(proposal, key);
		if (old && strcmp(old, admin_field_get(a, key))) {
			const char *nv = admin_field_get(a, key);

			json_object_set_new(c, key, *nv ? json_string(nv) : json_null());
		}
		free(old);
	}
	return c;
}

enum MHD_Result admin_post_upload(admin_rq *a, int64_t id, const char *action)
{
	json_t *rec = NULL, *corr = NULL, *out = NULL;
	const char *reason = admin_field_get(a, "reason");
	char loc[96];
	vb_store *st;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(a->rq.d, &st, &err)))
		return admin_error_vb(a, rc, &err);
	if (!strcmp(action, "submit") || !strcmp(action, "publish")) {
		if ((rc = vb_store_upload_get(st, id, &rec, NULL, &err)))
			return admin_error_vb(a, rc, &err);
		corr = corrections(a, json_object_get(rec, "proposal"));
		json_decref(rec);
		if (!corr)
			return MHD_NO;
		if (!strcmp(action, "submit")) {
			rc = vb_workflow_submit(st, &a->who, id, corr, &out, &err);
		} else {
			const char *dup = admin_field_get(a, "duplicate");

			if (!strcmp(dup, "link"))
				json_object_set_new(corr, "link_duplicate", json_true());
			else if (!strcmp(dup, "new"))
				json_object_set_new(corr, "not_duplicate", json_true());
			rc = vb_workflow_publish(st, &a->who, id, corr, &out, &err);
		}
		json_decref(corr);
	} else if (!strcmp(action, "return")) {
		rc = vb_workflow_return(st, &a->who, id, reason, &out, &err);
	} else if (!strcmp(action, "reject")) {
		rc = vb_workflow_reject(st, &a->who, id, reason, &out, &err);
	} else {
		return admin_error(a, MHD_HTTP_BAD_REQUEST, "unknown action");
	}
	if (rc == VB_EDB || rc == VB_ENOMEM || rc == VB_EAGAIN || rc == VB_ENOTFOUND ||
	    rc == VB_EPERM) {
		json_decref(out);
		return admin_error_vb(a, rc, &err);
	}
	if (rc) { /* a conflict or a bad value: the page again, with the reason */
		json_decref(out);
		return admin_page_upload(a, id, NULL, &err);
	}
	if (!strcmp(action, "publish") && json_integer_value(json_object_get(out, "document_id")) > 0)
		snprintf(loc, sizeof(loc), "/admin/documents/%lld?done=publish",
			 (long long)json_integer_value(json_object_get(out, "document_id")));
	else
		snprintf(loc, sizeof(loc), "/admin/uploads/%lld?done=%s", (long long)id, action);
	json_decref(out);
	return admin_redirect(a, loc);
}
