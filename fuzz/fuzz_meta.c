/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the metadata extractor (lib/meta.h) on document text, and
 * its JSON form. */
#include "fuzz.h"

#include <stdlib.h>

#include <jansson.h>

#include "error.h"
#include "meta.h"

VB_FUZZ_TARGET(meta)
{
	vb_meta m;
	vb_error err;
	json_t *j;
	char *s;

	vb_error_clear(&err);
	if (size > VB_FUZZ_MAX_INPUT)
		size = VB_FUZZ_MAX_INPUT;
	if (vb_meta_extract((const char *)data, size, &m, &err)) {
		vb_meta_dispose(&m);
		return 0;
	}
	if ((j = vb_meta_to_json(&m))) {
		if ((s = json_dumps(j, JSON_COMPACT)))
			free(s);
		json_decref(j);
	}
	(void)vb_meta_form_from_number(m.number.value ? m.number.value : "");
	vb_meta_dispose(&m);
	return 0;
}
