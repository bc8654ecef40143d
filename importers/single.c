/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A single file imported by `vanban import` as a document of its own
 * (PDF, DOCX, ODT, DOC, RTF, HTML, TXT): its text extracted, the file
 * name without extension as the abstract, the document number from a
 * "Số: ..." line near the top of the text, source "file" and source_id
 * the SHA-256 of its bytes.  Stored one at a time, by the steps of
 * import.c.
 */
#include "import_int.h"

#include "docnum.h"
#include "document.h"
#include "error.h"
#include "extract.h"
#include "filestore.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NUMBER_SCAN_LINES 60           /* where "Số: ..." is looked for */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* The file name in a display name ("a.zip!sub/x.pdf" -> "x.pdf"). */
static const char *display_base(const char *display)
{
	const char *b = base_name(display), *bang = strrchr(b, '!');

	return bang && bang[1] ? bang + 1 : b;
}

static int is_dash(const char *t)
{
	return !strcmp(t, "-") || !strcmp(t, "\xE2\x80\x93") || !strcmp(t, "\xE2\x80\x94");
}

static int token_numberish(const char *t)
{
	for (; *t; t++)
		if ((*t >= '0' && *t <= '9') || *t == '/' || *t == '-')
			return 1;
	return 0;
}

/* The document number from a "Số: 05/2023/QĐ-UBND" line among the first
 * lines of text, or NULL.  The value runs until two spaces, a tab or a word
 * that cannot be part of a number ("Quảng Ninh, ngày ..."). */
static char *find_number(const char *text)
{
	const char *p = text;
	int line;

	for (line = 0; *p && line < NUMBER_SCAN_LINES; line++) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *q = p, *end = p + n;

		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		/* "Số" is S + U+1ED1 (ố) or, upper case, U+1ED0 (Ố) */
		if (end - q > 4 && q[0] == 'S' && !memcmp(q + 1, "\xE1\xBB", 2) &&
		    (q[3] == '\x91' || q[3] == '\x90')) {
			const char *v = q + 4;
			char value[256], out[256], *tok, *save = NULL, *prev = NULL;
			size_t vl, used = 0;

			while (v < end && *v == ' ')
				v++;
			if (v < end && *v == ':') {
				v++;
				while (v < end && *v == ' ')
					v++;
				vl = (size_t)(end - v);
				if (vl >= sizeof(value))
					vl = sizeof(value) - 1;
				memcpy(value, v, vl);
				value[vl] = '\0';
				value[strcspn(value, "\t\r")] = '\0';
				if ((tok = strstr(value, "  ")))
					*tok = '\0';
				out[0] = '\0';
				for (tok = strtok_r(value, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
					int joined = prev && (prev[strlen(prev) - 1] == '/' ||
							      prev[strlen(prev) - 1] == '-' ||
							      is_dash(prev));

					if (prev && !joined && !token_numberish(tok) && !is_dash(tok))
						break;
					if (!prev && !token_numberish(tok))
						break;
					used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
								 prev ? " " : "", tok);
					if (used >= sizeof(out))
						break;
					prev = tok;
				}
				if (out[0] && used < sizeof(out)) {
					char *canon = vb_docnum_canonical(out);

					if (canon && strchr(canon, '/')) {
						free(canon);
						return strdup(out);
					}
					free(canon);
				}
			}
		}
		p = eol ? eol + 1 : end;
	}
	return NULL;
}

void import_single(struct importer *im, const char *path, const char *display)
{
	vb_document doc;
	vb_file *f;
	vb_error err;
	char *text = NULL, *mt = NULL, *name = NULL, *dot;
	const char *b = base_name(path), *shown = display_base(display);
	struct stat st;
	int rc;

	vb_document_init(&doc);
	vb_error_clear(&err);
	if (stat(path, &st) == 0 && st.st_size == 0) {
		import_say(im, "%s: file is empty", display);
		goto rejected;
	}
	if ((rc = vb_extract_text(path, NULL, &text, &mt, &err))) {
		import_say(im, "%s: %s", display, err.msg);
		goto rejected;
	}
	if (!(name = vb_text_normalize(*shown ? shown : b, strlen(*shown ? shown : b))))
		goto nomem;
	if (vb_strset(&doc.source, "file") || vb_strset(&doc.language, "vi") ||
	    vb_strset(&doc.status, VB_STATUS_UNKNOWN) || vb_strset(&doc.abstract, name))
		goto nomem;
	if ((dot = strrchr(doc.abstract, '.')) && dot != doc.abstract)
		*dot = '\0';
	doc.text = text;
	text = NULL;
	if ((doc.number = find_number(doc.text)))
		doc.number_canonical = vb_docnum_canonical(doc.number);
	if (!(f = vb_document_add_file(&doc)))
		goto nomem;
	f->name = name;
	name = NULL;
	f->media_type = mt;
	mt = NULL;
	if (!(f->src_path = strdup(path)))
		goto nomem;
	if ((rc = vb_filestore_put_path(im->files_root, path, IMPORT_MAX_FILE_BYTES,
					f->sha256, &f->size, &err))) {
		import_say(im, "%s: %s", display, err.msg);
		goto rejected;
	}
	if (vb_strset(&doc.source_id, f->sha256))
		goto nomem;
	import_store_document(im, &doc, NULL, 0, NULL, display);
	goto out;
nomem:
	import_say(im, "%s: out of memory", display);
rejected:
	im->rejected++;
	vb_progress_step(&im->prog, 1);
out:
	free(text);
	free(mt);
	free(name);
	vb_document_dispose(&doc);
}
