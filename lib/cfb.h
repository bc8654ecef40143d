/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reader for Compound File Binary files ([MS-CFB], "OLE2 structured
 * storage"), the container of Word 97-2003 .doc, Word 6.0/95 .doc, .xls
 * and .ppt files.  A compound file is a small FAT file system inside one
 * file: fixed-size sectors, a FAT of sector chains, a directory of
 * 128-byte entries arranged as red-black trees, and a mini stream of
 * 64-byte sectors (with its own mini FAT) for streams under the cutoff.
 *
 * Everything is read from a caller-owned memory buffer and treated as
 * hostile: every sector index is checked against the buffer, every chain
 * is checked for cycles and for its declared length, and the sizes are
 * capped (VB_CFB_MAX_FILE, VB_CFB_MAX_STREAM).  A handle is read-only after
 * vb_cfb_open and may be used from several threads at once.
 */
#ifndef VB_CFB_H
#define VB_CFB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#define VB_CFB_MAX_FILE ((size_t)200 * 1024 * 1024)
#define VB_CFB_MAX_STREAM ((size_t)200 * 1024 * 1024)

/* Directory entry types ([MS-CFB] 2.6.1 Object Type). */
enum {
	VB_CFB_UNUSED = 0,
	VB_CFB_STORAGE = 1,
	VB_CFB_STREAM = 2,
	VB_CFB_ROOT = 5
};

#define VB_CFB_NOENTRY UINT32_MAX

typedef struct vb_cfb vb_cfb;

typedef struct vb_cfb_entry {
	char name[128];      /* UTF-8 (from the UTF-16 name), NUL-terminated */
	int type;            /* VB_CFB_* */
	uint64_t size;       /* stream size in bytes (0 for storages) */
	uint32_t parent;     /* entry id of the parent storage, VB_CFB_NOENTRY for the root */
} vb_cfb_entry;

/* Whether the buffer starts with the compound file signature
 * D0 CF 11 E0 A1 B1 1A E1.  Cheap; no other check. */
int vb_cfb_is_cfb(const unsigned char *data, size_t len);

/* Open the compound file held in data[0..len).  The buffer is borrowed: it
 * must outlive the handle and stay unchanged.  Reads the header, the
 * DIFAT, the FAT, the directory and the mini FAT.  On success *out gets a
 * new handle to release with vb_cfb_free.
 * Errors: VB_EINVAL (not a compound file, or a broken structure: "could
 * not read compound file: FAT sector 7 is out of range"), VB_ETOOBIG (len
 * over VB_CFB_MAX_FILE), VB_ENOMEM. */
int vb_cfb_open(vb_cfb **out, const unsigned char *data, size_t len, vb_error *err);

/* Release a handle.  NULL is fine. */
void vb_cfb_free(vb_cfb *cfb);

/* Number of directory entries (ids 0 .. count-1; id 0 is the root). */
size_t vb_cfb_count(const vb_cfb *cfb);

/* Fill *out with directory entry id.  Returns 0, or VB_ENOTFOUND when id
 * is out of range.  Unused slots are reported with type VB_CFB_UNUSED.
 * Parents are known only for entries reachable from the root. */
int vb_cfb_entry_get(const vb_cfb *cfb, uint32_t id, vb_cfb_entry *out);

/* Find an entry by path relative to the root storage, components
 * separated by '/' ("WordDocument", "ObjectPool/_1234/WordDocument").
 * Names compare ASCII-case-insensitively, as in [MS-CFB].  Returns 0 and
 * sets *id, or VB_ENOTFOUND. */
int vb_cfb_lookup(const vb_cfb *cfb, const char *path, uint32_t *id);

/* Append the content of stream entry id to out (a buffer the caller has
 * initialised; its own max applies as well as VB_CFB_MAX_STREAM).  Streams
 * under the mini stream cutoff are read from the mini stream.
 * Errors: VB_ENOTFOUND (no such entry), VB_EINVAL (not a stream, chain out
 * of range, cyclic or too short), VB_ETOOBIG, VB_ENOMEM. */
int vb_cfb_read(const vb_cfb *cfb, uint32_t id, vb_buf *out, vb_error *err);

/* vb_cfb_lookup + vb_cfb_read; VB_ENOTFOUND names the missing stream. */
int vb_cfb_read_path(const vb_cfb *cfb, const char *path, vb_buf *out, vb_error *err);

#endif
