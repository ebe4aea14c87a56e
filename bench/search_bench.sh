#!/usr/bin/env bash
# Search at 10 k and 100 k items (or SIZES): `octopus serve`'s /api/v1/search
# against naive SQLite FTS5 and Xapian over the same items, in the same run.
# Not part of CI.
#
# usage: bench/search_bench.sh [OCTOPUS_BINARY]
#   env: SIZES="10000 100000"  WORK=/tmp/octopus-search-bench  ROUNDS=5
# For each size N it builds, under $WORK (each reused when present):
#   corpus-N/         bench/make_news_corpus.py N (news pages of 5,000 items);
#   octopus-N.db      `octopus ingest` of those pages, then the first search,
#                     which builds the knowledge and its index (both timed:
#                     octopus-N.build_s);
#   anchors-N/        the naive FTS5 database and the Xapian database
#                     (bench/search_bench.py).
# Then it starts `octopus serve` on the database and runs bench/search_bench.py:
# ~23 queries, interleaved rounds, medians; one line per measure with the
# Octopus figure, the anchor's and the ratio. Another binary on the same
# database (e.g. an older build, for before/after): pass its path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$(realpath "${1:-$ROOT/build/src/octopus}")"
WORK="${WORK:-/tmp/octopus-search-bench}"
SIZES="${SIZES:-10000 100000}"
ROUNDS="${ROUNDS:-5}"

[[ -x "$BIN" ]] || { echo "search_bench: no octopus binary at $BIN (build it first)" >&2; exit 1; }
# Debian's python3 (where python3-xapian installs), when there is another first on PATH.
PY="${PYTHON:-$( [[ -x /usr/bin/python3 ]] && echo /usr/bin/python3 || command -v python3 )}"
[[ -n "$PY" ]] || { echo "search_bench: python3 is needed" >&2; exit 1; }
command -v curl >/dev/null || { echo "search_bench: curl is needed (apt-get install curl)" >&2; exit 1; }
"$PY" -c 'import xapian' 2>/dev/null ||
  echo "search_bench: no Xapian anchor without python3-xapian (apt-get install python3-xapian)" >&2
mkdir -p "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; }
trap cleanup EXIT

start_octopus() {  # DB
  PORT="$(free_port)"
  (cd "$ROOT" && exec "$BIN" --db "$1" serve --listen "127.0.0.1:$PORT" --threads 1 \
     2>>"$WORK/serve.log" >/dev/null) &
  PID=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "search_bench: octopus serve did not answer (see $WORK/serve.log)" >&2
  exit 1
}

for n in $SIZES; do
  corpus="$WORK/corpus-$n"
  if ! python3 -c 'import json,sys; sys.exit(0 if "tail_words" in json.load(open(sys.argv[1])) else 1)' \
       "$corpus/manifest.json" 2>/dev/null; then
    "$PY" "$ROOT/bench/make_news_corpus.py" "$n" "$corpus"
  fi
  db="$WORK/octopus-$n.db"
  if [[ ! -f "$WORK/octopus-$n.build_s" ]]; then
    rm -f "$db" "$db-wal" "$db-shm"
    start_s=$(date +%s.%N)
    "$BIN" --db "$db" ingest "$corpus"/news_*.txt >"$WORK/ingest-$n.log" 2>&1
    ingest_s=$(date +%s.%N)
    start_octopus "$db"
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/search?q=cybercrime"
    end_s=$(date +%s.%N)
    cleanup
    PID=""
    python3 -c "import sys; a, b, c = map(float, sys.argv[1:]); print('%.1f %.1f' % (c - a, b - a))" \
      "$start_s" "$ingest_s" "$end_s" >"$WORK/octopus-$n.build_s"
  fi
  read -r build_s ingest_only_s <"$WORK/octopus-$n.build_s"
  echo "## $n items: $BIN"
  echo "octopus build: ingest ${ingest_only_s} s, ingest + knowledge and index ${build_s} s"
  start_octopus "$db"
  # The first search after a start reads the index into memory: timed apart.
  first=$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/search?q=council+")
  echo "first search after start: $(python3 -c "print('%.1f' % (float('$first') * 1000))") ms"
  "$PY" "$ROOT/bench/search_bench.py" "$corpus" "http://127.0.0.1:$PORT" "$WORK/anchors-$n" \
    --rounds "$ROUNDS" --octopus-db "$db" --octopus-build-s "$build_s"
  cleanup
  PID=""
done
