/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log: every change to documents, uploads, users, roles, API
 * tokens, portals, sync reviews and status overrides is written by the
 * database's own triggers (sql/010_accounts.sql, vb_audit_row) into the
 * append-only table audit_log, with who, when, from where and the changed
 * keys before/after.  The triggers learn who acts from three session
 * settings (vanban.actor, vanban.action, vanban.reason) that a writer sets
 * with vb_audit_begin before its write transaction and clears with
 * vb_audit_end afterwards.  No password, token, CSRF value or document text
 * is ever recorded; the client address is scrubbed after audit_ip_days.
 */
#ifndef VB_AUDIT_H
#define VB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account.h"
#include "error.h"
#include "store.h"

#define VB_AUDIT_MAX_ROWS 10000   /* most rows one query returns */
#define VB_AUDIT_REASON_MAX 2000  /* bytes of a reason */

/* Set the audit context of st's connection: who (NULL = "system"/"unknown"),
 * action (e.g. "upload.submit"; NULL or "" = the trigger's
 * "<table>.<op>") and reason (may be NULL).  0 or VB_EDB. */
int vb_audit_begin(vb_store *st, const vb_principal *who, const char *action,
		   const char *reason, vb_error *err);
/* Clear the three settings (back to the connection's default, see below);
 * never fails loudly. */
void vb_audit_end(vb_store *st);
/* Make who the default actor of every database connection this process
 * opens from now on (PGOPTIONS "-c vanban.actor=..."), so writes made
 * outside vb_audit_begin/end are still attributed: the CLI calls it with
 * vb_principal_cli at start.  0 or -1 (out of memory). */
int vb_audit_default_env(const vb_principal *who);

typedef struct vb_audit_filter {
	int64_t document_id;      /* 0 = any */
	int64_t user_id;          /* rows by or about this user; 0 = any */
	const char *portal;       /* rows of this portal; NULL = any */
	const char *object_type;  /* NULL = any */
	const char *object_id;    /* NULL = any (with object_type) */
	const char *since;        /* ISO date or timestamp, inclusive; NULL = open */
	const char *until;        /* exclusive; NULL = open */
	/* restrict_portals: only rows whose portal_id is one of portals[0..n) */
	int restrict_portals;
	const char *const *portals;
	size_t n_portals;
	int64_t limit;            /* 1..VB_AUDIT_MAX_ROWS; 0 = 100 */
	int64_t offset;
} vb_audit_filter;

/* Rows matching f, oldest first, as a new JSON array of objects
 * {id, at, actor_kind, actor_user_id, actor_token_id, actor_label, ip,
 * action, object_type, object_id, portal_id, document_id, before, after,
 * reason, request_id}.  VB_EINVAL (bad since/until/limit), VB_EDB. */
int vb_audit_query(vb_store *st, const vb_audit_filter *f, json_t **rows, vb_error *err);
/* Set ip to NULL in rows older than ip_days days; *scrubbed (may be NULL)
 * gets how many.  0 or VB_EDB. */
int vb_audit_scrub(vb_store *st, int ip_days, int64_t *scrubbed, vb_error *err);

/* rows (from vb_audit_query) as CSV (RFC 4180, header line first, before
 * and after as compact JSON); a new string or NULL (out of memory). */
char *vb_audit_csv(const json_t *rows);
/* One compact JSON object per line; a new string or NULL. */
char *vb_audit_jsonl(const json_t *rows);

#endif
