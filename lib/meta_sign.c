/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signature block of a document (part of meta.c, contract in meta.h):
 * the signer's name and title, with the authority prefix (TM., KT., ...).
 */
#include "meta_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

static const char *const sig_prefixes[] = {
	"tm.", "kt.", "tl.", "tuq.", "q.", "pp.", "tm ", "kt ", "tl ", "tuq ",
};
static const char *const sig_titles[] = {
	"chu tich", "pho chu tich", "bo truong", "thu truong", "thu tuong",
	"pho thu tuong", "cuc truong", "pho cuc truong", "giam doc", "pho giam doc",
	"chanh van phong", "pho chanh van phong", "tong giam doc", "pho tong giam doc",
	"chu nhiem", "pho chu nhiem", "truong ban", "pho truong ban", "thong doc",
	"pho thong doc", "tong cuc truong", "pho tong cuc truong", "vu truong",
	"pho vu truong", "chanh an", "vien truong", "tong kiem toan", "tong thu ky",
	"bi thu", "pho bi thu", "chanh thanh tra", "truong phong", "pho truong phong",
	"chu tich quoc hoi", "pho chu tich quoc hoi", "tong bi thu", "chu tich nuoc",
	"truong doan", "tong thanh tra", "chi cuc truong", "pho chi cuc truong",
	"thu tuong chinh phu",
};

/* Kind of a signature line: 2 prefixed (TM./KT./...), 1 bare title, 0 no. */
static int sig_kind(const ctx *c, size_t a, size_t b)
{
	size_t i;
	const char *s = c->f + a;
	size_t n = b - a;

	if (n == 0 || n > 80 || !meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]))
		return 0;
	for (i = 0; i < sizeof(sig_prefixes) / sizeof(sig_prefixes[0]); i++)
		if (meta_starts(s, n, sig_prefixes[i]))
			return 2;
	for (i = 0; i < sizeof(sig_titles) / sizeof(sig_titles[0]); i++) {
		size_t tl = strlen(sig_titles[i]);

		if (n >= tl && !memcmp(s, sig_titles[i], tl) && (n == tl || s[tl] == ' '))
			return 1;
	}
	return 0;
}

static const struct {
	const char *fold;
	const char *name;
} title_names[] = {
	{ "chu tich", "Chủ tịch" }, { "pho chu tich", "Phó Chủ tịch" },
	{ "thu tuong", "Thủ tướng" }, { "pho thu tuong", "Phó Thủ tướng" },
	{ "bo truong", "Bộ trưởng" }, { "thu truong", "Thứ trưởng" },
	{ "cuc truong", "Cục trưởng" }, { "pho cuc truong", "Phó Cục trưởng" },
	{ "giam doc", "Giám đốc" }, { "pho giam doc", "Phó Giám đốc" },
	{ "chu tich quoc hoi", "Chủ tịch Quốc hội" },
	{ "pho chu tich quoc hoi", "Phó Chủ tịch Quốc hội" },
	{ "chu nhiem", "Chủ nhiệm" }, { "pho chu nhiem", "Phó Chủ nhiệm" },
	{ "truong ban", "Trưởng ban" }, { "pho truong ban", "Phó Trưởng ban" },
	{ "thong doc", "Thống đốc" }, { "pho thong doc", "Phó Thống đốc" },
	{ "chanh van phong", "Chánh Văn phòng" },
	{ "pho chanh van phong", "Phó Chánh Văn phòng" },
};

static char *title_value(const ctx *c, size_t a, size_t b)
{
	const char *s = c->f + a;
	size_t n = b - a, i, pre = 0;
	char prefix[8] = "";
	char *orig, *res;

	if (meta_starts(s, n, "q. ") || meta_starts(s, n, "kt. ") || meta_starts(s, n, "tl. ") ||
	    meta_starts(s, n, "tm. ") || meta_starts(s, n, "tuq. ") || meta_starts(s, n, "pp. ")) {
		pre = (size_t)((const char *)memchr(s, ' ', n) - s) + 1;
		memcpy(prefix, s, pre);
		prefix[pre] = '\0';
		prefix[0] = (char)toupper((unsigned char)prefix[0]);
		if (pre > 3)
			prefix[1] = (char)toupper((unsigned char)prefix[1]);
		if (pre > 4)
			prefix[2] = (char)toupper((unsigned char)prefix[2]);
	}
	for (i = 0; i < sizeof(title_names) / sizeof(title_names[0]); i++)
		if (n - pre == strlen(title_names[i].fold) &&
		    !memcmp(s + pre, title_names[i].fold, n - pre)) {
			res = malloc(strlen(prefix) + strlen(title_names[i].name) + 1);
			if (res) {
				strcpy(res, prefix);
				strcat(res, title_names[i].name);
			}
			return res;
		}
	orig = meta_clean_f(c, a + pre, b);
	if (!orig)
		return NULL;
	res = meta_case_map(orig, CASE_SENTENCE);
	free(orig);
	if (res && pre) {
		char *r2 = malloc(strlen(prefix) + strlen(res) + 1);

		if (r2) {
			strcpy(r2, prefix);
			strcat(r2, res);
		}
		free(res);
		res = r2;
	}
	return res;
}

static int is_sig_junk(const ctx *c, size_t a, size_t b)
{
	const char *s = c->f + a;
	size_t n = b - a;

	return meta_starts(s, n, "(da ky") || meta_starts(s, n, "da ky") || meta_starts(s, n, "[da") ||
	       meta_starts(s, n, "(ky") || meta_starts(s, n, "ky ten") || meta_starts(s, n, "(chu ky") ||
	       meta_starts(s, n, "(dau)") || meta_starts(s, n, "(da ky)");
}

/* Title Case words only (a signer's name), 1..6 words. */
static int name_words(const ctx *c, size_t a, size_t b)
{
	size_t so = c->map[a], eo = meta_oend(c, b), i = so, l, words = 0;
	int at_word = 1, lower = 0;

	if (b - a > 45)
		return 0;
	while (i < eo) {
		int32_t cp = meta_cp_at(c->t, eo, i, &l);
		utf8proc_category_t cat = utf8proc_category(cp);

		if (cp == ' ' || cp == '_' || cp == '|') {
			at_word = 1;
		} else if (cp < 0x80 && meta_is_noise((unsigned char)cp)) {
			/* markdown inside a name: "H****òa" */
		} else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
			   cat == UTF8PROC_CATEGORY_MN) {
			if (at_word) {
				if (cat != UTF8PROC_CATEGORY_LU)
					return 0;
				words++;
			} else if (cat == UTF8PROC_CATEGORY_LL) {
				lower = 1;
			}
			at_word = 0;
		} else {
			return 0;
		}
		i += l;
	}
	/* an all-capitals line is a title or an organ, not a name */
	return lower && words <= 6 ? (int)words : 0;
}

/* Signature block starting at title line [a, b): the name after it. */
static int signer_at(ctx *c, size_t a, size_t b, size_t next, int k)
{
	size_t ta = a, tb = b, p2 = next, a2, b2, n2;
	int lines = 0, kinds = k;

	/* further title lines of the block (wrapped organ names too) */
	while (meta_line_at(c, p2, &a2, &b2, &n2) && lines < 8) {
		int k2;

		if (a2 == b2) {
			p2 = n2;
			continue;
		}
		k2 = sig_kind(c, a2, b2);
		if (!k2 && !(b2 - a2 < 60 &&
			     meta_is_upper(c->t + c->map[a2], meta_oend(c, b2) - c->map[a2])))
			break;
		if (++lines > 5)
			break;
		kinds |= k2;
		if (k2) {
			ta = a2;
			tb = b2;
		}
		p2 = n2;
	}
	lines = 0;
	while (meta_line_at(c, p2, &a2, &b2, &n2) && lines < 10) {
		size_t na = a2, nb = b2, a3, b3, n3;
		int w;

		if (a2 == b2 || is_sig_junk(c, a2, b2)) {
			p2 = n2;
			lines += a2 != b2;
			continue;
		}
		{
			/* military rank before the name */
			static const char *const ranks[] = {
				"dai tuong ", "thuong tuong ", "trung tuong ", "thieu tuong ",
				"dai ta ", "thuong ta ", "trung ta ", "thieu ta ",
			};
			size_t r;

			for (r = 0; r < sizeof(ranks) / sizeof(ranks[0]); r++)
				if (meta_starts(c->f + a2, b2 - a2, ranks[r])) {
					a2 += strlen(ranks[r]);
					na = a2;
					break;
				}
		}
		w = name_words(c, a2, b2);
		if (!w)
			return 0;
		/* a name wrapped over two lines: "Lê Tấn" / "Cận" */
		if (w < 4 && meta_line_at(c, n2, &a3, &b3, &n3) && a3 < b3) {
			int w3 = name_words(c, a3, b3);

			if (w3 && w + w3 <= 5 && (w == 1 || w3 == 1) && b3 - a3 < 20)
				nb = b3;
		}
		if (w == 1 && nb == b2)
			return 0;
		{
			char *name = meta_clean_f(c, na, nb);
			double conf = (kinds & 2) ? 0.9 : 0.8;

			meta_field_set(c, &c->m->signer, name, conf, na, nb);
			meta_field_set(c, &c->m->signer_title, title_value(c, ta, tb), conf, ta, tb);
			c->sig_start = a;
			return 1;
		}
	}
	return 0;
}

void meta_find_signer(ctx *c)
{
	size_t pos, a, b, next;
	int pass;

	c->sig_start = c->fn;
	for (pass = 0; pass < 2; pass++) {
		pos = pass == 0 ? c->body_start : 0;
		while (meta_line_at(c, pos, &a, &b, &next)) {
			int k = sig_kind(c, a, b);

			if (k && signer_at(c, a, b, next, k))
				return;
			pos = next;
		}
		if (c->body_start == 0)
			break;
	}
	meta_warn(c->m, "no signature block with a signer name found");
}
