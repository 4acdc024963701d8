#!/usr/bin/env bash
# Benchmark: the floor (csv parse of every file, one thread) against the whole
# audit, on the same generated export, as a folder and as a deflate zip; the
# committed sample; --threads 1 against the default; peak memory at two
# message counts. Prints a Markdown table (median of RUNS runs each).
#
# usage: scripts/bench.sh [RUNS]      (environment: WORK=dir for the exports)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=${WORK:-${TMPDIR:-/tmp}/tieaudit-bench}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tieaudit/target}"
cargo build --release --quiet --bin tieaudit --example floor
BIN="$CARGO_TARGET_DIR/release/tieaudit"
FLOOR="$CARGO_TARGET_DIR/release/examples/floor"
mkdir -p "$WORK"

make_export() { # name connections messages
  local dir="$WORK/$1"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir" "$dir.zip"
    "$BIN" sample --out "$dir" --connections "$2" --messages "$3" --invitations 10000 --endorsements 50000 --seed 1 >/dev/null
    "$BIN" sample --out "$dir.zip" --zip --connections "$2" --messages "$3" --invitations 10000 --endorsements 50000 --seed 1 >/dev/null
    touch "$dir/.done"
  fi
}

# median wall seconds and median peak RSS (MB) of RUNS runs of a command
measure() {
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    local line t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    line="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b-a)/1e9}') $(tail -1 "$WORK/time.txt")"
    times+=("${line% *}"); mems+=("${line#* }")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  m=$(printf '%s\n' "${mems[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')
  echo "$t $m"
}

row() { # label floor_seconds command...
  local label=$1 floor=$2; shift 2
  local t m
  read -r t m < <(measure "$@")
  printf '| %s | %s s | %s MB | %s |\n' "$label" "$t" "$m" "$(awk -v a="$t" -v b="$floor" 'BEGIN {printf "%.2f", a/b}')"
}

make_export large 30000 1000000
make_export half 30000 250000
L="$WORK/large"
size=$(du -sh --exclude=.done "$L" | cut -f1)
rows=$(wc -l < "$L/messages.csv")
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); runs: $RUNS (median)"
echo "Large export: 30000 connections, ~$rows message lines, 10000 invitations, 50000 endorsements; $size as a folder, $(du -sh "$L.zip" | cut -f1) zipped"
echo
echo "| what | time | peak memory | ratio to floor |"
echo "|---|---:|---:|---:|"
read -r ft fm < <(measure "$FLOOR" "$L")
printf '| floor: csv parse of every file, large | %s s | %s MB | 1.00 |\n' "$ft" "$fm"
row "audit, large folder" "$ft" "$BIN" audit "$L" --out "$WORK/out" --quiet
row "audit, large zip" "$ft" "$BIN" audit "$L.zip" --out "$WORK/out" --quiet
row "audit, large folder, --threads 1" "$ft" "$BIN" audit "$L" --out "$WORK/out" --quiet --threads 1
read -r ht hm < <(measure "$FLOOR" "$WORK/half")
row "audit, 250k-message folder (memory vs messages)" "$ht" "$BIN" audit "$WORK/half" --out "$WORK/out" --quiet
read -r st sm < <(measure "$FLOOR" sample-data/export)
printf '| floor, committed sample | %s s | %s MB | 1.00 |\n' "$st" "$sm"
row "audit, committed sample (reports included)" "$st" "$BIN" audit sample-data/export --out "$WORK/out" --quiet
