#!/usr/bin/env bash
# The machine the figures come from and its measured fp32 FMA peak (scripts/bench/fma-peak.c:
# independent FMA chains on the widest vectors the compiler targets for this CPU, every core,
# rate per thread CPU second, summed), so every later figure can say how far it is from the limit.
# Usage: 05-peak.sh SCRATCH_DIR. Records fma_peak_gflops, fma_peak_gflops_per_core and machine.
set -euo pipefail
out=${1:-bench-out}
mkdir -p "$out"
figures=$out/figures.tsv
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cc=${CC:-$(command -v cc || command -v gcc || command -v clang)}
"$cc" -O2 -march=native -pthread -o "$out/fma-peak" "$here/fma-peak.c" 2>/dev/null \
  || "$cc" -O2 -pthread -o "$out/fma-peak" "$here/fma-peak.c"
read -r _ all threads bits < <("$out/fma-peak" "$(nproc)" 1)
read -r _ one _ _ < <("$out/fma-peak" 1 1)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)
machine="$cpu, $(nproc) cores"
figure machine "$machine"
figure fma_peak_gflops "$all"
figure fma_peak_gflops_per_core "$one"
echo "machine: $machine; fp32 FMA peak $all GFLOP/s on $threads threads ($one on one), $bits-bit vectors"
