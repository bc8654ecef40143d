/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/citation.c: every spelling of a number from
 * issue 2, real citations from the "Căn cứ" lines of the bundled sample,
 * NFD / Ð / extra-space variants, both date spellings, missing parts,
 * issuer normalisation and matching, limits.  Then a sweep over every
 * "Căn cứ ... số N" line of data/sample/documents.jsonl: the parser must
 * find the number that follows "số" on each of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "citation.h"
#include "docnum.h"
#include "error.h"
#include "tap.h"

static const struct {
	const char *in;
	const char *form, *number, *key, *date, *issuer;
	int partial;
} cases[] = {
	{ "Quyết định số 31A/2020/QĐ-UBND ngày 04/9/2020 của UBND tỉnh Quảng Ninh",
	  "Quyết định", "31A/2020/QĐ-UBND", "31A/2020/QD-UBND", "2020-09-04",
	  "UBND tỉnh Quảng Ninh", 0 },
	/* NFD, Ð look-alike, "so", extra spaces, long date, long issuer */
	{ "Quye\xcc\x82\xcc\x81t  \xc4\x91i\xcc\xa3nh  so  31A/2020/Q\xc3\x90-UBND   ngày 04 tháng 9 năm 2020 "
	  "của Ủy ban nhân dân tỉnh Quảng Ninh",
	  "Quyết định", "31A/2020/QĐ-UBND", "31A/2020/QD-UBND", "2020-09-04",
	  "UBND tỉnh Quảng Ninh", 0 },
	{ "QUYẾT ĐỊNH SỐ 31A/2020/QĐ-UBND NGÀY 04/9/2020 CỦA ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
	  "Quyết định", "31A/2020/QĐ-UBND", "31A/2020/QD-UBND", "2020-09-04",
	  "UBND tỉnh Quảng Ninh", 0 },
	{ "quyet dinh so 05/2023/QD-UBND ngay 16/02/2023 cua UBND tinh Quang Ninh",
	  "Quyết định", "05/2023/QD-UBND", "5/2023/QD-UBND", "2023-02-16",
	  "UBND tinh Quang Ninh", 0 },
	/* the spellings of issue 2 */
	{ "05/2023/QĐ-UBND", "Quyết định", "05/2023/QĐ-UBND", "5/2023/QD-UBND", "", "", 0 },
	{ "5/2023/QD-UBND", "Quyết định", "5/2023/QD-UBND", "5/2023/QD-UBND", "", "", 0 },
	{ "05/2023/qđ-ubnd", "Quyết định", "05/2023/qđ-ubnd", "5/2023/QD-UBND", "", "", 0 },
	{ "05/2023/Q\xc3\x90-UBND", "Quyết định", "05/2023/QĐ-UBND", "5/2023/QD-UBND", "", "", 0 },
	{ "05 /2023/ QĐ - UBND", "Quyết định", "05/2023/QĐ-UBND", "5/2023/QD-UBND", "", "", 0 },
	{ "Số: 05 /2023/QĐ-UBND", "Quyết định", "05/2023/QĐ-UBND", "5/2023/QD-UBND", "", "", 0 },
	{ "QĐ 05/2023", "Quyết định", "05/2023", "5/2023/QD", "", "", 1 },
	{ "Quyết định số 2828", "Quyết định", "2828", "2828/QD", "", "", 1 },
	{ "101/CP", "", "101/CP", "101/CP", "", "", 0 },
	{ "2828/QĐ-UBND", "Quyết định", "2828/QĐ-UBND", "2828/QD-UBND", "", "", 0 },
	{ "Quyết định 2828/QĐ-UBND ngày 19/11/2025 của UBND thành phố Hồ Chí Minh",
	  "Quyết định", "2828/QĐ-UBND", "2828/QD-UBND", "2025-11-19",
	  "UBND thành phố Hồ Chí Minh", 0 },
	{ "QĐ 2828/QĐ-UBND của UBND TP. Hồ Chí Minh", "Quyết định", "2828/QĐ-UBND",
	  "2828/QD-UBND", "", "UBND thành phố Hồ Chí Minh", 0 },
	{ "2828/QĐ-UBND UBND tỉnh Quảng Trị", "Quyết định", "2828/QĐ-UBND", "2828/QD-UBND", "",
	  "UBND tỉnh Quảng Trị", 0 },
	/* real "Căn cứ" lines of data/sample/documents.jsonl */
	{ "Căn cứ Nghị định số 129/2020/NĐ-CP ngày 27 tháng 10 năm 2020 của Chính phủ về chức",
	  "Nghị định", "129/2020/NĐ-CP", "129/2020/ND-CP", "2020-10-27", "Chính phủ", 0 },
	{ "Căn cứ Nghị quyết số 182/NQ-CP ngày 22/12/2020 của Chính phủ quyết",
	  "Nghị quyết", "182/NQ-CP", "182/NQ-CP", "2020-12-22", "Chính phủ", 0 },
	{ "Căn cứ Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ quy định chi tiết việc "
	  "phát ngôn và cung cấp thông tin cho báo chí của các cơ quan hành chính nhà nước;",
	  "Nghị định", "09/2017/NĐ-CP", "9/2017/ND-CP", "2017-02-09", "Chính phủ", 0 },
	{ "Căn cứ Thông tư số 44/2017/TT-BTC của Bộ trưởng", "Thông tư", "44/2017/TT-BTC",
	  "44/2017/TT-BTC", "", "Bộ trưởng", 0 },
	{ "Căn cứ Luật Chất lượng sản phẩm, hàng hóa số 05/2007/QH12", "Luật", "05/2007/QH12",
	  "5/2007/QH12", "", "", 0 },
	{ "Căn cứ Luật Tần số vô tuyến điện số 42/2009/QH12", "Luật", "42/2009/QH12",
	  "42/2009/QH12", "", "", 0 },
	{ "Căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16 tháng 7 năm 2021 của Thủ tướng Chính phủ",
	  "Quyết định", "24/2021/QĐ-TTg", "24/2021/QD-TTG", "2021-07-16", "Thủ tướng Chính phủ", 0 },
	{ "Căn cứ Nghị quyết số 02-NQ/TW ngày 17 tháng 3 năm 2026 của Bộ Chính trị",
	  "Nghị quyết", "02-NQ/TW", "2-NQ/TW", "2026-03-17", "Bộ Chính trị", 0 },
	{ "Căn cứ Thông tư số 14/2015/TT-BTC ngày 30 tháng 01 năm 2015", "Thông tư",
	  "14/2015/TT-BTC", "14/2015/TT-BTC", "2015-01-30", "", 0 },
	{ "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;", "Luật", "", "",
	  "2015-06-19", "", 0 },
	{ "Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về việc ứng dụng",
	  "Nghị định", "64/2007/NĐ-CP", "64/2007/ND-CP", "2007-04-10", "Chính phủ", 0 },
	{ "Số 05/2023/QĐ-UBND - Quyết định ban hành quy chế", "Quyết định", "05/2023/QĐ-UBND",
	  "5/2023/QD-UBND", "", "", 0 },
	{ "Căn cứ Thông tư số 10/2020/TT-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội hướng dẫn",
	  "Thông tư", "10/2020/TT-BLĐTBXH", "10/2020/TT-BLDTBXH", "",
	  "Bộ Lao động - Thương binh và Xã hội", 0 },
	{ "Căn cứ Quyết định số 48/2024/QĐ-UBND ngày 22 tháng 7 năm 2024 của UBND tỉnh Sơn La "
	  "ban hành quy định", "Quyết định", "48/2024/QĐ-UBND", "48/2024/QD-UBND", "2024-07-22",
	  "UBND tỉnh Sơn La", 0 },
	{ "Căn cứ Điều 9 Nghị quyết số 16/2024/NQ-HĐND ngày 11/12/2024)", "Nghị quyết",
	  "16/2024/NQ-HĐND", "16/2024/NQ-HDND", "2024-12-11", "", 0 },
	{ "(Quyết định số 1085/QĐ-TTg, ngày 15/9/2023 của Thủ tướng Chính phủ)", "Quyết định",
	  "1085/QĐ-TTg", "1085/QD-TTG", "2023-09-15", "Thủ tướng Chính phủ", 0 },
	/* missing parts */
	{ "ngày 04/9/2020", "", "", "", "2020-09-04", "", 0 },
	{ "của UBND tỉnh Quảng Ninh", "", "", "", "", "UBND tỉnh Quảng Ninh", 0 },
	{ "Quyết định số 31A/2020/QĐ-UBND ngày 31/02/2020", "Quyết định", "31A/2020/QĐ-UBND",
	  "31A/2020/QD-UBND", "", "", 0 },
	{ "16/02/2023", "", "", "", "2023-02-16", "", 0 },
	{ "cổng thông tin điện tử", "", "", "", "", "", 0 },
	{ "", "", "", "", "", "", 0 },
};

static const struct {
	const char *in, *want;
} norms[] = {
	{ "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh" },
	{ "Uỷ ban nhân dân Tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh" },
	{ "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "UBND tỉnh Quảng Ninh" },
	{ "Hội đồng nhân dân tỉnh Sơn La", "HĐND tỉnh Sơn La" },
	{ "HDND tỉnh Sơn La", "HĐND tỉnh Sơn La" },
	{ "UBND TP. Hồ Chí Minh", "UBND thành phố Hồ Chí Minh" },
	{ "Thành phố Hà Nội", "Thành phố Hà Nội" },
	{ "Chính phủ", "Chính phủ" },
	{ "  Bộ   Tài chính ", "Bộ Tài chính" },
	{ "", "" },
};

static const struct {
	const char *a, *b;
	int want;
} matches[] = {
	{ "UBND tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh", 1 },
	{ "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh", 1 },
	{ "ubnd tinh quang ninh", "UBND tỉnh Quảng Ninh", 1 },
	{ "Quảng Ninh", "UBND tỉnh Quảng Ninh", 1 },
	{ "Chủ tịch UBND tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh", 1 },
	{ "UBND TP. Hồ Chí Minh", "UBND thành phố Hồ Chí Minh", 1 },
	{ "UBND tỉnh Quảng Trị", "UBND tỉnh Quảng Ninh", 0 },
	{ "UBND thành phố Hồ Chí Minh", "UBND tỉnh Quảng Trị", 0 },
	{ "Quảng", "UBND tỉnh Quảng Trị", 1 },
	{ "Ninh Bình", "UBND tỉnh Quảng Ninh", 0 },
	{ "Bộ trưởng Bộ Tài chính", "Bộ Tài chính", 1 },
	{ "Phó Chủ tịch UBND tỉnh Sơn La", "UBND tỉnh Sơn La", 1 },
	{ "Thủ tướng Chính phủ", "Chính phủ", 1 },
	{ "Bộ trưởng", "Bộ trưởng", 0 },
	{ "Bộ trưởng", "Bộ Tài chính", 0 },
	{ "", "UBND tỉnh Quảng Ninh", 0 },
	{ NULL, "UBND tỉnh Quảng Ninh", 0 },
};

/* Every "Căn cứ <form> số N" line of the sample: N is what the parser finds. */
static void sweep_sample(void)
{
	char path[4096];
	const char *src = getenv("VB_SRCDIR");
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lines = 0, agree = 0, docs = 0;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/data/sample/documents.jsonl", src ? src : "..");
	f = fopen(path, "r");
	tap_ok(f != NULL, "open %s", path);
	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t jerr;
		json_t *o = json_loadb(line, (size_t)len, 0, &jerr);
		const char *text = o ? json_string_value(json_object_get(o, "text")) : NULL;
		const char *p = text;

		docs++;
		while (p && (p = strstr(p, "Căn cứ ")) != NULL) {
			const char *eol = strchr(p, '\n'), *so;
			char buf[VB_CITATION_MAX_BYTES], tok[128];
			size_t n = eol ? (size_t)(eol - p) : strlen(p), t = 0;
			vb_citation c;
			char *want;

			if (n >= sizeof(buf))
				n = sizeof(buf) - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			p += n;
			/* the word after " số " of a cited form */
			so = strstr(buf, " số ");
			if (!so || so[6] < '0' || so[6] > '9' ||
			    !(strstr(buf, "Quyết định số") || strstr(buf, "Nghị định số") ||
			      strstr(buf, "Thông tư số") || strstr(buf, "Nghị quyết số")))
				continue;
			so += 6;
			/* a word, plus the next one when it ends with a separator
			 * ("16/2024/NQ- HĐND") */
			{
				size_t k = 0;

				while (so[k] && so[k] != ',' && so[k] != ';' && so[k] != ')' &&
				       t < sizeof(tok) - 1) {
					if (so[k] == ' ' && !(k && (so[k - 1] == '-' || so[k - 1] == '/')))
						break;
					if (so[k] != ' ')
						tok[t++] = so[k];
					k++;
				}
			}
			tok[t] = '\0';
			while (t && (tok[t - 1] == '.' || tok[t - 1] == ':'))
				tok[--t] = '\0';
			lines++;
			want = vb_docnum_canonical(tok);
			if (!vb_citation_parse(&c, buf, NULL) && want && !strcmp(c.keys.key, want))
				agree++;
			else
				printf("# disagree: \"%s\": got \"%s\", want \"%s\"\n", buf, c.keys.key,
				       want ? want : "(null)");
			free(want);
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	tap_ok(docs >= 400, "read the sample (%zu documents)", docs);
	tap_ok(lines >= 100, "the sample has %zu \"Căn cứ <form> số N\" lines", lines);
	tap_is_int(agree, lines, "the number after \"số\" is found on every such line");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vb_citation c;
		int rc = vb_citation_parse(&c, cases[i].in, NULL);

		tap_is_int(rc, 0, "parse \"%s\"", cases[i].in);
		tap_is_str(c.form, cases[i].form, "  form");
		tap_is_str(c.number, cases[i].number, "  number");
		tap_is_str(c.keys.key, cases[i].key, "  key");
		tap_is_int(c.keys.partial, cases[i].partial, "  partial");
		tap_is_str(c.date, cases[i].date, "  date");
		tap_is_str(c.issuer, cases[i].issuer, "  issuer");
	}
	{
		vb_citation c;
		vb_error err;
		char *big = malloc(VB_CITATION_MAX_BYTES + 2);

		tap_is_int(vb_citation_parse(&c, NULL, &err), VB_EINVAL, "NULL is VB_EINVAL");
		tap_ok(big != NULL, "allocated");
		if (big) {
			memset(big, 'a', VB_CITATION_MAX_BYTES + 1);
			big[VB_CITATION_MAX_BYTES + 1] = '\0';
			tap_is_int(vb_citation_parse(&c, big, &err), VB_ETOOBIG,
				   "a citation over %d bytes is VB_ETOOBIG", VB_CITATION_MAX_BYTES);
			tap_ok(strstr(err.msg, "longer than") != NULL, "the message says why");
			/* many short words: more than the word table holds */
			for (i = 0; i + 2 <= VB_CITATION_MAX_BYTES; i += 2)
				memcpy(big + i, "1 ", 2);
			big[i] = '\0';
			tap_is_int(vb_citation_parse(&c, big, &err), 0, "1000 one-digit words parse");
			free(big);
		}
		tap_is_int(vb_citation_parse(&c, "\xff\xfe 05/2023/QĐ-UBND", NULL), 0,
			   "invalid UTF-8 is tolerated");
		tap_is_str(c.keys.key, "5/2023/QD-UBND", "  and the number is still found");
	}
	for (i = 0; i < sizeof(norms) / sizeof(norms[0]); i++) {
		char out[VB_CITATION_ISSUER_MAX];

		tap_is_int(vb_citation_issuer_normalize(norms[i].in, out, sizeof(out)), 0,
			   "normalize \"%s\"", norms[i].in);
		tap_is_str(out, norms[i].want, "  normalized form of \"%s\"", norms[i].in);
	}
	{
		char small[12];

		vb_citation_issuer_normalize("UBND tỉnh Quảng Ninh", small, sizeof(small));
		tap_is_str(small, "UBND tỉnh", "a short buffer cuts at a word");
	}
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++)
		tap_is_int(vb_citation_issuer_match(matches[i].a, matches[i].b), matches[i].want,
			   "issuer_match(\"%s\", \"%s\")", matches[i].a ? matches[i].a : "(null)",
			   matches[i].b);
	tap_is_str(vb_citation_form_of_type("QD"), "Quyết định", "form of QD");
	tap_ok(vb_citation_form_of_type("UBND") == NULL, "UBND is no form");
	sweep_sample();
	return tap_done();
}
