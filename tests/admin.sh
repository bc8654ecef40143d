#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of the staff admin UI (docs/admin.md) against the running
# vanband with a throwaway PostgreSQL: two portals (halong, quangninh); an
# uploader and an editor of halong, an editor of quangninh, a system
# administrator.  The login form (pre-session CSRF cookie, the same message
# for an unknown login and a wrong password, the session cookie's
# attributes); anonymous pages sent to the login form with next=; the
# queue shows an upload of my portal and not one of another; the upload
# page shows the metadata and the file frame; the file is served inline
# and sandboxed to staff of its portal only (403 for another portal);
# submit and publish through the forms (403 without the CSRF token);
# withdraw through the form (the public page then 410); the audit page
# lists the actions and its CSV export has the header and the rows; an XSS
# payload in an upload's title is escaped on every admin page; headers
# (no-store, CSP); tokens (the secret shown once, revoke); users (portal
# administrators only; grant a role; a new user through the form); the
# report form's target answering the session; English and Chinese pages;
# the same flow in Chromium when it is installed (tests/browser/
# admin.spec.mjs: keyboard, axe-core in vi/en/zh, the file frame); logout
# ends the session; five wrong passwords lock an account (429).

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl psql sha256sum; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-admin.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() {
	[ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null
	[ -n "${VB_KEEP_LOG:-}" ] && cp "$tmp/daemon.log" "$VB_KEEP_LOG"
	rm -rf "$tmp"; pg_stop
}
trap cleanup EXIT

# Cheap password hashes for the test (argon2id with 1 MiB, one pass).
printf 'argon2_memory_kib = 1024\nargon2_time = 1\n' >"$tmp/vanban.conf"
export VANBAN_CONFIG="$tmp/vanban.conf"
V() { vanban --data-dir "$tmp/data" "$@"; }
sql() { psql "$VANBAN_DB" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

V migrate >"$tmp/migrate.log" 2>&1 || bail "vanban migrate failed: $(cat "$tmp/migrate.log")"
grep -E '^(quangninh|halong)	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
V portal import "$tmp/portals.tsv" >"$tmp/portal.log" 2>&1 || bail "portal import failed: $(cat "$tmp/portal.log")"

export VANBAN_NO_OCR=1 VANBAN_API_TOKEN=admin-test-bootstrap-4c2e
vbd_start || bail "vanband did not start"

# Users with passwords through the accounts API (the bootstrap token);
# roles and API tokens (for the uploads) straight into the tables.
PW=correct-horse-battery-9
for u in ed up other root; do
	code=$(curl -s -o "$tmp/user.json" -w '%{http_code}' -H "Authorization: Bearer $VANBAN_API_TOKEN" \
		-H "Content-Type: application/json" \
		-d "{\"login\": \"$u\", \"display_name\": \"User $u\", \"password\": \"$PW\"}" \
		"$base/api/v1/users")
	[ "$code" = 201 ] || [ "$code" = 200 ] || bail "could not create user $u: $code $(cat "$tmp/user.json")"
done
mktoken() { printf 'vbt_%s' "$(printf '%s' "$1" | sha256sum | cut -c1-43)"; }
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
T_UP=$(mktoken up) T_OTHER=$(mktoken other)
sql "UPDATE users SET sysadmin = true WHERE login = 'root';
     INSERT INTO user_roles (user_id, portal_id, role)
       SELECT id, 'halong', 'editor' FROM users WHERE login = 'ed'
       UNION ALL SELECT id, 'halong', 'uploader' FROM users WHERE login = 'up'
       UNION ALL SELECT id, 'quangninh', 'editor' FROM users WHERE login = 'other';
     INSERT INTO api_tokens (user_id, name, token_hash, scopes)
       SELECT id, 'test', CASE login WHEN 'up' THEN '$(hash "$T_UP")' ELSE '$(hash "$T_OTHER")' END,
         ARRAY['upload', 'publish'] FROM users WHERE login IN ('up', 'other');" ||
	bail "could not create the roles"

# req METHOD PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	m=$1; p=$2; shift 2
	code=$(curl -s -g -X "$m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# as JAR METHOD PATH [curl args]: with the cookies of JAR (a browser)
as() { jar=$1; shift; m=$1; p=$2; shift 2; req "$m" "$p" -b "$tmp/$jar.jar" -c "$tmp/$jar.jar" "$@"; }
# the value of the first hidden csrf field of the last page
csrf() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/body" | head -n 1; }
has() { grep -q -- "$1" "$tmp/body"; }
# login JAR USER [PASSWORD]: the login form, then its POST
login() {
	as "$1" GET /admin/login
	as "$1" POST /admin/login --data-urlencode "login=$2" --data-urlencode "password=${3:-$PW}" \
		--data-urlencode "csrf=$(csrf)" --data-urlencode "next=/admin"
}

# --- uploads: one of halong with an XSS payload in its title, one of quangninh ---
XSS='<script>alert("x")</script><img src=x onerror=alert(1)>'
printf 'Số: 12/2024/QĐ-UBND\nQuyết định về thửnghiệmquảntrị tại thành phố Hạ Long.\n' >"$tmp/a.txt"
req POST /api/v1/uploads -H "Authorization: Bearer $T_UP" -F "file=@$tmp/a.txt" \
	-F "abstract=Quyết định $XSS"
is "an upload of halong (201)" "$code" 201
UP_A=$(jq -r .id "$tmp/body")
printf 'Số: 14/2024/QĐ-UBND\nQuyết định còn nháp.\n' >"$tmp/c.txt"
req POST /api/v1/uploads -H "Authorization: Bearer $T_UP" -F "file=@$tmp/c.txt" -F "abstract=Nháp $XSS"
is "a second upload of halong, left a draft (201)" "$code" 201
UP_C=$(jq -r .id "$tmp/body")
printf 'Số: 13/2024/QĐ-UBND\nQuyết định về tỉnhkhácquảntrị.\n' >"$tmp/b.txt"
req POST /api/v1/uploads -H "Authorization: Bearer $T_OTHER" -F "file=@$tmp/b.txt"
is "an upload of quangninh (201)" "$code" 201
UP_B=$(jq -r .id "$tmp/body")

# --- anonymous ---
req GET /admin
is "anonymous /admin is sent to the login form" "$code $(hdr Location)" "303 /admin/login?next=%2Fadmin"
is "with Cache-Control: no-store" "$(hdr Cache-Control)" "no-store"
req GET /admin/uploads/$UP_A/files/1
is "anonymous file: to the login form" "$code" 303
req GET "/admin/audit?document=5&user=2"
is "the login form's next= keeps the query string" "$(hdr Location)" "/admin/login?next=%2Fadmin%2Faudit%3Fdocument%3D5%26user%3D2"
req POST /admin/logout -d csrf=x
is "anonymous POST is 403" "$code" 403

req PUT /admin
is "PUT is 405 with Allow" "$code $(hdr Allow)" "405 GET, HEAD"
req GET /admin/logout
is "logout is POST only" "$code $(hdr Allow)" "405 POST"
head -c 300000 /dev/zero | tr '\0' a >"$tmp/big"
req POST /admin/login --data-binary "@$tmp/big"
is "a form over 256 KiB is 413" "$code" 413
req HEAD /admin/login
is "HEAD of the login form: 200, no body" "$code:$(wc -c <"$tmp/body")" "200:0"

# --- login ---
as ed GET /admin/login
is "the login form answers 200" "$code" 200
check "it has labelled login and password fields" sh -c "grep -q '<label for=\"login\">' '$tmp/body' && grep -q '<label for=\"password\">' '$tmp/body' && grep -q 'id=\"password\" name=\"password\" type=\"password\"' '$tmp/body'"
check "it sets the pre-session CSRF cookie" sh -c "grep -i '^Set-Cookie: vb_login_csrf=' '$tmp/hdr' | grep -q HttpOnly"
check "CSP: frame-ancestors 'none', no script" sh -c "grep -i '^Content-Security-Policy:' '$tmp/hdr' | grep -q \"frame-ancestors 'none'\" && ! grep -qi '^Content-Security-Policy:.*script-src' '$tmp/hdr'"
check "the page has lang, a skip link and main" sh -c "grep -q '<html lang=\"vi\">' '$tmp/body' && grep -q 'class=\"skip\" href=\"#main\"' '$tmp/body' && grep -q '<main id=\"main\"' '$tmp/body'"
as ed POST /admin/login --data-urlencode login=ed --data-urlencode "password=$PW"
is "a login without the form's CSRF token is 403" "$code" 403
as ed GET /admin/login
as ed POST /admin/login --data-urlencode login=ed --data-urlencode password=wrong-password-123 \
	--data-urlencode "csrf=$(csrf)"
is "a wrong password is 401" "$code" 401
sed -n 's/.*<li><a href="#login">\([^<]*\)<.*/\1/p' "$tmp/body" >"$tmp/msg1"
check "with an error summary linking to the field" test -s "$tmp/msg1"
as ed GET /admin/login
as ed POST /admin/login --data-urlencode login=nobody --data-urlencode password=wrong-password-123 \
	--data-urlencode "csrf=$(csrf)"
is "an unknown login is 401" "$code" 401
sed -n 's/.*<li><a href="#login">\([^<]*\)<.*/\1/p' "$tmp/body" >"$tmp/msg2"
check "with the same message as a wrong password" cmp -s "$tmp/msg1" "$tmp/msg2"
check "the password is not in the log" sh -c "! grep -q 'wrong-password-123' '$tmp/daemon.log' && ! grep -q '$PW' '$tmp/daemon.log'"

as ed GET /admin/login
as ed POST /admin/login --data-urlencode login=ed --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$(csrf)" --data-urlencode "next=https://evil.example/"
is "login: 303 to /admin (a foreign next= is ignored)" "$code $(hdr Location)" "303 /admin"
check "the session cookie is HttpOnly and SameSite=Strict" sh -c "grep -i '^Set-Cookie: vb_session=' '$tmp/hdr' | grep -q 'HttpOnly' && grep -i '^Set-Cookie: vb_session=' '$tmp/hdr' | grep -q 'SameSite=Strict'"
check "and not Secure without TLS" sh -c "! grep -i '^Set-Cookie: vb_session=' '$tmp/hdr' | grep -qi secure"
as other GET "/admin/login?next=%2Fadmin%2Faudit%3Fdocument%3D5"
as other POST /admin/login --data-urlencode login=other --data-urlencode "password=$PW" \
	--data-urlencode "csrf=$(csrf)" --data-urlencode "next=$(sed -n 's/.*name="next" value="\([^"]*\)".*/\1/p' "$tmp/body" | sed 's/&amp;/\&/g')"
is "the editor of quangninh logs in, back to the page asked for" "$code $(hdr Location)" "303 /admin/audit?document=5"
login up up
is "the uploader of halong logs in" "$code" 303

# --- the queue ---
as ed GET /admin
is "the queue answers 200" "$code" 200
check "an editor's navigation has no users link" sh -c "! grep -q 'href=\"/admin/users\"' '$tmp/body'"
check "it lists the upload of halong" has "href=\"/admin/uploads/$UP_A\""
check "not the upload of quangninh" sh -c "! grep -q 'href=\"/admin/uploads/$UP_B\"' '$tmp/body'"
is "the draft count is 2" "$(sed -n 's/.*<dd id="count-draft">\([^<]*\)<.*/\1/p' "$tmp/body")" 2
as other GET /admin
check "the editor of quangninh sees the other one" has "href=\"/admin/uploads/$UP_B\""
check "and not the one of halong" sh -c "! grep -q 'href=\"/admin/uploads/$UP_A\"' '$tmp/body'"

# --- the upload page and its file ---
as ed GET /admin/uploads/$UP_A
is "the upload page answers 200" "$code" 200
check "it shows the proposed number" has "12/2024/QĐ-UBND"
check "with its confidence" grep -q '[0-9]%</td>' "$tmp/body"
check "and the file frame" has "<iframe class=\"original\" src=\"/admin/uploads/$UP_A/files/1\""
as ed GET /admin/uploads/$UP_A/files/1
is "the file is served to the editor of its portal" "$code" 200
check "inline" sh -c "grep -i '^Content-Disposition:' '$tmp/hdr' | grep -q '^Content-Disposition: inline'"
check "sandboxed, framable by the admin pages only" sh -c "grep -i '^Content-Security-Policy:' '$tmp/hdr' | grep -q sandbox && grep -i '^Content-Security-Policy:' '$tmp/hdr' | grep -q \"frame-ancestors 'self'\""
check "its bytes are the upload's" cmp -s "$tmp/body" "$tmp/a.txt"
as other GET /admin/uploads/$UP_A/files/1
is "the file is 403 for a user of another portal" "$code" 403
as other GET /admin/uploads/$UP_A
is "the upload page is 403 for a user of another portal" "$code" 403
as ed GET /admin/uploads/$UP_A/files/2
is "a file number the upload has not is 404" "$code" 404

# --- submit (uploader), publish (editor) through the forms ---
as up GET /admin/uploads/$UP_A
check "the uploader sees the submit button" has 'name="action" value="submit"'
check "not the publish button" sh -c "! grep -q 'name=\"action\" value=\"publish\"' '$tmp/body'"
tok=$(csrf)
as up POST /admin/uploads/$UP_A -d action=submit -d "csrf=$tok" --data-urlencode "issue_date=2024-03-05"
is "submit through the form: 303 back to the upload" "$code $(hdr Location)" "303 /admin/uploads/$UP_A?done=submit"
as up GET "/admin/uploads/$UP_A?done=submit"
check "which says it was done" has 'data-done="submit"'
as up GET "/admin/uploads/$UP_A?done=%3Cb%3Ehi"
check "an unknown done= is not shown" sh -c "! grep -q 'data-done' '$tmp/body' && ! grep -q '&lt;b&gt;hi' '$tmp/body'"
as up POST /admin/uploads/$UP_A -d action=publish -d "csrf=$tok"
is "the uploader cannot publish (403)" "$code" 403
as ed GET /admin/uploads/$UP_A
check "the upload is submitted, with the correction" sh -c "grep -q 'data-status=\"submitted\"' '$tmp/body' && grep -q 'value=\"2024-03-05\"' '$tmp/body'"
check "the editor sees publish, return and reject" sh -c "grep -q 'value=\"publish\"' '$tmp/body' && grep -q 'name=\"action\" value=\"return\"' '$tmp/body' && grep -q 'name=\"action\" value=\"reject\"' '$tmp/body'"
tok=$(csrf)
as ed POST /admin/uploads/$UP_A -d action=publish
is "publish without the CSRF token is 403" "$code" 403
as ed POST /admin/uploads/$UP_A -d action=publish -d "csrf=not-the-token"
is "publish with a wrong CSRF token is 403" "$code" 403
as other POST /admin/uploads/$UP_A -d action=publish -d "csrf=$tok"
is "another user's CSRF token does not pass either (403)" "$code" 403
as ed POST /admin/uploads/$UP_A -d action=publish -d "csrf=$tok" -d duplicate=new
loc=$(hdr Location)
DOC=$(printf '%s' "$loc" | sed -n 's|^/admin/documents/\([0-9]*\)?done=publish$|\1|p')
is "publish through the form: 303 to the new document" "$code:${DOC:+ok}" "303:ok"
as ed POST /admin/uploads/$UP_A -d action=publish -d "csrf=$tok"
is "publishing twice: 409 with the page and the reason" "$code" 409
check "shown in the error summary" has 'class="error-summary"'

# --- the document: withdraw ---
as ed GET /admin/documents/$DOC
is "the document page answers 200" "$code" 200
check "it is published" has 'data-state="published"'
check "its history shows the publication" has "upload.publish"
check "it links the public page" has "href=\"/documents/$DOC\""
as other GET /admin/documents/$DOC
is "the document page is 403 for a user of another portal" "$code" 403
as ed GET /admin/documents/$DOC
as ed POST /admin/documents/$DOC -d action=correct -d "csrf=$(csrf)" \
	--data-urlencode "abstract=Quyết định đã đính chính" --data-urlencode "reason=lỗi chính tả"
is "correct through the form: 303" "$code $(hdr Location)" "303 /admin/documents/$DOC?done=correct"
as ed GET /admin/documents/$DOC
check "the document shows the corrected abstract" has "Quyết định đã đính chính"
check "and its history the correction" has "document.correct"
as ed GET /admin/documents/$DOC
as ed POST /admin/documents/$DOC -d action=withdraw -d "csrf=$(csrf)" --data-urlencode "reason=   "
is "withdraw without a reason: the page with the error" "$code" 400
check "naming the reason" has 'class="error-summary"'
as ed POST /admin/documents/$DOC -d action=withdraw -d "csrf=$(csrf)" \
	--data-urlencode "reason=Ban hành nhầm <b>thử</b>"
is "withdraw through the form: 303" "$code $(hdr Location)" "303 /admin/documents/$DOC?done=withdraw"
as ed GET /admin/documents/$DOC
check "the document is withdrawn, with the reason escaped" sh -c "grep -q 'data-state=\"withdrawn\"' '$tmp/body' && grep -q 'Ban hành nhầm &lt;b&gt;thử&lt;/b&gt;' '$tmp/body'"
req GET /documents/$DOC
is "its public page answers 410" "$code" 410

# --- audit ---
as ed GET "/admin/audit?document=$DOC"
is "the audit page answers 200" "$code" 200
check "it lists the publication and the withdrawal" sh -c "grep -q 'upload.publish' '$tmp/body' && grep -q 'document.withdraw' '$tmp/body'"
check "with who did it" has ">ed <small>"
as ed GET "/admin/audit?document=$DOC&format=csv"
is "the CSV export answers 200" "$code" 200
is "as an attachment" "$(hdr Content-Disposition)" 'attachment; filename="audit.csv"'
check "text/csv" sh -c "grep -i '^Content-Type:' '$tmp/hdr' | grep -q text/csv"
check "with its header line" sh -c "head -n 1 '$tmp/body' | grep -q '^id,at,'"
check "and the withdrawal row" grep -q 'document.withdraw' "$tmp/body"
as ed GET "/admin/audit?document=abc"
is "a malformed filter is 400" "$code" 400
as ed GET "/admin/audit?bogus=1"
is "an unknown parameter is 400" "$code" 400

# --- XSS: escaped everywhere ---
login root root
for p in /admin /admin/uploads/$UP_A /admin/documents/$DOC "/admin/audit?document=$DOC"; do
	as root GET "$p"
	check "$p: the XSS payload is escaped" sh -c "! grep -q '<script>alert' '$tmp/body' && ! grep -q '<img src=x' '$tmp/body' && grep -q '&lt;script&gt;alert' '$tmp/body'"
done
check "the system administrator sees both uploads in the queue" sh -c "curl -s -b '$tmp/root.jar' '$base/admin' | grep -q 'href=\"/admin/uploads/$UP_B\"'"

# --- users and roles ---
as ed GET /admin/users
is "users: 403 for an editor who is no portal administrator" "$code" 403
as root GET /admin/users
is "users: 200 for the system administrator" "$code" 200
check "with the users link in the navigation" has 'href="/admin/users" aria-current="page"'
check "listing the users" sh -c "grep -q '>other<' '$tmp/body' && grep -q '>ed<' '$tmp/body'"
as root POST /admin/users -d action=grant -d "csrf=$(csrf)" -d login=up -d portal=halong -d role=portal_admin
is "grant portal_admin: 303" "$code" 303
login up up
as up GET /admin/users
is "the new portal administrator sees the users page" "$code" 200
check "with the users of halong and not quangninh's editor" sh -c "grep -q '>ed<' '$tmp/body' && ! grep -q '>other<' '$tmp/body'"
as up POST /admin/users -d action=grant -d "csrf=$(csrf)" -d login=other -d portal=quangninh -d role=editor
is "a portal administrator cannot grant in another portal (403)" "$code" 403

# --- tokens ---
as ed GET /admin/tokens
is "tokens page: 200" "$code" 200
as ed POST /admin/tokens -d action=create -d "csrf=$(csrf)" -d name=scanner -d scope=upload
is "create a token: 200 with the secret" "$code" 200
secret=$(sed -n 's/.*id="new-token" readonly size="50" value="\(vbt_[A-Za-z0-9_-]*\)".*/\1/p' "$tmp/body")
is "the secret is a vbt_ token" "${#secret}" 47
req GET /api/v1/uploads -H "Authorization: Bearer $secret"
is "the new token works on the API" "$code" 200
as ed GET /admin/tokens
check "the list shows the token, not its secret" sh -c "grep -q '>scanner<' '$tmp/body' && ! grep -q '$secret' '$tmp/body'"
tid=$(sed -n 's/.*name="id" value="\([0-9]*\)".*/\1/p' "$tmp/body" | head -n 1)
as ed POST /admin/tokens -d action=revoke -d "csrf=$(csrf)" -d "id=$tid"
is "revoke: 303" "$code" 303
req GET /api/v1/uploads -H "Authorization: Bearer $secret"
is "the revoked token is refused" "$code" 401

# --- report, language ---
as ed GET /admin/report
check "the report page links the yearly report" sh -c "grep -q 'action=\"/api/v1/report\"' '$tmp/body' && grep -q '<option>halong</option>' '$tmp/body'"
as ed GET "/api/v1/report?format=html&year=$(date -u +%Y)&portal=halong"
is "its form's target answers the editor's session with the report" "$code" 200
as ed GET "/admin?lang=en"
check "English: lang=\"en\" and English words" sh -c "grep -q '<html lang=\"en\">' '$tmp/body' && grep -q 'Review queue' '$tmp/body'"
as ed GET /admin -H "Accept-Language: zh-CN,zh;q=0.9"
check "Chinese by Accept-Language" sh -c "grep -q '<html lang=\"zh\">' '$tmp/body' && grep -q '待审核队列' '$tmp/body'"

# --- the same in a browser: keyboard, axe-core, the file frame ---
modules=${VB_NODE_MODULES:-$VB_SRCDIR/tests/browser/node_modules}
chromium=${VB_CHROMIUM:-/usr/bin/chromium}
why=
command -v node >/dev/null 2>&1 || why="node is not installed"
[ -z "$why" ] && [ ! -x "$chromium" ] && why="$chromium is not installed"
[ -z "$why" ] && { [ -d "$modules/playwright-core" ] && [ -d "$modules/axe-core" ]; } ||
	why=${why:-"no node modules in $modules (npm ci --prefix tests/browser)"}
if [ -n "$why" ] && [ "${CI:-}" != true ]; then
	n=$((n + 1)); echo "ok $n # SKIP browser test: $why"
else
	VB_BASE=$base VB_LOGIN=ed VB_PASSWORD=$PW VB_UPLOAD=$UP_C VB_DOC=$DOC VB_CHROMIUM=$chromium \
		VB_NODE_MODULES=$modules timeout 300 node "$VB_SRCDIR/tests/browser/admin.spec.mjs" \
		>"$tmp/browser.tap" 2>&1
	st=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "browser: ${line#ok * - }" ;;
		"not ok "*) nok "browser: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$tmp/browser.tap"
	is "the browser test ran to its end (exit $st)" "$(grep -c '^1\.\.' "$tmp/browser.tap")" 1
fi

as up GET /admin/uploads/$UP_C
as up POST /admin/uploads/$UP_C -d action=submit -d "csrf=$(csrf)"
is "the uploader submits the second upload" "$code" 303
as ed GET /admin/uploads/$UP_C
as ed POST /admin/uploads/$UP_C -d action=return -d "csrf=$(csrf)" --data-urlencode "reason=thiếu số ký hiệu"
is "return through the form: 303" "$code $(hdr Location)" "303 /admin/uploads/$UP_C?done=return"
as ed GET /admin/uploads/$UP_C
check "the upload is a draft again" has 'data-status="draft"'
ed_id=$(sql "SELECT id FROM users WHERE login = 'ed'")
as root GET "/admin/audit?user=$ed_id"
check "the audit log by user shows the editor's return with its reason" sh -c "grep -q 'upload.return' '$tmp/body' && grep -q 'thiếu số ký hiệu' '$tmp/body'"
as root GET /admin/uploads/$UP_C
as root POST /admin/uploads/$UP_C -d action=reject -d "csrf=$(csrf)" --data-urlencode "reason=trùng lặp"
is "reject through the form: 303" "$code $(hdr Location)" "303 /admin/uploads/$UP_C?done=reject"
as root GET /admin/uploads/$UP_C
check "the upload is rejected, without forms" sh -c "grep -q 'data-status=\"rejected\"' '$tmp/body' && ! grep -q 'name=\"action\"' '$tmp/body'"

# --- logout ---
cp "$tmp/ed.jar" "$tmp/stolen.jar"
as ed GET /admin
as ed POST /admin/logout -d "csrf=$(csrf)"
is "logout: 303 to the login form" "$code $(hdr Location)" "303 /admin/login?out=1"
as stolen GET /admin
is "the old session cookie no longer works" "$code" 303

# --- a new user through the form; the account lockout ---
as root GET /admin/users
as root POST /admin/users -d action=create -d "csrf=$(csrf)" -d new_login=newbie \
	--data-urlencode "display_name=Người mới <i>" --data-urlencode "password=$PW"
is "create a user through the form: 303" "$code $(hdr Location)" "303 /admin/users?done=create"
as root GET /admin/users
check "the new user is listed, the name escaped" has "Người mới &lt;i&gt;"
login newbie newbie
is "the new user logs in" "$code" 303
as newbie GET /admin
check "a user without roles sees an empty queue" has "Không có văn bản nào chờ xử lý."
for i in 1 2 3 4; do login lock newbie wrong-password-123; done
is "four wrong passwords: still 401" "$code" 401
login lock newbie wrong-password-123
is "the fifth locks the account: 429" "$code" 429
check "with Retry-After" test -n "$(hdr Retry-After)"
login lock newbie
is "the right password while locked: 429 too" "$code" 429
check "the lockout is logged with the user id, not the login" sh -c "grep -q 'account [0-9]* locked' '$tmp/daemon.log' && ! grep 'locked' '$tmp/daemon.log' | grep -q newbie"

vbd_stop
is "vanband exits cleanly" "$vbd_status" 0
echo "1..$n"
