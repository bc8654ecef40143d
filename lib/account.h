/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts: who acts (a vb_principal: a user through a session cookie, an
 * API token of a user, the configured bootstrap token, the CLI or a
 * system thread), which roles they hold in which portal, and what their
 * credential allows (scopes).  Also the credentials themselves: argon2id
 * password hashes, random session and API tokens (only their SHA-256 is
 * stored), and the store functions of the account tables
 * (sql/010_accounts.sql, lib/store_account.c).
 *
 * Roles are held per portal: an uploader creates drafts, an editor reviews,
 * publishes and withdraws (and may do what an uploader does), a portal
 * administrator manages the portal's users and scope.  A system
 * administrator holds every role in every portal.
 */
#ifndef VB_ACCOUNT_H
#define VB_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "store.h"

#define VB_ROLE_UPLOADER     1u
#define VB_ROLE_EDITOR       2u   /* implies uploader in the same portal */
#define VB_ROLE_PORTAL_ADMIN 4u   /* users and scope of the portal; does not imply editor */

#define VB_SCOPE_UPLOAD  1u  /* create drafts, edit, submit */
#define VB_SCOPE_PUBLISH 2u  /* publish, reject, return, withdraw, correct */
#define VB_SCOPE_SYNC    4u  /* sync review accept/reject */
#define VB_SCOPE_REPORT  8u  /* usage reports */
#define VB_SCOPE_ADMIN  16u  /* users, roles, tokens of others, portal registry */
#define VB_SCOPE_ALL    31u

#define VB_PRINCIPAL_MAX_ROLES 64

typedef enum {
	VB_ACTOR_ANONYMOUS,
	VB_ACTOR_USER,
	VB_ACTOR_TOKEN,
	VB_ACTOR_CONFIG_TOKEN,
	VB_ACTOR_CLI,
	VB_ACTOR_SYSTEM
} vb_actor_kind;

typedef struct vb_principal {
	vb_actor_kind kind;
	int64_t user_id, token_id;          /* 0 when none */
	char label[80];                     /* login, "config-token", "cli:root", "system:sync" */
	int sysadmin;                       /* every portal, every role */
	unsigned scopes;                    /* what the credential allows: session = ALL, token = its scopes */
	size_t n_roles;
	struct { char portal[64]; unsigned roles; } roles[VB_PRINCIPAL_MAX_ROLES];
	char csrf[48];                      /* session's CSRF token (VB_ACTOR_USER), "" otherwise */
	char ip[48];                        /* client address (audit only, never logged) */
	char request_id[24];
} vb_principal;

/* An anonymous principal (everything zero, kind VB_ACTOR_ANONYMOUS). */
void vb_principal_init(vb_principal *p);
/* A CLI principal labelled "cli:<unix user>" (sysadmin, all scopes), or a
 * system principal labelled name ("system:sync"). */
void vb_principal_cli(vb_principal *p);
void vb_principal_system(vb_principal *p, const char *label);

/* 1 when p may act with role in portal under scope (role 0: any role, or
 * none needed; scope 0: no scope needed).  portal NULL = "in any portal"
 * (e.g. listing).  VB_ROLE_EDITOR also satisfies VB_ROLE_UPLOADER.  A
 * sysadmin (including the config token and the CLI) may do anything its
 * scopes allow.  Pure, thread-safe. */
int vb_principal_can(const vb_principal *p, const char *portal, unsigned role, unsigned scope);
/* The roles p holds in portal (bit set; 0 when none). */
unsigned vb_principal_roles(const vb_principal *p, const char *portal);

/* Role and scope names ("uploader", "editor", "portal_admin"; "upload",
 * "publish", "sync", "report", "admin").  _parse: the bit, 0 when unknown.
 * vb_scopes_json: a new array of the names of the bits set. */
unsigned vb_role_parse(const char *name);
const char *vb_role_name(unsigned role);
unsigned vb_scope_parse(const char *name);
const char *vb_scope_name(unsigned scope);
json_t *vb_scopes_json(unsigned scopes);
const char *vb_actor_kind_name(vb_actor_kind k);

/* ---- passwords (argon2id) ---- */

#define VB_PASSWORD_MIN 12
#define VB_PASSWORD_MAX 1024
#define VB_PASSWORD_HASH_MAX 160   /* encoded hash incl. NUL */

/* Cost of new hashes (defaults t=3, m=65536 KiB, p=1; the config keys
 * argon2_memory_kib and argon2_time).  Call before any thread hashes. */
void vb_password_configure(unsigned memory_kib, unsigned time_cost);
/* Hash pw (VB_PASSWORD_MIN..VB_PASSWORD_MAX bytes, else VB_EINVAL) into
 * out as an argon2id encoded string.  0, VB_EINVAL, VB_ETOOBIG (cap too
 * small), VB_ENOMEM.  Thread-safe. */
int vb_password_hash(const char *pw, char *out, size_t cap, vb_error *err);
/* 1 when pw matches the encoded hash, 0 otherwise (also for NULL or a
 * malformed hash).  Thread-safe. */
int vb_password_verify(const char *encoded, const char *pw);

/* ---- random tokens ---- */

#define VB_TOKEN_PREFIX "vbt_"
#define VB_TOKEN_LEN 47         /* "vbt_" + 43 base64url characters */
#define VB_SECRET_LEN 43        /* 32 random bytes, base64url, no padding */

/* 32 bytes from getrandom() as base64url (43 characters + NUL): session
 * cookies and CSRF tokens.  0 or VB_EIO. */
int vb_random_secret(char out[VB_SECRET_LEN + 1], vb_error *err);
/* A new API token "vbt_<43 characters>".  0 or VB_EIO. */
int vb_token_new(char out[VB_TOKEN_LEN + 1], vb_error *err);
/* Whether s looks like a token of vb_token_new. */
int vb_token_well_formed(const char *s);
/* SHA-256 of s as 64 lower-case hex digits (what the database keeps). */
void vb_secret_hash(const char *s, char hex[65]);
/* Constant-time comparison of two NUL-terminated strings. */
int vb_secret_equal(const char *a, const char *b);

/* ---- store: users, roles, sessions, API tokens (lib/store_account.c) ---- */

#define VB_LOGIN_MAX 64
#define VB_DISPLAY_NAME_MAX 200
#define VB_TOKEN_NAME_MAX 100

/* What a login needs to know of a user. */
typedef struct vb_user_auth {
	int64_t id;
	char password_hash[VB_PASSWORD_HASH_MAX]; /* "" when no password is set */
	int disabled;
	int locked_seconds;   /* > 0: locked for this many more seconds */
} vb_user_auth;

/* Whether login is a valid login name (^[a-z0-9._-]{2,64}$). */
int vb_login_valid(const char *login);

/* New user; password_hash may be NULL (no password login).  *id (may be
 * NULL) gets its id.  VB_EINVAL for a bad or taken login, VB_EDB. */
int vb_store_user_add(vb_store *st, const char *login, const char *display_name,
		      const char *password_hash, int sysadmin, int64_t *id, vb_error *err);
/* Id of the user with login; VB_ENOTFOUND when none. */
int vb_store_user_id(vb_store *st, const char *login, int64_t *id, vb_error *err);
/* Login data of login; VB_ENOTFOUND when there is no such user. */
int vb_store_user_auth(vb_store *st, const char *login, vb_user_auth *out, vb_error *err);
/* Record a failed login: after max_failures consecutive failures the
 * account is locked for lock_minutes (*locked set to 1 when this failure
 * locked it).  vb_store_user_login_ok resets the counter. */
int vb_store_user_login_failed(vb_store *st, int64_t id, int max_failures, int lock_minutes,
			       int *locked, vb_error *err);
int vb_store_user_login_ok(vb_store *st, int64_t id, vb_error *err);
/* Change password hash (NULL: remove password login), disabled flag
 * (disabling also ends the user's sessions), sysadmin flag, display name.
 * VB_ENOTFOUND when there is no such user. */
int vb_store_user_set_password(vb_store *st, int64_t id, const char *password_hash, vb_error *err);
int vb_store_user_set_disabled(vb_store *st, int64_t id, int disabled, vb_error *err);
int vb_store_user_set_sysadmin(vb_store *st, int64_t id, int sysadmin, vb_error *err);
/* One user as JSON {id, login, display_name, sysadmin, disabled, locked,
 * created_at, roles: [{portal, role}]} (a new reference).  VB_ENOTFOUND. */
int vb_store_user_get(vb_store *st, int64_t id, json_t **out, vb_error *err);
/* Users as a JSON array of the same objects; portals non-NULL: only users
 * with a role in one of those portals (n_portals of them). */
int vb_store_user_list(vb_store *st, const char *const *portals, size_t n_portals,
		       json_t **out, vb_error *err);
/* Grant / revoke role (a VB_ROLE_* bit) in portal.  Granting one held is
 * fine; revoking one not held is VB_ENOTFOUND.  VB_EINVAL for an unknown
 * portal. */
int vb_store_role_grant(vb_store *st, int64_t user_id, const char *portal, unsigned role,
			vb_error *err);
int vb_store_role_revoke(vb_store *st, int64_t user_id, const char *portal, unsigned role,
			 vb_error *err);
/* Fill p (kind, user_id, label, sysadmin, roles) from user id; scopes are
 * left to the caller.  VB_ENOTFOUND when there is no such user or it is
 * disabled. */
int vb_store_principal_load(vb_store *st, int64_t user_id, vb_principal *p, vb_error *err);

/* Sessions: token_hash = vb_secret_hash(cookie value).  create: expires
 * after max_hours; expires_at (>= 32 bytes, may be NULL) gets it as ISO
 * UTC.  lookup: VB_ENOTFOUND when missing, past its absolute expiry or idle
 * longer than idle_minutes (such a row is deleted); otherwise last_seen_at
 * is refreshed.  delete: logout (missing is fine). */
int vb_store_session_create(vb_store *st, int64_t user_id, const char *token_hash,
			    const char *csrf, int max_hours, char *expires_at, vb_error *err);
int vb_store_session_lookup(vb_store *st, const char *token_hash, int idle_minutes,
			    int64_t *user_id, char csrf[48], vb_error *err);
int vb_store_session_delete(vb_store *st, const char *token_hash, vb_error *err);

/* API tokens.  create: portals is NULL (all the user's portals) or a JSON
 * array of portal ids; expires_at NULL or an ISO timestamp.  lookup:
 * VB_ENOTFOUND when unknown, revoked, expired or the user is disabled;
 * *portals gets a new array or NULL; last_used_at is refreshed. */
int vb_store_token_create(vb_store *st, int64_t user_id, const char *name,
			  const char *token_hash, unsigned scopes, const json_t *portals,
			  const char *expires_at, int64_t *id, vb_error *err);
int vb_store_token_lookup(vb_store *st, const char *token_hash, int64_t *token_id,
			  int64_t *user_id, unsigned *scopes, json_t **portals, vb_error *err);
/* Tokens (never their hashes) as a JSON array; user_id 0: everyone's. */
int vb_store_token_list(vb_store *st, int64_t user_id, json_t **out, vb_error *err);
/* Revoke token id; owner non-zero: only when it belongs to that user
 * (else VB_ENOTFOUND).  Revoking twice is VB_ECONFLICT. */
int vb_store_token_revoke(vb_store *st, int64_t id, int64_t owner, vb_error *err);

/* The portal of the document a sync review item concerns into portal
 * ("" when the document belongs to no portal).  VB_ENOTFOUND when there is
 * no such item. */
int vb_store_sync_review_portal(vb_store *st, int64_t review_id, char *portal, size_t cap,
				vb_error *err);

#endif
