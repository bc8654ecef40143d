/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Metadata fields found in the header block of a document (part of meta.c,
 * contract in meta.h): the number ("Số:" line), the place-and-date line,
 * the issuer from the organ lines, and the form (heading) with the
 * abstract under it; also the tables of forms, symbol codes and organs,
 * and vb_meta_form_from_number.
 */
#include "meta_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "docnum.h"
#include "text.h"

/* ------------------------------------------------------------------ */
/* Tables                                                              */

const struct meta_form_name meta_form_names[] = {
	{ "quyet dinh", "Quyết định" }, { "nghi quyet", "Nghị quyết" },
	{ "chi thi", "Chỉ thị" }, { "ke hoach", "Kế hoạch" },
	{ "thong bao", "Thông báo" }, { "thong tu lien tich", "Thông tư liên tịch" },
	{ "thong tu", "Thông tư" }, { "nghi dinh", "Nghị định" },
	{ "bo luat", "Bộ luật" }, { "luat", "Luật" }, { "phap lenh", "Pháp lệnh" },
	{ "lenh", "Lệnh" }, { "cong dien", "Công điện" },
	{ "van ban hop nhat", "Văn bản hợp nhất" }, { "bao cao", "Báo cáo" },
	{ "to trinh", "Tờ trình" }, { "huong dan", "Hướng dẫn" },
	{ "quy che", "Quy chế" }, { "quy dinh", "Quy định" },
	{ "chuong trinh", "Chương trình" }, { "de an", "Đề án" },
	{ "phuong an", "Phương án" }, { "hien phap", "Hiến pháp" },
	{ "sac lenh", "Sắc lệnh" }, { "cong van", "Công văn" },
	{ "bien ban", "Biên bản" }, { "giay moi", "Giấy mời" },
	{ "ket luan", "Kết luận" }, { "thong cao", "Thông cáo" },
};
const size_t meta_n_form_names = sizeof(meta_form_names) / sizeof(meta_form_names[0]);

static const char *form_name(const char *fold, size_t n)
{
	size_t i;

	for (i = 0; i < meta_n_form_names; i++)
		if (strlen(meta_form_names[i].fold) == n && !memcmp(meta_form_names[i].fold, fold, n))
			return meta_form_names[i].name;
	return NULL;
}

static const struct {
	const char *code;  /* upper-case folded symbol code */
	const char *form;
} form_codes[] = {
	{ "QD", "Quyết định" }, { "NQ", "Nghị quyết" }, { "CT", "Chỉ thị" },
	{ "KH", "Kế hoạch" }, { "TB", "Thông báo" }, { "TTLT", "Thông tư liên tịch" },
	{ "TT", "Thông tư" }, { "ND", "Nghị định" }, { "CD", "Công điện" },
	{ "VBHN", "Văn bản hợp nhất" }, { "BC", "Báo cáo" }, { "TTR", "Tờ trình" },
	{ "HD", "Hướng dẫn" }, { "KL", "Kết luận" }, { "CTR", "Chương trình" },
	{ "DA", "Đề án" }, { "PA", "Phương án" }, { "L", "Lệnh" },
};

/* Upper-case folded symbol of a number: the part after the number proper
 * and an optional year ("05/2023/QĐ-UBND" -> "QD-UBND"). */
static int number_symbol(const char *number, char *out, size_t cap)
{
	char *canon = vb_docnum_canonical(number), *p, *q;
	size_t n;

	out[0] = '\0';
	if (!canon)
		return -1;
	p = strchr(canon, '/');
	if (!p) {
		free(canon);
		return -1;
	}
	p++;
	q = strchr(p, '/');
	if (q && q - p == 4 && isdigit((unsigned char)p[0]))
		p = q + 1;
	n = strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	free(canon);
	return 0;
}

const char *vb_meta_form_from_number(const char *number)
{
	char sym[128], first[32];
	size_t i, k = 0;

	if (!number || number_symbol(number, sym, sizeof(sym)))
		return NULL;
	while (sym[k] && sym[k] != '-' && sym[k] != '/' && k + 1 < sizeof(first)) {
		first[k] = sym[k];
		k++;
	}
	first[k] = '\0';
	if (!k)
		return NULL;
	if (strstr(sym, "VBHN"))
		return "Văn bản hợp nhất";
	for (i = 0; i < sizeof(form_codes) / sizeof(form_codes[0]); i++)
		if (!strcmp(first, form_codes[i].code))
			return form_codes[i].form;
	if (!strncmp(first, "QH", 2) && !sym[k])
		return "Luật";
	if (sym[k] == '-' || isalpha((unsigned char)first[0]))
		return "Công văn";
	return NULL;
}

/* Issuer implied by the last part of a symbol ("QĐ-TTg" -> Thủ tướng). */
static const struct {
	const char *code;
	const char *issuer;
} issuer_codes[] = {
	{ "TTG", "Thủ tướng Chính phủ" }, { "CP", "Chính phủ" },
	{ "VPCP", "Văn phòng Chính phủ" }, { "VPQH", "Văn phòng Quốc hội" },
	{ "UBTVQH", "Ủy ban Thường vụ Quốc hội" }, { "BTC", "Bộ Tài chính" },
	{ "BYT", "Bộ Y tế" }, { "BNV", "Bộ Nội vụ" }, { "BXD", "Bộ Xây dựng" },
	{ "BQP", "Bộ Quốc phòng" }, { "BCA", "Bộ Công an" }, { "BTP", "Bộ Tư pháp" },
	{ "BCT", "Bộ Công Thương" }, { "BKHCN", "Bộ Khoa học và Công nghệ" },
	{ "BNNMT", "Bộ Nông nghiệp và Môi trường" },
	{ "BGDDT", "Bộ Giáo dục và Đào tạo" },
	{ "BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch" },
	{ "BLDTBXH", "Bộ Lao động - Thương binh và Xã hội" },
	{ "BKHDT", "Bộ Kế hoạch và Đầu tư" }, { "BTTTT", "Bộ Thông tin và Truyền thông" },
	{ "BGTVT", "Bộ Giao thông vận tải" }, { "BTNMT", "Bộ Tài nguyên và Môi trường" },
	{ "BNG", "Bộ Ngoại giao" }, { "NHNN", "Ngân hàng Nhà nước Việt Nam" },
	{ "BDTTG", "Ủy ban Dân tộc" },
};

static const char *issuer_from_number(const char *number)
{
	char sym[128], *last;
	size_t i;

	if (!number || number_symbol(number, sym, sizeof(sym)))
		return NULL;
	last = strrchr(sym, '-');
	last = last ? last + 1 : sym;
	if (!strncmp(last, "QH", 2) && (last[2] == '\0' || isdigit((unsigned char)last[2])))
		return "Quốc hội";
	for (i = 0; i < sizeof(issuer_codes) / sizeof(issuer_codes[0]); i++)
		if (!strcmp(last, issuer_codes[i].code))
			return issuer_codes[i].issuer;
	/* công văn "17809/BTC-CTK": the organ first, then its unit */
	if (last != sym) {
		size_t fl = (size_t)(strchr(sym, '-') - sym);

		if (fl == 2 && !strncmp(sym, "CT", 2))
			return "Cục Thuế";
		if (fl == 3 && !strncmp(sym, "CHQ", 3))
			return "Cục Hải quan";
		for (i = 0; i < sizeof(issuer_codes) / sizeof(issuer_codes[0]); i++)
			if (strlen(issuer_codes[i].code) == fl &&
			    !strncmp(sym, issuer_codes[i].code, fl) && fl > 2)
				return issuer_codes[i].issuer;
	}
	return NULL;
}

/* Folded starts of a line that names an organ in a header block. */
static const char *const org_heads[] = {
	"uy ban", "hoi dong", "bo ", "cuc ", "tong cuc", "so ", "van phong",
	"chinh phu", "thu tuong", "quoc hoi", "ngan hang", "toa an", "vien ",
	"ban ", "kiem toan", "bao hiem xa hoi", "thue ", "chi cuc", "tinh uy",
	"thanh uy", "dang uy", "ubnd", "hdnd", "truong ", "trung tam", "cong an",
	"bo chi huy", "doan ", "mat tran", "tong lien doan", "thanh tra",
	"kho bac", "hai quan", "chu tich", "vu ", "uy ban",
};

static int is_org_start(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(org_heads) / sizeof(org_heads[0]); i++)
		if (meta_starts(s, n, org_heads[i]))
			return 1;
	return 0;
}

/* Folded words for administrative levels, kept lower case in names. */
static const char *const levels[] = {
	"thanh pho ", "thi xa ", "thi tran ", "dac khu ", "tinh ", "huyen ",
	"quan ", "xa ", "phuong ",
};

/* "TỈNH QUẢNG NINH" -> "tỉnh Quảng Ninh" (orig and its fold). */
static char *place_case(const char *orig, const char *fold)
{
	size_t i, words = 0, k;
	char *title, *lower, *out;
	const char *p;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strncmp(fold, levels[i], strlen(levels[i]))) {
			for (p = levels[i]; *p; p++)
				if (*p == ' ')
					words++;
			break;
		}
	title = meta_case_map(orig, CASE_TITLE);
	lower = meta_case_map(orig, CASE_LOWER);
	if (!title || !lower) {
		free(title);
		free(lower);
		return NULL;
	}
	/* The first `words` words from lower, the rest from title. */
	for (k = 0, p = title; *p && words; p++)
		if (*p == ' ' && ++k == words)
			break;
	out = malloc(strlen(title) + 1);
	if (out) {
		size_t cut = (size_t)(p - title);

		memcpy(out, lower, cut);
		strcpy(out + cut, title + cut);
	}
	free(title);
	free(lower);
	return out;
}

/* "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" -> "Bộ Văn hóa, Thể thao và Du lịch":
 * the first `caps` words capitalised, then words after ", ", " - " and
 * " và ". */
static char *organ_case(const char *orig, int caps)
{
	char *low = meta_case_map(orig, CASE_LOWER), *out;
	size_t i = 0, n, l, o = 0;
	int word = 0, cap_next = 1;

	if (!low)
		return NULL;
	n = strlen(low);
	out = malloc(n * 2 + 8);
	if (!out) {
		free(low);
		return NULL;
	}
	while (i < n) {
		int32_t cp = meta_cp_at(low, n, i, &l);
		int letter = utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;

		if (letter && cap_next)
			cp = utf8proc_toupper(cp);
		if (letter)
			cap_next = 0;
		if (cp == ' ') {
			word++;
			cap_next = word < caps;
			if ((o > 0 && (out[o - 1] == ',' || out[o - 1] == '-')) ||
			    !strncmp(low + i, " và ", strlen(" và ")))
				cap_next = cap_next || (o > 0 && (out[o - 1] == ',' || out[o - 1] == '-'));
		}
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
		i += l;
		if (o >= 5 && !memcmp(out + o - 5, " và ", 5))
			cap_next = 1;
	}
	out[o] = '\0';
	free(low);
	return out;
}

/* Normalised issuer from one header-block organ name (orig + fold), or
 * NULL when it is not an organ we can name. */
static char *issuer_normalise(const char *orig, const char *fold)
{
	static const struct {
		const char *fold;
		const char *name;
	} fixed[] = {
		{ "chinh phu", "Chính phủ" }, { "thu tuong chinh phu", "Thủ tướng Chính phủ" },
		{ "thu tuong", "Thủ tướng Chính phủ" },
		{ "van phong chinh phu", "Văn phòng Chính phủ" }, { "quoc hoi", "Quốc hội" },
		{ "van phong quoc hoi", "Văn phòng Quốc hội" },
		{ "uy ban thuong vu quoc hoi", "Ủy ban Thường vụ Quốc hội" },
		{ "chu tich nuoc", "Chủ tịch nước" },
		{ "ngan hang nha nuoc viet nam", "Ngân hàng Nhà nước Việt Nam" },
		{ "bao hiem xa hoi viet nam", "Bảo hiểm xã hội Việt Nam" },
		{ "cuc thue", "Cục Thuế" }, { "cuc hai quan", "Cục Hải quan" },
		{ "bo cong thuong", "Bộ Công Thương" },
	};
	static const struct {
		const char *fold;
		const char *abbr;
	} councils[] = {
		{ "chu tich uy ban nhan dan ", "UBND " }, { "uy ban nhan dan ", "UBND " },
		{ "hoi dong nhan dan ", "HĐND " }, { "ubnd ", "UBND " }, { "hdnd ", "HĐND " },
		{ "thuong truc hoi dong nhan dan ", "Thường trực HĐND " },
	};
	size_t i, k, skip;
	const char *o;
	char *place, *out;

	if (!strncmp(fold, "bo truong bo ", 13)) {
		/* authority line "BỘ TRƯỞNG BỘ TÀI CHÍNH" */
		for (o = orig, k = 0; *o && k < 2; o++)
			if (*o == ' ')
				k++;
		return issuer_normalise(o, fold + 10);
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(fold, fixed[i].fold))
			return strdup(fixed[i].name);
	for (i = 0; i < sizeof(councils) / sizeof(councils[0]); i++) {
		size_t fl = strlen(councils[i].fold);

		if (strncmp(fold, councils[i].fold, fl))
			continue;
		/* skip as many words in orig as in the folded prefix */
		for (skip = 0, k = 0; k < fl; k++)
			if (councils[i].fold[k] == ' ')
				skip++;
		for (o = orig, k = 0; *o && k < skip; o++)
			if (*o == ' ')
				k++;
		if (!*o)
			return NULL;
		place = place_case(o, fold + fl);
		if (!place)
			return NULL;
		out = malloc(strlen(councils[i].abbr) + strlen(place) + 1);
		if (out) {
			strcpy(out, councils[i].abbr);
			strcat(out, place);
		}
		free(place);
		return out;
	}
	{
		/* "THUẾ TỈNH TÂY NINH", "SỞ TÀI CHÍNH THÀNH PHỐ HÀ NỘI" */
		static const char *const lv[] = { " tinh ", " thanh pho ", " huyen " };
		const char *hit = NULL;

		for (i = 0; i < sizeof(lv) / sizeof(lv[0]) && !hit; i++)
			hit = strstr(fold, lv[i]);
		if (hit && is_org_start(fold, strlen(fold))) {
			size_t words = 0, w;
			const char *q;
			char *head, *pl, *res = NULL;

			for (q = fold; q <= hit; q++)
				if (*q == ' ')
					words++;
			for (o = orig, w = 0; *o && w < words; o++)
				if (*o == ' ')
					w++;
			head = strndup(orig, (size_t)(o - orig) - 1);
			pl = place_case(o, hit + 1);
			if (head && pl) {
				char *hc = organ_case(head, 2);

				if (hc && (res = malloc(strlen(hc) + strlen(pl) + 2)))
					sprintf(res, "%s %s", hc, pl);
				free(hc);
			}
			free(head);
			free(pl);
			return res;
		}
	}
	if (!strncmp(fold, "bo ", 3))
		return organ_case(orig, 2);
	if (!strncmp(fold, "tong cuc ", 9) || !strncmp(fold, "chi cuc ", 8) ||
	    !strncmp(fold, "van phong ", 10))
		return organ_case(orig, 3);
	if (is_org_start(fold, strlen(fold)))
		return organ_case(orig, 2);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */

/* Number candidates in F[from, to): mode 0 = "Số:" with a colon, 1 = a
 * "Số ..." line that holds nothing but the number.  Returns 1 and sets
 * *na, *nb (the number) and *ls (its line start). */
static int number_scan(const ctx *c, size_t from, size_t to, int mode, size_t *na, size_t *nb,
		       size_t *ls_out)
{
	regmatch_t rm[8];

	while (meta_rx(c, c->re_num, from, to, rm, 8)) {
		size_t a = (size_t)rm[3].rm_so, b = (size_t)rm[3].rm_eo;
		size_t ms = (size_t)rm[0].rm_so, ls = ms, k;
		int colon = memchr(c->f + ms, ':', a - ms) != NULL;
		int alone = 1;

		from = (size_t)rm[0].rm_eo;
		while (ls > 0 && c->f[ls - 1] != '\n')
			ls--;
		if (!meta_num_has_symbol(c->f + a, b - a))
			continue;
		if (ms >= 9 && !memcmp(c->f + ms - 8, "cong bao", 8))
			continue;
		if (mode == 0 && !colon)
			continue;
		if (mode == 1) {
			for (k = ls; k < ms; k++)
				if (c->f[k] != ' ')
					alone = 0;
			for (k = b; k < c->fn && c->f[k] != '\n'; k++)
				if (c->f[k] != ' ' && c->f[k] != '.')
					alone = 0;
			if (!alone)
				continue;
		}
		*na = a;
		*nb = b;
		*ls_out = ls;
		return 1;
	}
	return 0;
}

void meta_find_number(ctx *c)
{
	size_t lim = c->fn < HEAD_MAX ? c->fn : HEAD_MAX, a = 0, b = 0, ls = 0;
	double conf = 0;
	const char *x = strstr(c->f, "xac thuc van ban hop nhat");

	c->num_line = SIZE_MAX;
	if (x) {
		/* a consolidated text carries its number in the closing block */
		size_t xp = (size_t)(x - c->f);

		if (number_scan(c, xp > 300 ? xp - 300 : 0, xp + 300 < c->fn ? xp + 300 : c->fn,
				0, &a, &b, &ls))
			conf = 0.9;
	}
	if (!conf && number_scan(c, 0, lim, 0, &a, &b, &ls))
		conf = a < 4000 ? 0.95 : 0.85;
	if (!conf && number_scan(c, 0, lim < 3000 ? lim : 3000, 1, &a, &b, &ls))
		conf = 0.7;
	if (!conf && number_scan(c, lim, c->fn, 0, &a, &b, &ls))
		conf = 0.6;
	if (!conf) {
		/* "(Kèm theo Công văn số 17809/BTC-CTK ngày ...)" in an
		 * appendix, else a page-title line "Công văn 6278/BVHTTDL-VP
		 * ..." as TVPL pages print after the signature */
		regmatch_t rm[12];
		size_t pos = 0, last_a = 0, last_b = 0;
		int pass;

		for (pass = 0; pass < 2 && !conf; pass++) {
			pos = 0;
			while (meta_rx(c, c->re_cite, pos, pass ? c->full : c->fn, rm, 12)) {
				size_t ms = (size_t)rm[0].rm_so, k = ms;

				pos = (size_t)rm[0].rm_eo;
				a = (size_t)rm[3].rm_so;
				b = (size_t)rm[3].rm_eo;
				if (!meta_num_has_symbol(c->f + a, b - a))
					continue;
				if (pass == 0) {
					if (ms < 10 || !memmem(c->f + (ms > 16 ? ms - 16 : 0),
							       ms - (ms > 16 ? ms - 16 : 0), "(kem", 4))
						continue;
					conf = 0.65;
				} else {
					/* the last "Form NUM" line without "số" */
					while (k > 0 && c->f[k - 1] == ' ')
						k--;
					if ((k > 0 && c->f[k - 1] != '\n') || rm[2].rm_so != rm[2].rm_eo)
						continue;
					/* TVPL: "Văn bản này chưa cập nhật nội dung
					 * Tiếng Anh" stands right above it */
					if (k < 2 || !memmem(c->f + (k > 80 ? k - 80 : 0),
							     k - (k > 80 ? k - 80 : 0),
							     "cap nhat noi dung", 17))
						continue;
					conf = 0.5;
					ls = ms;
					c->num_aside = b;
					last_a = a;
					last_b = b;
					continue;
				}
				ls = ms;
				c->num_aside = b;
				break;
			}
			if (pass == 1 && conf) {
				a = last_a;
				b = last_b;
			}
		}
	}
	if (!conf) {
		meta_warn(c->m, "no document number (\"Số: ...\") found");
		return;
	}
	meta_field_set(c, &c->m->number, meta_number_value(c, a, &b), conf, a, b);
	/* a number outside the document proper anchors nothing */
	c->num_line = c->num_aside || ls >= c->fn ? SIZE_MAX : ls;
}

void meta_find_date_line(ctx *c)
{
	regmatch_t rm[8];
	size_t lim = c->fn < HEAD_MAX ? c->fn : HEAD_MAX;
	size_t from = c->num_line == SIZE_MAX ? 0 : c->num_line;
	char d[8], mo[8], y[8], iso[11];
	int pass;

	for (pass = c->num_aside ? 2 : 0; pass < 2; pass++) {
		size_t pos = pass == 0 ? from : 0;

		while (meta_rx(c, c->re_date, pos, lim, rm, 8)) {
			size_t pa = (size_t)rm[1].rm_so, pb = (size_t)rm[1].rm_eo;
			char *place;

			pos = (size_t)rm[0].rm_eo;
			meta_grp(c, rm, 2, d, sizeof(d));
			meta_grp(c, rm, 3, mo, sizeof(mo));
			meta_grp(c, rm, 4, y, sizeof(y));
			if (meta_date_from(d, mo, y, iso))
				continue;
			/* the place is the last cell before the date */
			{
				size_t k;

				for (k = pa; k + 1 < pb; k++)
					if (c->f[k] == '\n' && c->f[k + 1] == '\n')
						pa = k + 2;
				for (k = pa; k + 9 <= pb; k++)
					if (!memcmp(c->f + k, "hanh phuc", 9))
						pa = k + 9;
			}
			while (pa < pb && (c->f[pa] == ' ' || c->f[pa] == '\n' || c->f[pa] == '-'))
				pa++;
			{
				/* "CT-TTg" / "Hà Nội": a tail of two words or more on
				 * its own line is the whole place; a one-word tail is
				 * a wrapped name ("Hà" / "Nội") */
				size_t k, nl = SIZE_MAX;

				for (k = pa; k < pb; k++)
					if (c->f[k] == '\n')
						nl = k;
				if (nl != SIZE_MAX && memchr(c->f + nl + 1, ' ', pb - nl - 1))
					pa = nl + 1;
			}
			while (pb > pa && (c->f[pb - 1] == ' ' || c->f[pb - 1] == ','))
				pb--;
			if (pb - pa < 2 || meta_starts(c->f + pa, pb - pa, "ngay"))
				continue;
			place = meta_clean_f(c, pa, pb);
			meta_field_set(c, &c->m->place, place, 0.9, pa, pb);
			meta_field_set(c, &c->m->issue_date, strdup(iso), 0.95, pa,
				       (size_t)rm[0].rm_eo);
			return;
		}
		if (c->num_line == SIZE_MAX)
			break;
	}
	/* "Hà Nội, ngày 16/11/2025" */
	if (meta_rx(c, c->re_date2, 0, lim, rm, 8)) {
		meta_grp(c, rm, 2, d, sizeof(d));
		meta_grp(c, rm, 3, mo, sizeof(mo));
		meta_grp(c, rm, 4, y, sizeof(y));
		if (!meta_date_from(d, mo, y, iso)) {
			meta_field_set(c, &c->m->place, meta_clean_f(c, (size_t)rm[1].rm_so,
								     (size_t)rm[1].rm_eo), 0.8,
				  (size_t)rm[1].rm_so, (size_t)rm[1].rm_eo);
			meta_field_set(c, &c->m->issue_date, strdup(iso), 0.85,
				       (size_t)rm[0].rm_so, (size_t)rm[0].rm_eo);
			return;
		}
	}
	if (c->num_aside && meta_rx(c, c->re_date_any, c->num_aside,
				    c->num_aside + 40 < c->full ? c->num_aside + 40 : c->full, rm, 8)) {
		if (!meta_date_groups(c, rm, 2, iso)) {
			meta_field_set(c, &c->m->issue_date, strdup(iso), 0.6, (size_t)rm[0].rm_so,
				       (size_t)rm[0].rm_eo);
			return;
		}
	}
	meta_warn(c->m, "no place and date line (\"..., ngày ... tháng ... năm ...\") found");
}

/* Lines that only carry the national motto (possibly cut by TVPL). */
static int is_motto(const ctx *c, size_t a, size_t b)
{
	static const char motto[] =
		"cong hoa xa hoi chu nghia viet nam doc lap - tu do - hanh phuc";
	char tmp[128];

	if (b - a >= sizeof(tmp))
		return 0;
	memcpy(tmp, c->f + a, b - a);
	tmp[b - a] = '\0';
	if (strstr(tmp, "cong hoa xa hoi") || strstr(tmp, "doc lap - tu do") ||
	    strstr(tmp, "dang cong san viet nam") || !strcmp(tmp, "dang cong") ||
	    !strcmp(tmp, "san viet nam"))
		return 1;
	/* a piece of the motto cut by a line break, at word boundaries */
	{
		const char *p = strstr(motto, tmp);
		size_t n = strlen(tmp);

		return n >= 3 && p && (p == motto || p[-1] == ' ') &&
		       (p[n] == '\0' || p[n] == ' ');
	}
}

static const char *const authority_starts[] = {
	"uy ban nhan dan", "hoi dong nhan dan", "chu tich", "bo truong",
	"thu tuong", "chinh phu", "quoc hoi", "giam doc", "cuc truong",
	"tong cuc truong", "truong ban", "thong doc", "ban chap hanh",
	"ban thuong vu", "thuong truc", "tong kiem toan", "vien truong",
	"chanh an", "uy ban thuong vu", "pho chu tich", "chanh van phong",
	"tong giam doc", "chu nhiem", "bo chinh tri", "ban bi thu",
};

static int is_authority(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(authority_starts) / sizeof(authority_starts[0]); i++)
		if (meta_starts(s, n, authority_starts[i]))
			return 1;
	return 0;
}

/* An authority line at [a, b), also when a line break (a TVPL export that
 * split bold markup) cut its first words: "THỦ" / "TƯỚNG CHÍNH PHỦ điện:". */
static int authority_at(const ctx *c, size_t a, size_t b, size_t next)
{
	size_t a2, b2, n2;
	char tmp[96];

	if (is_authority(c->f + a, b - a))
		return 1;
	if (b - a > 8 || !meta_line_at(c, next, &a2, &b2, &n2) || a2 == b2)
		return 0;
	if (b2 - a2 > sizeof(tmp) - (b - a) - 1)
		b2 = a2 + sizeof(tmp) - (b - a) - 1;
	memcpy(tmp, c->f + a, b - a);
	tmp[b - a] = ' ';
	memcpy(tmp + (b - a) + 1, c->f + a2, b2 - a2);
	return is_authority(tmp, b - a + 1 + b2 - a2);
}

/* Whether another upper-case authority line follows the candidate
 * authority line ending at next, after at least one upper-case line that
 * is not one, before the abstract block ends (a blank line, a mixed-case
 * line, "Căn cứ"): then the candidate is a wrapped line of the abstract
 * ("... KẾT LUẬN CỦA ĐẠI BIỂU" / "QUỐC HỘI TẠI TỔ ..." / ... / "CHÍNH
 * PHỦ"). */
static int authority_later(const ctx *c, size_t next)
{
	size_t a, b, nx, pos = next;
	int gap = 0;

	for (int k = 0; k < 8 && pos < c->fn && meta_line_at(c, pos, &a, &b, &nx); k++) {
		if (a == b || meta_starts(c->f + a, b - a, "can cu") ||
		    !meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]))
			return 0;
		if (authority_at(c, a, b, nx))
			return gap;
		gap = 1;
		pos = nx;
	}
	return 0;
}

/* The opening paragraph of a consolidated text (Văn bản hợp nhất) under
 * its heading: "<Luật ...> số ... ngày ..., có hiệu lực kể từ ngày ...,
 * được sửa đổi, bổ sung bởi: ...", searched from F offset from up to the
 * first "Căn cứ" line.  The print of a long consolidated text split over
 * several gazette issues lacks the "XÁC THỰC VĂN BẢN HỢP NHẤT" block. */
static int consolidated_intro(const ctx *c, size_t from)
{
	static const char *const marks[] = {
		"duoc sua doi, bo sung boi", "duoc sua doi bo sung boi", "duoc sua doi boi",
		"duoc bo sung boi",
	};
	size_t a, b, next, pos = from, n = 0;
	char buf[2048];
	size_t k;

	while (pos < c->fn && meta_line_at(c, pos, &a, &b, &next)) {
		if (meta_starts(c->f + a, b - a, "can cu") || n + (b - a) + 1 >= sizeof(buf))
			break;
		memcpy(buf + n, c->f + a, b - a);
		n += b - a;
		buf[n++] = ' ';
		pos = next;
	}
	buf[n] = '\0';
	if (!strstr(buf, "co hieu luc"))
		return 0;
	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
		if (strstr(buf, marks[k]))
			return 1;
	return 0;
}

void meta_find_form_and_abstract(ctx *c)
{
	size_t pos = c->num_line == SIZE_MAX ? 0 : c->num_line, a, b, next;
	size_t ha = 0, hb = 0, a2, b2, n2;
	const char *form = NULL, *numform = NULL;
	regmatch_t rm[4];
	int vv = 0;

	if (c->num_line != SIZE_MAX) {
		/* the heading may sit before the number in flattened tables */
		size_t back = c->num_line > 600 ? c->num_line - 600 : 0;

		while (back > 0 && c->f[back - 1] != '\n')
			back--;
		pos = back;
	}
	for (int tries = 0; tries < 2 && !form; tries++) {
	size_t lim = c->head_end;

	if (tries == 1) {
		/* gazette prints may put the header table after the heading */
		if (c->num_line == SIZE_MAX)
			break;
		pos = 0;
		lim = c->num_line;
	}
	while (pos < lim && meta_line_at(c, pos, &a, &b, &next)) {
		if (tries == 1 && meta_starts(c->f + a, b - a, "can cu"))
			break;
		if (b > a && c->f[b - 1] != ':' && meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a])) {
			form = form_name(c->f + a, b - a);
			if (!form && b - a < 70) {
				static const char *const pre[] = {
					"thong bao ", "ke hoach ", "quyet dinh ", "nghi quyet ",
					"chi thi ", "cong dien ", "bao cao ", "to trinh ",
				};
				size_t k;

				for (k = 0; k < sizeof(pre) / sizeof(pre[0]) && !form; k++)
					if (meta_starts(c->f + a, b - a, pre[k])) {
						form = form_name(pre[k], strlen(pre[k]) - 1);
						b = a + strlen(pre[k]) - 1;
						next = b + 1;
					}
			}
			if (!form && meta_line_at(c, next, &a2, &b2, &n2) && b2 > a2 && b - a < 20) {
				char tmp[64];

				if (b - a + 1 + b2 - a2 < sizeof(tmp)) {
					memcpy(tmp, c->f + a, b - a);
					tmp[b - a] = ' ';
					memcpy(tmp + (b - a) + 1, c->f + a2, b2 - a2);
					form = form_name(tmp, b - a + 1 + b2 - a2);
					if (form) {
						b = b2;
						next = n2;
					}
				}
			}
			if (form) {
				ha = a;
				hb = b;
				break;
			}
		}
		pos = next;
	}
	}
	if (c->m->number.value)
		numform = vb_meta_form_from_number(c->m->number.value);
	if (numform && !strcmp(numform, "Văn bản hợp nhất")) {
		meta_field_set(c, &c->m->form, strdup(numform), 0.95, ha, hb);
		if (!form)
			c->m->form.start = c->m->number.start, c->m->form.end = c->m->number.end;
	} else if (form && strcmp(form, "Văn bản hợp nhất") && consolidated_intro(c, hb)) {
		meta_field_set(c, &c->m->form, strdup("Văn bản hợp nhất"), 0.85, ha, hb);
	} else if (form) {
		double conf = numform && !strcmp(numform, form) ? 0.98 : 0.9;

		meta_field_set(c, &c->m->form, strdup(form), conf, ha, hb);
	}

	/* abstract */
	if (form) {
		size_t s = SIZE_MAX, e = 0;
		int upper_abs = -1;

		pos = next;
		while (meta_line_at(c, pos, &a, &b, &next) && pos < c->fn) {
			int up;

			if (a == b) {
				if (s != SIZE_MAX)
					break;
				pos = next;
				continue;
			}
			if (b - a >= 6 && meta_starts(c->f + a, b - a, "can cu"))
				break;
			up = meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]);
			{
				size_t i;
				int stop = 0;

				for (i = 0; i < meta_n_body_marks; i++)
					if (meta_starts(c->f + a, b - a, meta_body_marks[i]))
						stop = 1;
				/* "THỰC HIỆN ..." wrapping an upper-case abstract
				 * is not the body's "Thực hiện ..." */
				if (stop && s != SIZE_MAX && upper_abs == 1 && up &&
				    meta_starts(c->f + a, b - a, "thuc hien "))
					stop = 0;
				if (stop)
					break;
			}
			if (s != SIZE_MAX && up && authority_at(c, a, b, next) &&
			    !authority_later(c, next) &&
			    c->f[e - 1] != ',' && c->f[e - 1] != ';' &&
			    !(e - s > 3 && !memcmp(c->f + e - 3, " va", 3)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cua", 4)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cho", 4)))
				break;
			if (s != SIZE_MAX && upper_abs == 1 && !up)
				break;
			if (s != SIZE_MAX && upper_abs == 0 && up && b - a > 8)
				break;
			if (s == SIZE_MAX && (meta_starts(c->f + a, b - a, "ngay ") ||
					      is_authority(c->f + a, b - a)))
				break;
			if (s == SIZE_MAX) {
				s = a;
				upper_abs = up;
			}
			e = b;
			pos = next;
			if (e - s > ABSTRACT_MAX)
				break;
		}
		if (s != SIZE_MAX && e - s > 4 && meta_starts(c->f + s, e - s, "v/v")) {
			s += 3;
			while (s < e && (c->f[s] == ' ' || c->f[s] == ':' || c->f[s] == '.' ||
					 c->f[s] == '\n'))
				s++;
		}
		if (s != SIZE_MAX) {
			meta_field_set(c, &c->m->abstract, meta_clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
			/* the authority line right under it */
			if (meta_line_at(c, pos, &a, &b, &next)) {
				while (a == b && meta_line_at(c, next, &a, &b, &next))
					;
				if (a < b && is_authority(c->f + a, b - a) &&
				    meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a])) {
					c->auth_start = a;
					c->auth_end = b;
				}
			}
		}
	}

	/* công văn: the V/v line */
	if (meta_rx(c, c->re_vv, c->num_line == SIZE_MAX ? 0 : c->num_line,
		    c->head_end, rm, 4)) {
		size_t s = (size_t)rm[0].rm_eo, e;

		vv = 1;
		/* up to the next blank line or the date line */
		pos = s;
		e = s;
		while (meta_line_at(c, pos, &a, &b, &next)) {
			if (pos != s && (a == b || strstr(c->f + a, ", ngay") == c->f + a ||
					 meta_starts(c->f + a, b - a, "kinh gui") ||
					 (b - a > 8 && memmem(c->f + a, b - a, "ngay ", 5) &&
					  memmem(c->f + a, b - a, " thang ", 7))))
				break;
			if (a < b)
				e = b;
			pos = next;
			if (e - s > ABSTRACT_MAX)
				break;
		}
		while (s < e && (c->f[s] == ' ' || c->f[s] == '\n'))
			s++;
		if (!form && e > s) {
			meta_field_set(c, &c->m->abstract, meta_clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
		}
	}
	if (!c->m->form.value) {
		if (vv)
			meta_field_set(c, &c->m->form, strdup("Công văn"), 0.9, (size_t)rm[0].rm_so,
				       (size_t)rm[0].rm_eo);
		else if (memmem(c->f, c->fn < 3000 ? c->fn : 3000, "kinh gui", 8))
			meta_field_set(c, &c->m->form, strdup("Công văn"), 0.75, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else if (numform)
			meta_field_set(c, &c->m->form, strdup(numform), 0.6, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else
			meta_warn(c->m, "no form heading found");
	}
	if (!c->m->abstract.value)
		meta_warn(c->m, "no abstract (trích yếu) found");
}

/* Header block: organ lines above the number line, merged into organ
 * segments (a parent such as "BỘ TÀI CHÍNH" above the issuer "CỤC HẢI
 * QUAN"); the issuer is the last segment. */
static int line_incomplete(const ctx *c, size_t a, size_t b)
{
	static const char *const heads[] = {
		"uy ban nhan dan", "hoi dong nhan dan", "uy ban", "hoi dong", "van",
		"cuc", "bo", "so", "tong cuc", "chi cuc", "ban", "uy", "van phong",
		"ngan hang", "toa an", "vien kiem sat",
	};
	size_t i;

	if (!memchr(c->f + a, ' ', b - a))
		return 1;
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (meta_line_eq(c, a, b, heads[i]))
			return 1;
	return 0;
}

static int org_line_start(const ctx *c, size_t a, size_t b)
{
	char tmp[96];
	size_t n = b - a < sizeof(tmp) - 2 ? b - a : sizeof(tmp) - 2;

	memcpy(tmp, c->f + a, n);
	tmp[n] = ' ';
	tmp[n + 1] = '\0';
	return is_org_start(tmp, n + 1);
}

/* Normalised organ name of header lines la/lb[from..to] (walked
 * bottom-up, so from >= to), joined by spaces. */
static char *segment_name(const ctx *c, const size_t *la, const size_t *lb, size_t from,
			  size_t to)
{
	vb_buf b;
	char *orig, *fold, *name = NULL;
	size_t i;

	vb_buf_init(&b, 4096);
	for (i = from + 1; i-- > to;) {
		char *part = meta_clean_f(c, la[i], lb[i]);

		if (part && (b.len == 0 || vb_buf_putc(&b, ' ') == 0))
			vb_buf_puts(&b, part);
		free(part);
	}
	orig = vb_buf_steal(&b);
	fold = orig ? vb_text_fold(orig, strlen(orig)) : NULL;
	if (orig && fold)
		name = issuer_normalise(orig, fold);
	free(orig);
	free(fold);
	vb_buf_dispose(&b);
	return name;
}

void meta_find_issuer(ctx *c)
{
	size_t la[12], lb[12], nl = 0, a, b, next, i;
	size_t sa[8], sb[8], si[8], se[8], ns = 0, last_line_a = 0, last_line_b = 0;
	const char *from_num = issuer_from_number(c->m->number.value);
	char *name = NULL, *parent = NULL;
	size_t ia = 0, ib = 0;
	double conf = 0;

	if (c->num_line != SIZE_MAX) {
		/* walk back from the number line */
		size_t end = c->num_line;

		while (end > 0 && nl < 12) {
			size_t st = end - 1;

			while (st > 0 && c->f[st - 1] != '\n')
				st--;
			meta_line_at(c, st, &a, &b, &next);
			end = st;
			if (a == b || is_motto(c, a, b))
				continue;
			if (!meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]) || b - a > 90)
				break;
			if (form_name(c->f + a, b - a) || meta_starts(c->f + a, b - a, "xac thuc"))
				continue;
			la[nl] = a;
			lb[nl] = b;
			nl++;
		}
		/* top-down: merge continuation lines into organ segments */
		for (i = nl; i-- > 0;) {
			int cont = ns > 0 && (!org_line_start(c, la[i], lb[i]) ||
					      (line_incomplete(c, last_line_a, last_line_b) &&
					       (sa[ns - 1] == last_line_a ||
						memchr(c->f + last_line_a, ' ',
						       last_line_b - last_line_a))) ||
					      meta_line_eq(c, last_line_a, last_line_b, "cuc") ||
					      meta_line_eq(c, last_line_a, last_line_b, "bo") ||
					      meta_line_eq(c, last_line_a, last_line_b, "so"));

			if (!cont && ns < 8) {
				sa[ns] = la[i];
				sb[ns] = lb[i];
				si[ns] = se[ns] = i;
				ns++;
			} else if (cont) {
				sb[ns - 1] = lb[i];
				se[ns - 1] = i;
			}
			last_line_a = la[i];
			last_line_b = lb[i];
		}
	}
	if (ns > 0) {
		ia = sa[ns - 1];
		ib = sb[ns - 1];
		name = segment_name(c, la, lb, si[ns - 1], se[ns - 1]);
		if (ns > 1)
			parent = segment_name(c, la, lb, si[0], se[0]);
		if (ns > 1) {
			/* "BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG" */
			char *po = meta_clean_f(c, sa[0], sb[0]);

			if (po && meta_line_eq(c, ia, ib, "van phong")) {
				char *low = meta_case_map(po, CASE_SENTENCE);

				free(name);
				name = NULL;
				if (low && (name = malloc(strlen(low) + 16)))
					sprintf(name, "Văn phòng %s", low);
				free(low);
			}
			free(po);
		}
		conf = 0.9;
	}
	if (!name && c->auth_start < c->auth_end) {
		la[0] = c->auth_start;
		lb[0] = c->auth_end;
		name = segment_name(c, la, lb, 0, 0);
		ia = c->auth_start;
		ib = c->auth_end;
		conf = 0.85;
	}
	if (name && from_num) {
		char *f1 = vb_text_fold(name, strlen(name)), *f2 = vb_text_fold(from_num, strlen(from_num));

		if (f1 && f2 && !strcmp(f1, f2))
			conf = 0.98;
		else if (f1 && f2 && strcmp(from_num, "Chính phủ") && strcmp(from_num, "Quốc hội"))
			meta_warn(c->m, "issuer in the header differs from the one the number suggests");
		free(f1);
		free(f2);
	}
	if (!name && from_num) {
		name = strdup(from_num);
		ia = ib = 0;
		conf = 0.6;
	}
	if (name) {
		meta_field_set(c, &c->m->issuer, name, conf, ia, ib);
		if (ia == ib) {
			c->m->issuer.start = c->m->number.start;
			c->m->issuer.end = c->m->number.end;
		}
	} else {
		meta_warn(c->m, "no issuer found in the header block");
	}
	if (parent) {
		meta_field_set(c, &c->m->issuer_parent, parent, 0.85, sa[0], sb[0]);
	}
}
