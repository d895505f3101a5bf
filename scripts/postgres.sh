#!/usr/bin/env bash
# postgres.sh runs a private PostgreSQL server for cipmap's tests and CI.
#
#   scripts/postgres.sh start DIR PORT   # prints postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
#   scripts/postgres.sh stop DIR
#
# start installs PostgreSQL from Debian's packages if no server binaries are found,
# creates a cluster in DIR (trust authentication, UTF-8) unless one is there, and
# starts it listening on 127.0.0.1:PORT only, with its Unix socket in DIR. It waits
# until the server accepts connections and prints the URL of a superuser connection.
# stop shuts the server down (fast mode). Both are idempotent, and quiet except for
# the URL and errors. Run as root, the server runs as the postgres OS user.
#
# Example:
#   url=$(bash scripts/postgres.sh start /tmp/pgtest 55432) &&
#     CIPMAP_TEST_POSTGRES=$url go test ./postgres/
set -euo pipefail

usage() {
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
}

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

die() {
	echo "postgres.sh: $*" >&2
	exit 1
}

# bindir prints the directory holding initdb and pg_ctl: the newest
# /usr/lib/postgresql/*/bin (Debian's layout), else the one on PATH.
bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then
		echo "$d"
		return
	fi
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
	fi
}

# install installs the server from Debian's packages.
install() {
	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get needs root; install the postgresql package"
		sudo="sudo"
	fi
	if ! { $sudo apt-get update && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >"$LOG" 2>&1; then
		cat "$LOG" >&2
		die "apt-get install postgresql failed"
	fi
}

# as_pg runs a command as the postgres OS user when we are root (the server refuses
# to run as root), else as ourselves.
as_pg() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u postgres -- "$@"
	else
		su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
	fi
}

# running reports whether a server runs on the cluster in DIR.
running() {
	[ -f "$1/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

start() {
	local dir=$1 port=$2
	case $port in
	'' | *[!0-9]*) die "PORT must be a number, got '$port'" ;;
	esac
	BIN=$(bindir)
	if [ -z "$BIN" ]; then
		install
		BIN=$(bindir)
		[ -n "$BIN" ] || die "PostgreSQL was installed but initdb was not found"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
		chown postgres: "$dir"
		as_pg test -w "$dir" || die "the postgres user cannot write $dir: choose a directory whose parents it can enter (such as under /tmp)"
	fi
	chmod 700 "$dir"
	if [ ! -f "$dir/PG_VERSION" ]; then
		# C.UTF-8 sorts by code point and folds case for every script; fall back to
		# C (which folds ASCII only) where the locale is missing.
		local locale=C
		if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
			locale=C.UTF-8
		fi
		if ! as_pg "$BIN/initdb" -D "$dir" --auth=trust --username=postgres --encoding=UTF8 --locale="$locale" >"$LOG" 2>&1; then
			cat "$LOG" >&2
			die "initdb $dir failed"
		fi
	fi
	if running "$dir"; then
		local have
		have=$(sed -n 4p "$dir/postmaster.pid")
		[ "$have" = "$port" ] || die "the server in $dir is already running on port $have, not $port; stop it first"
	else
		if ! as_pg "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir'" start >"$LOG" 2>&1; then
			cat "$LOG" >&2
			tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
			die "could not start PostgreSQL in $dir on port $port"
		fi
	fi
	local i
	for i in $(seq 1 60); do
		if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
			echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			return
		fi
		sleep 0.5
	done
	die "PostgreSQL in $dir does not accept connections on 127.0.0.1:$port; see $dir/server.log"
}

stop() {
	local dir=$1
	[ -d "$dir" ] || return 0
	BIN=$(bindir)
	[ -n "$BIN" ] || return 0
	if running "$dir"; then
		as_pg "$BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null || die "could not stop PostgreSQL in $dir"
	fi
}

case ${1:-} in
start)
	[ $# -eq 3 ] || usage
	start "$2" "$3"
	;;
stop)
	[ $# -eq 2 ] || usage
	stop "$2"
	;;
*) usage ;;
esac
