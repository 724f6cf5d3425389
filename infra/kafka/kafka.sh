#!/usr/bin/env bash
# Throwaway single-node Apache Kafka (KRaft, combined broker + controller) on 127.0.0.1,
# for tests and local development on machines without a container runtime.
#
#   kafka.sh start    resolve the jars (cached), format storage, start, wait until an admin call
#                     succeeds; prints exactly one line `KAFKA_BROKERS=127.0.0.1:PORT` on stdout
#   kafka.sh stop     SIGTERM the broker (SIGKILL after 30 s); needs KAFKA_STATE_DIR
#   kafka.sh status   exit 0 if the broker process is alive; needs KAFKA_STATE_DIR
#
# Environment:
#   KAFKA_PORT              client port (default 19092)
#   KAFKA_CONTROLLER_PORT   controller port (default 19093)
#   KAFKA_STATE_DIR         config, data, logs, pid file (default: a fresh mktemp -d)
#   KAFKA_STATE_DIR_REMOVE  1: `stop` (also the watchdog's) removes the state dir
#   KAFKA_READY_TIMEOUT_MS  startup deadline (default 90000)
#   KAFKA_OWNER_PID         if set, a watchdog stops the broker when that process exits
#                           (so a crashed test runner does not leak a JVM)
#   XDG_CACHE_HOME          jar cache root (default ~/.cache)
#   KAFKA_TLS               1: clients connect over SASL_SSL (TLS with SCRAM-SHA-256) on KAFKA_PORT; a
#                           throwaway CA from infra/tls/make-certs.sh signs the broker's certificate
#                           (clients trust $KAFKA_STATE_DIR/tls/ca.pem). The broker's own traffic and
#                           the readiness probe use a plaintext listener on KAFKA_INTERNAL_PORT.
#   KAFKA_INTERNAL_PORT     that listener's port (default 19094; with KAFKA_TLS=1 only)
#   KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
#                           the SCRAM account created when storage is formatted (default fbl / fbl-secret)
#
# Everything except the KAFKA_BROKERS line goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_PATH="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
POM="$SCRIPT_DIR/pom.xml"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_INTERNAL_PORT="${KAFKA_INTERNAL_PORT:-19094}"
READY_TIMEOUT_MS="${KAFKA_READY_TIMEOUT_MS:-90000}"

log() { echo "[kafka.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1
}

# Resolves the broker classpath into the cache once. The marker records the pom's checksum and
# the jar count, so an edited pom or a half-deleted cache triggers a fresh resolution.
ensure_jars() {
  local version cache lib marker pom_sum
  version="$(kafka_version)"
  [[ -n "$version" ]] || die "cannot read <kafka.version> from $POM"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/five-bed-linkage/kafka-$version"
  lib="$cache/lib"
  marker="$cache/.complete"
  pom_sum="$(sha256sum "$POM" | cut -d' ' -f1)"
  KAFKA_LIB="$lib"
  if cache_complete "$lib" "$marker" "$pom_sum"; then return; fi
  if [[ -f "$marker" ]]; then log "jar cache at $lib is stale or incomplete, resolving again"; fi
  command -v mvn >/dev/null || die "mvn not found and no complete jar cache at $lib"
  log "resolving Kafka $version jars with Maven into $lib (once; up to ~20 s with an empty ~/.m2)"
  mkdir -p "$cache"
  local tmp
  tmp="$(mktemp -d "$cache/lib.tmp.XXXXXX")"
  chmod 0755 "$tmp"
  # Maven's output (ANSI noise even with -q) goes to a file, shown only on failure.
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" >"$cache/mvn.log" 2>&1; then
    cat "$cache/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed"
  fi
  # Swap in whole, so an interrupted run never leaves a partial lib dir. If a concurrent run
  # finished first, keep its copy: a broker may already be using it.
  if cache_complete "$lib" "$marker" "$pom_sum"; then rm -rf "$tmp"; return; fi
  rm -rf "$lib"
  mv -T "$tmp" "$lib"
  echo "$pom_sum $(find "$lib" -maxdepth 1 -name '*.jar' | wc -l)" >"$marker"
}

# True when the marker names this pom and the lib dir still holds as many jars as it recorded.
cache_complete() {
  local lib="$1" marker="$2" pom_sum="$3" want_sum want_count
  [[ -f "$marker" && -d "$lib" ]] || return 1
  read -r want_sum want_count <"$marker" || return 1
  [[ "$want_sum" == "$pom_sum" && "$want_count" == "$(find "$lib" -maxdepth 1 -name '*.jar' | wc -l)" ]]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

read_pid() { [[ -f "$STATE_DIR/kafka.pid" ]] && cat "$STATE_DIR/kafka.pid" || true; }

write_config() {
  local listeners
  if [[ "${KAFKA_TLS:-}" == "1" ]]; then
    listeners="listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT,INTERNAL://127.0.0.1:$KAFKA_INTERNAL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT,INTERNAL://127.0.0.1:$KAFKA_INTERNAL_PORT
listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
sasl.enabled.mechanisms=SCRAM-SHA-256
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$STATE_DIR/tls/server.p12
ssl.keystore.password=$TLS_STORE_PASSWORD
ssl.key.password=$TLS_STORE_PASSWORD"
  else
    listeners="listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT"
  fi
  cat >"$STATE_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$listeners
controller.listener.names=CONTROLLER
log.dirs=$STATE_DIR/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
# One partition: the group coordinator is ready seconds sooner on a one-broker test cluster.
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  # Broker log to a file: INFO for the broker itself, WARN for the chatty request/state loggers.
  cat >"$STATE_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$STATE_DIR/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.storage=WARN
EOF
}

run_java() {
  java -Dlog4j.configuration="file:$STATE_DIR/log4j.properties" -cp "$KAFKA_LIB/*" "$@"
}

log_tail() {
  log "---- $STATE_DIR/kafka.out (last lines) ----"
  tail -n 30 "$STATE_DIR/kafka.out" >&2 2>/dev/null || true
  log "---- $STATE_DIR/server.log (errors, then last lines) ----"
  grep -E ' (ERROR|FATAL) ' "$STATE_DIR/server.log" 2>/dev/null | tail -n 20 >&2 || true
  tail -n 20 "$STATE_DIR/server.log" >&2 2>/dev/null || true
}

# Stops the broker when KAFKA_OWNER_PID exits (or returns once the broker is gone).
start_watchdog() {
  local owner="$1" broker="$2"
  (
    while pid_alive "$owner" && pid_alive "$broker"; do sleep 2; done
    if pid_alive "$broker"; then KAFKA_STATE_DIR="$STATE_DIR" bash "$SCRIPT_PATH" stop; fi
  ) </dev/null >>"$STATE_DIR/watchdog.log" 2>&1 &
  disown
}

cmd_start() {
  command -v java >/dev/null || die "java not found on PATH"
  command -v node >/dev/null || die "node not found on PATH (needed for the readiness probe)"
  if [[ -z "${KAFKA_STATE_DIR:-}" ]]; then
    STATE_DIR="$(mktemp -d -t fbl-kafka.XXXXXX)"
    # A failed start leaves nothing behind in a directory nobody knows the name of.
    trap 'if (($? != 0)); then rm -rf "$STATE_DIR"; fi' EXIT
  fi
  STATE_DIR="${KAFKA_STATE_DIR:-$STATE_DIR}"
  mkdir -p "$STATE_DIR"
  STATE_DIR="$(cd "$STATE_DIR" && pwd)"
  if pid_alive "$(read_pid)"; then die "a broker is already running from $STATE_DIR (pid $(read_pid))"; fi
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$p"; then die "port 127.0.0.1:$p is already in use"; fi
  done
  ensure_jars
  local probe_port=$KAFKA_PORT scram=()
  if [[ "${KAFKA_TLS:-}" == "1" ]]; then
    if port_in_use "$KAFKA_INTERNAL_PORT"; then die "port 127.0.0.1:$KAFKA_INTERNAL_PORT is already in use"; fi
    TLS_STORE_PASSWORD="$(cat "$STATE_DIR/tls/store-password" 2>/dev/null || true)"
    if [[ -z "$TLS_STORE_PASSWORD" ]]; then
      TLS_STORE_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
      TLS_STORE_PASSWORD="$TLS_STORE_PASSWORD" bash "$SCRIPT_DIR/../tls/make-certs.sh" "$STATE_DIR/tls"
      (umask 077 && echo "$TLS_STORE_PASSWORD" >"$STATE_DIR/tls/store-password")
    fi
    probe_port=$KAFKA_INTERNAL_PORT
    scram=(--add-scram "SCRAM-SHA-256=[name=${KAFKA_SASL_USERNAME:-fbl},password=${KAFKA_SASL_PASSWORD:-fbl-secret}]")
  fi
  write_config

  local started=$SECONDS cluster_id
  if [[ ! -f "$STATE_DIR/data/meta.properties" ]]; then
    cluster_id="$(run_java kafka.tools.StorageTool random-uuid 2>>"$STATE_DIR/kafka.out")"
    run_java kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE_DIR/server.properties" "${scram[@]}" \
      >>"$STATE_DIR/kafka.out" 2>&1 || { log_tail; die "storage format failed"; }
  fi

  log "starting broker on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT), state in $STATE_DIR"
  # The JVM's stdio goes to files: a caller reading our stdout must not wait for the broker.
  java -Xms256m -Xmx512m -Dlog4j.configuration="file:$STATE_DIR/log4j.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$STATE_DIR/server.properties" \
    </dev/null >>"$STATE_DIR/kafka.out" 2>&1 &
  local broker=$!
  echo "$broker" >"$STATE_DIR/kafka.pid"
  if [[ -n "${KAFKA_OWNER_PID:-}" ]]; then start_watchdog "$KAFKA_OWNER_PID" "$broker"; fi

  node "$SCRIPT_DIR/wait-ready.mjs" "127.0.0.1:$probe_port" "$READY_TIMEOUT_MS" </dev/null >&2 &
  local probe=$!
  while pid_alive "$probe"; do
    if ! pid_alive "$broker"; then
      kill "$probe" 2>/dev/null || true
      log_tail
      die "broker process $broker exited during startup"
    fi
    sleep 0.2
  done
  if ! wait "$probe"; then
    log_tail
    kill "$broker" 2>/dev/null || true
    die "broker not ready within ${READY_TIMEOUT_MS} ms (stopped it)"
  fi

  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT" >"$STATE_DIR/env"
  if [[ "${KAFKA_TLS:-}" == "1" ]]; then
    printf 'KAFKA_SSL=true\nKAFKA_SSL_CA=%s\nKAFKA_SASL_MECHANISM=scram-sha-256\nKAFKA_SASL_USERNAME=%s\nKAFKA_SASL_PASSWORD=%s\n' \
      "$STATE_DIR/tls/ca.pem" "${KAFKA_SASL_USERNAME:-fbl}" "${KAFKA_SASL_PASSWORD:-fbl-secret}" >>"$STATE_DIR/env"
  fi
  log "ready after $((SECONDS - started)) s; stop with: KAFKA_STATE_DIR=$STATE_DIR bash $SCRIPT_PATH stop"
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
  STATE_DIR="${KAFKA_STATE_DIR:?KAFKA_STATE_DIR is required for stop}"
  local pid
  pid="$(read_pid)"
  if pid_alive "$pid"; then
    kill -TERM "$pid"
    local deadline=$((SECONDS + 30))
    while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if pid_alive "$pid"; then
      log "broker $pid ignored SIGTERM for 30 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "broker $pid stopped"
  else
    log "no running broker in $STATE_DIR"
  fi
  rm -f "$STATE_DIR/kafka.pid"
  if [[ "${KAFKA_STATE_DIR_REMOVE:-}" == "1" ]]; then rm -rf "$STATE_DIR"; fi
}

cmd_status() {
  STATE_DIR="${KAFKA_STATE_DIR:?KAFKA_STATE_DIR is required for status}"
  local pid
  pid="$(read_pid)"
  if pid_alive "$pid"; then log "running (pid $pid)"; else log "not running"; exit 1; fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
