#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fuzz targets of tests/fuzz (see README.md there).
#
#   run.sh build                  build every target (build/fuzz/)
#   run.sh list                   the targets' names
#   run.sh fuzz TARGET SECONDS    fuzz one target for SECONDS
#   run.sh replay [TARGET...]     run the seed corpora and the regression
#                                 inputs once each (no fuzzing)
#   run.sh all SECONDS            every target in turn, SECONDS each
#
# Fuzzing is niced (19) and runs one process at a time (-jobs=1
# -workers=1: libFuzzer runs one worker, its output in fuzz-0.log).  New
# inputs accumulate in build/fuzz/corpus/TARGET; a finding (sanitizer
# report, crash, failed check, leak, timeout) is kept in
# build/fuzz/findings/TARGET/ and makes the run fail.  Each run ends with a
# line "fuzz TARGET: N execs in S s, E execs/s, ..." from libFuzzer's final
# statistics.  VT_FUZZ_STRICT=1 also fails on the known limitations that
# the targets otherwise only count.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/fuzz

targets() {
	local f
	for f in "$here"/fuzz_*.c; do
		basename "$f" .c
	done
}

build() {
	make -s -C "$here" -j"$(nproc)" OUT="$out" >"$out.build.log" 2>&1 ||
		{ cat "$out.build.log"; echo "fuzz: build failed" >&2; return 1; }
}

# The stored inputs of a target: seeds and regression inputs.
inputs() {
	local d
	for d in "$here/corpus/$1" "$here/regress/$1"; do
		[ -d "$d" ] && find "$d" -type f | sort
	done
	return 0
}

replay() {
	local t n r=0 log
	for t in "$@"; do
		log=$out/replay-$t.log
		mapfile -t files < <(inputs "$t")
		n=${#files[@]}
		if [ "$n" -eq 0 ]; then
			echo "replay $t: no inputs"
			continue
		fi
		if "$out/$t" -runs=1 "${files[@]}" >"$log" 2>&1; then
			echo "replay $t: $n inputs, no finding"
		else
			echo "replay $t: FINDING (see $log)"
			grep -m1 -B1 -A3 'FINDING\|ERROR: \|runtime error' "$log"
			r=1
		fi
	done
	return $r
}

fuzz() {
	local t=$1 secs=$2 run=$out/run/$1 find=$out/findings/$1 r execs rate new known
	local -a dirs=("$out/corpus/$t")
	mkdir -p "$run" "$find" "$out/corpus/$t"
	[ -d "$here/corpus/$t" ] && dirs+=("$here/corpus/$t")
	[ -d "$here/regress/$t" ] && dirs+=("$here/regress/$t")
	rm -f "$run/fuzz-0.log"
	touch "$run/started"
	(cd "$run" && nice -n 19 "$out/$t" -max_total_time="$secs" -jobs=1 -workers=1 \
		-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$find/" "${dirs[@]}" >/dev/null 2>&1)
	r=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/fuzz-0.log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run/fuzz-0.log" | tail -n 1)
	new=$(sed -n 's/^stat::new_units_added: *//p' "$run/fuzz-0.log" | tail -n 1)
	known=$(grep -c "known limitation hit" "$run/fuzz-0.log")
	# A run that ended early is no clean run either (libFuzzer stops on
	# the first finding).
	if [ "$r" -ne 0 ] || [ -z "$execs" ]; then
		echo "fuzz $t: FINDING after ${execs:-?} execs (log: $run/fuzz-0.log)"
		grep -m1 -A8 '==vt_fuzz== FINDING\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error\|ERROR: libFuzzer\|vt_shim:' \
			"$run/fuzz-0.log" | grep -v '^    #[1-9][0-9]'
		find "$find" -type f -newer "$run/started" | sed 's/^/    input: /'
		return 1
	fi
	grep '^vt_fuzz ' "$run/fuzz-0.log" | sed 's/^/    /'
	echo "fuzz $t: $execs execs in $secs s, $rate execs/s, $new new inputs, $known kinds of known limitation hit"
}

mkdir -p "$out"
case ${1:-} in
build)
	build
	;;
list)
	targets
	;;
fuzz)
	[ $# -eq 3 ] || { echo "usage: $0 fuzz TARGET SECONDS" >&2; exit 2; }
	build && fuzz "$2" "$3"
	;;
replay)
	shift
	build || exit 1
	if [ $# -eq 0 ]; then
		mapfile -t all < <(targets)
		set -- "${all[@]}"
	fi
	replay "$@"
	;;
all)
	[ $# -eq 2 ] || { echo "usage: $0 all SECONDS" >&2; exit 2; }
	build || exit 1
	rc=0
	for t in $(targets); do
		fuzz "$t" "$2" || rc=1
	done
	exit $rc
	;;
*)
	sed -n '4,20p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
