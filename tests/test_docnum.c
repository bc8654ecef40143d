/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/docnum.c: every spelling of one document number
 * gives one key, distinct numbers give distinct keys, and the query test.
 */
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "error.h"
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
	/* the form written first: a prefix key without the issuer part */
	{ "QĐ 05/2023", "5/2023/QD" },
	{ "QD 5/2023", "5/2023/QD" },
	{ "q\xc3\xb0 05/2023", "5/2023/QD" },                   /* ð look-alike */
	{ "Quyết định số 05/2023", "5/2023/QD" },
	{ "Quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh 05/2023", "5/2023/QD" }, /* NFD */
	{ "NQ 12/2020", "12/2020/NQ" },
	{ "QĐ 2828", "2828/QD" },
	{ "Quyết định số 05/2023/QĐ-UBND", "5/2023/QD-UBND" },
	{ "Thông tư liên tịch 03/2010", "3/2010/TTLT" },
	{ "Số: 05 /2023/QĐ-UBND", "5/2023/QD-UBND" },
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

/* vb_docnum_split: key, number, year, symbol, type, number_year,
 * number_type, partial */
static const struct {
	const char *in;
	const char *key, *number;
	int year;
	const char *symbol, *type, *number_year, *number_type;
	int partial;
} splits[] = {
	{ "05/2023/QĐ-UBND", "5/2023/QD-UBND", "5", 2023, "QD-UBND", "QD", "5/2023", "5/2023/QD", 0 },
	{ "QĐ 05/2023", "5/2023/QD", "5", 2023, "QD", "QD", "5/2023", "5/2023/QD", 1 },
	{ "101/CP", "101/CP", "101", 0, "CP", "CP", "", "101/CP", 0 },
	{ "2828/QĐ-UBND", "2828/QD-UBND", "2828", 0, "QD-UBND", "QD", "", "2828/QD", 0 },
	{ "31A/2020/QĐ-UBND", "31A/2020/QD-UBND", "31A", 2020, "QD-UBND", "QD", "31A/2020", "31A/2020/QD", 0 },
	{ "101/2015/QH13", "101/2015/QH13", "101", 2015, "QH13", "QH13", "101/2015", "101/2015/QH13", 0 },
	{ "05/2023", "5/2023", "5", 2023, "", "", "5/2023", "", 0 },
	{ "125/VBHN-VPQH", "125/VBHN-VPQH", "125", 0, "VBHN-VPQH", "VBHN", "", "125/VBHN", 0 },
	{ "QD-UBND", "QD-UBND", "", 0, "", "", "", "", 0 },
};

static const struct {
	const char *stored, *partial;
	int want;
} matches[] = {
	{ "5/2023/QD-UBND", "5/2023/QD", 1 }, { "5/2023/QD-UBND", "5/2023", 1 },
	{ "5/2023/QD-UBND", "5/2023/QD-UBND", 1 }, { "5/2023/QD", "5/2023/QD", 1 },
	{ "5/2023/QD-UBND", "5/2023/Q", 0 }, { "5/2023/QD-UBND", "5/202", 0 },
	{ "50/2023/QD-UBND", "5/2023", 0 }, { "5/2023/QDX", "5/2023/QD", 0 },
	{ "2828/QD-UBND", "2828/QD", 1 }, { NULL, "5", 0 }, { "5/2023", "", 0 },
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

	/* every spelling of the issue meets on one key */
	{
		static const char *const spellings[] = {
			"05/2023/QĐ-UBND", "5/2023/QD-UBND", "05/2023/qđ-ubnd",
			"05/2023/Q\xc3\x90-UBND", "05 /2023/ QĐ - UBND",
		};
		vb_docnum_keys qd;

		tap_is_int(vb_docnum_split(&qd, "QĐ 05/2023"), 0, "split(\"QĐ 05/2023\")");
		for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
			char *k = vb_docnum_canonical(spellings[i]);

			tap_is_str(k, "5/2023/QD-UBND", "spelling \"%s\"", spellings[i]);
			tap_ok(vb_docnum_key_matches(k, qd.key), "QĐ 05/2023 prefix-matches \"%s\"",
			       spellings[i]);
			free(k);
		}
	}

	for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		vb_docnum_keys k;
		int rc = vb_docnum_split(&k, splits[i].in);

		tap_is_int(rc, 0, "split(\"%s\") succeeds", splits[i].in);
		tap_is_str(k.key, splits[i].key, "split(\"%s\").key", splits[i].in);
		tap_is_str(k.number, splits[i].number, "split(\"%s\").number", splits[i].in);
		tap_is_int(k.year, splits[i].year, "split(\"%s\").year", splits[i].in);
		tap_is_str(k.symbol, splits[i].symbol, "split(\"%s\").symbol", splits[i].in);
		tap_is_str(k.type, splits[i].type, "split(\"%s\").type", splits[i].in);
		tap_is_str(k.number_year, splits[i].number_year, "split(\"%s\").number_year",
			   splits[i].in);
		tap_is_str(k.number_type, splits[i].number_type, "split(\"%s\").number_type",
			   splits[i].in);
		tap_is_int(k.partial, splits[i].partial, "split(\"%s\").partial", splits[i].in);
	}
	{
		vb_docnum_keys k;
		char *big = malloc(VB_DOCNUM_MAX_BYTES + 2);

		tap_is_int(vb_docnum_split(&k, NULL), VB_EINVAL, "split(NULL) is VB_EINVAL");
		tap_is_int(vb_docnum_split(&k, " / "), VB_EINVAL, "split(\" / \") is VB_EINVAL");
		tap_ok(big != NULL, "allocated a long number");
		if (big) {
			memset(big, '1', VB_DOCNUM_MAX_BYTES + 1);
			big[VB_DOCNUM_MAX_BYTES + 1] = '\0';
			tap_is_int(vb_docnum_split(&k, big), VB_ETOOBIG, "split of %d bytes is VB_ETOOBIG",
				   VB_DOCNUM_MAX_BYTES + 1);
			memset(big, '1', 200);
			big[200] = '\0';
			tap_is_int(vb_docnum_split(&k, big), VB_ETOOBIG, "a 200-digit key does not fit");
		}
		free(big);
	}
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++)
		tap_is_int(vb_docnum_key_matches(matches[i].stored, matches[i].partial),
			   matches[i].want, "key_matches(\"%s\", \"%s\")",
			   matches[i].stored ? matches[i].stored : "(null)", matches[i].partial);
	return tap_done();
}
