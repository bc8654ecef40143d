/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the provincial gazette parsers (lib/congbao.c) on the real
 * saved Sơn La pages (congbao_sonla/html_samples) and every crawler record
 * of congbao_sonla/records.jsonl, with asserted values; a page with its
 * layout changed is a clear error.
 */
#include "congbao.h"
#include "tap.h"
#include "testutil.h"
#include "upstream.h"

#include <stdlib.h>
#include <string.h>

static char *page(const char *name, size_t *len)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/congbao_sonla/%s", tu_corpus(), name);
	return (char *)tu_slurp(p, len);
}

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void replace_all(char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *p;

	while ((p = strstr(s, from)))
		memcpy(p, to, n);
}

static void issues(void)
{
	size_t len;
	char *h = page("html_samples/gazettes_by_year_2026.html", &len);
	json_t *r = NULL, *it;
	vb_error err;
	size_t i, dated = 0;

	tap_ok(h != NULL, "read gazettes_by_year_2026.html");
	tap_is_int(vb_congbao_parse_issues(h, len, &r, &err), 0, "parse the issues of 2026");
	tap_is_int(json_array_size(json_object_get(r, "issues")), 37, "37 issues in 2026");
	it = json_array_get(json_object_get(r, "issues"), 0);
	tap_is_str(sget(it, "label"), "Số 47 Ngày 25/7/2026", "newest issue label");
	tap_is_str(sget(it, "numbers"), "47", "issue number");
	tap_is_str(sget(it, "date"), "2026-07-25", "issue date");
	tap_is_str(sget(it, "unid"), "9dfcfd66b883637547258e3e0036f709", "issue document id");
	it = json_array_get(json_object_get(r, "issues"), 2);
	tap_is_str(sget(it, "numbers"), "44 + 45", "a double issue");
	tap_is_str(sget(it, "date"), "2026-07-10", "its date");
	json_array_foreach(json_object_get(r, "issues"), i, it)
		dated += sget(it, "date") && json_integer_value(json_object_get(it, "year")) == 2026;
	tap_is_int(dated, json_array_size(json_object_get(r, "issues")), "every issue dated in 2026");
	json_decref(r);
	replace_all(h, "OpenDocument", "OpenDocumenX");
	tap_ok(vb_congbao_parse_issues(h, strlen(h), &r, &err) == VB_EINVAL &&
		       strstr(err.msg, "no issue links"),
	       "changed layout: clear error");
	free(h);
}

static void documents(void)
{
	size_t len, i, normative = 0;
	char *h = page("html_samples/documents_by_gazette_sample.html", &len);
	json_t *r = NULL, *d, *a;
	vb_error err;

	tap_is_int(vb_congbao_parse_issue_documents(h, len, "https://congbao.sonla.gov.vn/x", &r, &err), 0,
		   "parse the documents of an issue");
	tap_is_int(json_array_size(json_object_get(r, "documents")), 11, "11 documents in the issue");
	d = json_array_get(json_object_get(r, "documents"), 0);
	tap_is_str(vb_upstream_get(d, "number"), "37/2026/QĐ-UBND", "number without \"số\"");
	tap_is_str(vb_upstream_get(d, "form"), "Quyết định", "short form");
	tap_is_str(vb_upstream_get(d, "form_label"), "Quyết định của UBND tỉnh", "form as written");
	tap_is_str(vb_upstream_get(d, "issue_date"), "2026-07-13", "issue date");
	tap_is_str(vb_upstream_get(d, "issuer"), "UBND Tỉnh", "issuer from the heading");
	tap_ok(vb_upstream_get(d, "abstract") &&
		       !strncmp(vb_upstream_get(d, "abstract"), "bãi bỏ Quyết định số 90/2025/QĐ-UBND", 40),
	       "abstract: %s", vb_upstream_get(d, "abstract"));
	tap_is_str(sget(d, "unid"), "2979FBD220E3084E47258E33002A7EF2", "ParentUNID");
	tap_is_str(sget(d, "part"), "normative", "in the normative part");
	tap_is_int(json_integer_value(json_object_get(d, "page")), 4, "page 4");
	a = json_array_get(json_object_get(d, "attachments"), 0);
	tap_is_str(sget(a, "name"), "QD so 37.2026.doc", "attachment name");
	tap_is_str(sget(a, "path"), "2979FBD220E3084E47258E33002A7EF2/$file/QD so 37.2026.doc",
		   "attachment path");
	tap_is_str(sget(json_object_get(json_object_get(d, "fields"), "number"), "url"),
		   "https://congbao.sonla.gov.vn/x", "provenance url");
	json_array_foreach(json_object_get(r, "documents"), i, d)
		normative += !strcmp(sget(d, "part"), "normative");
	tap_is_int(normative, 3, "3 normative documents, the rest in \"Phần văn bản khác\"");
	d = json_array_get(json_object_get(r, "documents"), 3);
	tap_is_str(vb_upstream_get(d, "number"), "1725/QĐ-UBND", "first other document");
	tap_is_str(sget(d, "part"), "other", "in the other part");
	json_decref(r);
	replace_all(h, "ParentUNID", "ParentUNIX");
	replace_all(h, "level1-heading", "levelX-heading");
	replace_all(h, "level2-heading", "levelY-heading");
	tap_ok(vb_congbao_parse_issue_documents(h, strlen(h), NULL, &r, &err) == VB_EINVAL,
	       "changed layout: clear error (%s)", err.msg);
	free(h);

	h = page("html_samples/gazette_file_raw.html", &len);
	tap_is_int(vb_congbao_parse_gazette_file(h, len, &r, &err), 0, "parse the gazette file");
	tap_is_str(sget(r, "name"), "4725072026_signed.pdf", "signed gazette PDF");
	tap_is_str(sget(r, "path"), "str/9DFCFD66B883637547258E3E0036F709/$file/4725072026_signed.pdf",
		   "its path");
	json_decref(r);
	free(h);
}

static void records(void)
{
	size_t len, n = 0, bad = 0, in_force = 0, not_yet = 0, signed_ = 0, warned = 0;
	char *all = page("records.jsonl", &len), *p, *nl;
	json_t *r, *s;
	vb_error err;

	tap_ok(all != NULL, "read records.jsonl");
	for (p = all; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl == p)
			continue;
		if (vb_congbao_parse_record(p, nl ? (size_t)(nl - p) : strlen(p), &r, &err)) {
			bad++;
			continue;
		}
		if (!n) {
			tap_is_str(vb_upstream_get(r, "number"), "18/NQ-HĐND", "first record number");
			tap_is_str(vb_upstream_get(r, "form"), "Nghị quyết", "first record form");
			tap_is_str(vb_upstream_get(r, "issue_date"), "2026-03-31", "first record date");
			tap_is_str(vb_upstream_get(r, "issuer"), "HĐND Tỉnh", "first record issuer");
			s = json_array_get(json_object_get(r, "signers"), 0);
			tap_is_str(sget(s, "name"), "Lò Minh Hùng", "signer name split off");
			tap_is_str(sget(s, "title"), "Chủ tịch HĐND", "signer title");
			tap_is_str(sget(json_array_get(json_object_get(r, "attachments"), 0), "name"),
				   "NQ 18.tinh_signed.pdf", "signed PDF");
			tap_is_str(sget(json_object_get(json_object_get(r, "fields"), "number"), "url"),
				   "https://congbao.sonla.gov.vn/congbao.nsf/NoiDung?openForm&ParentUNID=84B67FDCF58F9DB947258DD9002EFA6B",
				   "provenance: the record's page");
		}
		n++;
		in_force += vb_upstream_get(r, "status") && !strcmp(vb_upstream_get(r, "status"), "in_force");
		not_yet += vb_upstream_get(r, "status") &&
			   !strcmp(vb_upstream_get(r, "status"), "not_yet_in_force");
		signed_ += json_array_size(json_object_get(r, "signers")) == 1;
		warned += json_array_size(json_object_get(r, "warnings")) > 0;
		json_decref(r);
	}
	tap_is_int(n, 367, "367 records parsed");
	tap_is_int(bad, 0, "none refused");
	tap_is_int(in_force, 357, "357 \"Đang hiệu lực\" -> in_force");
	tap_is_int(not_yet, 10, "10 \"Chưa có hiệu lực\"");
	tap_is_int(signed_, 367, "a signer name in every record");
	tap_is_int(warned, 0, "no warnings");
	free(all);
	tap_ok(vb_congbao_parse_record("{\"so_hieu\": 1", 13, &r, &err) == VB_EINVAL,
	       "broken JSON: error");
}

int main(void)
{
	static const struct {
		const char *in, *title, *name;
	} signers[] = {
		{ "Phó Chủ tịch UBND Nguyễn Thành Công", "Phó Chủ tịch UBND", "Nguyễn Thành Công" },
		{ "Phó Chủ tịch Thường trực UBND tỉnh Đặng Ngọc Hậu", "Phó Chủ tịch Thường trực UBND tỉnh",
		  "Đặng Ngọc Hậu" },
		{ "Chủ tịch HĐND Lò Minh Hùng", "Chủ tịch HĐND", "Lò Minh Hùng" },
		{ "Nguyễn Văn A", NULL, NULL },
	};
	size_t i;

	issues();
	documents();
	records();
	for (i = 0; i < sizeof(signers) / sizeof(signers[0]); i++) {
		char *t, *n;

		vb_congbao_split_signer(signers[i].in, &t, &n);
		tap_is_str(t, signers[i].title, "title of \"%s\"", signers[i].in);
		tap_is_str(n, signers[i].name, "name of \"%s\"", signers[i].in);
		free(t);
		free(n);
	}
	return tap_done();
}
