#!/usr/bin/env bash
# Cached page and JSON throughput of `octopus serve` against nginx serving the
# same bytes from files, both on loopback, measured with wrk. Not part of CI.
#
# usage: bench/serve_bench.sh [OCTOPUS_BINARY]
#   env: DURATION=10s CONNECTIONS=64 WRK_THREADS=1 WORKERS="1" ROUNDS=3
#        ENCODINGS="identity gzip" SEEDS=../shared/seeds (ingested first, so the
#        news, activities and search pages have content)
# Each round runs wrk against octopus then nginx; the medians are compared.
# "gzip" sends Accept-Encoding: gzip to both: octopus answers from its
# pre-compressed twin, nginx from the .gz file beside each page (gzip_static),
# which holds the bytes octopus sent. Prints one line per (target, encoding,
# workers): both median rates, their ratio, both median p99 latencies and theirs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/src/octopus}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-1}"
WORKERS="${WORKERS:-1}"
ROUNDS="${ROUNDS:-3}"
ENCODINGS="${ENCODINGS:-identity gzip}"
SEEDS="${SEEDS:-$ROOT/../shared/seeds}"
TARGETS=("/treaties/185" "/api/v1/treaties/185/status" "/" "/news" "/activities" "/search?q=cybercrime")

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

# The file nginx serves for a target: the path, "index.html" for "/", the
# query string dropped (nginx ignores it for static files).
file_of() {  # TARGET
  local path="${1%%\?*}"
  [[ "$path" == */ ]] && path="${path}index.html"
  printf '%s' "$TMP/www$path"
}

measure() {  # URL ENCODING → "requests-per-second p99-milliseconds"
  local header=()
  [[ "$2" == gzip ]] && header=(-H "Accept-Encoding: gzip")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ {rps = $2}
    $1 == "99%" {p99 = ms($2)}
    END {print rps, p99}'
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
  types { }
  default_type "text/html; charset=utf-8";
  gzip_static on;
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    index index.html;
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
if [[ -d "$SEEDS" ]]; then
  "$BIN" --db "$TMP/octopus.db" ingest "$SEEDS"/* >/dev/null 2>>"$TMP/octopus.log"
fi
echo "machine: $(nproc) cores; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on loopback (wrk shares the cores)," \
  "median of $ROUNDS rounds"
printf '%-40s %-8s %3s %10s %10s %6s %8s %8s %6s\n' target encoding wkr octopus_rps nginx_rps ratio \
  oct_p99 ngx_p99 ratio
for workers in $WORKERS; do
  start_octopus "$workers"
  # The same bytes, saved to files for nginx: plain, and the gzip twin beside it.
  for t in "${TARGETS[@]}"; do
    f="$(file_of "$t")"
    mkdir -p "$(dirname "$f")"
    curl -fsS -o "$f" "http://127.0.0.1:$OPORT$t"
    curl -fsS -H "Accept-Encoding: gzip" -o "$f.gz" "http://127.0.0.1:$OPORT$t"
  done
  start_nginx "$workers"
  for t in "${TARGETS[@]}"; do
    f="$(file_of "$t")"
    cmp -s "$f" <(curl -fsS "http://127.0.0.1:$NPORT$t") ||
      { echo "serve_bench: $t differs between the servers" >&2; exit 1; }
    cmp -s "$f.gz" <(curl -fsS -H "Accept-Encoding: gzip" "http://127.0.0.1:$NPORT$t") ||
      { echo "serve_bench: $t (gzip) differs between the servers" >&2; exit 1; }
    for enc in $ENCODINGS; do
      bytes="$(stat -c %s "$f")"
      [[ "$enc" == gzip ]] && bytes="$(stat -c %s "$f.gz")"
      ors=() nrs=() ops=() nps=()
      for _ in $(seq 1 "$ROUNDS"); do
        read -r r p < <(measure "http://127.0.0.1:$OPORT$t" "$enc"); ors+=("$r"); ops+=("$p")
        read -r r p < <(measure "http://127.0.0.1:$NPORT$t" "$enc"); nrs+=("$r"); nps+=("$p")
      done
      o="$(median "${ors[@]}")" n="$(median "${nrs[@]}")"
      op="$(median "${ops[@]}")" np="$(median "${nps[@]}")"
      printf '%-40s %-8s %3s %10.0f %10.0f %6.2f %8.2f %8.2f %6.2f\n' "$t ($bytes B)" "$enc" "$workers" \
        "$o" "$n" "$(awk -v o="$o" -v n="$n" 'BEGIN {print o / n}')" \
        "$op" "$np" "$(awk -v o="$op" -v n="$np" 'BEGIN {print (n > 0 ? o / n : 0)}')"
    done
  done
  stop OCTOPUS_PID
  stop NGINX_PID
done
