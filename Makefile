# dragonn — build, test, demo, bench, install.  `make demo` and `make test` work on a fresh Debian
# machine: they install what is missing first.

SWIFT      ?= swift
PREFIX     ?= /usr/local
# Release builds are tuned for the CPU: AVX-512 (skylake-avx512: the engine's SIMD16 kernels run
# about 2x faster than with AVX2) or AVX2+FMA (haswell) where the machine has it, the baseline
# otherwise.  `make TARGET_CPU=native` tunes for this very machine.
ARCH       := $(shell uname -m)
ifeq ($(ARCH),x86_64)
TARGET_CPU ?= $(shell if grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo; \
                then echo skylake-avx512; \
                elif grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo; then echo haswell; else echo x86-64; fi)
CPUFLAGS   := -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU)
# With 32 vector registers the engine's kernels keep more accumulators (DRAGONN_AVX512).
ifneq ($(filter skylake-avx512 cascadelake cooperlake icelake-server sapphirerapids znver4 znver5,$(TARGET_CPU)),)
CPUFLAGS   += -Xswiftc -DDRAGONN_AVX512
else ifeq ($(TARGET_CPU),native)
CPUFLAGS   += $(shell grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && echo -Xswiftc -DDRAGONN_AVX512)
endif
endif
BUILDFLAGS := -c release $(CPUFLAGS)
# The baseline test leg's CPU: the portable x86-64 target, no DRAGONN_AVX512 (see test-baseline).
BASELINE_CPU   ?= x86-64
BASELINE_FLAGS := $(if $(filter x86_64,$(ARCH)),-Xswiftc -target-cpu -Xswiftc $(BASELINE_CPU))
FUZZ_SECONDS   ?= 20
BIN        := $(shell pwd)/.build/release
TOOLS      := $(notdir $(wildcard Sources/dragonn-*))

.PHONY: all deps build test test-browser test-release test-debug test-baseline fuzz sanitize-address sanitize-thread ci demo bench install docs clean

all: build

# What building and testing need, installed only when missing: Debian packages (below) and the
# Python packages the tests read the suite's files with.
deps:
	@# Debian packages: htslib, zlib and pkg-config to build; tabix, bcftools, bedtools, samtools,
	@# chromium (igv.js), mandoc and groff: the real tools the tests read the suite's files with.
	@missing=""; \
	for p in pkg-config:pkg-config tabix:tabix bcftools:bcftools bedtools:bedtools samtools:samtools \
	         chromium:chromium mandoc:mandoc groff:groff-base; do \
	  command -v $${p%%:*} >/dev/null || missing="$$missing $${p#*:}"; done; \
	[ -f /usr/include/htslib/hts.h ] || missing="$$missing libhts-dev"; \
	[ -f /usr/include/zlib.h ] || missing="$$missing zlib1g-dev"; \
	[ -f /usr/include/libdeflate.h ] || missing="$$missing libdeflate-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# Python packages the tests use: numpy (.npy), pyBigWig, pysam, pandas, memelite (FIMO), snakemake
	@# (the genome workflow), igv-notebook (the igv.js the browser test loads).
	@python3 -c 'import numpy, pyBigWig, pysam, pandas, memelite, igv_notebook' 2>/dev/null && command -v snakemake >/dev/null \
	  || python3 -m pip install -q numpy pyBigWig pysam pandas memelite snakemake igv-notebook \
	  || python3 -m pip install -q --break-system-packages numpy pyBigWig pysam pandas memelite snakemake igv-notebook

build: deps
	$(SWIFT) build $(BUILDFLAGS)

# Test legs, each in its own scratch folder so that none rebuilds another's.
# `make test` = test-release (every test, the tools built as `make build` builds them) + test-debug
# (the unit tests unoptimised: assertions and preconditions on, debug-only code paths).
# `make ci` (what .ci/run calls) adds test-browser, test-baseline (unit tests for BASELINE_CPU without
# DRAGONN_AVX512: the default kernel schedule of non-AVX-512 builds), the fuzzers (FUZZ_SECONDS
# per parser) and the ThreadSanitizer and AddressSanitizer legs.
test: test-release test-debug

# (swift test builds the tools too, with testing enabled: a separate `make build` first would
# compile everything twice.)
test-release: deps
	DRAGONN_BIN=$(BIN) $(SWIFT) test $(BUILDFLAGS)

# igv.js (from the igv-notebook package) in headless Chromium draws a dragonn-sim reference, a
# dragonn-attrib BGZF bedGraph and the truth BED (scripts/test-browser.sh; .ci/run runs it).
test-browser: build
	DRAGONN_BIN=$(BIN) BIGWIG=$(BIGWIG) bash scripts/test-browser.sh

test-debug: deps
	$(SWIFT) test --scratch-path .build-debug --filter DragonnKitTests

test-baseline: deps
	$(SWIFT) test -c release $(BASELINE_FLAGS) --scratch-path .build-baseline --filter DragonnKitTests

fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

sanitize-thread: deps
	bash scripts/sanitize.sh thread

sanitize-address: deps
	bash scripts/sanitize.sh address

ci: test test-browser test-baseline fuzz sanitize-thread sanitize-address

demo: build
	DRAGONN_BIN=$(BIN) bash scripts/demo.sh demo-out

# BENCH_README=README.md also rewrites the README's figures table from this run.
bench: build
	DRAGONN_BIN=$(BIN) BENCH_README=$(BENCH_README) bash scripts/bench.sh bench-out

# Regenerates the committed man pages and shell completions from the parsers.
docs: build
	bash scripts/docs.sh $(BIN)

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/dragonn \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for t in $(TOOLS); do \
	  install -m 755 $(BIN)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; \
	  install -m 644 man/$$t.1 $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1; \
	  install -m 644 completions/$$t.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t; \
	  install -m 644 completions/_$$t $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$t; \
	  install -m 644 completions/$$t.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done
	install -m 644 Sources/DragonnKit/Resources/* $(DESTDIR)$(PREFIX)/share/dragonn/

clean:
	rm -rf .build .build-debug .build-baseline .build-fuzz .build-asan .build-tsan demo-out bench-out genome-workflow-out .snakemake
