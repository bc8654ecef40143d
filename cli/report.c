/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban report`: the yearly activity report (lib/report.h) as JSON, CSV
 * or HTML, on standard output or into a file (written to FILE.tmp and
 * renamed, so a half-written report never takes the place of a good one);
 * `vanban report --purge` deletes the query texts older than the retention
 * (activity_query_days) and says how many rows went.
 */
#include "commands.h"
#include "portal.h"
#include "report.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vanban report [--year YYYY] [--portal ID] [--format json|csv|html]\n"
		"                     [--top N] [--min-count K] [--out FILE]\n"
		"       vanban report --purge\n\n"
		"  --year YYYY      the calendar year reported (default: this year)\n"
		"  --portal ID      one portal: its usage, and the documents of the issuers\n"
		"                   of its scope (default: all portals, all documents)\n"
		"  --format F       json (default), csv or html (one page with charts)\n"
		"  --top N          longest lists (issuers, queries, documents), 1-100, default 20\n"
		"  --min-count K    list a query only when seen at least K times\n"
		"                   (default: activity_min_count, 3)\n"
		"  --out FILE       write to FILE instead of standard output\n"
		"  --purge          delete query texts older than activity_query_days (90)\n");
}

static int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int write_out(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	FILE *f;

	if (!path)
		return fwrite(data, 1, len, stdout) == len && !fflush(stdout) ? 0 : -1;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!(f = fopen(tmp, "w")))
		return -1;
	if (fwrite(data, 1, len, f) != len || fclose(f)) {
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}

int vb_cmd_report(vb_config *cfg, int argc, char **argv)
{
	vb_report_opts o;
	enum vb_report_format fmt = VB_REPORT_JSON;
	const char *out_path = NULL;
	vb_store *st = NULL;
	json_t *report = NULL;
	vb_error err;
	vb_buf b;
	time_t now = time(NULL);
	struct tm tm;
	long v;
	int i, purge = 0, status = 2;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_REPORT_MAX_BYTES);
	memset(&o, 0, sizeof(o));
	localtime_r(&now, &tm);
	o.year = tm.tm_year + 1900;
	o.min_count = cfg->activity_min_count > 0 ? cfg->activity_min_count : 3;
	o.top = 20;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			status = 0;
			goto out;
		} else if (!strcmp(a, "--purge")) {
			purge = 1;
			continue;
		}
		if (strcmp(a, "--year") && strcmp(a, "--portal") && strcmp(a, "--format") &&
		    strcmp(a, "--top") && strcmp(a, "--min-count") && strcmp(a, "--out")) {
			fprintf(stderr, "vanban report: unknown argument \"%s\"\n", a);
			usage(stderr);
			goto out;
		}
		if (!val) {
			fprintf(stderr, "vanban report: %s needs a value\n", a);
			usage(stderr);
			goto out;
		}
		i++;
		if (!strcmp(a, "--year")) {
			if (parse_int(val, VB_REPORT_YEAR_MIN, VB_REPORT_YEAR_MAX, &v)) {
				fprintf(stderr, "vanban report: invalid year \"%s\" (expected %d to %d)\n",
					val, VB_REPORT_YEAR_MIN, VB_REPORT_YEAR_MAX);
				goto out;
			}
			o.year = (int)v;
		} else if (!strcmp(a, "--portal")) {
			if (!*val || strlen(val) > VB_PORTAL_ID_MAX || !vb_portal_id_valid(val)) {
				fprintf(stderr, "vanban report: invalid portal \"%s\"\n", val);
				goto out;
			}
			o.portal = val;
		} else if (!strcmp(a, "--format")) {
			if (vb_report_format_parse(val, &fmt)) {
				fprintf(stderr, "vanban report: unknown format \"%s\" (expected json, csv "
						"or html)\n", val);
				goto out;
			}
		} else if (!strcmp(a, "--top")) {
			if (parse_int(val, 1, 100, &v)) {
				fprintf(stderr, "vanban report: invalid --top \"%s\" (expected 1 to 100)\n",
					val);
				goto out;
			}
			o.top = (size_t)v;
		} else if (!strcmp(a, "--min-count")) {
			if (parse_int(val, 1, 1000000, &v)) {
				fprintf(stderr, "vanban report: invalid --min-count \"%s\" (expected 1 to "
						"1000000)\n", val);
				goto out;
			}
			o.min_count = (int)v;
		} else {
			out_path = val; /* --out */
		}
	}
	if (vb_store_open(&st, cfg->db, &err)) {
		fprintf(stderr, "vanban report: %s\n", err.msg);
		goto out;
	}
	if (purge) {
		int64_t n = 0;

		if (vb_store_activity_purge(st, cfg->activity_query_days, &n, &err)) {
			fprintf(stderr, "vanban report: %s\n", err.msg);
			goto out;
		}
		printf("deleted %lld query text row(s) older than %d days\n", (long long)n,
		       cfg->activity_query_days);
		status = 0;
		goto out;
	}
	if (vb_report_build(st, &o, &report, &err) || vb_report_render(report, fmt, &b, &err)) {
		fprintf(stderr, "vanban report: %s\n", err.msg);
		goto out;
	}
	if (write_out(out_path, vb_buf_str(&b), b.len)) {
		fprintf(stderr, "vanban report: could not write \"%s\": %s\n",
			out_path ? out_path : "standard output", strerror(errno));
		goto out;
	}
	status = 0;
out:
	json_decref(report);
	vb_buf_dispose(&b);
	vb_store_free(st);
	return status;
}
