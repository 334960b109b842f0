#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - V-Core benchmarks.  Prints every figure on its own line as
#   bench <component>.<metric> <value> <unit>
# Instruction counts (callgrind) are the stable figures; wall times beside
# them vary with the machine and its load.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build/native

# Instructions one item costs: the difference of two callgrind runs of
# different lengths cancels start-up and set-up costs.
instr_per_item() {	# instr_per_item BENCH N ARGS...
	local bench=$1 n=$2 a b
	shift 2
	a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$n" "$@" 2>&1 |
		awk '/Collected :/ { print $NF }')
	b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" $((n * 2)) "$@" 2>&1 |
		awk '/Collected :/ { print $NF }')
	awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.1f\n", (b - a) / n }'
}

# Median of five wall-time runs.
ns_per_item() {	# ns_per_item BENCH N ARGS...
	for _ in 1 2 3 4 5; do "$@" | cut -d' ' -f2; done | sort -n | sed -n 3p
}

for burst in 1 32; do
	echo "bench np.native.ring_instr_per_item_burst$burst" \
		"$(instr_per_item "$B/np_ring_bench" 200000 $burst) instr/item"
	echo "bench np.native.ring_ns_per_item_burst$burst" \
		"$(ns_per_item "$B/np_ring_bench" 20000000 $burst) ns/item"
done

# The NP egress scheduler: one frame picked, with 1, 32 and 256 VIFs.
for vifs in 1 32 256; do
	echo "bench np.native.sched_instr_per_frame_${vifs}vifs" \
		"$(instr_per_item "$B/np_sched_bench" 100000 $vifs) instr/frame"
	echo "bench np.native.sched_ns_per_frame_${vifs}vifs" \
		"$(ns_per_item "$B/np_sched_bench" 5000000 $vifs) ns/frame"
done

# svnic's NP data plane alone: 64-byte frames classified, queued and
# scheduled in batches of 32 (VIF to uplink and uplink to VIF, DRR among all
# VIFs, half of them rate limited), with 1, 8, 32 and 256 VIFs: instructions
# and frames/s.  Not the sidecore's whole per-frame path (ring walk, address
# translation, copy, skb): svnic.vm.sidecore_ns_per_frame_64b gives that.
for vifs in 1 8 32 256; do
	echo "bench svnic.native.classify_queue_sched_instr_per_pkt_${vifs}vif" \
		"$(instr_per_item "$B/np_dp_bench" 64000 "$vifs") instr"
	ns=$(ns_per_item "$B/np_dp_bench" 20000000 "$vifs")
	echo "bench svnic.native.classify_queue_sched_pps_${vifs}vif" \
		"$(awk -v ns="$ns" 'BEGIN { printf "%d", 1e9 / ns }') pkts/s"
done

# The virtual interrupt identifier: a notification event (a VIF marked, and
# its share of the flush that signals it) with 1, 8, 32 and 128 VIFs active;
# the signal a counter (the identifier's own cost) or a write(2) to the
# VIF's eventfd (a real signal, as the sidecore's ends in the queue's call
# eventfd; with a system call the kernel's path does not make).
for vifs in 1 8 32 128; do
	echo "bench svnic.native.notify_ident_ns_${vifs}vif" \
		"$(ns_per_item "$B/np_notify_bench" 50000000 "$vifs") ns"
	echo "bench svnic.native.notify_instr_${vifs}vif" \
		"$(instr_per_item "$B/np_notify_bench" 256000 "$vifs") instr"
	echo "bench svnic.native.notify_eventfd_ns_${vifs}vif" \
		"$(ns_per_item "$B/np_notify_bench" 2000000 "$vifs" eventfd) ns"
done

# The CPU controllers' matmul_i32 on 64 x 64 x 64: per multiply-add.
echo "bench vaal.native.cpu_matmul_i32_instr_per_mac" \
	"$(instr_per_item "$B/vaal_cpu_kernels_bench" 4 |
	   awk '{ printf "%.2f", $1 / (64 * 64 * 64) }') instr/mac"
echo "bench vaal.native.cpu_matmul_i32_ns_per_mac" \
	"$(ns_per_item "$B/vaal_cpu_kernels_bench" 200) ns/mac"

# The hazard scoreboard: submit + pop + complete, 32 jobs in flight, three
# buffer ranges each.
for mode in independent chain; do
	echo "bench vaal.native.hazard_instr_per_job_$mode" \
		"$(instr_per_item "$B/vaal_hazard_bench" 20000 $mode) instr/job"
	echo "bench vaal.native.hazard_ns_per_job_$mode" \
		"$(ns_per_item "$B/vaal_hazard_bench" 1000000 $mode) ns/job"
done

# A job's way through the pure logic of vaal_core (scoreboard, class queue,
# unit, completion ring), 64 in flight, two buffer ranges each: jobs/s on
# one core (median of five), instructions per job, and the kernel memory a
# job in flight takes (its kmalloc size class).
for mode in independent dag8; do
	ns=$(ns_per_item "$B/vaal_dispatch_bench" 2000000 $mode)
	echo "bench vaal.native.$mode" \
		"$(awk -v ns="$ns" 'BEGIN { printf "%d", 1e9 / ns }') jobs/s"
	echo "bench vaal.native.${mode}_instr_per_job" \
		"$(instr_per_item "$B/vaal_dispatch_bench" 20000 $mode) instr/job"
done
echo "bench vaal.native.bytes_per_job $("$B/vaal_dispatch_bench" bytes) bytes"

# The run queue of vcore_sched (VCS_FAIR): a pick, the charge of its leaf
# and the item back in the queue, with 1, 64 and 1024 saturated contexts
# under a two-level hierarchy of groups.
for ctx in 1 64 1024; do
	echo "bench vcs.native.pick_instr_${ctx}ctx" \
		"$(instr_per_item "$B/vcs_pick_bench" 100000 $ctx) instr"
	echo "bench vcs.native.pick_ns_${ctx}ctx" \
		"$(ns_per_item "$B/vcs_pick_bench" 5000000 $ctx) ns"
done

# The harness itself: boot to a finished command, VM torn down.
KDIR=${KDIR:-}
start=$(date +%s.%N)
"$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} -q -- true
end=$(date +%s.%N)
echo "bench harness.vm.boot_run_true_s $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"

# vm_bench TIMEOUT COMMAND...: the bench lines of COMMAND run in the VM;
# all it printed, and the end of this script, when it fails.
vm_bench() {
	local timeout=$1 out
	shift
	if ! out=$("$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} --timeout "$timeout" \
		   -- "$@" 2>&1); then
		echo "$out" >&2
		exit 1
	fi
	tr -d '\r' <<<"$out" | grep '^bench '
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
