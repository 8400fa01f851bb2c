#!/usr/bin/env bash
# dragonn-sim speed: sequences per second for the tutorial simulation (motif-density-localization,
# 1000 bp, TAL1_known4) written to /dev/null, one process (one core). Usage: 10-sim.sh SCRATCH_DIR
# Prints one line per figure and appends `sim_seq_per_s<TAB>value` to SCRATCH_DIR/figures.tsv.
set -euo pipefail
out=${1:-bench-out}
mkdir -p "$out"
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
n=${SIM_BENCH_SEQS:-1000000}
rate() {   # rate KEY LABEL COUNT ARGS...: runs dragonn-sim ARGS, prints LABEL: seq/s, records KEY
  local key=$1 label=$2 count=$3; shift 3
  local t0 t1 r
  t0=$(date +%s.%N)
  "$bin/dragonn-sim" "$@" -q
  t1=$(date +%s.%N)
  r=$(awk -v n="$count" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  echo "$label: $r seq/s"
  if [ -n "$key" ]; then printf '%s\t%s\n' "$key" "$r" >> "$out/figures.tsv"; fi
}
half=$((n / 2))
rate sim_seq_per_s "sim motif-density-localization 1000bp (to /dev/null)" "$n" \
  motif-density-localization --num-pos "$half" --num-neg "$half" -s 1 -o /dev/null
rate "" "sim motif-density-localization 1000bp (with --bed, to /dev/null)" "$n" \
  motif-density-localization --num-pos "$half" --num-neg "$half" -s 1 -o /dev/null --bed /dev/null
small=$((n / 50))
rate "" "sim motif-density-localization 1000bp (BGZF .gz file)" "$small" \
  motif-density-localization --num-pos $((small / 2)) --num-neg $((small / 2)) -s 1 -o "$out/sim-bench.fa.gz"
rm -f "$out/sim-bench.fa.gz"
