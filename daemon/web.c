/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The static files of the web directory (--web-dir, VANBAN_WEB_DIR,
 * default $(pkgdatadir)/web): openapi.json, style.css and widget.js (the
 * embeddable search widget, GET /static/widget.js) are read once at
 * start-up (bounded size) and served from memory with an ETag and
 * Cache-Control, answering If-None-Match with 304.
 */
#include "daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sha256.h"

static void asset_load(vb_web_asset *a, const char *dir, const char *name)
{
	char path[VB_CONFIG_STR + 64];
	FILE *f;
	char *data = NULL;
	size_t len = 0, n;

	memset(a, 0, sizeof(*a));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		vb_warn("could not open \"%s\": %s", path, strerror(errno));
		return;
	}
	data = malloc(VB_WEB_ASSET_MAX + 1);
	if (!data)
		goto out;
	while ((n = fread(data + len, 1, VB_WEB_ASSET_MAX + 1 - len, f)) > 0)
		len += n;
	if (ferror(f) || len > VB_WEB_ASSET_MAX) {
		vb_warn("could not read \"%s\" (at most %u bytes)", path, VB_WEB_ASSET_MAX);
		free(data);
		data = NULL;
		goto out;
	}
	a->data = data;
	a->len = len;
	{
		char hex[65];

		vb_sha256_hex_of(data, len, hex);
		snprintf(a->etag, sizeof(a->etag), "\"%.32s\"", hex);
	}
out:
	fclose(f);
}

void vb_web_load(vb_daemon *d)
{
	asset_load(&d->openapi, d->cfg.web_dir, "openapi.json");
	asset_load(&d->css, d->cfg.web_dir, "style.css");
	asset_load(&d->widget, d->cfg.web_dir, "widget.js");
}

void vb_web_dispose(vb_daemon *d)
{
	free(d->openapi.data);
	free(d->css.data);
	free(d->widget.data);
	d->openapi.data = d->css.data = d->widget.data = NULL;
}

enum MHD_Result vb_web_send(vb_request *rq, const vb_web_asset *a, const char *type,
			    int max_age)
{
	struct MHD_Response *resp;
	const char *inm;
	char cc[48];
	unsigned status = MHD_HTTP_OK;

	if (!a->data)
		return vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					  "this file is not installed");
	inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strstr(inm, a->etag)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else {
		resp = MHD_create_response_from_buffer(a->len, a->data, MHD_RESPMEM_PERSISTENT);
		rq->bytes = (int64_t)a->len; /* access log */
	}
	if (!resp)
		return MHD_NO;
	snprintf(cc, sizeof(cc), "public, max-age=%d", max_age);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, a->etag);
	return vb_http_send(rq, status, resp);
}

int vb_route_widget(vb_request *rq, enum MHD_Result *ret)
{
	struct MHD_Response *resp;

	if (strcmp(rq->url, "/static/widget.js"))
		return 0;
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		*ret = vb_http_send(rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
		return 1;
	}
	if (vb_http_refuse_args(rq, ret))
		return 1;
	/* Short max-age: portals embed the script by a fixed URL, so a new
	 * release reaches them within minutes (the ETag saves the bytes). */
	*ret = vb_web_send(rq, &rq->d->widget, "text/javascript; charset=utf-8", 300);
	return 1;
}
