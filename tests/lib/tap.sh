# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP helpers for the shell tests (the shell twin of lib/tap.h).  Source it
# at the top of a test script; print the plan with `echo "1..$n"` at the end.
#
#   ok DESC / nok DESC    one passing / failing test
#   is DESC GOT WANT      passes when GOT equals WANT, else shows both
#   check DESC CMD...     passes when CMD succeeds (its output discarded)
#   bail MESSAGE          stop the whole script (TAP "Bail out!")

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
bail() { echo "Bail out! $*"; exit 1; }
is() { # is DESC GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; echo "#   got:  '$2'"; echo "#   want: '$3'"; fi
}
check() { desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else nok "$desc"; fi; }
