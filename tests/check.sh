#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `vanban check` and `--repair` against each kind of damage, on the bundled
# sample in a throwaway PostgreSQL: a deleted file, a corrupted file (same
# size, other bytes), a document deleted from the index, a stale indexed
# version, an index document without a store row, a document the index
# never got, an orphaned file and a leftover temporary file (old enough),
# a young orphan (in flight: not a finding), a stuck index job.  Each is
# reported with what and where (--json, exit 1); --repair --files-from a
# backup fixes them all (exit 0, then a clean check); without a good copy
# a missing file is reported as not repaired, naming its document.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is not installed"; exit 0; }
XAPDEL="$VB_BUILDDIR/tests/fixtures/safety/xapdel"

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-check.XXXXXX") || bail "mktemp"
trap 'rm -rf "$tmp"; pg_stop' EXIT
D="$tmp/data"
vb() { vanban --data-dir "$D" "$@"; }
sql() { psql -qAtX "$VANBAN_DB" -c "$1"; }
old() { touch -d '3 hours ago' "$@"; }

vb migrate >"$tmp/log" 2>&1 || bail "migrate failed"
vb import "$VB_SRCDIR/data/sample/documents.jsonl" >>"$tmp/log" 2>&1 || bail "import failed"
vb index >>"$tmp/log" 2>&1 || bail "index failed"

vb check >"$tmp/out" 2>&1
is "a fresh system is clean (exit 0)" "$?" 0
check "the summary says clean" grep -q "checked 431 documents (431 in the index), 3 files.*: clean" "$tmp/out"
vb backup "$tmp/backups" >"$tmp/backup.out" 2>&1
is "a backup to repair from (exit 0)" "$?" 0
BK=$(ls -d "$tmp"/backups/vanban-* | head -n 1)

# --- damage ---
set -- $(sql "SELECT sha256 FROM files ORDER BY sha256")
GONE=$1 BAD=$2
path_of() { echo "$D/files/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-4)/$1"; }
GONE_DOC=$(sql "SELECT document_id FROM document_files WHERE sha256 = '$GONE'")
BAD_DOC=$(sql "SELECT document_id FROM document_files WHERE sha256 = '$BAD'")
rm "$(path_of "$GONE")"
# same size, other bytes: only the hash can tell
printf 'XXXX' | dd of="$(path_of "$BAD")" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$XAPDEL" "$D/index" Q10 || bail "xapdel failed"
sql "SET session_replication_role = replica;
     UPDATE documents SET version = version + 1, abstract = abstract || ' (sửa)' WHERE id = 20;
     DELETE FROM signers WHERE document_id = 30; DELETE FROM document_files WHERE document_id = 30;
     DELETE FROM documents WHERE id = 30;
     INSERT INTO documents (source, source_id, abstract, content_hash)
       VALUES ('test', 'never-indexed', 'Văn bản chưa được lập chỉ mục', 'x');"
NEW=$(sql "SELECT id FROM documents WHERE source = 'test'")
mkdir -p "$D/files/ab/cd" "$D/files/tmp"
ORPHAN="$D/files/ab/cd/abcd$(printf '%060d' 0)"
echo orphan >"$ORPHAN"
echo partial >"$D/files/tmp/put.ABCDEF"
echo young >"$D/files/ab/cd/abcd$(printf '%060d' 1)"
old "$ORPHAN" "$D/files/tmp/put.ABCDEF"
sql "INSERT INTO index_outbox (document_id, version, enqueued_at) VALUES (1, 1, now() - interval '2 hours')"

vb check --json >"$tmp/check.json" 2>"$tmp/check.err"
is "damage is reported (exit 1)" "$?" 1
kinds() { jq -r '[.findings[] | .kind + ":" + ((.document_id // .sha256 // .path) | tostring)] | sort | join(" ")' "$1"; }
is "each damage found, with what and where" "$(kinds "$tmp/check.json")" \
"$(printf '%s\n' "file-corrupt:$BAD" "file-missing:$GONE" "file-orphan:$ORPHAN" "index-missing:10" \
	"index-missing:$NEW" "index-orphan:30" "index-stale:20" "outbox-stuck:null" "temporary:$D/files/tmp/put.ABCDEF" |
	sort | tr '\n' ' ' | sed 's/ $//')"
is "the missing file names its document" \
	"$(jq -r ".findings[] | select(.kind == \"file-missing\") | .what" "$tmp/check.json")" \
	"file $GONE is missing (used by document $GONE_DOC)"
check "the corrupted file names its document" \
	jq -e ".findings[] | select(.kind == \"file-corrupt\") | .what | test(\"SHA-256.*document $BAD_DOC\")" "$tmp/check.json"
is "the stale version says both versions" \
	"$(jq -r '.findings[] | select(.kind == "index-stale") | .what' "$tmp/check.json")" \
	"document 20 is version 2 in PostgreSQL but version 1 in the index"
is "the young orphan is in flight, not a finding" "$(jq -r .files_in_flight "$tmp/check.json")" 1
vb check --grace 0 --json >"$tmp/grace0.json"
check "with --grace 0 the young orphan is a finding too" \
	jq -e '[.findings[] | select(.kind == "file-orphan")] | length == 2' "$tmp/grace0.json"
vb check --no-hash --json >"$tmp/nohash.json"
check "--no-hash does not see same-size corruption" \
	jq -e '[.findings[] | select(.kind == "file-corrupt")] | length == 0' "$tmp/nohash.json"
vb check --stuck 99999 --json >"$tmp/stuck.json"
check "an index job younger than --stuck is not stuck" \
	jq -e '[.findings[] | select(.kind == "outbox-stuck")] | length == 0' "$tmp/stuck.json"

# --- repair ---
vb check --repair --files-from "$BK" --json >"$tmp/repair.json" 2>"$tmp/repair.err"
is "repair fixes everything (exit 0)" "$?" 0
is "every finding but the stuck job is marked repaired" \
	"$(jq -r '[.findings[] | select(.repaired == false) | .kind] | join(",")' "$tmp/repair.json")" "outbox-stuck"
is "the check after repair is clean" "$(jq -r '.after_repair.clean' "$tmp/repair.json")" true
vb check >"$tmp/out2" 2>&1
is "a new check is clean (exit 0)" "$?" 0
is "the deleted file is back with its hash" "$(sha256sum <"$(path_of "$GONE")" | cut -c1-64)" "$GONE"
is "the corrupted file is good again" "$(sha256sum <"$(path_of "$BAD")" | cut -c1-64)" "$BAD"
Q=$(ls -d "$D"/quarantine/*)
check "the orphan is in quarantine, not deleted" test -f "$Q/files/ab/cd/$(basename "$ORPHAN")"
check "the temporary file is in quarantine" test -f "$Q/files/tmp/put.ABCDEF"
check "the damaged copy is kept in quarantine" grep -q XXXX "$Q/$(path_of "$BAD" | sed "s|^$D/||")"
check "the young orphan was left alone" test -f "$D/files/ab/cd/abcd$(printf '%060d' 1)"
is "the never-indexed document is searchable" \
	"$(vb search 'chưa được lập chỉ mục' 2>/dev/null | jq -r '.hits[0].id')" "$NEW"
is "index and store hold the same documents again" \
	"$(vb check --json | jq -r '.index_documents')" "$(sql 'SELECT count(*) FROM documents')"

# --- what repair cannot fix ---
rm "$(path_of "$GONE")"
vb check --repair >"$tmp/norepair.out" 2>&1
is "a missing file without a good copy stays a finding (exit 1)" "$?" 1
check "it is reported as not repaired, naming the document" \
	grep -q "NOT repaired: no good copy: import the original" "$tmp/norepair.out"
check "... and the document" grep -q "file-missing: file $GONE is missing (used by document $GONE_DOC)" "$tmp/norepair.out"

# --- errors ---
vanban --data-dir "$tmp/nowhere" check >/dev/null 2>"$tmp/err"
is "no index is an error (exit 2)" "$?" 2
check "the error says to run vanban index" grep -q 'run "vanban index" first' "$tmp/err"
vb check --grace soon >/dev/null 2>&1
is "a bad --grace is a usage error (exit 2)" "$?" 2

echo "1..$n"
