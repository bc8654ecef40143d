/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban user / token / audit: accounts, API tokens and the audit log from
 * the command line (lib/account.h, lib/audit.h, docs/accounts.md).  Every
 * change is made with the audit context "cli:<unix user>", so the log
 * names who ran the command.  Passwords are read from the standard input
 * (first line; with echo off on a terminal), never from the command line.
 *
 *   vanban user add LOGIN [--name NAME] [--sysadmin] [--no-password]
 *   vanban user passwd LOGIN
 *   vanban user disable|enable LOGIN
 *   vanban user sysadmin LOGIN on|off
 *   vanban user grant|revoke LOGIN PORTAL ROLE
 *   vanban user list [--portal ID]
 *   vanban user show LOGIN
 *   vanban token create LOGIN --name NAME --scopes S[,S...] [--portals P[,P...]] [--expires TS]
 *   vanban token list [LOGIN]
 *   vanban token revoke ID
 *   vanban audit [--document ID] [--user LOGIN] [--portal ID] [--since TS] [--until TS]
 *                [--limit N] [--offset N] [--format jsonl|csv|json]
 *   vanban audit scrub [--days N]
 */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "account.h"
#include "audit.h"
#include "error.h"
#include "store.h"

static void user_usage(FILE *out)
{
	fprintf(out,
		"usage: vanban user add LOGIN [--name NAME] [--sysadmin] [--no-password]\n"
		"       vanban user passwd LOGIN\n"
		"       vanban user disable|enable LOGIN\n"
		"       vanban user sysadmin LOGIN on|off\n"
		"       vanban user grant|revoke LOGIN PORTAL uploader|editor|portal_admin\n"
		"       vanban user list [--portal ID]\n"
		"       vanban user show LOGIN\n"
		"The password is read from the standard input (first line), %d to %d bytes.\n",
		VB_PASSWORD_MIN, VB_PASSWORD_MAX);
}

static void token_usage(FILE *out)
{
	fprintf(out,
		"usage: vanban token create LOGIN --name NAME --scopes S[,S...] [--portals P[,P...]]\n"
		"                           [--expires TIMESTAMP]\n"
		"       vanban token list [LOGIN]\n"
		"       vanban token revoke ID\n"
		"scopes: upload, publish, sync, report, admin\n");
}

static void audit_usage(FILE *out)
{
	fprintf(out,
		"usage: vanban audit [--document ID] [--user LOGIN] [--portal ID] [--since TS]\n"
		"                    [--until TS] [--limit N] [--offset N] [--format jsonl|csv|json]\n"
		"       vanban audit scrub [--days N]\n");
}

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2));

	if (s) {
		puts(s);
		free(s);
	}
}

/* Open the store and set the CLI's audit context.  0 or 2 (printed). */
static int open_store(vb_config *cfg, vb_store **st, const char *action)
{
	vb_principal who;
	vb_error err;

	vb_error_clear(&err);
	vb_password_configure((unsigned)cfg->argon2_memory_kib, (unsigned)cfg->argon2_time);
	if (vb_store_open(st, cfg->db, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		return 2;
	}
	vb_principal_cli(&who);
	if (vb_audit_begin(*st, &who, action, NULL, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		vb_store_free(*st);
		*st = NULL;
		return 2;
	}
	return 0;
}

/* Read a password: the first line of stdin (echo off on a terminal). */
static int read_password(char *out, size_t cap, const char *prompt)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(out, (int)cap, stdin))
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (n == cap - 1)
		return -1; /* longer than the buffer */
	if (n && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

static int hash_from_stdin(char *hash, size_t cap)
{
	char pw[VB_PASSWORD_MAX + 2];
	vb_error err;
	int rc;

	if (read_password(pw, sizeof(pw), "password: ")) {
		fprintf(stderr, "vanban: password too long (at most %d bytes)\n", VB_PASSWORD_MAX);
		return 2;
	}
	rc = vb_password_hash(pw, hash, cap, &err);
	memset(pw, 0, sizeof(pw));
	if (rc) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		return 2;
	}
	return 0;
}

static int user_id(vb_store *st, const char *login, int64_t *id)
{
	vb_error err;

	if (vb_store_user_id(st, login, id, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		return 2;
	}
	return 0;
}

static int show(vb_store *st, int64_t id)
{
	json_t *u = NULL;
	vb_error err;

	if (vb_store_user_get(st, id, &u, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		return 2;
	}
	print_json(u);
	json_decref(u);
	return 0;
}

int vb_cmd_user(vb_config *cfg, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL, *login = argc > 2 ? argv[2] : NULL;
	const char *name = "", *portal = NULL;
	char hash[VB_PASSWORD_HASH_MAX], action[32];
	int sysadmin = 0, no_password = 0, rc = 0, i;
	json_t *list = NULL;
	vb_store *st = NULL;
	int64_t id = 0;
	vb_error err;

	vb_error_clear(&err);
	if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		user_usage(sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	hash[0] = '\0';
	if (!strcmp(sub, "list")) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--portal") && i + 1 < argc)
				portal = argv[++i];
			else {
				user_usage(stderr);
				return 2;
			}
		}
		if ((rc = open_store(cfg, &st, "user.list")))
			return rc;
		if (vb_store_user_list(st, portal ? &portal : NULL, portal ? 1 : 0, &list, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
		} else {
			print_json(list);
		}
		json_decref(list);
		goto out;
	}
	if (!login) {
		user_usage(stderr);
		return 2;
	}
	snprintf(action, sizeof(action), "user.%s", sub);
	if (!strcmp(sub, "add")) {
		for (i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--name") && i + 1 < argc)
				name = argv[++i];
			else if (!strcmp(argv[i], "--sysadmin"))
				sysadmin = 1;
			else if (!strcmp(argv[i], "--no-password"))
				no_password = 1;
			else {
				user_usage(stderr);
				return 2;
			}
		}
		if (!vb_login_valid(login)) {
			fprintf(stderr, "vanban: invalid login \"%s\" (2 to 64 of a-z 0-9 . _ -)\n", login);
			return 2;
		}
		if (!no_password && (rc = hash_from_stdin(hash, sizeof(hash))))
			return rc;
		if ((rc = open_store(cfg, &st, "user.create")))
			return rc;
		if (vb_store_user_add(st, login, name, no_password ? NULL : hash, sysadmin, &id, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto out;
		}
		rc = show(st, id);
		goto out;
	}
	if (!strcmp(sub, "passwd")) {
		if (argc != 3) {
			user_usage(stderr);
			return 2;
		}
		if ((rc = hash_from_stdin(hash, sizeof(hash))))
			return rc;
		if ((rc = open_store(cfg, &st, "user.passwd")) || (rc = user_id(st, login, &id)))
			goto out;
		if (vb_store_user_set_password(st, id, hash, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
		} else {
			printf("password of %s changed; their sessions ended\n", login);
		}
		goto out;
	}
	if (!strcmp(sub, "disable") || !strcmp(sub, "enable") || !strcmp(sub, "show")) {
		if (argc != 3) {
			user_usage(stderr);
			return 2;
		}
		if ((rc = open_store(cfg, &st, action)) || (rc = user_id(st, login, &id)))
			goto out;
		if (strcmp(sub, "show") &&
		    vb_store_user_set_disabled(st, id, !strcmp(sub, "disable"), &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto out;
		}
		rc = show(st, id);
		goto out;
	}
	if (!strcmp(sub, "sysadmin")) {
		if (argc != 4 || (strcmp(argv[3], "on") && strcmp(argv[3], "off"))) {
			user_usage(stderr);
			return 2;
		}
		if ((rc = open_store(cfg, &st, action)) || (rc = user_id(st, login, &id)))
			goto out;
		if (vb_store_user_set_sysadmin(st, id, !strcmp(argv[3], "on"), &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto out;
		}
		rc = show(st, id);
		goto out;
	}
	if (!strcmp(sub, "grant") || !strcmp(sub, "revoke")) {
		unsigned role;

		if (argc != 5) {
			user_usage(stderr);
			return 2;
		}
		if (!(role = vb_role_parse(argv[4]))) {
			fprintf(stderr, "vanban: unknown role \"%s\" (uploader, editor, portal_admin)\n",
				argv[4]);
			return 2;
		}
		if ((rc = open_store(cfg, &st, action)) || (rc = user_id(st, login, &id)))
			goto out;
		if (!strcmp(sub, "grant") ? vb_store_role_grant(st, id, argv[3], role, &err)
					  : vb_store_role_revoke(st, id, argv[3], role, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto out;
		}
		rc = show(st, id);
		goto out;
	}
	fprintf(stderr, "vanban: unknown user command \"%s\"\n", sub);
	user_usage(stderr);
	return 2;
out:
	memset(hash, 0, sizeof(hash));
	if (st)
		vb_audit_end(st);
	vb_store_free(st);
	return rc;
}

/* Split "a,b,c" into a JSON array of strings. */
static json_t *split_list(const char *s)
{
	json_t *a = json_array();
	char buf[1024], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); a && tok; tok = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(tok));
	return a;
}

int vb_cmd_token(vb_config *cfg, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	vb_store *st = NULL;
	vb_error err;
	int rc = 0, i;

	vb_error_clear(&err);
	if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		token_usage(sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	if (!strcmp(sub, "create")) {
		const char *login = argc > 2 ? argv[2] : NULL, *name = NULL, *expires = NULL;
		json_t *scopes = NULL, *portals = NULL, *v;
		char tok[VB_TOKEN_LEN + 1], hash[65];
		unsigned sc = 0;
		int64_t uid, id;
		size_t k;

		for (i = 3; login && i < argc; i++) {
			if (!strcmp(argv[i], "--name") && i + 1 < argc)
				name = argv[++i];
			else if (!strcmp(argv[i], "--scopes") && i + 1 < argc)
				scopes = split_list(argv[++i]);
			else if (!strcmp(argv[i], "--portals") && i + 1 < argc)
				portals = split_list(argv[++i]);
			else if (!strcmp(argv[i], "--expires") && i + 1 < argc)
				expires = argv[++i];
			else
				break;
		}
		if (!login || i < argc || !name || !scopes) {
			token_usage(stderr);
			rc = 2;
			goto tok_out;
		}
		json_array_foreach(scopes, k, v) {
			unsigned s = vb_scope_parse(json_string_value(v));

			if (!s) {
				fprintf(stderr, "vanban: unknown scope \"%s\"\n", json_string_value(v));
				rc = 2;
				goto tok_out;
			}
			sc |= s;
		}
		if ((rc = open_store(cfg, &st, "token.create")) || (rc = user_id(st, login, &uid)))
			goto tok_out;
		if (vb_token_new(tok, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto tok_out;
		}
		vb_secret_hash(tok, hash);
		if (vb_store_token_create(st, uid, name, hash, sc, portals, expires, &id, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
			goto tok_out;
		}
		fprintf(stderr, "token %lld created for %s; it is shown once:\n", (long long)id, login);
		printf("%s\n", tok);
		memset(tok, 0, sizeof(tok));
tok_out:
		json_decref(scopes);
		json_decref(portals);
		goto out;
	}
	if (!strcmp(sub, "list")) {
		json_t *list = NULL;
		int64_t uid = 0;

		if (argc > 3) {
			token_usage(stderr);
			return 2;
		}
		if ((rc = open_store(cfg, &st, "token.list")) ||
		    (argc == 3 && (rc = user_id(st, argv[2], &uid))))
			goto out;
		if (vb_store_token_list(st, uid, &list, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
		} else {
			print_json(list);
		}
		json_decref(list);
		goto out;
	}
	if (!strcmp(sub, "revoke")) {
		char *end;
		long long id;

		if (argc != 3 || (id = strtoll(argv[2], &end, 10)) < 1 || *end) {
			token_usage(stderr);
			return 2;
		}
		if ((rc = open_store(cfg, &st, "token.revoke")))
			goto out;
		if (vb_store_token_revoke(st, (int64_t)id, 0, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
		} else {
			printf("token %lld revoked\n", id);
		}
		goto out;
	}
	fprintf(stderr, "vanban: unknown token command \"%s\"\n", sub);
	token_usage(stderr);
	return 2;
out:
	if (st)
		vb_audit_end(st);
	vb_store_free(st);
	return rc;
}

int vb_cmd_audit(vb_config *cfg, int argc, char **argv)
{
	vb_audit_filter f;
	const char *format = "jsonl", *user = NULL;
	json_t *rows = NULL;
	vb_store *st = NULL;
	vb_error err;
	char *out = NULL, *end;
	int rc = 0, i;

	vb_error_clear(&err);
	memset(&f, 0, sizeof(f));
	if (argc > 1 && !strcmp(argv[1], "scrub")) {
		long days = cfg->audit_ip_days;
		int64_t n = 0;

		if (argc == 4 && !strcmp(argv[2], "--days"))
			days = strtol(argv[3], &end, 10);
		else if (argc != 2) {
			audit_usage(stderr);
			return 2;
		}
		if (days < 0 || days > 100000) {
			fprintf(stderr, "vanban: --days must be 0 to 100000\n");
			return 2;
		}
		if ((rc = open_store(cfg, &st, "audit.scrub")))
			return rc;
		if (vb_audit_scrub(st, (int)days, &n, &err)) {
			fprintf(stderr, "vanban: %s\n", err.msg);
			rc = 2;
		} else {
			printf("%lld client addresses older than %ld days removed\n", (long long)n, days);
		}
		goto done;
	}
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			audit_usage(stdout);
			return 0;
		}
		if (!v) {
			audit_usage(stderr);
			return 2;
		}
		i++;
		if (!strcmp(o, "--document")) {
			f.document_id = strtoll(v, &end, 10);
			if (*end || f.document_id < 1) {
				fprintf(stderr, "vanban: --document must be a document id\n");
				return 2;
			}
		} else if (!strcmp(o, "--user")) {
			user = v;
		} else if (!strcmp(o, "--portal")) {
			f.portal = v;
		} else if (!strcmp(o, "--since")) {
			f.since = v;
		} else if (!strcmp(o, "--until")) {
			f.until = v;
		} else if (!strcmp(o, "--limit")) {
			f.limit = strtoll(v, &end, 10);
			if (*end || f.limit < 1 || f.limit > VB_AUDIT_MAX_ROWS) {
				fprintf(stderr, "vanban: --limit must be 1 to %d\n", VB_AUDIT_MAX_ROWS);
				return 2;
			}
		} else if (!strcmp(o, "--offset")) {
			f.offset = strtoll(v, &end, 10);
			if (*end || f.offset < 0) {
				fprintf(stderr, "vanban: --offset must be a number\n");
				return 2;
			}
		} else if (!strcmp(o, "--format")) {
			format = v;
			if (strcmp(v, "jsonl") && strcmp(v, "csv") && strcmp(v, "json")) {
				fprintf(stderr, "vanban: --format must be jsonl, csv or json\n");
				return 2;
			}
		} else {
			audit_usage(stderr);
			return 2;
		}
	}
	if (!f.limit)
		f.limit = VB_AUDIT_MAX_ROWS;
	if ((rc = open_store(cfg, &st, NULL)))
		return rc;
	if (user && (rc = user_id(st, user, &f.user_id)))
		goto done;
	if (vb_audit_query(st, &f, &rows, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		rc = 2;
		goto done;
	}
	if (!strcmp(format, "json"))
		out = json_dumps(rows, JSON_INDENT(1));
	else if (!strcmp(format, "csv"))
		out = vb_audit_csv(rows);
	else
		out = vb_audit_jsonl(rows);
	if (!out) {
		fprintf(stderr, "vanban: out of memory\n");
		rc = 2;
		goto done;
	}
	fputs(out, stdout);
	if (!strcmp(format, "json"))
		fputc('\n', stdout);
done:
	free(out);
	json_decref(rows);
	if (st)
		vb_audit_end(st);
	vb_store_free(st);
	return rc;
}
