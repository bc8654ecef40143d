#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Completion latency (GET /api/v1/suggest) on the bundled sample
# (data/sample/documents.jsonl): what a user typing a title or a number
# sends on every keystroke.  The query set below is every prefix of a few
# typed phrases and numbers (accented, unaccented, numbers, form first).
#
#   bench/suggest.sh [BUILD_DIR]    (default: build/bench, built -O2 here)
#
# Two measurements, both over HTTP keep-alive against vanband on
# 127.0.0.1 with a throwaway PostgreSQL (tests/lib/pg.sh):
#  1. curl: every query of the set ROUNDS times, one connection reused
#     for all of them (curl with many URLs keeps the connection alive);
#     client-side time_total per request -> median, p95, max;
#  2. wrk: 1 and 4 connections rotating through the set for BENCH_SECONDS,
#     latency median, p95 (from a done() hook), p99 and requests/s.
# Prints a report on stdout (copied into docs/benchmarks.md by hand).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
duration=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-20}
port=${BENCH_PORT:-18081}

if [ ! -x "$build/vanband" ]; then
	mkdir -p "$build"
	(cd "$src" && [ -x configure ] || autoreconf -fi)
	(cd "$build" && "$src/configure" -q CFLAGS='-O2 -g' CXXFLAGS='-O2 -g' && make -j"$(nproc)" vanban vanband) >&2
fi
for tool in curl jq wrk; do
	command -v $tool >/dev/null || { echo "bench: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done

export VB_SRCDIR=$src
. "$src/tests/lib/pg.sh"
pg_start
tmp=$(mktemp -d)
daemon_pid=
cleanup() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; wait 2>/dev/null; pg_stop; rm -rf "$tmp"; }
trap cleanup EXIT

manifest=$src/data/sample/documents.jsonl
"$build/vanban" --data-dir "$tmp" migrate >/dev/null 2>&1
"$build/vanban" --data-dir "$tmp" import --quiet "$manifest" >/dev/null 2>&1
"$build/vanband" --listen "127.0.0.1:$port" --data-dir "$tmp" --web-dir "$src/web" \
	--no-indexer --threads 2 >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/suggest?q=a" && break; sleep 0.1; done

# Every prefix (by character) of each typed string, from 1 character on.
cat >"$tmp/typed" <<'EOF'
cổng thông tin điện tử
cong thong tin dien tu
quyết định phê duyệt
quyet dinh phe duyet
ke hoach thuc hien
thủ tục hành chính
nghi dinh quy dinh chi tiet
05/2023/QĐ-UBND
2828/QĐ-UBND
QĐ 05/2023
110/2025/TT-BTC
EOF
while IFS= read -r s; do
	len=$(printf '%s' "$s" | wc -m)
	for i in $(seq 1 "$len"); do printf '%s\n' "${s:0:$i}"; done
done <"$tmp/typed" | LC_ALL=C.UTF-8 awk '!seen[$0]++' >"$tmp/queries"
nq=$(wc -l <"$tmp/queries")
urls=$tmp/urls
while IFS= read -r q; do
	printf '/api/v1/suggest?q=%s\n' "$(jq -rn --arg q "$q" '$q|@uri')"
done <"$tmp/queries" >"$urls"

echo "# vanban suggest benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "corpus: $manifest ($(grep -c . "$manifest") documents); query set: $nq prefixes of $(wc -l <"$tmp/typed") typed strings"
echo "daemon: $build/vanband, --threads 2, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"

# Warm up once, and check that every query answers 200 with results.
empty=0
while IFS= read -r u; do
	r=$(curl -fs "http://127.0.0.1:$port$u") || { echo "bench: $u failed" >&2; exit 1; }
	[ "$(echo "$r" | jq '.results | length')" -gt 0 ] || empty=$((empty + 1))
done <"$urls"
echo "queries without any suggestion: $empty of $nq"

# 1. curl, one keep-alive connection, ROUNDS passes over the set.
for _ in $(seq "$rounds"); do
	while IFS= read -r u; do printf 'url = "http://127.0.0.1:%s%s"\noutput = "/dev/null"\n' "$port" "$u"; done <"$urls"
done >"$tmp/curl.cfg"
curl -s -w '%{time_total}\n' -K "$tmp/curl.cfg" | sort -g >"$tmp/times"
total=$(wc -l <"$tmp/times")
pct() { awk -v p="$1" -v n="$total" 'NR == (int(n * p / 100) > 0 ? int(n * p / 100) : 1) { printf "%.2f", $1 * 1000 }' "$tmp/times"; }
echo
echo "curl, 1 keep-alive connection, $total requests ($rounds x $nq): median $(pct 50) ms, p95 $(pct 95) ms, p99 $(pct 99) ms, max $(pct 100) ms"
reused=$(curl -s -w '%{num_connects}\n' "http://127.0.0.1:$port$(head -n 1 "$urls")" -o /dev/null \
	"http://127.0.0.1:$port$(tail -n 1 "$urls")" -o /dev/null | awk '{ s += $1 } END { print s }')
echo "  (connections opened for 2 requests in one curl: $reused: keep-alive works)"

# 2. wrk, rotating through the set.
lua=$tmp/suggest.lua
{
	echo 'local qs = {'
	while IFS= read -r u; do printf '  "%s",\n' "$u"; done <"$urls"
	echo '}'
	echo 'local i = 0'
	echo 'request = function() i = i % #qs + 1; return wrk.format("GET", qs[i]) end'
	echo 'done = function(summary, latency, requests)'
	echo '  io.write(string.format("  median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests, %d errors\n",'
	echo '    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,'
	echo '    latency.max / 1000, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read))'
	echo 'end'
} >"$lua"
for c in 1 4; do
	echo
	echo "wrk: $c connection(s), $duration s"
	wrk -t"$c" -c"$c" -d"${duration}s" -s "$lua" "http://127.0.0.1:$port" |
		grep -E 'median|Requests/sec|Non-2xx' | sed 's/^ *\(Req\)/  \1/'
done
echo "daemon RSS after the run: $(ps -o rss= -p "$daemon_pid") KiB"
