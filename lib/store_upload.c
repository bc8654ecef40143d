/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of staff uploads (contract in the "Staff uploads"
 * section of store.h, schema in sql/003_uploads.sql and 011_workflow.sql):
 * uploads and
 * their files, the duplicate look-ups (same file, same document, near text
 * by simhash) and the simhashes of documents.  Every statement is
 * parameterised; JSON values travel as one text parameter each and lists
 * are unpacked on the server with jsonb_array_elements.
 */
#include "store.h"
#include "store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"

#define DUP_LIMIT "20"
#define BACKFILL_MAX 10000

/* "could not WHAT: message" with the server's primary message; a check or
 * not-null violation (bad input) is VB_EINVAL, the rest VB_EDB. */
static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = state && (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) ? VB_EINVAL : VB_EDB;
	char buf[VB_ERROR_MSG_MAX];
	size_t n;

	if (!m || !*m)
		m = PQerrorMessage(st->conn);
	snprintf(buf, sizeof(buf), "%s", m && *m ? m : "unknown error");
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return vb_error_set(err, code, "could not %s: %s", what, buf);
}

/* A string member of o, or NULL (absent, null or not a string). */
static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A JSON member serialised (new string), "[]"/"{}" style default when
 * absent. */
static char *jdump(json_t *o, const char *key, const char *dflt)
{
	json_t *v = json_object_get(o, key);

	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup(dflt);
}

int vb_store_upload_insert(vb_store *st, json_t *rec, int64_t *id, vb_error *err)
{
	char *proposal = NULL, *warnings = NULL, *dups = NULL, *files = NULL;
	const char *p[11], *fp[2];
	PGresult *res = NULL;
	int rc = 0, in_tx = 0;

	*id = 0;
	proposal = jdump(rec, "proposal", "{}");
	warnings = jdump(rec, "warnings", "[]");
	dups = jdump(rec, "duplicates", "[]");
	files = jdump(rec, "files", "[]");
	if (!proposal || !warnings || !dups || !files) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	p[0] = jstr(rec, "text");
	p[1] = jstr(rec, "text_source") ? jstr(rec, "text_source") : "none";
	p[2] = jstr(rec, "simhash");
	p[3] = proposal;
	p[4] = warnings;
	p[5] = dups;
	p[6] = jstr(rec, "number_canonical");
	p[7] = jstr(rec, "issuer");
	p[8] = jstr(rec, "issue_date");
	p[9] = jstr(rec, "portal_id");
	p[10] = jstr(rec, "created_by");
	res = store_q(st, "BEGIN", 0, NULL);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "begin transaction", err);
		goto out;
	}
	in_tx = 1;
	PQclear(res);
	res = store_q(st, "INSERT INTO uploads (text, text_source, simhash, proposal, warnings, duplicates,"
		      " number_canonical, issuer, issue_date, portal_id, created_by)"
		      " VALUES ($1, $2, $3::bigint, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $9::date,"
		      " $10, $11::bigint) RETURNING id", 11, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "store upload", err);
		goto out;
	}
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	fp[0] = PQgetvalue(res, 0, 0);
	fp[1] = files;
	{
		PGresult *r2 = store_q(st, "INSERT INTO upload_files (upload_id, position, name, sha256, size,"
				       " media_type, text_length, pages, error)"
				       " SELECT $1::bigint, t.o, t.e->>'name', t.e->>'sha256',"
				       " coalesce((t.e->>'size')::bigint, 0),"
				       " coalesce(t.e->>'media_type', 'application/octet-stream'),"
				       " coalesce((t.e->>'text_length')::bigint, 0), (t.e->>'pages')::integer,"
				       " t.e->>'error'"
				       " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)", 2, fp);

		if (!store_res_ok(r2)) {
			rc = db_error(st, r2, "store upload files", err);
			PQclear(r2);
			goto out;
		}
		PQclear(r2);
	}
	PQclear(res);
	res = store_q(st, "COMMIT", 0, NULL);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "commit upload", err);
		goto out;
	}
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		store_rollback(st);
	if (rc)
		*id = 0;
	free(proposal);
	free(warnings);
	free(dups);
	free(files);
	return rc;
}

int vb_store_upload_get(vb_store *st, int64_t id, json_t **out, char **text, vb_error *err)
{
	char idbuf[32];
	const char *p[1];
	PGresult *res;
	json_error_t jerr;
	int rc = 0;

	*out = NULL;
	if (text)
		*text = NULL;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT json_build_object('id', u.id, 'status', u.status,"
		      " 'portal_id', u.portal_id, 'created_by', u.created_by, 'reason', u.reason,"
		      " 'submitted_at', to_char(u.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " 'text_source', u.text_source, 'text_length', coalesce(char_length(u.text), 0),"
		      " 'proposal', u.proposal, 'warnings', u.warnings, 'duplicates', u.duplicates,"
		      " 'document_id', u.document_id, 'linked', u.linked,"
		      " 'created_at', to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " 'updated_at', to_char(u.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " 'files', (SELECT coalesce(json_agg(json_build_object('name', f.name,"
		      "   'sha256', f.sha256, 'size', f.size, 'media_type', f.media_type,"
		      "   'text_length', f.text_length, 'pages', f.pages, 'error', f.error)"
		      "   ORDER BY f.position), '[]') FROM upload_files f WHERE f.upload_id = u.id))::text,"
		      " u.text FROM uploads u WHERE u.id = $1::bigint", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read upload", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "upload %lld does not exist", (long long)id);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr))) {
		rc = vb_error_set(err, VB_EDB, "could not read upload %lld: %s", (long long)id, jerr.text);
		goto out;
	}
	if (text && !PQgetisnull(res, 0, 1) && !(*text = strdup(PQgetvalue(res, 0, 1)))) {
		json_decref(*out);
		*out = NULL;
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	}
out:
	PQclear(res);
	return rc;
}

int vb_store_upload_list(vb_store *st, const char *const *portals, size_t n_portals, int all,
			 size_t max, json_t **out, vb_error *err)
{
	char lim[32];
	const char *p[3];
	PGresult *res = NULL;
	json_t *pa = NULL;
	char *pj = NULL;
	json_error_t jerr;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!(pa = json_array())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n_portals; i++)
		json_array_append_new(pa, json_string(portals[i]));
	if (!(pj = json_dumps(pa, JSON_COMPACT))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(lim, sizeof(lim), "%zu", max > VB_LOOKUP_MAX ? (size_t)VB_LOOKUP_MAX : max);
	p[0] = lim;
	p[1] = pj;
	p[2] = all ? "t" : "f";
	/* open uploads (draft, submitted) first, newest first */
	res = store_q(st, "SELECT coalesce(json_agg(x ORDER BY x.open DESC, x.id DESC), '[]')::text FROM"
		      " (SELECT u.id, u.status, u.portal_id, u.status IN ('draft', 'submitted') AS open,"
		      "  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
		      "  u.proposal->'number'->>'value' AS number,"
		      "  u.proposal->'abstract'->>'value' AS abstract,"
		      "  (SELECT count(*) FROM upload_files f WHERE f.upload_id = u.id) AS files,"
		      "  jsonb_array_length(u.duplicates) AS duplicates, u.document_id"
		      "  FROM uploads u WHERE $3::boolean"
		      "  OR u.portal_id IN (SELECT jsonb_array_elements_text($2::jsonb))"
		      "  ORDER BY u.status IN ('draft', 'submitted') DESC, u.id DESC LIMIT $1::integer) x",
		      3, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "list uploads", err);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)))
		rc = vb_error_set(err, VB_EDB, "could not list uploads: %s", jerr.text);
out:
	PQclear(res);
	json_decref(pa);
	free(pj);
	return rc;
}

int vb_store_upload_finish(vb_store *st, int64_t id, const char *status,
			   int64_t document_id, int linked, vb_error *err)
{
	char idbuf[32], docbuf[32];
	const char *p[4];
	PGresult *res;
	int rc = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	snprintf(docbuf, sizeof(docbuf), "%lld", (long long)document_id);
	p[0] = idbuf;
	p[1] = status;
	p[2] = document_id > 0 ? docbuf : NULL;
	p[3] = linked ? "t" : "f";
	/* A document published from an upload (not linked to an existing
	 * one) belongs to the upload's portal: in the same statement. */
	res = store_q(st, "WITH u AS (UPDATE uploads SET status = $2, document_id = $3::bigint,"
		      " linked = $4::boolean, updated_at = now()"
		      " WHERE id = $1::bigint AND status IN ('draft', 'submitted') RETURNING id, portal_id),"
		      " d AS (UPDATE documents SET portal_id = (SELECT portal_id FROM u)"
		      " WHERE id = $3::bigint AND $2 = 'published' AND NOT $4::boolean"
		      " AND portal_id IS NULL AND (SELECT portal_id FROM u) IS NOT NULL RETURNING id)"
		      " SELECT (SELECT count(*) FROM u), (SELECT status FROM uploads WHERE id = $1::bigint),"
		      " (SELECT count(*) FROM d)",
		      4, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "update upload", err);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "1")) {
		if (PQgetisnull(res, 0, 1))
			rc = vb_error_set(err, VB_ENOTFOUND, "upload %lld does not exist", (long long)id);
		else
			rc = vb_error_set(err, VB_EINVAL, "upload %lld is already %s", (long long)id,
					  PQgetvalue(res, 0, 1));
	}
out:
	PQclear(res);
	return rc;
}

/* "{a,b}": a text[] parameter of SHA-256 hex digests (nothing to quote). */
static int sha_array(vb_buf *b, const char *const *v, size_t n)
{
	size_t i, k;
	int rc = vb_buf_putc(b, '{');

	for (i = 0, k = 0; !rc && i < n; i++) {
		if (!v[i] || strlen(v[i]) != 64 || strspn(v[i], "0123456789abcdef") != 64)
			continue;
		rc = vb_buf_printf(b, "%s%s", k++ ? "," : "", v[i]);
	}
	return rc ? rc : vb_buf_putc(b, '}');
}

int vb_store_upload_duplicates(vb_store *st, const vb_upload_probe *pr, json_t **out,
			       vb_error *err)
{
	char excl[32], hash[32], dist[16];
	const char *p[7];
	PGresult *res = NULL;
	json_t *a = NULL, *o;
	vb_buf shas;
	int rc = 0, r;

	*out = NULL;
	vb_buf_init(&shas, 70 * 64 + 16);
	if ((rc = sha_array(&shas, pr->sha256s, pr->n_sha256s))) {
		rc = vb_error_set(err, rc, "too many files to compare");
		goto out;
	}
	snprintf(excl, sizeof(excl), "%lld", (long long)pr->exclude_upload);
	snprintf(hash, sizeof(hash), "%" PRId64, (int64_t)pr->simhash);
	snprintf(dist, sizeof(dist), "%d", pr->max_distance);
	p[0] = vb_buf_str(&shas);
	p[1] = excl;
	p[2] = pr->number_canonical && *pr->number_canonical ? pr->number_canonical : NULL;
	p[3] = pr->issue_date && *pr->issue_date ? pr->issue_date : NULL;
	p[4] = pr->issuer && *pr->issuer ? pr->issuer : NULL;
	p[5] = pr->has_simhash ? hash : NULL;
	p[6] = dist;
	res = store_q(st,
		      "(SELECT DISTINCT 'file'::text AS kind, df.document_id, NULL::bigint AS upload_id,"
		      "  df.sha256, NULL::integer AS distance"
		      "  FROM document_files df WHERE df.sha256 = ANY($1::text[])"
		      "  ORDER BY 2 LIMIT " DUP_LIMIT ")"
		      " UNION ALL"
		      " (SELECT DISTINCT 'file'::text, NULL::bigint, uf.upload_id, uf.sha256, NULL::integer"
		      "  FROM upload_files uf JOIN uploads u ON u.id = uf.upload_id"
		      "  WHERE u.status IN ('draft', 'submitted') AND u.id <> $2::bigint AND uf.sha256 = ANY($1::text[])"
		      "  ORDER BY 3 LIMIT " DUP_LIMIT ")"
		      " UNION ALL"
		      " (SELECT 'document'::text, d.id, NULL::bigint, NULL::text, NULL::integer FROM documents d"
		      "  WHERE $3::text IS NOT NULL AND $4::date IS NOT NULL"
		      "  AND d.number_canonical = $3::text AND d.issue_date = $4::date"
		      "  AND ($5::text IS NULL OR d.issuer IS NULL OR vb_fold_words(d.issuer) = vb_fold_words($5::text))"
		      "  ORDER BY d.id LIMIT " DUP_LIMIT ")"
		      " UNION ALL"
		      " (SELECT 'document'::text, NULL::bigint, u.id, NULL::text, NULL::integer FROM uploads u"
		      "  WHERE $3::text IS NOT NULL AND $4::date IS NOT NULL AND u.status = 'pending'"
		      "  AND u.id <> $2::bigint AND u.number_canonical = $3::text AND u.issue_date = $4::date"
		      "  AND ($5::text IS NULL OR u.issuer IS NULL OR vb_fold_words(u.issuer) = vb_fold_words($5::text))"
		      "  ORDER BY u.id LIMIT " DUP_LIMIT ")"
		      " UNION ALL"
		      " (SELECT 'text'::text, s.document_id, NULL::bigint, NULL::text,"
		      "  bit_count((s.simhash # $6::bigint)::bit(64))::integer AS dd FROM document_simhash s"
		      "  WHERE $6::bigint IS NOT NULL AND s.simhash IS NOT NULL"
		      "  AND bit_count((s.simhash # $6::bigint)::bit(64)) <= $7::integer"
		      "  ORDER BY dd, s.document_id LIMIT " DUP_LIMIT ")"
		      " UNION ALL"
		      " (SELECT 'text'::text, NULL::bigint, u.id, NULL::text,"
		      "  bit_count((u.simhash # $6::bigint)::bit(64))::integer AS dd FROM uploads u"
		      "  WHERE $6::bigint IS NOT NULL AND u.simhash IS NOT NULL AND u.status = 'pending'"
		      "  AND u.id <> $2::bigint AND bit_count((u.simhash # $6::bigint)::bit(64)) <= $7::integer"
		      "  ORDER BY dd, u.id LIMIT " DUP_LIMIT ")", 7, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "look for duplicates", err);
		goto out;
	}
	if (!(a = json_array())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		if (!(o = json_object()) || json_array_append_new(a, o)) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		json_object_set_new(o, "kind", json_string(PQgetvalue(res, r, 0)));
		if (!PQgetisnull(res, r, 1))
			json_object_set_new(o, "document_id",
					    json_integer(strtoll(PQgetvalue(res, r, 1), NULL, 10)));
		if (!PQgetisnull(res, r, 2))
			json_object_set_new(o, "upload_id",
					    json_integer(strtoll(PQgetvalue(res, r, 2), NULL, 10)));
		if (!PQgetisnull(res, r, 3))
			json_object_set_new(o, "sha256", json_string(PQgetvalue(res, r, 3)));
		if (!PQgetisnull(res, r, 4)) {
			int d = atoi(PQgetvalue(res, r, 4));

			json_object_set_new(o, "distance", json_integer(d));
			json_object_set_new(o, "similarity", json_real(1.0 - d / 64.0));
		}
	}
	*out = a;
	a = NULL;
out:
	json_decref(a);
	PQclear(res);
	vb_buf_dispose(&shas);
	return rc;
}

int vb_store_document_simhash_set(vb_store *st, int64_t document_id, int has_simhash,
				  uint64_t simhash, vb_error *err)
{
	char idbuf[32], hash[32];
	const char *p[2];
	PGresult *res;
	int rc = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)document_id);
	snprintf(hash, sizeof(hash), "%" PRId64, (int64_t)simhash);
	p[0] = idbuf;
	p[1] = has_simhash ? hash : NULL;
	res = store_q(st, "INSERT INTO document_simhash (document_id, simhash) VALUES ($1::bigint, $2::bigint)"
		      " ON CONFLICT (document_id) DO UPDATE SET simhash = excluded.simhash", 2, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "store document simhash", err);
	PQclear(res);
	return rc;
}

int vb_store_simhash_backfill(vb_store *st, size_t max,
			      int (*hash)(const char *text, uint64_t *out),
			      size_t *done, vb_error *err)
{
	char lim[32];
	const char *p[1];
	PGresult *res;
	int rc = 0, r;

	*done = 0;
	if (!max)
		return 0;
	snprintf(lim, sizeof(lim), "%zu", max > BACKFILL_MAX ? (size_t)BACKFILL_MAX : max);
	p[0] = lim;
	res = store_q(st, "SELECT d.id, coalesce(d.body, '') FROM documents d"
		      " WHERE NOT EXISTS (SELECT 1 FROM document_simhash s WHERE s.document_id = d.id)"
		      " ORDER BY d.id LIMIT $1::integer", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read documents without a simhash", err);
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		uint64_t h = 0;
		int has = hash(PQgetvalue(res, r, 1), &h);

		if ((rc = vb_store_document_simhash_set(st, strtoll(PQgetvalue(res, r, 0), NULL, 10),
							has, h, err)))
			goto out;
		(*done)++;
	}
out:
	PQclear(res);
	return rc;
}
