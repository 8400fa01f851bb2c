# Shared by the bench scripts (sourced; not run by bench.sh, which runs NN-*.sh only).
# figure KEY VALUE: records a figure of this run in $figures (SCRATCH_DIR/figures.tsv).
figure() { printf '%s\t%s\n' "$1" "$2" >> "$figures"; }
# value KEY: the last figure recorded under KEY in this run (empty when none).
value() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$figures" 2>/dev/null; }
# rate_note WORKLOAD "FILTERS" "WIDTHS" POOL SEQ_PER_S [REFS]: ", X GFLOP/s dense-equivalent,
# Y% of the measured FMA peak" for SEQ_PER_S sequences of 1000 bp per second (scripts/bench/flops.py).
rate_note() {
  local flop peak
  flop=$(python3 "$(dirname "${BASH_SOURCE[0]}")/flops.py" "$1" 1000 "$2" "$3" "$4" "${6:-20}")
  peak=$(value fma_peak_gflops)
  awk -v f="$flop" -v r="$5" -v p="$peak" 'BEGIN {
    g = f * r / 1e9
    if (p > 0) printf ", %.1f GFLOP/s dense-equivalent = %.0f%% of the measured FMA peak (%.0f)", g, 100 * g / p, p
    else printf ", %.1f GFLOP/s dense-equivalent", g }'
}
