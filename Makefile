# kvmprof - thin wrapper over Meson + Ninja.
#
#   make          install build dependencies (Debian, apt-get), build build/kvmprof
#   make check    also install test tools (linux-perf oracle, cmocka, tmux...), build
#                 with ASan+UBSan and run every test (unit, e2e, oracle, live, fuzz
#                 regression replay), then every fuzz target for FUZZ_CHECK_RUNS inputs
#                 with a fixed seed (deterministic: the same tree gives the same result)
#   make fuzz     every libFuzzer target FUZZ_SECONDS (600) with clang (fuzz/README.md)
#   make warnings gcc and clang builds with -Wall -Wextra -Werror -D_FORTIFY_SOURCE=3
#   make bench    every bench/*.sh against Linux perf, then the ratios (docs/PERFORMANCE.md)
#   make demo     build, run kvmprof against the bundled demo guest, show a report
#   make install  install the binary and man pages (PREFIX=/usr/local)

PREFIX ?= /usr/local
BUILD ?= build
ASAN_BUILD ?= build-asan
MESON ?= meson
NINJA ?= ninja

BUILD_PKGS := gcc meson ninja-build pkg-config libelf-dev libdw-dev libiberty-dev libtraceevent-dev \
	libtracefs-dev libzstd-dev libncurses-dev scdoc clang bpftool libbpf-dev libmicrohttpd-dev
BUILD_PKGS += libdebuginfod-dev
BUILD_PKGS += libprotobuf-c-dev protobuf-c-compiler zlib1g-dev
TEST_PKGS := libcmocka-dev linux-perf tmux binutils time curl prometheus
# t0610 (real SVM exits): QEMU TCG boots Debian's kernel with a busybox initramfs
TEST_PKGS += qemu-system-x86 busybox-static cpio
TEST_PKGS += debuginfod
TEST_PKGS += golang-go chromium

.PHONY: all deps test-deps build check demo install clean bench fuzz warnings

# fuzzing (fuzz/README.md): make fuzz FUZZ_SECONDS=N runs every target N s, 2 at a time;
# make check runs each target for FUZZ_CHECK_RUNS inputs, seed 1, after the test suite.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_CHECK_RUNS ?= 200

all: build

# apt-get only what is missing, so a second run does nothing.
deps:
	@./tools/install-deps.sh $(BUILD_PKGS)

test-deps: deps
	@./tools/install-deps.sh $(TEST_PKGS)

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=debugoptimized --prefix=$(PREFIX)

build: deps $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true

check: test-deps build $(ASAN_BUILD)/build.ninja
	$(NINJA) -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(MESON) test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 $(TESTS); \
	rc=$$?; ./tools/test-summary.py $(ASAN_BUILD)/meson-logs/testlog.json || rc=1; \
	if [ -z "$(TESTS)" ]; then FUZZ_SEED=1 FUZZ_RUNS=$(FUZZ_CHECK_RUNS) $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=300 || rc=1; fi; \
	exit $$rc

$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) --buildtype=debug -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		"-Dc_args=-O1 -fsanitize=fuzzer-no-link -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"

fuzz: deps $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD)
	./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# the compiler-warning matrix: gcc and clang, -Wall -Wextra -Werror, -D_FORTIFY_SOURCE=3
# (meson.build adds it to every optimized build)
warnings: deps
	for cc in gcc clang; do \
		[ -f build-warn-$$cc/build.ninja ] || CC=$$cc $(MESON) setup build-warn-$$cc \
			--buildtype=debugoptimized -Dwarning_level=2 -Dwerror=true || exit 1; \
		$(NINJA) -C build-warn-$$cc || exit 1; \
	done

demo: test-deps build
	@./tools/demo.sh $(BUILD)

install: build
	$(MESON) install -C $(BUILD)

# every bench/*.sh against Linux perf; the ratio lines are repeated at the end
# (docs/PERFORMANCE.md keeps them with the date and machine)
bench: test-deps build
	@mkdir -p $(BUILD)/bench; rc=0; for b in bench/*.sh; do n=$$(basename $$b .sh); \
		echo "== $$b"; ./$$b $(BUILD)/kvmprof >$(BUILD)/bench/$$n.log 2>&1 || rc=1; \
		cat $(BUILD)/bench/$$n.log; done; \
	echo "== summary ($$(date -u +%F), $$(nproc) CPUs, $$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))"; \
	for b in bench/*.sh; do n=$$(basename $$b .sh); \
		grep -iE 'faster|ratio|speed|overhead|RSS' $(BUILD)/bench/$$n.log | sed "s|^|$$n: |"; done; \
	exit $$rc

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-warn-gcc build-warn-clang
