/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Query language parser (lib/qparse.h), table-driven: each query and the
 * tree it must give (vb_qparse_describe), whether it degraded to plain
 * words with a warning, and limits (length, words, nesting).
 */
#include "qparse.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *q;
	const char *tree;
	int plain;      /* expected to degrade (with a "syntax" warning) */
} cases[] = {
	{ "", "(EMPTY)", 0 },
	{ "quyết định", "(AND \"quyet\" \"dinh\")", 0 },
	{ "\"cong thong tin\"", "(PHRASE \"cong\" \"thong\" \"tin\")", 0 },
	{ "\xe2\x80\x9c" "Cổng thông tin" "\xe2\x80\x9d" " điện tử",
	  "(AND (PHRASE \"cong\" \"thong\" \"tin\") \"dien\" \"tu\")", 0 },
	{ "thuế OR phí", "(OR \"thue\" \"phi\")", 0 },
	{ "a b OR c", "(OR (AND \"a\" \"b\") \"c\")", 0 },
	{ "thuế AND phí", "(AND \"thue\" \"phi\")", 0 },
	{ "thuế -phí", "(AND \"thue\" (NOT \"phi\"))", 0 },
	{ "thuế NOT \"thu nhập\"", "(AND \"thue\" (NOT (PHRASE \"thu\" \"nhap\")))", 0 },
	{ "(thuế OR phí) hải quan", "(AND (OR \"thue\" \"phi\") \"hai\" \"quan\")", 0 },
	{ "so:05/2023/QĐ-UBND", "so:\"05/2023/QĐ-UBND\"", 0 },
	{ "coquan:\"Bộ Tài chính\" thuế", "(AND coquan:\"Bộ Tài chính\" \"thue\")", 0 },
	{ "issuer:BTC", "coquan:\"BTC\"", 0 },
	{ "loai:QĐ nam:2023", "(AND loai:\"QĐ\" nam:2023..2023)", 0 },
	{ "year:2020..2023", "nam:2020..2023", 0 },
	{ "nam:2020-2023", "nam:2020..2023", 0 },
	{ "ngay:2023-01-01..2023-12-31", "ngay:20230101..20231231", 0 },
	{ "ngày:2023", "ngay:20230101..20231231", 0 },
	{ "date:..2020-06", "ngay:..20200631", 0 },
	{ "ngay:01/02/2024..", "ngay:20240201..", 0 },
	{ "tinhtrang:\"còn hiệu lực\"", "tinhtrang:in_force", 0 },
	{ "status:het_hieu_luc", "tinhtrang:expired", 0 },
	{ "Điều 5: quy định", "(AND \"dieu\" \"5\" \"quy\" \"dinh\")", 0 },
	{ "05/2023/QĐ-UBND", "(AND \"05\" \"2023\" \"qd\" \"ubnd\")", 0 },
	/* malformed: plain words (field names dropped, values kept), never an
	 * error */
	{ "\"cong thong tin", "(AND \"cong\" \"thong\" \"tin\")", 1 },
	{ "(thuế OR phí", "(AND \"thue\" \"phi\")", 1 },
	{ "thuế )", "\"thue\"", 1 },
	{ "thuế OR", "\"thue\"", 1 },
	{ "AND thuế", "\"thue\"", 1 },
	{ "NOT", "(EMPTY)", 1 },
	{ "nam:abcd thuế", "(AND \"abcd\" \"thue\")", 1 },
	{ "ngay:2023-13-01", "(AND \"2023\" \"13\" \"01\")", 1 },
	{ "ngay:2024..2020", "(AND \"2024\" \"2020\")", 1 },
	{ "tinhtrang:xyz phí", "(AND \"xyz\" \"phi\")", 1 },
	{ "so: phí", "\"phi\"", 1 },
	{ "()", "(EMPTY)", 1 },
};

int main(void)
{
	char buf[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vb_qparse p;
		int rc = vb_qparse_run(&p, cases[i].q, strlen(cases[i].q), NULL);

		vb_qparse_describe(&p, buf, sizeof(buf));
		tap_ok(rc == 0, "parse '%s'", cases[i].q);
		tap_is_str(buf, cases[i].tree, "tree of '%s'", cases[i].q);
		tap_is_int(p.plain, cases[i].plain, "'%s' %s", cases[i].q,
			   cases[i].plain ? "degrades to plain words" : "parses");
		if (cases[i].plain)
			tap_ok(p.n_warnings >= 1 && !strcmp(p.warnings[0].code, "syntax"),
			       "'%s' warns: %s", cases[i].q, p.n_warnings ? p.warnings[0].msg : "");
		vb_qparse_dispose(&p);
	}

	/* limits */
	{
		char big[4096], *o = big;
		vb_qparse p;

		for (int i = 0; i < 40; i++)
			o += sprintf(o, "w%d ", i);
		vb_qparse_run(&p, big, strlen(big), NULL);
		tap_ok(p.plain && p.n_words == VB_QPARSE_MAX_WORDS && p.n_warnings >= 1,
		       "more than %d words: cut, with a warning", VB_QPARSE_MAX_WORDS);
		vb_qparse_dispose(&p);

		o = big;
		for (int i = 0; i < 20; i++)
			*o++ = '(';
		o += sprintf(o, "thuế");
		for (int i = 0; i < 20; i++)
			*o++ = ')';
		*o = '\0';
		vb_qparse_run(&p, big, strlen(big), NULL);
		tap_ok(p.plain && p.n_words == 1, "nesting beyond %d: plain words",
		       VB_QPARSE_MAX_DEPTH);
		vb_qparse_dispose(&p);

		memset(big, 'a', 3000);
		big[3000] = '\0';
		vb_qparse_run(&p, big, strlen(big), NULL);
		tap_ok(p.n_warnings >= 1 && !strcmp(p.warnings[0].code, "truncated"),
		       "over %d bytes: cut, with a warning", VB_QPARSE_MAX_BYTES);
		vb_qparse_dispose(&p);

		/* many operators: bounded nodes, no crash */
		o = big;
		for (int i = 0; i < 200; i++)
			o += sprintf(o, "-x OR ");
		*o = '\0';
		vb_qparse_run(&p, big, strlen(big), NULL);
		tap_ok(p.plain, "hundreds of operators: plain words");
		vb_qparse_dispose(&p);
	}

	/* word spans point into the normalised text */
	{
		vb_qparse p;

		vb_qparse_run(&p, "quyet  dinh", 11, NULL);
		tap_ok(p.n_words == 2 && p.words[1].start == 7 && p.words[1].len == 4,
		       "word spans");
		vb_qparse_dispose(&p);
	}

	/* words written as one token (synonyms must not match part of one) */
	{
		static const char q[] = "KT-XH kinh tế - xã hội 01/2024/CT-UBND (a-b) \"c\"-d";
		static const unsigned char want[] = { 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0 };
		vb_qparse p;
		int same = 1;

		vb_qparse_run(&p, q, strlen(q), NULL);
		for (size_t i = 0; i + 1 < sizeof(want) && i + 1 < p.n_words; i++)
			same &= p.joined[i] == want[i];
		tap_ok(p.n_words == sizeof(want) + 1 && same,
		       "joined: KT-XH and 01/2024/CT-UBND are tokens, ' - ' and quotes separate");
		vb_qparse_dispose(&p);
		vb_qparse_run(&p, "(KT-XH", 6, NULL);
		tap_ok(p.plain && p.n_words == 2 && p.joined[0] == 1,
		       "joined also in the plain-words fallback");
		vb_qparse_dispose(&p);
	}
	return tap_done();
}
