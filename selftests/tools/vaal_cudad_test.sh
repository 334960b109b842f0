#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vaal_cudad_test.sh - the CUDA controller, tools/vaal_cudad, where there is
# no GPU: it refuses to start, exit status 69 and one line naming the
# cause, before it registers anything - without a CUDA driver library
# (--libcuda at a path where none is, so that the case does not depend on
# the host's libraries), and with the toolkit's stub library in front as
# libcuda.so.1 (LD_LIBRARY_PATH, searched before ld.so's cache); --help
# and bad options; and a launch of class cuda with no controller fails as
# any class nobody serves does (-ENODEV), the daemon's absence harmless.
# Launches on a GPU: scripts/gpu-check.sh.  Prints TAP; $VCORE_BUILD is
# the build directory holding the tools.  A build without vaal_cudad (no
# CUDA headers) skips it whole.
set -u
B=${VCORE_BUILD:?VCORE_BUILD not set}
D=$B/tools/vaal_cudad
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
STUB=$CUDA_HOME/lib64/stubs/libcuda.so
SYSFS=/sys/class/misc/vaal/controllers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=selftests/lib/ctrld.sh
. "$(dirname "$0")/../lib/ctrld.sh"

if [ ! -x "$D" ]; then
	echo "1..0 # SKIP no CUDA headers (CUDA_HOME)"
	exit 0
fi

# no_cuda_controller: no controller of class cuda is listed.
no_cuda_controller() {
	local c
	for c in "$SYSFS"/*; do
		[ -e "$c/class" ] || continue
		if grep -qx cuda "$c/class"; then
			echo "${c##*/} serves class cuda"
			return 1
		fi
	done
}

# refuses PATTERN VAR=VALUE [ARG...]: vaal_cudad ARG... with VAR=VALUE in
# its environment exits 69 saying PATTERN, and leaves no controller.
refuses() {
	local pattern=$1 var=$2
	shift 2
	fails_with 69 "$pattern" env "$var" "$D" --name cuda_t "$@" &&
		no_cuda_controller && [ ! -e "$SYSFS/cuda_t" ]
}

stub_refused() {
	if [ ! -e "$STUB" ]; then
		echo "no $STUB: nothing to put in front"
		return 1
	fi
	mkdir -p "$T/stub"
	ln -sf "$STUB" "$T/stub/libcuda.so.1"
	refuses "vaal_cudad: cuInit: CUDA_ERROR_STUB_LIBRARY (34): this is the toolkit's stub library, not a driver" \
		LD_LIBRARY_PATH="$T/stub"
}

# The class nobody serves: vaalctl's launch of class cuda fails -ENODEV.
no_controller_launch() {
	local out rc
	no_cuda_controller || return 1
	out=$("$B/tools/vaalctl" run cuda vadd --in /etc/os-release --out -:4 2>&1)
	rc=$?
	echo "rc $rc: $out"
	[ $rc -eq 1 ] && grep -qF \
		"vaalctl: vadd on cuda: No such device (no controller serves class cuda)" <<<"$out"
}

help_ok() {
	local help
	help=$("$D" --help) || return 1
	grep -q -- '--libcuda PATH' <<<"$help" && grep -q 'status 69' <<<"$help"
}

echo "TAP version 13"
echo "1..7"
check vaal_cudad_no_libcuda refuses \
	"vaal_cudad: no CUDA driver: cannot load $T/none/libcuda.so.1: " \
	LD_LIBRARY_PATH="$T/none" --libcuda "$T/none/libcuda.so.1"
check vaal_cudad_stub_library stub_refused
check vaal_cudad_help help_ok
check vaal_cudad_bad_option fails_with 2 "unrecognized option '--frobnicate'" \
	"$D" --frobnicate
check vaal_cudad_bad_units fails_with 2 \
	"--units wants a number from 1 to 256, not '0'" "$D" --units 0
check vaal_cudad_extra_argument fails_with 2 "unexpected argument 'x'" "$D" x
check vaal_cudad_absent_launch_enodev no_controller_launch
[ $failed -eq 0 ]
