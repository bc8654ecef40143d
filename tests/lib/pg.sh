# SPDX-License-Identifier: GPL-3.0-or-later
#
# Test harness: a private, throwaway PostgreSQL 15 cluster for one test
# script.  Source this file, then call pg_start; it exports VANBAN_DB (a
# libpq connection string over a Unix socket in a temporary directory) and
# stops and deletes the cluster when the script exits.  initdb refuses to run
# as root, so as root the server runs as the `postgres` system user.
#
#   . "$VB_SRCDIR/tests/lib/pg.sh"
#   pg_start || exit 1
#   psql "$VANBAN_DB" -c 'select 1'
#
# PG_EXTRA_OPTS (optional) adds server options after the defaults, which
# they override: tests/replica.sh listens on TCP with
# PG_EXTRA_OPTS="-c listen_addresses=127.0.0.1 -c port=N" (and PGPORT=N).

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
		pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
		rm -rf "$PG_DIR"
	fi
	PG_DIR=
}

pg_start() {
	if [ ! -x "$PG_BIN/initdb" ]; then
		echo "pg.sh: PostgreSQL server binaries not found (install postgresql)" >&2
		return 1
	fi
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vanban-pg.XXXXXX") || return 1
	chmod 755 "$PG_DIR"
	mkdir "$PG_DIR/data" "$PG_DIR/run"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$PG_DIR/data" "$PG_DIR/run"
		PG_USER=postgres
	else
		PG_USER=$(id -un)
	fi
	if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" -A trust \
		-E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		cat "$PG_DIR/initdb.log" >&2
		return 1
	fi
	if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/run/server.log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR/run' -c fsync=off -c full_page_writes=off -c max_connections=50 ${PG_EXTRA_OPTS:-}" \
		start >/dev/null 2>&1; then
		echo "pg.sh: could not start PostgreSQL:" >&2
		cat "$PG_DIR/run/server.log" >&2
		return 1
	fi
	trap pg_stop EXIT
	"$PG_BIN/createdb" -h "$PG_DIR/run" -U "$PG_USER" vanban || return 1
	VANBAN_DB="host=$PG_DIR/run user=$PG_USER dbname=vanban"
	export VANBAN_DB PG_DIR PG_USER
}
