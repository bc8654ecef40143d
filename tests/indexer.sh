#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of the indexer against a throwaway PostgreSQL: `vanban
# index` drains the outbox, updates and deletions reach the index, a
# kill -9 in the middle of indexing loses nothing after a restart,
# `vanban reindex` swaps in a new index directory and search still works,
# and `vanban index --follow` picks up new documents and stops on SIGTERM.
# Index format: every index records "vanban.format"; one whose format is
# missing or older is rebuilt by the next `vanban index`, one whose format
# is newer is refused (exit 2).  tests/xapmeta edits the metadata.
# Documents come from `vanban import` of a small JSONL manifest; the bulk
# load for the crash test is plain SQL (the outbox trigger does the rest).

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"
check() { desc=$1; shift; if "$@"; then ok "$desc"; else nok "$desc"; fi; }

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is not installed"; exit 0; }
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-indexer.XXXXXX") || bail "mktemp"
cleanup() { [ -n "${follow_pid:-}" ] && kill "$follow_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

VB="vanban --data-dir $tmp/data"
xapmeta=$VB_BUILDDIR/tests/xapmeta
[ -x "$xapmeta" ] || bail "tests/xapmeta is not built"
fmt() { "$xapmeta" get "$1" vanban.format 2>&1; }
sql() { psql "$VANBAN_DB" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
pending() { sql "select count(*) from index_outbox"; }
# total of a search (extra arguments are passed on)
total() { $VB search --per-page 1 "$@" 2>>"$tmp/search.err" | jq -r .total; }

# Load a JSONL manifest with `vanban import`; while the importer is not
# built yet, fall back to an equivalent SQL upsert (version + 1 on change).
load() {
	out=$($VB import "$1" 2>&1)
	case $out in
	*"not built yet"*)
		echo "# vanban import is not built: loading $1 with SQL"
		psql "$VANBAN_DB" -qAtX -v ON_ERROR_STOP=1 -v docs="$(jq -s -c . "$1")" <<'SQL'
insert into documents (source, source_id, number, form, issuer, issue_date, effective_date,
                       abstract, status, body, content_hash)
select j->>'source', j->>'source_id', j->>'number', j->>'form', j->>'issuer',
       (j->>'issue_date')::date, (j->>'effective_date')::date, j->>'abstract',
       coalesce(j->>'status', 'unknown'), j->>'text', md5(j::text)
from jsonb_array_elements(:'docs'::jsonb) j
on conflict (source, source_id) do update
set abstract = excluded.abstract, body = excluded.body, content_hash = excluded.content_hash,
    version = documents.version + 1, updated_at = now()
where documents.content_hash <> excluded.content_hash;
SQL
		;;
	*) printf '%s\n' "$out" >>"$tmp/import.log" ;;
	esac
}

$VB migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log"; bail "vanban migrate failed"; }

cat >"$tmp/docs.jsonl" <<'EOF'
{"source":"test","source_id":"qn-05-2023","number":"05/2023/QĐ-UBND","form":"Quyết định","issuer":"UBND tỉnh Quảng Ninh","issue_date":"2023-02-16","effective_date":"2023-03-01","abstract":"Ban hành Quy chế tổ chức và quản lý hoạt động của Cổng thông tin điện tử tỉnh Quảng Ninh","status":"in_force","language":"vi","text":"Điều 1. Ban hành kèm theo Quyết định này Quy chế tổ chức và quản lý hoạt động của Cổng thông tin điện tử tỉnh Quảng Ninh."}
{"source":"test","source_id":"qn-12-2021","number":"12/2021/NQ-HĐND","form":"Nghị quyết","issuer":"HĐND tỉnh Quảng Ninh","issue_date":"2021-07-10","abstract":"Quy định một số nội dung về công tác hoà giải ở cơ sở","status":"in_force","text":"Hội đồng nhân dân tỉnh quyết nghị hỗ trợ hoà giải viên ở cơ sở."}
{"source":"test","source_id":"qn-30-2022","number":"30/2022/QĐ-UBND","form":"Quyết định","issuer":"UBND tỉnh Quảng Ninh","issue_date":"2022-03-01","abstract":"Quy định giá bán nước sạch sinh hoạt","status":"expired","text":"Giá bán nước sạch áp dụng cho hộ gia đình."}
EOF

echo "1..31"

load "$tmp/docs.jsonl"
check "import three documents" test "$(sql 'select count(*) from documents')" = 3
check "three index jobs pending" test "$(pending)" -ge 3

$VB index >"$tmp/index.log" 2>&1
check "vanban index drains the outbox" test "$? $(pending)" = "0 0"
check "index symlink created" test -L "$tmp/data/index" -a -d "$tmp/data/index.1"
check "unaccented search finds the document" test "$(total cong thong tin dien tu)" = 1
check "match-all sees three documents" test "$(total)" = 3
id=$(sql "select id from documents where source_id = 'qn-05-2023'")
first=$($VB search 5/2023/qd-ubnd 2>/dev/null | jq -r '.hits[0].id')
check "number look-up ranks the document first" test "$first" = "$id"

# update: a changed document is re-indexed (version goes up)
sed -e 's/nước sạch sinh hoạt/nước sạch sinh hoạt và xử lý nước thải/' \
	"$tmp/docs.jsonl" >"$tmp/docs2.jsonl"
load "$tmp/docs2.jsonl"
$VB index >>"$tmp/index.log" 2>&1
check "updated document found by its new words" test "$(total nước thải)" = 1
check "running index again changes nothing" \
	sh -c "$VB index >>'$tmp/index.log' 2>&1 && test \"\$(psql '$VANBAN_DB' -Atc 'select count(*) from index_outbox')\" = 0"

# withdrawal (documents are never deleted, sql/011_workflow.sql): the
# indexer treats a withdrawn document like a deleted one
sql "update documents set state = 'withdrawn', withdrawn_reason = 'test', withdrawn_at = now()
     where source_id = 'qn-12-2021'"
$VB index >>"$tmp/index.log" 2>&1
check "withdrawn document leaves the index" test "$(total hoà giải)" = 0

# crash: kill -9 in the middle of a large backlog, restart, nothing lost
sql "insert into documents (source, source_id, number, form, issuer, issue_date, abstract, status, body, content_hash)
     select 'bulk', 'b' || g, g || '/2024/QĐ-UBND', 'Quyết định', 'UBND tỉnh Quảng Ninh',
            date '2024-01-01' + (g % 300), 'Văn bản thử nghiệm số ' || g, 'in_force',
            repeat('Nội dung văn bản về quản lý nhà nước trên địa bàn tỉnh. ', 200), md5(g::text)
     from generate_series(1, 3000) g"
$VB index >"$tmp/crash.log" 2>&1 &
pid=$!
i=0
while [ "$(pending)" -ge 3000 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
left=$(pending)
check "indexer killed mid-way (outbox still has $left jobs)" test "$left" -gt 0
$VB index >>"$tmp/index.log" 2>&1
check "restart drains the outbox" test "$(pending)" = 0
want=$(sql "select count(*) from documents where state = 'published'")
check "no document lost after the crash ($want)" test "$(total)" = "$want"

# reindex: new directory, atomic swap, old one removed, search works (the
# indexer may have compacted the index into index.2 after the bulk load)
old=$(readlink "$tmp/data/index")
$VB reindex >"$tmp/reindex.log" 2>&1
check "reindex swaps to index.$((${old#index.} + 1)) and removes $old" \
	test "$(readlink "$tmp/data/index")" = "index.$((${old#index.} + 1))" -a ! -e "$tmp/data/$old"
check "the rebuilt index was compacted in place, nothing left behind" \
	test "$(ls "$tmp/data" | grep -c '^index\.')" = 1
check "search after reindex" test "$(total)" = "$want" -a "$(total cong thong tin dien tu)" = 1

# follow mode: a new document appears without restarting; SIGTERM stops it
$VB index --follow >"$tmp/follow.log" 2>&1 &
follow_pid=$!
sed -e 's/qn-05-2023/qn-new/' -e 's/Cổng thông tin điện tử/Trung tâm phục vụ hành chính công/' \
	"$tmp/docs.jsonl" | head -n 1 >"$tmp/docs3.jsonl"
load "$tmp/docs3.jsonl"
i=0
while [ "$(total phuc vu hanh chinh cong)" != 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
found=$(total phuc vu hanh chinh cong)
kill -TERM "$follow_pid"
wait "$follow_pid"
rc=$?
follow_pid=
check "index --follow applies new documents and exits 0 on SIGTERM" test "$found $rc" = "1 0"

# ---- index format --------------------------------------------------------
cur=$(fmt "$tmp/data/index")
check "the index records its format ($cur)" test "$cur" -ge 2
vanban --data-dir "$tmp/empty" index >"$tmp/empty.log" 2>&1
check "a new empty index gets the current format" test "$?:$(fmt "$tmp/empty/index")" = "0:$cur"
want=$(sql "select count(*) from documents where state = 'published'")
before=$(readlink "$tmp/data/index")

# missing format (an index written before formats were recorded) = 1
"$xapmeta" delete "$tmp/data/index" vanban.format
$VB index >"$tmp/fmt1.log" 2>&1
rc=$?
check "index without a format is rebuilt by vanban index" \
	test "$rc" = 0 -a "$(readlink "$tmp/data/index")" != "$before" \
	-a ! -e "$tmp/data/$before" -a "$(fmt "$tmp/data/index")" = "$cur"
check "one info line says why" \
	test "$(grep -c "index format 1 is older than $cur: rebuilding" "$tmp/fmt1.log")" = 1
check "search after the automatic rebuild" \
	test "$(total)" = "$want" -a "$(total phuc vu hanh chinh cong)" = 1

# older format with a pending job: rebuilt first, then the job applied
old=$((cur - 1))
"$xapmeta" set "$tmp/data/index" vanban.format "$old"
before=$(readlink "$tmp/data/index")
sed -e 's/nước sạch sinh hoạt/nước sạch sinh hoạt nông thôn/' "$tmp/docs.jsonl" >"$tmp/docs4.jsonl"
load "$tmp/docs4.jsonl"
$VB index >"$tmp/fmtold.log" 2>&1
rc=$?
check "format $old is rebuilt and the outbox drained" \
	test "$rc:$(pending):$(fmt "$tmp/data/index")" = "0:0:$cur" \
	-a "$(readlink "$tmp/data/index")" != "$before"
check "log says format $old is older than $cur" \
	grep -q "index format $old is older than $cur: rebuilding" "$tmp/fmtold.log"
check "the pending update is searchable after the rebuild" test "$(total nông thôn)" = 1
$VB index >"$tmp/fmtagain.log" 2>&1
check "no second rebuild once the format is current" \
	test "$?" = 0 -a "$(grep -c rebuilding "$tmp/fmtagain.log")" = 0

# newer format (a downgrade): refused, nothing written, the job stays
new=$((cur + 1))
"$xapmeta" set "$tmp/data/index" vanban.format "$new"
before=$(readlink "$tmp/data/index")
sed -e 's/nông thôn/miền núi/' "$tmp/docs4.jsonl" >"$tmp/docs5.jsonl"
load "$tmp/docs5.jsonl"
$VB index >"$tmp/fmtnew.log" 2>&1
rc=$?
check "format $new is refused with exit status 2" \
	test "$rc:$(fmt "$tmp/data/index"):$(readlink "$tmp/data/index")" = "2:$new:$before"
check "the error says the index is newer" \
	grep -q "index format $new is newer than $cur (this vanban): refusing to write" "$tmp/fmtnew.log"
check "the refused job stays in the outbox" test "$(pending)" -ge 1 -a "$(total miền núi)" = 0
timeout 20 $VB index --follow >"$tmp/fmtfollow.log" 2>&1
check "index --follow stops (exit 2) instead of retrying a newer format" test "$?" = 2
$VB reindex >"$tmp/reindex2.log" 2>&1 && $VB index >>"$tmp/reindex2.log" 2>&1
check "vanban reindex rebuilds it in the current format" \
	test "$?:$(fmt "$tmp/data/index"):$(pending)" = "0:$cur:0" -a "$(total miền núi)" = 1

if [ -s "$tmp/search.err" ]; then
	echo "# search errors:"; sed 's/^/# /' "$tmp/search.err"
fi
