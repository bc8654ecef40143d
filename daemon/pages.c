/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server-rendered HTML pages, in Vietnamese, that work without
 * JavaScript: the search page (GET / and GET /search, same parameters as
 * the API) with a labelled search box, facet links that add or remove a
 * filter and show counts, the query's warnings (in Vietnamese) and a "did
 * you mean" link, results with their metadata and snippet, paging links;
 * and the document page (GET /documents/{id}) with every field the
 * portal regulation lists, the download links and the full text.
 * Everything taken from data is escaped with vb_buf_put_html; snippets
 * come escaped from vb_snippet_make.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "document.h"
#include "log.h"

#define SITE_NAME "Cơ sở dữ liệu văn bản tỉnh Quảng Ninh"

static void html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

/* ISO date -> "dd/mm/yyyy" (as written in Vietnamese documents). */
static void date_vi(vb_buf *b, const char *iso)
{
	if (!iso || !*iso) {
		vb_buf_puts(b, "—");
		return;
	}
	if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
		vb_buf_printf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		html(b, iso);
}

static void page_begin(vb_buf *b, const char *title)
{
	vb_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	html(b, title);
	vb_buf_puts(b, " – " SITE_NAME "</title>\n"
		    "<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
		    "<a class=\"skip\" href=\"#main\">Bỏ qua đến nội dung chính</a>\n"
		    "<header class=\"site\">\n<p class=\"brand\"><a href=\"/\">" SITE_NAME
		    "</a></p>\n<nav aria-label=\"Điều hướng chính\"><ul>"
		    "<li><a href=\"/\">Tra cứu văn bản</a></li>"
		    "<li><a href=\"/api/v1/openapi.json\">API</a></li></ul></nav>\n"
		    "</header>\n<main id=\"main\">\n");
}

static void page_end(vb_buf *b)
{
	vb_buf_puts(b, "</main>\n<footer class=\"site\"><p>Dữ liệu văn bản do cơ quan nhà nước "
		    "tỉnh Quảng Ninh công bố. Văn bản có giá trị pháp lý là bản gốc do cơ quan "
		    "ban hành phát hành.</p></footer>\n</body>\n</html>\n");
}

static enum MHD_Result send_html(vb_request *rq, unsigned status, vb_buf *b)
{
	struct MHD_Response *resp;
	size_t len = b->len;
	char *s = vb_buf_steal(b);

	if (!s)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	return vb_http_send(rq, status, resp);
}

enum MHD_Result vb_page_error(vb_request *rq, unsigned status, const char *message)
{
	vb_buf b;
	char title[64];
	enum MHD_Result ret;

	vb_buf_init(&b, 64 * 1024);
	snprintf(title, sizeof(title), "Lỗi %u", status);
	page_begin(&b, title);
	vb_buf_printf(&b, "<h1>Lỗi %u</h1>\n<p>", status);
	html(&b, message);
	vb_buf_puts(&b, "</p>\n<p><a href=\"/\">Về trang tra cứu</a></p>\n");
	page_end(&b);
	ret = send_html(rq, status, &b);
	vb_buf_dispose(&b);
	return ret;
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

/* The /search URL for p with one facet value toggled (field < 0: none),
 * page set (0: leave out) and q replaced by q_other (NULL: p's own q),
 * HTML-escaped into out.  The ranking switches given are kept. */
static void search_url(vb_buf *out, const vb_params *p, int field, const char *value,
		       size_t page, const char *q_other)
{
	const vb_search_req *r = &p->req;
	vb_buf u;
	char num[24];
	int first = 1, found = 0;
	size_t i;

	vb_buf_init(&u, 64 * 1024);
	vb_buf_puts(&u, "/search");
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
	vb_buf_put_html(out, u.data ? u.data : "", u.len);
	vb_buf_dispose(&u);
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

static const char *const facet_titles[VB_FACET_COUNT] = {
	"Hình thức văn bản", "Cơ quan ban hành", "Năm ban hành", "Tình trạng hiệu lực"
};

static void render_facets(vb_buf *b, const vb_search_page *sp)
{
	const vb_search_req *r = &sp->params.req;
	int f;
	size_t i;

	vb_buf_puts(b, "<nav class=\"facets\" aria-labelledby=\"facets-h\">\n"
		    "<h2 id=\"facets-h\">Lọc kết quả</h2>\n");
	for (f = 0; f < VB_FACET_COUNT; f++) {
		const vb_facet *fa = &sp->res.facets[f];

		if (!fa->n)
			continue;
		vb_buf_printf(b, "<section class=\"facet\"><h3>%s</h3>\n<ul>\n", facet_titles[f]);
		for (i = 0; i < fa->n; i++) {
			const char *v = fa->values[i].value ? fa->values[i].value : "";
			int active = facet_active(r, f, v);

			vb_buf_puts(b, "<li><a href=\"");
			search_url(b, &sp->params, f, v, 0, NULL);
			vb_buf_printf(b, "\"%s>", active ?
				      " class=\"active\" aria-current=\"true\"" : "");
			vb_buf_puts(b, active ? "<span class=\"box\" aria-hidden=\"true\">☑</span> " :
				    "<span class=\"box\" aria-hidden=\"true\">☐</span> ");
			html(b, f == VB_FACET_STATUS ? vb_status_label(v, "vi") : v);
			vb_buf_printf(b, " <span class=\"count\">(%zu)</span>", fa->values[i].count);
			if (active)
				vb_buf_puts(b, "<span class=\"visually-hidden\"> – bỏ lọc</span>");
			vb_buf_puts(b, "</a></li>\n");
		}
		vb_buf_puts(b, "</ul></section>\n");
	}
	vb_buf_puts(b, "</nav>\n");
}

static void hidden_filters(vb_buf *b, const vb_search_req *r)
{
	size_t i;

	if (!r->n_forms && !r->n_issuers && !r->n_years && !r->n_statuses)
		return;
	vb_buf_puts(b, "<fieldset class=\"active-filters\"><legend>Bộ lọc đang áp dụng</legend>\n");
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
		CHECK("status", r->statuses[i], vb_status_label(r->statuses[i], "vi"));
#undef CHECK
	vb_buf_puts(b, "</fieldset>\n");
}

static void search_form(vb_buf *b, const vb_search_page *sp)
{
	const vb_search_req *r = &sp->params.req;

	vb_buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/search\">\n"
		    "<div class=\"row\"><label for=\"q\">Từ khóa, số ký hiệu hoặc trích yếu</label>\n"
		    "<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"1024\" value=\"");
	html(b, r->q);
	vb_buf_puts(b, "\">\n<button type=\"submit\">Tìm kiếm</button></div>\n"
		    "<div class=\"row options\">"
		    "<label for=\"issued_from\">Ban hành từ ngày</label>"
		    "<input type=\"date\" id=\"issued_from\" name=\"issued_from\" value=\"");
	html(b, r->issued_from);
	vb_buf_puts(b, "\">\n<label for=\"issued_to\">đến ngày</label>"
		    "<input type=\"date\" id=\"issued_to\" name=\"issued_to\" value=\"");
	html(b, r->issued_to);
	vb_buf_printf(b, "\">\n<label for=\"sort\">Sắp xếp</label><select id=\"sort\" name=\"sort\">"
		      "<option value=\"relevance\"%s>Phù hợp nhất</option>"
		      "<option value=\"-issued\"%s>Mới ban hành trước</option>"
		      "<option value=\"issued\"%s>Cũ nhất trước</option></select></div>\n",
		      r->sort == VB_SORT_RELEVANCE ? " selected" : "",
		      r->sort == VB_SORT_ISSUED_DESC ? " selected" : "",
		      r->sort == VB_SORT_ISSUED_ASC ? " selected" : "");
	hidden_filters(b, r);
	/* Keep the ranking switches a link brought, across a new search. */
	if (sp->params.prefer_in_force >= 0)
		vb_buf_printf(b, "<input type=\"hidden\" name=\"prefer_in_force\" value=\"%d\">\n",
			      sp->params.prefer_in_force);
	if (!sp->params.synonyms)
		vb_buf_puts(b, "<input type=\"hidden\" name=\"synonyms\" value=\"0\">\n");
	vb_buf_puts(b, "</form>\n");
}

/* A string member of a hit's stored JSON, or NULL. */
static const char *hit_str(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

static void render_hit(vb_buf *b, const vb_hit *h, const char *snippet)
{
	json_t *data = h->data ? json_loads(h->data, 0, NULL) : NULL;
	const char *number = hit_str(data, "number"), *form = hit_str(data, "form");
	const char *abstract = hit_str(data, "abstract"), *status = hit_str(data, "status");

	vb_buf_printf(b, "<li><article class=\"hit\">\n<h3><a href=\"/documents/%lld\">",
		      (long long)h->id);
	if (form) {
		html(b, form);
		vb_buf_putc(b, ' ');
	}
	html(b, number ? number : "(không số)");
	vb_buf_puts(b, "</a></h3>\n");
	if (abstract) {
		vb_buf_puts(b, "<p class=\"abstract\">");
		html(b, abstract);
		vb_buf_puts(b, "</p>\n");
	}
	vb_buf_puts(b, "<dl class=\"meta\"><dt>Cơ quan ban hành</dt><dd>");
	html(b, hit_str(data, "issuer") ? hit_str(data, "issuer") : "—");
	vb_buf_puts(b, "</dd><dt>Ngày ban hành</dt><dd>");
	date_vi(b, hit_str(data, "issue_date"));
	vb_buf_puts(b, "</dd><dt>Ngày có hiệu lực</dt><dd>");
	date_vi(b, hit_str(data, "effective_date"));
	vb_buf_puts(b, "</dd><dt>Tình trạng</dt><dd>");
	html(b, status ? vb_status_label(status, "vi") : "—");
	vb_buf_puts(b, "</dd></dl>\n");
	if (snippet && *snippet) /* already escaped, with <mark> */
		vb_buf_printf(b, "<p class=\"snippet\">%s</p>\n", snippet);
	vb_buf_puts(b, "</article></li>\n");
	json_decref(data);
}

/* Vietnamese for the query warnings of lib/qparse.c: by code and, for
 * "syntax", by the start of the English message (which says what was
 * wrong); the first entry of a code with an empty prefix is its fallback. */
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
	return fallback ? fallback : "Truy vấn đã được điều chỉnh khi tìm kiếm.";
}

/* The query's warnings, then "did you mean" as a link to that search. */
static void render_query_notes(vb_buf *b, const vb_search_page *sp)
{
	const vb_search_result *res = &sp->res;
	size_t i;

	if (res->n_warnings) {
		vb_buf_puts(b, "<div class=\"notice query-warnings\" role=\"status\"><ul>\n");
		for (i = 0; i < res->n_warnings && i < VB_SEARCH_MAX_WARNINGS; i++) {
			int plain;
			const char *vi = warning_text(res->warnings[i].code, res->warnings[i].msg,
						      &plain);

			vb_buf_puts(b, "<li>");
			html(b, vi);
			if (plain)
				vb_buf_puts(b, ": đã tìm theo các từ đã nhập.");
			vb_buf_puts(b, "</li>\n");
		}
		vb_buf_puts(b, "</ul></div>\n");
	}
	if (res->suggestion && *res->suggestion) {
		vb_buf_puts(b, "<p class=\"did-you-mean\">Có phải bạn muốn tìm: <a href=\"");
		search_url(b, &sp->params, -1, NULL, 0, res->suggestion);
		vb_buf_puts(b, "\">");
		html(b, res->suggestion);
		vb_buf_puts(b, "</a>");
		if (res->suggestion_total)
			vb_buf_printf(b, " (%zu văn bản)", res->suggestion_total);
		vb_buf_puts(b, "?</p>\n");
	}
}

static void render_paging(vb_buf *b, const vb_search_page *sp)
{
	size_t total = sp->res.total, per = sp->params.per_page, page = sp->params.page;
	size_t pages = (total + per - 1) / per, max_pages = VB_PARAMS_MAX_WINDOW / per, p, lo, hi;

	if (pages > max_pages)
		pages = max_pages;
	if (pages <= 1)
		return;
	vb_buf_puts(b, "<nav class=\"paging\" aria-label=\"Phân trang\"><ul>\n");
	if (page > 1) {
		vb_buf_puts(b, "<li><a rel=\"prev\" href=\"");
		search_url(b, &sp->params, -1, NULL, page - 1, NULL);
		vb_buf_puts(b, "\">« Trang trước</a></li>\n");
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
		vb_buf_puts(b, "\">Trang sau »</a></li>\n");
	}
	vb_buf_puts(b, "</ul></nav>\n");
}

enum MHD_Result vb_page_search(vb_request *rq)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	vb_buf b;
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_search_page_init(&sp);
	rc = vb_search_page_parse(rq, &sp, &perr);
	if (rc == VB_ETOOBIG) {
		ret = vb_page_error(rq, MHD_HTTP_URI_TOO_LONG, "Địa chỉ yêu cầu quá dài.");
		goto out;
	}
	if (rc) {
		char msg[300];

		vb_search_page_init(&sp); /* show an empty form */
		snprintf(msg, sizeof(msg), "Tham số “%s” không hợp lệ (%s).", perr.parameter,
			 perr.message);
		ret = vb_page_error(rq, MHD_HTTP_BAD_REQUEST, msg);
		goto out;
	}
	page_begin(&b, sp.params.req.q && *sp.params.req.q ? sp.params.req.q : "Tra cứu văn bản");
	vb_buf_puts(&b, "<h1>Tra cứu văn bản</h1>\n");
	search_form(&b, &sp);
	rc = vb_search_page_run(rq, &sp, &err);
	if (rc) {
		status = rc == VB_EAGAIN ? MHD_HTTP_SERVICE_UNAVAILABLE :
			(unsigned)vb_code_http_status(rc);
		if (rc != VB_EAGAIN)
			vb_warn("search page: %s", err.msg);
		vb_buf_puts(&b, rc == VB_EAGAIN ?
			    "<p class=\"notice\" role=\"alert\">Chỉ mục tìm kiếm chưa sẵn sàng. "
			    "Vui lòng thử lại sau.</p>\n" :
			    "<p class=\"notice\" role=\"alert\">Không thực hiện được tìm kiếm. "
			    "Vui lòng thử lại sau.</p>\n");
		page_end(&b);
		ret = send_html(rq, status, &b);
		goto out;
	}
	/* A number typed as the whole query that names exactly one document
	 * goes straight to it (See Other, so the back button returns here). */
	if (sp.n_number_match == 1 && sp.params.req.offset == 0) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
									     MHD_RESPMEM_PERSISTENT);
		char loc[48];

		snprintf(loc, sizeof(loc), "/documents/%lld", (long long)sp.number_match[0]);
		if (resp)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, loc);
		ret = vb_http_send(rq, MHD_HTTP_SEE_OTHER, resp);
		goto out;
	}
	vb_buf_puts(&b, "<div class=\"layout\">\n");
	render_facets(&b, &sp);
	vb_buf_puts(&b, "<section class=\"results\" aria-labelledby=\"results-h\">\n"
		    "<h2 id=\"results-h\">Kết quả</h2>\n");
	vb_buf_printf(&b, "<p class=\"total\">Tìm thấy <strong>%zu</strong> văn bản", sp.res.total);
	if (sp.res.total && sp.res.n_hits)
		vb_buf_printf(&b, " (hiển thị %zu–%zu)", sp.params.req.offset + 1,
			      sp.params.req.offset + sp.res.n_hits);
	vb_buf_puts(&b, ".</p>\n");
	render_query_notes(&b, &sp);
	if (sp.res.relaxed)
		vb_buf_puts(&b, "<p class=\"notice\">Không có văn bản chứa tất cả các từ; đang hiển thị "
			    "văn bản chứa một phần các từ.</p>\n");
	if (sp.res.n_hits) {
		vb_buf_printf(&b, "<ol class=\"hits\" start=\"%zu\">\n", sp.params.req.offset + 1);
		for (i = 0; i < sp.res.n_hits; i++)
			render_hit(&b, &sp.res.hits[i], sp.snippets ? sp.snippets[i] : NULL);
		vb_buf_puts(&b, "</ol>\n");
	}
	render_paging(&b, &sp);
	vb_buf_puts(&b, "</section>\n</div>\n");
	page_end(&b);
	ret = send_html(rq, status, &b);
out:
	vb_search_page_dispose(&sp);
	vb_buf_dispose(&b);
	return ret;
}

/* ---- document page ---- */

static void field_row(vb_buf *b, const char *label, const char *value)
{
	vb_buf_printf(b, "<dt>%s</dt><dd>", label);
	html(b, value && *value ? value : "—");
	vb_buf_puts(b, "</dd>\n");
}

static void date_row(vb_buf *b, const char *label, const char *iso)
{
	vb_buf_printf(b, "<dt>%s</dt><dd>", label);
	if (iso && *iso) {
		vb_buf_puts(b, "<time datetime=\"");
		html(b, iso);
		vb_buf_puts(b, "\">");
		date_vi(b, iso);
		vb_buf_puts(b, "</time>");
	} else {
		vb_buf_puts(b, "—");
	}
	vb_buf_puts(b, "</dd>\n");
}

static void size_human(vb_buf *b, int64_t size)
{
	if (size < 1024)
		vb_buf_printf(b, "%lld byte", (long long)size);
	else if (size < 1024 * 1024)
		vb_buf_printf(b, "%.1f KB", (double)size / 1024);
	else
		vb_buf_printf(b, "%.1f MB", (double)size / (1024 * 1024));
}

enum MHD_Result vb_page_document(vb_request *rq, int64_t id)
{
	vb_document doc;
	vb_store *st;
	vb_error err;
	vb_buf b, title;
	enum MHD_Result ret;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_document_init(&doc);
	vb_buf_init(&title, 4096);
	vb_buf_init(&b, 0);
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_get_document(st, id, 1, &doc, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		if (rc == VB_ENOTFOUND) {
			ret = vb_page_error(rq, MHD_HTTP_NOT_FOUND, "Không tìm thấy văn bản này.");
		} else {
			vb_warn("document page: %s", err.msg);
			ret = vb_page_error(rq, (unsigned)vb_code_http_status(rc),
					    "Không đọc được văn bản. Vui lòng thử lại sau.");
		}
		goto out;
	}
	/* Escaping can grow text up to 6 times ("&quot;"), so the page always
	 * fits. */
	vb_buf_init(&b, (doc.text ? strlen(doc.text) * 6 : 0) + 1024 * 1024);
	if (doc.form)
		vb_buf_printf(&title, "%s ", doc.form);
	vb_buf_puts(&title, doc.number ? doc.number : "(không số)");
	page_begin(&b, vb_buf_str(&title));
	vb_buf_puts(&b, "<article class=\"document\">\n<h1>");
	html(&b, vb_buf_str(&title));
	vb_buf_puts(&b, "</h1>\n");
	if (doc.abstract) {
		vb_buf_puts(&b, "<p class=\"abstract\">");
		html(&b, doc.abstract);
		vb_buf_puts(&b, "</p>\n");
	}
	vb_buf_puts(&b, "<section aria-labelledby=\"props-h\"><h2 id=\"props-h\">Thuộc tính văn bản</h2>\n"
		    "<dl class=\"props\">\n");
	field_row(&b, "Hình thức", doc.form);
	field_row(&b, "Cơ quan ban hành", doc.issuer);
	field_row(&b, "Số ký hiệu", doc.number);
	date_row(&b, "Ngày ban hành", doc.issue_date);
	date_row(&b, "Ngày có hiệu lực", doc.effective_date);
	date_row(&b, "Ngày hết hiệu lực", doc.expiry_date);
	field_row(&b, "Trích yếu", doc.abstract);
	vb_buf_puts(&b, "<dt>Người ký</dt><dd>");
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
	vb_buf_puts(&b, "</dd>\n<dt>Lĩnh vực</dt><dd>");
	if (!doc.n_fields)
		vb_buf_puts(&b, "—");
	for (i = 0; i < doc.n_fields; i++) {
		if (i)
			vb_buf_puts(&b, ", ");
		html(&b, doc.fields[i]);
	}
	vb_buf_puts(&b, "</dd>\n");
	field_row(&b, "Tình trạng hiệu lực", vb_status_label(doc.status, "vi"));
	vb_buf_puts(&b, "</dl>\n</section>\n");

	vb_buf_puts(&b, "<section aria-labelledby=\"files-h\"><h2 id=\"files-h\">Tệp đính kèm</h2>\n");
	if (!doc.n_files)
		vb_buf_puts(&b, "<p>Không có tệp đính kèm.</p>\n");
	else
		vb_buf_puts(&b, "<ul class=\"files\">\n");
	for (i = 0; i < doc.n_files; i++) {
		vb_buf_printf(&b, "<li><a href=\"/api/v1/documents/%lld/files/%zu\" download>",
			      (long long)id, i);
		html(&b, doc.files[i].name ? doc.files[i].name : "tệp");
		vb_buf_puts(&b, "</a> <span class=\"size\">(");
		if (doc.files[i].media_type) {
			html(&b, doc.files[i].media_type);
			vb_buf_puts(&b, ", ");
		}
		size_human(&b, doc.files[i].size);
		vb_buf_puts(&b, ")</span></li>\n");
	}
	if (doc.n_files)
		vb_buf_puts(&b, "</ul>\n");
	vb_buf_puts(&b, "</section>\n");
	vb_buf_puts(&b, "<section aria-labelledby=\"text-h\"><h2 id=\"text-h\">Toàn văn</h2>\n");
	if (doc.text && *doc.text) {
		vb_buf_puts(&b, "<div class=\"fulltext\">");
		html(&b, doc.text);
		vb_buf_puts(&b, "</div>\n");
	} else {
		vb_buf_puts(&b, "<p>Chưa có toàn văn.</p>\n");
	}
	vb_buf_puts(&b, "</section>\n</article>\n"
		    "<p><a href=\"/\">« Về trang tra cứu</a></p>\n");
	page_end(&b);
	ret = send_html(rq, MHD_HTTP_OK, &b);
out:
	vb_buf_dispose(&b);
	vb_buf_dispose(&title);
	vb_document_dispose(&doc);
	return ret;
}
