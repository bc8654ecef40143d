#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the libFuzzer targets named as arguments, one after the other, from
# the build directory (make fuzz calls this).  Each runs FUZZ_SECONDS
# (default 60) on fuzz-work/<target>/corpus: a fresh copy of
# fuzz/seeds/<target>, fuzz/regressions/<target> and real pages/texts
# taken from $VB_CORPUS at run time (too big to commit).  Crash inputs land
# in fuzz-work/<target>/ (crash-*, leak-*, timeout-*, oom-*); the log is
# fuzz-work/<target>/log.  Prints executions/s and total executions per
# target; exits 1 if any target found something.
set -u
secs=${FUZZ_SECONDS:-60}
src=${VB_SRCDIR:?VB_SRCDIR not set}
corpus=${VB_CORPUS:-$src/../shared/corpus}
status=0

# add_lines FILE N DIR PREFIX: the first N non-comment lines of FILE as
# one seed file each
add_lines() {
	[ -r "$1" ] || return 0
	grep -v '^#' "$1" | head -n "$2" | awk -v d="$3" -v p="$4" \
		'{ f = sprintf("%s/%s%03d", d, p, NR); printf "%s", $0 > f; close(f) }'
}

# add_files DIR FILE...: copy the readable ones
add_files() {
	d=$1; shift
	for f in "$@"; do
		[ -r "$f" ] && cp "$f" "$d/" 2>/dev/null
	done
	return 0
}

seed_extra() {
	t=$1 d=$2
	case $t in
	manifest) add_lines "$src/data/sample/documents.jsonl" 40 "$d" sample- ;;
	vbpl) add_files "$d" "$corpus"/vbpl_html_fixtures/*.html ;;
	congbao)
		add_files "$d" "$corpus"/congbao_sonla/html_samples/*.html
		add_lines "$corpus/congbao_sonla/records.jsonl" 20 "$d" record- ;;
	meta)
		add_files "$d" "$corpus/quangninh/05-2023-QD-UBND.txt"
		add_files "$d" $(ls "$corpus"/legacy_encodings/*/*.unicode_converted.txt 2>/dev/null | head -n 5) ;;
	legacy) add_files "$d" $(ls "$corpus"/legacy_encodings/*/*.raw_text.bin 2>/dev/null | head -n 8) ;;
	qparse) add_lines "$src/bench/queries.txt" 200 "$d" bench- ;;
	esac
}

printf '%-10s %8s %12s %9s  %s\n' target seconds executions exec/s result
for t in "$@"; do
	prog=./fuzz/fuzz_$t
	w=fuzz-work/$t
	if [ ! -x "$prog" ]; then
		echo "fuzz: $prog not built" >&2
		status=1
		continue
	fi
	rm -rf "$w"
	mkdir -p "$w/corpus"
	for k in seeds regressions; do
		[ -d "$src/fuzz/$k/$t" ] && find "$src/fuzz/$k/$t" -maxdepth 1 -type f ! -name README.md \
			-exec cp {} "$w/corpus/" \;
	done
	seed_extra "$t" "$w/corpus"
	"$prog" -max_total_time="$secs" -print_final_stats=1 -timeout=30 -rss_limit_mb=2560 \
		-max_len=262144 -artifact_prefix="$w/" "$w/corpus" >"$w/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$w/log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc, see $w/log)"
		status=1
	fi
	printf '%-10s %8s %12s %9s  %s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|Test unit written' "$w/log" | head -n 5 >&2
	fi
done
exit $status
