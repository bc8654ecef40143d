#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Replication benchmark (docs/scaling.md): sizes, import and index rates,
# replica set-up, incremental and full index replication, and the lag from
# an import on the primary to a search hit on a read-only replica, all on
# 127.0.0.1.
#
#   bench/replica.sh [BUILD_DIR] [COPIES]
#
# Corpus: data/sample/documents.jsonl (431 real documents) repeated COPIES
# times (default 20) under distinct sources "bench1".."benchN", without
# the original files, so term statistics per document are those of real
# documents.  Uses tests/lib/pg.sh, scripts/replica, vanban and vanband of
# BUILD_DIR (default build/check).  Prints the report on stdout.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/check}
copies=${2:-20}
[ -x "$build/vanband" ] || { echo "bench: no vanband in $build" >&2; exit 2; }
export VB_SRCDIR=$src PATH=$build:$PATH VANBAN_SYNONYMS=$src/data/synonyms.tsv
export XAPIAN_MAX_CHANGESETS=100 VANBAN_LOG_LEVEL=warn

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
port() { echo $((20000 + (RANDOM * 7 + $1) % 40000)); }

p1=$(port 1)
export PGPORT=$p1 PG_EXTRA_OPTS="-c listen_addresses=127.0.0.1 -c port=$p1"
. "$src/tests/lib/pg.sh"
pg_start
unset PG_EXTRA_OPTS
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -f "$PG_DIR/standby/data/postmaster.pid" ] &&
		pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/standby/data" -m immediate -w stop >/dev/null 2>&1
	pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
D=$tmp/data R=$tmp/rdata
V() { vanban --data-dir "$D" "$@"; }
# bytes of the changesets the live index keeps
changes_bytes() { find "$D/index/" -name 'changes*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

echo "# vanban replication benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1 /proc/loadavg)"
echo "build: $build ($(sed -n 's/^CFLAGS = //p' "$build/Makefile"))"

for i in $(seq 1 "$copies"); do
	jq -c --arg s "bench$i" '.source = $s | del(.files)' "$src/data/sample/documents.jsonl"
done >"$tmp/corpus.jsonl"
n=$(grep -c . "$tmp/corpus.jsonl")
echo "corpus: data/sample/documents.jsonl x $copies = $n documents, $(($(stat -c %s "$tmp/corpus.jsonl") / 1048576)) MiB of JSON"

V migrate >/dev/null
t=$(now); V import --quiet "$tmp/corpus.jsonl" >/dev/null; ti=$(since "$t")
t=$(now); V index >/dev/null; tx=$(since "$t")
idx_bytes=$(du -sb --exclude='changes*' "$D/index/" | cut -f1)
chg_bytes=$(changes_bytes)
db_bytes=$(psql "$VANBAN_DB" -Atc "select pg_database_size(current_database())")
echo
echo "## primary"
echo "import: $n documents in ${ti} s = $(awk -v n="$n" -v t="$ti" 'BEGIN { printf "%.0f", n / t }') documents/s"
echo "index (vanban index, from the outbox): ${tx} s = $(awk -v n="$n" -v t="$tx" 'BEGIN { printf "%.0f", n / t }') documents/s"
echo "index size: $idx_bytes bytes = $((idx_bytes / n)) bytes/document (changesets kept beside it: $chg_bytes bytes)"
echo "database size: $db_bytes bytes = $((db_bytes / n)) bytes/document (pg_database_size, text and metadata)"

t=$(now); V reindex >/dev/null; tr=$(since "$t")
idx_bytes2=$(du -sb "$D/index/" | cut -f1)
echo "full reindex: ${tr} s = $(awk -v n="$n" -v t="$tr" 'BEGIN { printf "%.0f", n / t }') documents/s, fresh index $idx_bytes2 bytes = $((idx_bytes2 / n)) bytes/document"

xport=$(port 3)
setsid xapian-replicate-server -I 127.0.0.1 -p "$xport" "$D" >/dev/null 2>&1 &
pids+=($!)
sleep 0.3

echo
echo "## replica set-up"
mkdir -p "$PG_DIR/standby/run"
[ "$(id -u)" = 0 ] && chown -R postgres "$PG_DIR/standby"
t=$(now)
pg_as_owner env PG_BIN="$PG_BIN" "$src/scripts/replica" pg-clone --primary "127.0.0.1:$p1" \
	--pgdata "$PG_DIR/standby/data" --user "$PG_USER" 2>/dev/null
tb=$(since "$t")
p2=$(port 2)
pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/standby/data" -l "$PG_DIR/standby/run/log" -w \
	-o "-c listen_addresses=127.0.0.1 -c port=$p2 -c unix_socket_directories='$PG_DIR/standby/run'" start >/dev/null
RDB="host=127.0.0.1 port=$p2 user=$PG_USER dbname=vanban"
echo "pg_basebackup -R of a $db_bytes-byte database: ${tb} s"
mkdir -p "$R"
t=$(now); "$src/scripts/replica" index-follow --once --primary "127.0.0.1:$xport" --data-dir "$R" 2>/dev/null
tf=$(since "$t")
echo "first index pull (full copy of $idx_bytes2 bytes): ${tf} s"

echo
echo "## incremental replication (100 new documents, vanban index, one index-follow pass)"
head -n 100 "$src/data/sample/documents.jsonl" | jq -c '.source = "inc" | del(.files)' >"$tmp/inc.jsonl"
before=$(changes_bytes)
V import --quiet "$tmp/inc.jsonl" >/dev/null
V index >/dev/null
after=$(changes_bytes)
t=$(now); "$src/scripts/replica" index-follow --once --primary "127.0.0.1:$xport" --data-dir "$R" 2>/dev/null
tc=$(since "$t")
echo "changeset: $((after - before)) bytes for 100 documents; pulled and applied in ${tc} s"

echo
echo "## full reindex on the primary, then one index-follow pass"
V reindex >/dev/null
t=$(now); "$src/scripts/replica" index-follow --once --primary "127.0.0.1:$xport" --data-dir "$R" 2>/dev/null
tf2=$(since "$t")
echo "full copy after reindex: ${tf2} s ($(du -sb "$R/index/" | cut -f1) bytes)"

echo
echo "## lag: import of one document on the primary -> hit on the replica"
V index --follow >/dev/null 2>&1 &
pids+=($!)
"$src/scripts/replica" index-follow --primary "127.0.0.1:$xport" --data-dir "$R" --interval 1 2>/dev/null &
pids+=($!)
hport=$(port 4)
vanband --listen "127.0.0.1:$hport" --data-dir "$R" --db "$RDB" --read-only --web-dir "$src/web" \
	--threads 2 >/dev/null 2>&1 &
pids+=($!)
for i in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$hport/readyz" && break; sleep 0.1; done
lags=() pglags=()
chg0=$(changes_bytes)
for k in $(seq 1 10); do
	w="lagprobe${k}x$RANDOM"
	printf '%s\n' "{\"source\": \"lag\", \"source_id\": \"$w\", \"form\": \"Quyết định\", \"issuer\": \"UBND tỉnh Quảng Ninh\", \"issue_date\": \"2026-11-30\", \"abstract\": \"thử nghiệm $w\", \"text\": \"thử nghiệm độ trễ $w\"}" >"$tmp/one.jsonl"
	t=$(now)
	V import --quiet "$tmp/one.jsonl" >/dev/null
	pg=""
	while :; do
		if [ -z "$pg" ] && [ "$(psql "$RDB" -Atc "select count(*) from documents where source_id = '$w'")" = 1 ]; then
			pg=$(since "$t")
		fi
		if [ "$(curl -s "http://127.0.0.1:$hport/api/v1/search?q=$w" | jq -r .total)" = 1 ]; then
			break
		fi
		sleep 0.02
	done
	lags+=("$(since "$t")")
	pglags+=("${pg:-$(since "$t")}")
	sleep 0.$((RANDOM % 9 + 1)) # start the next import at another point of the pull cycle
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "min %.2f s, median %.2f s, max %.2f s (n=%d)", a[1], (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2, a[NR], NR }'; }
echo "row visible on the standby (streaming replication): $(stats "${pglags[@]}")"
echo "searchable on the replica (indexer + xapian-replicate every 1 s): $(stats "${lags[@]}")"
echo "changesets of those 10 one-document commits: $(($(changes_bytes) - chg0)) bytes in all"
