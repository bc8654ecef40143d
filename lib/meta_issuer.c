/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The issuer of a document (part of meta.c, contract in meta.h): the
 * organ lines of the header block above the number line, merged into
 * organ segments (issuer and parent), else the authority line under the
 * abstract, else the organ a number's symbol implies; also the tables of
 * symbol codes and organs and the normalisation of organ names.
 */
#include "meta_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "text.h"

/* ------------------------------------------------------------------ */
/* Tables                                                              */

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

	if (!number || meta_number_symbol(number, sym, sizeof(sym)))
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
			if (meta_form_lookup(c->f + a, b - a) || meta_starts(c->f + a, b - a, "xac thuc"))
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
