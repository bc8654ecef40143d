/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/relation.c: the 18 lược đồ boxes of vbpl.vn
 * (and the two of a consolidated text) map onto relation types with the
 * right direction, in any spelling; labels; record checks.
 */
#include <string.h>

#include "error.h"
#include "relation.h"
#include "tap.h"

static const struct {
	const char *title;
	const char *type; /* NULL: not a relation */
	int inverse;
} boxes[] = {
	{ "Văn bản được HD, QĐ chi tiết", "implements", 0 },
	{ "Văn bản hiện thời", NULL, 0 },
	{ "Văn bản HD, QĐ chi tiết", "implements", 1 },
	{ "Văn bản hết hiệu lực", "repeals", 0 },
	{ "Văn bản căn cứ", "based_on", 0 },
	{ "Văn bản quy định hết hiệu lực", "repeals", 1 },
	{ "Văn bản bị hết hiệu lực 1 phần", "repeals_part", 0 },
	{ "Văn bản dẫn chiếu", "cites", 0 },
	{ "Văn bản quy định hết hiệu lực 1 phần", "repeals_part", 1 },
	{ "Văn bản bị đình chỉ", "suspends", 0 },
	{ "Văn bản liên quan khác", "related", 0 },
	{ "Văn bản đình chỉ", "suspends", 1 },
	{ "Văn bản bị đình chỉ 1 phần", "suspends_part", 0 },
	{ "Văn bản đình chỉ 1 phần", "suspends_part", 1 },
	{ "Văn bản được bổ sung", "supplements", 0 },
	{ "Văn bản bổ sung", "supplements", 1 },
	{ "Văn bản được sửa đổi", "amends", 0 },
	{ "Văn bản sửa đổi", "amends", 1 },
	/* consolidated texts */
	{ "VĂN BẢN ĐƯỢC HỢP NHẤT", "consolidates", 0 },
	{ "VĂN BẢN HỢP NHẤT", "consolidates", 1 },
	/* spellings: count, case, NFD, spaces, "một phần" */
	{ "Văn bản HD, QĐ chi tiết (88)", "implements", 1 },
	{ "  văn bản căn cứ (0) ", "based_on", 0 },
	{ "VA\xcc\x86\xcc\x80N BA\xcc\x89N CA\xcc\x86N CU\xcc\x9b\xcc\x81", "based_on", 0 }, /* NFD */
	{ "Văn bản bị hết hiệu lực một phần", "repeals_part", 0 },
	{ "Văn bản quy định hết hiệu lực  1  phần", "repeals_part", 1 },
	{ "Văn bản", NULL, 0 },
	{ "", NULL, 0 },
	{ "Văn bản được hướng dẫn", NULL, 0 },
};

int main(void)
{
	size_t i;
	int inv;
	vb_error e;
	vb_relation_in r;

	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		const char *t;

		inv = -1;
		t = vb_relation_type_from_luocdo(boxes[i].title, &inv);
		if (!boxes[i].type)
			tap_ok(t == NULL, "box \"%s\" is no relation", boxes[i].title);
		else
			tap_ok(t && !strcmp(t, boxes[i].type) && inv == boxes[i].inverse,
			       "box \"%s\" -> %s inverse %d (got %s %d)", boxes[i].title,
			       boxes[i].type, boxes[i].inverse, t ? t : "NULL", inv);
	}
	tap_ok(vb_relation_type_from_luocdo(NULL, NULL) == NULL, "NULL title");

	/* every listed type is valid and has labels both ways */
	for (i = 0; vb_relation_types[i]; i++)
		tap_ok(vb_relation_type_valid(vb_relation_types[i]) &&
		       strcmp(vb_relation_label(vb_relation_types[i], "vi", 0), vb_relation_types[i]) &&
		       strcmp(vb_relation_label(vb_relation_types[i], "en", 1), vb_relation_types[i]) &&
		       strcmp(vb_relation_label(vb_relation_types[i], "zh", 0), vb_relation_types[i]),
		       "type %s valid and labelled", vb_relation_types[i]);
	tap_is_int((int)i, 14, "14 relation types");
	tap_is_str(vb_relation_label("replaces", "vi", 0), "Thay thế", "label vi");
	tap_is_str(vb_relation_label("replaces", "vi", 1), "Bị thay thế bởi", "inverse label vi");
	tap_is_str(vb_relation_label("amends", "en", 1), "Amended by", "inverse label en");
	tap_is_str(vb_relation_label("amends", "fr", 0), "Sửa đổi", "unknown language -> vi");
	tap_is_str(vb_relation_label("nonsense", "vi", 0), "nonsense", "unknown type as is");
	tap_ok(!vb_relation_type_valid("replaced_by") && !vb_relation_type_valid(NULL), "invalid types");
	tap_ok(vb_relation_origin_valid("vbpl") && vb_relation_origin_valid("staff") &&
	       !vb_relation_origin_valid("tvpl") && !vb_relation_origin_valid(NULL), "origins");

	/* record checks */
	memset(&r, 0, sizeof(r));
	r.type = "replaces";
	r.target_number = "31A/2020/QĐ-UBND";
	r.target_date = "2020-09-04";
	r.origin = "text";
	tap_is_int(vb_relation_check(&r, "text", &e), 0, "valid record");
	tap_is_int(vb_relation_check(&r, NULL, &e), 0, "valid record, origin from record");
	tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_EINVAL, "origin mismatch");
	r.origin = NULL;
	tap_is_int(vb_relation_check(&r, "vbpl", &e), 0, "origin from the call");
	tap_is_int(vb_relation_check(&r, NULL, &e), VB_EINVAL, "no origin at all");
	r.target_date = "2020-02-30";
	tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_EINVAL, "bad date");
	tap_ok(strstr(e.msg, "date") != NULL, "message names the date: %s", e.msg);
	r.target_date = "4/9/2020";
	tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_EINVAL, "non-ISO date");
	r.target_date = NULL;
	r.type = "replaced";
	tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_EINVAL, "bad type");
	tap_ok(strstr(e.msg, "type") != NULL, "message names the type: %s", e.msg);
	r.type = "cites";
	r.target_number = NULL;
	tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_EINVAL, "no target");
	r.target_source = "vbpl";
	r.target_source_id = "96172";
	tap_is_int(vb_relation_check(&r, "vbpl", &e), 0, "target by source id");
	{
		static char big[VB_REL_EVIDENCE_MAX + 2];

		memset(big, 'x', sizeof(big) - 1);
		r.evidence = big;
		tap_is_int(vb_relation_check(&r, "vbpl", &e), VB_ETOOBIG, "evidence too long");
	}
	return tap_done();
}
