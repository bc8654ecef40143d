/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal interfaces of vanband, the HTTP daemon: the daemon-wide state
 * (read-only once the server runs), the per-request context, the response
 * helpers every route uses (security headers, JSON errors) and the route
 * handlers of the modules (api_search.c, api_documents.c, files.c,
 * api_resolve.c, api_suggest.c, pages.c, web.c, health.c).
 *
 * Threads: MHD runs a pool of cfg.threads worker threads; every handler
 * runs on one of them and uses that thread's own database connection and
 * Xapian reader (worker.c).  The vb_daemon is shared and never written
 * after start-up.
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
#include "search.h"
#include "store.h"
#include "xap.h"

/* Limits. */
#define VB_HTTP_MAX_URL 8192             /* path + query string, bytes */
#define VB_HTTP_MEMORY_LIMIT (64 * 1024) /* per-connection MHD pool */
#define VB_HTTP_CONNECTION_LIMIT 512
#define VB_HTTP_TIMEOUT 30               /* seconds */
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
} vb_request;

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
/* 400 "unknown parameter" naming name (already made printable with
 * vb_params_key_shown). */
enum MHD_Result vb_http_send_unknown_param(vb_request *rq, const char *name);

/* A route module (see routers[] in http.c): answers the requests that are
 * its own (sets *ret, returns 1), returns 0 for the others. */
typedef int vb_router(vb_request *rq, enum MHD_Result *ret);

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
	double took_ms;
	/* Hits of this page whose document number is the whole query (also a
	 * form-first prefix such as "QĐ 05/2023"): a number typed as the
	 * query goes straight to its document(s). */
	int64_t number_match[VB_SEARCH_MAX_PER_PAGE];
	size_t n_number_match;
} vb_search_page;

/* Read the query string into sp->params (prefer_in_force defaulting to
 * the configuration's).  0, VB_EINVAL (perr set) or VB_ETOOBIG (query
 * string too long). */
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

/* ---- pages.c ---- */

enum MHD_Result vb_page_search(vb_request *rq);
enum MHD_Result vb_page_document(vb_request *rq, int64_t id);
/* HTML error page. */
enum MHD_Result vb_page_error(vb_request *rq, unsigned status, const char *message);

/* ---- web.c: files of the web directory ---- */

void vb_web_load(vb_daemon *d);
void vb_web_dispose(vb_daemon *d);
enum MHD_Result vb_web_send(vb_request *rq, const vb_web_asset *a, const char *type,
			    int max_age);

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
/* GET /metrics: Prometheus text exposition format 0.0.4. */
enum MHD_Result vb_api_metrics(vb_request *rq);
/* GET /readyz: 200 when this worker's database connection answers and
 * the index is open, else 503 naming what is not ready. */
enum MHD_Result vb_api_ready(vb_request *rq);

/* ---- end of metrics ---- */

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

#endif
