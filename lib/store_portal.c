/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of the portal registry (contract in the "Portal
 * registry" section of store.h, schema in sql/006_portals.sql): loading
 * the registry as one JSON object, and saving the records an operation of
 * lib/portal.c changed, with their domains and history, in the transaction
 * that loaded them under the registry's advisory lock.  Records travel as
 * one jsonb text parameter each.
 */
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* pg_advisory_xact_lock key of the registry ("vbportal" in ASCII). */
#define PORTAL_LOCK "8530769707306467692"

static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = state && (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) ? VB_EINVAL : VB_EDB;
	char m[VB_ERROR_MSG_MAX];

	return vb_error_set(err, code, "could not %s: %s", what,
			    store_pg_message(st->conn, res, m, sizeof(m)));
}

int vb_store_portal_load(vb_store *st, json_t **out, vb_error *err)
{
	PGresult *res;
	json_error_t jerr;
	int rc = 0;

	*out = NULL;
	res = store_q(st, "SELECT coalesce(jsonb_object_agg(id, record), '{}'::jsonb)::text"
		      " FROM portals", 0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "load the portal registry", err);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)) || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		rc = vb_error_set(err, VB_EDB, "could not parse the portal registry: %s", jerr.text);
	}
out:
	PQclear(res);
	return rc;
}

int vb_store_portal_begin(vb_store *st, json_t **out, vb_error *err)
{
	const char *p[1] = { PORTAL_LOCK };
	int rc;

	*out = NULL;
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		return rc;
	if ((rc = store_q_cmd(st, "SELECT pg_advisory_xact_lock($1::bigint)", 1, p,
			      "take the portal registry lock", err)) ||
	    (rc = vb_store_portal_load(st, out, err)))
		store_rollback(st);
	return rc;
}

void vb_store_portal_abort(vb_store *st)
{
	store_rollback(st);
}

static int listed_before(json_t *a, size_t i, const char *id)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(json_string_value(json_array_get(a, k)), id))
			return 1;
	return 0;
}

int vb_store_portal_commit(vb_store *st, json_t *reg, json_t *changed, const char *op,
			   const char *main_id, json_t *args, vb_error *err)
{
	json_t *v, *detail = NULL;
	char *rec = NULL, *det = NULL;
	PGresult *res = NULL;
	size_t i;
	int rc = 0;

	detail = json_pack("{s:s?, s:O?}", "portal", main_id, "args", args);
	if (!detail || !(det = json_dumps(detail, JSON_COMPACT))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(changed, i, v) {
		const char *id = json_string_value(v);
		json_t *r = json_object_get(reg, id ? id : "");
		const char *p[4];

		/* an id may be listed twice (created, then changed) */
		if (!r || listed_before(changed, i, id))
			continue;
		free(rec);
		if (!(rec = json_dumps(r, JSON_COMPACT))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		p[0] = id;
		p[1] = rec;
		res = store_q(st, "INSERT INTO portals (id, kind, state, name_vi, record)"
			      " VALUES ($1, $2::jsonb->>'kind', $2::jsonb->>'state',"
			      " $2::jsonb->'names'->>'vi', $2::jsonb)"
			      " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,"
			      " state = excluded.state, name_vi = excluded.name_vi,"
			      " record = excluded.record, updated_at = now()"
			      " WHERE portals.record IS DISTINCT FROM excluded.record", 2, p);
		if (!store_res_ok(res)) {
			rc = db_error(st, res, "store portal", err);
			goto out;
		}
		PQclear(res);
		res = store_q(st, "DELETE FROM portal_domains WHERE portal_id = $1 AND domain NOT IN"
			      " (SELECT jsonb_array_elements_text($2::jsonb->'domains'))", 2, p);
		if (!store_res_ok(res)) {
			rc = db_error(st, res, "store portal domains", err);
			goto out;
		}
		PQclear(res);
		res = store_q(st, "INSERT INTO portal_domains (domain, portal_id)"
			      " SELECT d, $1 FROM jsonb_array_elements_text($2::jsonb->'domains') AS d"
			      " ON CONFLICT (domain) DO NOTHING", 2, p);
		if (!store_res_ok(res)) {
			rc = db_error(st, res, "store portal domains", err);
			goto out;
		}
		PQclear(res);
		p[1] = op;
		p[2] = det;
		res = store_q(st, "INSERT INTO portal_events (portal_id, op, detail)"
			      " VALUES ($1, $2, $3::jsonb)", 3, p);
		if (!store_res_ok(res)) {
			rc = db_error(st, res, "record portal history", err);
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	/* a domain another portal still holds was not written above: refuse */
	res = store_q(st, "SELECT count(*) FROM portals p, jsonb_array_elements_text(p.record->'domains') d"
		      " WHERE NOT EXISTS (SELECT 1 FROM portal_domains x WHERE x.domain = d"
		      " AND x.portal_id = p.id)", 0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "check portal domains", err);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "0")) {
		rc = vb_error_set(err, VB_EINVAL, "a domain belongs to two portals");
		goto out;
	}
	PQclear(res);
	res = NULL;
	rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
	if (!rc)
		goto done;
out:
	store_rollback(st);
done:
	PQclear(res);
	free(rec);
	free(det);
	json_decref(detail);
	return rc;
}

int vb_store_portal_history(vb_store *st, const char *id, json_t **out, vb_error *err)
{
	const char *p[1] = { id };
	PGresult *res;
	json_error_t jerr;
	int rc = 0;

	*out = NULL;
	res = store_q(st, "SELECT coalesce(jsonb_agg(jsonb_build_object('op', op, 'at',"
		      " to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " 'detail', detail) ORDER BY id), '[]'::jsonb)::text"
		      " FROM (SELECT * FROM portal_events WHERE portal_id = $1"
		      " ORDER BY id LIMIT 1000) e", 1, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "load portal history", err);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)))
		rc = vb_error_set(err, VB_EDB, "could not parse portal history: %s", jerr.text);
out:
	PQclear(res);
	return rc;
}
