/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validation of search parameters into a vb_search_req (see params.h).
 * Every message names the parameter it is about, so that an API client can
 * point at the field the user got wrong.
 */
#include "params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "document.h"
#include "error.h"
#include "portal.h"

enum {
	SEEN_Q = 1u << 0, SEEN_SORT = 1u << 1, SEEN_PAGE = 1u << 2,
	SEEN_PER_PAGE = 1u << 3, SEEN_FROM = 1u << 4, SEEN_TO = 1u << 5,
	SEEN_PREFER = 1u << 6, SEEN_SYNONYMS = 1u << 7, SEEN_LANG = 1u << 8,
	SEEN_IN_FORCE_ON = 1u << 12 /* relations */
};

static int fail(vb_param_error *perr, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(vb_param_error *perr, const char *param, const char *fmt, ...)
{
	va_list ap;

	if (perr) {
		snprintf(perr->parameter, sizeof(perr->parameter), "%.31s", param);
		va_start(ap, fmt);
		vsnprintf(perr->message, sizeof(perr->message), fmt, ap);
		va_end(ap);
	}
	return VB_EINVAL;
}

void vb_params_init(vb_params *p)
{
	memset(p, 0, sizeof(*p));
	vb_search_req_init(&p->req);
	p->page = 1;
	p->per_page = VB_PARAMS_DEFAULT_PER_PAGE;
	p->prefer_in_force = -1;
	p->synonyms = 1;
	p->default_prefer_in_force = 1;
}

int vb_params_text_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = u[i];
		size_t len, k;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and code points past U+10FFFF. */
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		/* C1 control characters. */
		if (cp >= 0x80 && cp < 0xa0)
			return 0;
		i += len;
	}
	return 1;
}

/* Parse a decimal integer in [lo, hi]; 0 on success. */
static int parse_uint(const char *s, size_t lo, size_t hi, size_t *out)
{
	size_t v = 0;
	const char *c;

	if (!*s || strlen(s) > 9)
		return -1;
	for (c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (size_t)(*c - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int once(vb_params *p, unsigned bit, const char *key, vb_param_error *perr)
{
	if (p->seen & bit)
		return fail(perr, key, "%s must not be given more than once", key);
	p->seen |= bit;
	return 0;
}

static int add_text_filter(const char **slots, size_t *n, const char *key,
			   const char *value, vb_param_error *perr)
{
	size_t len = strlen(value);

	if (len > VB_PARAMS_MAX_VALUE)
		return fail(perr, key, "%s must be at most %d bytes", key, VB_PARAMS_MAX_VALUE);
	if (!vb_params_text_ok(value, len))
		return fail(perr, key, "%s must be valid UTF-8 text", key);
	if (*n >= VB_SEARCH_MAX_FILTER_VALUES)
		return fail(perr, key, "%s may be given at most %d times", key,
			    VB_SEARCH_MAX_FILTER_VALUES);
	slots[(*n)++] = value;
	return 0;
}

static int set_date(vb_params *p, unsigned bit, char *slot, const char *key,
		    const char *value, vb_param_error *perr)
{
	char iso[VB_DATE_LEN];

	if (once(p, bit, key, perr))
		return VB_EINVAL;
	if (strlen(value) != 10 || value[4] != '-' || value[7] != '-' ||
	    vb_date_parse(value, iso, NULL) || strcmp(iso, value))
		return fail(perr, key, "%s must be a date YYYY-MM-DD", key);
	memcpy(slot, iso, VB_DATE_LEN);
	return 0;
}

int vb_params_add(vb_params *p, const char *key, const char *value,
		  vb_param_error *perr)
{
	vb_search_req *r = &p->req;
	size_t n;

	if (!key)
		return fail(perr, "", "empty parameter name");
	if (!value)
		value = "";
	if (!strcmp(key, "q")) {
		if (once(p, SEEN_Q, key, perr))
			return VB_EINVAL;
		n = strlen(value);
		if (n > VB_SEARCH_MAX_QUERY)
			return fail(perr, key, "q must be at most %d bytes", VB_SEARCH_MAX_QUERY);
		if (!vb_params_text_ok(value, n))
			return fail(perr, key, "q must be valid UTF-8 text");
		r->q = value;
		return 0;
	}
	if (!strcmp(key, "form") || !strcmp(key, "issuer") || !strcmp(key, "year") ||
	    !strcmp(key, "status")) {
		if (!*value)
			return 0; /* an empty form field: no filter */
		if (key[0] == 'f')
			return add_text_filter(r->forms, &r->n_forms, key, value, perr);
		if (key[0] == 'i')
			return add_text_filter(r->issuers, &r->n_issuers, key, value, perr);
		if (key[0] == 'y') {
			if (strlen(value) != 4 || parse_uint(value, 1000, 9999, &n))
				return fail(perr, key, "year must be a year of 4 digits");
			if (r->n_years >= VB_SEARCH_MAX_FILTER_VALUES)
				return fail(perr, key, "year may be given at most %d times",
					    VB_SEARCH_MAX_FILTER_VALUES);
			r->years[r->n_years++] = (int)n;
			return 0;
		}
		{
			const char *code = strlen(value) <= VB_PARAMS_MAX_VALUE ?
				vb_status_code(value) : NULL;

			if (!code)
				return fail(perr, key, "status must be a known status code or label");
			if (r->n_statuses >= VB_SEARCH_MAX_FILTER_VALUES)
				return fail(perr, key, "status may be given at most %d times",
					    VB_SEARCH_MAX_FILTER_VALUES);
			r->statuses[r->n_statuses++] = code;
			return 0;
		}
	}
	if (!strcmp(key, "issued_from") || !strcmp(key, "issued_to")) {
		int from = key[7] == 'f';

		if (!*value)
			return once(p, from ? SEEN_FROM : SEEN_TO, key, perr);
		return set_date(p, from ? SEEN_FROM : SEEN_TO,
				from ? r->issued_from : r->issued_to, key, value, perr);
	}
	if (!strcmp(key, "in_force_on")) { /* relations: documents in force that day */
		if (!*value)
			return once(p, SEEN_IN_FORCE_ON, key, perr);
		return set_date(p, SEEN_IN_FORCE_ON, r->in_force_on, key, value, perr);
	}
	if (!strcmp(key, "sort")) {
		if (once(p, SEEN_SORT, key, perr))
			return VB_EINVAL;
		if (!*value || !strcmp(value, "relevance"))
			r->sort = VB_SORT_RELEVANCE;
		else if (!strcmp(value, "issued"))
			r->sort = VB_SORT_ISSUED_ASC;
		else if (!strcmp(value, "-issued"))
			r->sort = VB_SORT_ISSUED_DESC;
		else
			return fail(perr, key, "sort must be one of relevance, issued, -issued");
		return 0;
	}
	if (!strcmp(key, "page")) {
		if (once(p, SEEN_PAGE, key, perr))
			return VB_EINVAL;
		if (!*value)
			return 0;
		if (parse_uint(value, 1, VB_SEARCH_MAX_PAGE, &p->page))
			return fail(perr, key, "page must be an integer from 1 to %d",
				    VB_SEARCH_MAX_PAGE);
		return 0;
	}
	if (!strcmp(key, "per_page")) {
		if (once(p, SEEN_PER_PAGE, key, perr))
			return VB_EINVAL;
		if (!*value)
			return 0;
		if (parse_uint(value, 1, VB_SEARCH_MAX_PER_PAGE, &p->per_page))
			return fail(perr, key, "per_page must be an integer from 1 to %d",
				    VB_SEARCH_MAX_PER_PAGE);
		return 0;
	}
	if (!strcmp(key, "prefer_in_force") || !strcmp(key, "synonyms")) {
		int prefer = key[0] == 'p';

		if (once(p, prefer ? SEEN_PREFER : SEEN_SYNONYMS, key, perr))
			return VB_EINVAL;
		if (!*value)
			return 0;
		if (strcmp(value, "0") && strcmp(value, "1"))
			return fail(perr, key, "%s must be 0 or 1", key);
		if (prefer)
			p->prefer_in_force = value[0] == '1';
		else
			p->synonyms = value[0] == '1';
		return 0;
	}
	if (!strcmp(key, "lang")) { /* widget: labels and pages in vi / en / zh */
		if (once(p, SEEN_LANG, key, perr))
			return VB_EINVAL;
		if (!*value)
			return 0;
		if (strcmp(value, "vi") && strcmp(value, "en") && strcmp(value, "zh"))
			return fail(perr, key, "lang must be one of vi, en, zh");
		memcpy(p->lang, value, 3);
		return 0;
	}
	if (!strcmp(key, "portal")) { /* portals: scope of a portal (portal.h) */
		if (p->portal)
			return fail(perr, key, "portal must not be given more than once");
		if (!*value)
			return 0;
		if (!vb_portal_id_valid(value))
			return fail(perr, key, "portal must be a portal id such as quangninh "
				    "or hongha.halong");
		p->portal = value;
		return 0;
	}
	{
		char shown[24];

		/* Echo a bounded, printable prefix of the unknown name. */
		vb_params_key_shown(shown, sizeof(shown), key);
		return fail(perr, shown, "unknown parameter \"%s\"", shown);
	}
}

int vb_params_finish(vb_params *p, vb_param_error *perr)
{
	vb_search_req *r = &p->req;

	if (r->issued_from[0] && r->issued_to[0] && strcmp(r->issued_from, r->issued_to) > 0)
		return fail(perr, "issued_to", "issued_to must not be before issued_from");
	if (p->page * p->per_page > VB_PARAMS_MAX_WINDOW)
		return fail(perr, "page", "page times per_page must be at most %d",
			    VB_PARAMS_MAX_WINDOW);
	r->offset = (p->page - 1) * p->per_page;
	r->limit = p->per_page;
	r->no_synonyms = !p->synonyms;
	r->no_status_rank = !(p->prefer_in_force >= 0 ? p->prefer_in_force :
			      p->default_prefer_in_force);
	return 0;
}

void vb_params_key_shown(char *out, size_t cap, const char *key)
{
	size_t i;

	snprintf(out, cap, "%s", key);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
}
