/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logging: one line per event on stderr, "TIMESTAMP LEVEL message".  Log
 * lines are in English and never carry personal data, passwords, tokens or
 * document text.  Thread-safe (one fprintf per line).
 */
#ifndef VB_LOG_H
#define VB_LOG_H

enum vb_log_level { VB_LOG_DEBUG = 0, VB_LOG_INFO, VB_LOG_WARN, VB_LOG_ERROR };

/* Lines below level are dropped.  Default VB_LOG_INFO, or VANBAN_LOG_LEVEL
 * ("debug", "info", "warn", "error") when set. */
void vb_log_set_level(enum vb_log_level level);
void vb_log(enum vb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define vb_debug(...) vb_log(VB_LOG_DEBUG, __VA_ARGS__)
#define vb_info(...) vb_log(VB_LOG_INFO, __VA_ARGS__)
#define vb_warn(...) vb_log(VB_LOG_WARN, __VA_ARGS__)
#define vb_err(...) vb_log(VB_LOG_ERROR, __VA_ARGS__)

#endif
