/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backup directories: DEST/vanban-YYYYmmddTHHMMSSZ/ holding db.dump (a
 * pg_dump -Fc), files/ab/cd/<sha256> (the file store, hard-linked from the
 * previous backup in DEST when it has the same content: content addressing
 * makes backups incremental), optionally index/ (a copy of the Xapian
 * index) and MANIFEST, a JSON object:
 *
 *   {"format": "vanban-backup", "format_version": 1,
 *    "vanban_version": "...", "created": "2026-11-30T01:02:03Z",
 *    "index_format": 2 or null (no index: rebuild on restore),
 *    "counts": {"documents": N, "files": N, "index_documents": N},
 *    "entries": [{"path": "db.dump", "sha256": "...", "size": N}, ...]}
 *
 * Every file of the backup is an entry with its SHA-256 and size.  A
 * backup is written into DEST/.vanban-...partial and renamed into place
 * after MANIFEST has been synced, so a directory named vanban-* with a
 * MANIFEST is complete; only those count for retention.
 *
 * This module knows nothing of PostgreSQL or Xapian: the caller
 * (cli/backup.c) runs pg_dump / pg_restore and holds the index lock.
 */
#ifndef VB_BACKUP_H
#define VB_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

#define VB_BACKUP_FORMAT_VERSION 1
#define VB_BACKUP_MANIFEST "MANIFEST"
#define VB_BACKUP_MAX_ENTRIES 10000000
#define VB_BACKUP_MANIFEST_MAX (4LL * 1024 * 1024 * 1024)

typedef struct vb_backup vb_backup;

/* Start a backup in dest (created if missing): makes the partial directory
 * and remembers the newest complete backup there to link files from.
 * 0, VB_EIO, VB_ENOMEM. */
int vb_backup_begin(vb_backup **out, const char *dest, vb_error *err);

/* The directory being written (for pg_dump -f). Borrowed. */
const char *vb_backup_dir(const vb_backup *b);
/* The name of the previous backup files are linked from, or NULL. */
const char *vb_backup_previous(const vb_backup *b);

/* Copy src into the backup as rel (a relative path, parents created),
 * hashing while copying.  When sha256 is given (the content address of a
 * store file), a file with the same rel in the previous backup of the same
 * size is hard-linked instead, and a copy whose hash differs is refused
 * (VB_EINVAL naming src; nothing recorded).  *linked (may be NULL) gets 1
 * when linked.  0, VB_EINVAL, VB_EIO, VB_ENOMEM. */
int vb_backup_add_file(vb_backup *b, const char *rel, const char *src, const char *sha256,
		       int *linked, vb_error *err);

/* Record rel, a file already written into the backup directory (db.dump),
 * with its hash.  0, VB_EIO, VB_ENOMEM. */
int vb_backup_add_written(vb_backup *b, const char *rel, vb_error *err);

/* Copy every regular file of directory src (not recursive: a Xapian
 * index is flat) into rel/.  0, VB_EIO, VB_ENOMEM. */
int vb_backup_add_dir(vb_backup *b, const char *rel, const char *src, vb_error *err);

/* Set a top-level manifest member (the object steals value): "counts",
 * "index_format". */
void vb_backup_set(vb_backup *b, const char *key, json_t *value);

/* Write MANIFEST, sync, rename the directory to DEST/vanban-<time>
 * (final gets its path, at least PATH_MAX bytes) and free b. */
int vb_backup_finish(vb_backup *b, char *final, size_t finalsz, vb_error *err);

/* Remove the partial directory and free b.  NULL is fine. */
void vb_backup_abort(vb_backup *b);

/* Read the MANIFEST of backup directory dir and verify every entry (size
 * and SHA-256; paths must stay inside dir).  *manifest gets a new reference.
 * VB_EINVAL naming the first file that is missing or corrupted (or a
 * malformed MANIFEST), VB_EIO, VB_ENOMEM. */
int vb_backup_verify(const char *dir, json_t **manifest, vb_error *err);

/* Keep the newest keep (>= 1) complete backups in dest, remove older ones
 * (only directories named vanban-* whose MANIFEST parses as a vanban
 * backup).  *removed (may be NULL) gets how many.  0, VB_EIO. */
int vb_backup_prune(const char *dest, size_t keep, size_t *removed, vb_error *err);

#endif
