/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Size-limited growable buffers; see buf.h.
 */
#include "buf.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vb_buf_init(vb_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void vb_buf_dispose(vb_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void vb_buf_reset(vb_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_reserve(vb_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return VB_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->data, cap);
	if (!p)
		return VB_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int vb_buf_append(vb_buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int vb_buf_puts(vb_buf *b, const char *s)
{
	return vb_buf_append(b, s, strlen(s));
}

int vb_buf_putc(vb_buf *b, char c)
{
	return vb_buf_append(b, &c, 1);
}

int vb_buf_vprintf(vb_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return VB_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int vb_buf_printf(vb_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vb_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int vb_buf_put_html(vb_buf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	int rc;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if ((rc = vb_buf_append(b, s + start, i - start)) ||
		    (rc = vb_buf_puts(b, rep)))
			return rc;
		start = i + 1;
	}
	return vb_buf_append(b, s + start, n - start);
}

const char *vb_buf_str(const vb_buf *b)
{
	return b->data ? b->data : "";
}

char *vb_buf_steal(vb_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
