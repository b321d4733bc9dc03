#!/usr/bin/env python3
"""How many bytes a one-word search downloads, following the steps of static/annals.js.

    scripts/search_budget.py SITE_DIR WORD [WORD ...]

SITE_DIR is a built site (e.g. one built from `cargo run --release --example gen_corpus`).
For each word it counts search/index.json, the term shard, and the result chunks of the
first page of results (20), and prints a Markdown table. The budget (issue 8) is 300 KB.
"""
import json
import os
import sys
import unicodedata

PAGE = 20


def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    site, words = sys.argv[1], sys.argv[2:]
    path = lambda rel: os.path.join(site, "search", rel)
    index_bytes = os.path.getsize(path("index.json"))
    index = json.load(open(path("index.json")))
    print("| query | results | shard | result chunks | total |")
    print("|---|---:|---:|---:|---:|")
    worst = 0
    for word in words:
        term = word.lower().replace("ё", "е")
        shard_rel = "t/%d.json" % (fnv1a("".join(list(term)[: index["key"]])) & (index["shards"] - 1))
        shard_bytes = os.path.getsize(path(shard_rel))
        shard = json.load(open(path(shard_rel)))
        ids = set()
        for t, deltas in shard.items():
            if t == term or (len(term) >= 3 and t.startswith(term)):
                i = 0
                for d in deltas:
                    i += d
                    ids.add(i)
        first = sorted(ids, reverse=True)[:PAGE]
        chunks = {i // index["chunk"] for i in first}
        chunk_bytes = sum(os.path.getsize(path("d/%d.json" % c)) for c in chunks)
        total = index_bytes + shard_bytes + chunk_bytes
        worst = max(worst, total)
        print("| %s | %d | %.1f KB | %.1f KB (%d) | %.1f KB |" % (word, len(ids), shard_bytes / 1024, chunk_bytes / 1024, len(chunks), total / 1024))
    print()
    print("largest: %.1f KB (budget 300 KB); facets add search/meta.json: %.1f KB" % (worst / 1024, os.path.getsize(path("meta.json")) / 1024))


if __name__ == "__main__":
    main()
