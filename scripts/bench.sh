#!/usr/bin/env bash
# Benchmarks annals: against Hugo at 10k entries, and alone at 2k, 20k and 100k entries.
#
#   scripts/bench.sh [--quick] [--runs N] [--dir DIR] [--bin PATH] [--gen PATH] [--keep]
#
#   --quick     skip the 100k-entry corpus
#   --runs N    timed runs per measurement (default 3; the median is reported)
#   --dir DIR   where corpora and outputs go (default /tmp/annals-bench; never the repo)
#   --bin PATH  use this annals binary instead of building target/release/annals
#   --gen PATH  use this gen_corpus binary instead of building the example
#               (with both, nothing is built: e.g. to measure a snapshot of the tree)
#   --keep      keep the generated sites after measuring (corpora are always kept)
#
# Corpora come from examples/gen_corpus.rs (deterministic). Every run starts from a removed
# output directory, after `sync`, so writeback from the previous run does not leak in.
# Wall time is measured around the command; CPU time (user+sys) and peak RSS come from
# /usr/bin/time -v. The tables at the end are Markdown, ready for the README.
# See bench/README.md for what is compared and why.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never LC_ALL=C

QUICK=0
RUNS=3
DIR=/tmp/annals-bench
BIN=""
GEN=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --runs) RUNS="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --bin) BIN="$(realpath "$2")"; shift ;;
    --gen) GEN="$(realpath "$2")"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "--runs needs a positive number" >&2; exit 2 ;; esac
DIR="$(realpath -m "$DIR")"
case "$DIR/" in
  "$(pwd)/target/"*) ;;
  "$(pwd)/"*) echo "refusing to put corpora inside the repository (use /tmp or target/)" >&2; exit 2 ;;
esac

log() { printf '>> %s\n' "$*" >&2; }

apt_install() {
  log "installing $* with apt-get"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
command -v hugo >/dev/null || apt_install hugo
[ -x /usr/bin/time ] || apt_install time

if [ -z "$BIN" ]; then
  log "building annals (release)"
  cargo build --release --quiet --bin annals
  BIN="$(pwd)/target/release/annals"
fi
if [ -z "$GEN" ]; then
  log "building gen_corpus (release)"
  cargo build --release --quiet --example gen_corpus
  GEN="$(pwd)/target/release/examples/gen_corpus"
fi
mkdir -p "$DIR"

# gen N: writes $DIR/corpus-N (and $DIR/hugo-N with --hugo).
gen() {
  local n="$1"; shift
  log "generating $n entries"
  "$GEN" --entries "$n" --out "$DIR/corpus-$n" "$@" >/dev/null
}

# The share of CPU time that was idle over the last second, in percent.
idle_percent() {
  local a b
  a=$(awk '/^cpu / {print $5+$6, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / {print $5+$6, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{d = $4 - $2; print (d > 0) ? int(100 * ($3 - $1) / d) : 100}'
}

# Waits (up to IDLE_WAIT seconds, default 300) until the machine is idle, so that other
# jobs (a compiler, a test suite) do not compete with the measured run. Warns if they do.
wait_idle() {
  local waited=0 idle
  while idle=$(idle_percent); [ "$idle" -lt 90 ]; do
    if [ "$waited" -ge "${IDLE_WAIT:-300}" ]; then
      log "warning: the machine is still busy (${idle}% idle); measuring anyway"
      BUSY_RUNS=$((BUSY_RUNS + 1))
      return
    fi
    [ "$waited" -gt 0 ] || log "waiting for the machine to be idle (${idle}% idle)"
    sleep 4
    waited=$((waited + 5))
  done
}
BUSY_RUNS=0

# measure NAME OUT CMD...: one clean run; appends "wall cpu rss_kb" to $DIR/NAME.times.
measure() {
  local name="$1" out="$2"; shift 2
  rm -rf "$out"
  sync
  wait_idle
  local t0 t1
  t0=$(date +%s.%N)
  if ! /usr/bin/time -v -o "$DIR/$name.time" "$@" >"$DIR/$name.log" 2>&1; then
    echo "error: $name failed; its output:" >&2
    cat "$DIR/$name.log" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  awk -v t0="$t0" -v t1="$t1" -F': ' '
    /User time/ {u=$2} /System time/ {s=$2} /Maximum resident set size/ {r=$2}
    END {printf "%.3f %.3f %d\n", t1-t0, u+s, r}' "$DIR/$name.time" >>"$DIR/$name.times"
}

# median NAME COL: the median of column COL (1 wall, 2 cpu, 3 rss) of NAME's runs.
median() {
  awk -v c="$2" '{print $c}' "$DIR/$1.times" | sort -g |
    awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'
}

# run_annals N / run_hugo N: one measured build of the N-entry corpus.
run_annals() {
  measure "annals-$1" "$DIR/out-annals-$1" \
    "$BIN" build --root "$DIR/corpus-$1" --output "$DIR/out-annals-$1"
  grep -q "^Built $1 entries" "$DIR/annals-$1.log" || {
    echo "error: annals did not build $1 entries:" >&2
    cat "$DIR/annals-$1.log" >&2
    exit 1
  }
}
run_hugo() {
  measure "hugo-$1" "$DIR/out-hugo-$1" \
    hugo --quiet --source "$DIR/hugo-$1" --destination "$DIR/out-hugo-$1"
}

# An output's size: "files, MB".
site_size() {
  printf '%s files, %s MB' "$(find "$1" -type f | wc -l)" "$(du -sm "$1" | cut -f1)"
}

cleanup_out() { [ "$KEEP" -eq 1 ] || rm -rf "$DIR"/out-*-"$1"; }

# --- annals vs Hugo at 10k -------------------------------------------------------------
N=10000
gen "$N" --hugo "$DIR/hugo-$N"
rm -f "$DIR"/annals-$N.times "$DIR"/hugo-$N.times
for r in $(seq "$RUNS"); do
  log "10k run $r/$RUNS: annals"
  run_annals "$N"
  log "10k run $r/$RUNS: hugo"
  run_hugo "$N"
done
ANNALS_SIZE=$(site_size "$DIR/out-annals-$N")
HUGO_SIZE=$(site_size "$DIR/out-hugo-$N")
# Parity: both sites must write the same paths, or the comparison is not like for like
# (annals gained an output the Hugo twin in scripts/hugo/ does not mirror yet, or the
# reverse).
# Known, documented differences: annals' search term shards vs the plain text Hugo writes.
PARITY_IGNORE='^\./(\.annals-output|search/t/[0-9]+\.json|search/text\.json)$'
PARITY=$(diff <(cd "$DIR/out-annals-$N" && find . -type f | grep -Ev "$PARITY_IGNORE" | sort) \
              <(cd "$DIR/out-hugo-$N" && find . -type f | grep -Ev "$PARITY_IGNORE" | sort) || true)
if [ -n "$PARITY" ]; then
  echo "warning: annals and Hugo wrote different files (< annals only, > Hugo only):" >&2
  echo "$PARITY" | grep '^[<>]' | sed -n '1,20p' >&2
fi
cleanup_out "$N"

# --- annals alone at 2k, 20k (and 100k) --------------------------------------------------
SIZES="2000 20000"
[ "$QUICK" -eq 1 ] || SIZES="$SIZES 100000"
for n in $SIZES; do
  gen "$n"
  rm -f "$DIR/annals-$n.times"
  for r in $(seq "$RUNS"); do
    log "$n run $r/$RUNS: annals"
    run_annals "$n"
  done
  cleanup_out "$n"
done

# --- report ------------------------------------------------------------------------------
f2() { awk -v x="$1" 'BEGIN {printf "%.2f", x}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
us_per() { awk -v s="$1" -v n="$2" 'BEGIN {printf "%.0f", s/n*1e6}'; }
ok() { awk -v x="$1" -v lim="$2" 'BEGIN {print (x <= lim) ? "**yes**" : "**no**"}'; }
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

AW=$(median annals-$N 1); AC=$(median annals-$N 2); AR=$(median annals-$N 3)
HW=$(median hugo-$N 1); HC=$(median hugo-$N 2); HR=$(median hugo-$N 3)
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)
HUGO_V=$(hugo version | awk '{print $2}')

echo
echo "Machine: $CPU, $(nproc) cores, $MEM RAM; Hugo $HUGO_V (Debian); median of $RUNS runs, each into a removed output directory."
if [ "$BUSY_RUNS" -gt 0 ]; then
  echo
  echo "Warning: $BUSY_RUNS runs started while other jobs were using the CPU; wall times may be inflated."
fi
echo
echo "**annals vs Hugo, 10,000 entries**"
echo
echo "| | annals | Hugo | annals / Hugo |"
echo "|---|---:|---:|---:|"
echo "| Wall time | $(f2 "$AW") s | $(f2 "$HW") s | $(ratio "$AW" "$HW")× |"
echo "| CPU time (user+sys) | $(f2 "$AC") s | $(f2 "$HC") s | $(ratio "$AC" "$HC")× |"
echo "| Peak RSS | $(mb "$AR") MB | $(mb "$HR") MB | $(ratio "$AR" "$HR")× |"
echo "| Output | $ANNALS_SIZE | $HUGO_SIZE | |"
if [ -n "$PARITY" ]; then
  echo
  echo "Warning: the two outputs differ in $(echo "$PARITY" | grep -c '^[<>]' || true) paths; update scripts/hugo/ (see bench/README.md)."
fi
echo
echo "**annals at scale**"
echo
echo "| Entries | Wall time | Per entry | CPU time | Peak RSS | Per entry vs 2k |"
echo "|---:|---:|---:|---:|---:|---:|"
BASE_W=$(median annals-2000 1)
for n in 2000 10000 20000 100000; do
  [ -f "$DIR/annals-$n.times" ] || continue
  [ "$n" -ne 100000 ] || [ "$QUICK" -eq 0 ] || continue
  W=$(median "annals-$n" 1); C=$(median "annals-$n" 2); R=$(median "annals-$n" 3)
  REL=$(awk -v w="$W" -v n="$n" -v b="$BASE_W" 'BEGIN {printf "%.2f", (w/n)/(b/2000)}')
  printf '| %s | %s s | %s µs | %s s | %s MB | %s× |\n' \
    "$(thousands "$n")" "$(f2 "$W")" "$(us_per "$W" "$n")" "$(f2 "$C")" "$(mb "$R")" "$REL"
done
echo
echo "**Targets**"
echo
echo "| Target | Measured | Met |"
echo "|---|---:|:---:|"
echo "| 10k wall ≤ 0.5× Hugo | $(ratio "$AW" "$HW")× | $(ok "$(ratio "$AW" "$HW")" 0.5) |"
echo "| 10k peak RSS ≤ 0.5× Hugo | $(ratio "$AR" "$HR")× | $(ok "$(ratio "$AR" "$HR")" 0.5) |"
W20=$(median annals-20000 1)
P=$(awk -v w="$W20" -v b="$BASE_W" 'BEGIN {printf "%.2f", (w/20000)/(b/2000)}')
echo "| per-entry wall at 20k ≤ 1.3× at 2k | ${P}× | $(ok "$P" 1.3) |"
if [ "$QUICK" -eq 0 ]; then
  W100=$(median annals-100000 1); R100=$(median annals-100000 3)
  echo "| 100k wall < 60 s | $(f2 "$W100") s | $(ok "$W100" 59.999) |"
  echo "| 100k peak RSS < 2 GB | $(mb "$R100") MB | $(ok "$R100" 2097151) |"
else
  echo "| 100k wall < 60 s, RSS < 2 GB | skipped (--quick) | |"
fi
