/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the vbpl.moj.gov.vn page parsers (lib/vbpl.h).  Every input
 * goes through all of them (thuộc tính, toàn văn, lược đồ, VB liên quan,
 * list page) and the title-number helper, so a mutation of one saved page
 * exercises each parser's recovery paths. */
#include "fuzz.h"

#include <stdlib.h>

#include <jansson.h>

#include "error.h"
#include "vbpl.h"

static void drop(json_t *j)
{
	char *s;

	if (!j)
		return;
	if ((s = json_dumps(j, JSON_COMPACT)))
		free(s);
	json_decref(j);
}

VB_FUZZ_TARGET(vbpl)
{
	vb_error err;
	json_t *j;
	char *text, *num;
	size_t len;
	char *html = vb_fuzz_cstr(data, size, &len);

	if (!html)
		return 0;
	vb_error_clear(&err);
	j = NULL;
	if (!vb_vbpl_parse_thuoctinh(html, len, "https://vbpl.vn/x", &j, &err))
		drop(j);
	text = NULL;
	if (!vb_vbpl_parse_toanvan(html, len, &text, &err))
		free(text);
	j = NULL;
	if (!vb_vbpl_parse_luocdo(html, len, &j, &err))
		drop(j);
	j = NULL;
	if (!vb_vbpl_parse_lienquan(html, len, &j, &err))
		drop(j);
	j = NULL;
	if (!vb_vbpl_parse_list(html, len, &j, &err))
		drop(j);
	if ((num = vb_vbpl_title_number(html)))
		free(num);
	free(html);
	return 0;
}
