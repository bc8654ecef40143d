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
 *
 * This file holds the folded copy, the span helpers the other parts share
 * (meta_int.h), the regular expressions, vb_meta_extract's order of the
 * fields, disposal and the JSON view; the fields themselves are found in
 * meta_number.c, meta_heading.c, meta_issuer.c, meta_cite.c and
 * meta_sign.c.
 */
#include "meta_int.h"

#include <ctype.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "date.h"
#include "text.h"

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

int32_t meta_cp_at(const char *s, size_t n, size_t i, size_t *len)
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

/* New string: s with its letters re-cased (see the enum). */
char *meta_case_map(const char *s, int mode)
{
	size_t n = strlen(s), i = 0, o = 0, l;
	char *out = malloc(n * 2 + 8);
	int word_start = 1, first = 1;

	if (!out)
		return NULL;
	while (i < n) {
		int32_t cp = meta_cp_at(s, n, i, &l), r;
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
int meta_is_upper(const char *s, size_t n)
{
	size_t i = 0, l;
	int letters = 0;

	while (i < n) {
		int32_t cp = meta_cp_at(s, n, i, &l);
		utf8proc_category_t cat = utf8proc_category(cp);

		if (cat == UTF8PROC_CATEGORY_LL)
			return 0;
		if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LO)
			letters++;
		i += l;
	}
	return letters > 0;
}

int meta_is_noise(unsigned char c)
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
		unsigned char b = (unsigned char)c->t[i];
		int32_t cp;

		/* Printable ASCII other than the space and the bytes handled
		 * below: lower case, as vb_text_fold folds it (most of a
		 * text; the general path costs a decode and a fold call). */
		if (b > ' ' && b < 0x7F && b != '|' && !meta_is_noise(b)) {
			f_push(c, (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b), i);
			i++;
			continue;
		}
		cp = meta_cp_at(c->t, c->n, i, &l);
		if (cp == '|' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x85 ||
		    cp == 0x2028 || cp == 0x2029 || cp == '\f' || cp == '\v') {
			f_push(c, '\n', i);
		} else if (cp == '_') {
			f_push(c, ' ', i);
		} else if (cp < 0x80 && meta_is_noise((unsigned char)cp)) {
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
int meta_line_at(const ctx *c, size_t pos, size_t *a, size_t *b, size_t *next)
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

int meta_starts(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n >= pl && !memcmp(s, p, pl);
}

int meta_line_eq(const ctx *c, size_t a, size_t b, const char *p)
{
	return b - a == strlen(p) && !memcmp(c->f + a, p, b - a);
}

/* Blank page headers, page numbers, separators and signature lines. */
static void blank_noise(ctx *c)
{
	size_t pos = 0, a, b, next, k;

	while (meta_line_at(c, pos, &a, &b, &next)) {
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
		else if (meta_starts(s, n, "cong bao") && n < 90 &&
			 (meta_starts(s, n, "cong bao/") || meta_starts(s, n, "cong bao /") ||
			  meta_starts(s, n, "cong bao so")))
			blank = 1;
		else if (meta_starts(s, n, "nguoi ky:") || meta_starts(s, n, "email:") ||
			 meta_starts(s, n, "co quan:") || meta_starts(s, n, "thoi gian ky:") ||
			 meta_starts(s, n, "ky boi:") || meta_starts(s, n, "ngay ky:"))
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

size_t meta_oend(const ctx *c, size_t fb)
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
		else if (meta_is_noise(ch))
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

char *meta_clean_f(const ctx *c, size_t fa, size_t fb)
{
	return clean_orig(c, c->map[fa], meta_oend(c, fb));
}

void meta_field_set(ctx *c, vb_meta_field *fl, char *value, double conf, size_t fa, size_t fb)
{
	free(fl->value);
	fl->value = value;
	fl->confidence = value ? conf : 0;
	fl->start = value ? c->map[fa] : 0;
	fl->end = value ? meta_oend(c, fb) : 0;
}

void meta_warn(vb_meta *m, const char *msg)
{
	if (m->n_warnings < VB_META_MAX_WARNINGS) {
		char *w = strdup(msg);

		if (w)
			m->warnings[m->n_warnings++] = w;
	}
}

int meta_date_from(const char *d, const char *mo, const char *y, char out[11])
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s/%s/%s", d, mo, y);
	return vb_date_parse(buf, out, NULL);
}

/* Copy group g of match rm into buf (cap bytes). */
const char *meta_grp(const ctx *c, const regmatch_t *rm, int g, char *buf, size_t cap)
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

/* The ISO date (iso) of the day, month and year in groups g, g+1, g+2 of
 * match rm or, when group g did not take part, in groups g+3, g+4, g+5
 * (a date written the other way in the same expression).  0, or -1 when
 * they make no valid date. */
int meta_date_groups(const ctx *c, const regmatch_t *rm, int g, char iso[11])
{
	char d[8], mo[8], y[8];

	if (rm[g].rm_so < 0)
		g += 3;
	meta_grp(c, rm, g, d, sizeof(d));
	meta_grp(c, rm, g + 1, mo, sizeof(mo));
	meta_grp(c, rm, g + 2, y, sizeof(y));
	return meta_date_from(d, mo, y, iso);
}

static size_t cite_skip(const ctx *c, const regex_t *re, size_t from, size_t to);

/* Run re on F[from, to); offsets in rm are absolute. */
int meta_rx(const ctx *c, const regex_t *re, size_t from, size_t to, regmatch_t *rm, size_t nm)
{
	if (from >= to || to > c->full)
		return 0;
	if ((from = cite_skip(c, re, from, to)) >= to)
		return 0;
	rm[0].rm_so = (regoff_t)from;
	rm[0].rm_eo = (regoff_t)to;
	return regexec(re, c->f, nm, rm, REG_STARTEND) == 0;
}

/* The document number as written: spaces removed, trailing dots cut. */
char *meta_number_value(const ctx *c, size_t fa, size_t *fb)
{
	char *v, *o, *p;

	while (*fb > fa && (c->f[*fb - 1] == '.' || c->f[*fb - 1] == '-'))
		(*fb)--;
	v = meta_clean_f(c, fa, *fb);
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
int meta_num_has_symbol(const char *s, size_t n)
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

const char *const meta_body_marks[] = {
	"can cu", "kinh gui", "dieu 1", "chuong i", "phan i", "theo de nghi",
	"xet de nghi", "quyet dinh:", "quyet dinh :", "quyet nghi:", "thuc hien",
};
const size_t meta_n_body_marks = sizeof(meta_body_marks) / sizeof(meta_body_marks[0]);

static void find_head_end(ctx *c)
{
	size_t pos = c->num_line == SIZE_MAX ? 0 : c->num_line, a, b, next, i;
	size_t lim = c->fn < HEAD_MAX ? c->fn : HEAD_MAX;

	c->head_end = pos + 2500 < lim ? pos + 2500 : lim;
	while (pos < lim && meta_line_at(c, pos, &a, &b, &next)) {
		for (i = 0; i < meta_n_body_marks; i++)
			if (meta_starts(c->f + a, b - a, meta_body_marks[i])) {
				c->head_end = a;
				return;
			}
		pos = next;
	}
}

/* The expressions are compiled once per process, on the first extraction
 * (regcomp of the seven took ~7 % of an import's client CPU when it was done
 * per document, and each fresh regex_t also rebuilt its DFA states in
 * regexec).  They are only read afterwards: regexec on a shared regex_t is
 * thread-safe (glibc takes the expression's own lock for the search, so
 * concurrent extractions wait for each other only inside regexec). */
static struct {
	regex_t num, date, date2, eff, cite, vv, date_any;
} rx;
static int rx_rc;               /* 0, or regcomp's error code */
static char rx_msg[128];        /* regerror's text when rx_rc */
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

/* The citation expression (FORMS SP (so OSP :? OSP)? NUM) has no anchor,
 * and NUM starts with a digit, so a match can only start where one of the
 * forms of FORMS is followed by blanks, an optional "so", blanks, ':' and
 * blanks, and a digit.  glibc's regexec tries the expression at every byte
 * whose letter may start a form, which made the citation scans over the
 * body ~13 % of an import's client instructions; cite_skip moves the start
 * of the search to the first place a match can start, which leaves the
 * leftmost match (and its groups) as it was.  The forms are read from
 * FORMS itself (rx_compile); a FORMS the split does not understand turns
 * the skip off. */
static char cite_buf[sizeof(FORMS)];
static const char *cite_form[32];
static size_t cite_len[32], n_cite;
static unsigned char cite_lead[256];     /* forms starting with this byte */
static unsigned char cite_by_lead[256][4]; /* their indexes (at most 4) */

static void cite_forms_split(void)
{
	char *p = cite_buf, *e;
	size_t n = 0;

	memcpy(cite_buf, FORMS, sizeof(FORMS));
	if (*p != '(' || !(e = strchr(p, ')')) || e[1] ||
	    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz |") != (size_t)(e - p - 1))
		return; /* not a plain alternation of words: no skip */
	*e = '\0';
	for (p++; n < sizeof(cite_form) / sizeof(cite_form[0]); p = e + 1) {
		e = strchr(p, '|');
		if (e)
			*e = '\0';
		if (!*p || *p == ' ')
			return;
		cite_form[n] = p;
		cite_len[n++] = strlen(p);
		if (!e)
			break;
	}
	if (e)
		return; /* more forms than room: no skip */
	for (size_t k = 0; k < n; k++) {
		unsigned char b = (unsigned char)cite_form[k][0];

		if (cite_lead[b] == sizeof(cite_by_lead[b])) {
			memset(cite_lead, 0, sizeof(cite_lead));
			return; /* too many forms with one first letter: no skip */
		}
		cite_by_lead[b][cite_lead[b]++] = (unsigned char)k;
	}
	n_cite = n;
}

static int cite_blank(char ch)
{
	return ch == ' ' || ch == '\n';
}

static int cite_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* 1 when F[s, to) starts with what a citation starts with. */
static int cite_can_start(const ctx *c, size_t s, size_t to)
{
	const char *f = c->f;
	unsigned char b = (unsigned char)f[s];

	for (size_t i = 0; i < cite_lead[b]; i++) {
		size_t k = cite_by_lead[b][i], p = s + cite_len[k];

		if (p >= to || !cite_blank(f[p]) || memcmp(f + s, cite_form[k], cite_len[k]))
			continue;
		while (p < to && cite_blank(f[p]))
			p++;
		if (p < to && cite_digit(f[p]))
			return 1;
		if (p + 1 < to && f[p] == 's' && f[p + 1] == 'o') {
			for (p += 2; p < to && cite_blank(f[p]); p++)
				;
			if (p < to && f[p] == ':')
				p++;
			while (p < to && cite_blank(f[p]))
				p++;
			if (p < to && cite_digit(f[p]))
				return 1;
		}
	}
	return 0;
}

static size_t cite_skip(const ctx *c, const regex_t *re, size_t from, size_t to)
{
	if (re != &rx.cite || !n_cite)
		return from;
	for (; from < to; from++)
		if (cite_lead[(unsigned char)c->f[from]] && cite_can_start(c, from, to))
			break;
	return from;
}

static void rx_compile(void)
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
	regex_t *res[] = { &rx.num, &rx.date, &rx.date2, &rx.eff, &rx.cite, &rx.vv,
			   &rx.date_any };
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		int rc = regcomp(res[i], pats[i], REG_EXTENDED | REG_NEWLINE);

		if (rc) {
			regerror(rc, res[i], rx_msg, sizeof(rx_msg));
			while (i-- > 0)
				regfree(res[i]);
			rx_rc = rc;
			return;
		}
	}
	cite_forms_split();
}

static int compile_all(ctx *c, vb_error *err)
{
	if (pthread_once(&rx_once, rx_compile))
		return vb_error_set(err, VB_EINVAL, "could not compile patterns");
	if (rx_rc)
		return vb_error_set(err, VB_EINVAL, "could not compile pattern: %s", rx_msg);
	c->re_num = &rx.num;
	c->re_date = &rx.date;
	c->re_date2 = &rx.date2;
	c->re_eff = &rx.eff;
	c->re_cite = &rx.cite;
	c->re_vv = &rx.vv;
	c->re_date_any = &rx.date_any;
	return 0;
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
		meta_warn(out, "text too long: only the beginning was read");
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
	meta_find_number(&c);
	meta_find_date_line(&c);
	find_head_end(&c);
	meta_find_form_and_abstract(&c);
	meta_find_issuer(&c);
	meta_find_bases(&c);
	meta_find_signer(&c);
	meta_find_effective(&c);
	if (c.abs_end > c.abs_start)
		meta_scan_relations(&c, c.abs_start, c.abs_end);
	meta_scan_relations(&c, c.body_start,
			    c.sig_start > c.body_start ? c.sig_start : c.fn);
out:
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
