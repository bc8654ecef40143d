/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /metrics: the daemon's counters in the Prometheus text exposition
 * format (version 0.0.4).  Every completed request is counted by
 * vb_metrics_record (called from http.c's completion handler) under its
 * route pattern ("/api/v1/documents/{id}", "/api/v1/portals/{id}/merge",
 * "/eli/{eli}", never the raw path, so label values are bounded; unknown
 * paths count as route="other"), its method
 * and its status, and its duration goes into a per-route histogram.  The
 * counters are C11 atomics in static arrays: no lock, safe under MHD's
 * thread pool.  A scrape reads them without stopping the writers, so a
 * histogram's _count is computed from the buckets it printed (it always
 * equals the +Inf bucket).
 *
 * At scrape time the worker thread's own connection gives the index lag
 * (pending outbox jobs) and its own reader the number of indexed
 * documents; a gauge that cannot be read is left out and
 * vanban_scrape_errors_total goes up.  The report area adds the usage
 * counters of activity.c (searches, zero-result searches, views,
 * downloads, flushes) and store gauges (documents and new versions per
 * source, age of the oldest index job, pending uploads, sync status per
 * source; docs/report.md).  No label carries a path, a query
 * string or anything a citizen typed.
 */
#include "daemon.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "portal.h"

#define METRICS_MAX_BODY (1024u * 1024)
#define ID_MAX_DIGITS 19

/* Route patterns, in the order of their labels.  ROUTE_OTHER is last.
 * A placeholder stands for a bounded set: {id} a decimal id (a portal's
 * slug under /api/v1/portals), {n} a sitemap page, {eli} any path below
 * /eli/ (the router answers every one of them, a 404 included). */
static const char *const route_names[] = {
	"/",
	"/search",
	"/documents/{id}",
	"/static/style.css",
	"/api/v1/search",
	"/api/v1/openapi.json",
	"/api/v1/resolve",
	"/api/v1/suggest",
	"/healthz",
	"/readyz",
	"/metrics",
	"/api/v1/documents/{id}",
	"/api/v1/documents/{id}/files/{index}",
	"/api/v1/uploads",
	"/api/v1/uploads/{id}",
	"/api/v1/uploads/{id}/confirm",
	"/api/v1/uploads/{id}/reject",
	"/api/v1/uploads/{id}/submit", /* workflow */
	"/api/v1/uploads/{id}/publish",
	"/api/v1/uploads/{id}/return",
	"/api/v1/documents/{id}/withdraw",
	"/api/v1/documents/{id}/correct",
	"/api/v1/report", /* report */
	"/api/v1/sync/status",
	"/api/v1/sync/reviews",
	"/api/v1/sync/reviews/{id}/accept",
	"/api/v1/sync/reviews/{id}/reject",
	"/api/v1/bundle",
	"/api/v1/portals",
	"/api/v1/portals/{id}",
	"/api/v1/portals/{id}/rename",
	"/api/v1/portals/{id}/scope",
	"/api/v1/portals/{id}/domains",
	"/api/v1/portals/{id}/merge",
	"/api/v1/portals/{id}/split",
	"/api/v1/portals/{id}/retire",
	"/feeds/documents.atom",
	"/feeds/search.atom",
	"/opensearch.xml",
	"/sitemap.xml",
	"/sitemaps/{n}.xml",
	"/robots.txt",
	"/static/widget.js",
	"/eli/{eli}",
	"/admin/{page}", /* admin: every page of the staff UI (admin.c) */
	"other",
};
#define N_ROUTES (sizeof(route_names) / sizeof(route_names[0]))
#define ROUTE_OTHER (N_ROUTES - 1)

static const char *const method_names[] = { "GET", "HEAD", "POST", "other" };
#define N_METHODS (sizeof(method_names) / sizeof(method_names[0]))

/* Statuses 100-599 by number; slot 0 is "no status" (aborted before any
 * response) and anything out of range. */
#define N_STATUS 600

/* Upper bounds of the duration buckets, seconds; +Inf is implicit. */
static const double bucket_le[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
				    0.25,  0.5,    1,     2.5,  5,     10 };
#define N_BUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]) + 1)

static _Atomic unsigned long long requests[N_ROUTES][N_METHODS][N_STATUS];
static _Atomic unsigned long long bucket_n[N_ROUTES][N_BUCKETS]; /* not cumulative */
static _Atomic unsigned long long duration_ns[N_ROUTES];
static _Atomic unsigned long long scrape_errors;

/* Whether s[0..n) is a decimal id as http.c accepts it (bounded). */
static int is_id(const char *s, size_t n)
{
	size_t i;

	if (!n || n > ID_MAX_DIGITS || (s[0] == '0' && n > 1))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "PREFIX{id}" followed by *rest: 1 when path starts with prefix and an id. */
static int after_id(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	const char *p, *end;

	if (strncmp(path, prefix, n))
		return 0;
	p = path + n;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	if (!is_id(p, (size_t)(end - p)))
		return 0;
	*rest = end;
	return 1;
}

/* The index of a pattern of route_names (a literal from this file). */
static size_t pattern_index(const char *pattern)
{
	size_t i;

	for (i = 0; i < ROUTE_OTHER; i++)
		if (!strcmp(route_names[i], pattern))
			return i;
	return ROUTE_OTHER;
}

/* Whether s[0..n) is a portal id (lib/portal.h: a bounded slug). */
static int is_portal_id(const char *s, size_t n)
{
	char id[VB_PORTAL_ID_MAX + 1];

	if (!n || n > VB_PORTAL_ID_MAX)
		return 0;
	memcpy(id, s, n);
	id[n] = '\0';
	return vb_portal_id_valid(id);
}

static size_t portal_route(const char *path)
{
	static const char prefix[] = "/api/v1/portals/";
	char pattern[64];
	const char *p = path + sizeof(prefix) - 1, *end = strchr(p, '/');

	if (!is_portal_id(p, end ? (size_t)(end - p) : strlen(p)))
		return ROUTE_OTHER;
	if (!end)
		return pattern_index("/api/v1/portals/{id}");
	if (strlen(end) > 16 || strchr(end + 1, '/'))
		return ROUTE_OTHER;
	snprintf(pattern, sizeof(pattern), "/api/v1/portals/{id}%s", end);
	return pattern_index(pattern);
}

/* "/sitemaps/N.xml" with N a positive decimal of at most 5 digits. */
static int is_sitemap_page(const char *path)
{
	const char *p = path + strlen("/sitemaps/");
	size_t n = strspn(p, "0123456789");

	return n && n <= 5 && *p != '0' && !strcmp(p + n, ".xml");
}

static size_t route_index(const char *path)
{
	const char *rest;
	size_t i;

	if (!path)
		return ROUTE_OTHER;
	for (i = 0; i < ROUTE_OTHER; i++)
		if (!strchr(route_names[i], '{') && !strcmp(path, route_names[i]))
			return i;
	if (after_id(path, "/documents/", &rest) && !*rest)
		return pattern_index("/documents/{id}");
	if (after_id(path, "/api/v1/documents/", &rest)) {
		if (!*rest)
			return pattern_index("/api/v1/documents/{id}");
		if (!strncmp(rest, "/files/", 7) && rest[7] && !strchr(rest + 7, '/'))
			return pattern_index("/api/v1/documents/{id}/files/{index}");
		if (!strcmp(rest, "/withdraw"))
			return pattern_index("/api/v1/documents/{id}/withdraw");
		if (!strcmp(rest, "/correct"))
			return pattern_index("/api/v1/documents/{id}/correct");
		return ROUTE_OTHER;
	}
	if (after_id(path, "/api/v1/uploads/", &rest)) {
		if (!*rest)
			return pattern_index("/api/v1/uploads/{id}");
		if (!strcmp(rest, "/confirm"))
			return pattern_index("/api/v1/uploads/{id}/confirm");
		if (!strcmp(rest, "/reject"))
			return pattern_index("/api/v1/uploads/{id}/reject");
		if (!strcmp(rest, "/submit"))
			return pattern_index("/api/v1/uploads/{id}/submit");
		if (!strcmp(rest, "/publish"))
			return pattern_index("/api/v1/uploads/{id}/publish");
		if (!strcmp(rest, "/return"))
			return pattern_index("/api/v1/uploads/{id}/return");
		return ROUTE_OTHER;
	}
	if (after_id(path, "/api/v1/sync/reviews/", &rest)) {
		if (!strcmp(rest, "/accept"))
			return pattern_index("/api/v1/sync/reviews/{id}/accept");
		if (!strcmp(rest, "/reject"))
			return pattern_index("/api/v1/sync/reviews/{id}/reject");
		return ROUTE_OTHER;
	}
	if (!strncmp(path, "/api/v1/portals/", 16))
		return portal_route(path);
	if (!strncmp(path, "/sitemaps/", 10))
		return is_sitemap_page(path) ? pattern_index("/sitemaps/{n}.xml") : ROUTE_OTHER;
	if (!strcmp(path, "/eli") || !strncmp(path, "/eli/", 5))
		return pattern_index("/eli/{eli}");
	if (!strcmp(path, "/admin") || !strncmp(path, "/admin/", 7))
		return pattern_index("/admin/{page}");
	return ROUTE_OTHER;
}

const char *vb_metrics_route(const char *path)
{
	return route_names[route_index(path)];
}

static size_t method_index(const char *method)
{
	size_t i;

	for (i = 0; method && i + 1 < N_METHODS; i++)
		if (!strcmp(method, method_names[i]))
			return i;
	return N_METHODS - 1;
}

void vb_metrics_record(const char *method, const char *path, unsigned status, double seconds)
{
	size_t r = route_index(path), m = method_index(method), b;
	unsigned s = status >= 100 && status < N_STATUS ? status : 0;
	double ns;

	if (!(seconds >= 0))
		seconds = 0; /* also NaN */
	for (b = 0; b + 1 < N_BUCKETS; b++)
		if (seconds <= bucket_le[b])
			break;
	atomic_fetch_add_explicit(&requests[r][m][s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&bucket_n[r][b], 1, memory_order_relaxed);
	ns = seconds * 1e9;
	if (ns > 1e15)
		ns = 1e15; /* a stuck connection must not overflow the sum */
	atomic_fetch_add_explicit(&duration_ns[r], (unsigned long long)ns, memory_order_relaxed);
}

static int put_counters(vb_buf *b)
{
	size_t r, m, s;
	unsigned long long v;
	int rc;

	if ((rc = vb_buf_puts(b, "# HELP vanban_http_requests_total HTTP requests completed, "
				 "by route pattern, method and status.\n"
				 "# TYPE vanban_http_requests_total counter\n")))
		return rc;
	for (r = 0; r < N_ROUTES; r++)
		for (m = 0; m < N_METHODS; m++)
			for (s = 0; s < N_STATUS; s++) {
				v = atomic_load_explicit(&requests[r][m][s], memory_order_relaxed);
				if (!v)
					continue;
				rc = vb_buf_printf(b,
						   "vanban_http_requests_total{route=\"%s\",method=\"%s\","
						   "status=\"%zu\"} %llu\n",
						   route_names[r], method_names[m], s, v);
				if (rc)
					return rc;
			}
	return 0;
}

static int put_histograms(vb_buf *b)
{
	size_t r, i;
	unsigned long long n[N_BUCKETS], cum, any;
	int rc;

	if ((rc = vb_buf_puts(b, "# HELP vanban_http_request_duration_seconds Time from the "
				 "request to its completion, by route pattern.\n"
				 "# TYPE vanban_http_request_duration_seconds histogram\n")))
		return rc;
	for (r = 0; r < N_ROUTES; r++) {
		any = 0;
		for (i = 0; i < N_BUCKETS; i++) {
			n[i] = atomic_load_explicit(&bucket_n[r][i], memory_order_relaxed);
			any += n[i];
		}
		if (!any)
			continue;
		cum = 0;
		for (i = 0; i < N_BUCKETS; i++) {
			cum += n[i];
			if (i + 1 < N_BUCKETS)
				rc = vb_buf_printf(b,
						   "vanban_http_request_duration_seconds_bucket"
						   "{route=\"%s\",le=\"%g\"} %llu\n",
						   route_names[r], bucket_le[i], cum);
			else
				rc = vb_buf_printf(b,
						   "vanban_http_request_duration_seconds_bucket"
						   "{route=\"%s\",le=\"+Inf\"} %llu\n",
						   route_names[r], cum);
			if (rc)
				return rc;
		}
		rc = vb_buf_printf(b,
				   "vanban_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n"
				   "vanban_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
				   route_names[r],
				   (double)atomic_load_explicit(&duration_ns[r], memory_order_relaxed) /
					   1e9,
				   route_names[r], cum);
		if (rc)
			return rc;
	}
	return 0;
}

/* The gauges read at scrape time; a failure leaves the gauge out. */
static int put_gauges(vb_request *rq, vb_buf *b)
{
	vb_store *st;
	vb_xap_reader *reader;
	vb_error err;
	int64_t lag = 0;
	size_t docs = 0;
	int rc;

	vb_error_clear(&err);
	rc = vb_worker_store(rq->d, &st, &err);
	if (!rc)
		rc = vb_store_outbox_pending(st, &lag, &err);
	if (rc) {
		vb_warn("metrics: index lag: %s", err.msg);
		if (rc == VB_EDB)
			vb_worker_store_failed();
		atomic_fetch_add_explicit(&scrape_errors, 1, memory_order_relaxed);
	} else if ((rc = vb_buf_printf(b, "# HELP vanban_index_lag_jobs Index jobs waiting in the "
					  "outbox.\n# TYPE vanban_index_lag_jobs gauge\n"
					  "vanban_index_lag_jobs %lld\n",
				       (long long)lag))) {
		return rc;
	}

	vb_error_clear(&err);
	rc = vb_worker_reader(rq->d, &reader, &err);
	if (!rc)
		rc = vb_xap_reader_doccount(reader, &docs, &err);
	if (rc) {
		vb_warn("metrics: index documents: %s", err.msg);
		atomic_fetch_add_explicit(&scrape_errors, 1, memory_order_relaxed);
	} else if ((rc = vb_buf_printf(b, "# HELP vanban_index_documents Documents in the search "
					  "index (this worker's reader).\n"
					  "# TYPE vanban_index_documents gauge\n"
					  "vanban_index_documents %zu\n",
				       docs))) {
		return rc;
	}
	return 0;
}

/* Search snippets by where their text came from (api_search.c). */
static atomic_ullong snippets_index, snippets_database;

void vb_metrics_snippets(size_t from_index, size_t from_database)
{
	if (from_index)
		atomic_fetch_add_explicit(&snippets_index, from_index, memory_order_relaxed);
	if (from_database)
		atomic_fetch_add_explicit(&snippets_database, from_database,
					  memory_order_relaxed);
}

static int put_snippets(vb_buf *b)
{
	return vb_buf_printf(b,
		"# HELP vanban_search_snippets_total Search snippets made, by where the text "
		"came from: the head kept in the index (a number look-up's hit) or the "
		"database.\n# TYPE vanban_search_snippets_total counter\n"
		"vanban_search_snippets_total{source=\"index\"} %llu\n"
		"vanban_search_snippets_total{source=\"database\"} %llu\n",
		atomic_load_explicit(&snippets_index, memory_order_relaxed),
		atomic_load_explicit(&snippets_database, memory_order_relaxed));
}

/* The workers of dispatch.c: how busy, how many requests waited. */
static int put_workers(vb_buf *b)
{
	vb_dispatch_stats s;

	vb_dispatch_get_stats(&s);
	return vb_buf_printf(b,
		"# HELP vanban_http_workers Worker threads that run the requests.\n"
		"# TYPE vanban_http_workers gauge\nvanban_http_workers %u\n"
		"# HELP vanban_http_workers_busy Workers running a request (this scrape's "
		"included).\n# TYPE vanban_http_workers_busy gauge\nvanban_http_workers_busy %u\n"
		"# HELP vanban_http_queued_requests Requests waiting for a free worker.\n"
		"# TYPE vanban_http_queued_requests gauge\nvanban_http_queued_requests %u\n"
		"# HELP vanban_http_dispatched_total Requests handed to a worker.\n"
		"# TYPE vanban_http_dispatched_total counter\nvanban_http_dispatched_total %llu\n"
		"# HELP vanban_http_waited_total Requests that waited because every worker "
		"was busy.\n# TYPE vanban_http_waited_total counter\nvanban_http_waited_total %llu\n",
		s.workers, s.busy, s.queued, s.dispatched, s.waited);
}

/* ---- usage, imports, queues and sync (owned by report) ---- */

/* A label value with \\, " and newlines escaped (exposition format). */
static int put_label_value(vb_buf *b, const char *s)
{
	int rc = 0;

	for (; !rc && s && *s; s++) {
		if (*s == '\\' || *s == '"')
			rc = vb_buf_putc(b, '\\');
		if (!rc)
			rc = *s == '\n' ? vb_buf_puts(b, "\\n") : vb_buf_putc(b, *s);
	}
	return rc;
}

static int put_family(vb_buf *b, const char *name, const char *type, const char *help)
{
	return vb_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The usage counters of activity.c, since the start of this process. */
static int put_usage(vb_buf *b)
{
	vb_activity_stats a;
	int rc;

	vb_activity_stats_get(&a);
	rc = put_family(b, "vanban_searches_total", "counter", "Searches answered (page 1 only).");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_searches_total %llu\n", a.searches);
	if (!rc)
		rc = put_family(b, "vanban_searches_zero_results_total", "counter",
				"Searches that found nothing.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_searches_zero_results_total %llu\n", a.zero_results);
	if (!rc)
		rc = put_family(b, "vanban_document_views_total", "counter",
				"Document records and pages shown.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_document_views_total %llu\n", a.views);
	if (!rc)
		rc = put_family(b, "vanban_downloads_total", "counter",
				"File downloads started (from byte 0).");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_downloads_total %llu\n", a.downloads);
	if (!rc)
		rc = put_family(b, "vanban_activity_flushes_total", "counter",
				"Flushes of the usage counters to PostgreSQL, by result.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_activity_flushes_total{result=\"ok\"} %llu\n"
				      "vanban_activity_flushes_total{result=\"failed\"} %llu\n",
				   a.flushes, a.flush_failures);
	if (!rc)
		rc = put_family(b, "vanban_activity_dropped_total", "counter",
				"Usage counts dropped because the buffer was full.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_activity_dropped_total %llu\n", a.dropped);
	if (!rc)
		rc = put_family(b, "vanban_activity_buffered_rows", "gauge",
				"Usage counter rows waiting for the next flush.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_activity_buffered_rows %llu\n", a.buffered);
	return rc;
}

/* One gauge per source: NAME{source="S"} value, from the array a. */
static int put_per_source(vb_buf *b, const json_t *a, const char *name, const char *key)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);

		rc = vb_buf_printf(b, "%s{source=\"", name);
		if (!rc)
			rc = put_label_value(b, json_string_value(json_object_get(e, "source")));
		if (!rc)
			rc = vb_buf_printf(b, "\"} %lld\n",
					   (long long)json_integer_value(json_object_get(e, key)));
	}
	return rc;
}

/* Gauges read from the store at scrape time: documents and changes per
 * source, the age of the oldest index job, pending uploads, sync status.
 * Left out (and a scrape error counted) when the store does not answer. */
static int put_store(vb_request *rq, vb_buf *b)
{
	static const struct {
		const char *name, *key, *help;
	} sync_gauges[] = {
		{ "vanban_sync_last_run_timestamp_seconds", "last_run_epoch",
		  "Start of the newest sync run, Unix time." },
		{ "vanban_sync_last_success_timestamp_seconds", "last_success_epoch",
		  "End of the newest sync run that finished (ok or partial), Unix time; 0: never." },
		{ "vanban_sync_runs_failed", "runs_failed", "Sync runs that failed or were interrupted." },
		{ "vanban_sync_conflicts_pending", "conflicts_pending",
		  "Review items (upstream disagrees with a local document) waiting for staff." },
	};
	const json_t *srcs, *sync;
	json_t *m = NULL;
	vb_store *st;
	vb_error err;
	size_t i;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(rq->d, &st, &err)) || (rc = vb_store_metrics_read(st, &m, &err))) {
		vb_warn("metrics: store gauges: %s", err.msg);
		if (rc == VB_EDB)
			vb_worker_store_failed();
		atomic_fetch_add_explicit(&scrape_errors, 1, memory_order_relaxed);
		return 0;
	}
	srcs = json_object_get(m, "sources");
	sync = json_object_get(m, "sync");
	rc = put_family(b, "vanban_imported_documents", "gauge",
			"Documents stored, by source (importer, sync, upload).");
	if (!rc)
		rc = put_per_source(b, srcs, "vanban_imported_documents", "documents");
	if (!rc)
		rc = put_family(b, "vanban_imported_changes", "gauge",
				"New versions of stored documents (sum of version - 1), by source.");
	if (!rc)
		rc = put_per_source(b, srcs, "vanban_imported_changes", "changes");
	if (!rc)
		rc = put_family(b, "vanban_index_queue_oldest_seconds", "gauge",
				"Age of the oldest waiting index job (0: none waiting).");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_index_queue_oldest_seconds %.3f\n",
				   json_number_value(json_object_get(m, "outbox_oldest_seconds")));
	if (!rc)
		rc = put_family(b, "vanban_uploads_pending", "gauge",
				"Staff uploads waiting for confirmation.");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_uploads_pending %lld\n",
				   (long long)json_integer_value(json_object_get(m, "uploads_pending")));
	if (!rc)
		rc = put_family(b, "vanban_sync_available", "gauge",
				"Whether the sync tables exist (1) or not (0).");
	if (!rc)
		rc = vb_buf_printf(b, "vanban_sync_available %d\n",
				   json_is_true(json_object_get(sync, "available")));
	for (i = 0; !rc && json_array_size(json_object_get(sync, "sources")) &&
		    i < sizeof(sync_gauges) / sizeof(sync_gauges[0]);
	     i++) {
		rc = put_family(b, sync_gauges[i].name, "gauge", sync_gauges[i].help);
		if (!rc)
			rc = put_per_source(b, json_object_get(sync, "sources"), sync_gauges[i].name,
					    sync_gauges[i].key);
	}
	/* vanban_sync_up{source}: 1 when the newest run succeeded. */
	if (!rc && json_array_size(json_object_get(sync, "sources"))) {
		const json_t *a = json_object_get(sync, "sources");

		rc = put_family(b, "vanban_sync_up", "gauge",
				"Whether the newest sync run of the source finished (ok or partial).");
		for (i = 0; !rc && i < json_array_size(a); i++) {
			const json_t *e = json_array_get(a, i);
			const char *status = json_string_value(json_object_get(e, "status"));

			rc = vb_buf_puts(b, "vanban_sync_up{source=\"");
			if (!rc)
				rc = put_label_value(b, json_string_value(json_object_get(e, "source")));
			if (!rc)
				rc = vb_buf_printf(b, "\"} %d\n",
						   status && (!strcmp(status, "ok") ||
							      !strcmp(status, "partial")));
		}
	}
	json_decref(m);
	return rc;
}

enum MHD_Result vb_api_metrics(vb_request *rq)
{
	vb_buf b;
	enum MHD_Result ret;
	int rc;

	vb_buf_init(&b, METRICS_MAX_BODY);
	rc = vb_buf_puts(&b, "# HELP vanban_up Whether vanband is serving.\n"
			     "# TYPE vanban_up gauge\nvanban_up 1\n"
			     "# HELP vanban_build_info The version of vanband.\n"
			     "# TYPE vanban_build_info gauge\n");
	if (!rc)
		rc = vb_buf_printf(&b, "vanban_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
	if (!rc)
		rc = put_counters(&b);
	if (!rc)
		rc = put_histograms(&b);
	if (!rc)
		rc = put_gauges(rq, &b);
	if (!rc)
		rc = put_workers(&b);
	if (!rc)
		rc = put_snippets(&b);
	if (!rc)
		rc = put_usage(&b); /* report */
	if (!rc)
		rc = put_store(rq, &b); /* report */
	/* Last, so that this scrape's own errors are in it. */
	if (!rc)
		rc = vb_buf_printf(&b, "# HELP vanban_scrape_errors_total Gauges of /metrics that "
				       "could not be read.\n"
				       "# TYPE vanban_scrape_errors_total counter\n"
				       "vanban_scrape_errors_total %llu\n",
				   atomic_load_explicit(&scrape_errors, memory_order_relaxed));
	if (rc) {
		vb_error err;

		vb_buf_dispose(&b);
		vb_error_set(&err, rc, "could not build the metrics");
		return vb_http_send_vb_error(rq, &err);
	}
	ret = vb_http_send_bytes(rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
				 vb_buf_str(&b), b.len);
	vb_buf_dispose(&b);
	return ret;
}
