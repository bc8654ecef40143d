#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Portals end to end (lib/portal.c, daemon/api_portals.c, cli/portal.c)
# against a throwaway PostgreSQL and the built vanband: the registry of
# tests/fixtures/portals/portals.tsv is imported (twice: idempotent), the
# documents of tests/fixtures/portals/documents.jsonl are indexed, and:
#
#  - the same query gives different, exactly known results on two portals
#    with different scopes (a department and a commune), none of them the
#    other province's document that the unscoped search finds;
#  - the Host header chooses the portal when no portal= is given;
#  - an unknown or malformed portal is a 400 naming "portal";
#  - the admin API: public GETs, writes without or with a wrong token 401;
#  - two commune portals merged into a new one: both old ids and both old
#    domains answer with the successor and its results (both communes'
#    documents); the old commune's name typed on the successor portal
#    finds that commune's documents;
#  - a document outside a portal's scope stays reachable by id;
#  - history, create (201 + Location), refused transitions, the CLI.

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-portals.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

FX="$VB_SRCDIR/tests/fixtures/portals"
TOKEN=portals-test-token-51c2
V() { vanban --data-dir "$tmp/data" "$@"; }

V migrate >"$tmp/log" 2>&1 || { cat "$tmp/log"; bail "vanban migrate failed"; }
V import "$FX/documents.jsonl" >"$tmp/log" 2>&1 || { cat "$tmp/log"; bail "import failed"; }
V index >"$tmp/log" 2>&1 || { cat "$tmp/log"; bail "index failed"; }

out=$(V portal import "$FX/portals.tsv" 2>&1)
[ "$out" = "5 created, 0 updated, 0 unchanged, 0 failed" ] && ok "portal import: 5 created" ||
	nok "portal import: 5 created (got: $out)"
out=$(V portal import "$FX/portals.tsv" 2>&1)
[ "$out" = "0 created, 0 updated, 5 unchanged, 0 failed" ] && ok "a second import changes nothing" ||
	nok "a second import changes nothing (got: $out)"
printf 'bad\tplanet\t-\tX\n' >"$tmp/bad.tsv"
V portal import "$tmp/bad.tsv" >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st = 1 ] && grep -q "bad.tsv:1: kind must be" "$tmp/err" && ok "a bad line is reported as FILE:LINE" ||
	nok "a bad line is reported as FILE:LINE ($st: $(cat "$tmp/err"))"

VANBAN_API_TOKEN=$TOKEN
export VANBAN_API_TOKEN
vbd_start --no-indexer || bail "vanband did not start"
unset VANBAN_API_TOKEN

# req METHOD PATH [curl args]: body in $tmp/body, status in $code
req() {
	_m=$1; _p=$2; shift 2
	code=$(curl -s -g -X "$_m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$_p")
}
auth() { req "$@" -H "Authorization: Bearer $TOKEN"; }
body() { jq -r "$1" "$tmp/body"; }
# ids QUERYSTRING [curl args]: the source_ids of the hits, sorted, space-separated
ids() {
	_q=$1; shift
	curl -s -g "$@" "$base/api/v1/search?per_page=50&$_q" | tee "$tmp/search" |
		jq -r '[.hits[].source_id] | sort | join(" ")'
}
CHO='q=ch%E1%BB%A3'                            # chợ
HONGHA_VS='q=H%E1%BB%93ng+H%C3%A0+v%E1%BB%87+sinh' # Hồng Hà vệ sinh
VS='q=v%E1%BB%87+sinh'                         # vệ sinh

# --- scope ---------------------------------------------------------------
got=$(ids "$CHO")
[ "$got" = "p-hongha-cho p-honghai-cho p-sonla-cho p-tinh-cho p-tuphap-cho" ] &&
	ok "without a portal: every document about chợ" || nok "without a portal (got: $got)"
got=$(ids "$CHO&portal=sotuphap")
[ "$got" = "p-tinh-cho p-tuphap-cho" ] && ok "portal=sotuphap: the department's and the province's" ||
	nok "portal=sotuphap (got: $got)"
[ "$(jq -r .portal.id "$tmp/search")" = sotuphap ] && ok "the answer names the portal" ||
	nok "the answer names the portal ($(jq -c .portal "$tmp/search"))"
got=$(ids "$CHO&portal=hongha.halong")
[ "$got" = "p-hongha-cho p-tinh-cho" ] && ok "portal=hongha.halong: the ward's and the province's" ||
	nok "portal=hongha.halong (got: $got)"
got=$(ids "$CHO&portal=quangninh")
[ "$got" = "p-hongha-cho p-honghai-cho p-tinh-cho p-tuphap-cho" ] &&
	ok "portal=quangninh: everything in the province, not Sơn La" || nok "portal=quangninh (got: $got)"
[ "$(jq '.facets.issuer | length' "$tmp/search")" = 4 ] && ok "facets count within the scope" ||
	nok "facets count within the scope ($(jq -c .facets.issuer "$tmp/search"))"

# --- Host ----------------------------------------------------------------
got=$(ids "$CHO" -H "Host: sotuphap.quangninh.gov.vn")
[ "$got" = "p-tinh-cho p-tuphap-cho" ] && ok "Host: sotuphap.quangninh.gov.vn picks the department" ||
	nok "Host picks the department (got: $got)"
[ "$(jq -r '.portal.by_host' "$tmp/search")" = true ] && ok "chosen by the host" ||
	nok "chosen by the host ($(jq -c .portal "$tmp/search"))"
got=$(ids "$CHO" -H "Host: HongHa.HaLong.QuangNinh.gov.vn:8080")
[ "$got" = "p-hongha-cho p-tinh-cho" ] && ok "Host in another case and with a port" ||
	nok "Host in another case and with a port (got: $got)"
got=$(ids "$CHO&portal=sotuphap" -H "Host: hongha.halong.quangninh.gov.vn")
[ "$got" = "p-tinh-cho p-tuphap-cho" ] && ok "portal= wins over the Host header" ||
	nok "portal= wins over the Host header (got: $got)"
[ "$(ids "$CHO" -H "Host: example.org" | wc -w)" = 5 ] && ok "an unknown host: no scope" ||
	nok "an unknown host: no scope"

# --- refused -------------------------------------------------------------
req GET "/api/v1/search?$CHO&portal=nowhere"
[ "$code" = 400 ] && [ "$(body .error.parameter)" = portal ] &&
	body .error.message | grep -q 'unknown portal "nowhere"' &&
	ok "an unknown portal: 400 naming portal" || nok "an unknown portal: 400 naming portal ($code $(cat "$tmp/body"))"
req GET "/api/v1/search?$CHO&portal=Not%20A%20Slug"
[ "$code" = 400 ] && [ "$(body .error.parameter)" = portal ] && ok "a malformed portal: 400" ||
	nok "a malformed portal: 400 ($code)"
req GET "/api/v1/search?$CHO&portal=sotuphap&portal=quangninh"
[ "$code" = 400 ] && [ "$(body .error.parameter)" = portal ] && ok "portal given twice: 400" ||
	nok "portal given twice: 400 ($code)"
req GET "/search?$CHO&portal=nowhere"
[ "$code" = 400 ] && ok "the HTML page refuses an unknown portal too" || nok "HTML page, unknown portal ($code)"
req GET "/search?$CHO&portal=sotuphap"
[ "$code" = 200 ] && grep -q "210/STP-PBGDPL" "$tmp/body" && ! grep -q "35/KH-UBND" "$tmp/body" &&
	ok "the HTML search page is scoped" || nok "the HTML search page is scoped ($code)"

# --- admin API -----------------------------------------------------------
req GET /api/v1/portals
[ "$code" = 200 ] && [ "$(body '.portals | length')" = 5 ] && ok "GET /api/v1/portals (public)" ||
	nok "GET /api/v1/portals ($code)"
req GET /api/v1/portals/hongha.halong
[ "$code" = 200 ] && [ "$(body .current)" = hongha.halong ] &&
	[ "$(body '.scope | index("UBND phường Hồng Hà") != null')" = true ] &&
	[ "$(body '.history[0].op')" = create ] && ok "GET /api/v1/portals/{id}: record, scope, history" ||
	nok "GET /api/v1/portals/{id} ($code)"
req GET /api/v1/portals/nowhere
[ "$code" = 404 ] && ok "an unknown portal: 404" || nok "an unknown portal: 404 ($code)"
req GET "/api/v1/portals?x=1"
[ "$code" = 400 ] && ok "GET refuses parameters" || nok "GET refuses parameters ($code)"
MERGE='{"with":["honghai.halong"],"into":{"id":"honggai.halong","kind":"commune","parent":"halong","names":{"vi":"Phường Hồng Gai","en":"Hong Gai Ward"},"domains":["honggai.halong.quangninh.gov.vn"]}}'
req POST /api/v1/portals/hongha.halong/merge -H "Content-Type: application/json" --data-binary "$MERGE"
[ "$code" = 401 ] && grep -qi '^WWW-Authenticate: Bearer' "$tmp/hdr" && ok "merge without a token: 401" ||
	nok "merge without a token: 401 ($code)"
req POST /api/v1/portals/hongha.halong/merge -H "Authorization: Bearer wrong" --data-binary "$MERGE"
[ "$code" = 401 ] && ok "merge with a wrong token: 401" || nok "merge with a wrong token: 401 ($code)"
req POST /api/v1/portals -H "Content-Type: application/json" --data-binary '{"id":"x","kind":"topic","names":{"vi":"X"}}'
[ "$code" = 401 ] && ok "create without a token: 401" || nok "create without a token: 401 ($code)"
[ "$(ids "$CHO&portal=hongha.halong")" = "p-hongha-cho p-tinh-cho" ] &&
	ok "refused writes changed nothing" || nok "refused writes changed nothing"
auth POST /api/v1/portals/hongha.halong/merge --data-binary '{not json'
[ "$code" = 400 ] && ok "a malformed body: 400" || nok "a malformed body: 400 ($code)"
auth DELETE /api/v1/portals/hongha.halong
[ "$code" = 405 ] && ok "DELETE: 405 (nothing is deleted)" || nok "DELETE: 405 ($code)"

# --- merge of two communes -------------------------------------------------
auth POST /api/v1/portals/hongha.halong/merge -H "Content-Type: application/json" --data-binary "$MERGE"
[ "$code" = 200 ] && [ "$(body .state)" = merged ] && [ "$(body .current)" = honggai.halong ] &&
	ok "merge hongha + honghai -> honggai: 200" || nok "merge: 200 ($code $(cat "$tmp/body"))"
for old in hongha.halong honghai.halong; do
	got=$(ids "$CHO&portal=$old")
	[ "$got" = "p-hongha-cho p-honghai-cho p-tinh-cho" ] &&
		[ "$(jq -r .portal.id "$tmp/search")" = honggai.halong ] &&
		[ "$(jq -r .portal.requested "$tmp/search")" = $old ] &&
		ok "old id $old answers as honggai.halong with both wards' documents" ||
		nok "old id $old (got: $got, $(jq -c .portal "$tmp/search"))"
	got=$(ids "$CHO" -H "Host: $old.quangninh.gov.vn")
	[ "$got" = "p-hongha-cho p-honghai-cho p-tinh-cho" ] &&
		[ "$(jq -r .portal.id "$tmp/search")" = honggai.halong ] &&
		ok "old domain $old.quangninh.gov.vn answers as honggai.halong" ||
		nok "old domain $old.quangninh.gov.vn (got: $got)"
done
req GET "/search?$CHO&portal=hongha.halong"
[ "$code" = 200 ] && grep -q "35/KH-UBND" "$tmp/body" && grep -q "18/TB-UBND" "$tmp/body" &&
	! grep -q "210/STP-PBGDPL" "$tmp/body" && ok "the old id's HTML search page shows the successor's results" ||
	nok "the old id's HTML search page ($code)"
got=$(ids "$CHO" -H "Host: honggai.halong.quangninh.gov.vn")
[ "$got" = "p-hongha-cho p-honghai-cho p-tinh-cho" ] && ok "the new domain answers" ||
	nok "the new domain answers (got: $got)"

# The old ward's name on the successor: its documents, and not the other
# ward's (the query's place words also stand for the old ward's issuers:
# vb_query_expand_places in lib/query_place.c, checked term by term in test_portal).
got=$(ids "$HONGHA_VS&portal=honggai.halong")
[ "$got" = "p-hongha-vesinh" ] && [ "$(jq -r .relaxed "$tmp/search")" = false ] &&
	ok "on the successor \"Hồng Hà vệ sinh\" finds the old ward's document, only it" ||
	nok "old place name on the successor (got: $got, relaxed $(jq -r .relaxed "$tmp/search"))"
got=$(ids "$HONGHA_VS&portal=hongha.halong")
[ "$got" = "p-hongha-vesinh" ] && ok "also through the old portal id" || nok "through the old id (got: $got)"
got=$(ids "q=hong+ha+ve+sinh&portal=honggai.halong")
[ "$got" = "p-hongha-vesinh" ] && ok "also typed without diacritics" || nok "without diacritics (got: $got)"
got=$(ids "$VS&portal=honggai.halong")
[ "$got" = "p-hongha-vesinh p-honghai-vesinh" ] && ok "\"vệ sinh\" alone: both wards" ||
	nok "\"vệ sinh\" alone (got: $got)"
got=$(ids "$HONGHA_VS&portal=sotuphap")
[ -z "$got" ] || [ "$(jq -r .relaxed "$tmp/search")" = true ] &&
	ok "other portals do not expand the name" || nok "other portals do not expand the name ($got)"

# --- documents stay reachable -----------------------------------------------
sonla=$(curl -s -g "$base/api/v1/search?$CHO" | jq -r '.hits[] | select(.source_id == "p-sonla-cho") | .id')
req GET "/api/v1/documents/$sonla" -H "Host: sotuphap.quangninh.gov.vn"
[ "$code" = 200 ] && [ "$(body .source_id)" = p-sonla-cho ] &&
	ok "a document outside the portal's scope is reachable by id" ||
	nok "a document outside the scope is reachable ($code)"

# --- lifecycle rules, history, create -----------------------------------------
auth POST /api/v1/portals/hongha.halong/merge --data-binary '{"into":"quangninh"}'
[ "$code" = 400 ] && body .error.message | grep -q "merged, not active" &&
	ok "a merged portal cannot be merged again: 400" || nok "merge a merged portal ($code)"
auth POST /api/v1/portals/hongha.halong/retire --data-binary '{}'
[ "$code" = 400 ] && ok "nor retired" || nok "nor retired ($code)"
req GET /api/v1/portals/hongha.halong
[ "$(body '[.history[].op] | join(",")')" = "create,merge" ] && [ "$(body .successors[0])" = honggai.halong ] &&
	ok "its history: create, merge; successor kept" || nok "history ($(body -c .history))"
auth POST /api/v1/portals -H "Content-Type: application/json" \
	--data-binary '{"id":"dulich","kind":"topic","names":{"vi":"Chuyên trang Du lịch"},"issuers":["Sở Du lịch tỉnh Quảng Ninh"],"domains":["dulich.quangninh.gov.vn"]}'
[ "$code" = 201 ] && grep -qi '^Location: /api/v1/portals/dulich' "$tmp/hdr" && [ "$(body .parent)" = quangninh ] &&
	ok "create: 201, Location, below the province by default" || nok "create: 201 ($code $(cat "$tmp/body"))"
auth POST /api/v1/portals -H "Content-Type: application/json" \
	--data-binary '{"id":"dulich2","kind":"topic","names":{"vi":"X"},"domains":["dulich.quangninh.gov.vn"]}'
[ "$code" = 400 ] && body .error.message | grep -q 'belongs to portal "dulich"' &&
	ok "a domain of another portal is refused" || nok "a taken domain ($code)"
auth POST /api/v1/portals/sotuphap/rename --data-binary '{"names":{"en":"Department of Justice of Quang Ninh"}}'
[ "$code" = 200 ] && [ "$(body .names.en)" = "Department of Justice of Quang Ninh" ] &&
	[ "$(body .names.vi)" = "Sở Tư pháp tỉnh Quảng Ninh" ] && ok "rename one language" ||
	nok "rename one language ($code)"
auth POST /api/v1/portals/sotuphap/scope --data-binary '{"inherit":false}'
[ "$code" = 200 ] && [ "$(ids "$CHO&portal=sotuphap")" = p-tuphap-cho ] &&
	ok "scope: without the province's documents" || nok "scope inherit=false ($code)"

# --- CLI --------------------------------------------------------------------
V portal show honghai.halong >"$tmp/show" 2>&1
[ "$(jq -r .current "$tmp/show")" = honggai.halong ] && ok "vanban portal show: current" ||
	nok "vanban portal show ($(head -3 "$tmp/show"))"
V portal list >"$tmp/list" 2>&1
grep -q '^hongha.halong *commune *merged *honggai.halong ' "$tmp/list" && ok "vanban portal list" ||
	nok "vanban portal list ($(cat "$tmp/list"))"
V portal retire dulich >"$tmp/out" 2>&1 && [ "$(jq -r .current "$tmp/out")" = quangninh ] &&
	ok "vanban portal retire: leads to the province" || nok "vanban portal retire ($(cat "$tmp/out"))"
V portal merge quangninh --into quangninh >"$tmp/out" 2>&1; st=$?
[ $st = 1 ] && ok "vanban portal: a refused change exits 1" || nok "refused change exit status ($st)"
V portal import "$FX/portals.tsv" >"$tmp/out" 2>&1
grep -q "^0 created, 1 updated, 4 unchanged" "$tmp/out" && ok "re-import: the file wins for active portals (sotuphap), merged ones are left alone" ||
	nok "re-import after the merge ($(cat "$tmp/out"))"
V portal show sotuphap >"$tmp/show" 2>&1
[ "$(jq -r .names.en "$tmp/show")" = "Department of Justice" ] && [ "$(jq -r .inherit "$tmp/show")" = false ] &&
	ok "re-import: the file's fields come back, what it does not say (inherit) stays" ||
	nok "re-import keeps what the file does not say ($(jq -c '{names, inherit}' "$tmp/show"))"

vbd_stop
[ "$vbd_status" = 0 ] && ok "vanband stopped cleanly" || nok "vanband stopped cleanly ($vbd_status)"
echo "1..$n"
