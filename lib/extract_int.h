/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of text extraction (lib/extract.h), shared by extract.c
 * (detection, the choice of the extractor, the child process and the
 * helpers below) and the extractors: extract_pdf.c (PDF), extract_office.c
 * (DOCX, ODT, Word .doc, RTF, the type of a zip file) and extract_text.c
 * (HTML, plain text).  Nothing else includes it.  Every extractor appends
 * the text of the file at path to out (its limit is the text limit) and
 * returns 0 or a VB_E* code with err filled (see vb_extract_text).
 */
#ifndef VB_EXTRACT_INT_H
#define VB_EXTRACT_INT_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "extract.h"

#define EXTRACT_MAX_DEPTH 512 /* element nesting walked in XML / HTML trees */

/* A walk over an XML or HTML tree that appends text to out; rc is the
 * first error of an append (then the walk stops adding). */
struct extract_walk {
	vb_buf *out;
	int rc;
	int pre; /* HTML: inside <pre> */
};

/* Helpers (extract.c).  extract_read_file: at most max bytes of path into
 * *out (new, NUL-terminated) and *len; VB_EIO, VB_ETOOBIG when the file is
 * larger, VB_ENOMEM.  extract_ensure_newline: append a newline unless b is
 * empty or ends with one.  extract_walk_put: append n bytes of s unless
 * the walk already failed. */
int extract_read_file(const char *path, size_t max, char **out, size_t *len, vb_error *err);
int extract_ensure_newline(vb_buf *b);
void extract_walk_put(struct extract_walk *w, const char *s, size_t n);

/* The type of the zip file at path: VB_MEDIA_DOCX, VB_MEDIA_ODT or
 * VB_MEDIA_ZIP (also when it cannot be opened) (extract_office.c). */
const char *extract_zip_type(const char *path);

/* The extractors. */
int extract_pdf(const char *path, vb_buf *out, vb_error *err);              /* extract_pdf.c */
int extract_office(const char *path, int odt, vb_buf *out, vb_error *err); /* extract_office.c */
int extract_doc(const char *path, vb_buf *out, vb_error *err);
int extract_rtf(const char *path, vb_buf *out, vb_error *err);
int extract_html(const char *path, vb_buf *out, vb_error *err);            /* extract_text.c */
int extract_txt(const char *path, vb_buf *out, vb_error *err);

#endif
