#!/usr/bin/env bash
# dragonn-predict --vcf speed: ALT alleles scored per second with the tutorial's 3-layer model
# (3 x 15 filters, width 10, pool 35, 1000 bp), 2 threads, BGZF VCF + index out, on a simulated
# random chromosome: dense SNVs (one per 100 bp), sparse SNVs (one per 10 kbp) and indels (one per
# 100 bp). Then tangermeme's substitution_effect on the dense SNVs (../shared/peers/torch_variants.py,
# warm) when the peers are installed, and the ratio. The model is trained briefly first (its
# weights, not its accuracy, matter for speed: they decide how far the cone reaches).
# Beside each figure: the FLOP per variant and the GFLOP/s that makes (per wall second and per CPU
# second), dense-equivalent (layer 1 counted as a dense 4-channel convolution, as flops.py counts
# it; the cone's FLOP left out): dense SNVs share the convolution over ~100 bp each, a sparse SNV
# pays a whole window's forward pass (flops.py forward), an indel its share plus a whole ALT
# window. With fma_peak_gflops in figures.tsv (05-peak.sh), also % of that peak; with
# predict_multi_layer_seq_per_s (30-train.sh), the sparse rate as a share of dragonn-predict's.
# Usage: 60-variants.sh SCRATCH_DIR. Appends snv_dense_per_s, snv_sparse_per_s, indel_per_s (and
# *_gflops) to SCRATCH_DIR/figures.tsv.
set -euo pipefail
out=${1:-bench-out}
mkdir -p "$out"
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DRAGONN_BIN:-$root/.build/release}
dir=$out/variants-bench
mkdir -p "$dir"
dense=${VARIANT_BENCH_DENSE:-200000}
sparse=${VARIANT_BENCH_SPARSE:-5000}
indels=${VARIANT_BENCH_INDELS:-20000}
source "$(dirname "$0")/tutorial-model.sh"
tutorial_model "$dir"
model="$dir/model.safetensors"
# The chromosome and the three VCFs (sorted, REF from the genome).
python3 - "$dir" "$dense" "$sparse" "$indels" <<'PY'
import sys, numpy as np
d, dense, sparse, indels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(1)
n = max(dense * 100, sparse * 10000, indels * 100) + 2000
seq = np.frombuffer(b'ACGT', dtype=np.uint8)[rng.integers(0, 4, n)]
with open(f'{d}/genome.fa', 'wb') as f:
    f.write(b'>chr1\n')
    body = np.full((n + 59) // 60 * 61, ord('\n'), dtype=np.uint8)
    rows = body.reshape(-1, 61)
    padded = np.concatenate([seq, np.full(rows.shape[0] * 60 - n, ord('\n'), dtype=np.uint8)])
    rows[:, :60] = padded.reshape(-1, 60)
    f.write(body.tobytes().rstrip(b'\n') + b'\n')
head = f'##fileformat=VCFv4.2\n##contig=<ID=chr1,length={n}>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
def write(name, count, spacing, kind):
    pos = 1000 + np.arange(count) * spacing + rng.integers(0, spacing // 2, count)
    with open(f'{d}/{name}.vcf', 'w') as f:
        f.write(head)
        for i, p in enumerate(pos):
            ref = chr(seq[p - 1])
            if kind == 'snv':
                alt = 'ACGT'.replace(ref, '')[rng.integers(0, 3)]
            elif i % 2:   # deletion of 1-5 bases after the anchor base
                k = int(rng.integers(1, 6)); ref = bytes(seq[p - 1:p + k]).decode(); alt = ref[0]
            else:         # insertion of 1-5 bases
                alt = ref + ''.join('ACGT'[j] for j in rng.integers(0, 4, int(rng.integers(1, 6))))
            f.write(f'chr1\t{p}\tv{i}\t{ref}\t{alt}\t.\tPASS\t.\n')
write('dense', dense, 100, 'snv')
write('sparse', sparse, 10000, 'snv')
write('indels', indels, 100, 'indel')
PY
"$bin/dragonn-predict" -m "$model" --genome "$dir/genome.fa" --vcf "$dir/sparse.vcf" -o /dev/null 2>/dev/null  # builds the .fai
# conv_flop BASES: dense-equivalent convolution FLOP of the model over a stretch of BASES bases.
conv_flop() {
  python3 - "$model" "$1" <<'PY'
import json, struct, sys
with open(sys.argv[1], 'rb') as f:
    n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n))
a = json.loads(h['__metadata__']['architecture'])
length, c, flop = int(sys.argv[2]), 4, 0
for k, w in zip(a['num_filters'], a['conv_width']):
    length -= w - 1; flop += 2 * c * k * w * length; c = k
print(flop)
PY
}
figures=$out/figures.tsv
source "$(dirname "$0")/lib.sh"
arch=$(python3 -c 'import json,struct,sys; f=open(sys.argv[1],"rb"); n=struct.unpack("<Q",f.read(8))[0]; a=json.loads(json.loads(f.read(n))["__metadata__"]["architecture"]); print(a["seq_length"], " ".join(map(str, a["num_filters"])), ":", " ".join(map(str, a["conv_width"])), ":", a["pool_width"])' "$model")
L=${arch%% *}
filters=$(echo "$arch" | cut -d: -f1 | cut -d' ' -f2-); widths=$(echo "$arch" | cut -d: -f2); pool=$(echo "$arch" | cut -d: -f3)
per_base=$(( $(conv_flop 100000) / 100000 ))
# One window's whole forward pass (flops.py: convolutions and dense layer, dense-equivalent).
window=$(python3 "$(dirname "$0")/flops.py" forward "$L" "$filters" "$widths" $pool)
peak=$(value fma_peak_gflops)
# rate KEY LABEL COUNT VCF FLOP_PER_VARIANT: runs one VCF; prints LABEL: variants/s (wall), CPU
# seconds, GFLOP/s (per wall and per CPU second) and % of the measured peak; sets $r.
rate() {
  local key=$1 label=$2 count=$3 vcf=$4 flop=$5 t0 t1 cpu note
  t0=$(date +%s.%N)
  cpu=$( { /usr/bin/time -f '%U %S' "$bin/dragonn-predict" -m "$model" --genome "$dir/genome.fa" --vcf "$vcf" \
           -@ 2 -o "$dir/out.vcf.gz" 2>&1 >/dev/null; } | tail -1)
  t1=$(date +%s.%N)
  r=$(awk -v n="$count" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  note=$(awk -v n="$count" -v f="$flop" -v r="$r" -v c="$(echo "$cpu" | awk '{ print $1 + $2 }')" -v p="$peak" 'BEGIN {
    g = f * r / 1e9; gc = c > 0 ? f * n / c / 1e9 : 0
    printf "%.2f MFLOP per variant, %.1f GFLOP/s (wall), %.1f GFLOP/s per CPU second", f / 1e6, g, gc
    if (p > 0) printf ", %.0f%% of the measured FMA peak (%.0f)", 100 * g / p, p }')
  echo "$label: $r variants/s (CPU user+sys $(echo "$cpu" | awk '{ printf "%.2f s", $1 + $2 }'); $note)"
  figure "$key" "$r"
  figure "${key%_per_s}_gflops" "$(awk -v f="$flop" -v r="$r" 'BEGIN { printf "%.1f", f * r / 1e9 }')"
}
# Dense SNVs: the convolutions of ~100 bp each (shared by the overlapping windows; the cone and
# the pooling/dense layer left out).
rate snv_dense_per_s "variants: SNVs, one per 100 bp, 3-layer 1000bp (2 threads), conv only" "$dense" "$dir/dense.vcf" \
  $(( 100 * per_base ))
# Sparse SNVs: each a whole REF window forward (flops.py forward; the ALT cone left out), beside
# what dragonn-predict makes of the same architecture (30-train.sh's predict_multi_layer figure,
# when this run has it): the distance to the engine's own prediction efficiency and to the peak.
rate snv_sparse_per_s "variants: SNVs, one per 10 kbp, 3-layer 1000bp (2 threads), one window forward each" "$sparse" \
  "$dir/sparse.vcf" "$window"
predict=$(value predict_multi_layer_seq_per_s)
if [ -n "$predict" ]; then
  awk -v s="$r" -v p="$predict" 'BEGIN { printf "variants: sparse SNVs at %.0f%% of dragonn-predict'"'"'s windows/s on the same architecture (%.0f/s", 100 * s / p, p }'
  echo "$(rate_note forward "$filters" "$widths" "$pool" "$predict"))"
fi
rate indel_per_s "variants: indels 1-5 bp, one per 100 bp, 3-layer 1000bp (2 threads), shared conv + ALT window" \
  "$indels" "$dir/indels.vcf" $(( 100 * per_base + window ))
peers=${PEERS_DIR:-$root/../shared/peers}
venv=${PEERS_VENV:-$root/.peers-venv}
[ -x "$venv/bin/python" ] || venv=$root/../main/.peers-venv
if [ -x "$venv/bin/python" ] && [ -f "$peers/torch_variants.py" ]; then
  peer=$(OMP_NUM_THREADS=2 "$venv/bin/python" "$peers/torch_variants.py" "$model" "$dir/genome.fa" "$dir/dense.vcf" \
         "${VARIANT_BENCH_PEER:-5000}" 2>/dev/null | tail -1 | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["snvs_per_s"]))')
  ours=$(value snv_dense_per_s)
  [ -n "$peer" ] && figure peer_snv_dense_per_s "$peer"
  awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio %-34s dragonn %10.1f  peer %10.1f  = %.1fx\n", "SNV effects dense (SNVs/s)", a, b, a / b }'
else
  echo "variants: tangermeme not installed (peers venv); no side-by-side"
fi
rm -rf "$dir"
