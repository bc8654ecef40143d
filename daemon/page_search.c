/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML search page (GET / and GET /search, same parameters as the API
 * plus lang=), in the frame of pages.c: a labelled search box, date inputs
 * (issued from / to, in force on), facet links that add or remove a filter
 * and show counts, the query's warnings and a "did you mean" link, results
 * with their metadata and snippet, paging links.  Every link keeps the
 * search's filters, ranking switches, portal and language.  A number typed
 * as the whole query that names exactly one document goes straight to it.
 */
#include "daemon.h"
#include "pages_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "document.h"
#include "i18n.h"
#include "log.h"

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

static void render_hit(vb_buf *b, const vb_hit *h, json_t *data, const char *snippet,
		       vb_lang lang, const char *lang_q)
{
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
	vb_page_date_html(b, lang, hit_str(data, "issue_date"));
	vb_buf_puts(b, "</dd><dt>");
	html(b, T(lang, VB_MSG_EFFECTIVE_DATE));
	vb_buf_puts(b, "</dt><dd>");
	vb_page_date_html(b, lang, hit_str(data, "effective_date"));
	vb_buf_puts(b, "</dd><dt>");
	html(b, T(lang, VB_MSG_STATUS));
	vb_buf_puts(b, "</dt><dd>");
	html(b, status ? vb_status_label(status, vb_lang_code(lang)) : "—");
	vb_buf_puts(b, "</dd></dl>\n");
	if (snippet && *snippet) /* already escaped, with <mark> */
		vb_buf_printf(b, "<p class=\"snippet\"%s>%s</p>\n", dl, snippet);
	vb_buf_puts(b, "</article></li>\n");
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
	struct vb_page_head h = { 0 };
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
		lang = vb_page_lang(rq, NULL);
		ret = vb_page_error_in(rq, lang, MHD_HTTP_URI_TOO_LONG,
				       T(lang, VB_MSG_URL_TOO_LONG));
		goto out;
	}
	if (rc) {
		const char *lp = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
		char msg[400];

		lang = vb_page_lang(rq, lp);
		vb_i18n_format(lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg), perr.parameter,
			       perr.message);
		ret = vb_page_error_in(rq, lang, MHD_HTTP_BAD_REQUEST, msg);
		goto out;
	}
	lang = vb_page_lang_in(rq, sp.params.lang, sp.portal.default_language);
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
	vb_page_begin(&b, &h);
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
		vb_page_end(&b, lang);
		ret = vb_page_send(rq, status, &b, -1); /* an error: never 200 */
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
			render_hit(&b, &sp.res.hits[i], vb_search_page_hit(&sp, i),
				   sp.snippets ? sp.snippets[i] : NULL, lang, lang_q);
		vb_buf_puts(&b, "</ol>\n");
	}
	render_paging(&b, &sp, lang);
	vb_buf_puts(&b, "</section>\n</div>\n");
	vb_page_end(&b, lang);
	ret = vb_page_send(rq, status, &b, VB_CACHE_SEARCH_AGE);
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
