#!/usr/bin/env bash
# Compares annals binaries on one corpus, in alternating runs, so that a change of the
# machine's speed during the comparison falls on every binary alike.
#
#   scripts/ab.sh [--runs N] [--mode clean|edit] --corpus DIR --out DIR BIN...
#
#   --runs N      timed runs per binary (default 5); the median and minimum are printed
#   --mode clean  each run builds without output and without cache (the default)
#   --mode edit   each run follows one untimed build of an edit, then times the build of a
#                 second edit of the same entry (the first entry in sorted order): the
#                 one-edit rebuild of scripts/bench.sh, with the binary's own caches
#   --corpus DIR  a site, e.g. from `cargo run --release --example gen_corpus -- --entries
#                 10000 --out /dev/shm/c10k` (edit mode appends lines to one of its entries)
#   --out DIR     where the builds go (replaced)
#
# Use a folder on tmpfs (/dev/shm) for both: on a disk, deletions slow the next minutes'
# file creation (bench/README.md, "The disk"), and this script deletes between runs.
# Prints one line per binary: "path: median W s min W s cpu C s peak M MB [each wall]".
set -euo pipefail
export LC_ALL=C

RUNS=5
MODE=clean
CORPUS=""
OUT=""
BINS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --mode) MODE="$2"; shift ;;
    --corpus) CORPUS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) BINS+=("$(realpath "$1")") ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "--runs needs a positive number" >&2; exit 2 ;; esac
case "$MODE" in clean|edit) ;; *) echo "--mode is clean or edit" >&2; exit 2 ;; esac
if [ -z "$CORPUS" ] || [ -z "$OUT" ] || [ "${#BINS[@]}" -eq 0 ]; then
  echo "usage: scripts/ab.sh [--runs N] [--mode clean|edit] --corpus DIR --out DIR BIN..." >&2
  exit 2
fi
[ -f "$CORPUS/site.yaml" ] || { echo "$CORPUS has no site.yaml" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
CORPUS="$(realpath "$CORPUS")"
OUT="$(realpath -m "$OUT")"
ENTRY="$(find "$CORPUS/content/entries" -name '*.md' | sort | awk 'NR == 1')"
TIMES="$(mktemp)"
trap 'rm -f "$TIMES" "$TIMES.one"' EXIT

# What every build is given (a published site has a base URL of its own).
ARGS=(build -q --base-url https://reforms.test/ --root "$CORPUS" --output "$OUT")

# One untimed build per binary first: the disk cache holds the corpus for all alike.
for b in "${BINS[@]}"; do
  rm -rf "$OUT" "$CORPUS/.annals-cache"
  "$b" "${ARGS[@]}"
done
for r in $(seq "$RUNS"); do
  for b in "${BINS[@]}"; do
    if [ "$MODE" = clean ]; then
      rm -rf "$OUT" "$CORPUS/.annals-cache"
    else
      # The build of the first edit brings the output and the caches to this binary's.
      printf '\nEdited (%s, run %s).\n' "$(basename "$b")" "$r" >>"$ENTRY"
      "$b" "${ARGS[@]}"
      printf '\nEdited again (run %s).\n' "$r" >>"$ENTRY"
    fi
    /usr/bin/time -f "%e %U %S %M" -o "$TIMES.one" "$b" "${ARGS[@]}"
    echo "$b $(cat "$TIMES.one")" >>"$TIMES"
  done
done
python3 - "$TIMES" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, user, system, rss = line.split()
    runs[name].append((float(wall), float(user) + float(system), int(rss)))
for name, v in runs.items():
    walls = sorted(w for w, _, _ in v)
    print(f"{name}: median {statistics.median(walls):.3f} s min {walls[0]:.3f} s "
          f"cpu {statistics.mean(c for _, c, _ in v):.2f} s peak {max(r for _, _, r in v) // 1024} MB "
          f"{walls}")
PY
