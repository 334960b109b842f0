#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu_vdpa_test.sh - an svnic VIF in a real guest, end to end: stock QEMU
# gives it to a tiny guest (the running kernel, busybox and guest/init) with
# "-netdev type=vhost-vdpa,vhostdev=/dev/vhost-vdpa-N -device virtio-net-pci".
# The guest's own virtio-net driver brings it up as 10.0.0.50, pings the
# uplink's peer (10.0.0.254 in the "wire" netns), moves its MAC address
# through the control queue and pings again from the new one.  The guest's
# verdicts come back on its serial console; a capture on the wire and the
# VIF's counters and address say the same from this side.  The guest is TCG
# inside the VM's TCG: small, and still slow (about 100 s to boot).
# Prints TAP; $VCORE_SUITE holds svnic.ko, $VCORE_BUILD svnicctl.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
KO=$SUITE/kernel/svnic/svnic.ko
CTL=$BUILD/tools/svnicctl
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
n=0 failed=0
QEMU=${QEMU:-qemu-system-x86_64}
KERNEL=/boot/vmlinuz-$(uname -r)
MAC=52:54:00:00:00:32		# the VIF's
MAC2=52:54:00:00:01:32		# the guest's after it moves
GUEST_IP=10.0.0.50
WIRE_IP=10.0.0.254
PINGS=3
BOOT_TIMEOUT=240	# s, from QEMU's start to the guest's first line
GUEST_TIMEOUT=150	# s, from there to the guest's last line
QEMU_PID=
QEMU_START=0
BOOTED=0
SNIFF_PID=

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"
# shellcheck source=selftests/lib/net.sh
. "$DIR/../lib/net.sh"

CASES=(
	"veth uplink and wire netns, without IPv6"
	"insmod svnic uplink=veth0: svnic-np0"
	"VIF vif1 bound to vhost_vdpa: /dev/vhost-vdpa-N"
	"guest initramfs: busybox, guest/init, virtio_net and its modules"
	"QEMU boots the guest on -netdev vhost-vdpa (virtio-net-pci)"
	"the guest's virtio-net has the VIF's MAC"
	"the guest pings the wire through its virtio-net driver"
	"the guest moves its MAC through the control queue"
	"the guest pings the wire from its new MAC"
	"no warning from the guest's virtio-net driver"
	"the wire saw the guest's echo requests, from both MACs"
	"vif show: the guest's new MAC, its frames both ways, none malformed"
	"the guest stops and QEMU exits"
	"vdpa dev del vif1 once QEMU let go of it"
)

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

command -v "$QEMU" >/dev/null || skip_all "no $QEMU"
[ -r "$KERNEL" ] || skip_all "no $KERNEL to boot in the guest"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (busybox-static) for the guest"
command -v cpio >/dev/null || skip_all "no cpio"
modprobe -q vhost_vdpa || skip_all "no vhost_vdpa module"
modprobe -q virtio_vdpa 2>/dev/null

cleanup() {
	local p
	for p in $QEMU_PID $SNIFF_PID; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	svnic_cleanup
}
trap cleanup EXIT

NETSTAMP=$(netstamp_hold) || exit 1

no_ipv6() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

# The wire: veth0 (the uplink) and its peer in netns "wire", $WIRE_IP.
wire_up() {
	ip link add veth0 type veth peer name wire0 &&
	sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1 &&
	ip netns add wire && no_ipv6 wire &&
	ip link set wire0 netns wire &&
	ip netns exec wire sysctl -qw net.ipv6.conf.wire0.disable_ipv6=1 &&
	ip -n wire addr add "$WIRE_IP/24" dev wire0 &&
	ip -n wire link set wire0 up &&
	ip -n wire link set lo up &&
	ip link set veth0 up
}

np_up() {
	rmmod svnic 2>/dev/null
	insmod "$KO" uplink=veth0 && vdpa mgmtdev show | grep -q svnic-np0
}

# VIF vif1 with $MAC, on vhost_vdpa whatever bound it first; its character
# device's path goes to $T/vhostdev.
vif_up() {
	local d i sys=/sys/bus/vdpa/devices/vif1
	vdpa dev add name vif1 mgmtdev svnic-np0 mac "$MAC" mtu 1500 || return 1
	echo vhost_vdpa >"$sys/driver_override" || return 1
	d=$(readlink "$sys/driver" 2>/dev/null)
	if [ -n "$d" ] && [ "${d##*/}" != vhost_vdpa ]; then
		echo vif1 >"$sys/driver/unbind" || return 1
	fi
	[ -e "$sys/driver" ] || echo vif1 >/sys/bus/vdpa/drivers_probe
	for ((i = 0; i < 50; i++)); do
		for d in "$sys"/vhost-vdpa-*; do
			if [ -c "/dev/${d##*/}" ]; then
				echo "/dev/${d##*/}" | tee "$T/vhostdev"
				return 0
			fi
		done
		sleep 0.1
	done
	echo "no /dev/vhost-vdpa-N for vif1"
	ls -l "$sys"
	return 1
}

# The guest's initramfs, $T/initrd: busybox, guest/init, and the modules
# virtio_net needs (virtio_pci may be built in), uncompressed for busybox's
# insmod, in load order in /modules.list.
initramfs() {
	local root=$T/root ko name
	mkdir -p "$root"/{bin,dev,proc,sys,lib/modules} &&
	cp /bin/busybox "$root/bin/busybox" &&
	cp "$DIR/guest/init" "$root/init" &&
	chmod 755 "$root/init" || return 1
	: >"$root/modules.list"
	modprobe --show-depends -a virtio_pci virtio_net >"$T/deps" || return 1
	cat "$T/deps"
	while read -r ko; do
		name=${ko##*/}
		case $name in
		*.xz) name=${name%.xz}; xz -dc "$ko" >"$root/lib/modules/$name" ;;
		*.zst) name=${name%.zst}; zstd -qdc "$ko" >"$root/lib/modules/$name" ;;
		*.gz) name=${name%.gz}; gzip -dc "$ko" >"$root/lib/modules/$name" ;;
		*) cp "$ko" "$root/lib/modules/$name" ;;
		esac || return 1
		echo "$name" >>"$root/modules.list"
	done < <(awk '$1 == "insmod" && !seen[$2]++ { print $2 }' "$T/deps")
	grep -qx virtio_net.ko "$root/modules.list" || return 1
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$T/initrd" &&
	ls -l "$T/initrd"
}

# The guest's serial console, without carriage returns.
console() {
	tr -d '\r' <"$T/console" 2>/dev/null
}

# wait_console REGEX SECONDS: until the console has a line matching REGEX;
# fails when QEMU is gone without it, or after SECONDS.
wait_console() {
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		console | grep -Eq "$1" && return 0
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			console | grep -Eq "$1" && return 0
			echo "QEMU exited before '$1'"
			return 1
		fi
		sleep 0.5
	done
	echo "no '$1' after $2 s"
	return 1
}

# Echo requests from $GUEST_IP to $WIRE_IP that wire0 received, counted
# by source MAC in $T/echo ("MAC COUNT" lines) as they come.
sniff_up() {
	ip netns exec wire python3 - "$GUEST_IP" "$WIRE_IP" "$T/echo" \
		>"$T/sniff.log" 2>&1 <<'PY' &
import os, socket, sys
src, dst = socket.inet_aton(sys.argv[1]), socket.inet_aton(sys.argv[2])
out = sys.argv[3]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("wire0", 0))
seen = {}
def save():
	with open(out + ".tmp", "w") as f:
		for mac, n in seen.items():
			f.write("%s %d\n" % (mac, n))
	os.rename(out + ".tmp", out)
save()
while True:
	f, addr = s.recvfrom(65536)
	# Received frames (not wire0's own) of ICMP (1) echo requests (8).
	if (addr[2] == socket.PACKET_HOST and f[14] >> 4 == 4 and
	    f[23] == 1 and f[26:30] == src and f[30:34] == dst and
	    f[14 + (f[14] & 15) * 4] == 8):
		mac = ":".join("%02x" % b for b in f[6:12])
		seen[mac] = seen.get(mac, 0) + 1
		save()
PY
	SNIFF_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e "$T/echo" ] && return 0
		kill -0 "$SNIFF_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$T/sniff.log"
	return 1
}

# QEMU with the guest, in the background; its serial console goes to
# $T/console.  Every offload is off, whatever the device offers, and so
# are the control queue's extras the device does not have.
qemu_start() {
	local dev opts append
	dev=$(cat "$T/vhostdev") || return 1
	# romfile=: no iPXE in the guest's firmware, a kernel is given.
	opts=mac=$MAC,romfile=,mrg_rxbuf=off,csum=off,guest_csum=off,gso=off
	opts+=,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off
	opts+=,host_tso4=off,host_tso6=off,host_ecn=off,host_ufo=off
	opts+=,ctrl_vq=on,ctrl_rx=on,ctrl_vlan=off,ctrl_rx_extra=off
	opts+=,ctrl_mac_addr=on,ctrl_guest_offloads=off,guest_announce=off
	opts+=,mq=off,event_idx=off,indirect_desc=off
	# Less to boot: no ACPI (its interpreter is among the slowest parts
	# here), no crypto self-tests, no jitter entropy source; then what
	# guest/init is to do.
	append="console=ttyS0 quiet panic=-1 acpi=off edd=off mitigations=off"
	append+=" tsc=reliable cryptomgr.notests=1"
	append+=" initcall_blacklist=jent_mod_init,crypto_kdf108_init"
	append+=" ipv6.disable=1 vcore.ip=$GUEST_IP/24 vcore.peer=$WIRE_IP"
	append+=" vcore.mac2=$MAC2 vcore.count=$PINGS"
	: >"$T/console"
	QEMU_START=$SECONDS
	# vhost_vdpa pins all of the guest's memory, against RLIMIT_MEMLOCK.
	(ulimit -l unlimited &&
	 exec "$QEMU" -nodefaults -no-user-config -display none -no-reboot \
		-machine pc -accel tcg,tb-size=64 -m 256 -smp 1 \
		-kernel "$KERNEL" -initrd "$T/initrd" -append "$append" \
		-serial "file:$T/console" -monitor none \
		-netdev "type=vhost-vdpa,vhostdev=$dev,id=n0" \
		-device "virtio-net-pci,netdev=n0,$opts") \
		</dev/null >"$T/qemu.log" 2>&1 &
	QEMU_PID=$!
}

# The guest's kernel died in start_kernel(), before any driver ran: the
# nested emulator's doing (TCG in TCG: code the guest patches at boot, run
# stale, more often on a loaded host), not the VIF's.
early_panic() {
	console | grep -q 'Kernel panic' && console | grep -q 'start_kernel+'
}

guest_boots() {
	local try
	for try in 1 2 3; do
		qemu_start || return 1
		wait_console '^GUEST-' "$BOOT_TIMEOUT" && break
		if [ "$try" -lt 3 ] && early_panic; then
			say "# guest: its kernel died in start_kernel(), before any driver; booting it again"
			wait "$QEMU_PID" 2>/dev/null
			continue
		fi
		cat "$T/qemu.log"
		console | tail -n 40
		return 1
	done
	BOOTED=$((SECONDS - QEMU_START))
	say "# guest: QEMU start to its init's first line ${BOOTED}s"
	sed 's/^/# qemu: /' "$T/qemu.log" >&3
}

guest_mac() {
	console | grep '^GUEST-' | head -n 1
	console | grep -qx "GUEST-MAC $MAC"
}

# guest_said LINE: the guest's console has LINE; all of it when not.
guest_said() {
	console | grep -qx "$1" && return 0
	echo "no '$1' from the guest:"
	console | tail -n 40
	return 1
}

guest_ping() {
	local ok=0
	if wait_console '^GUEST-DONE' "$GUEST_TIMEOUT"; then
		say "# guest: init's first line to its last $((SECONDS - QEMU_START - BOOTED))s"
		guest_said "GUEST-PING-OK $PINGS/$PINGS" && ok=1
	else
		console | tail -n 40
	fi
	[ $ok = 1 ] || { cat "$T/qemu.log"; return 1; }
}

# The guest's kernel had nothing to say of virtio-net (control queue
# commands refused, rings broken) up to its end.
guest_quiet() {
	console | grep -q '^GUEST-DONE' || { echo "the guest did not end"; return 1; }
	console | grep '^GUEST-KMSG'
	! console | grep -q '^GUEST-KMSG'
}

wire_saw() {
	local m c
	echo "echo requests from $GUEST_IP on wire0, by source MAC:"
	cat "$T/echo" || return 1
	for m in "$MAC" "$MAC2"; do
		c=$(awk -v m="$m" '$1 == m { print $2 }' "$T/echo")
		[ "${c:-0}" -ge $PINGS ] || return 1
	done
}

# The VIF has the guest's new MAC, and counts at least the guest's pings
# each way (and its ARP), and no frame malformed or too big.  Frames for a
# guest that has no buffers posted are not held against it: the wire may
# probe the guest's address while it shuts down.
vif_state() {
	"$CTL" -j vif show vif1 >"$T/vif.json" || return 1
	"$CTL" vif show vif1
	python3 - "$T/vif.json" "$MAC2" "$PINGS" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))[0]
s, pings = v["stats"], 2 * int(sys.argv[3])
assert v["name"] == "vif1" and v["mac"] == sys.argv[2], v
for k in ("tx_packets", "rx_packets"):
	assert s[k] >= pings, "%s %d < %d" % (k, s[k], pings)
for k in ("tx_bytes", "rx_bytes"):
	# 98 bytes an echo frame: Ethernet 14, IPv4 20, ICMP 8, ping's 56.
	assert s[k] >= pings * 98, "%s %d < %d" % (k, s[k], pings * 98)
for k in ("drop_malformed", "drop_too_big"):
	assert s[k] == 0, "%s %d" % (k, s[k])
PY
}

qemu_exits() {
	local i
	for ((i = 0; i < 60; i++)); do
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			wait "$QEMU_PID"
			echo "QEMU exit status $?"
			QEMU_PID=
			say "# guest: QEMU start to its exit $((SECONDS - QEMU_START))s"
			return 0
		fi
		sleep 0.5
	done
	echo "QEMU still runs 30 s after the guest's last line"
	return 1
}

vif_del() {
	[ -z "$QEMU_PID" ] && vdpa dev del vif1 &&
	! vdpa dev show vif1 2>/dev/null
}

# Figures go to the TAP stream as comments, beside the check's own log.
exec 3>&1
say() {
	echo "$*"
	echo "$*" >&3
}

check "${CASES[0]}" wire_up
check "${CASES[1]}" np_up
check "${CASES[2]}" vif_up
check "${CASES[3]}" initramfs
sniff_up || echo "# no capture on wire0"
check "${CASES[4]}" guest_boots
check "${CASES[5]}" guest_mac
check "${CASES[6]}" guest_ping
check "${CASES[7]}" guest_said "GUEST-MAC-SET-OK $MAC2"
check "${CASES[8]}" guest_said "GUEST-PING2-OK $PINGS/$PINGS"
check "${CASES[9]}" guest_quiet
check "${CASES[10]}" wire_saw
check "${CASES[11]}" vif_state
check "${CASES[12]}" qemu_exits
check "${CASES[13]}" vif_del
echo "# whole test ${SECONDS}s"
[ $failed = 0 ]
