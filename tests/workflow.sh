#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of the editorial workflow (docs/workflow.md) against the
# running vanband with a throwaway PostgreSQL: two portals (halong and
# quangninh), an uploader and an editor of halong, an editor of quangninh,
# each with an API token.  The whole path upload -> submit -> return ->
# submit -> publish -> searchable -> withdraw -> not searchable, the page,
# the JSON, the file and the ELI of the withdrawn document answering 410
# with the reason; a correction making version 2 with version 1 kept in
# document_versions; wrong states 409; an uploader cannot publish (403);
# an editor of another portal can neither read nor act (403); anonymous
# 401 on every write route; a session write without its CSRF token 403;
# `vanban check` clean with a withdrawn document out of the index; DELETE
# refused by the database; and the audit log holding the document's
# history in order with its actors.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl psql sha256sum; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-workflow.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

V() { vanban --data-dir "$tmp/data" "$@"; }
sql() { psql "$VANBAN_DB" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

# cheap password hashes for the session test (argon2id with 1 MiB, one pass)
printf 'argon2_memory_kib = 1024\nargon2_time = 1\n' >"$tmp/vanban.conf"
export VANBAN_CONFIG="$tmp/vanban.conf"
V migrate >"$tmp/migrate.log" 2>&1 || bail "vanban migrate failed: $(cat "$tmp/migrate.log")"
grep -E '^(quangninh|halong)	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
V portal import "$tmp/portals.tsv" >"$tmp/portal.log" 2>&1 || bail "portal import failed: $(cat "$tmp/portal.log")"

# Users, roles and tokens straight into the tables (the CLI has its own
# test): a token is "vbt_" + 43 base64url characters, stored as its SHA-256.
mktoken() { printf 'vbt_%s' "$(printf '%s' "$1" | sha256sum | cut -c1-43)"; }
T_ALICE=$(mktoken alice) T_BOB=$(mktoken bob) T_CAROL=$(mktoken carol)
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
sql "INSERT INTO users (login, display_name) VALUES ('alice', 'Alice'), ('bob', 'Bob'), ('carol', 'Carol');
     INSERT INTO user_roles (user_id, portal_id, role)
       SELECT id, 'halong', 'uploader' FROM users WHERE login = 'alice'
       UNION ALL SELECT id, 'halong', 'editor' FROM users WHERE login = 'bob'
       UNION ALL SELECT id, 'quangninh', 'editor' FROM users WHERE login = 'carol';
     INSERT INTO api_tokens (user_id, name, token_hash, scopes)
       SELECT id, 'test', CASE login WHEN 'alice' THEN '$(hash "$T_ALICE")'
         WHEN 'bob' THEN '$(hash "$T_BOB")' ELSE '$(hash "$T_CAROL")' END,
         CASE login WHEN 'alice' THEN ARRAY['upload'] ELSE ARRAY['upload', 'publish'] END
       FROM users;" || bail "could not create the users"

# dana: an editor of halong who signs in (session cookie + CSRF token)
PW_DANA=dana-secret-pass-7
echo "$PW_DANA" | V user add dana >"$tmp/user.log" 2>&1 && V user grant dana halong editor >>"$tmp/user.log" 2>&1 ||
	bail "could not create dana: $(cat "$tmp/user.log")"

TOKEN=workflow-test-token-5e1d
export VANBAN_API_TOKEN=$TOKEN VANBAN_NO_OCR=1
vbd_start || bail "vanband did not start"

# req METHOD PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	m=$1; p=$2; shift 2
	code=$(curl -s -g -X "$m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
as() { who=$1; shift; m=$1; p=$2; shift 2; req "$m" "$p" -H "Authorization: Bearer $who" "$@"; }
js() { who=$1; m=$2; p=$3; d=$4; as "$who" "$m" "$p" -H "Content-Type: application/json" -d "$d"; }
body() { jq -r "$1" "$tmp/body"; }
U=/api/v1/uploads
search_total() { curl -s -g "$base/api/v1/search?per_page=5&q=$1" | jq -r .total; }
wait_search() { # wait_search N QUERY: up to 20 s for the search to reach N hits
	i=0
	while [ $i -lt 200 ]; do
		[ "$(search_total "$2")" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# --- anonymous: 401 on every write route ---
printf 'Số: 7/2024/QĐ-UBND\nQuyết định về kiểmthửquytrình tại thành phố Hạ Long.\n' >"$tmp/a.txt"
req POST $U -F "file=@$tmp/a.txt"
is "anonymous upload is 401" "$code" 401
for r in uploads/1/submit uploads/1/publish uploads/1/confirm uploads/1/reject uploads/1/return \
	 documents/1/withdraw documents/1/correct; do
	req POST "/api/v1/$r" -H "Content-Type: application/json" -d '{"reason": "x"}'
	is "anonymous POST /api/v1/$r is 401" "$code" 401
done
req GET $U
is "anonymous list of uploads is 401" "$code" 401

# --- create: the portal ---
as "$TOKEN" POST $U -F "file=@$tmp/a.txt"
is "the bootstrap token must name the portal (400)" "$code:$(body .error.parameter)" "400:portal"
as "$T_ALICE" POST $U -F "file=@$tmp/a.txt" -F portal=quangninh
is "an uploader of halong cannot upload to quangninh (403)" "$code:$(body .error.code)" "403:forbidden"
check "the 403 names the portal and the role" sh -c "jq -r .error.message '$tmp/body' | grep -q quangninh && jq -r .error.message '$tmp/body' | grep -q uploader"
as "$T_ALICE" POST $U -F "file=@$tmp/a.txt"
is "alice uploads to her only portal (201)" "$code:$(body .status):$(body .portal_id)" "201:draft:halong"
up=$(body .id)
as "$T_CAROL" GET $U/$up
is "an editor of another portal cannot read the upload (403)" "$code" 403
as "$T_CAROL" GET $U
is "nor sees it in the list" "$code:$(body '[.uploads[] | select(.id == '"$up"')] | length')" "200:0"
as "$T_BOB" GET $U
is "the editor of halong sees it" "$code:$(body '[.uploads[] | select(.id == '"$up"')] | length')" "200:1"

# --- submit, return, submit ---
js "$T_ALICE" POST $U/$up/publish '{}'
is "an uploader cannot publish (403)" "$code:$(body .error.code)" "403:forbidden"
js "$T_ALICE" POST $U/$up/return '{"reason": "x"}'
is "an uploader cannot return (403)" "$code" 403
js "$T_BOB" POST $U/$up/return '{"reason": "not submitted yet"}'
is "returning a draft is 409" "$code:$(body .error.code)" "409:conflict"
js "$T_ALICE" POST $U/$up/submit '{"issue_date": "2030-02-30"}'
is "submit validates the corrections (400)" "$code" 400
js "$T_ALICE" POST $U/$up/submit '{"issue_date": "2024-03-05"}'
is "alice submits with a correction" "$code:$(body .status):$(body .proposal.issue_date.value)" "200:submitted:2024-03-05"
js "$T_ALICE" POST $U/$up/submit '{}'
is "submitting twice is 409 naming the state" "$code:$(body .error.message)" "409:upload $up is submitted"
js "$T_CAROL" POST $U/$up/publish '{}'
is "an editor of quangninh cannot publish a halong upload (403)" "$code" 403
check "the 403 names halong and editor" sh -c "jq -r .error.message '$tmp/body' | grep -q 'editor.*halong'"
js "$T_BOB" POST $U/$up/return '{}'
is "return needs a reason (400)" "$code" 400
js "$T_BOB" POST $U/$up/return '{"reason": "Thiếu số hiệu"}'
is "bob returns it to draft with a reason" "$code:$(body .status):$(body .reason)" "200:draft:Thiếu số hiệu"
js "$T_ALICE" POST $U/$up/submit '{"number": "7/2024/QĐ-UBND"}'
is "alice submits again" "$code:$(body .status)" "200:submitted"
js "$T_BOB" POST $U/999999/publish '{}'
is "publishing a missing upload is 404" "$code" 404

# --- publish, searchable ---
js "$T_BOB" POST $U/$up/publish '{"status": "in_force"}'
is "bob publishes it (201)" "$code:$(body .number)" "201:7/2024/QĐ-UBND"
doc=$(body .id)
js "$T_BOB" POST $U/$up/publish '{}'
is "publishing twice is 409" "$code" 409
check "the published document becomes searchable" wait_search 1 kiemthuquytrinh
req GET /api/v1/documents/$doc
eli=$(body .eli)
is "the document is public (200) and has an ELI" "$code:$(test "$eli" != null && echo y)" "200:y"
is "the document belongs to halong" "$(sql "SELECT portal_id FROM documents WHERE id = $doc")" halong
# positive controls for the checks after the withdrawal
req GET "/api/v1/suggest?q=7/2024"
check "suggestions offer it while published" grep -q "\"id\":$doc[,}]" "$tmp/body"
req GET "/feeds/documents.atom"
check "the feed lists it while published" grep -q "/documents/$doc[\"<]" "$tmp/body"
req GET "/sitemap.xml"
check "the sitemap lists it while published" grep -q "/documents/$doc<" "$tmp/body"

# --- withdraw ---
js "$T_CAROL" POST /api/v1/documents/$doc/withdraw '{"reason": "x"}'
is "an editor of another portal cannot withdraw (403)" "$code" 403
js "$T_ALICE" POST /api/v1/documents/$doc/withdraw '{"reason": "x"}'
is "an uploader token (no publish scope) cannot withdraw (403)" "$code" 403
js "$T_BOB" POST /api/v1/documents/$doc/withdraw '{}'
is "withdraw needs a reason (400)" "$code:$(body .error.message)" "400:reason: required"
REASON="Ban hành nhầm, đã thay bằng văn bản khác"
js "$T_BOB" POST /api/v1/documents/$doc/withdraw "{\"reason\": \"$REASON\"}"
is "bob withdraws it" "$code:$(body .state):$(body .reason)" "200:withdrawn:$REASON"
js "$T_BOB" POST /api/v1/documents/$doc/withdraw "{\"reason\": \"$REASON\"}"
is "withdrawing twice is 409" "$code" 409
check "the withdrawn document leaves the search" wait_search 0 kiemthuquytrinh
V check >"$tmp/check.out" 2>&1
is "vanban check: a withdrawn document out of the index is no damage" "$?" 0
req GET /api/v1/documents/$doc
is "its JSON is 410 with the reason" "$code:$(body .error.code):$(body .error.reason)" "410:withdrawn:$REASON"
check "the 410 says when" sh -c "jq -e '.error.withdrawn_at | test(\"^20[0-9-]+T\")' '$tmp/body'"
req GET "/documents/$doc?lang=en"
is "its page is 410" "$code" 410
check "the page shows the reason" grep -q "Ban hành nhầm" "$tmp/body"
check "the page is in the asked language" grep -q "withdrawn on" "$tmp/body"
req GET /api/v1/documents/$doc/files/0
is "its file is 410" "$code:$(body .error.code)" "410:withdrawn"
req GET "$eli" -H "Accept: application/json"
is "its ELI is 410" "$code:$(body .error.reason)" "410:$REASON"
req GET "/api/v1/bundle?ids=$doc"
is "a bundle naming it is 410" "$code" 410
req GET "/api/v1/suggest?q=7/2024"
check "suggestions leave it out" sh -c "! grep -q '\"id\":$doc[,}]' '$tmp/body'"
req GET "/feeds/documents.atom"
check "the feed leaves it out" sh -c "! grep -q '/documents/$doc[\"<]' '$tmp/body'"
req GET "/sitemap.xml"
check "the sitemap leaves it out" sh -c "! grep -q '/documents/$doc<' '$tmp/body'"
js "$T_BOB" POST /api/v1/documents/$doc/correct '{"abstract": "x"}'
is "correcting a withdrawn document is 409" "$code" 409

# --- correct: a new version, the old one kept ---
printf 'Số: 8/2024/QĐ-UBND\nQuyết định kiểmthửđínhchính về phí.\n' >"$tmp/b.txt"
as "$T_ALICE" POST $U -F "file=@$tmp/b.txt"
up2=$(body .id)
js "$T_BOB" POST $U/$up2/confirm '{"abstract": "Bản đầu"}'
is "confirm is kept as an alias of publish (an editor may publish a draft)" "$code" 201
doc2=$(body .id)
js "$T_ALICE" POST /api/v1/documents/$doc2/correct '{"abstract": "x"}'
is "an uploader cannot correct (403)" "$code" 403
js "$T_BOB" POST /api/v1/documents/$doc2/correct '{"source_id": "x"}'
is "the identity cannot be corrected (400)" "$code" 400
js "$T_BOB" POST /api/v1/documents/$doc2/correct '{"abstract": "Bản đã đính chính", "reason": "Sai trích yếu"}'
is "bob corrects it: version 2" "$code:$(body .version):$(body .abstract)" "200:2:Bản đã đính chính"
is "version 1 is kept in document_versions" \
	"$(sql "SELECT version || ':' || (row->>'abstract') FROM document_versions WHERE document_id = $doc2")" "1:Bản đầu"
check "the correction is searchable" wait_search 1 "dinh+chinh+kiemthudinhchinh"

# --- reject ---
as "$T_ALICE" POST $U -F "file=@$tmp/b.txt"
up3=$(body .id)
js "$T_BOB" POST $U/$up3/reject '{"reason": "Trùng lặp"}'
is "bob rejects a draft with a reason" "$code:$(body .status)" "200:rejected"
js "$T_ALICE" POST $U/$up3/submit '{}'
is "a rejected upload cannot be submitted (409)" "$code" 409

# --- a session: the CSRF token is required on every write ---
req POST /api/v1/session -H 'Content-Type: application/json' -d "{\"login\":\"dana\",\"password\":\"$PW_DANA\"}"
cookie=$(grep -i '^Set-Cookie: vb_session=' "$tmp/hdr" | sed 's/^[^=]*=\([^;]*\);.*/\1/' | tr -d '\r')
csrf=$(body '.csrf // empty')
is "dana signs in" "$code:$(test -n "$cookie" && test -n "$csrf" && echo y)" "200:y"
as "$T_ALICE" POST $U -F "file=@$tmp/b.txt"
up4=$(body .id)
req POST $U/$up4/reject -H "Cookie: vb_session=$cookie" -H "Content-Type: application/json" -d '{"reason": "x"}'
is "a session write without its CSRF token is 403 csrf" "$code:$(body .error.code)" "403:csrf"
is "and changes nothing" "$(sql "SELECT status FROM uploads WHERE id = $up4")" draft
req POST $U/$up4/reject -H "Cookie: vb_session=$cookie" -H "X-CSRF-Token: $csrf" \
	-H "Content-Type: application/json" -d '{"reason": "Không thuộc thẩm quyền"}'
is "with it the editor's session rejects the upload" "$code:$(body .status)" "200:rejected"
is "the audit log names dana" "$(sql "SELECT actor_label FROM audit_log WHERE action = 'upload.reject' AND object_id = '$up4' LIMIT 1")" dana

# --- nothing is ever deleted ---
check "DELETE of a document is refused by the database" sh -c "! psql '$VANBAN_DB' -X -q -c 'DELETE FROM documents WHERE id = $doc' 2>'$tmp/del.err'"
check "with a message saying why" grep -q "never deleted" "$tmp/del.err"
check "DELETE of an upload is refused too" sh -c "! psql '$VANBAN_DB' -X -q -c 'DELETE FROM uploads WHERE id = $up' 2>/dev/null"
is "the document is still there" "$(sql "SELECT state FROM documents WHERE id = $doc")" withdrawn

# --- the audit log: the whole history, in order, with the actors ---
hist=$(sql "SELECT string_agg(a, ',' ORDER BY m) FROM (SELECT action || ':' || actor_label AS a, min(id) AS m
	FROM audit_log WHERE (object_type = 'upload' AND object_id = '$up')
	OR document_id = $doc GROUP BY 1) x")
is "the audit log has the history in order" "$hist" \
	"upload.create:alice,upload.submit:alice,upload.return:bob,upload.publish:bob,document.withdraw:bob"
# what staff see: the document's history from its upload on (vanban audit / GET /api/v1/audit)
is "vanban audit --document: the history from the upload on" \
	"$(V audit --document "$doc" --format csv | tail -n +2 | cut -d, -f8 | awk '!seen[$0]++' | paste -sd, -)" \
	"upload.create,upload.submit,upload.return,upload.publish,document.withdraw"
is "the withdrawal's reason is in the audit log" \
	"$(sql "SELECT reason FROM audit_log WHERE action = 'document.withdraw' AND document_id = $doc LIMIT 1")" "$REASON"

vbd_stop
is "vanband exits cleanly" "$vbd_status" 0
echo "1..$n"
