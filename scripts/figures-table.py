#!/usr/bin/env python3
"""Writes the README's figures table from a bench run: reads SCRATCH_DIR/figures.tsv (what
scripts/bench.sh recorded, with the run's date and machine) and prints a Markdown table; with
--readme README.md, replaces the part of README.md between the `<!-- bench-figures:begin -->`
and `<!-- bench-figures:end -->` lines with it.
Usage: figures-table.py SCRATCH_DIR [--readme README.md]"""
import sys

ROWS = [  # (key, what, unit, peer key or None)
    ('sim_seq_per_s', 'simulate 1000 bp (dragonn-sim, one core)', 'seq/s', 'peer_sim_seq_per_s'),
    ('encode_fasta_uint8_mb_per_s', 'encode FASTA to uint8 .npy', 'MB/s', None),
    ('train_one_filter_seq_per_s', 'train, one filter', 'seq/s', 'peer_train_one_filter_seq_per_s'),
    ('train_multi_filter_seq_per_s', 'train, 15 filters', 'seq/s', 'peer_train_multi_filter_seq_per_s'),
    ('train_multi_layer_seq_per_s', 'train, 3 x 15 filters', 'seq/s', 'peer_train_multi_layer_seq_per_s'),
    ('time_to_auroc97_multi_layer_s', 'time to held-out auROC 0.97, 3 x 15 filters', 's', 'peer_time_to_auroc97_multi_layer_s'),
    ('predict_multi_layer_seq_per_s', 'predict, 3 x 15 filters', 'seq/s', 'peer_predict_multi_layer_seq_per_s'),
    ('test_auroc_multi_filter', 'test auROC, 15 filters (floor 0.95)', '', None),
    ('test_auroc_multi_layer', 'test auROC, 3 x 15 filters (floor 0.97)', '', None),
    ('ism_seq_per_s', 'ISM, 3 x 15 filters, 1000 bp', 'seq/s', 'peer_ism_seq_per_s'),
    ('deeplift_seq_per_s', 'DeepLIFT/SHAP, 20 shuffles, 3 x 15 filters', 'seq/s', 'peer_deeplift_seq_per_s'),
    ('training_set_windows_per_s', 'training sets from peaks, 1000 bp windows written', 'windows/s', None),
    ('track_bases_per_s', 'genome track, 3 x 15, step 1, bigWig, 1 Mbp chromosome (peer: PyTorch per window)', 'bases/s', 'peer_track_bases_per_s'),
    ('track_big_bases_per_s', 'the same track on a 250 Mbp chromosome', 'bases/s', None),
    ('snv_dense_per_s', 'variant effects, SNVs one per 100 bp (peer: tangermeme)', 'SNVs/s', 'peer_snv_dense_per_s'),
    ('snv_sparse_per_s', 'variant effects, SNVs one per 10 kbp', 'SNVs/s', None),
    ('indel_per_s', 'variant effects, indels one per 100 bp', 'indels/s', None),
]

def read(path):
    figures = {}
    for line in open(path):
        parts = line.rstrip('\n').split('\t')
        if len(parts) >= 2:
            figures[parts[0]] = parts[1]
    return figures

def table(f):
    out = [f"Measured by `make bench` on {f.get('date', '?')}, {f.get('machine', '?')} "
           f"(fp32 FMA peak measured in the same run: {f.get('fma_peak_gflops', '?')} GFLOP/s). "
           "Peers timed warm, in the same run; compare ratios, not absolute figures across machines.", '',
           '| what | dragonn | peer | ratio |', '|---|---:|---:|---:|']
    for key, what, unit, peer in ROWS:
        if key not in f:
            continue
        ours, theirs = float(f[key]), float(f[peer]) if peer and peer in f else None
        ratio = ''
        if theirs:
            ratio = f'{(theirs / ours if unit == "s" else ours / theirs):.1f}x'
        fmt = (lambda v: f'{v:,.0f} {unit}') if unit.endswith('/s') else (lambda v: f'{v:.2f} {unit}'.strip() if unit else f'{v:.4f}')
        out.append(f'| {what} | {fmt(ours)} | {fmt(theirs) if theirs else ""} | {ratio} |')
    return '\n'.join(out) + '\n'

if __name__ == '__main__':
    figures = read(sys.argv[1] + '/figures.tsv')
    text = table(figures)
    if '--readme' in sys.argv:
        path = sys.argv[sys.argv.index('--readme') + 1]
        readme = open(path).read()
        begin, end = '<!-- bench-figures:begin -->\n', '<!-- bench-figures:end -->'
        i, j = readme.index(begin) + len(begin), readme.index(end)
        open(path, 'w').write(readme[:i] + text + readme[j:])
    else:
        sys.stdout.write(text)
