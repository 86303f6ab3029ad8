#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# matrix.sh [LINE...] [--kdir DIR...]: build the modules against kernels and
# print a table: kernel x module x result x warnings x probe s x build s x
# the whole build against the same build without the probe run.
#
#   LINE       a Debian kernel line (5.10 6.1 6.12 7.2 7.3), built inside a
#              chroot of its own suite with that suite's compiler
#              (scripts/mkchroot.sh; cached under $VT_CACHE), the name
#              of a tree of the shared test data (4.14.67, 4.18.0-553...,
#              scripts/shared-kernels.sh), built on this machine, or
#              "debug": the sanitizer kernel's in-place tree
#              (scripts/debug-kernel.sh, built first if needed)
#   --kdir D   a prepared kernel build tree, built on this machine
#   (none)     every Debian line and every shared tree
#
# Builds use W=1 and make -jN (N CPUs), as DKMS does.  A module fails when
# kbuild fails, when our own sources (src/, include/) warn, or when modpost
# reports an undefined or GPL-incompatible symbol.  The built modules and
# logs are kept in build/matrix/<kernel>/.  Exit 0 only when every
# buildable module passed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

lines=()
kdirs=()
while [ $# -gt 0 ]; do
	case $1 in
	--kdir) kdirs+=("$2"); shift ;;
	-h|--help) sed -n '4,18p' "$0"; exit 0 ;;
	*) lines+=("$1") ;;
	esac
	shift
done
if [ ${#lines[@]} -eq 0 ] && [ ${#kdirs[@]} -eq 0 ]; then
	mapfile -t lines < <(vt_kernel_lines | awk '{ print $1 }'
		"$top/scripts/shared-kernels.sh" hdr | awk '{ print $1 }')
fi
# Names of shared trees are built as --kdir on this machine; so is the
# debug kernel's tree, its results under the name "debug".
debian=()
debug_kdir=
for l in "${lines[@]}"; do
	if vt_is_debian_line "$l"; then
		debian+=("$l")
	elif [ "$l" = debug ]; then
		debug_kdir=$("$top/scripts/debug-kernel.sh" hdr | awk '{ print $2 }')
		[ -n "$debug_kdir" ] || vt_die "cannot build the debug kernel"
		kdirs+=("$debug_kdir")
	else
		k=$("$top/scripts/shared-kernels.sh" hdr "$l" | awk '{ print $2 }')
		[ -n "$k" ] || vt_die "unknown kernel line or shared tree '$l'"
		kdirs+=("$k")
	fi
done
lines=(${debian[@]+"${debian[@]}"})

out=${VT_MATRIX_OUT:-$top/build/matrix}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out"
table=$out/table.txt
: >"$table"
fail=0

# build_one NAME ROOT KDIR: build in ROOT ("/" = this machine) for KDIR.
build_one() {
	local name=$1 root=$2 kdir=$3 src log res krel t0 t1 bsecs psecs ms pms xplain
	local dest=$out/$name
	rm -rf "$dest"
	mkdir -p "$dest"
	log=$dest/build.log
	if [ "$root" = / ]; then
		src=$dest/tree
	else
		src=$root/build/vsock-transports
	fi
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
	t0=$(date +%s%N)
	if [ "$root" = / ]; then
		make -C "$src" -j"$jobs" KDIR="$kdir" KBUILD_ARGS="W=1 ${VT_KBUILD_EXTRA:-}" >"$log" 2>&1
	else
		vt_chroot "$root" make -C /build/vsock-transports -j"$jobs" KDIR="$kdir" \
			KBUILD_ARGS="W=1 ${VT_KBUILD_EXTRA:-}" >"$log" 2>&1
	fi
	res=$?
	t1=$(date +%s%N)
	krel=$(cat "$src"/build/*/vt_probed.h 2>/dev/null | sed -n 's/.*scripts\/probe.sh for \(.*\): do not edit.*/\1/p' | head -n 1)
	psecs=$(cat "$src"/build/*/probe.seconds 2>/dev/null | head -n 1)
	# The probe run's milliseconds: the last phase of probe.phases.
	pms=$(cat "$src"/build/*/probe.phases 2>/dev/null | awk 'END { print $2 + 0 }')
	ms=$(( (t1 - t0) / 1000000 - ${pms:-0} ))
	bsecs=$(printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)))
	# Every object waits for the probes, so the same build without them
	# takes the rest: the whole over the rest is what probing costs.
	xplain=$(awk -v a="$ms" -v p="${pms:-0}" 'BEGIN { if (a > 0) printf "%.2f", (a + p) / a; else print "?" }')
	cp "$src"/src/*.ko "$src"/build/*/vt_probed.h "$dest/" 2>/dev/null
	local mod status warns
	for mod in vhost_vsock hv_sock; do
		# Compiler warnings in our sources (src/, include/vt/ of the
		# copy built here, always named by absolute path); the kernel's
		# own headers do not count.
		warns=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: warning:' "$log" |
			grep -c "^$(cd "$src" && pwd -P)/" || true)
		if grep -q "SKIP    $mod" "$log"; then
			status="skip ($(sed -n "s/.*SKIP    $mod for [^:]*: //p" "$log" | head -n 1))"
		elif grep -q "SKIP    all" "$log"; then
			status="skip ($(sed -n 's/.*SKIP    all for [^:]*: //p' "$log"))"
		elif [ $res -ne 0 ] && [ $res -ne 3 ]; then
			status=FAIL; fail=1
		# modpost: "ERROR: modpost: "x" [m.ko] undefined!" (5.x), a WARNING
		# without "modpost:" under -w (4.x external builds), GPL-only use.
		elif grep -Eq "\] undefined!|GPL-incompatible|GPL-only|ERROR: modpost: .*$mod" "$log"; then
			status="FAIL (modpost)"; fail=1
		elif [ ! -f "$dest/$mod.ko" ]; then
			status="FAIL (no $mod.ko)"; fail=1
		elif [ "$warns" -gt 0 ]; then
			status="FAIL (W=1)"; fail=1
		else
			status=ok
		fi
		printf '%-30s %-12s %-28s %5s %7s %7s %7s\n' "${krel:-$name}" "$mod" "$status" \
			"$warns" "${psecs:-?}" "$bsecs" "$xplain" >>"$table"
	done
	[ "$root" = / ] || rm -rf "$src"
}

for l in ${lines[@]+"${lines[@]}"}; do
	root=$("$top/scripts/mkchroot.sh" "$l") || { echo "$l: cannot make the chroot" >&2; fail=1; continue; }
	kdir=$(cd "$root" && ls -d usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$kdir" ] || { echo "$l: no linux-headers in $root" >&2; fail=1; continue; }
	vt_log "building for kernel line $l (/$kdir)"
	build_one "$l" "$root" "/$kdir"
done
for k in ${kdirs[@]+"${kdirs[@]}"}; do
	vt_log "building for $k"
	name=$(basename "$(cd "$k" && pwd -P)")
	[ "$k" != "$debug_kdir" ] || name=debug
	build_one "$name" / "$(cd "$k" && pwd -P)"
done

{
	printf '%-30s %-12s %-28s %5s %7s %7s %7s\n' kernel module result W=1 probe_s build_s x_plain
	cat "$table"
} | tee "$out/table.txt.tmp"
mv "$out/table.txt.tmp" "$table"
exit $fail
