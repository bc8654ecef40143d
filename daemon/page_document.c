/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML document page (GET /documents/{id}, lang= its only parameter),
 * in the frame of pages.c: every field the portal regulation lists, the
 * download links, the validity / ELI / timeline / relations block of
 * page_relations.c, the full text, schema.org Legislation as JSON-LD and
 * the source line a reuser must cite.  A withdrawn document gets the 410
 * page of pages.c.
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
	vb_page_date_html(b, lang, iso);
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
	struct vb_page_head h = { 0 };
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
	lang = vb_page_lang(rq, la.lang);
	if (la.bad[0]) {
		char msg[200];

		vb_i18n_format(lang, VB_MSG_BAD_PARAMETER, msg, sizeof(msg), la.bad,
			       !strcmp(la.bad, "lang") ?
			       "lang must be one of vi, en, zh, given once" : "unknown parameter");
		ret = vb_page_error_in(rq, lang, MHD_HTTP_BAD_REQUEST, msg);
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
			ret = vb_page_error_in(rq, lang, MHD_HTTP_NOT_FOUND,
					       T(lang, VB_MSG_NOT_FOUND_DOC));
		} else {
			vb_warn("document page: %s", err.msg);
			ret = vb_page_error_in(rq, lang, (unsigned)vb_code_http_status(rc),
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
	vb_page_begin(&b, &h);
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
	vb_page_end(&b, lang);
	ret = vb_page_send(rq, MHD_HTTP_OK, &b, VB_CACHE_DOC_AGE);
out:
	free(jsonld);
	vb_buf_dispose(&b);
	vb_buf_dispose(&title);
	vb_document_dispose(&doc);
	return ret;
}
