/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The number row of a document's header table (part of meta.c, contract
 * in meta.h): the number ("Số:" line) on the left and the place-and-date
 * line on the right; also what a number's symbol says: the symbol codes
 * of the forms, vb_meta_form_from_number and meta_number_symbol (which
 * meta_issuer.c reads the issuer codes from).
 */
#include "meta_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docnum.h"

/* ------------------------------------------------------------------ */
/* Symbol codes                                                        */

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
int meta_number_symbol(const char *number, char *out, size_t cap)
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

	if (!number || meta_number_symbol(number, sym, sizeof(sym)))
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
