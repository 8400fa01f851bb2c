#!/usr/bin/env bash
# The suite's files in a real genome browser: igv.js (the copy bundled in the igv-notebook PyPI
# package, offline: loadDefaultGenomes false) in headless Chromium draws a dragonn-sim reference
# (FASTA + .fai), a dragonn-attrib DeepLIFT track (BGZF bedGraph + .tbi) and the truth BED, served
# by a local HTTP server that answers Range requests. The page reports which tracks loaded and
# where they are; a screenshot must show the DeepLIFT track's bars over an embedded TAL1 box.
# With a bigWig (BIGWIG=file.bw, or dragonn-attrib's own .bw output when it has one) that track is
# checked the same way, and so is a dragonn-predict --track bigWig of a short model slid along the
# same reference (values at every base whose window fits: igv.js must draw them all).
# Usage: DRAGONN_BIN=.build/release scripts/test-browser.sh [OUTDIR]   (make test-browser)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bin=${DRAGONN_BIN:-$repo/.build/release}
export PATH="$bin:$PATH"
out=${1:-$(mktemp -d /tmp/dragonn-browser.XXXXXX)}
mkdir -p "$out"
cd "$out"
fail() { echo "test-browser: $*" >&2; exit 1; }

for tool in chromium samtools python3; do command -v $tool >/dev/null || fail "$tool is not installed (make deps installs it)"; done
igv_dir=$(python3 -c 'import igv_notebook, os; print(os.path.join(os.path.dirname(igv_notebook.__file__), "js"))') \
  || fail "the igv-notebook Python package is not installed (make deps installs it)"
cp "$igv_dir/igv.min.js" .

# A small model that finds TAL1 boxes, and a few test sequences with their truth.
dragonn-sim single-motif-detection --motif TAL1_known4 --seq-length 200 --num-pos 400 --num-neg 400 -s 1 -q -o train.fa
dragonn-train train.fa -o model --num-filters 10 --conv-width 10 --pool-width 10 --epochs 8 -s 1 2>/dev/null
dragonn-sim single-motif-detection --motif TAL1_known4 --seq-length 200 --num-pos 4 --num-neg 4 -s 2 -q -o ref.fa --bed truth.bed
samtools faidx ref.fa
dragonn-attrib deeplift -m model.safetensors ref.fa -o deeplift.bedGraph.gz 2>/dev/null
[ -s deeplift.bedGraph.gz.tbi ] || fail "dragonn-attrib wrote no tabix index"
# A bigWig starts with the magic 0x888FFC26 (little-endian); a tool without bigWig output may write
# a text track to a .bw path, which is not one.
is_bigwig() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 26fc8f88 ]; }
bigwig=${BIGWIG:-}
if [ -n "$bigwig" ]; then
  is_bigwig "$bigwig" || fail "$bigwig is not a bigWig file"
elif dragonn-attrib deeplift -m model.safetensors ref.fa -o deeplift.bw 2>/dev/null && is_bigwig deeplift.bw; then
  bigwig=deeplift.bw
else
  rm -f deeplift.bw
  echo "test-browser: dragonn-attrib writes no bigWig here; give BIGWIG=FILE.bw to check one"
fi
[ -n "$bigwig" ] && [ "$bigwig" != deeplift.bw ] && cp "$bigwig" deeplift.bw && bigwig=deeplift.bw
# A 51 bp model slid along the reference: values at every base whose window fits (25..174 of each
# 200 bp sequence).
dragonn-sim single-motif-detection --motif TAL1_known4 --seq-length 51 --num-pos 200 --num-neg 200 -s 3 -q -o short.fa
dragonn-train short.fa -o short --num-filters 5 --conv-width 10 --pool-width 10 --epochs 2 -s 1 2>/dev/null
dragonn-predict -m short.safetensors --genome ref.fa --track track.bw 2>/dev/null
is_bigwig track.bw || fail "dragonn-predict --track wrote no bigWig"
# The view: the first embedded motif's sequence, whole.
read -r chrom mstart mend _ < truth.bed
python3 - "$chrom" "${bigwig:+yes}" > index.html <<'EOF'
import json, sys
chrom, with_bigwig = sys.argv[1], sys.argv[2] == 'yes'
tracks = [
    {'name': 'deeplift', 'type': 'wig', 'format': 'bedgraph', 'url': 'deeplift.bedGraph.gz',
     'indexURL': 'deeplift.bedGraph.gz.tbi', 'height': 120, 'color': 'rgb(0,0,180)', 'autoscale': True},
    {'name': 'truth', 'type': 'annotation', 'format': 'bed', 'url': 'truth.bed', 'height': 40,
     'color': 'rgb(200,0,0)', 'displayMode': 'COLLAPSED'},
]
tracks.append({'name': 'track', 'type': 'wig', 'format': 'bigwig', 'url': 'track.bw', 'height': 120,
               'color': 'rgb(140,0,140)', 'autoscale': True})
if with_bigwig:
    tracks.append({'name': 'bigwig', 'type': 'wig', 'format': 'bigwig', 'url': 'deeplift.bw', 'height': 120,
                   'color': 'rgb(0,140,0)', 'autoscale': True})
options = {'loadDefaultGenomes': False, 'showIdeogram': False, 'showNavigation': False, 'showControls': False,
           'reference': {'id': 'dragonn-sim', 'name': 'dragonn-sim', 'fastaURL': 'ref.fa', 'indexURL': 'ref.fa.fai'},
           'locus': f'{chrom}:1-200', 'tracks': tracks}
print('''<!doctype html><html><head><meta charset="utf-8"><title>loading</title>
<script src="igv.min.js"></script></head>
<body style="margin:0;background:#fff">
<div id="igv" style="width:1000px"></div>
<pre id="status">loading</pre>
<script>
(async () => {
  const status = document.getElementById('status');
  try {
    const browser = await igv.createBrowser(document.getElementById('igv'), %s);
    await new Promise(r => setTimeout(r, 2000));   // let every track draw
    const frame = browser.referenceFrameList[0];
    const report = {frame: {chr: frame.chr, start: frame.start, bpPerPixel: frame.bpPerPixel}, tracks: []};
    for (const view of browser.trackViews) {
      const port = view.viewports[0];
      const box = (port.viewport || port.$viewport.get(0)).getBoundingClientRect();
      report.tracks.push({name: view.track.name, type: view.track.type, x: box.left, y: box.top, width: box.width, height: box.height});
    }
    status.textContent = 'STATUS ' + JSON.stringify(report);
    document.title = 'loaded';
  } catch (e) {
    status.textContent = 'ERROR ' + e;
    document.title = 'error';
  }
})();
</script></body></html>''' % json.dumps(options))
EOF

python3 "$repo/scripts/range-http-server.py" . port &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || fail "the HTTP server did not start"
url="http://127.0.0.1:$(cat port)/index.html"
browse() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$out/profile" --window-size=1000,900 --virtual-time-budget=30000 "$@" "$url" 2>/dev/null
}
browse --dump-dom > dom.html || true
grep -q '>STATUS ' dom.html || fail "igv.js did not report the tracks: $(grep -o 'ERROR[^<]*' dom.html || echo 'no status')"
browse --screenshot="$out/screenshot.png" >/dev/null || true
[ -s screenshot.png ] || fail "chromium took no screenshot"

python3 - "$mstart" "$mend" "${bigwig:+yes}" <<'EOF'
import html, json, re, struct, sys, zlib
start, end, with_bigwig = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == 'yes'
report = json.loads(html.unescape(re.search(r'>STATUS (\{.*?\})</pre>', open('dom.html').read()).group(1)))
tracks = {t.get('name'): t for t in report['tracks']}
wanted = ['deeplift', 'truth', 'track'] + (['bigwig'] if with_bigwig else [])
for name in wanted:
    if name not in tracks:
        sys.exit(f'test-browser: igv.js did not load the {name} track (loaded: {sorted(tracks)})')

def read_png(path):
    """RGB(A) 8-bit non-interlaced PNG (what Chromium writes) -> (width, height, rows of pixels)."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat = 8, b''
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows

width, height, pixels = read_png('screenshot.png')
frame = report['frame']
def coloured(track, x0, x1):
    """Pixels in the track's box between page columns x0 and x1 that are clearly coloured."""
    t = tracks[track]
    n = 0
    for y in range(int(t['y']), min(height, int(t['y'] + t['height']))):
        for x in range(max(0, int(x0)), min(width, int(x1) + 1)):
            r, g, b = pixels[y][x]
            n += max(r, g, b) - min(r, g, b) > 60
    return n
def column(track, base):
    return tracks[track]['x'] + (base - frame['start']) / frame['bpPerPixel']
results = {}
for name in wanted:
    # The predict track has values at bases 25..174 only, wherever the motif lies: bases 150..170
    # (igv.js once drew only the first blocks of a track, so look near its end).
    a, b = (start, end) if name != 'track' else (150, 170)
    results[name] = coloured(name, column(name, a), column(name, b))
print('test-browser: coloured pixels over the motif (track: bases 150-170) ' + ', '.join(f'{k} {v}' for k, v in results.items())
      + f" ({frame['chr']}:{start}-{end}, {frame['bpPerPixel']:.3f} bp/pixel)")
for name, n in results.items():
    if n < 20:
        sys.exit(f'test-browser: the {name} track is blank where it has values ({frame["chr"]}:{start}-{end})')
EOF
echo "test-browser: igv.js drew the reference, the BGZF bedGraph, the truth BED, the predict --track bigWig${bigwig:+ and the attribution bigWig} (screenshot: $out/screenshot.png)"
