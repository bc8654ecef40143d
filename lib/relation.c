/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relation vocabulary (contract in relation.h): type codes with their
 * labels in three languages read from either side, the mapping of
 * vbpl.vn's lược đồ boxes onto them, and the checks on a record handed to
 * the store.
 */
#include "relation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"

typedef struct rel_type {
	const char *code;
	const char *vi, *vi_inv, *en, *en_inv, *zh, *zh_inv;
} rel_type;

/* Display order: what changes a document's validity first. */
static const rel_type types[] = {
	{ VB_REL_REPLACES, "Thay thế", "Bị thay thế bởi", "Replaces", "Replaced by", "取代", "被取代" },
	{ VB_REL_REPEALS, "Bãi bỏ", "Bị bãi bỏ bởi", "Repeals", "Repealed by", "废止", "被废止" },
	{ VB_REL_REPEALS_PART, "Bãi bỏ một phần", "Bị bãi bỏ một phần bởi", "Repeals in part",
	  "Repealed in part by", "部分废止", "被部分废止" },
	{ VB_REL_SUSPENDS, "Đình chỉ", "Bị đình chỉ bởi", "Suspends", "Suspended by", "中止",
	  "被中止" },
	{ VB_REL_SUSPENDS_PART, "Đình chỉ một phần", "Bị đình chỉ một phần bởi",
	  "Suspends in part", "Suspended in part by", "部分中止", "被部分中止" },
	{ VB_REL_AMENDS, "Sửa đổi", "Được sửa đổi bởi", "Amends", "Amended by", "修改",
	  "被修改" },
	{ VB_REL_SUPPLEMENTS, "Bổ sung", "Được bổ sung bởi", "Supplements", "Supplemented by",
	  "补充", "被补充" },
	{ VB_REL_CORRECTS, "Đính chính", "Được đính chính bởi", "Corrects", "Corrected by",
	  "更正", "被更正" },
	{ VB_REL_CONSOLIDATES, "Hợp nhất", "Được hợp nhất bởi", "Consolidates",
	  "Consolidated by", "合并", "被合并" },
	{ VB_REL_IMPLEMENTS, "Hướng dẫn, quy định chi tiết", "Được hướng dẫn, quy định chi tiết bởi",
	  "Implements", "Implemented by", "实施细则", "其实施细则" },
	{ VB_REL_BASED_ON, "Căn cứ", "Là căn cứ của", "Based on", "Basis of", "依据",
	  "作为依据" },
	{ VB_REL_CITES, "Dẫn chiếu", "Được dẫn chiếu bởi", "Cites", "Cited by", "引用",
	  "被引用" },
	{ VB_REL_TRANSLATION_OF, "Bản dịch của", "Có bản dịch", "Translation of",
	  "Translated as", "译本", "有译本" },
	{ VB_REL_RELATED, "Liên quan", "Liên quan", "Related", "Related", "相关", "相关" },
};

#define N_TYPES (sizeof(types) / sizeof(types[0]))

const char *const vb_relation_types[] = {
	VB_REL_REPLACES, VB_REL_REPEALS, VB_REL_REPEALS_PART, VB_REL_SUSPENDS,
	VB_REL_SUSPENDS_PART, VB_REL_AMENDS, VB_REL_SUPPLEMENTS, VB_REL_CORRECTS,
	VB_REL_CONSOLIDATES, VB_REL_IMPLEMENTS, VB_REL_BASED_ON, VB_REL_CITES,
	VB_REL_TRANSLATION_OF, VB_REL_RELATED, NULL
};

static const rel_type *find_type(const char *type)
{
	size_t i;

	for (i = 0; type && i < N_TYPES; i++)
		if (!strcmp(types[i].code, type))
			return &types[i];
	return NULL;
}

int vb_relation_type_valid(const char *type)
{
	return find_type(type) != NULL;
}

int vb_relation_origin_valid(const char *origin)
{
	return origin && (!strcmp(origin, VB_REL_ORIGIN_VBPL) || !strcmp(origin, VB_REL_ORIGIN_CONGBAO) ||
			  !strcmp(origin, VB_REL_ORIGIN_TEXT) || !strcmp(origin, VB_REL_ORIGIN_STAFF));
}

const char *vb_relation_label(const char *type, const char *lang, int inverse)
{
	const rel_type *t = find_type(type);

	if (!t)
		return type;
	if (lang && !strcmp(lang, "en"))
		return inverse ? t->en_inv : t->en;
	if (lang && !strcmp(lang, "zh"))
		return inverse ? t->zh_inv : t->zh;
	return inverse ? t->vi_inv : t->vi;
}

/* The 18 boxes of vbpl.vn's lược đồ (plus the two of a consolidated
 * text), folded: lower case, no diacritics, punctuation runs -> one space.
 * The left column lists documents the page's document acts on (inverse
 * 0), the right column documents acting on it (inverse 1). */
static const struct {
	const char *folded;
	const char *type;
	int inverse;
} boxes[] = {
	{ "van ban duoc hd qd chi tiet", VB_REL_IMPLEMENTS, 0 },
	{ "van ban hien thoi", NULL, 0 },
	{ "van ban hd qd chi tiet", VB_REL_IMPLEMENTS, 1 },
	{ "van ban het hieu luc", VB_REL_REPEALS, 0 },
	{ "van ban can cu", VB_REL_BASED_ON, 0 },
	{ "van ban quy dinh het hieu luc", VB_REL_REPEALS, 1 },
	{ "van ban bi het hieu luc 1 phan", VB_REL_REPEALS_PART, 0 },
	{ "van ban dan chieu", VB_REL_CITES, 0 },
	{ "van ban quy dinh het hieu luc 1 phan", VB_REL_REPEALS_PART, 1 },
	{ "van ban bi dinh chi", VB_REL_SUSPENDS, 0 },
	{ "van ban lien quan khac", VB_REL_RELATED, 0 },
	{ "van ban dinh chi", VB_REL_SUSPENDS, 1 },
	{ "van ban bi dinh chi 1 phan", VB_REL_SUSPENDS_PART, 0 },
	{ "van ban dinh chi 1 phan", VB_REL_SUSPENDS_PART, 1 },
	{ "van ban duoc bo sung", VB_REL_SUPPLEMENTS, 0 },
	{ "van ban bo sung", VB_REL_SUPPLEMENTS, 1 },
	{ "van ban duoc sua doi", VB_REL_AMENDS, 0 },
	{ "van ban sua doi", VB_REL_AMENDS, 1 },
	{ "van ban duoc hop nhat", VB_REL_CONSOLIDATES, 0 },
	{ "van ban hop nhat", VB_REL_CONSOLIDATES, 1 },
};

#define BOX_TITLE_MAX 256

/* Fold title into out: lower case without diacritics, "(N)" counts and
 * every run of characters other than a-z 0-9 -> one space, trimmed;
 * "một phần" is spelled "1 phan".  0, or -1 when too long or not UTF-8. */
static int fold_title(const char *title, char *out, size_t cap)
{
	char *f, *p, *q;
	size_t len = strlen(title), o = 0;
	int space = 0, paren = 0;

	if (len > BOX_TITLE_MAX)
		return -1;
	if (!(f = vb_text_fold(title, len)))
		return -1;
	for (p = f; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '(') {
			paren = 1;
			continue;
		}
		if (paren) {
			if (c == ')')
				paren = 0;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (space && o)
				out[o++] = ' ';
			space = 0;
			if (o + 2 >= cap)
				break;
			out[o++] = (char)c;
		} else if (c >= 'A' && c <= 'Z') {
			if (space && o)
				out[o++] = ' ';
			space = 0;
			if (o + 2 >= cap)
				break;
			out[o++] = (char)(c - 'A' + 'a');
		} else {
			space = 1;
		}
	}
	out[o] = '\0';
	free(f);
	/* "một phần" -> "1 phan" */
	while ((q = strstr(out, "mot phan")) != NULL) {
		q[0] = '1';
		memmove(q + 1, q + 3, strlen(q + 3) + 1);
	}
	return 0;
}

const char *vb_relation_type_from_luocdo(const char *box_title, int *inverse)
{
	char f[BOX_TITLE_MAX + 16];
	size_t i;

	if (inverse)
		*inverse = 0;
	if (!box_title || fold_title(box_title, f, sizeof(f)))
		return NULL;
	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
		if (!strcmp(boxes[i].folded, f)) {
			if (inverse)
				*inverse = boxes[i].inverse;
			return boxes[i].type;
		}
	return NULL;
}

static int field_ok(const char *s, size_t max)
{
	return !s || strlen(s) <= max;
}

static int has(const char *s)
{
	return s && *s;
}

int vb_relation_check(const vb_relation_in *r, const char *origin, vb_error *err)
{
	char iso[11];

	if (!r)
		return vb_error_set(err, VB_EINVAL, "invalid relation: missing");
	if (!vb_relation_type_valid(r->type))
		return vb_error_set(err, VB_EINVAL, "invalid relation type \"%.64s\"",
				    r->type ? r->type : "");
	if (!vb_relation_origin_valid(r->origin ? r->origin : origin) ||
	    (origin && r->origin && strcmp(origin, r->origin)))
		return vb_error_set(err, VB_EINVAL, "invalid relation origin \"%.32s\"",
				    r->origin ? r->origin : origin ? origin : "");
	if (!has(r->target_number) && !(has(r->target_source) && has(r->target_source_id)) &&
	    !has(r->target_title))
		return vb_error_set(err, VB_EINVAL,
				    "invalid relation target: no number, source id or title");
	if (!field_ok(r->target_number, VB_REL_FIELD_MAX) ||
	    !field_ok(r->target_source, VB_REL_FIELD_MAX) ||
	    !field_ok(r->target_source_id, VB_REL_FIELD_MAX) ||
	    !field_ok(r->target_title, VB_REL_FIELD_MAX) ||
	    !field_ok(r->target_issuer, VB_REL_FIELD_MAX))
		return vb_error_set(err, VB_ETOOBIG, "invalid relation target: a field is longer than %d bytes",
				    VB_REL_FIELD_MAX);
	if (!field_ok(r->evidence, VB_REL_EVIDENCE_MAX))
		return vb_error_set(err, VB_ETOOBIG, "invalid relation evidence: longer than %d bytes",
				    VB_REL_EVIDENCE_MAX);
	if (has(r->target_date) &&
	    (strlen(r->target_date) != 10 || vb_date_parse(r->target_date, iso, NULL) ||
	     strcmp(iso, r->target_date)))
		return vb_error_set(err, VB_EINVAL, "invalid relation target date \"%.32s\"",
				    r->target_date);
	return 0;
}
