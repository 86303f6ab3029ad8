#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# probe.sh KDIR OUTDIR: detect the kernel APIs the transports depend on by
# compiling one small probe per API against the target kernel, and write the
# results to OUTDIR/vt_probed.h.
#
# How it stays fast (a full run is a few seconds on two cores):
#  1. one kbuild run compiles a dummy module, and its .o.cmd gives the exact
#     compiler command line kbuild uses for this kernel (compiler, -I paths,
#     -D flags, -f flags), so probes see what the modules will see;
#  2. the kernel headers every probe includes are precompiled once (PCH);
#  3. each probe is a -fsyntax-only compile, run in parallel.
# Exported-ness is read from the kernel's Module.symvers (exports.list).
# The result is cached: the key covers the kernel release, the build tree,
# its .config and Module.symvers, the compiler and the probes themselves, so
# a new kernel or a changed probe re-runs everything and nothing else does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
probes=$(cd "${VT_PROBES_DIR:-$here/probes}" && pwd)
kdir=$(cd "${1:?usage: probe.sh KDIR OUTDIR}" && pwd -P)
out=${2:?usage: probe.sh KDIR OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
header=$out/vt_probed.h
jobs=${VT_PROBE_JOBS:-$(nproc 2>/dev/null || echo 2)}

krel=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) ||
	{ echo "probe.sh: $kdir is not a configured kernel build tree" >&2; exit 1; }

key=$( {
	echo "$krel $kdir"
	stat -c '%s %Y %n' "$kdir/.config" "$kdir/Module.symvers" 2>/dev/null || true
	cat "$probes"/*.c "$probes"/exports.list "$here/probe.sh"
} | sha256sum | cut -c1-32)

if [ -f "$header" ] && grep -q "^/\* key: $key \*/\$" "$header"; then
	[ -n "${VT_PROBE_QUIET:-}" ] || echo "  PROBE   $krel (cached)"
	exit 0
fi

start=$(date +%s%N)
# Milliseconds since the start, per phase, in OUTDIR/probe.phases.
phase() { echo "$1 $(( ($(date +%s%N) - start) / 1000000 ))" >>"$out/probe.phases"; }
: >"$out/probe.phases"
work=$out/.probe
rm -rf "$work"
mkdir -p "$work/dummy" "$work/res"

# 1. Harvest kbuild's compiler command line from a dummy module.
# Only its command line is wanted, so it includes nothing: kbuild's
# force-included headers are all it parses.
cat >"$work/dummy/vt_dummy.c" <<'C'
static int __attribute__((unused)) vt_dummy;
C
# kbuild compiles in a directory of its own choosing (the build tree before
# 6.13, the module's directory since, the object tree of an O= build), and
# the command line holds paths relative to it (-I./include, -include
# ./include/linux/kconfig.h on a tree built in place): record it, and compile
# every probe from there.
{
	echo 'obj-m := vt_dummy.o'
	echo "\$(shell pwd >$work/dummy/kbuild.cwd)"
} >"$work/dummy/Kbuild"
mkdir -p "$work/dummy/.tmp_versions"	# kbuild before 5.3 writes there
if ! make -s -C "$kdir" M="$work/dummy" ${VT_KBUILD_ARGS:-} vt_dummy.o \
	>"$work/dummy.log" 2>&1; then
	echo "probe.sh: kbuild cannot compile a trivial module for $krel:" >&2
	cat "$work/dummy.log" >&2
	exit 1
fi
# The first line is "cmd_<obj> := <command>" ("savedcmd_" since 6.2); the
# command may be followed by post-processing steps after a ';'.
phase harvest
kcwd=$(cat "$work/dummy/kbuild.cwd")
cmdline=$(sed -n '1{s/^[a-z]*cmd_[^ ]* := //;s/;.*//;p}' "$work/dummy/.vt_dummy.o.cmd")
eval "set -- $cmdline"
cc=()
pre=()
while [ $# -gt 0 ]; do
	case $1 in
	-Wp,-MMD*|-Wp,-MD*|-c|*vt_dummy.c|-g|-gdwarf*) ;;
	-o) shift ;;
	-include)
		case $2 in
		/*) pre+=("$2") ;;
		*) pre+=("$kcwd/$2") ;;
		esac
		shift ;;
	-DKBUILD_BASENAME=*|-DKBUILD_MODNAME=*|-D__KBUILD_MODNAME=*|-DKBUILD_MODFILE=*) ;;
	*) cc+=("$1") ;;
	esac
	shift
done
cc+=(-Werror=implicit-function-declaration -Werror=incompatible-pointer-types
     -Werror=int-conversion -Werror=return-type -Werror=implicit-int
     -Wno-missing-prototypes -Wno-unused-function -DKBUILD_MODNAME='"vt_probe"' -g0)
printf '%s\n' "${cc[@]}" >"$work/cc.args"

# 2. Precompile the headers the probes share.  A PCH is only used when it is
# the first include, so kbuild's own -include files go into it too.
{
	for f in "${pre[@]}"; do echo "#include \"$f\""; done
	echo '#include <linux/module.h>'
	echo '#include <net/sock.h>'
	echo '#include <net/af_vsock.h>'
	echo '#include <linux/virtio_vsock.h>'
	echo '#include <linux/hyperv.h>'
	echo '#include <linux/eventfd.h>'
	echo '#include <linux/uio.h>'
	echo '#include <linux/mm.h>'
} >"$work/vt_pch.h"
(cd "$kcwd" && "${cc[@]}" -x c-header -o "$work/vt_pch.h.gch" "$work/vt_pch.h") \
	>"$work/pch.log" 2>&1 || rm -f "$work/vt_pch.h.gch"

phase pch
# 3. Compile every probe, in parallel; a probe that compiles means "have".
export work kcwd
ls "$probes"/*.c | xargs -P "$jobs" -n 8 bash -c '
	mapfile -t cc <"$work/cc.args"
	cd "$kcwd"
	for p in "$@"; do
		n=$(basename "$p" .c)
		if "${cc[@]}" -include "$work/vt_pch.h" -fsyntax-only -x c "$p" \
			>"$work/res/$n.log" 2>&1; then
			echo 1 >"$work/res/$n"
		else
			echo 0 >"$work/res/$n"
		fi
	done' probe

phase probes
# 4. Write the header.
symvers=$kdir/Module.symvers
{
	echo "/* Generated by scripts/probe.sh for $krel: do not edit. */"
	echo "/* key: $key */"
	echo "#ifndef VT_PROBED_H"
	echo "#define VT_PROBED_H"
	for r in "$work"/res/*; do
		case $r in *.log) continue ;; esac
		n=${r##*/}
		n=${n^^}
		read -r v <"$r"
		if [ "$v" = 1 ]; then
			echo "#define VT_$n 1"
		else
			echo "/* VT_$n is not set */"
		fi
	done
	# One pass over Module.symvers (tens of thousands of lines) for all.
	awk 'FNR == NR { if ($0 !~ /^#/ && NF) want[++n] = $1; next }
	     { have[$2] = 1 }
	     END { for (i = 1; i <= n; i++) {
			u = toupper(want[i])
			if (want[i] in have) printf "#define VT_EXPORTS_%s 1\n", u
			else printf "/* VT_EXPORTS_%s is not set */\n", u } }' \
		"$probes/exports.list" "$( [ -f "$symvers" ] && echo "$symvers" || echo /dev/null)"
	echo "#endif"
} >"$header.tmp"
mv "$header.tmp" "$header"
phase header
ms=$(( ($(date +%s%N) - start) / 1000000 ))
secs=$(printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)))
printf '%s\n' "$secs" >"$out/probe.seconds"
[ -n "${VT_PROBE_QUIET:-}" ] || printf '  PROBE   %s: %d probes, %d exports, %s s\n' "$krel" \
	"$(ls "$probes"/*.c | wc -l)" "$(grep -vc '^#' "$probes/exports.list")" "$secs"
