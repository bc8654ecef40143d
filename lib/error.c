/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error records: formatting messages into a caller-owned vb_error and
 * mapping codes to names and HTTP statuses.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vb_error_clear(vb_error *err)
{
	if (!err)
		return;
	err->code = VB_OK;
	err->msg[0] = '\0';
}

int vb_error_set(vb_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int vb_error_prefix(vb_error *err, const char *fmt, ...)
{
	char joined[2 * VB_ERROR_MSG_MAX + 2];
	size_t n, len;
	va_list ap;
	int w;

	if (!err)
		return VB_OK;
	va_start(ap, fmt);
	w = vsnprintf(joined, VB_ERROR_MSG_MAX, fmt, ap);
	va_end(ap);
	n = w < 0 ? 0 : (size_t)w >= VB_ERROR_MSG_MAX ? VB_ERROR_MSG_MAX - 1 : (size_t)w;
	joined[n++] = ':';
	joined[n++] = ' ';
	len = strnlen(err->msg, VB_ERROR_MSG_MAX - 1);
	memcpy(joined + n, err->msg, len);
	n += len;
	/* Cut to fit, never inside a UTF-8 sequence. */
	if (n >= VB_ERROR_MSG_MAX) {
		n = VB_ERROR_MSG_MAX - 1;
		while (n > 0 && ((unsigned char)joined[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(err->msg, joined, n);
	err->msg[n] = '\0';
	return err->code;
}

const char *vb_code_name(int code)
{
	switch (code) {
	case VB_OK: return "ok";
	case VB_ENOTFOUND: return "not_found";
	case VB_EINVAL: return "invalid";
	case VB_ETOOBIG: return "too_big";
	case VB_EAGAIN: return "unavailable";
	case VB_EDB: return "database";
	case VB_EIO: return "io";
	case VB_ENOMEM: return "out_of_memory";
	case VB_EINDEX: return "index";
	case VB_EUNSUPPORTED: return "unsupported";
	case VB_EPERM: return "forbidden";
	case VB_ECONFLICT: return "conflict";
	default: return "error";
	}
}

int vb_code_http_status(int code)
{
	switch (code) {
	case VB_OK: return 200;
	case VB_ENOTFOUND: return 404;
	case VB_EINVAL: return 400;
	case VB_EUNSUPPORTED: return 415;
	case VB_EPERM: return 403;
	case VB_ECONFLICT: return 409;
	case VB_ETOOBIG: return 413;
	case VB_EAGAIN: return 503;
	case VB_EDB: return 503;
	default: return 500;
	}
}
