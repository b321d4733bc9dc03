#!/usr/bin/env bash
# Benchmarks `annals check` on a chronicle full of broken links: the error paths ("did you
# mean" suggestions, positions) must stay linear in the size of the chronicle.
#
#   scripts/bench_errors.sh [--runs N] [--dir DIR] [--corpus DIR] [--bin PATH]
#
#   --runs N      timed runs per measurement (default 3; the median is reported)
#   --dir DIR     where the copies go (default /tmp/annals-bench-errors; never the repo)
#   --corpus DIR  the clean corpus to copy (default /tmp/c10k; made with
#                 `cargo run --release --example gen_corpus -- --entries 10000 --out DIR`
#                 when missing). It is copied, never changed.
#   --bin PATH    use this annals binary instead of building target/release/annals
#
# Measures `check` on the clean copy, then on copies where the first 2,000 and 8,000
# entries (in file-name order) each get one more paragraph with a broken link, one of three
# kinds in turn: a file that is nowhere near any other (`missing-<i>.md`, no suggestion), a
# renamed folder (`../entry/<next>.md`, suggests `<next>.md`) and a misspelt name (the next
# entry's name without its first letter). Every broken-link diagnostic is counted, so a run
# that misses some fails. Wall time is measured around the command, after `sync`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never LC_ALL=C

RUNS=3
DIR=/tmp/annals-bench-errors
CORPUS=/tmp/c10k
BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --corpus) CORPUS="$2"; shift ;;
    --bin) BIN="$(realpath "$2")"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "--runs needs a positive number" >&2; exit 2 ;; esac
DIR="$(realpath -m "$DIR")"
CORPUS="$(realpath -m "$CORPUS")"
case "$DIR/" in
  "$(pwd)/target/"*) ;;
  "$(pwd)/"*) echo "refusing to put corpora inside the repository (use /tmp or target/)" >&2; exit 2 ;;
esac
[ "$DIR" != "$CORPUS" ] || { echo "--dir must not be the corpus itself" >&2; exit 2; }

log() { printf '>> %s\n' "$*" >&2; }

if [ -z "$BIN" ]; then
  log "building annals (release)"
  cargo build --release --quiet --bin annals
  BIN="$(pwd)/target/release/annals"
fi
if [ ! -f "$CORPUS/site.yaml" ]; then
  log "generating $CORPUS (10,000 entries)"
  cargo run --release --quiet --example gen_corpus -- --entries 10000 --out "$CORPUS" >/dev/null
fi
mkdir -p "$DIR"

# copy NAME: a fresh copy of the corpus at $DIR/NAME.
# Under scripts/bench.sh (BENCH_TRASH set), a previous copy is moved into its trash, not
# deleted: deleting 10,000 files slows the clean runs that follow (bench/README.md).
copy() {
  if [ -n "${BENCH_TRASH:-}" ] && [ -e "$DIR/$1" ]; then
    mkdir -p "$BENCH_TRASH"
    mv "$DIR/$1" "$BENCH_TRASH/$(date +%s%N)-$1"
  else
    rm -rf "${DIR:?}/$1"
  fi
  cp -R "$CORPUS" "$DIR/$1"
}

# break_links SITE N: appends one broken link to each of the first N entries of SITE.
break_links() {
  local site="$1" n="$2" i=0 file next stem link
  local -a files
  mapfile -t files < <(cd "$site/content/entries" && ls -1 -- *.md | sort)
  [ "${#files[@]}" -ge "$n" ] || { echo "error: the corpus has fewer than $n entries" >&2; exit 1; }
  for ((i = 0; i < n; i++)); do
    file="${files[$i]}"
    next="${files[$(((i + 1) % ${#files[@]}))]}"
    stem="${next%.md}"
    case $((i % 3)) in
      0) link="missing-$i.md" ;;
      1) link="../entry/$next" ;;
      2) link="${stem:1}.md" ;;
    esac
    printf '\nSee also [the text that moved](%s).\n' "$link" >>"$site/content/entries/$file"
  done
}

# measure NAME SITE WANT: RUNS timed `check` runs; WANT broken links must be reported.
# Appends each wall time to $DIR/NAME.times.
measure() {
  local name="$1" site="$2" want="$3" r t0 t1 got
  rm -f "$DIR/$name.times"
  for r in $(seq "$RUNS"); do
    log "$name run $r/$RUNS"
    sync
    t0=$(date +%s.%N)
    "$BIN" check --root "$site" --format json >"$DIR/$name.log" 2>&1 || true
    t1=$(date +%s.%N)
    got=$(grep -c '"code":"broken-link"' "$DIR/$name.log" || true)
    if [ "$got" -ne "$want" ]; then
      echo "error: $name reported $got broken links, expected $want; see $DIR/$name.log" >&2
      exit 1
    fi
    awk -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.3f\n", t1 - t0}' >>"$DIR/$name.times"
  done
}

median() {
  sort -g "$DIR/$1.times" |
    awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'
}

ENTRIES=$(find "$CORPUS/content/entries" -name '*.md' | wc -l)
log "copying $CORPUS ($ENTRIES entries)"
copy clean
measure clean "$DIR/clean" 0
for n in 2000 8000; do
  copy "broken-$n"
  break_links "$DIR/broken-$n" "$n"
  measure "broken-$n" "$DIR/broken-$n" "$n"
done

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo
echo "Machine: $CPU, $(nproc) cores; \`annals check\` on $ENTRIES entries, median of $RUNS runs."
echo
echo "| Broken links | Wall time |"
echo "|---:|---:|"
echo "| none | $(median clean) s |"
for n in 2000 8000; do
  echo "| $n (one each in $n entries) | $(median "broken-$n") s |"
done
