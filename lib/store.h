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

/* Call cb for every published document (with text; withdrawn ones are
 * left out, sql/011_workflow.sql) in one consistent snapshot, in id
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
 * sql/003_uploads.sql, sql/011_workflow.sql; the workflow's own store
 * functions are in lib/workflow.h) ===================================== */

#include <jansson.h>

/* Store a new draft upload.  rec is a JSON object with: "text" (string
 * or null), "text_source" ("text", "ocr" or "none"), "simhash" (decimal
 * string of the 64-bit hash as a signed integer, or null), "proposal", "warnings",
 * "duplicates" (JSON values stored as they are), "number_canonical",
 * "issuer", "issue_date" (strings or null; used for duplicate matching),
 * and "files": [{"name", "sha256" (or null), "size", "media_type",
 * "text_length", "pages" (or null), "error" (or null)}], "portal_id" and
 * "created_by" (strings or null).  *id gets the new upload id.  0, VB_EINVAL (the schema refused a value) or VB_EDB. */
int vb_store_upload_insert(vb_store *st, json_t *rec, int64_t *id, vb_error *err);

/* The upload id as a JSON object (new reference in *out): id, status,
 * portal_id, created_by, reason, submitted_at, text_source, text_length (characters), proposal, warnings, duplicates,
 * document_id (or null), linked, created_at, updated_at, files [{name,
 * sha256, size, media_type, text_length, pages, error}].  When text is not
 * NULL it gets a new string with the text (or NULL when there is none).
 * VB_ENOTFOUND, VB_EDB. */
int vb_store_upload_get(vb_store *st, int64_t id, json_t **out, char **text, vb_error *err);

/* The newest uploads of the given portals (all = 1: every upload) (at
 * most max, <= VB_LOOKUP_MAX), open ones (draft, submitted) first, as a
 * new JSON array in *out of {id, status, portal_id, created_at, number,
 * abstract (proposed values or null), files, duplicates (counts),
 * document_id}.  0, VB_EDB. */
int vb_store_upload_list(vb_store *st, const char *const *portals, size_t n_portals, int all,
			 size_t max, json_t **out, vb_error *err);

/* Move a draft or submitted upload to status "published" (document_id: the document
 * it became or was linked to; linked: 1 when it was attached to an
 * existing document) or "rejected" (document_id 0); a new document
 * published from it gets the upload's portal in the same statement.
 * VB_ENOTFOUND when there is no such upload, VB_EINVAL when it is not
 * open any more. */
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

/* ==== Integrity checks and backups (lib/store_check.c, owned by safety;
 * used by lib/check.c and lib/backup.c) =============================== */

/* A stored document as the check sees it. */
typedef struct vb_check_doc {
	int64_t id;
	int version;
	int64_t job_age;  /* seconds since its oldest pending index job; -1: none */
} vb_check_doc;

/* Every published document (withdrawn ones belong out of the index) with
 * its version and pending index job, read in one
 * statement (one snapshot), in id order.  *out gets a new array (free()),
 * NULL when there are none.  0, VB_ENOMEM, VB_EDB. */
int vb_store_check_documents(vb_store *st, vb_check_doc **out, size_t *n, vb_error *err);

/* The state of one document now: *version 0 when there is no such row
 * or it is withdrawn (it belongs out of the index, docs/workflow.md);
 * *job_age as above.  0, VB_EDB. */
int vb_store_check_document(vb_store *st, int64_t id, int *version, int64_t *job_age,
			    vb_error *err);

/* A file the database refers to. */
typedef struct vb_check_file {
	char sha256[65];
	int64_t size;      /* from files (or upload_files when only an upload has it) */
	int64_t documents; /* document_files rows */
	int64_t uploads;   /* upload_files rows */
} vb_check_file;

/* Every file referenced by files, document_files or upload_files, sorted
 * by sha256, each once.  *out new array (free()) or NULL.  0, VB_ENOMEM,
 * VB_EDB. */
int vb_store_check_files(vb_store *st, vb_check_file **out, size_t *n, vb_error *err);

/* Up to max ids of the documents that have file sha256, in id order. */
int vb_store_check_file_documents(vb_store *st, const char *sha256, int64_t *ids,
				  size_t max, size_t *n, vb_error *err);

/* Pending index jobs and the age of the oldest in seconds (0 when none). */
int vb_store_check_outbox(vb_store *st, int64_t *pending, int64_t *oldest_s, vb_error *err);

/* Enqueue an index job for each of the n ids (the indexer re-reads the
 * document: indexed again when it exists, removed from the index when it
 * does not) and wake the indexer.  0, VB_ENOMEM, VB_EDB. */
int vb_store_outbox_enqueue(vb_store *st, const int64_t *ids, size_t n, vb_error *err);

/* Start a read-only REPEATABLE READ transaction on st and export its
 * snapshot: id (at least 64 bytes) gets the name pg_dump --snapshot takes.
 * Queries on st until vb_store_snapshot_end see that snapshot.  0, VB_EDB. */
int vb_store_snapshot_begin(vb_store *st, char *id, size_t idsz, vb_error *err);
/* End it (commit the read-only transaction).  0, VB_EDB. */
int vb_store_snapshot_end(vb_store *st, vb_error *err);

/* *empty gets 1 when the database holds no table, view, sequence or
 * function outside the system schemas.  0, VB_EDB. */
int vb_store_is_empty(vb_store *st, int *empty, vb_error *err);

/* ==== Usage counters, the yearly report and store metrics
 * (lib/store_activity.c, owned by report; schema sql/007_activity.sql) = */

/* Longest normalised query text kept, bytes (the schema's limit). */
#define VB_ACTIVITY_QUERY_MAX 200

/* One counter row to add.  For searches: query NULL adds to the daily
 * totals (activity_searches), a query adds to activity_queries. */
typedef struct vb_activity_search {
	char day[11];                /* ISO date */
	const char *portal;          /* "" = none */
	const char *language;
	const char *query;           /* normalised, or NULL for the totals */
	int64_t searches, zero_results, results;
} vb_activity_search;

typedef struct vb_activity_doc {
	char day[11];
	const char *portal;
	int64_t document_id;
	int64_t views, downloads;
} vb_activity_doc;

/* Add the counts (upserts) in one transaction: all or nothing.
 * 0, VB_EINVAL (a row the schema refuses) or VB_EDB. */
int vb_store_activity_add(vb_store *st, const vb_activity_search *s, size_t ns,
			  const vb_activity_doc *d, size_t nd, vb_error *err);

/* Delete the query texts of days older than today - days (days >= 1);
 * the totals stay.  *deleted (may be NULL) gets the number of rows.
 * 0, VB_EINVAL, VB_EDB. */
int vb_store_activity_purge(vb_store *st, int days, int64_t *deleted, vb_error *err);

/* What a report covers. */
typedef struct vb_report_scope {
	char from[11], to[11];       /* ISO dates, inclusive */
	const char *portal;          /* usage of this portal only; NULL = all */
	const char *const *issuers;  /* documents of these issuers only (a
					portal's scope); NULL = all */
	size_t n_issuers;
	int min_count;               /* a query is listed when seen >= this */
	size_t top;                  /* longest list (issuers, queries), <= 100 */
} vb_report_scope;

/* The figures of the report as a new JSON object in *out: "documents"
 * {total, by_month [{month, count}], by_form, by_issuer [{value, count}],
 * issuers_other, updated}, "imports" [{source, added, updated}], "usage"
 * {searches, zero_results, views, downloads, by_month [{month, searches,
 * zero_results, views, downloads}], by_language, top_queries,
 * zero_result_queries [{query, searches, zero_results}], top_documents
 * [{document_id, number, abstract, views, downloads}]}, "sync" (see
 * vb_store_sync_health).  0, VB_EINVAL (bad scope), VB_EDB. */
int vb_store_report_collect(vb_store *st, const vb_report_scope *sc, json_t **out,
			    vb_error *err);

/* Sync health per source from the sync tables of sql/004_sync.sql (runs
 * started between the ISO dates from and to, inclusive; NULL = no bound):
 * a new JSON object {"available": false} when the tables are missing, or
 * {"available": true, "sources": [{source, last_run, last_run_epoch,
 * last_success, last_success_epoch (a run that finished "ok" or
 * "partial"; null / 0 when none), status (of the newest run), runs,
 * runs_ok, runs_failed, new, changed, failed (records), conflicts_pending
 * (open review items)}]}.  0, VB_EDB. */
int vb_store_sync_health(vb_store *st, const char *from, const char *to, json_t **out,
			 vb_error *err);

/* Gauges for /metrics as a new JSON object: "sources" [{source,
 * documents, changes (sum of version - 1)}], "outbox_oldest_seconds",
 * "uploads_pending", "sync" (as vb_store_sync_health).  0, VB_EDB. */
int vb_store_metrics_read(vb_store *st, json_t **out, vb_error *err);

/* ==== Feeds and sitemaps (lib/store_feed.c, owned by discovery) ======== */

#define VB_FEED_MAX 1000     /* most entries of one feed query */
#define VB_SITEMAP_MAX 50000 /* most URLs of one sitemap (sitemaps.org) */

/* What a feed or sitemap needs to know of a document before loading it. */
typedef struct vb_feed_item {
	int64_t id;
	int version;
	char updated_at[40]; /* "YYYY-MM-DDTHH:MM:SSZ", UTC */
} vb_feed_item;

/* Filters of a search applied to the feed of changed documents (borrowed
 * strings; n_* = 0: not filtered): forms and issuers compared folded,
 * status codes exactly, years of the issue date, issue dates from / to
 * (ISO, NULL or "" = open). */
typedef struct vb_feed_filter {
	const char *const *forms;
	size_t n_forms;
	const char *const *issuers;
	size_t n_issuers;
	const char *const *statuses;
	size_t n_statuses;
	const int *years;
	size_t n_years;
	const char *issued_from;
	const char *issued_to;
	/* A portal's scope (lib/search.h): when has_scope, only documents of
	 * these issuers (folded), none when n_scope is 0. */
	int has_scope;
	const char *const *scope;
	size_t n_scope;
} vb_feed_filter;

void vb_feed_filter_init(vb_feed_filter *f);

/* The max (1..VB_FEED_MAX) documents changed last (updated time, newest
 * first) that pass f (NULL: all).  *out gets a new array (free()) or NULL
 * when there are none.  0, VB_EINVAL (max out of range) or VB_EDB. */
int vb_store_feed_recent(vb_store *st, const vb_feed_filter *f, size_t max,
			 vb_feed_item **out, size_t *n, vb_error *err);

/* Documents offset .. offset + max - 1 in id order (max 1..VB_SITEMAP_MAX),
 * for one sitemap page.  Same returns as vb_store_feed_recent. */
int vb_store_sitemap_page(vb_store *st, int64_t offset, size_t max, vb_feed_item **out,
			  size_t *n, vb_error *err);

/* ==== Relations, validity and stable identifiers (lib/store_relation.c,
 * lib/store_validity.c, lib/store_timeline.c, owned by relations; schema
 * in sql/005_relations.sql) =========================================== */

#include "relation.h"

/* Replace every relation of document from_id said by origin with rels[0..n)
 * (n <= VB_REL_MAX), in one transaction, and resolve the targets that are
 * in the store (vb_relation_target in sql/005_relations.sql: by source +
 * source_id, else canonical number + issue date, narrowed by issuer; an
 * ambiguous or absent target stays an unresolved citation and is resolved
 * when a matching document is stored).  The validity of from_id and of
 * every document whose relations changed is recomputed.  Idempotent: the
 * same list again writes nothing.  Every record is checked first
 * (vb_relation_check; its origin must be NULL or equal origin): one bad
 * record is VB_EINVAL naming it and nothing is written.  VB_ENOTFOUND when
 * from_id does not exist, VB_ETOOBIG, VB_EDB. */
int vb_store_relations_set(vb_store *st, int64_t from_id, const char *origin,
			   const vb_relation_in *rels, size_t n, vb_error *err);

/* The relations the text of document id states (lib/meta.h: the
 * documents it replaces, repeals, amends, and its legal bases "Căn cứ ...",
 * those cited with a number) as its relations of origin "text" (same
 * contract as vb_store_relations_set; a NULL or empty text clears them). */
int vb_store_relations_from_text(vb_store *st, int64_t id, const char *text, vb_error *err);

/* What the document JSON and page show besides the document itself: a new
 * JSON object in *out with "eli" (string or null), "validity" (the
 * computed status object of lib/validity.h, or null), "relations":
 * {"outgoing": [...], "incoming": [...]} (what the document does to others,
 * what others do to it), each item {"type", "label": {"vi", "en", "zh"}
 * (read from that side: "Thay thế" / "Bị thay thế bởi"), "origin",
 * "origins" (every origin that said it), "evidence", "resolved", "document":
 * {"id", "number", "form", "issuer", "abstract", "issue_date",
 * "effective_date", "status"} or null, and for an unresolved target
 * "number", "title", "date", "issuer" as cited}, and "timeline": [{"date",
 * "event", "document" (id or null), "number"}] in date order.  At most
 * VB_REL_MAX relations each way.  VB_ENOTFOUND, VB_EDB. */
int vb_store_document_relations(vb_store *st, int64_t id, json_t **out, vb_error *err);

/* Set (status a VB_STATUS_* code, reason non-empty, at most
 * VB_REL_EVIDENCE_MAX bytes) or remove (status NULL) the staff override of
 * a document's status, and recompute its validity.  VB_ENOTFOUND,
 * VB_EINVAL, VB_EDB. */
int vb_store_status_override(vb_store *st, int64_t id, const char *status,
			     const char *reason, vb_error *err);

/* Recompute the validity of document id (0: of every document, a full
 * vb_store_validity_pass that is recorded as the last pass).  *changed
 * (may be NULL) gets how many documents changed status or evidence.
 * VB_ENOTFOUND (id given and absent), VB_EDB. */
int vb_store_validity_recompute(vb_store *st, int64_t id, size_t *changed, vb_error *err);

/* What a validity pass did. */
typedef struct vb_validity_pass {
	char today[11];    /* the Việt Nam day it computed for (vb_validity_today) */
	char last[11];     /* the day of the previous complete pass, "" none */
	int full;          /* 1: every document was chosen */
	const char *why;   /* why (static English phrase): "no previous pass",
			      "the clock went back", "the validity rules changed",
			      "asked for", "documents with a date since the last pass",
			      "already done today" */
	int stopped;       /* 1: *stop was set before the end; not recorded */
	size_t selected;   /* documents chosen */
	size_t recomputed; /* of them recomputed (the others vanished meanwhile) */
	size_t changed;    /* of them whose status or evidence changed */
} vb_validity_pass;

#define VB_VALIDITY_PASS_FULL 1 /* flags: recompute every document */

/* The daily validity pass.  A document's computed validity depends on
 * today only through the dates lib/validity.c compares with today (its
 * effective date, its declared and computed expiry, the date of each
 * document replacing, repealing (in part) or suspending it); every write
 * that changes those recomputes at once.  So after a complete pass on day
 * L, the pass of day T (T > L) recomputes only the documents with such a
 * date in (L, T], chosen by one query; on day L again it recomputes
 * nothing.  Every document is recomputed when there is no previous pass,
 * when L > T (the clock went back), when the pass was made with another
 * VB_VALIDITY_RULES, or with flags VB_VALIDITY_PASS_FULL.  The
 * computation itself is the same as vb_store_validity_recompute's, one
 * short transaction per document.  T and VB_VALIDITY_RULES are stored
 * (table validity_pass) when the pass completes; stop (may be NULL) is
 * checked between documents: when set, the pass ends early,
 * out->stopped = 1, and nothing is recorded.  out (required) gets the
 * counts, also on error.  0, VB_EDB, VB_ENOMEM. */
int vb_store_validity_pass(vb_store *st, unsigned flags, const volatile int *stop,
			   vb_validity_pass *out, vb_error *err);

/* Up to max (<= 100000) document ids greater than after, in order, into
 * out (for walking every document in batches).  0, VB_EINVAL, VB_EDB. */
int vb_store_document_ids(vb_store *st, int64_t after, size_t max, int64_t *out, size_t *n,
			  vb_error *err);

/* Documents whose current or former ELI path (lib/eli.h) equals eli, which
 * must be normalised by vb_eli_normalize; with prefix 1 also those below
 * it.  At most max (<= VB_LOOKUP_MAX).  *out as vb_store_find_by_number.
 * 0, VB_EINVAL, VB_EDB. */
int vb_store_eli_find(vb_store *st, const char *eli, int prefix, size_t max,
		      vb_doc_brief **out, size_t *n, vb_error *err);

/* ==== Portal registry (lib/store_portal.c, owned by portals; schema
 * sql/006_portals.sql; the logic is in lib/portal.c) ================== */

/* The whole registry as a JSON object id -> record (see portal.h), read in
 * one statement.  *out new reference.  0, VB_EDB. */
int vb_store_portal_load(vb_store *st, json_t **out, vb_error *err);

/* Begin a change of the registry: BEGIN, take the registry lock (a
 * transaction-level advisory lock, so writers are serialised) and load it
 * into *out.  Follow with vb_store_portal_commit or _abort. */
int vb_store_portal_begin(vb_store *st, json_t **out, vb_error *err);

/* Write the records of the ids in changed (from reg), their domains, and
 * one portal_events row per id (op, and {"portal": main_id, "args": args}),
 * then COMMIT.  On error the transaction is rolled back.  VB_EINVAL when
 * the schema refuses a record (e.g. a domain taken), VB_EDB. */
int vb_store_portal_commit(vb_store *st, json_t *reg, json_t *changed, const char *op,
			   const char *main_id, json_t *args, vb_error *err);
void vb_store_portal_abort(vb_store *st);

/* The history of portal id, oldest first: [{"op", "at", "detail"}], at
 * most 1000 events.  0, VB_EDB. */
int vb_store_portal_history(vb_store *st, const char *id, json_t **out, vb_error *err);

/* ==== end of portal registry ==== */

/* ==== Upstream sync (lib/store_sync.c, owned by sync; schema in
 * sql/004_sync.sql) ==================================================== */

/* Counts of one sync run. */
typedef struct vb_sync_counts {
	int inserted, changed, unchanged, linked, failed, conflicts;
} vb_sync_counts;

/* What an upstream record became (sync_items). */
typedef struct vb_sync_item {
	int64_t document_id; /* 0: none */
	int linked;          /* document_id belongs to another source */
	char record_hash[65];
} vb_sync_item;

/* Session-level advisory lock per source, so one sync of a source runs at
 * a time (a killed process releases it).  *taken 1 or 0.  0, VB_EDB. */
int vb_store_sync_lock(vb_store *st, const char *source, int *taken, vb_error *err);
int vb_store_sync_unlock(vb_store *st, const char *source, vb_error *err);
/* Start a run (under the lock): runs of source still "running" were killed
 * and become "interrupted".  *run_id gets the new run. */
int vb_store_sync_run_start(vb_store *st, const char *source, const char *origin,
			    int64_t *run_id, vb_error *err);
/* Store the counts and status ("running", "ok", "partial", "failed");
 * message (may be NULL) is kept only when the run has none yet. */
int vb_store_sync_run_update(vb_store *st, int64_t run_id, const char *status,
			     const vb_sync_counts *c, const char *message, vb_error *err);
/* The checkpoint date of source (ISO, "" when none). */
int vb_store_sync_checkpoint_get(vb_store *st, const char *source, char date[11], vb_error *err);
/* Move the checkpoint forward to date (never back). */
int vb_store_sync_checkpoint_set(vb_store *st, const char *source, const char *date,
				 int64_t run_id, vb_error *err);
/* What (source, source_id) became; VB_ENOTFOUND when never seen. */
int vb_store_sync_item_get(vb_store *st, const char *source, const char *source_id,
			   vb_sync_item *out, vb_error *err);
/* Record a successfully handled upstream record (clears its last error). */
int vb_store_sync_item_put(vb_store *st, const char *source, const char *source_id,
			   int64_t document_id, int linked, const json_t *record,
			   const char *record_hash, int64_t run_id, vb_error *err);
/* Record the error of an upstream record (what it became is kept). */
int vb_store_sync_item_failed(vb_store *st, const char *source, const char *source_id,
			      const char *message, int64_t run_id, vb_error *err);
/* The id of document (source, source_id); VB_ENOTFOUND. */
int vb_store_sync_document_id(vb_store *st, const char *source, const char *source_id,
			      int64_t *id, vb_error *err);
/* A document of another source than source with the same canonical
 * number and issue date and, when both are known, the same issuer (folded);
 * VB_ENOTFOUND when none. */
int vb_store_sync_match(vb_store *st, const char *source, const char *number_canonical,
			const char *issuer, const char *issue_date, int64_t *id, vb_error *err);
/* Add a disagreement to the review list (once per document, record,
 * field and upstream value; *added 1 when new). */
int vb_store_sync_review_add(vb_store *st, int64_t document_id, const char *source,
			     const char *source_id, const char *field, const char *local_value,
			     const char *upstream_value, const char *upstream_url, int64_t run_id,
			     int *added, vb_error *err);
/* The status report as a new JSON object: {"sources": [{"source",
 * "checkpoint", "items", "items_failing", "linked", "runs": [newest
 * max_runs runs]}], "conflicts_pending": N, "reviews": [pending, oldest
 * first, at most 100]}; source NULL = every source.  VB_EINVAL for
 * max_runs outside 1-VB_LOOKUP_MAX. */
int vb_store_sync_status(vb_store *st, const char *source, size_t max_runs, json_t **out,
			 vb_error *err);

/* What a document's source declared about its validity and what vanban
 * computed (document_validity, documents, status_overrides): the
 * reconciliation compares upstream with the declared values. */
typedef struct vb_sync_validity {
	char declared[24];        /* VB_STATUS_* code the source declared */
	char declared_expiry[11]; /* ISO or "" */
	char computed[24];        /* documents.status */
	int overridden;           /* a staff override decides the computed status */
} vb_sync_validity;
/* The validity of document id; VB_ENOTFOUND, VB_EDB. */
int vb_store_sync_validity(vb_store *st, int64_t id, vb_sync_validity *out, vb_error *err);

/* The review list as a new JSON object {"reviews": [{"id", "document_id",
 * "number", "source", "source_id", "field", "local_value",
 * "upstream_value", "upstream_url", "status", "reason", "created_at",
 * "resolved_at"}], "total": N}: status "pending", "accepted", "rejected"
 * or NULL (all), source NULL = every source, oldest first, at most max
 * (1-VB_LOOKUP_MAX).  VB_EINVAL, VB_EDB. */
int vb_store_sync_reviews(vb_store *st, const char *status, const char *source, size_t max,
			  json_t **out, vb_error *err);

/* Longest reason for resolving a review item, in bytes. */
#define VB_SYNC_REASON_MAX 1000
/* Resolve pending review item id.  accept: the upstream value goes into
 * the local document as a new version through vb_store_put_document (the
 * outbox and index follow; status and expiry are written as what the
 * source declares, and validity is recomputed), or for field
 * "status_computed" as a staff override (vb_store_status_override) with
 * the reason; reason may then be NULL.  reject: the local value stays;
 * reason is required.  Either way the item records status, reason and
 * time, and the same upstream value never reopens it (the unique key of
 * sync_reviews).  *out (may be NULL) gets the item as listed.
 * VB_ENOTFOUND, VB_EINVAL (bad reason; or the item is not pending: *out
 * is then set), VB_ETOOBIG, VB_EDB. */
int vb_store_sync_review_resolve(vb_store *st, int64_t id, int accept, const char *reason,
				 json_t **out, vb_error *err);

/* ==== end of sync ===================================================== */

#endif
