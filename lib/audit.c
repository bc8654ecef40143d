/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log (contract in lib/audit.h): setting the session's audit
 * context that sql/010_accounts.sql's trigger reads, querying the log with
 * filters, the retention scrub of client addresses, and CSV / JSON-lines
 * export.  Part of the store (uses the connection directly).
 */
#include "audit.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"

int vb_audit_begin(vb_store *st, const vb_principal *who, const char *action,
		   const char *reason, vb_error *err)
{
	json_t *a;
	char *s = NULL;
	const char *p[3];
	int rc;

	if (reason && strlen(reason) > VB_AUDIT_REASON_MAX)
		return vb_error_set(err, VB_EINVAL, "reason too long (at most %d bytes)",
				    VB_AUDIT_REASON_MAX);
	if (who) {
		a = json_pack("{s:s, s:s}", "kind", vb_actor_kind_name(who->kind), "label", who->label);
		if (a && who->user_id)
			json_object_set_new(a, "user_id", json_integer(who->user_id));
		if (a && who->token_id)
			json_object_set_new(a, "token_id", json_integer(who->token_id));
		if (a && who->ip[0])
			json_object_set_new(a, "ip", json_string(who->ip));
		if (a && who->request_id[0])
			json_object_set_new(a, "request_id", json_string(who->request_id));
	} else {
		a = json_pack("{s:s, s:s}", "kind", "system", "label", "unknown");
	}
	if (!a || !(s = json_dumps(a, JSON_COMPACT))) {
		json_decref(a);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	json_decref(a);
	p[0] = s;
	p[1] = action ? action : "";
	p[2] = reason ? reason : "";
	rc = store_q_cmd(st, "SELECT set_config('vanban.actor', $1, false),"
			 " set_config('vanban.action', $2, false),"
			 " set_config('vanban.reason', $3, false)", 3, p, "set the audit context", err);
	free(s);
	return rc;
}

void vb_audit_end(vb_store *st)
{
	/* RESET: back to the connection's default (vb_audit_default_env), else "" */
	if (st)
		PQclear(PQexec(st->conn, "RESET vanban.actor; RESET vanban.action; RESET vanban.reason"));
}

int vb_audit_default_env(const vb_principal *who)
{
	const char *old = getenv("PGOPTIONS");
	json_t *a;
	char *s, *o;
	size_t n, k = 0;
	int rc = -1;

	a = json_pack("{s:s, s:s}", "kind", vb_actor_kind_name(who->kind), "label", who->label);
	if (!a || !(s = json_dumps(a, JSON_COMPACT))) {
		json_decref(a);
		return -1;
	}
	json_decref(a);
	n = (old ? strlen(old) : 0) + 2 * strlen(s) + 32;
	if ((o = malloc(n))) {
		k = (size_t)snprintf(o, n, "%s%s-c vanban.actor=", old ? old : "", old && *old ? " " : "");
		/* libpq's options string: backslash escapes spaces and backslashes */
		for (const char *c = s; *c && k + 3 < n; c++) {
			if (*c == ' ' || *c == '\\')
				o[k++] = '\\';
			o[k++] = *c;
		}
		o[k] = '\0';
		rc = setenv("PGOPTIONS", o, 1);
		free(o);
	}
	free(s);
	return rc;
}

#define TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

int vb_audit_query(vb_store *st, const vb_audit_filter *f, json_t **rows, vb_error *err)
{
	char doc[24], user[24], lim[24], off[24];
	json_t *pa = NULL;
	char *pj = NULL;
	const char *p[10];
	PGresult *res = NULL;
	json_error_t jerr;
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	*rows = NULL;
	if (f->limit < 0 || f->limit > VB_AUDIT_MAX_ROWS || f->offset < 0)
		return vb_error_set(err, VB_EINVAL, "limit must be 1 to %d and offset at least 0",
				    VB_AUDIT_MAX_ROWS);
	snprintf(doc, sizeof(doc), "%lld", (long long)f->document_id);
	snprintf(user, sizeof(user), "%lld", (long long)f->user_id);
	snprintf(lim, sizeof(lim), "%lld", (long long)(f->limit ? f->limit : 100));
	snprintf(off, sizeof(off), "%lld", (long long)f->offset);
	if (f->restrict_portals) {
		if (!(pa = json_array()))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		for (size_t i = 0; i < f->n_portals; i++)
			json_array_append_new(pa, json_string(f->portals[i]));
		if (!(pj = json_dumps(pa, JSON_COMPACT))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
	}
	p[0] = doc;
	p[1] = user;
	p[2] = f->portal;
	p[3] = f->object_type;
	p[4] = f->object_id;
	p[5] = f->since && f->since[0] ? f->since : NULL;
	p[6] = f->until && f->until[0] ? f->until : NULL;
	p[7] = pj;
	p[8] = lim;
	p[9] = off;
	res = store_q(st, "SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id,"
		      " 'at', " TS("a.at") ", 'actor_kind', a.actor_kind,"
		      " 'actor_user_id', a.actor_user_id, 'actor_token_id', a.actor_token_id,"
		      " 'actor_label', a.actor_label, 'ip', host(a.ip), 'action', a.action,"
		      " 'object_type', a.object_type, 'object_id', a.object_id,"
		      " 'portal_id', a.portal_id, 'document_id', a.document_id,"
		      " 'before', a.before, 'after', a.after, 'reason', a.reason,"
		      " 'request_id', a.request_id) ORDER BY a.id), '[]')::text"
		      " FROM (SELECT * FROM audit_log a"
		      /* a document's history starts with its upload: the rows of the
		       * upload made before it became the document have no document_id */
		      " WHERE ($1::bigint = 0 OR a.document_id = $1::bigint"
		      " OR (a.object_type = 'upload' AND a.object_id IN"
		      " (SELECT u.id::text FROM uploads u WHERE u.document_id = $1::bigint)))"
		      " AND ($2::bigint = 0 OR a.actor_user_id = $2::bigint"
		      " OR (a.object_type = 'user' AND a.object_id = $2::text)"
		      " OR (a.object_type IN ('user_role') AND a.object_id LIKE $2::text || ':%')"
		      " OR (a.object_type = 'api_token' AND (a.after ->> 'user_id' = $2::text"
		      " OR a.before ->> 'user_id' = $2::text)))"
		      " AND ($3::text IS NULL OR a.portal_id = $3)"
		      " AND ($4::text IS NULL OR a.object_type = $4)"
		      " AND ($5::text IS NULL OR a.object_id = $5)"
		      " AND ($6::timestamptz IS NULL OR a.at >= $6::timestamptz)"
		      " AND ($7::timestamptz IS NULL OR a.at < $7::timestamptz)"
		      " AND ($8::jsonb IS NULL OR a.portal_id IN"
		      " (SELECT jsonb_array_elements_text($8::jsonb)))"
		      " ORDER BY a.id LIMIT $9::bigint OFFSET $10::bigint) a", 10, p);
	if (!store_res_ok(res)) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		rc = vb_error_set(err, state && !strncmp(state, "22", 2) ? VB_EINVAL : VB_EDB,
				  "could not query the audit log: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (!(*rows = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)))
		rc = vb_error_set(err, VB_EDB, "could not parse the audit log: %s", jerr.text);
out:
	PQclear(res);
	free(pj);
	json_decref(pa);
	return rc;
}

int vb_audit_scrub(vb_store *st, int ip_days, int64_t *scrubbed, vb_error *err)
{
	char days[16];
	const char *p[1] = { days };
	PGresult *res;
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	if (scrubbed)
		*scrubbed = 0;
	snprintf(days, sizeof(days), "%d", ip_days < 0 ? 0 : ip_days);
	res = store_q(st, "UPDATE audit_log SET ip = NULL WHERE ip IS NOT NULL"
		      " AND at < now() - make_interval(days => $1::int)", 1, p);
	if (!store_res_ok(res))
		rc = vb_error_set(err, VB_EDB, "could not scrub the audit log: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
	else if (scrubbed)
		*scrubbed = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

static const char *const csv_cols[] = {
	"id", "at", "actor_kind", "actor_user_id", "actor_token_id", "actor_label", "ip",
	"action", "object_type", "object_id", "portal_id", "document_id", "before", "after",
	"reason", "request_id"
};

/* One CSV field: quoted when it holds a comma, quote or line break; a
 * leading = + - @ is prefixed with ' so spreadsheets do not run it. */
static int csv_field(vb_buf *b, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int rc = 0;

	if (quote)
		rc |= vb_buf_putc(b, '"');
	if (strchr("=+-@", s[0]) && s[0])
		rc |= vb_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			rc |= vb_buf_putc(b, '"');
		rc |= vb_buf_putc(b, *s);
	}
	if (quote)
		rc |= vb_buf_putc(b, '"');
	return rc;
}

char *vb_audit_csv(const json_t *rows)
{
	vb_buf b;
	size_t i, c;
	json_t *r;
	int rc = 0;

	vb_buf_init(&b, 256u * 1024 * 1024);
	for (c = 0; c < sizeof(csv_cols) / sizeof(csv_cols[0]); c++) {
		rc |= c ? vb_buf_putc(&b, ',') : 0;
		rc |= vb_buf_puts(&b, csv_cols[c]);
	}
	rc |= vb_buf_puts(&b, "\r\n");
	json_array_foreach(rows, i, r) {
		for (c = 0; c < sizeof(csv_cols) / sizeof(csv_cols[0]); c++) {
			json_t *v = json_object_get(r, csv_cols[c]);
			char num[32];
			char *d = NULL;

			rc |= c ? vb_buf_putc(&b, ',') : 0;
			if (!v || json_is_null(v))
				continue;
			if (json_is_string(v)) {
				rc |= csv_field(&b, json_string_value(v));
			} else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
				rc |= vb_buf_puts(&b, num);
			} else if ((d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))) {
				rc |= csv_field(&b, d);
				free(d);
			} else {
				rc = -1;
			}
		}
		rc |= vb_buf_puts(&b, "\r\n");
	}
	if (rc) {
		vb_buf_dispose(&b);
		return NULL;
	}
	return vb_buf_steal(&b);
}

char *vb_audit_jsonl(const json_t *rows)
{
	vb_buf b;
	size_t i;
	json_t *r;
	int rc = 0;

	vb_buf_init(&b, 256u * 1024 * 1024);
	json_array_foreach(rows, i, r) {
		char *s = json_dumps(r, JSON_COMPACT);

		if (!s) {
			rc = -1;
			break;
		}
		rc |= vb_buf_puts(&b, s);
		rc |= vb_buf_putc(&b, '\n');
		free(s);
	}
	if (rc) {
		vb_buf_dispose(&b);
		return NULL;
	}
	return vb_buf_steal(&b);
}
