#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Instructions per search, per query type, under callgrind: the measure of
# the search path that does not depend on what else the machine is doing
# (docs/benchmarks.md, "Profile and tuning").
#
#   bench/profile.sh BUILD_DIR DATA_DIR [QUERIES.tsv]
#
# BUILD_DIR holds an optimised vanband (-O2 -g) and bench/loadgen;
# DATA_DIR an imported and indexed data directory (bench/compare.sh makes
# one; VANBAN_DB must point at its database).  vanband runs under
# valgrind --tool=callgrind with one server thread; every query is sent
# once to warm up, then for each type (first column of the query file,
# default bench/queries-mix.tsv) the counters are zeroed, the queries of
# that type are sent once (per_page=10), and the profile is dumped.
# Prints "type n Minstr/q" and leaves one callgrind file per type in
# PROFILE_OUT (default a new directory under /tmp) for callgrind_annotate.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: profile.sh BUILD_DIR DATA_DIR [QUERIES.tsv]}
data=${2:?usage: profile.sh BUILD_DIR DATA_DIR [QUERIES.tsv]}
queries=${3:-$src/bench/queries-mix.tsv}
out=${PROFILE_OUT:-$(mktemp -d /tmp/vb-profile.XXXXXX)}
port=${PROFILE_PORT:-$((20000 + $$ % 20000))}
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || {
	echo "profile: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
[ -x "$build/vanband" ] && [ -x "$build/bench/loadgen" ] || {
	echo "profile: $build/vanband and $build/bench/loadgen are needed" >&2; exit 2; }
mkdir -p "$out"

valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
	"$build/vanband" --listen "127.0.0.1:$port" --data-dir "$data" --web-dir "$src/web" \
	--no-indexer --threads 1 >"$out/vanband.log" 2>&1 &
vg=$!
trap 'kill $vg 2>/dev/null || true; wait $vg 2>/dev/null || true' EXIT
url=http://127.0.0.1:$port/api/v1/search
for _ in $(seq 600); do
	curl -s -o /dev/null "$url?q=x" && break
	kill -0 $vg 2>/dev/null || { cat "$out/vanband.log" >&2; exit 1; }
	sleep 0.2
done
lg() { "$build/bench/loadgen" --url "$url" --extra per_page=10 -c 1 "$@" >/dev/null; }
lg -n "$(grep -vc '^type' "$queries")" "$queries"
for t in $(awk -F'\t' 'NR > 1 && !seen[$1]++ { print $1 }' "$queries"); do
	awk -F'\t' -v t="$t" 'NR == 1 || $1 == t' "$queries" >"$out/q-$t.tsv"
	n=$(($(wc -l <"$out/q-$t.tsv") - 1))
	callgrind_control -z $vg >/dev/null 2>&1
	lg -n "$n" "$out/q-$t.tsv"
	callgrind_control -d "$t" $vg >/dev/null 2>&1
	f=
	for _ in $(seq 50); do
		f=$(grep -lx "desc: Trigger: dump $t" "$out"/callgrind.out* 2>/dev/null |
			head -n 1 || true)
		[ -n "$f" ] && break
		sleep 0.2
	done
	ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
	awk -v t="$t" -v n="$n" -v i="$ir" -v f="$f" \
		'BEGIN { printf "%-11s n=%-4d %8.2f Minstr/q  %s\n", t, n, i / n / 1e6, f }'
done
echo "profiles: $out (callgrind_annotate --inclusive=yes FILE)"
