/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/sync/status[?source=vbpl&runs=N]: the state of the upstream
 * sync (owned by sync): per source the checkpoint, the number of records
 * seen, linked and failing, and the newest runs (status, started and
 * finished, counts of new / changed / unchanged / linked / failed records
 * and conflicts opened, first error); the number of conflicts pending
 * review and the oldest 100 of them.  runs is 1-100 (default 10); any
 * other parameter is refused.
 *
 * Also the daemon's sync schedule: when sync_vbpl_url is configured (and
 * the daemon is not a read-only replica), one background thread with its
 * own database connection runs `vanban sync vbpl` every sync_interval
 * seconds, counted from the start of the last run recorded in the
 * database (so restarting the daemon does not sync more often), with the
 * configured window and request rate.  A run already going on (from the
 * command line) makes the scheduled one wait for the next turn.
 */
#include "daemon.h"

#include "../importers/sync.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_STATUS_PATH "/api/v1/sync/status"

struct args {
	const char *source;
	const char *runs;
	const char *bad;
	int repeated;
};

static enum MHD_Result arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			      const char *value)
{
	struct args *a = cls;

	(void)kind;
	if (!strcmp(key, "source")) {
		a->repeated |= a->source != NULL;
		a->source = value ? value : "";
	} else if (!strcmp(key, "runs")) {
		a->repeated |= a->runs != NULL;
		a->runs = value ? value : "";
	} else if (!a->bad) {
		a->bad = key;
	}
	return MHD_YES;
}

static enum MHD_Result status(vb_request *rq)
{
	struct args a = { NULL, NULL, NULL, 0 };
	vb_store *st;
	json_t *out = NULL;
	vb_error err;
	long runs = 10;
	char *end;

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, arg_cb, &a);
	if (a.bad) {
		char name[40];

		vb_params_key_shown(name, sizeof(name), a.bad);
		return vb_http_send_unknown_param(rq, name);
	}
	if (a.repeated)
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
					  "a parameter is repeated");
	if (a.source && (strlen(a.source) > 32 || !vb_params_text_ok(a.source, strlen(a.source))))
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "source",
					  "source must be a short name such as vbpl");
	if (a.runs && *a.runs) {
		runs = strtol(a.runs, &end, 10);
		if (*end || runs < 1 || runs > 100)
			return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "runs",
						  "runs must be a number from 1 to 100");
	}
	vb_error_clear(&err);
	if (vb_worker_store(rq->d, &st, &err) ||
	    vb_store_sync_status(st, a.source && *a.source ? a.source : NULL, (size_t)runs, &out,
				 &err)) {
		vb_warn("sync status: %s", err.msg);
		if (err.code == VB_EDB)
			vb_worker_store_failed();
		return vb_http_send_vb_error(rq, &err);
	}
	return vb_http_send_json(rq, MHD_HTTP_OK, out);
}

int vb_route_sync(vb_request *rq, enum MHD_Result *ret)
{
	if (strcmp(rq->url, SYNC_STATUS_PATH))
		return 0;
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		static const char body[] = "{\"error\":{\"code\":\"method_not_allowed\","
					   "\"message\":\"only GET and HEAD are allowed\"}}";
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);

		if (!resp) {
			*ret = MHD_NO;
			return 1;
		}
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/json; charset=utf-8");
		*ret = vb_http_send(rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
		return 1;
	}
	*ret = status(rq);
	return 1;
}

/* ---- the schedule ---- */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int started;
	volatile int stop;
	const vb_daemon *d;
} sched = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

/* Seconds since the epoch of the last vbpl run's start, 0 when none. */
static time_t last_run_start(vb_store *st)
{
	json_t *rep = NULL;
	const char *ts;
	struct tm tm;
	time_t t = 0;

	if (vb_store_sync_status(st, "vbpl", 1, &rep, NULL))
		return 0;
	ts = json_string_value(json_object_get(
		json_array_get(json_object_get(json_array_get(json_object_get(rep, "sources"), 0),
						"runs"), 0),
		"started_at"));
	memset(&tm, 0, sizeof(tm));
	if (ts && strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
		t = timegm(&tm);
	json_decref(rep);
	return t;
}

static void *sched_main(void *arg)
{
	const vb_config *cfg = &sched.d->cfg;
	char files[VB_CONFIG_STR + 16];

	(void)arg;
	if (vb_config_files_path(cfg, files, sizeof(files))) {
		vb_err("sync schedule: data directory path too long");
		return NULL;
	}
	pthread_mutex_lock(&sched.lock);
	while (!sched.stop) {
		vb_store *st = NULL;
		vb_error err;
		time_t next = 0, last;
		struct timespec until;

		pthread_mutex_unlock(&sched.lock);
		vb_error_clear(&err);
		if (vb_store_open(&st, cfg->db, &err)) {
			vb_warn("sync schedule: %s", err.msg);
			next = time(NULL) + 300;
		} else {
			last = last_run_start(st);
			next = last ? last + cfg->sync_interval : time(NULL);
			if (next <= time(NULL)) {
				vb_sync_opts o;
				vb_sync_counts c;
				int64_t run_id;
				int rc;

				memset(&o, 0, sizeof(o));
				o.source = "vbpl";
				o.base_url = cfg->sync_vbpl_url;
				o.list_path = cfg->sync_vbpl_list[0] ? cfg->sync_vbpl_list : NULL;
				o.files_root = files;
				o.window_days = cfg->sync_window;
				o.min_interval = cfg->sync_rate_ms / 1000.0;
				o.retries = 3;
				o.backoff_ms = 1000;
				o.timeout = 60;
				o.stop = &sched.stop;
				vb_info("sync schedule: syncing vbpl");
				rc = vb_sync_run(st, &o, &c, &run_id, &err);
				if (rc < 0)
					vb_warn("sync schedule: %s", err.msg);
				else
					vb_info("sync schedule: run %lld: %d new, %d changed, %d unchanged, "
						"%d linked, %d failed, %d conflicts",
						(long long)run_id, c.inserted, c.changed, c.unchanged,
						c.linked, c.failed, c.conflicts);
				next = time(NULL) + cfg->sync_interval;
			}
		}
		vb_store_free(st);
		pthread_mutex_lock(&sched.lock);
		until.tv_sec = next;
		until.tv_nsec = 0;
		while (!sched.stop && time(NULL) < next)
			if (pthread_cond_timedwait(&sched.wake, &sched.lock, &until))
				break;
	}
	pthread_mutex_unlock(&sched.lock);
	return NULL;
}

int vb_sync_schedule_start(const vb_daemon *d, vb_error *err)
{
	if (!d->cfg.sync_vbpl_url[0] || d->cfg.read_only)
		return 0;
	sched.d = d;
	sched.stop = 0;
	if (pthread_create(&sched.thread, NULL, sched_main, NULL))
		return vb_error_set(err, VB_EAGAIN, "could not start the sync thread");
	sched.started = 1;
	vb_info("sync schedule: vbpl every %d s", d->cfg.sync_interval);
	return 0;
}

void vb_sync_schedule_stop(void)
{
	if (!sched.started)
		return;
	pthread_mutex_lock(&sched.lock);
	sched.stop = 1;
	pthread_cond_signal(&sched.wake);
	pthread_mutex_unlock(&sched.lock);
	pthread_join(sched.thread, NULL);
	sched.started = 0;
}
