#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh - run the V-Core selftests (and, with --kunit, the KUnit
# suites of the modules) inside the VM; print KTAP and, last, a line
#   # totals: pass:N fail:N skip:N
# A program whose TAP plan disagrees with the results it printed failed;
# one that skipped itself whole ("1..0 # SKIP") counts as one skipped test.
# Exit status 0 when nothing failed.
#
#   run_tests.sh [--build DIR] [--suite DIR] [--kunit] [--exclude FILE]
#                [TEST...]
#
# TEST is a selftest binary or *_test.sh script; by default every one, in
# the order of COMPONENTS (modules last: it unloads and reloads the suite),
# less those FILE lists, one "COMPONENT/NAME REASON" a line (the debug
# tier's selftests/debug-exclude): each is named, with its reason, as not
# run.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
COMPONENTS=(vaal_core vcore_sched vaal_mdev svnic tools modules)
build=$TOP/build
suite=
kunit=0
exclude=
tests=() notrun=()

while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--kunit) kunit=1; shift ;;
	--exclude) exclude=$2; shift 2 ;;
	-*) echo "usage: $0 [--build DIR] [--suite DIR] [--kunit] [--exclude FILE] [TEST...]" >&2; exit 2 ;;
	*) tests+=("$1"); shift ;;
	esac
done
[ -n "$suite" ] || suite=$build/stock
export VCORE_BUILD=$build VCORE_SUITE=$suite

if [ ${#tests[@]} -eq 0 ]; then
	for c in "${COMPONENTS[@]}"; do
		for t in "$build/selftests/$c"/*_test "$TOP/selftests/$c"/*_test.sh; do
			[ -x "$t" ] && tests+=("$t")
		done
	done
fi

# excluded NAME: the reason $exclude gives for not running NAME; false when
# it does not list it.
excluded() {
	local name why
	[ -n "$exclude" ] || return 1
	while read -r name why; do
		case $name in '' | '#'*) continue ;; esac
		[ "$name" = "$1" ] && { echo "$why"; return 0; }
	done <"$exclude"
	return 1
}

if [ -n "$exclude" ]; then
	[ -r "$exclude" ] || { echo "run_tests: cannot read $exclude" >&2; exit 2; }
	kept=() notrun=()
	for t in "${tests[@]}"; do
		name=${t#"$build/selftests/"}
		name=${name#"$TOP/selftests/"}
		if why=$(excluded "$name"); then
			notrun+=("# not run here: $name: $why")
		else
			kept+=("$t")
		fi
	done
	tests=("${kept[@]}")
fi

kunit_mods=()
[ $kunit = 1 ] && mapfile -t kunit_mods < <(find "$suite" -name '*_kunit.ko' | sort)

pass=0 fail=0 skip=0 idx=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# shellcheck source=lib/tap.sh
. "$TOP/selftests/lib/tap.sh"

# result NAME STATUS [INDENT-REGEX PLAN-INDENT...]: fold one test program's
# results into the totals.  Its plans are checked at the top (or at each
# PLAN-INDENT); every skipped case is listed as
#   # skip: NAME:CASE # SKIP REASON
# (NAME: for a program that skipped itself whole), for check.sh to hold
# against selftests/expected-skips.
result() {
	local name=$1 status=$2 ind=${3:-} plans=("${@:4}") p f s msg rec i
	[ ${#plans[@]} -gt 0 ] || plans=("")
	read -r p f s < <(tap_count "$out" "$ind")
	# A program that ran other than the cases it declared failed.
	for i in "${plans[@]}"; do
		if ! msg=$(tap_plan "$out" "$i"); then
			f=$((f + 1))
			echo "  $msg"
		fi
	done
	# So did one that failed without saying which case failed.
	if [ "$status" != 0 ]; then
		echo "  # $name exited with status $status"
		[ "$f" = 0 ] && f=1
	fi
	while IFS= read -r rec; do
		echo "# skip: $name:$rec"
	done < <(tap_skips "$out" "$ind")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	idx=$((idx + 1))
	if [ "$f" != 0 ]; then
		echo "not ok $idx $name"
	elif [ "$p" = 0 ] && [ "$s" != 0 ]; then
		echo "ok $idx $name # SKIP"
	else
		echo "ok $idx $name"
	fi
}

echo "KTAP version 1"
echo "1..$((${#tests[@]} + ${#kunit_mods[@]}))"
[ ${#notrun[@]} = 0 ] || printf '%s\n' "${notrun[@]}"

for t in "${tests[@]}"; do
	name=${t#"$build/selftests/"}
	name=${name#"$TOP/selftests/"}
	echo "# selftest $name"
	# 600 s, or what a script's "# timeout: SECONDS" line asks (kselftest's
	# settings, per test): those that boot a guest inside the VM.
	limit=$(sed -n '1,30s/^# timeout: \([0-9]\+\)$/\1/p' "$t" 2>/dev/null | head -n 1)
	start=$SECONDS
	timeout -k 5 "${limit:-600}" "$t" >"$out" 2>&1
	status=$?
	sed 's/^/  /' "$out"
	echo "# time: $name $((SECONDS - start))s"
	result "$name" "$status"
done

for ko in "${kunit_mods[@]}"; do
	name=kunit/$(basename "$ko" .ko)
	echo "# $name"
	before=$(cd /sys/kernel/debug/kunit 2>/dev/null && printf '%s\n' *)
	: >"$out"
	status=0
	if insmod "$ko"; then
		for s in /sys/kernel/debug/kunit/*; do
			grep -qx "${s##*/}" <<<"$before" || cat "$s/results" >>"$out"
		done
		rmmod "$(basename "$ko" .ko)" || status=1
	else
		status=1
	fi
	[ -s "$out" ] || { echo "  # no KUnit results"; status=1; }
	sed 's/^/  /' "$out"
	# Suites print their cases indented under the suite's own line;
	# each suite's results declare the suite at the top and its cases at
	# four spaces.
	result "$name" "$status" '[[:space:]]+' "" "    "
done

echo "# totals: pass:$pass fail:$fail skip:$skip"
[ $fail = 0 ]
