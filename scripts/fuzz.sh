#!/usr/bin/env bash
# Build every fuzz target and run each for a fixed number of iterations on
# its seed corpus (made here from the test fixtures and the sample generator).
#
# usage: scripts/fuzz.sh [RUNS] [TARGET...]       (RUNS default 2000)
# A longer local run: scripts/fuzz.sh 1000000 messages
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2000}
shift || true
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/tieaudit/fuzz-target}"
# cargo-fuzz drives nightly-only rustc flags; the stable toolchain accepts
# them with RUSTC_BOOTSTRAP. No other toolchain is fetched.
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(engine connections invitations messages small_files export_zip notes policy nested_zip)

SEEDS=$(mktemp -d)
trap 'rm -rf "$SEEDS"' EXIT
for t in "${TARGETS[@]}"; do mkdir -p "$SEEDS/$t"; done
cp_seed() { [ -d "$SEEDS/$1" ] && cp "$2" "$SEEDS/$1/$(echo "$2" | tr '/' '_')" || true; }
for f in tests/fixtures/*/*.csv sample-data/export/*.csv; do
  case "$(basename "$f" | tr 'A-Z' 'a-z')" in
    connections.csv) cp_seed connections "$f" ;;
    invitations.csv) cp_seed invitations "$f" ;;
    messages.csv) cp_seed messages "$f" ;;
    *) cp_seed small_files "$f" ;;
  esac
  cp_seed engine "$f"
done
if [ -d "$SEEDS/notes" ]; then
  printf '%s' "I'd like to add you to my professional network on LinkedIn." > "$SEEDS/notes/default"
  printf '%s' "Hi Ann, we met at the Rust meetup in Lyon." > "$SEEDS/notes/personal"
  printf '%s' "We help teams grow revenue: book a demo, \$99/month" > "$SEEDS/notes/pitch"
fi
if [ -d "$SEEDS/policy" ]; then
  printf 'two_way = 30.0\nunlink_min_age_days = 90\nstrong_at = 60\n' > "$SEEDS/policy/default.toml"
  printf 'address_book = nan\n' > "$SEEDS/policy/nan.toml"
fi
if [ -d "$SEEDS/nested_zip" ]; then
  python3 -c 'import io, sys, zipfile
def z(name, data):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as f:
        f.writestr(name, data)
    return b.getvalue()
csv = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAnn,Lee,https://www.linkedin.com/in/ann-lee,,Acme,PM,01 Jan 2020\n"
once = z("export.zip", z("Connections.csv", csv))
open(sys.argv[1] + "/once", "wb").write(once)
open(sys.argv[1] + "/twice", "wb").write(z("outer.zip", once))' "$SEEDS/nested_zip"
fi
if [ -d "$SEEDS/export_zip" ]; then
  for d in tests/fixtures/era2021 tests/fixtures/era2023 tests/fixtures/era2026; do
    python3 -c 'import sys, zipfile, pathlib
src, dst = pathlib.Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(src.iterdir()):
        z.write(f, f.name)' "$d" "$SEEDS/export_zip/$(basename "$d").zip"
  done
fi

cd fuzz
for t in "${TARGETS[@]}"; do
  echo "== fuzz $t ($RUNS runs)"
  cargo fuzz run --sanitizer none "$t" "$SEEDS/$t" -- -runs="$RUNS" -max_len=65536 -rss_limit_mb=2048 2>&1 | tail -3
done
