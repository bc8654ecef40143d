/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain text of RTF 1.x documents.  A small iterative reader of the RTF
 * token stream (control words with optional numeric parameter, control
 * symbols, groups, text): \par, \line, \page, \sect and \row become '\n',
 * \tab and \cell '\t'; \'hh bytes are decoded with the document's
 * \ansicpg (or the \fcharset of the current font; Windows-1252 and
 * Windows-1258 are known, other code pages fall back to Windows-1252);
 * \uN emits U+N and skips the \ucN following fallback characters.
 * Destinations that are not body text are skipped: any {\* ...} group,
 * the font, colour and style tables, \info, pictures, object data, field
 * instructions (the field result is kept), headers, footers, footnotes and
 * annotations.
 *
 * The reader uses an explicit group stack with a depth limit
 * (VB_RTF_MAX_DEPTH), never recursion, and caps the text at
 * VB_RTF_MAX_TEXT.  Reentrant.
 */
#ifndef VB_RTF_H
#define VB_RTF_H

#include <stddef.h>

#include "error.h"

#define VB_RTF_MAX_DEPTH 256
#define VB_RTF_MAX_TEXT ((size_t)64 * 1024 * 1024)

/* Whether data starts like an RTF document ("{\rtf", after an optional
 * UTF-8 byte order mark and white space). */
int vb_rtf_is_rtf(const char *data, size_t len);

/* Extract the text of the RTF document data[0..len).  On success returns 0
 * and sets *utf8_out to a new NUL-terminated UTF-8 string (free() it).
 * Errors (*utf8_out is then NULL): VB_EINVAL (not RTF: "could not read RTF
 * document: missing {\rtf header"; groups nested deeper than
 * VB_RTF_MAX_DEPTH), VB_ETOOBIG (text over VB_RTF_MAX_TEXT), VB_ENOMEM.
 * A document cut short (unclosed groups) yields the text read so far. */
int vb_rtf_text(const char *data, size_t len, char **utf8_out, vb_error *err);

#endif
