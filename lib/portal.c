/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal registry (see portal.h and docs/portals.md): validation of
 * portal records, the lifecycle operations on a registry held in memory as
 * JSON, what a portal id or a domain resolves to, the scope and former place
 * names of a portal, and the glue that gives a search its portal.  Only
 * vb_portal_apply touches the database, through the store.
 */
#include "portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "text.h"

static const char *const kinds[] = { "province", "department", "district", "commune",
				     "topic", NULL };
static const char *const languages[] = { "vi", "en", "zh", NULL };

/* Words that open the name of an administrative unit, stripped to get the
 * place name ("Phường Hồng Hà" -> "Hồng Hà"); longest first. */
static const char *const unit_words[] = { "Thành phố ", "Thị trấn ", "Thị xã ", "Phường ",
					  "Huyện ", "Tỉnh ", "Xã ", "Đặc khu ", NULL };

static int in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

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

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

static const char *state_of(json_t *rec)
{
	const char *s = str(rec, "state");

	return s ? s : "active";
}

static int is_active(json_t *rec)
{
	return !strcmp(state_of(rec), "active");
}

/* Append s to the array a unless it is there already. */
static int add_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (!strcmp(json_string_value(v), s))
			return 0;
	return json_array_append_new(a, json_string(s));
}

static int has_string(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

/* The id of the one active province portal other than self, or NULL
 * (none, or several). */
static const char *the_province(json_t *reg, const char *self)
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
			next = vb_portal_get(reg, the_province(reg, NULL));
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

/* Whether anc is an ancestor of rec through parent links. */
static int descends_from(json_t *reg, json_t *rec, const char *anc)
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
			if (!rc && o != rec && descends_from(reg, o, cur))
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

/* ---- validation ------------------------------------------------------- */

/* A normalised copy of a text member: NFC, at most VB_PORTAL_TEXT_MAX
 * bytes, not empty.  New string, NULL with err set. */
static char *text_value(json_t *v, const char *what, vb_error *err)
{
	const char *s = json_string_value(v);
	char *n;

	if (!s) {
		vb_error_set(err, VB_EINVAL, "%s must be a string", what);
		return NULL;
	}
	if (strlen(s) > VB_PORTAL_TEXT_MAX) {
		vb_error_set(err, VB_ETOOBIG, "%s must be at most %d bytes", what, VB_PORTAL_TEXT_MAX);
		return NULL;
	}
	if (!(n = vb_text_normalize(s, strlen(s)))) {
		vb_error_set(err, VB_EINVAL, "%s must be valid UTF-8 text", what);
		return NULL;
	}
	for (char *c = n; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	if (strspn(n, " ") == strlen(n)) {
		free(n);
		vb_error_set(err, VB_EINVAL, "%s must not be empty", what);
		return NULL;
	}
	return n;
}

/* A checked array of texts (issuers), deduplicated; NULL v gives []. */
static json_t *text_list(json_t *v, const char *what, vb_error *err)
{
	json_t *a = json_array(), *e;
	size_t i;

	if (!a) {
		vb_error_set(err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	if (!v || json_is_null(v))
		return a;
	if (!json_is_array(v)) {
		vb_error_set(err, VB_EINVAL, "%s must be an array of strings", what);
		goto fail;
	}
	if (json_array_size(v) > VB_PORTAL_LIST_MAX) {
		vb_error_set(err, VB_ETOOBIG, "%s may have at most %d entries", what,
			     VB_PORTAL_LIST_MAX);
		goto fail;
	}
	json_array_foreach(v, i, e) {
		char *s = text_value(e, what, err);

		if (!s)
			goto fail;
		add_unique(a, s);
		free(s);
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

/* A checked array of domains, normalised. */
static json_t *domain_list(json_t *v, vb_error *err)
{
	json_t *a = json_array(), *e;
	char d[VB_PORTAL_DOMAIN_MAX + 1];
	size_t i;

	if (!a) {
		vb_error_set(err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	if (!v || json_is_null(v))
		return a;
	if (!json_is_array(v) || json_array_size(v) > VB_PORTAL_LIST_MAX) {
		vb_error_set(err, VB_EINVAL, "domains must be an array of at most %d host names",
			     VB_PORTAL_LIST_MAX);
		goto fail;
	}
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (!s || strchr(s, ':') || vb_portal_domain_normalize(s, d, sizeof(d))) {
			vb_error_set(err, VB_EINVAL, "invalid domain \"%.64s\": expected a host name",
				     s ? s : "");
			goto fail;
		}
		add_unique(a, d);
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

/* Which portal other than self owns domain d, or NULL. */
static const char *domain_owner(json_t *reg, const char *d, const char *self)
{
	const char *id;
	json_t *rec;

	json_object_foreach(reg, id, rec)
		if (strcmp(id, self) && has_string(json_object_get(rec, "domains"), d))
			return id;
	return NULL;
}

/* The place name within a unit name ("Phường Hồng Hà" -> "Hồng Hà"). */
static char *place_of(const char *name)
{
	for (size_t i = 0; unit_words[i]; i++) {
		size_t n = strlen(unit_words[i]);

		if (!strncmp(name, unit_words[i], n) && name[n])
			return strdup(name + n);
	}
	return strdup(name);
}

/* "UBND phường Hồng Hà" from "Phường Hồng Hà" (the unit word in lower
 * case, as issuers are written). */
static json_t *default_issuer(const char *prefix, const char *name)
{
	char buf[VB_PORTAL_TEXT_MAX + 16];
	int n = snprintf(buf, sizeof(buf), "%s %s", prefix, name);
	size_t p = strlen(prefix) + 1;

	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	if (buf[p] >= 'A' && buf[p] <= 'Z')
		buf[p] = (char)(buf[p] - 'A' + 'a');
	else if (!strncmp(buf + p, "Đ", 2))
		memcpy(buf + p, "đ", 2);
	return json_string(buf);
}

static const char *const record_keys[] = { "id", "kind", "names", "place", "parent", "domains",
	"languages", "default_language", "issuers", "scope_extra", "inherit", NULL };

/* A new record checked against reg from the input in; self = the id of the
 * record it replaces (update) or NULL (create). */
static json_t *make_record(json_t *reg, json_t *in, const char *self, vb_error *err)
{
	json_t *r = NULL, *names, *v, *langs, *a;
	const char *id, *kind, *key, *parent, *dl;
	char *s = NULL;
	size_t i;

	if (!json_is_object(in)) {
		vb_error_set(err, VB_EINVAL, "a portal must be a JSON object");
		return NULL;
	}
	json_object_foreach(in, key, v)
		if (!in_list(key, record_keys)) {
			vb_error_set(err, VB_EINVAL, "unknown portal field \"%.32s\"", key);
			return NULL;
		}
	id = str(in, "id");
	if (!vb_portal_id_valid(id)) {
		vb_error_set(err, VB_EINVAL, "invalid portal id \"%.64s\": expected lower-case "
			     "labels of a-z, 0-9 and '-' separated by dots", id ? id : "");
		return NULL;
	}
	if (!self && vb_portal_get(reg, id)) {
		vb_error_set(err, VB_EINVAL, "portal \"%s\" exists already", id);
		return NULL;
	}
	if (!self && json_object_size(reg) >= VB_PORTAL_MAX) {
		vb_error_set(err, VB_ETOOBIG, "the registry is full (%d portals)", VB_PORTAL_MAX);
		return NULL;
	}
	kind = str(in, "kind");
	if (!in_list(kind, kinds)) {
		vb_error_set(err, VB_EINVAL, "kind must be one of province, department, district, "
			     "commune, topic");
		return NULL;
	}
	if (!(r = json_pack("{s:s, s:s, s:s, s:[], s:[]}", "id", id, "kind", kind, "state", "active",
			    "successors", "former_names")))
		goto nomem;
	names = json_object_get(in, "names");
	if (!json_is_object(names) || !json_object_get(names, "vi")) {
		vb_error_set(err, VB_EINVAL, "names.vi (the Vietnamese name) is required");
		goto fail;
	}
	if (!(a = json_object()))
		goto nomem;
	json_object_set_new(r, "names", a);
	json_object_foreach(names, key, v) {
		char what[32];

		if (!in_list(key, languages)) {
			vb_error_set(err, VB_EINVAL, "names may only have vi, en and zh");
			goto fail;
		}
		snprintf(what, sizeof(what), "names.%s", key);
		if (!(s = text_value(v, what, err)))
			goto fail;
		json_object_set_new(a, key, json_string(s));
		free(s);
		s = NULL;
	}
	v = json_object_get(in, "place");
	if (v && !json_is_null(v)) {
		if (!(s = text_value(v, "place", err)))
			goto fail;
	} else if (!strcmp(kind, "department") || !strcmp(kind, "topic")) {
		s = NULL;
	} else if (!(s = place_of(str(a, "vi")))) {
		goto nomem;
	}
	if (s)
		json_object_set_new(r, "place", json_string(s));
	free(s);
	s = NULL;
	parent = str(in, "parent");
	if (json_object_get(in, "parent") && !json_is_null(json_object_get(in, "parent")) && !parent) {
		vb_error_set(err, VB_EINVAL, "parent must be a portal id");
		goto fail;
	}
	if (!parent && strcmp(kind, "province"))
		parent = the_province(reg, id); /* below the province by default */
	if (parent) {
		json_t *p = vb_portal_get(reg, parent);

		if (!p) {
			vb_error_set(err, VB_ENOTFOUND, "unknown parent portal \"%.64s\"", parent);
			goto fail;
		}
		if (!strcmp(parent, id) || descends_from(reg, p, id)) {
			vb_error_set(err, VB_EINVAL, "portal \"%s\" cannot be its own ancestor", id);
			goto fail;
		}
		json_object_set_new(r, "parent", json_string(parent));
	}
	if (!(a = domain_list(json_object_get(in, "domains"), err)))
		goto fail;
	json_object_set_new(r, "domains", a);
	json_array_foreach(a, i, v) {
		const char *o = domain_owner(reg, json_string_value(v), id);

		if (o) {
			vb_error_set(err, VB_EINVAL, "domain \"%s\" belongs to portal \"%s\"",
				     json_string_value(v), o);
			goto fail;
		}
	}
	langs = json_object_get(in, "languages");
	if (!langs || json_is_null(langs)) {
		json_object_set_new(r, "languages", json_pack("[s]", "vi"));
	} else {
		if (!json_is_array(langs) || !json_array_size(langs)) {
			vb_error_set(err, VB_EINVAL, "languages must be a non-empty array of vi, en, zh");
			goto fail;
		}
		if (!(a = json_array()))
			goto nomem;
		json_object_set_new(r, "languages", a);
		json_array_foreach(langs, i, v) {
			if (!in_list(json_string_value(v), languages)) {
				vb_error_set(err, VB_EINVAL, "languages must be a non-empty array of "
					     "vi, en, zh");
				goto fail;
			}
			add_unique(a, json_string_value(v));
		}
	}
	dl = str(in, "default_language");
	if (!dl)
		dl = json_string_value(json_array_get(json_object_get(r, "languages"), 0));
	if (!has_string(json_object_get(r, "languages"), dl)) {
		vb_error_set(err, VB_EINVAL, "default_language must be one of the portal's languages");
		goto fail;
	}
	json_object_set_new(r, "default_language", json_string(dl));
	if (!(a = text_list(json_object_get(in, "issuers"), "issuers", err)))
		goto fail;
	json_object_set_new(r, "issuers", a);
	if (!json_array_size(a)) {
		const char *vi = str(json_object_get(r, "names"), "vi");

		if (!strcmp(kind, "department") || !strcmp(kind, "topic")) {
			json_array_append_new(a, json_string(vi));
		} else {
			json_t *u = default_issuer("UBND", vi), *h = default_issuer("HĐND", vi);

			if (u)
				json_array_append_new(a, u);
			if (h)
				json_array_append_new(a, h);
		}
	}
	if (!(a = text_list(json_object_get(in, "scope_extra"), "scope_extra", err)))
		goto fail;
	json_object_set_new(r, "scope_extra", a);
	v = json_object_get(in, "inherit");
	if (v && !json_is_boolean(v)) {
		vb_error_set(err, VB_EINVAL, "inherit must be true or false");
		goto fail;
	}
	json_object_set_new(r, "inherit", json_boolean(!v || json_is_true(v)));
	return r;
nomem:
	vb_error_set(err, VB_ENOMEM, "out of memory");
fail:
	free(s);
	json_decref(r);
	return NULL;
}

/* ---- operations ------------------------------------------------------- */

static json_t *need(json_t *reg, const char *id, int active, vb_error *err)
{
	json_t *rec = vb_portal_get(reg, id);

	if (!rec) {
		vb_error_set(err, VB_ENOTFOUND, "unknown portal \"%.64s\"", id ? id : "");
		return NULL;
	}
	if (active && !is_active(rec)) {
		vb_error_set(err, VB_EINVAL, "portal \"%s\" is %s, not active", id, state_of(rec));
		return NULL;
	}
	return rec;
}

static int op_create(json_t *reg, json_t *args, json_t *changed, const char **new_id,
		     vb_error *err)
{
	json_t *r = make_record(reg, args, NULL, err);

	if (!r)
		return err ? err->code : VB_EINVAL;
	*new_id = str(args, "id");
	json_array_append_new(changed, json_string(str(r, "id")));
	return json_object_set_new(reg, str(args, "id"), r) ? VB_ENOMEM : 0;
}

static int op_update(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *old = need(reg, id, 1, err), *r;

	if (!old)
		return err ? err->code : VB_EINVAL;
	if (!str(args, "id") || strcmp(str(args, "id"), id))
		return vb_error_set(err, VB_EINVAL, "the record's id must be \"%s\"", id);
	if (!(r = make_record(reg, args, id, err)))
		return err ? err->code : VB_EINVAL;
	json_object_set(r, "former_names", json_object_get(old, "former_names"));
	json_array_append_new(changed, json_string(id));
	return json_object_set_new(reg, id, r) ? VB_ENOMEM : 0;
}

static int op_rename(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *rec = need(reg, id, 1, err), *in, *names, *former;
	int rc;

	if (!rec)
		return err ? err->code : VB_EINVAL;
	/* build the renamed record with make_record, then keep history */
	in = json_deep_copy(rec);
	if (!in)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	json_object_del(in, "state");
	json_object_del(in, "successors");
	json_object_del(in, "former_names");
	names = json_object_get(args, "names");
	if (!json_is_object(names) && !json_object_get(args, "place")) {
		json_decref(in);
		return vb_error_set(err, VB_EINVAL, "rename needs names and/or place");
	}
	if (json_is_object(names)) {
		json_t *merged = json_deep_copy(json_object_get(rec, "names"));

		json_object_update(merged, names);
		json_object_set_new(in, "names", merged);
		if (!json_object_get(args, "place"))
			json_object_del(in, "place"); /* derive again from the new name */
	}
	if (json_object_get(args, "place"))
		json_object_set(in, "place", json_object_get(args, "place"));
	former = json_pack("{s:O, s:O?}", "names", json_object_get(rec, "names"), "place",
			   json_object_get(rec, "place"));
	rc = op_update(reg, id, in, changed, err);
	json_decref(in);
	if (!rc) {
		const char *vi;
		json_t *iss;

		rec = vb_portal_get(reg, id);
		iss = json_object_get(rec, "issuers");
		json_array_append(json_object_get(rec, "former_names"), former);
		/* documents under the new name: its issuers join the old ones */
		vi = json_string_value(json_object_get(names, "vi"));
		if (vi && !json_object_get(args, "issuers")) {
			const char *kind = str(rec, "kind");

			if (!strcmp(kind, "department") || !strcmp(kind, "topic")) {
				add_unique(iss, str(json_object_get(rec, "names"), "vi"));
			} else {
				json_t *u = default_issuer("UBND", str(json_object_get(rec, "names"), "vi"));
				json_t *h = default_issuer("HĐND", str(json_object_get(rec, "names"), "vi"));

				if (u)
					add_unique(iss, json_string_value(u));
				if (h)
					add_unique(iss, json_string_value(h));
				json_decref(u);
				json_decref(h);
			}
		}
	}
	json_decref(former);
	return rc;
}

/* Apply add / remove lists to the array key of rec. */
static int edit_list(json_t *rec, const char *key, json_t *add, json_t *remove)
{
	json_t *a = json_object_get(rec, key), *v;
	size_t i;

	json_array_foreach(remove, i, v) {
		size_t k;
		json_t *e;

		json_array_foreach(a, k, e)
			if (!strcmp(json_string_value(e), json_string_value(v))) {
				json_array_remove(a, k);
				break;
			}
	}
	json_array_foreach(add, i, v)
		if (add_unique(a, json_string_value(v)))
			return VB_ENOMEM;
	return json_array_size(a) > VB_PORTAL_LIST_MAX ? VB_ETOOBIG : 0;
}

static int op_scope(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *rec = need(reg, id, 1, err), *add = NULL, *rm = NULL, *inh;
	int rc = 0;

	if (!rec)
		return err ? err->code : VB_EINVAL;
	inh = json_object_get(args, "inherit");
	if (inh && !json_is_boolean(inh))
		return vb_error_set(err, VB_EINVAL, "inherit must be true or false");
	if (!(add = text_list(json_object_get(args, "add"), "add", err)) ||
	    !(rm = text_list(json_object_get(args, "remove"), "remove", err))) {
		rc = err ? err->code : VB_EINVAL;
		goto out;
	}
	if (!json_array_size(add) && !json_array_size(rm) && !inh) {
		rc = vb_error_set(err, VB_EINVAL, "scope needs add, remove or inherit");
		goto out;
	}
	/* removing an own issuer is allowed: the scope is what staff say */
	if ((rc = edit_list(rec, "scope_extra", add, rm))) {
		rc = vb_error_set(err, rc, "too many issuers in the scope of \"%s\"", id);
		goto out;
	}
	edit_list(rec, "issuers", NULL, rm);
	if (inh)
		json_object_set(rec, "inherit", inh);
	json_array_append_new(changed, json_string(id));
out:
	json_decref(add);
	json_decref(rm);
	return rc;
}

static int op_domain(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *rec = need(reg, id, 0, err), *add = NULL, *rm = NULL, *v;
	size_t i;
	int rc = 0;

	if (!rec)
		return err ? err->code : VB_EINVAL;
	if (!(add = domain_list(json_object_get(args, "add"), err)) ||
	    !(rm = domain_list(json_object_get(args, "remove"), err))) {
		rc = err ? err->code : VB_EINVAL;
		goto out;
	}
	if (!json_array_size(add) && !json_array_size(rm)) {
		rc = vb_error_set(err, VB_EINVAL, "domain needs add or remove");
		goto out;
	}
	json_array_foreach(add, i, v) {
		const char *o = domain_owner(reg, json_string_value(v), id);

		if (o) {
			rc = vb_error_set(err, VB_EINVAL, "domain \"%s\" belongs to portal \"%s\"",
					  json_string_value(v), o);
			goto out;
		}
	}
	if ((rc = edit_list(rec, "domains", add, rm))) {
		rc = vb_error_set(err, rc, "too many domains for \"%s\"", id);
		goto out;
	}
	json_array_append_new(changed, json_string(id));
out:
	json_decref(add);
	json_decref(rm);
	return rc;
}

/* A successor named by id (must be active) or given as a new record
 * (created); its id in *out. */
static int successor(json_t *reg, json_t *v, json_t *changed, const char **out, vb_error *err)
{
	if (json_is_string(v)) {
		if (!need(reg, json_string_value(v), 1, err))
			return err ? err->code : VB_EINVAL;
		*out = json_string_value(v);
		return 0;
	}
	if (json_is_object(v)) {
		int rc = op_create(reg, v, changed, out, err);

		if (!rc)
			*out = str(vb_portal_get(reg, *out), "id");
		return rc;
	}
	return vb_error_set(err, VB_EINVAL, "a successor is a portal id or a new portal object");
}

static void end_portal(json_t *reg, const char *id, const char *state, json_t *succ,
		       json_t *changed)
{
	json_t *rec = vb_portal_get(reg, id);

	json_object_set_new(rec, "state", json_string(state));
	json_object_set_new(rec, "successors", succ);
	json_array_append_new(changed, json_string(id));
}

static int op_merge(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *with = json_object_get(args, "with"), *v, *srcs;
	const char *target = NULL;
	size_t i;
	int rc;

	if (!need(reg, id, 1, err))
		return err ? err->code : VB_EINVAL;
	if (with && (!json_is_array(with) || json_array_size(with) > VB_PORTAL_LIST_MAX))
		return vb_error_set(err, VB_EINVAL, "with must be an array of portal ids");
	if (!(srcs = json_pack("[s]", id)))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	json_array_foreach(with, i, v) {
		if (!json_is_string(v) || !need(reg, json_string_value(v), 1, err)) {
			json_decref(srcs);
			return json_is_string(v) ? (err ? err->code : VB_EINVAL) :
				vb_error_set(err, VB_EINVAL, "with must be an array of portal ids");
		}
		add_unique(srcs, json_string_value(v));
	}
	if (!json_object_get(args, "into")) {
		json_decref(srcs);
		return vb_error_set(err, VB_EINVAL, "merge needs into: the portal that takes over");
	}
	if ((rc = successor(reg, json_object_get(args, "into"), changed, &target, err))) {
		json_decref(srcs);
		return rc;
	}
	if (has_string(srcs, target)) {
		json_decref(srcs);
		return vb_error_set(err, VB_EINVAL, "portal \"%s\" cannot be merged into itself", target);
	}
	json_array_foreach(srcs, i, v)
		end_portal(reg, json_string_value(v), "merged", json_pack("[s]", target), changed);
	json_decref(srcs);
	return 0;
}

static int op_split(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *into = json_object_get(args, "into"), *succ, *v;
	size_t i;
	int rc = 0;

	if (!need(reg, id, 1, err))
		return err ? err->code : VB_EINVAL;
	if (!json_is_array(into) || json_array_size(into) < 2 ||
	    json_array_size(into) > VB_PORTAL_LIST_MAX)
		return vb_error_set(err, VB_EINVAL, "split needs into: an array of 2 or more portals");
	if (!(succ = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	json_array_foreach(into, i, v) {
		const char *t = NULL;

		if ((rc = successor(reg, v, changed, &t, err)))
			break;
		if (!strcmp(t, id)) {
			rc = vb_error_set(err, VB_EINVAL, "portal \"%s\" cannot succeed itself", id);
			break;
		}
		add_unique(succ, t);
	}
	if (rc) {
		json_decref(succ);
		return rc;
	}
	end_portal(reg, id, "split", succ, changed);
	return 0;
}

static int op_retire(json_t *reg, const char *id, json_t *args, json_t *changed, vb_error *err)
{
	json_t *s = json_object_get(args, "successor"), *succ;
	const char *t = NULL;
	int rc;

	if (!need(reg, id, 1, err))
		return err ? err->code : VB_EINVAL;
	if (!(succ = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (s && !json_is_null(s)) {
		if (!json_is_string(s)) {
			json_decref(succ);
			return vb_error_set(err, VB_EINVAL, "successor must be a portal id");
		}
		if ((rc = successor(reg, s, changed, &t, err))) {
			json_decref(succ);
			return rc;
		}
		if (!strcmp(t, id)) {
			json_decref(succ);
			return vb_error_set(err, VB_EINVAL, "portal \"%s\" cannot succeed itself", id);
		}
		json_array_append_new(succ, json_string(t));
	}
	end_portal(reg, id, "retired", succ, changed);
	return 0;
}

int vb_portal_op(json_t *reg, const char *op, const char *id, json_t *args, json_t *changed,
		 vb_error *err)
{
	const char *nid = NULL;

	if (!json_is_object(reg) || !json_is_array(changed))
		return vb_error_set(err, VB_EINVAL, "no registry");
	if (args && !json_is_object(args))
		return vb_error_set(err, VB_EINVAL, "the arguments must be a JSON object");
	if (!op)
		op = "";
	if (!strcmp(op, "create"))
		return op_create(reg, args, changed, &nid, err);
	if (!id || !vb_portal_id_valid(id))
		return vb_error_set(err, VB_EINVAL, "invalid portal id \"%.64s\"", id ? id : "");
	if (!strcmp(op, "update"))
		return op_update(reg, id, args, changed, err);
	if (!strcmp(op, "rename"))
		return op_rename(reg, id, args, changed, err);
	if (!strcmp(op, "scope"))
		return op_scope(reg, id, args, changed, err);
	if (!strcmp(op, "domain"))
		return op_domain(reg, id, args, changed, err);
	if (!strcmp(op, "merge"))
		return op_merge(reg, id, args, changed, err);
	if (!strcmp(op, "split"))
		return op_split(reg, id, args, changed, err);
	if (!strcmp(op, "retire"))
		return op_retire(reg, id, args, changed, err);
	return vb_error_set(err, VB_EINVAL, "unknown portal operation \"%.32s\"", op);
}

int vb_portal_apply(struct vb_store *st, const char *op, const char *id, json_t *args,
		    json_t **out, vb_error *err)
{
	json_t *reg = NULL, *changed = json_array();
	const char *main_id = id;
	int rc;

	if (out)
		*out = NULL;
	if (!changed)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if ((rc = vb_store_portal_begin(st, &reg, err)))
		goto out;
	if ((rc = vb_portal_op(reg, op, id, args ? args : json_object(), changed, err))) {
		vb_store_portal_abort(st);
		goto out;
	}
	if (op && !strcmp(op, "create"))
		main_id = str(args, "id");
	if ((rc = vb_store_portal_commit(st, reg, changed, op, main_id, args, err)))
		goto out;
	if (out)
		*out = vb_portal_describe(reg, main_id, NULL);
out:
	json_decref(changed);
	json_decref(reg);
	return rc;
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
