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

/* Limits on what one call accepts (input is truncated at a character
 * boundary beyond them by callers; functions return NULL past them). */
#define VB_TEXT_MAX_BYTES (64u * 1024 * 1024)
#define VB_WORD_MAX_BYTES 64 /* longer "words" are cut for indexing */

/* Normalise len bytes of s (see above).  Returns a new NUL-terminated string,
 * or NULL on allocation failure or when len > VB_TEXT_MAX_BYTES. */
char *vb_text_normalize(const char *s, size_t len);

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

#endif
