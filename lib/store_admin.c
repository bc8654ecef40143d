/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin UI's reads (contract in store_admin.h): the review queue of
 * uploads filtered by the portals a member of staff holds a role in, the
 * portal and files of one upload, the workflow state of a document.  Every
 * statement is parameterised; the portal list travels as one JSON text
 * parameter unpacked on the server.
 */
#include "store_admin.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	char buf[VB_ERROR_MSG_MAX];

	return vb_error_set(err, VB_EDB, "could not %s: %s", what,
			    store_pg_message(st->conn, res, buf, sizeof(buf)));
}

int vb_store_admin_queue(vb_store *st, const char *const *portals, size_t n_portals, int all,
			 size_t max, json_t **out, vb_error *err)
{
	json_t *arr = NULL;
	json_error_t jerr;
	PGresult *res = NULL;
	char lim[32], *plist = NULL;
	const char *p[3];
	size_t i;
	int rc = 0;

	*out = NULL;
	if (n_portals > VB_ADMIN_PORTALS_MAX)
		return vb_error_set(err, VB_EINVAL, "too many portals: at most %d",
				    VB_ADMIN_PORTALS_MAX);
	if (!(arr = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (i = 0; i < n_portals; i++)
		json_array_append_new(arr, json_string(portals[i]));
	if (!(plist = json_dumps(arr, JSON_COMPACT))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(lim, sizeof(lim), "%zu", max > VB_ADMIN_QUEUE_MAX ? (size_t)VB_ADMIN_QUEUE_MAX : max);
	p[0] = plist;
	p[1] = all ? "t" : "f";
	p[2] = lim;
	res = store_q(st,
		      "WITH mine AS (SELECT u.* FROM uploads u WHERE $2::boolean"
		      "  OR u.portal_id IN (SELECT jsonb_array_elements_text($1::jsonb))),"
		      " q AS (SELECT m.id, m.status, m.portal_id,"
		      "  to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
		      "  m.proposal->'number'->>'value' AS number,"
		      "  m.proposal->'abstract'->>'value' AS abstract,"
		      "  (SELECT count(*) FROM upload_files f WHERE f.upload_id = m.id) AS files,"
		      "  jsonb_array_length(m.duplicates) AS duplicates,"
		      "  jsonb_array_length(m.warnings) AS warnings"
		      "  FROM mine m WHERE m.status IN ('draft', 'submitted')"
		      "  ORDER BY m.id DESC LIMIT $3::integer)"
		      " SELECT json_build_object("
		      "  'counts', (SELECT json_build_object("
		      "    'draft', count(*) FILTER (WHERE status = 'draft'),"
		      "    'submitted', count(*) FILTER (WHERE status = 'submitted'),"
		      "    'published', count(*) FILTER (WHERE status = 'published'),"
		      "    'rejected', count(*) FILTER (WHERE status = 'rejected')) FROM mine),"
		      "  'uploads', (SELECT coalesce(json_agg(q ORDER BY q.id DESC), '[]') FROM q))::text",
		      3, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "list the review queue", err);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)))
		rc = vb_error_set(err, VB_EDB, "could not list the review queue: %s", jerr.text);
out:
	PQclear(res);
	free(plist);
	json_decref(arr);
	return rc;
}

int vb_store_admin_upload_portal(vb_store *st, int64_t id, char *portal, size_t portal_cap,
				 char *status, size_t status_cap, vb_error *err)
{
	char idbuf[32];
	const char *p[1];
	PGresult *res;
	int rc = 0;

	portal[0] = '\0';
	status[0] = '\0';
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT portal_id, status FROM uploads WHERE id = $1::bigint", 1, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "read an upload", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "upload %lld does not exist", (long long)id);
	else {
		store_copy_fixed(portal, portal_cap, res, 0, 0);
		store_copy_fixed(status, status_cap, res, 0, 1);
	}
	PQclear(res);
	return rc;
}

int vb_store_admin_upload_file(vb_store *st, int64_t id, int pos, char *name, size_t name_cap,
			       char sha256[65], char *media_type, size_t type_cap, vb_error *err)
{
	char idbuf[32], posbuf[16];
	const char *p[2];
	PGresult *res;
	int rc = 0;

	name[0] = sha256[0] = media_type[0] = '\0';
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	snprintf(posbuf, sizeof(posbuf), "%d", pos);
	p[0] = idbuf;
	p[1] = posbuf;
	res = store_q(st, "SELECT name, sha256, media_type FROM upload_files"
		      " WHERE upload_id = $1::bigint AND position = $2::integer", 2, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "read an upload's file", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "upload %lld has no file %d", (long long)id, pos);
	else {
		store_copy_fixed(name, name_cap, res, 0, 0);
		store_copy_fixed(sha256, 65, res, 0, 1);
		store_copy_fixed(media_type, type_cap, res, 0, 2);
	}
	PQclear(res);
	return rc;
}

int vb_store_admin_document_state(vb_store *st, int64_t id, vb_admin_doc_state *out,
				  vb_error *err)
{
	char idbuf[32];
	const char *p[1];
	PGresult *res;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT state, withdrawn_reason,"
		      " to_char(withdrawn_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " portal_id FROM documents WHERE id = $1::bigint", 1, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "read a document's state", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
	else {
		store_copy_fixed(out->state, sizeof(out->state), res, 0, 0);
		out->withdrawn_reason = store_dup_or_null(res, 0, 1);
		store_copy_fixed(out->withdrawn_at, sizeof(out->withdrawn_at), res, 0, 2);
		store_copy_fixed(out->portal, sizeof(out->portal), res, 0, 3);
	}
	PQclear(res);
	return rc;
}

void vb_admin_doc_state_dispose(vb_admin_doc_state *s)
{
	if (!s)
		return;
	free(s->withdrawn_reason);
	s->withdrawn_reason = NULL;
}
