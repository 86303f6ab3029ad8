#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [build|hdr|vm|status]: Debian 12's linux-source-6.1 built
# with the sanitizers (KASAN, KFENCE, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak,
# DEBUG_LIST; scripts/debug-kernel.config), for the kernel line "debug" of
# the matrix and the VM harness.  Built in place under $VT_CACHE/debug/ and
# cached: rebuilt only when the source tarball, the config fragment or this
# script changes.
#   build   build it if needed (the default)
#   hdr     build it if needed, print "debug KDIR" (the in-place tree)
#   vm      build it if needed, print "debug DIR": DIR/vmlinuz,
#           DIR/lib/modules/RELEASE, DIR/config (DIR is named RELEASE)
#   status  print "built RELEASE SECONDS" and exit 0, or "not built" and
#           exit 1; builds nothing
# Builds with "nice -n 19 make -j${VT_DEBUG_JOBS:-2}"; the cold build's
# seconds are kept in $VT_CACHE/debug/build.seconds.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

what=${1:-build}
case $what in
build|hdr|vm|status) ;;
*) vt_die "usage: debug-kernel.sh [build|hdr|vm|status]" ;;
esac

tarball=/usr/src/linux-source-6.1.tar.xz
frag=$top/scripts/debug-kernel.config
d=$VT_CACHE/debug
tree=$d/linux-source-6.1

# The cache key: the tarball, the fragment and this script.
stamp_of() {
	{
		stat -c '%s %Y' "$tarball"
		sha256sum <"$frag"
		sha256sum <"$top/scripts/debug-kernel.sh"
	} | sha256sum | cut -d' ' -f1
}

built() {
	[ -f "$d/stamp" ] && [ -f "$tarball" ] && [ "$(cat "$d/stamp")" = "$(stamp_of)" ] &&
		[ -f "$d/release" ] && [ -f "$d/boot/$(cat "$d/release")/vmlinuz" ]
}

# check_config: every line of the fragment holds in the final .config.
check_config() {
	local l o bad=0
	while IFS= read -r l; do
		case $l in
		'# CONFIG_'*' is not set')
			o=${l#\# }
			o=${o%% *}
			if grep -q "^$o=" "$tree/.config"; then
				echo "debug kernel: $o is not off: $(grep "^$o=" "$tree/.config")" >&2
				bad=1
			fi
			;;
		CONFIG_*=*)
			if ! grep -qxF "$l" "$tree/.config"; then
				echo "debug kernel: $l did not take (.config: $(grep "^${l%%=*}=" "$tree/.config" ||
					grep "^# ${l%%=*} is not set" "$tree/.config" || echo absent))" >&2
				bad=1
			fi
			;;
		esac
	done <"$frag"
	return $bad
}

build() {
	local t0 krel jobs=${VT_DEBUG_JOBS:-2}
	vt_need_pkgs linux-source-6.1 gcc make bc flex bison libelf-dev libssl-dev xz-utils kmod ||
		vt_die "cannot install the packages the debug kernel needs"
	t0=$(date +%s)
	rm -rf "$tree" "${d:?}/boot" "$d/stamp" "$d/release" "$d/build.seconds"
	mkdir -p "$d"
	vt_log "debug kernel: extracting $tarball"
	nice -n 19 tar -C "$d" -xJf "$tarball" || vt_die "cannot extract $tarball"
	[ -f "$tree/Makefile" ] || vt_die "$tarball did not give $tree"
	vt_log "debug kernel: configuring (x86_64_defconfig, kvm_guest.config, $(basename "$frag"))"
	(
		cd "$tree"
		make -s x86_64_defconfig
		make -s kvm_guest.config
		scripts/kconfig/merge_config.sh -m .config "$frag"
		make -s olddefconfig
	) >"$d/config.log" 2>&1 || { tail -n 20 "$d/config.log" >&2; vt_die "debug kernel: configuration failed"; }
	check_config || vt_die "debug kernel: the configuration lost options of $frag"
	vt_log "debug kernel: building (nice -n 19 make -j$jobs; a cold build takes a while, log in $d/build.log)"
	nice -n 19 make -C "$tree" -j"$jobs" >"$d/build.log" 2>&1 ||
		{ tail -n 30 "$d/build.log" >&2; vt_die "debug kernel: build failed, see $d/build.log"; }
	krel=$(make -s -C "$tree" kernelrelease)
	rm -rf "$d/boot.tmp"
	mkdir -p "$d/boot.tmp/$krel"
	nice -n 19 make -C "$tree" modules_install INSTALL_MOD_PATH="$d/boot.tmp/$krel" >>"$d/build.log" 2>&1 ||
		vt_die "debug kernel: modules_install failed, see $d/build.log"
	cp "$tree/arch/x86/boot/bzImage" "$d/boot.tmp/$krel/vmlinuz"
	cp "$tree/.config" "$d/boot.tmp/$krel/config"
	mv "$d/boot.tmp" "$d/boot"
	echo "$krel" >"$d/release"
	echo $(($(date +%s) - t0)) >"$d/build.seconds"
	stamp_of >"$d/stamp"
	vt_log "debug kernel $krel built in $(cat "$d/build.seconds") s"
}

if [ "$what" = status ]; then
	if built; then
		echo "built $(cat "$d/release") $(cat "$d/build.seconds" 2>/dev/null || echo '?')"
		exit 0
	fi
	echo "not built"
	exit 1
fi

[ -f "$tarball" ] || vt_need_pkgs linux-source-6.1 || vt_die "cannot install linux-source-6.1"
mkdir -p "$d"
# One build at a time: a second caller waits for the first.
exec 9>"$d/.lock"
flock 9
built || build
case $what in
hdr) echo "debug $tree" ;;
vm) echo "debug $d/boot/$(cat "$d/release")" ;;
esac
