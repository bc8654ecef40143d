/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese legacy 8-bit encodings -> Unicode (NFC UTF-8).
 *
 * Offices still produce text in TCVN3 (ABC, the .VnTime fonts), VNI
 * Windows (base letter + one mark byte), VISCII and Windows-1258, and files
 * mix them with Unicode paragraph by paragraph.  This module
 *
 *  - decodes bytes in a known encoding (vb_legacy_decode);
 *  - guesses the encoding of raw bytes by how many decoded words are
 *    plausible Vietnamese syllables (vb_legacy_detect);
 *  - repairs UTF-8 text that was produced by reading legacy bytes as
 *    Windows-1252 ("S¾C LÖNH" -> "SẮC LỆNH"), per paragraph, leaving proper
 *    Unicode Vietnamese alone (vb_legacy_fix_text);
 *  - does whichever of the two a byte buffer of unknown origin needs
 *    (vb_legacy_to_utf8).
 *
 * TCVN3 gives toned capitals the byte of the lower-case letter (only Ă Â Đ
 * Ê Ô Ơ Ư have their own), and headings were typed in a capitals-only font
 * (.VnTimeH) with lower-case codes, so a plain conversion yields "SắC LệNH".
 * The capitals repair upper-cases such words, and whole paragraphs that are
 * mostly such words.  Paragraphs are separated by \n, \r, \v (Word's line
 * break) and \f.
 *
 * All functions are pure and thread-safe.  Returned strings are heap
 * allocated (free()).
 */
#ifndef VB_LEGACY_H
#define VB_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Largest input one call accepts (VB_ETOOBIG beyond). */
#define VB_LEGACY_MAX_BYTES (64u * 1024 * 1024)

enum vb_legacy_enc {
	VB_LEGACY_UNKNOWN = 0,
	VB_LEGACY_TCVN3,   /* TCVN 5712:1993 VN3 "ABC", .VnTime fonts */
	VB_LEGACY_VNI,     /* VNI Windows: base letter + one mark byte */
	VB_LEGACY_VISCII,  /* VISCII 1.1 (toned capitals sharing a lower-case
			    * code in the UniKey table decode lower case) */
	VB_LEGACY_CP1258,  /* Windows-1258: base + combining tone byte */
	VB_LEGACY_CP1252   /* Windows-1252 (plain Western text) */
};

/* Stable lower-case name of an encoding ("tcvn3", "vni", "viscii",
 * "cp1258", "cp1252", "unknown").  Static string. */
const char *vb_legacy_enc_name(enum vb_legacy_enc enc);

/* Decode len bytes in encoding enc into NFC UTF-8 (*utf8_out, NUL
 * terminated, free() it).  Every byte has a meaning in every encoding, so
 * decoding cannot fail on content; NUL bytes are dropped.  Toned TCVN3
 * capitals come out lower case (the encoding cannot tell them apart); no
 * capitals repair is done here.
 * Returns 0, VB_EINVAL (bad enc or NULL argument), VB_ETOOBIG (len >
 * VB_LEGACY_MAX_BYTES) or VB_ENOMEM; on error *utf8_out is NULL. */
int vb_legacy_decode(const char *bytes, size_t len, enum vb_legacy_enc enc,
		     char **utf8_out, vb_error *err);

/* Guess the encoding of len raw bytes that are not valid UTF-8.  In every
 * paragraph holding non-ASCII bytes, each candidate (TCVN3, VNI, VISCII,
 * CP1258, CP1252) is scored by the decoded non-ASCII words that are
 * plausible Vietnamese syllables (+1, +2 for very common ones) minus twice
 * the implausible ones; the best candidate of the paragraph (ties going to
 * CP1252, then TCVN3, VNI, CP1258, VISCII) gets its vote if it scores above
 * zero.  Returns the candidate with most votes (without votes: the best
 * positive total), or VB_LEGACY_UNKNOWN when there is no evidence (e.g.
 * pure ASCII, non-Vietnamese text), len is 0 or too large.  A mixed buffer
 * gets its majority encoding; vb_legacy_to_utf8 decides per paragraph. */
enum vb_legacy_enc vb_legacy_detect(const char *bytes, size_t len);

/* Repair UTF-8 text in which legacy Vietnamese bytes were read as
 * Windows-1252 (what Word/RTF/HTML readers give for .VnTime or VNI-font
 * text).  Per paragraph: if every character maps back to a Windows-1252
 * byte, the text as it stands has at least one implausible word (the
 * tell-tale "S¾C", "nhÊt", "Quyeát") and the TCVN3 or VNI reading of those
 * bytes scores strictly better (see vb_legacy_detect) than the text as it
 * stands, the paragraph is re-decoded; a paragraph holding any character
 * outside Windows-1252 (i.e. proper Unicode Vietnamese) or only plausible
 * words is never re-decoded.  Then capitals-font
 * headings are repaired in every paragraph ("SắC LệNH" -> "SẮC LỆNH").
 * *out gets the NFC result (free() it); *changed (may be NULL) the number of
 * paragraphs re-decoded (capitals repairs alone are not counted).
 * Returns 0, VB_EINVAL (invalid UTF-8 or NULL argument), VB_ETOOBIG or
 * VB_ENOMEM; on error *out is NULL. */
int vb_legacy_fix_text(const char *utf8, size_t len, char **out,
		       int *changed, vb_error *err);

/* Convert a byte buffer of unknown encoding to NFC UTF-8: valid UTF-8 goes
 * through vb_legacy_fix_text; anything else is decoded paragraph by
 * paragraph with the best-scoring encoding (ties go to the encoding that
 * scores best over the whole buffer, then to the order of vb_legacy_detect),
 * followed by the capitals repair.  *out: free() it.
 * Returns 0, VB_EINVAL, VB_ETOOBIG or VB_ENOMEM; on error *out is NULL. */
int vb_legacy_to_utf8(const char *bytes, size_t len, char **out,
		      vb_error *err);

/* ---- Internal: shared with the generated lib/legacy_tables.c ---- */

/* One VNI two-byte sequence: base byte + mark byte -> code point. */
struct vb_legacy_pair {
	uint8_t base, mark;
	uint16_t cp;
};

/* One Vietnamese letter: code point, lower-case base letter keeping its
 * vowel modifier (a ă â e ê i o ô ơ u ư y đ or a plain consonant), tone
 * (0 none, 1 acute, 2 grave, 3 hook, 4 tilde, 5 dot), upper case flag. */
struct vb_legacy_letter {
	uint16_t cp, base;
	uint8_t tone, upper;
};

extern const uint16_t vb_legacy_map_tcvn3[256];
extern const uint16_t vb_legacy_map_vni[256];
extern const uint16_t vb_legacy_map_viscii[256];
extern const uint16_t vb_legacy_map_cp1252[256];
extern const uint16_t vb_legacy_map_cp1258[256];
extern const struct vb_legacy_pair vb_legacy_vni_pairs[]; /* sorted */
extern const size_t vb_legacy_vni_npairs;
extern const struct vb_legacy_letter vb_legacy_letters[]; /* sorted by cp */
extern const size_t vb_legacy_nletters;
/* Compact keys (base letters with ă â ê ô ơ ư đ as 1 2 3 4 5 6 0, then the
 * tone digit) of very common syllables, sorted by strcmp. */
extern const char *const vb_legacy_common[];
extern const size_t vb_legacy_ncommon;

#endif
