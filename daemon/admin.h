/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside the staff admin UI (docs/admin.md): the request context of an
 * /admin request, the posted form, the page frame and the helpers the
 * admin_*.c files share.  admin.c routes and reads bodies; admin_pages.c
 * renders the frame, the queue and documents; admin_upload.c an upload;
 * admin_login.c logs in and out; admin_manage.c the audit log, users
 * and roles; admin_tokens.c API tokens and the report link.  Nothing
 * outside daemon/admin*.c includes this header (http.c sees
 * vb_admin_route / vb_admin_access / vb_admin_completed in daemon.h).
 */
#ifndef VB_ADMIN_H
#define VB_ADMIN_H

#include "daemon.h"

#include "account.h"
#include "buf.h"
#include "i18n.h"

#define ADMIN_BODY_MAX (256u * 1024)     /* a posted form, bytes */
#define ADMIN_FIELD_MAX (64u * 1024)     /* one field */
#define ADMIN_FIELDS_MAX 40              /* fields of one form */
#define ADMIN_PAGE_MAX (8u * 1024 * 1024) /* a rendered page */
#define ADMIN_CSV_MAX (32u * 1024 * 1024)
#define ADMIN_LOGIN_COOKIE "vb_login_csrf"
#define ADMIN_SESSION_COOKIE "vb_session"

typedef struct admin_field {
	char name[48];
	vb_buf value;
	int used;
} admin_field;

/* One /admin request.  The vb_request comes first so that http.c can log
 * and free it as one. */
typedef struct admin_rq {
	vb_request rq;
	struct MHD_PostProcessor *pp;
	admin_field fields[ADMIN_FIELDS_MAX];
	size_t n_fields;
	uint64_t received;
	int body_fail;           /* 413 / 400 found while reading the body */
	int is_post;
	vb_lang lang;
	vb_principal who;        /* anonymous until resolved */
	int cleaned;
	/* headers the page adds to its response (Set-Cookie ...) */
	char set_cookie[2][256];
	char retry_after[16];
} admin_rq;

/* ---- admin.c ---- */

/* next= of the login form: a local path ("/admin..."), else "/admin". */
const char *admin_safe_next(const char *next);
/* A posted field's value ("" when absent; borrowed). */
const char *admin_field_get(const admin_rq *a, const char *name);
/* Whether the field was sent. */
int admin_field_has(const admin_rq *a, const char *name);
/* The query-string argument name (NULL when absent). */
const char *admin_arg(const admin_rq *a, const char *name);

/* Send b (an HTML page) with status and the admin headers (no-store, the
 * admin CSP, Vary) and any cookies set on a. */
enum MHD_Result admin_send_html(admin_rq *a, unsigned status, vb_buf *b);
/* 303 See Other to a local path (and the cookies set on a). */
enum MHD_Result admin_redirect(admin_rq *a, const char *location);
/* A whole error page (title "Error N", the message, a link back). */
enum MHD_Result admin_error(admin_rq *a, unsigned status, const char *message);
/* The error page for a failed store or workflow call: 403 / 404 / 409 /
 * 400 show err->msg; 5xx are logged and shown as a generic message. */
enum MHD_Result admin_error_vb(admin_rq *a, int rc, const vb_error *err);

/* ---- admin_login.c ---- */

/* The login form (status 200, or 401 / 403 / 429 with error in its
 * summary; login: the name to fill in again). */
enum MHD_Result admin_login_page(admin_rq *a, unsigned status, const char *error,
				 const char *login);
/* POST /admin/login and POST /admin/logout (the session's CSRF token
 * already checked). */
enum MHD_Result admin_login_post(admin_rq *a);
enum MHD_Result admin_logout_post(admin_rq *a);

/* ---- frame and small helpers (admin_pages.c) ---- */

const char *admin_t(vb_lang lang, vb_msg m);
void admin_html(vb_buf *b, const char *s);
/* <!DOCTYPE ...> to <main>: title (escaped here), the staff navigation
 * (when a user is logged in) with the current section marked. */
void admin_page_begin(admin_rq *a, vb_buf *b, const char *title, const char *section);
void admin_page_end(admin_rq *a, vb_buf *b);
/* <input type="hidden" name="csrf" value="..."> of the session. */
void admin_csrf_field(admin_rq *a, vb_buf *b);
/* An error summary (role="alert", focusable, links to the fields):
 * n messages with the id of the field each concerns ("" for none). */
void admin_error_summary(admin_rq *a, vb_buf *b, const char *const *msgs,
			 const char *const *field_ids, size_t n);
/* Whether the user may see an upload or document of portal ("" = none:
 * system administrators only). */
int admin_may_see(const admin_rq *a, const char *portal);
/* "Done: <what>" (role="status") when done is set. */
void admin_notice(admin_rq *a, vb_buf *b, const char *done);
/* The portal id, or "(no portal)". */
void admin_portal_cell(admin_rq *a, vb_buf *b, const char *portal);
/* A form posting action=<action> with a reason field and one button. */
void admin_reason_form(admin_rq *a, vb_buf *b, const char *action, const char *base,
		       vb_msg button, int required);
/* <p><label>..</label><input ...></p>: the field's posted value filled in
 * again (never for a password); extra: more attributes (" required"). */
void admin_text_input(admin_rq *a, vb_buf *b, const char *id, const char *name, vb_msg label,
		      const char *type, const char *extra);
/* A status word shown in lang ("draft" -> "Bản nháp"). */
const char *admin_status_label(vb_lang lang, const char *status);

enum MHD_Result admin_page_queue(admin_rq *a);
/* error: a refused change shown in the page's error summary (NULL: none),
 * answered with the status of error->code (400, 409). */
enum MHD_Result admin_page_upload(admin_rq *a, int64_t id, const char *notice,
				  const vb_error *error);
enum MHD_Result admin_upload_file(admin_rq *a, int64_t id, int pos);
enum MHD_Result admin_post_upload(admin_rq *a, int64_t id, const char *action);
enum MHD_Result admin_page_document(admin_rq *a, int64_t id, const char *notice,
				    const vb_error *error);
enum MHD_Result admin_post_document(admin_rq *a, int64_t id, const char *action);

/* ---- admin_manage.c, admin_tokens.c ---- */

/* The audit rows of f as a table into b (a section with a heading). */
void admin_audit_table(admin_rq *a, vb_buf *b, json_t *rows);
enum MHD_Result admin_page_audit(admin_rq *a);
enum MHD_Result admin_page_users(admin_rq *a, const char *notice, const char *error);
enum MHD_Result admin_post_users(admin_rq *a, const char *action);
enum MHD_Result admin_page_tokens(admin_rq *a, const char *secret, const char *error);
enum MHD_Result admin_post_tokens(admin_rq *a, int64_t id, const char *action);
enum MHD_Result admin_page_report(admin_rq *a);

/* The portals the principal holds a role in (all roles, or those with
 * role_mask when non-zero); returns how many pointers were written to out
 * (borrowed from a->who). */
size_t admin_portals(const admin_rq *a, unsigned role_mask, const char **out, size_t cap);

#endif
