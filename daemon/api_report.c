/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/report?year=&portal=&format=: the yearly activity report
 * (lib/report.h) for staff, as JSON (default), CSV or the HTML page with
 * charts.  It needs a login or an API token with the report scope
 * (daemon/auth.c): an editor or portal administrator of ?portal=, a
 * system administrator for the whole province; 401 without credentials,
 * 403 without the role.  The query texts in it
 * are only those seen at least activity_min_count times; the API offers
 * no way to lower that.  The HTML answer carries its own
 * Content-Security-Policy, which allows its inline style sheet and
 * nothing else (no script at all).
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "buf.h"
#include "portal.h"
#include "report.h"

#define REPORT_PATH "/api/v1/report"

static const char html_csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
			       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/* accounts: 0 when the caller may read the report of portal (NULL: the
 * whole province): an editor or portal administrator of that portal, a
 * system administrator for the province; scope report.  Else a response
 * was queued (*ret). */
static int check_auth(vb_request *rq, const char *portal, enum MHD_Result *ret)
{
	vb_principal who;

	if (vb_auth_require(rq, &who, NULL, 0, VB_SCOPE_REPORT, NULL, ret))
		return 1;
	if (who.sysadmin || (portal && (vb_principal_roles(&who, portal) &
					(VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN))))
		return 0;
	*ret = vb_auth_send_forbidden(rq, portal, VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN);
	return 1;
}

struct args {
	const char *year, *portal, *format;
	char bad[40];  /* first bad parameter (shown name) */
	int repeated;
};

static enum MHD_Result arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			      const char *value)
{
	struct args *a = cls;
	const char **slot = NULL;

	(void)kind;
	if (!key)
		key = "";
	if (!strcmp(key, "year"))
		slot = &a->year;
	else if (!strcmp(key, "portal"))
		slot = &a->portal;
	else if (!strcmp(key, "format"))
		slot = &a->format;
	if (!slot) {
		vb_params_key_shown(a->bad, sizeof(a->bad), key);
		return MHD_NO;
	}
	if (*slot) {
		snprintf(a->bad, sizeof(a->bad), "%s", key);
		a->repeated = 1;
		return MHD_NO;
	}
	*slot = value ? value : "";
	return MHD_YES;
}

static enum MHD_Result report(vb_request *rq)
{
	struct args a;
	vb_report_opts o;
	enum vb_report_format fmt = VB_REPORT_JSON;
	json_t *r = NULL;
	vb_store *st;
	vb_error err;
	vb_buf b;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	time_t now = time(NULL);
	struct tm tm;
	char *end;
	long y;
	int rc;

	memset(&a, 0, sizeof(a));
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, arg_cb, &a);
	if (a.repeated) {
		char msg[96];

		snprintf(msg, sizeof(msg), "parameter \"%s\" is given more than once", a.bad);
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", a.bad, msg);
	}
	if (a.bad[0])
		return vb_http_send_unknown_param(rq, a.bad);
	memset(&o, 0, sizeof(o));
	localtime_r(&now, &tm);
	o.year = tm.tm_year + 1900;
	if (a.year && *a.year) {
		y = strtol(a.year, &end, 10);
		if (*end || end == a.year || y < VB_REPORT_YEAR_MIN || y > VB_REPORT_YEAR_MAX)
			return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "year",
						  "year must be a year from 1945 to 9999");
		o.year = (int)y;
	}
	if (a.portal && *a.portal) {
		if (strlen(a.portal) > VB_PORTAL_ID_MAX || !vb_portal_id_valid(a.portal))
			return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "portal",
						  "portal must be a portal id such as \"quangninh\" or "
						  "\"hongha.halong\"");
		o.portal = a.portal;
	}
	if (a.format && *a.format && vb_report_format_parse(a.format, &fmt))
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "format",
					  "format must be json, csv or html");
	if (check_auth(rq, o.portal, &ret))
		return ret;
	o.min_count = rq->d->cfg.activity_min_count > 0 ? rq->d->cfg.activity_min_count : 3;
	o.top = 20;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_REPORT_MAX_BYTES);
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_report_build(st, &o, &r, &err)) ||
	    (rc = vb_report_render(r, fmt, &b, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		if (rc == VB_EINVAL) /* the year is checked above: an unknown portal */
			ret = vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "portal", err.msg);
		else
			ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	/* MHD sends no body for HEAD, with the same Content-Length. */
	resp = MHD_create_response_from_buffer(b.len, (void *)vb_buf_str(&b), MHD_RESPMEM_MUST_COPY);
	if (!resp) {
		ret = MHD_NO;
		goto out;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, vb_report_media_type(fmt));
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
	if (fmt == VB_REPORT_HTML)
		MHD_add_response_header(resp, "Content-Security-Policy", html_csp);
	if (fmt == VB_REPORT_CSV) {
		char cd[64];

		snprintf(cd, sizeof(cd), "attachment; filename=\"vanban-report-%d.csv\"", o.year);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	}
	rq->bytes = (int64_t)b.len; /* access log */
	ret = vb_http_send(rq, MHD_HTTP_OK, resp);
out:
	json_decref(r);
	vb_buf_dispose(&b);
	return ret;
}

int vb_route_report(vb_request *rq, enum MHD_Result *ret)
{
	if (strcmp(rq->url, REPORT_PATH))
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
	*ret = report(rq);
	return 1;
}
