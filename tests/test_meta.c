/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for lib/meta.h: table-driven over small real excerpts in
 * tests/fixtures/meta/ (a Công báo print with page headers and a digital
 * signature block, a công văn with its V/v line, a TVPL markdown decision),
 * the full Quảng Ninh regulation from the corpus ($VB_CORPUS, default
 * $VB_SRCDIR/../shared/corpus), which must get every field right, inline
 * variants (flattened Word table, NFD text with the Ð look-alike, effective
 * "kể từ ngày ký"), regression excerpts (abstracts wrapped over a line
 * starting "THỰC HIỆN" or "QUỐC HỘI", an authority line split by TVPL
 * markup, a consolidated text without its "XÁC THỰC" block) and garbage
 * input.
 */
#include "meta.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

/* Expected values; NULL = must be empty, "*" = do not check. */
struct expect {
	const char *name;      /* fixture file or label */
	const char *text;      /* inline text, or NULL to read the fixture */
	const char *number, *form, *issuer, *issue_date, *effective_date;
	const char *abstract, *signer, *signer_title;
	const char *replaces;  /* number of the first replaced document */
	int min_bases;
};

static const struct expect cases[] = {
	{ "congbao-135-2026-ND-CP.txt", NULL, "135/2026/NĐ-CP", "Nghị định", "Chính phủ",
	  "2026-04-07", "*",
	  "Quy định cơ chế, chính sách ưu đãi, ưu tiên cho đơn vị điều độ hệ thống điện "
	  "quốc gia và đơn vị điều hành giao dịch thị trường điện",
	  "Bùi Thanh Sơn", "Phó Thủ tướng", NULL, 2 },
	{ "congvan-38162-CHQ-GSQL.md", NULL, "38162/CHQ-GSQL", "Công văn", "Cục Hải quan",
	  "2025-11-25", NULL, "hướng dẫn thủ tục hải quan", "Nguyễn Bắc Hải",
	  "Phó Trưởng ban", NULL, 0 },
	{ "tvpl-1486-QD-UBND.md", NULL, "1486/QĐ-UBND", "Quyết định", "UBND tỉnh Bắc Ninh",
	  "2025-11-17", "*",
	  "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG, BÃI BỎ TRONG "
	  "LĨNH VỰC ĐẤU THẦU THUỘC PHẠM VI, CHỨC NĂNG QUẢN LÝ CỦA SỞ TÀI CHÍNH TỈNH BẮC NINH",
	  "Mai Sơn", "Phó Chủ tịch", NULL, 6 },
	/* a Word table flattened with tabs and '|', effective on signing */
	{ "flattened table", "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	  "TỈNH QUẢNG NINH\tĐộc lập - Tự do - Hạnh phúc\n"
	  "Số: 12/2024/QĐ-UBND | Hạ Long, ngày 03 tháng 4 năm 2024\n\n"
	  "QUYẾT ĐỊNH\nSửa đổi, bổ sung một số điều của Quyết định số 05/2023/QĐ-UBND\n\n"
	  "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\n\n"
	  "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n\n"
	  "QUYẾT ĐỊNH:\n\nĐiều 1. Sửa đổi khoản 2 Điều 4.\n\n"
	  "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
	  "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(Đã ký)\n\nNguyễn Văn An\n",
	  "12/2024/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2024-04-03", "2024-04-03",
	  "Sửa đổi, bổ sung một số điều của Quyết định số 05/2023/QĐ-UBND", "Nguyễn Văn An",
	  "Phó Chủ tịch", NULL, 1 },
	/* NFD text and the U+00D0 look-alike in the symbol */
	{ "nfd and look-alike", "THU\xcc\x89 TU\xcc\x9bO\xcc\x9b\xcc\x81NG CHI\xcc\x81NH PHU\xcc\x89\n"
	  "Số: 15/2024/Q\xc3\x90-TTg\nHà Nội, ngày 1 tháng 7 năm 2024\n\nQUYẾT ĐỊNH\n"
	  "Về việc thí điểm\n\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n\n"
	  "QUYẾT ĐỊNH:\nĐiều 1. Quyết định này có hiệu lực thi hành kể từ ngày 15 tháng 8 năm 2024 "
	  "và thay thế Quyết định số 20/2019/QĐ-TTg ngày 02/7/2019.\n\nTHỦ TƯỚNG\n\nPhạm Văn Bình\n",
	  "15/2024/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", "2024-07-01", "2024-08-15",
	  "Về việc thí điểm", "Phạm Văn Bình", "Thủ tướng", "20/2019/QĐ-TTg", 1 },
	/* tvpl:682362: the upper-case abstract wraps onto a line starting
	 * "THỰC HIỆN", which is not the body's "Thực hiện ..." */
	{ "tvpl-1617-QD-UBND.md", NULL, "1617/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ngãi",
	  "2025-11-20", "*",
	  "VỀ VIỆC ỦY QUYỀN CHO GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG THỰC HIỆN NHIỆM VỤ TRONG "
	  "LĨNH VỰC QUẢN LÝ CHẤT LƯỢNG NÔNG LÂM SẢN VÀ THỦY SẢN", "*", "*", NULL, 0 },
	/* tvpl:682941: a wrapped line of the abstract starts "QUỐC HỘI ..."; the
	 * authority line is the later "CHÍNH PHỦ" */
	{ "tvpl-388-NQ-CP.md", NULL, "388/NQ-CP", "Nghị quyết", "Chính phủ", "2025-12-01", "*",
	  "VỀ VIỆC NGHIÊN CỨU TIẾP THU, GIẢI TRÌNH KẾT LUẬN CỦA ĐẠI BIỂU QUỐC HỘI TẠI TỔ VÀ "
	  "HỘI TRƯỜNG; Ý KIẾN THẨM TRA CỦA ỦY BAN KINH TẾ VÀ TÀI CHÍNH CỦA QUỐC HỘI VỀ DỰ ÁN "
	  "LUẬT BẢO HIỂM TIỀN GỬI (SỬA ĐỔI)", "*", "*", NULL, 1 },
	/* tvpl:681791: the authority line is split "THỦ" / "TƯỚNG CHÍNH PHỦ
	 * điện:" and must not be taken into the abstract */
	{ "tvpl-226-CD-TTg.md", NULL, "226/CĐ-TTg", "Công điện", "Thủ tướng Chính phủ",
	  "2025-11-21", "*",
	  "VỀ VIỆC TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ VÀ SỬ DỤNG HÀNG DỰ TRỮ QUỐC GIA ĐỂ HỖ TRỢ, ỨNG "
	  "PHÓ MƯA, LŨ TẠI KHU VỰC TRUNG BỘ", "*", "*", NULL, 0 },
	/* a consolidated text printed over several gazette issues: no
	 * "XÁC THỰC" block, the heading is the law's, the opening paragraph
	 * "..., được sửa đổi, bổ sung bởi:" makes it a Văn bản hợp nhất */
	{ "congbao-14-VBHN-VPQH.txt", NULL, NULL, "Văn bản hợp nhất", "*", "*", "*",
	  "AN TOÀN, VỆ SINH LAO ĐỘNG", "*", "*", NULL, 1 },
	/* the same law as issued: "được sửa đổi, bổ sung bởi" only in the
	 * body, so it stays a Luật */
	{ "law, not consolidated", "QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	  "Độc lập - Tự do - Hạnh phúc\nLuật số: 84/2015/QH13\n\nLUẬT\n"
	  "AN TOÀN, VỆ SINH LAO ĐỘNG\n\n"
	  "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
	  "Quốc hội ban hành Luật An toàn, vệ sinh lao động.\n\nĐiều 1. Phạm vi điều chỉnh\n"
	  "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2016. Luật này được sửa đổi, "
	  "bổ sung bởi luật khác.\n",
	  "84/2015/QH13", "Luật", "Quốc hội", "*", "2016-07-01", "AN TOÀN, VỆ SINH LAO ĐỘNG",
	  "*", "*", NULL, 1 },
};

static void check_field(const char *label, const char *what, const vb_meta_field *f,
			const char *want, size_t text_len)
{
	if (want && !strcmp(want, "*"))
		return;
	if (!want) {
		tap_ok(f->value == NULL, "%s: no %s", label, what);
		return;
	}
	tap_is_str(f->value, want, "%s: %s", label, what);
	if (f->value)
		tap_ok(f->confidence > 0 && f->confidence <= 1 && f->start < f->end &&
		       f->end <= text_len, "%s: %s has a confidence and a span", label, what);
}

static void run_case(const struct expect *e, const char *text, size_t len)
{
	vb_meta m;
	vb_error err;
	json_t *j;

	tap_is_int(vb_meta_extract(text, len, &m, &err), 0, "%s: extract", e->name);
	check_field(e->name, "number", &m.number, e->number, m.text_len);
	check_field(e->name, "form", &m.form, e->form, m.text_len);
	check_field(e->name, "issuer", &m.issuer, e->issuer, m.text_len);
	check_field(e->name, "issue_date", &m.issue_date, e->issue_date, m.text_len);
	check_field(e->name, "effective_date", &m.effective_date, e->effective_date, m.text_len);
	check_field(e->name, "abstract", &m.abstract, e->abstract, m.text_len);
	check_field(e->name, "signer", &m.signer, e->signer, m.text_len);
	check_field(e->name, "signer_title", &m.signer_title, e->signer_title, m.text_len);
	if (e->replaces)
		tap_is_str(m.replaces.n ? m.replaces.items[0].number : NULL, e->replaces,
			   "%s: replaces", e->name);
	else
		tap_is_int(m.replaces.n, 0, "%s: replaces nothing", e->name);
	tap_ok(m.bases.n >= (size_t)e->min_bases, "%s: at least %d bases (got %zu)", e->name,
	       e->min_bases, m.bases.n);
	j = vb_meta_to_json(&m);
	tap_ok(j && json_is_object(json_object_get(j, "number")) &&
	       json_is_array(json_object_get(j, "bases")) &&
	       json_is_array(json_object_get(j, "warnings")),
	       "%s: JSON has the fields", e->name);
	json_decref(j);
	vb_meta_dispose(&m);
}

static void test_quangninh(void)
{
	const char *corpus = getenv("VB_CORPUS"), *src = getenv("VB_SRCDIR");
	char path[8192], alt[4096];
	char *text;
	vb_meta m;
	size_t i;
	int found31a = 0;

	if (!corpus) {
		snprintf(alt, sizeof(alt), "%s/../shared/corpus", src ? src : ".");
		corpus = alt;
	}
	snprintf(path, sizeof(path), "%s/quangninh/05-2023-QD-UBND.txt", corpus);
	text = slurp(path);
	if (!text) {
		printf("ok %d # SKIP corpus file %s not found\n", ++tap_n, path);
		return;
	}
	tap_is_int(vb_meta_extract(text, strlen(text), &m, NULL), 0, "quangninh: extract");
	tap_is_str(m.number.value, "05/2023/QĐ-UBND", "quangninh: number");
	tap_is_str(m.form.value, "Quyết định", "quangninh: form");
	tap_is_str(m.issuer.value, "UBND tỉnh Quảng Ninh", "quangninh: issuer");
	tap_is_str(m.place.value, "Quảng Ninh", "quangninh: place");
	tap_is_str(m.issue_date.value, "2023-02-16", "quangninh: issue date");
	tap_is_str(m.effective_date.value, "2023-03-01", "quangninh: effective date");
	tap_is_str(m.abstract.value, "Ban hành Quy chế tổ chức và quản lý hoạt động của Cổng "
		   "thông tin điện tử tỉnh Quảng Ninh", "quangninh: abstract");
	tap_is_str(m.signer.value, "Cao Tường Huy", "quangninh: signer");
	tap_is_str(m.signer_title.value, "Q. Chủ tịch", "quangninh: signer title");
	for (i = 0; i < m.replaces.n; i++)
		if (m.replaces.items[i].number &&
		    !strcmp(m.replaces.items[i].number, "31A/2020/QĐ-UBND") &&
		    m.replaces.items[i].date && !strcmp(m.replaces.items[i].date, "2020-09-04"))
			found31a = 1;
	tap_ok(found31a && m.replaces.n == 1, "quangninh: replaces 31A/2020/QĐ-UBND of 2020-09-04");
	tap_is_int(m.amends.n + m.repeals.n, 0, "quangninh: amends and repeals nothing");
	tap_ok(m.bases.n >= 15, "quangninh: the Căn cứ lines give >= 15 bases (got %zu)",
	       m.bases.n);
	tap_ok(m.bases.n > 7 && m.bases.items[7].number &&
	       !strcmp(m.bases.items[7].number, "64/2007/NĐ-CP") && m.bases.items[7].date &&
	       !strcmp(m.bases.items[7].date, "2007-04-10") && m.bases.items[7].form &&
	       !strcmp(m.bases.items[7].form, "Nghị định"),
	       "quangninh: basis Nghị định 64/2007/NĐ-CP of 2007-04-10");
	/* the span of the number points at the number in the text */
	tap_ok(m.number.end > m.number.start &&
	       !strncmp(m.text + m.number.start, "05", 2), "quangninh: number span");
	tap_is_int(m.n_warnings, 0, "quangninh: no warnings");
	vb_meta_dispose(&m);
	free(text);
}

static void test_garbage(void)
{
	static const char *const inputs[] = {
		"", "\xff\xfe\x00garbage\x80\x81", "Số:", "ngày tháng năm", "|||***---\n\n\t",
		"Số: 1/", "QUYẾT ĐỊNH\n", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\n",
	};
	size_t i;
	char *big;
	vb_meta m;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		size_t len = i == 1 ? 12 : strlen(inputs[i]);
		int rc = vb_meta_extract(inputs[i], len, &m, NULL);

		tap_ok(rc == 0 && m.number.value == NULL && m.signer.value == NULL &&
		       m.n_warnings > 0, "garbage %zu: no crash, empty fields, warnings", i);
		vb_meta_dispose(&m);
	}
	/* a long run of random-looking bytes */
	big = malloc(200000);
	if (big) {
		unsigned x = 12345;

		for (i = 0; i < 200000; i++) {
			x = x * 1103515245u + 12345u;
			big[i] = (char)(x >> 16);
		}
		tap_is_int(vb_meta_extract(big, 200000, &m, NULL), 0, "random bytes: no crash");
		tap_ok(m.n_warnings > 0, "random bytes: warnings");
		vb_meta_dispose(&m);
		free(big);
	}
	tap_ok(vb_meta_extract(NULL, 5, &m, NULL) == VB_EINVAL, "NULL text is invalid");
	vb_meta_dispose(&m);
	vb_meta_dispose(NULL);
	tap_ok(1, "dispose accepts NULL");
}

static void test_form_from_number(void)
{
	static const char *const t[][2] = {
		{ "05/2023/QĐ-UBND", "Quyết định" }, { "12/CT-TTg", "Chỉ thị" },
		{ "3/VBHN-BTC", "Văn bản hợp nhất" }, { "17809/BTC-CTK", "Công văn" },
		{ "41/2024/QH15", "Luật" }, { "624/TB-VPCP", "Thông báo" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		tap_is_str(vb_meta_form_from_number(t[i][0]), t[i][1], "form of %s", t[i][0]);
	tap_ok(vb_meta_form_from_number(NULL) == NULL, "form of NULL");
}

int main(void)
{
	const char *src = getenv("VB_SRCDIR");
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct expect *e = &cases[i];

		if (e->text) {
			run_case(e, e->text, strlen(e->text));
		} else {
			char path[4096];
			char *text;

			snprintf(path, sizeof(path), "%s/tests/fixtures/meta/%s", src ? src : ".",
				 e->name);
			text = slurp(path);
			tap_ok(text != NULL, "read fixture %s", e->name);
			if (text)
				run_case(e, text, strlen(text));
			free(text);
		}
	}
	test_quangninh();
	test_garbage();
	test_form_from_number();
	return tap_done();
}
