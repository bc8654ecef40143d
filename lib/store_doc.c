/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents in the PostgreSQL store (part of store.c, contract in
 * store.h): validating and writing a document with its content hash,
 * reading one back, their texts, their count and every document in turn.
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"
#include "sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#define VB_FETCH_BATCH "200"
#define VB_GET_TEXTS_MAX 10000

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

static json_t *field_json(const vb_document *doc, size_t i)
{
	return json_string(doc->fields[i] ? doc->fields[i] : "");
}

static json_t *signer_json(const vb_document *doc, size_t i)
{
	const vb_signer *s = &doc->signers[i];

	return json_pack("{s:s?, s:s?}", "name", s->name ? s->name : "", "title", s->title);
}

static json_t *file_json(const vb_document *doc, size_t i)
{
	const vb_file *f = &doc->files[i];

	return json_pack("{s:s?, s:s, s:s, s:I}", "name", f->name, "sha256", f->sha256,
			 "media_type", FILE_MEDIA_TYPE(f), "size", (json_int_t)f->size);
}

/* One list as a compact JSON array in *out (malloc'd): element i is
 * elem(doc, i), and one it cannot build (bad UTF-8) is VB_EINVAL. */
static int list_json(const vb_document *doc, size_t n,
		     json_t *(*elem)(const vb_document *, size_t), char **out)
{
	json_t *a;
	size_t i;
	int rc = 0;

	if (!(a = json_array()))
		return VB_ENOMEM;
	for (i = 0; i < n; i++)
		if (json_array_append_new(a, elem(doc, i))) {
			rc = VB_EINVAL;
			goto out;
		}
	if (!(*out = json_dumps(a, JSON_COMPACT)))
		rc = VB_ENOMEM;
out:
	json_decref(a);
	return rc;
}

/* The lists as JSON parameters.  VB_EINVAL names the list with bad UTF-8. */
static int document_lists_json(const vb_document *doc, char **fields, char **signers,
			       char **files, const char **bad)
{
	int rc;

	*fields = *signers = *files = NULL;
	*bad = "fields";
	rc = list_json(doc, doc->n_fields, field_json, fields);
	if (!rc) {
		*bad = "signers";
		rc = list_json(doc, doc->n_signers, signer_json, signers);
	}
	if (!rc) {
		*bad = "files";
		rc = list_json(doc, doc->n_files, file_json, files);
	}
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

	store_pg_message(st->conn, res, m, sizeof(m));
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

/* One statement of put_once: clear *res, run sql into it, and map a
 * failure with put_error. */
static int put_step(vb_store *st, const vb_document *doc, PGresult **res, const char *sql,
		    int n, const char *const *params, vb_error *err)
{
	PQclear(*res);
	*res = store_q(st, sql, n, params);
	return store_res_ok(*res) ? 0 : put_error(st, doc, *res, err);
}

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
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		goto out;
	in_tx = 1;
	res = store_q(st, "SELECT id, content_hash, version, " TS_UTC("created_at") ", " TS_UTC("updated_at")
		      " FROM documents WHERE source = $1 AND source_id = $2 FOR UPDATE", 2, p);
	if (!store_res_ok(res)) {
		rc = put_error(st, doc, res, err);
		goto out;
	}
	if (PQntuples(res) == 1) {
		id = store_get_i64(res, 0, 0);
		if (!strcmp(PQgetvalue(res, 0, 1), p[15])) {
			doc->id = id;
			doc->version = (int)store_get_i64(res, 0, 2);
			store_copy_fixed(doc->created_at, sizeof(doc->created_at), res, 0, 3);
			store_copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, 0, 4);
			*result = VB_PUT_UNCHANGED;
			rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
			in_tx = 0;
			goto out;
		}
		PQclear(res);
		res = store_q(st, "UPDATE documents SET " DOC_VALUES_UPDATE ", version = version + 1, updated_at = now()"
			      " WHERE source = $1 AND source_id = $2"
			      " RETURNING id, version, " TS_UTC("created_at") ", " TS_UTC("updated_at"), 16, p);
		*result = VB_PUT_UPDATED;
	} else {
		PQclear(res);
		res = store_q(st, "INSERT INTO documents (source, source_id, number, number_canonical, form, issuer,"
			      " issue_date, effective_date, expiry_date, abstract, status, category, language,"
			      " fields, body, content_hash)"
			      " VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9::date, $10, $11, $12, $13,"
			      " ARRAY(SELECT e FROM jsonb_array_elements_text($14::jsonb) WITH ORDINALITY AS t(e, o) ORDER BY o),"
			      " $15, $16)"
			      " ON CONFLICT ON CONSTRAINT documents_source_key DO NOTHING"
			      " RETURNING id, version, " TS_UTC("created_at") ", " TS_UTC("updated_at"), 16, p);
		*result = VB_PUT_INSERTED;
	}
	if (!store_res_ok(res)) {
		rc = put_error(st, doc, res, err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		/* Inserted concurrently by another session: go round again and
		 * take the update path. */
		*retry = 1;
		goto out;
	}
	doc->id = store_get_i64(res, 0, 0);
	doc->version = (int)store_get_i64(res, 0, 1);
	store_copy_fixed(doc->created_at, sizeof(doc->created_at), res, 0, 2);
	store_copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, 0, 3);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)doc->id);
	lp[0] = idbuf;
	if (*result == VB_PUT_UPDATED) {
		if ((rc = put_step(st, doc, &res, "DELETE FROM signers WHERE document_id = $1", 1, lp, err)))
			goto out;
		if ((rc = put_step(st, doc, &res, "DELETE FROM document_files WHERE document_id = $1", 1, lp, err)))
			goto out;
	}
	if (doc->n_signers) {
		lp[1] = signers_json;
		if ((rc = put_step(st, doc, &res, "INSERT INTO signers (document_id, position, name, title)"
				   " SELECT $1, t.o, t.e->>'name', t.e->>'title'"
				   " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)", 2, lp, err)))
			goto out;
	}
	if (doc->n_files) {
		lp[1] = files_json;
		if ((rc = put_step(st, doc, &res, "INSERT INTO files (sha256, size, media_type)"
				   " SELECT DISTINCT ON (e->>'sha256') e->>'sha256', (e->>'size')::bigint, e->>'media_type'"
				   " FROM jsonb_array_elements($1::jsonb) AS e"
				   " ON CONFLICT (sha256) DO NOTHING", 1, lp + 1, err)))
			goto out;
		if ((rc = put_step(st, doc, &res, "INSERT INTO document_files (document_id, position, name, sha256, media_type)"
				   " SELECT $1, t.o, t.e->>'name', t.e->>'sha256', t.e->>'media_type'"
				   " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)", 2, lp, err)))
			goto out;
	}
	if ((rc = store_relations_after_put(st, doc, *result == VB_PUT_INSERTED, err)))
		goto out;
	if ((rc = put_step(st, doc, &res, "COMMIT", 0, NULL, err)))
		goto out;
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		store_rollback(st);
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

int store_doc_from_row(const PGresult *res, int row, vb_document *doc, vb_error *err)
{
	int rc;

	vb_document_init(doc);
	doc->id = store_get_i64(res, row, 0);
	doc->source = store_dup_or_null(res, row, 1);
	doc->source_id = store_dup_or_null(res, row, 2);
	doc->number = store_dup_or_null(res, row, 3);
	doc->number_canonical = store_dup_or_null(res, row, 4);
	doc->form = store_dup_or_null(res, row, 5);
	doc->issuer = store_dup_or_null(res, row, 6);
	store_copy_fixed(doc->issue_date, sizeof(doc->issue_date), res, row, 7);
	store_copy_fixed(doc->effective_date, sizeof(doc->effective_date), res, row, 8);
	store_copy_fixed(doc->expiry_date, sizeof(doc->expiry_date), res, row, 9);
	doc->abstract = store_dup_or_null(res, row, 10);
	doc->status = store_dup_or_null(res, row, 11);
	doc->category = store_dup_or_null(res, row, 12);
	doc->language = store_dup_or_null(res, row, 13);
	doc->text = store_dup_or_null(res, row, 15);
	doc->version = (int)store_get_i64(res, row, 16);
	store_copy_fixed(doc->created_at, sizeof(doc->created_at), res, row, 17);
	store_copy_fixed(doc->updated_at, sizeof(doc->updated_at), res, row, 18);
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
	res = store_q(st, DOC_SELECT("CASE WHEN $2::boolean THEN d.body END") " WHERE d.id = $1::bigint", 2, p);
	if (!store_res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read document %lld: %s", (long long)id,
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	rc = store_doc_from_row(res, 0, out, err);
out:
	PQclear(res);
	return rc;
}

/* "{1,2,3}": an array parameter (values are numbers we format). */
int store_id_array(vb_buf *b, const int64_t *ids, size_t n)
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
	if ((rc = store_id_array(&b, ids, n))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	p[0] = vb_buf_str(&b);
	res = store_q_prepared(st, STORE_STMT_TEXTS,
			       "SELECT id, body FROM documents WHERE id = ANY($1::bigint[])", 1, p);
	if (!store_res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read document texts: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	for (r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 1))
			continue;
		id = store_get_i64(res, r, 0);
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

int vb_store_count_documents(vb_store *st, int64_t *count, vb_error *err)
{
	return store_count_query(st, "SELECT count(*) FROM documents", "documents", count, err);
}

int vb_store_each_document(vb_store *st, vb_document_cb cb, void *ud, vb_error *err)
{
	PGresult *res = NULL;
	char m[VB_ERROR_MSG_MAX];
	vb_document doc;
	int rc = 0, in_tx = 0, r, rows;

	if ((rc = store_q_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
			      "begin transaction", err)))
		goto out;
	in_tx = 1;
	if ((rc = store_q_cmd(st, "DECLARE vb_each_document NO SCROLL CURSOR FOR "
			      DOC_SELECT("d.body") " WHERE d.state = 'published' ORDER BY d.id", 0, NULL,
			      "read documents", err)))
		goto out;
	for (;;) {
		PQclear(res);
		res = store_q(st, "FETCH " VB_FETCH_BATCH " FROM vb_each_document", 0, NULL);
		if (!store_res_ok(res)) {
			rc = vb_error_set(err, VB_EDB, "could not read documents: %s",
					  store_pg_message(st->conn, res, m, sizeof(m)));
			goto out;
		}
		if (!(rows = PQntuples(res)))
			break;
		for (r = 0; r < rows; r++) {
			if ((rc = store_doc_from_row(res, r, &doc, err)))
				goto out;
			rc = cb(&doc, ud);
			vb_document_dispose(&doc);
			if (rc)
				goto out;
		}
	}
	PQclear(res);
	res = NULL;
	if ((rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err)))
		goto out;
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		store_rollback(st);
	return rc;
}
