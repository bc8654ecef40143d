/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text of office documents (part of text extraction, contract in
 * extract.h): DOCX and ODT (libzip + libxml2), the type of a zip file
 * (DOCX, ODT or a plain zip), Word 97-2003 and 6/95 .doc (lib/msdoc.c) and
 * RTF (lib/rtf.c).
 *
 * XML parts of DOCX/ODT are parsed without network access, without DTD
 * loading and without entity substitution; a part that declares a DTD is
 * refused outright (office files never carry one).
 */
#include "extract_int.h"
#include "msdoc.h"
#include "rtf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

/* ---- zip files -------------------------------------------------------- */

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

const char *extract_zip_type(const char *path)
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

/* ---- XML walkers ------------------------------------------------------ */

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

static void walk_docx(struct extract_walk *w, xmlNode *n, int in_t, int depth)
{
	for (; n && !w->rc; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && in_t) {
			if (n->content)
				extract_walk_put(w, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > EXTRACT_MAX_DEPTH)
			continue;
		if (ns_is(n, W_NS)) {
			if (name_is(n, "delText") || name_is(n, "instrText"))
				continue;
			if (name_is(n, "tab")) {
				extract_walk_put(w, "\t", 1);
				continue;
			}
			if (name_is(n, "br") || name_is(n, "cr")) {
				extract_walk_put(w, "\n", 1);
				continue;
			}
			if (name_is(n, "noBreakHyphen")) {
				extract_walk_put(w, "-", 1);
				continue;
			}
			if (name_is(n, "t")) {
				walk_docx(w, n->children, 1, depth + 1);
				continue;
			}
		}
		walk_docx(w, n->children, in_t, depth + 1);
		if (ns_is(n, W_NS) && name_is(n, "p"))
			extract_walk_put(w, "\n", 1);
	}
}

static void walk_odt(struct extract_walk *w, xmlNode *n, int in_p, int depth)
{
	for (; n && !w->rc; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && in_p) {
			if (n->content)
				extract_walk_put(w, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > EXTRACT_MAX_DEPTH)
			continue;
		if (ns_is(n, OFFICE_NS) && name_is(n, "annotation"))
			continue;
		if (ns_is(n, TEXT_NS)) {
			if (name_is(n, "tab")) {
				extract_walk_put(w, "\t", 1);
				continue;
			}
			if (name_is(n, "line-break")) {
				extract_walk_put(w, "\n", 1);
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
					extract_walk_put(w, " ", 1);
				continue;
			}
			if (name_is(n, "p") || name_is(n, "h")) {
				walk_odt(w, n->children, 1, depth + 1);
				extract_walk_put(w, "\n", 1);
				continue;
			}
		}
		walk_odt(w, n->children, in_p, depth + 1);
	}
}

/* ---- extractors ------------------------------------------------------- */

int extract_office(const char *path, int odt, vb_buf *out, vb_error *err)
{
	const char *member = odt ? "content.xml" : "word/document.xml";
	zip_t *z = NULL;
	xmlDoc *doc = NULL;
	char *xml = NULL;
	size_t len;
	int zerr = 0, rc;
	struct extract_walk w = { out, 0, 0 };

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

	if ((rc = extract_read_file(path, max, &data, &len, err)))
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
int extract_doc(const char *path, vb_buf *out, vb_error *err)
{
	return extract_bytes(path, VB_EXTRACT_MAX_BINARY, msdoc_reader, out, err);
}

/* Rich Text Format (lib/rtf.c). */
int extract_rtf(const char *path, vb_buf *out, vb_error *err)
{
	return extract_bytes(path, VB_EXTRACT_MAX_INPUT, vb_rtf_text, out, err);
}
