/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Citation parsing (contract in citation.h).  The text is normalised (NFC,
 * Ð -> Đ, odd spaces -> space), cut into white-space separated words, and
 * each word is folded once; the parts are then found by small scanners
 * over the folded words: the number (a digit-led run, re-joined across
 * stray spaces around '/' and '-', preferably after a "số" label, never
 * after "ngày"), the form (the last form name before the number), the date
 * (after "ngày": "04/9/2020" or "04 tháng 9 năm 2020") and the issuer
 * (after "của": capitalised words, their lower-case second syllables and a
 * few connectors such as "tỉnh", "thành phố", "và", up to a stop word such
 * as "về" or "ban hành" or a punctuation mark).
 */
#include "citation.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "date.h"
#include "text.h"

#define MAX_WORDS 512
#define FOLD_MAX 64
#define ISSUER_MAX_WORDS 16

typedef struct word {
	const char *s;      /* core: the word without surrounding punctuation */
	size_t len;
	char fold[FOLD_MAX];
	int cap;            /* first letter upper case */
	int upper;          /* no lower-case letter */
	int digit;          /* core starts with a digit */
	char trail;         /* ',' ';' ':' '.' ')' stripped from the end, or 0 */
	int lead;           /* '(' or a quote stripped from the start */
} word;

typedef struct form_entry {
	const char *fold;   /* folded words */
	const char *name;   /* full name */
	const char *abbr;   /* type abbreviation as in number symbols (folded, upper) */
	int strict;         /* an abbreviation that only counts in upper case */
} form_entry;

static const form_entry forms[] = {
	{ "van ban hop nhat", "Văn bản hợp nhất", "VBHN", 0 },
	{ "thong tu lien tich", "Thông tư liên tịch", "TTLT", 0 },
	{ "quyet dinh", "Quyết định", "QD", 0 },
	{ "nghi quyet", "Nghị quyết", "NQ", 0 },
	{ "nghi dinh", "Nghị định", "ND", 0 },
	{ "thong tu", "Thông tư", "TT", 0 },
	{ "chi thi", "Chỉ thị", "CT", 0 },
	{ "ke hoach", "Kế hoạch", "KH", 0 },
	{ "cong van", "Công văn", "CV", 0 },
	{ "thong bao", "Thông báo", "TB", 0 },
	{ "bao cao", "Báo cáo", "BC", 0 },
	{ "to trinh", "Tờ trình", "TTR", 0 },
	{ "huong dan", "Hướng dẫn", "HD", 0 },
	{ "cong dien", "Công điện", "CD", 0 },
	{ "phap lenh", "Pháp lệnh", NULL, 0 },
	{ "bo luat", "Bộ luật", NULL, 0 },
	{ "luat", "Luật", NULL, 0 },
	{ "vbhn", "Văn bản hợp nhất", "VBHN", 0 },
	{ "ttlt", "Thông tư liên tịch", "TTLT", 0 },
	{ "qd", "Quyết định", "QD", 0 },
	{ "nq", "Nghị quyết", "NQ", 0 },
	{ "nd", "Nghị định", "ND", 0 },
	{ "tt", "Thông tư", "TT", 1 },
	{ "ct", "Chỉ thị", "CT", 1 },
	{ "kh", "Kế hoạch", "KH", 1 },
	{ "tb", "Thông báo", "TB", 1 },
	{ "cd", "Công điện", "CD", 1 },
};

/* Symbol types that name a form, beyond the abbreviations above. */
static const struct {
	const char *type;
	const char *name;
} type_forms[] = {
	{ "QD", "Quyết định" }, { "NQ", "Nghị quyết" }, { "ND", "Nghị định" },
	{ "TT", "Thông tư" }, { "TTLT", "Thông tư liên tịch" }, { "CT", "Chỉ thị" },
	{ "KH", "Kế hoạch" }, { "TB", "Thông báo" }, { "BC", "Báo cáo" },
	{ "TTR", "Tờ trình" }, { "HD", "Hướng dẫn" }, { "CD", "Công điện" },
	{ "VBHN", "Văn bản hợp nhất" },
};

/* Words that end an issuer (folded), alone or as the first of a pair. */
static const char *const stop_words[] = {
	"ve", "duoc", "da", "tai", "theo", "viec", "trong", "ngay", "so", "nam",
	"doi", "cho", "la", "de", "thuc", "ap", "ky", "mot", "cac", "nhung", "nay",
	"kem", "tren", "nhu", "quyet", "v/v", "co", "dang", "se", "voi", "ma",
	"khi", "neu", NULL
};
static const char *const stop_pairs[] = {
	"ban hanh", "bo sung", "quy dinh", "thong qua", "chi tiet", "chi dao",
	"huong dan", "sua doi", "phe duyet", "phe chuan", "giao nhiem", NULL
};
/* Lower-case words that continue an issuer. */
static const char *const connectors[] = {
	"tinh", "thanh", "pho", "huyen", "quan", "xa", "phuong", "tran", "nhan",
	"dan", "thi", NULL
};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The first code point of s (n bytes), or -1. */
static int32_t first_cp(const char *s, size_t n)
{
	utf8proc_int32_t cp;

	if (!n || utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp) <= 0)
		return -1;
	return cp;
}

/* Whether s starts with a slash or a dash (or a dash look-alike). */
static int sep_start(const char *s, size_t n)
{
	int32_t cp = first_cp(s, n);

	return cp == '/' || cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

static int sep_end(const char *s, size_t n)
{
	if (!n)
		return 0;
	if (s[n - 1] == '/' || s[n - 1] == '-')
		return 1;
	/* U+2010-2015 and U+2212 end in 0x80-0x95 / 0x92 after E2 80 / E2 88 */
	return n >= 3 && (unsigned char)s[n - 3] == 0xe2 &&
	       (((unsigned char)s[n - 2] == 0x80 && (unsigned char)s[n - 1] >= 0x90 &&
		 (unsigned char)s[n - 1] <= 0x95) ||
		((unsigned char)s[n - 2] == 0x88 && (unsigned char)s[n - 1] == 0x92));
}

/* Split the normalised text into words. */
static size_t split_words(const char *t, word *w, size_t max)
{
	size_t n = 0, i = 0, len = strlen(t);

	while (i < len && n < max) {
		size_t a, b;
		word *x;

		while (i < len && is_ws((unsigned char)t[i]))
			i++;
		if (i >= len)
			break;
		a = i;
		while (i < len && !is_ws((unsigned char)t[i]))
			i++;
		b = i;
		x = &w[n];
		memset(x, 0, sizeof(*x));
		while (a < b && strchr("([\"'", t[a])) {
			x->lead = 1;
			a++;
		}
		/* curly quotes U+201C / U+201D */
		while (b - a >= 3 && (unsigned char)t[a] == 0xe2 && (unsigned char)t[a + 1] == 0x80 &&
		       ((unsigned char)t[a + 2] == 0x9c || (unsigned char)t[a + 2] == 0x9d)) {
			x->lead = 1;
			a += 3;
		}
		while (b > a && strchr(",;:.)]\"'", t[b - 1])) {
			if (!x->trail || t[b - 1] != '.')
				x->trail = t[b - 1];
			b--;
		}
		while (b - a >= 3 && (unsigned char)t[b - 3] == 0xe2 && (unsigned char)t[b - 2] == 0x80 &&
		       ((unsigned char)t[b - 1] == 0x9c || (unsigned char)t[b - 1] == 0x9d)) {
			x->trail = '"';
			b -= 3;
		}
		if (a == b && !x->trail && !x->lead)
			continue;
		x->s = t + a;
		x->len = b - a;
		if (vb_text_fold_buf(x->s, x->len, x->fold, sizeof(x->fold)) >= sizeof(x->fold))
			x->fold[0] = '\0'; /* too long to be a word we look for */
		{
			int32_t cp = first_cp(x->s, x->len);
			size_t k = 0;

			x->cap = cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
			x->digit = cp >= '0' && cp <= '9';
			x->upper = 1;
			while (k < x->len) {
				utf8proc_int32_t c;
				utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)x->s + k,
								      (utf8proc_ssize_t)(x->len - k), &c);

				if (m <= 0)
					break;
				if (utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
					x->upper = 0;
				k += (size_t)m;
			}
		}
		n++;
	}
	return n;
}

/* Number of words of the folded phrase ph matched at w[i], or 0. */
static size_t phrase_at(const word *w, size_t n, size_t i, const char *ph)
{
	size_t k = 0;

	while (*ph) {
		const char *sp = strchr(ph, ' ');
		size_t pl = sp ? (size_t)(sp - ph) : strlen(ph);

		if (i + k >= n || strlen(w[i + k].fold) != pl || strncmp(w[i + k].fold, ph, pl))
			return 0;
		/* inner words may not be cut by punctuation */
		if (sp && w[i + k].trail)
			return 0;
		k++;
		ph += pl;
		while (*ph == ' ')
			ph++;
	}
	return k;
}

/* The form starting at w[i], with the number of words it takes. */
static const form_entry *form_at(const word *w, size_t n, size_t i, size_t *nw)
{
	size_t f, k;

	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		if (!(k = phrase_at(w, n, i, forms[f].fold)))
			continue;
		if (forms[f].strict && !w[i].upper)
			continue;
		*nw = k;
		return &forms[f];
	}
	return NULL;
}

/* Whether s (n bytes) is a date d/m/yyyy, d-m-yyyy or d.m.yyyy. */
static int looks_date(const char *s, size_t n)
{
	size_t i, groups = 1, digits = 0;
	char sep = 0;

	for (i = 0; i < n; i++) {
		if (is_digit((unsigned char)s[i])) {
			digits++;
			continue;
		}
		if (s[i] != '/' && s[i] != '-' && s[i] != '.')
			return 0;
		if (!digits || (sep && s[i] != sep))
			return 0;
		sep = s[i];
		if (digits > 2)
			return 0;
		digits = 0;
		groups++;
	}
	return groups == 3 && digits == 4;
}

static int is_label(const word *x)
{
	return !strcmp(x->fold, "so") || !strcmp(x->fold, "so ky hieu") ||
	       !strcmp(x->fold, "no");
}

/* The number that starts at w[i] (joined across separators); *end gets the
 * index after its last word.  0 when w[i] does not start one. */
static int number_at(const word *w, size_t n, size_t i, vb_buf *b, size_t *end)
{
	size_t j = i;

	vb_buf_reset(b);
	if (!w[i].digit)
		return 0;
	for (;;) {
		if (vb_buf_append(b, w[j].s, w[j].len))
			return 0;
		if (w[j].trail == ',' || w[j].trail == ';' || w[j].trail == ')' || w[j].trail == ':')
			break;
		if (j + 1 >= n)
			break;
		if (!sep_end(b->data, b->len) && !sep_start(w[j + 1].s, w[j + 1].len))
			break;
		/* across a space, only the upper-case symbol continues a number:
		 * "05/2023/QĐ-UBND - Quyết định" stops before "Quyết" */
		if (w[j].len == 1 && !w[j + 1].upper && !w[j + 1].digit)
			break;
		if (w[j].trail == '.' || w[j + 1].lead)
			break;
		j++;
	}
	while (b->len && (b->data[b->len - 1] == '-' || b->data[b->len - 1] == '/'))
		b->data[--b->len] = '\0';
	*end = j + 1;
	return b->len > 0;
}

static void copy_str(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	/* never cut a UTF-8 sequence */
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- issuer normalisation ------------------------------------------- */

/* Append s (n bytes) in lower case (mode 1), title case (2) or as is (0). */
static int put_cased(vb_buf *b, const char *s, size_t n, int mode)
{
	size_t k = 0;
	int first = 1;

	while (k < n) {
		utf8proc_int32_t c;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)s + k,
						      (utf8proc_ssize_t)(n - k), &c);
		int rc;

		if (m <= 0)
			return vb_buf_append(b, s + k, n - k);
		if (mode == 1 || (mode == 2 && !first))
			c = utf8proc_tolower(c);
		else if (mode == 2)
			c = utf8proc_toupper(c);
		if ((rc = vb_buf_append(b, enc, (size_t)utf8proc_encode_char(c, enc))))
			return rc;
		first = 0;
		k += (size_t)m;
	}
	return 0;
}

int vb_citation_issuer_normalize(const char *issuer, char *out, size_t cap)
{
	word *w = NULL;
	char *t = NULL;
	vb_buf b;
	size_t n, i, k;
	int rc = 0, all_upper = 1;

	vb_buf_init(&b, VB_CITATION_MAX_BYTES);
	if (cap)
		out[0] = '\0';
	if (!issuer || !cap)
		return 0;
	if (!(t = vb_text_normalize(issuer, strlen(issuer))) ||
	    !(w = calloc(ISSUER_MAX_WORDS * 2, sizeof(*w)))) {
		rc = VB_ENOMEM;
		goto out;
	}
	n = split_words(t, w, ISSUER_MAX_WORDS * 2);
	for (i = 0; i < n; i++)
		if (!w[i].upper || (w[i].len > 1 && !w[i].cap && !w[i].digit))
			all_upper = 0;
	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		int mode = 0;

		if (b.len && (rc = vb_buf_putc(&b, ' ')))
			goto out;
		if ((k = phrase_at(w, n, i, "uy ban nhan dan")) || !strcmp(w[i].fold, "ubnd")) {
			rep = "UBND";
		} else if ((k = phrase_at(w, n, i, "hoi dong nhan dan")) ||
			   !strcmp(w[i].fold, "hdnd")) {
			rep = "HĐND";
		} else if ((k = phrase_at(w, n, i, "thanh pho")) || !strcmp(w[i].fold, "tp")) {
			rep = i ? "thành phố" : "Thành phố";
		} else if (i && i + 1 < n && w[i + 1].cap &&
			   (!strcmp(w[i].fold, "tinh") || !strcmp(w[i].fold, "huyen") ||
			    !strcmp(w[i].fold, "quan") || !strcmp(w[i].fold, "xa") ||
			    !strcmp(w[i].fold, "phuong") || !strcmp(w[i].fold, "thi"))) {
			/* "tỉnh Quảng Ninh", but not "Xã hội" */
			mode = 1;
		} else if (all_upper) {
			mode = 2;
		}
		if (rep) {
			if ((rc = vb_buf_puts(&b, rep)))
				goto out;
			i += k ? k - 1 : 0;
			continue;
		}
		if ((rc = put_cased(&b, w[i].s, w[i].len, mode)))
			goto out;
	}
out:
	if (!rc && b.len) {
		size_t len = b.len;

		if (len >= cap) { /* cut at a word */
			len = cap - 1;
			while (len && b.data[len] != ' ')
				len--;
		}
		copy_str(out, cap, b.data, len);
	}
	vb_buf_dispose(&b);
	free(w);
	free(t);
	return rc;
}

/* Folded, abbreviated words of an issuer for matching. */
#define KEY_WORDS 32
static size_t issuer_words(const char *s, char words[][FOLD_MAX])
{
	char *f = s ? vb_text_fold(s, strlen(s)) : NULL;
	char raw[KEY_WORDS * 2][FOLD_MAX];
	size_t n = 0, m = 0, i = 0, len;

	if (!f)
		return 0;
	len = strlen(f);
	while (i < len && n < KEY_WORDS * 2) {
		size_t a;

		while (i < len && !(is_digit((unsigned char)f[i]) ||
				    ((unsigned char)f[i] >= 'a' && (unsigned char)f[i] <= 'z') ||
				    (unsigned char)f[i] >= 0x80))
			i++;
		a = i;
		while (i < len && (is_digit((unsigned char)f[i]) ||
				   ((unsigned char)f[i] >= 'a' && (unsigned char)f[i] <= 'z') ||
				   (unsigned char)f[i] >= 0x80))
			i++;
		if (i > a)
			copy_str(raw[n++], FOLD_MAX, f + a, i - a);
	}
	free(f);
	/* the office holder signing for the body: "Chủ tịch UBND tỉnh ...",
	 * "Bộ trưởng Bộ Tài chính" */
	i = 0;
	if (n >= 2 && ((!strcmp(raw[0], "chu") && !strcmp(raw[1], "tich")) ||
		       (!strcmp(raw[0], "bo") && !strcmp(raw[1], "truong")) ||
		       (!strcmp(raw[0], "thu") && !strcmp(raw[1], "truong") &&
			!(n >= 4 && !strcmp(raw[2], "chinh") && !strcmp(raw[3], "phu")))))
		i = 2;
	else if (n >= 3 && !strcmp(raw[0], "pho") && !strcmp(raw[1], "chu") &&
		 !strcmp(raw[2], "tich"))
		i = 3;
	for (; i < n && m < KEY_WORDS; i++) {
		if (i + 3 < n && !strcmp(raw[i], "uy") && !strcmp(raw[i + 1], "ban") &&
		    !strcmp(raw[i + 2], "nhan") && !strcmp(raw[i + 3], "dan")) {
			snprintf(words[m++], FOLD_MAX, "ubnd");
			i += 3;
		} else if (i + 3 < n && !strcmp(raw[i], "hoi") && !strcmp(raw[i + 1], "dong") &&
			   !strcmp(raw[i + 2], "nhan") && !strcmp(raw[i + 3], "dan")) {
			snprintf(words[m++], FOLD_MAX, "hdnd");
			i += 3;
		} else if (i + 1 < n && !strcmp(raw[i], "thanh") && !strcmp(raw[i + 1], "pho")) {
			snprintf(words[m++], FOLD_MAX, "tp");
			i++;
		} else {
			snprintf(words[m++], FOLD_MAX, "%s", raw[i]);
		}
	}
	return m;
}

static int run_in(char a[][FOLD_MAX], size_t na, char b[][FOLD_MAX], size_t nb)
{
	size_t i, j;

	if (!na || na > nb)
		return 0;
	for (i = 0; i + na <= nb; i++) {
		for (j = 0; j < na && !strcmp(a[j], b[i + j]); j++)
			;
		if (j == na)
			return 1;
	}
	return 0;
}

int vb_citation_issuer_match(const char *a, const char *b)
{
	char wa[KEY_WORDS][FOLD_MAX], wb[KEY_WORDS][FOLD_MAX];
	size_t na = issuer_words(a, wa), nb = issuer_words(b, wb);

	return run_in(wa, na, wb, nb) || run_in(wb, nb, wa, na);
}

const char *vb_citation_form_of_type(const char *type)
{
	size_t i;

	if (!type)
		return NULL;
	for (i = 0; i < sizeof(type_forms) / sizeof(type_forms[0]); i++)
		if (!strcmp(type_forms[i].type, type))
			return type_forms[i].name;
	return NULL;
}

/* ---- parsing -------------------------------------------------------- */

/* The date at w[i] (after "ngày"): "04/9/2020" or "04 tháng 9 năm 2020". */
static int date_at(const word *w, size_t n, size_t i, char iso[11])
{
	char tmp[48];

	if (i >= n)
		return 0;
	if (looks_date(w[i].s, w[i].len)) {
		copy_str(tmp, sizeof(tmp), w[i].s, w[i].len);
		return vb_date_parse(tmp, iso, NULL) == 0;
	}
	if (i + 4 < n && w[i].digit && !strcmp(w[i + 1].fold, "thang") && w[i + 2].digit &&
	    !strcmp(w[i + 3].fold, "nam") && w[i + 4].digit && w[i].len <= 2 &&
	    w[i + 2].len <= 2 && w[i + 4].len == 4) {
		snprintf(tmp, sizeof(tmp), "%.*s/%.*s/%.*s", (int)w[i].len, w[i].s,
			 (int)w[i + 2].len, w[i + 2].s, (int)w[i + 4].len, w[i + 4].s);
		return vb_date_parse(tmp, iso, NULL) == 0;
	}
	return 0;
}

static int issuer_head(const word *w, size_t n, size_t i)
{
	static const char *const heads[] = {
		"ubnd", "hdnd", "uy ban", "hoi dong", "chinh phu", "thu tuong", "bo",
		"quoc hoi", "van phong", "chu tich", NULL
	};
	const char *const *h;

	if (!w[i].cap)
		return 0;
	for (h = heads; *h; h++)
		if (phrase_at(w, n, i, *h))
			return 1;
	return 0;
}

/* Collect the issuer words from w[i] into b. */
static int issuer_from(const word *w, size_t n, size_t i, vb_buf *b)
{
	size_t taken = 0;
	int prev_cap = 0, rc;

	for (; i < n && taken < ISSUER_MAX_WORDS; i++) {
		const word *x = &w[i];
		int dash = x->len == 1 && x->s[0] == '-';

		if (x->lead || x->digit || !x->len)
			break;
		if (!x->cap && in_list(stop_words, x->fold))
			break;
		{
			const char *const *p;
			int stop = 0;

			for (p = stop_pairs; *p && !stop; p++)
				stop = phrase_at(w, n, i, *p) != 0;
			if (stop)
				break;
		}
		if (dash || !strcmp(x->fold, "va")) {
			if (!taken || i + 1 >= n || !w[i + 1].cap)
				break;
		} else if (!x->cap && !in_list(connectors, x->fold) && !prev_cap) {
			break;
		} else if (!x->cap && !taken) {
			break;
		}
		if (taken && (rc = vb_buf_putc(b, ' ')))
			return rc;
		if ((rc = vb_buf_append(b, x->s, x->len)))
			return rc;
		if (x->trail == '.' && !strcmp(x->fold, "tp") && (rc = vb_buf_putc(b, '.')))
			return rc;
		taken++;
		prev_cap = x->cap;
		if (x->trail && !(x->trail == '.' && !strcmp(x->fold, "tp")))
			break;
	}
	return 0;
}

int vb_citation_parse(vb_citation *out, const char *text, vb_error *err)
{
	word *w = NULL;
	char *t = NULL;
	vb_buf b;
	size_t n, i, nw, num_i = 0, num_end = 0, date_end = 0;
	const form_entry *form = NULL;
	int rc = 0, have_num = 0;

	memset(out, 0, sizeof(*out));
	vb_buf_init(&b, VB_CITATION_MAX_BYTES);
	if (!text)
		return vb_error_set(err, VB_EINVAL, "no citation given");
	if (strlen(text) > VB_CITATION_MAX_BYTES)
		return vb_error_set(err, VB_ETOOBIG, "citation is longer than %d bytes",
				    VB_CITATION_MAX_BYTES);
	if (!(t = vb_text_normalize(text, strlen(text))) ||
	    !(w = calloc(MAX_WORDS, sizeof(*w)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	n = split_words(t, w, MAX_WORDS);

	/* the number: after a "số" label first, else the first that is no date */
	for (i = 0; i < n && !have_num; i++) {
		size_t end;

		if (!is_label(&w[i]) || i + 1 >= n)
			continue;
		if (number_at(w, n, i + 1, &b, &end) && !looks_date(b.data, b.len)) {
			have_num = 1;
			num_i = i + 1;
			num_end = end;
		}
	}
	for (i = 0; i < n && !have_num; i++) {
		size_t end;

		if (i && !strcmp(w[i - 1].fold, "ngay"))
			continue;
		if (number_at(w, n, i, &b, &end) && memchr(b.data, '/', b.len) &&
		    !looks_date(b.data, b.len)) {
			have_num = 1;
			num_i = i;
			num_end = end;
		}
	}
	if (have_num) {
		number_at(w, n, num_i, &b, &num_end);
		copy_str(out->number, sizeof(out->number), b.data, b.len);
	}

	/* the form: the last one written before the number (or anywhere) */
	for (i = 0; i < (have_num ? num_i : n); i++) {
		const form_entry *f = form_at(w, n, i, &nw);

		if (f) {
			form = f;
			i += nw - 1;
		}
	}
	if (form)
		snprintf(out->form, sizeof(out->form), "%s", form->name);

	if (have_num) {
		int r = vb_docnum_split(&out->keys, out->number);

		if (!r && form && form->abbr && !out->keys.symbol[0]) {
			char tmp[VB_DOCNUM_PART_MAX + 16];

			snprintf(tmp, sizeof(tmp), "%s %s", form->abbr, out->number);
			r = vb_docnum_split(&out->keys, tmp);
		}
		if (r)
			memset(&out->keys, 0, sizeof(out->keys));
		if (!form && out->keys.type[0]) {
			const char *name = vb_citation_form_of_type(out->keys.type);

			if (name) {
				snprintf(out->form, sizeof(out->form), "%s", name);
				out->form_inferred = 1;
			}
		}
	}

	/* the date: after "ngày", else a bare date outside the number */
	for (i = 0; i + 1 < n && !out->date[0]; i++)
		if (!strcmp(w[i].fold, "ngay") && date_at(w, n, i + 1, out->date))
			date_end = i + 2 + (looks_date(w[i + 1].s, w[i + 1].len) ? 0 : 4);
	for (i = 0; i < n && !out->date[0]; i++)
		if ((!have_num || i < num_i || i >= num_end) && looks_date(w[i].s, w[i].len) &&
		    date_at(w, n, i, out->date))
			date_end = i + 1;

	/* the issuer: after "của" (behind the number), else a head word right
	 * behind the number or the date */
	{
		size_t from = have_num ? num_end : 0, start = n;

		for (i = from; i < n; i++)
			if (!strcmp(w[i].fold, "cua")) {
				start = i + 1;
				break;
			}
		if (start == n) {
			size_t after = num_end > date_end ? num_end : date_end;

			for (i = after; i < n && i < after + 2; i++)
				if (issuer_head(w, n, i)) {
					start = i;
					break;
				}
		}
		vb_buf_reset(&b);
		if (start < n && (rc = issuer_from(w, n, start, &b)) == 0 && b.len &&
		    (rc = vb_citation_issuer_normalize(b.data, out->issuer, sizeof(out->issuer))))
			vb_error_set(err, rc, "out of memory");
		if (rc == VB_ETOOBIG) /* an issuer that long is no issuer */
			rc = 0;
	}
out:
	vb_buf_dispose(&b);
	free(w);
	free(t);
	return rc;
}
