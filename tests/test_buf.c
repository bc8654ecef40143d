/* SPDX-License-Identifier: GPL-3.0-or-later
 * Unit tests for lib/buf.c: limits, formatting, HTML escaping. */
#include "buf.h"
#include "error.h"
#include "tap.h"

#include <stdlib.h>

int main(void)
{
	vb_buf b;
	char *s;

	vb_buf_init(&b, 10);
	tap_is_str(vb_buf_str(&b), "", "empty buffer reads as empty string");
	tap_is_int(vb_buf_puts(&b, "hello"), 0, "append within limit");
	tap_is_int(vb_buf_printf(&b, "%d", 12345), 0, "printf up to the limit");
	tap_is_str(vb_buf_str(&b), "hello12345", "content after appends");
	tap_is_int(vb_buf_putc(&b, 'x'), VB_ETOOBIG, "append past limit is refused");
	tap_is_str(vb_buf_str(&b), "hello12345", "refused append leaves content intact");
	vb_buf_reset(&b);
	tap_is_int(b.len, 0, "reset empties");
	vb_buf_dispose(&b);

	vb_buf_init(&b, 1024);
	vb_buf_put_html(&b, "<a href=\"x\">Tom & Jerry's</a>", 29);
	tap_is_str(vb_buf_str(&b), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
		   "html escaping");
	s = vb_buf_steal(&b);
	tap_ok(s && b.data == NULL && b.len == 0, "steal hands over the memory");
	free(s);
	s = vb_buf_steal(&b);
	tap_is_str(s, "", "steal of an empty buffer gives an empty string");
	free(s);
	vb_buf_dispose(&b);
	return tap_done();
}
