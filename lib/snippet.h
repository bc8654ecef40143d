/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search-result snippets: the part of a document's text that shows the most
 * query words, HTML-escaped, with the matched words wrapped in
 * <mark>...</mark> and their original diacritics kept ("Cổng", not "cong").
 * Pure, thread-safe.
 */
#ifndef VB_SNIPPET_H
#define VB_SNIPPET_H

#include <stddef.h>

#define VB_SNIPPET_DEFAULT_BYTES 240
#define VB_SNIPPET_MAX_WORDS 64       /* further query words are ignored */
#define VB_SNIPPET_MAX_BYTES 65536    /* larger max_bytes are clamped */

/* Make a snippet of text (len bytes, UTF-8, normalised here with
 * vb_text_normalize; input beyond VB_TEXT_MAX_BYTES is ignored).  words are
 * n_words query words already folded with vb_text_fold (they are folded
 * again, so unfolded words also work); a token of the text matches a word
 * when its fold equals the word, a number's leading zeros aside ("05"
 * matches "5" and "005", as in the index; up to 8 zeros).  The snippet is the window of about
 * max_bytes of text (VB_SNIPPET_DEFAULT_BYTES when 0) that contains the
 * most distinct matched words, the earliest one on ties, widened with
 * context and cut at word boundaries; "… " / " …" mark cut ends, white space
 * runs become one space, everything is HTML-escaped and each matched token
 * is wrapped in <mark></mark>.  Without any match the snippet is the
 * beginning of the text.  The result is valid UTF-8.
 * Returns a new string (free()), "" for an empty text, NULL only on
 * allocation failure.  Linear in len; when the text holds every distinct
 * word it stops shortly after the first window that holds them all. */
char *vb_snippet_make(const char *text, size_t len, char *const *words,
                      size_t n_words, size_t max_bytes);

/* The snippet vb_snippet_make would make of a whole text of which text
 * (len bytes, cut at a character boundary) is only the beginning, when
 * the beginning decides it: it holds, within one window, every distinct
 * query word, and a token that starts past everything the snippet reads.
 * Otherwise NULL with *undecided set (the whole text is needed).  NULL
 * with *undecided clear: allocation failure. */
char *vb_snippet_make_prefix(const char *text, size_t len, char *const *words,
                             size_t n_words, size_t max_bytes, int *undecided);

#endif
