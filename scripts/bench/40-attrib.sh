#!/usr/bin/env bash
# dragonn-attrib speed: sequences per second for ISM and DeepLIFT (20 dinucleotide shuffles) with
# the tutorial's 3-layer model (3 x 15 filters, width 10, pool 35) on 1000 bp sequences, 2 threads,
# bedGraph to /dev/null; each the median of three runs. The model is trained briefly on a
# simulated set first (its weights, not its accuracy, matter for speed).
# Usage: 40-attrib.sh SCRATCH_DIR
# Prints one line per figure (with its dense-equivalent GFLOP/s: plain ISM as 1 + 3L forward
# passes, DeepLIFT as 1 + 2R, see flops.py) and appends `ism_seq_per_s` / `deeplift_seq_per_s` to
# SCRATCH_DIR/figures.tsv.
set -euo pipefail
out=${1:-bench-out}
mkdir -p "$out"
figures=$out/figures.tsv
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
dir=$out/attrib-bench
mkdir -p "$dir"
n=${ATTRIB_BENCH_SEQS:-1000}
source "$(dirname "$0")/tutorial-model.sh"
tutorial_model "$dir"
model="$dir/model.safetensors"
"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos $((n / 2)) --num-neg $((n / 2)) -s 2 -q -o "$dir/test.fa"
rate() {   # rate KEY LABEL WORKLOAD ARGS...: runs dragonn-attrib ARGS on the n test sequences, prints LABEL: seq/s
  local key=$1 label=$2 workload=$3; shift 3
  local t0 t1 r walls=()
  # The median wall time of three runs, as for prediction (one run of ~3 s moves by 10-20% here).
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$bin/dragonn-attrib" "$@" -m "$model" "$dir/test.fa" -@ 2 -o /dev/null
    t1=$(date +%s.%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
  done
  r=$(printf '%s\n' "${walls[@]}" | sort -n | awk -v n="$n" 'NR == 2 { printf "%.0f", n / $1 }')
  echo "$label: $r seq/s$(rate_note "$workload" "15 15 15" "10 10 10" 35 "$r" 20)"
  figure "$key" "$r"
}
rate ism_seq_per_s "attrib ism 3-layer 1000bp (2 threads)" ism ism
rate deeplift_seq_per_s "attrib deeplift shuffle:20 3-layer 1000bp (2 threads)" deeplift deeplift --reference shuffle:20
rm -rf "$dir"
