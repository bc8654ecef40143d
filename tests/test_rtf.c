/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for lib/rtf.c: \uN with \ucN fallbacks (Vietnamese), \'hh with
 * \ansicpg and \fcharset, nested groups, skipped destinations, fields,
 * paragraph and tab controls, and hostile input (nesting bombs, cut-off
 * documents, non-RTF input).
 */
#include "rtf.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static char *rtf(const char *s, int *rc_out, vb_error *err)
{
	char *out = NULL;

	*rc_out = vb_rtf_text(s, strlen(s), &out, err);
	return out;
}

static void check(const char *name, const char *in, const char *want)
{
	vb_error err;
	int rc;
	char *got;

	vb_error_clear(&err);
	got = rtf(in, &rc, &err);
	if (rc)
		printf("# %s: %s\n", name, err.msg);
	tap_is_str(got, want, "%s", name);
	free(got);
}

/* "{\\rtf1 " + inner '{' + "x" + all the closing braces. */
static char *nest(size_t inner)
{
	char *s = malloc(2 * inner + 16);
	size_t l, i;

	strcpy(s, "{\\rtf1 ");
	l = strlen(s);
	for (i = 0; i < inner; i++)
		s[l++] = '{';
	s[l++] = 'x';
	for (i = 0; i <= inner; i++)
		s[l++] = '}';
	s[l] = '\0';
	return s;
}

int main(void)
{
	vb_error err;
	char *out, *bomb;
	size_t n;
	int rc;

	check("plain text and \\par",
	      "{\\rtf1\\ansi Hello\\par World}", "Hello\nWorld");
	check("\\u with \\uc1 fallback (Vietnamese)",
	      "{\\rtf1\\ansi\\uc1 C\\u7896?NG HO\\u192? \\u272?i\\u7873?u 1}",
	      "CỘNG HOÀ Điều 1");
	check("\\uc2 skips two fallbacks, including \\'hh",
	      "{\\rtf1\\uc2 \\u7871\\'65\\'3f x}", "ế x");
	check("\\uc0 skips nothing and negative \\u",
	      "{\\rtf1\\uc0\\u-4064 x}", "\xEF\x80\xA0x");
	check("\\uc is group-scoped",
	      "{\\rtf1{\\uc2\\u7871??}\\u7871?}", "ếế");
	check("surrogate pair from two \\u",
	      "{\\rtf1\\u-10179?\\u-8704?}", "\xF0\x9F\x98\x80");
	check("\\'hh with \\ansicpg1252",
	      "{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 \\'93q\\'94}", "café “q”");
	check("\\'hh with \\ansicpg1258 (combining marks)",
	      "{\\rtf1\\ansi\\ansicpg1258 Vi\\'eat Nam \\'d0\\'f4ng}",
	      "Viêt Nam Đông");
	check("\\fcharset163 font selects Windows-1258",
	      "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fcharset0 Arial;}{\\f1\\fcharset163 VN;}}"
	      "\\f0 a\\'e3 \\f1 a\\'e3}", "aã aă");
	check("nested groups keep text",
	      "{\\rtf1 a{\\b b{\\i c}d}e}", "abcde");
	check("skipped destinations",
	      "{\\rtf1{\\fonttbl{\\f0 Times;}}{\\colortbl;\\red0\\green0\\blue0;}"
	      "{\\stylesheet{\\s0 Normal;}}{\\info{\\title T}{\\author A}}"
	      "{\\*\\generator Writer;}{\\header hdr}{\\pict\\pngblip 89504e47}body}", "body");
	check("unknown \\* destination skipped",
	      "{\\rtf1 a{\\*\\unknowndest zzz{\\x y}}b}", "ab");
	check("field: result kept, instruction dropped",
	      "{\\rtf1 see {\\field{\\*\\fldinst HYPERLINK \"x\"}{\\fldrslt link}} end}",
	      "see link end");
	check("\\tab, \\cell, \\row, \\line",
	      "{\\rtf1 a\\tab b\\line c\\cell d\\cell\\row}", "a\tb\nc\td\t\n");
	check("escaped symbols and \\~",
	      "{\\rtf1 \\{x\\}\\\\\\~y\\-z}", "{x}\\\xC2\xA0yz");
	check("\\bin skips binary data",
	      "{\\rtf1 a{\\*\\blob\\bin4 }}{x}b}", "ab");
	check("line breaks in source are ignored",
	      "{\\rtf1 ab\r\ncd\\\nef}", "abcd\nef");
	check("control word delimiter space consumed, parameter ends word",
	      "{\\rtf1\\b1 bold\\b0  x\\fs24y}", "bold xy");
	check("cut-off document keeps text read so far",
	      "{\\rtf1 partial {\\b text", "partial text");

	/* Not RTF. */
	out = rtf("hello", &rc, &err);
	tap_ok(rc == VB_EINVAL && !out, "non-RTF input is rejected: %s", err.msg);
	out = rtf("", &rc, &err);
	tap_ok(rc == VB_EINVAL && !out, "empty input is rejected");
	tap_ok(vb_rtf_is_rtf("\xEF\xBB\xBF {\\rtf1}", 11), "BOM and spaces before {\\rtf accepted");

	/* Nesting: 256 open groups (the root included) are fine, 257 and a
	 * 10000-deep bomb are refused cleanly. */
	n = 10000;
	bomb = nest(255);
	rc = vb_rtf_text(bomb, strlen(bomb), &out, &err);
	tap_ok(rc == 0 && out && !strcmp(out, "x"), "256 nested groups are accepted");
	free(out);
	free(bomb);
	bomb = nest(256);
	rc = vb_rtf_text(bomb, strlen(bomb), &out, &err);
	tap_ok(rc == VB_EINVAL && !out, "257 nested groups are refused");
	free(bomb);
	bomb = nest(n);
	rc = vb_rtf_text(bomb, strlen(bomb), &out, &err);
	tap_ok(rc == VB_EINVAL && !out && strstr(err.msg, "nested deeper"),
	       "10000-deep nesting bomb fails cleanly: %s", err.msg);
	free(bomb);
	return tap_done();
}
