/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relation API of the store as the sync uses it (run by
 * tests/relations.sh against a throwaway PostgreSQL in VANBAN_DB):
 * relations from a vbpl.vn lược đồ page seen from the page's document
 * (right-column boxes are inverse: "Văn bản quy định hết hiệu lực" lists
 * the documents that repeal it), resolved by (source, source_id) when the
 * target arrives; all-or-nothing on a bad record; idempotent; ambiguous
 * targets stay unresolved; suspension; ELI look-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "docnum.h"
#include "relation.h"
#include "store.h"
#include "tap.h"

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

	vb_store_free(st);
	return tap_done();
}
