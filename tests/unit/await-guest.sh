#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/await-guest.sh: how the VM harness's await_guest
# (tests/vm/guest-lib.sh) judges a nested guest, with fake QEMUs instead of
# real ones, under busybox sh as in the test VM:
#   - one that boots slowly but steadily is waited for, however long;
#   - one whose console stops, whose kernel panics in early boot, or whose
#     QEMU dies of a signal, twice, is the emulator's failure
#     ("emulator:"), after exactly two boots, within one deadline;
#   - one whose QEMU names vhost or vsock in an error (a refused ioctl),
#     whose console never gets a byte, or whose vhost worker burns CPU for
#     a device never started, is ours ("module:"), at once.
# (A QEMU thread blocked in the kernel, also "module:", is not faked.)
# Prints "PASS name" / "FAIL name: why"; exits 1 on any failure.
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${VT_UNDER_BUSYBOX:-}" ] || VT_UNDER_BUSYBOX=1 exec busybox sh "$0" "$@"
tmp=$(mktemp -d)
[ -d "$tmp" ] || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }

. "$top/tests/vm/guest-lib.sh"
VT_GUEST_STALL=2 VT_GUEST_BOOT_MAX=60

# The fake QEMU: SCENARIO LOG; its console is LOG, its stderr LOG.qemu.
cat >"$tmp/fakeqemu" <<'EOF'
case $1 in
slow)	# 5 s to /init, a line every second
	for i in 1 2 3 4 5; do echo "[ $i.0] booting" >>"$2"; sleep 1; done
	echo GUEST-INIT >>"$2"
	exec sleep 600 ;;
stuck)	echo "[ 4.1] Spectre V2 : Spectre mitigation" >>"$2"; exec sleep 600 ;;
panic)	echo "[ 1.0] Kernel panic - not syncing: Attempted to kill the idle task!" >>"$2"; exit 0 ;;
crash)	# QEMU itself dies (a TCG crash): no message, no guest panic
	echo "[ 1.0] booting" >>"$2"
	exec "$3/segv" ;;
refused) echo "qemu-system-x86_64: -device vhost-vsock-pci,guest-cid=3: vhost-vsock: unable to set guest cid: Invalid argument" >&2
	exit 1 ;;
silent)	exec sleep 600 ;;
hog)	# a worker thread of ours named after its owner, burning CPU while
	# the console still grows (bash: a program whose name is not its
	# own, as busybox's must be)
	cp "$(command -v bash)" "$3/vhost-$$"
	"$3/vhost-$$" -c 'while :; do :; done' &
	echo $! >"$3/hog.pid"
	for i in 1 2 3 4 5 6; do echo "[ $i.0] booting" >>"$2"; sleep 1; done
	exec sleep 600 ;;
esac
EOF
# A program that dies of SIGSEGV, as a crashing QEMU.
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/segv"
chmod +x "$tmp/segv"
# Replaces the lib's guest(): the scenario comes from $scenario.
guest() {
	sh "$tmp/fakeqemu" "$scenario" "$2" "$tmp" 2>"$2.qemu" &
}

# check NAME SCENARIO WANT-RC WANT-WHY WANT-ATTEMPTS
check() {
	scenario=$2
	rm -f "$tmp"/log* "$tmp/hog.pid"
	guest 3 "$tmp/log"
	await_guest 3 "$tmp/log" $! >"$tmp/out" 2>&1
	rc=$?
	[ -z "$gpid" ] || kill -9 "$gpid" 2>/dev/null
	[ ! -s "$tmp/hog.pid" ] || kill -9 "$(cat "$tmp/hog.pid")" 2>/dev/null
	n=$(grep -c 'never reached its /init' "$tmp/out")
	case $boot_why in
	"$4"*) [ -n "$4" ] || [ -z "$boot_why" ] || { fail "$1" "boot_why '$boot_why', want none"; return; } ;;
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
check await-qemu-crash-twice-is-the-emulator crash 1 emulator: 2
check await-qemu-vhost-error-is-the-module refused 1 "module: QEMU said" 1
check await-never-started-is-the-module silent 1 "module: the guest never printed" 1
check await-busy-worker-is-the-module hog 1 "module: the vhost worker" 1
# One deadline over both boots (inside the VM's own time limit).
t0=$(cut -d. -f1 /proc/uptime)
VT_GUEST_STALL=100 VT_GUEST_BOOT_MAX=6
check await-deadline-over-both-boots stuck 1 emulator: 2
t=$(($(cut -d. -f1 /proc/uptime) - t0))
[ $t -le 16 ] || fail await-deadline-over-both-boots-time "$t s for a 6 s deadline"
[ $fails = 0 ]
