#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools_test.sh - vaalctl and svnicctl against the loaded modules: human and
# JSON output agree with the ABI headers, and errors are clear messages.
# Prints TAP; $VCORE_BUILD is the build directory holding the tools.
set -u
B=${VCORE_BUILD:?VCORE_BUILD not set}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0

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

json_field() {	# json_field FIELD EXPECTED COMMAND...
	local field=$1 want=$2; shift 2
	"$@" | python3 -c "import json,sys; v=json.load(sys.stdin)['$field']; \
print(v); sys.exit(0 if str(v) == '$want' else 1)"
}

usage_error() {	# an unknown command: exit status 2 and a message naming it
	local out rc
	out=$("$1" frobnicate 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 2 ] && grep -q "unknown command 'frobnicate'" <<<"$out"
}

abi() {	# abi HEADER PREFIX: "major.minor" from a uapi header
	awk -v p="$2" '$1 == "#define" && $2 == p "_ABI_MAJOR" { M = $3 }
		$1 == "#define" && $2 == p "_ABI_MINOR" { m = $3 }
		END { print M "." m }' "$1"
}

top=$(cd "$(dirname "$0")/../.." && pwd)
vaal_abi=$(abi "$top/uapi/linux/vaal.h" VAAL)
svnic_abi=$(abi "$top/uapi/linux/svnic.h" SVNIC)

echo "TAP version 13"
echo "1..10"
check vaalctl_info_text bash -c "$B/tools/vaalctl info | grep -x 'abi: *$vaal_abi'"
check vaalctl_info_json json_field abi_major "${vaal_abi%.*}" "$B/tools/vaalctl" -j info
check vaalctl_json_counts_self json_field contexts 1 "$B/tools/vaalctl" -j info
check vaalctl_json_buffer_limit json_field max_buffer_bytes \
	"$(cat /sys/module/vaal_core/parameters/max_buffer_bytes)" "$B/tools/vaalctl" -j info
check vaalctl_json_kernel_limit json_field max_kernels \
	"$(cat /sys/module/vaal_core/parameters/max_kernels)" "$B/tools/vaalctl" -j info
check vaalctl_bad_command usage_error "$B/tools/vaalctl"
check vaalctl_missing_device bash -c "$B/tools/vaalctl -d /nonexistent info 2>&1 | \
	grep -q 'cannot open /nonexistent: No such file or directory'"
check svnicctl_info_text bash -c "$B/tools/svnicctl info | grep -x 'abi: *$svnic_abi'"
check svnicctl_info_json json_field nps 0 "$B/tools/svnicctl" -j info
check svnicctl_bad_command usage_error "$B/tools/svnicctl"
[ $failed -eq 0 ]
