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
#  - staff resolve it: `vanban sync review` list / accept (a new version of
#    the local document, an index job, the declared status kept) / reject
#    (reason required), recorded with time; a resolved item does not come
#    back when the record is compared again, a changed upstream value opens
#    a new item; the same over GET/POST /api/v1/sync/reviews with the token
#    (401 without, 400 / 404 / 405 / 409, the reason not logged);
#  - status compared with what the local source declared; the computed
#    status apart (status_computed) only without a staff override;
#  - the daemon recomputes validity at start and every validity_interval
#    (a document effective "tomorrow" whose date is moved in SQL becomes in
#    force), not on a read-only daemon: every document the first time, then
#    those with a date since the recorded last pass (moved back in SQL, as
#    if days had passed), none at a restart the same day; the gazette in
#    its schedule;
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
print(d['conflicts_pending'], s['source'], s['checkpoint'], r['status'], r['new'], r['unchanged'], r['linked'], 'reviews' in d)
" "$tmp/status.json" 2>&1)" "2 vbpl 2020-12-07 ok 0 2 1 False"
	is "sync status: unknown parameter refused" "$(cat "$tmp/status.bad")" 400
	vbd_stop
else
	nok "daemon did not start"
	nok "daemon did not start"
fi

# --- staff resolve the review list (vanban sync review) ---------------------
rv_abs=$(q "SELECT id FROM sync_reviews WHERE field = 'abstract'")
rv_eff=$(q "SELECT id FROM sync_reviews WHERE field = 'effective_date'")
vanban sync review >"$tmp/rv1" 2>&1
check "review list: the pending items with document and values" \
	grep -q "^review $rv_eff \[pending\]: document $local_id 101/2015/QH13, vbpl 96172: effective_date: local \"2018-01-02\", upstream \"2018-01-01\"$" "$tmp/rv1"
check "review list: count" grep -q "^2 pending review item(s)$" "$tmp/rv1"
vanban sync review list --json >"$tmp/rv1.json" 2>&1
is "review list --json" "$(jq -r '[.total, (.reviews | map(.field) | join(","))] | join(" ")' "$tmp/rv1.json" 2>&1)" "2 abstract,effective_date"
ver0=$(q "SELECT version FROM documents WHERE id = $local_id")
jobs0=$(q "SELECT count(*) FROM index_outbox WHERE document_id = $local_id")
vanban sync review reject "$rv_abs" >/dev/null 2>"$tmp/rv2"
is "reject without a reason: exit 2" "$?" 2
check "reject without a reason: said so" grep -q "reason TEXT is required" "$tmp/rv2"
vanban sync review accept "$rv_eff" --reason "upstream is right" >"$tmp/rv3" 2>&1
is "accept: exit 0" "$?" 0
check "accept: the item shown as accepted" grep -q "^review $rv_eff \[accepted\]: .*: upstream is right$" "$tmp/rv3"
is "accepted: the upstream value in the local document, as a new version" \
	"$(q "SELECT effective_date || ' ' || version FROM documents WHERE id = $local_id")" "2018-01-01 $((ver0 + 1))"
check "accepted: the indexer gets a job" [ "$(q "SELECT count(*) FROM index_outbox WHERE document_id = $local_id")" -gt "$jobs0" ]
is "accepted: other fields and the declared status kept" "$(q "SELECT d.abstract || '|' || d.source || '|' || v.status_declared || '|' || d.status
	FROM documents d JOIN document_validity v ON v.document_id = d.id WHERE d.id = $local_id")" \
	"Bộ luật Tố tụng hình sự (bản tải lên)|upload|in_force|in_force"
vanban sync review reject "$rv_abs" --reason "our title is the official one" >"$tmp/rv4" 2>&1
is "reject: exit 0" "$?" 0
is "rejected: the local value stays" "$(q "SELECT abstract FROM documents WHERE id = $local_id")" "Bộ luật Tố tụng hình sự (bản tải lên)"
is "resolutions recorded with status, reason and time" "$(q "SELECT string_agg(field || ':' || status || ':' || coalesce(reason, '') || ':' || (resolved_at IS NOT NULL), ';' ORDER BY field) FROM sync_reviews")" \
	"abstract:rejected:our title is the official one:true;effective_date:accepted:upstream is right:true"
vanban sync review accept "$rv_abs" >/dev/null 2>"$tmp/rv5"
is "a resolved item is not resolved again: exit 1" "$?" 1
check "... with the reason named" grep -q "review item $rv_abs is already rejected" "$tmp/rv5"
vanban sync review accept 987654 >/dev/null 2>"$tmp/rv6"
is "no such item: exit 1" "$?" 1
check "no such item: named" grep -q "review item 987654 does not exist" "$tmp/rv6"
# upstream changed something else (the record is compared again): the
# resolved items do not come back
q "UPDATE sync_items SET record_hash = 'changed' WHERE source_id = '96172'" >/dev/null
vsync --base-url "$fx" --window 3650 >"$tmp/out18" 2>"$tmp/err18"
check "re-compared record: no conflicts again" grep -q "^sync vbpl run 3: 0 new, 0 changed, 2 unchanged, 1 linked, 0 failed, 0 conflicts$" "$tmp/out18"
is "re-compared record: nothing pending" "$(q "SELECT count(*) FROM sync_reviews WHERE status = 'pending'")" 0
# upstream said something else since (simulated: the rejected item was
# about an older upstream abstract): the current one is a new item
q "UPDATE sync_reviews SET upstream_value = 'Tố tụng hình sự (cũ)' WHERE id = $rv_abs" >/dev/null
q "UPDATE sync_items SET record_hash = 'changed' WHERE source_id = '96172'" >/dev/null
vsync --base-url "$fx" --window 3650 >"$tmp/out19" 2>"$tmp/err19"
check "upstream changed again: 1 conflict" grep -q "^sync vbpl run 4: 0 new, 0 changed, 2 unchanged, 1 linked, 0 failed, 1 conflicts$" "$tmp/out19"
rv_new=$(q "SELECT id FROM sync_reviews WHERE status = 'pending'")
is "upstream changed again: a new pending item" "$(q "SELECT field || '>' || upstream_value FROM sync_reviews WHERE status = 'pending'")" "abstract>Tố tụng hình sự"

# --- the review list over HTTP (token) --------------------------------------
printf '%s\n' "review-token-9f3e" >"$tmp/rtoken"
if VANBAN_API_TOKEN_FILE="$tmp/rtoken" vbd_start; then
	auth="Authorization: Bearer review-token-9f3e"
	is "GET reviews without the token: 401" "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/sync/reviews?status=pending")" 401
	is "GET reviews with a wrong token: 401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer nope" "$base/api/v1/sync/reviews")" 401
	code=$(curl -s -o "$tmp/rv.json" -w '%{http_code}' -H "$auth" "$base/api/v1/sync/reviews?status=pending")
	is "GET reviews?status=pending: 200, the one pending item" "$code $(jq -r '[.total, .reviews[0].id, .reviews[0].field, .reviews[0].upstream_value, .reviews[0].number] | join(" ")' "$tmp/rv.json" 2>&1)" \
		"200 1 $rv_new abstract Tố tụng hình sự 101/2015/QH13"
	is "GET reviews?status=all: every item" "$(curl -s -H "$auth" "$base/api/v1/sync/reviews?status=all" | jq -r '.total' 2>&1)" 3
	is "GET reviews: a bad status is refused" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/v1/sync/reviews?status=maybe")" 400
	is "GET reviews: an unknown parameter is refused" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/v1/sync/reviews?x=1")" 400
	is "POST reject without the token: 401" "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"reason": "x"}' "$base/api/v1/sync/reviews/$rv_new/reject")" 401
	code=$(curl -s -o "$tmp/rj.json" -w '%{http_code}' -H "$auth" -H "Content-Type: application/json" -d '{}' "$base/api/v1/sync/reviews/$rv_new/reject")
	is "POST reject without a reason: 400 naming reason" "$code $(jq -r '.error.parameter' "$tmp/rj.json" 2>&1)" "400 reason"
	is "POST reject with an unknown member: 400" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -d '{"reason": "x", "who": "y"}' "$base/api/v1/sync/reviews/$rv_new/reject")" 400
	code=$(curl -s -o "$tmp/rj.json" -w '%{http_code}' -H "$auth" -H "Content-Type: application/json" \
		-d '{"reason": "tên chính thức là của bản tải lên"}' "$base/api/v1/sync/reviews/$rv_new/reject")
	is "POST reject: 200, rejected with the reason" "$code $(jq -r '[.status, .reason, (.resolved_at != null)] | join("|")' "$tmp/rj.json" 2>&1)" \
		"200 rejected|tên chính thức là của bản tải lên|true"
	is "POST reject again: 409" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -d '{"reason": "x"}' "$base/api/v1/sync/reviews/$rv_new/reject")" 409
	is "POST accept of an unknown item: 404" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X POST "$base/api/v1/sync/reviews/987654/accept")" 404
	is "GET on accept: 405" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/v1/sync/reviews/$rv_new/accept")" 405
	is "an unknown operation: 404" "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X POST "$base/api/v1/sync/reviews/$rv_new/approve")" 404
	check "the reason is not in the log" sh -c "! grep -q 'chính thức' '$tmp/daemon.log' '$tmp/daemon.out'"
	vbd_stop
	is "the local abstract stays after the rejection over HTTP" "$(q "SELECT abstract FROM documents WHERE id = $local_id")" "Bộ luật Tố tụng hình sự (bản tải lên)"
else
	nok "daemon with a token did not start"
fi

# --- the same through a real staff upload (POST /api/v1/uploads + confirm) --
use_db s8
# uploads belong to a portal (docs/workflow.md)
grep '^quangninh	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
vanban --data-dir "$data" portal import "$tmp/portals.tsv" >"$tmp/portal-s8.log" 2>&1 ||
	{ show "$tmp/portal-s8.log"; bail "portal import s8"; }
printf '%s\n' "sync-test-token-51c2" >"$tmp/token"
printf 'QUỐC HỘI\nSố: 101/2015/QH13\nBỘ LUẬT TỐ TỤNG HÌNH SỰ\nĐiều 1. Phạm vi điều chỉnh\n' >"$tmp/upload.txt"
if VANBAN_API_TOKEN_FILE="$tmp/token" VANBAN_NO_OCR=1 vbd_start; then
	code=$(curl -s -o "$tmp/up.json" -w '%{http_code}' -H "Authorization: Bearer sync-test-token-51c2" \
		-F portal=quangninh -F "file=@$tmp/upload.txt;type=text/plain" "$base/api/v1/uploads")
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

# --- status: upstream vs what the local source declared ---------------------
# Declared "in force" like upstream, but effective only in 2099: the
# computed status ("not yet in force") disagrees, listed apart.
use_db s9
cat >"$tmp/local/m9.jsonl" <<'JSONL'
{"source": "upload", "source_id": "up-9", "number": "101/2015/QH13", "form": "Bộ luật", "issuer": "Quốc hội", "issue_date": "2015-11-27", "effective_date": "2099-01-01", "abstract": "Tố tụng hình sự", "status": "Còn hiệu lực", "text": "Bộ luật tố tụng hình sự."}
JSONL
vanban --data-dir "$data" import "$tmp/local/m9.jsonl" >"$tmp/imp9" 2>&1 || show "$tmp/imp9"
id9=$(q "SELECT id FROM documents WHERE source = 'upload'")
is "local document: declared in force, computed not yet" "$(q "SELECT v.status_declared || ' ' || d.status FROM documents d JOIN document_validity v ON v.document_id = d.id WHERE d.id = $id9")" "in_force not_yet_in_force"
vsync --base-url "$fx" >"$tmp/out20" 2>"$tmp/err20"
is "declared = upstream, computed differs: status_computed listed, not status" "$(q "SELECT string_agg(field || '=' || coalesce(local_value, '') || '>' || upstream_value, ';' ORDER BY field) FROM sync_reviews")" \
	"effective_date=2099-01-01>2018-01-01;status_computed=not_yet_in_force>in_force"
rv_sc=$(q "SELECT id FROM sync_reviews WHERE field = 'status_computed'")
vanban sync review accept "$rv_sc" --reason "Công báo" >"$tmp/rv7" 2>&1
is "accepting status_computed: exit 0" "$?" 0
is "accepting status_computed: a staff override with the reason" "$(q "SELECT o.status || '|' || o.reason || '|' || d.status FROM status_overrides o JOIN documents d ON d.id = o.document_id WHERE d.id = $id9")" \
	"in_force|vbpl 96172 (review $rv_sc): Công báo|in_force"
# Declared "expired" (upstream: in force) and overridden by staff to
# "suspended": the declared status is compared, and no status_computed.
use_db s10
sed -e 's/"2099-01-01"/"2018-01-01"/' -e 's/Còn hiệu lực/Hết hiệu lực toàn bộ/' "$tmp/local/m9.jsonl" >"$tmp/local/m10.jsonl"
vanban --data-dir "$data" import "$tmp/local/m10.jsonl" >"$tmp/imp10" 2>&1 || show "$tmp/imp10"
id10=$(q "SELECT id FROM documents WHERE source = 'upload'")
vanban status "$id10" suspended --reason "đình chỉ theo quyết định của tỉnh" >/dev/null 2>"$tmp/st10" || show "$tmp/st10"
is "local document: declared expired, overridden suspended" "$(q "SELECT v.status_declared || ' ' || d.status FROM documents d JOIN document_validity v ON v.document_id = d.id WHERE d.id = $id10")" "expired suspended"
vsync --base-url "$fx" >"$tmp/out21" 2>"$tmp/err21"
is "declared differs: status listed with the declared value; override: no status_computed" \
	"$(q "SELECT string_agg(field || '=' || coalesce(local_value, '') || '>' || upstream_value, ';' ORDER BY field) FROM sync_reviews")" "status=expired>in_force"
rv_st=$(q "SELECT id FROM sync_reviews WHERE field = 'status'")
vanban sync review accept "$rv_st" >"$tmp/rv8" 2>&1
is "accepting status: the declared status changes, the override still decides" "$(q "SELECT v.status_declared || ' ' || d.status FROM documents d JOIN document_validity v ON v.document_id = d.id WHERE d.id = $id10")" "in_force suspended"

# --- the daemon's daily validity recompute ----------------------------------
use_db s11
# Việt Nam's days (UTC+7, no daylight saving), as vb_validity_today counts
# them: with UTC's, the checks failed between 17:00 and 24:00 UTC.
vn_day() { date -u -d "@$(($(date +%s) + 7 * 3600 + $1 * 86400))" +%Y-%m-%d; }
tomorrow=$(vn_day 1)
yesterday=$(vn_day -1)
cat >"$tmp/local/m11.jsonl" <<JSONL
{"source": "manifest", "source_id": "v-1", "number": "12/2026/QĐ-UBND", "form": "Quyết định", "issuer": "UBND tỉnh Sơn La", "issue_date": "2026-01-05", "effective_date": "$tomorrow", "abstract": "Quy định thử", "text": "Điều 1. Thử."}
{"source": "manifest", "source_id": "v-2", "number": "13/2026/QĐ-UBND", "form": "Quyết định", "issuer": "UBND tỉnh Sơn La", "issue_date": "2026-01-05", "effective_date": "$tomorrow", "abstract": "Quy định thử hai", "text": "Điều 1. Thử."}
JSONL
vanban --data-dir "$data" import "$tmp/local/m11.jsonl" >"$tmp/imp11" 2>&1 || show "$tmp/imp11"
is "effective tomorrow: not yet in force" "$(q "SELECT string_agg(status, ',' ORDER BY source_id) FROM documents")" "not_yet_in_force,not_yet_in_force"
printf 'validity_interval = 1\n' >"$tmp/validity.conf"
# the day comes (the date moved in SQL, as if the clock had moved on)
q "UPDATE documents SET effective_date = '$yesterday' WHERE source_id = 'v-2'" >/dev/null
if VANBAN_READ_ONLY=1 vbd_start --config "$tmp/validity.conf"; then
	sleep 2.5
	vbd_stop
	is "a read-only replica does not recompute" "$(q "SELECT status FROM documents WHERE source_id = 'v-2'")" not_yet_in_force
else
	nok "read-only daemon did not start"
fi
v0=$(q "SELECT version FROM documents WHERE source_id = 'v-2'")
if vbd_start --config "$tmp/validity.conf"; then
	i=0
	while [ "$(q "SELECT status FROM documents WHERE source_id = 'v-2'")" != in_force ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	is "recomputed at start: in force from the effective day, a new version for the index" \
		"$(q "SELECT status || ' ' || version FROM documents WHERE source_id = 'v-2'")" "in_force $((v0 + 1))"
	is "the other document is still not yet in force" "$(q "SELECT status FROM documents WHERE source_id = 'v-1'")" not_yet_in_force
	is "the first pass is recorded as full, for today (UTC+7)" \
		"$(q "SELECT pass_date || ' ' || full_pass FROM validity_pass")" "$(vn_day 0) true"
	# later passes the same day select nothing: move the last pass back
	# with the date, as if days had passed
	q "UPDATE documents SET effective_date = '$yesterday' WHERE source_id = 'v-1';
		UPDATE validity_pass SET pass_date = pass_date - 3" >/dev/null
	i=0
	while [ "$(q "SELECT status FROM documents WHERE source_id = 'v-1'")" != in_force ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	is "recomputed again after validity_interval" "$(q "SELECT status FROM documents WHERE source_id = 'v-1'")" in_force
	vbd_stop
	is "daemon stops cleanly with the validity schedule" "$vbd_status" 0
	check "the recompute is logged" grep -q "validity schedule: .* changed" "$tmp/daemon.log" "$tmp/daemon.out"
	check "the first pass is full" grep -q "validity schedule: full pass .*(no previous pass)" \
		"$tmp/daemon.log" "$tmp/daemon.out"
	check "the next one incremental: the documents with a date in the window" \
		grep -q "validity schedule: incremental pass .* 2 documents selected, 2 recomputed, 1 changed" \
		"$tmp/daemon.log" "$tmp/daemon.out"
	is "recorded as incremental, both documents of the window" "$(q "SELECT full_pass || ' ' || recomputed FROM validity_pass")" "false 2"
else
	nok "daemon with validity_interval did not start"
fi
# a restart the same day: no document recomputed
q "UPDATE documents SET status = 'expired' WHERE source_id = 'v-1'" >/dev/null
if vbd_start --config "$tmp/validity.conf"; then
	sleep 2.5
	vbd_stop
	is "a restart the same day recomputes nothing" "$(q "SELECT status FROM documents WHERE source_id = 'v-1'")" expired
else
	nok "daemon with validity_interval did not start"
fi

# --- the gazette in the daemon's schedule ------------------------------------
use_db s12
printf 'sync_congbao_url = %s\nsync_interval = 3600\nsync_rate_ms = 0\n' "$fx" >"$tmp/csched.conf"
if vbd_start --config "$tmp/csched.conf"; then
	i=0
	while [ "$(q "SELECT count(*) FROM sync_runs WHERE source = 'congbao' AND status <> 'running'")" != 1 ] && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
	vbd_stop
	is "daemon schedule: one gazette run at start (the issues without a page fail)" \
		"$(q "SELECT source || ' ' || status || ' ' || new FROM sync_runs")" "congbao partial 11"
	is "daemon schedule: the gazette's documents" "$(q "SELECT count(*) FROM documents WHERE source = 'congbao'")" 11
else
	nok "daemon with the gazette schedule did not start"
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
