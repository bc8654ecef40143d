/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle operations on the portal registry (vb_portal_op, see
 * portal.h and docs/portals.md): create, update, rename, scope, domain,
 * merge, split and retire, each checked and applied to a registry held in
 * memory as JSON, records built by portal_record.c; and vb_portal_apply,
 * which loads the registry from the store, applies one operation and saves
 * it in one transaction.
 */
#include "portal.h"
#include "portal_int.h"

#include <string.h>

#include "store.h"

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
	json_t *r = portal_record_new(reg, args, NULL, err);

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
	if (!(r = portal_record_new(reg, args, id, err)))
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
				json_t *u = portal_default_issuer("UBND",
								  str(json_object_get(rec, "names"), "vi"));
				json_t *h = portal_default_issuer("HĐND",
								  str(json_object_get(rec, "names"), "vi"));

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
			if (json_equal(e, v)) {
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
	if (!(add = portal_text_list(json_object_get(args, "add"), "add", err)) ||
	    !(rm = portal_text_list(json_object_get(args, "remove"), "remove", err))) {
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
	if (!(add = portal_domain_list(json_object_get(args, "add"), err)) ||
	    !(rm = portal_domain_list(json_object_get(args, "remove"), err))) {
		rc = err ? err->code : VB_EINVAL;
		goto out;
	}
	if (!json_array_size(add) && !json_array_size(rm)) {
		rc = vb_error_set(err, VB_EINVAL, "domain needs add or remove");
		goto out;
	}
	json_array_foreach(add, i, v) {
		const char *o = portal_domain_owner(reg, json_string_value(v), id);

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
	json_t *reg = NULL, *changed = json_array(), *none = NULL;
	const char *main_id = id;
	int rc;

	if (out)
		*out = NULL;
	if (!args)
		args = none = json_object();
	if (!changed || !args) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = vb_store_portal_begin(st, &reg, err)))
		goto out;
	if ((rc = vb_portal_op(reg, op, id, args, changed, err))) {
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
	json_decref(none);
	json_decref(changed);
	json_decref(reg);
	return rc;
}
