/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RTF text extraction; see rtf.h.  Written from the RTF 1.x specification:
 * a control word is '\' + up to 32 ASCII letters + an optional signed
 * decimal parameter, ended by a space (consumed) or any other non-letter
 * (not consumed); a control symbol is '\' + one non-letter; '{' and '}'
 * open and close groups, and each group inherits then restores its
 * parent's character-formatting state (here: skipping, \uc, code page).
 */
#include "rtf.h"

#include "buf.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FONTS 1024

typedef struct group {
	int skip;        /* inside a destination that is not body text */
	int fonttbl;     /* inside the font table */
	int uc;          /* fallback characters after \uN */
	int cp;          /* code page for \'hh and raw 8-bit bytes */
} group;

typedef struct font_cp {
	long num;
	int cp;
} font_cp;

typedef struct reader {
	const unsigned char *s;
	size_t len, pos;
	vb_buf out;
	group stack[VB_RTF_MAX_DEPTH + 1];
	int depth;
	int ansicpg;
	size_t pending;  /* fallback characters still to skip */
	uint32_t high;   /* pending high surrogate from \uN */
	font_cp fonts[MAX_FONTS];
	size_t nfonts;
	long cur_font;   /* font being defined in the font table */
} reader;

/* Windows-1252 0x80..0x9F (undefined bytes keep their C1 value). */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/* Windows-1258 (Vietnamese) 0xC0..0xFF where it differs from Latin-1;
 * 0 means "same as Latin-1".  0x80..0x9F are as in Windows-1252 except
 * 0x8A, 0x8E, 0x9A, 0x9E, which 1258 leaves undefined. */
static uint32_t cp1258_decode(unsigned char b)
{
	switch (b) {
	case 0x8A: case 0x8E: case 0x9A: case 0x9E: return b;
	case 0xC3: return 0x0102;
	case 0xCC: return 0x0300;
	case 0xD0: return 0x0110;
	case 0xD2: return 0x0309;
	case 0xD5: return 0x01A0;
	case 0xDD: return 0x01AF;
	case 0xDE: return 0x0303;
	case 0xE3: return 0x0103;
	case 0xEC: return 0x0301;
	case 0xF0: return 0x0111;
	case 0xF2: return 0x0323;
	case 0xF5: return 0x01A1;
	case 0xFD: return 0x01B0;
	case 0xFE: return 0x20AB;
	default: break;
	}
	return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

static uint32_t byte_decode(int cp, unsigned char b)
{
	if (b < 0x80)
		return b;
	if (cp == 1258)
		return cp1258_decode(b);
	return b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

static int charset_cp(long charset, int ansicpg)
{
	switch (charset) {
	case 0: return 1252;
	case 163: return 1258;
	default: return ansicpg;
	}
}

static int put_cp(reader *r, uint32_t c)
{
	char s[4];

	if (r->high) {
		uint32_t h = r->high;
		int rc;

		r->high = 0;
		if (c >= 0xDC00 && c < 0xE000) {
			c = 0x10000 + ((h - 0xD800) << 10) + (c - 0xDC00);
		} else {
			rc = put_cp(r, 0xFFFD);
			if (rc)
				return rc;
		}
	}
	if (c >= 0xD800 && c < 0xDC00) {
		r->high = c;
		return 0;
	}
	return vb_buf_append(&r->out, s, vb_utf8_encode(c, s));
}

/* Emit one body character unless it is a \uN fallback to skip. */
static int emit(reader *r, uint32_t c)
{
	if (r->pending > 0) {
		r->pending--;
		return 0;
	}
	return put_cp(r, c);
}

static const char *const skipped[] = {
	"annotation", "atnauthor", "atnid", "author", "bkmkend", "bkmkstart",
	"colorschememapping", "colortbl", "comment", "datafield", "datastore",
	"docvar", "fldinst", "filetbl", "footer", "footerf", "footerl", "footerr",
	"footnote", "ftncn", "ftnsep", "ftnsepc", "aftncn", "aftnsep", "aftnsepc",
	"generator", "header", "headerf", "headerl", "headerr", "info",
	"latentstyles", "listoverridetable", "listtable", "mmathPr", "nonshppict",
	"objclass", "objdata", "objname", "pgdsctbl", "pict", "private",
	"revtbl", "rsidtbl", "sp", "stylesheet", "tc", "template", "themedata",
	"txe", "userprops", "wgrffmtfilter", "xe", "xmlnstbl", "operator",
	"title", "subject", "keywords", "doccomm", "company", "category",
	NULL
};

static int is_skipped(const char *w)
{
	for (size_t i = 0; skipped[i]; i++)
		if (!strcmp(skipped[i], w))
			return 1;
	return 0;
}

/* Handle control word w (with parameter param when has_param). */
static int control_word(reader *r, const char *w, int has_param, long param)
{
	group *g = &r->stack[r->depth];

	if (!strcmp(w, "bin")) {
		/* Binary data: skip exactly param bytes, whatever the state. */
		size_t n = has_param && param > 0 ? (size_t)param : 0;

		r->pos += n > r->len - r->pos ? r->len - r->pos : n;
		return 0;
	}
	if (!strcmp(w, "fonttbl")) {
		g->fonttbl = 1;
		g->skip = 1;
		return 0;
	}
	if (g->fonttbl) {
		if (!strcmp(w, "f") && has_param)
			r->cur_font = param;
		else if (!strcmp(w, "fcharset") && has_param && r->nfonts < MAX_FONTS) {
			r->fonts[r->nfonts].num = r->cur_font;
			r->fonts[r->nfonts].cp = charset_cp(param, r->ansicpg);
			r->nfonts++;
		}
		return 0;
	}
	if (is_skipped(w)) {
		g->skip = 1;
		return 0;
	}
	if (g->skip)
		return 0;
	if (!strcmp(w, "ansicpg") && has_param) {
		r->ansicpg = (int)param;
		g->cp = (int)param;
		return 0;
	}
	if (!strcmp(w, "uc")) {
		g->uc = has_param && param >= 0 && param <= 16 ? (int)param : 1;
		return 0;
	}
	if (!strcmp(w, "f") && has_param) {
		g->cp = r->ansicpg;
		for (size_t i = 0; i < r->nfonts; i++)
			if (r->fonts[i].num == param)
				g->cp = r->fonts[i].cp;
		return 0;
	}
	if (!strcmp(w, "u") && has_param) {
		long v = param < 0 ? param + 65536 : param;
		int rc;

		if (r->pending > 0) {
			r->pending--;
			return 0;
		}
		rc = put_cp(r, v >= 0 && v <= 0xFFFF ? (uint32_t)v : 0xFFFD);
		r->pending = (size_t)g->uc;
		return rc;
	}
	if (!strcmp(w, "par") || !strcmp(w, "line") || !strcmp(w, "page") ||
	    !strcmp(w, "sect") || !strcmp(w, "row") || !strcmp(w, "nestrow"))
		return emit(r, '\n');
	if (!strcmp(w, "tab") || !strcmp(w, "cell") || !strcmp(w, "nestcell"))
		return emit(r, '\t');
	if (!strcmp(w, "emdash"))
		return emit(r, 0x2014);
	if (!strcmp(w, "endash"))
		return emit(r, 0x2013);
	if (!strcmp(w, "lquote"))
		return emit(r, 0x2018);
	if (!strcmp(w, "rquote"))
		return emit(r, 0x2019);
	if (!strcmp(w, "ldblquote"))
		return emit(r, 0x201C);
	if (!strcmp(w, "rdblquote"))
		return emit(r, 0x201D);
	if (!strcmp(w, "bullet"))
		return emit(r, 0x2022);
	if (!strcmp(w, "emspace") || !strcmp(w, "enspace") || !strcmp(w, "qmspace"))
		return emit(r, ' ');
	/* Any other control word is formatting; it still counts as one
	 * fallback character after \uN. */
	if (r->pending > 0)
		r->pending--;
	return 0;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* After a backslash at r->pos - 1: read and handle one control. */
static int control(reader *r, int group_start, vb_error *err)
{
	group *g = &r->stack[r->depth];
	char word[33];
	size_t n = 0;
	unsigned char c;

	(void)err;
	if (r->pos >= r->len)
		return 0;
	c = r->s[r->pos];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
		int has_param = 0, neg = 0;
		long param = 0;

		while (r->pos < r->len && ((r->s[r->pos] >= 'a' && r->s[r->pos] <= 'z') ||
					   (r->s[r->pos] >= 'A' && r->s[r->pos] <= 'Z'))) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)r->s[r->pos];
			r->pos++;
		}
		word[n] = '\0';
		if (r->pos < r->len && r->s[r->pos] == '-' && r->pos + 1 < r->len &&
		    r->s[r->pos + 1] >= '0' && r->s[r->pos + 1] <= '9') {
			neg = 1;
			r->pos++;
		}
		while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9') {
			if (param < 100000000L)
				param = param * 10 + (r->s[r->pos] - '0');
			has_param = 1;
			r->pos++;
		}
		if (neg)
			param = -param;
		if (r->pos < r->len && r->s[r->pos] == ' ')
			r->pos++;
		return control_word(r, word, has_param, param);
	}
	r->pos++;
	switch (c) {
	case '*':
		if (group_start)
			g->skip = 1;
		return 0;
	case '\'': {
		int hi, lo;

		if (r->len - r->pos < 2)
			return 0;
		hi = hexval(r->s[r->pos]);
		lo = hexval(r->s[r->pos + 1]);
		r->pos += 2;
		if (hi < 0 || lo < 0 || g->skip)
			return 0;
		return emit(r, byte_decode(g->cp, (unsigned char)(hi * 16 + lo)));
	}
	case '\\': case '{': case '}':
		return g->skip ? 0 : emit(r, c);
	case '~':
		return g->skip ? 0 : emit(r, 0xA0);
	case '_':
		return g->skip ? 0 : emit(r, '-');
	case '\r': case '\n':
		return g->skip ? 0 : emit(r, '\n');
	case '-':
	default:
		if (!g->skip && r->pending > 0)
			r->pending--;
		return 0;
	}
}

int vb_rtf_is_rtf(const char *data, size_t len)
{
	size_t i = 0;

	if (!data)
		return 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	return len - i >= 5 && !memcmp(data + i, "{\\rtf", 5);
}

int vb_rtf_text(const char *data, size_t len, char **utf8_out, vb_error *err)
{
	reader *r = NULL;
	int group_start = 0;
	int rc = 0;

	*utf8_out = NULL;
	if (!vb_rtf_is_rtf(data, len))
		return vb_error_set(err, VB_EINVAL, "could not read RTF document: missing {\\rtf header");
	r = calloc(1, sizeof(*r));
	if (!r)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	r->s = (const unsigned char *)data;
	r->len = len;
	r->ansicpg = 1252;
	r->depth = -1;
	vb_buf_init(&r->out, VB_RTF_MAX_TEXT);
	while (r->pos < r->len) {
		unsigned char c = r->s[r->pos++];
		int was_start = group_start;

		group_start = 0;
		if (c == '{') {
			if (r->depth + 1 >= VB_RTF_MAX_DEPTH) {
				rc = vb_error_set(err, VB_EINVAL,
						  "could not read RTF document: groups are nested deeper than %d levels",
						  VB_RTF_MAX_DEPTH);
				goto out;
			}
			if (r->depth >= 0) {
				r->stack[r->depth + 1] = r->stack[r->depth];
			} else {
				r->stack[0].skip = 0;
				r->stack[0].fonttbl = 0;
				r->stack[0].uc = 1;
				r->stack[0].cp = r->ansicpg;
			}
			r->depth++;
			r->pending = 0;
			group_start = 1;
			continue;
		}
		if (r->depth < 0)
			continue; /* text before the first group */
		if (c == '}') {
			r->pending = 0;
			r->depth--;
			if (r->depth < 0)
				break; /* end of the document */
			continue;
		}
		if (c == '\\') {
			rc = control(r, was_start, err);
		} else if (c == '\r' || c == '\n') {
			continue;
		} else if (r->stack[r->depth].skip) {
			continue;
		} else if (c == '\t') {
			rc = emit(r, '\t');
		} else if (c < 0x20) {
			continue;
		} else {
			rc = emit(r, byte_decode(r->stack[r->depth].cp, c));
		}
		if (rc)
			break;
	}
	if (!rc && r->high)
		rc = put_cp(r, 0xFFFD);
	if (rc) {
		if (rc == VB_ETOOBIG)
			rc = vb_error_set(err, rc,
					  "could not read RTF document: text is larger than %zu bytes",
					  VB_RTF_MAX_TEXT);
		else
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	*utf8_out = vb_buf_steal(&r->out);
	if (!*utf8_out)
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	vb_buf_dispose(&r->out);
	free(r);
	return rc;
}
