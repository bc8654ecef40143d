/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The end of a staff upload (part of upload.c, contract in upload.h):
 * confirmation (publication) turns a draft or submitted upload into a
 * document, through the manifest validators and vb_store_put_document, or
 * attaches its files to the document it duplicates; rejection closes it.
 */
#include "upload_int.h"

#include "log.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_true(json_t *body, const char *key)
{
	return json_is_true(json_object_get(body, key));
}

/* Attach the upload's stored files (those with a SHA-256) to doc, skipping
 * content it has already. */
static int attach_files(vb_document *doc, json_t *files, vb_error *err)
{
	json_t *f;
	size_t i, k;

	json_array_foreach(files, i, f) {
		const char *sha = json_string_value(json_object_get(f, "sha256"));
		vb_file *df;
		int have = 0;

		if (!sha)
			continue;
		for (k = 0; k < doc->n_files; k++)
			if (!strcmp(doc->files[k].sha256, sha))
				have = 1;
		if (have)
			continue;
		if (!(df = vb_document_add_file(doc)) ||
		    vb_strset(&df->name, json_string_value(json_object_get(f, "name"))) ||
		    vb_strset(&df->media_type, json_string_value(json_object_get(f, "media_type"))))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		snprintf(df->sha256, sizeof(df->sha256), "%s", sha);
		df->size = (int64_t)json_integer_value(json_object_get(f, "size"));
	}
	return 0;
}

/* The manifest record for a confirmed upload: the proposal's values, the
 * body's corrections over them, source and text from the upload. */
static int confirm_record(int64_t id, json_t *up, const char *text, json_t *body,
			  json_t **out, vb_error *err)
{
	static const char *const refused[] = { "source", "source_id", "text", "files", NULL };
	json_t *proposal = json_object_get(up, "proposal"), *m, *v;
	const char *key;
	char idbuf[32];
	size_t i;

	*out = NULL;
	if (!(m = json_object()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (i = 0; vb_upload_fields[i]; i++) {
		const char *val = upload_proposed(proposal, vb_upload_fields[i]);

		if (val)
			json_object_set_new(m, vb_upload_fields[i], json_string(val));
	}
	json_object_foreach(body, key, v) {
		if (!strcmp(key, "link_duplicate") || !strcmp(key, "not_duplicate") ||
		    !strcmp(key, "document_id"))
			continue;
		for (i = 0; refused[i]; i++)
			if (!strcmp(key, refused[i])) {
				json_decref(m);
				return vb_error_set(err, VB_EINVAL,
						    "%s: cannot be set when confirming an upload", key);
			}
		if (!strcmp(key, "signers")) {
			json_object_del(m, "signer");
			json_object_del(m, "signer_title");
		}
		json_object_set(m, key, v);
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	json_object_set_new(m, "source", json_string("upload"));
	json_object_set_new(m, "source_id", json_string(idbuf));
	if (text && *text)
		json_object_set_new(m, "text", json_string(text));
	*out = m;
	return 0;
}

int vb_upload_confirm(vb_store *st, int64_t id, json_t *body, vb_upload_outcome *oc,
		      vb_error *err)
{
	json_t *up = NULL, *rec = NULL, *dups, *d;
	char *text = NULL, *line = NULL;
	vb_document doc;
	const char *status;
	int64_t target = 0;
	size_t i;
	uint64_t h = 0;
	int rc, link, notdup, has;

	memset(oc, 0, sizeof(*oc));
	vb_document_init(&doc);
	if (!json_is_object(body))
		return vb_error_set(err, VB_EINVAL, "the body must be a JSON object");
	if ((rc = vb_store_upload_get(st, id, &up, &text, err)))
		goto out;
	status = json_string_value(json_object_get(up, "status"));
	if (!status || (strcmp(status, "draft") && strcmp(status, "submitted"))) {
		oc->conflict = 1;
		rc = vb_error_set(err, VB_EINVAL, "upload %lld is already %s", (long long)id,
				  status ? status : "finished");
		goto out;
	}
	link = is_true(body, "link_duplicate");
	notdup = is_true(body, "not_duplicate");
	dups = json_object_get(up, "duplicates");
	if (link && notdup) {
		rc = vb_error_set(err, VB_EINVAL, "link_duplicate and not_duplicate exclude each other");
		goto out;
	}
	if (json_array_size(dups) && !link && !notdup) {
		oc->conflict = 1;
		rc = vb_error_set(err, VB_EINVAL,
				  "upload %lld may be a duplicate: confirm with \"link_duplicate\": true "
				  "or \"not_duplicate\": true", (long long)id);
		goto out;
	}
	if (link) {
		json_t *want = json_object_get(body, "document_id");

		if (want && !json_is_integer(want)) {
			rc = vb_error_set(err, VB_EINVAL, "document_id: must be an integer");
			goto out;
		}
		json_array_foreach(dups, i, d) {
			json_int_t did = json_integer_value(json_object_get(d, "document_id"));

			if (did > 0 && (!want || did == json_integer_value(want))) {
				target = did;
				break;
			}
		}
		if (!target) {
			oc->conflict = 1;
			rc = vb_error_set(err, VB_EINVAL, want ?
					  "document_id: not among the duplicates of this upload" :
					  "nothing to link to: no stored document duplicates this upload");
			goto out;
		}
		if ((rc = vb_store_get_document(st, target, 1, &doc, err)) ||
		    (rc = attach_files(&doc, json_object_get(up, "files"), err)) ||
		    (rc = vb_store_put_document(st, &doc, NULL, err)))
			goto out;
		oc->linked = 1;
	} else {
		if ((rc = confirm_record(id, up, text, body, &rec, err)))
			goto out;
		if (!(line = json_dumps(rec, JSON_COMPACT))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = vb_manifest_parse_line(line, strlen(line), ".", "upload", &doc, err)) ||
		    (rc = attach_files(&doc, json_object_get(up, "files"), err)) ||
		    (rc = vb_store_put_document(st, &doc, NULL, err)))
			goto out;
		has = vb_upload_simhash(doc.text, &h);
		if ((rc = vb_store_document_simhash_set(st, doc.id, has, h, err)))
			goto out;
		/* relations: what the text says it replaces, amends, is based on
		 * (a failure here does not undo the confirmation) */
		if (doc.text && vb_store_relations_from_text(st, doc.id, doc.text, NULL))
			vb_log(VB_LOG_WARN, "upload %lld: relations from the text not stored",
			       (long long)id);
	}
	oc->document_id = doc.id;
	if ((rc = vb_store_upload_finish(st, id, "published", doc.id, oc->linked, err)) &&
	    rc == VB_EINVAL)
		oc->conflict = 1;
out:
	json_decref(up);
	json_decref(rec);
	free(text);
	free(line);
	vb_document_dispose(&doc);
	return rc;
}

int vb_upload_reject(vb_store *st, int64_t id, vb_error *err)
{
	return vb_store_upload_finish(st, id, "rejected", 0, 0, err);
}
