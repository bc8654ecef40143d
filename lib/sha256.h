/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SHA-256 (FIPS 180-4), written for this project: content addresses of the
 * original files and the change-detection hash of stored documents.  A
 * streaming interface (init / update / final) so that large files are hashed
 * while they are copied, plus a lower-case hex helper.  A context belongs to
 * one thread at a time; there is no global state.
 */
#ifndef VB_SHA256_H
#define VB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define VB_SHA256_LEN 32      /* digest bytes */
#define VB_SHA256_HEX_LEN 65  /* 64 hex digits + NUL */

typedef struct vb_sha256 {
	uint32_t h[8];
	uint64_t total;        /* bytes hashed so far */
	unsigned char block[64];
	size_t used;           /* bytes pending in block */
} vb_sha256;

/* Start a new hash in ctx. */
void vb_sha256_init(vb_sha256 *ctx);
/* Feed n bytes (any length, any number of calls). */
void vb_sha256_update(vb_sha256 *ctx, const void *data, size_t n);
/* Finish: write the 32-byte digest to out.  ctx must be initialised again
 * before reuse. */
void vb_sha256_final(vb_sha256 *ctx, unsigned char out[VB_SHA256_LEN]);

/* Lower-case hex of a digest into hex (65 bytes, NUL-terminated). */
void vb_sha256_hex(const unsigned char digest[VB_SHA256_LEN], char hex[VB_SHA256_HEX_LEN]);

/* One-shot: hex digest of n bytes. */
void vb_sha256_hex_of(const void *data, size_t n, char hex[VB_SHA256_HEX_LEN]);

/* Whether s is exactly 64 lower-case hex digits (a valid content address). */
int vb_sha256_hex_valid(const char *s);

#endif
