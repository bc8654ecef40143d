/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of the legacy-encoding module (lib/legacy.h), shared by
 * legacy.c (encoding names, decoding, vb_legacy_to_utf8 and the argument,
 * error and NFC helpers), legacy_detect.c (Vietnamese syllables, word and
 * paragraph scoring, detection), legacy_caps.c (the capitals repair and
 * the paragraph output) and legacy_fix.c (repair of text read as
 * Windows-1252).  Nothing else includes it.  The small helpers of the
 * per-byte and per-code-point loops (decoding one character, the letter
 * table, paragraph bounds) are static inline here, so that each file
 * compiles them into its loops as the single legacy.c did.
 */
#ifndef VB_LEGACY_INT_H
#define VB_LEGACY_INT_H

#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

#include "buf.h"
#include "error.h"
#include "legacy.h"

#define NCAND 5 /* candidate encodings for raw bytes */

/* Preference order on ties (legacy_detect.c). */
extern const enum vb_legacy_enc legacy_cand_order[NCAND];

/* ---- decoding ---- */

static inline const uint16_t *enc_map(enum vb_legacy_enc enc)
{
	switch (enc) {
	case VB_LEGACY_TCVN3: return vb_legacy_map_tcvn3;
	case VB_LEGACY_VNI: return vb_legacy_map_vni;
	case VB_LEGACY_VISCII: return vb_legacy_map_viscii;
	case VB_LEGACY_CP1258: return vb_legacy_map_cp1258;
	case VB_LEGACY_CP1252: return vb_legacy_map_cp1252;
	default: return NULL;
	}
}

static inline int vni_pair(uint8_t base, uint8_t mark)
{
	size_t lo = 0, hi = vb_legacy_vni_npairs;
	unsigned key = (unsigned)base << 8 | mark;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vb_legacy_pair *p = &vb_legacy_vni_pairs[mid];
		unsigned k = (unsigned)p->base << 8 | p->mark;

		if (k == key)
			return p->cp;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Decode the character at b[*i] (n bytes) in enc and advance *i. */
static inline uint32_t dec_next(enum vb_legacy_enc enc, const uint16_t *map,
				const uint8_t *b, size_t n, size_t *i)
{
	uint8_t c = b[(*i)++];

	/* every VNI mark byte is >= 0xC0 */
	if (enc == VB_LEGACY_VNI && *i < n && b[*i] >= 0xC0) {
		int cp = vni_pair(c, b[*i]);

		if (cp >= 0) {
			(*i)++;
			return (uint32_t)cp;
		}
	}
	return map[c];
}

static inline int put_cp(vb_buf *out, uint32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);

	return vb_buf_append(out, tmp, (size_t)k);
}

/* ---- Vietnamese letters ---- */

static inline const struct vb_legacy_letter *letter_find(uint32_t cp)
{
	size_t lo = 0, hi = vb_legacy_nletters;

	/* non-ASCII Vietnamese letters live in U+00C0..U+01B0, U+1EA0..U+1EF9 */
	if ((cp >= 0x80 && cp < 0xC0) || (cp > 0x1B0 && cp < 0x1EA0) ||
	    cp > 0x1EF9)
		return NULL;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vb_legacy_letters[mid].cp == cp)
			return &vb_legacy_letters[mid];
		if (vb_legacy_letters[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- paragraphs ---- */

static inline int is_para_sep(uint32_t c)
{
	return c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline int para_ascii(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] >= 0x80)
			return 0;
	return 1;
}

/* Length of the paragraph starting at b[i] (up to a separator or the end). */
static inline size_t para_len(const uint8_t *b, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && !is_para_sep(b[j]))
		j++;
	return j - i;
}

/* Word and paragraph scoring (legacy_detect.c): the score of n bytes
 * decoded in enc, of n code points (*nbad: the implausible words), whether
 * the letters cp[0..n) spell one Vietnamese syllable, and the pass over a
 * whole buffer that vb_legacy_detect and vb_legacy_to_utf8 share (see
 * there). */
int legacy_score_bytes(const uint8_t *b, size_t n, enum vb_legacy_enc enc);
int legacy_score_cps(const uint32_t *cp, size_t n, int *nbad);
int legacy_is_syllable(const uint32_t *cp, size_t n);
int legacy_doc_pass(const uint8_t *b, size_t len, vb_buf *ties, int *doc,
		    long *evidence);

/* The code points of one paragraph (legacy_caps.c): push one (VB_ENOMEM),
 * repair the capitals and append them to out (legacy_emit_para; the
 * vector is emptied), or decode n bytes in enc into the vector first
 * (legacy_emit_decoded).  Return 0 or a VB_E* code. */
struct cpvec {
	uint32_t *v;
	size_t n, cap;
};

int legacy_cpvec_push(struct cpvec *c, uint32_t cp);
int legacy_emit_para(vb_buf *out, struct cpvec *c);
int legacy_emit_decoded(vb_buf *out, struct cpvec *c, const uint8_t *b,
			size_t n, enum vb_legacy_enc enc);

/* legacy.c: the NFC of out as a new string (*res); the checks of the
 * arguments every entry point makes (*out set to NULL); the error of a
 * failed append to a buffer (rc VB_ENOMEM or VB_ETOOBIG).  Each returns 0
 * or the VB_E* code set in err. */
int legacy_finish_nfc(vb_buf *out, char **res, vb_error *err);
int legacy_check_args(const void *p, size_t len, char **out, vb_error *err);
int legacy_buf_error(int rc, vb_error *err);

#endif
