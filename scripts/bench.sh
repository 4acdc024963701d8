#!/usr/bin/env bash
# Benchmark: the floor (csv parse of every file, one thread) against the whole
# audit, on the same generated export, as a folder and as a deflate zip; the
# committed sample; --threads 1 against the default; peak memory at two
# message counts. Each audit run follows a floor run on the same export; the
# table gives medians of RUNS such pairs, the ratio as the median of ratios.
# The "after a pause" row waits PAUSE seconds (default 2) before each run:
# on a VM whose host takes back free memory (virtio-balloon free page
# reporting), memory freed by the run before is then no longer backed, and a
# run pays to fault it in again, as a single audit does in real use. The
# other rows run back to back, so the audit partly reuses the pages the
# previous audit freed.
#
# The last table times an audit with --previous (issue 24: at most twice the
# audit of the later export alone): the large export aged six months by
# `sample --evolve`, audited alone and with the large export as --previous,
# in alternating pairs.
#
# usage: scripts/bench.sh [RUNS] [previous]   (previous: only the last table)
# environment: WORK=dir for the exports, PAUSE=seconds (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
ONLY=${2:-}
PAUSE=${PAUSE:-2}
WORK=${WORK:-${TMPDIR:-/tmp}/tieaudit-bench}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tieaudit/target}"
cargo build --release --quiet --bin tieaudit --example floor
BIN="$CARGO_TARGET_DIR/release/tieaudit"
FLOOR="$CARGO_TARGET_DIR/release/examples/floor"
mkdir -p "$WORK"

# The generator's messages.csv layout: 2 since rows come grouped by
# conversation, newest first, as in real files (1: a thread's rows in
# several places, oldest first). Exports of another layout are made again.
LAYOUT=2
make_export() { # name connections messages
  local dir="$WORK/$1"
  if [ ! -f "$dir/.done-layout-$LAYOUT" ]; then
    rm -rf "$dir" "$dir.zip"
    "$BIN" sample --out "$dir" --connections "$2" --messages "$3" --invitations 10000 --endorsements 50000 --seed 1 >/dev/null
    "$BIN" sample --out "$dir.zip" --zip --connections "$2" --messages "$3" --invitations 10000 --endorsements 50000 --seed 1 >/dev/null
    touch "$dir/.done-layout-$LAYOUT"
  fi
}

# One timed run: prints "seconds peak_MB"; it waits pause_now seconds first.
once() {
  rm -rf "$WORK/out"
  sleep "${pause_now:-0}"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" -v m="$(tail -1 "$WORK/time.txt")" 'BEGIN {printf "%.3f %.0f\n", (b-a)/1e9, m/1024}'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# RUNS pairs of (floor, audit) back to back, so a machine that speeds up or
# slows down between runs moves both: the ratio is the median of the pairs'
# ratios. Prints "floor_s audit_s audit_MB ratio" (medians).
paired() { # floor_dir command...
  local floor_dir=$1; shift
  local fs=() as=() ms=() rs=()
  for _ in $(seq "$RUNS"); do
    local f a m
    read -r f _ < <(once "$FLOOR" "$floor_dir")
    read -r a m < <(once "$@")
    fs+=("$f"); as+=("$a"); ms+=("$m")
    rs+=("$(awk -v a="$a" -v b="$f" 'BEGIN {printf "%.3f", a/b}')")
  done
  echo "$(printf '%s\n' "${fs[@]}" | median) $(printf '%s\n' "${as[@]}" | median) $(printf '%s\n' "${ms[@]}" | median) $(printf '%s\n' "${rs[@]}" | median)"
}

row() { # label floor_dir command...
  local label=$1 floor_dir=$2; shift 2
  local f a m r
  read -r f a m r < <(paired "$floor_dir" "$@")
  printf '| %s | %s s | %s s | %s MB | %.2f |\n' "$label" "$f" "$a" "$m" "$r"
}

make_export large 30000 1000000
make_export half 30000 250000
L="$WORK/large"
size=$(du -sh --exclude='.done*' "$L" | cut -f1)
rows=$(wc -l < "$L/messages.csv")
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); runs: $RUNS (median)"
echo "Large export: 30000 connections, ~$rows message lines, 10000 invitations, 50000 endorsements; $size as a folder, $(du -sh "$L.zip" | cut -f1) zipped"
if [ "$ONLY" != previous ]; then
echo
echo "| what | floor | audit | audit peak memory | audit / floor (median of pairs) |"
echo "|---|---:|---:|---:|---:|"
row "large, folder" "$L" "$BIN" audit "$L" --out "$WORK/out" --quiet
row "large, zip" "$L" "$BIN" audit "$L.zip" --out "$WORK/out" --quiet
pause_now=$PAUSE row "large, folder, after a $PAUSE s pause" "$L" "$BIN" audit "$L" --out "$WORK/out" --quiet
row "large, folder, --threads 1" "$L" "$BIN" audit "$L" --out "$WORK/out" --quiet --threads 1
row "250k messages, folder (memory vs messages)" "$WORK/half" "$BIN" audit "$WORK/half" --out "$WORK/out" --quiet
row "committed sample, reports included" sample-data/export "$BIN" audit sample-data/export --out "$WORK/out" --quiet
fi

later="$L-later"
if [ ! -f "$later/.done-layout-$LAYOUT" ]; then
  rm -rf "$later"
  "$BIN" sample --evolve "$L" --months 6 --seed 1 --out "$later" >/dev/null
  touch "$later/.done-layout-$LAYOUT"
fi
as=() cs=() ms=() rs=()
for _ in $(seq "$RUNS"); do
  read -r a _ < <(once "$BIN" audit "$later" --out "$WORK/out" --quiet)
  read -r c m < <(once "$BIN" audit "$later" --previous "$L" --out "$WORK/out" --quiet)
  as+=("$a"); cs+=("$c"); ms+=("$m")
  rs+=("$(awk -v a="$a" -v c="$c" 'BEGIN {printf "%.3f", c/a}')")
done
echo
echo "| what | audit alone | audit --previous | peak memory with --previous | with / alone (median of pairs) |"
echo "|---|---:|---:|---:|---:|"
printf '| large aged 6 months, --previous large (folders) | %s s | %s s | %s MB | %.2f |\n' \
  "$(printf '%s\n' "${as[@]}" | median)" "$(printf '%s\n' "${cs[@]}" | median)" \
  "$(printf '%s\n' "${ms[@]}" | median)" "$(printf '%s\n' "${rs[@]}" | median)"
