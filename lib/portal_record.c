/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A portal record checked and completed from input (portal_int.h), for
 * the create and update operations of portal_op.c: the id, kind, names,
 * place, parent, domains, languages, issuers, scope and inherit flag,
 * each validated and normalised (NFC text, lower-case host names), with
 * the defaults portal.h describes (parent, languages, place, own
 * issuers); the text, domain and issuer helpers the other operations use
 * too.  Pure: no I/O.
 */
#include "portal.h"
#include "portal_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

json_t *portal_text_list(json_t *v, const char *what, vb_error *err)
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

json_t *portal_domain_list(json_t *v, vb_error *err)
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

const char *portal_domain_owner(json_t *reg, const char *d, const char *self)
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

json_t *portal_default_issuer(const char *prefix, const char *name)
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

json_t *portal_record_new(json_t *reg, json_t *in, const char *self, vb_error *err)
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
		parent = portal_the_province(reg, id); /* below the province by default */
	if (parent) {
		json_t *p = vb_portal_get(reg, parent);

		if (!p) {
			vb_error_set(err, VB_ENOTFOUND, "unknown parent portal \"%.64s\"", parent);
			goto fail;
		}
		if (!strcmp(parent, id) || portal_descends_from(reg, p, id)) {
			vb_error_set(err, VB_EINVAL, "portal \"%s\" cannot be its own ancestor", id);
			goto fail;
		}
		json_object_set_new(r, "parent", json_string(parent));
	}
	if (!(a = portal_domain_list(json_object_get(in, "domains"), err)))
		goto fail;
	json_object_set_new(r, "domains", a);
	json_array_foreach(a, i, v) {
		const char *o = portal_domain_owner(reg, json_string_value(v), id);

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
	if (!(a = portal_text_list(json_object_get(in, "issuers"), "issuers", err)))
		goto fail;
	json_object_set_new(r, "issuers", a);
	if (!json_array_size(a)) {
		const char *vi = str(json_object_get(r, "names"), "vi");

		if (!strcmp(kind, "department") || !strcmp(kind, "topic")) {
			json_array_append_new(a, json_string(vi));
		} else {
			json_t *u = portal_default_issuer("UBND", vi);
			json_t *h = portal_default_issuer("HĐND", vi);

			if (u)
				json_array_append_new(a, u);
			if (h)
				json_array_append_new(a, h);
		}
	}
	if (!(a = portal_text_list(json_object_get(in, "scope_extra"), "scope_extra", err)))
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
