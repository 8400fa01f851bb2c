#!/usr/bin/env bash
# A sanitizer leg: builds everything with AddressSanitizer or ThreadSanitizer (own scratch folder,
# release optimisation and the Makefile's CPU tuning, so the engine's kernels run as shipped) and
# runs tests against the sanitized build: the end-to-end tests then drive the sanitized tools.
#
# Usage: scripts/sanitize.sh address|thread [TEST_FILTER]
#   address: every unit test (DragonnKitTests) and the end-to-end tests, whose tools read
#            malformed and valid files through every parser.
#   thread:  the unit tests, and the end-to-end tests of the threaded engine (training,
#            prediction, attribution, each run with several threads).
#   TEST_FILTER replaces the default selection (a `swift test --filter` pattern).
# Prints the time of the leg (swift's "Build complete" line gives the build's share). A sanitizer
# report fails the test that triggered it (the sanitizer aborts the process), so a green run has none.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case $mode in
  # The peak-RSS bound of dragonn-encode's streaming test measures ASan's shadow memory, not ours.
  address) scratch=.build-asan; filter=${2:-'DragonnKitTests|EndToEndTests'}; skip=(--skip 'testStreamsInBoundedMemory') ;;
  thread)  scratch=.build-tsan; filter=${2:-'DragonnKitTests|EndToEndTests\.(TrainPredict|Attrib)'}; skip=() ;;
  *) echo "usage: scripts/sanitize.sh address|thread [TEST_FILTER]" >&2; exit 2 ;;
esac
# The Makefile's CPU tuning (AVX-512 or AVX2+FMA where the machine has them): at the baseline
# target the SIMD kernels are scalarised and the legs would take many times longer.
cpuflags=()
if grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo; then
  cpuflags=(-Xswiftc -target-cpu -Xswiftc skylake-avx512 -Xswiftc -DDRAGONN_AVX512)
elif grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo; then
  cpuflags=(-Xswiftc -target-cpu -Xswiftc haswell)
fi
flags=(-c release --sanitize="$mode" --scratch-path "$scratch" "${cpuflags[@]}")

# Sanitizer reports abort the process; Swift's own crash handler would only get in their way.
export SWIFT_BACKTRACE=enable=no
# Leak checking is off: the Swift runtime's metadata caches and Foundation hold memory for the
# process's lifetime, which LeakSanitizer reports as leaks. halt_on_error makes a report fatal.
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export TSAN_OPTIONS=halt_on_error=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}

started=$(date +%s)
# DRAGONN_BIN unset: the end-to-end tests find the sanitized tools beside the test bundle.
unset DRAGONN_BIN
# `swift test` builds too (the tests need testable imports, which only it turns on). The gold
# linker warns about every sanitizer symbol it cannot export: noise, left out.
set +o pipefail +e
swift test "${flags[@]}" --filter "$filter" "${skip[@]}" 2>&1 | grep --line-buffered -v "Cannot export local symbol"
status=${PIPESTATUS[0]}
set -o pipefail -e
echo "sanitize: $mode leg ($filter) took $(( $(date +%s) - started )) s in all (build time: 'Build complete' above), exit $status"
exit "$status"
