#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools_test.sh - vaalctl and svnicctl against the loaded modules: human and
# JSON output agree with the ABI headers, sysfs and /proc; vaalctl runs
# kernels on files; errors are clear messages.
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

json_check() {	# json_check PYTHON-EXPR COMMAND...: EXPR of the JSON in v is true
	local expr=$1; shift
	"$@" | python3 -c "import json,sys; v=json.load(sys.stdin); print(v); \
sys.exit(0 if ($expr) else 1)"
}

V=$B/tools/vaalctl
CTRLS=/sys/class/misc/vaal/controllers

info_controllers() {	# the count of info agrees with sysfs; new features named
	local want
	want=$(find "$CTRLS" -mindepth 1 -maxdepth 1 | wc -l)
	json_check "v['controllers'] == $want and v['max_inflight'] > 0 and \
{'rings', 'controllers', 'user-controllers'} <= set(v['feature_names'])" "$V" -j info &&
		"$V" info | grep -x "controllers: *$want" &&
		"$V" info | grep -E '^features:.* rings controllers user-controllers$'
}

controllers_text() {	# cpu0 and crypto0 listed with their class and sysfs id
	local out
	out=$("$V" controllers) || return 1
	echo "$out"
	grep -Eq "^cpu0 +cpu +$(cat $CTRLS/cpu0/id) +$(cat $CTRLS/cpu0/units) " <<<"$out" &&
		grep -Eq "^crypto0 +crypto +$(cat $CTRLS/crypto0/id) " <<<"$out" &&
		grep -Eq ' [0-9]+\.[0-9]%$' <<<"$out"
}

controllers_json() {	# JSON agrees with sysfs; a run on cpu counts in cpu0
	local before
	before=$(cat $CTRLS/cpu0/completed)
	printf abc >"$T/abc"
	"$V" run cpu crc32c --in "$T/abc" --out -:4 --u32 0 || return 1
	json_check "[c['name'] for c in v if c['class'] == 'cpu'] == ['cpu0'] and \
[c['completed'] for c in v if c['name'] == 'cpu0'] == [$before + 1] and \
[c['id'] for c in v if c['name'] == 'crypto0'] == [$(cat $CTRLS/crypto0/id)] and \
all(c['units'] >= 1 and 0 <= c['utilization_permille'] <= 1000 for c in v)" \
		"$V" -j controllers
}

contexts() {	# a process holding the device shows up, text and JSON
	local pid out rc=1
	sleep 60 3<>/dev/vaal &
	pid=$!
	for _ in $(seq 50); do	# until the redirection is in place
		[ "$(readlink "/proc/$pid/fd/3")" = /dev/vaal ] && break
		sleep 0.1
	done
	out=$("$V" contexts) && echo "$out" &&
		grep -Eq "^ *$pid +sleep +3 +0 +0 +0 +0 +0 .*cpu:0/0ns" <<<"$out" &&
		json_check "[(c['fd'], c['comm'], c['submitted'], c['buffers'], \
c['classes']['cpu']['completed']) for c in v if c['pid'] == $pid] == [(3, 'sleep', 0, 0, 0)]" \
			"$V" -j contexts && rc=0
	kill "$pid"
	wait "$pid" 2>/dev/null
	# Gone with its process.
	json_check "$pid not in [c['pid'] for c in v]" "$V" -j contexts || rc=1
	return $rc
}

run_sha256() {	# the crypto controller's digest equals sha256sum's
	local got want
	got=$("$V" run crypto sha256 --in /etc/os-release --out -:32) || return 1
	want=$(sha256sum </etc/os-release)
	echo "got $got want ${want%% *}"
	[ "$got" = "${want%% *}" ]
}

run_crc32c() {	# crc32c("123456789") = 0xe3069283, written little endian
	local got
	printf 123456789 >"$T/check"
	got=$("$V" run cpu crc32c --in "$T/check" --out -:4 --u32 0) || return 1
	echo "got $got"
	[ "$got" = 839206e3 ]
}

run_xor() {	# a ^ b against a reference, and (a ^ b) ^ b == a
	head -c 4096 /dev/zero | tr '\0' '\017' >"$T/x0f"
	head -c 4096 /dev/zero | tr '\0' '\360' >"$T/xf0"
	head -c 4096 /dev/zero | tr '\0' '\377' >"$T/xff"
	"$V" run cpu xor --in "$T/x0f" --in "$T/xf0" --out "$T/xor:4k" &&
		cmp "$T/xor" "$T/xff" &&
		head -c 8192 /dev/urandom >"$T/ra" && head -c 8192 /dev/urandom >"$T/rb" &&
		"$V" run cpu xor --in "$T/ra" --in "$T/rb" --out "$T/rab:8192" &&
		"$V" run cpu xor --in "$T/rab" --in "$T/rb" --out "$T/rback:8k" &&
		cmp "$T/rback" "$T/ra" && ! cmp -s "$T/rab" "$T/ra"
}

run_inout() {	# an inout argument is read and written back
	local want
	head -c 32 /dev/zero >"$T/digest"
	"$V" run crypto sha256 --in /etc/os-release --inout "$T/digest" || return 1
	want=$(sha256sum </etc/os-release)
	[ "$(od -An -v -tx1 "$T/digest" | tr -d ' \n')" = "${want%% *}" ]
}

run_json() {	# -j: res, the controller that ran it, device time, outputs
	local want
	want=$(sha256sum </etc/os-release)
	json_check "v['res'] == 0 and v['controller'] == $(cat $CTRLS/crypto0/id) and \
v['device_ns'] >= 0 and v['outputs'] == [{'arg': 1, 'file': '-', 'bytes': 32, \
'hex': '${want%% *}'}]" "$V" -j run crypto sha256 --in /etc/os-release --out -:32
}

run_verbose() {	# -v: controller id and device time on stderr, hex alone on stdout
	"$V" -v run cpu crc32c --in /etc/os-release --out -:4 --u32 0 \
		>"$T/out" 2>"$T/err" || return 1
	cat "$T/out" "$T/err"
	grep -Eqx '[0-9a-f]{8}' "$T/out" &&
		grep -Eq "controller $(cat $CTRLS/cpu0/id), device time [0-9]+ ns" "$T/err"
}

run_fails() {	# run_fails MESSAGE ARG...: exit status 1 and MESSAGE on stderr
	local want=$1 out rc
	shift
	out=$("$V" run "$@" 2>&1)
	rc=$?
	echo "rc $rc: $out"
	[ $rc -eq 1 ] && grep -qF "$want" <<<"$out"
}

run_usage() {	# bad arguments: exit status 2 and a message naming them
	local args out rc
	for args in "" "cpu" "cpu xor --frob x" "cpu xor --out c" "cpu xor --out c:0" \
		"cpu xor --out c:1x" "cpu crc32c --u32 0x100000000" "cpu xor --hex abc" \
		"cpu xor --in"; do
		# shellcheck disable=SC2086 # split on purpose
		out=$("$V" run $args 2>&1)
		rc=$?
		echo "run $args: rc $rc: $out"
		[ $rc -eq 2 ] && grep -q "^vaalctl: .*see 'vaalctl help'" <<<"$out" || return 1
	done
}

help_text() {	# help documents every command and run's arguments
	local out w
	out=$("$V" help) || return 1
	for w in info controllers contexts run --in --inout --out --u32 --u64 --hex -j -v -d; do
		grep -qe " $w " <<<"$out" || { echo "help lacks $w"; return 1; }
	done
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
echo "1..27"
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
check vaalctl_info_controllers info_controllers
check vaalctl_controllers_text controllers_text
check vaalctl_controllers_json controllers_json
check vaalctl_contexts contexts
check vaalctl_run_sha256 run_sha256
check vaalctl_run_crc32c run_crc32c
check vaalctl_run_xor run_xor
check vaalctl_run_inout run_inout
check vaalctl_run_json run_json
check vaalctl_run_verbose run_verbose
check vaalctl_run_no_controller run_fails \
	"vaalctl: f on nosuch: No such device (no controller serves class nosuch)" \
	nosuch f --in /etc/os-release --out -:4
check vaalctl_run_unknown_kernel run_fails \
	"vaalctl: nosuch on cpu: No such file or directory (unknown kernel)" \
	cpu nosuch --in /etc/os-release --out -:4
check vaalctl_run_bad_signature run_fails \
	"vaalctl: crc32c on cpu: Invalid argument (arguments do not match the kernel's signature)" \
	cpu crc32c --in /etc/os-release --out -:4
check vaalctl_run_missing_input run_fails \
	"vaalctl: cannot read /nonexistent: No such file or directory" \
	cpu crc32c --in /nonexistent --out -:4 --u32 0
check vaalctl_run_usage run_usage
check vaalctl_help help_text
check vaalctl_contexts_json_list json_check "isinstance(v, list)" "$V" -j contexts
check svnicctl_info_text bash -c "$B/tools/svnicctl info | grep -x 'abi: *$svnic_abi'"
check svnicctl_info_json json_field nps 0 "$B/tools/svnicctl" -j info
check svnicctl_bad_command usage_error "$B/tools/svnicctl"
[ $failed -eq 0 ]
