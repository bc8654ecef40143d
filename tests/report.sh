#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The yearly report and the usage counters, black-box: the bundled sample
# (data/sample, 431 documents) is imported into a throwaway PostgreSQL,
# vanband runs with a 1-second flush, searches (API and HTML page, typed
# several ways), document views and downloads are made, the counters reach
# PostgreSQL while the daemon runs, and then:
#  - the counts in the database are exactly the requests made (page 2, HEAD,
#    a search feed and a continuation range are not counted), no IP address, user agent
#    or token is stored anywhere in the activity tables;
#  - /metrics shows the searches, zero-result searches, downloads, views,
#    documents per source and the flushes;
#  - GET /api/v1/report needs the token (401 without, 401 wrong), answers
#    JSON, CSV and HTML (own CSP), refuses a bad year and unknown parameters;
#  - `vanban report --year Y` as CSV has the counts per form, month and
#    issuer that SQL gives, JSON validates with jq, HTML is well-formed
#    (xmllint --html) with the SVG charts and the right number of bars;
#  - top queries respect K (a query searched twice is not listed, three
#    times is), queries that found nothing are listed;
#  - the report of one portal (data/portals.tsv) counts its documents (by
#    the issuers of its scope) and its searches only; an unknown portal is
#    an error naming it;
#  - --purge with the retention (30 days here) removes old query texts only.

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl python3; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-report.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

TOKEN=report-test-token-1234
cat >"$tmp/vanban.conf" <<EOF
activity_flush_seconds = 1
activity_min_count = 3
activity_query_days = 30
api_token = $TOKEN
EOF
export VANBAN_CONFIG="$tmp/vanban.conf"

sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$VANBAN_DB" -c "$1"; }

vanban --data-dir "$tmp/data" migrate >"$tmp/migrate.log" 2>&1 || bail "migrate failed"
vanban --data-dir "$tmp/data" import "$VB_SRCDIR/data/sample/documents.jsonl" >"$tmp/import.log" 2>&1 ||
	{ cat "$tmp/import.log" >&2; bail "import of the sample failed"; }
vanban --data-dir "$tmp/data" index >"$tmp/index.log" 2>&1 || bail "index failed"
is "the sample is imported" "$(sql 'SELECT count(*) FROM documents')" 431
vanban --data-dir "$tmp/data" portal import "$VB_SRCDIR/data/portals.tsv" >"$tmp/portals.log" 2>&1 ||
	{ cat "$tmp/portals.log" >&2; bail "could not import data/portals.tsv"; }
vbd_start --no-indexer || bail "vanband did not start"

# get PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
get() {
	p=$1; shift
	code=$(curl -s -g -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
zero=0
searches=0
# search QUERYSTRING: an API search; counts it and whether it found nothing
search() {
	get "/api/v1/search?$1"
	[ "$code" = 200 ] || nok "search $1 answered $code"
	searches=$((searches + 1))
	[ "$(jq -r .total "$tmp/body")" = 0 ] && zero=$((zero + 1))
	return 0
}

# "quyết định" typed four ways: one query text.
search 'q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh'
search 'q=Quy%E1%BA%BFt++%C4%90%E1%BB%8Bnh'
search 'q=QUY%E1%BA%BET+%C4%90%E1%BB%8ANH'
search 'q=+quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh%2C'
# "cổng thông tin": twice by the API, once on the HTML page = 3 (K).
search 'q=c%E1%BB%95ng+th%C3%B4ng+tin'
search 'q=C%E1%BB%95ng+th%C3%B4ng+tin'
get '/search?q=c%E1%BB%95ng+th%C3%B4ng+tin'
is "the HTML search page answers" "$code" 200
searches=$((searches + 1))
# a name searched twice (below K=3): never listed
search 'q=tr%E1%BA%A7n+b%C3%ACnh+minh'
search 'q=tr%E1%BA%A7n+b%C3%ACnh+minh'
# three searches that find nothing
search 'q=xyzzyqwv'
search 'q=xyzzyqwv'
search 'q=XYZZYQWV'
# browsing by a filter only: a search without query text
search 'form=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh'
# on the province portal: counted under its id
search 'q=quy+ch%E1%BA%BF&portal=quangninh'
search 'q=quy+ch%E1%BA%BF&portal=quangninh'
search 'q=quy+ch%E1%BA%BF&portal=quangninh'
# not counted: page 2, HEAD
get '/api/v1/search?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&page=2'
is "page 2 answers" "$code" 200
get '/api/v1/search?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh' -I
is "HEAD search answers" "$code" 200
# nor a feed reader polling a saved search
get '/feeds/search.atom?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh'
is "the search feed answers" "$code" 200
is "three searches found nothing" "$zero" 3

# views and downloads
doc=$(sql "SELECT document_id FROM document_files ORDER BY document_id LIMIT 1")
[ -n "$doc" ] || bail "the sample has no document with a file"
get "/api/v1/documents/$doc"
is "document record" "$code" 200
get "/documents/$doc"
is "document page" "$code" 200
get "/api/v1/documents/$doc" -I
get "/api/v1/documents/$doc/files/0"
is "download" "$code" 200
get "/api/v1/documents/$doc/files/0" -H 'Range: bytes=0-99'
is "download of the first range" "$code" 206
get "/api/v1/documents/$doc/files/0" -H 'Range: bytes=100-199'
is "a continuation range" "$code" 206
get "/api/v1/documents/$doc/files/0" -I
is "HEAD of a file" "$code" 200

# The flusher writes within a second or two, while the daemon runs.
i=0
while [ $i -lt 100 ]; do
	got=$(sql "SELECT coalesce(sum(searches), 0) FROM activity_searches")
	[ "$got" -ge $searches ] && break
	sleep 0.1
	i=$((i + 1))
done
is "every search reached PostgreSQL while the daemon runs" "$got" $searches
is "zero-result searches counted" "$(sql 'SELECT sum(zero_results) FROM activity_searches')" $zero
i=0
while [ $i -lt 50 ]; do
	[ "$(sql 'SELECT coalesce(sum(downloads), 0) FROM activity_documents')" -ge 2 ] && break
	sleep 0.1
	i=$((i + 1))
done
is "downloads: the whole file and the first range, not the continuation nor HEAD" \
	"$(sql "SELECT sum(downloads) FROM activity_documents WHERE document_id = $doc")" 2
is "views: the record and the page, not HEAD" \
	"$(sql "SELECT sum(views) FROM activity_documents WHERE document_id = $doc")" 2
is "'quyết định' typed four ways is one query text with 4 searches" \
	"$(sql "SELECT sum(searches) FROM activity_queries WHERE query = 'quyết định'")" 4
is "the HTML page search counts with the API ones" \
	"$(sql "SELECT sum(searches) FROM activity_queries WHERE query = 'cổng thông tin'")" 3
is "filter-only browsing keeps no query text" \
	"$(sql "SELECT count(*) FROM activity_queries WHERE query = ''")" 0
is "the searches are recorded under today's date" \
	"$(sql "SELECT count(DISTINCT day) FROM activity_searches WHERE day = current_date")" 1

# No personal data: no IP, no user agent, no token, no time of day.
sql "COPY (SELECT * FROM activity_searches) TO STDOUT" >"$tmp/act.txt"
sql "COPY (SELECT * FROM activity_queries) TO STDOUT" >>"$tmp/act.txt"
sql "COPY (SELECT * FROM activity_documents) TO STDOUT" >>"$tmp/act.txt"
[ -s "$tmp/act.txt" ] && ! grep -q -e '127\.0\.0\.1' -e 'curl' -e "$TOKEN" -e '::1' "$tmp/act.txt" &&
	ok "no IP, user agent or token in the activity tables" ||
	nok "no IP, user agent or token in the activity tables"
is "the activity tables have no column for an address, agent or time" \
	"$(sql "SELECT count(*) FROM information_schema.columns WHERE table_name LIKE 'activity_%'
		AND (column_name ~ '(ip|addr|agent|host|time|token|session|user)' OR data_type LIKE 'timestamp%')")" 0
grep -q -e 'xyzzyqwv' -e 'b%C3%ACnh' -e 'bình' "$tmp/daemon.log" "$tmp/daemon.out" &&
	nok "no query text in the daemon's log" || ok "no query text in the daemon's log"

# --- metrics ---
curl -s -o "$tmp/m" "$base/metrics"
value() { awk -v k="$2" '$1 == k { v = $2 } END { print (v == "" ? 0 : v) }' "$1"; }
is "metrics: searches" "$(value "$tmp/m" vanban_searches_total)" $searches
is "metrics: zero-result searches" "$(value "$tmp/m" vanban_searches_zero_results_total)" $zero
is "metrics: downloads" "$(value "$tmp/m" vanban_downloads_total)" 2
is "metrics: views" "$(value "$tmp/m" vanban_document_views_total)" 2
is "metrics: documents of source tvpl" "$(value "$tmp/m" 'vanban_imported_documents{source="tvpl"}')" \
	"$(sql "SELECT count(*) FROM documents WHERE source = 'tvpl'")"
is "metrics: no changes after one import" "$(value "$tmp/m" 'vanban_imported_changes{source="tvpl"}')" 0
[ "$(value "$tmp/m" 'vanban_activity_flushes_total{result="ok"}')" -ge 1 ] &&
	ok "metrics: flushes counted" || nok "metrics: flushes counted"
is "metrics: no failed flush" "$(value "$tmp/m" 'vanban_activity_flushes_total{result="failed"}')" 0
is "metrics: no index queue" "$(value "$tmp/m" vanban_index_queue_oldest_seconds)" 0.000
is "metrics: sync tables present" "$(value "$tmp/m" vanban_sync_available)" 1
is "metrics: no scrape error" "$(value "$tmp/m" vanban_scrape_errors_total)" 0

# --- the report over HTTP ---
year=$(date +%Y)
get "/api/v1/report?year=$year"
is "report without a token is 401" "$code" 401
grep -qi '^www-authenticate: Bearer' "$tmp/hdr" && ok "with WWW-Authenticate" || nok "with WWW-Authenticate"
get "/api/v1/report?year=$year" -H 'Authorization: Bearer wrong'
is "report with a wrong token is 401" "$code" 401
auth="Authorization: Bearer $TOKEN"
get "/api/v1/report?year=$year" -H "$auth"
is "report with the token is 200" "$code" 200
is "JSON report: searches" "$(jq .usage.searches "$tmp/body")" $searches
get "/api/v1/report?year=$year&format=html" -H "$auth"
is "HTML report is 200" "$code" 200
grep -qi '^content-type: text/html' "$tmp/hdr" && ok "HTML report is text/html" || nok "HTML report is text/html"
is "the HTML report has one CSP, without script" \
	"$(grep -ci "^content-security-policy: default-src 'none'; style-src 'unsafe-inline'" "$tmp/hdr")" 1
get "/api/v1/report?year=$year&format=csv" -H "$auth"
grep -qi '^content-type: text/csv' "$tmp/hdr" && ok "CSV report is text/csv" || nok "CSV report is text/csv"
get "/api/v1/report?year=20x6" -H "$auth"
is "a bad year is 400" "$code" 400
is "naming the parameter" "$(jq -r .error.parameter "$tmp/body")" year
get "/api/v1/report?portal=no-such-portal" -H "$auth"
is "an unknown portal is 400" "$code" 400
is "naming the parameter portal" "$(jq -r .error.parameter "$tmp/body")" portal
get "/api/v1/report?portal=quangninh" -H "$auth"
is "the report of one portal is 200" "$code:$(jq -r .portal "$tmp/body")" 200:quangninh
get "/api/v1/report?min_count=1" -H "$auth"
is "min_count cannot be lowered over HTTP (unknown parameter)" "$code" 400
get "/api/v1/report?format=pdf" -H "$auth"
is "an unknown format is 400" "$code" 400
get "/api/v1/report" -H "$auth" -X POST
is "POST is 405" "$code" 405

vbd_stop
is "vanband stopped cleanly" "$vbd_status" 0

# --- vanban report: CSV against SQL ---
# csvget FILE SECTION KEY MEASURE: the value (empty when absent)
csvget() {
	python3 - "$@" <<'EOF'
import csv, sys
f, section, key, measure = sys.argv[1:5]
with open(f, newline='', encoding='utf-8') as fh:
    rows = list(csv.reader(fh))
assert rows[0] == ['section', 'key', 'measure', 'value'], rows[0]
for r in rows[1:]:
    assert len(r) == 4, r
    if r[0] == section and r[1] == key and r[2] == measure:
        print(r[3])
EOF
}
# csvsection FILE SECTION MEASURE: "key<TAB>value" lines
csvsection() {
	python3 - "$@" <<'EOF'
import csv, sys
f, section, measure = sys.argv[1:4]
with open(f, newline='', encoding='utf-8') as fh:
    for r in list(csv.reader(fh))[1:]:
        if r[0] == section and r[2] == measure:
            print(r[1] + '\t' + r[3])
EOF
}
dyear=2025
vanban report --year $dyear --format csv --out "$tmp/docs.csv" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; nok "vanban report --format csv"; }
is "CSV: documents of $dyear" "$(csvget "$tmp/docs.csv" documents total count)" \
	"$(sql "SELECT count(*) FROM documents WHERE issue_date BETWEEN '$dyear-01-01' AND '$dyear-12-31'")"
csvsection "$tmp/docs.csv" documents_by_form count | sort >"$tmp/forms.csv"
sql "SELECT f || E'\t' || count(*) FROM (SELECT coalesce(nullif(form, ''), '?') AS f FROM documents
	WHERE issue_date BETWEEN '$dyear-01-01' AND '$dyear-12-31') x GROUP BY f" | sort >"$tmp/forms.sql"
[ -s "$tmp/forms.sql" ] && cmp -s "$tmp/forms.csv" "$tmp/forms.sql" &&
	ok "CSV: the counts per form are those of SQL ($(wc -l <"$tmp/forms.sql") forms)" ||
	{ nok "CSV: the counts per form are those of SQL"; diff "$tmp/forms.csv" "$tmp/forms.sql" | sed 's/^/# /'; }
is "CSV: Quyết định in $dyear" "$(csvget "$tmp/docs.csv" documents_by_form 'Quyết định' count)" \
	"$(sql "SELECT count(*) FROM documents WHERE form = 'Quyết định' AND issue_date BETWEEN '$dyear-01-01' AND '$dyear-12-31'")"
csvsection "$tmp/docs.csv" documents_by_month count >"$tmp/months.csv"
is "CSV: twelve months" "$(wc -l <"$tmp/months.csv" | tr -d ' ')" 12
sql "SELECT to_char(m, 'YYYY-MM') || E'\t' || (SELECT count(*) FROM documents
	WHERE date_trunc('month', issue_date) = m) FROM generate_series('$dyear-01-01'::date,
	'$dyear-12-01'::date, interval '1 month') m ORDER BY m" >"$tmp/months.sql"
cmp -s "$tmp/months.csv" "$tmp/months.sql" && ok "CSV: the counts per month are those of SQL" ||
	{ nok "CSV: the counts per month are those of SQL"; diff "$tmp/months.csv" "$tmp/months.sql" | sed 's/^/# /'; }
is "CSV: the top issuer" "$(csvsection "$tmp/docs.csv" documents_by_issuer count | head -n 1)" \
	"$(sql "SELECT issuer || E'\t' || count(*) FROM documents WHERE issue_date BETWEEN '$dyear-01-01'
		AND '$dyear-12-31' GROUP BY issuer ORDER BY count(*) DESC, issuer LIMIT 1")"
is "CSV: imports per source (all 431 added this year)" \
	"$(csvsection "$tmp/docs.csv" imports added | awk -F'\t' '{ s += $2 } END { print s }')" \
	"$([ "$dyear" = "$year" ] && echo 431 || echo 0)"

vanban report --year "$year" --format csv --out "$tmp/use.csv" 2>"$tmp/err" || nok "report of $year"
is "CSV: searches this year" "$(csvget "$tmp/use.csv" usage total searches)" $searches
is "CSV: downloads this year" "$(csvget "$tmp/use.csv" usage total downloads)" 2
is "CSV: top query with its count" "$(csvget "$tmp/use.csv" top_queries 'quyết định' searches)" 4
is "CSV: a query seen K=3 times is listed" "$(csvget "$tmp/use.csv" top_queries 'cổng thông tin' searches)" 3
is "CSV: a name searched twice is not listed" "$(grep -c 'bình minh' "$tmp/use.csv")" 0
is "CSV: the zero-result query is listed" \
	"$(csvget "$tmp/use.csv" zero_result_queries xyzzyqwv zero_results)" 3
is "CSV: the downloaded document" "$(csvget "$tmp/use.csv" top_documents "$doc" downloads)" 2
vanban report --year "$year" --min-count 2 --format csv --out "$tmp/k2.csv"
is "with K=2 the name searched twice is listed" "$(csvget "$tmp/k2.csv" top_queries 'trần bình minh' searches)" 2

# --- one portal ---
vanban report --year $dyear --portal quangninh --format json >"$tmp/p.json" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; nok "report --portal quangninh"; }
is "portal report: its id, name and scope" \
	"$(jq -r '[.portal, .portal_name, .documents_scope] | join("|")' "$tmp/p.json")" \
	"quangninh|Tỉnh Quảng Ninh|portal"
is "portal report: only the documents of its issuers" "$(jq .documents.total "$tmp/p.json")" \
	"$(sql "SELECT count(*) FROM documents WHERE issuer = 'UBND tỉnh Quảng Ninh'
		AND issue_date BETWEEN '$dyear-01-01' AND '$dyear-12-31'")"
[ "$(jq .documents.total "$tmp/p.json")" -lt "$(csvget "$tmp/docs.csv" documents total count)" ] &&
	ok "portal report: fewer documents than the whole store" || nok "portal report: fewer documents than the whole store"
vanban report --year "$year" --portal quangninh --format json >"$tmp/p.json" 2>"$tmp/err"
is "portal report: only its searches" "$(jq .usage.searches "$tmp/p.json")" 3
is "portal report: its top query" "$(jq -c '.usage.top_queries' "$tmp/p.json")" \
	'[{"query":"quy chế","searches":3,"zero_results":0}]'
vanban report --year "$year" --portal no-such-portal >/dev/null 2>"$tmp/err"
is "an unknown portal: exit 2" "$?" 2
grep -q 'unknown portal "no-such-portal"' "$tmp/err" && ok "naming the portal" || nok "naming the portal"

# --- JSON ---
vanban report --year $dyear --format json >"$tmp/r.json" 2>"$tmp/err" || nok "report --format json"
jq -e . "$tmp/r.json" >/dev/null && ok "JSON report validates with jq" || nok "JSON report validates with jq"
is "JSON: period" "$(jq -r '.period.from + " " + .period.to' "$tmp/r.json")" "$dyear-01-01 $dyear-12-31"
is "JSON: twelve months summing to the total" \
	"$(jq '[.documents.by_month | length, (map(.count) | add) == $t]' --argjson t \
		"$(jq .documents.total "$tmp/r.json")" -c "$tmp/r.json")" '[12,true]'
is "JSON: issuers listed plus others = total" \
	"$(jq '(.documents.by_issuer | map(.count) | add) + .documents.issuers_other == .documents.total' "$tmp/r.json")" true
is "JSON: K is stated" "$(jq .min_count "$tmp/r.json")" 3
is "JSON: sync health available" "$(jq .sync.available "$tmp/r.json")" true

# --- HTML ---
vanban report --year $dyear --format html --out "$tmp/r.html" 2>"$tmp/err" || nok "report --format html"
if command -v xmllint >/dev/null 2>&1; then
	# libxml2's HTML parser is HTML 4: it names every HTML5 and SVG element
	# it does not know ("Tag svg invalid"); anything else is an error.
	xmllint --html --noout "$tmp/r.html" 2>&1 | grep 'error' |
		grep -Ev 'Tag (main|section|figure|figcaption|svg|rect|text|line|title|desc) invalid' >"$tmp/lint"
	[ ! -s "$tmp/lint" ] && ok "HTML is well-formed (xmllint --html)" ||
		{ nok "HTML is well-formed (xmllint --html)"; head -n 5 "$tmp/lint" | sed 's/^/# /'; }
	xmllint --noout "$tmp/r.html" 2>"$tmp/lint" && [ ! -s "$tmp/lint" ] &&
		ok "HTML is also well-formed XML (xmllint)" ||
		{ nok "HTML is also well-formed XML (xmllint)"; head -n 5 "$tmp/lint" | sed 's/^/# /'; }
	# bars CHART-ID: number of <rect class="bar"> in that chart
	bars() {
		xmllint --xpath "count(//*[local-name()='figure'][@id='fig-$1']//*[local-name()='rect'][@class='bar'])" \
			"$tmp/r.html" 2>/dev/null
	}
	is "month chart: 12 bars" "$(bars docs-month)" 12
	is "form chart: one bar per form" "$(bars docs-form)" "$(wc -l <"$tmp/forms.sql" | tr -d ' ')"
	is "issuer chart: the top 20 issuers" "$(bars docs-issuer)" \
		"$(sql "SELECT least(count(DISTINCT coalesce(nullif(issuer, ''), '?')), 20) FROM documents
			WHERE issue_date BETWEEN '$dyear-01-01' AND '$dyear-12-31'")"
	is "searches by month: 12 bars" "$(bars use-searches)" 12
	is "every chart has a title and a desc" \
		"$(xmllint --xpath "count(//*[local-name()='svg'][*[local-name()='title']][*[local-name()='desc']])" "$tmp/r.html" 2>/dev/null)" 5
	is "a table beside every chart" \
		"$(xmllint --xpath "count(//*[local-name()='figure'][*[local-name()='table']])" "$tmp/r.html" 2>/dev/null)" 5
else
	for i in 1 2 3 4 5 6 7 8; do n=$((n + 1)); echo "ok $n # SKIP xmllint is not installed"; done
fi
grep -q '@media print' "$tmp/r.html" && ok "HTML has print rules" || nok "HTML has print rules"
grep -qi -e '<script' -e 'src="http' -e "href=\"http" "$tmp/r.html" &&
	nok "HTML is self-contained (no script, no external resource)" ||
	ok "HTML is self-contained (no script, no external resource)"
grep -q 'lang="vi"' "$tmp/r.html" && grep -q 'Văn bản theo hình thức' "$tmp/r.html" &&
	ok "HTML is in Vietnamese" || nok "HTML is in Vietnamese"

# --- errors and retention ---
vanban report --year 20x6 >/dev/null 2>"$tmp/err"
is "a bad year: exit 2" "$?" 2
grep -q 'invalid year "20x6"' "$tmp/err" && ok "naming the year" || nok "naming the year"
vanban report --format pdf >/dev/null 2>&1
is "an unknown format: exit 2" "$?" 2
sql "INSERT INTO activity_queries (day, query, searches) VALUES (current_date - 40, 'old query', 5)"
sql "INSERT INTO activity_searches (day, searches) VALUES (current_date - 40, 5)"
vanban report --purge >"$tmp/purge.out" 2>&1
is "--purge exit status" "$?" 0
is "--purge deleted the old query text only" "$(sql "SELECT count(*) FROM activity_queries WHERE query = 'old query'") $(sql 'SELECT count(*) FROM activity_queries')" \
	"0 $(sql "SELECT count(*) FROM activity_queries WHERE day = current_date")"
is "--purge keeps the totals" "$(sql "SELECT sum(searches) FROM activity_searches WHERE day = current_date - 40")" 5
echo "1..$n"
