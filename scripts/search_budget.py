#!/usr/bin/env python3
"""How many bytes a search downloads, following the steps of static/annals.js.

    scripts/search_budget.py SITE_DIR QUERY [QUERY ...]

SITE_DIR is a built site (e.g. one built from `cargo run --release --example gen_corpus`).
A QUERY is one or more words ("death penalty" in quotes). For each it counts what the page
loads for the first page of results (20), ranked by relevance as annals.js ranks them:
search/index.json, the term shard of each word, search/meta.json (the facet counts are
drawn with every query, so it is always loaded) and the result chunks of the first page.
It prints a Markdown table. The budget (issue 8) is 300 KB for the whole query.
"""
import json
import math
import os
import re
import sys

PAGE = 20
STOP = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
        "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with", "и", "в", "на", "с", "по", "не",
        "что", "для"}


def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def words(text):
    out = []
    for w in re.split(r"[\W_]+", text):
        w = w.lower().replace("ё", "е")
        if len(w) >= 2 and w not in STOP:
            out.append(w)
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    site, queries = sys.argv[1], sys.argv[2:]
    path = lambda rel: os.path.join(site, "search", rel)
    size = lambda rel: os.path.getsize(path(rel))
    index = json.load(open(path("index.json")))
    pack, total = index["pack"], index["total"]
    print("| query | results | shards | meta | result chunks | total |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0
    for query in queries:
        lists, shard_files = [], set()
        for term in words(query):
            rel = "t/%d.json" % (fnv1a("".join(list(term)[: index["key"]])) & (index["shards"] - 1))
            shard_files.add(rel)
            docs = {}
            for t, postings in json.load(open(path(rel))).items():
                if t == term or (len(term) >= 3 and t.startswith(term)):
                    i = 0
                    for v in postings:
                        w = v % pack
                        i += v // pack
                        docs[i] = max(docs.get(i, 0), w)
            lists.append(docs)
        scores = {}
        if lists:
            for i in lists[0]:
                if all(i in d for d in lists):
                    scores[i] = sum(d[i] * math.log(1 + total / len(d)) for d in lists)
        first = sorted(scores, key=lambda i: (-scores[i], -i))[:PAGE]
        chunks = {i // index["chunk"] for i in first}
        shard_bytes = sum(size(s) for s in shard_files)
        chunk_bytes = sum(size("d/%d.json" % c) for c in chunks)
        total_bytes = size("index.json") + shard_bytes + size("meta.json") + chunk_bytes
        worst = max(worst, total_bytes)
        print("| %s | %d | %.1f KB | %.1f KB | %.1f KB (%d) | %.1f KB |" % (
            query, len(scores), shard_bytes / 1024, size("meta.json") / 1024, chunk_bytes / 1024, len(chunks),
            total_bytes / 1024))
    print()
    print("largest: %.1f KB (budget 300 KB)" % (worst / 1024))
    if worst > 300 * 1024:
        sys.exit(1)


if __name__ == "__main__":
    main()
