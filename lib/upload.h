/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff uploads: the intake pipeline behind POST /api/v1/uploads.  Files
 * that staff hand in (a signed PDF, a Word file, a scan) are copied into
 * the file store, their text is extracted in the limited child process of
 * lib/extract.c, the metadata is proposed by vb_meta_extract, and the
 * upload is compared with what is stored (same file, same document, near
 * text).  The result is a draft upload (sql/003_uploads.sql,
 * sql/011_workflow.sql), never a document: nothing is published until
 * vb_upload_confirm (called by vb_workflow_publish, lib/workflow.h, which
 * checks who may), which validates
 * the corrected metadata like a manifest record and stores the document
 * (source "upload") or, for a duplicate, attaches the files to the existing
 * document as a new version.
 *
 * Scans: a PDF whose pages carry (almost) no text gets the warning
 * "needs_ocr" and text_source "none".  When `tesseract` with Vietnamese
 * data ("vie") is installed, its pages are rendered to PNG in a limited
 * child (poppler + cairo) and OCR'd by tesseract under CPU, memory and
 * wall-clock limits; the text then comes with text_source "ocr".
 *
 * Thread-safe: every function works on the caller's store connection.
 */
#ifndef VB_UPLOAD_H
#define VB_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "document.h"
#include "error.h"
#include "store.h"

/* Limits. */
#define VB_UPLOAD_MAX_FILES 10
#define VB_UPLOAD_MAX_FILE_BYTES ((int64_t)200 * 1024 * 1024)
#define VB_UPLOAD_FIELD_MAX 65536          /* bytes of one metadata field */
#define VB_UPLOAD_NAME_MAX 255             /* bytes of a file name */
#define VB_UPLOAD_NEAR_DISTANCE 3          /* simhash bits: near-identical */
#define VB_UPLOAD_SIMHASH_MIN_WORDS 30     /* shorter texts get no simhash */
#define VB_UPLOAD_SCAN_CHARS_PER_PAGE 64   /* fewer letters per page: a scan */
#define VB_UPLOAD_OCR_MAX_PAGES 30
#define VB_UPLOAD_OCR_DPI 200
#define VB_UPLOAD_OCR_SECONDS 120          /* wall clock per page */
#define VB_UPLOAD_BACKFILL 200             /* document simhashes filled per upload */

/* One file handed in: name as the client gave it, path of its temporary
 * copy (read, not removed). */
typedef struct vb_upload_file_in {
	const char *name;
	const char *path;
} vb_upload_file_in;

/* The metadata fields a form may give (and confirm may correct). */
extern const char *const vb_upload_fields[];

/* Run the intake pipeline on n files (1..VB_UPLOAD_MAX_FILES) and store a
 * pending upload.  files_root is the file store root (vb_config_files_path).
 * form (may be NULL) is a JSON object of strings for the keys in
 * vb_upload_fields: they override the proposal (confidence 1, "source":
 * "form").  A file that cannot be read, stored or extracted is recorded
 * with its error; the upload still succeeds.  *id gets the upload id.
 * 0; VB_EINVAL (no file, too many files, a bad form value: message names
 * the field); VB_EDB, VB_ENOMEM. */
int vb_upload_create(vb_store *st, const char *files_root, const vb_upload_file_in *files,
		     size_t n, json_t *form, int64_t *id, vb_error *err);

/* vb_upload_create for portal (NULL: none) by user created_by (0: none),
 * recorded in uploads.portal_id / created_by (sql/011_workflow.sql).  The
 * caller checks that the creator may upload to that portal
 * (lib/workflow.h). */
int vb_upload_create_owned(vb_store *st, const char *files_root, const vb_upload_file_in *files,
			   size_t n, json_t *form, const char *portal, int64_t created_by,
			   int64_t *id, vb_error *err);

/* Validate the form values in form (an object of strings for the keys of
 * vb_upload_fields; empty strings are skipped) and set them into proposal
 * as {"value", "confidence": 1, "source": "form"}.  0, VB_EINVAL or
 * VB_ETOOBIG (the message names the field), VB_ENOMEM.  Pure. */
int vb_upload_form_apply(json_t *proposal, json_t *form, vb_error *err);

/* What vb_upload_confirm did. */
typedef struct vb_upload_outcome {
	int64_t document_id;  /* the document stored or linked to */
	int linked;           /* 1: files attached to an existing document */
	int conflict;         /* 1 on error: the upload is not pending, or is a
			       * possible duplicate and the decision is missing */
} vb_upload_outcome;

/* Confirm (publish) draft or submitted upload id with the corrected metadata in body (a JSON
 * object with the manifest keys number, form, issuer, issue_date,
 * effective_date, expiry_date, abstract, signer, signer_title, signers,
 * status, category, fields, language; keys left out keep the proposed
 * value, null clears it; plus "link_duplicate": true or "not_duplicate":
 * true, required when the upload was flagged as a duplicate, and
 * optionally "document_id" to choose which duplicate to link to).
 * Validation is vb_manifest_parse_line's.  0; VB_ENOTFOUND; VB_EINVAL
 * (message names the key; oc->conflict set for a state conflict); VB_EDB,
 * VB_EAGAIN, VB_ENOMEM.  No permission check: see vb_workflow_publish. */
int vb_upload_confirm(vb_store *st, int64_t id, json_t *body, vb_upload_outcome *oc,
		      vb_error *err);

/* Reject draft or submitted upload id (no reason, no permission check:
 * see vb_workflow_reject).  0, VB_ENOTFOUND, VB_EINVAL (not open). */
int vb_upload_reject(vb_store *st, int64_t id, vb_error *err);

/* The 64-bit simhash of text: words folded (lower case, no diacritics),
 * shingles of 3 words, each hashed with 64-bit FNV-1a.  Returns 1 and sets
 * *out, or 0 when the text has fewer than VB_UPLOAD_SIMHASH_MIN_WORDS
 * words (or on allocation failure).  Pure, thread-safe. */
int vb_upload_simhash(const char *text, uint64_t *out);

/* Hamming distance of two simhashes (0..64). */
int vb_upload_simhash_distance(uint64_t a, uint64_t b);

/* Whether tesseract with the "vie" language is installed (asked once per
 * process; `tesseract --list-langs` run with limits).  Thread-safe. */
int vb_upload_ocr_available(void);

#endif
