/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's part of accounts (contract in lib/account.h, schema in
 * sql/010_accounts.sql): users, their roles per portal, browser sessions
 * and API tokens.  Secrets never reach this file in clear: sessions and
 * tokens are keyed by the SHA-256 of the secret, passwords arrive as
 * argon2id encoded hashes.  Lists travel as JSON built by PostgreSQL.
 */
#include "account.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* One user as jsonb, u being the users row. */
#define USER_JSON \
	"jsonb_build_object('id', u.id, 'login', u.login, 'display_name', u.display_name," \
	" 'sysadmin', u.sysadmin, 'disabled', u.disabled_at IS NOT NULL," \
	" 'locked', coalesce(u.locked_until > now(), false)," \
	" 'has_password', u.password_hash IS NOT NULL, 'created_at', " TS("u.created_at") "," \
	" 'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('portal', r.portal_id," \
	" 'role', r.role) ORDER BY r.portal_id, r.role) FROM user_roles r" \
	" WHERE r.user_id = u.id), '[]'::jsonb))"

#define TOKEN_JSON \
	"jsonb_build_object('id', t.id, 'user_id', t.user_id, 'login', u.login, 'name', t.name," \
	" 'scopes', to_jsonb(t.scopes), 'portals', to_jsonb(t.portals)," \
	" 'created_at', " TS("t.created_at") ", 'expires_at', " TS("t.expires_at") "," \
	" 'revoked_at', " TS("t.revoked_at") ", 'last_used_at', " TS("t.last_used_at") "," \
	" 'active', t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())" \
	" AND u.disabled_at IS NULL)"

static int db_error(vb_store *st, const PGresult *res, const char *what, vb_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = state && (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) ? VB_EINVAL : VB_EDB;
	char m[VB_ERROR_MSG_MAX];

	return vb_error_set(err, code, "could not %s: %s", what,
			    store_pg_message(st->conn, res, m, sizeof(m)));
}

/* Run a statement; *affected (may be NULL) gets the row count. */
static int exec_n(vb_store *st, const char *sql, int n, const char *const *p, const char *what,
		  long *affected, vb_error *err)
{
	PGresult *res = store_q(st, sql, n, p);
	int rc = 0;

	if (!store_res_ok(res))
		rc = db_error(st, res, what, err);
	else if (affected)
		*affected = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

/* Run a query returning one text column holding JSON in its first row;
 * no row (or NULL) is VB_ENOTFOUND with message nf. */
static int query_json(vb_store *st, const char *sql, int n, const char *const *p,
		      const char *what, const char *nf, json_t **out, vb_error *err)
{
	PGresult *res = store_q(st, sql, n, p);
	json_error_t jerr;
	int rc = 0;

	*out = NULL;
	if (!store_res_ok(res)) {
		rc = db_error(st, res, what, err);
		goto out;
	}
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		rc = vb_error_set(err, VB_ENOTFOUND, "%s", nf);
		goto out;
	}
	if (!(*out = json_loads(PQgetvalue(res, 0, 0), JSON_DECODE_ANY, &jerr)))
		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what, jerr.text);
out:
	PQclear(res);
	return rc;
}

int vb_login_valid(const char *login)
{
	size_t n = login ? strlen(login) : 0;

	if (n < 2 || n > VB_LOGIN_MAX)
		return 0;
	for (; *login; login++)
		if (!((*login >= 'a' && *login <= 'z') || (*login >= '0' && *login <= '9') ||
		      *login == '.' || *login == '_' || *login == '-'))
			return 0;
	return 1;
}

int vb_store_user_add(vb_store *st, const char *login, const char *display_name,
		      const char *password_hash, int sysadmin, int64_t *id, vb_error *err)
{
	const char *p[4] = { login, display_name ? display_name : "", password_hash,
			     sysadmin ? "t" : "f" };
	PGresult *res;
	int rc = 0;

	if (!vb_login_valid(login))
		return vb_error_set(err, VB_EINVAL,
				    "invalid login \"%.64s\" (2 to 64 of a-z 0-9 . _ -)", login ? login : "");
	if (strlen(p[1]) > VB_DISPLAY_NAME_MAX)
		return vb_error_set(err, VB_EINVAL, "display name too long (at most %d bytes)",
				    VB_DISPLAY_NAME_MAX);
	res = store_q(st, "INSERT INTO users (login, display_name, password_hash, sysadmin)"
		      " VALUES ($1, $2, $3, $4::boolean) RETURNING id", 4, p);
	if (!store_res_ok(res)) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state && !strcmp(state, "23505"))
			rc = vb_error_set(err, VB_ECONFLICT, "login \"%s\" is taken", login);
		else
			rc = db_error(st, res, "add user", err);
	} else if (id) {
		*id = store_get_i64(res, 0, 0);
	}
	PQclear(res);
	return rc;
}

int vb_store_user_id(vb_store *st, const char *login, int64_t *id, vb_error *err)
{
	const char *p[1] = { login };
	PGresult *res = store_q(st, "SELECT id FROM users WHERE login = $1", 1, p);
	int rc = 0;

	if (!store_res_ok(res))
		rc = db_error(st, res, "look up user", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "no user \"%.64s\"", login);
	else
		*id = store_get_i64(res, 0, 0);
	PQclear(res);
	return rc;
}

int vb_store_user_auth(vb_store *st, const char *login, vb_user_auth *out, vb_error *err)
{
	const char *p[1] = { login };
	PGresult *res;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	res = store_q(st, "SELECT id, coalesce(password_hash, ''), disabled_at IS NOT NULL,"
		      " greatest(0, ceil(extract(epoch FROM locked_until - now())))::int"
		      " FROM users WHERE login = $1", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "look up user", err);
	} else if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "no such user");
	} else {
		out->id = store_get_i64(res, 0, 0);
		store_copy_fixed(out->password_hash, sizeof(out->password_hash), res, 0, 1);
		out->disabled = PQgetvalue(res, 0, 2)[0] == 't';
		out->locked_seconds = PQgetisnull(res, 0, 3) ? 0 : atoi(PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return rc;
}

int vb_store_user_login_failed(vb_store *st, int64_t id, int max_failures, int lock_minutes,
			       int *locked, vb_error *err)
{
	char ids[24], mx[16], mins[16];
	const char *p[3] = { ids, mx, mins };
	PGresult *res;
	int rc = 0;

	*locked = 0;
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(mx, sizeof(mx), "%d", max_failures);
	snprintf(mins, sizeof(mins), "%d", lock_minutes);
	/* locking resets the counter: the next lock needs max_failures more */
	res = store_q(st, "UPDATE users SET"
		      " failed_logins = CASE WHEN failed_logins + 1 >= $2::int THEN 0"
		      " ELSE failed_logins + 1 END,"
		      " locked_until = CASE WHEN failed_logins + 1 >= $2::int"
		      " THEN now() + make_interval(mins => $3::int) ELSE locked_until END"
		      " WHERE id = $1 RETURNING failed_logins = 0", 3, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "record failed login", err);
	else if (PQntuples(res) == 1)
		*locked = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return rc;
}

int vb_store_user_login_ok(vb_store *st, int64_t id, vb_error *err)
{
	char ids[24];
	const char *p[1] = { ids };

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	return exec_n(st, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1"
		      " AND (failed_logins <> 0 OR locked_until IS NOT NULL)", 1, p,
		      "record login", NULL, err);
}

/* Run an UPDATE of one user by id ($1), then end its sessions when
 * end_sessions; VB_ENOTFOUND when no row changed. */
static int user_update(vb_store *st, int64_t id, const char *sql, const char *arg,
		       int end_sessions, vb_error *err)
{
	char ids[24];
	const char *p[2] = { ids, arg };
	long n = 0;
	int rc;

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	if ((rc = store_q_cmd(st, "BEGIN", 0, NULL, "begin transaction", err)))
		return rc;
	if ((rc = exec_n(st, sql, 2, p, "update user", &n, err)))
		goto fail;
	if (!n) {
		rc = vb_error_set(err, VB_ENOTFOUND, "no user %lld", (long long)id);
		goto fail;
	}
	if (end_sessions &&
	    (rc = exec_n(st, "DELETE FROM sessions WHERE user_id = $1", 1, p, "end sessions",
			 NULL, err)))
		goto fail;
	return store_q_cmd(st, "COMMIT", 0, NULL, "commit", err);
fail:
	store_rollback(st);
	return rc;
}

int vb_store_user_set_password(vb_store *st, int64_t id, const char *password_hash, vb_error *err)
{
	return user_update(st, id, "UPDATE users SET password_hash = $2, failed_logins = 0,"
			   " locked_until = NULL, updated_at = now() WHERE id = $1",
			   password_hash, 1, err);
}

int vb_store_user_set_disabled(vb_store *st, int64_t id, int disabled, vb_error *err)
{
	return user_update(st, id, "UPDATE users SET disabled_at = CASE WHEN $2::boolean"
			   " THEN coalesce(disabled_at, now()) END, updated_at = now() WHERE id = $1",
			   disabled ? "t" : "f", disabled, err);
}

int vb_store_user_set_sysadmin(vb_store *st, int64_t id, int sysadmin, vb_error *err)
{
	return user_update(st, id, "UPDATE users SET sysadmin = $2::boolean, updated_at = now()"
			   " WHERE id = $1", sysadmin ? "t" : "f", 0, err);
}

int vb_store_user_get(vb_store *st, int64_t id, json_t **out, vb_error *err)
{
	char ids[24];
	const char *p[1] = { ids };
	char nf[48];

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(nf, sizeof(nf), "no user %lld", (long long)id);
	return query_json(st, "SELECT " USER_JSON "::text FROM users u WHERE u.id = $1", 1, p,
			  "load user", nf, out, err);
}

int vb_store_user_list(vb_store *st, const char *const *portals, size_t n_portals,
		       json_t **out, vb_error *err)
{
	json_t *a = NULL;
	char *pj = NULL;
	const char *p[1] = { NULL };
	int rc;

	if (portals) {
		if (!(a = json_array()))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		for (size_t i = 0; i < n_portals; i++)
			json_array_append_new(a, json_string(portals[i]));
		if (!(pj = json_dumps(a, JSON_COMPACT))) {
			json_decref(a);
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		}
		p[0] = pj;
	}
	rc = query_json(st, "SELECT coalesce(jsonb_agg(" USER_JSON " ORDER BY u.login), '[]')::text"
			" FROM users u WHERE $1::jsonb IS NULL OR EXISTS (SELECT 1 FROM user_roles r"
			" WHERE r.user_id = u.id AND r.portal_id IN"
			" (SELECT jsonb_array_elements_text($1::jsonb)))", 1, p, "list users", "",
			out, err);
	free(pj);
	json_decref(a);
	return rc;
}

int vb_store_role_grant(vb_store *st, int64_t user_id, const char *portal, unsigned role,
			vb_error *err)
{
	char ids[24];
	const char *p[3] = { ids, portal, vb_role_parse(vb_role_name(role)) ? vb_role_name(role) : NULL };
	PGresult *res;
	int rc = 0;

	if (!p[2])
		return vb_error_set(err, VB_EINVAL, "unknown role");
	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	res = store_q(st, "INSERT INTO user_roles (user_id, portal_id, role) VALUES ($1, $2, $3)"
		      " ON CONFLICT DO NOTHING", 3, p);
	if (!store_res_ok(res)) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);

		if (state && !strcmp(state, "23503") && cons && strstr(cons, "user_id"))
			rc = vb_error_set(err, VB_ENOTFOUND, "no user %lld", (long long)user_id);
		else if (state && !strcmp(state, "23503"))
			rc = vb_error_set(err, VB_EINVAL, "unknown portal \"%.64s\"", portal);
		else
			rc = db_error(st, res, "grant role", err);
	}
	PQclear(res);
	return rc;
}

int vb_store_role_revoke(vb_store *st, int64_t user_id, const char *portal, unsigned role,
			 vb_error *err)
{
	char ids[24];
	const char *p[3] = { ids, portal, vb_role_name(role) };
	long n = 0;
	int rc;

	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	if ((rc = exec_n(st, "DELETE FROM user_roles WHERE user_id = $1 AND portal_id = $2"
			 " AND role = $3", 3, p, "revoke role", &n, err)))
		return rc;
	if (!n)
		return vb_error_set(err, VB_ENOTFOUND, "user %lld holds no role %s in portal \"%.64s\"",
				    (long long)user_id, vb_role_name(role), portal);
	return 0;
}

int vb_store_principal_load(vb_store *st, int64_t user_id, vb_principal *p, vb_error *err)
{
	char ids[24];
	const char *prm[1] = { ids };
	PGresult *res;
	int rc = 0;

	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	res = store_q(st, "SELECT login, sysadmin FROM users WHERE id = $1 AND disabled_at IS NULL",
		      1, prm);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "load user", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "no such user or disabled");
		goto out;
	}
	p->user_id = user_id;
	store_copy_fixed(p->label, sizeof(p->label), res, 0, 0);
	p->sysadmin = PQgetvalue(res, 0, 1)[0] == 't';
	p->n_roles = 0;
	PQclear(res);
	res = store_q(st, "SELECT portal_id, role FROM user_roles WHERE user_id = $1"
		      " ORDER BY portal_id", 1, prm);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "load roles", err);
		goto out;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *portal = PQgetvalue(res, i, 0);
		unsigned role = vb_role_parse(PQgetvalue(res, i, 1));

		if (!p->n_roles || strcmp(p->roles[p->n_roles - 1].portal, portal)) {
			if (p->n_roles == VB_PRINCIPAL_MAX_ROLES)
				break;
			snprintf(p->roles[p->n_roles].portal, sizeof(p->roles[0].portal), "%s",
				 portal);
			p->roles[p->n_roles++].roles = 0;
		}
		p->roles[p->n_roles - 1].roles |= role;
	}
out:
	PQclear(res);
	return rc;
}

int vb_store_session_create(vb_store *st, int64_t user_id, const char *token_hash,
			    const char *csrf, int max_hours, char *expires_at, vb_error *err)
{
	char ids[24], hours[16];
	const char *p[4] = { token_hash, ids, csrf, hours };
	PGresult *res;
	int rc = 0;

	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	snprintf(hours, sizeof(hours), "%d", max_hours);
	PQclear(store_q(st, "DELETE FROM sessions WHERE expires_at <= now()", 0, NULL));
	res = store_q(st, "INSERT INTO sessions (token_hash, user_id, csrf, expires_at)"
		      " VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))"
		      " RETURNING " TS("expires_at"), 4, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "create session", err);
	else if (expires_at)
		store_copy_fixed(expires_at, 32, res, 0, 0);
	PQclear(res);
	return rc;
}

int vb_store_session_lookup(vb_store *st, const char *token_hash, int idle_minutes,
			    int64_t *user_id, char csrf[48], vb_error *err)
{
	char mins[16];
	const char *p[2] = { token_hash, mins };
	PGresult *res;
	int rc = 0;

	snprintf(mins, sizeof(mins), "%d", idle_minutes);
	res = store_q(st, "WITH gone AS (DELETE FROM sessions WHERE token_hash = $1"
		      " AND (expires_at <= now() OR last_seen_at < now() - make_interval(mins => $2::int))"
		      " RETURNING 1)"
		      " UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1"
		      " AND expires_at > now() AND last_seen_at >= now() - make_interval(mins => $2::int)"
		      " RETURNING user_id, csrf", 2, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "look up session", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "no such session or expired");
	else {
		*user_id = store_get_i64(res, 0, 0);
		store_copy_fixed(csrf, 48, res, 0, 1);
	}
	PQclear(res);
	return rc;
}

int vb_store_session_delete(vb_store *st, const char *token_hash, vb_error *err)
{
	const char *p[1] = { token_hash };

	return exec_n(st, "DELETE FROM sessions WHERE token_hash = $1", 1, p, "end session", NULL,
		      err);
}

int vb_store_token_create(vb_store *st, int64_t user_id, const char *name,
			  const char *token_hash, unsigned scopes, const json_t *portals,
			  const char *expires_at, int64_t *id, vb_error *err)
{
	char ids[24];
	char *sj = NULL, *pj = NULL;
	json_t *sa = vb_scopes_json(scopes);
	const char *p[6];
	PGresult *res = NULL;
	int rc = 0;

	if (!name || !name[0] || strlen(name) > VB_TOKEN_NAME_MAX) {
		rc = vb_error_set(err, VB_EINVAL, "token name must be 1 to %d bytes",
				  VB_TOKEN_NAME_MAX);
		goto out;
	}
	if (!sa || !(sj = json_dumps(sa, JSON_COMPACT)) ||
	    (portals && !(pj = json_dumps(portals, JSON_COMPACT)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	p[0] = ids;
	p[1] = name;
	p[2] = token_hash;
	p[3] = sj;
	p[4] = pj;
	p[5] = expires_at && expires_at[0] ? expires_at : NULL;
	res = store_q(st, "INSERT INTO api_tokens (user_id, name, token_hash, scopes, portals,"
		      " expires_at) VALUES ($1, $2, $3,"
		      " (SELECT coalesce(array_agg(x), '{}') FROM jsonb_array_elements_text($4::jsonb) x),"
		      " CASE WHEN $5::jsonb IS NOT NULL THEN (SELECT coalesce(array_agg(x), '{}')"
		      " FROM jsonb_array_elements_text($5::jsonb) x) END,"
		      " $6::timestamptz) RETURNING id", 6, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "create token", err);
		goto out;
	}
	if (id)
		*id = store_get_i64(res, 0, 0);
out:
	PQclear(res);
	free(sj);
	free(pj);
	json_decref(sa);
	return rc;
}

int vb_store_token_lookup(vb_store *st, const char *token_hash, int64_t *token_id,
			  int64_t *user_id, unsigned *scopes, json_t **portals, vb_error *err)
{
	const char *p[1] = { token_hash };
	PGresult *res;
	json_t *s = NULL;
	size_t i;
	json_t *v;
	int rc = 0;

	*portals = NULL;
	*scopes = 0;
	res = store_q(st, "UPDATE api_tokens t SET last_used_at = now() FROM users u"
		      " WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL"
		      " AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.disabled_at IS NULL"
		      " RETURNING t.id, t.user_id, array_to_json(t.scopes)::text,"
		      " array_to_json(t.portals)::text", 1, p);
	if (!store_res_ok(res)) {
		rc = db_error(st, res, "look up token", err);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = vb_error_set(err, VB_ENOTFOUND, "unknown, revoked or expired token");
		goto out;
	}
	*token_id = store_get_i64(res, 0, 0);
	*user_id = store_get_i64(res, 0, 1);
	s = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	json_array_foreach(s, i, v)
		*scopes |= vb_scope_parse(json_string_value(v));
	if (!PQgetisnull(res, 0, 3))
		*portals = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
out:
	json_decref(s);
	PQclear(res);
	return rc;
}

int vb_store_token_list(vb_store *st, int64_t user_id, json_t **out, vb_error *err)
{
	char ids[24];
	const char *p[1] = { ids };

	snprintf(ids, sizeof(ids), "%lld", (long long)user_id);
	return query_json(st, "SELECT coalesce(jsonb_agg(" TOKEN_JSON " ORDER BY t.id), '[]')::text"
			  " FROM api_tokens t JOIN users u ON u.id = t.user_id"
			  " WHERE $1::bigint = 0 OR t.user_id = $1::bigint", 1, p, "list tokens", "",
			  out, err);
}

int vb_store_token_revoke(vb_store *st, int64_t id, int64_t owner, vb_error *err)
{
	char ids[24], os[24];
	const char *p[2] = { ids, os };
	PGresult *res;
	int rc = 0;

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(os, sizeof(os), "%lld", (long long)owner);
	res = store_q(st, "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())"
		      " WHERE id = $1 AND ($2::bigint = 0 OR user_id = $2::bigint)"
		      " RETURNING revoked_at = now()", 2, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "revoke token", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "no token %lld", (long long)id);
	else if (PQgetvalue(res, 0, 0)[0] != 't')
		rc = vb_error_set(err, VB_ECONFLICT, "token %lld is already revoked", (long long)id);
	PQclear(res);
	return rc;
}

int vb_store_sync_review_portal(vb_store *st, int64_t review_id, char *portal, size_t cap,
				vb_error *err)
{
	char ids[24];
	const char *p[1] = { ids };
	PGresult *res;
	int rc = 0;

	portal[0] = '\0';
	snprintf(ids, sizeof(ids), "%lld", (long long)review_id);
	/* to_jsonb: documents.portal_id comes with 011_workflow */
	res = store_q(st, "SELECT coalesce(to_jsonb(d) ->> 'portal_id', '') FROM sync_reviews r"
		      " JOIN documents d ON d.id = r.document_id WHERE r.id = $1", 1, p);
	if (!store_res_ok(res))
		rc = db_error(st, res, "look up review", err);
	else if (PQntuples(res) != 1)
		rc = vb_error_set(err, VB_ENOTFOUND, "no review item %lld", (long long)review_id);
	else
		store_copy_fixed(portal, cap, res, 0, 0);
	PQclear(res);
	return rc;
}
