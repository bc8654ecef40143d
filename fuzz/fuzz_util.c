/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the fuzz targets (fuzz.h). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

char *vb_fuzz_cstr(const uint8_t *data, size_t size, size_t *len)
{
	char *s;

	if (size > VB_FUZZ_MAX_INPUT)
		size = VB_FUZZ_MAX_INPUT;
	if (!(s = malloc(size + 1)))
		return NULL;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	if (len)
		*len = size;
	return s;
}
