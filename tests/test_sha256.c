/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SHA-256 against the FIPS 180-4 / NIST example vectors, fed whole and in
 * awkward pieces (so the block buffering is exercised), plus the hex
 * validator used for content addresses taken from URLs.
 */
#include "sha256.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void hash_pieces(const char *msg, size_t len, size_t piece, char hex[65])
{
	unsigned char d[VB_SHA256_LEN];
	vb_sha256 ctx;
	size_t off, n;

	vb_sha256_init(&ctx);
	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		vb_sha256_update(&ctx, msg + off, n);
	}
	vb_sha256_final(&ctx, d);
	vb_sha256_hex(d, hex);
}

int main(void)
{
	static const struct { const char *msg, *hex; } vec[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	static const size_t pieces[] = { 1, 3, 63, 64, 65, 1000 };
	char hex[65];
	char *million;
	size_t i, j;
	int all;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		vb_sha256_hex_of(vec[i].msg, strlen(vec[i].msg), hex);
		tap_is_str(hex, vec[i].hex, "sha256 of %zu-byte message, one call", strlen(vec[i].msg));
		all = 1;
		for (j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
			hash_pieces(vec[i].msg, strlen(vec[i].msg), pieces[j], hex);
			all = all && !strcmp(hex, vec[i].hex);
		}
		tap_ok(all, "sha256 of %zu-byte message, fed in pieces", strlen(vec[i].msg));
	}

	million = malloc(1000000);
	tap_ok(million != NULL, "allocated one million bytes");
	if (million) {
		memset(million, 'a', 1000000);
		vb_sha256_hex_of(million, 1000000, hex);
		tap_is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
			   "sha256 of one million 'a'");
		hash_pieces(million, 1000000, 4097, hex);
		tap_is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
			   "sha256 of one million 'a' in 4097-byte pieces");
		free(million);
	}

	/* 55, 56 and 64 bytes: the padding boundary cases. */
	{
		char m55[56], m56[57], m64[65];

		memset(m55, 'a', 55); m55[55] = '\0';
		memset(m56, 'a', 56); m56[56] = '\0';
		memset(m64, 'a', 64); m64[64] = '\0';
		vb_sha256_hex_of(m55, 55, hex);
		tap_is_str(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318", "sha256 of 55 'a'");
		vb_sha256_hex_of(m56, 56, hex);
		tap_is_str(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a", "sha256 of 56 'a'");
		vb_sha256_hex_of(m64, 64, hex);
		tap_is_str(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb", "sha256 of 64 'a'");
	}

	tap_ok(vb_sha256_hex_valid("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	       "valid hex digest accepted");
	tap_ok(!vb_sha256_hex_valid("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
	       "upper-case digest rejected");
	tap_ok(!vb_sha256_hex_valid("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"),
	       "63 digits rejected");
	tap_ok(!vb_sha256_hex_valid("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555"),
	       "65 digits rejected");
	tap_ok(!vb_sha256_hex_valid("../../../../etc/passwd"), "path rejected");
	tap_ok(!vb_sha256_hex_valid(NULL), "NULL rejected");
	return tap_done();
}
