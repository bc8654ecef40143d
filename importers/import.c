/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban import [--source NAME] [--quiet] PATH...`: load documents into
 * the store from JSON Lines manifests, single files (PDF, DOCX, ODT, HTML,
 * TXT), directories of those, and archives (zip, tar, tar.gz).
 *
 * Data flow per document: parse (manifest line) or extract (single file)
 * -> detect the media type of each attached file -> extract the text from
 * the first supported file when the record has none -> copy the files into
 * the content-addressed file store -> vb_store_put_document, which upserts
 * by (source, source_id) in one transaction.  A bad line or file is
 * reported on stderr as FILE:LINE: reason (ARCHIVE!ENTRY: reason inside
 * archives) and skipped; the rest goes in.  A summary line always ends the
 * run on stdout.  Exit status: 0 all imported, 1 something was rejected,
 * 2 fatal (no such PATH, database unreachable).
 *
 * This file is the command: its options, what each PATH is, the run's
 * counters and messages, and the two steps every document goes through
 * (import_prepare_document, import_store_document).  Manifests are read in
 * manifest.c, single files in single.c, directories and archives walked in
 * directory.c (import_int.h is what they share).
 */
#include "../cli/commands.h"

#include "archive.h"
#include "import_int.h"

#include "config.h"
#include "error.h"
#include "extract.h"
#include "filestore.h"
#include "relation.h"
#include "relation_text.h"
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A message on stderr (the progress bar erased first). */
void import_say(struct importer *im, const char *fmt, ...)
{
	va_list ap;

	vb_progress_clear(&im->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Whether the database connection is gone (after a VB_EDB). */
static int store_lost(struct importer *im)
{
	vb_error e;

	vb_error_clear(&e);
	if (vb_store_ping(im->st, &e) == 0)
		return 0;
	import_say(im, "vanban import: lost the database connection: %s", e.msg);
	im->fatal = 1;
	return 1;
}

int import_prepare_document(const char *files_root, vb_document *doc, vb_text_relations *rels,
			    int *rels_ok, char *rels_err, size_t rels_errsz, char *msg,
			    size_t msgsz)
{
	vb_error err;
	size_t i;
	int rc;

	vb_error_clear(&err);
	memset(rels, 0, sizeof(*rels));
	*rels_ok = 0;
	for (i = 0; i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];
		const char *mt;

		if (f->media_type)
			continue;
		if (vb_extract_detect(f->src_path, &mt, &err) ||
		    vb_strset(&f->media_type, mt)) {
			snprintf(msg, msgsz, "files[%zu]: %s", i, err.msg[0] ? err.msg : "out of memory");
			return 1;
		}
	}
	for (i = 0; !doc->text && i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];
		char *mt = NULL;

		if (!vb_extract_supported(f->media_type)) {
			const char *det = NULL;

			/* a manifest may name a type the content contradicts */
			if (vb_extract_detect(f->src_path, &det, NULL) || !vb_extract_supported(det))
				continue;
		}
		rc = vb_extract_text(f->src_path, f->media_type, &doc->text, &mt, &err);
		free(mt);
		if (rc) {
			snprintf(msg, msgsz, "%s", err.msg);
			return 1;
		}
	}
	for (i = 0; i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];

		if ((rc = vb_filestore_put_path(files_root, f->src_path, IMPORT_MAX_FILE_BYTES,
						f->sha256, &f->size, &err))) {
			snprintf(msg, msgsz, "file \"%s\": %s", f->name, err.msg);
			return 1;
		}
	}
	/* relations: what the text says it replaces, amends, is based on */
	if (doc->text && *doc->text) {
		if (vb_text_relations_extract(doc->text, rels, &err))
			snprintf(rels_err, rels_errsz, "%s", err.msg);
		else
			*rels_ok = 1;
	}
	return 0;
}

int import_store_document(struct importer *im, vb_document *doc, const vb_text_relations *rels,
			  int rels_ok, const char *rels_err, const char *where)
{
	enum vb_put_result res = VB_PUT_UNCHANGED;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_store_put_document(im->st, doc, &res, &err))) {
		if (rc == VB_EDB && store_lost(im))
			return 1;
		import_say(im, "%s: %s", where, err.msg);
		im->rejected++;
		vb_progress_step(&im->prog, 1);
		return 1;
	}
	if (res != VB_PUT_UNCHANGED && doc->text) {
		const char *why = NULL;

		if (!rels) { /* not prepared: worked out here */
			if (vb_store_relations_from_text(im->st, doc->id, doc->text, &err))
				why = err.msg;
		} else if (rels_ok || !*doc->text) { /* an empty text states none */
			if (vb_store_relations_set(im->st, doc->id, VB_REL_ORIGIN_TEXT,
						   rels_ok ? rels->v : NULL, rels_ok ? rels->n : 0,
						   &err))
				why = err.msg;
		} else {
			why = rels_err;
		}
		if (why)
			import_say(im, "%s: warning: relations from the text not stored: %s", where,
				   why);
	}
	if (res == VB_PUT_INSERTED)
		im->inserted++;
	else if (res == VB_PUT_UPDATED)
		im->updated++;
	else
		im->unchanged++;
	vb_progress_step(&im->prog, 1);
	return 0;
}

/* One PATH argument. */
static void import_path(struct importer *im, const char *path)
{
	struct stat st;
	char prefix[IMPORT_PATH_MAX + 2];

	if (stat(path, &st) < 0) {
		import_say(im, "%s: %s", path, strerror(errno));
		im->rejected++;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);

		snprintf(prefix, sizeof(prefix), "%s%s", path, n && path[n - 1] == '/' ? "" : "/");
		import_dir(im, path, prefix);
	} else if (ends_with(path, ".jsonl")) {
		import_manifest(im, path, path, NULL);
	} else if (vb_archive_name_is_archive(path)) {
		import_archive(im, path, path);
	} else {
		import_single(im, path, path);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vanban import [--source NAME] [--quiet] PATH...\n\n"
		"PATH is a JSON Lines manifest (*.jsonl), a directory, a single file (PDF, DOCX,\n"
		"ODT, HTML, TXT) or an archive (.zip, .tar, .tar.gz, .tgz).\n"
		"  --source NAME   source of manifest records without a \"source\" key\n"
		"                  (default \"manifest\")\n"
		"  --quiet         no progress bar\n");
}

int vb_cmd_import(vb_config *cfg, int argc, char **argv)
{
	struct importer im;
	const char *source = "manifest";
	char **paths = NULL;
	int npaths = 0, quiet = 0, i, only_dashdash = 0, status = 0;
	double el;
	long total = 0, imported;
	vb_error err;

	memset(&im, 0, sizeof(im));
	vb_error_clear(&err);
	if (!(paths = calloc((size_t)argc + 1, sizeof(*paths)))) {
		fprintf(stderr, "vanban import: out of memory\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_dashdash || a[0] != '-' || !a[1]) {
			paths[npaths++] = argv[i];
		} else if (!strcmp(a, "--")) {
			only_dashdash = 1;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = 1;
		} else if (!strcmp(a, "--source") && i + 1 < argc) {
			source = argv[++i];
		} else if (!strncmp(a, "--source=", 9)) {
			source = a + 9;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(paths);
			return 0;
		} else {
			fprintf(stderr, "vanban import: unknown option \"%s\"\n", a);
			usage(stderr);
			free(paths);
			return 2;
		}
	}
	if (!*source || strlen(source) > 200) {
		fprintf(stderr, "vanban import: --source must be a non-empty name\n");
		free(paths);
		return 2;
	}
	if (!npaths) {
		usage(stderr);
		free(paths);
		return 2;
	}
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) < 0) {
			fprintf(stderr, "vanban import: could not access \"%s\": %s\n",
				paths[i], strerror(errno));
			free(paths);
			return 2;
		}
	}
	im.source = source;
	if (vb_config_files_path(cfg, im.files_root, sizeof(im.files_root))) {
		fprintf(stderr, "vanban import: data directory path too long\n");
		free(paths);
		return 2;
	}
	if (vb_store_open(&im.st, cfg->db, &err)) {
		fprintf(stderr, "vanban import: could not connect to the database: %s\n", err.msg);
		free(paths);
		return 2;
	}
	vb_progress_init(&im.prog, !quiet && isatty(2));
	/* the total is known when every PATH is a manifest */
	for (i = 0; im.prog.enabled && i < npaths; i++) {
		long n = ends_with(paths[i], ".jsonl") ? import_count_lines(paths[i]) : -1;

		if (n < 0) {
			total = 0;
			break;
		}
		total += n;
	}
	vb_progress_set_total(&im.prog, total);

	for (i = 0; i < npaths && !im.fatal; i++)
		import_path(&im, paths[i]);

	vb_progress_clear(&im.prog);
	el = vb_progress_elapsed(&im.prog);
	imported = im.inserted + im.updated + im.unchanged;
	printf("imported %ld document%s (%ld new, %ld updated, %ld unchanged), rejected %ld, "
	       "in %.1f s (%.0f docs/s)\n",
	       imported, imported == 1 ? "" : "s", im.inserted, im.updated, im.unchanged,
	       im.rejected, el, el > 0 ? (double)imported / el : 0.0);
	fflush(stdout);
	if (im.fatal)
		status = 2;
	else if (im.rejected)
		status = 1;
	vb_store_free(im.st);
	free(paths);
	return status;
}
