/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: one import-manifest line (lib/manifest.h).  The input is the
 * line as read from a JSON Lines file; attached files are looked up under
 * data/sample of the source tree, so "files" entries can succeed. */
#include "fuzz.h"

#include <stdlib.h>

#include "document.h"
#include "error.h"
#include "manifest.h"

VB_FUZZ_TARGET(manifest)
{
	vb_document doc;
	vb_error err;
	size_t len;
	char *line = vb_fuzz_cstr(data, size, &len);

	if (!line)
		return 0;
	vb_error_clear(&err);
	(void)vb_manifest_line_blank(line, len);
	if (!vb_manifest_parse_line(line, len, VB_FUZZ_SRCDIR "/data/sample", NULL, &doc, &err))
		vb_document_dispose(&doc);
	free(line);
	return 0;
}
