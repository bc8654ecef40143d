/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the document JSON and page show besides the document itself, read
 * from the PostgreSQL store (part of store.c, contract in store.h; schema
 * sql/005_relations.sql): its ELI, its computed validity, its relations
 * both ways (one item per relation however many origins said it) and its
 * timeline (issued, effective, what others did to it, expired) in date
 * order.  daemon/page_relations.c renders it; cli/status.c prints it.
 */
#include "store.h"
#include "store_int.h"
#include "relation.h"

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
