#!/usr/bin/env bash
# Motif scanning speed, side by side with memelite's FIMO (PyPI): hits (p <= 1e-4, both strands,
# uniform background) of (a) one motif, TAL1_known4, over the tutorial's test set (900 x 1000 bp)
# and (b) the whole bundled collection over 1 Mbp (1000 x 1000 bp). Both tools read the same FASTA
# and the same motifs (dragonn-sim motifs --meme); each is run once untimed first (memelite's
# numba kernels compile on first use), then timed. dragonn-attrib uses 2 threads; memelite uses
# numba's default (all cores). Usage: 50-motifs.sh SCRATCH_DIR
# Prints one line per figure and appends motif_* keys to SCRATCH_DIR/figures.tsv.
set -euo pipefail
out=${1:-bench-out} bin=${DRAGONN_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
dir=$out/motif-bench && mkdir -p "$dir"
py=python3
if [ -n "${PEERS_VENV:-}" ] && [ -x "$PEERS_VENV/bin/python" ]; then py=$PEERS_VENV/bin/python; fi
"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos 450 --num-neg 450 -s 3 -q -o "$dir/test.fa"
"$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
  --num-pos 500 --num-neg 500 -s 5 -q -o "$dir/1mb.fa"
"$bin/dragonn-sim" motifs TAL1_known4 --meme "$dir/tal1.meme" -o /dev/null
"$bin/dragonn-sim" motifs --meme "$dir/all.meme" -o /dev/null
now() { date +%s.%N; }
ours() {   # ours MOTIF FASTA: seconds of one warm dragonn-attrib motifs --hits run
  "$bin/dragonn-attrib" motifs --motif "$1" --gc-fraction 0.5 "$2" --hits /dev/null -@ 2
  local t0 t1; t0=$(now)
  "$bin/dragonn-attrib" motifs --motif "$1" --gc-fraction 0.5 "$2" --hits /dev/null -@ 2
  t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
peer() {   # peer MEME FASTA: seconds of one warm memelite fimo call, or "" without memelite
  "$py" - "$1" "$2" <<'PY' 2>/dev/null || true
import sys, time
from memelite import fimo
fimo(sys.argv[1], sys.argv[2], threshold=1e-4)
t0 = time.perf_counter()
fimo(sys.argv[1], sys.argv[2], threshold=1e-4)
print(f"{time.perf_counter() - t0:.3f}")
PY
}
report() {   # report KEY LABEL OURS PEER
  echo "$2: dragonn-attrib $3 s" "${4:+vs memelite fimo $4 s (memelite/dragonn time $(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.2f", b / a }')x)}"
  printf '%s\t%s\n' "$1" "$3" >> "$out/figures.tsv"
}
a=$(ours TAL1_known4 "$dir/test.fa"); b=$(peer "$dir/tal1.meme" "$dir/test.fa")
report motif_one_test_set_s "motif hits, TAL1_known4, tutorial test set 900 x 1000 bp" "$a" "$b"
a=$(ours all "$dir/1mb.fa"); b=$(peer "$dir/all.meme" "$dir/1mb.fa")
report motif_all_1mbp_s "motif hits, all $(grep -c '^MOTIF' "$dir/all.meme") bundled motifs, 1 Mbp" "$a" "$b"
rm -rf "$dir"
