#!/usr/bin/env bash
# `make demo`: DragoNN's tutorial, end to end, with the built tools.
# Simulate the homotypic motif density localization task (2-4 TAL1 motifs in the central 150 bp of
# positives, anywhere in negatives), train the tutorial's four models, evaluate them on held-out
# data, then ask what the best one learned: first-layer filters as motifs, ISM and DeepLIFT tracks
# scored against the true motif positions.  Usage: scripts/demo.sh OUT_DIR
set -euo pipefail
out=${1:-demo-out}
here=$(cd "$(dirname "$0")" && pwd)
export PATH="${DRAGONN_BIN:-$here/../.build/release}:$PATH"
mkdir -p "$out"
cd "$out"
step() { printf '\n=== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "1. Simulate: train / validation / test sets (the test set keeps its ground-truth BED)"
run dragonn-sim motif-density-localization -s 1 --num-pos 2100 --num-neg 2100 -o train.fa
run dragonn-sim motif-density-localization -s 2 --num-pos 450 --num-neg 450 -o valid.fa
run dragonn-sim motif-density-localization -s 3 --num-pos 450 --num-neg 450 -o test.fa --bed test.truth.bed
head -c 160 test.fa; echo " ..."
head -3 test.truth.bed

step "2. Encode: one-hot tensors for Python"
run dragonn-encode test.fa -o test.ohe.npy --labels-out test.labels.npy --names-out test.names.txt
python3 -c 'import numpy as np; x = np.load("test.ohe.npy"); y = np.load("test.labels.npy"); print("test.ohe.npy", x.shape, x.dtype, "| labels", y.shape, "| positives", int(y.sum()))' \
  2>/dev/null || echo "(numpy not available to show the tensor)"

step "3. Train the tutorial's four models (early stopping on validation loss)"
train() {
  local name=$1; shift
  run dragonn-train train.fa --valid valid.fa -o "$name" -s 1 --epochs 40 --patience 5 "$@" 2> "$name.train.log"
  grep '\*' "$name.train.log" | tail -1 | sed "s/^/  $name best epoch: /" || true
}
train one_filter   --num-filters 1  --conv-width 10 --pool-width 35 --dropout 0
train multi_filter --num-filters 15 --conv-width 10 --pool-width 35 --dropout 0
train multi_layer  --num-filters 15 15 15 --conv-width 10 10 10 --pool-width 35 --dropout 0
train regularized  --num-filters 15 15 15 --conv-width 10 10 10 --pool-width 35 --dropout 0.2

step "4. Evaluate on the held-out test set"
for m in one_filter multi_filter multi_layer regularized; do
  echo "--- $m"
  dragonn-predict -m $m.safetensors test.fa --evaluate -o $m.test.tsv
done

step "5. What did the multi-layer model learn? First-layer filters as motifs"
filters=(dragonn-attrib filters -m multi_layer.safetensors --sequences test.fa -o multi_layer.filters.svg
         --meme multi_layer.filters.meme --compare all)
printf '$ %s > multi_layer.filters.tsv\n' "${filters[*]}"; "${filters[@]}" > multi_layer.filters.tsv
echo "the filters' best matches in the collection (PWMs from the windows of test.fa that activate them):"
{ head -1 multi_layer.filters.tsv; awk -F'\t' 'NR > 1 && $2 == 1' multi_layer.filters.tsv | sort -t$'\t' -k8,8g | head -5; }
run dragonn-attrib motifs --motif TAL1_known4 test.fa --truth test.truth.bed -o tal1.motif-score.bedGraph.gz --hits tal1.hits.bed

step "6. Importance tracks against the true TAL1 positions (positional auPRC)"
head -n 100 test.fa > test.pos50.fa   # the first 50 positives, and their truth
awk 'NR == FNR { if (sub(/^>/, "")) keep[$1]; next } $1 in keep' test.pos50.fa test.truth.bed > test.pos50.truth.bed
run dragonn-attrib ism -m multi_layer.safetensors test.pos50.fa --truth test.pos50.truth.bed -o ism.bedGraph.gz --plot plots --plot-max 4
run dragonn-attrib deeplift -m multi_layer.safetensors test.pos50.fa --truth test.pos50.truth.bed -o deeplift.bedGraph.gz --npy modisco --top-windows deeplift.top-windows.tsv
run dragonn-attrib grad -m multi_layer.safetensors test.pos50.fa --truth test.pos50.truth.bed -o grad.bedGraph
echo "tabix query of the DeepLIFT track (first motif of the truth):"
read -r chrom start end _ < test.pos50.truth.bed
tabix deeplift.bedGraph.gz "$chrom:$((start + 1))-$end" | head -4

step "Done. Files in $(pwd):"
ls
