/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/eli.c: building the ELI path of documents of
 * every usual shape, and normalising requested paths.
 */
#include <string.h>

#include "eli.h"
#include "error.h"
#include "tap.h"

static const struct {
	const char *number, *form, *issuer, *date;
	const char *want; /* NULL: no ELI */
} builds[] = {
	{ "05/2023/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2023-02-16",
	  "/eli/vn/quang-ninh/ubnd/qd/2023/05" },
	{ "Số: 05 /2023/QÐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Quảng Ninh", NULL,
	  "/eli/vn/quang-ninh/ubnd/qd/2023/05" },
	{ "31A/2020/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2020-09-04",
	  "/eli/vn/quang-ninh/ubnd/qd/2020/31a" },
	{ "2828/QĐ-UBND", "Quyết định", "UBND Thành phố Hồ Chí Minh", "2025-11-20",
	  "/eli/vn/ho-chi-minh/ubnd/qd/2025/2828" },
	{ "2828/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Trị", "2025-11-20",
	  "/eli/vn/quang-tri/ubnd/qd/2025/2828" },
	{ "10/2020/NĐ-CP", "Nghị định", "Chính phủ", "2020-01-17", "/eli/vn/tw/cp/nd/2020/10" },
	{ "101/2015/QH13", "Bộ luật", "Quốc hội", "2015-11-27", "/eli/vn/tw/qh13/bl/2015/101" },
	{ "17809/BTC-CTK", "Công văn", "Bộ Tài chính", "2025-11-20",
	  "/eli/vn/tw/btc-ctk/cv/2025/17809" },
	{ "12/2021/NQ-HĐND", "Nghị quyết", "HĐND tỉnh Sơn La", "2021-07-01",
	  "/eli/vn/son-la/hdnd/nq/2021/12" },
	{ "12/CT-TTg", NULL, "Thủ tướng Chính phủ", "2024-03-01", "/eli/vn/tw/ttg/ct/2024/12" },
	{ NULL, "Hiến pháp", "Quốc hội", "2013-11-28", "/eli/vn/tw/khong-ro/hien-phap/2013/khong-so" },
	{ "45/QĐ-UBND", "Quyết định", NULL, NULL, "/eli/vn/khong-ro/ubnd/qd/khong-nam/45" },
	{ NULL, "Quyết định", "UBND tỉnh Quảng Ninh", NULL, NULL },
};

static const struct {
	const char *in, *want; /* want NULL: invalid */
} norms[] = {
	{ "/eli/vn/quang-ninh/ubnd/qd/2023/05", "/eli/vn/quang-ninh/ubnd/qd/2023/5" },
	{ "/eli/vn/quang-ninh/ubnd/qd/2023/5/", "/eli/vn/quang-ninh/ubnd/qd/2023/5" },
	{ "/eli/vn/Quảng-Ninh/UBND/QĐ/2023/005", "/eli/vn/quang-ninh/ubnd/qd/2023/5" },
	{ "/eli/vn/quang-ninh/ubnd/qd/2020/031A", "/eli/vn/quang-ninh/ubnd/qd/2020/31a" },
	{ "/eli/vn/quang-ninh", "/eli/vn/quang-ninh" },
	{ "/eli/vn/quang-ninh/ubnd/qd/2023/05/x", NULL },
	{ "/eli/vn/quang-ninh//qd", NULL },
	{ "/eli/vn/", NULL },
	{ "/eli/fr/x", NULL },
	{ "/eli/vn/%%%/x", NULL },
};

int main(void)
{
	char out[VB_ELI_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		rc = vb_eli_build(builds[i].number, builds[i].form, builds[i].issuer, builds[i].date,
				  out, sizeof(out));
		if (builds[i].want)
			tap_ok(rc == 0 && !strcmp(out, builds[i].want), "eli of %s: %s (got %s)",
			       builds[i].number ? builds[i].number : "(none)", builds[i].want, out);
		else
			tap_ok(rc == VB_EINVAL && !*out, "no eli for %s",
			       builds[i].number ? builds[i].number : "(none)");
	}
	for (i = 0; i < sizeof(norms) / sizeof(norms[0]); i++) {
		rc = vb_eli_normalize(norms[i].in, out, sizeof(out));
		if (norms[i].want)
			tap_ok(rc == 0 && !strcmp(out, norms[i].want), "normalize %s -> %s (got %s)",
			       norms[i].in, norms[i].want, out);
		else
			tap_ok(rc == VB_EINVAL, "normalize %s refused", norms[i].in);
	}
	/* a built ELI normalises to itself modulo leading zeros */
	vb_eli_build("05/2023/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", NULL, out, sizeof(out));
	{
		char n1[VB_ELI_MAX], n2[VB_ELI_MAX];

		tap_ok(!vb_eli_normalize(out, n1, sizeof(n1)) &&
		       !vb_eli_normalize("/eli/vn/quang-ninh/ubnd/qd/2023/5", n2, sizeof(n2)) &&
		       !strcmp(n1, n2), "05 and 5 meet");
	}
	tap_is_int((int)vb_eli_slug("Cổng  thông-tin Đ", out, sizeof(out)), 16, "slug length");
	tap_is_str(out, "cong-thong-tin-d", "slug");
	return tap_done();
}
