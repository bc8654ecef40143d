/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editorial workflow (see workflow.h and docs/workflow.md): who may
 * move an upload or a document to which state, and the move itself.  The
 * checks live here, not in the HTTP layer, so the daemon's JSON API, the
 * admin UI and the CLI all get the same answers.  Every move first sets
 * the audit context (lib/audit.h) so that the database's triggers record
 * the actor and the action, and clears it afterwards.
 */
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "document.h"
#include "manifest.h"
#include "upload.h"

#define OPEN_STATUSES "{" VB_UPLOAD_DRAFT "," VB_UPLOAD_SUBMITTED "}"

/* Whether who may act with role under scope on something of portal ("":
 * none, so a system administrator only); 0, or VB_EPERM with a message
 * naming the portal and the role (verb says what was attempted). */
static int allowed(const vb_principal *who, const char *portal, unsigned role, unsigned scope,
		   const char *what, int64_t id, const char *verb, vb_error *err)
{
	if (!who || who->kind == VB_ACTOR_ANONYMOUS)
		return vb_error_set(err, VB_EPERM, "sign in to %s %s %lld", verb, what, (long long)id);
	if ((who->scopes & scope) != scope)
		return vb_error_set(err, VB_EPERM, "the credential lacks the \"%s\" scope needed to %s",
				    vb_scope_name(scope), verb);
	if (!*portal) {
		if (who->sysadmin)
			return 0;
		return vb_error_set(err, VB_EPERM, "%s %lld belongs to no portal: only a system "
				    "administrator may %s it", what, (long long)id, verb);
	}
	if (vb_principal_can(who, portal, role, scope))
		return 0;
	return vb_error_set(err, VB_EPERM, "the %s role in portal \"%s\" is needed to %s %s %lld",
			    vb_role_name(role), portal, verb, what, (long long)id);
}

/* A reason of 1..VB_WORKFLOW_REASON_MAX bytes of valid UTF-8 (the
 * database checks the characters; this checks presence and size). */
static int check_reason(const char *reason, int required, vb_error *err)
{
	size_t n;

	if (!reason || !*reason) {
		if (required)
			return vb_error_set(err, VB_EINVAL, "reason: required");
		return 0;
	}
	n = strlen(reason);
	if (n > VB_WORKFLOW_REASON_MAX)
		return vb_error_set(err, VB_EINVAL, "reason: longer than %d bytes",
				    VB_WORKFLOW_REASON_MAX);
	if (strspn(reason, " \t\r\n") == n)
		return vb_error_set(err, VB_EINVAL, "reason: required");
	return 0;
}

/* Read upload id's portal and check who; status gets the current one. */
static int upload_allowed(vb_store *st, const vb_principal *who, int64_t id, unsigned role,
			  unsigned scope, const char *verb, char status[16], vb_error *err)
{
	char portal[64];
	int rc;

	if ((rc = vb_store_upload_state(st, id, portal, sizeof(portal), status, 16, err)))
		return rc;
	return allowed(who, portal, role, scope, "upload", id, verb, err);
}

/* Whether status is one of the set "{a,b}". */
static int in_set(const char *status, const char *set)
{
	size_t n = strlen(status);
	const char *p = set;

	if (!n)
		return 0;
	while ((p = strstr(p, status))) {
		if ((p[-1] == '{' || p[-1] == ',') && (p[n] == ',' || p[n] == '}'))
			return 1;
		p += n;
	}
	return 0;
}

/* The upload record after a move, as *out. */
static int upload_out(vb_store *st, int64_t id, json_t **out, vb_error *err)
{
	return out ? vb_store_upload_get(st, id, out, NULL, err) : 0;
}

/* The moves between upload statuses that need no document. */
static int upload_move(vb_store *st, const vb_principal *who, int64_t id, const char *action,
		       unsigned role, unsigned scope, const char *verb, const char *from,
		       const char *to, const char *reason, int reason_required,
		       const char *patch, json_t **out, vb_error *err)
{
	char status[16];
	int rc;

	if (out)
		*out = NULL;
	if ((rc = upload_allowed(st, who, id, role, scope, verb, status, err)))
		return rc;
	/* the state first: a request that can never succeed says so (409) */
	if (!in_set(status, from))
		return vb_error_set(err, VB_ECONFLICT, "upload %lld is %s", (long long)id, status);
	if ((rc = check_reason(reason, reason_required, err)))
		return rc;
	if ((rc = vb_audit_begin(st, who, action, reason, err)))
		return rc;
	rc = vb_store_upload_move(st, id, from, to, reason, patch, err);
	vb_audit_end(st);
	return rc ? rc : upload_out(st, id, out, err);
}

int vb_workflow_submit(vb_store *st, const vb_principal *who, int64_t upload_id,
		       json_t *corrections, json_t **out, vb_error *err)
{
	json_t *patch = NULL;
	char *ptext = NULL;
	int rc;

	if (corrections && json_object_size(corrections)) {
		if (!json_is_object(corrections))
			return vb_error_set(err, VB_EINVAL, "the corrections must be a JSON object");
		if (!(patch = json_object()))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		if ((rc = vb_upload_form_apply(patch, corrections, err)))
			goto out;
		if (!(ptext = json_dumps(patch, JSON_COMPACT))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
	}
	rc = upload_move(st, who, upload_id, "upload.submit", VB_ROLE_UPLOADER, VB_SCOPE_UPLOAD,
			 "submit", "{" VB_UPLOAD_DRAFT "}", VB_UPLOAD_SUBMITTED, NULL, 0, ptext,
			 out, err);
out:
	json_decref(patch);
	free(ptext);
	return rc;
}

int vb_workflow_reject(vb_store *st, const vb_principal *who, int64_t upload_id,
		       const char *reason, json_t **out, vb_error *err)
{
	return upload_move(st, who, upload_id, "upload.reject", VB_ROLE_EDITOR, VB_SCOPE_PUBLISH,
			   "reject", OPEN_STATUSES, VB_UPLOAD_REJECTED, reason, 1, NULL, out, err);
}

int vb_workflow_return(vb_store *st, const vb_principal *who, int64_t upload_id,
		       const char *reason, json_t **out, vb_error *err)
{
	return upload_move(st, who, upload_id, "upload.return", VB_ROLE_EDITOR, VB_SCOPE_PUBLISH,
			   "return", "{" VB_UPLOAD_SUBMITTED "}", VB_UPLOAD_DRAFT, reason, 1, NULL,
			   out, err);
}

int vb_workflow_publish(vb_store *st, const vb_principal *who, int64_t upload_id,
			json_t *corrections, json_t **out, vb_error *err)
{
	vb_upload_outcome oc;
	json_t *body = NULL;
	char status[16], portal[64];
	int rc;

	if (out)
		*out = NULL;
	if ((rc = vb_store_upload_state(st, upload_id, portal, sizeof(portal), status,
					sizeof(status), err)) ||
	    (rc = allowed(who, portal, VB_ROLE_EDITOR, VB_SCOPE_PUBLISH, "upload", upload_id,
			  "publish", err)))
		return rc;
	if (strcmp(status, VB_UPLOAD_DRAFT) && strcmp(status, VB_UPLOAD_SUBMITTED))
		return vb_error_set(err, VB_ECONFLICT, "upload %lld is %s", (long long)upload_id,
				    status);
	if (corrections && !json_is_object(corrections))
		return vb_error_set(err, VB_EINVAL, "the corrections must be a JSON object");
	body = corrections ? json_incref(corrections) : json_object();
	if (!body)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if ((rc = vb_audit_begin(st, who, "upload.publish", NULL, err)))
		goto out;
	rc = vb_upload_confirm(st, upload_id, body, &oc, err);
	if (rc == VB_EINVAL && oc.conflict)
		rc = err ? (err->code = VB_ECONFLICT) : VB_ECONFLICT;
	vb_audit_end(st);
	if (rc)
		goto out;
	if (out && !(*out = json_pack("{s:I, s:I, s:b, s:s}", "upload_id", (json_int_t)upload_id,
				      "document_id", (json_int_t)oc.document_id,
				      "linked", oc.linked, "status", VB_UPLOAD_PUBLISHED)))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	json_decref(body);
	return rc;
}

/* Read document id's portal and check who; state gets the current one. */
static int document_allowed(vb_store *st, const vb_principal *who, int64_t id, const char *verb,
			    char state[16], vb_error *err)
{
	char portal[64];
	int rc;

	if ((rc = vb_store_document_state(st, id, portal, sizeof(portal), state, 16, err)))
		return rc;
	return allowed(who, portal, VB_ROLE_EDITOR, VB_SCOPE_PUBLISH, "document", id, verb, err);
}

int vb_workflow_withdraw(vb_store *st, const vb_principal *who, int64_t document_id,
			 const char *reason, json_t **out, vb_error *err)
{
	char state[16];
	int rc;

	if (out)
		*out = NULL;
	if ((rc = document_allowed(st, who, document_id, "withdraw", state, err)))
		return rc;
	if (strcmp(state, VB_DOC_PUBLISHED))
		return vb_error_set(err, VB_ECONFLICT, "document %lld is %s", (long long)document_id,
				    state);
	if ((rc = check_reason(reason, 1, err)))
		return rc;
	if ((rc = vb_audit_begin(st, who, "document.withdraw", reason, err)))
		return rc;
	rc = vb_store_document_withdraw(st, document_id, reason, err);
	vb_audit_end(st);
	if (rc || !out)
		return rc;
	return vb_store_document_withdrawn(st, document_id, out, err);
}

/* The document as a manifest record (the keys vb_manifest_parse_line
 * reads), without source, source_id and files. */
static json_t *doc_record(const vb_document *d)
{
	json_t *m = json_object(), *a;
	size_t i;

	if (!m)
		return NULL;
#define SET(k, v) do { if ((v) && *(v)) json_object_set_new(m, k, json_string(v)); } while (0)
	SET("number", d->number);
	SET("form", d->form);
	SET("issuer", d->issuer);
	SET("issue_date", d->issue_date);
	SET("effective_date", d->effective_date);
	SET("expiry_date", d->expiry_date);
	SET("abstract", d->abstract);
	SET("status", d->status);
	SET("category", d->category);
	SET("language", d->language);
	SET("text", d->text);
#undef SET
	if (d->n_signers && (a = json_array())) {
		for (i = 0; i < d->n_signers; i++)
			json_array_append_new(a, d->signers[i].title ?
					      json_pack("{s:s, s:s}", "name", d->signers[i].name,
							"title", d->signers[i].title) :
					      json_pack("{s:s}", "name", d->signers[i].name));
		json_object_set_new(m, "signers", a);
	}
	if (d->n_fields && (a = json_array())) {
		for (i = 0; i < d->n_fields; i++)
			json_array_append_new(a, json_string(d->fields[i]));
		json_object_set_new(m, "fields", a);
	}
	return m;
}

/* Apply the corrections in fields to the stored document old into doc (a
 * new document with old's identity and files). */
static int corrected(const vb_document *old, json_t *fields, vb_document *doc, vb_error *err)
{
	static const char *const refused[] = { "source", "source_id", "files", NULL };
	json_t *m, *v;
	const char *key;
	char *line = NULL;
	size_t i;
	int rc;

	if (!(m = doc_record(old)))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	json_object_foreach(fields, key, v) {
		for (i = 0; refused[i]; i++)
			if (!strcmp(key, refused[i])) {
				json_decref(m);
				return vb_error_set(err, VB_EINVAL, "%s: cannot be corrected", key);
			}
		if (!strcmp(key, "reason"))
			continue;
		if (!strcmp(key, "signers") || !strcmp(key, "signer") || !strcmp(key, "signer_title"))
			json_object_del(m, "signers");
		json_object_set(m, key, v);
	}
	json_object_set_new(m, "source", json_string(old->source));
	json_object_set_new(m, "source_id", json_string(old->source_id));
	line = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (!line)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = vb_manifest_parse_line(line, strlen(line), ".", old->source, doc, err);
	free(line);
	if (rc)
		return rc;
	for (i = 0; i < old->n_files; i++) {
		vb_file *f = vb_document_add_file(doc);

		if (!f || vb_strset(&f->name, old->files[i].name) ||
		    vb_strset(&f->media_type, old->files[i].media_type))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		memcpy(f->sha256, old->files[i].sha256, sizeof(f->sha256));
		f->size = old->files[i].size;
	}
	return 0;
}

int vb_workflow_correct(vb_store *st, const vb_principal *who, int64_t document_id,
			json_t *fields, const char *reason, json_t **out, vb_error *err)
{
	vb_document old, doc;
	enum vb_put_result result = VB_PUT_UNCHANGED;
	char state[16];
	int rc, began = 0;

	if (out)
		*out = NULL;
	vb_document_init(&old);
	vb_document_init(&doc);
	if ((rc = document_allowed(st, who, document_id, "correct", state, err)) ||
	    (rc = check_reason(reason, 0, err)))
		goto out;
	if (strcmp(state, VB_DOC_PUBLISHED)) {
		rc = vb_error_set(err, VB_ECONFLICT, "document %lld is %s", (long long)document_id,
				  state);
		goto out;
	}
	if (!json_is_object(fields) || !json_object_size(fields)) {
		rc = vb_error_set(err, VB_EINVAL, "fields: give at least one field to correct");
		goto out;
	}
	if ((rc = vb_store_get_document(st, document_id, 1, &old, err)) ||
	    (rc = corrected(&old, fields, &doc, err)))
		goto out;
	if ((rc = vb_audit_begin(st, who, "document.correct", reason, err)))
		goto out;
	began = 1;
	if ((rc = vb_store_put_document(st, &doc, &result, err)))
		goto out;
	if (doc.id != document_id) {
		rc = vb_error_set(err, VB_EDB, "the correction of document %lld was stored as %lld",
				  (long long)document_id, (long long)doc.id);
		goto out;
	}
	if (out && !(*out = json_pack("{s:I, s:i, s:i, s:b}", "id", (json_int_t)doc.id,
				      "version", doc.version, "previous_version", old.version,
				      "changed", result != VB_PUT_UNCHANGED)))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	if (began)
		vb_audit_end(st);
	vb_document_dispose(&old);
	vb_document_dispose(&doc);
	return rc;
}
