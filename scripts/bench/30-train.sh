#!/usr/bin/env bash
# dragonn-train / dragonn-predict speed and accuracy on the DragoNN tutorial: dragonn-sim defaults
# (motif-density-localization, TAL1_known4, 1000 bp, 3000 + 3000 sequences) split 70/15/15, the
# tutorial's four architectures. Prints per architecture: seconds per epoch (median), training
# sequences/s, prediction sequences/s (median of three runs; each with its dense-equivalent GFLOP/s and % of the FMA
# peak 05-peak.sh measured), the wall time from the start of dragonn-train until the held-out
# (validation) auROC first reaches 0.97, and the test auROC of the best epoch, judged against
# what the architecture reaches on this task: FAIL below 0.95 (15 filters) or 0.97 (3 layers);
# the one-filter model is expected near chance and only reported. Epochs are capped
# (TRAIN_BENCH_EPOCHS, default 20; early stopping with patience 5) so the script takes minutes.
# Appends train_<arch>_seq_per_s, predict_<arch>_seq_per_s, test_auroc_<arch> and
# time_to_auroc97_<arch>_s to SCRATCH_DIR/figures.tsv (arch: one_filter, multi_filter,
# multi_layer, regularized, as the PyTorch twin names them) for the side-by-side in 90-peers.sh,
# and keeps train.fa / valid.fa / test.fa in SCRATCH_DIR/train-bench for it.
# Usage: 30-train.sh SCRATCH_DIR
set -euo pipefail
bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
figures=${1:-/tmp}/figures.tsv
out=${1:-/tmp}/train-bench
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
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

# stamp: each stdin line prefixed with the time it arrived (seconds since the epoch, tab).
stamp() { while IFS= read -r line; do printf '%s\t%s\n' "$(date +%s.%N)" "$line"; done; }

run() {  # run LABEL "FILTERS" "WIDTHS" [MORE OPTIONS...]
  local label=$1 filters=$2 widths=$3; shift 3
  local t0 t1 start
  start=$(date +%s.%N)
  # stderr (the per-epoch report) time-stamped as it arrives: the time to a held-out auROC.
  { "$bin/dragonn-train" "$out/train.fa" --valid "$out/valid.fa" --test "$out/test.fa" -o "$out/$label" \
      --num-filters $filters --conv-width $widths --pool-width 35 \
      --epochs "$epochs" --patience 5 -s 1 -@ "$threads" "$@" 2>&1 >/dev/null; } | stamp > "$out/$label.log"
  # Prediction: the median wall time of three runs (one run of ~2 s moves by 10-20% on a shared machine).
  local walls=() pwall
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$bin/dragonn-predict" -m "$out/$label.safetensors" -@ "$threads" "$out/predict.fa" > /dev/null
    t1=$(date +%s.%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
  done
  pwall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
  local reached
  reached=$(awk -F'\t' -v s="$start" '$2 ~ /^ *valid / && match($2, /auROC: [0-9.]+/) {
      if (substr($2, RSTART + 7, RLENGTH - 7) + 0 >= 0.97) { printf "%.2f", $1 - s; exit } }' "$out/$label.log")
  local line
  line=$(awk -F'\t' -v fig="$figures" -v l="$label" -v n="$ntrain" -v np="$npredict" -v pw="$pwall" -v r="$reached" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $2 == "train" { s[++k] = $col["seconds"] }
    $2 == "test" { auc = $col["auroc"]; best = $1 }
    END {
      # median seconds per epoch (insertion sort, k is small)
      for (i = 2; i <= k; i++) { v = s[i]; j = i - 1; while (j > 0 && s[j] > v) { s[j + 1] = s[j]; j-- } s[j + 1] = v }
      med = k % 2 ? s[(k + 1) / 2] : (s[k / 2] + s[k / 2 + 1]) / 2
      printf "%s %s %s %s %s %s\n", med, n / med, np / pw, auc, k, best
      printf "train_%s_seq_per_s\t%.1f\npredict_%s_seq_per_s\t%.1f\ntest_auroc_%s\t%.4f\n",
             l, n / med, l, np / pw, l, auc >> fig
      if (r != "") printf "time_to_auroc97_%s_s\t%s\n", l, r >> fig
    }' "$out/$label.metrics.tsv")
  local med tr pr auc k best
  read -r med tr pr auc k best <<< "$line"
  printf 'train %s: %.3f s/epoch, %.0f train seq/s%s\n' "$label" "$med" "$tr" "$(rate_note train "$filters" "$widths" 35 "$tr")"
  printf 'predict %s: %.0f seq/s%s\n' "$label" "$pr" "$(rate_note forward "$filters" "$widths" 35 "$pr")"
  if [ -n "$reached" ]; then
    printf 'train %s: held-out auROC 0.97 after %s s of dragonn-train (wall, bookkeeping included)\n' "$label" "$reached"
  else
    printf 'train %s: held-out auROC 0.97 not reached in %d epochs\n' "$label" "$k"
  fi
  local floor=""
  case $label in multi_filter) floor=0.95 ;; multi_layer|regularized) floor=0.97 ;; esac
  local verdict="reported only (one filter: expected near chance)"
  if [ -n "$floor" ]; then
    verdict=$(awk -v a="$auc" -v f="$floor" 'BEGIN { print (a >= f ? "ok" : "FAIL") " (floor " f ")" }')
  fi
  printf 'train %s: test auROC %.4f (%d epochs, best %d): %s\n' "$label" "$auc" "$k" "$best" "$verdict"
}

run one_filter    "1" "10" --dropout 0
run multi_filter  "15" "10" --dropout 0
run multi_layer   "15 15 15" "10 10 10" --dropout 0
run regularized   "15 15 15" "10 10 10" --dropout 0.2
rm -f "$out/all.fa" "$out/predict.fa"
