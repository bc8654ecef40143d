#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# vanban backup -> vanban restore onto a clean machine: the bundled sample
# in one throwaway PostgreSQL cluster, backed up; restored into a second,
# fresh cluster and an empty data directory; a daemon on each answers a set
# of searches, and the hits (ids, order, snippets), totals and facets must
# be byte-identical.  Also: the MANIFEST checksums every file; a restore
# that rebuilds the index gives the same totals and facets; a corrupted
# backup is refused naming the file (and nothing is touched); a non-empty
# database or data directory is refused; --keep N keeps the newest N
# backups and nothing else is removed; files are hard-linked from the
# previous backup.

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl sha256sum; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done

top=$(mktemp -d "${TMPDIR:-/tmp}/vanban-backup.XXXXXX") || bail "mktemp"
pg_start || bail "could not start PostgreSQL (first cluster)"
PG_A=$PG_DIR DB_A=$VANBAN_DB
pg_start || bail "could not start PostgreSQL (second cluster)"
PG_B=$PG_DIR DB_B=$VANBAN_DB
cleanup() {
	for p in ${pid_a:-} ${pid_b:-}; do kill "$p" 2>/dev/null; done
	PG_DIR=$PG_A pg_stop
	PG_DIR=$PG_B pg_stop
	rm -rf "$top"
}
trap cleanup EXIT
export VANBAN_SYNONYMS="$VB_SRCDIR/data/synonyms.tsv"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
mkdir "$top/a" "$top/b" "$top/c"
BK="$top/backups"

# --- the original system ---
export VANBAN_DB="$DB_A"
tmp="$top/a"
vanban --data-dir "$tmp/data" migrate >"$tmp/log" 2>&1 &&
	vanban --data-dir "$tmp/data" import "$VB_SRCDIR/data/sample/documents.jsonl" >>"$tmp/log" 2>&1 &&
	vanban --data-dir "$tmp/data" index >>"$tmp/log" 2>&1 || bail "loading the sample failed"

vanban --data-dir "$tmp/data" backup "$BK" >"$top/backup1.out" 2>&1
is "backup exits 0" "$?" 0
B1=$(ls -d "$BK"/vanban-* 2>/dev/null | head -n 1)
check "the backup is named vanban-YYYYmmddTHHMMSSZ" sh -c "basename '$B1' | grep -Eq '^vanban-[0-9]{8}T[0-9]{6}Z$'"
M="$B1/MANIFEST"
is "MANIFEST counts 431 documents and 3 files" "$(jq -r '[.counts.documents, .counts.files] | join(",")' "$M")" "431,3"
is "MANIFEST records the index format" "$(jq -r .index_format "$M")" \
	"$(sed -n 's/^#define VB_INDEX_FORMAT \([0-9]*\).*/\1/p' "$VB_SRCDIR/lib/indexdoc.h")"
check "MANIFEST lists db.dump, files/ and index/" \
	jq -e '[.entries[].path] | (index("db.dump") != null) and (map(select(startswith("files/"))) | length == 3) and (map(select(startswith("index/"))) | length > 0)' "$M"
bad=0
for e in $(jq -r '.entries[] | .path + "=" + .sha256 + "=" + (.size|tostring)' "$M"); do
	p=${e%%=*} rest=${e#*=}
	[ "$(sha256sum <"$B1/$p" | cut -c1-64)=$(wc -c <"$B1/$p" | tr -d ' ')" = "$rest" ] || bad=$((bad + 1))
done
is "every MANIFEST entry has the file's SHA-256 and size" "$bad" 0
check "the dump is a pg_dump custom archive" sh -c "head -c 5 '$B1/db.dump' | grep -q PGDMP"

QUERIES="q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh q=cong+thong+tin+dien+tu q=05/2023/qd-ubnd
q=thu%E1%BA%BF&sort=newest q=b%E1%BA%A3o+hi%E1%BB%83m&per_page=20&page=2 q=lao+%C4%91%E1%BB%99ng&status=in_force
q=ngh%E1%BB%8B+quy%E1%BA%BFt&form=Ngh%E1%BB%8B+quy%E1%BA%BFt q=UBND+t%E1%BB%89nh&year=2023 q=c%C3%B4ng+ngh%E1%BB%87+th%C3%B4ng+tin"
# answers DIR: the search responses of the daemon at $base, as key parts
answers() {
	i=0
	for q in $QUERIES; do
		i=$((i + 1))
		curl -s -g "$base/api/v1/search?$q" |
			jq -S '{total, facets, hits}' >"$1/q$i.json" || return 1
	done
}
vbd_start --no-indexer || bail "vanband (original) did not start"
pid_a=$vbd_pid
answers "$top/a" || bail "searching the original failed"
check "the queries find something" jq -e '.total > 10' "$top/a/q1.json"

# --- restore onto a fresh cluster and an empty data directory ---
export VANBAN_DB="$DB_B"
tmp="$top/b"
vanban --data-dir "$tmp/data" restore "$B1" >"$top/restore.out" 2>&1
is "restore exits 0" "$?" 0
check "restore says the index was restored" grep -q "index restored" "$top/restore.out"
vanban --data-dir "$tmp/data" check >"$top/check.out" 2>&1
is "vanban check is clean on the restored system" "$?" 0
vbd_start --no-indexer || bail "vanband (restored) did not start"
pid_b=$vbd_pid
answers "$top/b" || bail "searching the restored system failed"
same=0
for f in "$top"/a/q*.json; do cmp -s "$f" "$top/b/$(basename "$f")" && same=$((same + 1)); done
is "the restored daemon answers all 9 searches byte-identically (hits, totals, facets)" "$same" 9
is "downloads work on the restored system" \
	"$(curl -s "$base/api/v1/documents/$(jq -r '.hits[0].id' "$top/a/q1.json")" | jq -r .id)" \
	"$(jq -r '.hits[0].id' "$top/a/q1.json")"

# --- restore rebuilding the index ---
"$PG_BIN/createdb" -h "$PG_B/run" -U "$PG_USER" rebuilt || bail "createdb failed"
VANBAN_DB="host=$PG_B/run user=$PG_USER dbname=rebuilt" \
	vanban --data-dir "$top/c/data" restore --rebuild-index "$B1" >"$top/rebuild.out" 2>&1
is "restore --rebuild-index exits 0" "$?" 0
check "it rebuilt 431 documents" grep -q "index rebuilt from the database (431 documents)" "$top/rebuild.out"
n1=$(VANBAN_DB="host=$PG_B/run user=$PG_USER dbname=rebuilt" vanban --data-dir "$top/c/data" search 'quyết định' 2>/dev/null | jq -c '[.total, (.facets|tostring|length)]')
n2=$(vanban --data-dir "$top/b/data" search 'quyết định' 2>/dev/null | jq -c '[.total, (.facets|tostring|length)]')
is "the rebuilt index gives the same total and facets" "$n1" "$n2"

# --- refusals ---
vanban --data-dir "$top/b/data" restore "$B1" >/dev/null 2>"$top/err"
is "a non-empty data directory is refused (exit 2)" "$?" 2
check "... saying so" grep -q "is not empty: restore only onto an empty one" "$top/err"
VANBAN_DB="$DB_A" vanban --data-dir "$top/empty" restore "$B1" >/dev/null 2>"$top/err"
is "a non-empty database is refused (exit 2)" "$?" 2
check "... saying so" grep -q "the database is not empty" "$top/err"
check "... and the data directory was not created" test ! -e "$top/empty/files"
cp -r "$B1" "$top/corrupt"
f=$(jq -r '[.entries[].path | select(startswith("files/"))][0]' "$M")
printf 'X' | dd of="$top/corrupt/$f" bs=1 seek=10 conv=notrunc 2>/dev/null
"$PG_BIN/createdb" -h "$PG_B/run" -U "$PG_USER" spare || bail "createdb failed"
VANBAN_DB="host=$PG_B/run user=$PG_USER dbname=spare" \
	vanban --data-dir "$top/spare" restore "$top/corrupt" >/dev/null 2>"$top/err"
is "a corrupted backup is refused (exit 2)" "$?" 2
check "... naming the file" grep -q "backup file \"$top/corrupt/$f\" is corrupted" "$top/err"
is "... before touching the database" \
	"$(psql -qAtX "host=$PG_B/run user=$PG_USER dbname=spare" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
rm "$top/corrupt/db.dump"
VANBAN_DB="host=$PG_B/run user=$PG_USER dbname=spare" \
	vanban --data-dir "$top/spare" restore "$top/corrupt" >/dev/null 2>"$top/err"
check "a backup missing a file is refused naming it" grep -q "db.dump\" is missing" "$top/err"

# --- retention and incremental files ---
export VANBAN_DB="$DB_A"
mkdir "$BK/vanban-notes" "$BK/vanban-20200101T000000Z"
for i in 2 3 4; do
	vanban --data-dir "$top/a/data" backup "$BK" --keep 2 >"$top/backup$i.out" 2>&1 ||
		nok "backup $i failed"
done
check "later backups hard-link the unchanged files" grep -q "3 files (.*, 3 linked from the previous backup)" "$top/backup4.out"
is "--keep 2 keeps the newest two backups" "$(ls -d "$BK"/vanban-*T*Z | grep -vc 20200101T)" 2
check "the first backup was removed" test ! -e "$B1"
check "directories without a MANIFEST are not touched" test -d "$BK/vanban-20200101T000000Z" -a -d "$BK/vanban-notes"
vanban --data-dir "$top/a/data" backup "$top/noindex" --no-index >/dev/null 2>&1
NI=$(ls -d "$top"/noindex/vanban-*)
is "--no-index: no index in the MANIFEST (restore rebuilds it)" \
	"$(jq -r '[.index_format, ([.entries[].path | select(startswith("index/"))] | length)] | join(",")' "$NI/MANIFEST")" ",0"
vanban --data-dir "$top/a/data" backup "$BK" --keep 0 >/dev/null 2>&1
is "--keep 0 is a usage error (exit 2)" "$?" 2

echo "1..$n"
