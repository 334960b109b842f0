#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vaal_opencld_test.sh - the OpenCL controller, tools/vaal_opencld, as a
# daemon: its --help (every option it parses, every option its systemd
# unit passes), clear errors (usage, no device, no OpenCL device, too many
# units, a name taken, no CAP_SYS_ADMIN), its units in sysfs (devices x
# queues x depth), readiness told to systemd (Type=notify), its unit file
# as systemd reads it, and a clean exit on SIGTERM and SIGINT.  Launches
# through it: selftests/vaal_core/vaal_opencl_test and _dag_test.  Prints
# TAP; $VCORE_BUILD is the build directory holding the tools.
set -u
B=${VCORE_BUILD:?VCORE_BUILD not set}
D=$B/tools/vaal_opencld
TOP=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$TOP/tools/vaal_opencld/vaal_opencld.service
SYSFS=/sys/class/misc/vaal/controllers
T=$(mktemp -d)
CACHE=$T/cache
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

# start NAME ARGS...: vaal_opencld in the background, its output in
# $T/NAME.out and $T/NAME.err; sets $pid and $id once it is ready.
start() {
	local name=$1 i
	shift
	"$D" --name "$name" --cache-dir "$CACHE" "$@" >"$T/$name.out" \
		2>"$T/$name.err" &
	pid=$!
	pids+=("$pid")
	id=
	for ((i = 0; i < 1200; i++)); do
		id=$(sed -n "s/^vaal_opencld: $name: ready, id \([0-9]*\), .*/\1/p" \
			"$T/$name.out")
		[ -n "$id" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$T/$name.out" "$T/$name.err"
	return 1
}

# stop PID SIGNAL: the daemon exits with status 0 within 20 s.
stop() {
	local i rc
	kill -"$2" "$1" || return 1
	for ((i = 0; i < 200; i++)); do
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

# Every long option the daemon parses is in its --help, and every option
# its unit file passes is one of them.
help_complete() {
	local help opts o rc=0
	help=$("$D" --help) || return 1
	opts=$(grep -o '{ "[a-z-]*", [a-z]*_argument' "$TOP"/tools/vaal_opencld/main.c |
		sed 's/{ "\([a-z-]*\)", .*/\1/')
	[ -n "$opts" ] || return 1
	for o in $opts; do
		grep -q -- "--$o\b" <<<"$help" || { echo "--$o not in --help"; rc=1; }
	done
	for o in $(sed -n 's/^ExecStart=[^ ]* //p' "$UNIT" | grep -o -- '--[a-z-]*'); do
		grep -q -- "$o\b" <<<"$help" || { echo "$o (unit) not in --help"; rc=1; }
	done
	return $rc
}

# The unit file, its daemon the one built here, as systemd-analyze reads it:
# no error, no warning.
unit_verifies() {
	local out rc
	mkdir -p "$T/unit"
	sed "s|/usr/local/sbin/vaal_opencld|$D|" "$UNIT" >"$T/unit/vaal_opencld.service"
	out=$(systemd-analyze verify "$T/unit/vaal_opencld.service" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] && [ -z "$out" ]
}

# Readiness: READY=1 on the datagram socket in NOTIFY_SOCKET.
notifies_ready() {
	local sock=$T/notify.sock got
	python3 - "$sock" >"$T/notify.got" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(120)
print(s.recv(256).decode())
EOF
	local py=$!
	for ((i = 0; i < 50; i++)); do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	NOTIFY_SOCKET=$sock start ocl_notify || { kill "$py"; return 1; }
	wait "$py"
	got=$(cat "$T/notify.got")
	echo "got '$got'"
	stop "$pid" TERM >/dev/null
	[ "$got" = "READY=1" ]
}

# vaal_core says it serves controllers that load code (VAAL_FEAT_CODE_LOADING).
code_loading() {
	local info features
	info=$("$B/tools/vaalctl" -j info) || return 1
	features=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["features"])' \
		<<<"$info") || return 1
	echo "features $features"
	[ $((features & 128)) != 0 ]
}

echo "TAP version 13"
echo "1..17"
check vaal_core_code_loading code_loading
check vaal_opencld_help_complete help_complete
check vaal_opencld_bad_option fails_with 2 "unrecognized option '--frobnicate'" \
	"$D" --frobnicate
check vaal_opencld_bad_queues fails_with 2 \
	"--queues wants a number from 1 to 256, not '0'" "$D" --queues 0
check vaal_opencld_bad_type fails_with 2 \
	"--type wants all, cpu, gpu, accelerator or default, not 'tpu'" \
	"$D" --type tpu
check vaal_opencld_missing_device fails_with 1 \
	"cannot open /nonexistent: No such file or directory" \
	"$D" -d /nonexistent
check vaal_opencld_no_such_platform fails_with 1 \
	"no OpenCL device of the type asked on a platform named like NoSuchCL" \
	"$D" --platform NoSuchCL
check vaal_opencld_too_many_units fails_with 1 \
	"x 200 queues x depth 2 is 400 units, more than 256" \
	"$D" --queues 200 --depth 2

check vaal_opencld_ready start ocl_sh --queues 3 --depth 2 -v
sh_pid=$pid
check vaal_opencld_listed listed ocl_sh opencl 6
check vaal_opencld_name_taken fails_with 1 \
	"register controller ocl_sh: File exists (a controller of that name exists)" \
	"$D" --name ocl_sh --cache-dir "$CACHE"
check vaal_opencld_needs_cap_sys_admin fails_with 1 \
	"register controller ocl_np: Operation not permitted (needs CAP_SYS_ADMIN)" \
	setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin -- \
	"$D" --name ocl_np --cache-dir "$CACHE"
check vaal_opencld_sigterm stop "$sh_pid" TERM
check vaal_opencld_unlisted gone ocl_sh

start ocl_sh2 >/dev/null 2>&1
check vaal_opencld_sigint stop_gone "$pid" INT ocl_sh2
check vaal_opencld_notifies_systemd notifies_ready
check vaal_opencld_unit_file_verifies unit_verifies
[ $failed -eq 0 ]
