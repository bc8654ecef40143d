/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ELI-style stable identifiers (contract in eli.h): building the path of a
 * document from its number, form, issuer and date, and normalising a
 * requested path for look-up.
 */
#include "eli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "text.h"

#define SEG_MAX 128

size_t vb_eli_slug(const char *s, char *out, size_t cap)
{
	char f[1024];
	size_t n, i, o = 0;
	int dash = 0;

	if (!cap)
		return 0;
	out[0] = '\0';
	if (!s)
		return 0;
	n = vb_text_fold_buf(s, strlen(s), f, sizeof(f));
	if (n >= sizeof(f))
		n = sizeof(f) - 1;
	for (i = 0; i < n && f[i]; i++) {
		unsigned char c = (unsigned char)f[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && o && o + 1 < cap)
				out[o++] = '-';
			dash = 0;
			if (o + 1 >= cap)
				break;
			out[o++] = (char)c;
		} else {
			dash = 1;
		}
	}
	out[o] = '\0';
	return o;
}

/* Abbreviations of the usual forms (folded names). */
static const struct { const char *name, *abbr; } forms[] = {
	{ "quyet dinh", "qd" }, { "nghi quyet", "nq" }, { "nghi dinh", "nd" },
	{ "thong tu lien tich", "ttlt" }, { "thong tu", "tt" }, { "chi thi", "ct" },
	{ "cong van", "cv" }, { "thong bao", "tb" }, { "ke hoach", "kh" },
	{ "bo luat", "bl" }, { "luat", "luat" }, { "phap lenh", "pl" }, { "lenh", "l" },
	{ "hien phap", "hien-phap" }, { "van ban hop nhat", "vbhn" }, { "cong dien", "cd" },
	{ "bao cao", "bc" }, { "to trinh", "tt" }, { "huong dan", "hd" },
	{ "quy dinh", "qd" }, { "nghi quyet lien tich", "nqlt" },
};

static const char *form_abbr(const char *form)
{
	char f[SEG_MAX];
	size_t i;

	if (!form || !*form)
		return NULL;
	vb_eli_slug(form, f, sizeof(f));
	for (i = 0; f[i]; i++)
		if (f[i] == '-')
			f[i] = ' ';
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(forms[i].name, f))
			return forms[i].abbr;
	return NULL;
}

/* The province or city in an issuer name, or "tw" / "khong-ro". */
static void place_of(const char *issuer, char *out, size_t cap)
{
	static const char *const marks[] = { "tinh-", "thanh-pho-", "tp-" };
	char s[SEG_MAX * 2];
	const char *p = NULL;
	size_t i;

	snprintf(out, cap, "khong-ro");
	if (!issuer || !vb_eli_slug(issuer, s, sizeof(s)))
		return;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]) && !p; i++) {
		size_t ml = strlen(marks[i]);
		char *q = s;

		while ((q = strstr(q, marks[i])) != NULL) {
			if (q == s || q[-1] == '-') {
				p = q + ml;
				break;
			}
			q++;
		}
	}
	if (p && *p)
		snprintf(out, cap, "%s", p);
	else if (!p)
		snprintf(out, cap, "tw");
}

int vb_eli_build(const char *number, const char *form, const char *issuer,
		 const char *issue_date, char *out, size_t cap)
{
	vb_docnum_keys k;
	char place[SEG_MAX], iss[SEG_MAX], frm[SEG_MAX], num[SEG_MAX], sym[SEG_MAX];
	const char *abbr = form_abbr(form), *p;
	int year = 0, have = 0;
	size_t o = 0;

	memset(&k, 0, sizeof(k));
	if (cap)
		out[0] = '\0';
	if (number && *number && !vb_docnum_split(&k, number))
		have = 1;
	/* the number proper as written: first run of letters and digits that
	 * starts with a digit */
	num[0] = '\0';
	if (have && k.number[0] && number) {
		for (p = number; *p && !(*p >= '0' && *p <= '9'); p++)
			;
		while (*p && o + 1 < sizeof(num) &&
		       ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			num[o++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p), p++;
		num[o] = '\0';
	}
	year = have && k.year ? k.year : 0;
	if (!year && issue_date && strlen(issue_date) >= 4)
		year = atoi(issue_date);
	if (year < 1000 || year > 9999)
		year = 0;
	if (!year && !num[0])
		return VB_EINVAL;

	place_of(issuer, place, sizeof(place));

	vb_eli_slug(have ? k.symbol : "", sym, sizeof(sym));
	snprintf(iss, sizeof(iss), "khong-ro");
	frm[0] = '\0';
	if (sym[0]) {
		char *dash = strchr(sym, '-');

		if (abbr && !strcmp(abbr, "cv")) {
			/* a công văn's symbol is the issuer's own code */
			snprintf(iss, sizeof(iss), "%s", sym);
		} else if (dash) {
			snprintf(iss, sizeof(iss), "%s", dash + 1);
			if (!abbr)
				snprintf(frm, sizeof(frm), "%.*s", (int)(dash - sym), sym);
		} else {
			snprintf(iss, sizeof(iss), "%s", sym);
		}
	}
	if (!frm[0] && abbr)
		snprintf(frm, sizeof(frm), "%s", abbr);
	if (!frm[0] && !vb_eli_slug(form, frm, sizeof(frm)))
		snprintf(frm, sizeof(frm), "khong-ro");
	if (year)
		snprintf(out, cap, VB_ELI_PREFIX "%s/%s/%s/%d/%s", place, iss, frm, year,
			 num[0] ? num : "khong-so");
	else
		snprintf(out, cap, VB_ELI_PREFIX "%s/%s/%s/khong-nam/%s", place, iss, frm, num);
	return 0;
}

int vb_eli_normalize(const char *path, char *out, size_t cap)
{
	const char *p, *e;
	char seg[SEG_MAX * 2], slug[SEG_MAX * 2];
	size_t o, n, plen = strlen(VB_ELI_PREFIX);
	int nseg = 0;

	if (cap)
		out[0] = '\0';
	if (!path || cap < VB_ELI_MAX || strlen(path) >= VB_ELI_MAX ||
	    strncmp(path, VB_ELI_PREFIX, plen))
		return VB_EINVAL;
	memcpy(out, VB_ELI_PREFIX, plen);
	o = plen;
	p = path + plen;
	while (*p) {
		const char *s;

		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (!n) {
			if (*e == '/' && !e[1])
				break;
			out[0] = '\0';
			return VB_EINVAL;
		}
		if (n >= sizeof(seg) || ++nseg > 5) {
			out[0] = '\0';
			return VB_EINVAL;
		}
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (!vb_eli_slug(seg, slug, sizeof(slug))) {
			out[0] = '\0';
			return VB_EINVAL;
		}
		s = slug;
		if (*s >= '0' && *s <= '9')
			while (s[0] == '0' && s[1])
				s++;
		n = strlen(s);
		if (o + n + 2 >= cap) {
			out[0] = '\0';
			return VB_EINVAL;
		}
		if (nseg > 1)
			out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
		out[o] = '\0';
		p = *e ? e + 1 : e;
	}
	if (!nseg) {
		out[0] = '\0';
		return VB_EINVAL;
	}
	return 0;
}
