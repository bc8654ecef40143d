/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal registry: which government portals vanban serves, their
 * domains and languages, their scope (the issuers whose documents each one
 * shows) and their lifecycle (create, rename, merge, split, retire: QĐ
 * 05/2023/QĐ-UBND Điều 11.5 and the 2025 commune merger).  See
 * docs/portals.md.
 *
 * The registry is a JSON object mapping a portal id to its record:
 *
 *   { "id": "hongha.halong", "kind": "commune",
 *     "names": {"vi": "Phường Hồng Hà", "en": "Hong Ha Ward", "zh": "..."},
 *     "place": "Hồng Hà", "parent": "halong",
 *     "domains": ["hongha.halong.quangninh.gov.vn"],
 *     "languages": ["vi"], "default_language": "vi",
 *     "issuers": ["UBND phường Hồng Hà", "HĐND phường Hồng Hà"],
 *     "scope_extra": [], "inherit": true,
 *     "state": "active", "successors": [], "former_names": [] }
 *
 * The functions below that take a registry are pure (no I/O): the
 * operations check and apply one change in memory, and the store
 * (vb_store_portal_begin / _commit, store.h) loads and saves the registry
 * around them under a lock; vb_portal_apply does the three steps.  Not
 * thread-safe on one registry; separate registries are independent.
 *
 * Scope of a portal P (vb_portal_scope): P's own issuers and scope_extra,
 * those of every portal merged or split into P (transitively), those of
 * P's ancestors through "parent" unless inherit is false (the province's
 * UBND and HĐND for a commune, as Điều 17–18 ask), and for a province
 * portal those of every portal below it.  Former place names
 * (vb_portal_places): the place names a predecessor of P had, and P's own
 * names before a rename, each with the issuers whose documents it stands
 * for, so that a search for an old commune's name on its successor's
 * portal still finds that commune's documents.
 */
#ifndef VB_PORTAL_H
#define VB_PORTAL_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"
#include "search.h"

struct vb_store;

#define VB_PORTAL_ID_MAX 127      /* bytes of an id */
#define VB_PORTAL_MAX 4096        /* portals in a registry */
#define VB_PORTAL_LIST_MAX 64     /* domains, issuers, successors... per portal */
#define VB_PORTAL_TEXT_MAX 256    /* bytes of a name, place or issuer */
#define VB_PORTAL_DOMAIN_MAX 253
#define VB_PORTAL_MAX_SCOPE VB_SEARCH_MAX_SCOPE
#define VB_PORTAL_MAX_PLACES VB_SEARCH_MAX_PLACES
#define VB_PORTAL_MAX_HOPS 32     /* successor / parent chains longer than this are cut */

/* Whether id is a portal slug: 1-4 dot-separated labels of a-z, 0-9 and
 * inner '-', each at most 32 bytes ("quangninh", "hongha.halong"). */
int vb_portal_id_valid(const char *id);

/* A Host header (or a domain as typed) as stored: lower case, no port, no
 * final dot.  0, or VB_EINVAL when it is not a host name. */
int vb_portal_domain_normalize(const char *host, char *out, size_t cap);

/* The record of id, borrowed, or NULL. */
json_t *vb_portal_get(json_t *reg, const char *id);

/* The active portal that id stands for now: id itself when active, else
 * the first successor (followed again), else (retired without successor)
 * the nearest active ancestor, else the province portal.  Borrowed from reg; NULL when id is unknown
 * or no active portal can be reached (VB_ENOTFOUND / VB_EINVAL in err). */
const char *vb_portal_resolve(json_t *reg, const char *id, vb_error *err);

/* The portal (not resolved) that owns host, or NULL. */
const char *vb_portal_by_domain(json_t *reg, const char *host);

/* The issuers of the scope of id (resolved first), as a new JSON array of
 * strings, deduplicated, at most VB_PORTAL_MAX_SCOPE (VB_ETOOBIG beyond). */
int vb_portal_scope(json_t *reg, const char *id, json_t **out, vb_error *err);

/* The former place names searchable on id (resolved first): a new array
 * of {"name": ..., "issuers": [...]}, at most VB_PORTAL_MAX_PLACES. */
int vb_portal_places(json_t *reg, const char *id, json_t **out, vb_error *err);

/* Apply one operation to reg in memory, after checking it:
 *
 *   create  args: a new record (id, kind, names; optional place, parent,
 *           domains, languages, default_language, issuers, scope_extra,
 *           inherit).  parent defaults to the (one active) province
 *           portal, languages to ["vi"], the default language to the
 *           first.  Own issuers default to "UBND <name>" and
 *           "HĐND <name>" for a province, district or commune, to the
 *           name for a department or topic; place defaults to the name
 *           without its unit word ("Phường Hồng Hà" -> "Hồng Hà").
 *   update  args: a record as for create, of an existing active portal:
 *           its fields are replaced (for imports).
 *   rename  args: {names: {vi, en, zh}, place}; the old names and place
 *           are kept in former_names.
 *   scope   args: {add: [issuer...], remove: [...], inherit: bool}.
 *   domain  args: {add: [domain...], remove: [...]}.
 *   merge   args: {into: "B" | {new record}, with: ["A2"...]}: id (and
 *           the portals of "with") become "merged" with successor B.
 *   split   args: {into: ["B" | {new record}, ...]} (2 or more): id
 *           becomes "split", its successors in that order (the first one
 *           is where its old id and domains lead).
 *   retire  args: {successor: "B"} (optional).
 *
 * Only active portals can be renamed, merged, split, retired or take a
 * successor.  The ids of every record changed or created are appended to
 * changed (a JSON array).  0, VB_EINVAL (message says what is wrong),
 * VB_ENOTFOUND (id or a named portal is unknown), VB_ETOOBIG, VB_ENOMEM.
 * On error reg may be partly changed: throw it away. */
int vb_portal_op(json_t *reg, const char *op, const char *id, json_t *args,
		 json_t *changed, vb_error *err);

/* Load the registry from st, apply op, save (one transaction, under the
 * registry lock).  *out (may be NULL) gets the resulting record of id (or
 * of the new portal for create).  Errors of vb_portal_op, VB_EDB. */
int vb_portal_apply(struct vb_store *st, const char *op, const char *id, json_t *args,
		    json_t **out, vb_error *err);

/* One line of a portal TSV file (data/portals.tsv): tab-separated id,
 * kind, parent, name_vi, name_en, name_zh, place, domains, issuers,
 * languages; lists separated by '|', an empty field or "-" is absent, the
 * first language is the default.  *out gets a record for "create" (new
 * reference), or NULL for a blank or '#' comment line.  VB_EINVAL with the
 * reason (which column). */
int vb_portal_tsv_row(const char *line, json_t **out, vb_error *err);

enum vb_portal_import_result { VB_PORTAL_CREATED = 1, VB_PORTAL_UPDATED,
			       VB_PORTAL_UNCHANGED };

/* Make the registry in st hold rec (a record as for create): created when
 * the id is new; for an active portal, the fields rec gives replace the
 * stored ones (names language by language; the others, such as
 * scope_extra and inherit, stay) and it is updated when that changes
 * anything, else unchanged; a merged, split or retired portal is history
 * and is left alone.  One transaction.  Errors of vb_portal_op, VB_EDB. */
int vb_portal_import(struct vb_store *st, json_t *rec, enum vb_portal_import_result *result,
		     vb_error *err);

/* A portal's record for display: the record plus "current" (what it
 * resolves to, null when nothing), "scope" (issuers) and "places".  New
 * reference or NULL (err set). */
json_t *vb_portal_describe(json_t *reg, const char *id, vb_error *err);

/* The scope of a search on a portal: what vb_portal_search_apply puts into
 * a vb_search_req (the request borrows from this struct). */
typedef struct vb_portal_search {
	char requested[VB_PORTAL_ID_MAX + 1]; /* as asked, or "" (none) */
	char id[VB_PORTAL_ID_MAX + 1];        /* resolved, "" when none */
	char name[VB_PORTAL_TEXT_MAX + 1];    /* names.vi of id */
	char default_language[4];             /* "vi", "en", "zh"; "" (none) */
	int by_host;                          /* chosen by the Host header */
	json_t *issuers;                      /* owned */
	json_t *places;                       /* owned */
	const char *issuer_v[VB_PORTAL_MAX_SCOPE];
	vb_search_place place_v[VB_PORTAL_MAX_PLACES];
	const char *place_issuer_v[VB_PORTAL_MAX_SCOPE]; /* the places' issuers */
	size_t n_issuers, n_places;
} vb_portal_search;

void vb_portal_search_init(vb_portal_search *ps);
void vb_portal_search_dispose(vb_portal_search *ps);

/* Choose the portal of a search: id when given (VB_EINVAL when it is not
 * a slug, VB_ENOTFOUND when it is unknown), else the portal of host (may
 * be NULL; no portal when no domain matches), and fill ps with its
 * resolved id, scope and former place names.  No portal: ps->id is "". */
int vb_portal_search_setup(vb_portal_search *ps, json_t *reg, const char *id,
			   const char *host, vb_error *err);

/* Point req's scope and places at ps (nothing when ps has no portal). */
void vb_portal_search_apply(const vb_portal_search *ps, vb_search_req *req);

#endif
