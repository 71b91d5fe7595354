# wiresift - a thin wrapper around Meson so that `make`, `make demo` and
# `make check` do everything on a fresh Debian 12 machine.
#
#   make          build build/wiresift
#   make demo     install build deps if missing, build, analyse samples/sample.pcap
#   make check    install test deps if missing, build, run every test (plain, then ASan+UBSan)
#   make fuzz     build the libFuzzer targets with clang and run each for a while
#   make bench    the side-by-side benchmark (bench/run)

BUILD    ?= build
SANBUILD ?= build-san
FUZZBUILD ?= build-fuzz
MESON    ?= meson
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUILD_DEPS := meson ninja-build pkg-config gcc libc6-dev libpcap-dev zlib1g-dev libcmocka-dev
TEST_DEPS  := $(BUILD_DEPS) tshark jq python3 gettext-base samba smbclient samba-common-bin tcpdump iproute2
FUZZ_DEPS  := clang libclang-rt-14-dev

.PHONY: all build demo check deps test-deps unit san golden diff fuzz-replay fuzz bench clean

all: build

define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_DEPS))

test-deps:
	$(call apt_install,$(TEST_DEPS))

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: deps
	$(MAKE) build
	./$(BUILD)/wiresift analyze samples/sample.pcap

$(SANBUILD)/build.ninja:
	$(MESON) setup $(SANBUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# Every test: unit + fuzz-replay + golden + differential, then the same under ASan+UBSan.
check: test-deps
	$(MAKE) build
	meson test -C $(BUILD) --print-errorlogs
	tests/run-golden.sh ./$(BUILD)/wiresift
	tests/diff/run.sh ./$(BUILD)/wiresift
	tests/lab/run.sh ./$(BUILD)/wiresift
	$(MAKE) $(SANBUILD)/build.ninja
	ninja -C $(SANBUILD)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		meson test -C $(SANBUILD) --print-errorlogs
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		tests/run-golden.sh ./$(SANBUILD)/wiresift --sanitized
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		tests/diff/run.sh ./$(SANBUILD)/wiresift
	@echo "make check: all tests passed"

golden: build
	tests/run-golden.sh ./$(BUILD)/wiresift

diff: build
	tests/diff/run.sh ./$(BUILD)/wiresift

$(FUZZBUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZBUILD) -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false

fuzz:
	$(call apt_install,$(FUZZ_DEPS))
	$(MAKE) $(FUZZBUILD)/build.ninja
	ninja -C $(FUZZBUILD)
	fuzz/run.sh $(FUZZBUILD) $${FUZZ_SECONDS:-60}

bench: build
	bench/run

clean:
	rm -rf $(BUILD) $(SANBUILD) $(FUZZBUILD)
