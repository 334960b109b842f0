#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm_qemu_test.sh - a V-Core VM end to end from its spec: vcorevm checks and
# applies a spec with a VIF (on an NP whose uplink is a veth to a "wire"
# namespace) and a VAAL mdev, then "vcorevm qemu -x" starts stock QEMU in
# the VM's cgroup on the command line it makes (-netdev vhost-vdpa on the
# VIF, -device vfio-pci on the mdev), booting a tiny guest (the running
# kernel, busybox, selftests/vaal_mdev/guest/init; the plumbing of
# selftests/lib/vaal_guest.sh).  The guest's virtio-net driver pings the
# wire through its VIF and its vaal_pci runs vaalctl run crypto sha256
# against sha256sum; after QEMU exits, release leaves the host as before.
# Prints TAP; $VCORE_SUITE holds the modules, $VCORE_BUILD the tools.
# timeout: 900
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
VM=$BUILD/tools/vcorevm
CTL=$BUILD/tools/svnicctl
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
NAME=vq1
GUEST_MODULES=virtio_net
GUEST_APPEND=
GUEST_CG=
OFF_UNITS=
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"
# shellcheck source=selftests/lib/vaal_guest.sh
. "$DIR/../lib/vaal_guest.sh"

CASES=(
	"setup: svnic-np0 on a veth to the wire, the VAAL mdev parent"
	"guest initramfs: busybox, guest/init, virtio_net, the 9p modules"
	"vcorevm check and apply: the VM's cgroup, its VIF on vhost_vdpa, its mdev"
	"vcorevm qemu -x: stock QEMU in the VM's cgroup boots the guest"
	"the guest pings the wire through its VIF"
	"the guest's vaal_pci: vaalctl run crypto sha256 equals sha256sum"
	"QEMU exits"
	"vcorevm release: no VIF, no mdev, no cgroup of the VM left"
)

echo "TAP version 13"
echo "1..${#CASES[@]}"

why=$(guest_missing)
if [ -n "$why" ]; then
	for c in "${CASES[@]}"; do
		n=$((n + 1))
		echo "ok $n $c # SKIP $why"
	done
	rm -rf "$T"
	exit 0
fi

cleanup() {
	if [ -n "$QEMU_PID" ]; then
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	"$VM" release --force "$NAME" >/dev/null 2>&1
	"$CTL" np del svnic-np0 >/dev/null 2>&1
	ip link del veth0 2>/dev/null
	ip netns del wire 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

exec 3>&1
say() {
	echo "$*"
	echo "$*" >&3
}

# What a VM leaves on the host: vdpa devices, mdevs, the VMs' cgroups.
snapshot() {
	ls /sys/bus/vdpa/devices /sys/bus/mdev/devices &&
	find /sys/fs/cgroup -maxdepth 2 -name 'vcore-*'
}

setup() {
	modprobe -a vhost_vdpa || return 1
	ip link add veth0 type veth peer name wire0 &&
	ip netns add wire &&
	ip link set wire0 netns wire &&
	ip -n wire addr add 10.0.0.1/24 dev wire0 &&
	ip -n wire link set wire0 up &&
	ip link set veth0 up &&
	"$CTL" np add veth0 && parent_up || return 1
	snapshot >"$T/before"
}

# The spec: one VIF, a vaal-small mdev, QEMU as the test VM can run it
# (TCG, the guest's console in a file, the host's root over 9p).
spec() {
	local append
	append="console=ttyS0 quiet panic=-1 acpi=off edd=off mitigations=off"
	append+=" tsc=reliable cryptomgr.notests=1"
	append+=" initcall_blacklist=jent_mod_init,crypto_kdf108_init"
	append+=" ipv6.disable=1 vcore.suite=$SUITE vcore.build=$BUILD"
	append+=" vcore.files=/etc/os-release vcore.ip=10.0.0.50/24 vcore.peer=10.0.0.1"
	cat >"$T/$NAME.toml" <<EOF
name = "$NAME"
vcpus = 1
memory = "256MiB"
weight = 100

[[vif]]
np = "svnic-np0"
mac = "52:54:00:00:0e:01"

[mdev]
type = "vaal-small"

[qemu]
machine = "pc"
accel = "tcg"
args = ["-cpu", "$GUEST_CPU", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-serial", "file:$T/console", "-monitor", "none", "-virtfs", "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"]

[boot]
kernel = "$KERNEL"
initrd = "$T/initrd"
cmdline = "$append"
EOF
}

apply_vm() {
	spec && "$VM" check "$T/$NAME.toml" && "$VM" apply "$T/$NAME.toml" &&
	"$VM" qemu --plain "$T/$NAME.toml"
}

boot() {
	: >"$T/console"
	QEMU_START=$SECONDS
	"$VM" qemu -x "$T/$NAME.toml" </dev/null >"$T/qemu.log" 2>&1 &
	QEMU_PID=$!
	if ! wait_console '^GUEST-BOOT' "$BOOT_TIMEOUT"; then
		cat "$T/qemu.log"
		console | tail -n 40
		return 1
	fi
	say "# guest: QEMU start to its init's first line $((SECONDS - QEMU_START))s"
	wait_console '^GUEST-DONE' 400 || console | tail -n 40
}

released() {
	"$VM" release "$NAME" && snapshot >"$T/after" &&
	diff "$T/before" "$T/after"
}

check "${CASES[0]}" setup
check "${CASES[1]}" initramfs
check "${CASES[2]}" apply_vm
check "${CASES[3]}" boot
check "${CASES[4]}" guest_said '^GUEST-PING-OK'
check "${CASES[5]}" guest_said '^GUEST-SHA-OK /etc/os-release '
check "${CASES[6]}" qemu_exits
check "${CASES[7]}" released
[ $failed = 0 ]
