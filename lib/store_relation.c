/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relations and ELI aliases in the PostgreSQL store (part of store.c,
 * contracts in store.h; schema sql/005_relations.sql): setting a
 * document's relations (as an origin said them, or as its text states
 * them), the hook of vb_store_put_document, look-ups by ELI.  Computed
 * validity is store_validity.c, the relations view of a document with its
 * timeline store_timeline.c.
 *
 * A relation row is (from_id, type, target) as one origin said it; with
 * `inverse` set it was said on from_id's page about a document acting on
 * from_id and reads (target, type, from_id).  So document X
 *   acts on:        rows from_id = X and not inverse, rows to_id = X and inverse
 *   is acted on by: rows to_id = X and not inverse, rows from_id = X and inverse
 * A put of a document or a changed relation list recomputes, in the same
 * transaction, the validity of the documents it can change
 * (store_validity.c).
 */
#include "store.h"
#include "store_int.h"
#include "docnum.h"
#include "eli.h"
#include "meta.h"
#include "relation.h"
#include "relation_text.h"
#include "validity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#define ISO(col) "to_char(" col ", 'YYYY-MM-DD')"

static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];

	return vb_error_set(err, VB_EDB, "could not %s: %s", what,
			    store_pg_message(st->conn, res, m, sizeof(m)));
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* ---- the hook of vb_store_put_document --------------------------------- */

int store_relations_after_put(vb_store *st, const vb_document *doc, int inserted, vb_error *err)
{
	PGresult *res = NULL;
	char idbuf[32], eli[VB_ELI_MAX], norm[VB_ELI_MAX], today[11], new_exp[11];
	const char *p[12];
	const char *status = doc->status && *doc->status ? doc->status : VB_STATUS_UNKNOWN;
	store_id_set acted = { 0 };
	vb_validity_in in;
	vb_validity v;
	json_t *j = NULL;
	char *vjson = NULL;
	int rc = 0, has_eli, st_changed = 0;

	memset(&v, 0, sizeof(v));
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)doc->id);
	has_eli = !vb_eli_build(doc->number, doc->form, doc->issuer, doc->issue_date, eli, sizeof(eli)) &&
		  !vb_eli_normalize(eli, norm, sizeof(norm));
	p[0] = idbuf;
	p[1] = vb_status_code(status) ? vb_status_code(status) : VB_STATUS_UNKNOWN;
	p[2] = nz(doc->expiry_date);
	p[3] = has_eli ? eli : NULL;
	p[4] = has_eli ? norm : NULL;
	p[5] = nz(doc->number_canonical);
	p[6] = doc->source;
	p[7] = doc->source_id;
	p[8] = p[9] = p[10] = NULL;
	p[11] = "f";
	if (inserted) {
		/* A new document has no relations of its own and no override yet:
		 * its validity comes from its dates alone, written in the same
		 * statement; only when citations waiting for it get resolved is
		 * it computed again (below). */
		memset(&in, 0, sizeof(in));
		vb_validity_today(today);
		in.today = today;
		in.declared_status = p[1];
		in.source = doc->source;
		in.effective_date = nz(doc->effective_date);
		in.expiry_date = nz(doc->expiry_date);
		if ((rc = vb_validity_compute(&in, &v, err)))
			goto out;
		if (!(j = vb_validity_to_json(&v)) ||
		    !(vjson = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		snprintf(new_exp, sizeof(new_exp), "%s", v.until);
		if (new_exp[0] && doc->effective_date[0] && strcmp(new_exp, doc->effective_date) < 0)
			snprintf(new_exp, sizeof(new_exp), "%s", doc->effective_date);
		st_changed = strcmp(p[1], v.status) || strcmp(doc->expiry_date, new_exp);
		p[8] = vjson;
		p[9] = v.status;
		p[10] = new_exp[0] ? new_exp : NULL;
		p[11] = st_changed ? "t" : "f";
	}
	/* what the source declared, the ELI, the citations waiting for this
	 * document (and, for a new one, its validity), in one statement */
	res = store_q(st, "WITH dv AS (INSERT INTO document_validity (document_id, status_declared,"
		      "  expiry_declared, eli, validity) VALUES ($1::bigint, $2, $3::date, $4, $9::jsonb)"
		      "  ON CONFLICT (document_id) DO UPDATE"
		      "  SET status_declared = $2, expiry_declared = $3::date, eli = $4,"
		      "  validity = coalesce($9::jsonb, document_validity.validity) RETURNING 1),"
		      " ea AS (INSERT INTO eli_aliases (eli, document_id) SELECT $5, $1::bigint"
		      "  WHERE $5::text IS NOT NULL ON CONFLICT DO NOTHING RETURNING 1),"
		      " st AS (UPDATE documents SET status = $10, expiry_date = $11::date"
		      "  WHERE id = $1::bigint AND $12::boolean RETURNING 1),"
		      " rs AS (UPDATE relations r SET to_id = vb_relation_target(r)"
		      "  WHERE r.to_id IS NULL AND r.from_id <> $1::bigint AND ((r.target_key = $6)"
		      "  OR (r.target_source = $7 AND r.target_source_id = $8)) RETURNING 1)"
		      " SELECT (SELECT count(*) FROM rs), (SELECT count(*) FROM dv) + (SELECT count(*) FROM ea)"
		      " + (SELECT count(*) FROM st)",
		      12, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "record the validity inputs of a document", err);
		goto out;
	}
	if (inserted && !strcmp(PQgetvalue(res, 0, 0), "0"))
		goto out; /* nothing acts on it, it acts on nothing */
	if ((rc = store_validity_recompute_tx(st, doc->id, 0, NULL, &acted, err)))
		goto out;
	rc = store_validity_recompute_ids(st, &acted, doc->id, NULL, err);
out:
	free(acted.v);
	free(vjson);
	json_decref(j);
	vb_validity_dispose(&v);
	PQclear(res);
	return rc;
}

/* ---- setting relations -------------------------------------------------- */

/* A number without a digit ("Không số") identifies nothing: no key. */
static char *number_key(const char *number)
{
	if (!number || !strpbrk(number, "0123456789"))
		return NULL;
	return vb_docnum_canonical(number);
}

static json_t *relation_row_json(const vb_relation_in *r)
{
	char *key = number_key(r->target_number);
	json_t *o = json_pack("{s:s, s:b, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
			      "type", r->type, "inverse", r->inverse ? 1 : 0,
			      "number", nz(r->target_number), "key", key,
			      "source", nz(r->target_source), "source_id", nz(r->target_source_id),
			      "title", nz(r->target_title), "date", nz(r->target_date),
			      "issuer", nz(r->target_issuer), "evidence", nz(r->evidence));

	free(key);
	return o;
}

int vb_store_relations_set(vb_store *st, int64_t from_id, const char *origin,
			   const vb_relation_in *rels, size_t n, vb_error *err)
{
	PGresult *res = NULL;
	json_t *arr = NULL;
	char *js = NULL, idbuf[32];
	const char *p[3];
	store_id_set affected = { 0 };
	size_t i;
	int rc = 0, in_tx = 0;
	vb_error e;

	if (!vb_relation_origin_valid(origin))
		return vb_error_set(err, VB_EINVAL, "invalid relation origin \"%.32s\"",
				    origin ? origin : "");
	if (n > VB_REL_MAX)
		return vb_error_set(err, VB_ETOOBIG, "too many relations (%zu, at most %d)", n,
				    VB_REL_MAX);
	if (n && !rels)
		return vb_error_set(err, VB_EINVAL, "invalid relations: missing list");
	if (!(arr = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		json_t *o;

		if ((rc = vb_relation_check(&rels[i], origin, &e))) {
			vb_error_set(err, rc, "relation %zu of document %lld: %s", i + 1,
				     (long long)from_id, e.msg);
			goto out;
		}
		if (!(o = relation_row_json(&rels[i])) || json_array_append_new(arr, o)) {
			rc = vb_error_set(err, VB_EINVAL, "relation %zu of document %lld: not valid UTF-8",
					  i + 1, (long long)from_id);
			goto out;
		}
	}
	if (!(js = json_dumps(arr, JSON_COMPACT))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)from_id);
	p[0] = idbuf;
	p[1] = origin;
	p[2] = js;
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		goto out;
	in_tx = 1;
	/* lock the document and compare with what is stored */
	res = store_q(st, "SELECT (SELECT coalesce(jsonb_agg(jsonb_build_object('type', type,"
		      " 'inverse', inverse, 'number', target_number, 'key', target_key,"
		      " 'source', target_source, 'source_id', target_source_id, 'title', target_title,"
		      " 'date', " ISO("target_date") ", 'issuer', target_issuer, 'evidence', evidence)"
		      " ORDER BY position), '[]'::jsonb)"
		      " FROM relations WHERE from_id = d.id AND origin = $2) = $3::jsonb"
		      " FROM documents d WHERE d.id = $1::bigint FOR UPDATE OF d", 3, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read relations", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)from_id);
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 0), "t")) {
		/* the same list: nothing to do */
		PQclear(res);
		res = NULL;
		rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
		in_tx = 0;
		goto out;
	}
	/* replace the list, resolving the targets on the way; the old and new
	 * targets acted on may change validity, and so may from_id when an
	 * inverse row acts on it */
	PQclear(res);
	res = store_q(st, "WITH old AS (DELETE FROM relations WHERE from_id = $1::bigint AND origin = $2"
		      "  RETURNING to_id, type, inverse),"
		      " ins AS (INSERT INTO relations (from_id, type, origin, position, inverse, target_number,"
		      "  target_key, target_source, target_source_id, target_title, target_date,"
		      "  target_issuer, evidence, to_id)"
		      "  SELECT $1::bigint, e->>'type', $2, o, (e->>'inverse')::boolean, e->>'number',"
		      "  e->>'key', e->>'source', e->>'source_id', e->>'title', (e->>'date')::date,"
		      "  e->>'issuer', e->>'evidence',"
		      "  vb_relation_target_of($1::bigint, e->>'key', e->>'source', e->>'source_id',"
		      "   (e->>'date')::date, e->>'issuer')"
		      "  FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, o)"
		      "  RETURNING to_id, type, inverse),"
		      " acting AS (SELECT to_id, inverse FROM old WHERE type IN " STORE_ACTING_TYPES
		      "  UNION ALL SELECT to_id, inverse FROM ins WHERE type IN " STORE_ACTING_TYPES ")"
		      " SELECT coalesce(array_agg(DISTINCT to_id) FILTER (WHERE NOT inverse"
		      "  AND to_id IS NOT NULL), '{}')::text, coalesce(bool_or(inverse), false)"
		      " FROM acting", 3, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "store relations", err);
		goto out;
	}
	if ((rc = store_id_set_add_array(&affected, PQgetvalue(res, 0, 0))) ||
	    (!strcmp(PQgetvalue(res, 0, 1), "t") && (rc = store_id_set_add(&affected, from_id)))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	if ((rc = store_validity_recompute_ids(st, &affected, 0, NULL, err)))
		goto out;
	PQclear(res);
	res = NULL;
	if ((rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err)))
		goto out;
	in_tx = 0;
out:
	PQclear(res);
	if (in_tx)
		store_rollback(st);
	free(affected.v);
	json_decref(arr);
	free(js);
	return rc;
}

/* ---- relations found in the text ---------------------------------------- */

int vb_store_relations_from_text(vb_store *st, int64_t id, const char *text, vb_error *err)
{
	vb_text_relations tr;
	int rc;

	if (!text || !*text)
		return vb_store_relations_set(st, id, VB_REL_ORIGIN_TEXT, NULL, 0, err);
	if (!(rc = vb_text_relations_extract(text, &tr, err)))
		rc = vb_store_relations_set(st, id, VB_REL_ORIGIN_TEXT, tr.v, tr.n, err);
	vb_text_relations_dispose(&tr);
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

int vb_store_document_ids(vb_store *st, int64_t after, size_t max, int64_t *out, size_t *n,
			  vb_error *err)
{
	PGresult *res;
	char a[32], m[32];
	const char *p[2];
	int i;

	*n = 0;
	if (!max || max > 100000)
		return vb_error_set(err, VB_EINVAL, "invalid number of ids (1 to 100000)");
	snprintf(a, sizeof(a), "%lld", (long long)after);
	snprintf(m, sizeof(m), "%zu", max);
	p[0] = a;
	p[1] = m;
	res = store_q(st, "SELECT id FROM documents WHERE id > $1::bigint ORDER BY id LIMIT $2::int", 2, p);
	if (!store_res_ok(res)) {
		i = db_error(st, res, "list documents", err);
		PQclear(res);
		return i;
	}
	for (i = 0; i < PQntuples(res); i++)
		out[(*n)++] = store_get_i64(res, i, 0);
	PQclear(res);
	return 0;
}

int vb_store_eli_find(vb_store *st, const char *eli, int prefix, size_t max,
		      vb_doc_brief **out, size_t *n, vb_error *err)
{
	PGresult *res = NULL;
	vb_doc_brief *v = NULL;
	char maxbuf[16];
	const char *p[3];
	int rc = 0, rows, i, oom = 0;

	*out = NULL;
	*n = 0;
	if (!eli || strncmp(eli, VB_ELI_PREFIX, strlen(VB_ELI_PREFIX)) || strlen(eli) >= VB_ELI_MAX)
		return vb_error_set(err, VB_EINVAL, "invalid ELI");
	if (!max || max > VB_LOOKUP_MAX)
		return vb_error_set(err, VB_EINVAL, "invalid number of results (1 to %d)", VB_LOOKUP_MAX);
	snprintf(maxbuf, sizeof(maxbuf), "%zu", max);
	p[0] = eli;
	p[1] = prefix ? "t" : "f";
	p[2] = maxbuf;
	res = store_q(st, "SELECT d.id, d.number, d.number_canonical, d.form, d.issuer, d.abstract,"
		      " coalesce(" ISO("d.issue_date") ", ''), d.status, d.language"
		      " FROM documents d WHERE d.id IN (SELECT document_id FROM eli_aliases"
		      "  WHERE eli = $1 OR ($2::boolean AND eli LIKE"
		      "  replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '/%'))"
		      /* workflow: withdrawn documents only when nothing published
		       * has exactly this identifier (they answer 410) */
		      " AND (d.state = 'published' OR (NOT $2::boolean AND NOT EXISTS (SELECT 1"
		      "  FROM eli_aliases a JOIN documents p ON p.id = a.document_id"
		      "  WHERE a.eli = $1 AND p.state = 'published')))"
		      " ORDER BY d.issue_date DESC NULLS LAST, d.id LIMIT $3::int", 3, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "look up ELI", err);
		goto out;
	}
	if (!(rows = PQntuples(res)))
		goto out;
	if (!(v = calloc((size_t)rows, sizeof(*v)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < rows; i++) {
		v[i].id = store_get_i64(res, i, 0);
#define DUP(f, c) do { v[i].f = store_dup_or_null(res, i, c); \
	oom |= !PQgetisnull(res, i, c) && !v[i].f; } while (0)
		DUP(number, 1);
		DUP(number_canonical, 2);
		DUP(form, 3);
		DUP(issuer, 4);
		DUP(abstract, 5);
#undef DUP
		store_copy_fixed(v[i].issue_date, sizeof(v[i].issue_date), res, i, 6);
		store_copy_fixed(v[i].status, sizeof(v[i].status), res, i, 7);
		store_copy_fixed(v[i].language, sizeof(v[i].language), res, i, 8);
	}
	if (oom) {
		vb_doc_briefs_free(v, (size_t)rows);
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	*out = v;
	*n = (size_t)rows;
out:
	PQclear(res);
	return rc;
}
