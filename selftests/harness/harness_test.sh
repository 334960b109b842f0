#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# harness_test.sh - the VM harness (vm/vcore-vm) must fail a run when a test
# fails, when the guest kernel WARNs (even though every test passed), when
# the guest crashes, and when the run outlasts its timeout; and pass a
# clean run.  Runs on the host; boots one VM per case.  Prints TAP.
#
#   harness_test.sh [--kdir DIR --kernel IMAGE --modroot DIR --suite DIR]
#
# With --leak-only (and the debug kernel's options) it checks instead that
# a leak in a module fails the run through kmemleak.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
VM=$TOP/vm/vcore-vm
vmargs=()
suite=$TOP/build/stock
while [ $# -gt 0 ]; do
	case "$1" in
	--suite) suite=$2; vmargs+=("$1" "$2"); shift 2 ;;
	--kdir|--kernel|--modroot) vmargs+=("$1" "$2"); shift 2 ;;
	--leak-only) leak=1; shift ;;
	*) echo "usage: $0 [--kdir DIR --kernel IMAGE --modroot DIR --suite DIR] [--leak-only]" >&2
	   exit 2 ;;
	esac
done
HTEST=$suite/selftests/harness/module/vcore_harness_test.ko
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0

# expect NAME STATUS MESSAGE-REGEX VCORE-VM-ARGS...: the run must end with
# STATUS and say MESSAGE-REGEX on its standard error.
expect() {
	local name=$1 want=$2 msg=$3 rc
	shift 3
	n=$((n + 1))
	"$VM" "${vmargs[@]}" -q "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = "$want" ] && grep -Eq "$msg" "$T/err"; then
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		echo "# wanted status $want and /$msg/, got status $rc:"
		sed 's/^/#   /' "$T/err" | head -n 30
		echo "not ok $n $name"
	fi
}

echo "TAP version 13"
if [ "${leak:-0}" = 1 ]; then
	echo "1..2"
	expect kmemleak_clean_run_passes 0 'exit status 0' --kmemleak -- \
		insmod "$HTEST" action=none
	# The leak happens in the module's init code, which is freed, and
	# the module is gone before the scan: the report still counts.
	expect leak_fails_run 125 'kmemleak found objects leaked by V-Core modules' \
		--kmemleak -- bash -c "insmod $HTEST action=leak && rmmod vcore_harness_test"
	echo "# harness: $((n - failed)) passed, $failed failed"
	[ $failed = 0 ]
	exit
fi
echo "1..6"
expect clean_run_passes 0 'exit status 0' -- true
# A failing test: the runner reports it and the run fails with its status.
expect failing_test_fails_run 1 'exit status 1' -- \
	"$TOP/selftests/run_tests.sh" "$TOP/selftests/harness/always_fails.sh"
expect warn_fails_passing_run 125 'guest kernel reported a problem' -- \
	insmod "$HTEST" action=warn
expect guest_crash_fails_run 125 'stopped without reporting an exit status' -- \
	bash -c 'echo c >/proc/sysrq-trigger; sleep 30'
# A kernel that dies before /init (here: no root to mount) is booted
# again under TCG, where QEMU races with the kernel patching its own text;
# three such boots fail the run.
expect boot_crash_retried 125 'booting again \(3 of 3\)' \
	--accel tcg --timeout 120 --append rdinit=/nonexistent -- true
expect timeout_fails_run 124 'timeout: the run did not finish within 30s' \
	--timeout 30 -- sleep 300
echo "# harness: $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
