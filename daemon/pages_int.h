/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The frame of the HTML pages (pages.c), shared by the pages built in it
 * (page_search.c, page_document.c) and by nothing else: the head of a
 * page, the language of a request, the frame, sending a page, the error
 * page.  Everything here runs on the worker that answers the request and
 * keeps no state.
 */
#ifndef VB_PAGES_INT_H
#define VB_PAGES_INT_H

#include <string.h>

#include "daemon.h"
#include "buf.h"
#include "i18n.h"

/* The head and the frame of a page. */
struct vb_page_head {
	vb_lang lang;
	const char *title;
	const char *base;                     /* vb_public_base, or NULL */
	const char *canonical;                /* escaped path, or NULL */
	const char *lang_urls[VB_LANG_COUNT]; /* escaped URLs of the switcher */
	const char *feed;                     /* escaped Atom URL, or NULL */
	const char *jsonld;                   /* JSON (</ escaped), or NULL */
	const char *opensearch;               /* escaped URL; NULL: the default */
};

/* s (NULL: nothing) HTML-escaped into b. */
static inline void html(vb_buf *b, const char *s)
{
	if (s)
		vb_buf_put_html(b, s, strlen(s));
}

/* Message m of the catalogue in lang (borrowed, static). */
static inline const char *T(vb_lang lang, vb_msg m)
{
	return vb_i18n(lang, m);
}

/* lang="vi" on data shown inside a page of another language. */
static inline const char *data_lang(vb_lang lang)
{
	return lang == VB_LANG_VI ? "" : " lang=\"vi\"";
}

/* The language of this request: param (lang=, already checked by the
 * caller; NULL or "" when absent), then Accept-Language, then
 * portal_default (NULL: Vietnamese). */
vb_lang vb_page_lang_in(vb_request *rq, const char *param, const char *portal_default);
/* The same with Vietnamese as the default. */
vb_lang vb_page_lang(vb_request *rq, const char *param);

/* An ISO date (NULL or "": "—") as a <time> shown the way lang writes
 * dates. */
void vb_page_date_html(vb_buf *b, vb_lang lang, const char *iso);

/* The page up to <main> (head, skip link, site header, language switcher)
 * and from </main> to the end (footer with the source line). */
void vb_page_begin(vb_buf *b, const struct vb_page_head *h);
void vb_page_end(vb_buf *b, vb_lang lang);

/* Sends the page in b.  A 200 page is cacheable for max_age seconds with a
 * strong ETag (a matching If-None-Match gets 304, daemon/cache.c); error
 * pages and other statuses are sent with "no-cache".  b stays the
 * caller's to dispose. */
enum MHD_Result vb_page_send(vb_request *rq, unsigned status, vb_buf *b, int max_age);

/* The error page with status and message (already in lang), in lang. */
enum MHD_Result vb_page_error_in(vb_request *rq, vb_lang lang, unsigned status,
				 const char *message);

#endif
