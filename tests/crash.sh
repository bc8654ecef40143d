#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The kill test: kill -9 at random moments (seeded; the seed is printed, set
# VB_CRASH_SEED to replay a run, VB_CRASH_KILLS to change the number of
# kills, default 51) across the three writers, in a random order:
#
#   import   `vanban import` of a manifest (40 documents of the sample, a
#            random part of them changed each time, so documents get new
#            versions) plus a tar archive of new files, killed while it
#            runs; restarted to completion; then the store must hold exactly that manifest
#            (every changed abstract and no other, every signer: nothing
#            lost, nothing half-written)
#   index    `vanban index --follow` with pending jobs, killed while it
#            applies them; restarted (`vanban index`)
#   daemon   vanband with its indexer thread while a client uploads files
#            and confirms them, killed; restarted, it must drain the outbox
#
# After each restart: `vanban check` must be clean (every document in the
# index with its version, nothing in the index without a row, every
# referenced file present with its SHA-256, no stuck job; files a killed
# writer left are young, so "in flight"), plus direct invariants in SQL and
# on disk.  At the end, `vanban check --grace 0 --repair` moves what the
# kills left behind (temporary files, unreferenced files) to the quarantine
# and a final `vanban check --grace 0` is clean.
#
# Budget: a few minutes on 2 cores (see docs/operations.md for figures).

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl tar awk; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done

SEED=${VB_CRASH_SEED:-$(date +%s)}
KILLS=${VB_CRASH_KILLS:-51}
echo "# seed $SEED (replay: VB_CRASH_SEED=$SEED), $KILLS kills"

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-crash.XXXXXX") || bail "mktemp"
cleanup() {
	[ -n "${dpid:-}" ] && kill -9 "$dpid" 2>/dev/null
	[ -n "${cpid:-}" ] && kill -9 "$cpid" 2>/dev/null
	rm -rf "$tmp"
	pg_stop
}
trap cleanup EXIT
D="$tmp/data"
TOKEN=crash-test-token-51e0
export VANBAN_SYNONYMS="$VB_SRCDIR/data/synonyms.tsv"
vb() { vanban --data-dir "$D" "$@"; }
sql() { psql -qAtX "$VANBAN_DB" -c "$1"; }

# Random numbers from the seed: rnd N sets $r to 0..N-1.
awk -v s="$SEED" 'BEGIN { srand(s); for (i = 0; i < 20000; i++) print int(rand() * 1000000) }' >"$tmp/rand"
exec 7<"$tmp/rand"
rnd() { read -r r <&7; r=$((r % $1)); }
# nap MS: sleep MS milliseconds
nap() { sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; }

mkdir -p "$tmp/in" "$tmp/arch"
cp -r "$VB_SRCDIR/data/sample/files" "$tmp/in/files"
# A part of the sample keeps each round short: the documents with files
# and the first others, NDOCS in all.
NDOCS=40
{ grep '"files": \["' "$VB_SRCDIR/data/sample/documents.jsonl"
  grep -v '"files": \["' "$VB_SRCDIR/data/sample/documents.jsonl"; } | head -n $NDOCS >"$tmp/in/base.jsonl"
vb migrate >"$tmp/log" 2>&1 || bail "migrate failed"
# uploads belong to a portal (docs/workflow.md)
grep '^quangninh	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
vb portal import "$tmp/portals.tsv" >>"$tmp/log" 2>&1 || bail "portal import failed"
vb import "$tmp/in/base.jsonl" >>"$tmp/log" 2>&1 || bail "import failed"
vb index >>"$tmp/log" 2>&1 || bail "index failed"
# What the base import committed, to compare each round's result with.
sql "CREATE TABLE crash_base AS SELECT source, source_id, abstract FROM documents" || bail "psql failed"
SIGNERS=$(sql "SELECT count(*) FROM signers")

# manifest I M O: the base with the abstract of every M-th line changed
manifest() {
	jq -c --argjson i "$1" --argjson m "$2" --argjson o "$3" \
		'if ((.source_id | explode | add) + $o) % $m == 0 then .abstract += " (bản \($i))" else . end' \
		"$tmp/in/base.jsonl" >"$tmp/in/m$1.jsonl"
}
# archive I: a tar of 4 new text documents
archive() {
	rm -rf "$tmp/arch/$1"
	mkdir -p "$tmp/arch/$1"
	for k in 1 2 3 4; do
		printf 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\nSố: %d/2026/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề việc thử nghiệm số %d-%d, hạt giống %s\n%s\n' \
			"$((1000 + $1 * 10 + k))" "$1" "$k" "$SEED" "$(head -c 600 "$tmp/rand" | tail -c $((100 + k * 50)))" \
			>"$tmp/arch/$1/vb-$1-$k.txt"
	done
	tar cf "$tmp/in/a$1.tar" -C "$tmp/arch/$1" .
}

fail=0 kills=0 nimport=0 nindex=0 ndaemon=0
bad() { fail=$((fail + 1)); nok "$*"; }

# The invariants, after a restart and once the index has caught up.
invariants() { # WHAT
	vb check >"$tmp/check.out" 2>&1
	st=$?
	if [ $st -ne 0 ]; then
		bad "$1: vanban check exit $st"
		sed 's/^/#   /' "$tmp/check.out" | head -n 20
		return
	fi
	v=$(sql "SELECT
		(SELECT count(*) FROM index_outbox) || ',' ||
		(SELECT count(*) FROM documents WHERE version < 1 OR content_hash = '') || ',' ||
		(SELECT count(*) FROM document_files df LEFT JOIN files f USING (sha256) WHERE f.sha256 IS NULL) || ',' ||
		(SELECT count(*) FROM uploads WHERE status = 'published' AND document_id NOT IN (SELECT id FROM documents)) || ',' ||
		(SELECT count(*) FROM documents d WHERE source = 'upload' AND NOT EXISTS
			(SELECT 1 FROM document_files x WHERE x.document_id = d.id))")
	if [ "$v" != "0,0,0,0,0" ]; then
		bad "$1: SQL invariants (outbox, versions, file rows, published uploads, upload files): $v"
		return
	fi
	# on disk: every stored file is where its hash says
	wrong=$(find "$D/files" -path "$D/files/tmp" -prune -o -type f -exec sha256sum {} + |
		awk '{ n = split($2, p, "/"); if ($1 != p[n]) print $2 }' | head -n 3)
	if [ -n "$wrong" ]; then
		bad "$1: stored files whose content is not their name: $wrong"
		return
	fi
	ok "$1: check clean, invariants hold ($(($(date +%s%N) / 1000000 - t_round)) ms)"
}

round_import() {
	i=$1
	rnd 5; manifest "$i" $((r + 2)) "$i"
	archive "$i"
	rnd 300; t=$((r + 20))
	# the binary itself in the background (not the vb function: $! would
	# be a subshell, and killing it would leave vanban running); its
	# archive's temporary directory (TMPDIR) under $tmp, which the trap
	# removes: killed, it cannot remove it itself
	TMPDIR="$tmp" vanban --data-dir "$D" import --quiet "$tmp/in/m$i.jsonl" "$tmp/in/a$i.tar" >"$tmp/imp.out" 2>&1 &
	p=$!
	nap $t
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	[ $? -eq 137 ] && kills=$((kills + 1)) && nimport=$((nimport + 1))
	vb import --quiet "$tmp/in/m$i.jsonl" "$tmp/in/a$i.tar" >"$tmp/imp.out" 2>&1 ||
		{ bad "import $i (killed at $t ms): restarted import failed"; cat "$tmp/imp.out" | sed 's/^/#   /'; return; }
	# What is committed is exactly manifest i: the changed abstracts and
	# no other, every signer of the base still there.
	jq -r --arg m " (bản $i)" 'select(.abstract | endswith($m)) | .source_id' "$tmp/in/m$i.jsonl" >"$tmp/changed"
	v=$(psql -qAtX "$VANBAN_DB" <<EOF
CREATE TEMP TABLE changed (source_id text);
\copy changed FROM '$tmp/changed'
SELECT (SELECT count(*) FROM crash_base b JOIN documents d USING (source, source_id)
	WHERE d.abstract IS NOT DISTINCT FROM CASE WHEN b.source_id IN (SELECT source_id FROM changed)
		THEN b.abstract || ' (bản $i)' ELSE b.abstract END)
	|| ',' || (SELECT count(*) FROM signers s JOIN documents d ON d.id = s.document_id
		JOIN crash_base b ON b.source = d.source AND b.source_id = d.source_id);
EOF
)
	[ "$v" = "$NDOCS,$SIGNERS" ] ||
		{ bad "import $i (killed at $t ms): store differs from manifest $i (matching documents, base signers: $v, want $NDOCS,$SIGNERS)"; return; }
	vb index >"$tmp/idx.out" 2>&1 || { bad "import $i: vanban index failed"; return; }
	invariants "import $i (killed at $t ms)"
}

round_index() {
	i=$1
	rnd 3; manifest "$i" $((r + 2)) $((i + 7))
	vb import --quiet "$tmp/in/m$i.jsonl" >"$tmp/imp.out" 2>&1 || { bad "index $i: import failed"; return; }
	rnd 400; t=$((r + 20))
	vanban --data-dir "$D" index --follow >"$tmp/idx.out" 2>&1 &
	p=$!
	nap $t
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	[ $? -eq 137 ] && kills=$((kills + 1)) && nindex=$((nindex + 1))
	vb index >"$tmp/idx.out" 2>&1 || { bad "index $i: restarted indexer failed"; return; }
	invariants "index --follow $i (killed at $t ms)"
}

daemon_start() { # a few ports, since a killed daemon's port may still be taken
	for attempt in 1 2 3 4 5; do
		port=$((20000 + ($$ * 13 + i * 7919 + attempt * 104729 + $(date +%N | sed 's/^0*//;s/^$/0/') % 1000) % 40000))
		base="http://127.0.0.1:$port"
		VANBAN_API_TOKEN=$TOKEN VANBAN_NO_OCR=1 vanband --listen "127.0.0.1:$port" --data-dir "$D" \
			--web-dir "$VB_SRCDIR/web" --threads 2 >"$tmp/daemon.out" 2>"$tmp/daemon.log" &
		dpid=$!
		k=0
		while [ $k -lt 300 ] && kill -0 "$dpid" 2>/dev/null; do
			curl -s -o /dev/null "$base/healthz" && return 0
			nap 50
			k=$((k + 1))
		done
		kill -9 "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
		dpid=
		grep -q "could not listen" "$tmp/daemon.log" || return 1
	done
	return 1
}

# client I: upload and confirm files until killed
client() {
	k=0
	while [ ! -e "$tmp/stop-client" ]; do
		k=$((k + 1))
		f="$tmp/up-$1-$k.txt"
		printf 'Số: %d/2026/QĐ-UBND\nQUYẾT ĐỊNH\nTải lên thử số %d-%d-%s\n' "$((5000 + $1 * 100 + k))" "$1" "$k" "$SEED" >"$f"
		id=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -F portal=quangninh -F "file=@$f;type=text/plain" \
			"$base/api/v1/uploads" | jq -r '.id // empty' 2>/dev/null)
		[ -n "$id" ] && curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
			-H "Content-Type: application/json" -d '{"not_duplicate": true, "status": "in_force"}' \
			"$base/api/v1/uploads/$id/confirm"
	done
}

round_daemon() {
	i=$1
	daemon_start || { bad "daemon $i: vanband did not start"; cat "$tmp/daemon.log" | sed 's/^/#   /' | tail -5; return; }
	client "$i" >/dev/null 2>&1 &
	cpid=$!
	rnd 1500; t=$((r + 200))
	nap $t
	kill -9 "$dpid" 2>/dev/null
	wait "$dpid" 2>/dev/null
	[ $? -eq 137 ] && kills=$((kills + 1)) && ndaemon=$((ndaemon + 1))
	touch "$tmp/stop-client"
	wait "$cpid" 2>/dev/null
	rm -f "$tmp/stop-client"
	cpid=
	daemon_start || { bad "daemon $i: vanband did not restart"; return; }
	k=0
	while [ "$(sql 'SELECT count(*) FROM index_outbox')" != 0 ] && [ $k -lt 200 ]; do
		nap 50
		k=$((k + 1))
	done
	# checked live, with the restarted daemon running
	invariants "vanband $i (killed at $t ms, uploads confirmed so far: $(sql "SELECT count(*) FROM uploads WHERE status = 'confirmed'"))"
	kill -TERM "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=
}

start=$(date +%s)
i=0
while [ $kills -lt "$KILLS" ] && [ $fail -lt 5 ]; do
	i=$((i + 1))
	t_round=$(($(date +%s%N) / 1000000))
	rnd 3
	case $r in
	0) round_import $i ;;
	1) round_index $i ;;
	2) round_daemon $i ;;
	esac
done
dur=$(($(date +%s) - start))
is "at least $KILLS kills were made" "$([ $kills -ge "$KILLS" ] && echo yes || echo "only $kills")" yes
check "each writer was killed several times ($nimport import, $nindex index, $ndaemon vanband)" \
	test $nimport -ge 5 -a $nindex -ge 5 -a $ndaemon -ge 5

is "no killed writer is still running" \
	"$(ps -eo args | grep -F -- "--data-dir $D " | grep -vc grep)" 0

vb check --grace 0 --repair >"$tmp/final.out" 2>&1
st=$?
echo "# left behind by the kills, moved to quarantine: $(grep -c '^  repaired: moved' "$tmp/final.out") entries"
is "check --grace 0 --repair leaves nothing (exit 0)" "$st" 0
[ $st -eq 0 ] || sed 's/^/#   /' "$tmp/final.out" | head -n 30
vb check --grace 0 >"$tmp/final2.out" 2>&1
is "a final check --grace 0 is clean" "$?" 0
echo "# $kills kills ($nimport import, $nindex index, $ndaemon vanband) in $i rounds, $dur s, seed $SEED;" \
	"$(sql 'SELECT count(*) FROM documents') documents, $(sql 'SELECT count(*) FROM files') files at the end"

echo "1..$n"
