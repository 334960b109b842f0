# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# ctrld.sh - what the tests of the user-space controller daemons
# (vaal_ctrld, vaal_opencld, vaal_cudad) share.  Sourced.

# fails_with STATUS PATTERN COMMAND...: COMMAND exits with STATUS and says
# PATTERN (a fixed string) on standard error.
fails_with() {
	local want=$1 pattern=$2 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "$err"
	echo "exit status $rc"
	[ $rc -eq "$want" ] && grep -qF -- "$pattern" <<<"$err"
}
