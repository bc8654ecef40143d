/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the DOCX / ODT reader of lib/extract_office.c, in process
 * (vb_extract_text_inprocess: content detection, libzip member reading,
 * the DTD refusal, libxml2 parsing and the WordprocessingML / ODF text
 * walkers) -- not the forked child wrapper around it.
 *
 * Two input shapes:
 *  - starting with "PK": a whole archive, written to a file as is (fuzzes
 *    zip handling; mutations mostly break the archive);
 *  - anything else: byte 0 picks DOCX (even) or ODT (odd) and the rest is
 *    the XML member (word/document.xml, or content.xml with an ODT
 *    mimetype member), packed here into a valid stored zip, so mutations
 *    reach the XML walkers instead of failing the CRC check.
 * The file lives in a private temporary directory, rewritten every run. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "error.h"
#include "extract.h"

static char dir[64];
static char path[96];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

VB_FUZZ_INIT(ooxml)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/vbfuzzXXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/in.zip", dir);
	atexit(cleanup);
	return 0;
}

static int write_raw(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, size, f) == size;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int add_member(zip_t *z, const char *name, const void *p, size_t n)
{
	zip_source_t *src = zip_source_buffer(z, p, n, 0);
	zip_int64_t i;

	if (!src)
		return -1;
	if ((i = zip_file_add(z, name, src, ZIP_FL_OVERWRITE)) < 0) {
		zip_source_free(src);
		return -1;
	}
	return zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

static int write_zip(int odt, const uint8_t *xml, size_t n)
{
	static const char mt[] = "application/vnd.oasis.opendocument.text";
	zip_t *z;
	int zerr = 0;

	if (!(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		return -1;
	if ((odt && add_member(z, "mimetype", mt, sizeof(mt) - 1)) ||
	    add_member(z, odt ? "content.xml" : "word/document.xml", xml, n)) {
		zip_discard(z);
		return -1;
	}
	return zip_close(z) ? -1 : 0;
}

VB_FUZZ_TARGET(ooxml)
{
	vb_error err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!size || size > VB_FUZZ_MAX_INPUT || !path[0])
		return 0;
	if (size >= 2 && data[0] == 'P' && data[1] == 'K')
		rc = write_raw(data, size);
	else
		rc = write_zip(data[0] & 1, data + 1, size - 1);
	if (rc)
		return 0;
	vb_error_clear(&err);
	if (!vb_extract_text_inprocess(path, NULL, &text, &len, &err))
		free(text);
	return 0;
}
