#!/usr/bin/env bash
# Measures `annals serve` on a generated chronicle: the time from saving one entry to its
# rebuilt page being served, and the server's memory (RSS) over many successive edits.
#
#   scripts/serve_bench.sh [--entries N] [--edits M] [--dir DIR] [--bin PATH]
#
#   --entries N  entries in the generated chronicle (default 10000)
#   --edits M    successive edits of one entry (default 100)
#   --dir DIR    where the corpus goes (default /tmp/annals-serve-bench; never the repo)
#   --bin PATH   use this annals binary instead of building target/release/annals
#
# The corpus comes from examples/gen_corpus.rs (deterministic). Each edit rewrites one
# entry file in place with a new marker line, as an editor's save does, then polls the
# entry's page every 10 ms until the marker is served: that wall time includes the watcher's
# debounce, the rebuild (the fast path renders the edited page first) and the HTTP round
# trip. Before the next save the script waits for the full rebuild to finish. RSS is read from
# /proc/PID/status after each edit. Nothing is written into the corpus's public/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never LC_ALL=C

ENTRIES=10000
EDITS=100
DIR=/tmp/annals-serve-bench
BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --entries) ENTRIES="$2"; shift ;;
    --edits) EDITS="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --bin) BIN="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$ENTRIES" "$EDITS"; do
  case "$n" in ''|*[!0-9]*|0) echo "--entries and --edits need positive numbers" >&2; exit 2 ;; esac
done
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }
DIR="$(realpath -m "$DIR")"
case "$DIR/" in
  "$(pwd)"/*) echo "--dir must be outside the repository" >&2; exit 2 ;;
esac

if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/annals
fi
BIN="$(realpath "$BIN")"
SITE="$DIR/site-$ENTRIES"
if [ ! -f "$SITE/site.yaml" ]; then
  echo "Generating $ENTRIES entries into $SITE"
  cargo run --release --quiet --example gen_corpus -- --entries "$ENTRIES" --out "$SITE"
fi

# The entry to edit: the first in file-name order; its address is its file stem.
ENTRY="$(find "$SITE/content/entries" -name '*.md' | sort | sed -n 1p)"
SLUG="$(basename "$ENTRY" .md)"
if grep -q '^slug:' "$ENTRY"; then
  echo "$ENTRY sets its own slug; pick another corpus" >&2
  exit 2
fi
ORIGINAL="$(mktemp)"
NEXT="$(mktemp)"
LOG="$(mktemp)"
cp "$ENTRY" "$ORIGINAL"

PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -INT "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  cp "$ORIGINAL" "$ENTRY"
  rm -f "$ORIGINAL" "$NEXT" "$LOG"
}
trap cleanup EXIT

"$BIN" serve --root "$SITE" --port 0 >"$LOG" 2>&1 &
PID=$!
URL=""
for _ in $(seq 1 1200); do
  URL="$(grep -o 'at http://[0-9.:]*/' "$LOG" | sed -n 1p | cut -c4- || true)"
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "annals serve did not start" >&2; cat "$LOG" >&2; exit 1; }
PAGE="${URL}entries/$SLUG/"
curl -sf -o /dev/null "$PAGE" || { echo "cannot fetch $PAGE" >&2; exit 1; }

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$PID/status"; }
now_ms() { date +%s%3N; }
RSS0="$(rss)"
FIRST_BUILD="$(grep -o 'in [0-9]* ms' "$LOG" | sed -n 1p)"
echo "Serving $ENTRIES entries at $URL (first build $FIRST_BUILD, RSS $((RSS0 / 1024)) MiB)"
echo "Editing $ENTRY $EDITS times"

built_lines() { grep -c '^Built ' "$LOG" || true; }
B0="$(built_lines)"
LAT=()
RSS_AT=()
for i in $(seq 1 "$EDITS"); do
  MARK="serve-bench-edit-$i-$RANDOM"
  { cat "$ORIGINAL"; printf '\n%s\n' "$MARK"; } >"$NEXT"
  start=$(now_ms)
  cat "$NEXT" >"$ENTRY"   # in place, as most editors save
  until curl -s --max-time 5 "$PAGE" | grep -q "$MARK"; do
    if [ $(( $(now_ms) - start )) -gt 60000 ]; then
      echo "edit $i was not served within 60 s" >&2; tail -n 20 "$LOG" >&2; exit 1
    fi
    sleep 0.01
  done
  LAT+=($(( $(now_ms) - start )))
  # Let the full rebuild that follows the fast path finish before the next save, as an
  # editor's next save usually comes later; a save that lands during a rebuild waits
  # for it (see "rebuild alone" below).
  until [ "$(built_lines)" -ge $(( B0 + i )) ]; do
    if [ $(( $(now_ms) - start )) -gt 120000 ]; then
      echo "the rebuild after edit $i did not finish within 120 s" >&2; tail -n 20 "$LOG" >&2; exit 1
    fi
    sleep 0.02
  done
  RSS_AT+=("$(rss)")
  printf '\redit %d/%d: %d ms, RSS %d MiB   ' "$i" "$EDITS" "${LAT[-1]}" $(( RSS_AT[-1] / 1024 ))
done
echo

sorted=($(printf '%s\n' "${LAT[@]}" | sort -n))
n=${#sorted[@]}
pct() { echo "${sorted[$(( ($1 * (n - 1) + 50) / 100 ))]}"; }
builds=($(grep -o 'Built .* in [0-9]* ms: ' "$LOG" | grep -o '[0-9]* ms' | tr -d ' ms' | sort -n))
nb=${#builds[@]}
mib() { echo $(( $1 / 1024 )); }
echo
echo "| measure | value |"
echo "|---|---|"
echo "| entries | $ENTRIES |"
echo "| save → page served, median | $(pct 50) ms |"
echo "| save → page served, p90 | $(pct 90) ms |"
echo "| save → page served, min / max | ${sorted[0]} / ${sorted[$((n - 1))]} ms |"
if [ "$nb" -gt 0 ]; then
  echo "| rebuild alone (server's own timing), median | ${builds[$((nb / 2))]} ms |"
fi
echo "| RSS after the first build | $(mib "$RSS0") MiB |"
at=(1 $(( (EDITS + 3) / 4 )) $(( (EDITS + 1) / 2 )) "$EDITS")
echo "| RSS after edit ${at[0]} / ${at[1]} / ${at[2]} / ${at[3]} | $(mib "${RSS_AT[$((at[0] - 1))]}") / $(mib "${RSS_AT[$((at[1] - 1))]}") / $(mib "${RSS_AT[$((at[2] - 1))]}") / $(mib "${RSS_AT[$((at[3] - 1))]}") MiB |"
echo "| rebuilds for $EDITS saves (failed) | $(grep -c 'rebuilding$' "$LOG" || true) ($(grep -c '^error: ' "$LOG" || true)) |"
echo "| saves served by the fast path (the edited page first) | $(grep -c '^Updated /' "$LOG" || true) |"
max=0; for r in "${RSS_AT[@]}"; do [ "$r" -gt "$max" ] && max=$r; done
echo "| RSS, highest after an edit | $(mib "$max") MiB |"
if [ -e "$SITE/public" ]; then
  echo "note: $SITE/public exists (from an earlier annals build, not from serve)"
fi
