#!/usr/bin/env python3
"""Search at scale: Octopus's /api/v1/search against naive SQLite FTS5 and Xapian
over the same items, in the same run. Driven by bench/search_bench.sh.

usage: bench/search_bench.py CORPUS_DIR OCTOPUS_URL WORK_DIR [--rounds R]

CORPUS_DIR is a bench/make_news_corpus.py output; OCTOPUS_URL a running
`octopus serve` over a database ingested from it. The anchors are built in
WORK_DIR (reused when present) from the corpus's items:
  fts5    a table of items and an FTS5 index of title and body (the title
          weighing five times the body, as Octopus's): total by count(*),
          top 20 by `ORDER BY bm25`, a year facet by GROUP BY;
  xapian  the same text (title terms with five times the weight), BM25, the
          top 20 by get_mset and the year facet by a ValueCountMatchSpy (which
          counts the documents Xapian looked at: sampled, not exact).
Rounds are interleaved (each query against each engine in turn, then the
next round) and each query's median is taken; p50 and p90 are over the
queries' medians. Prints one line per measure: Octopus, anchor, ratio.
"""
import argparse
import http.client
import json
import os
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse

MONTHS = {m: i + 1 for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"])}
HEAD = re.compile(r"^(.*) \((\d{1,2}) (\w+) (\d{4}), [^)]*\)$")


def items(corpus):
    """(title, body, YYYYMMDD) for each item of the corpus's pages."""
    manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    for name in manifest["files"]:
        paras = open(os.path.join(corpus, name), encoding="utf-8").read().split("\n\n")
        for i in range(len(paras) - 1):
            m = HEAD.match(paras[i].strip())
            if not m or not paras[i + 1].startswith("["):
                continue
            body = paras[i + 1].split("] ", 1)[1].strip()
            day = int(m.group(4)) * 10000 + MONTHS[m.group(3)] * 100 + int(m.group(2))
            yield m.group(1), body, day


def build_fts5(corpus, path):
    if os.path.exists(path):
        return None
    t0 = time.monotonic()
    db = sqlite3.connect(path + ".tmp")
    db.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, body TEXT, year INTEGER, day INTEGER);"
        "CREATE VIRTUAL TABLE items_text USING fts5(title, body, content='items', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2');"
        "CREATE INDEX items_by_year ON items (year);")
    with db:
        for title, body, day in items(corpus):
            cur = db.execute("INSERT INTO items (title, body, year, day) VALUES (?, ?, ?, ?)",
                             (title, body, day // 10000, day))
            db.execute("INSERT INTO items_text (rowid, title, body) VALUES (?, ?, ?)",
                       (cur.lastrowid, title, body))
    db.close()
    os.rename(path + ".tmp", path)
    for ext in ("-wal", "-shm"):
        if os.path.exists(path + ".tmp" + ext):
            os.remove(path + ".tmp" + ext)
    return time.monotonic() - t0


def build_xapian(xapian, corpus, path):
    if os.path.exists(path):
        return None
    t0 = time.monotonic()
    db = xapian.WritableDatabase(path + ".tmp", xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("none"))
    for title, body, day in items(corpus):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(title, 5)
        tg.increase_termpos()
        tg.index_text(body)
        doc.add_boolean_term("Y%d" % (day // 10000))
        doc.add_value(0, str(day // 10000))
        doc.add_value(1, "%08d" % day)
        db.add_document(doc)
    db.commit()
    db.close()
    os.rename(path + ".tmp", path)
    return time.monotonic() - t0


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def queries(manifest):
    tail = manifest.get("tail_words", {})
    q = [
        {"q": "cybercrime"}, {"q": "convention"}, {"q": "council europe"}, {"q": "project"},
        {"q": "workshop"}, {"q": "training"}, {"q": "evidence"}, {"q": "cooperation"},
        {"q": '"electronic evidence"'}, {"q": '"law enforcement"'}, {"q": '"Budapest Convention"'},
        {"q": "cyber*"}, {"q": "prosecut*"}, {"q": "legislation"}, {"q": "judges prosecutors"},
        {"q": "data protection"},
        {"q": "cybercrime", "year": "2015"},
        # /api/v1/search takes no day window: /api/v1/activities does (the
        # activities read from the items), the anchors the items themselves.
        {"_path": "/api/v1/activities", "from": "2015-01-01", "to": "2015-06-30",
         "_name": "date window (activities)"},
        {"q": "zebra", "_name": "rare word"},
        {"q": "velvet quantum", "_name": "zero hit"},
    ]
    for rank in ("0", "50", "2000"):
        if rank in tail:
            q.append({"q": tail[rank], "_name": "tail word %s" % rank})
    return q


def fts5_match(text):
    out = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        if m.group(1) is not None:
            out.append('"%s"' % m.group(1))
        elif m.group(2).endswith("*"):
            out.append('"%s"*' % m.group(2)[:-1])
        else:
            out.append('"%s"' % m.group(2))
    return " ".join(out)


def run_fts5(db, q):
    if "q" not in q:
        lo, hi = int(q["from"].replace("-", "")), int(q["to"].replace("-", ""))
        where = "FROM items i WHERE i.day BETWEEN ? AND ?"
        total = db.execute("SELECT count(*) " + where, (lo, hi)).fetchone()[0]
        top = db.execute("SELECT i.id, i.title " + where + " ORDER BY i.day DESC, i.id LIMIT 20",
                         (lo, hi)).fetchall()
        facet = db.execute("SELECT i.year, count(*) " + where + " GROUP BY i.year", (lo, hi)).fetchall()
        return total, len(top), facet
    match = fts5_match(q["q"])
    where, params = "items_text MATCH ?", [match]
    extra = ""
    if "year" in q:
        extra += " AND i.year = ?"
        params.append(int(q["year"]))
    if "from" in q:
        extra += " AND i.day BETWEEN ? AND ?"
        params += [int(q["from"].replace("-", "")), int(q["to"].replace("-", ""))]
    join = "FROM items_text JOIN items i ON i.id = items_text.rowid WHERE " + where + extra
    total = db.execute("SELECT count(*) " + join, params).fetchone()[0]
    top = db.execute("SELECT i.id, i.title " + join +
                     " ORDER BY bm25(items_text, 5.0, 1.0) LIMIT 20", params).fetchall()
    facet = db.execute("SELECT i.year, count(*) " + join + " GROUP BY i.year", params).fetchall()
    return total, len(top), facet


def run_xapian(xapian, db, q):
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_AND)
    if "q" in q:
        query = qp.parse_query(q["q"], xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_WILDCARD)
    else:
        query = xapian.Query.MatchAll
    if "year" in q:
        query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query("Y" + q["year"]))
    if "from" in q:
        query = xapian.Query(xapian.Query.OP_FILTER, query,
                             xapian.Query(xapian.Query.OP_VALUE_RANGE, 1, q["from"].replace("-", ""),
                                          q["to"].replace("-", "")))
    enquire = xapian.Enquire(db)
    enquire.set_query(query)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    spy = xapian.ValueCountMatchSpy(0)
    enquire.add_matchspy(spy)
    mset = enquire.get_mset(0, 20)
    facet = [(item.term, item.termfreq) for item in spy.values()]
    return mset.get_matches_estimated(), mset.size(), facet


class Octopus:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        self.n = 0

    def get(self, params):
        # A new URL each time, never the page cache: trailing spaces on the
        # words (which the query reader drops), or the window's last day
        # moved back a day in each round.
        self.n += 1
        p = {k: v for k, v in params.items() if not k.startswith("_")}
        p["per_page"] = "20"
        if "q" in p:
            p["q"] += " " * self.n
        path = params.get("_path", "/api/v1/search") + "?" + urllib.parse.urlencode(p)
        for attempt in range(2):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
                if attempt:
                    raise
        if r.status != 200:
            sys.exit("search_bench: %s gave %d: %s" % (path, r.status, body[:300]))
        j = json.loads(body)
        return j.get("total"), len(j.get("results", j.get("hits", []))), None


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - t0) * 1000.0, out


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def line(measure, octo, anchor_name, anchor, unit="ms"):
    ratio = octo / anchor if anchor else float("inf")
    print("%-44s octopus %10.2f %s   %-7s %10.2f %s   ratio %8.2f" %
          (measure, octo, unit, anchor_name, anchor, unit, ratio), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("url")
    ap.add_argument("work")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--octopus-db", default="")
    ap.add_argument("--octopus-build-s", type=float, default=0.0)
    a = ap.parse_args()
    manifest = json.load(open(os.path.join(a.corpus, "manifest.json")))
    os.makedirs(a.work, exist_ok=True)
    fts_path = os.path.join(a.work, "naive_fts5.db")
    fts_build = build_fts5(a.corpus, fts_path)
    try:
        import xapian
    except ImportError:
        xapian = None
        print("search_bench: no Xapian for Python; for the Xapian anchor: "
              "apt-get install python3-xapian", file=sys.stderr)
    xap_path = os.path.join(a.work, "xapian")
    xap_build = build_xapian(xapian, a.corpus, xap_path) if xapian else None
    fts = sqlite3.connect(fts_path)
    xdb = xapian.Database(xap_path) if xapian else None
    octo = Octopus(a.url)

    qs = queries(manifest)
    names = [q.get("_name") or " ".join("%s=%s" % (k, v) for k, v in q.items()) for q in qs]
    times = {e: [[] for _ in qs] for e in ("octopus", "fts5", "xapian")}
    answers = {}
    for r in range(a.rounds):
        for i, q in enumerate(qs):
            if "_path" in q:
                q = dict(q, to="2015-06-%02d" % (30 - r % 20))
            t, out = timed(octo.get, q)
            times["octopus"][i].append(t)
            answers.setdefault(("octopus", i), out)
            t, out = timed(run_fts5, fts, q)
            times["fts5"][i].append(t)
            answers.setdefault(("fts5", i), out)
            if xdb is not None:
                t, out = timed(run_xapian, xapian, xdb, q)
                times["xapian"][i].append(t)
                answers.setdefault(("xapian", i), out)
    med = {e: [statistics.median(v) if v else float("nan") for v in times[e]] for e in times}
    print("# %d items, %d queries, %d rounds (medians per query, ms)" %
          (manifest["items"], len(qs), a.rounds))
    for i, n in enumerate(names):
        o_total = answers[("octopus", i)][0]
        f_total = answers[("fts5", i)][0]
        x = ("   xapian %8.2f (est. %s)" % (med["xapian"][i], answers[("xapian", i)][0])
             if xdb is not None else "")
        print("  %-44s octopus %8.2f (total %s)   fts5 %8.2f (total %s)%s" %
              (n[:44], med["octopus"][i], o_total, med["fts5"][i], f_total, x))
    for p, label in ((0.5, "p50"), (0.9, "p90")):
        line("/api/v1/search, %d queries, %s" % (len(qs), label), pct(med["octopus"], p), "fts5",
             pct(med["fts5"], p))
        if xdb is not None:
            line("/api/v1/search, %d queries, %s" % (len(qs), label), pct(med["octopus"], p), "xapian",
                 pct(med["xapian"], p))
    for i, n in enumerate(names):
        if n in ("rare word", "zero hit"):
            line("%s (%s hits)" % (n, answers[("fts5", i)][0]), med["octopus"][i], "fts5", med["fts5"][i])
            if xdb is not None:
                line("%s" % n, med["octopus"][i], "xapian", med["xapian"][i])
    if fts_build is not None and a.octopus_build_s:
        line("index build (ingest + first search)", a.octopus_build_s, "fts5", fts_build, "s")
    elif a.octopus_build_s:
        print("index build: octopus %.1f s (the FTS5 anchor was built in an earlier run; "
              "remove %s to time it again)" % (a.octopus_build_s, fts_path))
    if xap_build is not None:
        print("xapian index build %.1f s" % xap_build)
    if a.octopus_db:
        line("database size", dir_size(a.octopus_db) / 1e6, "fts5", dir_size(fts_path) / 1e6, "MB")


if __name__ == "__main__":
    main()
