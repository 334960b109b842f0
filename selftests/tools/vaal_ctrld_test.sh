#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vaal_ctrld_test.sh - the reference user-space controller, tools/vaal_ctrld,
# as a daemon: started in the background, listed in sysfs, serving a client
# (vaal_uctrl_test --client) with the built-in kernels, clear errors
# (usage, no device, a name taken, no CAP_SYS_ADMIN), and a clean exit on
# SIGTERM and SIGINT.  Prints TAP; $VCORE_BUILD is the build directory
# holding the tools and selftests.
set -u
B=${VCORE_BUILD:?VCORE_BUILD not set}
CTRLD=$B/tools/vaal_ctrld
CLIENT=$B/selftests/vaal_core/vaal_uctrl_test
SYSFS=/sys/class/misc/vaal/controllers
T=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=selftests/lib/ctrld.sh
. "$(dirname "$0")/../lib/ctrld.sh"

# start NAME ARGS...: vaal_ctrld in the background, its output in
# $T/NAME.out and $T/NAME.err; sets $pid and $id once it is ready.
start() {
	local name=$1 i
	shift
	"$CTRLD" --name "$name" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	pids+=("$pid")
	id=
	for ((i = 0; i < 100; i++)); do
		id=$(sed -n "s/^vaal_ctrld: $name: ready, id \([0-9]*\), .*/\1/p" \
			"$T/$name.out")
		[ -n "$id" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$T/$name.out" "$T/$name.err"
	return 1
}

# stop PID SIGNAL: the daemon exits with status 0 within 10 s.
stop() {
	local i rc
	kill -"$2" "$1" || return 1
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	wait "$1"
	rc=$?
	echo "exit status $rc"
	[ $rc -eq 0 ]
}

# gone NAME: the controller is no longer listed.
gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e "$SYSFS/$1" ] || return 0
		sleep 0.1
	done
	echo "$SYSFS/$1 still there"
	return 1
}

stop_gone() {	# stop_gone PID SIGNAL NAME
	stop "$1" "$2" && gone "$3"
}

listed() {	# listed NAME CLASS UNITS
	grep -x "$2" "$SYSFS/$1/class" && grep -x "$3" "$SYSFS/$1/units"
}

features=$("$B/tools/vaalctl" -j info 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["features"])' 2>/dev/null)
echo "TAP version 13"
if [ -z "$features" ] || [ $((features & 32)) = 0 ]; then
	echo "1..0 # SKIP vaal_core has no user-space controllers"
	exit 0
fi
echo "1..13"
check vaal_ctrld_help bash -c "'$CTRLD' --help | grep -q -- '--fail-after N'"
check vaal_ctrld_bad_option fails_with 2 "unrecognized option '--frobnicate'" \
	"$CTRLD" --frobnicate
check vaal_ctrld_bad_threads fails_with 2 \
	"--threads wants a number from 1 to 256, not '0'" "$CTRLD" --threads 0
check vaal_ctrld_missing_device fails_with 1 \
	"cannot open /nonexistent: No such file or directory" \
	"$CTRLD" -d /nonexistent

check vaal_ctrld_ready start ucpu_sh --class ucpu_sh --threads 3 -v
sh_pid=$pid sh_id=$id
check vaal_ctrld_listed listed ucpu_sh ucpu_sh 3
check vaal_ctrld_serves_client "$CLIENT" --client ucpu_sh "$sh_id"
check vaal_ctrld_verbose grep -q '^vaal_ctrld: ucpu_sh: unit [0-2]: matmul_i32: done$' \
	"$T/ucpu_sh.err"
check vaal_ctrld_name_taken fails_with 1 \
	"register controller ucpu_sh: File exists (a controller of that name exists)" \
	"$CTRLD" --name ucpu_sh
check vaal_ctrld_needs_cap_sys_admin fails_with 1 \
	"register controller ucpu_np: Operation not permitted (needs CAP_SYS_ADMIN)" \
	setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin -- \
	"$CTRLD" --name ucpu_np
check vaal_ctrld_sigterm stop "$sh_pid" TERM
check vaal_ctrld_unlisted gone ucpu_sh

start ucpu_sh2 --class ucpu_sh >/dev/null 2>&1
check vaal_ctrld_sigint stop_gone "$pid" INT ucpu_sh2
[ $failed -eq 0 ]
