/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relation API of the store as the sync uses it (run by
 * tests/relations.sh against a throwaway PostgreSQL in VANBAN_DB):
 * relations from a vbpl.vn lược đồ page seen from the page's document
 * (right-column boxes are inverse: "Văn bản quy định hết hiệu lực" lists
 * the documents that repeal it), resolved by (source, source_id) when the
 * target arrives; all-or-nothing on a bad record; idempotent; ambiguous
 * targets stay unresolved; suspension; ELI look-up.  The daily validity
 * pass (vb_store_validity_pass): the first recomputes every document, a
 * second the same day none; with the last pass moved back in SQL (as if
 * days had passed) only the documents with a date in between, by their
 * own dates and by those of the documents acting on them; a clock gone
 * back, new rules or a request recompute all; a stopped pass records
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "docnum.h"
#include "relation.h"
#include "store.h"
#include "tap.h"
#include "validity.h"

static int64_t put(vb_store *st, const char *source, const char *sid, const char *number,
		   const char *issued, const char *effective, const char *status)
{
	vb_document d;
	vb_error e;
	int64_t id = 0;

	vb_document_init(&d);
	vb_strset(&d.source, source);
	vb_strset(&d.source_id, sid);
	vb_strset(&d.number, number);
	d.number_canonical = vb_docnum_canonical(number);
	vb_strset(&d.form, "Quyết định");
	vb_strset(&d.issuer, "UBND tỉnh Quảng Ninh");
	snprintf(d.issue_date, sizeof(d.issue_date), "%s", issued);
	snprintf(d.effective_date, sizeof(d.effective_date), "%s", effective);
	vb_strset(&d.status, status);
	if (vb_store_put_document(st, &d, NULL, &e))
		printf("# put %s: %s\n", sid, e.msg);
	id = d.id;
	vb_document_dispose(&d);
	return id;
}

static json_t *rels(vb_store *st, int64_t id)
{
	json_t *o = NULL;
	vb_error e;

	if (vb_store_document_relations(st, id, &o, &e))
		printf("# relations %lld: %s\n", (long long)id, e.msg);
	return o;
}

static const char *status_of(vb_store *st, int64_t id, char *buf, size_t n)
{
	vb_document d;

	buf[0] = '\0';
	if (!vb_store_get_document(st, id, 0, &d, NULL)) {
		snprintf(buf, n, "%s %s", d.status, d.expiry_date[0] ? d.expiry_date : "-");
		vb_document_dispose(&d);
	}
	return buf;
}

/* ---- the daily validity pass ---------------------------------------- */

/* Run sql (parameters p[0..n)) on the test's own connection; the first
 * value of the first row into buf ("" when none or on error). */
static const char *sq(PGconn *pg, char *buf, size_t bufsz, const char *sql, int n,
		      const char *const *p)
{
	PGresult *r = PQexecParams(pg, sql, n, NULL, p, NULL, NULL, 0);

	buf[0] = '\0';
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		printf("# %s: %s", sql, PQerrorMessage(pg));
	else if (PQntuples(r) && PQnfields(r))
		snprintf(buf, bufsz, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return buf;
}

/* The day today + days, ISO. */
static void day_add(PGconn *pg, const char *today, int days, char out[11])
{
	char n[16], b[16];
	const char *p[2] = { today, n };

	snprintf(n, sizeof(n), "%d", days);
	snprintf(out, 11, "%s", sq(pg, b, sizeof(b), "SELECT to_char($1::date + $2::int, 'YYYY-MM-DD')", 2, p));
}

/* Set the last pass's day, as if the clock had moved. */
static void pass_day(PGconn *pg, const char *day)
{
	char b[8];
	const char *p[1] = { day };

	sq(pg, b, sizeof(b), "UPDATE validity_pass SET pass_date = $1::date", 1, p);
}

/* Make document id's stored status stale (what a computation on an
 * earlier day would have left), without the store. */
static void stale(PGconn *pg, int64_t id, const char *status)
{
	char i[32], b[8];
	const char *p[2] = { i, status };

	snprintf(i, sizeof(i), "%lld", (long long)id);
	sq(pg, b, sizeof(b), "UPDATE documents SET status = $2, expiry_date = NULL WHERE id = $1::bigint", 2, p);
}

static int pass(vb_store *st, unsigned flags, const volatile int *stop, vb_validity_pass *ps)
{
	vb_error e;
	int rc = vb_store_validity_pass(st, flags, stop, ps, &e);

	if (rc)
		printf("# pass: %s\n", e.msg);
	return rc;
}

static void test_pass(vb_store *st)
{
	PGconn *pg = PQconnectdb(getenv("VANBAN_DB"));
	vb_validity_pass ps;
	vb_relation_in r[1];
	vb_error e;
	char today[11], t1[11], t2[11], t3[11], t5[11], tplus[11], buf[64], ndocs[32];
	int64_t fresh, old, target, actor, repealed;
	volatile int stop = 0;
	size_t n;

	if (PQstatus(pg) != CONNECTION_OK) {
		tap_ok(0, "connect for the pass tests: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return;
	}
	vb_validity_today(today);
	day_add(pg, today, -1, t1);
	day_add(pg, today, -2, t2);
	day_add(pg, today, -3, t3);
	day_add(pg, today, -5, t5);
	day_add(pg, today, 2, tplus);
	fresh = put(st, "p", "fresh", "1/2026/QĐ-UBND", t5, t1, "unknown");
	old = put(st, "p", "old", "2/2020/QĐ-UBND", "2020-05-20", "2020-06-01", "unknown");
	tap_is_str(status_of(st, fresh, buf, sizeof(buf)), "in_force -", "pass: in force since yesterday");
	sq(pg, ndocs, sizeof(ndocs), "SELECT count(*) FROM documents", 0, NULL);
	n = (size_t)strtoul(ndocs, NULL, 10);

	/* (a) no previous pass: every document */
	tap_is_int(pass(st, 0, &stop, &ps), 0, "first pass");
	tap_ok(ps.full && !strcmp(ps.why, "no previous pass") && !ps.last[0] && !strcmp(ps.today, today),
	       "first pass: full, no previous pass (%s)", ps.why);
	tap_ok(n > 5 && ps.selected == n && ps.recomputed == n,
	       "first pass: every document recomputed (%zu of %zu, %s)", ps.recomputed, n, ndocs);
	tap_is_str(sq(pg, buf, sizeof(buf), "SELECT pass_date || ' ' || rules || ' ' || full_pass"
		      " || ' ' || recomputed FROM validity_pass", 0, NULL),
		   (snprintf(ndocs, sizeof(ndocs), "%s %d true %zu", today, VB_VALIDITY_RULES, n), ndocs),
		   "first pass: day, rules and counts recorded");

	/* (b) again the same day: nothing */
	tap_is_int(pass(st, 0, &stop, &ps), 0, "second pass the same day");
	tap_ok(!ps.full && ps.selected == 0 && ps.recomputed == 0 && !strcmp(ps.last, today),
	       "second pass: no document (%s, %zu selected)", ps.why, ps.selected);

	/* (c, d) three days later: the document that came into force in
	 * between, and only it; one without a date in the window keeps even
	 * a wrong status */
	stale(pg, fresh, "not_yet_in_force");
	stale(pg, old, "not_yet_in_force");
	pass_day(pg, t3);
	tap_is_int(pass(st, 0, &stop, &ps), 0, "pass three days later");
	tap_ok(!ps.full && !strcmp(ps.last, t3), "incremental, since %s (%s)", ps.last, ps.why);
	tap_ok(ps.selected == 1 && ps.recomputed == 1 && ps.changed == 1,
	       "one document selected, recomputed and changed (%zu, %zu, %zu)", ps.selected,
	       ps.recomputed, ps.changed);
	tap_is_str(status_of(st, fresh, buf, sizeof(buf)), "in_force -", "it is in force again");
	tap_is_str(status_of(st, old, buf, sizeof(buf)), "not_yet_in_force -",
		   "a document without a date in the window is not touched");
	tap_is_str(sq(pg, buf, sizeof(buf), "SELECT pass_date FROM validity_pass", 0, NULL), today,
		   "today recorded");

	/* a document acting on another: the date of the acting one selects
	 * the one acted on */
	target = put(st, "p", "target", "3/2021/QĐ-UBND", "2021-01-01", "2021-01-01", "in_force");
	actor = put(st, "p", "actor", "4/2026/QĐ-UBND", t5, t1, "in_force");
	memset(r, 0, sizeof(r));
	r[0].type = "repeals";
	r[0].target_number = "3/2021/QĐ-UBND";
	r[0].target_date = "2021-01-01";
	tap_is_int(vb_store_relations_set(st, actor, "staff", r, 1, &e), 0, "a repeal effective yesterday");
	snprintf(ndocs, sizeof(ndocs), "expired %s", t1);
	tap_is_str(status_of(st, target, buf, sizeof(buf)), ndocs, "recomputed at write time");
	stale(pg, target, "in_force");
	pass_day(pg, t3);
	tap_is_int(pass(st, 0, &stop, &ps), 0, "pass with a repeal in the window");
	tap_ok(ps.selected == 3 && ps.recomputed == 3 && ps.changed == 1,
	       "the repealer, the repealed and the new document (%zu, %zu, %zu)", ps.selected,
	       ps.recomputed, ps.changed);
	tap_is_str(status_of(st, target, buf, sizeof(buf)), ndocs, "the repealed one expired");

	/* an inverse relation to a document not in the store: its cited date */
	repealed = put(st, "p", "repealed", "5/2018/QĐ-UBND", "2018-01-01", "2018-01-01", "in_force");
	memset(r, 0, sizeof(r));
	r[0].type = "repeals";
	r[0].inverse = 1;
	r[0].target_number = "99/2026/QĐ-UBND";
	r[0].target_date = t2;
	tap_is_int(vb_store_relations_set(st, repealed, "vbpl", r, 1, &e), 0, "repealed by a document not in the store");
	snprintf(ndocs, sizeof(ndocs), "expired %s", t2);
	tap_is_str(status_of(st, repealed, buf, sizeof(buf)), ndocs, "expired from the cited date");
	stale(pg, repealed, "in_force");
	pass_day(pg, t3);
	tap_is_int(pass(st, 0, &stop, &ps), 0, "pass with a cited date in the window");
	tap_ok(ps.selected == 4 && ps.changed == 1, "four selected, one changed (%zu, %zu)",
	       ps.selected, ps.changed);
	tap_is_str(status_of(st, repealed, buf, sizeof(buf)), ndocs, "expired again");

	/* a clock gone back, new rules, a request: every document */
	pass_day(pg, tplus);
	tap_is_int(pass(st, 0, &stop, &ps), 0, "pass after the clock went back");
	tap_ok(ps.full && ps.recomputed == n + 3 && !strcmp(ps.why, "the clock went back"),
	       "clock back: every document (%zu, %s)", ps.recomputed, ps.why);
	tap_is_str(status_of(st, old, buf, sizeof(buf)), "in_force -", "the full pass repairs the rest");
	tap_is_str(sq(pg, buf, sizeof(buf), "SELECT pass_date FROM validity_pass", 0, NULL), today,
		   "and records today");
	sq(pg, buf, sizeof(buf), "UPDATE validity_pass SET rules = rules + 100", 0, NULL);
	tap_is_int(pass(st, 0, &stop, &ps), 0, "pass with other rules");
	tap_ok(ps.full && ps.recomputed == n + 3 && !strcmp(ps.why, "the validity rules changed"),
	       "rules changed: every document (%zu, %s)", ps.recomputed, ps.why);
	tap_is_int(pass(st, VB_VALIDITY_PASS_FULL, &stop, &ps), 0, "pass asked to be full");
	tap_ok(ps.full && ps.recomputed == n + 3, "asked for: every document (%zu)", ps.recomputed);

	/* stopped: nothing recorded, the next pass does it */
	pass_day(pg, t3);
	stop = 1;
	tap_is_int(pass(st, 0, &stop, &ps), 0, "a stopped pass");
	tap_ok(ps.stopped && ps.selected == 4 && ps.recomputed == 0, "stopped before the first document");
	tap_is_str(sq(pg, buf, sizeof(buf), "SELECT pass_date FROM validity_pass", 0, NULL), t3,
		   "a stopped pass records nothing");
	stop = 0;
	tap_is_int(vb_store_validity_recompute(st, 0, &n, &e), 0, "vanban status --recompute");
	tap_is_str(sq(pg, buf, sizeof(buf), "SELECT pass_date || ' ' || full_pass FROM validity_pass", 0, NULL),
		   (snprintf(ndocs, sizeof(ndocs), "%s true", today), ndocs), "is a recorded full pass");
	PQfinish(pg);
}

int main(void)
{
	vb_store *st = NULL;
	vb_error e;
	json_t *o;
	char buf[64];
	int inv;
	int64_t page, repealer, other1, other2;
	vb_relation_in r[3];
	vb_doc_brief *b = NULL;
	size_t nb = 0;

	if (!getenv("VANBAN_DB")) {
		printf("1..0 # SKIP VANBAN_DB is not set (run tests/relations.sh)\n");
		return 0;
	}
	if (vb_store_open(&st, NULL, &e) || vb_store_migrate(st, "", NULL, &e)) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	page = put(st, "vbpl", "1001", "7/2019/QĐ-UBND", "2019-03-01", "2019-03-15", "in_force");
	tap_ok(page > 0, "the page's document is stored");

	/* lược đồ of document 1001: "Văn bản quy định hết hiệu lực" lists
	 * vbpl 2002, which is not in the store yet */
	memset(r, 0, sizeof(r));
	r[0].type = vb_relation_type_from_luocdo("Văn bản quy định hết hiệu lực (1)", &inv);
	r[0].inverse = inv;
	r[0].target_number = "15/2024/QĐ-UBND";
	r[0].target_source = "vbpl";
	r[0].target_source_id = "2002";
	r[0].target_date = "2024-05-02";
	r[0].evidence = "Văn bản quy định hết hiệu lực";
	r[1].type = vb_relation_type_from_luocdo("Văn bản căn cứ", &inv);
	r[1].inverse = inv;
	r[1].target_number = "Luật 77/2015/QH13";
	r[1].target_title = "Luật Tổ chức chính quyền địa phương";
	r[1].evidence = "Văn bản căn cứ";
	tap_ok(r[0].type && !strcmp(r[0].type, "repeals") && r[0].inverse == 1, "right-column box: inverse");
	tap_is_int(vb_store_relations_set(st, page, "vbpl", r, 2, &e), 0, "set the page's relations");
	tap_is_str(status_of(st, page, buf, sizeof(buf)), "expired 2024-05-02",
		   "repealer not in the store: vbpl says so, expired from its issue date");

	repealer = put(st, "vbpl", "2002", "15/2024/QĐ-UBND", "2024-05-02", "2024-05-20", "in_force");
	tap_is_str(status_of(st, page, buf, sizeof(buf)), "expired 2024-05-20",
		   "the repealer's arrival: from its effective date instead");
	o = rels(st, page);
	{
		json_t *in = json_object_get(json_object_get(o, "relations"), "incoming");
		json_t *out = json_object_get(json_object_get(o, "relations"), "outgoing");
		json_t *i0 = json_array_get(in, 0);

		tap_ok(json_array_size(in) == 1 && !strcmp(json_string_value(json_object_get(i0, "type")), "repeals") &&
		       json_integer_value(json_object_get(json_object_get(i0, "document"), "id")) == repealer,
		       "incoming: repealed by the repealer");
		tap_is_str(json_string_value(json_object_get(json_object_get(i0, "label"), "vi")),
			   "Bị bãi bỏ bởi", "label read from the page's side");
		tap_ok(json_array_size(out) == 1 &&
		       !json_is_true(json_object_get(json_array_get(out, 0), "resolved")),
		       "outgoing: the legal basis, unresolved");
	}
	json_decref(o);
	o = rels(st, repealer);
	{
		json_t *out = json_object_get(json_object_get(o, "relations"), "outgoing");

		tap_ok(json_array_size(out) == 1 &&
		       json_integer_value(json_object_get(json_object_get(json_array_get(out, 0), "document"), "id")) == page,
		       "the repealer's page shows what it repeals");
		tap_is_str(json_string_value(json_object_get(json_object_get(json_array_get(out, 0), "label"), "en")),
			   "Repeals", "label read from the repealer's side");
	}
	json_decref(o);

	/* idempotent: same list, same rows */
	{
		json_t *a = rels(st, page), *c;

		tap_is_int(vb_store_relations_set(st, page, "vbpl", r, 2, &e), 0, "same list again");
		c = rels(st, page);
		tap_ok(json_equal(a, c), "nothing changed");
		json_decref(a);
		json_decref(c);
	}

	/* a bad record: nothing written */
	r[2] = r[1];
	r[2].type = "abolishes";
	tap_is_int(vb_store_relations_set(st, page, "vbpl", r, 3, &e), VB_EINVAL, "a bad type refuses the list");
	tap_ok(strstr(e.msg, "relation 3") && strstr(e.msg, "abolishes"), "the message names it: %s", e.msg);
	tap_is_str(status_of(st, page, buf, sizeof(buf)), "expired 2024-05-20", "and nothing changed");
	tap_is_int(vb_store_relations_set(st, 987654321, "vbpl", r, 1, &e), VB_ENOTFOUND, "no such document");
	tap_is_int(vb_store_relations_set(st, page, "tvpl", r, 1, &e), VB_EINVAL, "unknown origin");

	/* removing the relation restores the source's status */
	tap_is_int(vb_store_relations_set(st, page, "vbpl", r + 1, 1, &e), 0, "drop the repeal");
	tap_is_str(status_of(st, page, buf, sizeof(buf)), "in_force -", "in force again");

	/* ambiguous target: two documents with one number and date */
	other1 = put(st, "a", "x", "3/2020/QĐ-UBND", "2020-01-02", "", "unknown");
	other2 = put(st, "b", "y", "3/2020/QĐ-UBND", "2020-01-02", "", "unknown");
	memset(r, 0, sizeof(r));
	r[0].type = "suspends";
	r[0].target_number = "03/2020/QĐ-UBND";
	r[0].origin = "staff";
	r[0].evidence = "Quyết định đình chỉ";
	tap_is_int(vb_store_relations_set(st, repealer, "staff", r, 1, &e), 0, "staff relation");
	o = rels(st, repealer);
	{
		json_t *out = json_object_get(json_object_get(o, "relations"), "outgoing");
		size_t i, unresolved = 0;
		json_t *it;

		json_array_foreach(out, i, it)
			if (!strcmp(json_string_value(json_object_get(it, "type")), "suspends") &&
			    !json_is_true(json_object_get(it, "resolved")))
				unresolved++;
		tap_is_int((int)unresolved, 1, "an ambiguous target stays unresolved");
	}
	json_decref(o);
	tap_ok(strncmp(status_of(st, other1, buf, sizeof(buf)), "suspended", 9) &&
	       strncmp(status_of(st, other2, buf, sizeof(buf)), "suspended", 9), "neither candidate is suspended");
	r[0].target_date = "2020-01-02";
	r[0].target_source = "b";
	r[0].target_source_id = "y";
	tap_is_int(vb_store_relations_set(st, repealer, "staff", r, 1, &e), 0, "by source id");
	tap_is_str(status_of(st, other2, buf, sizeof(buf)), "suspended -", "the named one is suspended");

	/* "Không số" is no number: a citation by it resolves to nothing */
	put(st, "vbpl", "22313", "Không số", "1992-04-15", "1992-04-18", "expired");
	memset(r, 0, sizeof(r));
	r[0].type = "cites";
	r[0].target_number = "Không số";
	r[0].target_title = "Hiến pháp năm 1946";
	tap_is_int(vb_store_relations_set(st, page, "congbao", r, 1, &e), 0, "a citation without a number");
	o = rels(st, page);
	{
		json_t *out = json_object_get(json_object_get(o, "relations"), "outgoing");
		size_t i, wrong = 0;
		json_t *it;

		json_array_foreach(out, i, it)
			if (!strcmp(json_string_value(json_object_get(it, "type")), "cites") &&
			    json_is_true(json_object_get(it, "resolved")))
				wrong++;
		tap_is_int((int)wrong, 0, "\"Không số\" does not resolve to another constitution");
	}
	json_decref(o);

	/* ELI */
	tap_is_int(vb_store_eli_find(st, "/eli/vn/quang-ninh/ubnd/qd/2020/3", 0, 10, &b, &nb, &e), 0, "eli find");
	tap_is_int((int)nb, 2, "two documents share the ELI");
	vb_doc_briefs_free(b, nb);
	tap_is_int(vb_store_eli_find(st, "/eli/vn/quang-ninh/ubnd/qd/2019", 1, 10, &b, &nb, &e), 0, "eli prefix");
	tap_ok(nb == 1 && b[0].id == page, "the prefix finds 7/2019");
	vb_doc_briefs_free(b, nb);
	tap_is_int(vb_store_eli_find(st, "/eli/vn/quang-ninh/ubnd/qd/20", 1, 10, &b, &nb, &e), 0, "eli prefix at a segment boundary only");
	tap_is_int((int)nb, 0, "\"20\" is no prefix of \"2019\"");
	vb_doc_briefs_free(b, nb);

	test_pass(st);

	vb_store_free(st);
	return tap_done();
}
