/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Computed validity in the PostgreSQL store (part of store.c, contracts in
 * store.h; schema sql/005_relations.sql, sql/013_validity_pass.sql): the
 * validity of one document recomputed inside a transaction from its
 * dates, the relations acting on it and a staff override (lib/validity.h),
 * the staff override itself, and the daily pass.
 *
 * Validity is recomputed whenever what it depends on changes: after
 * vb_store_put_document of a document (store_relations_after_put,
 * inside its transaction), after a relation list changed
 * (vb_store_relations_set), after a staff override.  A status or
 * computed-expiry change bumps the document's version, so the outbox
 * trigger's index job is not skipped by the indexer.  What depends on the
 * day is redone by the daily pass (vb_store_validity_pass) for the
 * documents with a date since its last run.
 */
#include "store.h"
#include "store_int.h"
#include "relation.h"
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

/* ---- a set of document ids --------------------------------------------- */

int store_id_set_add(store_id_set *s, int64_t id)
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
int store_id_set_add_array(store_id_set *s, const char *a)
{
	char *end;
	int rc;

	while (a && *a) {
		if (*a >= '0' && *a <= '9') {
			if ((rc = store_id_set_add(s, (int64_t)strtoll(a, &end, 10))))
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
	" AND to_id IS NOT NULL AND type IN " STORE_ACTING_TYPES \
	" UNION SELECT from_id FROM relations WHERE to_id = d.id AND inverse" \
	" AND type IN " STORE_ACTING_TYPES ") a)"

/* The relations acting on document d, as a JSON array of [type, id,
 * number, date, evidence, origin]. */
#define EVENTS_OF_D \
	"(SELECT coalesce(json_agg(json_build_array(e.type, e.id, e.number, e.date, e.evidence," \
	"  e.origin)), '[]')::text FROM (" \
	" SELECT r.type, f.id, f.number," \
	"  coalesce(" ISO("f.effective_date") ", " ISO("f.issue_date") ") AS date, r.evidence, r.origin" \
	"  FROM relations r JOIN documents f ON f.id = r.from_id" \
	"  WHERE r.to_id = d.id AND NOT r.inverse AND r.type IN " STORE_ACTING_TYPES \
	" UNION ALL" \
	" SELECT r.type, a.id, coalesce(a.number, r.target_number)," \
	"  coalesce(" ISO("a.effective_date") ", " ISO("a.issue_date") ", " ISO("r.target_date") ")," \
	"  r.evidence, r.origin" \
	"  FROM relations r LEFT JOIN documents a ON a.id = r.to_id" \
	"  WHERE r.from_id = d.id AND r.inverse AND r.type IN " STORE_ACTING_TYPES \
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
int store_validity_recompute_tx(vb_store *st, int64_t id, int bump, size_t *changed,
				store_id_set *acted, vb_error *err)
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
	if (acted && (rc = store_id_set_add_array(acted, PQgetvalue(res, 0, 11)))) {
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
int store_validity_recompute_ids(vb_store *st, const store_id_set *s, int64_t skip,
				 size_t *changed, vb_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < s->n; i++) {
		if (s->v[i] == skip)
			continue;
		if ((rc = store_validity_recompute_tx(st, s->v[i], 1, changed, NULL, err)) &&
		    rc != VB_ENOTFOUND)
			return rc;
	}
	return 0;
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
	if ((rc = store_validity_recompute_tx(st, id, 1, NULL, NULL, err)))
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
		if ((rc = store_validity_recompute_tx(st, id, 1, changed, NULL, err))) {
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
	"  AND NOT r.inverse AND r.to_id IS NOT NULL AND r.type IN " STORE_ACTING_TYPES \
	" UNION SELECT r.from_id FROM documents a JOIN relations r ON r.to_id = a.id" \
	"  WHERE " PASS_WINDOW("coalesce(a.effective_date, a.issue_date)") \
	"  AND r.inverse AND r.type IN " STORE_ACTING_TYPES \
	" UNION SELECT from_id FROM relations WHERE " PASS_WINDOW("target_date") \
	"  AND inverse AND type IN " STORE_ACTING_TYPES \
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
		rc = store_validity_recompute_tx(st, ids[i], 1, &out->changed, NULL, err);
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
