#!/usr/bin/env bash
# dragonn-encode throughput: MB of FASTA per second (one core, file in the page cache) and regions
# per second from an indexed genome. Usage: 20-encode.sh SCRATCH_DIR  ($DRAGONN_BIN: the tools)
# Prints one line per figure and appends `key<TAB>value` (wall-time rates) to SCRATCH_DIR/figures.tsv.
set -euo pipefail
figures=${1:-bench-out}/figures.tsv
out=${1:-bench-out}/encode
mkdir -p "$out"
enc=${DRAGONN_BIN:+$DRAGONN_BIN/}dragonn-encode
n=${ENCODE_BENCH_SEQS:-200000}   # 1000 bp each: ~200 MB of FASTA

python3 - "$out" "$n" <<'PY'
import sys, numpy as np
out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
bases = np.frombuffer(b"ACGT", dtype=np.uint8)
L = 1000
with open(f"{out}/seqs.fa", "wb") as f:
    for start in range(0, n, 10000):
        k = min(10000, n - start)
        seqs = bases[rng.integers(0, 4, size=(k, L))]
        lines = bytearray()
        for i in range(k):
            lines += b">seq%d labels=%d,%d\n" % (start + i, i & 1, (i >> 1) & 1) + seqs[i].tobytes() + b"\n"
        f.write(lines)
# Genome: 4 chromosomes of 5 Mb, 60-column lines; 20000 regions of 1000 bp.
chroms = [(f"chr{i+1}", 5_000_000) for i in range(4)]
with open(f"{out}/genome.fa", "wb") as f:
    for name, size in chroms:
        seq = bases[rng.integers(0, 4, size=size)].tobytes()
        f.write(b">" + name.encode() + b"\n")
        f.write(b"\n".join(seq[i:i+60] for i in range(0, size, 60)) + b"\n")
with open(f"{out}/regions.bed", "w") as f:
    for i in range(20000):
        name, size = chroms[rng.integers(0, len(chroms))]
        s = int(rng.integers(0, size - 1000))
        f.write(f"{name}\t{s}\t{s+1000}\n")
PY

# run KEY LABEL UNITS UNIT -- command...: prints UNITS/s by wall time and per CPU second (user+sys);
# the two differ when the machine is shared (other processes take the cores).
run() {
  python3 - "$figures" "$@" <<'PY'
import os, subprocess, sys, time
figures, key, label, units, unit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
cmd = sys.argv[7:]
t0 = time.perf_counter()
p = subprocess.Popen(cmd)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
if status != 0: sys.exit(f"{label}: command failed")
cpu = ru.ru_utime + ru.ru_stime
# user CPU = the encoder itself (parse, encode, one-hot); system CPU = mostly the kernel
# copying the 4x (uint8) or 16x (float32) larger output into the page cache.
print(f"{label}: {units / wall:,.0f} {unit}/s ({units / cpu:,.0f} {unit} per CPU second, "
      f"{units / ru.ru_utime:,.0f} per user-CPU second; {wall:.2f} s wall, {ru.ru_utime:.2f} s user, {ru.ru_stime:.2f} s system)")
if key:
  with open(figures, "a") as f: f.write(f"{key}\t{units / wall:.1f}\n")
PY
}

sync   # write the generated inputs out now, so their writeback does not land in a measurement
mb=$(python3 -c "import os; print(os.path.getsize('$out/seqs.fa') / 1e6)")
cat "$out/seqs.fa" > /dev/null   # page cache: measure the encoder, not the disk
for dtype in uint8 float32; do
  run "encode_fasta_${dtype}_mb_per_s" "encode FASTA 1000bp -> $dtype [N,4,L] .npy file" "$mb" MB -- "$enc" "$out/seqs.fa" -o "$out/X.npy" --dtype "$dtype" --labels-out "$out/y.npy"
  rm -f "$out/X.npy"
done
# The same into a tmpfs file (no disk writeback: the output is 4 bytes per base).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  run "" "encode FASTA 1000bp -> uint8 [N,4,L] .npy in tmpfs" "$mb" MB -- "$enc" "$out/seqs.fa" -o /dev/shm/dragonn-bench-$$.npy
  rm -f /dev/shm/dragonn-bench-$$.npy
fi
gzip -1 -c "$out/seqs.fa" > "$out/seqs.fa.gz"
run "" "encode gzip FASTA 1000bp (MB uncompressed) -> uint8 .npy file" "$mb" MB -- "$enc" "$out/seqs.fa.gz" -o "$out/X.npy"
rm -f "$out/X.npy" "$out/seqs.fa.gz"

rm -f "$out/genome.fa.fai"
run "" "encode regions 1000bp, faidx index built on the fly" 20000 regions -- "$enc" --regions "$out/regions.bed" --genome "$out/genome.fa" -o "$out/R.npy"
run "encode_regions_per_s" "encode regions 1000bp from an indexed genome" 20000 regions -- "$enc" --regions "$out/regions.bed" --genome "$out/genome.fa" -o "$out/R.npy"
rm -f "$out/R.npy"
rm -f "$out/seqs.fa" "$out/y.npy"   # 200 MB of input: not worth keeping
