#!/usr/bin/env bash
# Throwaway PostgreSQL cluster on 127.0.0.1 from the installed server binaries (initdb, pg_ctl),
# for tests and local development on machines without a container runtime.
#
#   postgres.sh start   initdb (first time), start, wait until `select 1` works; prints exactly one
#                       line `DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres` on stdout
#   postgres.sh stop    pg_ctl stop -m fast; needs PG_STATE_DIR
#   postgres.sh status  exit 0 if the server is running; needs PG_STATE_DIR
#
# Environment:
#   PG_PORT              TCP port (default 55432)
#   PG_STATE_DIR         data dir, socket dir, log (default: a fresh mktemp -d)
#   PG_STATE_DIR_REMOVE  1: `stop` (also the watchdog's) removes the state dir
#   PG_OWNER_PID         if set, a watchdog stops the server when that process exits
#   PG_BINDIR            server binaries (default: pg_config --bindir, else newest /usr/lib/postgresql/*/bin)
#   PG_TLS               1: TLS only over TCP (a throwaway CA from infra/tls/make-certs.sh signs the
#                        server's certificate; clients trust $PG_STATE_DIR/tls/ca.pem, also written
#                        to the state dir's env file as DATABASE_SSLROOTCERT); connections without TLS
#                        are refused. The socket inside the state dir stays open to the server's user.
#
# Server settings stay at their defaults (fsync, synchronous_commit...) so benchmarks are honest;
# only max_connections is raised. Auth is trust, on loopback and a socket inside the state dir.
# initdb refuses to run as root: as root, the server runs as the `postgres` system user.
# Everything except the DATABASE_URL line goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_PATH="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
PG_PORT="${PG_PORT:-55432}"

log() { echo "[postgres.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  local dir
  if command -v pg_config >/dev/null && dir="$(pg_config --bindir 2>/dev/null)" && [[ -x "$dir/initdb" ]]; then
    echo "$dir"; return
  fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  dir="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
  [[ -x "$dir/initdb" ]] && echo "$dir" && return
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BINDIR"
}

BINDIR="$(find_bindir)"

# Runs a server binary as the postgres system user when we are root, as ourselves otherwise.
# cd / first: the postgres user may not be allowed into the caller's working directory.
as_pg() {
  if [[ "$(id -u)" == "0" ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() { as_pg "$BINDIR/pg_ctl" status -D "$STATE_DIR/data" >/dev/null 2>&1; }

start_watchdog() {
  local owner="$1"
  # Stops the server only when the owner is gone. A server stopped by someone else ends the
  # watch: a later check must not take a server started again meanwhile for this one.
  (
    while is_running; do
      if ! kill -0 "$owner" 2>/dev/null; then
        PG_STATE_DIR="$STATE_DIR" bash "$SCRIPT_PATH" stop
        break
      fi
      sleep 2
    done
  ) </dev/null >>"$STATE_DIR/watchdog.log" 2>&1 &
  disown
}

cmd_start() {
  if [[ -z "${PG_STATE_DIR:-}" ]]; then
    STATE_DIR="$(mktemp -d -t fbl-postgres.XXXXXX)"
    # A failed start leaves nothing behind in a directory nobody knows the name of.
    trap 'if (($? != 0)); then rm -rf "$STATE_DIR"; fi' EXIT
  fi
  STATE_DIR="${PG_STATE_DIR:-$STATE_DIR}"
  mkdir -p "$STATE_DIR"
  STATE_DIR="$(cd "$STATE_DIR" && pwd)"
  if [[ "$(id -u)" == "0" ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' system user"
    chown postgres: "$STATE_DIR"
    chmod 0755 "$STATE_DIR"
    runuser -u postgres -- test -w "$STATE_DIR" ||
      die "the postgres user cannot write $STATE_DIR (is a parent directory private?)"
  fi
  if is_running; then die "a server is already running from $STATE_DIR"; fi
  if port_in_use "$PG_PORT"; then die "port 127.0.0.1:$PG_PORT is already in use"; fi

  local started=$SECONDS
  if [[ ! -f "$STATE_DIR/data/PG_VERSION" ]]; then
    log "initdb in $STATE_DIR/data ($BINDIR)"
    as_pg "$BINDIR/initdb" -D "$STATE_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
      --no-sync >"$STATE_DIR/initdb.log" 2>&1 || { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
    echo "include_if_exists = 'fbl.conf'" >>"$STATE_DIR/data/postgresql.conf"
  fi
  # Rewritten on every start, so a reused state dir picks up a new port.
  as_pg mkdir -p "$STATE_DIR/run"
  as_pg tee "$STATE_DIR/data/fbl.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$STATE_DIR/run'
max_connections = 200
EOF
  local sslmode=disable
  if [[ "${PG_TLS:-}" == "1" ]]; then
    if [[ ! -f "$STATE_DIR/tls/server.key" ]]; then
      bash "$SCRIPT_DIR/../tls/make-certs.sh" "$STATE_DIR/tls"
      if [[ "$(id -u)" == "0" ]]; then chown -R postgres: "$STATE_DIR/tls"; chmod 0755 "$STATE_DIR/tls"; fi
    fi
    as_pg tee -a "$STATE_DIR/data/fbl.conf" >/dev/null <<EOF
ssl = on
ssl_cert_file = '$STATE_DIR/tls/server.pem'
ssl_key_file = '$STATE_DIR/tls/server.key'
EOF
    # TCP only with TLS: no plain 'host' line is left.
    as_pg tee "$STATE_DIR/data/pg_hba.conf" >/dev/null <<EOF
local   all all                trust
hostssl all all 127.0.0.1/32   trust
EOF
    sslmode=require
  fi

  log "starting PostgreSQL on 127.0.0.1:$PG_PORT, state in $STATE_DIR"
  if ! as_pg "$BINDIR/pg_ctl" start -D "$STATE_DIR/data" -l "$STATE_DIR/postgres.log" -w -t 60 >&2; then
    tail -n 40 "$STATE_DIR/postgres.log" >&2 || true
    die "pg_ctl start failed"
  fi
  if [[ -n "${PG_OWNER_PID:-}" ]]; then start_watchdog "$PG_OWNER_PID"; fi

  # Ready means a query answers over TCP, as the tests will connect.
  local deadline=$((SECONDS + 60))
  until PGSSLMODE=$sslmode "$BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      tail -n 40 "$STATE_DIR/postgres.log" >&2 || true
      die "server did not answer 'select 1' within 60 s"
    fi
    sleep 0.2
  done

  local url="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "DATABASE_URL=$url" >"$STATE_DIR/env"
  if [[ "$sslmode" == "require" ]]; then printf 'DATABASE_SSLMODE=verify-full\nDATABASE_SSLROOTCERT=%s\n' "$STATE_DIR/tls/ca.pem" >>"$STATE_DIR/env"; fi
  log "ready after $((SECONDS - started)) s; stop with: PG_STATE_DIR=$STATE_DIR bash $SCRIPT_PATH stop"
  echo "DATABASE_URL=$url"
}

cmd_stop() {
  STATE_DIR="${PG_STATE_DIR:?PG_STATE_DIR is required for stop}"
  if is_running; then
    as_pg "$BINDIR/pg_ctl" stop -D "$STATE_DIR/data" -m fast -w -t 60 >&2
  else
    log "no running server in $STATE_DIR"
  fi
  if [[ "${PG_STATE_DIR_REMOVE:-}" == "1" ]]; then rm -rf "$STATE_DIR"; fi
}

cmd_status() {
  STATE_DIR="${PG_STATE_DIR:?PG_STATE_DIR is required for status}"
  if is_running; then log "running"; else log "not running"; exit 1; fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
