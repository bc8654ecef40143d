/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The yearly activity report (contract in report.h): the figures come from
 * the store as JSON (vb_store_report_collect); this file adds the period
 * and scope, and renders JSON, CSV and the HTML page.  The HTML page is
 * one file: inline CSS (with print rules: A4, no colours needed, no page
 * break inside a chart), inline SVG charts, no script, no external
 * resource, so it can be mailed, archived and printed as it is.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal.h"
#include "svgchart.h"
#include "text.h"

/* ---- labels ------------------------------------------------------------ */

/* Every label the report shows, by key: one place to translate. */
static const struct {
	const char *key, *vi;
} labels[] = {
	{ "title", "Báo cáo kết quả hoạt động năm" },
	{ "portal", "Cổng thông tin" },
	{ "all_portals", "Tất cả các cổng" },
	{ "period", "Kỳ báo cáo" },
	{ "generated_at", "Thời điểm lập" },
	{ "scope_note", "Số liệu văn bản tính theo ngày ban hành trong kỳ." },
	{ "scope_all", "Phạm vi văn bản: toàn bộ kho văn bản (chưa giới hạn theo phạm vi cổng)." },
	{ "scope_portal", "Phạm vi văn bản: các cơ quan ban hành thuộc phạm vi của cổng." },
	{ "privacy_note", "Không lưu địa chỉ IP, trình duyệt hay thông tin cá nhân; chỉ đếm theo "
			  "ngày. Chỉ liệt kê từ khóa được tìm ít nhất" },
	{ "times", "lần" },
	{ "summary", "Tổng quan" },
	{ "documents", "Văn bản ban hành" },
	{ "documents_updated", "Văn bản đã được cập nhật (có phiên bản mới)" },
	{ "documents_by_month", "Văn bản ban hành theo tháng" },
	{ "documents_by_form", "Văn bản theo hình thức" },
	{ "documents_by_issuer", "Văn bản theo cơ quan ban hành" },
	{ "issuers_other", "Các cơ quan khác" },
	{ "imports", "Cập nhật dữ liệu theo nguồn" },
	{ "source", "Nguồn" },
	{ "added", "Văn bản mới" },
	{ "updated", "Văn bản thay đổi" },
	{ "usage", "Khai thác, sử dụng" },
	{ "searches", "Lượt tìm kiếm" },
	{ "zero_results", "Lượt tìm không có kết quả" },
	{ "views", "Lượt xem văn bản" },
	{ "downloads", "Lượt tải tệp" },
	{ "usage_by_month", "Lượt khai thác theo tháng" },
	{ "searches_by_month", "Lượt tìm kiếm theo tháng" },
	{ "downloads_by_month", "Lượt tải tệp theo tháng" },
	{ "by_language", "Lượt tìm kiếm theo ngôn ngữ" },
	{ "language", "Ngôn ngữ" },
	{ "top_queries", "Từ khóa được tìm nhiều nhất" },
	{ "zero_result_queries", "Từ khóa không tìm thấy văn bản" },
	{ "query", "Từ khóa" },
	{ "top_documents", "Văn bản được xem, tải nhiều nhất" },
	{ "document", "Văn bản" },
	{ "number", "Số ký hiệu" },
	{ "abstract", "Trích yếu" },
	{ "month", "Tháng" },
	{ "form", "Hình thức" },
	{ "issuer", "Cơ quan ban hành" },
	{ "count", "Số lượng" },
	{ "total", "Tổng số" },
	{ "none", "Không có số liệu." },
	{ "sync", "Tình trạng đồng bộ với nguồn cấp trên" },
	{ "sync_unavailable", "Chưa cấu hình đồng bộ." },
	{ "status", "Trạng thái" },
	{ "last_run", "Lần chạy gần nhất" },
	{ "last_success", "Lần thành công gần nhất" },
	{ "runs", "Số lần chạy" },
	{ "runs_ok", "Thành công" },
	{ "runs_failed", "Lỗi" },
	{ "new", "Văn bản mới" },
	{ "changed", "Văn bản thay đổi" },
	{ "failed", "Bản ghi lỗi" },
	{ "conflicts_pending", "Khác biệt chờ xử lý" },
	{ "chart_desc_month", "Biểu đồ cột: số văn bản ban hành trong từng tháng của kỳ báo cáo." },
	{ "chart_desc_form", "Biểu đồ thanh: số văn bản theo hình thức văn bản." },
	{ "chart_desc_issuer", "Biểu đồ thanh: số văn bản theo cơ quan ban hành." },
	{ "chart_desc_searches", "Biểu đồ cột: số lượt tìm kiếm trong từng tháng." },
	{ "chart_desc_downloads", "Biểu đồ cột: số lượt tải tệp văn bản trong từng tháng." },
	{ "?", "(không rõ)" },
	{ "vi", "Tiếng Việt" },
	{ "en", "Tiếng Anh" },
	{ "zh", "Tiếng Trung" },
};

const char *vb_report_label(const char *key)
{
	size_t i;

	for (i = 0; key && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].key, key))
			return labels[i].vi;
	return key ? key : "";
}

#define L(k) vb_report_label(k)

/* ---- formats ------------------------------------------------------------ */

int vb_report_format_parse(const char *s, enum vb_report_format *out)
{
	if (!s || !strcmp(s, "json"))
		*out = VB_REPORT_JSON;
	else if (!strcmp(s, "csv"))
		*out = VB_REPORT_CSV;
	else if (!strcmp(s, "html"))
		*out = VB_REPORT_HTML;
	else
		return VB_EINVAL;
	return 0;
}

const char *vb_report_media_type(enum vb_report_format f)
{
	switch (f) {
	case VB_REPORT_CSV:
		return "text/csv; charset=utf-8";
	case VB_REPORT_HTML:
		return "text/html; charset=utf-8";
	default:
		return "application/json; charset=utf-8";
	}
}

/* ---- query normalisation ------------------------------------------------ */

struct norm_ctx {
	char *out;
	size_t cap, len, limit;
	int full;
};

static int norm_word(const char *s, const vb_token *tok, void *ud)
{
	struct norm_ctx *nc = ud;
	char *w = vb_text_exact_term(s + tok->start, tok->len);
	size_t n, need;

	if (!w)
		return 0;
	n = strlen(w);
	need = nc->len + (nc->len ? 1 : 0) + n;
	if (need > nc->limit || need >= nc->cap) {
		nc->full = 1;
		free(w);
		return 1;
	}
	if (nc->len)
		nc->out[nc->len++] = ' ';
	memcpy(nc->out + nc->len, w, n);
	nc->len += n;
	nc->out[nc->len] = '\0';
	free(w);
	return 0;
}

size_t vb_report_normalize_query(const char *q, char *out, size_t cap)
{
	struct norm_ctx nc = { out, cap, 0, VB_ACTIVITY_QUERY_MAX, 0 };
	char *n;

	if (!cap)
		return 0;
	out[0] = '\0';
	if (!q || !*q || strlen(q) > 4096)
		return 0;
	if (!(n = vb_text_normalize(q, strlen(q))))
		return 0;
	vb_text_tokenize(n, strlen(n), norm_word, &nc);
	free(n);
	return nc.len;
}

/* ---- building ----------------------------------------------------------- */

/* The portal of the report from the registry (lib/portal.h): its id now
 * (a merged or renamed portal resolves to its successor), its name and
 * the issuers of its scope.  *issuers gets a new array. */
static int portal_scope(vb_store *st, const char *asked, char *id, size_t idsz, char *name,
			size_t namesz, json_t **issuers, vb_error *err)
{
	json_t *reg = NULL;
	const char *res, *vi;
	int rc;

	*issuers = NULL;
	if (!vb_portal_id_valid(asked))
		return vb_error_set(err, VB_EINVAL, "invalid portal id \"%s\"", asked);
	if ((rc = vb_store_portal_load(st, &reg, err)))
		return rc;
	if (!(res = vb_portal_resolve(reg, asked, err))) {
		rc = vb_error_set(err, VB_EINVAL, "unknown portal \"%s\"", asked);
		goto out;
	}
	snprintf(id, idsz, "%s", res);
	vi = json_string_value(json_object_get(json_object_get(vb_portal_get(reg, res), "names"),
					       "vi"));
	snprintf(name, namesz, "%s", vi ? vi : res);
	rc = vb_portal_scope(reg, res, issuers, err);
out:
	json_decref(reg);
	return rc;
}

int vb_report_build(vb_store *st, const vb_report_opts *o, json_t **out, vb_error *err)
{
	vb_report_scope sc;
	json_t *figures = NULL, *r = NULL, *scope = NULL;
	const char **issuer_v = NULL;
	char now[32], pid[VB_PORTAL_ID_MAX + 1], pname[VB_PORTAL_TEXT_MAX + 1];
	time_t t = time(NULL);
	struct tm tm;
	size_t i;
	int rc;

	*out = NULL;
	if (o->year < VB_REPORT_YEAR_MIN || o->year > VB_REPORT_YEAR_MAX)
		return vb_error_set(err, VB_EINVAL, "invalid year %d (expected %d to %d)", o->year,
				    VB_REPORT_YEAR_MIN, VB_REPORT_YEAR_MAX);
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.from, sizeof(sc.from), "%04d-01-01", o->year);
	snprintf(sc.to, sizeof(sc.to), "%04d-12-31", o->year);
	sc.issuers = o->issuers;
	sc.n_issuers = o->n_issuers;
	if (o->portal) {
		if ((rc = portal_scope(st, o->portal, pid, sizeof(pid), pname, sizeof(pname), &scope,
				       err)))
			goto out;
		sc.portal = pid;
		if (!o->issuers) {
			if (!(issuer_v = calloc(json_array_size(scope) + 1, sizeof(*issuer_v)))) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				goto out;
			}
			for (i = 0; i < json_array_size(scope); i++)
				issuer_v[i] = json_string_value(json_array_get(scope, i));
			sc.issuers = issuer_v;
			sc.n_issuers = json_array_size(scope);
		}
	}
	sc.min_count = o->min_count > 0 ? o->min_count : 1;
	sc.top = o->top ? o->top : 20;
	if ((rc = vb_store_report_collect(st, &sc, &figures, err)))
		goto out;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r = json_pack("{s:s, s:i, s:{s:s, s:s}, s:s?, s:s?, s:s, s:i, s:s}", "report",
		      "vanban-activity", "year", o->year, "period", "from", sc.from, "to", sc.to,
		      "portal", sc.portal, "portal_name", sc.portal ? pname : NULL,
		      "documents_scope", sc.issuers ? "portal" : "all", "min_count", sc.min_count,
		      "generated_at", now);
	if (!r || json_object_update(r, figures)) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	*out = r;
	r = NULL;
out:
	json_decref(r);
	json_decref(figures);
	json_decref(scope);
	free(issuer_v);
	return rc;
}

/* ---- JSON access helpers ------------------------------------------------ */

static json_t *path(const json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b ? json_object_get(v, b) : v;
}

static json_int_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* ---- CSV ---------------------------------------------------------------- */

/* One RFC 4180 field: quoted when it holds a comma, quote or line break;
 * a field starting with = + - @ gets a leading apostrophe so that a
 * spreadsheet never runs a query text as a formula. */
static int csv_field(vb_buf *b, const char *s)
{
	int rc = 0, formula;

	if (!s)
		s = "";
	formula = s[0] && strchr("=+-@", s[0]);
	if (formula || strpbrk(s, ",\"\r\n")) {
		rc = vb_buf_putc(b, '"');
		if (!rc && formula)
			rc = vb_buf_putc(b, '\'');
		for (; !rc && *s; s++)
			rc = *s == '"' ? vb_buf_puts(b, "\"\"") : vb_buf_putc(b, *s);
		return rc ? rc : vb_buf_putc(b, '"');
	}
	return vb_buf_puts(b, s);
}

static int csv_row(vb_buf *b, const char *section, const char *key, const char *measure,
		   json_int_t value)
{
	int rc = csv_field(b, section);

	if (!rc)
		rc = vb_buf_putc(b, ',');
	if (!rc)
		rc = csv_field(b, key);
	if (!rc)
		rc = vb_buf_putc(b, ',');
	if (!rc)
		rc = csv_field(b, measure);
	return rc ? rc : vb_buf_printf(b, ",%lld\r\n", (long long)value);
}

/* Rows of an array of objects: key from key_field, one row per measure. */
static int csv_list(vb_buf *b, const char *section, const json_t *a, const char *key_field,
		    const char *const *measures)
{
	size_t i, m;
	char id[32];
	int rc = 0;

	for (i = 0; !rc && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i), *k = json_object_get(e, key_field);
		const char *key = json_string_value(k);

		if (json_is_integer(k)) {
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(k));
			key = id;
		}
		for (m = 0; !rc && measures[m]; m++)
			rc = csv_row(b, section, key, measures[m], num(e, measures[m]));
	}
	return rc;
}

static const char *const sync_text[] = { "status", "last_run", "last_success", NULL };
static const char *const sync_nums[] = { "runs", "runs_ok", "runs_failed", "new", "changed",
					 "failed", "conflicts_pending", NULL };

static int render_csv(const json_t *r, vb_buf *b)
{
	static const char *const count[] = { "count", NULL };
	static const char *const imports[] = { "added", "updated", NULL };
	static const char *const use[] = { "searches", "zero_results", "views", "downloads", NULL };
	static const char *const queries[] = { "searches", "zero_results", NULL };
	static const char *const docs[] = { "views", "downloads", NULL };
	const json_t *d = path(r, "documents", NULL), *u = path(r, "usage", NULL);
	size_t m;
	int rc = vb_buf_puts(b, "section,key,measure,value\r\n");

	if (!rc)
		rc = csv_row(b, "documents", "total", "count", num(d, "total"));
	if (!rc)
		rc = csv_row(b, "documents", "updated", "count", num(d, "updated"));
	if (!rc)
		rc = csv_list(b, "documents_by_month", path(d, "by_month", NULL), "month", count);
	if (!rc)
		rc = csv_list(b, "documents_by_form", path(d, "by_form", NULL), "value", count);
	if (!rc)
		rc = csv_list(b, "documents_by_issuer", path(d, "by_issuer", NULL), "value", count);
	if (!rc)
		rc = csv_row(b, "documents_by_issuer", "issuers_other", "count",
			     num(d, "issuers_other"));
	if (!rc)
		rc = csv_list(b, "imports", path(r, "imports", NULL), "source", imports);
	for (m = 0; !rc && use[m]; m++)
		rc = csv_row(b, "usage", "total", use[m], num(u, use[m]));
	if (!rc)
		rc = csv_list(b, "usage_by_month", path(u, "by_month", NULL), "month", use);
	if (!rc)
		rc = csv_list(b, "usage_by_language", path(u, "by_language", NULL), "value", count);
	if (!rc)
		rc = csv_list(b, "top_queries", path(u, "top_queries", NULL), "query", queries);
	if (!rc)
		rc = csv_list(b, "zero_result_queries", path(u, "zero_result_queries", NULL), "query",
			      queries);
	if (!rc)
		rc = csv_list(b, "top_documents", path(u, "top_documents", NULL), "document_id", docs);
	if (!rc)
		rc = csv_list(b, "sync", path(r, "sync", "sources"), "source", sync_nums);
	return rc;
}

/* ---- HTML --------------------------------------------------------------- */

static const char html_style[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#111;line-height:1.4}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #999}"
	"table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;"
	"padding:.2em .5em;text-align:left;vertical-align:top}td.n{text-align:right}"
	"figure{margin:1em 0;display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
	"figcaption{font-weight:bold;width:100%}svg.chart{max-width:100%;height:auto}"
	".note{color:#333;font-size:.9em}"
	"@media print{body{margin:0;max-width:none;font-size:10pt}"
	"figure,table{break-inside:avoid;page-break-inside:avoid}"
	"h2{break-after:avoid;page-break-after:avoid}a{color:inherit;text-decoration:none}}"
	"@page{size:A4;margin:15mm}";

static int h(vb_buf *b, const char *s)
{
	return vb_buf_put_html(b, s ? s : "", s ? strlen(s) : 0);
}

/* <h2>label</h2> */
static int h2(vb_buf *b, const char *key)
{
	int rc = vb_buf_printf(b, "<section>\n<h2 id=\"%s\">", key);

	if (!rc)
		rc = h(b, L(key));
	return rc ? rc : vb_buf_puts(b, "</h2>\n");
}

/* "T1".."T12" for "YYYY-MM" (month labels of the charts). */
static const char *month_label(const char *ym, char *buf, size_t n)
{
	int m = ym && strlen(ym) == 7 ? atoi(ym + 5) : 0;

	if (m < 1 || m > 12)
		return ym ? ym : "";
	snprintf(buf, n, "T%d", m);
	return buf;
}

/* A table with a label column and one number column per measure; months:
 * 1 when the keys are "YYYY-MM" (shown "T1".."T12"), 2 when they are
 * label keys (languages). */
static int html_table(vb_buf *b, const json_t *a, const char *key_field, const char *key_label,
		      const char *const *measures, int months)
{
	char mb[16];
	size_t i, m;
	int rc;

	if (!json_array_size(a)) {
		rc = vb_buf_puts(b, "<p>");
		if (!rc)
			rc = h(b, L("none"));
		return rc ? rc : vb_buf_puts(b, "</p>\n");
	}
	rc = vb_buf_puts(b, "<table>\n<thead><tr><th scope=\"col\">");
	if (!rc)
		rc = h(b, L(key_label));
	for (m = 0; !rc && measures[m]; m++) {
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
		if (!rc)
			rc = h(b, L(measures[m]));
	}
	if (!rc)
		rc = vb_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; !rc && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);
		const char *k = str(e, key_field);

		rc = vb_buf_puts(b, "<tr><th scope=\"row\">");
		if (!rc)
			rc = h(b, months == 1 ? month_label(k, mb, sizeof(mb)) :
				  months == 2 || !strcmp(k, "?") ? L(k) : k);
		if (!rc)
			rc = vb_buf_puts(b, "</th>");
		for (m = 0; !rc && measures[m]; m++)
			rc = vb_buf_printf(b, "<td class=\"n\">%lld</td>",
					   (long long)num(e, measures[m]));
		if (!rc)
			rc = vb_buf_puts(b, "</tr>\n");
	}
	return rc ? rc : vb_buf_puts(b, "</tbody>\n</table>\n");
}

/* A figure: the chart of measure over the array, and its table. */
static int html_chart(vb_buf *b, const char *id, const char *title_key, const char *desc_key,
		      const json_t *a, const char *key_field, const char *key_label,
		      const char *measure, int horizontal, int months)
{
	char mlabel[VB_SVGCHART_MAX_BARS][16];
	const char *measures[2] = { measure, NULL };
	vb_chart c;
	size_t i, n = json_array_size(a);
	int rc;

	if (n > VB_SVGCHART_MAX_BARS)
		n = VB_SVGCHART_MAX_BARS;
	{
		vb_chart_bar *bv = calloc(n ? n : 1, sizeof(*bv));

		if (!bv)
			return VB_ENOMEM;
		for (i = 0; i < n; i++) {
			const json_t *e = json_array_get(a, i);
			const char *k = str(e, key_field);

			bv[i].label = months ? month_label(k, mlabel[i], sizeof(mlabel[i])) :
					       !strcmp(k, "?") ? L("?") : k;
			bv[i].value = (double)num(e, measure);
		}
		memset(&c, 0, sizeof(c));
		c.id = id;
		c.title = L(title_key);
		c.desc = L(desc_key);
		c.bars = bv;
		c.n = n;
		c.horizontal = horizontal;
		rc = vb_buf_printf(b, "<figure id=\"fig-%s\">\n<figcaption>", id);
		if (!rc)
			rc = h(b, L(title_key));
		if (!rc)
			rc = vb_buf_puts(b, "</figcaption>\n");
		if (!rc)
			rc = vb_svgchart_write(b, &c);
		free(bv);
	}
	if (!rc)
		rc = html_table(b, a, key_field, key_label, measures, months);
	return rc ? rc : vb_buf_puts(b, "</figure>\n");
}

static int html_kv(vb_buf *b, const char *key, json_int_t v)
{
	int rc = vb_buf_puts(b, "<tr><th scope=\"row\">");

	if (!rc)
		rc = h(b, L(key));
	return rc ? rc : vb_buf_printf(b, "</th><td class=\"n\">%lld</td></tr>\n", (long long)v);
}

static int html_top_documents(vb_buf *b, const json_t *a)
{
	size_t i;
	int rc;

	if (!json_array_size(a)) {
		rc = vb_buf_puts(b, "<p>");
		if (!rc)
			rc = h(b, L("none"));
		return rc ? rc : vb_buf_puts(b, "</p>\n");
	}
	rc = vb_buf_puts(b, "<table>\n<thead><tr><th scope=\"col\">");
	if (!rc)
		rc = h(b, L("number"));
	if (!rc)
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
	if (!rc)
		rc = h(b, L("abstract"));
	if (!rc)
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
	if (!rc)
		rc = h(b, L("views"));
	if (!rc)
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
	if (!rc)
		rc = h(b, L("downloads"));
	if (!rc)
		rc = vb_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; !rc && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);

		rc = vb_buf_printf(b, "<tr><th scope=\"row\">%lld ", (long long)num(e, "document_id"));
		if (!rc)
			rc = h(b, str(e, "number"));
		if (!rc)
			rc = vb_buf_puts(b, "</th><td>");
		if (!rc)
			rc = h(b, str(e, "abstract"));
		if (!rc)
			rc = vb_buf_printf(b, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld"
					      "</td></tr>\n",
					   (long long)num(e, "views"), (long long)num(e, "downloads"));
	}
	return rc ? rc : vb_buf_puts(b, "</tbody>\n</table>\n");
}

static int html_sync(vb_buf *b, const json_t *s)
{
	const json_t *sources = json_object_get(s, "sources");
	size_t i, m;
	int rc = 0;

	if (!json_is_true(json_object_get(s, "available")) || !json_array_size(sources)) {
		rc = vb_buf_puts(b, "<p>");
		if (!rc)
			rc = h(b, L("sync_unavailable"));
		return rc ? rc : vb_buf_puts(b, "</p>\n");
	}
	rc = vb_buf_puts(b, "<table>\n<thead><tr><th scope=\"col\">");
	if (!rc)
		rc = h(b, L("source"));
	for (m = 0; !rc && sync_text[m]; m++) {
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
		if (!rc)
			rc = h(b, L(sync_text[m]));
	}
	for (m = 0; !rc && sync_nums[m]; m++) {
		rc = vb_buf_puts(b, "</th><th scope=\"col\">");
		if (!rc)
			rc = h(b, L(sync_nums[m]));
	}
	if (!rc)
		rc = vb_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; !rc && i < json_array_size(sources); i++) {
		const json_t *e = json_array_get(sources, i);

		rc = vb_buf_puts(b, "<tr><th scope=\"row\">");
		if (!rc)
			rc = h(b, str(e, "source"));
		if (!rc)
			rc = vb_buf_puts(b, "</th>");
		for (m = 0; !rc && sync_text[m]; m++) {
			rc = vb_buf_puts(b, "<td>");
			if (!rc)
				rc = h(b, str(e, sync_text[m]));
			if (!rc)
				rc = vb_buf_puts(b, "</td>");
		}
		for (m = 0; !rc && sync_nums[m]; m++)
			rc = vb_buf_printf(b, "<td class=\"n\">%lld</td>", (long long)num(e, sync_nums[m]));
		if (!rc)
			rc = vb_buf_puts(b, "</tr>\n");
	}
	return rc ? rc : vb_buf_puts(b, "</tbody>\n</table>\n");
}

static int render_html(const json_t *r, vb_buf *b)
{
	static const char *const imports[] = { "added", "updated", NULL };
	static const char *const use[] = { "searches", "zero_results", "views", "downloads", NULL };
	static const char *const queries[] = { "searches", "zero_results", NULL };
	static const char *const count[] = { "count", NULL };
	const json_t *d = path(r, "documents", NULL), *u = path(r, "usage", NULL);
	const char *portal = json_string_value(json_object_get(r, "portal"));
	int rc;

	rc = vb_buf_printf(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\" "
			      "xml:lang=\"vi\">\n<head>\n<meta charset=\"utf-8\"/>\n"
			      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
			      "<title>");
	if (!rc)
		rc = h(b, L("title"));
	if (!rc)
		rc = vb_buf_printf(b, " %lld</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n"
				      "<h1>", (long long)num(r, "year"), html_style);
	if (!rc)
		rc = h(b, L("title"));
	if (!rc)
		rc = vb_buf_printf(b, " %lld</h1>\n<dl>\n<dt>", (long long)num(r, "year"));
	if (!rc)
		rc = h(b, L("portal"));
	if (!rc)
		rc = vb_buf_puts(b, "</dt><dd>");
	if (!rc)
		rc = h(b, portal ? portal : L("all_portals"));
	if (!rc && portal && json_string_value(json_object_get(r, "portal_name"))) {
		rc = vb_buf_puts(b, " — ");
		if (!rc)
			rc = h(b, str(r, "portal_name"));
	}
	if (!rc)
		rc = vb_buf_puts(b, "</dd>\n<dt>");
	if (!rc)
		rc = h(b, L("period"));
	if (!rc)
		rc = vb_buf_puts(b, "</dt><dd>");
	if (!rc)
		rc = h(b, str(path(r, "period", NULL), "from"));
	if (!rc)
		rc = vb_buf_puts(b, " – ");
	if (!rc)
		rc = h(b, str(path(r, "period", NULL), "to"));
	if (!rc)
		rc = vb_buf_puts(b, "</dd>\n<dt>");
	if (!rc)
		rc = h(b, L("generated_at"));
	if (!rc)
		rc = vb_buf_puts(b, "</dt><dd>");
	if (!rc)
		rc = h(b, str(r, "generated_at"));
	if (!rc)
		rc = vb_buf_puts(b, "</dd>\n</dl>\n<p class=\"note\">");
	if (!rc)
		rc = h(b, L("scope_note"));
	if (!rc)
		rc = vb_buf_puts(b, " ");
	if (!rc)
		rc = h(b, L(strcmp(str(r, "documents_scope"), "portal") ? "scope_all" : "scope_portal"));
	if (!rc)
		rc = vb_buf_puts(b, " ");
	if (!rc)
		rc = h(b, L("privacy_note"));
	if (!rc)
		rc = vb_buf_printf(b, " %lld ", (long long)num(r, "min_count"));
	if (!rc)
		rc = h(b, L("times"));
	if (!rc)
		rc = vb_buf_puts(b, ".</p>\n");

	/* Summary. */
	if (!rc)
		rc = h2(b, "summary");
	if (!rc)
		rc = vb_buf_puts(b, "<table>\n<tbody>\n");
	if (!rc)
		rc = html_kv(b, "documents", num(d, "total"));
	if (!rc)
		rc = html_kv(b, "documents_updated", num(d, "updated"));
	if (!rc)
		rc = html_kv(b, "searches", num(u, "searches"));
	if (!rc)
		rc = html_kv(b, "zero_results", num(u, "zero_results"));
	if (!rc)
		rc = html_kv(b, "views", num(u, "views"));
	if (!rc)
		rc = html_kv(b, "downloads", num(u, "downloads"));
	if (!rc)
		rc = vb_buf_puts(b, "</tbody>\n</table>\n</section>\n");

	/* Documents. */
	if (!rc)
		rc = h2(b, "documents");
	if (!rc)
		rc = html_chart(b, "docs-month", "documents_by_month", "chart_desc_month",
				path(d, "by_month", NULL), "month", "month", "count", 0, 1);
	if (!rc)
		rc = html_chart(b, "docs-form", "documents_by_form", "chart_desc_form",
				path(d, "by_form", NULL), "value", "form", "count", 1, 0);
	if (!rc)
		rc = html_chart(b, "docs-issuer", "documents_by_issuer", "chart_desc_issuer",
				path(d, "by_issuer", NULL), "value", "issuer", "count", 1, 0);
	if (!rc && num(d, "issuers_other") > 0) {
		rc = vb_buf_puts(b, "<p>");
		if (!rc)
			rc = h(b, L("issuers_other"));
		if (!rc)
			rc = vb_buf_printf(b, ": %lld</p>\n", (long long)num(d, "issuers_other"));
	}
	if (!rc)
		rc = vb_buf_puts(b, "</section>\n");
	if (!rc)
		rc = h2(b, "imports");
	if (!rc)
		rc = html_table(b, path(r, "imports", NULL), "source", "source", imports, 0);
	if (!rc)
		rc = vb_buf_puts(b, "</section>\n");

	/* Usage. */
	if (!rc)
		rc = h2(b, "usage");
	if (!rc)
		rc = html_chart(b, "use-searches", "searches_by_month", "chart_desc_searches",
				path(u, "by_month", NULL), "month", "month", "searches", 0, 1);
	if (!rc)
		rc = html_chart(b, "use-downloads", "downloads_by_month", "chart_desc_downloads",
				path(u, "by_month", NULL), "month", "month", "downloads", 0, 1);
	if (!rc)
		rc = vb_buf_puts(b, "<h3>");
	if (!rc)
		rc = h(b, L("usage_by_month"));
	if (!rc)
		rc = vb_buf_puts(b, "</h3>\n");
	if (!rc)
		rc = html_table(b, path(u, "by_month", NULL), "month", "month", use, 1);
	if (!rc)
		rc = vb_buf_puts(b, "<h3>");
	if (!rc)
		rc = h(b, L("by_language"));
	if (!rc)
		rc = vb_buf_puts(b, "</h3>\n");
	if (!rc)
		rc = html_table(b, path(u, "by_language", NULL), "value", "language", count, 2);
	if (!rc)
		rc = vb_buf_puts(b, "<h3 id=\"top_queries\">");
	if (!rc)
		rc = h(b, L("top_queries"));
	if (!rc)
		rc = vb_buf_puts(b, "</h3>\n");
	if (!rc)
		rc = html_table(b, path(u, "top_queries", NULL), "query", "query", queries, 0);
	if (!rc)
		rc = vb_buf_puts(b, "<h3 id=\"zero_result_queries\">");
	if (!rc)
		rc = h(b, L("zero_result_queries"));
	if (!rc)
		rc = vb_buf_puts(b, "</h3>\n");
	if (!rc)
		rc = html_table(b, path(u, "zero_result_queries", NULL), "query", "query", queries, 0);
	if (!rc)
		rc = vb_buf_puts(b, "<h3>");
	if (!rc)
		rc = h(b, L("top_documents"));
	if (!rc)
		rc = vb_buf_puts(b, "</h3>\n");
	if (!rc)
		rc = html_top_documents(b, path(u, "top_documents", NULL));
	if (!rc)
		rc = vb_buf_puts(b, "</section>\n");

	if (!rc)
		rc = h2(b, "sync");
	if (!rc)
		rc = html_sync(b, path(r, "sync", NULL));
	if (!rc)
		rc = vb_buf_puts(b, "</section>\n</main>\n</body>\n</html>\n");
	return rc;
}

int vb_report_render(const json_t *report, enum vb_report_format f, vb_buf *out, vb_error *err)
{
	char *s;
	int rc;

	if (!json_is_object(report) || !json_is_object(json_object_get(report, "documents")))
		return vb_error_set(err, VB_EINVAL, "not a report");
	switch (f) {
	case VB_REPORT_CSV:
		rc = render_csv(report, out);
		break;
	case VB_REPORT_HTML:
		rc = render_html(report, out);
		break;
	default:
		s = json_dumps(report, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		if (!s)
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		rc = vb_buf_puts(out, s);
		if (!rc)
			rc = vb_buf_putc(out, '\n');
		free(s);
		break;
	}
	if (rc)
		return vb_error_set(err, rc, rc == VB_ETOOBIG ? "the report is too large" :
								"could not render the report");
	return 0;
}
