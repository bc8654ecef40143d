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
 * The review list for staff (an editor, see review_auth; own access
 * handler since the POSTs take JSON bodies): GET /api/v1/sync/reviews?status=&source=&limit=
 * and POST /api/v1/sync/reviews/{id}/accept|reject {"reason": "..."}
 * (lib/store_sync.c vb_store_sync_review_resolve).
 *
 * Also the daemon's schedule: unless the daemon is a read-only replica,
 * one background thread with its own database connection runs the
 * validity pass at start, every validity_interval seconds and just after
 * midnight in Việt Nam ("not yet in force" ends on the effective day):
 * the documents with a date since the last pass, every document the first
 * time (vb_store_validity_pass), and when sync_vbpl_url /
 * sync_congbao_url are configured runs `vanban sync vbpl` / `congbao`
 * every sync_interval seconds, counted from the start of the source's
 * last run recorded in the database (so restarting the daemon does not
 * sync more often), with the configured window and request rate.  A run
 * already going on (from the command line) makes the scheduled one wait
 * for the next turn.
 */
#include "api_body.h"

#include "../importers/sync.h"
#include "account.h"
#include "audit.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
		return vb_api_send_vb(rq, err.code, &err);
	}
	/* The items themselves (local values of documents that may not be
	 * published yet) are staff data: GET /api/v1/sync/reviews, with the
	 * token.  The public status keeps their count. */
	json_object_del(out, "reviews");
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

/* ---- the review list: GET /api/v1/sync/reviews, POST .../{id}/accept|reject ---- */

#define REVIEWS_PREFIX "/api/v1/sync/reviews"
#define REVIEW_BODY_MAX (16 * 1024)
#define REVIEW_TOO_BIG "the JSON body is larger than 16 KiB"

enum review_route { RV_BAD, RV_LIST, RV_ACCEPT, RV_REJECT };

typedef struct reviews_rq {
	vb_request rq; /* first: http.c logs and frees the request through it */
	enum review_route route;
	int64_t id;
	vb_principal who; /* accounts: the caller, for the audit log */
	vb_body body;
} reviews_rq;

int vb_sync_reviews_route(const char *url)
{
	return vb_api_route_prefix(url, REVIEWS_PREFIX);
}

static enum review_route parse_review_route(reviews_rq *p)
{
	const char *s = p->rq.url + strlen(REVIEWS_PREFIX);
	char *end;
	long long id;

	if (!*s)
		return RV_LIST;
	if (s[1] < '1' || s[1] > '9')
		return RV_BAD;
	errno = 0;
	id = strtoll(s + 1, &end, 10);
	if (errno || id < 1)
		return RV_BAD;
	p->id = (int64_t)id;
	if (!strcmp(end, "/accept"))
		return RV_ACCEPT;
	if (!strcmp(end, "/reject"))
		return RV_REJECT;
	return RV_BAD;
}

/* accounts: 0 when the caller may: the list needs an editor of some
 * portal, accepting or rejecting an editor of the document's portal (a
 * system administrator for documents of no portal); scope sync.  Else a
 * response is queued. */
static int review_auth(reviews_rq *p, enum MHD_Result *ret)
{
	char portal[64] = "";
	vb_store *st;
	vb_error err;
	int rc;

	if (p->route == RV_LIST)
		return vb_auth_require(&p->rq, &p->who, NULL, VB_ROLE_EDITOR, VB_SCOPE_SYNC, NULL, ret);
	/* who first (401, CSRF, scope), then the item's portal */
	if (vb_auth_require(&p->rq, &p->who, NULL, 0, VB_SCOPE_SYNC, NULL, ret))
		return 1;
	vb_error_clear(&err);
	if ((rc = vb_worker_store(p->rq.d, &st, &err)) ||
	    (rc = vb_store_sync_review_portal(st, p->id, portal, sizeof(portal), &err))) {
		*ret = vb_api_send_vb(&p->rq, rc, &err);
		return 1;
	}
	if (portal[0] ? vb_principal_can(&p->who, portal, VB_ROLE_EDITOR, VB_SCOPE_SYNC)
		      : p->who.sysadmin)
		return 0;
	*ret = vb_auth_send_forbidden(&p->rq, portal[0] ? portal : NULL,
				      portal[0] ? VB_ROLE_EDITOR : 0);
	return 1;
}

struct list_args {
	const char *status, *source, *limit, *bad;
	int repeated;
};

static enum MHD_Result list_arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct list_args *a = cls;
	const char **slot = !strcmp(key, "status") ? &a->status :
			    !strcmp(key, "source") ? &a->source :
			    !strcmp(key, "limit")  ? &a->limit : NULL;

	(void)kind;
	if (!slot) {
		if (!a->bad)
			a->bad = key;
		return MHD_YES;
	}
	a->repeated |= *slot != NULL;
	*slot = value ? value : "";
	return MHD_YES;
}

static enum MHD_Result reviews_list(reviews_rq *p)
{
	struct list_args a = { 0 };
	vb_store *st;
	json_t *out = NULL;
	vb_error err;
	long limit = 100;
	char *end;
	int rc;

	MHD_get_connection_values(p->rq.conn, MHD_GET_ARGUMENT_KIND, list_arg_cb, &a);
	if (a.bad) {
		char name[40];

		vb_params_key_shown(name, sizeof(name), a.bad);
		return vb_http_send_unknown_param(&p->rq, name);
	}
	if (a.repeated)
		return vb_http_send_error(&p->rq, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
					  "a parameter is repeated");
	if (a.status && strcmp(a.status, "pending") && strcmp(a.status, "accepted") &&
	    strcmp(a.status, "rejected") && strcmp(a.status, "all"))
		return vb_http_send_error(&p->rq, MHD_HTTP_BAD_REQUEST, "invalid", "status",
					  "status must be pending, accepted, rejected or all");
	if (a.source && (strlen(a.source) > 32 || !vb_params_text_ok(a.source, strlen(a.source))))
		return vb_http_send_error(&p->rq, MHD_HTTP_BAD_REQUEST, "invalid", "source",
					  "source must be a short name such as vbpl");
	if (a.limit) {
		limit = strtol(a.limit, &end, 10);
		if (!*a.limit || *end || limit < 1 || limit > VB_LOOKUP_MAX) {
			char m[80];

			snprintf(m, sizeof(m), "limit must be a number from 1 to %d", VB_LOOKUP_MAX);
			return vb_http_send_error(&p->rq, MHD_HTTP_BAD_REQUEST, "invalid", "limit", m);
		}
	}
	vb_error_clear(&err);
	if ((rc = vb_worker_store(p->rq.d, &st, &err)) ||
	    (rc = vb_store_sync_reviews(st, !a.status ? "pending" :
					    strcmp(a.status, "all") ? a.status : NULL,
					a.source && *a.source ? a.source : NULL, (size_t)limit, &out,
					&err))) {
		vb_warn("sync reviews: %s", err.msg);
		return vb_api_send_vb(&p->rq, rc, &err);
	}
	return vb_http_send_json(&p->rq, MHD_HTTP_OK, out);
}

static enum MHD_Result reviews_resolve(reviews_rq *p)
{
	json_t *body = NULL, *out = NULL, *v;
	const char *reason = NULL, *k;
	enum MHD_Result ret;
	vb_store *st;
	vb_error err;
	int rc, bad_type = 0, accept = p->route == RV_ACCEPT;

	if (vb_body_object(&p->rq, &p->body, 1, &body, &ret))
		return ret;
	json_object_foreach(body, k, v)
		if (strcmp(k, "reason")) {
			json_decref(body);
			return vb_api_bad(&p->rq, NULL,
					  "unknown member in the body: only \"reason\" is allowed");
		}
	reason = vb_body_str(body, "reason", &bad_type);
	if (bad_type) {
		json_decref(body);
		return vb_api_bad(&p->rq, "reason", "reason must be a string");
	}
	if (!accept && (!reason || !*reason)) {
		json_decref(body);
		return vb_api_bad(&p->rq, "reason",
				  "rejecting a review item needs a reason: {\"reason\": \"...\"}");
	}
	vb_error_clear(&err);
	if ((rc = vb_worker_store(p->rq.d, &st, &err)) == 0 &&
	    (rc = vb_audit_begin(st, &p->who, accept ? "sync_review.accept" : "sync_review.reject",
				 reason, &err)) == 0) {
		rc = vb_store_sync_review_resolve(st, p->id, accept, reason, &out, &err);
		vb_audit_end(st);
	}
	json_decref(body);
	if (rc) {
		if (rc == VB_EINVAL && out) { /* not pending any more */
			json_t *e = json_pack("{s:{s:s, s:s}, s:o}", "error", "code", "conflict",
					      "message", err.msg, "review", out);

			return e ? vb_http_send_json(&p->rq, MHD_HTTP_CONFLICT, e) : MHD_NO;
		}
		json_decref(out);
		if (rc == VB_ETOOBIG)
			return vb_api_bad(&p->rq, "reason", err.msg);
		if (rc != VB_ENOTFOUND)
			vb_warn("sync review %lld: %s", (long long)p->id, err.msg);
		return vb_api_send_vb(&p->rq, rc, &err);
	}
	/* ids only in the log, never the reason */
	vb_info("sync review %lld %s", (long long)p->id, accept ? "accepted" : "rejected");
	return vb_http_send_json(&p->rq, MHD_HTTP_OK, out);
}

/* First call: route, method, token and limits, before any body is read. */
static enum MHD_Result reviews_start(vb_request *rq)
{
	reviews_rq *p = (reviews_rq *)rq;
	int is_get = !strcmp(p->rq.method, MHD_HTTP_METHOD_GET) || p->rq.head;
	int is_post = !strcmp(p->rq.method, MHD_HTTP_METHOD_POST);
	enum MHD_Result ret;

	p->route = parse_review_route(p);
	if (p->route == RV_BAD)
		return vb_http_send_error(&p->rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "no such resource");
	if ((p->route == RV_LIST && !is_get) || (p->route != RV_LIST && !is_post))
		return vb_api_method_not_allowed(&p->rq, p->route == RV_LIST ? "GET, HEAD" : "POST");
	if (is_post && p->rq.d->cfg.read_only)
		return vb_http_send_read_only(&p->rq);
	if (review_auth(p, &ret))
		return ret;
	if (is_get)
		return vb_body_limit(&p->rq, &p->body, 0, &ret) ? ret : MHD_YES;
	if (vb_http_refuse_args(&p->rq, &ret) || vb_body_limit(&p->rq, &p->body, 1, &ret))
		return ret;
	return MHD_YES;
}

static enum MHD_Result reviews_finish(vb_request *rq)
{
	reviews_rq *p = (reviews_rq *)rq;

	if (p->route == RV_LIST)
		return reviews_list(p);
	return reviews_resolve(p);
}

static const vb_body_route reviews_route = {
	sizeof(reviews_rq), offsetof(reviews_rq, body), REVIEW_BODY_MAX, REVIEW_TOO_BIG,
	reviews_start, reviews_finish
};

enum MHD_Result vb_api_sync_reviews_access(const vb_daemon *d, struct MHD_Connection *conn,
					   const char *url, const char *method,
					   const char *upload_data, size_t *upload_data_size,
					   void **con_cls)
{
	return vb_body_access(&reviews_route, d, conn, url, method, upload_data, upload_data_size,
			      con_cls);
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

/* Seconds since the epoch of the last run's start of source, 0 when none. */
static time_t last_run_start(vb_store *st, const char *source)
{
	json_t *rep = NULL;
	const char *ts;
	struct tm tm;
	time_t t = 0;

	if (vb_store_sync_status(st, source, 1, &rep, NULL))
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

/* One scheduled sync of source when it is due; returns when it is due
 * next. */
static time_t sched_sync(vb_store *st, const vb_config *cfg, const char *source,
			 const char *files)
{
	int vbpl = !strcmp(source, "vbpl");
	time_t last = last_run_start(st, source);
	time_t next = last ? last + cfg->sync_interval : time(NULL);
	vb_sync_opts o;
	vb_sync_counts c;
	vb_error err;
	int64_t run_id;
	int rc;

	if (next > time(NULL))
		return next;
	memset(&o, 0, sizeof(o));
	o.source = source;
	o.base_url = vbpl ? cfg->sync_vbpl_url : cfg->sync_congbao_url;
	if (vbpl)
		o.list_path = cfg->sync_vbpl_list[0] ? cfg->sync_vbpl_list : NULL;
	else {
		o.list_path = cfg->sync_congbao_list[0] ? cfg->sync_congbao_list : NULL;
		o.item_path = cfg->sync_congbao_issue[0] ? cfg->sync_congbao_issue : NULL;
	}
	o.files_root = files;
	o.window_days = cfg->sync_window;
	o.min_interval = cfg->sync_rate_ms / 1000.0;
	o.retries = 3;
	o.backoff_ms = 1000;
	o.timeout = 60;
	o.stop = &sched.stop;
	vb_info("sync schedule: syncing %s", source);
	vb_error_clear(&err);
	rc = vb_sync_run(st, &o, &c, &run_id, &err);
	if (rc < 0)
		vb_warn("sync schedule: %s: %s", source, err.msg);
	else
		vb_info("sync schedule: %s run %lld: %d new, %d changed, %d unchanged, "
			"%d linked, %d failed, %d conflicts",
			source, (long long)run_id, c.inserted, c.changed, c.unchanged, c.linked,
			c.failed, c.conflicts);
	return time(NULL) + cfg->sync_interval;
}

/* The validity pass ("not yet in force" becomes "in force" on the
 * effective day, expiries come): the documents with a date since the last
 * pass, or all of them the first time (vb_store_validity_pass), one short
 * transaction per document, stopping early when the daemon stops.  0 or
 * a VB_E* code. */
static int sched_validity(vb_store *st)
{
	vb_validity_pass pass;
	struct timespec t0, t1;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = vb_store_validity_pass(st, 0, &sched.stop, &pass, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc) {
		vb_warn("validity schedule: %s", err.msg);
		return rc;
	}
	if (pass.selected || pass.full) /* quiet on a second start the same day */
		vb_info("validity schedule: %s pass for %s (%s%s%s): %zu documents selected, "
			"%zu recomputed, %zu changed in %.1f s%s",
			pass.full ? "full" : "incremental", pass.today, pass.why,
			pass.last[0] ? ", last pass " : "", pass.last, pass.selected,
			pass.recomputed, pass.changed,
			(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
			pass.stopped ? ", stopped" : "");
	return 0;
}

/* The next pass: after validity_interval seconds, or just after midnight
 * in Việt Nam (the day vb_validity_today counts in) when that comes
 * first, since that is when dates reach "today". */
static time_t next_validity_at(time_t now, int interval)
{
	const time_t vn = 7 * 3600, day = 24 * 3600;
	time_t midnight = ((now + vn) / day + 1) * day - vn + 5;

	return now + interval < midnight ? now + interval : midnight;
}

static void *sched_main(void *arg)
{
	const vb_config *cfg = &sched.d->cfg;
	char files[VB_CONFIG_STR + 16];
	time_t next_validity = time(NULL); /* once at start */

	(void)arg;
	if (vb_config_files_path(cfg, files, sizeof(files))) {
		vb_err("sync schedule: data directory path too long");
		return NULL;
	}
	pthread_mutex_lock(&sched.lock);
	while (!sched.stop) {
		vb_store *st = NULL;
		vb_error err;
		time_t next, t;
		struct timespec until;

		pthread_mutex_unlock(&sched.lock);
		vb_error_clear(&err);
		if (vb_store_open(&st, cfg->db, &err)) {
			vb_warn("sync schedule: %s", err.msg);
			next = time(NULL) + 300;
		} else {
			vb_principal sys; /* accounts: who the audit log names */
			int64_t scrubbed = 0;

			if (time(NULL) >= next_validity) {
				next_validity = next_validity_at(time(NULL), cfg->validity_interval);
				vb_principal_system(&sys, "system:validity");
				vb_audit_begin(st, &sys, "validity.recompute", NULL, NULL);
				if (sched_validity(st))
					next_validity = time(NULL) + 300;
				/* accounts: client addresses leave the audit log after
				 * audit_ip_days (checked with the daily recompute) */
				if (vb_audit_scrub(st, cfg->audit_ip_days, &scrubbed, &err))
					vb_warn("audit scrub: %s", err.msg);
				else if (scrubbed)
					vb_info("audit scrub: %lld addresses removed", (long long)scrubbed);
			}
			vb_principal_system(&sys, "system:sync");
			vb_audit_begin(st, &sys, NULL, NULL, NULL);
			next = next_validity;
			if (cfg->sync_vbpl_url[0] && !sched.stop &&
			    (t = sched_sync(st, cfg, "vbpl", files)) < next)
				next = t;
			if (cfg->sync_congbao_url[0] && !sched.stop &&
			    (t = sched_sync(st, cfg, "congbao", files)) < next)
				next = t;
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
	/* a read-only replica writes nothing: its primary recomputes */
	if (d->cfg.read_only)
		return 0;
	sched.d = d;
	sched.stop = 0;
	if (pthread_create(&sched.thread, NULL, sched_main, NULL))
		return vb_error_set(err, VB_EAGAIN, "could not start the sync thread");
	sched.started = 1;
	if (d->cfg.sync_vbpl_url[0])
		vb_info("sync schedule: vbpl every %d s", d->cfg.sync_interval);
	if (d->cfg.sync_congbao_url[0])
		vb_info("sync schedule: congbao every %d s", d->cfg.sync_interval);
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
