/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text of text files (part of text extraction, contract in extract.h):
 * HTML through libxml2's HTML parser (scripts, styles and the like
 * skipped, block elements on lines of their own, white space collapsed
 * outside <pre>) and plain text in UTF-8 or a Vietnamese legacy encoding
 * (lib/legacy.c).
 */
#include "extract_int.h"
#include "legacy.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* Strict UTF-8 check (no overlong forms, no surrogates, <= U+10FFFF).  With
 * allow_cut, an incomplete sequence at the very end is accepted (for a
 * sample cut at an arbitrary byte). */
static int utf8_valid(const unsigned char *s, size_t len, int allow_cut)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len)
				return allow_cut;
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Trailing blanks of lines removed, at most one empty line in a row, no
 * leading or trailing blank lines.  In place. */
static void tidy(vb_buf *b)
{
	size_t r = 0, w = 0, nl = 0;
	char *s = b->data;

	if (!s)
		return;
	while (r < b->len) {
		char c = s[r++];

		if (c == '\n') {
			while (w > 0 && (s[w - 1] == ' ' || s[w - 1] == '\t'))
				w--;
			if (w == 0 || ++nl > 2)
				continue;
			s[w++] = c;
			continue;
		}
		if (c == '\r')
			continue;
		nl = 0;
		s[w++] = c;
	}
	while (w > 0 && (s[w - 1] == '\n' || s[w - 1] == ' ' || s[w - 1] == '\t'))
		w--;
	s[w] = '\0';
	b->len = w;
}

/* ---- HTML ------------------------------------------------------------- */

static int html_skipped(const char *name)
{
	static const char *const skip[] = { "script", "style", "noscript", "template", "head",
					    "iframe", "object", "svg", "button", "select" };
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcasecmp(name, skip[i]))
			return 1;
	return 0;
}

static int html_block(const char *name)
{
	static const char *const block[] = {
		"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody",
		"tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
		"footer", "nav", "aside", "main", "blockquote", "pre", "hr", "address",
		"figure", "figcaption", "form", "fieldset", "caption", "center", "body", "title"
	};
	size_t i;

	for (i = 0; i < sizeof(block) / sizeof(block[0]); i++)
		if (!strcasecmp(name, block[i]))
			return 1;
	return 0;
}

/* HTML text: white space runs collapse to one space (except in <pre>). */
static void html_text(struct extract_walk *w, const char *s)
{
	if (w->pre) {
		extract_walk_put(w, s, strlen(s));
		return;
	}
	while (*s && !w->rc) {
		size_t n = strcspn(s, " \t\r\n\f");

		extract_walk_put(w, s, n);
		s += n;
		if (*s) {
			s += strspn(s, " \t\r\n\f");
			if (w->out->len && w->out->data[w->out->len - 1] != '\n' &&
			    w->out->data[w->out->len - 1] != ' ' && w->out->data[w->out->len - 1] != '\t')
				extract_walk_put(w, " ", 1);
		}
	}
}

static void walk_html(struct extract_walk *w, xmlNode *n, int depth)
{
	for (; n && !w->rc; n = n->next) {
		const char *name;
		int block, was_pre;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(w, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > EXTRACT_MAX_DEPTH)
			continue;
		name = (const char *)n->name;
		if (html_skipped(name))
			continue;
		if (!strcasecmp(name, "br")) {
			extract_walk_put(w, "\n", 1);
			continue;
		}
		block = html_block(name);
		if (block && !w->rc)
			w->rc = extract_ensure_newline(w->out);
		was_pre = w->pre;
		if (!strcasecmp(name, "pre"))
			w->pre = 1;
		walk_html(w, n->children, depth + 1);
		w->pre = was_pre;
		if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
			extract_walk_put(w, "\t", 1);
		if (block && !w->rc)
			w->rc = extract_ensure_newline(w->out);
	}
}

int extract_html(const char *path, vb_buf *out, vb_error *err)
{
	char *data = NULL;
	size_t len;
	htmlDocPtr doc = NULL;
	struct extract_walk w = { out, 0, 0 };
	int rc;

	if ((rc = extract_read_file(path, VB_EXTRACT_MAX_INPUT, &data, &len, err)))
		return rc;
	if (len > INT_MAX ||
	    !(doc = htmlReadMemory(data, (int)len, NULL, NULL,
				   HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				   HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED))) {
		rc = vb_error_set(err, VB_EINVAL, "could not read HTML file \"%s\"", path);
		goto out;
	}
	walk_html(&w, doc->children, 0);
	if ((rc = w.rc))
		vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
	else
		tidy(out);
out:
	xmlFreeDoc(doc);
	free(data);
	return rc;
}

/* ---- plain text ------------------------------------------------------- */

int extract_txt(const char *path, vb_buf *out, vb_error *err)
{
	char *data = NULL, *converted = NULL;
	size_t len;
	int rc;

	if ((rc = extract_read_file(path, VB_EXTRACT_MAX_INPUT, &data, &len, err)))
		return rc;
	if (memchr(data, '\0', len)) {
		rc = vb_error_set(err, VB_EINVAL, "file \"%s\" is not text (it contains NUL bytes)", path);
		goto out;
	}
	if (!utf8_valid((const unsigned char *)data, len, 0)) {
		/* Not UTF-8: a legacy Vietnamese encoding (TCVN3, VNI, VISCII,
		 * Windows-1258), detected paragraph by paragraph. */
		if (vb_legacy_detect(data, len) == VB_LEGACY_UNKNOWN) {
			rc = vb_error_set(err, VB_EINVAL,
					  "file \"%s\" is neither UTF-8 nor a known Vietnamese legacy encoding", path);
			goto out;
		}
		if ((rc = vb_legacy_to_utf8(data, len, &converted, err))) {
			vb_error_prefix(err, "could not convert \"%s\"", path);
			goto out;
		}
	}
	if ((rc = vb_buf_puts(out, converted ? converted : "")) ||
	    (!converted && (rc = vb_buf_append(out, data, len))))
		vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
out:
	free(converted);
	free(data);
	return rc;
}
