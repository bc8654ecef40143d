/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reads of the staff admin UI (daemon/admin*.c, docs/admin.md) that no
 * other module owns: the review queue of uploads per portal with its
 * counts, the portal and file of an upload (so that its original files are
 * served only to staff of that portal) and the workflow state of a
 * document.  Writes go through lib/workflow.h and lib/account.h, never
 * through here.  Schema: sql/003_uploads.sql and sql/011_workflow.sql.
 *
 * Thread-safe: every function works on the caller's store connection.
 */
#ifndef VB_STORE_ADMIN_H
#define VB_STORE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "store.h"

#define VB_ADMIN_QUEUE_MAX 200  /* uploads listed in the queue */
#define VB_ADMIN_PORTALS_MAX 64 /* portals a queue is filtered by */

/* The review queue: uploads in status "draft" or "submitted" of the given
 * portals (all = 1: of every portal, and those without one), newest
 * first, at most max (<= VB_ADMIN_QUEUE_MAX).  *out gets a new object
 * {"counts": {"draft": N, "submitted": N, "rejected": N, "published": N},
 *  "uploads": [{id, status, portal_id, created_at, number, abstract,
 *  files, duplicates, warnings}]} where counts cover the same portals.
 * 0, VB_EINVAL (too many portals), VB_EDB. */
int vb_store_admin_queue(vb_store *st, const char *const *portals, size_t n_portals, int all,
			 size_t max, json_t **out, vb_error *err);

/* The portal of upload id into portal (cap bytes; "" when it has none) and
 * its status into status (cap bytes).  0, VB_ENOTFOUND, VB_EDB. */
int vb_store_admin_upload_portal(vb_store *st, int64_t id, char *portal, size_t portal_cap,
				 char *status, size_t status_cap, vb_error *err);

/* File number pos (1-based) of upload id: name, sha256 (64 hex digits,
 * "" when the file could not be stored) and media type.  0, VB_ENOTFOUND
 * (no such upload or file), VB_EDB. */
int vb_store_admin_upload_file(vb_store *st, int64_t id, int pos, char *name, size_t name_cap,
			       char sha256[65], char *media_type, size_t type_cap, vb_error *err);

/* The workflow state of document id: state ("published" / "withdrawn"),
 * withdrawn_reason (new string or NULL), withdrawn_at (ISO, "" when
 * none) and portal ("" when none).  0, VB_ENOTFOUND, VB_EDB. */
typedef struct vb_admin_doc_state {
	char state[16];
	char *withdrawn_reason;
	char withdrawn_at[32];
	char portal[128];
} vb_admin_doc_state;
int vb_store_admin_document_state(vb_store *st, int64_t id, vb_admin_doc_state *out,
				  vb_error *err);
void vb_admin_doc_state_dispose(vb_admin_doc_state *s);

#endif
