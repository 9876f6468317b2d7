# kvmprof - thin wrapper over Meson + Ninja.
#
#   make          install build dependencies (Debian, apt-get), build build/kvmprof
#   make check    also install test tools (linux-perf oracle, cmocka, tmux...), build
#                 with ASan+UBSan and run every test (unit, e2e, oracle, live)
#   make demo     build, run kvmprof against the bundled demo guest, show a report
#   make install  install the binary and man pages (PREFIX=/usr/local)

PREFIX ?= /usr/local
BUILD ?= build
ASAN_BUILD ?= build-asan
MESON ?= meson
NINJA ?= ninja

BUILD_PKGS := gcc meson ninja-build pkg-config libelf-dev libdw-dev libiberty-dev libtraceevent-dev \
	libtracefs-dev libzstd-dev libncurses-dev scdoc clang bpftool libbpf-dev libmicrohttpd-dev
TEST_PKGS := libcmocka-dev linux-perf tmux binutils time curl prometheus
# t0610 (real SVM exits): QEMU TCG boots Debian's kernel with a busybox initramfs
TEST_PKGS += qemu-system-x86 busybox-static cpio

.PHONY: all deps test-deps build check demo install clean bench

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
	rc=$$?; ./tools/test-summary.py $(ASAN_BUILD)/meson-logs/testlog.json || rc=1; exit $$rc

demo: test-deps build
	@./tools/demo.sh $(BUILD)

install: build
	$(MESON) install -C $(BUILD)

bench: test-deps build
	@for b in bench/*.sh; do echo "== $$b"; ./$$b $(BUILD)/kvmprof || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
