/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indexer's subcommands of the `vanban` tool: `index [--follow]`
 * (drain the outbox, or keep following it until SIGINT/SIGTERM),
 * `reindex` (rebuild and swap the index) and `search` (run a search on the
 * live index, with the configured synonym table and tie-break, and print
 * the result as pretty JSON, for administrators and tests).  Signal handling lives here, not in the indexer library code.
 */
#include "../cli/commands.h"

#include "error.h"
#include "indexer.h"
#include "query.h"
#include "search.h"
#include "synonyms.h"
#include "xap.h"

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set by SIGINT / SIGTERM while `vanban index --follow` runs. */
static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int vb_cmd_index(vb_config *cfg, int argc, char **argv)
{
	struct sigaction sa;
	vb_error err;
	int follow = 0;

	if (want_help(argc, argv)) {
		printf("usage: vanban index [--follow]\n"
		       "Apply the pending index jobs; with --follow keep waiting for new ones\n"
		       "until interrupted (SIGINT/SIGTERM).\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--follow")) {
			follow = 1;
		} else {
			fprintf(stderr, "vanban index: unknown argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	vb_error_clear(&err);
	stop_requested = 0;
	if (follow) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (vb_indexer_run(cfg, follow, &stop_requested, &err)) {
		fprintf(stderr, "vanban index: %s\n", err.msg);
		return 2;
	}
	return 0;
}

int vb_cmd_reindex(vb_config *cfg, int argc, char **argv)
{
	vb_error err;
	size_t n = 0;

	if (want_help(argc, argv)) {
		printf("usage: vanban reindex\n"
		       "Rebuild the search index from the database and swap it in.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "vanban reindex: unexpected argument \"%s\"\n", argv[1]);
		return 2;
	}
	vb_error_clear(&err);
	if (vb_reindex_run(cfg, &n, &err)) {
		fprintf(stderr, "vanban reindex: %s\n", err.msg);
		return 2;
	}
	printf("reindexed %zu documents\n", n);
	return 0;
}

static json_t *result_json(const vb_search_result *res, size_t page, size_t per_page)
{
	json_t *o = json_object(), *a, *facets;

	json_object_set_new(o, "total", json_integer((json_int_t)res->total));
	json_object_set_new(o, "page", json_integer((json_int_t)page));
	json_object_set_new(o, "per_page", json_integer((json_int_t)per_page));
	json_object_set_new(o, "relaxed", json_boolean(res->relaxed));
	a = json_array();
	for (size_t i = 0; i < res->n_warnings && i < VB_SEARCH_MAX_WARNINGS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", res->warnings[i].code,
						   "message", res->warnings[i].msg));
	json_object_set_new(o, "query_warnings", a);
	json_object_set_new(o, "did_you_mean", !res->suggestion ? json_null() :
			    json_pack("{s:s, s:s, s:I}", "query", res->suggestion,
				      "kind", res->suggestion_kind ? res->suggestion_kind
								   : "spelling",
				      "total", (json_int_t)res->suggestion_total));
	a = json_array();
	for (size_t i = 0; i < res->n_words; i++)
		json_array_append_new(a, json_string(res->words[i]));
	json_object_set_new(o, "words", a);
	a = json_array();
	for (size_t i = 0; i < res->n_hits; i++) {
		json_t *h = json_object();
		json_t *d = json_loads(res->hits[i].data ? res->hits[i].data : "null",
				       JSON_DECODE_ANY, NULL);

		json_object_set_new(h, "id", json_integer(res->hits[i].id));
		json_object_set_new(h, "score", json_real(res->hits[i].score));
		json_object_set_new(h, "document", d ? d : json_null());
		json_array_append_new(a, h);
	}
	json_object_set_new(o, "hits", a);
	facets = json_object();
	for (int f = 0; f < VB_FACET_COUNT; f++) {
		a = json_array();
		for (size_t i = 0; i < res->facets[f].n; i++) {
			json_t *v = json_object();

			json_object_set_new(v, "value", json_string(res->facets[f].values[i].value));
			json_object_set_new(v, "count",
					    json_integer((json_int_t)res->facets[f].values[i].count));
			json_array_append_new(a, v);
		}
		json_object_set_new(facets, vb_facet_name((enum vb_facet_field)f), a);
	}
	json_object_set_new(o, "facets", facets);
	return o;
}

static int parse_size(const char *s, size_t min, size_t max, size_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void search_usage(FILE *f)
{
	fprintf(f, "usage: vanban search [--form X] [--issuer X] [--year N] [--status S]\n"
		   "                     [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
		   "                     [--sort relevance|issued_asc|issued_desc]\n"
		   "                     [--page N] [--per-page N] [--no-synonyms]\n"
		   "                     [--prefer-in-force=0|1] [QUERY...]\n"
		   "Filter options may be repeated (OR within a field, AND across fields).\n"
		   "QUERY uses the query language of docs/search.md (phrases, AND/OR/NOT,\n"
		   "-word, so: coquan: loai: nam: ngay: tinhtrang: ...).  --no-synonyms\n"
		   "turns off abbreviation expansion; --prefer-in-force=0 breaks relevance\n"
		   "ties by date only (default: the prefer_in_force setting).\n");
}

int vb_cmd_search(vb_config *cfg, int argc, char **argv)
{
	char path[PATH_MAX], q[VB_SEARCH_MAX_QUERY + 1] = "";
	vb_search_req req;
	vb_search_result res;
	vb_xap_reader *r = NULL;
	vb_synonyms *syn = NULL;
	vb_error err;
	size_t page = 1, per_page = 20, qlen = 0, v;
	json_t *out = NULL;
	int status = 2, prefer = cfg->prefer_in_force;

	vb_search_req_init(&req);
	vb_search_result_init(&res);
	vb_error_clear(&err);
	if (want_help(argc, argv)) {
		search_usage(stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int is_opt = a[0] == '-' && a[1] == '-' && a[2];

		if (!strcmp(a, "--no-synonyms")) {
			req.no_synonyms = 1;
			continue;
		}
		if (!strncmp(a, "--prefer-in-force", 17) && (a[17] == '=' || !a[17])) {
			const char *pv = a[17] == '=' ? a + 18 : val;

			if (!pv || (strcmp(pv, "0") && strcmp(pv, "1"))) {
				fprintf(stderr, "vanban search: --prefer-in-force must be 0 or 1\n");
				goto out;
			}
			prefer = pv[0] == '1';
			if (!a[17])
				i++;
			continue;
		}

		if (is_opt && strcmp(a, "--form") && strcmp(a, "--issuer") &&
		    strcmp(a, "--status") && strcmp(a, "--year") && strcmp(a, "--from") &&
		    strcmp(a, "--to") && strcmp(a, "--sort") && strcmp(a, "--page") &&
		    strcmp(a, "--per-page")) {
			fprintf(stderr, "vanban search: unknown option %s\n", a);
			search_usage(stderr);
			goto out;
		}
		if (is_opt && !val) {
			fprintf(stderr, "vanban search: option %s needs a value\n", a);
			goto out;
		}
		if (!strcmp(a, "--form") || !strcmp(a, "--issuer") || !strcmp(a, "--status")) {
			const char **arr = a[2] == 'f' ? req.forms : a[2] == 'i' ? req.issuers
								   : req.statuses;
			size_t *n = a[2] == 'f' ? &req.n_forms : a[2] == 'i' ? &req.n_issuers
							      : &req.n_statuses;

			if (*n >= VB_SEARCH_MAX_FILTER_VALUES) {
				fprintf(stderr, "vanban search: too many %s values\n", a);
				goto out;
			}
			arr[(*n)++] = val;
			i++;
		} else if (!strcmp(a, "--year")) {
			if (req.n_years >= VB_SEARCH_MAX_FILTER_VALUES ||
			    parse_size(val, 1, 9999, &v)) {
				fprintf(stderr, "vanban search: invalid --year \"%s\"\n", val);
				goto out;
			}
			req.years[req.n_years++] = (int)v;
			i++;
		} else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
			char *dst = a[2] == 'f' ? req.issued_from : req.issued_to;

			if (strlen(val) >= VB_DATE_LEN) {
				fprintf(stderr, "vanban search: invalid date \"%s\"\n", val);
				goto out;
			}
			memcpy(dst, val, strlen(val) + 1);
			i++;
		} else if (!strcmp(a, "--sort")) {
			if (!strcmp(val, "relevance"))
				req.sort = VB_SORT_RELEVANCE;
			else if (!strcmp(val, "issued_asc"))
				req.sort = VB_SORT_ISSUED_ASC;
			else if (!strcmp(val, "issued_desc"))
				req.sort = VB_SORT_ISSUED_DESC;
			else {
				fprintf(stderr, "vanban search: invalid --sort \"%s\"\n", val);
				goto out;
			}
			i++;
		} else if (!strcmp(a, "--page")) {
			if (parse_size(val, 1, VB_SEARCH_MAX_PAGE, &page)) {
				fprintf(stderr, "vanban search: invalid --page \"%s\"\n", val);
				goto out;
			}
			i++;
		} else if (!strcmp(a, "--per-page")) {
			if (parse_size(val, 1, VB_SEARCH_MAX_PER_PAGE, &per_page)) {
				fprintf(stderr, "vanban search: invalid --per-page \"%s\"\n", val);
				goto out;
			}
			i++;
		} else {
			size_t n = strlen(a);

			if (qlen + n + 1 > VB_SEARCH_MAX_QUERY) {
				fprintf(stderr, "vanban search: query is too long\n");
				goto out;
			}
			if (qlen)
				q[qlen++] = ' ';
			memcpy(q + qlen, a, n + 1);
			qlen += n;
		}
	}
	req.q = q;
	req.limit = per_page;
	req.offset = (page - 1) * per_page;
	req.no_status_rank = !prefer;
	if (!req.no_synonyms) {
		/* NULL when the file cannot be read (a warning is logged):
		 * search without expansion. */
		syn = vb_synonyms_shared(cfg->synonyms);
		req.synonyms = syn;
		req.no_synonyms = syn == NULL;
	}

	if (vb_config_index_path(cfg, path, sizeof(path))) {
		fprintf(stderr, "vanban search: data directory path is too long\n");
		goto out;
	}
	if (vb_xap_reader_open(&r, path, &err) || vb_search_run(r, &req, &res, &err)) {
		fprintf(stderr, "vanban search: %s\n", err.msg);
		goto out;
	}
	out = result_json(&res, page, per_page);
	if (!out || json_dumpf(out, stdout, JSON_INDENT(2)) != 0) {
		fprintf(stderr, "vanban search: could not write the result\n");
		goto out;
	}
	printf("\n");
	status = 0;
out:
	json_decref(out);
	vb_search_result_dispose(&res);
	vb_xap_reader_free(r);
	vb_synonyms_free(syn);
	return status;
}
