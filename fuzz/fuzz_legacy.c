/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: legacy Vietnamese encodings (lib/legacy.h): detection,
 * decoding in the encoding the first byte selects, conversion of unknown
 * bytes and repair of mis-decoded UTF-8. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "legacy.h"

VB_FUZZ_TARGET(legacy)
{
	vb_error err;
	char *out = NULL;
	const char *s = (const char *)data;
	int changed = 0;

	if (size > VB_FUZZ_MAX_INPUT)
		size = VB_FUZZ_MAX_INPUT;
	if (!size)
		return 0;
	vb_error_clear(&err);
	/* byte 0: the encoding to decode with (0..5, 0 = unknown: refused) */
	if (!vb_legacy_decode(s + 1, size - 1, (enum vb_legacy_enc)(data[0] % 6), &out, &err))
		free(out);
	out = NULL;
	(void)vb_legacy_enc_name(vb_legacy_detect(s, size));
	if (!vb_legacy_to_utf8(s, size, &out, &err)) {
		char *fixed = NULL;

		/* the converted text is valid UTF-8: repair it as text */
		if (!vb_legacy_fix_text(out, strlen(out), &fixed, &changed, &err))
			free(fixed);
		free(out);
	}
	out = NULL;
	if (!vb_legacy_fix_text(s, size, &out, &changed, &err))
		free(out);
	return 0;
}
