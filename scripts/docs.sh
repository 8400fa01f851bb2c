#!/usr/bin/env bash
# Regenerates man/<tool>.1 and completions/ from the tools' own parsers (swift-argument-parser),
# so the committed pages and completions never drift from the options. Usage: scripts/docs.sh BIN_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release}
# The manual generator ships with swift-argument-parser; build it once (debug is enough), in
# DOCS_SCRATCH when set (a worktree's own build folder).
scratch=(); [ -n "${DOCS_SCRATCH:-}" ] && scratch=(--scratch-path "$DOCS_SCRATCH")
swift build "${scratch[@]}" --product generate-manual >/dev/null
gen=$(swift build "${scratch[@]}" --product generate-manual --show-bin-path)/generate-manual
mkdir -p man completions
for dir in Sources/dragonn-*/; do
  tool=$(basename "$dir")
  "$gen" "$bin/$tool" --section 1 --authors "the dragonn developers" --output-directory man
  # Examples as literal displays, one sentence a line: copyable commands, lint-clean pages.
  python3 scripts/mdoc-tidy.py "man/$tool.1"
  "$bin/$tool" --generate-completion-script bash > "completions/$tool.bash"
  "$bin/$tool" --generate-completion-script zsh  > "completions/_$tool"
  "$bin/$tool" --generate-completion-script fish > "completions/$tool.fish"
  echo "docs: man/$tool.1 completions/{$tool.bash,_$tool,$tool.fish}"
done
