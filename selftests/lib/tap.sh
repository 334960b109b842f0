# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tap.sh - shell helpers for TAP/KTAP streams, sourced by the test runners.

# check NAME COMMAND...: one TAP result line for COMMAND, numbered by the
# caller's $n (its failures counted in $failed); the output of a failing
# COMMAND, kept in $T/log, goes out as comments.
check() {
	local name=$1; shift
	n=$((n + 1))
	if "$@" >"$T/log" 2>&1; then
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		sed 's/^/# /' "$T/log"
		echo "not ok $n $name"
	fi
}

# The SKIP directive of a result line (TAP: any case).
TAP_SKIP='# [Ss][Kk][Ii][Pp]'

# tap_count FILE [INDENT-REGEX]: print "passed failed skipped" for the
# result lines of FILE at the given indentation (none by default).  A
# program that skipped itself whole ("1..0 # SKIP reason") counts as one
# skipped test.
tap_count() {
	local p s f whole=0
	p=$(grep -cE "^${2:-}ok " "$1")
	s=$(grep -cE "^${2:-}ok .*$TAP_SKIP" "$1")
	f=$(grep -cE "^${2:-}not ok " "$1")
	[ -z "${2:-}" ] && grep -qE '^1\.\.0([^0-9]|$)' "$1" && whole=1
	echo "$((p - s)) $f $((s + whole))"
}

# tap_plan FILE [INDENT]: do the plans ("1..N") at exactly INDENT (a string
# of spaces, none by default) add up to the result lines at INDENT?  When
# they do not, or there is no plan, print "# plan: declared N, ran M" (or
# "# plan: none declared, ran M") and return 1.  KTAP nests plans: KUnit's
# results declare one suite per file at the top and its cases at four
# spaces; parameterised cases (eight spaces) declare no plan.
tap_plan() {
	local ind=${2:-} declared ran
	declared=$(sed -nE "s/^${ind}1\.\.([0-9]+).*/\1/p" "$1" |
		awk '{ n += $1 } END { if (NR) print n }')
	ran=$(grep -cE "^${ind}(not )?ok " "$1")
	if [ -z "$declared" ]; then
		echo "# plan: none declared, ran $ran"
		return 1
	fi
	if [ "$declared" != "$ran" ]; then
		echo "# plan: declared $declared, ran $ran"
		return 1
	fi
}

# tap_skips FILE [INDENT-REGEX]: print "CASE # SKIP REASON" for every
# skipped result line of FILE at the given indentation, and " # SKIP
# REASON" (no case) for a program that skipped itself whole.
tap_skips() {
	local ind=${2:-}
	{
		grep -E "^${ind}ok .*$TAP_SKIP" "$1" |
			sed -E "s/^${ind}ok( [0-9]+)?( -)? ?//"
		[ -z "$ind" ] && grep -E '^1\.\.0([^0-9]|$)' "$1" |
			sed -E 's/^1\.\.0//'
	} | sed -E "s/ *$TAP_SKIP:? */ # SKIP /; /# SKIP /!s/\$/ # SKIP /; s/ +\$//"
}
