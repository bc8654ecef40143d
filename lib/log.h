/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging: one line per event on stderr (or a file, see vb_log_open_file),
 * "TIMESTAMP LEVEL message" or one JSON object (vb_log_set_json).  Log
 * lines are in English and never carry personal data, passwords, tokens or
 * document text.  Thread-safe (one fprintf per line).
 */
#ifndef VB_LOG_H
#define VB_LOG_H

#include <stddef.h>

enum vb_log_level { VB_LOG_DEBUG = 0, VB_LOG_INFO, VB_LOG_WARN, VB_LOG_ERROR };

/* Lines below level are dropped.  Default VB_LOG_INFO, or VANBAN_LOG_LEVEL
 * ("debug", "info", "warn", "error") when set. */
void vb_log_set_level(enum vb_log_level level);
void vb_log(enum vb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Line format: text (default; "TIMESTAMP LEVEL message", an event's
 * fields appended as logfmt key=value pairs) or json (one object per line:
 * {"time","level","msg", fields...}).  VANBAN_LOG_FORMAT=json also selects
 * json. */
void vb_log_set_json(int json);

/* Send log lines to path (opened for appending, created 0640) instead of
 * the standard error: the file is made the process's fd 2, so a later call
 * (on SIGHUP, after logrotate moved the file) reopens it atomically for
 * every thread.  0, or -1 with errno set (the old destination stays). */
int vb_log_open_file(const char *path);

/* One field of a structured event: a string (str != NULL) or a number. */
typedef struct vb_log_field {
	const char *key;  /* [a-z_]+ */
	const char *str;  /* NULL: num is the value */
	double num;       /* printed with up to 3 decimals */
} vb_log_field;

/* One event with fields, on one line: text "TS LEVEL event k=v k=\"v w\""
 * (values quoted when they hold spaces, quotes or '='; control bytes
 * replaced), json {"time":...,"level":...,"msg":event,"k":v,...}. */
void vb_log_event(enum vb_log_level level, const char *event, const vb_log_field *fields,
		  size_t n);

#define vb_debug(...) vb_log(VB_LOG_DEBUG, __VA_ARGS__)
#define vb_info(...) vb_log(VB_LOG_INFO, __VA_ARGS__)
#define vb_warn(...) vb_log(VB_LOG_WARN, __VA_ARGS__)
#define vb_err(...) vb_log(VB_LOG_ERROR, __VA_ARGS__)

#endif
