/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/peerd: the peers of the comparative benchmarks (bench/README.md),
 * served over HTTP (libmicrohttpd) so that bench/loadgen drives them like
 * vanband.  Every backend computes the same answer to
 * GET /search?q=..[&form=..][&issuer=..]: the top 10 by relevance, the
 * exact total, and exact facet counts for form and issuer, as JSON
 *   {"total":N,"hits":[{"id":..,"score":..},..],
 *    "facets":{"form":[["Quyết định",12],..],"issuer":[..]}}
 *
 *   peerd --backend pg|sqlite|xapian --db DB --load MANIFEST.jsonl
 *   peerd --backend pg|sqlite|xapian|hello --db DB --port P [--threads N]
 *
 * DB: a libpq conninfo (pg; "" = the environment, PG* variables), a file
 * (sqlite) or a directory (xapian).  --load creates the schema/index and
 * loads the manifest, timed (documents/s, MB of text/s on stderr).
 *
 *  - pg: PostgreSQL full-text search, 'simple' configuration over the text
 *    without diacritics (unaccent through an IMMUTABLE wrapper), a stored
 *    tsvector column with a GIN index, websearch_to_tsquery, ts_rank_cd,
 *    facet counts with GROUP BY over the matches (one statement).
 *  - sqlite: FTS5 (unicode61 remove_diacritics 2, contentless), bm25,
 *    GROUP BY for the facets; đ/Đ mapped to d (fold_dd).  Each query word (or quoted phrase) becomes
 *    an FTS5 phrase, all of them required.
 *  - xapian: vanban's own index terms (lib/indexdoc.h) and query builder
 *    (lib/query.h, no synonyms, no relaxed retry), in process: the floor of
 *    vanban's engine without HTTP routing, PostgreSQL, snippets, JSON of
 *    hits or "did you mean".
 *  - hello: answers "hello" to everything, the HTTP ceiling.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "document.h"
#include "error.h"
#include "indexdoc.h"
#include "manifest.h"
#include "query.h"
#include "search.h"
#include "xap.h"

#define MAX_Q 1024
#define TOP 10
#define FACET_MAX 50

enum backend { B_PG, B_SQLITE, B_XAPIAN, B_HELLO };
static enum backend backend;
static const char *db = "";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- answer building ---- */

typedef struct answer {
	json_t *hits, *form, *issuer;
	long total;
} answer;

static void answer_init(answer *a)
{
	a->hits = json_array();
	a->form = json_array();
	a->issuer = json_array();
	a->total = 0;
}

static char *answer_dump(answer *a)
{
	json_t *o = json_pack("{s:I, s:o, s:{s:o, s:o}}", "total", (json_int_t)a->total,
			      "hits", a->hits, "facets", "form", a->form, "issuer", a->issuer);
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	return s;
}

static void facet_add(json_t *arr, const char *v, long n)
{
	json_array_append_new(arr, json_pack("[s, I]", v, (json_int_t)n));
}

/* ---- PostgreSQL ---- */

static const char *const pg_schema =
	"SET client_min_messages = warning;"
	"CREATE EXTENSION IF NOT EXISTS unaccent;"
	"CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql"
	" IMMUTABLE PARALLEL SAFE STRICT AS"
	" $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;"
	"DROP TABLE IF EXISTS bench_doc;"
	"CREATE TABLE bench_doc (id bigserial PRIMARY KEY, number text, form text,"
	" issuer text, abstract text, body text,"
	" tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', f_unaccent("
	"  coalesce(number, '') || ' ' || coalesce(abstract, '') || ' ' ||"
	"  left(coalesce(body, ''), 900000)))) STORED);";

static const char *const pg_query =
	"WITH q AS (SELECT websearch_to_tsquery('simple', f_unaccent($1)) AS q),"
	" m AS MATERIALIZED (SELECT d.id, d.form, d.issuer, ts_rank_cd(d.tsv, q.q) AS r"
	"  FROM bench_doc d, q WHERE d.tsv @@ q.q"
	"  AND ($2 = '' OR d.form = $2) AND ($3 = '' OR d.issuer = $3))"
	" (SELECT 'h', id::text, r::float8 FROM m ORDER BY r DESC LIMIT 10)"
	" UNION ALL SELECT 't', '', count(*)::float8 FROM m"
	" UNION ALL (SELECT 'f', form, count(*)::float8 FROM m GROUP BY form"
	"  ORDER BY 3 DESC LIMIT 50)"
	" UNION ALL (SELECT 'i', issuer, count(*)::float8 FROM m GROUP BY issuer"
	"  ORDER BY 3 DESC LIMIT 50)";

static _Thread_local PGconn *pg_conn;

static PGconn *pg_connect(void)
{
	PGconn *c = PQconnectdb(db);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "peerd: pg: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

static int pg_search(const char *q, const char *form, const char *issuer, answer *a)
{
	const char *params[3] = { q, form, issuer };
	PGresult *r;

	if (!pg_conn && !(pg_conn = pg_connect()))
		return -1;
	r = PQexecParams(pg_conn, pg_query, 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "peerd: pg: %s", PQerrorMessage(pg_conn));
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *k = PQgetvalue(r, i, 0), *v = PQgetvalue(r, i, 1);
		double n = atof(PQgetvalue(r, i, 2));

		if (*k == 'h')
			json_array_append_new(a->hits, json_pack("{s:I, s:f}", "id",
				(json_int_t)atoll(v), "score", n));
		else if (*k == 't')
			a->total = (long)n;
		else
			facet_add(*k == 'f' ? a->form : a->issuer, v, (long)n);
	}
	PQclear(r);
	return 0;
}

static int pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "peerd: pg: %s", PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* ---- SQLite FTS5 ---- */

static const char *const sq_schema =
	"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	"DROP TABLE IF EXISTS doc; DROP TABLE IF EXISTS fts;"
	"CREATE TABLE doc (id INTEGER PRIMARY KEY, number TEXT, form TEXT, issuer TEXT);"
	"CREATE VIRTUAL TABLE fts USING fts5(number, abstract, body, content='',"
	" tokenize='unicode61 remove_diacritics 2');";

#define SQ_WHERE " FROM fts JOIN doc d ON d.id = fts.rowid WHERE fts MATCH ?1" \
	" AND (?2 = '' OR d.form = ?2) AND (?3 = '' OR d.issuer = ?3)"
static const char *const sq_sql[3] = {
	"SELECT d.id, -bm25(fts)" SQ_WHERE " ORDER BY bm25(fts) LIMIT 10",
	"SELECT d.form, count(*)" SQ_WHERE " GROUP BY d.form ORDER BY 2 DESC",
	"SELECT d.issuer, count(*)" SQ_WHERE " GROUP BY d.issuer ORDER BY 2 DESC",
};

static _Thread_local sqlite3 *sq_db;
static _Thread_local sqlite3_stmt *sq_stmt[3];

/* unicode61 remove_diacritics does not fold đ/Đ (a letter of its own, not
 * a decomposition): the SQLite peer maps them to d in the texts it loads
 * and in the queries, so that it finds what the other peers find.  New
 * string (same length or shorter). */
static char *fold_dd(const char *s)
{
	size_t n = strlen(s), k = 0;
	char *o = malloc(n + 1);

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];

		if ((c == 0xc4 && (d == 0x91 || d == 0x90)) || (c == 0xc3 && d == 0x90)) {
			o[k++] = d == 0x91 ? 'd' : 'D';
			i++;
		} else {
			o[k++] = (char)c;
		}
	}
	o[k] = 0;
	return o;
}

/* The query in FTS5 syntax: every word or "quoted phrase" as a required
 * phrase (FTS5 tokenises inside the quotes). */
static void fts5_query(const char *q, char *out, size_t cap)
{
	size_t n = 0;

	while (*q && n + 8 < cap) {
		const char *end;
		int quoted = *q == '"';

		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		quoted = *q == '"';
		if (quoted)
			q++;
		end = quoted ? strchr(q, '"') : q + strcspn(q, " \t");
		if (!end)
			end = q + strlen(q);
		if (end > q) {
			if (n)
				out[n++] = ' ';
			out[n++] = '"';
			for (; q < end && n + 4 < cap; q++) {
				if (*q == '"')
					continue;
				out[n++] = *q;
			}
			out[n++] = '"';
		}
		q = *end ? end + 1 : end;
	}
	out[n] = 0;
}

static int sq_open(void)
{
	if (sqlite3_open_v2(db, &sq_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)) {
		fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sq_db));
		return -1;
	}
	for (int i = 0; i < 3; i++)
		if (sqlite3_prepare_v2(sq_db, sq_sql[i], -1, &sq_stmt[i], NULL)) {
			fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sq_db));
			return -1;
		}
	return 0;
}

static int sq_search(const char *q, const char *form, const char *issuer, answer *a)
{
	char fq[4 * MAX_Q];

	if (!sq_db && sq_open())
		return -1;
	{
		char *fd = fold_dd(q);

		if (!fd)
			return -1;
		fts5_query(fd, fq, sizeof(fq));
		free(fd);
	}
	if (!fq[0])
		return 0;
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *s = sq_stmt[i];
		int rc;

		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, fq, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, form, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, issuer, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (i == 0) {
				json_array_append_new(a->hits, json_pack("{s:I, s:f}", "id",
					(json_int_t)sqlite3_column_int64(s, 0),
					"score", sqlite3_column_double(s, 1)));
			} else {
				long n = sqlite3_column_int64(s, 1);

				if (i == 1)
					a->total += n;
				facet_add(i == 1 ? a->form : a->issuer,
					  (const char *)sqlite3_column_text(s, 0), n);
			}
		}
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sq_db));
			return -1;
		}
	}
	return 0;
}

/* ---- Xapian (vanban's terms and query builder) ---- */

static _Thread_local vb_xap_reader *xr;

static int xap_search(const char *q, const char *form, const char *issuer, answer *a)
{
	vb_search_req req;
	vb_query qb;
	vb_xap_search s;
	vb_xap_result res;
	vb_error err;
	int rc = -1;

	if (!xr && vb_xap_reader_open(&xr, db, &err)) {
		fprintf(stderr, "peerd: xapian: %s\n", err.msg);
		return -1;
	}
	vb_search_req_init(&req);
	req.q = q;
	if (*form)
		req.forms[req.n_forms++] = form;
	if (*issuer)
		req.issuers[req.n_issuers++] = issuer;
	memset(&qb, 0, sizeof(qb));
	vb_xap_result_init(&res);
	if (vb_query_build(&qb, &req, NULL, &err))
		goto out;
	memset(&s, 0, sizeof(s));
	s.query = qb.strict;
	s.filter = qb.filter;
	s.sort = VB_XSORT_RELEVANCE;
	s.limit = TOP;
	s.facet_slots[0] = VB_SLOT_FORM;
	s.facet_slots[1] = VB_SLOT_ISSUER;
	s.n_facets = 2;
	s.facet_max = FACET_MAX;
	if (vb_xap_reader_search(xr, &s, &res, &err))
		goto out;
	a->total = (long)res.total;
	for (size_t i = 0; i < res.n_hits; i++)
		json_array_append_new(a->hits, json_pack("{s:I, s:f}", "id",
			(json_int_t)res.hits[i].docid, "score", res.hits[i].weight));
	for (int f = 0; f < 2; f++)
		for (size_t i = 0; i < res.n_facet_values[f]; i++)
			facet_add(f ? a->issuer : a->form, res.facets[f][i].value,
				  (long)res.facets[f][i].count);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "peerd: xapian: %s\n", err.msg);
	vb_xap_result_dispose(&res);
	vb_query_dispose(&qb);
	return rc;
}

/* ---- loading ---- */

static int load(const char *manifest)
{
	FILE *f = fopen(manifest, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long n = 0, bad = 0;
	double text = 0, t0 = now();
	PGconn *pc = NULL;
	sqlite3 *sd = NULL;
	sqlite3_stmt *ins_doc = NULL, *ins_fts = NULL;
	vb_xap_writer *xw = NULL;
	vb_error err;

	if (!f) {
		fprintf(stderr, "peerd: %s: %s\n", manifest, strerror(errno));
		return 1;
	}
	if (backend == B_PG) {
		if (!(pc = pg_connect()) || pg_exec(pc, pg_schema) || pg_exec(pc, "BEGIN"))
			return 1;
	} else if (backend == B_SQLITE) {
		unlink(db);
		if (sqlite3_open(db, &sd) || sqlite3_exec(sd, sq_schema, NULL, NULL, NULL) ||
		    sqlite3_exec(sd, "BEGIN", NULL, NULL, NULL) ||
		    sqlite3_prepare_v2(sd, "INSERT INTO doc VALUES (?1, ?2, ?3, ?4)", -1,
				       &ins_doc, NULL) ||
		    sqlite3_prepare_v2(sd, "INSERT INTO fts (rowid, number, abstract, body)"
				       " VALUES (?1, ?2, ?3, ?4)", -1, &ins_fts, NULL)) {
			fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sd));
			return 1;
		}
	} else if (vb_xap_writer_open(&xw, db, VB_XAP_OVERWRITE, &err)) {
		fprintf(stderr, "peerd: xapian: %s\n", err.msg);
		return 1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		vb_document d;
		const char *body;

		if (vb_manifest_line_blank(line, (size_t)len))
			continue;
		vb_document_init(&d);
		if (vb_manifest_parse_line(line, (size_t)len, ".", NULL, &d, &err)) {
			fprintf(stderr, "peerd: line %ld: %s\n", n + bad + 1, err.msg);
			bad++;
			continue;
		}
		d.id = ++n;
		body = d.text ? d.text : "";
		text += (double)strlen(body);
		if (backend == B_PG) {
			char id[24];
			const char *p[6] = { id, d.number, d.form, d.issuer, d.abstract, body };
			PGresult *r;

			snprintf(id, sizeof(id), "%ld", n);
			r = PQexecParams(pc, "INSERT INTO bench_doc (id, number, form, issuer,"
					 " abstract, body) VALUES ($1, $2, $3, $4, $5, $6)",
					 6, NULL, p, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				fprintf(stderr, "peerd: pg: %s", PQerrorMessage(pc));
				PQclear(r);
				return 1;
			}
			PQclear(r);
		} else if (backend == B_SQLITE) {
			sqlite3_bind_int64(ins_doc, 1, n);
			sqlite3_bind_text(ins_doc, 2, d.number, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_doc, 3, d.form, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins_doc, 4, d.issuer, -1, SQLITE_STATIC);
			char *fn = d.number ? fold_dd(d.number) : NULL;
			char *fa = d.abstract ? fold_dd(d.abstract) : NULL;
			char *fb = fold_dd(body);

			sqlite3_bind_int64(ins_fts, 1, n);
			sqlite3_bind_text(ins_fts, 2, fn, -1, free);
			sqlite3_bind_text(ins_fts, 3, fa, -1, free);
			sqlite3_bind_text(ins_fts, 4, fb, -1, free);
			if (sqlite3_step(ins_doc) != SQLITE_DONE ||
			    sqlite3_step(ins_fts) != SQLITE_DONE) {
				fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sd));
				return 1;
			}
			sqlite3_reset(ins_doc);
			sqlite3_reset(ins_fts);
		} else {
			vb_xdoc *xd;
			char idt[24];

			vb_indexdoc_id_term(d.id, idt, sizeof(idt));
			if (vb_indexdoc_build(&d, &xd, &err) ||
			    vb_xap_writer_replace(xw, idt, xd, &err)) {
				fprintf(stderr, "peerd: xapian: %s\n", err.msg);
				return 1;
			}
			vb_xdoc_free(xd);
		}
		vb_document_dispose(&d);
	}
	free(line);
	fclose(f);
	if (backend == B_PG) {
		double t1 = now();

		if (pg_exec(pc, "COMMIT") ||
		    pg_exec(pc, "CREATE INDEX bench_doc_tsv ON bench_doc USING gin (tsv)") ||
		    pg_exec(pc, "VACUUM ANALYZE bench_doc"))
			return 1;
		fprintf(stderr, "peerd: pg: rows %.1f s, GIN index %.1f s\n", t1 - t0, now() - t1);
		PQfinish(pc);
	} else if (backend == B_SQLITE) {
		sqlite3_finalize(ins_doc);
		sqlite3_finalize(ins_fts);
		if (sqlite3_exec(sd, "COMMIT; INSERT INTO fts(fts) VALUES ('optimize');",
				 NULL, NULL, NULL)) {
			fprintf(stderr, "peerd: sqlite: %s\n", sqlite3_errmsg(sd));
			return 1;
		}
		sqlite3_close(sd);
	} else if (vb_xap_writer_close(xw, &err)) {
		fprintf(stderr, "peerd: xapian: %s\n", err.msg);
		return 1;
	}
	{
		double dt = now() - t0;

		printf("load %s: %ld documents (%ld bad), %.1f MB of text in %.2f s: "
		       "%.0f docs/s, %.2f MB/s\n",
		       backend == B_PG ? "pg" : backend == B_SQLITE ? "sqlite" : "xapian",
		       n, bad, text / 1e6, dt, (double)n / dt, text / 1e6 / dt);
	}
	return bad ? 1 : 0;
}

/* ---- per-thread handles ---- */

/* Each server thread opens its own connection / database / reader on its
 * first request; they are closed when the thread ends (MHD_stop_daemon). */
static pthread_key_t handles_key;

static void close_handles(void *unused)
{
	(void)unused;
	if (pg_conn)
		PQfinish(pg_conn);
	for (int i = 0; i < 3; i++)
		if (sq_stmt[i]) {
			sqlite3_finalize(sq_stmt[i]);
			sq_stmt[i] = NULL;
		}
	if (sq_db)
		sqlite3_close(sq_db);
	if (xr)
		vb_xap_reader_free(xr);
	pg_conn = NULL;
	sq_db = NULL;
	xr = NULL;
}

/* ---- HTTP ---- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body,
			     const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **ctx)
{
	const char *q, *form, *issuer;
	answer a;
	int rc;

	(void)cls; (void)version; (void)upload; (void)upload_size;
	if (!*ctx) { /* first call: headers only; answer on the second */
		static int seen;

		*ctx = &seen;
		return MHD_YES;
	}
	if (backend == B_HELLO)
		return reply(c, 200, strdup("hello\n"), "text/plain");
	if (strcmp(method, "GET") || strcmp(url, "/search"))
		return reply(c, 404, strdup("{\"error\":\"not found\"}"), "application/json");
	q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
	form = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "form");
	issuer = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "issuer");
	if (!q || !*q || strlen(q) > MAX_Q || (form && strlen(form) > 256) ||
	    (issuer && strlen(issuer) > 256))
		return reply(c, 400, strdup("{\"error\":\"q: 1 to 1024 bytes\"}"),
			     "application/json");
	pthread_setspecific(handles_key, &handles_key); /* close_handles at exit */
	answer_init(&a);
	rc = backend == B_PG ? pg_search(q, form ? form : "", issuer ? issuer : "", &a)
	   : backend == B_SQLITE ? sq_search(q, form ? form : "", issuer ? issuer : "", &a)
	   : xap_search(q, form ? form : "", issuer ? issuer : "", &a);
	if (rc) {
		json_decref(a.hits);
		json_decref(a.form);
		json_decref(a.issuer);
		return reply(c, 500, strdup("{\"error\":\"backend\"}"), "application/json");
	}
	return reply(c, 200, answer_dump(&a), "application/json");
}

static volatile sig_atomic_t quit;
static void on_signal(int sig) { (void)sig; quit = 1; }

int main(int argc, char **argv)
{
	const char *load_path = NULL, *b = NULL;
	unsigned port = 0, threads = 2;
	struct MHD_Daemon *d;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--backend") && v)
			b = v, i++;
		else if (!strcmp(argv[i], "--db") && v)
			db = v, i++;
		else if (!strcmp(argv[i], "--load") && v)
			load_path = v, i++;
		else if (!strcmp(argv[i], "--port") && v)
			port = (unsigned)atoi(v), i++;
		else if (!strcmp(argv[i], "--threads") && v)
			threads = (unsigned)atoi(v), i++;
		else
			goto usage;
	}
	if (!b)
		goto usage;
	if (!strcmp(b, "pg"))
		backend = B_PG;
	else if (!strcmp(b, "sqlite"))
		backend = B_SQLITE;
	else if (!strcmp(b, "xapian"))
		backend = B_XAPIAN;
	else if (!strcmp(b, "hello"))
		backend = B_HELLO;
	else
		goto usage;
	if (load_path)
		return backend == B_HELLO ? 2 : load(load_path);
	if (!port || port > 65535 || threads < 1 || threads > 64)
		goto usage;
	if (pthread_key_create(&handles_key, close_handles))
		return 1;
	{
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
					  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_INTERNAL_THREAD |
			     MHD_USE_TURBO, (uint16_t)port, NULL, NULL, on_request, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, 60u,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	}
	if (!d) {
		fprintf(stderr, "peerd: cannot listen on port %u\n", port);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "peerd: %s on 127.0.0.1:%u, %u threads\n", b, port, threads);
	while (!quit)
		pause();
	MHD_stop_daemon(d);
	return 0;
usage:
	fprintf(stderr, "usage: peerd --backend pg|sqlite|xapian|hello --db DB "
		"(--load MANIFEST | --port P [--threads N])\n");
	return 2;
}
