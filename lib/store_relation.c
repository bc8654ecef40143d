/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relations, computed validity and ELI aliases in the PostgreSQL store
 * (part of store.c, contracts in store.h; schema sql/005_relations.sql).
 *
 * A relation row is (from_id, type, target) as one origin said it; with
 * `inverse` set it was said on from_id's page about a document acting on
 * from_id and reads (target, type, from_id).  So document X
 *   acts on:        rows from_id = X and not inverse, rows to_id = X and inverse
 *   is acted on by: rows to_id = X and not inverse, rows from_id = X and inverse
 * Validity (lib/validity.h) is recomputed whenever what it depends on
 * changes: after vb_store_put_document of a document (store_relations_after_put,
 * inside its transaction), after a relation list changed, after a staff
 * override.  A status or computed-expiry change bumps the document's
 * version, so the outbox trigger's index job is not skipped by the indexer.
 * What depends on the day is redone by the daily pass
 * (vb_store_validity_pass) for the documents with a date since its last
 * run.
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

/* Types that change the target's validity. */
#define ACTING_TYPES "('replaces', 'repeals', 'repeals_part', 'suspends', 'suspends_part')"

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

/* ---- a set of document ids --------------------------------------------- */

typedef struct id_set {
	int64_t *v;
	size_t n, cap;
} id_set;

static int ids_add(id_set *s, int64_t id)
{
	size_t i;

	if (id <= 0)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		int64_t *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv)
			return VB_ENOMEM;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = id;
	return 0;
}

/* Add the ids of a PostgreSQL array literal "{1,2,3}". */
static int ids_add_array(id_set *s, const char *a)
{
	char *end;
	int rc;

	while (a && *a) {
		if (*a >= '0' && *a <= '9') {
			if ((rc = ids_add(s, (int64_t)strtoll(a, &end, 10))))
				return rc;
			a = end;
		} else {
			a++;
		}
	}
	return 0;
}

/* ---- validity ---------------------------------------------------------- */

/* The documents whose validity depends on what document d is (its
 * dates): those it acts on.  SQL expression: a bigint[] as text. */
#define ACTED_ON_BY_D \
	"(SELECT coalesce(array_agg(x), '{}')::text FROM (" \
	" SELECT to_id AS x FROM relations WHERE from_id = d.id AND NOT inverse" \
	" AND to_id IS NOT NULL AND type IN " ACTING_TYPES \
	" UNION SELECT from_id FROM relations WHERE to_id = d.id AND inverse" \
	" AND type IN " ACTING_TYPES ") a)"

/* The relations acting on document d, as a JSON array of [type, id,
 * number, date, evidence, origin]. */
#define EVENTS_OF_D \
	"(SELECT coalesce(json_agg(json_build_array(e.type, e.id, e.number, e.date, e.evidence," \
	"  e.origin)), '[]')::text FROM (" \
	" SELECT r.type, f.id, f.number," \
	"  coalesce(" ISO("f.effective_date") ", " ISO("f.issue_date") ") AS date, r.evidence, r.origin" \
	"  FROM relations r JOIN documents f ON f.id = r.from_id" \
	"  WHERE r.to_id = d.id AND NOT r.inverse AND r.type IN " ACTING_TYPES \
	" UNION ALL" \
	" SELECT r.type, a.id, coalesce(a.number, r.target_number)," \
	"  coalesce(" ISO("a.effective_date") ", " ISO("a.issue_date") ", " ISO("r.target_date") ")," \
	"  r.evidence, r.origin" \
	"  FROM relations r LEFT JOIN documents a ON a.id = r.to_id" \
	"  WHERE r.from_id = d.id AND r.inverse AND r.type IN " ACTING_TYPES \
	" LIMIT 500) e)"

static const char *jarr_str(json_t *a, size_t i)
{
	return json_string_value(json_array_get(a, i));
}

/* Recompute the validity of document id inside the caller's transaction:
 * one read, and one write only when something changed.  bump: raise the
 * version when status or expiry changes (0 only for the document a put is
 * writing in this transaction: its new version is not indexed yet).
 * *changed (may be NULL) += 1 when anything changed; acted (may be NULL)
 * gets the documents id acts on. */
static int validity_recompute_tx(vb_store *st, int64_t id, int bump, size_t *changed,
				 id_set *acted, vb_error *err)
{
	PGresult *res = NULL, *up = NULL;
	vb_validity_event *events = NULL;
	vb_validity_in in;
	vb_validity v;
	json_t *j = NULL, *evj = NULL, *old = NULL;
	char idbuf[32], today[11], new_exp[11];
	char *vjson = NULL;
	const char *p[8], *eff, *cur_status, *cur_exp;
	size_t i, nev;
	int rc = 0, st_changed, v_changed;

	memset(&v, 0, sizeof(v));
	memset(&in, 0, sizeof(in));
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT coalesce(v.status_declared, d.status), d.source,"
		      " " ISO("d.effective_date") ","
		      " " ISO("CASE WHEN v.document_id IS NULL THEN d.expiry_date ELSE v.expiry_declared END") ","
		      " o.status, o.reason, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		      " " EVENTS_OF_D ", v.validity::text, d.status, " ISO("d.expiry_date") ","
		      " " ACTED_ON_BY_D
		      " FROM documents d LEFT JOIN status_overrides o ON o.document_id = d.id"
		      " LEFT JOIN document_validity v ON v.document_id = d.id"
		      " WHERE d.id = $1::bigint FOR UPDATE OF d", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read document validity", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	if (acted && (rc = ids_add_array(acted, PQgetvalue(res, 0, 11)))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	if (!(evj = json_loads(PQgetvalue(res, 0, 7), 0, NULL)) || !json_is_array(evj)) {
		rc = vb_error_set(err, VB_EDB, "could not read the relations of document %lld", (long long)id);
		goto out;
	}
	nev = json_array_size(evj);
	if (nev && !(events = calloc(nev, sizeof(*events)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nev; i++) {
		json_t *e = json_array_get(evj, i);

		events[i].type = jarr_str(e, 0);
		events[i].by_id = json_is_integer(json_array_get(e, 1)) ?
			(int64_t)json_integer_value(json_array_get(e, 1)) : 0;
		events[i].by_number = jarr_str(e, 2);
		events[i].by_date = jarr_str(e, 3);
		events[i].evidence = jarr_str(e, 4);
		events[i].origin = jarr_str(e, 5);
	}
	vb_validity_today(today);
	in.today = today;
	in.declared_status = PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0);
	in.source = PQgetvalue(res, 0, 1);
	eff = in.effective_date = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	in.expiry_date = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
	in.events = events;
	in.n_events = nev;
	if (!PQgetisnull(res, 0, 4)) {
		in.override_status = PQgetvalue(res, 0, 4);
		in.override_reason = PQgetvalue(res, 0, 5);
		in.override_at = PQgetvalue(res, 0, 6);
	}
	if ((rc = vb_validity_compute(&in, &v, err)))
		goto out;
	if (!(j = vb_validity_to_json(&v)) || !(vjson = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	/* the computed expiry never goes before the effective date (schema) */
	snprintf(new_exp, sizeof(new_exp), "%s", v.until);
	if (new_exp[0] && eff && strcmp(new_exp, eff) < 0)
		snprintf(new_exp, sizeof(new_exp), "%s", eff);
	cur_status = PQgetvalue(res, 0, 9);
	cur_exp = PQgetisnull(res, 0, 10) ? "" : PQgetvalue(res, 0, 10);
	st_changed = strcmp(cur_status, v.status) || strcmp(cur_exp, new_exp);
	old = PQgetisnull(res, 0, 8) ? NULL : json_loads(PQgetvalue(res, 0, 8), 0, NULL);
	v_changed = !old || !json_equal(old, j);
	if (!st_changed && !v_changed)
		goto out;
	p[1] = v.status;
	p[2] = new_exp[0] ? new_exp : NULL;
	p[3] = vjson;
	p[4] = bump && st_changed ? "1" : "0";
	p[5] = in.declared_status ? in.declared_status : VB_STATUS_UNKNOWN;
	p[6] = in.expiry_date;
	p[7] = st_changed ? "t" : "f";
	/* the validity with its evidence into a table without the outbox
	 * trigger (a data-modifying WITH always runs); status and expiry
	 * where the index and readers see them, only when they change */
	up = store_q(st, "WITH v AS (INSERT INTO document_validity"
		     "  (document_id, status_declared, expiry_declared, validity)"
		     "  VALUES ($1::bigint, $6, $7::date, $4::jsonb) ON CONFLICT (document_id) DO UPDATE"
		     "  SET validity = EXCLUDED.validity)"
		     " UPDATE documents SET status = $2, expiry_date = $3::date,"
		     "  version = version + $5::int, updated_at = now()"
		     " WHERE id = $1::bigint AND $8::boolean", 8, p);
	if (!store_res_ok(up)) {
		rc = db_error(st, up, "store document validity", err);
		goto out;
	}
	if (changed)
		(*changed)++;
out:
	PQclear(up);
	PQclear(res);
	free(events);
	free(vjson);
	json_decref(old);
	json_decref(evj);
	json_decref(j);
	vb_validity_dispose(&v);
	return rc;
}

/* Recompute every document of s (except skip). */
static int recompute_ids(vb_store *st, const id_set *s, int64_t skip, size_t *changed,
			 vb_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < s->n; i++) {
		if (s->v[i] == skip)
			continue;
		if ((rc = validity_recompute_tx(st, s->v[i], 1, changed, NULL, err)) &&
		    rc != VB_ENOTFOUND)
			return rc;
	}
	return 0;
}

/* ---- the hook of vb_store_put_document --------------------------------- */

int store_relations_after_put(vb_store *st, const vb_document *doc, int inserted, vb_error *err)
{
	PGresult *res = NULL;
	char idbuf[32], eli[VB_ELI_MAX], norm[VB_ELI_MAX], today[11], new_exp[11];
	const char *p[12];
	const char *status = doc->status && *doc->status ? doc->status : VB_STATUS_UNKNOWN;
	id_set acted = { 0 };
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
	if ((rc = validity_recompute_tx(st, doc->id, 0, NULL, &acted, err)))
		goto out;
	rc = recompute_ids(st, &acted, doc->id, NULL, err);
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
	id_set affected = { 0 };
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
		      " acting AS (SELECT to_id, inverse FROM old WHERE type IN " ACTING_TYPES
		      "  UNION ALL SELECT to_id, inverse FROM ins WHERE type IN " ACTING_TYPES ")"
		      " SELECT coalesce(array_agg(DISTINCT to_id) FILTER (WHERE NOT inverse"
		      "  AND to_id IS NOT NULL), '{}')::text, coalesce(bool_or(inverse), false)"
		      " FROM acting", 3, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "store relations", err);
		goto out;
	}
	if ((rc = ids_add_array(&affected, PQgetvalue(res, 0, 0))) ||
	    (!strcmp(PQgetvalue(res, 0, 1), "t") && (rc = ids_add(&affected, from_id)))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	if ((rc = recompute_ids(st, &affected, 0, NULL, err)))
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

/* ---- overrides and recomputation ---------------------------------------- */

int vb_store_status_override(vb_store *st, int64_t id, const char *status,
			     const char *reason, vb_error *err)
{
	PGresult *res = NULL;
	char idbuf[32];
	const char *p[3];
	int rc = 0, in_tx = 0;

	if (status && (!vb_status_code(status) || strcmp(vb_status_code(status), status)))
		return vb_error_set(err, VB_EINVAL, "invalid status \"%.32s\": use in_force, expired, partly_expired, not_yet_in_force, suspended or unknown",
				    status);
	if (status && (!reason || !*reason))
		return vb_error_set(err, VB_EINVAL, "a status override needs a reason");
	if (reason && strlen(reason) > VB_REL_EVIDENCE_MAX)
		return vb_error_set(err, VB_ETOOBIG, "reason is too long (at most %d bytes)",
				    VB_REL_EVIDENCE_MAX);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	p[1] = status;
	p[2] = reason;
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		return rc;
	in_tx = 1;
	res = store_q(st, "SELECT 1 FROM documents WHERE id = $1::bigint FOR UPDATE", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "lock document", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	PQclear(res);
	if (status)
		res = store_q(st, "INSERT INTO status_overrides (document_id, status, reason)"
			      " VALUES ($1::bigint, $2, $3) ON CONFLICT (document_id) DO UPDATE"
			      " SET status = $2, reason = $3, created_at = now()", 3, p);
	else
		res = store_q(st, "DELETE FROM status_overrides WHERE document_id = $1::bigint", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "store status override", err);
		goto out;
	}
	if ((rc = validity_recompute_tx(st, id, 1, NULL, NULL, err)))
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
	return rc;
}

int vb_store_validity_recompute(vb_store *st, int64_t id, size_t *changed, vb_error *err)
{
	vb_validity_pass pass;
	int rc;

	if (changed)
		*changed = 0;
	if (id > 0) {
		if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
			return rc;
		if ((rc = validity_recompute_tx(st, id, 1, changed, NULL, err))) {
			store_rollback(st);
			return rc;
		}
		return store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
	}
	rc = vb_store_validity_pass(st, VB_VALIDITY_PASS_FULL, NULL, &pass, err);
	if (changed)
		*changed = pass.changed;
	return rc;
}

/* ---- the daily pass ----------------------------------------------------- */

/* The documents whose validity may differ between day $1 and day $2:
 * those with a date in ($1, $2] among the dates lib/validity.c compares
 * with today (each comparison flips on the date itself): own effective
 * date, computed expiry (documents) and
 * declared expiry (document_validity); the date of a document acting on
 * them as EVENTS_OF_D reads it (effective, else issue date; for an
 * inverse row also the cited date; the last branch is a superset, it
 * takes any cited date).  One branch per index of 013_validity_pass.sql. */
#define PASS_WINDOW(col) col " > $1::date AND " col " <= $2::date"
#define PASS_SELECT \
	"SELECT id FROM documents WHERE " PASS_WINDOW("effective_date") \
	" UNION SELECT id FROM documents WHERE " PASS_WINDOW("expiry_date") \
	" UNION SELECT document_id FROM document_validity WHERE " PASS_WINDOW("expiry_declared") \
	" UNION SELECT r.to_id FROM documents f JOIN relations r ON r.from_id = f.id" \
	"  WHERE " PASS_WINDOW("coalesce(f.effective_date, f.issue_date)") \
	"  AND NOT r.inverse AND r.to_id IS NOT NULL AND r.type IN " ACTING_TYPES \
	" UNION SELECT r.from_id FROM documents a JOIN relations r ON r.to_id = a.id" \
	"  WHERE " PASS_WINDOW("coalesce(a.effective_date, a.issue_date)") \
	"  AND r.inverse AND r.type IN " ACTING_TYPES \
	" UNION SELECT from_id FROM relations WHERE " PASS_WINDOW("target_date") \
	"  AND inverse AND type IN " ACTING_TYPES \
	" ORDER BY 1"

#define PASS_PAGE 1000 /* ids per read of a full pass */

/* Recompute the documents of res (ids in column 0), one transaction each:
 * a pass never holds the lock of one document while it waits for
 * another's, so it cannot deadlock with a write (which locks a document,
 * then those it acts on). */
static int pass_recompute(vb_store *st, const int64_t *ids, size_t n, const volatile int *stop,
			  vb_validity_pass *out, vb_error *err)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (stop && *stop) {
			out->stopped = 1;
			return 0;
		}
		if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
			return rc;
		rc = validity_recompute_tx(st, ids[i], 1, &out->changed, NULL, err);
		if (rc == VB_ENOTFOUND) { /* gone meanwhile */
			store_rollback(st);
			continue;
		}
		if (rc) {
			store_rollback(st);
			return rc;
		}
		if ((rc = store_q_cmd(st, "COMMIT", 0, NULL, "commit", err)))
			return rc;
		out->recomputed++;
	}
	return 0;
}

int vb_store_validity_pass(vb_store *st, unsigned flags, const volatile int *stop,
			   vb_validity_pass *out, vb_error *err)
{
	PGresult *res = NULL;
	char rules[16], rec[32], chg[32];
	const char *p[6];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	vb_validity_today(out->today);
	snprintf(rules, sizeof(rules), "%d", VB_VALIDITY_RULES);
	res = store_q(st, "SELECT to_char(pass_date, 'YYYY-MM-DD'), rules FROM validity_pass", 0, NULL);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read the last validity pass", err);
		goto out;
	}
	if (PQntuples(res) == 1)
		store_copy_fixed(out->last, sizeof(out->last), res, 0, 0);
	out->full = 1;
	if (flags & VB_VALIDITY_PASS_FULL)
		out->why = "asked for";
	else if (!out->last[0])
		out->why = "no previous pass";
	else if (strcmp(PQgetvalue(res, 0, 1), rules))
		out->why = "the validity rules changed";
	else if (strcmp(out->last, out->today) > 0)
		out->why = "the clock went back";
	else {
		out->full = 0;
		out->why = strcmp(out->last, out->today) ? "documents with a date since the last pass"
			: "already done today";
	}
	if (!strcmp(out->last, out->today) && !out->full)
		goto out; /* nothing can have changed */
	PQclear(res);
	res = NULL;

	if (!out->full) {
		p[0] = out->last;
		p[1] = out->today;
		res = store_q(st, PASS_SELECT, 2, p);
		if (!store_res_ok(res)) {
			rc = db_error(st, res, "select the documents of the validity pass", err);
			goto out;
		}
		int64_t *ids;

		out->selected = (size_t)PQntuples(res);
		if (!(ids = malloc((out->selected ? out->selected : 1) * sizeof(*ids)))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < out->selected; i++)
			ids[i] = store_get_i64(res, (int)i, 0);
		rc = pass_recompute(st, ids, out->selected, stop, out, err);
		free(ids);
		if (rc)
			goto out;
	} else {
		int64_t ids[PASS_PAGE], last = 0;
		size_t n;

		/* every document, a page of ids at a time */
		do {
			if ((rc = vb_store_document_ids(st, last, PASS_PAGE, ids, &n, err)))
				goto out;
			out->selected += n;
			if ((rc = pass_recompute(st, ids, n, stop, out, err)))
				goto out;
			if (n)
				last = ids[n - 1];
		} while (n == PASS_PAGE && !out->stopped);
	}
	if (out->stopped)
		goto out;
	/* the day computed for at the start: a pass going past midnight has
	 * computed some documents for the next day, which the next pass
	 * looks at again */
	snprintf(rec, sizeof(rec), "%zu", out->recomputed);
	snprintf(chg, sizeof(chg), "%zu", out->changed);
	p[0] = out->today;
	p[1] = rules;
	p[2] = out->full ? "t" : "f";
	p[3] = rec;
	p[4] = chg;
	PQclear(res);
	res = store_q(st, "INSERT INTO validity_pass (one, pass_date, rules, full_pass, recomputed, changed)"
		      " VALUES (true, $1::date, $2::int, $3::boolean, $4::bigint, $5::bigint)"
		      " ON CONFLICT (one) DO UPDATE SET pass_date = EXCLUDED.pass_date,"
		      " rules = EXCLUDED.rules, full_pass = EXCLUDED.full_pass,"
		      " recomputed = EXCLUDED.recomputed, changed = EXCLUDED.changed, finished_at = now()",
		      5, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "record the validity pass", err);
out:
	PQclear(res);
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

static json_t *str_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? json_null() : json_string(PQgetvalue(res, row, col));
}

/* Timeline events from the relations: which dates to show. */
static int timeline_add(json_t *tl, const char *date, const char *event, json_t *doc_id,
			const char *number)
{
	json_t *o;

	if (!date || !*date) {
		json_decref(doc_id);
		return 0;
	}
	o = json_pack("{s:s, s:s, s:o, s:s?}", "date", date, "event", event,
		      "document", doc_id ? doc_id : json_null(), "number", number);
	return !o || json_array_append_new(tl, o) ? VB_ENOMEM : 0;
}

static int timeline_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	return strcmp(json_string_value(json_object_get(x, "date")),
		      json_string_value(json_object_get(y, "date")));
}

static int timeline_sort(json_t *tl)
{
	size_t n = json_array_size(tl), i;
	json_t **v;

	if (n < 2)
		return 0;
	if (!(v = calloc(n, sizeof(*v))))
		return VB_ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(tl, i));
	qsort(v, n, sizeof(*v), timeline_cmp);
	json_array_clear(tl);
	for (i = 0; i < n; i++)
		json_array_append_new(tl, v[i]);
	free(v);
	return 0;
}

int vb_store_document_relations(vb_store *st, int64_t id, json_t **out, vb_error *err)
{
	PGresult *res = NULL, *rr = NULL;
	json_t *o = NULL, *outgoing, *incoming, *tl, *seen = NULL;
	char idbuf[32];
	const char *p[1];
	int rc = 0, i;

	*out = NULL;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	p[0] = idbuf;
	res = store_q(st, "SELECT v.eli, v.validity::text, " ISO("d.issue_date") ", " ISO("d.effective_date") ","
		      " " ISO("d.expiry_date") " FROM documents d"
		      " LEFT JOIN document_validity v ON v.document_id = d.id WHERE d.id = $1::bigint", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "read document", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "document %lld does not exist", (long long)id);
		goto out;
	}
	rr = store_q(st, "SELECT r.type, r.origin, r.evidence,"
		     " (r.from_id = $1::bigint) <> r.inverse AS acts,"
		     " x.id, x.number, x.form, x.issuer, x.abstract, " ISO("x.issue_date") ","
		     " " ISO("x.effective_date") ", x.status, (SELECT eli FROM document_validity"
		     "  WHERE document_id = x.id),"
		     " CASE WHEN r.from_id = $1::bigint THEN r.target_number END,"
		     " CASE WHEN r.from_id = $1::bigint THEN r.target_title END,"
		     " CASE WHEN r.from_id = $1::bigint THEN " ISO("r.target_date") " END,"
		     " CASE WHEN r.from_id = $1::bigint THEN r.target_issuer END,"
		     " coalesce(x.number_canonical, r.target_key, r.target_title)"
		     " FROM relations r LEFT JOIN documents x"
		     "  ON x.id = CASE WHEN r.from_id = $1::bigint THEN r.to_id ELSE r.from_id END"
		     " WHERE (r.from_id = $1::bigint OR r.to_id = $1::bigint)"
		     " AND (x.id IS NULL OR x.state = 'published')" /* workflow: withdrawn ones leave */
		     " ORDER BY CASE r.origin WHEN 'staff' THEN 0 WHEN 'vbpl' THEN 1 WHEN 'congbao' THEN 2"
		     "  ELSE 3 END, r.from_id, r.position LIMIT 4000", 1, p);
	if (!store_res_ok(rr)) {
		rc = db_error(st, rr, "read relations", err);
		goto out;
	}
	if (!(o = json_object()) || !(outgoing = json_array()) || !(incoming = json_array()) ||
	    !(tl = json_array()) || !(seen = json_object()) ||
	    json_object_set_new(o, "relations", json_pack("{s:o, s:o}", "outgoing", outgoing,
							   "incoming", incoming)) ||
	    json_object_set_new(o, "timeline", tl))
		goto nomem;
	json_object_set_new(o, "eli", str_or_null(res, 0, 0));
	json_object_set_new(o, "validity", PQgetisnull(res, 0, 1) ? json_null()
			    : json_loads(PQgetvalue(res, 0, 1), 0, NULL));
	if (!PQgetisnull(res, 0, 2) &&
	    timeline_add(tl, PQgetvalue(res, 0, 2), "issued", NULL, NULL))
		goto nomem;
	if (!PQgetisnull(res, 0, 3) &&
	    timeline_add(tl, PQgetvalue(res, 0, 3), "effective", NULL, NULL))
		goto nomem;
	for (i = 0; i < PQntuples(rr); i++) {
		const char *type = PQgetvalue(rr, i, 0);
		int acts = !strcmp(PQgetvalue(rr, i, 3), "t");
		json_t *item, *doc = json_null(), *prev;
		char key[600];

		snprintf(key, sizeof(key), "%d|%s|%s", acts, type,
			 !PQgetisnull(rr, i, 4) ? PQgetvalue(rr, i, 4) : PQgetvalue(rr, i, 17));
		if ((prev = json_object_get(seen, key))) {
			/* said by several origins: one item, every origin */
			json_array_append_new(json_object_get(prev, "origins"),
					      json_string(PQgetvalue(rr, i, 1)));
			continue;
		}
		if (!PQgetisnull(rr, i, 4)) {
			doc = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
					"id", (json_int_t)store_get_i64(rr, i, 4),
					"number", str_or_null(rr, i, 5), "form", str_or_null(rr, i, 6),
					"issuer", str_or_null(rr, i, 7), "abstract", str_or_null(rr, i, 8),
					"issue_date", str_or_null(rr, i, 9),
					"effective_date", str_or_null(rr, i, 10),
					"status", str_or_null(rr, i, 11), "eli", str_or_null(rr, i, 12));
			if (!doc)
				goto nomem;
		}
		item = json_pack("{s:s, s:{s:s, s:s, s:s}, s:s, s:[s], s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
				 "type", type, "label", "vi", vb_relation_label(type, "vi", !acts),
				 "en", vb_relation_label(type, "en", !acts),
				 "zh", vb_relation_label(type, "zh", !acts),
				 "origin", PQgetvalue(rr, i, 1), "origins", PQgetvalue(rr, i, 1),
				 "evidence", str_or_null(rr, i, 2),
				 "resolved", !PQgetisnull(rr, i, 4), "document", doc,
				 "number", str_or_null(rr, i, 13), "title", str_or_null(rr, i, 14),
				 "date", str_or_null(rr, i, 15), "issuer", str_or_null(rr, i, 16));
		if (!item || json_array_append_new(acts ? outgoing : incoming, item) ||
		    json_object_set(seen, key, item))
			goto nomem;
		/* the timeline shows what others did to this document */
		if (!acts && (!strcmp(type, VB_REL_AMENDS) || !strcmp(type, VB_REL_SUPPLEMENTS) ||
			      !strcmp(type, VB_REL_REPLACES) || !strcmp(type, VB_REL_REPEALS) ||
			      !strcmp(type, VB_REL_REPEALS_PART) || !strcmp(type, VB_REL_SUSPENDS) ||
			      !strcmp(type, VB_REL_SUSPENDS_PART) || !strcmp(type, VB_REL_CORRECTS))) {
			const char *d = !PQgetisnull(rr, i, 10) ? PQgetvalue(rr, i, 10)
				: !PQgetisnull(rr, i, 9) ? PQgetvalue(rr, i, 9)
				: !PQgetisnull(rr, i, 15) ? PQgetvalue(rr, i, 15) : NULL;
			const char *num = !PQgetisnull(rr, i, 5) ? PQgetvalue(rr, i, 5)
				: !PQgetisnull(rr, i, 13) ? PQgetvalue(rr, i, 13) : NULL;

			if (timeline_add(tl, d, type, PQgetisnull(rr, i, 4) ? NULL
					 : json_integer(store_get_i64(rr, i, 4)), num))
				goto nomem;
		}
	}
	if (!PQgetisnull(res, 0, 4) &&
	    timeline_add(tl, PQgetvalue(res, 0, 4), "expired", NULL, NULL))
		goto nomem;
	if (timeline_sort(tl))
		goto nomem;
	*out = o;
	o = NULL;
	goto out;
nomem:
	rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	json_decref(seen);
	json_decref(o);
	PQclear(rr);
	PQclear(res);
	return rc;
}
