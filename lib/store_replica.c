/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replication status queries; see replica.h.  Part of the store (it uses
 * the connection inside vb_store), kept apart because only the read-only
 * daemon needs it.
 */
#include "replica.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int vb_store_replica_status(vb_store *st, vb_replica_status *out, vb_error *err)
{
	static const char sql[] =
		"SELECT pg_is_in_recovery(),"
		" extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8,"
		" (SELECT status FROM pg_stat_wal_receiver LIMIT 1)";
	PGresult *res;
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	res = store_q(st, sql, 0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_EDB, "could not read the replication status: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	out->in_recovery = !strcmp(PQgetvalue(res, 0, 0), "t");
	if (!PQgetisnull(res, 0, 1)) {
		out->has_replay = 1;
		out->replay_age_s = strtod(PQgetvalue(res, 0, 1), NULL);
	}
	if (!PQgetisnull(res, 0, 2))
		store_copy_fixed(out->receiver, sizeof(out->receiver), res, 0, 2);
out:
	PQclear(res);
	return rc;
}
