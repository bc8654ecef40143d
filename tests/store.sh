#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The store against a throwaway PostgreSQL: tests/test_store (TAP), then
# `vanban migrate` twice when the program is built.
. "$VB_SRCDIR/tests/lib/pg.sh"
if ! pg_start; then
	echo "1..1"
	echo "not ok 1 - start PostgreSQL"
	exit 1
fi
"$VB_BUILDDIR/tests/test_store" >"$PG_DIR/store.tap"
rc=$?
sed -e '/^1\.\.[0-9]*/d' "$PG_DIR/store.tap"
n=$(grep -c '^\(not \)\{0,1\}ok ' "$PG_DIR/store.tap")
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$PG_DIR/store.tap"; then
	n=$((n + 1))
	echo "not ok $n - tests/test_store exited with status $rc"
fi
if [ -x "$VB_BUILDDIR/vanban" ]; then
	"$PG_BIN/createdb" -h "$PG_DIR/run" -U "$PG_USER" vanban_cli
	db="host=$PG_DIR/run user=$PG_USER dbname=vanban_cli"
	out=$("$VB_BUILDDIR/vanban" migrate --db "$db" 2>"$PG_DIR/migrate.err")
	n=$((n + 1))
	case $out in
	"applied "*" migration(s)") echo "ok $n - vanban migrate: $out" ;;
	*) echo "not ok $n - vanban migrate: $out" ;;
	esac
	out=$("$VB_BUILDDIR/vanban" migrate --db "$db" 2>"$PG_DIR/migrate.err")
	n=$((n + 1))
	[ "$out" = "schema is up to date" ] && echo "ok $n - vanban migrate again: $out" ||
		echo "not ok $n - vanban migrate again: $out"
	# Two programs starting at once on an empty database: the advisory
	# lock makes one apply the migrations and the other find them applied.
	"$PG_BIN/createdb" -h "$PG_DIR/run" -U "$PG_USER" vanban_race
	db="host=$PG_DIR/run user=$PG_USER dbname=vanban_race"
	"$VB_BUILDDIR/vanban" migrate --db "$db" >"$PG_DIR/race1.out" 2>"$PG_DIR/race1.err" &
	pid=$!
	"$VB_BUILDDIR/vanban" migrate --db "$db" >"$PG_DIR/race2.out" 2>"$PG_DIR/race2.err"
	rc2=$?
	wait "$pid"
	rc1=$?
	n=$((n + 1))
	both=$(cat "$PG_DIR/race1.out" "$PG_DIR/race2.out" | sort | tr '\n' '|')
	case "$rc1 $rc2 $both" in
	"0 0 applied "*" migration(s)|schema is up to date|")
		echo "ok $n - concurrent migrate: one applies, the other waits" ;;
	*)
		echo "not ok $n - concurrent migrate: rc $rc1/$rc2, output $both"
		cat "$PG_DIR/race1.err" "$PG_DIR/race2.err" | sed 's/^/# /' ;;
	esac
fi
echo "1..$n"
