#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Comparative benchmark (issue 8): vanban against PostgreSQL full-text
# search, SQLite FTS5, raw Xapian with vanban's terms, and a hello-world
# libmicrohttpd server, on one generated corpus of SIZE documents, in one
# run on this machine.
#
#   bench/compare.sh SIZE [BUILD_DIR]      (`make bench` = 10000)
#
# Environment: BENCH_SECONDS (per concurrency level, default 10),
# BENCH_CLIENTS (default "1 2 4 8"), BENCH_THREADS (server threads of the
# peers, default 4: their libmicrohttpd pool ties each connection to one
# thread, and 4 spread 8 clients better than 2), BENCH_VANBAN_THREADS
# (vanband's workers; default its own, one per core: its requests wait
# for the next free worker), BENCH_AVG_KB (default 48), BENCH_SEED (default 1),
# BENCH_TMP (work directory parent; 1M documents need ~50 GB per copy),
# BENCH_OUT (report file; default bench/results-DATE-compare-SIZE.txt),
# BENCH_RAW_INDEX (own: the raw Xapian peer loads its own index, timed;
# vanban: it searches vanban's index, load not measured; default own up to
# 10,000 documents, vanban above), BENCH_PIPELINE (1; 0 skips the second,
# pipelined load), BENCH_WARMUP (requests before each target's runs, 420),
# BENCH_NUMBER_CLIENTS (8: the run of number lookups alone after the mix).
# The throwaway PostgreSQL cluster lives under BENCH_TMP too.
#
# Steps: build (optimised tree in build/bench unless BUILD_DIR is given),
# generate the corpus (bench/scale), import + index into vanban (timed),
# load each peer (bench/peerd --load, timed), sizes on disk against the
# text, then bench/loadgen with bench/queries-mix.tsv at each concurrency
# against vanband and each peer, and the daemons' RSS.  The report goes to
# stdout and to the results file.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
size=${1:?usage: compare.sh SIZE [BUILD_DIR]}
build=${2:-$src/build/bench}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-1 2 4 8}
threads=${BENCH_THREADS:-4}
vanban_threads=${BENCH_VANBAN_THREADS:-}
avg_kb=${BENCH_AVG_KB:-48}
seed=${BENCH_SEED:-1}
out=${BENCH_OUT:-$src/bench/results-$(date -u +%Y-%m-%d)-compare-$size.txt}
queries=$src/bench/queries-mix.tsv
raw_index=${BENCH_RAW_INDEX:-$( [ "$size" -gt 10000 ] 2>/dev/null && echo vanban || echo own )}
pipeline=${BENCH_PIPELINE:-1}
warmup=${BENCH_WARMUP:-420}
number_clients=${BENCH_NUMBER_CLIENTS:-8}
base_port=${BENCH_PORT:-$((20000 + $$ % 20000))}

case $size in *[!0-9]* | '') echo "compare: SIZE must be a number" >&2; exit 2 ;; esac
case $raw_index in own | vanban) ;; *) echo "compare: BENCH_RAW_INDEX must be own or vanban" >&2; exit 2 ;; esac
case $pipeline in 0 | 1) ;; *) echo "compare: BENCH_PIPELINE must be 0 or 1" >&2; exit 2 ;; esac
case $warmup$number_clients in *[!0-9]* | '') echo "compare: BENCH_WARMUP and BENCH_NUMBER_CLIENTS must be numbers" >&2; exit 2 ;; esac
[ -f /usr/include/sqlite3.h ] || {
	echo "compare: libsqlite3-dev is needed (apt-get install libsqlite3-dev)" >&2; exit 2; }
command -v psql >/dev/null || [ -d /usr/lib/postgresql ] || {
	echo "compare: PostgreSQL 15 (with its contrib unaccent) is needed" >&2; exit 2; }

if [ ! -x "$build/vanband" ] || [ ! -f "$build/Makefile" ]; then
	mkdir -p "$build"
	(cd "$src" && [ -x configure ] || autoreconf -fi)
	(cd "$build" && "$src/configure" -q CFLAGS='-O2 -g' CXXFLAGS='-O2 -g') >&2
fi
make -C "$build" -j"$(nproc)" vanban vanband bench/scale bench/loadgen bench/peerd >&2

export VB_SRCDIR=$src
export VB_CORPUS=${VB_CORPUS:-$src/../shared/corpus}
. "$src/tests/lib/pg.sh"
tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/vb-compare.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	# Wait for those only: a bare `wait` also waits for the tee of the
	# output (a process substitution), which waits for this script's end.
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
	pg_stop || true
}
trap cleanup EXIT
exec > >(tee "$out") 2>&1

now() { date +%s.%N; }
kib() { du -skL "$1" | cut -f1; }
rate() { # label start end docs bytes
	awk -v l="$1" -v a="$2" -v b="$3" -v n="$4" -v by="$5" 'BEGIN { d = b - a;
		printf "%-28s %8.1f s  %8.0f docs/s  %6.2f MB/s\n", l, d, n / d, by / 1e6 / d }'
}

echo "# vanban comparison harness, $(date -u +%Y-%m-%dT%H:%MZ), $size documents"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
	"$(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $build ($(grep -m1 '^CFLAGS =' "$build/Makefile" | sed 's/^CFLAGS = //'))"
echo "peer threads: $threads; vanband workers: ${vanban_threads:-its default}; $seconds s per run; clients: $clients; number lookups alone: $number_clients clients"
echo "raw Xapian peer: $( [ "$raw_index" = own ] && echo "its own index (loaded by peerd, timed)" ||
	echo "vanban's index (BENCH_RAW_INDEX=vanban: same terms by construction, load not measured)")"
echo

# ---- corpus ----
corpus=$tmp/corpus.jsonl
t0=$(now)
"$build/bench/scale" -n "$size" --seed "$seed" --avg-kb "$avg_kb" -o "$corpus" 2>"$tmp/scale.log"
t1=$(now)
grep 'scale: [0-9]' "$tmp/scale.log"
text_bytes=$(awk '/scale: [0-9]+ documents/ { print $4 * 1e6 }' "$tmp/scale.log")
echo "manifest: $(($(stat -c %s "$corpus") / 1048576)) MiB, generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
echo

# ---- loading ----
# The cluster holds vanban's database and the pg peer's table: put it
# under BENCH_TMP too.
TMPDIR=${BENCH_TMP:-${TMPDIR:-/tmp}} pg_start >/dev/null
# pg_start sets its own EXIT trap (pg_stop); put ours back, which stops the
# daemons, removes the work directory and then calls pg_stop itself.
trap cleanup EXIT
echo "## Loading (text: $(awk -v b="$text_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"
data=$tmp/vanban
"$build/vanban" --data-dir "$data" migrate >/dev/null 2>&1
t0=$(now)
"$build/vanban" --data-dir "$data" import --quiet "$corpus" >"$tmp/import.out"
t1=$(now)
"$build/vanban" --data-dir "$data" index >/dev/null 2>&1
t2=$(now)
rate "vanban import (PostgreSQL)" "$t0" "$t1" "$size" "$text_bytes"
rate "vanban index (Xapian)" "$t1" "$t2" "$size" "$text_bytes"
rate "vanban import + index" "$t0" "$t2" "$size" "$text_bytes"

# Pipelined, as in production: the indexer follows the outbox (as the
# daemon's indexer thread does) while the import writes, into a second
# database; timed from the start of the import until the indexer has
# drained the outbox and stopped (its last compaction included).
if [ "$pipeline" = 1 ]; then
	pipe_db="${VANBAN_DB% dbname=*} dbname=vanban_pipe"
	pipe_data=$tmp/vanban-pipe
	pg_as_owner "$PG_BIN/createdb" -h "$PG_DIR/run" -U "$PG_USER" vanban_pipe
	"$build/vanban" --db "$pipe_db" --data-dir "$pipe_data" migrate >/dev/null 2>&1
	pending() { psql "$pipe_db" -Atc "SELECT count(*) FROM index_outbox" 2>/dev/null ||
		pg_as_owner psql "$pipe_db" -Atc "SELECT count(*) FROM index_outbox"; }
	t0=$(now)
	"$build/vanban" --db "$pipe_db" --data-dir "$pipe_data" index --follow >"$tmp/follow.log" 2>&1 &
	follow=$!
	pids+=("$follow")
	"$build/vanban" --db "$pipe_db" --data-dir "$pipe_data" import --quiet "$corpus" >"$tmp/import-pipe.out"
	t1=$(now)
	while [ "$(pending)" != 0 ]; do sleep 0.2; done
	kill -TERM "$follow"
	wait "$follow" || true
	t2=$(now)
	rate "vanban import | index --follow" "$t0" "$t2" "$size" "$text_bytes"
	echo "    import alone done after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s;" \
		"index $(awk -v k="$(kib "$pipe_data/index")" -v t="$text_bytes" 'BEGIN { printf "%.2f", k * 1024 / t }') x text," \
		"$(grep -c 'index compacted' "$tmp/follow.log" || true) compaction(s)"
	rm -rf "$pipe_data"
	pg_as_owner "$PG_BIN/dropdb" -h "$PG_DIR/run" -U "$PG_USER" vanban_pipe
else
	echo "vanban import | index --follow    not run (BENCH_PIPELINE=0)"
fi

# The raw Xapian peer's index: its own (loaded below) or vanban's, whose
# DATA/index is a symlink to the live DATA/index.<N> (indexer/indexer.c).
if [ "$raw_index" = own ]; then
	xapian_db=$tmp/xapian
else
	xapian_db=$(readlink -f "$data/index")
fi
for b in pg sqlite xapian; do
	case $b in
	pg) db=$VANBAN_DB ;;
	sqlite) db=$tmp/fts5.db ;;
	xapian) db=$xapian_db ;;
	esac
	if [ "$b" = xapian ] && [ "$raw_index" = vanban ]; then
		echo "xapian load                  not measured (BENCH_RAW_INDEX=vanban: the peer searches vanban's index)"
		continue
	fi
	t0=$(now)
	"$build/bench/peerd" --backend "$b" --db "$db" --load "$corpus" >"$tmp/load-$b.out" 2>&1 ||
		{ cat "$tmp/load-$b.out"; exit 1; }
	t1=$(now)
	rate "$b load" "$t0" "$t1" "$size" "$text_bytes"
	grep 'peerd: pg:' "$tmp/load-$b.out" | sed 's/^/    /' || true
done
echo

# ---- sizes ----
psql_q() { psql "$VANBAN_DB" -Atc "$1" 2>/dev/null || pg_as_owner psql "$VANBAN_DB" -Atc "$1"; }
pg_peer=$(psql_q "SELECT pg_total_relation_size('bench_doc')" || echo 0)
vb_db=$(psql_q "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
	AND c.relname <> 'bench_doc'" || echo 0)
echo "## Size on disk (text $(awk -v b="$text_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"
sz() { awk -v l="$1" -v k="$2" -v t="$text_bytes" 'BEGIN {
	printf "%-36s %9.1f MB  %5.2f x text\n", l, k / 1e6, k / t }'; }
sz "vanban Xapian index" "$(($(kib "$data/index") * 1024))"
sz "vanban PostgreSQL tables + indexes" "${vb_db:-0}"
sz "vanban data dir besides the index" "$(($(du -sk --exclude='index*' "$data" | cut -f1) * 1024))"
sz "pg peer (table, TOAST, GIN)" "${pg_peer:-0}"
sz "sqlite peer (FTS5, contentless)" "$(($(kib "$tmp/fts5.db") * 1024))"
if [ "$raw_index" = own ]; then
	sz "xapian peer" "$(($(kib "$tmp/xapian") * 1024))"
else
	echo "xapian peer                          vanban's index (not a copy)"
fi
echo

# ---- daemons ----
port=$base_port
declare -A url pid
# The next port nobody answers on (other people's daemons may run here).
free_port() {
	while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do port=$((port + 1)); done
}
start() { # name url command...
	local name=$1 u=$2
	shift 2
	"$@" >"$tmp/daemon-$name.log" 2>&1 &
	pid[$name]=$!
	pids+=("$!")
	url[$name]=$u
	for _ in $(seq 100); do
		curl -s -o /dev/null "$u?q=x" && break
		sleep 0.1
	done
	kill -0 "${pid[$name]}" 2>/dev/null || {
		echo "compare: $name did not start:" >&2; cat "$tmp/daemon-$name.log" >&2; exit 1; }
}
free_port
# vanband as in production: with its synonym table (data/synonyms.tsv).
VANBAN_SYNONYMS=$src/data/synonyms.tsv \
start vanban "http://127.0.0.1:$port/api/v1/search" \
	"$build/vanband" --listen "127.0.0.1:$port" --data-dir "$data" --web-dir "$src/web" \
	--no-indexer ${vanban_threads:+--threads "$vanban_threads"}
# vanband's first start on a store runs a full validity pass (one short
# transaction per document: ~12 s of PostgreSQL CPU at 10,000 documents;
# later starts only look at the documents with a date since the last pass,
# docs/relations.md); measure after it, when PostgreSQL has been idle for
# 2 s in a row.
pg_ticks() { # CPU clock ticks (user + system) of this cluster's processes so far
	local pm
	pm=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null) || pm=
	[ -n "$pm" ] || { echo 0; return; }
	for p in "$pm" $(pgrep -P "$pm"); do cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null; done |
		awk '{ s += $1 + $2 } END { print s + 0 }'
}
pg_busy() { # clock ticks of PostgreSQL's processes over 1 s
	local a b
	a=$(pg_ticks)
	sleep 1
	b=$(pg_ticks)
	echo $((b > a ? b - a : 0))
}
t0=$(now)
idle=0
for _ in $(seq 1800); do
	if [ "$(pg_busy)" -le 5 ]; then idle=$((idle + 1)); else idle=0; fi
	[ "$idle" -ge 2 ] && break
done
echo "vanband's start-up validity pass: PostgreSQL idle after $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s"
for b in pg sqlite xapian hello; do
	port=$((port + 1))
	free_port
	case $b in
	pg) db=$VANBAN_DB ;;
	sqlite) db=$tmp/fts5.db ;;
	xapian) db=$xapian_db ;;
	hello) db= ;;
	esac
	start "$b" "http://127.0.0.1:$port/search" \
		"$build/bench/peerd" --backend "$b" --db "$db" --port "$port" --threads "$threads"
done

# Same answers?  Totals per query of each peer against raw Xapian.
echo "## Answers (totals equal to raw Xapian's, of $(grep -vc '^type' "$queries") queries)"
for n in vanban pg sqlite xapian; do
	"$build/bench/loadgen" --url "${url[$n]}" --extra per_page=10 --check "$queries" |
		awk -F'\t' '{ match($4, /"total":[0-9]+/); print $1 "\t" $2 "\t" substr($4, RSTART + 8, RLENGTH - 8) }' \
		>"$tmp/check-$n.tsv"
done
for n in vanban pg sqlite; do
	paste "$tmp/check-$n.tsv" "$tmp/check-xapian.tsv" | awk -F'\t' -v n="$n" '
		{ t[$1]++; if ($2 != 200) bad[$1]++; else if ($3 == $6) eq[$1]++ }
		END { printf "  %-7s", n; for (k in t) printf "  %s %d/%d", k, eq[k], t[k];
		      for (k in bad) printf "  (%s: %d errors)", k, bad[k]; print "" }'
done
echo

# ---- load ----
echo "## Load (bench/loadgen, HTTP/1.1 keep-alive, $seconds s per run; latency in ms)"
summary=$tmp/summary
: >"$summary"
for n in vanban pg sqlite xapian hello; do
	[ "$warmup" -gt 0 ] &&
		"$build/bench/loadgen" --url "${url[$n]}" --extra per_page=10 -n "$warmup" -c 2 "$queries" >/dev/null
	for c in $clients; do
		"$build/bench/loadgen" --url "${url[$n]}" --extra per_page=10 -c "$c" -d "$seconds" \
			--label "$n" "$queries" | tee "$tmp/run" | sed 's/^/  /'
		awk -v n="$n" -v c="$c" '
			NR == 1 { qps = $3; cpu = $(NF - 3) }
			/^  all / { p50 = $4; p99 = $7 }
			/^  number / { np99 = $7 }
			END { print n, c, qps, p50, p99, np99, cpu }' "$tmp/run" >>"$summary"
	done
	echo "  $n RSS after the runs: $(($(ps -o rss= -p "${pid[$n]}") / 1024)) MiB"
	echo
done

echo "## Summary (all query types; q/s, p50/p99 ms; number = p99 of number lookups)"
printf "%-8s %3s %10s %9s %9s %11s %10s\n" target c "q/s" p50 p99 "number p99" "client CPU"
awk '{ printf "%-8s %3s %10s %9s %9s %11s %10s\n", $1, $2, $3, $4, $5, $6, $7 }' "$summary"
echo
echo "## vanban's queries/s as a ratio to each peer's, per concurrency"
awk '{ q[$1 " " $2] = $3; cs[$2] = 1; if ($1 != "vanban") peers[$1] = 1 }
	END { for (c in cs) { printf "  c=%s:", c;
		for (p in peers) if (q[p " " c] > 0) printf "  /%s %.3g", p, q["vanban " c] / q[p " " c];
		print "" } }' "$summary" | sort
echo
# ---- number lookups alone (the issue's target: >= 10,000/s, p99 <= 2 ms) ----
numbers=$tmp/queries-number.tsv
awk -F'\t' '$1 == "number"' "$queries" >"$numbers"
echo "## Number lookups alone ($(wc -l <"$numbers") queries of type number, $number_clients clients, $seconds s; latency in ms; target >= 10,000/s, p99 <= 2 ms)"
printf "%-8s %10s %9s %9s %9s %6s %10s\n" target "q/s" p50 p99 max err "client CPU"
for n in vanban xapian pg sqlite; do
	"$build/bench/loadgen" --url "${url[$n]}" --extra per_page=10 -c "$number_clients" -d "$seconds" \
		--label "$n" "$numbers" >"$tmp/run-number-$n"
	awk -v n="$n" '
		NR == 1 { qps = $3; err = $7; cpu = $(NF - 3) }
		/^  all / { p50 = $4; p99 = $7; max = $10 }
		END { printf "%-8s %10s %9s %9s %9s %6s %10s\n", n, qps, p50, p99, max, err, cpu }' \
		"$tmp/run-number-$n"
done
echo

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report: $out"
