/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log over HTTP (docs/accounts.md), routed by api_users.c:
 *
 *   GET /api/v1/audit?document=&user=&portal=&object_type=&object_id=&since=&until=
 *                    &limit=&offset=&format=json|csv
 *
 * A system administrator sees every row, editors and portal
 * administrators the rows of their portals; scope report.  Every
 * parameter is checked here (400 naming it) before lib/audit.c reads.
 */
#include "api_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"

static int object_type_ok(const char *s)
{
	static const char *const types[] = { "document", "upload", "user", "user_role",
					     "api_token", "portal", "sync_review",
					     "status_override" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(s, types[i]))
			return 1;
	return 0;
}

/* "YYYY-MM-DD" with a real day, optionally followed by a time
 * ("T08:00", "T08:00:00.5Z", "T08:00+07:00"); PostgreSQL parses it. */
static int iso_time_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, n = 0;
	size_t rest;

	if (strlen(s) > 40 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return 0;
	s += 10;
	if (!*s)
		return 1;
	if (*s != 'T' && *s != ' ')
		return 0;
	s++;
	rest = strspn(s, "0123456789:.+-Z");
	return rest >= 5 && !s[rest] && s[2] == ':';
}

enum MHD_Result vb_api_audit(vb_request *rq)
{
	static const char *const allowed[] = { "document", "user", "portal", "since", "until",
					       "limit", "offset", "format", "object_type",
					       "object_id", NULL };
	enum MHD_Result ret;
	vb_principal p;
	vb_audit_filter f;
	const char *ports[VB_PRINCIPAL_MAX_ROLES];
	const char *v, *format;
	json_t *rows = NULL;
	vb_store *st;
	vb_error err;
	size_t n = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	vb_error_clear(&err);
	if (vb_api_refuse_unknown_args(rq, allowed, &ret))
		return ret;
	format = vb_api_arg(rq, "format");
	if (format && strcmp(format, "json") && strcmp(format, "csv"))
		return vb_api_bad(rq, "format", "format must be json or csv");
	if ((v = vb_api_arg(rq, "document")) && vb_parse_id(v, strlen(v), &f.document_id))
		return vb_api_bad(rq, "document", "document must be a document id");
	if ((v = vb_api_arg(rq, "limit")) && (vb_parse_id(v, strlen(v), &f.limit) || !f.limit ||
					   f.limit > VB_AUDIT_MAX_ROWS))
		return vb_api_bad(rq, "limit", "limit must be 1 to 10000");
	if ((v = vb_api_arg(rq, "offset")) && strcmp(v, "0") && vb_parse_id(v, strlen(v), &f.offset))
		return vb_api_bad(rq, "offset", "offset must be a number");
	f.portal = vb_api_arg(rq, "portal");
	f.object_type = vb_api_arg(rq, "object_type");
	f.object_id = vb_api_arg(rq, "object_id");
	f.since = vb_api_arg(rq, "since");
	f.until = vb_api_arg(rq, "until");
	if (f.portal && strlen(f.portal) > 64)
		return vb_api_bad(rq, "portal", "portal must be a portal id (at most 64 bytes)");
	if (f.object_type && !object_type_ok(f.object_type))
		return vb_api_bad(rq, "object_type", "object_type must be document, upload, user,"
				  " user_role, api_token, portal, sync_review or status_override");
	if (f.object_id && strlen(f.object_id) > 200)
		return vb_api_bad(rq, "object_id", "object_id is at most 200 bytes");
	if (f.since && !iso_time_ok(f.since))
		return vb_api_bad(rq, "since", "since must be an ISO date or timestamp (2026-01-31,"
				  " 2026-01-31T08:00:00Z)");
	if (f.until && !iso_time_ok(f.until))
		return vb_api_bad(rq, "until", "until must be an ISO date or timestamp (2026-01-31,"
				  " 2026-01-31T08:00:00Z)");
	/* editors and portal admins see the rows of their portals */
	if (vb_auth_require(rq, &p, f.portal, 0, VB_SCOPE_REPORT, NULL, &ret))
		return ret;
	if (!p.sysadmin) {
		for (size_t i = 0; i < p.n_roles; i++)
			if (p.roles[i].roles & (VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN))
				ports[n++] = p.roles[i].portal;
		if (!n || (f.portal && !(vb_principal_roles(&p, f.portal) &
					 (VB_ROLE_EDITOR | VB_ROLE_PORTAL_ADMIN))))
			return vb_auth_send_forbidden(rq, f.portal, VB_ROLE_EDITOR);
		f.restrict_portals = 1;
		f.portals = ports;
		f.n_portals = n;
	}
	if (vb_api_store(rq, &st, &ret))
		return ret;
	if ((v = vb_api_arg(rq, "user"))) {
		if (strlen(v) > VB_LOGIN_MAX)
			return vb_api_bad(rq, "user", "user must be a user id or login");
		if (vb_parse_id(v, strlen(v), &f.user_id) &&
		    (rc = vb_store_user_id(st, v, &f.user_id, &err)))
			return rc == VB_ENOTFOUND ? vb_api_bad(rq, "user", "no such user")
						  : vb_api_send_vb(rq, rc, &err);
	}
	if ((rc = vb_audit_query(st, &f, &rows, &err))) {
		if (rc == VB_EINVAL)
			return vb_api_bad(rq, NULL, err.msg);
		return vb_api_send_vb(rq, rc, &err);
	}
	if (format && !strcmp(format, "csv")) {
		char *csv = vb_audit_csv(rows);
		struct MHD_Response *resp;

		json_decref(rows);
		if (!csv)
			return MHD_NO;
		if (!(resp = MHD_create_response_from_buffer(strlen(csv), csv, MHD_RESPMEM_MUST_FREE))) {
			free(csv);
			return MHD_NO;
		}
		rq->bytes = (int64_t)strlen(csv);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
		MHD_add_response_header(resp, "Content-Disposition", "attachment; filename=\"audit.csv\"");
		return vb_http_send(rq, MHD_HTTP_OK, resp);
	}
	return vb_http_send_json(rq, MHD_HTTP_OK, json_pack("{s:o}", "rows", rows));
}
