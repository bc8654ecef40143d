/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of staff uploads (lib/upload.h), shared by upload.c (the
 * intake pipeline, the form, the simhash), upload_ocr.c (page count,
 * rendering and OCR of a PDF in limited child processes) and
 * upload_confirm.c (confirm and reject).  Nothing else includes it.
 */
#ifndef VB_UPLOAD_INT_H
#define VB_UPLOAD_INT_H

#include <jansson.h>

#include "upload.h"

/* The value of a proposal field, or NULL (borrowed from proposal)
 * (upload.c). */
const char *upload_proposed(json_t *proposal, const char *key);

/* Page count of the PDF at path in *pages and, with dir (may be NULL), its
 * pages (at most VB_UPLOAD_OCR_MAX_PAGES) rendered to dir/page-NNN.png;
 * *rendered gets how many pages were rendered.  0 or a VB_E* code
 * (upload_ocr.c). */
int upload_pdf_pages(const char *path, const char *dir, int *pages, int *rendered);

/* OCR of the pages 1..n rendered in dir by tesseract (each PNG removed
 * after); *text gets the normalised text (new).  0 or a VB_E* code
 * (upload_ocr.c). */
int upload_ocr_pages(const char *dir, int n, char **text);

#endif
