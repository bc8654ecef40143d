#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Where an import's time goes: `vanban import` of MANIFEST into a fresh
# store on a throwaway PostgreSQL (tests/lib/pg.sh), timed, with the CPU
# of the importer and of its PostgreSQL backend (sampled from /proc every
# 0.1 s while it runs: a backend's ticks vanish with it).  With one
# thread the wall time is about the sum of the two CPU times; with the
# manifest pipeline (importers/pipeline.c), about the larger.
#
#   bench/import_cpu.sh MANIFEST [BUILD_DIR]   (default build/bench)
#
# docs/benchmarks.md, "Import, third round".
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
manifest=${1:?usage: import_cpu.sh MANIFEST [BUILD_DIR]}
build=${2:-$src/build/bench}
[ -x "$build/vanban" ] || { echo "import_cpu: no $build/vanban (make it first)" >&2; exit 2; }
manifest=$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")
export VB_SRCDIR=$src
. "$src/tests/lib/pg.sh"
pg_start >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vb-importcpu.XXXXXX")
trap 'rm -rf "$tmp"; pg_stop' EXIT
"$build/vanban" --data-dir "$tmp/data" migrate >/dev/null
psql_q() { psql "$VANBAN_DB" -Atc "$1" 2>/dev/null || pg_as_owner psql "$VANBAN_DB" -Atc "$1"; }
/usr/bin/time -f "%U %S %e" -o "$tmp/time" "$build/vanban" --data-dir "$tmp/data" import --quiet \
	"$manifest" >"$tmp/out" &
job=$!
ticks=0
while kill -0 "$job" 2>/dev/null; do
	for p in $(psql_q "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
			   AND backend_type = 'client backend' AND pid <> pg_backend_pid()"); do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) && [ -n "$t" ] && ticks=$t
	done
	sleep 0.1
done
wait "$job" || true
read -r user sys wall <"$tmp/time"
bytes=$(stat -c %s "$manifest")
cat "$tmp/out"
awk -v u="$user" -v s="$sys" -v w="$wall" -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v b="$bytes" \
	'BEGIN { printf "wall %.2f s (%.1f MB of manifest/s); importer CPU %.2f s; PostgreSQL backend CPU %.2f s\n",
		 w, b / 1e6 / w, u + s, t / hz }'
