#!/usr/bin/env bash
# tests/pg-cluster.sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway PostgreSQL cluster for the tests, from Debian's postgresql
# package (/usr/lib/postgresql/VERSION/bin, the newest installed):
#
#   pg-cluster.sh start DIR [PID]   initdb (once) and start; prints the URI
#   pg-cluster.sh stop DIR          stop it (fast: open sessions are ended)
#   pg-cluster.sh restart DIR       stop and start again, same URI
#   pg-cluster.sh remove DIR        stop it and delete DIR
#
# The server listens on a Unix socket in DIR only (no TCP port to collide
# with another test or a real server), trusts local connections as the
# user "dermis", and has the database "dermis". initdb refuses to run as
# root, so as root the cluster belongs to nobody (setpriv, as
# .ci/bootstrap runs the unprivileged suites). With PID, the cluster is
# removed once that process is gone, even if it crashed.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|restart|remove DIR [PID]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
cmd="$1"
dir="$2"
watch_pid="${3:-}"

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$candidate/initdb" ] && bindir="$candidate"
done
if [ -z "$bindir" ]; then
  echo "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql" >&2
  exit 1
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp)
fi

pg_ctl_cmd() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" "$@" </dev/null
}

running() {
  [ -f "$dir/data/postmaster.pid" ] && pg_ctl_cmd status >/dev/null 2>&1
}

start() {
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown 65534:65534 "$dir"
  fi
  chmod 0700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U dermis --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 </dev/null ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Tests, not a clinic: no durability, little memory, the socket only
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
EOF
    fresh=1
  fi
  if ! running; then
    pg_ctl_cmd -l "$dir/log" -w -t 60 start >/dev/null 2>&1 ||
      { cat "$dir/log" >&2; exit 1; }
  fi
  if [ -n "${fresh:-}" ]; then
    "${as_owner[@]}" "$bindir/createdb" -h "$dir" -U dermis dermis </dev/null
  fi
  if [ -n "$watch_pid" ]; then
    # Removes the cluster once the test that started it is gone
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" remove "$3"' \
      watchdog "$watch_pid" "$(realpath "$0")" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  echo "postgresql:///dermis?host=$dir&user=dermis"
}

case "$cmd" in
  start)
    start
    ;;
  stop)
    if running; then
      pg_ctl_cmd -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  restart)
    pg_ctl_cmd -m fast -w -t 60 -l "$dir/log" restart >/dev/null
    ;;
  remove)
    if running; then
      pg_ctl_cmd -m immediate -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
