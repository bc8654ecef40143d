/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Principals, roles and scopes (the pure part of lib/account.h), argon2id
 * password hashing with libargon2, and random secrets (session cookies,
 * CSRF values, API tokens) from getrandom(), of which the database keeps
 * only the SHA-256.
 */
#include "account.h"

#include <errno.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <argon2.h>

#include "sha256.h"

void vb_principal_init(vb_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = VB_ACTOR_ANONYMOUS;
}

void vb_principal_cli(vb_principal *p)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *name = pw && pw->pw_name ? pw->pw_name : NULL;

	vb_principal_init(p);
	p->kind = VB_ACTOR_CLI;
	if (name)
		snprintf(p->label, sizeof(p->label), "cli:%s", name);
	else
		snprintf(p->label, sizeof(p->label), "cli:%u", (unsigned)geteuid());
	p->sysadmin = 1;
	p->scopes = VB_SCOPE_ALL;
}

void vb_principal_system(vb_principal *p, const char *label)
{
	vb_principal_init(p);
	p->kind = VB_ACTOR_SYSTEM;
	snprintf(p->label, sizeof(p->label), "%s", label ? label : "system");
	p->sysadmin = 1;
	p->scopes = VB_SCOPE_ALL;
}

unsigned vb_principal_roles(const vb_principal *p, const char *portal)
{
	unsigned r = 0;

	if (!p || !portal)
		return 0;
	for (size_t i = 0; i < p->n_roles && i < VB_PRINCIPAL_MAX_ROLES; i++)
		if (!strcmp(p->roles[i].portal, portal))
			r |= p->roles[i].roles;
	return r;
}

/* Whether held satisfies the role asked for (editor implies uploader). */
static int role_ok(unsigned held, unsigned role)
{
	if (held & VB_ROLE_EDITOR)
		held |= VB_ROLE_UPLOADER;
	return role ? (held & role) != 0 : held != 0;
}

int vb_principal_can(const vb_principal *p, const char *portal, unsigned role, unsigned scope)
{
	if (!p || p->kind == VB_ACTOR_ANONYMOUS)
		return 0;
	if ((p->scopes & scope) != scope)
		return 0;
	if (p->sysadmin)
		return 1;
	if (!role)
		return 1;
	if (portal)
		return role_ok(vb_principal_roles(p, portal), role);
	for (size_t i = 0; i < p->n_roles && i < VB_PRINCIPAL_MAX_ROLES; i++)
		if (role_ok(p->roles[i].roles, role))
			return 1;
	return 0;
}

static const char *const role_names[] = { "uploader", "editor", "portal_admin" };
static const char *const scope_names[] = { "upload", "publish", "sync", "report", "admin" };

unsigned vb_role_parse(const char *name)
{
	for (unsigned i = 0; name && i < 3; i++)
		if (!strcmp(name, role_names[i]))
			return 1u << i;
	return 0;
}

const char *vb_role_name(unsigned role)
{
	for (unsigned i = 0; i < 3; i++)
		if (role == 1u << i)
			return role_names[i];
	return "any role";
}

unsigned vb_scope_parse(const char *name)
{
	for (unsigned i = 0; name && i < 5; i++)
		if (!strcmp(name, scope_names[i]))
			return 1u << i;
	return 0;
}

const char *vb_scope_name(unsigned scope)
{
	for (unsigned i = 0; i < 5; i++)
		if (scope == 1u << i)
			return scope_names[i];
	return "";
}

json_t *vb_scopes_json(unsigned scopes)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < 5; i++)
		if (scopes & (1u << i))
			json_array_append_new(a, json_string(scope_names[i]));
	return a;
}

const char *vb_actor_kind_name(vb_actor_kind k)
{
	switch (k) {
	case VB_ACTOR_USER: return "user";
	case VB_ACTOR_TOKEN: return "token";
	case VB_ACTOR_CONFIG_TOKEN: return "config_token";
	case VB_ACTOR_CLI: return "cli";
	case VB_ACTOR_SYSTEM: return "system";
	default: return "anonymous";
	}
}

/* ---- passwords ---- */

static _Atomic unsigned argon_m = 65536, argon_t = 3;

void vb_password_configure(unsigned memory_kib, unsigned time_cost)
{
	if (memory_kib >= 8)
		argon_m = memory_kib;
	if (time_cost >= 1)
		argon_t = time_cost;
}

int vb_password_hash(const char *pw, char *out, size_t cap, vb_error *err)
{
	unsigned char salt[16];
	size_t len = pw ? strlen(pw) : 0;
	int rc;

	if (cap)
		out[0] = '\0';
	if (len < VB_PASSWORD_MIN)
		return vb_error_set(err, VB_EINVAL, "password too short (at least %d bytes)",
				    VB_PASSWORD_MIN);
	if (len > VB_PASSWORD_MAX)
		return vb_error_set(err, VB_EINVAL, "password too long (at most %d bytes)",
				    VB_PASSWORD_MAX);
	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		return vb_error_set(err, VB_EIO, "could not read random bytes: %s", strerror(errno));
	rc = argon2id_hash_encoded(argon_t, argon_m, 1, pw, len, salt, sizeof(salt), 32, out, cap);
	if (rc == ARGON2_ENCODING_FAIL || rc == ARGON2_OUTPUT_TOO_SHORT)
		return vb_error_set(err, VB_ETOOBIG, "password hash does not fit");
	if (rc == ARGON2_MEMORY_ALLOCATION_ERROR)
		return vb_error_set(err, VB_ENOMEM, "out of memory hashing a password");
	if (rc != ARGON2_OK)
		return vb_error_set(err, VB_EINVAL, "could not hash password: %s",
				    argon2_error_message(rc));
	return 0;
}

int vb_password_verify(const char *encoded, const char *pw)
{
	size_t len;

	if (!encoded || !pw || strncmp(encoded, "$argon2id$", 10))
		return 0;
	len = strlen(pw);
	if (len > VB_PASSWORD_MAX)
		return 0;
	return argon2id_verify(encoded, pw, len) == ARGON2_OK;
}

/* ---- random secrets ---- */

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int vb_random_secret(char out[VB_SECRET_LEN + 1], vb_error *err)
{
	unsigned char r[33]; /* 32 random bytes + one zero for the last group */
	size_t i, o = 0;
	ssize_t got = 0;

	while (got < 32) {
		ssize_t n = getrandom(r + got, (size_t)(32 - got), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			out[0] = '\0';
			return vb_error_set(err, VB_EIO, "could not read random bytes: %s",
					    strerror(errno));
		}
		got += n;
	}
	r[32] = 0;
	for (i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)r[i] << 16 | (unsigned)r[i + 1] << 8 | r[i + 2];

		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	/* 32 bytes = 256 bits = 42 full characters + 4 bits: 43 characters */
	out[VB_SECRET_LEN] = '\0';
	memset(r, 0, sizeof(r));
	return 0;
}

int vb_token_new(char out[VB_TOKEN_LEN + 1], vb_error *err)
{
	char s[VB_SECRET_LEN + 1];
	int rc;

	out[0] = '\0';
	if ((rc = vb_random_secret(s, err)))
		return rc;
	memcpy(out, VB_TOKEN_PREFIX, 4);
	memcpy(out + 4, s, VB_SECRET_LEN + 1);
	memset(s, 0, sizeof(s));
	return 0;
}

int vb_token_well_formed(const char *s)
{
	if (!s || strncmp(s, VB_TOKEN_PREFIX, 4) || strlen(s) != VB_TOKEN_LEN)
		return 0;
	for (s += 4; *s; s++)
		if (!strchr(b64url, *s))
			return 0;
	return 1;
}

void vb_secret_hash(const char *s, char hex[65])
{
	vb_sha256_hex_of(s, strlen(s), hex);
}

int vb_secret_equal(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b), i;
	unsigned char diff = (unsigned char)(al != bl);

	for (i = 0; i < bl; i++)
		diff |= (unsigned char)(b[i] ^ (i < al ? a[i] : 0));
	return diff == 0;
}
