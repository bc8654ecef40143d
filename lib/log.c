/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging to stderr (or a file made fd 2), as text or JSON lines; see
 * log.h.  Each line is built in a local buffer and written with one
 * fprintf on the unbuffered stderr, so lines of concurrent threads do not
 * interleave.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 2048

static int log_level = -1;
static int log_json = -1;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void vb_log_set_level(enum vb_log_level level)
{
	log_level = (int)level;
}

void vb_log_set_json(int json)
{
	log_json = json ? 1 : 0;
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

static int json_mode(void)
{
	const char *env;

	if (log_json >= 0)
		return log_json;
	env = getenv("VANBAN_LOG_FORMAT");
	return env && !strcmp(env, "json");
}

int vb_log_open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0)
		return -1;
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* A bounded line under construction; once full, further text is dropped
 * (the line is still terminated and written). */
typedef struct line {
	char buf[LINE_MAX_BYTES];
	size_t n;
} line;

static void put(line *l, const char *s, size_t len)
{
	size_t room = sizeof(l->buf) - 1 - l->n;

	if (len > room)
		len = room;
	memcpy(l->buf + l->n, s, len);
	l->n += len;
	l->buf[l->n] = '\0';
}

static void puts_(line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void putf(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(line *l, const char *fmt, ...)
{
	size_t room = sizeof(l->buf) - l->n;
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(l->buf + l->n, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < room ? (size_t)k : room - 1;
}

/* s as the inside of a JSON string: quotes, backslashes and control
 * bytes escaped (other bytes, UTF-8 included, pass through). */
static void put_json_str(line *l, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			put(l, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			putf(l, "\\u%04x", c);
		} else {
			put(l, (const char *)&c, 1);
		}
	}
}

/* A logfmt value: bare when it is a plain token, else quoted with
 * quotes and backslashes escaped; control bytes become '?'. */
static void put_logfmt_str(line *l, const char *s)
{
	const char *p;
	int quote = !*s;

	for (p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '=' || *p == '\\' ||
		    (unsigned char)*p == 0x7f)
			quote = 1;
	if (!quote) {
		puts_(l, s);
		return;
	}
	put(l, "\"", 1);
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			put(l, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			put(l, "?", 1);
		} else {
			put(l, (const char *)&c, 1);
		}
	}
	put(l, "\"", 1);
}

static void put_stamp(line *l)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	putf(l, "%s.%03ldZ", stamp, ts.tv_nsec / 1000000);
}

static void put_num(line *l, double v)
{
	if (v == (double)(long long)v && v < 9e15 && v > -9e15)
		putf(l, "%lld", (long long)v);
	else
		putf(l, "%.3f", v);
}

static void emit(enum vb_log_level level, const char *msg, const vb_log_field *fields,
		 size_t n)
{
	line l;
	size_t i;

	l.n = 0;
	l.buf[0] = '\0';
	if (json_mode()) {
		puts_(&l, "{\"time\":\"");
		put_stamp(&l);
		putf(&l, "\",\"level\":\"%s\",\"msg\":\"", level_names[level]);
		put_json_str(&l, msg);
		put(&l, "\"", 1);
		for (i = 0; i < n; i++) {
			puts_(&l, ",\"");
			put_json_str(&l, fields[i].key);
			puts_(&l, "\":");
			if (fields[i].str) {
				put(&l, "\"", 1);
				put_json_str(&l, fields[i].str);
				put(&l, "\"", 1);
			} else {
				put_num(&l, fields[i].num);
			}
		}
		/* A truncated object would not parse: say so instead. */
		if (l.n >= sizeof(l.buf) - 2) {
			l.n = 0;
			puts_(&l, "{\"time\":\"");
			put_stamp(&l);
			putf(&l, "\",\"level\":\"%s\",\"msg\":\"log line too long\"",
			     level_names[level]);
		}
		put(&l, "}", 1);
	} else {
		put_stamp(&l);
		putf(&l, " %s %s", level_names[level], msg);
		for (i = 0; i < n; i++) {
			putf(&l, " %s=", fields[i].key);
			if (fields[i].str)
				put_logfmt_str(&l, fields[i].str);
			else
				put_num(&l, fields[i].num);
		}
	}
	fprintf(stderr, "%s\n", l.buf);
}

void vb_log(enum vb_log_level level, const char *fmt, ...)
{
	char msg[LINE_MAX_BYTES];
	va_list ap;

	if ((int)level < current_level())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(level, msg, NULL, 0);
}

void vb_log_event(enum vb_log_level level, const char *event, const vb_log_field *fields,
		  size_t n)
{
	if ((int)level < current_level())
		return;
	emit(level, event, fields, n);
}
