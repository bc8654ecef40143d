/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capitals repair and the paragraph output of the legacy conversion
 * (legacy_int.h).  TCVN3 gives toned capitals the code of the lower-case
 * letter and headings were typed in a capitals-only font, so a plain
 * conversion yields "SắC LệNH": the repair classifies the words of a
 * paragraph by case and upper-cases the lower-case Vietnamese letters a
 * capitals-only font left behind (see legacy.h).  Two passes per
 * paragraph.
 */
#include "legacy_int.h"

#include <stdlib.h>

#include <utf8proc.h>

/* ---- capitals repair ---- */

/* Whether cp is a lower-case Vietnamese letter a capitals font leaves
 * lower case after conversion: the non-ASCII ones (toned vowels and
 * ă â ê ô ơ ư đ). */
static int lower_viet(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	return cp >= 0x80 && (l = letter_find(cp)) && !l->upper;
}

/* Letters and combining marks (a word for the capitals repair). */
static int is_letter(uint32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	c = utf8proc_category((utf8proc_int32_t)cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

static int is_upper(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	if ((l = letter_find(cp)))
		return l->upper;
	return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

static int is_lower(uint32_t cp)
{
	const struct vb_legacy_letter *l;

	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	if ((l = letter_find(cp)))
		return !l->upper;
	return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

/* Upper case of a Vietnamese or ASCII letter; anything else unchanged (so
 * the byte length never changes). */
static uint32_t viet_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
	if (lower_viet(cp))
		return (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp);
	return cp;
}

enum word_class { W_NONE, W_UPPER, W_BUG, W_AMBIG, W_LOWER };

/* Classify the word cp[0..n): all capitals (W_UPPER); capitals with
 * lower-case Vietnamese letters a capitals font left (W_BUG, "SắC");
 * one capital and such letters only (W_AMBIG, "Số", "Hà": fine in
 * ordinary text); anything with a plain lower-case letter (W_LOWER). */
static enum word_class word_class(const uint32_t *cp, size_t n)
{
	size_t i, up = 0, lv = 0, lp = 0;

	for (i = 0; i < n; i++) {
		if (is_upper(cp[i]))
			up++;
		else if (lower_viet(cp[i]))
			lv++;
		else if (is_lower(cp[i]))
			lp++;
	}
	if (lp)
		return W_LOWER;
	if (!up)
		return lv ? W_LOWER : W_NONE;
	if (!lv)
		return W_UPPER;
	if (up < 2)
		return W_AMBIG;
	/* "KTTHTú" (initials + a name) is no syllable, "CHủ" is */
	return legacy_is_syllable(cp, n) ? W_BUG : W_LOWER;
}

/* Repair capitals in one paragraph of code points, in place. */
static void caps_fix(uint32_t *cp, size_t n)
{
	size_t i, s;
	int cnt[5] = { 0 };
	int heading;

	for (i = 0; i < n;) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		for (s = i; i < n && is_letter(cp[i]); i++)
			;
		cnt[word_class(cp + s, i - s)]++;
	}
	if (!cnt[W_BUG])
		return;
	heading = cnt[W_UPPER] + cnt[W_BUG] > 2 * cnt[W_LOWER];
	for (i = 0; i < n;) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		for (s = i; i < n && is_letter(cp[i]); i++)
			;
		if (heading || word_class(cp + s, i - s) == W_BUG) {
			size_t j;

			for (j = s; j < i; j++)
				cp[j] = heading ? viet_upper(cp[j]) :
				    (is_lower(cp[j]) ? viet_upper(cp[j]) : cp[j]);
		}
	}
}

/* ---- paragraph output ---- */

int legacy_cpvec_push(struct cpvec *c, uint32_t cp)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		uint32_t *p = realloc(c->v, cap * sizeof *p);

		if (!p)
			return VB_ENOMEM;
		c->v = p;
		c->cap = cap;
	}
	c->v[c->n++] = cp;
	return 0;
}

/* Repair capitals in the code points of one paragraph and append them. */
int legacy_emit_para(vb_buf *out, struct cpvec *c)
{
	size_t i;
	int rc;

	caps_fix(c->v, c->n);
	for (i = 0; i < c->n; i++)
		if ((rc = put_cp(out, c->v[i])) < 0)
			return rc;
	c->n = 0;
	return 0;
}

int legacy_emit_decoded(vb_buf *out, struct cpvec *c, const uint8_t *b,
			size_t n, enum vb_legacy_enc enc)
{
	const uint16_t *map = enc_map(enc);
	size_t i = 0;
	int rc;

	while (i < n) {
		uint32_t cp = dec_next(enc, map, b, n, &i);

		if (cp && (rc = legacy_cpvec_push(c, cp)) < 0)
			return rc;
	}
	return legacy_emit_para(out, c);
}
