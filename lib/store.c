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
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"
#include "log.h"
#include "migrations.h"
#include "sha256.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

/* Advisory lock keys ("vanban" in ASCII, then a small number). */
#define VB_LOCK_MIGRATE "8530220538036879361" /* 0x76616e62616e0001 */
#define VB_LOCK_INDEX   "8530220538036879362" /* 0x76616e62616e0002 */

#define VB_OUTBOX_CHANNEL "vanban_outbox"
#define VB_FETCH_BATCH "200"
#define VB_MIGRATION_MAX (4 * 1024 * 1024)   /* bytes per migration file */
#define VB_MIGRATIONS_MAX 1000
#define VB_GET_TEXTS_MAX 10000
#define VB_OUTBOX_FETCH_MAX 100000


/* ---- helpers --------------------------------------------------------- */

/* The primary message of a failed result, or the connection's message,
 * without the trailing newline.  Copied into buf. */
static const char *pg_message(PGconn *conn, const PGresult *res, char *buf, size_t bufsz)
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

static PGresult *q(vb_store *st, const char *sql, int n, const char *const *params)
{
	return PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0);
}

static int res_ok(const PGresult *res)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Run a statement whose result is not needed.  0 or VB_EDB with
 * "could not WHAT: message". */
static int q_cmd(vb_store *st, const char *sql, int n, const char *const *params,
		 const char *what, vb_error *err)
{
	PGresult *res = q(st, sql, n, params);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	if (!res_ok(res))
		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what,
				  pg_message(st->conn, res, m, sizeof(m)));
	PQclear(res);
	return rc;
}

static void rollback(vb_store *st)
{
	PQclear(q(st, "ROLLBACK", 0, NULL));
}

static char *dup_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : strdup(PQgetvalue(res, row, col));
}

static int64_t get_i64(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static void copy_fixed(char *dst, size_t dstsz, const PGresult *res, int row, int col)
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
				  pg_message(st->conn, NULL, m, sizeof(m)));
		goto out;
	}
	PQsetNoticeProcessor(st->conn, notice_log, NULL);
	if (PQsetClientEncoding(st->conn, "UTF8") != 0) {
		rc = vb_error_set(err, VB_EDB, "could not set client encoding: %s",
				  pg_message(st->conn, NULL, m, sizeof(m)));
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

static int listen_now(vb_store *st, vb_error *err)
{
	int rc = q_cmd(st, "LISTEN " VB_OUTBOX_CHANNEL, 0, NULL, "listen for index jobs", err);

	if (!rc)
		st->listening = 1;
	return rc;
}

int vb_store_ping(vb_store *st, vb_error *err)
{
	PGresult *res = q(st, "SELECT 1", 0, NULL);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	if (res_ok(res))
		goto out;
	if (PQstatus(st->conn) != CONNECTION_BAD) {
		rc = vb_error_set(err, VB_EDB, "database is not answering: %s",
				  pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	vb_warn("database connection lost, reconnecting");
	PQreset(st->conn);
	if (PQstatus(st->conn) != CONNECTION_OK) {
		rc = vb_error_set(err, VB_EDB, "could not reconnect to database: %s",
				  pg_message(st->conn, NULL, m, sizeof(m)));
		goto out;
	}
	PQsetClientEncoding(st->conn, "UTF8");
	PQclear(res);
	res = q(st, "SELECT 1", 0, NULL);
	if (!res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "database is not answering: %s",
				  pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (st->listening)
		rc = listen_now(st, err);
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
	if ((rc = q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		goto out;
	in_tx = 1;
	/* Held until COMMIT: a concurrent start waits here, then sees the row. */
	if ((rc = q_cmd(st, "SELECT pg_advisory_xact_lock($1::bigint)", 1, lock_p,
			"take the migration lock", err)))
		goto out;
	res = q(st, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL);
	if (!res_ok(res) || PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_EDB, "could not read schema_migrations: %s",
				  pg_message(st->conn, res, m_, sizeof(m_)));
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 0), "t")) {
		PQclear(res);
		res = q(st, "SELECT 1 FROM schema_migrations WHERE version = $1::integer", 1, p);
		if (!res_ok(res)) {
			rc = vb_error_set(err, VB_EDB, "could not read schema_migrations: %s",
					  pg_message(st->conn, res, m_, sizeof(m_)));
			goto out;
		}
		if (PQntuples(res) > 0) {
			rc = q_cmd(st, "COMMIT", 0, NULL, "commit", err);
			in_tx = 0;
			goto out;
		}
	}
	PQclear(res);
	/* A migration is a script without values: the simple protocol runs
	 * all its statements inside our transaction. */
	res = PQexec(st->conn, m->sql);
	if (!res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not apply migration \"%s\": %s", m->name,
				  pg_message(st->conn, res, m_, sizeof(m_)));
		goto out;
	}
	if ((rc = q_cmd(st, "INSERT INTO schema_migrations (version, name) VALUES ($1::integer, $2)",
			2, p, "record migration", err)))
		goto out;
	if ((rc = q_cmd(st, "COMMIT", 0, NULL, "commit migration", err)))
		goto out;
	in_tx = 0;
	*did = 1;
	vb_info("applied migration %s", m->name);
out:
	PQclear(res);
	if (rc && in_tx)
		rollback(st);
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
	if ((rc = q_cmd(st, "SELECT pg_advisory_lock($1::bigint)", 1, lock_p,
			"take the migration lock", err)))
		goto out;
	locked = 1;
	for (i = 0; i < n; i++) {
		if ((rc = migration_apply(st, &ms[i], &did, err)))
			goto out;
		count += did;
	}
out:
	if (locked && q_cmd(st, "SELECT pg_advisory_unlock($1::bigint)", 1, lock_p,
			    "release the migration lock", rc ? NULL : err) && !rc)
		rc = VB_EDB;
	if (applied)
		*applied = count;
	migrations_free(ms, n);
	return rc;
}

/* ---- writing documents ----------------------------------------------- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "" or a real calendar date "YYYY-MM-DD". */
static int date_valid(const char *s)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, y, mo, d;

	if (!*s)
		return 1;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	if (s[10])
		return 0;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || mo < 1 || mo > 12 || d < 1)
		return 0;
	return d <= mdays[mo - 1] + (mo == 2 && is_leap(y));
}

static void hash_str(vb_sha256 *h, const char *s)
{
	unsigned char len[9];
	uint64_t n;
	int i;

	if (!s) {
		vb_sha256_update(h, "N", 1);
		return;
	}
	n = strlen(s);
	len[0] = 'S';
	for (i = 0; i < 8; i++)
		len[1 + i] = (unsigned char)(n >> (56 - 8 * i));
	vb_sha256_update(h, len, sizeof(len));
	vb_sha256_update(h, s, (size_t)n);
}

static void hash_int(vb_sha256 *h, int64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	hash_str(h, s);
}

/* The content hash: every stored value, length-prefixed, in a fixed order
 * (bump the "v1" when the order or the set of values changes). */
static void document_hash(const vb_document *doc, const char *status, const char *language,
			  char hex[VB_SHA256_HEX_LEN])
{
	unsigned char digest[VB_SHA256_LEN];
	vb_sha256 h;
	size_t i;

	vb_sha256_init(&h);
	hash_str(&h, "vanban-document-v1");
	hash_str(&h, doc->number);
	hash_str(&h, doc->number_canonical);
	hash_str(&h, doc->form);
	hash_str(&h, doc->issuer);
	hash_str(&h, doc->issue_date);
	hash_str(&h, doc->effective_date);
	hash_str(&h, doc->expiry_date);
	hash_str(&h, doc->abstract);
	hash_str(&h, status);
	hash_str(&h, doc->category);
	hash_str(&h, language);
	hash_str(&h, doc->text);
	hash_int(&h, (int64_t)doc->n_signers);
	for (i = 0; i < doc->n_signers; i++) {
		hash_str(&h, doc->signers[i].name);
		hash_str(&h, doc->signers[i].title);
	}
	hash_int(&h, (int64_t)doc->n_fields);
	for (i = 0; i < doc->n_fields; i++)
		hash_str(&h, doc->fields[i]);
	hash_int(&h, (int64_t)doc->n_files);
	for (i = 0; i < doc->n_files; i++) {
		hash_str(&h, doc->files[i].name);
		hash_str(&h, doc->files[i].media_type);
		hash_str(&h, doc->files[i].sha256);
		hash_int(&h, doc->files[i].size);
	}
	vb_sha256_final(&h, digest);
	vb_sha256_hex(digest, hex);
}

#define FILE_MEDIA_TYPE(f) ((f)->media_type && *(f)->media_type ? (f)->media_type : "application/octet-stream")

/* The lists as JSON parameters.  VB_EINVAL names the list with bad UTF-8. */
static int document_lists_json(const vb_document *doc, char **fields, char **signers,
			       char **files, const char **bad)
{
	json_t *a = NULL, *o;
	size_t i;
	int rc = 0;

	*fields = *signers = *files = NULL;
	*bad = "fields";
	if (!(a = json_array()))
		return VB_ENOMEM;
	for (i = 0; i < doc->n_fields; i++)
		if (json_array_append_new(a, json_string(doc->fields[i] ? doc->fields[i] : ""))) {
			rc = VB_EINVAL;
			goto out;
		}
	if (!(*fields = json_dumps(a, JSON_COMPACT)))
		goto nomem;
	json_decref(a);
	*bad = "signers";
	if (!(a = json_array()))
		goto nomem;
	for (i = 0; i < doc->n_signers; i++) {
		const vb_signer *s = &doc->signers[i];

		o = json_pack("{s:s?, s:s?}", "name", s->name ? s->name : "", "title", s->title);
		if (json_array_append_new(a, o)) {
			rc = VB_EINVAL;
			goto out;
		}
	}
	if (!(*signers = json_dumps(a, JSON_COMPACT)))
		goto nomem;
	json_decref(a);
	*bad = "files";
	if (!(a = json_array()))
		goto nomem;
	for (i = 0; i < doc->n_files; i++) {
		const vb_file *f = &doc->files[i];

		o = json_pack("{s:s?, s:s, s:s, s:I}", "name", f->name, "sha256", f->sha256,
			      "media_type", FILE_MEDIA_TYPE(f), "size", (json_int_t)f->size);
		if (json_array_append_new(a, o)) {
			rc = VB_EINVAL;
			goto out;
		}
	}
	if (!(*files = json_dumps(a, JSON_COMPACT)))
		goto nomem;
	goto out;
nomem:
	rc = VB_ENOMEM;
out:
	json_decref(a);
	if (rc) {
		free(*fields);
		free(*signers);
		free(*files);
		*fields = *signers = *files = NULL;
	}
	return rc;
}

/* Which document field a constraint guards (for messages). */
static const char *constraint_field(const char *name)
{
	static const struct { const char *constraint, *field; } map[] = {
		{ "documents_status_valid", "status" },
		{ "documents_category_valid", "category" },
		{ "documents_language_valid", "language" },
		{ "documents_expiry_after_effective", "expiry_date" },
		{ "documents_source_valid", "source" },
		{ "documents_source_id_valid", "source_id" },
		{ "documents_version_valid", "version" },
		{ "files_sha256_valid", "files.sha256" },
		{ "files_size_valid", "files.size" },
		{ "document_files_name_valid", "files.name" },
		{ "document_files_sha256_fkey", "files.sha256" },
	};
	size_t i;

	for (i = 0; name && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].constraint, name))
			return map[i].field;
	return NULL;
}

/* The error of a failed write: VB_EINVAL for data the schema rejects
 * (SQLSTATE classes 22 and 23), naming the field when it is known. */
static int put_error(vb_store *st, const vb_document *doc, const PGresult *res, vb_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *field = NULL;
	char m[VB_ERROR_MSG_MAX];

	pg_message(st->conn, res, m, sizeof(m));
	if (state && (!strncmp(state, "22", 2) || !strncmp(state, "23", 2))) {
		field = constraint_field(PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME));
		if (!field)
			field = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
		if (field)
			return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": invalid %s: %s",
					    doc->source, doc->source_id, field, m);
		return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": %s",
				    doc->source, doc->source_id, m);
	}
	return vb_error_set(err, VB_EDB, "could not store document \"%s/%s\": %s",
			    doc->source, doc->source_id, m);
}

/* Checks the schema cannot express or that give clearer messages here. */
static int put_validate(const vb_document *doc, vb_error *err)
{
	static const char *const dnames[3] = { "issue_date", "effective_date", "expiry_date" };
	const char *dates[3];
	size_t i;

	if (!doc->source || !*doc->source || !doc->source_id || !*doc->source_id)
		return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": source and source_id are required",
				    doc->source ? doc->source : "", doc->source_id ? doc->source_id : "");
	dates[0] = doc->issue_date;
	dates[1] = doc->effective_date;
	dates[2] = doc->expiry_date;
	for (i = 0; i < 3; i++)
		if (!memchr(dates[i], '\0', VB_DATE_LEN) || !date_valid(dates[i]))
			return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": invalid %s: not a date (YYYY-MM-DD)",
					    doc->source, doc->source_id, dnames[i]);
	for (i = 0; i < doc->n_files; i++) {
		if (!memchr(doc->files[i].sha256, '\0', sizeof(doc->files[i].sha256)) ||
		    !vb_sha256_hex_valid(doc->files[i].sha256))
			return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": invalid files.sha256: file %zu is not in the file store",
					    doc->source, doc->source_id, i + 1);
		if (!doc->files[i].name || !*doc->files[i].name)
			return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": invalid files.name: file %zu has no name",
					    doc->source, doc->source_id, i + 1);
		if (doc->files[i].size < 0)
			return vb_error_set(err, VB_EINVAL, "could not store document \"%s/%s\": invalid files.size",
					    doc->source, doc->source_id);
	}
	return 0;
}

static const char *date_param(const char *d)
{
	return *d ? d : NULL;
}

#define DOC_VALUES_UPDATE \
	"number = $3, number_canonical = $4, form = $5, issuer = $6, " \
	"issue_date = $7::date, effective_date = $8::date, expiry_date = $9::date, " \
	"abstract = $10, status = $11, category = $12, language = $13, " \
	"fields = ARRAY(SELECT e FROM jsonb_array_elements_text($14::jsonb) WITH ORDINALITY AS t(e, o) ORDER BY o), " \
	"body = $15, content_hash = $16"

#define TS_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static int put_once(vb_store *st, vb_document *doc, const char *const *p,
		    const char *signers_json, const char *files_json,
		    enum vb_put_result *result, int *retry, vb_error *err)
{
	PGresult *res = NULL;
	const char *lp[2];
	char idbuf[32];
	int rc = 0, in_tx = 0;
	int64_t id;

	*retry = 0;
	if ((rc = q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		goto out;
	in_tx = 1;
	res = q(st, "SELECT id, content_hash, version, " TS_UTC("created_at") ", " TS_UTC("updated_at")
		" FROM documents WHERE source = $1 AND source_id = $2 FOR UPDATE", 2, p);
	if (!res_ok(res)) {
		rc = put_error(st, doc, res, err);
		goto out;
	}
	if (PQntuples(res) == 1) {
		id = get_i64(res, 0, 0);
		if (!strcmp(PQgetvalue(res, 0, 1), p[15])) {
			doc->id = id;
			doc->version = (int)get_i64(res, 0, 2);
			copy_fixed(doc->created_at, sizeof(doc->created_at), res, 0, 3);
			copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, 0, 4);
			*result = VB_PUT_UNCHANGED;
			rc = q_cmd(st, "COMMIT", 0, NULL, "commit", err);
			in_tx = 0;
			goto out;
		}
		PQclear(res);
		res = q(st, "UPDATE documents SET " DOC_VALUES_UPDATE ", version = version + 1, updated_at = now()"
			" WHERE source = $1 AND source_id = $2"
			" RETURNING id, version, " TS_UTC("created_at") ", " TS_UTC("updated_at"), 16, p);
		*result = VB_PUT_UPDATED;
	} else {
		PQclear(res);
		res = q(st, "INSERT INTO documents (source, source_id, number, number_canonical, form, issuer,"
			" issue_date, effective_date, expiry_date, abstract, status, category, language,"
			" fields, body, content_hash)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9::date, $10, $11, $12, $13,"
			" ARRAY(SELECT e FROM jsonb_array_elements_text($14::jsonb) WITH ORDINALITY AS t(e, o) ORDER BY o),"
			" $15, $16)"
			" ON CONFLICT ON CONSTRAINT documents_source_key DO NOTHING"
			" RETURNING id, version, " TS_UTC("created_at") ", " TS_UTC("updated_at"), 16, p);
		*result = VB_PUT_INSERTED;
	}
	if (!res_ok(res)) {
		rc = put_error(st, doc, res, err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		/* Inserted concurrently by another session: go round again and
		 * take the update path. */
		*retry = 1;
		goto out;
	}
	doc->id = get_i64(res, 0, 0);
	doc->version = (int)get_i64(res, 0, 1);
	copy_fixed(doc->created_at, sizeof(doc->created_at), res, 0, 2);
	copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, 0, 3);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)doc->id);
	lp[0] = idbuf;
	if (*result == VB_PUT_UPDATED) {
		PQclear(res);
		res = q(st, "DELETE FROM signers WHERE document_id = $1", 1, lp);
		if (!res_ok(res)) {
			rc = put_error(st, doc, res, err);
			goto out;
		}
		PQclear(res);
		res = q(st, "DELETE FROM document_files WHERE document_id = $1", 1, lp);
		if (!res_ok(res)) {
			rc = put_error(st, doc, res, err);
			goto out;
		}
	}
	if (doc->n_signers) {
		lp[1] = signers_json;
		PQclear(res);
		res = q(st, "INSERT INTO signers (document_id, position, name, title)"
			" SELECT $1, t.o, t.e->>'name', t.e->>'title'"
			" FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)", 2, lp);
		if (!res_ok(res)) {
			rc = put_error(st, doc, res, err);
			goto out;
		}
	}
	if (doc->n_files) {
		lp[1] = files_json;
		PQclear(res);
		res = q(st, "INSERT INTO files (sha256, size, media_type)"
			" SELECT DISTINCT ON (e->>'sha256') e->>'sha256', (e->>'size')::bigint, e->>'media_type'"
			" FROM jsonb_array_elements($1::jsonb) AS e"
			" ON CONFLICT (sha256) DO NOTHING", 1, lp + 1);
		if (!res_ok(res)) {
			rc = put_error(st, doc, res, err);
			goto out;
		}
		PQclear(res);
		res = q(st, "INSERT INTO document_files (document_id, position, name, sha256, media_type)"
			" SELECT $1, t.o, t.e->>'name', t.e->>'sha256', t.e->>'media_type'"
			" FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)", 2, lp);
		if (!res_ok(res)) {
			rc = put_error(st, doc, res, err);
			goto out;
		}
	}
	PQclear(res);
	res = q(st, "COMMIT", 0, NULL);
	if (!res_ok(res)) {
		rc = put_error(st, doc, res, err);
		goto out;
	}
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		rollback(st);
	return rc;
}

int vb_store_put_document(vb_store *st, vb_document *doc,
			  enum vb_put_result *result, vb_error *err)
{
	char hash[VB_SHA256_HEX_LEN];
	char *fields = NULL, *signers = NULL, *files = NULL;
	const char *status, *language, *bad = NULL;
	const char *p[16];
	enum vb_put_result r = VB_PUT_UNCHANGED;
	int rc, retry, attempt;

	if ((rc = put_validate(doc, err)))
		return rc;
	status = doc->status && *doc->status ? doc->status : VB_STATUS_UNKNOWN;
	language = doc->language && *doc->language ? doc->language : "vi";
	document_hash(doc, status, language, hash);
	if ((rc = document_lists_json(doc, &fields, &signers, &files, &bad))) {
		if (rc == VB_EINVAL)
			vb_error_set(err, rc, "could not store document \"%s/%s\": invalid %s: not valid UTF-8",
				     doc->source, doc->source_id, bad);
		else
			vb_error_set(err, rc, "out of memory");
		goto out;
	}
	p[0] = doc->source;
	p[1] = doc->source_id;
	p[2] = doc->number;
	p[3] = doc->number_canonical;
	p[4] = doc->form;
	p[5] = doc->issuer;
	p[6] = date_param(doc->issue_date);
	p[7] = date_param(doc->effective_date);
	p[8] = date_param(doc->expiry_date);
	p[9] = doc->abstract;
	p[10] = status;
	p[11] = doc->category;
	p[12] = language;
	p[13] = fields;
	p[14] = doc->text;
	p[15] = hash;
	for (attempt = 0; attempt < 3; attempt++) {
		if ((rc = put_once(st, doc, p, signers, files, &r, &retry, err)) || !retry)
			break;
	}
	if (!rc && retry)
		rc = vb_error_set(err, VB_EAGAIN, "could not store document \"%s/%s\": concurrent update, try again",
				  doc->source, doc->source_id);
	if (!rc) {
		if ((!doc->status || !*doc->status) && vb_strset(&doc->status, status))
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		if ((!doc->language || !*doc->language) && vb_strset(&doc->language, language))
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	if (result)
		*result = r;
out:
	free(fields);
	free(signers);
	free(files);
	return rc;
}

/* ---- reading documents ----------------------------------------------- */

/* The columns doc_from_row reads, in its order; body is the text column. */
#define DOC_SELECT(body) \
	"SELECT d.id, d.source, d.source_id, d.number, d.number_canonical, d.form, d.issuer," \
	" to_char(d.issue_date, 'YYYY-MM-DD'), to_char(d.effective_date, 'YYYY-MM-DD')," \
	" to_char(d.expiry_date, 'YYYY-MM-DD'), d.abstract, d.status, d.category, d.language," \
	" array_to_json(d.fields)::text, " body ", d.version, " \
	TS_UTC("d.created_at") ", " TS_UTC("d.updated_at") "," \
	" (SELECT coalesce(json_agg(json_build_object('name', s.name, 'title', s.title)" \
	"   ORDER BY s.position), '[]')::text FROM signers s WHERE s.document_id = d.id)," \
	" (SELECT coalesce(json_agg(json_build_object('name', f.name, 'sha256', f.sha256," \
	"   'media_type', f.media_type, 'size', fl.size) ORDER BY f.position), '[]')::text" \
	"   FROM document_files f JOIN files fl ON fl.sha256 = f.sha256 WHERE f.document_id = d.id)" \
	" FROM documents d"

static int doc_lists_from_json(vb_document *doc, const char *fields, const char *signers,
			       const char *files)
{
	json_t *a = NULL, *v;
	vb_file *f;
	size_t i;
	int rc = VB_EDB;

	if (!(a = json_loads(fields, 0, NULL)) || !json_is_array(a))
		goto out;
	json_array_foreach(a, i, v)
		if (json_is_string(v) && (rc = vb_document_add_field(doc, json_string_value(v))))
			goto out;
	json_decref(a);
	rc = VB_EDB;
	if (!(a = json_loads(signers, 0, NULL)) || !json_is_array(a))
		goto out;
	json_array_foreach(a, i, v) {
		json_t *t = json_object_get(v, "title");

		if ((rc = vb_document_add_signer(doc, json_string_value(json_object_get(v, "name")),
						 json_is_string(t) ? json_string_value(t) : NULL)))
			goto out;
	}
	json_decref(a);
	rc = VB_EDB;
	if (!(a = json_loads(files, 0, NULL)) || !json_is_array(a))
		goto out;
	json_array_foreach(a, i, v) {
		const char *sha = json_string_value(json_object_get(v, "sha256"));

		if (!(f = vb_document_add_file(doc))) {
			rc = VB_ENOMEM;
			goto out;
		}
		if (vb_strset(&f->name, json_string_value(json_object_get(v, "name"))) ||
		    vb_strset(&f->media_type, json_string_value(json_object_get(v, "media_type")))) {
			rc = VB_ENOMEM;
			goto out;
		}
		snprintf(f->sha256, sizeof(f->sha256), "%s", sha ? sha : "");
		f->size = (int64_t)json_integer_value(json_object_get(v, "size"));
	}
	rc = 0;
out:
	json_decref(a);
	return rc;
}

static int doc_from_row(const PGresult *res, int row, vb_document *doc, vb_error *err)
{
	int rc;

	vb_document_init(doc);
	doc->id = get_i64(res, row, 0);
	doc->source = dup_or_null(res, row, 1);
	doc->source_id = dup_or_null(res, row, 2);
	doc->number = dup_or_null(res, row, 3);
	doc->number_canonical = dup_or_null(res, row, 4);
	doc->form = dup_or_null(res, row, 5);
	doc->issuer = dup_or_null(res, row, 6);
	copy_fixed(doc->issue_date, sizeof(doc->issue_date), res, row, 7);
	copy_fixed(doc->effective_date, sizeof(doc->effective_date), res, row, 8);
	copy_fixed(doc->expiry_date, sizeof(doc->expiry_date), res, row, 9);
	doc->abstract = dup_or_null(res, row, 10);
	doc->status = dup_or_null(res, row, 11);
	doc->category = dup_or_null(res, row, 12);
	doc->language = dup_or_null(res, row, 13);
	doc->text = dup_or_null(res, row, 15);
	doc->version = (int)get_i64(res, row, 16);
	copy_fixed(doc->created_at, sizeof(doc->created_at), res, row, 17);
	copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, row, 18);
	if (!doc->source || !doc->source_id || !doc->status || !doc->language ||
	    (!PQgetisnull(res, row, 15) && !doc->text)) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto fail;
	}
	rc = doc_lists_from_json(doc, PQgetvalue(res, row, 14), PQgetvalue(res, row, 19),
				 PQgetvalue(res, row, 20));
	if (rc) {
		vb_error_set(err, rc, rc == VB_ENOMEM ? "out of memory"
			     : "could not read document %lld: malformed lists", (long long)doc->id);
		goto fail;
	}
	return 0;
fail:
	vb_document_dispose(doc);
	return rc;
}

int vb_store_get_document(vb_store *st, int64_t id, int with_text,
			  vb_document *out, vb_error *err)
{
	char idbuf[32], m[VB_ERROR_MSG_MAX];
	const char *p[2];
	PGresult *res;
	int rc;

	vb_document_init(out);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	p[1] = with_text ? "t" : "f";
	res = q(st, DOC_SELECT("CASE WHEN $2::boolean THEN d.body END") " WHERE d.id = $1::bigint", 2, p);
	if (!res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read document %lld: %s", (long long)id,
				  pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	rc = doc_from_row(res, 0, out, err);
out:
	PQclear(res);
	return rc;
}

/* "{1,2,3}": an array parameter (values are numbers we format). */
static int id_array(vb_buf *b, const int64_t *ids, size_t n)
{
	size_t i;
	int rc = vb_buf_putc(b, '{');

	for (i = 0; !rc && i < n; i++)
		rc = vb_buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	return rc ? rc : vb_buf_putc(b, '}');
}

int vb_store_get_texts(vb_store *st, const int64_t *ids, size_t n,
		       char **texts, vb_error *err)
{
	PGresult *res = NULL;
	char m[VB_ERROR_MSG_MAX];
	const char *p[1];
	vb_buf b;
	size_t i;
	int rc = 0, r;
	int64_t id;

	vb_buf_init(&b, 32 * (size_t)VB_GET_TEXTS_MAX);
	for (i = 0; i < n; i++)
		texts[i] = NULL;
	if (!n)
		goto out;
	if (n > VB_GET_TEXTS_MAX) {
		rc = vb_error_set(err, VB_ETOOBIG, "too many documents at once (%zu, at most %d)",
				  n, VB_GET_TEXTS_MAX);
		goto out;
	}
	if ((rc = id_array(&b, ids, n))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	p[0] = vb_buf_str(&b);
	res = q(st, "SELECT id, body FROM documents WHERE id = ANY($1::bigint[])", 1, p);
	if (!res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read document texts: %s",
				  pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 1))
			continue;
		id = get_i64(res, r, 0);
		for (i = 0; i < n; i++) {
			if (ids[i] != id || texts[i])
				continue;
			if (!(texts[i] = strdup(PQgetvalue(res, r, 1)))) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
out:
	if (rc)
		for (i = 0; i < n; i++) {
			free(texts[i]);
			texts[i] = NULL;
		}
	PQclear(res);
	vb_buf_dispose(&b);
	return rc;
}

static int count_query(vb_store *st, const char *sql, const char *what, int64_t *count,
		       vb_error *err)
{
	PGresult *res = q(st, sql, 0, NULL);
	char m[VB_ERROR_MSG_MAX];
	int rc = 0;

	*count = 0;
	if (!res_ok(res) || PQntuples(res) != 1)
		rc = vb_error_set(err, VB_EDB, "could not count %s: %s", what,
				  pg_message(st->conn, res, m, sizeof(m)));
	else
		*count = get_i64(res, 0, 0);
	PQclear(res);
	return rc;
}

int vb_store_count_documents(vb_store *st, int64_t *count, vb_error *err)
{
	return count_query(st, "SELECT count(*) FROM documents", "documents", count, err);
}

int vb_store_each_document(vb_store *st, vb_document_cb cb, void *ud, vb_error *err)
{
	PGresult *res = NULL;
	char m[VB_ERROR_MSG_MAX];
	vb_document doc;
	int rc = 0, in_tx = 0, r, rows;

	if ((rc = q_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
			"begin transaction", err)))
		goto out;
	in_tx = 1;
	if ((rc = q_cmd(st, "DECLARE vb_each_document NO SCROLL CURSOR FOR "
			DOC_SELECT("d.body") " ORDER BY d.id", 0, NULL, "read documents", err)))
		goto out;
	for (;;) {
		PQclear(res);
		res = q(st, "FETCH " VB_FETCH_BATCH " FROM vb_each_document", 0, NULL);
		if (!res_ok(res)) {
			rc = vb_error_set(err, VB_EDB, "could not read documents: %s",
					  pg_message(st->conn, res, m, sizeof(m)));
			goto out;
		}
		if (!(rows = PQntuples(res)))
			break;
		for (r = 0; r < rows; r++) {
			if ((rc = doc_from_row(res, r, &doc, err)))
				goto out;
			rc = cb(&doc, ud);
			vb_document_dispose(&doc);
			if (rc)
				goto out;
		}
	}
	PQclear(res);
	res = NULL;
	if ((rc = q_cmd(st, "COMMIT", 0, NULL, "commit", err)))
		goto out;
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		rollback(st);
	return rc;
}

/* ---- outbox ---------------------------------------------------------- */

int vb_store_outbox_fetch(vb_store *st, vb_index_job *jobs, size_t max,
			  size_t *n, vb_error *err)
{
	PGresult *res = NULL;
	char lim[32], m[VB_ERROR_MSG_MAX];
	const char *p[1];
	int rc = 0, r;

	*n = 0;
	if (!max)
		return 0;
	if (max > VB_OUTBOX_FETCH_MAX)
		max = VB_OUTBOX_FETCH_MAX;
	snprintf(lim, sizeof(lim), "%zu", max);
	p[0] = lim;
	res = q(st, "SELECT id, document_id FROM index_outbox ORDER BY id LIMIT $1::integer", 1, p);
	if (!res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read index jobs: %s",
				  pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	for (r = 0; r < PQntuples(res) && (size_t)r < max; r++) {
		jobs[r].id = get_i64(res, r, 0);
		jobs[r].document_id = get_i64(res, r, 1);
	}
	*n = (size_t)r;
out:
	PQclear(res);
	return rc;
}

int vb_store_outbox_ack(vb_store *st, const vb_index_job *jobs, size_t n,
			vb_error *err)
{
	const char *p[1];
	int64_t *ids = NULL;
	vb_buf b;
	size_t i;
	int rc = 0;

	vb_buf_init(&b, 32 * (size_t)VB_OUTBOX_FETCH_MAX);
	if (!n)
		goto out;
	if (!(ids = malloc(n * sizeof(*ids)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		ids[i] = jobs[i].id;
	if ((rc = id_array(&b, ids, n))) {
		vb_error_set(err, rc, rc == VB_ETOOBIG ? "too many index jobs at once" : "out of memory");
		goto out;
	}
	p[0] = vb_buf_str(&b);
	rc = q_cmd(st, "DELETE FROM index_outbox WHERE id = ANY($1::bigint[])", 1, p,
		   "remove applied index jobs", err);
out:
	free(ids);
	vb_buf_dispose(&b);
	return rc;
}

int vb_store_outbox_pending(vb_store *st, int64_t *n, vb_error *err)
{
	return count_query(st, "SELECT count(*) FROM index_outbox", "index jobs", n, err);
}

int vb_store_outbox_listen(vb_store *st, vb_error *err)
{
	return listen_now(st, err);
}

/* Drop queued notifications; 1 if there were any. */
static int drain_notifies(vb_store *st)
{
	PGnotify *nt;
	int got = 0;

	while ((nt = PQnotifies(st->conn))) {
		got = 1;
		PQfreemem(nt);
	}
	return got;
}

int vb_store_outbox_wait(vb_store *st, int timeout_ms, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];
	struct pollfd pfd;
	int rc;

	if (!st->listening && (rc = listen_now(st, err)))
		return rc;
	if (!PQconsumeInput(st->conn))
		goto fail;
	if (drain_notifies(st))
		return 0;
	pfd.fd = PQsocket(st->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		goto fail;
	rc = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (rc < 0 && errno != EINTR)
		return vb_error_set(err, VB_EDB, "could not wait for index jobs: %s", strerror(errno));
	if (rc > 0) {
		if (!PQconsumeInput(st->conn))
			goto fail;
		drain_notifies(st);
	}
	return 0;
fail:
	return vb_error_set(err, VB_EDB, "could not wait for index jobs: %s",
			    pg_message(st->conn, NULL, m, sizeof(m)));
}

/* ---- advisory locks -------------------------------------------------- */

static int lock_query(vb_store *st, const char *sql, int *value, const char *what, vb_error *err)
{
	const char *p[1] = { VB_LOCK_INDEX };
	char m[VB_ERROR_MSG_MAX];
	PGresult *res = q(st, sql, 1, p);
	int rc = 0;

	if (!res_ok(res) || PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what,
				  pg_message(st->conn, res, m, sizeof(m)));
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
