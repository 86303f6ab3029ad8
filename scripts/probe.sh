#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# probe.sh KDIR OUTDIR: detect the kernel APIs the transports depend on by
# compiling one small probe per API against the target kernel, and write the
# results to OUTDIR/vt_probed.h.
#
# How it stays fast (a full run is a few seconds on two cores):
#  1. the probes compile with the exact command line kbuild compiles our
#     objects with (compiler, -I paths, -D flags, -f flags): src/Kbuild
#     runs "probe.sh --cmd" with it inside the modules' own kbuild run; run
#     on its own, probe.sh harvests it from a dummy module's .o.cmd;
#  2. all probes are compiled in one -fsyntax-only run, so the kernel
#     headers are parsed once, and each diagnostic is traced back to its
#     probe; if that cannot be done, each probe is compiled on its own, in
#     parallel, the shared headers precompiled once (PCH).
# Exported-ness is read from the kernel's Module.symvers (exports.list).
# The result is cached: the key covers the kernel release, the build tree,
# its .config and Module.symvers, the probes themselves and, when kbuild
# gives it (--cmd), its compiler command line, so a new kernel, compiler
# or probe re-runs everything and nothing else does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
probes=$(cd "${VT_PROBES_DIR:-$here/probes}" && pwd)
usage='usage: probe.sh KDIR OUTDIR, or probe.sh --cmd KDIR OUTDIR COMPILER-COMMAND...'
given_cmd=
if [ "${1:-}" = --cmd ]; then
	given_cmd=1
	shift
fi
kdir=$(cd "${1:?$usage}" && pwd -P)
out=${2:?$usage}
shift 2
[ -z "$given_cmd" ] || [ $# -gt 0 ] || { echo "$usage" >&2; exit 1; }
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
	# kbuild's own command line, when given (another compiler, LLVM=1,
	# KCFLAGS: probe again).
	[ -z "$given_cmd" ] || echo "$*"
} | sha256sum | cut -c1-32)

# The key is kept beside the header, so a new key with the same results
# (probe.sh edited, .config touched) leaves the header, and the objects
# that include it, alone.
if [ -f "$header" ] && [ "$(cat "$out/vt_probed.key" 2>/dev/null)" = "$key" ]; then
	[ -n "${VT_PROBE_QUIET:-}" ] || echo "  PROBE   $krel (cached)"
	exit 0
fi

start=$(date +%s%N)
# Milliseconds since the start, per phase, in OUTDIR/probe.phases.
phase() { echo "$1 $(( ($(date +%s%N) - start) / 1000000 ))" >>"$out/probe.phases"; }
: >"$out/probe.phases"
work=$out/.probe
rm -rf "$work"
mkdir -p "$work/res"

# 1. The compiler command line kbuild uses for this kernel: given by
# src/Kbuild, which runs the probes from kbuild itself (the normal build),
# or harvested here from a dummy module (a run on its own).
if [ -n "$given_cmd" ]; then
	# Run from kbuild's directory, which its paths are relative to.
	kcwd=$(pwd -P)
	phase cmd
else
	# Only its command line is wanted, so it includes nothing: kbuild's
	# force-included headers are all it parses.
	mkdir -p "$work/dummy"
	cat >"$work/dummy/vt_dummy.c" <<-'C'
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
fi
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

# 2. The headers every probe sees, whichever way it is compiled: kbuild's
# own -include files first, the ones the transports use, then every header
# a probe includes, where this kernel has it (so that no probe sees more
# than another, and a probe's missing header fails that probe alone).
# "prefix base" leaves the probes' own headers out (3b's last resort).
mapfile -t incs < <(sed -n 's/^#[[:space:]]*include[[:space:]]*\(<[^>]*>\).*/\1/p' "$probes"/*.c | sort -u)
prefix() {
	local f h
	for f in ${pre[@]+"${pre[@]}"}; do echo "#include \"$f\""; done
	echo '#include <linux/module.h>'
	echo '#include <net/sock.h>'
	echo '#include <net/af_vsock.h>'
	echo '#include <linux/virtio_vsock.h>'
	echo '#include <linux/hyperv.h>'
	echo '#include <linux/eventfd.h>'
	echo '#include <linux/uio.h>'
	echo '#include <linux/mm.h>'
	[ "$1" = all ] || return 0
	echo '#ifdef __has_include'
	for h in ${incs[@]+"${incs[@]}"}; do
		printf '#if __has_include(%s)\n#include %s\n#endif\n' "$h" "$h"
	done
	echo '#endif'
}
nprobes=$(ls "$probes"/*.c | wc -l)

# 3a. Every probe in one compile: the headers are parsed once, which is
# most of a probe's cost.  Each probe keeps its own file name (#line), so a
# diagnostic names the probe it belongs to; the names it defines are made
# unique (they all begin with vt_probe, tests/run.sh checks that); an
# #include becomes a check that the header exists.  After each probe, an
# assertion that always fails, in a file of its own: the compiler must
# report every one of them, which proves it parsed every probe to its end.
# A probe that draws an error (or one at its end marker) fails.  GCC
# reports an implicit declaration once per unit, so a function reported as
# undeclared fails every probe that names it.  An error that belongs to no
# probe, a missing end marker, a compile that dies: the probes are compiled
# one by one instead (3b), as with a compiler without __has_include.
batch() {
	local diag=() w
	for w in "${cc[@]:0:2}"; do
		case ${w##*/} in
		clang*) diag=(-ferror-limit=0 -fno-caret-diagnostics) ;;
		*gcc*|cc) diag=(-fmax-errors=0 -ftrack-macro-expansion=0 -fno-diagnostics-show-caret) ;;
		esac
	done
	prefix all >"$work/vt_pch.h" || return 1
	{
		echo "#include \"$work/vt_pch.h\""
		echo '#ifndef __has_include'
		echo '#error "no __has_include: one compile per probe"'
		echo '#endif'
		awk 'function end() {
			printf "#line 1 \"@end/%s.c\"\n_Static_assert(0, \"vt-probe-end\");\n", name
		}
		FNR == 1 {
			if (n) end()
			n++
			name = FILENAME; sub(/.*\//, "", name); sub(/\.c$/, "", name)
			printf "#line 1 \"@probe/%s.c\"\n", name
		}
		/^#[ \t]*include[ \t]*</ {
			h = $0; sub(/^#[ \t]*include[ \t]*/, "", h); sub(/>.*/, ">", h)
			printf "#if !__has_include(%s)\n#error \"%s: no such header\"\n#endif\n", h, h
			printf "#line %d \"@probe/%s.c\"\n", FNR + 1, name
			next
		}
		{ gsub(/vt_probe/, "vt_probe" n "_"); print }
		END { if (n) end() }' "$probes"/*.c || return 1
	} >"$work/batch.c" || return 1
	phase batch-source
	(cd "$kcwd" && LC_ALL=C "${cc[@]}" ${diag[@]+"${diag[@]}"} -fsyntax-only -x c "$work/batch.c") \
		>"$work/batch.log" 2>&1 && status=0 || status=$?
	# "end NAME", "fail NAME", "undeclared FUNCTION", or "bad": an error of
	# no probe, or a compile that gave up.
	LC_ALL=C awk '
	/confused by earlier errors|internal compiler error|compilation terminated|out of memory|fatal error|[Kk]illed|[Ss]egmentation/ {
		print "bad"; next
	}
	/^@(probe|end)\/[^:]*\.c:[0-9]+(:[0-9]+)?: (error|sorry, unimplemented): / {
		f = $0; sub(/\.c:.*/, "", f); k = f; sub(/^@[a-z]*\//, "", f)
		if (k ~ /^@end/ && $0 ~ /vt-probe-end/) { print "end " f; next }
		print "fail " f
		if ($0 ~ /implicit declaration of function .|call to undeclared (library )?function ./) {
			u = $0; sub(/^[^\047]*\047/, "", u); sub(/\047.*/, "", u)
			print "undeclared " u
		}
		next
	}
	/error: |sorry, unimplemented/ { print "bad" }' "$work/batch.log" >"$work/batch.res" || return 1
	! grep -q '^bad' "$work/batch.res" || return 1
	[ "$(grep '^end ' "$work/batch.res" | sort -u | wc -l)" -eq "$nprobes" ] || return 1
	# Probes that name an undeclared function (outside comments) fail too.
	awk 'FILENAME == ARGV[1] { if ($1 == "undeclared") u[$2] = 1; else if ($1 == "fail") bad[$2] = 1; next }
	     FNR == 1 { name = FILENAME; sub(/.*\//, "", name); sub(/\.c$/, "", name); seen[name] = 1 }
	     /^( \*|\/\*|\/\/)/ { next }
	     { k = split($0, w, /[^A-Za-z0-9_]+/); for (i = 1; i <= k; i++) if (w[i] in u) bad[name] = 1 }
	     END { for (p in seen) print p, (p in bad) ? 0 : 1 }' \
		"$work/batch.res" "$probes"/*.c >"$work/batch.out" || return 1
	while read -r p v; do echo "$v" >"$work/res/$p"; done <"$work/batch.out"
	phase batch
}

# 3b. One compile per probe, in parallel, the shared headers precompiled
# once (a PCH is only used when it is the first include).  First an empty
# probe: if even that fails with every probe's headers in the prefix (one of
# them exists but does not compile here), the probes' own headers are left
# to each probe, as before the batch; if it fails then too, this tree
# cannot compile anything and the run stops.
single() {
	local p
	for p in all base; do
		prefix $p >"$work/vt_pch.h"
		(cd "$kcwd" && "${cc[@]}" -x c-header -o "$work/vt_pch.h.gch" "$work/vt_pch.h") \
			>"$work/pch.log" 2>&1 || rm -f "$work/vt_pch.h.gch"
		printf 'int vt_probe(void);\nint vt_probe(void) { return 0; }\n' >"$work/empty.c"
		if (cd "$kcwd" && "${cc[@]}" -include "$work/vt_pch.h" -fsyntax-only -x c \
			"$work/empty.c") >"$work/empty.log" 2>&1; then
			break
		fi
		if [ $p = base ]; then
			echo "probe.sh: even an empty probe does not compile for $krel:" >&2
			cat "$work/empty.log" >&2
			return 1
		fi
	done
	phase pch
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
}

# VT_PROBE_MODE=single skips the batch; =verify runs both and fails unless
# they agree (tests/run.sh, and make matrix in the full tier).
mode=${VT_PROBE_MODE:-batch}
case $mode in
batch)
	if ! batch; then
		rm -f "$work"/res/*
		echo "single (the batch compile failed: $work/batch.log)" >"$out/probe.mode"
		single || exit 1
	else
		echo batch >"$out/probe.mode"
	fi ;;
single)
	echo single >"$out/probe.mode"
	single || exit 1 ;;
verify)
	batch || { echo "probe.sh: the batch compile failed, see $work/batch.log" >&2; exit 1; }
	mv "$work/res" "$work/res.batch"
	mkdir "$work/res"
	single || exit 1
	for r in "$work"/res/*; do
		case $r in *.log) continue ;; esac
		n=${r##*/}
		if ! cmp -s "$r" "$work/res.batch/$n"; then
			echo "probe.sh: $n: $(cat "$work/res.batch/$n") in one compile, $(cat "$r") alone" >&2
			verify_bad=1
		fi
	done
	[ -z "${verify_bad:-}" ] || exit 1
	echo verify >"$out/probe.mode" ;;
*)
	echo "probe.sh: VT_PROBE_MODE is batch, single or verify" >&2
	exit 1 ;;
esac

phase probes
# 4. Write the header.
symvers=$kdir/Module.symvers
{
	echo "/* Generated by scripts/probe.sh for $krel: do not edit. */"
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
if cmp -s "$header.tmp" "$header"; then
	rm -f "$header.tmp"
else
	mv "$header.tmp" "$header"
fi
echo "$key" >"$out/vt_probed.key"
phase header
ms=$(( ($(date +%s%N) - start) / 1000000 ))
secs=$(printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)))
printf '%s\n' "$secs" >"$out/probe.seconds"
[ -n "${VT_PROBE_QUIET:-}" ] || printf '  PROBE   %s: %d probes, %d exports, %s s\n' "$krel" \
	"$(ls "$probes"/*.c | wc -l)" "$(grep -vc '^#' "$probes/exports.list")" "$secs"
