# SPDX-License-Identifier: GPL-2.0
#
# Sourced by tests/run.sh and tests/check-debug.sh: counting and printing
# results ("PASS  name", "FAIL  name: why", "SKIP  name: why"), logs in
# build/tests/, and the closing line "N passed, N failed, N skipped".
# shellcheck shell=bash disable=SC2154 # $top: set by the caller

out=$top/build/tests
mkdir -p "$out"
pass=0 fail=0 skip=0
failed_names=()

ok() { pass=$((pass + 1)); echo "PASS  $1${2:+: $2}"; }
ko() { fail=$((fail + 1)); failed_names+=("$1"); echo "FAIL  $1${2:+: $2}"; }
sk() { skip=$((skip + 1)); echo "SKIP  $1: $2"; }

# t NAME CMD...: run CMD, log in build/tests/NAME.log, pass on exit 0.
t() {
	local name=$1 log
	shift
	log=$out/$name.log
	local t0=$SECONDS
	if "$@" >"$log" 2>&1; then
		ok "$name" "$((SECONDS - t0)) s"
	else
		ko "$name" "see build/tests/$name.log ($((SECONDS - t0)) s)"
		tail -n 15 "$log" | sed 's/^/      /'
	fi
}

# results PREFIX FILE: count the "PASS name" / "FAIL name: why" /
# "SKIP name: why" lines of FILE (the VM harness's results, a suite's log).
results() {
	local verdict name
	while read -r verdict name; do
		case $verdict in
		PASS) ok "$1-$name" ;;
		FAIL) ko "$1-${name%%:*}" "$(case $name in *:*) echo "${name#*:}" ;; esac)" ;;
		SKIP) sk "$1-${name%%:*}" "${name#*:}" ;;
		esac
	done <"$2"
}

# finish: the closing line; exits non-zero when anything failed.
finish() {
	[ ${#failed_names[@]} -eq 0 ] || echo "failed: ${failed_names[*]}"
	echo "time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}
