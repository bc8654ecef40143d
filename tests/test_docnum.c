/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/docnum.c: every spelling of one document number
 * gives one key, distinct numbers give distinct keys, and the query test.
 */
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "tap.h"

static const struct {
	const char *in;
	const char *want; /* NULL: no key */
} cases[] = {
	{ "05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "5/2023/QD-UBND", "5/2023/QD-UBND" },
	{ "05/2023/qđ-ubnd", "5/2023/QD-UBND" },
	{ "05/2023/Q\xc3\x90-UBND", "5/2023/QD-UBND" },            /* U+00D0 */
	{ "05 /2023/ QĐ - UBND", "5/2023/QD-UBND" },
	{ "Số: 05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "Số 05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "So: 05/2023/QD-UBND", "5/2023/QD-UBND" },
	{ "No. 05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "Số ký hiệu: 05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "05/2023/QĐ\xe2\x80\x93UBND", "5/2023/QD-UBND" },        /* en dash */
	{ "05/2023/QĐ\xe2\x88\x92UBND", "5/2023/QD-UBND" },        /* minus */
	{ "05/2023/QĐ\xe2\x80\x90UBND", "5/2023/QD-UBND" },        /* hyphen */
	{ "05\xc2\xa0/2023/QĐ-UBND.", "5/2023/QD-UBND" },          /* NBSP, final dot */
	{ "05/2023/Q\xc4\x90-UBND", "5/2023/QD-UBND" },            /* NFC Đ */
	{ "005/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "101/CP", "101/CP" },
	{ "2828/QĐ-UBND", "2828/QD-UBND" },
	{ "2828/QÐ-UBND", "2828/QD-UBND" },
	{ "31A/2020/QĐ-UBND", "31A/2020/QD-UBND" },
	{ "125/VBHN-VPQH", "125/VBHN-VPQH" },
	{ "101/2015/QH13", "101/2015/QH13" },
	{ "10/2020/NĐ-CP", "10/2020/ND-CP" },
	{ "0/CP", "0/CP" },
	{ "", NULL },
	{ "   ", NULL },
	{ " / - ", NULL },
	{ "Số:", NULL },
};

/* numbers that must not share a key */
static const char *const distinct[] = {
	"05/2023/QĐ-UBND", "50/2023/QĐ-UBND", "5/2022/QĐ-UBND", "5/2023/QĐ-UBNDT",
	"5/2023/NQ-HĐND", "101/CP", "2828/QĐ-UBND", "31A/2020/QĐ-UBND",
	"31/2020/QĐ-UBND", "125/VBHN-VPQH", "31/VBHN-VPQH", "1/2023/QĐ-UBND",
	"10/2023/QĐ-UBND", "105/2023/QĐ-UBND",
};

static const struct {
	const char *q;
	int want;
} looks[] = {
	{ "05/2023/QĐ-UBND", 1 }, { "101/CP", 1 }, { "2828 / QĐ", 1 },
	{ "quyết định 05/2023", 1 }, { "QĐ-UBND", 0 }, { "quảng ninh", 0 },
	{ "a/b", 0 }, { "", 0 }, { "/2023", 0 }, { "2023", 0 },
};

int main(void)
{
	size_t i, j, n = sizeof(distinct) / sizeof(distinct[0]);
	char *keys[sizeof(distinct) / sizeof(distinct[0])];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = vb_docnum_canonical(cases[i].in);

		tap_is_str(k, cases[i].want, "canonical(\"%s\")", cases[i].in);
		free(k);
	}
	tap_ok(vb_docnum_canonical(NULL) == NULL, "canonical(NULL) is NULL");

	for (i = 0; i < n; i++)
		keys[i] = vb_docnum_canonical(distinct[i]);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!keys[i] || !keys[j] || !strcmp(keys[i], keys[j]))
				tap_ok(0, "%s and %s have distinct keys", distinct[i],
				       distinct[j]);
	tap_ok(1, "%zu distinct numbers compared pairwise", n);
	for (i = 0; i < n; i++)
		free(keys[i]);

	for (i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
		tap_is_int(vb_docnum_looks_like(looks[i].q), looks[i].want,
		           "looks_like(\"%s\")", looks[i].q);
	tap_is_int(vb_docnum_looks_like(NULL), 0, "looks_like(NULL)");
	return tap_done();
}
