/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of metadata extraction (lib/meta.h), shared by meta.c and the
 * modules that find the fields: meta_number.c (number, place and date
 * from the number row of the header), meta_heading.c (form, abstract and
 * the authority line under it), meta_issuer.c (issuer and its parent from
 * the organ lines), meta_cite.c (the "Căn cứ" bases, replaced / amended /
 * repealed documents and the effective date) and meta_sign.c (signer and
 * title).  Nothing else
 * includes it.  The matching context ctx, the regex fragments and the
 * span helpers (defined in meta.c) live here.
 */
#ifndef VB_META_INT_H
#define VB_META_INT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/* Regex fragments on the folded text. */
#define SP "[ \n]+"
#define OSP "[ \n]*"
#define SEG "[a-z0-9.&]+([ ]?-[ ]?[a-z0-9&.]+)*"
#define NUM "([0-9]+([.][0-9]+)?[a-z]{0,3}([ ]?/[ ]?" SEG "){1,4}|[0-9]+-[a-z]{1,6}/" SEG ")"
#define DMY "([0-9]{1,2})" OSP "[/.-]" OSP "([0-9]{1,2})" OSP "[/.-]" OSP "([0-9]{4})"
#define DTMY "([0-9]{1,2})" SP "thang" OSP "([0-9]{1,2})" SP "nam" OSP "([0-9]{4})"
#define FORMS "(bo luat|luat|nghi dinh|nghi quyet|quyet dinh|thong tu lien tich|" \
	"thong tu|chi thi|phap lenh|hien phap|van ban hop nhat|cong van|ke hoach|" \
	"thong bao|lenh)"

#define HEAD_MAX 12000   /* bytes of F searched for the header parts */
#define ABSTRACT_MAX 1200

typedef struct ctx {
	const char *t;   /* normalised text */
	size_t n;
	char *f;         /* folded matching copy */
	size_t fn;
	size_t *map;     /* f[i] comes from t[map[i]] */
	vb_meta *m;
	/* compiled once per process (meta.c), shared read-only */
	const regex_t *re_num, *re_date, *re_date2, *re_eff, *re_cite, *re_vv, *re_date_any;
	/* positions in F */
	size_t num_line;     /* start of the line with the number, or SIZE_MAX */
	size_t head_end;     /* first "Căn cứ" / "Kính gửi" / "Điều 1" */
	size_t abs_start, abs_end;
	size_t auth_start, auth_end; /* authority line under the abstract */
	size_t bases_start, bases_end;
	size_t body_start;
	size_t sig_start;
	size_t num_aside;    /* end of a number found outside the header */
	size_t full;         /* length of F; fn is cut before a site trailer */
} ctx;

enum { CASE_LOWER, CASE_TITLE, CASE_SENTENCE };

/* Forms of documents: folded words -> name (meta_heading.c). */
struct meta_form_name {
	const char *fold;
	const char *name;
};
extern const struct meta_form_name meta_form_names[];
extern const size_t meta_n_form_names;
/* The form named by folded words s (n bytes, the whole of them), or NULL. */
const char *meta_form_lookup(const char *s, size_t n);

/* Upper-case folded symbol of a number into out (cap bytes): the part
 * after the number proper and an optional year ("05/2023/QĐ-UBND" ->
 * "QD-UBND"); 0, or -1 when the number has no symbol (meta_number.c). */
int meta_number_symbol(const char *number, char *out, size_t cap);

/* Line starts that end the header block (meta.c). */
extern const char *const meta_body_marks[];
extern const size_t meta_n_body_marks;

/* Helpers on the folded copy and its spans (meta.c). */
int32_t meta_cp_at(const char *s, size_t n, size_t i, size_t *len);
char *meta_case_map(const char *s, int mode);
int meta_is_upper(const char *s, size_t n);
int meta_is_noise(unsigned char c);
int meta_line_at(const ctx *c, size_t pos, size_t *a, size_t *b, size_t *next);
int meta_starts(const char *s, size_t n, const char *p);
int meta_line_eq(const ctx *c, size_t a, size_t b, const char *p);
size_t meta_oend(const ctx *c, size_t fb);
char *meta_clean_f(const ctx *c, size_t fa, size_t fb);
void meta_field_set(ctx *c, vb_meta_field *fl, char *value, double conf, size_t fa, size_t fb);
void meta_warn(vb_meta *m, const char *msg);
int meta_date_from(const char *d, const char *mo, const char *y, char out[11]);
const char *meta_grp(const ctx *c, const regmatch_t *rm, int g, char *buf, size_t cap);
int meta_date_groups(const ctx *c, const regmatch_t *rm, int g, char iso[11]);
int meta_rx(const ctx *c, const regex_t *re, size_t from, size_t to, regmatch_t *rm, size_t nm);
char *meta_number_value(const ctx *c, size_t fa, size_t *fb);
int meta_num_has_symbol(const char *s, size_t n);

/* Fields from the header block: the number row (meta_number.c), the
 * heading (meta_heading.c) and the organ lines (meta_issuer.c). */
void meta_find_number(ctx *c);
void meta_find_date_line(ctx *c);
void meta_find_form_and_abstract(ctx *c);
void meta_find_issuer(ctx *c);

/* Citations and the effective date (meta_cite.c). */
void meta_find_bases(ctx *c);
void meta_find_effective(ctx *c);
void meta_scan_relations(ctx *c, size_t from, size_t to);

/* The signature block (meta_sign.c). */
void meta_find_signer(ctx *c);

#endif
