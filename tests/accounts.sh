#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Accounts end to end (lib/account.c, lib/store_account.c, lib/audit.c,
# daemon/auth.c, daemon/api_users.c, cli/user.c, sql/010_accounts.sql)
# against a throwaway PostgreSQL and the built vanband:
#
#  - login: right password 200 with the session cookie's flags (HttpOnly,
#    SameSite=Strict, Path, Secure only behind TLS); wrong password and
#    unknown login get the same answer; lockout after 5 failures (429 +
#    Retry-After, even with the right password; logged with the user id
#    only); per-address rate limit (429 after 10 failures);
#  - sessions: who-am-I, CSRF required for cookie writes, logout ends the
#    session;
#  - API tokens: shown once, scopes narrow what they may do, revoked and
#    expired tokens and disabled users answer 401 invalid_token;
#  - roles on every write endpoint moved to vb_auth_require: portal admin
#    grants only in own portal, portal scope edits, portal create, sync
#    review accept, the report; the config api_token is a sysadmin;
#  - audit: rows with actor, before/after, reason; no password, token or
#    hash in the table; append-only (UPDATE / DELETE / TRUNCATE refused, the
#    ip scrub allowed); the API restricted to the caller's portals; CSV;
#  - the CLI: vanban user / token / audit.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl psql; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-accounts.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

CFG_TOKEN=accounts-config-token-7f3a
cat >"$tmp/vanban.conf" <<EOF
argon2_memory_kib = 1024
argon2_time = 1
trusted_proxy = 127.0.0.1
api_token = $CFG_TOKEN
EOF
VANBAN_CONFIG="$tmp/vanban.conf"
export VANBAN_CONFIG
V() { vanban --data-dir "$tmp/data" "$@"; }
SQL() { psql "$VANBAN_DB" -X -At -v ON_ERROR_STOP=1 -c "$1"; }

vbd_load || bail "could not load the fixture"
V portal import "$VB_SRCDIR/data/portals.tsv" >"$tmp/log" 2>&1 || { cat "$tmp/log"; bail "portal import"; }

# --- the CLI: users and roles ---------------------------------------------
PW_ADMIN='admin-secret-pass-1'
PW_ED='editor-secret-pass-2'
PW_PA='padmin-secret-pass-3'
echo "$PW_ADMIN" | V user add admin --sysadmin --name "Quản trị viên" >"$tmp/out" 2>&1
is "vanban user add --sysadmin" "$(jq -r .login "$tmp/out") $(jq -r .sysadmin "$tmp/out")" "admin true"
echo "$PW_ED" | V user add lan.nguyen >/dev/null 2>&1 && ok "vanban user add (password from stdin)" || nok "user add lan.nguyen"
echo "$PW_PA" | V user add minh.tran >/dev/null 2>&1 || nok "user add minh.tran"
echo "short" | V user add too.short >"$tmp/out" 2>&1; st=$?
[ $st = 2 ] && grep -q "too short" "$tmp/out" && ok "a password under 12 bytes is refused" || nok "short password ($st: $(cat "$tmp/out"))"
V user add "Bad Login" --no-password >"$tmp/out" 2>&1; st=$?
[ $st = 2 ] && grep -q 'invalid login' "$tmp/out" && ok "a bad login is refused" || nok "bad login ($st)"
V user grant lan.nguyen sotuphap editor >/dev/null 2>&1 || nok "grant editor"
V user grant minh.tran sotuphap portal_admin >/dev/null 2>&1 || nok "grant portal_admin"
V user grant lan.nguyen nowhere editor >"$tmp/out" 2>&1; st=$?
[ $st = 2 ] && grep -q 'unknown portal' "$tmp/out" && ok "granting in an unknown portal is refused" || nok "unknown portal ($st: $(cat "$tmp/out"))"
V user show lan.nguyen >"$tmp/out" 2>&1
is "vanban user show: roles" "$(jq -r '.roles[0].portal' "$tmp/out"):$(jq -r '.roles[0].role' "$tmp/out") $(jq -r '.roles | length' "$tmp/out")" "sotuphap:editor 1"
V user list --portal sotuphap >"$tmp/out"
is "vanban user list --portal" "$(jq -r '.[0].login' "$tmp/out") $(jq -r '.[1].login' "$tmp/out") $(jq -r length "$tmp/out")" "lan.nguyen minh.tran 2"
LAN_ID=$(SQL "SELECT id FROM users WHERE login = 'lan.nguyen'")
MINH_ID=$(SQL "SELECT id FROM users WHERE login = 'minh.tran'")

# --- the daemon ------------------------------------------------------------
vbd_start --no-indexer || bail "vanband did not start"

# req METHOD PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	_m=$1; _p=$2; shift 2
	code=$(curl -s -g -X "$_m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$_p")
}
body() { jq -r "$1" "$tmp/body"; }
# jq filters with parentheses stay out of "$(...)" (dash cannot parse them there)
roles_of() { jq -r '[.roles[] | .portal + ":" + .role] | join(",")' "${1:-$tmp/body}"; }
logins_of() { jq -r '[.users[].login] | join(",")' "$tmp/body"; }
whoami_of() { jq -r '.label + " " + .kind + " " + (.sysadmin | tostring)' "$tmp/body"; }
portals_of() { jq -r '[.rows[] | .portal_id] | unique | join(",")' "$tmp/body"; }
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# login LOGIN PASSWORD [ADDRESS]: status in $code, cookie value in $cookie, CSRF in $csrf
login() {
	req POST /api/v1/session -H 'Content-Type: application/json' -H "X-Forwarded-For: ${3:-10.0.0.1}" \
		-d "{\"login\":\"$1\",\"password\":\"$2\"}"
	cookie=$(hdr Set-Cookie | sed -n 's/^vb_session=\([^;]*\);.*/\1/p')
	csrf=$(body '.csrf // empty')
}

login admin "$PW_ADMIN"
is "login: 200" "$code" 200
setc=$(hdr Set-Cookie)
case "$setc" in
*"HttpOnly"*"SameSite=Strict"*) ok "session cookie: HttpOnly; SameSite=Strict" ;;
*) nok "session cookie flags ($setc)" ;;
esac
case "$setc" in *"Path=/"*) ok "session cookie: Path=/" ;; *) nok "cookie path ($setc)" ;; esac
case "$setc" in *Secure*) nok "no Secure over plain HTTP ($setc)" ;; *) ok "no Secure over plain HTTP" ;; esac
is "login answers the CSRF token" "$(printf %s "$csrf" | wc -c | tr -d ' ')" 43
ADMIN_COOKIE=$cookie
ADMIN_CSRF=$csrf
req POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
	-H 'X-Forwarded-For: 10.0.0.1' -d "{\"login\":\"admin\",\"password\":\"$PW_ADMIN\"}"
case "$(hdr Set-Cookie)" in *"; Secure"*) ok "behind a TLS proxy the cookie is Secure" ;; *) nok "Secure behind TLS ($(hdr Set-Cookie))" ;; esac
req POST /api/v1/session -H 'Content-Type: application/x-www-form-urlencoded' \
	-H 'X-Forwarded-For: 10.0.0.1' --data-urlencode "login=admin" --data-urlencode "password=$PW_ADMIN"
is "login with a form body" "$code" 200

req GET /api/v1/session -H "Cookie: vb_session=$ADMIN_COOKIE"
is "who am I: the session's user" "$code $(whoami_of)" "200 admin user true"
is "who am I: the CSRF token" "$(body .csrf)" "$ADMIN_CSRF"

# same answer for a wrong password and an unknown login
login admin "wrong-password-123" 10.0.0.2
wrong="$code $(cat "$tmp/body")"
login nobody.here "wrong-password-123" 10.0.0.2
unknown="$code $(cat "$tmp/body")"
is "wrong password and unknown login: same answer" "$unknown" "$wrong"
is "wrong password: 401 login_failed" "$(echo "$wrong" | cut -c1-3) $(jq -r .error.code "$tmp/body")" "401 login_failed"

# --- lockout after 5 failures --------------------------------------------
for i in 1 2 3 4 5; do login lan.nguyen "not-her-password" "10.0.1.$i"; done
login lan.nguyen "$PW_ED" 10.0.1.9
is "locked after 5 failures: 429 even with the right password" "$code $(body .error.code)" "429 locked"
ra=$(hdr Retry-After)
[ -n "$ra" ] && [ "$ra" -gt 800 ] && [ "$ra" -le 900 ] && ok "Retry-After about 15 minutes ($ra)" || nok "Retry-After ($ra)"
grep "account_locked" "$tmp/daemon.log" >"$tmp/lock.log"
grep -q "user_id=$LAN_ID" "$tmp/lock.log" && ok "lockout logged with the user id" || nok "lockout log ($(cat "$tmp/lock.log"))"
if grep -q -e "lan.nguyen" -e "10.0.1" "$tmp/daemon.log"; then nok "no login name or address in the log"; else ok "no login name or address in the log"; fi
SQL "UPDATE users SET locked_until = NULL WHERE login = 'lan.nguyen'" >/dev/null
login lan.nguyen "$PW_ED" 10.0.1.9
is "unlocked: login works again" "$code" 200
LAN_COOKIE=$cookie
LAN_CSRF=$csrf

# --- per-address rate limit ----------------------------------------------
for i in 1 2 3 4 5 6 7 8 9 10; do login "nobody$i" "wrong-password-123" 10.9.9.9; done
login admin "$PW_ADMIN" 10.9.9.9
is "10 failures from one address: 429 rate_limited" "$code $(body .error.code)" "429 rate_limited"
[ -n "$(hdr Retry-After)" ] && ok "rate limit has Retry-After" || nok "rate limit Retry-After"
login admin "$PW_ADMIN" 10.9.9.10
is "another address is not limited" "$code" 200

# --- CSRF ------------------------------------------------------------------
req POST "/api/v1/users/$LAN_ID/roles" -H "Cookie: vb_session=$ADMIN_COOKIE" \
	-H 'Content-Type: application/json' -d '{"portal":"ttt","role":"uploader"}'
is "cookie POST without CSRF: 403 csrf" "$code $(body .error.code)" "403 csrf"
req POST "/api/v1/users/$LAN_ID/roles" -H "Cookie: vb_session=$ADMIN_COOKIE" -H "X-CSRF-Token: wrong" \
	-H 'Content-Type: application/json' -d '{"portal":"ttt","role":"uploader"}'
is "cookie POST with a wrong CSRF: 403" "$code $(body .error.code)" "403 csrf"
req POST "/api/v1/users/$LAN_ID/roles" -H "Cookie: vb_session=$ADMIN_COOKIE" -H "X-CSRF-Token: $ADMIN_CSRF" \
	-H 'X-Forwarded-For: 192.0.2.7' -H 'Content-Type: application/json' -d '{"portal":"ttt","role":"uploader"}'
is "cookie POST with CSRF: role granted" "$code $(roles_of)" \
	"200 sotuphap:editor,ttt:uploader"

# --- portal admin: own portal only ------------------------------------------
login minh.tran "$PW_PA" 10.0.2.1
PA="-H Cookie:vb_session=$cookie -H X-CSRF-Token:$csrf"
# shellcheck disable=SC2086
req POST "/api/v1/users/$LAN_ID/roles" $PA -H 'Content-Type: application/json' -d '{"portal":"ttt","role":"editor"}'
is "portal admin cannot grant in another portal" "$code $(body .error.code)" "403 forbidden"
body .error.message | grep -q 'portal_admin in portal "ttt"' && ok "the 403 names the portal and the role" || nok "403 message ($(body .error.message))"
# shellcheck disable=SC2086
req POST "/api/v1/users/$LAN_ID/roles" $PA -H 'Content-Type: application/json' -d '{"portal":"sotuphap","role":"uploader"}'
is "portal admin grants in own portal" "$code" 200
# shellcheck disable=SC2086
req POST "/api/v1/users/$LAN_ID/roles" $PA -H 'Content-Type: application/json' -d '{"portal":"sotuphap","role":"sysadmin"}'
is "nobody grants sysadmin over the API" "$code $(body .error.parameter)" "400 role"
# shellcheck disable=SC2086
req DELETE "/api/v1/users/$LAN_ID/roles/ttt/uploader" $PA
is "portal admin cannot revoke in another portal" "$code" 403
# shellcheck disable=SC2086
req DELETE "/api/v1/users/$LAN_ID/roles/sotuphap/uploader" $PA
is "portal admin revokes in own portal" "$code" 200
# shellcheck disable=SC2086
req GET /api/v1/users $PA
is "portal admin lists the users of own portals" "$code $(logins_of)" "200 lan.nguyen,minh.tran"
req GET /api/v1/users -H "Cookie: vb_session=$LAN_COOKIE"
is "an editor cannot list users" "$code" 403
# shellcheck disable=SC2086
req POST /api/v1/users $PA -H 'Content-Type: application/json' -d '{"login":"x.y","password":"long-enough-pass"}'
is "portal admin cannot create users" "$code" 403
req POST /api/v1/users -H "Authorization: Bearer $CFG_TOKEN" -H 'Content-Type: application/json' \
	-d '{"login":"hoa.le","display_name":"Lê Hoa","password":"hoa-secret-pass-4"}'
is "config token (sysadmin) creates a user" "$code $(body .login)" "201 hoa.le"
HOA_ID=$(body .id)
# shellcheck disable=SC2086
req POST /api/v1/portals/sotuphap/scope $PA -H 'Content-Type: application/json' -d '{"add":["Sở Tư pháp mới"]}'
is "portal admin edits own portal's scope" "$code" 200
# shellcheck disable=SC2086
req POST /api/v1/portals/ttt/scope $PA -H 'Content-Type: application/json' -d '{"add":["X"]}'
is "portal admin cannot edit another portal" "$code" 403
# shellcheck disable=SC2086
req POST /api/v1/portals/sotuphap/retire $PA -H 'Content-Type: application/json' -d '{}'
is "retiring a portal needs a sysadmin" "$code" 403
req POST /api/v1/portals/ttt/scope -H 'Content-Type: application/json' -d '{"add":["X"]}'
is "portal write without credentials: 401" "$code" 401

# --- API tokens ------------------------------------------------------------
req POST /api/v1/tokens -H "Cookie: vb_session=$LAN_COOKIE" -H "X-CSRF-Token: $LAN_CSRF" \
	-H 'Content-Type: application/json' -d '{"name":"report bot","scopes":["report"]}'
is "token created: 201" "$code" 201
LAN_TOKEN=$(body .token)
LAN_TOKEN_ID=$(body .id)
case "$LAN_TOKEN" in vbt_???????????????????????????????????????????) ok "token format vbt_ + 43" ;; *) nok "token format ($LAN_TOKEN)" ;; esac
req GET /api/v1/tokens -H "Authorization: Bearer $LAN_TOKEN"
is "token list: name, never the secret" "$code $(body '.tokens[0].name') $(grep -c "$LAN_TOKEN" "$tmp/body")" "200 report bot 0"
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer $LAN_TOKEN"
is "report scope: the editor's portal report" "$code" 200
req GET "/api/v1/report?portal=ttt" -H "Authorization: Bearer $LAN_TOKEN"
is "report of another portal: 403" "$code" 403
req GET "/api/v1/report" -H "Authorization: Bearer $LAN_TOKEN"
is "province report needs a sysadmin" "$code" 403
req GET "/api/v1/report" -H "Authorization: Bearer $CFG_TOKEN"
is "config token: province report" "$code" 200
req POST /api/v1/tokens -H "Authorization: Bearer $LAN_TOKEN" -H 'Content-Type: application/json' \
	-d '{"name":"x","scopes":["publish"]}'
is "a report-only token cannot create tokens (admin scope)" "$code $(body .error.code)" "403 forbidden"
req GET /api/v1/users/"$LAN_ID" -H "Authorization: Bearer $LAN_TOKEN"
is "a token reads its own user" "$code $(body .login)" "200 lan.nguyen"
req GET /api/v1/users/"$MINH_ID" -H "Authorization: Bearer $LAN_TOKEN"
is "but not another user" "$code" 403

# sync review: editor of the document's portal, scope sync
DOC=$(SQL "SELECT min(id) FROM documents")
SQL "UPDATE documents SET portal_id = 'sotuphap' WHERE id = $DOC" >/dev/null 2>&1 ||
	SQL "SELECT 1" >/dev/null # without 011_workflow: the document has no portal
REV=$(SQL "INSERT INTO sync_reviews (document_id, source, source_id, field, local_value, upstream_value)
	VALUES ($DOC, 'vbpl', 'x1', 'issuer', 'a', 'b') RETURNING id" | head -n 1)
REV2=$(SQL "INSERT INTO sync_reviews (document_id, source, source_id, field, local_value, upstream_value)
	VALUES ($DOC, 'vbpl', 'x2', 'issuer', 'a', 'c') RETURNING id" | head -n 1)
req POST "/api/v1/sync/reviews/$REV/reject" -H "Authorization: Bearer $LAN_TOKEN" \
	-H 'Content-Type: application/json' -d '{"reason":"wrong"}'
is "sync review with a report-only token: 403" "$code" 403
req POST "/api/v1/sync/reviews/$REV/reject" -H "Cookie: vb_session=$LAN_COOKIE" -H "X-CSRF-Token: $LAN_CSRF" \
	-H 'Content-Type: application/json' -d '{"reason":"upstream is wrong"}'
is "editor of the document's portal rejects a review item" "$code $(body .status)" "200 rejected"
login hoa.le "hoa-secret-pass-4" 10.0.3.1
req POST "/api/v1/sync/reviews/$REV2/accept" -H "Cookie: vb_session=$cookie" -H "X-CSRF-Token: $csrf" \
	-H 'Content-Type: application/json' -d '{}'
is "a user without a role in the portal cannot accept" "$code" 403
HOA_COOKIE=$cookie

# revoke, expire, disable
req POST "/api/v1/tokens/$LAN_TOKEN_ID/revoke" -H "Cookie: vb_session=$HOA_COOKIE" -H "X-CSRF-Token: $csrf"
is "another user cannot revoke my token" "$code" 404
req POST "/api/v1/tokens/$LAN_TOKEN_ID/revoke" -H "Cookie: vb_session=$LAN_COOKIE" -H "X-CSRF-Token: $LAN_CSRF"
is "own token revoked" "$code $(body .revoked)" "200 true"
req GET /api/v1/tokens -H "Authorization: Bearer $LAN_TOKEN"
is "revoked token reused: 401 invalid_token" "$code $(body .error.code)" "401 invalid_token"
req POST "/api/v1/tokens/$LAN_TOKEN_ID/revoke" -H "Cookie: vb_session=$LAN_COOKIE" -H "X-CSRF-Token: $LAN_CSRF"
is "revoking twice: 409" "$code" 409
EXP_TOKEN=$(V token create lan.nguyen --name old --scopes report --expires 2001-01-01T00:00:00Z 2>/dev/null)
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer $EXP_TOKEN"
is "expired token: 401 invalid_token" "$code $(body .error.code)" "401 invalid_token"
CLI_TOKEN=$(V token create lan.nguyen --name cli --scopes report,sync 2>"$tmp/err")
case "$CLI_TOKEN" in vbt_*) ok "vanban token create prints the token once" ;; *) nok "token create ($(cat "$tmp/err"))" ;; esac
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer $CLI_TOKEN"
is "CLI token works" "$code" 200
V user disable lan.nguyen >/dev/null 2>&1 || nok "vanban user disable"
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer $CLI_TOKEN"
is "disabled user's token: 401" "$code $(body .error.code)" "401 invalid_token"
req GET /api/v1/session -H "Cookie: vb_session=$LAN_COOKIE"
is "disabled user's session is gone" "$code" 401
login lan.nguyen "$PW_ED" 10.0.4.1
is "disabled user cannot log in (same answer)" "$code $(body .error.code)" "401 login_failed"
V user enable lan.nguyen >/dev/null 2>&1
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer $CLI_TOKEN"
is "enabled again: token works" "$code" 200
req GET "/api/v1/report?portal=sotuphap" -H "Authorization: Bearer vbt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is "unknown token: 401" "$code" 401
case "$(hdr WWW-Authenticate)" in *invalid_token*) ok "WWW-Authenticate error=invalid_token" ;; *) nok "WWW-Authenticate ($(hdr WWW-Authenticate))" ;; esac

# --- logout -------------------------------------------------------------------
req DELETE /api/v1/session -H "Cookie: vb_session=$ADMIN_COOKIE"
is "logout: 200" "$code" 200
case "$(hdr Set-Cookie)" in *"Max-Age=0"*) ok "logout clears the cookie" ;; *) nok "logout cookie ($(hdr Set-Cookie))" ;; esac
req GET /api/v1/session -H "Cookie: vb_session=$ADMIN_COOKIE"
is "after logout the cookie is worthless" "$code" 401
is "the session row is deleted" "$(SQL "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'admin'")" 3

# --- audit ------------------------------------------------------------------------
is "role grant audited with actor and after" \
	"$(SQL "SELECT actor_kind || ' ' || actor_label || ' ' || action || ' ' || (after->>'role') FROM audit_log WHERE object_type = 'user_role' AND object_id = '$LAN_ID:ttt:uploader' ORDER BY id LIMIT 1")" \
	"user admin user.grant uploader"
is "the request's address is recorded" \
	"$(SQL "SELECT host(ip) FROM audit_log WHERE object_type = 'user_role' AND object_id = '$LAN_ID:ttt:uploader' ORDER BY id LIMIT 1")" "192.0.2.7"
is "review rejection audited with before/after and reason" \
	"$(SQL "SELECT action || ' ' || (before->>'status') || '>' || (after->>'status') || ' ' || reason || ' ' || actor_label FROM audit_log WHERE object_type = 'sync_review' AND object_id = '$REV' AND action <> 'sync_reviews.insert'")" \
	"sync_review.reject pending>rejected upstream is wrong lan.nguyen"
is "CLI changes are audited as cli:<user>" \
	"$(SQL "SELECT actor_kind || ' ' || (actor_label LIKE 'cli:%')::text || ' ' || action FROM audit_log WHERE object_type = 'user' AND object_id = '$LAN_ID' AND action = 'user.disable'")" \
	"cli true user.disable"
is "token revocation audited, no hash" \
	"$(SQL "SELECT action || ' ' || (after ? 'revoked_at')::text || ' ' || (after ? 'token_hash')::text FROM audit_log WHERE object_type = 'api_token' AND object_id = '$LAN_TOKEN_ID' AND action = 'token.revoke'")" \
	"token.revoke true false"
is "a password change shows as password_hash_changed" \
	"$(echo "new-password-for-hoa" | V user passwd hoa.le >/dev/null 2>&1; SQL "SELECT after::text FROM audit_log WHERE object_type = 'user' AND object_id = '$HOA_ID' AND action = 'user.passwd'")" \
	'{"password_hash_changed": true}'
SQL "SELECT * FROM audit_log" >"$tmp/audit.txt"
secrets=0
for s in "$PW_ADMIN" "$PW_ED" "$PW_PA" hoa-secret-pass-4 new-password-for-hoa "$LAN_TOKEN" "$CLI_TOKEN" "$ADMIN_COOKIE" "$ADMIN_CSRF" '$argon2id$'; do
	grep -qF -- "$s" "$tmp/audit.txt" && { secrets=$((secrets + 1)); echo "# found in audit_log: $s"; }
done
for h in $(SQL "SELECT token_hash FROM api_tokens UNION ALL SELECT token_hash FROM sessions UNION ALL SELECT csrf FROM sessions"); do
	grep -qF -- "$h" "$tmp/audit.txt" && { secrets=$((secrets + 1)); echo "# hash found in audit_log"; }
done
is "no password, token, cookie, CSRF or hash in the audit log" "$secrets" 0
is "document inserts audited without their text" \
	"$(SQL "SELECT count(*) > 0, count(*) FILTER (WHERE after ? 'body' OR after ? 'text') FROM audit_log WHERE object_type = 'document' AND action = 'documents.insert'")" "t|0"
n_before=$(SQL "SELECT count(*) FROM audit_log")
SQL "UPDATE audit_log SET action = 'x' WHERE id = 1" >"$tmp/out" 2>&1 && nok "UPDATE of audit_log refused" ||
	{ grep -q "append-only" "$tmp/out" && ok "UPDATE of audit_log refused" || nok "UPDATE refusal message ($(cat "$tmp/out"))"; }
SQL "DELETE FROM audit_log WHERE id = 1" >/dev/null 2>&1 && nok "DELETE of audit_log refused" || ok "DELETE of audit_log refused"
SQL "TRUNCATE audit_log" >/dev/null 2>&1 && nok "TRUNCATE of audit_log refused" || ok "TRUNCATE of audit_log refused"
SQL "UPDATE audit_log SET ip = NULL, reason = 'x' WHERE ip IS NOT NULL" >/dev/null 2>&1 && nok "scrub cannot change more than ip" || ok "scrub cannot change more than ip"
is "the log still has every row" "$(SQL "SELECT count(*) FROM audit_log")" "$n_before"
out=$(V audit scrub --days 0 2>&1)
case "$out" in "0 client"*|"") nok "vanban audit scrub removes addresses ($out)" ;; *) ok "vanban audit scrub: $out" ;; esac
is "no address left after the scrub" "$(SQL "SELECT count(*) FROM audit_log WHERE ip IS NOT NULL")" 0

# the audit API
req GET "/api/v1/audit?object_type=user_role&limit=5" -H "Authorization: Bearer $CFG_TOKEN"
is "audit API (sysadmin): rows" "$code $(body '.rows | length')" "200 5"
req GET "/api/v1/audit?portal=ttt" -H "Authorization: Bearer $CLI_TOKEN"
is "audit API: an editor cannot read another portal" "$code" 403
req GET "/api/v1/audit?document=$DOC" -H "Authorization: Bearer $CLI_TOKEN"
is "audit API: an editor reads rows of own portal only" \
	"$code $(portals_of)" "200 sotuphap"
req GET "/api/v1/audit?user=lan.nguyen&format=csv" -H "Authorization: Bearer $CFG_TOKEN"
is "audit API CSV" "$code $(head -n 1 "$tmp/body" | cut -d, -f1-4)" "200 id,at,actor_kind,actor_user_id"
req GET "/api/v1/audit?bogus=1" -H "Authorization: Bearer $CFG_TOKEN"
is "audit API: unknown parameter 400" "$code" 400
req GET "/api/v1/audit"
is "audit API without credentials: 401" "$code" 401

# the CLI export
V audit --user lan.nguyen --format csv >"$tmp/audit.csv" 2>"$tmp/err"
head -n 1 "$tmp/audit.csv" | grep -q '^id,at,actor_kind,actor_user_id,actor_token_id,actor_label,ip,action,object_type,object_id' &&
	ok "vanban audit --format csv: header" || nok "audit csv header ($(head -n 1 "$tmp/audit.csv") $(cat "$tmp/err"))"
grep -q 'user.grant' "$tmp/audit.csv" && ok "vanban audit --user: the user's role grants" || nok "audit csv rows"
nrows=$(V audit --document "$DOC" --format jsonl | jq -s 'map(select(.document_id != '"$DOC"')) | length')
is "vanban audit --document: only that document" "$nrows" 0

vbd_stop
is "vanband stops cleanly" "$vbd_status" 0
echo "1..$n"
