/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /healthz: whether this worker thread can reach PostgreSQL and open
 * the search index.  200 {"database":"ok","index":"ok"}, or 503 with
 * "down" for the part that is not working (details go to the log only).
 *
 * GET /readyz: the readiness probe for a load balancer: 200
 * {"ready":true,...} when the database answers and the index is open, else
 * 503 {"ready":false,"not_ready":["database","index"],...} naming what is
 * not ready, so traffic goes to another replica until it is.  It also says
 * "role": "primary" or "replica" (read_only = true); a replica adds
 * "replica": {postgres_in_recovery, replay_age_seconds, wal_receiver,
 * index_documents} (null when unknown).
 */
#include "daemon.h"

#include "log.h"
#include "replica.h"

/* Check this worker's database connection and index reader. */
static void check(vb_request *rq, const char *what, int *db_ok, int *index_ok)
{
	vb_store *st;
	vb_xap_reader *r;
	vb_error err;

	vb_error_clear(&err);
	*db_ok = !vb_worker_store(rq->d, &st, &err) && !vb_store_ping(st, &err);
	if (!*db_ok) {
		vb_warn("%s: database: %s", what, err.msg);
		vb_worker_store_failed();
	}
	vb_error_clear(&err);
	*index_ok = !vb_worker_reader(rq->d, &r, &err);
	if (!*index_ok)
		vb_warn("%s: index: %s", what, err.msg);
}

/* What a replica knows about its freshness (owned by replicas): whether
 * PostgreSQL is replaying a primary's WAL and how old the last replayed
 * transaction is, and how many documents its index holds.  Parts it cannot
 * read are null. */
static json_t *replica_info(vb_request *rq, int db_ok, int index_ok)
{
	json_t *o = json_object();
	vb_replica_status rs;
	vb_store *st;
	vb_xap_reader *r;
	vb_error err;
	size_t n;

	if (!o)
		return NULL;
	json_object_set_new(o, "postgres_in_recovery", json_null());
	json_object_set_new(o, "replay_age_seconds", json_null());
	json_object_set_new(o, "wal_receiver", json_null());
	json_object_set_new(o, "index_documents", json_null());
	vb_error_clear(&err);
	if (db_ok && !vb_worker_store(rq->d, &st, &err) &&
	    !vb_store_replica_status(st, &rs, &err)) {
		json_object_set_new(o, "postgres_in_recovery", json_boolean(rs.in_recovery));
		if (rs.has_replay)
			json_object_set_new(o, "replay_age_seconds", json_real(rs.replay_age_s));
		if (rs.receiver[0])
			json_object_set_new(o, "wal_receiver", json_string(rs.receiver));
	} else if (db_ok) {
		vb_warn("ready: %s", err.msg);
	}
	vb_error_clear(&err);
	if (index_ok && !vb_worker_reader(rq->d, &r, &err) && !vb_xap_reader_doccount(r, &n, &err))
		json_object_set_new(o, "index_documents", json_integer((json_int_t)n));
	return o;
}

enum MHD_Result vb_api_ready(vb_request *rq)
{
	json_t *body, *not_ready;
	int db_ok, index_ok;

	check(rq, "ready", &db_ok, &index_ok);
	not_ready = json_array();
	if (!not_ready)
		return MHD_NO;
	if (!db_ok)
		json_array_append_new(not_ready, json_string("database"));
	if (!index_ok)
		json_array_append_new(not_ready, json_string("index"));
	body = json_pack("{s:b, s:s, s:s, s:o}", "ready", db_ok && index_ok, "database",
			 db_ok ? "ok" : "down", "index", index_ok ? "ok" : "down", "not_ready",
			 not_ready);
	if (body)
		json_object_set_new(body, "role",
				    json_string(rq->d->cfg.read_only ? "replica" : "primary"));
	if (body && rq->d->cfg.read_only)
		json_object_set_new(body, "replica", replica_info(rq, db_ok, index_ok));
	return vb_http_send_json(rq, db_ok && index_ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
				 body);
}

enum MHD_Result vb_api_health(vb_request *rq)
{
	int db_ok, index_ok;

	check(rq, "health", &db_ok, &index_ok);
	return vb_http_send_json(rq, db_ok && index_ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
				 json_pack("{s:s, s:s}", "database", db_ok ? "ok" : "down",
					   "index", index_ok ? "ok" : "down"));
}
