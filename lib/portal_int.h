/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of the portal registry (lib/portal.h), shared by portal.c
 * (ids, domains, what a portal resolves to, its scope and former place
 * names, TSV rows and imports, the portal of a search), portal_record.c
 * (a record checked and completed from input) and portal_op.c (the
 * lifecycle operations and vb_portal_apply).  Nothing else includes it.
 * Like the public functions, none of these is thread-safe on one registry.
 */
#ifndef VB_PORTAL_INT_H
#define VB_PORTAL_INT_H

#include <string.h>

#include <jansson.h>

#include "error.h"

/* The string member key of rec, borrowed, or NULL. */
static inline const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* A record's state: "active" when it has none. */
static inline const char *state_of(json_t *rec)
{
	const char *s = str(rec, "state");

	return s ? s : "active";
}

static inline int is_active(json_t *rec)
{
	return !strcmp(state_of(rec), "active");
}

/* Append s to the array a unless it is there already. */
static inline int add_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	if (!s)
		return -1;
	json_array_foreach(a, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v), s))
			return 0;
	return json_array_append_new(a, json_string(s));
}

static inline int has_string(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

/* ---- portal.c ---- */

/* The id of the one active province portal other than self, or NULL
 * (none, or several). */
const char *portal_the_province(json_t *reg, const char *self);

/* Whether anc is an ancestor of rec through parent links. */
int portal_descends_from(json_t *reg, json_t *rec, const char *anc);

/* ---- portal_record.c ---- */

/* A checked array of texts (issuers), deduplicated; NULL v gives [].  New
 * reference, or NULL with err set (what names the member in messages). */
json_t *portal_text_list(json_t *v, const char *what, vb_error *err);

/* A checked array of domains, normalised.  New reference, or NULL with
 * err set. */
json_t *portal_domain_list(json_t *v, vb_error *err);

/* Which portal other than self owns domain d, or NULL. */
const char *portal_domain_owner(json_t *reg, const char *d, const char *self);

/* "UBND phường Hồng Hà" from "Phường Hồng Hà" (the unit word in lower
 * case, as issuers are written): a new JSON string, or NULL when too
 * long. */
json_t *portal_default_issuer(const char *prefix, const char *name);

/* A new record checked against reg from the input in, its defaults filled
 * in (see vb_portal_op, create); self = the id of the record it replaces
 * (update) or NULL (create).  New reference, or NULL with err set. */
json_t *portal_record_new(json_t *reg, json_t *in, const char *self, vb_error *err);

#endif
