/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vietnamese legacy encodings -> NFC UTF-8 (contract in legacy.h): the
 * names of the encodings, decoding in a known encoding, the conversion of a
 * buffer of unknown encoding paragraph by paragraph, and the helpers the
 * entry points share (internals in legacy_int.h; detection in
 * legacy_detect.c, the capitals repair in legacy_caps.c, the repair of
 * text read as Windows-1252 in legacy_fix.c).
 *
 * Decoding is table driven (lib/legacy_tables.c, generated from the corpus
 * charset table by data/tools/gen-legacy-tables.py): one byte -> one code
 * point, except VNI where a vowel byte followed by a mark byte forms one
 * letter, and CP1258 whose combining tone bytes are composed by the final
 * NFC pass.  Everything is linear in the input: a constant number of
 * passes per paragraph.
 */
#include "legacy_int.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

const char *vb_legacy_enc_name(enum vb_legacy_enc enc)
{
	switch (enc) {
	case VB_LEGACY_TCVN3: return "tcvn3";
	case VB_LEGACY_VNI: return "vni";
	case VB_LEGACY_VISCII: return "viscii";
	case VB_LEGACY_CP1258: return "cp1258";
	case VB_LEGACY_CP1252: return "cp1252";
	default: return "unknown";
	}
}

/* ---- decoding ---- */

static int decode_into(vb_buf *out, const uint8_t *b, size_t n,
		       enum vb_legacy_enc enc)
{
	const uint16_t *map = enc_map(enc);
	size_t i = 0;
	int rc;

	while (i < n) {
		uint32_t cp = dec_next(enc, map, b, n, &i);

		if (cp == 0)
			continue;
		if ((rc = put_cp(out, cp)) < 0)
			return rc;
	}
	return 0;
}

/* Compose the content of out (NFC) into a new string. */
int legacy_finish_nfc(vb_buf *out, char **res, vb_error *err)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t k;

	k = utf8proc_map((const utf8proc_uint8_t *)vb_buf_str(out),
			 (utf8proc_ssize_t)out->len, &dst,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (k < 0) {
		free(dst);
		return vb_error_set(err, k == UTF8PROC_ERROR_NOMEM ? VB_ENOMEM :
				    VB_EINVAL, "could not normalise text: %s",
				    utf8proc_errmsg(k));
	}
	*res = (char *)dst;
	return 0;
}

int legacy_check_args(const void *p, size_t len, char **out, vb_error *err)
{
	if (!out)
		return vb_error_set(err, VB_EINVAL, "no output pointer");
	*out = NULL;
	if (!p && len)
		return vb_error_set(err, VB_EINVAL, "no input");
	if (len > VB_LEGACY_MAX_BYTES)
		return vb_error_set(err, VB_ETOOBIG,
				    "text of %zu bytes exceeds the limit of %u",
				    len, VB_LEGACY_MAX_BYTES);
	return 0;
}

int legacy_buf_error(int rc, vb_error *err)
{
	return vb_error_set(err, rc, rc == VB_ENOMEM ? "out of memory" :
			    "converted text exceeds the size limit");
}

/* ---- exported ---- */

int vb_legacy_decode(const char *bytes, size_t len, enum vb_legacy_enc enc,
		     char **utf8_out, vb_error *err)
{
	vb_buf out;
	int rc;

	vb_buf_init(&out, 3 * (size_t)len + 16);
	if ((rc = legacy_check_args(bytes, len, utf8_out, err)) < 0)
		goto out;
	if (!enc_map(enc)) {
		rc = vb_error_set(err, VB_EINVAL, "unknown legacy encoding %d",
				  (int)enc);
		goto out;
	}
	if ((rc = decode_into(&out, (const uint8_t *)bytes, len, enc)) < 0 ||
	    (rc = vb_buf_puts(&out, "")) < 0) {
		rc = legacy_buf_error(rc, err);
		goto out;
	}
	rc = legacy_finish_nfc(&out, utf8_out, err);
out:
	vb_buf_dispose(&out);
	return rc;
}

/* Valid UTF-8 throughout (NUL allowed)? */
static int utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(len - i > 4 ? 4 : len - i),
				     &cp);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int vb_legacy_to_utf8(const char *bytes, size_t len, char **out,
		      vb_error *err)
{
	const uint8_t *b = (const uint8_t *)bytes;
	struct cpvec para = { NULL, 0, 0 };
	vb_buf res, ties;
	size_t i, pl, np = 0;
	int rc, k, doc = 0;
	long evidence = 0;

	vb_buf_init(&res, 3 * (size_t)len + 16);
	vb_buf_init(&ties, (size_t)len + 1);
	if ((rc = legacy_check_args(bytes, len, out, err)) < 0)
		goto out;
	if (utf8_valid(bytes, len)) {
		rc = vb_legacy_fix_text(bytes, len, out, NULL, err);
		goto out;
	}
	/* pass 1: score the paragraphs that hold non-ASCII bytes (ASCII reads
	 * the same in every candidate), remember which candidates tie for
	 * best, and find the encoding most paragraphs prefer */
	if ((rc = legacy_doc_pass(b, len, &ties, &doc, &evidence)) < 0) {
		rc = legacy_buf_error(rc, err);
		goto out;
	}
	/* pass 2: decode each paragraph with its own best encoding */
	for (i = 0; i <= len; i += pl + 1) {
		unsigned char mask;

		pl = para_len(b, len, i);
		k = 0; /* ASCII: any candidate */
		if (np < ties.len && !para_ascii(b + i, pl)) {
			mask = (unsigned char)ties.data[np++];
			if (mask & (1u << doc))
				k = doc;
			else
				while (k < NCAND - 1 && !(mask & (1u << k)))
					k++;
		}
		if ((rc = legacy_emit_decoded(&res, &para, b + i, pl,
					      legacy_cand_order[k])) < 0 ||
		    (i + pl < len && (rc = vb_buf_putc(&res, (char)b[i + pl])) < 0)) {
			rc = legacy_buf_error(rc, err);
			goto out;
		}
	}
	if ((rc = vb_buf_puts(&res, "")) < 0) {
		rc = legacy_buf_error(rc, err);
		goto out;
	}
	rc = legacy_finish_nfc(&res, out, err);
out:
	free(para.v);
	vb_buf_dispose(&ties);
	vb_buf_dispose(&res);
	return rc;
}
