/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsers for the provincial gazette (Công báo tỉnh) as published by the
 * Lotus Domino portals (congbao.nsf; the saved Sơn La pages of the corpus,
 * congbao_sonla/html_samples, and the crawler records records.jsonl):
 *
 *  - the issues of a year (GazettesByYearMonth view): "Số 44 + 45 Ngày
 *    10/7" links with the issue's document id;
 *  - the documents of one issue: rows of date, form ("doc-cate"), number
 *    ("doc-notation"), abstract, attached file and page, grouped under
 *    "Phần văn bản quy phạm pháp luật" / "Phần văn bản khác" and issuer
 *    headings;
 *  - the gazette file (the signed PDF of the whole issue);
 *  - one crawler record (JSON) with the document's full metadata.
 *
 * Results are upstream records with provenance (lib/upstream.h, source
 * "congbao").  Missing fields are warnings; a page without the structure
 * of its kind is VB_EINVAL naming what is missing.  Pure, thread-safe.
 */
#ifndef VB_CONGBAO_H
#define VB_CONGBAO_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

/* Issues page: {"issues": [{"label": "Số 44 + 45 Ngày 10/7/2026",
 * "numbers": "44 + 45", "date": "2026-07-10", "year": 2026, "unid": the
 * issue's document id (lower case hex), "url"}]} in page order. */
int vb_congbao_parse_issues(const char *html, size_t len, json_t **out, vb_error *err);

/* Documents of an issue: {"documents": [upstream record + "unid" (the
 * document's ParentUNID), "part" ("normative" | "other"), "page" (first
 * page in the issue, number or null)]}.  url (may be NULL) is the page's
 * address, kept as provenance; relative file links are kept as written. */
int vb_congbao_parse_issue_documents(const char *html, size_t len, const char *url,
				     json_t **out, vb_error *err);

/* The gazette file of an issue: {"name": "4725072026_signed.pdf", "path":
 * "str/<UNID>/$file/4725072026_signed.pdf"}. */
int vb_congbao_parse_gazette_file(const char *html, size_t len, json_t **out, vb_error *err);

/* One crawler record (a records.jsonl line): an upstream record with
 * number, form (the short form: "Quyết định", "Nghị quyết"; the label as
 * written in "form_label"), issuer, dates, abstract, status, signer
 * (title and name split from "Phó Chủ tịch UBND Nguyễn Thành Công"),
 * attachments (every file URL) and "unid".  The record's source_url is the
 * provenance. */
int vb_congbao_parse_record(const char *json_text, size_t len, json_t **out, vb_error *err);

/* Split "Phó Chủ tịch UBND Nguyễn Thành Công" into title "Phó Chủ tịch
 * UBND" and name "Nguyễn Thành Công" (the trailing capitalised words, at
 * most 5, that are not acronyms).  New strings; *title may be NULL when
 * there is none; both NULL when no name is found. */
void vb_congbao_split_signer(const char *s, char **title, char **name);

#endif
