#!/usr/bin/env bash
# dragonn-attrib speed: sequences per second for ISM and DeepLIFT (20 dinucleotide shuffles) with
# the tutorial's 3-layer model (3 x 15 filters, width 10, pool 35) on 1000 bp sequences, 2 threads,
# bedGraph to /dev/null. The model is trained briefly on a simulated set first (its weights, not its
# accuracy, matter for speed). Usage: 40-attrib.sh SCRATCH_DIR
set -euo pipefail
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
dir=${1:-/tmp}/attrib-bench
mkdir -p "$dir"
n=${ATTRIB_BENCH_SEQS:-1000}
"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos 1000 --num-neg 1000 -s 1 -q -o "$dir/train.fa"
"$bin/dragonn-train" "$dir/train.fa" -o "$dir/model" --num-filters 15 15 15 --conv-width 10 10 10 \
  --pool-width 35 --epochs 2 -s 1 -@ 2 >/dev/null 2>&1
model="$dir/model.safetensors"
"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos $((n / 2)) --num-neg $((n / 2)) -s 2 -q -o "$dir/test.fa"
rate() {   # rate LABEL ARGS...: runs dragonn-attrib ARGS on the n test sequences, prints LABEL: seq/s
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$bin/dragonn-attrib" "$@" -m "$model" "$dir/test.fa" -@ 2 -o /dev/null
  t1=$(date +%s.%N)
  awk -v n="$n" -v a="$t0" -v b="$t1" -v l="$label" 'BEGIN { printf "%s: %.0f seq/s\n", l, n / (b - a) }'
}
rate "attrib ism 3-layer 1000bp (2 threads)" ism
rate "attrib deeplift shuffle:20 3-layer 1000bp (2 threads)" deeplift --reference shuffle:20
rm -rf "$dir"
