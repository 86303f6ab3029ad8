# SPDX-License-Identifier: GPL-2.0
#
# vsock-transports: vhost_vsock and hv_sock built out of tree.
#
#   make                      modules for the running kernel
#   make KVER=6.1.0-26-amd64  modules for an installed kernel's headers
#   make KDIR=/path/to/build  modules for a prepared kernel build tree
#   make check                the tests (fast tier; CI=true runs the full tier)
#   make check-debug          the VM tests on a KASAN/lockdep/kmemleak kernel
#   make matrix               build on every Debian kernel line, in chroots
#
# See README.md for the rest.

VERSION := $(shell cat $(CURDIR)/VERSION)

ifneq ($(KDIR),)
KDIR := $(abspath $(KDIR))
else
KVER ?= $(shell uname -r)
KDIR := /lib/modules/$(KVER)/build
endif

# Extra kbuild arguments, e.g. W=1 or C=1.
KBUILD_ARGS ?=

.PHONY: all modules clean check check-debug matrix version vmtest bench demo deb rpm dist dkms-install dkms-uninstall

all: modules

# "+": build.sh runs kbuild's make, which must get this make's jobserver
# (DKMS runs "make -jN"); without it kbuild fell back to -j1.
modules:
	+@$(CURDIR)/scripts/build.sh $(KDIR) $(KBUILD_ARGS)

clean:
	@if [ -e $(KDIR)/Makefile ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/src VT_GEN=none clean; fi
	rm -rf build

version:
	@echo $(VERSION)

check:
	@$(CURDIR)/tests/run.sh

# The fake-guest VM tests on the sanitizer kernel (scripts/debug-kernel.sh,
# built and cached on first use: a long cold build, see README.md, Tests).
check-debug:
	@$(CURDIR)/tests/check-debug.sh

matrix:
	@$(CURDIR)/scripts/matrix.sh $(MATRIX_ARGS)

# The VM tests (QEMU, TCG): all kernel lines, or VM_ARGS="--fake-only 6.1";
# VM_ARGS="--bench 6.1 7.3" measures ours against the in-tree module.
vmtest:
	@$(CURDIR)/tests/vm/run.sh $(VM_ARGS)

# The benchmark: ours against the in-tree vhost_vsock, loaded in turn in
# the same VM with a real nested guest, upstream's vsock_perf and our own
# round-trip, connection-rate and 64-stream programs; ratios per metric in
# build/vm/bench.md.  BENCH_LINES: Debian lines and shared bootable kernels
# (default: all of them).  VT_BENCH_PAIRS (5), VT_BENCH_MIB (32) tune it.
BENCH_LINES ?=
bench:
	@$(CURDIR)/tests/vm/run.sh --bench $(BENCH_LINES)

# Build for a Debian kernel, boot it in QEMU with a nested guest, and show
# host<->guest vsock traffic through our vhost_vsock.  DEMO_LINE=5.10 ... 7.3.
DEMO_LINE ?= 6.1
demo:
	@$(CURDIR)/scripts/demo.sh $(DEMO_LINE)

# Packages: vsock-transports-dkms_<version>_all.deb in build/.
deb:
	@$(CURDIR)/scripts/mkdeb.sh

# vsock-transports-dkms-<version>-1.noarch.rpm (and .src.rpm) in build/.
rpm:
	@$(CURDIR)/scripts/mkrpm.sh

# The release tarball build/vsock-transports-<version>.tar.gz (no git needed).
dist:
	@$(CURDIR)/scripts/mkdist.sh

# From a source checkout: register with DKMS and install for KVER (or, if
# KVER is not given on the command line, for every kernel with headers).
dkms-install:
	@$(CURDIR)/scripts/dkms-install.sh install $(if $(filter command line,$(origin KVER)),$(KVER))

dkms-uninstall:
	@$(CURDIR)/scripts/dkms-install.sh uninstall
