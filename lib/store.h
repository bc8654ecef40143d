/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store: PostgreSQL is the system of record.  This module owns every SQL
 * statement of the project (parameterised only) and the schema migrations in
 * sql/.  Every change to a document enqueues an index job in the same
 * transaction (an outbox, written by a trigger), so the index can never
 * silently miss a committed change.
 *
 * A vb_store wraps one libpq connection: use one per thread.
 */
#ifndef VB_STORE_H
#define VB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "document.h"
#include "error.h"

typedef struct vb_store vb_store;

/* Connect with a libpq connection string (NULL/"": the VANBAN_DB
 * environment variable, then libpq defaults).  0, VB_EDB. */
int vb_store_open(vb_store **out, const char *conninfo, vb_error *err);
void vb_store_free(vb_store *st);

/* Whether the connection works (runs SELECT 1, reconnecting once if the
 * connection was lost).  0 or VB_EDB. */
int vb_store_ping(vb_store *st, vb_error *err);

/* Apply the numbered migrations in sql_dir (NNN_name.sql, in order) that
 * are not applied yet, each in its own transaction, under an advisory lock
 * so concurrent starts are safe.  Idempotent.  *applied (may be NULL) gets
 * how many were applied now. */
int vb_store_migrate(vb_store *st, const char *sql_dir, int *applied, vb_error *err);

enum vb_put_result { VB_PUT_INSERTED = 1, VB_PUT_UPDATED, VB_PUT_UNCHANGED };

/* Insert or update the document identified by (source, source_id), with its
 * signers, fields and files, in one transaction.  A changed document gets
 * version + 1; an identical one is left alone (VB_PUT_UNCHANGED).  Files
 * must already be in the file store (sha256 set).  On success doc->id,
 * doc->version and the timestamps are filled in.  VB_EINVAL for a document
 * the schema rejects (message names the field), VB_EDB otherwise; on error
 * nothing is written. */
int vb_store_put_document(vb_store *st, vb_document *doc,
			  enum vb_put_result *result, vb_error *err);

/* Load document id (with text when with_text) into out (initialised by the
 * callee).  VB_ENOTFOUND when there is none. */
int vb_store_get_document(vb_store *st, int64_t id, int with_text,
			  vb_document *out, vb_error *err);

/* Texts of several documents at once (for snippets): texts[i] gets a new
 * string or NULL for ids[i].  Missing ids give NULL. */
int vb_store_get_texts(vb_store *st, const int64_t *ids, size_t n,
		       char **texts, vb_error *err);

/* Number of documents stored. */
int vb_store_count_documents(vb_store *st, int64_t *count, vb_error *err);

/* The outbox of index jobs. */
typedef struct vb_index_job {
	int64_t id;          /* job id */
	int64_t document_id;
} vb_index_job;

/* Up to max oldest pending jobs. */
int vb_store_outbox_fetch(vb_store *st, vb_index_job *jobs, size_t max,
			  size_t *n, vb_error *err);
/* Remove jobs that have been applied and committed to the index. */
int vb_store_outbox_ack(vb_store *st, const vb_index_job *jobs, size_t n,
			vb_error *err);
/* Number of pending jobs (index lag). */
int vb_store_outbox_pending(vb_store *st, int64_t *n, vb_error *err);

/* Wait up to timeout_ms for a NOTIFY on the outbox channel (after
 * vb_store_outbox_listen).  0 (notified or timed out) or VB_EDB. */
int vb_store_outbox_listen(vb_store *st, vb_error *err);
int vb_store_outbox_wait(vb_store *st, int timeout_ms, vb_error *err);

/* Call cb for every document (with text) in one consistent snapshot, in id
 * order; a non-zero return from cb stops and is returned. */
typedef int (*vb_document_cb)(const vb_document *doc, void *ud);
int vb_store_each_document(vb_store *st, vb_document_cb cb, void *ud, vb_error *err);

/* Session-level advisory lock that serialises index writers (the indexer
 * and `vanban reindex`).  try: 1 if taken, 0 if someone else holds it. */
int vb_store_index_lock_try(vb_store *st, int *taken, vb_error *err);
int vb_store_index_lock(vb_store *st, vb_error *err);
int vb_store_index_unlock(vb_store *st, vb_error *err);


/* ==== Look-ups by document number and completion (lib/store_lookup.c,
 * owned by the resolver; schema in sql/002_lookup.sql) ================= */

/* What a list of candidates or suggestions shows of a document. */
typedef struct vb_doc_brief {
	int64_t id;
	char *number;           /* as written; NULL when unknown */
	char *number_canonical; /* vb_docnum_canonical(number) */
	char *form;
	char *issuer;
	char *abstract;
	char issue_date[11];    /* ISO; "" when unknown */
	char status[24];        /* status code (lib/document.h) */
	char language[16];
} vb_doc_brief;

/* Release an array of n briefs returned by the functions below (NULL is
 * fine). */
void vb_doc_briefs_free(vb_doc_brief *v, size_t n);

/* Most rows any look-up returns. */
#define VB_LOOKUP_MAX 100

/* Documents by number key (a vb_docnum_keys part): with prefix 0, those
 * whose number_canonical equals key; with prefix 1, also those whose key
 * extends it at a segment boundary ("5/2023/QD" finds "5/2023/QD-UBND",
 * like vb_docnum_key_matches).  At most max (<= VB_LOOKUP_MAX) rows, the
 * exact key first, then newest first.  *out gets a new array
 * (vb_doc_briefs_free) or NULL when none; 0, VB_EINVAL (empty key or max
 * out of range) or VB_EDB. */
int vb_store_find_by_number(vb_store *st, const char *key, int prefix, size_t max,
			    vb_doc_brief **out, size_t *n, vb_error *err);

/* Completion of a number being typed: documents whose number_canonical
 * starts with key_prefix (any characters may follow), and, when type is
 * not NULL/"", whose symbol contains "/type" (the form was typed first:
 * "QĐ 05" -> key_prefix "5/", type "QD").  Exact key first, then shorter
 * keys, then newest.  Same returns as vb_store_find_by_number. */
int vb_store_suggest_numbers(vb_store *st, const char *key_prefix, const char *type,
			     size_t max, vb_doc_brief **out, size_t *n, vb_error *err);

/* Completion of a title: documents whose folded abstract (see
 * vb_store_fold_words) starts with folded_prefix, or has a word that
 * starts it; those starting with it first, then newest.  folded_prefix
 * must already be folded with vb_store_fold_words.  Same returns. */
int vb_store_suggest_titles(vb_store *st, const char *folded_prefix, size_t max,
			    vb_doc_brief **out, size_t *n, vb_error *err);

/* Fold s the way sql/002_lookup.sql's vb_fold_words does: lower case
 * without diacritics, runs of anything but a-z and 0-9 -> one space,
 * trimmed.  "Cổng  thông-tin" -> "cong thong tin".  Writes at most cap - 1
 * bytes plus NUL into out.  Returns the full length (>= cap: truncated),
 * or (size_t)-1 on allocation failure (out is then ""). Thread-safe. */
size_t vb_store_fold_words(const char *s, char *out, size_t cap);

/* ==== Staff uploads (lib/store_upload.c, owned by upload; schema in
 * sql/003_uploads.sql) ================================================= */

#include <jansson.h>

/* Store a new pending upload.  rec is a JSON object with: "text" (string
 * or null), "text_source" ("text", "ocr" or "none"), "simhash" (decimal
 * string of the 64-bit hash as a signed integer, or null), "proposal", "warnings",
 * "duplicates" (JSON values stored as they are), "number_canonical",
 * "issuer", "issue_date" (strings or null; used for duplicate matching),
 * and "files": [{"name", "sha256" (or null), "size", "media_type",
 * "text_length", "pages" (or null), "error" (or null)}].  *id gets the new
 * upload id.  0, VB_EINVAL (the schema refused a value) or VB_EDB. */
int vb_store_upload_insert(vb_store *st, json_t *rec, int64_t *id, vb_error *err);

/* The upload id as a JSON object (new reference in *out): id, status,
 * text_source, text_length (characters), proposal, warnings, duplicates,
 * document_id (or null), linked, created_at, updated_at, files [{name,
 * sha256, size, media_type, text_length, pages, error}].  When text is not
 * NULL it gets a new string with the text (or NULL when there is none).
 * VB_ENOTFOUND, VB_EDB. */
int vb_store_upload_get(vb_store *st, int64_t id, json_t **out, char **text, vb_error *err);

/* The newest uploads (at most max, <= VB_LOOKUP_MAX), pending ones first,
 * as a new JSON array in *out of {id, status, created_at, number,
 * abstract (proposed values or null), files, duplicates (counts),
 * document_id}.  0, VB_EDB. */
int vb_store_upload_list(vb_store *st, size_t max, json_t **out, vb_error *err);

/* Move a pending upload to status "confirmed" (document_id: the document
 * it became or was linked to; linked: 1 when it was attached to an
 * existing document) or "rejected" (document_id 0).  VB_ENOTFOUND when
 * there is no such upload, VB_EINVAL when it is not pending any more. */
int vb_store_upload_finish(vb_store *st, int64_t id, const char *status,
			   int64_t document_id, int linked, vb_error *err);

/* What a new upload is compared with. */
typedef struct vb_upload_probe {
	int64_t exclude_upload;         /* 0, or an upload not to report */
	const char *const *sha256s;     /* hashes of the upload's files */
	size_t n_sha256s;
	const char *number_canonical;   /* NULL when unknown */
	const char *issuer;             /* NULL when unknown */
	const char *issue_date;         /* ISO, NULL when unknown */
	int has_simhash;
	uint64_t simhash;
	int max_distance;               /* Hamming distance still "near" */
} vb_upload_probe;

/* Duplicates of an upload among documents and pending uploads, as a new
 * JSON array in *out: {"kind": "file" | "document" | "text",
 * "document_id" or "upload_id", "sha256" (file), "distance" and
 * "similarity" (text: 1 - distance / 64)}.  Same file = same SHA-256;
 * same document = same canonical number and issue date and, when both are
 * known, the same issuer after vb_fold_words; near text = simhashes within
 * max_distance bits.  At most 20 of each kind.  0, VB_EDB. */
int vb_store_upload_duplicates(vb_store *st, const vb_upload_probe *p, json_t **out,
			       vb_error *err);

/* Record the simhash of a document's text (has_simhash 0: too short to
 * hash, stored as NULL).  0, VB_EDB. */
int vb_store_document_simhash_set(vb_store *st, int64_t document_id, int has_simhash,
				  uint64_t simhash,
				  vb_error *err);

/* Compute and store the simhash of up to max documents that have none yet
 * (documents imported by other paths), in id order.  hash returns 1 and
 * sets *out when the text is long enough to hash, else 0 (the document is
 * then recorded with a NULL simhash, so it is not read again).  *done gets
 * how many documents were recorded.  0, VB_EDB. */
int vb_store_simhash_backfill(vb_store *st, size_t max,
			      int (*hash)(const char *text, uint64_t *out),
			      size_t *done, vb_error *err);

#endif
