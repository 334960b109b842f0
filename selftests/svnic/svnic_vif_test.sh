#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svnic_vif_test.sh - VIFs of an NP on a veth uplink, through real clients:
# iproute2 "vdpa" creates them, virtio_vdpa makes them host netdevs, each is
# moved to a netns of its own, and ping reaches the uplink's peer (in the
# "wire" netns) and the other VIFs.  Also MAC and MTU changes, 32 VIFs on
# the wire, iperf3 TCP and UDP from VIF to VIF (TSO frames delivered
# whole), VIF create/delete under traffic, and module unload under
# traffic.  Prints TAP; $VCORE_SUITE holds svnic.ko.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
KO=$SUITE/kernel/svnic/svnic.ko
T=$(mktemp -d)
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=selftests/lib/net.sh
. "$(dirname "$0")/../lib/net.sh"
trap svnic_cleanup EXIT
NETSTAMP=$(netstamp_hold) || exit 1

# The wire: veth0 (the uplink) and its peer in netns "wire", 10.0.0.254.
wire_up() {
	modprobe -a virtio_net virtio_vdpa vhost_vdpa &&
	ip link add veth0 type veth peer name wire0 &&
	ip netns add wire &&
	ip link set wire0 netns wire &&
	ip -n wire addr add 10.0.0.254/24 dev wire0 &&
	ip -n wire link set wire0 up &&
	ip -n wire link set lo up &&
	ip link set veth0 up
}

# The netdev virtio_vdpa made of VIF $1 (vhost_vdpa may have taken it).
vif_netdev() {
	local d i sys=/sys/bus/vdpa/devices/$1
	echo virtio_vdpa >"$sys/driver_override"
	if [ -e "$sys/driver" ] &&
	   [ "$(basename "$(readlink "$sys/driver")")" != virtio_vdpa ]; then
		echo "$1" >"$sys/driver/unbind"
	fi
	[ -e "$sys/driver" ] || echo "$1" >/sys/bus/vdpa/drivers_probe
	for ((i = 0; i < 50; i++)); do
		for d in /sys/bus/vdpa/devices/"$1"/virtio*/net/*; do
			[ -e "$d" ] && { basename "$d"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

# vif_up NAME INDEX: VIF NAME with MAC ..:INDEX in netns vmINDEX, 10.0.0.INDEX.
vif_up() {
	local name=$1 i=$2 dev
	vdpa dev add name "$name" mgmtdev svnic-np0 \
		mac "$(printf '52:54:00:00:00:%02x' "$i")" mtu 1500 || return 1
	dev=$(vif_netdev "$name") || return 1
	ip netns add "vm$i" &&
	ip link set "$dev" netns "vm$i" &&
	ip -n "vm$i" link set "$dev" name eth0 &&
	ip -n "vm$i" addr add "10.0.0.$i/24" dev eth0 &&
	ip -n "vm$i" link set eth0 up
}

vif_down() {
	vdpa dev del "$1" && ip netns del "vm$2"
}

load() {
	rmmod svnic 2>/dev/null
	insmod "$KO" uplink=veth0
}

np_up() {
	load && vdpa mgmtdev show | grep -q svnic-np0
}

first_vif() {
	vif_up vif1 1 && vdpa dev show vif1 | grep -q 'type network'
}

second_vif() {
	vif_up vif2 2 && ip netns exec vm1 ping -c 3 -i 0.2 -W 2 10.0.0.2
}

# The guest side moves its MAC (the control queue's MAC_ADDR_SET): the NP
# switches frames for the new address, not the old one.
mac_change() {
	ip -n vm2 link set eth0 address 52:54:00:00:01:02 &&
	ip -n wire neigh flush all &&
	ip -n vm1 neigh flush all &&
	ip netns exec wire ping -c 2 -i 0.2 -W 2 10.0.0.2 &&
	ip -n wire neigh show | grep -q '52:54:00:00:01:02'
}

# A smaller MTU holds for what the VIF sends; the device's MTU is a bound.
mtu_change() {
	ip -n vm1 link set eth0 mtu 1000 &&
	ip netns exec vm1 ping -c 2 -i 0.2 -W 2 -s 972 -M "do" 10.0.0.254 &&
	! ip netns exec vm1 ping -c 1 -W 1 -s 1200 -M "do" 10.0.0.254 &&
	! ip -n vm1 link set eth0 mtu 1600 &&
	ip -n vm1 link set eth0 mtu 1500
}

# A figure for the log of a passing case too: its output is kept only
# when it fails.
say() {
	echo "$*"
	echo "$*" >&3
}

# eth0's received bytes and frames in netns $1, as its driver counted them.
rx_counts() {
	ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_bytes \
		/sys/class/net/eth0/statistics/rx_packets | paste -sd ' '
}

# vif_iperf RESULT ARGS...: iperf3 from vm1 to a server in vm2 for 3 s;
# the rate the receiver saw, in bit/s, and the datagrams lost (UDP) into
# $T/RESULT.
vif_iperf() {
	local res=$1; shift
	ip netns exec vm2 iperf3 -s -1 -D --pidfile "$T/iperf3-vm2.pid" ||
		return 1
	sleep 0.5
	if ! timeout 30 ip netns exec vm1 iperf3 -c 10.0.0.2 -t 3 -J \
		--get-server-output "$@" >"$T/$res.json"; then
		cat "$T/$res.json"
		return 1
	fi
	python3 - "$T/$res.json" >"$T/$res" <<'PY' || return 1
import json, sys
j = json.load(open(sys.argv[1]))
end = j["end"]
if "sum_received" in end:
	print(int(end["sum_received"]["bits_per_second"]), 0)
else:
	# UDP (iperf3 < 3.13): the receiver's figures are the server's.
	s = j["server_output_json"]["end"]["sum"]
	print(int(s["bits_per_second"]), s["lost_percent"])
PY
}

# TCP from VIF to VIF, switched inside the NP: the sender's TSO frames stay
# whole through it and reach the receiver whole (GUEST_TSO4), so vm2's
# eth0 takes frames larger than its 1500-byte MTU.
vif_tcp() {
	local b0 p0 b1 p1 bps avg retr
	read -r b0 p0 < <(rx_counts vm2)
	vif_iperf tcp || return 1
	read -r b1 p1 < <(rx_counts vm2)
	read -r bps _ <"$T/tcp"
	avg=$(((b1 - b0) / (p1 - p0 + 1)))
	say "# TCP vm1 -> vm2: $bps bit/s, $((p1 - p0)) frames of $avg bytes on average"
	retr=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["end"]["sum_sent"]["retransmits"])' "$T/tcp.json")
	say "# TCP retransmits $retr; vm2's VIF$("$VCORE_BUILD/tools/svnicctl" vif show vif2 |
		grep -o ' drops.*')"
	[ "$bps" -gt 0 ] && [ "$avg" -gt 1514 ]
}

# UDP from VIF to VIF at 20 Mbit/s: it arrives, and at most 5% is lost.
vif_udp() {
	local bps lost
	vif_iperf udp -u -b 20M || return 1
	read -r bps lost <"$T/udp"
	say "# UDP vm1 -> vm2: $bps bit/s received, $lost% lost"
	[ "$bps" -gt 10000000 ] &&
	python3 -c "import sys; sys.exit(float(sys.argv[1]) > 5)" "$lost"
}

many_vifs() {
	local i
	for i in $(seq 10 41); do
		vif_up "vif$i" "$i" || return 1
	done
	for i in $(seq 10 41); do
		ip netns exec "vm$i" ping -c 1 -W 2 10.0.0.254 >/dev/null ||
			{ echo "vm$i: no reply"; return 1; }
	done
}

churn_under_traffic() {
	local p
	ip netns exec vm1 ping -f -w 4 -q 10.0.0.254 >/dev/null &
	p=$!
	for _ in 1 2 3 4 5; do
		vif_up vif50 50 && vif_down vif50 50 || return 1
	done
	wait $p
	ip netns exec vm1 ping -c 2 -W 2 10.0.0.254
}

unload_under_traffic() {
	ip netns exec vm1 ping -f -w 3 -q 10.0.0.254 >/dev/null 2>&1 &
	sleep 1
	rmmod svnic || return 1
	wait
	! vdpa mgmtdev show 2>/dev/null | grep -q svnic-np0
}

exec 3>&1
echo "TAP version 13"
echo "1..13"
check "veth uplink and wire netns" wire_up
check "insmod svnic uplink=veth0: vdpa mgmtdev show lists svnic-np0" np_up
check "vdpa dev add: a virtio-net netdev, moved to its netns" first_vif
check "ping VIF to wire" ip netns exec vm1 ping -c 3 -i 0.2 -W 2 10.0.0.254
check "ping wire to VIF" ip netns exec wire ping -c 3 -i 0.2 -W 2 10.0.0.1
check "ping VIF to VIF, switched inside the NP" second_vif
check "MAC changed by the guest side, the wire reaches the new one" mac_change
check "MTU changes within the device's" mtu_change
check "iperf3 TCP VIF to VIF: TSO frames reach the other VIF whole" vif_tcp
check "iperf3 UDP VIF to VIF" vif_udp
check "32 VIFs all reach the wire" many_vifs
check "VIF create/delete in a loop under traffic" churn_under_traffic
check "rmmod under traffic" unload_under_traffic
[ $failed = 0 ]
