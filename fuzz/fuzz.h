/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the fuzz targets in fuzz/.  Each fuzz_<name>.c defines its
 * entry point with VB_FUZZ_TARGET(name) and, if it needs set-up once,
 * VB_FUZZ_INIT(name).  Built with --enable-fuzz they become libFuzzer's
 * LLVMFuzzerTestOneInput / LLVMFuzzerInitialize; compiled into
 * tests/fuzz_replay.c (VB_FUZZ_REPLAY defined) they are plain functions
 * vb_fuzz_<name> / vb_fuzz_init_<name> that the replay driver calls on
 * every file of fuzz/seeds/<name>/ and fuzz/regressions/<name>/, so
 * findings stay regression tests in a normal gcc `make check`.
 */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/* Largest input a target looks at; longer inputs are cut (keeps each run
 * fast and the limits of the code under test out of the fuzzer's way). */
#define VB_FUZZ_MAX_INPUT ((size_t)256 * 1024)

#ifdef VB_FUZZ_REPLAY
#define VB_FUZZ_TARGET(name) \
	int vb_fuzz_##name(const uint8_t *data, size_t size); \
	int vb_fuzz_##name(const uint8_t *data, size_t size)
#define VB_FUZZ_INIT(name) \
	int vb_fuzz_init_##name(void); \
	int vb_fuzz_init_##name(void)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
#define VB_FUZZ_TARGET(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#define VB_FUZZ_INIT(name) \
	static int vb_fuzz_init_##name(void); \
	int LLVMFuzzerInitialize(int *argc, char ***argv) \
	{ \
		(void)argc; \
		(void)argv; \
		return vb_fuzz_init_##name(); \
	} \
	static int vb_fuzz_init_##name(void)
#endif

/* A NUL-terminated heap copy of the first min(size, VB_FUZZ_MAX_INPUT)
 * bytes of data (*len gets the length); NULL when out of memory. */
char *vb_fuzz_cstr(const uint8_t *data, size_t size, size_t *len);

#endif
