#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Browser test of the widget and the pages (tests/browser/run.mjs, TAP):
# a throwaway PostgreSQL with the daemon fixture and the bundled sample
# (data/sample), vanband on 127.0.0.1, then Playwright drives Debian's
# Chromium through the portal flow, the keyboard-only flow, axe-core on
# the widget and the pages in three languages, and the OpenSearch
# description (see the header of run.mjs).
#
# Needs node (>= 18), /usr/bin/chromium (VB_CHROMIUM) and the node modules
# of tests/browser (`npm ci` there; VB_NODE_MODULES points elsewhere).
# Without them the test is skipped with the reason, except under CI
# (CI=true), where it fails: CI must run it.  VB_SCREENSHOTS=DIR keeps
# the screenshots (docs/screenshots/ was made that way).

. "$VB_SRCDIR/tests/lib/tap.sh"

modules=${VB_NODE_MODULES:-$VB_SRCDIR/tests/browser/node_modules}
chromium=${VB_CHROMIUM:-/usr/bin/chromium}

missing() {
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - browser test prerequisites: $1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

command -v node >/dev/null 2>&1 || missing "node is not installed (apt-get install nodejs npm)"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
	missing "node 18 or newer is needed"
[ -x "$chromium" ] || missing "$chromium is not installed (apt-get install chromium)"
[ -d "$modules/playwright-core" ] && [ -d "$modules/axe-core" ] ||
	missing "no node modules in $modules (run: npm ci --prefix tests/browser)"
for tool in curl; do
	command -v $tool >/dev/null 2>&1 || missing "$tool is not installed"
done

. "$VB_SRCDIR/tests/lib/pg.sh"
pg_start || bail "could not start PostgreSQL"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-browser.XXXXXX") || bail "mktemp"
. "$VB_SRCDIR/tests/fixtures/daemon/lib.sh"
cleanup() { [ -n "${vbd_pid:-}" ] && kill "$vbd_pid" 2>/dev/null; rm -rf "$tmp"; pg_stop; }
trap cleanup EXIT

vbd_load || bail "could not load the fixture (migrate / import / index)"
vanban --data-dir "$tmp/data" import "$VB_SRCDIR/data/sample/documents.jsonl" >"$tmp/sample.log" 2>&1 ||
	{ cat "$tmp/sample.log" >&2; bail "could not import the sample"; }
vanban --data-dir "$tmp/data" index >>"$tmp/sample.log" 2>&1 || bail "could not index the sample"
# The portal registry (when this build has it): a second page embeds the
# widget scoped to the province portal.
if vanban portal list >/dev/null 2>&1; then
	vanban --data-dir "$tmp/data" portal import "$VB_SRCDIR/data/portals.tsv" >"$tmp/portals.log" 2>&1 ||
		{ cat "$tmp/portals.log" >&2; bail "could not import data/portals.tsv"; }
fi
vbd_start --no-indexer || bail "vanband did not start"

portal=
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/search?q=a&portal=quangninh")
[ "$code" = 200 ] && portal=quangninh

VB_BASE=$base VB_PORTAL=$portal VB_CHROMIUM=$chromium VB_NODE_MODULES=$modules \
	timeout 600 node "$VB_SRCDIR/tests/browser/run.mjs"
status=$?
vbd_stop
# The daemon must stop cleanly, with nothing from the sanitizers.
if [ "$vbd_status" != 0 ] || grep -q "AddressSanitizer\|runtime error:\|LeakSanitizer" "$tmp/daemon.log"; then
	echo "# vanband exited with $vbd_status or the sanitizers reported:"
	sed 's/^/#   /' "$tmp/daemon.log" | grep -v " info " | tail -40
	status=1
fi
exit $status
