/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Citations in the text of a document (part of meta.c, contract in
 * meta.h): the "Căn cứ" bases, the documents replaced, amended or
 * repealed by the body, and the effective date.
 */
#include "meta_int.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docnum.h"

/* Citation parts in F[a, b): form (static), number and date (new). */
static void cite_parts(ctx *c, size_t a, size_t b, const char **form, char **number,
		       size_t *na, size_t *nb, char **date)
{
	regmatch_t rm[10];
	char iso[11];
	size_t i;

	*number = NULL;
	*date = NULL;
	/* first form word at a word boundary */
	for (i = a; i < b; i++) {
		size_t k;

		if (i > a && isalpha((unsigned char)c->f[i - 1]))
			continue;
		for (k = 0; k < meta_n_form_names; k++) {
			size_t fl = strlen(meta_form_names[k].fold);

			if (i + fl <= b && !memcmp(c->f + i, meta_form_names[k].fold, fl) &&
			    (i + fl == b || !isalpha((unsigned char)c->f[i + fl]))) {
				*form = meta_form_names[k].name;
				goto found;
			}
		}
	}
found:
	{
		/* "số 63/2010/NĐ-CP" or "Quyết định 3740/QĐ-BTC" */
		size_t s = SIZE_MAX, e = 0;

		if (meta_rx(c, c->re_num, a > 0 ? a - 1 : a, b, rm, 10)) {
			s = (size_t)rm[3].rm_so;
			e = (size_t)rm[3].rm_eo;
		}
		if (meta_rx(c, c->re_cite, a, b, rm, 10) && (size_t)rm[3].rm_so < s) {
			s = (size_t)rm[3].rm_so;
			e = (size_t)rm[3].rm_eo;
		}
		if (s != SIZE_MAX && meta_num_has_symbol(c->f + s, e - s)) {
			*number = meta_number_value(c, s, &e);
			*na = s;
			*nb = e;
		}
	}
	if (meta_rx(c, c->re_date_any, *number ? *nb : a, b, rm, 10)) {
		if (!meta_date_groups(c, rm, 2, iso))
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
	text = meta_clean_f(c, a, b);
	if (text && strlen(text) > 600)
		text[600] = '\0';
	r = &l->items[l->n++];
	r->form = form ? strdup(form) : NULL;
	r->number = number;
	r->date = date;
	r->text = text;
	r->confidence = conf;
	r->start = c->map[a];
	r->end = meta_oend(c, b);
	return 0;
}

void meta_find_bases(ctx *c)
{
	size_t pos = c->head_end, a, b, next, lim = c->fn < HEAD_MAX * 4 ? c->fn : HEAD_MAX * 4;
	size_t para = SIZE_MAX, i;

	/* gazette prints may hold the heading and bases before the number */
	if (c->abs_end && c->abs_end < c->head_end && c->num_line != SIZE_MAX &&
	    c->abs_end < c->num_line)
		pos = c->abs_end;
	c->head_end = pos;

	c->bases_start = c->bases_end = c->body_start = c->head_end;
	while (pos < lim && meta_line_at(c, pos, &a, &b, &next)) {
		int mark = 0;

		if (meta_starts(c->f + a, b - a, "can cu")) {
			if (para == SIZE_MAX)
				c->bases_start = a;
			para = a;
		} else {
			for (i = 1; i < meta_n_body_marks; i++)
				if (meta_starts(c->f + a, b - a, meta_body_marks[i]))
					mark = 1;
			if (a < b && meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]) &&
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
				  (k > s + 6 && meta_starts(c->f + k, c->bases_end - k, "can cu") &&
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
				if (meta_starts(c->f + a2, b2 - a2, "can cu")) {
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

void meta_find_effective(ctx *c)
{
	regmatch_t rm[12];
	char iso[11];

	if (!meta_rx(c, c->re_eff, c->body_start, c->fn, rm, 12)) {
		meta_warn(c->m, "no effective date clause found");
		return;
	}
	if (rm[3].rm_so >= 0 && (!memcmp(c->f + rm[3].rm_so, "ky", 2) ||
				 !memcmp(c->f + rm[3].rm_so, "ban hanh", 8))) {
		if (c->m->issue_date.value)
			meta_field_set(c, &c->m->effective_date, strdup(c->m->issue_date.value), 0.9,
				       (size_t)rm[0].rm_so, (size_t)rm[0].rm_eo);
		return;
	}
	if (!meta_date_groups(c, rm, 4, iso))
		meta_field_set(c, &c->m->effective_date, strdup(iso), 0.9, (size_t)rm[0].rm_so,
			       (size_t)rm[0].rm_eo);
}

/* Citations after "thay thế", "bãi bỏ", "sửa đổi, bổ sung". */
void meta_scan_relations(ctx *c, size_t from, size_t to)
{
	regmatch_t rm[10];
	size_t pos = from;
	char *own = c->m->number.value ? vb_docnum_canonical(c->m->number.value) : NULL;

	while (meta_rx(c, c->re_cite, pos, to, rm, 10)) {
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
		if (!list || !meta_num_has_symbol(c->f + s, e - s))
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
			char *num = meta_number_value(c, s, &e), *canon = num ? vb_docnum_canonical(num) : NULL;
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
