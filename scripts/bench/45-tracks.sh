#!/usr/bin/env bash
# Whole-chromosome prediction tracks (dragonn-predict --genome --track, fully convolutional):
# bases per second at step 1 for the tutorial's 3-layer model (3 x 15 filters, width 10, pool 35,
# 1000 bp) on a simulated 1 Mbp chromosome, 2 threads, bigWig out; the ratio to this project's own
# per-window prediction (the same model scoring 1000 bp windows one by one, via --regions); the
# PyTorch twin sliding windows over the same excerpt (../shared/peers/torch_tracks.py, warm;
# TRACK_PEER_BASES bases of it, default 50000, since it runs ~10^4 bases/s); and the peak memory on
# a simulated 250 Mbp chromosome (TRACK_BENCH_BIG=0 skips that leg; TRACK_BENCH_BIG_MBP sets its size).
# Wall times on a loaded machine mislead: CPU seconds are printed beside them.
# Usage: 45-tracks.sh SCRATCH_DIR. Appends track_bases_per_s, track_vs_per_window,
# track_peak_rss_mb to SCRATCH_DIR/figures.tsv.
set -euo pipefail
out=${1:-bench-out}
mkdir -p "$out"
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DRAGONN_BIN:-$root/.build/release}
dir=$out/tracks-bench
mkdir -p "$dir"
figure() { printf '%s\t%s\n' "$1" "$2" >> "$out/figures.tsv"; }
# timed FILE CMD...: runs CMD, writes "wall user sys maxrss_kb" to FILE.
timed() { local f=$1; shift; /usr/bin/time -f '%e %U %S %M' -o "$f" "$@"; }

"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos 1000 --num-neg 1000 -s 1 -q -o "$dir/train.fa"
"$bin/dragonn-train" "$dir/train.fa" -o "$dir/model" --num-filters 15 15 15 --conv-width 10 10 10 \
  --pool-width 35 --epochs 1 -s 1 -@ 2 >/dev/null 2>&1
model=$dir/model.safetensors
"$bin/dragonn-sim" genome --num-chroms 1 --chrom-length 1000000 -s 2 -q -o "$dir/g.fa" --peaks "$dir/peaks.narrowPeak"

# The track at step 1: 1 Mbp minus the 999 bases whose window runs off an end. A run takes ~0.2 s,
# which /usr/bin/time reports in steps of 10 ms: the wall time is taken in nanoseconds instead, the
# median of three runs. Each run writes a new file, as the first does: renaming over an existing
# file makes ext4 flush the new one and free the old one inside rename(2) (~13 ms here), a cost
# of the file system, not of the track.
walls=()
for run in 1 2 3; do
  rm -f "$dir/t.bw"
  t0=$(date +%s.%N)
  timed "$dir/t.time" "$bin/dragonn-predict" -m "$model" --genome "$dir/g.fa" --track "$dir/t.bw" -@ 2 2>"$dir/t.log"
  t1=$(date +%s.%N)
  walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
done
bases=$(grep -o '^[0-9]*' "$dir/t.log")
read -r _ user sys rss < "$dir/t.time"
wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
track=$(awk -v n="$bases" -v t="$wall" 'BEGIN { printf "%.0f", n / t }')
trackcpu=$(awk -v n="$bases" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", n / (u + s) }')
echo "track 3-layer step 1 (2 threads, bigWig): $track bases/s ($bases bases, ${wall}s wall, ${user}s user + ${sys}s sys CPU = $trackcpu bases per CPU-second, peak RSS $((rss / 1024)) MB)"
figure track_bases_per_s "$track"

# Per-window prediction of windows centred on 20000 consecutive bases (the same values).
n=${TRACK_WINDOWS:-20000}
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "chr1\t%d\t%d\n", 100000 + i, 100001 + i }' > "$dir/w.bed"
timed "$dir/w.time" "$bin/dragonn-predict" -m "$model" --regions "$dir/w.bed" --genome "$dir/g.fa" -@ 2 -o /dev/null
read -r wall user sys rss < "$dir/w.time"
window=$(awk -v n="$n" -v t="$wall" 'BEGIN { printf "%.0f", n / t }')
windowcpu=$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", n / (u + s) }')
echo "per-window predict 3-layer (2 threads): $window bases/s ($n windows, ${wall}s wall, ${user}s user CPU = $windowcpu bases per CPU-second)"
awk -v a="$track" -v b="$window" -v c="$trackcpu" -v d="$windowcpu" \
  'BEGIN { printf "ratio track / per-window: %.0fx wall, %.0fx CPU time\n", a / b, c / d }'
figure track_vs_per_window "$(awk -v a="$track" -v b="$window" 'BEGIN { printf "%.1f", a / b }')"

# The PyTorch twin on the same excerpt (warm: the script runs one batch untimed first).
peers=${PEERS_DIR:-$root/../shared/peers}
venv=${PEERS_VENV:-$root/.peers-venv}
[ -x "$venv/bin/python" ] || venv=$root/../.peers-venv
[ -x "$venv/bin/python" ] || venv=/work/main/.peers-venv
if [ -x "$venv/bin/python" ] && [ -f "$peers/torch_tracks.py" ]; then
  pb=${TRACK_PEER_BASES:-50000}
  peer=$("$venv/bin/python" "$peers/torch_tracks.py" "$model" "$dir/g.fa" chr1 100000 $((100000 + pb)) 1 \
         | python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["bases_per_s"])')
  echo "PyTorch twin per-window track (2 threads, $pb bases): $peer bases/s"
  figure peer_track_bases_per_s "$peer"
  awk -v a="$track" -v b="$peer" 'BEGIN { printf "ratio track / PyTorch twin: %.0fx\n", a / b }'
else
  echo "PyTorch twin: peers venv not installed; skipping the side-by-side"
fi

# Peak memory on one long chromosome (bounded by the chunks, not by the chromosome).
if [ "${TRACK_BENCH_BIG:-1}" != 0 ]; then
  mbp=${TRACK_BENCH_BIG_MBP:-250}
  "$bin/dragonn-sim" genome --num-chroms 1 --chrom-length $((mbp * 1000000)) -s 3 -q -o "$dir/big.fa.gz" --peaks "$dir/big.narrowPeak"
  timed "$dir/big.time" "$bin/dragonn-predict" -m "$model" --genome "$dir/big.fa.gz" --track "$dir/big.bw" -@ 2 2>"$dir/big.log"
  read -r wall user sys rss < "$dir/big.time"
  big=$(awk -v n="$(grep -o '^[0-9]*' "$dir/big.log")" -v t="$wall" 'BEGIN { printf "%.0f", n / t }')
  echo "track on a $mbp Mbp chromosome: $big bases/s, peak RSS $((rss / 1024)) MB (target 2048), ${wall}s wall, ${user}s user CPU, bigWig $(du -m "$dir/big.bw" | cut -f1) MB"
  figure track_big_bases_per_s "$big"
  # The engine's memory is bounded by its chunks (~45 MB); the bigWig writer streams (its zoom
  # levels spool to temporary files), so neither leg should grow with the chromosome.
  timed "$dir/bigbg.time" "$bin/dragonn-predict" -m "$model" --genome "$dir/big.fa.gz" --track "$dir/big.bedGraph.gz" -@ 2 2>/dev/null
  read -r wall user sys rss < "$dir/bigbg.time"
  echo "  the same as bedGraph.gz (streamed): peak RSS $((rss / 1024)) MB, ${wall}s wall, ${user}s user CPU"
  figure track_peak_rss_mb $((rss / 1024))
fi
rm -rf "$dir"
