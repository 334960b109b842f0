#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo-guest.sh - the part of the demo that runs inside the VM (see demo.sh).
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
ok=0 bad=0

step() {	# step TITLE COMMAND...: run a command, show its output indented
	local title=$1 o rc
	shift
	o=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		ok=$((ok + 1))
		printf '  [ok]   %s\n' "$title"
	else
		bad=$((bad + 1))
		printf '  [FAIL] %s (exit %d)\n' "$title" $rc
	fi
	[ -n "$o" ] && sed 's/^/           /' <<<"$o"
	return 0
}

refused() {	# refused COMMAND...: succeeds when the command fails
	! "$@"
}

# reserve_to_limit: fill class cpu's real-time capacity, rt_limit of its
# units' time, with reservations of at most 9 ms per 10 ms, each for a
# context of its own; all fit, and 1 ms more is refused.  However many
# units the class has now: a step before may have reloaded vaal_cpu with
# one a CPU.
reserve_to_limit() {
	local d=/sys/kernel/vcore_sched/cpu n lim left us pids=() rc=0
	n=$(cat $d/units) && lim=$(cat $d/rt_limit) || return 1
	left=$((lim * n * 10000 / 100))
	echo "class cpu: $n units, rt_limit $lim%: $left us of reservations per 10 ms"
	while [ $left -gt 0 ] && [ $rc = 0 ]; do
		us=$((left < 9000 ? left : 9000))
		( exec 9<>/dev/vaal; exec sleep 30 ) &
		pids+=($!)
		sleep 0.2
		"$B/tools/vaalctl" sched reserve $! 9 cpu ${us}us 10ms || rc=1
		echo "  ${us} us per 10 ms admitted: rc=$rc"
		left=$((left - us))
	done
	( exec 9<>/dev/vaal; exec sleep 30 ) &
	pids+=($!)
	sleep 0.2
	if [ $rc = 0 ] && "$B/tools/vaalctl" sched reserve $! 9 cpu 1ms 10ms; then
		echo "  1 ms more admitted past the limit"
		rc=1
	fi
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null
	return $rc
}

# guest_demo: a tiny guest on stock QEMU with "-device vfio-pci,sysfsdev="
# a VAAL mdev: it sees the device, loads vaal_pci, and runs the host's
# unmodified vaalctl on its own /dev/vaal (selftests/lib/vaal_guest.sh).
guest_demo() {
	local SUITE=$B/stock BUILD=$B T GUEST_CG='' OFF_UNITS='' rc=1
	local GUEST_APPEND="vcore.files=/etc/os-release"
	T=$(mktemp -d)
	say() { echo "$*"; }
	# shellcheck source=selftests/lib/vaal_guest.sh
	. "$TOP/selftests/lib/vaal_guest.sh"
	if parent_up >/dev/null && mdev_up >/dev/null && initramfs >/dev/null &&
	   "$B/tools/vaalctl" sched reserve mdev "$UUID" cpu 1ms 10ms &&
	   guest_boots && wait_console '^GUEST-DONE' 400; then
		console | grep -E '^GUEST-(PCI 1af4|INSMOD|INFO (abi|features|contexts)|SHA)'
		guest_said '^GUEST-SHA-OK /etc/os-release' &&
			guest_said '^GUEST-RMMOD-OK' && qemu_exits &&
			grep -H . "$MDEV/vaal/contexts" "$MDEV/vaal/pinned_pages" \
				"$MDEV/vaal/bytes_copied" && mdev_remove && rc=0
	fi
	[ -n "$QEMU_PID" ] && kill -KILL "$QEMU_PID" 2>/dev/null
	[ -d "$MDEV" ] && echo 1 >"$MDEV/remove"
	rm -rf "$T"
	return $rc
}

# vm_spec_demo: a VM described in a spec (tools/vcorevm), checked against
# the host, a bigger one refused with its reason, applied - its cgroup,
# VIF, mdev and reservation made - and released, leaving nothing.
vm_spec_demo() {
	local t vm=$B/tools/vcorevm rc=1
	t=$(mktemp -d)
	cat >"$t/demo1.toml" <<-EOF
	name = "demo1"
	vcpus = 1
	memory = "64MiB"
	weight = 300

	[[vif]]
	np = "svnic-np0"
	mac = "52:54:00:00:0d:01"
	rate = "100mbit"
	vlan = 10

	[[accel]]
	class = "cpu"
	reserve = "1ms/10ms"

	[mdev]
	type = "vaal-small"
	EOF
	sed 's/^name = .*/name = "big1"/; s/0d:01/0d:02/
	     s|^reserve = .*|reserve = "9ms/10ms"\ncontexts = 64|' \
		"$t/demo1.toml" >"$t/big1.toml"
	if modprobe -a vhost_vdpa &&
	   ip link add vdemo0 type veth peer name vdemo1 &&
	   ip link set vdemo1 up && ip link set vdemo0 up &&
	   "$B/tools/svnicctl" np add vdemo0 >/dev/null; then
		echo "\$ vcorevm check demo1.toml" && "$vm" check "$t/demo1.toml" &&
		echo "\$ vcorevm check big1.toml (64 contexts of 9ms/10ms)" &&
		! "$vm" check "$t/big1.toml" &&
		echo "\$ vcorevm apply demo1.toml" && "$vm" apply "$t/demo1.toml" &&
		"$vm" show && vdpa dev show &&
		grep -H . /sys/bus/mdev/devices/*/vaal/reserve &&
		echo "\$ vcorevm qemu --plain demo1.toml" &&
		"$vm" qemu --plain "$t/demo1.toml" | tr '\n' ' ' && echo &&
		echo "\$ vcorevm release demo1" && "$vm" release demo1 &&
		[ -z "$(vdpa dev show)" ] &&
		! ls /sys/bus/mdev/devices/*/vaal >/dev/null 2>&1 && rc=0
	fi
	"$vm" release demo1 >/dev/null 2>&1
	"$B/tools/svnicctl" np del svnic-np0 >/dev/null 2>&1
	ip link del vdemo0 2>/dev/null
	rm -rf "$t"
	return $rc
}

echo
echo "== V-Core demo report =="
echo "kernel $(uname -r) in QEMU; V-Core modules:"
lsmod | awk 'NR == 1 || /^(vaal_core|vaal_cpu|vaal_crypto|vaal_mdev|vcore_sched|svnic) /' |
	sed 's/^/    /'
echo
echo "-- vaal_core: /dev/vaal, the accelerator abstraction layer"
step "device node, mode 0660" ls -l /dev/vaal
step "vaalctl info" "$B/tools/vaalctl" info
step "vaalctl -j info (JSON)" "$B/tools/vaalctl" -j info
step "unprivileged user refused" refused setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$B/tools/vaalctl" info
# In a memory cgroup of its own, to show where buffer memory is charged.
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/vaal-demo
step "buffers and kernels through libvaal (tools/examples/vaal_example.c)" \
	bash -c "echo \$\$ >/sys/fs/cgroup/vaal-demo/cgroup.procs && exec $B/tools/vaal_example"
echo
echo "-- vaal_core at work: kernels through the rings, on three controllers"
step "controllers: the CPU sidecore (kthreads) and the crypto API" \
	"$B/tools/vaalctl" controllers
step "sha256 of a file through the crypto controller = sha256sum" bash -c \
	"d=\$($B/tools/vaalctl -v run crypto sha256 --in /etc/os-release --out -:32) &&
	 echo \"vaal:      \$d\" && echo \"sha256sum: \$(sha256sum /etc/os-release | cut -c1-64)\" &&
	 [ \"\$d\" = \"\$(sha256sum /etc/os-release | cut -c1-64)\" ]"
step "crc32c of '123456789' on a CPU sidecore unit (e3069283, little endian)" bash -c \
	"printf 123456789 >/tmp/check && [ \$($B/tools/vaalctl run cpu crc32c --in /tmp/check \
	 --out -:4 --u32 0) = 839206e3 ]"
step "a user-space controller (vaal_ctrld) serves class ucpu" bash -c \
	"$B/tools/vaal_ctrld --name ucpu0 --threads 2 >/tmp/ctrld.log 2>&1 & pid=\$!
	 for i in \$(seq 100); do grep -q ready /tmp/ctrld.log && break; sleep 0.1; done
	 head -c 4096 /dev/urandom >/tmp/a; head -c 4096 /dev/urandom >/tmp/b
	 $B/tools/vaalctl -v run ucpu xor --in /tmp/a --in /tmp/b --out /tmp/c:4096 &&
	 python3 -c 'a,b,c=(open(\"/tmp/\"+f,\"rb\").read() for f in \"abc\"); \\
	 assert bytes(x^y for x,y in zip(a,b))==c; print(\"xor checked, 4096 bytes\")'
	 rc=\$?; kill \$pid; wait \$pid; exit \$rc"
step "randomized DAGs of launches = the sequential reference (selftest)" bash -c \
	"VCORE_SUITE=$B/stock $B/selftests/vaal_core/vaal_dag_test \
	 -t random_streams_match_sequential_reference | tail -n 1"
step "contexts and what they did, from fdinfo" bash -c \
	"sleep 5 3<>/dev/vaal & sleep 0.5; $B/tools/vaalctl contexts; kill %1"
echo
echo "-- vcore_sched: accelerator time shared by cgroup weights"
step "vaal_core reports the scheduling plug-in" bash -c \
	"$B/tools/vaalctl -j info | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"sched_policies\"] == 1'"
step "classes, their policies and units (vaalctl sched)" "$B/tools/vaalctl" sched
step "processes in cgroups saturate the CPU sidecore: shares follow cpu.weight under fair, not under fcfs or rr (2 s windows)" \
	"$B/tools/vcs_share_bench" -w 2
step "reservations admitted up to rt_limit of all the class's units, 1 ms more refused" \
	reserve_to_limit
echo
echo "-- guests: the VAAL as a VFIO mediated device"
step "the mdev parent vaal and its types (mdevctl types)" mdevctl types
step "a guest on stock QEMU (-device vfio-pci,sysfsdev=) with a reservation: 1af4:10f0, vaal_pci, vaalctl info and sha256 = sha256sum in the guest; afterwards nothing held" \
	guest_demo
echo
echo "-- svnic: the generic netlink family"
step "iproute2 genl sees the family" bash -c "genl ctrl get name svnic | head -n 3"
step "svnicctl info" "$B/tools/svnicctl" info
step "an NP on a veth: its backend, NP ABI, batching and uplink counters (svnicctl np)" \
	bash -c "ip link add vdemo0 type veth peer name vdemo1 && ip link set vdemo1 up && \
	 ip link set vdemo0 up && \
	 $B/tools/svnicctl np add vdemo0 >/dev/null && \
	 $B/tools/svnicctl np set svnic-np0 notify-frames 16 notify-cycles 4 && \
	 $B/tools/svnicctl np show svnic-np0; r=\$?; \
	 $B/tools/svnicctl np del svnic-np0; ip link del vdemo0; exit \$r"
step "iproute2 vdpa lists management devices (none until NPs exist)" vdpa mgmtdev show
echo
echo "-- VMs from a spec, with admission control (vcorevm)"
step "a VM in a spec: checked, a bigger one refused with its reason, applied, released leaving nothing" \
	vm_spec_demo
echo
echo "-- module life cycle"
step "rmmod vaal_core refused while modules use it" refused rmmod vaal_core
exec 3<>/dev/vaal
step "rmmod vaal_core refused while a context is open" bash -c \
	"rmmod vaal_mdev vcore_sched vaal_cpu vaal_crypto && ! rmmod vaal_core"
exec 3<&-
step "unload everything" rmmod svnic vaal_core
step "reload the suite" bash -c "insmod $B/stock/kernel/vaal_core/vaal_core.ko && \
	insmod $B/stock/kernel/vcore_sched/vcore_sched.ko && \
	insmod $B/stock/kernel/vaal_cpu/vaal_cpu.ko && \
	insmod $B/stock/kernel/vaal_crypto/vaal_crypto.ko && \
	insmod $B/stock/kernel/svnic/svnic.ko && \
	insmod $B/stock/kernel/vaal_mdev/vaal_mdev.ko"
step "vaalctl works again" "$B/tools/vaalctl" info
echo
echo "== $ok steps ok, $bad failed =="
[ $bad = 0 ]
