/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editorial workflow (issue 6, docs/workflow.md).  An upload is a
 * draft of one portal; its uploader submits it, an editor of that portal
 * publishes it (the document is stored and indexed), rejects it, or
 * returns it to draft with a reason.  A published document can be
 * withdrawn with a reason (it leaves search; its URIs answer 410) or
 * corrected (a new version; the previous row is kept in
 * document_versions).  Nothing is ever deleted.
 *
 *   upload:   draft --submit--> submitted --publish--> published
 *               ^                  |  |
 *               +-----return-------+  +--reject--> rejected
 *             (an editor may also publish or reject a draft directly)
 *   document: published --withdraw--> withdrawn
 *             published --correct--> published (version + 1)
 *
 * Every function checks the principal itself with vb_principal_can:
 * uploader (scope VB_SCOPE_UPLOAD) for submit; editor (VB_SCOPE_PUBLISH)
 * for publish, reject, return, withdraw and correct, in the upload's or
 * document's portal; a document or upload without a portal (imported,
 * synced, older than the workflow) only by a system administrator.  It
 * sets the audit context (vb_audit_begin, action "upload.submit",
 * "upload.publish", "upload.reject", "upload.return", "document.withdraw",
 * "document.correct") and makes its change in one transaction.
 *
 * Returns 0 with *out (new reference, the caller frees) a JSON object
 * describing the upload or document after the change; or VB_EPERM (the
 * message names the portal and the role needed), VB_ENOTFOUND,
 * VB_ECONFLICT (wrong state: the message names the current state),
 * VB_EINVAL (missing or bad reason, bad correction: the message names the
 * field), VB_EDB, VB_EAGAIN, VB_ENOMEM.
 *
 * Thread-safe: each call works on the caller's store connection.
 */
#ifndef VB_WORKFLOW_H
#define VB_WORKFLOW_H

#include <stdint.h>

#include <jansson.h>

#include "account.h"
#include "error.h"
#include "store.h"

#define VB_WORKFLOW_REASON_MAX 2000 /* bytes of a reason (at least 1) */

/* Upload statuses and document states, as stored. */
#define VB_UPLOAD_DRAFT "draft"
#define VB_UPLOAD_SUBMITTED "submitted"
#define VB_UPLOAD_PUBLISHED "published"
#define VB_UPLOAD_REJECTED "rejected"
#define VB_DOC_PUBLISHED "published"
#define VB_DOC_WITHDRAWN "withdrawn"

/* Submit draft upload_id for review (uploader).  corrections (may be
 * NULL) is an object of metadata fields (vb_upload_fields) saved into the
 * proposal first. */
int vb_workflow_submit(vb_store *st, const vb_principal *who, int64_t upload_id,
		       json_t *corrections, json_t **out, vb_error *err);

/* Publish a submitted (or draft) upload (editor): the old confirm.
 * corrections is vb_upload_confirm's body (may be NULL).  *out has
 * "document_id" and "linked". */
int vb_workflow_publish(vb_store *st, const vb_principal *who, int64_t upload_id,
			json_t *corrections, json_t **out, vb_error *err);

/* Reject a draft or submitted upload (editor), with a reason. */
int vb_workflow_reject(vb_store *st, const vb_principal *who, int64_t upload_id,
		       const char *reason, json_t **out, vb_error *err);

/* Return a submitted upload to draft (editor), with a reason. */
int vb_workflow_return(vb_store *st, const vb_principal *who, int64_t upload_id,
		       const char *reason, json_t **out, vb_error *err);

/* Withdraw a published document (editor), with a reason: it leaves the
 * index and its URIs answer 410. */
int vb_workflow_withdraw(vb_store *st, const vb_principal *who, int64_t document_id,
			 const char *reason, json_t **out, vb_error *err);

/* Correct a published document (editor): fields is an object of manifest
 * keys (like vb_upload_confirm's body) to change; the document gets
 * version + 1 and the previous row goes to document_versions.  reason may
 * be NULL. */
int vb_workflow_correct(vb_store *st, const vb_principal *who, int64_t document_id,
			json_t *fields, const char *reason, json_t **out, vb_error *err);

/* ---- store (lib/store_workflow.c; no permission checks here) ---- */

/* The portal ("" when none) and status of upload id.  0, VB_ENOTFOUND,
 * VB_EDB. */
int vb_store_upload_state(vb_store *st, int64_t id, char *portal, size_t portal_cap,
			  char *status, size_t status_cap, vb_error *err);
/* Move upload id from one of the statuses in from (a text[] literal such
 * as "{draft,submitted}") to to; reason (may be NULL: kept) is stored as
 * the last reject / return reason; proposal_patch (JSON object text, may
 * be NULL) is merged into the proposal.  0, VB_ENOTFOUND, VB_ECONFLICT
 * (names the current status), VB_EINVAL (the schema refused a value),
 * VB_EDB. */
int vb_store_upload_move(vb_store *st, int64_t id, const char *from, const char *to,
			 const char *reason, const char *proposal_patch, vb_error *err);
/* The portal ("" when none) and state of document id.  0, VB_ENOTFOUND,
 * VB_EDB. */
int vb_store_document_state(vb_store *st, int64_t id, char *portal, size_t portal_cap,
			    char *state, size_t state_cap, vb_error *err);
/* Withdraw published document id with reason.  0, VB_ENOTFOUND,
 * VB_ECONFLICT, VB_EINVAL, VB_EDB. */
int vb_store_document_withdraw(vb_store *st, int64_t id, const char *reason, vb_error *err);
/* *info = NULL when document id is published, else a new object {id,
 * state, reason, withdrawn_at}: what a 410 answer says.  0, VB_ENOTFOUND,
 * VB_EDB. */
int vb_store_document_withdrawn(vb_store *st, int64_t id, json_t **info, vb_error *err);

#endif
