/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /healthz: whether this worker thread can reach PostgreSQL and open
 * the search index.  200 {"database":"ok","index":"ok"}, or 503 with
 * "down" for the part that is not working (details go to the log only).
 */
#include "daemon.h"

#include "log.h"

enum MHD_Result vb_api_health(vb_request *rq)
{
	vb_store *st;
	vb_xap_reader *r;
	vb_error err;
	int db_ok, index_ok;

	vb_error_clear(&err);
	db_ok = !vb_worker_store(rq->d, &st, &err) && !vb_store_ping(st, &err);
	if (!db_ok) {
		vb_warn("health: database: %s", err.msg);
		vb_worker_store_failed();
	}
	vb_error_clear(&err);
	index_ok = !vb_worker_reader(rq->d, &r, &err);
	if (!index_ok)
		vb_warn("health: index: %s", err.msg);
	return vb_http_send_json(rq, db_ok && index_ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
				 json_pack("{s:s, s:s}", "database", db_ok ? "ok" : "down",
					   "index", index_ok ? "ok" : "down"));
}
