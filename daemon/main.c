/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanband: the HTTP daemon.  Reads the settings (config file, environment,
 * options), applies pending schema migrations, loads the synonym table
 * (so that a missing or broken file is reported at start-up; searches
 * then go on without it), starts the indexer in a
 * background thread (unless --no-indexer: a read-only replica), starts the
 * HTTP server (http.c) and waits for SIGINT / SIGTERM, then stops the
 * server, stops and joins the indexer and exits cleanly.  SIGHUP reopens
 * the log file (log_file).  With read_only (a replica) it neither migrates
 * nor indexes, and http.c refuses writes.
 */
#include "daemon.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "indexer.h"
#include "log.h"
#include "synonyms.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vanband [OPTIONS]\n\n"
		"  --listen ADDR:PORT  address to listen on, IPv4 or [IPv6] (VANBAN_LISTEN,\n"
		"                      default 127.0.0.1:8080)\n"
		"  --db CONNINFO       PostgreSQL connection string (VANBAN_DB)\n"
		"  --data-dir DIR      files and index directory (VANBAN_DATA_DIR)\n"
		"  --web-dir DIR       openapi.json and style.css (VANBAN_WEB_DIR)\n"
		"  --sql-dir DIR       schema migrations instead of the built-in ones\n"
		"  --threads N         HTTP worker threads (default: the cores, 2 to 16)\n"
		"  --config FILE       read settings from FILE (VANBAN_CONFIG)\n"
		"  --no-indexer        do not run the indexer (read-only replica)\n"
		"  --no-migrate        do not apply schema migrations at start-up\n"
		"  --read-only         a replica: no migrations, no indexer, writes answered\n"
		"                      503 (config read_only = true, VANBAN_READ_ONLY)\n\n"
		"Config file / environment only: synonyms = FILE (VANBAN_SYNONYMS, default\n"
		"%s/synonyms.tsv), prefer_in_force = yes|no (relevance ties:\n"
		"documents in force first; the search parameter prefer_in_force overrides),\n"
		"log_format = text|json (VANBAN_LOG_FORMAT), log_file = FILE (VANBAN_LOG_FILE;\n"
		"reopened on SIGHUP; default standard error).  See vanband(8), vanban.conf(5).\n",
		VB_PKGDATADIR);
}

struct indexer_ctx {
	const vb_config *cfg;
	volatile int stop;
	int rc;
};

static void *indexer_main(void *arg)
{
	struct indexer_ctx *ic = arg;
	vb_error err;

	vb_error_clear(&err);
	ic->rc = vb_indexer_run(ic->cfg, 1, &ic->stop, &err);
	if (ic->rc)
		vb_err("indexer stopped: %s", err.msg);
	return NULL;
}

static int migrate(const vb_config *cfg)
{
	vb_store *st = NULL;
	vb_error err;
	int applied = 0, rc;

	vb_error_clear(&err);
	if ((rc = vb_store_open(&st, cfg->db, &err)) ||
	    (rc = vb_store_migrate(st, cfg->sql_dir[0] ? cfg->sql_dir : NULL, &applied, &err)))
		vb_err("could not apply schema migrations: %s", err.msg);
	else if (applied)
		vb_info("applied %d schema migration(s)", applied);
	vb_store_free(st);
	return rc;
}

int main(int argc, char **argv)
{
	static vb_daemon d;
	vb_error err;
	sigset_t sigs;
	int rest, i, sig = 0, no_indexer = 0, no_migrate = 0, status = 1;
	struct indexer_ctx ic;
	pthread_t indexer;
	int indexer_started = 0;

	/* A search allocates and frees up to a few MB (document texts for
	 * snippets, Xapian blocks); with glibc's defaults each worker's arena
	 * gave that back to the kernel after every request and faulted it in
	 * again (madvise, page faults and TLB shoot-downs: 15 % of the
	 * daemon's CPU on number look-ups, docs/benchmarks.md).  Keep up to
	 * 16 MB free per arena, and map only blocks of 4 MB or more. */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	vb_error_clear(&err);
	if (vb_config_init(&d.cfg, &err) ||
	    vb_config_parse_args(&d.cfg, argc - 1, argv + 1, &rest, &err)) {
		fprintf(stderr, "vanband: %s\n", err.msg);
		return 2;
	}
	for (i = 1; i <= rest; i++) {
		if (!strcmp(argv[i], "--no-indexer")) {
			no_indexer = 1;
		} else if (!strcmp(argv[i], "--no-migrate")) {
			no_migrate = 1;
		} else if (!strcmp(argv[i], "--read-only")) {
			d.cfg.read_only = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("vanband %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "vanband: unknown argument \"%s\"\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (vb_config_index_path(&d.cfg, d.index_path, sizeof(d.index_path)) ||
	    vb_config_files_path(&d.cfg, d.files_path, sizeof(d.files_path))) {
		fprintf(stderr, "vanband: data directory path is too long\n");
		return 2;
	}

	/* A read-only replica never writes: its PostgreSQL is a hot standby
	 * and its index is written by xapian-replicate (docs/scaling.md). */
	if (d.cfg.read_only) {
		no_indexer = no_migrate = 1;
		d.cfg.sync_vbpl_url[0] = '\0';    /* no scheduled sync */
	}
	vb_log_set_json(d.cfg.log_json);
	/* accounts: the cost of new password hashes */
	vb_password_configure((unsigned)d.cfg.argon2_memory_kib, (unsigned)d.cfg.argon2_time);
	if (d.cfg.log_file[0] && vb_log_open_file(d.cfg.log_file)) {
		fprintf(stderr, "vanband: could not open log file \"%s\": %s\n", d.cfg.log_file,
			strerror(errno));
		return 2;
	}

	/* Signals are taken by sigwait() below; every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!no_migrate && migrate(&d.cfg))
		return 1;
	/* Load (and cache) the synonyms now; NULL is logged by the call. */
	vb_synonyms_free(vb_synonyms_shared(d.cfg.synonyms));
	vb_web_load(&d);
	if (vb_worker_setup()) {
		fprintf(stderr, "vanband: could not create thread data\n");
		goto out;
	}
	/* report: usage counters (a read-only replica cannot store them) */
	if (!d.cfg.read_only && vb_activity_start(&d, &err))
		vb_warn("usage counters are off: %s", err.msg);
	if (vb_sync_schedule_start(&d, &err)) /* sync: scheduled upstream sync */
		vb_warn("scheduled sync is off: %s", err.msg);
	if (vb_http_start(&d, &err)) {
		fprintf(stderr, "vanband: %s\n", err.msg);
		goto out;
	}
	if (!no_indexer) {
		memset(&ic, 0, sizeof(ic));
		ic.cfg = &d.cfg;
		if (pthread_create(&indexer, NULL, indexer_main, &ic)) {
			fprintf(stderr, "vanband: could not start the indexer thread\n");
			goto out;
		}
		indexer_started = 1;
	}
	printf("vanband listening on http://%s\n", d.cfg.listen);
	fflush(stdout);
	vb_info("listening on http://%s with %d threads%s", d.cfg.listen, d.cfg.threads,
		d.cfg.read_only ? " (read-only replica)" : no_indexer ? " (no indexer)" : "");

	/* SIGHUP reopens the log file (logrotate's postrotate); SIGINT and
	 * SIGTERM stop. */
	while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP) {
		if (d.cfg.log_file[0] && vb_log_open_file(d.cfg.log_file))
			vb_err("could not reopen log file: %s", strerror(errno));
		else
			vb_info("received SIGHUP, log reopened");
	}
	vb_info("received signal %d, stopping", sig);
	status = 0;
out:
	vb_http_stop(&d);
	vb_activity_stop(); /* report: flush the last usage counts */
	vb_sync_schedule_stop(); /* sync */
	if (indexer_started) {
		ic.stop = 1;
		pthread_join(indexer, NULL);
	}
	vb_worker_teardown();
	vb_portal_registry_forget();
	vb_web_dispose(&d);
	return status;
}
