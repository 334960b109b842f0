#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools_test.sh - vaalctl and svnicctl against the loaded modules: human and
# JSON output agree with the ABI headers, sysfs and /proc; vaalctl runs
# kernels on files, shows and sets vcore_sched's classes and other
# processes' reservations; errors are clear messages.
# Prints TAP; $VCORE_BUILD is the build directory holding the tools.
set -u
B=${VCORE_BUILD:?VCORE_BUILD not set}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"

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
{'rings', 'controllers', 'user-controllers', 'sched-attr'} <= set(v['feature_names'])" \
		"$V" -j info &&
		"$V" info | grep -x "controllers: *$want" &&
		"$V" info | grep -E '^features:.* rings controllers user-controllers sched-attr$'
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
	for w in info controllers contexts run --in --inout --out --u32 --u64 --hex \
		--reserve sched policy rt-limit partitions reserve pin get -j -v -d; do
		grep -qe " $w " <<<"$out" || { echo "help lacks $w"; return 1; }
	done
}

# --- vaalctl sched: vcore_sched's classes, settings and reservations ---------

S=/sys/kernel/vcore_sched
RT0_CPU=$(cat $S/cpu/rt_limit 2>/dev/null)
RT0_CRYPTO=$(cat $S/crypto/rt_limit 2>/dev/null)

sched_restore() {	# the settings every sched case starts from and ends with
	local c
	for c in cpu crypto; do
		[ -d "$S/$c" ] || continue
		echo fair >"$S/$c/policy"
		# "none" must be the whole write: no newline.
		printf none >"$S/$c/partitions"
	done
	[ ! -d $S/cpu ] || echo "${RT0_CPU:-90}" >$S/cpu/rt_limit
	[ ! -d $S/crypto ] || echo "${RT0_CRYPTO:-90}" >$S/crypto/rt_limit
}

helper_pid=()
helper() {	# a process holding /dev/vaal as fd 9; its pid in HELPER
	( exec 9<>/dev/vaal; exec sleep 30 ) &
	HELPER=$!
	helper_pid+=("$HELPER")
	for _ in $(seq 50); do	# until the redirection is in place
		[ "$(readlink "/proc/$HELPER/fd/9")" = /dev/vaal ] && return 0
		sleep 0.1
	done
	echo "helper $HELPER did not open /dev/vaal"
	return 1
}

helpers_stop() {	# kill the helpers; their contexts (and reservations) go
	local p
	for p in "${helper_pid[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	helper_pid=()
}

fails_with() {	# fails_with MESSAGE COMMAND...: exit status 1 and MESSAGE
	local want=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$* -> rc $rc: $out"
	[ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out"
}

sched_list() {	# cpu and crypto with policy fair, as sysfs has them
	local out c rc=0
	out=$("$V" sched) || return 1
	echo "$out"
	for c in cpu crypto; do
		grep -qx "$c: policy fair, rt_limit $(cat $S/$c/rt_limit)%, units $(cat $S/$c/units)" \
			<<<"$out" || rc=1
	done
	grep -qx '  partitions: none' <<<"$out" && grep -qx '    / *[0-9]* ns' <<<"$out" &&
		json_check "all(any(x['class'] == c and x['policy'] == 'fair' and \
x['rt_limit'] == int(open('$S/' + c + '/rt_limit').read()) and \
x['units'] == int(open('$S/' + c + '/units').read()) and x['partitions'] == [] and \
'/' in x['usage'] for x in v) for c in ['cpu', 'crypto'])" "$V" -j sched || rc=1
	return $rc
}

sched_policy() {	# fcfs, rr and fifo and back to fair: sysfs and sched agree
	local p rc=0
	for p in fcfs fair rr fair fifo fair; do
		"$V" sched policy cpu $p || { rc=1; break; }
		echo "cpu/policy: $(cat $S/cpu/policy)"
		[ "$(cat $S/cpu/policy)" = $p ] &&
			"$V" sched | grep -q "^cpu: policy $p, " &&
			json_check "[x['policy'] for x in v if x['class'] == 'cpu'] == ['$p']" \
				"$V" -j sched &&
			# work still runs on the class
			"$V" run cpu crc32c --in /etc/os-release --out -:4 --u32 0 || { rc=1; break; }
	done
	"$V" sched | grep -q '^crypto: policy fair, ' || rc=1
	sched_restore
	return $rc
}

sched_bad_input() {	# refusals: status 1, what is wrong, nothing changed
	local u rc=0
	u=$(cat $S/cpu/units)
	fails_with "vaalctl: cannot set the policy of cpu to 'frob': Invalid argument (unknown policy: fair, fcfs, rr or fifo)" \
		"$V" sched policy cpu frob || rc=1
	fails_with "vaalctl: cannot set the rt_limit of cpu to '101': Invalid argument (PERCENT is a whole number from 0 to 100" \
		"$V" sched rt-limit cpu 101 || rc=1
	fails_with "vaalctl: cannot set the partitions of cpu: Numerical result out of range (units past the class's $u: 0 to $((u - 1)))" \
		"$V" sched partitions cpu "0-$u -" || rc=1
	fails_with "vaalctl: cannot set the partitions of cpu: No such file or directory (no cgroup '/vcore-nosuch')" \
		"$V" sched partitions cpu "0 /vcore-nosuch" || rc=1
	fails_with "vaalctl: cannot set the partitions of cpu: Device or resource busy (the units of an exclusive partition are in another partition too)" \
		"$V" sched partitions cpu "0 / exclusive" "0 -" || rc=1
	fails_with "vaalctl: cannot set the partitions of cpu: Invalid argument (a partition is 'UNITS CGROUP [exclusive]'" \
		"$V" sched partitions cpu "zero -" || rc=1
	fails_with "vaalctl: no class 'nosuch' in $S (classes: " \
		"$V" sched rt-limit nosuch 10 || rc=1
	[ "$(cat $S/cpu/policy) $(cat $S/cpu/rt_limit) $(cat $S/cpu/partitions)" = "fair $RT0_CPU " ] || rc=1
	sched_restore
	return $rc
}

sched_partitions() {	# partitions set, shown (text, JSON) and cleared
	local rc=0
	"$V" sched partitions crypto "0-1 / exclusive" "2-3 -" &&
		cat $S/crypto/partitions &&
		"$V" sched | grep -qx '    0: units 0-1, /, exclusive' &&
		"$V" sched | grep -qx '    1: units 2-3, pinned contexts only' &&
		json_check "[x['partitions'] for x in v if x['class'] == 'crypto'] == \
[[{'units': '0-1', 'units_mask': 3, 'cgroup': '/', 'exclusive': True}, \
{'units': '2-3', 'units_mask': 12, 'cgroup': '-', 'exclusive': False}]]" "$V" -j sched &&
		"$V" sched partitions crypto none &&
		[ -z "$(cat $S/crypto/partitions)" ] || rc=1
	sched_restore
	return $rc
}

sched_reserve() {	# another process's context: admitted, refused, shown, cleared
	local rc=1
	helper || return 1
	"$V" sched reserve "$HELPER" 9 cpu 2ms 10ms | tee "$T/out" &&
		grep -qx 'reservation:  2ms per 10ms' "$T/out" &&
		fails_with "vaalctl: cannot reserve 10ms per 5ms on cpu for fd 9 of process $HELPER: Invalid argument (the budget is zero or above the period)" \
			"$V" sched reserve "$HELPER" 9 cpu 10ms 5ms &&
		fails_with "Invalid argument (the period is out of bounds (100 us to 10 s))" \
			"$V" sched reserve "$HELPER" 9 cpu 1ms 20s &&
		"$V" sched get "$HELPER" 9 cpu | tee "$T/out" &&
		grep -qx 'reservation:  2ms per 10ms' "$T/out" &&
		grep -qx 'units:        any' "$T/out" &&
		json_check "v['budget_ns'] == 2000000 and v['period_ns'] == 10000000 and \
v['units_mask'] == 0 and v['limit_ppm'] == $RT0_CPU * 10000 and v['admitted_ppm'] > 0" \
			"$V" -j sched get "$HELPER" 9 cpu &&
		"$V" sched | grep -Eq "^ +[0-9]+ +$HELPER +/ +pool +any +2000000 +10000000 " &&
		json_check "[(c['budget_ns'], c['period_ns'], c['partition']) for x in v \
for c in x['contexts'] if c['pid'] == $HELPER] == [(2000000, 10000000, -1)]" "$V" -j sched &&
		"$V" sched reserve "$HELPER" 9 cpu 0 0 &&
		"$V" sched get "$HELPER" 9 cpu | grep -qx 'reservation:  none' && rc=0
	helpers_stop
	sched_restore
	return $rc
}

sched_reserve_mdev() {	# a VAAL mdev's reservation: set, shown, refused, cleared
	local types uuid dev rc=1
	types=(/sys/class/mdev_bus/vaal/mdev_supported_types/*)
	uuid=$(cat /proc/sys/kernel/random/uuid)
	dev=/sys/bus/mdev/devices/$uuid
	echo "$uuid" >"${types[0]}/create" || return 1
	"$V" sched reserve mdev "$uuid" cpu 2ms 10ms | tee "$T/out" &&
		grep -qx 'reservation:  2ms per 10ms on cpu' "$T/out" &&
		grep -qx 'cpu 2000000 10000000' "$dev/vaal/reserve" &&
		json_check "v['mdev'] == '$uuid' and v['class'] == 'cpu' and \
v['budget_ns'] == 2000000 and v['period_ns'] == 10000000" \
			"$V" -j sched get mdev "$uuid" &&
		fails_with "vaalctl: cannot reserve 'cpu 10000000 5000000' on mdev $uuid: Invalid argument" \
			"$V" sched reserve mdev "$uuid" cpu 10ms 5ms &&
		grep -qx 'cpu 2000000 10000000' "$dev/vaal/reserve" &&
		"$V" sched reserve mdev "$uuid" cpu 0 0 &&
		"$V" sched get mdev "$uuid" | grep -qx 'reservation:  none' &&
		grep -qx none "$dev/vaal/reserve" &&
		json_check "v['class'] is None" "$V" -j sched get mdev "$uuid" &&
		fails_with "vaalctl: no VAAL mdev 00000000-0000-0000-0000-000000000000" \
			"$V" sched get mdev 00000000-0000-0000-0000-000000000000 &&
		"$V" sched get mdev not-a-uuid; [ $? = 2 ] && rc=0
	echo 1 >"$dev/remove" || rc=1
	return $rc
}

sched_overload() {	# the real-time limit admits one 2ms/10ms, not two
	local u limit a b rc=1
	u=$(cat $S/cpu/units)
	# One reservation of 20% of a unit fits in limit% of u units, two do not.
	limit=$(((20 + u - 1) / u))
	echo "cpu: $u units, rt_limit $limit%"
	[ $((limit * u)) -lt 40 ] || { echo "too many units for this case"; return 1; }
	helper && a=$HELPER && helper && b=$HELPER || { helpers_stop; return 1; }
	"$V" sched rt-limit cpu $limit &&
		"$V" sched reserve "$a" 9 cpu 2ms 10ms &&
		fails_with "vaalctl: cannot reserve 2ms per 10ms on cpu for fd 9 of process $b: Device or resource busy (the class's reservations would exceed its real-time limit: " \
			"$V" sched reserve "$b" 9 cpu 2ms 10ms &&
		"$V" sched get "$b" 9 cpu | grep -qx 'reservation:  none' &&
		kill "$a" && { wait "$a" 2>/dev/null; true; } &&
		# The first context gone, its share is free again.
		"$V" sched reserve "$b" 9 cpu 2ms 10ms && rc=0
	helpers_stop
	sched_restore
	return $rc
}

sched_pin() {	# pinning needs a partition of exactly those units
	local u rc=1
	u=$(cat $S/cpu/units)
	helper || return 1
	fails_with "vaalctl: cannot pin to units 0 on cpu for fd 9 of process $HELPER: Invalid argument (the class has no such units, or no partition of exactly those units)" \
		"$V" sched pin "$HELPER" 9 cpu 0 &&
		"$V" sched partitions cpu "0 -" &&
		"$V" sched pin "$HELPER" 9 cpu 0 | grep -qx 'units:        0' &&
		json_check "[(c['partition'], c['units_mask']) for x in v for c in x['contexts'] \
if c['pid'] == $HELPER] == [(0, 1)]" "$V" -j sched &&
		fails_with "Invalid argument (the class has no such units" \
			"$V" sched pin "$HELPER" 9 cpu "$u" &&
		"$V" sched pin "$HELPER" 9 cpu any | grep -qx 'units:        any' && rc=0
	helpers_stop
	sched_restore
	return $rc
}

sched_ctx_errors() {	# no process, no descriptor, not a context, no class, FIFO
	local rc=1
	helper || return 1
	fails_with "vaalctl: cannot open process 999999: No such process" \
		"$V" sched get 999999 9 cpu &&
		fails_with "vaalctl: cannot take fd 99 of process $HELPER: Bad file descriptor (it has no such descriptor)" \
			"$V" sched get "$HELPER" 99 cpu &&
		fails_with "vaalctl: fd 0 of process $HELPER is not a context of /dev/vaal" \
			"$V" sched get "$HELPER" 0 cpu &&
		fails_with "vaalctl: cannot get the attributes on nosuch for fd 9 of process $HELPER: No such file or directory (no controller has made the class known)" \
			"$V" sched get "$HELPER" 9 nosuch &&
		"$V" sched policy cpu fifo &&
		fails_with "Operation not supported (the class's scheduling policy takes no attributes)" \
			"$V" sched reserve "$HELPER" 9 cpu 2ms 10ms && rc=0
	helpers_stop
	sched_restore
	return $rc
}

sched_run_reserve() {	# run --reserve: the kernel runs on a reservation
	local got rc=1
	printf 123456789 >"$T/check"
	got=$("$V" -v run cpu crc32c --reserve cpu:2ms/10ms --in "$T/check" --out -:4 \
		--u32 0 2>"$T/err") && cat "$T/err" && echo "got $got" &&
		[ "$got" = 839206e3 ] && grep -qx 'vaalctl: reserved 2ms per 10ms on cpu' "$T/err" &&
		fails_with "vaalctl: crc32c on cpu: cannot reserve 10ms per 5ms on cpu: Invalid argument (the budget is zero or above the period)" \
			"$V" run cpu crc32c --reserve 10ms/5ms --in "$T/check" --out -:4 --u32 0 &&
		rc=0
	sched_restore
	return $rc
}

sched_not_loaded() {	# without vcore_sched: a clear message, status 1
	local rc=1 ko=${VCORE_SUITE:?}/kernel/vcore_sched/vcore_sched.ko
	[ -f "$ko" ] || { echo "no $ko"; return 1; }
	rmmod vcore_sched || return 1
	fails_with "vaalctl: vcore_sched is not loaded (no $S)" "$V" sched &&
		fails_with "vaalctl: vcore_sched is not loaded (no $S)" \
			"$V" sched policy cpu fair && rc=0
	insmod "$ko" || rc=1
	# The classes come back, in their default settings.
	"$V" sched | grep -q '^cpu: policy fair, ' || rc=1
	sched_restore
	return $rc
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
echo "1..38"
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
check vaalctl_sched_list sched_list
check vaalctl_sched_policy sched_policy
check vaalctl_sched_bad_input sched_bad_input
check vaalctl_sched_partitions sched_partitions
check vaalctl_sched_reserve sched_reserve
check vaalctl_sched_reserve_mdev sched_reserve_mdev
check vaalctl_sched_overload sched_overload
check vaalctl_sched_pin sched_pin
check vaalctl_sched_ctx_errors sched_ctx_errors
check vaalctl_sched_run_reserve sched_run_reserve
check vaalctl_sched_not_loaded sched_not_loaded
check svnicctl_info_text bash -c "$B/tools/svnicctl info | grep -x 'abi: *$svnic_abi'"
check svnicctl_info_json json_field nps 0 "$B/tools/svnicctl" -j info
check svnicctl_bad_command usage_error "$B/tools/svnicctl"
[ $failed -eq 0 ]
