#!/usr/bin/env bash
# Cached page and JSON throughput of `octopus serve` against nginx serving the
# same bytes from files, both on loopback, measured with wrk. Not part of CI.
#
# usage: bench/serve_bench.sh [OCTOPUS_BINARY]
#   env: DURATION=10s CONNECTIONS=64 WRK_THREADS=2 WORKERS="1 2" ROUNDS=3
# Each round runs wrk against octopus then nginx; the medians are compared.
# Prints one line per (target, workers) with both median rates and the ratio.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/src/octopus}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-2}"
WORKERS="${WORKERS:-1 2}"
ROUNDS="${ROUNDS:-3}"
TARGETS=("/treaties/185" "/api/v1/treaties/185/status")

[[ -x "$BIN" ]] || { echo "serve_bench: no octopus binary at $BIN (build it first)" >&2; exit 1; }
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

TMP="$(mktemp -d)"
OCTOPUS_PID=""
NGINX_PID=""
cleanup() {
  [[ -n "$OCTOPUS_PID" ]] && kill "$OCTOPUS_PID" 2>/dev/null && wait "$OCTOPUS_PID" 2>/dev/null || true
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

wait_for() {  # URL
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "serve_bench: $1 did not answer" >&2
  exit 1
}

rate() {  # URL → requests per second
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/^Requests\/sec:/ {print $2}'
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

start_octopus() {  # WORKERS
  OPORT="$(free_port)"
  "$BIN" --db "$TMP/octopus.db" serve --listen "127.0.0.1:$OPORT" --threads "$1" \
    2>>"$TMP/octopus.log" >/dev/null &
  OCTOPUS_PID=$!
  wait_for "http://127.0.0.1:$OPORT/healthz"
}

start_nginx() {  # WORKERS
  NPORT="$(free_port)"
  cat >"$TMP/nginx.conf" <<CONF
user root;
worker_processes $1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $TMP/nginx-access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    location /treaties/ { default_type "text/html; charset=utf-8"; }
    location /api/ { default_type application/json; }
  }
}
CONF
  "$NGINX" -c "$TMP/nginx.conf" -p "$TMP" &
  NGINX_PID=$!
  wait_for "http://127.0.0.1:$NPORT/treaties/185"
}

stop() {  # PID variable name
  local pid="${!1}"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  printf -v "$1" '%s' ""
}

echo "octopus: $BIN"
echo "machine: $(nproc) cores; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on loopback (wrk shares the cores)," \
  "median of $ROUNDS rounds"
printf '%-32s %7s %12s %12s %7s\n' target workers octopus_rps nginx_rps ratio
for workers in $WORKERS; do
  start_octopus "$workers"
  # The same bytes, saved to files for nginx.
  for t in "${TARGETS[@]}"; do
    mkdir -p "$TMP/www$(dirname "$t")"
    curl -fsS -o "$TMP/www$t" "http://127.0.0.1:$OPORT$t"
  done
  start_nginx "$workers"
  for t in "${TARGETS[@]}"; do
    cmp -s <(curl -fsS "http://127.0.0.1:$OPORT$t") <(curl -fsS "http://127.0.0.1:$NPORT$t") ||
      { echo "serve_bench: $t differs between the servers" >&2; exit 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$OPORT$t"  # warm
    os=() ns=()
    for _ in $(seq 1 "$ROUNDS"); do
      os+=("$(rate "http://127.0.0.1:$OPORT$t")")
      ns+=("$(rate "http://127.0.0.1:$NPORT$t")")
    done
    o="$(median "${os[@]}")"
    n="$(median "${ns[@]}")"
    printf '%-32s %7s %12.0f %12.0f %7.2f\n' "$t ($(stat -c %s "$TMP/www$t") B)" "$workers" "$o" "$n" \
      "$(awk -v o="$o" -v n="$n" 'BEGIN {print o / n}')"
  done
  stop OCTOPUS_PID
  stop NGINX_PID
done
