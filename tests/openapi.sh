#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The OpenAPI document cannot drift from the code: start vanband on the
# fixture data (with an api_token, so the staff upload operations can be
# exercised), load /api/v1/openapi.json from it, and check:
#
#  - the routes: every route the daemon serves (an explicit list below,
#    itself checked against the routing of daemon/http.c and
#    daemon/api_upload.c by grep) is an operation of the document, and every
#    operation of the document is such a route; every $ref resolves;
#  - every OPERATION (path x method) answers with a documented status:
#    GET without a token (a protected one: 401 with WWW-Authenticate) and,
#    when protected, with it (2xx); POST without a token (401), with a
#    wrong one (401), with the token and an empty body (a documented 4xx),
#    with the token and a malformed body of the documented media type (400),
#    with the token and a valid body (a documented 2xx; on an upload that is
#    no longer pending, 409); every operation refuses an undocumented query
#    parameter with 400;
#  - a method the document does not list for a path gets 405 with an Allow
#    header that lists exactly the documented ones (GET implies HEAD);
#  - every documented query parameter: a valid value (from the schema) is
#    accepted and an invalid one (also derived from the schema: wrong type,
#    outside the enum, bad date or pattern, too long) is refused with 400
#    naming the parameter;
#  - with no api_token configured, the former token is refused by every
#    protected operation (401: staff then use their own tokens, docs/accounts.md).

. "$VB_SRCDIR/tests/lib/pg.sh"

. "$VB_SRCDIR/tests/lib/tap.sh"

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-openapi.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

TOKEN=openapi-test-token-4b1d
vbd_load || bail "could not load the fixture (migrate / import / index)"
# portals: the bundled registry, which the examples of the portal routes use
vanban --data-dir "$tmp/data" portal import "$VB_SRCDIR/data/portals.tsv" >"$tmp/portals.log" 2>&1 ||
	{ cat "$tmp/portals.log" >&2; bail "could not import data/portals.tsv"; }
VANBAN_API_TOKEN=$TOKEN VANBAN_NO_OCR=1
export VANBAN_API_TOKEN VANBAN_NO_OCR
vbd_start --no-indexer || bail "vanband did not start"
unset VANBAN_API_TOKEN

spec="$tmp/openapi.json"
code=$(curl -s -o "$spec" -w '%{http_code}' "$base/api/v1/openapi.json")
[ "$code" = 200 ] && jq -e '.openapi | startswith("3.0")' "$spec" >/dev/null &&
	ok "the daemon serves an OpenAPI 3.0 document" || bail "no OpenAPI document ($code)"
[ "$(jq '.paths | length' "$spec")" -ge 8 ] && ok "it documents the endpoints" ||
	nok "it documents the endpoints"

# req METHOD URL [curl args]: body in $tmp/body, headers in $tmp/hdr, status in $code
req() {
	_m=$1; _u=$2; shift 2
	code=$(curl -s -g -X "$_m" -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@" "$base$_u")
}
auth() { req "$@" -H "Authorization: Bearer $TOKEN"; }
hdr() { grep -i "^$1:" "$tmp/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# documented METHOD PATH STATUS (METHOD in lower case)
documented() {
	jq -e --arg m "$1" --arg p "$2" --arg s "$3" '.paths[$p][$m].responses | has($s)' "$spec" >/dev/null
}
# protected METHOD PATH: the operation needs the bearer token
protected() {
	jq -e --arg m "$1" --arg p "$2" '(.paths[$p][$m].security // .security // []) | length > 0' \
		"$spec" >/dev/null
}
# media METHOD PATH: the media type of the request body ("" when none)
media() {
	jq -r --arg m "$1" --arg p "$2" '.paths[$p][$m].requestBody.content // {} | keys[0] // ""' "$spec"
}
upper() { echo "$1" | tr a-z A-Z; }

# --- the routes ------------------------------------------------------------

# Every route vanband serves, as "METHOD PATH" (HEAD goes with GET).
cat >"$tmp/routes" <<'EOF'
GET /
GET /search
GET /documents/{id}
GET /static/style.css
GET /api/v1/search
GET /api/v1/openapi.json
GET /api/v1/resolve
GET /api/v1/suggest
GET /healthz
GET /readyz
GET /metrics
GET /api/v1/documents/{id}
GET /api/v1/documents/{id}/files/{index}
GET /api/v1/uploads
POST /api/v1/uploads
GET /api/v1/uploads/{id}
POST /api/v1/uploads/{id}/confirm
POST /api/v1/uploads/{id}/reject
POST /api/v1/uploads/{id}/submit
POST /api/v1/uploads/{id}/publish
POST /api/v1/uploads/{id}/return
POST /api/v1/documents/{id}/withdraw
POST /api/v1/documents/{id}/correct
GET /api/v1/portals
POST /api/v1/portals
GET /api/v1/portals/{id}
POST /api/v1/portals/{id}/rename
POST /api/v1/portals/{id}/scope
POST /api/v1/portals/{id}/domains
POST /api/v1/portals/{id}/merge
POST /api/v1/portals/{id}/split
POST /api/v1/portals/{id}/retire
GET /api/v1/bundle
GET /feeds/documents.atom
GET /feeds/search.atom
GET /opensearch.xml
GET /sitemap.xml
GET /robots.txt
GET /api/v1/report
GET /api/v1/sync/status
GET /api/v1/sync/reviews
POST /api/v1/sync/reviews/{id}/accept
POST /api/v1/sync/reviews/{id}/reject
GET /api/v1/session
POST /api/v1/session
DELETE /api/v1/session
GET /api/v1/users
POST /api/v1/users
GET /api/v1/users/{id}
POST /api/v1/users/{id}/disable
POST /api/v1/users/{id}/enable
POST /api/v1/users/{id}/roles
DELETE /api/v1/users/{id}/roles/{portal}/{role}
GET /api/v1/tokens
POST /api/v1/tokens
POST /api/v1/tokens/{id}/revoke
GET /api/v1/audit
EOF

# The list against the code: the exact paths and the id prefixes routed by
# http.c, the sub-resources after an id, and the upload routes.
http="$VB_SRCDIR/daemon/http.c"
upl="$VB_SRCDIR/daemon/api_upload.c"
: >"$tmp/code-routes"
for p in $(grep -o 'strcmp(url, "[^"]*")' "$http" | sed 's/.*"\(.*\)".*/\1/'); do
	echo "GET $p" >>"$tmp/code-routes"
done
for p in $(grep -o 'match_id(url, "[^"]*"' "$http" | sed 's/.*"\(.*\)"/\1/'); do
	echo "GET $p{id}" >>"$tmp/code-routes"
done
for s in $(grep -o 'strncmp(rest, "[^"]*"' "$http" | sed 's/.*"\(.*\)"/\1/'); do
	# "/files/" after a document id: the file index
	grep "^GET .*{id}$s{[a-z]*}\$" "$tmp/routes" >>"$tmp/code-routes" ||
		echo "GET (a route with $s after an id)" >>"$tmp/code-routes"
done
prefix=$(sed -n 's/^#define ROUTE_PREFIX "\(.*\)"$/\1/p' "$upl")
grep -q 'vb_upload_route(url)' "$http" && [ -n "$prefix" ] &&
	printf 'GET %s\nPOST %s\nGET %s/{id}\n' "$prefix" "$prefix" "$prefix" >>"$tmp/code-routes"
for s in $(grep -o 'strcmp(end, "[^"]*")' "$upl" | sed 's/.*"\(.*\)".*/\1/'); do
	echo "POST $prefix/{id}$s" >>"$tmp/code-routes"
done
# the workflow's document routes, also in api_upload.c
dprefix=$(sed -n 's/^#define DOC_PREFIX "\(.*\)"$/\1/p' "$upl")
for s in $(grep -o 'strcmp(op, "[^"]*")' "$upl" | sed 's/.*"\(.*\)".*/\1/' | sort -u); do
	echo "POST $dprefix{id}$s" >>"$tmp/code-routes"
done
# portals: daemon/api_portals.c, its prefix and the operations after an id
prt="$VB_SRCDIR/daemon/api_portals.c"
pprefix=$(sed -n 's/^#define ROUTE_PREFIX "\(.*\)"$/\1/p' "$prt")
grep -q 'vb_portals_route(url)' "$http" && [ -n "$pprefix" ] &&
	printf 'GET %s\nPOST %s\nGET %s/{id}\n' "$pprefix" "$pprefix" "$pprefix" >>"$tmp/code-routes"
for s in $(grep -o '{ "/[a-z]*", "[a-z]*" }' "$prt" | sed 's/{ "\([^"]*\)".*/\1/'); do
	echo "POST $pprefix/{id}$s" >>"$tmp/code-routes"
done
# sync reviews: daemon/api_sync.c, its prefix and the operations after an id
syn="$VB_SRCDIR/daemon/api_sync.c"
sprefix=$(sed -n 's/^#define REVIEWS_PREFIX "\(.*\)"$/\1/p' "$syn")
grep -q 'vb_sync_reviews_route(url)' "$http" && [ -n "$sprefix" ] && echo "GET $sprefix" >>"$tmp/code-routes"
for s in $(grep -o 'strcmp(end, "[^"]*")' "$syn" | sed 's/.*"\(.*\)".*/\1/'); do
	echo "POST $sprefix/{id}$s" >>"$tmp/code-routes"
done
# accounts: daemon/api_users.c, its exact paths and the operations after an id
usr="$VB_SRCDIR/daemon/api_users.c"
if grep -q 'vb_users_route(url)' "$http"; then
	for p in $(grep -o 'strcmp(url, "[^"]*")' "$usr" | sed 's/.*"\(.*\)".*/\1/'); do
		grep " $p\$" "$tmp/routes" >>"$tmp/code-routes" || echo "ANY $p" >>"$tmp/code-routes"
	done
	for s in $(grep -o 'strcmp(s, "[^"]*")' "$usr" | sed 's/.*"\(.*\)".*/\1/'); do
		grep -E "^[A-Z]+ /api/v1/(users|tokens)/\{id\}$s(/.*)?\$" "$tmp/routes" >>"$tmp/code-routes" ||
			echo "ANY (a route with $s after an id)" >>"$tmp/code-routes"
	done
fi
[ "$(wc -l <"$tmp/code-routes")" -ge 16 ] && ok "the routes are found in http.c and api_upload.c" ||
	nok "the routes are found in http.c and api_upload.c ($(wc -l <"$tmp/code-routes"))"
missing=$(sort -u "$tmp/code-routes" | while read -r r; do grep -qxF "$r" "$tmp/routes" || echo "$r"; done)
[ -z "$missing" ] && ok "every route of the code is in the test's list" ||
	{ nok "every route of the code is in the test's list"; echo "$missing" | sed 's/^/#   missing: /'; }

jq -r '.paths | to_entries[] | .key as $p | .value | keys[]
       | select(. == "get" or . == "post" or . == "put" or . == "delete" or . == "patch")
       | "\(ascii_upcase) \($p)"' "$spec" >"$tmp/ops"
missing=$(while read -r r; do grep -qxF "$r" "$tmp/ops" || echo "$r"; done <"$tmp/routes")
[ -z "$missing" ] && ok "every route vanband serves is documented" ||
	{ nok "every route vanband serves is documented"; echo "$missing" | sed 's/^/#   missing: /'; }
extra=$(while read -r r; do grep -qxF "$r" "$tmp/routes" || echo "$r"; done <"$tmp/ops")
[ -z "$extra" ] && ok "every documented operation is a route vanband serves" ||
	{ nok "every documented operation is a route vanband serves"; echo "$extra" | sed 's/^/#   not served: /'; }

bad=$(jq -r '. as $root | [.. | objects | select(has("$ref")) | .["$ref"]] | unique[]
	     | . as $r | select(($root | getpath($r | ltrimstr("#/") | split("/"))) == null)' "$spec") &&
	[ -z "$bad" ] && ok "every \$ref resolves" || nok "every \$ref resolves (not: $(echo $bad))"
[ "$(jq '[.paths[][] | objects | .operationId] | (length == (unique | length)) and all(. != null)' "$spec")" = true ] &&
	ok "every operation has its own operationId" || nok "every operation has its own operationId"

# --- ids ---------------------------------------------------------------------

# An existing document id for {id}; file 0 of it for {index}.
id=$(curl -s "$base/api/v1/search?per_page=1&q=05%2F2023%2FQ%C4%90-UBND" | jq -r '.hits[0].id')
[ -n "$id" ] && [ "$id" != null ] && ok "found a document with a file ($id)" || bail "no document"

# new_upload: a fresh pending upload (a small text of its own); id in $up
k=0
new_upload() {
	k=$((k + 1))
	printf 'Số: %d/2024/QĐ-UBND\nKiểm thử tài liệu OpenAPI số %d\n' "$k" "$k" >"$tmp/up$k.txt"
	up=$(curl -s -H "Authorization: Bearer $TOKEN" -F portal=quangninh -F "file=@$tmp/up$k.txt;type=text/plain" \
		"$base/api/v1/uploads" | jq -r '.id // empty')
	[ -n "$up" ]
}
# new_document: a fresh published document (an upload, published); id in $nd
new_document() {
	new_upload &&
	nd=$(curl -s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{}' \
		"$base/api/v1/uploads/$up/publish" | jq -r '.id // empty') && [ -n "$nd" ]
}
new_upload && ok "created an upload ($up)" || bail "could not create an upload"
upid=$up
MISSING=999999999
# two pending sync review items (the accept one names the document's own
# abstract, so accepting it changes nothing)
rv_ids=$(psql "$VANBAN_DB" -qAtc "INSERT INTO sync_reviews (document_id, source, source_id, field,
	local_value, upstream_value) SELECT id, 'vbpl', 'openapi-' || f, f, abstract, abstract
	FROM documents, (VALUES ('abstract'), ('issue_date')) v(f) WHERE id = $id ORDER BY f RETURNING id" 2>&1)
rv_accept=$(echo "$rv_ids" | sed -n 1p)
rv_reject=$(echo "$rv_ids" | sed -n 2p)
[ -n "$rv_reject" ] && ok "created two review items ($rv_accept, $rv_reject)" || bail "could not create review items: $rv_ids"

# accounts: a user (the examples' lan.nguyen, editor of sotuphap) and a token of theirs
printf '%s\n' 'mật khẩu đủ dài' | vanban --data-dir "$tmp/data" user add lan.nguyen >"$tmp/user.log" 2>&1 &&
	vanban --data-dir "$tmp/data" user grant lan.nguyen sotuphap editor >>"$tmp/user.log" 2>&1 &&
	vanban --data-dir "$tmp/data" token create lan.nguyen --name openapi --scopes report >>"$tmp/user.log" 2>&1 ||
	{ cat "$tmp/user.log" >&2; bail "could not create a user and a token"; }
uid=$(psql "$VANBAN_DB" -qAtc "SELECT id FROM users WHERE login = 'lan.nguyen'")
tokid=$(psql "$VANBAN_DB" -qAtc "SELECT max(id) FROM api_tokens")

# fill PATH [ID]: a URL for PATH, {id} from ID or from the kind of path
# (a portal route: the example of its path parameter)
fill() {
	i=${2:-}
	if [ -z "$i" ]; then
		case $1 in
		/api/v1/uploads/*) i=$upid ;;
		/api/v1/sync/reviews/*/accept) i=$rv_accept ;;
		/api/v1/sync/reviews/*/reject) i=$rv_reject ;;
		/api/v1/users/*) i=$uid ;;
		/api/v1/tokens/*) i=$tokid ;;
		/api/v1/portals/*) i=$(jq -r --arg p "$1" '[.paths[$p][] | objects | .parameters[]?
			| select(.in == "path" and .name == "id") | .example] | map(select(. != null)) | .[0] // ""' "$spec") ;;
		*) i=$id ;;
		esac
	fi
	echo "$1" | sed "s/{id}/$i/; s/{index}/0/; s/{portal}/sotuphap/; s/{role}/editor/"
}

# --- every operation -----------------------------------------------------------

while read -r M path; do
	m=$(echo "$M" | tr A-Z a-z)
	url=$(fill "$path")
	case $m in
	get)
		req GET "$url"
		if protected get "$path"; then
			[ "$code" = 401 ] && documented get "$path" 401 &&
				hdr WWW-Authenticate | grep -q '^Bearer' &&
				ok "GET $path without a token is 401, documented" ||
				nok "GET $path without a token is 401, documented (got $code)"
			auth GET "$url"
		fi
		if documented get "$path" "$code"; then ok "GET $path answers $code, documented"
		else nok "GET $path answers $code, which is not documented"; fi
		if protected get "$path"; then
			case $code in 2*) ok "GET $path with the token succeeds" ;;
			*) nok "GET $path with the token succeeds (got $code)" ;; esac
		fi
		auth GET "$url?undocumented_zz=1"
		[ "$code" = 400 ] && documented get "$path" 400 &&
			ok "GET $path refuses an undocumented parameter" ||
			nok "GET $path refuses an undocumented parameter (got $code)"
		;;
	post)
		type=$(media post "$path")
		if jq -e --arg p "$path" '.paths[$p].post.security == []' "$spec" >/dev/null; then
			# declared public (security: []): only the login may be
			[ "$path" = /api/v1/session ] && ok "POST $path is public: the login" ||
				nok "POST $path is public"
		else
			protected post "$path" || nok "POST $path is protected by the token"
			req POST "$url"
			[ "$code" = 401 ] && documented post "$path" 401 &&
				hdr WWW-Authenticate | grep -q '^Bearer' &&
				ok "POST $path without a token is 401, documented" ||
				nok "POST $path without a token is 401, documented (got $code)"
			req POST "$url" -H "Authorization: Bearer wrong-$TOKEN"
			[ "$code" = 401 ] && ok "POST $path with a wrong token is 401" ||
				nok "POST $path with a wrong token is 401 (got $code)"
		fi
		auth POST "$url?undocumented_zz=1"
		[ "$code" = 400 ] && documented post "$path" 400 &&
			ok "POST $path refuses an undocumented parameter" ||
			nok "POST $path refuses an undocumented parameter (got $code)"
		# an empty body (on an upload that does not exist, for one that
		# does would be confirmed or rejected as it is)
		auth POST "$(fill "$path" $MISSING)"
		case $code in
		4*) documented post "$path" "$code" &&
			ok "POST $path with an empty body answers $code, documented" ||
			nok "POST $path with an empty body answers $code, which is not documented" ;;
		*) nok "POST $path with an empty body answers a 4xx (got $code)" ;;
		esac
		# a malformed body of the documented media type, then a valid one
		case $type in
		multipart/form-data)
			auth POST "$url" -H "Content-Type: multipart/form-data" --data-binary 'x'
			bad=$code
			printf 'Số: 99/2024/QĐ-UBND\nnội dung\n' >"$tmp/valid.txt"
			auth POST "$url" -F portal=quangninh -F "file=@$tmp/valid.txt;type=text/plain" ;;
		application/json)
			auth POST "$url" -H "Content-Type: application/json" --data-binary '{not json'
			bad=$code
			case $path in
			/api/v1/uploads/*{id}*) new_upload || nok "POST $path: could not create an upload"
				url=$(fill "$path" "$up")
				# only a submitted upload can be returned
				case $path in */return) auth POST "/api/v1/uploads/$up/submit" ;; esac ;;
			/api/v1/documents/*{id}/withdraw | /api/v1/documents/*{id}/correct)
				new_document || nok "POST $path: could not publish a document"
				url=$(fill "$path" "$nd") ;;
			esac
			# the documented example body, else {}
			ex=$(jq -c --arg p "$path" '.paths[$p].post.requestBody.content["application/json"].example // {}' "$spec")
			auth POST "$url" -H "Content-Type: application/json" --data-binary "$ex" ;;
		*)
			bad=; nok "POST $path: the test knows no body of type '$type'" ;;
		esac
		[ "$bad" = 400 ] && documented post "$path" 400 &&
			ok "POST $path refuses a malformed $type body with 400, documented" ||
			nok "POST $path refuses a malformed $type body with 400, documented (got $bad)"
		case $code in
		2*) documented post "$path" "$code" &&
			ok "POST $path with a valid body answers $code, documented" ||
			nok "POST $path with a valid body answers $code, which is not documented" ;;
		*) nok "POST $path with a valid body succeeds (got $code: $(jq -r .error.message "$tmp/body" 2>/dev/null))" ;;
		esac
		case $path in
		/api/v1/uploads/*{id}* | /api/v1/documents/*{id}/withdraw)
			auth POST "$url" -H "Content-Type: application/json" --data-binary '{}'
			[ "$code" = 409 ] && documented post "$path" 409 &&
				ok "POST $path in a state that no longer allows it is 409, documented" ||
				nok "POST $path in a state that no longer allows it is 409, documented (got $code)" ;;
		esac
		;;
	delete)
		req DELETE "$url"
		protected delete "$path" && [ "$code" = 401 ] && documented delete "$path" 401 &&
			hdr WWW-Authenticate | grep -q '^Bearer' &&
			ok "DELETE $path without a token is 401, documented" ||
			nok "DELETE $path without a token is 401, documented (got $code)"
		auth DELETE "$url?undocumented_zz=1"
		[ "$code" = 400 ] && documented delete "$path" 400 &&
			ok "DELETE $path refuses an undocumented parameter" ||
			nok "DELETE $path refuses an undocumented parameter (got $code)"
		auth DELETE "$url"
		case $code in
		2*) documented delete "$path" "$code" && ok "DELETE $path with the token answers $code, documented" ||
			nok "DELETE $path with the token answers $code, which is not documented" ;;
		*) nok "DELETE $path with the token succeeds (got $code: $(jq -r .error.message "$tmp/body" 2>/dev/null))" ;;
		esac
		;;
	*)
		nok "$M $path: the test does not know the method" ;;
	esac
done <"$tmp/ops"

# A method not documented for a path is 405 and Allow lists the documented.
for path in $(jq -r '.paths | keys[]' "$spec"); do
	url=$(fill "$path")
	allow=$(jq -r --arg p "$path" '.paths[$p] | [(if has("get") then "GET", "HEAD" else empty end),
	                                            (if has("post") then "POST" else empty end),
	                                            (if has("delete") then "DELETE" else empty end)] | join(", ")' "$spec")
	for M in DELETE POST; do
		grep -qxF "$M $path" "$tmp/ops" && continue
		auth "$M" "$url"
		[ "$code:$(hdr Allow)" = "405:$allow" ] && ok "$M $path is 405, Allow: $allow" ||
			nok "$M $path is 405, Allow: $allow (got $code, Allow: $(hdr Allow))"
	done
done

# --- every documented query parameter ------------------------------------------

# One line per (method, path, parameter): method, path, name, JSON of the
# resolved schema.
jq -r '
  . as $root
  | def deref: if type == "object" and has("$ref")
               then (.["$ref"] | ltrimstr("#/") | split("/")) as $p | $root | getpath($p)
               else . end;
  .paths | to_entries[] | .key as $path | .value | to_entries[]
  | select(.value | type == "object" and has("responses")) | .key as $m
  | (.value.parameters // [])[] | deref | select(.in == "query")
  | [$m, $path, .name, (.schema | tojson)] | @tsv' "$spec" >"$tmp/params.tsv"
[ -s "$tmp/params.tsv" ] && ok "it documents query parameters" || nok "it documents query parameters"

# Valid and invalid values for a schema (JSON on stdin).
valid_of() {
	jq -r 'if .type == "array" then .items else . end
	  | if .default != null then .default
	    elif .enum then .enum[0]
	    elif .type == "integer" then (.minimum // 1)
	    elif .format == "date" then "2023-02-16"
	    elif .pattern == "^[0-9]{4}$" then "2023"
	    elif .example then .example
	    else "Quyết định" end | tostring'
}
invalid_of() {
	jq -r 'if .type == "array" then .items else . end
	  | if .type == "integer" then "x1"
	    elif .enum then "not-a-choice"
	    elif .format == "date" then "2023-02-30"
	    elif .pattern == "^[0-9]{4}$" then "20x3"
	    elif .maxLength then ("a" * (.maxLength + 1))
	    else empty end'
}

while IFS="$(printf '\t')" read -r m path name schema; do
	M=$(upper "$m")
	if [ "$m" != get ]; then
		nok "$M $path: the test does not check query parameters of $M"
		continue
	fi
	url=$(fill "$path")
	v=$(echo "$schema" | valid_of)
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-G --data-urlencode "$name=$v" "$base$url")
	case $code in
	2*) ok "GET $path accepts $name=$v ($code)" ;;
	*) nok "GET $path accepts $name=$v (got $code)" ;;
	esac
	bad=$(echo "$schema" | invalid_of)
	if [ -z "$bad" ]; then
		nok "GET $path: the schema of $name gives no way to be invalid"
		continue
	fi
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-G --data-urlencode "$name=$bad" "$base$url")
	if [ "$code" != 400 ]; then
		nok "GET $path refuses an invalid $name (got $code for $(echo "$bad" | cut -c1-20))"
	elif jq -e . "$tmp/body" >/dev/null 2>&1; then
		# JSON answers must name the parameter.
		p=$(jq -r .error.parameter "$tmp/body")
		[ "$p" = "$name" ] && ok "GET $path refuses an invalid $name, naming it" ||
			nok "GET $path refuses an invalid $name but names '$p'"
	elif grep -q "“$name”" "$tmp/body"; then
		ok "GET $path refuses an invalid $name, naming it (HTML)"
	else
		nok "GET $path refuses an invalid $name without naming it"
	fi
done <"$tmp/params.tsv"

vbd_stop
[ "$vbd_status" = 0 ] && ok "vanband stopped cleanly" || nok "vanband stopped cleanly ($vbd_status)"

# --- without an api_token: the bootstrap token is gone ---------------------------

vbd_start --no-indexer || bail "vanband did not start without a token"
while read -r M path; do
	m=$(echo "$M" | tr A-Z a-z)
	protected "$m" "$path" || continue
	req "$M" "$(fill "$path")" -H "Authorization: Bearer $TOKEN"
	[ "$code" = 401 ] && documented "$m" "$path" 401 &&
		ok "$M $path with the token no longer configured is 401, documented" ||
		nok "$M $path with the token no longer configured is 401, documented (got $code)"
done <"$tmp/ops"
vbd_stop
[ "$vbd_status" = 0 ] && ok "vanband without a token stopped cleanly" ||
	nok "vanband without a token stopped cleanly ($vbd_status)"
echo "1..$n"
