/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests of the SVG chart writer (lib/svgchart.c) and of the pure
 * parts of the report (lib/report.c): every chart is well-formed XML (parsed
 * with libxml2), has one <rect class="bar"> per bar, a <title> and a
 * <desc> named by aria-labelledby; bar sizes are proportional to the
 * values with the largest filling the plot; zero, negative and NaN values
 * give empty bars, not a division by zero; labels and titles are escaped
 * and long labels cut on a character boundary with "…"; bad ids and too
 * many bars are refused; query normalisation for the usage counters;
 * the Vietnamese label table; rendering a hand-made report as CSV (quoting,
 * formula guard), HTML (well-formed, escaped) and JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "error.h"
#include "report.h"
#include "store.h"
#include "svgchart.h"
#include "tap.h"

/* Parse the SVG; evaluate an XPath count (namespace bound to s:). */
static double xcount(const char *svg, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "chart.svg", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	double v = -1;

	if (!doc)
		return -2;
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (o && o->type == XPATH_NUMBER)
		v = o->floatval;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return v;
}

/* The numeric attribute attr of the i-th (1-based) bar. */
static double bar_attr(const char *svg, int i, const char *attr)
{
	char expr[128];

	snprintf(expr, sizeof(expr), "number((//s:rect[@class='bar'])[%d]/@%s)", i, attr);
	return xcount(svg, expr);
}

static int wellformed(const char *svg)
{
	return xcount(svg, "count(/s:svg)") == 1;
}

int main(void)
{
	static const vb_chart_bar months[12] = {
		{ "T1", 4 }, { "T2", 0 }, { "T3", 8 }, { "T4", 2 }, { "T5", 1 }, { "T6", 0 },
		{ "T7", 0 }, { "T8", 0 }, { "T9", 0 }, { "T10", 0 }, { "T11", 5 }, { "T12", 6 },
	};
	vb_chart_bar forms[3] = {
		{ "Quyết định", 10 }, { "Nghị quyết <HĐND> & \"x\"", 5 }, { NULL, 2.5 },
	};
	vb_chart_bar odd[3] = { { "a", -3 }, { "b", NAN }, { "c", INFINITY } };
	vb_chart_bar many[VB_SVGCHART_MAX_BARS + 1];
	vb_chart c;
	vb_buf b;
	char norm[VB_ACTIVITY_QUERY_MAX + 1], longq[1024];
	size_t i;
	int rc;

	/* A vertical chart of 12 months. */
	vb_buf_init(&b, 1u << 20);
	memset(&c, 0, sizeof(c));
	c.id = "docs-month";
	c.title = "Văn bản ban hành theo tháng";
	c.desc = "Biểu đồ cột";
	c.bars = months;
	c.n = 12;
	rc = vb_svgchart_write(&b, &c);
	tap_is_int(rc, 0, "vertical chart written");
	tap_ok(wellformed(vb_buf_str(&b)), "vertical chart is well-formed XML");
	tap_ok(xcount(vb_buf_str(&b), "count(//s:rect[@class='bar'])") == 12, "one bar per month");
	tap_ok(xcount(vb_buf_str(&b), "count(/s:svg[@role='img'][@aria-labelledby="
				      "'docs-month-t docs-month-d'])") == 1,
	       "role=img with aria-labelledby naming title and desc");
	tap_ok(xcount(vb_buf_str(&b), "count(/s:svg/s:title[@id='docs-month-t']"
				      "[.='Văn bản ban hành theo tháng'])") == 1,
	       "the chart's title is its first <title>");
	tap_ok(xcount(vb_buf_str(&b), "count(/s:svg/s:desc[@id='docs-month-d'])") == 1,
	       "the chart has a <desc>");
	tap_ok(bar_attr(vb_buf_str(&b), 3, "height") == 150, "the largest bar fills the plot (150)");
	tap_ok(bar_attr(vb_buf_str(&b), 1, "height") == 75, "half the largest value: half height");
	tap_ok(bar_attr(vb_buf_str(&b), 2, "height") == 0, "a zero value: an empty bar");
	tap_ok(bar_attr(vb_buf_str(&b), 1, "y") + bar_attr(vb_buf_str(&b), 1, "height") ==
		       bar_attr(vb_buf_str(&b), 3, "y") + bar_attr(vb_buf_str(&b), 3, "height"),
	       "bars stand on one base line");
	tap_ok(xcount(vb_buf_str(&b), "count((//s:rect[@class='bar'])[12]/s:title[.='T12: 6'])") ==
		       1,
	       "every bar has a <title> with label and value");
	tap_ok(xcount(vb_buf_str(&b), "count(//s:text[.='8'])") == 1,
	       "values are printed (readable in print)");
	tap_ok(!strstr(vb_buf_str(&b), "<script"), "no script");

	/* A horizontal chart with hostile and missing labels. */
	vb_buf_reset(&b);
	c.id = "docs-form";
	c.title = "Theo hình thức <&>";
	c.desc = NULL;
	c.bars = forms;
	c.n = 3;
	c.horizontal = 1;
	rc = vb_svgchart_write(&b, &c);
	tap_is_int(rc, 0, "horizontal chart written");
	tap_ok(wellformed(vb_buf_str(&b)), "labels with < & \" are escaped: well-formed");
	tap_ok(xcount(vb_buf_str(&b), "count(//s:rect[@class='bar'])") == 3, "three bars");
	tap_ok(bar_attr(vb_buf_str(&b), 1, "width") == 300, "the largest bar is the full width");
	tap_ok(bar_attr(vb_buf_str(&b), 3, "width") == 75, "2.5 of 10: a quarter");
	tap_ok(xcount(vb_buf_str(&b), "count(//s:text[.='Nghị quyết <HĐND> & \"x\"'])") == 1,
	       "the escaped label reads back as written");
	tap_ok(xcount(vb_buf_str(&b), "count(//s:text[.='2.5'])") == 1, "a fraction prints one decimal");
	tap_ok(xcount(vb_buf_str(&b), "count(/s:svg/s:desc[.='Theo hình thức <&>'])") == 1,
	       "without desc, the title is the description");

	/* Values that are not positive numbers. */
	vb_buf_reset(&b);
	c.id = "odd";
	c.bars = odd;
	c.n = 3;
	tap_is_int(vb_svgchart_write(&b, &c), 0, "negative / NaN / infinite values are accepted");
	tap_ok(wellformed(vb_buf_str(&b)) && !strstr(vb_buf_str(&b), "nan") &&
		       !strstr(vb_buf_str(&b), "inf"),
	       "and drawn as zero (no nan or inf in the SVG)");

	/* An empty chart. */
	vb_buf_reset(&b);
	c.id = "empty";
	c.bars = NULL;
	c.n = 0;
	tap_is_int(vb_svgchart_write(&b, &c), 0, "an empty chart is written");
	tap_ok(wellformed(vb_buf_str(&b)) &&
		       xcount(vb_buf_str(&b), "count(//s:rect[@class='bar'])") == 0,
	       "with its title and no bar");

	/* Long labels are cut on a character boundary. */
	vb_buf_reset(&b);
	{
		vb_chart_bar lb[1] = { { "Ủy ban nhân dân tỉnh Quảng Ninh và các sở, ban, ngành "
					 "trực thuộc tỉnh", 1 } };

		c.id = "long";
		c.bars = lb;
		c.n = 1;
		vb_svgchart_write(&b, &c);
		tap_ok(wellformed(vb_buf_str(&b)) && strstr(vb_buf_str(&b), "…</text>"),
		       "a long label ends in an ellipsis and stays valid UTF-8 XML");
		tap_ok(strstr(vb_buf_str(&b), "trực thuộc tỉnh: 1</title>") != NULL,
		       "the bar's <title> keeps the whole label");
	}

	/* Refusals. */
	vb_buf_reset(&b);
	c.id = "bad id";
	tap_is_int(vb_svgchart_write(&b, &c), VB_EINVAL, "an id with a space is refused");
	c.id = "x\"><script>";
	tap_is_int(vb_svgchart_write(&b, &c), VB_EINVAL, "an id with markup is refused");
	c.id = "ok";
	c.title = "";
	tap_is_int(vb_svgchart_write(&b, &c), VB_EINVAL, "an empty title is refused");
	c.title = "t";
	for (i = 0; i <= VB_SVGCHART_MAX_BARS; i++) {
		many[i].label = "x";
		many[i].value = 1;
	}
	c.bars = many;
	c.n = VB_SVGCHART_MAX_BARS + 1;
	tap_is_int(vb_svgchart_write(&b, &c), VB_EINVAL, "more bars than the limit are refused");
	tap_is_int((int)b.len, 0, "and nothing was written");
	c.n = VB_SVGCHART_MAX_BARS;
	tap_is_int(vb_svgchart_write(&b, &c), 0, "the limit itself is fine");
	vb_buf_dispose(&b);

	/* A small buffer: VB_ETOOBIG, no overflow. */
	vb_buf_init(&b, 64);
	c.n = 3;
	tap_is_int(vb_svgchart_write(&b, &c), VB_ETOOBIG, "a full buffer gives VB_ETOOBIG");
	vb_buf_dispose(&b);

	/* Query normalisation for the usage counters. */
	vb_report_normalize_query("  Quyết   ĐỊNH,  hoà-giải!! ", norm, sizeof(norm));
	tap_is_str(norm, "quyết định hòa giải", "case, spaces, punctuation and tone placement");
	vb_report_normalize_query("Quye\xcc\x82\xcc\x81t định", norm, sizeof(norm));
	tap_is_str(norm, "quyết định", "NFD input is normalised to NFC");
	tap_is_int((int)vb_report_normalize_query("  ?! -- ", norm, sizeof(norm)), 0,
		   "no word: length 0");
	tap_is_str(norm, "", "and an empty string");
	tap_is_int((int)vb_report_normalize_query(NULL, norm, sizeof(norm)), 0, "NULL: 0");
	longq[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(longq, "abcdef ");
	vb_report_normalize_query(longq, norm, sizeof(norm));
	tap_ok(strlen(norm) <= VB_ACTIVITY_QUERY_MAX && strlen(norm) > 190 &&
		       norm[strlen(norm) - 1] == 'f',
	       "a long query is cut at a word boundary within %d bytes", VB_ACTIVITY_QUERY_MAX);
	vb_report_normalize_query("Số 05/2023/QĐ-UBND", norm, 8);
	tap_ok(strlen(norm) < 8, "the output buffer's size is respected");

	/* Labels and formats. */
	tap_is_str(vb_report_label("documents_by_form"), "Văn bản theo hình thức", "a label");
	tap_is_str(vb_report_label("no-such-key"), "no-such-key", "an unknown key shows itself");
	{
		enum vb_report_format f;

		tap_ok(!vb_report_format_parse("csv", &f) && f == VB_REPORT_CSV, "format csv");
		tap_ok(!vb_report_format_parse("html", &f) && f == VB_REPORT_HTML, "format html");
		tap_ok(vb_report_format_parse("pdf", &f) == VB_EINVAL, "format pdf is refused");
		tap_is_str(vb_report_media_type(VB_REPORT_CSV), "text/csv; charset=utf-8",
			   "CSV media type");
	}
	/* Rendering a report (no database: a hand-made figures object). */
	{
		json_t *r = json_pack(
			"{s:s, s:i, s:{s:s, s:s}, s:n, s:s, s:i, s:s,"
			" s:{s:i, s:i, s:[{s:s, s:i}], s:[{s:s, s:i}, {s:s, s:i}],"
			"    s:[{s:s, s:i}], s:i},"
			" s:[{s:s, s:i, s:i}],"
			" s:{s:i, s:i, s:i, s:i, s:[], s:[], s:[{s:s, s:i, s:i}], s:[], s:[]},"
			" s:{s:b}}",
			"report", "vanban-activity", "year", 2026, "period", "from", "2026-01-01",
			"to", "2026-12-31", "portal", "documents_scope", "all", "min_count", 3,
			"generated_at", "2026-11-30T00:00:00Z",
			"documents", "total", 3, "updated", 1, "by_month", "month", "2026-03",
			"count", 3, "by_form", "value", "Quyết định, bổ sung", "count", 2, "value",
			"=cmd|' /C calc'!A0", "count", 1, "by_issuer", "value",
			"<script>alert(1)</script> & \"UBND\"", "count", 3, "issuers_other", 0,
			"imports", "source", "manifest", "added", 3, "updated", 1,
			"usage", "searches", 5, "zero_results", 1, "views", 2, "downloads", 1,
			"by_month", "by_language", "top_queries", "query", "quyết định", "searches", 5,
			"zero_results", 1, "zero_result_queries", "top_documents",
			"sync", "available", 0);
		vb_error err;

		tap_ok(r != NULL, "a report object");
		vb_buf_init(&b, VB_REPORT_MAX_BYTES);
		tap_is_int(vb_report_render(r, VB_REPORT_CSV, &b, &err), 0, "CSV rendered");
		tap_ok(strstr(vb_buf_str(&b), "section,key,measure,value\r\n") == vb_buf_str(&b),
		       "CSV header first, CRLF line ends");
		tap_ok(strstr(vb_buf_str(&b), "documents_by_form,\"Quyết định, bổ sung\",count,2\r\n") !=
			       NULL,
		       "a key with a comma is quoted");
		tap_ok(strstr(vb_buf_str(&b), "documents_by_form,\"'=cmd|' /C calc'!A0\",count,1") != NULL,
		       "a key starting with = is defused with an apostrophe");
		tap_ok(strstr(vb_buf_str(&b), "\"<script>alert(1)</script> & \"\"UBND\"\"\"") != NULL,
		       "quotes inside a field are doubled");
		tap_ok(strstr(vb_buf_str(&b), "top_queries,quyết định,searches,5\r\n") != NULL,
		       "a top query row");
		vb_buf_reset(&b);
		tap_is_int(vb_report_render(r, VB_REPORT_HTML, &b, &err), 0, "HTML rendered");
		{
			xmlDocPtr doc = xmlReadMemory(vb_buf_str(&b), (int)b.len, "r.html", NULL,
						      XML_PARSE_NONET | XML_PARSE_NOERROR |
							      XML_PARSE_NOWARNING);

			tap_ok(doc != NULL, "the HTML page is well-formed XML (polyglot)");
			xmlFreeDoc(doc);
		}
		tap_ok(!strstr(vb_buf_str(&b), "<script>"), "an issuer named <script> is escaped");
		tap_ok(strstr(vb_buf_str(&b), "Chưa cấu hình đồng bộ.") != NULL,
		       "no sync tables: said in Vietnamese");
		tap_ok(strstr(vb_buf_str(&b), "@media print") != NULL, "print rules");
		vb_buf_reset(&b);
		tap_is_int(vb_report_render(r, VB_REPORT_JSON, &b, &err), 0, "JSON rendered");
		{
			json_t *back = json_loads(vb_buf_str(&b), 0, NULL);

			tap_ok(back && json_equal(back, r), "JSON reads back as the report");
			json_decref(back);
		}
		vb_buf_reset(&b);
		{
			json_t *empty = json_object();

			tap_is_int(vb_report_render(empty, VB_REPORT_CSV, &b, &err), VB_EINVAL,
				   "an object that is not a report is refused");
			json_decref(empty);
		}
		vb_buf_dispose(&b);
		vb_buf_init(&b, 1000);
		tap_is_int(vb_report_render(r, VB_REPORT_HTML, &b, &err), VB_ETOOBIG,
			   "a report over the buffer's limit: VB_ETOOBIG");
		vb_buf_dispose(&b);
		json_decref(r);
	}
	return tap_done();
}
