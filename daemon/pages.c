/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server-rendered HTML pages, in Vietnamese, English and Chinese
 * (lib/i18n.h), that work without JavaScript: the search page (GET / and
 * GET /search, same parameters as the API plus lang=) with a labelled
 * search box, date inputs (issued from / to, in force on), facet links
 * that add or remove a filter and show counts, the
 * query's warnings and a "did you mean" link, results with their metadata
 * and snippet, paging links; and the document page (GET /documents/{id},
 * lang= only) with every field the portal regulation lists, the download
 * links, the full text, schema.org Legislation as JSON-LD and the source
 * line a reuser must cite.
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "document.h"
#include "i18n.h"
#include "log.h"
#include "workflow.h"

/* The head and the frame of a page. */
struct page_head {
	vb_lang lang;
	const char *title;
	const char *base;                     /* vb_public_base, or NULL */
	const char *canonical;                /* escaped path, or NULL */
	const char *lang_urls[VB_LANG_COUNT]; /* escaped URLs of the switcher */
	const char *feed;                     /* escaped Atom URL, or NULL */
	const char *jsonld;                   /* JSON (</ escaped), or NULL */
	const char *opensearch;               /* escaped URL; NULL: the default */
};

static void html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

static const char *T(vb_lang lang, vb_msg m)
{
	return vb_i18n(lang, m);
}

/* lang="vi" on data shown inside a page of another language. */
static const char *data_lang(vb_lang lang)
{
	return lang == VB_LANG_VI ? "" : " lang=\"vi\"";
}

/* The language of this request: lang= (already checked by the caller),
 * then Accept-Language, then the default. */
static vb_lang request_lang_in(vb_request *rq, const char *param, const char *portal_default)
{
	const char *al = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	vb_lang def = VB_LANG_VI;

	if (portal_default)
		vb_lang_parse(portal_default, &def);
	return vb_lang_choose(param, al, def);
}

static vb_lang request_lang(vb_request *rq, const char *param)
{
	return request_lang_in(rq, param, NULL);
}

static void date_html(vb_buf *b, vb_lang lang, const char *iso)
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

static void page_begin(vb_buf *b, const struct page_head *h)
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

static void page_end(vb_buf *b, vb_lang lang)
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
static enum MHD_Result send_html(vb_request *rq, unsigned status, vb_buf *b, int max_age)
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

static enum MHD_Result error_page(vb_request *rq, vb_lang lang, unsigned status,
				  const char *message)
{
	struct page_head h = { 0 };
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
	page_begin(&b, &h);
	vb_buf_puts(&b, "<h1>");
	html(&b, title);
	vb_buf_puts(&b, "</h1>\n<p>");
	html(&b, message);
	vb_buf_printf(&b, "</p>\n<p><a href=\"/?lang=%s\">", vb_lang_code(lang));
	html(&b, T(lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	page_end(&b, lang);
	ret = send_html(rq, status, &b, -1);
	vb_buf_dispose(&b);
	return ret;
}

/* workflow: the 410 page of a withdrawn document (info consumed). */
enum MHD_Result vb_page_withdrawn(vb_request *rq, json_t *info)
{
	const char *param = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
	vb_lang lang = request_lang(rq, param);
	struct page_head h = { 0 };
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
	page_begin(&b, &h);
	vb_buf_puts(&b, "<h1>");
	html(&b, T(lang, VB_MSG_WITHDRAWN_TITLE));
	vb_buf_puts(&b, "</h1>\n<p class=\"withdrawn\">");
	html(&b, msg);
	vb_buf_printf(&b, "</p>\n<p><a href=\"/?lang=%s\">", vb_lang_code(lang));
	html(&b, T(lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	page_end(&b, lang);
	ret = send_html(rq, MHD_HTTP_GONE, &b, -1);
	vb_buf_dispose(&b);
	json_decref(info);
	return ret;
}

enum MHD_Result vb_page_error(vb_request *rq, unsigned status, const char *message)
{
	const char *param = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
	vb_lang lang = request_lang(rq, param);
	int m;

	/* Callers write Vietnamese; a message of the catalogue is shown in
	 * the page's language. */
	for (m = 0; m < VB_MSG_COUNT && message; m++) {
		if (!strcmp(message, vb_i18n(VB_LANG_VI, (vb_msg)m))) {
			message = vb_i18n(lang, (vb_msg)m);
			break;
		}
	}
	return error_page(rq, lang, status, message);
}

/* ---- URLs of the search page ---- */

static void url_param(vb_buf *b, int *first, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	vb_buf_putc(b, *first ? '?' : '&');
	*first = 0;
	vb_buf_puts(b, key);
	vb_buf_putc(b, '=');
	for (p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			vb_buf_putc(b, (char)*p);
		else
			vb_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* The URL of p below path with one facet value toggled (field < 0: none),
 * page set (0: leave out), q replaced by q_other (NULL: p's own q) and
 * lang set to lang (NULL: p's own lang=, if any), HTML-escaped into out.
 * The ranking switches given are kept. */
static void params_url(vb_buf *out, const char *path, const vb_params *p, int field,
		       const char *value, size_t page, const char *q_other, const char *lang)
{
	const vb_search_req *r = &p->req;
	vb_buf u;
	char num[24];
	int first = 1, found = 0;
	size_t i;

	vb_buf_init(&u, 64 * 1024);
	vb_buf_puts(&u, path);
	if (q_other)
		url_param(&u, &first, "q", q_other);
	else if (r->q && *r->q)
		url_param(&u, &first, "q", r->q);
#define TOGGLE_LIST(F, KEY, ARR, N) \
	for (i = 0; i < r->N; i++) { \
		if (field == (F) && !strcmp(r->ARR[i], value)) { \
			found = 1; \
			continue; \
		} \
		url_param(&u, &first, KEY, r->ARR[i]); \
	} \
	if (field == (F) && !found) \
		url_param(&u, &first, KEY, value);
	TOGGLE_LIST(VB_FACET_FORM, "form", forms, n_forms)
	TOGGLE_LIST(VB_FACET_ISSUER, "issuer", issuers, n_issuers)
	found = 0;
	for (i = 0; i < r->n_years; i++) {
		snprintf(num, sizeof(num), "%d", r->years[i]);
		if (field == VB_FACET_YEAR && !strcmp(num, value)) {
			found = 1;
			continue;
		}
		url_param(&u, &first, "year", num);
	}
	if (field == VB_FACET_YEAR && !found)
		url_param(&u, &first, "year", value);
	found = 0;
	TOGGLE_LIST(VB_FACET_STATUS, "status", statuses, n_statuses)
#undef TOGGLE_LIST
	if (r->issued_from[0])
		url_param(&u, &first, "issued_from", r->issued_from);
	if (r->issued_to[0])
		url_param(&u, &first, "issued_to", r->issued_to);
	if (r->in_force_on[0]) /* relations */
		url_param(&u, &first, "in_force_on", r->in_force_on);
	if (r->sort == VB_SORT_ISSUED_ASC)
		url_param(&u, &first, "sort", "issued");
	else if (r->sort == VB_SORT_ISSUED_DESC)
		url_param(&u, &first, "sort", "-issued");
	if (p->prefer_in_force >= 0)
		url_param(&u, &first, "prefer_in_force", p->prefer_in_force ? "1" : "0");
	if (!p->synonyms)
		url_param(&u, &first, "synonyms", "0");
	if (p->per_page != VB_PARAMS_DEFAULT_PER_PAGE) {
		snprintf(num, sizeof(num), "%zu", p->per_page);
		url_param(&u, &first, "per_page", num);
	}
	if (page > 1) {
		snprintf(num, sizeof(num), "%zu", page);
		url_param(&u, &first, "page", num);
	}
	if (p->portal && *p->portal)
		url_param(&u, &first, "portal", p->portal);
	if (lang ? *lang : p->lang[0])
		url_param(&u, &first, "lang", lang ? lang : p->lang);
	vb_buf_put_html(out, u.data ? u.data : "", u.len);
	vb_buf_dispose(&u);
}

static void search_url(vb_buf *out, const vb_params *p, int field, const char *value,
		       size_t page, const char *q_other)
{
	params_url(out, "/search", p, field, value, page, q_other, NULL);
}

static int facet_active(const vb_search_req *r, int field, const char *value)
{
	size_t i;

	switch (field) {
	case VB_FACET_FORM:
		for (i = 0; i < r->n_forms; i++)
			if (!strcmp(r->forms[i], value))
				return 1;
		break;
	case VB_FACET_ISSUER:
		for (i = 0; i < r->n_issuers; i++)
			if (!strcmp(r->issuers[i], value))
				return 1;
		break;
	case VB_FACET_YEAR:
		for (i = 0; i < r->n_years; i++)
			if (r->years[i] == atoi(value))
				return 1;
		break;
	case VB_FACET_STATUS:
		for (i = 0; i < r->n_statuses; i++)
			if (!strcmp(r->statuses[i], value))
				return 1;
		break;
	}
	return 0;
}

static const vb_msg facet_titles[VB_FACET_COUNT] = {
	VB_MSG_FACET_FORM, VB_MSG_FACET_ISSUER, VB_MSG_FACET_YEAR, VB_MSG_FACET_STATUS
};

static void render_facets(vb_buf *b, const vb_search_page *sp, vb_lang lang)
{
	const vb_search_req *r = &sp->params.req;
	char num[32];
	int f;
	size_t i;

	vb_buf_puts(b, "<nav class=\"facets\" aria-labelledby=\"facets-h\">\n<h2 id=\"facets-h\">");
	html(b, T(lang, VB_MSG_FILTER_RESULTS));
	vb_buf_puts(b, "</h2>\n");
	for (f = 0; f < VB_FACET_COUNT; f++) {
		const vb_facet *fa = &sp->res.facets[f];

		if (!fa->n)
			continue;
		vb_buf_printf(b, "<section class=\"facet\" aria-labelledby=\"facet-%d\">"
			      "<h3 id=\"facet-%d\">", f, f);
		html(b, T(lang, facet_titles[f]));
		vb_buf_puts(b, "</h3>\n<ul>\n");
		for (i = 0; i < fa->n; i++) {
			const char *v = fa->values[i].value ? fa->values[i].value : "";
			int active = facet_active(r, f, v);

			vb_buf_puts(b, "<li><a href=\"");
			search_url(b, &sp->params, f, v, 0, NULL);
			vb_buf_printf(b, "\"%s>", active ?
				      " class=\"active\" aria-current=\"true\"" : "");
			vb_buf_puts(b, active ? "<span class=\"box\" aria-hidden=\"true\">☑</span> " :
				    "<span class=\"box\" aria-hidden=\"true\">☐</span> ");
			if (f == VB_FACET_STATUS) {
				html(b, vb_status_label(v, vb_lang_code(lang)));
			} else {
				vb_buf_printf(b, "<span%s>", f == VB_FACET_YEAR ? "" : data_lang(lang));
				html(b, v);
				vb_buf_puts(b, "</span>");
			}
			vb_buf_printf(b, " <span class=\"count\">(%s)</span>",
				      vb_i18n_number(lang, (long long)fa->values[i].count, num,
						     sizeof(num)));
			if (active) {
				vb_buf_puts(b, "<span class=\"visually-hidden\"> – ");
				html(b, T(lang, VB_MSG_REMOVE_FILTER));
				vb_buf_puts(b, "</span>");
			}
			vb_buf_puts(b, "</a></li>\n");
		}
		vb_buf_puts(b, "</ul></section>\n");
	}
	vb_buf_puts(b, "</nav>\n");
}

static void hidden_filters(vb_buf *b, const vb_search_req *r, vb_lang lang)
{
	size_t i;

	if (!r->n_forms && !r->n_issuers && !r->n_years && !r->n_statuses)
		return;
	vb_buf_puts(b, "<fieldset class=\"active-filters\"><legend>");
	html(b, T(lang, VB_MSG_ACTIVE_FILTERS));
	vb_buf_puts(b, "</legend>\n");
#define CHECK(KEY, VAL, LABEL) do { \
		vb_buf_puts(b, "<label><input type=\"checkbox\" name=\"" KEY "\" value=\""); \
		html(b, VAL); \
		vb_buf_puts(b, "\" checked> "); \
		html(b, LABEL); \
		vb_buf_puts(b, "</label>\n"); \
	} while (0)
	for (i = 0; i < r->n_forms; i++)
		CHECK("form", r->forms[i], r->forms[i]);
	for (i = 0; i < r->n_issuers; i++)
		CHECK("issuer", r->issuers[i], r->issuers[i]);
	for (i = 0; i < r->n_years; i++) {
		char y[16];

		snprintf(y, sizeof(y), "%d", r->years[i]);
		CHECK("year", y, y);
	}
	for (i = 0; i < r->n_statuses; i++)
		CHECK("status", r->statuses[i], vb_status_label(r->statuses[i], vb_lang_code(lang)));
#undef CHECK
	vb_buf_puts(b, "</fieldset>\n");
}

static void search_form(vb_buf *b, const vb_search_page *sp, vb_lang lang)
{
	const vb_search_req *r = &sp->params.req;

	vb_buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/search\">\n"
		    "<div class=\"row\"><label for=\"q\">");
	html(b, T(lang, VB_MSG_SEARCH_LABEL));
	vb_buf_puts(b, "</label>\n<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"1024\" "
		    "value=\"");
	html(b, r->q);
	vb_buf_puts(b, "\">\n<button type=\"submit\">");
	html(b, T(lang, VB_MSG_SEARCH_BUTTON));
	vb_buf_puts(b, "</button></div>\n<div class=\"row options\"><label for=\"issued_from\">");
	html(b, T(lang, VB_MSG_ISSUED_FROM));
	vb_buf_puts(b, "</label><input type=\"date\" id=\"issued_from\" name=\"issued_from\" value=\"");
	html(b, r->issued_from);
	vb_buf_puts(b, "\">\n<label for=\"issued_to\">");
	html(b, T(lang, VB_MSG_ISSUED_TO));
	vb_buf_puts(b, "</label><input type=\"date\" id=\"issued_to\" name=\"issued_to\" value=\"");
	html(b, r->issued_to);
	vb_buf_puts(b, "\">\n<label for=\"in_force_on\">");
	html(b, T(lang, VB_MSG_IN_FORCE_ON));
	vb_buf_puts(b, "</label><input type=\"date\" id=\"in_force_on\" name=\"in_force_on\" "
		    "value=\"");
	html(b, r->in_force_on);
	vb_buf_puts(b, "\">\n<label for=\"sort\">");
	html(b, T(lang, VB_MSG_SORT));
	vb_buf_printf(b, "</label><select id=\"sort\" name=\"sort\">"
		      "<option value=\"relevance\"%s>%s</option>"
		      "<option value=\"-issued\"%s>%s</option>"
		      "<option value=\"issued\"%s>%s</option></select></div>\n",
		      r->sort == VB_SORT_RELEVANCE ? " selected" : "",
		      T(lang, VB_MSG_SORT_RELEVANCE),
		      r->sort == VB_SORT_ISSUED_DESC ? " selected" : "", T(lang, VB_MSG_SORT_NEWEST),
		      r->sort == VB_SORT_ISSUED_ASC ? " selected" : "", T(lang, VB_MSG_SORT_OLDEST));
	hidden_filters(b, r, lang);
	/* Keep the ranking switches and the language a link brought, across a
	 * new search. */
	if (sp->params.prefer_in_force >= 0)
		vb_buf_printf(b, "<input type=\"hidden\" name=\"prefer_in_force\" value=\"%d\">\n",
			      sp->params.prefer_in_force);
	if (!sp->params.synonyms)
		vb_buf_puts(b, "<input type=\"hidden\" name=\"synonyms\" value=\"0\">\n");
	if (sp->params.lang[0])
		vb_buf_printf(b, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
			      sp->params.lang);
	if (sp->params.portal && *sp->params.portal) {
		vb_buf_puts(b, "<input type=\"hidden\" name=\"portal\" value=\"");
		html(b, sp->params.portal);
		vb_buf_puts(b, "\">\n");
	}
	vb_buf_puts(b, "</form>\n");
}

/* A string member of a hit's stored JSON, or NULL. */
static const char *hit_str(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

static void render_hit(vb_buf *b, const vb_hit *h, const char *snippet, vb_lang lang,
		       const char *lang_q)
{
	json_t *data = h->data ? json_loads(h->data, 0, NULL) : NULL;
	const char *number = hit_str(data, "number"), *form = hit_str(data, "form");
	const char *abstract = hit_str(data, "abstract"), *status = hit_str(data, "status");
	const char *dl = data_lang(lang);

	vb_buf_printf(b, "<li><article class=\"hit\">\n<h3%s><a href=\"/documents/%lld%s\">", dl,
		      (long long)h->id, lang_q);
	if (form) {
		html(b, form);
		vb_buf_putc(b, ' ');
	}
	if (number)
		html(b, number);
	else
		html(b, T(lang, VB_MSG_NO_NUMBER));
	vb_buf_puts(b, "</a></h3>\n");
	if (abstract) {
		vb_buf_printf(b, "<p class=\"abstract\"%s>", dl);
		html(b, abstract);
		vb_buf_puts(b, "</p>\n");
	}
	vb_buf_puts(b, "<dl class=\"meta\"><dt>");
	html(b, T(lang, VB_MSG_ISSUER));
	vb_buf_printf(b, "</dt><dd%s>", dl);
	html(b, hit_str(data, "issuer") ? hit_str(data, "issuer") : "—");
	vb_buf_puts(b, "</dd><dt>");
	html(b, T(lang, VB_MSG_ISSUE_DATE));
	vb_buf_puts(b, "</dt><dd>");
	date_html(b, lang, hit_str(data, "issue_date"));
	vb_buf_puts(b, "</dd><dt>");
	html(b, T(lang, VB_MSG_EFFECTIVE_DATE));
	vb_buf_puts(b, "</dt><dd>");
	date_html(b, lang, hit_str(data, "effective_date"));
	vb_buf_puts(b, "</dd><dt>");
	html(b, T(lang, VB_MSG_STATUS));
	vb_buf_puts(b, "</dt><dd>");
	html(b, status ? vb_status_label(status, vb_lang_code(lang)) : "—");
	vb_buf_puts(b, "</dd></dl>\n");
	if (snippet && *snippet) /* already escaped, with <mark> */
		vb_buf_printf(b, "<p class=\"snippet\"%s>%s</p>\n", dl, snippet);
	vb_buf_puts(b, "</article></li>\n");
	json_decref(data);
}

/* Vietnamese for the query warnings of lib/qparse.c: by code and, for
 * "syntax", by the start of the English message (which says what was
 * wrong); the first entry of a code with an empty prefix is its fallback.
 * English pages show the English message as it is; Chinese pages the
 * general text of the catalogue. */
static const struct {
	const char *code, *en, *vi;
} warning_vi[] = {
	{ "syntax", "a quote is not closed", "Thiếu dấu ngoặc kép đóng" },
	{ "syntax", "a parenthesis is not closed", "Thiếu dấu ngoặc đơn đóng" },
	{ "syntax", "a parenthesis is not opened", "Thiếu dấu ngoặc đơn mở" },
	{ "syntax", "empty parentheses", "Cặp ngoặc đơn không có nội dung" },
	{ "syntax", "AND needs", "AND cần có từ ở cả hai bên" },
	{ "syntax", "OR needs", "OR cần có từ ở cả hai bên" },
	{ "syntax", "NOT has nothing", "NOT không có từ nào để loại trừ" },
	{ "syntax", "a field has no value", "Trường tìm kiếm (ví dụ so:, nam:) chưa có giá trị" },
	{ "syntax", "a year is not valid", "Năm không hợp lệ (ví dụ nam:2023, nam:2020..2023)" },
	{ "syntax", "a date is not valid",
	  "Ngày không hợp lệ (ví dụ ngay:2023-01-01..2023-12-31)" },
	{ "syntax", "a status is not known",
	  "Tình trạng hiệu lực không xác định (ví dụ tinhtrang:\"còn hiệu lực\")" },
	{ "syntax", "the query is nested", "Các cặp ngoặc lồng nhau quá sâu" },
	{ "syntax", "", "Cú pháp truy vấn chưa đúng" },
	{ "truncated", "only the first", "Truy vấn có quá nhiều từ: chỉ tìm theo các từ đầu tiên." },
	{ "truncated", "", "Truy vấn quá dài: chỉ tìm theo phần đầu." },
};

static const char *warning_text(const char *code, const char *msg, int *plain)
{
	const char *fallback = NULL;
	size_t i;

	for (i = 0; i < sizeof(warning_vi) / sizeof(warning_vi[0]); i++) {
		if (strcmp(warning_vi[i].code, code))
			continue;
		if (!*warning_vi[i].en) {
			if (!fallback)
				fallback = warning_vi[i].vi;
		} else if (!strncmp(msg, warning_vi[i].en, strlen(warning_vi[i].en))) {
			fallback = warning_vi[i].vi;
			break;
		}
	}
	*plain = !strcmp(code, "syntax");
	return fallback ? fallback : vb_i18n(VB_LANG_VI, VB_MSG_QUERY_ADJUSTED);
}

/* The query's warnings, then "did you mean" as a link to that search. */
static void render_query_notes(vb_buf *b, const vb_search_page *sp, vb_lang lang)
{
	const vb_search_result *res = &sp->res;
	char num[32];
	size_t i;

	if (res->n_warnings) {
		vb_buf_puts(b, "<div class=\"notice query-warnings\" role=\"status\"><ul>\n");
		for (i = 0; i < res->n_warnings && i < VB_SEARCH_MAX_WARNINGS; i++) {
			int plain;
			const char *vi = warning_text(res->warnings[i].code, res->warnings[i].msg,
						      &plain);

			vb_buf_puts(b, "<li>");
			if (lang == VB_LANG_EN) {
				html(b, res->warnings[i].msg);
			} else if (lang == VB_LANG_ZH) {
				html(b, T(lang, plain ? VB_MSG_QUERY_ADJUSTED :
					  VB_MSG_QUERY_TRUNCATED));
			} else {
				html(b, vi);
				if (plain) {
					vb_buf_puts(b, ": ");
					html(b, T(lang, VB_MSG_QUERY_SYNTAX));
				}
			}
			vb_buf_puts(b, "</li>\n");
		}
		vb_buf_puts(b, "</ul></div>\n");
	}
	if (res->suggestion && *res->suggestion) {
		vb_buf_puts(b, "<p class=\"did-you-mean\">");
		html(b, T(lang, VB_MSG_DID_YOU_MEAN));
		vb_buf_puts(b, " <a href=\"");
		search_url(b, &sp->params, -1, NULL, 0, res->suggestion);
		vb_buf_printf(b, "\"%s>", data_lang(lang));
		html(b, res->suggestion);
		vb_buf_puts(b, "</a>");
		if (res->suggestion_total) {
			char n[64];

			vb_i18n_number(lang, (long long)res->suggestion_total, num, sizeof(num));
			vb_i18n_format(lang, VB_MSG_N_DOCUMENTS, n, sizeof(n), num, NULL);
			vb_buf_puts(b, " (");
			html(b, n);
			vb_buf_puts(b, ")");
		}
		vb_buf_puts(b, "?</p>\n");
	}
}

static void render_paging(vb_buf *b, const vb_search_page *sp, vb_lang lang)
{
	size_t total = sp->res.total, per = sp->params.per_page, page = sp->params.page;
	size_t pages = (total + per - 1) / per, max_pages = VB_PARAMS_MAX_WINDOW / per, p, lo, hi;

	if (pages > max_pages)
		pages = max_pages;
	if (pages <= 1)
		return;
	vb_buf_puts(b, "<nav class=\"paging\" aria-label=\"");
	html(b, T(lang, VB_MSG_PAGING));
	vb_buf_puts(b, "\"><ul>\n");
	if (page > 1) {
		vb_buf_puts(b, "<li><a rel=\"prev\" href=\"");
		search_url(b, &sp->params, -1, NULL, page - 1, NULL);
		vb_buf_puts(b, "\">");
		html(b, T(lang, VB_MSG_PREV));
		vb_buf_puts(b, "</a></li>\n");
	}
	lo = page > 5 ? page - 5 : 1;
	hi = lo + 9 < pages ? lo + 9 : pages;
	for (p = lo; p <= hi; p++) {
		if (p == page) {
			vb_buf_printf(b, "<li><span aria-current=\"page\">%zu</span></li>\n", p);
			continue;
		}
		vb_buf_puts(b, "<li><a href=\"");
		search_url(b, &sp->params, -1, NULL, p, NULL);
		vb_buf_printf(b, "\">%zu</a></li>\n", p);
	}
	if (page < pages) {
		vb_buf_puts(b, "<li><a rel=\"next\" href=\"");
		search_url(b, &sp->params, -1, NULL, page + 1, NULL);
		vb_buf_puts(b, "\">");
		html(b, T(lang, VB_MSG_NEXT));
		vb_buf_puts(b, "</a></li>\n");
	}
	vb_buf_puts(b, "</ul></nav>\n");
}

enum MHD_Result vb_page_search(vb_request *rq)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	vb_buf b, urls[VB_LANG_COUNT], canon, feed, osd;
	struct page_head h = { 0 };
	char num[3][32], text[256], lang_q[16] = "", base[VB_CONFIG_STR + 16];
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;
	vb_lang lang;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_buf_init(&canon, 64 * 1024);
	vb_buf_init(&feed, 64 * 1024);
	vb_buf_init(&osd, 1024);
	for (i = 0; i < VB_LANG_COUNT; i++)
		vb_buf_init(&urls[i], 64 * 1024);
	vb_search_page_init(&sp);
	rc = vb_search_page_parse(rq, &sp, &perr);
	if (rc == VB_ETOOBIG) {
		lang = request_lang(rq, NULL);
		ret = error_page(rq, lang, MHD_HTTP_URI_TOO_LONG, T(lang, VB_MSG_URL_TOO_LONG));
		goto out;
	}
	if (rc) {
		const char *lp = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
		char msg[400];

		lang = request_lang(rq, lp);
		vb_i18n_format(lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg), perr.parameter,
			       perr.message);
		ret = error_page(rq, lang, MHD_HTTP_BAD_REQUEST, msg);
		goto out;
	}
	lang = request_lang_in(rq, sp.params.lang, sp.portal.default_language);
	if (sp.params.lang[0])
		snprintf(lang_q, sizeof(lang_q), "?lang=%s", sp.params.lang);
	rc = vb_search_page_run(rq, &sp, &err);
	/* A number typed as the whole query that names exactly one document
	 * goes straight to it (See Other, so the back button returns here). */
	if (!rc && sp.n_number_match == 1 && sp.params.req.offset == 0) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
									     MHD_RESPMEM_PERSISTENT);
		char loc[64];

		snprintf(loc, sizeof(loc), "/documents/%lld%s", (long long)sp.number_match[0],
			 lang_q);
		if (resp)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, loc);
		ret = vb_http_send(rq, MHD_HTTP_SEE_OTHER, resp);
		goto out;
	}
	h.lang = lang;
	h.title = sp.params.req.q && *sp.params.req.q ? sp.params.req.q :
		T(lang, VB_MSG_SEARCH_TITLE);
	for (i = 0; i < VB_LANG_COUNT; i++) {
		params_url(&urls[i], "/search", &sp.params, -1, NULL, sp.params.page, NULL,
			   vb_lang_code((vb_lang)i));
		h.lang_urls[i] = vb_buf_str(&urls[i]);
	}
	params_url(&canon, "/search", &sp.params, -1, NULL, sp.params.page, NULL,
		   vb_lang_code(lang));
	vb_public_base(rq, base, sizeof(base));
	h.base = base;
	h.canonical = vb_buf_str(&canon);
	if (sp.params.req.q && *sp.params.req.q)
		params_url(&feed, "/feeds/search.atom", &sp.params, -1, NULL, 0, NULL, "");
	else
		vb_buf_puts(&feed, "/feeds/documents.atom");
	h.feed = vb_buf_str(&feed);
	if (sp.params.portal && *sp.params.portal) {
		vb_buf_puts(&osd, "/opensearch.xml?portal=");
		html(&osd, sp.params.portal); /* a slug: nothing to percent-encode */
		h.opensearch = vb_buf_str(&osd);
	}
	page_begin(&b, &h);
	vb_buf_puts(&b, "<h1>");
	html(&b, T(lang, VB_MSG_SEARCH_TITLE));
	vb_buf_puts(&b, "</h1>\n");
	search_form(&b, &sp, lang);
	if (rc) {
		status = rc == VB_EAGAIN ? MHD_HTTP_SERVICE_UNAVAILABLE :
			(unsigned)vb_code_http_status(rc);
		if (rc != VB_EAGAIN)
			vb_warn("search page: %s", err.msg);
		vb_buf_puts(&b, "<p class=\"notice\" role=\"alert\">");
		html(&b, T(lang, rc == VB_EAGAIN ? VB_MSG_INDEX_NOT_READY : VB_MSG_SEARCH_FAILED));
		vb_buf_puts(&b, "</p>\n");
		page_end(&b, lang);
		ret = send_html(rq, status, &b, -1); /* an error: never 200 */
		goto out;
	}
	vb_buf_puts(&b, "<div class=\"layout\">\n");
	render_facets(&b, &sp, lang);
	vb_buf_puts(&b, "<section class=\"results\" aria-labelledby=\"results-h\">\n"
		    "<h2 id=\"results-h\">");
	html(&b, T(lang, VB_MSG_RESULTS));
	vb_buf_puts(&b, "</h2>\n<p class=\"total\" role=\"status\">");
	vb_i18n_number(lang, (long long)sp.res.total, num[0], sizeof(num[0]));
	vb_i18n_format(lang, VB_MSG_FOUND, text, sizeof(text), "\x01", NULL);
	{
		/* The count in <strong>, where the language puts it. */
		char *mark = strchr(text, '\x01');

		if (mark)
			*mark = '\0';
		html(&b, text);
		vb_buf_printf(&b, "<strong>%s</strong>", num[0]);
		if (mark)
			html(&b, mark + 1);
	}
	if (sp.res.total && sp.res.n_hits) {
		vb_i18n_number(lang, (long long)sp.params.req.offset + 1, num[1], sizeof(num[1]));
		vb_i18n_number(lang, (long long)(sp.params.req.offset + sp.res.n_hits), num[2],
			       sizeof(num[2]));
		vb_i18n_format(lang, VB_MSG_SHOWING, text, sizeof(text), num[1], num[2]);
		vb_buf_puts(&b, " (");
		html(&b, text);
		vb_buf_puts(&b, ")");
	}
	vb_buf_puts(&b, lang == VB_LANG_ZH ? "。</p>\n" : ".</p>\n");
	render_query_notes(&b, &sp, lang);
	if (sp.res.relaxed) {
		vb_buf_puts(&b, "<p class=\"notice\">");
		html(&b, T(lang, VB_MSG_RELAXED));
		vb_buf_puts(&b, "</p>\n");
	}
	if (sp.res.n_hits) {
		vb_buf_printf(&b, "<ol class=\"hits\" start=\"%zu\">\n", sp.params.req.offset + 1);
		for (i = 0; i < sp.res.n_hits; i++)
			render_hit(&b, &sp.res.hits[i], sp.snippets ? sp.snippets[i] : NULL, lang,
				   lang_q);
		vb_buf_puts(&b, "</ol>\n");
	}
	render_paging(&b, &sp, lang);
	vb_buf_puts(&b, "</section>\n</div>\n");
	page_end(&b, lang);
	ret = send_html(rq, status, &b, VB_CACHE_SEARCH_AGE);
out:
	vb_search_page_dispose(&sp);
	for (i = 0; i < VB_LANG_COUNT; i++)
		vb_buf_dispose(&urls[i]);
	vb_buf_dispose(&osd);
	vb_buf_dispose(&feed);
	vb_buf_dispose(&canon);
	vb_buf_dispose(&b);
	return ret;
}

/* ---- document page ---- */

static void field_row(vb_buf *b, vb_lang lang, vb_msg label, const char *value, int is_data)
{
	vb_buf_puts(b, "<dt>");
	html(b, T(lang, label));
	vb_buf_printf(b, "</dt><dd%s>", is_data && value && *value ? data_lang(lang) : "");
	html(b, value && *value ? value : "—");
	vb_buf_puts(b, "</dd>\n");
}

static void date_row(vb_buf *b, vb_lang lang, vb_msg label, const char *iso)
{
	vb_buf_puts(b, "<dt>");
	html(b, T(lang, label));
	vb_buf_puts(b, "</dt><dd>");
	date_html(b, lang, iso);
	vb_buf_puts(b, "</dd>\n");
}

static void size_human(vb_buf *b, vb_lang lang, int64_t size)
{
	char s[32], *dot;

	if (size < 1024) {
		vb_buf_printf(b, "%lld B", (long long)size);
		return;
	}
	if (size < 1024 * 1024)
		snprintf(s, sizeof(s), "%.1f KB", (double)size / 1024);
	else
		snprintf(s, sizeof(s), "%.1f MB", (double)size / (1024 * 1024));
	if (lang == VB_LANG_VI && (dot = strchr(s, '.')))
		*dot = ','; /* decimal comma */
	vb_buf_puts(b, s);
}

/* schema.org Legislation of doc (https://schema.org/Legislation), as JSON
 * safe inside <script>: "</" written "<\/" (JSON_ESCAPE_SLASH).  NULL on
 * allocation failure.  Free with free(). */
static char *legislation_jsonld(const vb_document *doc, int64_t id, const char *base)
{
	json_t *o = json_object(), *enc = json_array();
	const char *force = NULL;
	char url[VB_CONFIG_STR + 96];
	char *s;
	size_t i;

	if (!o || !enc) {
		json_decref(o);
		json_decref(enc);
		return NULL;
	}
	json_object_set_new(o, "@context", json_string("https://schema.org"));
	json_object_set_new(o, "@type", json_string("Legislation"));
	snprintf(url, sizeof(url), "%s/documents/%lld", base, (long long)id);
	json_object_set_new(o, "@id", json_string(url));
	json_object_set_new(o, "url", json_string(url));
	if (doc->number)
		json_object_set_new(o, "legislationIdentifier", json_string(doc->number));
	if (doc->form)
		json_object_set_new(o, "legislationType", json_string(doc->form));
	if (doc->abstract) {
		json_object_set_new(o, "name", json_string(doc->abstract));
		json_object_set_new(o, "abstract", json_string(doc->abstract));
	}
	if (doc->issuer)
		json_object_set_new(o, "legislationPassedBy",
				    json_pack("{s:s, s:s}", "@type", "GovernmentOrganization",
					      "name", doc->issuer));
	if (doc->issue_date[0]) {
		json_object_set_new(o, "legislationDate", json_string(doc->issue_date));
		json_object_set_new(o, "datePublished", json_string(doc->issue_date));
	}
	if (doc->effective_date[0])
		json_object_set_new(o, "legislationDateVersion", json_string(doc->effective_date));
	if (doc->expiry_date[0])
		json_object_set_new(o, "expires", json_string(doc->expiry_date));
	if (doc->status) {
		if (!strcmp(doc->status, VB_STATUS_IN_FORCE))
			force = "https://schema.org/InForce";
		else if (!strcmp(doc->status, VB_STATUS_EXPIRED))
			force = "https://schema.org/NotInForce";
		else if (!strcmp(doc->status, VB_STATUS_PARTLY_EXPIRED))
			force = "https://schema.org/PartiallyInForce";
		if (force)
			json_object_set_new(o, "legislationLegalForce", json_string(force));
	}
	json_object_set_new(o, "legislationJurisdiction", json_string("VN-13"));
	json_object_set_new(o, "inLanguage",
			    json_string(doc->language && *doc->language ? doc->language : "vi"));
	for (i = 0; i < doc->n_files; i++) {
		snprintf(url, sizeof(url), "%s/api/v1/documents/%lld/files/%zu", base,
			 (long long)id, i);
		json_array_append_new(enc, json_pack("{s:s, s:s, s:s, s:I}", "@type",
						     "LegislationObject", "contentUrl", url,
						     "encodingFormat",
						     doc->files[i].media_type ?
						     doc->files[i].media_type :
						     "application/octet-stream",
						     "contentSize", (json_int_t)doc->files[i].size));
	}
	json_object_set_new(o, "encoding", enc);
	json_object_set_new(o, "sourceOrganization",
			    json_pack("{s:s, s:s}", "@type", "GovernmentOrganization", "name",
				      "Cổng thông tin điện tử tỉnh Quảng Ninh"));
	s = json_dumps(o, JSON_COMPACT | JSON_ESCAPE_SLASH);
	json_decref(o);
	return s;
}

struct lang_arg {
	const char *lang;
	char bad[40];
	int n_lang;
};

static enum MHD_Result doc_arg_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct lang_arg *la = cls;

	if (key && !strcmp(key, "lang")) {
		la->n_lang++;
		if (value && *value && strcmp(value, "vi") && strcmp(value, "en") &&
		    strcmp(value, "zh")) {
			snprintf(la->bad, sizeof(la->bad), "lang");
			return MHD_NO;
		}
		la->lang = value;
		if (la->n_lang > 1) {
			snprintf(la->bad, sizeof(la->bad), "lang");
			return MHD_NO;
		}
		return MHD_YES;
	}
	vb_params_key_shown(la->bad, sizeof(la->bad), key ? key : "");
	if (!la->bad[0])
		snprintf(la->bad, sizeof(la->bad), "?");
	return MHD_NO;
}

enum MHD_Result vb_page_document(vb_request *rq, int64_t id)
{
	vb_document doc;
	vb_store *st;
	vb_error err;
	vb_buf b, title;
	json_t *gone = NULL;
	struct page_head h = { 0 };
	struct lang_arg la = { NULL, "", 0 };
	char urls[VB_LANG_COUNT][64], canon[64], base[VB_CONFIG_STR + 16], *jsonld = NULL;
	enum MHD_Result ret;
	vb_lang lang;
	const char *dl, *lq;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_document_init(&doc);
	vb_buf_init(&title, 4096);
	vb_buf_init(&b, 0);
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, doc_arg_cb, &la);
	lang = request_lang(rq, la.lang);
	if (la.bad[0]) {
		char msg[200];

		vb_i18n_format(lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg), la.bad,
			       !strcmp(la.bad, "lang") ?
			       "lang must be one of vi, en, zh, given once" : "unknown parameter");
		ret = error_page(rq, lang, MHD_HTTP_BAD_REQUEST, msg);
		goto out;
	}
	lq = la.lang && *la.lang ? (lang == VB_LANG_EN ? "?lang=en" :
				    lang == VB_LANG_ZH ? "?lang=zh" : "?lang=vi") : "";
	dl = data_lang(lang);
	if (vb_withdrawn_check(rq, id, &gone)) { /* workflow: 410 with the reason */
		ret = vb_page_withdrawn(rq, gone);
		goto out;
	}
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_get_document(st, id, 1, &doc, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		if (rc == VB_ENOTFOUND) {
			ret = error_page(rq, lang, MHD_HTTP_NOT_FOUND, T(lang, VB_MSG_NOT_FOUND_DOC));
		} else {
			vb_warn("document page: %s", err.msg);
			ret = error_page(rq, lang, (unsigned)vb_code_http_status(rc),
					 T(lang, VB_MSG_DOC_UNAVAILABLE));
		}
		goto out;
	}
	if (!rq->head)
		vb_activity_count_view("", id); /* report: usage counters */
	/* Escaping can grow text up to 6 times ("&quot;"), so the page always
	 * fits. */
	vb_buf_init(&b, (doc.text ? strlen(doc.text) * 6 : 0) + 1024 * 1024);
	if (doc.form)
		vb_buf_printf(&title, "%s ", doc.form);
	vb_buf_puts(&title, doc.number ? doc.number : T(lang, VB_MSG_NO_NUMBER));
	h.lang = lang;
	h.title = vb_buf_str(&title);
	for (i = 0; i < VB_LANG_COUNT; i++) {
		snprintf(urls[i], sizeof(urls[i]), "/documents/%lld?lang=%s", (long long)id,
			 vb_lang_code((vb_lang)i));
		h.lang_urls[i] = urls[i];
	}
	/* The Vietnamese page without parameters is the canonical one of the
	 * original; the others are its alternates. */
	if (lang == VB_LANG_VI)
		snprintf(canon, sizeof(canon), "/documents/%lld", (long long)id);
	else
		snprintf(canon, sizeof(canon), "%s", urls[lang]);
	vb_public_base(rq, base, sizeof(base));
	h.base = base;
	h.canonical = canon;
	h.feed = "/feeds/documents.atom";
	jsonld = legislation_jsonld(&doc, id, base);
	h.jsonld = jsonld;
	page_begin(&b, &h);
	vb_buf_printf(&b, "<article class=\"document\">\n<h1%s>", dl);
	html(&b, vb_buf_str(&title));
	vb_buf_puts(&b, "</h1>\n");
	if (doc.abstract) {
		vb_buf_printf(&b, "<p class=\"abstract\"%s>", dl);
		html(&b, doc.abstract);
		vb_buf_puts(&b, "</p>\n");
	}
	vb_buf_puts(&b, "<p class=\"source-line\">");
	html(&b, T(lang, VB_MSG_SOURCE_LINE));
	vb_buf_puts(&b, "</p>\n<section aria-labelledby=\"props-h\"><h2 id=\"props-h\">");
	html(&b, T(lang, VB_MSG_PROPERTIES));
	vb_buf_puts(&b, "</h2>\n<dl class=\"props\">\n");
	field_row(&b, lang, VB_MSG_FORM, doc.form, 1);
	field_row(&b, lang, VB_MSG_ISSUER, doc.issuer, 1);
	field_row(&b, lang, VB_MSG_NUMBER, doc.number, 0);
	date_row(&b, lang, VB_MSG_ISSUE_DATE, doc.issue_date);
	date_row(&b, lang, VB_MSG_EFFECTIVE_DATE, doc.effective_date);
	date_row(&b, lang, VB_MSG_EXPIRY_DATE, doc.expiry_date);
	field_row(&b, lang, VB_MSG_ABSTRACT, doc.abstract, 1);
	vb_buf_puts(&b, "<dt>");
	html(&b, T(lang, VB_MSG_SIGNER));
	vb_buf_printf(&b, "</dt><dd%s>", doc.n_signers ? dl : "");
	if (!doc.n_signers)
		vb_buf_puts(&b, "—");
	for (i = 0; i < doc.n_signers; i++) {
		if (i)
			vb_buf_puts(&b, "; ");
		html(&b, doc.signers[i].name);
		if (doc.signers[i].title && *doc.signers[i].title) {
			vb_buf_puts(&b, " (");
			html(&b, doc.signers[i].title);
			vb_buf_puts(&b, ")");
		}
	}
	vb_buf_puts(&b, "</dd>\n<dt>");
	html(&b, T(lang, VB_MSG_FIELDS));
	vb_buf_printf(&b, "</dt><dd%s>", doc.n_fields ? dl : "");
	if (!doc.n_fields)
		vb_buf_puts(&b, "—");
	for (i = 0; i < doc.n_fields; i++) {
		if (i)
			vb_buf_puts(&b, ", ");
		html(&b, doc.fields[i]);
	}
	vb_buf_puts(&b, "</dd>\n");
	field_row(&b, lang, VB_MSG_STATUS, vb_status_label(doc.status, vb_lang_code(lang)), 0);
	vb_buf_puts(&b, "</dl>\n</section>\n");

	vb_buf_puts(&b, "<section aria-labelledby=\"files-h\"><h2 id=\"files-h\">");
	html(&b, T(lang, VB_MSG_FILES));
	vb_buf_puts(&b, "</h2>\n");
	if (!doc.n_files) {
		vb_buf_puts(&b, "<p>");
		html(&b, T(lang, VB_MSG_NO_FILES));
		vb_buf_puts(&b, "</p>\n");
	} else {
		vb_buf_puts(&b, "<ul class=\"files\">\n");
	}
	for (i = 0; i < doc.n_files; i++) {
		vb_buf_printf(&b, "<li><a href=\"/api/v1/documents/%lld/files/%zu\" download%s>",
			      (long long)id, i, dl);
		html(&b, doc.files[i].name ? doc.files[i].name : "file");
		vb_buf_puts(&b, "</a> <span class=\"size\">(");
		if (doc.files[i].media_type) {
			html(&b, doc.files[i].media_type);
			vb_buf_puts(&b, ", ");
		}
		size_human(&b, lang, doc.files[i].size);
		vb_buf_puts(&b, ")</span></li>\n");
	}
	if (doc.n_files)
		vb_buf_puts(&b, "</ul>\n");
	vb_buf_puts(&b, "</section>\n");
	vb_page_relations(&b, rq, id, vb_lang_code(lang)); /* relations: validity, timeline */
	vb_buf_puts(&b, "<section aria-labelledby=\"text-h\"><h2 id=\"text-h\">");
	html(&b, T(lang, VB_MSG_FULLTEXT));
	vb_buf_puts(&b, "</h2>\n");
	if (doc.text && *doc.text) {
		vb_buf_printf(&b, "<div class=\"fulltext\"%s>", dl);
		html(&b, doc.text);
		vb_buf_puts(&b, "</div>\n");
	} else {
		vb_buf_puts(&b, "<p>");
		html(&b, T(lang, VB_MSG_NO_FULLTEXT));
		vb_buf_puts(&b, "</p>\n");
	}
	vb_buf_printf(&b, "</section>\n</article>\n<p><a href=\"/%s\">", lq);
	html(&b, T(lang, VB_MSG_BACK));
	vb_buf_puts(&b, "</a></p>\n");
	page_end(&b, lang);
	ret = send_html(rq, MHD_HTTP_OK, &b, VB_CACHE_DOC_AGE);
out:
	free(jsonld);
	vb_buf_dispose(&b);
	vb_buf_dispose(&title);
	vb_document_dispose(&doc);
	return ret;
}
