/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Archives handed to `vanban import` (zip, tar, tar.gz): unpacked entry by
 * entry with libarchive into a private temporary directory (mode 0700), so
 * that the directory importer can take over, then removed.  Archives are
 * input: entries with absolute paths, ".." components, links or device
 * nodes are refused one by one (reported through a callback with the entry
 * name and the reason) while the safe entries are kept, and the number of
 * entries and the decompressed sizes are limited.  Not thread-safe per
 * call, no global state.
 */
#ifndef VB_ARCHIVE_H
#define VB_ARCHIVE_H

#include <stdint.h>

#include "error.h"

#define VB_ARCHIVE_MAX_ENTRIES 10000
#define VB_ARCHIVE_MAX_ENTRY_BYTES ((int64_t)200 * 1024 * 1024)
#define VB_ARCHIVE_MAX_TOTAL_BYTES ((int64_t)2 * 1024 * 1024 * 1024)
#define VB_ARCHIVE_MAX_PATH 1024 /* bytes of an entry name */

/* Called for each refused entry: its name as stored in the archive and
 * why it was refused (e.g. "absolute path", "symbolic link"). */
typedef void (*vb_archive_reject_cb)(const char *entry, const char *reason, void *ud);

/* Whether the file name says archive: .zip, .tar, .tar.gz, .tgz (any
 * case). */
int vb_archive_name_is_archive(const char *path);

/* Unpack the archive at path into a new private directory under $TMPDIR
 * (or /tmp); *dir_out gets its path (free() it, and remove the directory
 * with vb_archive_remove_dir).  Refused entries go to reject (may be NULL)
 * and are skipped.  Returns 0; VB_EINVAL when the archive cannot be read at
 * all (`could not open archive "%s": %s`; nothing is left behind);
 * VB_ETOOBIG when the entry count or the total size limit is hit (the
 * entries unpacked so far stay in *dir_out, which is set); VB_EIO. */
int vb_archive_extract(const char *path, char **dir_out, vb_archive_reject_cb reject,
		       void *ud, vb_error *err);

/* Remove dir and everything below it (without following symbolic links).
 * NULL is fine.  0 or VB_EIO. */
int vb_archive_remove_dir(const char *dir);

#endif
