/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Document number canonicalisation (contract in docnum.h).  The number is
 * first folded with vb_text_fold (which also maps the U+00D0 look-alike and
 * exotic spaces), then a leading label is skipped, then one pass keeps
 * letters, digits and separators, upper-cases, unifies dashes and slashes
 * and drops white space and leading zeros.
 */
#include "docnum.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

char *vb_docnum_canonical(const char *number)
{
	char *folded = NULL, *out = NULL;
	const unsigned char *p;
	size_t len, o = 0, i, n, last_alnum = 0;
	int any = 0, prev_alnum = 0;

	if (!number || !*number || (len = strlen(number)) > VB_DOCNUM_MAX_BYTES)
		return NULL;
	folded = vb_text_fold(number, len);
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
	n = strlen((const char *)p);
	out = malloc(n + 1);
	if (!out)
		goto out;
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
		out = NULL;
		goto out;
	}
	out[last_alnum] = '\0'; /* trailing punctuation */
out:
	free(folded);
	return out;
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
