#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of GET /metrics and GET /readyz against a throwaway
# PostgreSQL and the fixture index: after a few searches, 404s and a 405,
# /metrics parses as the Prometheus text exposition format, the search
# counter grew by exactly the number of searches, 404s are counted under
# their route pattern or "other" (never the raw path), the routes of the
# feature areas (feeds, sitemap, ELI, portals, bundle, sync, report, the
# widget) under their patterns with {id}-style placeholders, every histogram is
# cumulative and ends with +Inf equal to _count, the index lag is 0 after
# indexing; /readyz is 200; with PostgreSQL stopped /readyz is 503 naming
# the database, /metrics still answers (without the lag gauge, with a
# scrape error counted) and the daemon stops cleanly.  The usage and store
# gauges of the report area: searches and zero-result searches, documents
# and new versions per source, index queue age, pending uploads, sync.
# Search snippets counted by where their text came from (index or database).

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-metrics.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

vbd_load || bail "could not load the fixture (migrate / import / index)"
vbd_start --no-indexer || bail "vanband did not start"

# get PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
get() {
	p=$1; shift
	code=$(curl -s -g -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
# scrape FILE: /metrics into FILE
scrape() { curl -s -o "$1" "$base/metrics"; }
# value FILE 'NAME{LABELS}': the sample's value (0 when absent)
value() {
	awk -v k="$2" '$1 == k { v = $2 } END { print (v == "" ? 0 : v) }' "$1"
}
SEARCH='vanban_http_requests_total{route="/api/v1/search",method="GET",status="200"}'

scrape "$tmp/m0" || bail "no /metrics"
before=$(value "$tmp/m0" "$SEARCH")

# The routes of the feature areas count under their patterns: ROUTES lists
# "pattern<TAB>path" for one request each (the status does not matter here).
ROUTES='/feeds/documents.atom	/feeds/documents.atom
/feeds/search.atom	/feeds/search.atom?q=quyet+dinh
/opensearch.xml	/opensearch.xml
/sitemap.xml	/sitemap.xml
/sitemaps/{n}.xml	/sitemaps/1.xml
/robots.txt	/robots.txt
/static/widget.js	/static/widget.js
/api/v1/sync/status	/api/v1/sync/status
/api/v1/sync/reviews	/api/v1/sync/reviews
/api/v1/sync/reviews/{id}/accept	/api/v1/sync/reviews/999999995/accept
/api/v1/report	/api/v1/report
/api/v1/bundle	/api/v1/bundle?ids=999999998
/api/v1/portals	/api/v1/portals
/api/v1/portals/{id}	/api/v1/portals/nosuchportalzzq
/api/v1/portals/{id}/merge	/api/v1/portals/nosuchportalzzq/merge
/eli/{eli}	/eli/vn/quangninh/ubnd/qd/2024/999999997'
echo "$ROUTES" >"$tmp/routes"
# (a redirected loop, not a pipe: is/ok count in this shell)
while IFS='	' read -r pattern path; do get "$path"; done <"$tmp/routes"
# Paths near those patterns that are none of them.
for path in /api/v1/portals/nosuchportalzzq/bogus /sitemaps/0999999996.xml /feeds/zzq.atom; do
	get "$path"
done

searches=3
get "/api/v1/search?q=cong+thong+tin"
get "/api/v1/search?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&per_page=2"
get "/api/v1/search?q=secretword123"
get "/api/v1/documents/999999999"
is "a missing document is 404" "$code" 404
get "/no/such/page-zzq"
is "an unknown path is 404" "$code" 404
get "/api/v1/search" -X POST
is "POST on search is 405" "$code" 405

# A request is counted when MHD reports it complete, which may be just
# after the client has its answer: wait until the searches show up.
i=0
while :; do
	scrape "$tmp/m1"
	after=$(value "$tmp/m1" "$SEARCH")
	[ $((after - before)) -ge $searches ] || [ $i -ge 50 ] && break
	sleep 0.1
	i=$((i + 1))
done

get /metrics
is "GET /metrics is 200" "$code" 200
grep -i '^content-type:' "$tmp/hdr" | grep -q 'text/plain; version=0.0.4' &&
	ok "Content-Type is text/plain; version=0.0.4" || nok "Content-Type is text/plain; version=0.0.4"

# --- the exposition format ---
bad=$(grep -v '^#' "$tmp/m1" |
	grep -Ev '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN)$')
[ -z "$bad" ] && [ -s "$tmp/m1" ] && ok "every sample line is 'name{labels} value'" ||
	{ nok "every sample line is 'name{labels} value'"; echo "$bad" | head -n 5 | sed 's/^/#   bad: /'; }
bad=$(grep '^#' "$tmp/m1" | grep -Ev '^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$')
[ -z "$bad" ] && ok "every comment is HELP or TYPE" ||
	{ nok "every comment is HELP or TYPE"; echo "$bad" | head -n 5 | sed 's/^/#   bad: /'; }
# every sample belongs to a family declared by a TYPE line before it
bad=$(awk '/^# TYPE / { t[$3] = 1; next } /^#/ { next }
	{ name = $1; sub(/\{.*/, "", name); base = name; sub(/_(bucket|sum|count)$/, "", base)
	  if (!(name in t) && !(base in t)) print name }' "$tmp/m1" | sort -u)
[ -z "$bad" ] && ok "every sample has a TYPE" || nok "every sample has a TYPE (not: $(echo $bad))"

# --- counters ---
is "the search counter grew by exactly the $searches searches" "$((after - before))" "$searches"
doc404=$(value "$tmp/m1" 'vanban_http_requests_total{route="/api/v1/documents/{id}",method="GET",status="404"}')
is "the missing document counts under its route pattern" "$doc404" 1
other404=$(value "$tmp/m1" 'vanban_http_requests_total{route="other",method="GET",status="404"}')
is "the unknown paths count under route=\"other\"" "$other404" 4
# requests FILE PATTERN: the requests counted under PATTERN, any method and status
requests() {
	awk -v r="route=\"$2\"" 'index($1, "vanban_http_requests_total{" r ",") == 1 { n += $2 }
		END { print n + 0 }' "$1"
}
while IFS='	' read -r pattern path; do
	is "$path counts under $pattern" "$(requests "$tmp/m1" "$pattern")" 1
done <"$tmp/routes"
is "the POST counts with its method and 405" \
	"$(value "$tmp/m1" 'vanban_http_requests_total{route="/api/v1/search",method="POST",status="405"}')" 1
[ "$(value "$tmp/m1" 'vanban_http_requests_total{route="/metrics",method="GET",status="200"}')" -ge 1 ] &&
	ok "the earlier scrape is counted under /metrics" || nok "the earlier scrape is counted under /metrics"
if grep -q -e '99999999' -e 'zzq' -e 'secretword' -e 'cong' -e 'quyet' -e 'quangninh' "$tmp/m1"; then
	nok "no raw path or query text in the labels"
else
	ok "no raw path or query text in the labels"
fi
routes=$(grep -o 'route="[^"]*"' "$tmp/m1" | sort -u | wc -l)
[ "$routes" -le 40 ] && ok "route labels are route patterns ($routes)" || nok "route labels are bounded ($routes)"

# --- histograms: cumulative, +Inf last and equal to _count ---
bad=$(awk '
	/^vanban_http_request_duration_seconds_bucket/ {
		match($1, /route="[^"]*"/); r = substr($1, RSTART, RLENGTH)
		if (r in last && $2 + 0 < last[r]) print "not cumulative: " r
		last[r] = $2 + 0; lastle[r] = ($1 ~ /le="\+Inf"/) ? "inf" : "finite"; seen[r] = 1
	}
	/^vanban_http_request_duration_seconds_count/ {
		match($1, /route="[^"]*"/); r = substr($1, RSTART, RLENGTH)
		cnt[r] = $2 + 0; hascount[r] = 1
	}
	END {
		for (r in seen) {
			if (lastle[r] != "inf") print "no +Inf last: " r
			if (!(r in hascount) || cnt[r] != last[r]) print "+Inf != _count: " r
		}
	}' "$tmp/m1")
[ -z "$bad" ] && ok "histogram buckets are cumulative and end with +Inf = _count" ||
	{ nok "histogram buckets are cumulative and end with +Inf = _count"; echo "$bad" | sed 's/^/#   /'; }
[ "$(value "$tmp/m1" 'vanban_http_request_duration_seconds_count{route="/api/v1/search"}')" -ge $((searches + 1)) ] &&
	ok "the search histogram counts every search request" || nok "the search histogram counts every search request"
grep -q '^vanban_http_request_duration_seconds_bucket{route="/api/v1/search",le="0.001"} ' "$tmp/m1" &&
	ok "buckets have le labels" || nok "buckets have le labels"

# --- gauges ---
is "index lag is 0 after indexing" "$(value "$tmp/m1" vanban_index_lag_jobs)" 0
grep -q '^vanban_index_lag_jobs ' "$tmp/m1" && ok "the lag gauge is present" || nok "the lag gauge is present"
is "index documents is 5" "$(value "$tmp/m1" vanban_index_documents)" 5
is "vanban_up is 1" "$(value "$tmp/m1" vanban_up)" 1
grep -Eq '^vanban_build_info\{version="[^"]+"\} 1$' "$tmp/m1" && ok "build_info has the version" ||
	nok "build_info has the version"
is "no scrape errors while everything works" "$(value "$tmp/m1" vanban_scrape_errors_total)" 0
# dispatch.c: the requests run on the workers (lib.sh starts 2); between
# scrapes only this one is running, and nothing waits.
is "2 workers" "$(value "$tmp/m1" vanban_http_workers)" 2
is "one busy: the scrape itself" "$(value "$tmp/m1" vanban_http_workers_busy)" 1
is "nothing queued" "$(value "$tmp/m1" vanban_http_queued_requests)" 0
[ "$(value "$tmp/m1" vanban_http_dispatched_total)" -ge $((searches + 1)) ] &&
	ok "every search went to a worker" || nok "every search went to a worker"
# A request with a body: its last call (the work, once the body is in)
# goes to a worker too; so does the next scrape: 2 more.
scrape "$tmp/m1a"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"login":"nobody","password":"wrong"}' "$base/api/v1/session")
is "a failed login is 401" "$code" 401
scrape "$tmp/m1b"
is "the login's work and the scrape went to workers" \
	"$(( $(value "$tmp/m1b" vanban_http_dispatched_total) - $(value "$tmp/m1a" vanban_http_dispatched_total) ))" 2

# api_search.c: a number look-up's hit gets its snippet from the head of
# its text kept in the index; other hits, and every hit of a word search,
# from the database's whole text.
SNIP_I='vanban_search_snippets_total{source="index"}'
SNIP_D='vanban_search_snippets_total{source="database"}'
# "index:database": the snippets counted between the scrapes $1 and $2
snippets_between() {
	echo "$(( $(value "$2" "$SNIP_I") - $(value "$1" "$SNIP_I") )):$(( $(value "$2" "$SNIP_D") - $(value "$1" "$SNIP_D") ))"
}
# Look up the number $1 (URL-encoded): one hit carries it, and the first
# hit's snippet holds $2; the check is named $3.  Sets n_num (the hits).
number_lookup() {
	get "/api/v1/search?q=$1"
	n_num=$(jq '.hits | length' "$tmp/body")
	jq -e '.number_match | length == 1' "$tmp/body" >/dev/null &&
		jq -e --arg m "$2" '.hits[0].snippet | contains($m)' "$tmp/body" >/dev/null &&
		ok "$3" || nok "$3"
}
scrape "$tmp/s0"
number_lookup "97%2F2025%2FQ%C4%90-UBND" "<mark>97</mark>/<mark>2025</mark>/<mark>QĐ</mark>" \
	"the number look-up has its document first, number marked in the snippet"
scrape "$tmp/s1"
is "its snippet came from the index's head, the other $((n_num - 1)) hit(s) from the database" \
	"$(snippets_between "$tmp/s0" "$tmp/s1")" "1:$((n_num - 1))"
# "05 /2023" in the text, "5" in the index: the leading zero does not keep
# the number from being marked, nor the head from deciding the snippet.
number_lookup "05%2F2023%2FQ%C4%90-UBND" "<mark>05</mark> /<mark>2023</mark>/<mark>QĐ</mark>" \
	"a number with a leading zero is marked in its look-up's snippet"
scrape "$tmp/s1z"
is "that snippet came from the index's head too, the other $((n_num - 1)) hit(s) from the database" \
	"$(snippets_between "$tmp/s1" "$tmp/s1z")" "1:$((n_num - 1))"
get "/api/v1/search?q=c%E1%BB%95ng%20th%C3%B4ng%20tin"
n_word=$(jq '.hits | length' "$tmp/body")
scrape "$tmp/s2"
is "a word search's $n_word snippets came from the database" \
	"$(snippets_between "$tmp/s1z" "$tmp/s2")" "0:$n_word"
[ "$n_word" -ge 1 ] && ok "the word search found something" || nok "the word search found something"
extra_searches=3 # counted as searches after m1

# --- usage, imports, queues, sync (report) ---
is "searches counted (page 1 of each)" "$(value "$tmp/m1" vanban_searches_total)" $searches
is "the search for secretword123 found nothing" "$(value "$tmp/m1" vanban_searches_zero_results_total)" 1
is "no download yet" "$(value "$tmp/m1" vanban_downloads_total)" 0
is "documents per source" "$(value "$tmp/m1" 'vanban_imported_documents{source="fixture"}')" 5
is "no new versions" "$(value "$tmp/m1" 'vanban_imported_changes{source="fixture"}')" 0
is "no index job waiting" "$(value "$tmp/m1" vanban_index_queue_oldest_seconds)" 0.000
is "no upload pending" "$(value "$tmp/m1" vanban_uploads_pending)" 0
is "the sync tables are there" "$(value "$tmp/m1" vanban_sync_available)" 1
grep -q '^vanban_activity_buffered_rows ' "$tmp/m1" && ok "the usage buffer gauge is present" ||
	nok "the usage buffer gauge is present"

get "/metrics?x=1"
is "/metrics refuses a query parameter" "$code" 400
get /metrics -I
is "HEAD /metrics is 200" "$code" 200

# --- readiness ---
get /readyz
is "/readyz is 200" "$code" 200
is "/readyz says ready" "$(jq -r '.ready' "$tmp/body")" true
is "/readyz names nothing not ready" "$(jq -c '.not_ready' "$tmp/body")" '[]'

# --- PostgreSQL stopped ---
pg_stop
get /readyz
is "/readyz is 503 with PostgreSQL stopped" "$code" 503
is "/readyz names the database" "$(jq -c '[.ready, .not_ready]' "$tmp/body")" '[false,["database"]]'
get /metrics
is "/metrics still answers with PostgreSQL stopped" "$code" 200
cp "$tmp/body" "$tmp/m2"
grep -q '^vanban_index_lag_jobs' "$tmp/m2" && nok "the lag gauge is left out" || ok "the lag gauge is left out"
[ "$(value "$tmp/m2" vanban_scrape_errors_total)" -ge 1 ] && ok "the scrape error is counted" ||
	nok "the scrape error is counted"
is "vanban_up is still 1" "$(value "$tmp/m2" vanban_up)" 1
grep -q '^vanban_imported_documents' "$tmp/m2" && nok "the store gauges are left out" ||
	ok "the store gauges are left out"
is "the usage counters still answer" "$(value "$tmp/m2" vanban_searches_total)" $((searches + extra_searches))
is "index documents still read from the index" "$(value "$tmp/m2" vanban_index_documents)" 5
get /healthz
is "/healthz is 503 too" "$code" 503

vbd_stop
is "vanband stopped cleanly" "$vbd_status" 0
echo "1..$n"
