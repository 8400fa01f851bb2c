#!/usr/bin/env bash
# dragonn-train / dragonn-predict speed and accuracy on the DragoNN tutorial: dragonn-sim defaults
# (motif-density-localization, TAL1_known4, 1000 bp, 3000 + 3000 sequences) split 70/15/15, the
# tutorial's four architectures. Prints per architecture: seconds per epoch (median), training
# sequences/s, prediction sequences/s, test auROC of the best epoch. Epochs are capped
# (TRAIN_BENCH_EPOCHS, default 20; early stopping with patience 5) so the script takes minutes.
# Appends train_<arch>_seq_per_s, predict_<arch>_seq_per_s and test_auroc_<arch> to
# SCRATCH_DIR/figures.tsv (arch: one_filter, multi_filter, multi_layer, regularized, as the
# PyTorch twin names them) for the side-by-side in 90-peers.sh.
# Usage: 30-train.sh SCRATCH_DIR
set -euo pipefail
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
figures=${1:-/tmp}/figures.tsv
out=${1:-/tmp}/train-bench
epochs=${TRAIN_BENCH_EPOCHS:-20}
threads=${TRAIN_BENCH_THREADS:-$(nproc)}
mkdir -p "$out"

"$bin/dragonn-sim" motif-density-localization -s 1 -q -o "$out/all.fa"
# 70/15/15 by record number (positives come first, negatives after: every part gets both).
awk -v dir="$out" 'NR % 2 == 1 { r = ((NR - 1) / 2) % 20; f = r < 14 ? "train" : (r < 17 ? "valid" : "test") }
                   { print > (dir "/" f ".fa") }' "$out/all.fa"
# Prediction input: the whole data set four times (24,000 sequences).
cat "$out/all.fa" "$out/all.fa" "$out/all.fa" "$out/all.fa" > "$out/predict.fa"
ntrain=$(grep -c '^>' "$out/train.fa")
npredict=$(grep -c '^>' "$out/predict.fa")

run() {  # run LABEL ARCH-OPTIONS...
  local label=$1; shift
  "$bin/dragonn-train" "$out/train.fa" --valid "$out/valid.fa" --test "$out/test.fa" -o "$out/$label" \
    --epochs "$epochs" --patience 5 -s 1 -@ "$threads" "$@" 2> "$out/$label.log"
  local t0 t1
  t0=$(date +%s.%N)
  "$bin/dragonn-predict" -m "$out/$label.safetensors" -@ "$threads" "$out/predict.fa" > /dev/null
  t1=$(date +%s.%N)
  awk -F'\t' -v fig="$figures" -v l="$label" -v n="$ntrain" -v np="$npredict" -v a="$t0" -v b="$t1" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $2 == "train" { s[++k] = $col["seconds"] }
    $2 == "test" { auc = $col["auroc"]; best = $1 }
    END {
      # median seconds per epoch (insertion sort, k is small)
      for (i = 2; i <= k; i++) { v = s[i]; j = i - 1; while (j > 0 && s[j] > v) { s[j + 1] = s[j]; j-- } s[j + 1] = v }
      med = k % 2 ? s[(k + 1) / 2] : (s[k / 2] + s[k / 2 + 1]) / 2
      printf "train %s: %.3f s/epoch, %.0f train seq/s, %.0f predict seq/s, test auROC %.4f (%d epochs, best %d)\n",
             l, med, n / med, np / (b - a), auc, k, best
      printf "train_%s_seq_per_s\t%.1f\npredict_%s_seq_per_s\t%.1f\ntest_auroc_%s\t%.4f\n",
             l, n / med, l, np / (b - a), l, auc >> fig
    }' "$out/$label.metrics.tsv"
}

run one_filter    --num-filters 1 --conv-width 10 --pool-width 35 --dropout 0
run multi_filter  --num-filters 15 --conv-width 10 --pool-width 35 --dropout 0
run multi_layer   --num-filters 15 15 15 --conv-width 10 10 10 --pool-width 35 --dropout 0
run regularized   --num-filters 15 15 15 --conv-width 10 10 10 --pool-width 35 --dropout 0.2
rm -f "$out/all.fa" "$out/predict.fa"
