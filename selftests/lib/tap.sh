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

# tap_count FILE [INDENT-REGEX]: print "passed failed skipped" for the
# result lines of FILE at the given indentation (none by default).
tap_count() {
	local p s f
	p=$(grep -cE "^${2:-}ok " "$1")
	s=$(grep -cE "^${2:-}ok .*# SKIP" "$1")
	f=$(grep -cE "^${2:-}not ok " "$1")
	echo "$((p - s)) $f $s"
}
