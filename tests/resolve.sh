#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of the citation resolver and of completion, against a
# throwaway PostgreSQL holding the bundled sample (data/sample/
# documents.jsonl, 431 real documents) and the running vanband:
#  - migration 002 backfills the folded titles and is applied once;
#  - /api/v1/resolve: every spelling of 05/2023/QĐ-UBND from issue 2 finds
#    it; 2828/QĐ-UBND (Quảng Trị and TP.HCM) is ambiguous with both
#    candidates and what tells them apart, and the date or the issuer of a
#    citation picks one; a contradicting date is never a silent pick; an
#    unknown number is not_found; "parsed" is in every answer; 400s;
#  - /api/v1/suggest: accented and unaccented title prefixes, number
#    prefixes (also form first), limit bounds, no duplicates, LIKE
#    metacharacters, 400s.

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-resolve.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

sql() { psql "$VANBAN_DB" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

vanban --data-dir "$tmp/data" migrate >"$tmp/migrate.log" 2>&1 || { sed 's/^/# /' "$tmp/migrate.log"; bail "migrate"; }
vanban --data-dir "$tmp/data" import "$VB_SRCDIR/data/sample/documents.jsonl" >"$tmp/import.log" 2>&1 ||
	{ tail -n 20 "$tmp/import.log" | sed 's/^/# /'; bail "could not import the sample"; }

# --- the migration ---
is "002_lookup is recorded" "$(sql "select name from schema_migrations where version = 2")" "002_lookup.sql"
is "every title has its folded form" \
	"$(sql "select count(*) from documents where abstract is not null and abstract_folded is null")" 0
is "the folded title of 05/2023/QĐ-UBND" \
	"$(sql "select abstract_folded from documents where number = '05/2023/QĐ-UBND'")" \
	"ban hanh quy che to chuc va quan ly hoat dong cua cong thong tin dien tu tinh quang ninh"
is "SQL and C fold NFD and Ð alike" \
	"$(sql "select vb_fold_words(E'Quye\\u0302\\u0301t \\u0111i\\u0323nh s\\u00d0 05/2023  (QĐ)')")" \
	"quyet dinh sd 05 2023 qd"
vanban --data-dir "$tmp/data" migrate >"$tmp/migrate2.log" 2>&1
nmig=$(ls "$VB_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql | wc -l)
is "migrating again applies nothing" "$?:$(sql "select count(*) from schema_migrations")" "0:$nmig"
sql "update documents set abstract = 'Về Cổng Thông Tin' where number = '3730/UBND-NC'"
is "an update keeps the folded title current" \
	"$(sql "select abstract_folded from documents where number = '3730/UBND-NC'")" "ve cong thong tin"

vbd_start --no-indexer || bail "vanband did not start"

# rget CITATION: GET /api/v1/resolve?citation=CITATION
rget() { code=$(curl -s -G -o "$tmp/body" -w '%{http_code}' --data-urlencode "citation=$1" "$base/api/v1/resolve"); }
# sget Q [LIMIT]
sget() {
	if [ $# -gt 1 ]; then
		code=$(curl -s -G -o "$tmp/body" -w '%{http_code}' --data-urlencode "q=$1" --data-urlencode "limit=$2" "$base/api/v1/suggest")
	else
		code=$(curl -s -G -o "$tmp/body" -w '%{http_code}' --data-urlencode "q=$1" "$base/api/v1/suggest")
	fi
}
body() { jq -r "$1" "$tmp/body"; }

qn=$(sql "select id from documents where number = '05/2023/QĐ-UBND'")
qt=$(sql "select id from documents where number = '2828/QĐ-UBND' and issuer like '%Quảng Trị'")
hcm=$(sql "select id from documents where number = '2828/QĐ-UBND' and issuer like '%Hồ Chí Minh'")
[ -n "$qn" ] && [ -n "$qt" ] && [ -n "$hcm" ] || bail "the sample lacks the documents this test needs"

# --- resolve: found ---
rget "Quyết định số 05/2023/QĐ-UBND ngày 16/02/2023 của UBND tỉnh Quảng Ninh"
is "a full citation is found (200)" "$code:$(body .status)" "200:found"
is "found: the right document" "$(body .document.id)" "$qn"
is "found: the document has uri, number, issuer, date, status, abstract" \
	"$(body '.document | [.uri, .number, .issuer, .issue_date, .status, (.abstract|.[0:8])] | join("|")')" \
	"/documents/$qn|05/2023/QĐ-UBND|UBND tỉnh Quảng Ninh|2023-02-16|in_force|Ban hành"
is "parsed: what was understood" \
	"$(body '.parsed | [.form, .number, .number_key, .issue_date, .issuer] | join("|")')" \
	"Quyết định|05/2023/QĐ-UBND|5/2023/QD-UBND|2023-02-16|UBND tỉnh Quảng Ninh"
is "match is exact" "$(body .match)" "exact"

for spelling in "05/2023/QĐ-UBND" "5/2023/QD-UBND" "05/2023/qđ-ubnd" "05/2023/QÐ-UBND" \
		"05 /2023/ QĐ - UBND" "QĐ 05/2023" "Quyết định số 05/2023" \
		"Quyết định so 05/2023/QĐ-UBND ngày 16 tháng 02 năm 2023 của Ủy ban nhân dân tỉnh Quảng Ninh"; do
	rget "$spelling"
	is "\"$spelling\" resolves to 05/2023/QĐ-UBND" "$code:$(body .status):$(body .document.id)" "200:found:$qn"
done
rget "QĐ 05/2023"
is "a form written first matches as a prefix" "$(body '.match + ":" + .parsed.number_key + ":" + (.parsed.number_partial|tostring)')" \
	"prefix:5/2023/QD:true"
rget "$(printf 'Quye\314\202\314\201t \304\221i\314\243nh so\314\202\314\201 05/2023/Q\303\220-UBND')"
is "an NFD citation with Ð is found" "$(body .status):$(body .document.id)" "found:$qn"

# --- resolve: a shared number ---
rget "2828/QĐ-UBND"
is "2828/QĐ-UBND is ambiguous (200)" "$code:$(body .status)" "200:ambiguous"
is "both candidates are listed" "$(body '[.candidates[].id] | sort | map(tostring) | join(",")')" \
	"$(printf '%s\n%s\n' "$qt" "$hcm" | sort -n | paste -sd, -)"
is "what tells them apart: issuer and issue_date" "$(body '.distinguish_by | join(",")')" "issuer,issue_date"
is "candidates carry id, uri, number, form, issuer, issue_date, status, abstract" \
	"$(body '[.candidates[0] | has("id","uri","number","form","issuer","issue_date","status","abstract")] | all')" true
check "no document is picked" jq -e 'has("document") | not' "$tmp/body"
rget "Quyết định số 2828/QĐ-UBND ngày 27/11/2025"
is "the date picks Quảng Trị" "$(body .status):$(body .document.id)" "found:$qt"
rget "Quyết định số 2828/QĐ-UBND của UBND thành phố Hồ Chí Minh"
is "the issuer picks TP.HCM" "$(body .status):$(body .document.id)" "found:$hcm"
rget "2828/QĐ-UBND của UBND TP. Hồ Chí Minh"
is "an abbreviated issuer picks TP.HCM" "$(body .status):$(body .document.id)" "found:$hcm"
rget "2828/QĐ-UBND ngày 01/01/2020"
is "a date that fits neither: still ambiguous, never a silent pick" \
	"$(body '.status + ":" + (.candidates|length|tostring) + ":" + (.conflicts|join(","))')" "ambiguous:2:issue_date"
rget "05/2023/QĐ-UBND ngày 01/01/2020"
is "a single document contradicting the date is not silently picked" \
	"$(body '.status + ":" + (.candidates|length|tostring) + ":" + (.conflicts|join(","))')" "ambiguous:1:issue_date"
rget "110/2025/TT-BTC"
is "two records of one circular: ambiguous, told apart by their titles" \
	"$(body '.status + ":" + (.distinguish_by|join(","))')" "ambiguous:abstract"

# --- resolve: partial and not found ---
rget "Quyết định số 2828/QĐ-UBT ngày 27/11/2025"
is "a wrong issuer part, confirmed by the date: found through number + type" \
	"$(body '.status + ":" + .match')" "found:partial"
rget "Quyết định số 99999/2099/QĐ-UBND"
is "an unknown number is not_found (200)" "$code:$(body .status)" "200:not_found"
is "not_found still says what was parsed" "$(body .parsed.number_key)" "99999/2099/QD-UBND"
rget "cổng thông tin điện tử"
is "a citation without a number is not_found" "$(body '.status + ":" + (.parsed.number_key|tostring)')" "not_found:null"

# --- resolve: errors ---
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/resolve")
is "no citation is 400 naming it" "$code:$(body .error.parameter)" "400:citation"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/resolve?citation=")
is "an empty citation is 400" "$code:$(body .error.parameter)" "400:citation"
rget "$(head -c 2049 /dev/zero | tr '\0' a)"
is "a citation over 2048 bytes is 400" "$code:$(body .error.parameter)" "400:citation"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/resolve?citation=1&citation=2")
is "citation given twice is 400" "$code:$(body .error.parameter)" "400:citation"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/resolve?citation=1&x=2")
is "an unknown parameter is 400 naming it" "$code:$(body .error.parameter)" "400:x"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/resolve?citation=%FF%FE")
is "invalid UTF-8 is 400" "$code:$(body .error.parameter)" "400:citation"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$base/api/v1/resolve")
is "POST is 405" "$code" 405

# --- suggest ---
S=/api/v1/suggest
sget "cong thong"
is "suggest 200" "$code" 200
check "an unaccented prefix completes the Cổng thông tin title" \
	jq -e --argjson id "$qn" 'any(.results[]; .id == $id and .kind == "title")' "$tmp/body"
ids=$(body '[.results[] | select(.kind == "title") | .id] | join(",")')
is "every title result has a word starting with the prefix" \
	"$(sql "select count(*) from documents where id in (${ids:-0}) and abstract_folded !~ '(^| )cong thong'"):$([ -n "$ids" ] && echo some)" "0:some"
is "results have id, uri, number, form, abstract, issue_date, kind, label" \
	"$(body '[.results[] | has("id","uri","number","form","abstract","issue_date","kind","label")] | all')" true
sget "cổng thông"
check "an accented prefix completes it too" \
	jq -e --argjson id "$qn" 'any(.results[]; .id == $id)' "$tmp/body"
is "and the exact spelling comes first" "$(body '.results[0].id')" "$qn"
sget "CONG THONG TIN DIEN TU TINH QUANG NINH"
is "case does not matter" "$(body '.results[0].id')" "$qn"
sget "ban hanh quy che to chuc va quan ly hoat dong cua cong"
is "a long prefix from the first word" "$(body '.results[0].id')" "$qn"

sget "05/2023/QĐ"
is "a number prefix completes the number first" "$(body '.results[0] | .kind + ":" + .number')" "number:05/2023/QĐ-UBND"
check "the label shows number and title" jq -e '.results[0].label | startswith("05/2023/QĐ-UBND – Ban hành")' "$tmp/body"
sget "5/2023/qd"
is "any spelling of the number prefix" "$(body '.results[0].number')" "05/2023/QĐ-UBND"
sget "2828/QĐ"
is "2828/QĐ completes both documents" \
	"$(body '[.results[] | select(.kind == "number") | .id] | sort | map(tostring) | join(",")')" \
	"$(printf '%s\n%s\n' "$qt" "$hcm" | sort -n | paste -sd, -)"
sget "QĐ 05/20"
is "a form written first completes the number" "$(body '[.results[] | select(.kind == "number") | .number] | join(",")')" "05/2023/QĐ-UBND"
sget "QĐ 05"
is "a whole number typed comes before longer numbers" "$(body '.results[0].number')" "05/2023/QĐ-UBND"
sget "05/"
check "a trailing slash limits to numbers 5/..." \
	jq -e '[.results[] | select(.kind == "number") | .number | test("^0*5/")] | length > 0 and all' "$tmp/body"

sget "quyet" 1
is "limit=1 gives one result" "$code:$(body '.results | length')" "200:1"
sget "quyet" 20
is "limit=20 gives up to 20 results" "$code:$(body '.results | length <= 20 and length > 8')" "200:true"
sget "quyet"
is "the default limit is 8" "$(body '.results | length')" 8
sget "quyet" 20
is "no document twice" "$(body '[.results[].id] | length == (unique | length)')" true
for bad in 0 21 abc -1 1.5; do
	sget "quyet" "$bad"
	is "limit=$bad is 400 naming limit" "$code:$(body .error.parameter)" "400:limit"
done
sget ""
is "an empty q answers an empty list" "$code:$(body '.results | length')" "200:0"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base$S")
is "no q answers an empty list" "$code:$(body '.results | length')" "200:0"
sget "%"
is "a lone % matches nothing (LIKE is escaped)" "$code:$(body '.results | length')" "200:0"
sget "co%ng"
is "% inside q is no wildcard" "$code:$(body '[.results[] | select(.id == '"$qn"')] | length')" "200:0"
sget "$(head -c 257 /dev/zero | tr '\0' a)"
is "q over 256 bytes is 400" "$code:$(body .error.parameter)" "400:q"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base$S?q=a&q=b")
is "q given twice is 400" "$code:$(body .error.parameter)" "400:q"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base$S?q=a&foo=b")
is "an unknown parameter is 400" "$code:$(body .error.parameter)" "400:foo"

# (request ids are random hex digits: left out of the search)
check "the access log has no query strings" sh -c "! { sed 's/request_id=[0-9a-f]*//' '$tmp/daemon.log' | grep -Eq 'citation|cong|2828|q='; }"
vbd_stop
is "vanband exits 0 on SIGTERM (sanitizers clean)" "$vbd_status" 0
[ "$vbd_status" = 0 ] || sed 's/^/# /' "$tmp/daemon.log" | tail -n 40

echo "1..$n"
