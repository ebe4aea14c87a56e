#!/usr/bin/env python3
"""A deterministic synthetic archive of the programme's news, for the search bench.

usage: bench/make_news_corpus.py N DIR [--files K] [--seeds DIR]

Writes K news pages (default: one per 5,000 items) holding N items in all, in
the shape of the seed news page (data/seeds/000_*.txt): a headline carrying
the date and place in parentheses, a blank line, then a paragraph that starts
"[D Month YYYY, Place]". Each paragraph recombines sentences of the seeds with
their dates moved, and adds words from a long tail of made-up words drawn
Zipf-like, so that some words are on most items and most words on few.

Known counts, for the bench's rare-word and zero-hit queries: the word
"zebra" is on exactly N // 2000 items (at least 1); "velvet" and "quantum"
are on none. Writes DIR/manifest.json with N, K, the files and those counts.
The same N and K give the same bytes.
"""
import argparse
import glob
import json
import os
import random
import re
import sys

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PLACES = ["Strasbourg", "Bucharest", "Tbilisi", "Kyiv", "Dakar", "Accra", "Manila", "Colombo",
          "Rabat", "Tunis", "Belgrade", "Chisinau", "Yerevan", "Baku", "Santo Domingo", "Lima",
          "San Jose", "Port Louis", "Abuja", "Nairobi"]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "gu", "fe", "ri",
             "mo", "zu", "bi", "ha", "ce", "no", "tu", "le", "xa", "wi", "jo"]
FORBIDDEN = {"zebra", "velvet", "quantum"}


def seed_sentences(seeds_dir):
    """The seeds' sentences (paragraph text split at full stops), dates left for moving."""
    out = []
    for path in sorted(glob.glob(os.path.join(seeds_dir, "*.txt"))):
        text = open(path, encoding="utf-8").read()
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.split())
            para = re.sub(r"^\[[^\]]*\]\s*", "", para)
            for s in re.split(r"(?<=[.!?])\s+", para):
                words = s.split()
                if 6 <= len(words) <= 60 and not any(w.lower().strip(".,;:()") in FORBIDDEN for w in words):
                    out.append(s)
    if not out:
        sys.exit("make_news_corpus: no sentences in the seeds at " + seeds_dir)
    return out


def long_tail(rng, size):
    words, seen = [], set()
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen and w not in FORBIDDEN:
            seen.add(w)
            words.append(w)
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=0)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seeds", default=os.path.join(here, "..", "data", "seeds"))
    a = ap.parse_args()
    n = a.n
    k = a.files or max(1, (n + 4999) // 5000)
    rng = random.Random(20261202)
    sentences = seed_sentences(a.seeds)
    tail = long_tail(rng, 50_000)
    # Zipf-like: word i drawn with weight 1 / (i + 1).
    weights, acc = [], 0.0
    for i in range(len(tail)):
        acc += 1.0 / (i + 1)
        weights.append(acc)
    zebra = max(1, n // 2000)
    zebra_every = n // zebra
    date_re = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
    os.makedirs(a.dir, exist_ok=True)
    files = []
    per_file = (n + k - 1) // k
    item = 0
    zebra_count = 0
    for f in range(k):
        path = os.path.join(a.dir, f"news_{f:04d}.txt")
        files.append(os.path.basename(path))
        with open(path, "w", encoding="utf-8") as out:
            out.write(f"Cybercrime programme news, page {f + 1}\n\n")
            for _ in range(per_file):
                if item >= n:
                    break
                year = 2006 + item % 19
                month = MONTHS[(item // 19) % 12]
                day = 1 + (item // 228) % 28
                place = PLACES[rng.randrange(len(PLACES))]
                when = f"{day} {month} {year}"
                body = []
                for _ in range(rng.randint(2, 4)):
                    s = sentences[rng.randrange(len(sentences))]
                    body.append(date_re.sub(lambda m: f"{m.group(1)} {m.group(2)} {year}", s))
                extra = rng.choices(tail, cum_weights=weights, k=rng.randint(4, 12))
                if item % zebra_every == zebra_every // 2 and zebra_count < zebra:
                    extra.insert(rng.randrange(len(extra) + 1), "zebra")
                    zebra_count += 1
                body.append("Also noted: " + " ".join(extra) + ".")
                head_words = sentences[rng.randrange(len(sentences))].split()[:8]
                headline = " ".join(head_words).rstrip(".,;:")
                out.write(f"{headline} ({when}, {place})\n\n")
                out.write(f"[{when}, {place}] " + " ".join(body) + "\n\n")
                item += 1
    # Words of the long tail by their rank: the most frequent, and rarer ones.
    manifest = {"items": n, "files": files, "zebra_items": zebra_count,
                "zero_hit_words": ["velvet", "quantum"],
                "tail_words": {str(r): tail[r] for r in (0, 50, 2000)}}
    with open(os.path.join(a.dir, "manifest.json"), "w", encoding="utf-8") as m:
        json.dump(manifest, m, indent=1)


if __name__ == "__main__":
    main()
