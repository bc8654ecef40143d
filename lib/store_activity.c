/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage counters and the figures of the yearly report in the PostgreSQL
 * store (part of store.c, contract in store.h; schema sql/007_activity.sql):
 * adding the daily counts the daemon buffered (upserts, one transaction),
 * purging old query texts, the report's queries (documents by month, form
 * and issuer, imports per source, searches, top and zero-result queries,
 * views and downloads), the sync health read from the sync tables when they
 * exist, and the gauges /metrics reads from the store.  The report's
 * figures come back as JSON so that lib/report.c renders without SQL.
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define REPORT_TOP_MAX 100
#define REPORT_ISSUERS_MAX 10000

/* ---- helpers ---------------------------------------------------------- */

/* Run sql and turn every row into an object: names[i] is the key of
 * column i, types[i] its type ('s' string or null, 'i' integer, 'f'
 * number).  *out gets a new array. */
static int rows_json(vb_store *st, const char *sql, int n, const char *const *params,
		     const char *const *names, const char *types, const char *what,
		     json_t **out, vb_error *err)
{
	PGresult *res = store_q(st, sql, n, params);
	char m[VB_ERROR_MSG_MAX];
	json_t *a = NULL, *o;
	int r, c, nc = (int)strlen(types), rc = 0;

	*out = NULL;
	if (!store_res_ok(res) || PQnfields(res) != nc) {
		rc = vb_error_set(err, VB_EDB, "could not read %s: %s", what,
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (!(a = json_array())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		if (!(o = json_object()) || json_array_append_new(a, o)) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		for (c = 0; c < nc; c++) {
			json_t *v;

			if (PQgetisnull(res, r, c))
				v = types[c] == 's' ? json_null() : json_integer(0);
			else if (types[c] == 'i')
				v = json_integer(store_get_i64(res, r, c));
			else if (types[c] == 'f')
				v = json_real(strtod(PQgetvalue(res, r, c), NULL));
			else
				v = json_string(PQgetvalue(res, r, c));
			if (!v || json_object_set_new(o, names[c], v)) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	*out = a;
	a = NULL;
out:
	json_decref(a);
	PQclear(res);
	return rc;
}

/* The one row of a rows_json result, as a new reference. */
static int row_json(vb_store *st, const char *sql, int n, const char *const *params,
		    const char *const *names, const char *types, const char *what,
		    json_t **out, vb_error *err)
{
	json_t *a = NULL;
	int rc;

	*out = NULL;
	if ((rc = rows_json(st, sql, n, params, names, types, what, &a, err)))
		return rc;
	if (json_array_size(a) != 1) {
		json_decref(a);
		return vb_error_set(err, VB_EDB, "could not read %s: no row", what);
	}
	*out = json_incref(json_array_get(a, 0));
	json_decref(a);
	return 0;
}

/* A PostgreSQL text[] literal: {"a","b"} with \ and " escaped. */
static int text_array(vb_buf *b, const char *const *v, size_t n)
{
	size_t i;
	const char *p;
	int rc = vb_buf_putc(b, '{');

	for (i = 0; !rc && i < n; i++) {
		rc = vb_buf_puts(b, i ? ",\"" : "\"");
		for (p = v[i]; !rc && *p; p++) {
			if (*p == '"' || *p == '\\')
				rc = vb_buf_putc(b, '\\');
			if (!rc)
				rc = vb_buf_putc(b, *p);
		}
		if (!rc)
			rc = vb_buf_putc(b, '"');
	}
	return rc ? rc : vb_buf_putc(b, '}');
}

static int set_new(json_t *o, const char *key, json_t *v, vb_error *err)
{
	if (!v || json_object_set_new(o, key, v))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	return 0;
}

/* ---- recording ------------------------------------------------------- */

static const char SQL_ADD_TOTALS[] =
	"INSERT INTO activity_searches AS a (day, portal, language, searches, zero_results, results) "
	"VALUES ($1::date, $2, $3, $4::bigint, $5::bigint, $6::bigint) "
	"ON CONFLICT (day, portal, language) DO UPDATE SET "
	"searches = a.searches + EXCLUDED.searches, "
	"zero_results = a.zero_results + EXCLUDED.zero_results, "
	"results = a.results + EXCLUDED.results";

static const char SQL_ADD_QUERY[] =
	"INSERT INTO activity_queries AS a (day, portal, language, query, searches, zero_results) "
	"VALUES ($1::date, $2, $3, $4, $5::bigint, $6::bigint) "
	"ON CONFLICT (day, portal, language, query) DO UPDATE SET "
	"searches = a.searches + EXCLUDED.searches, "
	"zero_results = a.zero_results + EXCLUDED.zero_results";

static const char SQL_ADD_DOC[] =
	"INSERT INTO activity_documents AS a (day, portal, document_id, views, downloads) "
	"VALUES ($1::date, $2, $3::bigint, $4::bigint, $5::bigint) "
	"ON CONFLICT (day, portal, document_id) DO UPDATE SET "
	"views = a.views + EXCLUDED.views, downloads = a.downloads + EXCLUDED.downloads";

/* Run one upsert; VB_EINVAL when the schema refused the values. */
static int add_row(vb_store *st, const char *sql, int n, const char *const *p, vb_error *err)
{
	PGresult *res = store_q(st, sql, n, p);
	char m[VB_ERROR_MSG_MAX];
	const char *state;
	int rc = 0;

	if (!store_res_ok(res)) {
		state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		rc = vb_error_set(err, state && !strncmp(state, "23", 2) ? VB_EINVAL : VB_EDB,
				  "could not add usage counts: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
	}
	PQclear(res);
	return rc;
}

int vb_store_activity_add(vb_store *st, const vb_activity_search *s, size_t ns,
			  const vb_activity_doc *d, size_t nd, vb_error *err)
{
	char a[4][24];
	const char *p[6];
	size_t i;
	int rc;

	if (!ns && !nd)
		return 0;
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		return rc;
	for (i = 0; i < ns; i++) {
		snprintf(a[0], sizeof(a[0]), "%lld", (long long)s[i].searches);
		snprintf(a[1], sizeof(a[1]), "%lld", (long long)s[i].zero_results);
		snprintf(a[2], sizeof(a[2]), "%lld", (long long)s[i].results);
		p[0] = s[i].day;
		p[1] = s[i].portal ? s[i].portal : "";
		p[2] = s[i].language && *s[i].language ? s[i].language : "vi";
		if (s[i].query) {
			p[3] = s[i].query;
			p[4] = a[0];
			p[5] = a[1];
			rc = add_row(st, SQL_ADD_QUERY, 6, p, err);
		} else {
			p[3] = a[0];
			p[4] = a[1];
			p[5] = a[2];
			rc = add_row(st, SQL_ADD_TOTALS, 6, p, err);
		}
		if (rc)
			goto fail;
	}
	for (i = 0; i < nd; i++) {
		snprintf(a[0], sizeof(a[0]), "%lld", (long long)d[i].document_id);
		snprintf(a[1], sizeof(a[1]), "%lld", (long long)d[i].views);
		snprintf(a[2], sizeof(a[2]), "%lld", (long long)d[i].downloads);
		p[0] = d[i].day;
		p[1] = d[i].portal ? d[i].portal : "";
		p[2] = a[0];
		p[3] = a[1];
		p[4] = a[2];
		if ((rc = add_row(st, SQL_ADD_DOC, 5, p, err)))
			goto fail;
	}
	return store_q_cmd(st, "COMMIT", 0, NULL, "commit usage counts", err);
fail:
	store_rollback(st);
	return rc;
}

int vb_store_activity_purge(vb_store *st, int days, int64_t *deleted, vb_error *err)
{
	char d[16], m[VB_ERROR_MSG_MAX];
	const char *p[1] = { d };
	PGresult *res;
	int rc = 0;

	if (deleted)
		*deleted = 0;
	if (days < 1 || days > 100000)
		return vb_error_set(err, VB_EINVAL, "invalid retention of %d days (1 to 100000)", days);
	snprintf(d, sizeof(d), "%d", days);
	res = store_q(st, "DELETE FROM activity_queries WHERE day < current_date - $1::integer", 1, p);
	if (!store_res_ok(res))
		rc = vb_error_set(err, VB_EDB, "could not purge query texts: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
	else if (deleted)
		*deleted = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

/* ---- the report ------------------------------------------------------ */

/* Parameters of every report query: $1 from, $2 to, $3 portal (NULL =
 * all), $4 issuers (NULL = all), $5 min_count, $6 top. */
#define DOC_SCOPE "d.issue_date BETWEEN $1::date AND $2::date " \
	"AND ($4::text[] IS NULL OR d.issuer = ANY($4::text[]))"
#define USE_SCOPE(t) t ".day BETWEEN $1::date AND $2::date " \
	"AND ($3::text IS NULL OR " t ".portal = $3::text)"
/* Each query mentions every parameter so that its type is known. */
#define ALL_PARAMS "($3::text IS NULL OR TRUE) AND ($4::text[] IS NULL OR TRUE) " \
	"AND $5::bigint >= 0 AND $6::integer >= 0"

static const char SQL_DOC_TOTAL[] =
	"SELECT count(*), count(*) FILTER (WHERE d.version > 1) FROM documents d "
	"WHERE " DOC_SCOPE " AND " ALL_PARAMS;

static const char SQL_DOC_MONTHS[] =
	"SELECT to_char(m, 'YYYY-MM'), coalesce(c.n, 0) "
	"FROM generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') m "
	"LEFT JOIN (SELECT date_trunc('month', d.issue_date) AS mm, count(*) AS n FROM documents d "
	"WHERE " DOC_SCOPE " GROUP BY 1) c ON c.mm = m "
	"WHERE " ALL_PARAMS " ORDER BY m";

static const char SQL_DOC_FORMS[] =
	"SELECT coalesce(nullif(d.form, ''), '?'), count(*) FROM documents d "
	"WHERE " DOC_SCOPE " AND " ALL_PARAMS " GROUP BY 1 ORDER BY 2 DESC, 1";

static const char SQL_DOC_ISSUERS[] =
	"SELECT coalesce(nullif(d.issuer, ''), '?'), count(*) FROM documents d "
	"WHERE " DOC_SCOPE " AND " ALL_PARAMS " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $6::integer";

/* Documents added (created) and changed (a new version, last change in
 * the period) per source, whatever their issue date. */
static const char SQL_IMPORTS[] =
	"SELECT d.source, "
	"count(*) FILTER (WHERE d.created_at >= $1::date AND d.created_at < $2::date + 1), "
	"count(*) FILTER (WHERE d.version > 1 AND d.updated_at >= $1::date "
	"AND d.updated_at < $2::date + 1) "
	"FROM documents d WHERE ($4::text[] IS NULL OR d.issuer = ANY($4::text[])) AND "
	ALL_PARAMS " GROUP BY d.source ORDER BY d.source LIMIT 1000";

static const char SQL_USE_TOTAL[] =
	"SELECT (SELECT coalesce(sum(s.searches), 0) FROM activity_searches s WHERE " USE_SCOPE("s") "), "
	"(SELECT coalesce(sum(s.zero_results), 0) FROM activity_searches s WHERE " USE_SCOPE("s") "), "
	"(SELECT coalesce(sum(a.views), 0) FROM activity_documents a WHERE " USE_SCOPE("a") "), "
	"(SELECT coalesce(sum(a.downloads), 0) FROM activity_documents a WHERE " USE_SCOPE("a") ") "
	"WHERE " ALL_PARAMS;

static const char SQL_USE_MONTHS[] =
	"SELECT to_char(m, 'YYYY-MM'), coalesce(s.n, 0), coalesce(s.z, 0), coalesce(a.v, 0), "
	"coalesce(a.dl, 0) "
	"FROM generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') m "
	"LEFT JOIN (SELECT date_trunc('month', s.day) AS mm, sum(s.searches) AS n, "
	"sum(s.zero_results) AS z FROM activity_searches s WHERE " USE_SCOPE("s") " GROUP BY 1) s "
	"ON s.mm = m "
	"LEFT JOIN (SELECT date_trunc('month', a.day) AS mm, sum(a.views) AS v, "
	"sum(a.downloads) AS dl FROM activity_documents a WHERE " USE_SCOPE("a") " GROUP BY 1) a "
	"ON a.mm = m "
	"WHERE " ALL_PARAMS " ORDER BY m";

static const char SQL_USE_LANGS[] =
	"SELECT s.language, sum(s.searches) FROM activity_searches s WHERE " USE_SCOPE("s")
	" AND " ALL_PARAMS " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $6::integer";

/* Only queries seen at least min_count times: a one-off search (which
 * may carry a person's name) never shows. */
static const char SQL_TOP_QUERIES[] =
	"SELECT q.query, sum(q.searches), sum(q.zero_results) FROM activity_queries q WHERE "
	USE_SCOPE("q") " AND " ALL_PARAMS " GROUP BY q.query HAVING sum(q.searches) >= $5::bigint "
	"ORDER BY 2 DESC, 1 LIMIT $6::integer";

static const char SQL_ZERO_QUERIES[] =
	"SELECT q.query, sum(q.searches), sum(q.zero_results) FROM activity_queries q WHERE "
	USE_SCOPE("q") " AND " ALL_PARAMS " GROUP BY q.query HAVING sum(q.searches) >= $5::bigint "
	"AND sum(q.zero_results) > 0 ORDER BY 3 DESC, 1 LIMIT $6::integer";

static const char SQL_TOP_DOCS[] =
	"SELECT a.document_id, d.number, d.abstract, sum(a.views), sum(a.downloads) "
	"FROM activity_documents a LEFT JOIN documents d ON d.id = a.document_id WHERE "
	USE_SCOPE("a") " AND " ALL_PARAMS " GROUP BY a.document_id, d.number, d.abstract "
	"ORDER BY 5 DESC, 4 DESC, 1 LIMIT $6::integer";

int vb_store_report_collect(vb_store *st, const vb_report_scope *sc, json_t **out,
			    vb_error *err)
{
	static const char *const n_total[] = { "total", "updated" };
	static const char *const n_month[] = { "month", "count" };
	static const char *const n_value[] = { "value", "count" };
	static const char *const n_import[] = { "source", "added", "updated" };
	static const char *const n_use[] = { "searches", "zero_results", "views", "downloads" };
	static const char *const n_use_month[] = { "month", "searches", "zero_results", "views",
						   "downloads" };
	static const char *const n_query[] = { "query", "searches", "zero_results" };
	static const char *const n_doc[] = { "document_id", "number", "abstract", "views",
					     "downloads" };
	char k[24], top[24];
	const char *p[6];
	vb_buf issuers;
	json_t *r = NULL, *docs = NULL, *use = NULL, *v = NULL, *sync = NULL;
	json_int_t listed = 0;
	size_t i;
	int rc;

	*out = NULL;
	vb_buf_init(&issuers, 64u * 1024 * 1024);
	if (!sc->from[0] || !sc->to[0] || strcmp(sc->from, sc->to) > 0) {
		rc = vb_error_set(err, VB_EINVAL, "invalid report period \"%s\" to \"%s\"", sc->from,
				  sc->to);
		goto out;
	}
	if (sc->n_issuers > REPORT_ISSUERS_MAX) {
		rc = vb_error_set(err, VB_ETOOBIG, "too many issuers in the report scope (%zu, at most %d)",
				  sc->n_issuers, REPORT_ISSUERS_MAX);
		goto out;
	}
	if (sc->issuers && (rc = text_array(&issuers, sc->issuers, sc->n_issuers))) {
		vb_error_set(err, rc, "the issuers of the report scope are too long");
		goto out;
	}
	snprintf(k, sizeof(k), "%d", sc->min_count > 0 ? sc->min_count : 1);
	snprintf(top, sizeof(top), "%zu",
		 sc->top && sc->top <= REPORT_TOP_MAX ? sc->top : (size_t)REPORT_TOP_MAX);
	p[0] = sc->from;
	p[1] = sc->to;
	p[2] = sc->portal;
	p[3] = sc->issuers ? vb_buf_str(&issuers) : NULL;
	p[4] = k;
	p[5] = top;

	if (!(r = json_object())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	/* Documents of the period (by issue date). */
	if ((rc = row_json(st, SQL_DOC_TOTAL, 6, p, n_total, "ii", "documents", &docs, err)))
		goto out;
	if ((rc = rows_json(st, SQL_DOC_MONTHS, 6, p, n_month, "si", "documents by month", &v, err)) ||
	    (rc = set_new(docs, "by_month", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_DOC_FORMS, 6, p, n_value, "si", "documents by form", &v, err)) ||
	    (rc = set_new(docs, "by_form", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_DOC_ISSUERS, 6, p, n_value, "si", "documents by issuer", &v,
			    err)) ||
	    (rc = set_new(docs, "by_issuer", v, err)))
		goto out;
	for (i = 0; i < json_array_size(v); i++)
		listed += json_integer_value(json_object_get(json_array_get(v, i), "count"));
	if ((rc = set_new(docs, "issuers_other",
			  json_integer(json_integer_value(json_object_get(docs, "total")) - listed),
			  err)) ||
	    (rc = set_new(r, "documents", docs, err)))
		goto out;
	docs = NULL;
	if ((rc = rows_json(st, SQL_IMPORTS, 6, p, n_import, "sii", "imports", &v, err)) ||
	    (rc = set_new(r, "imports", v, err)))
		goto out;

	/* Usage. */
	if ((rc = row_json(st, SQL_USE_TOTAL, 6, p, n_use, "iiii", "usage", &use, err)))
		goto out;
	if ((rc = rows_json(st, SQL_USE_MONTHS, 6, p, n_use_month, "siiii", "usage by month", &v,
			    err)) ||
	    (rc = set_new(use, "by_month", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_USE_LANGS, 6, p, n_value, "si", "searches by language", &v,
			    err)) ||
	    (rc = set_new(use, "by_language", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_TOP_QUERIES, 6, p, n_query, "sii", "top queries", &v, err)) ||
	    (rc = set_new(use, "top_queries", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_ZERO_QUERIES, 6, p, n_query, "sii", "zero-result queries", &v,
			    err)) ||
	    (rc = set_new(use, "zero_result_queries", v, err)))
		goto out;
	if ((rc = rows_json(st, SQL_TOP_DOCS, 6, p, n_doc, "issii", "document usage", &v, err)) ||
	    (rc = set_new(use, "top_documents", v, err)))
		goto out;
	if ((rc = set_new(r, "usage", use, err)))
		goto out;
	use = NULL;
	if ((rc = vb_store_sync_health(st, sc->from, sc->to, &sync, err)) ||
	    (rc = set_new(r, "sync", sync, err)))
		goto out;
	*out = r;
	r = NULL;
out:
	json_decref(docs);
	json_decref(use);
	json_decref(r);
	vb_buf_dispose(&issuers);
	return rc;
}

/* ---- sync health and metrics ----------------------------------------- */

/* The sync tables belong to the sync area (sql/004_sync.sql); without
 * them the health is {"available": false}.  A run counts as a success
 * when it finished ("ok", or "partial": some records failed). */
static const char SQL_SYNC[] =
	"SELECT r.source, "
	"to_char(max(r.started_at), 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), "
	"coalesce(extract(epoch FROM max(r.started_at)), 0)::bigint, "
	"to_char(max(r.finished_at) FILTER (WHERE r.status IN ('ok', 'partial')), "
	"'YYYY-MM-DD\"T\"HH24:MI:SSOF'), "
	"coalesce(extract(epoch FROM max(r.finished_at) FILTER (WHERE r.status IN ('ok', "
	"'partial'))), 0)::bigint, "
	"(SELECT x.status FROM sync_runs x WHERE x.source = r.source "
	"AND ($1::date IS NULL OR x.started_at >= $1::date) "
	"AND ($2::date IS NULL OR x.started_at < $2::date + 1) ORDER BY x.id DESC LIMIT 1), "
	"count(*), count(*) FILTER (WHERE r.status IN ('ok', 'partial')), "
	"count(*) FILTER (WHERE r.status IN ('failed', 'interrupted')), "
	"coalesce(sum(r.new), 0), coalesce(sum(r.changed), 0), coalesce(sum(r.failed), 0), "
	"(SELECT count(*) FROM sync_reviews v WHERE v.source = r.source AND v.status = 'pending') "
	"FROM sync_runs r WHERE ($1::date IS NULL OR r.started_at >= $1::date) "
	"AND ($2::date IS NULL OR r.started_at < $2::date + 1) "
	"GROUP BY r.source ORDER BY r.source LIMIT 100";

int vb_store_sync_health(vb_store *st, const char *from, const char *to, json_t **out,
			 vb_error *err)
{
	static const char *const n_reg[] = { "table" };
	static const char *const n_sync[] = { "source", "last_run", "last_run_epoch",
		"last_success", "last_success_epoch", "status", "runs", "runs_ok", "runs_failed",
		"new", "changed", "failed", "conflicts_pending" };
	const char *p[2] = { from, to };
	json_t *reg = NULL, *o = NULL, *v = NULL;
	int rc, available;

	*out = NULL;
	if ((rc = row_json(st,
			   "SELECT CASE WHEN to_regclass('sync_runs') IS NOT NULL AND "
			   "to_regclass('sync_reviews') IS NOT NULL THEN 'yes' END",
			   0, NULL, n_reg, "s", "the sync tables", &reg, err)))
		return rc;
	available = !json_is_null(json_object_get(reg, "table"));
	json_decref(reg);
	if (!(o = json_pack("{s:b}", "available", available)))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (available &&
	    ((rc = rows_json(st, SQL_SYNC, 2, p, n_sync, "ssisisiiiiiii", "sync health", &v, err)) ||
	     (rc = set_new(o, "sources", v, err)))) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int vb_store_metrics_read(vb_store *st, json_t **out, vb_error *err)
{
	static const char *const n_src[] = { "source", "documents", "changes" };
	static const char *const n_one[] = { "outbox_oldest_seconds", "uploads_pending" };
	json_t *o = NULL, *v = NULL;
	int rc;

	*out = NULL;
	if ((rc = row_json(st,
			   "SELECT (SELECT coalesce(extract(epoch FROM now() - min(enqueued_at)), 0) "
			   "FROM index_outbox), "
			   "(SELECT count(*) FROM uploads WHERE status IN ('draft', 'submitted'))",
			   0, NULL, n_one, "fi", "store gauges", &o, err)))
		goto out;
	if ((rc = rows_json(st,
			    "SELECT source, count(*), coalesce(sum(version - 1), 0) FROM documents "
			    "GROUP BY source ORDER BY source LIMIT 100",
			    0, NULL, n_src, "sii", "documents per source", &v, err)) ||
	    (rc = set_new(o, "sources", v, err)))
		goto out;
	if ((rc = vb_store_sync_health(st, NULL, NULL, &v, err)) ||
	    (rc = set_new(o, "sync", v, err)))
		goto out;
	*out = o;
	o = NULL;
out:
	json_decref(o);
	return rc;
}
