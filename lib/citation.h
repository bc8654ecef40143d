/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Citations of Vietnamese legal documents, as lawyers paste them and as the
 * "Căn cứ ..." lines of the documents write them: "Quyết định số
 * 31A/2020/QĐ-UBND ngày 04/9/2020 của UBND tỉnh Quảng Ninh".  A citation is
 * cut into what a look-up needs: the form, the number (with its canonical
 * and partial keys, lib/docnum.h), the issue date and the issuer, each
 * optional.  Tolerant of NFD input, the Ð look-alike, extra white space,
 * "số"/"so"/"Số:" labels, dates written "04/9/2020" or "04 tháng 9 năm
 * 2020", missing parts, and a form written before a number without symbol
 * ("QĐ 05/2023").  Pure and thread-safe.
 */
#ifndef VB_CITATION_H
#define VB_CITATION_H

#include <stddef.h>

#include "docnum.h"
#include "error.h"

/* Longest citation accepted, in bytes. */
#define VB_CITATION_MAX_BYTES 2048
#define VB_CITATION_ISSUER_MAX 256

typedef struct vb_citation {
	char form[64];        /* "Quyết định", "Nghị định", ...; "" when unknown */
	int form_inferred;    /* 1: not written, guessed from the number's symbol */
	char number[VB_DOCNUM_PART_MAX]; /* as written, NFC, white space removed; "" */
	vb_docnum_keys keys;  /* of number; keys.key is "" without a number */
	char date[11];        /* issue date, ISO "YYYY-MM-DD"; "" */
	char issuer[VB_CITATION_ISSUER_MAX]; /* normalised: "UBND tỉnh Quảng Ninh"; "" */
} vb_citation;

/* Parse text (UTF-8, any normalisation form) into out, which the callee
 * initialises; parts that are not found are left empty.  Returns 0 (also
 * when nothing was understood: check out->keys.key, out->date ...),
 * VB_EINVAL for NULL text, VB_ETOOBIG when text is longer than
 * VB_CITATION_MAX_BYTES, VB_ENOMEM.  err may be NULL. */
int vb_citation_parse(vb_citation *out, const char *text, vb_error *err);

/* Normalise an issuer name for display: "Ủy ban nhân dân tỉnh Quảng Ninh",
 * "UBND Tỉnh Quảng Ninh", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH" ->
 * "UBND tỉnh Quảng Ninh"; "Hội đồng nhân dân" -> "HĐND"; "TP." ->
 * "thành phố".  Writes at most cap - 1 bytes plus NUL into out (cut at a
 * word).  Returns 0, or VB_ENOMEM (out is then ""). */
int vb_citation_issuer_normalize(const char *issuer, char *out, size_t cap);

/* Whether two issuer names designate the same body, loosely: after
 * folding, abbreviating (Ủy ban nhân dân = UBND, thành phố = TP) and
 * dropping punctuation, the words of one are a contiguous run of the words
 * of the other ("Quảng Ninh" and "Chủ tịch UBND tỉnh Quảng Ninh" both match
 * "UBND tỉnh Quảng Ninh"; "UBND tỉnh Quảng Trị" does not).  A leading
 * office ("Chủ tịch", "Phó Chủ tịch", "Bộ trưởng", "Thứ trưởng") is
 * ignored, so "Bộ trưởng Bộ Tài chính" matches "Bộ Tài chính".  0 when
 * either is NULL or has no word left: vb_citation_issuer_match(x, x) tells
 * whether x names a body at all ("Bộ trưởng" alone does not). */
int vb_citation_issuer_match(const char *a, const char *b);

/* Full Vietnamese form name for the type of a number's symbol ("QD" ->
 * "Quyết định", "ND" -> "Nghị định"), or NULL when the type is not a form
 * abbreviation.  The string is static. */
const char *vb_citation_form_of_type(const char *type);

#endif
