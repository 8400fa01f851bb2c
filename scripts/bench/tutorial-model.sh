# Sourced by the bench scripts: tutorial_model DIR trains the tutorial's 3-layer model (3 x 15
# filters, width 10, pool 35, 1000 bp) briefly on a simulated set into DIR/model.safetensors.
# Its weights, not its accuracy, matter for speed. Needs $bin (the tools' folder).
tutorial_model() {
  local dir=$1
  "$bin/dragonn-sim" motif-density-localization --motif TAL1_known4 --seq-length 1000 \
    --num-pos 1000 --num-neg 1000 -s 1 -q -o "$dir/train.fa"
  "$bin/dragonn-train" "$dir/train.fa" -o "$dir/model" --num-filters 15 15 15 --conv-width 10 10 10 \
    --pool-width 35 --dropout 0 --epochs 2 -s 1 -@ 2 >/dev/null 2>&1
}
