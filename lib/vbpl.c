/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsers of the legacy vbpl.vn pages (see vbpl.h).  Each parser finds the
 * page's anchor element by class (div.vbProperties, div#toanvancontent,
 * div.vbLuocDo, div.vbLienQuan, ul.listLaw) and reads the rest relative to
 * it, so unrelated changes around it (menus, scripts) do not matter.
 * Labels are matched after folding (no diacritics, lower case), so
 * "Ngày ban hành" and "Ngay ban hanh" are the same label.
 */
#include "vbpl.h"

#include "date.h"
#include "docnum.h"
#include "document.h"
#include "text.h"
#include "upstream.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XPath test for a class word. */
#define CLS(c) "contains(concat(' ', normalize-space(@class), ' '), ' " c " ')"

/* Folded form of s (lower case, no diacritics), for label comparison. */
static char *fold(const char *s)
{
	return vb_text_fold(s, strlen(s));
}

static int starts(const char *folded, const char *prefix)
{
	return !strncmp(folded, prefix, strlen(prefix));
}

/* "dd/mm/yyyy" -> ISO into out; "" when it is not a date. */
static void iso(const char *s, char out[11])
{
	if (!s || vb_date_parse(s, out, NULL))
		out[0] = '\0';
}

static int set_date(json_t *rec, const char *name, const char *v, const char *label)
{
	char d[11];

	iso(v, d);
	if (!d[0]) {
		if (v && *v)
			vb_upstream_warn(rec, "field \"%s\": \"%s\" is not a date", label, v);
		return 0;
	}
	return vb_upstream_set(rec, name, d);
}

char *vb_vbpl_title_number(const char *title)
{
	const char *p = title;

	if (!title)
		return NULL;
	while (*p) {
		const char *q;
		size_t n;

		while (*p == ' ')
			p++;
		q = p;
		while (*q && *q != ' ')
			q++;
		n = (size_t)(q - p);
		if (n && n < 128) {
			char w[128];

			memcpy(w, p, n);
			w[n] = '\0';
			/* a number has a '/' after a digit and is not a date */
			if (vb_docnum_looks_like(w) && strpbrk(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
				char *r = strdup(w);

				return r;
			}
		}
		p = q;
	}
	return NULL;
}

/* Attachments: javascript:downloadfile('NAME','PATH') or a plain href. */
static void attachments(vb_html *h, xmlNodePtr ctx, json_t *arr)
{
	xmlXPathObjectPtr o = vb_html_find(h, ctx, ".//ul[" CLS("fileAttack") "]/li//a[@href][not(ancestor::ul[" CLS("listVB") "])]");
	int i;

	if (!o)
		return;
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		char *href = vb_html_attr(o->nodesetval->nodeTab[i], "href");
		char *name = NULL, *path = NULL;
		const char *p;
		size_t k;
		json_t *a;
		int dup = 0;

		if (!href)
			continue;
		if ((p = strstr(href, "downloadfile('"))) {
			const char *q = strchr(p + 14, '\'');
			const char *r = q ? strstr(q, ",'") : NULL;
			const char *e = r ? strchr(r + 2, '\'') : NULL;

			if (q && r && e) {
				name = strndup(p + 14, (size_t)(q - p - 14));
				path = strndup(r + 2, (size_t)(e - r - 2));
			}
		} else if (href[0] == '/' && strstr(href, "/Attachments/") && !strchr(href, '?')) {
			const char *slash = strrchr(href, '/');

			name = strdup(slash + 1);
			path = strdup(href);
		}
		if (name && path) {
			json_array_foreach(arr, k, a)
				if (!strcmp(json_string_value(json_object_get(a, "path")), path))
					dup = 1;
			if (!dup)
				json_array_append_new(arr, json_pack("{s:s, s:s}", "name", name,
								     "path", path));
		}
		free(name);
		free(path);
		free(href);
	}
	xmlXPathFreeObject(o);
}

/* The value cells following a td.label, as text. */
static char *next_cell_text(xmlNodePtr td)
{
	for (td = td->next; td; td = td->next)
		if (td->type == XML_ELEMENT_NODE && !strcasecmp((const char *)td->name, "td"))
			return vb_html_text(td);
	return NULL;
}

static const struct label {
	const char *folded;   /* prefix of the folded label */
	const char *field;
	int date;
} labels[] = {
	{ "so ky hieu", "number", 0 },
	{ "ngay ban hanh", "issue_date", 1 },
	{ "loai van ban", "form", 0 },
	{ "loai vb duoc sua doi bo sung", "form", 0 },
	{ "ngay co hieu luc", "effective_date", 1 },
	{ "ngay het hieu luc", "expiry_date", 1 },
	{ "nguon thu thap", "gazette_source", 0 },
	{ "nguon trich", "gazette_source", 0 },
	{ "ngay dang cong bao", "gazette_date", 1 },
	{ "ngay xac thuc", "attested_date", 1 },
	{ "nganh", "sector", 0 },
	{ "linh vuc", "fields", 0 },
	{ "pham vi", "scope", 0 },
	{ NULL, NULL, 0 }
};

static void signer_row(json_t *rec, xmlNodePtr label_td, int hopnhat)
{
	char *cells[3] = { NULL, NULL, NULL };
	xmlNodePtr td;
	int n = 0;

	for (td = label_td->next; td && n < 3; td = td->next)
		if (td->type == XML_ELEMENT_NODE && !strcasecmp((const char *)td->name, "td"))
			cells[n++] = vb_html_text(td);
	if (n >= 1 && cells[0] && *cells[0] && !vb_upstream_get(rec, "issuer"))
		vb_upstream_set(rec, "issuer", cells[0]);
	/* Thuộc tính: agency / title / name; VBHN: agency / name / title. */
	if (n == 3) {
		const char *name = hopnhat ? cells[1] : cells[2];
		const char *title = hopnhat ? cells[2] : cells[1];

		if (name && *name)
			json_array_append_new(json_object_get(rec, "signers"),
					      json_pack("{s:s, s:s?, s:s?}", "name", name, "title",
							title && *title ? title : NULL, "issuer",
							cells[0] && *cells[0] ? cells[0] : NULL));
	} else {
		vb_upstream_warn(rec, "signer row has %d cells instead of 3", n);
	}
	free(cells[0]);
	free(cells[1]);
	free(cells[2]);
}

int vb_vbpl_parse_thuoctinh(const char *html, size_t len, const char *url, json_t **out,
			    vb_error *err)
{
	vb_html h;
	xmlNodePtr props, n;
	xmlXPathObjectPtr o = NULL;
	json_t *rec = NULL;
	char *t = NULL, *f = NULL;
	int rc, i, hopnhat = 0, seen_status = 0;
	long item;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable thuộc tính page");
	props = vb_html_first(&h, NULL, "//div[" CLS("vbProperties") "]");
	if (!props) {
		rc = vb_error_set(err, VB_EINVAL,
				  "unparseable thuộc tính page: no div.vbProperties (layout changed?)");
		goto out;
	}
	if (!(rec = vb_upstream_record_new("vbpl", "thuoctinh", url))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	hopnhat = (url && strstr(url, "hopnhat")) ||
		  vb_html_first(&h, NULL, "//a[contains(@href, 'vbpq-thuoctinh-hopnhat.aspx')]");
	json_object_set_new(rec, "kind", json_string(hopnhat ? "hopnhat" : "vbpq"));
	item = vb_html_item_id(url);
	if (!item && (n = vb_html_first(&h, NULL, "//link[@rel='canonical']"))) {
		char *href = vb_html_attr(n, "href");

		item = vb_html_item_id(href);
		free(href);
	}
	if (!item && (n = vb_html_first(&h, NULL,
					"//div[" CLS("header") "]//a[contains(@href, 'ItemID=')]"))) {
		char *href = vb_html_attr(n, "href");

		item = vb_html_item_id(href);
		free(href);
	}
	if (item)
		json_object_set_new(rec, "item_id", json_integer(item));

	/* The first td.title is the abstract (trích yếu); the one starting
	 * "Tình trạng hiệu lực:" is the status. */
	if ((o = vb_html_find(&h, props, ".//td[" CLS("title") "]"))) {
		for (i = 0; i < o->nodesetval->nodeNr; i++) {
			t = vb_html_text(o->nodesetval->nodeTab[i]);
			f = t ? fold(t) : NULL;
			if (!t || !f) {
				free(t);
				free(f);
				t = f = NULL;
				continue;
			}
			if (starts(f, "tinh trang hieu luc")) {
				const char *v = strchr(t, ':');
				const char *code;

				v = v ? v + 1 : "";
				while (*v == ' ')
					v++;
				code = vb_status_code(v);
				vb_upstream_set(rec, "status_label", v);
				if (code)
					vb_upstream_set(rec, "status", code);
				else
					vb_upstream_warn(rec, "unknown status \"%s\"", v);
				seen_status = 1;
			} else if (i == 0 && *t) {
				vb_upstream_set(rec, "abstract", t);
			}
			free(t);
			free(f);
			t = f = NULL;
		}
		xmlXPathFreeObject(o);
		o = NULL;
	}
	if (!vb_upstream_get(rec, "abstract"))
		vb_upstream_warn(rec, "missing field \"trích yếu\"");

	if ((o = vb_html_find(&h, props, ".//td[" CLS("label") "]"))) {
		for (i = 0; i < o->nodesetval->nodeNr; i++) {
			xmlNodePtr td = o->nodesetval->nodeTab[i];
			const struct label *l;
			char *v;

			t = vb_html_text(td);
			f = t ? fold(t) : NULL;
			if (!f || !*f) {
				free(t);
				free(f);
				t = f = NULL;
				continue;
			}
			if (starts(f, "co quan ban hanh") || starts(f, "co quan hop nhat")) {
				signer_row(rec, td, starts(f, "co quan hop nhat"));
			} else {
				for (l = labels; l->folded; l++)
					if (starts(f, l->folded))
						break;
				if (l->folded && (v = next_cell_text(td))) {
					if (l->date)
						set_date(rec, l->field, v, t);
					else if (!strcmp(l->field, "number") && !strcmp(v, "Không số"))
						json_object_set_new(rec, "unnumbered", json_true());
					else if (!strcmp(l->field, "scope") || !strcmp(l->field, "fields")) {
						/* list items: "Toàn quốc" */
						vb_upstream_set(rec, l->field, v);
					} else
						vb_upstream_set(rec, l->field, v);
					free(v);
				}
			}
			free(t);
			free(f);
			t = f = NULL;
		}
		xmlXPathFreeObject(o);
		o = NULL;
	}
	/* The status box above the table: "Hiệu lực: Còn hiệu lực". */
	if (!seen_status && (n = vb_html_first(&h, NULL, "//div[" CLS("vbInfo") "]//li[" CLS("red") "]"))) {
		char *s = vb_html_text(n);
		const char *v = s ? strchr(s, ':') : NULL;

		if (v) {
			const char *code;

			v++;
			while (*v == ' ')
				v++;
			if ((code = vb_status_code(v))) {
				vb_upstream_set(rec, "status_label", v);
				vb_upstream_set(rec, "status", code);
				seen_status = 1;
			}
		}
		free(s);
	}
	if (!vb_upstream_get(rec, "number") && !json_is_true(json_object_get(rec, "unnumbered")))
		vb_upstream_warn(rec, "missing field \"Số ký hiệu\"");
	if (!vb_upstream_get(rec, "issue_date") && !vb_upstream_get(rec, "attested_date"))
		vb_upstream_warn(rec, "missing field \"Ngày ban hành\"");
	if (!vb_upstream_get(rec, "form"))
		vb_upstream_warn(rec, "missing field \"Loại văn bản\"");
	if (!vb_upstream_get(rec, "issuer"))
		vb_upstream_warn(rec, "missing field \"Cơ quan ban hành\"");
	if (!seen_status && !hopnhat)
		vb_upstream_warn(rec, "missing field \"Tình trạng hiệu lực\"");
	if (hopnhat && !vb_upstream_get(rec, "form"))
		vb_upstream_set(rec, "form", "Văn bản hợp nhất");
	if (hopnhat) {
		/* The consolidated form is the VBHN itself; "Loại VB được sửa
		 * đổi bổ sung" is the form of the consolidated law. */
		json_t *fields = json_object_get(rec, "fields");
		json_t *ff = json_object_get(fields, "form");

		if (ff) {
			json_object_set(fields, "consolidated_form", ff);
			vb_upstream_set(rec, "form", "Văn bản hợp nhất");
		}
	}
	attachments(&h, vb_html_first(&h, NULL, "//div[@id='divShowDialogDownload']"),
		    json_object_get(rec, "attachments"));
	*out = rec;
	rec = NULL;
out:
	if (o)
		xmlXPathFreeObject(o);
	json_decref(rec);
	vb_html_dispose(&h);
	return rc;
}

int vb_vbpl_parse_toanvan(const char *html, size_t len, char **text, vb_error *err)
{
	vb_html h;
	xmlNodePtr n;
	vb_buf b;
	int rc;

	*text = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable toàn văn page");
	vb_buf_init(&b, VB_UPSTREAM_MAX_TEXT);
	n = vb_html_first(&h, NULL, "//div[@id='toanvancontent']");
	if (!n)
		n = vb_html_first(&h, NULL, "//div[" CLS("toanvancontent") "]");
	if (!n) {
		rc = vb_error_set(err, VB_EINVAL,
				  "unparseable toàn văn page: no div#toanvancontent (layout changed?)");
		goto out;
	}
	if ((rc = vb_html_block_text(n, &b))) {
		vb_error_set(err, rc, "toàn văn is larger than %zu bytes", VB_UPSTREAM_MAX_TEXT);
		goto out;
	}
	if (!b.len) {
		rc = vb_error_set(err, VB_EINVAL, "toàn văn page has an empty div#toanvancontent");
		goto out;
	}
	*text = vb_buf_steal(&b);
	if (!*text)
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	vb_buf_dispose(&b);
	vb_html_dispose(&h);
	return rc;
}

/* {"item_id","number","title","url"} from an <a>. */
static json_t *item_from_link(xmlNodePtr a)
{
	char *href = vb_html_attr(a, "href"), *title = vb_html_text(a);
	char *num = vb_vbpl_title_number(title);
	long id = vb_html_item_id(href);
	json_t *it;

	it = json_pack("{s:s?, s:s?, s:s?}", "number", num, "title",
		       title && *title ? title : NULL, "url", href);
	if (it)
		json_object_set_new(it, "item_id", id ? json_integer(id) : json_null());
	free(href);
	free(title);
	free(num);
	return it;
}

/* "... (88)" -> 88; -1 when there is no count. */
static long trailing_count(const char *s)
{
	const char *p = s ? strrchr(s, '(') : NULL;
	char *end;
	long v;

	if (!p)
		return -1;
	v = strtol(p + 1, &end, 10);
	return *end == ')' ? v : -1;
}

/* The box title without "(N)". */
static char *box_title(const char *s)
{
	const char *p = strrchr(s, '(');
	size_t n = p && trailing_count(s) >= 0 ? (size_t)(p - s) : strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

static int luocdo_hopnhat(vb_html *h, json_t *res)
{
	xmlXPathObjectPtr o;
	json_t *items = json_array(), *cur = json_array();
	int i;

	o = vb_html_find(h, NULL, "//div[@id='main']/div[" CLS("w") "]");
	if (!o) {
		json_decref(items);
		json_decref(cur);
		return VB_EINVAL;
	}
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr div = o->nodesetval->nodeTab[i], a;
		char *id = vb_html_attr(div, "id");
		json_t *it;

		a = vb_html_first(h, div, ".//li/a[@href]");
		if (a && (it = item_from_link(a))) {
			/* title "Luật 15/2012/QH13 Ngày ban hành: 20/06/2012" */
			const char *t = json_string_value(json_object_get(it, "title"));
			const char *d = t ? strstr(t, "Ngày ban hành:") : NULL;
			char iso_d[11];

			if (d) {
				iso(d + strlen("Ngày ban hành:"), iso_d);
				if (iso_d[0])
					json_object_set_new(it, "issue_date", json_string(iso_d));
			}
			json_array_append_new(id && strstr(id, "_hn") ? cur : items, it);
		}
		free(id);
	}
	xmlXPathFreeObject(o);
	json_decref(cur);
	json_array_append_new(json_object_get(res, "boxes"),
			      json_pack("{s:s, s:I, s:o}", "title", "Văn bản được hợp nhất", "count",
					(json_int_t)json_array_size(items), "items", items));
	return 0;
}

int vb_vbpl_parse_luocdo(const char *html, size_t len, json_t **out, vb_error *err)
{
	vb_html h;
	xmlXPathObjectPtr o = NULL;
	json_t *res = NULL;
	int rc, i;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable lược đồ page");
	res = json_pack("{s:[], s:[]}", "boxes", "warnings");
	if (!res) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	o = vb_html_find(&h, NULL,
			 "//div[" CLS("vbLuocDo") "]//div[" CLS("luocdo") "][div[" CLS("title") "] or div[" CLS("titleht") "]]");
	if (!o) {
		if (vb_html_first(&h, NULL, "//a[contains(@href, 'luocdo-hopnhat')]") &&
		    !luocdo_hopnhat(&h, res)) {
			*out = res;
			res = NULL;
			goto out;
		}
		rc = vb_error_set(err, VB_EINVAL,
				  "unparseable lược đồ page: no div.vbLuocDo boxes (layout changed?)");
		goto out;
	}
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr box = o->nodesetval->nodeTab[i], tdiv;
		xmlXPathObjectPtr links;
		char *full = NULL, *title = NULL;
		json_t *items;
		long count;
		int k;

		if ((tdiv = vb_html_first(&h, box, "div[" CLS("titleht") "]")))
			continue; /* "Văn bản hiện thời": this document */
		tdiv = vb_html_first(&h, box, "div[" CLS("title") "]");
		full = vb_html_text(tdiv);
		if (!full || !(title = box_title(full))) {
			free(full);
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		items = json_array();
		links = vb_html_find(&h, box, "div[" CLS("content") "]//li/a[" CLS("jTips") "]");
		for (k = 0; links && k < links->nodesetval->nodeNr; k++)
			json_array_append_new(items, item_from_link(links->nodesetval->nodeTab[k]));
		if (links)
			xmlXPathFreeObject(links);
		count = trailing_count(full);
		if (count >= 0 && (size_t)count != json_array_size(items))
			json_array_append_new(json_object_get(res, "warnings"),
					      json_sprintf("box \"%s\" announces %ld items but lists %zu",
							   title, count, json_array_size(items)));
		json_array_append_new(json_object_get(res, "boxes"),
				      json_pack("{s:s, s:I, s:o}", "title", title, "count",
						(json_int_t)(count >= 0 ? count : (long)json_array_size(items)),
						"items", items));
		free(full);
		free(title);
	}
	*out = res;
	res = NULL;
out:
	if (o)
		xmlXPathFreeObject(o);
	json_decref(res);
	vb_html_dispose(&h);
	return rc;
}

/* Items of a ul.listVB (VB liên quan, VBHN "văn bản được hợp nhất"). */
static json_t *list_vb_items(vb_html *h, xmlNodePtr ul)
{
	xmlXPathObjectPtr o = vb_html_find(h, ul, "li/div[" CLS("item") "]");
	json_t *items = json_array();
	int i;

	for (i = 0; o && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr item = o->nodesetval->nodeTab[i], a;
		xmlXPathObjectPtr info;
		json_t *it;
		int k;

		if (!(a = vb_html_first(h, item, "p[" CLS("title") "]/a")) || !(it = item_from_link(a)))
			continue;
		info = vb_html_find(h, item, "ul[" CLS("info") "]/li");
		for (k = 0; info && k < info->nodesetval->nodeNr; k++) {
			char *t = vb_html_text(info->nodesetval->nodeTab[k]);
			char *f = t ? fold(t) : NULL;
			const char *v = t ? strchr(t, ':') : NULL;
			char d[11];

			if (f && v) {
				iso(v + 1, d);
				if (starts(f, "ngay ban hanh") && d[0])
					json_object_set_new(it, "issue_date", json_string(d));
				else if (starts(f, "ngay co hieu luc") && d[0])
					json_object_set_new(it, "effective_date", json_string(d));
				else if (starts(f, "so ky hieu")) {
					const char *s = v + 1;

					while (*s == ' ')
						s++;
					json_object_set_new(it, "number", json_string(s));
				}
			}
			free(t);
			free(f);
		}
		if (info)
			xmlXPathFreeObject(info);
		json_array_append_new(items, it);
	}
	if (o)
		xmlXPathFreeObject(o);
	return items;
}

int vb_vbpl_parse_lienquan(const char *html, size_t len, json_t **out, vb_error *err)
{
	vb_html h;
	xmlXPathObjectPtr o = NULL;
	json_t *res = NULL;
	int rc, i;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable VB liên quan page");
	if (!vb_html_first(&h, NULL, "//div[" CLS("vbLienQuan") "]")) {
		rc = vb_error_set(err, VB_EINVAL,
				  "unparseable VB liên quan page: no div.vbLienQuan (layout changed?)");
		goto out;
	}
	res = json_pack("{s:[], s:[]}", "boxes", "warnings");
	o = vb_html_find(&h, NULL, "//div[" CLS("vbLienQuan") "]//td[" CLS("label") "]");
	for (i = 0; res && o && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr td = o->nodesetval->nodeTab[i], cell;
		char *title = vb_html_text(td);
		json_t *items = NULL;

		for (cell = td->next; cell; cell = cell->next)
			if (cell->type == XML_ELEMENT_NODE)
				break;
		if (cell) {
			xmlNodePtr ul = vb_html_first(&h, cell, ".//ul[" CLS("listVB") "]");

			items = ul ? list_vb_items(&h, ul) : json_array();
		}
		if (title && *title && items)
			json_array_append_new(json_object_get(res, "boxes"),
					      json_pack("{s:s, s:I, s:o}", "title", title, "count",
							(json_int_t)json_array_size(items), "items", items));
		else
			json_decref(items);
		free(title);
	}
	if (!res) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	*out = res;
	res = NULL;
out:
	if (o)
		xmlXPathFreeObject(o);
	json_decref(res);
	vb_html_dispose(&h);
	return rc;
}

/* Largest page number named in div.paging (Nexpage('', 'N')), and the
 * current one (a.current). */
static void paging(vb_html *h, long *current, long *last)
{
	xmlXPathObjectPtr o = vb_html_find(h, NULL, "//div[" CLS("paging") "]//a");
	int i;

	*current = 1;
	*last = 1;
	for (i = 0; o && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr a = o->nodesetval->nodeTab[i];
		char *href = vb_html_attr(a, "href"), *cls = vb_html_attr(a, "class");
		const char *p;

		if (cls && strstr(cls, "current")) {
			char *t = vb_html_text(a);

			if (t && atol(t) > 0)
				*current = atol(t);
			free(t);
		}
		if (href && (p = strstr(href, "','"))) {
			long v = atol(p + 3);

			if (v > *last)
				*last = v;
		}
		free(href);
		free(cls);
	}
	if (*current > *last)
		*last = *current;
	if (o)
		xmlXPathFreeObject(o);
}

int vb_vbpl_parse_list(const char *html, size_t len, json_t **out, vb_error *err)
{
	vb_html h;
	xmlXPathObjectPtr o = NULL;
	xmlNodePtr n;
	json_t *res = NULL, *items;
	long cur, last;
	int rc, i;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable list page");
	n = vb_html_first(&h, NULL, "//ul[" CLS("listLaw") "]");
	if (!n) {
		rc = vb_error_set(err, VB_EINVAL,
				  "unparseable list page: no ul.listLaw (layout changed?)");
		goto out;
	}
	paging(&h, &cur, &last);
	res = json_pack("{s:n, s:I, s:I, s:[]}", "total", "page", (json_int_t)cur, "last_page",
			(json_int_t)last, "items");
	if (!res) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	items = json_object_get(res, "items");
	{
		xmlNodePtr strong = vb_html_first(&h, NULL, "//div[" CLS("message") "]//strong");
		char *t = strong ? vb_html_text(strong) : NULL;

		if (t && *t)
			json_object_set_new(res, "total", json_integer(atoll(t)));
		free(t);
	}
	o = vb_html_find(&h, n, "li/div[" CLS("item") "]");
	for (i = 0; o && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr item = o->nodesetval->nodeTab[i], a, des;
		xmlXPathObjectPtr ps;
		json_t *it;
		char *href;
		int k;

		if (!(a = vb_html_first(&h, item, "p[" CLS("title") "]/a")) || !(it = item_from_link(a)))
			continue;
		href = vb_html_attr(a, "href");
		json_object_set_new(it, "kind",
				    json_string(href && strstr(href, "hopnhat") ? "hopnhat" : "vbpq"));
		free(href);
		if ((des = vb_html_first(&h, item, ".//div[" CLS("des") "]"))) {
			char *t = vb_html_text(des);

			if (t && *t)
				json_object_set_new(it, "abstract", json_string(t));
			free(t);
		}
		ps = vb_html_find(&h, item, ".//div[" CLS("right") "]/p");
		for (k = 0; ps && k < ps->nodesetval->nodeNr; k++) {
			char *t = vb_html_text(ps->nodesetval->nodeTab[k]);
			char *f = t ? fold(t) : NULL;
			const char *v = t ? strchr(t, ':') : NULL;
			char d[11];

			if (f && v) {
				v++;
				while (*v == ' ')
					v++;
				iso(v, d);
				if ((starts(f, "ban hanh") || starts(f, "ngay xac thuc")) && d[0])
					json_object_set_new(it, "issue_date", json_string(d));
				else if (starts(f, "hieu luc") && d[0])
					json_object_set_new(it, "effective_date", json_string(d));
				else if (starts(f, "trang thai")) {
					const char *code = vb_status_code(v);

					json_object_set_new(it, "status", json_string(code ? code : v));
				}
			}
			free(t);
			free(f);
		}
		if (ps)
			xmlXPathFreeObject(ps);
		json_object_set_new(it, "attachments", json_array());
		attachments(&h, item, json_object_get(it, "attachments"));
		json_array_append_new(items, it);
	}
	*out = res;
	res = NULL;
out:
	if (o)
		xmlXPathFreeObject(o);
	json_decref(res);
	vb_html_dispose(&h);
	return rc;
}
