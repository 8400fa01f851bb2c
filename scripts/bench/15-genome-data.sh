#!/usr/bin/env bash
# Genome-scale data: `dragonn-sim genome` (Mbp of indexed BGZF genome per second) and
# `dragonn-encode --genome --peaks` (windows of 1,000 bp written per second, positives + gc-matched
# negatives, train/valid/test, from the indexed genome). Issue 10's target: >= 100,000 windows/s.
# Usage: 15-genome-data.sh SCRATCH_DIR  ($DRAGONN_BIN: the tools). Prints one line per figure and
# appends `key<TAB>value` (wall-time rates) to SCRATCH_DIR/figures.tsv.
set -euo pipefail
figures=${1:-bench-out}/figures.tsv
out=${1:-bench-out}/genome-data
mkdir -p "$out"
bin=${DRAGONN_BIN:+$DRAGONN_BIN/}
mbp=${GENOME_BENCH_MBP:-100}          # genome size
per_mbp=${GENOME_BENCH_PEAKS_PER_MBP:-500}   # 50,000 peaks on 100 Mbp: 100,000 windows with negatives

# run KEY LABEL UNITS UNIT -- command...: UNITS/s by wall time, and per CPU second (user+sys, what
# the figure would be with the cores to itself; the two differ on a shared machine).
run() {
  local key=$1 label=$2 units=$3 unit=$4; shift 5
  local TIMEFORMAT='%R %U %S'   # bash's own timer: wall, user and system seconds of the command
  { time "$@" >/dev/null 2>&3; } 3>&2 2>"$out/time.txt"
  read -r wall user sys < "$out/time.txt"
  awk -v u="$units" -v w="$wall" -v us="$user" -v sy="$sys" -v label="$label" -v unit="$unit" 'BEGIN {
    printf "%s: %.0f %s/s (%.0f %s per CPU second; %.2f s wall, %.2f s user, %.2f s system)\n", label, u / w, unit, u / (us + sy + 1e-9), unit, w, us, sy }'
  [ -z "$key" ] || awk -v k="$key" -v u="$units" -v w="$wall" 'BEGIN { printf "%s\t%.1f\n", k, u / w }' >> "$figures"
}

run "sim_genome_mbp_per_s" "dragonn-sim genome ${mbp} Mbp -> BGZF + .fai/.gzi, peaks, truth" "$mbp" Mbp -- \
  "${bin}dragonn-sim" genome --num-chroms 10 --chrom-length $((mbp * 100000)) --enhancers-per-mbp "$per_mbp" \
  -s 1 -q -o "$out/g.fa.gz" --peaks "$out/peaks.narrowPeak" --bed "$out/truth.bed"
peaks=$(wc -l < "$out/peaks.narrowPeak")
windows=$((2 * peaks))   # one positive per peak (minus the few off chromosome ends) + as many negatives
run "training_set_windows_per_s" "dragonn-encode --peaks: 1000 bp windows (positives + gc-matched negatives) written" "$windows" windows -- \
  "${bin}dragonn-encode" --genome "$out/g.fa.gz" --peaks "tal1=$out/peaks.narrowPeak" --length 1000 \
  --valid-chroms chr9 --test-chroms chr10 -s 1 -q --split-prefix "$out/sets"
rm -rf "$out"
