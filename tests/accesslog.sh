#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The structured access log of vanband (daemon/http.c, lib/log.c): one
# line per request with time, method, route pattern, status, bytes,
# duration_ms and request_id, and nothing personal: no client address, no
# query text, no path beyond the route pattern, no token.  JSON lines
# (log_format = json): every line parses, the request line's bytes equal
# the body curl received and its request_id the X-Request-Id header.  Text
# lines: logfmt after "TIME LEVEL".  log_file: lines go to the file, and
# after the file is moved away (logrotate) SIGHUP reopens it.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-accesslog.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT
vbd_load || bail "could not load the fixture (migrate / import / index)"

SECRET=secretquery$$
TOKEN=sekrit-token-$$
# request: a search carrying what must never be logged
request() {
	curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{size_download}' \
		-H "X-Forwarded-For: 203.0.113.77" -H "Authorization: Bearer $TOKEN" \
		"$base/api/v1/search?q=$SECRET&per_page=3"
}
# wait_lines FILE N: until FILE has N request lines (completion is logged
# just after the client has its answer)
wait_lines() {
	i=0
	while [ "$(grep -c '"msg":"request"\| info request ' "$1" 2>/dev/null)" -lt "$2" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# --- JSON ----------------------------------------------------------------
VANBAN_LOG_FORMAT=json vbd_start --no-indexer || bail "vanband did not start"
size=$(request)
rid=$(sed -n 's/^[Xx]-[Rr]equest-[Ii]d: *\([0-9a-f]*\).*/\1/p' "$tmp/hdr")
curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$base/api/v1/uploads/1/reject"
wait_lines "$tmp/daemon.log" 3
vbd_stop
log=$tmp/daemon.log
bad=0
while IFS= read -r line; do
	printf '%s\n' "$line" | jq -e 'type == "object" and has("time") and has("level") and has("msg")' >/dev/null 2>&1 ||
		{ bad=$((bad + 1)); echo "#   not a JSON log line: $line"; }
done <"$log"
[ $bad = 0 ] && [ -s "$log" ] && ok "every log line is a JSON object with time, level, msg" ||
	nok "every log line is a JSON object with time, level, msg"
jq -c 'select(.msg == "request" and .route == "/api/v1/search")' "$log" >"$tmp/search.lines"
is "one request line for the search" "$(wc -l <"$tmp/search.lines" | tr -d ' ')" 1
is "its fields" "$(jq -r '[keys_unsorted[]] | join(",")' "$tmp/search.lines")" \
	"time,level,msg,method,route,status,bytes,duration_ms,request_id"
is "method and status" "$(jq -r '.method + " " + (.status|tostring)' "$tmp/search.lines")" "GET 200"
is "bytes equal the body the client received" "$(jq -r .bytes "$tmp/search.lines")" "$size"
is "request_id equals the X-Request-Id header" "$(jq -r .request_id "$tmp/search.lines")" "$rid"
echo "$rid" | grep -Eq '^[0-9a-f]{16}$' && ok "request ids are 16 hex digits" || nok "request ids are 16 hex digits ($rid)"
jq -e '.duration_ms | type == "number" and . >= 0' "$tmp/search.lines" >/dev/null &&
	ok "duration_ms is a number" || nok "duration_ms is a number"
jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$")' "$tmp/search.lines" >/dev/null &&
	ok "time is ISO 8601 UTC with milliseconds" || nok "time is ISO 8601 UTC"
is "the upload POST is logged under its route pattern" \
	"$(jq -r 'select(.msg == "request" and .method == "POST") | .route' "$log")" "/api/v1/uploads/{id}/reject"
grep -q "$SECRET" "$log" && nok "the query text is not logged" || ok "the query text is not logged"
grep -q "$TOKEN" "$log" && nok "the token is not logged" || ok "the token is not logged"
# (the daemon's own listening address is logged once at start-up; no
# client address may appear anywhere)
{ grep -q "203.0.113.77" "$log" || jq -r 'select(.msg == "request")' "$log" | grep -q "127.0.0.1"; } &&
	nok "no client address is logged" || ok "no client address is logged"
grep -q "per_page" "$log" && nok "no query string is logged" || ok "no query string is logged"

# --- text (logfmt) ---------------------------------------------------------
vbd_start --no-indexer || bail "vanband did not start"
request >/dev/null
curl -s -o /dev/null "$base/documents/999999"
wait_lines "$tmp/daemon.log" 2
vbd_stop
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z info request method=GET route=/api/v1/search status=200 bytes=[0-9]+ duration_ms=[0-9.]+ request_id=[0-9a-f]{16}$' \
	"$tmp/daemon.log" && ok "text format: one logfmt request line" ||
	{ nok "text format: one logfmt request line"; grep request "$tmp/daemon.log" | sed 's/^/#   /'; }
grep -q 'route=/documents/{id} status=404' "$tmp/daemon.log" &&
	ok "text format: the page route pattern, not the id" || nok "text format: the page route pattern"
grep -q "$SECRET" "$tmp/daemon.log" && nok "text format: no query text" || ok "text format: no query text"

# --- log_file and SIGHUP ----------------------------------------------------
printf 'log_format = json\nlog_file = %s\n' "$tmp/vanband.log" >"$tmp/vanban.conf"
vbd_start --no-indexer --config "$tmp/vanban.conf" || bail "vanband did not start with log_file"
request >/dev/null
wait_lines "$tmp/vanband.log" 2 # healthz probe + search
mv "$tmp/vanband.log" "$tmp/vanband.log.1"
kill -HUP "$vbd_pid"
i=0
while [ ! -f "$tmp/vanband.log" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
request >/dev/null
wait_lines "$tmp/vanband.log" 1
kill -0 "$vbd_pid" 2>/dev/null && ok "SIGHUP does not stop the daemon" || nok "SIGHUP does not stop the daemon"
vbd_stop
is "the rotated file has the first search" \
	"$(jq -r 'select(.msg == "request" and .route == "/api/v1/search") | .status' "$tmp/vanband.log.1")" 200
is "the reopened file has the second search" \
	"$(jq -r 'select(.msg == "request" and .route == "/api/v1/search") | .status' "$tmp/vanband.log")" 200
[ ! -s "$tmp/daemon.log" ] && ok "nothing went to standard error" ||
	{ nok "nothing went to standard error"; sed 's/^/#   /' "$tmp/daemon.log" | head -n 5; }
echo "1..$n"
