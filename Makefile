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
BIN        := $(shell pwd)/.build/release
TOOLS      := $(notdir $(wildcard Sources/dragonn-*))

.PHONY: all deps build test demo bench install docs clean

all: build

# System packages (htslib, zlib, pkg-config) and numpy (tests read .npy with it).
deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists htslib || [ ! -f /usr/include/zlib.h ] \
	    || ! command -v tabix >/dev/null; then \
	  echo "installing libhts-dev zlib1g-dev pkg-config tabix"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libhts-dev zlib1g-dev pkg-config tabix >/dev/null; \
	fi
	@python3 -c 'import numpy' 2>/dev/null || python3 -m pip install -q numpy

build: deps
	$(SWIFT) build $(BUILDFLAGS)

test: build
	DRAGONN_BIN=$(BIN) $(SWIFT) test $(BUILDFLAGS)

demo: build
	DRAGONN_BIN=$(BIN) bash scripts/demo.sh demo-out

bench: build
	DRAGONN_BIN=$(BIN) bash scripts/bench.sh bench-out

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
	rm -rf .build demo-out bench-out
