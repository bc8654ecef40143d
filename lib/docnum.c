/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Document number canonicalisation (contract in docnum.h).  The number is
 * first folded with vb_text_fold (which also maps the U+00D0 look-alike and
 * exotic spaces), then a leading label is skipped, then a form written
 * before the number ("QĐ 05/2023") is recognised, then one pass keeps
 * letters, digits and separators, upper-cases, unifies dashes and slashes
 * and drops white space and leading zeros.  vb_docnum_split cuts the key
 * into the parts a look-up by partial number needs.
 */
#include "docnum.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "error.h"
#include "text.h"

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Skip a leading "so", "so ky hieu", "no." ... label in a folded string. */
static const char *skip_label(const char *p)
{
	static const char *const labels[] = {
		"so ky hieu", "so hieu", "number", "so", "no", NULL
	};
	const char *const *l;

	while (is_space((unsigned char)*p))
		p++;
	for (l = labels; *l; l++) {
		size_t n = strlen(*l);
		char c;

		if (strncmp(p, *l, n) != 0)
			continue;
		c = p[n];
		if (!(is_space((unsigned char)c) || c == ':' || c == '.' ||
		      c == '#' || is_digit((unsigned char)c)))
			continue;
		p += n;
		while (is_space((unsigned char)*p) || *p == ':' || *p == '.' ||
		       *p == '#')
			p++;
		break;
	}
	return p;
}

static int is_alnum_cp(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return is_digit(cp) || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= 'a' && cp <= 'z');
	c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

static int32_t map_sep(int32_t cp)
{
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 ||
	    cp == 0xFF0D)
		return '-';
	if (cp == 0xFF0F || cp == 0x2044 || cp == 0x2215)
		return '/';
	return cp;
}

/* Forms that may be written before the number ("QĐ 05/2023", "Quyết định
 * số 05/2023"): folded spelling -> the abbreviation used in number symbols.
 * Longer spellings first, so that "thong tu lien tich" wins over "thong tu". */
static const struct {
	const char *folded;
	const char *abbr;
} forms[] = {
	{ "van ban hop nhat", "VBHN" }, { "thong tu lien tich", "TTLT" },
	{ "quyet dinh", "QD" }, { "nghi quyet", "NQ" }, { "nghi dinh", "ND" },
	{ "thong tu", "TT" }, { "chi thi", "CT" }, { "ke hoach", "KH" },
	{ "cong van", "CV" }, { "thong bao", "TB" }, { "bao cao", "BC" },
	{ "to trinh", "TTR" }, { "huong dan", "HD" }, { "cong dien", "CD" },
	{ "vbhn", "VBHN" }, { "ttlt", "TTLT" }, { "ttr", "TTR" },
	{ "qd", "QD" }, { "nq", "NQ" }, { "nd", "ND" }, { "tt", "TT" },
	{ "ct", "CT" }, { "kh", "KH" }, { "cv", "CV" }, { "tb", "TB" },
	{ "bc", "BC" }, { "hd", "HD" }, { "cd", "CD" },
};

/* If the folded p starts with a form name, white space, an optional "so"
 * label and a digit, return the abbreviation and set *rest to the digit. */
static const char *form_first(const char *p, const char **rest)
{
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i].folded);
		const char *q = p + n;

		if (strncmp(p, forms[i].folded, n) != 0 || !is_space((unsigned char)*q))
			continue;
		q = skip_label(q);
		if (is_digit((unsigned char)*q)) {
			*rest = q;
			return forms[i].abbr;
		}
	}
	return NULL;
}

/* The key of a folded, label-free number (see docnum.h). */
static char *canon_core(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i, n = strlen(s), last_alnum = 0;
	int any = 0, prev_alnum = 0;
	/* Upper-casing can lengthen a character ("ɐ", 2 bytes -> "Ɐ", 3 bytes;
	 * found by fuzz/fuzz_qparse): at most 4 bytes out for every
	 * character of 2 or more bytes in, and ASCII stays ASCII. */
	char *out = n < SIZE_MAX / 2 ? malloc(2 * n + 1) : NULL;

	if (!out)
		return NULL;
	for (i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		int alnum;

		if (k <= 0) { /* cannot happen: the fold is valid UTF-8 */
			i++;
			continue;
		}
		i += (size_t)k;
		if (cp < 0x80 && is_space(cp))
			continue;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
			continue;
		cp = map_sep(cp);
		alnum = is_alnum_cp(cp);
		if (!alnum && !any)
			continue; /* leading punctuation */
		/* leading zeros of a numeric segment, keeping one digit */
		if (cp == '0' && !prev_alnum) {
			size_t j = i;

			while (j < n && is_space(p[j]))
				j++; /* white space is dropped: "0 5" is "05" */
			if (j < n && is_digit(p[j]))
				continue;
		}
		prev_alnum = alnum;
		if (cp < 0x80 && cp >= 'a' && cp <= 'z')
			cp -= 32;
		else if (cp >= 0x80)
			cp = utf8proc_toupper(cp);
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
		if (alnum) {
			any = 1;
			last_alnum = o;
		}
	}
	if (!any) {
		free(out);
		return NULL;
	}
	out[last_alnum] = '\0'; /* trailing punctuation */
	return out;
}

/* Start of the symbol in a key: after the number and an optional 4-digit
 * year segment ("5/2023/QD-UBND" -> "QD-UBND", "2828/QD" -> "QD",
 * "5/2023" -> "").  *year gets the year or 0. */
static const char *key_symbol(const char *key, int *year)
{
	const char *s = strchr(key, '/'), *t;

	*year = 0;
	if (!s)
		return key + strlen(key);
	s++;
	t = strchr(s, '/');
	if ((t ? t - s : (ptrdiff_t)strlen(s)) == 4 && is_digit((unsigned char)s[0]) &&
	    is_digit((unsigned char)s[1]) && is_digit((unsigned char)s[2]) &&
	    is_digit((unsigned char)s[3])) {
		*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		return t ? t + 1 : s + 4;
	}
	return s;
}

/* The key, and whether it is a prefix key (form written first, so the
 * issuer part of the symbol is unknown). */
static char *canonical(const char *number, int *partial)
{
	char *folded = NULL, *out = NULL, *core = NULL;
	const unsigned char *p;
	const char *rest = NULL, *abbr, *sym;
	size_t n, i;
	int year;

	*partial = 0;
	if (!number || !*number || (n = strlen(number)) > VB_DOCNUM_MAX_BYTES)
		return NULL;
	folded = vb_text_fold(number, n);
	if (!folded)
		goto out;
	p = (const unsigned char *)folded;
	n = strlen(folded);
	for (i = 0; i < n;) { /* leading punctuation, before the label */
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);

		if (k > 0 && is_alnum_cp(cp))
			break;
		i += k > 0 ? (size_t)k : 1;
	}
	p = (const unsigned char *)skip_label((const char *)p + i);
	abbr = form_first((const char *)p, &rest);
	if (!abbr) {
		out = canon_core((const char *)p);
		goto out;
	}
	if (!(core = canon_core(rest)))
		goto out;
	sym = key_symbol(core, &year);
	while (*sym && (is_digit((unsigned char)*sym) || *sym == '/' || *sym == '-'))
		sym++; /* a year still being typed ("QĐ 05/20") is no symbol */
	if (*sym) { /* "Quyết định số 05/2023/QĐ-UBND": the number says it all */
		out = core;
		core = NULL;
		goto out;
	}
	n = strlen(core) + strlen(abbr) + 2;
	if (!(out = malloc(n)))
		goto out;
	snprintf(out, n, "%s/%s", core, abbr);
	*partial = 1;
out:
	free(core);
	free(folded);
	return out;
}

char *vb_docnum_canonical(const char *number)
{
	int partial;

	return canonical(number, &partial);
}

static int copy_part(char *dst, const char *src, size_t n)
{
	if (n >= VB_DOCNUM_PART_MAX)
		return VB_ETOOBIG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int vb_docnum_split(vb_docnum_keys *k, const char *number)
{
	char *key;
	const char *slash, *sym, *dash;
	int partial, year, rc = 0;

	memset(k, 0, sizeof(*k));
	if (number && strlen(number) > VB_DOCNUM_MAX_BYTES)
		return VB_ETOOBIG;
	if (!(key = canonical(number, &partial)))
		return VB_EINVAL; /* also on allocation failure: nothing to look up */
	if ((rc = copy_part(k->key, key, strlen(key))))
		goto out;
	k->partial = partial;
	slash = strchr(key, '/');
	if (!slash || !is_digit((unsigned char)key[0])) {
		/* not a number of the usual shape: only the whole key helps */
		goto out;
	}
	if ((rc = copy_part(k->number, key, (size_t)(slash - key))))
		goto out;
	sym = key_symbol(key, &year);
	k->year = year;
	if ((rc = copy_part(k->symbol, sym, strlen(sym))))
		goto out;
	dash = strchr(sym, '-');
	if ((rc = copy_part(k->type, sym, dash ? (size_t)(dash - sym) : strlen(sym))))
		goto out;
	if (year && snprintf(k->number_year, sizeof(k->number_year), "%s/%04d", k->number,
			     year) >= (int)sizeof(k->number_year)) {
		rc = VB_ETOOBIG;
		goto out;
	}
	if (k->type[0] &&
	    snprintf(k->number_type, sizeof(k->number_type), "%s/%s",
		     year ? k->number_year : k->number, k->type) >= (int)sizeof(k->number_type)) {
		rc = VB_ETOOBIG;
		goto out;
	}
out:
	if (rc)
		memset(k, 0, sizeof(*k));
	free(key);
	return rc;
}

int vb_docnum_key_matches(const char *stored, const char *partial)
{
	size_t n;

	if (!stored || !partial || !*partial)
		return 0;
	n = strlen(partial);
	if (strncmp(stored, partial, n))
		return 0;
	return stored[n] == '\0' || stored[n] == '-' || stored[n] == '/';
}

int vb_docnum_looks_like(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++) {
		size_t j = i;

		if (s[i] != '/')
			continue;
		while (j > 0 && is_space((unsigned char)s[j - 1]))
			j--;
		if (j > 0 && is_digit((unsigned char)s[j - 1]))
			return 1;
	}
	return 0;
}
