/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tiny TAP producer for the unit tests (run by automake's tap-driver.sh).
 * Header-only: each test program includes it once.
 */
#ifndef VB_TAP_H
#define VB_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static inline void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Compare two strings (NULL-safe), reporting both on failure. */
#define tap_is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int ok_ = (g_ && w_) ? !strcmp(g_, w_) : g_ == w_; \
	tap_ok(ok_, __VA_ARGS__); \
	if (!ok_) \
		printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define tap_is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	tap_ok(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) \
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
