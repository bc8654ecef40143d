/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsers of the provincial gazette pages and records (see congbao.h).
 * The Domino views are tables without classes on the rows, so rows are
 * recognised by their content: a document row has a link to
 * "NoiDung?openForm&ParentUNID=", its cells are date, document, file,
 * page; heading rows (th.level1-heading / th.level2-heading) set the part
 * and the issuer of the rows below them.
 */
#include "congbao.h"

#include "date.h"
#include "docnum.h"
#include "document.h"
#include "text.h"
#include "upstream.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#define CLS(c) "contains(concat(' ', normalize-space(@class), ' '), ' " c " ')"

/* "Quyết định của UBND tỉnh" -> "Quyết định"; NULL when unknown. */
static const char *short_form(const char *label)
{
	static const char *const forms[] = { "Quyết định", "Nghị quyết", "Chỉ thị", "Thông tư",
					     "Nghị định", "Kế hoạch", "Thông báo", "Công văn",
					     "Văn bản hợp nhất", NULL };
	size_t i;

	for (i = 0; label && forms[i]; i++)
		if (!strncmp(label, forms[i], strlen(forms[i])))
			return forms[i];
	return NULL;
}

/* First codepoint upper case and some later one lower case: a name word
 * ("Nguyễn", "Lò"), not an acronym ("UBND", "HĐND") nor a common word. */
static int name_word(const char *w, size_t n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k, pos = 0;
	int first = 1, upper_first = 0, has_lower = 0;

	while ((size_t)pos < n) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)w + pos, (utf8proc_ssize_t)n - pos, &cp);
		if (k <= 0)
			return 0;
		if (first)
			upper_first = utf8proc_isupper(cp);
		else if (utf8proc_islower(cp))
			has_lower = 1;
		first = 0;
		pos += k;
	}
	return upper_first && has_lower;
}

void vb_congbao_split_signer(const char *s, char **title, char **name)
{
	const char *end, *start, *p;
	int words = 0;

	*title = *name = NULL;
	if (!s)
		return;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	start = end;
	/* walk back over name words */
	while (start > s && words < 5) {
		const char *w = start;

		while (w > s && w[-1] == ' ')
			w--;
		p = w;
		while (p > s && p[-1] != ' ')
			p--;
		if (p == w || !name_word(p, (size_t)(w - p)))
			break;
		start = p;
		words++;
	}
	if (words < 2)
		return;
	*name = strndup(start, (size_t)(end - start));
	while (start > s && start[-1] == ' ')
		start--;
	if (start > s)
		*title = strndup(s, (size_t)(start - s));
}

static void set_date(json_t *rec, const char *field, const char *v)
{
	char d[11];

	if (!v || !*v)
		return;
	if (vb_date_parse(v, d, NULL))
		vb_upstream_warn(rec, "field \"%s\": \"%s\" is not a date", field, v);
	else
		vb_upstream_set(rec, field, d);
}

int vb_congbao_parse_issues(const char *html, size_t len, json_t **out, vb_error *err)
{
	vb_html h;
	xmlXPathObjectPtr o;
	json_t *res, *issues;
	int rc, i;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable gazette issues page");
	o = vb_html_find(&h, NULL, "//a[contains(@href, '?OpenDocument')][span[@value]]");
	if (!o) {
		vb_html_dispose(&h);
		return vb_error_set(err, VB_EINVAL,
				    "unparseable gazette issues page: no issue links (layout changed?)");
	}
	res = json_pack("{s:[]}", "issues");
	issues = json_object_get(res, "issues");
	for (i = 0; res && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr a = o->nodesetval->nodeTab[i];
		xmlNodePtr span = vb_html_first(&h, a, "span[@value]");
		char *href = vb_html_attr(a, "href"), *label = vb_html_attr(span, "value");
		char *clean = label ? vb_text_normalize(label, strlen(label)) : NULL;
		const char *p, *slash, *q;
		char date[11] = "", nums[64] = "", unid[64] = "";

		if (clean && !strncmp(clean, "Số ", strlen("Số ")) && (p = strstr(clean, " Ngày "))) {
			snprintf(nums, sizeof(nums), "%.*s", (int)(p - clean - strlen("Số ")),
				 clean + strlen("Số "));
			if (vb_date_parse(p + strlen(" Ngày "), date, NULL))
				date[0] = '\0';
		}
		if (href && (q = strstr(href, "?OpenDocument"))) {
			for (slash = q; slash > href && slash[-1] != '/'; slash--)
				;
			snprintf(unid, sizeof(unid), "%.*s", (int)(q - slash), slash);
		}
		if (clean && href)
			json_array_append_new(issues,
				json_pack("{s:s, s:s, s:s?, s:i, s:s, s:s}", "label", clean, "numbers",
					  nums, "date", date[0] ? date : NULL, "year",
					  vb_date_year(date), "unid", unid, "url", href));
		free(href);
		free(label);
		free(clean);
	}
	xmlXPathFreeObject(o);
	vb_html_dispose(&h);
	if (!res)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	*out = res;
	return 0;
}

/* The element children of tr that are td. */
static int cells(xmlNodePtr tr, xmlNodePtr *td, int max)
{
	xmlNodePtr n;
	int k = 0;

	for (n = tr->children; n && k < max; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, "td"))
			td[k++] = n;
	return k;
}

int vb_congbao_parse_issue_documents(const char *html, size_t len, const char *url,
				     json_t **out, vb_error *err)
{
	vb_html h;
	xmlXPathObjectPtr o;
	json_t *res = NULL, *docs;
	char *part = NULL, *issuer = NULL;
	int rc, i, seen = 0;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable gazette issue page");
	o = vb_html_find(&h, NULL, "//tr[th[" CLS("level1-heading") "] or th[" CLS("level2-heading") "] or td/a[contains(@href, 'ParentUNID=')]]");
	if (!o) {
		vb_html_dispose(&h);
		return vb_error_set(err, VB_EINVAL,
				    "unparseable gazette issue page: no document rows (layout changed?)");
	}
	res = json_pack("{s:[]}", "documents");
	docs = json_object_get(res, "documents");
	for (i = 0; res && i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr tr = o->nodesetval->nodeTab[i], td[4], a, n;
		json_t *rec;
		char *date, *href, *t;
		const char *u;
		int k;

		if ((n = vb_html_first(&h, tr, "th[" CLS("level1-heading") "]"))) {
			free(part);
			part = vb_html_text(n);
			continue;
		}
		if ((n = vb_html_first(&h, tr, "th[" CLS("level2-heading") "]"))) {
			free(issuer);
			issuer = vb_html_text(n);
			continue;
		}
		k = cells(tr, td, 4);
		a = vb_html_first(&h, tr, "td/a[contains(@href, 'ParentUNID=')]");
		if (k < 2 || !a)
			continue;
		seen++;
		if (!(rec = vb_upstream_record_new("congbao", "issue", url)))
			break;
		href = vb_html_attr(a, "href");
		u = href ? strstr(href, "ParentUNID=") : NULL;
		if (u)
			json_object_set_new(rec, "unid", json_string(u + strlen("ParentUNID=")));
		free(href);
		date = vb_html_text(td[0]);
		set_date(rec, "issue_date", date);
		free(date);
		if ((n = vb_html_first(&h, a, "span[" CLS("doc-cate") "]"))) {
			t = vb_html_text(n);
			vb_upstream_set(rec, "form_label", t);
			vb_upstream_set(rec, "form", short_form(t));
			free(t);
		} else {
			vb_upstream_warn(rec, "missing field \"doc-cate\" (form)");
		}
		if ((n = vb_html_first(&h, a, "span[" CLS("doc-notation") "]"))) {
			const char *v;

			t = vb_html_text(n);
			v = t;
			if (v && !strncasecmp(v, "số ", strlen("số ")))
				v += strlen("số ");
			vb_upstream_set(rec, "number", v);
			free(t);
		} else {
			vb_upstream_warn(rec, "missing field \"doc-notation\" (number)");
		}
		/* the abstract: the link's own text after the spans */
		{
			vb_buf b;
			xmlNodePtr c;

			vb_buf_init(&b, 64 * 1024);
			for (c = a->children; c; c = c->next)
				if (c->type == XML_TEXT_NODE && c->content)
					vb_buf_puts(&b, (const char *)c->content);
			if (b.len) {
				xmlNodePtr tmp = xmlNewText((const xmlChar *)b.data);

				t = vb_html_text(tmp);
				xmlFreeNode(tmp);
				vb_upstream_set(rec, "abstract", t);
				free(t);
			}
			vb_buf_dispose(&b);
		}
		if (!vb_upstream_get(rec, "abstract"))
			vb_upstream_warn(rec, "missing field \"trích yếu\"");
		vb_upstream_set(rec, "issuer", issuer);
		json_object_set_new(rec, "part",
				    json_string(part && strstr(part, "quy phạm") ? "normative" : "other"));
		if (k >= 3) {
			xmlXPathObjectPtr files = vb_html_find(&h, td[2], ".//a[@href]");
			int f;

			for (f = 0; files && f < files->nodesetval->nodeNr; f++) {
				char *fh = vb_html_attr(files->nodesetval->nodeTab[f], "href");
				char *fn = vb_html_text(files->nodesetval->nodeTab[f]);

				if (fh && fn && *fn)
					json_array_append_new(json_object_get(rec, "attachments"),
							      json_pack("{s:s, s:s}", "name", fn, "path", fh));
				free(fh);
				free(fn);
			}
			if (files)
				xmlXPathFreeObject(files);
		}
		if (k >= 4) {
			t = vb_html_text(td[3]);
			json_object_set_new(rec, "page", t && atoi(t) > 0 ? json_integer(atoi(t)) : json_null());
			free(t);
		}
		json_array_append_new(docs, rec);
	}
	xmlXPathFreeObject(o);
	vb_html_dispose(&h);
	free(part);
	free(issuer);
	if (!res)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (!seen) {
		json_decref(res);
		return vb_error_set(err, VB_EINVAL, "unparseable gazette issue page: no document rows");
	}
	*out = res;
	return 0;
}

int vb_congbao_parse_gazette_file(const char *html, size_t len, json_t **out, vb_error *err)
{
	vb_html h;
	xmlNodePtr a;
	char *oc = NULL, *title = NULL;
	const char *p, *q;
	int rc;

	*out = NULL;
	if ((rc = vb_html_parse(&h, html, len, err)))
		return vb_error_prefix(err, "unparseable gazette file page");
	a = vb_html_first(&h, NULL, "//a[contains(@onclick, '$file/')]");
	if (a) {
		oc = vb_html_attr(a, "onclick");
		title = vb_html_attr(a, "title");
	}
	/* window.open("str/<UNID>/$file/NAME") */
	if (oc && (p = strchr(oc, '"')) && (q = strchr(p + 1, '"'))) {
		char *path = strndup(p + 1, (size_t)(q - p - 1));
		const char *slash = strrchr(path ? path : "", '/');

		*out = json_pack("{s:s, s:s}", "name", title && *title ? title : slash ? slash + 1 : "",
				 "path", path ? path : "");
		free(path);
	}
	free(oc);
	free(title);
	vb_html_dispose(&h);
	if (!*out)
		return vb_error_set(err, VB_EINVAL,
				    "unparseable gazette file page: no $file link (layout changed?)");
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s && *s ? s : NULL;
}

int vb_congbao_parse_record(const char *json_text, size_t len, json_t **out, vb_error *err)
{
	json_error_t je;
	json_t *in, *rec;
	const char *v, *label, *code;
	char *title = NULL, *name = NULL;

	*out = NULL;
	if (!(in = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(in)) {
		json_decref(in);
		return vb_error_set(err, VB_EINVAL, "gazette record is not a JSON object: %s", je.text);
	}
	rec = vb_upstream_record_new("congbao", "record", jstr(in, "source_url"));
	if (!rec) {
		json_decref(in);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	if ((v = jstr(in, "parent_unid")))
		json_object_set_new(rec, "unid", json_string(v));
	else
		vb_upstream_warn(rec, "missing field \"parent_unid\"");
	if ((v = jstr(in, "so_hieu"))) {
		char *n = vb_text_normalize(v, strlen(v));

		vb_upstream_set(rec, "number", n);
		free(n);
	} else {
		vb_upstream_warn(rec, "missing field \"so_hieu\"");
	}
	set_date(rec, "issue_date", jstr(in, "ngay_ban_hanh"));
	set_date(rec, "effective_date", jstr(in, "ngay_hieu_luc"));
	set_date(rec, "expiry_date", jstr(in, "ngay_het_hieu_luc"));
	vb_upstream_set(rec, "issuer", jstr(in, "co_quan_ban_hanh"));
	label = jstr(in, "loai_van_ban");
	vb_upstream_set(rec, "form_label", label);
	vb_upstream_set(rec, "form", short_form(label));
	if ((v = jstr(in, "trich_yeu"))) {
		char *n = vb_text_normalize(v, strlen(v));

		vb_upstream_set(rec, "abstract", n);
		free(n);
	}
	if ((v = jstr(in, "tinh_trang"))) {
		vb_upstream_set(rec, "status_label", v);
		if ((code = vb_status_code(v)))
			vb_upstream_set(rec, "status", code);
		else
			vb_upstream_warn(rec, "unknown status \"%s\"", v);
	}
	vb_upstream_set(rec, "fields", jstr(in, "linh_vuc"));
	vb_upstream_set(rec, "gazette_source", jstr(in, "so_cong_bao"));
	if ((v = jstr(in, "nguoi_ky"))) {
		vb_congbao_split_signer(v, &title, &name);
		if (name)
			json_array_append_new(json_object_get(rec, "signers"),
					      json_pack("{s:s, s:s?, s:s?}", "name", name, "title", title,
							"issuer", jstr(in, "co_quan_ban_hanh")));
		else
			vb_upstream_warn(rec, "no signer name in \"%s\"", v);
		free(title);
		free(name);
	}
	if ((v = jstr(in, "file_urls"))) {
		const char *p = v;

		while (*p) {
			const char *q = strchr(p, ';');
			size_t n = q ? (size_t)(q - p) : strlen(p);
			char *u = strndup(p, n);
			const char *slash = u ? strrchr(u, '/') : NULL;

			if (u && *u && slash)
				json_array_append_new(json_object_get(rec, "attachments"),
						      json_pack("{s:s, s:s}", "name", slash + 1, "path", u));
			free(u);
			p += n;
			if (q)
				p++;
		}
	}
	json_decref(in);
	*out = rec;
	return 0;
}
