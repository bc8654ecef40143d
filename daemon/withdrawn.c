/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Withdrawn documents answer 410 Gone (docs/workflow.md): the routes that
 * show one document (its page, its JSON, its files, its ELI) ask
 * vb_withdrawn_check first and, for a withdrawn document, send the JSON
 * error below or the HTML page of pages.c (vb_page_withdrawn) instead of
 * the document.  The reason and the date are public: they are what the
 * editor wrote for citizens; who withdrew it is only in the audit log.
 */
#include "daemon.h"

#include "workflow.h"

int vb_withdrawn_check(vb_request *rq, int64_t id, json_t **info)
{
	vb_store *st;
	vb_error err;

	*info = NULL;
	vb_error_clear(&err);
	/* Any failure here is met again (and answered) by the caller's own
	 * read of the document. */
	if (vb_worker_store(rq->d, &st, &err) || vb_store_document_withdrawn(st, id, info, &err))
		return 0;
	return *info != NULL;
}

enum MHD_Result vb_withdrawn_send_json(vb_request *rq, json_t *info)
{
	json_t *o;

	o = json_pack("{s:{s:s, s:s, s:s, s:s}}", "error", "code", "withdrawn",
		      "message", "this document has been withdrawn",
		      "reason", json_string_value(json_object_get(info, "reason")) ?
				json_string_value(json_object_get(info, "reason")) : "",
		      "withdrawn_at", json_string_value(json_object_get(info, "withdrawn_at")) ?
				json_string_value(json_object_get(info, "withdrawn_at")) : "");
	json_decref(info);
	if (!o)
		return MHD_NO;
	return vb_http_send_json(rq, MHD_HTTP_GONE, o);
}
