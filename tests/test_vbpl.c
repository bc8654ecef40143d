/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the vbpl.vn page parsers (lib/vbpl.c) on every real saved page
 * of the corpus (vbpl_html_fixtures): asserted numbers, dates, issuer,
 * signer, status, attachments, relation boxes and counts, list paging;
 * and a page with its layout changed (classes renamed) is a clear error,
 * a page with a field missing is a warning.
 */
#include "tap.h"
#include "testutil.h"
#include "upstream.h"
#include "vbpl.h"

#include <stdlib.h>
#include <string.h>

static char *page(const char *name, size_t *len)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/vbpl_html_fixtures/%s", tu_corpus(), name);
	return (char *)tu_slurp(p, len);
}

static const char *get(json_t *rec, const char *f)
{
	return vb_upstream_get(rec, f);
}

static json_t *box(json_t *res, const char *title)
{
	size_t i;
	json_t *b;

	json_array_foreach(json_object_get(res, "boxes"), i, b)
		if (!strcmp(json_string_value(json_object_get(b, "title")), title))
			return b;
	return NULL;
}

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void replace_all(char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *p;

	/* same length only */
	while ((p = strstr(s, from)))
		memcpy(p, to, n);
}

static void thuoctinh(void)
{
	size_t len;
	char *h = page("thuoctinh_96172_BLTTHS_101-2015-QH13.html", &len);
	const char *url = "https://vbpl.vn/TW/Pages/vbpq-thuoctinh.aspx?ItemID=96172";
	json_t *r = NULL, *s, *f;
	vb_error err;
	vb_document doc;

	tap_ok(h != NULL, "read thuoctinh 96172");
	tap_is_int(vb_vbpl_parse_thuoctinh(h, len, url, &r, &err), 0, "parse thuoctinh 96172");
	tap_is_str(get(r, "number"), "101/2015/QH13", "number");
	tap_is_str(get(r, "abstract"), "Tố tụng hình sự", "abstract");
	tap_is_str(get(r, "form"), "Bộ luật", "form");
	tap_is_str(get(r, "issue_date"), "2015-11-27", "issue date");
	tap_is_str(get(r, "effective_date"), "2018-01-01", "effective date");
	tap_is_str(get(r, "gazette_date"), "2015-12-31", "gazette date");
	tap_is_str(get(r, "gazette_source"), "Công báo số 1271 đến 1276, năm 2015", "gazette source");
	tap_is_str(get(r, "issuer"), "Quốc hội", "issuer");
	tap_is_str(get(r, "status"), "in_force", "status code");
	tap_is_str(get(r, "status_label"), "Còn hiệu lực", "status label");
	tap_is_str(get(r, "scope"), "Toàn quốc", "scope");
	tap_is_int(json_integer_value(json_object_get(r, "item_id")), 96172, "item id");
	s = json_array_get(json_object_get(r, "signers"), 0);
	tap_is_str(sget(s, "name"), "Nguyễn Sinh Hùng", "signer name");
	tap_is_str(sget(s, "title"), "Chủ tịch Quốc hội", "signer title");
	tap_is_int(json_array_size(json_object_get(r, "attachments")), 4, "4 attachments");
	tap_is_str(sget(json_array_get(json_object_get(r, "attachments"), 1), "path"),
		   "/FileData/TW/Lists/vbpq/Attachments/96172/VanBanGoc_101.2015.QH13.P1.pdf",
		   "attachment path");
	tap_is_int(json_array_size(json_object_get(r, "warnings")), 0, "no warnings");
	f = json_object_get(json_object_get(r, "fields"), "number");
	tap_is_str(sget(f, "source"), "vbpl", "provenance: source");
	tap_is_str(sget(f, "url"), url, "provenance: url");
	vb_document_init(&doc);
	tap_is_int(vb_upstream_to_document(r, &doc, &err), 0, "to document");
	tap_is_str(doc.number_canonical, "101/2015/QH13", "canonical number");
	tap_is_str(doc.issue_date, "2015-11-27", "document issue date");
	tap_is_int(doc.n_signers, 1, "document signer");
	vb_document_dispose(&doc);
	json_decref(r);

	/* a field missing: a warning, not a failure */
	replace_all(h, "Ngày có hiệu lực", "Ngày có hiệu lựX");
	tap_is_int(vb_vbpl_parse_thuoctinh(h, strlen(h), url, &r, &err), 0,
		   "page without effective date still parses");
	tap_ok(get(r, "effective_date") == NULL, "effective date absent");
	tap_is_str(get(r, "number"), "101/2015/QH13", "other fields still read");
	json_decref(r);
	/* changed layout: classes renamed */
	replace_all(h, "vbProperties", "vbPropertieZ");
	tap_ok(vb_vbpl_parse_thuoctinh(h, strlen(h), url, &r, &err) == VB_EINVAL && r == NULL,
	       "renamed classes: error");
	tap_ok(strstr(err.msg, "div.vbProperties") != NULL, "error names the missing part: %s",
	       err.msg);
	free(h);

	h = page("thuoctinh_32801_HienPhap2013.html", &len);
	tap_is_int(vb_vbpl_parse_thuoctinh(h, len, NULL, &r, &err), 0, "parse thuoctinh 32801");
	tap_ok(get(r, "number") == NULL && json_is_true(json_object_get(r, "unnumbered")),
	       "Hiến pháp: Không số");
	tap_is_str(get(r, "form"), "Hiến pháp", "form Hiến pháp");
	tap_is_str(get(r, "issue_date"), "2013-11-28", "issued 2013-11-28");
	tap_is_str(get(r, "effective_date"), "2014-01-01", "in force 2014-01-01");
	tap_is_int(json_integer_value(json_object_get(r, "item_id")), 32801, "item id from the page");
	tap_is_str(sget(json_array_get(json_object_get(r, "attachments"), 0), "name"),
		   "Hien phap nam 2013.doc", "attachment with spaces");
	json_decref(r);
	free(h);

	h = page("thuoctinh_hopnhat_147301_31-VBHN-VPQH.html", &len);
	tap_is_int(vb_vbpl_parse_thuoctinh(h, len, NULL, &r, &err), 0, "parse VBHN 147301");
	tap_is_str(sget(r, "kind"), "hopnhat", "VBHN kind");
	tap_is_str(get(r, "number"), "31/VBHN-VPQH", "VBHN number");
	tap_is_str(get(r, "form"), "Văn bản hợp nhất", "VBHN form");
	tap_is_str(get(r, "consolidated_form"), "Luật", "VBHN consolidated form");
	tap_is_str(get(r, "attested_date"), "2020-12-07", "Ngày xác thực");
	tap_is_str(get(r, "gazette_date"), "2021-03-26", "VBHN gazette date");
	tap_is_str(get(r, "issuer"), "Văn phòng Quốc hội", "VBHN issuer");
	s = json_array_get(json_object_get(r, "signers"), 0);
	tap_is_str(sget(s, "name"), "Nguyễn Hạnh Phúc", "VBHN signer (name before title)");
	tap_is_str(sget(s, "title"), "Chủ nhiệm", "VBHN signer title");
	tap_is_int(json_array_size(json_object_get(r, "attachments")), 1,
		   "only the VBHN's own attachment");
	json_decref(r);
	free(h);
}

static void toanvan(void)
{
	static const struct {
		const char *file, *starts, *contains;
		size_t min;
	} cases[] = {
		{ "toanvan_32801_HienPhap2013.html", "HIẾN PHÁP\nNƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLỜI NÓI ĐẦU\n",
		  "\nĐiều 1\n", 80000 },
		{ "toanvan_22313_HienPhap1992.html", NULL, "Điều 1", 50000 },
		{ "toanvan_96122_BLHS_100-2015-QH13.html", NULL, "BỘ LUẬT", 500000 },
		{ "toanvan_96172_BLTTHS_101-2015-QH13.html", NULL, "TỐ TỤNG HÌNH SỰ", 500000 },
	};
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = page(cases[i].file, &len), *t = NULL;
		vb_error err;

		tap_is_int(vb_vbpl_parse_toanvan(h, len, &t, &err), 0, "toàn văn %s", cases[i].file);
		tap_ok(t && strlen(t) >= cases[i].min, "%s: %zu bytes of text", cases[i].file,
		       t ? strlen(t) : 0);
		if (cases[i].starts)
			tap_ok(t && !strncmp(t, cases[i].starts, strlen(cases[i].starts)),
			       "%s: paragraphs as lines", cases[i].file);
		tap_ok(t && strstr(t, cases[i].contains), "%s: contains \"%s\"", cases[i].file,
		       cases[i].contains);
		tap_ok(t && !strstr(t, "\n\n") && !strstr(t, "  "), "%s: no blank lines or double spaces",
		       cases[i].file);
		free(t);
		replace_all(h, "toanvancontent", "toanvancontenX");
		tap_ok(vb_vbpl_parse_toanvan(h, strlen(h), &t, &err) == VB_EINVAL &&
			       strstr(err.msg, "toanvancontent"),
		       "%s: renamed div is a clear error", cases[i].file);
		free(h);
	}
}

static void luocdo(void)
{
	size_t len;
	char *h = page("luocdo_32801_HienPhap2013.html", &len);
	json_t *r = NULL, *b, *it;
	vb_error err;
	static const char *const titles[] = {
		"Văn bản được HD, QĐ chi tiết", "Văn bản HD, QĐ chi tiết", "Văn bản hết hiệu lực",
		"Văn bản căn cứ", "Văn bản quy định hết hiệu lực", "Văn bản bị hết hiệu lực 1 phần",
		"Văn bản dẫn chiếu", "Văn bản quy định hết hiệu lực 1 phần", "Văn bản bị đình chỉ",
		"Văn bản liên quan khác", "Văn bản đình chỉ", "Văn bản bị đình chỉ 1 phần",
		"Văn bản đình chỉ 1 phần", "Văn bản được bổ sung", "Văn bản bổ sung",
		"Văn bản được sửa đổi", "Văn bản sửa đổi"
	};
	size_t i;

	tap_is_int(vb_vbpl_parse_luocdo(h, len, &r, &err), 0, "parse lược đồ 32801");
	tap_is_int(json_array_size(json_object_get(r, "boxes")), 17,
		   "17 relation boxes (the 18th, Văn bản hiện thời, is the document itself)");
	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		tap_ok(box(r, titles[i]) != NULL, "box \"%s\"", titles[i]);
	b = box(r, "Văn bản HD, QĐ chi tiết");
	tap_is_int(json_integer_value(json_object_get(b, "count")), 88, "88 implementing documents");
	tap_is_int(json_array_size(json_object_get(b, "items")), 88, "88 items listed");
	it = json_array_get(json_object_get(b, "items"), 0);
	tap_is_int(json_integer_value(json_object_get(it, "item_id")), 123002, "first item id");
	tap_is_str(sget(it, "number"), "42/2017/QH14", "first item number");
	tap_is_int(json_array_size(json_object_get(box(r, "Văn bản dẫn chiếu"), "items")), 4,
		   "4 cited");
	tap_is_int(json_array_size(json_object_get(box(r, "Văn bản liên quan khác"), "items")), 2,
		   "2 related");
	tap_is_int(json_array_size(json_object_get(box(r, "Văn bản căn cứ"), "items")), 0,
		   "none based on");
	tap_is_int(json_array_size(json_object_get(r, "warnings")), 0, "counts agree");
	json_decref(r);
	replace_all(h, "luocdo", "luocdX");
	replace_all(h, "LuocDo", "LuocDX");
	tap_ok(vb_vbpl_parse_luocdo(h, strlen(h), &r, &err) == VB_EINVAL, "renamed: error (%s)",
	       err.msg);
	free(h);

	h = page("luocdo_hopnhat_147301_31-VBHN-VPQH.html", &len);
	tap_is_int(vb_vbpl_parse_luocdo(h, len, &r, &err), 0, "parse VBHN lược đồ");
	b = box(r, "Văn bản được hợp nhất");
	tap_is_int(json_array_size(json_object_get(b, "items")), 3, "3 consolidated laws");
	it = json_array_get(json_object_get(b, "items"), 0);
	tap_is_str(sget(it, "number"), "15/2012/QH13", "consolidated: 15/2012/QH13");
	tap_is_str(sget(it, "issue_date"), "2012-06-20", "with its issue date");
	tap_is_int(json_integer_value(json_object_get(it, "item_id")), 27621, "and item id");
	json_decref(r);
	free(h);

	h = page("vanbanlienquan_32801_HienPhap2013.html", &len);
	tap_is_int(vb_vbpl_parse_lienquan(h, len, &r, &err), 0, "parse VB liên quan");
	b = box(r, "Văn bản dẫn chiếu");
	tap_is_int(json_array_size(json_object_get(b, "items")), 4, "4 cited documents");
	it = json_array_get(json_object_get(b, "items"), 0);
	tap_is_int(json_integer_value(json_object_get(it, "item_id")), 11234, "Hiến pháp 1992");
	tap_is_str(sget(it, "issue_date"), "1992-04-15", "issue date");
	json_decref(r);
	free(h);
}

static void lists(void)
{
	size_t len;
	char *h = page("search_results_bo-luat.html", &len);
	json_t *r = NULL, *it;
	vb_error err;

	tap_is_int(vb_vbpl_parse_list(h, len, &r, &err), 0, "parse search list");
	tap_is_int(json_integer_value(json_object_get(r, "total")), 125170, "Tìm thấy 125170");
	tap_is_int(json_integer_value(json_object_get(r, "page")), 2, "current page");
	tap_is_int(json_integer_value(json_object_get(r, "last_page")), 12517, "last page");
	tap_is_int(json_array_size(json_object_get(r, "items")), 10, "10 items");
	it = json_array_get(json_object_get(r, "items"), 0);
	tap_is_int(json_integer_value(json_object_get(it, "item_id")), 96115, "item id");
	tap_is_str(sget(it, "number"), "92/2015/QH13", "number");
	tap_is_str(sget(it, "abstract"), "Tố tụng dân sự", "abstract");
	tap_is_str(sget(it, "issue_date"), "2015-11-25", "Ban hành");
	tap_is_str(sget(it, "effective_date"), "2016-07-01", "Hiệu lực");
	tap_is_str(sget(it, "status"), "partly_expired", "Trạng thái");
	tap_ok(json_object_get(json_array_get(json_object_get(r, "items"), 1), "status") == NULL,
	       "no Trạng thái when in force");
	json_decref(r);
	free(h);

	h = page("search_results_vbhn.html", &len);
	tap_is_int(vb_vbpl_parse_list(h, len, &r, &err), 0, "parse VBHN list");
	tap_is_int(json_integer_value(json_object_get(r, "total")), 1202, "1202 VBHN");
	tap_is_int(json_integer_value(json_object_get(r, "last_page")), 121, "121 pages");
	it = json_array_get(json_object_get(r, "items"), 0);
	tap_is_int(json_integer_value(json_object_get(it, "item_id")), 147301, "first VBHN");
	tap_is_str(sget(it, "kind"), "hopnhat", "VBHN kind");
	tap_is_str(sget(it, "issue_date"), "2020-12-07", "Ngày xác thực as date");
	json_decref(r);
	replace_all(h, "listLaw", "listLaX");
	tap_ok(vb_vbpl_parse_list(h, strlen(h), &r, &err) == VB_EINVAL, "renamed list: error");
	free(h);

	tap_ok(vb_vbpl_parse_list("garbage", 7, &r, &err) == VB_EINVAL, "not a page: error");
}

int main(void)
{
	char *n;

	thuoctinh();
	toanvan();
	luocdo();
	lists();
	n = vb_vbpl_title_number("Nghị quyết 42/2017/QH14 Về thí điểm");
	tap_is_str(n, "42/2017/QH14", "number in a title");
	free(n);
	tap_ok(vb_vbpl_title_number("Hiến pháp Không số Hiến pháp năm 2013") == NULL,
	       "no number in an unnumbered title");
	return tap_done();
}
