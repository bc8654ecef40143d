/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Size-limited growable byte buffer (after curl's dynbuf).  Every buffer has
 * a hard maximum fixed at init time: appending past it fails with
 * VB_ETOOBIG instead of growing without bound, so input-fed buffers cannot
 * exhaust memory.  The content is always NUL-terminated.
 * Not thread-safe; a buffer belongs to one thread at a time.
 */
#ifndef VB_BUF_H
#define VB_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vb_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* hard limit on len */
} vb_buf;

/* Initialise an empty buffer that may hold at most max bytes. */
void vb_buf_init(vb_buf *b, size_t max);
/* Release the memory; the buffer may be initialised again.  NULL is fine. */
void vb_buf_dispose(vb_buf *b);
/* Forget the content but keep the memory. */
void vb_buf_reset(vb_buf *b);

/* Append n bytes.  0, VB_ETOOBIG (over the limit: nothing appended) or
 * VB_ENOMEM. */
int vb_buf_append(vb_buf *b, const void *p, size_t n);
int vb_buf_puts(vb_buf *b, const char *s);
int vb_buf_putc(vb_buf *b, char c);
int vb_buf_printf(vb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vb_buf_vprintf(vb_buf *b, const char *fmt, va_list ap);
/* Append s (n bytes) with & < > " ' escaped for HTML text and attributes. */
int vb_buf_put_html(vb_buf *b, const char *s, size_t n);

/* The content as a C string: "" for an empty buffer, never NULL.  Borrowed. */
const char *vb_buf_str(const vb_buf *b);
/* Hand the content over to the caller (free() it) and leave b empty. */
char *vb_buf_steal(vb_buf *b);

#endif
