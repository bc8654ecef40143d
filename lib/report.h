/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The yearly activity report (QĐ 05/2023/QĐ-UBND Điều 23.3: every portal
 * reports by 15 November): documents issued in the period by month, form
 * and issuer, new and changed documents per source, searches, top queries
 * and queries that found nothing (only those seen at least min_count
 * times), document views and downloads, and the sync health.  Built from
 * the store (vb_store_report_collect) as one JSON object, then rendered as
 * JSON, CSV (section,key,measure,value) or one self-contained HTML page
 * with inline SVG charts (lib/svgchart.h) and a table beside each chart,
 * in Vietnamese: every label shown comes from one table (vb_report_label),
 * so that a translation is one more column.
 *
 * Also the query normalisation the usage counters use, so that the same
 * search typed differently counts once.  Thread-safe.
 */
#ifndef VB_REPORT_H
#define VB_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "store.h"

enum vb_report_format { VB_REPORT_JSON, VB_REPORT_CSV, VB_REPORT_HTML };

/* Largest report rendered, bytes. */
#define VB_REPORT_MAX_BYTES (8u * 1024 * 1024)
#define VB_REPORT_YEAR_MIN 1945
#define VB_REPORT_YEAR_MAX 9999

typedef struct vb_report_opts {
	int year;                    /* the calendar year reported */
	const char *portal;          /* NULL = every portal; else its usage, and
					its documents by the issuers of its scope
					(lib/portal.h; a merged portal stands for
					its successor) */
	const char *const *issuers;  /* overrides the portal's issuers; NULL =
					the portal's (all documents without one) */
	size_t n_issuers;
	int min_count;               /* queries listed when seen >= this (>= 1) */
	size_t top;                  /* list length, 1-100 (0: 20) */
} vb_report_opts;

/* "json", "csv", "html" -> *out.  0 or VB_EINVAL. */
int vb_report_format_parse(const char *s, enum vb_report_format *out);
/* The Content-Type of a format ("text/csv; charset=utf-8", ...). */
const char *vb_report_media_type(enum vb_report_format f);

/* The report as a new JSON object in *out: "year", "period" {from, to},
 * "portal" (the resolved id, or null), "portal_name", "documents_scope"
 * ("all" or "portal"), "min_count", "generated_at", and the figures of
 * vb_store_report_collect.  0, VB_EINVAL (year out of range, unknown
 * portal), VB_EDB. */
int vb_report_build(vb_store *st, const vb_report_opts *o, json_t **out, vb_error *err);

/* Render a report built by vb_report_build into out (a vb_buf with a
 * limit of at least VB_REPORT_MAX_BYTES is enough).  0, VB_EINVAL (not a
 * report), VB_ETOOBIG, VB_ENOMEM. */
int vb_report_render(const json_t *report, enum vb_report_format f, vb_buf *out,
		     vb_error *err);

/* The Vietnamese label of a report key ("documents_by_form", "T3", ...);
 * the key itself when there is none. */
const char *vb_report_label(const char *key);

/* Normalise a search query for the usage counters: NFC, words (letters and
 * digits) in lower case with canonical tone placement, joined by one
 * space, cut at a word boundary to fit VB_ACTIVITY_QUERY_MAX bytes.
 * Writes at most cap - 1 bytes plus NUL into out and returns the length;
 * 0 when the query has no word (out is then ""). */
size_t vb_report_normalize_query(const char *q, char *out, size_t cap);

#endif
