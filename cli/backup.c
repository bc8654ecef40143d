/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban backup DEST [--keep N] [--no-index] and vanban restore SRC
 * [--rebuild-index]: the orchestration around lib/backup.h.
 *
 * Backup consistency: under the advisory index lock (so no indexer batch is
 * half applied) a REPEATABLE READ transaction exports its snapshot and the
 * index is copied; the lock is then released and pg_dump runs on that same
 * snapshot (--snapshot), and the files listed in that snapshot are copied
 * (hard-linked from the previous backup when it has them).  So the dump,
 * the files and the index describe one moment: index jobs pending at that
 * moment are in the dump's outbox and are applied after a restore.
 *
 * Restore refuses a non-empty database or data directory, verifies every
 * checksum of the backup before touching anything, then runs pg_restore,
 * puts the files into the file store and the index in place (or rebuilds
 * it when the backup has none, or one of another format).
 */
#include "commands.h"

#include "backup.h"
#include "filestore.h"
#include "indexdoc.h"
#include "store.h"
#include "xap.h"

#include "../indexer/indexer.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEEP_MAX 100000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The connection string pg_dump / pg_restore get: the configured one, else
 * VANBAN_DB, else NULL (libpq's PG* environment). */
static const char *conninfo(const vb_config *cfg)
{
	const char *env = getenv("VANBAN_DB");

	if (cfg->db[0])
		return cfg->db;
	return env && *env ? env : NULL;
}

/* Run argv (no shell); 0 when it exited with status 0. */
static int run(char *const argv[], vb_error *err)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return vb_error_set(err, VB_EIO, "could not start %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "could not run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vb_error_set(err, VB_EIO, "could not wait for %s: %s", argv[0],
					    strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return vb_error_set(err, VB_EIO, "%s failed (exit status %d)", argv[0],
				    WEXITSTATUS(status));
	return vb_error_set(err, VB_EIO, "%s was killed by signal %d", argv[0], WTERMSIG(status));
}

static int parse_count(const char *s, size_t *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v < 1 || v > KEEP_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* The format recorded in the index at dir (1 when missing) and its size. */
static int index_info(const char *dir, int *format, size_t *docs, vb_error *err)
{
	vb_xap_reader *r = NULL;
	char *v = NULL;
	int rc;

	*format = 0;
	*docs = 0;
	if ((rc = vb_xap_reader_open(&r, dir, err)) ||
	    (rc = vb_xap_reader_get_metadata(r, VB_INDEX_FORMAT_KEY, &v, err)) ||
	    (rc = vb_xap_reader_doccount(r, docs, err)))
		goto out;
	*format = v && *v ? atoi(v) : 1;
out:
	free(v);
	vb_xap_reader_free(r);
	return rc;
}

int vb_cmd_backup(vb_config *cfg, int argc, char **argv)
{
	const char *dest = NULL, *db = conninfo(cfg);
	vb_store *st = NULL;
	vb_backup *b = NULL;
	vb_check_file *files = NULL;
	vb_error err;
	char snap[128], root[PATH_MAX], target[PATH_MAX], src[PATH_MAX], rel[PATH_MAX];
	char final[PATH_MAX], dump[PATH_MAX], snaparg[160], dbarg[VB_CONFIG_STR + 16];
	size_t keep = 0, nfiles = 0, linked = 0, bad = 0, idx_docs = 0, removed = 0;
	int64_t docs = 0, bytes = 0;
	int no_index = 0, locked = 0, in_snapshot = 0, format = 0, rc, status = 2;
	double t0 = now_s();

	vb_error_clear(&err);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: vanban backup DEST [--keep N] [--no-index]\n"
			       "Write a consistent backup into DEST/vanban-YYYYmmddTHHMMSSZ/: db.dump\n"
			       "(pg_dump -Fc), files/ (hard links to the previous backup in DEST where\n"
			       "the content is the same), index/ (a copy taken under the index lock)\n"
			       "and MANIFEST (every file with its SHA-256 and size).\n\n"
			       "  --keep N     then remove all but the newest N backups in DEST\n"
			       "  --no-index   leave the index out (restore rebuilds it)\n");
			return 0;
		} else if (!strcmp(argv[i], "--keep") && i + 1 < argc) {
			if (parse_count(argv[++i], &keep)) {
				fprintf(stderr, "vanban backup: --keep wants a number from 1 to %d, "
					"not \"%s\"\n", KEEP_MAX, argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--no-index")) {
			no_index = 1;
		} else if (argv[i][0] == '-' || dest) {
			fprintf(stderr, "vanban backup: unexpected argument \"%s\"\n", argv[i]);
			return 2;
		} else {
			dest = argv[i];
		}
	}
	if (!dest) {
		fprintf(stderr, "usage: vanban backup DEST [--keep N] [--no-index]\n");
		return 2;
	}
	if (vb_config_files_path(cfg, root, sizeof(root))) {
		fprintf(stderr, "vanban backup: data directory path is too long\n");
		return 2;
	}
	if ((rc = vb_store_open(&st, cfg->db, &err)) || (rc = vb_backup_begin(&b, dest, &err)))
		goto fail;
	/* One moment for everything: no indexer batch in between. */
	if ((rc = vb_store_index_lock(st, &err)))
		goto fail;
	locked = 1;
	if ((rc = vb_store_snapshot_begin(st, snap, sizeof(snap), &err)))
		goto fail;
	in_snapshot = 1;
	if ((rc = vb_store_count_documents(st, &docs, &err)) ||
	    (rc = vb_store_check_files(st, &files, &nfiles, &err)))
		goto fail;
	if (!no_index) {
		rc = vb_index_target(cfg, target, sizeof(target), &err);
		if (rc == VB_ENOTFOUND) {
			fprintf(stderr, "vanban backup: no index yet: the backup holds none (restore "
				"rebuilds it)\n");
			no_index = 1;
		} else if (rc || (rc = index_info(target, &format, &idx_docs, &err)) ||
			   (rc = vb_backup_add_dir(b, "index", target, &err))) {
			goto fail;
		}
	}
	locked = 0;
	if ((rc = vb_store_index_unlock(st, &err)))
		goto fail;

	snprintf(dump, sizeof(dump), "%s/db.dump", vb_backup_dir(b));
	snprintf(snaparg, sizeof(snaparg), "--snapshot=%s", snap);
	{
		char *pa[8];
		int k = 0;

		pa[k++] = "pg_dump";
		pa[k++] = "-Fc";
		pa[k++] = snaparg;
		pa[k++] = "-f";
		pa[k++] = dump;
		if (db) {
			snprintf(dbarg, sizeof(dbarg), "--dbname=%s", db);
			pa[k++] = dbarg;
		}
		pa[k] = NULL;
		if ((rc = run(pa, &err)) || (rc = vb_backup_add_written(b, "db.dump", &err)))
			goto fail;
	}
	for (size_t i = 0; i < nfiles; i++) {
		int was_linked = 0;

		if (vb_filestore_path(root, files[i].sha256, src, sizeof(src)))
			continue;
		snprintf(rel, sizeof(rel), "files/%.2s/%.2s/%s", files[i].sha256,
			 files[i].sha256 + 2, files[i].sha256);
		rc = vb_backup_add_file(b, rel, src, files[i].sha256, &was_linked, &err);
		if (rc == VB_EINVAL || (rc == VB_EIO && access(src, F_OK) != 0)) {
			/* a damaged or missing store file: say so, back up the rest */
			fprintf(stderr, "vanban backup: %s\n", err.msg);
			bad++;
			continue;
		}
		if (rc)
			goto fail;
		linked += (size_t)was_linked;
		bytes += files[i].size;
	}
	in_snapshot = 0;
	if ((rc = vb_store_snapshot_end(st, &err)))
		goto fail;
	vb_backup_set(b, "index_format", no_index ? json_null() : json_integer(format));
	vb_backup_set(b, "counts", json_pack("{s:I, s:I, s:I}", "documents", (json_int_t)docs,
					     "files", (json_int_t)(nfiles - bad),
					     "index_documents", (json_int_t)idx_docs));
	if ((rc = vb_backup_finish(b, final, sizeof(final), &err))) {
		b = NULL;
		goto fail;
	}
	b = NULL;
	printf("backup %s: %lld documents, %zu files (%lld bytes, %zu linked from the previous "
	       "backup), index %s, in %.1f s\n", final, (long long)docs, nfiles - bad,
	       (long long)bytes, linked, no_index ? "not included" : "included", now_s() - t0);
	if (keep) {
		if ((rc = vb_backup_prune(dest, keep, &removed, &err)))
			goto fail;
		printf("kept the newest %zu backups, removed %zu\n", keep, removed);
	}
	status = bad ? 1 : 0;
	if (bad)
		fprintf(stderr, "vanban backup: %zu damaged or missing files were left out: run "
			"\"vanban check\"\n", bad);
	goto out;
fail:
	fprintf(stderr, "vanban backup: %s\n", err.msg);
	status = 2;
out:
	if (in_snapshot)
		vb_store_snapshot_end(st, NULL);
	if (locked)
		vb_store_index_unlock(st, NULL);
	vb_backup_abort(b);
	free(files);
	vb_store_free(st);
	return status;
}

/* ---- restore -------------------------------------------------------- */

static int dir_is_empty(const char *path, int *empty, vb_error *err)
{
	DIR *d = opendir(path);
	struct dirent *e;

	*empty = 1;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return vb_error_set(err, VB_EIO, "could not open directory \"%s\": %s", path,
				    strerror(errno));
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			*empty = 0;
			break;
		}
	closedir(d);
	return 0;
}

static int install_index(const vb_config *cfg, const char *src, json_t *entries, size_t *n,
			 vb_error *err)
{
	char dir[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	json_t *e;
	size_t i;
	int rc;

	*n = 0;
	snprintf(dir, sizeof(dir), "%s/index.1", cfg->data_dir);
	snprintf(tmp, sizeof(tmp), "%s/index.new.%ld", cfg->data_dir, (long)getpid());
	if (vb_config_index_path(cfg, link, sizeof(link)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if (mkdir(dir, 0755) != 0)
		return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s", dir,
				    strerror(errno));
	json_array_foreach(entries, i, e) {
		const char *rel = json_string_value(json_object_get(e, "path"));
		FILE *in, *out;
		char buf[65536];
		size_t k;

		if (strncmp(rel, "index/", 6) != 0 || strchr(rel + 6, '/'))
			continue;
		if (snprintf(from, sizeof(from), "%s/%s", src, rel) >= (int)sizeof(from) ||
		    snprintf(to, sizeof(to), "%s/%s", dir, rel + 6) >= (int)sizeof(to))
			return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", rel);
		if (!(in = fopen(from, "rb")))
			return vb_error_set(err, VB_EIO, "could not open \"%s\": %s", from,
					    strerror(errno));
		if (!(out = fopen(to, "wbx"))) {
			fclose(in);
			return vb_error_set(err, VB_EIO, "could not create \"%s\": %s", to,
					    strerror(errno));
		}
		while ((k = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, k, out) != k)
				break;
		rc = ferror(in) || ferror(out);
		fclose(in);
		if (fclose(out) != 0 || rc)
			return vb_error_set(err, VB_EIO, "could not copy \"%s\" to \"%s\"", from, to);
		(*n)++;
	}
	unlink(tmp);
	if (symlink("index.1", tmp) != 0 || rename(tmp, link) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not create symlink \"%s\": %s", link,
				  strerror(errno));
		unlink(tmp);
		return rc;
	}
	return 0;
}

int vb_cmd_restore(vb_config *cfg, int argc, char **argv)
{
	const char *srcdir = NULL, *db = conninfo(cfg);
	json_t *m = NULL, *entries, *e;
	vb_store *st = NULL;
	vb_error err;
	char root[PATH_MAX], dump[PATH_MAX], dbarg[VB_CONFIG_STR + 16], path[PATH_MAX], got[65];
	int rebuild = 0, empty = 0, rc, status = 2, format;
	size_t i, nfiles = 0, nindex = 0, reindexed = 0;
	double t0 = now_s();

	vb_error_clear(&err);
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			printf("usage: vanban restore SRC [--rebuild-index]\n"
			       "Restore the backup directory SRC (DEST/vanban-.../ written by vanban\n"
			       "backup) onto an EMPTY database and an empty or missing data directory.\n"
			       "Every checksum is verified first; a damaged backup is refused.\n\n"
			       "  --rebuild-index   rebuild the index from the database instead of\n"
			       "                    restoring the backed-up copy\n");
			return 0;
		} else if (!strcmp(argv[k], "--rebuild-index")) {
			rebuild = 1;
		} else if (argv[k][0] == '-' || srcdir) {
			fprintf(stderr, "vanban restore: unexpected argument \"%s\"\n", argv[k]);
			return 2;
		} else {
			srcdir = argv[k];
		}
	}
	if (!srcdir) {
		fprintf(stderr, "usage: vanban restore SRC [--rebuild-index]\n");
		return 2;
	}
	if (vb_config_files_path(cfg, root, sizeof(root))) {
		fprintf(stderr, "vanban restore: data directory path is too long\n");
		return 2;
	}
	/* The target first (cheap), then the backup (reads everything). */
	if ((rc = dir_is_empty(cfg->data_dir, &empty, &err)))
		goto fail;
	if (!empty) {
		rc = vb_error_set(&err, VB_EINVAL, "data directory \"%s\" is not empty: restore "
				  "only onto an empty one", cfg->data_dir);
		goto fail;
	}
	if ((rc = vb_store_open(&st, cfg->db, &err)) || (rc = vb_store_is_empty(st, &empty, &err)))
		goto fail;
	if (!empty) {
		rc = vb_error_set(&err, VB_EINVAL, "the database is not empty: restore only into "
				  "a new, empty database (createdb)");
		goto fail;
	}
	if ((rc = vb_backup_verify(srcdir, &m, &err))) {
		vb_error_prefix(&err, "refusing to restore");
		goto fail;
	}
	entries = json_object_get(m, "entries");
	if (mkdir(cfg->data_dir, 0755) != 0 && errno != EEXIST) {
		rc = vb_error_set(&err, VB_EIO, "could not create directory \"%s\": %s",
				  cfg->data_dir, strerror(errno));
		goto fail;
	}
	snprintf(dump, sizeof(dump), "%s/db.dump", srcdir);
	{
		char *pa[10];
		int k = 0;

		pa[k++] = "pg_restore";
		pa[k++] = "--no-owner";
		pa[k++] = "--no-privileges";
		pa[k++] = "--exit-on-error";
		pa[k++] = "--single-transaction";
		if (db) {
			snprintf(dbarg, sizeof(dbarg), "--dbname=%s", db);
			pa[k++] = dbarg;
		}
		pa[k++] = dump;
		pa[k] = NULL;
		if ((rc = run(pa, &err)))
			goto fail;
	}
	json_array_foreach(entries, i, e) {
		const char *rel = json_string_value(json_object_get(e, "path"));
		const char *sha = json_string_value(json_object_get(e, "sha256"));

		if (strncmp(rel, "files/", 6) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
		if ((rc = vb_filestore_put_path(root, path, -1, got, NULL, &err)))
			goto fail;
		if (strcmp(got, sha) != 0) {
			rc = vb_error_set(&err, VB_EIO, "backup file \"%s\" changed while restoring",
					  path);
			goto fail;
		}
		nfiles++;
	}
	format = json_is_integer(json_object_get(m, "index_format")) ?
		 (int)json_integer_value(json_object_get(m, "index_format")) : 0;
	if (!rebuild && format == VB_INDEX_FORMAT) {
		if ((rc = install_index(cfg, srcdir, entries, &nindex, &err)))
			goto fail;
		printf("index restored (%zu files, format %d)\n", nindex, format);
	} else {
		if (format && format != VB_INDEX_FORMAT)
			printf("the backed-up index has format %d, this vanban writes %d: "
			       "rebuilding\n", format, VB_INDEX_FORMAT);
		if ((rc = vb_reindex_run(cfg, &reindexed, &err)))
			goto fail;
		printf("index rebuilt from the database (%zu documents)\n", reindexed);
	}
	printf("restored %s: %lld documents, %zu files, in %.1f s; pending index jobs are "
	       "applied by the indexer (vanban index, or the daemon)\n", srcdir,
	       (long long)json_integer_value(json_object_get(json_object_get(m, "counts"),
							     "documents")),
	       nfiles, now_s() - t0);
	status = 0;
	goto out;
fail:
	fprintf(stderr, "vanban restore: %s\n", err.msg);
out:
	json_decref(m);
	vb_store_free(st);
	return status;
}
