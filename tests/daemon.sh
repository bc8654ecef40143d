#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of vanband against a throwaway PostgreSQL and a real index
# built from tests/fixtures/daemon/manifest.jsonl: search with and without
# diacritics, filters, facet counts, paging, sorting, the document JSON,
# the query language's warnings, "did you mean", the synonyms=0 and
# prefer_in_force switches (API, HTML page and `vanban search`), a missing
# synonym file, errors (400 naming the parameter, 404, 405, 414), file download with
# Range / ETag / Content-Disposition, the HTML pages, security headers, a
# 2 MB query string refused cleanly, and a clean stop on SIGTERM.

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-daemon.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

vbd_load || bail "could not load the fixture (migrate / import / index)"
VANBAN_SYNONYMS="$VB_SRCDIR/data/synonyms.tsv"; export VANBAN_SYNONYMS
vbd_start --no-indexer || bail "vanband did not start"

# get PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
get() {
	p=$1; shift
	code=$(curl -s -g -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
body() { jq -r "$1" "$tmp/body"; }
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
S=/api/v1/search

# --- health and search ---
get /healthz
is "healthz 200" "$code" 200
is "healthz reports database and index ok" "$(body '.database + "," + .index')" "ok,ok"

get "$S?per_page=100"
is "match-all search 200" "$code" 200
is "all 5 fixture documents are indexed" "$(body .total)" 5
is "form facet counts Quyết định 3" "$(body '.facets.form[] | select(.value == "Quyết định") | .count')" 3
is "year facet counts 2025 4" "$(body '.facets.year[] | select(.value == "2025") | .count')" 4
is "status facet has code, label and count" \
	"$(body '.facets.status[] | select(.value == "in_force") | .label + "," + (.count|tostring)')" \
	"Còn hiệu lực,4"
is "issuer facet counts UBND tỉnh Quảng Ninh 3" \
	"$(body '.facets.issuer[] | select(.value == "UBND tỉnh Quảng Ninh") | .count')" 3

get "$S?q=c%E1%BB%95ng%20th%C3%B4ng%20tin%20%C4%91i%E1%BB%87n%20t%E1%BB%AD"
is "accented search (cổng thông tin điện tử) 200" "$code" 200
is "accented search finds 05/2023/QĐ-UBND first" "$(body '.hits[0].number')" "05/2023/QĐ-UBND"
doc=$(body '.hits[0].id')
is "hit uri is /documents/{id}" "$(body '.hits[0].uri')" "/documents/$doc"
is "hit carries metadata and status label" \
	"$(body '.hits[0] | [.form, .issuer, .issue_date, .status, .status_label] | join("|")')" \
	"Quyết định|UBND tỉnh Quảng Ninh|2023-02-16|in_force|Còn hiệu lực"
check "snippet marks the words with their diacritics" grep -q '<mark>Cổng</mark>' "$tmp/body"
check "response has took_ms and relaxed" jq -e '(.took_ms | type == "number") and (.relaxed == false)' "$tmp/body"

get "$S?q=cong+thong+tin+dien+tu"
is "unaccented search finds the same document" "$(body '.hits[0].id')" "$doc"
get "$S?q=05%2F2023%2FQ%C4%90-UBND"
is "search by document number finds it" "$(body '.hits[0].id')" "$doc"

# --- query language, did you mean, ranking switches ---
get "$S?q=%22cong%20thong%20tin"
is "an unclosed quote is not an error: 200" "$code" 200
is "it is reported in query_warnings" "$(body '.query_warnings[0].code')" "syntax"
check "the warning has an English message" jq -e '.query_warnings[0].message | test("quote is not closed")' "$tmp/body"
is "and the words are still searched" "$(body '.hits[0].number')" "05/2023/QĐ-UBND"
get "$S?q=05%2F2023%2FQ%C4%90-UBND"
check "a clean query has query_warnings [] and did_you_mean null" \
	jq -e '.query_warnings == [] and .did_you_mean == null and .relaxed == false' "$tmp/body"
get "$S?q=boi+thuong+ho+tro+tai+dinh+cu"
is "an unaccented query gets did_you_mean with its accents" \
	"$(body '.did_you_mean | .kind + ":" + .query')" "accents:bồi thường hỗ trợ tái định cư"
check "did_you_mean has a total" jq -e '.did_you_mean.total | type == "number"' "$tmp/body"

# A number typed as the whole query goes straight to its document: the API
# names it in number_match, the HTML page answers 303 to the document page.
get "$S?q=05%2F2023%2FQ%C4%90-UBND"
qn_id=$(body '.hits[0].id')
is "a whole-number query names its document in number_match" "$(body '.number_match | map(tostring) | join(",")')" "$qn_id"
get "$S?q=5%2F2023%2Fqd-ubnd"
is "number_match also for another spelling" "$(body '.number_match | map(tostring) | join(",")')" "$qn_id"
get "$S?q=Q%C4%90%2097%2F2025"
is "a form-first number (QĐ 97/2025) matches its document" "$(body '.number_match | length'):$(body '.hits[0].number')" "1:97/2025/QĐ-UBND"
get "$S?q=c%E1%BB%95ng%20th%C3%B4ng%20tin"
is "a plain query has an empty number_match" "$(body '.number_match | length')" "0"
get "/search?q=05%2F2023%2FQ%C4%90-UBND"
is "the search page sends a whole-number query to the document (303)" "$code $(hdr Location)" "303 /documents/$qn_id"
get "/search?q=05%2F2023"
is "a bare number/year (no symbol) stays on the results page" "$code" "200"
get "$S?q=CNTT"
is "abbreviation CNTT finds the document about công nghệ thông tin" "$(body '.total, .hits[0].number' | tr '\n' ' ')" "1 05/2023/QĐ-UBND "
get "$S?q=CNTT&synonyms=0"
is "synonyms=0: CNTT is only its letters (none)" "$code:$(body .total)" "200:0"
get "$S?q=c%C3%B4ng%20ngh%E1%BB%87%20th%C3%B4ng%20tin&synonyms=0"
is "the expanded words find it without synonyms" "$(body '.hits[0].number')" "05/2023/QĐ-UBND"
# Two documents issued the same day, one in force, one of unknown status:
# a date-only query gives them equal relevance.
get "$S?q=ngay%3A2025-11-18&prefer_in_force=1"
is "prefer_in_force=1: the document in force ranks first on a tie" \
	"$code:$(body '.hits[0].number')" "200:21/2025/NQ-HĐND"
get "$S?q=ngay%3A2025-11-18"
is "prefer_in_force defaults to 1" "$(body '.hits[0].number')" "21/2025/NQ-HĐND"
get "$S?q=ngay%3A2025-11-18&prefer_in_force=0"
is "prefer_in_force=0: ties by date only (then index order)" \
	"$code:$(body '[.hits[].number] | join(",")')" "200:980/KH-UBND,21/2025/NQ-HĐND"

# --- the same through `vanban search` ---
vs() { vanban --data-dir "$tmp/data" search "$@" 2>"$tmp/vs.err"; }
vs CNTT >"$tmp/body" && is "vanban search CNTT: 1" "$(body .total)" 1 || nok "vanban search CNTT ran"
vs --no-synonyms CNTT >"$tmp/body" && is "vanban search --no-synonyms CNTT: 0" "$(body .total)" 0 ||
	nok "vanban search --no-synonyms ran"
vs '"cong thong tin' >"$tmp/body"
check "vanban search lists query_warnings" jq -e '.query_warnings[0].code == "syntax"' "$tmp/body"
vs boi thuong ho tro tai dinh cu >"$tmp/body"
is "vanban search has did_you_mean" "$(body '.did_you_mean.kind')" "accents"
vs --prefer-in-force=0 ngay:2025-11-18 >"$tmp/body"
is "vanban search --prefer-in-force=0" "$(body '[.hits[].document.number] | join(",")')" "980/KH-UBND,21/2025/NQ-HĐND"
vs --prefer-in-force 1 ngay:2025-11-18 >"$tmp/body"
is "vanban search --prefer-in-force 1" "$(body '.hits[0].document.number')" "21/2025/NQ-HĐND"
vs --prefer-in-force=yes x >/dev/null
is "vanban search --prefer-in-force=yes fails with status 2" "$?" 2

# --- filters ---
get "$S?form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh"
is "form filter: 3 Quyết định" "$(body .total)" 3
get "$S?form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh&form=K%E1%BA%BF%20ho%E1%BA%A1ch"
is "repeated form filter is OR: 4" "$(body .total)" 4
get "$S?form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh&issuer=UBND%20t%E1%BB%89nh%20Ngh%E1%BB%87%20An"
is "filters on two fields are AND: 0" "$(body .total)" 0
get "$S?year=2023"
is "year filter: 1" "$(body .total)" 1
get "$S?status=unknown"
is "status filter by code: 1" "$(body .total)" 1
get "$S?status=C%C3%B2n%20hi%E1%BB%87u%20l%E1%BB%B1c"
is "status filter by Vietnamese label: 4" "$(body .total)" 4
get "$S?issued_from=2025-01-01"
is "issued_from filter: 4" "$(body .total)" 4
get "$S?issued_from=2025-11-19&issued_to=2025-11-20"
is "issued date range: 1" "$(body '.total, .hits[0].number' | tr '\n' ' ')" "1 97/2025/QĐ-UBND "

# --- paging and sorting ---
get "$S?sort=issued&per_page=2&page=1"
p1=$(body '[.hits[].id] | join(",")')
is "page 1 of 2 per page has 2 hits" "$(body '.hits | length')" 2
is "sort=issued puts the oldest first" "$(body '.hits[0].number')" "05/2023/QĐ-UBND"
get "$S?sort=issued&per_page=2&page=3"
is "page 3 has the last hit" "$(body '.hits | length')" 1
is "page and per_page are echoed" "$(body '"\(.page)/\(.per_page)/\(.total)"')" "3/2/5"
get "$S?sort=issued&per_page=2&page=2"
p2=$(body '[.hits[].id] | join(",")')
check "pages do not overlap" test "$p1" != "$p2" -a -n "$p2"
get "$S?sort=-issued"
is "sort=-issued puts the newest first" "$(body '.hits[0].number')" "98/2025/QĐ-UBND"

# --- errors ---
get "$S?per_page=0"
is "per_page=0 is 400" "$code" 400
is "the error names per_page" "$(body '.error.code + ":" + .error.parameter')" "invalid:per_page"
check "the error message says what is allowed" grep -q "per_page must be an integer from 1 to 100" "$tmp/body"
for bad in "page=0:page" "page=abc:page" "per_page=101:per_page" "sort=date:sort" "year=23:year" \
	   "status=bogus:status" "issued_from=2023-02-30:issued_from" "issued_to=16%2F02%2F2023:issued_to" \
	   "frobnicate=1:frobnicate" "q=%FF%FE:q" "prefer_in_force=2:prefer_in_force" \
	   "prefer_in_force=yes:prefer_in_force" "synonyms=no:synonyms" "synonyms=0&synonyms=1:synonyms"; do
	get "$S?${bad%%:*}"
	is "${bad%%:*} is 400 naming ${bad##*:}" "$code:$(body .error.parameter)" "400:${bad##*:}"
done
get /api/v1/documents/999999
is "unknown document is 404 JSON" "$code:$(body .error.code)" "404:not_found"
get /api/v1/documents/abc
is "non-numeric document id is 404" "$code" 404
get /no/such/path
is "unknown path is 404" "$code" 404
get "$S" -X POST -d 'q=x'
is "POST is 405" "$code" 405
check "405 says which methods are allowed" grep -qi "^Allow: GET, HEAD" "$tmp/hdr"
get "$S" -X DELETE
is "DELETE is 405" "$code" 405
long=$(head -c 9000 /dev/zero | tr '\0' a)
get "$S?q=$long"
is "a 9 KB URL is 414" "$code" 414

# --- documents and files ---
get "/api/v1/documents/$doc"
is "document JSON 200" "$code" 200
is "document has signers, fields and status" \
	"$(body '[.signers[0].name, .fields[0], .status_label] | join("|")')" \
	"Cao Tường Huy|Công nghệ thông tin|Còn hiệu lực"
check "document carries its full text" jq -e '.text | contains("Điều 1. Ban hành kèm theo Quyết định này")' "$tmp/body"
furl=$(body '.files[0].url')
is "file has a download URL" "$furl" "/api/v1/documents/$doc/files/0"
sha=$(body '.files[0].sha256')
get "/api/v1/documents/$doc?x=1"
is "unknown parameter on a document is 400" "$code" 400

get "$furl"
is "file download 200" "$code" 200
check "downloaded bytes equal the original" cmp -s "$tmp/body" "$VB_SRCDIR/tests/fixtures/daemon/quyche.txt"
is "file Content-Type" "$(hdr Content-Type)" "text/plain"
is "file ETag is the quoted sha256" "$(hdr ETag)" "\"$(sha256sum "$VB_SRCDIR/tests/fixtures/daemon/quyche.txt" | cut -c1-64)\""
is "sha256 in the JSON matches the ETag" "\"$sha\"" "$(hdr ETag)"
is "Accept-Ranges: bytes" "$(hdr Accept-Ranges)" "bytes"
is "Content-Disposition has an ASCII fallback and the UTF-8 name" "$(hdr Content-Disposition)" \
	"attachment; filename=\"Quy ch_ C_ng TT_T _05_.txt\"; filename*=UTF-8''Quy%20ch%E1%BA%BF%20C%E1%BB%95ng%20TT%C4%90T%20%2205%22.txt"
size=$(wc -c <"$VB_SRCDIR/tests/fixtures/daemon/quyche.txt" | tr -d ' ')
get "$furl" -H "Range: bytes=0-9"
is "Range: bytes=0-9 is 206" "$code" 206
is "206 Content-Range" "$(hdr Content-Range)" "bytes 0-9/$size"
is "206 body is the 10 bytes" "$(cat "$tmp/body")" "$(head -c 10 "$VB_SRCDIR/tests/fixtures/daemon/quyche.txt")"
get "$furl" -H "Range: bytes=-5"
is "suffix range gives the last 5 bytes" "$code:$(wc -c <"$tmp/body" | tr -d ' ')" "206:5"
get "$furl" -H "Range: bytes=999999-"
is "unsatisfiable range is 416" "$code:$(hdr Content-Range)" "416:bytes */$size"
get "$furl" -H "If-None-Match: \"$sha\""
is "If-None-Match with the ETag is 304" "$code" 304
code=$(curl -s -I -o "$tmp/hdr" -w '%{http_code}' "$base$furl")
is "HEAD on a file is 200 with the length" "$code:$(hdr Content-Length)" "200:$size"
get "/api/v1/documents/$doc/files/1"
is "file index past the end is 404" "$code" 404

# --- HTML ---
get /
is "home page 200" "$code" 200
check "home page is Vietnamese HTML" grep -q '<html lang="vi">' "$tmp/body"
check "home page has a labelled search box" grep -q '<label for="q">' "$tmp/body"
check "home page has header, nav and main landmarks" sh -c "grep -q '<header' '$tmp/body' && grep -q '<nav' '$tmp/body' && grep -q '<main' '$tmp/body'"
is "pages send a CSP" "$(hdr Content-Security-Policy | cut -d';' -f1)" "default-src 'self'"
is "pages send nosniff" "$(hdr X-Content-Type-Options)" "nosniff"
check "pages send a Referrer-Policy" test -n "$(hdr Referrer-Policy)"
get "/search?q=cong+thong+tin&form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh"
is "search page 200" "$code" 200
check "search page lists the document" grep -q "05/2023/QĐ-UBND" "$tmp/body"
check "search page links to the document" grep -q "href=\"/documents/$doc\"" "$tmp/body"
check "search page shows the snippet" grep -q "<mark>" "$tmp/body"
check "search page shows the total" grep -q "Tìm thấy <strong>1</strong>" "$tmp/body"
check "facet links carry counts" grep -q 'class="count">(1)' "$tmp/body"
check "the active filter is a checked checkbox" grep -q 'name="form" value="Quyết định" checked' "$tmp/body"
get "/search?per_page=2&sort=issued"
check "search page has paging links" grep -q 'rel="next" href="/search?sort=issued&amp;per_page=2&amp;page=2"' "$tmp/body"
get "/search?q=%22cong+thong+tin"
is "search page with an unclosed quote is 200" "$code" 200
check "search page explains the warning in Vietnamese" grep -q "Thiếu dấu ngoặc kép đóng: đã tìm theo các từ đã nhập." "$tmp/body"
get "/search?q=boi+thuong+ho+tro+tai+dinh+cu&form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh"
check "search page offers did you mean as a link keeping the filters" grep -q \
	'Có phải bạn muốn tìm: <a href="/search?q=b%E1%BB%93i%20th%C6%B0%E1%BB%9Dng%20h%E1%BB%97%20tr%E1%BB%A3%20t%C3%A1i%20%C4%91%E1%BB%8Bnh%20c%C6%B0&amp;form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh">bồi thường hỗ trợ tái định cư</a>' "$tmp/body"
get "/search?per_page=2&sort=issued&synonyms=0&prefer_in_force=0"
check "paging links keep the ranking switches" grep -q 'rel="next" href="/search?sort=issued&amp;prefer_in_force=0&amp;synonyms=0&amp;per_page=2&amp;page=2"' "$tmp/body"
check "the search form keeps them as hidden fields" sh -c "grep -q '<input type=\"hidden\" name=\"synonyms\" value=\"0\">' '$tmp/body' && grep -q '<input type=\"hidden\" name=\"prefer_in_force\" value=\"0\">' '$tmp/body'"
get "/search?per_page=2&sort=issued&in_force_on=2024-01-01&lang=en"
check "the search form has a labelled in-force date" grep -q '<label for="in_force_on">In force on</label><input type="date" id="in_force_on" name="in_force_on" value="2024-01-01">' "$tmp/body"
check "the language links keep in_force_on" grep -q 'href="/search?in_force_on=2024-01-01&amp;sort=issued&amp;per_page=2&amp;lang=vi"' "$tmp/body"
get "/search?synonyms=2"
is "search page with synonyms=2 is 400 naming it" "$code:$(grep -c '“synonyms”' "$tmp/body")" "400:1"
get "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
check "the query is escaped in the page" sh -c "grep -q '&lt;script&gt;alert' '$tmp/body' && ! grep -q '<script>alert' '$tmp/body'"
get "/search?per_page=500"
is "search page with a bad parameter is 400" "$code" 400
get "/documents/$doc"
is "document page 200" "$code" 200
for label in "Hình thức" "Thẩm quyền ban hành" "Số ký hiệu" "Ngày ban hành" "Ngày có hiệu lực" \
	     "Ngày hết hiệu lực" "Trích yếu" "Người ký" "Lĩnh vực" "Tình trạng hiệu lực"; do
	check "document page shows $label" grep -q "<dt>$label</dt>" "$tmp/body"
done
check "document page shows the signer and the date" sh -c "grep -q 'Cao Tường Huy' '$tmp/body' && grep -q '16/02/2023' '$tmp/body'"
check "document page links the file" grep -q "href=\"$furl\"" "$tmp/body"
check "document page has the full text" grep -q "Điều 1. Ban hành kèm theo Quyết định này" "$tmp/body"
get /documents/999999
is "unknown document page is 404" "$code" 404
get /static/style.css
is "style sheet 200 as text/css" "$code:$(hdr Content-Type)" "200:text/css; charset=utf-8"
check "style sheet is cacheable" sh -c "hdr() { grep -i \"^\$1:\" '$tmp/hdr'; }; hdr Cache-Control | grep -q max-age && hdr ETag | grep -q ."
get /api/v1/openapi.json
is "openapi.json 200" "$code" 200
is "openapi.json is an OpenAPI 3.0 document" "$(body .openapi | cut -c1-3)" "3.0"

# --- a 2 MB query string is refused and the daemon keeps answering ---
# (-G --data-urlencode q@FILE: the URL is too long for a command line)
head -c 2097152 /dev/zero | tr '\0' a >"$tmp/big"
code=$(curl -s -o /dev/null -w '%{http_code}' -G --data-urlencode "q@$tmp/big" "$base$S")
case $code in
4*|000) ok "a 2 MB query string is refused ($code)" ;;
*) nok "a 2 MB query string is refused (got $code)" ;;
esac
check "the daemon is still running" kill -0 "$vbd_pid"
get /healthz
is "and still answers" "$code" 200

# --- logs and stop ---
check "the access log has method, route, status and time" grep -Eq "request method=GET route=/api/v1/search status=200 bytes=[0-9]+ duration_ms=[0-9.]+ " "$tmp/daemon.log"
check "the access log has no query strings" sh -c "! grep -Eq 'cong|thong|per_page|q=' '$tmp/daemon.log'"
vbd_stop
is "vanband exits 0 on SIGTERM (sanitizers clean)" "$vbd_status" 0
[ "$vbd_status" = 0 ] || sed 's/^/# /' "$tmp/daemon.log" | tail -n 40

# --- many clients on few workers, and a stop with requests in flight ---
# The GET routes run on dispatch.c's workers (--threads 2 here) while MHD's
# threads park the connections.  8 clients x 25 requests, each client over
# one keep-alive connection: every request answered 200.  Then SIGTERM while
# clients keep sending: the workers finish what is queued and resume every
# parked connection, and the daemon exits 0 (MHD panics if asked to stop
# with a connection still parked).
vbd_start --no-indexer --no-migrate || bail "vanband did not start again"
urls=
for i in $(seq 25); do
	urls="$urls $base$S?q=c%E1%BB%95ng+th%C3%B4ng+tin&page=$((i % 3 + 1))"
done
pids=
for c in 1 2 3 4 5 6 7 8; do
	curl -s -w '%{stderr}%{http_code}\n' $urls >/dev/null 2>"$tmp/codes.$c" &
	pids="$pids $!"
done
wait $pids
is "8 clients x 25 requests on 2 workers: all 200" \
	"$(cat "$tmp"/codes.* | sort | uniq -c | tr -s ' ')" " 200 200"
rm -f "$tmp"/codes.*
pids=
for c in 1 2 3 4 5 6 7 8; do
	(for r in 1 2 3 4 5 6 7 8 9 10; do curl -s $urls; done) >/dev/null 2>&1 &
	pids="$pids $!"
done
sleep 0.5
kill -TERM "$vbd_pid"
i=0
while kill -0 "$vbd_pid" 2>/dev/null && [ $i -lt "$([ -n "${VB_DAEMON_WRAPPER:-}" ] && echo 1200 || echo 300)" ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$vbd_pid" 2>/dev/null; then
	nok "vanband stops on SIGTERM with clients sending (still running)"
	kill -KILL "$vbd_pid"
else
	ok "vanband stops on SIGTERM with clients sending"
fi
wait "$vbd_pid"
is "and exits 0 (nothing left parked)" "$?" 0
kill $pids 2>/dev/null
wait $pids 2>/dev/null
check "no panic in the log" sh -c "! grep -qi 'suspended\|panic' '$tmp/daemon.log'"
vbd_pid=

# --- no index yet: 503, not a crash ---
rm -rf "$tmp/data/index" "$tmp/data"/index.*
vbd_start --no-indexer --no-migrate || bail "vanband did not start without an index"
get "$S?q=x"
is "search without an index is 503 JSON" "$code:$(body .error.code)" "503:unavailable"
get /healthz
is "healthz names the index as down" "$code:$(body .index)" "503:down"
get /
is "home page without an index is 503 with a message" "$code" 503
vbd_stop
is "vanband exits 0 after serving without an index" "$vbd_status" 0

# --- with the indexer thread: it creates the index, applies new jobs, and
# the workers see its commits and a reindex swap without a restart ---
sql() { psql "$VANBAN_DB" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
sql "insert into index_outbox (document_id, version) select id, version from documents" ||
	bail "could not queue index jobs"
# ... and with a synonym file that does not exist: search goes on without.
VANBAN_SYNONYMS="$tmp/no-such-synonyms.tsv"
vbd_start || bail "vanband did not start with the indexer"
wait_total() { # wait_total N QUERY: up to 15 s for the search to reach N
	i=0
	while [ $i -lt 150 ]; do
		get "$S?per_page=1$2"
		[ "$code" = 200 ] && [ "$(body .total)" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check "the indexer thread builds the index and search sees 5 documents" wait_total 5
sql "insert into documents (source, source_id, number, form, issuer, issue_date, abstract, status, body, content_hash)
     values ('fixture', 'late', '01/2024/CT-UBND', 'Chỉ thị', 'UBND tỉnh Quảng Ninh', '2024-01-05',
             'Về tăng cường phòng chống thiên tai', 'in_force', 'Phòng chống bão lũ trên địa bàn tỉnh.', 'x')"
# 980/KH-UBND already matches "thiên tai" through its folded "thiện ... tại",
# so the count alone cannot tell the new document apart: wait for all 6, then
# the new one must rank first (its diacritics match exactly).
check "a document committed later is found without a restart" wait_total 6
get "$S?q=CNTT"
is "a missing synonym file: search answers, without expansion" "$code:$(body .total)" "200:0"
get "$S?q=UBND"
is "the missing synonym file is logged once" "$(grep -c 'no-such-synonyms.tsv' "$tmp/daemon.log")" 1
get "$S?q=thi%C3%AAn%20tai"
is "the late document ranks first for its exact words" "$code:$(body '.hits[0].number')" "200:01/2024/CT-UBND"
if vanban --data-dir "$tmp/data" reindex >"$tmp/reindex.log" 2>&1; then
	check "after a reindex swap search still finds all 6" wait_total 6
	get /healthz
	is "healthz ok after the swap" "$code" 200
else
	nok "vanban reindex ran"; sed 's/^/# /' "$tmp/reindex.log"
fi
vbd_stop
is "vanband stops the indexer and exits 0 on SIGTERM" "$vbd_status" 0

echo "1..$n"
