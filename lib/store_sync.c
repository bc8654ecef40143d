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
		      " ON CONFLICT DO NOTHING",
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
