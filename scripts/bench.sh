#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - V-Core benchmarks.  Prints every figure on its own line as
#   bench <component>.<metric> <value> <unit>
# Instruction counts (callgrind) are the stable figures; wall times beside
# them vary with the machine and its load.
#
# Every figure comes from figure(), which fails the script when its
# measurement fails or yields no number: no figure is printed from a failed
# measurement, and the script exits non-zero on the first one.  The run is
# described in comment lines first ("# date: ...", "# commit: ...",
# "# cpu: ...", ...), and "# complete: every figure measured" ends a run that
# succeeded: scripts/bench-report.sh makes README's table of it.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build/native
tmp=$(mktemp -d)
# A measurement that failed inside a command substitution fails the script
# too, at the latest when it ends.
trap 'rc=$?; [ -e "$tmp/failed" ] && rc=1; rm -rf "$tmp"
      [ $rc = 0 ] && echo "# complete: every figure measured"; exit $rc' EXIT

# broken WHAT...: say on standard error that a measurement failed, mark the
# run failed (also from a subshell) and return 1.
broken() {
	echo "bench: FAILED: $*" >&2
	: >"$tmp/failed"
	return 1
}

isnum() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }

# figure NAME UNIT COMMAND...: print "bench NAME VALUE UNIT", VALUE being
# what COMMAND prints; exit when COMMAND fails or prints no number.
figure() {
	local name=$1 unit=$2 v
	shift 2
	v=$("$@") || broken "$name: $* failed" || exit 1
	isnum "$v" || broken "$name: $* gave '$v', not a number" || exit 1
	echo "bench $name $v $unit"
}

# callgrind_instr COMMAND...: the instructions COMMAND executes, counted by
# callgrind; fails when COMMAND does or callgrind reports no count.
callgrind_instr() {
	local out rc n
	out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1) &&
		rc=0 || rc=$?
	n=$(awk '/Collected :/ { print $NF }' <<<"$out")
	if [ $rc != 0 ] || ! isnum "$n"; then
		tail -n 20 <<<"$out" >&2
		broken "valgrind --tool=callgrind $* (exit $rc, collected '$n')"
		return 1
	fi
	echo "$n"
}

# Instructions one item costs: the difference of two callgrind runs of
# different lengths cancels start-up and set-up costs.
instr_per_item() {	# instr_per_item BENCH N ARGS...
	local bench=$1 n=$2 a b
	shift 2
	a=$(callgrind_instr "$bench" "$n" "$@") || return 1
	b=$(callgrind_instr "$bench" $((n * 2)) "$@") || return 1
	awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.1f\n", (b - a) / n }'
}

# Median of five wall-time runs; a bench prints "ITEMS NS-PER-ITEM".
ns_per_item() {	# ns_per_item BENCH N ARGS...
	local i out rc v runs=()
	for i in 1 2 3 4 5; do
		out=$("$@") && rc=0 || rc=$?
		v=$(cut -d' ' -f2 <<<"$out")
		if [ $rc != 0 ] || ! isnum "$v"; then
			broken "$* (run $i of 5): exit $rc, printed '$out'"
			return 1
		fi
		runs+=("$v")
	done
	printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p
}

# per_second COMMAND...: 1e9 over the nanoseconds COMMAND prints.
per_second() {
	local ns
	ns=$("$@") || return 1
	if ! isnum "$ns" ||
	   ! awk -v ns="$ns" 'BEGIN { if (ns <= 0) exit 1; printf "%d", 1e9 / ns }'; then
		broken "$*: '$ns' ns, no rate"
	fi
}

# divided D COMMAND...: what COMMAND prints, over D.
divided() {
	local d=$1 v
	shift
	v=$("$@") || return 1
	isnum "$v" || { broken "$*: '$v' is not a number"; return 1; }
	awk -v v="$v" -v d="$d" 'BEGIN { printf "%.2f", v / d }'
}

# elapsed COMMAND...: the seconds COMMAND takes (its output on stderr).
elapsed() {
	local start end
	start=$(date +%s.%N)
	"$@" >&2 || { broken "$* (exit $?)"; return 1; }
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

# The run: when, what, where.
echo "# date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# commit: $(git -C "$TOP" describe --always --dirty --tags 2>/dev/null ||
	echo unknown) ($(git -C "$TOP" rev-parse HEAD 2>/dev/null || echo unknown))"
echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "# cores: $(nproc)"
echo "# memory: $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "# kernel: $(uname -sr)"

for burst in 1 32; do
	figure "np.native.ring_instr_per_item_burst$burst" instr/item \
		instr_per_item "$B/np_ring_bench" 200000 $burst
	figure "np.native.ring_ns_per_item_burst$burst" ns/item \
		ns_per_item "$B/np_ring_bench" 20000000 $burst
done

# The NP egress scheduler: one frame picked, with 1, 32 and 256 VIFs.
for vifs in 1 32 256; do
	figure "np.native.sched_instr_per_frame_${vifs}vifs" instr/frame \
		instr_per_item "$B/np_sched_bench" 100000 $vifs
	figure "np.native.sched_ns_per_frame_${vifs}vifs" ns/frame \
		ns_per_item "$B/np_sched_bench" 5000000 $vifs
done

# svnic's NP data plane alone: 64-byte frames classified, queued and
# scheduled in batches of 32 (VIF to uplink and uplink to VIF, DRR among all
# VIFs, half of them rate limited), with 1, 8, 32 and 256 VIFs: instructions
# and frames/s.  Not the sidecore's whole per-frame path (ring walk, address
# translation, copy, skb): svnic.vm.sidecore_ns_per_frame_64b gives that.
for vifs in 1 8 32 256; do
	figure "svnic.native.classify_queue_sched_instr_per_pkt_${vifs}vif" instr \
		instr_per_item "$B/np_dp_bench" 64000 "$vifs"
	figure "svnic.native.classify_queue_sched_pps_${vifs}vif" pkts/s \
		per_second ns_per_item "$B/np_dp_bench" 20000000 "$vifs"
done

# The virtual interrupt identifier: a notification event (a VIF marked, and
# its share of the flush that signals it) with 1, 8, 32 and 128 VIFs active;
# the signal a counter (the identifier's own cost) or a write(2) to the
# VIF's eventfd (a real signal, as the sidecore's ends in the queue's call
# eventfd; with a system call the kernel's path does not make).
for vifs in 1 8 32 128; do
	figure "svnic.native.notify_ident_ns_${vifs}vif" ns \
		ns_per_item "$B/np_notify_bench" 50000000 "$vifs"
	figure "svnic.native.notify_instr_${vifs}vif" instr \
		instr_per_item "$B/np_notify_bench" 256000 "$vifs"
	figure "svnic.native.notify_eventfd_ns_${vifs}vif" ns \
		ns_per_item "$B/np_notify_bench" 2000000 "$vifs" eventfd
done

# The CPU controllers' matmul_i32 on 64 x 64 x 64: per multiply-add.
figure vaal.native.cpu_matmul_i32_instr_per_mac instr/mac \
	divided $((64 * 64 * 64)) instr_per_item "$B/vaal_cpu_kernels_bench" 4
figure vaal.native.cpu_matmul_i32_ns_per_mac ns/mac \
	ns_per_item "$B/vaal_cpu_kernels_bench" 200

# The hazard scoreboard: submit + pop + complete, 32 jobs in flight, three
# buffer ranges each.
for mode in independent chain; do
	figure "vaal.native.hazard_instr_per_job_$mode" instr/job \
		instr_per_item "$B/vaal_hazard_bench" 20000 $mode
	figure "vaal.native.hazard_ns_per_job_$mode" ns/job \
		ns_per_item "$B/vaal_hazard_bench" 1000000 $mode
done

# A job's way through the pure logic of vaal_core (scoreboard, class queue,
# unit, completion ring), 64 in flight, two buffer ranges each: jobs/s on
# one core (median of five), instructions per job, and the kernel memory a
# job in flight takes (its kmalloc size class).
for mode in independent dag8; do
	figure "vaal.native.$mode" jobs/s \
		per_second ns_per_item "$B/vaal_dispatch_bench" 2000000 $mode
	figure "vaal.native.${mode}_instr_per_job" instr/job \
		instr_per_item "$B/vaal_dispatch_bench" 20000 $mode
done
figure vaal.native.bytes_per_job bytes "$B/vaal_dispatch_bench" bytes

# vaal_core against StarPU on the same random DAG of width 8 of empty tasks
# (tools/testing/native/dag8.h), 200000 of them: wall ns per task of
# vaal_dispatch_bench (scoreboard, class queue, unit, CQE, on one thread)
# and of starpu_dag_bench (task allocation, dependency inference, scheduling
# onto one CPU worker, callback), five runs each, interleaved; the medians
# and ours over StarPU's.  StarPU's order of execution is checked first.
dag8_ns() {	# dag8_ns BENCH N dag8: the ns per task of one run, or fail
	local out
	out=$("$@") || return 1
	awk -v n="$2" 'NF == 2 && $1 == n && $2 ~ /^[0-9]+(\.[0-9]+)?$/ &&
		       $2 + 0 > 0 { print $2; ok = 1 } END { exit !ok }' <<<"$out"
}
"$B/starpu_dag_bench" 2000 check >/dev/null ||
	{ broken "starpu_dag_bench's order check"; exit 1; }
dag8_vaal=() dag8_starpu=()
for _ in 1 2 3 4 5; do
	ns=$(dag8_ns "$B/vaal_dispatch_bench" 200000 dag8) ||
		{ broken "vaal_dispatch_bench dag8"; exit 1; }
	dag8_vaal+=("$ns")
	ns=$(dag8_ns "$B/starpu_dag_bench" 200000 dag8) ||
		{ broken "starpu_dag_bench dag8"; exit 1; }
	dag8_starpu+=("$ns")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 3p; }
figure vaal.native.dag8_ns_per_task ns median "${dag8_vaal[@]}"
figure vaal.native.starpu_dag8_ns_per_task ns median "${dag8_starpu[@]}"
figure vaal.native.dag8_vs_starpu ratio \
	awk -v a="$(median "${dag8_vaal[@]}")" -v b="$(median "${dag8_starpu[@]}")" \
	'BEGIN { printf "%.3f", a / b }'

# The run queue of vcore_sched (VCS_FAIR): a pick, the charge of its leaf
# and the item back in the queue, with 1, 64 and 1024 saturated contexts
# under a two-level hierarchy of groups.
for ctx in 1 64 1024; do
	figure "vcs.native.pick_instr_${ctx}ctx" instr \
		instr_per_item "$B/vcs_pick_bench" 100000 $ctx
	figure "vcs.native.pick_ns_${ctx}ctx" ns \
		ns_per_item "$B/vcs_pick_bench" 5000000 $ctx
done

# The harness itself: boot to a finished command, VM torn down.
KDIR=${KDIR:-}
figure harness.vm.boot_run_true_s s \
	elapsed "$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} -q -- true
# What the harness ran it under: it says so as it boots ("(tcg)").
accel=$("$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} -- true 2>&1 |
	sed -n 's/^vcore-vm: booting .*(\([a-z]*\)).*/\1/p' | head -n 1)
[ -n "$accel" ] || { broken "the VM's accelerator: no boot line"; exit 1; }
echo "# vm: $accel"

# vm_bench TIMEOUT COMMAND...: the bench lines of COMMAND run in the VM;
# all it printed, and the end of this script, when it fails or prints no
# bench line, or one whose value is not a number.
vm_bench() {
	local timeout=$1 out lines
	shift
	if ! out=$("$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} --timeout "$timeout" \
		   -- "$@" 2>&1); then
		echo "$out" >&2
		broken "in the VM: $*"
		exit 1
	fi
	lines=$(tr -d '\r' <<<"$out" | grep '^bench ') || true
	if [ -z "$lines" ] ||
	   grep -qvE '^bench [^ ]+ -?[0-9]+(\.[0-9]+)?( |$)' <<<"$lines"; then
		echo "$out" >&2
		broken "in the VM: $*: no bench line, or a value not a number"
		exit 1
	fi
	echo "$lines"
}

# NOP round trips through /dev/vaal's rings against io_uring's, in the VM:
# batches of 32 and single NOPs, one system call a round on both sides.
vm_bench 240 "$TOP/build/tools/vaal_nop_bench"

# vcore_sched's shares of the CPU sidecore controller in the VM: the largest
# deviation from the cgroups' weights (100:200:400, 1:100, nested) under
# fair, and under fcfs and rr as baselines.  Nine runs of about 7 s each.
vm_bench 300 "$TOP/build/tools/vcs_share_bench"

# A user-space vhost driver through an svnic VIF against vhost-net + tap +
# bridge, in the VM: frames/s of 64 and 1500 bytes and the round trip, as
# ratios (ours over vhost-net's), medians of five rounds; vhost-net
# busy-polling as long as the sidecore polls idle, and (_nopoll) not; CPU
# time per frame of both sides, the sidecore's per frame.
vm_bench 420 "$TOP/build/tools/svnic_vhost_bench"

# The VAAL PCI device (vaal_mdev) driven by a user-space VFIO driver, as QEMU
# would drive it for a guest: NOP round trips (doorbell, completion ring
# polled) one at a time and in batches of 32, over a host process's own
# /dev/vaal round trips in the same run.
vm_bench 300 "$TOP/build/tools/vaal_vfio_bench"

# A tiny guest on a VAAL mdev (stock QEMU, TCG inside the VM's TCG) and a
# host process each time a sha256 of 64 MiB through the crypto controller,
# by their own clocks: the guest's buffer is used in place, and the ratio
# (guest over host) is what its path costs.  Boots a guest: 3 to 6 min.
vm_bench 600 "$TOP/tools/bench/vaal_guest_bench.sh"

# OpenCL kernels through /dev/vaal and the OpenCL controller
# (tools/vaal_opencld, on PoCL's CPU device) against the same kernels given
# to the runtime directly, in the VM: an empty kernel one launch at a time
# and 32 a round, and SAXPY on 16 Mi floats in place, as ratios (ours over
# direct), medians of the repetitions.
vm_bench 600 "$TOP/build/tools/vaal_opencl_bench"
