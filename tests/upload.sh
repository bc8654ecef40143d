#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of staff uploads against the running vanband with a
# throwaway PostgreSQL (started like tests/daemon.sh): the bearer token
# (401 without or with a wrong one, WWW-Authenticate), upload of the Quảng
# Ninh regulation as .txt -> proposal (number, issue date) not searchable
# before confirm, confirm with a corrected abstract -> searchable with it;
# the same file again -> flagged duplicate, confirm refused without a
# decision, link_duplicate attaches to the existing document; a corpus .doc;
# a scanned PDF -> needs_ocr (and, when tesseract with Vietnamese data is
# installed, OCR in a second daemon: text_source "ocr"); a body over the
# limit -> 413; a broken PDF -> recorded with a clear error; reject; and the
# daemon still answers and exits cleanly.
#
# Files from the corpus come from $VB_CORPUS (default ../shared/corpus);
# the tests that need them are skipped when it is missing.

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
CORPUS=${VB_CORPUS:-$VB_SRCDIR/../shared/corpus}
QN="$CORPUS/quangninh/05-2023-QD-UBND.txt"
DOC="$CORPUS/vbpl_original_files/(889)-Hienphap1959.doc"
SCAN="$CORPUS/legacy_encodings/luatvietnam_doc_pdf_samples/10209650.pdf"

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-upload.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

TOKEN=upload-test-token-7f3a9c
# An empty database (the daemon fixture holds 05/2023/QĐ-UBND already),
# with one portal: every upload belongs to a portal (docs/workflow.md),
# which the bootstrap token names in the form field "portal".
vanban --data-dir "$tmp/data" migrate >"$tmp/migrate.log" 2>&1 || bail "vanban migrate failed"
grep '^quangninh	' "$VB_SRCDIR/tests/fixtures/portals/portals.tsv" >"$tmp/portals.tsv"
vanban --data-dir "$tmp/data" portal import "$tmp/portals.tsv" >"$tmp/portal.log" 2>&1 ||
	bail "vanban portal import failed"
# The main daemon never OCRs (VANBAN_NO_OCR), so the scan flag is tested
# whatever is installed; a body limit of 2 MiB keeps the 413 test small.
# The token comes from a file here (api_token_file), from the environment
# for the OCR daemon below.
printf '%s\n' "$TOKEN" >"$tmp/token"
export VANBAN_API_TOKEN_FILE="$tmp/token" VANBAN_NO_OCR=1 VANBAN_UPLOAD_MAX_BYTES=2097152
vbd_start || bail "vanband did not start"
unset VANBAN_API_TOKEN_FILE VANBAN_NO_OCR VANBAN_UPLOAD_MAX_BYTES
export VANBAN_API_TOKEN=$TOKEN

# req METHOD PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	m=$1; p=$2; shift 2
	code=$(curl -s -g -X "$m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
auth() { req "$@" -H "Authorization: Bearer $TOKEN"; }
body() { jq -r "$1" "$tmp/body"; }
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
U=/api/v1/uploads
search_total() { curl -s -g "$base/api/v1/search?per_page=5&q=$1" | jq -r .total; }
wait_search() { # wait_search N QUERY: up to 20 s for the search to reach N hits
	i=0
	while [ $i -lt 200 ]; do
		[ "$(search_total "$2")" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# --- auth ---
printf 'Số: 1/2024/QĐ-UBND\nnội dung\n' >"$tmp/small.txt"
req POST $U -F "file=@$tmp/small.txt"
is "upload without a token is 401" "$code" 401
check "401 carries WWW-Authenticate: Bearer" grep -qi "^WWW-Authenticate: Bearer" "$tmp/hdr"
req POST $U -F "file=@$tmp/small.txt" -H "Authorization: Bearer wrong-$TOKEN"
is "upload with a wrong token is 401" "$code:$(body .error.code)" "401:invalid_token"
req GET $U/1
is "reading an upload without a token is 401" "$code" 401
check "the token is not in the log" sh -c "! grep -q '$TOKEN' '$tmp/daemon.log'"
req GET $U
is "listing uploads without a token is 401" "$code" 401
auth DELETE $U
is "DELETE on the upload collection is 405" "$code:$(hdr Allow)" "405:GET, HEAD, POST"
auth GET $U/1/confirm
is "GET on confirm is 405" "$code:$(hdr Allow)" "405:POST"
auth POST $U -H "Content-Type: application/json" -d '{}'
is "a non-multipart upload is 415" "$code" 415
auth POST $U -F portal=quangninh -F "number=1/2024/QĐ-UBND"
is "an upload without a file is 400" "$code:$(body .error.parameter)" "400:file"
auth POST $U -F portal=quangninh -F "file=@$tmp/small.txt" -F "colour=red"
is "an unknown form field is 400 naming it" "$code:$(body .error.message)" '400:unknown field "colour"'
auth POST $U -F portal=quangninh -F "file=@$tmp/small.txt" -F "issue_date=2023-02-30"
is "an impossible form date is 400" "$code" 400

# --- the regulation as .txt: proposal, not published ---
if [ -f "$QN" ]; then
	cp "$QN" "$tmp/05-2023-QD-UBND.txt"
	auth POST $U -F portal=quangninh -F "file=@$tmp/05-2023-QD-UBND.txt;type=text/plain"
	is "upload of the regulation is 201" "$code" 201
	up=$(body .id)
	is "Location names the upload" "$(hdr Location)" "$U/$up"
	is "proposal: number 05/2023/QĐ-UBND" "$(body .proposal.number.value)" "05/2023/QĐ-UBND"
	is "proposal: issue date 2023-02-16" "$(body .proposal.issue_date.value)" "2023-02-16"
	check "proposal fields carry a confidence" jq -e '.proposal.number.confidence > 0.5' "$tmp/body"
	is "file recorded with name, sha256, size and media type" \
		"$(body '.files[0] | [.name, .sha256, (.size|tostring), .media_type] | join("|")')" \
		"05-2023-QD-UBND.txt|$(sha256sum "$QN" | cut -c1-64)|$(wc -c <"$QN" | tr -d ' ')|text/plain"
	check "text length is recorded" jq -e '.text_length > 10000 and .text_source == "text"' "$tmp/body"
	is "status draft, no duplicates" "$(body '.status + "," + (.duplicates|length|tostring)')" "draft,0"
	auth GET $U/$up
	is "GET the upload gives the record" "$code:$(body .proposal.number.value)" "200:05/2023/QĐ-UBND"
	MARK="Trích yếu đã sửa kiểmthửtảilên"
	sleep 1
	is "not searchable before confirm" "$(search_total kiemthutailen)" 0
	auth POST $U/$up/confirm -H "Content-Type: application/json" \
		-d "{\"abstract\": \"$MARK\", \"status\": \"in_force\"}"
	is "confirm is 201 with the document" "$code:$(body .number)" "201:05/2023/QĐ-UBND"
	doc=$(body .id)
	is "the document has the corrected abstract" "$(body .abstract)" "$MARK"
	is "the document keeps the proposed issuer and dates" "$(body '.issue_date + "," + .effective_date')" "2023-02-16,2023-03-01"
	is "the document has the uploaded file" "$(body '.files | length')" 1
	check "the corrected abstract becomes searchable (indexer thread)" wait_search 1 kiemthutailen
	curl -s "$base/api/v1/search?q=kiemthutailen" >"$tmp/s.json"
	is "the hit is the confirmed document with the corrected abstract" \
		"$(jq -r '.hits[0] | (.id|tostring) + "|" + .abstract' "$tmp/s.json")" "$doc|$MARK"
	auth POST $U/$up/confirm -H "Content-Type: application/json" -d '{}'
	is "confirming twice is 409" "$code" 409
	auth GET $U/$up
	is "the upload is published and points at the document" "$(body '.status + "," + (.document_id|tostring)')" "published,$doc"

	# --- the same file again: flagged, linked, not stored twice ---
	auth POST $U -F portal=quangninh -F "file=@$tmp/05-2023-QD-UBND.txt"
	up2=$(body .id)
	is "second upload of the same file is 201" "$code" 201
	check "flagged as a duplicate of the same file" \
		jq -e --argjson d "$doc" '[.duplicates[] | select(.kind == "file" and .document_id == $d)] | length == 1' "$tmp/body"
	check "flagged as the same document (number, issuer, date)" \
		jq -e --argjson d "$doc" '[.duplicates[] | select(.kind == "document" and .document_id == $d)] | length == 1' "$tmp/body"
	check "flagged as near-identical text with similarity 1" \
		jq -e --argjson d "$doc" '[.duplicates[] | select(.kind == "text" and .document_id == $d and .similarity == 1)] | length == 1' "$tmp/body"
	check "a duplicate warning is given" jq -e '[.warnings[] | select(.code == "duplicate")] | length == 1' "$tmp/body"
	auth POST $U/$up2/confirm -H "Content-Type: application/json" -d '{}'
	is "confirm of a duplicate without a decision is 409" "$code" 409
	check "the 409 says how to decide" grep -q link_duplicate "$tmp/body"
	# near-identical text: the regulation with a line added
	{ cat "$QN"; printf '\nGhi chú: bản sao.\n'; } >"$tmp/copy.txt"
	auth POST $U -F portal=quangninh -F "file=@$tmp/copy.txt"
	check "an edited copy is flagged as near-identical text, not as the same file" \
		jq -e --argjson d "$doc" '([.duplicates[] | select(.kind == "text" and .document_id == $d and .distance <= 3)] | length == 1) and ([.duplicates[] | select(.kind == "file" and .document_id == $d)] | length == 0)' "$tmp/body"
	up3=$(body .id)
	auth POST $U/$up3/confirm -H "Content-Type: application/json" -d '{"link_duplicate": true}'
	is "link_duplicate attaches to the existing document" "$code:$(body '.id|tostring'):$(body .linked)" "200:$doc:true"
	is "the document now has both files (a new version)" "$(body '(.files|length|tostring) + "," + (.version|tostring)')" "2,2"
	is "the upload was not stored as a second document" "$(psql "$VANBAN_DB" -qAtX -c "select count(*) from documents where number = '05/2023/QĐ-UBND'")" 1
	auth GET $U
	check "the list shows the open duplicate first and the published upload" \
		jq -e --argjson p "$up2" --argjson c "$up" '(.uploads[0].status == "draft") and ([.uploads[] | select(.id == $p and .duplicates == 3)] | length == 1) and ([.uploads[] | select(.id == $c and .status == "published")] | length == 1)' "$tmp/body"
	auth POST $U/$up2/reject -H "Content-Type: application/json" -d '{}'
	is "reject needs a reason (400)" "$code" 400
	auth POST $U/$up2/reject -H "Content-Type: application/json" -d '{"reason": "trùng"}'
	is "reject is 200 with the record" "$code:$(body .status):$(body .reason)" "200:rejected:trùng"
	auth POST $U/$up2/confirm -H "Content-Type: application/json" -d '{"not_duplicate": true}'
	is "a rejected upload cannot be confirmed" "$code" 409
else
	skip "the Quảng Ninh regulation is not in $CORPUS"
fi

# --- a form value overrides the proposal; validation on confirm ---
auth POST $U -F portal=quangninh -F "file=@$tmp/small.txt" -F "issuer=UBND huyện Thử" -F "issue_date=05/01/2024"
is "upload with form fields is 201" "$code" 201
is "form fields override the proposal" \
	"$(body '.proposal.issuer.value + "," + .proposal.issuer.source + "," + .proposal.issue_date.value')" \
	"UBND huyện Thử,form,2024-01-05"
up4=$(body .id)
auth POST $U/$up4/confirm -H "Content-Type: application/json" -d '{"effective_date": "2024-13-01"}'
is "confirm validates like the manifest (400 naming the key)" "$code:$(body .error.message | cut -d: -f1)" "400:effective_date"
auth POST $U/$up4/confirm -H "Content-Type: application/json" -d '{"text": "x"}'
is "confirm refuses to replace the text" "$code" 400
auth POST $U/$up4/confirm -H "Content-Type: application/json" -d '{not json'
is "confirm with broken JSON is 400" "$code" 400

# --- a Word 97 .doc from the corpus ---
if [ -f "$DOC" ]; then
	cp "$DOC" "$tmp/hienphap1959.doc"
	auth POST $U -F portal=quangninh -F "file=@$tmp/hienphap1959.doc"
	is "a corpus .doc upload is 201" "$code" 201
	is "its text is extracted as Word" "$(body '.files[0].media_type + "," + .text_source')" "application/msword,text"
	check "with a sizeable text and no file error" jq -e '.text_length > 5000 and .files[0].error == null' "$tmp/body"
else
	skip "the corpus .doc is not in $CORPUS"
fi

# --- a TCVN3 (ABC) plain-text file: converted, with a warning ---
TCVN3="$CORPUS/legacy_encodings/tcvn3_1945_sac_lenh/45000002.raw_text.bin"
if [ -f "$TCVN3" ]; then
	# the raw text of a Word file: its line and field marks become text
	tr '\r\013' '\n\n' <"$TCVN3" | tr -d '\003\004\023\024\025' >"$tmp/sac-lenh.txt"
	auth POST $U -F portal=quangninh -F "file=@$tmp/sac-lenh.txt"
	is "a TCVN3 text upload is 201" "$code" 201
	is "its text is converted to Unicode" "$(body '.proposal.form.value // "" | length > 0'):$(body .text_source)" "true:text"
	check "with a legacy_encoding warning naming TCVN3" \
		jq -e '[.warnings[] | select(.code == "legacy_encoding" and (.message | test("TCVN3"; "i")))] | length == 1' "$tmp/body"
else
	skip "the TCVN3 sample is not in $CORPUS"
fi

# --- a scan: flagged needs_ocr ---
if [ -f "$SCAN" ]; then
	cp "$SCAN" "$tmp/scan.pdf"
	auth POST $U -F portal=quangninh -F "file=@$tmp/scan.pdf"
	is "a scanned PDF upload is 201" "$code" 201
	is "the scan is flagged needs_ocr with text_source none" \
		"$(body '([.warnings[] | select(.code == "needs_ocr")] | length | tostring) + "," + .text_source')" "1,none"
	is "the page count is recorded" "$(body '.files[0].pages')" 1
else
	skip "the scanned PDF is not in $CORPUS"
fi

# --- limits and broken files ---
head -c 3000000 /dev/zero >"$tmp/big.bin"
req POST $U -H "Authorization: Bearer $TOKEN" -F portal=quangninh -F "file=@$tmp/big.bin"
is "a body over the limit is 413 JSON" "$code:$(body .error.code)" "413:too_big"
# chunked: no Content-Length, the limit hits while streaming
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H "Transfer-Encoding: chunked" -F portal=quangninh -F "file=@$tmp/big.bin" "$base$U")
is "a chunked body over the limit is 413 too" "$code" 413
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pa' >"$tmp/broken.pdf"
auth POST $U -F portal=quangninh -F "file=@$tmp/broken.pdf"
is "a broken PDF is still recorded (201)" "$code" 201
check "with a clear error naming the file and no server path" \
	jq -e '.files[0].error | (contains("broken.pdf") and contains("truncated") and (contains("/tmp") | not))' "$tmp/body"
check "and an extract_failed warning" jq -e '[.warnings[] | select(.code == "extract_failed")] | length == 1' "$tmp/body"
files=""
for i in 1 2 3 4 5 6 7 8 9 10 11; do files="$files -F file=@$tmp/small.txt"; done
# shellcheck disable=SC2086
auth POST $U -F portal=quangninh $files
is "more than 10 files is 413" "$code" 413
auth GET $U/999999
is "an unknown upload is 404" "$code" 404
auth POST $U/999999/reject
is "rejecting an unknown upload is 404" "$code" 404

# a client that goes away in the middle of its upload: its temporary file
# is removed when MHD reports the request as ended
head -c 1500000 /dev/urandom >"$tmp/half.bin"
curl -s -o /dev/null --limit-rate 200k --max-time 1 -H "Authorization: Bearer $TOKEN" \
	-F portal=quangninh -F "file=@$tmp/half.bin" "$base$U"
sleep 1
check "an aborted upload leaves no temporary file" sh -c "! ls '$tmp/data/files/tmp' | grep -q upload-"
code=$(curl -s -I -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$base$U/1")
is "HEAD on an upload is 200" "$code" 200
check "the daemon is still running" kill -0 "$vbd_pid"
req GET /healthz
is "and still answers" "$code" 200
check "no temporary upload file is left behind" sh -c "! ls '$tmp/data/files/tmp' | grep -q upload-"
vbd_stop
is "vanband exits 0 on SIGTERM (sanitizers clean)" "$vbd_status" 0
[ "$vbd_status" = 0 ] || sed 's/^/# /' "$tmp/daemon.log" | tail -n 40

# --- OCR, when tesseract with Vietnamese data is installed ---
if [ -f "$SCAN" ] && command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; then
	echo "# tesseract with vie is installed: testing OCR"
	vbd_start || bail "vanband did not start for OCR"
	auth POST $U -F portal=quangninh -F "file=@$tmp/scan.pdf"
	is "OCR: upload of the scan is 201" "$code" 201
	is "OCR: text_source is ocr" "$(body .text_source)" ocr
	check "OCR: the text is Vietnamese with a sizeable length" \
		sh -c "jq -e '.text_length > 200 and ([.warnings[] | select(.code == \"ocr\")] | length == 1)' '$tmp/body'"
	vbd_stop
	is "OCR: vanband exits 0" "$vbd_status" 0
else
	echo "# tesseract with Vietnamese data (tesseract-ocr-vie) is not installed: OCR not tested, only the needs_ocr flag"
	skip "OCR (tesseract-ocr-vie not installed)"
fi

# --- no bootstrap token configured: it is refused (staff use their own
# tokens or sessions then, tests/workflow.sh) ---
unset VANBAN_API_TOKEN
vbd_start --no-indexer || bail "vanband did not start without a token"
req POST $U -H "Authorization: Bearer $TOKEN" -F portal=quangninh -F "file=@$tmp/small.txt"
is "without a configured bootstrap token it is refused (401)" "$code:$(body .error.code)" "401:invalid_token"
vbd_stop
is "vanband exits 0" "$vbd_status" 0

echo "1..$n"
