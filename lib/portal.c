/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal registry (see portal.h and docs/portals.md): what a portal id
 * or a domain resolves to, the scope and former place names of a portal,
 * a portal's record for display, TSV rows and the import of a record, and
 * the glue that gives a search its portal.  Records are checked in
 * portal_record.c and changed by the operations of portal_op.c
 * (portal_int.h is what the three share).  Only vb_portal_import (here)
 * and vb_portal_apply (portal_op.c) touch the database, through the store.
 */
#include "portal.h"
#include "portal_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

int vb_portal_id_valid(const char *id)
{
	size_t labels = 0, len = 0, i;

	if (!id || !*id || strlen(id) > VB_PORTAL_ID_MAX)
		return 0;
	for (i = 0;; i++) {
		char c = id[i];

		if (c == '.' || !c) {
			if (!len || id[i - 1] == '-' || len > 32 || ++labels > 4)
				return 0;
			if (!c)
				return 1;
			len = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && len)))
			return 0;
		len++;
	}
}

int vb_portal_domain_normalize(const char *host, char *out, size_t cap)
{
	size_t n = 0, i, label = 0;

	if (!host)
		return VB_EINVAL;
	for (i = 0; host[i] && host[i] != ':'; i++) {
		char c = host[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return VB_EINVAL;
		if (c == '.') {
			if (!label)
				return VB_EINVAL;
			label = 0;
		} else if (++label > 63) {
			return VB_EINVAL;
		}
		if (n + 1 >= cap || n >= VB_PORTAL_DOMAIN_MAX)
			return VB_EINVAL;
		out[n++] = c;
	}
	if (n && out[n - 1] == '.')
		n--;
	if (!n)
		return VB_EINVAL;
	out[n] = '\0';
	return 0;
}

json_t *vb_portal_get(json_t *reg, const char *id)
{
	return id ? json_object_get(reg, id) : NULL;
}

const char *portal_the_province(json_t *reg, const char *self)
{
	const char *id, *found = NULL;
	json_t *rec;

	json_object_foreach(reg, id, rec)
		if (is_active(rec) && str(rec, "kind") && !strcmp(str(rec, "kind"), "province") &&
		    (!self || strcmp(id, self))) {
			if (found)
				return NULL;
			found = id;
		}
	return found;
}

const char *vb_portal_resolve(json_t *reg, const char *id, vb_error *err)
{
	json_t *rec = vb_portal_get(reg, id);
	int hops;

	if (!rec) {
		vb_error_set(err, VB_ENOTFOUND, "unknown portal \"%.*s\"", VB_PORTAL_ID_MAX,
			     id ? id : "");
		return NULL;
	}
	for (hops = 0; hops < VB_PORTAL_MAX_HOPS; hops++) {
		json_t *succ = json_object_get(rec, "successors"), *next;

		if (is_active(rec))
			return str(rec, "id");
		if (json_array_size(succ))
			next = vb_portal_get(reg, json_string_value(json_array_get(succ, 0)));
		else if (!(next = vb_portal_get(reg, str(rec, "parent"))))
			next = vb_portal_get(reg, portal_the_province(reg, NULL));
		if (!next)
			break;
		rec = next;
	}
	vb_error_set(err, VB_EINVAL, "portal \"%s\" leads to no active portal", id);
	return NULL;
}

const char *vb_portal_by_domain(json_t *reg, const char *host)
{
	char d[VB_PORTAL_DOMAIN_MAX + 1];
	const char *id;
	json_t *rec;

	if (!host || vb_portal_domain_normalize(host, d, sizeof(d)))
		return NULL;
	json_object_foreach(reg, id, rec)
		if (has_string(json_object_get(rec, "domains"), d))
			return id;
	return NULL;
}

int portal_descends_from(json_t *reg, json_t *rec, const char *anc)
{
	for (int hops = 0; rec && hops < VB_PORTAL_MAX_HOPS; hops++) {
		const char *p = str(rec, "parent");

		if (!p)
			return 0;
		if (!strcmp(p, anc))
			return 1;
		rec = vb_portal_get(reg, p);
	}
	return 0;
}


/* Whether the successor chains of rec reach id (rec is a predecessor). */
static int leads_to(json_t *reg, json_t *rec, const char *id, int depth)
{
	json_t *succ = json_object_get(rec, "successors"), *v;
	size_t i;

	if (depth >= VB_PORTAL_MAX_HOPS)
		return 0;
	json_array_foreach(succ, i, v) {
		const char *s = json_string_value(v);

		if (!s)
			continue;
		if (!strcmp(s, id))
			return 1;
		if (leads_to(reg, vb_portal_get(reg, s), id, depth + 1))
			return 1;
	}
	return 0;
}

/* Add rec's own issuers (and extra ones when extra) to out. */
static int add_issuers(json_t *out, json_t *rec, int extra)
{
	const char *keys[2] = { "issuers", "scope_extra" };

	for (int k = 0; k < (extra ? 2 : 1); k++) {
		json_t *a = json_object_get(rec, keys[k]), *v;
		size_t i;

		json_array_foreach(a, i, v)
			if (json_string_value(v) && add_unique(out, json_string_value(v)))
				return VB_ENOMEM;
	}
	return 0;
}

int vb_portal_scope(json_t *reg, const char *id, json_t **out, vb_error *err)
{
	const char *cur = vb_portal_resolve(reg, id, err), *oid;
	json_t *rec, *a, *o;
	int rc = 0;

	*out = NULL;
	if (!cur)
		return err ? err->code : VB_ENOTFOUND;
	rec = vb_portal_get(reg, cur);
	if (!(a = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = add_issuers(a, rec, 1);
	/* predecessors: merged or split into cur */
	json_object_foreach(reg, oid, o)
		if (!rc && o != rec && leads_to(reg, o, cur, 0))
			rc = add_issuers(a, o, 1);
	/* ancestors */
	if (!rc && json_is_true(json_object_get(rec, "inherit")) != 0) {
		json_t *p = rec;

		for (int hops = 0; !rc && hops < VB_PORTAL_MAX_HOPS; hops++) {
			if (!(p = vb_portal_get(reg, str(p, "parent"))))
				break;
			rc = add_issuers(a, p, 0);
		}
	}
	/* a province shows everything below it */
	if (!rc && !strcmp(str(rec, "kind") ? str(rec, "kind") : "", "province"))
		json_object_foreach(reg, oid, o)
			if (!rc && o != rec && portal_descends_from(reg, o, cur))
				rc = add_issuers(a, o, 1);
	if (rc) {
		json_decref(a);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	if (json_array_size(a) > VB_PORTAL_MAX_SCOPE) {
		json_decref(a);
		return vb_error_set(err, VB_ETOOBIG, "the scope of portal \"%s\" has more than %d issuers",
				    cur, VB_PORTAL_MAX_SCOPE);
	}
	*out = a;
	return 0;
}

/* Add {name, issuers of rec} to out unless name is empty or there. */
static int add_place(json_t *out, const char *name, json_t *rec)
{
	json_t *iss = json_object_get(rec, "issuers"), *v;
	size_t i;

	if (!name || !*name || !json_array_size(iss))
		return 0;
	json_array_foreach(out, i, v)
		if (!strcmp(str(v, "name"), name))
			return 0;
	if (json_array_size(out) >= VB_PORTAL_MAX_PLACES)
		return 0;
	return json_array_append_new(out, json_pack("{s:s, s:O}", "name", name, "issuers", iss));
}

/* The place names rec had before a rename. */
static int add_former(json_t *out, json_t *rec)
{
	json_t *f = json_object_get(rec, "former_names"), *v;
	size_t i;
	int rc = 0;

	json_array_foreach(f, i, v)
		if (!rc)
			rc = add_place(out, str(v, "place"), rec);
	return rc;
}

int vb_portal_places(json_t *reg, const char *id, json_t **out, vb_error *err)
{
	const char *cur = vb_portal_resolve(reg, id, err), *oid;
	json_t *rec, *a, *o;
	int rc;

	*out = NULL;
	if (!cur)
		return err ? err->code : VB_ENOTFOUND;
	rec = vb_portal_get(reg, cur);
	if (!(a = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = add_former(a, rec);
	json_object_foreach(reg, oid, o)
		if (!rc && o != rec && leads_to(reg, o, cur, 0)) {
			rc = add_place(a, str(o, "place"), o);
			if (!rc)
				rc = add_former(a, o);
		}
	if (rc) {
		json_decref(a);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	*out = a;
	return 0;
}

/* ---- import ------------------------------------------------------------ */

#define TSV_COLS 10

/* A '|'-separated list as a JSON array (empty entries skipped). */
static json_t *tsv_list(const char *s)
{
	json_t *a = json_array();

	while (a && *s) {
		const char *e = strchr(s, '|');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		while (n && s[0] == ' ') {
			s++;
			n--;
		}
		while (n && s[n - 1] == ' ')
			n--;
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		if (!e)
			break;
		s = e + 1;
	}
	return a;
}

int vb_portal_tsv_row(const char *line, json_t **out, vb_error *err)
{
	static const char *const cols[TSV_COLS] = { "id", "kind", "parent", "name_vi", "name_en",
		"name_zh", "place", "domains", "issuers", "languages" };
	char *f[TSV_COLS] = { 0 }, *copy, *p, *nl;
	json_t *r = NULL, *names;
	size_t n = 0;
	int rc = 0;

	*out = NULL;
	while (*line == ' ')
		line++;
	if (!*line || *line == '#' || *line == '\n' || *line == '\r')
		return 0;
	if (strlen(line) > 16384)
		return vb_error_set(err, VB_ETOOBIG, "line is longer than 16384 bytes");
	if (!(copy = strdup(line)))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if ((nl = strpbrk(copy, "\r\n")))
		*nl = '\0';
	for (p = copy; n < TSV_COLS; n++) {
		f[n] = p;
		if (!(p = strchr(p, '\t'))) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n < 4 || p) {
		rc = vb_error_set(err, VB_EINVAL, "expected %d tab-separated columns (%s, ...), "
				  "found %s", TSV_COLS, "id, kind, parent, name_vi",
				  p ? "more" : "fewer than 4");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i], "-"))
			f[i][0] = '\0';
	if (!(r = json_object()) || !(names = json_object())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	json_object_set_new(r, "id", json_string(f[0]));
	json_object_set_new(r, "kind", json_string(f[1]));
	if (f[2][0])
		json_object_set_new(r, "parent", json_string(f[2]));
	json_object_set_new(r, "names", names);
	for (size_t i = 3; i < 6 && i < n; i++)
		if (f[i][0]) {
			json_t *v = json_string(f[i]);

			if (!v) {
				rc = vb_error_set(err, VB_EINVAL, "%s is not valid UTF-8", cols[i]);
				goto out;
			}
			json_object_set_new(names, i == 3 ? "vi" : i == 4 ? "en" : "zh", v);
		}
	if (n > 6 && f[6][0])
		json_object_set_new(r, "place", json_string(f[6]));
	if (n > 7 && f[7][0])
		json_object_set_new(r, "domains", tsv_list(f[7]));
	if (n > 8 && f[8][0])
		json_object_set_new(r, "issuers", tsv_list(f[8]));
	if (n > 9 && f[9][0])
		json_object_set_new(r, "languages", tsv_list(f[9]));
	*out = r;
	r = NULL;
out:
	json_decref(r);
	free(copy);
	return rc;
}

/* The record without its lifecycle fields, for comparing. */
static json_t *stable_part(json_t *rec)
{
	json_t *c = json_deep_copy(rec);

	if (c) {
		json_object_del(c, "state");
		json_object_del(c, "successors");
		json_object_del(c, "former_names");
	}
	return c;
}

int vb_portal_import(struct vb_store *st, json_t *rec, enum vb_portal_import_result *result,
		     vb_error *err)
{
	json_t *reg = NULL, *changed = json_array(), *old, *a = NULL, *b = NULL;
	const char *id = str(rec, "id");
	int rc;

	*result = VB_PORTAL_UNCHANGED;
	if (!changed)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if ((rc = vb_store_portal_begin(st, &reg, err)))
		goto out;
	old = vb_portal_get(reg, id);
	if (old && !is_active(old)) {
		vb_store_portal_abort(st);
		goto out;
	}
	a = old ? stable_part(old) : NULL;
	if (old) {
		/* the fields the line gives replace the stored ones; the others
		 * (scope_extra, inherit, columns left "-") stay as staff set them */
		json_t *in = json_deep_copy(a), *names = json_deep_copy(json_object_get(old, "names"));

		if (!in || !names) {
			json_decref(in);
			json_decref(names);
			vb_store_portal_abort(st);
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		json_object_update(names, json_object_get(rec, "names"));
		json_object_update(in, rec);
		json_object_set_new(in, "names", names);
		rc = vb_portal_op(reg, "update", id, in, changed, err);
		json_decref(in);
	} else {
		rc = vb_portal_op(reg, "create", id, rec, changed, err);
	}
	if (rc) {
		vb_store_portal_abort(st);
		goto out;
	}
	b = old ? stable_part(vb_portal_get(reg, id)) : NULL;
	if (old && json_equal(a, b)) {
		vb_store_portal_abort(st);
		goto out;
	}
	if ((rc = vb_store_portal_commit(st, reg, changed, old ? "update" : "create", id, rec, err)))
		goto out;
	*result = old ? VB_PORTAL_UPDATED : VB_PORTAL_CREATED;
out:
	json_decref(a);
	json_decref(b);
	json_decref(changed);
	json_decref(reg);
	return rc;
}

json_t *vb_portal_describe(json_t *reg, const char *id, vb_error *err)
{
	json_t *rec = vb_portal_get(reg, id), *o, *scope = NULL, *places = NULL;
	const char *cur;

	if (!rec) {
		vb_error_set(err, VB_ENOTFOUND, "unknown portal \"%.64s\"", id ? id : "");
		return NULL;
	}
	if (!(o = json_deep_copy(rec))) {
		vb_error_set(err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	cur = vb_portal_resolve(reg, id, NULL);
	json_object_set_new(o, "current", cur ? json_string(cur) : json_null());
	if (cur && !vb_portal_scope(reg, id, &scope, NULL) &&
	    !vb_portal_places(reg, id, &places, NULL)) {
		json_object_set_new(o, "scope", scope);
		json_object_set_new(o, "places", places);
	} else {
		json_decref(scope);
		json_object_set_new(o, "scope", json_array());
		json_object_set_new(o, "places", json_array());
	}
	return o;
}

/* ---- searches on a portal --------------------------------------------- */

void vb_portal_search_init(vb_portal_search *ps)
{
	memset(ps, 0, sizeof(*ps));
}

void vb_portal_search_dispose(vb_portal_search *ps)
{
	if (!ps)
		return;
	json_decref(ps->issuers);
	json_decref(ps->places);
	vb_portal_search_init(ps);
}

int vb_portal_search_setup(vb_portal_search *ps, json_t *reg, const char *id,
			   const char *host, vb_error *err)
{
	const char *cur;
	json_t *v;
	size_t i, k = 0;
	int rc;

	vb_portal_search_dispose(ps);
	if (id && *id) {
		if (!vb_portal_id_valid(id))
			return vb_error_set(err, VB_EINVAL, "invalid portal id: expected lower-case "
					    "labels of a-z, 0-9 and '-' separated by dots");
		if (!vb_portal_get(reg, id))
			return vb_error_set(err, VB_ENOTFOUND, "unknown portal \"%s\"", id);
	} else if (!(id = vb_portal_by_domain(reg, host))) {
		return 0;
	} else {
		ps->by_host = 1;
	}
	snprintf(ps->requested, sizeof(ps->requested), "%s", id);
	if (!(cur = vb_portal_resolve(reg, id, ps->by_host ? NULL : err))) {
		if (ps->by_host) { /* a domain leading nowhere: no scope */
			vb_portal_search_dispose(ps);
			return 0;
		}
		return err ? err->code : VB_EINVAL;
	}
	snprintf(ps->id, sizeof(ps->id), "%s", cur);
	snprintf(ps->name, sizeof(ps->name), "%s",
		 str(json_object_get(vb_portal_get(reg, cur), "names"), "vi") ?
		 str(json_object_get(vb_portal_get(reg, cur), "names"), "vi") : cur);
	/* widget: the language of pages and the widget on this portal */
	snprintf(ps->default_language, sizeof(ps->default_language), "%s",
		 str(vb_portal_get(reg, cur), "default_language") ?
		 str(vb_portal_get(reg, cur), "default_language") : "");
	if ((rc = vb_portal_scope(reg, cur, &ps->issuers, err)) ||
	    (rc = vb_portal_places(reg, cur, &ps->places, err)))
		return rc;
	json_array_foreach(ps->issuers, i, v)
		if (ps->n_issuers < VB_PORTAL_MAX_SCOPE)
			ps->issuer_v[ps->n_issuers++] = json_string_value(v);
	json_array_foreach(ps->places, i, v) {
		json_t *iss = json_object_get(v, "issuers"), *e;
		vb_search_place *pl;
		size_t j;

		if (ps->n_places == VB_PORTAL_MAX_PLACES)
			break;
		pl = &ps->place_v[ps->n_places];
		pl->name = str(v, "name");
		pl->issuers = &ps->place_issuer_v[k];
		pl->n_issuers = 0;
		json_array_foreach(iss, j, e)
			if (k < VB_PORTAL_MAX_SCOPE) {
				ps->place_issuer_v[k++] = json_string_value(e);
				pl->n_issuers++;
			}
		if (pl->n_issuers)
			ps->n_places++;
	}
	return 0;
}

void vb_portal_search_apply(const vb_portal_search *ps, vb_search_req *req)
{
	if (!ps->id[0])
		return;
	req->has_scope = 1;
	req->scope_issuers = ps->issuer_v;
	req->n_scope_issuers = ps->n_issuers;
	req->places = ps->place_v;
	req->n_places = ps->n_places;
}
