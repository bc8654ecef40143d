/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relations between documents: the vocabulary of relation types (căn cứ,
 * hướng dẫn, sửa đổi, thay thế, bãi bỏ, ...) with labels in Vietnamese,
 * English and Chinese, the mapping of the national legal database's
 * (vbpl.vn) "lược đồ" box titles onto those types, and the record a
 * source hands to the store (vb_store_relations_set, lib/store.h).
 *
 * A relation is directed and read from the point of view of its `from`
 * document: (05/2023/QĐ-UBND, "replaces", 31A/2020/QĐ-UBND).  The store
 * answers both directions; the inverse reading ("replaced by") comes from
 * vb_relation_label(type, lang, 1).
 *
 * Pure functions over static tables: thread-safe.
 */
#ifndef VB_RELATION_H
#define VB_RELATION_H

#include <stddef.h>

#include "error.h"

/* Relation type codes. */
#define VB_REL_BASED_ON "based_on"           /* căn cứ */
#define VB_REL_IMPLEMENTS "implements"       /* hướng dẫn, quy định chi tiết */
#define VB_REL_AMENDS "amends"               /* sửa đổi */
#define VB_REL_SUPPLEMENTS "supplements"     /* bổ sung */
#define VB_REL_REPLACES "replaces"           /* thay thế */
#define VB_REL_REPEALS "repeals"             /* bãi bỏ / làm hết hiệu lực toàn bộ */
#define VB_REL_REPEALS_PART "repeals_part"   /* bãi bỏ một phần */
#define VB_REL_SUSPENDS "suspends"           /* đình chỉ, ngưng hiệu lực */
#define VB_REL_SUSPENDS_PART "suspends_part" /* đình chỉ một phần */
#define VB_REL_CORRECTS "corrects"           /* đính chính */
#define VB_REL_CONSOLIDATES "consolidates"   /* hợp nhất */
#define VB_REL_CITES "cites"                 /* dẫn chiếu */
#define VB_REL_TRANSLATION_OF "translation_of" /* bản dịch */
#define VB_REL_RELATED "related"             /* liên quan */

/* Origins: who said so. */
#define VB_REL_ORIGIN_VBPL "vbpl"
#define VB_REL_ORIGIN_CONGBAO "congbao"
#define VB_REL_ORIGIN_TEXT "text"
#define VB_REL_ORIGIN_STAFF "staff"

/* Limits on one relation record (checked by vb_relation_check). */
#define VB_REL_MAX 2000             /* relations per document and origin */
#define VB_REL_FIELD_MAX 2048       /* bytes of number, source, title, issuer */
#define VB_REL_EVIDENCE_MAX 4096    /* bytes of evidence */

/* 1 when type is one of the codes above, else 0 (also for NULL). */
int vb_relation_type_valid(const char *type);

/* 1 when origin is one of the origins above, else 0. */
int vb_relation_origin_valid(const char *origin);

/* Every type code in a fixed order (display order on the document page),
 * NULL-terminated.  Static. */
extern const char *const vb_relation_types[];

/* The label of type in lang ("vi", "en", "zh"; others fall back to "vi"),
 * read from the `from` side (inverse 0: "Thay thế") or from the target's
 * side (inverse 1: "Bị thay thế bởi").  Unknown types are returned as they
 * are.  Static string. */
const char *vb_relation_label(const char *type, const char *lang, int inverse);

/* The relation type of a vbpl.vn lược đồ box ("Văn bản căn cứ", "Văn bản
 * được sửa đổi", "VĂN BẢN HỢP NHẤT", any case, NFC or NFD, with or without
 * the "(N)" count), or NULL for "Văn bản hiện thời" (the page's own
 * document) and unknown titles.  *inverse (may be NULL) is set to 0 when
 * the page's document is the `from` of the relation to the listed ones
 * ("Văn bản được sửa đổi": the page's document amends them), 1 when the
 * listed documents are the `from` ("Văn bản sửa đổi": they amend the
 * page's document).  Static string. */
const char *vb_relation_type_from_luocdo(const char *box_title, int *inverse);

/* One relation handed to the store.  Every string is borrowed. */
typedef struct vb_relation_in {
	const char *type;             /* from the point of view of `from` */
	const char *target_number;    /* number/symbol as written, may be NULL */
	const char *target_source, *target_source_id; /* e.g. "vbpl","96172"; may be NULL */
	const char *target_title;     /* may be NULL */
	const char *target_date;      /* issue date YYYY-MM-DD or NULL */
	const char *origin;           /* "vbpl", "congbao", "text", "staff" */
	const char *evidence;         /* the box title or sentence it came from */
	const char *target_issuer;    /* cơ quan ban hành when known, may be NULL */
	int inverse;                  /* 1: the TARGET is the acting side, i.e. the
				       * relation reads (target, type, from): a
				       * right-column lược đồ box seen from the
				       * page's document (vb_relation_type_from_luocdo
				       * sets it), e.g. from = 31A, target = 05/2023,
				       * type "repeals", inverse 1: 05/2023 repeals
				       * 31A.  0 (the default): (from, type, target). */
} vb_relation_in;

/* Check one record: a valid type, an origin equal to `origin` when that is
 * not NULL, something to find the target by (number, or source and
 * source_id, or title), a valid date or NULL, lengths within the limits.
 * 0 or VB_EINVAL with a message naming the field. */
int vb_relation_check(const vb_relation_in *r, const char *origin, vb_error *err);

#endif
