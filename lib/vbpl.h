/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsers for the pages of the national legal database (legacy vbpl.vn,
 * SharePoint pages /TW/Pages/vbpq-*.aspx?ItemID=N): thuộc tính
 * (attributes), toàn văn (full text), lược đồ (the relation boxes), VB liên
 * quan (related documents) and the search / list pages.  Built on libxml2's
 * HTML parser and XPath (lib/upstream.h); the page layouts are described in
 * the corpus README (vbpl_html_fixtures) and docs/sync.md.
 *
 * Layout drift: a missing field is a warning in the record; a page that
 * has none of the structure a page of its kind must have (e.g. a thuộc
 * tính page without div.vbProperties) is VB_EINVAL "unparseable ... page".
 * Pure and thread-safe.
 */
#ifndef VB_VBPL_H
#define VB_VBPL_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

/* Thuộc tính (also the VBHN variant vbpq-thuoctinh-hopnhat.aspx): a new
 * upstream record (lib/upstream.h) in *out with the fields, signers
 * ({"issuer","title","name"}), attachments ({"name","path"}) and
 * warnings, plus "item_id" (number, when the page names it) and "kind"
 * ("vbpq" or "hopnhat").  url (may be NULL) is kept as provenance. */
int vb_vbpl_parse_thuoctinh(const char *html, size_t len, const char *url, json_t **out,
			    vb_error *err);

/* Toàn văn: the text of div#toanvancontent as paragraphs (one per line),
 * NFC, as a new string in *text.  VB_EINVAL when the page has no such
 * div, or it is empty. */
int vb_vbpl_parse_toanvan(const char *html, size_t len, char **text, vb_error *err);

/* Lược đồ: *out gets {"boxes": [{"title": verbatim box title, "count":
 * the count shown (or the number of items), "items": [{"item_id",
 * "number", "title", "url"}]}], "warnings": [...]}.  The current document's
 * own box ("Văn bản hiện thời") is left out.  The VBHN variant yields one
 * box "Văn bản được hợp nhất" (the consolidated documents). */
int vb_vbpl_parse_luocdo(const char *html, size_t len, json_t **out, vb_error *err);

/* VB liên quan: the same shape as the lược đồ ({"boxes": ...}); items
 * also carry "issue_date" / "effective_date" (ISO) when shown. */
int vb_vbpl_parse_lienquan(const char *html, size_t len, json_t **out, vb_error *err);

/* Search / list page: {"total": N or null, "page": current, "last_page":
 * last, "items": [{"item_id", "kind" ("vbpq"|"hopnhat"), "title",
 * "number", "abstract", "issue_date", "effective_date", "status",
 * "attachments": [{"name","path"}]}]}.  An empty list is valid. */
int vb_vbpl_parse_list(const char *html, size_t len, json_t **out, vb_error *err);

/* The document number in a vbpl title such as "Nghị quyết 42/2017/QH14 Về
 * thí điểm ..." or "Luật 31/VBHN-VPQH": a new string, or NULL when no
 * word of the title looks like a number ("Hiến pháp Không số ..."). */
char *vb_vbpl_title_number(const char *title);

#endif
