/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text of PDF files through poppler-glib (part of text extraction,
 * contract in extract.h): a file cut before its "%%EOF" marker is refused
 * rather than rebuilt, the page count is limited, pages are joined with a
 * line break.
 */
#include "extract_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <poppler.h>

/* A complete PDF ends with "%%EOF" (followed by at most some white space or
 * junk): without it the file was cut, and poppler would silently rebuild
 * whatever part it can read. */
static int pdf_complete(const char *path)
{
	char tail[1024];
	struct stat st;
	off_t off;
	ssize_t n;
	int fd, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	off = st.st_size > (off_t)sizeof(tail) ? st.st_size - (off_t)sizeof(tail) : 0;
	n = pread(fd, tail, sizeof(tail), off);
	close(fd);
	ok = n > 0 && memmem(tail, (size_t)n, "%%EOF", 5) != NULL;
	return ok;
}

int extract_pdf(const char *path, vb_buf *out, vb_error *err)
{
	PopplerDocument *doc = NULL;
	GError *gerr = NULL;
	char real[PATH_MAX];
	gchar *uri = NULL;
	int pages, i, rc = 0;

	if (!realpath(path, real))
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	if (!pdf_complete(real))
		return vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": %s", path,
				    "file is truncated (no %%EOF marker at the end)");
	if (!(uri = g_filename_to_uri(real, NULL, &gerr))) {
		rc = vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path,
				  gerr ? gerr->message : "bad file name");
		goto out;
	}
	if (!(doc = poppler_document_new_from_file(uri, NULL, &gerr))) {
		rc = vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": %s", path,
				  gerr ? gerr->message : "unknown error");
		goto out;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages > VB_EXTRACT_MAX_PAGES) {
		rc = vb_error_set(err, VB_ETOOBIG, "PDF \"%s\" has %d pages, more than the limit of %d",
				  path, pages, VB_EXTRACT_MAX_PAGES);
		goto out;
	}
	for (i = 0; i < pages && !rc; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t;

		if (!page) {
			rc = vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": page %d is broken",
					  path, i + 1);
			break;
		}
		t = poppler_page_get_text(page);
		if (t && (rc = vb_buf_puts(out, t)) == 0 && i + 1 < pages)
			rc = extract_ensure_newline(out);
		if (rc)
			vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
		g_free(t);
		g_object_unref(page);
	}
out:
	if (gerr)
		g_error_free(gerr);
	g_free(uri);
	if (doc)
		g_object_unref(doc);
	return rc;
}
