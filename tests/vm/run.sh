#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/run.sh --bench [LINE...]: the benchmark (make bench), ours
# against the in-tree vhost_vsock in the same VM, ratios per metric in
# build/vm/bench.md (VT_BENCH_OUT); --bench-smoke: the same, tiny, only
# checking that every metric is measured (the full tier of make check).
# tests/vm/run.sh [--fake-only|--nested-only] [LINE...]: boot each kernel
# line's Debian kernel under QEMU (TCG) with our modules, prove they are the
# ones loaded, run the fake-guest tests and the real nested-guest tests.
# LINE: a Debian line, a shared bootable kernel (4.14.67 ...), or "debug",
# the sanitizer kernel of scripts/debug-kernel.sh (KASAN, KFENCE, lockdep,
# kmemleak; never in the default list: make check-debug).
# Prints one line per test and a table per kernel, writes
# build/vm/results.md, exits non-zero on any failure.
# VT_MODULES_DIR: where the built modules are (default build/matrix/<line>);
# VT_FAKE_ONLY: run only the fake-guest test groups (ioctl, stream, malformed,
# backpressure, release, dirty, iotlb, counters) whose names contain it, or
# with "stream-guest-to-host" that one stream test alone.
# VT_RANDOM_PACKETS (default 100000), VT_RANDOM_SEED, VT_RACE_SECONDS
# (default 10): the hostile-guest runs after the fake-guest tests.
# VT_HOSTILE=0: no hostile-guest runs (harness-can-fail: a module that
# drops every packet only makes them wait out their timeouts);
# VT_FAKE_REST=0: nor the diagnose, tracepoint and unload checks.
# VT_MODULES_TREE: a root whose lib/modules/<release> is used as it is.  A kernel oops, WARN,
# BUG, refcount, use-after-free, lockdep, KASAN, KFENCE or sleep-in-atomic
# report fails the run, and on a kernel with kmemleak a leak allocated by
# our module (tests/vm/kmemleak-check).
# VT_VM_TIMEOUT: seconds a VM may run (default 1500; 3600 for "debug").
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

fake=1 nested=1 demo=0 bench=0 smoke=0
lines=()
for a in "$@"; do
	case $a in
	--bench) bench=1 fake=0 nested=0 ;;
	--bench-smoke) bench=1 smoke=1 fake=0 nested=0 ;;
	--fake-only) nested=0 ;;
	--nested-only) fake=0 ;;
	--demo) demo=1 fake=0 ;;
	*) lines+=("$a") ;;
	esac
done
# No line given: every Debian line; for the benchmark, the shared bootable
# kernels too.
if [ ${#lines[@]} -eq 0 ]; then
	mapfile -t lines < <(vt_kernel_lines | awk '{ print $1 }'
		[ "$bench" = 0 ] || "$top/scripts/shared-kernels.sh" vm | awk '{ print $1 }')
fi

out=${VT_VM_OUT:-$top/build/vm}
# The random guest's seed: given, or new for each run (printed with the
# results, so a failing run can be repeated with VT_RANDOM_SEED=).
random_seed=${VT_RANDOM_SEED:-$(date +%s)}
modules=${VT_MODULES_DIR:-$top/build/matrix}
mkdir -p "$out"
version=$(cat "$top/VERSION")

# shellcheck disable=SC2086 # a list of package names
vt_need_pkgs $VT_VM_PKGS || vt_die "cannot install $VT_VM_PKGS"

# Test programs, static so any initramfs can run them.
mkdir -p "$out/bin"
for p in fakeguest vsock-test; do
	gcc -O2 -Wall -Werror -static -pthread -o "$out/bin/$p" "$top/tests/vm/$p.c" ||
		vt_die "cannot build $p"
done

# copy_modules SRC DST KREL MOD...: MODs and their dependencies, uncompressed.
copy_modules() {
	local src=$1 dst=$2 krel=$3 m f
	shift 3
	mkdir -p "$dst/lib/modules/$krel"
	for m in "$@"; do
		for f in $(modprobe -d "$src" -S "$krel" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'); do
			f=${f#"$src"}
			mkdir -p "$dst/$(dirname "$f")"
			case $f in
			*.xz) xz -dc "$src/$f" >"$dst/${f%.xz}" ;;
			*.zst) zstd -qdc "$src/$f" >"$dst/${f%.zst}" ;;
			*) cp "$src/$f" "$dst/$f" ;;
			esac
		done
	done
}

# add_binary ROOT PATH: a dynamically linked program and its libraries.
add_binary() {
	local root=$1 bin=$2 lib
	mkdir -p "$root$(dirname "$bin")"
	cp -L "$bin" "$root$bin"
	for lib in $(ldd "$bin" | awk '/=>/ { print $3 } /^\t\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# boot_vm KERNEL INITRD LOG CPUS: the test VM, its console in LOG.  An
# oops panics it (oops=panic) and a panic ends QEMU (-no-reboot), so a
# broken module fails the run at once instead of at the time limit.
boot_vm() {
	local watcher rc
	# A kernel that hangs in early boot (seen: a TCG hang in the debug
	# kernel's RCU self-tests under load) never reaches /init: stopped
	# after $boot_limit s, so the caller boots it once more.
	(
		t=0
		while [ $t -lt "$boot_limit" ]; do
			sleep 5
			t=$((t + 5))
			grep -aq 'VT-TIME [0-9.]* start' "$3" 2>/dev/null && exit 0
		done
		pkill -f -- "-initrd $2 " 2>/dev/null
	) &
	watcher=$!
	timeout "$vm_timeout" qemu-system-x86_64 -accel tcg -cpu "$VT_QEMU_CPU" \
		-smp "$4" -m 3072 -nodefaults -nographic -no-reboot -serial stdio \
		-kernel "$1" -initrd "$2" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=$vm_loglevel $vm_lockup" </dev/null 2>&1 |
		tee "$3" | if [ "$demo" = 1 ]; then tr -d '\r' | sed -un 's/^DEMO //p'; else cat >/dev/null; fi
	rc=${PIPESTATUS[0]}
	kill "$watcher" 2>/dev/null
	wait "$watcher" 2>/dev/null
	return "$rc"
}

# A soft lockup ends the VM at once (the tests already fail on one, but
# the VM then hung until its timeout, 25 minutes), with every CPU's stack
# (the NMI backtraces) and the log replayed in full at the panic (0x20: the
# stacks are printed below the console's level; 0x40: every CPU again).
# Kernels without these parameters ignore them.
vm_lockup="softlockup_panic=1 softlockup_all_cpu_backtrace=1 panic_print=0x60"

mkcpio() { (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"; }

run_line() {
	local line=$1 vm_timeout boot_limit vm_loglevel=4 kdir krel mods work root groot t0 log rc why
	# A Debian line's kernel image, or a bootable kernel of the shared
	# test data (its modules built against the header tree of that name).
	vm_timeout=${VT_VM_TIMEOUT:-1500}
	boot_limit=300
	if vt_is_debian_line "$line"; then
		kdir=$("$top/scripts/fetch-kernel.sh" "$line") || return 1
	elif [ "$line" = debug ]; then
		# The sanitizer kernel, built here (cached); KASAN under TCG is
		# several times slower.
		kdir=$("$top/scripts/debug-kernel.sh" vm | awk '{ print $2 }')
		[ -n "$kdir" ] || { echo "cannot build the debug kernel" >&2; return 1; }
		vm_timeout=${VT_VM_TIMEOUT:-3600}
		boot_limit=900
		# Every kernel message on the console: a sanitizer's report
		# whole (its stacks are printed below the console's level 4).
		vm_loglevel=7
	else
		kdir=$("$top/scripts/shared-kernels.sh" vm "$line" | awk '{ print $2 }')
		[ -n "$kdir" ] || { echo "no Debian line or shared bootable kernel '$line'" >&2; return 1; }
	fi
	krel=$(basename "$kdir")
	mods=$modules/$line
	if [ -z "${VT_MODULES_TREE:-}" ] && [ ! -f "$mods/vhost_vsock.ko" ]; then
		VT_MATRIX_OUT=$modules "$top/scripts/matrix.sh" "$line" >/dev/null || return 1
	fi
	work=$out/$line
	rm -rf "$work"
	mkdir -p "$work"
	log=$work/console.log

	# The nested guest: Debian's kernel with its in-tree guest transport.
	groot=$work/guest-root
	mkdir -p "$groot"/{bin,usr/bin,proc,sys,dev,tmp}
	cp /bin/busybox "$groot/bin/busybox"
	cp "$out/bin/vsock-test" "$groot/usr/bin/"
	add_binary "$groot" /usr/bin/socat
	install -m 755 "$top/tests/vm/init-guest" "$groot/init"
	copy_modules "$kdir" "$groot" "$krel" virtio_pci vmw_vsock_virtio_transport
	depmod -b "$groot" "$krel" 2>/dev/null

	# The VM: our modules in updates/, QEMU for the nested guest.
	root=$work/root
	mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,tmp,etc,guest}
	cp /bin/busybox "$root/bin/busybox"
	cp "$out/bin/fakeguest" "$out/bin/vsock-test" "$root/usr/bin/"
	install -m 755 "$top/tests/vm/init-host" "$root/init"
	install -m 644 "$top/tests/vm/guest-lib.sh" "$root/etc/vt-guest-lib.sh"
	# vsock-transports-diagnose, with what it runs (bash, kmod's modinfo).
	add_binary "$root" /bin/bash
	add_binary "$root" /usr/bin/sort
	add_binary "$root" /bin/kmod
	mkdir -p "$root/usr/local/bin"
	ln -sf /bin/kmod "$root/usr/local/bin/modinfo"
	install -D -m 755 "$top/scripts/vsock-transports-diagnose" "$root/usr/sbin/vsock-transports-diagnose"
	sed -i "s/^vt_version=@VT_VERSION@\$/vt_version=$version/" "$root/usr/sbin/vsock-transports-diagnose"
	# A kernel with kmemleak (the debug kernel): /init scans for leaks
	# after the tests and fails on one allocated by our module.
	if grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$kdir/config" 2>/dev/null; then
		cp "$top/tests/vm/kmemleak-check" "$root/etc/vt-post"
	fi
	if [ -n "${VT_MODULES_TREE:-}" ]; then
		# A system's own module tree (e.g. where apt and DKMS installed
		# ours): its modules.dep decides which vhost_vsock is taken.
		copy_modules "$VT_MODULES_TREE" "$root" "$krel" \
			vmw_vsock_virtio_transport_common vhost_vsock
	else
		copy_modules "$kdir" "$root" "$krel" vmw_vsock_virtio_transport_common
		mkdir -p "$root/lib/modules/$krel/updates"
		cp "$mods/vhost_vsock.ko" "$root/lib/modules/$krel/updates/"
	fi
	cp "$kdir/lib/modules/$krel"/modules.builtin* "$root/lib/modules/$krel/" 2>/dev/null
	depmod -b "$root" "$krel" 2>/dev/null
	printf 'VT_VERSION=%s\nVT_FAKE=%s\nVT_NESTED=%s\nVT_DEMO=%s\nVT_BENCH=%s\nVT_QEMU_CPU=%s\nVT_FAKE_ONLY=%s\n' \
		"$version" "$fake" "$nested" "$demo" "$bench" "$VT_QEMU_CPU" "${VT_FAKE_ONLY:-}" >"$root/etc/vt.conf"
	# The benchmark: pairs of loads, MiB per bulk transfer, seconds per
	# round-trip and connection-rate run, MiB per stream of 64; the smoke
	# run (make check) only proves every metric still produces a number.
	if [ "$smoke" = 1 ]; then
		printf 'VT_BENCH_PAIRS=1\nVT_BENCH_MIB=2\nVT_BENCH_SECS=1\nVT_BENCH_STREAM_MIB=1\n' >>"$root/etc/vt.conf"
	else
		printf 'VT_BENCH_PAIRS=%s\nVT_BENCH_MIB=%s\nVT_BENCH_SECS=%s\nVT_BENCH_STREAM_MIB=%s\n' \
			"${VT_BENCH_PAIRS:-5}" "${VT_BENCH_MIB:-32}" "${VT_BENCH_SECS:-5}" \
			"${VT_BENCH_STREAM_MIB:-1}" >>"$root/etc/vt.conf"
		printf 'VT_BENCH_PROFILE=%s\nVT_BENCH_AA=%s\nVT_BENCH_CAL=%s\nVT_BENCH_METRICS="%s"\n' \
			"${VT_BENCH_PROFILE:-0}" "${VT_BENCH_AA:-0}" "${VT_BENCH_CAL:-0}" \
			"${VT_BENCH_METRICS:-}" >>"$root/etc/vt.conf"
		echo "VT_BENCH_PIN=${VT_BENCH_PIN:-0}" >>"$root/etc/vt.conf"
		echo "VT_BENCH_SWAP=${VT_BENCH_SWAP:-restore}" >>"$root/etc/vt.conf"
	fi
	printf 'VT_RANDOM_SEED=%s\nVT_RANDOM_PACKETS=%s\nVT_RACE_SECONDS=%s\nVT_HOSTILE=%s\nVT_FAKE_REST=%s\n' \
		"$random_seed" "${VT_RANDOM_PACKETS:-100000}" "${VT_RACE_SECONDS:-10}" \
		"${VT_HOSTILE:-1}" "${VT_FAKE_REST:-1}" >>"$root/etc/vt.conf"
	# The in-tree vhost_vsock and its vhost core, to insmod by path
	# (the benchmark, the diagnose test).
	mkdir -p "$root/lib/modules/$krel/intree"
	: >"$root/etc/vt-intree"
	for f in $(modprobe -d "$kdir" -S "$krel" --show-depends vhost_vsock |
		awk '$1 == "insmod" { print $2 }' | grep '/drivers/vhost/'); do
		n=$(basename "${f%.xz}")
		n=${n%.zst}
		case $f in
		*.xz) xz -dc "$f" >"$root/lib/modules/$krel/intree/$n" ;;
		*.zst) zstd -qdc "$f" >"$root/lib/modules/$krel/intree/$n" ;;
		*) cp "$f" "$root/lib/modules/$krel/intree/$n" ;;
		esac
		echo "/lib/modules/$krel/intree/$n" >>"$root/etc/vt-intree"
	done
	if [ "$bench" = 1 ]; then
		cp "$vsock_perf" "$root/usr/bin/vsock_perf"
		cp "$vsock_perf" "$groot/usr/bin/vsock_perf"
	fi
	if [ "$nested" = 1 ] || [ "$bench" = 1 ]; then
		add_binary "$root" /usr/bin/socat
		add_binary "$root" /usr/bin/qemu-system-x86_64
		mkdir -p "$root/usr/lib/x86_64-linux-gnu/qemu" "$root/usr/share/qemu" "$root/usr/share/seabios"
		cp /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so "$root/usr/lib/x86_64-linux-gnu/qemu/"
		for f in bios-256k.bin kvmvapic.bin linuxboot_dma.bin linuxboot.bin multiboot_dma.bin pvh.bin; do
			cp -L "/usr/share/qemu/$f" "$root/usr/share/qemu/" 2>/dev/null
		done
		cp -L /usr/share/seabios/* "$root/usr/share/seabios/" 2>/dev/null
		cp "$kdir/vmlinuz" "$root/guest/vmlinuz"
		mkcpio "$groot" "$root/guest/initrd.img"
	fi
	mkcpio "$root" "$work/initrd.img"

	t0=$(date +%s)
	boot_vm "$kdir/vmlinuz" "$work/initrd.img" "$log" 2
	rc=$?
	# /init stamps "VT-TIME ... start" first (on the line of the firmware's
	# last output, so not anchored): a VM without it never ran
	# any of our code (the module is loaded from /init).  That is the test
	# kernel or the emulator failing (seen: a stack-protector panic in
	# start_secondary of a gcc-12-built 4.19, a TCG crash in early boot
	# under load), so it boots once more, on one CPU, and says so.
	# (grep reads the file itself: "tr | grep -q" fails under pipefail
	# whenever grep exits before tr has written all, and a VM that did
	# reach /init was booted again.)
	if ! grep -aq 'VT-TIME [0-9.]* start' "$log"; then
		why=$(grep -a -m 1 -E 'Kernel panic|Oops|BUG:|general protection' "$log" | tr -d '\r' || echo "qemu exit $rc")
		mv "$log" "$log.first-boot"
		boot_vm "$kdir/vmlinuz" "$work/initrd.img" "$log" 1
		rc=$?
		echo "NOTE booted on the second attempt, with one CPU: the first never reached /init ($why)" >"$work/note"
	fi
	echo $(( $(date +%s) - t0 )) >"$work/seconds"
	tr -d '\r' <"$log" | sed -n 's/^VT-NOTE /NOTE /p' >>"$work/note"
	[ -s "$work/note" ] || rm -f "$work/note"
	tr -d '\r' <"$log" | sed -n 's/^VT-RESULT //p' >"$work/results"
	if ! grep -aq '^VT-END' "$log"; then
		echo "FAIL vm-completed: the VM did not finish (qemu exit $rc), see $log" >>"$work/results"
	fi
	# The whole console counts, whatever the VM's own check saw; the
	# sanitizers' reports by name too (KASAN, KFENCE and sleep-in-atomic
	# say "BUG:", lockdep "WARNING:", but a changed prefix must not hide
	# them).
	if tr -d '\r' <"$log" | grep -E '(Oops|WARNING:|BUG:|refcount_t|use-after-free|circular locking|general protection|blocked for more than|KASAN:|KFENCE:|possible recursive locking|inconsistent lock state|sleeping function called from invalid context)' |
		grep -v -e VT-RESULT -e '^VT-NOTE nested guest CID [0-9]*, attempt [0-9], never' >"$work/splats"; then
		echo "FAIL console-clean: $(head -n 1 "$work/splats")" >>"$work/results"
	fi
	echo "$krel" >"$work/krel"
}


# bench_raw LINE: LINE's VT-BENCH lines, from its console, into its
# bench.raw.  smoke_verdict LINE: the benchmark smoke's result there,
# "PASS|FAIL|SKIP why": every metric, both modules, a number above 0, no
# VT-BENCH-ERROR, the VM finished; a SKIP where the nested-guest run had
# no guest to restore (the emulator's failure, VT-BENCH-SKIP).
bench_raw() {
	tr -d '\r' <"$out/$1/console.log" | grep -a '^VT-BENCH' >"$out/$1/bench.raw"
}
smoke_verdict() {
	local raw=$out/$1/bench.raw bad
	bench_raw "$1"
	bad=$(awk -f "$top/tests/vm/bench.awk" -v smoke=1 "$raw")
	if grep -q '^VT-BENCH-SKIP ' "$raw"; then
		echo "SKIP no nested guest: $(sed -n 's/^VT-BENCH-SKIP //p' "$raw")"
	elif grep -q '^VT-BENCH-ERROR' "$raw"; then
		echo "FAIL $(grep '^VT-BENCH-ERROR' "$raw" | head -n 2 | tr '\n' ' ')"
	elif [ -n "$bad" ]; then
		echo "FAIL missing: $bad"
	elif ! grep -aq '^VT-END' "$out/$1/console.log"; then
		echo "FAIL the VM did not finish (see $out/$1/console.log)"
	else
		echo "PASS every metric measured, both modules"
	fi
}

if [ "$bench" = 1 ]; then
	# vsock_perf from Debian's linux-source (scripts/vsock-perf.sh): the
	# line's own where it has one, else 6.12's.
	bench_md=${VT_BENCH_OUT:-$out/bench.md}
	: >"$bench_md.tmp"
	fail=0
	for l in "${lines[@]}"; do
		read -r vsock_perf perf_src < <("$top/scripts/vsock-perf.sh" "$l") ||
			vt_die "cannot build vsock_perf for $l"
		t0=$(date +%s)
		run_line "$l" || exit 1
		c=$out/$l/console.log
		if [ "$smoke" = 1 ]; then
			v=$(smoke_verdict "$l")
			echo "${v%% *} $l: ${v#* } ($(( $(date +%s) - t0 )) s)"
			[ "${v%% *}" = PASS ] || fail=1
			continue
		fi
		bench_raw "$l"
		# The raw values, kept next to the table (per pair, per module).
		cp "$out/$l/bench.raw" "${bench_md%.md}-$l.raw"
		if grep -q 'VT-BENCH-ERROR' "$out/$l/bench.raw" || ! grep -aq '^VT-END' "$c"; then
			grep 'VT-BENCH-ERROR' "$out/$l/bench.raw" >&2
			vt_die "the benchmark did not complete on $l (see $c)"
		fi
		{
			printf '\n### %s\n\n' "$(cat "$out/$l/krel")"
			printf 'Measured %s by `tests/vm/run.sh --bench %s` (VT_BENCH_PAIRS=%s, VT_BENCH_MIB=%s) on this 2-core machine, QEMU TCG, CPU model %s; vsock_perf from %s; %s s.\n\n' \
				"$(date -u +%Y-%m-%d)" "$l" "${VT_BENCH_PAIRS:-5}" "${VT_BENCH_MIB:-32}" \
				"$VT_QEMU_CPU" "$perf_src" "$(( $(date +%s) - t0 ))"
			[ "${VT_BENCH_AA:-0}" != 1 ] ||
				printf 'A/A calibration (VT_BENCH_AA=1): ours loaded in both slots, so every ratio is the method'"'"'s own noise.\n\n'
			[ "${VT_BENCH_SWAP:-restore}" != hotplug ] ||
				printf 'VT_BENCH_SWAP=hotplug: one guest for every load; the modules swapped under it by unplugging and plugging its vsock device.\n\n'
			awk -f "$top/tests/vm/bench.awk" "$out/$l/bench.raw"
			# Module size (text + data, as "size" counts them): ours
			# against the in-tree vhost_vsock, vhost and vhost_iotlb.
			ours_sz=$(size "$modules/$l/vhost_vsock.ko" | awk '$1 ~ /^[0-9]+$/ { n += $1 + $2 } END { print n }')
			intree_sz=$(size "$out/$l/root/lib/modules/$(cat "$out/$l/krel")"/intree/*.ko |
				awk '$1 ~ /^[0-9]+$/ { n += $1 + $2 } END { print n }')
			awk -v o="$ours_sz" -v t="$intree_sz" 'BEGIN {
				printf "| module-text-data | 1 | %.2f | %.2f | %.2f | %d | %d | bytes (in-tree: vhost_vsock + vhost + vhost_iotlb) |\n", t / o, t / o, t / o, o, t }'
		} | tee -a "$bench_md.tmp"
	done
	[ "$smoke" = 1 ] || mv "$bench_md.tmp" "$bench_md"
	exit $fail
fi

if [ "$demo" = 1 ]; then
	run_line "${lines[0]}" || exit 1
	grep -aq '^VT-END' "$out/${lines[0]}/console.log"
	exit
fi

fail=0
for l in "${lines[@]}"; do
	vt_log "VM tests on kernel line $l"
	# VT_BENCH_SMOKE_LINE=LINE: that line's nested-guest run also runs the
	# benchmark's smoke pairs (as --bench-smoke, but on the guest it saved
	# for its restarts: no guest of its own to boot).
	bench=0 smoke=0 perf_ok=1
	if [ "$nested" = 1 ] && [ "$l" = "${VT_BENCH_SMOKE_LINE:-}" ]; then
		bench=1 smoke=1
		read -r vsock_perf perf_src < <("$top/scripts/vsock-perf.sh" "$l") || bench=0 perf_ok=0
	fi
	if ! run_line "$l"; then
		mkdir -p "$out/$l"
		echo "FAIL setup: cannot prepare kernel line $l" >"$out/$l/results"
	elif [ "$perf_ok" = 0 ]; then
		echo "FAIL bench-smoke: cannot build vsock_perf (scripts/vsock-perf.sh $l)" >>"$out/$l/results"
	elif [ "$smoke" = 1 ]; then
		v=$(smoke_verdict "$l")
		echo "${v%% *} bench-smoke: ${v#* } ($perf_src)" >>"$out/$l/results"
	fi
	sed "s/^/[$l] /" "$out/$l/results"
	[ ! -f "$out/$l/note" ] || sed "s/^/[$l] /" "$out/$l/note"
	grep -q '^FAIL' "$out/$l/results" && fail=1
done

{
	echo "| kernel | passed | failed | skipped | seconds | failed or skipped tests, notes |"
	echo "|---|---|---|---|---|---|"
	for l in "${lines[@]}"; do
		r=$out/$l/results
		printf '| %s | %d | %d | %d | %s | %s |\n' "$(cat "$out/$l/krel" 2>/dev/null || echo "$l")" \
			"$(grep -c '^PASS' "$r")" "$(grep -c '^FAIL' "$r")" "$(grep -c '^SKIP' "$r")" \
			"$(cat "$out/$l/seconds" 2>/dev/null || echo -)" \
			"$(cat "$out/$l/note" 2>/dev/null; grep -v '^PASS' "$r" | sed 's/|/\//g' | tr '\n' ';' | cut -c1-300)"
	done
} >"$out/results.md"
cat "$out/results.md"
exit $fail
