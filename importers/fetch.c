/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fetching for the sync (see fetch.h): libcurl easy handle reused for
 * every request (keep-alive), or files of a mirror directory.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vb_fetch {
	vb_fetch_opts o;
	char *base, *mirror, *ua;
	CURL *curl;
	struct timespec last;
	int have_last;
	long requests;
};

struct sink {
	vb_buf *b;
	int too_big;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int vb_fetch_new(vb_fetch **out, const vb_fetch_opts *o, vb_error *err)
{
	vb_fetch *f;
	static int curl_ready;

	*out = NULL;
	if ((!o->base_url || !*o->base_url) == (!o->mirror_dir || !*o->mirror_dir))
		return vb_error_set(err, VB_EINVAL, "give either a base URL or a mirror directory");
	if (!(f = calloc(1, sizeof(*f))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	f->o = *o;
	f->base = o->base_url ? strdup(o->base_url) : NULL;
	f->mirror = o->mirror_dir ? strdup(o->mirror_dir) : NULL;
	f->ua = strdup(o->user_agent ? o->user_agent
				     : "vanban/" PACKAGE_VERSION " (+https://github.com/vanban/vanban)");
	if ((o->base_url && !f->base) || (o->mirror_dir && !f->mirror) || !f->ua)
		goto nomem;
	if (f->base) {
		size_t n = strlen(f->base);

		while (n && f->base[n - 1] == '/')
			f->base[--n] = '\0';
		if (strncmp(f->base, "http://", 7) && strncmp(f->base, "https://", 8)) {
			vb_fetch_free(f);
			return vb_error_set(err, VB_EINVAL, "base URL \"%s\" is not http(s)",
					    o->base_url);
		}
		if (!curl_ready) {
			/* not thread-safe: the first fetcher is made before threads */
			curl_global_init(CURL_GLOBAL_DEFAULT);
			curl_ready = 1;
		}
		if (!(f->curl = curl_easy_init()))
			goto nomem;
	}
	if (f->o.max_bytes == 0)
		f->o.max_bytes = 64u * 1024 * 1024;
	if (f->o.timeout <= 0)
		f->o.timeout = 60;
	*out = f;
	return 0;
nomem:
	vb_fetch_free(f);
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}

void vb_fetch_free(vb_fetch *f)
{
	if (!f)
		return;
	if (f->curl)
		curl_easy_cleanup(f->curl);
	free(f->base);
	free(f->mirror);
	free(f->ua);
	free(f);
}

long vb_fetch_requests(const vb_fetch *f)
{
	return f->requests;
}

/* path with spaces, controls and non-ASCII percent-encoded. */
static void encode(const char *path, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	for (; *path && w + 4 < n; path++) {
		unsigned char c = (unsigned char)*path;

		if (c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
		    c == '^' || c == '`' || c == '{' || c == '|' || c == '}') {
			out[w++] = '%';
			out[w++] = hex[c >> 4];
			out[w++] = hex[c & 15];
		} else {
			out[w++] = (char)c;
		}
	}
	out[w] = '\0';
}

void vb_fetch_url(const vb_fetch *f, const char *path, char *out, size_t n)
{
	char enc[4096];

	if (f->mirror) {
		snprintf(out, n, "%s%s%s", f->mirror, path[0] == '/' ? "" : "/", path);
		return;
	}
	encode(path, enc, sizeof(enc));
	snprintf(out, n, "%s%s%s", f->base, enc[0] == '/' ? "" : "/", enc);
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;

	if (vb_buf_append(s->b, p, n)) {
		s->too_big = 1;
		return 0;
	}
	return n;
}

static int get_mirror(vb_fetch *f, const char *path, vb_buf *out, vb_error *err)
{
	char file[4096];
	FILE *fp;
	char chunk[65536];
	size_t n;
	int rc = 0;

	{
		size_t plen = strlen(path);

		if (strstr(path, "/../") || strstr(path, "/./") || !strncmp(path, "../", 3) ||
		    (plen >= 3 && !strcmp(path + plen - 3, "/..")) || !strcmp(path, ".."))
			return vb_error_set(err, VB_EINVAL, "path \"%s\" leaves the mirror", path);
	}
	vb_fetch_url(f, path, file, sizeof(file));
	f->requests++;
	if (!(fp = fopen(file, "rb")))
		return vb_error_set(err, errno == ENOENT ? VB_ENOTFOUND : VB_EIO,
				    "could not open \"%s\": %s", file, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (vb_buf_append(out, chunk, n)) {
			rc = vb_error_set(err, VB_ETOOBIG, "\"%s\" is larger than %zu bytes", file,
					  f->o.max_bytes);
			break;
		}
	if (!rc && ferror(fp))
		rc = vb_error_set(err, VB_EIO, "could not read \"%s\"", file);
	fclose(fp);
	return rc;
}

int vb_fetch_get(vb_fetch *f, const char *path, vb_buf *out, vb_error *err)
{
	char url[4096];
	struct sink s;
	int attempt, rc = 0;
	double wait = f->o.backoff_ms > 0 ? f->o.backoff_ms / 1000.0 : 0.5;

	out->max = f->o.max_bytes;
	vb_buf_reset(out);
	if (f->mirror)
		return get_mirror(f, path, out, err);
	vb_fetch_url(f, path, url, sizeof(url));
	for (attempt = 0; attempt <= f->o.retries; attempt++) {
		CURLcode cc;
		long status = 0;
		char cerr[CURL_ERROR_SIZE] = "";
		int transient;

		if (attempt) {
			sleep_s(wait);
			wait *= 2;
		}
		if (f->have_last && f->o.min_interval > 0) {
			double since = now_s() - ((double)f->last.tv_sec + f->last.tv_nsec / 1e9);

			sleep_s(f->o.min_interval - since);
		}
		clock_gettime(CLOCK_MONOTONIC, &f->last);
		f->have_last = 1;
		vb_buf_reset(out);
		s.b = out;
		s.too_big = 0;
		curl_easy_reset(f->curl);
		curl_easy_setopt(f->curl, CURLOPT_URL, url);
		curl_easy_setopt(f->curl, CURLOPT_USERAGENT, f->ua);
		curl_easy_setopt(f->curl, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(f->curl, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85: the _STR options */
		curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(f->curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
		curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
		curl_easy_setopt(f->curl, CURLOPT_REDIR_PROTOCOLS,
				 (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
		curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT, f->o.timeout < 15 ? f->o.timeout : 15L);
		curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, f->o.timeout);
		curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(f->curl, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &s);
		curl_easy_setopt(f->curl, CURLOPT_ERRORBUFFER, cerr);
		curl_easy_setopt(f->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_bytes);
		f->requests++;
		cc = curl_easy_perform(f->curl);
		curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
		if (s.too_big || cc == CURLE_FILESIZE_EXCEEDED)
			return vb_error_set(err, VB_ETOOBIG, "could not fetch %s: larger than %zu bytes",
					    url, f->o.max_bytes);
		if (cc == CURLE_OK && status >= 200 && status < 300)
			return 0;
		if (cc == CURLE_OK && status == 404)
			return vb_error_set(err, VB_ENOTFOUND, "could not fetch %s: HTTP 404", url);
		transient = cc != CURLE_OK || status >= 500 || status == 429 || status == 408;
		if (cc != CURLE_OK)
			rc = vb_error_set(err, transient ? VB_EAGAIN : VB_EIO,
					  "could not fetch %s: %s (after %d attempts)", url,
					  cerr[0] ? cerr : curl_easy_strerror(cc), attempt + 1);
		else
			rc = vb_error_set(err, transient ? VB_EAGAIN : VB_EIO,
					  "could not fetch %s: HTTP %ld (after %d attempts)", url, status,
					  attempt + 1);
		if (!transient)
			break;
	}
	vb_buf_reset(out);
	return rc;
}
