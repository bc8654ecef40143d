#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Relations, validity and stable identifiers (issue 4) against a throwaway
# PostgreSQL and the running vanband:
#  - 05/2023/QĐ-UBND (data/sample) says in its Điều 2 that it replaces
#    31A/2020/QĐ-UBND from 2023-03-01; imported with a record for 31A
#    (tests/fixtures/relations/qd31a.jsonl) in either order, 31A ends
#    "Hết hiệu lực toàn bộ" from 2023-03-01 with evidence naming 05/2023:
#    05 first leaves an unresolved citation that 31A's arrival resolves,
#    31A first is resolved when 05's relations are stored;
#  - a re-import changes nothing;
#  - in_force_on=2023-02-28 finds 31A and not 05/2023, 2023-03-02 the
#    reverse (API and page);
#  - /eli/vn/...: 303 to the document (JSON: to the API record), 05 and 5
#    alike, 300 with the candidates for an ambiguous identifier or a
#    shorter path, 404 for none;
#  - the document JSON and page show validity, evidence, relations both
#    ways and the timeline;
#  - a staff upload whose text replaces 12/2021 (two documents have that
#    number: the date picks one) expires it from its effective date;
#  - a staff override with a reason wins and is shown; clearing it
#    restores the computed status; `vanban status --from-text` refills
#    the text relations;
#  - tests/test_store_relation, in a database of its own: the store API as
#    the sync uses it (inverse lược đồ relations, all-or-nothing, ambiguity,
#    "Không số", ELI prefixes) and the daily validity pass (full the first
#    time, none the same day, only the documents with a date since the
#    last pass).

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-relations.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

fx="$VB_SRCDIR/tests/fixtures/relations"
sql() { psql "$VANBAN_DB" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
vb() { vanban --data-dir "$tmp/data" "$@"; }
imp() { vb import "$1" >"$tmp/import.log" 2>&1 || { sed 's/^/# /' "$tmp/import.log"; bail "import $1"; }; }

grep '"source_id": "05-2023-QD-UBND"' "$VB_SRCDIR/data/sample/documents.jsonl" >"$tmp/qd05.jsonl"
[ -s "$tmp/qd05.jsonl" ] || bail "05/2023/QĐ-UBND is not in the sample"
vb migrate >"$tmp/migrate.log" 2>&1 || { sed 's/^/# /' "$tmp/migrate.log"; bail "migrate"; }
# uploads belong to a portal (docs/workflow.md)
grep '^quangninh	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
vb portal import "$tmp/portals.tsv" >"$tmp/portal.log" 2>&1 || bail "portal import"
is "005_relations is recorded" "$(sql "select name from schema_migrations where version = 5")" "005_relations.sql"

id_of() { sql "select id from documents where number = '$1'"; }
state31a() {
	sql "select status || ' ' || coalesce(to_char(expiry_date, 'YYYY-MM-DD'), '-') || ' ' ||
		coalesce(v.validity->>'since', '-') from documents d
		left join document_validity v on v.document_id = d.id where number = '31A/2020/QĐ-UBND'"
}

# --- order 1: 05/2023 first, 31A arrives later ---
imp "$tmp/qd05.jsonl"
id05=$(id_of "05/2023/QĐ-UBND")
is "the text relation waits, unresolved, with number key and date" \
	"$(sql "select type || ' ' || target_key || ' ' || to_char(target_date, 'YYYY-MM-DD') || ' ' || (to_id is null)
		from relations where from_id = $id05 and type = 'replaces'")" \
	"replaces 31A/2020/QD-UBND 2020-09-04 true"
is "the legal bases are relations too" \
	"$(sql "select count(*) > 5 from relations where from_id = $id05 and type = 'based_on' and origin = 'text'")" t
is "the evidence is the sentence of Điều 2" \
	"$(sql "select evidence like '%Điều 2.%01/3/2023%thay thế Quyết định số 31A/2020/QĐ-UBND%' from relations where from_id = $id05 and type = 'replaces'")" t
is "05/2023 itself is in force" "$(sql "select status from documents where id = $id05")" in_force
imp "$fx/qd31a.jsonl"
id31=$(id_of "31A/2020/QĐ-UBND")
is "31A's arrival resolves the citation" \
	"$(sql "select to_id from relations where from_id = $id05 and type = 'replaces'")" "$id31"
is "31A: Hết hiệu lực toàn bộ from 2023-03-01 (05 first)" "$(state31a)" "expired 2023-03-01 2023-03-01"
is "the evidence names 05/2023 and the date" \
	"$(sql "select validity->'evidence'->0->>'text' from document_validity where document_id = $id31")" \
	"Bị thay thế bởi 05/2023/QĐ-UBND, từ ngày 01/03/2023"
is "the evidence links the document" \
	"$(sql "select validity->'evidence'->0->>'document' from document_validity where document_id = $id31")" "$id05"
is "no index job beyond the put's when the status does not change" \
	"$(sql "select count(*) from index_outbox where document_id = $id05")" 1
is "the declared status is kept apart" \
	"$(sql "select status_declared from document_validity where document_id = $id31")" in_force

# idempotent
v31=$(sql "select version from documents where id = $id31")
nrel=$(sql "select count(*) || ':' || sum(id) from relations")
imp "$tmp/qd05.jsonl"
imp "$fx/qd31a.jsonl"
is "a re-import leaves relations alone" "$(sql "select count(*) || ':' || sum(id) from relations")" "$nrel"
is "a re-import leaves 31A's version alone" "$(sql "select version from documents where id = $id31")" "$v31"

# --- order 2: 31A first ---
# (documents are never truncated in production: the trigger that refuses
# it, sql/011_workflow.sql, is off for this session)
sql "set client_min_messages = warning; set session_replication_role = replica;
     truncate documents cascade; truncate index_outbox"
imp "$fx/qd31a.jsonl"
id31=$(id_of "31A/2020/QĐ-UBND")
is "31A alone: the source's status" "$(state31a)" "in_force - -"
v31=$(sql "select version from documents where id = $id31")
imp "$tmp/qd05.jsonl"
id05=$(id_of "05/2023/QĐ-UBND")
is "31A: Hết hiệu lực toàn bộ from 2023-03-01 (31A first)" "$(state31a)" "expired 2023-03-01 2023-03-01"
is "the status change made a new version (so the index sees it)" \
	"$(sql "select version > $v31 from documents where id = $id31")" t
is "and queued an index job for it" \
	"$(sql "select count(*) > 0 from index_outbox where document_id = $id31 and version = (select version from documents where id = $id31)")" t

imp "$fx/same_eli.jsonl"
vb index >"$tmp/index.log" 2>&1 || { sed 's/^/# /' "$tmp/index.log"; bail "index"; }

# --- vanban status ---
vb status "$id31" >"$tmp/status.json" 2>&1
is "vanban status: validity" "$(jq -r '.validity.status + " " + .validity.label.vi' "$tmp/status.json")" \
	"expired Hết hiệu lực toàn bộ"
is "vanban status: replaced by, from 31A's side" \
	"$(jq -r '.relations.incoming[] | select(.type == "replaces") | .label.vi + " " + .document.number' "$tmp/status.json")" \
	"Bị thay thế bởi 05/2023/QĐ-UBND"
is "vanban status: ELI" "$(jq -r .eli "$tmp/status.json")" "/eli/vn/quang-ninh/ubnd/qd/2020/31a"
is "vanban status: timeline" "$(jq -r '[.timeline[] | .date + " " + .event] | join(", ")' "$tmp/status.json")" \
	"2020-09-04 issued, 2023-03-01 replaces, 2023-03-01 expired"
vb status 999999 >/dev/null 2>&1
is "vanban status: no such document" "$?" 1

TOKEN=relations-test-token-5c2e
VANBAN_API_TOKEN=$TOKEN VANBAN_NO_OCR=1 vbd_start --no-indexer || bail "vanband did not start"

# --- in_force_on ---
numbers_on() {
	curl -s -G "$base/api/v1/search" --data-urlencode "in_force_on=$1" --data-urlencode "per_page=50" |
		jq -r '[.hits[] | .number] | sort | join(",")'
}
is "in force on 2023-02-28: 31A, not 05/2023" "$(numbers_on 2023-02-28)" "12/2021/QĐ-UBND,12/2021/QĐ-UBND,31A/2020/QĐ-UBND"
is "in force on 2023-03-02: 05/2023, not 31A" "$(numbers_on 2023-03-02)" "05/2023/QĐ-UBND,12/2021/QĐ-UBND,12/2021/QĐ-UBND"
is "in force on 2023-03-01: the replacement's first day" "$(numbers_on 2023-03-01)" "05/2023/QĐ-UBND,12/2021/QĐ-UBND,12/2021/QĐ-UBND"
is "in force on 2020-09-03: nothing yet" "$(numbers_on 2020-09-03)" ""
is "in_force_on with a query" \
	"$(curl -s -G "$base/api/v1/search" --data-urlencode "q=cổng thông tin điện tử" --data-urlencode "in_force_on=2023-02-28" | jq -r '[.hits[] | .number] | join(",")')" \
	"31A/2020/QĐ-UBND"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/search?in_force_on=2023-02-30")
is "in_force_on must be a date" "$code $(jq -r .error.parameter "$tmp/body")" "400 in_force_on"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base/api/v1/search?in_force_on=2023-02-28&in_force_on=2023-03-01")
is "in_force_on given once" "$code" 400
code=$(curl -s -o "$tmp/page" -w '%{http_code}' "$base/search?in_force_on=2023-02-28")
check "the search page takes in_force_on" test "$code" = 200 -a -n "$(grep -F '31A/2020/QĐ-UBND' "$tmp/page")"
check "and leaves out 05/2023" test -z "$(grep -F '05/2023/QĐ-UBND' "$tmp/page")"

# --- ELI ---
hdr() { curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@"; }
loc() { tr -d '\r' <"$tmp/hdr" | sed -n 's/^[Ll]ocation: //p'; }
code=$(hdr "$base/eli/vn/quang-ninh/ubnd/qd/2023/05")
is "ELI 05/2023: 303 to the page" "$code $(loc)" "303 /documents/$id05"
code=$(hdr "$base/eli/vn/quang-ninh/ubnd/qd/2023/5/")
is "ELI .../5/ is the same" "$code $(loc)" "303 /documents/$id05"
code=$(hdr -H 'Accept: application/json' "$base/eli/vn/quang-ninh/ubnd/qd/2020/31a")
is "ELI with Accept: JSON: 303 to the record" "$code $(loc) $(jq -r .document.number "$tmp/body")" \
	"303 /api/v1/documents/$id31 31A/2020/QĐ-UBND"
code=$(hdr -H 'Accept: application/json' "$base/eli/vn/quang-ninh/ubnd/qd/2021/12")
is "ambiguous ELI: 300 with both candidates" \
	"$code $(jq -r '[.candidates[].issue_date] | sort | join(",")' "$tmp/body")" "300 2021-03-01,2021-06-01"
code=$(hdr "$base/eli/vn/quang-ninh/ubnd/qd/2021/12")
is "ambiguous ELI as HTML: 300 listing both" "$code $(grep -c '<li><a href="/documents/' "$tmp/body")" "300 2"
code=$(hdr -H 'Accept: application/json' "$base/eli/vn/quang-ninh/ubnd/qd/2020")
is "a shorter path: 300 with what is below it" \
	"$code $(jq -r '[.candidates[].number] | join(",")' "$tmp/body")" "300 31A/2020/QĐ-UBND"
code=$(hdr "$base/eli/vn/ha-noi/ubnd/qd/2023/05")
is "unknown ELI: 404" "$code" 404
code=$(hdr "$base/eli/fr/x")
is "not an ELI: 404" "$code" 404
code=$(hdr "$base/eli/vn/quang-ninh/ubnd/qd/2023/05?x=1")
is "ELI takes no parameters" "$code" 400
code=$(hdr -X POST "$base/eli/vn/quang-ninh/ubnd/qd/2023/05")
is "ELI is GET only" "$code" 405
# an old ELI keeps working after a change of the document's issuer
printf '%s\n' "$(sed 's/"UBND tỉnh Quảng Ninh"/"UBND thành phố Hạ Long"/' "$fx/qd31a.jsonl")" >"$tmp/renamed.jsonl"
imp "$tmp/renamed.jsonl"
code=$(hdr "$base/eli/vn/ha-long/ubnd/qd/2020/31a")
is "the new ELI after a rename" "$code $(loc)" "303 /documents/$id31"
code=$(hdr "$base/eli/vn/quang-ninh/ubnd/qd/2020/31a")
is "the old ELI still resolves" "$code $(loc)" "303 /documents/$id31"

# --- document JSON and page ---
curl -s "$base/api/v1/documents/$id31" >"$tmp/doc31.json"
is "document JSON: status" "$(jq -r .status "$tmp/doc31.json")" expired
is "document JSON: validity since" "$(jq -r .validity.since "$tmp/doc31.json")" 2023-03-01
is "document JSON: eli" "$(jq -r .eli "$tmp/doc31.json")" "/eli/vn/ha-long/ubnd/qd/2020/31a"
curl -s "$base/api/v1/documents/$id05" >"$tmp/doc05.json"
is "document JSON: 05/2023 replaces 31A" \
	"$(jq -r '.relations.outgoing[] | select(.type == "replaces") | .label.en + " " + .document.number + " " + (.resolved | tostring)' "$tmp/doc05.json")" \
	"Replaces 31A/2020/QĐ-UBND true"
is "document JSON: unresolved bases are kept as cited" \
	"$(jq -r '[.relations.outgoing[] | select(.type == "based_on" and .resolved == false) | .number] | index("107/2020/NĐ-CP") != null' "$tmp/doc05.json")" true
curl -s "$base/documents/$id31" >"$tmp/page31.html"
check "page: status and evidence" grep -q 'Bị thay thế bởi <a href="/documents/'"$id05"'">05/2023/QĐ-UBND' "$tmp/page31.html"
check "page: timeline" grep -q 'class="timeline"' "$tmp/page31.html"
check "page: the replacing document is linked" grep -q "<a href=\"/documents/$id05\">05/2023/QĐ-UBND</a>" "$tmp/page31.html"
curl -s "$base/documents/$id05?lang=en" >"$tmp/page05.html"
check "page (en): unresolved citations as plain text" grep -q '<span class="unresolved" lang="vi">107/2020/NĐ-CP' "$tmp/page05.html"
check "page (en): labels in English" grep -q '<h4>Replaces</h4>' "$tmp/page05.html"

# --- a staff upload whose text replaces a stored document ---
cat >"$tmp/qd99.txt" <<'EOT'
ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH

Số: 99/2024/QĐ-UBND

Quảng Ninh, ngày 20 tháng 6 năm 2024

QUYẾT ĐỊNH
Ban hành Quy định thử nghiệm về quan hệ giữa các văn bản

ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy định thử nghiệm về quan hệ giữa các văn bản.

Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 01/7/2024 và thay thế Quyết định số 12/2021/QĐ-UBND ngày 01/3/2021 của Ủy ban nhân dân tỉnh.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn Thử
EOT
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-F portal=quangninh -F "file=@$tmp/qd99.txt;type=text/plain" "$base/api/v1/uploads")
up=$(jq -r .id "$tmp/body")
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H "Content-Type: application/json" -d '{}' "$base/api/v1/uploads/$up/confirm")
id99=$(jq -r .id "$tmp/body")
is "upload of a decision replacing 12/2021 is confirmed" "$code $(jq -r .number "$tmp/body")" "201 99/2024/QĐ-UBND"
ida=$(sql "select id from documents where source = 'relations-test' and source_id = 'a'")
is "upload confirm: the text relation, resolved by date among two 12/2021" \
	"$(sql "select type || ' ' || to_id from relations where from_id = $id99 and origin = 'text' and type = 'replaces'")" \
	"replaces $ida"
is "the replaced one expires from the upload's effective date, the other does not" \
	"$(sql "select string_agg(source_id || ':' || status || ':' || coalesce(to_char(expiry_date, 'YYYY-MM-DD'), '-'), ' ' order by source_id) from documents where source = 'relations-test'")" \
	"a:expired:2024-07-01 b:in_force:-"

# --- staff override ---
vb status "$id31" in_force --reason "Điều 2 chỉ thay thế Quy chế, thử nghiệm" >/dev/null 2>&1
is "override: status" "$(sql "select status from documents where id = $id31")" in_force
is "override: the reason is the evidence" \
	"$(sql "select validity->'evidence'->0->>'kind' || ': ' || (validity->'evidence'->0->>'reason') from document_validity where document_id = $id31")" \
	"override: Điều 2 chỉ thay thế Quy chế, thử nghiệm"
check "override: shown on the page" sh -c "curl -s '$base/documents/$id31' | grep -q 'Cán bộ xác định'"
vb status "$id31" in_force >/dev/null 2>&1
is "override without a reason is refused" "$?" 2
vb status "$id31" gone --reason x >/dev/null 2>&1
is "override with an unknown status is refused" "$?" 1
vb status "$id31" --clear >/dev/null 2>&1
is "clearing the override restores the computed status" "$(state31a)" "expired 2023-03-01 2023-03-01"
vb status --recompute >"$tmp/recompute.out" 2>&1
is "recompute: nothing changed" "$(cat "$tmp/recompute.out")" "0 documents changed"
sql "delete from relations where origin = 'text'"
vb status --from-text >"$tmp/fromtext.out" 2>&1
is "--from-text: every document read" "$?:$(cat "$tmp/fromtext.out")" "0:5 documents read, 0 failed"
is "--from-text: the text relations are back, resolved" \
	"$(sql "select to_id from relations where from_id = $id05 and type = 'replaces' and origin = 'text'")" "$id31"

vbd_stop
is "vanband exits cleanly (no sanitizer report)" "$vbd_status" 0
grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$tmp/daemon.log" | head -n 5 | sed 's/^/# /'

# --- the store API as the sync uses it (lược đồ relations), in a database of its own ---
"$PG_BIN/createdb" -h "$PG_DIR/run" -U "$PG_USER" vanban_rel || bail "createdb"
VANBAN_DB="host=$PG_DIR/run user=$PG_USER dbname=vanban_rel" "$VB_BUILDDIR/tests/test_store_relation" >"$tmp/store.tap" 2>&1
rc=$?
m=$(grep -c '^\(not \)\{0,1\}ok ' "$tmp/store.tap")
grep -v '^1\.\.' "$tmp/store.tap" | awk -v off="$n" '
	/^ok [0-9]+/ { $2 = $2 + off; print; next }
	/^not ok [0-9]+/ { $3 = $3 + off; print; next }
	{ print "# " $0 }'
n=$((n + m))
[ "$rc" = 0 ] || { n=$((n + 1)); echo "not ok $n - tests/test_store_relation exited with status $rc"; }
echo "1..$n"
