/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import manifests: JSON Lines files with one document per line, the way
 * operators and crawlers hand documents to `vanban import`.  This module
 * turns one line into a vb_document, validating every key strictly (an
 * unknown key, a wrong type, an impossible date or an unknown status is an
 * error naming the key) and normalising every string with
 * vb_text_normalize.  Splitting a file into lines is the caller's job and
 * must happen on '\n' only: U+0085 and U+2028 occur inside JSON strings in
 * real data.
 *
 * Keys: source, source_id, number, form, issuer, issue_date,
 * effective_date, expiry_date, abstract, signer, signer_title, signers,
 * status, fields, category, language, text, files (see
 * vb_manifest_parse_line).  Pure apart from stat() on attached files;
 * thread-safe.
 */
#ifndef VB_MANIFEST_H
#define VB_MANIFEST_H

#include <stddef.h>

#include "document.h"
#include "error.h"

/* Longest accepted manifest line (one JSON record), in bytes. */
#define VB_MANIFEST_LINE_MAX ((size_t)64 * 1024 * 1024)

/* Parse one manifest record (len bytes at line; a leading UTF-8 BOM and a
 * trailing "\r" are ignored) into out, which the callee initialises (any
 * previous content is NOT freed: pass a fresh or disposed document).
 *
 *  - source: string; default default_source ("manifest" when NULL).
 *  - source_id: required, non-empty string (an integer is accepted and
 *    written in decimal).
 *  - number, form, issuer, abstract, text, language: strings; at least one
 *    of number, abstract, text must be non-empty.  language defaults to
 *    "vi".  number_canonical is set from number.
 *  - issue_date, effective_date, expiry_date: "YYYY-MM-DD" (or dd/mm/yyyy),
 *    validated against the calendar.
 *  - signer + signer_title: strings, or arrays of equal length; or
 *    signers: [{"name": ..., "title": ...}] (not both forms).
 *  - status: a code or a label in any known spelling (vb_status_code);
 *    default "unknown".  category: normative, administrative or treaty.
 *  - fields: array of strings.
 *  - files: array of paths relative to base_dir, or objects {"path",
 *    "name", "media_type"}; absolute paths and ".." components are
 *    rejected, and each file must exist and be a regular file.  The file's
 *    src_path is set to base_dir/path, name to the given name or the
 *    path's last component; media_type stays NULL when not given.
 * JSON null counts as an absent key.
 *
 * Returns 0, VB_EINVAL (message names the key and the problem, e.g.
 * `issue_date: invalid date "2023-02-30"`, `unknown keys: "foo", "bar"`),
 * VB_ETOOBIG (line longer than VB_MANIFEST_LINE_MAX) or VB_ENOMEM.  On
 * error out is left disposed (empty). */
int vb_manifest_parse_line(const char *line, size_t len, const char *base_dir,
			   const char *default_source, vb_document *out,
			   vb_error *err);

/* Whether the len bytes at line are blank (only spaces, tabs, "\r"), i.e.
 * a line the reader skips. */
int vb_manifest_line_blank(const char *line, size_t len);

#endif
