/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL store (see store.h for the contract).  Every statement goes
 * through PQexecParams with its values as parameters; the only exception is
 * the text of a migration file, which is a script without values and needs
 * the simple-query protocol for its several statements.  Lists (signers,
 * files, fields) travel as one JSON parameter each and are unpacked by
 * jsonb_array_elements on the server, so a document is written with a
 * handful of statements however many signers or files it has.
 *
 * A document's content hash (SHA-256 over every stored value, with lengths,
 * in a fixed order) decides whether a re-import changes anything: an
 * identical document is neither written nor queued for indexing.
 *
 * This file holds the connection, the helpers the store's files share
 * (store_int.h), the migrations and the advisory locks; documents are in
 * store_doc.c and the outbox of index jobs in store_outbox.c.
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"
#include "log.h"
#include "migrations.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* Advisory lock keys ("vanban" in ASCII, then a small number). */
#define VB_LOCK_MIGRATE "8530220538036879361" /* 0x76616e62616e0001 */
#define VB_LOCK_INDEX   "8530220538036879362" /* 0x76616e62616e0002 */

#define VB_OUTBOX_CHANNEL "vanban_outbox"
#define VB_MIGRATION_MAX (4 * 1024 * 1024)   /* bytes per migration file */
#define VB_MIGRATIONS_MAX 1000

/* ---- helpers --------------------------------------------------------- */

/* The primary message of a failed result, or the connection's message,
 * without the trailing newline.  Copied into buf. */
const char *store_pg_message(PGconn *conn, const PGresult *res, char *buf, size_t bufsz)
{
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	size_t n;

	if (!m || !*m)
		m = conn ? PQerrorMessage(conn) : "no connection";
	if (!strncmp(m, "ERROR:  ", 8))
		m += 8;
	snprintf(buf, bufsz, "%s", m);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (!*buf)
		snprintf(buf, bufsz, "unknown error");
	return buf;
}

PGresult *store_q(vb_store *st, const char *sql, int n, const char *const *params)
{
	return PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0);
}

PGresult *store_q_prepared(vb_store *st, enum store_stmt which, const char *sql, int n,
			   const char *const *params)
{
	char name[24];

	snprintf(name, sizeof(name), "vb_stmt_%d", (int)which);
	if (!(st->prepared & (1u << which))) {
		PGresult *res = PQprepare(st->conn, name, sql, n, NULL);
		int ok = store_res_ok(res);

		PQclear(res);
		if (!ok) /* e.g. in a failed transaction: its error comes from here */
			return store_q(st, sql, n, params);
		st->prepared |= 1u << which;
	}
	return PQexecPrepared(st->conn, name, n, params, NULL, NULL, 0);
}

int store_res_ok(const PGresult *res)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Run a statement whose result is not needed.  0 or VB_EDB with
 * "could not WHAT: message". */
int store_q_cmd(vb_store *st, const char *sql, int n, const char *const *params,
		 const char *what, vb_error *err)
{
	PGresult *res = store_q(st, sql, n, params);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	if (!store_res_ok(res))
		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what,
				  store_pg_message(st->conn, res, m, sizeof(m)));
	PQclear(res);
	return rc;
}

void store_rollback(vb_store *st)
{
	PQclear(store_q(st, "ROLLBACK", 0, NULL));
}

char *store_dup_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : strdup(PQgetvalue(res, row, col));
}

int64_t store_get_i64(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

void store_copy_fixed(char *dst, size_t dstsz, const PGresult *res, int row, int col)
{
	dst[0] = '\0';
	if (!PQgetisnull(res, row, col))
		snprintf(dst, dstsz, "%s", PQgetvalue(res, row, col));
}

/* ---- connection ------------------------------------------------------ */

/* Server notices (e.g. "you don't own a lock") go to the debug log instead
 * of libpq's default, stderr. */
static void notice_log(void *arg, const char *message)
{
	size_t n = strlen(message);

	(void)arg;
	while (n && message[n - 1] == '\n')
		n--;
	vb_debug("postgresql: %.*s", (int)n, message);
}

int vb_store_open(vb_store **out, const char *conninfo, vb_error *err)
{
	vb_store *st = NULL;
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	*out = NULL;
	if (!conninfo || !*conninfo)
		conninfo = getenv("VANBAN_DB");
	if (!conninfo)
		conninfo = "";
	if (!(st = calloc(1, sizeof(*st))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	st->conn = PQconnectdb(conninfo);
	if (!st->conn || PQstatus(st->conn) != CONNECTION_OK) {
		rc = vb_error_set(err, VB_EDB, "could not connect to database: %s",
				  store_pg_message(st->conn, NULL, m, sizeof(m)));
		goto out;
	}
	PQsetNoticeProcessor(st->conn, notice_log, NULL);
	if (PQsetClientEncoding(st->conn, "UTF8") != 0) {
		rc = vb_error_set(err, VB_EDB, "could not set client encoding: %s",
				  store_pg_message(st->conn, NULL, m, sizeof(m)));
		goto out;
	}
	*out = st;
	st = NULL;
out:
	vb_store_free(st);
	return rc;
}

void vb_store_free(vb_store *st)
{
	if (!st)
		return;
	if (st->conn)
		PQfinish(st->conn);
	free(st);
}

int store_listen_now(vb_store *st, vb_error *err)
{
	int rc = store_q_cmd(st, "LISTEN " VB_OUTBOX_CHANNEL, 0, NULL, "listen for index jobs", err);

	if (!rc)
		st->listening = 1;
	return rc;
}

int vb_store_ping(vb_store *st, vb_error *err)
{
	PGresult *res = store_q(st, "SELECT 1", 0, NULL);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	if (store_res_ok(res))
		goto out;
	if (PQstatus(st->conn) != CONNECTION_BAD) {
		rc = vb_error_set(err, VB_EDB, "database is not answering: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	vb_warn("database connection lost, reconnecting");
	PQreset(st->conn);
	st->prepared = 0; /* a new session has none */
	if (PQstatus(st->conn) != CONNECTION_OK) {
		rc = vb_error_set(err, VB_EDB, "could not reconnect to database: %s",
				  store_pg_message(st->conn, NULL, m, sizeof(m)));
		goto out;
	}
	PQsetClientEncoding(st->conn, "UTF8");
	PQclear(res);
	res = store_q(st, "SELECT 1", 0, NULL);
	if (!store_res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "database is not answering: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (st->listening)
		rc = store_listen_now(st, err);
out:
	PQclear(res);
	return rc;
}

/* ---- migrations ------------------------------------------------------ */

typedef struct migration {
	int version;
	char *name;
	char *sql;      /* owned when read from a directory */
	int owned;
} migration;

/* The NNN of "NNN_name.sql", or -1 when name does not look like that. */
static int migration_version(const char *name)
{
	const char *p = name;
	long v = 0;
	size_t len = strlen(name);

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > 1000000)
			return -1;
	}
	if (*p != '_' || len < 5 || strcmp(name + len - 4, ".sql"))
		return -1;
	for (p++; p < name + len - 4; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return -1;
	return (int)v;
}

static int migration_cmp(const void *a, const void *b)
{
	const migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static void migrations_free(migration *ms, size_t n)
{
	size_t i;

	for (i = 0; ms && i < n; i++) {
		free(ms[i].name);
		if (ms[i].owned)
			free(ms[i].sql);
	}
	free(ms);
}

static int read_file(const char *path, size_t max, char **out, vb_error *err)
{
	FILE *f = fopen(path, "rb");
	vb_buf b;
	char chunk[8192];
	size_t n;
	int rc = 0;

	vb_buf_init(&b, max);
	*out = NULL;
	if (!f)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if ((rc = vb_buf_append(&b, chunk, n))) {
			vb_error_set(err, rc, "could not read file \"%s\": %s", path,
				     rc == VB_ETOOBIG ? "file too large" : "out of memory");
			goto out;
		}
	}
	if (ferror(f)) {
		rc = vb_error_set(err, VB_EIO, "could not read file \"%s\": %s", path, strerror(errno));
		goto out;
	}
	if (!(*out = b.data ? vb_buf_steal(&b) : strdup("")))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	fclose(f);
	vb_buf_dispose(&b);
	return rc;
}

/* Collect the migrations: from dir when given, else the built-in ones.
 * Sorted by version; duplicate versions are an error. */
static int migrations_load(const char *dir, migration **out, size_t *nout, vb_error *err)
{
	migration *ms = NULL;
	size_t n = 0, i;
	DIR *d = NULL;
	struct dirent *de;
	char path[4096];
	int rc = 0, v;

	if (!(ms = calloc(dir && *dir ? VB_MIGRATIONS_MAX : vb_migrations_count + 1, sizeof(*ms))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (dir && *dir) {
		if (!(d = opendir(dir))) {
			rc = vb_error_set(err, VB_EIO, "could not open directory \"%s\": %s",
					  dir, strerror(errno));
			goto out;
		}
		while ((de = readdir(d))) {
			if ((v = migration_version(de->d_name)) < 0)
				continue;
			if (n == VB_MIGRATIONS_MAX) {
				rc = vb_error_set(err, VB_ETOOBIG, "too many migrations in \"%s\"", dir);
				goto out;
			}
			if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
				rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", dir);
				goto out;
			}
			ms[n].version = v;
			ms[n].owned = 1;
			if (!(ms[n].name = strdup(de->d_name))) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				goto out;
			}
			n++;
			if ((rc = read_file(path, VB_MIGRATION_MAX, &ms[n - 1].sql, err)))
				goto out;
		}
	} else {
		for (i = 0; i < vb_migrations_count; i++) {
			if ((v = migration_version(vb_migrations[i].name)) < 0) {
				rc = vb_error_set(err, VB_EINVAL, "invalid built-in migration name \"%s\"",
						  vb_migrations[i].name);
				goto out;
			}
			ms[n].version = v;
			ms[n].sql = (char *)vb_migrations[i].sql;
			if (!(ms[n].name = strdup(vb_migrations[i].name))) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				goto out;
			}
			n++;
		}
	}
	qsort(ms, n, sizeof(*ms), migration_cmp);
	for (i = 1; i < n; i++)
		if (ms[i].version == ms[i - 1].version) {
			rc = vb_error_set(err, VB_EINVAL, "migrations \"%s\" and \"%s\" have the same number",
					  ms[i - 1].name, ms[i].name);
			goto out;
		}
out:
	if (d)
		closedir(d);
	if (rc) {
		migrations_free(ms, n);
		ms = NULL;
		n = 0;
	}
	*out = ms;
	*nout = n;
	return rc;
}

/* Apply one migration unless it is recorded already; *did = 1 if applied. */
static int migration_apply(vb_store *st, const migration *m, int *did, vb_error *err)
{
	char version[16], m_[VB_ERROR_MSG_MAX];
	const char *lock_p[1] = { VB_LOCK_MIGRATE };
	const char *p[2];
	PGresult *res = NULL;
	int rc, in_tx = 0;

	*did = 0;
	snprintf(version, sizeof(version), "%d", m->version);
	p[0] = version;
	p[1] = m->name;
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		goto out;
	in_tx = 1;
	/* Held until COMMIT: a concurrent start waits here, then sees the row. */
	if ((rc = store_q_cmd(st, "SELECT pg_advisory_xact_lock($1::bigint)", 1, lock_p,
			      "take the migration lock", err)))
		goto out;
	res = store_q(st, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL);
	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_EDB, "could not read schema_migrations: %s",
				  store_pg_message(st->conn, res, m_, sizeof(m_)));
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 0), "t")) {
		PQclear(res);
		res = store_q(st, "SELECT 1 FROM schema_migrations WHERE version = $1::integer", 1, p);
		if (!store_res_ok(res)) {
			rc = vb_error_set(err, VB_EDB, "could not read schema_migrations: %s",
					  store_pg_message(st->conn, res, m_, sizeof(m_)));
			goto out;
		}
		if (PQntuples(res) > 0) {
			rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
			in_tx = 0;
			goto out;
		}
	}
	PQclear(res);
	/* A migration is a script without values: the simple protocol runs
	 * all its statements inside our transaction. */
	res = PQexec(st->conn, m->sql);
	if (!store_res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not apply migration \"%s\": %s", m->name,
				  store_pg_message(st->conn, res, m_, sizeof(m_)));
		goto out;
	}
	if ((rc = store_q_cmd(st, "INSERT INTO schema_migrations (version, name) VALUES ($1::integer, $2)",
			      2, p, "record migration", err)))
		goto out;
	if ((rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit migration", err)))
		goto out;
	in_tx = 0;
	*did = 1;
	vb_info("applied migration %s", m->name);
out:
	PQclear(res);
	if (rc && in_tx)
		store_rollback(st);
	return rc;
}

int vb_store_migrate(vb_store *st, const char *sql_dir, int *applied, vb_error *err)
{
	const char *lock_p[1] = { VB_LOCK_MIGRATE };
	migration *ms = NULL;
	size_t n = 0, i;
	int rc, did, count = 0, locked = 0;

	if (applied)
		*applied = 0;
	if ((rc = migrations_load(sql_dir, &ms, &n, err)))
		return rc;
	/* The whole run under a session lock, so that a program starting at
	 * the same time waits for all the migrations, not only the current
	 * one (each file still runs in its own transaction). */
	if ((rc = store_q_cmd(st, "SELECT pg_advisory_lock($1::bigint)", 1, lock_p,
			      "take the migration lock", err)))
		goto out;
	locked = 1;
	for (i = 0; i < n; i++) {
		if ((rc = migration_apply(st, &ms[i], &did, err)))
			goto out;
		count += did;
	}
out:
	if (locked && store_q_cmd(st, "SELECT pg_advisory_unlock($1::bigint)", 1, lock_p,
				  "release the migration lock", rc ? NULL : err) && !rc)
		rc = VB_EDB;
	if (applied)
		*applied = count;
	migrations_free(ms, n);
	return rc;
}

int store_count_query(vb_store *st, const char *sql, const char *what, int64_t *count,
		       vb_error *err)
{
	PGresult *res = store_q(st, sql, 0, NULL);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	*count = 0;
	if (!store_res_ok(res) || PQntuples(res) != 1)
		rc = vb_error_set(err, VB_EDB, "could not count %s: %s", what,
				  store_pg_message(st->conn, res, m, sizeof(m)));
	else
		*count = store_get_i64(res, 0, 0);
	PQclear(res);
	return rc;
}

/* ---- advisory locks -------------------------------------------------- */

static int lock_query(vb_store *st, const char *sql, int *value, const char *what, vb_error *err)
{
	const char *p[1] = { VB_LOCK_INDEX };
	char m[VB_ERROR_MSG_MAX];
	PGresult *res = store_q(st, sql, 1, p);
	int rc = 0;

	if (!store_res_ok(res) || PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what,
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (value)
		*value = !strcmp(PQgetvalue(res, 0, 0), "t");
out:
	PQclear(res);
	return rc;
}

int vb_store_index_lock_try(vb_store *st, int *taken, vb_error *err)
{
	*taken = 0;
	return lock_query(st, "SELECT pg_try_advisory_lock($1::bigint)", taken,
			  "take the index lock", err);
}

int vb_store_index_lock(vb_store *st, vb_error *err)
{
	return lock_query(st, "SELECT pg_advisory_lock($1::bigint) IS NULL", NULL,
			  "take the index lock", err);
}

int vb_store_index_unlock(vb_store *st, vb_error *err)
{
	int held = 0, rc;

	if ((rc = lock_query(st, "SELECT pg_advisory_unlock($1::bigint)", &held,
			     "release the index lock", err)))
		return rc;
	if (!held)
		return vb_error_set(err, VB_EINVAL, "could not release the index lock: not held by this session");
	return 0;
}
