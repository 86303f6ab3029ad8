# SPDX-License-Identifier: GPL-2.0
# Nested guests of the test VM (sourced by tests/vm/init-host, and by
# tests/unit/await-guest.sh, which checks how await_guest tells a guest
# that never booted from one our module broke).  Needs VT_QEMU_CPU;
# VT_GUEST_STALL and VT_GUEST_BOOT_MAX (seconds) tune await_guest.

# guest CID LOG [ARGS [QEMU ARGS...]]: start a nested guest in the
# background, its QEMU monitor on the socket LOG.mon; ARGS go on its kernel
# command line (vt_client=0: servers only, no clients knocking on host
# ports nobody listens on).
guest() {
	_cid=$1 _log=$2 _args=${3:-}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	${VT_GUEST_CPUS:+taskset "$VT_GUEST_CPUS"} \
	qemu-system-x86_64 -accel tcg -cpu "$VT_QEMU_CPU" -m 256 -nodefaults -nographic \
		-no-reboot -kernel /guest/vmlinuz -initrd /guest/initrd.img \
		-append "console=ttyS0 earlycon=uart8250,io,0x3f8 panic=-1 $_args" \
		-serial "file:$_log" -device "vhost-vsock-pci,guest-cid=$_cid,id=vsock$_cid" \
		-monitor "unix:$_log.mon,server=on,wait=off" "$@" \
		>"$_log.qemu" 2>&1 &
}

# cpu_s PID: CPU seconds (user + system, every thread) a process has used.
cpu_s() { awk '{ print int(($14 + $15) / 100) }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# workers [PID]: the /proc/P/task/T directories of the vhost workers (a
# kernel thread, or a thread of the owner where the kernel has
# vhost_task, named "vhost-<owner pid>"): of owner PID, or of every owner.
workers() {
	for _c in /proc/[0-9]*/task/[0-9]*/comm; do
		read -r _n <"$_c" 2>/dev/null || continue
		# shellcheck disable=SC2254 # ${1:-*}: a pattern when no PID
		case $_n in vhost-${1:-*}) echo "${_c%/comm}" ;; esac
	done
}
# worker_cpu_s PID: CPU seconds of the vhost workers of owner PID.
worker_cpu_s() {
	for _d in $(workers "$1"); do cat "$_d/stat"; done 2>/dev/null |
		awk '{ n += $14 + $15 } END { print int(n / 100) }'
}

# blocked_in PID: the threads of PID that sit in the kernel, the same in
# two looks a second apart: in D state, or asleep in an ioctl (under TCG
# QEMU makes none but vhost's and the terminal's), as "TID:comm:wchan".
blocked_in() {
	_b1=$(_blocked_now "$1")
	[ -n "$_b1" ] || return 0
	sleep 1
	for _t in $(_blocked_now "$1"); do
		case " $_b1 " in *" $_t "*) echo "$_t:$(cat "/proc/$1/task/$_t/comm" "/proc/$1/task/$_t/wchan" 2>/dev/null | tr '\n ' ':_')" ;; esac
	done
}
_blocked_now() {
	for _d in /proc/"$1"/task/[0-9]*; do
		read -r _sc _x <"$_d/syscall" 2>/dev/null || _sc=
		_st=$(sed 's/.*) //' "$_d/stat" 2>/dev/null | cut -d' ' -f1)
		[ "$_st" = D ] || [ "$_sc" = 16 ] && echo "${_d##*/}"
	done
}

# await_guest CID LOG PID [ARGS]: wait until the nested guest started by
# "guest CID LOG" (process PID) runs its /init; sets "$gpid" and $boot_why.
# A boot's length is no sign of a fault here: a nested TCG guest took 60
# to 290 s to reach /init on this project's machines, and CI once stopped
# a guest at 240 s in both of its boots.  So the guest boots without
# "quiet", with an early console, and is waited for as long as its console
# grows: stuck means no new output for $VT_GUEST_STALL s (180), or
# $VT_GUEST_BOOT_MAX s (720) over both boots, inside the VM's own limit.
# A guest that never reached /init never started its vsock device (its
# driver loads from /init): our module saw only QEMU's setup ioctls, so
# the guest's kernel or the emulator failed (a TCG crash, a hang, a
# triple fault), not a test.  It is started once more, and the run says
# so; a second such guest makes boot_why "emulator: ..." (the caller
# skips what needed it).  It is ours, boot_why "module: ...", a failure at
# once, when a QEMU thread sits in the kernel (D state, or in an ioctl),
# QEMU names vhost or vsock in an error, the guest never printed a byte
# (QEMU never started it: blocked in its setup), or a vhost worker used
# CPU for a device never started.
await_guest() {
	gpid=$3 boot_why=
	_end=$(($(cut -d. -f1 /proc/uptime) + ${VT_GUEST_BOOT_MAX:-720}))
	for attempt in 1 2; do
		_t0=$(cut -d. -f1 /proc/uptime)
		_last=$_t0 _size=0
		while kill -0 "$gpid" 2>/dev/null && ! grep -q GUEST-INIT "$2" 2>/dev/null; do
			sleep 2
			_now=$(cut -d. -f1 /proc/uptime)
			_s=$(wc -c <"$2" 2>/dev/null || echo 0)
			[ "$_s" = "$_size" ] || _last=$_now _size=$_s
			if [ $((_now - _last)) -ge "${VT_GUEST_STALL:-180}" ] || [ "$_now" -ge "$_end" ]; then
				break
			fi
		done
		_secs=$(($(cut -d. -f1 /proc/uptime) - _t0))
		_cpu=$(cpu_s "$gpid") _w=$(worker_cpu_s "$gpid")
		if grep -q GUEST-INIT "$2" 2>/dev/null; then
			echo "VT-NOTE nested guest CID $1 reached its /init in $_secs s ($_cpu s of CPU$([ $attempt = 1 ] || echo ", attempt $attempt"))"
			return 0
		fi
		_panic=$(grep -a -m 1 -E 'Kernel panic|Oops|BUG:|general protection' "$2")
		_blocked=
		if kill -0 "$gpid" 2>/dev/null; then
			_blocked=$(blocked_in "$gpid" | tr '\n' ' ')
			kill -9 "$gpid" 2>/dev/null
			_what="stuck: $_secs s, $_cpu s of CPU, no console output for the last $((_secs + _t0 - _last)) s"
			# (A thread in D state may never die: not waited for then.)
			_i=0
			while kill -0 "$gpid" 2>/dev/null && [ $_i -lt 10 ]; do sleep 1; _i=$((_i + 1)); done
			kill -0 "$gpid" 2>/dev/null || wait "$gpid" 2>/dev/null
		else
			wait "$gpid" 2>/dev/null
			_what="its QEMU exited, status $?, after $_secs s"
		fi
		echo "VT-NOTE nested guest CID $1, attempt $attempt, never reached its /init: $_what; console: $(echo "${_panic:-$(tail -n 1 "$2")}" | tr -d '\r')"
		if [ -n "$_blocked" ]; then
			boot_why="module: QEMU blocked in the kernel (thread:comm:wchan): $_blocked"
		elif [ "$_w" -gt 1 ]; then
			boot_why="module: the vhost worker of a device never started used $_w s of CPU"
		elif grep -qiE 'vhost|vsock' "$2.qemu" 2>/dev/null; then
			boot_why="module: QEMU said: $(grep -iE 'vhost|vsock' "$2.qemu" | head -n 2 | tr '\n' ' ')"
		elif [ ! -s "$2" ]; then
			boot_why="module: the guest never printed a byte (QEMU never started it)"
		fi
		mv "$2" "$2.attempt$attempt"
		mv "$2.qemu" "$2.qemu.attempt$attempt" 2>/dev/null
		[ -z "$boot_why" ] || return 1
		[ $attempt = 2 ] && break
		guest "$1" "$2" "$4"
		gpid=$!
	done
	boot_why="emulator: two boots never reached /init (VT-NOTE lines)"
	return 1
}

# mon LOG CMD: a command to the monitor of the guest logging to LOG.
mon() { echo "$2" | socat -t 1 - "UNIX-CONNECT:$1.mon" 2>/dev/null; }

# save_guest LOG FILE: the guest logging to LOG stopped and written to FILE
# (QEMU's migration to a file); it stays stopped.
save_guest() {
	mon "$1" stop >/dev/null
	mon "$1" "migrate \"exec:cat >$2\"" >/dev/null
	_n=0
	until mon "$1" 'info migrate' | grep -q 'Migration status: completed'; do
		_n=$((_n + 1))
		[ $_n -lt 300 ] || return 1
		! mon "$1" 'info migrate' | grep -qE 'Migration status: (failed|cancelled)' || return 1
		sleep 1
	done
}

# resume LOG: continue the guest logging to LOG once it runs, or has
# finished loading a saved state ("cont" while it loads changes nothing);
# false if it does not run within 2 minutes.
resume() {
	_n=0
	until mon "$1" 'info status' | grep -q 'status: running'; do
		_n=$((_n + 1))
		[ $_n -lt 600 ] || return 1
		mon "$1" cont >/dev/null
		sleep 0.2
	done
}

boot_guest() {
	guest "$1" "$2" "$3"
	await_guest "$1" "$2" $! "$3"
}
