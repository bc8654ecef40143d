#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Packaging (mk/dist.am): `make install DESTDIR=...` puts the programs,
# web/ and sql/ data, the configuration file, the man pages and the
# systemd units (with the installed paths substituted) in place; the man
# pages render without warnings (groff -ww, man -l) and cover every
# subcommand of cli/vanban.c, every option of vanband --help and every
# setting of lib/config.c; the configuration file is accepted by the
# programs and mentions every setting too; the units are hardened and
# pass `systemd-analyze verify` when it is available.

. "$VB_SRCDIR/tests/lib/tap.sh"

[ -n "${VB_BUILDDIR:-}" ] && [ -f "$VB_BUILDDIR/Makefile" ] ||
	{ echo "1..0 # SKIP no build directory (VB_BUILDDIR)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-install.XXXXXX") || bail "mktemp"
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

# A nested make must not join the jobserver of the `make check` around us.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$VB_BUILDDIR" install DESTDIR="$root" \
	>"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... succeeds"
else
	nok "make install DESTDIR=... succeeds"; tail -n 20 "$tmp/install.log" | sed 's/^/#   /'
	echo "1..$n"; exit 1
fi
prefix=$(sed -n 's/^prefix = //p' "$VB_BUILDDIR/Makefile")
sysconfdir=$(sed -n 's/^sysconfdir = //p' "$VB_BUILDDIR/Makefile" | sed "s|\${prefix}|$prefix|")
P=$root$prefix
E=$root$sysconfdir

for f in bin/vanban bin/vanband libexec/vanban/replica; do
	[ -x "$P/$f" ] && ok "installed $f" || nok "installed $f"
done
for f in share/vanban/web/openapi.json share/vanban/web/style.css share/vanban/synonyms.tsv \
	share/vanban/sql/001_init.sql share/man/man1/vanban.1 share/man/man5/vanban.conf.5 \
	share/man/man8/vanband.8 lib/sysusers.d/vanban.conf lib/tmpfiles.d/vanban.conf; do
	[ -s "$P/$f" ] && ok "installed $f" || nok "installed $f"
done
nsql=$(ls "$VB_SRCDIR"/sql/*.sql | wc -l)
is "every migration of sql/ is installed" "$(ls "$P"/share/vanban/sql/*.sql | wc -l)" "$nsql"
"$P/bin/vanband" --version | grep -q '^vanband ' && ok "the installed vanband runs" || nok "the installed vanband runs"

# --- configuration file ---------------------------------------------------
conf=$E/vanban/vanban.conf
[ -s "$conf" ] && ok "installed $sysconfdir/vanban/vanban.conf" || nok "installed vanban.conf"
"$P/bin/vanban" --config "$conf" search --help >/dev/null 2>"$tmp/conf.err" &&
	ok "the programs accept the installed vanban.conf" ||
	{ nok "the programs accept the installed vanban.conf"; sed 's/^/#   /' "$tmp/conf.err"; }
# uncomment every commented setting: still valid (defaults that parse)
sed 's/^#\([a-z_]* =\)/\1/' "$conf" | grep -v '^[a-z_]* =$\|^api_token_file\|^log_file\|^synonyms\|^web_dir' \
	>"$tmp/all.conf"
"$P/bin/vanban" --config "$tmp/all.conf" search --help >/dev/null 2>"$tmp/conf.err" &&
	ok "every commented default in vanban.conf parses" ||
	{ nok "every commented default in vanban.conf parses"; sed 's/^/#   /' "$tmp/conf.err"; }

# --- man pages --------------------------------------------------------------
for m in man1/vanban.1 man5/vanban.conf.5 man8/vanband.8; do
	if command -v groff >/dev/null 2>&1; then
		out=$(groff -man -ww -z "$P/share/man/$m" 2>&1)
		[ -z "$out" ] && ok "groff -man -ww: $m has no warnings" ||
			{ nok "groff -man -ww: $m has no warnings"; echo "$out" | head -n 5 | sed 's/^/#   /'; }
	else
		ok "# SKIP groff is not installed (groff-base)"
	fi
	if command -v man >/dev/null 2>&1; then
		out=$(MANWIDTH=80 man -l "$P/share/man/$m" 2>&1 >"$tmp/render.txt")
		[ -z "$out" ] && [ -s "$tmp/render.txt" ] && ok "man -l renders $m" ||
			{ nok "man -l renders $m"; echo "$out" | head -n 5 | sed 's/^/#   /'; }
	fi
done
# man -l keeps hyphens as they are typed: drop \- and font escapes for the
# coverage checks
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }
missing=
for c in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", vb_cmd_.*/\1/p' "$VB_SRCDIR/cli/vanban.c"); do
	plain "$VB_SRCDIR/man/vanban.1" | grep -Eq "^\.B[RI]? \"?$c( |\"|$)" || missing="$missing $c"
done
is "vanban(1) covers every subcommand of cli/vanban.c" "${missing:-none}" none
missing=
for o in $("$P/bin/vanband" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
	plain "$VB_SRCDIR/man/vanband.8" | grep -q -- "^\.B[IR]* $o" || missing="$missing $o"
done
is "vanband(8) covers every option of vanband --help" "${missing:-none}" none
missing= missing_conf=
for k in $(grep -o 'strcmp(key, "[a-z_]*")' "$VB_SRCDIR/lib/config.c" | sed 's/.*"\(.*\)".*/\1/' | sort -u); do
	plain "$VB_SRCDIR/man/vanban.conf.5" | grep -q "^\.BI $k " || missing="$missing $k"
	grep -Eq "^#?$k =" "$conf" || missing_conf="$missing_conf $k"
done
is "vanban.conf(5) covers every setting of lib/config.c" "${missing:-none}" none
is "vanban.conf mentions every setting of lib/config.c" "${missing_conf:-none}" none

# --- systemd units ------------------------------------------------------------
U=$P/lib/systemd/system
for u in vanband.service vanban-indexer.service vanban-backup.service vanban-backup.timer \
	vanban-index-serve.service vanban-index-follow.service; do
	[ -s "$U/$u" ] && ok "installed unit $u" || nok "installed unit $u"
done
grep -q '@[a-z]*@' "$U"/*.service "$U"/*.timer && nok "unit paths are substituted" ||
	ok "unit paths are substituted"
is "vanband.service starts the installed vanband" \
	"$(sed -n 's/^ExecStart=//p' "$U/vanband.service")" "$prefix/bin/vanband"
grep -q "^Environment=VANBAN_CONFIG=$sysconfdir/vanban/vanban.conf$" "$U/vanband.service" &&
	ok "vanband.service reads the installed vanban.conf" || nok "vanband.service reads the installed vanban.conf"
grep -q '^ExecStart=.*vanban backup .* --keep [0-9]' "$U/vanban-backup.service" &&
	ok "vanban-backup.service runs vanban backup DEST --keep N" || nok "vanban-backup.service runs vanban backup --keep"
for u in vanband.service vanban-indexer.service vanban-backup.service vanban-index-serve.service \
	vanban-index-follow.service; do
	bad=
	for k in User=vanban ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
		'ReadWritePaths=/var/lib/vanban' CapabilityBoundingSet= SystemCallFilter=@system-service; do
		grep -q "^$k" "$U/$u" || bad="$bad $k"
	done
	is "$u is hardened" "${bad:-ok}" ok
done
if command -v systemd-analyze >/dev/null 2>&1; then
	# Verify copies whose binaries point into DESTDIR (verify checks that
	# ExecStart exists); the timer needs its service beside it.
	mkdir "$tmp/units"
	for f in "$U"/*; do
		sed -e "s|=$prefix/|=$P/|g" -e "s| $prefix/| $P/|g" "$f" >"$tmp/units/$(basename "$f")"
	done
	: >"$E/vanban/replica.env" # EnvironmentFile of index-follow
	sed -i "s|=$sysconfdir/|=$E/|g" "$tmp/units"/*
	out=$(cd "$tmp/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./*.service ./*.timer 2>&1 |
		grep -v 'Failed to add dependency\|Unit .* not found\|prepare-root\|getpwnam\|not running' || true)
	[ -z "$out" ] && ok "systemd-analyze verify: no complaints" ||
		{ nok "systemd-analyze verify: no complaints"; echo "$out" | head -n 10 | sed 's/^/#   /'; }
	# systemd's own exposure score (0 = locked down, 10 = unprotected)
	for u in vanband.service vanban-indexer.service vanban-backup.service; do
		lvl=$(cd "$tmp/units" && systemd-analyze security --offline=yes "./$u" 2>/dev/null |
			sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
		if [ -z "$lvl" ]; then
			ok "# SKIP systemd-analyze security --offline is not supported"
		else
			echo "# $u: systemd-analyze security exposure $lvl"
			awk -v l="$lvl" 'BEGIN { exit !(l <= 2.0) }' && ok "$u exposure level $lvl <= 2.0" ||
				nok "$u exposure level $lvl <= 2.0"
		fi
	done
else
	ok "# SKIP systemd-analyze is not installed"
fi
echo "1..$n"
