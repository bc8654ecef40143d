#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of discovery against the running vanband with a throwaway
# PostgreSQL: the daemon fixture (tests/fixtures/daemon) plus two documents
# with files (tests/fixtures/discovery/manifest.jsonl, one of them with two
# files of the same name).
#
#   - Atom feeds (/feeds/documents.atom, /feeds/search.atom) validate
#     against the RELAX NG schema of RFC 4287 (fixtures/discovery/atom.rng)
#     and hold the expected documents; a changed document moves to the top
#     of the feed of changed documents; filters narrow it; q there is 400
#   - the OpenSearch description is well-formed, has the three Url
#     templates and UTF-8, and its HTML and JSON templates work
#   - sitemap.xml lists every document page with lastmod; robots.txt
#     points to it; with small pages (VANBAN_SITEMAP_URLS) it is an index
#     whose pages list every document once; past the last page 404
#   - CORS: Access-Control-Allow-Origin * on public reads, preflight 204,
#     none on uploads, with Authorization or on HTML pages
#   - ETag + Cache-Control and If-None-Match -> 304 on every cacheable route,
#     the HTML document and search pages included (not on error pages)
#   - the feed's ORDER BY updated_at DESC, id DESC is an index scan
#   - bundles: the ZIP's files match the store's SHA-256, both manifests
#     list the right documents; limits and bad input give clear 4xx

. "$VB_SRCDIR/tests/lib/pg.sh"
. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl xmllint unzip sha256sum; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done

pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-discovery.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

FIX="$VB_SRCDIR/tests/fixtures/discovery"
RNG="$FIX/atom.rng"
vbd_load || bail "could not load the daemon fixture"
vanban --data-dir "$tmp/data" import "$FIX/manifest.jsonl" >"$tmp/import2.log" 2>&1 ||
	{ cat "$tmp/import2.log" >&2; bail "could not import the discovery fixture"; }
vanban --data-dir "$tmp/data" index >"$tmp/index2.log" 2>&1 || bail "vanban index failed"
# A portal whose scope is the provincial People's Council alone (docs/portals.md).
printf 'hdnd\tdepartment\t-\tHĐND tỉnh Quảng Ninh\tPeople'"'"'s Council\t-\t-\thdnd.quangninh.gov.vn\tHĐND tỉnh Quảng Ninh\tvi\n' >"$tmp/portals.tsv"
vanban --data-dir "$tmp/data" portal import "$tmp/portals.tsv" >"$tmp/portal.log" 2>&1 ||
	{ cat "$tmp/portal.log" >&2; bail "vanban portal import failed"; }
vbd_start || bail "vanband did not start"

# req PATH [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	p=$1; shift
	rm -f "$tmp/body"
	code=$(curl -s -g -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$p")
}
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# Atom entries' document ids in feed order, one per line.
entry_ids() { grep -o '<id>tag:quangninh.gov.vn,2023:vanban:document:[0-9]*</id>' "$1" | sed 's/.*document:\([0-9]*\)<.*/\1/'; }
valid_atom() { xmllint --noout --relaxng "$RNG" "$1" 2>"$tmp/xmllint.log"; }

# The ids of the documents, by source id.
docid() { psql "$VANBAN_DB" -X -At -c "SELECT id FROM documents WHERE source_id = '$1'"; }
D1=$(docid d1); D2=$(docid d2); QN=$(docid qn-05-2023)
ALL=$(psql "$VANBAN_DB" -X -At -c "SELECT count(*) FROM documents")
[ -n "$D1" ] && [ -n "$D2" ] && [ -n "$QN" ] && [ "$ALL" = 7 ] || bail "fixture ids: $D1 $D2 $QN ($ALL documents)"

# ---- the feed's order is served by an index (sql/009_feed_index.sql) ----
plan=$(psql "$VANBAN_DB" -X -At -c "SET enable_seqscan = off" -c "EXPLAIN (COSTS OFF)
	SELECT id, version FROM documents ORDER BY updated_at DESC, id DESC LIMIT 20")
case $plan in
*documents_updated_idx*Sort* | *Sort*documents_updated_idx*) nok "feed order: index scan without a sort"; echo "$plan" | sed 's/^/#   /' ;;
*documents_updated_idx*) ok "feed order: index scan without a sort" ;;
*) nok "feed order: index scan without a sort"; echo "$plan" | sed 's/^/#   /' ;;
esac

# ---- the schema itself can fail ----
printf '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>\n' >"$tmp/bad.atom"
if valid_atom "$tmp/bad.atom"; then nok "the Atom schema refuses a feed without id and updated"; else ok "the Atom schema refuses a feed without id and updated"; fi

# ---- /feeds/documents.atom ----
req /feeds/documents.atom
is "documents feed: 200" "$code" 200
is "documents feed: Content-Type" "$(hdr Content-Type)" "application/atom+xml; charset=utf-8"
cp "$tmp/body" "$tmp/docs.atom"
if valid_atom "$tmp/docs.atom"; then ok "documents feed validates as Atom"; else nok "documents feed validates as Atom"; sed 's/^/# /' "$tmp/xmllint.log"; fi
is "documents feed: every document" "$(entry_ids "$tmp/docs.atom" | sort -n | tr '\n' ' ')" \
	"$(psql "$VANBAN_DB" -X -At -c 'SELECT id FROM documents ORDER BY id' | tr '\n' ' ')"
is "documents feed: newest change first" "$(entry_ids "$tmp/docs.atom" | tr '\n' ' ')" \
	"$(psql "$VANBAN_DB" -X -At -c 'SELECT id FROM documents ORDER BY updated_at DESC, id DESC' | tr '\n' ' ')"
is "documents feed: last imported on top" "$(entry_ids "$tmp/docs.atom" | head -n 1)" "$D2"
check "documents feed: entry links to the page" grep -q "<link rel=\"alternate\" type=\"text/html\" href=\"$base/documents/$D1\"/>" "$tmp/docs.atom"
check "documents feed: enclosure of a file" grep -q "<link rel=\"enclosure\" type=\"text/plain\" length=\"[0-9]*\" title=\"Toàn văn.txt\" href=\"$base/api/v1/documents/$D1/files/1\"/>" "$tmp/docs.atom"
check "documents feed: published = issue date" grep -q "<published>2024-03-05T00:00:00+07:00</published>" "$tmp/docs.atom"
check "documents feed: title is number and abstract" grep -q "<title>12/2024/QĐ-UBND — Công bố danh mục thủ tục hành chính lĩnh vực du lịch</title>" "$tmp/docs.atom"
check "documents feed: escaped abstract" grep -q "du lịch vịnh Hạ Long &amp; &lt;đảo&gt; &quot;Tuần Châu&quot;" "$tmp/docs.atom"
check "documents feed: form category" grep -q "<category scheme=\"tag:quangninh.gov.vn,2023:vanban:form\" term=\"Nghị quyết\"/>" "$tmp/docs.atom"
check "documents feed: issuer category" grep -q "<category scheme=\"tag:quangninh.gov.vn,2023:vanban:issuer\" term=\"HĐND tỉnh Quảng Ninh\"/>" "$tmp/docs.atom"
ETAG_DOCS=$(hdr ETag)
is "documents feed: Cache-Control" "$(hdr Cache-Control)" "public, max-age=300"
req /feeds/documents.atom -I
is "documents feed: HEAD, same ETag" "$code:$(hdr ETag)" "200:$ETAG_DOCS"
if grep -q '<feed' "$tmp/body"; then nok "documents feed: HEAD, no body"; else ok "documents feed: HEAD, no body"; fi
req /feeds/documents.atom -H "If-None-Match: $ETAG_DOCS"
is "documents feed: If-None-Match -> 304" "$code" 304
is "documents feed: 304 keeps the ETag" "$(hdr ETag)" "$ETAG_DOCS"
req "/feeds/documents.atom?issuer=HĐND%20tỉnh%20Quảng%20Ninh"
is "documents feed by issuer: only its document" "$(entry_ids "$tmp/body" | tr '\n' ' ')" "$D2 "
req "/feeds/documents.atom?form=Quyet%20dinh&year=2024"
is "documents feed by form (folded) and year" "$(entry_ids "$tmp/body" | tr '\n' ' ')" "$D1 "
req "/feeds/documents.atom?portal=hdnd"
is "documents feed of a portal: only its scope" "$(entry_ids "$tmp/body" | tr '\n' ' ')" "$D2 "
check "documents feed of a portal: its name in the title" grep -q "<title>Văn bản mới ban hành và mới cập nhật — HĐND tỉnh Quảng Ninh</title>" "$tmp/body"
if valid_atom "$tmp/body"; then ok "portal feed validates as Atom"; else nok "portal feed validates as Atom"; fi
req "/feeds/documents.atom" -H "Host: hdnd.quangninh.gov.vn"
is "documents feed: the Host header chooses the portal" "$(entry_ids "$tmp/body" | tr '\n' ' ')" "$D2 "
req "/feeds/documents.atom?portal=no-such-portal"
is "documents feed: unknown portal -> 400 naming it" "$code:$(jq -r .error.parameter "$tmp/body")" "400:portal"
req "/feeds/documents.atom?q=thuế"
is "documents feed: q -> 400" "$code" 400
is "documents feed: the error names q" "$(jq -r .error.parameter "$tmp/body")" q
req "/feeds/documents.atom?in_force_on=2024-05-01"
is "documents feed: in_force_on -> 400 naming it" "$code:$(jq -r .error.parameter "$tmp/body")" "400:in_force_on"
req "/feeds/documents.atom?colour=red"
is "documents feed: unknown parameter -> 400" "$code" 400
req "/feeds/documents.atom?year=20x4"
is "documents feed: bad year -> 400 naming it" "$(jq -r .error.parameter "$tmp/body")" year

# A changed document moves to the top; the old ETag no longer matches.
sleep 1
mkdir -p "$tmp/changed" && cp "$FIX/a.txt" "$FIX/b.txt" "$tmp/changed/"
sed -n '1s/"Công bố danh mục thủ tục hành chính lĩnh vực du lịch"/"Công bố danh mục thủ tục hành chính lĩnh vực du lịch (sửa đổi)"/p' \
	"$FIX/manifest.jsonl" >"$tmp/changed/m.jsonl"
vanban --data-dir "$tmp/data" import "$tmp/changed/m.jsonl" >"$tmp/import3.log" 2>&1 || { cat "$tmp/import3.log" >&2; nok "re-import of a changed document"; }
vanban --data-dir "$tmp/data" index >/dev/null 2>&1
req /feeds/documents.atom -H "If-None-Match: $ETAG_DOCS"
is "after a change: the old ETag gets 200" "$code" 200
is "after a change: the changed document is on top" "$(entry_ids "$tmp/body" | head -n 1)" "$D1"
check "after a change: its new title" grep -q "lĩnh vực du lịch (sửa đổi)</title>" "$tmp/body"
if valid_atom "$tmp/body"; then ok "changed feed validates as Atom"; else nok "changed feed validates as Atom"; fi

# ---- /feeds/search.atom ----
req "/feeds/search.atom?q=du%20lịch"
is "search feed: 200" "$code" 200
cp "$tmp/body" "$tmp/search.atom"
if valid_atom "$tmp/search.atom"; then ok "search feed validates as Atom"; else nok "search feed validates as Atom"; sed 's/^/# /' "$tmp/xmllint.log"; fi
is "search feed: the matching documents, newest issued first" "$(entry_ids "$tmp/search.atom" | tr '\n' ' ')" "$D2 $D1 "
check "search feed: self link carries the query" grep -q "<link rel=\"self\" type=\"application/atom+xml\" href=\"$base/feeds/search.atom?q=du%20l%E1%BB%8Bch\"/>" "$tmp/search.atom"
req "/feeds/search.atom?q=du%20lịch&form=Nghị%20quyết"
is "search feed: filters apply" "$(entry_ids "$tmp/body" | tr '\n' ' ')" "$D2 "
req "/feeds/search.atom?q=du%20lịch&per_page=0"
is "search feed: bad per_page -> 400" "$code" 400
req "/feeds/search.atom?q=du%20lịch" -H "If-None-Match: $(curl -s -g -D - -o /dev/null "$base/feeds/search.atom?q=du%20l%E1%BB%8Bch" | grep -i '^etag:' | cut -d' ' -f2 | tr -d '\r')"
is "search feed: If-None-Match -> 304" "$code" 304
req "/feeds/search.atom?q=zzzqqxx"
if valid_atom "$tmp/body"; then ok "empty search feed validates as Atom"; else nok "empty search feed validates as Atom"; fi
req /feeds/documents.atom -X POST
is "feeds: POST -> 405" "$code" 405
is "feeds: Allow" "$(hdr Allow)" "GET, HEAD"
req /feeds/other.atom
is "feeds: unknown feed -> 404" "$code" 404

# ---- OpenSearch ----
req /opensearch.xml
is "opensearch: 200" "$code" 200
is "opensearch: Content-Type" "$(hdr Content-Type)" "application/opensearchdescription+xml; charset=utf-8"
cp "$tmp/body" "$tmp/os.xml"
check "opensearch: well-formed XML" xmllint --noout "$tmp/os.xml"
osx() { xmllint --xpath "$1" "$tmp/os.xml" 2>/dev/null; }
OS='/*[local-name()="OpenSearchDescription" and namespace-uri()="http://a9.com/-/spec/opensearch/1.1/"]'
is "opensearch: InputEncoding" "$(osx "string($OS/*[local-name()='InputEncoding'])")" UTF-8
T_HTML=$(osx "string($OS/*[local-name()='Url'][@type='text/html']/@template)")
T_ATOM=$(osx "string($OS/*[local-name()='Url'][@type='application/atom+xml']/@template)")
T_JSON=$(osx "string($OS/*[local-name()='Url'][@type='application/json']/@template)")
is "opensearch: HTML template" "$T_HTML" "$base/search?q={searchTerms}&page={startPage?}&per_page={count?}"
is "opensearch: Atom template" "$T_ATOM" "$base/feeds/search.atom?q={searchTerms}&page={startPage?}&per_page={count?}"
is "opensearch: JSON template" "$T_JSON" "$base/api/v1/search?q={searchTerms}&page={startPage?}&per_page={count?}"
SN=$(osx "string($OS/*[local-name()='ShortName'])")
check "opensearch: ShortName at most 16 characters" test "$(printf '%s' "$SN" | python3 -c 'import sys; print(len(sys.stdin.read()))')" -le 16
# The templates work as a client fills them: optional parameters left empty.
fill() { printf '%s' "$1" | sed 's/{searchTerms}/du%20l%E1%BB%8Bch/; s/{startPage?}//; s/{count?}//'; }
is "opensearch: filled JSON template finds the documents" "$(curl -s -g "$(fill "$T_JSON")" | jq -r '[.hits[].id] | sort | join(" ")')" "$D1 $D2"
is "opensearch: filled HTML template answers" "$(curl -s -o /dev/null -w '%{http_code}' "$(fill "$T_HTML")")" 200
curl -s -o "$tmp/filled.atom" "$(fill "$T_ATOM")"
if valid_atom "$tmp/filled.atom"; then ok "opensearch: filled Atom template gives a valid feed"; else nok "opensearch: filled Atom template gives a valid feed"; fi
req "/opensearch.xml?form=Nghị%20quyết"
cp "$tmp/body" "$tmp/os.xml"
is "opensearch: filters carried into the templates" "$(osx "string($OS/*[local-name()='Url'][@type='application/json']/@template)")" \
	"$base/api/v1/search?q={searchTerms}&page={startPage?}&per_page={count?}&form=Ngh%E1%BB%8B%20quy%E1%BA%BFt"
req "/opensearch.xml?portal=hdnd"
cp "$tmp/body" "$tmp/os.xml"
is "opensearch of a portal: its name as ShortName (16 characters)" "$(osx "string($OS/*[local-name()='ShortName'])")" "HĐND tỉnh Quảng"
is "opensearch of a portal: its name as LongName" "$(osx "string($OS/*[local-name()='LongName'])")" "HĐND tỉnh Quảng Ninh"
T_JSON=$(osx "string($OS/*[local-name()='Url'][@type='application/json']/@template)")
is "opensearch of a portal: templates search its scope" "$(curl -s -g "$(fill "$T_JSON")" | jq -r '[.hits[].id] | join(" ")')" "$D2"
req "/opensearch.xml?q=x"
is "opensearch: q -> 400" "$code" 400
req "/opensearch.xml" -H "Host: vanban.example.gov.vn"
check "opensearch: URLs follow the Host header" grep -q 'template="http://vanban.example.gov.vn/search?q=' "$tmp/body"

# ---- sitemap.xml, robots.txt ----
req /sitemap.xml
is "sitemap: 200" "$code" 200
check "sitemap: well-formed" xmllint --noout "$tmp/body"
cp "$tmp/body" "$tmp/sitemap.xml"
is "sitemap: every document page" "$(grep -o "<loc>$base/documents/[0-9]*</loc>" "$tmp/sitemap.xml" | sed 's/.*documents\/\([0-9]*\)<.*/\1/' | tr '\n' ' ')" \
	"$(psql "$VANBAN_DB" -X -At -c 'SELECT id FROM documents ORDER BY id' | tr '\n' ' ')"
is "sitemap: lastmod of each" "$(grep -c '<lastmod>[0-9-]*T[0-9:]*Z</lastmod>' "$tmp/sitemap.xml")" "$ALL"
ETAG=$(hdr ETag)
req /sitemap.xml -H "If-None-Match: $ETAG"
is "sitemap: If-None-Match -> 304" "$code" 304
req "/sitemap.xml?page=2"
is "sitemap: parameters -> 400" "$code" 400
req /sitemaps/2.xml
is "sitemap: past the last page -> 404" "$code" 404
req /robots.txt
is "robots.txt: 200" "$code" 200
check "robots.txt: points to the sitemap" grep -qx "Sitemap: $base/sitemap.xml" "$tmp/body"
ETAG=$(hdr ETag)
req /robots.txt -H "If-None-Match: $ETAG"
is "robots.txt: If-None-Match -> 304" "$code" 304

# ---- CORS ----
req "/api/v1/search?q=du" -H "Origin: https://tenxa.quangninh.gov.vn"
is "CORS: search allows any origin" "$(hdr Access-Control-Allow-Origin)" "*"
is "CORS: no credentials" "$(hdr Access-Control-Allow-Credentials)" ""
req "/api/v1/documents/$D1" -H "Origin: https://tenxa.quangninh.gov.vn"
is "CORS: document allows any origin" "$(hdr Access-Control-Allow-Origin)" "*"
check "CORS: ETag exposed" sh -c "grep -i '^Access-Control-Expose-Headers:' '$tmp/hdr' | grep -q ETag"
req "/api/v1/search?q=du" -X OPTIONS -H "Origin: https://tenxa.quangninh.gov.vn" \
	-H "Access-Control-Request-Method: GET" -H "Access-Control-Request-Headers: if-none-match"
is "CORS preflight: 204" "$code" 204
is "CORS preflight: origin" "$(hdr Access-Control-Allow-Origin)" "*"
is "CORS preflight: methods" "$(hdr Access-Control-Allow-Methods)" "GET, HEAD, OPTIONS"
check "CORS preflight: If-None-Match allowed" sh -c "grep -i '^Access-Control-Allow-Headers:' '$tmp/hdr' | grep -q If-None-Match"
is "CORS preflight: Max-Age" "$(hdr Access-Control-Max-Age)" 86400
req /api/v1/uploads -X OPTIONS -H "Origin: https://evil.example" -H "Access-Control-Request-Method: POST"
is "CORS: no preflight for uploads" "$(hdr Access-Control-Allow-Origin)" ""
check "CORS: uploads preflight is not 204" test "$code" != 204
req /api/v1/uploads -H "Origin: https://evil.example" -H "Authorization: Bearer x"
is "CORS: none on uploads" "$(hdr Access-Control-Allow-Origin)" ""
req "/api/v1/search?q=du" -H "Origin: https://evil.example" -H "Authorization: Bearer x"
is "CORS: none on a request with credentials" "$(hdr Access-Control-Allow-Origin)" ""
req "/search?q=du" -H "Origin: https://tenxa.quangninh.gov.vn"
is "CORS: none on HTML pages" "$(hdr Access-Control-Allow-Origin)" ""
req /feeds/documents.atom -H "Origin: https://tenxa.quangninh.gov.vn"
is "CORS: feeds allow any origin" "$(hdr Access-Control-Allow-Origin)" "*"

# ---- caching headers ----
req "/api/v1/search?q=du"
is "search: short max-age" "$(hdr Cache-Control)" "public, max-age=60"
req "/api/v1/documents/$D1"
is "document JSON: Cache-Control" "$(hdr Cache-Control)" "public, max-age=300"
ETAG=$(hdr ETag)
check "document JSON: ETag" test -n "$ETAG"
req "/api/v1/documents/$D1" -H "If-None-Match: $ETAG"
is "document JSON: If-None-Match -> 304" "$code" 304
check "document JSON: 304 has no body" test ! -s "$tmp/body"
req "/api/v1/documents/$D1" -H "If-None-Match: \"other\""
is "document JSON: another ETag -> 200" "$code" 200
SHA=$(jq -r '.files[0].sha256' "$tmp/body")
req "/api/v1/documents/$D1/files/0"
is "file: ETag is the SHA-256" "$(hdr ETag)" "\"$SHA\""
is "file: Cache-Control" "$(hdr Cache-Control)" "public, max-age=86400"
req "/api/v1/documents/$D1/files/0" -H "If-None-Match: \"$SHA\""
is "file: If-None-Match -> 304" "$code" 304
req "/opensearch.xml"
ETAG=$(hdr ETag)
req "/opensearch.xml" -H "If-None-Match: $ETAG"
is "opensearch: If-None-Match -> 304" "$code" 304
# HTML pages: cacheable, varying by Accept-Language; error pages are not.
req "/documents/$D1"
is "document page: 200" "$code" 200
is "document page: Cache-Control" "$(hdr Cache-Control)" "public, max-age=300"
is "document page: Vary" "$(hdr Vary)" "Accept-Language"
ETAG=$(hdr ETag)
check "document page: ETag" test -n "$ETAG"
req "/documents/$D1" -H "If-None-Match: $ETAG"
is "document page: If-None-Match -> 304" "$code" 304
check "document page: 304 has no body" test ! -s "$tmp/body"
is "document page: 304 keeps the ETag" "$(hdr ETag)" "$ETAG"
req "/documents/$D1" -H "If-None-Match: $ETAG" -H "Accept-Language: en"
is "document page: another language -> 200" "$code" 200
check "document page: another language, another ETag" test "$(hdr ETag)" != "$ETAG"
req "/search?q=du%20l%E1%BB%8Bch"
is "search page: 200" "$code" 200
is "search page: Cache-Control" "$(hdr Cache-Control)" "public, max-age=60"
ETAG=$(hdr ETag)
check "search page: ETag" test -n "$ETAG"
req "/search?q=du%20l%E1%BB%8Bch" -H "If-None-Match: $ETAG"
is "search page: If-None-Match -> 304" "$code" 304
req "/search?q=du%20l%E1%BB%8Bch&sort=issued" -H "If-None-Match: $ETAG"
is "search page: another query -> 200" "$code" 200
req "/documents/999999"
is "missing document page: 404" "$code" 404
is "missing document page: no-cache" "$(hdr Cache-Control)" "no-cache"
check "missing document page: no ETag" test -z "$(hdr ETag)"

# ---- bundles ----
req "/api/v1/bundle?ids=$D1,$D2,$D1"
is "bundle by ids: 200" "$code" 200
is "bundle: Content-Type" "$(hdr Content-Type)" application/zip
is "bundle: documents header" "$(hdr X-Bundle-Documents)" 2
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/body") || nok "bundle unzips"
is "bundle: manifest.json lists the documents in order" "$(jq -r '[.documents[].id] | join(" ")' "$tmp/zip/manifest.json")" "$D1 $D2"
is "bundle: manifest.json source line" "$(jq -r .source "$tmp/zip/manifest.json")" "Theo Cổng thông tin điện tử tỉnh Quảng Ninh"
is "bundle: files under readable names" "$(cd "$tmp/zip" && ls | LC_ALL=C sort | tr '\n' '|')" \
	"07-2024-NQ-HĐND - Phụ lục_ bảng_giá_.txt|12-2024-QĐ-UBND - Toàn văn (2).txt|12-2024-QĐ-UBND - Toàn văn.txt|manifest.csv|manifest.json|"
# Every file's bytes hash to the SHA-256 the store has for it.
bad=0; nf=0
for id in $D1 $D2; do
	curl -s "$base/api/v1/documents/$id" | jq -r '.files[].sha256' >"$tmp/store.sha"
	jq -r --argjson id "$id" '.documents[] | select(.id == $id) | .files[] | "\(.sha256)\t\(.file)"' "$tmp/zip/manifest.json" >"$tmp/man.tsv"
	i=0
	while IFS='	' read -r sha file; do
		i=$((i + 1)); nf=$((nf + 1))
		got=$(sha256sum "$tmp/zip/$file" | cut -d' ' -f1)
		want=$(sed -n "${i}p" "$tmp/store.sha")
		[ "$got" = "$want" ] && [ "$sha" = "$want" ] || { bad=$((bad + 1)); echo "# $file: $got, manifest $sha, store $want"; }
	done <"$tmp/man.tsv"
done
is "bundle: every file's SHA-256 matches the store" "$bad/$nf" "0/3"
is "bundle: manifest.json fields" "$(jq -r '.documents[0] | [.number, .form, .issuer, .issue_date, .effective_date, .status, .files[0].original_name] | join("|")' "$tmp/zip/manifest.json")" \
	"12/2024/QĐ-UBND|Quyết định|UBND tỉnh Quảng Ninh|2024-03-05|2024-03-20|in_force|Toàn văn.txt"
if command -v python3 >/dev/null 2>&1; then
	is "bundle: manifest.csv parses, one row per file" "$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(len(rows), " ".join(r["id"] for r in rows), rows[2]["abstract"], rows[0]["sha256"] == rows[0]["sha256"].lower() and len(rows[0]["sha256"]) == 64, rows[1]["file"])
' "$tmp/zip/manifest.csv")" "3 $D1 $D1 $D2 Quy định giá dịch vụ tham quan du lịch vịnh Hạ Long & <đảo> \"Tuần Châu\" True 12-2024-QĐ-UBND - Toàn văn (2).txt"
else
	ok "# SKIP python3 is not installed (manifest.csv)"
fi
rm -rf "$tmp/zip"
req "/api/v1/bundle?q=du%20lịch&form=Nghị%20quyết"
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/body")
is "bundle by search: the search's documents" "$(jq -r '[.documents[].id] | join(" ")' "$tmp/zip/manifest.json" 2>/dev/null)" "$D2"
rm -rf "$tmp/zip"
req "/api/v1/bundle?portal=hdnd"
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/body")
is "bundle of a portal: its scope" "$(jq -r '[.documents[].id] | join(" ")' "$tmp/zip/manifest.json" 2>/dev/null)" "$D2"
rm -rf "$tmp/zip"
req "/api/v1/bundle?ids=$QN"
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/body")
is "bundle: a name with quotes made safe" "$(cd "$tmp/zip" && ls | grep -v manifest)" "05-2023-QĐ-UBND - Quy chế Cổng TTĐT _05_.txt"
rm -rf "$tmp/zip"
req "/api/v1/bundle?ids=abc"
is "bundle: bad ids -> 400" "$code" 400
is "bundle: the error names ids" "$(jq -r .error.parameter "$tmp/body")" ids
req "/api/v1/bundle?ids=987654"
is "bundle: unknown id -> 404" "$code" 404
is "bundle: the error names the id" "$(jq -r .error.message "$tmp/body")" "document 987654 does not exist"
req "/api/v1/bundle?ids=$(seq -s, 1 101)"
is "bundle: more than 100 ids -> 413" "$code" 413
req "/api/v1/bundle?ids=$D1&q=x"
is "bundle: ids with search parameters -> 400" "$code" 400
req "/api/v1/bundle?q=zzzqqxx"
is "bundle: a search without results -> 200" "$code" 200
mkdir -p "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/body")
is "bundle: an empty result has the manifests only" "$(cd "$tmp/zip" && ls | tr '\n' ' ')$(jq -r .count "$tmp/zip/manifest.json")" "manifest.csv manifest.json 0"
rm -rf "$tmp/zip"
req "/api/v1/bundle?sort=sideways"
is "bundle: bad search parameter -> 400" "$code" 400
is "bundle: CORS on a public read" "$(hdr Access-Control-Allow-Origin)" "*"
check "bundle: no temporary file left" sh -c "! ls '${TMPDIR:-/tmp}'/vanban-bundle-* >/dev/null 2>&1"

# ---- a second daemon: small sitemap pages, small bundle limit ----
vbd_stop
is "first daemon exits cleanly" "$vbd_status" 0
VANBAN_SITEMAP_URLS=3 VANBAN_BUNDLE_MAX_BYTES=100 VANBAN_BUNDLE_MAX_DOCS=2 vbd_start || bail "vanband did not restart"
req /sitemap.xml
check "sitemap index: well-formed" xmllint --noout "$tmp/body"
is "sitemap index: three pages" "$(grep -o "<loc>$base/sitemaps/[0-9]*.xml</loc>" "$tmp/body" | wc -l | tr -d ' ')" 3
check "sitemap index: a sitemapindex" grep -q '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' "$tmp/body"
: >"$tmp/pages"
for p in 1 2 3; do
	curl -s "$base/sitemaps/$p.xml" | grep -o "<loc>$base/documents/[0-9]*</loc>" | sed 's/.*documents\/\([0-9]*\)<.*/\1/' >>"$tmp/pages"
done
is "sitemap pages: every document once" "$(sort -n "$tmp/pages" | tr '\n' ' ')" "$(psql "$VANBAN_DB" -X -At -c 'SELECT id FROM documents ORDER BY id' | tr '\n' ' ')"
req /sitemaps/4.xml
is "sitemap pages: past the last -> 404" "$code" 404
req "/api/v1/bundle?ids=$D1,$D2"
is "bundle: over the byte limit -> 413" "$code" 413
check "bundle: the message says the limit" sh -c "jq -r .error.message '$tmp/body' | grep -q 'at most 100'"
req "/api/v1/bundle?q="
is "bundle: a search over the document limit -> 413" "$code" 413
is "bundle: the message says how many and the limit" "$(jq -r .error.message "$tmp/body")" \
	"the search matches $ALL documents; a bundle holds at most 2: narrow the search or choose a page"
req "/api/v1/bundle?ids=$D1,$D2,$QN"
is "bundle: more ids than the limit -> 413" "$code:$(jq -r .error.message "$tmp/body")" "413:a bundle holds at most 2 documents"
req "/api/v1/bundle?q=&per_page=1&page=2"
is "bundle: one page of a large result is fine" "$code" 200
vbd_stop
is "daemon exits cleanly" "$vbd_status" 0

echo "1..$n"
