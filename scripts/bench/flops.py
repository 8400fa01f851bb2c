#!/usr/bin/env python3
"""Dense-equivalent floating-point operations of the bench's workloads, computed from the
SequenceDNN architecture (every convolution and the dense layer as a dense implementation
multiplies and adds them: 2 FLOP per multiply-add, one-hot input counted as 4 dense channels).
The engine skips work (layer 0 gathers instead of multiplying, ISM recomputes only the cone a
substitution touches, zeros are skipped), so its achieved rate in these units can exceed what
its kernels execute; the bench says "dense-equivalent".

Usage: flops.py WORKLOAD SEQ_LENGTH "FILTERS..." "WIDTHS..." POOL [REFERENCES]
WORKLOAD: forward (one sequence), train (forward + input and weight gradients: 3x forward),
deeplift (the input's forward, then per reference a forward and a backward to the input:
(1 + 2R) x forward), ism (plain ISM as tangermeme runs it: 1 + 3L forward passes).
Prints the FLOP count per sequence."""
import sys

def forward_flops(length, filters, widths, pool, tasks=1):
    channels, total = 4, 0
    for f, w in zip(filters, widths):
        length -= w - 1
        total += 2 * channels * w * f * length
        channels = f
    return total + 2 * channels * (length // pool) * tasks

if __name__ == '__main__':
    workload, length = sys.argv[1], int(sys.argv[2])
    filters, widths = [int(v) for v in sys.argv[3].split()], [int(v) for v in sys.argv[4].split()]
    pool = int(sys.argv[5])
    refs = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    f = forward_flops(length, filters, widths, pool)
    print({'forward': f, 'train': 3 * f, 'deeplift': (1 + 2 * refs) * f, 'ism': (1 + 3 * length) * f}[workload])
