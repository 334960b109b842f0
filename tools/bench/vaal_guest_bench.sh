#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vaal_guest_bench.sh - what a guest's path to an accelerator costs over a
# host process's, in the test VM: a tiny guest on a VAAL mediated device
# (selftests/lib/vaal_guest.sh) and a host process each time a sha256 of
# 64 MiB through the crypto controller with vaal_sha_bench, by their own
# clocks, one after the other in the same run; the buffer is in the
# guest's memory, which the host uses in place.  Prints
#
#	bench vaal.vm.guest_sha256_64m_vs_host <ratio> ratio
#
# (the guest's median over the host's) and, as comments, both medians.
# Both digests must be equal.  Exit status 0, 1 when a step failed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=${VCORE_SUITE:-$TOP/build/stock}
BUILD=${VCORE_BUILD:-$TOP/build}
MIB=64
T=$(mktemp -d)
GUEST_APPEND="vcore.sha=$MIB vcore.linger=60"
GUEST_CG=
OFF_UNITS=

say() {
	echo "$*"
}

# shellcheck source=selftests/lib/vaal_guest.sh
. "$TOP/selftests/lib/vaal_guest.sh"

cleanup() {
	if [ -n "$QEMU_PID" ]; then
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	[ -d "$MDEV" ] && echo 1 >"$MDEV/remove" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

die() {
	echo "vaal_guest_bench: $*" >&2
	exit 1
}

why=$(guest_missing)
[ -z "$why" ] || die "$why"
[ -x "$BUILD/tools/vaal_sha_bench" ] || die "no $BUILD/tools/vaal_sha_bench"
if ! { parent_up && mdev_up && initramfs; } >"$T/log" 2>&1; then
	cat "$T/log" >&2
	die "no mdev or no initramfs"
fi

before=$("$BUILD/tools/vaal_sha_bench" -m $MIB) || die "on the host: $before"
guest_boots >"$T/log" 2>&1 || { cat "$T/log" >&2; die "the guest did not boot"; }
if ! { wait_console '^GUEST-BENCH-(OK|FAIL)' 400 &&
	guest_said '^GUEST-BENCH-OK'; } >"$T/log" 2>&1; then
	cat "$T/log" >&2
	console | tail -n 40 >&2
	die "no figure from the guest"
fi
guest=$(console | sed -n 's/^GUEST-BENCH //p')
# The peer: a host process beside the guest, which idles meanwhile.
host=$("$BUILD/tools/vaal_sha_bench" -m $MIB) || die "on the host: $host"
guest_said '^GUEST-DONE' >/dev/null && die "the guest stopped before the host's side ended"
say "# host before the guest booted: $(tr '\n' ' ' <<<"$before")"
say "# host beside the idle guest: $(tr '\n' ' ' <<<"$host")"
say "# guest: $(tr '\n' ' ' <<<"$guest")"
hd=$(awk '$1 == "sha256" { print $2 }' <<<"$host")
gd=$(awk '$1 == "sha256" { print $2 }' <<<"$guest")
if [ -z "$hd" ] || [ "$hd" != "$gd" ]; then
	die "digests differ: host '$hd', guest '$gd'"
fi
awk -v h="$(awk '$1 == "ns" { print $2 }' <<<"$host")" \
    -v g="$(awk '$1 == "ns" { print $2 }' <<<"$guest")" -v m=$MIB 'BEGIN {
	if (h <= 0 || g <= 0) exit 1
	printf "bench vaal.vm.guest_sha256_%dm_vs_host %.2f ratio\n", m, g / h
}' || die "no medians: host '$host', guest '$guest'"
