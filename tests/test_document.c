/* SPDX-License-Identifier: GPL-3.0-or-later
 * Unit tests for lib/document.c: status vocabulary, JSON view. */
#include "document.h"
#include "tap.h"

#include <stdlib.h>

int main(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "Còn hiệu lực", "in_force" },
		{ "Đang hiệu lực", "in_force" },
		{ "Văn bản đang có hiệu lực", "in_force" },
		{ "Hết hiệu lực toàn bộ", "expired" },
		{ "Văn bản hết hiệu lực", "expired" },
		{ "Hết hiệu lực một phần", "partly_expired" },
		{ "Văn bản còn hiệu lực một phần", "partly_expired" },
		{ "Chưa có hiệu lực", "not_yet_in_force" },
		{ "Ngưng hiệu lực", "suspended" },
		{ "in_force", "in_force" },
		{ "nonsense", NULL },
	};
	vb_document doc;
	json_t *j;
	char *dump;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_is_str(vb_status_code(cases[i].in), cases[i].want, "status '%s'", cases[i].in);
	tap_is_str(vb_status_label("expired", "en"), "No longer in force", "english label");
	tap_is_str(vb_status_label("in_force", "vi"), "Còn hiệu lực", "vietnamese label");
	tap_ok(vb_category_valid("normative") && !vb_category_valid("law"), "category codes");

	vb_document_init(&doc);
	doc.id = 7;
	vb_strset(&doc.number, "05/2023/QĐ-UBND");
	vb_strset(&doc.status, "in_force");
	memcpy(doc.issue_date, "2023-02-16", 11);
	vb_document_add_signer(&doc, "Cao Tường Huy", "Q. Chủ tịch");
	vb_document_add_field(&doc, "Công nghệ thông tin");
	j = vb_document_to_json(&doc, 0);
	dump = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	tap_ok(dump && strstr(dump, "\"number\":\"05/2023/QĐ-UBND\"") != NULL, "json has number");
	tap_ok(dump && strstr(dump, "\"issue_date\":\"2023-02-16\"") != NULL, "json has date");
	tap_ok(dump && strstr(dump, "\"effective_date\":null") != NULL, "unknown date is null");
	tap_ok(dump && strstr(dump, "\"title\":\"Q. Chủ tịch\"") != NULL, "json has signer title");
	tap_ok(dump && !strstr(dump, "\"text\""), "text left out when not asked for");
	free(dump);
	json_decref(j);
	vb_document_dispose(&doc);
	tap_ok(doc.number == NULL && doc.n_signers == 0, "dispose resets");
	return tap_done();
}
