/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sitemaps (sitemaps.org protocol 0.9) and robots.txt (owned by discovery).
 *
 *   GET /sitemap.xml     every document page (/documents/ID) with its last
 *                        change as lastmod, in id order; when there are
 *                        more documents than one sitemap may hold, a
 *                        sitemap index of /sitemaps/1.xml ... instead
 *   GET /sitemaps/N.xml  page N of the documents (404 past the last page)
 *   GET /robots.txt      points crawlers to the sitemap and keeps them out
 *                        of the API and the endless search result pages
 *
 * A sitemap holds at most 50 000 URLs (VB_SITEMAP_MAX, the protocol's
 * limit; its 50 MB limit cannot be reached with URLs this short).
 * VANBAN_SITEMAP_URLS (1-50000) lowers the page size, for tests.  URLs are
 * absolute, from vb_public_base.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static size_t page_size(void)
{
	const char *env = getenv("VANBAN_SITEMAP_URLS");
	char *end;
	long v;

	if (!env || !*env)
		return VB_SITEMAP_MAX;
	v = strtol(env, &end, 10);
	if (*end || v < 1 || v > VB_SITEMAP_MAX)
		return VB_SITEMAP_MAX;
	return (size_t)v;
}

static enum MHD_Result send_xml(vb_request *rq, vb_buf *b, int rc)
{
	vb_error err;

	if (rc) {
		vb_error_set(&err, rc == VB_ETOOBIG ? VB_ETOOBIG : VB_ENOMEM,
			     "the sitemap could not be built");
		return vb_http_send_vb_error(rq, &err);
	}
	return vb_cache_send(rq, "application/xml; charset=utf-8", vb_buf_str(b), b->len,
			     VB_CACHE_FEED_AGE);
}

enum MHD_Result vb_sitemap(vb_request *rq, long page)
{
	char base[VB_CONFIG_STR + 16];
	vb_feed_item *items = NULL;
	vb_store *st;
	vb_error err;
	vb_buf b;
	enum MHD_Result ret;
	size_t per = page_size(), n = 0, i;
	int64_t count = 0, pages;
	int rc;

	vb_error_clear(&err);
	vb_buf_init(&b, VB_HTTP_MAX_BODY);
	vb_public_base(rq, base, sizeof(base));
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_count_documents(st, &count, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	pages = count ? (count + (int64_t)per - 1) / (int64_t)per : 1;
	if (page < 0 && pages > 1) {
		/* A sitemap index. */
		rc = vb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (i = 1; !rc && (int64_t)i <= pages; i++) {
			rc = vb_buf_puts(&b, "<sitemap><loc>");
			if (!rc)
				rc = vb_xml_put(&b, base);
			if (!rc)
				rc = vb_buf_printf(&b, "/sitemaps/%zu.xml</loc></sitemap>\n", i);
		}
		if (!rc)
			rc = vb_buf_puts(&b, "</sitemapindex>\n");
		ret = send_xml(rq, &b, rc);
		goto out;
	}
	if (page < 0)
		page = 1;
	if (page > pages) {
		ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					 "no such sitemap page");
		goto out;
	}
	if ((rc = vb_store_sitemap_page(st, (int64_t)(page - 1) * (int64_t)per, per, &items, &n,
					&err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	rc = vb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; !rc && i < n; i++) {
		rc = vb_buf_puts(&b, "<url><loc>");
		if (!rc)
			rc = vb_xml_put(&b, base);
		if (!rc)
			rc = vb_buf_printf(&b, "/documents/%lld</loc><lastmod>%s</lastmod></url>\n",
					   (long long)items[i].id, items[i].updated_at);
	}
	if (!rc)
		rc = vb_buf_puts(&b, "</urlset>\n");
	ret = send_xml(rq, &b, rc);
out:
	free(items);
	vb_buf_dispose(&b);
	return ret;
}

enum MHD_Result vb_robots(vb_request *rq)
{
	char base[VB_CONFIG_STR + 16];
	vb_buf b;
	enum MHD_Result ret;
	int rc;

	vb_buf_init(&b, 8192);
	vb_public_base(rq, base, sizeof(base));
	rc = vb_buf_printf(&b, "User-agent: *\n"
			   "Disallow: /api/\n"
			   "Disallow: /search\n"
			   "Disallow: /feeds/search.atom\n"
			   "Allow: /\n"
			   "\n"
			   "Sitemap: %s/sitemap.xml\n", base);
	if (rc) {
		vb_buf_dispose(&b);
		return MHD_NO;
	}
	ret = vb_cache_send(rq, "text/plain; charset=utf-8", vb_buf_str(&b), b.len,
			    VB_CACHE_FEED_AGE);
	vb_buf_dispose(&b);
	return ret;
}
