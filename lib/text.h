/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese text normalisation and tokenisation, used identically by the
 * indexer and the query side so that what is indexed and what is searched
 * meet.
 *
 *  - vb_text_normalize: any UTF-8 input -> NFC (TCVN 6909), with U+00D0 Ð
 *    look-alike -> Đ (U+0110), U+00F0 ð -> đ, NBSP and other spaces ->
 *    space, ZWSP / ZWJ / ZWNJ / BOM / soft hyphen removed, invalid UTF-8
 *    bytes replaced with U+FFFD.  Case is kept.  This is what is stored.
 *  - vb_text_exact_term: one word -> lower case NFC with the tone mark placed
 *    canonically (hoà = hòa, thuỷ = thủy, Uỷ = ủy, khoá = khóa).
 *  - vb_text_fold: one word or a whole string -> lower case without any
 *    diacritics, đ -> d ("Quyết định" -> "quyet dinh").
 *  - vb_text_tokenize: split normalised text into words (runs of letters,
 *    marks and digits) with their byte offsets, for indexing, queries and
 *    snippets.
 *
 * All functions are pure and thread-safe.  Returned strings are heap
 * allocated (free()) unless stated otherwise.
 */
#ifndef VB_TEXT_H
#define VB_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Limits on what one call accepts (input is truncated at a character
 * boundary beyond them by callers; functions return NULL past them). */
#define VB_TEXT_MAX_BYTES (64u * 1024 * 1024)
#define VB_WORD_MAX_BYTES 64 /* longer "words" are cut for indexing */

/* Write code point cp as UTF-8 into out and return its length (1 to 4).
 * Surrogates (U+D800..U+DFFF) and values past U+10FFFF, which have no
 * UTF-8 form, are written as U+FFFD. */
size_t vb_utf8_encode(uint32_t cp, char out[4]);

/* Normalise len bytes of s (see above).  Returns a new NUL-terminated string,
 * or NULL on allocation failure or when len > VB_TEXT_MAX_BYTES. */
char *vb_text_normalize(const char *s, size_t len);

/* Whether s (len bytes) is certainly its own normalisation, i.e.
 * vb_text_normalize would return an identical copy: 1 or 0.  The check is
 * one cheap pass and conservative: it answers 0 for some normalised texts
 * (those with combining marks left or with rare characters), which then
 * simply take vb_text_normalize's longer way.  Lets callers that receive
 * stored (already normalised) text use it in place. */
int vb_text_is_normalized(const char *s, size_t len);

/* Canonical exact term of one word (lower case, NFC, canonical tone
 * placement).  Returns a new string or NULL. */
char *vb_text_exact_term(const char *word, size_t len);

/* Fold s: lower case, diacritics removed, đ -> d.  Works on words and whole
 * strings (other characters are kept, lower-cased).  New string or NULL. */
char *vb_text_fold(const char *s, size_t len);

/* Same fold as vb_text_fold, into a caller buffer without allocating (for
 * hot loops such as folding every token of a document).  Writes at most
 * cap - 1 bytes plus a NUL (never part of a character; out may be NULL when
 * cap is 0) and returns the full length of the fold, so a return value
 * >= cap means the output was truncated. */
size_t vb_text_fold_buf(const char *s, size_t len, char *out, size_t cap);

/* Whether the word (len bytes) carries any Vietnamese diacritic or đ, i.e.
 * whether folding changes it beyond case. */
int vb_text_has_diacritics(const char *word, size_t len);

typedef struct vb_token {
	size_t start;   /* byte offset in the tokenised string */
	size_t len;     /* byte length */
} vb_token;

/* Callback for each token; return non-zero to stop. */
typedef int (*vb_token_cb)(const char *s, const vb_token *tok, void *ud);

/* Tokenise s (len bytes, UTF-8, ideally normalised): words are maximal runs
 * of letters, combining marks and digits (Unicode categories L*, M*, N*).
 * Returns the number of tokens seen, or -1 if the callback stopped. */
long vb_text_tokenize(const char *s, size_t len, vb_token_cb cb, void *ud);

#define VB_FOLD_TOKEN_MAX 256 /* longest fold vb_text_tokenize_folded gives */

/* Callback for vb_text_tokenize_folded: folded is the token's fold
 * (exactly vb_text_fold of its bytes, NUL-terminated, folded_len bytes,
 * valid during the call only), or NULL with folded_len 0 when the fold is
 * longer than fold_max.  Return non-zero to stop. */
typedef int (*vb_fold_token_cb)(const char *s, const vb_token *tok, const char *folded,
                                size_t folded_len, void *ud);

#define VB_TOKENIZE_NORMALIZED 1u    /* flag: check the text on the way */
#define VB_TOKENIZE_NOT_NORMALIZED (-2)

/* Tokenise exactly as vb_text_tokenize and fold each token on the way,
 * without allocating: the hot loop of snippets and term matching.  Folds
 * longer than fold_max bytes (at most VB_FOLD_TOKEN_MAX) are not finished
 * and are passed as NULL, so a small fold_max makes the scan cheaper.
 * With VB_TOKENIZE_NORMALIZED in flags, every character is also checked as
 * by vb_text_is_normalized, and the scan returns VB_TOKENIZE_NOT_NORMALIZED
 * at the first one that fails, before any callback for a token containing
 * or ending at it: a caller that stops early has then checked only what it
 * read, instead of making a separate pass over the whole text.
 * Returns the number of tokens seen, -1 if the callback stopped, or
 * VB_TOKENIZE_NOT_NORMALIZED. */
long vb_text_tokenize_folded(const char *s, size_t len, size_t fold_max, unsigned flags,
                             vb_fold_token_cb cb, void *ud);

#endif
