/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file store: original files (PDF, DOC, ...) kept by content under
 * ROOT/ab/cd/<sha256>, where ab and cd are the first two pairs of hex digits
 * of the SHA-256 of the bytes.  ROOT is DATA/files (vb_config_files_path).
 * A file is written to ROOT/tmp first, hashed while it is copied, synced,
 * then renamed into place, so a reader never sees a partial file and the
 * same content is stored once however often it is imported.  Safe for
 * concurrent writers (threads or processes): they race only on an atomic
 * rename of identical bytes.
 */
#ifndef VB_FILESTORE_H
#define VB_FILESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Copy the file at src_path into the store under root (directories are
 * created as needed).  sha256_out gets the lower-case hex digest, *size_out
 * (may be NULL) the size.  max_bytes limits the size (negative: no limit).
 * 0; VB_ETOOBIG past max_bytes; VB_EIO when a file cannot be read or
 * written.  On error nothing is left in the store. */
int vb_filestore_put_path(const char *root, const char *src_path, int64_t max_bytes,
			  char sha256_out[65], int64_t *size_out, vb_error *err);

/* The same for len bytes at data. */
int vb_filestore_put_mem(const char *root, const void *data, size_t len, int64_t max_bytes,
			 char sha256_out[65], vb_error *err);

/* The path of the stored file with digest sha256 (which may come from a
 * URL: it must be exactly 64 lower-case hex digits), whether it exists or
 * not.  0; VB_EINVAL for a malformed digest; VB_ETOOBIG when out is too
 * small.  Thread-safe. */
int vb_filestore_path(const char *root, const char *sha256, char *out, size_t outsz);

#endif
