/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relations block of a document: its computed validity with the
 * evidence, its ELI, a timeline (issued, effective, amended / replaced /
 * repealed by, expired) and its relations both ways grouped by type,
 * linking the documents in the store and naming the unresolved ones as
 * they were cited.  Rendered into the document page (page_document.c calls
 * vb_page_relations) and added to the document JSON (api_documents.c calls
 * vb_relations_add_json); the data comes from vb_store_document_relations.
 * A failure to read it leaves the block out (logged), never the page.
 */
#include "daemon.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "document.h"
#include "log.h"
#include "relation.h"

static const char *L(const char *lang, const char *vi, const char *en, const char *zh)
{
	if (lang && !strcmp(lang, "en"))
		return en;
	if (lang && !strcmp(lang, "zh"))
		return zh;
	return vi;
}

static void html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

/* ISO date shown as dd/mm/yyyy in a <time> element. */
static void date_html(vb_buf *b, const char *iso)
{
	if (!iso || strlen(iso) != 10) {
		vb_buf_puts(b, "—");
		return;
	}
	vb_buf_puts(b, "<time datetime=\"");
	html(b, iso);
	vb_buf_printf(b, "\">%.2s/%.2s/%.4s</time>", iso + 8, iso + 5, iso);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *label_of(json_t *item, const char *lang)
{
	json_t *l = json_object_get(item, "label");
	const char *s = jstr(l, lang && *lang ? lang : "vi");

	return s ? s : jstr(item, "type");
}

/* One related document: a link when it is in the store, else the citation
 * as written. */
static void related_html(vb_buf *b, json_t *item)
{
	json_t *doc = json_object_get(item, "document");
	const char *num, *abs;

	if (json_is_object(doc)) {
		vb_buf_printf(b, "<a href=\"/documents/%lld\">",
			      (long long)json_integer_value(json_object_get(doc, "id")));
		num = jstr(doc, "number");
		html(b, num ? num : jstr(doc, "abstract"));
		vb_buf_puts(b, "</a>");
		if ((abs = jstr(doc, "abstract")) && num) {
			vb_buf_puts(b, " — <span lang=\"vi\">");
			html(b, abs);
			vb_buf_puts(b, "</span>");
		}
		return;
	}
	vb_buf_puts(b, "<span class=\"unresolved\" lang=\"vi\">");
	num = jstr(item, "number");
	html(b, num ? num : jstr(item, "title"));
	if (num && jstr(item, "title")) {
		vb_buf_puts(b, " — ");
		html(b, jstr(item, "title"));
	}
	if (jstr(item, "date")) {
		vb_buf_puts(b, " (");
		date_html(b, jstr(item, "date"));
		vb_buf_puts(b, ")");
	}
	vb_buf_puts(b, "</span>");
}

/* Every item of arr, grouped by type in vb_relation_types order. */
static void group_html(vb_buf *b, json_t *arr, const char *lang)
{
	size_t t, i;
	json_t *item;

	for (t = 0; vb_relation_types[t]; t++) {
		int open = 0;

		json_array_foreach(arr, i, item) {
			const char *type = jstr(item, "type");

			if (!type || strcmp(type, vb_relation_types[t]))
				continue;
			if (!open) {
				vb_buf_puts(b, "<h4>");
				html(b, label_of(item, lang));
				vb_buf_puts(b, "</h4>\n<ul class=\"relations\">\n");
				open = 1;
			}
			vb_buf_puts(b, "<li>");
			related_html(b, item);
			vb_buf_puts(b, "</li>\n");
		}
		if (open)
			vb_buf_puts(b, "</ul>\n");
	}
}

static const char *event_label(const char *event, const char *lang)
{
	if (!strcmp(event, "issued"))
		return L(lang, "Ban hành", "Issued", "发布");
	if (!strcmp(event, "effective"))
		return L(lang, "Có hiệu lực", "Entered into force", "生效");
	if (!strcmp(event, "expired"))
		return L(lang, "Hết hiệu lực", "Ceased to be in force", "失效");
	return vb_relation_label(event, lang, 1);
}

void vb_page_relations(vb_buf *b, vb_request *rq, int64_t id, const char *lang)
{
	vb_store *st;
	vb_error err;
	json_t *o = NULL, *v, *ev, *item, *rel, *tl;
	const char *s;
	size_t i;

	vb_error_clear(&err);
	if (vb_worker_store(rq->d, &st, &err) || vb_store_document_relations(st, id, &o, &err)) {
		vb_log(VB_LOG_WARN, "document %lld: relations not shown: %s", (long long)id, err.msg);
		return;
	}
	vb_buf_puts(b, "<section aria-labelledby=\"validity-h\" class=\"validity\"><h2 id=\"validity-h\">");
	html(b, L(lang, "Hiệu lực", "Validity", "效力"));
	vb_buf_puts(b, "</h2>\n");
	v = json_object_get(o, "validity");
	if (json_is_object(v)) {
		vb_buf_puts(b, "<p class=\"status\"><strong>");
		html(b, vb_status_label(jstr(v, "status"), lang));
		vb_buf_puts(b, "</strong>");
		if ((s = jstr(v, "since"))) {
			vb_buf_printf(b, " %s ", L(lang, "từ ngày", "since", "自"));
			date_html(b, s);
		}
		vb_buf_puts(b, "</p>\n");
		ev = json_object_get(v, "evidence");
		if (json_array_size(ev)) {
			vb_buf_puts(b, "<ul class=\"evidence\" lang=\"vi\">\n");
			json_array_foreach(ev, i, item) {
				vb_buf_puts(b, "<li>");
				if (json_is_integer(json_object_get(item, "document")))
					vb_buf_printf(b, "<a href=\"/documents/%lld\">",
						      (long long)json_integer_value(json_object_get(item, "document")));
				html(b, jstr(item, "text"));
				if (json_is_integer(json_object_get(item, "document")))
					vb_buf_puts(b, "</a>");
				if ((s = jstr(item, "evidence"))) {
					vb_buf_puts(b, " <q>");
					html(b, s);
					vb_buf_puts(b, "</q>");
				}
				vb_buf_puts(b, "</li>\n");
			}
			vb_buf_puts(b, "</ul>\n");
		}
	}
	if ((s = jstr(o, "eli"))) {
		vb_buf_puts(b, "<p class=\"eli\">ELI: <a href=\"");
		html(b, s);
		vb_buf_puts(b, "\"><code>");
		html(b, s);
		vb_buf_puts(b, "</code></a></p>\n");
	}
	tl = json_object_get(o, "timeline");
	if (json_array_size(tl)) {
		vb_buf_puts(b, "<h3>");
		html(b, L(lang, "Dòng thời gian", "Timeline", "时间线"));
		vb_buf_puts(b, "</h3>\n<ol class=\"timeline\">\n");
		json_array_foreach(tl, i, item) {
			vb_buf_puts(b, "<li>");
			date_html(b, jstr(item, "date"));
			vb_buf_puts(b, " ");
			html(b, event_label(jstr(item, "event") ? jstr(item, "event") : "", lang));
			if ((s = jstr(item, "number"))) {
				vb_buf_puts(b, " ");
				if (json_is_integer(json_object_get(item, "document")))
					vb_buf_printf(b, "<a href=\"/documents/%lld\">",
						      (long long)json_integer_value(json_object_get(item, "document")));
				html(b, s);
				if (json_is_integer(json_object_get(item, "document")))
					vb_buf_puts(b, "</a>");
			}
			vb_buf_puts(b, "</li>\n");
		}
		vb_buf_puts(b, "</ol>\n");
	}
	rel = json_object_get(o, "relations");
	if (json_array_size(json_object_get(rel, "outgoing")) ||
	    json_array_size(json_object_get(rel, "incoming"))) {
		vb_buf_puts(b, "<h3>");
		html(b, L(lang, "Văn bản liên quan", "Related documents", "相关文件"));
		vb_buf_puts(b, "</h3>\n");
		group_html(b, json_object_get(rel, "outgoing"), lang);
		group_html(b, json_object_get(rel, "incoming"), lang);
	}
	vb_buf_puts(b, "</section>\n");
	json_decref(o);
}

int vb_relations_add_json(vb_request *rq, int64_t id, json_t *doc)
{
	vb_store *st;
	vb_error err;
	json_t *o = NULL;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_document_relations(st, id, &o, &err))) {
		vb_log(VB_LOG_WARN, "document %lld: relations not read: %s", (long long)id, err.msg);
		return rc;
	}
	json_object_set(doc, "eli", json_object_get(o, "eli"));
	json_object_set(doc, "validity", json_object_get(o, "validity"));
	json_object_set(doc, "relations", json_object_get(o, "relations"));
	json_object_set(doc, "timeline", json_object_get(o, "timeline"));
	json_decref(o);
	return 0;
}
