/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Did you mean" for unaccented queries: how often it restores the right
 * accents, and what it costs.  Each line of QUERIES is an unaccented query
 * and the accented text it was made from (bench/dym_queries.py), tab
 * separated.  Every query is searched REPS times with the suggestion and
 * REPS times without (vb_search_run, no_suggest; no synonyms, 10 hits) on
 * the index at INDEX, timed with this thread's CPU clock; the suggestion
 * is right when it equals the accented text, case folded.
 *
 *   bench/dym INDEX QUERIES [REPS] [--verbose]
 *
 * Prints one summary line (with --verbose, first one line per query:
 * verdict, query, suggestion, expected).  Exit status 2 on bad usage or
 * unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "query.h"
#include "search.h"
#include "xap.h"

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* s case folded (NFC), or NULL. */
static char *casefold(const char *s)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
				 UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

/* Search q once (suggestion or not); the suggestion into sugg when asked. */
static double timed_search(vb_xap_reader *r, const char *q, int no_suggest, int reps,
			   char *sugg, size_t cap)
{
	double t0 = cpu_now();

	for (int k = 0; k < reps; k++) {
		vb_search_req req;
		vb_search_result res;
		vb_error err;

		vb_search_req_init(&req);
		vb_search_result_init(&res);
		req.q = q;
		req.limit = 10;
		req.no_synonyms = 1;
		req.no_suggest = no_suggest;
		if (vb_search_run(r, &req, &res, &err)) {
			fprintf(stderr, "dym: search \"%s\": %s\n", q, err.msg);
			exit(1);
		}
		if (sugg && k == 0)
			snprintf(sugg, cap, "%s", res.suggestion ? res.suggestion : "");
		vb_search_result_dispose(&res);
	}
	return (cpu_now() - t0) / reps;
}

int main(int argc, char **argv)
{
	vb_xap_reader *r;
	vb_error err;
	FILE *f;
	char line[2048];
	int reps = 3, verbose = 0, nargs = 0;
	const char *args[3] = { NULL, NULL, NULL };
	size_t n = 0, right = 0, none = 0;
	double with = 0, without = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			nargs = 4;
	}
	if (nargs < 2 || nargs > 3 || (args[2] && (reps = atoi(args[2])) < 1)) {
		fprintf(stderr, "usage: dym INDEX QUERIES [REPS] [--verbose]\n");
		return 2;
	}
	if (vb_xap_reader_open(&r, args[0], &err)) {
		fprintf(stderr, "dym: %s\n", err.msg);
		return 2;
	}
	if (!(f = fopen(args[1], "r"))) {
		perror(args[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		char *q = strtok(line, "\t\n"), *want = strtok(NULL, "\t\n");
		char sugg[1024], *a, *b;
		int ok;

		if (!q || !want || *q == '#')
			continue;
		with += timed_search(r, q, 0, reps, sugg, sizeof(sugg));
		without += timed_search(r, q, 1, reps, NULL, 0);
		a = casefold(sugg);
		b = casefold(want);
		ok = a && b && !strcmp(a, b);
		right += ok;
		none += !*sugg;
		n++;
		if (verbose)
			printf("%s\t%s\t%s\t%s\n", ok ? "right" : *sugg ? "wrong" : "none", q, sugg,
			       want);
		free(a);
		free(b);
	}
	fclose(f);
	vb_xap_reader_free(r);
	if (!n) {
		fprintf(stderr, "dym: no queries in %s\n", args[1]);
		return 2;
	}
	printf("%zu queries: %zu right, %zu wrong, %zu without a suggestion; CPU per search "
	       "%.3f ms with the suggestion, %.3f ms without (%.3f ms for it)\n",
	       n, right, n - right - none, none, with / (double)n * 1e3,
	       without / (double)n * 1e3, (with - without) / (double)n * 1e3);
	return 0;
}
