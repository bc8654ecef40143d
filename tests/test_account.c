/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts without a database: argon2id hashing and verification (wrong
 * password, length limits, malformed hashes), token and secret formats,
 * role/scope names, and the vb_principal_can matrix: every role held x
 * every role asked x own / other / any portal x scopes, plus sysadmin,
 * the config token, the CLI and anonymous.
 */
#include "account.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

static void with_role(vb_principal *p, const char *portal, unsigned roles)
{
	vb_principal_init(p);
	p->kind = VB_ACTOR_USER;
	p->user_id = 7;
	snprintf(p->label, sizeof(p->label), "lan.nguyen");
	p->scopes = VB_SCOPE_ALL;
	if (roles) {
		snprintf(p->roles[0].portal, sizeof(p->roles[0].portal), "%s", portal);
		p->roles[0].roles = roles;
		p->n_roles = 1;
	}
}

static void test_passwords(void)
{
	char h[VB_PASSWORD_HASH_MAX], h2[VB_PASSWORD_HASH_MAX], big[VB_PASSWORD_MAX + 2];
	vb_error err;

	vb_password_configure(1024, 1);
	tap_is_int(vb_password_hash("correct horse battery", h, sizeof(h), &err), 0, "hash ok");
	tap_ok(!strncmp(h, "$argon2id$v=19$m=1024,t=1,p=1$", 30), "argon2id encoded with the configured cost: %s", h);
	tap_ok(vb_password_verify(h, "correct horse battery"), "right password verifies");
	tap_ok(!vb_password_verify(h, "correct horse batterY"), "wrong password refused");
	tap_ok(!vb_password_verify(h, ""), "empty password refused");
	tap_ok(!vb_password_verify(NULL, "correct horse battery"), "no hash: refused");
	tap_ok(!vb_password_verify("$argon2i$v=19$m=1024,t=1,p=1$AAAA$BBBB", "correct horse battery"),
	       "not argon2id: refused");
	tap_ok(!vb_password_verify("garbage", "correct horse battery"), "malformed hash refused");
	tap_is_int(vb_password_hash("correct horse battery", h2, sizeof(h2), &err), 0, "hash again");
	tap_ok(strcmp(h, h2) != 0, "salted: two hashes of one password differ");
	tap_is_int(vb_password_hash("short pass", h, sizeof(h), &err), VB_EINVAL, "11 bytes refused");
	tap_ok(strstr(err.msg, "too short") != NULL, "message says too short: %s", err.msg);
	tap_is_int(vb_password_hash("twelve bytes", h, sizeof(h), &err), 0, "12 bytes accepted");
	memset(big, 'x', VB_PASSWORD_MAX);
	big[VB_PASSWORD_MAX] = '\0';
	tap_is_int(vb_password_hash(big, h, sizeof(h), &err), 0, "1024 bytes accepted");
	big[VB_PASSWORD_MAX] = 'x';
	big[VB_PASSWORD_MAX + 1] = '\0';
	tap_is_int(vb_password_hash(big, h, sizeof(h), &err), VB_EINVAL, "1025 bytes refused");
	tap_is_int(vb_password_hash("correct horse battery", h, 20, &err), VB_ETOOBIG,
		   "output too small");
}

static void test_tokens(void)
{
	char t[VB_TOKEN_LEN + 1], t2[VB_TOKEN_LEN + 1], s[VB_SECRET_LEN + 1], hex[65];
	vb_error err;

	tap_is_int(vb_token_new(t, &err), 0, "token made");
	tap_is_int((long)strlen(t), VB_TOKEN_LEN, "token length 47");
	tap_ok(!strncmp(t, "vbt_", 4), "token prefix vbt_");
	tap_ok(vb_token_well_formed(t), "token well formed");
	tap_is_int(vb_token_new(t2, &err), 0, "second token");
	tap_ok(strcmp(t, t2) != 0, "tokens differ");
	tap_ok(!vb_token_well_formed("vbt_short"), "short token malformed");
	t2[10] = '+';
	tap_ok(!vb_token_well_formed(t2), "non-base64url character malformed");
	tap_ok(!vb_token_well_formed("abc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "wrong prefix malformed");
	tap_is_int(vb_random_secret(s, &err), 0, "secret made");
	tap_is_int((long)strlen(s), VB_SECRET_LEN, "secret 43 characters");
	tap_ok(strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43,
	       "secret is base64url");
	vb_secret_hash("abc", hex);
	tap_is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		   "secret hash is SHA-256 hex");
	tap_ok(vb_secret_equal("abc", "abc") && !vb_secret_equal("abc", "abd") &&
	       !vb_secret_equal("abc", "abcd") && !vb_secret_equal("", "a"), "constant-time equal");
}

static void test_names(void)
{
	tap_is_int(vb_role_parse("uploader"), VB_ROLE_UPLOADER, "role uploader");
	tap_is_int(vb_role_parse("editor"), VB_ROLE_EDITOR, "role editor");
	tap_is_int(vb_role_parse("portal_admin"), VB_ROLE_PORTAL_ADMIN, "role portal_admin");
	tap_is_int(vb_role_parse("sysadmin"), 0, "sysadmin is not a portal role");
	tap_is_str(vb_role_name(VB_ROLE_EDITOR), "editor", "role name");
	tap_is_int(vb_scope_parse("publish"), VB_SCOPE_PUBLISH, "scope publish");
	tap_is_int(vb_scope_parse("admin"), VB_SCOPE_ADMIN, "scope admin");
	tap_is_int(vb_scope_parse("everything"), 0, "unknown scope");
	tap_ok(vb_login_valid("lan.nguyen") && vb_login_valid("a1") && !vb_login_valid("A1") &&
	       !vb_login_valid("x") && !vb_login_valid("lan nguyen") && !vb_login_valid("lan@x"),
	       "login syntax");
}

static void test_matrix(void)
{
	static const unsigned held[] = { 0, VB_ROLE_UPLOADER, VB_ROLE_EDITOR, VB_ROLE_PORTAL_ADMIN };
	static const unsigned asked[] = { VB_ROLE_UPLOADER, VB_ROLE_EDITOR, VB_ROLE_PORTAL_ADMIN };
	/* own portal: rows = held, columns = asked */
	static const int own[4][3] = {
		{ 0, 0, 0 },   /* no role */
		{ 1, 0, 0 },   /* uploader */
		{ 1, 1, 0 },   /* editor implies uploader */
		{ 0, 0, 1 },   /* portal admin does not imply editor */
	};
	static const unsigned scopes[] = { VB_SCOPE_UPLOAD, VB_SCOPE_PUBLISH, VB_SCOPE_SYNC,
					   VB_SCOPE_REPORT, VB_SCOPE_ADMIN };
	vb_principal p;
	int bad = 0, n = 0;

	for (size_t h = 0; h < 4; h++)
		for (size_t a = 0; a < 3; a++)
			for (size_t s = 0; s < 5; s++) {
				with_role(&p, "hongha", held[h]);
				/* full scopes: the role decides */
				bad += vb_principal_can(&p, "hongha", asked[a], scopes[s]) != own[h][a];
				bad += vb_principal_can(&p, "baichay", asked[a], scopes[s]) != 0;
				bad += vb_principal_can(&p, NULL, asked[a], scopes[s]) != own[h][a];
				/* a token narrowed to another scope: never */
				p.kind = VB_ACTOR_TOKEN;
				p.scopes = VB_SCOPE_ALL & ~scopes[s];
				bad += vb_principal_can(&p, "hongha", asked[a], scopes[s]) != 0;
				/* a token with exactly that scope: the role decides */
				p.scopes = scopes[s];
				bad += vb_principal_can(&p, "hongha", asked[a], scopes[s]) != own[h][a];
				/* sysadmin: everywhere, within its scopes */
				p.sysadmin = 1;
				bad += vb_principal_can(&p, "baichay", asked[a], scopes[s]) != 1;
				bad += vb_principal_can(&p, "baichay", asked[a], scopes[(s + 1) % 5]) != 0;
				n += 7;
			}
	tap_is_int(bad, 0, "role x scope x portal matrix (%d checks)", n);

	with_role(&p, "hongha", VB_ROLE_EDITOR);
	tap_ok(vb_principal_can(&p, "hongha", VB_ROLE_UPLOADER, VB_SCOPE_UPLOAD), "editor uploads in own portal");
	tap_ok(!vb_principal_can(&p, "hongha.halong", VB_ROLE_UPLOADER, VB_SCOPE_UPLOAD),
	       "a role does not extend to a sub-portal");
	tap_ok(vb_principal_can(&p, "hongha", 0, 0), "role 0: any authenticated user");
	tap_ok(vb_principal_can(&p, "hongha", VB_ROLE_EDITOR, VB_SCOPE_PUBLISH | VB_SCOPE_ADMIN),
	       "combined scopes all held");
	p.kind = VB_ACTOR_ANONYMOUS;
	tap_ok(!vb_principal_can(&p, "hongha", VB_ROLE_UPLOADER, 0), "anonymous may do nothing");
	tap_ok(!vb_principal_can(&p, NULL, 0, 0), "anonymous: not even role 0");

	vb_principal_init(&p);
	p.kind = VB_ACTOR_CONFIG_TOKEN;
	p.sysadmin = 1;
	p.scopes = VB_SCOPE_ALL;
	tap_ok(vb_principal_can(&p, "baichay", VB_ROLE_PORTAL_ADMIN, VB_SCOPE_ADMIN) &&
	       vb_principal_can(&p, "hongha", VB_ROLE_EDITOR, VB_SCOPE_PUBLISH) &&
	       vb_principal_can(&p, NULL, VB_ROLE_UPLOADER, VB_SCOPE_UPLOAD),
	       "config token: every role, every portal");
	vb_principal_cli(&p);
	tap_ok(p.kind == VB_ACTOR_CLI && !strncmp(p.label, "cli:", 4), "cli principal labelled %s", p.label);
	tap_ok(vb_principal_can(&p, "hongha", VB_ROLE_EDITOR, VB_SCOPE_PUBLISH), "cli is sysadmin");
	vb_principal_system(&p, "system:sync");
	tap_is_str(p.label, "system:sync", "system principal label");
	tap_is_str(vb_actor_kind_name(VB_ACTOR_CONFIG_TOKEN), "config_token", "actor kind name");
}

int main(void)
{
	test_passwords();
	test_tokens();
	test_names();
	test_matrix();
	return tap_done();
}
