#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The OpenAPI document cannot drift from the code: start vanband on the
# fixture data, load /api/v1/openapi.json from it, and for every documented
# path check that the running daemon answers with a documented status; for
# every documented query parameter, that a valid value (from the schema) is
# accepted and an invalid one (also derived from the schema: wrong type,
# outside the enum, bad date or pattern, too long) is refused with 400
# naming the parameter; and that an undocumented parameter is refused with
# 400 on every path.

. "$VB_SRCDIR/tests/lib/pg.sh"

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
bail() { echo "Bail out! $*"; exit 1; }

for tool in jq curl; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-openapi.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

vbd_load || bail "could not load the fixture (migrate / import / index)"
vbd_start --no-indexer || bail "vanband did not start"

spec="$tmp/openapi.json"
code=$(curl -s -o "$spec" -w '%{http_code}' "$base/api/v1/openapi.json")
[ "$code" = 200 ] && jq -e '.openapi | startswith("3.0")' "$spec" >/dev/null &&
	ok "the daemon serves an OpenAPI 3.0 document" || bail "no OpenAPI document ($code)"
[ "$(jq '.paths | length' "$spec")" -ge 8 ] && ok "it documents the endpoints" ||
	nok "it documents the endpoints"

# An existing document id for {id}; file 0 of it for {index}.
id=$(curl -s "$base/api/v1/search?per_page=1&q=05%2F2023%2FQ%C4%90-UBND" | jq -r '.hits[0].id')
[ -n "$id" ] && [ "$id" != null ] && ok "found a document with a file ($id)" || bail "no document"

# One line per (path, parameter): path, name, JSON of the resolved schema.
jq -r '
  . as $root
  | def deref: if type == "object" and has("$ref")
               then (.["$ref"] | ltrimstr("#/") | split("/")) as $p | $root | getpath($p)
               else . end;
  .paths | to_entries[] | .key as $path
  | (.value.get.parameters // [])[] | deref | select(.in == "query")
  | [$path, .name, (.schema | tojson)] | @tsv' "$spec" >"$tmp/params.tsv"
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

fill() { echo "$1" | sed "s/{id}/$id/; s/{index}/0/"; }
documented() { # documented PATH STATUS
	jq -e --arg p "$1" --arg s "$2" '.paths[$p].get.responses | has($s)' "$spec" >/dev/null
}

# Every documented path answers with a documented status, and refuses an
# undocumented parameter.
for path in $(jq -r '.paths | keys[]' "$spec"); do
	url=$(fill "$path")
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base$url")
	if documented "$path" "$code"; then ok "GET $path answers $code, documented"
	else nok "GET $path answers $code, which is not documented"; fi
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$base$url?undocumented_zz=1")
	if [ "$code" = 400 ] && documented "$path" 400; then ok "GET $path refuses an undocumented parameter"
	else nok "GET $path refuses an undocumented parameter (got $code)"; fi
done

# Every documented parameter is honoured.
while IFS="$(printf '\t')" read -r path name schema; do
	url=$(fill "$path")
	v=$(echo "$schema" | valid_of)
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -G --data-urlencode "$name=$v" "$base$url")
	case $code in
	2*) ok "GET $path accepts $name=$v ($code)" ;;
	*) nok "GET $path accepts $name=$v (got $code)" ;;
	esac
	bad=$(echo "$schema" | invalid_of)
	if [ -z "$bad" ]; then
		nok "GET $path: the schema of $name gives no way to be invalid"
		continue
	fi
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -G --data-urlencode "$name=$bad" "$base$url")
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
echo "1..$n"
