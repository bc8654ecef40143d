/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of a vb_store, shared by the store's own source files
 * (store.c, store_doc.c, store_outbox.c, store_lookup.c, store_upload.c,
 * store_relation.c, store_validity.c, store_timeline.c, ...)
 * and by nothing else: every other module sees the opaque type of store.h.
 * Also the helpers those files share (internal, not part of store.h).
 */
#ifndef VB_STORE_INT_H
#define VB_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "document.h"
#include "error.h"
#include "store.h"

struct vb_store {
	PGconn *conn;
	int listening; /* LISTEN issued on this connection (re-issued after a reset) */
	unsigned prepared; /* bit k: statement k of store_q_prepared prepared on it */
};

/* The statements that searches run on every request, prepared once per
 * connection (parsing and planning them cost PostgreSQL as much as the
 * work for a one-hit search). */
enum store_stmt { STORE_STMT_TEXTS, STORE_STMT_COUNT };

/* Helpers (store.c). */
const char *store_pg_message(PGconn *conn, const PGresult *res, char *buf, size_t bufsz);
PGresult *store_q(vb_store *st, const char *sql, int n, const char *const *params);
/* store_q of statement which (always with the same sql), prepared on the
 * connection the first time; where it cannot be prepared, run unprepared. */
PGresult *store_q_prepared(vb_store *st, enum store_stmt which, const char *sql, int n,
			   const char *const *params);
int store_res_ok(const PGresult *res);
int store_q_cmd(vb_store *st, const char *sql, int n, const char *const *params,
		const char *what, vb_error *err);
void store_rollback(vb_store *st);
char *store_dup_or_null(const PGresult *res, int row, int col);
int64_t store_get_i64(const PGresult *res, int row, int col);
void store_copy_fixed(char *dst, size_t dstsz, const PGresult *res, int row, int col);
int store_listen_now(vb_store *st, vb_error *err);
int store_count_query(vb_store *st, const char *sql, const char *what, int64_t *count,
		      vb_error *err);

/* Documents (store_doc.c). */
int store_doc_from_row(const PGresult *res, int row, vb_document *doc, vb_error *err);
int store_id_array(vb_buf *b, const int64_t *ids, size_t n);

/* Relations (store_relation.c): inside vb_store_put_document's
 * transaction, after a document was inserted (inserted = 1) or changed: record its
 * declared status and expiry and its ELI, resolve the citations waiting
 * for it, recompute its validity and that of the documents it acts on. */
int store_relations_after_put(vb_store *st, const vb_document *doc, int inserted, vb_error *err);

/* The relation types that change the target's validity, as an SQL list
 * (store_relation.c, store_validity.c). */
#define STORE_ACTING_TYPES "('replaces', 'repeals', 'repeals_part', 'suspends', 'suspends_part')"

/* Validity (store_validity.c). */

/* A set of document ids without duplicates: zero-initialised, free(v)
 * when done. */
typedef struct store_id_set {
	int64_t *v;
	size_t n, cap;
} store_id_set;

/* Add id (ids <= 0 are left out); add the ids of a PostgreSQL array
 * literal "{1,2,3}".  0, VB_ENOMEM. */
int store_id_set_add(store_id_set *s, int64_t id);
int store_id_set_add_array(store_id_set *s, const char *a);

/* Recompute the validity of document id inside the caller's transaction:
 * one read, and one write only when something changed.  bump: raise the
 * version when status or expiry changes (0 only for the document a put is
 * writing in this transaction: its new version is not indexed yet).
 * *changed (may be NULL) += 1 when anything changed; acted (may be NULL)
 * gets the documents id acts on.  VB_ENOTFOUND, VB_ENOMEM, VB_EDB. */
int store_validity_recompute_tx(vb_store *st, int64_t id, int bump, size_t *changed,
				store_id_set *acted, vb_error *err);
/* store_validity_recompute_tx (bump 1) of every document of s except
 * skip, in the caller's transaction; documents gone meanwhile are left
 * out. */
int store_validity_recompute_ids(vb_store *st, const store_id_set *s, int64_t skip,
				 size_t *changed, vb_error *err);

#endif
