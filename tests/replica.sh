#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A read replica on 127.0.0.1, on the engines' own replication (issue 7,
# "Scale-out"):
#
#   primary: PostgreSQL on 127.0.0.1:P1 (tests/lib/pg.sh), the fixture
#            imported and indexed, `vanban index --follow` writing Xapian
#            changesets (XAPIAN_MAX_CHANGESETS), `scripts/replica
#            index-serve` (xapian-replicate-server) on 127.0.0.1:X
#   replica: a hot standby made by `scripts/replica pg-clone`
#            (pg_basebackup -R) on 127.0.0.1:P2, `scripts/replica
#            index-follow` (xapian-replicate every 0.5 s), and
#            `vanband --read-only` on the standby and the replicated index
#
# Checks: /readyz on the replica says role replica, PostgreSQL in
# recovery, WAL streaming; the replica answers the same search as the
# primary; a document imported on the primary becomes searchable (and
# readable from the standby) on the replica within BOUND seconds (the time
# is measured and printed); the index is replicated by changesets, and a
# full `vanban reindex` on the primary (new index directory) reaches the
# replica too; POSTs on the replica are 503 read_only; with the primary's
# PostgreSQL and replication server stopped the replica keeps serving.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

BOUND=15 # seconds: import on the primary -> searchable on the replica
VANBAN_SYNONYMS=$VB_SRCDIR/data/synonyms.tsv
export VANBAN_SYNONYMS

for tool in jq curl xapian-replicate xapian-replicate-server; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
[ -x "$PG_BIN/pg_basebackup" ] || { echo "1..0 # SKIP pg_basebackup is not installed"; exit 0; }

# A port of 20000-59999 derived from the pid and the clock: a collision
# only fails the start, which is retried with the next candidate.
pick_port() {
	echo $((20000 + ($$ * 31 + $1 * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/') % 977) % 40000))
}
ms_now() { date +%s%3N; }

# The primary: a port taken meanwhile (by another test's server, or as the
# local end of some outgoing connection) fails its start: try another.
started=
for attempt in 1 2 3 4 5; do
	p1=$(pick_port "$attempt")
	PGPORT=$p1
	PG_EXTRA_OPTS="-c listen_addresses=127.0.0.1 -c port=$p1 -c wal_level=replica -c max_wal_senders=5"
	export PGPORT PG_EXTRA_OPTS
	if pg_start; then
		started=1
		break
	fi
	[ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
	echo "# the primary could not start on 127.0.0.1:$p1, trying another port" >&2
done
[ -n "$started" ] || bail "could not start the primary PostgreSQL (5 ports tried, the last 127.0.0.1:$p1)"
unset PG_EXTRA_OPTS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-replica.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
STANDBY=$PG_DIR/standby
idx_pid= srv_pid= follow_pid=
cleanup() {
	for p in ${vbd_pid:-} $idx_pid $srv_pid $follow_pid; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -f "$STANDBY/data/postmaster.pid" ] &&
		pg_as_owner "$PG_BIN/pg_ctl" -D "$STANDBY/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$tmp"
	pg_stop
}
trap cleanup EXIT

# --- the primary -----------------------------------------------------
# Xapian writes changesets (the incremental replication unit) only when
# the writing process has XAPIAN_MAX_CHANGESETS set.
XAPIAN_MAX_CHANGESETS=100
export XAPIAN_MAX_CHANGESETS
vbd_load || bail "could not load the fixture (migrate / import / index)"
vanban --data-dir "$tmp/data" index --follow >"$tmp/follow-indexer.log" 2>&1 &
idx_pid=$!

attempt=0
while :; do
	attempt=$((attempt + 1))
	xport=$(pick_port $((attempt + 10)))
	"$VB_SRCDIR/scripts/replica" index-serve --data-dir "$tmp/data" --listen "127.0.0.1:$xport" \
		>"$tmp/index-serve.log" 2>&1 &
	srv_pid=$!
	sleep 0.3
	kill -0 "$srv_pid" 2>/dev/null && break
	[ $attempt -lt 5 ] || bail "xapian-replicate-server did not start: $(cat "$tmp/index-serve.log")"
done
ok "xapian-replicate-server serves the primary's data directory on 127.0.0.1:$xport"

# --- the replica's PostgreSQL: pg_basebackup -R, then a hot standby ----
mkdir "$STANDBY" || bail "mkdir"
[ "$(id -u)" = 0 ] && chown postgres "$STANDBY"
t0=$(ms_now)
if pg_as_owner env PG_BIN="$PG_BIN" "$VB_SRCDIR/scripts/replica" pg-clone \
	--primary "127.0.0.1:$p1" --pgdata "$STANDBY/data" --user "$PG_USER" --slot vanban_test \
	>"$tmp/pg-clone.log" 2>&1; then
	ok "scripts/replica pg-clone made a standby ($(($(ms_now) - t0)) ms)"
else
	nok "scripts/replica pg-clone made a standby"; sed 's/^/#   /' "$tmp/pg-clone.log"
	bail "no standby"
fi
[ -f "$STANDBY/data/standby.signal" ] && grep -q "primary_conninfo" "$STANDBY/data/postgresql.auto.conf" &&
	ok "the standby has standby.signal and primary_conninfo (-R)" ||
	nok "the standby has standby.signal and primary_conninfo (-R)"
started=0
for k in 1 2 3 4 5; do
	p2=$(pick_port $((k + 20)))
	mkdir -p "$STANDBY/run" && [ "$(id -u)" = 0 ] && chown postgres "$STANDBY/run"
	if pg_as_owner "$PG_BIN/pg_ctl" -D "$STANDBY/data" -l "$STANDBY/run/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -c port=$p2 -c unix_socket_directories='$STANDBY/run' -c hot_standby=on" \
		start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ $started = 1 ] || { sed 's/^/#   /' "$STANDBY/run/server.log" | tail -n 20; bail "the standby did not start"; }
REPLICA_DB="host=127.0.0.1 port=$p2 user=$PG_USER dbname=vanban"
is "the standby is in recovery" "$(psql "$REPLICA_DB" -Atc 'select pg_is_in_recovery()' 2>&1)" t

# --- the replica's index and files ------------------------------------
# Same host: the replica reads the primary's content-addressed files
# through a symlink (on another machine: files-sync, or shared storage).
mkdir -p "$tmp/rdata" && ln -s "$tmp/data/files" "$tmp/rdata/files"
"$VB_SRCDIR/scripts/replica" index-follow --primary "127.0.0.1:$xport" --data-dir "$tmp/rdata" \
	--interval 0.5 >"$tmp/index-follow.log" 2>&1 &
follow_pid=$!
i=0
while [ ! -L "$tmp/rdata/index" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -L "$tmp/rdata/index" ] && ok "index-follow made rdata/index -> $(readlink "$tmp/rdata/index")" ||
	{ nok "index-follow made rdata/index"; sed 's/^/#   /' "$tmp/index-follow.log"; }

# --- the read-only daemon on the replica -------------------------------
vbd_start --data-dir "$tmp/rdata" --db "$REPLICA_DB" --read-only || {
	sed 's/^/#   /' "$tmp/daemon.log"; bail "vanband --read-only did not start"; }
get() {
	p=$1; shift
	code=$(curl -s -g -o "$tmp/body" -w '%{http_code}' "$@" "$base$p")
}
body() { jq -r "$1" "$tmp/body"; }

get /readyz
is "replica /readyz 200" "$code" 200
is "replica /readyz role" "$(body .role)" replica
is "replica /readyz: PostgreSQL in recovery" "$(body .replica.postgres_in_recovery)" true
is "replica /readyz: WAL receiver streaming" "$(body .replica.wal_receiver)" streaming
is "replica /readyz: 5 documents in the replicated index" "$(body .replica.index_documents)" 5
grep -q "read-only replica" "$tmp/daemon.log" && ok "the daemon logs that it is a read-only replica" ||
	nok "the daemon logs that it is a read-only replica"
grep -q "schema migration" "$tmp/daemon.log" && nok "a replica applies no migrations" ||
	ok "a replica applies no migrations"

Q="/api/v1/search?q=c%E1%BB%95ng%20th%C3%B4ng%20tin%20%C4%91i%E1%BB%87n%20t%E1%BB%AD"
primary_first=$(vanban --data-dir "$tmp/data" search "cổng thông tin điện tử" 2>/dev/null | jq -r '[.total, .hits[0].id] | join(",")')
get "$Q"
is "the replica answers the primary's search (same total and first hit)" \
	"$(body '[.total, .hits[0].id] | join(",")')" "$primary_first"

# --- writes are refused -------------------------------------------------
get /api/v1/uploads -X POST -H 'Authorization: Bearer x' -F "file=@$VBD_FIXTURES/quyche.txt"
is "POST /api/v1/uploads on the replica is 503" "$code" 503
is "... with error code read_only" "$(body .error.code)" read_only
get /api/v1/search -X POST -d 'q=x'
is "any POST on the replica is 503 read_only" "$code,$(body .error.code)" "503,read_only"
get /api/v1/portals -X POST -H 'Content-Type: application/json' -d '{"id":"x"}'
is "POST on another module's write route is 503 read_only" "$code,$(body .error.code)" "503,read_only"
get /api/v1/search -X DELETE
is "DELETE on the replica is 503 read_only" "$code,$(body .error.code)" "503,read_only"

# --- a document published on the primary reaches the replica -------------
word=replicaprobe$$
printf '%s\n' "{\"source\": \"replica-test\", \"source_id\": \"r1\", \"number\": \"77/2026/QĐ-UBND\", \"form\": \"Quyết định\", \"issuer\": \"UBND tỉnh Quảng Ninh\", \"issue_date\": \"2026-11-30\", \"abstract\": \"Về việc thử nghiệm bản sao $word\", \"status\": \"in_force\", \"category\": \"normative\", \"text\": \"Quyết định thử nghiệm bản sao chỉ đọc $word.\"}" \
	>"$tmp/new.jsonl"
t0=$(ms_now)
vanban --data-dir "$tmp/data" import "$tmp/new.jsonl" >"$tmp/import2.log" 2>&1 ||
	{ sed 's/^/#   /' "$tmp/import2.log"; bail "import on the primary failed"; }
t_import=$(ms_now)
found=0
while [ $(($(ms_now) - t0)) -lt $((BOUND * 1000)) ]; do
	get "/api/v1/search?q=$word"
	if [ "$code" = 200 ] && [ "$(body .total)" = 1 ]; then found=1; break; fi
	sleep 0.05
done
lag=$(($(ms_now) - t0))
echo "# import on the primary took $((t_import - t0)) ms; searchable on the replica $lag ms after the import started"
[ $found = 1 ] && ok "a document imported on the primary is searchable on the replica within ${BOUND}s ($lag ms)" ||
	nok "a document imported on the primary is searchable on the replica within ${BOUND}s"
newid=$(body '.hits[0].id')
get "/api/v1/documents/$newid"
is "the replica reads the new document from its standby" "$code,$(body .number)" "200,77/2026/QĐ-UBND"
n_changes=$(ls "$tmp/data/index/" | grep -c '^changes')
[ "$n_changes" -ge 1 ] && ok "the primary's index keeps changesets for incremental replication ($n_changes)" ||
	nok "the primary's index keeps changesets for incremental replication"
grep -q "could not replicate" "$tmp/index-follow.log" && nok "no error from index-follow" ||
	ok "no error from index-follow"

# --- a full reindex on the primary (new index.<N> directory) ------------
before=$(readlink "$tmp/rdata/index")
# searches keep running on the replica while it switches to the full copy
: >"$tmp/during"
( while [ ! -f "$tmp/stop-load" ]; do
	curl -s -o /dev/null -w '%{http_code}\n' "$base/api/v1/search?q=$word" >>"$tmp/during"
  done ) &
load_pid=$!
t0=$(ms_now)
vanban --data-dir "$tmp/data" reindex >"$tmp/reindex.log" 2>&1 || { sed 's/^/#   /' "$tmp/reindex.log"; nok "reindex"; }
moved=0
while [ $(($(ms_now) - t0)) -lt $((BOUND * 1000)) ]; do
	if [ "$(readlink "$tmp/rdata/index")" != "$before" ]; then moved=1; break; fi
	sleep 0.05
done
sleep 1
touch "$tmp/stop-load"
wait "$load_pid"
is "searches during the switch: all 200 ($(wc -l <"$tmp/during") requests)" \
	"$(grep -cv '^200$' "$tmp/during")" 0
echo "# reindex on the primary: replica switched to the full copy $(($(ms_now) - t0)) ms after the reindex started"
[ $moved = 1 ] && ok "after a primary reindex the replica switched to a full copy ($before -> $(readlink "$tmp/rdata/index"))" ||
	nok "after a primary reindex the replica switched to a full copy"
get "/api/v1/search?q=$word"
is "the replica still finds the new document after the reindex" "$code,$(body .total)" "200,1"
get /readyz
is "replica /readyz: 6 documents after the reindex" "$(body .replica.index_documents)" 6

# --- the primary goes away -------------------------------------------------
kill "$idx_pid" "$srv_pid" 2>/dev/null
wait "$idx_pid" "$srv_pid" 2>/dev/null
idx_pid= srv_pid=
pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
sleep 1.5 # three index-follow passes against a dead primary
get "/api/v1/search?q=$word"
is "with the primary stopped the replica still searches" "$code,$(body .total)" "200,1"
get "$Q"
is "... and answers the same search" "$(body '[.total, .hits[0].id] | join(",")')" "$primary_first"
get "/api/v1/documents/$newid"
is "... and reads documents from its standby" "$code" 200
get /readyz
is "... and is still ready" "$code,$(body .ready)" "200,true"
kill -0 "$follow_pid" 2>/dev/null && ok "index-follow keeps running (retrying) without the primary" ||
	nok "index-follow keeps running without the primary"
grep -q "could not replicate the index" "$tmp/index-follow.log" &&
	ok "index-follow logs that the primary is unreachable" ||
	nok "index-follow logs that the primary is unreachable"

vbd_stop
is "the replica daemon stops cleanly" "$vbd_status" 0
echo "1..$n"
