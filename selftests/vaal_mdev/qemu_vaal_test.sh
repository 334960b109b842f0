#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu_vaal_test.sh - the VAAL in a real guest, end to end: a VAAL mediated
# device (vaal_mdev.ko) given to a tiny guest (the running kernel, busybox
# and guest/init) by stock QEMU with "-device vfio-pci,sysfsdev=...".  The
# guest's own driver, vaal_pci.ko, gives it a /dev/vaal; the repository's
# unmodified tools run there on the host's root (shared read only over 9p,
# as the test VM has it): vaalctl info, vaalctl run crypto sha256 against
# sha256sum, vaal_dag_test's randomized streams against their sequential
# reference, and vaal_ring_test (refusals, overflow, poll, fdinfo).  The
# guest's verdicts come back on its serial console; after QEMU exits, the
# mdev's sysfs says it holds no context and no pinned page, and it can be
# removed.  Meanwhile the guest, with QEMU in a cgroup of cpu.weight 100,
# and a host process in one of 300 saturate the CPU sidecore (class cpu)
# with the same launches: each counts the launches it completes
# (tools/vaal_load), and the guest's count over a window is a quarter of
# both within 3 points.  The guest (selftests/lib/vaal_guest.sh) is TCG
# inside the VM's TCG: small, and still slow (100 to 230 s to boot, 150 to
# 250 s to run).
# Prints TAP; $VCORE_SUITE holds the modules, $VCORE_BUILD the tools and
# the selftests.
# timeout: 900
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
VAALCTL=$BUILD/tools/vaalctl
DAG=$BUILD/selftests/vaal_core/vaal_dag_test
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
n=0 failed=0
# vaal_dag_test's tests the guest runs, within the time a test has (its
# two WAR-stall tests read the host's controller statistics in sysfs).
DAG_TESTS=random_streams_match_sequential_reference,contexts_cannot_reach_each_other
DAG_TESTS+=,close_and_unmap_with_work_in_flight
# More selftests the guest runs (in $BUILD/selftests/), each as C/P:T1:T2
# (P but its tests T1 and T2): vaal_ring_test but its tests that set the
# host's module parameters or use a polling thread (the host's, whose
# timing under TCG in TCG is no test of the guest); vaal_buf_test but the
# memfd imports, which vaal_pci does not offer (-EOPNOTSUPP: a guest's
# buffers are made by the device), and the memory cgroup's charge (the
# host's cgroups); vaal_kernel_test (the cases that set vaal_core's
# parameters skip themselves in a guest); and those of $VCORE_GUEST_TESTS
# (a space-separated list).
GUEST_TESTS=(vaal_core/vaal_ring_test:inflight_bound:sqpoll_submits_without_system_calls:sqpoll_thread_of_the_owner
	vaal_core/vaal_buf_test:import_memfd:import_rejects_bad_files:charged_to_creator_memcg
	vaal_core/vaal_kernel_test)
read -ra more <<<"${VCORE_GUEST_TESTS:-}"
GUEST_TESTS+=("${more[@]}")
# The share: the cgroups of QEMU and of the host's loader, their weights,
# how long the guest loads, the ramp and the window of the measurement.
CG=/sys/fs/cgroup/vaal_guest_test
W_GUEST=100 W_HOST=300
LOAD_SECS=30 RAMP=3 WINDOW=12
# Both loaders keep 48 launches of a LOAD_DIM^2 matmul in flight: at 128,
# about 0.4 s of the sidecore's work under TCG, so that neither queue runs
# dry while its loader waits for a vCPU that the nested guest's TCG thread
# holds (at 64 the host's did, and the guest got 38% of the sidecore).
LOAD_DIM=128
HOST_LOAD_PID=
BIG_BYTES=$(((2 << 20) + 8192))	# more pages than one page list holds (512)
END=870			# s, when the guest must be done: run_tests.sh stops us at 900
# What guest/init is to do; QEMU runs in the cgroup of weight W_GUEST.
GUEST_APPEND="vcore.files=/etc/os-release,$T/big.bin vcore.shim=$T/shim.so"
GUEST_APPEND+=" vcore.dag=$DAG_TESTS vcore.load=$LOAD_SECS vcore.load_dim=$LOAD_DIM"
GUEST_APPEND+=" vcore.tests=$(IFS=,; echo "${GUEST_TESTS[*]}")"
GUEST_CG=$CG/guest
OFF_UNITS=

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"
# shellcheck source=selftests/lib/vaal_guest.sh
. "$DIR/../lib/vaal_guest.sh"

CASES=(
	"vaal_mdev: the parent vaal in /sys/class/mdev_bus"
	"an mdev created from the parent's supported types"
	"guest initramfs: busybox, guest/init, the 9p modules"
	"QEMU boots the guest on -device vfio-pci,sysfsdev= the mdev"
	"the guest sees 1af4:10f0 on its PCI bus"
	"the guest loads vaal_pci: /dev/vaal"
	"vaalctl info in the guest: the ABI, no user-space controllers"
	"vaalctl run crypto sha256 of a small file equals sha256sum"
	"vaalctl run crypto sha256 of 2 MiB + 8 KiB (chained page lists) equals sha256sum"
	"vaal_dag_test in the guest: streams equal their sequential reference"
	"a guest of cpu.weight 100 beside a host process of 300: 25:75 of the sidecore within 3 points, by the work each completes"
	"the loaders of the guest and of the host completed every launch"
	"the guest unloads vaal_pci (a device reset) and stops"
	"no warning from the guest's kernel"
	"QEMU exits"
	"the mdev holds no context and no pinned page"
	"the mdev is removed"
)

for t in "${GUEST_TESTS[@]}"; do
	t=${t%%:*}
	CASES+=("${t##*/} in the guest")
done

echo "TAP version 13"
echo "1..${#CASES[@]}"

# skip_all REASON: every case skipped, for want of something this host lacks.
skip_all() {
	local c
	for c in "${CASES[@]}"; do
		n=$((n + 1))
		echo "ok $n $c # SKIP $1"
	done
	rm -rf "$T"
	exit 0
}

why=$(guest_missing)
[ -z "$why" ] || skip_all "$why"
command -v cc >/dev/null || skip_all "no cc for the DAG test's shim"
{ [ -x "$VAALCTL" ] && [ -x "$DAG" ] && [ -x "$BUILD/tools/vaal_load" ]; } ||
	skip_all "no $VAALCTL, $DAG or vaal_load (make tools selftests)"

cleanup() {
	[ -n "$HOST_LOAD_PID" ] && kill -KILL "$HOST_LOAD_PID" 2>/dev/null
	if [ -n "$QEMU_PID" ]; then
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	[ -d "$MDEV" ] && echo 1 >"$MDEV/remove" 2>/dev/null
	rmdir "$CG/guest" "$CG/host" "$CG" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# QEMU's cgroup and the host loader's, of the weights of the share, with
# the cpu controller; and the CPUs off vaal_cpu's units (by default the
# last CPU), where both run, as a host keeps its tasks off a sidecore.
share_cgroups() {
	local units
	echo +cpu >/sys/fs/cgroup/cgroup.subtree_control &&
	mkdir -p "$CG/guest" "$CG/host" &&
	echo +cpu >"$CG/cgroup.subtree_control" &&
	echo $W_GUEST >"$CG/guest/cpu.weight" &&
	echo $W_HOST >"$CG/host/cpu.weight" || return 1
	units=$(cat /sys/module/vaal_cpu/parameters/cpus 2>/dev/null)
	case $units in ""|"(null)") units=$(($(nproc) - 1)) ;; esac
	OFF_UNITS=$(python3 -c 'import sys
units=set()
for r in sys.argv[1].split(","):
    a, _, b = r.partition("-")
    units.update(range(int(a), int(b or a) + 1))
print(",".join(str(c) for c in range(int(sys.argv[2])) if c not in units))' \
		"$units" "$(nproc)") || return 1
	echo "vaal_cpu units on CPUs $units; QEMU and the host's loader on ${OFF_UNITS:-any}"
}

# What the guest reads: a file of more pages than a page list holds, and
# the preload that makes vaal_dag_test's reload of the CPU controller a
# no-op (the guest's controllers are the host's: it has no vaal_cpu.ko).
guest_files() {
	head -c "$BIG_BYTES" /dev/urandom >"$T/big.bin" || return 1
	cat >"$T/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <sys/syscall.h>

/* Loading and unloading kernel modules succeed, doing nothing. */
long syscall(long nr, ...)
{
	static long (*next)(long, ...);
	long a[6];
	va_list ap;
	int i;

	if (nr == SYS_finit_module || nr == SYS_init_module ||
	    nr == SYS_delete_module)
		return 0;
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!next)
		next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return next(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
EOF
	cc -O2 -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl
}

# The guest's last line, so that every verdict is in.
guest_done() {
	if wait_console '^GUEST-DONE' $((END - SECONDS)); then
		say "# guest: init's first line to its last $((SECONDS - QEMU_START - BOOTED))s"
	else
		console | tail -n 60
	fi
}

guest_pci() {
	console | grep '^GUEST-PCI'
	guest_said '^GUEST-PCI 1af4:10f0$'
}

# vaalctl info worked, and does not offer user-space controllers.
guest_info() {
	console | grep '^GUEST-INFO'
	guest_said '^GUEST-INFO-OK' &&
	guest_said '^GUEST-INFO features: .* rings' &&
	! console | grep -q '^GUEST-INFO features:.*user-controllers'
}

# guest_test NAME: the guest ran selftest NAME and it passed.
guest_test() {
	console | grep "^GUEST-TEST $1 "
	guest_said "^GUEST-TEST-OK $1 " &&
	say "# guest: $(console | grep "^GUEST-TEST-OK $1 " | cut -d' ' -f2-)"
}

guest_stops() {
	guest_said '^GUEST-RMMOD-OK' && guest_said '^GUEST-DONE'
}

guest_quiet() {
	console | grep -q '^GUEST-DONE' || { echo "the guest did not end"; return 1; }
	console | grep '^GUEST-KMSG'
	! console | grep -q '^GUEST-KMSG'
}

# The guest's contexts and pages are all gone from the host.
mdev_idle() {
	local f v ok=0
	for f in contexts pinned_pages; do
		v=$(cat "$MDEV/vaal/$f") || return 1
		echo "$f $v"
		[ "$v" = 0 ] || ok=1
	done
	grep -H . "$MDEV"/vaal/* 2>/dev/null
	return $ok
}

# guest_count, host_count: launches the guest's and the host's loader
# said they completed, last.
guest_count() {
	console | awk '$1 == "GUEST-LOAD" && $2 == "load" { n = $4 } END { print n + 0 }'
}

host_count() {
	awk '$1 == "load" { n = $3 } END { print n + 0 }' "$T/hostload" 2>/dev/null
}

# While the guest loads the sidecore, a host process in the other cgroup
# loads it too; the guest's share of the launches both complete over the
# window, by their own counts, is W_GUEST / (W_GUEST + W_HOST) within 3
# points.  The guest must still be loading at the window's end.
share() {
	local g0 h0 g1 h1 verdict got want
	wait_console '^GUEST-LOAD load ' 300 || return 1
	(echo $BASHPID >"$CG/host/cgroup.procs" &&
	 exec ${OFF_UNITS:+taskset -c "$OFF_UNITS"} "$BUILD/tools/vaal_load" \
		-d $LOAD_DIM -t $((RAMP + WINDOW + 3)) -i 100) >"$T/hostload" 2>&1 &
	HOST_LOAD_PID=$!
	sleep $RAMP
	g0=$(guest_count) h0=$(host_count)
	sleep $WINDOW
	g1=$(guest_count) h1=$(host_count)
	if console | grep -Eq '^GUEST-LOAD(-OK|-FAIL| done)'; then
		echo "the guest stopped loading before the window's end"
		return 1
	fi
	verdict=$(awk -v g=$((g1 - g0)) -v h=$((h1 - h0)) -v wg=$W_GUEST \
		-v wh=$W_HOST 'BEGIN {
		if (g <= 0 || h <= 0) { print "none"; exit }
		s = 100 * g / (g + h); w = 100 * wg / (wg + wh)
		printf "%.1f %.1f %s", s, w, (s - w <= 3 && w - s <= 3) ? "ok" : "off"
	}')
	read -r got want verdict <<<"$verdict"
	say "# share: guest $((g1 - g0)) launches, host $((h1 - h0)) in ${WINDOW}s: guest ${got}%, its weight's ${want}%: $verdict"
	[ "$verdict" = ok ]
}

# Both loaders ended with every launch completed, none failed.
loaders_done() {
	local rc=0
	if [ -n "$HOST_LOAD_PID" ]; then
		wait "$HOST_LOAD_PID" || rc=1
		HOST_LOAD_PID=
	else
		rc=1
	fi
	grep '^done' "$T/hostload" || cat "$T/hostload"
	console | grep -E '^GUEST-LOAD(-| done)'
	guest_said '^GUEST-LOAD-OK' && return $rc
}

# Figures go to the TAP stream as comments, beside the check's own log.
exec 3>&1
say() {
	echo "$*"
	echo "$*" >&3
}

check "${CASES[0]}" parent_up
check "${CASES[1]}" mdev_up
share_cgroups >"$T/cg.log" 2>&1 || { cat "$T/cg.log"; CG_FAIL=1; }
check "${CASES[2]}" initramfs
guest_files >"$T/files.log" 2>&1 || sed 's/^/# guest files: /' "$T/files.log"
check "${CASES[3]}" guest_boots
if [ -n "${CG_FAIL:-}" ]; then
	check "${CASES[10]}" false
else
	check "${CASES[10]}" share
fi
guest_done
check "${CASES[4]}" guest_pci
check "${CASES[5]}" guest_said '^GUEST-INSMOD-OK'
check "${CASES[6]}" guest_info
check "${CASES[7]}" guest_said '^GUEST-SHA-OK /etc/os-release '
check "${CASES[8]}" guest_said "^GUEST-SHA-OK $T/big.bin "
check "${CASES[9]}" guest_test vaal_dag_test
check "${CASES[11]}" loaders_done
i=17
for t in "${GUEST_TESTS[@]}"; do
	t=${t%%:*}
	check "${CASES[i]}" guest_test "${t##*/}"
	i=$((i + 1))
done
check "${CASES[12]}" guest_stops
check "${CASES[13]}" guest_quiet
check "${CASES[14]}" qemu_exits
check "${CASES[15]}" mdev_idle
check "${CASES[16]}" mdev_remove
# The guest's whole console, for a look later: vcore-vm's LOGDIR/out.
[ -n "${VCORE_OUT:-}" ] && cp "$T/console" "$VCORE_OUT/qemu_vaal_console.log"
echo "# whole test ${SECONDS}s"
[ $failed = 0 ]
