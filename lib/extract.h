/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text extraction from original files: PDF (poppler-glib), DOCX and ODT
 * (libzip + libxml2), Word 97-2003 and 6/95 .doc (lib/msdoc.c), RTF
 * (lib/rtf.c), HTML (libxml2's HTML parser) and plain text in UTF-8 or a
 * Vietnamese legacy encoding (lib/legacy.c).  Paragraphs typed in TCVN3 or
 * VNI fonts, which every reader returns as Windows-1252 look-alikes, are
 * converted to Unicode.
 * The type is detected from the bytes (magic numbers, ZIP members), not
 * from the file name.
 *
 * Files are input: a PDF or a zip can be broken, huge or hostile.  Each
 * extraction therefore runs in a forked child process with a CPU limit, an
 * address-space limit and a wall-clock deadline, and sends the text back
 * over a pipe with a size cap.  A crash, a hang or a limit hit in the child
 * becomes an error message for that one file; the caller never crashes.
 * The resulting text is normalised with vb_text_normalize.
 *
 * Thread-safety: the functions may be called from several threads, but
 * fork() from a multi-threaded process only duplicates the calling thread,
 * which is all the child needs.
 */
#ifndef VB_EXTRACT_H
#define VB_EXTRACT_H

#include <stddef.h>

#include "error.h"

/* Limits (per file). */
#define VB_EXTRACT_MAX_TEXT ((size_t)64 * 1024 * 1024)   /* extracted text */
#define VB_EXTRACT_MAX_INPUT ((size_t)64 * 1024 * 1024)  /* HTML / TXT / RTF read */
#define VB_EXTRACT_MAX_BINARY ((size_t)200 * 1024 * 1024) /* .doc read */
#define VB_EXTRACT_MAX_XML ((size_t)64 * 1024 * 1024)    /* decompressed XML */
#define VB_EXTRACT_MAX_PAGES 2000                        /* PDF pages */
#define VB_EXTRACT_CPU_SECONDS 30
#define VB_EXTRACT_WALL_SECONDS 60
#define VB_EXTRACT_MAX_MEMORY ((size_t)1024 * 1024 * 1024) /* address space */

/* Media types this module knows. */
#define VB_MEDIA_PDF "application/pdf"
#define VB_MEDIA_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define VB_MEDIA_ODT "application/vnd.oasis.opendocument.text"
#define VB_MEDIA_HTML "text/html"
#define VB_MEDIA_TEXT "text/plain"
#define VB_MEDIA_DOC "application/msword"
#define VB_MEDIA_RTF "application/rtf"
#define VB_MEDIA_ZIP "application/zip"
#define VB_MEDIA_OCTET "application/octet-stream"

/* Detect the media type of the file at path from its content: one of the
 * VB_MEDIA_* strings above (static), VB_MEDIA_OCTET when unknown.  Reads
 * the first bytes and, for ZIP files, the member list.  Returns 0 or
 * VB_EIO (file cannot be read; *media_type is then NULL). */
int vb_extract_detect(const char *path, const char **media_type, vb_error *err);

/* Whether text can be extracted from files of this media type. */
int vb_extract_supported(const char *media_type);

/* Extract the text of the file at path.  media_type_or_null is a hint from
 * the caller (e.g. a manifest): it is used only where the content is
 * ambiguous (plain text that is really HTML); the content decides
 * otherwise.  On success *text_out gets the normalised text (may be ""
 * for a scanned PDF without a text layer) and *media_type_out (may be
 * NULL) the detected media type; both are new strings the caller frees.
 *
 * Errors: VB_EIO (cannot read the file), VB_EINVAL (broken file: `could not
 * read PDF "%s": %s`, `file "%s" is not valid UTF-8 text`, ...), VB_ETOOBIG
 * (a limit was hit: size, pages, CPU time, wall-clock time),
 * VB_EUNSUPPORTED (a type without an extractor, e.g. Word 97 .doc),
 * VB_EAGAIN (the extraction process could not be started).  A crash of
 * the extractor is VB_EINVAL.  On error *text_out is NULL. */
int vb_extract_text(const char *path, const char *media_type_or_null, char **text_out,
		    char **media_type_out, vb_error *err);

/* The same without the child process (runs in the calling process; used
 * by the child and by tests that want to observe the extractor itself).
 * The text is not normalised.  Same errors except VB_EAGAIN. */
int vb_extract_text_inprocess(const char *path, const char *media_type,
			      char **text_out, size_t *len_out, vb_error *err);

#endif
