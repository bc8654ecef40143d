/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Metadata extraction from the text of a Vietnamese administrative document
 * laid out after Nghị định 30/2020/NĐ-CP: number and symbol ("Số:
 * 05/2023/QĐ-UBND"), place and date of issue, form (the heading: QUYẾT
 * ĐỊNH, NGHỊ QUYẾT, ..., or a công văn with its "V/v" line), abstract
 * (trích yếu), issuer (the header block, normalised: "UBND tỉnh Quảng
 * Ninh"), signer and signer title, effective date, the documents replaced,
 * amended or repealed, and the legal bases ("Căn cứ ..." lines).
 *
 * The text is first normalised with vb_text_normalize (NFC, Ð -> Đ, ...);
 * every span (start, end) is a byte range in that normalised text, which
 * vb_meta keeps in `text`.  Matching is done on a folded copy (lower case,
 * no diacritics) with markdown noise (* | # `), Công báo page headers and
 * digital-signature blocks blanked, so gazette prints, TVPL markdown and
 * flattened Word tables work alike.  Each field has a confidence in 0..1;
 * staff are expected to confirm, not type.
 *
 * Pure and thread-safe (no global state).
 */
#ifndef VB_META_H
#define VB_META_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

/* Limits: texts longer than this are cut (at a character boundary) before
 * extraction; lists stop growing at VB_META_MAX_REFS items. */
#define VB_META_MAX_TEXT ((size_t)16 * 1024 * 1024)
#define VB_META_MAX_REFS 200
#define VB_META_MAX_WARNINGS 32

/* One extracted value.  value is NULL when nothing was found (confidence 0,
 * span 0..0).  start/end: byte offsets in vb_meta.text. */
typedef struct vb_meta_field {
	char *value;
	double confidence;
	size_t start, end;
} vb_meta_field;

/* A cited document: "Quyết định số 31A/2020/QĐ-UBND ngày 04/9/2020 ...". */
typedef struct vb_meta_ref {
	char *form;     /* "Quyết định", "Luật", ... or NULL */
	char *number;   /* "31A/2020/QĐ-UBND" or NULL (laws often have none) */
	char *date;     /* ISO "2020-09-04" or NULL */
	char *text;     /* the citation as written, whitespace collapsed */
	double confidence;
	size_t start, end;
} vb_meta_ref;

typedef struct vb_meta_refs {
	vb_meta_ref *items;
	size_t n, cap;
} vb_meta_refs;

typedef struct vb_meta {
	char *text;                /* normalised input; spans refer to it */
	size_t text_len;
	vb_meta_field number;      /* "05/2023/QĐ-UBND" */
	vb_meta_field form;        /* "Quyết định", "Công văn", ... */
	vb_meta_field issuer;      /* "UBND tỉnh Quảng Ninh" */
	vb_meta_field issuer_parent; /* organ above it in the header block
				      * ("Bộ Tài chính" above "Cục Hải quan") */
	vb_meta_field place;       /* "Quảng Ninh" (địa danh of the date line) */
	vb_meta_field issue_date;  /* ISO "2023-02-16" */
	vb_meta_field effective_date; /* ISO */
	vb_meta_field abstract;    /* trích yếu, whitespace collapsed */
	vb_meta_field signer;      /* "Cao Tường Huy" */
	vb_meta_field signer_title; /* "Q. Chủ tịch" */
	vb_meta_refs replaces, amends, repeals, bases;
	char *warnings[VB_META_MAX_WARNINGS]; /* English, lower case */
	size_t n_warnings;
} vb_meta;

/* Extract the metadata of text (len bytes of UTF-8; invalid bytes are
 * replaced) into *out, which the function initialises (no need to zero it
 * first) and the caller releases with vb_meta_dispose, also on error.
 * Fields that cannot be found stay empty and a warning says so: garbage
 * input gives 0 and empty fields, not an error.
 * Errors: VB_EINVAL (text NULL with len > 0), VB_ENOMEM. */
int vb_meta_extract(const char *text, size_t len, vb_meta *out, vb_error *err);

/* Release everything *m holds and zero it.  NULL is fine. */
void vb_meta_dispose(vb_meta *m);

/* JSON form: {"text": ..., "number": {"value", "confidence", "start",
 * "end"}, ..., "replaces": [{"form", "number", "date", "text",
 * "confidence", "start", "end"}], ..., "warnings": [...]}.  A field not
 * found has "value": null.  New reference, or NULL on allocation failure. */
json_t *vb_meta_to_json(const vb_meta *m);

/* The form name ("Quyết định") that a document-number symbol implies
 * ("05/2023/QĐ-UBND" -> "Quyết định", "12/CT-TTg" -> "Chỉ thị",
 * "3/VBHN-BTC" -> "Văn bản hợp nhất", "17809/BTC-CTK" -> "Công văn"), or
 * NULL when the number says nothing.  Static string. */
const char *vb_meta_form_from_number(const char *number);

#endif
