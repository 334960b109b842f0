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

echo
echo "== V-Core demo report =="
echo "kernel $(uname -r) in QEMU; V-Core modules:"
lsmod | awk 'NR == 1 || /^(vaal_core|vcore_sched|svnic) /' | sed 's/^/    /'
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
echo "-- vcore_sched: plugged into vaal_core"
step "vaal_core reports the scheduling plug-in" bash -c \
	"$B/tools/vaalctl -j info | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"sched_policies\"] == 1'"
echo
echo "-- svnic: the generic netlink family"
step "iproute2 genl sees the family" bash -c "genl ctrl get name svnic | head -n 3"
step "svnicctl info" "$B/tools/svnicctl" info
step "iproute2 vdpa lists management devices (none until NPs exist)" vdpa mgmtdev show
echo
echo "-- module life cycle"
step "rmmod vaal_core refused while vcore_sched uses it" refused rmmod vaal_core
exec 3<>/dev/vaal
step "rmmod vaal_core refused while a context is open" bash -c \
	"rmmod vcore_sched && ! rmmod vaal_core"
exec 3<&-
step "unload everything" rmmod svnic vaal_cpu vaal_crypto vaal_core
step "reload the suite" bash -c "insmod $B/stock/kernel/vaal_core/vaal_core.ko && \
	insmod $B/stock/kernel/vcore_sched/vcore_sched.ko && \
	insmod $B/stock/kernel/vaal_cpu/vaal_cpu.ko && \
	insmod $B/stock/kernel/vaal_crypto/vaal_crypto.ko && insmod $B/stock/kernel/svnic/svnic.ko"
step "vaalctl works again" "$B/tools/vaalctl" info
echo
echo "== $ok steps ok, $bad failed =="
[ $bad = 0 ]
