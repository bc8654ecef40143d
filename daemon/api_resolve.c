/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/resolve?citation=...: a citation as lawyers paste it ("Quyết
 * định số 31A/2020/QĐ-UBND ngày 04/9/2020 của UBND tỉnh Quảng Ninh") ->
 * lib/citation.c -> the documents with that number (lib/store_lookup.c) ->
 * narrowed by the citation's date, issuer and form -> one of
 *   {"status":"found", "document":{...}}            exactly one fits
 *   {"status":"ambiguous", "candidates":[...], "distinguish_by":[...]}
 *   {"status":"not_found"}
 * always with "parsed" (what was understood) and "match" (how the number
 * matched: "exact", "prefix" for a citation without the issuer part such as
 * "QĐ 05/2023", "partial" when only number + year [+ type] agreed).  Never
 * a silent pick: a single document that contradicts the citation's date or
 * issuer is answered as ambiguous, with "conflicts" naming what disagrees.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citation.h"
#include "docnum.h"
#include "log.h"

/* Most candidates listed. */
#define RESOLVE_MAX 50

struct resolve_args {
	const char *citation;
	int count;            /* how many times citation was given */
	char bad[32];         /* first unknown parameter, sanitised */
};

static enum MHD_Result args_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct resolve_args *a = cls;

	(void)kind;
	if (key && !strcmp(key, "citation")) {
		a->citation = value ? value : "";
		a->count++;
		return MHD_YES;
	}
	if (!a->bad[0]) {
		vb_params_key_shown(a->bad, sizeof(a->bad), key && *key ? key : "?");
	}
	return MHD_YES;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *brief_json(const vb_doc_brief *b)
{
	char uri[48];
	json_t *o = json_object();

	if (!o)
		return NULL;
	snprintf(uri, sizeof(uri), "/documents/%lld", (long long)b->id);
	json_object_set_new(o, "id", json_integer(b->id));
	json_object_set_new(o, "uri", json_string(uri));
	json_object_set_new(o, "number", str_or_null(b->number));
	json_object_set_new(o, "form", str_or_null(b->form));
	json_object_set_new(o, "issuer", str_or_null(b->issuer));
	json_object_set_new(o, "issue_date", str_or_null(b->issue_date));
	json_object_set_new(o, "status", str_or_null(b->status));
	json_object_set_new(o, "abstract", str_or_null(b->abstract));
	json_object_set_new(o, "language", str_or_null(b->language));
	return o;
}

static json_t *parsed_json(const vb_citation *c)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "form", str_or_null(c->form));
	json_object_set_new(o, "form_inferred", json_boolean(c->form_inferred));
	json_object_set_new(o, "number", str_or_null(c->number));
	json_object_set_new(o, "number_key", str_or_null(c->keys.key));
	json_object_set_new(o, "number_partial", json_boolean(c->keys.partial));
	json_object_set_new(o, "issue_date", str_or_null(c->date));
	json_object_set_new(o, "issuer", str_or_null(c->issuer));
	return o;
}

static int form_equal(const char *a, const char *b)
{
	char fa[64], fb[64];

	if (!a || !b)
		return 0;
	vb_store_fold_words(a, fa, sizeof(fa));
	vb_store_fold_words(b, fb, sizeof(fb));
	return !strcmp(fa, fb);
}

/* Keep the candidates that agree with the citation on one field, unless
 * none does (then nothing is dropped and *conflict is set). */
enum field { F_DATE, F_ISSUER, F_FORM };

static int agrees(const vb_doc_brief *b, const vb_citation *c, enum field f)
{
	switch (f) {
	case F_DATE:
		return !strcmp(b->issue_date, c->date);
	case F_ISSUER:
		return b->issuer && vb_citation_issuer_match(c->issuer, b->issuer);
	default:
		return form_equal(b->form, c->form);
	}
}

static size_t narrow(vb_doc_brief **keep, size_t n, const vb_citation *c, enum field f,
		     int *conflict)
{
	size_t i, m = 0;

	*conflict = 0;
	for (i = 0; i < n; i++)
		m += agrees(keep[i], c, f) != 0;
	if (!m) {
		*conflict = 1;
		return n;
	}
	for (i = 0, m = 0; i < n; i++)
		if (agrees(keep[i], c, f))
			keep[m++] = keep[i];
	return m;
}

static int differ(vb_doc_brief *const *v, size_t n, size_t off_kind)
{
	size_t i;

	for (i = 1; i < n; i++) {
		const char *a, *b;

		switch (off_kind) {
		case 0: a = v[0]->issuer; b = v[i]->issuer; break;
		case 1: a = v[0]->issue_date; b = v[i]->issue_date; break;
		case 2: a = v[0]->form; b = v[i]->form; break;
		case 3: a = v[0]->language; b = v[i]->language; break;
		case 4: a = v[0]->number; b = v[i]->number; break;
		default: a = v[0]->abstract; b = v[i]->abstract; break;
		}
		if (strcmp(a ? a : "", b ? b : ""))
			return 1;
	}
	return 0;
}

enum MHD_Result vb_api_resolve(vb_request *rq)
{
	struct resolve_args a;
	vb_citation cit;
	vb_store *st;
	vb_error err;
	vb_doc_brief *found = NULL, **keep = NULL;
	size_t nfound = 0, nkeep, i;
	const char *match = "exact";
	json_t *o = NULL, *conflicts = NULL;
	enum MHD_Result ret;
	int rc, conflict;

	memset(&a, 0, sizeof(a));
	vb_error_clear(&err);
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, args_cb, &a);
	if (a.bad[0])
		return vb_http_send_unknown_param(rq, a.bad);
	if (a.count > 1)
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "citation",
					  "citation must not be given more than once");
	if (!a.citation || !*a.citation)
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "citation",
					  "citation is required");
	if (strlen(a.citation) > VB_CITATION_MAX_BYTES) {
		char msg[64];

		snprintf(msg, sizeof(msg), "citation must be at most %d bytes",
			 VB_CITATION_MAX_BYTES);
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "citation", msg);
	}
	if (!vb_params_text_ok(a.citation, strlen(a.citation)))
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "citation",
					  "citation must be valid UTF-8 text");
	if ((rc = vb_citation_parse(&cit, a.citation, &err)))
		return vb_http_send_vb_error(rq, &err);

	o = json_object();
	conflicts = json_array();
	if (!o || !conflicts) {
		ret = MHD_NO;
		goto out;
	}
	json_object_set_new(o, "parsed", parsed_json(&cit));
	if (!cit.keys.key[0])
		goto not_found;

	if ((rc = vb_worker_store(rq->d, &st, &err)))
		goto db_error;
	/* the whole number, then number + year + type, then number + year */
	rc = vb_store_find_by_number(st, cit.keys.key, cit.keys.partial, RESOLVE_MAX, &found,
				     &nfound, &err);
	if (cit.keys.partial)
		match = "prefix";
	if (!rc && !nfound && !cit.keys.partial && cit.keys.number_type[0] &&
	    strcmp(cit.keys.number_type, cit.keys.key)) {
		rc = vb_store_find_by_number(st, cit.keys.number_type, 1, RESOLVE_MAX, &found,
					     &nfound, &err);
		match = "partial";
	}
	if (!rc && !nfound && cit.keys.number_year[0]) {
		rc = vb_store_find_by_number(st, cit.keys.number_year, 1, RESOLVE_MAX, &found,
					     &nfound, &err);
		match = "partial";
	}
	if (rc)
		goto db_error;
	if (!nfound)
		goto not_found;
	json_object_set_new(o, "match", json_string(match));

	if (!(keep = calloc(nfound, sizeof(*keep)))) {
		ret = MHD_NO;
		goto out;
	}
	for (i = 0; i < nfound; i++)
		keep[i] = &found[i];
	nkeep = nfound;
	if (cit.date[0]) {
		nkeep = narrow(keep, nkeep, &cit, F_DATE, &conflict);
		if (conflict)
			json_array_append_new(conflicts, json_string("issue_date"));
	}
	/* "của Bộ trưởng" (an office without its body) says nothing */
	if (cit.issuer[0] && vb_citation_issuer_match(cit.issuer, cit.issuer)) {
		nkeep = narrow(keep, nkeep, &cit, F_ISSUER, &conflict);
		if (conflict)
			json_array_append_new(conflicts, json_string("issuer"));
	}
	if (cit.form[0] && !cit.form_inferred) {
		nkeep = narrow(keep, nkeep, &cit, F_FORM, &conflict);
		if (conflict)
			json_array_append_new(conflicts, json_string("form"));
	}
	/* A partial number match is only trusted when the date or the issuer
	 * confirms it. */
	if (nkeep == 1 && !json_array_size(conflicts) &&
	    (strcmp(match, "partial") || (cit.date[0] || cit.issuer[0]))) {
		json_object_set_new(o, "status", json_string("found"));
		json_object_set_new(o, "document", brief_json(keep[0]));
	} else {
		static const char *const names[] = { "issuer", "issue_date", "form", "language",
						     "number" };
		json_t *cands = json_array(), *by = json_array();
		size_t k;

		json_object_set_new(o, "status", json_string("ambiguous"));
		for (i = 0; i < nkeep; i++)
			json_array_append_new(cands, brief_json(keep[i]));
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (differ(keep, nkeep, k))
				json_array_append_new(by, json_string(names[k]));
		/* the same number, issuer, date and form (a translation, a
		 * re-published copy): only the titles can tell them apart */
		if (!json_array_size(by) && differ(keep, nkeep, 5))
			json_array_append_new(by, json_string("abstract"));
		json_object_set_new(o, "candidates", cands);
		json_object_set_new(o, "distinguish_by", by);
	}
	if (json_array_size(conflicts)) {
		json_object_set_new(o, "conflicts", conflicts);
		conflicts = NULL;
	}
	ret = vb_http_send_json(rq, MHD_HTTP_OK, o);
	o = NULL;
	goto out;

not_found:
	json_object_set_new(o, "status", json_string("not_found"));
	ret = vb_http_send_json(rq, MHD_HTTP_OK, o);
	o = NULL;
	goto out;
db_error:
	if (rc == VB_EDB)
		vb_worker_store_failed();
	ret = vb_http_send_vb_error(rq, &err);
out:
	json_decref(o);
	json_decref(conflicts);
	free(keep);
	vb_doc_briefs_free(found, nfound);
	return ret;
}
