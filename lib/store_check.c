/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queries of `vanban check` and `vanban backup` / `restore` (part of
 * the store, contract in store.h): documents with their versions and
 * pending index jobs, the files the database refers to, the outbox lag, the
 * repair path (enqueueing index jobs), an exported snapshot for a
 * consistent pg_dump, and whether a database is empty.
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define ENQUEUE_MAX 100000 /* ids per statement */

static int db_error(vb_store *st, PGresult *res, const char *what, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];

	return vb_error_set(err, VB_EDB, "could not %s: %s", what,
			    store_pg_message(st->conn, res, m, sizeof(m)));
}

int vb_store_check_documents(vb_store *st, vb_check_doc **out, size_t *n, vb_error *err)
{
	PGresult *res;
	vb_check_doc *v = NULL;
	int rc = 0, rows, r;

	*out = NULL;
	*n = 0;
	res = store_q(st,
		      "SELECT d.id, d.version, coalesce(floor(extract(epoch FROM now() - o.first)), -1) "
		      "FROM documents d LEFT JOIN (SELECT document_id, min(enqueued_at) AS first "
		      "  FROM index_outbox GROUP BY document_id) o ON o.document_id = d.id "
		      /* workflow: a withdrawn document is not in the index, rightly */
		      "WHERE d.state = 'published' ORDER BY d.id",
		      0, NULL);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read documents", err);
		goto out;
	}
	rows = PQntuples(res);
	if (rows && !(v = calloc((size_t)rows, sizeof(*v)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (r = 0; r < rows; r++) {
		v[r].id = store_get_i64(res, r, 0);
		v[r].version = (int)store_get_i64(res, r, 1);
		v[r].job_age = store_get_i64(res, r, 2);
	}
	*out = v;
	*n = (size_t)rows;
out:
	PQclear(res);
	return rc;
}

int vb_store_check_document(vb_store *st, int64_t id, int *version, int64_t *job_age,
			    vb_error *err)
{
	char sid[32];
	const char *p[1] = { sid };
	PGresult *res;
	int rc = 0;

	*version = 0;
	*job_age = -1;
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	res = store_q(st,
		      "SELECT (SELECT version FROM documents WHERE id = $1::bigint"
		      " AND state = 'published'), " /* workflow: withdrawn = not indexed */
		      "coalesce(floor(extract(epoch FROM now() - (SELECT min(enqueued_at) "
		      "FROM index_outbox WHERE document_id = $1::bigint))), -1)",
		      1, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "read document", err);
		goto out;
	}
	*version = (int)store_get_i64(res, 0, 0);
	*job_age = store_get_i64(res, 0, 1);
out:
	PQclear(res);
	return rc;
}

int vb_store_check_files(vb_store *st, vb_check_file **out, size_t *n, vb_error *err)
{
	PGresult *res;
	vb_check_file *v = NULL;
	int rc = 0, rows, r;

	*out = NULL;
	*n = 0;
	/* COLLATE "C": byte order, the order the caller bsearches in. */
	res = store_q(st,
		      "WITH s AS (SELECT sha256, size FROM files "
		      " UNION SELECT sha256, max(size) FROM upload_files WHERE sha256 IS NOT NULL "
		      "   AND sha256 NOT IN (SELECT sha256 FROM files) GROUP BY sha256) "
		      "SELECT s.sha256, max(s.size), "
		      " (SELECT count(*) FROM document_files d WHERE d.sha256 = s.sha256), "
		      " (SELECT count(*) FROM upload_files u WHERE u.sha256 = s.sha256) "
		      "FROM s GROUP BY s.sha256 ORDER BY s.sha256 COLLATE \"C\"",
		      0, NULL);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read files", err);
		goto out;
	}
	rows = PQntuples(res);
	if (rows && !(v = calloc((size_t)rows, sizeof(*v)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (r = 0; r < rows; r++) {
		store_copy_fixed(v[r].sha256, sizeof(v[r].sha256), res, r, 0);
		v[r].size = store_get_i64(res, r, 1);
		v[r].documents = store_get_i64(res, r, 2);
		v[r].uploads = store_get_i64(res, r, 3);
	}
	*out = v;
	*n = (size_t)rows;
out:
	PQclear(res);
	return rc;
}

int vb_store_check_file_documents(vb_store *st, const char *sha256, int64_t *ids,
				  size_t max, size_t *n, vb_error *err)
{
	char lim[32];
	const char *p[2] = { sha256, lim };
	PGresult *res;
	int rc = 0, r;

	*n = 0;
	snprintf(lim, sizeof(lim), "%zu", max);
	res = store_q(st,
		      "SELECT DISTINCT document_id FROM document_files WHERE sha256 = $1 "
		      "ORDER BY 1 LIMIT $2::integer",
		      2, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read the documents of a file", err);
		goto out;
	}
	for (r = 0; r < PQntuples(res) && (size_t)r < max; r++)
		ids[r] = store_get_i64(res, r, 0);
	*n = (size_t)r;
out:
	PQclear(res);
	return rc;
}

int vb_store_check_outbox(vb_store *st, int64_t *pending, int64_t *oldest_s, vb_error *err)
{
	PGresult *res;
	int rc = 0;

	*pending = 0;
	*oldest_s = 0;
	res = store_q(st,
		      "SELECT count(*), coalesce(floor(extract(epoch FROM now() - min(enqueued_at))), 0) "
		      "FROM index_outbox",
		      0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "read index jobs", err);
		goto out;
	}
	*pending = store_get_i64(res, 0, 0);
	*oldest_s = store_get_i64(res, 0, 1);
out:
	PQclear(res);
	return rc;
}

int vb_store_outbox_enqueue(vb_store *st, const int64_t *ids, size_t n, vb_error *err)
{
	vb_buf b;
	const char *p[1];
	size_t i, k;
	int rc = 0;

	for (i = 0; i < n && !rc; i += k) {
		k = n - i < ENQUEUE_MAX ? n - i : ENQUEUE_MAX;
		vb_buf_init(&b, 24 * (size_t)ENQUEUE_MAX + 2);
		if (store_id_array(&b, ids + i, k)) {
			vb_buf_dispose(&b);
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		}
		p[0] = vb_buf_str(&b);
		rc = store_q_cmd(st,
				 "WITH j AS (INSERT INTO index_outbox (document_id, version) "
				 "SELECT x, (SELECT version FROM documents WHERE id = x) "
				 "FROM unnest($1::bigint[]) AS x RETURNING 1) "
				 "SELECT pg_notify('vanban_outbox', 'check') FROM (SELECT count(*) FROM j) c",
				 1, p, "enqueue index jobs", err);
		vb_buf_dispose(&b);
	}
	return rc;
}

int vb_store_snapshot_begin(vb_store *st, char *id, size_t idsz, vb_error *err)
{
	PGresult *res;
	int rc;

	id[0] = '\0';
	if ((rc = store_q_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
			      "begin a snapshot", err)))
		return rc;
	res = store_q(st, "SELECT pg_export_snapshot()", 0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "export a snapshot", err);
		PQclear(res);
		store_rollback(st);
		return rc;
	}
	store_copy_fixed(id, idsz, res, 0, 0);
	PQclear(res);
	return 0;
}

int vb_store_snapshot_end(vb_store *st, vb_error *err)
{
	return store_q_cmd(st, "COMMIT", 0, NULL, "end a snapshot", err);
}

int vb_store_is_empty(vb_store *st, int *empty, vb_error *err)
{
	int64_t n = 0;
	int rc;

	*empty = 0;
	rc = store_count_query(st,
			       "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace s "
			       "  ON s.oid = c.relnamespace WHERE s.nspname NOT IN "
			       "  ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_%') + "
			       "(SELECT count(*) FROM pg_proc p JOIN pg_namespace s "
			       "  ON s.oid = p.pronamespace WHERE s.nspname NOT IN "
			       "  ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_%')",
			       "database objects", &n, err);
	if (rc == 0)
		*empty = n == 0;
	return rc;
}
