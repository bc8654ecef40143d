/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The staff upload routes and the editorial workflow's write routes
 * (docs/workflow.md), the JSON API side of lib/workflow.h:
 *
 *   POST /api/v1/uploads                multipart/form-data: "file" parts,
 *                                       "portal" and metadata fields -> 201
 *   GET  /api/v1/uploads                the newest 100 of my portals, open first
 *   GET  /api/v1/uploads/{id}           the record
 *   POST /api/v1/uploads/{id}/submit    JSON corrections -> the record
 *   POST /api/v1/uploads/{id}/publish   JSON corrections -> the document
 *   POST /api/v1/uploads/{id}/confirm   the same (the name before issue 6)
 *   POST /api/v1/uploads/{id}/reject    {"reason"} -> the record
 *   POST /api/v1/uploads/{id}/return    {"reason"} -> the record (draft)
 *   POST /api/v1/documents/{id}/withdraw  {"reason"} -> 200
 *   POST /api/v1/documents/{id}/correct   {fields..., "reason"} -> 200
 *
 * Every one needs a principal (daemon/auth.c: an API token, the
 * configured bootstrap token, or a session cookie with its CSRF token in
 * X-CSRF-Token): 401 without.  Which role in which portal is checked by
 * lib/workflow.c (403 naming the portal and role; 409 for a wrong state);
 * creating an upload needs the uploader role in its portal (form field
 * "portal", which may be left out by a user holding roles in one portal
 * only), reading one a role in its portal.  http.c hands these URLs to
 * vb_api_upload_access whole, and calls vb_api_upload_completed when the
 * request ends, so this
 * file owns the request's life: the vb_request it allocates is the first
 * member of an upload_rq, which also holds the MHD_PostProcessor, the
 * temporary files the parts are streamed to (never the body in memory)
 * and the form fields.  Limits: the body (VANBAN_UPLOAD_MAX_BYTES, default
 * 50 MiB; 413 before or while reading it), VB_UPLOAD_MAX_FILES files,
 * VB_UPLOAD_FIELD_MAX bytes per field, 1 MiB of JSON for confirm.
 */
#include "api_body.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "document.h"
#include "log.h"
#include "upload.h"
#include "workflow.h"

#define UPLOAD_MAX_BODY_DEFAULT ((uint64_t)50 * 1024 * 1024)
#define UPLOAD_JSON_MAX ((size_t)1024 * 1024)
#define UPLOAD_PP_BUFFER 65536
#define ROUTE_PREFIX "/api/v1/uploads"
#define DOC_PREFIX "/api/v1/documents/"
#define PORTAL_FIELD_MAX 64

enum route { R_BAD, R_CREATE, R_LIST, R_GET, R_SUBMIT, R_PUBLISH, R_REJECT, R_RETURN,
	     R_WITHDRAW, R_CORRECT };

typedef struct upload_part {
	char name[VB_UPLOAD_NAME_MAX + 1];
	char path[PATH_MAX];
	int fd;
	uint64_t size;
} upload_part;

typedef struct upload_rq {
	vb_request rq; /* first: http.c logs and frees the request through it */
	enum route route;
	int64_t id;
	uint64_t max_body, received;
	/* a failure found while reading the body, answered at its end */
	unsigned fail_status;
	const char *fail_code;
	char fail_msg[VB_ERROR_MSG_MAX];
	struct MHD_PostProcessor *pp;
	upload_part parts[VB_UPLOAD_MAX_FILES];
	size_t n_parts;
	int cur_part;            /* index of the file part being written, -1 */
	vb_buf fields[16];       /* by index in vb_upload_fields */
	int field_set[16];
	vb_buf portal;           /* form field "portal" */
	int portal_set;
	vb_buf body;             /* JSON body of the workflow routes */
	vb_principal who;
	int cleaned;
} upload_rq;

/* /api/v1/documents/{digits}/withdraw|correct: the document write routes
 * (every other /api/v1/documents URL belongs to api_documents.c). */
static int document_write_route(const char *url)
{
	size_t n = strlen(DOC_PREFIX), d;

	if (!url || strncmp(url, DOC_PREFIX, n))
		return 0;
	url += n;
	d = strspn(url, "0123456789");
	return d && d <= 19 && (!strcmp(url + d, "/withdraw") || !strcmp(url + d, "/correct"));
}

int vb_upload_route(const char *url)
{
	return vb_api_route_prefix(url, ROUTE_PREFIX) || document_write_route(url);
}

/* ---- failures --------------------------------------------------------- */

static void fail(upload_rq *u, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Remember the first failure met while reading the body. */
static void fail(upload_rq *u, unsigned status, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (u->fail_status)
		return;
	u->fail_status = status;
	u->fail_code = code;
	va_start(ap, fmt);
	vsnprintf(u->fail_msg, sizeof(u->fail_msg), fmt, ap);
	va_end(ap);
}

/* ---- the request's resources ------------------------------------------ */

static void cleanup(upload_rq *u)
{
	size_t i;

	if (u->cleaned)
		return;
	u->cleaned = 1;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	u->pp = NULL;
	for (i = 0; i < u->n_parts; i++) {
		if (u->parts[i].fd >= 0)
			close(u->parts[i].fd);
		u->parts[i].fd = -1;
		if (u->parts[i].path[0])
			unlink(u->parts[i].path);
	}
	for (i = 0; i < sizeof(u->fields) / sizeof(u->fields[0]); i++)
		vb_buf_dispose(&u->fields[i]);
	vb_buf_dispose(&u->portal);
	vb_buf_dispose(&u->body);
}

void vb_api_upload_completed(vb_request *rq)
{
	if (rq && vb_upload_route(rq->url))
		cleanup((upload_rq *)rq);
}

/* ---- auth ------------------------------------------------------------- */

/* The scope a route needs of the credential (the role and portal are
 * checked once the upload or document is known). */
static unsigned route_scope(enum route r)
{
	switch (r) {
	case R_CREATE:
	case R_SUBMIT:
		return VB_SCOPE_UPLOAD;
	case R_PUBLISH:
	case R_REJECT:
	case R_RETURN:
	case R_WITHDRAW:
	case R_CORRECT:
		return VB_SCOPE_PUBLISH;
	default:
		return 0;
	}
}

/* 0 when the caller is authenticated (with its CSRF token for a session
 * and the route's scope), else a response was queued (*ret). */
static int check_auth(upload_rq *u, enum MHD_Result *ret)
{
	return vb_auth_require(&u->rq, &u->who, NULL, 0, route_scope(u->route), NULL, ret);
}

/* Whether who may read what belongs to portal ("": none): any role there,
 * or a system administrator. */
static int may_read(const vb_principal *who, const char *portal)
{
	return who->sysadmin || (*portal && vb_principal_roles(who, portal));
}

/* ---- multipart -------------------------------------------------------- */

static int field_index(const char *key)
{
	int i;

	for (i = 0; vb_upload_fields[i]; i++)
		if (!strcmp(key, vb_upload_fields[i]))
			return i;
	return -1;
}

/* The last path component of a client file name, control characters
 * replaced; "file" when nothing is left. */
static void clean_name(char *out, size_t cap, const char *filename)
{
	const char *p = filename, *s;
	size_t i;

	for (s = filename; s && *s; s++)
		if (*s == '/' || *s == '\\')
			p = s + 1;
	snprintf(out, cap, "%s", p && *p ? p : "file");
	/* do not cut inside a UTF-8 sequence */
	i = strlen(out);
	if (i == cap - 1)
		while (i && ((unsigned char)out[i - 1] & 0xc0) == 0x80)
			out[--i] = '\0';
	if (i && (unsigned char)out[i - 1] >= 0xc0)
		out[--i] = '\0';
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '_';
	if (!strcmp(out, ".") || !strcmp(out, "..") || !out[0])
		snprintf(out, cap, "file");
}

static int tmp_dir(const vb_daemon *d, char *out, size_t cap)
{
	mkdir(d->files_path, 0755);
	if (snprintf(out, cap, "%s/tmp", d->files_path) >= (int)cap)
		return -1;
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	upload_rq *u = cls;
	int fi;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (u->fail_status || !key)
		return MHD_NO;
	if (!strcmp(key, "file")) {
		upload_part *p;

		if (off == 0) {
			char dir[PATH_MAX - 32];

			if (u->n_parts == VB_UPLOAD_MAX_FILES) {
				fail(u, MHD_HTTP_CONTENT_TOO_LARGE, "too_big",
				     "too many files: at most 10 per upload");
				return MHD_NO;
			}
			p = &u->parts[u->n_parts];
			clean_name(p->name, sizeof(p->name), filename);
			if (tmp_dir(u->rq.d, dir, sizeof(dir))) {
				fail(u, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
				     "internal error");
				vb_warn("upload: could not create the temporary directory: %s",
					strerror(errno));
				return MHD_NO;
			}
			snprintf(p->path, sizeof(p->path), "%s/upload-XXXXXX", dir);
			if ((p->fd = mkostemp(p->path, O_CLOEXEC)) < 0) {
				p->path[0] = '\0';
				fail(u, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "internal error");
				vb_warn("upload: could not create a temporary file: %s", strerror(errno));
				return MHD_NO;
			}
			u->n_parts++;
			u->cur_part = (int)u->n_parts - 1;
		}
		if (u->cur_part < 0)
			return MHD_NO;
		p = &u->parts[u->cur_part];
		p->size += size;
		if (size && write_all(p->fd, data, size)) {
			fail(u, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "internal error");
			vb_warn("upload: could not write a temporary file: %s", strerror(errno));
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (!strcmp(key, "portal")) {
		if (off == 0 && u->portal_set++) {
			fail(u, MHD_HTTP_BAD_REQUEST, "invalid", "field \"portal\" given twice");
			return MHD_NO;
		}
		if (size && vb_buf_append(&u->portal, data, size)) {
			fail(u, MHD_HTTP_BAD_REQUEST, "invalid", "portal: not a portal id");
			return MHD_NO;
		}
		return MHD_YES;
	}
	if ((fi = field_index(key)) < 0) {
		fail(u, MHD_HTTP_BAD_REQUEST, "invalid", "unknown field \"%.64s\"", key);
		return MHD_NO;
	}
	if (off == 0) {
		if (u->field_set[fi]) {
			fail(u, MHD_HTTP_BAD_REQUEST, "invalid", "field \"%s\" given twice", key);
			return MHD_NO;
		}
		u->field_set[fi] = 1;
	}
	if (size && vb_buf_append(&u->fields[fi], data, size)) {
		fail(u, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", "field \"%s\" is too long", key);
		return MHD_NO;
	}
	return MHD_YES;
}

/* ---- handlers --------------------------------------------------------- */

static json_t *record_json(json_t *rec, int64_t id)
{
	char uri[64];

	snprintf(uri, sizeof(uri), ROUTE_PREFIX "/%lld", (long long)id);
	json_object_set_new(rec, "uri", json_string(uri));
	return rec;
}

/* The portal of a new upload into out: the form field "portal", or the
 * only portal where the caller may upload.  0, or a response was queued. */
static int choose_portal(upload_rq *u, char *out, size_t cap, enum MHD_Result *ret)
{
	const vb_principal *w = &u->who;
	size_t i, found = 0;

	out[0] = '\0';
	if (u->portal_set && u->portal.len) {
		if (u->portal.len >= cap || memchr(u->portal.data, '\0', u->portal.len)) {
			*ret = vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "portal",
						  "portal: not a portal id");
			return 1;
		}
		memcpy(out, u->portal.data, u->portal.len);
		out[u->portal.len] = '\0';
	} else if (!w->sysadmin) {
		for (i = 0; i < w->n_roles; i++)
			if (w->roles[i].roles & (VB_ROLE_UPLOADER | VB_ROLE_EDITOR)) {
				if (!found++)
					snprintf(out, cap, "%s", w->roles[i].portal);
			}
		if (found > 1)
			out[0] = '\0';
	}
	if (!out[0]) {
		*ret = vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "portal",
					  found > 1 ? "portal: required: you may upload to several portals" :
					  "portal: required: name the portal the upload belongs to");
		return 1;
	}
	if (!vb_principal_can(w, out, VB_ROLE_UPLOADER, VB_SCOPE_UPLOAD)) {
		*ret = vb_auth_send_forbidden(&u->rq, out, VB_ROLE_UPLOADER);
		return 1;
	}
	return 0;
}

static enum MHD_Result finish_create(upload_rq *u)
{
	vb_upload_file_in in[VB_UPLOAD_MAX_FILES];
	json_t *form = NULL, *rec = NULL;
	char portal[PORTAL_FIELD_MAX + 1];
	enum MHD_Result ret;
	vb_store *st;
	vb_error err;
	int64_t id = 0;
	size_t i;
	int rc;
	char loc[64];

	vb_error_clear(&err);
	if (u->pp && MHD_destroy_post_processor(u->pp) == MHD_NO && !u->fail_status)
		fail(u, MHD_HTTP_BAD_REQUEST, "invalid", "the multipart body is malformed");
	u->pp = NULL;
	if (u->fail_status)
		return vb_http_send_error(&u->rq, u->fail_status, u->fail_code, NULL, u->fail_msg);
	if (!u->n_parts)
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "file",
					  "no file: send at least one \"file\" part");
	if (choose_portal(u, portal, sizeof(portal), &ret))
		return ret;
	if (!(form = json_object()))
		return MHD_NO;
	for (i = 0; vb_upload_fields[i]; i++)
		if (u->field_set[i])
			json_object_set_new(form, vb_upload_fields[i],
					    json_stringn(u->fields[i].data ? u->fields[i].data : "",
							 u->fields[i].len));
	/* json_stringn refuses invalid UTF-8: say which field */
	for (i = 0; vb_upload_fields[i]; i++)
		if (u->field_set[i] && !json_object_get(form, vb_upload_fields[i])) {
			json_decref(form);
			return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid",
						  vb_upload_fields[i], "field is not valid UTF-8");
		}
	for (i = 0; i < u->n_parts; i++) {
		close(u->parts[i].fd);
		u->parts[i].fd = -1;
		in[i].name = u->parts[i].name;
		in[i].path = u->parts[i].path;
	}
	if ((rc = vb_worker_store(u->rq.d, &st, &err))) {
		json_decref(form);
		return vb_api_send_vb(&u->rq, rc, &err);
	}
	if (!(rc = vb_audit_begin(st, &u->who, "upload.create", NULL, &err))) {
		rc = vb_upload_create_owned(st, u->rq.d->files_path, in, u->n_parts, form, portal,
					    u->who.user_id, &id, &err);
		vb_audit_end(st);
	}
	if (rc || (rc = vb_store_upload_get(st, id, &rec, NULL, &err))) {
		json_decref(form);
		return vb_api_send_vb(&u->rq, rc, &err);
	}
	json_decref(form);
	vb_info("upload %lld: %zu file(s) received", (long long)id, u->n_parts);
	snprintf(loc, sizeof(loc), ROUTE_PREFIX "/%lld", (long long)id);
	return vb_http_send_json_hdr(&u->rq, MHD_HTTP_CREATED, record_json(rec, id),
				     MHD_HTTP_HEADER_LOCATION, loc);
}

static enum MHD_Result finish_get(upload_rq *u)
{
	json_t *rec = NULL;
	vb_store *st;
	vb_error err;
	char portal[64], status[16];
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(u->rq.d, &st, &err)) ||
	    (rc = vb_store_upload_state(st, u->id, portal, sizeof(portal), status, sizeof(status),
					&err)))
		return vb_api_send_vb(&u->rq, rc, &err);
	if (!may_read(&u->who, portal))
		return vb_auth_send_forbidden(&u->rq, *portal ? portal : NULL, VB_ROLE_UPLOADER);
	if ((rc = vb_store_upload_get(st, u->id, &rec, NULL, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, record_json(rec, u->id));
}

static enum MHD_Result finish_list(upload_rq *u)
{
	json_t *list = NULL;
	vb_store *st;
	vb_error err;
	int rc;

	const char *portals[VB_PRINCIPAL_MAX_ROLES];
	size_t i;

	vb_error_clear(&err);
	for (i = 0; i < u->who.n_roles && i < VB_PRINCIPAL_MAX_ROLES; i++)
		portals[i] = u->who.roles[i].portal;
	if ((rc = vb_worker_store(u->rq.d, &st, &err)) ||
	    (rc = vb_store_upload_list(st, portals, i, u->who.sysadmin, VB_LOOKUP_MAX, &list, &err)))
		return vb_api_send_vb(&u->rq, rc, &err);
	return vb_http_send_json(&u->rq, MHD_HTTP_OK, json_pack("{s:o}", "uploads", list));
}

/* The document after publish or correct, as the API shows it. */
static enum MHD_Result send_document(upload_rq *u, vb_store *st, int64_t id, unsigned status,
				     json_t *extra)
{
	vb_document doc;
	json_t *o, *files;
	vb_error err;
	char url[96];
	size_t i;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_store_get_document(st, id, 0, &doc, &err))) {
		json_decref(extra);
		return vb_api_send_vb(&u->rq, rc, &err);
	}
	o = vb_document_to_json(&doc, 0);
	vb_document_dispose(&doc);
	if (!o) {
		json_decref(extra);
		return MHD_NO;
	}
	snprintf(url, sizeof(url), "/documents/%lld", (long long)id);
	json_object_set_new(o, "uri", json_string(url));
	if (extra)
		json_object_update(o, extra);
	json_decref(extra);
	files = json_object_get(o, "files");
	for (i = 0; i < json_array_size(files); i++) {
		snprintf(url, sizeof(url), "/api/v1/documents/%lld/files/%zu", (long long)id, i);
		json_object_set_new(json_array_get(files, i), "url", json_string(url));
	}
	return vb_http_send_json(&u->rq, status, o);
}

static enum MHD_Result finish_workflow(upload_rq *u)
{
	json_t *body = NULL, *out = NULL, *fields;
	json_error_t jerr;
	vb_store *st;
	vb_error err;
	const char *reason;
	int rc, bad = 0;
	enum MHD_Result ret;

	vb_error_clear(&err);
	if (u->fail_status)
		return vb_http_send_error(&u->rq, u->fail_status, u->fail_code, NULL, u->fail_msg);
	if (!u->body.len)
		body = json_object();
	else if (!(body = json_loadb(u->body.data, u->body.len, JSON_REJECT_DUPLICATES, &jerr))) {
		char m[VB_ERROR_MSG_MAX];

		snprintf(m, sizeof(m), "the body is not valid JSON: %s", jerr.text);
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL, m);
	}
	if (!json_is_object(body)) {
		json_decref(body);
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
					  "the body must be a JSON object");
	}
	reason = vb_body_str(body, "reason", &bad);
	if (bad) {
		json_decref(body);
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", "reason",
					  "reason: must be a string");
	}
	if ((rc = vb_worker_store(u->rq.d, &st, &err))) {
		json_decref(body);
		return vb_api_send_vb(&u->rq, rc, &err);
	}
	switch (u->route) {
	case R_SUBMIT:
		rc = vb_workflow_submit(st, &u->who, u->id, body, &out, &err);
		break;
	case R_REJECT:
		rc = vb_workflow_reject(st, &u->who, u->id, reason, &out, &err);
		break;
	case R_RETURN:
		rc = vb_workflow_return(st, &u->who, u->id, reason, &out, &err);
		break;
	case R_PUBLISH:
		rc = vb_workflow_publish(st, &u->who, u->id, body, &out, &err);
		break;
	case R_WITHDRAW:
		rc = vb_workflow_withdraw(st, &u->who, u->id, reason, &out, &err);
		break;
	case R_CORRECT:
		fields = json_deep_copy(body);
		json_object_del(fields, "reason");
		rc = vb_workflow_correct(st, &u->who, u->id, fields, reason, &out, &err);
		json_decref(fields);
		break;
	default:
		rc = vb_error_set(&err, VB_ENOTFOUND, "no such resource");
	}
	json_decref(body);
	if (rc) {
		json_decref(out);
		return vb_api_send_vb(&u->rq, rc, &err);
	}
	switch (u->route) {
	case R_PUBLISH: {
		int64_t doc = json_integer_value(json_object_get(out, "document_id"));
		int linked = json_is_true(json_object_get(out, "linked"));

		vb_info("upload %lld published as document %lld%s", (long long)u->id,
			(long long)doc, linked ? " (linked)" : "");
		ret = send_document(u, st, doc, linked ? MHD_HTTP_OK : MHD_HTTP_CREATED,
				    json_pack("{s:I, s:b}", "upload_id", (json_int_t)u->id,
					      "linked", linked));
		json_decref(out);
		return ret;
	}
	case R_CORRECT:
		vb_info("document %lld corrected", (long long)u->id);
		return send_document(u, st, u->id, MHD_HTTP_OK, out);
	case R_WITHDRAW:
		vb_info("document %lld withdrawn", (long long)u->id);
		return vb_http_send_json(&u->rq, MHD_HTTP_OK, out);
	default:
		vb_info("upload %lld: %s", (long long)u->id, json_string_value(json_object_get(out, "status")));
		return vb_http_send_json(&u->rq, MHD_HTTP_OK, record_json(out, u->id));
	}
}

/* ---- the access handler ----------------------------------------------- */

static enum route parse_route(const char *url, int64_t *id)
{
	const char *p = url + strlen(ROUTE_PREFIX), *end;

	if (!strncmp(url, DOC_PREFIX, strlen(DOC_PREFIX))) {
		const char *op;

		p = url + strlen(DOC_PREFIX);
		op = strchr(p, '/');
		if (!op || vb_parse_id(p, (size_t)(op - p), id))
			return R_BAD;
		return !strcmp(op, "/withdraw") ? R_WITHDRAW : !strcmp(op, "/correct") ? R_CORRECT : R_BAD;
	}
	if (!*p)
		return R_CREATE;
	p++; /* '/' */
	end = strchr(p, '/');
	if (vb_parse_id(p, end ? (size_t)(end - p) : strlen(p), id))
		return R_BAD;
	if (!end)
		return R_GET;
	if (!strcmp(end, "/submit"))
		return R_SUBMIT;
	if (!strcmp(end, "/publish") || !strcmp(end, "/confirm"))
		return R_PUBLISH;
	if (!strcmp(end, "/reject"))
		return R_REJECT;
	if (!strcmp(end, "/return"))
		return R_RETURN;
	return R_BAD;
}

static uint64_t max_body(void)
{
	const char *e = getenv("VANBAN_UPLOAD_MAX_BYTES");
	char *end;
	unsigned long long v;

	if (!e || !*e)
		return UPLOAD_MAX_BODY_DEFAULT;
	v = strtoull(e, &end, 10);
	return *end || !v ? UPLOAD_MAX_BODY_DEFAULT : (uint64_t)v;
}

/* First call: route, method, auth and limits, before any body is read. */
static enum MHD_Result start(upload_rq *u)
{
	const char *method = u->rq.method, *len, *type;
	enum MHD_Result ret;
	int is_post = !strcmp(method, MHD_HTTP_METHOD_POST);

	u->route = parse_route(u->rq.url, &u->id);
	if (u->route == R_BAD)
		return vb_http_send_error(&u->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such resource");
	if (u->route == R_CREATE && (!strcmp(method, MHD_HTTP_METHOD_GET) || u->rq.head))
		u->route = R_LIST;
	if (u->route == R_GET && strcmp(method, MHD_HTTP_METHOD_GET) && !u->rq.head)
		return vb_api_method_not_allowed(&u->rq, "GET, HEAD");
	if (u->route == R_CREATE && !is_post)
		return vb_api_method_not_allowed(&u->rq, "GET, HEAD, POST");
	if (u->route != R_GET && u->route != R_LIST && !is_post)
		return vb_api_method_not_allowed(&u->rq, "POST");
	if (is_post && u->rq.d->cfg.read_only) /* a replica: writes go to the primary */
		return vb_http_send_read_only(&u->rq);
	if (vb_http_refuse_args(&u->rq, &ret))
		return ret;
	if (check_auth(u, &ret))
		return ret;
	len = MHD_lookup_connection_value(u->rq.conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (u->route == R_GET || u->route == R_LIST)
		return vb_body_announced(&u->rq) ? vb_api_bad(&u->rq, NULL, "this request takes no body")
						 : MHD_YES;
	if (u->route != R_CREATE) {
		if (len && strtoull(len, NULL, 10) > UPLOAD_JSON_MAX)
			return vb_http_send_error(&u->rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL,
						  "the JSON body is larger than 1 MiB");
		return MHD_YES;
	}
	if (len && strtoull(len, NULL, 10) > u->max_body) {
		char m[96];

		snprintf(m, sizeof(m), "the upload is larger than the limit of %llu bytes",
			 (unsigned long long)u->max_body);
		return vb_http_send_error(&u->rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL, m);
	}
	type = MHD_lookup_connection_value(u->rq.conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!type || strncasecmp(type, "multipart/form-data", 19))
		return vb_http_send_error(&u->rq, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "invalid", NULL,
					  "an upload must be multipart/form-data");
	if (!(u->pp = MHD_create_post_processor(u->rq.conn, UPLOAD_PP_BUFFER, on_part, u)))
		return vb_http_send_error(&u->rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
					  "the multipart body has no boundary");
	return MHD_YES;
}


enum MHD_Result vb_api_upload_access(const vb_daemon *d, struct MHD_Connection *conn,
				     const char *url, const char *method,
				     const char *upload_data, size_t *upload_data_size,
				     void **con_cls)
{
	upload_rq *u = *con_cls;
	size_t i, n;

	if (!u) {
		if (!(u = calloc(1, sizeof(*u))))
			return MHD_NO;
		vb_http_request_init(&u->rq, d, conn, url, method);
		u->cur_part = -1;
		u->max_body = max_body();
		for (i = 0; i < VB_UPLOAD_MAX_FILES; i++)
			u->parts[i].fd = -1;
		for (i = 0; i < sizeof(u->fields) / sizeof(u->fields[0]); i++)
			vb_buf_init(&u->fields[i], VB_UPLOAD_FIELD_MAX);
		vb_buf_init(&u->portal, PORTAL_FIELD_MAX);
		vb_buf_init(&u->body, UPLOAD_JSON_MAX);
		vb_principal_init(&u->who);
		*con_cls = u;
		return start(u);
	}
	if (u->rq.responded) {
		*upload_data_size = 0; /* the rest of a refused body */
		return MHD_YES;
	}
	if ((n = *upload_data_size)) {
		*upload_data_size = 0;
		u->received += n;
		if (u->route == R_CREATE) {
			if (u->received > u->max_body) {
				char m[96];

				snprintf(m, sizeof(m), "the upload is larger than the limit of %llu bytes",
					 (unsigned long long)u->max_body);
				fail(u, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", "%s", m);
			}
			if (!u->fail_status && u->pp && MHD_post_process(u->pp, upload_data, n) == MHD_NO)
				fail(u, MHD_HTTP_BAD_REQUEST, "invalid",
				     "the multipart body is malformed");
		} else if (u->route != R_GET && u->route != R_LIST) {
			if (vb_buf_append(&u->body, upload_data, n))
				fail(u, MHD_HTTP_CONTENT_TOO_LARGE, "too_big",
				     "the JSON body is larger than 1 MiB");
		}
		return MHD_YES;
	}
	switch (u->route) {
	case R_CREATE: {
		enum MHD_Result r = finish_create(u);

		cleanup(u);
		return r;
	}
	case R_GET:
		return finish_get(u);
	case R_LIST:
		return finish_list(u);
	case R_SUBMIT:
	case R_PUBLISH:
	case R_REJECT:
	case R_RETURN:
	case R_WITHDRAW:
	case R_CORRECT:
		return finish_workflow(u);
	default:
		return vb_http_send_error(&u->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such resource");
	}
}
