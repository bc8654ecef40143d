/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fetching upstream pages and files for the sync: over HTTP(S) with
 * libcurl from a base URL, or from a saved mirror directory laid out like
 * the site (DIR + path, the query string kept in the file name:
 * DIR/TW/Pages/vbpq-thuoctinh.aspx?ItemID=96172).
 *
 * Polite by construction: an identifying User-Agent ("vanban/VERSION
 * (+contact)"), at least min_interval seconds between two requests, a
 * connect and a total timeout, a size cap, and retries with exponential
 * back-off (backoff_ms, doubled per attempt) for transient failures (5xx,
 * 429, timeouts, truncated bodies, connection errors).  404 and other 4xx
 * are not retried.
 *
 * A vb_fetch is used by one thread.
 */
#ifndef VB_FETCH_H
#define VB_FETCH_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

typedef struct vb_fetch_opts {
	const char *base_url;   /* "https://vbpl.vn" (no trailing slash needed) */
	const char *mirror_dir; /* instead of base_url */
	double min_interval;    /* seconds between requests (HTTP only) */
	int retries;            /* extra attempts for transient failures */
	int backoff_ms;         /* first back-off, doubled per attempt */
	long timeout;           /* seconds per request (total) */
	size_t max_bytes;       /* largest body */
	const char *user_agent; /* NULL: "vanban/VERSION (+https://github.com/vanban)" */
} vb_fetch_opts;

typedef struct vb_fetch vb_fetch;

int vb_fetch_new(vb_fetch **out, const vb_fetch_opts *o, vb_error *err);
void vb_fetch_free(vb_fetch *f);

/* The full URL (or mirror file path) of a site path into out. */
void vb_fetch_url(const vb_fetch *f, const char *path, char *out, size_t n);

/* GET path ("/TW/Pages/x.aspx?ItemID=1"; spaces and non-ASCII bytes are
 * percent-encoded) into out (reset first).  0; VB_ENOTFOUND (404, or no
 * such mirror file); VB_ETOOBIG (larger than max_bytes); VB_EAGAIN
 * (transient failure still there after the retries); VB_EIO (other HTTP
 * status or error).  The message names the URL. */
int vb_fetch_get(vb_fetch *f, const char *path, vb_buf *out, vb_error *err);

/* Requests made (attempts included), for the report. */
long vb_fetch_requests(const vb_fetch *f);

#endif
