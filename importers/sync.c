/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine (see sync.h, docs/sync.md).  One run of source vbpl
 * (congbao walks the issues of a gazette instead of list pages, then
 * stores each document row of an issue through the same store_record):
 *
 *   1. take the source's advisory lock, record a run (an earlier run left
 *      "running" was killed: it becomes "interrupted");
 *   2. walk the list pages newest first; stop at the last page, at
 *      max_pages, at max_items, or when a whole page is older than the
 *      checkpoint minus the window;
 *   3. per record: fetch thuộc tính, toàn văn, lược đồ; hash the parsed
 *      record and text; when the hash equals the stored one and the
 *      document exists, it is unchanged and nothing else is fetched;
 *      else fetch the attachments into the file store, take the text
 *      from toàn văn or the first attachment with text, and
 *        - update our own document (source vbpl, source_id ItemID), or
 *        - when a local document of another source matches (canonical
 *          number + issuer + issue date), link to it and put every field
 *          that disagrees on the review list (nothing is overwritten), or
 *        - insert a new document;
 *      then replace its relations from the lược đồ (origin "vbpl");
 *   4. a walk that ended by itself (not cut by max_items) moves the
 *      checkpoint to the newest issue date seen.
 *
 * Every document write is one transaction (vb_store_put_document) and
 * the item row is written after it, so a kill at any point leaves either
 * the old or the new state of that record, and the next run redoes the
 * record (the store skips the unchanged document).  Idempotent: a second
 * run over unchanged pages stores nothing.
 */
#include "sync.h"

#include "fetch.h"

#include "docnum.h"
#include "document.h"
#include "extract.h"
#include "filestore.h"
#include "relation.h"
#include "sha256.h"
#include "text.h"
#include "congbao.h"
#include "upstream.h"
#include "vbpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_MAX_FILE ((size_t)100 * 1024 * 1024)
#define SYNC_MAX_FILES 20

struct run {
	vb_store *st;
	const vb_sync_opts *o;
	vb_fetch *f;
	vb_sync_counts *c;
	int64_t run_id;
	char first_error[VB_ERROR_MSG_MAX];
	char newest[11];
	vb_buf page;
};

static void say(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->o->log)
		return;
	va_start(ap, fmt);
	fprintf(r->o->log, "sync %s: ", r->o->source);
	vfprintf(r->o->log, fmt, ap);
	fputc('\n', r->o->log);
	va_end(ap);
}

static void item_failed(struct run *r, const char *id, const vb_error *e)
{
	vb_error ignore;

	r->c->failed++;
	say(r, "%s %s: %s", r->o->source[0] == 'v' ? "ItemID" : "record", id, e->msg);
	if (!r->first_error[0])
		snprintf(r->first_error, sizeof(r->first_error), "%s %s: %.200s",
			 r->o->source[0] == 'v' ? "ItemID" : "record", id, e->msg);
	vb_store_sync_item_failed(r->st, r->o->source, id, e->msg, r->run_id, &ignore);
}

/* Fetch a page of the item into r->page; 404 -> VB_ENOTFOUND. */
static int fetch_page(struct run *r, const char *page, const char *id, char *url, size_t urln,
		      vb_error *err)
{
	char path[512];

	snprintf(path, sizeof(path), "/TW/Pages/%s?ItemID=%s", page, id);
	vb_fetch_url(r->f, path, url, urln);
	return vb_fetch_get(r->f, path, &r->page, err);
}

/* Relations of the lược đồ boxes through the relations API. */
static int store_relations(struct run *r, int64_t doc_id, json_t *luocdo, vb_error *err)
{
	vb_relation_in *rels = NULL;
	char **ids = NULL;
	size_t n = 0, cap = 0, i, k;
	json_t *box, *it;
	int rc;

	json_array_foreach(json_object_get(luocdo, "boxes"), i, box) {
		const char *title = json_string_value(json_object_get(box, "title"));
		int inverse = 0;
		const char *type = vb_relation_type_from_luocdo(title, &inverse);

		if (!type)
			continue;
		json_array_foreach(json_object_get(box, "items"), k, it) {
			json_int_t tid = json_integer_value(json_object_get(it, "item_id"));

			if (n >= VB_REL_MAX)
				break;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 32;
				vb_relation_in *nr = realloc(rels, nc * sizeof(*rels));
				char **ni = realloc(ids, nc * sizeof(*ids));

				if (nr)
					rels = nr;
				if (ni)
					ids = ni;
				if (!nr || !ni) {
					rc = vb_error_set(err, VB_ENOMEM, "out of memory");
					goto out;
				}
				cap = nc;
			}
			memset(&rels[n], 0, sizeof(rels[n]));
			ids[n] = NULL;
			if (tid > 0 && asprintf(&ids[n], "%lld", (long long)tid) < 0)
				ids[n] = NULL;
			rels[n].type = type;
			rels[n].inverse = inverse;
			rels[n].target_number = json_string_value(json_object_get(it, "number"));
			rels[n].target_source = ids[n] ? "vbpl" : NULL;
			rels[n].target_source_id = ids[n];
			rels[n].target_title = json_string_value(json_object_get(it, "title"));
			rels[n].target_date = json_string_value(json_object_get(it, "issue_date"));
			rels[n].origin = VB_REL_ORIGIN_VBPL;
			rels[n].evidence = title;
			n++;
		}
	}
	rc = vb_store_relations_set(r->st, doc_id, VB_REL_ORIGIN_VBPL, rels, n, err);
out:
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(rels);
	return rc;
}

/* Fetch the attachments into the file store and add them to doc; take
 * the text from the first one with text when doc has none. */
static int attachments(struct run *r, json_t *rec, vb_document *doc, const char *id,
		       const char *base, vb_error *err)
{
	json_t *a;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(rec, "attachments"), i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		const char *path = json_string_value(json_object_get(a, "path"));
		char sha[65], stored[4096], full[2048];
		const char *mt = NULL;
		vb_file *file;
		vb_error e2;

		if (i >= SYNC_MAX_FILES)
			break;
		if (!name || !path)
			continue;
		if (strrchr(name, '/'))
			name = strrchr(name, '/') + 1; /* a file name, not a path */
		if (!*name)
			continue;
		if (path[0] != '/' && base) {
			snprintf(full, sizeof(full), "%s%s", base, path);
			path = full;
		}
		if ((rc = vb_fetch_get(r->f, path, &r->page, err))) {
			if (rc == VB_ENOTFOUND) {
				/* a dead link on the site: note it, keep the rest */
				vb_upstream_warn(rec, "attachment \"%s\" not found", name);
				say(r, "record %s: %s", id, err->msg);
				continue;
			}
			return rc;
		}
		if ((rc = vb_filestore_put_mem(r->o->files_root, r->page.data ? r->page.data : "",
					       r->page.len, (int64_t)SYNC_MAX_FILE, sha, err)))
			return vb_error_prefix(err, "attachment \"%s\"", name);
		if (vb_filestore_path(r->o->files_root, sha, stored, sizeof(stored)) ||
		    vb_extract_detect(stored, &mt, &e2))
			mt = VB_MEDIA_OCTET;
		if (!(file = vb_document_add_file(doc)) || vb_strset(&file->name, name) ||
		    vb_strset(&file->media_type, mt))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		memcpy(file->sha256, sha, sizeof(sha));
		file->size = (int64_t)r->page.len;
		if (!doc->text && vb_extract_supported(mt)) {
			char *text = NULL, *mt2 = NULL;

			if (!vb_extract_text(stored, mt, &text, &mt2, &e2) && text && *text)
				doc->text = text;
			else {
				if (!text)
					vb_upstream_warn(rec, "attachment \"%s\": %s", name, e2.msg);
				free(text);
			}
			free(mt2);
		}
	}
	return 0;
}

/* Compare a linked local document with the upstream record; every field
 * that disagrees goes on the review list.  Status and expiry are compared
 * with what the local source declared (document_validity), not with the
 * status vanban computed from dates and relations: two sources that
 * declare the same thing agree, and a local source that declared no
 * status ("unknown") does not disagree.  When the declared status agrees
 * with upstream's (or is unknown) but the computed status differs from it
 * and no staff override decided it, that disagreement is listed apart, as
 * field "status_computed" (local value: the computed status); accepting
 * it sets a staff override.  With an override, staff have spoken: no
 * status_computed item. */
static int reconcile(struct run *r, int64_t local_id, const vb_document *up, const char *id,
		     const char *url, vb_error *err)
{
	vb_document loc;
	vb_sync_validity v;
	struct {
		const char *field, *local, *upstream;
	} f[6];
	size_t i, n = 5;
	int rc, added;

	vb_document_init(&loc);
	if ((rc = vb_store_get_document(r->st, local_id, 0, &loc, err)) ||
	    (rc = vb_store_sync_validity(r->st, local_id, &v, err)))
		goto out;
	f[0].field = "abstract", f[0].local = loc.abstract, f[0].upstream = up->abstract;
	f[1].field = "issue_date", f[1].local = loc.issue_date, f[1].upstream = up->issue_date;
	f[2].field = "effective_date", f[2].local = loc.effective_date,
	f[2].upstream = up->effective_date;
	f[3].field = "expiry_date", f[3].local = v.declared_expiry, f[3].upstream = up->expiry_date;
	f[4].field = "status", f[4].local = v.declared, f[4].upstream = up->status;
	if (!strcmp(v.declared, VB_STATUS_UNKNOWN))
		f[4].upstream = NULL; /* nothing declared: nothing to disagree with */
	if (!v.overridden && up->status && strcmp(up->status, VB_STATUS_UNKNOWN) &&
	    (!strcmp(v.declared, up->status) || !strcmp(v.declared, VB_STATUS_UNKNOWN)) &&
	    strcmp(v.computed, up->status)) {
		f[5].field = "status_computed", f[5].local = v.computed, f[5].upstream = up->status;
		n = 6;
	}
	for (i = 0; i < n; i++) {
		const char *l = f[i].local && *f[i].local ? f[i].local : NULL;
		const char *u = f[i].upstream && *f[i].upstream ? f[i].upstream : NULL;

		if (!u || (!strcmp(f[i].field, "status") && !strcmp(u, VB_STATUS_UNKNOWN)))
			continue;
		if (l && !strcmp(l, u))
			continue;
		if ((rc = vb_store_sync_review_add(r->st, local_id, r->o->source, id, f[i].field, l,
						   u, url, r->run_id, &added, err)))
			break;
		if (added) {
			r->c->conflicts++;
			say(r, "ItemID %s: %s differs from local document %lld (review list)", id,
			    f[i].field, (long long)local_id);
		}
	}
out:
	vb_document_dispose(&loc);
	return rc;
}

static void hash_update_str(vb_sha256 *h, const char *s)
{
	vb_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* Store one parsed upstream record (id: its source_id; *text: its text
 * or NULL, taken; luocdo: relation boxes or NULL; abstract: used when the
 * record has none; category of a new document; att_base: prefix of
 * relative attachment paths).  Unchanged records are skipped by hash. */
static int store_record(struct run *r, const char *id, json_t *rec, char **text, json_t *luocdo,
			const char *abstract, const char *category, const char *att_base,
			vb_error *err)
{
	char url[4096], hash[65];
	char *recjs = NULL;
	vb_document doc;
	vb_sync_item prev;
	int64_t own = 0, linked_to = 0;
	int rc = 0, have_prev;
	vb_sha256 h;
	unsigned char dg[32];

	vb_document_init(&doc);
	/* unchanged since the last run? */
	if (!(recjs = json_dumps(rec, JSON_SORT_KEYS | JSON_COMPACT))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	vb_sha256_init(&h);
	hash_update_str(&h, recjs);
	hash_update_str(&h, *text);
	vb_sha256_final(&h, dg);
	vb_sha256_hex(dg, hash);
	{
		const char *d = vb_upstream_get(rec, "issue_date");

		if (!d)
			d = vb_upstream_get(rec, "attested_date");
		if (d && strcmp(d, r->newest) > 0)
			snprintf(r->newest, sizeof(r->newest), "%s", d);
	}
	have_prev = !vb_store_sync_item_get(r->st, r->o->source, id, &prev, err);
	if (have_prev && prev.document_id && !strcmp(prev.record_hash, hash)) {
		if (prev.linked)
			r->c->linked++;
		else
			r->c->unchanged++;
		/* clears an error left by an earlier run */
		rc = vb_store_sync_item_put(r->st, r->o->source, id, prev.document_id, prev.linked,
					    rec, hash, r->run_id, err);
		goto out;
	}

	/* the document */
	if ((rc = vb_upstream_to_document(rec, &doc, err)))
		goto out;
	if (vb_strset(&doc.source, r->o->source) || vb_strset(&doc.source_id, id) ||
	    vb_strset(&doc.category, category) || vb_strset(&doc.language, "vi")) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	doc.text = *text;
	*text = NULL;
	if (!doc.abstract && abstract)
		vb_strset(&doc.abstract, abstract);
	rc = vb_store_sync_document_id(r->st, r->o->source, id, &own, err);
	if (rc && rc != VB_ENOTFOUND)
		goto out;
	rc = 0;
	if (!own) {
		if (have_prev && prev.linked && prev.document_id)
			linked_to = prev.document_id;
		else if ((rc = vb_store_sync_match(r->st, r->o->source, doc.number_canonical,
						   doc.issuer, doc.issue_date, &linked_to, err)) &&
			 rc != VB_ENOTFOUND)
			goto out;
		rc = 0;
	}
	{
		const char *u = json_string_value(json_object_get(rec, "url"));

		snprintf(url, sizeof(url), "%s", u ? u : "");
	}
	if (linked_to) {
		/* a local document: link, compare, never overwrite */
		if ((rc = reconcile(r, linked_to, &doc, id, url, err)))
			goto out;
		r->c->linked++;
		if (!have_prev || !prev.linked)
			say(r, "ItemID %s: linked to local document %lld", id, (long long)linked_to);
		own = linked_to;
	} else {
		enum vb_put_result res;

		if ((rc = attachments(r, rec, &doc, id, att_base, err)))
			goto out;
		if ((rc = vb_store_put_document(r->st, &doc, &res, err)))
			goto out;
		own = doc.id;
		if (res == VB_PUT_INSERTED)
			r->c->inserted++;
		else if (res == VB_PUT_UPDATED)
			r->c->changed++;
		else
			r->c->unchanged++;
		if (luocdo && (rc = store_relations(r, own, luocdo, err)))
			goto out;
	}
	rc = vb_store_sync_item_put(r->st, r->o->source, id, own, linked_to != 0, rec, hash,
				    r->run_id, err);
out:
	free(recjs);
	vb_document_dispose(&doc);
	return rc;
}


/* One record of the list. */
static int sync_item(struct run *r, json_t *item, vb_error *err)
{
	json_int_t iid = json_integer_value(json_object_get(item, "item_id"));
	const char *kind = json_string_value(json_object_get(item, "kind"));
	int hopnhat = kind && !strcmp(kind, "hopnhat");
	char id[24], url[4096];
	json_t *rec = NULL, *luocdo = NULL;
	char *text = NULL;
	int rc;

	snprintf(id, sizeof(id), "%lld", (long long)iid);
	/* thuộc tính */
	if ((rc = fetch_page(r, hopnhat ? "vbpq-thuoctinh-hopnhat.aspx"
					: "vbpq-thuoctinh.aspx",
			     id, url, sizeof(url), err)))
		goto out;
	if ((rc = vb_vbpl_parse_thuoctinh(r->page.data, r->page.len, url, &rec, err)))
		goto out;
	json_object_set_new(rec, "item_id", json_integer(iid));
	/* toàn văn (absent for consolidated texts: their text is the file) */
	if (!hopnhat) {
		rc = fetch_page(r, "vbpq-toanvan.aspx", id, url, sizeof(url), err);
		if (rc == VB_ENOTFOUND)
			vb_upstream_warn(rec, "no toàn văn page");
		else if (rc || (rc = vb_vbpl_parse_toanvan(r->page.data, r->page.len, &text, err)))
			goto out;
	}
	/* lược đồ */
	rc = fetch_page(r, hopnhat ? "vbpq-luocdo-hopnhat.aspx"
				   : "vbpq-luocdo.aspx",
			id, url, sizeof(url), err);
	if (rc == VB_ENOTFOUND)
		vb_upstream_warn(rec, "no lược đồ page");
	else if (rc || (rc = vb_vbpl_parse_luocdo(r->page.data, r->page.len, &luocdo, err)))
		goto out;
	rc = 0;
	if (luocdo)
		json_object_set(rec, "luocdo", luocdo);

	rc = store_record(r, id, rec, &text, luocdo, json_string_value(json_object_get(item, "abstract")),
			  "normative", NULL, err);
out:
	free(text);
	json_decref(rec);
	json_decref(luocdo);
	return rc;
}

static int date_minus_days(const char *iso, int days, char out[11])
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!iso || sscanf(iso, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= days;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1)
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

/* tmpl with var ("{page}", "{year}") replaced by v. */
static int list_path(const char *tmpl, const char *var, long v, char *out, size_t n)
{
	const char *p = strstr(tmpl, var);

	if (!p)
		return snprintf(out, n, "%s", tmpl) >= (int)n ? -1 : 0;
	return snprintf(out, n, "%.*s%ld%s", (int)(p - tmpl), tmpl, v, p + strlen(var)) >= (int)n ? -1
												 : 0;
}

/* Whether the run must end before the next record (stop flag, --max). */
static int must_cut(struct run *r)
{
	const vb_sync_opts *o = r->o;
	vb_sync_counts *c = r->c;

	if (o->stop && *o->stop)
		return 1;
	return o->max_items > 0 &&
	       c->inserted + c->changed + c->unchanged + c->linked + c->failed >= o->max_items;
}

/* After a record: a lost database ends the run (VB_EDB, *err set), any
 * other error fails the record only. */
static int after_record(struct run *r, int rc, const char *id, vb_error *e2, vb_error *err)
{
	vb_error ignore;

	if (rc) {
		if (rc == VB_EDB && vb_store_ping(r->st, NULL)) {
			*err = *e2;
			return VB_EDB;
		}
		item_failed(r, id, e2);
	}
	vb_store_sync_run_update(r->st, r->run_id, "running", r->c, NULL, &ignore);
	return 0;
}

/* A list page or issue that could not be read: counted as failed; the
 * walk goes on or is cut by the caller. */
static void walk_failed(struct run *r, const vb_error *e)
{
	r->c->failed++;
	say(r, "%s", e->msg);
	if (!r->first_error[0])
		snprintf(r->first_error, sizeof(r->first_error), "%.200s", e->msg);
}

/* vbpl: list pages newest first. */
static int walk_vbpl(struct run *r, const char *floor_date, int *cut, vb_error *err)
{
	const vb_sync_opts *o = r->o;
	const char *tmpl = o->list_path && *o->list_path ? o->list_path : VB_SYNC_VBPL_LIST;
	int rc, done = 0, max_pages = o->max_pages > 0 ? o->max_pages : 1000;
	long page, last = 1;
	char path[1024];
	vb_error e2;

	for (page = 1; page <= last && page <= max_pages && !*cut && !done; page++) {
		json_t *list = NULL, *item;
		size_t i;
		int all_old = 1;

		if (list_path(tmpl, "{page}", page, path, sizeof(path)))
			return vb_error_set(err, VB_EINVAL, "list path is too long");
		if ((rc = vb_fetch_get(r->f, path, &r->page, err)) ||
		    (rc = vb_vbpl_parse_list(r->page.data, r->page.len, &list, err))) {
			vb_error_prefix(err, "list page %ld", page);
			if (page == 1)
				return rc; /* nothing to walk */
			/* a later page: what was walked stays, the walk is cut */
			walk_failed(r, err);
			*cut = 1;
			break;
		}
		last = (long)json_integer_value(json_object_get(list, "last_page"));
		json_array_foreach(json_object_get(list, "items"), i, item) {
			const char *d = json_string_value(json_object_get(item, "issue_date"));
			json_int_t iid = json_integer_value(json_object_get(item, "item_id"));
			char sid[24];

			if (floor_date[0] && d && strcmp(d, floor_date) < 0)
				continue; /* older than the window */
			all_old = 0;
			if (iid <= 0)
				continue;
			if (must_cut(r)) {
				*cut = 1;
				break;
			}
			vb_error_clear(&e2);
			snprintf(sid, sizeof(sid), "%lld", (long long)iid);
			if ((rc = after_record(r, sync_item(r, item, &e2), sid, &e2, err))) {
				json_decref(list);
				return rc;
			}
		}
		json_decref(list);
		if (floor_date[0] && all_old)
			done = 1; /* the list is newest first: the rest is older */
	}
	return 0;
}

/* One document row of a gazette issue. */
static int congbao_doc(struct run *r, json_t *rec, const char *issue_label, const char *base,
		       vb_error *err)
{
	const char *unid = json_string_value(json_object_get(rec, "unid"));
	const char *part = json_string_value(json_object_get(rec, "part"));
	char *text = NULL;
	int rc;

	if (!unid || !*unid)
		return vb_error_set(err, VB_EINVAL, "document row without ParentUNID");
	vb_upstream_set(rec, "gazette_source", issue_label);
	rc = store_record(r, unid, rec, &text, NULL, NULL,
			  part && !strcmp(part, "normative") ? "normative" : "administrative", base,
			  err);
	free(text);
	return rc;
}

/* congbao: the issues of the year (and of the years back to the window),
 * newest first, then the documents of each issue. */
static int walk_congbao(struct run *r, const char *floor_date, int *cut, vb_error *err)
{
	const vb_sync_opts *o = r->o;
	const char *itmpl = o->list_path && *o->list_path ? o->list_path : VB_SYNC_CONGBAO_ISSUES;
	const char *dtmpl = o->item_path && *o->item_path ? o->item_path : VB_SYNC_CONGBAO_ISSUE;
	int rc, done = 0, issues_read = 0, max_issues = o->max_pages > 0 ? o->max_pages : 1000;
	int year, first_year, last_year;
	char path[1024], base[1024];
	time_t now = time(NULL);
	struct tm tm;
	vb_error e2;

	gmtime_r(&now, &tm);
	first_year = tm.tm_year + 1900;
	last_year = floor_date[0] ? atoi(floor_date) : first_year - 1;
	/* relative file links resolve against the database path */
	snprintf(base, sizeof(base), "%.*s/", (int)strcspn(dtmpl + 1, "/") + 1, dtmpl);
	for (year = first_year; year >= last_year && !*cut && !done; year--) {
		json_t *list = NULL, *issue;
		size_t i;

		if (list_path(itmpl, "{year}", year, path, sizeof(path)))
			return vb_error_set(err, VB_EINVAL, "issues path is too long");
		rc = vb_fetch_get(r->f, path, &r->page, err);
		if (rc == VB_ENOTFOUND) {
			say(r, "no issues page for %d", year);
			continue;
		}
		if (rc || (rc = vb_congbao_parse_issues(r->page.data, r->page.len, &list, err))) {
			vb_error_prefix(err, "issues of %d", year);
			if (year == first_year)
				return rc;
			walk_failed(r, err);
			*cut = 1;
			break;
		}
		json_array_foreach(json_object_get(list, "issues"), i, issue) {
			const char *d = json_string_value(json_object_get(issue, "date"));
			const char *unid = json_string_value(json_object_get(issue, "unid"));
			const char *label = json_string_value(json_object_get(issue, "label"));
			json_t *docs = NULL, *doc;
			size_t k;

			if (floor_date[0] && d && strcmp(d, floor_date) < 0) {
				done = 1; /* newest first: the rest is older */
				break;
			}
			if (issues_read >= max_issues || must_cut(r)) {
				*cut = 1;
				break;
			}
			issues_read++;
			if (!unid || !*unid || strlen(unid) > 64)
				continue;
			{
				const char *p = strstr(dtmpl, "{unid}");

				if (p)
					snprintf(path, sizeof(path), "%.*s%s%s", (int)(p - dtmpl), dtmpl,
						 unid, p + 6);
				else
					snprintf(path, sizeof(path), "%s", dtmpl);
			}
			vb_error_clear(&e2);
			if ((rc = vb_fetch_get(r->f, path, &r->page, &e2)) ||
			    (rc = vb_congbao_parse_issue_documents(r->page.data, r->page.len, NULL,
								   &docs, &e2))) {
				vb_error_prefix(&e2, "issue \"%s\"", label ? label : unid);
				walk_failed(r, &e2);
				continue;
			}
			if (d && strcmp(d, r->newest) > 0)
				snprintf(r->newest, sizeof(r->newest), "%s", d);
			json_array_foreach(json_object_get(docs, "documents"), k, doc) {
				const char *du = json_string_value(json_object_get(doc, "unid"));
				char url[4096];

				if (must_cut(r)) {
					*cut = 1;
					break;
				}
				vb_fetch_url(r->f, path, url, sizeof(url));
				json_object_set_new(doc, "url", json_string(url));
				{
					/* provenance: the issue page */
					const char *key;
					json_t *f;

					json_object_foreach(json_object_get(doc, "fields"), key, f)
						json_object_set_new(f, "url", json_string(url));
				}
				vb_error_clear(&e2);
				if ((rc = after_record(r, congbao_doc(r, doc, label, base, &e2),
						       du ? du : "?", &e2, err))) {
					json_decref(docs);
					json_decref(list);
					return rc;
				}
			}
			json_decref(docs);
		}
		json_decref(list);
	}
	return 0;
}

int vb_sync_run(vb_store *st, const vb_sync_opts *o, vb_sync_counts *c, int64_t *run_id,
		vb_error *err)
{
	struct run r;
	vb_fetch_opts fo;
	char checkpoint[11] = "", floor_date[11] = "";
	int taken = 0, rc, cut = 0, congbao;
	vb_error e2;

	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(*c));
	*run_id = 0;
	r.st = st;
	r.o = o;
	r.c = c;
	vb_buf_init(&r.page, SYNC_MAX_FILE);
	congbao = !strcmp(o->source, "congbao");
	if (strcmp(o->source, "vbpl") && !congbao)
		return vb_error_set(err, VB_EUNSUPPORTED, "unknown sync source \"%s\"", o->source);
	memset(&fo, 0, sizeof(fo));
	fo.base_url = o->base_url;
	fo.mirror_dir = o->mirror_dir;
	fo.min_interval = o->min_interval;
	fo.retries = o->retries;
	fo.backoff_ms = o->backoff_ms;
	fo.timeout = o->timeout;
	fo.max_bytes = SYNC_MAX_FILE;
	if ((rc = vb_fetch_new(&r.f, &fo, err)))
		return rc;
	if ((rc = vb_store_sync_lock(st, o->source, &taken, err)))
		goto out;
	if (!taken) {
		rc = vb_error_set(err, VB_EAGAIN, "another sync of %s is running", o->source);
		goto out;
	}
	if ((rc = vb_store_sync_run_start(st, o->source, o->base_url ? o->base_url : o->mirror_dir,
					  &r.run_id, err)))
		goto out;
	*run_id = r.run_id;
	if ((rc = vb_store_sync_checkpoint_get(st, o->source, checkpoint, err)))
		goto out;
	if (checkpoint[0])
		date_minus_days(checkpoint, o->window_days, floor_date);
	say(&r, "run %lld from %s, checkpoint %s, window %d days", (long long)r.run_id,
	    o->base_url ? o->base_url : o->mirror_dir, checkpoint[0] ? checkpoint : "none",
	    o->window_days);
	rc = congbao ? walk_congbao(&r, floor_date, &cut, err) : walk_vbpl(&r, floor_date, &cut, err);
	if (rc)
		goto out;
	if (!cut && r.newest[0] &&
	    (rc = vb_store_sync_checkpoint_set(st, o->source, r.newest, r.run_id, err)))
		goto out;
	rc = c->failed ? 1 : 0;
out:
	if (r.run_id) {
		vb_store_sync_run_update(st, r.run_id, rc < 0 ? "failed" : rc ? "partial" : "ok", c,
					 rc < 0 ? err->msg : r.first_error[0] ? r.first_error : NULL,
					 &e2);
		say(&r, "run %lld: %d new, %d changed, %d unchanged, %d linked, %d failed, %d conflicts",
		    (long long)r.run_id, c->inserted, c->changed, c->unchanged, c->linked, c->failed,
		    c->conflicts);
	}
	if (taken)
		vb_store_sync_unlock(st, o->source, &e2);
	vb_fetch_free(r.f);
	vb_buf_dispose(&r.page);
	return rc;
}
