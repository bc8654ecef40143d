/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: HTTP query-parameter checking (daemon/params.c).  The input
 * is a query string after URL decoding, as libmicrohttpd hands it over:
 * pairs split on '&', key and value on the first '=' (no '=': a key
 * without value, passed as NULL).  Every pair goes through vb_params_add
 * until one is refused, then vb_params_finish checks the combination. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "params.h"

#define MAX_PAIRS 64

VB_FUZZ_TARGET(params)
{
	vb_params p;
	vb_param_error pe;
	char shown[64];
	size_t len, n = 0;
	char *s = vb_fuzz_cstr(data, size, &len), *cur, *amp, *eq;
	int rc = 0;

	if (!s)
		return 0;
	vb_params_init(&p);
	memset(&pe, 0, sizeof(pe));
	for (cur = s; cur && n < MAX_PAIRS && !rc; cur = amp, n++) {
		if ((amp = strchr(cur, '&')))
			*amp++ = '\0';
		if ((eq = strchr(cur, '=')))
			*eq++ = '\0';
		(void)vb_params_text_ok(cur, strlen(cur));
		vb_params_key_shown(shown, sizeof(shown), cur);
		rc = vb_params_add(&p, cur, eq, &pe);
	}
	if (!rc)
		(void)vb_params_finish(&p, &pe);
	free(s);
	return 0;
}
