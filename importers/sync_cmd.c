/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban sync`: run one upstream sync, or print the sync report.
 *
 *   vanban sync vbpl|congbao [--base-url URL | --mirror DIR] [--window DAYS]
 *                    [--max N] [--max-pages N] [--list-path PATH]
 *                    [--issue-path PATH] [--rate-ms MS] [--retries N]
 *                    [--backoff-ms MS] [--timeout S] [--quiet]
 *   vanban sync --report [--json] [SOURCE]
 *   vanban sync review [list] [--json] [--status pending|accepted|rejected|all]
 *                      [--source SOURCE] [--max N]
 *   vanban sync review accept ID [--reason TEXT]
 *   vanban sync review reject ID --reason TEXT
 *
 * The window and rate default to the configuration (sync_window,
 * sync_rate_ms), vbpl's base URL and list path too (sync_vbpl_url,
 * sync_vbpl_list), the gazette's too (sync_congbao_url, sync_congbao_list,
 * sync_congbao_issue).  For congbao --list-path is the issues of a year
 * ("{year}") and --issue-path the document list of an issue ("{unid}"),
 * --max-pages the number of issues read.
 */
#include "../cli/commands.h"
#include "sync.h"

#include "config.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: vanban sync vbpl|congbao [--base-url URL | --mirror DIR] [--window DAYS]\n"
		"                        [--max N] [--max-pages N] [--list-path PATH]\n"
		"                        [--issue-path PATH] [--rate-ms MS] [--retries N]\n"
		"                        [--backoff-ms MS] [--timeout S] [--quiet]\n"
		"       vanban sync --report [--json] [SOURCE]\n"
		"       vanban sync review [list] [--json] [--status pending|accepted|rejected|all]\n"
		"                          [--source SOURCE] [--max N]\n"
		"       vanban sync review accept ID [--reason TEXT]\n"
		"       vanban sync review reject ID --reason TEXT\n");
	return 2;
}

static int num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void print_report(json_t *rep)
{
	json_t *s, *run;
	size_t i, k;

	json_array_foreach(json_object_get(rep, "sources"), i, s) {
		printf("%s: checkpoint %s, %lld records (%lld linked to local documents, %lld failing)\n",
		       json_string_value(json_object_get(s, "source")),
		       json_string_value(json_object_get(s, "checkpoint")) ?
			       json_string_value(json_object_get(s, "checkpoint")) : "none",
		       (long long)json_integer_value(json_object_get(s, "items")),
		       (long long)json_integer_value(json_object_get(s, "linked")),
		       (long long)json_integer_value(json_object_get(s, "items_failing")));
		json_array_foreach(json_object_get(s, "runs"), k, run) {
			const char *msg = json_string_value(json_object_get(run, "message"));

			printf("  run %lld %s %s: %lld new, %lld changed, %lld unchanged, %lld linked,"
			       " %lld failed, %lld conflicts%s%s\n",
			       (long long)json_integer_value(json_object_get(run, "id")),
			       json_string_value(json_object_get(run, "started_at")),
			       json_string_value(json_object_get(run, "status")),
			       (long long)json_integer_value(json_object_get(run, "new")),
			       (long long)json_integer_value(json_object_get(run, "changed")),
			       (long long)json_integer_value(json_object_get(run, "unchanged")),
			       (long long)json_integer_value(json_object_get(run, "linked")),
			       (long long)json_integer_value(json_object_get(run, "failed")),
			       (long long)json_integer_value(json_object_get(run, "conflicts")),
			       msg ? ": " : "", msg ? msg : "");
		}
	}
	printf("conflicts pending review: %lld\n",
	       (long long)json_integer_value(json_object_get(rep, "conflicts_pending")));
	json_array_foreach(json_object_get(rep, "reviews"), i, s) {
		const char *l = json_string_value(json_object_get(s, "local_value"));

		printf("  review %lld: document %lld, %s %s: %s: local \"%s\", upstream \"%s\"\n",
		       (long long)json_integer_value(json_object_get(s, "id")),
		       (long long)json_integer_value(json_object_get(s, "document_id")),
		       json_string_value(json_object_get(s, "source")),
		       json_string_value(json_object_get(s, "source_id")),
		       json_string_value(json_object_get(s, "field")), l ? l : "",
		       json_string_value(json_object_get(s, "upstream_value")));
	}
}

static int report(vb_config *cfg, int as_json, const char *source)
{
	vb_store *st = NULL;
	json_t *rep = NULL;
	vb_error err;
	int rc = 0;

	vb_error_clear(&err);
	if (vb_store_open(&st, cfg->db, &err) || vb_store_sync_status(st, source, 10, &rep, &err)) {
		fprintf(stderr, "vanban sync: %s\n", err.msg);
		rc = 2;
		goto out;
	}
	if (as_json) {
		char *s = json_dumps(rep, JSON_INDENT(1));

		if (s)
			puts(s);
		free(s);
	} else {
		print_report(rep);
	}
out:
	json_decref(rep);
	vb_store_free(st);
	return rc;
}

static void print_review(json_t *r)
{
	const char *l = json_string_value(json_object_get(r, "local_value"));
	const char *u = json_string_value(json_object_get(r, "upstream_value"));
	const char *num = json_string_value(json_object_get(r, "number"));
	const char *why = json_string_value(json_object_get(r, "reason"));

	printf("review %lld [%s]: document %lld%s%s, %s %s: %s: local \"%s\", upstream \"%s\"%s%s\n",
	       (long long)json_integer_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(r, "status")),
	       (long long)json_integer_value(json_object_get(r, "document_id")), num ? " " : "",
	       num ? num : "", json_string_value(json_object_get(r, "source")),
	       json_string_value(json_object_get(r, "source_id")),
	       json_string_value(json_object_get(r, "field")), l ? l : "", u ? u : "",
	       why ? ": " : "", why ? why : "");
}

/* vanban sync review ...: list the review list, accept or reject an item.
 * Exit 0, 1 (no such item, not pending, bad reason), 2 (usage, database). */
static int review(vb_config *cfg, int argc, char **argv)
{
	const char *op = "list", *status = "pending", *source = NULL, *reason = NULL;
	int i = 2, as_json = 0, rc = 0;
	long id = 0, max = 100;
	vb_store *st = NULL;
	json_t *out = NULL, *r;
	vb_error err;
	size_t k;

	if (i < argc && argv[i][0] != '-')
		op = argv[i++];
	if (!strcmp(op, "accept") || !strcmp(op, "reject")) {
		if (i >= argc || num(argv[i], 1, 9000000000000000000L, &id)) {
			fprintf(stderr, "vanban sync review %s: needs the item's id (a number)\n", op);
			return 2;
		}
		i++;
	} else if (strcmp(op, "list")) {
		fprintf(stderr, "vanban sync review: unknown operation \"%s\" (list, accept, reject)\n",
			op);
		return usage();
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--reason") && val && strcmp(op, "list")) {
			reason = val;
			i++;
		} else if (!strcmp(a, "--json") && !strcmp(op, "list")) {
			as_json = 1;
		} else if (!strcmp(a, "--status") && val && !strcmp(op, "list")) {
			status = strcmp(val, "all") ? val : NULL;
			i++;
		} else if (!strcmp(a, "--source") && val && !strcmp(op, "list")) {
			source = val;
			i++;
		} else if (!strcmp(a, "--max") && val && !strcmp(op, "list")) {
			if (num(val, 1, VB_LOOKUP_MAX, &max)) {
				fprintf(stderr, "vanban sync review: --max needs a number 1-%d\n",
					VB_LOOKUP_MAX);
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "vanban sync review %s: unknown argument \"%s\"\n", op, a);
			return usage();
		}
	}
	if (!strcmp(op, "reject") && (!reason || !*reason)) {
		fprintf(stderr, "vanban sync review reject: --reason TEXT is required\n");
		return 2;
	}
	vb_error_clear(&err);
	if (vb_store_open(&st, cfg->db, &err)) {
		fprintf(stderr, "vanban sync review: could not connect to the database: %s\n", err.msg);
		return 2;
	}
	if (!strcmp(op, "list")) {
		if ((rc = vb_store_sync_reviews(st, status, source, (size_t)max, &out, &err))) {
			fprintf(stderr, "vanban sync review: %s\n", err.msg);
			rc = rc == VB_EINVAL ? 1 : 2;
		} else if (as_json) {
			char *s = json_dumps(out, JSON_INDENT(1));

			if (s)
				puts(s);
			free(s);
		} else {
			json_array_foreach(json_object_get(out, "reviews"), k, r)
				print_review(r);
			printf("%lld %s review item(s)\n",
			       (long long)json_integer_value(json_object_get(out, "total")),
			       status ? status : "");
		}
	} else {
		rc = vb_store_sync_review_resolve(st, (int64_t)id, !strcmp(op, "accept"), reason, &out,
						  &err);
		if (rc) {
			fprintf(stderr, "vanban sync review %s: %s\n", op, err.msg);
			rc = rc == VB_EDB || rc == VB_ENOMEM ? 2 : 1;
		} else {
			print_review(out);
		}
	}
	json_decref(out);
	vb_store_free(st);
	return rc;
}

int vb_cmd_sync(vb_config *cfg, int argc, char **argv)
{
	vb_sync_opts o;
	vb_sync_counts c;
	vb_store *st = NULL;
	vb_error err;
	char files[VB_CONFIG_STR + 16];
	const char *source = NULL, *base = NULL, *mirror = NULL;
	int i, want_report = 0, as_json = 0, rc, list_given = 0;
	long v;
	int64_t run_id;

	memset(&o, 0, sizeof(o));
	o.window_days = cfg->sync_window;
	o.min_interval = cfg->sync_rate_ms / 1000.0;
	o.list_path = cfg->sync_vbpl_list[0] ? cfg->sync_vbpl_list : NULL;
	o.retries = 3;
	o.backoff_ms = 1000;
	o.timeout = 60;
	o.log = stderr;
	if (argc > 1 && !strcmp(argv[1], "review"))
		return review(cfg, argc, argv);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

#define NUMOPT(name, min, max, dst)                                                  \
	if (!strcmp(a, name)) {                                                      \
		if (num(val, min, max, &v)) {                                        \
			fprintf(stderr, "vanban sync: %s needs a number %ld-%ld\n", name, \
				(long)(min), (long)(max));                           \
			return 2;                                                    \
		}                                                                    \
		dst = v;                                                             \
		i++;                                                                 \
		continue;                                                            \
	}
		NUMOPT("--window", 0, 3650, o.window_days)
		NUMOPT("--max", 0, 10000000, o.max_items)
		NUMOPT("--max-pages", 1, 1000000, o.max_pages)
		NUMOPT("--retries", 0, 10, o.retries)
		NUMOPT("--backoff-ms", 0, 600000, o.backoff_ms)
		NUMOPT("--timeout", 1, 3600, o.timeout)
		if (!strcmp(a, "--rate-ms")) {
			if (num(val, 0, 600000, &v))
				return usage();
			o.min_interval = v / 1000.0;
			i++;
		} else if (!strcmp(a, "--base-url") && val) {
			base = val;
			i++;
		} else if (!strcmp(a, "--mirror") && val) {
			mirror = val;
			i++;
		} else if (!strcmp(a, "--list-path") && val) {
			o.list_path = val;
			list_given = 1;
			i++;
		} else if (!strcmp(a, "--issue-path") && val) {
			o.item_path = val;
			i++;
		} else if (!strcmp(a, "--report")) {
			want_report = 1;
		} else if (!strcmp(a, "--json")) {
			as_json = 1;
		} else if (!strcmp(a, "--quiet")) {
			o.log = NULL;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return 0;
		} else if (a[0] != '-' && !source) {
			source = a;
		} else {
			fprintf(stderr, "vanban sync: unknown argument \"%s\"\n", a);
			return usage();
		}
	}
#undef NUMOPT
	if (want_report)
		return report(cfg, as_json, source);
	if (!source)
		return usage();
	if (strcmp(source, "vbpl") && strcmp(source, "congbao")) {
		fprintf(stderr, "vanban sync: unknown source \"%s\" (known: vbpl, congbao)\n", source);
		return 2;
	}
	if (!strcmp(source, "vbpl") && !base && !mirror && cfg->sync_vbpl_url[0])
		base = cfg->sync_vbpl_url;
	if (!strcmp(source, "congbao")) {
		if (!base && !mirror && cfg->sync_congbao_url[0])
			base = cfg->sync_congbao_url;
		if (!list_given) /* sync_vbpl_list is not for the gazette */
			o.list_path = cfg->sync_congbao_list[0] ? cfg->sync_congbao_list : NULL;
		if (!o.item_path && cfg->sync_congbao_issue[0])
			o.item_path = cfg->sync_congbao_issue;
	}
	if (!base == !mirror) {
		fprintf(stderr, "vanban sync: give --base-url URL or --mirror DIR "
				"(or set sync_vbpl_url / sync_congbao_url)\n");
		return 2;
	}
	if (vb_config_files_path(cfg, files, sizeof(files))) {
		fprintf(stderr, "vanban sync: data directory path too long\n");
		return 2;
	}
	o.source = source;
	o.base_url = base;
	o.mirror_dir = mirror;
	o.files_root = files;
	vb_error_clear(&err);
	if (vb_store_open(&st, cfg->db, &err)) {
		fprintf(stderr, "vanban sync: could not connect to the database: %s\n", err.msg);
		return 2;
	}
	rc = vb_sync_run(st, &o, &c, &run_id, &err);
	if (rc < 0)
		fprintf(stderr, "vanban sync: %s\n", err.msg);
	else
		printf("sync %s run %lld: %d new, %d changed, %d unchanged, %d linked, %d failed, "
		       "%d conflicts\n",
		       source, (long long)run_id, c.inserted, c.changed, c.unchanged, c.linked,
		       c.failed, c.conflicts);
	vb_store_free(st);
	return rc < 0 ? 2 : rc;
}
