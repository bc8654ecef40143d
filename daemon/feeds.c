/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Atom feeds (RFC 4287) and the router of the discovery routes (owned by
 * discovery).
 *
 *   GET /feeds/documents.atom?portal=&form=&issuer=&year=&status=&issued_from=&issued_to=
 *       the 50 documents changed last (PostgreSQL's updated time, newest
 *       first), narrowed by the filters of a search (a portal's scope
 *       included: the parameters are read by vb_search_page_parse); the
 *       search-only parameters (q, sort, paging, ranking, in_force_on) are
 *       refused with 400
 *   GET /feeds/search.atom?<the parameters of /api/v1/search>
 *       a saved search as a feed: that page of the search result (sorted
 *       by issue date, newest first, unless sort= is given)
 *
 * Each entry: a tag: URI id that does not depend on the host name, title
 * (number and abstract), updated (the document's last change), published
 * (issue date), links to the HTML page, the JSON record and each file
 * (enclosure), a plain-text summary with the regulation's fields, and the
 * form and issuer as categories.  The body gets an ETag and
 * Cache-Control (cache.c), so feed readers poll with If-None-Match.
 *
 * The router answers GET and HEAD of its paths (405 otherwise); routes
 * that take no parameters refuse any.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "document.h"
#include "log.h"

#define FEED_DOCUMENTS_MAX 50
#define FEED_TAG "tag:quangninh.gov.vn,2023:vanban"
#define FEED_AUTHOR "Cổng thông tin điện tử tỉnh Quảng Ninh"

/* ---- helpers shared by the discovery modules ---- */

int vb_xml_put(struct vb_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t start = 0, i;
	int rc;

	for (i = 0; p[i]; i++) {
		const char *rep;

		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		case '\t': case '\n': case '\r': continue;
		default:
			if (p[i] >= 0x20 && p[i] != 0x7f)
				continue;
			rep = ""; /* not allowed in XML 1.0 */
		}
		if ((rc = vb_buf_append(b, s + start, i - start)) || (rc = vb_buf_puts(b, rep)))
			return rc;
		start = i + 1;
	}
	return vb_buf_append(b, s + start, i - start);
}

static int host_ok(const char *h)
{
	size_t n = strlen(h), i;

	if (!n || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
		      (h[i] >= '0' && h[i] <= '9') || strchr(".-:[]", h[i])))
			return 0;
	return 1;
}

void vb_public_base(vb_request *rq, char *out, size_t outsz)
{
	const char *env = getenv("VANBAN_PUBLIC_URL");
	const char *host;
	size_t n;

	if (env && (!strncmp(env, "http://", 7) || !strncmp(env, "https://", 8)) &&
	    strlen(env) < outsz) {
		snprintf(out, outsz, "%s", env);
		n = strlen(out);
		while (n > 8 && out[n - 1] == '/')
			out[--n] = '\0';
		return;
	}
	host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host || !host_ok(host))
		host = rq->d->cfg.listen;
	snprintf(out, outsz, "http://%s", host);
}

int vb_url_put_pct(struct vb_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int rc = 0;

	for (p = (const unsigned char *)s; *p && !rc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			rc = vb_buf_putc(b, (char)*p);
		else
			rc = vb_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return rc;
}

/* The request's query string, percent-encoded again. */
struct qs_ctx {
	vb_buf *b;
	int rc;
	int first;
};

static enum MHD_Result qs_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			     const char *value)
{
	struct qs_ctx *c = cls;

	if (!key)
		return MHD_YES;
	if ((c->rc = vb_buf_putc(c->b, c->first ? '?' : '&')) ||
	    (c->rc = vb_url_put_pct(c->b, key)))
		return MHD_NO;
	c->first = 0;
	if (value && ((c->rc = vb_buf_putc(c->b, '=')) ||
		      (c->rc = vb_url_put_pct(c->b, value))))
		return MHD_NO;
	return MHD_YES;
}

/* "?a=1&b=2" of the request (percent-encoded again), or "". */
static int query_string(vb_request *rq, vb_buf *b)
{
	struct qs_ctx c = { b, 0, 1 };

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, qs_cb, &c);
	return c.rc;
}

/* ---- Atom ---- */

static int put_el(vb_buf *b, const char *name, const char *value)
{
	int rc;

	if ((rc = vb_buf_printf(b, "<%s>", name)) || (rc = vb_xml_put(b, value)))
		return rc;
	return vb_buf_printf(b, "</%s>\n", name);
}

static int put_entry(vb_buf *b, const char *base, const vb_document *d)
{
	const char *status = d->status ? d->status : VB_STATUS_UNKNOWN;
	vb_buf t;
	size_t i;
	int rc;

	vb_buf_init(&t, 64 * 1024);
	/* title: "05/2023/QĐ-UBND — Ban hành ..." */
	if (d->number && *d->number)
		rc = vb_buf_puts(&t, d->number);
	else
		rc = vb_buf_printf(&t, "%s %lld", d->form && *d->form ? d->form : "Văn bản",
				   (long long)d->id);
	if (!rc && d->abstract && *d->abstract)
		rc = vb_buf_printf(&t, " — %s", d->abstract);
	if (rc)
		goto out;
	if ((rc = vb_buf_puts(b, "<entry>\n")) ||
	    (rc = vb_buf_printf(b, "<id>" FEED_TAG ":document:%lld</id>\n", (long long)d->id)) ||
	    (rc = put_el(b, "title", vb_buf_str(&t))) ||
	    (rc = put_el(b, "updated", d->updated_at)))
		goto out;
	if (d->issue_date[0] &&
	    (rc = vb_buf_printf(b, "<published>%sT00:00:00+07:00</published>\n", d->issue_date)))
		goto out;
	if ((rc = vb_buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"")) ||
	    (rc = vb_xml_put(b, base)) ||
	    (rc = vb_buf_printf(b, "/documents/%lld\"/>\n", (long long)d->id)) ||
	    (rc = vb_buf_puts(b, "<link rel=\"alternate\" type=\"application/json\" href=\"")) ||
	    (rc = vb_xml_put(b, base)) ||
	    (rc = vb_buf_printf(b, "/api/v1/documents/%lld\"/>\n", (long long)d->id)))
		goto out;
	for (i = 0; i < d->n_files; i++) {
		const vb_file *f = &d->files[i];

		if ((rc = vb_buf_puts(b, "<link rel=\"enclosure\" type=\"")) ||
		    (rc = vb_xml_put(b, f->media_type && *f->media_type ? f->media_type :
				     "application/octet-stream")) ||
		    (rc = vb_buf_printf(b, "\" length=\"%lld\" title=\"", (long long)f->size)) ||
		    (rc = vb_xml_put(b, f->name)) ||
		    (rc = vb_buf_puts(b, "\" href=\"")) ||
		    (rc = vb_xml_put(b, base)) ||
		    (rc = vb_buf_printf(b, "/api/v1/documents/%lld/files/%zu\"/>\n",
					(long long)d->id, i)))
			goto out;
	}
	/* summary: the abstract, then the regulation's fields. */
	vb_buf_reset(&t);
	if (d->abstract && *d->abstract)
		rc = vb_buf_printf(&t, "%s\n", d->abstract);
	if (!rc && d->form && *d->form)
		rc = vb_buf_printf(&t, "Hình thức: %s\n", d->form);
	if (!rc && d->issuer && *d->issuer)
		rc = vb_buf_printf(&t, "Cơ quan ban hành: %s\n", d->issuer);
	if (!rc && d->number && *d->number)
		rc = vb_buf_printf(&t, "Số ký hiệu: %s\n", d->number);
	if (!rc && d->issue_date[0])
		rc = vb_buf_printf(&t, "Ngày ban hành: %s\n", d->issue_date);
	if (!rc && d->effective_date[0])
		rc = vb_buf_printf(&t, "Ngày hiệu lực: %s\n", d->effective_date);
	if (!rc)
		rc = vb_buf_printf(&t, "Tình trạng: %s", vb_status_label(status, "vi"));
	if (rc || (rc = vb_buf_puts(b, "<summary type=\"text\">")) ||
	    (rc = vb_xml_put(b, vb_buf_str(&t))) || (rc = vb_buf_puts(b, "</summary>\n")))
		goto out;
	if (d->form && *d->form &&
	    ((rc = vb_buf_puts(b, "<category scheme=\"" FEED_TAG ":form\" term=\"")) ||
	     (rc = vb_xml_put(b, d->form)) || (rc = vb_buf_puts(b, "\"/>\n"))))
		goto out;
	if (d->issuer && *d->issuer &&
	    ((rc = vb_buf_puts(b, "<category scheme=\"" FEED_TAG ":issuer\" term=\"")) ||
	     (rc = vb_xml_put(b, d->issuer)) || (rc = vb_buf_puts(b, "\"/>\n"))))
		goto out;
	if ((rc = vb_buf_puts(b, "<category scheme=\"" FEED_TAG ":status\" term=\"")) ||
	    (rc = vb_xml_put(b, status)) || (rc = vb_buf_puts(b, "\" label=\"")) ||
	    (rc = vb_xml_put(b, vb_status_label(status, "vi"))) ||
	    (rc = vb_buf_puts(b, "\"/>\n")) || (rc = vb_buf_puts(b, "</entry>\n")))
		goto out;
out:
	vb_buf_dispose(&t);
	return rc;
}

/* The feed of the documents ids[0..n) (in that order; ids no longer in the
 * store are left out), sent with an ETag. */
static enum MHD_Result send_feed(vb_request *rq, const char *title, const char *portal,
				 const char *feed_path, const char *html_path, const int64_t *ids,
				 size_t n)
{
	char base[VB_CONFIG_STR + 16];
	vb_document *docs = NULL;
	const char *updated = "1970-01-01T00:00:00Z";
	vb_store *st;
	vb_error err;
	vb_buf b, qs, t;
	enum MHD_Result ret;
	size_t i, nd = 0;
	int rc = 0;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_buf_init(&qs, 2 * VB_HTTP_MAX_URL);
	vb_buf_init(&t, 4096);
	vb_public_base(rq, base, sizeof(base));
	if (n && !(docs = calloc(n, sizeof(*docs)))) {
		ret = MHD_NO;
		goto out;
	}
	if (n && (rc = vb_worker_store(rq->d, &st, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = vb_store_get_document(st, ids[i], 0, &docs[nd], &err);
		if (rc == VB_ENOTFOUND)
			continue; /* deleted since the index or list was read */
		if (rc) {
			if (rc == VB_EDB)
				vb_worker_store_failed();
			ret = vb_http_send_vb_error(rq, &err);
			goto out;
		}
		if (strcmp(docs[nd].updated_at, updated) > 0)
			updated = docs[nd].updated_at;
		nd++;
	}
	if ((rc = query_string(rq, &qs)))
		goto fail;
	rc = vb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			 "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
	if (!rc)
		rc = vb_buf_puts(&b, "<id>");
	if (!rc)
		rc = vb_xml_put(&b, base);
	if (!rc)
		rc = vb_xml_put(&b, feed_path);
	if (!rc)
		rc = vb_xml_put(&b, vb_buf_str(&qs));
	if (!rc)
		rc = vb_buf_puts(&b, "</id>\n");
	if (!rc && portal && *portal)
		rc = vb_buf_printf(&t, "%s — %s", title, portal);
	else if (!rc)
		rc = vb_buf_puts(&t, title);
	if (!rc)
		rc = put_el(&b, "title", vb_buf_str(&t));
	if (!rc)
		rc = put_el(&b, "updated", updated);
	if (!rc)
		rc = vb_buf_puts(&b, "<author><name>" FEED_AUTHOR "</name></author>\n"
				 "<generator version=\"" PACKAGE_VERSION "\">vanban</generator>\n"
				 "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	if (!rc)
		rc = vb_xml_put(&b, base);
	if (!rc)
		rc = vb_xml_put(&b, feed_path);
	if (!rc)
		rc = vb_xml_put(&b, vb_buf_str(&qs));
	if (!rc)
		rc = vb_buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	if (!rc)
		rc = vb_xml_put(&b, base);
	if (!rc)
		rc = vb_xml_put(&b, html_path);
	if (!rc)
		rc = vb_xml_put(&b, vb_buf_str(&qs));
	if (!rc)
		rc = vb_buf_puts(&b, "\"/>\n");
	for (i = 0; !rc && i < nd; i++)
		rc = put_entry(&b, base, &docs[i]);
	if (!rc)
		rc = vb_buf_puts(&b, "</feed>\n");
fail:
	if (rc) {
		vb_error_set(&err, rc == VB_ETOOBIG ? VB_ETOOBIG : VB_ENOMEM,
			     "the feed could not be built");
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	ret = vb_cache_send(rq, "application/atom+xml; charset=utf-8", vb_buf_str(&b), b.len,
			    VB_CACHE_FEED_AGE);
out:
	for (i = 0; i < nd; i++)
		vb_document_dispose(&docs[i]);
	free(docs);
	vb_buf_dispose(&t);
	vb_buf_dispose(&qs);
	vb_buf_dispose(&b);
	return ret;
}

/* A search parameter that means nothing for the documents feed. */
static const char *const not_for_documents_feed[] = {
	"q", "sort", "page", "per_page", "prefer_in_force", "synonyms", "in_force_on", NULL
};

enum MHD_Result vb_feed_documents(vb_request *rq)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_feed_filter f;
	vb_feed_item *items = NULL;
	int64_t *ids = NULL;
	vb_store *st;
	vb_error err;
	enum MHD_Result ret;
	size_t i, n = 0;
	int rc;

	vb_error_clear(&err);
	vb_search_page_init(&sp);
	for (i = 0; not_for_documents_feed[i]; i++)
		if (MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
						not_for_documents_feed[i])) {
			char msg[160];

			snprintf(msg, sizeof(msg), "%s does not apply to the feed of changed "
				 "documents (use /feeds/search.atom)", not_for_documents_feed[i]);
			ret = vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid",
						 not_for_documents_feed[i], msg);
			goto out;
		}
	if ((rc = vb_search_page_parse(rq, &sp, &perr))) {
		ret = vb_search_send_param_error(rq, rc, &perr);
		goto out;
	}
	vb_feed_filter_init(&f);
	f.forms = sp.params.req.forms;
	f.n_forms = sp.params.req.n_forms;
	f.issuers = sp.params.req.issuers;
	f.n_issuers = sp.params.req.n_issuers;
	f.statuses = sp.params.req.statuses;
	f.n_statuses = sp.params.req.n_statuses;
	f.years = sp.params.req.years;
	f.n_years = sp.params.req.n_years;
	f.issued_from = sp.params.req.issued_from;
	f.issued_to = sp.params.req.issued_to;
	f.has_scope = sp.params.req.has_scope;
	f.scope = sp.params.req.scope_issuers;
	f.n_scope = sp.params.req.n_scope_issuers;
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_feed_recent(st, &f, FEED_DOCUMENTS_MAX, &items, &n, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	if (n && !(ids = calloc(n, sizeof(*ids)))) {
		ret = MHD_NO;
		goto out;
	}
	for (i = 0; i < n; i++)
		ids[i] = items[i].id;
	ret = send_feed(rq, "Văn bản mới ban hành và mới cập nhật", sp.portal.name,
			"/feeds/documents.atom", "/search", ids, n);
out:
	free(ids);
	free(items);
	vb_search_page_dispose(&sp);
	return ret;
}

enum MHD_Result vb_feed_search(vb_request *rq)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	int64_t *ids = NULL;
	enum MHD_Result ret;
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_search_page_init(&sp);
	if ((rc = vb_search_page_parse(rq, &sp, &perr))) {
		ret = vb_search_send_param_error(rq, rc, &perr);
		goto out;
	}
	/* A feed follows what is new: newest first unless asked otherwise. */
	if (!MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "sort"))
		sp.params.req.sort = VB_SORT_ISSUED_DESC;
	sp.params.req.no_suggest = 1;
	sp.no_snippets = 1;
	if ((rc = vb_search_page_run(rq, &sp, &err))) {
		if (rc == VB_EAGAIN)
			ret = vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
						 NULL, "the search index is not available yet");
		else
			ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	if (sp.res.n_hits && !(ids = calloc(sp.res.n_hits, sizeof(*ids)))) {
		ret = MHD_NO;
		goto out;
	}
	for (i = 0; i < sp.res.n_hits; i++)
		ids[i] = sp.res.hits[i].id;
	ret = send_feed(rq, "Kết quả tìm kiếm văn bản", sp.portal.name, "/feeds/search.atom",
			"/search", ids, sp.res.n_hits);
out:
	free(ids);
	vb_search_page_dispose(&sp);
	return ret;
}

/* ---- the router ---- */

static enum MHD_Result method_not_allowed(vb_request *rq)
{
	struct MHD_Response *resp;
	static const char body[] =
		"{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"only GET and HEAD are allowed\"}}";

	resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	return vb_http_send(rq, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
}

/* "/sitemaps/N.xml" -> N (1..99999), else -1. */
static long sitemap_page(const char *url)
{
	const char *p = url + strlen("/sitemaps/");
	long v = 0;
	int digits = 0;

	if (strncmp(url, "/sitemaps/", 10) || *p == '0')
		return -1;
	for (; *p >= '0' && *p <= '9' && digits < 5; p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits || strcmp(p, ".xml"))
		return -1;
	return v;
}

int vb_route_discovery(vb_request *rq, enum MHD_Result *ret)
{
	enum { D_FEED_DOCS, D_FEED_SEARCH, D_OPENSEARCH, D_SITEMAP, D_SITEMAP_PAGE, D_ROBOTS,
	       D_BUNDLE } r;
	const char *url = rq->url;
	long page = -1;

	if (!strcmp(url, "/feeds/documents.atom"))
		r = D_FEED_DOCS;
	else if (!strcmp(url, "/feeds/search.atom"))
		r = D_FEED_SEARCH;
	else if (!strcmp(url, "/opensearch.xml"))
		r = D_OPENSEARCH;
	else if (!strcmp(url, "/sitemap.xml"))
		r = D_SITEMAP;
	else if ((page = sitemap_page(url)) > 0)
		r = D_SITEMAP_PAGE;
	else if (!strcmp(url, "/robots.txt"))
		r = D_ROBOTS;
	else if (!strcmp(url, "/api/v1/bundle"))
		r = D_BUNDLE;
	else
		return 0;
	if (strcmp(rq->method, MHD_HTTP_METHOD_GET) && strcmp(rq->method, MHD_HTTP_METHOD_HEAD)) {
		*ret = method_not_allowed(rq);
		return 1;
	}
	if ((r == D_SITEMAP || r == D_SITEMAP_PAGE || r == D_ROBOTS) &&
	    vb_http_refuse_args(rq, ret))
		return 1;
	switch (r) {
	case D_FEED_DOCS:
		*ret = vb_feed_documents(rq);
		break;
	case D_FEED_SEARCH:
		*ret = vb_feed_search(rq);
		break;
	case D_OPENSEARCH:
		*ret = vb_opensearch(rq);
		break;
	case D_SITEMAP:
		*ret = vb_sitemap(rq, -1);
		break;
	case D_SITEMAP_PAGE:
		*ret = vb_sitemap(rq, page);
		break;
	case D_ROBOTS:
		*ret = vb_robots(rq);
		break;
	case D_BUNDLE:
		*ret = vb_api_bundle(rq);
		break;
	}
	return 1;
}
