/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging to stderr; see log.h.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int log_level = -1;

void vb_log_set_level(enum vb_log_level level)
{
	log_level = (int)level;
}

static int current_level(void)
{
	const char *env;

	if (log_level >= 0)
		return log_level;
	env = getenv("VANBAN_LOG_LEVEL");
	if (env && !strcmp(env, "debug"))
		return VB_LOG_DEBUG;
	if (env && !strcmp(env, "warn"))
		return VB_LOG_WARN;
	if (env && !strcmp(env, "error"))
		return VB_LOG_ERROR;
	return VB_LOG_INFO;
}

void vb_log(enum vb_log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char line[2048], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if ((int)level < current_level())
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s ", stamp,
		     ts.tv_nsec / 1000000, names[level]);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}
