# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tap.sh - shell helpers for TAP/KTAP streams, sourced by the test runners.

# tap_count FILE [INDENT-REGEX]: print "passed failed skipped" for the
# result lines of FILE at the given indentation (none by default).
tap_count() {
	local p s f
	p=$(grep -cE "^${2:-}ok " "$1")
	s=$(grep -cE "^${2:-}ok .*# SKIP" "$1")
	f=$(grep -cE "^${2:-}not ok " "$1")
	echo "$((p - s)) $f $s"
}
