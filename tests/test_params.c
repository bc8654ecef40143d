/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit test of the daemon's search-parameter validation (daemon/params.c):
 * valid combinations give the expected vb_search_req, every invalid value
 * is refused with an error naming its parameter, filters repeat, the
 * limits (q length, per_page, page window, filter count) hold, and the
 * ranking switches prefer_in_force / synonyms reach the request (with the
 * configured default when prefer_in_force is absent).
 */
#include "params.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "tap.h"

/* Parse a NULL-terminated key, value, key, value ... list. */
static int parse(vb_params *p, vb_param_error *pe, const char *const *kv)
{
	size_t i;
	int rc;

	vb_params_init(p);
	memset(pe, 0, sizeof(*pe));
	for (i = 0; kv[i]; i += 2)
		if ((rc = vb_params_add(p, kv[i], kv[i + 1], pe)))
			return rc;
	return vb_params_finish(p, pe);
}

static const struct bad_case {
	const char *kv[8];
	const char param[16];
} bad[] = {
	{ { "per_page", "0", NULL }, "per_page" },
	{ { "per_page", "101", NULL }, "per_page" },
	{ { "per_page", "abc", NULL }, "per_page" },
	{ { "per_page", "-5", NULL }, "per_page" },
	{ { "per_page", "20", "per_page", "30", NULL }, "per_page" },
	{ { "page", "0", NULL }, "page" },
	{ { "page", "1.5", NULL }, "page" },
	{ { "page", "99999999999999999999", NULL }, "page" },
	{ { "page", "200", "per_page", "100", NULL }, "page" },
	{ { "sort", "date", NULL }, "sort" },
	{ { "sort", "issued", "sort", "-issued", NULL }, "sort" },
	{ { "year", "23", NULL }, "year" },
	{ { "year", "2023x", NULL }, "year" },
	{ { "year", "20234", NULL }, "year" },
	{ { "status", "valid-ish", NULL }, "status" },
	{ { "issued_from", "16/02/2023", NULL }, "issued_from" },
	{ { "issued_from", "2023-02-30", NULL }, "issued_from" },
	{ { "issued_to", "2023-13-01", NULL }, "issued_to" },
	{ { "issued_to", "yesterday", NULL }, "issued_to" },
	{ { "issued_from", "2023-05-01", "issued_to", "2023-01-01", NULL }, "issued_to" },
	{ { "q", "a", "q", "b", NULL }, "q" },
	{ { "q", "bad \xff utf8", NULL }, "q" },
	{ { "form", "bad \xc3", NULL }, "form" },
	{ { "issuer", "ctl \x01", NULL }, "issuer" },
	{ { "foo", "1", NULL }, "foo" },
	{ { "Q", "1", NULL }, "Q" },
	{ { "prefer_in_force", "2", NULL }, "prefer_in_force" },
	{ { "prefer_in_force", "yes", NULL }, "prefer_in_force" },
	{ { "prefer_in_force", "01", NULL }, "prefer_in_force" },
	{ { "prefer_in_force", "0", "prefer_in_force", "1", NULL }, "prefer_in_force" },
	{ { "synonyms", "no", NULL }, "synonyms" },
	{ { "synonyms", "-1", NULL }, "synonyms" },
	{ { "synonyms", "0", "synonyms", "0", NULL }, "synonyms" },
};

/* Ranking switches: parameters, the default given before parsing, and the
 * request fields they must produce. */
static const struct switch_case {
	const char *kv[6];
	int default_prefer;
	int no_status_rank, no_synonyms, prefer_seen;
	const char *name;
} switches[] = {
	{ { NULL }, 1, 0, 0, -1, "defaults: in force first, synonyms on" },
	{ { NULL }, 0, 1, 0, -1, "absent prefer_in_force takes the configured no" },
	{ { "prefer_in_force", "0", NULL }, 1, 1, 0, 0, "prefer_in_force=0 -> no_status_rank" },
	{ { "prefer_in_force", "1", NULL }, 0, 0, 0, 1, "prefer_in_force=1 overrides the config" },
	{ { "prefer_in_force", "", NULL }, 0, 1, 0, -1, "empty prefer_in_force is absent" },
	{ { "synonyms", "0", NULL }, 1, 0, 1, -1, "synonyms=0 -> no_synonyms" },
	{ { "synonyms", "1", NULL }, 1, 0, 0, -1, "synonyms=1 keeps them" },
	{ { "synonyms", "", NULL }, 1, 0, 0, -1, "empty synonyms is absent" },
	{ { "synonyms", "0", "prefer_in_force", "0", NULL }, 1, 1, 1, 0, "both switches" },
};

int main(void)
{
	vb_params p;
	vb_param_error pe;
	char longq[VB_SEARCH_MAX_QUERY + 2], longv[VB_PARAMS_MAX_VALUE + 2];
	size_t i;
	int rc;

	/* Defaults. */
	{
		const char *kv[] = { NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, 0, "no parameters is valid");
		tap_ok(p.req.q == NULL, "no q: match all");
		tap_is_int(p.req.limit, 20, "per_page defaults to 20");
		tap_is_int(p.req.offset, 0, "page defaults to 1");
		tap_is_int(p.req.sort, VB_SORT_RELEVANCE, "sort defaults to relevance");
	}

	/* A full valid combination. */
	{
		const char *kv[] = { "q", "quy chế cổng thông tin", "form", "Quyết định",
			"form", "Nghị quyết", "issuer", "UBND tỉnh Quảng Ninh", "year", "2023",
			"year", "2022", "status", "Còn hiệu lực", "status", "expired",
			"issued_from", "2023-01-01", "issued_to", "2023-12-31",
			"sort", "-issued", "page", "3", "per_page", "10", NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, 0, "full combination is valid");
		tap_is_str(p.req.q, "quy chế cổng thông tin", "q kept as given");
		tap_is_int(p.req.n_forms, 2, "form repeats (OR)");
		tap_is_str(p.req.forms[1], "Nghị quyết", "second form kept");
		tap_is_int(p.req.n_issuers, 1, "one issuer");
		tap_is_int(p.req.n_years, 2, "year repeats");
		tap_is_int(p.req.years[0], 2023, "year parsed");
		tap_is_int(p.req.n_statuses, 2, "status repeats");
		tap_is_str(p.req.statuses[0], "in_force", "status label mapped to its code");
		tap_is_str(p.req.statuses[1], "expired", "status code accepted");
		tap_is_str(p.req.issued_from, "2023-01-01", "issued_from");
		tap_is_str(p.req.issued_to, "2023-12-31", "issued_to");
		tap_is_int(p.req.sort, VB_SORT_ISSUED_DESC, "sort=-issued");
		tap_is_int(p.req.offset, 20, "offset = (page-1)*per_page");
		tap_is_int(p.req.limit, 10, "limit = per_page");
	}

	/* Empty values (as HTML forms send them) count as absent. */
	{
		const char *kv[] = { "q", "", "form", "", "year", "", "status", "",
			"issued_from", "", "issued_to", "", "sort", "", "page", "",
			"per_page", "", NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, 0, "empty values are accepted");
		tap_is_int(p.req.n_forms + p.req.n_years + p.req.n_statuses, 0,
			   "empty filters add nothing");
		tap_is_int(p.req.limit, 20, "empty per_page keeps the default");
	}
	{
		const char *kv[] = { "sort", "issued", "per_page", "100", "page", "100", NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, 0, "page 100 of 100 is at the window limit");
		tap_is_int(p.req.sort, VB_SORT_ISSUED_ASC, "sort=issued");
		tap_is_int(p.req.offset, 9900, "offset at the window limit");
	}
	vb_params_init(&p);
	rc = vb_params_add(&p, "q", NULL, &pe);
	tap_is_int(rc, 0, "?q without '=' is accepted");

	/* Ranking switches. */
	for (i = 0; i < sizeof(switches) / sizeof(switches[0]); i++) {
		const struct switch_case *c = &switches[i];
		size_t k;

		vb_params_init(&p);
		memset(&pe, 0, sizeof(pe));
		p.default_prefer_in_force = c->default_prefer;
		rc = 0;
		for (k = 0; c->kv[k] && !rc; k += 2)
			rc = vb_params_add(&p, c->kv[k], c->kv[k + 1], &pe);
		if (!rc)
			rc = vb_params_finish(&p, &pe);
		tap_is_int(rc, 0, "%s: accepted", c->name);
		tap_is_int(p.req.no_status_rank, c->no_status_rank, "%s: no_status_rank", c->name);
		tap_is_int(p.req.no_synonyms, c->no_synonyms, "%s: no_synonyms", c->name);
		tap_is_int(p.prefer_in_force, c->prefer_seen, "%s: prefer_in_force as given",
			   c->name);
	}

	/* Each invalid parameter names itself. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = parse(&p, &pe, bad[i].kv);
		tap_is_int(rc, VB_EINVAL, "case %zu (%s) is refused", i, bad[i].kv[0]);
		tap_is_str(pe.parameter, bad[i].param, "case %zu names %s", i, bad[i].param);
		tap_ok(strstr(pe.message, bad[i].param) != NULL, "case %zu message mentions %s: %s",
		       i, bad[i].param, pe.message);
	}

	/* Length limits. */
	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	{
		const char *kv[] = { "q", longq, NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, VB_EINVAL, "q of %d bytes is refused", VB_SEARCH_MAX_QUERY + 1);
		tap_is_str(pe.parameter, "q", "long q names q");
		longq[VB_SEARCH_MAX_QUERY] = '\0';
		rc = parse(&p, &pe, kv);
		tap_is_int(rc, 0, "q of exactly %d bytes is accepted", VB_SEARCH_MAX_QUERY);
	}
	memset(longv, 'x', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	{
		const char *kv[] = { "issuer", longv, NULL };

		rc = parse(&p, &pe, kv);
		tap_is_int(rc, VB_EINVAL, "issuer longer than %d bytes is refused",
			   VB_PARAMS_MAX_VALUE);
		tap_is_str(pe.parameter, "issuer", "long issuer names issuer");
	}

	/* At most VB_SEARCH_MAX_FILTER_VALUES values per filter. */
	vb_params_init(&p);
	rc = 0;
	for (i = 0; i < VB_SEARCH_MAX_FILTER_VALUES && !rc; i++)
		rc = vb_params_add(&p, "form", "Quyết định", &pe);
	tap_is_int(rc, 0, "%d form values are accepted", VB_SEARCH_MAX_FILTER_VALUES);
	rc = vb_params_add(&p, "form", "Quyết định", &pe);
	tap_is_int(rc, VB_EINVAL, "one more form value is refused");
	tap_is_str(pe.parameter, "form", "too many forms names form");
	vb_params_init(&p);
	rc = 0;
	for (i = 0; i <= VB_SEARCH_MAX_FILTER_VALUES && !rc; i++)
		rc = vb_params_add(&p, "year", "2020", &pe);
	tap_is_str(pe.parameter, "year", "too many years names year");

	/* Unknown names are echoed safely. */
	vb_params_init(&p);
	rc = vb_params_add(&p, "a\x01very-long-parameter-name-indeed-longer-than-24", "1", &pe);
	tap_is_int(rc, VB_EINVAL, "unknown long name refused");
	tap_ok(strchr(pe.message, '\x01') == NULL, "control characters are not echoed");
	{
		char shown[8];

		vb_params_key_shown(shown, sizeof(shown), "a\x01" "b\xc3\xa1" "c");
		tap_is_str(shown, "a?b??c", "key_shown: control and non-ASCII bytes become '?'");
		vb_params_key_shown(shown, sizeof(shown), "abcdefghij");
		tap_is_str(shown, "abcdefg", "key_shown: cut to the buffer");
		vb_params_key_shown(shown, sizeof(shown), "");
		tap_is_str(shown, "", "key_shown: empty stays empty");
	}

	/* UTF-8 checker. */
	tap_ok(vb_params_text_ok("Quảng Ninh", strlen("Quảng Ninh")), "Vietnamese is valid text");
	tap_ok(!vb_params_text_ok("\xc0\xaf", 2), "overlong encoding refused");
	tap_ok(!vb_params_text_ok("\xed\xa0\x80", 3), "surrogate refused");
	tap_ok(!vb_params_text_ok("\xe1\xba", 2), "truncated sequence refused");
	tap_ok(!vb_params_text_ok("\xc2\x85", 2), "C1 control refused");
	return tap_done();
}
