#!/usr/bin/env bash
# Throughput and peak memory of `octopus ingest --dry-run --report json` on large synthetic
# documents, against `grep -c` over the same file as the floor. Not part of CI.
#
# usage: bench/ingest_bench.sh [OCTOPUS_BINARY]
#   env: WORK=/tmp/octopus-ingest-bench (inputs are generated there once and reused)
#        SIZES="10 30 50" (MB of the single-line text, the text and the news page)
# Inputs, all built from the seeds in data/seeds/:
#   line10  a single line of ~10 MB: the seeds' text with every line break turned into a space;
#   text30  ~30 MB of text: the two seeds one after the other, repeated;
#   news50  a ~50 MB news page in the shape of seed 000: its items repeated, each copy with its
#           dates moved (day and year varied) so that no two copies are the same;
#   html20  the same news page as ~20 MB of HTML served by a CMS: a cookie banner, navigation and
#           a footer around a <main> whose paragraphs are the page's lines.
# Prints one line per input: size, wall and CPU seconds, MB/s, peak RSS, records found, grep's
# MB/s and the ratio octopus/grep (how many times slower than reading the file once).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/src/octopus}"
WORK="${WORK:-/tmp/octopus-ingest-bench}"
read -r S_LINE S_TEXT S_NEWS S_HTML <<<"${SIZES:-10 30 50 20}"

[[ -x "$BIN" ]] || { echo "ingest_bench: no octopus binary at $BIN (build it first)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "ingest_bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "ingest_bench: python3 is needed" >&2; exit 1; }
mkdir -p "$WORK"

python3 - "$ROOT/data/seeds" "$WORK" "$S_LINE" "$S_TEXT" "$S_NEWS" "$S_HTML" <<'EOF'
import glob, os, re, sys
seeds, work = sys.argv[1], sys.argv[2]
mb = [int(x) * 1_000_000 for x in sys.argv[3:7]]
files = sorted(glob.glob(os.path.join(seeds, "*.txt")))
texts = [open(f, encoding="utf-8").read() for f in files]
news = open(glob.glob(os.path.join(seeds, "000_*.txt"))[0], encoding="utf-8").read()

def write(name, size, chunk_of):
    path = os.path.join(work, name)
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return
    with open(path, "w", encoding="utf-8") as out:
        written, k = 0, 0
        while written < size:
            chunk = chunk_of(k)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
            k += 1

one_line = " ".join(" ".join(t.split("\n")) for t in texts)
def line_chunk(k):
    return one_line + " "
write("line10.txt", mb[0], line_chunk)

both = "\n".join(texts) + "\n"
write("text30.txt", mb[1], lambda k: both)

months = "January|February|March|April|May|June|July|August|September|October|November|December"
date = re.compile(r"\b(\d{1,2})(st|nd|rd|th)? (" + months + r") (\d{4})\b")
head, _, body = news.partition("\n\n")
def news_chunk(k):
    def move(m):
        day = (int(m.group(1)) + k) % 28 + 1
        year = 1990 + (int(m.group(4)) + k) % 36
        return f"{day} {m.group(3)} {year}"
    return ("" if k else head + "\n\n") + date.sub(move, body) + "\n\n"
write("news50.txt", mb[2], news_chunk)

import html
page_head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body>'
             '<div class="cookie-banner"><p>This site uses cookies.</p></div>'
             '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav><main>')
def html_chunk(k):
    paragraphs = "".join("<p>" + html.escape(line) + "</p>\n" for line in news_chunk(k).split("\n") if line.strip())
    return (page_head if k == 0 else "") + paragraphs
path = os.path.join(work, "html20.html")
if not (os.path.exists(path) and os.path.getsize(path) >= mb[3]):
    write("html20.body", mb[3], html_chunk)
    with open(os.path.join(work, "html20.body"), encoding="utf-8") as body, open(path, "w", encoding="utf-8") as out:
        out.write(body.read())
        out.write('</main><footer id="footer"><p>Council of Europe</p></footer></body></html>\n')
    os.remove(os.path.join(work, "html20.body"))
EOF

db="$WORK/bench.db"
rm -f "$db"
# Wall-clock time suffers when other work shares the machine; CPU time (user + system) is what
# the work costs, so both are shown and MB/s and the ratio to grep are computed from CPU time.
printf "%-8s %7s %8s %8s %9s %8s %8s %9s %8s\n" input MB wall_s cpu_s MB/s peak_MB records grep_MB/s ratio
for f in "$WORK/line10.txt" "$WORK/text30.txt" "$WORK/news50.txt" "$WORK/html20.html"; do
  name=$(basename "${f%.*}")
  bytes=$(stat -c %s "$f")
  out="$WORK/$name.json"
  /usr/bin/time -v -o "$WORK/$name.time" "$BIN" --db "$db" ingest --dry-run --report json "$f" >"$out"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  user=$(sed -n 's/.*User time (seconds): //p' "$WORK/$name.time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
  records=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["records"]))' "$out")
  # The floor: one pass over the same bytes, warm cache, best of three (CPU time).
  gcpu=$(for _ in 1 2 3; do
           /usr/bin/time -f "%U %S" grep -c "Convention" "$f" 2>&1 >/dev/null | awk '{ print $1 + $2 }'
         done | sort -n | head -1)
  awk -v n="$name" -v b="$bytes" -v w="$wall" -v u="$user" -v sy="$sys" -v r="$rss" -v rec="$records" \
      -v g="$gcpu" 'BEGIN {
    mb = b / 1e6; c = u + sy; if (c < 0.01) c = 0.01; if (g < 0.01) g = 0.01;
    printf "%-8s %7.1f %8.2f %8.2f %9.1f %8.0f %8d %9.0f %8.1f\n", n, mb, w, c, mb / c, r / 1024, rec, mb / g, c / g }'
done
