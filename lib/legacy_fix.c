/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Repair of UTF-8 text in which legacy Vietnamese bytes were read as
 * Windows-1252 (vb_legacy_fix_text in legacy.h): each paragraph is mapped
 * back to its Windows-1252 bytes where it can be, scored as it stands and
 * in TCVN3 and VNI (legacy_detect.c), re-decoded when that is clearly
 * better, and given the capitals repair (legacy_caps.c).
 */
#include "legacy_int.h"

#include <stdlib.h>

#include <utf8proc.h>

/* Map one code point back to its Windows-1252 byte, or -1. */
static int cp1252_byte(uint32_t cp)
{
	int b;

	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (int)cp;
	for (b = 0x80; b < 0xA0; b++)
		if (vb_legacy_map_cp1252[b] == cp)
			return b;
	return -1;
}

int vb_legacy_fix_text(const char *utf8, size_t len, char **out,
		       int *changed, vb_error *err)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)utf8;
	struct cpvec para = { NULL, 0, 0 };
	uint8_t *bytes = NULL;
	vb_buf res;
	size_t i, nb = 0;
	int rc, nchanged = 0, mappable = 1, high = 0;

	vb_buf_init(&res, 3 * (size_t)len + 16);
	if (changed)
		*changed = 0;
	if ((rc = legacy_check_args(utf8, len, out, err)) < 0)
		goto out;
	if (len && !(bytes = malloc(len))) {
		rc = legacy_buf_error(VB_ENOMEM, err);
		goto out;
	}
	for (i = 0; i <= len;) {
		utf8proc_int32_t cp = '\n';
		int at_end = i == len;

		if (!at_end) {
			utf8proc_ssize_t k = utf8proc_iterate(s + i,
				(utf8proc_ssize_t)(len - i > 4 ? 4 : len - i), &cp);

			if (k <= 0) {
				rc = vb_error_set(err, VB_EINVAL,
						  "invalid UTF-8 at byte %zu", i);
				goto out;
			}
			i += (size_t)k;
		}
		if (at_end || is_para_sep((uint32_t)cp)) {
			int b = -1;

			if (mappable && high) {
				int bad_words;
				int as_is = legacy_score_cps(para.v, para.n, &bad_words);
				int t = legacy_score_bytes(bytes, nb, VB_LEGACY_TCVN3);
				int v = legacy_score_bytes(bytes, nb, VB_LEGACY_VNI);

				/* text with no implausible word stays as it is */
				if (!bad_words)
					;
				else if (t > as_is && t > 0 && t >= v)
					b = VB_LEGACY_TCVN3;
				else if (v > as_is && v > 0)
					b = VB_LEGACY_VNI;
			}
			if (b >= 0) {
				para.n = 0;
				nchanged++;
				rc = legacy_emit_decoded(&res, &para, bytes, nb,
							 (enum vb_legacy_enc)b);
			} else {
				rc = legacy_emit_para(&res, &para);
			}
			if (rc < 0 || (!at_end && (rc = put_cp(&res, (uint32_t)cp)) < 0)) {
				rc = legacy_buf_error(rc, err);
				goto out;
			}
			nb = 0;
			mappable = 1;
			high = 0;
			if (at_end)
				break;
			continue;
		}
		if (!cp)
			continue;
		if ((rc = legacy_cpvec_push(&para, (uint32_t)cp)) < 0) {
			rc = legacy_buf_error(rc, err);
			goto out;
		}
		if (mappable) {
			int b = cp1252_byte((uint32_t)cp);

			if (b < 0)
				mappable = 0;
			else {
				bytes[nb++] = (uint8_t)b;
				high |= b >= 0x80;
			}
		}
	}
	if ((rc = vb_buf_puts(&res, "")) < 0) {
		rc = legacy_buf_error(rc, err);
		goto out;
	}
	if ((rc = legacy_finish_nfc(&res, out, err)) < 0)
		goto out;
	if (changed)
		*changed = nchanged;
out:
	free(bytes);
	free(para.v);
	vb_buf_dispose(&res);
	return rc;
}
