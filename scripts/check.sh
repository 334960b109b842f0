#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TIER...] - run V-Core's test tiers and end with one line
#   N passed, N failed[, N skipped]
# counting every test case of every tier.  Tiers, in order:
#   build    modules (W=1, warnings are errors), tools, selftests, native
#   native   pure-logic unit tests in user space under ASan and UBSan
#   lint     sparse and checkpatch
#   harness  the VM harness proves it fails runs when it must
#   vm       selftests in the VM on the stock Debian kernel
#   debug    KUnit and selftests in the debug kernel (KASAN, UBSAN,
#            lockdep, kmemleak, ...), then a kmemleak scan
# With no TIER, all of them.  Exit status 0 when nothing failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
MAKE=(make -C "$TOP" --no-print-directory)
ALL_TIERS=(build native lint harness vm debug)
[ $# -gt 0 ] && tiers=("$@") || tiers=("${ALL_TIERS[@]}")

pass=0 fail=0 skip=0
summary=()
log=$(mktemp -d /tmp/vcore-check.XXXXXX)

# add TIER PASS FAIL SKIP SECONDS
add() {
	pass=$((pass + $2)) fail=$((fail + $3)) skip=$((skip + $4))
	summary+=("$(printf '%-11s %4d passed %4d failed %4d skipped %5ds' "$1" "$2" "$3" "$4" "$5")")
}

# shellcheck source=../selftests/lib/tap.sh
. "$TOP/selftests/lib/tap.sh"

banner() { printf '\n==== %s ====\n' "$*"; }

tier_build() {
	banner "build: modules (W=1), tools, selftests, native"
	if "${MAKE[@]}" all native; then
		echo "ok 1 build"
		add build 1 0 0 $SECONDS
	else
		echo "not ok 1 build"
		add build 0 1 0 $SECONDS
		return 1
	fi
}

tier_native() {
	local t p f s tp=0 tf=0 ts=0 status
	banner "native: unit tests under ASan and UBSan"
	for t in "$BUILD"/native/*_test; do
		"$t" >"$log/native.tap" 2>&1
		status=$?
		cat "$log/native.tap"
		read -r p f s < <(tap_count "$log/native.tap")
		[ $status != 0 ] && [ $f = 0 ] && f=1
		tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	done
	add native $tp $tf $ts $SECONDS
}

tier_lint() {
	local p f s
	banner "lint: sparse, checkpatch"
	"${MAKE[@]}" -s lint | tee "$log/lint.tap"
	read -r p f s < <(tap_count "$log/lint.tap")
	[ "${PIPESTATUS[0]}" != 0 ] && [ $f = 0 ] && f=1
	add lint $p $f $s $SECONDS
}

# harness_tests NAME ARGS...: selftests/harness/harness_test.sh ARGS
harness_tests() {
	local name=$1 p f s status
	shift
	"$TOP/selftests/harness/harness_test.sh" "$@" 2>&1 | tee "$log/$name.tap"
	status=${PIPESTATUS[0]}
	read -r p f s < <(tap_count "$log/$name.tap")
	[ $status != 0 ] && [ $f = 0 ] && f=1
	add "$name" $p $f $s $SECONDS
}

tier_harness() {
	banner "harness: the VM harness fails runs when it must"
	harness_tests harness
}

# vm_tier NAME VCORE-VM-ARGS... -- RUNNER-ARGS...
vm_tier() {
	local name=$1 p=0 f=0 s=0 status line
	shift
	"$TOP/vm/vcore-vm" --logdir "$log/$name" "$@" 2>&1 | tee "$log/$name.out"
	status=${PIPESTATUS[0]}
	line=$(grep -E '^# totals: ' "$log/$name.out" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/.*pass:([0-9]+).*/\1/' <<<"$line")
		f=$(sed -E 's/.*fail:([0-9]+).*/\1/' <<<"$line")
		s=$(sed -E 's/.*skip:([0-9]+).*/\1/' <<<"$line")
	fi
	# A run that died, timed out or left a kernel report failed, even
	# when each test passed: count it as one more failure.
	if [ $status != 0 ] && { [ $f = 0 ] || [ $status -ge 124 ]; }; then
		echo "not ok - $name: vcore-vm exit status $status"
		f=$((f + 1))
	fi
	add "$name" $p $f $s $SECONDS
}

tier_vm() {
	banner "vm: selftests on the stock kernel"
	vm_tier vm --timeout 1500 -- "$TOP/selftests/run_tests.sh" --build "$BUILD"
}

tier_debug() {
	local kout kver
	banner "debug: debug kernel build"
	if ! kout=$("$TOP/scripts/debug-kernel.sh" | tail -n 1) ||
	   ! "${MAKE[@]}" debug-modules KDIR_DEBUG="$kout"; then
		echo "not ok - debug kernel or modules failed to build"
		add debug 0 1 0 $SECONDS
		return
	fi
	add debug-build 0 0 0 $SECONDS
	SECONDS=0
	kver=$(cat "$kout/include/config/kernel.release")
	local kargs=(--kdir "$kout" --kernel "$kout/arch/x86/boot/bzImage"
		     --modroot "$kout/modroot" --suite "$BUILD/debug")
	banner "debug: kmemleak catches a leaking module"
	harness_tests debug-leak "${kargs[@]}" --leak-only
	SECONDS=0
	banner "debug: KUnit and selftests in $kver"
	vm_tier debug --timeout 2400 --mem 3072 "${kargs[@]}" --kmemleak -- \
		"$TOP/selftests/run_tests.sh" --build "$BUILD" --suite "$BUILD/debug" --kunit
}

for t in "${tiers[@]}"; do
	SECONDS=0
	case $t in
	build) tier_build || break ;;
	native|lint|harness|vm|debug) "tier_$t" ;;
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
