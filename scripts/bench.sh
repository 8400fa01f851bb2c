#!/usr/bin/env bash
# `make bench`: runs every scripts/bench/NN-*.sh in order; each prints its own figures and records
# them in SCRATCH_DIR/figures.tsv. 05-peak.sh first measures the machine's FMA peak, which the
# engine figures are set against; 90-peers.sh runs the peers warm on the same data. At the end the
# figures table is written to SCRATCH_DIR/figures.md (scripts/figures-table.py; with
# BENCH_README=README.md it also replaces the README's figures table).
# Usage: scripts/bench.sh SCRATCH_DIR   (DRAGONN_BIN points at the built tools)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-bench-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DRAGONN_BIN=${DRAGONN_BIN:-$here/../.build/release}
export PATH="$DRAGONN_BIN:$PATH"
rm -f "$out/figures.tsv"   # figures of this run only: the peer ratios read them
when=$(date -u +%Y-%m-%dT%H:%MZ)
echo "# dragonn bench on $(nproc) cores, $when"
printf 'date\t%s\n' "$when" >> "$out/figures.tsv"
for script in "$here"/bench/[0-9]*.sh; do
  [ -e "$script" ] || continue
  bash "$script" "$out"
done
python3 "$here/figures-table.py" "$out" > "$out/figures.md"
echo
cat "$out/figures.md"
if [ -n "${BENCH_README:-}" ]; then python3 "$here/figures-table.py" "$out" --readme "$BENCH_README"; fi
