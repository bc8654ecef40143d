#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# CPU per query of vanband, and of its PostgreSQL, on an existing store:
#   bench/cpu_per_query.sh BUILD_DIR DATA_DIR QUERIES N [CLIENTS]
# BUILD_DIR holds vanband and bench/loadgen; DATA_DIR is the data directory
# of a loaded store (import + index); QUERIES a query set in the format of
# bench/queries-mix.tsv; N queries are replayed by CLIENTS clients (default
# 1) after one warm-up pass over the set.  The store's database is
# VANBAN_DB; with PG_DIR set (the cluster's directory, as tests/lib/pg.sh
# exports it: PG_DIR/data/postmaster.pid) the CPU of that cluster's
# processes is measured too.  CPU is read from /proc (user + system ticks)
# before and after the timed pass, so other processes on the machine do
# not count; alternate two builds on the same store to compare them
# (docs/benchmarks.md, "fifth round").
set -eu

build=${1:?usage: cpu_per_query.sh BUILD_DIR DATA_DIR QUERIES N [CLIENTS]}
data=${2:?data directory}
queries=${3:?query set}
n=${4:?number of queries}
clients=${5:-1}
: "${VANBAN_DB:?VANBAN_DB must name the database of the store}"

for f in "$build/vanband" "$build/bench/loadgen"; do
	[ -x "$f" ] || { echo "cpu_per_query.sh: $f not found (make vanband bench/loadgen)" >&2; exit 2; }
done
[ -d "$data" ] || { echo "cpu_per_query.sh: no data directory $data" >&2; exit 2; }
[ -r "$queries" ] || { echo "cpu_per_query.sh: cannot read $queries" >&2; exit 2; }
case $n$clients in *[!0-9]*) echo "cpu_per_query.sh: N and CLIENTS are numbers" >&2; exit 2 ;; esac

hz=$(getconf CLK_TCK)
port=$((30000 + $$ % 20000))
srcdir=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp "${TMPDIR:-/tmp}/vanban-cpq.XXXXXX")
"$build/vanband" --listen "127.0.0.1:$port" --data-dir "$data" --web-dir "$srcdir/web" \
	--no-indexer >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log" "$log.pg0" "$log.pg1"' EXIT
url="http://127.0.0.1:$port/api/v1/search"
for _ in $(seq 150); do
	curl -s -o /dev/null "$url?q=x" && break
	kill -0 $pid 2>/dev/null || { echo "cpu_per_query.sh: vanband stopped:" >&2; cat "$log" >&2; exit 1; }
	sleep 0.2
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "pid ticks" of the cluster's processes; a process that starts or ends
# between the two readings (an autovacuum worker) is left out of the sum.
pg_ticks() {
	[ -n "${PG_DIR:-}" ] && [ -r "$PG_DIR/data/postmaster.pid" ] || return 0
	pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
	for p in $pm $(pgrep -P "$pm"); do echo "$p $(ticks "$p")"; done
}

lines=$(wc -l <"$queries")
"$build/bench/loadgen" --url "$url" --extra per_page=10 -c 1 -n $((lines - 1)) "$queries" >/dev/null
d0=$(ticks $pid); pg_ticks >"$log.pg0"
"$build/bench/loadgen" --url "$url" --extra per_page=10 -c "$clients" -n "$n" "$queries" | head -n 1
d1=$(ticks $pid); pg_ticks >"$log.pg1"
p=$(awk 'NR == FNR {t0[$1] = $2; next} ($1 in t0) {s += $2 - t0[$1]} END {print s + 0}' \
	"$log.pg0" "$log.pg1")
rm -f "$log.pg0" "$log.pg1"
awk -v d=$((d1 - d0)) -v p="$p" -v n="$n" -v hz="$hz" -v pg="${PG_DIR:-}" 'BEGIN {
	printf "vanband %.3f ms CPU per query", d * 1000 / hz / n
	if (pg != "") printf ", PostgreSQL %.3f ms", p * 1000 / hz / n
	printf " (%d queries)\n", n
}'
