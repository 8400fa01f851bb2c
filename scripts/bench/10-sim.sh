#!/usr/bin/env bash
# dragonn-sim speed: sequences per second for the tutorial simulation (motif-density-localization,
# 1000 bp, TAL1_known4) written to /dev/null, one process (one core). Usage: 10-sim.sh SCRATCH_DIR
set -euo pipefail
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
n=${SIM_BENCH_SEQS:-1000000}
rate() {   # rate LABEL COUNT ARGS...: runs dragonn-sim ARGS and prints LABEL: seq/s
  local label=$1 count=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$bin/dragonn-sim" "$@" -q
  t1=$(date +%s.%N)
  awk -v n="$count" -v a="$t0" -v b="$t1" -v l="$label" 'BEGIN { printf "%s: %.0f seq/s\n", l, n / (b - a) }'
}
half=$((n / 2))
rate "sim motif-density-localization 1000bp (to /dev/null)" "$n" \
  motif-density-localization --num-pos "$half" --num-neg "$half" -s 1 -o /dev/null
rate "sim motif-density-localization 1000bp (with --bed, to /dev/null)" "$n" \
  motif-density-localization --num-pos "$half" --num-neg "$half" -s 1 -o /dev/null --bed /dev/null
small=$((n / 50))
rate "sim motif-density-localization 1000bp (BGZF .gz file)" "$small" \
  motif-density-localization --num-pos $((small / 2)) --num-neg $((small / 2)) -s 1 -o "${1:-/tmp}/sim-bench.fa.gz"
rm -f "${1:-/tmp}/sim-bench.fa.gz"
