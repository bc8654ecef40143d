/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document model: one legal or administrative document with the
 * metadata the Quảng Ninh portal regulation (QĐ 05/2023/QĐ-UBND, Điều 14-19)
 * asks every portal to publish, its full text and its original files.
 * Identity is (source, source_id); number + issuer + issue date is for
 * matching only, because numbers are not unique across issuers.
 *
 * A vb_document owns every string it points to (heap, freed by
 * vb_document_dispose).  Dates are ISO "YYYY-MM-DD" or "" when unknown.
 */
#ifndef VB_DOCUMENT_H
#define VB_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define VB_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

typedef struct vb_signer {
	char *name;
	char *title; /* may be NULL */
} vb_signer;

typedef struct vb_file {
	char *name;        /* file name shown to users (UTF-8, no directory) */
	char *media_type;  /* e.g. "application/pdf" */
	char sha256[65];   /* lower-case hex; "" until stored */
	int64_t size;
	char *src_path;    /* import only: where to read it from; else NULL */
} vb_file;

typedef struct vb_document {
	int64_t id;               /* 0 until stored */
	char *source;             /* e.g. "manifest", "vbpl", "upload" */
	char *source_id;          /* identity within source */
	char *number;             /* số ký hiệu as written; may be NULL */
	char *number_canonical;   /* vb_docnum_canonical(number) */
	char *form;               /* hình thức: "Quyết định", ... */
	char *issuer;             /* cơ quan ban hành */
	char issue_date[VB_DATE_LEN];
	char effective_date[VB_DATE_LEN];
	char expiry_date[VB_DATE_LEN];
	char *abstract;           /* trích yếu */
	vb_signer *signers;
	size_t n_signers;
	char **fields;            /* lĩnh vực */
	size_t n_fields;
	char *status;             /* a VB_STATUS_* code, never NULL once stored */
	char *category;           /* "normative", "administrative", "treaty" or NULL */
	char *language;           /* BCP 47 tag, "vi" by default */
	char *text;               /* full text, NFC */
	vb_file *files;
	size_t n_files;
	int version;              /* 1 on first store, +1 per change */
	char created_at[40];      /* ISO 8601 timestamps from the store */
	char updated_at[40];
} vb_document;

/* Status codes (validity).  Labels per language come from vb_status_label. */
#define VB_STATUS_IN_FORCE "in_force"                 /* Còn hiệu lực */
#define VB_STATUS_EXPIRED "expired"                   /* Hết hiệu lực toàn bộ */
#define VB_STATUS_PARTLY_EXPIRED "partly_expired"     /* Hết hiệu lực một phần */
#define VB_STATUS_NOT_YET "not_yet_in_force"          /* Chưa có hiệu lực */
#define VB_STATUS_SUSPENDED "suspended"               /* Ngưng hiệu lực */
#define VB_STATUS_UNKNOWN "unknown"                   /* Chưa xác định */

void vb_document_init(vb_document *doc);
void vb_document_dispose(vb_document *doc);

/* Append a signer / field / file; strings are copied.  0 or VB_ENOMEM. */
int vb_document_add_signer(vb_document *doc, const char *name, const char *title);
int vb_document_add_field(vb_document *doc, const char *field);
vb_file *vb_document_add_file(vb_document *doc);

/* Replace *slot with a copy of value (NULL clears).  0 or VB_ENOMEM. */
int vb_strset(char **slot, const char *value);

/* The status code for a label or code in any of the spellings sources use
 * ("Còn hiệu lực", "Đang hiệu lực", "Văn bản đang có hiệu lực",
 * "in_force", ...), or NULL when unrecognised.  Returns a static string. */
const char *vb_status_code(const char *label);
/* The label of a code in lang ("vi", "en", "zh"; others fall back to "vi").
 * Unknown codes are returned as they are.  Static string. */
const char *vb_status_label(const char *code, const char *lang);
/* Whether category is one of the accepted category codes. */
int vb_category_valid(const char *category);

/* The document as a JSON object (new reference): every metadata field,
 * signers, fields, files, and the text when with_text is set.  NULL on
 * allocation failure. */
json_t *vb_document_to_json(const vb_document *doc, int with_text);

#endif
