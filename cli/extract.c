/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban extract FILE`: read one document (PDF, DOCX, ODT, HTML or UTF-8
 * text, through lib/extract.h), extract its metadata with lib/meta.h and
 * print it as JSON on stdout, each field with its confidence and the span
 * it came from.  Nothing is stored: staff confirm the result elsewhere.
 */
#include "commands.h"
#include "error.h"
#include "extract.h"
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int vb_cmd_extract(vb_config *cfg, int argc, char **argv)
{
	vb_error err;
	vb_meta m;
	char *text = NULL, *media = NULL;
	const char *path = NULL, *hint = NULL;
	json_t *j = NULL;
	int i, status = 2, no_text = 0;

	(void)cfg;
	memset(&m, 0, sizeof(m));
	vb_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: vanban extract [--type MEDIA_TYPE] [--no-text] FILE\n"
			       "Print the metadata found in FILE as JSON (nothing is stored).\n");
			return 0;
		} else if (!strcmp(argv[i], "--type") && i + 1 < argc) {
			hint = argv[++i];
		} else if (!strcmp(argv[i], "--no-text")) {
			no_text = 1;
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			fprintf(stderr, "vanban extract: unexpected argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: vanban extract [--type MEDIA_TYPE] [--no-text] FILE\n");
		return 2;
	}
	if (vb_extract_text(path, hint, &text, &media, &err)) {
		fprintf(stderr, "vanban extract: %s\n", err.msg);
		goto out;
	}
	if (vb_meta_extract(text, strlen(text), &m, &err)) {
		fprintf(stderr, "vanban extract: %s\n", err.msg);
		goto out;
	}
	j = vb_meta_to_json(&m);
	if (!j) {
		fprintf(stderr, "vanban extract: out of memory\n");
		goto out;
	}
	if (no_text)
		json_object_del(j, "text");
	json_object_set_new(j, "media_type", media ? json_string(media) : json_null());
	if (json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0) {
		printf("\n");
		status = 0;
	}
out:
	json_decref(j);
	vb_meta_dispose(&m);
	free(text);
	free(media);
	return status;
}
