#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# runner_test.sh - the test runners hide nothing: selftests/run_tests.sh and
# scripts/check.sh fail a program whose TAP plan disagrees with what it ran
# or that declares none, count a program that skipped itself whole, fail a
# skip that selftests/expected-skips does not list, fail the lint tier when
# "make lint" fails without a TAP line, count the demo's steps; run_tests.sh
# leaves out, by name and with its reason, what an exclude file lists; and
# scripts/bench.sh prints no figure from a failed measurement and fails.
# Runs on the host, no VM: the runners run fake tests, check.sh and bench.sh
# run from a copy of the tree with fake programs in it.  Prints TAP.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$TOP/selftests/lib/tap.sh"

# fake FILE LINE...: an executable script printing the LINEs (a line
# "exit N" ends it with status N).
fake() {
	local f=$1 l
	shift
	mkdir -p "$(dirname "$f")"
	{
		echo '#!/bin/bash'
		for l in "$@"; do
			case $l in
			exit\ *) echo "$l" ;;
			*) printf 'echo %q\n' "$l" ;;
			esac
		done
	} >"$f"
	chmod +x "$f"
}

# ran WANT-STATUS COMMAND...: run COMMAND, its output in $T/out; its exit
# status is WANT-STATUS (0, or "fail" for any other).
ran() {
	local want=$1 rc
	shift
	"$@" >"$T/out" 2>&1
	rc=$?
	cat "$T/out"
	echo "exit status $rc"
	if [ "$want" = fail ]; then
		[ $rc != 0 ]
	else
		[ $rc = "$want" ]
	fi
}

# says PATTERN...: $T/out holds a line matching each extended regex.
says() {
	local p
	for p in "$@"; do
		grep -Eq -- "$p" "$T/out" || { echo "no line matches /$p/"; return 1; }
	done
}

# lacks PATTERN: $T/out holds no line matching it.
lacks() {
	! grep -E -- "$1" "$T/out"
}

# A copy of the tree for check.sh and bench.sh, with fake programs in it.
tree() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree/scripts" "$T/tree/selftests/lib"
	cp "$TOP/scripts/check.sh" "$TOP/scripts/bench.sh" "$T/tree/scripts/"
	cp "$TOP/selftests/lib/tap.sh" "$T/tree/selftests/lib/"
	cp "$TOP/selftests/expected-skips" "$T/tree/selftests/"
}

# check_sh TIER: the copy's check.sh TIER, its logs in $T.
check_sh() {
	TMPDIR=$T "$T/tree/scripts/check.sh" "$@"
}

# run_case NAME: the function NAME is the test case NAME.
run_case() {
	check "$1" "$1"
}

RUN=$TOP/selftests/run_tests.sh
F=$T/fake

echo "TAP version 13"
echo "1..18"

# --- run_tests.sh -----------------------------------------------------------
fake "$F/good.sh" "TAP version 13" "1..2" "ok 1 a" "ok 2 b"
fake "$F/plan3_ran2.sh" "TAP version 13" "1..3" "ok 1 a" "ok 2 b"
fake "$F/ran3_plan2.sh" "TAP version 13" "1..2" "ok 1 a" "ok 2 b" "ok 3 c"
fake "$F/noplan.sh" "ok 1 a"
fake "$F/skipall.sh" "TAP version 13" "1..0 # SKIP no widget here"

run_tests_correct_plan_passes() {
	ran 0 "$RUN" "$F/good.sh" && says "^# totals: pass:2 fail:0 skip:0$"
}
run_case run_tests_correct_plan_passes

run_tests_fewer_than_planned_fails() {
	ran fail "$RUN" "$F/plan3_ran2.sh" &&
		says "^  # plan: declared 3, ran 2$" "^# totals: pass:2 fail:1 skip:0$"
}
run_case run_tests_fewer_than_planned_fails

run_tests_more_than_planned_fails() {
	ran fail "$RUN" "$F/ran3_plan2.sh" &&
		says "^  # plan: declared 2, ran 3$" "^# totals: pass:3 fail:1 skip:0$"
}
run_case run_tests_more_than_planned_fails

run_tests_no_plan_fails() {
	ran fail "$RUN" "$F/noplan.sh" &&
		says "^  # plan: none declared, ran 1$" "^# totals: pass:1 fail:1 skip:0$"
}
run_case run_tests_no_plan_fails

run_tests_skipped_file_counts() {
	ran 0 "$RUN" "$F/skipall.sh" &&
		says "^# totals: pass:0 fail:0 skip:1$" \
		     "^# skip: $F/skipall.sh: # SKIP no widget here$"
}
run_case run_tests_skipped_file_counts

# A test the exclude file lists (as the debug tier's) is not run - this
# one would fail - and is named with its reason; the plan counts the rest.
run_tests_excluded_not_run() {
	printf '# a comment\n%s not for this tier\n' "$F/plan3_ran2.sh" >"$T/excl"
	ran 0 "$RUN" --exclude "$T/excl" "$F/good.sh" "$F/plan3_ran2.sh" &&
		says "^1\.\.1$" "^# not run here: $F/plan3_ran2.sh: not for this tier$" \
		     "^# totals: pass:2 fail:0 skip:0$" &&
		lacks "plan3_ran2.sh exited|^(not )?ok 2 "
}
run_case run_tests_excluded_not_run

# KUnit's debugfs results: a suite at the top, its cases at four spaces,
# parameters at eight (no plan there).  Here suite_b lost its cases.
cat >"$T/kunit" <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: suite_a
    1..2
        KTAP version 1
        # Subtest: case_p
        ok 1 p0
        ok 2 p1 # SKIP no widget
    ok 1 case_p
    not ok 2 case_c
ok 1 suite_a
KTAP version 1
1..1
    KTAP version 1
    # Subtest: suite_b
    1..2
not ok 1 suite_b
EOF
kunit_nested_plans() {
	tap_plan "$T/kunit" "" && ! tap_plan "$T/kunit" "    " &&
		[ "$(tap_plan "$T/kunit" "    ")" = "# plan: declared 4, ran 2" ] &&
		[ "$(tap_count "$T/kunit" "[[:space:]]+")" = "2 1 1" ]
}
run_case kunit_nested_plans

# --- check.sh -------------------------------------------------------------
tree
NB=$T/tree/build/native
fake "$NB/a_test" "TAP version 13" "1..1" "ok 1 a"
check_native_correct_plans_pass() {
	ran 0 check_sh native && says "^1 passed, 0 failed$"
}
run_case check_native_correct_plans_pass

fake "$NB/b_test" "TAP version 13" "1..3" "ok 1 b1" "ok 2 b2"
check_native_wrong_plan_fails() {
	ran fail check_sh native &&
		says "^not ok - native/b_test: plan: declared 3, ran 2$" "^3 passed, 1 failed$"
}
run_case check_native_wrong_plan_fails

rm "$NB/b_test"
fake "$NB/c_test" "TAP version 13" "1..2" "ok 1 c1" "ok 2 c2 # SKIP no widget here"
check_unexpected_skip_fails() {
	ran fail check_sh native &&
		says "^not ok - native: unexpected skip: native/c_test:c2 # SKIP no widget here$" \
		     "^2 passed, 1 failed, 1 skipped$"
}
run_case check_unexpected_skip_fails

fake "$NB/c_test" "TAP version 13" "1..0 # SKIP no widget here"
check_unexpected_skipped_file_fails() {
	ran fail check_sh native &&
		says "^not ok - native: unexpected skip: native/c_test: # SKIP no widget here$" \
		     "^1 passed, 1 failed, 1 skipped$"
}
run_case check_unexpected_skipped_file_fails

printf '# the fake has no widget\nnative\tnative/c_test:*\tno widget *\n' \
	>>"$T/tree/selftests/expected-skips"
check_expected_skip_passes() {
	ran 0 check_sh native && says "^1 passed, 0 failed, 1 skipped$" &&
		lacks "unexpected skip"
}
run_case check_expected_skip_passes

# "make -s lint" failing without a TAP line: a fake make on PATH.
fake "$T/bin/make" "make: *** [Makefile:1: lint] Error 2" "exit 2"
check_lint_failure_without_tap_fails() {
	PATH=$T/bin:$PATH ran fail check_sh lint && says "^0 passed, 1 failed$"
}
run_case check_lint_failure_without_tap_fails

# The demo: each step a test; a demo that stops before its report failed.
fake "$T/tree/scripts/demo.sh" "  [ok]   one" "           its output" \
	"  [FAIL] two (exit 1)" "  [ok]   three" "== 2 steps ok, 1 failed ==" "exit 1"
check_demo_steps_counted() {
	ran fail check_sh demo && says "^2 passed, 1 failed$"
}
run_case check_demo_steps_counted

fake "$T/tree/scripts/demo.sh" "  [ok]   one" "exit 0"
check_demo_without_report_fails() {
	ran fail check_sh demo && says "^1 passed, 1 failed$"
}
run_case check_demo_without_report_fails

# --- bench.sh -------------------------------------------------------------
# The first benchmark fails: no figure, and bench.sh fails.
RB=$T/tree/build/native/np_ring_bench
fake "$RB" "exit 1"
bench_failed_measurement_fails() {
	ran fail "$T/tree/scripts/bench.sh" && lacks "^bench " &&
		says "^bench: FAILED: "
}
run_case bench_failed_measurement_fails

# It works with bursts of 1, and prints no number with bursts of 32: the
# figures measured come out, then bench.sh fails.
cat >"$RB" <<'EOF'
#!/bin/bash
[ "$2" = 1 ] && echo "$1 2.5" || echo "$1 nan"
EOF
bench_figures_until_failure() {
	ran fail "$T/tree/scripts/bench.sh" 2>/dev/null &&
		says "^bench np.native.ring_instr_per_item_burst1 -?[0-9.]+ instr/item$" \
		     "^bench np.native.ring_ns_per_item_burst1 2.5 ns/item$" \
		     "^bench np.native.ring_instr_per_item_burst32 -?[0-9.]+ instr/item$" &&
		[ "$(grep -c "^bench " "$T/out")" = 3 ]
}
run_case bench_figures_until_failure

# bench-report.sh: a table from a complete run only.
bench_report_only_from_complete_run() {
	local r=$TOP/scripts/bench-report.sh
	grep -v '^bench: ' "$T/out" >"$T/partial"
	# "# vm:" comes once the harness booted, later than this run failed.
	{ grep '^# ' "$T/partial"; echo "# vm: tcg"; echo "bench a.b 1.5 ns"
	  echo "# complete: every figure measured"; } >"$T/complete"
	ran fail "$r" "$T/partial" && says "the run did not complete" &&
		ran 0 "$r" "$T/complete" &&
		says '^\| `a\.b` \| 1\.5 \| ns \|$' 'commit `'
}
run_case bench_report_only_from_complete_run

echo "# runner: $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
