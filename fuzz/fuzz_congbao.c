/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the Công báo page parsers and crawler-record reader
 * (lib/congbao.h).  Every input goes through all of them and through the
 * signer splitter. */
#include "fuzz.h"

#include <stdlib.h>

#include <jansson.h>

#include "congbao.h"
#include "error.h"

static void drop(json_t *j)
{
	char *s;

	if (!j)
		return;
	if ((s = json_dumps(j, JSON_COMPACT)))
		free(s);
	json_decref(j);
}

VB_FUZZ_TARGET(congbao)
{
	vb_error err;
	json_t *j;
	char *title, *name;
	size_t len;
	char *html = vb_fuzz_cstr(data, size, &len);

	if (!html)
		return 0;
	vb_error_clear(&err);
	j = NULL;
	if (!vb_congbao_parse_issues(html, len, &j, &err))
		drop(j);
	j = NULL;
	if (!vb_congbao_parse_issue_documents(html, len, "https://congbao.example/x", &j, &err))
		drop(j);
	j = NULL;
	if (!vb_congbao_parse_gazette_file(html, len, &j, &err))
		drop(j);
	j = NULL;
	if (!vb_congbao_parse_record(html, len, &j, &err))
		drop(j);
	if (len < 4096) {
		title = name = NULL;
		vb_congbao_split_signer(html, &title, &name);
		free(title);
		free(name);
	}
	free(html);
	return 0;
}
