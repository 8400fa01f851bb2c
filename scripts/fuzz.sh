#!/usr/bin/env bash
# Fuzzes every file parser with libFuzzer: builds the harness (Sources/DragonnFuzz) with the
# fuzzer and address sanitizers in a debug build (bounds, overflow and precondition checks on),
# then runs each parser's fuzzer for FUZZ_SECONDS from its seed corpus testdata/fuzz/<parser>/.
# The corpus is copied to a scratch folder first, so runs never dirty git. Exits non-zero when
# any fuzzer crashes; the crashing input is kept and its path printed (add it to the corpus as a
# regression file once the parser is fixed).
#
# Usage: scripts/fuzz.sh [PARSER...]      (default: every folder under testdata/fuzz)
#   FUZZ_SECONDS   seconds per parser (default 30)
#   FUZZ_OUT       scratch folder for corpora, logs and crash inputs (default: a new temp folder)
#   FUZZ_ARGS      extra libFuzzer flags (e.g. -jobs=2 -workers=2)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
scratch=.build-fuzz
# SwiftPM hands swiftc `-sanitize=fuzzer -sanitize=address` as two flags and the driver keeps only
# the last, which drops libFuzzer's coverage instrumentation: the combined -Xswiftc flag restores it.
build=(swift build --product DragonnFuzz --sanitize=fuzzer --sanitize=address --scratch-path "$scratch"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DDRAGONN_FUZZ)
started=$(date +%s)
out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/dragonn-fuzz.XXXXXX")}
mkdir -p "$out"
# The gold linker warns about every sanitizer symbol it cannot export: noise, not news.
if ! "${build[@]}" > "$out/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$out/build.log" | tail -40 >&2
  echo "fuzz: build failed" >&2; exit 1
fi
harness=$("${build[@]}" --show-bin-path 2>/dev/null)/DragonnFuzz
[ -x "$harness" ] || { echo "fuzz: build failed: no $harness" >&2; exit 1; }
echo "fuzz: harness built in $(( $(date +%s) - started )) s"

if [ $# -gt 0 ]; then parsers=("$@"); else
  parsers=(); for d in testdata/fuzz/*/; do parsers+=("$(basename "$d")"); done
fi

failed=()
for p in "${parsers[@]}"; do
  seeds=testdata/fuzz/$p
  [ -d "$seeds" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 1; }
  rm -rf "${out:?}/$p"; mkdir -p "$out/$p/corpus" "$out/$p/seeds"
  cp "$seeds"/* "$out/$p/seeds/"
  # Inputs up to four times the largest seed (at least 4 KiB): room to grow headers and records
  # without spending the time budget on huge inputs.
  largest=$(find "$seeds" -type f -printf '%s\n' | sort -n | tail -1)
  maxlen=$(( largest * 4 > 4096 ? largest * 4 : 4096 ))
  # A dictionary of the format's keywords helps the mutator past magic strings and JSON keys.
  case $p in
    encode|homer|meme|jaspar) dict=testdata/fuzz/motifs.dict ;;
    model|checkpoint) dict=testdata/fuzz/safetensors.dict ;;
    *) dict=testdata/fuzz/$p.dict ;;
  esac
  dictflag=(); [ -f "$dict" ] && dictflag=(-dict="$dict")
  # Leak reports are off: Foundation's file reading and the Swift runtime's metadata caches hold
  # memory that LeakSanitizer counts as leaked.
  set +e
  # SWIFT_BACKTRACE off: Swift's crash handler would otherwise run inside ASan's report.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} DRAGONN_FUZZ_PARSER=$p "$harness" -max_total_time="$seconds" -max_len="$maxlen" -rss_limit_mb=2048 \
    -timeout=30 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$out/$p/" "${dictflag[@]}" ${FUZZ_ARGS:-} \
    "$out/$p/corpus" "$out/$p/seeds" > "$out/$p/log" 2>&1
  status=$?
  set -e
  # (-a: a log can hold the raw bytes of an input.)
  runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$out/$p/log" | grep -o '[0-9]*$' | tail -1 || true)
  if [ $status -ne 0 ]; then
    failed+=("$p")
    echo "fuzz: $p: CRASH after ${runs:-?} inputs (log $out/$p/log)"
    grep -a -E 'dragonn-fuzz|ERROR: |Fatal error|SUMMARY|Test unit written' "$out/$p/log" | head -8 | sed 's/^/  /' || true
  else
    echo "fuzz: $p: ${runs:-?} inputs in ${seconds} s, no crash ($(ls "$out/$p/corpus" | wc -l) corpus entries)"
  fi
done
echo "fuzz: $(( $(date +%s) - started )) s in all; corpora and logs in $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
