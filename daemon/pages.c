/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The frame of the server-rendered HTML pages, in Vietnamese, English and
 * Chinese (lib/i18n.h), that work without JavaScript: the language of a
 * request, the head and the frame of a page, sending it, the error page,
 * and the 410 page of a withdrawn document.  The pages themselves are
 * page_search.c (GET / and GET /search) and page_document.c
 * (GET /documents/{id}); they share this frame through pages_int.h.
 *
 * Language: lang= when given, else Accept-Language, else the portal's
 * default (Vietnamese until portals carry one); answers say
 * "Vary: Accept-Language".  A 200 page is cacheable (ETag, 304 on
 * If-None-Match, max-age of the document or search routes, cache.c); error
 * pages are "no-cache".  Every page has a language switcher, a
 * canonical link, hreflang alternates, the Atom feed and the OpenSearch
 * description as <link>s, a skip link and landmarks (WCAG 2.1 AA, see
 * docs/widget.md).  Data (titles, issuers, text) keeps lang="vi" on pages
 * in another language.  Everything taken from data is escaped with
 * vb_buf_put_html; snippets come escaped from vb_snippet_make.
 */
#include "daemon.h"
#include "pages_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "workflow.h"

/* The language of this request: lang= (already checked by the caller),
 * then Accept-Language, then the default. */
vb_lang vb_page_lang_in(vb_request *rq, const char *param, const char *portal_default)
{
	const char *al = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	vb_lang def = VB_LANG_VI;

	if (portal_default)
		vb_lang_parse(portal_default, &def);
	return vb_lang_choose(param, al, def);
}

vb_lang vb_page_lang(vb_request *rq, const char *param)
{
	return vb_page_lang_in(rq, param, NULL);
}

void vb_page_date_html(vb_buf *b, vb_lang lang, const char *iso)
{
	char out[64];

	if (!iso || !*iso) {
		vb_buf_puts(b, "—");
		return;
	}
	vb_buf_puts(b, "<time datetime=\"");
	html(b, iso);
	vb_buf_puts(b, "\">");
	html(b, vb_i18n_date(lang, iso, out, sizeof(out)));
	vb_buf_puts(b, "</time>");
}

void vb_page_begin(vb_buf *b, const struct vb_page_head *h)
{
	vb_lang l = h->lang;
	int i;

	vb_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>", vb_lang_code(l));
	html(b, h->title);
	vb_buf_puts(b, " – ");
	html(b, T(l, VB_MSG_SITE_NAME));
	vb_buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
	if (h->canonical) {
		vb_buf_puts(b, "<link rel=\"canonical\" href=\"");
		html(b, h->base);
		vb_buf_printf(b, "%s\">\n", h->canonical);
	}
	for (i = 0; i < VB_LANG_COUNT; i++)
		if (h->lang_urls[i])
			vb_buf_printf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"%s\">\n",
				      vb_lang_code((vb_lang)i), h->lang_urls[i]);
	if (h->feed) {
		vb_buf_printf(b, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
		html(b, T(l, VB_MSG_FEED));
		vb_buf_printf(b, "\" href=\"%s\">\n", h->feed);
	}
	vb_buf_puts(b, "<link rel=\"search\" type=\"application/opensearchdescription+xml\" title=\"");
	html(b, T(l, VB_MSG_OPENSEARCH));
	vb_buf_printf(b, "\" href=\"%s\">\n", h->opensearch ? h->opensearch : "/opensearch.xml");
	if (h->jsonld)
		vb_buf_printf(b, "<script type=\"application/ld+json\">%s</script>\n", h->jsonld);
	vb_buf_puts(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	html(b, T(l, VB_MSG_SKIP));
	vb_buf_printf(b, "</a>\n<header class=\"site\">\n<p class=\"brand\"><a href=\"/?lang=%s\">",
		      vb_lang_code(l));
	html(b, T(l, VB_MSG_SITE_NAME));
	vb_buf_puts(b, "</a></p>\n<nav aria-label=\"");
	html(b, T(l, VB_MSG_NAV_MAIN));
	vb_buf_printf(b, "\"><ul><li><a href=\"/?lang=%s\">", vb_lang_code(l));
	html(b, T(l, VB_MSG_NAV_SEARCH));
	vb_buf_puts(b, "</a></li><li><a href=\"/api/v1/openapi.json\">API</a></li></ul></nav>\n");
	if (h->lang_urls[0]) {
		vb_buf_puts(b, "<nav class=\"langs\" aria-label=\"");
		html(b, T(l, VB_MSG_LANG_SWITCH));
		vb_buf_puts(b, "\"><ul>");
		for (i = 0; i < VB_LANG_COUNT; i++) {
			const char *code = vb_lang_code((vb_lang)i);

			vb_buf_printf(b, "<li><a href=\"%s\" lang=\"%s\" hreflang=\"%s\"%s>",
				      h->lang_urls[i], code, code,
				      i == (int)l ? " aria-current=\"true\"" : "");
			html(b, vb_lang_name((vb_lang)i));
			vb_buf_puts(b, "</a></li>");
		}
		vb_buf_puts(b, "</ul></nav>\n");
	}
	vb_buf_puts(b, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void vb_page_end(vb_buf *b, vb_lang lang)
{
	vb_buf_puts(b, "</main>\n<footer class=\"site\"><p class=\"source\">");
	html(b, T(lang, VB_MSG_SOURCE_LINE));
	vb_buf_puts(b, "</p><p>");
	html(b, T(lang, VB_MSG_FOOTER));
	vb_buf_puts(b, "</p></footer>\n</body>\n</html>\n");
}

/* Sends the page in b.  A 200 page is cacheable for max_age seconds with a
 * strong ETag (a matching If-None-Match gets 304, daemon/cache.c); error
 * pages and other statuses are sent with "no-cache". */
enum MHD_Result vb_page_send(vb_request *rq, unsigned status, vb_buf *b, int max_age)
{
	struct MHD_Response *resp;
	size_t len = b->len;
	char *s;

	if (status == MHD_HTTP_OK)
		return vb_cache_send_vary(rq, "text/html; charset=utf-8", vb_buf_str(b), len,
					  max_age, "Accept-Language");
	s = vb_buf_steal(b);
	if (!s)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	rq->bytes = (int64_t)len; /* access log */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Language");
	return vb_http_send(rq, status, resp);
}

enum MHD_Result vb_page_error_in(vb_request *rq, vb_lang lang, unsigned status,
				 const char *message)
{
	struct vb_page_head h = { 0 };
	vb_buf b;
	char title[64], code[16], urls[VB_LANG_COUNT][16];
	enum MHD_Result ret;
	int i;

	vb_buf_init(&b, 64 * 1024);
	snprintf(code, sizeof(code), "%u", status);
	vb_i18n_format(lang, VB_MSG_ERROR, title, sizeof(title), code, NULL);
	h.lang = lang;
	h.title = title;
	for (i = 0; i < VB_LANG_COUNT; i++) {
		snprintf(urls[i], sizeof(urls[i]), "/?lang=%s", vb_lang_code((vb_lang)i));
		h.lang_urls[i] = urls[i];
	}
	vb_page_begin(&b, &h);
	vb_buf_puts(&b, "<h1>");
	html(&b, title);
	vb_buf_puts(&b, "</h1>\n<p>");
	html(&b, message);
	vb_buf_printf(&b, "</p>\n<p><a href=\"/?lang=%s\">", vb_lang_code(lang));
	html(&b, T(lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	vb_page_end(&b, lang);
	ret = vb_page_send(rq, status, &b, -1);
	vb_buf_dispose(&b);
	return ret;
}

/* workflow: the 410 page of a withdrawn document (info consumed). */
enum MHD_Result vb_page_withdrawn(vb_request *rq, json_t *info)
{
	const char *param = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
	vb_lang lang = vb_page_lang(rq, param);
	struct vb_page_head h = { 0 };
	const char *reason = json_string_value(json_object_get(info, "reason"));
	const char *at = json_string_value(json_object_get(info, "withdrawn_at"));
	char date[11], msg[VB_WORKFLOW_REASON_MAX + 256], urls[VB_LANG_COUNT][48];
	int64_t id = json_integer_value(json_object_get(info, "id"));
	enum MHD_Result ret;
	vb_buf b;
	int i;

	snprintf(date, sizeof(date), "%s", at ? at : ""); /* the day of the ISO timestamp */
	vb_i18n_format(lang, VB_MSG_WITHDRAWN, msg, sizeof(msg), date, reason ? reason : "");
	vb_buf_init(&b, 64 * 1024);
	h.lang = lang;
	h.title = T(lang, VB_MSG_WITHDRAWN_TITLE);
	for (i = 0; i < VB_LANG_COUNT; i++) {
		snprintf(urls[i], sizeof(urls[i]), "/documents/%lld?lang=%s", (long long)id,
			 vb_lang_code((vb_lang)i));
		h.lang_urls[i] = urls[i];
	}
	vb_page_begin(&b, &h);
	vb_buf_puts(&b, "<h1>");
	html(&b, T(lang, VB_MSG_WITHDRAWN_TITLE));
	vb_buf_puts(&b, "</h1>\n<p class=\"withdrawn\">");
	html(&b, msg);
	vb_buf_printf(&b, "</p>\n<p><a href=\"/?lang=%s\">", vb_lang_code(lang));
	html(&b, T(lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	vb_page_end(&b, lang);
	ret = vb_page_send(rq, MHD_HTTP_GONE, &b, -1);
	vb_buf_dispose(&b);
	json_decref(info);
	return ret;
}

enum MHD_Result vb_page_error(vb_request *rq, unsigned status, const char *message)
{
	const char *param = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
	vb_lang lang = vb_page_lang(rq, param);
	int m;

	/* Callers write Vietnamese; a message of the catalogue is shown in
	 * the page's language. */
	for (m = 0; m < VB_MSG_COUNT && message; m++) {
		if (!strcmp(message, vb_i18n(VB_LANG_VI, (vb_msg)m))) {
			message = vb_i18n(lang, (vb_msg)m);
			break;
		}
	}
	return vb_page_error_in(rq, lang, status, message);
}
