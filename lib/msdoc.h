/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text of legacy Word binary documents (.doc): Word 97-2003 ([MS-DOC]:
 * the FIB at the start of the WordDocument stream, the piece table in the
 * Clx of the 0Table/1Table stream, 8-bit "compressed" and UTF-16LE pieces)
 * and Word 6.0/95 (8-bit text between fcMin and fcMac of the WordDocument
 * stream, or the Word 6 piece table of a fast-saved file).  The container
 * is read with lib/cfb.h.
 *
 * Only the main document story is returned (no headers, footers,
 * footnotes, comments or text boxes).  Control characters are mapped:
 * paragraph mark 0x0D, line break 0x0B, page/section break 0x0C and
 * column break 0x0E become '\n'; a cell mark 0x07 becomes '\t', and the
 * row-end mark that follows a row's last cell mark becomes '\n'; of a field
 * (0x13 code 0x14 result 0x15) only the result is kept; the non-breaking
 * hyphen 0x1E becomes '-'; other C0 controls (pictures, footnote anchors,
 * optional hyphens) are dropped.
 *
 * 8-bit text is decoded as Windows-1252 (the [MS-DOC] mapping for
 * compressed pieces; the five bytes Windows-1252 leaves undefined map to
 * the C1 code points of the same value, so the mapping can be undone with
 * vb_msdoc_unmap_8bit).  Vietnamese documents of the 1990s typed in TCVN3
 * (ABC) or VNI fonts arrive as such 8-bit text and look like "S¾C LÖNH";
 * *legacy_8bit tells the caller to run legacy-encoding detection.
 *
 * Input is hostile: every offset and length from the file is checked
 * against the stream it points into.  Functions are reentrant.
 */
#ifndef VB_MSDOC_H
#define VB_MSDOC_H

#include <stddef.h>

#include "error.h"

#define VB_MSDOC_MAX_TEXT ((size_t)64 * 1024 * 1024)

/* Extract the main text of the Word document held in data[0..len) (the
 * whole .doc file, a compound file).  On success returns 0 and sets
 * *utf8_out to a new NUL-terminated UTF-8 string (free() it; may be "").
 * When legacy_8bit is not NULL it is set to 1 when some of the returned
 * non-ASCII characters came from 8-bit text (Word 6/95 text or compressed
 * Word 97 pieces), else 0.
 *
 * Errors (*utf8_out is then NULL): VB_EINVAL for a damaged file ("could
 * not read Word document: piece table entry 3 points past the end of the
 * stream"; also when the input is not a compound file), VB_EUNSUPPORTED
 * for encrypted or obfuscated documents, Word 2.x and older, and compound
 * files without a WordDocument stream (Excel, PowerPoint, encrypted OOXML),
 * VB_ETOOBIG (file or stream over 200 MiB, text over VB_MSDOC_MAX_TEXT),
 * VB_ENOMEM. */
int vb_msdoc_text(const unsigned char *data, size_t len, char **utf8_out, int *legacy_8bit,
		  vb_error *err);

/* Map UTF-8 text produced from 8-bit Word text back to the original bytes
 * (the inverse of the Windows-1252 decoding above), for legacy-encoding
 * detection and conversion.  Characters outside Windows-1252 become '?'
 * and are counted in *unmapped (may be NULL).  *bytes_out gets a new
 * NUL-terminated buffer of *len_out bytes (free() it).
 * Errors: VB_EINVAL (invalid UTF-8), VB_ENOMEM. */
int vb_msdoc_unmap_8bit(const char *utf8, size_t len, char **bytes_out, size_t *len_out,
			size_t *unmapped, vb_error *err);

#endif
