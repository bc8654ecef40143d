/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The integrity check behind `vanban check`: the invariants that must hold
 * after any crash, verified on a live system.
 *
 *   - every document in PostgreSQL is in the index with the same version
 *     (value slot VB_SLOT_VERSION of the "Q<id>" document), and the index
 *     holds no document without a store row and none twice;
 *   - every file the database refers to (files, document_files,
 *     upload_files) is in the file store with its size and SHA-256;
 *   - no file in the store is referenced by nothing (orphan) and no
 *     temporary file or abandoned index build is left behind;
 *   - no index job is stuck in the outbox.
 *
 * Work in flight is not a finding: an index difference whose document has a
 * pending index job younger than stuck_s, and unreferenced or temporary
 * files younger than grace_s (an import writes the file before it commits
 * the row), are only counted.
 *
 * Repair (vb_check_repair) enqueues index jobs for the documents the index
 * has wrong (the indexer then re-reads them from PostgreSQL, which also
 * removes entries without a row), moves orphaned and temporary files and
 * abandoned index builds into DATA/quarantine/<time>/ (it never deletes
 * anything), moves corrupted files there too and, when a source of files
 * is given (a backup or another file store), puts back missing and
 * corrupted files whose checksum matches.  What it cannot fix stays a
 * finding that names the documents concerned.
 */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "store.h"

enum vb_finding_kind {
	VB_FIND_INDEX_MISSING = 0, /* stored document not in the index */
	VB_FIND_INDEX_STALE,       /* indexed with another version */
	VB_FIND_INDEX_ORPHAN,      /* index document without a store row */
	VB_FIND_INDEX_DUPLICATE,   /* several index documents for one id */
	VB_FIND_FILE_MISSING,      /* referenced file not in the store */
	VB_FIND_FILE_CORRUPT,      /* wrong size or SHA-256 */
	VB_FIND_FILE_ORPHAN,       /* stored file nothing refers to */
	VB_FIND_TEMP,              /* leftover temporary file or index build */
	VB_FIND_OUTBOX_STUCK,      /* index jobs older than stuck_s */
	VB_FIND_KINDS
};

/* Short stable name of a kind ("index-missing", ...), for output. */
const char *vb_finding_kind_name(int kind);

typedef struct vb_finding {
	int kind;
	int64_t document_id;  /* 0 when not about one document */
	char sha256[65];      /* "" when not about a file */
	char *path;           /* file concerned (new string) or NULL */
	char what[256];       /* what is wrong, in words */
	int repaired;         /* set by vb_check_repair */
	char repair[256];     /* what repair did, or why it could not */
} vb_finding;

/* Findings kept in full; more are counted in vb_check_report.dropped. */
#define VB_CHECK_MAX_FINDINGS 10000

typedef struct vb_check_opts {
	int64_t grace_s;     /* unreferenced / temporary files younger than this are
				in flight (default 3600) */
	int64_t stuck_s;     /* an index job older than this is stuck (default 600) */
	int verify_hashes;   /* 1: read every file and compare its SHA-256
				(default); 0: existence and size only */
} vb_check_opts;

void vb_check_opts_init(vb_check_opts *o);

typedef struct vb_check_report {
	vb_finding *findings;
	size_t n, cap;
	size_t dropped;          /* findings beyond VB_CHECK_MAX_FINDINGS */
	size_t by_kind[VB_FIND_KINDS];
	/* figures */
	int64_t documents;       /* rows in documents */
	int64_t index_documents; /* "Q" documents in the index */
	int64_t index_pending;   /* index differences with a job in flight */
	int64_t files;           /* referenced files */
	int64_t file_bytes;
	int64_t files_in_flight; /* unreferenced or temporary, within the grace */
	int64_t jobs_pending;
	int64_t oldest_job_s;
} vb_check_report;

void vb_check_report_init(vb_check_report *rep);
void vb_check_report_dispose(vb_check_report *rep);

/* Check the system described by cfg through st.  rep (initialised) gets
 * the findings and figures.  Returns 0 when the check ran (findings or
 * not), VB_EDB / VB_EINDEX / VB_EIO / VB_ENOMEM when it could not; the
 * index missing altogether is an error (run `vanban index`). */
int vb_check_run(const vb_config *cfg, vb_store *st, const vb_check_opts *o,
		 vb_check_report *rep, vb_error *err);

/* Repair what can be repaired among rep's findings (see above), marking
 * each finding repaired or saying why not.  files_from: NULL, or a
 * directory holding files by content (a backup: DIR/files/ab/cd/<sha256>,
 * or a file store: DIR/ab/cd/<sha256>).  *jobs gets the number of index
 * jobs enqueued (the caller runs or waits for the indexer).  0, or
 * VB_EDB / VB_EIO / VB_ENOMEM when repair had to stop. */
int vb_check_repair(const vb_config *cfg, vb_store *st, vb_check_report *rep,
		    const char *files_from, size_t *jobs, vb_error *err);

/* SHA-256 (lower-case hex) and size of the file at path.  0,
 * VB_ENOTFOUND, VB_EIO, VB_ENOMEM. */
int vb_check_hash_file(const char *path, char sha256[65], int64_t *size, vb_error *err);

#endif
