#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TIER...] - run V-Core's test tiers and end with one line
#   N passed, N failed[, N skipped]
# counting every test case of every tier.  Tiers, in order:
#   build    modules (W=1, warnings are errors), tools, selftests, native
#   native   pure-logic unit tests in user space under ASan and UBSan
#   lint     sparse and checkpatch
#   harness  the test runners count what they must, and the VM harness
#            fails runs when it must
#   vm       selftests in the VM on the stock Debian kernel
#   demo     make demo's steps, each one a test
#   debug    KUnit and selftests in the debug kernel (KASAN, UBSAN,
#            lockdep, kmemleak, ...), but those selftests/debug-exclude
#            lists, then a kmemleak scan
# With no TIER, all of them.  A test program whose TAP plan disagrees with
# the results it printed, or that exited non-zero, failed.  A skipped test
# that selftests/expected-skips does not list for its tier counts as a
# failure too.  Exit status 0 when nothing failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
SKIPS=$TOP/selftests/expected-skips
MAKE=(make -C "$TOP" --no-print-directory)
ALL_TIERS=(build native lint harness vm demo debug)
[ -r "$SKIPS" ] || { echo "check: cannot read $SKIPS" >&2; exit 2; }
[ $# -gt 0 ] && tiers=("$@") || tiers=("${ALL_TIERS[@]}")

pass=0 fail=0 skip=0
summary=()
log=$(mktemp -d "${TMPDIR:-/tmp}/vcore-check.XXXXXX")

# The tier running: its totals, and its skipped tests in $log/skipped, one
# "NAME:CASE # SKIP REASON" a line.
tp=0 tf=0 ts=0
: >"$log/skipped"

# unexpected_skips TIER: print each skipped test of the tier that $SKIPS
# does not list for TIER, and count it as a failure.
unexpected_skips() {
	local tier=$1 rec id reason t pat why hit
	while IFS= read -r rec; do
		id=${rec%%" # SKIP"*}
		reason=${rec#"$id # SKIP"}
		reason=${reason# }
		hit=0
		while read -r t pat why; do
			case $t in '' | '#'*) continue ;; esac
			# shellcheck disable=SC2053 # the list holds patterns
			if [ "$t" = "$tier" ] && [[ $id == $pat ]] &&
			   [[ $reason == $why ]]; then
				hit=1
				break
			fi
		done <"$SKIPS"
		if [ $hit = 0 ]; then
			echo "not ok - $tier: unexpected skip: $id # SKIP $reason"
			tf=$((tf + 1))
		fi
	done <"$log/skipped"
}

# add TIER: the tier's totals (and its unexpected skips, as failures) into
# the summary; the next tier starts from zero.
add() {
	unexpected_skips "$1"
	pass=$((pass + tp)) fail=$((fail + tf)) skip=$((skip + ts))
	summary+=("$(printf '%-11s %4d passed %4d failed %4d skipped %5ds' "$1" $tp $tf $ts $SECONDS)")
	tp=0 tf=0 ts=0
	: >"$log/skipped"
}

# shellcheck source=../selftests/lib/tap.sh
. "$TOP/selftests/lib/tap.sh"

# fold NAME FILE STATUS: the TAP output (FILE) and exit status of one test
# program into the tier's totals.  A wrong or missing plan is one more
# failure; so is a non-zero status when no case failed.
fold() {
	local name=$1 file=$2 status=$3 p f s msg rec
	read -r p f s < <(tap_count "$file")
	if ! msg=$(tap_plan "$file"); then
		echo "not ok - $name: ${msg#\# }"
		f=$((f + 1))
	fi
	if [ "$status" != 0 ]; then
		echo "# $name: exit status $status"
		[ "$f" = 0 ] && f=1
	fi
	while IFS= read -r rec; do
		echo "$name:$rec" >>"$log/skipped"
	done < <(tap_skips "$file")
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
}

banner() { printf '\n==== %s ====\n' "$*"; }

tier_build() {
	banner "build: modules (W=1), tools, selftests, native"
	# make check ran deps first: the rest may go on every CPU.
	if "${MAKE[@]}" -j"$(nproc)" all native; then
		echo "ok 1 build"
		tp=1
		add build
	else
		echo "not ok 1 build"
		tf=1
		add build
		return 1
	fi
}

tier_native() {
	local t status
	banner "native: unit tests under ASan and UBSan"
	for t in "$BUILD"/native/*_test; do
		"$t" >"$log/native.tap" 2>&1
		status=$?
		cat "$log/native.tap"
		fold "native/${t##*/}" "$log/native.tap" $status
	done
	add native
}

tier_lint() {
	local status
	banner "lint: sparse, checkpatch"
	"${MAKE[@]}" -s lint 2>&1 | tee "$log/lint.tap"
	status=${PIPESTATUS[0]}
	fold lint "$log/lint.tap" "$status"
	add lint
}

# harness_tests NAME ARGS...: selftests/harness/harness_test.sh ARGS
harness_tests() {
	local name=$1 status
	shift
	"$TOP/selftests/harness/harness_test.sh" "$@" 2>&1 | tee "$log/$name.tap"
	status=${PIPESTATUS[0]}
	fold "$name" "$log/$name.tap" "$status"
}

tier_harness() {
	local status
	banner "harness: the test runners count what they must"
	"$TOP/selftests/harness/runner_test.sh" 2>&1 | tee "$log/runner.tap"
	status=${PIPESTATUS[0]}
	fold runner "$log/runner.tap" "$status"
	banner "harness: the VM harness fails runs when it must"
	harness_tests harness
	add harness
}

# vm_tier NAME VCORE-VM-ARGS... -- RUNNER-ARGS...
vm_tier() {
	local name=$1 status line
	shift
	"$TOP/vm/vcore-vm" --logdir "$log/$name" "$@" 2>&1 | tee "$log/$name.out"
	status=${PIPESTATUS[0]}
	line=$(tr -d '\r' <"$log/$name.out" | grep -E '^# totals: ' | tail -n 1)
	if [ -n "$line" ]; then
		tp=$(sed -E 's/.*pass:([0-9]+).*/\1/' <<<"$line")
		tf=$(sed -E 's/.*fail:([0-9]+).*/\1/' <<<"$line")
		ts=$(sed -E 's/.*skip:([0-9]+).*/\1/' <<<"$line")
	fi
	tr -d '\r' <"$log/$name.out" | sed -n 's/^# skip: //p' >>"$log/skipped"
	# A run that died, timed out or left a kernel report failed, even
	# when each test passed: count it as one more failure.
	if [ $status != 0 ] && { [ $tf = 0 ] || [ $status -ge 124 ]; }; then
		echo "not ok - $name: vcore-vm exit status $status"
		tf=$((tf + 1))
	fi
	add "$name"
}

tier_vm() {
	banner "vm: selftests on the stock kernel"
	vm_tier vm --timeout 3300 -- "$TOP/selftests/run_tests.sh" --build "$BUILD"
}

# The demo (scripts/demo.sh, scripts/demo-guest.sh) prints "  [ok]   STEP"
# or "  [FAIL] STEP (exit N)" for each step and ends with
# "== N steps ok, M failed ==": each step is a test.
tier_demo() {
	local status line
	banner "demo: make demo, each step a test"
	"$TOP/scripts/demo.sh" 2>&1 | tee "$log/demo.out"
	status=${PIPESTATUS[0]}
	tr -d '\r' <"$log/demo.out" >"$log/demo.txt"
	tp=$(grep -c '^  \[ok\] ' "$log/demo.txt")
	tf=$(grep -c '^  \[FAIL\] ' "$log/demo.txt")
	line=$(grep -E '^== [0-9]+ steps ok, [0-9]+ failed ==$' "$log/demo.txt")
	if [ "$line" != "== $tp steps ok, $tf failed ==" ]; then
		echo "not ok - demo: counted $tp steps ok, $tf failed; its report: '$line'"
		tf=$((tf + 1))
	fi
	if [ $status != 0 ] && [ $tf = 0 ]; then
		echo "not ok - demo: exit status $status"
		tf=1
	fi
	add demo
}

tier_debug() {
	local kout kver
	banner "debug: debug kernel build"
	if ! kout=$("$TOP/scripts/debug-kernel.sh" | tail -n 1) ||
	   ! "${MAKE[@]}" debug-modules KDIR_DEBUG="$kout"; then
		echo "not ok - debug kernel or modules failed to build"
		tf=1
		add debug
		return
	fi
	add debug-build
	SECONDS=0
	kver=$(cat "$kout/include/config/kernel.release")
	local kargs=(--kdir "$kout" --kernel "$kout/arch/x86/boot/bzImage"
		     --modroot "$kout/modroot" --suite "$BUILD/debug")
	banner "debug: kmemleak catches a leaking module"
	harness_tests debug-leak "${kargs[@]}" --leak-only
	add debug-leak
	SECONDS=0
	banner "debug: KUnit and selftests in $kver"
	vm_tier debug --timeout 4200 --mem 3072 "${kargs[@]}" --kmemleak -- \
		"$TOP/selftests/run_tests.sh" --build "$BUILD" --suite "$BUILD/debug" --kunit \
		--exclude "$TOP/selftests/debug-exclude"
}

for t in "${tiers[@]}"; do
	SECONDS=0
	case $t in
	build) tier_build || break ;;
	native|lint|harness|vm|demo|debug) "tier_$t" ;;
	*) echo "check: unknown tier '$t' (tiers: ${ALL_TIERS[*]})" >&2; exit 2 ;;
	esac
done

banner summary
printf '%s\n' "${summary[@]}"
echo "logs: $log"
line="$pass passed, $fail failed"
[ $skip -gt 0 ] && line+=", $skip skipped"
echo "$line"
[ $fail = 0 ]
