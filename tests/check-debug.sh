#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check-debug": the tests on the sanitizer kernel (scripts/debug-kernel.sh:
# Debian 12's linux-source-6.1 with KASAN, KFENCE, lockdep,
# DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_LIST).  Builds it when it is not
# cached (the cold build takes long: see README.md, Tests), builds our
# modules against its in-place tree, runs the VM fake-guest suite on it
# (tests/vm/run.sh --fake-only debug: the fake-guest tests, the hostile
# guests' random chains, ioctl races and killed owners, module reloads),
# where any sanitizer report or a leak
# allocated by our module fails, and shows that the sanitizers are live: a
# test build with a use-after-free and a leak (VT_TEST_MEMBUGS) must fail
# with a KASAN (or KFENCE) report and a kmemleak report.
# Ends with "N passed, N failed, N skipped"; exits non-zero on any failure.
# shellcheck disable=SC2317 # the test functions run through t()
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cd "$top" || exit 1

. "$top/tests/report.sh"

# shellcheck disable=SC2086 # a list of package names
vt_need_pkgs gcc make kmod bc flex bison libelf-dev libssl-dev linux-source-6.1 xz-utils $VT_VM_PKGS ||
	{ ko setup "cannot install the test dependencies"; finish; }

# ---- the kernel (cached; a cold build says how long it took) ----
debug_kernel() {
	local t0=$SECONDS
	scripts/debug-kernel.sh build || return 1
	echo "debug kernel ready in $((SECONDS - t0)) s; $(scripts/debug-kernel.sh status)"
}
t debug-kernel debug_kernel
if ! scripts/debug-kernel.sh status >/dev/null; then
	finish
fi
echo "      $(scripts/debug-kernel.sh status) (release, seconds of its cold build)"

# ---- our modules against its in-place tree (W=1, modpost clean) ----
t matrix-debug scripts/matrix.sh debug
sed 's/^/      /' build/matrix/table.txt 2>/dev/null

# ---- the fake-guest suite in the VM, every test counted ----
vm_suite() {
	local r
	VT_RANDOM_PACKETS=${VT_RANDOM_PACKETS:-1000000} VT_VM_OUT=$top/build/vm tests/vm/run.sh --fake-only debug >"$out/vm-debug.log" 2>&1
	r=$?
	if [ ! -f build/vm/debug/results ]; then
		ko vm-debug "no results (see build/tests/vm-debug.log)"
		return
	fi
	results vm-debug build/vm/debug/results
	[ ! -f build/vm/debug/note ] || sed 's/^/      /' build/vm/debug/note
	echo "      the VM ran $(cat build/vm/debug/seconds 2>/dev/null || echo '?') s (console: build/vm/debug/console.log)"
	[ "$r" -eq 0 ] || grep -q "^FAIL" build/vm/debug/results || ko vm-debug-harness "exit $r, see build/tests/vm-debug.log"
}
vm_suite

# ---- the sanitizers are live: a module with a use-after-free and a leak ----
sanitizers_catch() {
	local d=$top/build/membugs-debug r
	rm -rf "$d" "$d-vm"
	VT_KBUILD_EXTRA=VT_TEST_MEMBUGS=y VT_MATRIX_OUT=$d scripts/matrix.sh debug || return 1
	# The stream tests only (packets from the guest, module reloads) and
	# a short hostile-guest part, as the full tier's broken-module runs.
	VT_FAKE_ONLY=stream VT_RANDOM_PACKETS=10000 VT_RACE_SECONDS=2 VT_MODULES_DIR=$d \
		VT_VM_OUT=$d-vm tests/vm/run.sh --fake-only debug
	r=$?
	echo "the VM ran $(cat "$d-vm/debug/seconds" 2>/dev/null || echo '?') s"
	[ "$r" -ne 0 ] || { echo "the harness passed a module with a use-after-free and a leak"; return 1; }
	# KASAN (or KFENCE, when it sampled that allocation) reports it in
	# our module, and the console check failed the run on it.
	grep '^FAIL console-clean' "$d-vm/debug/results" ||
		{ echo "the console check did not fail"; return 1; }
	grep -E 'BUG: (KASAN|KFENCE): use-after-free.*\[vhost_vsock\]' "$d-vm/debug/splats" ||
		{ echo "no use-after-free report in vhost_vsock among the console's reports"; return 1; }
	grep '^FAIL kmemleak-no-leak-from-vhost_vsock: [1-9]' "$d-vm/debug/results" ||
		{ echo "kmemleak did not fail the run"; return 1; }
}
t sanitizers-catch-use-after-free-and-leak sanitizers_catch

finish
