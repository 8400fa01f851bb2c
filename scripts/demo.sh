#!/usr/bin/env bash
# `make demo`: DragoNN's tutorial, end to end, with the built tools.
# Simulate the homotypic motif density localization task (2-4 TAL1 motifs in the central 150 bp of
# positives, anywhere in negatives), train the tutorial's four models, evaluate them on held-out
# data, then ask what the best one learned: first-layer filters as motifs, ISM and DeepLIFT tracks
# scored against the true motif positions, and the interpretation figure of each model.  Usage: scripts/demo.sh OUT_DIR
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

step "7. The tutorial's interpretation figure for each model (most confident positive and negative, motif scores, ISM, DeepLIFT)"
for m in one_filter multi_filter multi_layer regularized; do
  run dragonn-attrib figure -m $m.safetensors test.fa --truth test.truth.bed -o $m.figure.svg
done

# --- Genome part: a synthetic genome with planted enhancers (known truth), training sets from its
# peaks with held-out chromosomes, whole-genome prediction and attribution tracks as bigWig, scored
# against the planted enhancers. Self-contained (its own folder, genome/); DEMO_GENOME=0 skips it.
genome_demo() {
  mkdir -p genome
  (
    cd genome
    step "G1. Simulate a genome: 4 x 2 Mbp, enhancers of 2-4 TAL1 motifs within 150 bp, some missed by the peaks"
    run dragonn-sim genome --num-chroms 4 --chrom-length 2000000 --enhancers-per-mbp 250 --peak-dropout 0.1 \
      --false-peaks 20 -s 1 -o genome.fa.gz --peaks peaks.narrowPeak --bed truth.bed --enhancers enhancers.bed
    step "G2. Training sets from the peaks: chr3 held out for validation, chr4 for the test"
    run dragonn-encode --genome genome.fa.gz --peaks peaks.narrowPeak --length 1000 --valid-chroms chr3 \
      --test-chroms chr4 -s 1 --split-prefix sets
    step "G3. Train the 3-layer model and evaluate it on the held-out chromosome"
    run dragonn-train sets.train.fa.gz --valid sets.valid.fa.gz -o genome_model -s 1 --epochs 20 --patience 5 \
      --num-filters 15 15 15 --conv-width 10 10 10 --pool-width 35 -@ 2 2> genome_model.train.log
    run dragonn-predict -m genome_model.safetensors sets.test.fa.gz --evaluate -o test.metrics.tsv
    step "G4. The whole-genome track (bigWig, every base; fully convolutional)"
    run dragonn-predict -m genome_model.safetensors --genome genome.fa.gz --track genome.track.bw -@ 2
    step "G5. Attribution tracks (DeepLIFT, bigWig) of the 10 top-scoring held-out peaks"
    awk 'BEGIN { OFS = "\t" } $1 == "chr4" { print $1, $2 + $10, $2 + $10 + 1 }' peaks.narrowPeak > heldout.bed
    dragonn-predict -m genome_model.safetensors --regions heldout.bed --genome genome.fa.gz -o heldout.scores.tsv
    tail -n +2 heldout.scores.tsv | sort -t$'\t' -k2,2gr | awk 'NR <= 10' \
      | awk 'BEGIN { OFS = "\t" } { split($1, a, ":"); split(a[2], b, "-"); print a[1], b[1], b[2] }' | sort -k2,2n > top.bed
    run dragonn-attrib deeplift -m genome_model.safetensors --regions top.bed --genome genome.fa.gz -o deeplift.bw -@ 2
    step "G6. How well does the track find the planted enhancers? (auPRC over every base; chance = baseline)"
    run dragonn-predict --score-track genome.track.bw --truth enhancers.bed
    echo "Positional auPRC of the DeepLIFT tracks against the motif instances inside those peaks:"
    run dragonn-predict --score-track deeplift.bw --truth truth.bed --within top.bed
    echo
    echo "Open in IGV: Genomes > Load Genome from File: $(pwd)/genome.fa.gz; then File > Load from File:"
    echo "  $(pwd)/genome.track.bw  $(pwd)/deeplift.bw  $(pwd)/peaks.narrowPeak  $(pwd)/enhancers.bed  $(pwd)/truth.bed"
    echo "  (top held-out peaks to jump to: $(pwd)/top.bed)"
  )
}
[ "${DEMO_GENOME:-1}" = 0 ] || genome_demo

step "Done. Files in $(pwd):"
ls
