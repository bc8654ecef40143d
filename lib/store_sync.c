/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store part of the upstream sync (contract in store.h, schema in
 * sql/004_sync.sql): runs and their counts, the checkpoint per source,
 * what each upstream record became (sync_items, with its provenance), the
 * review list of disagreements, a lock per source and the match of an
 * upstream record with a local document of another source.  The status
 * report is built as JSON by PostgreSQL (json_build_object) and parsed
 * once here.
 */
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static int q_fail(vb_store *st, PGresult *res, const char *what, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];

	vb_error_set(err, VB_EDB, "could not %s: %s", what,
		     store_pg_message(st->conn, res, m, sizeof(m)));
	PQclear(res);
	return VB_EDB;
}

int vb_store_sync_lock(vb_store *st, const char *source, int *taken, vb_error *err)
{
	const char *p[1] = { source };
	PGresult *res = store_q(st, "SELECT pg_try_advisory_lock(hashtext('vanban_sync:' || $1))",
				1, p);

	if (!store_res_ok(res))
		return q_fail(st, res, "take the sync lock", err);
	*taken = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return 0;
}

int vb_store_sync_unlock(vb_store *st, const char *source, vb_error *err)
{
	const char *p[1] = { source };

	return store_q_cmd(st, "SELECT pg_advisory_unlock(hashtext('vanban_sync:' || $1))", 1, p,
			   "release the sync lock", err);
}

int vb_store_sync_run_start(vb_store *st, const char *source, const char *origin,
			    int64_t *run_id, vb_error *err)
{
	const char *p[2] = { source, origin };
	PGresult *res;
	int rc;

	/* The caller holds the source's lock: a run still 'running' was
	 * killed. */
	if ((rc = store_q_cmd(st,
			      "UPDATE sync_runs SET status = 'interrupted', finished_at = now()"
			      " WHERE source = $1 AND status = 'running'",
			      1, p, "close interrupted sync runs", err)))
		return rc;
	res = store_q(st, "INSERT INTO sync_runs (source, origin) VALUES ($1, $2) RETURNING id", 2,
		      p);
	if (!store_res_ok(res))
		return q_fail(st, res, "record a sync run", err);
	*run_id = store_get_i64(res, 0, 0);
	PQclear(res);
	return 0;
}

int vb_store_sync_run_update(vb_store *st, int64_t run_id, const char *status,
			     const vb_sync_counts *c, const char *message, vb_error *err)
{
	char id[24], n[6][16];
	const char *p[9];

	snprintf(id, sizeof(id), "%lld", (long long)run_id);
	snprintf(n[0], 16, "%d", c->inserted);
	snprintf(n[1], 16, "%d", c->changed);
	snprintf(n[2], 16, "%d", c->unchanged);
	snprintf(n[3], 16, "%d", c->linked);
	snprintf(n[4], 16, "%d", c->failed);
	snprintf(n[5], 16, "%d", c->conflicts);
	p[0] = id;
	p[1] = status;
	p[2] = n[0];
	p[3] = n[1];
	p[4] = n[2];
	p[5] = n[3];
	p[6] = n[4];
	p[7] = n[5];
	p[8] = message;
	return store_q_cmd(st,
			   "UPDATE sync_runs SET status = $2, new = $3, changed = $4, unchanged = $5,"
			   " linked = $6, failed = $7, conflicts = $8,"
			   " message = coalesce(message, $9),"
			   " finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END"
			   " WHERE id = $1",
			   9, p, "update a sync run", err);
}

int vb_store_sync_checkpoint_get(vb_store *st, const char *source, char date[11], vb_error *err)
{
	const char *p[1] = { source };
	PGresult *res = store_q(st,
				"SELECT to_char(checkpoint_date, 'YYYY-MM-DD') FROM sync_checkpoints"
				" WHERE source = $1",
				1, p);

	date[0] = '\0';
	if (!store_res_ok(res))
		return q_fail(st, res, "read the sync checkpoint", err);
	if (PQntuples(res) && !PQgetisnull(res, 0, 0))
		store_copy_fixed(date, 11, res, 0, 0);
	PQclear(res);
	return 0;
}

int vb_store_sync_checkpoint_set(vb_store *st, const char *source, const char *date,
				 int64_t run_id, vb_error *err)
{
	char id[24];
	const char *p[3] = { source, date && *date ? date : NULL, id };

	snprintf(id, sizeof(id), "%lld", (long long)run_id);
	return store_q_cmd(st,
			   "INSERT INTO sync_checkpoints (source, checkpoint_date, run_id)"
			   " VALUES ($1, $2, $3) ON CONFLICT (source) DO UPDATE SET"
			   " checkpoint_date = greatest(sync_checkpoints.checkpoint_date,"
			   " excluded.checkpoint_date), run_id = excluded.run_id, updated_at = now()",
			   3, p, "store the sync checkpoint", err);
}

int vb_store_sync_item_get(vb_store *st, const char *source, const char *source_id,
			   vb_sync_item *out, vb_error *err)
{
	const char *p[2] = { source, source_id };
	PGresult *res = store_q(st,
				"SELECT document_id, linked, record_hash FROM sync_items"
				" WHERE source = $1 AND source_id = $2",
				2, p);

	memset(out, 0, sizeof(*out));
	if (!store_res_ok(res))
		return q_fail(st, res, "read a sync item", err);
	if (!PQntuples(res)) {
		PQclear(res);
		return VB_ENOTFOUND;
	}
	out->document_id = store_get_i64(res, 0, 0);
	out->linked = !strcmp(PQgetvalue(res, 0, 1), "t");
	store_copy_fixed(out->record_hash, sizeof(out->record_hash), res, 0, 2);
	PQclear(res);
	return 0;
}

int vb_store_sync_item_put(vb_store *st, const char *source, const char *source_id,
			   int64_t document_id, int linked, const json_t *record,
			   const char *record_hash, int64_t run_id, vb_error *err)
{
	char did[24], rid[24];
	char *js = record ? json_dumps(record, JSON_COMPACT) : NULL;
	const char *p[7] = { source, source_id, document_id ? did : NULL, linked ? "t" : "f", js,
			     record_hash, rid };
	int rc;

	snprintf(did, sizeof(did), "%lld", (long long)document_id);
	snprintf(rid, sizeof(rid), "%lld", (long long)run_id);
	rc = store_q_cmd(st,
			 "INSERT INTO sync_items (source, source_id, document_id, linked, record,"
			 " record_hash, last_run) VALUES ($1, $2, $3, $4, $5, $6, $7)"
			 " ON CONFLICT (source, source_id) DO UPDATE SET document_id = excluded.document_id,"
			 " linked = excluded.linked, record = excluded.record,"
			 " record_hash = excluded.record_hash, last_run = excluded.last_run,"
			 " last_error = NULL, updated_at = now()",
			 7, p, "record a sync item", err);
	free(js);
	return rc;
}

int vb_store_sync_item_failed(vb_store *st, const char *source, const char *source_id,
			      const char *message, int64_t run_id, vb_error *err)
{
	char rid[24];
	const char *p[4] = { source, source_id, message, rid };

	snprintf(rid, sizeof(rid), "%lld", (long long)run_id);
	return store_q_cmd(st,
			   "INSERT INTO sync_items (source, source_id, last_error, last_run)"
			   " VALUES ($1, $2, $3, $4) ON CONFLICT (source, source_id) DO UPDATE SET"
			   " last_error = excluded.last_error, last_run = excluded.last_run,"
			   " updated_at = now()",
			   4, p, "record a failed sync item", err);
}

int vb_store_sync_document_id(vb_store *st, const char *source, const char *source_id,
			      int64_t *id, vb_error *err)
{
	const char *p[2] = { source, source_id };
	PGresult *res = store_q(st, "SELECT id FROM documents WHERE source = $1 AND source_id = $2",
				2, p);

	*id = 0;
	if (!store_res_ok(res))
		return q_fail(st, res, "look up a document", err);
	if (PQntuples(res))
		*id = store_get_i64(res, 0, 0);
	PQclear(res);
	return *id ? 0 : VB_ENOTFOUND;
}

int vb_store_sync_match(vb_store *st, const char *source, const char *number_canonical,
			const char *issuer, const char *issue_date, int64_t *id, vb_error *err)
{
	const char *p[4] = { number_canonical, source, issue_date && *issue_date ? issue_date : NULL,
			     issuer };
	PGresult *res;

	*id = 0;
	if (!number_canonical || !*number_canonical)
		return VB_ENOTFOUND;
	/* Same number key and date; the same issuer after folding when both
	 * are known.  Oldest first: the original local document. */
	res = store_q(st,
		      "SELECT id FROM documents WHERE number_canonical = $1 AND source <> $2"
		      " AND issue_date IS NOT DISTINCT FROM $3::date"
		      " AND (issuer IS NULL OR $4::text IS NULL"
		      "      OR vb_fold_words(issuer) = vb_fold_words($4::text))"
		      " ORDER BY id LIMIT 1",
		      4, p);
	if (!store_res_ok(res))
		return q_fail(st, res, "match an upstream record", err);
	if (PQntuples(res))
		*id = store_get_i64(res, 0, 0);
	PQclear(res);
	return *id ? 0 : VB_ENOTFOUND;
}

int vb_store_sync_review_add(vb_store *st, int64_t document_id, const char *source,
			     const char *source_id, const char *field, const char *local_value,
			     const char *upstream_value, const char *upstream_url, int64_t run_id,
			     int *added, vb_error *err)
{
	char did[24], rid[24];
	const char *p[8] = { did, source, source_id, field, local_value, upstream_value,
			     upstream_url, rid };
	PGresult *res;

	snprintf(did, sizeof(did), "%lld", (long long)document_id);
	snprintf(rid, sizeof(rid), "%lld", (long long)run_id);
	res = store_q(st,
		      "INSERT INTO sync_reviews (document_id, source, source_id, field, local_value,"
		      " upstream_value, upstream_url, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		      /* a resolved item stays resolved while upstream says the same;
		       * when upstream said something else since (a newer item of the
		       * field) and now says this again, it is open again */
		      " ON CONFLICT (document_id, source, source_id, field, coalesce(upstream_value, ''))"
		      " DO UPDATE SET status = 'pending', reason = NULL, resolved_at = NULL,"
		      " local_value = excluded.local_value, upstream_url = excluded.upstream_url,"
		      " run_id = excluded.run_id, created_at = now()"
		      " WHERE sync_reviews.status <> 'pending' AND EXISTS (SELECT 1 FROM sync_reviews n"
		      "  WHERE n.document_id = sync_reviews.document_id AND n.source = sync_reviews.source"
		      "  AND n.source_id = sync_reviews.source_id AND n.field = sync_reviews.field"
		      "  AND n.id > sync_reviews.id)",
		      8, p);
	if (!store_res_ok(res))
		return q_fail(st, res, "add to the review list", err);
	if (added)
		*added = atoi(PQcmdTuples(res)) > 0;
	PQclear(res);
	return 0;
}

int vb_store_sync_status(vb_store *st, const char *source, size_t max_runs, json_t **out,
			 vb_error *err)
{
	char lim[24];
	const char *p[2] = { source && *source ? source : NULL, lim };
	json_error_t je;
	PGresult *res;

	*out = NULL;
	if (max_runs < 1 || max_runs > VB_LOOKUP_MAX)
		return vb_error_set(err, VB_EINVAL, "max_runs must be 1-%d", VB_LOOKUP_MAX);
	snprintf(lim, sizeof(lim), "%zu", max_runs);
	res = store_q(st,
		      "WITH src AS (SELECT DISTINCT source FROM sync_runs"
		      "  WHERE $1::text IS NULL OR source = $1"
		      "  UNION SELECT $1::text WHERE $1::text IS NOT NULL)"
		      " SELECT json_build_object("
		      "  'sources', coalesce((SELECT json_agg(json_build_object("
		      "   'source', s.source,"
		      "   'checkpoint', (SELECT to_char(checkpoint_date, 'YYYY-MM-DD') FROM sync_checkpoints c"
		      "                  WHERE c.source = s.source),"
		      "   'items', (SELECT count(*) FROM sync_items i WHERE i.source = s.source),"
		      "   'items_failing', (SELECT count(*) FROM sync_items i WHERE i.source = s.source"
		      "                     AND i.last_error IS NOT NULL),"
		      "   'linked', (SELECT count(*) FROM sync_items i WHERE i.source = s.source AND i.linked),"
		      "   'runs', coalesce((SELECT json_agg(r ORDER BY r.id DESC) FROM ("
		      "      SELECT id, status, origin, " TS("started_at") " AS started_at, "
		      TS("finished_at") " AS finished_at, new, changed, unchanged, linked, failed,"
		      "      conflicts, message FROM sync_runs WHERE source = s.source"
		      "      ORDER BY id DESC LIMIT $2::int) r), '[]'::json)"
		      "  ) ORDER BY s.source) FROM src s), '[]'::json),"
		      "  'conflicts_pending', (SELECT count(*) FROM sync_reviews"
		      "     WHERE status = 'pending' AND ($1::text IS NULL OR source = $1)),"
		      "  'reviews', coalesce((SELECT json_agg(v ORDER BY v.id) FROM ("
		      "     SELECT id, document_id, source, source_id, field, local_value, upstream_value,"
		      "     upstream_url, status, " TS("created_at") " AS created_at FROM sync_reviews"
		      "     WHERE status = 'pending' AND ($1::text IS NULL OR source = $1)"
		      "     ORDER BY id LIMIT 100) v), '[]'::json))",
		      2, p);
	if (!store_res_ok(res))
		return q_fail(st, res, "read the sync status", err);
	*out = json_loads(PQgetvalue(res, 0, 0), 0, &je);
	PQclear(res);
	if (!*out)
		return vb_error_set(err, VB_EDB, "could not read the sync status: %s", je.text);
	return 0;
}

int vb_store_sync_validity(vb_store *st, int64_t id, vb_sync_validity *out, vb_error *err)
{
	char did[24];
	const char *p[1] = { did };
	PGresult *res;

	memset(out, 0, sizeof(*out));
	snprintf(did, sizeof(did), "%lld", (long long)id);
	res = store_q(st,
		      "SELECT coalesce(v.status_declared, d.status),"
		      " coalesce(to_char(CASE WHEN v.document_id IS NULL THEN d.expiry_date"
		      "  ELSE v.expiry_declared END, 'YYYY-MM-DD'), ''),"
		      " d.status, o.document_id IS NOT NULL"
		      " FROM documents d LEFT JOIN document_validity v ON v.document_id = d.id"
		      " LEFT JOIN status_overrides o ON o.document_id = d.id WHERE d.id = $1::bigint",
		      1, p);
	if (!store_res_ok(res))
		return q_fail(st, res, "read the validity of a document", err);
	if (!PQntuples(res)) {
		PQclear(res);
		return vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
	}
	store_copy_fixed(out->declared, sizeof(out->declared), res, 0, 0);
	store_copy_fixed(out->declared_expiry, sizeof(out->declared_expiry), res, 0, 1);
	store_copy_fixed(out->computed, sizeof(out->computed), res, 0, 2);
	out->overridden = !strcmp(PQgetvalue(res, 0, 3), "t");
	PQclear(res);
	return 0;
}

/* One review item as JSON, or the list (WHERE and LIMIT appended). */
#define REVIEW_JSON                                                                      \
	"json_build_object('id', r.id, 'document_id', r.document_id, 'number', d.number,"    \
	" 'source', r.source, 'source_id', r.source_id, 'field', r.field,"                 \
	" 'local_value', r.local_value, 'upstream_value', r.upstream_value,"               \
	" 'upstream_url', r.upstream_url, 'status', r.status, 'reason', r.reason,"         \
	" 'created_at', " TS("r.created_at") ", 'resolved_at', " TS("r.resolved_at") ")"

int vb_store_sync_reviews(vb_store *st, const char *status, const char *source, size_t max,
			  json_t **out, vb_error *err)
{
	char lim[24];
	const char *p[3] = { status && *status ? status : NULL, source && *source ? source : NULL,
			     lim };
	json_error_t je;
	PGresult *res;

	*out = NULL;
	if (max < 1 || max > VB_LOOKUP_MAX)
		return vb_error_set(err, VB_EINVAL, "the number of review items must be 1-%d",
				    VB_LOOKUP_MAX);
	if (p[0] && strcmp(p[0], "pending") && strcmp(p[0], "accepted") && strcmp(p[0], "rejected"))
		return vb_error_set(err, VB_EINVAL,
				    "status must be pending, accepted or rejected");
	snprintf(lim, sizeof(lim), "%zu", max);
	res = store_q(st,
		      "WITH sel AS (SELECT * FROM sync_reviews"
		      "  WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR source = $2))"
		      " SELECT json_build_object('total', (SELECT count(*) FROM sel),"
		      "  'reviews', coalesce((SELECT json_agg(j ORDER BY id) FROM (SELECT r.id, "
		      REVIEW_JSON " j FROM sel r JOIN documents d ON d.id = r.document_id"
		      "  ORDER BY r.id LIMIT $3::int) x), '[]'::json))",
		      3, p);
	if (!store_res_ok(res))
		return q_fail(st, res, "read the review list", err);
	*out = json_loads(PQgetvalue(res, 0, 0), 0, &je);
	PQclear(res);
	if (!*out)
		return vb_error_set(err, VB_EDB, "could not read the review list: %s", je.text);
	return 0;
}

static int review_json(vb_store *st, const char *id, json_t **out, vb_error *err)
{
	const char *p[1] = { id };
	json_error_t je;
	PGresult *res = store_q(st, "SELECT " REVIEW_JSON " FROM sync_reviews r"
				" JOIN documents d ON d.id = r.document_id WHERE r.id = $1::bigint",
				1, p);

	*out = NULL;
	if (!store_res_ok(res))
		return q_fail(st, res, "read a review item", err);
	if (!PQntuples(res)) {
		PQclear(res);
		return vb_error_set(err, VB_ENOTFOUND, "review item %s does not exist", id);
	}
	*out = json_loads(PQgetvalue(res, 0, 0), 0, &je);
	PQclear(res);
	if (!*out)
		return vb_error_set(err, VB_EDB, "could not read a review item: %s", je.text);
	return 0;
}

/* Valid UTF-8 without control characters other than tab and newline. */
static int reason_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t n, i;
		uint32_t cp;

		if (*u < 0x80) {
			if ((*u < 0x20 && *u != '\t' && *u != '\n') || *u == 0x7f)
				return 0;
			u++;
			continue;
		}
		if ((*u & 0xe0) == 0xc0)
			n = 1, cp = *u & 0x1f;
		else if ((*u & 0xf0) == 0xe0)
			n = 2, cp = *u & 0x0f;
		else if ((*u & 0xf8) == 0xf0)
			n = 3, cp = *u & 0x07;
		else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (u[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		u += n + 1;
	}
	return 1;
}

/* The upstream value of a review item into the local document as a new
 * version (fields of sync.c's reconcile). */
static int accept_value(vb_store *st, int64_t doc_id, const char *field, const char *value,
			vb_error *err)
{
	vb_document doc;
	vb_sync_validity v;
	enum vb_put_result res;
	char *slot_date = NULL;
	int rc;

	vb_document_init(&doc);
	if ((rc = vb_store_sync_validity(st, doc_id, &v, err)) ||
	    (rc = vb_store_get_document(st, doc_id, 1, &doc, err)))
		goto out;
	/* what the source declares, not what was computed from it */
	if (vb_strset(&doc.status, v.declared)) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(doc.expiry_date, sizeof(doc.expiry_date), "%s", v.declared_expiry);
	if (!strcmp(field, "issue_date"))
		slot_date = doc.issue_date;
	else if (!strcmp(field, "effective_date"))
		slot_date = doc.effective_date;
	else if (!strcmp(field, "expiry_date"))
		slot_date = doc.expiry_date;
	if (slot_date) {
		if (value && strlen(value) >= VB_DATE_LEN) {
			rc = vb_error_set(err, VB_EINVAL, "invalid upstream %s \"%.40s\"", field, value);
			goto out;
		}
		snprintf(slot_date, VB_DATE_LEN, "%s", value ? value : "");
	} else if (!strcmp(field, "abstract") || !strcmp(field, "status")) {
		if (vb_strset(field[0] == 'a' ? &doc.abstract : &doc.status,
			      value && *value ? value : (field[0] == 'a' ? NULL : VB_STATUS_UNKNOWN))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
	} else {
		rc = vb_error_set(err, VB_EINVAL, "review field \"%.40s\" cannot be accepted", field);
		goto out;
	}
	rc = vb_store_put_document(st, &doc, &res, err);
out:
	vb_document_dispose(&doc);
	return rc;
}

int vb_store_sync_review_resolve(vb_store *st, int64_t id, int accept, const char *reason,
				 json_t **out, vb_error *err)
{
	char rid[24], why[VB_SYNC_REASON_MAX + 200];
	const char *p[3];
	json_t *item = NULL;
	const char *field, *value, *status;
	PGresult *res;
	int rc;

	if (out)
		*out = NULL;
	if (reason && !*reason)
		reason = NULL;
	if (!accept && !reason)
		return vb_error_set(err, VB_EINVAL, "rejecting a review item needs a reason");
	if (reason && strlen(reason) > VB_SYNC_REASON_MAX)
		return vb_error_set(err, VB_ETOOBIG, "reason is too long (at most %d bytes)",
				    VB_SYNC_REASON_MAX);
	if (reason && !reason_ok(reason))
		return vb_error_set(err, VB_EINVAL,
				    "reason must be UTF-8 text without control characters");
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	if ((rc = review_json(st, rid, &item, err)))
		return rc;
	status = json_string_value(json_object_get(item, "status"));
	field = json_string_value(json_object_get(item, "field"));
	value = json_string_value(json_object_get(item, "upstream_value"));
	if (!status || strcmp(status, "pending")) {
		rc = vb_error_set(err, VB_EINVAL, "review item %lld is already %s", (long long)id,
				  status ? status : "resolved");
		if (out) {
			*out = item;
			item = NULL;
		}
		goto out;
	}
	if (accept) {
		int64_t doc_id = (int64_t)json_integer_value(json_object_get(item, "document_id"));

		if (field && !strcmp(field, "status_computed")) {
			snprintf(why, sizeof(why), "%s %s (review %lld)%s%s",
				 json_string_value(json_object_get(item, "source")),
				 json_string_value(json_object_get(item, "source_id")), (long long)id,
				 reason ? ": " : "", reason ? reason : "");
			rc = vb_store_status_override(st, doc_id, value, why, err);
		} else {
			rc = accept_value(st, doc_id, field ? field : "", value, err);
		}
		if (rc) {
			vb_error_prefix(err, "review item %lld", (long long)id);
			goto out;
		}
	}
	p[0] = rid;
	p[1] = accept ? "accepted" : "rejected";
	p[2] = reason;
	res = store_q(st,
		      "UPDATE sync_reviews SET status = $2, reason = $3, resolved_at = now()"
		      " WHERE id = $1::bigint AND status = 'pending'",
		      3, p);
	if (!store_res_ok(res)) {
		rc = q_fail(st, res, "resolve a review item", err);
		goto out;
	}
	if (atoi(PQcmdTuples(res)) != 1) {
		PQclear(res);
		rc = vb_error_set(err, VB_EINVAL, "review item %lld was resolved meanwhile",
				  (long long)id);
		if (out)
			review_json(st, rid, out, NULL);
		goto out;
	}
	PQclear(res);
	if (out)
		rc = review_json(st, rid, out, err);
out:
	json_decref(item);
	return rc;
}
