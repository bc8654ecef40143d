/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Metadata extraction from the text of a Vietnamese administrative document
 * (contract in meta.h).  The normalised text T is folded into a matching
 * copy F (lower case, no diacritics, markdown noise blanked, '|' and tabs as
 * line breaks, runs of spaces collapsed, Công báo page headers and
 * digital-signature lines blanked) with a byte map F -> T, so that POSIX
 * extended regular expressions can run on nearly-ASCII text while every
 * match still yields a span in T and the value is cut from T with its
 * diacritics.  The layout of Nghị định 30/2020/NĐ-CP drives the order: the
 * header block (issuer) and the "Số:" line, the place-and-date line, the
 * heading (form) and the abstract under it, the "Căn cứ" bases, the body
 * (effective date, replaced / amended / repealed documents) and the
 * signature block.
 */
#include "meta.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "date.h"
#include "buf.h"
#include "docnum.h"
#include "text.h"

/* Regex fragments on the folded text. */
#define SP "[ \n]+"
#define OSP "[ \n]*"
#define SEG "[a-z0-9.&]+([ ]?-[ ]?[a-z0-9&.]+)*"
#define NUM "([0-9]+([.][0-9]+)?[a-z]{0,3}([ ]?/[ ]?" SEG "){1,4}|[0-9]+-[a-z]{1,6}/" SEG ")"
#define DMY "([0-9]{1,2})" OSP "[/.-]" OSP "([0-9]{1,2})" OSP "[/.-]" OSP "([0-9]{4})"
#define DTMY "([0-9]{1,2})" SP "thang" OSP "([0-9]{1,2})" SP "nam" OSP "([0-9]{4})"
#define FORMS "(bo luat|luat|nghi dinh|nghi quyet|quyet dinh|thong tu lien tich|" \
	"thong tu|chi thi|phap lenh|hien phap|van ban hop nhat|cong van|ke hoach|" \
	"thong bao|lenh)"

#define HEAD_MAX 12000   /* bytes of F searched for the header parts */
#define ABSTRACT_MAX 1200

typedef struct ctx {
	const char *t;   /* normalised text */
	size_t n;
	char *f;         /* folded matching copy */
	size_t fn;
	size_t *map;     /* f[i] comes from t[map[i]] */
	vb_meta *m;
	regex_t re_num, re_date, re_date2, re_eff, re_cite, re_vv, re_date_any;
	int re_ok;
	/* positions in F */
	size_t num_line;     /* start of the line with the number, or SIZE_MAX */
	size_t head_end;     /* first "Căn cứ" / "Kính gửi" / "Điều 1" */
	size_t abs_start, abs_end;
	size_t auth_start, auth_end; /* authority line under the abstract */
	size_t bases_start, bases_end;
	size_t body_start;
	size_t sig_start;
	size_t num_aside;    /* end of a number found outside the header */
	size_t full;         /* length of F; fn is cut before a site trailer */
} ctx;

/* ------------------------------------------------------------------ */
/* UTF-8 and case helpers                                              */

static size_t u8len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static int32_t cp_at(const char *s, size_t n, size_t i, size_t *len)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t left = n - i;

	k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
			     (utf8proc_ssize_t)(left > 4 ? 4 : left), &cp);
	if (k <= 0) {
		*len = 1;
		return 0xFFFD;
	}
	*len = (size_t)k;
	return cp;
}

enum { CASE_LOWER, CASE_TITLE, CASE_SENTENCE };

/* New string: s with its letters re-cased (see the enum). */
static char *case_map(const char *s, int mode)
{
	size_t n = strlen(s), i = 0, o = 0, l;
	char *out = malloc(n * 2 + 8);
	int word_start = 1, first = 1;

	if (!out)
		return NULL;
	while (i < n) {
		int32_t cp = cp_at(s, n, i, &l), r;
		int letter = utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU &&
			     utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO;

		if (letter && ((mode == CASE_TITLE && word_start) ||
			       (mode == CASE_SENTENCE && first)))
			r = utf8proc_toupper(cp);
		else if (letter)
			r = utf8proc_tolower(cp);
		else
			r = cp;
		if (letter)
			first = 0;
		word_start = !letter && !(cp >= '0' && cp <= '9');
		if (cp == '.' && mode == CASE_TITLE)
			word_start = 0;
		o += (size_t)utf8proc_encode_char(r, (utf8proc_uint8_t *)out + o);
		i += l;
	}
	out[o] = '\0';
	return out;
}

/* 1 when s (n bytes) has letters and none of them is lower case. */
static int is_upper(const char *s, size_t n)
{
	size_t i = 0, l;
	int letters = 0;

	while (i < n) {
		int32_t cp = cp_at(s, n, i, &l);
		utf8proc_category_t cat = utf8proc_category(cp);

		if (cat == UTF8PROC_CATEGORY_LL)
			return 0;
		if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LO)
			letters++;
		i += l;
	}
	return letters > 0;
}

static int is_noise(unsigned char c)
{
	return c == '*' || c == '|' || c == '#' || c == '`' || c == '\\' || c == '_';
}

/* ------------------------------------------------------------------ */
/* The folded copy                                                     */

static int f_push(ctx *c, char b, size_t src)
{
	if (b == ' ') {
		if (c->fn == 0 || c->f[c->fn - 1] == ' ' || c->f[c->fn - 1] == '\n')
			return 0;
	} else if (b == '\n') {
		while (c->fn > 0 && c->f[c->fn - 1] == ' ')
			c->fn--;
	}
	c->f[c->fn] = b;
	c->map[c->fn] = src;
	c->fn++;
	return 0;
}

static int fold_build(ctx *c)
{
	size_t i = 0, l, k;
	char buf[32];

	/* A fold never grows a character by more than 4x. */
	c->f = malloc(c->n * 4 + 2);
	c->map = malloc((c->n * 4 + 2) * sizeof(size_t));
	if (!c->f || !c->map)
		return VB_ENOMEM;
	while (i < c->n) {
		int32_t cp = cp_at(c->t, c->n, i, &l);

		if (cp == '|' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x85 ||
		    cp == 0x2028 || cp == 0x2029 || cp == '\f' || cp == '\v') {
			f_push(c, '\n', i);
		} else if (cp == '_') {
			f_push(c, ' ', i);
		} else if (cp < 0x80 && is_noise((unsigned char)cp)) {
			/* markdown emphasis may sit inside a word: "n**ă**m" */
		} else if (cp == ' ' && i + 2 < c->n && c->t[i + 1] == ' ' && c->t[i + 2] == ' ') {
			/* pdftotext columns: a wide gap separates cells */
			f_push(c, '\n', i);
			while (i < c->n && c->t[i] == ' ')
				i++;
			continue;
		} else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) {
			f_push(c, '-', i);
		} else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) {
			f_push(c, ' ', i);
		} else {
			size_t fl = vb_text_fold_buf(c->t + i, l, buf, sizeof(buf));

			if (fl >= sizeof(buf))
				fl = 0;
			for (k = 0; k < fl; k++)
				f_push(c, buf[k] == '\0' ? ' ' : buf[k], i);
		}
		i += l;
	}
	c->f[c->fn] = '\0';
	c->map[c->fn] = c->n;
	return 0;
}

/* Line [a, b) of F starting at or after pos: returns 0 at the end.  The
 * line is trimmed of spaces; blank lines are returned with a == b. */
static int line_at(const ctx *c, size_t pos, size_t *a, size_t *b, size_t *next)
{
	size_t s = pos, e;

	if (pos >= c->fn)
		return 0;
	e = s;
	while (e < c->fn && c->f[e] != '\n')
		e++;
	*next = e < c->fn ? e + 1 : e;
	while (s < e && c->f[s] == ' ')
		s++;
	while (e > s && c->f[e - 1] == ' ')
		e--;
	*a = s;
	*b = e;
	return 1;
}

static int starts(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n >= pl && !memcmp(s, p, pl);
}

static int line_eq(const ctx *c, size_t a, size_t b, const char *p)
{
	return b - a == strlen(p) && !memcmp(c->f + a, p, b - a);
}

/* Blank page headers, page numbers, separators and signature lines. */
static void blank_noise(ctx *c)
{
	size_t pos = 0, a, b, next, k;

	while (line_at(c, pos, &a, &b, &next)) {
		const char *s = c->f + a;
		size_t n = b - a;
		int blank = 0, only_digits = n > 0, only_sep = n > 0;

		for (k = 0; k < n; k++) {
			if (!isdigit((unsigned char)s[k]) && s[k] != ' ')
				only_digits = 0;
			if (s[k] != '-' && s[k] != '=' && s[k] != '.' && s[k] != ' ')
				only_sep = 0;
		}
		if (only_sep)
			blank = 1;
		if (only_digits) {
			/* a page number, unless a date was cut before it */
			size_t k2 = a;

			while (k2 > 0 && (c->f[k2 - 1] == '\n' || c->f[k2 - 1] == ' '))
				k2--;
			blank = !(k2 >= 3 && (!memcmp(c->f + k2 - 3, "nam", 3) ||
					      !memcmp(c->f + k2 - 3, "ang", 3) ||
					      !memcmp(c->f + k2 - 3, "gay", 3)));
		}
		else if (starts(s, n, "cong bao") && n < 90 &&
			 (starts(s, n, "cong bao/") || starts(s, n, "cong bao /") ||
			  starts(s, n, "cong bao so")))
			blank = 1;
		else if (starts(s, n, "nguoi ky:") || starts(s, n, "email:") ||
			 starts(s, n, "co quan:") || starts(s, n, "thoi gian ky:") ||
			 starts(s, n, "ky boi:") || starts(s, n, "ngay ky:"))
			blank = 1;
		if (blank)
			memset(c->f + a, ' ', n);
		/* rejoin words that a markdown export wrapped: "Căn" / "cứ" */
		if (!blank && next < c->fn && b == next - 1) {
			static const char *const pairs[][2] = {
				{ "can", "cu" }, { "kinh", "gui" }, { "noi", "nhan" },
				{ "quyet", "dinh" }, { "nghi", "quyet" }, { "dieu", "" },
				{ "theo", "de" }, { "xet", "de" },
			};
			size_t k2;

			for (k2 = 0; k2 < sizeof(pairs) / sizeof(pairs[0]); k2++) {
				size_t l1 = strlen(pairs[k2][0]), l2 = strlen(pairs[k2][1]);

				if (n >= l1 && !memcmp(s + n - l1, pairs[k2][0], l1) &&
				    (n == l1 || s[n - l1 - 1] == ' ') &&
				    next + l2 < c->fn && !memcmp(c->f + next, pairs[k2][1], l2) &&
				    (l2 ? (c->f[next + l2] == ' ' || c->f[next + l2] == ':' ||
					   c->f[next + l2] == '\n')
					: isdigit((unsigned char)c->f[next]))) {
					c->f[b] = ' ';
					break;
				}
			}
		}
		pos = next;
	}
}

/* ------------------------------------------------------------------ */
/* Values from spans                                                   */

static size_t oend(const ctx *c, size_t fb)
{
	size_t p;

	if (fb == 0)
		return 0;
	p = c->map[fb - 1];
	return p + u8len((unsigned char)c->t[p]);
}

/* The text T[s, e) with markdown noise removed, white space collapsed and
 * trimmed.  New string or NULL. */
static char *clean_orig(const ctx *c, size_t s, size_t e)
{
	char *out = malloc(e - s + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = s; i < e; i++) {
		unsigned char ch = (unsigned char)c->t[i];

		if (ch == '_' || ch == '|')
			ch = ' ';
		else if (is_noise(ch))
			continue;
		if (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			continue;
		}
		out[o++] = (char)ch;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

static char *clean_f(const ctx *c, size_t fa, size_t fb)
{
	return clean_orig(c, c->map[fa], oend(c, fb));
}

static void field_set(ctx *c, vb_meta_field *fl, char *value, double conf, size_t fa, size_t fb)
{
	free(fl->value);
	fl->value = value;
	fl->confidence = value ? conf : 0;
	fl->start = value ? c->map[fa] : 0;
	fl->end = value ? oend(c, fb) : 0;
}

static void warn(vb_meta *m, const char *msg)
{
	if (m->n_warnings < VB_META_MAX_WARNINGS) {
		char *w = strdup(msg);

		if (w)
			m->warnings[m->n_warnings++] = w;
	}
}

static int date_from(const char *d, const char *mo, const char *y, char out[11])
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s/%s/%s", d, mo, y);
	return vb_date_parse(buf, out, NULL);
}

/* Copy group g of match rm into buf (cap bytes). */
static const char *grp(const ctx *c, const regmatch_t *rm, int g, char *buf, size_t cap)
{
	size_t n;

	buf[0] = '\0';
	if (rm[g].rm_so < 0)
		return buf;
	n = (size_t)(rm[g].rm_eo - rm[g].rm_so);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, c->f + rm[g].rm_so, n);
	buf[n] = '\0';
	return buf;
}

/* Run re on F[from, to); offsets in rm are absolute. */
static int rx(const ctx *c, const regex_t *re, size_t from, size_t to, regmatch_t *rm, size_t nm)
{
	if (from >= to || to > c->full)
		return 0;
	rm[0].rm_so = (regoff_t)from;
	rm[0].rm_eo = (regoff_t)to;
	return regexec(re, c->f, nm, rm, REG_STARTEND) == 0;
}

/* The document number as written: spaces removed, trailing dots cut. */
static char *number_value(const ctx *c, size_t fa, size_t *fb)
{
	char *v, *o, *p;

	while (*fb > fa && (c->f[*fb - 1] == '.' || c->f[*fb - 1] == '-'))
		(*fb)--;
	v = clean_f(c, fa, *fb);
	if (!v)
		return NULL;
	for (p = o = v; *p; p++)
		if (*p != ' ')
			*o++ = *p;
	*o = '\0';
	return v;
}

/* 1 when the symbol part of a folded number (after the first '/') has a
 * letter: "05/2023/qd-ubnd" yes, "16/02/2023" no. */
static int num_has_symbol(const char *s, size_t n)
{
	const char *sl = memchr(s, '/', n);
	size_t i;

	if (!sl)
		return 0;
	for (i = (size_t)(sl - s); i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static const struct {
	const char *fold;
	const char *name;
} form_names[] = {
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

static const char *form_name(const char *fold, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(form_names) / sizeof(form_names[0]); i++)
		if (strlen(form_names[i].fold) == n && !memcmp(form_names[i].fold, fold, n))
			return form_names[i].name;
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
		if (starts(s, n, org_heads[i]))
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
	title = case_map(orig, CASE_TITLE);
	lower = case_map(orig, CASE_LOWER);
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
	char *low = case_map(orig, CASE_LOWER), *out;
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
		int32_t cp = cp_at(low, n, i, &l);
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

	while (rx(c, &c->re_num, from, to, rm, 8)) {
		size_t a = (size_t)rm[3].rm_so, b = (size_t)rm[3].rm_eo;
		size_t ms = (size_t)rm[0].rm_so, ls = ms, k;
		int colon = memchr(c->f + ms, ':', a - ms) != NULL;
		int alone = 1;

		from = (size_t)rm[0].rm_eo;
		while (ls > 0 && c->f[ls - 1] != '\n')
			ls--;
		if (!num_has_symbol(c->f + a, b - a))
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

static void find_number(ctx *c)
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
			while (rx(c, &c->re_cite, pos, pass ? c->full : c->fn, rm, 12)) {
				size_t ms = (size_t)rm[0].rm_so, k = ms;

				pos = (size_t)rm[0].rm_eo;
				a = (size_t)rm[3].rm_so;
				b = (size_t)rm[3].rm_eo;
				if (!num_has_symbol(c->f + a, b - a))
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
		warn(c->m, "no document number (\"Số: ...\") found");
		return;
	}
	field_set(c, &c->m->number, number_value(c, a, &b), conf, a, b);
	/* a number outside the document proper anchors nothing */
	c->num_line = c->num_aside || ls >= c->fn ? SIZE_MAX : ls;
}

/* Pages saved from thuvienphapluat.vn end with the site's own title line,
 * "Văn bản này chưa cập nhật nội dung Tiếng Anh", related documents and
 * notices: stop the document before them. */
static void cut_trailer(ctx *c)
{
	static const char *const marks[] = {
		"van ban nay chua cap nhat noi dung", "van ban nay dang cap nhat noi dung",
	};
	size_t i, best = c->fn;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *p = strstr(c->f, marks[i]);

		if (p && (size_t)(p - c->f) < best)
			best = (size_t)(p - c->f);
	}
	if (best == c->fn)
		return;
	/* back over the title line above the mark */
	while (best > 0 && c->f[best - 1] != '\n')
		best--;
	while (best > 0 && (c->f[best - 1] == '\n' || c->f[best - 1] == ' '))
		best--;
	while (best > 0 && c->f[best - 1] != '\n')
		best--;
	c->fn = best;
}

static void find_date_line(ctx *c)
{
	regmatch_t rm[8];
	size_t lim = c->fn < HEAD_MAX ? c->fn : HEAD_MAX;
	size_t from = c->num_line == SIZE_MAX ? 0 : c->num_line;
	char d[8], mo[8], y[8], iso[11];
	int pass;

	for (pass = c->num_aside ? 2 : 0; pass < 2; pass++) {
		size_t pos = pass == 0 ? from : 0;

		while (rx(c, &c->re_date, pos, lim, rm, 8)) {
			size_t pa = (size_t)rm[1].rm_so, pb = (size_t)rm[1].rm_eo;
			char *place;

			pos = (size_t)rm[0].rm_eo;
			grp(c, rm, 2, d, sizeof(d));
			grp(c, rm, 3, mo, sizeof(mo));
			grp(c, rm, 4, y, sizeof(y));
			if (date_from(d, mo, y, iso))
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
			if (pb - pa < 2 || starts(c->f + pa, pb - pa, "ngay"))
				continue;
			place = clean_f(c, pa, pb);
			field_set(c, &c->m->place, place, 0.9, pa, pb);
			field_set(c, &c->m->issue_date, strdup(iso), 0.95, pa,
				  (size_t)rm[0].rm_eo);
			return;
		}
		if (c->num_line == SIZE_MAX)
			break;
	}
	/* "Hà Nội, ngày 16/11/2025" */
	if (rx(c, &c->re_date2, 0, lim, rm, 8)) {
		grp(c, rm, 2, d, sizeof(d));
		grp(c, rm, 3, mo, sizeof(mo));
		grp(c, rm, 4, y, sizeof(y));
		if (!date_from(d, mo, y, iso)) {
			field_set(c, &c->m->place, clean_f(c, (size_t)rm[1].rm_so,
							   (size_t)rm[1].rm_eo), 0.8,
				  (size_t)rm[1].rm_so, (size_t)rm[1].rm_eo);
			field_set(c, &c->m->issue_date, strdup(iso), 0.85,
				  (size_t)rm[0].rm_so, (size_t)rm[0].rm_eo);
			return;
		}
	}
	if (c->num_aside && rx(c, &c->re_date_any, c->num_aside,
			       c->num_aside + 40 < c->full ? c->num_aside + 40 : c->full, rm, 8)) {
		if (rm[2].rm_so >= 0) {
			grp(c, rm, 2, d, sizeof(d));
			grp(c, rm, 3, mo, sizeof(mo));
			grp(c, rm, 4, y, sizeof(y));
		} else {
			grp(c, rm, 5, d, sizeof(d));
			grp(c, rm, 6, mo, sizeof(mo));
			grp(c, rm, 7, y, sizeof(y));
		}
		if (!date_from(d, mo, y, iso)) {
			field_set(c, &c->m->issue_date, strdup(iso), 0.6, (size_t)rm[0].rm_so,
				  (size_t)rm[0].rm_eo);
			return;
		}
	}
	warn(c->m, "no place and date line (\"..., ngày ... tháng ... năm ...\") found");
}

static const char *const body_marks[] = {
	"can cu", "kinh gui", "dieu 1", "chuong i", "phan i", "theo de nghi",
	"xet de nghi", "quyet dinh:", "quyet dinh :", "quyet nghi:", "thuc hien",
};

static void find_head_end(ctx *c)
{
	size_t pos = c->num_line == SIZE_MAX ? 0 : c->num_line, a, b, next, i;
	size_t lim = c->fn < HEAD_MAX ? c->fn : HEAD_MAX;

	c->head_end = pos + 2500 < lim ? pos + 2500 : lim;
	while (pos < lim && line_at(c, pos, &a, &b, &next)) {
		for (i = 0; i < sizeof(body_marks) / sizeof(body_marks[0]); i++)
			if (starts(c->f + a, b - a, body_marks[i])) {
				c->head_end = a;
				return;
			}
		pos = next;
	}
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
		if (starts(s, n, authority_starts[i]))
			return 1;
	return 0;
}

static void find_form_and_abstract(ctx *c)
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
	while (pos < lim && line_at(c, pos, &a, &b, &next)) {
		if (tries == 1 && starts(c->f + a, b - a, "can cu"))
			break;
		if (b > a && c->f[b - 1] != ':' && is_upper(c->t + c->map[a], oend(c, b) - c->map[a])) {
			form = form_name(c->f + a, b - a);
			if (!form && b - a < 70) {
				static const char *const pre[] = {
					"thong bao ", "ke hoach ", "quyet dinh ", "nghi quyet ",
					"chi thi ", "cong dien ", "bao cao ", "to trinh ",
				};
				size_t k;

				for (k = 0; k < sizeof(pre) / sizeof(pre[0]) && !form; k++)
					if (starts(c->f + a, b - a, pre[k])) {
						form = form_name(pre[k], strlen(pre[k]) - 1);
						b = a + strlen(pre[k]) - 1;
						next = b + 1;
					}
			}
			if (!form && line_at(c, next, &a2, &b2, &n2) && b2 > a2 && b - a < 20) {
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
		field_set(c, &c->m->form, strdup(numform), 0.95, ha, hb);
		if (!form)
			c->m->form.start = c->m->number.start, c->m->form.end = c->m->number.end;
	} else if (form) {
		double conf = numform && !strcmp(numform, form) ? 0.98 : 0.9;

		field_set(c, &c->m->form, strdup(form), conf, ha, hb);
	}

	/* abstract */
	if (form) {
		size_t s = SIZE_MAX, e = 0;
		int upper_abs = -1;

		pos = next;
		while (line_at(c, pos, &a, &b, &next) && pos < c->fn) {
			int up;

			if (a == b) {
				if (s != SIZE_MAX)
					break;
				pos = next;
				continue;
			}
			if (b - a >= 6 && starts(c->f + a, b - a, "can cu"))
				break;
			{
				size_t i;
				int stop = 0;

				for (i = 0; i < sizeof(body_marks) / sizeof(body_marks[0]); i++)
					if (starts(c->f + a, b - a, body_marks[i]))
						stop = 1;
				if (stop)
					break;
			}
			up = is_upper(c->t + c->map[a], oend(c, b) - c->map[a]);
			if (s != SIZE_MAX && up && is_authority(c->f + a, b - a) &&
			    c->f[e - 1] != ',' && c->f[e - 1] != ';' &&
			    !(e - s > 3 && !memcmp(c->f + e - 3, " va", 3)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cua", 4)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cho", 4)))
				break;
			if (s != SIZE_MAX && upper_abs == 1 && !up)
				break;
			if (s != SIZE_MAX && upper_abs == 0 && up && b - a > 8)
				break;
			if (s == SIZE_MAX && (starts(c->f + a, b - a, "ngay ") ||
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
		if (s != SIZE_MAX && e - s > 4 && starts(c->f + s, e - s, "v/v")) {
			s += 3;
			while (s < e && (c->f[s] == ' ' || c->f[s] == ':' || c->f[s] == '.' ||
					 c->f[s] == '\n'))
				s++;
		}
		if (s != SIZE_MAX) {
			field_set(c, &c->m->abstract, clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
			/* the authority line right under it */
			if (line_at(c, pos, &a, &b, &next)) {
				while (a == b && line_at(c, next, &a, &b, &next))
					;
				if (a < b && is_authority(c->f + a, b - a) &&
				    is_upper(c->t + c->map[a], oend(c, b) - c->map[a])) {
					c->auth_start = a;
					c->auth_end = b;
				}
			}
		}
	}

	/* công văn: the V/v line */
	if (rx(c, &c->re_vv, c->num_line == SIZE_MAX ? 0 : c->num_line,
	       c->head_end, rm, 4)) {
		size_t s = (size_t)rm[0].rm_eo, e;

		vv = 1;
		/* up to the next blank line or the date line */
		pos = s;
		e = s;
		while (line_at(c, pos, &a, &b, &next)) {
			if (pos != s && (a == b || strstr(c->f + a, ", ngay") == c->f + a ||
					 starts(c->f + a, b - a, "kinh gui") ||
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
			field_set(c, &c->m->abstract, clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
		}
	}
	if (!c->m->form.value) {
		if (vv)
			field_set(c, &c->m->form, strdup("Công văn"), 0.9, (size_t)rm[0].rm_so,
				  (size_t)rm[0].rm_eo);
		else if (memmem(c->f, c->fn < 3000 ? c->fn : 3000, "kinh gui", 8))
			field_set(c, &c->m->form, strdup("Công văn"), 0.75, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else if (numform)
			field_set(c, &c->m->form, strdup(numform), 0.6, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else
			warn(c->m, "no form heading found");
	}
	if (!c->m->abstract.value)
		warn(c->m, "no abstract (trích yếu) found");
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
		if (line_eq(c, a, b, heads[i]))
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
		char *part = clean_f(c, la[i], lb[i]);

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

static void find_issuer(ctx *c)
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
			line_at(c, st, &a, &b, &next);
			end = st;
			if (a == b || is_motto(c, a, b))
				continue;
			if (!is_upper(c->t + c->map[a], oend(c, b) - c->map[a]) || b - a > 90)
				break;
			if (form_name(c->f + a, b - a) || starts(c->f + a, b - a, "xac thuc"))
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
					      line_eq(c, last_line_a, last_line_b, "cuc") ||
					      line_eq(c, last_line_a, last_line_b, "bo") ||
					      line_eq(c, last_line_a, last_line_b, "so"));

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
			char *po = clean_f(c, sa[0], sb[0]);

			if (po && line_eq(c, ia, ib, "van phong")) {
				char *low = case_map(po, CASE_SENTENCE);

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
			warn(c->m, "issuer in the header differs from the one the number suggests");
		free(f1);
		free(f2);
	}
	if (!name && from_num) {
		name = strdup(from_num);
		ia = ib = 0;
		conf = 0.6;
	}
	if (name) {
		field_set(c, &c->m->issuer, name, conf, ia, ib);
		if (ia == ib) {
			c->m->issuer.start = c->m->number.start;
			c->m->issuer.end = c->m->number.end;
		}
	} else {
		warn(c->m, "no issuer found in the header block");
	}
	if (parent) {
		field_set(c, &c->m->issuer_parent, parent, 0.85, sa[0], sb[0]);
	}
}

/* Citation parts in F[a, b): form (static), number and date (new). */
static void cite_parts(ctx *c, size_t a, size_t b, const char **form, char **number,
		       size_t *na, size_t *nb, char **date)
{
	regmatch_t rm[10];
	char d[8], mo[8], y[8], iso[11];
	size_t i;

	*number = NULL;
	*date = NULL;
	/* first form word at a word boundary */
	for (i = a; i < b; i++) {
		size_t k;

		if (i > a && isalpha((unsigned char)c->f[i - 1]))
			continue;
		for (k = 0; k < sizeof(form_names) / sizeof(form_names[0]); k++) {
			size_t fl = strlen(form_names[k].fold);

			if (i + fl <= b && !memcmp(c->f + i, form_names[k].fold, fl) &&
			    (i + fl == b || !isalpha((unsigned char)c->f[i + fl]))) {
				*form = form_names[k].name;
				goto found;
			}
		}
	}
found:
	{
		/* "số 63/2010/NĐ-CP" or "Quyết định 3740/QĐ-BTC" */
		size_t s = SIZE_MAX, e = 0;

		if (rx(c, &c->re_num, a > 0 ? a - 1 : a, b, rm, 10)) {
			s = (size_t)rm[3].rm_so;
			e = (size_t)rm[3].rm_eo;
		}
		if (rx(c, &c->re_cite, a, b, rm, 10) && (size_t)rm[3].rm_so < s) {
			s = (size_t)rm[3].rm_so;
			e = (size_t)rm[3].rm_eo;
		}
		if (s != SIZE_MAX && num_has_symbol(c->f + s, e - s)) {
			*number = number_value(c, s, &e);
			*na = s;
			*nb = e;
		}
	}
	if (rx(c, &c->re_date_any, *number ? *nb : a, b, rm, 10)) {
		if (rm[2].rm_so >= 0) {
			grp(c, rm, 2, d, sizeof(d));
			grp(c, rm, 3, mo, sizeof(mo));
			grp(c, rm, 4, y, sizeof(y));
		} else {
			grp(c, rm, 5, d, sizeof(d));
			grp(c, rm, 6, mo, sizeof(mo));
			grp(c, rm, 7, y, sizeof(y));
		}
		if (!date_from(d, mo, y, iso))
			*date = strdup(iso);
	}
}

static int ref_add(ctx *c, vb_meta_refs *l, const char *form, char *number, char *date,
		   size_t a, size_t b, double conf)
{
	vb_meta_ref *r;
	char *text;

	if (l->n >= VB_META_MAX_REFS) {
		free(number);
		free(date);
		return 0;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		vb_meta_ref *p = realloc(l->items, nc * sizeof(*p));

		if (!p) {
			free(number);
			free(date);
			return VB_ENOMEM;
		}
		l->items = p;
		l->cap = nc;
	}
	text = clean_f(c, a, b);
	if (text && strlen(text) > 600)
		text[600] = '\0';
	r = &l->items[l->n++];
	r->form = form ? strdup(form) : NULL;
	r->number = number;
	r->date = date;
	r->text = text;
	r->confidence = conf;
	r->start = c->map[a];
	r->end = oend(c, b);
	return 0;
}

static void find_bases(ctx *c)
{
	size_t pos = c->head_end, a, b, next, lim = c->fn < HEAD_MAX * 4 ? c->fn : HEAD_MAX * 4;
	size_t para = SIZE_MAX, i;

	/* gazette prints may hold the heading and bases before the number */
	if (c->abs_end && c->abs_end < c->head_end && c->num_line != SIZE_MAX &&
	    c->abs_end < c->num_line)
		pos = c->abs_end;
	c->head_end = pos;

	c->bases_start = c->bases_end = c->body_start = c->head_end;
	while (pos < lim && line_at(c, pos, &a, &b, &next)) {
		int mark = 0;

		if (starts(c->f + a, b - a, "can cu")) {
			if (para == SIZE_MAX)
				c->bases_start = a;
			para = a;
		} else {
			for (i = 1; i < sizeof(body_marks) / sizeof(body_marks[0]); i++)
				if (starts(c->f + a, b - a, body_marks[i]))
					mark = 1;
			if (a < b && is_upper(c->t + c->map[a], oend(c, b) - c->map[a]) &&
			    para != SIZE_MAX && c->f[b - 1] == ':')
				mark = 1;
		}
		if (mark)
			break;
		if (para == SIZE_MAX && a < b && pos > c->head_end + 400)
			break;
		pos = next;
	}
	c->bases_end = pos;
	c->body_start = pos;
	if (para == SIZE_MAX)
		return;
	/* split the region at "can cu" and ';' */
	{
		size_t s = c->bases_start, k;
		const char *inherit = NULL;

		for (k = s; k <= c->bases_end; k++) {
			int cut = k == c->bases_end || c->f[k] == ';' ||
				  (k > s + 6 && starts(c->f + k, c->bases_end - k, "can cu") &&
				   (c->f[k - 1] == '\n' || c->f[k - 1] == ' ') &&
				   (k < 2 || c->f[k - 2] != ',')) ||
				  (c->f[k] == '.' && k + 1 < c->fn && c->f[k + 1] == '\n');
			if (!cut)
				continue;
			if (k > s) {
				size_t a2 = s, b2 = k;
				const char *form = NULL;
				char *num, *date;
				size_t na = 0, nb = 0;

				while (a2 < b2 && (c->f[a2] == ' ' || c->f[a2] == '\n' || c->f[a2] == ';'))
					a2++;
				if (starts(c->f + a2, b2 - a2, "can cu")) {
					a2 += 6;
					inherit = NULL;
					while (a2 < b2 && (c->f[a2] == ' ' || c->f[a2] == '\n'))
						a2++;
				}
				while (b2 > a2 && (c->f[b2 - 1] == ' ' || c->f[b2 - 1] == '\n' ||
						   c->f[b2 - 1] == '.'))
					b2--;
				if (b2 > a2 + 3) {
					cite_parts(c, a2, b2, &form, &num, &na, &nb, &date);
					if (!form)
						form = inherit;
					else
						inherit = form;
					if (form || num)
						ref_add(c, &c->m->bases, form, num, date, a2, b2,
							num ? 0.9 : 0.75);
					else {
						free(num);
						free(date);
					}
				}
			}
			s = k + 1;
		}
	}
}

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

	if (n == 0 || n > 80 || !is_upper(c->t + c->map[a], oend(c, b) - c->map[a]))
		return 0;
	for (i = 0; i < sizeof(sig_prefixes) / sizeof(sig_prefixes[0]); i++)
		if (starts(s, n, sig_prefixes[i]))
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

	if (starts(s, n, "q. ") || starts(s, n, "kt. ") || starts(s, n, "tl. ") ||
	    starts(s, n, "tm. ") || starts(s, n, "tuq. ") || starts(s, n, "pp. ")) {
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
	orig = clean_f(c, a + pre, b);
	if (!orig)
		return NULL;
	res = case_map(orig, CASE_SENTENCE);
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

	return starts(s, n, "(da ky") || starts(s, n, "da ky") || starts(s, n, "[da") ||
	       starts(s, n, "(ky") || starts(s, n, "ky ten") || starts(s, n, "(chu ky") ||
	       starts(s, n, "(dau)") || starts(s, n, "(da ky)");
}

/* Title Case words only (a signer's name), 1..6 words. */
static int name_words(const ctx *c, size_t a, size_t b)
{
	size_t so = c->map[a], eo = oend(c, b), i = so, l, words = 0;
	int at_word = 1, lower = 0;

	if (b - a > 45)
		return 0;
	while (i < eo) {
		int32_t cp = cp_at(c->t, eo, i, &l);
		utf8proc_category_t cat = utf8proc_category(cp);

		if (cp == ' ' || cp == '_' || cp == '|') {
			at_word = 1;
		} else if (cp < 0x80 && is_noise((unsigned char)cp)) {
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
	while (line_at(c, p2, &a2, &b2, &n2) && lines < 8) {
		int k2;

		if (a2 == b2) {
			p2 = n2;
			continue;
		}
		k2 = sig_kind(c, a2, b2);
		if (!k2 && !(b2 - a2 < 60 &&
			     is_upper(c->t + c->map[a2], oend(c, b2) - c->map[a2])))
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
	while (line_at(c, p2, &a2, &b2, &n2) && lines < 10) {
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
				if (starts(c->f + a2, b2 - a2, ranks[r])) {
					a2 += strlen(ranks[r]);
					na = a2;
					break;
				}
		}
		w = name_words(c, a2, b2);
		if (!w)
			return 0;
		/* a name wrapped over two lines: "Lê Tấn" / "Cận" */
		if (w < 4 && line_at(c, n2, &a3, &b3, &n3) && a3 < b3) {
			int w3 = name_words(c, a3, b3);

			if (w3 && w + w3 <= 5 && (w == 1 || w3 == 1) && b3 - a3 < 20)
				nb = b3;
		}
		if (w == 1 && nb == b2)
			return 0;
		{
			char *name = clean_f(c, na, nb);
			double conf = (kinds & 2) ? 0.9 : 0.8;

			field_set(c, &c->m->signer, name, conf, na, nb);
			field_set(c, &c->m->signer_title, title_value(c, ta, tb), conf, ta, tb);
			c->sig_start = a;
			return 1;
		}
	}
	return 0;
}

static void find_signer(ctx *c)
{
	size_t pos, a, b, next;
	int pass;

	c->sig_start = c->fn;
	for (pass = 0; pass < 2; pass++) {
		pos = pass == 0 ? c->body_start : 0;
		while (line_at(c, pos, &a, &b, &next)) {
			int k = sig_kind(c, a, b);

			if (k && signer_at(c, a, b, next, k))
				return;
			pos = next;
		}
		if (c->body_start == 0)
			break;
	}
	warn(c->m, "no signature block with a signer name found");
}

static void find_effective(ctx *c)
{
	regmatch_t rm[12];
	char d[8], mo[8], y[8], iso[11];

	if (!rx(c, &c->re_eff, c->body_start, c->fn, rm, 12)) {
		warn(c->m, "no effective date clause found");
		return;
	}
	if (rm[3].rm_so >= 0 && (!memcmp(c->f + rm[3].rm_so, "ky", 2) ||
				 !memcmp(c->f + rm[3].rm_so, "ban hanh", 8))) {
		if (c->m->issue_date.value)
			field_set(c, &c->m->effective_date, strdup(c->m->issue_date.value), 0.9,
				  (size_t)rm[0].rm_so, (size_t)rm[0].rm_eo);
		return;
	}
	if (rm[4].rm_so >= 0) {
		grp(c, rm, 4, d, sizeof(d));
		grp(c, rm, 5, mo, sizeof(mo));
		grp(c, rm, 6, y, sizeof(y));
	} else {
		grp(c, rm, 7, d, sizeof(d));
		grp(c, rm, 8, mo, sizeof(mo));
		grp(c, rm, 9, y, sizeof(y));
	}
	if (!date_from(d, mo, y, iso))
		field_set(c, &c->m->effective_date, strdup(iso), 0.9, (size_t)rm[0].rm_so,
			  (size_t)rm[0].rm_eo);
}

/* Citations after "thay thế", "bãi bỏ", "sửa đổi, bổ sung". */
static void scan_relations(ctx *c, size_t from, size_t to)
{
	regmatch_t rm[10];
	size_t pos = from;
	char *own = c->m->number.value ? vb_docnum_canonical(c->m->number.value) : NULL;

	while (rx(c, &c->re_cite, pos, to, rm, 10)) {
		size_t ms = (size_t)rm[0].rm_so, s = (size_t)rm[3].rm_so, e = (size_t)rm[3].rm_eo;
		size_t back = ms > 200 ? ms - 200 : from, k, best = SIZE_MAX;
		vb_meta_refs *list = NULL;

		pos = (size_t)rm[0].rm_eo;
		if (back < from)
			back = from;
		/* the sentence before the citation */
		for (k = ms; k > back; k--)
			if (c->f[k - 1] == ';' || (c->f[k - 1] == '.' && (c->f[k] == ' ' || c->f[k] == '\n') &&
						   !isdigit((unsigned char)c->f[k - 2 < back ? k - 1 : k - 2]))) {
				back = k;
				break;
			}
		for (k = back; k + 6 <= ms; k++) {
			const char *p = c->f + k;

			if (!memcmp(p, "thay the", 8) && k + 8 <= ms)
				list = &c->m->replaces, best = k;
			else if (!memcmp(p, "bai bo", 6) || (k + 12 <= ms && !memcmp(p, "het hieu luc", 12)))
				list = &c->m->repeals, best = k;
			else if (!memcmp(p, "sua doi", 7) || !memcmp(p, "bo sung", 7))
				list = &c->m->amends, best = k;
		}
		if (!list || !num_has_symbol(c->f + s, e - s))
			continue;
		/* in the body, only what this document itself does: "Quyết
		 * định này ... thay thế", or an article that opens with the
		 * verb ("Điều 1. Bãi bỏ ...") */
		if (from != c->abs_start || c->abs_end == c->abs_start) {
			size_t q = best, lstart = best;
			/* the window: this article, at most 300 bytes back */
			size_t w = ms > 300 ? ms - 300 : 0, k2;
			int own_doc;

			if (w < from)
				w = from;
			for (k2 = ms; k2 > w + 5; k2--)
				if (!memcmp(c->f + k2 - 5, "dieu ", 5)) {
					w = k2 - 5;
					break;
				}
			own_doc = memmem(c->f + w, ms - w, " nay ", 5) != NULL ||
				  memmem(c->f + w, ms - w, " nay\n", 5) != NULL ||
				  memmem(c->f + w, ms - w, " nay;", 5) != NULL;

			/* "Điều 1. Bãi bỏ", "1. Thay thế" at the start of an item */
			lstart = q > 12 ? q - 12 : 0;
			if (!own_doc && !memmem(c->f + lstart, q - lstart, "dieu ", 5) &&
			    !(q >= 3 && c->f[q - 2] == '.' && isdigit((unsigned char)c->f[q - 3])))
				continue;
		}
		{
			char *num = number_value(c, s, &e), *canon = num ? vb_docnum_canonical(num) : NULL;
			size_t i;
			int dup = own && canon && !strcmp(own, canon);
			const char *form = NULL;
			char *n2, *date;
			size_t na, nb, end = e + 40 < to ? e + 40 : to;

			for (i = 0; !dup && i < list->n; i++) {
				char *o = vb_docnum_canonical(list->items[i].number);

				dup = o && canon && !strcmp(o, canon);
				free(o);
			}
			free(canon);
			if (dup) {
				free(num);
				continue;
			}
			cite_parts(c, ms, end, &form, &n2, &na, &nb, &date);
			free(n2);
			ref_add(c, list, form, num, date, ms, e, best != SIZE_MAX ? 0.8 : 0.6);
		}
	}
	free(own);
}

static int compile_all(ctx *c, vb_error *err)
{
	static const char *const pats[] = {
		"(^|[^a-z0-9])so( ky hieu| hieu)?[ ]?[:.]?" OSP "(" NUM ")",
		"([a-z][a-z .'\n-]{1,60}),?" OSP "ngay" OSP DTMY,
		"([a-z][a-z .'-]{1,60}),[ ]*ngay[ ]+" DMY,
		"hieu luc" SP "(thi hanh" SP ")?(ke" SP ")?tu" SP "ngay" SP
		"(ky|ban hanh|" DMY "|" DTMY ")",
		FORMS SP "(so" OSP ":?" OSP ")?(" NUM ")",
		"(^|\n)[ ]*v/v[ .:]?",
		"ngay" OSP "(" DMY "|" DTMY ")",
	};
	regex_t *res[] = { &c->re_num, &c->re_date, &c->re_date2, &c->re_eff,
			   &c->re_cite, &c->re_vv, &c->re_date_any };
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		int rc = regcomp(res[i], pats[i], REG_EXTENDED | REG_NEWLINE);

		if (rc) {
			char msg[128];

			regerror(rc, res[i], msg, sizeof(msg));
			while (i-- > 0)
				regfree(res[i]);
			return vb_error_set(err, VB_EINVAL, "could not compile pattern: %s", msg);
		}
	}
	c->re_ok = 1;
	return 0;
}

static void compile_free(ctx *c)
{
	if (!c->re_ok)
		return;
	regfree(&c->re_num);
	regfree(&c->re_date);
	regfree(&c->re_date2);
	regfree(&c->re_eff);
	regfree(&c->re_cite);
	regfree(&c->re_vv);
	regfree(&c->re_date_any);
}

int vb_meta_extract(const char *text, size_t len, vb_meta *out, vb_error *err)
{
	ctx c;
	int rc = 0;

	vb_error_clear(err);
	if (!out)
		return vb_error_set(err, VB_EINVAL, "no output record given");
	memset(out, 0, sizeof(*out));
	if (!text && len > 0)
		return vb_error_set(err, VB_EINVAL, "no text given");
	memset(&c, 0, sizeof(c));
	c.m = out;
	if (len > VB_META_MAX_TEXT) {
		len = VB_META_MAX_TEXT;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
		warn(out, "text too long: only the beginning was read");
	}
	out->text = vb_text_normalize(text ? text : "", len);
	if (!out->text) {
		rc = vb_error_set(err, VB_ENOMEM, "could not normalise text: out of memory");
		goto out;
	}
	out->text_len = strlen(out->text);
	c.t = out->text;
	c.n = out->text_len;
	if ((rc = compile_all(&c, err)))
		goto out;
	if (fold_build(&c)) {
		rc = vb_error_set(err, VB_ENOMEM, "could not fold text: out of memory");
		goto out;
	}
	blank_noise(&c);
	c.full = c.fn;
	c.auth_start = c.auth_end = 0;
	cut_trailer(&c);
	find_number(&c);
	find_date_line(&c);
	find_head_end(&c);
	find_form_and_abstract(&c);
	find_issuer(&c);
	find_bases(&c);
	find_signer(&c);
	find_effective(&c);
	if (c.abs_end > c.abs_start)
		scan_relations(&c, c.abs_start, c.abs_end);
	scan_relations(&c, c.body_start,
		       c.sig_start > c.body_start ? c.sig_start : c.fn);
out:
	compile_free(&c);
	free(c.f);
	free(c.map);
	return rc;
}

static void field_dispose(vb_meta_field *f)
{
	free(f->value);
}

static void refs_dispose(vb_meta_refs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].form);
		free(l->items[i].number);
		free(l->items[i].date);
		free(l->items[i].text);
	}
	free(l->items);
}

void vb_meta_dispose(vb_meta *m)
{
	size_t i;

	if (!m)
		return;
	free(m->text);
	field_dispose(&m->number);
	field_dispose(&m->form);
	field_dispose(&m->issuer);
	field_dispose(&m->issuer_parent);
	field_dispose(&m->place);
	field_dispose(&m->issue_date);
	field_dispose(&m->effective_date);
	field_dispose(&m->abstract);
	field_dispose(&m->signer);
	field_dispose(&m->signer_title);
	refs_dispose(&m->replaces);
	refs_dispose(&m->amends);
	refs_dispose(&m->repeals);
	refs_dispose(&m->bases);
	for (i = 0; i < m->n_warnings; i++)
		free(m->warnings[i]);
	memset(m, 0, sizeof(*m));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *field_json(const vb_meta_field *f)
{
	return json_pack("{s:o, s:f, s:I, s:I}", "value", str_or_null(f->value),
			 "confidence", f->confidence, "start", (json_int_t)f->start,
			 "end", (json_int_t)f->end);
}

static json_t *refs_json(const vb_meta_refs *l)
{
	json_t *a = json_array();
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < l->n; i++) {
		const vb_meta_ref *r = &l->items[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:f, s:I, s:I}",
			"form", str_or_null(r->form), "number", str_or_null(r->number),
			"date", str_or_null(r->date), "text", str_or_null(r->text),
			"confidence", r->confidence, "start", (json_int_t)r->start,
			"end", (json_int_t)r->end));
	}
	return a;
}

json_t *vb_meta_to_json(const vb_meta *m)
{
	json_t *o, *w;
	size_t i;

	if (!m)
		return NULL;
	w = json_array();
	for (i = 0; w && i < m->n_warnings; i++)
		json_array_append_new(w, json_string(m->warnings[i]));
	o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		      "text", json_string(m->text ? m->text : ""),
		      "number", field_json(&m->number), "form", field_json(&m->form),
		      "issuer", field_json(&m->issuer),
		      "issuer_parent", field_json(&m->issuer_parent),
		      "place", field_json(&m->place),
		      "issue_date", field_json(&m->issue_date),
		      "effective_date", field_json(&m->effective_date),
		      "abstract", field_json(&m->abstract), "signer", field_json(&m->signer),
		      "signer_title", field_json(&m->signer_title),
		      "replaces", refs_json(&m->replaces), "amends", refs_json(&m->amends),
		      "repeals", refs_json(&m->repeals), "bases", refs_json(&m->bases),
		      "warnings", w);
	return o;
}
