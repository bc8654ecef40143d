# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared helpers for scripts/quickstart and scripts/test (bash; source it):
# messages, installing the missing Debian packages, building out of tree,
# and a private PostgreSQL cluster under the checkout (var/pg) that
# quickstart keeps between runs.  The test suite does not use this cluster:
# each test script starts its own throwaway one (tests/lib/pg.sh).
#
# Works as root or as a user who may run sudo.  PostgreSQL's initdb refuses
# to run as root, so as root the cluster belongs to the `postgres` system
# user and every server command runs through runuser.

# The Debian 12 packages needed to build, test and run vanban.
VB_PACKAGES="build-essential autoconf automake libtool pkg-config
libxapian-dev libpq-dev postgresql libarchive-dev libzip-dev
libmicrohttpd-dev libjansson-dev libargon2-dev libutf8proc-dev libxml2-dev
libpoppler-glib-dev libcurl4-openssl-dev xapian-tools curl jq
libxml2-utils unzip python3 groff-base rsync chromium fonts-wqy-microhei
tesseract-ocr tesseract-ocr-vie valgrind"
# tesseract with Vietnamese data is optional at run time (scanned uploads are
# then only flagged "needs_ocr"); it is installed here so that the OCR path
# is built and tested on every machine.  valgrind: `make check-valgrind`,
# which scripts/test runs in CI (CI=true or --valgrind).

vb_say() {
	printf '\n==> %s\n' "$*"
}

vb_note() {
	printf '    %s\n' "$*"
}

vb_die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# Run a command as root: directly when we are root, else through sudo.
vb_as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		vb_die "need root for: $* (run as root or install sudo)"
	fi
}

# Install the packages of VB_PACKAGES that dpkg does not report as installed;
# does nothing (and needs no network) when all are there.
vb_install_deps() {
	local missing="" p
	command -v dpkg-query >/dev/null 2>&1 ||
		vb_die "dpkg-query not found: this script expects Debian 12 (install the packages listed in scripts/lib.sh yourself)"
	for p in $VB_PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
	if [ -z "$missing" ]; then
		vb_note "all required packages are installed"
		return 0
	fi
	vb_note "installing:$missing"
	vb_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		vb_die "apt-get update failed"
	# shellcheck disable=SC2086
	vb_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing || vb_die "apt-get install failed"
}

# Node.js and npm for the browser tests (tests/browser): any Node.js >= 18
# with npm will do.  Debian's own nodejs and npm packages are installed only
# when no `npm` is on the PATH, so a Node.js installed otherwise (which
# brings its own npm and would conflict with Debian's) is left alone.
vb_install_node() {
	if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
		vb_note "node $(node --version) and npm $(npm --version) are installed"
		return 0
	fi
	vb_note "installing: nodejs npm"
	vb_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		vb_die "apt-get update failed"
	vb_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends nodejs npm || vb_die "apt-get install nodejs npm failed"
}

# Generate configure when the checkout has none (a fresh git clone).
vb_bootstrap() {
	local top=$1
	if [ ! -x "$top/configure" ]; then
		vb_note "no configure script yet: running autoreconf -fi"
		(cd "$top" && autoreconf -fi) || vb_die "autoreconf failed"
	fi
}

# vb_build TOP BUILDDIR [CONFIGURE-OPTIONS...]: configure (once, or again
# when the options changed) and build out of tree in BUILDDIR.
vb_build() {
	local top=$1 dir=$2 stamp
	shift 2
	vb_bootstrap "$top"
	mkdir -p "$dir" || vb_die "could not create $dir"
	stamp="$*"
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.vb-configure-options" 2>/dev/null)" != "$stamp" ]; then
		vb_note "configuring in $dir: configure $stamp"
		(cd "$dir" && "$top/configure" -q "$@") || vb_die "configure failed (see $dir/config.log)"
		printf '%s' "$stamp" >"$dir/.vb-configure-options"
	fi
	vb_note "compiling with make -j$(nproc)"
	make -C "$dir" -s -j"$(nproc)" || vb_die "build failed"
}

# --------------------------------------------------------------- PostgreSQL

vb_pg_bin() {
	local d
	for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
		if [ -x "$d/initdb" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

# The user the private cluster runs as.
vb_pg_user() {
	if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

vb_pg_run() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# As root, the postgres user must be able to reach DIR: give every parent
# directory that lacks it the search (x) permission for others, and say so.
vb_pg_make_reachable() {
	local dir=$1 d
	[ "$(id -u)" = 0 ] || return 0
	runuser -u postgres -- test -x "$dir" 2>/dev/null && return 0
	# From / downwards, so only the directories that block are changed.
	local parents="" IFS=/ part
	d=""
	for part in ${dir#/}; do
		d="$d/$part"
		parents="$parents $d"
	done
	IFS=' '
	for d in $parents; do
		if [ -d "$d" ] && ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
			vb_note "allowing the postgres user to pass through $d (chmod o+x)"
			chmod o+x "$d" || vb_die "could not chmod o+x $d"
		fi
	done
	runuser -u postgres -- test -x "$dir" ||
		vb_die "the postgres user cannot reach $dir; move the checkout somewhere it can"
}

# vb_pg_start DIR: start (creating it on first use) a private cluster in
# DIR/data with its Unix socket in DIR/run and no TCP listener, and a
# database "vanban".  Sets VB_PG_DIR, VB_PG_BIN and exports VANBAN_DB.
vb_pg_start() {
	local dir=$1 user
	VB_PG_BIN=$(vb_pg_bin) || vb_die "PostgreSQL server binaries not found (install postgresql)"
	user=$(vb_pg_user)
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		vb_die "the postgres system user does not exist (install postgresql)"
	fi
	mkdir -p "$dir/data" "$dir/run" "$dir/log" || vb_die "could not create $dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir" "$dir/data" "$dir/run" "$dir/log"
		vb_pg_make_reachable "$dir"
	fi
	chmod 700 "$dir/data"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		vb_note "creating a PostgreSQL cluster in $dir/data (runs as $user)"
		vb_pg_run "$VB_PG_BIN/initdb" -D "$dir/data" -U "$user" -A trust \
			-E UTF8 --locale=C.UTF-8 >"$dir/log/initdb.log" 2>&1 ||
			{ cat "$dir/log/initdb.log" >&2; vb_die "initdb failed"; }
	else
		vb_note "reusing the PostgreSQL cluster in $dir/data"
	fi
	if vb_pg_run "$VB_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		vb_note "PostgreSQL is already running"
	else
		vb_note "starting PostgreSQL (socket in $dir/run, no TCP)"
		vb_pg_run "$VB_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log/server.log" -w \
			-o "-c listen_addresses='' -c unix_socket_directories='$dir/run'" \
			start >/dev/null ||
			{ tail -n 20 "$dir/log/server.log" >&2; vb_die "could not start PostgreSQL"; }
	fi
	VB_PG_DIR=$dir
	if [ "$("$VB_PG_BIN/psql" -h "$dir/run" -U "$user" -d postgres -Atc \
		"select 1 from pg_database where datname = 'vanban'")" != 1 ]; then
		vb_note "creating database vanban"
		"$VB_PG_BIN/createdb" -h "$dir/run" -U "$user" vanban || vb_die "createdb failed"
	fi
	VANBAN_DB="host=$dir/run user=$user dbname=vanban"
	export VANBAN_DB
}

# Stop the cluster started by vb_pg_start (if any); safe to call twice.
vb_pg_stop() {
	if [ -n "${VB_PG_DIR:-}" ]; then
		vb_say "stopping PostgreSQL"
		vb_pg_run "$VB_PG_BIN/pg_ctl" -D "$VB_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
		VB_PG_DIR=
	fi
}
