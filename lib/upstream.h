/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Upstream records: what the importers of the national legal database
 * (lib/vbpl.c) and the provincial gazette (lib/congbao.c) read from a page,
 * with per-field provenance, and the HTML helpers both parsers share
 * (libxml2's HTML parser + XPath).
 *
 * A record is a JSON object (jansson, owned by the caller):
 *
 *   {"source": "vbpl", "page": "thuoctinh", "url": "https://...",
 *    "fields": {"number": {"value": "101/2015/QH13", "source": "vbpl",
 *                          "url": "https://..."}, ...},
 *    "signers": [{"name", "title", "issuer"}],
 *    "attachments": [{"name", "path"}],
 *    "warnings": ["missing field \"Ngày có hiệu lực\""]}
 *
 * Field names are the vb_document ones: number, form, issuer, issue_date,
 * effective_date, expiry_date, abstract, status (a VB_STATUS_* code),
 * status_label (as written), gazette_date, gazette_source, scope, fields
 * (lĩnh vực, "; "-separated), attested_date (VBHN "Ngày xác thực").
 * Layout drift is tolerated: a field that is not found is a warning in the
 * record, never an error.  Every string is normalised (vb_text_normalize).
 *
 * Thread-safe: no global state besides libxml2's, which is initialised
 * once (xmlInitParser) by vb_html_parse.
 */
#ifndef VB_UPSTREAM_H
#define VB_UPSTREAM_H

#include <stddef.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "document.h"
#include "error.h"

/* Largest page the parsers accept, bytes. */
#define VB_UPSTREAM_MAX_PAGE ((size_t)32 * 1024 * 1024)
/* Largest full text taken from a page. */
#define VB_UPSTREAM_MAX_TEXT ((size_t)32 * 1024 * 1024)

typedef struct vb_html {
	htmlDocPtr doc;
	xmlXPathContextPtr xp;
} vb_html;

/* Parse len bytes of HTML (UTF-8 unless the page says otherwise).  0,
 * VB_ETOOBIG (> VB_UPSTREAM_MAX_PAGE), VB_EINVAL (not HTML at all). */
int vb_html_parse(vb_html *h, const char *data, size_t len, vb_error *err);
void vb_html_dispose(vb_html *h);
/* Nodes matching xpath relative to ctx (NULL: the document); NULL when
 * none.  Free with xmlXPathFreeObject. */
xmlXPathObjectPtr vb_html_find(vb_html *h, xmlNodePtr ctx, const char *xpath);
/* First node matching xpath, or NULL. */
xmlNodePtr vb_html_first(vb_html *h, xmlNodePtr ctx, const char *xpath);
/* The text under n, white space collapsed, trimmed, normalised (NFC):
 * a new string ("" when empty), NULL on allocation failure. */
char *vb_html_text(xmlNodePtr n);
/* The text under n as paragraphs (block elements end a line; blank lines
 * collapse), appended to out.  0 or VB_ETOOBIG. */
int vb_html_block_text(xmlNodePtr n, vb_buf *out);
/* Attribute value of n (new string) or NULL. */
char *vb_html_attr(xmlNodePtr n, const char *name);
/* The ItemID=N query value in a URL or href; 0 when none. */
long vb_html_item_id(const char *href);

/* A new empty record {"source", "page", "url", "fields": {}, "signers":
 * [], "attachments": [], "warnings": []}; NULL on allocation failure. */
json_t *vb_upstream_record_new(const char *source, const char *page, const char *url);
/* Set fields[name] = {"value", "source", "url"} from the record's own
 * source and url.  value NULL or "" is ignored.  0 or VB_ENOMEM. */
int vb_upstream_set(json_t *rec, const char *name, const char *value);
/* The value of a field, or NULL (borrowed). */
const char *vb_upstream_get(const json_t *rec, const char *name);
/* Append a warning. */
void vb_upstream_warn(json_t *rec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy every field of from that into has not (the first source wins);
 * signers, attachments and warnings are appended. */
int vb_upstream_merge(json_t *into, const json_t *from);

/* Fill doc (initialised by the caller) with the record's metadata:
 * number (+ canonical key), form, issuer, dates, abstract, status,
 * signers, fields.  source / source_id / text / files are the caller's.
 * 0 or VB_ENOMEM. */
int vb_upstream_to_document(const json_t *rec, vb_document *doc, vb_error *err);

#endif
