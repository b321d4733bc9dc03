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
# output directory, after `sync`, so writeback from the previous run does not leak in;
# removed trees are moved aside and deleted only when the script exits (see TRASH below).
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

# Nothing is deleted while the script measures: trees it replaces (outputs, corpora) are
# moved into $TRASH and deleted when it exits. On ext4 without a journal, every new file
# skips the inodes freed in the last minutes (60 s, 360 s once their block is written
# again), which made clean runs right after a deletion 2x slower and made them swing
# (bench/README.md, "The disk"). For the same reason a run waits until SETTLE seconds
# (default 370) have passed since the last one deleted its trash.
TRASH="$DIR/.trash"
SETTLE="${SETTLE:-370}"
discard() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || continue
    mkdir -p "$TRASH"
    mv "$p" "$TRASH/$(date +%s%N)-$(basename "$p")"
  done
}
empty_trash() {
  if [ -d "$TRASH" ]; then
    rm -rf "$TRASH"
    date +%s >"$DIR/.deleted"
  fi
}
empty_trash
trap empty_trash EXIT
if [ -f "$DIR/.deleted" ]; then
  ago=$(( $(date +%s) - $(cat "$DIR/.deleted") ))
  if [ "$ago" -lt "$SETTLE" ]; then
    log "waiting $((SETTLE - ago)) s: the last run deleted its files ${ago} s ago (see bench/README.md, \"The disk\")"
    sleep $((SETTLE - ago))
  fi
fi

# gen N: writes $DIR/corpus-N (and $DIR/hugo-N with --hugo), the previous ones discarded.
gen() {
  local n="$1"; shift
  log "generating $n entries"
  discard "$DIR/corpus-$n"
  [ "${1:-}" = --hugo ] && discard "$2"
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

# measure NAME OUT CMD...: one clean run (with REUSE=1: into the existing OUT); appends
# "wall cpu rss_kb" to $DIR/NAME.times.
measure() {
  local name="$1" out="$2"; shift 2
  [ "${REUSE:-0}" -eq 1 ] || discard "$out"
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

# The corpus's site.yaml has a placeholder base_url, which a production build warns about;
# a published site has its own, so every annals build is given one.
BASE_URL=https://reforms.test/

# median NAME COL: the median of column COL (1 wall, 2 cpu, 3 rss) of NAME's runs.
median() {
  awk -v c="$2" '{print $c}' "$DIR/$1.times" | sort -g |
    awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'
}

# run_annals N / run_hugo N: one measured build of the N-entry corpus.
run_annals() {
  # A clean build: no output and no cache (documents, search terms, page keys).
  rm -rf "$DIR/corpus-$1/.annals-cache"
  measure "annals-$1" "$DIR/out-annals-$1" \
    "$BIN" build --base-url "$BASE_URL" --root "$DIR/corpus-$1" --output "$DIR/out-annals-$1"
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

cleanup_out() { [ "$KEEP" -eq 1 ] || discard "$DIR"/out-*-"$1"; }

# floor OUT: the physical floor of a clean build, "seconds files": creating files of OUT's
# sizes in a fresh directory (one Python loop) after `sync`, as the clean runs do.
floor() {
  local dst="$DIR/floor"
  discard "$dst"
  sync
  python3 - "$1" "$dst" <<'PY'
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
files = []
for d, _, names in os.walk(src):
    for n in names:
        p = os.path.join(d, n)
        files.append((os.path.relpath(p, src), os.path.getsize(p)))
blob = b"x" * max(s for _, s in files)
t0 = time.monotonic()
made = set()
for rel, size in files:
    parent = os.path.dirname(os.path.join(dst, rel))
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    with open(os.path.join(dst, rel), "wb") as f:
        f.write(blob[:size])
print(f"{time.monotonic() - t0:.3f} {len(files)}")
PY
  discard "$dst"
}

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

# --- rebuilds at 10k, alternating with Hugo rebuilding into its own existing output ---------
# Both outputs exist (the last clean runs above). annals: a no-op rebuild, then one edited
# entry per run (a sentence appended to a different entry each time). The files annals says
# it wrote are checked against the files whose modification time changed ("listed").
rm -f "$DIR"/annals-noop.times "$DIR"/annals-edit.times "$DIR"/hugo-rebuild.times "$DIR"/edit.counts
mapfile -t ENTRY_FILES < <(cd "$DIR/corpus-$N/content/entries" && ls -1 -- *.md | sort)
sleep 2 # past the cache's racy window for the generated corpus
REUSE=1 measure annals-prime "$DIR/out-annals-$N" \
  "$BIN" build --base-url "$BASE_URL" --root "$DIR/corpus-$N" --output "$DIR/out-annals-$N"
written() { sed -n 's/.*(\([0-9]*\) files\{0,1\} written.*/\1/p' "$1"; }
for r in $(seq "$RUNS"); do
  log "10k rebuild run $r/$RUNS: annals, nothing changed"
  REUSE=1 measure annals-noop "$DIR/out-annals-$N" \
    "$BIN" build --base-url "$BASE_URL" --root "$DIR/corpus-$N" --output "$DIR/out-annals-$N"
  W=$(written "$DIR/annals-noop.log")
  [ "$W" = 0 ] || { echo "error: a no-op rebuild wrote $W files" >&2; cat "$DIR/annals-noop.log" >&2; exit 1; }
  log "10k rebuild run $r/$RUNS: hugo"
  REUSE=1 measure hugo-rebuild "$DIR/out-hugo-$N" \
    hugo --quiet --source "$DIR/hugo-$N" --destination "$DIR/out-hugo-$N"
  log "10k rebuild run $r/$RUNS: annals, one entry edited"
  F="$DIR/corpus-$N/content/entries/${ENTRY_FILES[$((r * 97 % ${#ENTRY_FILES[@]}))]}"
  printf '\nOne more sentence, added by the benchmark (run %s).\n' "$r" >>"$F"
  touch "$DIR/edit.stamp"
  sleep 0.05
  REUSE=1 measure annals-edit "$DIR/out-annals-$N" \
    "$BIN" build --base-url "$BASE_URL" --root "$DIR/corpus-$N" --output "$DIR/out-annals-$N"
  LISTED=$(find "$DIR/out-annals-$N" -type f -newer "$DIR/edit.stamp" ! -name .annals-output | wc -l)
  echo "$(written "$DIR/annals-edit.log") $LISTED" >>"$DIR/edit.counts"
done

FLOOR=$(floor "$DIR/out-annals-$N")
cleanup_out "$N"

# --- check with a broken link in each of 8,000 entries (scripts/bench_errors.sh) ---------
log "check with broken links (scripts/bench_errors.sh)"
BENCH_TRASH="$TRASH" scripts/bench_errors.sh --runs "$RUNS" --dir "$DIR/errors" --corpus "$DIR/corpus-$N" --bin "$BIN" >"$DIR/errors.log"

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
  if [ "$n" -eq 100000 ]; then
    log "100k floor: creating the output's files"
    FLOOR100=$(floor "$DIR/out-annals-$n")
  fi
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
NW=$(median annals-noop 1); HRW=$(median hugo-rebuild 1); EW=$(median annals-edit 1)
NC=$(median annals-noop 2); HRC=$(median hugo-rebuild 2); EC=$(median annals-edit 2)
EWR=$(awk '{print $1}' "$DIR/edit.counts" | sort -g | tr '\n' '/' | sed 's:/$::')
ELS=$(awk '{print $2}' "$DIR/edit.counts" | sort -g | tr '\n' '/' | sed 's:/$::')
FW=$(echo "$FLOOR" | awk '{print $1}'); FN=$(echo "$FLOOR" | awk '{print $2}')
CHK=$(sort -g "$DIR/errors/broken-8000.times" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
pf() { awk -v x="$1" -v lim="$2" 'BEGIN {print (x <= lim) ? "pass" : "**fail**"}'; }
echo
echo "**Targets of issue 14** (10k corpus unless said; rebuilds alternate with Hugo rebuilding into its own existing output, Hugo rebuild $(f2 "$HRW") s)"
echo
echo "| Measure | annals | Target | |"
echo "|---|---:|---|:---:|"
echo "| no-op rebuild | $(f2 "$NW") s ($(ratio "$NW" "$HRW")× Hugo; CPU $(ratio "$NC" "$HRC")×), 0 files written | ≤ 0.1× Hugo, 0 files | $(pf "$(ratio "$NW" "$HRW")" 0.1) |"
echo "| one edited entry | $(f2 "$EW") s ($(ratio "$EW" "$HRW")× Hugo; CPU $(ratio "$EC" "$HRC")×), $EWR files written ($ELS listed changed on disk) | ≤ 0.1× Hugo, only changed files | $(pf "$(ratio "$EW" "$HRW")" 0.1) |"
echo "| clean build wall | $(f2 "$AW") s ($(ratio "$AW" "$HW")× Hugo's $(f2 "$HW") s); floor: $FN files created in $(f2 "$FW") s | ≤ 0.25× Hugo | $(pf "$(ratio "$AW" "$HW")" 0.25) |"
echo "| clean build peak RSS | $(mb "$AR") MB ($(ratio "$AR" "$HR")× Hugo's $(mb "$HR") MB) | ≤ 0.15× Hugo | $(pf "$(ratio "$AR" "$HR")" 0.15) |"
W20=$(median annals-20000 1); BASE_W=$(median annals-2000 1)
P=$(awk -v w="$W20" -v b="$BASE_W" 'BEGIN {printf "%.2f", (w/20000)/(b/2000)}')
echo "| per-entry time, 20k vs 2k | ${P}× | ≤ 1.3× | $(pf "$P" 1.3) |"
if [ "$QUICK" -eq 0 ]; then
  W100=$(median annals-100000 1); R100=$(median annals-100000 3)
  F100W=$(echo "$FLOOR100" | awk '{print $1}'); F100N=$(echo "$FLOOR100" | awk '{print $2}')
  echo "| 100k clean build | $(f2 "$W100") s, $(mb "$R100") MB; floor: $F100N files created in $(f2 "$F100W") s | < 15 s, < 1 GB | $(pf "$W100" 14.999)/$(pf "$R100" 1048575) |"
else
  echo "| 100k clean build | skipped (--quick) | < 15 s, < 1 GB | |"
fi
echo "| \`check\`, a broken link in each of 8,000 entries | $(f2 "$CHK") s | < 5 s | $(pf "$CHK" 4.999) |"
