/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /opensearch.xml?portal=ID: the OpenSearch 1.1 description (owned by
 * discovery), application/opensearchdescription+xml, so browsers and
 * aggregators can add the portal's document search: Url templates for the
 * HTML search page (/search?q={searchTerms}), the Atom feed of a search
 * (/feeds/search.atom) and the JSON API (/api/v1/search), with paging
 * ({startPage?}, {count?}); InputEncoding UTF-8.  The parameters given
 * (portal=, lang=, and the filters of a search) are read by
 * vb_search_page_parse and carried into every template, so a portal's
 * description searches that portal's scope; q, page and per_page are the
 * templates' own and refused here.
 */
#include "daemon.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

#define OS_SHORT_NAME "Văn bản QN"  /* at most 16 characters (OpenSearch 1.1) */
#define OS_LONG_NAME "Cổng thông tin điện tử tỉnh Quảng Ninh" /* at most 48 */

/* Append at most max characters (not bytes) of s, XML-escaped. */
static int put_chars(vb_buf *b, const char *s, size_t max)
{
	char buf[256];
	size_t i = 0, chars = 0;

	while (s[i] && i < sizeof(buf) - 1) {
		size_t len = 1;

		if (((unsigned char)s[i] & 0xe0) == 0xc0)
			len = 2;
		else if (((unsigned char)s[i] & 0xf0) == 0xe0)
			len = 3;
		else if (((unsigned char)s[i] & 0xf8) == 0xf0)
			len = 4;
		if (chars == max || i + len >= sizeof(buf))
			break;
		i += len;
		chars++;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
	while (i && buf[i - 1] == ' ')
		buf[--i] = '\0';
	return vb_xml_put(b, buf);
}

struct extra_ctx {
	vb_buf *b;
	int rc;
};

/* "&key=value" for every parameter given (they are all search filters:
 * the handler refused q, page and per_page). */
static enum MHD_Result extra_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct extra_ctx *c = cls;

	if (!key || !value || !*value)
		return MHD_YES;
	if ((c->rc = vb_buf_putc(c->b, '&')) || (c->rc = vb_url_put_pct(c->b, key)) ||
	    (c->rc = vb_buf_putc(c->b, '=')) || (c->rc = vb_url_put_pct(c->b, value)))
		return MHD_NO;
	return MHD_YES;
}

static int put_url(vb_buf *b, const char *type, const char *base, const char *path,
		   const char *extra, const char *rel)
{
	vb_buf t;
	int rc;

	vb_buf_init(&t, 4 * VB_HTTP_MAX_URL);
	rc = vb_buf_printf(&t, "%s%s?q={searchTerms}&page={startPage?}&per_page={count?}%s",
			   base, path, extra);
	if (!rc)
		rc = vb_buf_printf(b, "<Url type=\"%s\" method=\"get\"%s%s%s template=\"", type,
				   rel ? " rel=\"" : "", rel ? rel : "", rel ? "\"" : "");
	if (!rc)
		rc = vb_xml_put(b, vb_buf_str(&t));
	if (!rc)
		rc = vb_buf_puts(b, "\"/>\n");
	vb_buf_dispose(&t);
	return rc;
}

enum MHD_Result vb_opensearch(vb_request *rq)
{
	static const char *const own[] = { "q", "page", "per_page", NULL };
	char base[VB_CONFIG_STR + 16];
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	vb_buf b, extra;
	struct extra_ctx ec;
	enum MHD_Result ret;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_search_page_init(&sp);
	vb_buf_init(&b, 64 * 1024);
	vb_buf_init(&extra, 2 * VB_HTTP_MAX_URL);
	for (i = 0; own[i]; i++)
		if (MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, own[i])) {
			char msg[128];

			snprintf(msg, sizeof(msg), "%s is a parameter of the search templates, "
				 "not of the description", own[i]);
			ret = vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", own[i], msg);
			goto out;
		}
	/* The same parameters as a search (portal= among them): validated
	 * here so a description never carries a template that fails. */
	if ((rc = vb_search_page_parse(rq, &sp, &perr))) {
		ret = vb_search_send_param_error(rq, rc, &perr);
		goto out;
	}
	ec.b = &extra;
	ec.rc = 0;
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, extra_cb, &ec);
	vb_public_base(rq, base, sizeof(base));
	rc = ec.rc;
	if (!rc)
		rc = vb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
				 "<ShortName>");
	/* A portal's own name when one is chosen (portal= or its domain). */
	if (!rc)
		rc = put_chars(&b, sp.portal.name[0] ? sp.portal.name : OS_SHORT_NAME, 16);
	if (!rc)
		rc = vb_buf_puts(&b, "</ShortName>\n<LongName>");
	if (!rc)
		rc = put_chars(&b, sp.portal.name[0] ? sp.portal.name : OS_LONG_NAME, 48);
	if (!rc)
		rc = vb_buf_puts(&b, "</LongName>\n<Description>Tìm kiếm văn bản quy phạm pháp luật "
				 "và văn bản chỉ đạo, điều hành trên ");
	if (!rc)
		rc = vb_xml_put(&b, sp.portal.name[0] ? sp.portal.name : OS_LONG_NAME);
	if (!rc)
		rc = vb_buf_puts(&b, "</Description>\n"
				 "<Tags>văn bản pháp luật Quảng Ninh</Tags>\n"
				 "<InputEncoding>UTF-8</InputEncoding>\n"
				 "<OutputEncoding>UTF-8</OutputEncoding>\n"
				 "<Language>vi</Language>\n"
				 "<Language>en</Language>\n"
				 "<Language>zh</Language>\n");
	if (!rc)
		rc = put_url(&b, "text/html", base, "/search", vb_buf_str(&extra), NULL);
	if (!rc)
		rc = put_url(&b, "application/atom+xml", base, "/feeds/search.atom",
			     vb_buf_str(&extra), NULL);
	if (!rc)
		rc = put_url(&b, "application/json", base, "/api/v1/search", vb_buf_str(&extra),
			     NULL);
	if (!rc)
		rc = vb_buf_puts(&b, "<Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"");
	if (!rc)
		rc = vb_xml_put(&b, base);
	if (!rc)
		rc = vb_buf_puts(&b, "/opensearch.xml");
	if (!rc && extra.len) {
		rc = vb_buf_puts(&b, "?");
		if (!rc)
			rc = vb_xml_put(&b, vb_buf_str(&extra) + 1);
	}
	if (!rc)
		rc = vb_buf_puts(&b, "\"/>\n<Attribution>Theo Cổng thông tin điện tử tỉnh "
				 "Quảng Ninh</Attribution>\n"
				 "<SyndicationRight>open</SyndicationRight>\n"
				 "<AdultContent>false</AdultContent>\n"
				 "</OpenSearchDescription>\n");
	if (rc) {
		vb_error_set(&err, VB_ENOMEM, "the OpenSearch description could not be built");
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	ret = vb_cache_send(rq, "application/opensearchdescription+xml; charset=utf-8",
			    vb_buf_str(&b), b.len, VB_CACHE_FEED_AGE);
out:
	vb_buf_dispose(&extra);
	vb_buf_dispose(&b);
	vb_search_page_dispose(&sp);
	return ret;
}
