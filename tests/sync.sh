#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of `vanban sync vbpl` against tests/fixture_httpd, a local
# HTTP server that serves the real saved vbpl.vn pages and attachments of
# the corpus, with a throwaway PostgreSQL:
#  - a sync fills the store: documents with their metadata, text, files
#    (in the file store) and relations; the requests carry the User-Agent;
#  - a second sync changes nothing (same dump, nothing new to index);
#  - a sync killed (-9) midway and restarted ends in the same state, and
#    the killed run shows as interrupted;
#  - failures (HTTP 500, a stall past the timeout, a truncated body, a
#    changed layout) give clear errors naming the record and the rest goes
#    in (exit 1); a later clean sync completes the store;
#  - a local document (source "upload": imported, then a real staff upload
#    through POST /api/v1/uploads + confirm) with the same number, issuer
#    and date as an upstream record is linked, not duplicated, and its
#    disagreeing fields show up in the review list (`vanban sync --report`,
#    GET /api/v1/sync/status), once;
#  - the daemon's schedule (sync_vbpl_url) runs a sync at start and not
#    again within sync_interval after a restart;
#  - a --mirror run over a saved copy of the site gives the same store;
#  - `vanban sync congbao` over the saved Sơn La gazette pages: the
#    documents of the newest issue, idempotent, failing issues named.
. "$VB_SRCDIR/tests/lib/tap.sh"
. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"

corpus=${VB_CORPUS:-$VB_SRCDIR/../shared/corpus}
httpd=$VB_BUILDDIR/tests/fixture_httpd
if [ ! -f "$corpus/vbpl_html_fixtures/index.tsv" ]; then
	echo "1..0 # SKIP corpus not found at $corpus"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-sync-test.XXXXXX") || exit 1
pg_start || bail "could not start PostgreSQL"
httpd_pid=
cleanup() {
	[ -n "$httpd_pid" ] && kill "$httpd_pid" 2>/dev/null
	[ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null
	pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
main_db=$VANBAN_DB

q() { psql "$VANBAN_DB" -Atc "$1" 2>&1; }
show() { sed 's/^/#   /' "$1" | head -n 20; }
# A fresh database (migrated) as the current one; its data directory is
# $tmp/data-NAME.
use_db() {
	psql "$main_db" -qAtc "CREATE DATABASE $1" >/dev/null 2>&1
	VANBAN_DB="${main_db% dbname=*} dbname=$1"
	export VANBAN_DB
	data=$tmp/data-$1
	vanban --data-dir "$data" migrate >"$tmp/migrate-$1.log" 2>&1 || { show "$tmp/migrate-$1.log"; bail "migrate $1"; }
}
# The state to compare: documents, files, signers, relations (keyed by
# source and source_id, not by id).
dump() {
	q "SELECT source, source_id, coalesce(number, ''), coalesce(form, ''), coalesce(issuer, ''),
	          coalesce(issue_date::text, ''), coalesce(effective_date::text, ''), status,
	          content_hash, version, length(coalesce(body, ''))
	   FROM documents ORDER BY source, source_id"
	q "SELECT d.source_id, f.position, f.name, f.sha256 FROM document_files f
	   JOIN documents d ON d.id = f.document_id ORDER BY 1, 2"
	q "SELECT d.source_id, s.position, s.name, coalesce(s.title, '') FROM signers s
	   JOIN documents d ON d.id = s.document_id ORDER BY 1, 2"
	if [ "$(q "SELECT to_regclass('relations') IS NOT NULL")" = t ]; then
		q "SELECT r::text FROM (SELECT (SELECT source_id FROM documents WHERE id = r.from_id) f,
		          type, (SELECT source_id FROM documents WHERE id = r.to_id) t,
		          to_jsonb(r) - 'id' - 'from_id' - 'to_id' - 'created_at' j
		   FROM relations r) r ORDER BY 1"
	fi
}
vsync() { vanban --data-dir "$data" sync vbpl --rate-ms 0 --backoff-ms 20 --timeout 5 "$@"; }

# --- the fixture server ---------------------------------------------------
: >"$tmp/control"
"$httpd" "$corpus" "$VB_SRCDIR/tests/fixtures/sync" --control "$tmp/control" \
	--log "$tmp/httpd.log" >"$tmp/port" 2>"$tmp/httpd.err" &
httpd_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(head -n 1 "$tmp/port")
[ -n "$port" ] || { show "$tmp/httpd.err"; bail "fixture server did not start"; }
fx="http://127.0.0.1:$port"
ok "fixture server listens on 127.0.0.1:$port"

# --- first sync -----------------------------------------------------------
use_db s1
vsync --base-url "$fx" >"$tmp/out1" 2>"$tmp/err1"
rc=$?
is "first sync: exit 0" "$rc" 0
[ "$rc" = 0 ] || show "$tmp/err1"
check "first sync: 3 new" grep -q "^sync vbpl run 1: 3 new, 0 changed, 0 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out1"
is "3 documents from vbpl" "$(q "SELECT count(*) FROM documents WHERE source = 'vbpl'")" 3
is "BLTTHS metadata" "$(q "SELECT number, form, issuer, issue_date, effective_date, status, abstract
	FROM documents WHERE source_id = '96172'")" \
	"101/2015/QH13|Bộ luật|Quốc hội|2015-11-27|2018-01-01|in_force|Tố tụng hình sự"
is "Hiến pháp 2013: no number, dates" "$(q "SELECT coalesce(number, '-'), form, issue_date, effective_date
	FROM documents WHERE source_id = '32801'")" "-|Hiến pháp|2013-11-28|2014-01-01"
is "VBHN: number, form, attested date" "$(q "SELECT number, form, issuer, issue_date
	FROM documents WHERE source_id = '147301'")" "31/VBHN-VPQH|Văn bản hợp nhất|Văn phòng Quốc hội|2020-12-07"
is "signer of 96172" "$(q "SELECT s.name || '|' || s.title FROM signers s JOIN documents d ON d.id = s.document_id
	WHERE d.source_id = '96172'")" "Nguyễn Sinh Hùng|Chủ tịch Quốc hội"
check "text from toàn văn (96172 has 'Điều 1')" [ "$(q "SELECT body LIKE '%Điều 1.%' FROM documents WHERE source_id = '96172'")" = t ]
check "VBHN text from its .doc attachment" [ "$(q "SELECT length(body) > 100000 FROM documents WHERE source_id = '147301'")" = t ]
is "7 attachments linked" "$(q "SELECT count(*) FROM document_files")" 7
is "attachments of 96172" "$(q "SELECT string_agg(name || ':' || media_type, ',' ORDER BY position)
	FROM document_files f JOIN documents d ON d.id = f.document_id WHERE d.source_id = '96172'")" \
	"101.2015.QH13.doc:application/msword,VanBanGoc_101.2015.QH13.P1.pdf:application/pdf,VanBanGoc_101.2015.QH13.P2.pdf:application/pdf,VanBanGoc_101.2015.QH13.P3.pdf:application/pdf"
sha=$(q "SELECT f.sha256 FROM document_files f JOIN documents d ON d.id = f.document_id
	WHERE d.source_id = '96172' AND f.position = 1")
check "the .doc is in the file store under its SHA-256" \
	cmp "$data/files/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-4)/$sha" "$corpus/vbpl_original_files/(96172)-101.2015.QH13.doc"
if [ "$(q "SELECT to_regclass('relations') IS NOT NULL")" = t ]; then
	is "relations from the lược đồ" "$(q "SELECT string_agg(type || '=' || n, ',' ORDER BY type)
		FROM (SELECT type, count(*) n FROM relations GROUP BY type) t")" \
		"cites=4,consolidates=3,implements=88,related=2"
else
	nok "relations table (sql/005_relations.sql) is missing"
fi
is "provenance kept per field" "$(q "SELECT record->'fields'->'number'->>'value' || ' ' ||
	(record->'fields'->'number'->>'url') FROM sync_items WHERE source_id = '96172'")" \
	"101/2015/QH13 $fx/TW/Pages/vbpq-thuoctinh.aspx?ItemID=96172"
check "requests identify themselves (User-Agent vanban/...)" \
	sh -c "! grep -v '^vanban/[0-9][^ ]* (+' '$tmp/httpd.log'"
is "checkpoint = newest issue date" "$(q "SELECT checkpoint_date FROM sync_checkpoints WHERE source = 'vbpl'")" 2020-12-07
dump >"$tmp/dump1"

# --- second sync: nothing changes -----------------------------------------
jobs_before=$(q "SELECT count(*) FROM index_outbox")
vsync --base-url "$fx" --window 3650 >"$tmp/out2" 2>"$tmp/err2"
is "second sync (whole window): exit 0" "$?" 0
check "second sync: 3 unchanged" grep -q "^sync vbpl run 2: 0 new, 0 changed, 3 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out2"
dump >"$tmp/dump2"
check "second sync: same store" cmp "$tmp/dump1" "$tmp/dump2"
is "second sync: nothing new to index" "$(q "SELECT count(*) FROM index_outbox")" "$jobs_before"
: >"$tmp/httpd.log"
vsync --base-url "$fx" >"$tmp/out3" 2>"$tmp/err3"
check "incremental sync (30-day window): only the newest record looked at" \
	grep -q "^sync vbpl run 3: 0 new, 0 changed, 1 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out3"
check "incremental sync: 32801 not fetched" sh -c "! grep -q 'ItemID=32801' '$tmp/httpd.log'"

# --- kill -9 midway, then restart -----------------------------------------
use_db s2
echo "VanBanGoc_101.2015.QH13.P2.pdf stall" >"$tmp/control"
: >"$tmp/httpd.log"
vanban --data-dir "$data" sync vbpl --base-url "$fx" --rate-ms 0 --timeout 30 >"$tmp/out4" 2>"$tmp/err4" &
spid=$!
i=0
while ! grep -q "P2.pdf" "$tmp/httpd.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $spid 2>/dev/null
wait $spid 2>/dev/null
ok "sync killed (-9) while fetching an attachment of 96172"
is "killed: only what was complete is stored" "$(q "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM documents")" 147301
: >"$tmp/control"
vsync --base-url "$fx" >"$tmp/out5" 2>"$tmp/err5"
is "restarted sync: exit 0" "$?" 0
check "restarted sync: 2 new, 1 unchanged" grep -q "^sync vbpl run 2: 2 new, 0 changed, 1 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out5"
dump >"$tmp/dump5"
check "killed and restarted: same state as an uninterrupted sync" cmp "$tmp/dump1" "$tmp/dump5"
is "the killed run is marked interrupted" "$(q "SELECT status FROM sync_runs WHERE id = 1")" interrupted

# --- failures: the rest goes in -------------------------------------------
use_db s3
printf '%s\n' "vbpq-thuoctinh.aspx?ItemID=96172 500" "vbpq-luocdo.aspx?ItemID=32801 layout" >"$tmp/control"
vsync --base-url "$fx" >"$tmp/out6" 2>"$tmp/err6"
is "HTTP 500 and a changed layout: exit 1" "$?" 1
check "1 new, 2 failed" grep -q "^sync vbpl run 1: 1 new, 0 changed, 0 unchanged, 0 linked, 2 failed, 0 conflicts$" "$tmp/out6"
check "500: clear error naming the record and the URL" \
	grep -q "ItemID 96172: could not fetch $fx/TW/Pages/vbpq-thuoctinh.aspx?ItemID=96172: HTTP 500 (after 4 attempts)" "$tmp/err6"
check "changed layout: clear error" grep -q "ItemID 32801: unparseable lược đồ page: no div.vbLuocDo boxes (layout changed?)" "$tmp/err6"
is "the good record went in" "$(q "SELECT string_agg(source_id, ',') FROM documents")" 147301
is "no half-written record" "$(q "SELECT count(*) FROM document_files")" 1
is "failing records listed" "$(q "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM sync_items WHERE last_error IS NOT NULL")" "32801,96172"
is "checkpoint not moved by a run with failures? (walk completed: moved)" \
	"$(q "SELECT coalesce(checkpoint_date::text, '-') FROM sync_checkpoints")" 2020-12-07
echo "vbpq-thuoctinh-hopnhat.aspx?ItemID=147301 truncate" >"$tmp/control"
vsync --base-url "$fx" --window 3650 >"$tmp/out7" 2>"$tmp/err7"
check "truncated body: clear error" grep -q "ItemID 147301: could not fetch .*vbpq-thuoctinh-hopnhat.aspx?ItemID=147301: .*(after 4 attempts)" "$tmp/err7"
echo "vbpq-toanvan.aspx?ItemID=32801 stall" >"$tmp/control"
vsync --base-url "$fx" --window 3650 --timeout 1 --retries 1 >"$tmp/out8" 2>"$tmp/err8"
check "stalled server: timeout error" grep -q "ItemID 32801: could not fetch .*vbpq-toanvan.aspx?ItemID=32801: .*timed out.*(after 2 attempts)" "$tmp/err8"
: >"$tmp/control"
vsync --base-url "$fx" --window 3650 >"$tmp/out9" 2>"$tmp/err9"
is "clean sync after the failures: exit 0" "$?" 0
dump >"$tmp/dump9"
check "after the failures: same state as an uninterrupted sync" cmp "$tmp/dump1" "$tmp/dump9"
is "no failing records left" "$(q "SELECT count(*) FROM sync_items WHERE last_error IS NOT NULL")" 0

# --- a local upload conflicting with the upstream record -------------------
use_db s4
mkdir -p "$tmp/local"
cat >"$tmp/local/m.jsonl" <<'EOF'
{"source": "upload", "source_id": "up-1", "number": "101/2015/QH13", "form": "Bộ luật", "issuer": "Quốc hội", "issue_date": "2015-11-27", "effective_date": "2018-01-02", "abstract": "Bộ luật Tố tụng hình sự (bản tải lên)", "status": "Còn hiệu lực", "text": "Bộ luật tố tụng hình sự. Điều 1. Phạm vi điều chỉnh."}
EOF
vanban --data-dir "$data" import "$tmp/local/m.jsonl" >"$tmp/imp" 2>&1 || show "$tmp/imp"
local_id=$(q "SELECT id FROM documents WHERE source = 'upload'")
check "a local document 101/2015/QH13" [ -n "$local_id" ]
vsync --base-url "$fx" >"$tmp/out10" 2>"$tmp/err10"
is "sync with a matching local document: exit 0" "$?" 0
check "2 new, 1 linked, 2 conflicts" grep -q "^sync vbpl run 1: 2 new, 0 changed, 0 unchanged, 1 linked, 0 failed, 2 conflicts$" "$tmp/out10"
is "linked, not duplicated" "$(q "SELECT count(*) FROM documents WHERE number_canonical = '101/2015/QH13'")" 1
is "sync item points to the local document" "$(q "SELECT document_id || ' ' || linked FROM sync_items WHERE source_id = '96172'")" "$local_id true"
is "review list: abstract and effective date" "$(q "SELECT string_agg(field || '=' || coalesce(local_value, '') || '>' || upstream_value, ';' ORDER BY field)
	FROM sync_reviews WHERE status = 'pending'")" \
	"abstract=Bộ luật Tố tụng hình sự (bản tải lên)>Tố tụng hình sự;effective_date=2018-01-02>2018-01-01"
is "local values not overwritten" "$(q "SELECT abstract || '|' || effective_date FROM documents WHERE id = $local_id")" \
	"Bộ luật Tố tụng hình sự (bản tải lên)|2018-01-02"
vsync --base-url "$fx" --window 3650 >"$tmp/out11" 2>"$tmp/err11"
check "second sync: no new conflicts" grep -q "^sync vbpl run 2: 0 new, 0 changed, 2 unchanged, 1 linked, 0 failed, 0 conflicts$" "$tmp/out11"
is "review items not duplicated" "$(q "SELECT count(*) FROM sync_reviews")" 2
vanban sync --report >"$tmp/report" 2>&1
check "report: conflicts pending" grep -q "^conflicts pending review: 2$" "$tmp/report"
check "report: runs with counts" grep -q "run 1 .* ok: 2 new, 0 changed, 0 unchanged, 1 linked, 0 failed, 2 conflicts" "$tmp/report"
check "report: the review items" grep -q "review [0-9]*: document $local_id, vbpl 96172: effective_date: local \"2018-01-02\", upstream \"2018-01-01\"" "$tmp/report"
vanban sync --report --json vbpl >"$tmp/report.json" 2>&1
is "report --json: conflicts_pending" "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['conflicts_pending'])" "$tmp/report.json" 2>&1)" 2

# GET /api/v1/sync/status from the daemon
if vbd_start; then
	curl -s "$base/api/v1/sync/status" >"$tmp/status.json" 2>/dev/null
	curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/sync/status?x=1" >"$tmp/status.bad"
	is "sync status: conflicts pending, last run counts" "$(python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
s = d['sources'][0]
r = s['runs'][0]
print(d['conflicts_pending'], s['source'], s['checkpoint'], r['status'], r['new'], r['unchanged'], r['linked'], len(d['reviews']))
" "$tmp/status.json" 2>&1)" "2 vbpl 2020-12-07 ok 0 2 1 2"
	is "sync status: unknown parameter refused" "$(cat "$tmp/status.bad")" 400
	vbd_stop
else
	nok "daemon did not start"
	nok "daemon did not start"
fi

# --- the same through a real staff upload (POST /api/v1/uploads + confirm) --
use_db s8
printf '%s\n' "sync-test-token-51c2" >"$tmp/token"
printf 'QUỐC HỘI\nSố: 101/2015/QH13\nBỘ LUẬT TỐ TỤNG HÌNH SỰ\nĐiều 1. Phạm vi điều chỉnh\n' >"$tmp/upload.txt"
if VANBAN_API_TOKEN_FILE="$tmp/token" VANBAN_NO_OCR=1 vbd_start; then
	code=$(curl -s -o "$tmp/up.json" -w '%{http_code}' -H "Authorization: Bearer sync-test-token-51c2" \
		-F "file=@$tmp/upload.txt;type=text/plain" "$base/api/v1/uploads")
	up=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$tmp/up.json" 2>/dev/null)
	code2=$(curl -s -o "$tmp/conf.json" -w '%{http_code}' -H "Authorization: Bearer sync-test-token-51c2" \
		-H "Content-Type: application/json" \
		-d '{"number": "101/2015/QH13", "form": "Bộ luật", "issuer": "Quốc hội", "issue_date": "2015-11-27", "effective_date": "2018-07-01", "abstract": "Bộ luật Tố tụng hình sự (tải lên)", "status": "in_force"}' \
		"$base/api/v1/uploads/$up/confirm")
	vbd_stop
	is "staff upload confirmed" "$code:$code2" "201:201"
	up_doc=$(q "SELECT id FROM documents WHERE number_canonical = '101/2015/QH13'")
	vsync --base-url "$fx" >"$tmp/out14" 2>"$tmp/err14"
	check "sync after the upload: 1 linked, 2 conflicts" grep -q "^sync vbpl run 1: 2 new, 0 changed, 0 unchanged, 1 linked, 0 failed, 2 conflicts$" "$tmp/out14"
	is "the upload is linked, not duplicated" "$(q "SELECT count(*) || ' ' || min(source) FROM documents WHERE number_canonical = '101/2015/QH13'") $(q "SELECT document_id FROM sync_items WHERE source_id = '96172'")" "1 upload $up_doc"
	is "the upload's conflicts are in the review list" "$(q "SELECT string_agg(field || '=' || coalesce(local_value, '') || '>' || upstream_value, ';' ORDER BY field)
		FROM sync_reviews WHERE status = 'pending' AND document_id = $up_doc")" \
		"abstract=Bộ luật Tố tụng hình sự (tải lên)>Tố tụng hình sự;effective_date=2018-07-01>2018-01-01"
else
	nok "daemon with uploads did not start"
fi

# --- the daemon's schedule -------------------------------------------------
use_db s6
printf 'sync_vbpl_url = %s\nsync_interval = 3600\nsync_rate_ms = 0\n' "$fx" >"$tmp/sched.conf"
if vbd_start --config "$tmp/sched.conf"; then
	i=0
	while [ "$(q "SELECT count(*) FROM sync_runs WHERE status <> 'running'")" != 1 ] && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	is "daemon schedule: one run at start" "$(q "SELECT status || ' ' || new FROM sync_runs")" "ok 3"
	vbd_stop
	is "daemon stops cleanly with the schedule on" "$vbd_status" 0
	vbd_start --config "$tmp/sched.conf"
	sleep 1
	vbd_stop
	is "restarted daemon: no second run within sync_interval" "$(q "SELECT count(*) FROM sync_runs")" 1
else
	nok "daemon with the sync schedule did not start"
fi

# --- a mirror directory ----------------------------------------------------
use_db s5
m=$tmp/mirror
mkdir -p "$m/TW/Pages"
cp "$VB_SRCDIR/tests/fixtures/sync/vbpl_list_p1.html" "$m/TW/Pages/vbpq-timkiem.aspx?type=0&s=1&Page=1"
cp "$VB_SRCDIR/tests/fixtures/sync/vbpl_list_p2.html" "$m/TW/Pages/vbpq-timkiem.aspx?type=0&s=1&Page=2"
tail -n +2 "$corpus/vbpl_html_fixtures/index.tsv" | while IFS="$(printf '\t')" read -r file type item rest; do
	case $file in
	thuoctinh_hopnhat_*) page=vbpq-thuoctinh-hopnhat.aspx ;;
	luocdo_hopnhat_*) page=vbpq-luocdo-hopnhat.aspx ;;
	thuoctinh_*) page=vbpq-thuoctinh.aspx ;;
	toanvan_*) page=vbpq-toanvan.aspx ;;
	luocdo_*) page=vbpq-luocdo.aspx ;;
	*) continue ;;
	esac
	cp "$corpus/vbpl_html_fixtures/$file" "$m/TW/Pages/$page?ItemID=$item"
done
for d in "TW/Lists/vbpq/Attachments/147301/31.VBHN.VPQH.doc:(147301)-31.VBHN.VPQH.doc" \
	"TW/Lists/vbpq/Attachments/96172/101.2015.QH13.doc:(96172)-101.2015.QH13.doc" \
	"FileData/TW/Lists/vbpq/Attachments/96172/VanBanGoc_101.2015.QH13.P1.pdf:(96172)-VanBanGoc_101.2015.QH13.P1.pdf" \
	"FileData/TW/Lists/vbpq/Attachments/96172/VanBanGoc_101.2015.QH13.P2.pdf:(96172)-VanBanGoc_101.2015.QH13.P2.pdf" \
	"FileData/TW/Lists/vbpq/Attachments/96172/VanBanGoc_101.2015.QH13.P3.pdf:(96172)-VanBanGoc_101.2015.QH13.P3.pdf" \
	"TW/Lists/vbpq/Attachments/32801/Hien phap nam 2013.doc:(32801)-Hien_phap_nam_2013.doc" \
	"FileData/TW/Lists/vbpq/Attachments/32801/VanBanGoc_Hien phap 2013.pdf:(32801)-VanBanGoc_Hien_phap_2013.pdf"; do
	mkdir -p "$m/$(dirname "${d%%:*}")"
	cp "$corpus/vbpl_original_files/${d#*:}" "$m/${d%%:*}"
done
vsync --mirror "$m" >"$tmp/out12" 2>"$tmp/err12"
is "mirror sync: exit 0" "$?" 0
[ -s "$tmp/err12" ] && grep -v "^sync vbpl: run" "$tmp/err12" | show /dev/stdin
check "mirror sync: 3 new" grep -q "^sync vbpl run 1: 3 new, 0 changed, 0 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out12"
dump >"$tmp/dump12"
check "mirror sync: same store as over HTTP" cmp "$tmp/dump1" "$tmp/dump12"

# --- the provincial gazette (Sơn La pages) -----------------------------------
use_db s7
csync() { vanban --data-dir "$data" sync congbao --rate-ms 0 --backoff-ms 20 --timeout 5 "$@"; }
csync --base-url "$fx" --max-pages 1 >"$tmp/out15" 2>"$tmp/err15"
is "gazette, newest issue: exit 0" "$?" 0
check "gazette: the 11 documents of issue 47" grep -q "^sync congbao run 1: 11 new, 0 changed, 0 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out15"
is "gazette document metadata" "$(q "SELECT number, form, issuer, issue_date, category FROM documents
	WHERE source = 'congbao' AND source_id = '2979FBD220E3084E47258E33002A7EF2'")" \
	"37/2026/QĐ-UBND|Quyết định|UBND Tỉnh|2026-07-13|normative"
is "gazette: 3 normative, 8 other" "$(q "SELECT string_agg(category || '=' || n, ',' ORDER BY category)
	FROM (SELECT category, count(*) n FROM documents GROUP BY category) t")" "administrative=8,normative=3"
check "gazette: a missing file is a warning in the record" \
	[ "$(q "SELECT record->'warnings'->>0 FROM sync_items WHERE source_id = '2979FBD220E3084E47258E33002A7EF2'")" = 'attachment "QD so 37.2026.doc" not found' ]
is "gazette: the issue as provenance" "$(q "SELECT record->'fields'->'gazette_source'->>'value' FROM sync_items
	WHERE source_id = '2979FBD220E3084E47258E33002A7EF2'")" "Số 47 Ngày 25/7/2026"
csync --base-url "$fx" --max-pages 1 >"$tmp/out16" 2>"$tmp/err16"
check "gazette, second run: 11 unchanged" grep -q "^sync congbao run 2: 0 new, 0 changed, 11 unchanged, 0 linked, 0 failed, 0 conflicts$" "$tmp/out16"
csync --base-url "$fx" >"$tmp/out17" 2>"$tmp/err17"
is "gazette, whole year: issues without a page fail, exit 1" "$?" 1
check "gazette, whole year: 36 issues failed, the 11 documents unchanged" \
	grep -q "^sync congbao run 3: 0 new, 0 changed, 11 unchanged, 0 linked, 36 failed, 0 conflicts$" "$tmp/out17"
check "gazette: the failing issue is named" grep -q 'issue "Số 46 Ngày 10/7/2026": could not fetch .*: HTTP 404' "$tmp/err17"

# --- usage errors -----------------------------------------------------------
vanban sync vbpl >/dev/null 2>"$tmp/err13"
is "no base URL or mirror: exit 2" "$?" 2
vanban sync congbo --mirror "$m" >/dev/null 2>"$tmp/err14"
is "unknown source: exit 2" "$?" 2
check "unknown source named" grep -q 'unknown source "congbo"' "$tmp/err14"

echo "1..$n"
