#!/usr/bin/env bash
# A bounded load test of `octopus serve` on loopback: CONNECTIONS connections
# for DURATION, a mix of cached pages, /search, uncached /activities (a new
# query each request) and PDF issues, while /healthz is probed on its own
# connection, from a process of its own. Reports every request's outcome and the healthz latency
# percentiles. Not part of CI; traffic goes to 127.0.0.1 only and stops by
# itself.
#
# usage: bench/load_bench.sh [OCTOPUS_BINARY]
#   env: DURATION=30 CONNECTIONS=64 THREADS=0 (server workers; 0: one per core)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/src/octopus}"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-0}"
[[ -x "$BIN" ]] || { echo "load_bench: no octopus binary at $BIN (build it first)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "load_bench: needs python3" >&2; exit 1; }

TMP="$(mktemp -d)"
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN" --db "$TMP/octopus.db" ingest "$ROOT"/data/seeds/*.txt >/dev/null 2>&1
"$BIN" --db "$TMP/octopus.db" serve --listen "127.0.0.1:$PORT" --threads "$THREADS" \
  2>"$TMP/serve.log" &
PID=$!
for _ in $(seq 1 200); do
  python3 - "$PORT" <<'PY' 2>/dev/null && break
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1).read()
PY
  sleep 0.1
done

python3 - "$PORT" "$DURATION" "$CONNECTIONS" <<'PY'
import http.client, multiprocessing, random, re, sys, threading, time, urllib.request

port, duration, connections = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
page = urllib.request.urlopen(base + "/updates", timeout=30).read().decode()
quarters = sorted(set(re.findall(r'href="/updates/(\d{4}Q[1-4])"', page))) or ["2023Q3"]
cached = ["/", "/treaties", "/treaties/185", "/api/v1/treaties/185/status", "/news", "/projects"]
words = ["cybercrime", "evidence", "training", "Budapest", "workshop", "judges", "Tonga"]

def target(rng, n):
    kind = n % 10
    if kind < 5:
        return rng.choice(cached), "cached"
    if kind < 7:
        return "/search?q=" + rng.choice(words), "search"
    if kind < 9:
        # A query no earlier request asked: never served from the cache.
        y, m = rng.randint(2005, 2030), rng.randint(1, 12)
        return f"/activities?from={y}-{m:02d}-01&page={rng.randint(1, 3)}", "activities"
    return f"/updates/{rng.choice(quarters)}.pdf", "pdf"

stop = time.monotonic() + duration
lock = threading.Lock()
counts = {}  # (kind, status) -> n

def client(seed):
    rng = random.Random(seed)
    conn, n = None, seed
    while time.monotonic() < stop:
        path, kind = target(rng, n)
        n += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            status = r.status
            if r.getheader("Connection", "").lower() == "close":
                conn.close(); conn = None
        except Exception as e:
            status = type(e).__name__
            if conn: conn.close()
            conn = None
        with lock:
            counts[(kind, status)] = counts.get((kind, status), 0) + 1

# The probe runs in a process of its own: in the load generator's process it
# would wait for the interpreter lock behind 64 client threads, and that wait,
# not the server, would be what it measured.
def prober(out):
    health, errors = [], {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < stop:
        t0 = time.perf_counter()
        try:
            conn.request("GET", "/healthz"); r = conn.getresponse(); r.read()
            ok = r.status == 200
        except Exception as e:
            ok = False
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        health.append(((time.perf_counter() - t0) * 1000, ok))
        time.sleep(0.02)
    out.send((health, errors))

threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
receive, send = multiprocessing.Pipe(duplex=False)
probe = multiprocessing.Process(target=prober, args=(send,))
probe.start()
for t in threads: t.start()
for t in threads: t.join()
health, errors = receive.recv()
probe.join()

total = sum(counts.values())
print(f"connections={connections} duration={duration:.0f}s requests={total} "
      f"rate={total / duration:.1f}/s quarters={len(quarters)}")
for (kind, status), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
    print(f"  {kind:10s} {status}: {n}")
lat = sorted(ms for ms, _ in health)
failed = sum(1 for _, ok in health if not ok)
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
if errors: print("  healthz errors:", errors)
print(f"healthz probes={len(lat)} failed={failed} p50={pct(0.5):.1f}ms p90={pct(0.9):.1f}ms "
      f"p99={pct(0.99):.1f}ms max={lat[-1]:.1f}ms")
PY
