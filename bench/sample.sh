#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Foundation benchmark on the bundled sample (data/sample): import
# throughput, indexing time, and search latency/throughput over HTTP
# keep-alive with wrk, for the query set in bench/queries.txt.
#
#   bench/sample.sh [BUILD_DIR]     (default: build/bench, built -O2 here)
#
# Starts a throwaway PostgreSQL (tests/lib/pg.sh) and vanband on 127.0.0.1;
# prints a report on stdout (copied into docs/benchmarks.md by hand).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
duration=${BENCH_SECONDS:-10}
port=${BENCH_PORT:-18080}

if [ ! -x "$build/vanband" ]; then
	mkdir -p "$build"
	(cd "$src" && [ -x configure ] || autoreconf -fi)
	(cd "$build" && "$src/configure" -q CFLAGS='-O2 -g' CXXFLAGS='-O2 -g' && make -j"$(nproc)" vanban vanband) >&2
fi
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 2; }

export VB_SRCDIR=$src
. "$src/tests/lib/pg.sh"
pg_start
tmp=$(mktemp -d)
daemon_pid=
cleanup() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; wait 2>/dev/null; pg_stop; rm -rf "$tmp"; }
trap cleanup EXIT

manifest=$src/data/sample/documents.jsonl
ndocs=$(grep -c . "$manifest")
bytes=$(stat -c %s "$manifest")
now() { date +%s.%N; }

echo "# vanban sample benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "corpus: $manifest ($ndocs documents, $((bytes / 1024)) KiB)"
"$build/vanban" --data-dir "$tmp" migrate >/dev/null

t0=$(now)
"$build/vanban" --data-dir "$tmp" import --quiet "$manifest" >"$tmp/import.out"
t1=$(now)
awk -v a="$t0" -v b="$t1" -v n="$ndocs" -v kb="$((bytes / 1024))" \
	'BEGIN { d = b - a; printf "import: %.2f s, %.0f docs/s, %.0f KiB/s\n", d, n / d, kb / d }'
cat "$tmp/import.out"

t0=$(now)
"$build/vanban" --data-dir "$tmp" index >/dev/null 2>&1
t1=$(now)
awk -v a="$t0" -v b="$t1" -v n="$ndocs" 'BEGIN { d = b - a; printf "index: %.2f s, %.0f docs/s\n", d, n / d }'
echo "index size: $(du -sk "$tmp/index/" | cut -f1) KiB"

"$build/vanband" --listen "127.0.0.1:$port" --data-dir "$tmp" --web-dir "$src/web" \
	--no-indexer --threads 2 >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# Per-query server time (took_ms) and hit count, one request each, warm.
grep -v '^#' "$src/bench/queries.txt" | grep . >"$tmp/queries"
echo
echo "per query (second run, warm): total hits, took_ms as reported by the daemon"
while IFS= read -r q; do
	curl -fsG "http://127.0.0.1:$port/api/v1/search" --data-urlencode "q=$q" >/dev/null
	curl -fsG "http://127.0.0.1:$port/api/v1/search" --data-urlencode "q=$q" |
		jq -r --arg q "$q" '"  \(.total | tostring | .[0:6])\t\(.took_ms)\t\($q)"'
done <"$tmp/queries"

# wrk: rotate through the query set, keep-alive, 1/2/4 connections.
lua=$tmp/queries.lua
{
	echo 'local qs = {'
	while IFS= read -r q; do
		printf '  "/api/v1/search?q=%s",\n' "$(jq -rn --arg q "$q" '$q|@uri')"
	done <"$tmp/queries"
	echo '}'
	echo 'local i = 0'
	echo 'request = function() i = i % #qs + 1; return wrk.format("GET", qs[i]) end'
} >"$lua"
echo
for c in 1 2 4; do
	echo "wrk: $c connection(s), $duration s, 1 thread per connection"
	wrk -t"$c" -c"$c" -d"${duration}s" --latency -s "$lua" "http://127.0.0.1:$port" |
		grep -E 'Requests/sec|Latency  |50%|90%|99%|requests in|Non-2xx' | sed 's/^/  /'
done
echo "daemon RSS after the run: $(ps -o rss= -p "$daemon_pid") KiB"
