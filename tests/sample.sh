#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bundled sample (data/sample/documents.jsonl) imports completely and is
# searchable: migrate, import (every manifest line becomes a stored
# document), index, then searches with and without diacritics find the
# Quảng Ninh portal regulation 05/2023/QĐ-UBND in the top 3, and a number
# written with the U+00D0 look-alike (2403/QÐ-UBND, Bình Dương) is found
# when searched with a real Đ.  Runs against a throwaway PostgreSQL.
. "$VB_SRCDIR/tests/lib/pg.sh"

manifest=$VB_SRCDIR/data/sample/documents.jsonl
want=05/2023/QĐ-UBND
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }

# Document numbers of the first 3 hits in vanban search's JSON output, one
# per line (the first "number" of each hit object).
top3() {
	if command -v jq >/dev/null 2>&1; then
		jq -r '(.hits // .results // .documents // [])[:3][] |
			(.number // .document.number // empty)' 2>/dev/null
	else
		grep -o '"number" *: *"[^"]*"' | head -n 3 | sed 's/.*: *"//; s/"$//'
	fi
}

# The subcommands of other areas may still be placeholders while the
# project is being assembled (cli/pending.c): skip rather than report their
# absence.
for cmd in import index search; do
	if vanban "$cmd" --help 2>&1 | grep -q 'is not built yet'; then
		echo "1..0 # SKIP vanban $cmd is not built yet"
		exit 0
	fi
done

echo "1..7"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-sample.XXXXXX") || exit 1
if ! pg_start; then
	echo "Bail out! could not start PostgreSQL"
	exit 1
fi
trap 'pg_stop; rm -rf "$tmp"' EXIT

vanban --data-dir "$tmp/data" migrate >"$tmp/migrate.out" 2>&1
check $? "vanban migrate"

vanban --data-dir "$tmp/data" import "$manifest" >"$tmp/import.out" 2>&1
rc=$?
check $rc "vanban import of the bundled sample exits 0"
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/import.out" | tail -n 30

lines=$(grep -c . "$manifest")
stored=$(psql "$VANBAN_DB" -Atc "select count(*) from documents" 2>&1)
if [ "$stored" = "$lines" ]; then
	ok "all $lines manifest records stored"
else
	notok "all $lines manifest records stored (found '$stored')"
fi

vanban --data-dir "$tmp/data" index >"$tmp/index.out" 2>&1
rc=$?
check $rc "vanban index"
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/index.out" | tail -n 20

for q in "cong thong tin dien tu" "cổng thông tin điện tử"; do
	# shellcheck disable=SC2086 # the words are separate arguments on purpose
	vanban --data-dir "$tmp/data" search $q >"$tmp/search.json" 2>"$tmp/search.err"
	rc=$?
	if [ "$rc" = 0 ] && top3 <"$tmp/search.json" | grep -qx "$want"; then
		ok "search '$q' has $want in the top 3"
	else
		notok "search '$q' has $want in the top 3"
		echo "# exit status $rc; top 3: $(top3 <"$tmp/search.json" | tr '\n' ' ')"
		head -c 600 "$tmp/search.err" | sed 's/^/# /'
	fi
done

vanban --data-dir "$tmp/data" search "2403/QĐ-UBND" >"$tmp/search.json" 2>"$tmp/search.err"
rc=$?
if [ "$rc" = 0 ] && top3 <"$tmp/search.json" | grep -q '^2403/Q[ĐÐ]-UBND$'; then
	ok "number stored with U+00D0 (2403/QÐ-UBND) is found with Đ"
else
	notok "number stored with U+00D0 (2403/QÐ-UBND) is found with Đ"
	echo "# exit status $rc; top 3: $(top3 <"$tmp/search.json" | tr '\n' ' ')"
fi
exit 0  # failures are the "not ok" lines
