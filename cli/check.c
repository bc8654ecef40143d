/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban check [--repair] [--json] ...: verify the crash-safety invariants
 * on a live system (lib/check.h) and print each finding with what and
 * where.  With --repair, fix what can be fixed (index jobs, quarantine,
 * files from a backup), run the indexer until the outbox is drained, check
 * again and report what is left.  Exit status 0 clean, 1 findings (left),
 * 2 error.
 */
#include "commands.h"

#include "check.h"
#include "error.h"
#include "store.h"

#include "../indexer/indexer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_seconds(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < 0 || v > 100LL * 365 * 86400)
		return -1;
	*out = v;
	return 0;
}

static json_t *report_json(const vb_check_report *rep)
{
	json_t *o = json_object(), *a = json_array();

	for (size_t i = 0; i < rep->n; i++) {
		const vb_finding *f = &rep->findings[i];
		json_t *j = json_object();

		json_object_set_new(j, "kind", json_string(vb_finding_kind_name(f->kind)));
		json_object_set_new(j, "document_id",
				    f->document_id ? json_integer(f->document_id) : json_null());
		json_object_set_new(j, "sha256", f->sha256[0] ? json_string(f->sha256) : json_null());
		json_object_set_new(j, "path", f->path ? json_string(f->path) : json_null());
		json_object_set_new(j, "what", json_string(f->what));
		if (f->repair[0]) {
			json_object_set_new(j, "repaired", json_boolean(f->repaired));
			json_object_set_new(j, "repair", json_string(f->repair));
		}
		json_array_append_new(a, j);
	}
	json_object_set_new(o, "clean", json_boolean(rep->n == 0 && rep->dropped == 0));
	json_object_set_new(o, "documents", json_integer(rep->documents));
	json_object_set_new(o, "index_documents", json_integer(rep->index_documents));
	json_object_set_new(o, "index_pending", json_integer(rep->index_pending));
	json_object_set_new(o, "files", json_integer(rep->files));
	json_object_set_new(o, "file_bytes", json_integer(rep->file_bytes));
	json_object_set_new(o, "files_in_flight", json_integer(rep->files_in_flight));
	json_object_set_new(o, "jobs_pending", json_integer(rep->jobs_pending));
	json_object_set_new(o, "oldest_job_s", json_integer(rep->oldest_job_s));
	json_object_set_new(o, "findings", a);
	json_object_set_new(o, "findings_not_listed", json_integer((json_int_t)rep->dropped));
	return o;
}

static void report_text(const vb_check_report *rep, const char *title)
{
	size_t total = rep->n + rep->dropped;

	if (title)
		printf("%s\n", title);
	for (size_t i = 0; i < rep->n; i++) {
		const vb_finding *f = &rep->findings[i];

		printf("%s: %s\n", vb_finding_kind_name(f->kind), f->what);
		if (f->repair[0])
			printf("  %s: %s\n", f->repaired ? "repaired" : "NOT repaired", f->repair);
	}
	if (rep->dropped)
		printf("... and %zu more findings not listed\n", rep->dropped);
	printf("checked %lld documents (%lld in the index), %lld files (%lld bytes): ",
	       (long long)rep->documents, (long long)rep->index_documents, (long long)rep->files,
	       (long long)rep->file_bytes);
	if (total)
		printf("%zu finding%s\n", total, total == 1 ? "" : "s");
	else
		printf("clean\n");
	if (rep->index_pending || rep->files_in_flight || rep->jobs_pending)
		printf("in flight: %lld index jobs pending (oldest %lld s), %lld documents waiting "
		       "for them, %lld recent unreferenced or temporary files\n",
		       (long long)rep->jobs_pending, (long long)rep->oldest_job_s,
		       (long long)rep->index_pending, (long long)rep->files_in_flight);
}

int vb_cmd_check(vb_config *cfg, int argc, char **argv)
{
	vb_check_opts o;
	vb_check_report rep, after;
	vb_store *st = NULL;
	vb_error err;
	const char *files_from = NULL;
	int repair = 0, as_json = 0, rc, status = 2;
	size_t jobs = 0;
	json_t *out = NULL;

	vb_check_opts_init(&o);
	vb_check_report_init(&rep);
	vb_check_report_init(&after);
	vb_error_clear(&err);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: vanban check [--repair] [--json] [--grace SECONDS] "
			       "[--stuck SECONDS] [--no-hash] [--files-from DIR]\n"
			       "Verify that every stored document is in the index with its version,\n"
			       "that the index holds nothing else, that every referenced file is in the\n"
			       "file store with its SHA-256, that no file is orphaned or left over and\n"
			       "that no index job is stuck.  Exit status 0 clean, 1 findings, 2 error.\n\n"
			       "  --repair          enqueue index jobs and run the indexer, move orphaned\n"
			       "                    and temporary files to DATA/quarantine/, put back\n"
			       "                    missing or corrupted files from --files-from; then\n"
			       "                    check again and report what is left\n"
			       "  --json            print the report as JSON\n"
			       "  --grace SECONDS   unreferenced or temporary files younger than this are\n"
			       "                    in flight, not findings (default 3600)\n"
			       "  --stuck SECONDS   index jobs older than this are stuck (default 600)\n"
			       "  --no-hash         compare sizes only, do not read every file\n"
			       "  --files-from DIR  a backup (DIR/files/ab/cd/SHA) or file store\n"
			       "                    (DIR/ab/cd/SHA) to take good copies from\n");
			return 0;
		} else if (!strcmp(a, "--repair")) {
			repair = 1;
		} else if (!strcmp(a, "--json")) {
			as_json = 1;
		} else if (!strcmp(a, "--no-hash")) {
			o.verify_hashes = 0;
		} else if ((!strcmp(a, "--grace") || !strcmp(a, "--stuck")) && i + 1 < argc) {
			if (parse_seconds(argv[i + 1], a[2] == 'g' ? &o.grace_s : &o.stuck_s)) {
				fprintf(stderr, "vanban check: %s wants a number of seconds, not \"%s\"\n",
					a, argv[i + 1]);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--files-from") && i + 1 < argc) {
			files_from = argv[++i];
		} else {
			fprintf(stderr, "vanban check: unknown argument \"%s\"\n", a);
			return 2;
		}
	}
	if (files_from && !repair) {
		fprintf(stderr, "vanban check: --files-from is used by --repair only\n");
		return 2;
	}
	if ((rc = vb_store_open(&st, cfg->db, &err)) ||
	    (rc = vb_check_run(cfg, st, &o, &rep, &err)))
		goto fail;
	if (!repair || (rep.n == 0 && rep.dropped == 0)) {
		if (as_json) {
			out = report_json(&rep);
		} else {
			report_text(&rep, NULL);
		}
		status = rep.n || rep.dropped ? 1 : 0;
		goto done;
	}
	if ((rc = vb_check_repair(cfg, st, &rep, files_from, &jobs, &err)))
		goto fail;
	if (jobs && (rc = vb_indexer_run(cfg, 0, NULL, &err))) {
		vb_error_prefix(&err, "running the indexer after enqueueing %zu jobs", jobs);
		goto fail;
	}
	if ((rc = vb_check_run(cfg, st, &o, &after, &err)))
		goto fail;
	if (as_json) {
		out = report_json(&rep);
		json_object_set_new(out, "after_repair", report_json(&after));
	} else {
		report_text(&rep, "found:");
		report_text(&after, "\nafter repair:");
	}
	status = after.n || after.dropped ? 1 : 0;
	goto done;
fail:
	fprintf(stderr, "vanban check: %s\n", err.msg);
	status = 2;
done:
	if (out) {
		char *s = json_dumps(out, JSON_INDENT(1));

		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(out);
	}
	vb_check_report_dispose(&rep);
	vb_check_report_dispose(&after);
	vb_store_free(st);
	return status;
}
