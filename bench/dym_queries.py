#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unaccented queries with their accented originals, for bench/dym.

    bench/dym_queries.py [MANIFEST] [--count N] [--seed S] > queries.tsv

Cuts runs of 2 to 4 words at random out of the abstracts of a manifest
(default: the bundled sample, data/sample/documents.jsonl), keeps those
with a diacritic and no digit, drops repeats, and prints N of them (300)
as "<unaccented, lower case>\t<as written, lower case>".  Deterministic
for a given manifest and seed (7).  What a citizen typing without
accents would send; bench/dym counts how often "did you mean" gives the
original back.
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata


def unaccent(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest", nargs="?",
                    default=os.path.join(here, "..", "data", "sample", "documents.jsonl"))
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    runs = []
    try:
        f = open(a.manifest, encoding="utf-8")
    except OSError as e:
        sys.exit(f"dym_queries: {e}")
    with f:
        for n, line in enumerate(f, 1):
            try:
                doc = json.loads(line)
            except ValueError as e:
                sys.exit(f"dym_queries: {a.manifest}:{n}: not JSON: {e}")
            words = re.findall(r"\w+", unicodedata.normalize("NFC", doc.get("abstract") or ""))
            for _ in range(3):
                k = rnd.choice([2, 2, 3, 3, 4])
                if len(words) <= k:
                    break
                i = rnd.randrange(0, len(words) - k)
                run = words[i:i + k]
                if any(ch.isdigit() for w in run for ch in w):
                    continue
                p = " ".join(run).lower()
                if unaccent(p) != p:
                    runs.append(p)
    rnd.shuffle(runs)
    runs = list(dict.fromkeys(runs))[:a.count]
    for p in runs:
        print(f"{unaccent(p)}\t{p}")


if __name__ == "__main__":
    main()
