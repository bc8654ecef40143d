/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/documents/{id}: the whole record from PostgreSQL (metadata,
 * signers, fields, files, full text) as JSON, each file with the URL it
 * can be downloaded from.
 */
#include "daemon.h"

#include <stdio.h>
#include <string.h>

#include "document.h"
#include "log.h"

int vb_parse_id(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (!len || len > 18 || s[0] == '0')
		return VB_EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return VB_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

enum MHD_Result vb_api_document(vb_request *rq, int64_t id)
{
	vb_document doc;
	json_t *gone = NULL;
	vb_store *st;
	vb_error err;
	json_t *o, *files;
	char url[96];
	size_t i;
	int rc;

	vb_error_clear(&err);
	vb_document_init(&doc);
	if (vb_withdrawn_check(rq, id, &gone)) /* workflow: 410 with the reason */
		return vb_withdrawn_send_json(rq, gone);
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_get_document(st, id, 1, &doc, &err))) {
		vb_document_dispose(&doc);
		if (rc == VB_EDB)
			vb_worker_store_failed();
		if (rc == VB_ENOTFOUND)
			return vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
						  "no such document");
		return vb_http_send_vb_error(rq, &err);
	}
	o = vb_document_to_json(&doc, 1);
	vb_document_dispose(&doc);
	if (!o)
		return MHD_NO;
	if (!rq->head)
		vb_activity_count_view("", id); /* report: usage counters */
	snprintf(url, sizeof(url), "/documents/%lld", (long long)id);
	json_object_set_new(o, "uri", json_string(url));
	files = json_object_get(o, "files");
	for (i = 0; i < json_array_size(files); i++) {
		snprintf(url, sizeof(url), "/api/v1/documents/%lld/files/%zu", (long long)id, i);
		json_object_set_new(json_array_get(files, i), "url", json_string(url));
	}
	vb_relations_add_json(rq, id, o); /* relations: eli, validity, relations, timeline */
	return vb_cache_send_json(rq, o, VB_CACHE_DOC_AGE, 1); /* discovery: ETag, 304 */
}
