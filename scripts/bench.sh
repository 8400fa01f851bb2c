#!/usr/bin/env bash
# `make bench`: runs every scripts/bench/NN-*.sh in order; each prints its own figures.
# Usage: scripts/bench.sh SCRATCH_DIR   (DRAGONN_BIN points at the built tools)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-bench-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DRAGONN_BIN=${DRAGONN_BIN:-$here/../.build/release}
export PATH="$DRAGONN_BIN:$PATH"
rm -f "$out/figures.tsv"   # figures of this run only: the peer ratios read them
echo "# dragonn bench on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for script in "$here"/bench/[0-9]*.sh; do
  [ -e "$script" ] || continue
  bash "$script" "$out"
done
