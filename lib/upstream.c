/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Upstream records with provenance and the HTML helpers of the upstream
 * parsers (see upstream.h).
 */
#include "upstream.h"

#include "date.h"
#include "docnum.h"
#include "text.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 256

int vb_html_parse(vb_html *h, const char *data, size_t len, vb_error *err)
{
	h->doc = NULL;
	h->xp = NULL;
	if (len > VB_UPSTREAM_MAX_PAGE || len > INT_MAX)
		return vb_error_set(err, VB_ETOOBIG, "page is larger than %zu bytes",
				    VB_UPSTREAM_MAX_PAGE);
	xmlInitParser();
	h->doc = htmlReadMemory(data, (int)len, NULL, "UTF-8",
				HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				HTML_PARSE_NOWARNING);
	if (!h->doc || !xmlDocGetRootElement(h->doc)) {
		vb_html_dispose(h);
		return vb_error_set(err, VB_EINVAL, "page is not HTML");
	}
	if (!(h->xp = xmlXPathNewContext(h->doc))) {
		vb_html_dispose(h);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	return 0;
}

void vb_html_dispose(vb_html *h)
{
	if (!h)
		return;
	if (h->xp)
		xmlXPathFreeContext(h->xp);
	if (h->doc)
		xmlFreeDoc(h->doc);
	h->xp = NULL;
	h->doc = NULL;
}

xmlXPathObjectPtr vb_html_find(vb_html *h, xmlNodePtr ctx, const char *xpath)
{
	xmlXPathObjectPtr o;

	h->xp->node = ctx ? ctx : xmlDocGetRootElement(h->doc);
	o = xmlXPathEvalExpression((const xmlChar *)xpath, h->xp);
	if (o && (!o->nodesetval || !o->nodesetval->nodeNr)) {
		xmlXPathFreeObject(o);
		o = NULL;
	}
	return o;
}

xmlNodePtr vb_html_first(vb_html *h, xmlNodePtr ctx, const char *xpath)
{
	xmlXPathObjectPtr o = vb_html_find(h, ctx, xpath);
	xmlNodePtr n;

	if (!o)
		return NULL;
	n = o->nodesetval->nodeTab[0];
	xmlXPathFreeObject(o);
	return n;
}

static int skipped(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       (!strcasecmp((const char *)n->name, "script") ||
		!strcasecmp((const char *)n->name, "style"));
}

static int gather(xmlNodePtr n, vb_buf *b, int depth)
{
	int rc;

	if (depth > MAX_DEPTH)
		return 0;
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && (rc = vb_buf_puts(b, (const char *)n->content)))
				return rc;
		} else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
			if ((rc = vb_buf_putc(b, ' ')) || (rc = gather(n->children, b, depth + 1)))
				return rc;
		}
	}
	return 0;
}

/* Normalise s and collapse white space runs to one space, trimmed. */
static char *tidy_line(const char *s, size_t len)
{
	char *t = vb_text_normalize(s, len), *r, *w;
	int space = 0;

	if (!t)
		return NULL;
	for (r = w = t; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' || *r == '\v') {
			space = w != t;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	return t;
}

char *vb_html_text(xmlNodePtr n)
{
	vb_buf b;
	char *t;

	vb_buf_init(&b, VB_UPSTREAM_MAX_TEXT);
	if (n && n->type == XML_ELEMENT_NODE)
		gather(n->children, &b, 0);
	else if (n && n->content)
		vb_buf_puts(&b, (const char *)n->content);
	t = tidy_line(b.data ? b.data : "", b.len);
	vb_buf_dispose(&b);
	return t;
}

static int is_block(const char *name)
{
	static const char *const blocks[] = { "p", "div", "br", "tr", "li", "h1", "h2", "h3",
					      "h4", "h5", "h6", "table", "ul", "ol", "blockquote",
					      "section", "article", "pre", "dd", "dt", NULL };
	size_t i;

	for (i = 0; blocks[i]; i++)
		if (!strcasecmp(name, blocks[i]))
			return 1;
	return 0;
}

static int blocks(xmlNodePtr n, vb_buf *b, int depth)
{
	int rc;

	if (depth > MAX_DEPTH)
		return 0;
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && (rc = vb_buf_puts(b, (const char *)n->content)))
				return rc;
		} else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
			int blk = is_block((const char *)n->name);

			if (!strcasecmp((const char *)n->name, "td") && (rc = vb_buf_putc(b, '\t')))
				return rc;
			if (blk && (rc = vb_buf_putc(b, '\f')))
				return rc;
			if ((rc = blocks(n->children, b, depth + 1)))
				return rc;
			if (blk && (rc = vb_buf_putc(b, '\f')))
				return rc;
		}
	}
	return 0;
}

int vb_html_block_text(xmlNodePtr n, vb_buf *out)
{
	vb_buf raw;
	const char *p, *end;
	int rc = 0, first = 1;

	vb_buf_init(&raw, VB_UPSTREAM_MAX_TEXT);
	if (n && (rc = blocks(n->children, &raw, 0)))
		goto out;
	p = raw.data ? raw.data : "";
	end = p + raw.len;
	/* '\f' marks block boundaries; every block becomes one line. */
	while (p < end) {
		const char *q = memchr(p, '\f', (size_t)(end - p));
		char *line;

		if (!q)
			q = end;
		if (!(line = tidy_line(p, (size_t)(q - p)))) {
			rc = VB_ENOMEM;
			goto out;
		}
		if (*line) {
			if (!first)
				rc = vb_buf_putc(out, '\n');
			if (!rc)
				rc = vb_buf_puts(out, line);
			first = 0;
		}
		free(line);
		if (rc)
			goto out;
		p = q + 1;
	}
out:
	vb_buf_dispose(&raw);
	return rc;
}

char *vb_html_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v;
	char *s;

	if (!n || !(v = xmlGetProp(n, (const xmlChar *)name)))
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

long vb_html_item_id(const char *href)
{
	const char *p;
	long v = 0;

	if (!href)
		return 0;
	p = strcasestr(href, "ItemID=");
	if (!p)
		return 0;
	for (p += 7; *p >= '0' && *p <= '9' && v < 1000000000L; p++)
		v = v * 10 + (*p - '0');
	return v;
}

json_t *vb_upstream_record_new(const char *source, const char *page, const char *url)
{
	return json_pack("{s:s, s:s, s:s?, s:{}, s:[], s:[], s:[]}", "source", source, "page",
			 page, "url", url, "fields", "signers", "attachments", "warnings");
}

int vb_upstream_set(json_t *rec, const char *name, const char *value)
{
	json_t *f;

	if (!value || !*value)
		return 0;
	f = json_pack("{s:s, s:O, s:O}", "value", value, "source",
		      json_object_get(rec, "source"), "url", json_object_get(rec, "url"));
	if (!f)
		return VB_ENOMEM;
	if (!json_object_get(f, "url"))
		json_object_set_new(f, "url", json_null());
	return json_object_set_new(json_object_get(rec, "fields"), name, f) ? VB_ENOMEM : 0;
}

const char *vb_upstream_get(const json_t *rec, const char *name)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(rec, "fields"), name), "value"));
}

void vb_upstream_warn(json_t *rec, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(json_object_get(rec, "warnings"), json_string(msg));
}

static void append_all(json_t *into, const json_t *from, const char *key)
{
	json_t *a = json_object_get(into, key), *b = json_object_get(from, key);

	if (json_is_array(a) && json_is_array(b))
		json_array_extend(a, b);
}

int vb_upstream_merge(json_t *into, const json_t *from)
{
	json_t *fi = json_object_get(into, "fields"), *ff = json_object_get(from, "fields");
	const char *k;
	json_t *v;

	json_object_foreach(ff, k, v)
		if (!json_object_get(fi, k) && json_object_set(fi, k, v))
			return VB_ENOMEM;
	append_all(into, from, "signers");
	append_all(into, from, "attachments");
	append_all(into, from, "warnings");
	return 0;
}

static int set_date(char out[VB_DATE_LEN], const char *v)
{
	if (!v || vb_date_parse(v, out, NULL))
		out[0] = '\0';
	return 0;
}

int vb_upstream_to_document(const json_t *rec, vb_document *doc, vb_error *err)
{
	const char *num = vb_upstream_get(rec, "number"), *st = vb_upstream_get(rec, "status");
	const char *fields = vb_upstream_get(rec, "fields");
	json_t *s;
	size_t i;

	if (vb_strset(&doc->number, num) || vb_strset(&doc->form, vb_upstream_get(rec, "form")) ||
	    vb_strset(&doc->issuer, vb_upstream_get(rec, "issuer")) ||
	    vb_strset(&doc->abstract, vb_upstream_get(rec, "abstract")) ||
	    vb_strset(&doc->status, st ? st : VB_STATUS_UNKNOWN))
		goto nomem;
	free(doc->number_canonical);
	doc->number_canonical = num ? vb_docnum_canonical(num) : NULL;
	set_date(doc->issue_date, vb_upstream_get(rec, "issue_date"));
	if (!doc->issue_date[0])
		set_date(doc->issue_date, vb_upstream_get(rec, "attested_date"));
	set_date(doc->effective_date, vb_upstream_get(rec, "effective_date"));
	set_date(doc->expiry_date, vb_upstream_get(rec, "expiry_date"));
	if (doc->expiry_date[0] && doc->effective_date[0] &&
	    strcmp(doc->expiry_date, doc->effective_date) < 0)
		doc->expiry_date[0] = '\0';
	json_array_foreach(json_object_get(rec, "signers"), i, s) {
		const char *name = json_string_value(json_object_get(s, "name"));

		if (name && *name &&
		    vb_document_add_signer(doc, name, json_string_value(json_object_get(s, "title"))))
			goto nomem;
	}
	if (fields) {
		const char *p = fields;

		while (*p) {
			const char *q = strstr(p, "; ");
			size_t n = q ? (size_t)(q - p) : strlen(p);
			char *one = strndup(p, n);

			if (!one || vb_document_add_field(doc, one)) {
				free(one);
				goto nomem;
			}
			free(one);
			p += n;
			if (q)
				p += 2;
		}
	}
	return 0;
nomem:
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}
