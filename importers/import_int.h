/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of `vanban import`, shared by the files that make it up and
 * included by nothing else: import.c (the command, the run's counters and
 * messages, the steps every document goes through: prepare, store),
 * manifest.c (JSON Lines manifests, through the pipeline of pipeline.h),
 * single.c (a file as a document of its own) and directory.c (directories
 * and unpacked archives).  Everything here runs on the command's thread
 * except import_prepare_document, which the manifest pipeline calls on its
 * second thread and which only reads its arguments.
 */
#ifndef VB_IMPORT_INT_H
#define VB_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "progress.h"

#include "document.h"
#include "relation_text.h"
#include "store.h"

#define IMPORT_MAX_FILE_BYTES ((int64_t)200 * 1024 * 1024)
#define IMPORT_PATH_MAX 4096

/* One run of the command: what every file of it reads and counts. */
struct importer {
	vb_store *st;
	char files_root[IMPORT_PATH_MAX];
	const char *source;
	long inserted, updated, unchanged, rejected;
	int fatal;                /* stop: the database is gone */
	int archive_depth;
	vb_progress prog;
};

/* A sorted list of paths (files referenced by manifests); directory.c. */
struct pathset;

/* Whether s ends with suffix, ignoring ASCII case. */
static inline int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* ---- import.c ---- */

/* A message on stderr (the progress bar erased first). */
void import_say(struct importer *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The part of importing one parsed document that needs no database:
 * media types, text from the first supported file when it has none, files
 * into the file store, and the relations the text states (*rels_ok: 0
 * when they could not be worked out, with the reason in rels_err).  0, or
 * 1 when rejected, with the reason in msg.  Reads only its arguments:
 * safe on the pipeline's second thread. */
int import_prepare_document(const char *files_root, vb_document *doc, vb_text_relations *rels,
			    int *rels_ok, char *rels_err, size_t rels_errsz, char *msg,
			    size_t msgsz);

/* Store a prepared document and its relations from the text (an
 * unchanged document has them already; `vanban status --from-text` fills
 * them in for documents stored before): rels as import_prepare_document
 * left them, or NULL to work them out here.  where names it in messages.
 * Returns 0 when stored, 1 when rejected (reported and counted). */
int import_store_document(struct importer *im, vb_document *doc, const vb_text_relations *rels,
			  int rels_ok, const char *rels_err, const char *where);

/* ---- manifest.c ---- */

/* Import every line of the manifest at path; display names it in
 * messages.  Paths of the files that parsed lines reference are added to
 * refs (may be NULL). */
void import_manifest(struct importer *im, const char *path, const char *display,
		     struct pathset *refs);

/* Number of '\n'-separated lines in the file (for the ETA); -1 on error. */
long import_count_lines(const char *path);

/* ---- single.c ---- */

/* Import one file as a document of its own (source "file", source_id =
 * the SHA-256 of its bytes). */
void import_single(struct importer *im, const char *path, const char *display);

/* ---- directory.c ---- */

/* Add a copy of p to s.  0, or VB_ENOMEM. */
int import_pathset_add(struct pathset *s, const char *p);

/* Import the directory dir: manifests first (sorted), then the other
 * files (sorted) except those the manifests reference.  Messages name
 * entries as prefix + relative path. */
void import_dir(struct importer *im, const char *dir, const char *prefix);

/* Unpack the archive at path into a private temporary directory, import
 * that like a directory (entries named display!entry) and remove it.  An
 * archive inside an archive is rejected. */
void import_archive(struct importer *im, const char *path, const char *display);

#endif
