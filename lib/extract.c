/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text extraction (see extract.h).  The extractors proper (PDF, DOCX, ODT,
 * HTML, TXT) run in vb_extract_text_inprocess; vb_extract_text forks a
 * child that runs it under setrlimit (CPU, address space) and alarm(), and
 * reads the result back from a pipe:
 *
 *   'T' text...                   success
 *   'E' int32 code, message...    a clean error from the extractor
 *
 * Anything else (a signal, a short message) is reported as an error of the
 * file.  The parent also enforces the wall-clock deadline with poll() and
 * SIGKILL, so a child stuck in uninterruptible code cannot hang an import.
 *
 * XML parts of DOCX/ODT are parsed without network access, without DTD
 * loading and without entity substitution; a part that declares a DTD is
 * refused outright (office files never carry one).
 */
#include "extract.h"
#include "legacy.h"
#include "msdoc.h"
#include "rtf.h"

#include "buf.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <poppler.h>
#include <zip.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory: an RLIMIT_AS would kill every child.  The CPU and wall-clock
 * limits still apply in sanitizer builds. */
#define NO_ADDRESS_LIMIT 1
#endif

#define SNIFF_BYTES 4096
#define MAX_DEPTH 512 /* element nesting walked in XML / HTML trees */

/* ---- small helpers ---------------------------------------------------- */

/* Read at most max bytes of path into *out (NUL-terminated).  VB_ETOOBIG
 * when the file is larger. */
static int read_file(const char *path, size_t max, char **out, size_t *len, vb_error *err)
{
	vb_buf b;
	char chunk[65536];
	int fd, rc = 0;
	ssize_t r;

	*out = NULL;
	*len = 0;
	vb_buf_init(&b, max);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = vb_error_set(err, VB_EIO, "could not read file \"%s\": %s",
					  path, strerror(errno));
			goto out;
		}
		if ((rc = vb_buf_append(&b, chunk, (size_t)r))) {
			if (rc == VB_ETOOBIG)
				vb_error_set(err, rc, "file \"%s\" is larger than %zu bytes", path, max);
			else
				vb_error_set(err, rc, "out of memory");
			goto out;
		}
	}
	*len = b.len;
	if (!(*out = vb_buf_steal(&b)) && !(*out = strdup("")))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	close(fd);
	vb_buf_dispose(&b);
	return rc;
}

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

static int has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncasecmp(s, prefix, n);
}

static int contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return 1;
	return 0;
}

/* ---- detection -------------------------------------------------------- */

/* Read member name of an open zip (at most max bytes) into *out. */
static int zip_read_member(zip_t *z, const char *name, size_t max, char **out, size_t *len,
			   vb_error *err)
{
	zip_stat_t zs;
	zip_file_t *zf = NULL;
	vb_buf b;
	char chunk[65536];
	zip_int64_t r;
	int rc = 0;

	*out = NULL;
	*len = 0;
	vb_buf_init(&b, max);
	zip_stat_init(&zs);
	if (zip_stat(z, name, 0, &zs) < 0)
		return vb_error_set(err, VB_EINVAL, "no member \"%s\" in the zip file", name);
	if ((zs.valid & ZIP_STAT_SIZE) && zs.size > max)
		return vb_error_set(err, VB_ETOOBIG, "member \"%s\" is larger than %zu bytes",
				    name, max);
	if (!(zf = zip_fopen(z, name, 0)))
		return vb_error_set(err, VB_EINVAL, "could not open member \"%s\": %s",
				    name, zip_strerror(z));
	while ((r = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		if ((rc = vb_buf_append(&b, chunk, (size_t)r))) {
			if (rc == VB_ETOOBIG)
				vb_error_set(err, rc, "member \"%s\" is larger than %zu bytes", name, max);
			else
				vb_error_set(err, rc, "out of memory");
			goto out;
		}
	}
	if (r < 0) {
		rc = vb_error_set(err, VB_EINVAL, "could not read member \"%s\": %s",
				  name, zip_file_strerror(zf));
		goto out;
	}
	*len = b.len;
	if (!(*out = vb_buf_steal(&b)) && !(*out = strdup("")))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	zip_fclose(zf);
	vb_buf_dispose(&b);
	return rc;
}

static const char *detect_zip(const char *path)
{
	zip_t *z;
	int zerr = 0;
	const char *type = VB_MEDIA_ZIP;
	char *mt = NULL;
	size_t len;

	if (!(z = zip_open(path, ZIP_RDONLY, &zerr)))
		return VB_MEDIA_ZIP;
	if (zip_name_locate(z, "word/document.xml", 0) >= 0) {
		type = VB_MEDIA_DOCX;
	} else if (zip_read_member(z, "mimetype", 200, &mt, &len, NULL) == 0) {
		while (len && (mt[len - 1] == '\n' || mt[len - 1] == '\r' || mt[len - 1] == ' '))
			mt[--len] = '\0';
		if (!strcmp(mt, VB_MEDIA_ODT) && zip_name_locate(z, "content.xml", 0) >= 0)
			type = VB_MEDIA_ODT;
	} else if (zip_name_locate(z, "content.xml", 0) >= 0) {
		type = VB_MEDIA_ODT;
	}
	free(mt);
	zip_discard(z);
	return type;
}

static const char *detect_bytes(const char *s, size_t n)
{
	size_t i = 0, k, ctl = 0;

	if (n >= 5 && !memcmp(s, "%PDF-", 5))
		return VB_MEDIA_PDF;
	if (n >= 8 && !memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return VB_MEDIA_DOC;
	if (vb_rtf_is_rtf(s, n))
		return VB_MEDIA_RTF;
	if (memchr(s, '\0', n))
		return VB_MEDIA_OCTET;
	/* Text in a legacy 8-bit encoding (TCVN3, VNI) is still text: it is
	 * refused later as not UTF-8, with a clearer message.  Binary data has
	 * control characters. */
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
			ctl++;
	}
	if (ctl * 100 > n)
		return VB_MEDIA_OCTET;
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i < n && s[i] == '<' &&
	    (has_prefix_ci(s + i, n - i, "<!doctype html") || contains_ci(s + i, n - i, "<html") ||
	     contains_ci(s + i, n - i, "<body") || contains_ci(s + i, n - i, "<head")))
		return VB_MEDIA_HTML;
	return VB_MEDIA_TEXT;
}

int vb_extract_detect(const char *path, const char **media_type, vb_error *err)
{
	char buf[SNIFF_BYTES];
	ssize_t n;
	int fd;

	*media_type = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return vb_error_set(err, VB_EIO, "could not read file \"%s\": %s", path, strerror(errno));
	if (n >= 4 && !memcmp(buf, "PK\x03\x04", 4))
		*media_type = detect_zip(path);
	else
		*media_type = detect_bytes(buf, (size_t)n);
	return 0;
}

int vb_extract_supported(const char *media_type)
{
	return media_type && (!strcmp(media_type, VB_MEDIA_PDF) || !strcmp(media_type, VB_MEDIA_DOCX) ||
			      !strcmp(media_type, VB_MEDIA_ODT) || !strcmp(media_type, VB_MEDIA_HTML) ||
			      !strcmp(media_type, VB_MEDIA_TEXT) || !strcmp(media_type, VB_MEDIA_DOC) ||
			      !strcmp(media_type, VB_MEDIA_RTF));
}

/* ---- output tidying --------------------------------------------------- */

/* Append a newline unless the text is empty or already ends with one. */
static int ensure_newline(vb_buf *b)
{
	if (b->len == 0 || b->data[b->len - 1] == '\n')
		return 0;
	return vb_buf_putc(b, '\n');
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

/* ---- XML walkers ------------------------------------------------------ */

struct walk {
	vb_buf *out;
	int rc;
	int pre; /* HTML: inside <pre> */
};

static void walk_put(struct walk *w, const char *s, size_t n)
{
	if (!w->rc)
		w->rc = vb_buf_append(w->out, s, n);
}

static int ns_is(const xmlNode *n, const char *href)
{
	return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, href);
}

static int name_is(const xmlNode *n, const char *name)
{
	return !strcmp((const char *)n->name, name);
}

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

static void walk_docx(struct walk *w, xmlNode *n, int in_t, int depth)
{
	for (; n && !w->rc; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && in_t) {
			if (n->content)
				walk_put(w, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
			continue;
		if (ns_is(n, W_NS)) {
			if (name_is(n, "delText") || name_is(n, "instrText"))
				continue;
			if (name_is(n, "tab")) {
				walk_put(w, "\t", 1);
				continue;
			}
			if (name_is(n, "br") || name_is(n, "cr")) {
				walk_put(w, "\n", 1);
				continue;
			}
			if (name_is(n, "noBreakHyphen")) {
				walk_put(w, "-", 1);
				continue;
			}
			if (name_is(n, "t")) {
				walk_docx(w, n->children, 1, depth + 1);
				continue;
			}
		}
		walk_docx(w, n->children, in_t, depth + 1);
		if (ns_is(n, W_NS) && name_is(n, "p"))
			walk_put(w, "\n", 1);
	}
}

static void walk_odt(struct walk *w, xmlNode *n, int in_p, int depth)
{
	for (; n && !w->rc; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && in_p) {
			if (n->content)
				walk_put(w, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
			continue;
		if (ns_is(n, OFFICE_NS) && name_is(n, "annotation"))
			continue;
		if (ns_is(n, TEXT_NS)) {
			if (name_is(n, "tab")) {
				walk_put(w, "\t", 1);
				continue;
			}
			if (name_is(n, "line-break")) {
				walk_put(w, "\n", 1);
				continue;
			}
			if (name_is(n, "s")) {
				xmlChar *c = xmlGetNsProp(n, (const xmlChar *)"c", (const xmlChar *)TEXT_NS);
				long k = c ? strtol((const char *)c, NULL, 10) : 1;

				xmlFree(c);
				if (k < 1)
					k = 1;
				if (k > 100)
					k = 100;
				while (k-- > 0)
					walk_put(w, " ", 1);
				continue;
			}
			if (name_is(n, "p") || name_is(n, "h")) {
				walk_odt(w, n->children, 1, depth + 1);
				walk_put(w, "\n", 1);
				continue;
			}
		}
		walk_odt(w, n->children, in_p, depth + 1);
	}
}

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
static void html_text(struct walk *w, const char *s)
{
	if (w->pre) {
		walk_put(w, s, strlen(s));
		return;
	}
	while (*s && !w->rc) {
		size_t n = strcspn(s, " \t\r\n\f");

		walk_put(w, s, n);
		s += n;
		if (*s) {
			s += strspn(s, " \t\r\n\f");
			if (w->out->len && w->out->data[w->out->len - 1] != '\n' &&
			    w->out->data[w->out->len - 1] != ' ' && w->out->data[w->out->len - 1] != '\t')
				walk_put(w, " ", 1);
		}
	}
}

static void walk_html(struct walk *w, xmlNode *n, int depth)
{
	for (; n && !w->rc; n = n->next) {
		const char *name;
		int block, was_pre;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(w, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
			continue;
		name = (const char *)n->name;
		if (html_skipped(name))
			continue;
		if (!strcasecmp(name, "br")) {
			walk_put(w, "\n", 1);
			continue;
		}
		block = html_block(name);
		if (block && !w->rc)
			w->rc = ensure_newline(w->out);
		was_pre = w->pre;
		if (!strcasecmp(name, "pre"))
			w->pre = 1;
		walk_html(w, n->children, depth + 1);
		w->pre = was_pre;
		if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
			walk_put(w, "\t", 1);
		if (block && !w->rc)
			w->rc = ensure_newline(w->out);
	}
}

/* ---- extractors ------------------------------------------------------- */

static int extract_office(const char *path, int odt, vb_buf *out, vb_error *err)
{
	const char *member = odt ? "content.xml" : "word/document.xml";
	zip_t *z = NULL;
	xmlDoc *doc = NULL;
	char *xml = NULL;
	size_t len;
	int zerr = 0, rc;
	struct walk w = { out, 0, 0 };

	if (!(z = zip_open(path, ZIP_RDONLY, &zerr))) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerr);
		rc = vb_error_set(err, VB_EINVAL, "could not open %s file \"%s\": %s",
				  odt ? "ODT" : "DOCX", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	if ((rc = zip_read_member(z, member, VB_EXTRACT_MAX_XML, &xml, &len, err))) {
		vb_error_prefix(err, "could not read %s file \"%s\"", odt ? "ODT" : "DOCX", path);
		goto out;
	}
	if (memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8)) {
		rc = vb_error_set(err, VB_EINVAL, "could not read %s file \"%s\": %s declares a DTD",
				  odt ? "ODT" : "DOCX", path, member);
		goto out;
	}
	if (len > INT_MAX ||
	    !(doc = xmlReadMemory(xml, (int)len, member, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING))) {
		rc = vb_error_set(err, VB_EINVAL, "could not read %s file \"%s\": %s is not well-formed XML",
				  odt ? "ODT" : "DOCX", path, member);
		goto out;
	}
	if (odt)
		walk_odt(&w, xmlDocGetRootElement(doc), 0, 0);
	else
		walk_docx(&w, xmlDocGetRootElement(doc), 0, 0);
	if ((rc = w.rc))
		vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
out:
	xmlFreeDoc(doc);
	free(xml);
	zip_discard(z);
	return rc;
}

static int extract_html(const char *path, vb_buf *out, vb_error *err)
{
	char *data = NULL;
	size_t len;
	htmlDocPtr doc = NULL;
	struct walk w = { out, 0, 0 };
	int rc;

	if ((rc = read_file(path, VB_EXTRACT_MAX_INPUT, &data, &len, err)))
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

static int extract_txt(const char *path, vb_buf *out, vb_error *err)
{
	char *data = NULL, *converted = NULL;
	size_t len;
	int rc;

	if ((rc = read_file(path, VB_EXTRACT_MAX_INPUT, &data, &len, err)))
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

/* A reader of a whole file in memory: its text as a new string in *text. */
typedef int (*bytes_reader)(const char *data, size_t len, char **text, vb_error *err);

/* Read path (at most max bytes), turn it into text with reader and append
 * that to out. */
static int extract_bytes(const char *path, size_t max, bytes_reader reader, vb_buf *out,
			 vb_error *err)
{
	char *data = NULL, *text = NULL;
	size_t len;
	int rc;

	if ((rc = read_file(path, max, &data, &len, err)))
		return rc;
	if ((rc = reader(data, len, &text, err))) {
		vb_error_prefix(err, "file \"%s\"", path);
		goto out;
	}
	if ((rc = vb_buf_puts(out, text)))
		vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
out:
	free(text);
	free(data);
	return rc;
}

static int msdoc_reader(const char *data, size_t len, char **text, vb_error *err)
{
	int legacy = 0;

	return vb_msdoc_text((const unsigned char *)data, len, text, &legacy, err);
}

/* Word 97-2003 and Word 6/95 binary documents (lib/msdoc.c). */
static int extract_doc(const char *path, vb_buf *out, vb_error *err)
{
	return extract_bytes(path, VB_EXTRACT_MAX_BINARY, msdoc_reader, out, err);
}

/* Rich Text Format (lib/rtf.c). */
static int extract_rtf(const char *path, vb_buf *out, vb_error *err)
{
	return extract_bytes(path, VB_EXTRACT_MAX_INPUT, vb_rtf_text, out, err);
}

/* Text typed in a .VnTime (TCVN3) or VNI font comes out of every reader as
 * Windows-1252 look-alikes ("S¾C LÖNH"): repair those paragraphs, and
 * capitals-font headings, in place. */
static int fix_legacy(vb_buf *out, vb_error *err)
{
	char *fixed = NULL;
	int changed = 0, rc;

	if (!out->len)
		return 0;
	if ((rc = vb_legacy_fix_text(out->data, out->len, &fixed, &changed, err)))
		return rc;
	vb_buf_reset(out);
	rc = vb_buf_puts(out, fixed);
	free(fixed);
	return rc;
}

/* A complete PDF ends with "%%EOF" (followed by at most some white space or
 * junk): without it the file was cut, and poppler would silently rebuild
 * whatever part it can read. */
static int pdf_complete(const char *path)
{
	char tail[1024];
	struct stat st;
	off_t off;
	ssize_t n;
	int fd, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	off = st.st_size > (off_t)sizeof(tail) ? st.st_size - (off_t)sizeof(tail) : 0;
	n = pread(fd, tail, sizeof(tail), off);
	close(fd);
	ok = n > 0 && memmem(tail, (size_t)n, "%%EOF", 5) != NULL;
	return ok;
}

static int extract_pdf(const char *path, vb_buf *out, vb_error *err)
{
	PopplerDocument *doc = NULL;
	GError *gerr = NULL;
	char real[PATH_MAX];
	gchar *uri = NULL;
	int pages, i, rc = 0;

	if (!realpath(path, real))
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	if (!pdf_complete(real))
		return vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": %s", path,
				    "file is truncated (no %%EOF marker at the end)");
	if (!(uri = g_filename_to_uri(real, NULL, &gerr))) {
		rc = vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path,
				  gerr ? gerr->message : "bad file name");
		goto out;
	}
	if (!(doc = poppler_document_new_from_file(uri, NULL, &gerr))) {
		rc = vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": %s", path,
				  gerr ? gerr->message : "unknown error");
		goto out;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages > VB_EXTRACT_MAX_PAGES) {
		rc = vb_error_set(err, VB_ETOOBIG, "PDF \"%s\" has %d pages, more than the limit of %d",
				  path, pages, VB_EXTRACT_MAX_PAGES);
		goto out;
	}
	for (i = 0; i < pages && !rc; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t;

		if (!page) {
			rc = vb_error_set(err, VB_EINVAL, "could not read PDF \"%s\": page %d is broken",
					  path, i + 1);
			break;
		}
		t = poppler_page_get_text(page);
		if (t && (rc = vb_buf_puts(out, t)) == 0 && i + 1 < pages)
			rc = ensure_newline(out);
		if (rc)
			vb_error_set(err, rc, "text of \"%s\" is larger than %zu bytes", path, out->max);
		g_free(t);
		g_object_unref(page);
	}
out:
	if (gerr)
		g_error_free(gerr);
	g_free(uri);
	if (doc)
		g_object_unref(doc);
	return rc;
}

int vb_extract_text_inprocess(const char *path, const char *media_type,
			      char **text_out, size_t *len_out, vb_error *err)
{
	const char *detected = NULL;
	vb_buf out;
	int rc;

	*text_out = NULL;
	if (len_out)
		*len_out = 0;
	vb_buf_init(&out, VB_EXTRACT_MAX_TEXT);
	if ((rc = vb_extract_detect(path, &detected, err)))
		return rc;
	if (media_type && !strcmp(detected, VB_MEDIA_TEXT) && !strcmp(media_type, VB_MEDIA_HTML))
		detected = VB_MEDIA_HTML;
	if (!strcmp(detected, VB_MEDIA_PDF))
		rc = extract_pdf(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_DOCX))
		rc = extract_office(path, 0, &out, err);
	else if (!strcmp(detected, VB_MEDIA_ODT))
		rc = extract_office(path, 1, &out, err);
	else if (!strcmp(detected, VB_MEDIA_HTML))
		rc = extract_html(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_TEXT))
		rc = extract_txt(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_DOC))
		rc = extract_doc(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_RTF))
		rc = extract_rtf(path, &out, err);
	else
		rc = vb_error_set(err, VB_EUNSUPPORTED, "file \"%s\" has an unsupported type (%s)",
				  path, detected);
	if (!rc)
		rc = fix_legacy(&out, err);
	if (rc) {
		vb_buf_dispose(&out);
		return rc;
	}
	if (len_out)
		*len_out = out.len;
	if (!(*text_out = vb_buf_steal(&out)) && !(*text_out = strdup("")))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	return 0;
}

/* ---- the child process ------------------------------------------------ */

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void child_run(int fd, const char *path, const char *media_type)
{
	struct rlimit rl;
	char *text = NULL;
	size_t len = 0;
	vb_error err;
	const char *selftest;
	int rc, devnull;

	if (!getenv("VANBAN_EXTRACT_DEBUG") && (devnull = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(devnull, 2); /* poppler chatters about broken files on stderr */
		close(devnull);
	}
	rl.rlim_cur = VB_EXTRACT_CPU_SECONDS;
	rl.rlim_max = VB_EXTRACT_CPU_SECONDS + 5;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef NO_ADDRESS_LIMIT
	rl.rlim_cur = rl.rlim_max = VB_EXTRACT_MAX_MEMORY;
	setrlimit(RLIMIT_AS, &rl);
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	alarm(VB_EXTRACT_WALL_SECONDS);

	/* Fault injection for the tests of the parent's handling of a child
	 * that dies or answers nonsense. */
	if ((selftest = getenv("VANBAN_EXTRACT_SELFTEST"))) {
		if (!strcmp(selftest, "crash"))
			abort();
		if (!strcmp(selftest, "garbage")) {
			write_all(fd, "X", 1);
			_exit(0);
		}
	}
	vb_error_clear(&err);
	rc = vb_extract_text_inprocess(path, media_type, &text, &len, &err);
	if (rc == 0) {
		if (write_all(fd, "T", 1) || write_all(fd, text, len))
			_exit(3);
	} else {
		int32_t code = rc;

		if (write_all(fd, "E", 1) || write_all(fd, &code, sizeof(code)) ||
		    write_all(fd, err.msg, strlen(err.msg)))
			_exit(3);
	}
	free(text);
	_exit(0);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int vb_extract_text(const char *path, const char *media_type_or_null, char **text_out,
		    char **media_type_out, vb_error *err)
{
	const char *detected = NULL;
	vb_buf in;
	int fds[2] = { -1, -1 }, rc = 0, status = 0, killed = 0;
	pid_t pid;
	double deadline;
	char chunk[65536];

	*text_out = NULL;
	if (media_type_out)
		*media_type_out = NULL;
	vb_buf_init(&in, VB_EXTRACT_MAX_TEXT + 1 + VB_ERROR_MSG_MAX);
	if ((rc = vb_extract_detect(path, &detected, err)))
		return rc;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return vb_error_set(err, VB_EAGAIN, "could not create a pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = vb_error_set(err, VB_EAGAIN, "could not start the extraction process: %s",
				  strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		close(fds[0]);
		child_run(fds[1], path, media_type_or_null);
	}
	close(fds[1]);
	deadline = now_seconds() + VB_EXTRACT_WALL_SECONDS + 5;
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		double left = deadline - now_seconds();
		ssize_t r;
		int p;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		p = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			continue; /* the deadline check above ends it */
		r = read(fds[0], chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (vb_buf_append(&in, chunk, (size_t)r)) {
			kill(pid, SIGKILL);
			rc = vb_error_set(err, VB_ETOOBIG, "text of \"%s\" is larger than %zu bytes",
					  path, VB_EXTRACT_MAX_TEXT);
			break;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc)
		goto out;
	if (killed) {
		rc = vb_error_set(err, VB_ETOOBIG, "extracting text from \"%s\" took longer than %d s",
				  path, VB_EXTRACT_WALL_SECONDS);
		goto out;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGXCPU || sig == SIGKILL)
			rc = vb_error_set(err, VB_ETOOBIG,
					  "extracting text from \"%s\" used more than %d s of CPU time",
					  path, VB_EXTRACT_CPU_SECONDS);
		else if (sig == SIGALRM)
			rc = vb_error_set(err, VB_ETOOBIG, "extracting text from \"%s\" took longer than %d s",
					  path, VB_EXTRACT_WALL_SECONDS);
		else
			rc = vb_error_set(err, VB_EINVAL,
					  "extracting text from \"%s\" failed: the extractor crashed (%s)",
					  path, strsignal(sig));
		goto out;
	}
	if (in.len >= 1 + sizeof(int32_t) && in.data[0] == 'E') {
		int32_t code;

		memcpy(&code, in.data + 1, sizeof(code));
		if (code >= 0 || code < VB_EUNSUPPORTED)
			code = VB_EINVAL;
		rc = vb_error_set(err, code, "%.*s", (int)(in.len - 1 - sizeof(code)),
				  in.data + 1 + sizeof(code));
		goto out;
	}
	if (in.len < 1 || in.data[0] != 'T' || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = vb_error_set(err, VB_EINVAL,
				  "extracting text from \"%s\" failed: the extractor ran out of memory or stopped",
				  path);
		goto out;
	}
	if (!(*text_out = vb_text_normalize(in.data + 1, in.len - 1))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if (media_type_out && !(*media_type_out = strdup(
			media_type_or_null && !strcmp(detected, VB_MEDIA_TEXT) &&
			!strcmp(media_type_or_null, VB_MEDIA_HTML) ? VB_MEDIA_HTML : detected))) {
		free(*text_out);
		*text_out = NULL;
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	}
out:
	vb_buf_dispose(&in);
	return rc;
}
