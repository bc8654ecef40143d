/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /healthz: whether this worker thread can reach PostgreSQL and open
 * the search index.  200 {"database":"ok","index":"ok"}, or 503 with
 * "down" for the part that is not working (details go to the log only).
 *
 * GET /readyz: the readiness probe for a load balancer: 200
 * {"ready":true,...} when the database answers and the index is open, else
 * 503 {"ready":false,"not_ready":["database","index"],...} naming what is
 * not ready, so traffic goes to another replica until it is.
 */
#include "daemon.h"

#include "log.h"

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
