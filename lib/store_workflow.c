/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of the editorial workflow (lib/workflow.h, schema in
 * sql/011_workflow.sql): reading an upload's or a document's portal and
 * state, moving an upload between statuses, withdrawing a document, and
 * the withdrawn check behind the 410 answers.  Every change is one
 * statement whose WHERE clause holds the expected state, so two editors
 * acting at once cannot both succeed: the second gets VB_ECONFLICT naming
 * the state the first left.  Parameterised SQL only.
 */
#include "workflow.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define TS_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* "could not WHAT: message"; a check violation (bad input) is VB_EINVAL. */
static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = state && (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) ? VB_EINVAL : VB_EDB;
	char m[VB_ERROR_MSG_MAX];

	return vb_error_set(err, code, "could not %s: %s", what,
			    store_pg_message(st->conn, res, m, sizeof(m)));
}

/* The outcome of a guarded state change that answers (rows changed, the
 * row's state now) for the row `what` id: 0 when it changed, VB_ENOTFOUND
 * when the row does not exist, VB_ECONFLICT naming its state otherwise. */
static int changed_or_conflict(const PGresult *res, const char *what, int64_t id,
			       vb_error *err)
{
	if (!strcmp(PQgetvalue(res, 0, 0), "1"))
		return 0;
	if (PQgetisnull(res, 0, 1))
		return vb_error_set(err, VB_ENOTFOUND, "%s %lld does not exist", what,
				    (long long)id);
	return vb_error_set(err, VB_ECONFLICT, "%s %lld is %s", what, (long long)id,
			    PQgetvalue(res, 0, 1));
}

/* Two text columns of the one row that sql ($1 = id) reads: the owning
 * portal ('' for none) and the state of an upload or a document.  what
 * names the row in errors ("upload", "document"). */
static int read_owner_state(vb_store *st, const char *sql, const char *what, int64_t id,
			    char *portal, size_t portal_cap, char *state, size_t state_cap,
			    vb_error *err)
{
	char idbuf[32], doing[32];
	const char *p[1];
	PGresult *res;
	int rc = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, sql, 1, p);
	if (!store_res_ok(res)) {
		snprintf(doing, sizeof(doing), "read %s", what);
		rc = db_error(st, res, doing, err);
	} else if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "%s %lld does not exist", what, (long long)id);
	} else {
		store_copy_fixed(portal, portal_cap, res, 0, 0);
		store_copy_fixed(state, state_cap, res, 0, 1);
	}
	PQclear(res);
	return rc;
}

int vb_store_upload_state(vb_store *st, int64_t id, char *portal, size_t portal_cap,
			  char *status, size_t status_cap, vb_error *err)
{
	return read_owner_state(st, "SELECT coalesce(portal_id, ''), status FROM uploads"
				" WHERE id = $1::bigint", "upload", id, portal, portal_cap,
				status, status_cap, err);
}

int vb_store_upload_move(vb_store *st, int64_t id, const char *from, const char *to,
			 const char *reason, const char *proposal_patch, vb_error *err)
{
	char idbuf[32];
	const char *p[5];
	PGresult *res;
	int rc = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	p[1] = from;
	p[2] = to;
	p[3] = reason;
	p[4] = proposal_patch;
	res = store_q(st, "WITH u AS (UPDATE uploads SET status = $3,"
		      " reason = CASE WHEN $4::text IS NULL THEN reason ELSE $4::text END,"
		      " proposal = proposal || coalesce($5::jsonb, '{}'::jsonb),"
		      " submitted_at = CASE WHEN $3 = 'submitted' THEN now() ELSE submitted_at END,"
		      " updated_at = now()"
		      " WHERE id = $1::bigint AND status = ANY($2::text[]) RETURNING id)"
		      " SELECT (SELECT count(*) FROM u), (SELECT status FROM uploads WHERE id = $1::bigint)",
		      5, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "update upload", err);
		goto out;
	}
	rc = changed_or_conflict(res, "upload", id, err);
out:
	PQclear(res);
	return rc;
}

int vb_store_document_state(vb_store *st, int64_t id, char *portal, size_t portal_cap,
			    char *state, size_t state_cap, vb_error *err)
{
	return read_owner_state(st, "SELECT coalesce(portal_id, ''), state FROM documents"
				" WHERE id = $1::bigint", "document", id, portal, portal_cap,
				state, state_cap, err);
}

int vb_store_document_withdraw(vb_store *st, int64_t id, const char *reason, vb_error *err)
{
	char idbuf[32];
	const char *p[2];
	PGresult *res;
	int rc = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	p[1] = reason;
	res = store_q(st, "WITH d AS (UPDATE documents SET state = 'withdrawn', withdrawn_reason = $2,"
		      " withdrawn_at = now() WHERE id = $1::bigint AND state = 'published' RETURNING id)"
		      " SELECT (SELECT count(*) FROM d), (SELECT state FROM documents WHERE id = $1::bigint)",
		      2, p);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = db_error(st, res, "withdraw document", err);
		goto out;
	}
	rc = changed_or_conflict(res, "document", id, err);
out:
	PQclear(res);
	return rc;
}

int vb_store_document_withdrawn(vb_store *st, int64_t id, json_t **info, vb_error *err)
{
	char idbuf[32];
	const char *p[1];
	PGresult *res;
	int rc = 0;

	*info = NULL;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT state, coalesce(withdrawn_reason, ''), " TS_UTC("withdrawn_at")
		      " FROM documents WHERE id = $1::bigint", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read document", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 0), VB_DOC_PUBLISHED))
		goto out;
	if (!(*info = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id,
				"state", PQgetvalue(res, 0, 0),
				"reason", PQgetvalue(res, 0, 1),
				"withdrawn_at", PQgetvalue(res, 0, 2))))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	PQclear(res);
	return rc;
}
