#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The throwaway-PostgreSQL harness itself works: start, query, stop.
. "$VB_SRCDIR/tests/lib/pg.sh"
echo "1..3"
if pg_start; then echo "ok 1 - cluster started"; else echo "not ok 1 - cluster started"; exit 1; fi
v=$(psql "$VANBAN_DB" -Atc "select current_setting('server_version_num')::int >= 130000")
[ "$v" = t ] && echo "ok 2 - server answers (version >= 13)" || echo "not ok 2 - server answers: '$v'"
dir=$PG_DIR
pg_stop
[ ! -d "$dir" ] && echo "ok 3 - cluster removed on stop" || echo "not ok 3 - cluster removed on stop"
