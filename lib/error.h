/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error codes and the caller-provided error record shared by every module.
 * A function that can fail returns 0 or one of the small negative VB_E*
 * codes below; the detail goes into a vb_error the caller owns (which may be
 * NULL when the caller does not care).  The HTTP layer maps codes to statuses
 * mechanically with vb_code_http_status().
 */
#ifndef VB_ERROR_H
#define VB_ERROR_H

#include <stddef.h>

enum {
	VB_OK = 0,
	VB_ENOTFOUND = -1, /* no such document, file, term */
	VB_EINVAL = -2,    /* input is malformed */
	VB_ETOOBIG = -3,   /* input exceeds a limit */
	VB_EAGAIN = -4,    /* transient: try again later */
	VB_EDB = -5,       /* PostgreSQL failed */
	VB_EIO = -6,       /* filesystem or network I/O failed */
	VB_ENOMEM = -7,    /* allocation failed */
	VB_EINDEX = -8,    /* Xapian failed */
	VB_EUNSUPPORTED = -9, /* format or feature not supported */
	VB_EPERM = -10,     /* the caller may not do this (role, scope, portal) */
	VB_ECONFLICT = -11  /* wrong state for this change */
};

#define VB_ERROR_MSG_MAX 256

typedef struct vb_error {
	int code;
	char msg[VB_ERROR_MSG_MAX];
} vb_error;

/* Clear err (NULL is allowed). */
void vb_error_clear(vb_error *err);

/* Record code and a printf-style message in err (NULL is allowed) and return
 * code, so that callers can write `return vb_error_set(err, VB_EINVAL, ...)`.
 * Messages follow PostgreSQL's style: lower case, no final period. */
int vb_error_set(vb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with "prefix: " (keeps the code).
 * Returns err->code, or VB_OK when err is NULL. */
int vb_error_prefix(vb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Short stable name of a code ("not_found", "invalid", ...), for JSON. */
const char *vb_code_name(int code);

/* HTTP status for a code: 404, 400, 403, 409, 413, 503, 500. */
int vb_code_http_status(int code);

#endif
