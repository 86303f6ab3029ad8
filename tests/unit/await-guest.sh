#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/await-guest.sh: how the VM harness's await_guest
# (tests/vm/guest-lib.sh) judges a nested guest, with fake QEMUs instead of
# real ones, under busybox sh as in the test VM:
#   - one that boots slowly but steadily is waited for, however long;
#   - one whose console stops, twice, or whose kernel panics in early
#     boot, twice, is the emulator's failure ("emulator:"), after exactly
#     two boots;
#   - one whose QEMU exits with no guest panic (a refused ioctl), or whose
#     vhost worker burns CPU for a device never started, is ours
#     ("module:"), at once.
# Prints "PASS name" / "FAIL name: why"; exits 1 on any failure.
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${VT_UNDER_BUSYBOX:-}" ] || VT_UNDER_BUSYBOX=1 exec busybox sh "$0" "$@"
tmp=$(mktemp -d)
trap 'pkill -9 -f "$tmp/" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

. "$top/tests/vm/guest-lib.sh"
VT_GUEST_STALL=4 VT_GUEST_BOOT_MAX=60

# The fake QEMU: SCENARIO LOG; its console is LOG, its stderr LOG.qemu.
cat >"$tmp/fakeqemu" <<'EOF'
case $1 in
slow)	# 8 s to /init, a line every second
	for i in 1 2 3 4 5 6 7 8; do echo "[ $i.0] booting" >>"$2"; sleep 1; done
	echo GUEST-INIT >>"$2"
	exec sleep 600 ;;
stuck)	echo "[ 4.1] Spectre V2 : Spectre mitigation" >>"$2"; exec sleep 600 ;;
panic)	echo "[ 1.0] Kernel panic - not syncing: Attempted to kill the idle task!" >>"$2"; exit 0 ;;
refused) echo "qemu-system-x86_64: -device vhost-vsock-pci,guest-cid=3: vhost-vsock: unable to set guest cid: Invalid argument" >&2
	exit 1 ;;
hog)	# a worker thread of ours named after its owner, burning CPU
	# (bash: a program whose name is not its own, as busybox's must be)
	cp "$(command -v bash)" "$3/vhost-$$"
	"$3/vhost-$$" -c 'while :; do :; done' &
	echo "[ 2.0] booting" >>"$2"; exec sleep 600 ;;
esac
EOF
# Replaces the lib's guest(): the scenario comes from $scenario.
guest() {
	sh "$tmp/fakeqemu" "$scenario" "$2" "$tmp" 2>"$2.qemu" &
}

# check NAME SCENARIO WANT-RC WANT-WHY WANT-ATTEMPTS
check() {
	scenario=$2
	rm -f "$tmp"/log*
	guest 3 "$tmp/log"
	await_guest 3 "$tmp/log" $! >"$tmp/out" 2>&1
	rc=$?
	kill -9 "$gpid" 2>/dev/null
	pkill -9 -f "$tmp/" 2>/dev/null
	n=$(grep -c 'never reached its /init' "$tmp/out")
	case $boot_why in
	"$4"*) ;;
	*) fail "$1" "boot_why '$boot_why', want '$4...'; $(cat "$tmp/out")"; return ;;
	esac
	if [ $rc != "$3" ] || [ "$n" != "$5" ]; then
		fail "$1" "rc $rc (want $3), $n failed boots (want $5): $(cat "$tmp/out")"
	else
		pass "$1"
	fi
}
check await-slow-boot-waited-for slow 0 "" 0
check await-stuck-twice-is-the-emulator stuck 1 emulator: 2
check await-early-panic-twice-is-the-emulator panic 1 emulator: 2
check await-qemu-refused-is-the-module refused 1 "module: QEMU exited" 1
check await-busy-worker-is-the-module hog 1 "module: the vhost worker" 1
[ $fails = 0 ]
