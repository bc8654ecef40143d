/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal interfaces of vanband, the HTTP daemon: the daemon-wide state
 * (read-only once the server runs), the per-request context, the response
 * helpers every route uses (security headers, JSON errors) and the route
 * handlers of the modules (api_search.c, api_documents.c, files.c,
 * api_resolve.c, api_suggest.c, pages.c, page_search.c, page_document.c,
 * web.c, health.c).
 *
 * Threads: MHD's few threads read requests and write responses; the
 * routes, and the last call of a route with a body, run on cfg.threads
 * worker threads (dispatch.c).  Each thread uses its own
 * database connection and Xapian reader (worker.c).  The vb_daemon is
 * shared and never written after start-up.
 */
#ifndef VB_DAEMON_H
#define VB_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "config.h"
#include "error.h"
#include "params.h"
#include "portal.h"
#include "search.h"
#include "store.h"
#include "xap.h"

/* Limits. */
#define VB_HTTP_MAX_URL 8192             /* path + query string, bytes */
#define VB_HTTP_MEMORY_LIMIT (64 * 1024) /* per-connection MHD pool */
#define VB_HTTP_CONNECTION_LIMIT 512
#define VB_HTTP_TIMEOUT 30               /* seconds, default of cfg.http_timeout */
#define VB_HTTP_PER_IP_LIMIT 64          /* connections from one address */
#define VB_HTTP_IO_THREADS 2             /* MHD's own threads (dispatch.c) */
#define VB_HTTP_HSTS "max-age=31536000"  /* behind TLS only (cfg.behind_tls) */
#define VB_HTTP_MAX_BODY (16u * 1024 * 1024) /* largest generated page */
#define VB_WEB_ASSET_MAX (4u * 1024 * 1024)
#define VB_SNIPPET_BYTES 320

/* A file from the web directory, loaded at start-up. */
typedef struct vb_web_asset {
	char *data;    /* NULL when the file could not be read */
	size_t len;
	char etag[48]; /* quoted */
} vb_web_asset;

typedef struct vb_daemon {
	vb_config cfg;
	char index_path[VB_CONFIG_STR + 16];
	char files_path[VB_CONFIG_STR + 16];
	vb_web_asset openapi;
	vb_web_asset css;
	vb_web_asset widget; /* widget.js (web.c, owned by widget) */
	struct MHD_Daemon *mhd;
} vb_daemon;

/* One HTTP request, from the first call of the access handler to the
 * completion notice. */
typedef struct vb_request {
	struct MHD_Connection *conn;
	const vb_daemon *d;
	const char *method;
	const char *url;    /* path, URL-decoded by MHD, no query string */
	int head;           /* HEAD: same headers as GET, no body */
	int responded;      /* a response was queued */
	struct timespec start;
	char log_path[128]; /* sanitised copy for the access log */
	uint64_t id;        /* request id (X-Request-Id, access log); 0 = not yet */
	int64_t bytes;      /* response body length, set by the senders (access log) */
	/* dispatch.c: a request run by a worker while its connection is parked */
	int deferred;       /* run by a worker: vb_http_send keeps the response */
	unsigned dstatus;
	struct MHD_Response *dresp;
	enum MHD_Result dret;
	enum MHD_Result (*droute)(struct vb_request *);
	/* the access handler of a route with its own (http.c own_access) */
	enum MHD_Result (*daccess)(const struct vb_daemon *, struct MHD_Connection *,
				   const char *, const char *, const char *, size_t *, void **);
	struct vb_request *dnext;
} vb_request;

/* ---- dispatch.c ---- */

/* Start (stop) the workers that run the GET and HEAD routes while MHD's
 * threads keep to reading and writing.  Stop before MHD is stopped. */
int vb_dispatch_start(const vb_daemon *d, unsigned workers, vb_error *err);
void vb_dispatch_stop(void);
/* Park rq's connection and queue route(rq) for a worker: 1, or 0 when the
 * workers are stopping (the caller runs the route itself). */
int vb_dispatch_submit(vb_request *rq, enum MHD_Result (*route)(vb_request *));
/* MHD's thread, called again for a resumed request: queue the response
 * the worker made. */
enum MHD_Result vb_dispatch_resumed(vb_request *rq);
/* For /metrics: workers, those running a request, requests waiting for
 * one; requests handed to a worker since start, and those that waited. */
typedef struct vb_dispatch_stats {
	unsigned workers, busy, queued;
	unsigned long long dispatched, waited;
} vb_dispatch_stats;
void vb_dispatch_get_stats(vb_dispatch_stats *out);

/* ---- http.c ---- */

/* Start MHD on d->cfg.listen ("ADDR:PORT" or "[ADDR6]:PORT").  0 or
 * VB_EINVAL (bad address) / VB_EIO (could not listen). */
int vb_http_start(vb_daemon *d, vb_error *err);
void vb_http_stop(vb_daemon *d);

/* Queue resp with status and the common security headers, then release
 * resp.  Returns an MHD_Result for the access handler. */
enum MHD_Result vb_http_send(vb_request *rq, unsigned status, struct MHD_Response *resp);
/* Send len bytes copied from data with the given Content-Type. */
enum MHD_Result vb_http_send_bytes(vb_request *rq, unsigned status, const char *type,
				   const char *data, size_t len);
/* Send body (a JSON value; the reference is stolen) as application/json. */
enum MHD_Result vb_http_send_json(vb_request *rq, unsigned status, json_t *body);
/* Send {"error":{"code","message"[,"parameter"]}}; parameter may be NULL.
 * code is a vb_code_name-style word ("invalid", "not_found", ...). */
enum MHD_Result vb_http_send_error(vb_request *rq, unsigned status, const char *code,
				   const char *parameter, const char *message);
/* Map a VB_E* code and its message to a JSON error response. */
enum MHD_Result vb_http_send_vb_error(vb_request *rq, const vb_error *err);
/* 400 naming the first query-string argument, when there is any (for
 * routes that take no parameters); MHD_NO-free: returns 1 when a response
 * was queued (*ret set), 0 when there were no arguments. */
int vb_http_refuse_args(vb_request *rq, enum MHD_Result *ret);
/* o (consumed; NULL: MHD_NO) as a JSON answer with Cache-Control:
 * no-store and one more header (hname NULL: none). */
enum MHD_Result vb_http_send_json_hdr(vb_request *rq, unsigned status, json_t *o,
				      const char *hname, const char *hval);
/* A JSON error ({"error":{"code","message"}}, Cache-Control: no-store)
 * with one more header (hname may be NULL). */
enum MHD_Result vb_http_send_error_hdr(vb_request *rq, unsigned status, const char *code,
				       const char *message, const char *hname, const char *hval);
/* 400 "unknown parameter" naming name (already made printable with
 * vb_params_key_shown). */
enum MHD_Result vb_http_send_unknown_param(vb_request *rq, const char *name);

/* A route module (see routers[] in http.c): answers the requests that are
 * its own (sets *ret, returns 1), returns 0 for the others. */
typedef int vb_router(vb_request *rq, enum MHD_Result *ret);

/* Fill a new request context: connection, daemon, method, url (not
 * copied: MHD keeps it for the request's life), HEAD flag, start time and
 * the printable copy of the path for the access log.  Every access handler
 * (on_request and the modules that read bodies) starts with it. */
void vb_http_request_init(vb_request *rq, const vb_daemon *d, struct MHD_Connection *conn,
			  const char *url, const char *method);

/* One later call of the access handler of a route that takes a small
 * body into a buffer (body of max bytes + 1, *len bytes used so far):
 * returns 1 when the call carried body bytes and the handler must return
 * MHD_YES (the bytes appended, or *too_big set when they would pass max;
 * after a response was queued they are discarded), 0 when the body is
 * complete and the request is to be answered. */
int vb_http_body_read(vb_request *rq, char *body, size_t max, size_t *len, int *too_big,
		      const char *data, size_t *size);

/* ---- worker.c: per-thread resources ---- */

int vb_worker_setup(void);
void vb_worker_teardown(void);
/* This thread's store, connected on first use.  0 or VB_EDB. */
int vb_worker_store(const vb_daemon *d, vb_store **out, vb_error *err);
/* Forget this thread's connection after a VB_EDB failure, so that the next
 * request reconnects. */
void vb_worker_store_failed(void);
/* This thread's reader, opened on first use and refreshed on every call so
 * new commits and a swapped index are seen.  VB_EAGAIN when there is no
 * index yet. */
int vb_worker_reader(const vb_daemon *d, vb_xap_reader **out, vb_error *err);

/* ---- api_search.c ---- */

/* A search with everything the API and the HTML page show. */
typedef struct vb_search_page {
	vb_params params;
	vb_search_result res;
	char **snippets;     /* n_hits entries, HTML or NULL */
	json_t **hit_data;   /* n_hits entries: vb_search_page_hit's parses */
	double took_ms;
	/* Hits of this page whose document number is the whole query (also a
	 * form-first prefix such as "QĐ 05/2023"): a number typed as the
	 * query goes straight to its document(s). */
	int64_t number_match[VB_SEARCH_MAX_PER_PAGE];
	size_t n_number_match;
	/* portals: the portal searched (portal= or the Host header), its
	 * scope and former place names, borrowed by params.req. */
	vb_portal_search portal;
	/* discovery: 1 = vb_search_page_run makes no snippets (feeds and
	 * bundles show none; saves reading the hits' texts). */
	int no_snippets;
} vb_search_page;

/* The stored JSON object of hit i of sp, parsed on first use and kept
 * with the page (borrowed: sp owns it); NULL when the hit has no data or
 * it cannot be parsed. */
json_t *vb_search_page_hit(vb_search_page *sp, size_t i);

/* Read the query string into sp->params (prefer_in_force defaulting to
 * the configuration's) and choose the portal (portal=, else the Host
 * header), whose scope goes into sp->params.req.  0, VB_EINVAL (perr set;
 * also for an unknown portal), VB_ETOOBIG (query string too long) or
 * VB_EAGAIN (the portal registry could not be read). */
int vb_search_page_parse(vb_request *rq, vb_search_page *sp, vb_param_error *perr);
/* Run the search with the configured synonym table (a snapshot of
 * vb_synonyms_shared(cfg.synonyms) held for this request; when the file
 * cannot be read, without synonyms) and make the snippets.  VB_EAGAIN
 * when the index is not available, other VB_E* from the index. */
int vb_search_page_run(vb_request *rq, vb_search_page *sp, vb_error *err);
void vb_search_page_init(vb_search_page *sp);
void vb_search_page_dispose(vb_search_page *sp);
/* Error response for a failed parse (400 JSON or 414). */
enum MHD_Result vb_search_send_param_error(vb_request *rq, int rc, const vb_param_error *perr);

enum MHD_Result vb_api_search(vb_request *rq);

/* ---- api_documents.c / files.c ---- */

/* Parse a positive decimal id (no sign, no leading zeros beyond "0"). */
int vb_parse_id(const char *s, size_t len, int64_t *out);
enum MHD_Result vb_api_document(vb_request *rq, int64_t id);
enum MHD_Result vb_api_file(vb_request *rq, int64_t id, const char *index);

/* ---- api_resolve.c / api_suggest.c ---- */

/* GET /api/v1/resolve?citation=: a pasted citation -> found / ambiguous /
 * not_found (citation required, at most 2048 bytes). */
enum MHD_Result vb_api_resolve(vb_request *rq);
/* GET /api/v1/suggest?q=&limit=: completions of a number or title prefix
 * (q at most 256 bytes, limit 1-20, default 8). */
enum MHD_Result vb_api_suggest(vb_request *rq);

/* ---- pages.c (the frame, pages_int.h), page_search.c, page_document.c ---- */

enum MHD_Result vb_page_search(vb_request *rq);
enum MHD_Result vb_page_document(vb_request *rq, int64_t id);
/* HTML error page. */
enum MHD_Result vb_page_error(vb_request *rq, unsigned status, const char *message);

/* ---- web.c: files of the web directory ---- */

void vb_web_load(vb_daemon *d);
void vb_web_dispose(vb_daemon *d);
enum MHD_Result vb_web_send(vb_request *rq, const vb_web_asset *a, const char *type,
			    int max_age);

/* ---- web.c, pages.c (owned by widget) ---- */

/* GET /static/widget.js: the embeddable search widget (web/widget.js),
 * cacheable, with an ETag. */
int vb_route_widget(vb_request *rq, enum MHD_Result *ret);

/* ---- end of widget ---- */

/* ---- health.c ---- */

enum MHD_Result vb_api_health(vb_request *rq);

/* ---- metrics.c, and /readyz in health.c (owned by metrics) ---- */

/* Count one completed request under the route pattern of path (see
 * vb_metrics_route), its method (GET, HEAD, POST or "other") and status
 * (0: no response), with its duration in seconds.  Thread-safe and
 * lock-free; called by http.c's completion handler for every request. */
void vb_metrics_record(const char *method, const char *path, unsigned status, double seconds);
/* The route pattern a path counts under ("/api/v1/documents/{id}", ...;
 * "other" for a path no route serves).  A static string. */
const char *vb_metrics_route(const char *path);
/* Count search snippets made from the index's head of a text and from the
 * database's whole text (vanban_search_snippets_total). */
void vb_metrics_snippets(size_t from_index, size_t from_database);
/* GET /metrics: Prometheus text exposition format 0.0.4. */
enum MHD_Result vb_api_metrics(vb_request *rq);
/* GET /readyz: 200 when this worker's database connection answers and
 * the index is open, else 503 naming what is not ready. */
enum MHD_Result vb_api_ready(vb_request *rq);

/* ---- end of metrics ---- */

/* ---- http.c access log and read-only mode (owned by replicas) ---- */

/* Give rq its request id if it has none yet (also done by vb_http_send,
 * which sends it as X-Request-Id). */
void vb_http_request_id(vb_request *rq);
/* 503 {"error":{"code":"read_only",...}}: this vanband is a read-only
 * replica (cfg.read_only) and the request would write. */
enum MHD_Result vb_http_send_read_only(vb_request *rq);

/* ---- api_portals.c: the portal registry (owned by portals) ---- */

/* Whether url is /api/v1/portals or below it. */
int vb_portals_route(const char *url);
/* The whole MHD access handler of the portal routes (like
 * vb_api_upload_access): GET /api/v1/portals[/{id}] are public, the POSTs
 * need the API token.  Its request context is one allocation starting with
 * the vb_request (the completion handler frees it). */
enum MHD_Result vb_api_portals_access(const vb_daemon *d, struct MHD_Connection *conn,
				      const char *url, const char *method,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls);
/* Fill ps for a search: portal id when given, else the portal of the
 * request's Host header (none when no portal has that domain).  0,
 * VB_EINVAL with perr naming "portal" (unknown portal), VB_EAGAIN (the
 * registry could not be read). */
int vb_portal_page_setup(vb_request *rq, vb_portal_search *ps, const char *id,
			 vb_param_error *perr);
/* "portal" of a search answer: {"id", "requested", "name", "by_host"} or
 * null. */
json_t *vb_portal_page_json(const vb_portal_search *ps);
/* Drop the registry searches read (after a write; at shutdown). */
void vb_portal_registry_forget(void);

/* ---- end of portals ---- */

/* ---- api_upload.c: staff uploads (owned by upload) ---- */

/* Whether url is /api/v1/uploads or below it. */
int vb_upload_route(const char *url);
/* The whole MHD access handler for the upload routes (same arguments as
 * MHD's, plus the daemon): it allocates the request context itself (a
 * vb_request first, so the completion handler can log and free it) and
 * reads request bodies. */
enum MHD_Result vb_api_upload_access(const vb_daemon *d, struct MHD_Connection *conn,
				     const char *url, const char *method,
				     const char *upload_data, size_t *upload_data_size,
				     void **con_cls);
/* Release the temporary files and parser of an upload request; call from
 * the completion handler before freeing rq (does nothing for other
 * routes). */
void vb_api_upload_completed(vb_request *rq);

/* ---- cache.c, feeds.c, opensearch.c, sitemap.c, bundle.c (owned by discovery) ---- */

struct vb_buf;

/* Cache-Control lifetimes, seconds ("public, max-age=N"). */
#define VB_CACHE_SEARCH_AGE 60   /* search results (JSON, HTML) */
#define VB_CACHE_DOC_AGE 300     /* document JSON and pages */
#define VB_CACHE_FEED_AGE 300    /* feeds, sitemap, OpenSearch, robots.txt */
#define VB_CACHE_FILE_AGE 86400  /* original files (ETag = SHA-256) */
#define VB_CACHE_ETAG_LEN 40     /* quoted tag + NUL */
#define VB_CACHE_FILE_CONTROL "public, max-age=86400" /* files.c */

/* A strong ETag for len bytes of data: "\"<32 hex digits of SHA-256>\"". */
void vb_cache_etag_of(char etag[VB_CACHE_ETAG_LEN], const void *data, size_t len);
/* Whether the request's If-None-Match names etag (or is "*"). */
int vb_cache_if_none_match(vb_request *rq, const char *etag);
/* Cache-Control (max_age < 0: "no-cache") and ETag (when not NULL/""). */
void vb_cache_add_headers(struct MHD_Response *resp, const char *etag, int max_age);
/* 304 with ETag and Cache-Control, no body. */
enum MHD_Result vb_cache_send_not_modified(vb_request *rq, const char *etag, int max_age);
/* The one-call helper for a generated body (pages, feeds, JSON): 200 with
 * len bytes of body (copied), Content-Type type, the ETag of the bytes and
 * Cache-Control: public, max-age=max_age; or 304 when If-None-Match
 * matches. */
enum MHD_Result vb_cache_send(vb_request *rq, const char *type, const char *body, size_t len,
			      int max_age);
/* The same with a Vary header (e.g. "Accept-Language" for pages whose
 * language follows it), also on the 304; vary NULL: none.  For pages.c:
 * vb_cache_send_vary(rq, "text/html; charset=utf-8", html, len,
 * VB_CACHE_DOC_AGE (document) or VB_CACHE_SEARCH_AGE (search),
 * "Accept-Language"). */
enum MHD_Result vb_cache_send_vary(vb_request *rq, const char *type, const char *body,
				   size_t len, int max_age, const char *vary);
/* A JSON value (reference stolen) as 200 application/json with
 * Cache-Control max_age, and an ETag / 304 when with_etag. */
enum MHD_Result vb_cache_send_json(vb_request *rq, json_t *body, int max_age, int with_etag);

/* CORS: add Access-Control-Allow-Origin: * (and Expose-Headers) when rq
 * is a public read (GET/HEAD of /api/v1/ except uploads, /feeds/,
 * /opensearch.xml, /sitemap*, without Authorization); called by
 * vb_http_send for every response. */
void vb_cors_add_headers(const vb_request *rq, struct MHD_Response *resp);
/* Answer an OPTIONS preflight of a public read path with 204 (sets *ret,
 * returns 1); 0 for any other request. */
int vb_cors_preflight(vb_request *rq, enum MHD_Result *ret);

/* The router of /feeds/documents.atom, /feeds/search.atom,
 * /opensearch.xml, /sitemap.xml, /sitemaps/N.xml, /robots.txt and
 * /api/v1/bundle (feeds.c). */
int vb_route_discovery(vb_request *rq, enum MHD_Result *ret);
/* The absolute base URL of this service as the client sees it, no final
 * slash: VANBAN_PUBLIC_URL when set, else "http://" + the Host header
 * (when it is a plausible host[:port]), else "http://" + listen. */
void vb_public_base(vb_request *rq, char *out, size_t outsz);
/* Append s as XML character data / attribute value: & < > " ' escaped,
 * control characters XML 1.0 does not allow dropped. */
int vb_xml_put(struct vb_buf *b, const char *s);
/* Append s percent-encoded for a query string (all but A-Z a-z 0-9 - . _ ~). */
int vb_url_put_pct(struct vb_buf *b, const char *s);

enum MHD_Result vb_feed_documents(vb_request *rq);
enum MHD_Result vb_feed_search(vb_request *rq);
enum MHD_Result vb_opensearch(vb_request *rq);
enum MHD_Result vb_sitemap(vb_request *rq, long page); /* page -1: /sitemap.xml */
enum MHD_Result vb_robots(vb_request *rq);
enum MHD_Result vb_api_bundle(vb_request *rq);

/* ---- end of discovery ---- */

/* ---- activity.c, api_report.c, metrics additions (owned by report) ---- */

/* Usage counters (see activity.c): thread-safe, no I/O, never blocking on
 * the database; portal "" when none was chosen.  A search: its query text
 * (normalised before it is kept; NULL or "" for browsing by filters) and
 * its total.  Call once per search shown (page 1 only). */
void vb_activity_count_search(const char *portal, const char *language, const char *q, size_t total);
/* A document record or page shown (GET, not HEAD). */
void vb_activity_count_view(const char *portal, int64_t document_id);
/* A file download started (the whole file or a range from byte 0). */
void vb_activity_count_download(const char *portal, int64_t document_id);
/* Start the flusher thread (nothing when cfg.activity_flush_seconds is
 * 0).  Call before the HTTP server starts.  0, VB_ENOMEM, VB_EIO. */
int vb_activity_start(const vb_daemon *d, vb_error *err);
/* Flush what is buffered and stop the thread; after vb_http_stop. */
void vb_activity_stop(void);

typedef struct vb_activity_stats {
	unsigned long long searches, zero_results, views, downloads; /* since start */
	unsigned long long dropped;        /* counts lost to a full buffer */
	unsigned long long flushes, flush_failures;
	unsigned long long buffered;       /* rows waiting for the next flush */
} vb_activity_stats;
void vb_activity_stats_get(vb_activity_stats *out);

/* GET /api/v1/report?year=&portal=&format=json|csv|html (API token). */
int vb_route_report(vb_request *rq, enum MHD_Result *ret);

/* ---- end of report ---- */

/* ---- api_sync.c (owned by sync) ---- */

/* GET /api/v1/sync/status: the upstream sync's runs, checkpoints and
 * review list (lib/store_sync.c). */
int vb_route_sync(vb_request *rq, enum MHD_Result *ret);
/* Start the schedule thread (validity recompute; syncs of the sources
 * whose URL is set) unless the daemon is a read-only replica (else do
 * nothing); stop and join it (waits for a run in progress to finish its
 * current record). */
int vb_sync_schedule_start(const vb_daemon *d, vb_error *err);
void vb_sync_schedule_stop(void);
/* Whether url is /api/v1/sync/reviews or below it. */
int vb_sync_reviews_route(const char *url);
/* The whole MHD access handler of the review list (like
 * vb_api_portals_access; every request needs the API token):
 * GET /api/v1/sync/reviews[?status=&source=&limit=],
 * POST /api/v1/sync/reviews/{id}/accept|reject with {"reason": "..."}. */
enum MHD_Result vb_api_sync_reviews_access(const vb_daemon *d, struct MHD_Connection *conn,
					   const char *url, const char *method,
					   const char *upload_data, size_t *upload_data_size,
					   void **con_cls);

/* ---- end of sync ---- */

/* ---- eli_route.c, page_relations.c (owned by relations) ---- */

struct vb_buf;

/* GET /eli/vn/...: 303 to the one document with that identifier, 300 with
 * the candidates when several, 404 when none (see eli_route.c). */
int vb_route_eli(vb_request *rq, enum MHD_Result *ret);
/* Append the document page's validity / ELI / timeline / relations
 * section for document id in lang ("vi", "en", "zh"); nothing (logged)
 * when it cannot be read. */
void vb_page_relations(struct vb_buf *b, vb_request *rq, int64_t id, const char *lang);
/* Add "eli", "validity", "relations" and "timeline" to the document JSON
 * doc.  0 or the store's error code (doc is then unchanged). */
int vb_relations_add_json(vb_request *rq, int64_t id, json_t *doc);

/* ---- end of relations ---- */

/* ---- withdrawn.c, 410 in pages.c (owned by workflow) ---- */

/* 1 when document id is withdrawn: *info gets a new object {id, state,
 * reason, withdrawn_at} for the senders below; 0 when it is published,
 * missing or cannot be read (the caller's own read then answers). */
int vb_withdrawn_check(vb_request *rq, int64_t id, json_t **info);
/* 410 {"error": {"code": "withdrawn", "message", "reason", "withdrawn_at"}}
 * (info consumed). */
enum MHD_Result vb_withdrawn_send_json(vb_request *rq, json_t *info);
/* 410 HTML page in the request's language (lang= or Accept-Language)
 * with the reason and the date (info consumed; pages.c). */
enum MHD_Result vb_page_withdrawn(vb_request *rq, json_t *info);

/* ---- end of workflow ---- */

/* ---- auth.c, api_users.c (owned by accounts) ---- */

struct vb_principal;

/* Resolve the caller: Bearer token (config api_token or a DB token
 * "vbt_...") or session cookie "vb_session".  Returns 0 with *p filled
 * (VB_ACTOR_ANONYMOUS when no credential; ip and request_id always set);
 * 1 when a response was queued (*ret): 401 "invalid_token" for a bad,
 * revoked or expired token or a disabled user, 503 when the database is
 * down.  An unknown, expired or logged-out session cookie (or one of a
 * disabled user) is no credential: anonymous, so that pages can offer the
 * login; vb_auth_require then answers 401. */
int vb_auth_principal(vb_request *rq, struct vb_principal *p, enum MHD_Result *ret);
/* The whole check for a write: authenticated (401 "unauthorized" with
 * WWW-Authenticate), CSRF when the credential is a session cookie
 * (csrf_value: the form field "csrf", else the X-CSRF-Token header is read;
 * 403 "csrf"), role + scope in portal (403 "forbidden", the message names
 * the portal and the role needed).  portal NULL: "in any portal"; role 0:
 * no role needed (sysadmin-only checks use vb_auth_require_sysadmin).
 * Returns 0 = allowed (*p filled), 1 = a response was queued (*ret). */
int vb_auth_require(vb_request *rq, struct vb_principal *p, const char *portal, unsigned role,
		    unsigned scope, const char *csrf_value, enum MHD_Result *ret);
/* The same for an action only a system administrator may do. */
int vb_auth_require_sysadmin(vb_request *rq, struct vb_principal *p, unsigned scope,
			     const char *csrf_value, enum MHD_Result *ret);
/* 403 "forbidden" naming portal (NULL: "any portal") and the role needed. */
enum MHD_Result vb_auth_send_forbidden(vb_request *rq, const char *portal, unsigned role);
/* The client address of rq (the peer; X-Forwarded-For's last hop when the
 * peer is cfg.trusted_proxy) as text into out. */
void vb_auth_client_ip(vb_request *rq, char *out, size_t outsz);
/* The per-address login limiter, shared by every login (api_users.c,
 * admin_login.c): 10 failures within 10 minutes block the address until
 * the window ends.  _blocked: seconds to wait (0: may try); _failed: count
 * one failure.  In memory, thread-safe; ip as from vb_auth_client_ip. */
int vb_auth_ip_blocked(const char *ip);
void vb_auth_ip_failed(const char *ip);
/* Verify password against a fixed hash made once at the configured cost:
 * an unknown login takes as long to refuse as a wrong password. */
void vb_auth_verify_dummy(const char *password);
/* Whether the request came over TLS (cfg.behind_tls, or X-Forwarded-Proto:
 * https from the trusted proxy): session cookies get "Secure". */
int vb_auth_request_tls(vb_request *rq);

/* Whether url is /api/v1/session, /api/v1/users, /api/v1/tokens,
 * /api/v1/audit or below them. */
int vb_users_route(const char *url);
/* The whole MHD access handler of those routes (like vb_api_portals_access). */
enum MHD_Result vb_api_users_access(const vb_daemon *d, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *upload_data, size_t *upload_data_size,
				    void **con_cls);

/* ---- end of accounts ---- */

/* ---- admin.c, admin_pages.c, admin_manage.c (owned by admin) ---- */

/* Whether url is /admin or below it (the staff admin UI, docs/admin.md). */
int vb_admin_route(const char *url);
/* The whole MHD access handler of the admin UI (like vb_api_upload_access):
 * HTML pages for GET/HEAD, url-encoded or multipart forms for POST (body
 * at most 256 KiB), every POST checked for its CSRF token. */
enum MHD_Result vb_admin_access(const vb_daemon *d, struct MHD_Connection *conn,
				const char *url, const char *method,
				const char *upload_data, size_t *upload_data_size,
				void **con_cls);
/* Release an admin request's form parser and fields; called by the
 * completion handler before it frees rq (nothing for other routes). */
void vb_admin_completed(vb_request *rq);

/* ---- end of admin ---- */

#endif
